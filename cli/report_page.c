/*
 * The report page: the headline, the winter per configuration, the paired
 * differences, delays by reason, the cost ledger by organisation, a sweep's
 * response, and the provenance, as one HTML file with nothing to fetch
 * (styles inline, charts as SVG images in data: URIs). Text from the file
 * (names, YAML, commands) is escaped everywhere it appears.
 */
#define _DEFAULT_SOURCE /* timegm */
#include "report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "report_chart.h"

/* How the page shows the library's headline metrics (wf_metric_headline:
 * which and in what order is the library's); one not listed here is shown
 * by its own name and unit. */
typedef struct {
    const char *metric, *label;
    double scale;      /* shown value = metric x scale */
    const char *unit;  /* of the shown value */
    size_t m;          /* the metric's index (set from the library's headline) */
} shown;
static const shown SHOWN[] = {
    {"delayed_bed_days", "delayed bed-days", 1, "bed-days", 0},
    {"nctr_patients_8am", "NCTR at 08:00", 1, "patients", 0},
    {"occupancy_8am", "occupancy at 08:00", 100, "%", 0},
    {"waits_over_12h", "12-hour ED waits", 1, "patients", 0},
    {"elective_cancellations", "cancelled electives", 1, "patients", 0},
    {"cost", "net cost", 1e-6, "GBP million", 0},
};
#define MAX_HEAD 16

/* Charts draw at most this many configurations (the tables hold all). */
#define MAX_DRAWN 6
#define REASON_PREFIX "delayed_bed_days_"

typedef struct {
    FILE *f;
    const wf_results *r;
    const report_options *o;
    size_t ns, sys, drawn;
    char **names;  /* display names: the scenario names without a sweep's fingerprint */
    char *err;
    size_t errlen;
    shown head[MAX_HEAD];  /* the headline, as shown */
    size_t nhead;
} page;

/* ---- text ------------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*p, f);
        }
    }
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        fputc(A[v >> 18 & 63], f);
        fputc(A[v >> 12 & 63], f);
        fputc(i + 1 < n ? A[v >> 6 & 63] : '=', f);
        fputc(i + 2 < n ? A[v & 63] : '=', f);
    }
}

/* A chart as an image, with its caption; svg is freed. NULL: the chart
 * failed (err is set): -1. */
static int figure(page *p, char *svg, const char *alt, const char *caption)
{
    if (!svg) return -1;
    fputs("<figure><img class=\"chart\" alt=\"", p->f);
    esc(p->f, alt);
    fputs("\" src=\"data:image/svg+xml;base64,", p->f);
    base64(p->f, (const unsigned char *)svg, strlen(svg));
    fputs("\">", p->f);
    if (caption) {
        fputs("<figcaption>", p->f);
        esc(p->f, caption);
        fputs("</figcaption>", p->f);
    }
    fputs("</figure>\n", p->f);
    free(svg);
    return 0;
}

/* "mean [lo, hi]" scaled, in a table cell. */
static void stat_cell(FILE *f, const wf_stat *st, double scale)
{
    char m[64], iv[128];
    if (st->n == 0 || !isfinite(st->mean)) {
        fputs("<td>-</td>", f);
        return;
    }
    fmt_human(m, sizeof m, st->mean * scale);
    fmt_interval(iv, sizeof iv, st->lo * scale, st->hi * scale);
    fprintf(f, "<td>%s <span class=\"iv\">%s</span></td>", m, iv);
}

/* A scenario's name as shown: a sweep names its points "<label>
 * #<12 hex digits>" (the fingerprint that identifies the point in its
 * file); the label is what people read. */
static char *display_name(const char *name)
{
    size_t n = strlen(name);
    if (n > 14 && !strncmp(name + n - 14, " #", 2) && strspn(name + n - 12, "0123456789abcdef") == 12) n -= 14;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, name, n);
        d[n] = 0;
    }
    return d;
}

static const char *name_of(const page *p, size_t s)
{
    return p->names[s];
}

static void scenario_name(page *p, size_t s)
{
    esc(p->f, name_of(p, s));
}

/* ---- statistics (all from the library) -------------------------------- */

static wf_stat stat_of(page *p, size_t s, size_t m, size_t org)
{
    wf_stat st = {NAN, NAN, NAN, NAN, 0};
    if (m == WF_NOT_FOUND || wf_results_stat(p->r, s, m, org, &st) != WF_OK) st.n = 0;
    return st;
}

static wf_stat paired_of(page *p, size_t s, size_t m, size_t org)
{
    wf_stat st = {NAN, NAN, NAN, NAN, 0};
    if (m == WF_NOT_FOUND || wf_results_paired(p->r, 0, s, m, org, &st) != WF_OK) st.n = 0;
    return st;
}

/* Seconds since 1970 of "YYYY-MM-DD" (the x of a dated chart). */
static double epoch_of(const char *date)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!date || sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return NAN;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (double)timegm(&tm);
}

/* ---- sections ------------------------------------------------------------ */

static void head(page *p)
{
    FILE *f = p->f;
    const wf_results *r = p->r;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<link rel=\"icon\" href=\"data:,\">\n<title>",
          f);
    if (p->o->title) esc(f, p->o->title);
    else {
        fputs("winterflow report: ", f);
        esc(f, p->o->source);
    }
    fputs("</title>\n<style>\n"
          "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;"
          "color:#222;background:#fff;line-height:1.45}\n"
          "main{max-width:1000px;margin:0 auto;padding:1.5rem 1.2rem 3rem}\n"
          "h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd}\n"
          ".sub{color:#555;margin:.2rem 0 1rem}\n"
          "table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem;display:block;overflow-x:auto;max-width:100%}\n"
          "th,td{padding:.3rem .6rem;border-bottom:1px solid #e4e4e4;text-align:right;vertical-align:top}\n"
          "th:first-child,td:first-child{text-align:left}th{background:#f4f6f8}\n"
          ".iv{color:#666;font-size:.85em;white-space:nowrap}\n"
          "figure{margin:1rem 0}img.chart{width:100%;max-width:900px;height:auto;display:block}\n"
          "figcaption{color:#555;font-size:.88rem;max-width:900px}\n"
          "pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap;"
          "word-break:break-all}\n"
          ".note{color:#555;font-size:.9rem}\n"
          "</style>\n</head>\n<body>\n<main>\n<h1>",
          f);
    size_t nc = wf_results_n_coords(r);
    if (p->o->title) esc(f, p->o->title);
    else if (nc) {
        fputs("Sweep of ", f);
        for (size_t c = 0; c < nc; c++) {
            if (c) fputs(c + 1 == nc ? " and " : ", ", f);
            esc(f, wf_results_coord_name(r, c));
        }
    } else {
        fputs("Winter pressure: ", f);
        for (size_t s = 0; s < p->ns && s < 4; s++) {
            if (s) fputs(s + 1 == p->ns ? " and " : ", ", f);
            scenario_name(p, s);
        }
        if (p->ns > 4) fprintf(f, " and %zu more", p->ns - 4);
    }
    fputs("</h1>\n<p class=\"sub\">", f);
    fprintf(f, "%zu configuration%s, %zu replicates each with the same patients (common random numbers), "
               "%zu days from %s to %s, seed %lld. Source: ",
            p->ns, p->ns == 1 ? "" : "s", wf_results_n_replicates(r), wf_results_n_days(r), wf_results_date(r, 0),
            wf_results_date(r, wf_results_n_days(r) - 1), (long long)wf_results_seed(r));
    esc(f, p->o->source);
    fputs(".</p>\n", f);
}

/* The library's headline, with the page's labels and scales. */
static void headline_metrics(page *p)
{
    size_t m;
    for (p->nhead = 0; p->nhead < MAX_HEAD && (m = wf_metric_headline(p->nhead)) != WF_NOT_FOUND; p->nhead++) {
        shown s = {wf_metric_name(m), wf_metric_name(m), 1, wf_metric_unit(m), m};
        for (size_t i = 0; i < sizeof SHOWN / sizeof SHOWN[0]; i++)
            if (!strcmp(SHOWN[i].metric, s.metric)) s = SHOWN[i];
        s.m = m;
        p->head[p->nhead] = s;
    }
}

static void headline(page *p)
{
    FILE *f = p->f;
    fputs("<h2 id=\"headline\">Headline</h2>\n<p class=\"note\">Whole system, mean over replicates "
          "with its 95% interval in brackets.</p>\n<table>\n<tr><th>configuration</th>",
          f);
    for (size_t h = 0; h < p->nhead; h++) {
        fputs("<th>", f);
        esc(f, p->head[h].label);
        fputs(" (", f);
        esc(f, p->head[h].unit);
        fputs(")</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t s = 0; s < p->ns; s++) {
        fputs("<tr><td>", f);
        scenario_name(p, s);
        fputs(s == 0 && p->ns > 1 ? " (baseline)" : "", f);
        fputs("</td>", f);
        for (size_t h = 0; h < p->nhead; h++) {
            wf_stat st = stat_of(p, s, p->head[h].m, p->sys);
            stat_cell(f, &st, p->head[h].scale);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    if (p->ns < 2) return;
    fputs("<p class=\"note\">Paired differences from the baseline: replicate by replicate (the same patients "
          "in both), mean and 95% interval. Below zero: fewer (or cheaper) than the baseline.</p>\n"
          "<table>\n<tr><th>configuration &minus; baseline</th>",
          f);
    for (size_t h = 0; h < p->nhead; h++) {
        fputs("<th>", f);
        esc(f, p->head[h].label);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t s = 1; s < p->ns; s++) {
        fputs("<tr><td>", f);
        scenario_name(p, s);
        fputs(" &minus; ", f);
        scenario_name(p, 0);
        fputs("</td>", f);
        for (size_t h = 0; h < p->nhead; h++) {
            wf_stat st = paired_of(p, s, p->head[h].m, p->sys);
            stat_cell(f, &st, p->head[h].scale);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* The paired differences as a percentage of the baseline's mean. */
static int differences(page *p)
{
    if (p->ns < 2) return 0;
    size_t nser = p->drawn - 1;
    double *v = malloc(sizeof(double) * 3 * p->nhead * nser);
    report_series *ser = calloc(nser, sizeof *ser);
    const char *cats[MAX_HEAD];
    if (!v || !ser) {
        free(v);
        free(ser);
        snprintf(p->err, p->errlen, "out of memory");
        return -1;
    }
    for (size_t h = 0; h < p->nhead; h++) cats[h] = p->head[h].label;
    for (size_t i = 0; i < nser; i++) {
        double *y = v + 3 * p->nhead * i, *lo = y + p->nhead, *hi = lo + p->nhead;
        for (size_t h = 0; h < p->nhead; h++) {
            size_t m = p->head[h].m;
            wf_stat base = stat_of(p, 0, m, p->sys), d = paired_of(p, i + 1, m, p->sys);
            double scale = base.n && fabs(base.mean) > 0 ? 100.0 / fabs(base.mean) : NAN;
            y[h] = d.n ? d.mean * scale : NAN;
            lo[h] = d.n ? d.lo * scale : NAN;
            hi[h] = d.n ? d.hi * scale : NAN;
        }
        ser[i] = (report_series){name_of(p, i + 1), p->nhead, NULL, y, lo, hi};
    }
    char title[512];
    snprintf(title, sizeof title, "Paired difference from %s, %% of its mean", name_of(p, 0));
    report_chart c = {title, "% of the baseline's mean (95% interval)", NULL, 900, 90 + 50 * (int)p->nhead, 0};
    fputs("<h2 id=\"differences\">Differences from the baseline</h2>\n", p->f);
    int rc = figure(p, chart_hbars(&c, cats, p->nhead, ser, nser, 1, p->err, p->errlen), title,
                    "Each configuration against the baseline with the same patients: the paired difference "
                    "of each headline measure, as a percentage of the baseline's mean, with its 95% interval. "
                    "Where the baseline's mean is zero no percentage is drawn; the table above has the "
                    "differences in their units.");
    free(v);
    free(ser);
    return rc;
}

/* A metric's daily system value per configuration, with a band. */
static int winter_chart(page *p, const char *metric, const char *label, double scale, const char *unit)
{
    size_t m = wf_metric_find(metric), nd = wf_results_n_days(p->r);
    if (m == WF_NOT_FOUND) return 0;
    double *v = malloc(sizeof(double) * (4 * nd * p->drawn + 1));
    report_series *ser = calloc(p->drawn, sizeof *ser);
    if (!v || !ser) {
        free(v);
        free(ser);
        snprintf(p->err, p->errlen, "out of memory");
        return -1;
    }
    for (size_t s = 0; s < p->drawn; s++) {
        double *x = v + 4 * nd * s, *y = x + nd, *lo = y + nd, *hi = lo + nd;
        for (size_t d = 0; d < nd; d++) {
            wf_stat st;
            x[d] = epoch_of(wf_results_date(p->r, d));
            if (wf_results_daily_stat(p->r, s, m, p->sys, d, &st) != WF_OK || !st.n) st.mean = st.lo = st.hi = NAN;
            y[d] = st.mean * scale;
            lo[d] = st.lo * scale;
            hi[d] = st.hi * scale;
        }
        ser[s] = (report_series){name_of(p, s), nd, x, y, lo, hi};
    }
    char title[256], ylab[128];
    snprintf(title, sizeof title, "%s over the winter, whole system", label);
    snprintf(ylab, sizeof ylab, "%s", unit);
    report_chart c = {title, NULL, ylab, 900, 380, 1};
    int rc = figure(p, chart_lines(&c, ser, p->drawn, 1, p->err, p->errlen), title,
                    "The daily value, mean over replicates; the band is its 95% interval (Student t over "
                    "replicates).");
    free(v);
    free(ser);
    return rc;
}

static int winter(page *p)
{
    fputs("<h2 id=\"winter\">Over the winter</h2>\n", p->f);
    if (p->drawn < p->ns)
        fprintf(p->f, "<p class=\"note\">The first %zu of %zu configurations are drawn.</p>\n", p->drawn, p->ns);
    if (winter_chart(p, "occupancy_8am", "Occupancy at 08:00", 100, "% of open beds")) return -1;
    return winter_chart(p, "nctr_patients_8am", "Patients with no criteria to reside at 08:00", 1, "patients");
}

/* Delayed bed-days by reason: every metric named delayed_bed_days_<reason>. */
static int reasons(page *p)
{
    size_t nm = wf_metric_count(), nr = 0;
    size_t *ms = malloc(sizeof(size_t) * (nm + 1));
    const char **cats = malloc(sizeof(char *) * (nm + 1));
    double *v = malloc(sizeof(double) * (3 * nm * p->drawn + 1));
    report_series *ser = calloc(p->drawn, sizeof *ser);
    if (!ms || !cats || !v || !ser) {
        free(ms), free(cats), free(v), free(ser);
        snprintf(p->err, p->errlen, "out of memory");
        return -1;
    }
    for (size_t m = 0; m < nm; m++)
        if (!strncmp(wf_metric_name(m), REASON_PREFIX, strlen(REASON_PREFIX))) {
            ms[nr] = m;
            cats[nr++] = wf_metric_name(m) + strlen(REASON_PREFIX);
        }
    int rc = 0;
    if (nr) {
        FILE *f = p->f;
        fputs("<h2 id=\"reasons\">Delays by reason</h2>\n<table>\n<tr><th>reason (bed-days)</th>", f);
        for (size_t s = 0; s < p->ns; s++) {
            fputs("<th>", f);
            scenario_name(p, s);
            fputs("</th>", f);
        }
        fputs("</tr>\n", f);
        for (size_t k = 0; k < nr; k++) {
            fputs("<tr><td>", f);
            esc(f, cats[k]);
            fputs("</td>", f);
            for (size_t s = 0; s < p->ns; s++) {
                wf_stat st = stat_of(p, s, ms[k], p->sys);
                stat_cell(f, &st, 1);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
        for (size_t s = 0; s < p->drawn; s++) {
            double *y = v + 3 * nm * s, *lo = y + nm, *hi = lo + nm;
            for (size_t k = 0; k < nr; k++) {
                wf_stat st = stat_of(p, s, ms[k], p->sys);
                y[k] = st.n ? st.mean : NAN;
                lo[k] = st.n ? st.lo : NAN;
                hi[k] = st.n ? st.hi : NAN;
            }
            ser[s] = (report_series){name_of(p, s), nr, NULL, y, lo, hi};
        }
        report_chart c = {"Delayed bed-days by reason, whole system", "bed-days (95% interval)", NULL, 900,
                          90 + (int)(nr * (p->drawn > 2 ? 22 * p->drawn : 50)), 0};
        rc = figure(p, chart_hbars(&c, cats, nr, ser, p->drawn, 0, p->err, p->errlen),
                    "Delayed bed-days by reason",
                    "Bed-days spent in an acute bed after the patient was ready to leave, by what they were "
                    "waiting for; mean over replicates with its 95% interval.");
    }
    free(ms), free(cats), free(v), free(ser);
    return rc;
}

/* The cost ledger: each organisation's cost, and what each configuration
 * changes for it (positive: it pays more; negative: it gains). */
static int ledger(page *p)
{
    size_t m = wf_metric_find("cost"), no = wf_results_n_orgs(p->r), n = 0;
    if (m == WF_NOT_FOUND) return 0;
    size_t *orgs = malloc(sizeof(size_t) * (no + 1));
    const char **cats = malloc(sizeof(char *) * (no + 1));
    size_t nser = p->ns > 1 ? p->drawn - 1 : 1;
    double *v = malloc(sizeof(double) * (3 * no * nser + 1));
    report_series *ser = calloc(nser, sizeof *ser);
    if (!orgs || !cats || !v || !ser) {
        free(orgs), free(cats), free(v), free(ser);
        snprintf(p->err, p->errlen, "out of memory");
        return -1;
    }
    for (size_t k = 1; k < no; k++) { /* every organisation that bears a cost, system excluded */
        size_t org = cli_org_at(p->r, k);
        wf_stat st = stat_of(p, 0, m, org);
        if (st.n) {
            orgs[n] = org;
            cats[n++] = wf_results_org_name(p->r, org);
        }
    }
    FILE *f = p->f;
    fputs("<h2 id=\"ledger\">Who pays, who gains</h2>\n<p class=\"note\">The cost each organisation bears "
          "(GBP million): acute bed-days for a hospital; home care and care home days for a council; community, "
          "interim and virtual ward days for the community provider; and the running cost of the partnership "
          "levers each one uses. No cost is counted twice, so the organisations add up to the system.</p>\n"
          "<table>\n<tr><th>organisation</th><th>kind</th>",
          f);
    for (size_t s = 0; s < p->ns; s++) {
        fputs("<th>", f);
        scenario_name(p, s);
        fputs("</th>", f);
    }
    for (size_t s = 1; s < p->ns; s++) {
        fputs("<th>", f);
        scenario_name(p, s);
        fputs(" &minus; baseline</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t k = 0; k <= n; k++) {
        size_t org = k < n ? orgs[k] : p->sys;
        fputs(k < n ? "<tr><td>" : "<tr><td><b>", f);
        esc(f, wf_results_org_name(p->r, org));
        fputs(k < n ? "</td><td>" : "</b></td><td>", f);
        esc(f, wf_results_org_kind(p->r, org));
        fputs("</td>", f);
        for (size_t s = 0; s < p->ns; s++) {
            wf_stat st = stat_of(p, s, m, org);
            stat_cell(f, &st, 1e-6);
        }
        for (size_t s = 1; s < p->ns; s++) {
            wf_stat st = paired_of(p, s, m, org);
            stat_cell(f, &st, 1e-6);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    for (size_t i = 0; i < nser; i++) {
        double *y = v + 3 * no * i, *lo = y + no, *hi = lo + no;
        for (size_t k = 0; k < n; k++) {
            wf_stat st = p->ns > 1 ? paired_of(p, i + 1, m, orgs[k]) : stat_of(p, 0, m, orgs[k]);
            y[k] = st.n ? st.mean * 1e-6 : NAN;
            lo[k] = st.n ? st.lo * 1e-6 : NAN;
            hi[k] = st.n ? st.hi * 1e-6 : NAN;
        }
        ser[i] = (report_series){name_of(p, p->ns > 1 ? i + 1 : 0), n, NULL, y, lo, hi};
    }
    int rc = 0;
    if (n) {
        char title[512];
        if (p->ns > 1)
            snprintf(title, sizeof title, "Change in cost by organisation against %s", name_of(p, 0));
        else
            snprintf(title, sizeof title, "Cost by organisation");
        report_chart c = {title,
                          p->ns > 1 ? "GBP million (95% interval); below zero: the organisation gains"
                                    : "GBP million (95% interval)",
                          NULL, 900, 90 + (int)(n * (nser > 2 ? 22 * nser : 46)), 0};
        rc = figure(p, chart_hbars(&c, cats, n, ser, nser, 0, p->err, p->errlen), title,
                    p->ns > 1 ? "The paired difference in each organisation's cost (configuration minus baseline), "
                                "with its 95% interval: a bar to the right is a cost the organisation takes on, "
                                "to the left a saving it gains."
                              : "Each organisation's cost over the winter, mean over replicates with its 95% "
                                "interval.");
    }
    free(orgs), free(cats), free(v), free(ser);
    return rc;
}

/* ---- a sweep's response ----------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The distinct finite values of v[0..n), sorted, into out; their count. */
static size_t distinct(const double *v, size_t n, double *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) out[k++] = v[i];
    qsort(out, k, sizeof *out, cmp_double);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (!u || out[i] != out[u - 1]) out[u++] = out[i];
    return u;
}

static size_t index_of(const double *sorted, size_t n, double x)
{
    for (size_t i = 0; i < n; i++)
        if (sorted[i] == x) return i;
    return n;
}

static void value_label(double x, char *buf, size_t len)
{
    snprintf(buf, len, "%.6g", x);
}

/* Two coordinates that form a grid (each pair once): a heat map. */
static int heatmap(page *p, size_t m, const double *cy, const double *cx, const char *ny_name, const char *nx_name,
                   int *drawn)
{
    char title[512];
    size_t ns = p->ns;
    double *xs = malloc(sizeof(double) * (ns + 1)), *ys = malloc(sizeof(double) * (ns + 1));
    double *z = NULL;
    char **labels = NULL;
    size_t nl = 0, nx = 0, ny = 0;
    int rc = 0;
    *drawn = 0;
    if (!xs || !ys) goto oom;
    nx = distinct(cx, ns, xs);
    ny = distinct(cy, ns, ys);
    if (nx < 2 || ny < 2 || nx * ny != ns) goto out;
    if (!(z = malloc(sizeof(double) * nx * ny)) || !(labels = calloc(nx + ny, sizeof *labels))) goto oom;
    for (size_t k = 0; k < nx * ny; k++) z[k] = NAN;
    for (size_t s = 0; s < ns; s++) {
        size_t i = index_of(xs, nx, cx[s]), j = index_of(ys, ny, cy[s]);
        if (i == nx || j == ny || !isnan(z[j * nx + i])) goto out; /* not a grid */
        wf_stat st = stat_of(p, s, m, p->sys);
        z[j * nx + i] = st.n ? st.mean : NAN;
        if (!st.n) z[j * nx + i] = INFINITY; /* taken, no value */
    }
    for (size_t k = 0; k < nx * ny; k++)
        if (isinf(z[k])) z[k] = NAN;
    for (; nl < nx + ny; nl++) {
        if (!(labels[nl] = malloc(32))) goto oom;
        value_label(nl < nx ? xs[nl] : ys[nl - nx], labels[nl], 32);
    }
    snprintf(title, sizeof title, "%s (%s), whole system: mean over replicates", wf_metric_name(m), wf_metric_unit(m));
    report_chart c = {title, nx_name, ny_name, 900, 140 + 46 * (int)ny, 0};
    rc = figure(p, chart_heatmap(&c, (const char *const *)labels, nx, (const char *const *)labels + nx, ny, z, p->err,
                                 p->errlen),
                title, "Each cell is one scenario of the sweep: the mean over replicates (darker: higher). "
                       "The table in the headline gives every scenario's interval.");
    *drawn = rc == 0;
    goto out;
oom:
    snprintf(p->err, p->errlen, "out of memory");
    rc = -1;
out:
    for (size_t k = 0; k < nl; k++) free(labels[k]);
    free(labels);
    free(xs), free(ys), free(z);
    return rc;
}

/* A response curve: the metric against one coordinate, with intervals. */
static int response(page *p, size_t m, size_t coord)
{
    size_t ns = p->ns;
    const double *cv = wf_results_coord_values(p->r, coord);
    size_t *order = malloc(sizeof(size_t) * (ns + 1));
    double *v = malloc(sizeof(double) * (4 * ns + 1));
    if (!order || !v) {
        free(order), free(v);
        snprintf(p->err, p->errlen, "out of memory");
        return -1;
    }
    size_t n = 0;
    for (size_t s = 0; s < ns; s++)
        if (isfinite(cv[s])) order[n++] = s;
    /* by the coordinate (insertion sort: a sweep has few points) */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cv[order[j]] < cv[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    double *x = v, *y = v + n, *lo = y + n, *hi = lo + n;
    for (size_t k = 0; k < n; k++) {
        wf_stat st = stat_of(p, order[k], m, p->sys);
        x[k] = cv[order[k]];
        y[k] = st.n ? st.mean : NAN;
        lo[k] = st.n ? st.lo : NAN;
        hi[k] = st.n ? st.hi : NAN;
    }
    char title[512], ylab[256];
    snprintf(title, sizeof title, "%s against %s, whole system", wf_metric_name(m), wf_results_coord_name(p->r, coord));
    snprintf(ylab, sizeof ylab, "%s (%s)", wf_metric_name(m), wf_metric_unit(m));
    report_series ser = {wf_metric_name(m), n, x, y, lo, hi};
    report_chart c = {title, wf_results_coord_name(p->r, coord), ylab, 900, 380, 0};
    int rc = n ? figure(p, chart_lines(&c, &ser, 1, 0, p->err, p->errlen), title,
                        "Each point is one scenario of the sweep: the mean over replicates with its 95% interval.")
               : 0;
    free(order), free(v);
    return rc;
}

static int sweep(page *p)
{
    size_t nc = wf_results_n_coords(p->r);
    if (!nc || p->ns < 2) return 0;
    fputs("<h2 id=\"sweep\">Response to the swept keys</h2>\n", p->f);
    for (size_t k = 0; k < p->o->n_metrics; k++) {
        size_t m = p->o->metrics[k];
        int drawn = 0;
        if (nc == 2 && heatmap(p, m, wf_results_coord_values(p->r, 0), wf_results_coord_values(p->r, 1),
                               wf_results_coord_name(p->r, 0), wf_results_coord_name(p->r, 1), &drawn))
            return -1;
        for (size_t c = 0; !drawn && c < nc; c++)
            if (response(p, m, c)) return -1;
    }
    return 0;
}

/* ---- provenance --------------------------------------------------------------- */

static void prov_row(page *p, const char *label, const char *value, int pre)
{
    if (!value || !value[0]) return;
    fputs("<tr><td>", p->f);
    esc(p->f, label);
    fputs(pre ? "</td><td style=\"text-align:left\"><pre>" : "</td><td style=\"text-align:left\">", p->f);
    esc(p->f, value);
    fputs(pre ? "</pre></td></tr>\n" : "</td></tr>\n", p->f);
}

static void provenance(page *p)
{
    const wf_results *r = p->r;
    char buf[64];
    fputs("<h2 id=\"provenance\">Provenance</h2>\n<table>\n", p->f);
    prov_row(p, "results file", p->o->source, 0);
    prov_row(p, "file format", wf_results_provenance(r, "winterflow_file_format"), 0);
    prov_row(p, "written by winterflow", wf_results_provenance(r, "winterflow_version"), 0);
    prov_row(p, "build", wf_results_provenance(r, "winterflow_build_info"), 0);
    prov_row(p, "created", wf_results_provenance(r, "created"), 0);
    prov_row(p, "run started", wf_results_provenance(r, "run_started"), 0);
    prov_row(p, "run finished", wf_results_provenance(r, "run_finished"), 0);
    snprintf(buf, sizeof buf, "%lld", (long long)wf_results_seed(r));
    prov_row(p, "seed", buf, 0);
    snprintf(buf, sizeof buf, "%zu", wf_results_n_replicates(r));
    prov_row(p, "replicates", buf, 0);
    snprintf(buf, sizeof buf, "%zu (%s to %s)", wf_results_n_days(r), wf_results_date(r, 0),
             wf_results_date(r, wf_results_n_days(r) - 1));
    prov_row(p, "measured days", buf, 0);
    prov_row(p, "command that wrote the file", wf_results_provenance(r, "command_line"), 1);
    prov_row(p, "to reproduce it (in the file's folder)", wf_results_provenance(r, "rerun"), 1);
    fprintf(p->f, "<tr><td>report drawn by</td><td style=\"text-align:left\">winterflow %s</td></tr>\n",
            wf_version());
    fputs("</table>\n<p class=\"note\">Each configuration's resolved scenario, every parameter explicit "
          "(save one as a .yaml file to run it again):</p>\n",
          p->f);
    for (size_t s = 0; s < p->ns; s++) {
        fputs("<details><summary>", p->f);
        esc(p->f, wf_results_scenario_name(r, s));
        fputs("</summary><pre>", p->f);
        const char *yaml = wf_results_scenario_yaml(r, s);
        esc(p->f, yaml ? yaml : "(not stored in this file)");
        fputs("</pre></details>\n", p->f);
    }
}

int report_write(FILE *f, const wf_results *r, const report_options *o, char *err, size_t errlen)
{
    page p = {.f = f, .r = r, .o = o, .ns = wf_results_n_scenarios(r), .sys = wf_results_org_find(r, "system"), .err = err, .errlen = errlen};
    if (!p.ns || p.sys == WF_NOT_FOUND || !wf_results_n_days(r)) {
        snprintf(err, errlen, "the file holds no complete scenario");
        return -1;
    }
    p.drawn = p.ns < MAX_DRAWN ? p.ns : MAX_DRAWN;
    int rc = -1;
    if (!(p.names = calloc(p.ns, sizeof *p.names))) goto out;
    for (size_t s = 0; s < p.ns; s++)
        if (!(p.names[s] = display_name(wf_results_scenario_name(r, s)))) goto out;
    headline_metrics(&p);
    head(&p);
    headline(&p);
    if (differences(&p) || winter(&p) || reasons(&p) || ledger(&p) || sweep(&p)) goto done;
    provenance(&p);
    fputs("</main>\n</body>\n</html>\n", f);
    rc = ferror(f) ? (snprintf(err, errlen, "writing the page failed"), -1) : 0;
    goto done;
out:
    snprintf(err, errlen, "out of memory");
done:
    for (size_t s = 0; p.names && s < p.ns; s++) free(p.names[s]);
    free(p.names);
    return rc;
}
