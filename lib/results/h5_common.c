#define _POSIX_C_SOURCE 200809L
#include "results/h5_common.h"
#include "results/stored.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libhdf5 1.10 can keep a file open inside after a failed open of one of
 * its damaged objects, although every ID was closed; its exit handler then
 * cannot finish and prints "HDF5: infinite loop closing library" and a line
 * of package codes, but only when error printing is on for the exiting
 * thread. This handler, registered after libhdf5's own and so run before
 * it, switches that printing off at exit: nothing else is printed then. */
static void quiet_at_exit(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static void register_quiet_at_exit(void)
{
    if (H5open() >= 0) atexit(quiet_at_exit);
}

static pthread_mutex_t h5_mutex = PTHREAD_MUTEX_INITIALIZER;

void wf_h5_enter(wf_h5_section *q)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_quiet_at_exit);
    pthread_mutex_lock(&h5_mutex);
    q->func = NULL;
    q->data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void wf_h5_leave(const wf_h5_section *q)
{
    H5Eset_auto2(H5E_DEFAULT, q->func, q->data);
    pthread_mutex_unlock(&h5_mutex);
}

typedef struct {
    char msg[256];
    int err_no; /* the OS error an entry names ("errno = N"), 0 if none */
    int n;
} walk_state;

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    walk_state *w = data;
    if (!e->desc || !e->desc[0]) return 0;
    const char *at = strstr(e->desc, "errno = ");
    if (at && !w->err_no) w->err_no = atoi(at + 8);
    /* Walking upward: the first entry is the most specific one. */
    if (w->n++ == 0) snprintf(w->msg, sizeof w->msg, "%s", e->desc);
    return 0;
}

int wf_h5_fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    walk_state w = {.msg = "", .err_no = 0, .n = 0};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, &w);
    H5Eclear2(H5E_DEFAULT);
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* An OS error is what the user can act on (disk full, file too large);
     * HDF5's own text for it spans lines and shows buffer addresses. */
    if (w.err_no > 0) wf_strerror(w.err_no, w.msg, sizeof w.msg);
    for (char *p = w.msg; *p; p++)
        if ((unsigned char)*p < 0x20) *p = ' ';
    if (w.msg[0])
        snprintf(err, errlen, "%s: %s failed: %s", path, what, w.msg);
    else
        snprintf(err, errlen, "%s: %s failed", path, what);
    return w.err_no;
}

static herr_t attr_write(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, const void *v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    if (sp < 0) return -1;
    if (H5Aexists(loc, name) > 0) H5Adelete(loc, name);
    hid_t a = H5Acreate2(loc, name, file_type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, mem_type, v);
    if (a >= 0 && H5Aclose(a) < 0) st = -1;
    H5Sclose(sp);
    return st;
}

herr_t wf_h5_attr_str(hid_t loc, const char *name, const char *value)
{
    size_t n = strlen(value);
    /* h5py (and so h5netcdf) decodes fixed-length strings of two or more
     * bytes to str; pad a one-byte value with a NUL. */
    size_t size = n < 2 ? 2 : n;
    char buf[2] = {0, 0};
    const char *src = value;
    if (n < 2) {
        memcpy(buf, value, n);
        src = buf;
    }
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return -1;
    herr_t st = -1;
    if (H5Tset_size(t, size) >= 0 && H5Tset_strpad(t, H5T_STR_NULLPAD) >= 0 &&
        H5Tset_cset(t, H5T_CSET_UTF8) >= 0)
        st = attr_write(loc, name, t, t, src);
    H5Tclose(t);
    return st;
}

herr_t wf_h5_attr_i32(hid_t loc, const char *name, int32_t v)
{
    return attr_write(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &v);
}

herr_t wf_h5_attr_i64(hid_t loc, const char *name, int64_t v)
{
    return attr_write(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &v);
}

herr_t wf_h5_attr_f64(hid_t loc, const char *name, double v)
{
    return attr_write(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
}

hid_t wf_h5_vlen_str(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

hid_t wf_h5_char(void)
{
    /* As netCDF-C writes NC_CHAR: one byte, ASCII-tagged (the text is
     * UTF-8, said by the variable's _Encoding attribute). */
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return -1;
    if (H5Tset_size(t, 1) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Open attribute `name` of loc if it exists and holds one element. */
static hid_t attr_open_one(hid_t loc, const char *name, hid_t *type, int *rc)
{
    *type = -1;
    *rc = 0;
    if (H5Aexists(loc, name) <= 0) return -1;
    *rc = -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return -1;
    hid_t sp = H5Aget_space(a);
    hssize_t np = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    if (sp >= 0) H5Sclose(sp);
    if (np != 1 || (*type = H5Aget_type(a)) < 0) {
        H5Aclose(a);
        return -1;
    }
    return a;
}

int wf_h5_attr_read_str(hid_t loc, const char *name, char *buf, size_t len)
{
    hid_t ft;
    int rc;
    if (len == 0) return -1;
    buf[0] = 0;
    hid_t a = attr_open_one(loc, name, &ft, &rc);
    if (a < 0) return rc;
    rc = -1;
    if (H5Tget_class(ft) == H5T_STRING) {
        if (H5Tis_variable_str(ft) > 0) {
            hid_t mt = wf_h5_vlen_str();
            char *s = NULL;
            if (mt >= 0 && H5Aread(a, mt, &s) >= 0 && s) {
                if (strlen(s) < len) {
                    snprintf(buf, len, "%s", s);
                    rc = 1;
                }
                H5free_memory(s);
            }
            if (mt >= 0) H5Tclose(mt);
        } else {
            /* read in place: what is longer than buf is refused anyway */
            size_t size = H5Tget_size(ft);
            hid_t mt = size > 0 && size < len ? H5Tcopy(ft) : -1;
            if (mt >= 0 && H5Aread(a, mt, buf) >= 0) {
                buf[size] = 0;
                rc = 1;
            }
            if (mt >= 0) H5Tclose(mt);
        }
    }
    H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

int wf_h5_attr_read_i64(hid_t loc, const char *name, int64_t *v)
{
    hid_t ft;
    int rc;
    hid_t a = attr_open_one(loc, name, &ft, &rc);
    if (a < 0) return rc;
    int64_t x;
    rc = H5Tget_class(ft) == H5T_INTEGER && H5Aread(a, H5T_NATIVE_INT64, &x) >= 0 ? 1 : -1;
    if (rc == 1) *v = x;
    H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

bool wf_utf8_ok(const char *s, size_t n, bool multiline)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7f) return false;
            p++;
            continue;
        }
        int k = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c <= 0xdf ? 1 : -1;
        if (k < 0 || c > 0xf4 || end - p <= k) return false;
        unsigned cp = c & (0x3f >> k);
        for (int i = 1; i <= k; i++) {
            if ((p[i] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        /* no overlong forms, surrogates or code points past U+10FFFF */
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += k + 1;
    }
    return true;
}

int wf_h5_dataset_ok(hid_t ds, const char *path, const char *name, char *err, size_t errlen)
{
    hid_t dcpl = H5Dget_create_plist(ds);
    if (dcpl < 0) {
        wf_h5_fail(err, errlen, path, "reading the storage of %s", name);
        return -1;
    }
    const char *why = NULL;
    H5D_layout_t layout = H5Pget_layout(dcpl);
    int nf = layout == H5D_CHUNKED ? H5Pget_nfilters(dcpl) : 0;
    if (!(layout == H5D_CONTIGUOUS || layout == H5D_CHUNKED || layout == H5D_COMPACT))
        why = "stored elsewhere (a virtual dataset): no other file is read";
    else if (H5Pget_external_count(dcpl) != 0)
        why = "stored in external files: no other file is read";
    else if (nf < 0 || nf > 8)
        why = "an unreadable filter pipeline";
    for (int i = 0; !why && i < nf; i++) {
        unsigned flags, cd[8];
        size_t ncd = 8;
        char fname[64];
        H5Z_filter_t f = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, sizeof fname, fname, NULL);
        if (!(f == H5Z_FILTER_DEFLATE || f == H5Z_FILTER_SHUFFLE || f == H5Z_FILTER_FLETCHER32))
            why = "a filter winterflow never writes";
    }
    H5Pclose(dcpl);
    if (why) {
        snprintf(err, errlen, "%s: %s: %s", path, name, why);
        return -1;
    }
    return 0;
}

/* ---- checking every stored byte (before an append) ------------------ */

typedef struct {
    const char *path;
    char *err;
    size_t errlen;
    int failed;
    int oom;
} check_state;

/* The metric datasets (rank 3 and 4), chunked with a Fletcher32 checksum
 * last in their pipeline, are checked as stored: each chunk's checksum,
 * which is what HDF5 checks first when reading it, without undoing the
 * compression (an append then costs a pass over the file's bytes, not its
 * decompression: docs/cluster.md, "The writing rank"). 1: checked; 0: not
 * such a dataset (read it); -1: a chunk is damaged or HDF5 failed. */
static int check_stored(check_state *c, hid_t d, const char *name, int rank, const hsize_t *dims)
{
    if (rank < 3 || rank > 4) return 0;
    hid_t p = H5Dget_create_plist(d);
    hsize_t ch[4] = {0, 0, 0, 0};
    int nf = p < 0 ? -1 : H5Pget_nfilters(p);
    int ok = p >= 0 && H5Pget_layout(p) == H5D_CHUNKED && H5Pget_chunk(p, rank, ch) == rank && nf >= 1;
    if (ok) {
        unsigned flags = 0, cd[8];
        size_t ncd = 8;
        ok = H5Pget_filter2(p, (unsigned)nf - 1, &flags, &ncd, cd, 0, NULL, NULL) == H5Z_FILTER_FLETCHER32;
    }
    for (int i = 0; ok && i < rank; i++) ok = ch[i] > 0;
    if (p >= 0) H5Pclose(p);
    if (!ok) return 0;
    hsize_t n[4] = {1, 1, 1, 1}, at[4] = {0, 0, 0, 0}, total = 1;
    for (int i = 0; i < rank; i++) {
        n[i] = (dims[i] + ch[i] - 1) / ch[i];
        total *= n[i];
    }
    unsigned char *buf = NULL;
    size_t cap = 0;
    int rc = 1;
    for (hsize_t k = 0; k < total && rc == 1; k++) {
        hsize_t q = k, off[4];
        for (int i = rank - 1; i >= 0; i--) {
            at[i] = q % n[i];
            q /= n[i];
            off[i] = at[i] * ch[i];
        }
        hsize_t size = 0;
        uint32_t mask = 0;
        if (H5Dget_chunk_storage_size(d, off, &size) < 0) {
            rc = -1;
            break;
        }
        if (size == 0) continue;  /* never written: the fill value, nothing stored */
        if (size > ((hsize_t)1 << 30)) {
            snprintf(c->err, c->errlen, "%s: %s: a chunk of %llu bytes", c->path, name, (unsigned long long)size);
            rc = -1;
            break;
        }
        if (size > cap) {
            unsigned char *b = realloc(buf, (size_t)size);
            if (!b) {
                snprintf(c->err, c->errlen, "%s: out of memory", c->path);
                rc = -1;
                break;
            }
            buf = b;
            cap = (size_t)size;
        }
        if (H5Dread_chunk(d, H5P_DEFAULT, off, &mask, buf) < 0) {
            rc = -1;
            break;
        }
        if (mask & (1u << (nf - 1))) {  /* stored without its checksum: read it the long way */
            rc = 0;
            break;
        }
        if (!wf_stored_checksum_ok(buf, (size_t)size)) {
            snprintf(c->err, c->errlen, "%s: %s: the chunk at row %llu fails its checksum (the file is damaged)",
                     c->path, name, (unsigned long long)off[0]);
            free(buf);
            return -1;
        }
    }
    free(buf);
    if (rc < 0 && !c->err[0]) wf_h5_fail(c->err, c->errlen, c->path, "reading %s", name);
    return rc;
}

/* Read dataset d in slabs of whole rows (its first axis), a few MiB each. */
static int check_dataset(check_state *c, hid_t d, const char *name)
{
    hid_t fs = H5Dget_space(d), ft = H5Dget_type(d), ms = -1;
    char *buf = NULL;
    int rc = -1;
    hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = {0}, count[H5S_MAX_RANK];
    int rank = fs < 0 ? -1 : H5Sget_simple_extent_ndims(fs);
    H5T_class_t cls = ft < 0 ? H5T_NO_CLASS : H5Tget_class(ft);
    size_t tsize = ft < 0 ? 0 : H5Tget_size(ft);
    if (rank < 0 || H5Sget_simple_extent_dims(fs, dims, NULL) < 0) goto h5fail;
    if (!(cls == H5T_INTEGER || cls == H5T_FLOAT || (cls == H5T_STRING && H5Tis_variable_str(ft) == 0)) ||
        tsize == 0 || tsize > 64) {
        snprintf(c->err, c->errlen, "%s: %s: a dataset of an unexpected type", c->path, name);
        goto out;
    }
    size_t row = tsize;
    for (int i = 1; i < rank; i++)
        if (!wf_mul(row, (size_t)dims[i], &row) || row > ((size_t)1 << 28)) {
            snprintf(c->err, c->errlen, "%s: %s: rows too large to be a winterflow dataset", c->path, name);
            goto out;
        }
    if (rank == 0 || dims[0] == 0 || row == 0) {
        rc = 0;
        goto out;
    }
    int stored = cls == H5T_FLOAT ? check_stored(c, d, name, rank, dims) : 0;
    if (stored) {
        rc = stored > 0 ? 0 : -1;
        goto out;
    }
    hsize_t step = ((size_t)4 << 20) / row;
    if (step < 1) step = 1;
    if (step > dims[0]) step = dims[0];
    if (!(buf = malloc(row * (size_t)step))) {
        snprintf(c->err, c->errlen, "%s: out of memory", c->path);
        c->oom = 1;
        goto out;
    }
    hid_t mt = H5Tcopy(ft);
    for (hsize_t at = 0; mt >= 0 && at < dims[0]; at += step) {
        for (int i = 1; i < rank; i++) count[i] = dims[i];
        start[0] = at;
        count[0] = dims[0] - at < step ? dims[0] - at : step;
        if (ms >= 0) H5Sclose(ms);
        ms = H5Screate_simple(rank, count, NULL);
        if (ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dread(d, mt, ms, fs, H5P_DEFAULT, buf) < 0) {
            H5Tclose(mt);
            goto h5fail;
        }
    }
    if (mt >= 0) H5Tclose(mt);
    rc = mt < 0 ? -1 : 0;
    if (rc) goto h5fail;
    goto out;
h5fail:
    wf_h5_fail(c->err, c->errlen, c->path, "reading %s", name);
out:
    free(buf);
    if (ms >= 0) H5Sclose(ms);
    if (ft >= 0) H5Tclose(ft);
    if (fs >= 0) H5Sclose(fs);
    return rc;
}

static herr_t check_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    check_state *c = data;
    if (info->type != H5L_TYPE_HARD) {
        snprintf(c->err, c->errlen, "%s: %s: a link to elsewhere (winterflow files hold none)", c->path, name);
        c->failed = 1;
        return -1;
    }
    hid_t o = H5Oopen(g, name, H5P_DEFAULT);
    if (o < 0) {
        wf_h5_fail(c->err, c->errlen, c->path, "opening %s", name);
        c->failed = 1;
        return -1;
    }
    int rc = 0;
    if (H5Iget_type(o) == H5I_DATASET)
        rc = wf_h5_dataset_ok(o, c->path, name, c->err, c->errlen) < 0 ? -1 : check_dataset(c, o, name);
    H5Oclose(o);
    if (rc) c->failed = 1;
    return rc ? -1 : 0;
}

wf_status wf_h5_check_data(hid_t file, const char *path, char *err, size_t errlen)
{
    check_state c = {.path = path, .err = err, .errlen = errlen, .failed = 0, .oom = 0};
    herr_t st = H5Lvisit(file, H5_INDEX_NAME, H5_ITER_NATIVE, check_cb, &c);
    if (st < 0 && !c.failed) wf_h5_fail(err, errlen, path, "listing the file's objects");
    return c.oom ? WF_ENOMEM : st < 0 || c.failed ? WF_EIO : WF_OK;
}
