/* The writing rank's cost per task, measured with the calls rank 0 makes in
 * an MPI sweep (lib/run/sweep.c, "over the ranks of an MPI job"), on one
 * process: no MPI is needed to measure them.
 *
 *   bench_writer SCENARIO --vary KEY=SPEC [--vary ...] --replicates R
 *                [--set KEY=VALUE]... [--out DIR] [--unstored] [--compute P]
 *                [--chunk N]
 *
 * First every point is computed on one thread (wf_sweep_run_points) and
 * packed, as a rank computes a task: the compute time per point, in
 * core-seconds; the daily series are encoded as the file stores them, as
 * the ranks of an MPI sweep do (--unstored: not, as before they did).
 * --compute P computes only the first P points and hands their packs
 * round to the rest: the writer's figures for a long sweep without its
 * compute time (the numbers repeat; their bytes, and so the writer's work,
 * are those of real points).
 * Then rank 0's work is replayed on the packs: each point's
 * pack unpacked into results shaped for its chunk (wf_run_shape,
 * wf_results_unpack) and the chunk saved (wf_sweep_save: a write, then
 * appends, each of which copies and checks the file so far). Chunks grow
 * as rank 0's rule lets them when points arrive faster than it saves
 * (at least as many points as the file holds): 1, 1, 2, 4, ... points;
 * with --chunk N, N points each (a sweep's --chunk N).
 * Reported per point, in CPU time: compute, pack, the first save (it
 * makes the file's structure, once per sweep), and over the later saves
 * (appends, which copy and check the file so far: their cost per point is
 * what a long sweep pays) the writer's unpack, shape, save and total; then
 * the prediction: one writing rank keeps up with at most
 * 1 / writer points per second, reached by compute / writer cores. Output
 * is Markdown rows for bench/results/. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "results/results.h"
#include "run/run.h"
#include "winterflow.h"

/* CPU seconds of this process (one thread computes, one saves): the
 * figures do not depend on what else the machine is doing. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_writer: %s: %s\n", what, msg);
    exit(1);
}

int main(int argc, char **argv)
{
    const char *scenario = NULL, *dir = "/tmp";
    int reps = 0, stored = 1;
    size_t computed = 0, fixed = 0;
    wf_design *d = wf_design_create();
    wf_scenario *base = wf_scenario_create();
    const char *sets[64];
    int nsets = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--vary") && i + 1 < argc) {
            if (wf_design_vary(d, argv[++i]) != WF_OK) die(argv[i], wf_design_error(d));
        } else if (!strcmp(argv[i], "--replicates") && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--set") && i + 1 < argc && nsets < 64) {
            sets[nsets++] = argv[++i];
        } else if (!strcmp(argv[i], "--unstored")) {
            stored = 0;
        } else if (!strcmp(argv[i], "--compute") && i + 1 < argc) {
            computed = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--chunk") && i + 1 < argc) {
            fixed = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            dir = argv[++i];
        } else if (argv[i][0] != '-' && !scenario) {
            scenario = argv[i];
        } else {
            fprintf(stderr, "usage: bench_writer SCENARIO --vary KEY=SPEC... --replicates R [--set K=V]... "
                            "[--out DIR] [--unstored] [--compute P] [--chunk N]\n");
            return 2;
        }
    }
    if (!scenario || reps < 1) die("usage", "a scenario and --replicates R are needed");
    if (wf_scenario_load_file(base, scenario) != WF_OK) die(scenario, wf_scenario_error(base));
    for (int k = 0; k < nsets; k++) {
        char key[256];
        const char *eq = strchr(sets[k], '=');
        if (!eq || (size_t)(eq - sets[k]) >= sizeof key) die(sets[k], "expected KEY=VALUE");
        memcpy(key, sets[k], (size_t)(eq - sets[k]));
        key[eq - sets[k]] = 0;
        if (wf_scenario_set(base, key, eq + 1) != WF_OK) die(sets[k], wf_scenario_error(base));
    }
    if (wf_design_validate(d) != WF_OK) die("design", wf_design_error(d));
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_writer-%ld.h5", dir, (long)getpid());
    unlink(path);

    wf_sweep_options o;
    wf_sweep_options_init(&o, sizeof o);
    o.replicates = reps;
    o.threads = 1;
    wf_sweep *sw = wf_sweep_create();
    if (wf_sweep_open(sw, base, d, path, &o) != WF_OK) die("wf_sweep_open", wf_sweep_error(sw));
    size_t n = wf_sweep_n_points(sw);
    if (!computed || computed > n) computed = n;

    /* The ranks' part: compute and pack each point. */
    wf_buf *packs = calloc(n, sizeof *packs);
    wf_results *r = wf_results_create();
    double t_compute = 0, t_pack = 0;
    for (size_t p = 0; p < computed; p++) {
        double t0 = now_s();
        if (wf_sweep_run_points(sw, p, 1, r) != WF_OK) die("wf_sweep_run_points", wf_results_error(r));
        double t1 = now_s();
        if (wf_results_pack(r, 0, stored, &packs[p]) != WF_OK) die("pack", "out of memory");
        t_compute += t1 - t0;
        t_pack += now_s() - t1;
    }

    /* Rank 0's part: unpack into each chunk's results and save it. */
    wf_run_options ro;
    wf_run_options_init(&ro, sizeof ro);
    ro.replicates = reps;
    ro.seed = o.seed;
    ro.threads = 1;
    double t_unpack = 0, t_shape = 0, t_save = 0, t_first = 0;
    size_t saves = 0, first_n = 0;
    for (size_t first = 0; first < n;) {
        size_t k = fixed ? fixed : first ? first : 1;
        if (k > n - first) k = n - first;
        double t0 = now_s();
        wf_scenario **list = calloc(k, sizeof *list);
        for (size_t i = 0; i < k; i++) {
            if (wf_design_scenario(d, first + i, base, &list[i]) != WF_OK) die("design", wf_design_error(d));
            wf_scenario_set_name(list[i], wf_sweep_point_name(sw, first + i));
        }
        wf_results *chunk = wf_results_create();
        if (wf_run_shape(chunk, (const wf_scenario *const *)list, k, &ro) != WF_OK)
            die("wf_run_shape", wf_results_error(chunk));
        double t1 = now_s();
        char err[512];
        for (size_t i = 0; i < k; i++)
            if (wf_results_unpack(chunk, i, packs[(first + i) % computed].data, packs[(first + i) % computed].len, err,
                                  sizeof err) != WF_OK)
                die("unpack", err);
        chunk->complete = 1;
        double t2 = now_s();
        if (wf_sweep_save(sw, first, chunk) != WF_OK) die("wf_sweep_save", wf_sweep_error(sw));
        double t3 = now_s();
        if (!first) {
            t_first = t3 - t0;
            first_n = k;
        } else {
            t_shape += t1 - t0;
            t_unpack += t2 - t1;
            t_save += t3 - t2;
        }
        saves++;
        for (size_t i = 0; i < k; i++) wf_scenario_destroy(list[i]);
        free(list);
        wf_results_destroy(chunk);
        first += k;
    }
    struct stat sb;
    double mb = stat(path, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
    /* the appends' points: all but the first save's */
    double later = n > first_n ? (double)(n - first_n) : 1.0;
    double writer = (t_unpack + t_shape + t_save) / later, compute = t_compute / (double)computed;
    printf("| points (computed) | replicates | file (MB) | saves | compute (core-s/point) | pack (ms/point) | "
           "first save (ms) | unpack (ms/point) | shape (ms/point) | save (ms/point) | writer (ms/point) | "
           "writer limit (points/s) | cores at the limit | writer in all (s) |\n");
    printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    printf("| %zu (%zu) | %d | %.1f | %zu | %.3f | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %.0f | %.2f |\n", n,
           computed, reps, mb, saves, compute, 1e3 * t_pack / (double)computed, 1e3 * t_first,
           1e3 * t_unpack / later, 1e3 * t_shape / later, 1e3 * t_save / later, 1e3 * writer, 1.0 / writer,
           compute / writer, t_first + t_unpack + t_shape + t_save);
    unlink(path);
    for (size_t p = 0; p < computed; p++) wf_buf_free(&packs[p]);
    free(packs);
    wf_results_destroy(r);
    wf_sweep_destroy(sw);
    wf_design_destroy(d);
    wf_scenario_destroy(base);
    return 0;
}
