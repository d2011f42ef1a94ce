/*
 * Duration samplers: a distribution given by kind, mean and coefficient of
 * variation, turned once into the parameters its GSL sampler needs (the
 * Weibull shape is solved from the cv numerically), so drawing is cheap.
 */
#ifndef WF_DIST_H
#define WF_DIST_H

#include <gsl/gsl_rng.h>

typedef enum { WF_SAMPLE_ZERO, WF_SAMPLE_FIXED, WF_SAMPLE_EXP, WF_SAMPLE_LOGNORMAL,
               WF_SAMPLE_GAMMA, WF_SAMPLE_WEIBULL } wf_sample_kind;

typedef struct {
    wf_sample_kind kind;
    double mean;
    double a, b;   /* kind-specific parameters */
} wf_sampler;

/* kind: 0 exponential, 1 lognormal, 2 gamma, 3 weibull, 4 fixed (the order
 * of wf_dist_kind). A zero mean gives a sampler that always returns 0. */
wf_sampler wf_sampler_make(int kind, double mean, double cv);
double wf_sample(const wf_sampler *s, gsl_rng *r);
/* The time left of a stay in progress, seen at a random moment of a steady
 * state (the stationary residual): a uniform share of a length-biased stay.
 * The length-biased forms are exact: exponential (the residual is a whole
 * stay), lognormal (mu + sigma^2), gamma (shape + 1), Weibull ((X/scale)^shape
 * becomes Gamma(1 + 1/shape)) and fixed. */
double wf_sample_residual(const wf_sampler *s, gsl_rng *r);

#endif
