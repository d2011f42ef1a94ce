/* Duration samplers (lib/core/dist.c): each family has the mean and cv it
 * is given, and the stationary residual has mean E[S^2] / (2 E[S]) =
 * mean (1 + cv^2) / 2. Tolerances: 5 standard errors of the sample mean. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <string.h>

#include "check.h"
#include "core/dist.h"
#include "core/rng.h"

static void check_family(int kind, double mean, double cv, const char *name)
{
    wf_sampler s = wf_sampler_make(kind, mean, cv);
    gsl_rng *r = gsl_rng_alloc(wf_rng_stream);
    wf_rng_seek(r, wf_key_mix(42, (uint64_t)kind), 0);
    const int n = 400000;
    double sum = 0, sum2 = 0, rsum = 0, rsum2 = 0;
    for (int i = 0; i < n; i++) {
        double x = wf_sample(&s, r), y = wf_sample_residual(&s, r);
        sum += x;
        sum2 += x * x;
        rsum += y;
        rsum2 += y * y;
    }
    double m = sum / n, sd = sqrt(sum2 / n - m * m), rm = rsum / n, rsd = sqrt(rsum2 / n - rm * rm);
    double want_cv = (kind == 0) ? 1 : (kind == 4) ? 0 : cv;
    double want_res = mean * (1 + want_cv * want_cv) / 2;
    /* catches a wrong parameterisation (mean or cv) of a family */
    CHECKF(fabs(m - mean) <= 5 * sd / sqrt(n) + 1e-12, "%s mean %g want %g", name, m, mean);
    CHECKF(fabs(sd / m - want_cv) <= 0.02 * (want_cv > 0 ? want_cv : 1), "%s cv %g want %g", name, sd / m, want_cv);
    /* catches residuals that are not length-biased (a uniform share of a
     * plain stay has mean mean/2) */
    CHECKF(fabs(rm - want_res) <= 5 * rsd / sqrt(n) + 1e-12,
           "%s residual mean %g want %g", name, rm, want_res);
    gsl_rng_free(r);
}

/* The engine draws lognormals and exponentials from its streams without
 * going through GSL's calls: the numbers must be GSL's, bit for bit, or
 * every result would silently change with the shortcut. Also through a
 * generator of another type (the GSL path). */
static void same_as_gsl(const gsl_rng_type *type)
{
    gsl_rng *a = gsl_rng_alloc(type), *b = gsl_rng_alloc(type);
    wf_sampler ln = wf_sampler_make(1, 6.5, 2.1), ex = wf_sampler_make(0, 0.7, 1);
    int differ = 0;
    for (uint64_t k = 0; k < 20000; k++) {
        if (type == wf_rng_stream) {
            wf_rng_seek(a, wf_key_mix(7, k), k << 20);
            wf_rng_seek(b, wf_key_mix(7, k), k << 20);
        }
        double x = wf_sample(&ln, a), y = gsl_ran_lognormal(b, ln.a, ln.b);
        double u = wf_sample(&ex, a), v = -ex.a * log1p(-gsl_rng_uniform(b));
        differ += memcmp(&x, &y, sizeof x) != 0 || memcmp(&u, &v, sizeof u) != 0;
    }
    CHECKF(differ == 0, "%s: %d of 20000 draws differ from GSL's", gsl_rng_name(a), differ);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

int main(void)
{
    same_as_gsl(wf_rng_stream);
    same_as_gsl(gsl_rng_mt19937);
    check_family(0, 3.0, 1.0, "exponential");
    check_family(1, 42.0, 0.4, "lognormal");
    check_family(1, 5.0, 1.5, "lognormal (cv 1.5)");
    check_family(2, 21.0, 0.6, "gamma");
    check_family(2, 730.0, 0.5, "gamma (care home)");
    check_family(3, 7.0, 0.9, "weibull");
    check_family(4, 2.0, 0.0, "fixed");
    /* a zero mean is "no delay" for every family */
    wf_sampler z = wf_sampler_make(1, 0, 0.8);
    gsl_rng *r = gsl_rng_alloc(wf_rng_stream);
    CHECK(wf_sample(&z, r) == 0 && wf_sample_residual(&z, r) == 0);
    gsl_rng_free(r);
    return CHECK_DONE();
}
