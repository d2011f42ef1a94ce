/*
 * The report (cli/report_page.c): one self-contained HTML page about a
 * results file, its charts drawn by cli/report_chart.c. Every number on
 * it comes from the library (wf_results_stat, wf_results_paired,
 * wf_results_daily_stat); the page only arranges and formats them.
 */
#ifndef WF_REPORT_H
#define WF_REPORT_H

#include <stdio.h>

#include "winterflow.h"

typedef struct report_options {
    const char *source;         /* the results file's name, as given */
    const char *title;          /* NULL: from the scenarios */
    const size_t *metrics;      /* the metrics of a sweep's response charts */
    size_t n_metrics;
} report_options;

/* Write the page to f. 0, or -1 with err saying what failed (a chart). */
int report_write(FILE *f, const wf_results *r, const report_options *o, char *err, size_t errlen);

#endif
