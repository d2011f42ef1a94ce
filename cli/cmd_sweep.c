/*
 * winterflow sweep SCENARIO --vary KEY=a,b,c | --vary KEY=lo:hi:step ...
 *                  [--samples N [--design lhs]] [--design-file FILE.csv]
 *                  --out FILE.h5 [--set KEY=VALUE]... [--replicates N]
 *                  [--seed S] [--threads T] [--chunk N] [--metric NAME] [--part K/N]
 *                  [--writers W] [--force | --resume] [--quiet]
 *
 * A thin caller of the library's designs and sweeps (winterflow.h, section
 * 7): the options become a wf_design and wf_sweep_options, the library
 * builds and checks every point, runs the chunks and appends them to the
 * results file (resuming what the file already holds); this file reports
 * progress, errors with their exit codes, and the closing summary.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void sweep_help(FILE *f)
{
    fputs(
        "Usage: winterflow sweep SCENARIO --vary KEY=VALUES... --out FILE.h5 [options]\n"
        "       winterflow sweep SCENARIO --vary KEY=lo:hi... --samples N --out FILE.h5\n"
        "       winterflow sweep SCENARIO --design-file DESIGN.csv --out FILE.h5\n"
        "\n"
        "Run many scenarios (points of a design) with common random numbers and save\n"
        "every result to one HDF5 file. Finished chunks are saved as the sweep goes:\n"
        "after Ctrl-C, a kill or a power cut, the same command finishes the rest, and\n"
        "the file equals one from an uninterrupted run.\n"
        "\n"
        "Designs:\n"
        "  --vary KEY=a,b,c     a list of values (YAML text; commas inside [] or {} do\n"
        "                       not split): --vary partnership.pooled_capacity=0,0.5,1\n"
        "  --vary KEY=lo:hi:step  a range, hi included:\n"
        "                       --vary hospitals.city.beds=1000:1200:50\n"
        "                       Several --vary: every combination (the last varies\n"
        "                       fastest).\n"
        "  --samples N          a Latin hypercube of N points over the ranges\n"
        "                       (KEY=lo:hi, or lo:hi:step to snap to the step; integer\n"
        "                       keys are rounded), crossed with any lists; placed by a\n"
        "                       generator seeded by the run's seed, so repeatable\n"
        "  --design grid|lhs    grid (default), or lhs (needs --samples)\n"
        "  --design-file F.csv  one scenario per row; the header names the keys; quote\n"
        "                       values with commas (\"[Tue, Thu]\"); an empty cell keeps\n"
        "                       the scenario's value\n"
        "  At most 100000 scenarios.\n"
        "\n"
        "Options:\n"
        "  --out FILE.h5        the results file (required)\n"
        "  --force              replace FILE.h5 (the old file stays until the first\n"
        "                       chunk is saved)\n"
        "  --resume             continue the sweep in FILE.h5; an error if the file holds\n"
        "                       another sweep (running the same command again without\n"
        "                       --resume also continues it)\n"
        "  --chunk N            scenarios per saved chunk (default: 2 per thread, then\n"
        "                       about 30 s of work or as many as are saved, at most\n"
        "                       about 10 minutes of work or half of what remains)\n"
        "  --metric NAME        the metric of the closing summary (default\n"
        "                       delayed_bed_days)\n"
        "  --posterior CAL.h5   draw each replicate's parameters from the posterior of a\n"
        "                       calibration (winterflow calibrate --out), the same draw\n"
        "                       at every point; the keys it sets cannot be swept\n"
        "  --part K/N           sweep only part K of N equal parts of the design, in\n"
        "                       order (a job array's job K: one file per part; the\n"
        "                       parts' files together hold the whole sweep, and read\n"
        "                       as one: report and export take them all; docs/cluster.md)\n"
        "  --writers W          an MPI job of at least W ranks writes W files at once:\n"
        "                       its ranks split into W groups, each sweeping part k of\n"
        "                       W into FILE-part-k-of-W.h5 (for a job bigger than one\n"
        "                       writing rank keeps up with, about 24-48 cores:\n"
        "                       docs/cluster.md; default 1: rank 0 writes FILE)\n",
        f);
    cli_run_options_help(f, 1);
    fputs(
        "  -h, --help           show this help\n"
        "\n"
        "Examples:\n"
        "  winterflow sweep models/reference.yaml \\\n"
        "      --vary partnership.pooled_capacity=0,0.25,0.5,1 --out pooling.h5\n"
        "  winterflow sweep models/reference.yaml \\\n"
        "      --vary partnership.preset=fragmented,integrated \\\n"
        "      --vary localities.north.home_care_packages=300:600:50 --out grid.h5\n"
        "  winterflow sweep models/reference.yaml --samples 200 \\\n"
        "      --vary partnership.pooled_capacity=0:1 \\\n"
        "      --vary hospitals.city.beds=1000:1300 \\\n"
        "      --out lhs.h5 --replicates 10\n"
        "  winterflow sweep models/reference.yaml --design-file design.csv --out d.h5\n"
        "\n"
        "Exit status: 0 ok, 1 simulation failed, 2 usage error (bad --vary, design),\n"
        "3 invalid scenario (unknown key, value out of bounds), 4 I/O error (a file\n"
        "cannot be read or written, or --out holds another sweep), 130 interrupted\n"
        "(finished chunks are saved; run the same command again to finish).\n",
        f);
}

/* The last component of a key ("hospitals.city.beds" -> "beds"). */
static const char *short_key(const char *k)
{
    const char *dot = strrchr(k, '.');
    return dot ? dot + 1 : k;
}

/* What the closing summary needs, gathered from each chunk's results as it
 * completes (and from the file for the scenarios it already held), so that
 * the file need not be read back at the end. */
typedef struct sweep_summary {
    wf_stat *st;        /* the metric's system statistic per scenario */
    unsigned char *ok;  /* the metric applies (some replicate has a value) */
    size_t reps, days;
    int64_t seed;
    char start[32];     /* first measured day, or "" */
    size_t growing;     /* scenarios whose ED queue was still growing at the end */
    size_t first_growing, growing_reps;
    char growing_at[128];
} sweep_summary;

/* Scenarios first .. first + n_scenarios(r) - 1 of the sweep are in r. */
static void summary_take(sweep_summary *s, const wf_results *r, size_t first, size_t metric)
{
    size_t sys = wf_results_org_find(r, "system");
    for (size_t i = 0; i < wf_results_n_scenarios(r); i++) {
        s->ok[first + i] = (unsigned char)cli_get_stat(r, i, metric, sys, &s->st[first + i]);
        size_t at, k = cli_queue_growing(r, i, &at);
        if (k && !s->growing++) {
            s->first_growing = first + i;
            s->growing_reps = k;
            snprintf(s->growing_at, sizeof s->growing_at, "%s", wf_results_org_name(r, at));
        }
    }
    const char *start = wf_results_date(r, 0);
    s->reps = wf_results_n_replicates(r);
    s->days = wf_results_n_days(r);
    s->seed = wf_results_seed(r);
    snprintf(s->start, sizeof s->start, "%s", start ? start : "");
}

/* The closing summary: one metric of the system per scenario, with a column
 * per swept key when they fit in 80 columns, else the scenario's name. */
static void print_summary(FILE *f, const sweep_summary *sum, const wf_sweep *sw, size_t n,
                          const wf_design *d, const char *out, size_t metric, size_t fresh,
                          double took)
{
    size_t reps = sum->reps;
    fprintf(f, "sweep: %zu scenario%s x %zu replicate%s, seed %" PRId64 ", %zu days",
            n, n == 1 ? "" : "s", reps, reps == 1 ? "" : "s", sum->seed, sum->days);
    if (sum->start[0])
        fprintf(f, " from %s", sum->start);
    fprintf(f, "\nsaved in %s (%zu computed now in %.1f s, %zu reused)\n", out, fresh, took,
            n - fresh);
    const char *unit = wf_metric_unit(metric);
    fprintf(f, "\nsystem %s (%s): mean [95%% interval]\n", wf_metric_name(metric),
            unit && *unit ? unit : "-");
    /* Column widths of the swept keys. */
    size_t width[64], total = 0, nk = wf_design_n_keys(d);
    int columns = nk > 0 && nk <= 64 && n == wf_design_n_points(d);
    for (size_t k = 0; columns && k < nk; k++) {
        width[k] = strlen(short_key(wf_design_key(d, k)));
        for (size_t i = 0; i < n; i++) {
            const char *c = wf_design_value(d, i, k);
            size_t l = c ? strlen(c) : 1;
            if (l > width[k])
                width[k] = l;
        }
        total += width[k] + 2;
    }
    if (total > 44)
        columns = 0;
    if (columns) {
        fputs(" ", f);
        for (size_t k = 0; k < nk; k++)
            fprintf(f, " %*s", (int)width[k] + 1, short_key(wf_design_key(d, k)));
        fprintf(f, "  %12s  %s\n", "mean", "95% interval");
    }
    size_t show = n <= 40 ? n : 30;
    for (size_t i = 0; i < show; i++) {
        char mean[48], ci[112];
        if (sum->ok[i]) {
            fmt_human(mean, sizeof mean, sum->st[i].mean);
            fmt_interval(ci, sizeof ci, sum->st[i].lo, sum->st[i].hi);
        } else {
            snprintf(mean, sizeof mean, "-");
            ci[0] = '\0';
        }
        if (columns) {
            fputs(" ", f);
            for (size_t k = 0; k < nk; k++) {
                const char *c = wf_design_value(d, i, k);
                fprintf(f, " %*s", (int)width[k] + 1, c ? c : "-");
            }
            fprintf(f, "  %12s  %s\n", mean, ci);
        } else {
            char label[64];
            const char *name = wf_sweep_point_name(sw, i);
            size_t len = strlen(name);
            const char *hash = strrchr(name, '#');
            if (hash && hash > name && hash[-1] == ' ')
                len = (size_t)(hash - name - 1);
            if (len > 38)
                snprintf(label, sizeof label, "%.35s...", name);
            else
                snprintf(label, sizeof label, "%.*s", (int)len, name);
            fprintf(f, "  %-38s %12s  %s\n", label, mean, ci);
        }
    }
    if (show < n)
        fprintf(f, "  ... %zu more in %s\n", n - show, out);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* wf_sweep_options.chunk_done: the closing summary's numbers, as each
 * chunk runs (and for the points the file already held). */
typedef struct {
    sweep_summary *sum;
    size_t metric;
} summary_user;

static int on_chunk(void *user, const wf_results *r, size_t first)
{
    summary_user *u = user;
    summary_take(u->sum, r, first, u->metric);
    return 0;
}

/* The callbacks' user data: the progress display and the summary. */
typedef struct {
    cli_progress *prog;
    summary_user su;
} sweep_user;

static int sweep_progress(void *user, size_t done, size_t total)
{
    return cli_progress_cb(((sweep_user *)user)->prog, done, total);
}

static int sweep_chunk(void *user, const wf_results *r, size_t first)
{
    return on_chunk(&((sweep_user *)user)->su, r, first);
}

typedef struct {
    cli_run_args run;
    cli_list vary;
    const char *out, *design, *design_file, *metric, *posterior, *part;
    int64_t samples, chunk, writers;
    int force, resume;
} sweep_opts;

static int check_design(const char *verb, const char *v)
{
    if (strcmp(v, "grid") && strcmp(v, "lhs"))
        return cli_usage_error(verb, "--design '%s': expected grid or lhs", v);
    return EXIT_OK;
}

/* --part K/N: part K (1 .. N) of N; 0 and the usage error's exit code
 * when malformed. */
static int parse_part(const char *v, size_t *k, size_t *n)
{
    int64_t kk = 0, nn = 0;
    const char *slash = v ? strchr(v, '/') : NULL;
    char head[32];
    if (!slash || (size_t)(slash - v) >= sizeof head) return 0;
    memcpy(head, v, (size_t)(slash - v));
    head[slash - v] = '\0';
    if (cli_parse_int64(head, 1, WF_DESIGN_MAX_POINTS, &kk) || cli_parse_int64(slash + 1, 1, WF_DESIGN_MAX_POINTS, &nn) ||
        kk > nn)
        return 0;
    *k = (size_t)kk;
    *n = (size_t)nn;
    return 1;
}

static int check_part(const char *verb, const char *v)
{
    size_t k, n;
    if (!parse_part(v, &k, &n))
        return cli_usage_error(verb, "--part '%s': expected K/N, part K of N (1 <= K <= N), e.g. --part 3/10", v);
    return EXIT_OK;
}

static const cli_opt sweep_options[] = {
    CLI_RUN_OPTS(sweep_opts, run),
    {"--vary", NULL, CLI_LIST, offsetof(sweep_opts, vary), NULL, 0, 0, NULL,
     "--vary needs KEY=VALUES, e.g. --vary partnership.pooled_capacity=0,0.5,1", NULL},
    {"--samples", NULL, CLI_INT, offsetof(sweep_opts, samples), "N", 1, WF_DESIGN_MAX_POINTS, NULL, NULL, NULL},
    {"--chunk", NULL, CLI_INT, offsetof(sweep_opts, chunk), "N", 1, WF_DESIGN_MAX_POINTS, NULL, NULL, NULL},
    {"--design", NULL, CLI_STRING, offsetof(sweep_opts, design), NULL, 0, 0, NULL,
     "--design needs a value: expected grid or lhs", check_design},
    {"--design-file", NULL, CLI_STRING, offsetof(sweep_opts, design_file), NULL, 0, 0, NULL,
     "--design-file needs a CSV file", NULL},
    {"--metric", NULL, CLI_STRING, offsetof(sweep_opts, metric), NULL, 0, 0, NULL,
     "--metric needs a value: expected an output name such as delayed_bed_days", cli_check_metric},
    {"--out", NULL, CLI_STRING, offsetof(sweep_opts, out), NULL, 0, 0, NULL,
     "--out needs a file name, e.g. --out sweep.h5", NULL},
    {"--force", NULL, CLI_FLAG, offsetof(sweep_opts, force), NULL, 0, 0, NULL, NULL, NULL},
    {"--resume", NULL, CLI_FLAG, offsetof(sweep_opts, resume), NULL, 0, 0, NULL, NULL, NULL},
    {"--posterior", NULL, CLI_STRING, offsetof(sweep_opts, posterior), NULL, 0, 0, NULL,
     "--posterior needs a calibration file, e.g. --posterior cal.h5", NULL},
    {"--part", NULL, CLI_STRING, offsetof(sweep_opts, part), NULL, 0, 0, NULL,
     "--part needs K/N, e.g. --part 3/10", check_part},
    {"--writers", NULL, CLI_INT, offsetof(sweep_opts, writers), "W", 1, 1000000, NULL, NULL, NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

/* The design of the options (the library checks it); its exit code. */
static int build_design(const sweep_opts *a, const char *path, wf_scenario *base, wf_design *d)
{
    if (a->design_file) {
        wf_status st = wf_design_read_csv(d, a->design_file);
        if (st != WF_OK) {
            if (st == WF_EIO || st == WF_ENOMEM) {
                cli_error("--design-file %s", wf_design_error(d));
                return st == WF_EIO ? EXIT_IO : EXIT_RUN;
            }
            return cli_usage_error("sweep", "--design-file %s", wf_design_error(d));
        }
    }
    for (size_t k = 0; k < a->vary.n; k++) {
        wf_status st = wf_design_vary(d, a->vary.v[k]);
        if (st == WF_ENOMEM) {
            cli_error("--vary: out of memory");
            return EXIT_RUN;
        }
        if (st != WF_OK)
            return cli_usage_error("sweep", "--vary %s", wf_design_error(d));
    }
    if (a->samples) {
        /* placed by the run's seed: --seed, else the scenario's run.seed */
        int64_t seed = a->run.seed;
        if (seed < 0) {
            char *v = wf_scenario_get(base, "run.seed");
            int bad = !v || cli_parse_int64(v, 0, INT64_MAX, &seed);
            if (bad)
                cli_scenario_error(path, NULL, v ? "run.seed is not an integer" : wf_scenario_error(base));
            wf_free(v);
            if (bad)
                return EXIT_SCENARIO;
        }
        wf_status st = wf_design_lhs(d, (size_t)a->samples, (uint64_t)seed);
        if (st == WF_ENOMEM) {
            cli_error("--samples: out of memory");
            return EXIT_RUN;
        }
        if (st != WF_OK)
            return cli_usage_error("sweep", "--samples: %s", wf_design_error(d));
    }
    wf_status st = wf_design_validate(d);
    if (st == WF_ENOMEM) {
        cli_error("the design: out of memory");
        return EXIT_RUN;
    }
    if (st != WF_OK)
        return cli_usage_error("sweep", "%s%s", wf_design_error(d),
                               strstr(wf_design_error(d), "no step") ? " (--samples N)" : "");
    size_t k, n;
    if (a->part && parse_part(a->part, &k, &n) && wf_design_part(d, k, n) != WF_OK)
        return cli_usage_error("sweep", "--part %s: %s", a->part, wf_design_error(d));
    return EXIT_OK;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_opts a;
    memset(&a, 0, sizeof a);
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0;
    int rc = EXIT_OK;
    wf_scenario *base = NULL;
    wf_design *d = NULL;
    wf_sweep *sw = NULL;
    wf_calibration *post = NULL;
    char *cmd = NULL;
    sweep_summary sum;
    memset(&sum, 0, sizeof sum);
    if (!pos || cli_run_args_init(&a.run, argc) || cli_list_init(&a.vary, argc)) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    rc = cli_parse("sweep", sweep_options, &a, argc, argv, pos, &npos);
    if (rc == CLI_HELP) {
        sweep_help(stdout);
        rc = EXIT_OK;
        goto out;
    }
    if (rc != EXIT_OK)
        goto out;
    const char *path;
    if ((rc = cli_one_scenario("sweep", pos, npos, &path)) != EXIT_OK)
        goto out;
    if (!a.out) {
        rc = cli_usage_error("sweep", "sweep needs --out FILE.h5 (the results file)");
        goto out;
    }
    if (a.force && a.resume) {
        rc = cli_usage_error("sweep", "--force replaces the file and --resume continues it: give one of them");
        goto out;
    }
    if (a.design_file && (a.vary.n || a.samples || a.design)) {
        rc = cli_usage_error("sweep", "--design-file gives the whole design: it does not combine with --vary, "
                             "--samples or --design");
        goto out;
    }
    if (!a.design_file && !a.vary.n) {
        rc = cli_usage_error("sweep", "nothing to sweep: give --vary KEY=VALUES or --design-file FILE.csv");
        goto out;
    }
    if (a.writers > wf_mpi_size(cli_mpi())) {
        rc = cli_usage_error("sweep", "--writers %lld: each writer is a rank of an MPI job, and this job has %d "
                             "(mpirun -n N with N >= %lld)", (long long)a.writers, wf_mpi_size(cli_mpi()),
                             (long long)a.writers);
        goto out;
    }
    if (a.design && !strcmp(a.design, "lhs") && !a.samples) {
        rc = cli_usage_error("sweep", "--design lhs needs --samples N");
        goto out;
    }
    if (a.design && !strcmp(a.design, "grid") && a.samples) {
        rc = cli_usage_error("sweep", "--samples is for --design lhs, not grid");
        goto out;
    }

    if ((rc = cli_load_scenario(path, &a.run, &base)) != EXIT_OK)
        goto out;
    wf_status st = wf_scenario_validate(base);
    if (st != WF_OK) {
        cli_scenario_error(path, NULL, wf_scenario_error(base));
        rc = cli_scenario_exit(st, path);
        goto out;
    }
    if (!(d = wf_design_create()) || !(sw = wf_sweep_create()) || !(cmd = cli_command_line(argc, argv))) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    if ((rc = build_design(&a, path, base, d)) != EXIT_OK)
        goto out;
    size_t n = wf_design_n_points(d);
    sum.st = calloc(n + 1, sizeof *sum.st);
    sum.ok = calloc(n + 1, 1);
    if (!sum.st || !sum.ok) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }

    /* Every point is built and checked now; a file holding the first points
     * of this sweep is continued. */
    cli_progress prog;
    sweep_user user = {&prog, {&sum, wf_metric_find(a.metric ? a.metric : "delayed_bed_days")}};
    wf_sweep_options o;
    wf_sweep_options_init(&o, sizeof o);
    wf_run_options ro = cli_run_options(&a.run);  /* the signal handlers and their cancel flag */
    o.replicates = ro.replicates;
    o.seed = ro.seed;
    o.threads = ro.threads;
    o.cancel = ro.cancel;
    o.chunk = (size_t)a.chunk;
    o.overwrite = a.force;
    o.wait_lock = a.run.wait_lock;
    o.command_line = cmd;
    o.progress = sweep_progress;
    o.chunk_done = sweep_chunk;
    o.user = &user;
    o.mpi = ro.mpi;
    o.writers = (int)a.writers;
    if (a.posterior && (rc = cli_read_posterior(a.posterior, &post)) != EXIT_OK)
        goto out;
    o.posterior = post;
    st = wf_sweep_open(sw, base, d, a.out, &o);
    if (st == WF_EIO && strstr(wf_sweep_error(sw), "another writer")) {
        cli_error("--out %s", wf_sweep_error(sw));
        cli_error("use --wait-lock to wait for it to finish, or choose another name");
        rc = EXIT_IO;
        goto out;
    }
    if (st == WF_ECANCELLED && cli_interrupted()) {
        cli_error("--out %s: interrupted while waiting for another writer", a.out);
        rc = EXIT_INTERRUPTED;
        goto out;
    }
    if (st == WF_EIO && strstr(wf_sweep_error(sw), "cannot lock")) {
        cli_error("--out %s", wf_sweep_error(sw));  /* a folder not writable: no hint helps */
        rc = EXIT_IO;
        goto out;
    }
    if (st == WF_EIO) {
        cli_error("--out %s", wf_sweep_error(sw));
        cli_error("%s", a.resume ? "--resume continues only the same sweep (same command); use --force to "
                                   "replace the file, or choose another name"
                                 : "use --force to replace it, or choose another name");
        rc = EXIT_IO;
        goto out;
    }
    if (st != WF_OK) {
        cli_scenario_error(path, NULL, wf_sweep_error(sw));
        rc = st == WF_ENOMEM || st == WF_EINVAL ? EXIT_RUN : cli_scenario_exit(st, path);
        goto out;
    }
    /* With several writers, rank 0 reports its part (the first) and names
     * the others; the parts read as one (report, export). */
    size_t files = wf_sweep_n_files(sw), saved = wf_sweep_n_saved(sw);
    const char *file = wf_sweep_file(sw, 0);
    n = wf_sweep_n_points(sw);
    if (saved == n)
        cli_note("%s already holds all %zu scenarios of this %s", file, n, files > 1 ? "part" : "sweep");
    else if (saved)
        cli_note("resuming: %zu of %zu scenarios are already in %s", saved, n, file);

    /* Run the rest: the library saves each chunk as it goes. */
    double t0 = now_s();
    cli_progress_start(&prog, "replicates", n, saved, a.run.quiet);
    cli_progress_chunk(&prog, 0, n);  /* the sweep reports over all its points */
    st = wf_sweep_run(sw);
    cli_progress_finish(&prog);
    if (st == WF_ECANCELLED) {
        cli_error("interrupted: %zu of %zu scenarios are saved in %s%s; run the same command again to finish "
                  "the sweep", wf_sweep_n_saved(sw), n, file, files > 1 ? " (and the other parts in theirs)" : "");
        rc = EXIT_INTERRUPTED;
        goto out;
    }
    if (st == WF_EIO) {
        cli_error("--out %s: %s", file, wf_sweep_error(sw));
        rc = EXIT_IO;
        goto out;
    }
    if (st == WF_ERANK) {  /* a rank of an MPI job failed or died */
        cli_error("run failed: %s", wf_sweep_error(sw));
        cli_error("run the same command again, on any number of ranks, to finish the sweep");
        rc = EXIT_RUN;
        goto out;
    }
    if (st != WF_OK) {
        cli_error("run failed: %s", wf_sweep_error(sw));
        rc = (st == WF_EPARSE || st == WF_EKEY || st == WF_ETYPE || st == WF_ERANGE) ? EXIT_SCENARIO : EXIT_RUN;
        goto out;
    }
    if (cli_rank() > 0)  /* rank 0 has the numbers and reports */
        goto out;
    print_summary(stdout, &sum, sw, n, d, file, user.su.metric, n - saved, now_s() - t0);
    if (files > 1) {
        printf("\nthe table is part 1 of %zu; the %zu parts of the sweep, read as one by report and export:\n ",
               files, files);
        for (size_t k = 0; k < files; k++)
            printf(" %s", wf_sweep_file(sw, k));
        printf("\n");
    }
    if (sum.growing)
        fprintf(stderr, "winterflow: warning: in %zu of %zu scenarios the ED queue was still "
                "growing at the end of the run (the first: %s, at %s in %zu of %zu replicates): "
                "the beds cannot keep up with the demand there, and those results depend on the "
                "length of the run (metric ed_queue_growing)\n", sum.growing, n,
                wf_sweep_point_name(sw, sum.first_growing), sum.growing_at, sum.growing_reps,
                sum.reps);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write the summary to standard output");
        rc = EXIT_IO;
    }

out:
    free(sum.st);
    free(sum.ok);
    free(cmd);
    wf_sweep_destroy(sw);
    wf_calibration_destroy(post);
    wf_design_destroy(d);
    wf_scenario_destroy(base);
    cli_list_free(&a.vary);
    cli_run_args_free(&a.run);
    free(pos);
    return rc;
}
