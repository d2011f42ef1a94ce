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
 *   u64 stored: 1 when the daily chunks follow in their stored form,
 *   f64 daily[scenario][metric][replicate][day][org],
 *   f64 summary[scenario][metric][replicate][org],
 *   when stored: u32 length[scenario][metric][replicate], then the chunks'
 *   bytes end to end (stored.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/metrics.h"
#include "results/results.h"
#include "results/stored.h"

#define PACK_VERSION 2u

typedef struct {
    char magic[4];
    uint32_t order, version, metrics;
    uint64_t scen, rep, rep_first, days, orgs, events, stored;
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

/* The stored form of every daily chunk of r: lengths, then bytes. */
static wf_status pack_stored(const wf_results *r, wf_buf *out)
{
    size_t n = r->n_scen * WF_NMETRIC * r->n_rep, at = out->len, row = r->n_days * r->n_orgs;
    if (wf_buf_reserve(out, n * sizeof(uint32_t))) return WF_ENOMEM;
    out->len += n * sizeof(uint32_t);
    for (size_t i = 0; i < n; i++) {
        size_t before = out->len;
        if (wf_stored_encode(r->daily + i * row, row, out)) return WF_ENOMEM;
        uint32_t len = (uint32_t)(out->len - before);
        memcpy(out->data + at + i * sizeof len, &len, sizeof len);
    }
    return WF_OK;
}

wf_status wf_results_pack(const wf_results *r, size_t rep_first, int stored, wf_buf *out)
{
    pack_head h = {{'W', 'F', 'p', 'k'}, 0x01020304u, PACK_VERSION, WF_NMETRIC, r->n_scen, r->n_rep,
                   rep_first, r->n_days, r->n_orgs, r->events, stored && wf_stored_available()};
    size_t nd, ns, bytes;
    if (block_sizes(h.rep, h.days, h.orgs, &nd, &ns) || __builtin_mul_overflow(nd + ns, r->n_scen, &bytes) ||
        __builtin_mul_overflow(bytes, sizeof(double), &bytes))
        return WF_ENOMEM;
    if (wf_buf_reserve(out, sizeof h + bytes)) return WF_ENOMEM;
    wf_buf_put(out, &h, sizeof h);
    wf_buf_put(out, r->daily, nd * r->n_scen * sizeof(double));
    wf_buf_put(out, r->summary, ns * r->n_scen * sizeof(double));
    return h.stored ? pack_stored(r, out) : WF_OK;
}

/* Take the stored chunks that follow the numbers into dst's stored form. */
static wf_status unpack_stored(wf_results *dst, size_t scen_first, const pack_head *h, const unsigned char *p,
                               size_t len, char *err, size_t errlen)
{
    size_t n = (size_t)(h->scen * WF_NMETRIC * h->rep), all = dst->n_scen * WF_NMETRIC * dst->n_rep;
    if (len < n * sizeof(uint32_t)) {
        snprintf(err, errlen, "packed results: %zu bytes for %zu stored chunks' lengths", len, n);
        return WF_EINVAL;
    }
    if (!dst->stored) {
        dst->stored = calloc(dst->n_scen, sizeof *dst->stored);
        dst->stored_off = calloc(all, sizeof *dst->stored_off);
        dst->stored_len = calloc(all, sizeof *dst->stored_len);
        if (!dst->stored || !dst->stored_off || !dst->stored_len) return WF_ENOMEM;
    }
    const unsigned char *bytes = p + n * sizeof(uint32_t), *end = p + len;
    for (size_t s = 0, i = 0; s < h->scen; s++) {
        wf_buf *b = &dst->stored[scen_first + s];
        for (size_t m = 0; m < WF_NMETRIC; m++)
            for (size_t k = 0; k < h->rep; k++, i++) {
                uint32_t l;
                memcpy(&l, p + i * sizeof l, sizeof l);
                if (l < 4 || (size_t)(end - bytes) < l) {
                    snprintf(err, errlen, "packed results: stored chunk %zu of %zu runs past the end", i + 1, n);
                    return WF_EINVAL;
                }
                size_t at = ((scen_first + s) * WF_NMETRIC + m) * dst->n_rep + h->rep_first + k;
                dst->stored_off[at] = b->len;
                dst->stored_len[at] = l;
                if (wf_buf_put(b, bytes, l)) return WF_ENOMEM;
                bytes += l;
            }
    }
    if (bytes != end) {
        snprintf(err, errlen, "packed results: %zu bytes after the stored chunks", (size_t)(end - bytes));
        return WF_EINVAL;
    }
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
        __builtin_mul_overflow(bytes, sizeof(double), &bytes) || len - sizeof h < bytes ||
        (!h.stored && len - sizeof h != bytes)) {
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
    return h.stored ? unpack_stored(dst, scen_first, &h, p + sizeof h + bytes, len - sizeof h - bytes, err, errlen)
                    : WF_OK;
}
