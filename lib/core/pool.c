#include "core/pool.h"

#include <stdlib.h>
#include <string.h>

int wf_pool_init(wf_pool *p, size_t record_size, int32_t cap)
{
    memset(p, 0, sizeof *p);
    p->size = record_size;
    p->cap = cap < 64 ? 64 : cap;
    p->data = malloc((size_t)p->cap * record_size);
    p->free_list = malloc((size_t)p->cap * sizeof *p->free_list);
    if (!p->data || !p->free_list) {
        wf_pool_free(p);
        return -1;
    }
    return 0;
}

void wf_pool_free(wf_pool *p)
{
    free(p->data);
    free(p->free_list);
    p->data = NULL;
    p->free_list = NULL;
    p->cap = p->n_free = p->used = p->live = 0;
}

void wf_pool_reset(wf_pool *p)
{
    p->n_free = p->used = p->live = 0;
}

int32_t wf_pool_alloc(wf_pool *p)
{
    int32_t slot;
    if (p->n_free > 0) {
        slot = p->free_list[--p->n_free];
    } else {
        if (p->used == p->cap) {
            if (p->cap > INT32_MAX / 2) return -1;
            int32_t cap = p->cap * 2;
            unsigned char *d = realloc(p->data, (size_t)cap * p->size);
            if (!d) return -1;
            p->data = d;
            int32_t *f = realloc(p->free_list, (size_t)cap * sizeof *f);
            if (!f) return -1;
            p->free_list = f;
            p->cap = cap;
        }
        slot = p->used++;
        memset(wf_pool_at(p, slot), 0, p->size);
    }
    p->live++;
    return slot;
}

void wf_pool_release(wf_pool *p, int32_t slot)
{
    p->free_list[p->n_free++] = slot;
    p->live--;
}
