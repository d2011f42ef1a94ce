/* Chunks encoded as HDF5 stores them (stored.h). The bytes are those HDF5
 * itself writes for the layout's pipeline (shuffle, deflate, Fletcher32:
 * H5Zshuffle.c, H5Zdeflate.c with compress2, H5Zfletcher32.c), so a chunk
 * written by H5Dwrite_chunk reads back through HDF5's filters like any
 * other, and a file is byte for byte the file HDF5 would have written
 * (tests/test_stored.c compares the stored chunks). */
#include "results/stored.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int wf_stored_available(void)
{
    const double one = 1.0;  /* IEEE little-endian: 00 00 00 00 00 00 f0 3f */
    unsigned char b[8];
    memcpy(b, &one, 8);
    return b[7] == 0x3f && b[6] == 0xf0 && b[0] == 0;
}

uint32_t wf_fletcher32(const unsigned char *p, size_t n)
{
    size_t len = n / 2;
    uint32_t sum1 = 0, sum2 = 0;
    while (len) {
        /* 360 sums at most before they could overflow */
        size_t t = len > 360 ? 360 : len;
        len -= t;
        do {
            sum1 += (uint32_t)((uint16_t)p[0] << 8) | (uint16_t)p[1];
            p += 2;
            sum2 += sum1;
        } while (--t);
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    if (n % 2) {
        sum1 += (uint32_t)((uint16_t)*p << 8);
        sum2 += sum1;
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    return (sum2 << 16) | sum1;
}

int wf_stored_checksum_ok(const unsigned char *p, size_t len)
{
    if (len < 4) return 0;
    uint32_t sum = wf_fletcher32(p, len - 4), stored = (uint32_t)p[len - 4] | (uint32_t)p[len - 3] << 8 |
                                                     (uint32_t)p[len - 2] << 16 | (uint32_t)p[len - 1] << 24;
    /* HDF5 1.6 wrote the sum's bytes in the other order; HDF5 accepts both */
    uint32_t reversed = (sum & 0x00ff00ffu) << 8 | (sum & 0xff00ff00u) >> 8;
    return stored == sum || stored == reversed;
}

int wf_stored_encode(const double *v, size_t n, wf_buf *out)
{
    size_t bytes = n * sizeof(double);
    unsigned char *shuffled = malloc(bytes ? bytes : 1);
    if (!shuffled) return -1;
    const unsigned char *src = (const unsigned char *)v;
    for (size_t j = 0; j < sizeof(double); j++)
        for (size_t i = 0; i < n; i++) shuffled[j * n + i] = src[i * sizeof(double) + j];
    uLongf z = compressBound((uLong)bytes);
    if (wf_buf_reserve(out, (size_t)z + 4)) {
        free(shuffled);
        return -1;
    }
    unsigned char *dst = out->data + out->len;
    int rc = compress2(dst, &z, shuffled, (uLong)bytes, WF_STORED_DEFLATE);
    free(shuffled);
    if (rc != Z_OK) return -1;
    uint32_t sum = wf_fletcher32(dst, (size_t)z);
    unsigned char le[4] = {(unsigned char)sum, (unsigned char)(sum >> 8), (unsigned char)(sum >> 16),
                           (unsigned char)(sum >> 24)};
    memcpy(dst + z, le, 4);
    out->len += (size_t)z + 4;
    return 0;
}
