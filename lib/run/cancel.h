/* The inside of wf_cancel, for wf_run: the flag it hands to the engine. */
#ifndef WF_RUN_CANCEL_H
#define WF_RUN_CANCEL_H

#include <stdatomic.h>

#include "winterflow.h"

/* A lock-free atomic int, so that raising it is async-signal-safe (C11
 * 7.14.1.1). */
#if ATOMIC_INT_LOCK_FREE != 2
#error "wf_cancel needs a lock-free atomic int"
#endif

struct wf_cancel {
    atomic_int flag;
};

#endif
