/* Runs over the ranks of an MPI job (winterflow.h, section 8): scenarios x
 * replicates cut into tasks for the farm (farm.h), each computed by
 * wf_run_block on some rank and packed (lib/results/pack.c), then handed
 * in task order to rank 0's taker: wf_run unpacks them into its results,
 * a sweep keeps them and saves complete points (sweep.c). */
#ifndef WF_RUN_SPREAD_H
#define WF_RUN_SPREAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "winterflow.h"

/* A task: scenarios first .. first + n - 1, replicates rep_first ..
 * rep_first + reps - 1. Either whole scenarios (every replicate) or one
 * scenario's block of replicates; tasks go scenario by scenario, blocks in
 * replicate order. */
typedef struct wf_rect {
    uint64_t first, n, rep_first, reps;
} wf_rect;

typedef struct wf_spread {
    size_t first, n;        /* the scenarios to compute */
    size_t reps;            /* replicates of every scenario */
    size_t done_before;     /* replicates already done (progress counts over the whole job) */
    size_t total;           /* replicates of the whole job (progress) */
    int stored;             /* ranks encode daily series as the file stores them (a sweep) */
    /* The run: its replicates (all), seed, threads and the caller's
     * cancel flag and progress callback. mpi and event_log are not looked
     * at. */
    wf_run_options run;
    wf_mpi *mpi;
    /* The scenarios first .. first + n - 1, from any thread; NULL, with
     * the status and a message, on failure. Freed with drop. */
    wf_scenario **(*scenarios)(void *user, size_t first, size_t n, wf_status *st, char *err, size_t errlen);
    void (*drop)(void *user, wf_scenario **list, size_t n);
    /* Rank 0, in task order, one at a time: the packed results of task t
     * (wf_results_unpack reads them). May keep the bytes (take
     * packed->data, set it to NULL). */
    wf_status (*take)(void *user, const wf_rect *t, wf_buf *packed, char *err, size_t errlen);
    void *user;
} wf_spread;

/* Run it; the same status on every rank, the message in err. */
wf_status wf_spread_tasks(const wf_spread *sp, char *err, size_t errlen);

/* wf_run spread over the ranks of o->mpi (o: the options as taken, with
 * replicates and seed resolved). Rank 0 gets the results; the other ranks'
 * r is empty. */
wf_status wf_spread_run(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *o);

#endif
