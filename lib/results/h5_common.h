/* What the HDF5 results files' writer (h5_write.c, h5_layout.c,
 * h5_provenance.c, h5_event_log.c) and reader (h5_read.c) share: the names
 * of the layout, its format versions, and small HDF5 helpers. Only the
 * h5_*.c files include hdf5.h. The layout is documented in
 * docs/results-file.md. */
#ifndef WF_H5_COMMON_H
#define WF_H5_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <hdf5.h>

#include "results/atomic_file.h"
#include "results/results.h"

/* Names of the layout (docs/results-file.md). */
#define WF_H5_DIM_SCENARIO "scenario"
#define WF_H5_DIM_REPLICATE "replicate"
#define WF_H5_DIM_DAY "day"
#define WF_H5_DIM_ORG "organisation"
#define WF_H5_ORG_KIND "organisation_kind"
#define WF_H5_SCENARIO_YAML "scenario_yaml"
#define WF_H5_SCENARIO_COMPLETE "scenario_complete"
#define WF_H5_SUMMARY "summary"
#define WF_H5_PARAMETERS "parameters"
#define WF_H5_EVENT_LOG "event_log"
#define WF_H5_POSTERIOR "posterior"
/* Format 2: text as netCDF char arrays (fixed-length bytes in checksummed
 * chunks), every dataset chunked with Fletcher32, HDF5's 1.10 file format
 * (checksummed metadata). Format 1: variable-length strings (HDF5's global
 * heap, which has no checksum), earliest file format; read, not appended to. */
#define WF_H5_FORMAT_VERSION 2
#define WF_H5_FORMAT_ATTR "winterflow_file_format"
/* The string-length dimensions of the char arrays (format 2). */
#define WF_H5_STRLEN_SUFFIX "_strlen"
/* Root attribute: the names of the scenario coordinates (wf_write_options
 * coord_names), separated by single spaces; absent when there are none. */
#define WF_H5_COORDS_ATTR "winterflow_coordinates"

/* The HDF5 work of one winterflow call (a write, an append, a read) is one
 * section: every HDF5 call of the library happens between wf_h5_enter and
 * wf_h5_leave, on the calling thread. A section holds the library's one
 * process-wide HDF5 mutex, so that sections of different threads (several
 * writes at once, a sweep's writer thread) never interleave, whether or
 * not libhdf5 was built thread-safe (Debian's is; many others are not,
 * and there its error stack and printing setting are process-wide too).
 * tests/tsan/test_threads.c runs such sections at once under
 * ThreadSanitizer; with Debian's thread-safe libhdf5 it would pass without
 * this mutex too (HDF5's own lock orders the calls), so the mutex is for
 * the other builds of libhdf5. Within the
 * section HDF5's automatic error printing is off (errors are read from the
 * stack: wf_h5_fail), and it is restored on leaving. No section waits for
 * anything else (a file lock is taken before it). */
typedef struct {
    H5E_auto2_t func;
    void *data;
} wf_h5_section;
void wf_h5_enter(wf_h5_section *q);
void wf_h5_leave(const wf_h5_section *q);

/* Format "<path>: <what> failed: <cause>" into err, the cause being the OS
 * error HDF5 recorded (errno, as strerror_r words) or else HDF5's most
 * specific message, on one line. Call right after the failed HDF5 call
 * (before another HDF5 call clears the stack). Clears the stack. Returns
 * that OS error (ENOMEM: out of memory), 0 if none. */
int wf_h5_fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));


/* Attributes (written scalar). Strings are fixed length, UTF-8, as
 * netCDF-4 text attributes. */
herr_t wf_h5_attr_str(hid_t loc, const char *name, const char *value);
herr_t wf_h5_attr_i32(hid_t loc, const char *name, int32_t v);
herr_t wf_h5_attr_i64(hid_t loc, const char *name, int64_t v);
herr_t wf_h5_attr_f64(hid_t loc, const char *name, double v);
/* Read a string attribute (fixed or variable length, scalar or one
 * element, at most len - 1 bytes) into buf; an integer attribute (scalar or
 * one element, any integer type) into *v. 1: read; 0: absent; -1: present
 * but not of that shape or type (nothing is read then). */
int wf_h5_attr_read_str(hid_t loc, const char *name, char *buf, size_t len);
int wf_h5_attr_read_i64(hid_t loc, const char *name, int64_t *v);

/* A variable-length UTF-8 string type (format 1's strings); close it. */
hid_t wf_h5_vlen_str(void);
/* One byte of text: a netCDF char (format 2's strings); close it. */
hid_t wf_h5_char(void);

/* a * b, or false if it overflows size_t. */
static inline bool wf_mul(size_t a, size_t b, size_t *out) { return !__builtin_mul_overflow(a, b, out); }

/* Is s[0..n) valid UTF-8 without NUL or other C0 controls than tab and
 * newline (when `multiline`)? */
bool wf_utf8_ok(const char *s, size_t n, bool multiline);

/* Is dataset ds stored only as winterflow writes datasets: contiguous,
 * compact or chunked in this file (no external or virtual storage, which
 * name other files), filtered only by deflate, shuffle and Fletcher32? 0 if
 * so, else -1 with err naming it. */
int wf_h5_dataset_ok(hid_t ds, const char *path, const char *name, char *err, size_t errlen);

/* What a file says before its data, every part checked (h5_read.c): the
 * format, the dimensions, the names, the calendar, the completion flags
 * and the root's seed and threads. */
typedef struct {
    int format;          /* 1 or 2 (WF_H5_FORMAT_VERSION) */
    size_t n_rows;       /* rows on the scenario axis, complete or not */
    size_t n_rep, n_days, n_orgs;
    char **org_names;    /* n_orgs */
    const char **org_kinds;
    char **scen_names;   /* n_rows */
    int8_t *complete;    /* n_rows flags, 0 or 1 */
    int32_t *days;       /* n_days: epoch day of each measured day */
    int64_t seed;
    int threads;
    size_t file_size;    /* bytes, to bound what the data can expand to */
} wf_h5_header;

wf_status wf_h5_read_header(hid_t file, const char *path, wf_h5_header *h, char *err, size_t errlen);
void wf_h5_header_free(wf_h5_header *h);

/* Read every stored byte of every dataset in the file, so that HDF5 checks
 * each chunk's checksum: WF_OK if all read, else WF_EIO with err naming
 * the dataset (WF_ENOMEM when out of memory). Used before appending to a
 * file, whose old data are copied. */
wf_status wf_h5_check_data(hid_t file, const char *path, char *err, size_t errlen);

#endif
