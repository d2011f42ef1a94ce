#include "core/options.h"

#include <string.h>

int wf_options_init(void *o, size_t size, const void *def, size_t def_size, size_t min)
{
    if (!o || size < min) return -1;
    size_t n = size < def_size ? size : def_size;
    memcpy(o, def, n);
    if (size > n) memset((char *)o + n, 0, size - n);
    memcpy(o, &size, sizeof size);
    return 0;
}

int wf_options_take(void *dst, size_t dst_size, const void *src, size_t min)
{
    size_t size;
    memcpy(&size, src, sizeof size);
    if (size < min) return -1;
    const unsigned char *s = src;
    for (size_t i = dst_size; i < size; i++)
        if (s[i]) return -1;
    memcpy(dst, src, size < dst_size ? size : dst_size);
    memcpy(dst, &dst_size, sizeof dst_size);
    return 0;
}
