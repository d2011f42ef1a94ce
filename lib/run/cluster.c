/* One replicate of a cluster whose regions exchange patients (systems
 * joined only by patients crossing a boundary; lib/model/exchange.c): the
 * regions advance a day at a time as OpenMP tasks, and between days the
 * driver delivers their messages and merges what each recorded for the
 * others' organisations, always in region order. So any thread may run any
 * region on any day and the numbers stay the same. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "run/cluster.h"

wf_status wf_run_cluster(const wf_config *cfg, const wf_plan *plan, int cluster, uint64_t seed, int replicate,
                         double *acc, wf_logbuf *logs, uint64_t *events, char *err, size_t errlen)
{
    int first = plan->first[cluster], k = plan->first[cluster + 1] - first, n = plan->n_orgs;
    wf_sim *sims = calloc((size_t)k, sizeof *sims);
    wf_sim_store *stores = calloc((size_t)k, sizeof *stores);
    int failed = !sims || !stores, opened = 0;
    for (; !failed && opened < k; opened++) {
        int r = first + opened;
        if (wf_sim_open(&sims[opened], &stores[opened], cfg, plan->active + (size_t)r * n, plan, r, seed, replicate,
                        acc, logs ? &logs[opened] : NULL))
            failed = 1;
    }
    double t_start = -(double)cfg->warmup_days, t_end = cfg->days;
    for (double day = floor(t_start) + 1; !failed; day++) {
        double until = day < t_end ? day : t_end;
#pragma omp taskloop grainsize(1) default(shared)
        for (int i = 0; i < k; i++) wf_sim_advance(&sims[i], until);
        for (int i = 0; i < k; i++) failed |= sims[i].failed;
        if (failed || until >= t_end) break;
        /* between days: messages in region order, each region's in the
         * order it sent them; then the closed day's rows */
        for (int i = 0; i < k && !failed; i++) {
            for (size_t j = 0; j < sims[i].out.n && !failed; j++) {
                const wf_msg *m = &sims[i].out.v[j];
                if (wf_sim_deliver(&sims[m->to - first], m)) failed = 1;
            }
            sims[i].out.n = 0;
        }
        for (int i = 0; i < k; i++) wf_sim_merge(&sims[i], (int)day - 1);
    }
    if (!failed) {
        for (int i = 0; i < k; i++) wf_sim_finish(&sims[i]);
        for (int i = 0; i < k; i++) wf_sim_merge(&sims[i], cfg->days - 1);
    }
    uint64_t total = 0;
    for (int i = 0; i < opened; i++) {
        total += sims[i].events;
        wf_sim_close(&sims[i], &stores[i]);
        wf_sim_store_free(&stores[i]);
    }
    free(sims);
    free(stores);
    if (events) *events = total;
    if (failed && err && errlen) snprintf(err, errlen, "replicate %d: out of memory", replicate);
    return failed ? WF_ENOMEM : WF_OK;
}
