/*
 * winterflow calibrate SCENARIO --observed FILE.csv --vary KEY=LO:HI...
 *                      [--budget N] [--particles N] [--replicates N]
 *                      [--seed S] [--threads T] [--common-random-numbers]
 *                      [--out cal.h5 [--force]] [--set KEY=VALUE]... [--json]
 *                      [--quiet]
 *
 * A thin caller of the library's calibration (winterflow.h, section 8):
 * the options become a wf_calibration, the library runs ABC-SMC and saves
 * each generation in --out (an existing file of the same calibration is
 * continued); this file reports progress and each generation on stderr,
 * then the posterior, the convergence and the fit.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void calibrate_help(FILE *f)
{
    fputs(
        "Usage: winterflow calibrate SCENARIO --observed FILE.csv --vary KEY=LO:HI...\n"
        "                            [--budget N] [--out cal.h5] [--json] [options]\n"
        "\n"
        "Fit the scenario to a system's observed series by approximate Bayesian\n"
        "computation (ABC-SMC): uniform priors over the --vary ranges, a population\n"
        "of particles that moves generation by generation toward the data, until the\n"
        "acceptance falls below 5% or the budget of simulations is spent. Prints each\n"
        "key's posterior mean and 90% credible interval, the convergence (tolerance,\n"
        "acceptance, effective sample size per generation) and the fit of each\n"
        "observed series. docs/calibrate.md has the method and a tutorial.\n"
        "\n"
        "Observed data: a CSV file with the header date,organisation,metric,value;\n"
        "date YYYY-MM-DD (a day) or YYYY-MM (a month) of the measured window;\n"
        "organisation of the scenario or system; metric an output name or a ratio A/B.\n"
        "\n"
        "Options:\n"
        "  --observed FILE.csv  the observed data (required)\n"
        "  --vary KEY=LO:HI     a key to calibrate and its uniform prior (repeatable;\n"
        "                       int and real keys)\n"
        "  --budget N           simulations at most, one replicate of one particle each\n"
        "                       (default 4000)\n"
        "  --particles N        the population kept each generation (default 100); each\n"
        "                       generation simulates as many new particles\n"
        "  --common-random-numbers\n"
        "                       every particle runs the same replicates (faster, but\n"
        "                       the posterior is too narrow; see docs/calibrate.md)\n"
        "  --out cal.h5         save the calibration after each generation; the same\n"
        "                       command continues an interrupted one (a larger --budget\n"
        "                       continues a finished one); compare and sweep take it\n"
        "                       as --posterior\n"
        "  --force              start afresh over an existing --out file\n"
        "  --json               print one JSON object instead of the tables\n",
        f);
    cli_run_options_help(f, 0);
    fputs(
        "                       (--replicates: replicates of each particle, default 2)\n"
        "  -h, --help           show this help\n"
        "\n"
        "Examples:\n"
        "  winterflow calibrate models/reference.yaml \\\n"
        "      --observed models/data/reference_targets.csv \\\n"
        "      --vary partnership.assessment_delay.mean_days=0.25:2 \\\n"
        "      --vary services.care_home.match=0.001:0.005 --out cal.h5\n"
        "  winterflow compare models/partnership/fragmented.yaml \\\n"
        "      models/partnership/integrated.yaml --posterior cal.h5\n"
        "\n"
        "Exit status: 0 ok, 1 simulation failed, 2 usage error (bad --vary, bad\n"
        "option), 3 invalid scenario or observed data (the message names the line),\n"
        "4 I/O error (a file cannot be read or written, or --out holds another\n"
        "calibration), 130 interrupted (saved generations stay; run the same\n"
        "command again to continue).\n",
        f);
}

typedef struct {
    cli_run_args run;
    cli_list vary;
    const char *observed, *out;
    int64_t budget, particles;
    int json, force, crn;
} calibrate_opts;

static const cli_opt calibrate_options[] = {
    CLI_RUN_OPTS(calibrate_opts, run),
    {"--vary", NULL, CLI_LIST, offsetof(calibrate_opts, vary), NULL, 0, 0, NULL,
     "--vary needs KEY=LO:HI, e.g. --vary partnership.assessment_delay.mean_days=0.25:2", NULL},
    {"--observed", NULL, CLI_STRING, offsetof(calibrate_opts, observed), NULL, 0, 0, NULL,
     "--observed needs a CSV file (date,organisation,metric,value)", NULL},
    {"--budget", NULL, CLI_INT, offsetof(calibrate_opts, budget), "N", 1, INT64_MAX / 2, NULL, NULL, NULL},
    {"--particles", NULL, CLI_INT, offsetof(calibrate_opts, particles), "N", 2, 100000, NULL, NULL, NULL},
    {"--common-random-numbers", NULL, CLI_FLAG, offsetof(calibrate_opts, crn), NULL, 0, 0, NULL, NULL, NULL},
    {"--out", NULL, CLI_STRING, offsetof(calibrate_opts, out), NULL, 0, 0, NULL,
     "--out needs a file name, e.g. --out cal.h5", NULL},
    {"--force", NULL, CLI_FLAG, offsetof(calibrate_opts, force), NULL, 0, 0, NULL, NULL, NULL},
    {"--json", NULL, CLI_FLAG, offsetof(calibrate_opts, json), NULL, 0, 0, NULL, NULL, NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

/* Progress on stderr: the bar of simulations, and a line per generation. */
typedef struct {
    cli_progress *prog;
    int quiet;
} cal_user;

static int cal_progress(void *user, size_t done, size_t total)
{
    (void)total;
    return cli_progress_cb(((cal_user *)user)->prog, done, ((cal_user *)user)->prog->scen_total);
}

static int cal_generation(void *user, const wf_calibration *c)
{
    cal_user *u = user;
    size_t g = wf_calibration_n_generations(c) - 1;
    wf_generation gen;
    if (!u->quiet && wf_calibration_generation(c, g, &gen) == WF_OK) {
        cli_progress_clear(u->prog);
        fprintf(stderr, "winterflow: generation %zu: tolerance %.4g, acceptance %.2f, ESS %.1f, %zu simulations\n",
                g, gen.tolerance, gen.acceptance, gen.ess, gen.simulations);
    }
    return cli_interrupted();
}

/* The label of a series: "metric at org, by day|month|span". */
static void series_label(char *buf, size_t len, const wf_series_fit *f)
{
    snprintf(buf, len, "%s at %s, by %s", f->metric, f->organisation, f->period);
}

static void print_table(FILE *f, const wf_calibration *c, const char *scenario, const char *observed,
                        const char *out, size_t budget)
{
    size_t K = wf_calibration_n_keys(c), G = wf_calibration_n_generations(c);
    fprintf(f, "calibrate: %s to %s (%zu rows, %zu series)\n", scenario, observed, wf_calibration_n_rows(c),
            wf_calibration_n_series(c));
    fprintf(f, "ABC-SMC: %zu generations, %zu of %zu simulations, %s, %zu particles\n", G,
            wf_calibration_simulations(c), budget,
            wf_calibration_converged(c) ? "converged (acceptance below 5%)" : "budget spent",
            wf_calibration_n_particles(c));
    if (out)
        fprintf(f, "saved in %s (compare and sweep take it as --posterior %s)\n", out, out);
    fputs("\nposterior: mean [90% credible interval], prior range, and the interval's width\n"
          "as a share of the prior's (near 0.9: the data say little of the key)\n", f);
    size_t w = 10;
    for (size_t k = 0; k < K; k++)
        if (strlen(wf_calibration_key(c, k)) > w)
            w = strlen(wf_calibration_key(c, k));
    if (w > 46)
        w = 46;
    for (size_t k = 0; k < K; k++) {
        wf_estimate e;
        if (wf_calibration_estimate(c, k, &e) != WF_OK)
            continue;
        char m[48], ci[112], pr[112];
        snprintf(m, sizeof m, "%.4g", e.mean);
        snprintf(ci, sizeof ci, "[%.4g, %.4g]", e.lo, e.hi);
        snprintf(pr, sizeof pr, "[%.4g, %.4g]", e.prior_lo, e.prior_hi);
        fprintf(f, "  %-*s %10s  %-22s prior %-18s %.2f\n", (int)w, wf_calibration_key(c, k), m, ci, pr,
                (e.hi - e.lo) / (e.prior_hi - e.prior_lo));
    }
    fputs("\nconvergence:\n  generation   tolerance  acceptance     ESS  simulations\n", f);
    for (size_t g = 0; g < G; g++) {
        wf_generation gen;
        wf_calibration_generation(c, g, &gen);
        fprintf(f, "  %10zu  %10.4g  %10.2f  %6.1f  %11zu\n", g, gen.tolerance, gen.acceptance, gen.ess,
                gen.simulations);
    }
    fputs("\nfit: observed mean of each series vs the posterior predictive mean [90% interval]\n", f);
    for (size_t s = 0; s < wf_calibration_n_series(c); s++) {
        wf_series_fit sf;
        wf_calibration_series(c, s, &sf);
        char label[256], o[48], m[48], ci[112];
        series_label(label, sizeof label, &sf);
        fmt_human(o, sizeof o, sf.observed);
        fmt_human(m, sizeof m, sf.mean);
        fmt_interval(ci, sizeof ci, sf.lo, sf.hi);
        fprintf(f, "  %s (%zu rows)\n    observed %s, simulated %s %s%s\n", label, sf.rows, o, m, ci,
                sf.observed < sf.lo || sf.observed > sf.hi ? "  (outside)" : "");
    }
}

/* `, "name": x` (a number, or null for NaN). */
static void json_num(FILE *f, const char *name, double x)
{
    fprintf(f, ", \"%s\": ", name);
    json_number(f, x);
}

static void print_json(FILE *f, const wf_calibration *c, const char *scenario, const char *observed,
                       const char *out, size_t budget)
{
    fputs("{\n  \"scenario\": ", f);
    json_string(f, scenario);
    fputs(",\n  \"observed\": ", f);
    json_string(f, observed);
    fputs(",\n  \"out\": ", f);
    if (out)
        json_string(f, out);
    else
        fputs("null", f);
    fprintf(f, ",\n  \"simulations\": %zu,\n  \"budget\": %zu,\n  \"converged\": %s,\n  \"particles\": %zu",
            wf_calibration_simulations(c), budget, wf_calibration_converged(c) ? "true" : "false",
            wf_calibration_n_particles(c));
    fputs(",\n  \"parameters\": {", f);
    for (size_t k = 0; k < wf_calibration_n_keys(c); k++) {
        wf_estimate e;
        wf_calibration_estimate(c, k, &e);
        fputs(k ? ",\n    " : "\n    ", f);
        json_string(f, wf_calibration_key(c, k));
        fputs(": {\"mean\": ", f);
        json_number(f, e.mean);
        json_num(f, "sd", e.sd);
        json_num(f, "lo", e.lo);
        json_num(f, "hi", e.hi);
        json_num(f, "prior_lo", e.prior_lo);
        json_num(f, "prior_hi", e.prior_hi);
        fputs("}", f);
    }
    fputs("\n  },\n  \"metrics\": {", f);
    for (size_t s = 0; s < wf_calibration_n_series(c); s++) {
        wf_series_fit sf;
        wf_calibration_series(c, s, &sf);
        char label[256];
        series_label(label, sizeof label, &sf);
        fputs(s ? ",\n    " : "\n    ", f);
        json_string(f, label);
        fputs(": {\"metric\": ", f);
        json_string(f, sf.metric);
        fputs(", \"organisation\": ", f);
        json_string(f, sf.organisation);
        fprintf(f, ", \"period\": \"%s\", \"rows\": %zu", sf.period, sf.rows);
        json_num(f, "scale", sf.scale);
        json_num(f, "observed", sf.observed);
        json_num(f, "mean", sf.mean);
        json_num(f, "lo", sf.lo);
        json_num(f, "hi", sf.hi);
        fputs("}", f);
    }
    fputs("\n  },\n  \"generations\": [", f);
    for (size_t g = 0; g < wf_calibration_n_generations(c); g++) {
        wf_generation gen;
        wf_calibration_generation(c, g, &gen);
        fputs(g ? ",\n    " : "\n    ", f);
        fprintf(f, "{\"simulations\": %zu", gen.simulations);
        json_num(f, "tolerance", gen.tolerance);
        json_num(f, "acceptance", gen.acceptance);
        json_num(f, "ess", gen.ess);
        fputs("}", f);
    }
    fputs("\n  ]\n}\n", f);
}

/* The exit code of a failed library call on the calibration. */
static int failed(const wf_calibration *c, wf_status st, const char *what)
{
    const char *msg = wf_calibration_error(c);
    if (what)
        cli_error("%s: %s", what, msg);
    else
        cli_error("%s", msg);
    switch (st) {
    case WF_EIO: return EXIT_IO;
    case WF_EPARSE: case WF_EKEY: case WF_ETYPE: case WF_ERANGE: return EXIT_SCENARIO;
    case WF_ECANCELLED: return EXIT_INTERRUPTED;
    default: return EXIT_RUN;
    }
}

int cmd_calibrate(int argc, char **argv)
{
    calibrate_opts a;
    memset(&a, 0, sizeof a);
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0;
    int rc = EXIT_OK;
    wf_scenario *base = NULL;
    wf_calibration *c = NULL;
    char *cmd = NULL;
    if (!pos || cli_run_args_init(&a.run, argc) || cli_list_init(&a.vary, argc)) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    rc = cli_parse("calibrate", calibrate_options, &a, argc, argv, pos, &npos);
    if (rc == CLI_HELP) {
        calibrate_help(stdout);
        rc = EXIT_OK;
        goto out;
    }
    if (rc != EXIT_OK)
        goto out;
    const char *path;
    if ((rc = cli_one_scenario("calibrate", pos, npos, &path)) != EXIT_OK)
        goto out;
    if (!a.observed) {
        rc = cli_usage_error("calibrate", "calibrate needs --observed FILE.csv (date,organisation,metric,value)");
        goto out;
    }
    if (!a.vary.n) {
        rc = cli_usage_error("calibrate", "nothing to calibrate: give --vary KEY=LO:HI for each key");
        goto out;
    }
    if (a.force && !a.out) {
        rc = cli_usage_error("calibrate", "--force replaces the --out file; give --out FILE.h5");
        goto out;
    }
    if (!(c = wf_calibration_create()) || !(cmd = cli_command_line(argc, argv))) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    for (size_t k = 0; k < a.vary.n; k++)
        if (wf_calibration_vary(c, a.vary.v[k]) != WF_OK) {
            rc = cli_usage_error("calibrate", "--vary %s", wf_calibration_error(c));
            goto out;
        }
    wf_status st = wf_calibration_observe(c, a.observed);
    if (st != WF_OK) {
        rc = failed(c, st, "--observed");
        goto out;
    }
    if ((rc = cli_load_scenario(path, &a.run, &base)) != EXIT_OK)
        goto out;

    cli_progress prog;
    cal_user user = {&prog, a.run.quiet || a.json || cli_rank() > 0};
    wf_run_options ro = cli_run_options(&a.run);  /* the signal handlers and their cancel flag */
    wf_calibration_options o;
    wf_calibration_options_init(&o, sizeof o);
    o.budget = (size_t)a.budget;
    o.particles = (size_t)a.particles;
    o.replicates = ro.replicates;
    o.seed = ro.seed;
    o.threads = ro.threads;
    o.cancel = ro.cancel;
    o.common_random_numbers = a.crn;
    o.overwrite = a.force;
    o.command_line = cmd;
    o.progress = cal_progress;
    o.generation_done = cal_generation;
    o.user = &user;
    o.mpi = ro.mpi;  /* under mpirun: the ranks share each generation's simulations */
    size_t budget = a.budget ? (size_t)a.budget : 4000;
    cli_progress_start(&prog, "simulations", budget, 0, a.run.quiet);
    cli_progress_chunk(&prog, 0, budget);
    st = wf_calibration_open(c, base, a.out, &o);
    if (st != WF_OK) {
        if (st == WF_EIO && a.out)
            cli_error("use --force to start afresh over %s, or choose another name", a.out);
        rc = failed(c, st, st == WF_EPARSE ? "--observed" : st == WF_EIO ? "--out" : path);
        goto out;
    }
    size_t done = wf_calibration_simulations(c);
    if (done && !a.run.quiet && cli_rank() == 0)
        fprintf(stderr, "winterflow: continuing: %zu generations (%zu simulations) are in %s\n",
                wf_calibration_n_generations(c), done, a.out);
    prog.scen_skipped = done;  /* the library counts every simulation, these included */
    st = wf_calibration_run(c);
    cli_progress_finish(&prog);
    if (st == WF_ECANCELLED) {
        if (a.out)
            cli_error("interrupted: %zu generations are saved in %s; run the same command again to continue",
                      wf_calibration_n_generations(c), a.out);
        else
            cli_error("interrupted (nothing saved: give --out to keep the generations)");
        rc = EXIT_INTERRUPTED;
        goto out;
    }
    if (st == WF_ERANK && a.out) {  /* a rank of an MPI job failed or died */
        rc = failed(c, st, NULL);
        cli_error("%zu generations are saved in %s; run the same command again, on any number of ranks, to "
                  "continue", wf_calibration_n_generations(c), a.out);
        goto out;
    }
    if (st != WF_OK) {
        rc = failed(c, st, NULL);
        goto out;
    }
    if (cli_rank() > 0)  /* rank 0 reports */
        goto out;
    if (a.json)
        print_json(stdout, c, wf_scenario_name(base), a.observed, a.out, budget);
    else
        print_table(stdout, c, wf_scenario_name(base), a.observed, a.out, budget);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write the results to standard output");
        rc = EXIT_IO;
    }

out:
    free(cmd);
    wf_calibration_destroy(c);
    wf_scenario_destroy(base);
    cli_list_free(&a.vary);
    cli_run_args_free(&a.run);
    free(pos);
    return rc;
}
