#define _POSIX_C_SOURCE 200809L
/* The HDF5 results reader: loads a file written by h5_write.c (layout in
 * docs/results-file.md) into a results object.
 *
 * A results file comes from anywhere (email, a paper's supplement), so
 * nothing in it is trusted: every object is reached by a hard link (no
 * link, external storage or virtual dataset names another file), every
 * rank, shape, type and attribute is checked against the layout before a
 * buffer is sized, sizes are multiplied with overflow checks and bounded
 * by what the file's bytes can hold, names and dates are checked, and text
 * must be UTF-8. Any failure is WF_EIO with a message naming the object. */
#include "results/h5_common.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "results/metrics.h"

/* Bounds far beyond any real run (the parameter table allows 3,650 days
 * and 100,000 replicates); they keep sizes meaningful before allocating. */
#define MAX_ORGS 1000000u
#define MAX_REPS 10000000u
#define MAX_DAYS 1000000u
#define MAX_ROWS 100000000u
#define MAX_NAME 65536u
#define MAX_YAML (64u << 20)
/* Deflate expands data at most about 1032 times: data that would need more
 * memory than that over the file's size (plus some room) cannot be there. */
#define EXPAND_RATIO 1100u
#define EXPAND_SLACK ((size_t)64 << 20)

typedef struct {
    const char *path;
    char *err;
    size_t errlen;
    int format;
    size_t file_size;
} rd;

#define RERR(d) (d)->err, (d)->errlen

static wf_status bad(rd *d, const char *obj, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static wf_status bad(rd *d, const char *obj, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(RERR(d), "%s: %s: %s", d->path, obj, what);
    return WF_EIO;
}

static wf_status oom(rd *d)
{
    snprintf(RERR(d), "%s: out of memory", d->path);
    return WF_ENOMEM;
}

/* Can `bytes` of data come out of this file? */
static bool fits(rd *d, size_t bytes)
{
    size_t cap;
    if (!wf_mul(d->file_size, EXPAND_RATIO, &cap)) return true;
    return bytes <= cap + EXPAND_SLACK;
}

/* 1: `name` is a hard link in loc; 0: no such link; -1: error (set). */
static int has(rd *d, hid_t loc, const char *name)
{
    htri_t e = H5Lexists(loc, name, H5P_DEFAULT);
    if (e < 0) {
        wf_h5_fail(RERR(d), d->path, "looking up %s", name);
        return -1;
    }
    if (e == 0) return 0;
    H5L_info_t li;
    if (H5Lget_info(loc, name, &li, H5P_DEFAULT) < 0) {
        wf_h5_fail(RERR(d), d->path, "looking up %s", name);
        return -1;
    }
    if (li.type != H5L_TYPE_HARD) {
        bad(d, name, "a link to elsewhere (winterflow files hold none, and no path in a file is followed)");
        return -1;
    }
    return 1;
}

/* Open dataset `name` of loc, checked to be stored as winterflow stores
 * data. *absent (if not NULL) is set when it does not exist (then -1 and
 * no error); without `absent`, a missing dataset is an error. */
static hid_t open_ds(rd *d, hid_t loc, const char *name, int *absent)
{
    if (absent) *absent = 0;
    int h = has(d, loc, name);
    if (h < 0) return -1;
    if (h == 0) {
        if (absent) *absent = 1;
        else bad(d, name, "missing (is it a winterflow results file?)");
        return -1;
    }
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
    if (ds < 0) {
        wf_h5_fail(RERR(d), d->path, "opening %s", name);
        return -1;
    }
    if (wf_h5_dataset_ok(ds, d->path, name, RERR(d)) < 0) {
        H5Dclose(ds);
        return -1;
    }
    return ds;
}

/* The shape of ds, which must have `rank` dimensions. */
static wf_status shape(rd *d, hid_t ds, const char *name, int rank, hsize_t *dims)
{
    hid_t sp = H5Dget_space(ds);
    if (sp < 0) {
        wf_h5_fail(RERR(d), d->path, "reading the shape of %s", name);
        return WF_EIO;
    }
    int n = H5Sget_simple_extent_type(sp) == H5S_SIMPLE ? H5Sget_simple_extent_ndims(sp) : 0;
    wf_status st = WF_OK;
    if (n != rank)
        st = bad(d, name, "%d dimensions, expected %d", n, rank);
    else if (H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
        wf_h5_fail(RERR(d), d->path, "reading the shape of %s", name);
        st = WF_EIO;
    }
    H5Sclose(sp);
    return st;
}

/* The type class of ds; for strings, whether variable-length and the size. */
static H5T_class_t type_of(hid_t ds, int *variable, size_t *size)
{
    hid_t t = H5Dget_type(ds);
    if (t < 0) return H5T_NO_CLASS;
    H5T_class_t c = H5Tget_class(t);
    *variable = c == H5T_STRING && H5Tis_variable_str(t) > 0;
    *size = H5Tget_size(t);
    H5Tclose(t);
    return c;
}

/* One row of text: bytes up to trailing NULs, no NUL inside, UTF-8. */
static wf_status text_row(rd *d, const char *name, size_t row, const char *p, size_t n, bool multiline, char **out)
{
    while (n && !p[n - 1]) n--;
    if (memchr(p, 0, n)) return bad(d, name, "entry %zu holds a NUL byte", row);
    if (!wf_utf8_ok(p, n, multiline))
        return bad(d, name, "entry %zu is not %s UTF-8 text", row, multiline ? "valid" : "one line of");
    if (!(*out = malloc(n + 1))) return oom(d);
    memcpy(*out, p, n);
    (*out)[n] = 0;
    return WF_OK;
}

/* Format 2 text: a (rows, width) array of bytes. */
static wf_status read_text2(rd *d, hid_t ds, const char *name, size_t max_len, bool multiline, char **v, size_t rows,
                            size_t width)
{
    int variable;
    size_t size;
    if (type_of(ds, &variable, &size) != H5T_STRING || variable || size != 1)
        return bad(d, name, "not text of one-byte characters");
    if (width > max_len) return bad(d, name, "entries of %zu bytes (at most %zu)", width, max_len);
    size_t total;
    if (!wf_mul(rows, width, &total) || !fits(d, total))
        return bad(d, name, "%zu entries of %zu bytes: more than the file can hold", rows, width);
    if (rows == 0 || width == 0) {
        for (size_t i = 0; i < rows; i++)
            if (!(v[i] = calloc(1, 1))) return oom(d);
        return WF_OK;
    }
    size_t step = ((size_t)4 << 20) / width;
    if (step < 1) step = 1;
    if (step > rows) step = rows;
    char *buf = malloc(step * width);
    /* bytes as stored: the file's own type, so that HDF5 converts nothing
     * (a one-byte NULLTERM to NULLPAD conversion would blank every byte) */
    hid_t fs = H5Dget_space(ds), ms = -1, ch = H5Dget_type(ds);
    wf_status st = WF_OK;
    if (!buf || fs < 0 || ch < 0) st = buf ? WF_EIO : oom(d);
    if (st == WF_EIO) wf_h5_fail(RERR(d), d->path, "reading %s", name);
    for (size_t at = 0; st == WF_OK && at < rows; at += step) {
        size_t k = rows - at < step ? rows - at : step;
        hsize_t start[2] = {at, 0}, count[2] = {k, width};
        if (ms >= 0) H5Sclose(ms);
        ms = H5Screate_simple(2, count, NULL);
        if (ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dread(ds, ch, ms, fs, H5P_DEFAULT, buf) < 0) {
            wf_h5_fail(RERR(d), d->path, "reading %s", name);
            st = WF_EIO;
            break;
        }
        for (size_t i = 0; st == WF_OK && i < k; i++)
            st = text_row(d, name, at + i, buf + i * width, width, multiline, &v[at + i]);
    }
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    if (ch >= 0) H5Tclose(ch);
    free(buf);
    return st;
}

/* Format 1 text: variable-length strings (HDF5's global heap). */
static wf_status read_text1(rd *d, hid_t ds, const char *name, size_t max_len, bool multiline, char **v, size_t rows)
{
    int variable;
    size_t size;
    if (type_of(ds, &variable, &size) != H5T_STRING || !variable) return bad(d, name, "not variable-length strings");
    char **raw = calloc(rows + 1, sizeof *raw);
    hid_t vs = wf_h5_vlen_str();
    wf_status st = WF_OK;
    if (!raw || vs < 0) st = oom(d);
    else if (rows > 0 && H5Dread(ds, vs, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
        wf_h5_fail(RERR(d), d->path, "reading %s", name);
        st = WF_EIO;
        memset(raw, 0, (rows + 1) * sizeof *raw);
    }
    for (size_t i = 0; st == WF_OK && i < rows; i++) {
        const char *s = raw[i] ? raw[i] : "";
        size_t n = strnlen(s, max_len + 1);
        st = n > max_len ? bad(d, name, "entry %zu is longer than %zu bytes", i, max_len)
                         : text_row(d, name, i, s, n, multiline, &v[i]);
    }
    for (size_t i = 0; raw && i < rows; i++) H5free_memory(raw[i]);
    free(raw);
    if (vs >= 0) H5Tclose(vs);
    return st;
}

static void free_text(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

/* A 1-D text variable: *n entries (at most max_rows), each at most max_len
 * bytes, into *out (malloc'd strings). */
static wf_status read_text(rd *d, hid_t loc, const char *name, size_t max_rows, size_t max_len, bool multiline,
                           char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    hid_t ds = open_ds(d, loc, name, NULL);
    if (ds < 0) return WF_EIO;
    hsize_t dims[2] = {0, 0};
    wf_status st = shape(d, ds, name, d->format >= 2 ? 2 : 1, dims);
    char **v = NULL;
    if (st == WF_OK && dims[0] > max_rows) st = bad(d, name, "%llu entries (at most %zu)", (unsigned long long)dims[0], max_rows);
    if (st == WF_OK && !(v = calloc((size_t)dims[0] + 1, sizeof *v))) st = oom(d);
    if (st == WF_OK)
        st = d->format >= 2 ? read_text2(d, ds, name, max_len, multiline, v, (size_t)dims[0], (size_t)dims[1])
                            : read_text1(d, ds, name, max_len, multiline, v, (size_t)dims[0]);
    H5Dclose(ds);
    if (st != WF_OK) {
        free_text(v, (size_t)dims[0]);
        return st;
    }
    *out = v;
    *n = (size_t)dims[0];
    return WF_OK;
}

/* A 1-D integer variable of at most max_n entries, as int64. */
static wf_status read_ints(rd *d, hid_t loc, const char *name, size_t max_n, int64_t **out, size_t *n)
{
    *out = NULL;
    hid_t ds = open_ds(d, loc, name, NULL);
    if (ds < 0) return WF_EIO;
    hsize_t dim = 0;
    int variable;
    size_t size;
    wf_status st = shape(d, ds, name, 1, &dim);
    if (st == WF_OK && type_of(ds, &variable, &size) != H5T_INTEGER) st = bad(d, name, "not integers");
    if (st == WF_OK && dim > max_n) st = bad(d, name, "%llu entries (at most %zu)", (unsigned long long)dim, max_n);
    int64_t *v = NULL;
    if (st == WF_OK && !(v = malloc(((size_t)dim + 1) * sizeof *v))) st = oom(d);
    if (st == WF_OK && dim > 0 && H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        wf_h5_fail(RERR(d), d->path, "reading %s", name);
        st = WF_EIO;
    }
    H5Dclose(ds);
    if (st != WF_OK) {
        free(v);
        return st;
    }
    *out = v;
    *n = (size_t)dim;
    return WF_OK;
}

static const char *kind_literal(const char *k)
{
    static const char *const kinds[] = {"hospital", "locality", "community", "voluntary", "system"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(k, kinds[i])) return kinds[i];
    return NULL;
}

/* "days since YYYY-MM-DD" (a real date, year 1 to 9999) as an epoch day. */
static bool parse_units(const char *u, int32_t *day)
{
    static const char pre[] = "days since ";
    if (strncmp(u, pre, sizeof pre - 1)) return false;
    const char *t = u + sizeof pre - 1;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? t[i] != '-' : !(t[i] >= '0' && t[i] <= '9')) return false;
    if (t[10]) return false;
    int y = atoi(t), m = atoi(t + 5), dd = atoi(t + 8);
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || m < 1 || m > 12 || dd < 1 || dd > mdays[m - 1] + (m == 2 && leap)) return false;
    *day = wf_days_from_civil(y, m, dd);
    return true;
}

void wf_h5_header_free(wf_h5_header *h)
{
    free_text(h->org_names, h->n_orgs);
    free(h->org_kinds);
    free_text(h->scen_names, h->n_rows);
    free(h->complete);
    free(h->days);
    memset(h, 0, sizeof *h);
}

static wf_status read_header(rd *d, hid_t file, wf_h5_header *h)
{
    int64_t v;
    int got = wf_h5_attr_read_i64(file, WF_H5_FORMAT_ATTR, &v);
    if (got == 0) return bad(d, "/", "no attribute " WF_H5_FORMAT_ATTR " (not a winterflow results file)");
    if (got < 0 || v < 1) return bad(d, "/", "attribute " WF_H5_FORMAT_ATTR " is not a format version");
    if (v > WF_H5_FORMAT_VERSION)
        return bad(d, "/", "file format %lld is newer than this winterflow reads (%d): use a newer winterflow",
                   (long long)v, WF_H5_FORMAT_VERSION);
    h->format = d->format = (int)v;
    hsize_t fsize = 0;
    if (H5Fget_filesize(file, &fsize) < 0) {
        wf_h5_fail(RERR(d), d->path, "H5Fget_filesize");
        return WF_EIO;
    }
    h->file_size = d->file_size = (size_t)fsize;

    /* organisations */
    char **kinds = NULL;
    size_t nk = 0;
    wf_status st = read_text(d, file, WF_H5_DIM_ORG, MAX_ORGS, MAX_NAME, false, &h->org_names, &h->n_orgs);
    if (st == WF_OK) st = read_text(d, file, WF_H5_ORG_KIND, MAX_ORGS, MAX_NAME, false, &kinds, &nk);
    if (st == WF_OK && h->n_orgs < 1) st = bad(d, WF_H5_DIM_ORG, "no organisations");
    if (st == WF_OK && nk != h->n_orgs)
        st = bad(d, WF_H5_ORG_KIND, "%zu entries for %zu organisations", nk, h->n_orgs);
    if (st == WF_OK && !(h->org_kinds = calloc(h->n_orgs, sizeof *h->org_kinds))) st = oom(d);
    for (size_t i = 0; st == WF_OK && i < h->n_orgs; i++) {
        if (!h->org_names[i][0]) st = bad(d, WF_H5_DIM_ORG, "entry %zu is empty", i);
        else if (!(h->org_kinds[i] = kind_literal(kinds[i])))
            st = bad(d, WF_H5_ORG_KIND, "entry %zu is not hospital, locality, community, voluntary or system", i);
    }
    free_text(kinds, nk);
    if (st != WF_OK) return st;

    /* scenarios, replicates, days */
    if ((st = read_text(d, file, WF_H5_DIM_SCENARIO, MAX_ROWS, MAX_NAME, false, &h->scen_names, &h->n_rows)))
        return st;
    int64_t *ints = NULL;
    size_t n = 0;
    if ((st = read_ints(d, file, WF_H5_DIM_REPLICATE, MAX_REPS, &ints, &n))) return st;
    h->n_rep = n;
    if (n < 1) st = bad(d, WF_H5_DIM_REPLICATE, "no replicates");
    for (size_t i = 0; st == WF_OK && i < n; i++)
        if (ints[i] != (int64_t)i) st = bad(d, WF_H5_DIM_REPLICATE, "entry %zu is not %zu", i, i);
    free(ints);
    if (st != WF_OK) return st;

    if ((st = read_ints(d, file, WF_H5_DIM_DAY, MAX_DAYS, &ints, &n))) return st;
    h->n_days = n;
    char units[64] = "";
    int32_t start = 0;
    hid_t ds = open_ds(d, file, WF_H5_DIM_DAY, NULL);
    int u = ds < 0 ? -1 : wf_h5_attr_read_str(ds, "units", units, sizeof units);
    if (ds >= 0) H5Dclose(ds);
    if (ds < 0) st = WF_EIO;
    else if (n < 1) st = bad(d, WF_H5_DIM_DAY, "no days");
    else if (u != 1 || !parse_units(units, &start))
        st = bad(d, WF_H5_DIM_DAY, "units are not \"days since YYYY-MM-DD\" (a date of years 1 to 9999)");
    const int32_t last = wf_days_from_civil(9999, 12, 31);
    if (st == WF_OK && !(h->days = malloc(n * sizeof *h->days))) st = oom(d);
    for (size_t i = 0; st == WF_OK && i < n; i++) {
        if (ints[i] < 0 || ints[i] > (int64_t)last - start)
            st = bad(d, WF_H5_DIM_DAY, "entry %zu (%lld) is not a day from the start to the year 9999", i,
                     (long long)ints[i]);
        else
            h->days[i] = start + (int32_t)ints[i];
    }
    free(ints);
    if (st != WF_OK) return st;

    /* completion flags: one per scenario row, 0 or 1 (format 1 files may
     * predate them: all complete) */
    if (!(h->complete = malloc(h->n_rows + 1))) return oom(d);
    int absent;
    if ((ds = open_ds(d, file, WF_H5_SCENARIO_COMPLETE, &absent)) < 0 && !absent) return WF_EIO;
    if (absent) {
        if (h->format >= 2) return bad(d, WF_H5_SCENARIO_COMPLETE, "missing");
        memset(h->complete, 1, h->n_rows + 1);
    } else {
        H5Dclose(ds);
        if ((st = read_ints(d, file, WF_H5_SCENARIO_COMPLETE, MAX_ROWS, &ints, &n))) return st;
        if (n != h->n_rows) st = bad(d, WF_H5_SCENARIO_COMPLETE, "%zu entries for %zu scenarios", n, h->n_rows);
        for (size_t i = 0; st == WF_OK && i < n; i++) {
            if (ints[i] != 0 && ints[i] != 1) st = bad(d, WF_H5_SCENARIO_COMPLETE, "entry %zu is not 0 or 1", i);
            h->complete[i] = (int8_t)ints[i];
        }
        free(ints);
        if (st != WF_OK) return st;
    }

    /* root attributes */
    got = wf_h5_attr_read_i64(file, "seed", &v);
    if (got < 0 || (got == 0 && h->format >= 2)) return bad(d, "/", "attribute seed is missing or not one integer");
    h->seed = got ? v : 0;
    got = wf_h5_attr_read_i64(file, "threads", &v);
    if (got < 0 || (got && (v < 0 || v > 1 << 30))) return bad(d, "/", "attribute threads is not a thread count");
    h->threads = got ? (int)v : 0;
    got = wf_h5_attr_read_i64(file, "replicates", &v);
    if (got < 0 || (got && v != (int64_t)h->n_rep))
        return bad(d, "/", "attribute replicates does not match the replicate dimension (%zu)", h->n_rep);
    got = wf_h5_attr_read_i64(file, "days", &v);
    if (got < 0 || (got && v != (int64_t)h->n_days))
        return bad(d, "/", "attribute days does not match the day dimension (%zu)", h->n_days);
    char date[32], first[16];
    got = wf_h5_attr_read_str(file, "start_date", date, sizeof date);
    wf_date_format(h->days[0], first);
    if (got < 0 || (got && strcmp(date, first)))
        return bad(d, "/", "attribute start_date does not match the day coordinate (%s)", first);
    return WF_OK;
}

wf_status wf_h5_read_header(hid_t file, const char *path, wf_h5_header *h, char *err, size_t errlen)
{
    rd d = {.path = path, .err = err, .errlen = errlen, .format = 0};
    memset(h, 0, sizeof *h);
    wf_status st = read_header(&d, file, h);
    if (st != WF_OK) wf_h5_header_free(h);
    return st;
}

/* ---- data ------------------------------------------------------------ */

/* Read one scenario's row of metric `name` (dims rows x ...shape) into dst
 * (count doubles); a metric the file lacks is NaN. */
static wf_status read_row(rd *d, hid_t loc, const char *name, const hsize_t *want, int rank, size_t row, double *dst,
                          size_t count)
{
    int absent;
    hid_t ds = open_ds(d, loc, name, &absent);
    if (ds < 0) {
        if (!absent) return WF_EIO;
        for (size_t i = 0; i < count; i++) dst[i] = NAN;
        return WF_OK;
    }
    hsize_t dims[4], st0[4] = {row, 0, 0, 0};
    int variable;
    size_t size;
    wf_status st = shape(d, ds, name, rank, dims);
    if (st == WF_OK && type_of(ds, &variable, &size) != H5T_FLOAT) st = bad(d, name, "not floating point");
    for (int i = 0; st == WF_OK && i < rank; i++)
        if (dims[i] != want[i])
            st = bad(d, name, "dimension %d is %llu long, expected %llu", i, (unsigned long long)dims[i],
                     (unsigned long long)want[i]);
    hid_t fs = -1, ms = -1;
    if (st == WF_OK) {
        dims[0] = 1;
        fs = H5Dget_space(ds);
        ms = H5Screate_simple(rank, dims, NULL);
        if (fs < 0 || ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, st0, NULL, dims, NULL) < 0 ||
            H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, dst) < 0) {
            wf_h5_fail(RERR(d), d->path, "reading %s", name);
            st = WF_EIO;
        }
    }
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    H5Dclose(ds);
    return st;
}

/* ---- provenance and scenario coordinates ------------------------------ */

/* The root's text attributes of wf_prov_names into r->prov (absent: NULL),
 * each one bounded, UTF-8 (several lines allowed: a command line may hold a
 * quoted newline). */
static wf_status read_provenance(rd *d, hid_t file, wf_results *r)
{
    for (size_t i = 0; i + 1 < WF_NPROV; i++) {
        const char *name = wf_prov_names[i];
        htri_t e = H5Aexists(file, name);
        if (e < 0) {
            wf_h5_fail(RERR(d), d->path, "looking up attribute %s", name);
            return WF_EIO;
        }
        if (e == 0) continue;
        /* rerun holds one command per scenario; the others are short */
        size_t cap = !strcmp(name, "rerun") ? ((size_t)16 << 20) : ((size_t)64 << 10);
        char *buf = malloc(cap);
        if (!buf) return oom(d);
        int got = wf_h5_attr_read_str(file, name, buf, cap);
        size_t n = got == 1 ? strlen(buf) : 0;
        if (got != 1 || !wf_utf8_ok(buf, n, true)) {
            free(buf);
            return bad(d, "/", "attribute %s is not UTF-8 text of at most %zu bytes", name, cap - 1);
        }
        char *keep = realloc(buf, n + 1);
        r->prov[i] = keep ? keep : buf;
    }
    char fmt[16];
    snprintf(fmt, sizeof fmt, "%d", d->format);
    if (!(r->prov[WF_NPROV - 1] = malloc(strlen(fmt) + 1))) return oom(d);
    memcpy(r->prov[WF_NPROV - 1], fmt, strlen(fmt) + 1);
    return WF_OK;
}

/* The scenario coordinates named by the root attribute WF_H5_COORDS_ATTR:
 * each a float64 variable on the scenario dimension, the complete rows of
 * which go to r->coord_values. */
static wf_status read_coords(rd *d, hid_t file, const wf_h5_header *h, wf_results *r)
{
    char names[1024];
    int got = wf_h5_attr_read_str(file, WF_H5_COORDS_ATTR, names, sizeof names);
    if (got == 0 || (got == 1 && !names[0])) return WF_OK;
    if (got < 0 || !wf_utf8_ok(names, strlen(names), false))
        return bad(d, "/", "attribute " WF_H5_COORDS_ATTR " is not one line of text of at most 1023 bytes");
    size_t n = 1;
    for (const char *p = names; *p; p++) n += *p == ' ';
    if (!(r->coord_names = calloc(n, sizeof *r->coord_names)) ||
        !(r->coord_values = malloc((n * r->n_scen + 1) * sizeof *r->coord_values)))
        return oom(d);
    const hsize_t want[1] = {h->n_rows};
    char *save = NULL;
    for (char *name = strtok_r(names, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
            return bad(d, "/", "attribute " WF_H5_COORDS_ATTR ": \"%.200s\" is not a variable name", name);
        int e = has(d, file, name);
        if (e < 0) return WF_EIO;
        if (e == 0) return bad(d, name, "missing (named by the attribute " WF_H5_COORDS_ATTR ")");
        size_t c = r->n_coords;
        if (!(r->coord_names[c] = malloc(strlen(name) + 1))) return oom(d);
        memcpy(r->coord_names[c], name, strlen(name) + 1);
        r->n_coords++;
        for (size_t i = 0, s = 0; i < h->n_rows; i++) {
            if (!h->complete[i]) continue;
            wf_status st = read_row(d, file, name, want, 1, i, r->coord_values + c * r->n_scen + s, 1);
            if (st != WF_OK) return st;
            s++;
        }
    }
    return WF_OK;
}

static wf_status load(rd *d, hid_t file, wf_results *r)
{
    wf_h5_header h;
    memset(&h, 0, sizeof h);
    wf_status st = read_header(d, file, &h);
    char **yaml = NULL;
    size_t ny = 0, nkeep = 0;
    hid_t sum = -1;
    if (st != WF_OK) goto out;
    for (size_t i = 0; i < h.n_rows; i++) nkeep += h.complete[i] == 1;

    /* the stored scenarios (format 1 files may lack them) */
    int absent = 0;
    if (d->format < 2) {
        int e = has(d, file, WF_H5_SCENARIO_YAML);
        if (e < 0) {
            st = WF_EIO;
            goto out;
        }
        absent = e == 0;
    }
    if (!absent && (st = read_text(d, file, WF_H5_SCENARIO_YAML, MAX_ROWS, MAX_YAML, true, &yaml, &ny))) goto out;
    if (!absent && ny != h.n_rows) {
        st = bad(d, WF_H5_SCENARIO_YAML, "%zu entries for %zu scenarios", ny, h.n_rows);
        goto out;
    }

    /* sizes, checked before anything is allocated */
    size_t blk, daily, summ;
    if (!wf_mul(nkeep, WF_NMETRIC, &blk) || !wf_mul(blk, h.n_rep, &blk) || !wf_mul(blk, h.n_orgs, &summ) ||
        !wf_mul(summ, h.n_days, &daily) || !wf_mul(daily, sizeof(double), &daily) ||
        !wf_mul(summ, sizeof(double), &summ) || daily > SIZE_MAX - summ || !fits(d, daily + summ)) {
        st = bad(d, "/", "%zu scenarios x %zu replicates x %zu days x %zu organisations: more data than the file "
                 "can hold", nkeep, h.n_rep, h.n_days, h.n_orgs);
        goto out;
    }

    /* shape the results object */
    r->n_scen = nkeep;
    r->n_rep = h.n_rep;
    r->n_days = h.n_days;
    r->n_orgs = h.n_orgs;
    r->org_names = h.org_names;
    r->org_kinds = h.org_kinds;
    h.org_names = NULL;
    h.org_kinds = NULL;
    r->scen_names = calloc(nkeep + 1, sizeof *r->scen_names);
    r->scen_yaml = yaml ? calloc(nkeep + 1, sizeof *r->scen_yaml) : NULL;
    r->dates = malloc(r->n_days * sizeof *r->dates);
    r->daily = malloc(daily + 1);
    r->summary = malloc(summ + 1);
    if (!r->scen_names || (yaml && !r->scen_yaml) || !r->dates || !r->daily || !r->summary) {
        st = oom(d);
        goto out;
    }
    for (size_t i = 0, k = 0; i < h.n_rows; i++) {
        if (!h.complete[i]) continue;
        r->scen_names[k] = h.scen_names[i];
        h.scen_names[i] = NULL;
        if (yaml) {
            r->scen_yaml[k] = yaml[i];
            yaml[i] = NULL;
        }
        k++;
    }
    for (size_t t = 0; t < r->n_days; t++) wf_date_format(h.days[t], r->dates[t]);

    int g = has(d, file, WF_H5_SUMMARY);
    if (g <= 0) {
        st = g < 0 ? WF_EIO : bad(d, WF_H5_SUMMARY, "missing (is it a winterflow results file?)");
        goto out;
    }
    if ((sum = H5Gopen2(file, WF_H5_SUMMARY, H5P_DEFAULT)) < 0) {
        wf_h5_fail(RERR(d), d->path, "opening %s", WF_H5_SUMMARY);
        st = WF_EIO;
        goto out;
    }
    const hsize_t want_daily[4] = {h.n_rows, h.n_rep, h.n_days, h.n_orgs}, want_sum[3] = {h.n_rows, h.n_rep, h.n_orgs};
    size_t per_daily = r->n_rep * r->n_days * r->n_orgs, per_sum = r->n_rep * r->n_orgs;
    for (size_t i = 0, s = 0; i < h.n_rows; i++) {
        if (!h.complete[i]) continue;
        for (size_t m = 0; m < WF_NMETRIC; m++) {
            const char *name = wf_metric_defs[m].name;
            double *dd = r->daily + (s * WF_NMETRIC + m) * per_daily;
            double *ss = r->summary + (s * WF_NMETRIC + m) * per_sum;
            if ((st = read_row(d, file, name, want_daily, 4, i, dd, per_daily)) ||
                (st = read_row(d, sum, name, want_sum, 3, i, ss, per_sum)))
                goto out;
        }
        s++;
    }
    if ((st = read_provenance(d, file, r)) || (st = read_coords(d, file, &h, r))) goto out;
    r->seed = h.seed;
    r->threads = h.threads;
    r->complete = true;
out:
    if (sum >= 0) H5Gclose(sum);
    free_text(yaml, ny);
    wf_h5_header_free(&h);
    return st;
}

wf_status wf_results_read(wf_results *r, const char *path)
{
    if (!r) return WF_EINVAL;
    wf_results_clear(r);
    r->err[0] = 0;
    if (!path || !*path) {
        snprintf(r->err, sizeof r->err, "no results file named");
        return WF_EINVAL;
    }
    wf_h5_section q;
    wf_h5_enter(&q);
    rd d = {.path = path, .err = r->err, .errlen = sizeof r->err};
    wf_status st = WF_EIO;
    hid_t file = -1, fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl >= 0) H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    char eb[128];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(r->err, sizeof r->err, "%s: cannot open: %s", path, wf_strerror(errno, eb, sizeof eb));
    } else {
        fclose(f);
#if H5_VERSION_GE(1, 12, 0)
        htri_t is_h5 = H5Fis_accessible(path, fapl);
#else
        htri_t is_h5 = H5Fis_hdf5(path);
#endif
        if (is_h5 <= 0) snprintf(r->err, sizeof r->err, "%s: not an HDF5 file", path);
        else if ((file = H5Fopen(path, H5F_ACC_RDONLY, fapl)) < 0) wf_h5_fail(r->err, sizeof r->err, path, "opening the file");
        else st = load(&d, file, r);
    }
    if (file >= 0 && H5Fclose(file) < 0 && st == WF_OK) {
        wf_h5_fail(r->err, sizeof r->err, path, "closing the file");
        st = WF_EIO;
    }
    if (fapl >= 0) H5Pclose(fapl);
    H5Eclear2(H5E_DEFAULT);
    wf_h5_leave(&q);
    if (st != WF_OK) wf_results_clear_failed(r);
    return st;
}
