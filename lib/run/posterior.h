/* Runs that draw each replicate's parameters from a calibration's
 * posterior (wf_run_options.posterior): the hook of wf_run (run.c). */
#ifndef WF_RUN_POSTERIOR_H
#define WF_RUN_POSTERIOR_H

#include <stddef.h>
#include <stdint.h>

#include "params/config.h"
#include "results/results.h"
#include "winterflow.h"

/* The configurations [scenario][replicate] of n scenarios: scenario i with
 * the values of the particle replicate r draws (wf_calibration_pick, the
 * same for every scenario) set over it, and the draws to record. A
 * posterior key whose value differs between the scenarios, a key a
 * scenario does not have, or a configuration that fails to build is an
 * error (message in err). cfg0 is scenario 0's own configuration (the
 * shape every one must keep). */
wf_status wf_posterior_configs(const wf_calibration *post, const wf_scenario *const *scenarios, size_t n,
                               size_t reps, uint64_t seed, const wf_config *cfg0, wf_config ***out,
                               wf_post_draws **draws, char *err, size_t errlen);
/* Free what wf_posterior_configs made (all NULL is fine). */
void wf_posterior_configs_free(wf_config **cfg, size_t n, wf_post_draws *draws);

/* The keys of a design that the posterior also sets: the first, or NULL. */
const char *wf_posterior_conflict(const wf_calibration *post, const wf_design *d);

#endif
