/* Designs: factors crossed into a grid (lists, stepped ranges), Latin
 * hypercubes over ranges, explicit points (CSV files, wf_design_add_point),
 * built by wf_design_validate into a table of points x keys of YAML value
 * texts with one label per point. The library checks keys, types and
 * bounds when a point is applied to a scenario (wf_design_apply). */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/strmap.h"
#include "params/params.h"
#include "run/csv.h"
#include "run/design.h"

typedef struct {
    bool is_range;
    double lo, hi, step;  /* step 0: none */
    int decimals;         /* for writing range values; -1: %.6g */
    size_t n;             /* the list's values, or a stepped range's grid */
    char **values;
} factor;

typedef struct {
    char *label;   /* given, or NULL */
    char *origin;  /* "line 3 of FILE", or NULL */
    char **cells;  /* [n]: the first n keys; later keys are NULL */
    size_t n;
} xpoint;

struct wf_design {
    char err[1024];
    /* keys: one per factor, or the union of the explicit points' keys */
    char **keys;
    size_t nkeys, cap_keys;
    wf_strmap key_index;  /* key -> its index */
    factor *f;            /* [nkeys] when built from factors */
    size_t nf;
    size_t samples;       /* > 0: a Latin hypercube */
    uint64_t seed;
    xpoint *xp;
    size_t nxp, cap_xp;
    /* wf_design_validate's table */
    bool built;
    size_t npoints;
    char **cells;         /* [npoints * nkeys], owned */
    char **labels;        /* [npoints], owned */
    char **origins;       /* [npoints], owned, NULL where none */
    unsigned char *numeric;
    size_t first;         /* wf_design_part: the whole design's index of point 0 */
};

static void errf(wf_design *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void errf(wf_design *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err, sizeof d->err, fmt, ap);
    va_end(ap);
}

static wf_status oom(wf_design *d)
{
    errf(d, "out of memory");
    return WF_ENOMEM;
}

/* ---- the built table ---------------------------------------------------- */

static void unbuild(wf_design *d)
{
    for (size_t i = 0; d->cells && i < d->npoints * d->nkeys; i++) free(d->cells[i]);
    for (size_t i = 0; d->labels && i < d->npoints; i++) free(d->labels[i]);
    for (size_t i = 0; d->origins && i < d->npoints; i++) free(d->origins[i]);
    free(d->cells);
    free(d->labels);
    free(d->origins);
    free(d->numeric);
    d->cells = d->labels = d->origins = NULL;
    d->numeric = NULL;
    d->npoints = 0;
    d->first = 0;
    d->built = false;
}

wf_design *wf_design_create(void) { return calloc(1, sizeof(wf_design)); }

void wf_design_destroy(wf_design *d)
{
    if (!d) return;
    unbuild(d);
    for (size_t k = 0; k < d->nf; k++) {
        for (size_t i = 0; i < d->f[k].n; i++) free(d->f[k].values[i]);
        free(d->f[k].values);
    }
    free(d->f);
    for (size_t i = 0; i < d->nxp; i++) {
        for (size_t k = 0; k < d->xp[i].n; k++) free(d->xp[i].cells[k]);
        free(d->xp[i].cells);
        free(d->xp[i].label);
        free(d->xp[i].origin);
    }
    free(d->xp);
    for (size_t k = 0; k < d->nkeys; k++) free(d->keys[k]);
    free(d->keys);
    wf_strmap_free(&d->key_index);
    free(d);
}

const char *wf_design_error(const wf_design *d) { return d ? d->err : "no design"; }

/* The index of `key`, added if new (*added). -1 out of memory or too many. */
static long key_of(wf_design *d, const char *key, int *added)
{
    *added = 0;
    size_t *at = wf_strmap_get(&d->key_index, key);
    if (at) return (long)*at;
    if (d->nkeys >= WF_DESIGN_MAX_KEYS) {
        errf(d, "more than %d keys: a design may vary at most %d", WF_DESIGN_MAX_KEYS, WF_DESIGN_MAX_KEYS);
        return -1;
    }
    if (d->nkeys == d->cap_keys) {
        size_t cap = d->cap_keys ? 2 * d->cap_keys : 8;
        char **k = realloc(d->keys, cap * sizeof *k);
        factor *f = k ? realloc(d->f, cap * sizeof *f) : NULL;
        if (k) d->keys = k;
        if (!k || !f) {
            oom(d);
            return -1;
        }
        d->f = f;
        d->cap_keys = cap;
    }
    char *c = strdup(key);
    if (!c) {
        oom(d);
        return -1;
    }
    d->keys[d->nkeys] = c;
    if (!wf_strmap_put(&d->key_index, c, d->nkeys, added)) {
        free(c);
        oom(d);
        return -1;
    }
    return (long)d->nkeys++;
}

/* ---- factors --------------------------------------------------------------- */

/* A number and the digits after its decimal point (-1: exponent form). */
static int parse_number(const char *s, double *x, int *decimals)
{
    if (!*s || isspace((unsigned char)*s)) return -1;
    errno = 0;
    char *end;
    *x = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(*x)) return -1;
    const char *dot = strchr(s, '.');
    if (strpbrk(s, "eE")) *decimals = -1;
    else *decimals = dot ? (int)strlen(dot + 1) : 0;
    return 0;
}

static void fmt_value(char *buf, size_t len, double x, int decimals)
{
    if (decimals < 0) snprintf(buf, len, "%.6g", x);
    else snprintf(buf, len, "%.*f", decimals, x);
    if (!strncmp(buf, "-0", 2) && strspn(buf + 2, ".0") == strlen(buf + 2)) memmove(buf, buf + 1, strlen(buf));
}

/* The decimals the shortest text of x needs (-1 for exponent form). */
static int decimals_of(double x)
{
    char buf[40];
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, x);
        if (strtod(buf, NULL) == x) break;
    }
    int dec;
    double y;
    return parse_number(buf, &y, &dec) ? -1 : dec;
}

static int wider(int a, int b) { return a < 0 || b < 0 ? -1 : a > b ? a : b; }

/* Start a factor on a new key: "KEY is varied twice" if it is not new. */
static factor *new_factor(wf_design *d, const char *key)
{
    if (d->nxp) {
        errf(d, "%s: a design is built from factors or from points, not both", key);
        return NULL;
    }
    if (!*key) {
        errf(d, "a factor needs a key");
        return NULL;
    }
    int added;
    long k = key_of(d, key, &added);
    if (k < 0) return NULL;
    if (!added) {
        errf(d, "%s is varied twice; give its values once", key);
        return NULL;
    }
    factor *f = &d->f[k];
    memset(f, 0, sizeof *f);
    d->nf = d->nkeys;
    return f;
}

/* Undo new_factor after a failure (the key is the last one). */
static void drop_factor(wf_design *d)
{
    factor *f = &d->f[d->nkeys - 1];
    for (size_t i = 0; i < f->n; i++) free(f->values[i]);
    free(f->values);
    wf_strmap_del(&d->key_index, d->keys[d->nkeys - 1]);
    free(d->keys[--d->nkeys]);
    d->nf = d->nkeys;
}

/* Undo the points and keys added after there were nxp points and nkeys
 * keys (a CSV file or a point that failed half-way). */
static void truncate_points(wf_design *d, size_t nxp, size_t nkeys)
{
    while (d->nxp > nxp) {
        xpoint *p = &d->xp[--d->nxp];
        for (size_t k = 0; k < p->n; k++) free(p->cells[k]);
        free(p->cells);
        free(p->label);
        free(p->origin);
    }
    while (d->nkeys > nkeys) {
        wf_strmap_del(&d->key_index, d->keys[d->nkeys - 1]);
        free(d->keys[--d->nkeys]);
    }
}

/* The grid of a stepped range. */
static wf_status range_grid(wf_design *d, factor *f, const char *what)
{
    if (f->step == 0) return WF_OK;
    double count = floor((f->hi - f->lo) / f->step * (1 + 1e-12) + 1e-9) + 1;
    if (count > WF_DESIGN_MAX_POINTS) {
        errf(d, "%s: %.0f values, more than the %d points a design may have; use a larger step", what,
             count, WF_DESIGN_MAX_POINTS);
        return WF_EINVAL;
    }
    f->n = (size_t)count;
    if (!(f->values = calloc(f->n, sizeof *f->values))) return oom(d);
    for (size_t i = 0; i < f->n; i++) {
        char t[64];
        fmt_value(t, sizeof t, f->lo + (double)i * f->step, f->decimals);
        if (!(f->values[i] = strdup(t))) return oom(d);
    }
    return WF_OK;
}

static wf_status range_check(wf_design *d, const factor *f, const char *what, const char *lo,
                             const char *hi, const char *step)
{
    if (f->lo > f->hi) {
        errf(d, "%s: the range starts above its end (%s > %s); expected lo:hi:step with lo <= hi", what, lo, hi);
        return WF_EINVAL;
    }
    if (step && !(f->step > 0)) {
        errf(d, "%s: the step must be positive, got '%s'", what, step);
        return WF_EINVAL;
    }
    return WF_OK;
}

/* Split `s` at top-level commas (not inside [] {} or quotes), trimmed. */
static int split_list(const char *s, char ***out, size_t *n)
{
    size_t cap = 8, k = 0;
    char **v = malloc(cap * sizeof *v);
    if (!v) return -1;
    int depth = 0;
    char quote = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        char c = *p;
        if (quote) {
            if (c == quote) quote = 0;
            else if (c == '\0') quote = 0, p--; /* unbalanced: the end of the text ends it */
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        } else if ((c == ',' && depth == 0) || c == '\0') {
            size_t len = (size_t)(p - start);
            while (len && isspace((unsigned char)*start)) start++, len--;
            while (len && isspace((unsigned char)start[len - 1])) len--;
            if (k == cap) {
                char **nv = realloc(v, 2 * cap * sizeof *v);
                if (!nv) goto oom;
                v = nv;
                cap *= 2;
            }
            if (!(v[k] = malloc(len + 1))) goto oom;
            memcpy(v[k], start, len);
            v[k][len] = '\0';
            k++;
            if (c == '\0') break;
            start = p + 1;
        }
    }
    *out = v;
    *n = k;
    return 0;
oom:
    for (size_t i = 0; i < k; i++) free(v[i]);
    free(v);
    return -1;
}

wf_status wf_design_vary(wf_design *d, const char *spec)
{
    if (!d) return WF_EINVAL;
    if (!spec) {
        errf(d, "no factor given: expected KEY=a,b,c or KEY=lo:hi:step");
        return WF_EINVAL;
    }
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec) {
        errf(d, "'%s': expected KEY=a,b,c (a list) or KEY=lo:hi:step (a range), e.g. "
             "hospitals.city.beds=1000:1200:50", spec);
        return WF_EPARSE;
    }
    if (eq - spec >= 512) {
        errf(d, "'%.60s...': the key is longer than 511 characters", spec);
        return WF_EINVAL;
    }
    unbuild(d);
    char key[512];
    snprintf(key, sizeof key, "%.*s", (int)(eq - spec), spec);
    const char *text = eq + 1;

    /* A range has one or two colons outside brackets and no quotes. */
    int depth = 0, colons = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '[' || *p == '{') depth++;
        else if ((*p == ']' || *p == '}') && depth) depth--;
        else if (*p == '"' || *p == '\'') {
            colons = -100;
            break;
        } else if (*p == ':' && depth == 0) colons++;
    }
    if (colons == 1 || colons == 2) {
        char buf[3][64];
        double x[3] = {0, 0, 0};
        int dec[3] = {0, 0, 0};
        const char *p = text;
        for (int k = 0; k <= colons; k++) {
            size_t len = strcspn(p, ":");
            if (len >= sizeof buf[k]) len = sizeof buf[k] - 1;
            memcpy(buf[k], p, len);
            buf[k][len] = '\0';
            if (parse_number(buf[k], &x[k], &dec[k])) {
                errf(d, "%s: '%s' is not a range: expected lo:hi:step with numbers, e.g. 300:600:50", spec, text);
                return WF_EPARSE;
            }
            p += strcspn(p, ":");
            p += *p == ':';
        }
        factor *f = new_factor(d, key);
        if (!f) return WF_EINVAL;
        f->is_range = true;
        f->lo = x[0];
        f->hi = x[1];
        f->step = colons == 2 ? x[2] : 0;
        f->decimals = dec[0];
        for (int k = 1; k <= colons; k++) f->decimals = wider(f->decimals, dec[k]);
        wf_status st = range_check(d, f, spec, buf[0], buf[1], colons == 2 ? buf[2] : NULL);
        if (st == WF_OK) st = range_grid(d, f, spec);
        if (st != WF_OK) drop_factor(d);
        return st;
    }
    char **values = NULL;
    size_t n = 0;
    if (split_list(text, &values, &n)) return oom(d);
    wf_status st = WF_OK;
    for (size_t i = 0; i < n && st == WF_OK; i++)
        if (!values[i][0]) {
            errf(d, "%s: %s; expected KEY=a,b,c with no empty values (use '' for an empty string, [] for "
                 "an empty list)", spec, n == 1 ? "no values" : "an empty value in the list");
            st = WF_EINVAL;
        }
    if (st == WF_OK && n > WF_DESIGN_MAX_POINTS) {
        errf(d, "%s: more than %d values", key, WF_DESIGN_MAX_POINTS);
        st = WF_EINVAL;
    }
    factor *f = st == WF_OK ? new_factor(d, key) : NULL;
    if (st == WF_OK && !f) st = WF_EINVAL;
    if (st != WF_OK) {
        for (size_t i = 0; i < n; i++) free(values[i]);
        free(values);
        return st;
    }
    f->values = values;
    f->n = n;
    return WF_OK;
}

wf_status wf_design_add_values(wf_design *d, const char *key, const char *const *values, size_t n)
{
    if (!d) return WF_EINVAL;
    if (!key || (!values && n)) {
        errf(d, "a list factor needs a key and its values");
        return WF_EINVAL;
    }
    if (n == 0 || n > WF_DESIGN_MAX_POINTS) {
        errf(d, "%s: %zu values; a list factor has 1 to %d", key, n, WF_DESIGN_MAX_POINTS);
        return WF_EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        if (!values[i] || !values[i][0]) {
            errf(d, "%s: value %zu is empty (use '' for an empty string, [] for an empty list)", key, i + 1);
            return WF_EINVAL;
        }
    unbuild(d);
    factor *f = new_factor(d, key);
    if (!f) return WF_EINVAL;
    if (!(f->values = calloc(n, sizeof *f->values))) {
        drop_factor(d);
        return oom(d);
    }
    for (f->n = 0; f->n < n; f->n++)
        if (!(f->values[f->n] = strdup(values[f->n]))) {
            drop_factor(d);
            return oom(d);
        }
    return WF_OK;
}

wf_status wf_design_add_range(wf_design *d, const char *key, double lo, double hi, double step)
{
    if (!d) return WF_EINVAL;
    if (!key || !isfinite(lo) || !isfinite(hi) || !isfinite(step)) {
        errf(d, "%s: a range needs a key and finite numbers", key ? key : "(null)");
        return WF_EINVAL;
    }
    unbuild(d);
    factor *f = new_factor(d, key);
    if (!f) return WF_EINVAL;
    f->is_range = true;
    f->lo = lo;
    f->hi = hi;
    f->step = step;
    f->decimals = wider(wider(decimals_of(lo), decimals_of(hi)), step > 0 ? decimals_of(step) : 0);
    char what[600], a[40], b[40], c[40];
    snprintf(a, sizeof a, "%.17g", lo);
    snprintf(b, sizeof b, "%.17g", hi);
    snprintf(c, sizeof c, "%.17g", step);
    snprintf(what, sizeof what, "%s=%s:%s%s%s", key, a, b, step ? ":" : "", step ? c : "");
    wf_status st = range_check(d, f, what, a, b, step != 0 ? c : NULL);
    if (st == WF_OK) st = range_grid(d, f, what);
    if (st != WF_OK) drop_factor(d);
    return st;
}

wf_status wf_design_lhs(wf_design *d, size_t samples, uint64_t seed)
{
    if (!d) return WF_EINVAL;
    if (samples == 0 || samples > WF_DESIGN_MAX_POINTS) {
        errf(d, "a Latin hypercube of %zu points: expected 1 to %d", samples, WF_DESIGN_MAX_POINTS);
        return WF_EINVAL;
    }
    if (d->nxp) {
        errf(d, "a Latin hypercube samples ranges: a design of points has none");
        return WF_EINVAL;
    }
    unbuild(d);
    d->samples = samples;
    d->seed = seed;
    return WF_OK;
}

/* ---- explicit points ---------------------------------------------------------- */

static wf_status add_point(wf_design *d, const char *label, const char *origin, const char *const *keys,
                           const char *const *values, size_t n, bool take_values)
{
    if (d->nf || d->samples) {
        errf(d, "a design is built from factors or from points, not both");
        return WF_EINVAL;
    }
    if (d->nxp >= WF_DESIGN_MAX_POINTS) {
        errf(d, "more than %d points", WF_DESIGN_MAX_POINTS);
        return WF_EINVAL;
    }
    if (d->nxp == d->cap_xp) {
        size_t cap = d->cap_xp ? 2 * d->cap_xp : 64;
        xpoint *xp = realloc(d->xp, cap * sizeof *xp);
        if (!xp) return oom(d);
        d->xp = xp;
        d->cap_xp = cap;
    }
    xpoint p = {0};
    size_t nkeys0 = d->nkeys;
    wf_status st = WF_OK;
    if ((label && !(p.label = strdup(label))) || (origin && !(p.origin = strdup(origin)))) st = oom(d);
    for (size_t i = 0; i < n && st == WF_OK; i++) {
        int added;
        long k = key_of(d, keys[i], &added);
        if (k < 0) {
            st = WF_EINVAL;
            break;
        }
        if ((size_t)k >= p.n) {
            char **c = realloc(p.cells, ((size_t)k + 1) * sizeof *c);
            if (!c) {
                st = oom(d);
                break;
            }
            memset(c + p.n, 0, ((size_t)k + 1 - p.n) * sizeof *c);
            p.cells = c;
            p.n = (size_t)k + 1;
        }
        if (p.cells[k]) {
            errf(d, "%s: given twice in one point", keys[i]);
            st = WF_EINVAL;
        } else if (values[i] && values[i][0]) {
            p.cells[k] = take_values ? (char *)values[i] : strdup(values[i]);
            if (!p.cells[k]) st = oom(d);
        }
    }
    if (st != WF_OK) {
        for (size_t k = 0; k < p.n && !take_values; k++) free(p.cells[k]);  /* taken values stay the caller's */
        free(p.cells);
        free(p.label);
        free(p.origin);
        truncate_points(d, d->nxp, nkeys0);  /* the keys this point added */
        return st;
    }
    d->xp[d->nxp++] = p;
    return WF_OK;
}

wf_status wf_design_add_point(wf_design *d, const char *label, const char *const *keys,
                              const char *const *values, size_t n)
{
    if (!d) return WF_EINVAL;
    if (n && (!keys || !values)) {
        errf(d, "a point needs its keys and values");
        return WF_EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        if (!keys[i] || !keys[i][0]) {
            errf(d, "a point's key %zu is empty", i + 1);
            return WF_EINVAL;
        }
    unbuild(d);
    return add_point(d, label, NULL, keys, values, n, false);
}

wf_status wf_design_read_csv(wf_design *d, const char *path)
{
    if (!d) return WF_EINVAL;
    if (!path) {
        errf(d, "no design file given");
        return WF_EINVAL;
    }
    unbuild(d);
    wf_csv t;
    wf_status st = wf_csv_read(path, WF_DESIGN_MAX_KEYS, WF_DESIGN_MAX_POINTS, &t, d->err, sizeof d->err);
    if (st != WF_OK) return st;
    size_t nxp0 = d->nxp, nkeys0 = d->nkeys;
    /* The header: keys, each once. */
    wf_strmap seen = WF_STRMAP_INIT;
    for (size_t k = 0; k < t.cols && st == WF_OK; k++) {
        const char *h = t.header[k];
        int added = 1;
        if (!h || strchr(h, '=')) {
            errf(d, "%s: line 1, column %zu: '%s' is not a key; the header names the keys, e.g. "
                 "partnership.pooled_capacity,hospitals.city.beds", path, k + 1, h ? h : "");
            st = WF_EPARSE;
        } else if (!wf_strmap_put(&seen, h, k, &added)) {
            st = oom(d);
        } else if (!added) {
            errf(d, "%s: line 1: the key %s is given twice", path, h);
            st = WF_EPARSE;
        }
    }
    wf_strmap_free(&seen);
    if (st == WF_OK && t.rows == 0) {
        errf(d, "%s: no rows after the header line (each row is one point: one scenario)", path);
        st = WF_EPARSE;
    }
    for (size_t i = 0; i < t.rows && st == WF_OK; i++) {
        char origin[600];
        snprintf(origin, sizeof origin, "line %zu of %s", t.line[i], path);
        st = add_point(d, NULL, origin, (const char *const *)t.header, (const char *const *)t.cells + i * t.cols,
                       t.cols, true);
        if (st == WF_OK) memset(t.cells + i * t.cols, 0, t.cols * sizeof *t.cells); /* taken */
    }
    wf_csv_free(&t);
    if (st != WF_OK) truncate_points(d, nxp0, nkeys0);  /* all of the file or none of it */
    return st;
}

/* ---- wf_design_validate ---------------------------------------------------- */

/* "key=value, key=value" of a built point, or its value alone when the
 * design has one key; NULL when it has no values. */
static char *rule_label(const wf_design *d, size_t i)
{
    const char *const *c = (const char *const *)d->cells + i * d->nkeys;
    if (d->nkeys == 1) return c[0] ? strdup(c[0]) : NULL;
    size_t len = 1;
    for (size_t k = 0; k < d->nkeys; k++)
        if (c[k]) len += strlen(d->keys[k]) + strlen(c[k]) + 3;
    if (len == 1) return NULL;
    char *s = malloc(len), *o = s;
    if (!s) return NULL;
    for (size_t k = 0; k < d->nkeys; k++)
        if (c[k]) o += sprintf(o, "%s%s=%s", o == s ? "" : ", ", d->keys[k], c[k]);
    return s;
}

/* Labels: the given one or the rule's, made unique with " #2", " #3", ... */
static wf_status make_labels(wf_design *d)
{
    wf_status st = WF_OK;
    char **base = calloc(d->npoints + 1, sizeof *base);
    wf_strmap finals = WF_STRMAP_INIT, next = WF_STRMAP_INIT;
    if (!base) return oom(d);
    for (size_t i = 0; i < d->npoints && st == WF_OK; i++) {
        const char *given = d->nxp ? d->xp[i].label : NULL;
        char buf[48];
        base[i] = given ? strdup(given) : rule_label(d, i);
        if (!base[i] && !given) {
            snprintf(buf, sizeof buf, "scenario %zu", i + 1);
            base[i] = strdup(buf);
        }
        if (!base[i]) {
            st = oom(d);
            break;
        }
        int added;
        if (!wf_strmap_get(&finals, base[i])) {
            d->labels[i] = strdup(base[i]);
        } else {
            size_t *k = wf_strmap_put(&next, base[i], 2, &added);
            if (!k) {
                st = oom(d);
                break;
            }
            size_t n = *k, len = strlen(base[i]) + 24;
            for (;;) {
                free(d->labels[i]);
                if (!(d->labels[i] = malloc(len))) break;
                snprintf(d->labels[i], len, "%s #%zu", base[i], n++);
                if (!wf_strmap_get(&finals, d->labels[i])) break;
            }
            if ((k = wf_strmap_get(&next, base[i]))) *k = n;
        }
        if (!d->labels[i] || !wf_strmap_put(&finals, d->labels[i], i, &added)) st = oom(d);
    }
    wf_strmap_free(&finals);
    wf_strmap_free(&next);
    for (size_t i = 0; i < d->npoints; i++) free(base[i]);
    free(base);
    return st;
}

/* The grid of the factors, the hypercube's samples varying fastest. */
static wf_status build_factors(wf_design *d)
{
    size_t nranges = 0;
    double total = d->samples ? (double)d->samples : 1;
    for (size_t j = 0; j < d->nf; j++) {
        const factor *f = &d->f[j];
        if (f->is_range && d->samples) {
            nranges++;
            continue;
        }
        if (f->is_range && f->step == 0) {
            char lo[40], hi[40];
            fmt_value(lo, sizeof lo, f->lo, f->decimals);
            fmt_value(hi, sizeof hi, f->hi, f->decimals);
            errf(d, "%s=%s:%s has no step: a grid needs lo:hi:step, or sample the range with a Latin "
                 "hypercube", d->keys[j], lo, hi);
            return WF_EINVAL;
        }
        total *= (double)f->n;
    }
    if (d->samples && nranges == 0) {
        errf(d, "a Latin hypercube needs at least one range (KEY=lo:hi)");
        return WF_EINVAL;
    }
    if (total > WF_DESIGN_MAX_POINTS) {
        errf(d, "the design has %.0f points, more than the %d a design may have; use fewer values or "
             "split it", total, WF_DESIGN_MAX_POINTS);
        return WF_EINVAL;
    }
    d->npoints = (size_t)total;
    size_t nk = d->nkeys, ns = d->samples;
    d->cells = calloc(d->npoints * nk + 1, sizeof *d->cells);
    double *lhs = ns ? malloc(ns * nranges * sizeof *lhs) : NULL;
    size_t *perm = ns ? malloc(ns * sizeof *perm) : NULL, *idx = calloc(nk + 1, sizeof *idx);
    wf_status st = WF_OK;
    if (!d->cells || !idx || (ns && (!lhs || !perm))) st = oom(d);

    /* The hypercube: per range, a random permutation of the strata and a
     * uniform point within each, from the library's streams: one stream
     * per range, keyed by (seed, range). */
    for (size_t j = 0, r = 0; st == WF_OK && ns && j < d->nf; j++) {
        if (!d->f[j].is_range) continue;
        wf_stream s = {wf_key_mix(wf_key_mix(0x6c6873646573676eULL /* "lhsdesgn" */, d->seed), (uint64_t)r), 0};
        for (size_t i = 0; i < ns; i++) perm[i] = i;
        for (size_t i = ns; i > 1; i--) {
            size_t k = (size_t)(wf_stream_uniform(&s) * (double)i);
            size_t t = perm[i - 1];
            perm[i - 1] = perm[k];
            perm[k] = t;
        }
        for (size_t i = 0; i < ns; i++) lhs[i * nranges + r] = ((double)perm[i] + wf_stream_uniform(&s)) / (double)ns;
        r++;
    }
    for (size_t p = 0; p < d->npoints && st == WF_OK; p++) {
        size_t rest = p, sample = 0;
        if (ns) {
            sample = rest % ns;
            rest /= ns;
        }
        for (size_t j = nk; j-- > 0;) { /* the last factor varies fastest */
            const factor *f = &d->f[j];
            if (f->is_range && ns) continue;
            idx[j] = rest % f->n;
            rest /= f->n;
        }
        for (size_t j = 0, r = 0; j < nk && st == WF_OK; j++) {
            const factor *f = &d->f[j];
            char t[64];
            const char *text;
            if (f->is_range && ns) {
                double x = f->lo + lhs[sample * nranges + r++] * (f->hi - f->lo);
                int dec = f->decimals;
                if (f->step > 0) x = f->lo + floor((x - f->lo) / f->step) * f->step;
                const wf_param_info *pi = wf_param_for_key(d->keys[j]);
                if (pi && pi->type && !strcmp(pi->type, "int")) {
                    x = floor(x + 0.5);
                    dec = 0;
                } else if (f->step == 0) {
                    dec = -1;
                }
                fmt_value(t, sizeof t, x, dec);
                text = t;
            } else {
                text = f->values[idx[j]];
            }
            if (!(d->cells[p * nk + j] = strdup(text))) st = oom(d);
        }
    }
    free(lhs);
    free(perm);
    free(idx);
    return st;
}

static wf_status build_points(wf_design *d)
{
    size_t nk = d->nkeys;
    d->npoints = d->nxp;
    d->cells = calloc(d->npoints * nk + 1, sizeof *d->cells);
    if (!d->cells) return oom(d);
    for (size_t i = 0; i < d->nxp; i++)
        for (size_t k = 0; k < d->xp[i].n; k++)
            if (d->xp[i].cells[k] && !(d->cells[i * nk + k] = strdup(d->xp[i].cells[k]))) return oom(d);
    return WF_OK;
}

static bool is_number(const char *s)
{
    double x;
    int dec;
    return parse_number(s, &x, &dec) == 0;
}

wf_status wf_design_validate(wf_design *d)
{
    if (!d) return WF_EINVAL;
    d->err[0] = '\0';
    unbuild(d);
    if (!d->nf && !d->nxp) {
        errf(d, "the design has no points: give factors (lists or ranges) or points");
        return WF_EINVAL;
    }
    wf_status st = d->nf ? build_factors(d) : build_points(d);
    if (st == WF_OK) {
        d->labels = calloc(d->npoints + 1, sizeof *d->labels);
        d->origins = calloc(d->npoints + 1, sizeof *d->origins);
        d->numeric = calloc(d->nkeys + 1, 1);
        if (!d->labels || !d->origins || !d->numeric) st = oom(d);
    }
    for (size_t i = 0; st == WF_OK && i < d->nxp; i++)
        if (d->xp[i].origin && !(d->origins[i] = strdup(d->xp[i].origin))) st = oom(d);
    if (st == WF_OK) st = make_labels(d);
    for (size_t k = 0; st == WF_OK && k < d->nkeys; k++) {
        bool numeric = true, any = false;
        for (size_t i = 0; i < d->npoints && numeric; i++) {
            const char *c = d->cells[i * d->nkeys + k];
            if (!c) continue;
            any = true;
            numeric = is_number(c);
        }
        d->numeric[k] = numeric && any;
    }
    if (st != WF_OK) {
        unbuild(d);
        return st;
    }
    d->built = true;
    return WF_OK;
}

size_t wf_design_first(const wf_design *d) { return d ? d->first : 0; }

wf_status wf_design_part(wf_design *d, size_t part, size_t parts)
{
    if (!d) return WF_EINVAL;
    d->err[0] = '\0';
    if (!d->built) {
        errf(d, "the design is not validated (wf_design_validate)");
        return WF_EINVAL;
    }
    if (parts < 1 || part < 1 || part > parts) {
        errf(d, "part %zu of %zu: expected a part from 1 to the number of parts", part, parts);
        return WF_EINVAL;
    }
    if (parts > d->npoints) {
        errf(d, "%zu parts of a design of %zu points: at most one part per point", parts, d->npoints);
        return WF_EINVAL;
    }
    /* points lo .. hi - 1: contiguous, in order, sizes within one of each other */
    size_t n = d->npoints, nk = d->nkeys, lo = (part - 1) * n / parts, hi = part * n / parts;
    for (size_t i = 0; i < n; i++) {
        if (i >= lo && i < hi) continue;
        for (size_t k = 0; k < nk; k++) free(d->cells[i * nk + k]);
        free(d->labels[i]);
        free(d->origins[i]);
    }
    memmove(d->cells, d->cells + lo * nk, (hi - lo) * nk * sizeof *d->cells);
    memmove(d->labels, d->labels + lo, (hi - lo) * sizeof *d->labels);
    memmove(d->origins, d->origins + lo, (hi - lo) * sizeof *d->origins);
    d->npoints = hi - lo;
    d->first += lo;
    return WF_OK;
}

/* ---- reading a built design ----------------------------------------------------- */

size_t wf_design_n_points(const wf_design *d) { return d && d->built ? d->npoints : 0; }
size_t wf_design_n_keys(const wf_design *d) { return d && d->built ? d->nkeys : 0; }

const char *wf_design_key(const wf_design *d, size_t k)
{
    return d && d->built && k < d->nkeys ? d->keys[k] : NULL;
}

const char *wf_design_value(const wf_design *d, size_t point, size_t k)
{
    return d && d->built && point < d->npoints && k < d->nkeys ? d->cells[point * d->nkeys + k] : NULL;
}

const char *wf_design_label(const wf_design *d, size_t point)
{
    return d && d->built && point < d->npoints ? d->labels[point] : NULL;
}

int wf_design_numeric(const wf_design *d, size_t k)
{
    return d && d->built && k < d->nkeys ? d->numeric[k] : 0;
}

wf_status wf_design_apply(const wf_design *d, size_t i, const wf_scenario *base, const char *noun,
                          const char *name, wf_scenario **out, char *err, size_t errlen)
{
    *out = NULL;
    char who[160];
    snprintf(who, sizeof who, noun, (d ? d->first : 0) + i + 1);
    if (!d || !d->built || i >= d->npoints || !base) {
        snprintf(err, errlen, "%s: not a point of a validated design", who);
        return WF_EINVAL;
    }
    wf_scenario *s = wf_scenario_clone(base);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return WF_ENOMEM;
    }
    wf_status st = WF_OK;
    for (size_t k = 0; k < d->nkeys && st == WF_OK; k++) {
        const char *v = d->cells[i * d->nkeys + k];
        if (!v) continue;
        char src[1200];
        snprintf(src, sizeof src, "%s (%.500s%s%.200s=%.300s)", who, d->origins[i] ? d->origins[i] : "",
                 d->origins[i] ? ": " : "", d->keys[k], v);
        if ((st = wf_scenario_set_src(s, d->keys[k], v, src)) != WF_OK)
            snprintf(err, errlen, "%s", wf_scenario_error(s));
    }
    if (st == WF_OK && (st = wf_scenario_set_name(s, name ? name : d->labels[i])) != WF_OK)
        snprintf(err, errlen, "%s", wf_scenario_error(s));
    if (st != WF_OK) {
        wf_scenario_destroy(s);
        return st;
    }
    *out = s;
    return WF_OK;
}

wf_status wf_design_scenario(wf_design *d, size_t point, const wf_scenario *base, wf_scenario **out)
{
    if (!out) return WF_EINVAL;
    if (!d) {
        *out = NULL;
        return WF_EINVAL;
    }
    return wf_design_apply(d, point, base, "point %zu", NULL, out, d->err, sizeof d->err);
}

wf_design *wf_design_copy(const wf_design *d)
{
    if (!d || !d->built) return NULL;
    wf_design *c = wf_design_create();
    if (!c) return NULL;
    size_t nk = d->nkeys, np = d->npoints;
    c->keys = calloc(nk + 1, sizeof *c->keys);
    c->cells = calloc(np * nk + 1, sizeof *c->cells);
    c->labels = calloc(np + 1, sizeof *c->labels);
    c->origins = calloc(np + 1, sizeof *c->origins);
    c->numeric = malloc(nk + 1);
    if (!c->keys || !c->cells || !c->labels || !c->origins || !c->numeric) goto fail;
    c->cap_keys = nk;
    c->npoints = np;
    for (; c->nkeys < nk; c->nkeys++)
        if (!(c->keys[c->nkeys] = strdup(d->keys[c->nkeys]))) goto fail;
    for (size_t i = 0; i < np * nk; i++)
        if (d->cells[i] && !(c->cells[i] = strdup(d->cells[i]))) goto fail;
    for (size_t i = 0; i < np; i++)
        if (!(c->labels[i] = strdup(d->labels[i])) || (d->origins[i] && !(c->origins[i] = strdup(d->origins[i]))))
            goto fail;
    memcpy(c->numeric, d->numeric, nk);
    c->first = d->first;
    c->built = true;
    return c;
fail:
    wf_design_destroy(c);
    return NULL;
}
