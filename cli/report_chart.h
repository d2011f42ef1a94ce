/*
 * Charts of the report (cli/report_chart.c), drawn by PLplot's svg driver:
 * each call returns one chart as SVG text. The numbers come from the
 * library (means, intervals); a chart only draws them. Not thread-safe
 * (PLplot keeps one global stream); the report draws one chart at a time.
 */
#ifndef WF_REPORT_CHART_H
#define WF_REPORT_CHART_H

#include <stddef.h>

typedef struct report_chart {
    const char *title;    /* above the plot; NULL: none */
    const char *xlabel;   /* NULL: none */
    const char *ylabel;   /* NULL: none */
    int width, height;    /* in pixels (SVG user units) */
    int x_dates;          /* lines: x are seconds since 1970-01-01 UTC, labelled as dates */
} report_chart;

/* One series: n values of y, with an interval lo..hi (NULL: none) and, for
 * line charts, their x. NaN values are left out. */
typedef struct report_series {
    const char *label;
    size_t n;
    const double *x, *y, *lo, *hi;
} report_series;

/* Lines over x, one per series, each with its interval as a shaded band
 * (bands) or as markers with error bars (!bands: a response curve). */
char *chart_lines(const report_chart *c, const report_series *s, size_t ns, int bands, char *err, size_t errlen);

/* Horizontal bars (or, with dots, points) with error bars: one row per
 * category, the series side by side within it, a line at zero. Series i
 * holds ncat values, one per category. */
char *chart_hbars(const report_chart *c, const char *const *cats, size_t ncat, const report_series *s, size_t ns,
                  int dots, char *err, size_t errlen);

/* A heat map: nx by ny cells, z[j * nx + i] the value of column i and row
 * j (NaN: no value, left blank), each cell labelled with its value. */
char *chart_heatmap(const report_chart *c, const char *const *xcats, size_t nx, const char *const *ycats, size_t ny,
                    const double *z, char *err, size_t errlen);

#endif
