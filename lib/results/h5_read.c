#define _POSIX_C_SOURCE 200809L
/* The HDF5 results reader: loads a file written by h5_write.c (layout in
 * docs/results-file.md) into a results object. */
#include "results/h5_common.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "results/metrics.h"

typedef struct {
    wf_results *r;
    const char *path;
    hid_t file;
} reader;

#define RERR(d) (d)->r->err, sizeof (d)->r->err

/* Read a 1-D string variable; returns its length or -1. */
static long read_strvar(reader *d, hid_t loc, const char *name, char ***out)
{
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
    if (ds < 0) {
        wf_h5_fail(RERR(d), d->path, "H5Dopen2(%s) (is it a winterflow results file?)", name);
        return -1;
    }
    long rc = -1;
    hid_t sp = H5Dget_space(ds), vs = wf_h5_vlen_str();
    hssize_t n = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    char **v = n >= 0 ? calloc((size_t)n + 1, sizeof *v) : NULL;
    if (!v || vs < 0 || (n > 0 && H5Dread(ds, vs, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)) {
        wf_h5_fail(RERR(d), d->path, "H5Dread(%s)", name);
        free(v);
    } else {
        *out = v;
        rc = (long)n;
    }
    if (vs >= 0) H5Tclose(vs);
    if (sp >= 0) H5Sclose(sp);
    H5Dclose(ds);
    return rc;
}

static void free_strvar(char **v, long n)
{
    for (long i = 0; v && i < n; i++) H5free_memory(v[i]);
    free(v);
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static const char *kind_literal(const char *k)
{
    static const char *const kinds[] = {"hospital", "locality", "community", "voluntary", "system"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(k, kinds[i])) return kinds[i];
    return NULL;
}

/* Read one scenario's row of a metric variable into dst (count doubles). */
static int read_row(reader *d, hid_t loc, const char *name, size_t scen, size_t count, double *dst, int rank)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) { /* a metric the file lacks */
        for (size_t i = 0; i < count; i++) dst[i] = NAN;
        return 0;
    }
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
    if (ds < 0) {
        wf_h5_fail(RERR(d), d->path, "H5Dopen2(%s)", name);
        return -1;
    }
    int rc = -1;
    hid_t fs = H5Dget_space(ds), ms = -1;
    hsize_t dims[4], st[4] = {0, 0, 0, 0};
    if (fs < 0 || H5Sget_simple_extent_ndims(fs) != rank) {
        snprintf(RERR(d), "%s: %s: unexpected shape", d->path, name);
        goto out;
    }
    H5Sget_simple_extent_dims(fs, dims, NULL);
    size_t n = 1;
    for (int i = 1; i < rank; i++) n *= dims[i];
    if (n != count) {
        snprintf(RERR(d), "%s: %s: unexpected shape", d->path, name);
        goto out;
    }
    dims[0] = 1;
    st[0] = scen;
    ms = H5Screate_simple(rank, dims, NULL);
    if (ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, st, NULL, dims, NULL) < 0 ||
        H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, dst) < 0) {
        wf_h5_fail(RERR(d), d->path, "H5Dread(%s)", name);
        goto out;
    }
    rc = 0;
out:
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    H5Dclose(ds);
    return rc;
}

static long dim_len(reader *d, hid_t loc, const char *name)
{
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
    if (ds < 0) {
        wf_h5_fail(RERR(d), d->path, "H5Dopen2(%s) (is it a winterflow results file?)", name);
        return -1;
    }
    hid_t sp = H5Dget_space(ds);
    hssize_t n = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    if (sp >= 0) H5Sclose(sp);
    H5Dclose(ds);
    return (long)n;
}

static wf_status load(reader *d)
{
    wf_results *r = d->r;
    char **orgs = NULL, **kinds = NULL, **scen = NULL, **yaml = NULL;
    long no = -1, nk = -1, ns = -1, ny = -1;
    int8_t *complete = NULL;
    int32_t *days = NULL;
    size_t *keep = NULL;
    hid_t sum = -1;
    wf_status st = WF_EIO;

    if ((no = read_strvar(d, d->file, WF_H5_DIM_ORG, &orgs)) < 0) goto out;
    if ((nk = read_strvar(d, d->file, WF_H5_ORG_KIND, &kinds)) < 0) goto out;
    if ((ns = read_strvar(d, d->file, WF_H5_DIM_SCENARIO, &scen)) < 0) goto out;
    if (H5Lexists(d->file, WF_H5_SCENARIO_YAML, H5P_DEFAULT) > 0 &&
        (ny = read_strvar(d, d->file, WF_H5_SCENARIO_YAML, &yaml)) < 0)
        goto out;
    long nrep = dim_len(d, d->file, WF_H5_DIM_REPLICATE), nday = dim_len(d, d->file, WF_H5_DIM_DAY);
    if (nrep < 0 || nday < 0) goto out;
    if (nk != no || no < 1) {
        snprintf(r->err, sizeof r->err, "%s: organisation and organisation_kind differ in length", d->path);
        goto out;
    }
    /* Which scenarios are complete (a file without the flag: all). */
    complete = calloc((size_t)ns + 1, 1);
    keep = calloc((size_t)ns + 1, sizeof *keep);
    days = calloc((size_t)nday + 1, sizeof *days);
    if (!complete || !keep || !days) {
        st = WF_ENOMEM;
        goto out;
    }
    if (H5Lexists(d->file, WF_H5_SCENARIO_COMPLETE, H5P_DEFAULT) > 0) {
        hid_t ds = H5Dopen2(d->file, WF_H5_SCENARIO_COMPLETE, H5P_DEFAULT);
        if (ds < 0 || (ns > 0 && H5Dread(ds, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, complete) < 0)) {
            wf_h5_fail(RERR(d), d->path, "H5Dread(%s)", WF_H5_SCENARIO_COMPLETE);
            if (ds >= 0) H5Dclose(ds);
            goto out;
        }
        H5Dclose(ds);
    } else {
        memset(complete, 1, (size_t)ns);
    }
    size_t nkeep = 0;
    for (long i = 0; i < ns; i++)
        if (complete[i]) keep[nkeep++] = (size_t)i;
    {
        hid_t ds = H5Dopen2(d->file, WF_H5_DIM_DAY, H5P_DEFAULT);
        if (ds < 0 || (nday > 0 && H5Dread(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, days) < 0)) {
            wf_h5_fail(RERR(d), d->path, "H5Dread(%s)", WF_H5_DIM_DAY);
            if (ds >= 0) H5Dclose(ds);
            goto out;
        }
        char units[128] = "";
        int y, m, dd;
        int ok = wf_h5_attr_read_str(ds, "units", units, sizeof units) == 0 &&
                 sscanf(units, "days since %d-%d-%d", &y, &m, &dd) == 3;
        H5Dclose(ds);
        if (!ok) {
            snprintf(r->err, sizeof r->err, "%s: day: units '%s' are not \"days since YYYY-MM-DD\"", d->path, units);
            goto out;
        }
        int32_t start = wf_days_from_civil(y, m, dd);
        /* Shape the results object. */
        r->n_scen = nkeep;
        r->n_rep = (size_t)nrep;
        r->n_days = (size_t)nday;
        r->n_orgs = (size_t)no;
        r->org_names = calloc((size_t)no, sizeof *r->org_names);
        r->org_kinds = calloc((size_t)no, sizeof *r->org_kinds);
        r->scen_names = calloc(nkeep + 1, sizeof *r->scen_names);
        r->dates = malloc(r->n_days * sizeof *r->dates + 1);
        size_t blk = nkeep * WF_NMETRIC * r->n_rep;
        r->daily = malloc(blk * r->n_days * r->n_orgs * sizeof(double) + 1);
        r->summary = malloc(blk * r->n_orgs * sizeof(double) + 1);
        if (!r->org_names || !r->org_kinds || !r->scen_names || !r->dates || !r->daily || !r->summary) {
            st = WF_ENOMEM;
            goto out;
        }
        for (long i = 0; i < no; i++) {
            if (!(r->org_names[i] = dup(orgs[i] ? orgs[i] : ""))) {
                st = WF_ENOMEM;
                goto out;
            }
            if (!(r->org_kinds[i] = kind_literal(kinds[i] ? kinds[i] : ""))) {
                snprintf(r->err, sizeof r->err, "%s: organisation %s has an unknown kind '%s'", d->path,
                         r->org_names[i], kinds[i] ? kinds[i] : "");
                goto out;
            }
        }
        for (size_t i = 0; i < nkeep; i++)
            if (!(r->scen_names[i] = dup(scen[keep[i]] ? scen[keep[i]] : ""))) {
                st = WF_ENOMEM;
                goto out;
            }
        if (ny == ns && ny > 0) {
            if (!(r->scen_yaml = calloc(nkeep + 1, sizeof *r->scen_yaml))) {
                st = WF_ENOMEM;
                goto out;
            }
            for (size_t i = 0; i < nkeep; i++)
                if (yaml[keep[i]] && !(r->scen_yaml[i] = dup(yaml[keep[i]]))) {
                    st = WF_ENOMEM;
                    goto out;
                }
        }
        for (size_t t = 0; t < r->n_days; t++) wf_date_format(start + days[t], r->dates[t]);
    }
    if ((sum = H5Gopen2(d->file, WF_H5_SUMMARY, H5P_DEFAULT)) < 0) {
        wf_h5_fail(RERR(d), d->path, "H5Gopen2(%s)", WF_H5_SUMMARY);
        goto out;
    }
    for (size_t s = 0; s < nkeep; s++)
        for (size_t m = 0; m < WF_NMETRIC; m++) {
            const char *name = wf_metric_defs[m].name;
            double *dd = r->daily + ((s * WF_NMETRIC + m) * r->n_rep) * r->n_days * r->n_orgs;
            double *ss = r->summary + ((s * WF_NMETRIC + m) * r->n_rep) * r->n_orgs;
            if (read_row(d, d->file, name, keep[s], r->n_rep * r->n_days * r->n_orgs, dd, 4) < 0 ||
                read_row(d, sum, name, keep[s], r->n_rep * r->n_orgs, ss, 3) < 0)
                goto out;
        }
    int64_t v;
    r->seed = wf_h5_attr_read_i64(d->file, "seed", &v) == 0 ? v : 0;
    r->threads = wf_h5_attr_read_i64(d->file, "threads", &v) == 0 ? (int)v : 0;
    r->complete = true;
    st = WF_OK;
out:
    if (sum >= 0) H5Gclose(sum);
    free_strvar(orgs, no);
    free_strvar(kinds, nk);
    free_strvar(scen, ns);
    free_strvar(yaml, ny);
    free(complete);
    free(keep);
    free(days);
    if (st == WF_ENOMEM) snprintf(r->err, sizeof r->err, "%s: out of memory", d->path);
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
    wf_h5_quiet q;
    wf_h5_quiet_begin(&q);
    reader d = {.r = r, .path = path, .file = -1};
    wf_status st = WF_EIO;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
#if H5_VERSION_GE(1, 12, 0)
    htri_t is_h5 = H5Fis_accessible(path, fapl);
#else
    htri_t is_h5 = H5Fis_hdf5(path);
#endif
    if (is_h5 <= 0) {
        FILE *f = fopen(path, "rb");
        if (!f) snprintf(r->err, sizeof r->err, "%s: cannot open: %s", path, strerror(errno));
        else snprintf(r->err, sizeof r->err, "%s: not an HDF5 file", path);
        if (f) fclose(f);
    } else if ((d.file = H5Fopen(path, H5F_ACC_RDONLY, fapl)) < 0) {
        wf_h5_fail(r->err, sizeof r->err, path, "H5Fopen");
    } else {
        st = load(&d);
        H5Fclose(d.file);
    }
    H5Pclose(fapl);
    wf_h5_quiet_end(&q);
    if (st != WF_OK) {
        char keep[sizeof r->err];
        memcpy(keep, r->err, sizeof keep);
        wf_results_clear(r);
        memcpy(r->err, keep, sizeof keep);
    }
    return st;
}
