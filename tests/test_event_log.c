/* The per-patient event log: it agrees with the metrics event for event,
 * does not depend on the thread count, and names the same patients in
 * every configuration (common random numbers). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "winterflow.h"

static wf_scenario *load(const char *preset)
{
    wf_scenario *s = wf_scenario_create();
    if (wf_scenario_load_file(s, WF_SOURCE_DIR "/models/reference.yaml") || wf_scenario_set(s, "run.days", "21") ||
        wf_scenario_set(s, "run.warmup_days", "14") || wf_scenario_set(s, "partnership.preset", preset)) {
        fprintf(stderr, "%s\n", wf_scenario_error(s));
        exit(1);
    }
    return s;
}

static wf_results *run(wf_scenario *const *s, int threads)
{
    wf_results *r = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 2;
    o.threads = threads;
    o.event_log = 1;
    if (wf_run(r, (const wf_scenario *const *)s, 2, &o)) {
        fprintf(stderr, "%s\n", wf_results_error(r));
        exit(1);
    }
    return r;
}

static double summary(const wf_results *r, size_t sc, size_t rep, const char *metric)
{
    return wf_results_summary(r, sc, wf_metric_find(metric))[rep * wf_results_n_orgs(r) + wf_results_org_find(r, "system")];
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    wf_scenario *s[2] = {load("fragmented"), load("integrated")};
    wf_results *r1 = run(s, 1), *r2 = run(s, 2);

    for (size_t sc = 0; sc < 2; sc++)
        for (size_t rep = 0; rep < 2; rep++) {
            size_t n1, n2;
            const wf_log_record *a = wf_results_event_log(r1, sc, rep, &n1), *b = wf_results_event_log(r2, sc, rep, &n2);
            /* catches logs that depend on which thread ran which component */
            CHECK(a && b && n1 == n2 && n1 > 1000);
            CHECK(a && b && n1 == n2 && memcmp(a, b, n1 * sizeof *a) == 0);
            /* catches events logged in the wrong place, missed or doubled */
            double count[WF_LOG_NEVENT] = {0}, emergency = 0, dis[4] = {0};
            int ordered = 1, in_window = 1;
            for (size_t i = 0; i < n1; i++) {
                count[a[i].event]++;
                if (a[i].event == WF_LOG_ADMISSION && !a[i].elective) emergency++;
                if (a[i].event == WF_LOG_DISCHARGE) dis[a[i].pathway]++;
                if (i && a[i].t < a[i - 1].t) ordered = 0;
                if (a[i].t < 0 || a[i].t >= 21) in_window = 0;
            }
            CHECK(ordered && in_window);
            CHECK_NEAR(count[WF_LOG_ARRIVAL], summary(r1, sc, rep, "ed_arrivals"), 0);
            CHECK_NEAR(emergency, summary(r1, sc, rep, "admissions"), 0);
            CHECK_NEAR(count[WF_LOG_ADMISSION] - emergency, summary(r1, sc, rep, "elective_admissions"), 0);
            CHECK_NEAR(count[WF_LOG_DIVERTED], summary(r1, sc, rep, "diverted"), 0);
            CHECK_NEAR(count[WF_LOG_AVOIDED], summary(r1, sc, rep, "avoided_admissions"), 0);
            CHECK_NEAR(count[WF_LOG_ESCALATION], summary(r1, sc, rep, "deconditioning_escalations"), 0);
            CHECK_NEAR(count[WF_LOG_READMISSION], summary(r1, sc, rep, "readmissions_30d"), 0);
            for (int k = 0; k < 4; k++) {
                char m[32];
                snprintf(m, sizeof m, "discharges_p%d", k);
                CHECK_NEAR(dis[k], summary(r1, sc, rep, m), 0);
            }
        }

    /* Common random numbers: the first-episode emergency arrivals of a
     * replicate are the same people under both presets (integrated manages
     * some of them by virtual ward instead of ED). Catches streams keyed by
     * anything configuration-dependent. */
    for (size_t rep = 0; rep < 2; rep++) {
        uint64_t *ids[2];
        size_t k[2];
        for (size_t sc = 0; sc < 2; sc++) {
            size_t n;
            const wf_log_record *a = wf_results_event_log(r1, sc, rep, &n);
            ids[sc] = malloc(sizeof(uint64_t) * (n + 1));
            k[sc] = 0;
            for (size_t i = 0; i < n; i++)
                if ((a[i].event == WF_LOG_ARRIVAL || a[i].event == WF_LOG_AVOIDED) && a[i].episode == 0)
                    ids[sc][k[sc]++] = a[i].patient;
            qsort(ids[sc], k[sc], sizeof(uint64_t), cmp_u64);
        }
        CHECK(k[0] == k[1] && k[0] > 1000);
        CHECK(k[0] == k[1] && memcmp(ids[0], ids[1], k[0] * sizeof(uint64_t)) == 0);
        free(ids[0]);
        free(ids[1]);
    }

    /* the log goes into the results file; refused where it cannot be */
    {
        char path[] = "/tmp/wf_event_log_XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        if (fd >= 0) close(fd);
        wf_write_options wo;
        wf_write_options_init(&wo, sizeof wo);
        wo.overwrite = 1;
        wo.event_log = 1;
        CHECKF(wf_results_write(r1, (const wf_scenario *const *)s, 2, path, &wo) == WF_OK, "%s", wf_results_error(r1));
        struct stat st;
        CHECK(stat(path, &st) == 0 && st.st_size > 10000);
        CHECK(wf_results_append(r1, (const wf_scenario *const *)s, 2, path, &wo) == WF_EINVAL &&
              strstr(wf_results_error(r1), "event log"));
        unlink(path);
    }

    /* no log unless asked for */
    wf_results *r0 = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 1;
    CHECK(wf_run(r0, (const wf_scenario *const *)s, 1, &o) == WF_OK);
    size_t n0 = 99;
    CHECK(wf_results_event_log(r0, 0, 0, &n0) == NULL && n0 == 0);
    {
        wf_write_options wo;
        wf_write_options_init(&wo, sizeof wo);
        wo.event_log = 1;
        CHECK(wf_results_write(r0, (const wf_scenario *const *)s, 1, "/tmp/wf_never_written.h5", &wo) == WF_EINVAL &&
              strstr(wf_results_error(r0), "kept no event log"));
    }
    CHECK(strcmp(wf_log_event_name(WF_LOG_CARE_START), "care_start") == 0 && !wf_log_event_name(WF_LOG_NEVENT));

    wf_results_destroy(r0);
    wf_results_destroy(r1);
    wf_results_destroy(r2);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
    return CHECK_DONE();
}
