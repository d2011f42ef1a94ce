/* The population maths of ABC-SMC (winterflow.h, section 8): weights,
 * moments, quantiles, the Gaussian perturbation kernel and its mixture
 * density. calibrate.c drives the generations; nothing here simulates. */
#ifndef WF_RUN_ABC_H
#define WF_RUN_ABC_H

#include <stddef.h>

#include "core/rng.h"

/* w / sum(w) into out (uniform when the sum is 0). */
void wf_abc_normalise(const double *w, size_t n, double *out);
/* The effective sample size of normalised weights, 1 / sum w^2. */
double wf_abc_ess(const double *wn, size_t n);
/* Weighted mean [K] and covariance [K][K] of theta [n][K]. */
void wf_abc_moments(const double *theta, const double *wn, size_t n, size_t K, double *mean, double *cov);
/* The weighted q-quantile of x[i * stride], i < n, with weights wn
 * (values that are NaN are skipped, their weight too): the smallest value
 * whose cumulative weight reaches q. NaN if nothing is left or out of
 * memory. */
double wf_abc_quantile(const double *x, size_t stride, const double *wn, size_t n, double q);

/* A Gaussian kernel N(0, S), S = 2 x the population's covariance (Beaumont
 * et al. 2009), with a floor of (1e-6 x the prior's width)^2 on the
 * diagonal so that a collapsed key keeps moving. */
typedef struct {
    size_t K;
    double *L;        /* [K][K] lower Cholesky factor of S */
    double log_norm;  /* -log((2 pi)^(K/2) det(S)^(1/2)) */
} wf_abc_kernel;

/* 0, or -1 when out of memory (or S is not positive definite even with
 * the floor). */
int wf_abc_kernel_make(wf_abc_kernel *k, const double *cov, size_t K, const double *width);
void wf_abc_kernel_free(wf_abc_kernel *k);

/* A new point: a particle chosen by weight, moved by the kernel, drawn
 * again while outside the box [lo, hi] (after 10000 tries, a point of the
 * prior). All draws from stream s. */
void wf_abc_propose(const wf_abc_kernel *k, const double *theta, const double *wn, size_t n, const double *lo,
                    const double *hi, wf_stream *s, double *out);
/* log(prior density / the kernel mixture's density at x), the mixture over
 * the particles theta with normalised weights wn. work: room for n. */
double wf_abc_log_weight(const wf_abc_kernel *k, const double *theta, const double *wn, size_t n, const double *x,
                         double log_prior, double *work);

#endif
