/* What the library's own drivers need of a run beyond wf_run (run.c). */
#ifndef WF_RUN_RUN_H
#define WF_RUN_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "winterflow.h"

/* wf_run, with scenario i's streams keyed by seeds[i] instead of the one
 * seed of the options: independent randomness for each scenario (a
 * calibration's points, calibrate.c). */
wf_status wf_run_seeds(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt,
                       const uint64_t *seeds);

#endif
