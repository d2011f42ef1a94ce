/* Runs: scenarios x replicates on OpenMP threads. Each task is one
 * replicate of one scenario, simulated by one thread into its own slots of
 * the results, with streams keyed by (seed, replicate): the results do not
 * depend on the thread count or the schedule. */
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/options.h"
#include "model/sim.h"
#include "params/params.h"
#include "results/results.h"
#include "run/cancel.h"
#include "run/cluster.h"
#include "run/mpi.h"
#include "run/posterior.h"
#include "run/run.h"
#include "run/spread.h"

/* The first version of wf_run_options ended with event_log. */
#define RUN_OPTIONS_V1 (offsetof(wf_run_options, event_log) + sizeof(int))

static wf_run_options run_defaults(void)
{
    wf_run_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.seed = -1;
    return o;
}

wf_status wf_run_options_init(wf_run_options *o, size_t size)
{
    wf_run_options d = run_defaults();
    return wf_options_init(o, size, &d, sizeof d, RUN_OPTIONS_V1) ? WF_EINVAL : WF_OK;
}

/* Scenarios compared in one run must be configurations of one system. */
static const char *shape_mismatch(const wf_config *a, const wf_config *b)
{
    if (a->days != b->days) return "run.days";
    if (a->warmup_days != b->warmup_days) return "run.warmup_days";
    if (a->start_date != b->start_date) return "run.start_date";
    if (a->n_hospitals != b->n_hospitals) return "hospitals";
    if (a->n_localities != b->n_localities) return "localities";
    if (a->n_community != b->n_community) return "community";
    if (a->n_voluntary != b->n_voluntary) return "voluntary";
    for (int i = 0; i < a->n_hospitals; i++)
        if (strcmp(a->hospitals[i].name, b->hospitals[i].name)) return "hospitals";
    for (int i = 0; i < a->n_localities; i++)
        if (strcmp(a->localities[i].name, b->localities[i].name)) return "localities";
    for (int i = 0; i < a->n_community; i++)
        if (strcmp(a->community[i].name, b->community[i].name)) return "community";
    for (int i = 0; i < a->n_voluntary; i++)
        if (strcmp(a->voluntary[i].name, b->voluntary[i].name)) return "voluntary";
    return NULL;
}

/* One task is one cluster (see wf_plan) of one replicate of one scenario.
 * The clusters of a replicate add into one shared accumulator, stored into
 * the results by whichever task finishes the replicate last. */
typedef struct {
    uint32_t scen, rep, comp;
} task;

typedef struct {
    double *acc;
    wf_logbuf *logs;  /* one per region when keeping the event log */
    int remaining;
} rep_slot;

/* The replicate's log: its regions' logs end to end, in region order
 * whatever order they finished in. */
static wf_status keep_log(wf_results *r, const task *tk, rep_slot *slot, int ncomp)
{
    size_t n = 0;
    for (int k = 0; k < ncomp; k++) n += slot->logs[k].n;
    wf_log_record *all = malloc(sizeof *all * (n ? n : 1));
    if (!all) return WF_ENOMEM;
    size_t at = 0;
    for (int k = 0; k < ncomp; k++) {
        if (slot->logs[k].n) memcpy(all + at, slot->logs[k].v, sizeof *all * slot->logs[k].n);
        at += slot->logs[k].n;
        free(slot->logs[k].v);
    }
    free(slot->logs);
    slot->logs = NULL;
    return wf_results_keep_log(r, tk->scen, tk->rep, all, n);
}

int wf_run_threads(const wf_run_options *o) { return o->threads > 0 ? o->threads : omp_get_max_threads(); }

/* cfg holds `per` configurations per scenario: one, or with a posterior one
 * per replicate (posterior.c); CFG(sc, rep) is the one a task runs. */
#define CFG(sc, rep) ((size_t)(sc) * per + (per > 1 ? (size_t)(rep) : 0))
/* The seed of a scenario's streams: the run's, or its own (wf_run_seeds). */
#define SEED(sc) (seeds ? seeds[sc] : seed)

/* Replicates rep_first .. rep_first + reps - 1 of every scenario, into
 * replicates 0 .. reps - 1 of r (with a posterior, per = reps: cfg holds
 * those replicates' configurations). */
static wf_status run_tasks(wf_results *r, const wf_config *const *cfg, size_t per, size_t n, size_t rep_first,
                           size_t reps, uint64_t seed, const uint64_t *seeds, const wf_run_options *o)
{
    wf_status st = WF_OK;
    r->seed = (int64_t)seed;
    r->events = 0;
    int threads = wf_run_threads(o);
    r->threads = threads;
    size_t acc_n = wf_sim_acc_size(cfg[0]);
    wf_plan *plans = calloc(n * per, sizeof *plans);
    rep_slot *slots = calloc(n * reps + 1, sizeof *slots);
    size_t n_tasks = 0, n_plans = 0;
    if (!plans || !slots) st = WF_ENOMEM;
    for (size_t ci = 0; ci < n * per && st == WF_OK; ci++, n_plans++) {
        if (wf_plan_make(cfg[ci], &plans[ci])) {
            st = WF_ENOMEM;
            break;
        }
        n_tasks += (per > 1 ? 1 : reps) * (size_t)plans[ci].n_clusters;
    }
    task *tasks = st == WF_OK ? malloc(sizeof(task) * (n_tasks ? n_tasks : 1)) : NULL;
    if (st == WF_OK && !tasks) st = WF_ENOMEM;
    wf_sim_store *stores = calloc((size_t)threads, sizeof *stores); /* one per thread */
    if (st == WF_OK && !stores) st = WF_ENOMEM;
    if (st == WF_OK && o->event_log) st = wf_results_log_prepare(r);
    if (st == WF_OK) {
        /* replicate-major, so few replicates are in flight at once */
        size_t t = 0;
        for (size_t rep = 0; rep < reps; rep++)
            for (size_t sc = 0; sc < n; sc++)
                for (int k = 0; k < plans[CFG(sc, rep)].n_clusters; k++) tasks[t++] = (task){(uint32_t)sc, (uint32_t)rep, (uint32_t)k};
        size_t total = n * reps, done = 0;
        int cancelled = 0, failed = 0;
        char fail_msg[256] = "";
        /* Locks of this run, not named critical sections: those are one
         * process-wide mutex each (concurrent runs would wait on each
         * other) and global symbols (.gomp_critical_user_*) that a static
         * link would share with the program. */
        omp_lock_t slot_lock, fail_lock, progress_lock;
        omp_init_lock(&slot_lock);
        omp_init_lock(&fail_lock);
        omp_init_lock(&progress_lock);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (size_t t = 0; t < n_tasks; t++) {
            int stop;
#pragma omp atomic read
            stop = cancelled;
            int bad;
#pragma omp atomic read
            bad = failed;
            if (stop || bad || wf_cancel_requested(o->cancel)) continue;
            task tk = tasks[t];
            size_t ci = CFG(tk.scen, tk.rep);
            rep_slot *slot = &slots[(size_t)tk.scen * reps + tk.rep];
            double *acc;
            omp_set_lock(&slot_lock);
            if (!slot->acc && !slot->remaining) {
                slot->acc = calloc(acc_n + 1, sizeof(double));
                if (o->event_log) slot->logs = calloc((size_t)plans[ci].n_regions, sizeof *slot->logs);
                slot->remaining = plans[ci].n_clusters;
            }
            acc = slot->acc;
            if (o->event_log && !slot->logs) acc = NULL;
            omp_unset_lock(&slot_lock);
            char msg[256];
            const wf_plan *pl = &plans[ci];
            int first = pl->first[tk.comp], n_reg = pl->first[tk.comp + 1] - first;
            wf_logbuf *log = o->event_log && acc ? &slot->logs[first] : NULL;
            uint64_t n_events = 0;
            wf_status rst = WF_ENOMEM;
            if (acc && n_reg == 1)
                rst = wf_sim_run(&stores[omp_get_thread_num()], cfg[ci], pl->active + (size_t)first * pl->n_orgs, SEED(tk.scen),
                                 (int)(rep_first + tk.rep), acc, log, &n_events, msg, sizeof msg);
            else if (acc)
                rst = wf_run_cluster(cfg[ci], pl, (int)tk.comp, SEED(tk.scen), (int)(rep_first + tk.rep), acc, log,
                                     &n_events, msg, sizeof msg);
            if (rst != WF_OK) {
                omp_set_lock(&fail_lock);
#pragma omp atomic write
                failed = 1;
                snprintf(fail_msg, sizeof fail_msg, "%s", acc ? msg : "out of memory");
                omp_unset_lock(&fail_lock);
                continue;
            }
#pragma omp atomic
            r->events += n_events;
            omp_set_lock(&slot_lock);
            int left = --slot->remaining;
            omp_unset_lock(&slot_lock);
            if (left == 0) {
                wf_results_store(r, tk.scen, tk.rep, acc);
                free(acc);
                slot->acc = NULL;
                if (o->event_log && keep_log(r, &tk, slot, plans[ci].n_regions) != WF_OK) {
#pragma omp atomic write
                    failed = 1;
                }
                omp_set_lock(&progress_lock);
                done++;
                if (o->progress && o->progress(o->user, done, total)) {
#pragma omp atomic write
                    cancelled = 1;
                }
                omp_unset_lock(&progress_lock);
            }
        }
        omp_destroy_lock(&slot_lock);
        omp_destroy_lock(&fail_lock);
        omp_destroy_lock(&progress_lock);
        /* a replicate stopped by the cancel flag ends as if it had failed */
        if (wf_cancel_requested(o->cancel)) cancelled = 1, failed = 0;
        if (failed) {
            snprintf(r->err, sizeof r->err, "%s", fail_msg[0] ? fail_msg : "out of memory");
            st = WF_ENOMEM;
        } else if (cancelled) {
            snprintf(r->err, sizeof r->err, "run cancelled after %zu of %zu replicates", done, total);
            st = WF_ECANCELLED;
        }
    } else {
        snprintf(r->err, sizeof r->err, "out of memory planning the run");
    }
    for (size_t i = 0; slots && i < n * reps; i++) {
        free(slots[i].acc);
        for (int k = 0; slots[i].logs && k < plans[CFG(i / reps, i % reps)].n_regions; k++) free(slots[i].logs[k].v);
        free(slots[i].logs);
    }
    for (int i = 0; stores && i < threads; i++) wf_sim_store_free(&stores[i]);
    free(stores);
    for (size_t i = 0; i < n_plans; i++) wf_plan_free(&plans[i]);
    free(plans);
    free(slots);
    free(tasks);
    return st;
}

/* What every run does first: the options taken, every scenario built and
 * checked, the replicates and seed resolved. On failure the message is in
 * r->err and *cfg is freed. */
typedef struct {
    wf_run_options o;
    wf_config **cfg;
    size_t n, reps;
    uint64_t seed;
} prepared;

static void unprepare(prepared *p)
{
    for (size_t i = 0; p->cfg && i < p->n; i++)
        if (p->cfg[i]) wf_config_free(p->cfg[i]);
    free(p->cfg);
    p->cfg = NULL;
}

static wf_status prepare(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt,
                         prepared *p)
{
    memset(p, 0, sizeof *p);
    p->o = run_defaults();
    if (opt && wf_options_take(&p->o, sizeof p->o, opt, RUN_OPTIONS_V1)) {
        snprintf(r->err, sizeof r->err, "wf_run_options: not set up by wf_run_options_init, or from a newer "
                 "winterflow with options this library (%s) does not know", wf_version());
        return WF_EINVAL;
    }
    if (!scenarios || n == 0) {
        snprintf(r->err, sizeof r->err, "no scenarios to run");
        return WF_EINVAL;
    }
    if (p->o.replicates < 0 || p->o.threads < 0) {
        snprintf(r->err, sizeof r->err, "replicates and threads must not be negative");
        return WF_EINVAL;
    }
    if (!(p->cfg = calloc(n, sizeof *p->cfg))) return WF_ENOMEM;
    p->n = n;
    wf_status st = WF_OK;
    for (size_t i = 0; i < n && st == WF_OK; i++) {
        char msg[sizeof r->err - 64];
        if (!scenarios[i]) {
            snprintf(r->err, sizeof r->err, "scenario %zu is NULL", i);
            st = WF_EINVAL;
        } else if ((st = wf_config_build(scenarios[i], &p->cfg[i], msg, sizeof msg)) != WF_OK ||
                   (st = wf_config_runnable(scenarios[i], p->cfg[i], msg, sizeof msg)) != WF_OK) {
            snprintf(r->err, sizeof r->err, "%s", msg);
        } else if (i > 0) {
            const char *what = shape_mismatch(p->cfg[0], p->cfg[i]);
            if (what) {
                snprintf(r->err, sizeof r->err,
                         "scenario %zu differs from scenario 0 in %s: scenarios run together must be "
                         "configurations of one system",
                         i, what);
                st = WF_EINVAL;
            }
        }
    }
    if (st != WF_OK) {
        unprepare(p);
        return st;
    }
    for (size_t i = 0; i < n && p->o.cancel; i++) p->cfg[i]->cancel = &p->o.cancel->flag;
    p->reps = p->o.replicates > 0 ? (size_t)p->o.replicates : (size_t)p->cfg[0]->replicates;
    p->seed = p->o.seed >= 0 ? (uint64_t)p->o.seed : p->cfg[0]->seed;
    return WF_OK;
}

wf_status wf_run_shape(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt)
{
    prepared p;
    wf_status st = prepare(r, scenarios, n, opt, &p);
    if (st != WF_OK) return st;
    st = wf_results_shape(r, p.cfg[0], (const wf_config *const *)p.cfg, n, p.reps);
    r->seed = (int64_t)p.seed;
    r->threads = wf_run_threads(&p.o);
    /* the draws are the run's, whichever rank computes a replicate */
    if (st == WF_OK && p.o.posterior && !(r->post = wf_posterior_draws(p.o.posterior, 0, p.reps, p.seed))) {
        snprintf(r->err, sizeof r->err, "out of memory");
        st = WF_ENOMEM;
    }
    unprepare(&p);
    return st;
}

wf_status wf_run_block(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt,
                       size_t rep_first, size_t reps)
{
    prepared p;
    r->err[0] = 0;
    wf_status st = prepare(r, scenarios, n, opt, &p);
    if (st != WF_OK) return st;
    if (rep_first > p.reps || reps > p.reps - rep_first) {
        snprintf(r->err, sizeof r->err, "replicates %zu..%zu of a run of %zu", rep_first, rep_first + reps, p.reps);
        st = WF_EINVAL;
    }
    if (st == WF_OK) st = wf_results_shape(r, p.cfg[0], (const wf_config *const *)p.cfg, n, reps);
    /* a posterior: these replicates' configurations, as the whole run's */
    wf_config **post = NULL;
    wf_post_draws *draws = NULL;
    if (st == WF_OK && p.o.posterior)
        st = wf_posterior_configs(p.o.posterior, scenarios, n, rep_first, reps, p.seed, &post, &draws, r->err,
                                  sizeof r->err);
    for (size_t i = 0; post && i < n * reps; i++) post[i]->cancel = p.cfg[0]->cancel;
    if (st == WF_OK)
        st = post ? run_tasks(r, (const wf_config *const *)post, reps, n, rep_first, reps, p.seed, NULL, &p.o)
                  : run_tasks(r, (const wf_config *const *)p.cfg, 1, n, rep_first, reps, p.seed, NULL, &p.o);
    wf_posterior_configs_free(post, n * reps, draws);
    unprepare(&p);
    if (st != WF_OK && st != WF_ECANCELLED) wf_results_clear(r);
    r->complete = st == WF_OK;
    return st;
}

/* wf_run, and wf_run_seeds: scenario i's streams keyed by seeds[i]. */
static wf_status run_with(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt,
                          const uint64_t *seeds)
{
    if (!r) return WF_EINVAL;
    r->err[0] = 0;
    int64_t started = (int64_t)time(NULL);
    prepared p;
    wf_status st = prepare(r, scenarios, n, opt, &p);
    if (st != WF_OK) return st;
    if (wf_mpi_size(p.o.mpi) > 1 && seeds) {
        /* a calibration spreads its batches itself (spread_calibrate.c) */
        snprintf(r->err, sizeof r->err, "scenarios with seeds of their own are not spread over MPI ranks");
        unprepare(&p);
        st = WF_EINVAL;
    } else if (wf_mpi_size(p.o.mpi) > 1) {
        /* every rank runs a share; rank 0 gathers them (spread.c). A
         * posterior's trouble is found by every rank alike, before. */
        unprepare(&p);
        p.o.replicates = (int)p.reps;
        p.o.seed = (int64_t)p.seed;
        if (p.o.posterior) st = wf_posterior_check(p.o.posterior, scenarios, n, r->err, sizeof r->err);
        if (st == WF_OK) st = wf_spread_run(r, scenarios, n, &p.o);
    } else {
        st = wf_results_shape(r, p.cfg[0], (const wf_config *const *)p.cfg, n, p.reps);
        /* a posterior: one configuration per scenario and replicate */
        wf_config **post = NULL;
        wf_post_draws *draws = NULL;
        if (st == WF_OK && p.o.posterior)
            st = wf_posterior_configs(p.o.posterior, scenarios, n, 0, p.reps, p.seed, &post, &draws, r->err,
                                      sizeof r->err);
        if (st == WF_OK && post) {
            for (size_t i = 0; i < n * p.reps; i++) post[i]->cancel = p.cfg[0]->cancel;
            r->post = draws;
            draws = NULL;
        }
        if (st == WF_OK)
            st = post ? run_tasks(r, (const wf_config *const *)post, p.reps, n, 0, p.reps, p.seed, seeds, &p.o)
                      : run_tasks(r, (const wf_config *const *)p.cfg, 1, n, 0, p.reps, p.seed, seeds, &p.o);
        wf_posterior_configs_free(post, n * p.reps, draws);
        unprepare(&p);
    }
    if (st != WF_OK && st != WF_ECANCELLED) wf_results_clear(r);
    if (st == WF_OK || st == WF_ECANCELLED) {
        r->complete = st == WF_OK;  /* a cancelled run's results are partial */
        r->started = started;
        r->finished = (int64_t)time(NULL);
    }
    return st;
}

wf_status wf_run(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt)
{
    return run_with(r, scenarios, n, opt, NULL);
}

wf_status wf_run_seeds(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt,
                       const uint64_t *seeds)
{
    return run_with(r, scenarios, n, opt, seeds);
}
