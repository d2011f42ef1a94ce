/* Core speed benchmark: one scenario (default models/reference.yaml) under
 * the fragmented and the integrated preset, median of several repeats.
 *
 *   bench_core [SCENARIO] [--replicates N] [--repeats K] [--threads T]
 *              [--scan] [--event-log FILE.h5]
 *
 * Columns: wall time per replicate; admitted patients (emergency + elective
 * admissions, warm-up included: it is simulated work too, scaled in from
 * the measured window's rate) and events per second per core; peak
 * resident memory of the process, and that divided by the mean number of
 * patients in G&A beds (memory should follow the patients present, not the
 * patients ever simulated).
 *
 * --scan repeats the run on 1, 2, ... T threads and adds the speed-up over
 * one thread. --event-log keeps the per-patient event log and writes it
 * (with the results) to FILE.h5, adding records per replicate, write time
 * and bytes per record. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "winterflow.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double system_mean(const wf_results *r, const char *metric)
{
    wf_stat st;
    wf_results_stat(r, 0, wf_metric_find(metric), wf_results_org_find(r, "system"), &st);
    return st.mean;
}

static double warmup_days(wf_scenario *s)
{
    char *v = wf_scenario_get(s, "run.warmup_days");
    double d = v ? atof(v) : 0;
    wf_free(v);
    return d;
}

typedef struct {
    double wall, rate, events, records, write_s, bytes;
} sample;

static int one_run(wf_scenario *s, int reps, int threads, const char *log_path, sample *out)
{
    wf_results *r = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = reps;
    o.threads = threads;
    o.event_log = log_path != NULL;
    double t0 = now_s();
    if (wf_run(r, (const wf_scenario *const[]){s}, 1, &o)) {
        fprintf(stderr, "bench_core: %s\n", wf_results_error(r));
        wf_results_destroy(r);
        return -1;
    }
    double dt = now_s() - t0, days = (double)wf_results_n_days(r);
    double admitted = (system_mean(r, "admissions") + system_mean(r, "elective_admissions")) *
                      (days + warmup_days(s)) / days * reps;
    *out = (sample){dt / reps * threads, admitted / (dt * threads), (double)wf_results_events(r) / (dt * threads),
                    0, 0, 0};
    if (log_path) {
        size_t n_log = 0, m;
        for (int i = 0; i < reps; i++) {
            wf_results_event_log(r, 0, (size_t)i, &m);
            n_log += m;
        }
        wf_write_options w;
        wf_write_options_init(&w, sizeof w);
        w.overwrite = 1;
        w.event_log = 1;
        double t1 = now_s();
        if (wf_results_write(r, (const wf_scenario *const[]){s}, 1, log_path, &w)) {
            fprintf(stderr, "bench_core: %s\n", wf_results_error(r));
            wf_results_destroy(r);
            return -1;
        }
        out->write_s = now_s() - t1;
        out->records = (double)n_log / reps;
        FILE *f = fopen(log_path, "rb");
        if (f && !fseek(f, 0, SEEK_END)) out->bytes = (double)ftell(f) / (double)(n_log ? n_log : 1);
        if (f) fclose(f);
    }
    wf_results_destroy(r);
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = "models/reference.yaml", *log_path = NULL;
    int reps = 10, repeats = 5, threads = 1, scan = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--replicates") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--event-log") && i + 1 < argc) log_path = argv[++i];
        else if (!strcmp(argv[i], "--scan")) scan = 1;
        else path = argv[i];
    }
    if (repeats < 1 || repeats > 100 || reps < 1 || threads < 1 || threads > 1024) {
        fprintf(stderr, "bench_core: bad arguments\n");
        return 2;
    }
    const char *presets[] = {"fragmented", "integrated"};
    printf("| scenario | preset | replicates | threads | wall s/replicate | admitted patients/s/core | "
           "events/s/core | speed-up |%s\n",
           log_path ? " log records/replicate | write s | bytes/record |" : "");
    printf("| --- | --- | --- | --- | --- | --- | --- | --- |%s\n", log_path ? " --- | --- | --- |" : "");
    double inpatients = 0;
    for (int p = 0; p < 2; p++) {
        wf_scenario *s = wf_scenario_create();
        if (!s || wf_scenario_load_file(s, path) || wf_scenario_set(s, "partnership.preset", presets[p])) {
            fprintf(stderr, "bench_core: %s\n", s ? wf_scenario_error(s) : "out of memory");
            return 1;
        }
        double base = 0;
        for (int t = scan ? 1 : threads; t <= threads; t++) {
            sample smp[100];
            double wall[100], rate[100], ev[100];
            for (int k = 0; k < repeats; k++) {
                if (one_run(s, reps, t, log_path, &smp[k])) return 1;
                wall[k] = smp[k].wall;
                rate[k] = smp[k].rate;
                ev[k] = smp[k].events;
            }
            qsort(wall, (size_t)repeats, sizeof *wall, cmp);
            qsort(rate, (size_t)repeats, sizeof *rate, cmp);
            qsort(ev, (size_t)repeats, sizeof *ev, cmp);
            /* speed-up in wall time for the same work: rate per core x cores */
            double total = rate[repeats / 2] * t;
            if (t == (scan ? 1 : threads)) base = total;
            printf("| %s | %s | %d | %d | %.3f | %.0f | %.0f | %.2f |", path, presets[p], reps, t,
                   wall[repeats / 2], rate[repeats / 2], ev[repeats / 2], total / base);
            if (log_path) printf(" %.0f | %.2f | %.1f |", smp[0].records, smp[0].write_s, smp[0].bytes);
            printf("\n");
        }
        {
            wf_results *r = wf_results_create();
            wf_run_options o;
            wf_run_options_init(&o, sizeof o);
            o.replicates = 1;
            o.threads = 1;
            if (!wf_run(r, (const wf_scenario *const[]){s}, 1, &o)) {
                double v = system_mean(r, "occupied_beds");
                if (v > inpatients) inpatients = v;
            }
            wf_results_destroy(r);
        }
        wf_scenario_destroy(s);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("\npeak resident memory %.1f MB; mean patients in G&A beds %.0f; %.1f KB per inpatient "
           "(process total, libraries and results arrays included)\n",
           ru.ru_maxrss / 1024.0, inpatients, inpatients > 0 ? ru.ru_maxrss / inpatients : 0);
    return 0;
}
