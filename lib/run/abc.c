/* ABC-SMC population maths (abc.h). Plain loops: K (varied keys) is at
 * most WF_CALIBRATION_MAX_KEYS and a population a few hundred particles,
 * so nothing here costs beside one simulation. */
#include "run/abc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TWO_PI 6.283185307179586476925

void wf_abc_normalise(const double *w, size_t n, double *out)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += w[i];
    for (size_t i = 0; i < n; i++) out[i] = sum > 0 ? w[i] / sum : 1.0 / (double)n;
}

double wf_abc_ess(const double *wn, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += wn[i] * wn[i];
    return s > 0 ? 1.0 / s : 0;
}

void wf_abc_moments(const double *theta, const double *wn, size_t n, size_t K, double *mean, double *cov)
{
    for (size_t a = 0; a < K; a++) {
        mean[a] = 0;
        for (size_t i = 0; i < n; i++) mean[a] += wn[i] * theta[i * K + a];
    }
    /* the weighted covariance, with the unbiased correction for weights */
    double s2 = 0;
    for (size_t i = 0; i < n; i++) s2 += wn[i] * wn[i];
    double corr = s2 < 1 ? 1.0 / (1.0 - s2) : 1.0;
    for (size_t a = 0; a < K; a++)
        for (size_t b = 0; b <= a; b++) {
            double c = 0;
            for (size_t i = 0; i < n; i++) c += wn[i] * (theta[i * K + a] - mean[a]) * (theta[i * K + b] - mean[b]);
            cov[a * K + b] = cov[b * K + a] = c * corr;
        }
}

typedef struct {
    double v, w;
    size_t i;
} item;

static int by_value(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    if (a->v != b->v) return (a->v > b->v) - (a->v < b->v);
    return (a->i > b->i) - (a->i < b->i);
}

double wf_abc_quantile(const double *x, size_t stride, const double *wn, size_t n, double q)
{
    item *it = malloc(sizeof *it * (n + 1));
    if (!it) return NAN;
    size_t m = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (isnan(v)) continue;
        it[m++] = (item){v, wn[i], i};
        total += wn[i];
    }
    double out = NAN;
    if (m && total > 0) {
        qsort(it, m, sizeof *it, by_value);
        double cum = 0;
        out = it[m - 1].v;
        for (size_t j = 0; j < m; j++) {
            cum += it[j].w / total;
            if (cum >= q * (1 - 1e-12)) {
                out = it[j].v;
                break;
            }
        }
    }
    free(it);
    return out;
}

/* ---- the kernel ---------------------------------------------------------- */

int wf_abc_kernel_make(wf_abc_kernel *k, const double *cov, size_t K, const double *width)
{
    memset(k, 0, sizeof *k);
    k->K = K;
    k->L = calloc(K * K + 1, sizeof *k->L);
    if (!k->L) return -1;
    double *S = k->L;
    for (size_t a = 0; a < K; a++)
        for (size_t b = 0; b < K; b++) S[a * K + b] = 2.0 * cov[a * K + b];
    for (size_t a = 0; a < K; a++) {
        double f = 1e-6 * width[a];
        S[a * K + a] += f * f;
    }
    /* Cholesky in place (lower) */
    double logdet = 0;
    for (size_t j = 0; j < K; j++) {
        double d = S[j * K + j];
        for (size_t p = 0; p < j; p++) d -= S[j * K + p] * S[j * K + p];
        if (!(d > 0)) {
            wf_abc_kernel_free(k);
            return -1;
        }
        double l = sqrt(d);
        S[j * K + j] = l;
        logdet += 2 * log(l);
        for (size_t i = j + 1; i < K; i++) {
            double v = S[i * K + j];
            for (size_t p = 0; p < j; p++) v -= S[i * K + p] * S[j * K + p];
            S[i * K + j] = v / l;
        }
        for (size_t i = 0; i < j; i++) S[i * K + j] = 0;
    }
    k->log_norm = -0.5 * ((double)K * log(TWO_PI) + logdet);
    return 0;
}

void wf_abc_kernel_free(wf_abc_kernel *k)
{
    free(k->L);
    k->L = NULL;
}

/* log N(x; mu, S) */
static double kernel_logpdf(const wf_abc_kernel *k, const double *x, const double *mu)
{
    size_t K = k->K;
    double q = 0, z[64];
    for (size_t i = 0; i < K; i++) {
        double v = x[i] - mu[i];
        for (size_t p = 0; p < i; p++) v -= k->L[i * K + p] * z[p];
        z[i] = v / k->L[i * K + i];
        q += z[i] * z[i];
    }
    return k->log_norm - 0.5 * q;
}

/* A standard normal draw (Box-Muller, the cosine half). */
static double normal(wf_stream *s)
{
    double u1 = 1.0 - wf_stream_uniform(s), u2 = wf_stream_uniform(s);
    return sqrt(-2.0 * log(u1)) * cos(TWO_PI * u2);
}

void wf_abc_propose(const wf_abc_kernel *k, const double *theta, const double *wn, size_t n, const double *lo,
                    const double *hi, wf_stream *s, double *out)
{
    size_t K = k->K;
    for (int tries = 0; tries < 10000; tries++) {
        double u = wf_stream_uniform(s), cum = 0;
        size_t j = n - 1;
        for (size_t i = 0; i < n; i++) {
            cum += wn[i];
            if (u < cum) {
                j = i;
                break;
            }
        }
        double z[64];
        for (size_t a = 0; a < K; a++) z[a] = normal(s);
        int inside = 1;
        for (size_t a = 0; a < K; a++) {
            double v = theta[j * K + a];
            for (size_t b = 0; b <= a; b++) v += k->L[a * K + b] * z[b];
            out[a] = v;
            inside &= v >= lo[a] && v <= hi[a];
        }
        if (inside) return;
    }
    for (size_t a = 0; a < K; a++) out[a] = lo[a] + (hi[a] - lo[a]) * wf_stream_uniform(s);
}

double wf_abc_log_weight(const wf_abc_kernel *k, const double *theta, const double *wn, size_t n, const double *x,
                         double log_prior, double *work)
{
    double most = -INFINITY;
    for (size_t j = 0; j < n; j++) {
        work[j] = wn[j] > 0 ? log(wn[j]) + kernel_logpdf(k, x, theta + j * k->K) : -INFINITY;
        if (work[j] > most) most = work[j];
    }
    double sum = 0;
    for (size_t j = 0; j < n; j++) sum += exp(work[j] - most);
    return log_prior - (most + log(sum));
}
