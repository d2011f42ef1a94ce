/* Sweep designs: lists, stepped ranges, full grids, Latin hypercubes and
 * CSV files, as a table of points x keys of YAML value texts. The CLI only
 * builds the texts; the library checks keys, types and bounds when each
 * value is set (wf_scenario_set) and validated. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Split `s` at top-level commas (not inside [] {} or quotes). */
static int split_list(const char *s, char ***out, size_t *n)
{
    size_t cap = 8, k = 0;
    char **v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    int depth = 0;
    char quote = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        char c = *p;
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\0')
                quote = 0, p--;  /* unbalanced: end of string ends it */
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
            while (len && isspace((unsigned char)*start))
                start++, len--;
            while (len && isspace((unsigned char)start[len - 1]))
                len--;
            if (k == cap) {
                char **nv = realloc(v, 2 * cap * sizeof *v);
                if (!nv)
                    goto oom;
                v = nv;
                cap *= 2;
            }
            v[k] = malloc(len + 1);
            if (!v[k])
                goto oom;
            memcpy(v[k], start, len);
            v[k][len] = '\0';
            k++;
            if (c == '\0')
                break;
            start = p + 1;
        }
    }
    *out = v;
    *n = k;
    return 0;
oom:
    for (size_t i = 0; i < k; i++)
        free(v[i]);
    free(v);
    return -1;
}

/* A number and the digits after its decimal point (-1: exponent form). */
static int parse_number(const char *s, double *x, int *decimals)
{
    if (!*s || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    *x = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(*x))
        return -1;
    const char *dot = strchr(s, '.');
    if (strpbrk(s, "eE"))
        *decimals = -1;
    else
        *decimals = dot ? (int)strlen(dot + 1) : 0;
    return 0;
}

static void fmt_value(char *buf, size_t len, double x, int decimals)
{
    if (decimals < 0)
        snprintf(buf, len, "%.6g", x);
    else
        snprintf(buf, len, "%.*f", decimals, x);
    if (!strncmp(buf, "-0", 2) && strspn(buf + 2, ".0") == strlen(buf + 2))
        memmove(buf, buf + 1, strlen(buf));
}

void cli_vary_free(cli_vary *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->values[i]);
    free(v->values);
    free(v->key);
    memset(v, 0, sizeof *v);
}

int cli_vary_parse(const char *verb, const char *arg, cli_vary *v)
{
    memset(v, 0, sizeof *v);
    const char *eq = arg ? strchr(arg, '=') : NULL;
    if (!arg)
        return cli_usage_error(verb, "--vary needs KEY=VALUES, e.g. "
                               "--vary partnership.pooled_capacity=0,0.5,1");
    if (!eq || eq == arg)
        return cli_usage_error(verb, "--vary '%s': expected KEY=a,b,c (a list) or "
                               "KEY=lo:hi:step (a range), e.g. "
                               "--vary hospitals.city.beds=1000:1200:50", arg);
    const char *spec = eq + 1;
    v->key = malloc((size_t)(eq - arg) + 1);
    if (!v->key)
        goto oom;
    memcpy(v->key, arg, (size_t)(eq - arg));
    v->key[eq - arg] = '\0';

    /* A range has colons outside brackets and quotes and numbers around them. */
    int depth = 0, colons = 0;
    for (const char *p = spec; *p; p++) {
        if (*p == '[' || *p == '{') depth++;
        else if ((*p == ']' || *p == '}') && depth) depth--;
        else if (*p == '"' || *p == '\'') { colons = -100; break; }
        else if (*p == ':' && depth == 0) colons++;
    }
    if (colons == 1 || colons == 2) {
        char buf[3][64];
        const char *p = spec;
        int dec[3] = {0, 0, 0};
        double x[3] = {0, 0, 0};
        for (int k = 0; k <= colons; k++) {
            size_t len = strcspn(p, ":");
            if (len >= sizeof buf[k] || parse_number((memcpy(buf[k], p, len), buf[k][len] = '\0', buf[k]),
                                                     &x[k], &dec[k])) {
                int rc = cli_usage_error(verb, "--vary %s: '%s' is not a range: expected "
                                         "lo:hi:step with numbers, e.g. 300:600:50", arg, spec);
                cli_vary_free(v);
                return rc;
            }
            p += len + (p[len] == ':');
        }
        v->is_range = 1;
        v->lo = x[0];
        v->hi = x[1];
        v->step = colons == 2 ? x[2] : 0;
        if (v->lo > v->hi) {
            int rc = cli_usage_error(verb, "--vary %s: the range starts above its end (%s > %s); "
                                     "expected lo:hi:step with lo <= hi", arg, buf[0], buf[1]);
            cli_vary_free(v);
            return rc;
        }
        if (colons == 2 && !(v->step > 0)) {
            int rc = cli_usage_error(verb, "--vary %s: the step must be positive, got '%s'",
                                     arg, buf[2]);
            cli_vary_free(v);
            return rc;
        }
        v->decimals = dec[0];
        for (int k = 1; k <= colons; k++)
            if (dec[k] < 0 || v->decimals < 0) v->decimals = -1;
            else if (dec[k] > v->decimals) v->decimals = dec[k];
        if (colons == 2) {
            double count = floor((v->hi - v->lo) / v->step * (1 + 1e-12) + 1e-9) + 1;
            if (count > CLI_MAX_SCENARIOS) {
                int rc = cli_usage_error(verb, "--vary %s: %.0f values, more than the %d "
                                         "scenarios a sweep may have; use a larger step",
                                         arg, count, CLI_MAX_SCENARIOS);
                cli_vary_free(v);
                return rc;
            }
            v->n = (size_t)count;
            v->values = calloc(v->n, sizeof *v->values);
            if (!v->values)
                goto oom;
            for (size_t i = 0; i < v->n; i++) {
                char t[64];
                fmt_value(t, sizeof t, v->lo + (double)i * v->step, v->decimals);
                if (!(v->values[i] = cli_strdup(t)))
                    goto oom;
            }
        }
        return EXIT_OK;
    }
    if (split_list(spec, &v->values, &v->n))
        goto oom;
    for (size_t i = 0; i < v->n; i++) {
        if (!v->values[i][0]) {
            int rc = cli_usage_error(verb, "--vary %s: %s; expected KEY=a,b,c with no empty "
                                     "values (use '' for an empty string, [] for an empty list)",
                                     arg, v->n == 1 ? "no values" : "an empty value in the list");
            cli_vary_free(v);
            return rc;
        }
    }
    if (v->n > CLI_MAX_SCENARIOS) {
        int rc = cli_usage_error(verb, "--vary %s: more than %d values", v->key, CLI_MAX_SCENARIOS);
        cli_vary_free(v);
        return rc;
    }
    return EXIT_OK;
oom:
    cli_error("out of memory");
    cli_vary_free(v);
    return EXIT_RUN;
}

void cli_design_free(cli_design *d)
{
    if (d->cells)
        for (size_t i = 0; i < d->npoints * d->nkeys; i++)
            free(d->cells[i]);
    free(d->cells);
    if (d->keys)
        for (size_t k = 0; k < d->nkeys; k++)
            free(d->keys[k]);
    free(d->keys);
    memset(d, 0, sizeof *d);
}

/* splitmix64: the design's own generator (the model's streams are the
 * library's; this only places the hypercube's points). */
static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform01(uint64_t *s)
{
    return (double)(splitmix(s) >> 11) * 0x1.0p-53;
}

int cli_design_build(const char *verb, cli_design *d, const cli_vary *v, size_t nv,
                     size_t samples, uint64_t seed)
{
    memset(d, 0, sizeof *d);
    if (nv == 0)
        return cli_usage_error(verb, "nothing to sweep: give --vary KEY=VALUES or "
                               "--design-file FILE.csv");
    if (nv > 64)
        return cli_usage_error(verb, "%zu --vary options: at most 64", nv);
    for (size_t j = 0; j < nv; j++)
        for (size_t k = 0; k < j; k++)
            if (!strcmp(v[j].key, v[k].key))
                return cli_usage_error(verb, "--vary %s is given twice; give its values once",
                                       v[j].key);
    /* Points: the product of the lists (and stepped ranges, in a grid), times
     * the samples of a hypercube. */
    double total = samples ? (double)samples : 1;
    size_t nranges = 0;
    for (size_t j = 0; j < nv; j++) {
        if (v[j].is_range && samples) {
            nranges++;
            continue;
        }
        if (v[j].is_range && v[j].step == 0)
            return cli_usage_error(verb, "--vary %s=%g:%g has no step: a grid needs "
                                   "lo:hi:step, or sample the range with --samples N "
                                   "(Latin hypercube)", v[j].key, v[j].lo, v[j].hi);
        total *= (double)v[j].n;
    }
    if (samples && nranges == 0)
        return cli_usage_error(verb, "--samples (Latin hypercube) needs at least one "
                               "--vary KEY=lo:hi range");
    if (total > CLI_MAX_SCENARIOS)
        return cli_usage_error(verb, "the design has %.0f scenarios, more than the %d a "
                               "sweep may have; use fewer values or split the sweep",
                               total, CLI_MAX_SCENARIOS);
    d->nkeys = nv;
    d->npoints = (size_t)total;
    d->keys = calloc(nv, sizeof *d->keys);
    d->cells = calloc(d->npoints * nv, sizeof *d->cells);
    double *lhs = samples && nranges ? malloc(samples * nranges * sizeof *lhs) : NULL;
    size_t *perm = samples ? malloc(samples * sizeof *perm) : NULL;
    if (!d->keys || !d->cells || (samples && (!lhs || !perm)))
        goto oom;
    for (size_t j = 0; j < nv; j++)
        if (!(d->keys[j] = cli_strdup(v[j].key)))
            goto oom;

    /* The hypercube: for each range, a random permutation of the strata and
     * a uniform point in each stratum. */
    if (samples) {
        uint64_t state = seed ^ 0x5eedf00dcafeULL;
        size_t r = 0;
        for (size_t j = 0; j < nv; j++) {
            if (!v[j].is_range)
                continue;
            for (size_t i = 0; i < samples; i++)
                perm[i] = i;
            for (size_t i = samples; i > 1; i--) {
                size_t k = (size_t)(uniform01(&state) * (double)i);
                size_t t = perm[i - 1];
                perm[i - 1] = perm[k];
                perm[k] = t;
            }
            for (size_t i = 0; i < samples; i++)
                lhs[i * nranges + r] = ((double)perm[i] + uniform01(&state)) / (double)samples;
            r++;
        }
    }

    for (size_t p = 0; p < d->npoints; p++) {
        size_t rest = p, sample = 0;
        if (samples) {
            sample = rest % samples;
            rest /= samples;
        }
        /* Lists: the last --vary varies fastest (before the samples). */
        size_t idx[64] = {0};
        for (size_t j = nv; j-- > 0;) {
            if (v[j].is_range && samples)
                continue;
            idx[j % 64] = rest % v[j].n;
            rest /= v[j].n;
        }
        size_t r = 0;
        for (size_t j = 0; j < nv; j++) {
            char t[64];
            const char *text;
            if (v[j].is_range && samples) {
                double x = v[j].lo + lhs[sample * nranges + r++] * (v[j].hi - v[j].lo);
                int dec = v[j].decimals;
                if (v[j].step > 0)
                    x = v[j].lo + floor((x - v[j].lo) / v[j].step) * v[j].step;
                const wf_param_info *pi = wf_param_for_key(v[j].key);
                if (pi && pi->type && !strcmp(pi->type, "int")) {
                    x = floor(x + 0.5);
                    dec = 0;
                } else if (v[j].step == 0) {
                    dec = -1;
                }
                fmt_value(t, sizeof t, x, dec);
                text = t;
            } else {
                text = v[j].values[idx[j % 64]];
            }
            if (!(d->cells[p * nv + j] = cli_strdup(text)))
                goto oom;
        }
    }
    free(lhs);
    free(perm);
    return EXIT_OK;
oom:
    free(lhs);
    free(perm);
    cli_design_free(d);
    cli_error("out of memory");
    return EXIT_RUN;
}

/* One CSV record: fields separated by commas, optionally quoted with ""
 * escapes. Returns the number of fields (or -1 at end of file), the fields
 * in *out (malloc). */
static long csv_record(FILE *f, char ***out, int *quoted_empty)
{
    size_t cap = 8, n = 0, blen = 0, bcap = 64;
    char **v = malloc(cap * sizeof *v);
    char *b = malloc(bcap);
    int c = fgetc(f), inq = 0, any = 0;
    *quoted_empty = 0;
    if (!v || !b)
        goto oom;
    if (c == EOF) {
        free(v);
        free(b);
        return -1;
    }
    for (;; c = fgetc(f)) {
        if (inq) {
            if (c == EOF) {
                inq = 0;
            } else if (c == '"') {
                int d = fgetc(f);
                if (d == '"') {
                    c = '"';
                } else {
                    ungetc(d, f);
                    inq = 0;
                    continue;
                }
            }
        }
        if (!inq && (c == ',' || c == '\n' || c == EOF)) {
            while (blen && (b[blen - 1] == '\r' ||
                            (!any && (b[blen - 1] == ' ' || b[blen - 1] == '\t'))))
                blen--;
            b[blen] = '\0';
            if (n == cap) {
                char **nv = realloc(v, 2 * cap * sizeof *v);
                if (!nv)
                    goto oom;
                v = nv;
                cap *= 2;
            }
            if (!(v[n++] = cli_strdup(b)))
                goto oom;
            blen = 0;
            any = 0;
            if (c != ',')
                break;
            continue;
        }
        if (!inq && c == '"' && blen == 0) {
            inq = 1;
            any = 1;
            *quoted_empty = 1;
            continue;
        }
        if (!inq && blen == 0 && (c == ' ' || c == '\t'))
            continue;
        if (blen + 2 > bcap) {
            char *nb = realloc(b, bcap *= 2);
            if (!nb)
                goto oom;
            b = nb;
        }
        b[blen++] = (char)c;
    }
    free(b);
    *out = v;
    return (long)n;
oom:
    if (v)
        for (size_t i = 0; i < n; i++)
            free(v[i]);
    free(v);
    free(b);
    return -2;
}

static void free_fields(char **v, long n)
{
    for (long i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int cli_design_read_csv(const char *verb, cli_design *d, const char *path)
{
    memset(d, 0, sizeof *d);
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error("--design-file %s: cannot open: %s", path, strerror(errno));
        return EXIT_IO;
    }
    char **hdr = NULL;
    int qe = 0, rc = EXIT_OK;
    long nk = csv_record(f, &hdr, &qe);
    if (nk == -2)
        goto oom;
    if (nk <= 0 || (nk == 1 && !hdr[0][0])) {
        if (nk > 0)
            free_fields(hdr, nk);
        fclose(f);
        return cli_usage_error(verb, "--design-file %s: empty; expected a header line of "
                               "keys, then one scenario per line", path);
    }
    for (long k = 0; k < nk; k++) {
        if (!hdr[k][0] || strchr(hdr[k], '=')) {
            rc = cli_usage_error(verb, "--design-file %s: line 1, column %ld: '%s' is not a "
                                 "key; the header names the keys, e.g. "
                                 "partnership.pooled_capacity,hospitals.city.beds",
                                 path, k + 1, hdr[k]);
            goto fail;
        }
        for (long j = 0; j < k; j++)
            if (!strcmp(hdr[j], hdr[k])) {
                rc = cli_usage_error(verb, "--design-file %s: line 1: the key %s is given "
                                     "twice", path, hdr[k]);
                goto fail;
            }
    }
    d->nkeys = (size_t)nk;
    d->keys = hdr;
    hdr = NULL;
    size_t cap = 0;
    for (long line = 2;; line++) {
        char **row = NULL;
        long n = csv_record(f, &row, &qe);
        if (n == -1)
            break;
        if (n == -2)
            goto oom;
        if (n == 1 && !row[0][0] && !qe) {  /* a blank line */
            free_fields(row, n);
            continue;
        }
        if (n != nk) {
            free_fields(row, n);
            rc = cli_usage_error(verb, "--design-file %s: line %ld has %ld field%s, the header "
                                 "%ld; give one value per key (quote values with commas)",
                                 path, line, n, n == 1 ? "" : "s", nk);
            goto fail;
        }
        if (d->npoints >= CLI_MAX_SCENARIOS) {
            free_fields(row, n);
            rc = cli_usage_error(verb, "--design-file %s: more than %d scenarios", path,
                                 CLI_MAX_SCENARIOS);
            goto fail;
        }
        if (d->npoints == cap) {
            cap = cap ? 2 * cap : 64;
            char **nc = realloc(d->cells, cap * d->nkeys * sizeof *nc);
            if (!nc) {
                free_fields(row, n);
                goto oom;
            }
            d->cells = nc;
        }
        for (long k = 0; k < n; k++) {
            if (!row[k][0]) {  /* empty: leave the key as it is */
                free(row[k]);
                row[k] = NULL;
            }
            d->cells[d->npoints * d->nkeys + (size_t)k] = row[k];
        }
        free(row);
        d->npoints++;
    }
    if (ferror(f)) {
        cli_error("--design-file %s: read error", path);
        rc = EXIT_IO;
        goto fail;
    }
    fclose(f);
    if (d->npoints == 0) {
        cli_design_free(d);
        return cli_usage_error(verb, "--design-file %s: no scenarios after the header line",
                               path);
    }
    return EXIT_OK;
oom:
    cli_error("out of memory");
    rc = EXIT_RUN;
fail:
    if (hdr)
        free_fields(hdr, nk);
    fclose(f);
    cli_design_free(d);
    return rc;
}

char *cli_design_label(const cli_design *d, size_t i)
{
    size_t len = 1;
    for (size_t k = 0; k < d->nkeys; k++) {
        const char *c = d->cells[i * d->nkeys + k];
        if (c)
            len += strlen(d->keys[k]) + strlen(c) + 3;
    }
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t k = 0; k < d->nkeys; k++) {
        const char *c = d->cells[i * d->nkeys + k];
        if (!c)
            continue;
        if (s[0])
            strcat(s, ", ");
        strcat(s, d->keys[k]);
        strcat(s, "=");
        strcat(s, c);
    }
    return s;
}
