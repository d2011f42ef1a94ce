/* Cancellation (wf_cancel): a run stops when its flag is raised, also
 * inside one replicate that would otherwise run for hours (the engine looks
 * at the flag every few thousand events), and returns WF_ECANCELLED. No
 * timing is asserted: a run that did not stop would hit ctest's timeout. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "engine_util.h"

/* One replicate of twenty years with 20,000 admissions a day: hours of
 * work, in a bounded amount of memory (beds cap the patients present). */
static const char *huge =
    "name: huge\n"
    "run: {start_date: 2025-12-01, days: 3650, warmup_days: 3650, replicates: 1, seed: 1}\n"
    "localities:\n"
    "  north:\n"
    "    emergency_admissions_per_day: 20000\n"
    "    hospital_share: {city: 1.0}\n"
    "    home_care_packages: 30\n"
    "    care_home_beds: 40\n"
    "hospitals:\n"
    "  city: {beds: 100000, ed_policy: divert}\n"
    "community:\n"
    "  icb: {intermediate_care_beds: 8, serves: [north]}\n";

typedef struct {
    wf_results *r;
    const wf_scenario *s;
    wf_cancel *cancel;
    wf_status st;
} job;

static void *run_main(void *arg)
{
    job *j = arg;
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.threads = 1;
    o.cancel = j->cancel;
    j->st = wf_run(j->r, &j->s, 1, &o);
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int main(void)
{
    wf_scenario *s = eu_yaml(huge, "huge");
    wf_cancel *c = wf_cancel_create();
    CHECK(c && !wf_cancel_requested(c));

    /* Raised from another thread while the replicate runs. */
    job j = {wf_results_create(), s, c, WF_OK};
    pthread_t t;
    CHECK(pthread_create(&t, NULL, run_main, &j) == 0);
    sleep_ms(300);  /* only so that the replicate is under way; nothing is timed */
    wf_cancel_request(c);
    pthread_join(t, NULL);
    CHECKF(j.st == WF_ECANCELLED, "status %d: %s", (int)j.st, wf_results_error(j.r));
    CHECK(strstr(wf_results_error(j.r), "cancelled") != NULL);
    printf("cancelled inside the replicate: %s\n", wf_results_error(j.r));
    wf_results_destroy(j.r);

    /* Raised before the run: nothing runs. Reset: the flag is lowered. */
    job k = {wf_results_create(), s, c, WF_OK};
    run_main(&k);
    CHECK(k.st == WF_ECANCELLED && wf_results_events(k.r) == 0);
    wf_cancel_reset(c);
    CHECK(!wf_cancel_requested(c));
    wf_results_destroy(k.r);

    /* A flag that is never raised changes nothing. */
    wf_scenario *small = eu_file(WF_SOURCE_DIR "/tests/cli/tiny.yaml");
    wf_results *a = wf_results_create(), *b = wf_results_create();
    job ja = {a, small, c, WF_OK}, jb = {b, small, NULL, WF_OK};
    run_main(&ja);
    run_main(&jb);
    CHECK(ja.st == WF_OK && jb.st == WF_OK);
    size_t m = eu_metric("delayed_bed_days");
    CHECK(memcmp(wf_results_summary(a, 0, m), wf_results_summary(b, 0, m),
                 wf_results_n_replicates(a) * wf_results_n_orgs(a) * sizeof(double)) == 0);
    wf_results_destroy(a);
    wf_results_destroy(b);
    wf_scenario_destroy(small);

    wf_cancel_request(NULL);  /* NULL is ignored */
    CHECK(!wf_cancel_requested(NULL));
    wf_cancel_destroy(c);
    wf_scenario_destroy(s);
    return CHECK_DONE();
}
