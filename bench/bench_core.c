/* Core speed benchmark: admitted patients simulated per second per core on
 * a scenario (default: models/reference.yaml), one thread, median of
 * several repeats, for each partnership preset.
 *
 *   bench_core [SCENARIO] [--replicates N] [--repeats K] [--threads T] [--event-log FILE.h5]
 *
 * Admitted patients = emergency admissions + elective admissions (the
 * system columns), over warm-up and measured window alike: the warm-up is
 * simulated work too, so it is scaled in from the measured rate.
 *
 * With --event-log the runs keep the per-patient event log and write it
 * (with the results) to FILE.h5; the table then adds the records per
 * replicate, the time to write the file and its size per record. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
    const char *path = "models/reference.yaml";
    int reps = 10, repeats = 5, threads = 1;
    const char *log_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--replicates") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--event-log") && i + 1 < argc) log_path = argv[++i];
        else path = argv[i];
    }
    if (repeats < 1 || repeats > 100 || reps < 1 || threads < 1) {
        fprintf(stderr, "bench_core: bad arguments\n");
        return 2;
    }
    const char *presets[] = {"fragmented", "integrated"};
    printf("| scenario | preset | replicates | threads | wall s/replicate (median) | admitted patients/s/core (median) |%s\n",
           log_path ? " log records/replicate | write s | bytes/record |" : "");
    printf("| --- | --- | --- | --- | --- | --- |%s\n", log_path ? " --- | --- | --- |" : "");
    for (int p = 0; p < 2; p++) {
        wf_scenario *s = wf_scenario_create();
        if (wf_scenario_load_file(s, path) || wf_scenario_set(s, "partnership.preset", presets[p])) {
            fprintf(stderr, "bench_core: %s\n", wf_scenario_error(s));
            return 1;
        }
        double rate[100], wall[100], records = 0, write_s = 0, bytes = 0;
        for (int k = 0; k < repeats; k++) {
            wf_results *r = wf_results_create();
            wf_run_options o = wf_run_defaults();
            o.replicates = reps;
            o.threads = threads;
            o.event_log = log_path != NULL;
            double t0 = now_s();
            if (wf_run(r, (const wf_scenario *const[]){s}, 1, &o)) {
                fprintf(stderr, "bench_core: %s\n", wf_results_error(r));
                return 1;
            }
            double dt = now_s() - t0;
            size_t sys = wf_results_org_find(r, "system");
            wf_stat a, e;
            wf_results_stat(r, 0, wf_metric_find("admissions"), sys, &a);
            wf_results_stat(r, 0, wf_metric_find("elective_admissions"), sys, &e);
            /* scale the measured window's admissions to the whole simulated span */
            char *yaml = wf_scenario_to_yaml(s);
            double warm = 0;
            const char *w = yaml ? strstr(yaml, "warmup_days:") : NULL;
            if (w) warm = atof(w + strlen("warmup_days:"));
            free(yaml);
            double days = (double)wf_results_n_days(r);
            double admitted = (a.mean + e.mean) * (days + warm) / days * reps;
            rate[k] = admitted / (dt * threads);
            wall[k] = dt / reps * threads;
            if (log_path) {
                size_t n_log = 0, m;
                for (int i = 0; i < reps; i++) {
                    wf_results_event_log(r, 0, (size_t)i, &m);
                    n_log += m;
                }
                wf_write_options w = wf_write_defaults();
                w.overwrite = 1;
                w.event_log = 1;
                double t1 = now_s();
                if (wf_results_write(r, (const wf_scenario *const[]){s}, 1, log_path, &w)) {
                    fprintf(stderr, "bench_core: %s\n", wf_results_error(r));
                    return 1;
                }
                write_s = now_s() - t1;
                records = (double)n_log / reps;
                FILE *f = fopen(log_path, "rb");
                if (f && !fseek(f, 0, SEEK_END)) bytes = (double)ftell(f) / (double)(n_log ? n_log : 1);
                if (f) fclose(f);
            }
            wf_results_destroy(r);
        }
        qsort(rate, (size_t)repeats, sizeof *rate, cmp);
        qsort(wall, (size_t)repeats, sizeof *wall, cmp);
        printf("| %s | %s | %d | %d | %.3f | %.0f |", path, presets[p], reps, threads, wall[repeats / 2],
               rate[repeats / 2]);
        if (log_path) printf(" %.0f | %.2f | %.1f |", records, write_s, bytes);
        printf("\n");
        wf_scenario_destroy(s);
    }
    return 0;
}
