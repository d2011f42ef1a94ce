/* Several runs, writes, appends, reads and a sweep at once, from separate
 * threads of one process: built with -fsanitize=thread (WF_TSAN=ON, a stage
 * of scripts/test.sh), where ThreadSanitizer reports any data race in the
 * library and fails the test; in the other builds it runs too, and checks
 * that every thread's results equal those of the same work done alone.
 *
 * What it exercises is what the library promises (winterflow.h): distinct
 * objects on distinct threads at once, a const scenario shared by
 * concurrent runs, wf_cancel raised from another thread, the HDF5 work of
 * each results-file call serialised by the library's HDF5 mutex
 * (lib/results/h5_common.h), one writer per file (wf_lock), and a sweep's
 * own writer thread.
 *
 * Each run has one OpenMP thread: libgomp is not built with ThreadSanitizer,
 * so the synchronisation of an OpenMP team is invisible to it and would be
 * reported as races that are not there. Runs on several OpenMP threads are
 * tested for determinism elsewhere (test_determinism, cli_threads). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "engine_util.h"

#define NWORKERS 4

static char dir[64];
static const wf_scenario *shared; /* one const scenario, every worker runs it */
static size_t metric;

/* ---- the work of one thread ------------------------------------------------ */

typedef struct {
    int id;
    wf_results *run;    /* its run */
    wf_results *back;   /* the file it wrote, read back */
    char err[512];
} worker;

static int fail(worker *w, const char *what, const char *msg)
{
    snprintf(w->err, sizeof w->err, "worker %d: %s: %s", w->id, what, msg);
    return -1;
}

static int work(worker *w)
{
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.threads = 1;  /* one OpenMP thread: see above */
    o.seed = 7;
    if (wf_run(w->run, &shared, 1, &o) != WF_OK) return fail(w, "wf_run", wf_results_error(w->run));

    /* its own scenario too: clone, set, validate, YAML */
    wf_scenario *mine = wf_scenario_clone(shared);
    char beds[16];
    snprintf(beds, sizeof beds, "%d", 50 + w->id);
    if (!mine || wf_scenario_set(mine, "hospitals.city.beds", beds) != WF_OK || wf_scenario_validate(mine) != WF_OK)
        return fail(w, "scenario", mine ? wf_scenario_error(mine) : "out of memory");
    char *yaml = wf_scenario_to_yaml(mine);
    wf_free(yaml);

    char path[128];
    snprintf(path, sizeof path, "%s/w%d.h5", dir, w->id);
    if (wf_results_write(w->run, &shared, 1, path, NULL) != WF_OK)
        return fail(w, "write", wf_results_error(w->run));
    if (wf_results_append(w->run, &shared, 1, path, NULL) != WF_OK)
        return fail(w, "append", wf_results_error(w->run));
    if (wf_results_read(w->back, path) != WF_OK) return fail(w, "read", wf_results_error(w->back));
    wf_scenario *again = wf_scenario_create();
    if (!again || wf_results_load_scenario(w->back, 1, again, NULL) != WF_OK)
        return fail(w, "load stored scenario", again ? wf_scenario_error(again) : "out of memory");
    wf_scenario_destroy(again);
    wf_scenario_destroy(mine);
    return 0;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    work(w);
    return NULL;
}

/* ---- a sweep (with its own writer thread) ------------------------------------ */

typedef struct {
    wf_status st;
    size_t saved;
    char err[512];
} sweep_job;

static void *sweep_main(void *arg)
{
    sweep_job *j = arg;
    wf_design *d = wf_design_create();
    wf_sweep *sw = wf_sweep_create();
    wf_sweep_options o;
    wf_sweep_options_init(&o, sizeof o);
    o.threads = 1;
    o.replicates = 1;
    o.chunk = 1;  /* every point saved on the writer thread while the next runs */
    char path[128];
    snprintf(path, sizeof path, "%s/sweep.h5", dir);
    j->st = wf_design_vary(d, "hospitals.city.beds=50,55,60,65") == WF_OK && wf_design_validate(d) == WF_OK
                ? wf_sweep_open(sw, shared, d, path, &o) : WF_EINVAL;
    if (j->st == WF_OK) j->st = wf_sweep_run(sw);
    j->saved = wf_sweep_n_saved(sw);
    snprintf(j->err, sizeof j->err, "%s%s", wf_sweep_error(sw), wf_design_error(d));
    wf_sweep_destroy(sw);
    wf_design_destroy(d);
    return NULL;
}

/* ---- cancellation from another thread ---------------------------------------- */

typedef struct {
    wf_scenario *s;
    wf_cancel *c;
    wf_status st;
} cancel_job;

static void *cancel_main(void *arg)
{
    cancel_job *j = arg;
    wf_results *r = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.threads = 1;
    o.cancel = j->c;
    const wf_scenario *l = j->s;
    j->st = wf_run(r, &l, 1, &o);
    wf_results_destroy(r);
    return NULL;
}

/* ---- two threads, one file ------------------------------------------------------ */

typedef struct {
    wf_results *r;
    wf_status st;
} same_job;

static void *same_main(void *arg)
{
    same_job *j = arg;
    char path[128];
    snprintf(path, sizeof path, "%s/same.h5", dir);
    wf_write_options o;
    wf_write_options_init(&o, sizeof o);
    o.overwrite = 1;
    o.wait_lock = 1;  /* each waits for the other: both write, one after the other */
    j->st = wf_results_write(j->r, &shared, 1, path, &o);
    return NULL;
}

static int same_values(const wf_results *a, const wf_results *b, size_t sa, size_t sb)
{
    size_t n = wf_results_n_replicates(a) * wf_results_n_orgs(a);
    const double *x = wf_results_summary(a, sa, metric), *y = wf_results_summary(b, sb, metric);
    return n && n == wf_results_n_replicates(b) * wf_results_n_orgs(b) && x && y &&
           memcmp(x, y, n * sizeof *x) == 0;
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wf_threads_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    wf_scenario *s = eu_file(WF_SOURCE_DIR "/tests/cli/tiny.yaml");
    eu_set(s, "run.days", "10");
    eu_set(s, "run.warmup_days", "3");
    eu_set(s, "run.replicates", "2");
    CHECK(s && wf_scenario_validate(s) == WF_OK);
    shared = s;
    metric = eu_metric("delayed_bed_days");

    /* The same work alone first: what every thread must reproduce. */
    wf_results *alone = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.threads = 1;
    o.seed = 7;
    CHECK(wf_run(alone, &shared, 1, &o) == WF_OK);

    /* A run of hours, to be cancelled from this thread while all else goes. */
    cancel_job cj = {eu_file(WF_SOURCE_DIR "/tests/cli/tiny.yaml"), wf_cancel_create(), WF_OK};
    eu_set(cj.s, "run.days", "3650");
    eu_set(cj.s, "run.warmup_days", "3650");
    eu_set(cj.s, "localities.north.emergency_admissions_per_day", "20000");
    eu_set(cj.s, "hospitals.city.beds", "100000");
    eu_set(cj.s, "hospitals.city.ed_policy", "divert");

    worker w[NWORKERS];
    pthread_t t[NWORKERS], ts, tc, tsame[2];
    sweep_job sj;
    memset(&sj, 0, sizeof sj);
    same_job same[2];
    CHECK(pthread_create(&tc, NULL, cancel_main, &cj) == 0);
    for (int i = 0; i < NWORKERS; i++) {
        w[i] = (worker){.id = i, .run = wf_results_create(), .back = wf_results_create(), .err = ""};
        CHECK(pthread_create(&t[i], NULL, worker_main, &w[i]) == 0);
    }
    CHECK(pthread_create(&ts, NULL, sweep_main, &sj) == 0);
    for (int i = 0; i < 2; i++) {
        same[i] = (same_job){wf_results_create(), WF_EINVAL};
        CHECK(wf_run(same[i].r, &shared, 1, &o) == WF_OK);
        CHECK(pthread_create(&tsame[i], NULL, same_main, &same[i]) == 0);
    }
    for (int i = 0; i < NWORKERS; i++) pthread_join(t[i], NULL);
    pthread_join(ts, NULL);
    for (int i = 0; i < 2; i++) pthread_join(tsame[i], NULL);
    wf_cancel_request(cj.c);
    pthread_join(tc, NULL);

    for (int i = 0; i < NWORKERS; i++) {
        CHECKF(!w[i].err[0], "%s", w[i].err);
        CHECKF(same_values(alone, w[i].run, 0, 0), "worker %d: its run differs from the same run alone", i);
        CHECKF(wf_results_n_scenarios(w[i].back) == 2 && same_values(alone, w[i].back, 0, 0) &&
               same_values(alone, w[i].back, 0, 1), "worker %d: the file read back differs", i);
        wf_results_destroy(w[i].run);
        wf_results_destroy(w[i].back);
    }
    CHECKF(sj.st == WF_OK && sj.saved == 4, "sweep: %d, %zu saved: %s", (int)sj.st, sj.saved, sj.err);
    CHECKF(cj.st == WF_ECANCELLED, "the cancelled run: %d", (int)cj.st);
    for (int i = 0; i < 2; i++) {
        CHECKF(same[i].st == WF_OK, "one file, thread %d: %s", i, wf_results_error(same[i].r));
        wf_results_destroy(same[i].r);
    }
    printf("%d threads ran, wrote, appended and read at once; a sweep saved 4 points on its writer thread; "
           "a run was cancelled from another thread; two writers of one file took turns\n", NWORKERS);

    wf_cancel_destroy(cj.c);
    wf_scenario_destroy(cj.s);
    wf_results_destroy(alone);
    wf_scenario_destroy(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
