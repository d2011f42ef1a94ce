/*
 * export: a results file as tidy tables (cli/export_tables.c), written by a
 * sink for each format: a workbook (cli/export_xlsx.c, libxlsxwriter) or
 * CSV files (cli/export_csv.c). The tables are the same in both.
 */
#ifndef WF_EXPORT_H
#define WF_EXPORT_H

#include <stddef.h>

#include "winterflow.h"

/* Where the rows go. Each call returns 0, or -1 with the sink's message in
 * its own err (then the export stops). */
typedef struct export_sink {
    void *user;
    /* a new table (sheet, file) with these column names */
    int (*table)(void *user, const char *name, const char *const *columns, size_t n);
    int (*text)(void *user, const char *s);
    int (*number)(void *user, double x);  /* NaN: an empty cell */
    int (*date)(void *user, const char *yyyy_mm_dd);
    int (*end_row)(void *user);
} export_sink;

/* The tables, in this order:
 *   provenance   item, scenario, value: file format, winterflow version,
 *                seed, replicates, days, dates, command, rerun, created,
 *                and each scenario's resolved YAML
 *   metrics      metric, unit, kind, doc
 *   summaries    scenario, organisation, kind, metric, unit, mean, lo, hi, n
 *   differences  scenario, baseline, organisation, kind, metric, unit, mean,
 *                lo, hi, n (files of several scenarios: each minus the first)
 *   daily        scenario, replicate, date, organisation, metric, unit, value
 * with the metrics given (all when n_metrics is 0). Rows are left out
 * where a metric does not apply to an organisation. */
int export_tables(const wf_results *r, const char *source, const size_t *metrics, size_t n_metrics,
                  const export_sink *k);

/* The sinks: open, write through the sink, close. */
typedef struct export_xlsx export_xlsx;
export_xlsx *export_xlsx_open(const char *path, char *err, size_t errlen);
export_sink export_xlsx_sink(export_xlsx *x);
/* Close (write) the workbook; 0, or -1 with err. Frees x. */
int export_xlsx_close(export_xlsx *x, char *err, size_t errlen);
const char *export_xlsx_error(const export_xlsx *x);

typedef struct export_csv export_csv;
/* CSV files in folder dir (made if missing): one per table, NAME.csv,
 * each written whole or not at all; existing ones are replaced only with
 * force. */
export_csv *export_csv_open(const char *dir, int force);
export_sink export_csv_sink(export_csv *c);
/* Commit the last file; 0 or -1 (printed). Frees c. With ok == 0, removes
 * what is not committed. */
int export_csv_close(export_csv *c, int ok);

#endif
