/*
 * winterflow run SCENARIO [--set KEY=VALUE]... [--replicates N] [--seed S]
 *                [--threads T] [--json] [--out FILE.h5 [--force] [--event-log]]
 *
 * Loads the scenario, applies the overrides in order, validates, runs the
 * replicates and prints, for the whole system and then each organisation,
 * every metric that applies: its mean over replicates and 95% interval.
 * With --out, also writes the results file (docs/results-file.md).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void run_help(FILE *f)
{
    fputs(
        "Usage: winterflow run SCENARIO [--set KEY=VALUE]... [--replicates N]\n"
        "                      [--seed S] [--threads T] [--json]\n"
        "                      [--out FILE.h5 [--force] [--event-log]]\n"
        "\n"
        "Run a scenario file and print, for the whole system and then each\n"
        "organisation, every metric's mean over replicates and its 95% interval.\n"
        "\n"
        "Options:\n",
        f);
    cli_run_options_help(f, 0);
    fputs(
        "  --json            print one JSON object instead of the table\n"
        "  --out FILE.h5     also write the results file (HDF5, opens in xarray;\n"
        "                    see docs/results-file.md). It is written to a\n"
        "                    temporary file and renamed into place when complete\n"
        "  --force           replace FILE.h5 if it exists (only once the new file\n"
        "                    is complete); without it an existing file is an error\n"
        "  --event-log       also keep and write the per-patient event log (what\n"
        "                    happened to whom, when, where; ~13 bytes per event\n"
        "                    in the file, group event_log)\n"
        "  -h, --help        show this help\n"
        "\n"
        "Examples:\n"
        "  winterflow run models/reference.yaml\n"
        "  winterflow run models/reference.yaml --set partnership.preset=integrated\n"
        "  winterflow run models/reference.yaml --set hospitals.city.beds=1100 \\\n"
        "                 --set 'partnership.funding_panel_weekdays=[]'\n"
        "  winterflow run models/reference.yaml --replicates 5 --seed 7 --json\n"
        "  winterflow run models/reference.yaml --out results.h5 --force\n"
        "\n"
        "Exit status: 0 ok, 1 simulation failed, 2 usage error, 3 invalid scenario,\n"
        "4 I/O error (e.g. the file cannot be read), 130 interrupted (Ctrl-C).\n",
        f);
}

static void print_json(FILE *f, const wf_results *r)
{
    fputs("{\n  \"scenario\": ", f);
    json_string(f, wf_results_scenario_name(r, 0));
    json_run_fields(f, r, "  ");
    fputs(",\n  \"organisations\": {", f);
    size_t norgs = wf_results_n_orgs(r), nm = wf_metric_count();
    for (size_t k = 0; k < norgs; k++) {
        size_t org = cli_org_at(r, k);
        fputs(k ? ",\n    " : "\n    ", f);
        json_string(f, wf_results_org_name(r, org));
        fputs(": {\n      \"kind\": ", f);
        json_string(f, wf_results_org_kind(r, org));
        fputs(",\n      \"metrics\": {", f);
        int first = 1;
        for (size_t m = 0; m < nm; m++) {
            wf_stat st;
            if (!cli_get_stat(r, 0, m, org, &st))
                continue;
            fputs(first ? "\n        " : ",\n        ", f);
            first = 0;
            json_string(f, wf_metric_name(m));
            fputs(": ", f);
            json_stat(f, &st, wf_metric_unit(m));
        }
        fputs(first ? "}\n    }" : "\n      }\n    }", f);
    }
    fputs(norgs ? "\n  }\n}\n" : "}\n}\n", f);
}

static void print_table(FILE *f, const wf_results *r)
{
    const char *start = wf_results_date(r, 0);
    size_t reps = wf_results_n_replicates(r);
    int threads = wf_results_threads(r);
    fprintf(f, "scenario %s: %zu replicate%s, seed %" PRId64 ", %d thread%s, %zu days",
            wf_results_scenario_name(r, 0), reps, reps == 1 ? "" : "s",
            wf_results_seed(r), threads, threads == 1 ? "" : "s", wf_results_n_days(r));
    if (start)
        fprintf(f, " from %s", start);
    fputs("\nmean over replicates and its 95% confidence interval\n", f);

    size_t norgs = wf_results_n_orgs(r), nm = wf_metric_count();
    for (size_t k = 0; k < norgs; k++) {
        size_t org = cli_org_at(r, k);
        int header = 0;
        for (size_t m = 0; m < nm; m++) {
            wf_stat st;
            if (!cli_get_stat(r, 0, m, org, &st))
                continue;
            if (!header) {
                fprintf(f, "\n%s (%s)\n", wf_results_org_name(r, org),
                        wf_results_org_kind(r, org));
                fprintf(f, "  %-26s %12s  %-25s %s\n", "metric", "mean", "95% interval", "unit");
                header = 1;
            }
            char mean[48], ci[112];
            fmt_human(mean, sizeof mean, st.mean);
            fmt_interval(ci, sizeof ci, st.lo, st.hi);
            fprintf(f, "  %-26s %12s  %-25s %s\n", wf_metric_name(m), mean, ci,
                    wf_metric_unit(m));
        }
    }
}

typedef struct {
    cli_run_args run;
    const char *out;
    int json, force, event_log;
} run_opts;

static const cli_opt run_options[] = {
    CLI_RUN_OPTS(run_opts, run),
    {"--json", NULL, CLI_FLAG, offsetof(run_opts, json), NULL, 0, 0, NULL, NULL, NULL},
    {"--out", NULL, CLI_STRING, offsetof(run_opts, out), NULL, 0, 0, NULL,
     "--out needs a file name, e.g. --out results.h5", NULL},
    {"--force", NULL, CLI_FLAG, offsetof(run_opts, force), NULL, 0, 0, NULL, NULL, NULL},
    {"--event-log", NULL, CLI_FLAG, offsetof(run_opts, event_log), NULL, 0, 0, NULL, NULL, NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

int cmd_run(int argc, char **argv)
{
    run_opts a;
    memset(&a, 0, sizeof a);
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0;
    int rc = EXIT_OK;
    wf_scenario *s = NULL;
    wf_results *r = NULL;
    if (!pos || cli_run_args_init(&a.run, argc)) {
        cli_error("out of memory");
        free(pos);
        return EXIT_RUN;
    }
    const char *path = NULL;
    rc = cli_parse("run", run_options, &a, argc, argv, pos, &npos);
    if (rc == CLI_HELP) {
        run_help(stdout);
        rc = EXIT_OK;
        goto out;
    }
    if (rc != EXIT_OK)
        goto out;
    if (npos > 1) {
        rc = cli_usage_error("run", "run takes one scenario file; got '%s' and '%s'", pos[0], pos[1]);
        goto out;
    }
    path = npos ? pos[0] : NULL;
    if (!path) {
        rc = cli_usage_error("run", "run needs a scenario file");
        goto out;
    }
    if ((a.force || a.event_log) && !a.out) {
        rc = cli_usage_error("run", "%s only applies with --out FILE.h5", a.force ? "--force" : "--event-log");
        goto out;
    }
    /* Refuse an existing results file before a long run, not after it (the
     * library checks again when it writes). */
    if (a.out && !a.force && access(a.out, F_OK) == 0) {
        cli_error("%s: exists (use --force to replace it)", a.out);
        rc = EXIT_IO;
        goto out;
    }

    if ((rc = cli_load_scenario(path, &a.run, &s)) != EXIT_OK)
        goto out;
    wf_status st = wf_scenario_validate(s);
    if (st != WF_OK) {
        cli_scenario_error(path, NULL, wf_scenario_error(s));
        rc = cli_scenario_exit(st, path);
        goto out;
    }
    if (!(r = wf_results_create())) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    /* Progress only on a terminal and not with --json (run is often piped). */
    wf_run_options o = cli_run_options(&a.run);
    o.event_log = a.event_log;
    cli_progress prog;
    cli_progress_start(&prog, "replicates", 1, 0,
                       a.run.quiet || a.json || !isatty(STDERR_FILENO));
    cli_progress_chunk(&prog, 0, 1);
    o.progress = cli_progress_cb;
    o.user = &prog;
    const wf_scenario *list[1] = {s};
    st = wf_run(r, (const wf_scenario *const *)list, 1, &o);
    cli_progress_finish(&prog);
    if (st == WF_ECANCELLED) {
        cli_error("interrupted: nothing was saved");
        rc = EXIT_INTERRUPTED;
        goto out;
    }
    if (st != WF_OK) {
        rc = cli_run_failed(r, st);
        goto out;
    }
    if (cli_rank() > 0)  /* rank 0 has the results and reports */
        goto out;

    if (a.json)
        print_json(stdout, r);
    else
        print_table(stdout, r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write the results to standard output");
        rc = EXIT_IO;
    }
    if (a.out) {
        int wrc = cli_save_results(r, list, 1, a.out, a.force, a.event_log, argc, argv);
        if (wrc != EXIT_OK)
            rc = wrc;
    }

out:
    wf_results_destroy(r);
    wf_scenario_destroy(s);
    cli_run_args_free(&a.run);
    free(pos);
    return rc;
}
