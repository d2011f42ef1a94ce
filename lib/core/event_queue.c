#include "core/event_queue.h"

#include <math.h>
#include <stdlib.h>

#define FIRST_BIT (UINT64_C(1) << 63)

static inline bool before(const wf_event *x, const wf_event *y)
{
    return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

int wf_eq_init(wf_event_queue *q, size_t cap, double t0, int days)
{
    *q = (wf_event_queue){0};
    q->cap = cap < 16 ? 16 : cap;
    q->t0 = t0;
    q->n_buckets = days > 0 ? days : 0;
    q->heap = malloc(q->cap * sizeof *q->heap);
    q->buckets = calloc((size_t)q->n_buckets + 1, sizeof *q->buckets);
    q->spare = calloc((size_t)q->n_buckets + 1, sizeof *q->spare);
    if (!q->heap || !q->buckets || !q->spare) {
        wf_eq_free(q);
        return -1;
    }
    return 0;
}

void wf_eq_free(wf_event_queue *q)
{
    for (int i = 0; q->buckets && i <= q->n_buckets; i++) free(q->buckets[i].ev);
    for (int i = 0; q->spare && i < q->n_spare; i++) free(q->spare[i].ev);
    free(q->buckets);
    free(q->spare);
    free(q->heap);
    *q = (wf_event_queue){0};
}

int wf_eq_reset(wf_event_queue *q, double t0, int days)
{
    if (!q->heap || q->n_buckets != (days > 0 ? days : 0)) {
        size_t cap = q->cap;
        wf_eq_free(q);
        return wf_eq_init(q, cap, t0, days);
    }
    /* Every storage array is in a bucket or spare, and there are never more
     * than n_buckets + 1 of them, so spare can take them all. */
    for (int i = 0; i <= q->n_buckets; i++) {
        if (q->buckets[i].ev) {
            q->buckets[i].n = 0;
            q->spare[q->n_spare++] = q->buckets[i];
            q->buckets[i] = (wf_event_bucket){0};
        }
    }
    q->n = 0;
    q->next_seq = 0;
    q->t0 = t0;
    q->cur = 0;
    return 0;
}

static int heap_push(wf_event_queue *q, const wf_event *e)
{
    if (q->n == q->cap) {
        wf_event *h = realloc(q->heap, 2 * q->cap * sizeof *h);
        if (!h) return -1;
        q->heap = h;
        q->cap *= 2;
    }
    size_t i = q->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(e, &q->heap[p])) break;
        q->heap[i] = q->heap[p];
        i = p;
    }
    q->heap[i] = *e;
    return 0;
}

/* The start of bucket k: the one formula both placing and releasing use,
 * so that no rounding can put an event in a bucket released too late. */
static inline double bucket_start(const wf_event_queue *q, int k)
{
    return q->t0 + k;
}

/* The bucket of time t: a day in [0, n_buckets), n_buckets for
 * times beyond the window, or -1 for the heap (before the released
 * buckets, or a plain heap). */
static int bucket_of(const wf_event_queue *q, double t)
{
    if (q->n_buckets == 0) return -1;
    /* an estimate, then corrected against bucket_start */
    double x = t - q->t0;
    int k;
    if (!(x >= 0)) {
        k = t >= q->t0 ? 0 : -1; /* NaN: the heap */
    } else if (x >= q->n_buckets) {
        k = t < bucket_start(q, q->n_buckets) ? q->n_buckets - 1 : q->n_buckets;
    } else {
        k = (int)x;
        if (t < bucket_start(q, k)) k--;
        else if (t >= bucket_start(q, k + 1)) k++;
    }
    return k >= q->cur ? k : -1;
}

int wf_eq_push(wf_event_queue *q, double t, uint32_t type, int32_t a, uint32_t b, uint32_t c, bool first)
{
    /* Ordinary events carry the top bit so that `first` events sort ahead
     * of them at equal times. */
    wf_event e = {t, q->next_seq++ | (first ? 0 : FIRST_BIT), type, a, b, c};
    int k = bucket_of(q, t);
    if (k < 0) return heap_push(q, &e);
    wf_event_bucket *bk = &q->buckets[k];
    if (bk->n == bk->cap) {
        if (!bk->ev && q->n_spare > 0) {
            *bk = q->spare[--q->n_spare];
        } else {
            size_t cap = bk->cap ? 2 * bk->cap : 64;
            wf_event *ev = realloc(bk->ev, cap * sizeof *ev);
            if (!ev) return -1;
            bk->ev = ev;
            bk->cap = cap;
        }
    }
    bk->ev[bk->n++] = e;
    return 0;
}

bool wf_eq_ready(wf_event_queue *q)
{
    /* Every event before bucket `cur` is in the heap; bring in bucket
     * `cur` whenever the heap has nothing earlier than its start. The last
     * bucket holds everything beyond the window, which no run reaches: it
     * stays out of the heap until the rest is spent. */
    while (q->cur <= q->n_buckets && (q->n == 0 || q->heap[0].t >= bucket_start(q, q->cur))) {
        wf_event_bucket *bk = &q->buckets[q->cur++];
        for (size_t i = 0; i < bk->n; i++)
            if (heap_push(q, &bk->ev[i])) return q->n > 0;
        if (bk->ev) {
            bk->n = 0;
            q->spare[q->n_spare++] = *bk;
            *bk = (wf_event_bucket){0};
        }
    }
    return q->n > 0;
}

/* Bottom-up: the hole at the root goes down to a leaf along the smaller
 * children (one comparison a level), then the last event climbs back from
 * there, which is usually at once, as it is among the latest. About half
 * the comparisons of the textbook sift-down, whose branches the processor
 * cannot predict; the order of the events is the same. */
void wf_eq_pop(wf_event_queue *q, wf_event *out)
{
    *out = q->heap[0];
    size_t n = --q->n, i = 0;
    if (n == 0) return;
    wf_event last = q->heap[n];
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= n) break;
        size_t m = (l + 1 < n && before(&q->heap[l + 1], &q->heap[l])) ? l + 1 : l;
        q->heap[i] = q->heap[m];
        i = m;
    }
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&last, &q->heap[p])) break;
        q->heap[i] = q->heap[p];
        i = p;
    }
    q->heap[i] = last;
}
