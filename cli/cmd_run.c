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
        "Run a scenario file and print the headline (delayed bed-days, NCTR and\n"
        "occupancy at 08:00, 12-hour waits, cancelled electives, cost: the whole\n"
        "system's mean over replicates and 95% interval), then with --full every\n"
        "metric of the system and each organisation, or with --metric the ones named.\n"
        "\n"
        "Options:\n",
        f);
    cli_run_options_help(f, 0);
    fputs(
        "  --full            after the headline, every metric of every organisation\n"
        "  --metric NAME     after the headline, this metric of every organisation\n"
        "                    (repeatable; names: docs/results-file.md)\n"
        "  --json            print one JSON object instead of the table (every\n"
        "                    metric, or those of --metric; the headline first)\n"
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

static void print_json(FILE *f, const wf_results *r, const cli_show *show)
{
    fputs("{\n  \"scenario\": ", f);
    json_string(f, wf_results_scenario_name(r, 0));
    json_run_fields(f, r, "  ");
    size_t sys = wf_results_org_find(r, "system"), nm = wf_metric_count();
    /* the headline first: system-wide, as in the table */
    fputs(",\n  \"headline\": {", f);
    int first = 1;
    for (size_t i = 0, m; (m = wf_metric_headline(i)) != WF_NOT_FOUND; i++) {
        wf_stat st;
        if (sys == WF_NOT_FOUND || !cli_get_stat(r, 0, m, sys, &st))
            continue;
        fputs(first ? "\n    " : ",\n    ", f);
        first = 0;
        json_string(f, wf_metric_name(m));
        fputs(": ", f);
        json_stat(f, &st, wf_metric_unit(m), "system");
    }
    fputs(first ? "}" : "\n  }", f);
    fputs(",\n  \"organisations\": {", f);
    size_t norgs = wf_results_n_orgs(r);
    for (size_t k = 0; k < norgs; k++) {
        size_t org = cli_org_at(r, k);
        fputs(k ? ",\n    " : "\n    ", f);
        json_string(f, wf_results_org_name(r, org));
        fputs(": {\n      \"kind\": ", f);
        json_string(f, wf_results_org_kind(r, org));
        fputs(",\n      \"metrics\": {", f);
        first = 1;
        for (size_t m = 0; m < nm; m++) {
            wf_stat st;
            if (!cli_show_metric(show, m) || !cli_get_stat(r, 0, m, org, &st))
                continue;
            fputs(first ? "\n        " : ",\n        ", f);
            first = 0;
            json_string(f, wf_metric_name(m));
            fputs(": ", f);
            json_stat(f, &st, wf_metric_unit(m), cli_perspective(r, m, org));
        }
        fputs(first ? "}\n    }" : "\n      }\n    }", f);
    }
    fputs(norgs ? "\n  }\n}\n" : "}\n}\n", f);
}

static void print_row(FILE *f, size_t m, const wf_stat *st)
{
    char mean[48], ci[112];
    fmt_human(mean, sizeof mean, st->mean);
    fmt_interval(ci, sizeof ci, st->lo, st->hi);
    fprintf(f, "  %-26s %12s  %-25s %s\n", wf_metric_name(m), mean, ci, wf_metric_unit(m));
}

static void print_table(FILE *f, const wf_results *r, const cli_show *show)
{
    const char *start = wf_results_date(r, 0);
    size_t reps = wf_results_n_replicates(r);
    int threads = wf_results_threads(r);
    fprintf(f, "scenario %s: %zu replicate%s, seed %" PRId64 ", %d thread%s, %zu days",
            wf_results_scenario_name(r, 0), reps, reps == 1 ? "" : "s",
            wf_results_seed(r), threads, threads == 1 ? "" : "s", wf_results_n_days(r));
    if (start)
        fprintf(f, " from %s", start);
    fputs("\n\nheadline, the whole system: mean over replicates [95% interval]\n", f);
    size_t sys = wf_results_org_find(r, "system");
    for (size_t i = 0, m; (m = wf_metric_headline(i)) != WF_NOT_FOUND; i++) {
        wf_stat st;
        if (sys != WF_NOT_FOUND && cli_get_stat(r, 0, m, sys, &st))
            print_row(f, m, &st);
    }
    if (!cli_show_tables(show)) {
        cli_show_hint(f);
        return;
    }
    fputs("\nmean over replicates and its 95% confidence interval\n", f);
    size_t norgs = wf_results_n_orgs(r), nm = wf_metric_count();
    for (size_t k = 0; k < norgs; k++) {
        size_t org = cli_org_at(r, k);
        int header = 0;
        /* the organisation's own metrics, then those it counts again as
         * its residents' home council */
        for (int again = 0; again < 2; again++) {
            int sub = 0;
            for (size_t m = 0; m < nm; m++) {
                wf_stat st;
                if (!cli_show_metric(show, m) || cli_home_council(r, m, org) != again ||
                    !cli_get_stat(r, 0, m, org, &st))
                    continue;
                if (!header) {
                    fprintf(f, "\n%s (%s)\n", wf_results_org_name(r, org),
                            wf_results_org_kind(r, org));
                    fprintf(f, "  %-26s %12s  %-25s %s\n", "metric", "mean", "95% interval", "unit");
                    header = 1;
                }
                if (again && !sub)
                    cli_home_council_heading(f);
                sub = 1;
                print_row(f, m, &st);
            }
        }
    }
}

typedef struct {
    cli_run_args run;
    cli_show show;
    const char *out;
    int json, force, event_log;
} run_opts;

static const cli_opt run_options[] = {
    CLI_RUN_OPTS(run_opts, run),
    CLI_SHOW_OPTS(run_opts, show),
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
    wf_lock *lock = NULL;
    if (!pos || cli_run_args_init(&a.run, argc) || cli_list_init(&a.show.metrics, argc)) {
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
    if ((rc = cli_one_scenario("run", pos, npos, &path)) != EXIT_OK)
        goto out;
    if ((rc = cli_show_check("run", &a.show)) != EXIT_OK)
        goto out;
    if ((a.force || a.event_log) && !a.out) {
        rc = cli_usage_error("run", "%s only applies with --out FILE.h5", a.force ? "--force" : "--event-log");
        goto out;
    }
    /* The --out file is locked for the whole run, and an existing one
     * refused before a long run, not after it. */
    if (a.out && (rc = cli_lock_out(a.out, a.force, &a.run, argc, argv, &lock)) != EXIT_OK)
        goto out;

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
        print_json(stdout, r, &a.show);
    else
        print_table(stdout, r, &a.show);
    cli_warn_queue_growing(r, NULL);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write the results to standard output");
        rc = EXIT_IO;
    }
    if (a.out) {
        int wrc = cli_save_results(r, list, 1, a.out, lock, a.force, a.event_log, argc, argv);
        if (wrc != EXIT_OK)
            rc = wrc;
    }

out:
    wf_lock_destroy(lock);
    wf_results_destroy(r);
    wf_scenario_destroy(s);
    cli_run_args_free(&a.run);
    cli_list_free(&a.show.metrics);
    free(pos);
    return rc;
}
