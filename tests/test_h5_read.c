/* Reading results files written by earlier versions: the format 1 file in
 * tests/fixtures/results (written by winterflow 0.1.0 before format 2; see
 * its README) reads with the same names, dates and values that its writer
 * printed, and its stored scenarios load (sealed) and validate.
 * Crafted and damaged files: tests/test_h5_untrusted.py and
 * tests/test_h5_mutation.py. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "winterflow.h"

#define FIXTURE WF_SOURCE_DIR "/tests/fixtures/results/format1_sweep.h5"

static double summary(const wf_results *r, size_t s, const char *metric, size_t rep, const char *org)
{
    size_t o = wf_results_org_find(r, org);
    return wf_results_summary(r, s, wf_metric_find(metric))[rep * wf_results_n_orgs(r) + o];
}

int main(void)
{
    wf_results *r = wf_results_create();
    wf_status st = wf_results_read(r, FIXTURE);
    CHECKF(st == WF_OK, "%s", wf_results_error(r));
    if (st != WF_OK) return CHECK_DONE();

    CHECK(wf_results_n_scenarios(r) == 2 && wf_results_n_replicates(r) == 2 && wf_results_n_days(r) == 14);
    CHECK(wf_results_n_orgs(r) == 4);
    static const char *orgs[] = {"city", "north", "icb", "system"};
    static const char *kinds[] = {"hospital", "locality", "community", "system"};
    for (size_t o = 0; o < 4; o++) {
        CHECK(!strcmp(wf_results_org_name(r, o), orgs[o]));
        CHECK(!strcmp(wf_results_org_kind(r, o), kinds[o]));
    }
    CHECK(!strncmp(wf_results_scenario_name(r, 0), "hospitals.city.beds=50 #", 24));
    CHECK(!strcmp(wf_results_scenario_name(r, 1), "hospitals.city.beds=60 #9eaf30fad238"));
    CHECK(!strcmp(wf_results_date(r, 0), "2025-12-01") && !strcmp(wf_results_date(r, 13), "2025-12-14"));
    CHECK(wf_results_seed(r) == 5 && wf_results_threads(r) == 2);

    /* the numbers the writing run stored (read then with h5py) */
    CHECK(summary(r, 0, "admissions", 0, "system") == 87 && summary(r, 0, "admissions", 1, "system") == 104);
    CHECK(summary(r, 1, "admissions", 0, "system") == 95 && summary(r, 1, "admissions", 1, "system") == 116);
    CHECK(fabs(summary(r, 0, "delayed_bed_days", 0, "system") - 204.91230627) < 1e-8);
    CHECK(fabs(summary(r, 1, "delayed_bed_days", 1, "system") - 225.81975429) < 1e-8);
    CHECK(isnan(summary(r, 0, "admissions", 0, "icb")));
    const double *day = wf_results_daily(r, 1, wf_metric_find("admissions"));
    const double *last = day + (1 * 14 + 13) * 4; /* replicate 1, day 13 */
    CHECK(last[0] == 9 && last[1] == 9 && isnan(last[2]) && last[3] == 9);

    /* its stored scenarios load, sealed, and validate */
    wf_scenario *s = wf_scenario_create();
    st = wf_results_load_scenario(r, 1, s, "format1_sweep.h5#1");
    CHECKF(st == WF_OK, "%s", wf_scenario_error(s));
    CHECKF(wf_scenario_validate(s) == WF_OK, "%s", wf_scenario_error(s));
    char *beds = wf_scenario_get(s, "hospitals.city.beds");
    CHECK(beds && !strcmp(beds, "60"));
    free(beds);
    wf_scenario_destroy(s);

    /* no such scenario: WF_EINVAL with a message */
    s = wf_scenario_create();
    CHECK(wf_results_load_scenario(r, 2, s, NULL) == WF_EINVAL);
    CHECKF(strstr(wf_scenario_error(s), "no scenario 2"), "%s", wf_scenario_error(s));
    wf_scenario_destroy(s);

    /* results of a run hold no stored scenarios */
    wf_results *empty = wf_results_create();
    s = wf_scenario_create();
    CHECK(wf_results_load_scenario(empty, 0, s, NULL) == WF_EINVAL);
    CHECK(strstr(wf_scenario_error(s), "no stored scenarios") != NULL);
    wf_scenario_destroy(s);
    wf_results_destroy(empty);
    wf_results_destroy(r);
    return CHECK_DONE();
}
