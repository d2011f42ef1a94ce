/* Shared by the HDF5 results writer (h5_write.c) and reader (h5_read.c):
 * the only files, with h5_common.c, that include hdf5.h. The layout they
 * agree on is documented in docs/results-file.md. */
#ifndef WF_H5_COMMON_H
#define WF_H5_COMMON_H

#include <stdarg.h>
#include <stddef.h>

#include <hdf5.h>

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
#define WF_H5_FORMAT_VERSION 1
/* Root attribute: the names of the scenario coordinates (wf_write_options
 * coord_names), separated by single spaces; absent when there are none. */
#define WF_H5_COORDS_ATTR "winterflow_coordinates"

/* HDF5's automatic error printing, switched off for one API call and
 * restored before it returns: no global state is left changed. */
typedef struct {
    H5E_auto2_t func;
    void *data;
} wf_h5_quiet;
void wf_h5_quiet_begin(wf_h5_quiet *q);
void wf_h5_quiet_end(const wf_h5_quiet *q);

/* Format "<path>: <what> failed: <the most specific HDF5 message>" into
 * err. Call right after the failed HDF5 call (before any other HDF5 call,
 * which would clear the error stack). */
void wf_h5_fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A string attribute (fixed length, UTF-8, as netCDF-4 text attributes). */
herr_t wf_h5_attr_str(hid_t loc, const char *name, const char *value);
herr_t wf_h5_attr_i32(hid_t loc, const char *name, int32_t v);
herr_t wf_h5_attr_i64(hid_t loc, const char *name, int64_t v);
herr_t wf_h5_attr_f64(hid_t loc, const char *name, double v);
/* Read a string attribute (fixed or variable length) into buf; -1 if
 * missing or not a string. */
int wf_h5_attr_read_str(hid_t loc, const char *name, char *buf, size_t len);
/* Read a numeric attribute as int64 / double; -1 if missing. */
int wf_h5_attr_read_i64(hid_t loc, const char *name, int64_t *v);

/* A variable-length UTF-8 string type (netCDF-4 NC_STRING); close it. */
hid_t wf_h5_vlen_str(void);

#endif
