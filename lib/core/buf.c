#include "core/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int wf_buf_reserve(wf_buf *b, size_t more)
{
    if (more <= b->cap - b->len) return 0;
    if (more > SIZE_MAX / 2 - b->len) return -1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more) cap *= 2;
    unsigned char *d = realloc(b->data, cap);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

int wf_buf_put(wf_buf *b, const void *p, size_t n)
{
    if (wf_buf_reserve(b, n)) return -1;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

void wf_buf_clear(wf_buf *b) { b->len = 0; }

void wf_buf_free(wf_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
