#include "core/event_queue.h"

#include <stdlib.h>

#define FIRST_BIT (UINT64_C(1) << 63)

static inline bool before(const wf_event *x, const wf_event *y)
{
    return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

int wf_eq_init(wf_event_queue *q, size_t cap)
{
    q->n = 0;
    q->cap = cap < 16 ? 16 : cap;
    q->next_seq = 0;
    q->heap = malloc(q->cap * sizeof *q->heap);
    return q->heap ? 0 : -1;
}

void wf_eq_free(wf_event_queue *q)
{
    free(q->heap);
    q->heap = NULL;
    q->n = q->cap = 0;
}

int wf_eq_push(wf_event_queue *q, double t, uint32_t type, int32_t a, uint32_t b, uint32_t c, bool first)
{
    if (q->n == q->cap) {
        wf_event *h = realloc(q->heap, 2 * q->cap * sizeof *h);
        if (!h) return -1;
        q->heap = h;
        q->cap *= 2;
    }
    /* Ordinary events carry the top bit so that `first` events sort ahead
     * of them at equal times. */
    wf_event e = {t, q->next_seq++ | (first ? 0 : FIRST_BIT), type, a, b, c};
    size_t i = q->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&e, &q->heap[p])) break;
        q->heap[i] = q->heap[p];
        i = p;
    }
    q->heap[i] = e;
    return 0;
}

void wf_eq_pop(wf_event_queue *q, wf_event *out)
{
    *out = q->heap[0];
    wf_event last = q->heap[--q->n];
    size_t n = q->n, i = 0;
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= n) break;
        size_t m = (l + 1 < n && before(&q->heap[l + 1], &q->heap[l])) ? l + 1 : l;
        if (!before(&q->heap[m], &last)) break;
        q->heap[i] = q->heap[m];
        i = m;
    }
    if (n) q->heap[i] = last;
}
