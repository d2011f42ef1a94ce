/*
 * The event queue: events ordered by (time, sequence), held in one bucket
 * per day of the window until that day is reached. Reaching a day sorts its
 * bucket once (a counting sort on the time of day, then insertion within
 * the fine bins), and the day is then served part by part (WF_EQ_PARTS
 * parts of 22.5 minutes): the sorted day's events of the current part,
 * merged with a min-heap of the events pushed for that part. Events pushed
 * for a later part of the reached day wait in that part's list and enter
 * the heap when it is reached, so the heap holds only the next few events
 * rather than the rest of the day (most events pushed after a day is
 * reached fall due within hours: arrivals, leaves, process timers). Events
 * beyond the window wait in one last bucket that is sorted only when the
 * rest is spent. (The simulation never pushes any: it drops events after
 * the run's end, inside its window.)
 * (Finer buckets for every day were tried: appends scattered over hourly
 * buckets cost more in cache misses than the shallower heap saved. The
 * parts are for the reached day only, few and small, so they stay in
 * cache. One heap for the whole day costs a sift per event; the sorted day
 * is read in order.)
 * The sequence number makes ties deterministic (first scheduled, first
 * served); events pushed with `first` win ties against all others at the
 * same time (used for day boundaries). Storage is recycled (blocks) or
 * grows by doubling (the heap and the sorted day), so steady state
 * allocates nothing.
 */
#ifndef WF_EVENT_QUEUE_H
#define WF_EVENT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    double t;
    uint64_t seq;
    uint32_t type;
    int32_t a;     /* payload: an index (patient slot, organisation, ...) */
    uint32_t b;    /* payload: a generation tag or a second small index */
    uint32_t c;
} wf_event;

/* Buckets hold their events in fixed blocks, so that one grows without
 * copying what it holds (a run's first replicate fills every day's bucket
 * from nothing). */
#define WF_EQ_BLOCK 128

typedef struct wf_event_block {
    struct wf_event_block *next;
    wf_event ev[WF_EQ_BLOCK];
} wf_event_block;

typedef struct {
    wf_event_block *head, *tail;
    size_t n;
} wf_event_bucket;

/* The parts of the reached day (a power of two: a part's bins in the
 * day's sort are whole). More parts keep the heap shallower but scatter
 * the appends: 256 saved 1.5% more instructions than 64 for 8% more L1
 * misses. */
#define WF_EQ_PARTS 64

typedef struct {
    wf_event *heap;            /* events pushed for the current part of the reached day, or earlier */
    size_t n, cap;             /* cap >= every part's n: a part moves in without growing */
    wf_event *day;             /* the reached day's bucket, sorted; served from day_i */
    size_t day_i, day_lim, day_cap;   /* day_lim: the end of the current part's events */
    size_t *bins;              /* the sort's counts: day_cap bins and one (day_cap >= every bucket's n) */
    size_t part_end[WF_EQ_PARTS];     /* where each part's events end in the sorted day */
    wf_event_bucket parts[WF_EQ_PARTS];   /* events pushed for later parts of the reached day */
    int part;                  /* the current part (the last while no day is reached) */
    uint64_t next_seq;
    double t0;                 /* time of the start of bucket 0 */
    int n_buckets, cur;        /* days from t0, then one bucket beyond; buckets before cur are reached */
    double day_start;          /* the start of bucket cur - 1, the reached day */
    double cur_start;          /* the start of bucket cur (+inf once all are reached) */
    wf_event_bucket *buckets;
    wf_event_block *free_blocks;   /* emptied buckets' blocks, for reuse */
} wf_event_queue;

/* Events with times in [t0, t0 + days) are bucketed by day, later ones in
 * the last bucket; earlier times go straight to the heap. days = 0 gives a
 * plain heap. 0 or -1 (no memory). */
int wf_eq_init(wf_event_queue *q, size_t cap, double t0, int days);
void wf_eq_free(wf_event_queue *q);
/* Empty the queue for a new run over [t0, t0 + days), keeping its storage
 * (the next run faults in no new memory). Equivalent to free + init. */
int wf_eq_reset(wf_event_queue *q, double t0, int days);
/* 0, or -1 when storage could not grow. */
int wf_eq_push(wf_event_queue *q, double t, uint32_t type, int32_t a, uint32_t b, uint32_t c, bool first);
bool wf_eq_reach(wf_event_queue *q);   /* wf_eq_ready's slow path */
/* Whether an event is pending; reaches the next part or bucket when the
 * current part is spent (everything in the heap is due before them). */
static inline bool wf_eq_ready(wf_event_queue *q)
{
    return q->day_i < q->day_lim || q->n > 0 || wf_eq_reach(q);
}
/* Whether x comes before y: by time, then sequence. */
static inline bool wf_eq_before(const wf_event *x, const wf_event *y)
{
    return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}
/* The next event (only after wf_eq_ready returned true). */
static inline const wf_event *wf_eq_top(const wf_event_queue *q)
{
    if (q->day_i < q->day_lim && (q->n == 0 || wf_eq_before(&q->day[q->day_i], &q->heap[0])))
        return &q->day[q->day_i];
    return &q->heap[0];
}
void wf_eq_pop_heap(wf_event_queue *q, wf_event *out);   /* wf_eq_pop's heap side */
/* Take the next event (only after wf_eq_ready returned true). */
static inline void wf_eq_pop(wf_event_queue *q, wf_event *out)
{
    const wf_event *top = wf_eq_top(q);
    if (top == q->heap) {
        wf_eq_pop_heap(q, out);
    } else {
        *out = *top;
        q->day_i++;
    }
}

#endif
