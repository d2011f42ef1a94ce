/* The group "posterior" of a results file (docs/results-file.md): what each
 * replicate of a run with wf_run_options.posterior drew. Every scenario of
 * a file shares its replicates, so the draws are one per replicate:
 *
 *   posterior/replicate   the dimension (0 .. replicates - 1)
 *   posterior/particle    (replicate) the particle drawn
 *   posterior/<key>       (replicate) the value set, one per posterior key
 *
 * with the attributes calibration_fingerprint and keys (the key names,
 * space-separated) on the group. Appending checks that the file's draws
 * are the run's. */
#include "results/h5_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5_hl.h>

/* after the root's (0..), the summary's (8..) and the event log's (16) */
enum { POSTERIOR_DIMID = 24 };

static hid_t column(wf_h5_writer *w, hid_t g, hid_t scale, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                    const void *buf, const char *long_name)
{
    hsize_t chunk = n ? n : 1;
    hid_t d = wf_h5_create_var(w, g, name, ftype, 1, &n, NULL, n ? &chunk : NULL, 0, NULL);
    if (d < 0) return -1;
    int bad = (scale >= 0 ? H5DSattach_scale(d, scale, 0) < 0 : H5DSset_scale(d, name) < 0 ||
                                                                 wf_h5_attr_i32(d, "_Netcdf4Dimid", POSTERIOR_DIMID) < 0) ||
              wf_h5_attr_str(d, "long_name", long_name) < 0;
    if (bad) wf_h5_fail(WF_H5_ERR(w), w->path, "writing the attributes of posterior/%s", name);
    if (!bad && n && wf_h5_dwrite(w, d, mtype, H5S_ALL, H5S_ALL, buf, name) < 0) bad = 1;
    if (bad) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

int wf_h5_write_posterior(wf_h5_writer *w)
{
    const wf_post_draws *p = w->r->post;
    if (!p) return 0;
    size_t R = p->n_rep, len = 1;
    for (size_t k = 0; k < p->n_keys; k++) len += strlen(p->keys[k]) + 1;
    int64_t *idx = malloc(sizeof *idx * (R + 1));
    double *col = malloc(sizeof *col * (R + 1));
    char *keys = calloc(len, 1);
    hid_t g = -1, scale = -1, d = -1;
    int rc = -1;
    if (!idx || !col || !keys) {
        snprintf(WF_H5_ERR(w), "%s: out of memory", w->path);
        goto out;
    }
    for (size_t k = 0; k < p->n_keys; k++) {
        if (k) strcat(keys, " ");
        strcat(keys, p->keys[k]);
    }
    if ((g = wf_h5_create_group(w, w->file, WF_H5_POSTERIOR)) < 0) goto out;
    if (wf_h5_attr_str(g, "calibration_fingerprint", p->fingerprint) < 0 || wf_h5_attr_str(g, "keys", keys) < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing the attributes of %s", WF_H5_POSTERIOR);
        goto out;
    }
    for (size_t i = 0; i < R; i++) idx[i] = (int64_t)i;
    if ((scale = column(w, g, -1, "replicate", H5T_STD_I64LE, H5T_NATIVE_INT64, R, idx, "replicate")) < 0) goto out;
    for (size_t i = 0; i < R; i++) idx[i] = (int64_t)p->particle[i];
    if ((d = column(w, g, scale, "particle", H5T_STD_I64LE, H5T_NATIVE_INT64, R, idx,
                    "the posterior particle this replicate drew (the same in every scenario)")) < 0)
        goto out;
    H5Dclose(d);
    d = -1;
    for (size_t k = 0; k < p->n_keys; k++) {
        for (size_t i = 0; i < R; i++) col[i] = p->values[i * p->n_keys + k];
        if ((d = column(w, g, scale, p->keys[k], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, R, col,
                        "the value drawn from the posterior, as set")) < 0)
            goto out;
        H5Dclose(d);
        d = -1;
    }
    rc = 0;
out:
    if (d >= 0) H5Dclose(d);
    if (scale >= 0) H5Dclose(scale);
    if (g >= 0) H5Gclose(g);
    free(idx);
    free(col);
    free(keys);
    return rc;
}

/* Do the file's draws (if any) equal the run's? 0 if so, else -1 with the
 * message set. */
int wf_h5_check_posterior(wf_h5_writer *w)
{
    const wf_post_draws *p = w->r->post;
    htri_t has = H5Lexists(w->file, WF_H5_POSTERIOR, H5P_DEFAULT);
    if (has < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "looking up %s", WF_H5_POSTERIOR);
        return -1;
    }
    if (!has && !p) return 0;
    if (!has || !p) {
        snprintf(WF_H5_ERR(w), "%s: cannot append: %s", w->path,
                 p ? "the run drew its parameters from a posterior and the file's scenarios did not"
                   : "the file's scenarios drew their parameters from a posterior and the run did not");
        return -1;
    }
    hid_t g = H5Gopen2(w->file, WF_H5_POSTERIOR, H5P_DEFAULT);
    char fp[128] = "";
    int rc = -1;
    int64_t *idx = malloc(sizeof *idx * (p->n_rep + 1));
    double *col = malloc(sizeof *col * (p->n_rep + 1));
    const char *what = NULL;
    if (g < 0 || !idx || !col) {
        what = "its posterior group cannot be read";
    } else if (wf_h5_attr_read_str(g, "calibration_fingerprint", fp, sizeof fp) != 1 || strcmp(fp, p->fingerprint)) {
        what = "the file's draws come from another calibration";
    }
    for (size_t k = 0; !what && k <= p->n_keys; k++) {
        const char *name = k < p->n_keys ? p->keys[k] : "particle";
        hid_t d = H5Lexists(g, name, H5P_DEFAULT) > 0 ? H5Dopen2(g, name, H5P_DEFAULT) : -1;
        hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
        hsize_t n = 0;
        if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 1 || H5Sget_simple_extent_dims(sp, &n, NULL) < 0 ||
            n != p->n_rep ||
            H5Dread(d, k < p->n_keys ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                    k < p->n_keys ? (void *)col : (void *)idx) < 0) {
            what = "its posterior draws cannot be read";
        } else {
            for (size_t i = 0; i < p->n_rep && !what; i++)
                if (k < p->n_keys ? col[i] != p->values[i * p->n_keys + k] : (size_t)idx[i] != p->particle[i])
                    what = "the file's posterior draws differ from the run's";
        }
        if (sp >= 0) H5Sclose(sp);
        if (d >= 0) H5Dclose(d);
    }
    if (what) snprintf(WF_H5_ERR(w), "%s: cannot append: %s", w->path, what);
    else rc = 0;
    H5Eclear2(H5E_DEFAULT);
    if (g >= 0) H5Gclose(g);
    free(idx);
    free(col);
    return rc;
}
