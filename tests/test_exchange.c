/* Systems that share patients (lib/model/exchange.c, lib/run/cluster.c):
 * two integrated care systems labelled with `system`, residents of each
 * admitted by the other (tests/fixtures/border.yaml). The systems run side
 * by side a day at a time and hand the crossing patients over.
 *
 * - the numbers are byte-identical for 1, 2 and 3 threads;
 * - no patient is lost or doubled at the border: for every hospital and the
 *   system, every replicate and day, the change of inpatients is admissions
 *   minus discharges and the change of the ED queue is arrivals minus
 *   admissions, exactly; and what the hospitals count (admissions,
 *   discharges by pathway, readmissions) the localities count too, per day;
 * - labels that cut no route change nothing: without crossing shares, or
 *   with one label for everything, the run equals the unlabelled one;
 * - crossing patients are seen by both sides: the border localities'
 *   residents are admitted, discharged and readmitted at the other
 *   system's hospital and still get their home system's services. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine_util.h"

#define BORDER WF_SOURCE_DIR "/tests/fixtures/border.yaml"

enum { DAYS = 60, WARM = 20, REPS = 3 };

/* Every labelled organisation of the fixture. */
static const char *const all[] = {"localities.north_a", "localities.south_a", "localities.west_a",
                                  "localities.north_b", "localities.south_b", "localities.west_b",
                                  "hospitals.city_a",   "hospitals.county_a", "hospitals.city_b",
                                  "hospitals.county_b"};

static wf_scenario *border(void)
{
    wf_scenario *s = eu_file(BORDER);
    eu_set(s, "run.days", "60");
    eu_set(s, "run.warmup_days", "20");
    return s;
}

static int run(wf_results *r, wf_scenario **s, size_t n, int threads)
{
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = REPS;
    o.seed = 7;
    o.threads = threads;
    wf_status st = wf_run(r, (const wf_scenario *const *)s, n, &o);
    CHECKF(st == WF_OK, "run: %s", wf_results_error(r));
    return st == WF_OK;
}

/* Scenario a of ra against b of rb: the number of metrics that differ. */
static int differ(const wf_results *ra, size_t a, const wf_results *rb, size_t b)
{
    size_t no = wf_results_n_orgs(ra), nd = wf_results_n_days(ra);
    int bad = 0;
    for (size_t m = 0; m < wf_metric_count(); m++) {
        const double *da = wf_results_daily(ra, a, m), *db = wf_results_daily(rb, b, m);
        if (!da || !db || memcmp(da, db, REPS * nd * no * sizeof *da)) bad++;
    }
    return bad;
}

static double day(const wf_results *r, const char *metric, size_t rep, size_t d, size_t o)
{
    return eu_day(r, 0, metric, rep, d, o);
}

static void threads(void)
{
    wf_results *r[3];
    for (int t = 0; t < 3; t++) {
        wf_scenario *s = border();
        r[t] = wf_results_create();
        run(r[t], &s, 1, t + 1);
        wf_scenario_destroy(s);
    }
    CHECKF(differ(r[0], 0, r[1], 0) == 0, "1 and 2 threads differ");
    CHECKF(differ(r[0], 0, r[2], 0) == 0, "1 and 3 threads differ");
    for (int t = 0; t < 3; t++) wf_results_destroy(r[t]);
}

static void conservation(void)
{
    wf_scenario *s = border();
    wf_results *r = wf_results_create();
    if (run(r, &s, 1, 2)) {
        size_t no = wf_results_n_orgs(r), nd = wf_results_n_days(r);
        const char *flows[] = {"admissions", "discharges_p0", "discharges_p1", "discharges_p2", "discharges_p3",
                               "deaths", "readmissions_30d", "deaths_while_delayed"};
        int bad_bed = 0, bad_ed = 0, bad_flow = 0, cols = 0;
        for (size_t i = 0; i < REPS; i++)
            for (size_t d = 0; d < nd; d++) {
                for (size_t o = 0; o < no; o++) {
                    const char *kind = wf_results_org_kind(r, o);
                    if (strcmp(kind, "hospital") && strcmp(kind, "system")) continue;
                    if (i == 0 && d == 0) cols++;
                    if (d == 0) continue;
                    double in = day(r, "admissions", i, d, o) + day(r, "elective_admissions", i, d, o), out = 0;
                    for (int k = 1; k <= 5; k++) out += day(r, flows[k], i, d, o); /* discharges and deaths */
                    double dbed = day(r, "inpatients_end", i, d, o) - day(r, "inpatients_end", i, d - 1, o);
                    double ded = day(r, "ed_boarding_end", i, d, o) - day(r, "ed_boarding_end", i, d - 1, o);
                    double edout = day(r, "admissions", i, d, o) + day(r, "diverted", i, d, o);
                    if (fabs(dbed - (in - out)) > 1e-9 && bad_bed++ < 5)
                        fprintf(stderr, "%s rep %zu day %zu: inpatients change %g, in - out %g\n",
                                wf_results_org_name(r, o), i, d, dbed, in - out);
                    if (fabs(ded - (day(r, "ed_arrivals", i, d, o) - edout)) > 1e-9) bad_ed++;
                }
                /* hospitals' and localities' counts of the same patients
                 * (emergency admissions: electives are counted by hospital
                 * only) */
                for (size_t f = 0; f < sizeof flows / sizeof *flows; f++) {
                    double by_h = 0, by_l = 0;
                    for (size_t o = 0; o < no; o++) {
                        const char *kind = wf_results_org_kind(r, o);
                        if (!strcmp(kind, "hospital")) by_h += day(r, flows[f], i, d, o);
                        if (!strcmp(kind, "locality")) by_l += day(r, flows[f], i, d, o);
                    }
                    if (by_h != by_l && bad_flow++ < 5)
                        fprintf(stderr, "rep %zu day %zu: %s %g by hospitals, %g by localities\n", i, d, flows[f],
                                by_h, by_l);
                }
            }
        CHECKF(cols == 5, "expected 4 hospitals and the system, got %d", cols);
        CHECKF(bad_bed == 0, "%d days break bed conservation", bad_bed);
        CHECKF(bad_ed == 0, "%d days break ED conservation", bad_ed);
        CHECKF(bad_flow == 0, "%d days where hospitals and localities count differently", bad_flow);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* Labels that cut no route: three runs in one wf_run must be equal. */
static void labels_alone(void)
{
    const char *locs[] = {"north_a", "south_a", "west_a", "north_b", "south_b", "west_b"};
    const char *hosps[] = {"city_a", "county_a", "city_b", "county_b"};
    wf_scenario *s[3];
    for (int k = 0; k < 3; k++) {
        s[k] = border();
        /* no crossing shares */
        eu_set(s[k], "localities.west_a.hospital_share", "{county_a: 1.0, city_b: 0}");
        eu_set(s[k], "localities.north_b.hospital_share", "{city_b: 1.0, county_a: 0}");
        char key[96];
        for (int i = 0; i < 6; i++) {
            snprintf(key, sizeof key, "localities.%s.system", locs[i]);
            eu_set(s[k], key, k == 0 ? "\"\"" : k == 1 ? (locs[i][strlen(locs[i]) - 1] == 'a' ? "ics_a" : "ics_b") : "one");
        }
        for (int i = 0; i < 4; i++) {
            snprintf(key, sizeof key, "hospitals.%s.system", hosps[i]);
            eu_set(s[k], key, k == 0 ? "\"\"" : k == 1 ? (hosps[i][strlen(hosps[i]) - 1] == 'a' ? "ics_a" : "ics_b") : "one");
        }
    }
    wf_results *r = wf_results_create();
    if (run(r, s, 3, 2)) {
        CHECKF(differ(r, 0, r, 1) == 0, "labels along the existing split changed the numbers");
        CHECKF(differ(r, 0, r, 2) == 0, "one label for everything changed the numbers");
    }
    /* with crossing shares, one label for everything is the unlabelled run */
    for (int k = 0; k < 3; k++) wf_scenario_destroy(s[k]);
    s[0] = border();
    s[1] = border();
    char key[96];
    for (int i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "%s.system", all[i]);
        eu_set(s[0], key, "\"\"");
        eu_set(s[1], key, "one");
    }
    if (run(r, s, 2, 2)) CHECKF(differ(r, 0, r, 1) == 0, "one label for everything changed the numbers");
    for (int k = 0; k < 2; k++) wf_scenario_destroy(s[k]);
    wf_results_destroy(r);
}

/* Crossing patients get both systems: compare the border run with the
 * same system unlabelled (simulated as one, no hand-overs), in one run
 * (common random numbers). Arrivals are the same patients, so admissions
 * by locality are equal in total; hand-overs add at most a day at each end
 * of the crossing patients' waits, so the border localities' delayed
 * bed-days rise a little, not a lot, and their residents still take up
 * their own home care. */
static void both_sides(void)
{
    wf_scenario *s[2] = {border(), border()};
    char key[96];
    for (int i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "%s.system", all[i]);
        eu_set(s[1], key, "\"\"");
    }
    wf_results *r = wf_results_create();
    if (run(r, s, 2, 2)) {
        size_t no = wf_results_n_orgs(r);
        for (size_t o = 0; o < no; o++) {
            const char *name = wf_results_org_name(r, o);
            if (strcmp(name, "west_a") && strcmp(name, "north_b")) continue;
            double adm[2] = {0, 0}, dbd[2] = {0, 0}, hc[2] = {0, 0};
            for (int k = 0; k < 2; k++)
                for (size_t i = 0; i < REPS; i++) {
                    adm[k] += eu_sum(r, k, "admissions", i, o);
                    dbd[k] += eu_sum(r, k, "delayed_bed_days", i, o);
                    hc[k] += eu_sum(r, k, "home_care_starts", i, o);
                }
            printf("%s: admissions %g / %g, delayed bed-days %g / %g, home care starts %g / %g (border / one)\n", name,
                   adm[0], adm[1], dbd[0], dbd[1], hc[0], hc[1]);
            CHECKF(fabs(adm[0] - adm[1]) <= 0.01 * adm[1], "%s: admissions %g vs %g", name, adm[0], adm[1]);
            CHECKF(dbd[0] >= 0.97 * dbd[1] && dbd[0] <= 1.15 * dbd[1], "%s: delayed bed-days %g vs %g", name, dbd[0],
                   dbd[1]);
            CHECKF(hc[0] >= 0.9 * hc[1] && hc[1] > 100, "%s: home care starts %g vs %g", name, hc[0], hc[1]);
        }
    }
    for (int k = 0; k < 2; k++) wf_scenario_destroy(s[k]);
    wf_results_destroy(r);
}

int main(void)
{
    threads();
    conservation();
    labels_alone();
    both_sides();
    return CHECK_DONE();
}
