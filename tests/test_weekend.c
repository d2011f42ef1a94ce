/* Weekends without seven-day working. With patients becoming ready at a
 * steady lambda a day and discharged the same day on weekdays, a weekend
 * day passes each waiting patient on with probability s, so per day:
 *   Sat  s lambda
 *   Sun  s lambda + s (1 - s) lambda
 *   Mon  lambda + (1 - s) lambda + (1 - s)^2 lambda
 *   Tue-Fri lambda.
 * Two such steps, each tested alone: the weekend ward round reviews a
 * patient with probability partnership.weekend_review_share (the rest are
 * declared medically optimised on a later day), and a pathway 0 patient
 * declared ready is discharged at a weekend with probability
 * partnership.weekend_discharge_share.
 * Tolerance: 5 binomial standard errors on each weekday's total. */
#include "check.h"
#include "engine_util.h"

static void weekend(const char *which, double review, double discharge, double s)
{
    const double lambda = 50;
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
             "partnership: {preset: fragmented, weekend_review_share: %g, weekend_discharge_share: %g}\n",
             lambda, review, discharge);
    wf_scenario *sc = eu_yaml(yaml, "<weekend>");
    eu_textbook(sc, (const char *[]){"h"}, 1);
    char rv[32];
    snprintf(rv, sizeof rv, "%.17g", review); /* eu_textbook reviews everyone: put the share back */
    eu_set(sc, "partnership.weekend_review_share", rv);
    wf_results *r = wf_results_create();
    if (!eu_run(r, &sc, 1, 2, 0)) return;
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
        CHECKF(fabs(mean - want[w]) <= 5 * se, "%s, %s: %.3f discharges a day, want %.3f", which, names[w], mean,
               want[w]);
        printf("  %s %s: %.3f discharges a day (want %.3f)\n", which, names[w], mean, want[w]);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(sc);
}

int main(void)
{
    weekend("weekend discharges", 1, 0.6, 0.6);
    weekend("weekend reviews", 0.6, 1, 0.6);
    return CHECK_DONE();
}
