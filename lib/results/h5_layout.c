/* The layout of a results file (docs/results-file.md): groups, dimensions
 * and variables, and the rows of data each scenario adds.
 *
 * Format 2 stores text as netCDF char arrays: (rows, <name>_strlen) bytes,
 * NUL-padded, with _Encoding = "utf-8", in chunks that carry a Fletcher32
 * checksum like every other dataset; xarray (h5netcdf and netCDF4) decodes
 * them to strings. A scenario-indexed text grows its _strlen dimension when
 * an appended row is longer. (Variable-length strings would live in HDF5's
 * global heap, which has no checksum; fixed-length HDF5 strings crash
 * netCDF-C 4.9.) The dimension-only scales follow netCDF-C: a float dataset
 * named for the dimension whose NAME attribute says it is not a variable. */
#include "results/h5_writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5_hl.h>

#include "results/fault.h"
#include "results/metrics.h"
#include "results/stored.h"

/* ---- creating objects ------------------------------------------------ */

static int compress_ok(void) { return H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 && H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0; }

hid_t wf_h5_create_var(wf_h5_writer *w, hid_t loc, const char *name, hid_t ftype, int rank, const hsize_t *dims,
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
            H5Pset_deflate(dcpl, WF_STORED_DEFLATE);
        }
        /* last in the pipeline: the checksum covers the stored bytes */
        if (H5Pset_fletcher32(dcpl) < 0) goto out;
    }
    if (fill) H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, fill);
    d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d >= 0 && fill && wf_h5_attr_f64(d, "_FillValue", *fill) < 0) {
        H5Dclose(d);
        d = -1;
    }
out:
    if (d < 0) wf_h5_fail(WF_H5_ERR(w), w->path, "H5Dcreate2(%s)", name);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (sp >= 0) H5Sclose(sp);
    return d;
}

hid_t wf_h5_create_group(wf_h5_writer *w, hid_t loc, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0) wf_h5_fail(WF_H5_ERR(w), w->path, "H5Gcreate2(%s)", name);
    H5Pclose(gcpl);
    return g;
}

/* Before each dataset write: stop at once when the file is given up, and
 * let the fault hook (fault.h) fail it. */
static int write_gate(wf_h5_writer *w, const char *what)
{
    char why[256] = "";
    if (w->io_errno) { /* the file is given up: stop at once */
        snprintf(WF_H5_ERR(w), "%s: writing the file failed: %s", w->path, wf_strerror(w->io_errno, why, sizeof why));
        return -1;
    }
    if (wf_fault_write(w->writes, why, sizeof why) < 0) {
        snprintf(WF_H5_ERR(w), "%s: H5Dwrite(%s) failed: %s", w->path, what, why);
        return -1;
    }
    w->writes++;
    return 0;
}

int wf_h5_dwrite(wf_h5_writer *w, hid_t d, hid_t mt, hid_t ms, hid_t fs, const void *buf, const char *what)
{
    if (write_gate(w, what) < 0) return -1;
    if (H5Dwrite(d, mt, ms, fs, H5P_DEFAULT, buf) < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "H5Dwrite(%s)", what);
        return -1;
    }
    return 0;
}

/* ---- text: netCDF char arrays ---------------------------------------- */

/* The NAME of a netCDF dimension that has no variable, as netCDF-C writes
 * it (its length at the end). */
static int dim_only_name(hid_t scale, hsize_t len)
{
    char name[80];
    snprintf(name, sizeof name, "This is a netCDF dimension but not a netCDF variable.%10llu", (unsigned long long)len);
    if (H5Aexists(scale, "NAME") > 0 && H5Adelete(scale, "NAME") < 0) return -1;
    hid_t t = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
    hid_t a = -1;
    int rc = -1;
    if (t >= 0 && sp >= 0 && H5Tset_size(t, strlen(name) + 1) >= 0 &&
        (a = H5Acreate2(scale, "NAME", t, sp, H5P_DEFAULT, H5P_DEFAULT)) >= 0 && H5Awrite(a, t, name) >= 0)
        rc = 0;
    if (a >= 0 && H5Aclose(a) < 0) rc = -1;
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    return rc;
}

/* A dimension without a variable (a string length): `len` long, unlimited
 * when `grows`. */
static int make_dim_only(wf_h5_writer *w, hid_t g, const char *name, hsize_t len, int grows, int dimid)
{
    hsize_t max = grows ? H5S_UNLIMITED : len, chunk = 1024;
    hid_t d = wf_h5_create_var(w, g, name, H5T_IEEE_F32BE, 1, &len, &max, grows ? &chunk : NULL, 0, NULL);
    if (d < 0) return -1;
    int bad = H5DSset_scale(d, NULL) < 0 || dim_only_name(d, len) < 0 || wf_h5_attr_i32(d, "_Netcdf4Dimid", dimid) < 0;
    if (bad) wf_h5_fail(WF_H5_ERR(w), w->path, "writing the dimension %s", name);
    H5Dclose(d);
    return bad ? -1 : 0;
}

/* A text variable (rows, len) of bytes, rows and len unlimited as asked. */
static hid_t make_text(wf_h5_writer *w, hid_t g, const char *name, hsize_t rows, int rows_grow, hsize_t len,
                       int len_grow, hsize_t chunk_rows, hsize_t chunk_len)
{
    hid_t ch = wf_h5_char();
    if (ch < 0) return -1;
    hsize_t dims[2] = {rows, len}, max[2] = {rows_grow ? H5S_UNLIMITED : rows, len_grow ? H5S_UNLIMITED : len};
    hsize_t chunk[2] = {chunk_rows, chunk_len};
    if (!rows_grow && chunk[0] > rows) chunk[0] = rows;
    if (!len_grow && chunk[1] > len) chunk[1] = len;
    hid_t d = wf_h5_create_var(w, g, name, ch, 2, dims, max, chunk, 1, NULL);
    H5Tclose(ch);
    if (d >= 0 && wf_h5_attr_str(d, "_Encoding", "utf-8") < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing the attributes of %s", name);
        H5Dclose(d);
        d = -1;
    }
    return d;
}

/* `_Netcdf4Coordinates`: the dimension ids of a variable that is itself a
 * dimension scale (so it cannot list its dimensions in DIMENSION_LIST). */
static int nc4_coordinates(hid_t d, int id0, int id1)
{
    int32_t ids[2] = {id0, id1};
    hsize_t two = 2;
    hid_t sp = H5Screate_simple(1, &two, NULL);
    hid_t a = sp < 0 ? -1 : H5Acreate2(d, "_Netcdf4Coordinates", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a >= 0 && H5Awrite(a, H5T_NATIVE_INT32, ids) >= 0 ? 0 : -1;
    if (a >= 0 && H5Aclose(a) < 0) rc = -1;
    if (sp >= 0) H5Sclose(sp);
    return rc;
}

/* Make text variable `var` of g at least `need` bytes wide (and its
 * dimension `var`_strlen with it). */
static int widen_text(wf_h5_writer *w, hid_t g, const char *var, size_t need)
{
    char dim[128];
    snprintf(dim, sizeof dim, "%s%s", var, WF_H5_STRLEN_SUFFIX);
    hid_t d = H5Dopen2(g, var, H5P_DEFAULT), s = -1, sp = -1;
    hsize_t dims[2];
    int rc = -1;
    if (d < 0 || (sp = H5Dget_space(d)) < 0 || H5Sget_simple_extent_ndims(sp) != 2 ||
        H5Sget_simple_extent_dims(sp, dims, NULL) < 0)
        goto h5fail;
    if (dims[1] >= need) {
        rc = 0;
        goto out;
    }
    dims[1] = need;
    hsize_t len = need;
    if (H5Dset_extent(d, dims) < 0 || (s = H5Dopen2(g, dim, H5P_DEFAULT)) < 0 || H5Dset_extent(s, &len) < 0 ||
        dim_only_name(s, len) < 0)
        goto h5fail;
    rc = 0;
    goto out;
h5fail:
    wf_h5_fail(WF_H5_ERR(w), w->path, "widening %s", var);
out:
    if (sp >= 0) H5Sclose(sp);
    if (s >= 0) H5Dclose(s);
    if (d >= 0) H5Dclose(d);
    return rc;
}

/* Write strs[0..count) as rows start.. of text variable `var` of g,
 * growing its rows (an unlimited first axis) and width as needed. */
static int write_text(wf_h5_writer *w, hid_t g, const char *var, size_t start, size_t count, const char *const *strs)
{
    size_t need = 1;
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(strs[i] ? strs[i] : "");
        if (n > need) need = n;
    }
    if (widen_text(w, g, var, need) < 0) return -1;
    hid_t d = H5Dopen2(g, var, H5P_DEFAULT), fs = -1, ms = -1, ch = wf_h5_char();
    hsize_t dims[2], st[2] = {start, 0};
    char *buf = NULL;
    int rc = -1;
    if (d < 0 || ch < 0 || (fs = H5Dget_space(d)) < 0 || H5Sget_simple_extent_dims(fs, dims, NULL) != 2) goto h5fail;
    size_t width = (size_t)dims[1], bytes;
    if (!wf_mul(count, width, &bytes) || !(buf = calloc(bytes + 1, 1))) {
        wf_h5_oom(w);
        goto out;
    }
    for (size_t i = 0; i < count; i++)
        if (strs[i]) memcpy(buf + i * width, strs[i], strlen(strs[i]));
    if (dims[0] < start + count) {
        dims[0] = start + count;
        H5Sclose(fs);
        fs = -1;
        if (H5Dset_extent(d, dims) < 0 || (fs = H5Dget_space(d)) < 0) goto h5fail;
    }
    dims[0] = count;
    if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, st, NULL, dims, NULL) < 0 || (ms = H5Screate_simple(2, dims, NULL)) < 0)
        goto h5fail;
    rc = wf_h5_dwrite(w, d, ch, ms, fs, buf, var);
    goto out;
h5fail:
    wf_h5_fail(WF_H5_ERR(w), w->path, "writing %s", var);
out:
    free(buf);
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    if (ch >= 0) H5Tclose(ch);
    if (d >= 0) H5Dclose(d);
    return rc;
}

/* ---- structure ------------------------------------------------------- */

static const char *cell_method(const wf_metric_def *d, int daily)
{
    switch (d->rule) {
    case WF_RULE_SUM: return "day: sum";
    case WF_RULE_LEVEL: return "day: mean";
    case WF_RULE_RATIO: return daily ? "day: mean" : "day: mean (ratio of sums over the window)";
    case WF_RULE_END: return daily ? "day: point (end of day)" : "day: point (end of the last day)";
    case WF_RULE_PCTL: return daily ? "day: percentile" : "day: percentile (of the window's discharges)";
    case WF_RULE_FLAG: return daily ? "day: none" : "day: point (end of the window)";
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
    const char *unit = !strcmp(def->unit, "hours") ? "h" : !strcmp(def->unit, "days") ? "d" : def->unit;
    if (unit[0]) bad |= wf_h5_attr_str(d, "units", unit) < 0;
    bad |= wf_h5_attr_str(d, "long_name", def->doc) < 0;
    bad |= wf_h5_attr_str(d, "cell_methods", cell_method(def, daily)) < 0;
    bad |= wf_h5_attr_str(d, "metric_kind", def->kind == WF_METRIC_TOTAL ? "total" : "mean") < 0;
    bad |= wf_h5_attr_str(d, "applies_to", applies) < 0;
    {
        /* whose count each kind's value is (wf_metric_perspective), so that
         * no reader adds the home councils' view to the hospitals' */
        char persp[192] = "";
        for (int k = 0; k < WF_ORG_NKINDS; k++) {
            const char *p = wf_metric_perspective(m, (wf_org_kind)k);
            if (!p) continue;
            size_t at = strlen(persp);
            snprintf(persp + at, sizeof persp - at, "%s%s:%s", at ? " " : "",
                     wf_org_kind_name((wf_org_kind)k), p);
        }
        bad |= wf_h5_attr_str(d, "perspective", persp) < 0;
    }
    {
        /* CF: the auxiliary coordinates, blank-separated (the names are
         * at most 1023 bytes together: check_coords) */
        char all[sizeof WF_H5_ORG_KIND + 1024];
        snprintf(all, sizeof all, "%s%s%s", WF_H5_ORG_KIND, coords[0] ? " " : "", coords);
        bad |= wf_h5_attr_str(d, "coordinates", all) < 0;
    }
    return bad ? -1 : 0;
}

/* A 1-D int32 coordinate 0 .. n-1 that is the scale of dimension `name`. */
static hid_t make_index(wf_h5_writer *w, hid_t g, const char *name, size_t n, int dimid)
{
    hsize_t dim = n, chunk = n ? n : 1;
    int32_t *v = malloc(sizeof *v * (n + 1));
    if (!v) return wf_h5_oom(w);
    for (size_t i = 0; i < n; i++) v[i] = (int32_t)i;
    hid_t d = wf_h5_create_var(w, g, name, H5T_STD_I32LE, 1, &dim, NULL, n ? &chunk : NULL, 0, NULL);
    int bad = d < 0 || (n && wf_h5_dwrite(w, d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, v, name) < 0);
    free(v);
    if (!bad && (H5DSset_scale(d, name) < 0 || wf_h5_attr_i32(d, "_Netcdf4Dimid", dimid) < 0)) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing the dimension %s", name);
        bad = 1;
    }
    if (bad && d >= 0) H5Dclose(d);
    return bad ? -1 : d;
}

/* The dimensions and coordinate variables of one group: scenario
 * (unlimited, filled by wf_h5_add_rows), replicate, [day,] organisation and
 * organisation_kind, and the string lengths. Dimension ids from *id.
 * scales[]: scenario, replicate, day, organisation. */
static int make_dims(wf_h5_writer *w, hid_t g, int with_day, int *id, hid_t scales[4])
{
    wf_results *r = w->r;
    int rc = -1;
    hid_t kind = -1;
    for (int i = 0; i < 4; i++) scales[i] = -1;
    int id_scen = (*id)++, id_rep = (*id)++, id_day = with_day ? (*id)++ : -1, id_org = (*id)++;
    int id_scen_len = (*id)++, id_org_len = (*id)++;
    char dim[128];
    if ((scales[0] = make_text(w, g, WF_H5_DIM_SCENARIO, 0, 1, 1, 1, 16, 64)) < 0) goto out;
    snprintf(dim, sizeof dim, "%s%s", WF_H5_DIM_SCENARIO, WF_H5_STRLEN_SUFFIX);
    if (make_dim_only(w, g, dim, 1, 1, id_scen_len) < 0) goto out;
    if (H5DSset_scale(scales[0], WF_H5_DIM_SCENARIO) < 0 || wf_h5_attr_i32(scales[0], "_Netcdf4Dimid", id_scen) < 0 ||
        nc4_coordinates(scales[0], id_scen, id_scen_len) < 0 ||
        wf_h5_attr_str(scales[0], "long_name", "scenario name") < 0)
        goto h5fail;
    if ((scales[1] = make_index(w, g, WF_H5_DIM_REPLICATE, r->n_rep, id_rep)) < 0) goto out;
    if (wf_h5_attr_str(scales[1], "long_name", "replicate (random streams keyed by seed and replicate)") < 0)
        goto h5fail;
    if (with_day) {
        if ((scales[2] = make_index(w, g, WF_H5_DIM_DAY, r->n_days, id_day)) < 0) goto out;
        char units[64];
        snprintf(units, sizeof units, "days since %s", r->n_days ? r->dates[0] : "1970-01-01");
        if (wf_h5_attr_str(scales[2], "units", units) < 0 ||
            wf_h5_attr_str(scales[2], "calendar", "proleptic_gregorian") < 0 ||
            wf_h5_attr_str(scales[2], "standard_name", "time") < 0 ||
            wf_h5_attr_str(scales[2], "long_name", "measured day (warm-up excluded)") < 0)
            goto h5fail;
    }
    {
        size_t len = 1;
        for (size_t i = 0; i < r->n_orgs; i++) {
            size_t a = strlen(r->org_names[i]), b = strlen(r->org_kinds[i]);
            if (a > len) len = a;
            if (b > len) len = b;
        }
        snprintf(dim, sizeof dim, "%s%s", WF_H5_DIM_ORG, WF_H5_STRLEN_SUFFIX);
        if (make_dim_only(w, g, dim, len, 0, id_org_len) < 0) goto out;
        if ((scales[3] = make_text(w, g, WF_H5_DIM_ORG, r->n_orgs, 0, len, 0, r->n_orgs, len)) < 0) goto out;
        if (H5DSset_scale(scales[3], WF_H5_DIM_ORG) < 0 || wf_h5_attr_i32(scales[3], "_Netcdf4Dimid", id_org) < 0 ||
            nc4_coordinates(scales[3], id_org, id_org_len) < 0 ||
            wf_h5_attr_str(scales[3], "long_name", "organisation (hospitals, localities, community providers, "
                                                   "voluntary services, then the whole system)") < 0)
            goto h5fail;
        if (write_text(w, g, WF_H5_DIM_ORG, 0, r->n_orgs, (const char *const *)r->org_names) < 0) goto out;
        if ((kind = make_text(w, g, WF_H5_ORG_KIND, r->n_orgs, 0, len, 0, r->n_orgs, len)) < 0) goto out;
        hid_t lenscale = H5Dopen2(g, dim, H5P_DEFAULT);
        int bad = lenscale < 0 || H5DSattach_scale(kind, scales[3], 0) < 0 || H5DSattach_scale(kind, lenscale, 1) < 0 ||
                  wf_h5_attr_str(kind, "long_name", "hospital, locality, community, voluntary or system") < 0;
        if (lenscale >= 0) H5Dclose(lenscale);
        if (bad) goto h5fail;
        if (write_text(w, g, WF_H5_ORG_KIND, 0, r->n_orgs, r->org_kinds) < 0) goto out;
    }
    rc = 0;
    goto out;
h5fail:
    wf_h5_fail(WF_H5_ERR(w), w->path, "writing the dimensions");
out:
    if (kind >= 0) H5Dclose(kind);
    return rc;
}

/* Metric variables of a group: daily (scenario, replicate, day,
 * organisation) or summary (scenario, replicate, organisation). */
static int make_metrics(wf_h5_writer *w, hid_t g, int daily, hid_t scales[4])
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
            d = wf_h5_create_var(w, g, name, H5T_IEEE_F64LE, 4, dims, max, chunk, 1, &nan);
        } else {
            hsize_t dims[3] = {0, r->n_rep, r->n_orgs};
            hsize_t max[3] = {H5S_UNLIMITED, r->n_rep, r->n_orgs};
            hsize_t chunk[3] = {1, r->n_rep ? r->n_rep : 1, r->n_orgs};
            d = wf_h5_create_var(w, g, name, H5T_IEEE_F64LE, 3, dims, max, chunk, 1, &nan);
        }
        if (d < 0) return -1;
        int bad = 0;
        unsigned k = 0;
        for (int s = 0; s < 4; s++) {
            if (scales[s] < 0) continue;
            bad |= H5DSattach_scale(d, scales[s], k++) < 0;
        }
        if (bad) wf_h5_fail(WF_H5_ERR(w), w->path, "H5DSattach_scale(%s)", name);
        else if (metric_attrs(d, m, daily, w->coords) < 0) {
            wf_h5_fail(WF_H5_ERR(w), w->path, "writing the attributes of %s", name);
            bad = 1;
        }
        H5Dclose(d);
        if (bad) return -1;
    }
    return 0;
}

/* The scenario coordinates of a group: float64 on its scenario dimension,
 * filled by wf_h5_add_rows. */
static int make_coords(wf_h5_writer *w, hid_t g, hid_t scenario_scale)
{
    double nan = NAN;
    for (size_t c = 0; c < w->opt->n_coords; c++) {
        const char *name = w->opt->coord_names[c];
        hsize_t dim = 0, max = H5S_UNLIMITED, chunk = 16;
        hid_t d = wf_h5_create_var(w, g, name, H5T_IEEE_F64LE, 1, &dim, &max, &chunk, 0, &nan);
        if (d < 0) return -1;
        int bad = H5DSattach_scale(d, scenario_scale, 0) < 0 || wf_h5_attr_str(d, "long_name", name) < 0 ||
                  wf_h5_attr_str(d, "key", name) < 0;
        if (bad) wf_h5_fail(WF_H5_ERR(w), w->path, "writing the coordinate %s", name);
        H5Dclose(d);
        if (bad) return -1;
    }
    return 0;
}

/* Dimension ids (_Netcdf4Dimid): the root's from 0, summary's from 8. */
enum { ROOT_DIMID = 0, SUMMARY_DIMID = 8 };

int wf_h5_make_structure(wf_h5_writer *w)
{
    hid_t root = w->file, sum = -1, par = -1;
    hid_t rs[4] = {-1, -1, -1, -1}, ss[4] = {-1, -1, -1, -1};
    hid_t yaml = -1, comp = -1, ylen = -1;
    int rc = -1, id = ROOT_DIMID;
    char dim[128];
    if (make_dims(w, root, 1, &id, rs) < 0) goto out;
    snprintf(dim, sizeof dim, "%s%s", WF_H5_SCENARIO_YAML, WF_H5_STRLEN_SUFFIX);
    if (make_dim_only(w, root, dim, 1, 1, id++) < 0) goto out;
    if ((yaml = make_text(w, root, WF_H5_SCENARIO_YAML, 0, 1, 1, 1, 1, 16384)) < 0) goto out;
    {
        hsize_t dim0 = 0, max = H5S_UNLIMITED, chunk = 16;
        if ((comp = wf_h5_create_var(w, root, WF_H5_SCENARIO_COMPLETE, H5T_STD_I8LE, 1, &dim0, &max, &chunk, 0, NULL)) < 0)
            goto out;
    }
    if ((ylen = H5Dopen2(root, dim, H5P_DEFAULT)) < 0 || H5DSattach_scale(yaml, rs[0], 0) < 0 ||
        H5DSattach_scale(yaml, ylen, 1) < 0 || H5DSattach_scale(comp, rs[0], 0) < 0 ||
        wf_h5_attr_str(yaml, "long_name", "the resolved scenario: every parameter explicit, as YAML") < 0 ||
        wf_h5_attr_str(comp, "long_name", "1 once every dataset of the scenario is written") < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing %s", WF_H5_SCENARIO_YAML);
        goto out;
    }
    if (make_coords(w, root, rs[0]) < 0) goto out;
    if (w->coords[0] && wf_h5_attr_str(root, WF_H5_COORDS_ATTR, w->coords) < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing the attribute %s", WF_H5_COORDS_ATTR);
        goto out;
    }
    if (make_metrics(w, root, 1, rs) < 0) goto out;
    if ((sum = wf_h5_create_group(w, root, WF_H5_SUMMARY)) < 0) goto out;
    id = SUMMARY_DIMID;
    if (make_dims(w, sum, 0, &id, ss) < 0) goto out;
    if (make_coords(w, sum, ss[0]) < 0) goto out;
    if (make_metrics(w, sum, 0, ss) < 0) goto out;
    if (wf_h5_attr_str(sum, "title", "winterflow replicate summaries over the measured window") < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing the summary group");
        goto out;
    }
    if ((par = wf_h5_create_group(w, root, WF_H5_PARAMETERS)) < 0) goto out;
    rc = 0;
out:
    for (int i = 0; i < 4; i++) {
        if (rs[i] >= 0) H5Dclose(rs[i]);
        if (ss[i] >= 0) H5Dclose(ss[i]);
    }
    if (yaml >= 0) H5Dclose(yaml);
    if (ylen >= 0) H5Dclose(ylen);
    if (comp >= 0) H5Dclose(comp);
    if (sum >= 0) H5Gclose(sum);
    if (par >= 0) H5Gclose(par);
    return rc;
}

/* ---- data ------------------------------------------------------------ */

/* Grow dataset `name` of loc along its first (scenario) axis to cover
 * start + count and write `count` rows from `buf` at `start`. */
static int extend_write(wf_h5_writer *w, hid_t loc, const char *name, hid_t mt, size_t start, size_t count,
                        const void *buf)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "H5Dopen2(%s)", name);
        return -1;
    }
    int rc = -1;
    hid_t fs = -1, ms = -1;
    hsize_t dims[4], st[4] = {0, 0, 0, 0};
    fs = H5Dget_space(d);
    int rank = fs < 0 ? -1 : H5Sget_simple_extent_ndims(fs);
    if (rank < 1 || rank > 4 || H5Sget_simple_extent_dims(fs, dims, NULL) < 0) goto h5fail;
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
    rc = wf_h5_dwrite(w, d, mt, ms, fs, buf, name);
    goto out;
h5fail:
    wf_h5_fail(WF_H5_ERR(w), w->path, "extending %s", name);
out:
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    H5Dclose(d);
    return rc;
}

static int write_complete(wf_h5_writer *w, int8_t flag)
{
    int8_t *v = malloc(w->n + 1);
    if (!v) return wf_h5_oom(w);
    memset(v, flag, w->n + 1);
    int rc = extend_write(w, w->file, WF_H5_SCENARIO_COMPLETE, H5T_NATIVE_INT8, w->offset, w->n, v);
    free(v);
    return rc;
}

/* Whether daily dataset d keeps one replicate per chunk behind the
 * layout's pipeline (shuffle, deflate, Fletcher32) in little-endian
 * doubles, so that chunks in their stored form can be written as they are:
 * a file of this layout, not one an older winterflow made otherwise. */
static int takes_stored(hid_t d, const wf_results *r)
{
    static const H5Z_filter_t pipeline[3] = {H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32};
    hid_t p = H5Dget_create_plist(d), t = H5Dget_type(d);
    hsize_t ch[4] = {0, 0, 0, 0};
    int ok = p >= 0 && t >= 0 && H5Tequal(t, H5T_IEEE_F64LE) > 0 && H5Pget_layout(p) == H5D_CHUNKED &&
             H5Pget_chunk(p, 4, ch) == 4 && ch[0] == 1 && ch[1] == 1 && ch[2] == r->n_days && ch[3] == r->n_orgs &&
             H5Pget_nfilters(p) == 3;
    for (unsigned i = 0; ok && i < 3; i++) {
        unsigned flags = 0, cd[4] = {0, 0, 0, 0};
        size_t ncd = 4;
        H5Z_filter_t f = H5Pget_filter2(p, i, &flags, &ncd, cd, 0, NULL, NULL);
        ok = f == pipeline[i] && (f != H5Z_FILTER_DEFLATE || (ncd >= 1 && cd[0] == WF_STORED_DEFLATE));
    }
    if (t >= 0) H5Tclose(t);
    if (p >= 0) H5Pclose(p);
    return ok;
}

/* Whether every chunk of daily metric m of the n scenarios is in r's
 * stored form (results.h, "stored"). */
static int all_stored(const wf_results *r, size_t n, size_t m)
{
    if (!r->stored || !r->n_days || !r->n_rep) return 0;
    for (size_t s = 0; s < n; s++)
        for (size_t k = 0, first = (s * WF_NMETRIC + m) * r->n_rep; k < r->n_rep; k++)
            if (!r->stored_len[first + k]) return 0;
    return 1;
}

/* The n scenarios' rows of daily metric m as the ranks encoded them: each
 * replicate's chunk written as it is, without encoding it here (the
 * writing rank's work per chunk is a few microseconds of HDF5: what limits
 * the ranks one writer keeps up with, bench/). *done = 0 when the file's
 * layout cannot take them so (then the caller writes the numbers). */
static int write_stored(wf_h5_writer *w, const char *name, size_t m, int *done)
{
    wf_results *r = w->r;
    *done = 0;
    hid_t d = H5Dopen2(w->file, name, H5P_DEFAULT);
    if (d < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "H5Dopen2(%s)", name);
        return -1;
    }
    int rc = 0;
    if (takes_stored(d, r)) {
        hsize_t dims[4], end = w->offset + w->n;
        hid_t fs = H5Dget_space(d);
        rc = fs < 0 || H5Sget_simple_extent_dims(fs, dims, NULL) != 4 ? -1 : 0;
        if (fs >= 0) H5Sclose(fs);
        if (!rc && dims[0] < end) {
            dims[0] = end;
            rc = H5Dset_extent(d, dims) < 0 ? -1 : 0;
        }
        if (rc) wf_h5_fail(WF_H5_ERR(w), w->path, "extending %s", name);
        for (size_t s = 0; !rc && s < w->n; s++) {
            size_t first = (s * WF_NMETRIC + m) * r->n_rep;
            for (size_t k = 0; !rc && k < r->n_rep; k++) {
                hsize_t at[4] = {w->offset + s, k, 0, 0};
                if ((rc = write_gate(w, name)) < 0) break;
                if (H5Dwrite_chunk(d, H5P_DEFAULT, 0, at, r->stored_len[first + k],
                                   r->stored[s].data + r->stored_off[first + k]) < 0) {
                    wf_h5_fail(WF_H5_ERR(w), w->path, "H5Dwrite_chunk(%s)", name);
                    rc = -1;
                }
            }
        }
        *done = !rc;
    }
    H5Dclose(d);
    return rc;
}

/* The n scenarios' summary rows of metric m, in one write: the rows of one
 * metric are apart in r, so they are gathered into buf first. */
static int write_summary(wf_h5_writer *w, hid_t sum, const char *name, size_t m, double *buf)
{
    wf_results *r = w->r;
    size_t row = r->n_rep * r->n_orgs;
    for (size_t s = 0; s < w->n; s++) memcpy(buf + s * row, wf_results_summary(r, s, m), row * sizeof *buf);
    return extend_write(w, sum, name, H5T_NATIVE_DOUBLE, w->offset, w->n, buf);
}

int wf_h5_add_rows(wf_h5_writer *w)
{
    wf_results *r = w->r;
    size_t off = w->offset, n = w->n;
    const char *const *names = (const char *const *)r->scen_names;
    hid_t sum = H5Gopen2(w->file, WF_H5_SUMMARY, H5P_DEFAULT);
    int rc = -1;
    double *buf = NULL;
    size_t cells;
    if (sum < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "H5Gopen2(%s)", WF_H5_SUMMARY);
        return -1;
    }
    if (!wf_mul(n, r->n_rep * r->n_orgs, &cells) || !(buf = malloc((cells ? cells : 1) * sizeof *buf))) {
        wf_h5_oom(w);
        goto out;
    }
    if (write_complete(w, 0) < 0) goto out;
    if (write_text(w, w->file, WF_H5_DIM_SCENARIO, off, n, names) < 0) goto out;
    if (write_text(w, sum, WF_H5_DIM_SCENARIO, off, n, names) < 0) goto out;
    if (write_text(w, w->file, WF_H5_SCENARIO_YAML, off, n, (const char *const *)w->yaml) < 0) goto out;
    for (size_t c = 0; c < w->opt->n_coords; c++) {
        const char *name = w->opt->coord_names[c];
        const double *v = w->opt->coord_values + c * n;
        if (extend_write(w, w->file, name, H5T_NATIVE_DOUBLE, off, n, v) < 0 ||
            extend_write(w, sum, name, H5T_NATIVE_DOUBLE, off, n, v) < 0)
            goto out;
    }
    for (size_t m = 0; m < WF_NMETRIC; m++) {
        const char *name = wf_metric_defs[m].name;
        int stored = 0;
        if (all_stored(r, n, m) && write_stored(w, name, m, &stored) < 0) goto out;
        for (size_t s = 0; !stored && s < n; s++)
            if (extend_write(w, w->file, name, H5T_NATIVE_DOUBLE, off + s, 1, wf_results_daily(r, s, m)) < 0) goto out;
        if (write_summary(w, sum, name, m, buf) < 0) goto out;
    }
    rc = 0;
out:
    free(buf);
    H5Gclose(sum);
    return rc;
}

int wf_h5_mark_complete(wf_h5_writer *w) { return write_complete(w, 1); }
