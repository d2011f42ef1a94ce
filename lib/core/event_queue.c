#include "core/event_queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_BIT (UINT64_C(1) << 63)

/* Give bucket bk's blocks back for reuse, leaving it empty. */
static void bucket_release(wf_event_queue *q, wf_event_bucket *bk)
{
    if (bk->head) {
        bk->tail->next = q->free_blocks;
        q->free_blocks = bk->head;
    }
    *bk = (wf_event_bucket){0};
}

/* Append e to bucket bk: 0, or -1 when no block could be had. */
static int bucket_append(wf_event_queue *q, wf_event_bucket *bk, const wf_event *e)
{
    size_t i = bk->n % WF_EQ_BLOCK;
    if (i == 0) {
        wf_event_block *b = q->free_blocks;
        if (b) q->free_blocks = b->next;
        else if (!(b = malloc(sizeof *b))) return -1;
        b->next = NULL;
        if (bk->tail) bk->tail->next = b;
        else bk->head = b;
        bk->tail = b;
    }
    bk->tail->ev[i] = *e;
    bk->n++;
    return 0;
}

/* How many events block b of bucket bk holds. */
static inline size_t block_len(const wf_event_bucket *bk, const wf_event_block *b)
{
    return b == bk->tail ? (bk->n - 1) % WF_EQ_BLOCK + 1 : WF_EQ_BLOCK;
}

int wf_eq_init(wf_event_queue *q, size_t cap, double t0, int days)
{
    *q = (wf_event_queue){0};
    q->cap = cap < 16 ? 16 : cap;
    q->t0 = t0;
    q->n_buckets = days > 0 ? days : 0;
    q->cur_start = t0;
    q->day_start = t0;
    q->part = WF_EQ_PARTS - 1;
    q->heap = malloc(q->cap * sizeof *q->heap);
    q->buckets = calloc((size_t)q->n_buckets + 1, sizeof *q->buckets);
    if (!q->heap || !q->buckets) {
        wf_eq_free(q);
        return -1;
    }
    return 0;
}

void wf_eq_free(wf_event_queue *q)
{
    for (int i = 0; q->buckets && i <= q->n_buckets; i++) bucket_release(q, &q->buckets[i]);
    for (int i = 0; i < WF_EQ_PARTS; i++) bucket_release(q, &q->parts[i]);
    while (q->free_blocks) {
        wf_event_block *b = q->free_blocks;
        q->free_blocks = b->next;
        free(b);
    }
    free(q->day);
    free(q->bins);
    free(q->buckets);
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
    for (int i = 0; i <= q->n_buckets; i++) bucket_release(q, &q->buckets[i]);
    for (int i = 0; i < WF_EQ_PARTS; i++) bucket_release(q, &q->parts[i]);
    q->n = 0;
    q->day_i = q->day_lim = 0;
    q->part = WF_EQ_PARTS - 1;
    q->next_seq = 0;
    q->t0 = t0;
    q->cur = 0;
    q->day_start = t0;
    q->cur_start = t0;
    return 0;
}

static int heap_reserve(wf_event_queue *q, size_t cap)
{
    if (cap <= q->cap) return 0;
    wf_event *h = realloc(q->heap, cap * sizeof *h);
    if (!h) return -1;
    q->heap = h;
    q->cap = cap;
    return 0;
}

/* Add e to the heap, which has room. */
static void heap_insert(wf_event_queue *q, const wf_event *e)
{
    size_t i = q->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!wf_eq_before(e, &q->heap[p])) break;
        q->heap[i] = q->heap[p];
        i = p;
    }
    q->heap[i] = *e;
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

/* The sorted day and the sort's bins take any bucket: they grow ahead of
 * the buckets, so that reaching a day allocates nothing (and cannot fail). */
static int day_reserve(wf_event_queue *q, size_t cap)
{
    if (cap <= q->day_cap) return 0;
    wf_event *d = realloc(q->day, cap * sizeof *d);
    if (!d) return -1;
    q->day = d;
    size_t *b = realloc(q->bins, (cap + 1) * sizeof *b);
    if (!b) return -1;
    q->bins = b;
    q->day_cap = cap;
    return 0;
}

/* Where an event at time t waits: a later part of the reached day, a
 * day's bucket, or NULL for the heap. *room: the n that the bucket may not
 * reach before storage grows (the heap for a part, the sorted day for a
 * day's bucket). */
static inline wf_event_bucket *bucket_for(wf_event_queue *q, double t, size_t *room)
{
    if (!(t >= q->cur_start)) {   /* the reached day, an earlier time, or NaN */
        /* the part as in the day's sort (bin_of), compared first as a
         * double so that earlier times and NaN need no conversion */
        double x = (t - q->day_start) * WF_EQ_PARTS;
        if (x >= q->part + 1) {
            size_t j = x < WF_EQ_PARTS ? (size_t)x : WF_EQ_PARTS - 1;
            *room = q->cap;
            if ((int)j > q->part) return &q->parts[j];
        }
        return NULL;
    }
    int k = bucket_of(q, t);
    *room = q->day_cap;
    return k < 0 ? NULL : &q->buckets[k];
}

/* Ordinary events carry the top bit so that `first` events sort ahead of
 * them at equal times. */
static inline wf_event make_event(wf_event_queue *q, double t, uint32_t type, int32_t a, uint32_t b, uint32_t c,
                                  bool first)
{
    return (wf_event){t, q->next_seq++ | (first ? 0 : FIRST_BIT), type, a, b, c};
}

/* wf_eq_push when storage must grow first: apart, so that the usual path
 * makes no call and saves no registers. */
__attribute__((noinline)) static int push_growing(wf_event_queue *q, double t, uint32_t type, int32_t a, uint32_t b,
                                                  uint32_t c, bool first)
{
    size_t room;
    wf_event_bucket *bk = bucket_for(q, t, &room);
    if (!bk || !(t >= q->cur_start)) {   /* the heap, or a part (which the heap must be able to take) */
        if ((bk ? bk->n : q->n) == q->cap && heap_reserve(q, 2 * q->cap)) return -1;
    } else if (bk->n == q->day_cap && day_reserve(q, q->day_cap ? 2 * q->day_cap : 64)) {
        return -1;
    }
    wf_event e = make_event(q, t, type, a, b, c, first);
    if (bk) return bucket_append(q, bk, &e);
    heap_insert(q, &e);
    return 0;
}

int wf_eq_push(wf_event_queue *q, double t, uint32_t type, int32_t a, uint32_t b, uint32_t c, bool first)
{
    size_t room;
    wf_event_bucket *bk = bucket_for(q, t, &room);
    if (bk ? bk->n % WF_EQ_BLOCK == 0 || bk->n == room : q->n == q->cap)
        return push_growing(q, t, type, a, b, c, first);
    wf_event e = make_event(q, t, type, a, b, c, first);
    if (bk) bk->tail->ev[bk->n++ % WF_EQ_BLOCK] = e;
    else heap_insert(q, &e);
    return 0;
}

/* The bin of time t among nb (a power of two) across the day from `start`:
 * monotone in t, as the subtraction rounds monotonically and the scaling is
 * exact, so events of a lower bin all come first. Later times (the last
 * bucket) share the last bin. */
static inline size_t bin_of(double t, double start, size_t nb)
{
    double x = (t - start) * (double)nb;
    return x >= 1 ? (x < (double)nb ? (size_t)x : nb - 1) : 0;
}

static int cmp_events(const void *x, const void *y)
{
    return wf_eq_before(x, y) ? -1 : wf_eq_before(y, x) ? 1 : 0;
}

/* A bin longer than this (many times within seconds, out of order) is
 * sorted by qsort before the insertion pass. */
#define SHORT_BIN 32

/* Bucket bk, whose day starts at `start`, sorted into q->day: counted into
 * a bin per one or two events, then an insertion pass, which moves events
 * only within their bin and mostly not at all (a bin is short, and ties
 * come in sequence order). The keys are unique, so this is the heap's
 * order. Then where each part ends: a part is a whole number of bins, as
 * both counts are powers of two and the scalings exact (a day with fewer
 * bins than parts is short, and scanned). */
static void sort_day(wf_event_queue *q, const wf_event_bucket *bk, double start)
{
    size_t n = bk->n, nb = 1, longest = 0;
    while (2 * nb <= n) nb *= 2;   /* nb <= n: the bins fit */
    size_t *c = q->bins;
    memset(c, 0, (nb + 1) * sizeof *c);
    for (const wf_event_block *b = bk->head; b; b = b->next)
        for (size_t i = 0, m = block_len(bk, b); i < m; i++) {
            size_t k = ++c[bin_of(b->ev[i].t, start, nb) + 1];
            if (k > longest) longest = k;
        }
    for (size_t b = 1; b < nb; b++) c[b] += c[b - 1];   /* c[b]: where bin b starts */
    wf_event *d = q->day;
    for (const wf_event_block *b = bk->head; b; b = b->next)
        for (size_t i = 0, m = block_len(bk, b); i < m; i++) d[c[bin_of(b->ev[i].t, start, nb)]++] = b->ev[i];
    if (longest > SHORT_BIN)   /* c[b]: where bin b ends */
        for (size_t b = 0, lo = 0; b < nb; lo = c[b++])
            if (c[b] - lo > SHORT_BIN) qsort(d + lo, c[b] - lo, sizeof *d, cmp_events);
    for (size_t i = 1; i < n; i++) {
        if (!wf_eq_before(&d[i], &d[i - 1])) continue;
        wf_event e = d[i];
        size_t j = i;
        do {
            d[j] = d[j - 1];
            j--;
        } while (j > 0 && wf_eq_before(&e, &d[j - 1]));
        d[j] = e;
    }
    if (nb >= WF_EQ_PARTS) {
        for (size_t j = 0, per = nb / WF_EQ_PARTS; j < WF_EQ_PARTS; j++) q->part_end[j] = c[(j + 1) * per - 1];
    } else {
        size_t i = 0;
        for (size_t j = 0; j < WF_EQ_PARTS; j++) {
            while (i < n && bin_of(d[i].t, start, WF_EQ_PARTS) == j) i++;
            q->part_end[j] = i;
        }
    }
    q->day_i = 0;
}

/* wf_eq_ready's slow path. */
bool wf_eq_reach(wf_event_queue *q)
{
    /* The heap holds every event pushed for the current part or earlier;
     * once it and the part's share of the sorted day are spent, reach the
     * next part, then the next bucket. The last bucket holds everything
     * beyond the window, which no run reaches: it waits until the rest is
     * spent. */
    while (q->day_i == q->day_lim && q->n == 0) {
        if (q->part + 1 < WF_EQ_PARTS) {
            wf_event_bucket *p = &q->parts[++q->part];
            q->day_lim = q->part_end[q->part];
            for (const wf_event_block *b = p->head; b; b = b->next)
                for (size_t i = 0, m = block_len(p, b); i < m; i++) heap_insert(q, &b->ev[i]);
            bucket_release(q, p);
            continue;
        }
        if (q->cur > q->n_buckets) break;
        wf_event_bucket *bk = &q->buckets[q->cur++];
        q->day_start = bucket_start(q, q->cur - 1);
        q->part = 0;
        if (bk->n) {
            sort_day(q, bk, q->day_start);
            bucket_release(q, bk);
        } else {
            q->day_i = 0;
            memset(q->part_end, 0, sizeof q->part_end);
        }
        q->day_lim = q->part_end[0];
        q->cur_start = q->cur <= q->n_buckets ? bucket_start(q, q->cur) : HUGE_VAL;
    }
    return q->n > 0 || q->day_i < q->day_lim;
}

/* wf_eq_pop's heap side, bottom-up: the hole at the root goes down to a
 * leaf along the smaller children (one comparison a level), then the last
 * event climbs back from there, which is usually at once, as it is among
 * the latest. About half the comparisons of the textbook sift-down, whose
 * branches the processor cannot predict; the order of the events is the
 * same. */
void wf_eq_pop_heap(wf_event_queue *q, wf_event *out)
{
    *out = q->heap[0];
    size_t n = --q->n, i = 0;
    if (n == 0) return;
    wf_event last = q->heap[n];
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= n) break;
        size_t m = (l + 1 < n && wf_eq_before(&q->heap[l + 1], &q->heap[l])) ? l + 1 : l;
        q->heap[i] = q->heap[m];
        i = m;
    }
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!wf_eq_before(&last, &q->heap[p])) break;
        q->heap[i] = q->heap[p];
        i = p;
    }
    q->heap[i] = last;
}
