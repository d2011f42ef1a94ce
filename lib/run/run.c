/* Runs: scenarios x replicates on OpenMP threads. Each task is one
 * replicate of one scenario, simulated by one thread into its own slots of
 * the results, with streams keyed by (seed, replicate): the results do not
 * depend on the thread count or the schedule. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim.h"
#include "params/params.h"
#include "results/results.h"

wf_run_options wf_run_defaults(void)
{
    wf_run_options o;
    memset(&o, 0, sizeof o);
    o.seed = -1;
    return o;
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

wf_status wf_run(wf_results *r, const wf_scenario *const *scenarios, size_t n, const wf_run_options *opt)
{
    if (!r) return WF_EINVAL;
    r->err[0] = 0;
    wf_run_options o = opt ? *opt : wf_run_defaults();
    if (!scenarios || n == 0) {
        snprintf(r->err, sizeof r->err, "no scenarios to run");
        return WF_EINVAL;
    }
    if (o.replicates < 0 || o.threads < 0) {
        snprintf(r->err, sizeof r->err, "replicates and threads must not be negative");
        return WF_EINVAL;
    }
    wf_config **cfg = calloc(n, sizeof *cfg);
    if (!cfg) return WF_ENOMEM;
    wf_status st = WF_OK;
    for (size_t i = 0; i < n && st == WF_OK; i++) {
        char msg[sizeof r->err - 64];
        if (!scenarios[i]) {
            snprintf(r->err, sizeof r->err, "scenario %zu is NULL", i);
            st = WF_EINVAL;
        } else if ((st = wf_config_build(scenarios[i], &cfg[i], msg, sizeof msg)) != WF_OK) {
            snprintf(r->err, sizeof r->err, "%s", msg);
        } else if (cfg[i]->n_hospitals == 0 || cfg[i]->n_localities == 0) {
            snprintf(r->err, sizeof r->err, "%s: a scenario needs at least one hospital and one locality",
                     cfg[i]->name && cfg[i]->name[0] ? cfg[i]->name : "scenario");
            st = WF_EINVAL;
        } else if (i > 0) {
            const char *what = shape_mismatch(cfg[0], cfg[i]);
            if (what) {
                snprintf(r->err, sizeof r->err,
                         "scenario %zu differs from scenario 0 in %s: scenarios run together must be "
                         "configurations of one system",
                         i, what);
                st = WF_EINVAL;
            }
        }
    }
    size_t reps = o.replicates > 0 ? (size_t)o.replicates : (st == WF_OK ? (size_t)cfg[0]->replicates : 0);
    uint64_t seed = o.seed >= 0 ? (uint64_t)o.seed : (st == WF_OK ? cfg[0]->seed : 0);
    if (st == WF_OK) st = wf_results_shape(r, cfg[0], (const wf_config *const *)cfg, n, reps);
    if (st == WF_OK) {
        r->seed = (int64_t)seed;
        int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
        r->threads = threads;
        size_t tasks = n * reps, done = 0;
        size_t acc_n = wf_sim_acc_size(cfg[0]);
        int cancelled = 0, failed = 0;
        char fail_msg[256] = "";
#pragma omp parallel num_threads(threads)
        {
            double *acc = malloc(acc_n * sizeof *acc);
            if (!acc) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for schedule(dynamic, 1)
            for (size_t t = 0; t < tasks; t++) {
                int stop;
#pragma omp atomic read
                stop = cancelled;
                int bad;
#pragma omp atomic read
                bad = failed;
                if (stop || bad || !acc) continue;
                size_t sc = t % n, rep = t / n;
                char msg[256];
                if (wf_sim_run(cfg[sc], seed, (int)rep, acc, msg, sizeof msg) != WF_OK) {
#pragma omp critical(wf_run_fail)
                    {
                        failed = 1;
                        snprintf(fail_msg, sizeof fail_msg, "%s", msg);
                    }
                    continue;
                }
                wf_results_store(r, sc, rep, acc);
#pragma omp critical(wf_run_progress)
                {
                    done++;
                    if (o.progress && o.progress(o.user, done, tasks)) cancelled = 1;
                }
            }
            free(acc);
        }
        if (failed) {
            snprintf(r->err, sizeof r->err, "%s", fail_msg[0] ? fail_msg : "out of memory");
            st = WF_ENOMEM;
        } else if (cancelled) {
            snprintf(r->err, sizeof r->err, "run cancelled after %zu of %zu replicates", done, tasks);
            st = WF_ECANCELLED;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (cfg[i]) wf_config_free(cfg[i]);
    free(cfg);
    if (st != WF_OK && st != WF_ECANCELLED) wf_results_clear(r);
    return st;
}
