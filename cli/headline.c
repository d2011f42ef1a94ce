/*
 * What run and compare print first (the headline: the library's
 * wf_metric_headline), which metrics their tables show after it (--full,
 * --metric), whose count each row is (wf_metric_perspective: a locality's
 * copy of hospital metrics is its residents' stays again, never to be
 * added to the hospitals'), and the warning after a run whose ED queue was
 * still growing at its end (metric ed_queue_growing).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_check_metric(const char *verb, const char *v)
{
    if (wf_metric_find(v) != WF_NOT_FOUND)
        return EXIT_OK;
    const char *best = wf_metric_suggest(v);
    if (best)
        return cli_usage_error(verb, "--metric '%s': no such output; did you mean '%s'? (every "
                               "name: 'winterflow %s ... --full', docs/results-file.md)", v, best, verb);
    return cli_usage_error(verb, "--metric '%s': expected an output name such as delayed_bed_days, "
                           "waits_over_12h or cost (every name: docs/results-file.md)", v);
}

int cli_show_tables(const cli_show *s)
{
    return s->full || s->metrics.n > 0;
}

int cli_show_metric(const cli_show *s, size_t m)
{
    if (s->full || !s->metrics.n)
        return 1;
    for (size_t i = 0; i < s->metrics.n; i++)
        if (wf_metric_find(s->metrics.v[i]) == m)
            return 1;
    return 0;
}

int cli_show_check(const char *verb, const cli_show *s)
{
    if (s->full && s->metrics.n)
        return cli_usage_error(verb, "--full shows every metric and --metric some: give one of them");
    return EXIT_OK;
}

void cli_show_hint(FILE *f)
{
    fputs("\nEvery metric of every organisation: --full; chosen ones: --metric NAME\n"
          "(repeatable). A council's rows of hospital metrics count the same patients\n"
          "again, by home council: never add them to the hospitals'.\n", f);
}

const char *cli_perspective(const wf_results *r, size_t m, size_t org)
{
    const char *kind = wf_results_org_kind(r, org);
    for (int k = 0; kind && k < WF_ORG_NKINDS; k++)
        if (!strcmp(kind, wf_org_kind_name((wf_org_kind)k)))
            return wf_metric_perspective(m, (wf_org_kind)k);
    return NULL;
}

int cli_home_council(const wf_results *r, size_t m, size_t org)
{
    const char *p = cli_perspective(r, m, org);
    return p && !strcmp(p, "home_council");
}

void cli_home_council_heading(FILE *f)
{
    fputs("  by home council: its residents' hospital stays, counted again (the same\n"
          "  patients as the hospitals' rows: never add the two)\n", f);
}

size_t cli_queue_growing(const wf_results *r, size_t sc, size_t *where)
{
    size_t m = wf_metric_find("ed_queue_growing"), worst = 0, reps = wf_results_n_replicates(r);
    size_t norgs = wf_results_n_orgs(r);
    *where = WF_NOT_FOUND;
    const double *x = m == WF_NOT_FOUND ? NULL : wf_results_summary(r, sc, m);
    if (!x)
        return 0;
    /* each hospital's flag; the system's when no hospital's is set */
    size_t sys = wf_results_org_find(r, "system");
    for (int pass = 0; pass < 2 && !worst; pass++)
        for (size_t o = 0; o < norgs; o++) {
            if ((o == sys) != (pass == 1))
                continue;
            size_t k = 0;
            for (size_t i = 0; i < reps; i++)
                k += x[i * norgs + o] == 1.0;
            if (k > worst)
                worst = k, *where = o;
        }
    return worst;
}

void cli_warn_queue_growing(const wf_results *r, const char *const *labels)
{
    for (size_t sc = 0; sc < wf_results_n_scenarios(r); sc++) {
        size_t org, k = cli_queue_growing(r, sc, &org);
        if (!k)
            continue;
        const char *who = wf_results_org_name(r, org);
        fprintf(stderr, "winterflow: warning: %s%sthe ED queue %s%s was still growing at the end "
                "of the run in %zu of %zu replicates: the beds cannot keep up with the demand, "
                "and the results depend on the length of the run (metric ed_queue_growing)\n",
                labels ? labels[sc] : "", labels ? ": " : "",
                strcmp(who, "system") ? "at " : "of the ", strcmp(who, "system") ? who : "system",
                k, wf_results_n_replicates(r));
    }
}
