/* A growable byte buffer: what one process hands another (a task's input,
 * its results), built piece by piece. */
#ifndef WF_CORE_BUF_H
#define WF_CORE_BUF_H

#include <stddef.h>

typedef struct wf_buf {
    unsigned char *data;
    size_t len, cap;
} wf_buf;

/* Room for `more` bytes after len (data may move); -1 when out of memory. */
int wf_buf_reserve(wf_buf *b, size_t more);
/* Append n bytes; -1 when out of memory (b unchanged). */
int wf_buf_put(wf_buf *b, const void *p, size_t n);
/* Empty it, keeping its memory. */
void wf_buf_clear(wf_buf *b);
/* Free its memory; b is empty afterwards. */
void wf_buf_free(wf_buf *b);

#endif
