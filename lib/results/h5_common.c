#include "results/h5_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wf_h5_quiet_begin(wf_h5_quiet *q)
{
    q->func = NULL;
    q->data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void wf_h5_quiet_end(const wf_h5_quiet *q) { H5Eset_auto2(H5E_DEFAULT, q->func, q->data); }

typedef struct {
    char msg[512];
    int found_errno; /* a message naming errno (an OS error) wins */
    int n;
} walk_state;

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    walk_state *w = data;
    if (!e->desc || !e->desc[0]) return 0;
    int has_errno = strstr(e->desc, "errno") != NULL;
    /* Walking upward: the first entry is the most specific one. */
    if (w->n == 0 || (has_errno && !w->found_errno)) {
        snprintf(w->msg, sizeof w->msg, "%s", e->desc);
        w->found_errno = has_errno;
    }
    w->n++;
    return 0;
}

void wf_h5_fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    walk_state w = {.msg = "", .found_errno = 0, .n = 0};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, &w);
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (w.msg[0])
        snprintf(err, errlen, "%s: %s failed: %s", path, what, w.msg);
    else
        snprintf(err, errlen, "%s: %s failed", path, what);
    H5Eclear2(H5E_DEFAULT);
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

int wf_h5_attr_read_str(hid_t loc, const char *name, char *buf, size_t len)
{
    if (len == 0 || H5Aexists(loc, name) <= 0) return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return -1;
    int rc = -1;
    hid_t ft = H5Aget_type(a);
    hid_t sp = H5Aget_space(a);
    if (ft >= 0 && sp >= 0 && H5Tget_class(ft) == H5T_STRING && H5Sget_simple_extent_npoints(sp) == 1) {
        if (H5Tis_variable_str(ft) > 0) {
            hid_t mt = wf_h5_vlen_str();
            char *s = NULL;
            if (mt >= 0 && H5Aread(a, mt, &s) >= 0 && s) {
                snprintf(buf, len, "%s", s);
                H5free_memory(s);
                rc = 0;
            }
            if (mt >= 0) H5Tclose(mt);
        } else {
            size_t size = H5Tget_size(ft);
            char *tmp = malloc(size + 1);
            hid_t mt = H5Tcopy(ft);
            if (tmp && mt >= 0 && H5Aread(a, mt, tmp) >= 0) {
                tmp[size] = 0;
                snprintf(buf, len, "%s", tmp);
                rc = 0;
            }
            if (mt >= 0) H5Tclose(mt);
            free(tmp);
        }
    }
    if (sp >= 0) H5Sclose(sp);
    if (ft >= 0) H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

int wf_h5_attr_read_i64(hid_t loc, const char *name, int64_t *v)
{
    if (H5Aexists(loc, name) <= 0) return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return -1;
    int rc = H5Aread(a, H5T_NATIVE_INT64, v) >= 0 ? 0 : -1;
    H5Aclose(a);
    return rc;
}
