/*
 * A pool of fixed-size records addressed by int32 slot. Freed slots are
 * reused (LIFO free list), and the store grows by doubling, so a simulation
 * in steady state allocates nothing and memory follows the records alive,
 * not the records ever made. Slots stay valid across growth; pointers do not.
 */
#ifndef WF_POOL_H
#define WF_POOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    unsigned char *data;
    int32_t *free_list;
    size_t size;        /* bytes per record */
    int32_t cap, n_free, used, live;
} wf_pool;

int wf_pool_init(wf_pool *p, size_t record_size, int32_t cap);
void wf_pool_free(wf_pool *p);
/* Release every record, keeping the storage; the next records are fresh
 * (zeroed), as from a new pool. */
void wf_pool_reset(wf_pool *p);
/* A record's slot, or -1 when out of memory. A reused record keeps the
 * bytes its last owner left (callers use this to carry generation tags);
 * a fresh one is zeroed. */
int32_t wf_pool_alloc(wf_pool *p);
void wf_pool_release(wf_pool *p, int32_t slot);
static inline void *wf_pool_at(const wf_pool *p, int32_t slot)
{
    return p->data + (size_t)slot * p->size;
}

#endif
