/* The mechanisms of the model, each on its own (docs/model.md):
 *
 *   planning before the ready date   a hand-computed case: regular
 *       arrivals, fixed stays and steps, so every delay is known exactly
 *   specialty wards                  without outliers, S wards are S
 *       independent M/M/c queues (Erlang C)
 *   the reasons for delay            each split sums to its total, for
 *       every organisation, replicate and day
 *   capacity that binds              fewer care home beds, more care home
 *       delays (paired, common random numbers)
 *   levers                           each changes delayed bed-days, with
 *       discharge to assess off and on; a council can adopt one alone
 *   lever costs                      seven-day working's running cost,
 *       exactly
 *   virtual wards                    1 avoided admission per 1/substitution
 *       episodes (Little's law on the caseload)
 *   time of day                      decisions on the ward round,
 *       discharges spread through the day
 *   a run that has not settled       ed_queue_growing
 *
 * Public API only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine_util.h"

static const char *const ACUTE[] = {"acute"};

/* ---- planning before the ready date ------------------------------------ */

/* 10 fit admissions a day, every 0.1 day, all needing home care; a fixed
 * 5-day clinical stay known exactly (no estimate error); referral 1 day,
 * assessment 1 day, no panel, trusted assessor, seven-day working, ample
 * home care, discharge at once. The referral goes `lead` days before the
 * expected date (not before day 1 of the stay), the two steps take 2 days,
 * so each patient is delayed max(0, 2 - lead) days, and a place found
 * before the ready date is held (in use) for max(0, lead - 2) days. */
static wf_scenario *planning(double lead)
{
    char y[4096];
    snprintf(y, sizeof y,
             "name: planning\n"
             "run: {start_date: 2025-10-06, days: 56, warmup_days: 28, replicates: 1, seed: 3}\n"
             "calendar: {weekday_factor: [1, 1, 1, 1, 1, 1, 1], winter: {amplitude: 0}, outbreaks: [],"
             " bank_holidays: [], workforce: [], arrival_process: regular}\n"
             "localities:\n"
             "  only: {emergency_admissions_per_day: 10, frailty_mix: {fit: 1, mild: 0, moderate: 0, severe: 0},"
             " home_care_packages: 3000, care_home_beds: 0, assessors_per_day: null,"
             " community_demand: {home_care_per_day: 0, care_home_per_day: 0}}\n"
             "hospitals:\n"
             "  acute: {beds: 300, escalation_beds: 0, electives_per_weekday: 0, discharge_hours: [0, 24]}\n"
             "patients:\n"
             "  los: {fit: {distribution: fixed, mean_days: 5}}\n"
             "  pathway_need: {fit: {p0: 0, p1: 1, p2: 0, p3: 0}, mild: {p0: 1, p1: 0, p2: 0, p3: 0},"
             " moderate: {p0: 1, p1: 0, p2: 0, p3: 0}, severe: {p0: 1, p1: 0, p2: 0, p3: 0}}\n"
             "  deconditioning: {escalation_per_delayed_day: 0, readmission_per_delayed_day: 0}\n"
             "  readmission_30d: {p0: 0, p1: 0, p2: 0, p3: 0}\n"
             "  expected_discharge: {set_after_days: 1}\n"
             "services:\n"
             "  home_care: {reablement: {distribution: fixed, mean_days: 20}, long_term_share: 0,"
             " initial_occupancy: 0}\n"
             "partnership:\n"
             "  preset: fragmented\n"
             "  trusted_assessor: true\n"
             "  seven_day_working: true\n"
             "  referral_delay: {distribution: fixed, mean_days: 1}\n"
             "  assessment_delay: {distribution: fixed, mean_days: 1}\n"
             "  funding_panel_weekdays: []\n"
             "  planning_lead_days: %g\n",
             lead);
    wf_scenario *s = eu_yaml(y, "planning");
    eu_textbook(s, ACUTE, 1);
    char v[32];
    snprintf(v, sizeof v, "%g", lead); /* eu_textbook plans at the ready date: put the lead back */
    eu_set(s, "partnership.planning_lead_days", v);
    return s;
}

static void test_planning(void)
{
    printf("planning before the ready date (hand computation)\n");
    const double leads[] = {0, 1, 2, 3};
    wf_scenario *s[4];
    for (int i = 0; i < 4; i++) s[i] = planning(leads[i]);
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 4, 1, 1)) {
        size_t h = eu_org(r, "acute"), loc = eu_org(r, "only");
        for (int i = 0; i < 4; i++) {
            double delay = fmax(0, 2 - leads[i]), held = fmax(0, leads[i] - 2);
            double nctr = eu_sum(r, i, "nctr_patients", 0, h);
            double on_day = eu_sum(r, i, "discharged_on_ready_date", 0, h);
            /* packages in use: 10 a day for the 20-day spell, plus those held */
            double in_use = eu_sum(r, i, "home_care_occupied", 0, loc);
            printf("  lead %g: NCTR %.6g (want %g), on the ready date %.4g, packages %.6g (want %g)\n", leads[i], nctr,
                   10 * delay, on_day, in_use, 10 * (20 + held));
            CHECK_NEAR(nctr, 10 * delay, 1e-6);
            CHECK_NEAR(eu_sum(r, i, "delayed_bed_days", 0, h), 10 * delay * 56, 1e-6);
            CHECK_NEAR(in_use, 10 * (20 + held), 1e-6);
            CHECK_NEAR(on_day, delay < 1 ? 1 : 0, 1e-12); /* whole days: a delay under a day is the same date */
            /* the delay sits with assessment (referral included): nothing else waits */
            CHECK_NEAR(eu_sum(r, i, "delayed_bed_days_assessment", 0, h), 10 * delay * 56, 1e-6);
        }
    }
    wf_results_destroy(r);
    for (int i = 0; i < 4; i++) wf_scenario_destroy(s[i]);
}

/* ---- specialty wards ----------------------------------------------------- */

static double erlang_c(int c, double a)
{
    double b = 1;
    for (int k = 1; k <= c; k++) b = a * b / (k + a * b);
    return b / (1 - a / c * (1 - b));
}

/* 3 specialties of 10 beds each, no outliers: each is an M/M/10 queue with
 * a third of the arrivals. One pool of 30 beds would wait far less. */
static void test_wards(void)
{
    enum { REPS = 8, DAYS = 2000 };
    const double lambda = 24, M = 1;
    char y[2048];
    snprintf(y, sizeof y,
             "name: wards\n"
             "run: {start_date: 2025-10-06, days: %d, warmup_days: 100, replicates: 1, seed: 9}\n"
             "calendar: {weekday_factor: [1, 1, 1, 1, 1, 1, 1], winter: {amplitude: 0}, outbreaks: [],"
             " bank_holidays: [], workforce: []}\n"
             "localities: {only: {emergency_admissions_per_day: %g, frailty_mix: {fit: 1, mild: 0, moderate: 0,"
             " severe: 0}, home_care_packages: 0, care_home_beds: 0}}\n"
             "hospitals: {acute: {beds: 30, escalation_beds: 0, electives_per_weekday: 0, discharge_hours: [0, 24]}}\n"
             "patients:\n"
             "  los: {fit: {distribution: exponential, mean_days: %g}}\n"
             "  pathway_need: {fit: {p0: 1, p1: 0, p2: 0, p3: 0}, mild: {p0: 1, p1: 0, p2: 0, p3: 0},"
             " moderate: {p0: 1, p1: 0, p2: 0, p3: 0}, severe: {p0: 1, p1: 0, p2: 0, p3: 0}}\n"
             "  deconditioning: {escalation_per_delayed_day: 0, readmission_per_delayed_day: 0}\n"
             "  readmission_30d: {p0: 0, p1: 0, p2: 0, p3: 0}\n"
             "partnership: {preset: fragmented, seven_day_working: true}\n",
             DAYS, lambda, M);
    wf_scenario *s = eu_yaml(y, "wards");
    eu_textbook(s, ACUTE, 1);
    eu_set(s, "hospitals.acute.specialties", "3");
    eu_set(s, "hospitals.acute.outlier_hours", "null");
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, REPS, 0)) {
        size_t h = eu_org(r, "acute");
        double a = lambda / 3 * M, lq = 3 * erlang_c(10, a) * a / (10 - a), x[REPS], m, se;
        for (size_t i = 0; i < REPS; i++) x[i] = eu_sum(r, 0, "ed_boarding", i, h);
        eu_mean_se(x, REPS, &m, &se);
        double tol = 4 * se + 0.01 * lq;
        printf("specialty wards: mean ED boarding %.4g, theory 3 x M/M/10 %.4g (tol %.3g); one pool of 30: %.4g\n", m, lq,
               tol, erlang_c(30, lambda * M) * lambda * M / (30 - lambda * M));
        CHECKF(fabs(m - lq) <= tol, "3 wards: boarding %.4g, theory %.4g", m, lq);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* ---- the reference model: reasons, capacity, levers ---------------------- */

static wf_scenario *ref(int days)
{
    wf_scenario *s = eu_file(REF_MODEL);
    char d[16];
    snprintf(d, sizeof d, "%d", days);
    eu_set(s, "run.days", d);
    return s;
}

/* Every reason split sums to its total, for every organisation, replicate
 * and day: nothing waits for no reason, nothing is counted twice. */
static void test_reasons_sum(void)
{
    static const char *const R[] = {"assessment", "funding", "home_care", "rehab_bed", "care_home", "other"};
    wf_scenario *s[2] = {ref(60), ref(60)};
    eu_set(s[1], "partnership.preset", "integrated");
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 2, 2, 0)) {
        size_t no = wf_results_n_orgs(r), nd = wf_results_n_days(r);
        int bad = 0, cells = 0;
        double total = 0;
        for (size_t sc = 0; sc < 2; sc++)
            for (size_t o = 0; o < no; o++) {
                const char *kind = wf_results_org_kind(r, o);
                if (strcmp(kind, "hospital") && strcmp(kind, "locality") && strcmp(kind, "system")) continue;
                for (size_t i = 0; i < 2; i++)
                    for (size_t d = 0; d < nd; d++) {
                        double sn = 0, sd = 0;
                        for (int k = 0; k < 6; k++) {
                            char a[64], b[64];
                            snprintf(a, sizeof a, "nctr_awaiting_%s", R[k]);
                            snprintf(b, sizeof b, "delayed_bed_days_%s", R[k]);
                            sn += eu_day(r, sc, a, i, d, o);
                            sd += eu_day(r, sc, b, i, d, o);
                        }
                        double n = eu_day(r, sc, "nctr_patients", i, d, o), dd = eu_day(r, sc, "delayed_bed_days", i, d, o);
                        cells++;
                        total += dd;
                        if (fabs(sn - n) > 1e-6 * (1 + n) || fabs(sd - dd) > 1e-6 * (1 + dd)) {
                            if (bad++ < 5)
                                fprintf(stderr, "%s day %zu: reasons %g of %g NCTR, %g of %g bed-days\n",
                                        wf_results_org_name(r, o), d, sn, n, sd, dd);
                        }
                    }
            }
        printf("reasons: %d cells, %d where a split does not sum to its total (%.0f delayed bed-days)\n", cells, bad,
               total);
        CHECK(bad == 0);
        CHECK(total > 1000);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

/* Paired difference b - a of a system metric; returns 1 if computed. */
static int paired(const wf_results *r, size_t a, size_t b, const char *metric, const char *org, wf_stat *d)
{
    wf_status st = wf_results_paired(r, a, b, eu_metric(metric), eu_org(r, org), d);
    CHECK(st == WF_OK);
    return st == WF_OK;
}

/* Fewer care home beds (15% off every council's), on the same patients:
 * the care home queue and the delays waiting for a care home rise. */
static void test_care_home_cut(void)
{
    wf_scenario *s[2] = {ref(91), ref(91)};
    eu_set(s[1], "localities.north.care_home_beds", "3995");
    eu_set(s[1], "localities.south.care_home_beds", "3400");
    eu_set(s[1], "localities.west.care_home_beds", "2805");
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 2, 4, 0)) {
        wf_stat d, q;
        if (paired(r, 0, 1, "delayed_bed_days_care_home", "system", &d) &&
            paired(r, 0, 1, "care_home_queue", "system", &q)) {
            printf("care home beds -15%%: care home delayed bed-days %+.0f [%+.0f, %+.0f], queue %+.1f [%+.1f, %+.1f]\n",
                   d.mean, d.lo, d.hi, q.mean, q.lo, q.hi);
            CHECKF(d.lo > 0, "care home delays did not rise: %+.0f [%+.0f, %+.0f]", d.mean, d.lo, d.hi);
            CHECKF(q.lo > 0, "care home queue did not rise");
        }
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

/* Each lever file changes delayed bed-days, with discharge to assess off
 * (the reference) and on: no lever is switched off by another (none reads
 * exactly 0 on the same patients), none makes delays clearly worse, and the
 * levers with a direct effect on every patient they touch lower them
 * clearly. Bridging and delegated funding act through interim places under
 * discharge to assess, so they may go either way there. */
static void test_levers(void)
{
    static const char *const L[] = {"trusted_assessor", "seven_day_working", "pooled_capacity", "shared_record",
                                    "delegated_funding", "bridging", "admission_avoidance", "early_planning"};
    enum { NL = sizeof L / sizeof L[0] };
    wf_scenario *s[2 * (NL + 1)];
    for (int d2a = 0; d2a < 2; d2a++)
        for (int i = 0; i <= NL; i++) {
            char path[512];
            snprintf(path, sizeof path, WF_SOURCE_DIR "/models/partnership/%s.yaml", i == 0 ? "fragmented" : L[i - 1]);
            wf_scenario *x = eu_file(path);
            eu_set(x, "run.days", "91");
            if (d2a) eu_set(x, "partnership.discharge_to_assess", "true");
            s[d2a * (NL + 1) + i] = x;
        }
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 2 * (NL + 1), 8, 0)) {
        for (int d2a = 0; d2a < 2; d2a++)
            for (int i = 1; i <= NL; i++) {
                wf_stat d;
                size_t base = (size_t)d2a * (NL + 1);
                if (!paired(r, base, base + (size_t)i, "delayed_bed_days", "system", &d)) continue;
                printf("  %-20s discharge to assess %s: delayed bed-days %+.0f [%+.0f, %+.0f]\n", L[i - 1],
                       d2a ? "on " : "off", d.mean, d.lo, d.hi);
                int direct = i <= 4 || i == 7; /* trusted, seven-day, pooling, shared record, avoidance */
                CHECKF(d.mean != 0 || d.sd > 0, "%s (discharge to assess %s) changes nothing", L[i - 1],
                       d2a ? "on" : "off");
                CHECKF(d.lo < 0, "%s (discharge to assess %s) raises delayed bed-days: %+.0f [%+.0f, %+.0f]", L[i - 1],
                       d2a ? "on" : "off", d.mean, d.lo, d.hi);
                if (direct || !d2a)
                    CHECKF(d.mean < 0, "%s (discharge to assess %s): delayed bed-days %+.0f [%+.0f, %+.0f]", L[i - 1],
                           d2a ? "on" : "off", d.mean, d.lo, d.hi);
                if (direct)
                    CHECKF(d.hi < 0, "%s (discharge to assess %s) does not clearly lower delayed bed-days: %+.0f [%+.0f, %+.0f]",
                           L[i - 1], d2a ? "on" : "off", d.mean, d.lo, d.hi);
            }
    }
    wf_results_destroy(r);
    for (size_t i = 0; i < 2 * (NL + 1); i++) wf_scenario_destroy(s[i]);
}

/* One council adopts a trusted assessor before the others: its residents
 * wait less for home care; the council that did not changes far less. */
static void test_council_lever(void)
{
    wf_scenario *s[2] = {ref(91), ref(91)};
    eu_set(s[1], "localities.north.partnership.trusted_assessor", "true");
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 2, 4, 0)) {
        wf_stat n, w;
        if (paired(r, 0, 1, "delayed_bed_days_home_care", "north", &n) &&
            paired(r, 0, 1, "delayed_bed_days_home_care", "west", &w)) {
            printf("north alone adopts a trusted assessor: north %+.0f [%+.0f, %+.0f], west %+.0f [%+.0f, %+.0f] "
                   "home care delayed bed-days\n", n.mean, n.lo, n.hi, w.mean, w.lo, w.hi);
            CHECK(n.hi < 0);
            CHECKF(fabs(w.mean) < 0.25 * fabs(n.mean), "west moved by %.0f, north by %.0f", w.mean, n.mean);
        }
        /* the council pays for its posts: lever cost by population, exactly */
        double days = (double)wf_results_n_days(r), want = 600000 / 1e5 * 150 * days;
        double got = eu_sum(r, 1, "lever_cost", 0, eu_org(r, "north")) - eu_sum(r, 0, "lever_cost", 0, eu_org(r, "north"));
        printf("  north's trusted assessor posts: GBP %.2f (want %.2f)\n", got, want);
        CHECK_NEAR(got, want, 1e-6 * want);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

/* ---- virtual wards ------------------------------------------------------- */

/* With ample virtual ward places the caseload is the avoided admissions
 * and (1/substitution - 1) times as many people who would not have been
 * admitted: mean caseload = avoided a day / substitution x mean stay. */
static void test_virtual_ward(void)
{
    wf_scenario *s = ref(120);
    eu_set(s, "partnership.admission_avoidance", "0.3");
    eu_set(s, "community.community_trust.virtual_ward_places", "5000");
    eu_set(s, "services.virtual_ward.stay", "{distribution: exponential, mean_days: 5}");
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, 6, 0)) {
        size_t c = eu_org(r, "community_trust"), n = wf_results_n_replicates(r);
        double x[16], m, se;
        for (size_t i = 0; i < n; i++) {
            double avoided = eu_sum(r, 0, "avoided_admissions", i, c) / 120;
            x[i] = eu_sum(r, 0, "virtual_ward_occupied", i, c) - avoided / 0.4 * 5;
        }
        eu_mean_se(x, n, &m, &se);
        double scale = eu_sum(r, 0, "virtual_ward_occupied", 0, c);
        printf("virtual wards: caseload - avoided/day / 0.4 x 5 = %+.3g (se %.3g; caseload %.4g)\n", m, se, scale);
        CHECKF(fabs(m) <= 4 * se + 0.02 * scale, "virtual ward caseload off by %.3g", m);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* ---- time of day --------------------------------------------------------- */

static void test_time_of_day(void)
{
    wf_scenario *s = ref(28);
    wf_results *r = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 1;
    o.event_log = 1;
    wf_status st = wf_run(r, (const wf_scenario *const[]){s}, 1, &o);
    CHECKF(st == WF_OK, "%s", wf_results_error(r));
    if (st == WF_OK) {
        size_t n = 0, mofd = 0, off_round = 0, dis = 0, on_hour = 0, by_hour[24] = {0};
        const wf_log_record *log = wf_results_event_log(r, 0, 0, &n);
        for (size_t i = 0; i < n; i++) {
            double hour = (log[i].t - floor(log[i].t)) * 24;
            if (log[i].event == WF_LOG_MOFD) {
                mofd++;
                off_round += hour < 8 || hour >= 12;
            } else if (log[i].event == WF_LOG_DISCHARGE) {
                dis++;
                on_hour += fabs(hour - floor(hour + 0.5)) < 1e-9; /* exactly on an hour */
                by_hour[(int)hour]++;
            }
        }
        size_t peak = 0;
        for (int h = 0; h < 24; h++) peak = by_hour[h] > peak ? by_hour[h] : peak;
        printf("time of day: %zu decisions, %zu outside the 08:00-12:00 round; %zu discharges, %zu on the hour, "
               "busiest hour %.1f%%\n", mofd, off_round, dis, on_hour, 100.0 * (double)peak / (double)dis);
        CHECK(mofd > 1000 && off_round == 0);
        CHECK(dis > 1000 && (double)on_hour < 0.01 * (double)dis);
        CHECK((double)peak < 0.2 * (double)dis); /* spread through the day, no spike */
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* ---- a run that has not settled ------------------------------------------ */

static void test_queue_growing(void)
{
    wf_scenario *s[2] = {ref(91), ref(91)};
    eu_set(s[1], "hospitals.city.beds", "1100");
    eu_set(s[1], "hospitals.city.escalation_beds", "0");
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 2, 2, 0)) {
        size_t city = eu_org(r, "city");
        for (size_t i = 0; i < 2; i++) {
            CHECK(eu_sum(r, 1, "ed_queue_growing", i, city) == 1);
            CHECK(eu_sum(r, 0, "ed_queue_growing", i, city) == 0);
        }
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

/* Winter surges are not a queue that cannot be served: in the reference's
 * winter (20 replicates, seed 1) a fortnight of surges raises county's
 * mean ED boarding by more than 2 patients and a half over the fortnight
 * before in some replicates, but the queue empties between them, and
 * ed_queue_growing stays 0 everywhere. */
static void test_surges_settle(void)
{
    wf_scenario *s = eu_file(REF_MODEL);
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, 20, 0)) {
        size_t nd = wf_results_n_days(r), surged = 0, flagged = 0;
        for (size_t o = 0; o < wf_results_n_orgs(r); o++) {
            if (strcmp(wf_results_org_kind(r, o), "hospital")) continue;
            for (size_t i = 0; i < 20; i++) {
                double a = 0, b = 0;
                for (size_t d = nd - 28; d < nd - 14; d++) a += eu_day(r, 0, "ed_boarding", i, d, o) / 14;
                for (size_t d = nd - 14; d < nd; d++) b += eu_day(r, 0, "ed_boarding", i, d, o) / 14;
                surged += b - a > 2 && b - a > 0.5 * a;
                flagged += eu_sum(r, 0, "ed_queue_growing", i, o) != 0;
            }
        }
        printf("surges: %zu hospital-replicates with a fortnight's rise in ED boarding, %zu flagged\n", surged, flagged);
        CHECK(surged > 0);
        CHECK(flagged == 0);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

int main(void)
{
    test_planning();
    test_wards();
    test_reasons_sum();
    test_care_home_cut();
    test_levers();
    test_council_lever();
    test_virtual_ward();
    test_time_of_day();
    test_queue_growing();
    test_surges_settle();
    return CHECK_DONE();
}
