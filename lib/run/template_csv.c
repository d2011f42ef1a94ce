/* wf_template_read_csv: the organisations of a new system from a small CSV
 * table (`winterflow init --from orgs.csv`), read with the library's one
 * CSV reader (csv.c), each row given to wf_template_add:
 *
 *     kind,name,beds,population
 *     hospital,general,900,
 *     council,town,,350000
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "params/params.h"
#include "run/csv.h"

#define MAX_ROWS 10000

/* The size columns, one per kind (wf_org_kind order). */
static const char *const size_col[4] = {"beds", "population", "intermediate_care_beds", "places"};

static int kind_of(const char *s) {
    static const struct { const char *name; int kind; } k[] = {
        {"hospital", WF_ORG_HOSPITAL}, {"locality", WF_ORG_LOCALITY}, {"council", WF_ORG_LOCALITY},
        {"community", WF_ORG_COMMUNITY}, {"voluntary", WF_ORG_VOLUNTARY}};
    for (size_t i = 0; s && i < sizeof k / sizeof k[0]; i++)
        if (!strcasecmp(s, k[i].name)) return k[i].kind;
    return -1;
}

wf_status wf_template_read_csv(wf_template *t, const char *path) {
    if (!t) return WF_EINVAL;
    char err[1024];
    wf_csv c = {0};
    wf_status st = wf_csv_read(path ? path : "", 16, MAX_ROWS, &c, err, sizeof err);
    if (st) {
        wf_template_set_error(t, err);
        return st;
    }
    int col_kind = -1, col_name = -1, col_size[4] = {-1, -1, -1, -1};
    for (size_t j = 0; j < c.cols && !st; j++) {
        const char *h = c.header[j] ? c.header[j] : "";
        int known = 0;
        if (!strcmp(h, "kind")) col_kind = (int)j, known = 1;
        if (!strcmp(h, "name")) col_name = (int)j, known = 1;
        for (int k = 0; k < 4; k++)
            if (!strcmp(h, size_col[k])) col_size[k] = (int)j, known = 1;
        if (!known) {
            snprintf(err, sizeof err, "%s: line 1: unknown column '%.60s'; expected kind, name, "
                     "beds, population, intermediate_care_beds, places", path, h);
            st = WF_EPARSE;
        }
    }
    if (!st && (col_kind < 0 || col_name < 0)) {
        snprintf(err, sizeof err, "%s: line 1: the header needs the columns kind and name", path);
        st = WF_EPARSE;
    }
    for (size_t i = 0; i < c.rows && !st; i++) {
        char *const *row = c.cells + i * c.cols;
        const char *kind = row[col_kind], *name = row[col_name];
        int k = kind_of(kind);
        if (k < 0) {
            snprintf(err, sizeof err, "%s: line %zu: kind '%.40s': expected hospital, council "
                     "(or locality), community or voluntary", path, c.line[i], kind ? kind : "");
            st = WF_EPARSE;
            break;
        }
        double size = NAN;
        for (int s = 0; s < 4 && !st; s++) {
            const char *v = col_size[s] >= 0 ? row[col_size[s]] : NULL;
            if (!v || !*v) continue;
            char *end;
            double x = strtod(v, &end);
            if (s != k) {
                snprintf(err, sizeof err, "%s: line %zu: %s '%s' has a %s; it is the size of a %s",
                         path, c.line[i], wf_org_kind_name((wf_org_kind)k), name ? name : "",
                         size_col[s], wf_org_kind_name((wf_org_kind)s));
                st = WF_EPARSE;
            } else if (*end || !isfinite(x)) {
                snprintf(err, sizeof err, "%s: line %zu: %s '%.40s': not a number", path,
                         c.line[i], size_col[s], v);
                st = WF_EPARSE;
            } else {
                size = x;
            }
        }
        if (st) break;
        wf_status a = wf_template_add(t, (wf_org_kind)k, name ? name : "", size);
        if (a) {
            snprintf(err, sizeof err, "%s: line %zu: %s", path, c.line[i], wf_template_error(t));
            st = a == WF_ENOMEM ? a : WF_EPARSE;
        }
    }
    if (st) wf_template_set_error(t, err);
    wf_csv_free(&c);
    return st;
}
