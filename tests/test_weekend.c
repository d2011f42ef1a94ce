/* Weekend discharges without seven-day working (partnership.
 * weekend_discharge_share = s). With patients becoming ready at a steady
 * lambda a day and discharged the same day on weekdays, a weekend day
 * discharges each waiting patient with probability s, so per day:
 *   Sat  s lambda
 *   Sun  s lambda + s (1 - s) lambda
 *   Mon  lambda + (1 - s) lambda + (1 - s)^2 lambda
 *   Tue-Fri lambda.
 * Tolerance: 5 binomial standard errors on each weekday's total. */
#include "check.h"
#include "winterflow.h"

int main(void)
{
    const double lambda = 50, s = 0.6;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "run: {start_date: 2025-10-06, days: 700, warmup_days: 14, replicates: 2, seed: 5}\n"
             "calendar: {weekday_factor: [1, 1, 1, 1, 1, 1, 1], winter: {amplitude: 0}, arrival_process: regular}\n"
             "localities:\n"
             "  l: {population: 1, emergency_admissions_per_day: %g,\n"
             "      frailty_mix: {fit: 1, mild: 0, moderate: 0, severe: 0}, hospital_share: {h: 1}}\n"
             "hospitals: {h: {beds: 100000, discharge_hours: [0, 24]}}\n"
             "community: {c: {intermediate_care_beds: 0, serves: [l]}}\n"
             "patients:\n"
             "  los: {fit: {distribution: fixed, mean_days: 1}}\n"
             "  pathway_need: {fit: {p0: 1, p1: 0, p2: 0, p3: 0}}\n"
             "  deconditioning: {escalation_per_delayed_day: 0}\n"
             "  readmission_30d: {p0: 0, p1: 0, p2: 0, p3: 0}\n"
             "partnership: {preset: fragmented, weekend_discharge_share: %g}\n",
             lambda, s);
    wf_scenario *sc = wf_scenario_create();
    if (wf_scenario_load_string(sc, yaml, "<weekend>") != WF_OK) {
        fprintf(stderr, "%s\n", wf_scenario_error(sc));
        return 1;
    }
    wf_results *r = wf_results_create();
    if (wf_run(r, (const wf_scenario *const[]){sc}, 1, NULL) != WF_OK) {
        fprintf(stderr, "%s\n", wf_results_error(r));
        return 1;
    }
    size_t nd = wf_results_n_days(r), no = wf_results_n_orgs(r), h = wf_results_org_find(r, "h");
    const double *d = wf_results_daily(r, 0, wf_metric_find("discharges_p0"));
    double total[7] = {0}, days[7] = {0};
    for (size_t rep = 0; rep < 2; rep++)
        for (size_t t = 0; t < nd; t++) { /* 2025-10-06 is a Monday: weekday = t mod 7 */
            total[t % 7] += d[(rep * nd + t) * no + h];
            days[t % 7] += 1;
        }
    double want[7] = {lambda * (1 + (1 - s) + (1 - s) * (1 - s)), lambda, lambda, lambda, lambda, s * lambda,
                      s * lambda + s * (1 - s) * lambda};
    const char *names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (int w = 0; w < 7; w++) {
        double mean = total[w] / days[w], se = sqrt(lambda / days[w]);
        /* catches weekend discharges at the full rate, at none, or the
         * backlog not carried to Sunday and Monday */
        CHECKF(fabs(mean - want[w]) <= 5 * se, "%s: %.3f discharges a day, want %.3f", names[w], mean, want[w]);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(sc);
    return CHECK_DONE();
}
