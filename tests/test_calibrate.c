/* Calibration (winterflow.h, section 8), public API only:
 *
 *   recovery        "observed" series simulated from known values (another
 *                   seed than the calibration's), calibrated over wide
 *                   ranges: the truth is inside every identifiable key's
 *                   90% credible interval, and those intervals are narrow
 *   identifiability a key the data cannot see (a unit cost, with no cost
 *                   observed) keeps a posterior as wide as its prior
 *   shrinkage       the same calibration seeing fewer metrics gives wider
 *                   intervals
 *   resume          a calibration stopped after a generation and continued
 *                   ends exactly as one that ran through; the file reads
 *                   back to the same state
 *   posterior runs  each replicate's draw is the same in every scenario, is
 *                   the run of that draw's values, and is recorded; a key
 *                   the scenarios differ in is refused
 *   bad files       every malformed observed file is an error naming its line
 *
 * The system is tests/fixtures/calibrate.yaml (a few milliseconds a
 * replicate). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "engine_util.h"
#include "file_util.h"

#define SMALL WF_SOURCE_DIR "/tests/fixtures/calibrate.yaml"
#define K_RATE "localities.north.emergency_admissions_per_day"
#define K_ASSESS "partnership.assessment_delay.mean_days"
#define K_COST "costs.acute_bed_day"
#define TRUE_RATE 15.0
#define TRUE_ASSESS 1.5

static char tmpdir[256];

static void tmp_path(char *buf, size_t len, const char *name) { snprintf(buf, len, "%s/%s", tmpdir, name); }

/* Remove the (flat) temporary folder. */
static void remove_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char p[600];
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
        snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
        remove(p);
    }
    if (d) closedir(d);
    rmdir(tmpdir);
}

/* ---- observed data from a known truth ----------------------------------- */

enum { OBS_ADMISSIONS = 1, OBS_NCTR = 2, OBS_ON_DAY = 4, OBS_REASON = 8 };

/* One replicate of the small system at the true values, seed 99, written
 * as observed rows: admissions by day (system), NCTR at 08:00 by day
 * (city), the on-the-day share and NCTR waiting for an assessment by
 * month (system). */
static void write_observed(const char *path, int which)
{
    wf_scenario *s = eu_file(SMALL);
    char v[32];
    snprintf(v, sizeof v, "%g", TRUE_RATE);
    eu_set(s, K_RATE, v);
    snprintf(v, sizeof v, "%g", TRUE_ASSESS);
    eu_set(s, K_ASSESS, v);
    wf_results *r = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 1;
    o.seed = 99;
    CHECK(wf_run(r, (const wf_scenario *const[]){s}, 1, &o) == WF_OK);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fprintf(f, "date,organisation,metric,value\n");
    size_t D = wf_results_n_days(r), O = wf_results_n_orgs(r);
    size_t sys = wf_results_org_find(r, "system"), city = wf_results_org_find(r, "city");
    const double *adm = wf_results_daily(r, 0, wf_metric_find("admissions"));
    const double *nctr = wf_results_daily(r, 0, wf_metric_find("nctr_patients_8am"));
    const double *onday = wf_results_daily(r, 0, wf_metric_find("discharged_on_ready_date"));
    const double *reason = wf_results_daily(r, 0, wf_metric_find("nctr_awaiting_assessment"));
    for (size_t d = 0; d < D; d++) {
        if (which & OBS_ADMISSIONS) fprintf(f, "%s,system,admissions,%.17g\n", wf_results_date(r, d), adm[d * O + sys]);
        if (which & OBS_NCTR) fprintf(f, "%s,city,nctr_patients_8am,%.17g\n", wf_results_date(r, d), nctr[d * O + city]);
    }
    /* monthly measures as the library takes them: the mean of the days' values */
    const char *months[2] = {"2025-10", "2025-11"};
    for (int m = 0; m < 2; m++)
        for (int k = 0; k < 2; k++) {
            if (!(which & (k ? OBS_REASON : OBS_ON_DAY))) continue;
            const double *v = k ? reason : onday;
            double sum = 0;
            int n = 0;
            for (size_t d = 0; d < D; d++)
                if (!strncmp(wf_results_date(r, d), months[m], 7) && !isnan(v[d * O + sys])) sum += v[d * O + sys], n++;
            fprintf(f, "%s,system,%s,%.17g\n", months[m], k ? "nctr_awaiting_assessment" : "discharged_on_ready_date",
                    sum / n);
        }
    fclose(f);
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* A calibration of the small system (or NULL after a failed check). */
static wf_calibration *calibrate(const char *observed, const char *const *vary, size_t nvary, size_t budget,
                                 size_t particles, const char *out, int (*gen_cb)(void *, const wf_calibration *),
                                 void *user, wf_status *status)
{
    wf_scenario *s = eu_file(SMALL);
    wf_calibration *c = wf_calibration_create();
    for (size_t k = 0; k < nvary; k++) CHECKF(wf_calibration_vary(c, vary[k]) == WF_OK, "%s", wf_calibration_error(c));
    CHECKF(wf_calibration_observe(c, observed) == WF_OK, "%s", wf_calibration_error(c));
    wf_calibration_options o;
    wf_calibration_options_init(&o, sizeof o);
    o.budget = budget;
    o.particles = particles;
    o.threads = 2;
    o.generation_done = gen_cb;
    o.user = user;
    wf_status st = wf_calibration_open(c, s, out, &o);
    CHECKF(st == WF_OK, "open: %s", wf_calibration_error(c));
    if (st == WF_OK) st = wf_calibration_run(c);
    if (status) *status = st;
    else CHECKF(st == WF_OK, "run: %s", wf_calibration_error(c));
    wf_scenario_destroy(s);
    return c;
}

static size_t key_index(const wf_calibration *c, const char *key)
{
    for (size_t k = 0; k < wf_calibration_n_keys(c); k++)
        if (!strcmp(wf_calibration_key(c, k), key)) return k;
    CHECKF(0, "no key %s", key);
    return 0;
}

static wf_estimate estimate(const wf_calibration *c, const char *key)
{
    wf_estimate e = {0};
    CHECK(wf_calibration_estimate(c, key_index(c, key), &e) == WF_OK);
    return e;
}

static void print_estimates(const char *what, const wf_calibration *c)
{
    printf("%s: %zu simulations, %zu generations, %s\n", what, wf_calibration_simulations(c),
           wf_calibration_n_generations(c), wf_calibration_converged(c) ? "converged" : "budget spent");
    for (size_t k = 0; k < wf_calibration_n_keys(c); k++) {
        wf_estimate e;
        wf_calibration_estimate(c, k, &e);
        printf("  %-45s mean %8.4g  90%% [%8.4g, %8.4g]  prior [%g, %g]\n", wf_calibration_key(c, k), e.mean, e.lo,
               e.hi, e.prior_lo, e.prior_hi);
    }
}

static double rel_width(const wf_estimate *e) { return (e->hi - e->lo) / (e->prior_hi - e->prior_lo); }

/* ---- recovery, identifiability, shrinkage ------------------------------- */

static void test_recovery(void)
{
    char all[512], few[512];
    tmp_path(all, sizeof all, "observed_all.csv");
    tmp_path(few, sizeof few, "observed_few.csv");
    write_observed(all, OBS_ADMISSIONS | OBS_NCTR | OBS_ON_DAY | OBS_REASON);
    write_observed(few, OBS_ADMISSIONS);
    const char *vary[] = {K_RATE "=5:30", K_ASSESS "=0.2:4", K_COST "=100:1000"};

    wf_calibration *c = calibrate(all, vary, 3, 1200, 60, NULL, NULL, NULL, NULL);
    print_estimates("all metrics", c);
    wf_estimate rate = estimate(c, K_RATE), assess = estimate(c, K_ASSESS), cost = estimate(c, K_COST);
    /* the truth inside the 90% credible intervals */
    CHECKF(rate.lo <= TRUE_RATE && TRUE_RATE <= rate.hi, "rate [%g, %g]", rate.lo, rate.hi);
    CHECKF(assess.lo <= TRUE_ASSESS && TRUE_ASSESS <= assess.hi, "assessment [%g, %g]", assess.lo, assess.hi);
    /* identified: the intervals are a small part of the prior */
    CHECKF(rel_width(&rate) < 0.25, "rate width %g of the prior", rel_width(&rate));
    CHECKF(rel_width(&assess) < 0.5, "assessment width %g of the prior", rel_width(&assess));
    /* not identified: the cost keeps (most of) its prior's width, 0.9 for a uniform */
    CHECKF(rel_width(&cost) > 0.6, "cost width %g of the prior", rel_width(&cost));
    /* convergence: tolerances fall, ESS is reported */
    size_t G = wf_calibration_n_generations(c);
    CHECK(G >= 3);
    wf_generation g0, gl;
    wf_calibration_generation(c, 0, &g0);
    wf_calibration_generation(c, G - 1, &gl);
    CHECK(gl.tolerance < g0.tolerance);
    CHECK(g0.acceptance == 1.0 && gl.ess > 1 && gl.ess <= 60);
    CHECK(gl.simulations == wf_calibration_simulations(c) && gl.simulations <= 1200);
    /* the fit: the posterior predictive brackets the observed series */
    for (size_t s = 0; s < wf_calibration_n_series(c); s++) {
        wf_series_fit f;
        CHECK(wf_calibration_series(c, s, &f) == WF_OK);
        CHECKF(f.lo <= f.observed && f.observed <= f.hi, "%s: observed %g, predicted [%g, %g]", f.metric, f.observed,
               f.lo, f.hi);
    }
    CHECK(wf_calibration_n_rows(c) == 61 + 61 + 2 + 2);

    /* fewer metrics: admissions alone say little of the assessment delay */
    wf_calibration *c2 = calibrate(few, vary, 2, 1200, 60, NULL, NULL, NULL, NULL);
    print_estimates("admissions only", c2);
    wf_estimate assess2 = estimate(c2, K_ASSESS), rate2 = estimate(c2, K_RATE);
    CHECKF(rel_width(&assess2) > 1.5 * rel_width(&assess), "assessment width %g (admissions only) vs %g (all)",
           rel_width(&assess2), rel_width(&assess));
    CHECKF(rate2.lo <= TRUE_RATE && TRUE_RATE <= rate2.hi, "rate [%g, %g]", rate2.lo, rate2.hi);
    wf_calibration_destroy(c2);
    wf_calibration_destroy(c);
}

/* ---- resume ----------------------------------------------------------------------- */

static int stop_after_one(void *user, const wf_calibration *c)
{
    (void)user;
    return wf_calibration_n_generations(c) == 2;
}

static void same_state(const wf_calibration *a, const wf_calibration *b, const char *what)
{
    size_t P = wf_calibration_n_particles(a), K = wf_calibration_n_keys(a), G = wf_calibration_n_generations(a);
    CHECKF(P == wf_calibration_n_particles(b) && K == wf_calibration_n_keys(b) && G == wf_calibration_n_generations(b),
           "%s: shapes", what);
    if (P != wf_calibration_n_particles(b) || K != wf_calibration_n_keys(b)) return;
    CHECKF(!memcmp(wf_calibration_particles(a), wf_calibration_particles(b), P * K * sizeof(double)), "%s: particles", what);
    CHECKF(!memcmp(wf_calibration_weights(a), wf_calibration_weights(b), P * sizeof(double)), "%s: weights", what);
    for (size_t g = 0; g < G && g < wf_calibration_n_generations(b); g++) {
        wf_generation x, y;
        wf_calibration_generation(a, g, &x);
        wf_calibration_generation(b, g, &y);
        CHECKF(x.tolerance == y.tolerance && x.ess == y.ess && x.acceptance == y.acceptance &&
               x.simulations == y.simulations, "%s: generation %zu", what, g);
    }
    for (size_t i = 0; i < wf_calibration_n_rows(a); i++) {
        wf_observation x, y;
        wf_calibration_row(a, i, &x);
        wf_calibration_row(b, i, &y);
        CHECKF(x.mean == y.mean && x.lo == y.lo && x.hi == y.hi && !strcmp(x.date, y.date), "%s: row %zu", what, i);
    }
}

static void test_resume(void)
{
    char obs[512], whole[512], parts[512];
    tmp_path(obs, sizeof obs, "observed_resume.csv");
    tmp_path(whole, sizeof whole, "whole.h5");
    tmp_path(parts, sizeof parts, "parts.h5");
    write_observed(obs, OBS_ADMISSIONS | OBS_ON_DAY);
    const char *vary[] = {K_RATE "=5:30", K_ASSESS "=0.2:4"};
    wf_calibration *a = calibrate(obs, vary, 2, 200, 20, whole, NULL, NULL, NULL);
    CHECK(wf_calibration_n_generations(a) >= 4);
    wf_status st;
    wf_calibration *b = calibrate(obs, vary, 2, 200, 20, parts, stop_after_one, NULL, &st);
    CHECK(st == WF_ECANCELLED && wf_calibration_n_generations(b) == 2);
    wf_calibration_destroy(b);
    /* continued from the file: only the rest runs */
    b = calibrate(obs, vary, 2, 200, 20, parts, NULL, NULL, NULL);
    same_state(a, b, "resumed");
    /* read back */
    wf_calibration *r = wf_calibration_create();
    CHECKF(wf_calibration_read(r, whole) == WF_OK, "%s", wf_calibration_error(r));
    same_state(a, r, "read back");
    /* a finished calibration opened again runs nothing */
    wf_calibration *again = calibrate(obs, vary, 2, 200, 20, whole, NULL, NULL, NULL);
    same_state(a, again, "reopened");
    /* another calibration on the file is refused; overwrite is the way */
    const char *other[] = {K_RATE "=5:31", K_ASSESS "=0.2:4"};
    wf_calibration *c = wf_calibration_create();
    wf_scenario *s = eu_file(SMALL);
    wf_calibration_vary(c, other[0]);
    wf_calibration_vary(c, other[1]);
    wf_calibration_observe(c, obs);
    wf_calibration_options o;
    wf_calibration_options_init(&o, sizeof o);
    o.particles = 20;
    CHECK(wf_calibration_open(c, s, whole, &o) == WF_EIO);
    CHECKF(strstr(wf_calibration_error(c), "another calibration") && strstr(wf_calibration_error(c), "ranges"), "%s",
           wf_calibration_error(c));
    /* a budget below the first generation */
    o.budget = 10;
    o.overwrite = 1;
    CHECK(wf_calibration_open(c, s, NULL, &o) == WF_OK);
    CHECK(wf_calibration_run(c) == WF_EINVAL && strstr(wf_calibration_error(c), "budget"));
    wf_scenario_destroy(s);
    wf_calibration_destroy(c);
    wf_calibration_destroy(again);
    wf_calibration_destroy(r);
    wf_calibration_destroy(b);
    wf_calibration_destroy(a);
}

/* ---- runs drawing from the posterior ----------------------------------------------- */

static void test_posterior_runs(void)
{
    char obs[512], cal[512];
    tmp_path(obs, sizeof obs, "observed_post.csv");
    tmp_path(cal, sizeof cal, "post.h5");
    write_observed(obs, OBS_ADMISSIONS | OBS_ON_DAY);
    const char *vary[] = {K_RATE "=5:30", K_ASSESS "=0.2:4"};
    wf_calibration *c = calibrate(obs, vary, 2, 200, 20, cal, NULL, NULL, NULL);
    wf_calibration *post = wf_calibration_create();
    CHECK(wf_calibration_read(post, cal) == WF_OK);

    /* two configurations that differ in a key the posterior does not set */
    wf_scenario *s[2] = {eu_file(SMALL), eu_file(SMALL)};
    eu_set(s[1], "partnership.trusted_assessor", "true");
    wf_results *r = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 6;
    o.threads = 2;
    o.posterior = post;
    CHECKF(wf_run(r, (const wf_scenario *const *)s, 2, &o) == WF_OK, "%s", wf_results_error(r));
    size_t distinct = 0;
    for (size_t rep = 0; rep < 6; rep++) {
        size_t p = wf_results_posterior_draw(r, rep);
        CHECK(p < wf_calibration_n_particles(post));
        distinct += rep == 0 || p != wf_results_posterior_draw(r, 0);
        /* replicate rep is the run of particle p's values, replicate rep */
        wf_scenario *x = eu_file(SMALL);
        const double *th = wf_calibration_particles(post);
        char v[48];
        snprintf(v, sizeof v, "%.17g", th[p * 2 + 0]);  /* a real key: as drawn */
        eu_set(x, K_RATE, v);
        snprintf(v, sizeof v, "%.17g", th[p * 2 + 1]);
        eu_set(x, K_ASSESS, v);
        wf_results *rx = wf_results_create();
        wf_run_options ox;
        wf_run_options_init(&ox, sizeof ox);
        ox.replicates = (int)rep + 1;
        ox.threads = 2;
        CHECK(wf_run(rx, (const wf_scenario *const[]){x}, 1, &ox) == WF_OK);
        size_t m = wf_metric_find("delayed_bed_days"), O = wf_results_n_orgs(r);
        CHECKF(wf_results_summary(rx, 0, m)[rep * O + O - 1] == wf_results_summary(r, 0, m)[rep * O + O - 1],
               "replicate %zu", rep);
        wf_results_destroy(rx);
        wf_scenario_destroy(x);
    }
    CHECK(distinct > 1);
    CHECK(wf_results_posterior_draw(r, 6) == WF_NOT_FOUND);
    /* recorded in the results file */
    char out[512];
    tmp_path(out, sizeof out, "post_results.h5");
    CHECKF(wf_results_write(r, (const wf_scenario *const *)s, 2, out, NULL) == WF_OK, "%s", wf_results_error(r));
    wf_results *back = wf_results_create();
    CHECKF(wf_results_read(back, out) == WF_OK, "%s", wf_results_error(back));
    wf_results_destroy(back);

    /* a run without a posterior has no draws */
    o.posterior = NULL;
    CHECK(wf_run(r, (const wf_scenario *const *)s, 2, &o) == WF_OK);
    CHECK(wf_results_posterior_draw(r, 0) == WF_NOT_FOUND);
    /* appending runs without draws to a file with them is refused */
    CHECK(wf_results_append(r, (const wf_scenario *const *)s, 2, out, NULL) == WF_EIO);
    CHECKF(strstr(wf_results_error(r), "posterior"), "%s", wf_results_error(r));

    /* a posterior key the configurations differ in is refused */
    eu_set(s[1], K_ASSESS, "0.5");
    o.posterior = post;
    CHECK(wf_run(r, (const wf_scenario *const *)s, 2, &o) == WF_EINVAL);
    CHECKF(strstr(wf_results_error(r), K_ASSESS) && strstr(wf_results_error(r), "differs"), "%s",
           wf_results_error(r));
    /* a calibration without a population */
    wf_calibration *empty = wf_calibration_create();
    o.posterior = empty;
    CHECK(wf_run(r, (const wf_scenario *const *)s, 1, &o) == WF_EINVAL);
    wf_calibration_destroy(empty);

    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
    wf_calibration_destroy(post);
    wf_calibration_destroy(c);
}

/* ---- bad observed files and bad setups ------------------------------------------------ */

static void expect_bad(const char *name, const char *text, wf_status want, const char *fragment)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    wf_scenario *s = eu_file(SMALL);
    wf_calibration *c = wf_calibration_create();
    wf_calibration_vary(c, K_RATE "=5:30");
    wf_status st = wf_calibration_observe(c, path);
    if (st == WF_OK) st = wf_calibration_open(c, s, NULL, NULL);
    CHECKF(st == want, "%s: status %d, want %d (%s)", name, st, want, wf_calibration_error(c));
    CHECKF(strstr(wf_calibration_error(c), fragment) && strstr(wf_calibration_error(c), name), "%s: '%s' lacks '%s'",
           name, wf_calibration_error(c), fragment);
    wf_calibration_destroy(c);
    wf_scenario_destroy(s);
}

#define HEAD "date,organisation,metric,value\n"

static void test_bad_files(void)
{
    expect_bad("header.csv", "day,organisation,metric,value\n2025-10-01,system,admissions,3\n", WF_EPARSE,
               "line 1: the header must be date,organisation,metric,value");
    expect_bad("metric.csv", HEAD "2025-10-01,system,admissions,3\n2025-10-02,system,admisions,3\n", WF_EPARSE,
               "line 3: unknown metric 'admisions'");
    expect_bad("ratio.csv", HEAD "2025-10-01,system,admissions/beds,3\n", WF_EPARSE, "line 2: unknown metric 'beds'");
    expect_bad("org.csv", HEAD "2025-10-01,south,admissions,3\n", WF_EPARSE, "line 2: unknown organisation 'south'");
    expect_bad("window.csv", HEAD "2025-10-01,system,admissions,3\n2025-12-01,system,admissions,3\n", WF_EPARSE,
               "line 3: the date 2025-12-01 is outside the run's measured window, 2025-10-01 to 2025-11-30");
    expect_bad("month.csv", HEAD "2025-12,system,admissions,3\n", WF_EPARSE, "line 2: the month 2025-12 is outside");
    expect_bad("dup.csv", HEAD "2025-10-01,city,admissions,3\n2025-10-02,city,admissions,3\n2025-10-01,city,admissions,4\n",
               WF_EPARSE, "line 4: admissions of city on 2025-10-01 is given twice (first at");
    expect_bad("number.csv", HEAD "2025-10-01,system,admissions,three\n", WF_EPARSE, "line 2: value 'three' is not a number");
    expect_bad("nan.csv", HEAD "2025-10-01,system,admissions,nan\n", WF_EPARSE, "line 2: value 'nan' is not a number");
    expect_bad("empty.csv", HEAD "2025-10-01,system,admissions,\n", WF_EPARSE, "line 2: value '' is not a number");
    expect_bad("date.csv", HEAD "2025-02-30,system,admissions,3\n", WF_EPARSE, "line 2: date '2025-02-30' is not");
    expect_bad("pctl.csv", HEAD "2025-10,system,delay_days_p90,3\n", WF_EPARSE, "line 2: delay_days_p90 is a percentile");
    expect_bad("applies.csv", HEAD "2025-10-01,icb,admissions,3\n", WF_EPARSE, "line 2: admissions does not apply to icb");
    expect_bad("quote.csv", HEAD "2025-10-01,\"system,admissions,3\n", WF_EPARSE, "line 2");
    expect_bad("columns.csv", HEAD "2025-10-01,system,admissions,3,4\n", WF_EPARSE, "line 2");
    expect_bad("norows.csv", HEAD, WF_EPARSE, "no rows");

    /* bad ranges */
    wf_calibration *c = wf_calibration_create();
    CHECK(wf_calibration_vary(c, "nonsense") == WF_EPARSE);
    CHECK(wf_calibration_vary(c, K_RATE "=5") == WF_EPARSE);
    CHECK(wf_calibration_vary(c, K_RATE "=5:x") == WF_EPARSE);
    CHECK(wf_calibration_vary(c, "localities.north.no_such_key=1:2") == WF_EKEY);
    CHECK(wf_calibration_vary(c, "partnership.trusted_assessor=0:1") == WF_ETYPE);
    CHECK(wf_calibration_vary(c, K_RATE "=5:3") == WF_ERANGE);
    CHECK(wf_calibration_vary(c, "localities.north.home_care_vacancy_rate=0:2") == WF_ERANGE);
    CHECK(wf_calibration_vary(c, "run.days=30:60") == WF_EINVAL);
    CHECK(wf_calibration_vary(c, K_RATE "=5:30") == WF_OK);
    CHECK(wf_calibration_vary(c, K_RATE "=5:31") == WF_EINVAL);
    /* open without data; a key the scenario lacks */
    wf_scenario *s = eu_file(SMALL);
    CHECK(wf_calibration_open(c, s, NULL, NULL) == WF_EINVAL && strstr(wf_calibration_error(c), "observed"));
    CHECK(wf_calibration_vary(c, "localities.south.emergency_admissions_per_day=1:2") == WF_OK);
    char obs[512];
    tmp_path(obs, sizeof obs, "observed_bad_setup.csv");
    write_observed(obs, OBS_ADMISSIONS);
    CHECK(wf_calibration_observe(c, obs) == WF_OK);
    wf_status st = wf_calibration_open(c, s, NULL, NULL);
    CHECKF(st == WF_EKEY && strstr(wf_calibration_error(c), "south"), "%d %s", st, wf_calibration_error(c));
    /* a calibration file that is not one */
    wf_calibration *r = wf_calibration_create();
    CHECK(wf_calibration_read(r, SMALL) == WF_EIO && strstr(wf_calibration_error(r), "not an HDF5 file"));
    CHECK(wf_calibration_n_keys(r) == 0 && wf_calibration_particles(r) == NULL);
    wf_calibration_destroy(r);
    wf_scenario_destroy(s);
    wf_calibration_destroy(c);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/wf_calibrate_XXXXXX");
    if (!mkdtemp(tmpdir)) return 2;
    test_bad_files();
    test_resume();
    test_posterior_runs();
    test_recovery();
    remove_tmpdir();
    return CHECK_DONE();
}
