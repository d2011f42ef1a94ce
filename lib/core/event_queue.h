/*
 * The event queue: events ordered by (time, sequence), held in one bucket
 * per day of the window until that day is reached. Reaching a day sorts its
 * bucket once (a counting sort on the time of day, then insertion within
 * the fine bins), and the day's events are served from that array, merged
 * with a min-heap of the events pushed for the day after it was reached;
 * events beyond the window wait in one last bucket that is sorted only
 * when the rest is spent. (The simulation never pushes any: it drops
 * events after the run's end, inside its window.)
 * (Finer buckets were tried: appends scattered over hourly buckets cost
 * more in cache misses than the shallower heap saved. One heap for the
 * whole day costs a sift per event; the sorted day is read in order.)
 * The sequence number makes ties deterministic (first scheduled, first
 * served); events pushed with `first` win ties against all others at the
 * same time (used for day boundaries). Storage grows by doubling and is
 * recycled, so steady state allocates nothing.
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

typedef struct {
    wf_event *ev;
    size_t n, cap;
} wf_event_bucket;

typedef struct {
    wf_event *heap;            /* events pushed for a day already reached */
    size_t n, cap;
    wf_event *day;             /* the reached day's bucket, sorted; served from day_i */
    size_t day_i, day_n, day_cap;
    size_t *bins;              /* the sort's counts: day_cap bins and one */
    uint64_t next_seq;
    double t0;                 /* time of the start of bucket 0 */
    int n_buckets, cur;        /* days from t0, then one bucket beyond; buckets before cur are reached */
    double cur_start;          /* the start of bucket cur (+inf once all are reached) */
    wf_event_bucket *buckets;
    wf_event_bucket *spare;    /* emptied buckets' storage, for reuse */
    int n_spare;
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
/* Whether an event is pending; reaches the next bucket when it is due (not
 * while the day or the heap holds anything earlier than its start). */
static inline bool wf_eq_ready(wf_event_queue *q)
{
    return q->day_i < q->day_n || (q->n > 0 && !(q->heap[0].t >= q->cur_start)) || wf_eq_reach(q);
}
/* Whether x comes before y: by time, then sequence. */
static inline bool wf_eq_before(const wf_event *x, const wf_event *y)
{
    return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}
/* The next event (only after wf_eq_ready returned true). */
static inline const wf_event *wf_eq_top(const wf_event_queue *q)
{
    if (q->day_i < q->day_n && (q->n == 0 || wf_eq_before(&q->day[q->day_i], &q->heap[0])))
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
