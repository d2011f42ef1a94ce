/* wf_cancel: a flag that any thread, or a signal handler, sets to stop
 * the runs given it. wf_run hands the flag to the engine (wf_config.cancel),
 * which looks at it every few thousand events (lib/model/sim.c). */
#include <stdatomic.h>
#include <stdlib.h>

#include "run/cancel.h"

wf_cancel *wf_cancel_create(void)
{
    wf_cancel *c = malloc(sizeof *c);
    if (c) atomic_init(&c->flag, 0);
    return c;
}

void wf_cancel_destroy(wf_cancel *c) { free(c); }

void wf_cancel_request(wf_cancel *c)
{
    if (c) atomic_store_explicit(&c->flag, 1, memory_order_relaxed);
}

int wf_cancel_requested(const wf_cancel *c)
{
    return c && atomic_load_explicit(&c->flag, memory_order_relaxed);
}

void wf_cancel_reset(wf_cancel *c)
{
    if (c) atomic_store_explicit(&c->flag, 0, memory_order_relaxed);
}
