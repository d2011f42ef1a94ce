/* The calibration file (calibration_file.h; layout in docs/calibrate.md):
 *
 *   /                 attributes: winterflow_calibration_format, version,
 *                     created, fingerprint, seed, replicates, particles,
 *                     batch, common_random_numbers, keep, min_acceptance,
 *                     budget, converged
 *   /scenario_yaml    the resolved base scenario (text)
 *   /command_line     (text)
 *   /parameters       key (text rows), prior_lo, prior_hi
 *   /observed         date, organisation, metric (text rows), value
 *   /generations      tolerance, acceptance, ess, simulations; mean, lo,
 *                     hi [generation][key]
 *   /population       theta [particle][key], weight, distance,
 *                     simulated [particle][replicate][row]
 *
 * Text is stored as netCDF char arrays are (bytes, NUL-padded rows). Every
 * dataset is chunked with a Fletcher32 checksum; the file is written to a
 * temporary file and renamed over the target (atomic_file.c), through the
 * writer's file driver, so a full disk is an error and never a part-file.
 * The reader trusts nothing: every dataset's class, rank and shape is
 * checked against the others and against the file's size before memory is
 * sized, and text must be UTF-8 without control characters. */
#define _POSIX_C_SOURCE 200809L
#include "results/calibration_file.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "results/atomic_file.h"
#include "results/h5_writer.h"

#define FORMAT_ATTR "winterflow_calibration_format"
#define MAX_NAME 4096  /* a key, a metric, an organisation, a date */

void wf_calfile_free(wf_calfile *f)
{
    if (!f) return;
    for (size_t i = 0; f->keys && i < f->n_keys; i++) free(f->keys[i]);
    for (size_t i = 0; i < f->n_rows; i++) {
        if (f->date) free(f->date[i]);
        if (f->org) free(f->org[i]);
        if (f->metric) free(f->metric[i]);
    }
    free(f->fingerprint), free(f->scenario_yaml), free(f->command_line);
    free(f->keys), free(f->prior_lo), free(f->prior_hi);
    free(f->date), free(f->org), free(f->metric), free(f->value);
    free(f->tolerance), free(f->acceptance), free(f->ess), free(f->simulations);
    free(f->gen_mean), free(f->gen_lo), free(f->gen_hi);
    free(f->theta), free(f->weight), free(f->distance), free(f->sim);
    memset(f, 0, sizeof *f);
}

/* ---- writing ------------------------------------------------------------- */

typedef struct {
    const char *path;
    char *err;
    size_t errlen;
    int io_errno;
} cw;

/* A chunked, checksummed dataset holding buf (dims may be 0: then empty and
 * unlimited, as HDF5 wants chunks of at least one element). */
static int put(cw *w, hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank, const hsize_t *dims,
               const void *buf)
{
    hsize_t chunk[3], max[3];
    size_t elem = H5Tget_size(ftype), bytes = elem;
    int empty = 0;
    for (int i = 0; i < rank; i++) {
        chunk[i] = dims[i] ? dims[i] : 1;
        max[i] = dims[i] ? dims[i] : H5S_UNLIMITED;
        empty |= dims[i] == 0;
    }
    /* chunks of at most about 1 MiB, cut along the first axis */
    for (int i = 1; i < rank; i++) bytes *= (size_t)chunk[i];
    while (chunk[0] > 1 && bytes * (size_t)chunk[0] > ((size_t)1 << 20)) chunk[0] = (chunk[0] + 1) / 2;
    hid_t sp = H5Screate_simple(rank, dims, max), dcpl = H5Pcreate(H5P_DATASET_CREATE), d = -1;
    int rc = -1;
    if (sp >= 0 && dcpl >= 0) {
        H5Pset_obj_track_times(dcpl, 0);
        if (H5Pset_chunk(dcpl, rank, chunk) >= 0 && H5Pset_fletcher32(dcpl) >= 0)
            d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    }
    if (d >= 0 && (empty || H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0)) rc = 0;
    if (rc) wf_h5_fail(w->err, w->errlen, w->path, "writing %s", name);
    if (d >= 0) H5Dclose(d);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (sp >= 0) H5Sclose(sp);
    return rc;
}

static int put_f64(cw *w, hid_t loc, const char *name, int rank, const hsize_t *dims, const double *v)
{
    return put(w, loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims, v);
}

static int put_i64(cw *w, hid_t loc, const char *name, size_t n, const int64_t *v)
{
    hsize_t dims[1] = {n};
    return put(w, loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, 1, dims, v);
}

/* n strings as a (n, longest) char array. */
static int put_text_rows(cw *w, hid_t loc, const char *name, char *const *v, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i]) > len) len = strlen(v[i]);
    char *buf = calloc(n ? n : 1, len);
    hid_t ch = wf_h5_char();
    int rc = -1;
    if (buf && ch >= 0) {
        for (size_t i = 0; i < n; i++) memcpy(buf + i * len, v[i], strlen(v[i]));
        hsize_t dims[2] = {n, len};
        rc = put(w, loc, name, ch, ch, 2, dims, buf);
    } else {
        snprintf(w->err, w->errlen, "%s: out of memory", w->path);
    }
    if (ch >= 0) H5Tclose(ch);
    free(buf);
    return rc;
}

/* One string as a 1-D char array. */
static int put_text(cw *w, hid_t loc, const char *name, const char *s)
{
    hid_t ch = wf_h5_char();
    hsize_t dims[1] = {strlen(s)};
    int rc = ch >= 0 ? put(w, loc, name, ch, ch, 1, dims, s) : -1;
    if (ch >= 0) H5Tclose(ch);
    return rc;
}

static hid_t group(cw *w, hid_t loc, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0) wf_h5_fail(w->err, w->errlen, w->path, "creating group %s", name);
    H5Pclose(gcpl);
    return g;
}

static int write_all(cw *w, hid_t file, const wf_calfile *f)
{
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (wf_h5_attr_i32(file, FORMAT_ATTR, WF_CALFILE_FORMAT) < 0 || wf_h5_attr_str(file, "version", wf_version()) < 0 ||
        wf_h5_attr_str(file, "created", created) < 0 || wf_h5_attr_str(file, "fingerprint", f->fingerprint) < 0 ||
        wf_h5_attr_i64(file, "seed", f->seed) < 0 || wf_h5_attr_i64(file, "replicates", f->replicates) < 0 ||
        wf_h5_attr_i64(file, "particles", f->particles) < 0 || wf_h5_attr_i64(file, "batch", f->batch) < 0 ||
        wf_h5_attr_i64(file, "common_random_numbers", f->common_random_numbers) < 0 ||
        wf_h5_attr_f64(file, "keep", f->keep) < 0 || wf_h5_attr_f64(file, "min_acceptance", f->min_acceptance) < 0 ||
        wf_h5_attr_i64(file, "budget", f->budget) < 0 || wf_h5_attr_i64(file, "converged", f->converged) < 0) {
        wf_h5_fail(w->err, w->errlen, w->path, "writing the root attributes");
        return -1;
    }
    if (put_text(w, file, "scenario_yaml", f->scenario_yaml) < 0 ||
        put_text(w, file, "command_line", f->command_line ? f->command_line : "") < 0)
        return -1;
    size_t K = f->n_keys, n = f->n_rows, G = f->n_gen, P = f->n_particles;
    int rc = -1;
    hid_t g = group(w, file, "parameters");
    hsize_t dk[1] = {K};
    if (g >= 0 && !put_text_rows(w, g, "key", f->keys, K) && !put_f64(w, g, "prior_lo", 1, dk, f->prior_lo) &&
        !put_f64(w, g, "prior_hi", 1, dk, f->prior_hi))
        rc = 0;
    if (g >= 0) H5Gclose(g);
    if (rc) return -1;

    rc = -1;
    g = group(w, file, "observed");
    hsize_t dn[1] = {n};
    if (g >= 0 && !put_text_rows(w, g, "date", f->date, n) && !put_text_rows(w, g, "organisation", f->org, n) &&
        !put_text_rows(w, g, "metric", f->metric, n) && !put_f64(w, g, "value", 1, dn, f->value))
        rc = 0;
    if (g >= 0) H5Gclose(g);
    if (rc) return -1;

    rc = -1;
    g = group(w, file, "generations");
    hsize_t dg[1] = {G}, dgk[2] = {G, K};
    if (g >= 0 && !put_f64(w, g, "tolerance", 1, dg, f->tolerance) && !put_f64(w, g, "acceptance", 1, dg, f->acceptance) &&
        !put_f64(w, g, "ess", 1, dg, f->ess) && !put_i64(w, g, "simulations", G, f->simulations) &&
        !put_f64(w, g, "mean", 2, dgk, f->gen_mean) && !put_f64(w, g, "lo", 2, dgk, f->gen_lo) &&
        !put_f64(w, g, "hi", 2, dgk, f->gen_hi))
        rc = 0;
    if (g >= 0) H5Gclose(g);
    if (rc) return -1;

    rc = -1;
    g = group(w, file, "population");
    hsize_t dp[1] = {P}, dpk[2] = {P, K}, dsim[3] = {P, (hsize_t)f->replicates, n};
    if (g >= 0 && !put_f64(w, g, "theta", 2, dpk, f->theta) && !put_f64(w, g, "weight", 1, dp, f->weight) &&
        !put_f64(w, g, "distance", 1, dp, f->distance) && !put_f64(w, g, "simulated", 3, dsim, f->sim))
        rc = 0;
    if (g >= 0) H5Gclose(g);
    return rc;
}

wf_status wf_calfile_write(const wf_calfile *f, const char *path, char *err, size_t errlen)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "%s: is a folder, not a calibration file", path);
        return WF_EIO;
    }
    wf_atomic tmp = {.target = path, .tmp = NULL};
    wf_status st = wf_atomic_begin(&tmp, path, 0, err, errlen);
    if (st != WF_OK) return st;
    cw w = {.path = path, .err = err, .errlen = errlen, .io_errno = 0};
    wf_h5_section q;
    wf_h5_enter(&q);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), fcpl = H5Pcreate(H5P_FILE_CREATE), file = -1;
    if (fapl < 0 || fcpl < 0 || wf_h5_use_driver(fapl) < 0) {
        wf_h5_fail(err, errlen, path, "setting up the HDF5 file driver");
        st = WF_EIO;
    } else {
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
#ifdef H5F_LIBVER_V110
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
#else
        H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
#endif
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        file = H5Fcreate(tmp.tmp, H5F_ACC_TRUNC, fcpl, fapl);
        if (file < 0) {
            wf_h5_fail(err, errlen, path, "creating the file");
            st = WF_EIO;
        } else {
            wf_h5_watch(file, fapl, &w.io_errno);
            if (write_all(&w, file, f) < 0) st = WF_EIO;
            if (st == WF_OK && H5Fflush(file, H5F_SCOPE_LOCAL) < 0) {
                wf_h5_fail(err, errlen, path, "writing the file out");
                st = WF_EIO;
            }
            if (H5Fclose(file) < 0 && st == WF_OK) {
                wf_h5_fail(err, errlen, path, "closing the file");
                st = WF_EIO;
            }
            if (w.io_errno) {
                char eb[128];
                snprintf(err, errlen, "%s: writing the file failed: %s", path, wf_strerror(w.io_errno, eb, sizeof eb));
                st = WF_EIO;
            }
        }
    }
    if (fapl >= 0) H5Pclose(fapl);
    if (fcpl >= 0) H5Pclose(fcpl);
    H5Eclear2(H5E_DEFAULT);
    wf_h5_leave(&q);
    if (st == WF_OK) st = wf_atomic_commit(&tmp, err, errlen);
    wf_atomic_end(&tmp);
    return st;
}

/* ---- reading ------------------------------------------------------------- */

typedef struct {
    const char *path;
    char *err;
    size_t errlen;
    size_t file_size;
} cr;

static wf_status bad(cr *r, const char *obj, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static wf_status bad(cr *r, const char *obj, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->errlen, "%s: %s: %s", r->path, obj, what);
    return WF_EIO;
}

/* Open dataset group/name, checked to be stored as winterflow stores data,
 * of the given type class (H5T_STRING: fixed one-byte chars) and rank; its
 * shape in dims, each at most max[i], the whole at most the file's size. */
static hid_t open_ds(cr *r, hid_t loc, const char *where, const char *name, H5T_class_t cls, int rank, hsize_t *dims,
                     const size_t *max)
{
    char obj[256];
    snprintf(obj, sizeof obj, "%s/%s", where, name);
    htri_t e = H5Lexists(loc, name, H5P_DEFAULT);
    H5L_info_t li;
    if (e <= 0) {
        if (e < 0) wf_h5_fail(r->err, r->errlen, r->path, "looking up %s", obj);
        else bad(r, obj, "missing (is it a winterflow calibration file?)");
        return -1;
    }
    if (H5Lget_info(loc, name, &li, H5P_DEFAULT) < 0 || li.type != H5L_TYPE_HARD) {
        bad(r, obj, "a link to elsewhere (no path in a file is followed)");
        return -1;
    }
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
    if (ds < 0) {
        wf_h5_fail(r->err, r->errlen, r->path, "opening %s", obj);
        return -1;
    }
    if (wf_h5_dataset_ok(ds, r->path, obj, r->err, r->errlen) < 0) {
        H5Dclose(ds);
        return -1;
    }
    hid_t t = H5Dget_type(ds), sp = H5Dget_space(ds);
    int ok = t >= 0 && sp >= 0 && H5Tget_class(t) == cls;
    size_t elem = t >= 0 ? H5Tget_size(t) : 0;
    if (ok && cls == H5T_STRING) ok = H5Tis_variable_str(t) == 0 && elem == 1;
    if (ok && cls != H5T_STRING) ok = elem == 8;
    int n = sp >= 0 && H5Sget_simple_extent_type(sp) == H5S_SIMPLE ? H5Sget_simple_extent_ndims(sp) : 0;
    if (!ok) {
        bad(r, obj, "not of the type winterflow writes (%s)", cls == H5T_STRING ? "text" : "8-byte numbers");
    } else if (n != rank || H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
        bad(r, obj, "%d dimensions, expected %d", n, rank);
        ok = 0;
    } else {
        size_t total = elem;
        for (int i = 0; ok && i < rank; i++) {
            if (dims[i] > max[i]) {
                bad(r, obj, "%llu along dimension %d, at most %zu", (unsigned long long)dims[i], i + 1, max[i]);
                ok = 0;
            } else if (!wf_mul(total, (size_t)dims[i], &total)) {
                ok = 0;
            }
        }
        if (ok && total > r->file_size + 4096) {
            bad(r, obj, "more data (%zu bytes) than the file holds", total);
            ok = 0;
        }
    }
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    if (!ok) {
        H5Dclose(ds);
        return -1;
    }
    return ds;
}

static int read_into(cr *r, hid_t ds, hid_t mtype, void *buf, const char *obj)
{
    if (H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        wf_h5_fail(r->err, r->errlen, r->path, "reading %s (a damaged file fails its checksum)", obj);
        return -1;
    }
    return 0;
}

/* A numeric dataset of exactly `want` shape, into a fresh array. */
static wf_status get_num(cr *r, hid_t loc, const char *where, const char *name, int rank, const size_t *want,
                         int is_int, void **out)
{
    hsize_t dims[3];
    size_t max[3];
    for (int i = 0; i < rank; i++) max[i] = want[i];
    char obj[256];
    snprintf(obj, sizeof obj, "%s/%s", where, name);
    hid_t ds = open_ds(r, loc, where, name, is_int ? H5T_INTEGER : H5T_FLOAT, rank, dims, max);
    if (ds < 0) return WF_EIO;
    size_t n = 1;
    wf_status st = WF_OK;
    for (int i = 0; i < rank && st == WF_OK; i++) {
        if (dims[i] != want[i]) st = bad(r, obj, "%llu along dimension %d, expected %zu", (unsigned long long)dims[i], i + 1, want[i]);
        n *= want[i];
    }
    void *buf = st == WF_OK ? malloc(n ? n * 8 : 8) : NULL;
    if (st == WF_OK && !buf) st = WF_ENOMEM;
    if (st == WF_OK && n && read_into(r, ds, is_int ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, buf, obj) < 0) st = WF_EIO;
    H5Dclose(ds);
    if (st != WF_OK) {
        free(buf);
        buf = NULL;
    }
    *out = buf;
    return st;
}

/* A text rows dataset: (n, len) bytes, n at most max_n (exactly want_n
 * unless that is (size_t)-1); each row UTF-8 without controls. */
static wf_status get_rows(cr *r, hid_t loc, const char *where, const char *name, size_t max_n, size_t *n_out,
                          char ***out)
{
    hsize_t dims[2];
    size_t max[2] = {max_n, MAX_NAME};
    char obj[256];
    snprintf(obj, sizeof obj, "%s/%s", where, name);
    *out = NULL;
    hid_t ds = open_ds(r, loc, where, name, H5T_STRING, 2, dims, max);
    if (ds < 0) return WF_EIO;
    size_t n = (size_t)dims[0], len = (size_t)dims[1];
    wf_status st = WF_OK;
    if (*n_out != (size_t)-1 && n != *n_out) st = bad(r, obj, "%zu rows, expected %zu", n, *n_out);
    char *buf = st == WF_OK ? malloc(n * len + 1) : NULL;
    char **v = st == WF_OK ? calloc(n + 1, sizeof *v) : NULL;
    if (st == WF_OK && (!buf || !v)) st = WF_ENOMEM;
    hid_t ch = wf_h5_char();
    if (st == WF_OK && n && len && read_into(r, ds, ch, buf, obj) < 0) st = WF_EIO;
    if (ch >= 0) H5Tclose(ch);
    for (size_t i = 0; i < n && st == WF_OK; i++) {
        const char *p = buf + i * len;
        size_t k = strnlen(p, len);
        if (!wf_utf8_ok(p, k, false) || k == 0) {
            st = bad(r, obj, "row %zu is empty or not UTF-8 text", i + 1);
        } else if (!(v[i] = malloc(k + 1))) {
            st = WF_ENOMEM;
        } else {
            memcpy(v[i], p, k);
            v[i][k] = 0;
        }
    }
    H5Dclose(ds);
    free(buf);
    if (st != WF_OK && v) {
        for (size_t i = 0; i < n; i++) free(v[i]);
        free(v);
        v = NULL;
    }
    *out = v;
    *n_out = n;
    return st;
}

static wf_status get_text(cr *r, hid_t loc, const char *name, bool multiline, char **out)
{
    hsize_t dims[1];
    size_t max[1] = {WF_CALFILE_MAX_TEXT};
    *out = NULL;
    hid_t ds = open_ds(r, loc, "", name, H5T_STRING, 1, dims, max);
    if (ds < 0) return WF_EIO;
    size_t n = (size_t)dims[0];
    char *s = malloc(n + 1);
    wf_status st = s ? WF_OK : WF_ENOMEM;
    hid_t ch = wf_h5_char();
    if (st == WF_OK && n && read_into(r, ds, ch, s, name) < 0) st = WF_EIO;
    if (ch >= 0) H5Tclose(ch);
    H5Dclose(ds);
    if (st == WF_OK) {
        s[n] = 0;
        if (strlen(s) != n || !wf_utf8_ok(s, n, multiline)) st = bad(r, name, "not UTF-8 text");
    }
    if (st != WF_OK) {
        free(s);
        s = NULL;
    }
    *out = s;
    return st;
}

static wf_status attr_i64(cr *r, hid_t file, const char *name, int64_t lo, int64_t hi, int64_t *v)
{
    int rc = wf_h5_attr_read_i64(file, name, v);
    if (rc != 1) return bad(r, "/", "attribute %s %s", name, rc == 0 ? "missing" : "is not an integer");
    if (*v < lo || *v > hi) return bad(r, "/", "attribute %s = %lld, outside %lld .. %lld", name, (long long)*v, (long long)lo, (long long)hi);
    return WF_OK;
}

static wf_status attr_f64(cr *r, hid_t file, const char *name, double *v)
{
    htri_t e = H5Aexists(file, name);
    if (e <= 0) return bad(r, "/", "attribute %s missing", name);
    hid_t a = H5Aopen(file, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : -1, sp = a >= 0 ? H5Aget_space(a) : -1;
    int ok = t >= 0 && sp >= 0 && H5Tget_class(t) == H5T_FLOAT && H5Sget_simple_extent_npoints(sp) == 1 &&
             H5Aread(a, H5T_NATIVE_DOUBLE, v) >= 0;
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    if (a >= 0) H5Aclose(a);
    return ok ? WF_OK : bad(r, "/", "attribute %s is not a number", name);
}

static hid_t open_group(cr *r, hid_t file, const char *name)
{
    H5L_info_t li;
    htri_t e = H5Lexists(file, name, H5P_DEFAULT);
    if (e <= 0 || H5Lget_info(file, name, &li, H5P_DEFAULT) < 0 || li.type != H5L_TYPE_HARD) {
        bad(r, name, e == 0 ? "missing (is it a winterflow calibration file?)" : "not a group of this file");
        return -1;
    }
    hid_t g = H5Gopen2(file, name, H5P_DEFAULT);
    if (g < 0) wf_h5_fail(r->err, r->errlen, r->path, "opening %s", name);
    return g;
}

static htri_t is_hdf5(const char *path, hid_t fapl)
{
#if H5_VERSION_GE(1, 12, 0)
    return H5Fis_accessible(path, fapl);
#else
    (void)fapl;
    return H5Fis_hdf5(path);
#endif
}

static wf_status read_all(cr *r, hid_t file, wf_calfile *f)
{
    int64_t fmt = 0;
    if (wf_h5_attr_read_i64(file, FORMAT_ATTR, &fmt) != 1)
        return bad(r, "/", "no attribute %s: not a winterflow calibration file", FORMAT_ATTR);
    if (fmt != WF_CALFILE_FORMAT)
        return bad(r, "/", "calibration file format %lld; this winterflow reads format %d", (long long)fmt, WF_CALFILE_FORMAT);
    char fp[128];
    if (wf_h5_attr_read_str(file, "fingerprint", fp, sizeof fp) != 1) return bad(r, "/", "attribute fingerprint missing or not text");
    if (!(f->fingerprint = strdup(fp))) return WF_ENOMEM;
    wf_status st;
    if ((st = attr_i64(r, file, "seed", 0, INT64_MAX, &f->seed)) || (st = attr_i64(r, file, "replicates", 1, WF_CALFILE_MAX_REPLICATES, &f->replicates)) ||
        (st = attr_i64(r, file, "particles", 1, WF_CALFILE_MAX_PARTICLES, &f->particles)) ||
        (st = attr_i64(r, file, "batch", 1, 2 * (int64_t)WF_CALFILE_MAX_PARTICLES, &f->batch)) ||
        (st = attr_i64(r, file, "common_random_numbers", 0, 1, &f->common_random_numbers)) ||
        (st = attr_i64(r, file, "budget", 1, INT64_MAX, &f->budget)) || (st = attr_i64(r, file, "converged", 0, 1, &f->converged)) ||
        (st = attr_f64(r, file, "keep", &f->keep)) || (st = attr_f64(r, file, "min_acceptance", &f->min_acceptance)))
        return st;
    if (!(f->keep > 0 && f->keep < 1) || !(f->min_acceptance >= 0 && f->min_acceptance <= 1))
        return bad(r, "/", "keep or min_acceptance out of range");
    if ((st = get_text(r, file, "scenario_yaml", true, &f->scenario_yaml)) || (st = get_text(r, file, "command_line", false, &f->command_line)))
        return st;

    hid_t g = open_group(r, file, "parameters");
    if (g < 0) return WF_EIO;
    f->n_keys = (size_t)-1;
    st = get_rows(r, g, "parameters", "key", WF_CALIBRATION_MAX_KEYS, &f->n_keys, &f->keys);
    size_t K = st == WF_OK ? f->n_keys : 0;
    if (st == WF_OK && K == 0) st = bad(r, "parameters/key", "no keys");
    if (st == WF_OK) st = get_num(r, g, "parameters", "prior_lo", 1, (size_t[]){K}, 0, (void **)&f->prior_lo);
    if (st == WF_OK) st = get_num(r, g, "parameters", "prior_hi", 1, (size_t[]){K}, 0, (void **)&f->prior_hi);
    for (size_t k = 0; st == WF_OK && k < K; k++)
        if (!(f->prior_lo[k] < f->prior_hi[k])) st = bad(r, "parameters", "prior of %s: lo is not below hi", f->keys[k]);
    H5Gclose(g);
    if (st) return st;

    if ((g = open_group(r, file, "observed")) < 0) return WF_EIO;
    f->n_rows = (size_t)-1;
    char **date = NULL;
    st = get_rows(r, g, "observed", "date", WF_OBSERVED_MAX_ROWS, &f->n_rows, &date);
    f->date = date;
    size_t n = st == WF_OK ? f->n_rows : 0;
    if (st != WF_OK) f->n_rows = 0;
    if (st == WF_OK && n == 0) st = bad(r, "observed/date", "no rows");
    size_t n2 = n, n3 = n;
    if (st == WF_OK) st = get_rows(r, g, "observed", "organisation", WF_OBSERVED_MAX_ROWS, &n2, &f->org);
    if (st == WF_OK) st = get_rows(r, g, "observed", "metric", WF_OBSERVED_MAX_ROWS, &n3, &f->metric);
    if (st == WF_OK) st = get_num(r, g, "observed", "value", 1, (size_t[]){n}, 0, (void **)&f->value);
    H5Gclose(g);
    if (st) return st;

    if ((g = open_group(r, file, "generations")) < 0) return WF_EIO;
    hsize_t dims[1];
    size_t maxg[1] = {WF_CALFILE_MAX_GENERATIONS};
    hid_t ds = open_ds(r, g, "generations", "tolerance", H5T_FLOAT, 1, dims, maxg);
    if (ds < 0) st = WF_EIO;
    else H5Dclose(ds);
    size_t G = st == WF_OK ? (size_t)dims[0] : 0;
    if (st == WF_OK) st = get_num(r, g, "generations", "tolerance", 1, (size_t[]){G}, 0, (void **)&f->tolerance);
    if (st == WF_OK) st = get_num(r, g, "generations", "acceptance", 1, (size_t[]){G}, 0, (void **)&f->acceptance);
    if (st == WF_OK) st = get_num(r, g, "generations", "ess", 1, (size_t[]){G}, 0, (void **)&f->ess);
    if (st == WF_OK) st = get_num(r, g, "generations", "simulations", 1, (size_t[]){G}, 1, (void **)&f->simulations);
    if (st == WF_OK) st = get_num(r, g, "generations", "mean", 2, (size_t[]){G, K}, 0, (void **)&f->gen_mean);
    if (st == WF_OK) st = get_num(r, g, "generations", "lo", 2, (size_t[]){G, K}, 0, (void **)&f->gen_lo);
    if (st == WF_OK) st = get_num(r, g, "generations", "hi", 2, (size_t[]){G, K}, 0, (void **)&f->gen_hi);
    if (st == WF_OK) f->n_gen = G;
    for (size_t i = 0; st == WF_OK && i < G; i++)
        if (f->simulations[i] < 0 || (i && f->simulations[i] < f->simulations[i - 1]))
            st = bad(r, "generations/simulations", "not a running count");
    H5Gclose(g);
    if (st) return st;

    if ((g = open_group(r, file, "population")) < 0) return WF_EIO;
    size_t maxp[1] = {WF_CALFILE_MAX_PARTICLES};
    ds = open_ds(r, g, "population", "weight", H5T_FLOAT, 1, dims, maxp);
    if (ds < 0) st = WF_EIO;
    else H5Dclose(ds);
    size_t P = st == WF_OK ? (size_t)dims[0] : 0, R = (size_t)f->replicates;
    if (st == WF_OK && G > 0 && P != (size_t)f->particles)
        st = bad(r, "population", "%zu particles, the file says %lld", P, (long long)f->particles);
    if (st == WF_OK) st = get_num(r, g, "population", "theta", 2, (size_t[]){P, K}, 0, (void **)&f->theta);
    if (st == WF_OK) st = get_num(r, g, "population", "weight", 1, (size_t[]){P}, 0, (void **)&f->weight);
    if (st == WF_OK) st = get_num(r, g, "population", "distance", 1, (size_t[]){P}, 0, (void **)&f->distance);
    if (st == WF_OK) st = get_num(r, g, "population", "simulated", 3, (size_t[]){P, R, n}, 0, (void **)&f->sim);
    if (st == WF_OK) f->n_particles = P;
    for (size_t i = 0; st == WF_OK && i < P; i++) {
        if (!(f->weight[i] >= 0 && f->weight[i] < HUGE_VAL)) st = bad(r, "population/weight", "not finite and non-negative");
        for (size_t k = 0; st == WF_OK && k < K; k++) {
            double v = f->theta[i * K + k];
            if (!(v >= f->prior_lo[k] && v <= f->prior_hi[k]))
                st = bad(r, "population/theta", "particle %zu: %s outside its prior", i + 1, f->keys[k]);
        }
    }
    H5Gclose(g);
    return st;
}

wf_status wf_calfile_read(wf_calfile *f, const char *path, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    cr r = {.path = path, .err = err, .errlen = errlen};
    struct stat sb;
    char eb[128];
    if (stat(path, &sb) != 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, wf_strerror(errno, eb, sizeof eb));
        return WF_EIO;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s: not a file", path);
        return WF_EIO;
    }
    r.file_size = (size_t)sb.st_size;
    wf_h5_section q;
    wf_h5_enter(&q);
    wf_status st = WF_EIO;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), file = -1;
    if (fapl >= 0) H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open: %s", path, wf_strerror(errno, eb, sizeof eb));
    } else {
        fclose(fp);
        if (is_hdf5(path, fapl) <= 0) snprintf(err, errlen, "%s: not an HDF5 file", path);
        else if ((file = H5Fopen(path, H5F_ACC_RDONLY, fapl)) < 0) wf_h5_fail(err, errlen, path, "opening the file");
        else st = read_all(&r, file, f);
    }
    if (st == WF_ENOMEM) snprintf(err, errlen, "%s: out of memory", path);
    if (file >= 0 && H5Fclose(file) < 0 && st == WF_OK) {
        wf_h5_fail(err, errlen, path, "closing the file");
        st = WF_EIO;
    }
    if (fapl >= 0) H5Pclose(fapl);
    H5Eclear2(H5E_DEFAULT);
    wf_h5_leave(&q);
    if (st != WF_OK) wf_calfile_free(f);
    return st;
}

int wf_calfile_probe(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) return -1;
    wf_h5_section q;
    wf_h5_enter(&q);
    int rc = 0;
    if (is_hdf5(path, H5P_DEFAULT) > 0) {
        hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        int64_t fmt;
        if (file >= 0) {
            rc = wf_h5_attr_read_i64(file, FORMAT_ATTR, &fmt) == 1;
            H5Fclose(file);
        }
    }
    H5Eclear2(H5E_DEFAULT);
    wf_h5_leave(&q);
    return rc;
}
