/*
 * The event queue: one binary min-heap of small fixed-size events, ordered
 * by (time, sequence). The sequence number makes ties deterministic (first
 * scheduled, first served); events scheduled with `first` set win ties
 * against all others at the same time (used for day boundaries). The heap
 * grows by doubling and never shrinks, so steady state allocates nothing.
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
    wf_event *heap;
    size_t n, cap;
    uint64_t next_seq;
} wf_event_queue;

int wf_eq_init(wf_event_queue *q, size_t cap);   /* 0 or -1 (no memory) */
void wf_eq_free(wf_event_queue *q);
/* 0, or -1 when the heap could not grow. */
int wf_eq_push(wf_event_queue *q, double t, uint32_t type, int32_t a, uint32_t b, uint32_t c, bool first);
static inline bool wf_eq_empty(const wf_event_queue *q) { return q->n == 0; }
static inline const wf_event *wf_eq_top(const wf_event_queue *q) { return &q->heap[0]; }
void wf_eq_pop(wf_event_queue *q, wf_event *out);

#endif
