/* What the library's own drivers need of run.c beyond wf_run: the sweep,
 * the spreading of runs over MPI ranks, and calibration. */
#ifndef WF_RUN_RUN_H
#define WF_RUN_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "winterflow.h"

/* The threads a run with these options uses: o->threads, else OpenMP's
 * default. */
int wf_run_threads(const wf_run_options *o);

/* Replicates rep_first .. rep_first + reps - 1 of the run that wf_run would
 * make (same options), into replicates 0 .. reps - 1 of r: the same numbers
 * as that run's, as streams are keyed by replicate (and a posterior's
 * draws by replicate too). Never spread over ranks (o->mpi is not looked
 * at); the draws are not recorded (wf_run_shape records them). */
wf_status wf_run_block(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *o,
                       size_t rep_first, size_t reps);

/* Check the scenarios as wf_run does and shape r for all of the run's
 * replicates, every value unset, seed, threads and a posterior's draws
 * recorded: the results that the ranks' blocks are unpacked into. */
wf_status wf_run_shape(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *o);

/* wf_run, with scenario i's streams keyed by seeds[i] instead of the one
 * seed of the options: independent randomness for each scenario (a
 * calibration's points, calibrate.c). One process only. */
wf_status wf_run_seeds(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt,
                       const uint64_t *seeds);

#endif
