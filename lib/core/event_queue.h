/*
 * The event queue: a binary min-heap of small fixed-size events ordered by
 * (time, sequence), fronted by one bucket per day of the window. An event
 * for a later day waits in its day's bucket and joins the heap when that
 * day is reached, so the heap holds about a day of events however many are
 * pending; events beyond the window wait in one last bucket that joins
 * only when the rest is spent. (The simulation never pushes any: it drops
 * events after the run's end, inside its window.)
 * (Finer buckets were tried: appends scattered over hourly buckets cost
 * more in cache misses than the shallower heap saved.)
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
    wf_event *heap;
    size_t n, cap;
    uint64_t next_seq;
    double t0;                 /* time of the start of bucket 0 */
    int n_buckets, cur;        /* days from t0, then one bucket beyond; buckets before cur are in the heap */
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
/* Whether an event is pending; moves the next due bucket into the heap. */
bool wf_eq_ready(wf_event_queue *q);
/* The next event (only after wf_eq_ready returned true). */
static inline const wf_event *wf_eq_top(const wf_event_queue *q) { return &q->heap[0]; }
void wf_eq_pop(wf_event_queue *q, wf_event *out);

#endif
