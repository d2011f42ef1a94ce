/* Core speed benchmark: admitted patients simulated per second per core on
 * a scenario (default: models/reference.yaml), one thread, median of
 * several repeats, for each partnership preset.
 *
 *   bench_core [SCENARIO] [--replicates N] [--repeats K] [--threads T]
 *
 * Admitted patients = emergency admissions + elective admissions (the
 * system columns), over warm-up and measured window alike: the warm-up is
 * simulated work too, so it is scaled in from the measured rate. */
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
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--replicates") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else path = argv[i];
    }
    if (repeats < 1 || repeats > 100 || reps < 1 || threads < 1) {
        fprintf(stderr, "bench_core: bad arguments\n");
        return 2;
    }
    const char *presets[] = {"fragmented", "integrated"};
    printf("| scenario | preset | replicates | threads | wall s/replicate (median) | admitted patients/s/core (median) |\n");
    printf("| --- | --- | --- | --- | --- | --- |\n");
    for (int p = 0; p < 2; p++) {
        wf_scenario *s = wf_scenario_create();
        if (wf_scenario_load_file(s, path) || wf_scenario_set(s, "partnership.preset", presets[p])) {
            fprintf(stderr, "bench_core: %s\n", wf_scenario_error(s));
            return 1;
        }
        double rate[100], wall[100];
        for (int k = 0; k < repeats; k++) {
            wf_results *r = wf_results_create();
            wf_run_options o = wf_run_defaults();
            o.replicates = reps;
            o.threads = threads;
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
            wf_results_destroy(r);
        }
        qsort(rate, (size_t)repeats, sizeof *rate, cmp);
        qsort(wall, (size_t)repeats, sizeof *wall, cmp);
        printf("| %s | %s | %d | %d | %.3f | %.0f |\n", path, presets[p], reps, threads,
               wall[repeats / 2], rate[repeats / 2]);
        wf_scenario_destroy(s);
    }
    return 0;
}
