/* Runs over the ranks of an MPI job (spread.h). The tasks: as many
 * replicates as wf_farm_task_units says (farm.h). A scenario whose replicates make one task or more runs
 * as blocks of replicates (a comparison of two configurations still uses
 * every rank); otherwise a task is several whole scenarios. */
#include "run/spread.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "results/results.h"
#include "run/farm.h"
#include "run/mpi.h"
#include "run/run.h"

typedef struct {
    const wf_spread *sp;
    wf_rect *tasks;
    size_t n_tasks;
    size_t done;  /* replicates arrived (rank 0's calling thread only) */
} job;

/* ---- the tasks -------------------------------------------------------------- */

static size_t plan(void *user, int ranks, const int *threads)
{
    job *j = user;
    const wf_spread *sp = j->sp;
    size_t u = wf_farm_task_units(sp->n * sp->reps, ranks, threads, NULL);
    size_t per_point = u / sp->reps, blocks = 1;
    if (!per_point) {
        per_point = 1;
        blocks = (sp->reps + u - 1) / u;
    }
    size_t n = blocks > 1 ? sp->n * blocks : (sp->n + per_point - 1) / per_point;
    free(j->tasks);
    j->n_tasks = 0;
    if (!(j->tasks = calloc(n + 1, sizeof *j->tasks))) return 0;  /* farm_run: an empty plan */
    for (size_t i = 0, p = sp->first; p < sp->first + sp->n;) {
        if (blocks > 1) {
            /* equal blocks, the first reps % blocks one longer */
            for (size_t b = 0, at = 0; b < blocks; b++) {
                size_t k = sp->reps / blocks + (b < sp->reps % blocks);
                j->tasks[i++] = (wf_rect){p, 1, at, k};
                at += k;
            }
            p++;
        } else {
            size_t k = sp->first + sp->n - p < per_point ? sp->first + sp->n - p : per_point;
            j->tasks[i++] = (wf_rect){p, k, 0, sp->reps};
            p += k;
        }
    }
    j->n_tasks = n;
    return n;
}

static wf_status input(void *user, size_t task, wf_buf *in, char *err, size_t errlen)
{
    job *j = user;
    (void)err, (void)errlen;
    return wf_buf_put(in, &j->tasks[task], sizeof(wf_rect)) ? WF_ENOMEM : WF_OK;
}

static wf_status compute(void *user, size_t task, const unsigned char *in, size_t in_len, wf_buf *out,
                         wf_cancel *cancel, char *err, size_t errlen)
{
    job *j = user;
    const wf_spread *sp = j->sp;
    wf_rect t;
    if (in_len == sizeof t) {
        memcpy(&t, in, sizeof t);
    } else if (!in && task < j->n_tasks) {  /* one process: no input travels */
        t = j->tasks[task];
    } else {
        snprintf(err, errlen, "task %zu: a task of %zu bytes, not a task", task + 1, in_len);
        return WF_EINVAL;
    }
    if (t.n == 0 || t.reps == 0 || t.rep_first + t.reps > sp->reps) {
        snprintf(err, errlen, "task %zu: replicates %llu.. of %zu", task + 1, (unsigned long long)t.rep_first,
                 sp->reps);
        return WF_EINVAL;
    }
    wf_status st;
    wf_scenario **list = sp->scenarios(sp->user, (size_t)t.first, (size_t)t.n, &st, err, errlen);
    if (!list) return st;
    wf_results *r = wf_results_create();
    wf_run_options o = sp->run;
    o.cancel = cancel;
    o.progress = NULL;
    o.mpi = NULL;
    o.event_log = 0;
    st = r ? wf_run_block(r, (const wf_scenario *const *)list, (size_t)t.n, &o, (size_t)t.rep_first,
                          (size_t)t.reps)
           : WF_ENOMEM;
    if (st == WF_OK) st = wf_results_pack(r, (size_t)t.rep_first, sp->stored, out);
    if (st != WF_OK) snprintf(err, errlen, "%s", r && r->err[0] ? r->err : wf_status_str(st));
    wf_results_destroy(r);
    sp->drop(sp->user, list, (size_t)t.n);
    return st;
}

static wf_status consume(void *user, size_t task, wf_buf *out, char *err, size_t errlen)
{
    job *j = user;
    return j->sp->take(j->sp->user, &j->tasks[task], out, err, errlen);
}

static int arrived(void *user, size_t task)
{
    job *j = user;
    const wf_spread *sp = j->sp;
    j->done += (size_t)(j->tasks[task].n * j->tasks[task].reps);
    return sp->run.progress && sp->run.progress(sp->run.user, sp->done_before + j->done, sp->total);
}

wf_status wf_spread_tasks(const wf_spread *sp, char *err, size_t errlen)
{
    job j = {sp, NULL, 0, 0};
    wf_farm f = {plan, input, compute, consume, arrived, &j, wf_run_threads(&sp->run), sp->run.cancel, 0};
    wf_status st = wf_farm_run(sp->mpi, &f, err, errlen);
    if (st == WF_OK && wf_mpi_rank(sp->mpi) == 0 && sp->n && !j.tasks) {
        snprintf(err, errlen, "out of memory planning the tasks");
        st = WF_ENOMEM;
    }
    free(j.tasks);
    return st;
}

/* ---- wf_run ------------------------------------------------------------------------ */

typedef struct {
    const wf_scenario *const *scenarios;
    wf_results *r;
} run_user;

static wf_scenario **run_scenarios(void *user, size_t first, size_t n, wf_status *st, char *err, size_t errlen)
{
    run_user *u = user;
    (void)n, (void)err, (void)errlen;
    *st = WF_OK;
    /* wf_run_block only reads them */
    return (wf_scenario **)(uintptr_t)(u->scenarios + first);
}

static void run_drop(void *user, wf_scenario **list, size_t n) { (void)user, (void)list, (void)n; }

static wf_status run_take(void *user, const wf_rect *t, wf_buf *packed, char *err, size_t errlen)
{
    run_user *u = user;
    return wf_results_unpack(u->r, (size_t)t->first, packed->data, packed->len, err, errlen);
}

wf_status wf_spread_run(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *o)
{
    if (o->event_log) {
        snprintf(r->err, sizeof r->err, "the event log is kept by a run on one process only, not by one spread "
                 "over the ranks of an MPI job");
        return WF_EINVAL;
    }
    int root = wf_mpi_rank(o->mpi) == 0;
    wf_status st = WF_OK;
    if (root) st = wf_run_shape(r, scenarios, n, o);
    else wf_results_clear(r);
    if (st != WF_OK) {
        /* the other ranks are at the farm: every rank checks the same
         * scenarios, so only a rank's own trouble (memory) gets here */
        return st;
    }
    run_user u = {scenarios, r};
    wf_spread sp = {0, n, (size_t)o->replicates, 0, n * (size_t)o->replicates, 0, *o, o->mpi, run_scenarios,
                    run_drop, run_take, &u};
    r->events = 0;
    st = wf_spread_tasks(&sp, r->err, sizeof r->err);
    if (!root) wf_results_clear(r);
    return st;
}
