#include "core/dist.h"
#include "core/rng.h"

#include <math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

/* Weibull shape k with the given cv: cv^2 = G(1+2/k)/G(1+1/k)^2 - 1, which
 * falls as k rises; bisect on log k. */
static double weibull_shape(double cv)
{
    double lo = log(0.02), hi = log(500.0);
    for (int i = 0; i < 200; i++) {
        double k = exp(0.5 * (lo + hi));
        double g1 = gsl_sf_lngamma(1 + 1 / k), g2 = gsl_sf_lngamma(1 + 2 / k);
        double c2 = exp(g2 - 2 * g1) - 1;
        if (c2 > cv * cv) lo = log(k); else hi = log(k);
    }
    return exp(0.5 * (lo + hi));
}

wf_sampler wf_sampler_make(int kind, double mean, double cv)
{
    wf_sampler s = {WF_SAMPLE_ZERO, mean, 0, 0};
    if (!(mean > 0)) return s;
    switch (kind) {
    case 0: s.kind = WF_SAMPLE_EXP; s.a = mean; break;
    case 1: {
        double s2 = log1p(cv * cv);
        s.kind = WF_SAMPLE_LOGNORMAL; s.a = log(mean) - 0.5 * s2; s.b = sqrt(s2);
        break;
    }
    case 2: s.kind = WF_SAMPLE_GAMMA; s.a = 1 / (cv * cv); s.b = mean * cv * cv; break;
    case 3: {
        double k = weibull_shape(cv);
        s.kind = WF_SAMPLE_WEIBULL; s.b = k; s.a = mean / exp(gsl_sf_lngamma(1 + 1 / k));
        break;
    }
    default: s.kind = WF_SAMPLE_FIXED; s.a = mean; break;
    }
    return s;
}

/* A uniform from the generator: for a winterflow stream straight from it
 * (the engine's most frequent draw, without GSL's call through its type
 * table), else through GSL. Both give the same number. */
static inline double uniform(gsl_rng *r)
{
    return r->type == wf_rng_stream ? wf_rng_uniform(r) : gsl_rng_uniform(r);
}

/* exp(zeta + sigma N) with N by Marsaglia's polar method, in the order and
 * arithmetic of gsl_ran_lognormal (GSL 2), so that the draws are
 * identical to GSL's (test_dist checks, bit for bit) at a fraction of the
 * calls: stays, process times and discharge times all draw here. */
static double lognormal(gsl_rng *r, double zeta, double sigma)
{
    double u, v, r2;
    do {
        u = -1 + 2 * uniform(r);
        v = -1 + 2 * uniform(r);
        r2 = u * u + v * v;
    } while (r2 > 1.0 || r2 == 0);
    double normal = u * sqrt(-2.0 * log(r2) / r2);
    return exp(sigma * normal + zeta);
}

double wf_sample(const wf_sampler *s, gsl_rng *r)
{
    switch (s->kind) {
    case WF_SAMPLE_ZERO: return 0;
    case WF_SAMPLE_FIXED: return s->a;
    case WF_SAMPLE_EXP: return -s->a * log1p(-uniform(r));
    case WF_SAMPLE_LOGNORMAL: return lognormal(r, s->a, s->b);
    case WF_SAMPLE_GAMMA: return gsl_ran_gamma(r, s->a, s->b);
    case WF_SAMPLE_WEIBULL: return gsl_ran_weibull(r, s->a, s->b);
    }
    return 0;
}

double wf_sample_residual(const wf_sampler *s, gsl_rng *r)
{
    double lb;
    switch (s->kind) {
    case WF_SAMPLE_ZERO: return 0;
    case WF_SAMPLE_EXP: return wf_sample(s, r); /* memoryless */
    case WF_SAMPLE_FIXED: lb = s->a; break;
    case WF_SAMPLE_LOGNORMAL: lb = lognormal(r, s->a + s->b * s->b, s->b); break;
    case WF_SAMPLE_GAMMA: lb = gsl_ran_gamma(r, s->a + 1, s->b); break;
    default: /* Weibull(scale a, shape b): ((X/a)^b) length-biased is Gamma(1 + 1/b, 1) */
        lb = s->a * pow(gsl_ran_gamma(r, 1 + 1 / s->b, 1), 1 / s->b);
        break;
    }
    return gsl_rng_uniform_pos(r) * lb;
}
