/*
 * winterflow sweep SCENARIO --vary KEY=a,b,c | --vary KEY=lo:hi:step ...
 *                  [--samples N [--design lhs]] [--design-file FILE.csv]
 *                  --out FILE.h5 [--set KEY=VALUE]... [--replicates N]
 *                  [--seed S] [--threads T] [--chunk N] [--metric NAME]
 *                  [--force | --resume] [--quiet]
 *
 * Each point of the design is the scenario with the point's values set
 * (wf_scenario_set, values as YAML text). All points share the replicates
 * and the seed, so they are compared with common random numbers. They run
 * in chunks of scenarios; after each chunk its results are added to the
 * HDF5 file (wf_results_append, atomic), so an interrupted sweep keeps every
 * finished chunk and the same command started again computes only the rest.
 *
 * Scenario names in the file are "<swept values> #<fingerprint>": the
 * fingerprint hashes the resolved scenario, the point, the replicates and
 * the seed, so that resuming checks that the file holds this sweep.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
        "                       delayed_bed_days)\n",
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

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    h ^= 0xff;  /* separator */
    h *= 0x100000001b3ULL;
    return h;
}


static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Build point i: clone the base, set the point's values, name it. */
static int build_point(const wf_scenario *base, const cli_design *d, size_t i,
                       const char *path, const char *design_file, const char *name,
                       wf_scenario **out)
{
    *out = wf_scenario_clone(base);
    if (!*out) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    for (size_t k = 0; k < d->nkeys; k++) {
        const char *val = d->cells[i * d->nkeys + k];
        if (!val)
            continue;
        char what[600];
        if (design_file)
            snprintf(what, sizeof what, "--design-file %.200s, scenario %zu (line %zu): %.100s=%.200s",
                     design_file, i + 1, i + 2, d->keys[k], val);
        else
            snprintf(what, sizeof what, "--vary %.200s=%.200s (scenario %zu of the sweep)",
                     d->keys[k], val, i + 1);
        int rc = cli_apply_set(*out, path, what, d->keys[k], val);
        if (rc != EXIT_OK) {
            wf_scenario_destroy(*out);
            *out = NULL;
            return rc;
        }
    }
    if (name) {
        char *q = cli_yaml_quote(name);
        wf_status st = q ? wf_scenario_set(*out, "name", q) : WF_ENOMEM;
        free(q);
        if (st != WF_OK) {
            cli_error("out of memory");
            wf_scenario_destroy(*out);
            *out = NULL;
            return EXIT_RUN;
        }
    }
    return EXIT_OK;
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
} sweep_summary;

/* Scenarios first .. first + n_scenarios(r) - 1 of the sweep are in r. */
static void summary_take(sweep_summary *s, const wf_results *r, size_t first, size_t metric)
{
    size_t sys = wf_results_org_find(r, "system");
    for (size_t i = 0; i < wf_results_n_scenarios(r); i++)
        s->ok[first + i] = (unsigned char)cli_get_stat(r, i, metric, sys, &s->st[first + i]);
    const char *start = wf_results_date(r, 0);
    s->reps = wf_results_n_replicates(r);
    s->days = wf_results_n_days(r);
    s->seed = wf_results_seed(r);
    snprintf(s->start, sizeof s->start, "%s", start ? start : "");
}

/* The closing summary: one metric of the system per scenario, with a column
 * per swept key when they fit in 80 columns, else the scenario's name. */
static void print_summary(FILE *f, const sweep_summary *sum, char **names, size_t n,
                          const cli_design *d, const char *out, size_t metric, size_t fresh,
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
    size_t width[64], total = 0;
    int columns = d->nkeys > 0 && d->nkeys <= 64 && n == d->npoints;
    for (size_t k = 0; columns && k < d->nkeys; k++) {
        width[k] = strlen(short_key(d->keys[k]));
        for (size_t i = 0; i < n; i++) {
            const char *c = d->cells[i * d->nkeys + k];
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
        for (size_t k = 0; k < d->nkeys; k++)
            fprintf(f, " %*s", (int)width[k] + 1, short_key(d->keys[k]));
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
            for (size_t k = 0; k < d->nkeys; k++) {
                const char *c = d->cells[i * d->nkeys + k];
                fprintf(f, " %*s", (int)width[k] + 1, c ? c : "-");
            }
            fprintf(f, "  %12s  %s\n", mean, ci);
        } else {
            char label[64];
            const char *name = names[i];
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

/* One chunk of the sweep: its scenarios and coordinate values, kept until
 * the chunk is saved. */
typedef struct chunk {
    const wf_scenario **list;
    size_t n;
    double *coords;  /* [coordinate][scenario of the chunk] */
} chunk;

static void chunk_free(chunk *c)
{
    for (size_t k = 0; c->list && k < c->n; k++)
        wf_scenario_destroy((wf_scenario *)c->list[k]);
    free(c->list);
    free(c->coords);
    memset(c, 0, sizeof *c);
}

/* The save of one chunk on the writer thread: the only thread that calls
 * HDF5 while it runs. */
typedef struct save_job {
    pthread_t thread;
    int active;
    wf_results *r;
    const chunk *ck;
    const char *out;
    char *cmd;
    int overwrite;
    size_t n_coords;
    const char *const *coord_names;
    wf_status st;
    atomic_int failed;  /* set by the writer; read by the progress callback */
} save_job;

static void *save_main(void *arg)
{
    save_job *j = arg;
    wf_write_options wo;
    wf_write_options_init(&wo, sizeof wo);
    wo.overwrite = j->overwrite;
    wo.command_line = j->cmd;
    wo.n_coords = j->n_coords;
    wo.coord_names = j->coord_names;
    wo.coord_values = j->ck->coords;
    const wf_scenario *const *list = (const wf_scenario *const *)j->ck->list;
    j->st = j->overwrite ? wf_results_write(j->r, list, j->ck->n, j->out, &wo)
                         : wf_results_append(j->r, list, j->ck->n, j->out, &wo);
    if (j->st != WF_OK)
        atomic_store(&j->failed, 1);
    return NULL;
}

/* Start saving chunk `ck` (results `r`); SIGINT and SIGTERM stay with the
 * main thread. */
static int save_start(save_job *j, wf_results *r, const chunk *ck, int overwrite)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    j->r = r;
    j->ck = ck;
    j->overwrite = overwrite;
    j->st = WF_OK;
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int e = pthread_create(&j->thread, NULL, save_main, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e) {
        cli_error("cannot start the writer thread: %s", strerror(e));
        return EXIT_RUN;
    }
    j->active = 1;
    return EXIT_OK;
}

/* Wait for the save in flight, if any: on success its scenarios count as
 * done; on failure print the error (clearing the progress bar `p`). */
static int save_join(save_job *j, cli_progress *p, size_t *done, size_t *fresh)
{
    if (!j->active)
        return EXIT_OK;
    pthread_join(j->thread, NULL);
    j->active = 0;
    if (j->st != WF_OK) {
        if (p)
            cli_progress_clear(p);
        return cli_save_failed(j->r, j->st, j->out);
    }
    *done += j->ck->n;
    *fresh += j->ck->n;
    return EXIT_OK;
}

/* The progress callback of a chunk's run: also stops the run when the
 * save in flight has failed. */
typedef struct sweep_progress {
    cli_progress *prog;
    atomic_int *save_failed;
} sweep_progress;

static int sweep_progress_cb(void *user, size_t done, size_t total)
{
    sweep_progress *s = user;
    int stop = cli_progress_cb(s->prog, done, total);
    return stop || atomic_load(s->save_failed);
}

int cmd_sweep(int argc, char **argv)
{
    const char *path = NULL, *out = NULL, *design_file = NULL, *design_kind = NULL;
    const char *metric_name = "delayed_bed_days";
    cli_vary *vary = calloc((size_t)argc + 1, sizeof *vary);
    size_t nvary = 0;
    int64_t samples = 0, chunk_opt = 0;
    int force = 0, resume = 0, options_done = 0, rc = EXIT_OK;
    cli_run_args args;
    cli_design d;
    memset(&d, 0, sizeof d);
    wf_scenario *base = NULL;
    char *base_yaml = NULL;
    char **names = NULL;
    wf_results *r = NULL, *rs[2] = {NULL, NULL};
    chunk chunks[2];
    memset(chunks, 0, sizeof chunks);
    save_job job;
    memset(&job, 0, sizeof job);
    atomic_init(&job.failed, 0);
    sweep_progress prog_user = {NULL, NULL};
    sweep_summary sum;
    memset(&sum, 0, sizeof sum);
    const char **coord_keys = NULL;
    size_t *coord_col = NULL, ncoord = 0;
    if (!vary || cli_run_args_init(&args, argc)) {
        cli_error("out of memory");
        free(vary);
        return EXIT_RUN;
    }

    for (int i = 1; i < argc;) {
        const char *a = argv[i], *v = NULL;
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (path) {
                rc = cli_usage_error("sweep", "sweep takes one scenario file; got '%s' and "
                                     "'%s'", path, a);
                goto out;
            }
            path = a;
            i++;
        } else if (!strcmp(a, "--")) {
            options_done = 1;
            i++;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            sweep_help(stdout);
            goto out;
        } else if (!strcmp(a, "--force")) {
            force = 1;
            i++;
        } else if (!strcmp(a, "--resume")) {
            resume = 1;
            i++;
        } else if (cli_run_option("sweep", argc, argv, &i, &args, &rc)) {
            if (rc != EXIT_OK)
                goto out;
        } else if (cli_option(argc, argv, &i, "--vary", &v)) {
            if ((rc = cli_vary_parse("sweep", v, &vary[nvary])) != EXIT_OK)
                goto out;
            nvary++;
        } else if (cli_int_option("sweep", argc, argv, &i, "--samples", "N", 1,
                                  CLI_MAX_SCENARIOS, &samples, &rc) ||
                   cli_int_option("sweep", argc, argv, &i, "--chunk", "N", 1,
                                  CLI_MAX_SCENARIOS, &chunk_opt, &rc)) {
            if (rc != EXIT_OK)
                goto out;
        } else if (cli_option(argc, argv, &i, "--design", &v)) {
            if (!v || (strcmp(v, "grid") && strcmp(v, "lhs"))) {
                rc = cli_usage_error("sweep", "--design %s%s%s: expected grid or lhs",
                                     v ? "'" : "needs a value", v ? v : "", v ? "'" : "");
                goto out;
            }
            design_kind = v;
        } else if (cli_option(argc, argv, &i, "--design-file", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("sweep", "--design-file needs a CSV file");
                goto out;
            }
            design_file = v;
        } else if (cli_option(argc, argv, &i, "--metric", &v)) {
            if (!v || wf_metric_find(v) == WF_NOT_FOUND) {
                rc = cli_usage_error("sweep", "--metric %s%s%s: expected an output name "
                                     "such as delayed_bed_days, waits_over_12h or cost",
                                     v ? "'" : "needs a value", v ? v : "", v ? "'" : "");
                goto out;
            }
            metric_name = v;
        } else if (cli_option(argc, argv, &i, "--out", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("sweep", "--out needs a file name, e.g. --out sweep.h5");
                goto out;
            }
            out = v;
        } else {
            rc = cli_usage_error("sweep", "unknown option '%s'", a);
            goto out;
        }
    }
    if (!path) {
        rc = cli_usage_error("sweep", "sweep needs a scenario file");
        goto out;
    }
    if (!out) {
        rc = cli_usage_error("sweep", "sweep needs --out FILE.h5 (the results file)");
        goto out;
    }
    if (force && resume) {
        rc = cli_usage_error("sweep", "--force replaces the file and --resume continues it: "
                             "give one of them");
        goto out;
    }
    if (design_file && (nvary || samples || design_kind)) {
        rc = cli_usage_error("sweep", "--design-file gives the whole design: it does not "
                             "combine with --vary, --samples or --design");
        goto out;
    }
    if (design_kind && !strcmp(design_kind, "lhs") && !samples) {
        rc = cli_usage_error("sweep", "--design lhs needs --samples N");
        goto out;
    }
    if (design_kind && !strcmp(design_kind, "grid") && samples) {
        rc = cli_usage_error("sweep", "--samples is for --design lhs, not grid");
        goto out;
    }

    if ((rc = cli_load_scenario(path, &args, &base)) != EXIT_OK)
        goto out;
    {
        wf_status st = wf_scenario_validate(base);
        if (st != WF_OK) {
            cli_scenario_error(path, NULL, wf_scenario_error(base));
            rc = cli_scenario_exit(st, path);
            goto out;
        }
    }
    if (!(base_yaml = wf_scenario_to_yaml(base))) {
        cli_scenario_error(path, NULL, wf_scenario_error(base));
        rc = EXIT_SCENARIO;
        goto out;
    }
    int64_t seed = args.seed;
    if (seed < 0) {
        char *v = wf_scenario_get(base, "run.seed");
        if (!v || cli_parse_int64(v, 0, INT64_MAX, &seed)) {
            cli_scenario_error(path, NULL, v ? "run.seed is not an integer" : wf_scenario_error(base));
            wf_free(v);
            rc = EXIT_SCENARIO;
            goto out;
        }
        wf_free(v);
    }
    if (design_file)
        rc = cli_design_read_csv("sweep", &d, design_file);
    else
        rc = cli_design_build("sweep", &d, vary, nvary, (size_t)samples, (uint64_t)seed);
    if (rc != EXIT_OK)
        goto out;

    /* Check every point now (the library's keys, types and bounds), and name
     * it: its values and a fingerprint of the scenario, replicates and seed. */
    names = calloc(d.npoints, sizeof *names);
    if (!names) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    uint64_t h0 = fnv(0xcbf29ce484222325ULL, base_yaml);
    {
        char opts[64];
        snprintf(opts, sizeof opts, "replicates=%" PRId64 " seed=%" PRId64, args.replicates,
                 args.seed);
        h0 = fnv(h0, opts);
    }
    for (size_t i = 0; i < d.npoints; i++) {
        wf_scenario *s = NULL;
        if ((rc = build_point(base, &d, i, path, design_file, NULL, &s)) != EXIT_OK)
            goto out;
        wf_status st = wf_scenario_validate(s);
        if (st != WF_OK) {
            char *label = cli_design_label(&d, i);
            char what[800];
            snprintf(what, sizeof what, "scenario %zu of the sweep (%.600s)", i + 1,
                     label ? label : "?");
            free(label);
            cli_scenario_error(path, what, wf_scenario_error(s));
            rc = cli_scenario_exit(st, path);
            wf_scenario_destroy(s);
            goto out;
        }
        wf_scenario_destroy(s);
        uint64_t h = h0;
        for (size_t k = 0; k < d.nkeys; k++) {
            const char *c = d.cells[i * d.nkeys + k];
            h = fnv(fnv(h, d.keys[k]), c ? c : "\x01");
        }
        char *label = cli_design_label(&d, i);
        if (!label) {
            cli_error("out of memory");
            rc = EXIT_RUN;
            goto out;
        }
        size_t len = strlen(label) + 48;
        if (!(names[i] = malloc(len))) {
            free(label);
            cli_error("out of memory");
            rc = EXIT_RUN;
            goto out;
        }
        if (label[0])
            snprintf(names[i], len, "%s #%012" PRIx64, label, h >> 16);
        else
            snprintf(names[i], len, "scenario %zu #%012" PRIx64, i + 1, h >> 16);
        free(label);
    }

    /* The swept keys whose values are all numbers become coordinates of
     * the scenario dimension in the file (an empty design cell: NaN). */
    coord_keys = calloc(d.nkeys + 1, sizeof *coord_keys);
    coord_col = calloc(d.nkeys + 1, sizeof *coord_col);
    if (!coord_keys || !coord_col) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    for (size_t k = 0; k < d.nkeys; k++) {
        int numeric = 1, any = 0;
        for (size_t i = 0; i < d.npoints && numeric; i++) {
            const char *c = d.cells[i * d.nkeys + k];
            char *end = NULL;
            if (!c)
                continue;
            double x = strtod(c, &end);
            numeric = end != c && *end == '\0' && isfinite(x) && !isspace((unsigned char)c[0]);
            any = 1;
        }
        /* a netCDF name without spaces or '/' (keys of the table always are) */
        if (strpbrk(d.keys[k], " /\t"))
            numeric = 0;
        if (numeric && any) {
            coord_col[ncoord] = k;
            coord_keys[ncoord++] = d.keys[k];
        }
    }

    /* An existing file: this sweep's first scenarios (continue), or another. */
    size_t metric = wf_metric_find(metric_name);
    sum.st = calloc(d.npoints + 1, sizeof *sum.st);
    sum.ok = calloc(d.npoints + 1, 1);
    if (!sum.st || !sum.ok || !(r = wf_results_create())) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    size_t done = 0;
    int exists = 0;
    struct stat sb;
    if (stat(out, &sb) == 0)
        exists = 1;
    if (exists && !force) {
        wf_status st = wf_results_read(r, out);
        if (st != WF_OK) {
            const char *msg = wf_results_error(r);
            cli_error("--out %s exists and cannot be read as a results file (%s); use "
                      "--force to replace it, or choose another name", out,
                      msg && *msg ? msg : wf_status_str(st));
            rc = EXIT_IO;
            goto out;
        }
        size_t nf = wf_results_n_scenarios(r);
        const char *why = NULL;
        size_t at = 0;
        if (nf > d.npoints) {
            why = "it holds more scenarios than this design";
        } else {
            for (at = 0; at < nf; at++)
                if (strcmp(wf_results_scenario_name(r, at), names[at]))
                    break;
            if (at < nf)
                why = "its scenarios differ";
        }
        if (why) {
            if (at < nf && !(nf > d.npoints))
                cli_error("--out %s holds another sweep: %s (scenario %zu is '%s', this "
                          "command's is '%s'; the #fingerprint covers the scenario file, "
                          "--set, the swept values, --replicates and --seed)", out, why,
                          at + 1, wf_results_scenario_name(r, at), names[at]);
            else
                cli_error("--out %s holds another sweep: %s (%zu scenarios, this design "
                          "has %zu)", out, why, nf, d.npoints);
            cli_error("%s", resume ? "--resume continues only the same sweep (same command); "
                                     "use --force to replace the file, or choose another name"
                                   : "use --force to replace it, or choose another name");
            rc = EXIT_IO;
            goto out;
        }
        done = nf;
        summary_take(&sum, r, 0, metric);
        if (done == d.npoints)
            fprintf(stderr, "winterflow: %s already holds all %zu scenarios of this sweep\n",
                    out, done);
        else if (done)
            fprintf(stderr, "winterflow: resuming: %zu of %zu scenarios are already in %s\n",
                    done, d.npoints, out);
    }

    /* Run the rest in chunks. Chunk k is saved on a writer thread while
     * chunk k+1 runs: each chunk has its own results object and scenarios,
     * only the writer thread calls HDF5 while it exists, and chunks are
     * saved in order, each joined before the next save starts, so the file
     * is the same as a serial sweep's and always complete on disk. */
    size_t fresh = 0, started = done;
    int first_write = 1, cur = 0;
    double t_start = now_s(), per_scenario = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t threads = args.threads > 0 ? (size_t)args.threads : (ncpu > 0 ? (size_t)ncpu : 1);
    size_t min_chunk = 2 * threads;
    if (!(rs[1] = wf_results_create())) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    rs[0] = r;
    cli_progress prog;
    cli_progress_start(&prog, "replicates", d.npoints, done, args.quiet);
    prog_user.prog = &prog;
    prog_user.save_failed = &job.failed;
    cli_signals_install();
    job.out = out;
    job.coord_names = (const char *const *)coord_keys;
    job.n_coords = ncoord;
    if (!(job.cmd = cli_command_line(argc, argv))) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    while (started < d.npoints && !cli_interrupted()) {
        /* Chunk size: the first is two scenarios per thread; then about 30 s
         * of work, but at least as many scenarios as have run so far (each
         * save copies the file, so growing chunks bound the copying), and
         * at most about 10 minutes of work (what an interruption may lose). */
        size_t n = chunk_opt ? (size_t)chunk_opt : min_chunk;
        if (!chunk_opt && per_scenario > 0) {
            double want = 30.0 / per_scenario, most = 600.0 / per_scenario;
            if (want < (double)started)
                want = (double)started;
            if (want > most)
                want = most;
            if (want > (double)n)
                n = want > (double)d.npoints ? d.npoints : (size_t)want;
        }
        /* Towards the end, at most half of what remains (but min_chunk): the
         * last save cannot overlap a run, so keep it short. */
        size_t left = d.npoints - started;
        if (!chunk_opt && n > (left + 1) / 2)
            n = (left + 1) / 2 > min_chunk ? (left + 1) / 2 : min_chunk;
        if (n > left)
            n = left;
        chunk *ck = &chunks[cur];
        if (!(ck->list = calloc(n, sizeof *ck->list)) ||
            (ncoord && !(ck->coords = malloc(ncoord * n * sizeof *ck->coords)))) {
            cli_error("out of memory");
            rc = EXIT_RUN;
            goto out;
        }
        for (size_t i = started; i < started + n; i++) {
            wf_scenario *sc = NULL;
            if ((rc = build_point(base, &d, i, path, design_file, names[i], &sc)) != EXIT_OK)
                goto out;
            ck->list[ck->n++] = sc;
            for (size_t c = 0; c < ncoord; c++) {
                const char *cell = d.cells[i * d.nkeys + coord_col[c]];
                ck->coords[c * n + (i - started)] = cell ? strtod(cell, NULL) : NAN;
            }
        }
        wf_run_options o = cli_run_options(&args);
        o.progress = sweep_progress_cb;
        o.user = &prog_user;
        cli_progress_chunk(&prog, started, n);
        double t0 = now_s();
        wf_status st = wf_run(rs[cur], (const wf_scenario *const *)ck->list, n, &o);
        if (st == WF_ECANCELLED && atomic_load(&job.failed))
            st = WF_OK;  /* the save in flight failed: report that below */
        if (st == WF_ECANCELLED)
            break;
        if (st != WF_OK) {
            cli_progress_clear(&prog);
            rc = cli_run_failed(rs[cur], st);
            goto out;
        }
        per_scenario = (now_s() - t0) / (double)n;
        summary_take(&sum, rs[cur], started, metric);
        /* The previous chunk's save must be complete before this one's. */
        if ((rc = save_join(&job, &prog, &done, &fresh)) != EXIT_OK)
            goto out;
        if ((rc = save_start(&job, rs[cur], ck, force && first_write)) != EXIT_OK)
            goto out;
        first_write = 0;
        started += n;
        cur ^= 1;
        chunk_free(&chunks[cur]);  /* saved by the join above */
    }
    if ((rc = save_join(&job, &prog, &done, &fresh)) != EXIT_OK)
        goto out;
    cli_progress_finish(&prog);
    if (done < d.npoints) {
        cli_error("interrupted: %zu of %zu scenarios are saved in %s; run the same command "
                  "again to finish the sweep", done, d.npoints, out);
        rc = EXIT_INTERRUPTED;
        goto out;
    }

    print_summary(stdout, &sum, names, d.npoints, &d, out, metric, fresh, now_s() - t_start);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write the summary to standard output");
        rc = EXIT_IO;
    }

out:
    /* A save in flight completes (its chunk stays in the file). */
    if (job.active) {
        int jrc = save_join(&job, NULL, &done, &fresh);
        if (rc == EXIT_OK)
            rc = jrc;
    }
    chunk_free(&chunks[0]);
    chunk_free(&chunks[1]);
    free(job.cmd);
    wf_results_destroy(rs[0] == r ? NULL : rs[0]);
    wf_results_destroy(rs[1]);
    wf_results_destroy(r);
    free(coord_keys);
    free(coord_col);
    free(sum.st);
    free(sum.ok);
    if (names)
        for (size_t i = 0; i < d.npoints; i++)
            free(names[i]);
    free(names);
    wf_free(base_yaml);
    wf_scenario_destroy(base);
    cli_design_free(&d);
    for (size_t k = 0; k < nvary; k++)
        cli_vary_free(&vary[k]);
    free(vary);
    cli_run_args_free(&args);
    return rc;
}
