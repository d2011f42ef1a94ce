/* Typed values: parsing a value tree against a table row (type, bounds,
 * choices), storing it into wf_config through the row's binding, and
 * writing it back as YAML text. With a->cfg == NULL a value is only checked
 * (the loader does that, so errors point at the file as it is read);
 * references to organisations are checked when the config is built. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

wf_status wf_apply_fail(const wf_apply *a, const wf_node *at, const char *sub, wf_status st,
                        const char *fmt, ...) {
    char problem[WF_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    if (a->src_is_file) {
        int line = at && at->line ? at->line : a->line;
        int col = at && at->line ? at->col : a->col;
        wf_errf(a->err, a->errlen, "%s:%d:%d: %s%s: %s", a->src, line, col, a->key,
                sub ? sub : "", problem);
    } else {
        wf_errf(a->err, a->errlen, "%s: %s%s: %s", a->src, a->key, sub ? sub : "", problem);
    }
    return st;
}

static void describe(const wf_node *v, char *d, size_t n) { wf_node_describe(v, d, n); }

/* ---- choices ---- */

static size_t split_choices(const char *choices, char out[][24], size_t max) {
    size_t n = 0;
    const char *p = choices;
    while (p && *p && n < max) {
        size_t l = strcspn(p, "|");
        if (l > 23) l = 23;
        memcpy(out[n], p, l);
        out[n][l] = '\0';
        n++;
        p += strcspn(p, "|");
        if (*p == '|') p++;
    }
    return n;
}

static const char *choice_name(const char *choices, int idx, char *buf, size_t len) {
    char c[16][24];
    size_t n = split_choices(choices, c, 16);
    const char *src = idx >= 0 && (size_t)idx < n ? c[idx] : "?";
    size_t l = strlen(src);
    if (l >= len) l = len - 1;
    memcpy(buf, src, l);
    buf[l] = '\0';
    return buf;
}

static wf_status parse_choice(const char *choices, const wf_node *v, wf_apply *a,
                              const wf_node *at, const char *sub, int *out) {
    char d[64];
    if (!v || v->kind != WF_NODE_SCALAR || wf_node_is_null(v)) {
        describe(v, d, sizeof d);
        return wf_apply_fail(a, at, sub, WF_ETYPE, "expected one of %s, got %s", choices, d);
    }
    char c[16][24];
    size_t n = split_choices(choices, c, 16);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c[i], v->text)) {
            *out = (int)i;
            return WF_OK;
        }
    const char *cands[16];
    for (size_t i = 0; i < n; i++) cands[i] = c[i];
    const char *sug = wf_suggest(v->text, cands, n);
    describe(v, d, sizeof d);
    if (sug)
        return wf_apply_fail(a, at, sub, WF_EPARSE, "%s is not one of %s; did you mean '%s'?", d,
                             choices, sug);
    return wf_apply_fail(a, at, sub, WF_EPARSE, "%s is not one of %s", d, choices);
}

/* ---- scalars ---- */

static bool plain_scalar(const wf_node *v) {
    return v && v->kind == WF_NODE_SCALAR && !v->quoted && !wf_node_is_null(v);
}

static wf_status parse_real(const wf_node *v, wf_apply *a, const wf_node *at, const char *sub,
                            double *out) {
    char d[64];
    describe(v, d, sizeof d);
    if (!plain_scalar(v))
        return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a number, got %s", d);
    const char *t = v->text;
    for (const char *p = t; *p; p++)
        if (!strchr("0123456789+-.eE", *p))
            return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a number, got %s", d);
    char *end;
    double x = strtod(t, &end);
    if (end == t || *end)
        return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a number, got %s", d);
    if (!isfinite(x))
        return wf_apply_fail(a, at, sub, WF_ERANGE, "%s is too large", d);
    *out = x;
    return WF_OK;
}

static wf_status parse_int(const wf_node *v, wf_apply *a, const wf_node *at, const char *sub,
                           long long *out) {
    char d[64];
    describe(v, d, sizeof d);
    if (!plain_scalar(v))
        return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a whole number, got %s", d);
    const char *t = v->text, *p = t;
    if (*p == '+' || *p == '-') p++;
    size_t digits = strspn(p, "0123456789");
    if (!digits) return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a whole number, got %s", d);
    /* "900.0" is the whole number 900: what pandas and numpy hand over for
     * an integer column (a float dtype once a value is missing). A fraction
     * that is not zero is refused, never rounded. */
    if (p[digits] == '.') {
        const char *f = p + digits + 1;
        size_t nf = strspn(f, "0123456789");
        if (!nf || f[nf])
            return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a whole number, got %s", d);
        if (strspn(f, "0") != nf)
            return wf_apply_fail(a, at, sub, WF_ETYPE,
                                 "expected a whole number, got %s (it has a fraction; a whole "
                                 "number may be written 900 or 900.0)", d);
    } else if (p[digits]) {
        return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a whole number, got %s", d);
    }
    if (digits > 17) return wf_apply_fail(a, at, sub, WF_ERANGE, "%s is too large", d);
    *out = strtoll(t, NULL, 10);
    return WF_OK;
}

static wf_status check_bounds(const wf_row *r, double x, wf_apply *a, const wf_node *at,
                              const char *sub) {
    char xs[40], b[40];
    wf_fmt_real(x, xs, sizeof xs);
    if (!isnan(r->info.min)) {
        wf_fmt_real(r->info.min, b, sizeof b);
        if ((r->flags & WF_F_EXCL_MIN) && !(x > r->info.min))
            return wf_apply_fail(a, at, sub, WF_ERANGE, "%s must be greater than %s", xs, b);
        if (x < r->info.min)
            return wf_apply_fail(a, at, sub, WF_ERANGE, "%s is below the minimum %s", xs, b);
    }
    if (!isnan(r->info.max) && x > r->info.max) {
        wf_fmt_real(r->info.max, b, sizeof b);
        return wf_apply_fail(a, at, sub, WF_ERANGE, "%s is above the maximum %s", xs, b);
    }
    return WF_OK;
}

typedef struct {
    bool is_null;
    long long i;
    double d;
    bool b;
    int e;
    const char *s;
    int32_t date;
} wf_val;

static wf_status parse_date(const wf_node *v, wf_apply *a, const wf_node *at, const char *sub,
                            int32_t *out) {
    char d[64];
    describe(v, d, sizeof d);
    if (!v || v->kind != WF_NODE_SCALAR || wf_node_is_null(v))
        return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a date YYYY-MM-DD, got %s", d);
    if (!wf_date_parse(v->text, out))
        return wf_apply_fail(a, at, sub, WF_EPARSE,
                             "%s is not a calendar date YYYY-MM-DD (years 1900..2999)", d);
    return WF_OK;
}

static wf_status parse_typed(const wf_row *r, const wf_node *v, wf_apply *a, const wf_node *at,
                             const char *sub, wf_val *out) {
    memset(out, 0, sizeof *out);
    char d[64];
    if ((r->flags & WF_F_NULLABLE) && wf_node_is_null(v)) {
        out->is_null = true;
        return WF_OK;
    }
    wf_status st = WF_OK;
    switch (r->type) {
    case WF_T_INT:
    case WF_T_U64:
        st = parse_int(v, a, at, sub, &out->i);
        if (!st) st = check_bounds(r, (double)out->i, a, at, sub);
        if (!st && r->type == WF_T_INT && (out->i > 2147483647LL || out->i < -2147483647LL))
            st = wf_apply_fail(a, at, sub, WF_ERANGE, "%lld is too large", out->i);
        return st;
    case WF_T_REAL:
    case WF_T_REAL_NULL:
        st = parse_real(v, a, at, sub, &out->d);
        if (!st) st = check_bounds(r, out->d, a, at, sub);
        return st;
    case WF_T_BOOL:
    case WF_T_TRI:
        if (plain_scalar(v)) {
            const char *t = v->text;
            if (!strcmp(t, "true") || !strcmp(t, "True") || !strcmp(t, "TRUE")) {
                out->b = true;
                return WF_OK;
            }
            if (!strcmp(t, "false") || !strcmp(t, "False") || !strcmp(t, "FALSE")) {
                out->b = false;
                return WF_OK;
            }
        }
        describe(v, d, sizeof d);
        return wf_apply_fail(a, at, sub, WF_ETYPE, "expected true or false, got %s", d);
    case WF_T_ENUM:
        return parse_choice(r->info.choices, v, a, at, sub, &out->e);
    case WF_T_STRING:
        if (!v || v->kind != WF_NODE_SCALAR || (!v->quoted && wf_node_is_null(v) && *v->text)) {
            describe(v, d, sizeof d);
            return wf_apply_fail(a, at, sub, WF_ETYPE, "expected text, got %s", d);
        }
        out->s = v->text;
        return WF_OK;
    case WF_T_DATE:
    case WF_T_DAY:
        return parse_date(v, a, at, sub, &out->date);
    default:
        return wf_apply_fail(a, at, sub, WF_EINVAL, "internal: row has no scalar type");
    }
}

static void *target(const wf_row *r, const wf_apply *a) {
    wf_config *c = a->cfg;
    switch (r->bind) {
    case WF_B_TOP: return (char *)c + r->off;
    case WF_B_HOSP: return (char *)&c->hospitals[a->org[0]] + r->off;
    case WF_B_LOC: return (char *)&c->localities[a->org[0]] + r->off;
    case WF_B_COMM: return (char *)&c->community[a->org[0]] + r->off;
    case WF_B_VOL: return (char *)&c->voluntary[a->org[0]] + r->off;
    default: return NULL;
    }
}

static const void *ctarget(const wf_row *r, const wf_config *c, const int org[2]) {
    switch (r->bind) {
    case WF_B_TOP: return (const char *)c + r->off;
    case WF_B_HOSP: return (const char *)&c->hospitals[org[0]] + r->off;
    case WF_B_LOC: return (const char *)&c->localities[org[0]] + r->off;
    case WF_B_COMM: return (const char *)&c->community[org[0]] + r->off;
    case WF_B_VOL: return (const char *)&c->voluntary[org[0]] + r->off;
    default: return NULL;
    }
}

wf_status wf_value_apply(const wf_row *r, const wf_node *v, wf_apply *a) {
    if (r->type == WF_T_CUSTOM) return r->set(r, v, a);
    if (r->type == WF_T_REALS) {
        char d[64];
        describe(v, d, sizeof d);
        if (!v || v->kind != WF_NODE_SEQ)
            return wf_apply_fail(a, NULL, NULL, WF_ETYPE, "expected a list of %d numbers, got %s",
                                 r->len, d);
        if (v->n != (size_t)r->len)
            return wf_apply_fail(a, NULL, NULL, WF_ERANGE,
                                 "expected exactly %d numbers, got %zu", r->len, v->n);
        double x[32];
        if (v->n > sizeof x / sizeof x[0])
            return wf_apply_fail(a, NULL, NULL, WF_ERANGE, "too many numbers");
        for (size_t i = 0; i < v->n; i++) {
            char sub[32];
            snprintf(sub, sizeof sub, "[%zu]", i);
            wf_status st = parse_real(v->items[i], a, v->items[i], sub, &x[i]);
            if (!st) st = check_bounds(r, x[i], a, v->items[i], sub);
            if (st) return st;
        }
        if (a->cfg) memcpy(target(r, a), x, v->n * sizeof *x);
        return WF_OK;
    }
    wf_val val;
    wf_status st = parse_typed(r, v, a, NULL, NULL, &val);
    if (st || !a->cfg || r->bind == WF_B_NONE) return st;
    void *t = target(r, a);
    switch (r->type) {
    case WF_T_INT: *(int *)t = (int)val.i; break;
    case WF_T_U64: *(uint64_t *)t = (uint64_t)val.i; break;
    case WF_T_REAL: *(double *)t = val.d; break;
    case WF_T_REAL_NULL: *(double *)t = val.is_null ? -1.0 : val.d; break;
    case WF_T_BOOL: *(bool *)t = val.b; break;
    case WF_T_TRI: *(int *)t = val.is_null ? WF_INHERIT : val.b; break;
    case WF_T_ENUM: *(int *)t = val.is_null ? WF_INHERIT : val.e; break;
    case WF_T_DATE: *(int32_t *)t = val.date; break;
    case WF_T_DAY: *(double *)t = (double)(val.date - a->start_date); break;
    case WF_T_STRING: {
        char *s = wf_strdup(val.s);
        if (!s) return wf_apply_fail(a, NULL, NULL, WF_ENOMEM, "out of memory");
        free(*(char **)t);
        *(char **)t = s;
        break;
    }
    default: break;
    }
    return WF_OK;
}

void wf_yaml_quote(const char *s, wf_buf *out) {
    wf_buf_puts(out, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') wf_buf_printf(out, "\\%c", *p);
        else if (*p < 0x20) wf_buf_printf(out, "\\x%02x", *p);
        else wf_buf_printf(out, "%c", *p);
    }
    wf_buf_puts(out, "\"");
}

static void put_real(wf_buf *out, double x) {
    char b[40];
    wf_fmt_real(x, b, sizeof b);
    wf_buf_puts(out, b);
}

static void put_day(wf_buf *out, const wf_config *c, double day) {
    char b[16];
    wf_fmt_date((int32_t)(c->start_date + (int64_t)llround(day)), b, sizeof b);
    wf_buf_puts(out, b);
}

void wf_value_format(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out) {
    if (r->type == WF_T_CUSTOM) {
        r->get(r, c, org, out);
        return;
    }
    const void *t = ctarget(r, c, org);
    char b[40];
    switch (r->type) {
    case WF_T_INT: wf_buf_printf(out, "%d", *(const int *)t); break;
    case WF_T_U64: wf_buf_printf(out, "%llu", (unsigned long long)*(const uint64_t *)t); break;
    case WF_T_REAL: put_real(out, *(const double *)t); break;
    case WF_T_REAL_NULL:
        if (*(const double *)t < 0) wf_buf_puts(out, "null");
        else put_real(out, *(const double *)t);
        break;
    case WF_T_BOOL: wf_buf_puts(out, *(const bool *)t ? "true" : "false"); break;
    case WF_T_TRI:
        wf_buf_puts(out, *(const int *)t == WF_INHERIT ? "null" : *(const int *)t ? "true" : "false");
        break;
    case WF_T_ENUM:
        if (*(const int *)t == WF_INHERIT) wf_buf_puts(out, "null");
        else wf_buf_puts(out, choice_name(r->info.choices, *(const int *)t, b, sizeof b));
        break;
    case WF_T_STRING: wf_yaml_quote(*(char *const *)t ? *(char *const *)t : "", out); break;
    case WF_T_DATE: wf_fmt_date(*(const int32_t *)t, b, sizeof b); wf_buf_puts(out, b); break;
    case WF_T_DAY: put_day(out, c, *(const double *)t); break;
    case WF_T_REALS: {
        const double *x = t;
        wf_buf_puts(out, "[");
        for (int i = 0; i < r->len; i++) {
            if (i) wf_buf_puts(out, ", ");
            put_real(out, x[i]);
        }
        wf_buf_puts(out, "]");
        break;
    }
    default: wf_buf_puts(out, "null"); break;
    }
}

/* ---- custom rows ---- */

static wf_status want_list(const wf_node *v, wf_apply *a, const char *what) {
    /* bounded, as every count is: work per list item recurs every hour or event */
    if (v && v->kind == WF_NODE_SEQ && v->n > WF_MAX_LIST)
        return wf_apply_fail(a, NULL, NULL, WF_ERANGE, "a list of %zu items, more than the %d allowed",
                             v->n, WF_MAX_LIST);
    if (v && v->kind == WF_NODE_SEQ) return WF_OK;
    char d[64];
    describe(v, d, sizeof d);
    return wf_apply_fail(a, NULL, NULL, WF_ETYPE, "expected a list of %s, got %s", what, d);
}

/* The [open, close) pair of hours a row sets: the discharge window or the
 * ward round (the two rows share this setter). */
static double *hours_pair(const wf_row *r, wf_hospital_cfg *h) {
    return strstr(r->info.key, "ward_round") ? &h->round_open : &h->discharge_open;
}

wf_status wf_set_discharge_hours(const wf_row *r, const wf_node *v, wf_apply *a) {
    char d[64];
    describe(v, d, sizeof d);
    if (!v || v->kind != WF_NODE_SEQ)
        return wf_apply_fail(a, NULL, NULL, WF_ETYPE, "expected [open, close] hours, got %s", d);
    if (v->n != 2)
        return wf_apply_fail(a, NULL, NULL, WF_ERANGE,
                             "expected exactly 2 hours [open, close], got %zu", v->n);
    double h[2];
    for (int i = 0; i < 2; i++) {
        char sub[8];
        snprintf(sub, sizeof sub, "[%d]", i);
        wf_status st = parse_real(v->items[i], a, v->items[i], sub, &h[i]);
        if (!st) st = check_bounds(r, h[i], a, v->items[i], sub);
        if (st) return st;
    }
    if (!(h[0] < h[1])) {
        char o[40], c[40];
        wf_fmt_real(h[0], o, sizeof o);
        wf_fmt_real(h[1], c, sizeof c);
        return wf_apply_fail(a, NULL, NULL, WF_ERANGE,
                             "opening hour %s must be before closing hour %s", o, c);
    }
    if (a->cfg) {
        double *t = hours_pair(r, &a->cfg->hospitals[a->org[0]]);
        t[0] = h[0];
        t[1] = h[1];
    }
    return WF_OK;
}

void wf_get_discharge_hours(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out) {
    const double *t = hours_pair(r, (wf_hospital_cfg *)&c->hospitals[org[0]]);
    wf_buf_puts(out, "[");
    put_real(out, t[0]);
    wf_buf_puts(out, ", ");
    put_real(out, t[1]);
    wf_buf_puts(out, "]");
}

wf_status wf_set_bank_holidays(const wf_row *r, const wf_node *v, wf_apply *a) {
    (void)r;
    wf_status st = want_list(v, a, "dates");
    if (st) return st;
    double *days = v->n ? malloc(v->n * sizeof *days) : NULL;
    if (v->n && !days) return wf_apply_fail(a, NULL, NULL, WF_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++) {
        char sub[24];
        snprintf(sub, sizeof sub, "[%zu]", i);
        int32_t date;
        st = parse_date(v->items[i], a, v->items[i], sub, &date);
        if (st) {
            free(days);
            return st;
        }
        double x = (double)(date - a->start_date);
        /* sorted insert, duplicates dropped */
        size_t j = n;
        while (j > 0 && days[j - 1] > x) j--;
        if (j > 0 && days[j - 1] == x) continue;
        memmove(days + j + 1, days + j, (n - j) * sizeof *days);
        days[j] = x;
        n++;
    }
    if (!a->cfg) {
        free(days);
        return WF_OK;
    }
    free(a->cfg->bank_holidays);
    a->cfg->bank_holidays = days;
    a->cfg->n_bank_holidays = (int)n;
    return WF_OK;
}

void wf_get_bank_holidays(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out) {
    (void)r;
    (void)org;
    wf_buf_puts(out, "[");
    for (int i = 0; i < c->n_bank_holidays; i++) {
        if (i) wf_buf_puts(out, ", ");
        put_day(out, c, c->bank_holidays[i]);
    }
    wf_buf_puts(out, "]");
}

/* The system's funding panel days, or a council's own (null: the system's). */
static unsigned *weekdays_of(const wf_row *r, wf_config *c, const int org[2]) {
    return r->bind == WF_B_LOC ? &c->localities[org[0]].lever.funding_panel_weekdays
                               : &c->funding_panel_weekdays;
}

wf_status wf_set_weekdays(const wf_row *r, const wf_node *v, wf_apply *a) {
    if ((r->flags & WF_F_NULLABLE) && wf_node_is_null(v)) {
        if (a->cfg) *weekdays_of(r, a->cfg, a->org) = WF_WEEKDAYS_INHERIT;
        return WF_OK;
    }
    wf_status st = want_list(v, a, r->info.choices);
    if (st) return st;
    unsigned mask = 0;
    for (size_t i = 0; i < v->n; i++) {
        char sub[24];
        snprintf(sub, sizeof sub, "[%zu]", i);
        int e;
        st = parse_choice(r->info.choices, v->items[i], a, v->items[i], sub, &e);
        if (st) return st;
        mask |= 1u << e;
    }
    if (a->cfg) *weekdays_of(r, a->cfg, a->org) = mask;
    return WF_OK;
}

void wf_get_weekdays(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out) {
    char b[24];
    unsigned mask = *weekdays_of(r, (wf_config *)c, org);
    if (mask == WF_WEEKDAYS_INHERIT) {
        wf_buf_puts(out, "null");
        return;
    }
    wf_buf_puts(out, "[");
    bool first = true;
    for (int i = 0; i < 7; i++)
        if (mask & (1u << i)) {
            wf_buf_printf(out, "%s%s", first ? "" : ", ", choice_name(r->info.choices, i, b, sizeof b));
            first = false;
        }
    wf_buf_puts(out, "]");
}

/* An organisation reference by name, with did-you-mean. */
static wf_status org_ref(wf_apply *a, const wf_node *v, const wf_node *at, const char *sub,
                         int kind, int *idx) {
    char d[64];
    describe(v, d, sizeof d);
    if (!v || v->kind != WF_NODE_SCALAR || wf_node_is_null(v) || !wf_org_name_ok(v->text))
        return wf_apply_fail(a, at, sub, WF_ETYPE, "expected a %s name, got %s",
                             wf_kind_word[kind], d);
    *idx = -1;
    if (!a->cfg) return WF_OK; /* names are checked when the config is built */
    *idx = wf_scenario_org_find(a->sc, kind, v->text);
    if (*idx >= 0) return WF_OK;
    const char *sug = wf_suggest(v->text, (const char *const *)a->sc->org[kind],
                                 a->sc->n_org[kind]);
    if (sug)
        return wf_apply_fail(a, at, sub, WF_EKEY, "unknown %s '%s'; did you mean '%s'?",
                             wf_kind_word[kind], v->text, sug);
    return wf_apply_fail(a, at, sub, WF_EKEY, "unknown %s '%s'", wf_kind_word[kind], v->text);
}

wf_status wf_set_serves(const wf_row *r, const wf_node *v, wf_apply *a) {
    wf_status st = want_list(v, a, "locality names");
    if (st) return st;
    int *idx = v->n ? malloc(v->n * sizeof *idx) : NULL;
    if (v->n && !idx) return wf_apply_fail(a, NULL, NULL, WF_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->n; i++) {
        char sub[24];
        snprintf(sub, sizeof sub, "[%zu]", i);
        st = org_ref(a, v->items[i], v->items[i], sub, WF_ORG_LOCALITY, &idx[i]);
        for (size_t j = 0; !st && j < i; j++)
            if (!strcmp(v->items[j]->text, v->items[i]->text))
                st = wf_apply_fail(a, v->items[i], sub, WF_ERANGE, "locality '%s' is listed twice",
                                   v->items[i]->text);
        if (st) {
            free(idx);
            return st;
        }
    }
    if (!a->cfg) {
        free(idx);
        return WF_OK;
    }
    int **dst;
    int *n;
    if (r->bind == WF_B_COMM) {
        dst = &a->cfg->community[a->org[0]].serves;
        n = &a->cfg->community[a->org[0]].n_serves;
    } else {
        dst = &a->cfg->voluntary[a->org[0]].serves;
        n = &a->cfg->voluntary[a->org[0]].n_serves;
    }
    free(*dst);
    *dst = idx;
    *n = (int)v->n;
    return WF_OK;
}

void wf_get_serves(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out) {
    const int *idx = r->bind == WF_B_COMM ? c->community[org[0]].serves : c->voluntary[org[0]].serves;
    int n = r->bind == WF_B_COMM ? c->community[org[0]].n_serves : c->voluntary[org[0]].n_serves;
    wf_buf_puts(out, "[");
    for (int i = 0; i < n; i++) {
        if (i) wf_buf_puts(out, ", ");
        wf_yaml_quote(c->localities[idx[i]].name, out);
    }
    wf_buf_puts(out, "]");
}

wf_status wf_set_hospital_share(const wf_row *r, const wf_node *v, wf_apply *a) {
    double x;
    wf_status st = parse_real(v, a, NULL, NULL, &x);
    if (!st) st = check_bounds(r, x, a, NULL, NULL);
    if (st || !a->cfg) return st;
    a->cfg->localities[a->org[0]].hospital_share[a->org[1]] = x;
    return WF_OK;
}

void wf_get_hospital_share(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out) {
    (void)r;
    put_real(out, c->localities[org[0]].hospital_share[org[1]]);
}

/* ---- lists of maps: outbreaks, workforce ---- */

#define MAX_FIELDS 8

/* Check one item against the list's field rows; fv[j] is the node of field j
 * or NULL (absent, with a default). */
static wf_status item_fields(const wf_row *list, const wf_node *item, size_t idx, wf_apply *a,
                             const wf_row **fr, size_t nf, const wf_node **fv) {
    char sub[64], d[64];
    snprintf(sub, sizeof sub, "[%zu]", idx);
    const char *names[MAX_FIELDS];
    for (size_t j = 0; j < nf; j++) names[j] = fr[j]->info.key + strlen(list->info.key) + 3;
    if (!item || item->kind != WF_NODE_MAP) {
        describe(item, d, sizeof d);
        return wf_apply_fail(a, item, sub, WF_ETYPE, "expected a map of keys, got %s", d);
    }
    for (size_t j = 0; j < nf; j++) fv[j] = NULL;
    for (size_t k = 0; k < item->n; k++) {
        const char *key = item->keys[k]->text;
        size_t j = 0;
        while (j < nf && strcmp(names[j], key)) j++;
        snprintf(sub, sizeof sub, "[%zu].%.40s", idx, key);
        if (j == nf) {
            const char *sug = wf_suggest(key, names, nf);
            if (sug)
                return wf_apply_fail(a, item->keys[k], sub, WF_EKEY,
                                     "unknown key '%s'; did you mean '%s'?", key, sug);
            return wf_apply_fail(a, item->keys[k], sub, WF_EKEY, "unknown key '%s'", key);
        }
        fv[j] = item->items[k];
    }
    for (size_t j = 0; j < nf; j++)
        if (!fv[j] && !fr[j]->info.def) {
            snprintf(sub, sizeof sub, "[%zu]", idx);
            return wf_apply_fail(a, item, sub, WF_EKEY, "missing required key '%s'", names[j]);
        }
    return WF_OK;
}

wf_status wf_set_outbreaks(const wf_row *r, const wf_node *v, wf_apply *a) {
    wf_status st = want_list(v, a, "outbreaks {name, peak, width_days, extra_admissions_per_day}");
    if (st) return st;
    const wf_row *fr[MAX_FIELDS];
    size_t nf = wf_item_rows(r, fr, MAX_FIELDS);
    wf_outbreak *ob = v->n ? calloc(v->n, sizeof *ob) : NULL;
    if (v->n && !ob) return wf_apply_fail(a, NULL, NULL, WF_ENOMEM, "out of memory");
    size_t done = 0;
    for (size_t i = 0; i < v->n && !st; i++) {
        const wf_node *fv[MAX_FIELDS];
        st = item_fields(r, v->items[i], i, a, fr, nf, fv);
        for (size_t j = 0; j < nf && !st; j++) {
            char sub[64];
            snprintf(sub, sizeof sub, "[%zu].%s", i, fr[j]->info.key + strlen(r->info.key) + 3);
            wf_val val;
            st = parse_typed(fr[j], fv[j], a, fv[j], sub, &val);
            if (st) break;
            const char *f = fr[j]->info.key + strlen(r->info.key) + 3;
            if (!strcmp(f, "name")) {
                ob[i].name = wf_strdup(val.s);
                if (!ob[i].name) st = wf_apply_fail(a, NULL, NULL, WF_ENOMEM, "out of memory");
            } else if (!strcmp(f, "peak")) {
                ob[i].peak = (double)(val.date - a->start_date);
            } else if (!strcmp(f, "width_days")) {
                ob[i].width_days = val.d;
            } else if (!strcmp(f, "extra_admissions_per_day")) {
                ob[i].extra_per_day = val.d;
            }
        }
        done = i + 1;
    }
    if (st || !a->cfg) {
        for (size_t i = 0; i < done; i++) free(ob[i].name);
        free(ob);
        return st;
    }
    for (int i = 0; i < a->cfg->n_outbreaks; i++) free(a->cfg->outbreaks[i].name);
    free(a->cfg->outbreaks);
    a->cfg->outbreaks = ob;
    a->cfg->n_outbreaks = (int)v->n;
    return WF_OK;
}

void wf_get_outbreaks(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out) {
    (void)r;
    (void)org;
    wf_buf_puts(out, "[");
    for (int i = 0; i < c->n_outbreaks; i++) {
        const wf_outbreak *o = &c->outbreaks[i];
        wf_buf_puts(out, i ? ", {name: " : "{name: ");
        wf_yaml_quote(o->name, out);
        wf_buf_puts(out, ", peak: ");
        put_day(out, c, o->peak);
        wf_buf_puts(out, ", width_days: ");
        put_real(out, o->width_days);
        wf_buf_puts(out, ", extra_admissions_per_day: ");
        put_real(out, o->extra_per_day);
        wf_buf_puts(out, "}");
    }
    wf_buf_puts(out, "]");
}

/* The organisation kind each service belongs to. */
static const int service_kind[WF_NSVC] = {WF_ORG_HOSPITAL, WF_ORG_LOCALITY, WF_ORG_LOCALITY, WF_ORG_COMMUNITY, WF_ORG_LOCALITY,
                                          WF_ORG_COMMUNITY};

wf_status wf_set_workforce(const wf_row *r, const wf_node *v, wf_apply *a) {
    wf_status st = want_list(v, a, "periods {name, services, organisation, start, end, factor}");
    if (st) return st;
    const wf_row *fr[MAX_FIELDS];
    size_t nf = wf_item_rows(r, fr, MAX_FIELDS);
    const char *svc_choices = "";
    for (size_t j = 0; j < nf; j++)
        if (fr[j]->info.choices) svc_choices = fr[j]->info.choices;
    wf_workforce_period *wp = v->n ? calloc(v->n, sizeof *wp) : NULL;
    if (v->n && !wp) return wf_apply_fail(a, NULL, NULL, WF_ENOMEM, "out of memory");
    size_t done = 0;
    for (size_t i = 0; i < v->n && !st; i++) {
        const wf_node *fv[MAX_FIELDS];
        wf_workforce_period *p = &wp[i];
        p->org_kind = -1;
        p->org = -1;
        const wf_node *org_node = NULL, *end_node = NULL;
        int32_t start = 0, end = 0;
        st = item_fields(r, v->items[i], i, a, fr, nf, fv);
        for (size_t j = 0; j < nf && !st; j++) {
            const char *f = fr[j]->info.key + strlen(r->info.key) + 3;
            char sub[64];
            snprintf(sub, sizeof sub, "[%zu].%s", i, f);
            if (!strcmp(f, "services")) {
                const wf_node *sv = fv[j];
                if (!sv || sv->kind != WF_NODE_SEQ) {
                    char d[64];
                    describe(sv, d, sizeof d);
                    st = wf_apply_fail(a, sv, sub, WF_ETYPE, "expected a list of %s, got %s",
                                       fr[j]->info.choices, d);
                    break;
                }
                for (size_t k = 0; k < sv->n && !st; k++) {
                    char sub2[112];
                    snprintf(sub2, sizeof sub2, "%s[%zu]", sub, k);
                    int e;
                    st = parse_choice(fr[j]->info.choices, sv->items[k], a, sv->items[k], sub2, &e);
                    if (!st) p->services |= 1u << e;
                }
                continue;
            }
            wf_val val;
            st = parse_typed(fr[j], fv[j], a, fv[j], sub, &val);
            if (st) break;
            if (!strcmp(f, "name")) {
                p->name = wf_strdup(val.s);
                if (!p->name) st = wf_apply_fail(a, NULL, NULL, WF_ENOMEM, "out of memory");
            } else if (!strcmp(f, "organisation")) {
                org_node = val.is_null ? NULL : fv[j];
            } else if (!strcmp(f, "start")) {
                start = val.date;
            } else if (!strcmp(f, "end")) {
                end = val.date;
                end_node = fv[j];
            } else if (!strcmp(f, "factor")) {
                p->factor = val.d;
            }
        }
        done = i + 1;
        if (st) break;
        char sub[64];
        if (end <= start) {
            char s1[16], s2[16];
            wf_fmt_date(start, s1, sizeof s1);
            wf_fmt_date(end, s2, sizeof s2);
            snprintf(sub, sizeof sub, "[%zu].end", i);
            st = wf_apply_fail(a, end_node, sub, WF_ERANGE, "end %s is not after start %s", s2, s1);
            break;
        }
        p->start = (double)(start - a->start_date);
        p->end = (double)(end - a->start_date);
        if (org_node) {
            snprintf(sub, sizeof sub, "[%zu].organisation", i);
            char d[64];
            describe(org_node, d, sizeof d);
            if (org_node->kind != WF_NODE_SCALAR || !wf_org_name_ok(org_node->text)) {
                st = wf_apply_fail(a, org_node, sub, WF_ETYPE, "expected an organisation name, got %s", d);
                break;
            }
            if (a->cfg) {
                for (int k = 0; k < WF_NKIND && p->org < 0; k++) {
                    int idx = wf_scenario_org_find(a->sc, k, org_node->text);
                    if (idx >= 0) {
                        p->org_kind = k;
                        p->org = idx;
                    }
                }
                if (p->org < 0) {
                    const char *all[256];
                    size_t na = 0;
                    for (int k = 0; k < WF_NKIND; k++)
                        for (size_t m = 0; m < a->sc->n_org[k] && na < 256; m++)
                            all[na++] = a->sc->org[k][m];
                    const char *sug = wf_suggest(org_node->text, all, na);
                    st = sug ? wf_apply_fail(a, org_node, sub, WF_EKEY,
                                             "unknown organisation '%s'; did you mean '%s'?",
                                             org_node->text, sug)
                             : wf_apply_fail(a, org_node, sub, WF_EKEY, "unknown organisation '%s'",
                                             org_node->text);
                    break;
                }
                if (p->org_kind == WF_ORG_VOLUNTARY) {
                    st = wf_apply_fail(a, org_node, sub, WF_EKEY,
                                       "'%s' is a voluntary service; workforce periods apply to "
                                       "hospitals, localities and community providers", org_node->text);
                    break;
                }
                for (int sv = 0; sv < WF_NSVC; sv++)
                    if ((p->services & (1u << sv)) && service_kind[sv] != p->org_kind) {
                        char b[24];
                        st = wf_apply_fail(a, org_node, sub, WF_EKEY,
                                           "service '%s' is not provided by %s '%s'",
                                           choice_name(svc_choices, sv, b, sizeof b),
                                           wf_kind_word[p->org_kind], org_node->text);
                        break;
                    }
                if (st) break;
            }
        }
    }
    if (st || !a->cfg) {
        for (size_t i = 0; i < done; i++) free(wp[i].name);
        free(wp);
        return st;
    }
    for (int i = 0; i < a->cfg->n_workforce; i++) free(a->cfg->workforce[i].name);
    free(a->cfg->workforce);
    a->cfg->workforce = wp;
    a->cfg->n_workforce = (int)v->n;
    return WF_OK;
}

void wf_get_workforce(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out) {
    (void)org;
    const wf_row *fr[MAX_FIELDS];
    size_t nf = wf_item_rows(r, fr, MAX_FIELDS);
    const char *choices = NULL;
    for (size_t j = 0; j < nf; j++)
        if (fr[j]->info.choices) choices = fr[j]->info.choices;
    wf_buf_puts(out, "[");
    for (int i = 0; i < c->n_workforce; i++) {
        const wf_workforce_period *p = &c->workforce[i];
        wf_buf_puts(out, i ? ", {name: " : "{name: ");
        wf_yaml_quote(p->name, out);
        wf_buf_puts(out, ", services: [");
        bool first = true;
        char b[24];
        for (int s = 0; s < WF_NSVC; s++)
            if (p->services & (1u << s)) {
                wf_buf_printf(out, "%s%s", first ? "" : ", ", choice_name(choices, s, b, sizeof b));
                first = false;
            }
        wf_buf_puts(out, "], organisation: ");
        if (p->org_kind < 0 || p->org < 0) wf_buf_puts(out, "null");
        else if (p->org_kind == WF_ORG_HOSPITAL) wf_yaml_quote(c->hospitals[p->org].name, out);
        else if (p->org_kind == WF_ORG_LOCALITY) wf_yaml_quote(c->localities[p->org].name, out);
        else wf_yaml_quote(c->community[p->org].name, out);
        wf_buf_puts(out, ", start: ");
        put_day(out, c, p->start);
        wf_buf_puts(out, ", end: ");
        put_day(out, c, p->end);
        wf_buf_puts(out, ", factor: ");
        put_real(out, p->factor);
        wf_buf_puts(out, "}");
    }
    wf_buf_puts(out, "]");
}
