/* Hand-computed cases (docs/model.md, "Flow" 1, 5, 6): regular arrivals,
 * fixed stays and fixed delays, so every count and every bed-day is known
 * exactly. Tolerance 1e-6: only floating-point rounding may differ.
 *
 * 10 fit admissions a day, one every 0.1 day; all need pathway 1; a fixed
 * clinical stay; referral 1 day; assessment 1 day; without a trusted
 * assessor the home care provider's own assessment, 1 day, after the place
 * is offered; no assessor limit, no funding panel, ample home care,
 * discharge at any hour; every mechanism that is not a textbook queue's
 * (ward rounds, the time a discharge takes, planning error, deaths, ...)
 * off (eu_textbook), so planning starts at the ready date.
 *
 *   seven-day working, trusted assessor:   every patient is delayed
 *     exactly 2 days, so 20 patients are NCTR at any moment,
 *     delayed_bed_days = 20 x days, and with a 2-day stay 40 beds are full.
 *   without a trusted assessor: 3 days, 30 NCTR, 50 beds.
 *   weekdays only: assessments start and complete, and patients leave, on
 *     working days only; the expected daily series are computed below,
 *     patient by patient, from those rules. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine_util.h"

enum { DAYS = 56, WARM = 21 };
#define START "2025-10-06" /* a Monday */

/* panel: weekday of the funding panel (0 = Mon), or -1 for none; holiday:
 * a bank holiday (day of the window), or -1 for none. */
static wf_scenario *det_full(double los, int trusted, int seven_day, int pathway, int panel, int holiday)
{
    static const char *wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    char panels[16] = "[]", hols[32] = "[]";
    if (panel >= 0) snprintf(panels, sizeof panels, "[%s]", wd[panel]);
    if (holiday >= 0) snprintf(hols, sizeof hols, "[2025-10-%02d]", 6 + holiday); /* within October */
    const char *need = pathway == 0 ? "{p0: 1, p1: 0, p2: 0, p3: 0}" : "{p0: 0, p1: 1, p2: 0, p3: 0}";
    char y[4096];
    snprintf(y, sizeof y,
             "name: det\n"
             "run: {start_date: " START ", days: %d, warmup_days: %d, replicates: 1, seed: 3}\n"
             "calendar: {weekday_factor: [1, 1, 1, 1, 1, 1, 1], winter: {amplitude: 0}, outbreaks: [],"
             " bank_holidays: %s, bank_holiday_factor: 1, workforce: [], arrival_process: regular}\n"
             "localities:\n"
             "  only:\n"
             "    emergency_admissions_per_day: 10\n"
             "    frailty_mix: {fit: 1, mild: 0, moderate: 0, severe: 0}\n"
             "    home_care_packages: 1000\n"
             "    care_home_beds: 0\n"
             "    assessors_per_day: null\n"
             "    community_demand: {home_care_per_day: 0, care_home_per_day: 0}\n"
             "hospitals:\n"
             "  acute: {beds: 300, escalation_beds: 0, electives_per_weekday: 0, discharge_hours: [0, 24]}\n"
             "patients:\n"
             "  los: {fit: {distribution: fixed, mean_days: %.17g}}\n"
             "  pathway_need:\n"
             "    fit: %s\n"
             "    mild: %s\n"
             "    moderate: %s\n"
             "    severe: %s\n"
             "  deconditioning: {escalation_per_delayed_day: 0, readmission_per_delayed_day: 0}\n"
             "  readmission_30d: {p0: 0, p1: 0, p2: 0, p3: 0}\n"
             "services:\n"
             "  home_care: {reablement: {distribution: fixed, mean_days: 30}, long_term_share: 0,"
             " initial_occupancy: 0}\n"
             "partnership:\n"
             "  preset: fragmented\n"
             "  trusted_assessor: %s\n"
             "  discharge_to_assess: false\n"
             "  seven_day_working: %s\n"
             "  weekend_discharge_share: 0\n" /* hand-computed: no discharges at all at weekends */
             "  pooled_capacity: 0\n"
             "  bridging: false\n"
             "  referral_delay: {distribution: fixed, mean_days: 1}\n"
             "  assessment_delay: {distribution: fixed, mean_days: 1}\n"
             "  funding_panel_weekdays: %s\n"
             "  admission_avoidance: 0\n",
             DAYS, WARM, hols, los, need, need, need, need, trusted ? "true" : "false", seven_day ? "true" : "false", panels);
    wf_scenario *s = eu_yaml(y, "det");
    eu_textbook(s, (const char *[]){"acute"}, 1);
    eu_set(s, "partnership.provider_assessment", "{distribution: fixed, mean_days: 1}");
    /* the panel decides complex home care packages (and care homes) */
    if (panel >= 0) eu_set(s, "patients.complex_needs.fit", "1");
    return s;
}

static wf_scenario *det(double los, int trusted, int seven_day, int pathway)
{
    return det_full(los, trusted, seven_day, pathway, -1, -1);
}

/* Day of week of a "YYYY-MM-DD" date, Monday = 0 (Sakamoto). */
static int weekday_of(const char *date)
{
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y--;
    int sun0 = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7; /* Sunday = 0 */
    return (sun0 + 6) % 7;
}

static int monday0;       /* weekday of day 0 */
static int holiday0 = -1; /* the bank holiday, if any */
static int weekday(int day) { return (day % 7 + 7 + monday0) % 7; }
static int working(int day, int seven_day)
{
    return seven_day || (weekday(day) < 5 && day != holiday0);
}
static double next_working_midnight(double t, int seven_day)
{
    int d = (int)floor(t) + 1;
    while (!working(d, seven_day)) d++;
    return d;
}
static double overlap(double a, double b, double lo, double hi)
{
    double x = fmax(a, lo), y = fmin(b, hi);
    return y > x ? y - x : 0;
}

/* Expected daily series, patient by patient, from the documented rules:
 * MOFD m = arrival + stay; referral ends at m + 1 whatever the day; the
 * assessment starts then if that is a working day, else at the next
 * working day's start; it ends a day later, moved to the next working
 * day's start if that is not a working day; with a funding panel, the
 * decision comes at midday of the next panel day after the day the
 * assessment ends that is not a bank holiday (docs/model.md); the place is
 * free at once; without a trusted assessor the provider's assessment takes
 * a day more, moved to the next working day's start likewise; then the
 * patient leaves at once (the window is the whole day) on a working day,
 * else at the next working day's start. A pathway 0 patient leaves at
 * MOFD if that is a working day, else at the next working day's start. */
static void expected(double los, int pathway, int trusted, int seven_day, int panel, double *delayed, double *occ,
                     double *dis)
{
    for (int d = 0; d < DAYS; d++) delayed[d] = occ[d] = dis[d] = 0;
    for (long k = 1;; k++) {
        double a = -WARM + 0.1 * (double)k;
        if (a >= DAYS) break;
        double m = a + los, r = m + 1, leave;
        if (pathway == 0) {
            leave = working((int)floor(m), seven_day) ? m : next_working_midnight(m, seven_day);
        } else {
            double s = working((int)floor(r), seven_day) ? r : next_working_midnight(r, seven_day);
            double t = s + 1;
            if (!working((int)floor(t), seven_day)) t = next_working_midnight(t, seven_day);
            if (panel >= 0) { /* the next panel day after today that is not a holiday, at midday */
                int d = (int)floor(t) + 1;
                while (weekday(d) != panel || d == holiday0) d++;
                t = d + 0.5;
            }
            if (!trusted) { /* the provider's own assessment */
                t += 1;
                if (!working((int)floor(t), seven_day)) t = next_working_midnight(t, seven_day);
            }
            leave = working((int)floor(t), seven_day) ? t : next_working_midnight(t, seven_day);
        }
        for (int d = 0; d < DAYS; d++) {
            delayed[d] += overlap(m, leave, d, d + 1);
            occ[d] += overlap(a, leave, d, d + 1);
        }
        if (leave >= 0 && leave < DAYS) dis[(int)floor(leave)] += 1;
    }
}

/* Catches: delays drawn from the wrong distribution or not at all, the
 * provider's assessment missing (or applied with a trusted assessor), NCTR
 * counted from the wrong moment, a place wait where none should be, and
 * bed-day integrals wrong at day boundaries. */
static void closed_form(int trusted, double want_nctr, double want_occ)
{
    wf_scenario *s = det(2, trusted, 1, 1);
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, 1, 1)) {
        const char *orgs[] = {"acute", "only", "system"};
        for (int k = 0; k < 3; k++) {
            size_t o = eu_org(r, orgs[k]);
            double dbd = eu_sum(r, 0, "delayed_bed_days", 0, o), nctr = eu_sum(r, 0, "nctr_patients", 0, o);
            printf("  trusted %d, %-6s: delayed_bed_days %.9g (want %g), nctr %.9g (want %g)\n", trusted,
                   orgs[k], dbd, want_nctr * DAYS, nctr, want_nctr);
            CHECK_NEAR(dbd, want_nctr * DAYS, 1e-6);
            CHECK_NEAR(nctr, want_nctr, 1e-6);
        }
        size_t h = eu_org(r, "acute");
        double occ = eu_sum(r, 0, "occupied_beds", 0, h);
        printf("  trusted %d: occupied_beds %.9g (want %g)\n", trusted, occ, want_occ);
        CHECK_NEAR(occ, want_occ, 1e-6);
        for (size_t d = 0; d < DAYS; d++) {
            CHECK_NEAR(eu_day(r, 0, "delayed_bed_days", 0, d, h), want_nctr, 1e-6);
            CHECK_NEAR(eu_day(r, 0, "occupied_beds", 0, d, h), want_occ, 1e-6);
        }
        /* every arrival in the window is admitted at once: 10 a day, give
         * or take the one that lands on the window's edge */
        CHECK_NEAR(eu_sum(r, 0, "admissions", 0, h), 10.0 * DAYS, 1);
        CHECK(eu_sum(r, 0, "ed_boarding", 0, h) == 0);
        CHECK(eu_sum(r, 0, "home_care_queue", 0, eu_org(r, "only")) == 0);
        CHECK(eu_sum(r, 0, "assessment_queue", 0, eu_org(r, "only")) == 0);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* Weekdays only. Pathway 1 catches assessments starting at weekends, and
 * patients not released on Monday morning; pathway 0 catches weekend
 * discharges; both catch off-by-one errors in the calendar's weekdays. */
/* known: the total delayed bed-days of the window, worked out by hand from
 * the rules (below, at each call), independently of expected(). */
static void weekdays_full(int pathway, int trusted, int panel, int holiday, double known)
{
    const double los = 2.05; /* keeps every referral off midnight: no ties to decide */
    const char *dis_metric = pathway == 0 ? "discharges_p0" : "discharges_p1";
    wf_scenario *s = det_full(los, trusted, 0, pathway, panel, holiday);
    holiday0 = holiday;
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, 1, 1)) {
        monday0 = weekday_of(wf_results_date(r, 0));
        CHECKF(monday0 == 0, "day 0 (%s) is weekday %d, want Monday", wf_results_date(r, 0), monday0);
        double delayed[DAYS], occ[DAYS], dis[DAYS];
        expected(los, pathway, trusted, 0, panel, delayed, occ, dis);
        size_t h = eu_org(r, "acute");
        double tot_want = 0, tot_got = 0;
        int bad = 0;
        for (int d = 0; d < DAYS; d++) {
            double gd = eu_day(r, 0, "delayed_bed_days", 0, (size_t)d, h);
            double go = eu_day(r, 0, "occupied_beds", 0, (size_t)d, h);
            double gx = eu_day(r, 0, dis_metric, 0, (size_t)d, h);
            tot_want += delayed[d];
            tot_got += gd;
            if (fabs(gd - delayed[d]) > 1e-6 || fabs(go - occ[d]) > 1e-6 || fabs(gx - dis[d]) > 1e-6) {
                if (bad++ < 8)
                    fprintf(stderr, "weekdays, pathway %d, trusted %d, day %d (%s): delayed %.6f want %.6f, occupied "
                                    "%.6f want %.6f, discharges %g want %g\n",
                            pathway, trusted, d, wf_results_date(r, (size_t)d), gd, delayed[d], go, occ[d], gx, dis[d]);
            }
            if (!working(d, 0)) CHECKF(gx == 0, "a discharge on day %d, a weekend day", d);
        }
        int seven = pathway == 0 ? 0 : trusted ? 2 : 3; /* delay per patient with seven-day working */
        printf("  weekdays only, panel %d, holiday %d, pathway %d, trusted %d: delayed_bed_days %.6f (hand %.6f), %d days differ; "
               "mean delay per patient %.4f days (7-day: %d)\n",
               panel, holiday, pathway, trusted, tot_got, tot_want, bad, tot_want / (10.0 * DAYS), seven);
        CHECKF(bad == 0, "weekdays only, pathway %d, trusted %d: %d days differ from the hand computation", pathway,
               trusted, bad);
        CHECK_NEAR(eu_sum(r, 0, "delayed_bed_days", 0, h), tot_want, 1e-6);
        /* the model against the total worked out by hand (not against
         * expected(), which the check above already compares it with) */
        CHECKF(fabs(tot_got - known) <= 1e-6, "weekdays, pathway %d, trusted %d, panel %d, holiday %d: "
               "delayed_bed_days %.6f, known %.6f", pathway, trusted, panel, holiday, tot_got, known);
        /* the weekend effect is real: more delay than with seven-day working */
        CHECK(known > seven * 10.0 * DAYS);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
    holiday0 = -1;
}

static void weekdays_only(int pathway, int trusted, double known) { weekdays_full(pathway, trusted, -1, -1, known); }

int main(void)
{
    printf("seven-day working, trusted assessor: 2 days' delay each\n");
    closed_form(1, 20, 40);
    printf("seven-day working, the provider assesses again: 3 days' delay each\n");
    closed_form(0, 30, 50);
    /* The window is 8 whole weeks from a Monday, after 3 weeks of warm-up,
     * and the process repeats weekly, so its delayed bed-days are 8 x 70
     * patients x their mean delay over one week of referral weekdays. The
     * referral ends at r = MOFD + 1 at .05, .15, ... of a day (mean .5):
     *   pathway 1, trusted (assessment 1 day): r Mon..Thu: 2 days; Fri,
     *     Sat: 4 - .5 (out on Monday); Sun: 3 - .5: mean 17.5 / 7 = 2.5,
     *     1400 bed-days;
     *   pathway 1, two assessments (the council's, then the provider's,
     *     a day each, each moved to a working day): Mon..Wed: 3; Thu: 5 -
     *     .5 (provider Sat -> Mon 0:00); Fri: 5 - .5 (council Sat -> Mon,
     *     provider Tue); Sat: 5 - .5; Sun: 4 - .5: mean 26 / 7, 2080;
     *   pathway 0 (out at MOFD on a working day): MOFD on Sat: 2 - .5, Sun:
     *     1 - .5, else 0: mean 2 / 7, 160. */
    printf("weekdays only (hand computation, patient by patient)\n");
    weekdays_only(1, 1, 1400);
    weekdays_only(1, 0, 2080);
    weekdays_only(0, 1, 160);
    /* A Monday funding panel and a bank holiday on a Monday (day 14). Catches
     * panels ignored or sitting on holidays, holidays treated as working
     * days, and assessments that end at weekends (a Saturday end would meet
     * Monday's panel; moved to Monday's start it waits a week). Known:
     *   pathway 1: everyone leaves when the panel decides, at midday of
     *     the first panel Monday after the day their assessment ends: r
     *     Mon: 8.5 - .5; Tue: 7.5 - .5; Wed: 6.5 - .5; Thu: 5.5 - .5; Fri:
     *     11.5 - .5 (the assessment ends Monday 0:00, so the next Monday);
     *     Sat: 10.5 - .5; Sun: 9.5 - .5: mean 8, 4480; the holiday cancels
     *     day 14's panel, so the 70 patients with r on days 4 to 10 wait 7
     *     days more: 4480 + 490 = 4970;
     *   pathway 0 ignores the panel: 160, and the holiday keeps the MOFDs
     *     of Saturday 12 and Sunday 13 a day more (+20) and those of day 14
     *     half a day on average (+5): 185. */
    printf("weekdays only, funding panel on Mondays, bank holiday on day 14 (a Monday)\n");
    weekdays_full(1, 1, 0, 14, 4970);
    weekdays_full(0, 1, 0, 14, 185);
    return CHECK_DONE();
}
