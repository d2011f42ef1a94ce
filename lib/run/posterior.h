/* Runs that draw each replicate's parameters from a calibration's
 * posterior (wf_run_options.posterior): the hook of wf_run (run.c). */
#ifndef WF_RUN_POSTERIOR_H
#define WF_RUN_POSTERIOR_H

#include <stddef.h>
#include <stdint.h>

#include "params/config.h"
#include "results/results.h"
#include "winterflow.h"

/* Can these scenarios run over the posterior? A posterior key whose value
 * differs between the scenarios, or a key a scenario does not have, is an
 * error (message in err). */
wf_status wf_posterior_check(const wf_calibration *post, const wf_scenario *const *scenarios, size_t n, char *err,
                             size_t errlen);
/* The draws of replicates rep_first .. rep_first + reps - 1 of a run with
 * this seed, to record (NULL when out of memory). */
wf_post_draws *wf_posterior_draws(const wf_calibration *post, size_t rep_first, size_t reps, uint64_t seed);
/* The configurations [scenario][replicate] of n scenarios for replicates
 * rep_first .. rep_first + reps - 1 of a run: scenario i with the values of
 * the particle replicate r draws (wf_calibration_pick, the same for every
 * scenario) set over it, and those replicates' draws. What
 * wf_posterior_check refuses, or a configuration that fails to build, is
 * an error (message in err). A block of replicates (a task spread over MPI
 * ranks) gets the configurations of those replicates in the whole run. */
wf_status wf_posterior_configs(const wf_calibration *post, const wf_scenario *const *scenarios, size_t n,
                               size_t rep_first, size_t reps, uint64_t seed, wf_config ***out,
                               wf_post_draws **draws, char *err, size_t errlen);
/* Free what wf_posterior_configs made (all NULL is fine). */
void wf_posterior_configs_free(wf_config **cfg, size_t n, wf_post_draws *draws);

/* The keys of a design that the posterior also sets: the first, or NULL. */
const char *wf_posterior_conflict(const wf_calibration *post, const wf_design *d);

#endif
