/* Observed data (observed.h). A row is checked in two steps: what the file
 * alone can tell (wf_observed_read: the CSV, the header, the date's form,
 * the metric's name, the value, duplicates), then what needs the scenario
 * (wf_observed_resolve: the organisation, the window, whether the metric
 * applies), each error naming the file and line. */
#include "run/observed.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/strmap.h"
#include "results/metrics.h"
#include "run/csv.h"

static const char *const HEADER[4] = {"date", "organisation", "metric", "value"};

static void errf(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* "PATH: line N" or "PATH: row N" for messages about row i. */
static void where(const wf_observed *o, size_t i, char *buf, size_t len)
{
    if (o->line[i]) snprintf(buf, len, "%s: line %zu", o->origin, o->line[i]);
    else snprintf(buf, len, "%s: observed row %zu", o->origin, i + 1);
}

void wf_observed_free(wf_observed *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->n; i++) {
        if (o->date) free(o->date[i]);
        if (o->org) free(o->org[i]);
        if (o->metric) free(o->metric[i]);
    }
    for (size_t s = 0; o->s && s < o->n_series; s++) {
        free(o->s[s].metric);
        free(o->s[s].org);
    }
    free(o->date), free(o->org), free(o->metric), free(o->value), free(o->line), free(o->origin);
    free(o->series), free(o->d0), free(o->d1), free(o->s);
    memset(o, 0, sizeof *o);
}

/* ---- the parts of a row ------------------------------------------------- */

/* One "YYYY-MM-DD" (kind 0) or "YYYY-MM" (kind 1): its first and last
 * epoch day. */
static int parse_one(const char *s, size_t len, int32_t *first, int32_t *last, int *kind)
{
    int y, m, d = 1, n = 0;
    char buf[16];
    if (len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    if (len == 10 && sscanf(buf, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10) {
        *kind = 0;
    } else if (len == 7 && sscanf(buf, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7) {
        *kind = 1;
    } else {
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        if (!(buf[i] >= '0' && buf[i] <= '9') && !(buf[i] == '-' && (i == 4 || i == 7))) return -1;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return -1;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int dim = mdays[m - 1] + (m == 2 && leap);
    if (d > dim) return -1;
    *first = wf_days_from_civil(y, m, d);
    *last = *kind ? *first + dim - 1 : *first;
    return 0;
}

/* A row's date: a day, a month, or a span "YYYY-MM-DD/YYYY-MM-DD" (ISO
 * 8601 interval, both ends included; kind 2): the first and last epoch
 * day it covers. */
static int parse_date(const char *s, int32_t *first, int32_t *last, int *kind)
{
    const char *slash = strchr(s, '/');
    if (!slash) return parse_one(s, strlen(s), first, last, kind);
    int32_t a, b, x, y;
    int ka, kb;
    if (parse_one(s, (size_t)(slash - s), &a, &x, &ka) < 0 || parse_one(slash + 1, strlen(slash + 1), &y, &b, &kb) < 0 ||
        ka || kb || b < a)
        return -1;
    *first = a;
    *last = b;
    *kind = 2;
    return 0;
}

/* "A" or "A/B": metric indices (den -1 for one). */
static int parse_metric(const char *s, int *num, int *den, char *bad, size_t badlen)
{
    const char *slash = strchr(s, '/');
    char a[128];
    size_t na = slash ? (size_t)(slash - s) : strlen(s);
    if (na >= sizeof a) na = sizeof a - 1;
    memcpy(a, s, na);
    a[na] = 0;
    size_t m = wf_metric_find(a);
    if (m == WF_NOT_FOUND) {
        snprintf(bad, badlen, "%s", a);
        return -1;
    }
    *num = (int)m;
    *den = -1;
    if (slash) {
        m = strchr(slash + 1, '/') ? WF_NOT_FOUND : wf_metric_find(slash + 1);
        if (m == WF_NOT_FOUND) {
            snprintf(bad, badlen, "%s", slash + 1);
            return -1;
        }
        *den = (int)m;
    }
    return 0;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Check the rows as rows: date form, metric names, values, duplicates. */
static wf_status check_rows(wf_observed *o, char *err, size_t errlen)
{
    wf_strmap seen = WF_STRMAP_INIT;
    char **keys = calloc(o->n + 1, sizeof *keys);
    wf_status st = keys ? WF_OK : WF_ENOMEM;
    for (size_t i = 0; i < o->n && st == WF_OK; i++) {
        char at[600], bad[160];
        where(o, i, at, sizeof at);
        int32_t a, b;
        int monthly, num, den;
        if (parse_date(o->date[i], &a, &b, &monthly) < 0) {
            errf(err, errlen, "%s: date '%.40s' is not YYYY-MM-DD (a day), YYYY-MM (a month) or "
                 "YYYY-MM-DD/YYYY-MM-DD (a span of days, the second not before the first)", at, o->date[i]);
            st = WF_EPARSE;
        } else if (!o->org[i][0]) {
            errf(err, errlen, "%s: no organisation (name one of the scenario's, or system)", at);
            st = WF_EPARSE;
        } else if (parse_metric(o->metric[i], &num, &den, bad, sizeof bad) < 0) {
            errf(err, errlen, "%s: unknown metric '%s' (the output names are in docs/results-file.md; a ratio is "
                 "written A/B)", at, bad);
            st = WF_EPARSE;
        } else if (wf_metric_defs[num].rule == WF_RULE_FLAG || (den >= 0 && wf_metric_defs[den].rule == WF_RULE_FLAG)) {
            errf(err, errlen, "%s: %s is a flag of the whole run, not an observable series", at, o->metric[i]);
            st = WF_EPARSE;
        } else if (monthly && (wf_metric_defs[num].rule == WF_RULE_PCTL ||
                               (den >= 0 && wf_metric_defs[den].rule == WF_RULE_PCTL))) {
            errf(err, errlen, "%s: %s is a percentile of each day's discharges; it cannot be taken over a month or "
                 "a span (give it by day)", at, o->metric[i]);
            st = WF_EPARSE;
        } else if (!isfinite(o->value[i])) {
            errf(err, errlen, "%s: the value is not a finite number", at);
            st = WF_EPARSE;
        } else {
            size_t len = strlen(o->date[i]) + strlen(o->org[i]) + strlen(o->metric[i]) + 3;
            if (!(keys[i] = malloc(len))) {
                st = WF_ENOMEM;
                break;
            }
            snprintf(keys[i], len, "%s\x1f%s\x1f%s", o->date[i], o->org[i], o->metric[i]);
            int added;
            size_t *first = wf_strmap_put(&seen, keys[i], i, &added);
            if (!first) {
                st = WF_ENOMEM;
            } else if (!added) {
                char at0[600];
                where(o, *first, at0, sizeof at0);
                errf(err, errlen, "%s: %s of %s on %s is given twice (first at %s)", at, o->metric[i], o->org[i],
                     o->date[i], at0);
                st = WF_EPARSE;
            }
        }
    }
    wf_strmap_free(&seen);
    for (size_t i = 0; keys && i < o->n; i++) free(keys[i]);
    free(keys);
    if (st == WF_ENOMEM) errf(err, errlen, "%s: out of memory", o->origin);
    return st;
}

static wf_status alloc_rows(wf_observed *o, size_t n, const char *origin)
{
    o->n = n;
    o->date = calloc(n + 1, sizeof *o->date);
    o->org = calloc(n + 1, sizeof *o->org);
    o->metric = calloc(n + 1, sizeof *o->metric);
    o->value = calloc(n + 1, sizeof *o->value);
    o->line = calloc(n + 1, sizeof *o->line);
    o->origin = dup(origin);
    return o->date && o->org && o->metric && o->value && o->line && o->origin ? WF_OK : WF_ENOMEM;
}

wf_status wf_observed_read(wf_observed *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    wf_csv t;
    wf_status st = wf_csv_read(path, 16, WF_OBSERVED_MAX_ROWS, &t, err, errlen);
    if (st != WF_OK) return st;
    int ok = t.cols == 4;
    for (size_t k = 0; ok && k < 4; k++) ok = t.header[k] && !strcmp(t.header[k], HEADER[k]);
    if (!ok) {
        errf(err, errlen, "%s: line 1: the header must be date,organisation,metric,value (docs/calibrate.md)", path);
        st = WF_EPARSE;
    } else if (t.rows == 0) {
        errf(err, errlen, "%s: no rows after the header line", path);
        st = WF_EPARSE;
    }
    if (st == WF_OK && alloc_rows(o, t.rows, path) != WF_OK) st = WF_ENOMEM;
    for (size_t i = 0; i < t.rows && st == WF_OK; i++) {
        char **c = t.cells + i * 4;
        o->line[i] = t.line[i];
        for (int k = 0; k < 3; k++)
            if (!c[k]) c[k] = dup("");
        o->date[i] = c[0], o->org[i] = c[1], o->metric[i] = c[2];
        c[0] = c[1] = c[2] = NULL;
        if (!o->date[i] || !o->org[i] || !o->metric[i]) {
            st = WF_ENOMEM;
            break;
        }
        char *end = NULL;
        const char *v = c[3] ? c[3] : "";
        while (*v == ' ') v++;
        o->value[i] = *v ? strtod(v, &end) : NAN;
        while (end && *end == ' ') end++;
        if (!*v || !end || *end || !isfinite(o->value[i])) {
            errf(err, errlen, "%s: line %zu: value '%.40s' is not a number", path, t.line[i], c[3] ? c[3] : "");
            st = WF_EPARSE;
        }
    }
    if (st == WF_ENOMEM) errf(err, errlen, "%s: out of memory", path);
    wf_csv_free(&t);
    if (st == WF_OK) st = check_rows(o, err, errlen);
    if (st != WF_OK) wf_observed_free(o);
    return st;
}

wf_status wf_observed_from_rows(wf_observed *o, size_t n, char *const *date, char *const *org, char *const *metric,
                                const double *value, const char *origin, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    wf_status st = alloc_rows(o, n, origin);
    for (size_t i = 0; i < n && st == WF_OK; i++) {
        o->date[i] = dup(date[i]), o->org[i] = dup(org[i]), o->metric[i] = dup(metric[i]);
        o->value[i] = value[i];
        if (!o->date[i] || !o->org[i] || !o->metric[i]) st = WF_ENOMEM;
    }
    if (st == WF_ENOMEM) errf(err, errlen, "%s: out of memory", origin);
    if (st == WF_OK) st = check_rows(o, err, errlen);
    if (st != WF_OK) wf_observed_free(o);
    return st;
}

/* ---- against a scenario ------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The scale of a series: 1.4826 x MAD of its values, at least 5% of their
 * median absolute value, 1 where that is 0 (winterflow.h, section 8). */
static double series_scale(const double *y, size_t n, double *work)
{
    for (size_t i = 0; i < n; i++) work[i] = y[i];
    double med = median(work, n);
    for (size_t i = 0; i < n; i++) work[i] = fabs(y[i] - med);
    double mad = 1.4826 * median(work, n);
    for (size_t i = 0; i < n; i++) work[i] = fabs(y[i]);
    double floor = 0.05 * median(work, n);
    double s = mad > floor ? mad : floor;
    return s > 0 ? s : 1.0;
}

static int find_int(const wf_scenario *s, const char *key, int64_t *out)
{
    char *v = wf_scenario_get(s, key);
    char *end = NULL;
    if (v) *out = strtoll(v, &end, 10);
    int ok = v && end && !*end;
    wf_free(v);
    return ok ? 0 : -1;
}

wf_status wf_observed_resolve(wf_observed *o, const wf_scenario *base, char *err, size_t errlen)
{
    int64_t days;
    char *sd = wf_scenario_get(base, "run.start_date");
    int32_t start, x;
    int monthly;
    if (!sd || find_int(base, "run.days", &days) < 0 || parse_date(sd[0] == '"' ? sd + 1 : sd, &start, &x, &monthly) < 0) {
        wf_free(sd);
        errf(err, errlen, "the scenario's run.start_date and run.days cannot be read: %s", wf_scenario_error(base));
        return WF_EINVAL;
    }
    wf_free(sd);
    /* organisations in the results' order: kind by kind, then "system" */
    size_t n_orgs = 0;
    for (int k = 0; k < WF_ORG_SYSTEM; k++) n_orgs += wf_scenario_org_count(base, (wf_org_kind)k);
    free(o->series), free(o->d0), free(o->d1);
    for (size_t s = 0; o->s && s < o->n_series; s++) free(o->s[s].metric), free(o->s[s].org);
    free(o->s);
    o->n_series = 0;
    o->series = calloc(o->n + 1, sizeof *o->series);
    o->d0 = calloc(o->n + 1, sizeof *o->d0);
    o->d1 = calloc(o->n + 1, sizeof *o->d1);
    o->s = calloc(o->n + 1, sizeof *o->s);
    double *work = calloc(o->n + 1, sizeof *work), *ys = calloc(o->n + 1, sizeof *ys);
    wf_strmap by_series = WF_STRMAP_INIT;
    char **skeys = calloc(o->n + 1, sizeof *skeys);
    wf_status st = o->series && o->d0 && o->d1 && o->s && work && ys && skeys ? WF_OK : WF_ENOMEM;
    for (size_t i = 0; i < o->n && st == WF_OK; i++) {
        char at[600], bad[8];
        where(o, i, at, sizeof at);
        int32_t a, b;
        int num, den;
        parse_date(o->date[i], &a, &b, &monthly);
        parse_metric(o->metric[i], &num, &den, bad, sizeof bad);
        /* the organisation */
        size_t org = WF_NOT_FOUND, idx = 0;
        int kind = WF_ORG_SYSTEM;
        for (int k = 0; k < WF_ORG_SYSTEM && org == WF_NOT_FOUND; k++)
            for (size_t j = 0; j < wf_scenario_org_count(base, (wf_org_kind)k); j++, idx++)
                if (!strcmp(wf_scenario_org_name(base, (wf_org_kind)k, j), o->org[i])) {
                    org = idx;
                    kind = k;
                    break;
                }
        if (org == WF_NOT_FOUND && !strcmp(o->org[i], "system")) org = n_orgs;
        char first[16], last[16];
        wf_date_format(start, first);
        wf_date_format(start + (int32_t)days - 1, last);
        if (org == WF_NOT_FOUND) {
            errf(err, errlen, "%s: unknown organisation '%s' (not in the scenario; the whole system is 'system')", at,
                 o->org[i]);
            st = WF_EPARSE;
        } else if (a < start || b > start + days - 1) {
            errf(err, errlen, "%s: %s %s is outside the run's measured window, %s to %s", at,
                 monthly == 1 ? "the month" : monthly ? "the span" : "the date", o->date[i], first, last);
            st = WF_EPARSE;
        } else if (kind != WF_ORG_SYSTEM && (!(wf_metric_defs[num].orgs & WF_KIND_BIT(kind)) ||
                                             (den >= 0 && !(wf_metric_defs[den].orgs & WF_KIND_BIT(kind))))) {
            errf(err, errlen, "%s: %s does not apply to %s (a %s)", at, o->metric[i], o->org[i],
                 wf_org_kind_name((wf_org_kind)kind));
            st = WF_EPARSE;
        }
        if (st != WF_OK) break;
        o->d0[i] = a - start;
        o->d1[i] = b - start + 1;
        size_t len = strlen(o->org[i]) + strlen(o->metric[i]) + 4;
        if (!(skeys[i] = malloc(len))) {
            st = WF_ENOMEM;
            break;
        }
        snprintf(skeys[i], len, "%s\x1f%s\x1f%d", o->metric[i], o->org[i], monthly);
        int added;
        size_t *sp = wf_strmap_put(&by_series, skeys[i], o->n_series, &added);
        if (!sp) {
            st = WF_ENOMEM;
            break;
        }
        if (added) {
            wf_obs_series *s = &o->s[o->n_series++];
            s->metric = dup(o->metric[i]);
            s->org = dup(o->org[i]);
            s->num = num, s->den = den, s->org_index = org, s->period = monthly;
            if (!s->metric || !s->org) st = WF_ENOMEM;
        }
        o->series[i] = *sp;
        o->s[*sp].rows++;
    }
    /* each series' scale and observed mean */
    for (size_t s = 0; s < o->n_series && st == WF_OK; s++) {
        size_t m = 0;
        double sum = 0;
        for (size_t i = 0; i < o->n; i++)
            if (o->series[i] == s) ys[m++] = o->value[i], sum += o->value[i];
        o->s[s].scale = series_scale(ys, m, work);
        o->s[s].observed = sum / (double)m;
    }
    wf_strmap_free(&by_series);
    for (size_t i = 0; skeys && i < o->n; i++) free(skeys[i]);
    free(skeys);
    free(work);
    free(ys);
    if (st == WF_ENOMEM) errf(err, errlen, "%s: out of memory", o->origin);
    return st;
}

/* ---- simulated values ------------------------------------------------- */

/* Metric m at org over days [d0, d1) of one replicate: the day's value, or
 * the sum (totals) or mean (means) over the days that have one. */
static double period_value(const wf_results *r, size_t sc, size_t rep, int m, size_t org, int d0, int d1)
{
    const double *v = wf_results_daily(r, sc, (size_t)m);
    size_t D = wf_results_n_days(r), O = wf_results_n_orgs(r);
    if (!v) return NAN;
    v += rep * D * O;
    double sum = 0;
    int n = 0;
    for (int d = d0; d < d1; d++) {
        double x = v[(size_t)d * O + org];
        if (!isnan(x)) sum += x, n++;
    }
    if (!n) return NAN;
    return wf_metric_defs[m].kind == WF_METRIC_TOTAL ? sum : sum / n;
}

void wf_observed_eval(const wf_observed *o, const wf_results *r, size_t sc, size_t rep, double *out)
{
    for (size_t i = 0; i < o->n; i++) {
        const wf_obs_series *s = &o->s[o->series[i]];
        double a = period_value(r, sc, rep, s->num, s->org_index, o->d0[i], o->d1[i]);
        if (s->den >= 0) {
            double b = period_value(r, sc, rep, s->den, s->org_index, o->d0[i], o->d1[i]);
            a = b != 0 ? a / b : NAN;
        }
        out[i] = a;
    }
}

uint64_t wf_observed_hash(const wf_observed *o, uint64_t h)
{
    for (size_t i = 0; i < o->n; i++) {
        char v[40];
        snprintf(v, sizeof v, "%.17g", o->value[i]);
        const char *parts[4] = {o->date[i], o->org[i], o->metric[i], v};
        for (int k = 0; k < 4; k++) {
            for (const char *p = parts[k]; *p; p++) h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
            h = (h ^ 0x1f) * 0x100000001b3ULL;
        }
    }
    return h;
}
