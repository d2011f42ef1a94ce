/* wf_free: strings and buffers the library hands over are freed by the
 * library's own allocator, whatever runtime the caller has. */
#include <stdlib.h>

#include "winterflow.h"

void wf_free(void *p) { free(p); }
