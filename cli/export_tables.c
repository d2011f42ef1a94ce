/*
 * The tidy tables of a results file (cli/export.h): one row per value,
 * every number from the library (wf_results_stat, wf_results_paired, the
 * daily series as stored), units beside them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"

typedef struct {
    const wf_results *r;
    const export_sink *k;
    const size_t *metrics;
    size_t nm;
} tables;

#define CALL(x) \
    do {        \
        if (x) return -1; \
    } while (0)

static size_t metric_at(const tables *t, size_t i) { return t->metrics ? t->metrics[i] : i; }

/* Does metric m apply to organisation org (a replicate has a value)? */
static int applies(const tables *t, size_t m, size_t org)
{
    wf_stat st;
    return wf_results_stat(t->r, 0, m, org, &st) == WF_OK && st.n > 0;
}

static int row_text(const tables *t, const char *item, const char *scenario, const char *value)
{
    const export_sink *k = t->k;
    if (!value) return 0;
    CALL(k->text(k->user, item));
    CALL(k->text(k->user, scenario ? scenario : ""));
    CALL(k->text(k->user, value));
    return k->end_row(k->user);
}

static int provenance(const tables *t, const char *source)
{
    static const char *const cols[] = {"item", "scenario", "value"};
    const wf_results *r = t->r;
    char buf[64];
    CALL(t->k->table(t->k->user, "provenance", cols, 3));
    CALL(row_text(t, "results file", NULL, source));
    CALL(row_text(t, "file format", NULL, wf_results_provenance(r, "winterflow_file_format")));
    CALL(row_text(t, "winterflow version (file)", NULL, wf_results_provenance(r, "winterflow_version")));
    CALL(row_text(t, "winterflow version (export)", NULL, wf_version()));
    snprintf(buf, sizeof buf, "%lld", (long long)wf_results_seed(r));
    CALL(row_text(t, "seed", NULL, buf));
    snprintf(buf, sizeof buf, "%zu", wf_results_n_replicates(r));
    CALL(row_text(t, "replicates", NULL, buf));
    snprintf(buf, sizeof buf, "%zu", wf_results_n_days(r));
    CALL(row_text(t, "measured days", NULL, buf));
    CALL(row_text(t, "first day", NULL, wf_results_date(r, 0)));
    CALL(row_text(t, "last day", NULL, wf_results_date(r, wf_results_n_days(r) - 1)));
    CALL(row_text(t, "command", NULL, wf_results_provenance(r, "command_line")));
    CALL(row_text(t, "rerun", NULL, wf_results_provenance(r, "rerun")));
    CALL(row_text(t, "created", NULL, wf_results_provenance(r, "created")));
    for (size_t s = 0; s < wf_results_n_scenarios(r); s++)
        CALL(row_text(t, "scenario YAML", wf_results_scenario_name(r, s), wf_results_scenario_yaml(r, s)));
    return 0;
}

static int metrics(const tables *t)
{
    static const char *const cols[] = {"metric", "unit", "kind", "doc"};
    const export_sink *k = t->k;
    CALL(k->table(k->user, "metrics", cols, 4));
    for (size_t i = 0; i < t->nm; i++) {
        size_t m = metric_at(t, i);
        CALL(k->text(k->user, wf_metric_name(m)));
        CALL(k->text(k->user, wf_metric_unit(m)));
        CALL(k->text(k->user, wf_metric_kind_of(m) == WF_METRIC_TOTAL ? "total" : "mean"));
        CALL(k->text(k->user, wf_metric_doc(m)));
        CALL(k->end_row(k->user));
    }
    return 0;
}

static int stat_cells(const export_sink *k, const wf_stat *st)
{
    CALL(k->number(k->user, st->mean));
    CALL(k->number(k->user, st->lo));
    CALL(k->number(k->user, st->hi));
    CALL(k->number(k->user, (double)st->n));
    return k->end_row(k->user);
}

/* summaries (paired = 0) or differences from the first scenario */
static int stats(const tables *t, int paired)
{
    static const char *const scols[] = {"scenario", "organisation", "kind", "metric", "unit", "mean", "lo", "hi", "n"};
    static const char *const dcols[] = {"scenario", "baseline", "organisation", "kind", "metric", "unit",
                                        "mean", "lo", "hi", "n"};
    const wf_results *r = t->r;
    const export_sink *k = t->k;
    size_t ns = wf_results_n_scenarios(r), no = wf_results_n_orgs(r);
    if (paired && ns < 2) return 0;
    CALL(k->table(k->user, paired ? "differences" : "summaries", paired ? dcols : scols, paired ? 10 : 9));
    for (size_t s = paired ? 1 : 0; s < ns; s++)
        for (size_t j = 0; j < no; j++) {
            size_t org = cli_org_at(r, j);
            for (size_t i = 0; i < t->nm; i++) {
                size_t m = metric_at(t, i);
                if (!applies(t, m, org)) continue;
                wf_stat st;
                wf_status e = paired ? wf_results_paired(r, 0, s, m, org, &st) : wf_results_stat(r, s, m, org, &st);
                if (e != WF_OK) continue;
                CALL(k->text(k->user, wf_results_scenario_name(r, s)));
                if (paired) CALL(k->text(k->user, wf_results_scenario_name(r, 0)));
                CALL(k->text(k->user, wf_results_org_name(r, org)));
                CALL(k->text(k->user, wf_results_org_kind(r, org)));
                CALL(k->text(k->user, wf_metric_name(m)));
                CALL(k->text(k->user, wf_metric_unit(m)));
                CALL(stat_cells(k, &st));
            }
        }
    return 0;
}

static int daily(const tables *t)
{
    static const char *const cols[] = {"scenario", "replicate", "date", "organisation", "metric", "unit", "value"};
    const wf_results *r = t->r;
    const export_sink *k = t->k;
    size_t ns = wf_results_n_scenarios(r), nr = wf_results_n_replicates(r), nd = wf_results_n_days(r),
           no = wf_results_n_orgs(r);
    unsigned char *use = malloc(t->nm * no + 1);
    if (!use) return -1;
    for (size_t i = 0; i < t->nm; i++)
        for (size_t j = 0; j < no; j++) use[i * no + j] = (unsigned char)applies(t, metric_at(t, i), cli_org_at(r, j));
    int rc = k->table(k->user, "daily", cols, 7);
    for (size_t s = 0; !rc && s < ns; s++)
        for (size_t rep = 0; !rc && rep < nr; rep++)
            for (size_t d = 0; !rc && d < nd; d++)
                for (size_t j = 0; !rc && j < no; j++) {
                    size_t org = cli_org_at(r, j);
                    for (size_t i = 0; !rc && i < t->nm; i++) {
                        if (!use[i * no + j]) continue;
                        size_t m = metric_at(t, i);
                        const double *v = wf_results_daily(r, s, m);
                        rc = k->text(k->user, wf_results_scenario_name(r, s)) || k->number(k->user, (double)rep) ||
                             k->date(k->user, wf_results_date(r, d)) || k->text(k->user, wf_results_org_name(r, org)) ||
                             k->text(k->user, wf_metric_name(m)) || k->text(k->user, wf_metric_unit(m)) ||
                             k->number(k->user, v[(rep * nd + d) * no + org]) || k->end_row(k->user);
                    }
                }
    free(use);
    return rc ? -1 : 0;
}

int export_tables(const wf_results *r, const char *source, const size_t *ms, size_t n_metrics, const export_sink *k)
{
    tables t = {r, k, n_metrics ? ms : NULL, n_metrics ? n_metrics : wf_metric_count()};
    CALL(provenance(&t, source));
    CALL(metrics(&t));
    CALL(stats(&t, 0));
    CALL(stats(&t, 1));
    return daily(&t);
}
