/* Directional properties on the reference model, each a paired comparison
 * of two scenarios run in ONE wf_run (common random numbers: the same
 * patients in both), judged by the 95% interval of the paired difference
 * (wf_results_paired: b - a over replicates).
 *
 *   (a) more home care workers lower delayed bed-days where home care
 *       binds, and change little where it does not;
 *   (b) the integrated partnership preset lowers delayed bed-days and
 *       12-hour ED waits against the fragmented preset. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine_util.h"

enum { DAYS = 122, WARM = 28, REPS = 6 }; /* October to January: the winter peak */

static wf_scenario *reference(void)
{
    wf_scenario *s = eu_file(REF_MODEL);
    char v[32];
    snprintf(v, sizeof v, "%d", DAYS);
    eu_set(s, "run.days", v);
    snprintf(v, sizeof v, "%d", WARM);
    eu_set(s, "run.warmup_days", v);
    return s;
}

/* Every council's home care workforce (home_care_posts) x factor. */
static int scale_home_care(wf_scenario *s, double factor)
{
    size_t n = wf_scenario_org_count(s, WF_ORG_LOCALITY);
    for (size_t i = 0; i < n; i++) {
        char key[256], val[64];
        snprintf(key, sizeof key, "localities.%s.home_care_posts", wf_scenario_org_name(s, WF_ORG_LOCALITY, i));
        char *v = wf_scenario_get(s, key);
        CHECKF(v != NULL, "%s: %s", key, wf_scenario_error(s));
        if (!v) return 0;
        snprintf(val, sizeof val, "%.17g", atof(v) * factor);
        wf_free(v);
        eu_set(s, key, val);
    }
    return (int)n;
}

static void paired(const wf_results *r, const char *metric, wf_stat *base, wf_stat *diff)
{
    size_t sys = eu_org(r, "system"), m = eu_metric(metric);
    CHECK(wf_results_stat(r, 0, m, sys, base) == WF_OK);
    CHECK(wf_results_paired(r, 0, 1, m, sys, diff) == WF_OK);
    printf("  %-16s base %.1f, paired diff %+.1f [%+.1f, %+.1f] (sd %.1f, n %zu)\n", metric, base->mean,
           diff->mean, diff->lo, diff->hi, diff->sd, diff->n);
}

/* (a) More home care workers. On the reference model home care binds (its
 * queue is long in winter), so 20% more posts must lower delayed bed-days
 * clearly; with the workforce doubled, where it does not bind, 20% more
 * must change little. Slack for the second: 0.5% of the base (matching
 * still draws, so an unconstrained service changes a little). Catches a
 * capacity that is ignored, places held too long or released to the
 * wrong queue, and common random numbers broken by a capacity change. */
static void more_home_care(double base_factor, int must_bind)
{
    wf_scenario *s[2] = {reference(), reference()};
    int na = 1, nb = 1;
    if (base_factor != 1) na = scale_home_care(s[0], base_factor);
    nb = scale_home_care(s[1], base_factor * 1.2);
    CHECKF(na > 0 && nb > 0, "no localities found in the reference model");
    printf("(a) home care x %.2f -> x %.2f\n", base_factor, base_factor * 1.2);
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 2, REPS, 0)) {
        wf_stat base, d, q;
        paired(r, "delayed_bed_days", &base, &d);
        paired(r, "home_care_queue", &q, &(wf_stat){0});
        if (must_bind) {
            CHECKF(q.mean > 1, "home care does not bind at x %.2f (queue %.2f): the test has no power", base_factor,
                   q.mean);
            CHECKF(d.hi < 0, "20%% more home care where it binds: delayed bed-days diff %+.1f [%+.1f, %+.1f]", d.mean,
                   d.lo, d.hi);
        } else {
            double slack = 0.005 * base.mean;
            CHECKF(d.hi <= slack, "more home care raised delayed bed-days: diff %+.1f [%+.1f, %+.1f], slack %.1f",
                   d.mean, d.lo, d.hi, slack);
        }
        CHECKF(d.mean <= 0, "more home care raised delayed bed-days on average: %+.1f", d.mean);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

/* (b) Integrated against fragmented: the product's central claim on its
 * own reference system. Catches a preset that is not applied (diff 0), a
 * lever wired backwards, and integration levers that cost beds. */
static void integrated_vs_fragmented(void)
{
    wf_scenario *s[2] = {reference(), reference()};
    eu_set(s[0], "partnership.preset", "fragmented");
    eu_set(s[1], "partnership.preset", "integrated");
    printf("(b) integrated - fragmented\n");
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 2, REPS, 0)) {
        wf_stat base, d;
        paired(r, "delayed_bed_days", &base, &d);
        CHECKF(d.hi < 0, "integrated does not lower delayed bed-days: diff %+.1f [%+.1f, %+.1f]", d.mean, d.lo, d.hi);
        paired(r, "waits_over_12h", &base, &d);
        CHECKF(d.hi < 0, "integrated does not lower 12-hour waits: diff %+.1f [%+.1f, %+.1f]", d.mean, d.lo, d.hi);
        paired(r, "nctr_patients", &base, &d);
        CHECKF(d.hi < 0, "integrated does not lower NCTR patients: diff %+.2f [%+.2f, %+.2f]", d.mean, d.lo, d.hi);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

int main(void)
{
    more_home_care(1.0, 1);
    more_home_care(2.0, 0);
    integrated_vs_fragmented();
    return CHECK_DONE();
}
