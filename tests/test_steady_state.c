/* Warm-up residents hold their places for the stationary residual of a
 * stay: a service started at its steady-state occupancy, fed at its
 * steady-state rate, stays there from day 0 without warm-up. (A uniform
 * share of a plain stay would empty it early: occupancy would sag.) */
#include "check.h"
#include "winterflow.h"

static const char *yaml =
    "run: {start_date: 2025-10-01, days: 60, warmup_days: 0, replicates: 12, seed: 3}\n"
    "calendar: {weekday_factor: [1, 1, 1, 1, 1, 1, 1], winter: {amplitude: 0}}\n"
    "localities:\n"
    "  l: {population: 1, emergency_admissions_per_day: 0, frailty_mix: {fit: 1, mild: 0, moderate: 0, severe: 0},\n"
    "      hospital_share: {h: 1}, home_care_packages: 4000, care_home_beds: 1460,\n"
    "      community_demand: {home_care_per_day: 10, care_home_per_day: 1}}\n"
    "hospitals: {h: {beds: 10}}\n"
    "community: {c: {intermediate_care_beds: 10, serves: [l]}}\n"
    "services:\n"
    "  home_care: {reablement: {distribution: lognormal, mean_days: 42, cv: 0.4}, long_term_share: 0.4,\n"
    "              long_term: {distribution: weibull, mean_days: 365, cv: 0.8}, initial_occupancy: 0.47}\n"
    "  care_home: {stay: {distribution: gamma, mean_days: 730, cv: 0.5}, initial_occupancy: 0.5}\n"
    "  community_bed: {initial_occupancy: 0}\n"
    "partnership: {preset: integrated}\n";

int main(void)
{
    wf_scenario *s = wf_scenario_create();
    if (wf_scenario_load_string(s, yaml, "<steady>") != WF_OK) {
        fprintf(stderr, "%s\n", wf_scenario_error(s));
        return 1;
    }
    wf_results *r = wf_results_create();
    if (wf_run(r, (const wf_scenario *const[]){s}, 1, NULL) != WF_OK) {
        fprintf(stderr, "%s\n", wf_results_error(r));
        return 1;
    }
    size_t org = wf_results_org_find(r, "l"), no = wf_results_n_orgs(r), nd = wf_results_n_days(r);
    size_t reps = wf_results_n_replicates(r);
    struct { const char *metric; double level; } cases[] = {
        {"home_care_occupied", 10 * (42 + 0.4 * 365)}, /* lambda x mean spell = 1880 */
        {"care_home_occupied", 1 * 730},
    };
    for (int k = 0; k < 2; k++) {
        const double *d = wf_results_daily(r, 0, wf_metric_find(cases[k].metric));
        /* the last ten days' mean per replicate: still at the steady level */
        double mean = 0, m2 = 0;
        for (size_t i = 0; i < reps; i++) {
            double v = 0;
            for (size_t t = nd - 10; t < nd; t++) v += d[(i * nd + t) * no + org] / 10;
            double dl = v - mean;
            mean += dl / (double)(i + 1);
            m2 += dl * (v - mean);
        }
        double se = sqrt(m2 / (double)(reps - 1) / (double)reps);
        CHECKF(fabs(mean - cases[k].level) <= 4 * se + 0.005 * cases[k].level, "%s: %g, steady level %g (se %g)",
               cases[k].metric, mean, cases[k].level, se);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
    return CHECK_DONE();
}
