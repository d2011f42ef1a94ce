/* The engine against queueing theory: every mechanism can be switched off
 * (a zero rate, a zero delay, an empty list), so that the model reduces to
 * textbook queues (docs/model.md).
 *
 * With every mechanism off, one hospital is an M/M/c queue (ed_policy:
 * queue) or an Erlang loss system (divert): lambda = admissions per day,
 * c = beds, mean stay M. Simulated means are compared with theory within a
 * tolerance derived from the replicates themselves: 4 standard errors
 * (sd / sqrt(n) over replicates) plus a 0.5% allowance for what remains of
 * the start-from-empty transient after the warm-up (100 mean stays: in
 * theory nothing) and the O(1/T) bias of ratio estimators.
 *
 * Also: Little's law for G&A beds, home care packages and community beds;
 * and exact conservation of patients in every replicate and day of the
 * full reference model under both presets. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine_util.h"

#define K_SE 4.0      /* standard errors allowed */
#define BIAS 0.005    /* relative allowance for residual start-up and ratio-estimator bias */

/* Erlang B by the stable recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1));
 * Erlang C (probability of waiting) from B. */
static double erlang_b(int c, double a)
{
    double b = 1;
    for (int k = 1; k <= c; k++) b = a * b / (k + a * b);
    return b;
}
static double erlang_c(int c, double a)
{
    double b = erlang_b(c, a), rho = a / c;
    return b / (1 - rho * (1 - b));
}

/* A hospital with every mechanism off: exponential stays, every patient
 * fit and pathway 0, discharge at any hour on any day, no electives,
 * escalation, readmissions, deconditioning, avoidance, outbreaks, holidays,
 * workforce periods, seasonal or weekday variation, or social care. */
static const char *MMC_YAML =
    "name: %s\n"
    "run: {start_date: 2025-10-06, days: %d, warmup_days: %d, replicates: 1, seed: 11}\n"
    "calendar:\n"
    "  weekday_factor: [1, 1, 1, 1, 1, 1, 1]\n"
    "  winter: {amplitude: 0}\n"
    "  outbreaks: []\n"
    "  bank_holidays: []\n"
    "  workforce: []\n"
    "localities:\n"
    "  only:\n"
    "    emergency_admissions_per_day: %.17g\n"
    "    frailty_mix: {fit: 1, mild: 0, moderate: 0, severe: 0}\n"
    "    home_care_packages: 0\n"
    "    care_home_beds: 0\n"
    "    community_demand: {home_care_per_day: 0, care_home_per_day: 0}\n"
    "hospitals:\n"
    "  acute:\n"
    "    beds: %d\n"
    "    escalation_beds: 0\n"
    "    ed_policy: %s\n"
    "    electives_per_weekday: 0\n"
    "    discharge_hours: [0, 24]\n"
    "patients:\n"
    "  los:\n"
    "    fit: {distribution: %s, mean_days: %.17g, cv: %.17g}\n"
    "  pathway_need:\n"
    "    fit: {p0: 1, p1: 0, p2: 0, p3: 0}\n"
    "    mild: {p0: 1, p1: 0, p2: 0, p3: 0}\n"
    "    moderate: {p0: 1, p1: 0, p2: 0, p3: 0}\n"
    "    severe: {p0: 1, p1: 0, p2: 0, p3: 0}\n"
    "  deconditioning: {escalation_per_delayed_day: 0, readmission_per_delayed_day: 0}\n"
    "  readmission_30d: {p0: 0, p1: 0, p2: 0, p3: 0}\n"
    "partnership:\n"
    "  preset: fragmented\n"
    "  seven_day_working: true\n"
    "  admission_avoidance: 0\n"
    "  funding_panel_weekdays: []\n";

static wf_scenario *mmc(const char *name, int days, int warmup, double lambda, int beds, const char *policy,
                        const char *dist, double mean_los, double cv)
{
    char buf[4096];
    snprintf(buf, sizeof buf, MMC_YAML, name, days, warmup, lambda, beds, policy, dist, mean_los, cv);
    wf_scenario *s = eu_yaml(buf, name);
    eu_textbook(s, (const char *[]){"acute"}, 1);
    return s;
}

/* |mean of x - want| within K_SE standard errors plus BIAS x |want|. */
static void near_theory(const char *what, const double *x, size_t n, double want)
{
    double m, se;
    eu_mean_se(x, n, &m, &se);
    double tol = K_SE * se + BIAS * fabs(want);
    printf("  %-34s sim %.5g  theory %.5g  diff %+.3g  tol %.3g (se %.3g)\n", what, m, want, m - want, tol, se);
    CHECKF(fabs(m - want) <= tol, "%s: simulated %.6g, theory %.6g, tolerance %.3g", what, m, want, tol);
}

static void near_theory_b(const char *what, const double *x, size_t n, double want, double bias)
{
    double m, se;
    eu_mean_se(x, n, &m, &se);
    double tol = K_SE * se + bias * fabs(want);
    printf("  %-34s sim %.5g  theory %.5g  diff %+.3g  tol %.3g (se %.3g)\n", what, m, want, m - want, tol, se);
    CHECKF(fabs(m - want) <= tol, "%s: simulated %.6g, theory %.6g, tolerance %.3g", what, m, want, tol);
}

/* A mean that theory says is zero: K_SE standard errors plus an absolute allowance. */
static void near_zero(const char *what, const double *x, size_t n, double allow)
{
    double m, se;
    eu_mean_se(x, n, &m, &se);
    double tol = K_SE * se + allow;
    printf("  %-34s mean %+.4g  tol %.3g (se %.3g)\n", what, m, tol, se);
    CHECKF(fabs(m) <= tol, "%s: mean %.6g, tolerance %.3g", what, m, tol);
}

enum { NREP = 16, QDAYS = 3650, QWARM = 100 };

/* M/M/c with a FIFO queue in ED: Erlang C. Catches wrong arrival rates
 * (thinning), wrong exponential means, beds not refilled from ED when a
 * patient leaves, a non-FIFO ED queue (the wait tail), waits measured from
 * the wrong moment, and level integrals closed wrongly at midnight. */
static void test_mmc_queue(void)
{
    const int c = 30;
    const double M = 1.0, lambda = 26.4, a = lambda * M; /* utilisation 0.88 */
    printf("M/M/c queue: c = %d, lambda = %g/day, mean stay %g day (rho %.3f)\n", c, lambda, M, a / c);
    wf_scenario *s = mmc("mmc-queue", QDAYS, QWARM, lambda, c, "queue", "exponential", M, 1);
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, NREP, 0)) {
        size_t h = eu_org(r, "acute"), sys = eu_org(r, "system");
        double C = erlang_c(c, a), Lq = C * a / (c - a), Wq_h = Lq / lambda * 24;
        double theta = c / M - lambda; /* rate of the conditional wait's exponential tail */
        double lq[NREP], wq[NREP], p4[NREP], p12[NREP], occ[NREP], little[NREP], lam[NREP];
        for (size_t i = 0; i < NREP; i++) {
            double adm = eu_sum(r, 0, "admissions", i, h);
            lq[i] = eu_sum(r, 0, "ed_boarding", i, h);
            wq[i] = eu_sum(r, 0, "ed_wait_hours", i, h);
            p4[i] = eu_sum(r, 0, "waits_over_4h", i, h) / adm;
            p12[i] = eu_sum(r, 0, "waits_over_12h", i, h) / adm;
            occ[i] = eu_sum(r, 0, "occupied_beds", i, h);
            lam[i] = eu_sum(r, 0, "ed_arrivals", i, h) / QDAYS;
            little[i] = occ[i] - adm / QDAYS * M;
            /* the system column of a one-hospital system is the hospital's */
            CHECK(eu_sum(r, 0, "ed_boarding", i, sys) == lq[i]);
            /* pathway 0 with discharge any time on any day: nobody is delayed */
            CHECK(eu_sum(r, 0, "delayed_bed_days", i, h) == 0);
            CHECK(eu_sum(r, 0, "nctr_patients", i, h) == 0);
            CHECK(eu_sum(r, 0, "diverted", i, h) == 0);
            CHECK(eu_sum(r, 0, "discharges_p1", i, h) + eu_sum(r, 0, "discharges_p2", i, h) +
                      eu_sum(r, 0, "discharges_p3", i, h) == 0);
        }
        near_theory_b("arrival rate (per day)", lam, NREP, lambda, 0); /* no transient: no allowance */
        near_theory("Lq = mean ED boarding", lq, NREP, Lq);
        near_theory("Wq = mean ED wait (hours)", wq, NREP, Wq_h);
        near_theory("P(wait > 4h) = C exp(-theta t)", p4, NREP, C * exp(-theta * 4.0 / 24));
        near_theory("P(wait > 12h)", p12, NREP, C * exp(-theta * 12.0 / 24));
        near_theory("L = mean occupied beds = a", occ, NREP, a);
        near_zero("Little: occupied - adm/day x M", little, NREP, 0.002 * a);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* M/M/c/c (divert): the share lost is Erlang B, whatever the distribution
 * of stays (Erlang's insensitivity), so the loss system also checks that
 * every LOS family has the mean it is given. Catches diverting when a bed
 * is free (or admitting when none is), a queue forming under divert,
 * miscounted diversions, and a wrong mean in the lognormal, gamma or
 * Weibull parameterisation. */
enum { LREP = 10, LDAYS = 3000 };
static void test_erlang_loss(const char *dist, double cv)
{
    const int c = 30;
    const double M = 1.0, lambda = 26.4, a = lambda * M;
    printf("Erlang loss: c = %d, a = %g, stays %s (cv %g)\n", c, a, dist, cv);
    wf_scenario *s = mmc("mmc-divert", LDAYS, QWARM, lambda, c, "divert", dist, M, cv);
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, LREP, 0)) {
        size_t h = eu_org(r, "acute");
        double B = erlang_b(c, a);
        double lost[LREP], occ[LREP], little[LREP];
        for (size_t i = 0; i < LREP; i++) {
            double arr = eu_sum(r, 0, "ed_arrivals", i, h), adm = eu_sum(r, 0, "admissions", i, h);
            double div = eu_sum(r, 0, "diverted", i, h);
            lost[i] = div / arr;
            occ[i] = eu_sum(r, 0, "occupied_beds", i, h);
            little[i] = occ[i] - adm / LDAYS * M;
            /* nobody waits under divert; over the window arrivals = admitted + lost */
            CHECK(eu_sum(r, 0, "ed_boarding", i, h) == 0);
            CHECK(eu_sum(r, 0, "ed_wait_hours", i, h) == 0);
            CHECK(eu_sum(r, 0, "waits_over_4h", i, h) == 0);
            CHECK_NEAR(arr, adm + div, 1e-9);
            CHECK(eu_sum(r, 0, "occupied_beds", i, h) <= c);
        }
        near_theory("diverted / arrivals = Erlang B", lost, LREP, B);
        near_theory("L = a (1 - B)", occ, LREP, a * (1 - B));
        near_zero("Little: occupied - adm/day x M", little, LREP, 0.002 * a);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* Little's law for the places after discharge: everyone needs pathway 1
 * or 2, with ample capacity and no delays, so each service is an
 * infinite-server queue: mean in use = starts per day x mean spell.
 * Catches places held for the wrong time (the spell drawn but the release
 * scheduled wrongly, long-term care added when its share is 0, onward
 * needs keeping a bed), starts not counted, and occupancy levels leaking. */
static void test_little_services(void)
{
    enum { DAYS = 2000, WARM = 200 };
    const double R_HC = 20, R_CB = 15;
    char yaml[4096];
    snprintf(yaml, sizeof yaml,
             "name: little-services\n"
             "run: {start_date: 2025-10-06, days: %d, warmup_days: %d, replicates: 1, seed: 5}\n"
             "calendar: {weekday_factor: [1, 1, 1, 1, 1, 1, 1], winter: {amplitude: 0}, outbreaks: [],"
             " bank_holidays: [], workforce: []}\n"
             "localities:\n"
             "  only:\n"
             "    emergency_admissions_per_day: 20\n"
             "    frailty_mix: {fit: 1, mild: 0, moderate: 0, severe: 0}\n"
             "    home_care_packages: 3000\n"
             "    care_home_beds: 0\n"
             "    assessors_per_day: null\n"
             "    community_demand: {home_care_per_day: 0, care_home_per_day: 0}\n"
             "hospitals:\n"
             "  acute: {beds: 400, escalation_beds: 0, electives_per_weekday: 0, discharge_hours: [0, 24]}\n"
             "community:\n"
             "  rehab: {intermediate_care_beds: 3000, virtual_ward_places: 0, bridging_places: 0, serves: [only]}\n"
             "patients:\n"
             "  los: {fit: {distribution: exponential, mean_days: 2}}\n"
             "  pathway_need: {fit: {p0: 0, p1: 0.5, p2: 0.5, p3: 0}}\n"
             "  deconditioning: {escalation_per_delayed_day: 0, readmission_per_delayed_day: 0}\n"
             "  readmission_30d: {p0: 0, p1: 0, p2: 0, p3: 0}\n"
             "services:\n"
             "  home_care:\n"
             "    reablement: {distribution: exponential, mean_days: %g}\n"
             "    long_term_share: 0\n"
             "    initial_occupancy: 0\n"
             "  community_bed:\n"
             "    rehab: {distribution: exponential, mean_days: %g}\n"
             "    onward: {p0: 1, p1: 0, p3: 0}\n"
             "    initial_occupancy: 0\n"
             "  care_home: {initial_occupancy: 0}\n"
             "partnership:\n"
             "  preset: fragmented\n"
             "  trusted_assessor: false\n"
             "  seven_day_working: true\n"
             "  referral_delay: {distribution: fixed, mean_days: 0}\n"
             "  assessment_delay: {distribution: fixed, mean_days: 0}\n"
             "  funding_panel_weekdays: []\n"
             "  admission_avoidance: 0\n",
             DAYS, WARM, R_HC, R_CB);
    printf("Little's law for home care (mean %g days) and community beds (mean %g days)\n", R_HC, R_CB);
    wf_scenario *s = eu_yaml(yaml, "little-services");
    eu_textbook(s, (const char *[]){"acute"}, 1);
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, 8, 0)) {
        size_t n = wf_results_n_replicates(r);
        size_t h = eu_org(r, "acute"), loc = eu_org(r, "only"), cm = eu_org(r, "rehab");
        double hc[8], cb[8], hcl[8], cbl[8];
        for (size_t i = 0; i < n; i++) {
            double hc_starts = eu_sum(r, 0, "home_care_starts", i, loc);
            double cb_starts = eu_sum(r, 0, "community_bed_starts", i, cm);
            hcl[i] = eu_sum(r, 0, "home_care_occupied", i, loc);
            cbl[i] = eu_sum(r, 0, "community_bed_occupied", i, cm);
            hc[i] = hcl[i] - hc_starts / DAYS * R_HC;
            cb[i] = cbl[i] - cb_starts / DAYS * R_CB;
            /* no delays at all: nobody is medically optimised and still in a bed */
            CHECK(eu_sum(r, 0, "delayed_bed_days", i, h) == 0);
            CHECK(eu_sum(r, 0, "home_care_queue", i, loc) == 0);
            CHECK(eu_sum(r, 0, "community_bed_queue", i, cm) == 0);
            CHECK(eu_sum(r, 0, "community_bed_delayed_days", i, cm) == 0);
            /* each pathway 1 discharge starts one package, each pathway 2 one bed
             * (up to the few whose start fell across the window's edge: none, as
             * the start is the discharge instant) */
            CHECK(eu_sum(r, 0, "discharges_p1", i, h) == hc_starts);
            CHECK(eu_sum(r, 0, "discharges_p2", i, h) == cb_starts);
        }
        near_zero("home care: occupied - starts/day x R", hc, n, 0.002 * 10 * R_HC);
        near_zero("community: occupied - starts/day x R", cb, n, 0.002 * 10 * R_CB);
        near_theory("home care occupied = 10/day x R", hcl, n, 10 * R_HC);
        near_theory("community beds occupied = 10/day x R", cbl, n, 10 * R_CB);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* Conservation of patients, exactly, in every replicate and day of the
 * full reference model (every mechanism on): for each hospital and the
 * system, the change of inpatients is admissions + electives - discharges
 * - deaths,
 * and the change of the ED queue is arrivals - admissions - diversions.
 * Catches a patient lost or counted twice by any path (escalation,
 * bridging, readmission, escalation beds, workforce changes), counts
 * attributed to the wrong day, and end-of-day samples taken at the wrong
 * moment. */
static void test_conservation(void)
{
    const char *presets[] = {"fragmented", "integrated"};
    for (int k = 0; k < 2; k++) {
        wf_scenario *s = eu_file(REF_MODEL);
        eu_set(s, "run.days", "60");
        eu_set(s, "run.warmup_days", "20");
        eu_set(s, "partnership.preset", presets[k]);
        wf_results *r = wf_results_create();
        if (eu_run(r, &s, 1, 3, 0)) {
            size_t no = wf_results_n_orgs(r), nd = wf_results_n_days(r), nr = wf_results_n_replicates(r);
            int bad_bed = 0, bad_ed = 0, cols = 0;
            double moved = 0;
            for (size_t o = 0; o < no; o++) {
                const char *kind = wf_results_org_kind(r, o);
                if (strcmp(kind, "hospital") && strcmp(kind, "system")) continue;
                cols++;
                for (size_t i = 0; i < nr; i++)
                    for (size_t d = 1; d < nd; d++) {
                        double in = eu_day(r, 0, "admissions", i, d, o) + eu_day(r, 0, "elective_admissions", i, d, o);
                        double out = eu_day(r, 0, "discharges_p0", i, d, o) + eu_day(r, 0, "discharges_p1", i, d, o) +
                                     eu_day(r, 0, "discharges_p2", i, d, o) + eu_day(r, 0, "discharges_p3", i, d, o) +
                                     eu_day(r, 0, "deaths", i, d, o);
                        double dbed = eu_day(r, 0, "inpatients_end", i, d, o) - eu_day(r, 0, "inpatients_end", i, d - 1, o);
                        double ded = eu_day(r, 0, "ed_boarding_end", i, d, o) - eu_day(r, 0, "ed_boarding_end", i, d - 1, o);
                        double edin = eu_day(r, 0, "ed_arrivals", i, d, o);
                        double edout = eu_day(r, 0, "admissions", i, d, o) + eu_day(r, 0, "diverted", i, d, o);
                        moved += in;
                        if (!(fabs(dbed - (in - out)) <= 1e-9)) {
                            if (bad_bed++ < 5)
                                fprintf(stderr, "%s %s rep %zu day %zu: inpatients change %g, in - out %g\n",
                                        presets[k], wf_results_org_name(r, o), i, d, dbed, in - out);
                        }
                        if (!(fabs(ded - (edin - edout)) <= 1e-9)) {
                            if (bad_ed++ < 5)
                                fprintf(stderr, "%s %s rep %zu day %zu: ED change %g, arrivals - out %g\n",
                                        presets[k], wf_results_org_name(r, o), i, d, ded, edin - edout);
                        }
                    }
            }
            printf("conservation (%s): %d columns x %zu replicates x %zu days, %d bed and %d ED mismatches\n",
                   presets[k], cols, nr, nd - 1, bad_bed, bad_ed);
            CHECKF(cols == 3, "expected 2 hospitals and the system, got %d columns", cols);
            CHECKF(moved > 1000, "the reference model admitted only %g patients", moved);
            CHECKF(bad_bed == 0, "%s: %d days break bed conservation", presets[k], bad_bed);
            CHECKF(bad_ed == 0, "%s: %d days break ED conservation", presets[k], bad_ed);
        }
        wf_results_destroy(r);
        wf_scenario_destroy(s);
    }
}

int main(void)
{
    test_mmc_queue();
    test_erlang_loss("exponential", 1);
    test_erlang_loss("lognormal", 1.5);
    test_erlang_loss("gamma", 2);
    test_erlang_loss("weibull", 0.5);
    test_erlang_loss("fixed", 1); /* cv ignored */
    test_little_services();
    test_conservation();
    return CHECK_DONE();
}
