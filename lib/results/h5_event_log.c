/* The per-patient event log (wf_write_options.event_log): group event_log,
 * one column per field on a `record` dimension (docs/results-file.md). */
#include "results/h5_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5_hl.h>

/* after the root's (0..) and the summary's (8..) dimension ids */
enum { EVENT_LOG_DIMID = 16 };

/* One column of the log: a 1-D variable on the `record` dimension. */
static hid_t log_column(wf_h5_writer *w, hid_t g, hid_t scale, const char *name, hid_t ftype, hsize_t n,
                        const char *long_name)
{
    hsize_t chunk = n < 65536 ? (n ? n : 1) : 65536;
    hid_t d = wf_h5_create_var(w, g, name, ftype, 1, &n, NULL, n ? &chunk : NULL, n > 0, NULL);
    if (d < 0) return -1;
    if (H5DSattach_scale(d, scale, 0) < 0 || wf_h5_attr_str(d, "long_name", long_name) < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing the attributes of event_log/%s", name);
        H5Dclose(d);
        return -1;
    }
    return d;
}

/* Group event_log: every record of every scenario and replicate, in that
 * order, one column per field, written one (scenario, replicate) block at
 * a time. */
int wf_h5_write_event_log(wf_h5_writer *w)
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
    if (!buf) {
        wf_h5_oom(w);
        goto out;
    }
    if ((g = wf_h5_create_group(w, w->file, WF_H5_EVENT_LOG)) < 0) goto out;
    {
        hsize_t chunk = n < 65536 ? (n ? n : 1) : 65536;
        col[RECORD] = wf_h5_create_var(w, g, "record", H5T_STD_I64LE, 1, &n, NULL, n ? &chunk : NULL, n > 0, NULL);
        if (col[RECORD] < 0) goto out;
        if (H5DSset_scale(col[RECORD], "record") < 0 || wf_h5_attr_i32(col[RECORD], "_Netcdf4Dimid", EVENT_LOG_DIMID) < 0 ||
            wf_h5_attr_str(col[RECORD], "long_name", "event record number") < 0) {
            wf_h5_fail(WF_H5_ERR(w), w->path, "writing event_log/record");
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
            wf_h5_fail(WF_H5_ERR(w), w->path, "writing the attributes of event_log");
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
                          wf_h5_dwrite(w, col[k], mt, ms, fs, buf, names[k]) < 0;
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
