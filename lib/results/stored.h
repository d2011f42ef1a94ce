/* Daily series in the form HDF5 stores them (stored.c): so that the rank
 * that computed a task encodes its chunks and the writing rank only places
 * the bytes (H5Dwrite_chunk), and so that an append checks the file's
 * chunks by their checksums without decoding them. No HDF5 here: the
 * encoding is the layout's filter pipeline (h5_layout.c), spelled out. */
#ifndef WF_RESULTS_STORED_H
#define WF_RESULTS_STORED_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* The deflate level of the layout's compressed datasets. */
#define WF_STORED_DEFLATE 4

/* Whether this machine can encode chunks (the file's doubles are
 * little-endian IEEE: so must the machine's be). */
int wf_stored_available(void);

/* One chunk of n doubles as HDF5 stores it behind the layout's pipeline:
 * shuffled (bytes of 8-byte elements gathered by position), deflated
 * (zlib, WF_STORED_DEFLATE), then HDF5's Fletcher32 of those bytes
 * appended (4 bytes, little-endian). Appended to out; -1 on failure. */
int wf_stored_encode(const double *v, size_t n, wf_buf *out);

/* HDF5's Fletcher32 (H5_checksum_fletcher32): 16-bit big-endian words. */
uint32_t wf_fletcher32(const unsigned char *p, size_t n);

/* Whether a stored chunk's last 4 bytes are the Fletcher32 of the rest,
 * as HDF5 checks it when reading (either byte order of the sum, as HDF5
 * accepts both). */
int wf_stored_checksum_ok(const unsigned char *p, size_t len);

#endif
