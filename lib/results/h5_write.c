/* The HDF5 results writer: netCDF-4 compatible files (docs/results-file.md),
 * written to a temporary file in the target's folder and renamed into place
 * only when complete.
 *
 * Every HDF5 call happens on the calling thread, after the run, in a fixed
 * order, with object modification times off: the datasets are byte-identical
 * for any thread count.
 *
 * Test hooks (read from the environment by the writer only; for the tests
 * of atomicity, see tests/test_h5.c):
 *   WF_TEST_FAIL_WRITE_AFTER=N  the (N+1)-th dataset write fails as a write
 *                               error would (N = 0: the first one).
 *   WF_TEST_KILL_WRITE_AFTER=N  the process sends itself SIGKILL before its
 *                               (N+1)-th dataset write. */
#define _POSIX_C_SOURCE 200809L
#include "results/h5_common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5_hl.h>

#include "results/metrics.h"

typedef struct {
    wf_results *r;
    const char *path; /* the target, for messages */
    char *tmp;        /* the temporary file */
    hid_t file;
    long writes, fail_after, kill_after;
    const wf_write_options *opt;
    char **yaml;      /* resolved YAML of each new scenario */
    size_t n;         /* new scenarios */
    size_t offset;    /* scenarios already in the file */
    char *coords;     /* the coordinate names joined by spaces ("" if none) */
} writer;

#define ERR(w) (w)->r->err, sizeof (w)->r->err

/* ---- small helpers ------------------------------------------------- */

static long env_long(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) return -1;
    char *end;
    long x = strtol(v, &end, 10);
    return *end || x < 0 ? -1 : x;
}

static void iso_time(int64_t t, char buf[32])
{
    if (t <= 0) {
        snprintf(buf, 32, "unknown");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Split path into folder ("." when none) and file name. */
static int split_path(const char *path, char **dir, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = strdup(".");
        *base = path;
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        *dir = malloc(n + 1);
        if (*dir) {
            memcpy(*dir, path, n);
            (*dir)[n] = 0;
        }
        *base = slash + 1;
    }
    return *dir ? 0 : -1;
}

/* Remove ".<base>.tmp-<pid>-<n>" files in dir whose writing process is gone
 * (left by a writer that was killed). Best effort. */
static void clean_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char prefix[512];
    snprintf(prefix, sizeof prefix, ".%s.tmp-", base);
    size_t pl = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, pl) != 0) continue;
        char *end;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (pid <= 0 || *end != '-') continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        unlink(full);
    }
    closedir(d);
}

/* Create a new, empty temporary file next to path. */
static wf_status make_tmp(writer *w)
{
    char *dir;
    const char *base;
    if (split_path(w->path, &dir, &base)) return WF_ENOMEM;
    if (!*base) {
        snprintf(ERR(w), "%s: not a file name", w->path);
        free(dir);
        return WF_EINVAL;
    }
    clean_stale(dir, base);
    size_t len = strlen(dir) + strlen(base) + 64;
    w->tmp = malloc(len);
    if (!w->tmp) {
        free(dir);
        return WF_ENOMEM;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long salt = (unsigned long)ts.tv_nsec ^ ((unsigned long)(uintptr_t)w << 7);
    for (int attempt = 0;; attempt++) {
        snprintf(w->tmp, len, "%s/.%s.tmp-%ld-%lu", dir, base, (long)getpid(), (salt + (unsigned long)attempt) % 1000000000UL);
        int fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            close(fd);
            break;
        }
        if (errno == EEXIST && attempt < 100) continue;
        int e = errno;
        snprintf(ERR(w), "%s: cannot create a file in folder %s: %s", w->path, dir, strerror(e));
        free(dir);
        free(w->tmp);
        w->tmp = NULL;
        return WF_EIO;
    }
    free(dir);
    return WF_OK;
}

/* fsync a file (by path), then rename it over the target, then fsync the
 * folder so the rename itself is durable. */
static wf_status commit(writer *w)
{
    int fd = open(w->tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        snprintf(ERR(w), "%s: flushing the new file to disk failed: %s", w->path, strerror(e));
        return WF_EIO;
    }
    close(fd);
    if (rename(w->tmp, w->path) != 0) {
        int e = errno;
        snprintf(ERR(w), "%s: renaming the finished file into place failed: %s", w->path, strerror(e));
        return WF_EIO;
    }
    char *dir;
    const char *base;
    if (split_path(w->path, &dir, &base) == 0) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    return WF_OK;
}

/* One dataset write, counted for the test hooks. */
static int dwrite(writer *w, hid_t d, hid_t mt, hid_t ms, hid_t fs, const void *buf, const char *what)
{
    if (w->kill_after >= 0 && w->writes >= w->kill_after) raise(SIGKILL);
    if (w->fail_after >= 0 && w->writes >= w->fail_after) {
        snprintf(ERR(w), "%s: H5Dwrite(%s) failed: simulated write failure (WF_TEST_FAIL_WRITE_AFTER=%ld)",
                 w->path, what, w->fail_after);
        return -1;
    }
    w->writes++;
    if (H5Dwrite(d, mt, ms, fs, H5P_DEFAULT, buf) < 0) {
        wf_h5_fail(ERR(w), w->path, "H5Dwrite(%s)", what);
        return -1;
    }
    return 0;
}

/* ---- structure ----------------------------------------------------- */

static int compress_ok(void) { return H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 && H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0; }

/* Create a dataset; chunk NULL: contiguous. fill: NULL or a double fill
 * value (also written as the _FillValue attribute). */
static hid_t create_var(writer *w, hid_t loc, const char *name, hid_t ftype, int rank, const hsize_t *dims,
                        const hsize_t *maxdims, const hsize_t *chunk, int compress, const double *fill)
{
    hid_t sp = H5Screate_simple(rank, dims, maxdims);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t d = -1;
    if (sp < 0 || dcpl < 0) goto out;
    H5Pset_obj_track_times(dcpl, 0);
    H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    if (chunk) {
        if (H5Pset_chunk(dcpl, rank, chunk) < 0) goto out;
        if (compress && compress_ok()) {
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, 4);
        }
    }
    if (fill) H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, fill);
    d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d >= 0 && fill && wf_h5_attr_f64(d, "_FillValue", *fill) < 0) {
        H5Dclose(d);
        d = -1;
    }
out:
    if (d < 0) wf_h5_fail(ERR(w), w->path, "H5Dcreate2(%s)", name);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (sp >= 0) H5Sclose(sp);
    return d;
}

static hid_t create_group(writer *w, hid_t loc, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0) wf_h5_fail(ERR(w), w->path, "H5Gcreate2(%s)", name);
    H5Pclose(gcpl);
    return g;
}

static const char *cell_method(const wf_metric_def *d, int daily)
{
    switch (d->rule) {
    case WF_RULE_SUM: return "day: sum";
    case WF_RULE_LEVEL: return "day: mean";
    case WF_RULE_RATIO: return daily ? "day: mean" : "day: mean (ratio of sums over the window)";
    case WF_RULE_END: return daily ? "day: point (end of day)" : "day: point (end of the last day)";
    }
    return "";
}

static int metric_attrs(hid_t d, size_t m, int daily, const char *coords)
{
    const wf_metric_def *def = &wf_metric_defs[m];
    char applies[128] = "";
    static const char *kinds[] = {"hospital", "locality", "community", "voluntary"};
    for (int k = 0; k < 4; k++)
        if (def->orgs & (1 << k)) {
            strcat(applies, kinds[k]);
            strcat(applies, " ");
        }
    strcat(applies, "system");
    int bad = 0;
    /* "hours" would make xarray decode the values as timedeltas (CF time
     * units); UDUNITS' "h" is the same unit without that. */
    const char *unit = strcmp(def->unit, "hours") ? def->unit : "h";
    if (unit[0]) bad |= wf_h5_attr_str(d, "units", unit) < 0;
    bad |= wf_h5_attr_str(d, "long_name", def->doc) < 0;
    bad |= wf_h5_attr_str(d, "cell_methods", cell_method(def, daily)) < 0;
    bad |= wf_h5_attr_str(d, "metric_kind", def->kind == WF_METRIC_TOTAL ? "total" : "mean") < 0;
    bad |= wf_h5_attr_str(d, "applies_to", applies) < 0;
    {
        /* CF: the auxiliary coordinates, blank-separated */
        size_t len = strlen(WF_H5_ORG_KIND) + strlen(coords) + 2;
        char *all = malloc(len);
        if (!all) return -1;
        snprintf(all, len, "%s%s%s", WF_H5_ORG_KIND, coords[0] ? " " : "", coords);
        bad |= wf_h5_attr_str(d, "coordinates", all) < 0;
        free(all);
    }
    return bad ? -1 : 0;
}

/* The dimensions and coordinate variables of one group: scenario
 * (unlimited, filled by add_scenarios), replicate, [day,] organisation and
 * organisation_kind. scales[]: scenario, replicate, day, organisation. */
static int make_dims(writer *w, hid_t g, int with_day, int dimid0, hid_t scales[4])
{
    wf_results *r = w->r;
    hid_t vs = wf_h5_vlen_str();
    int rc = -1, id = dimid0;
    hid_t kind = -1;
    for (int i = 0; i < 4; i++) scales[i] = -1;
    if (vs < 0) return -1;
    {
        hsize_t dim = 0, max = H5S_UNLIMITED, chunk = 16;
        if ((scales[0] = create_var(w, g, WF_H5_DIM_SCENARIO, vs, 1, &dim, &max, &chunk, 0, NULL)) < 0) goto out;
        if (H5DSset_scale(scales[0], WF_H5_DIM_SCENARIO) < 0 || wf_h5_attr_i32(scales[0], "_Netcdf4Dimid", id++) < 0 ||
            wf_h5_attr_str(scales[0], "long_name", "scenario name") < 0)
            goto h5fail;
    }
    {
        hsize_t dim = r->n_rep;
        int32_t *v = malloc(sizeof *v * (r->n_rep + 1));
        if (!v) goto out;
        for (size_t i = 0; i < r->n_rep; i++) v[i] = (int32_t)i;
        scales[1] = create_var(w, g, WF_H5_DIM_REPLICATE, H5T_STD_I32LE, 1, &dim, NULL, NULL, 0, NULL);
        int bad = scales[1] < 0 || dwrite(w, scales[1], H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, v, WF_H5_DIM_REPLICATE) < 0;
        free(v);
        if (bad) goto out;
        if (H5DSset_scale(scales[1], WF_H5_DIM_REPLICATE) < 0 || wf_h5_attr_i32(scales[1], "_Netcdf4Dimid", id++) < 0 ||
            wf_h5_attr_str(scales[1], "long_name", "replicate (random streams keyed by seed and replicate)") < 0)
            goto h5fail;
    }
    if (with_day) {
        hsize_t dim = r->n_days;
        int32_t *v = malloc(sizeof *v * (r->n_days + 1));
        if (!v) goto out;
        for (size_t i = 0; i < r->n_days; i++) v[i] = (int32_t)i;
        scales[2] = create_var(w, g, WF_H5_DIM_DAY, H5T_STD_I32LE, 1, &dim, NULL, NULL, 0, NULL);
        int bad = scales[2] < 0 || dwrite(w, scales[2], H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, v, WF_H5_DIM_DAY) < 0;
        free(v);
        if (bad) goto out;
        char units[64];
        snprintf(units, sizeof units, "days since %s", r->n_days ? r->dates[0] : "1970-01-01");
        if (H5DSset_scale(scales[2], WF_H5_DIM_DAY) < 0 || wf_h5_attr_i32(scales[2], "_Netcdf4Dimid", id++) < 0 ||
            wf_h5_attr_str(scales[2], "units", units) < 0 ||
            wf_h5_attr_str(scales[2], "calendar", "proleptic_gregorian") < 0 ||
            wf_h5_attr_str(scales[2], "standard_name", "time") < 0 ||
            wf_h5_attr_str(scales[2], "long_name", "measured day (warm-up excluded)") < 0)
            goto h5fail;
    }
    {
        hsize_t dim = r->n_orgs;
        scales[3] = create_var(w, g, WF_H5_DIM_ORG, vs, 1, &dim, NULL, NULL, 0, NULL);
        if (scales[3] < 0 || dwrite(w, scales[3], vs, H5S_ALL, H5S_ALL, r->org_names, WF_H5_DIM_ORG) < 0) goto out;
        if (H5DSset_scale(scales[3], WF_H5_DIM_ORG) < 0 || wf_h5_attr_i32(scales[3], "_Netcdf4Dimid", id++) < 0 ||
            wf_h5_attr_str(scales[3], "long_name", "organisation (hospitals, localities, community providers, "
                                                   "voluntary services, then the whole system)") < 0)
            goto h5fail;
        kind = create_var(w, g, WF_H5_ORG_KIND, vs, 1, &dim, NULL, NULL, 0, NULL);
        if (kind < 0 || dwrite(w, kind, vs, H5S_ALL, H5S_ALL, r->org_kinds, WF_H5_ORG_KIND) < 0) goto out;
        if (H5DSattach_scale(kind, scales[3], 0) < 0 ||
            wf_h5_attr_str(kind, "long_name", "hospital, locality, community, voluntary or system") < 0)
            goto h5fail;
    }
    rc = 0;
    goto out;
h5fail:
    wf_h5_fail(ERR(w), w->path, "writing the dimensions");
out:
    if (kind >= 0) H5Dclose(kind);
    H5Tclose(vs);
    return rc;
}

/* Metric variables of a group: daily (scenario, replicate, day,
 * organisation) or summary (scenario, replicate, organisation). */
static int make_metrics(writer *w, hid_t g, int daily, hid_t scales[4])
{
    wf_results *r = w->r;
    double nan = NAN;
    for (size_t m = 0; m < WF_NMETRIC; m++) {
        const char *name = wf_metric_defs[m].name;
        hid_t d;
        if (daily) {
            hsize_t dims[4] = {0, r->n_rep, r->n_days, r->n_orgs};
            hsize_t max[4] = {H5S_UNLIMITED, r->n_rep, r->n_days, r->n_orgs};
            hsize_t chunk[4] = {1, 1, r->n_days ? r->n_days : 1, r->n_orgs};
            d = create_var(w, g, name, H5T_IEEE_F64LE, 4, dims, max, chunk, 1, &nan);
        } else {
            hsize_t dims[3] = {0, r->n_rep, r->n_orgs};
            hsize_t max[3] = {H5S_UNLIMITED, r->n_rep, r->n_orgs};
            hsize_t chunk[3] = {1, r->n_rep ? r->n_rep : 1, r->n_orgs};
            d = create_var(w, g, name, H5T_IEEE_F64LE, 3, dims, max, chunk, 1, &nan);
        }
        if (d < 0) return -1;
        int bad = 0;
        unsigned k = 0;
        for (int s = 0; s < 4; s++) {
            if (scales[s] < 0) continue;
            bad |= H5DSattach_scale(d, scales[s], k++) < 0;
        }
        if (bad) wf_h5_fail(ERR(w), w->path, "H5DSattach_scale(%s)", name);
        else if (metric_attrs(d, m, daily, w->coords) < 0) {
            wf_h5_fail(ERR(w), w->path, "writing the attributes of %s", name);
            bad = 1;
        }
        H5Dclose(d);
        if (bad) return -1;
    }
    return 0;
}

/* The scenario coordinates of a group: float64 on its scenario dimension,
 * filled by add_scenarios. */
static int make_coords(writer *w, hid_t g, hid_t scenario_scale)
{
    double nan = NAN;
    for (size_t c = 0; c < w->opt->n_coords; c++) {
        const char *name = w->opt->coord_names[c];
        hsize_t dim = 0, max = H5S_UNLIMITED, chunk = 16;
        hid_t d = create_var(w, g, name, H5T_IEEE_F64LE, 1, &dim, &max, &chunk, 0, &nan);
        if (d < 0) return -1;
        int bad = H5DSattach_scale(d, scenario_scale, 0) < 0 || wf_h5_attr_str(d, "long_name", name) < 0 ||
                  wf_h5_attr_str(d, "key", name) < 0;
        if (bad) wf_h5_fail(ERR(w), w->path, "writing the coordinate %s", name);
        H5Dclose(d);
        if (bad) return -1;
    }
    return 0;
}

static int make_structure(writer *w)
{
    hid_t root = w->file, sum = -1, par = -1;
    hid_t rs[4] = {-1, -1, -1, -1}, ss[4] = {-1, -1, -1, -1};
    hid_t yaml = -1, comp = -1, vs = wf_h5_vlen_str();
    int rc = -1;
    if (vs < 0) goto out;
    if (make_dims(w, root, 1, 0, rs) < 0) goto out;
    {
        hsize_t dim = 0, max = H5S_UNLIMITED, chunk = 1;
        if ((yaml = create_var(w, root, WF_H5_SCENARIO_YAML, vs, 1, &dim, &max, &chunk, 1, NULL)) < 0) goto out;
        chunk = 16;
        if ((comp = create_var(w, root, WF_H5_SCENARIO_COMPLETE, H5T_STD_I8LE, 1, &dim, &max, &chunk, 0, NULL)) < 0)
            goto out;
        if (H5DSattach_scale(yaml, rs[0], 0) < 0 || H5DSattach_scale(comp, rs[0], 0) < 0 ||
            wf_h5_attr_str(yaml, "long_name", "the resolved scenario: every parameter explicit, as YAML") < 0 ||
            wf_h5_attr_str(comp, "long_name", "1 once every dataset of the scenario is written") < 0) {
            wf_h5_fail(ERR(w), w->path, "writing %s", WF_H5_SCENARIO_YAML);
            goto out;
        }
    }
    if (make_coords(w, root, rs[0]) < 0) goto out;
    if (w->coords[0] && wf_h5_attr_str(root, WF_H5_COORDS_ATTR, w->coords) < 0) {
        wf_h5_fail(ERR(w), w->path, "writing the attribute %s", WF_H5_COORDS_ATTR);
        goto out;
    }
    if (make_metrics(w, root, 1, rs) < 0) goto out;
    if ((sum = create_group(w, root, WF_H5_SUMMARY)) < 0) goto out;
    if (make_dims(w, sum, 0, 4, ss) < 0) goto out;
    if (make_coords(w, sum, ss[0]) < 0) goto out;
    if (make_metrics(w, sum, 0, ss) < 0) goto out;
    if (wf_h5_attr_str(sum, "title", "winterflow replicate summaries over the measured window") < 0) {
        wf_h5_fail(ERR(w), w->path, "writing the summary group");
        goto out;
    }
    if ((par = create_group(w, root, WF_H5_PARAMETERS)) < 0) goto out;
    rc = 0;
out:
    for (int i = 0; i < 4; i++) {
        if (rs[i] >= 0) H5Dclose(rs[i]);
        if (ss[i] >= 0) H5Dclose(ss[i]);
    }
    if (yaml >= 0) H5Dclose(yaml);
    if (comp >= 0) H5Dclose(comp);
    if (sum >= 0) H5Gclose(sum);
    if (par >= 0) H5Gclose(par);
    if (vs >= 0) H5Tclose(vs);
    return rc;
}

/* ---- data ---------------------------------------------------------- */

/* Grow dataset `name` of loc along its first (scenario) axis to `total`
 * and write `count` rows from `buf` at `start`. */
static int extend_write(writer *w, hid_t loc, const char *name, hid_t mt, size_t start, size_t count,
                        const void *buf)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) {
        wf_h5_fail(ERR(w), w->path, "H5Dopen2(%s)", name);
        return -1;
    }
    int rc = -1;
    hid_t fs = -1, ms = -1;
    hsize_t dims[4], st[4] = {0, 0, 0, 0};
    fs = H5Dget_space(d);
    int rank = fs < 0 ? -1 : H5Sget_simple_extent_dims(fs, dims, NULL);
    if (rank < 1) goto h5fail;
    H5Sclose(fs);
    fs = -1;
    if (dims[0] < start + count) {
        dims[0] = start + count;
        if (H5Dset_extent(d, dims) < 0) goto h5fail;
    }
    fs = H5Dget_space(d);
    dims[0] = count;
    st[0] = start;
    if (fs < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, st, NULL, dims, NULL) < 0) goto h5fail;
    if ((ms = H5Screate_simple(rank, dims, NULL)) < 0) goto h5fail;
    rc = dwrite(w, d, mt, ms, fs, buf, name);
    goto out;
h5fail:
    wf_h5_fail(ERR(w), w->path, "extending %s", name);
out:
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    H5Dclose(d);
    return rc;
}

/* Shell-quote s into buf if it needs it. */
static void shq(const char *s, char *buf, size_t len)
{
    int plain = *s != 0;
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+=:,@", *p)) plain = 0;
    if (plain) {
        snprintf(buf, len, "%s", s);
        return;
    }
    size_t o = 0;
    if (o + 1 < len) buf[o++] = '\'';
    for (const char *p = s; *p && o + 5 < len; p++) {
        if (*p == '\'') {
            memcpy(buf + o, "'\\''", 4);
            o += 4;
        } else {
            buf[o++] = *p;
        }
    }
    if (o + 1 < len) buf[o++] = '\'';
    buf[o] = 0;
}

/* The one command that reproduces scenario i of the file bit for bit:
 * `winterflow run 'FILE#i'` takes the resolved YAML out of the file itself
 * and runs it with the file's seed and replicates (streams do not depend on
 * the scenario or the thread count, so scenario i alone reproduces its
 * slice of the file). Run in the file's folder. */
static void rerun_command(writer *w, size_t i, char *buf, size_t len)
{
    char *dir;
    const char *base;
    if (split_path(w->path, &dir, &base)) {
        buf[0] = 0;
        return;
    }
    char spec[1100], qs[1200];
    snprintf(spec, sizeof spec, "%s#%zu", base, i);
    free(dir);
    shq(spec, qs, sizeof qs);
    snprintf(buf, len, "winterflow run %s --seed %lld --replicates %zu --out rerun_%zu.h5", qs,
             (long long)w->r->seed, w->r->n_rep, i);
}

static int param_attrs(writer *w, hid_t g, const char *yaml)
{
    char comps[16][128];
    int depth = 0;
    const char *p = yaml;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        char line[4096];
        if (n >= sizeof line) n = sizeof line - 1;
        memcpy(line, p, n);
        line[n] = 0;
        p = eol ? eol + 1 : p + n;
        size_t ind = strspn(line, " ");
        char *key = line + ind;
        if (!*key || *key == '#') continue;
        char *colon = strstr(key, ": ");
        int level = (int)(ind / 2);
        if (level > 15) continue;
        if (!colon) {
            size_t kl = strlen(key);
            if (kl && key[kl - 1] == ':') key[kl - 1] = 0;
            snprintf(comps[level], sizeof comps[level], "%s", key);
            depth = level + 1;
            continue;
        }
        *colon = 0;
        char *val = colon + 2;
        if (level > depth) level = depth;
        char name[1024] = "";
        for (int i = 0; i < level; i++) {
            strncat(name, comps[i], sizeof name - strlen(name) - 2);
            strcat(name, ".");
        }
        strncat(name, key, sizeof name - strlen(name) - 1);
        depth = level;
        herr_t st;
        char *end;
        size_t vl = strlen(val);
        if (*val && strspn(val + (*val == '-'), "0123456789") == vl - (*val == '-') && vl < 18) {
            st = wf_h5_attr_i64(g, name, strtoll(val, NULL, 10));
        } else if (*val && (strtod(val, &end), *end == 0) && strpbrk(val, "0123456789")) {
            st = wf_h5_attr_f64(g, name, strtod(val, NULL));
        } else {
            if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"' && !strchr(val, '\\')) {
                val[vl - 1] = 0;
                val++;
            }
            st = wf_h5_attr_str(g, name, val);
        }
        if (st < 0) {
            wf_h5_fail(ERR(w), w->path, "writing parameter attribute %s", name);
            return -1;
        }
    }
    return 0;
}

static int write_root_attrs(writer *w)
{
    wf_results *r = w->r;
    hid_t f = w->file;
    char buf[256], t0[32], t1[32], now[32];
    iso_time(r->started, t0);
    iso_time(r->finished, t1);
    iso_time((int64_t)time(NULL), now);
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    int bad = 0;
    snprintf(buf, sizeof buf, "version=2,winterflow=%s,hdf5=%u.%u.%u", wf_version(), maj, min, rel);
    bad |= wf_h5_attr_str(f, "_NCProperties", buf) < 0;
    bad |= wf_h5_attr_str(f, "title", "winterflow results") < 0;
    bad |= wf_h5_attr_str(f, "Conventions", "CF-1.8") < 0;
    bad |= wf_h5_attr_str(f, "source", "winterflow: agent-based simulation of winter discharge pressure") < 0;
    bad |= wf_h5_attr_i32(f, "winterflow_file_format", WF_H5_FORMAT_VERSION) < 0;
    bad |= wf_h5_attr_str(f, "winterflow_version", wf_version()) < 0;
    bad |= wf_h5_attr_str(f, "winterflow_build_info", wf_build_info()) < 0;
    snprintf(buf, sizeof buf, "%u.%u.%u", maj, min, rel);
    bad |= wf_h5_attr_str(f, "hdf5_version", buf) < 0;
    bad |= wf_h5_attr_i64(f, "seed", r->seed) < 0;
    bad |= wf_h5_attr_i32(f, "replicates", (int32_t)r->n_rep) < 0;
    bad |= wf_h5_attr_i32(f, "threads", r->threads) < 0;
    bad |= wf_h5_attr_i32(f, "days", (int32_t)r->n_days) < 0;
    if (r->n_days) {
        bad |= wf_h5_attr_str(f, "start_date", r->dates[0]) < 0;
        bad |= wf_h5_attr_str(f, "end_date", r->dates[r->n_days - 1]) < 0;
    }
    bad |= wf_h5_attr_str(f, "run_started", t0) < 0;
    bad |= wf_h5_attr_str(f, "run_finished", t1) < 0;
    bad |= wf_h5_attr_str(f, "created", now) < 0;
    if (w->opt->command_line && w->opt->command_line[0])
        bad |= wf_h5_attr_str(f, "command_line", w->opt->command_line) < 0;
    /* rerun: the commands for every scenario in the file, joined by &&. */
    size_t total = w->offset + w->n;
    size_t cap = 1024 * (total + 1);
    char *all = malloc(cap);
    if (!all) return -1;
    all[0] = 0;
    for (size_t i = 0; i < total; i++) {
        char one[2048];
        rerun_command(w, i, one, sizeof one);
        if (i) strcat(all, " && ");
        strncat(all, one, cap - strlen(all) - 1);
    }
    bad |= wf_h5_attr_str(f, "rerun", all) < 0;
    free(all);
    if (bad) {
        wf_h5_fail(ERR(w), w->path, "writing the provenance attributes");
        return -1;
    }
    return 0;
}

/* Write the new scenarios (rows offset .. offset+n-1) into every dataset
 * with a scenario axis, their parameters groups, then mark them complete. */
static int add_scenarios(writer *w)
{
    wf_results *r = w->r;
    size_t off = w->offset, n = w->n;
    hid_t vs = wf_h5_vlen_str(), sum = -1, par = -1;
    int8_t *zeros = NULL, *ones = NULL;
    int rc = -1;
    if (vs < 0) return -1;
    if ((sum = H5Gopen2(w->file, WF_H5_SUMMARY, H5P_DEFAULT)) < 0) {
        wf_h5_fail(ERR(w), w->path, "H5Gopen2(%s)", WF_H5_SUMMARY);
        goto out;
    }
    if ((par = H5Gopen2(w->file, WF_H5_PARAMETERS, H5P_DEFAULT)) < 0) {
        wf_h5_fail(ERR(w), w->path, "H5Gopen2(%s)", WF_H5_PARAMETERS);
        goto out;
    }
    zeros = calloc(n + 1, 1);
    ones = malloc(n + 1);
    if (!zeros || !ones) goto out;
    memset(ones, 1, n + 1);
    if (extend_write(w, w->file, WF_H5_SCENARIO_COMPLETE, H5T_NATIVE_INT8, off, n, zeros) < 0) goto out;
    if (extend_write(w, w->file, WF_H5_DIM_SCENARIO, vs, off, n, r->scen_names) < 0) goto out;
    if (extend_write(w, sum, WF_H5_DIM_SCENARIO, vs, off, n, r->scen_names) < 0) goto out;
    if (extend_write(w, w->file, WF_H5_SCENARIO_YAML, vs, off, n, w->yaml) < 0) goto out;
    for (size_t c = 0; c < w->opt->n_coords; c++) {
        const char *name = w->opt->coord_names[c];
        const double *v = w->opt->coord_values + c * n;
        if (extend_write(w, w->file, name, H5T_NATIVE_DOUBLE, off, n, v) < 0 ||
            extend_write(w, sum, name, H5T_NATIVE_DOUBLE, off, n, v) < 0)
            goto out;
    }
    for (size_t m = 0; m < WF_NMETRIC; m++)
        for (size_t s = 0; s < n; s++) {
            const char *name = wf_metric_defs[m].name;
            if (extend_write(w, w->file, name, H5T_NATIVE_DOUBLE, off + s, 1, wf_results_daily(r, s, m)) < 0 ||
                extend_write(w, sum, name, H5T_NATIVE_DOUBLE, off + s, 1, wf_results_summary(r, s, m)) < 0)
                goto out;
        }
    for (size_t s = 0; s < n; s++) {
        char gname[64], cmd[2048], t[32];
        snprintf(gname, sizeof gname, "scenario_%zu", off + s);
        hid_t g = create_group(w, par, gname);
        if (g < 0) goto out;
        rerun_command(w, off + s, cmd, sizeof cmd);
        int bad = wf_h5_attr_str(g, "scenario", r->scen_names[s]) < 0 ||
                  wf_h5_attr_i32(g, "scenario_index", (int32_t)(off + s)) < 0 ||
                  wf_h5_attr_str(g, "winterflow_version", wf_version()) < 0 ||
                  wf_h5_attr_i64(g, "seed", r->seed) < 0 || wf_h5_attr_i32(g, "replicates", (int32_t)r->n_rep) < 0 ||
                  wf_h5_attr_i32(g, "threads", r->threads) < 0;
        iso_time(r->started, t);
        bad |= wf_h5_attr_str(g, "run_started", t) < 0;
        iso_time(r->finished, t);
        bad |= wf_h5_attr_str(g, "run_finished", t) < 0;
        bad |= wf_h5_attr_str(g, "rerun", cmd) < 0;
        if (w->opt->command_line && w->opt->command_line[0])
            bad |= wf_h5_attr_str(g, "command_line", w->opt->command_line) < 0;
        if (bad) wf_h5_fail(ERR(w), w->path, "writing the provenance of scenario %zu", off + s);
        else bad = param_attrs(w, g, w->yaml[s]) < 0;
        H5Gclose(g);
        if (bad) goto out;
    }
    if (extend_write(w, w->file, WF_H5_SCENARIO_COMPLETE, H5T_NATIVE_INT8, off, n, ones) < 0) goto out;
    rc = 0;
out:
    if (sum >= 0) H5Gclose(sum);
    if (par >= 0) H5Gclose(par);
    H5Tclose(vs);
    free(zeros);
    free(ones);
    return rc;
}

/* ---- checks of the existing file (append) -------------------------- */

static int read_strings(hid_t loc, const char *name, size_t expect, char ***out)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return -1;
    hid_t sp = H5Dget_space(d);
    hssize_t np = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    int rc = -1;
    if (np >= 0 && (expect == (size_t)-1 || (size_t)np == expect)) {
        char **v = calloc((size_t)np + 1, sizeof *v);
        hid_t vs = wf_h5_vlen_str();
        if (v && vs >= 0 && (np == 0 || H5Dread(d, vs, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0)) {
            *out = v;
            rc = (int)np;
        } else {
            free(v);
        }
        if (vs >= 0) H5Tclose(vs);
    }
    if (sp >= 0) H5Sclose(sp);
    H5Dclose(d);
    return rc;
}

static void free_strings(char **v, int n)
{
    for (int i = 0; v && i < n; i++) H5free_memory(v[i]);
    free(v);
}

/* The open file must hold the same system, calendar, replicates and seed. */
static wf_status check_compatible(writer *w)
{
    wf_results *r = w->r;
    int64_t seed = -1, reps = -1, days = -1;
    char start[32] = "";
    wf_h5_attr_read_i64(w->file, "seed", &seed);
    wf_h5_attr_read_i64(w->file, "replicates", &reps);
    wf_h5_attr_read_i64(w->file, "days", &days);
    wf_h5_attr_read_str(w->file, "start_date", start, sizeof start);
    const char *what = NULL;
    if (seed != r->seed) what = "seed";
    else if (reps != (int64_t)r->n_rep) what = "replicates";
    else if (days != (int64_t)r->n_days) what = "run.days";
    else if (r->n_days && strcmp(start, r->dates[0])) what = "run.start_date";
    char **orgs = NULL;
    int no = -1;
    if (!what) {
        no = read_strings(w->file, WF_H5_DIM_ORG, (size_t)-1, &orgs);
        if (no < 0 || (size_t)no != r->n_orgs) what = "organisations";
        for (int i = 0; !what && i < no; i++)
            if (strcmp(orgs[i], r->org_names[i])) what = "organisations";
        free_strings(orgs, no);
    }
    if (what) {
        snprintf(ERR(w), "%s: cannot append: the file differs from the run in %s (scenarios in one file share "
                 "their system, calendar, seed and replicates)", w->path, what);
        return WF_EINVAL;
    }
    {
        char have[1024] = "";
        if (H5Aexists(w->file, WF_H5_COORDS_ATTR) > 0 &&
            wf_h5_attr_read_str(w->file, WF_H5_COORDS_ATTR, have, sizeof have) < 0) {
            wf_h5_fail(ERR(w), w->path, "reading the attribute %s", WF_H5_COORDS_ATTR);
            return WF_EIO;
        }
        if (strcmp(have, w->coords)) {
            snprintf(ERR(w), "%s: cannot append: the file's scenario coordinates are \"%.300s\", the new "
                     "scenarios' are \"%.300s\" (they must be the same, in the same order)", w->path, have,
                     w->coords);
            return WF_EINVAL;
        }
    }
    hid_t d = H5Dopen2(w->file, WF_H5_DIM_SCENARIO, H5P_DEFAULT);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    hssize_t ns = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (ns < 0) {
        wf_h5_fail(ERR(w), w->path, "reading the scenario dimension");
        return WF_EIO;
    }
    w->offset = (size_t)ns;
    return WF_OK;
}

/* ---- the calls ----------------------------------------------------- */

static wf_status copy_file(writer *w, const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        snprintf(ERR(w), "%s: cannot open: %s", from, strerror(errno));
        return WF_EIO;
    }
    int out = open(to, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (out < 0) {
        snprintf(ERR(w), "%s: cannot open: %s", to, strerror(errno));
        close(in);
        return WF_EIO;
    }
    char buf[1 << 16];
    ssize_t k;
    wf_status st = WF_OK;
    while ((k = read(in, buf, sizeof buf)) > 0) {
        for (ssize_t o = 0; o < k;) {
            ssize_t m = write(out, buf + o, (size_t)(k - o));
            if (m < 0) {
                if (errno == EINTR) continue;
                snprintf(ERR(w), "%s: copying the file for appending failed: %s", w->path, strerror(errno));
                st = WF_EIO;
                break;
            }
            o += m;
        }
        if (st) break;
    }
    if (k < 0 && !st) {
        snprintf(ERR(w), "%s: reading the file for appending failed: %s", from, strerror(errno));
        st = WF_EIO;
    }
    close(in);
    if (close(out) != 0 && !st) {
        snprintf(ERR(w), "%s: copying the file for appending failed: %s", w->path, strerror(errno));
        st = WF_EIO;
    }
    return st;
}

/* ---- the per-patient event log -------------------------------------- */

/* One column of the log: a 1-D variable on the `record` dimension. */
static hid_t log_column(writer *w, hid_t g, hid_t scale, const char *name, hid_t ftype, hsize_t n,
                        const char *long_name)
{
    hsize_t chunk = n < 65536 ? (n ? n : 1) : 65536;
    hid_t d = create_var(w, g, name, ftype, 1, &n, NULL, n ? &chunk : NULL, n > 0, NULL);
    if (d < 0) return -1;
    if (H5DSattach_scale(d, scale, 0) < 0 || wf_h5_attr_str(d, "long_name", long_name) < 0) {
        wf_h5_fail(ERR(w), w->path, "writing the attributes of event_log/%s", name);
        H5Dclose(d);
        return -1;
    }
    return d;
}

/* Group event_log: every record of every scenario and replicate, in that
 * order, one column per field, written one (scenario, replicate) block at
 * a time. */
static int write_event_log(writer *w)
{
    wf_results *r = w->r;
    enum { SCEN, REP, PATIENT, TIME, EVENT, ORG, PATHWAY, EPISODE, ELECTIVE, RECORD, NCOL };
    static const char *const names[NCOL] = {"scenario_index", "replicate", "patient", "time", "event",
                                            "organisation_index", "pathway", "episode", "elective", "record"};
    hsize_t n = 0;
    size_t most = 0;
    for (size_t i = 0; i < r->n_scen * r->n_rep; i++) {
        n += r->log_n[i];
        if (r->log_n[i] > most) most = r->log_n[i];
    }
    hid_t g = -1, col[NCOL], ms = -1;
    for (int k = 0; k < NCOL; k++) col[k] = -1;
    void *buf = malloc(8 * (most + 1));
    int rc = -1;
    char units[64];
    snprintf(units, sizeof units, "days since %s", r->n_days ? r->dates[0] : "1970-01-01");
    if (!buf) goto out;
    if ((g = create_group(w, w->file, "event_log")) < 0) goto out;
    {
        hsize_t chunk = n < 65536 ? (n ? n : 1) : 65536;
        col[RECORD] = create_var(w, g, "record", H5T_STD_I64LE, 1, &n, NULL, n ? &chunk : NULL, n > 0, NULL);
        if (col[RECORD] < 0) goto out;
        if (H5DSset_scale(col[RECORD], "record") < 0 || wf_h5_attr_i32(col[RECORD], "_Netcdf4Dimid", 8) < 0 ||
            wf_h5_attr_str(col[RECORD], "long_name", "event record number") < 0) {
            wf_h5_fail(ERR(w), w->path, "writing event_log/record");
            goto out;
        }
    }
    static const char *const docs[NCOL] = {
        "scenario index (the scenario dimension of the root group)",
        "replicate",
        "patient id: the patient's random-stream key, the same under every configuration of a run",
        "time of the event",
        "what happened",
        "organisation index (the organisation dimension of the root group)",
        "discharge pathway 0-3; 255 where none applies",
        "admission number of this patient, from 0",
        "1 for the episode of an elective admission",
        NULL};
    const hid_t types[NCOL] = {H5T_STD_I32LE, H5T_STD_I32LE, H5T_STD_U64LE, H5T_IEEE_F64LE, H5T_STD_U8LE,
                               H5T_STD_I32LE, H5T_STD_U8LE, H5T_STD_U8LE, H5T_STD_U8LE, -1};
    for (int k = 0; k < RECORD; k++)
        if ((col[k] = log_column(w, g, col[RECORD], names[k], types[k], n, docs[k])) < 0) goto out;
    {
        /* CF flags: event codes and their names */
        uint8_t codes[WF_LOG_NEVENT];
        char meanings[512] = "";
        for (int e = 0; e < WF_LOG_NEVENT; e++) {
            codes[e] = (uint8_t)e;
            if (e) strcat(meanings, " ");
            strcat(meanings, wf_log_event_name(e));
        }
        hsize_t ne = WF_LOG_NEVENT;
        hid_t sp = H5Screate_simple(1, &ne, NULL);
        hid_t a = sp < 0 ? -1 : H5Acreate2(col[EVENT], "flag_values", H5T_STD_U8LE, sp, H5P_DEFAULT, H5P_DEFAULT);
        int bad = a < 0 || H5Awrite(a, H5T_NATIVE_UINT8, codes) < 0;
        if (a >= 0) H5Aclose(a);
        if (sp >= 0) H5Sclose(sp);
        if (bad || wf_h5_attr_str(col[EVENT], "flag_meanings", meanings) < 0 ||
            wf_h5_attr_str(col[TIME], "units", units) < 0 ||
            wf_h5_attr_str(col[TIME], "calendar", "proleptic_gregorian") < 0) {
            wf_h5_fail(ERR(w), w->path, "writing the attributes of event_log");
            goto out;
        }
    }
    /* the record numbers, then each block's columns */
    hsize_t at = 0;
    for (size_t sc = 0; sc < r->n_scen; sc++)
        for (size_t rep = 0; rep < r->n_rep; rep++) {
            size_t i = sc * r->n_rep + rep, m = r->log_n[i];
            const wf_log_record *v = r->log[i];
            if (!m) continue;
            hsize_t count = m;
            ms = H5Screate_simple(1, &count, NULL);
            for (int k = 0; k < NCOL; k++) {
                for (size_t j = 0; j < m; j++) switch (k) {
                    case SCEN: ((int32_t *)buf)[j] = (int32_t)sc; break;
                    case REP: ((int32_t *)buf)[j] = (int32_t)rep; break;
                    case PATIENT: ((uint64_t *)buf)[j] = v[j].patient; break;
                    case TIME: ((double *)buf)[j] = v[j].t; break;
                    case EVENT: ((uint8_t *)buf)[j] = v[j].event; break;
                    case ORG: ((int32_t *)buf)[j] = v[j].org; break;
                    case PATHWAY: ((uint8_t *)buf)[j] = v[j].pathway; break;
                    case EPISODE: ((uint8_t *)buf)[j] = v[j].episode; break;
                    case ELECTIVE: ((uint8_t *)buf)[j] = v[j].elective; break;
                    default: ((int64_t *)buf)[j] = (int64_t)(at + j); break;
                    }
                hid_t mt = k == PATIENT ? H5T_NATIVE_UINT64 : k == TIME ? H5T_NATIVE_DOUBLE
                           : k == RECORD ? H5T_NATIVE_INT64
                           : (k == EVENT || k == PATHWAY || k == EPISODE || k == ELECTIVE) ? H5T_NATIVE_UINT8
                                                                                           : H5T_NATIVE_INT32;
                hid_t fs = H5Dget_space(col[k]);
                int bad = fs < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, &at, NULL, &count, NULL) < 0 ||
                          dwrite(w, col[k], mt, ms, fs, buf, names[k]) < 0;
                if (fs >= 0) H5Sclose(fs);
                if (bad) goto out;
            }
            H5Sclose(ms);
            ms = -1;
            at += m;
        }
    rc = 0;
out:
    if (ms >= 0) H5Sclose(ms);
    for (int k = 0; k < NCOL; k++)
        if (col[k] >= 0) H5Dclose(col[k]);
    if (g >= 0) H5Gclose(g);
    free(buf);
    return rc;
}

/* Is `name` free for a scenario coordinate: a netCDF name (a letter, digit,
 * '_' or a UTF-8 byte first; no '/', space or control character; at most
 * 255 bytes; spaces are excluded as the CF "coordinates" attribute is a
 * blank-separated list) that the layout does not use? */
static const char *coord_name_problem(const char *name)
{
    static const char *const taken[] = {WF_H5_DIM_SCENARIO, WF_H5_DIM_REPLICATE, WF_H5_DIM_DAY, WF_H5_DIM_ORG,
                                        WF_H5_ORG_KIND, WF_H5_SCENARIO_YAML, WF_H5_SCENARIO_COMPLETE,
                                        WF_H5_SUMMARY, WF_H5_PARAMETERS, "event_log"};
    const unsigned char *p = (const unsigned char *)name;
    if (!p || !*p) return "an empty name";
    if (strlen(name) > 255) return "longer than 255 bytes";
    if (!(isalnum(*p) || *p == '_' || *p >= 0x80)) return "it must start with a letter, digit or '_'";
    for (; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '/') return "no '/', space or control character is allowed";
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
        if (!strcmp(name, taken[i])) return "the layout uses that name";
    for (size_t m = 0; m < WF_NMETRIC; m++)
        if (!strcmp(name, wf_metric_defs[m].name)) return "a metric has that name";
    return NULL;
}

/* Check opt's coordinates; *joined: their names separated by spaces. */
static wf_status check_coords(wf_results *r, const char *path, const wf_write_options *opt, char **joined)
{
    size_t len = 1;
    *joined = NULL;
    if (opt->n_coords && (!opt->coord_names || !opt->coord_values)) {
        snprintf(r->err, sizeof r->err, "%s: %zu coordinates without coord_names or coord_values", path,
                 opt->n_coords);
        return WF_EINVAL;
    }
    for (size_t c = 0; c < opt->n_coords; c++) {
        const char *name = opt->coord_names[c], *why = coord_name_problem(name);
        for (size_t k = 0; !why && k < c; k++)
            if (!strcmp(name, opt->coord_names[k])) why = "given twice";
        if (why) {
            snprintf(r->err, sizeof r->err, "%s: coordinate \"%.300s\": %s", path, name ? name : "(null)", why);
            return WF_EINVAL;
        }
        len += strlen(name) + 1;
    }
    if (len > 1024) {
        snprintf(r->err, sizeof r->err, "%s: the coordinate names take more than 1023 bytes together", path);
        return WF_EINVAL;
    }
    char *s = malloc(len);
    if (!s) return WF_ENOMEM;
    s[0] = 0;
    for (size_t c = 0; c < opt->n_coords; c++) {
        if (c) strcat(s, " ");
        strcat(s, opt->coord_names[c]);
    }
    *joined = s;
    return WF_OK;
}

static wf_status do_write(wf_results *r, const wf_scenario *const *scenarios, size_t n, const char *path,
                          const wf_write_options *opt, int append)
{
    if (!r) return WF_EINVAL;
    r->err[0] = 0;
    wf_write_options taken;
    if (wf_write_options_take(&taken, opt, r->err, sizeof r->err) != WF_OK) return WF_EINVAL;
    opt = &taken;
    if (!path || !*path) {
        snprintf(r->err, sizeof r->err, "no file name to write the results to");
        return WF_EINVAL;
    }
    if (!r->complete || r->n_scen == 0) {
        snprintf(r->err, sizeof r->err, "%s: no complete results to write (run them first; a cancelled run "
                 "is not written)", path);
        return WF_EINVAL;
    }
    if (!scenarios || n != r->n_scen) {
        snprintf(r->err, sizeof r->err, "%s: %zu scenarios given for results of %zu scenarios", path, n, r->n_scen);
        return WF_EINVAL;
    }
    if (opt->event_log && !r->log) {
        snprintf(r->err, sizeof r->err, "%s: the run kept no event log (set wf_run_options.event_log)", path);
        return WF_EINVAL;
    }
    if (opt->event_log && append) {
        snprintf(r->err, sizeof r->err, "%s: an event log cannot be appended to an existing file", path);
        return WF_EINVAL;
    }
    char *coords = NULL;
    wf_status cst = check_coords(r, path, opt, &coords);
    if (cst != WF_OK) return cst;
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (exists && S_ISDIR(sb.st_mode)) {
        snprintf(r->err, sizeof r->err, "%s: is a folder, not a results file", path);
        free(coords);
        return WF_EIO;
    }
    if (!append && exists && !opt->overwrite) {
        snprintf(r->err, sizeof r->err, "%s: exists (use --force, or the overwrite option, to replace it)", path);
        free(coords);
        return WF_EIO;
    }
    append = append && exists;

    writer w = {.r = r, .path = path, .file = -1, .opt = opt, .n = n, .coords = coords};
    w.fail_after = env_long("WF_TEST_FAIL_WRITE_AFTER");
    w.kill_after = env_long("WF_TEST_KILL_WRITE_AFTER");
    wf_status st = WF_OK;
    w.yaml = calloc(n, sizeof *w.yaml);
    if (!w.yaml) {
        free(coords);
        return WF_ENOMEM;
    }
    for (size_t i = 0; i < n && st == WF_OK; i++) {
        wf_scenario *c = scenarios[i] ? wf_scenario_clone(scenarios[i]) : NULL;
        if (!scenarios[i]) {
            snprintf(r->err, sizeof r->err, "%s: scenario %zu is NULL", path, i);
            st = WF_EINVAL;
        } else if (!c) {
            st = WF_ENOMEM;
        } else if (!(w.yaml[i] = wf_scenario_to_yaml(c))) {
            snprintf(r->err, sizeof r->err, "%s: scenario %zu: %s", path, i, wf_scenario_error(c));
            st = WF_EINVAL;
        }
        wf_scenario_destroy(c);
    }
    if (st == WF_OK) st = make_tmp(&w);

    wf_h5_quiet q;
    wf_h5_quiet_begin(&q);
    if (st == WF_OK && append) st = copy_file(&w, path, w.tmp);
    hid_t fapl = -1, fcpl = -1;
    if (st == WF_OK) {
        fapl = H5Pcreate(H5P_FILE_ACCESS);
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
        if (append) {
            w.file = H5Fopen(w.tmp, H5F_ACC_RDWR, fapl);
            if (w.file < 0) {
                wf_h5_fail(ERR(&w), path, "H5Fopen (is it a winterflow results file?)");
                st = WF_EIO;
            } else {
                st = check_compatible(&w);
            }
        } else {
            fcpl = H5Pcreate(H5P_FILE_CREATE);
            H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
            H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
            w.file = H5Fcreate(w.tmp, H5F_ACC_TRUNC, fcpl, fapl);
            if (w.file < 0) {
                wf_h5_fail(ERR(&w), path, "H5Fcreate");
                st = WF_EIO;
            } else if (make_structure(&w) < 0) {
                st = WF_EIO;
            }
        }
    }
    if (st == WF_OK && add_scenarios(&w) < 0) st = WF_EIO;
    if (st == WF_OK && opt->event_log && write_event_log(&w) < 0) st = WF_EIO;
    if (st == WF_OK && write_root_attrs(&w) < 0) st = WF_EIO;
    if (w.file >= 0) {
        if (H5Fclose(w.file) < 0 && st == WF_OK) {
            wf_h5_fail(ERR(&w), path, "H5Fclose (writing the file out)");
            st = WF_EIO;
        }
        w.file = -1;
    }
    if (fapl >= 0) H5Pclose(fapl);
    if (fcpl >= 0) H5Pclose(fcpl);
    wf_h5_quiet_end(&q);
    if (st == WF_OK) st = commit(&w);
    if (st != WF_OK && w.tmp) unlink(w.tmp);
    if (st == WF_ENOMEM && !r->err[0]) snprintf(r->err, sizeof r->err, "%s: out of memory", path);
    free(w.tmp);
    free(w.coords);
    for (size_t i = 0; i < n; i++) free(w.yaml[i]);
    free(w.yaml);
    return st;
}

wf_status wf_results_write(wf_results *r, const wf_scenario *const *scenarios, size_t n, const char *path,
                           const wf_write_options *opt)
{
    return do_write(r, scenarios, n, path, opt, 0);
}

wf_status wf_results_append(wf_results *r, const wf_scenario *const *scenarios, size_t n, const char *path,
                            const wf_write_options *opt)
{
    return do_write(r, scenarios, n, path, opt, 1);
}
