/* Several results files read as one: the parts of one sweep (`sweep
 * --part K/N`, a job array's files), or any files of one system run with
 * the same seed, replicates and days. Each file is read and checked by
 * wf_results_read, alone; then the files must agree on everything but
 * their scenarios, and their scenarios are joined in the order given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "results/metrics.h"
#include "results/results.h"

/* "run_started" .. of the joined files: the earliest start, the latest
 * finish; the distinct command lines and every rerun, in order. */
enum { JOIN_FIRST, JOIN_MIN, JOIN_MAX, JOIN_LINES, JOIN_AND };

static int join_rule(const char *name)
{
    if (!strcmp(name, "run_started") || !strcmp(name, "created")) return JOIN_MIN;
    if (!strcmp(name, "run_finished")) return JOIN_MAX;
    if (!strcmp(name, "command_line")) return JOIN_LINES;
    if (!strcmp(name, "rerun")) return JOIN_AND;
    return JOIN_FIRST;
}

static char *concat(const char *a, const char *sep, const char *b)
{
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *s = malloc(la + ls + lb + 1);
    if (!s) return NULL;
    memcpy(s, a, la);
    memcpy(s + la, sep, ls);
    memcpy(s + la + ls, b, lb + 1);
    return s;
}

/* Whether line `l` is one of the lines of `text`. */
static int has_line(const char *text, const char *l)
{
    size_t n = strlen(l);
    for (const char *p = text; p; p = strchr(p, '\n')) {
        if (*p == '\n') p++;
        if (!strncmp(p, l, n) && (p[n] == '\n' || p[n] == '\0')) return 1;
    }
    return 0;
}

static int join_prov(wf_results *r, const wf_results *p)
{
    for (size_t i = 0; i + 1 < WF_NPROV; i++) {
        const char *a = r->prov[i], *b = p->prov[i];
        int rule = a ? join_rule(wf_prov_names[i]) : JOIN_FIRST;
        if (!b || (rule == JOIN_FIRST && a) || (rule == JOIN_MIN && strcmp(b, a) >= 0) ||
            (rule == JOIN_MAX && strcmp(b, a) <= 0) || (rule == JOIN_LINES && has_line(a, b)))
            continue;
        char *v = rule == JOIN_LINES ? concat(a, "\n", b) : rule == JOIN_AND ? concat(a, " && ", b) : concat(b, "", "");
        if (!v) return -1;
        free(r->prov[i]);
        r->prov[i] = v;
    }
    return 0;
}

/* What p (file `b`) must share with r (file `a`): NULL, or what differs. */
static const char *differs(const wf_results *r, const wf_results *p, char *why, size_t len)
{
    if (p->n_rep != r->n_rep) snprintf(why, len, "%zu replicates, not %zu", p->n_rep, r->n_rep);
    else if (p->n_days != r->n_days || memcmp(p->dates, r->dates, r->n_days * sizeof *r->dates))
        snprintf(why, len, "%zu days from %s, not %zu from %s", p->n_days, p->n_days ? p->dates[0] : "-",
                 r->n_days, r->n_days ? r->dates[0] : "-");
    else if (p->seed != r->seed) snprintf(why, len, "seed %lld, not %lld", (long long)p->seed, (long long)r->seed);
    else if (p->n_orgs != r->n_orgs) snprintf(why, len, "%zu organisations, not %zu", p->n_orgs, r->n_orgs);
    else if (p->n_coords != r->n_coords) snprintf(why, len, "%zu scenario coordinates, not %zu", p->n_coords, r->n_coords);
    else {
        for (size_t o = 0; o < r->n_orgs; o++)
            if (strcmp(p->org_names[o], r->org_names[o]) || strcmp(p->org_kinds[o], r->org_kinds[o])) {
                snprintf(why, len, "organisation %zu is %s (%s), not %s (%s)", o + 1, p->org_names[o],
                         p->org_kinds[o], r->org_names[o], r->org_kinds[o]);
                return why;
            }
        for (size_t c = 0; c < r->n_coords; c++)
            if (strcmp(p->coord_names[c], r->coord_names[c])) {
                snprintf(why, len, "scenario coordinate %zu is %s, not %s", c + 1, p->coord_names[c],
                         r->coord_names[c]);
                return why;
            }
        return NULL;
    }
    return why;
}

/* Append p's scenarios to r's (p is left without them). */
static wf_status append(wf_results *r, wf_results *p)
{
    size_t n = r->n_scen + p->n_scen, per_daily = WF_NMETRIC * r->n_rep * r->n_days * r->n_orgs,
           per_sum = WF_NMETRIC * r->n_rep * r->n_orgs;
    double *daily = realloc(r->daily, (n * per_daily + 1) * sizeof *daily);
    if (!daily) return WF_ENOMEM;
    r->daily = daily;
    double *sum = realloc(r->summary, (n * per_sum + 1) * sizeof *sum);
    if (!sum) return WF_ENOMEM;
    r->summary = sum;
    char **names = realloc(r->scen_names, (n + 1) * sizeof *names);
    if (!names) return WF_ENOMEM;
    r->scen_names = names;
    double *coords = malloc((r->n_coords * n + 1) * sizeof *coords);
    if (!coords) return WF_ENOMEM;
    char **yaml = NULL;
    if (r->scen_yaml && p->scen_yaml && !(yaml = realloc(r->scen_yaml, (n + 1) * sizeof *yaml))) {
        free(coords);
        return WF_ENOMEM;
    }
    /* from here on nothing fails */
    memcpy(daily + r->n_scen * per_daily, p->daily, p->n_scen * per_daily * sizeof *daily);
    memcpy(sum + r->n_scen * per_sum, p->summary, p->n_scen * per_sum * sizeof *sum);
    for (size_t c = 0; c < r->n_coords; c++) {
        memcpy(coords + c * n, r->coord_values + c * r->n_scen, r->n_scen * sizeof *coords);
        memcpy(coords + c * n + r->n_scen, p->coord_values + c * p->n_scen, p->n_scen * sizeof *coords);
    }
    free(r->coord_values);
    r->coord_values = coords;
    if (yaml) {
        r->scen_yaml = yaml;
    } else if (r->scen_yaml) {  /* a file without the stored scenarios: none are kept */
        for (size_t i = 0; i < r->n_scen; i++) free(r->scen_yaml[i]);
        free(r->scen_yaml);
        r->scen_yaml = NULL;
    }
    for (size_t i = 0; i < p->n_scen; i++) {
        names[r->n_scen + i] = p->scen_names[i];
        p->scen_names[i] = NULL;
        if (yaml) {
            yaml[r->n_scen + i] = p->scen_yaml[i];
            p->scen_yaml[i] = NULL;
        }
    }
    r->n_scen = n;
    return WF_OK;
}

wf_status wf_results_read_parts(wf_results *r, const char *const *paths, size_t n)
{
    if (!r) return WF_EINVAL;
    if (!paths || n == 0) {
        wf_results_clear(r);
        snprintf(r->err, sizeof r->err, "no results files named");
        return WF_EINVAL;
    }
    wf_status st = wf_results_read(r, paths[0]);
    if (st != WF_OK || n == 1) return st;
    wf_results *p = wf_results_create();
    wf_strmap seen = {0};
    char why[512];
    if (!p) st = WF_ENOMEM;
    int added = 0;
    for (size_t i = 0; st == WF_OK && i < r->n_scen; i++)
        if (!wf_strmap_put(&seen, r->scen_names[i], 0, &added)) st = WF_ENOMEM;
    for (size_t f = 1; st == WF_OK && f < n; f++) {
        if ((st = wf_results_read(p, paths[f])) != WF_OK) {
            snprintf(r->err, sizeof r->err, "%s", p->err);
            break;
        }
        if (differs(r, p, why, sizeof why)) {
            snprintf(r->err, sizeof r->err, "%s: not a part of the same study as %s: %s", paths[f], paths[0], why);
            st = WF_EINVAL;
            break;
        }
        for (size_t i = 0; st == WF_OK && i < p->n_scen; i++) {
            size_t *at = wf_strmap_put(&seen, p->scen_names[i], f, &added);
            if (!at) {
                st = WF_ENOMEM;
            } else if (!added) {
                snprintf(r->err, sizeof r->err, "%s: scenario '%s' is also in %s (a file given twice, or parts "
                         "of different sweeps?)", paths[f], p->scen_names[i], paths[*at]);
                st = WF_EINVAL;
            }
        }
        if (st == WF_OK && ((st = append(r, p)) != WF_OK || join_prov(r, p))) st = WF_ENOMEM;
    }
    if (st == WF_ENOMEM) snprintf(r->err, sizeof r->err, "out of memory reading %zu results files", n);
    wf_strmap_free(&seen);
    wf_results_destroy(p);
    if (st != WF_OK) wf_results_clear_failed(r);
    return st;
}
