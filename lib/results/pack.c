/* Packing: the values of a run's results as bytes that another process of
 * the same job adds into its own results (lib/run/spread.c: a rank computes
 * a task's replicates, the writing rank puts them in place). Only numbers
 * travel: names, dates and provenance are the receiver's own, built from
 * the same scenarios.
 *
 * Layout (the machine's own byte order and doubles; a job's ranks share
 * them, which the order word checks):
 *   "WFpk", u32 0x01020304, u32 version, u32 metrics,
 *   u64 scenarios, replicates, first replicate, days, organisations, events,
 *   f64 daily[scenario][metric][replicate][day][org],
 *   f64 summary[scenario][metric][replicate][org]. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "results/metrics.h"
#include "results/results.h"

#define PACK_VERSION 1u

typedef struct {
    char magic[4];
    uint32_t order, version, metrics;
    uint64_t scen, rep, rep_first, days, orgs, events;
} pack_head;

/* The number of doubles of one scenario's daily block and summary block,
 * or 0 on overflow. */
static int block_sizes(uint64_t rep, uint64_t days, uint64_t orgs, size_t *daily, size_t *summary)
{
    size_t a, b;
    if (__builtin_mul_overflow((size_t)WF_NMETRIC, (size_t)rep, &a) || __builtin_mul_overflow(a, (size_t)orgs, &b) ||
        __builtin_mul_overflow(b, (size_t)days, &a))
        return -1;
    *daily = a;
    *summary = b;
    return 0;
}

wf_status wf_results_pack(const wf_results *r, size_t rep_first, wf_buf *out)
{
    pack_head h = {{'W', 'F', 'p', 'k'}, 0x01020304u, PACK_VERSION, WF_NMETRIC, r->n_scen, r->n_rep,
                   rep_first, r->n_days, r->n_orgs, r->events};
    size_t nd, ns, bytes;
    if (block_sizes(h.rep, h.days, h.orgs, &nd, &ns) || __builtin_mul_overflow(nd + ns, r->n_scen, &bytes) ||
        __builtin_mul_overflow(bytes, sizeof(double), &bytes))
        return WF_ENOMEM;
    if (wf_buf_reserve(out, sizeof h + bytes)) return WF_ENOMEM;
    wf_buf_put(out, &h, sizeof h);
    wf_buf_put(out, r->daily, nd * r->n_scen * sizeof(double));
    wf_buf_put(out, r->summary, ns * r->n_scen * sizeof(double));
    return WF_OK;
}

wf_status wf_results_unpack(wf_results *dst, size_t scen_first, const unsigned char *p, size_t len, char *err,
                            size_t errlen)
{
    pack_head h;
    size_t nd = 0, ns = 0, bytes = 0;
    if (len < sizeof h) {
        snprintf(err, errlen, "packed results: %zu bytes, too short for a header", len);
        return WF_EINVAL;
    }
    memcpy(&h, p, sizeof h);
    if (memcmp(h.magic, "WFpk", 4) || h.order != 0x01020304u || h.version != PACK_VERSION ||
        h.metrics != WF_NMETRIC) {
        snprintf(err, errlen, "packed results: not from this version of winterflow on this kind of machine");
        return WF_EINVAL;
    }
    if (h.days != dst->n_days || h.orgs != dst->n_orgs || h.scen > dst->n_scen || scen_first > dst->n_scen - h.scen ||
        h.rep > dst->n_rep || h.rep_first > dst->n_rep - h.rep) {
        snprintf(err, errlen, "packed results: %llu scenarios x replicates %llu..%llu of %llu days x %llu "
                 "organisations do not fit scenarios %zu.. of results of %zu x %zu replicates of %zu x %zu",
                 (unsigned long long)h.scen, (unsigned long long)h.rep_first,
                 (unsigned long long)(h.rep_first + h.rep), (unsigned long long)h.days, (unsigned long long)h.orgs,
                 scen_first, dst->n_scen, dst->n_rep, dst->n_days, dst->n_orgs);
        return WF_EINVAL;
    }
    if (block_sizes(h.rep, h.days, h.orgs, &nd, &ns) || __builtin_mul_overflow(nd + ns, (size_t)h.scen, &bytes) ||
        __builtin_mul_overflow(bytes, sizeof(double), &bytes) || len - sizeof h != bytes) {
        snprintf(err, errlen, "packed results: %zu bytes where the header promises %zu", len - sizeof h, bytes);
        return WF_EINVAL;
    }
    /* The sender's [metric][replicate] blocks go to the receiver's rows
     * rep_first.. of each metric: one copy per scenario and metric. */
    size_t day_row = dst->n_days * dst->n_orgs, sum_row = dst->n_orgs;
    const unsigned char *daily = p + sizeof h, *summary = daily + nd * h.scen * sizeof(double);
    for (size_t s = 0; s < h.scen; s++)
        for (size_t m = 0; m < WF_NMETRIC; m++) {
            size_t to = ((scen_first + s) * WF_NMETRIC + m) * dst->n_rep + h.rep_first;
            size_t from = (s * WF_NMETRIC + m) * h.rep;
            memcpy(dst->daily + to * day_row, daily + from * day_row * sizeof(double), h.rep * day_row * sizeof(double));
            memcpy(dst->summary + to * sum_row, summary + from * sum_row * sizeof(double),
                   h.rep * sum_row * sizeof(double));
        }
    dst->events += h.events;
    return WF_OK;
}
