/* Reproducibility (winterflow.h, "Runs"; docs/model.md, "Random streams"):
 * results are bit-identical for any thread count, concurrent runs do not
 * disturb each other, identical scenarios get identical numbers (common
 * random numbers), and replicate r is the same whatever else is in the run
 * (streams keyed by seed and replicate, not by position or schedule).
 * Every comparison is memcmp over every metric's daily and summary arrays. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine_util.h"

enum { DAYS = 30, WARM = 14, REPS = 4 };

static wf_scenario *reference(const char *preset)
{
    wf_scenario *s = eu_file(REF_MODEL);
    char v[32];
    snprintf(v, sizeof v, "%d", DAYS);
    eu_set(s, "run.days", v);
    snprintf(v, sizeof v, "%d", WARM);
    eu_set(s, "run.warmup_days", v);
    eu_set(s, "partnership.preset", preset);
    return s;
}

/* Scenario sa of ra against scenario sb of rb, replicates [0, nrep): every
 * metric, daily and summary, byte for byte. Returns the number of metrics
 * that differ. */
static int differ_v(const wf_results *ra, size_t sa, const wf_results *rb, size_t sb, size_t nrep, int verbose)
{
    size_t no = wf_results_n_orgs(ra), nd = wf_results_n_days(ra);
    if (no != wf_results_n_orgs(rb) || nd != wf_results_n_days(rb) || nrep > wf_results_n_replicates(ra) ||
        nrep > wf_results_n_replicates(rb))
        return -1;
    int bad = 0;
    for (size_t m = 0; m < wf_metric_count(); m++) {
        const double *da = wf_results_daily(ra, sa, m), *db = wf_results_daily(rb, sb, m);
        const double *xa = wf_results_summary(ra, sa, m), *xb = wf_results_summary(rb, sb, m);
        if (!da || !db || !xa || !xb || memcmp(da, db, nrep * nd * no * sizeof *da) ||
            memcmp(xa, xb, nrep * no * sizeof *xa)) {
            if (bad++ < 3 && verbose) fprintf(stderr, "  metric %s differs\n", wf_metric_name(m));
        }
    }
    return bad;
}

static int differ(const wf_results *ra, size_t sa, const wf_results *rb, size_t sb, size_t nrep)
{
    return differ_v(ra, sa, rb, sb, nrep, 1);
}
/* Where a difference is expected: count, quietly. */
static int count_diff(const wf_results *ra, size_t sa, const wf_results *rb, size_t sb, size_t nrep)
{
    return differ_v(ra, sa, rb, sb, nrep, 0);
}

/* Catches results that depend on the thread count or the schedule: shared
 * generators, streams seeded by thread or by task order, accumulators
 * shared between threads, reductions in thread order. */
static void thread_counts(void)
{
    wf_scenario *s[2] = {reference("fragmented"), reference("integrated")};
    wf_results *r1 = wf_results_create(), *rn = wf_results_create();
    if (eu_run(r1, s, 2, REPS, 1)) {
        for (int t = 2; t <= 3; t++) {
            if (!eu_run(rn, s, 2, REPS, t)) continue;
            CHECK(wf_results_threads(rn) == t);
            for (size_t sc = 0; sc < 2; sc++) {
                int bad = differ(r1, sc, rn, sc, REPS);
                printf("threads 1 vs %d, scenario %zu: %d metrics differ\n", t, sc, bad);
                CHECKF(bad == 0, "threads 1 and %d differ in scenario %zu (%d metrics)", t, sc, bad);
            }
        }
        /* and the two presets are not the same run: the comparison has teeth */
        CHECK(count_diff(r1, 0, r1, 1, REPS) > 0);
    }
    wf_results_destroy(r1);
    wf_results_destroy(rn);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

struct job {
    const wf_scenario *s;
    wf_results *r;
    wf_status st;
};

static void *run_job(void *arg)
{
    struct job *j = arg;
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = REPS;
    o.threads = 1;
    j->st = wf_run(j->r, &j->s, 1, &o);
    return NULL;
}

/* Two runs at once in two threads. Catches global mutable state in the
 * library (static buffers, a shared generator, lazily initialised tables),
 * and a const scenario modified by the run that reads it. */
static void reentrancy(int share_scenario)
{
    wf_scenario *a = reference("fragmented"), *b = share_scenario ? a : reference("integrated");
    if (!a || !b) return;
    wf_results *seq[2] = {wf_results_create(), wf_results_create()};
    struct job jobs[2] = {{a, wf_results_create(), WF_OK}, {b, wf_results_create(), WF_OK}};
    if (eu_run(seq[0], &a, 1, REPS, 1) && eu_run(seq[1], &b, 1, REPS, 1)) {
        pthread_t th[2];
        int started[2];
        for (int i = 0; i < 2; i++) started[i] = pthread_create(&th[i], NULL, run_job, &jobs[i]) == 0;
        for (int i = 0; i < 2; i++)
            if (started[i]) pthread_join(th[i], NULL);
        for (int i = 0; i < 2; i++) {
            CHECK(started[i]);
            CHECKF(jobs[i].st == WF_OK, "concurrent run %d: %s", i, wf_results_error(jobs[i].r));
            if (jobs[i].st != WF_OK) continue;
            int bad = differ(seq[i], 0, jobs[i].r, 0, REPS);
            printf("concurrent run %d (%s scenario) vs sequential: %d metrics differ\n", i,
                   share_scenario ? "shared" : "own", bad);
            CHECKF(bad == 0, "concurrent run %d differs from its sequential run (%d metrics)", i, bad);
        }
    }
    for (int i = 0; i < 2; i++) {
        wf_results_destroy(seq[i]);
        wf_results_destroy(jobs[i].r);
    }
    if (b != a) wf_scenario_destroy(b);
    wf_scenario_destroy(a);
}

/* Common random numbers and replicate keys. Catches streams keyed by the
 * scenario's position in the run, by the number of replicates or by the
 * task index; a seed option that is ignored; and a paired difference that
 * is not computed replicate by replicate. */
static void streams(void)
{
    wf_scenario *a = reference("fragmented"), *b = reference("integrated");
    wf_scenario *a2 = wf_scenario_clone(a);
    CHECK(a2 != NULL);
    if (!a || !b || !a2) goto out;
    wf_results *r = wf_results_create();

    /* the same scenario twice in one run: identical columns, zero difference */
    wf_scenario *same[2] = {a, a2};
    if (eu_run(r, same, 2, REPS, 2)) {
        int bad = differ(r, 0, r, 1, REPS);
        printf("identical scenarios in one run: %d metrics differ\n", bad);
        CHECKF(bad == 0, "two identical scenarios got different numbers (%d metrics)", bad);
        wf_stat d;
        size_t sys = eu_org(r, "system");
        CHECK(wf_results_paired(r, 0, 1, eu_metric("delayed_bed_days"), sys, &d) == WF_OK);
        CHECK(d.mean == 0 && d.sd == 0 && d.lo == 0 && d.hi == 0 && d.n == REPS);
    }

    /* replicate r of A: in [A, B] x 4, in [B, A] x 4, alone x 2 and alone x 4 */
    wf_results *ab = wf_results_create(), *ba = wf_results_create(), *a_2 = wf_results_create(),
               *a_4 = wf_results_create();
    wf_scenario *l_ab[2] = {a, b}, *l_ba[2] = {b, a};
    if (eu_run(ab, l_ab, 2, REPS, 2) && eu_run(ba, l_ba, 2, REPS, 3) && eu_run(a_2, &a, 1, 2, 1) &&
        eu_run(a_4, &a, 1, REPS, 2)) {
        int d1 = differ(ab, 0, ba, 1, REPS), d2 = differ(ab, 1, ba, 0, REPS);
        int d3 = differ(ab, 0, a_2, 0, 2), d4 = differ(ab, 0, a_4, 0, REPS), d5 = differ(a_2, 0, a_4, 0, 2);
        printf("scenario order swapped: %d, %d metrics differ; A alone x2: %d; A alone x4: %d; x2 vs x4: %d\n", d1,
               d2, d3, d4, d5);
        CHECKF(d1 == 0 && d2 == 0, "a scenario's numbers depend on its position in the run");
        CHECKF(d3 == 0 && d5 == 0, "replicates 0-1 change with the number of replicates");
        CHECKF(d4 == 0, "a scenario's numbers depend on the other scenarios in the run");
        /* replicates are distinct draws, not copies of one */
        const double *x = wf_results_summary(a_4, 0, eu_metric("admissions"));
        size_t no = wf_results_n_orgs(a_4);
        CHECK(x && x[0] != x[no] && x[no] != x[2 * no]);
    }

    /* the seed: the option overrides run.seed; the same seed gives the same
     * numbers, another seed other numbers */
    wf_results *s1 = wf_results_create(), *s2 = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 2;
    o.threads = 2;
    o.seed = 1; /* the reference model's run.seed */
    const wf_scenario *ca = a;
    CHECK(wf_run(s1, &ca, 1, &o) == WF_OK);
    if (wf_results_n_replicates(s1) == 2 && wf_results_n_replicates(a_2) == 2) {
        CHECK(wf_results_seed(s1) == 1);
        CHECK(differ(s1, 0, a_2, 0, 2) == 0);
        o.seed = 2;
        CHECK(wf_run(s2, &ca, 1, &o) == WF_OK);
        CHECK(wf_results_seed(s2) == 2);
        int bad = count_diff(s1, 0, s2, 0, 2);
        printf("seed 1 vs seed 2: %d metrics differ\n", bad);
        CHECKF(bad > 10, "another seed changed only %d metrics", bad);
    }

    wf_results_destroy(s1);
    wf_results_destroy(s2);
    wf_results_destroy(ab);
    wf_results_destroy(ba);
    wf_results_destroy(a_2);
    wf_results_destroy(a_4);
    wf_results_destroy(r);
out:
    wf_scenario_destroy(a);
    wf_scenario_destroy(a2);
    wf_scenario_destroy(b);
}

/* Common random numbers across different configurations: with
 * readmissions and admission avoidance off, ED arrivals depend on nothing
 * but (seed, replicate, locality), so the fragmented and integrated
 * presets must see the same arrivals every day. Catches a scenario, a
 * lever or a capacity leaking into the arrival streams' keys or draws. */
static void crn_arrivals(void)
{
    wf_scenario *s[2] = {reference("fragmented"), reference("integrated")};
    for (int i = 0; i < 2; i++) {
        eu_set(s[i], "patients.readmission_30d", "{p0: 0, p1: 0, p2: 0, p3: 0}");
        eu_set(s[i], "partnership.admission_avoidance", "0");
    }
    wf_results *r = wf_results_create();
    if (eu_run(r, s, 2, REPS, 2)) {
        size_t m = eu_metric("ed_arrivals"), n = REPS * wf_results_n_days(r) * wf_results_n_orgs(r);
        const double *a = wf_results_daily(r, 0, m), *b = wf_results_daily(r, 1, m);
        int same = a && b && !memcmp(a, b, n * sizeof *a);
        int other = count_diff(r, 0, r, 1, REPS);
        printf("fragmented vs integrated: ED arrivals %s; %d metrics differ\n", same ? "identical" : "DIFFER", other);
        CHECKF(same, "different configurations saw different ED arrivals: common random numbers broken");
        CHECK(other > 5);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

int main(void)
{
    thread_counts();
    reentrancy(0);
    reentrancy(1);
    streams();
    crn_arrivals();
    return CHECK_DONE();
}
