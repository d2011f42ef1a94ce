/* Observed data for a calibration (winterflow.h, section 8, "Observed
 * data"): the rows of a long CSV file, checked against a scenario,
 * grouped into series, each with the scale of the distance; and the value
 * a run simulates for each row. */
#ifndef WF_RUN_OBSERVED_H
#define WF_RUN_OBSERVED_H

#include <stddef.h>
#include <stdint.h>

#include "winterflow.h"

typedef struct {
    char *metric;        /* as written: "A" or "A/B" */
    char *org;
    int num, den;        /* metric indices; den -1 unless a ratio */
    size_t org_index;    /* in the results' organisations */
    int period;          /* 0 by day, 1 by month, 2 over spans of days */
    size_t rows;
    double scale;        /* the distance's scale: the series' observed variability */
    double observed;     /* mean of its observed values */
} wf_obs_series;

typedef struct {
    size_t n;
    char **date, **org, **metric;  /* as written */
    double *value;
    size_t *line;                  /* the CSV line (0: rows read back from a calibration file) */
    char *origin;                  /* the file, for messages */
    /* set by wf_observed_resolve */
    size_t *series;                /* [n] */
    int *d0, *d1;                  /* [n]: measured days [d0, d1) */
    size_t n_series;
    wf_obs_series *s;
} wf_observed;

/* Read and check a CSV file's rows (syntax, header, dates, metric names,
 * values, duplicates). Errors "PATH: line N: ..." in err. */
wf_status wf_observed_read(wf_observed *o, const char *path, char *err, size_t errlen);
/* The same from rows (a calibration file's), copied. */
wf_status wf_observed_from_rows(wf_observed *o, size_t n, char *const *date, char *const *org, char *const *metric,
                                const double *value, const char *origin, char *err, size_t errlen);
/* Check the rows against a scenario (organisations, the measured window,
 * the metrics that apply) and group them into series with their scales. */
wf_status wf_observed_resolve(wf_observed *o, const wf_scenario *base, char *err, size_t errlen);
void wf_observed_free(wf_observed *o);

/* The value replicate `rep` of scenario `sc` simulates for each row, into
 * out[n] (NaN where it has none, e.g. a ratio over nothing). */
void wf_observed_eval(const wf_observed *o, const wf_results *r, size_t sc, size_t rep, double *out);

/* A hash of the rows (64-bit FNV-1a over their text and values). */
uint64_t wf_observed_hash(const wf_observed *o, uint64_t h);

#endif
