/*
 * winterflow compare SCENARIO... [--partnership P1,P2,...] [--vary KEY=a,b]...
 *                    [--set KEY=VALUE]... [--replicates N] [--seed S]
 *                    [--threads T] [--json] [--out FILE.h5 [--force]] [--quiet]
 *
 * Two or more configurations of one system (several scenario files, and/or
 * the values of --partnership / --vary applied to each) run together in one
 * wf_run, so that replicate r of every configuration sees the same arrivals
 * and patients (common random numbers). For the system and each
 * organisation, every metric: each configuration's mean and 95% interval,
 * and the paired difference of each configuration minus the first, with the
 * 95% interval of the mean paired difference (wf_results_paired).
 */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void compare_help(FILE *f)
{
    fputs(
        "Usage: winterflow compare SCENARIO [--partnership P1,P2,...] [--vary KEY=a,b]...\n"
        "                          [--set KEY=VALUE]... [--replicates N] [--seed S]\n"
        "                          [--threads T] [--json] [--out FILE.h5 [--force]]\n"
        "       winterflow compare SCENARIO1 SCENARIO2... [options]\n"
        "\n"
        "Run two or more configurations of one system with common random numbers\n"
        "(replicate r of each sees the same arrivals and patients) and print the\n"
        "headline (the whole system's delayed bed-days, NCTR and occupancy at 08:00,\n"
        "12-hour waits, cancelled electives and cost): each configuration's mean and\n"
        "95% interval, and the paired difference (each configuration minus the first)\n"
        "with its 95% interval. --full adds every metric of every organisation,\n"
        "--metric the ones named.\n"
        "\n"
        "Configurations: each scenario file, times each value of --partnership and\n"
        "each combination of --vary values (the first configuration is the baseline).\n"
        "\n"
        "Options:\n"
        "  --partnership LIST  partnership presets to compare, e.g. fragmented,integrated\n"
        "                      (sets partnership.preset; keys the file sets explicitly\n"
        "                      still override the preset)\n"
        "  --vary KEY=a,b,...  compare these values of any key (repeatable: all\n"
        "                      combinations); values are YAML text, commas inside [] do\n"
        "                      not split:\n"
        "                      --vary 'partnership.funding_panel_weekdays=[Tue],[]'\n",
        f);
    cli_run_options_help(f, 1);
    fputs(
        "  --posterior CAL.h5  draw each replicate's parameters from the posterior of a\n"
        "                      calibration (winterflow calibrate --out), the same draw\n"
        "                      in every configuration: intervals include parameter\n"
        "                      uncertainty as well as chance\n"
        "  --full              after the headline, every metric of every organisation\n"
        "  --metric NAME       after the headline, this metric of every organisation\n"
        "                      (repeatable; names: docs/results-file.md)\n"
        "  --json              print one JSON object instead of the table (every\n"
        "                      metric, or those of --metric; the headline first)\n"
        "  --out FILE.h5       also save every configuration's results (HDF5)\n"
        "  --force             replace FILE.h5 if it exists\n"
        "  -h, --help          show this help\n"
        "\n"
        "Examples:\n"
        "  winterflow compare models/reference.yaml --partnership fragmented,integrated\n"
        "  winterflow compare models/reference.yaml \\\n"
        "                     --vary partnership.pooled_capacity=0,0.5,1\n"
        "  winterflow compare before.yaml after.yaml --replicates 40 --json > diff.json\n"
        "  winterflow compare models/reference.yaml --partnership fragmented,integrated \\\n"
        "                     --set hospitals.city.beds=1100 --out compare.h5 --force\n"
        "\n"
        "Exit status: 0 ok, 1 simulation failed, 2 usage error, 3 invalid scenario,\n"
        "4 I/O error (a file cannot be read, or --out exists without --force),\n"
        "130 interrupted (Ctrl-C).\n",
        f);
}

typedef struct config {
    const char *path;
    char *label;
    wf_scenario *s;
} config;

/* Labels: the design's (the library's rule) when one file is compared;
 * the file's scenario name (or path) when several files are, joined to the
 * design's by ": " when a design varies them too; made unique with " #2",
 * " #3". */
static int make_labels(config *c, size_t n, size_t nfiles, const wf_design *d, char **file_labels)
{
    size_t np = wf_design_n_points(d);
    for (size_t i = 0; i < n; i++) {
        size_t fi = np ? i / np : i;
        const char *point = np ? wf_design_label(d, i % np) : NULL, *fl = file_labels[fi];
        size_t len = strlen(fl) + (point ? strlen(point) : 0) + 24;
        if (!(c[i].label = malloc(len)))
            return -1;
        if (point && nfiles > 1)
            snprintf(c[i].label, len, "%s: %s", fl, point);
        else
            snprintf(c[i].label, len, "%s", point ? point : fl);
    }
    for (size_t i = 1; i < n; i++) {
        int dup = 1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(c[j].label, c[i].label))
                dup++;
        if (dup > 1) {
            size_t len = strlen(c[i].label) + 24;
            char *l = malloc(len);
            if (!l)
                return -1;
            snprintf(l, len, "%s #%d", c[i].label, dup);
            free(c[i].label);
            c[i].label = l;
        }
    }
    return 0;
}

/* "label" shortened to `w` columns with "..." in the middle. */
static void fit(char *buf, size_t len, const char *s, size_t w)
{
    size_t n = strlen(s);
    if (n <= w || w < 8) {
        snprintf(buf, len, "%s", s);
        return;
    }
    size_t head = (w - 3) / 2, tail = w - 3 - head;
    snprintf(buf, len, "%.*s...%s", (int)head, s, s + n - tail);
}

/* Row names: the labels when every "label - baseline" fits in 26 columns,
 * else the letters A, B, ... of the legend. */
static int use_letters(const config *c, size_t n)
{
    if (n > 26)
        return 1;
    for (size_t i = 1; i < n; i++)
        if (strlen(c[i].label) + 3 + strlen(c[0].label) > 26)
            return 1;
    return 0;
}

static void row_name(char *buf, size_t len, const config *c, size_t i, int diff, int letters)
{
    if (letters && diff)
        snprintf(buf, len, "%c - A", (int)('A' + (i % 26)));
    else if (letters)
        snprintf(buf, len, "%c", (int)('A' + (i % 26)));
    else if (diff)
        snprintf(buf, len, "%s - %s", c[i].label, c[0].label);
    else
        snprintf(buf, len, "%s", c[i].label);
}

/* Does metric m apply to org in any of the n configurations? */
static int any_stat(const wf_results *r, size_t n, size_t m, size_t org)
{
    wf_stat st;
    for (size_t i = 0; i < n; i++)
        if (cli_get_stat(r, i, m, org, &st))
            return 1;
    return 0;
}

/* One metric of one organisation: each configuration's mean [interval],
 * then each paired difference from the baseline. */
static void print_metric(FILE *f, const wf_results *r, const config *c, size_t n, size_t m,
                         size_t org, int letters)
{
    wf_stat st;
    const char *unit = wf_metric_unit(m);
    fprintf(f, "  %s%s%s%s\n", wf_metric_name(m), unit && *unit ? " (" : "",
            unit && *unit ? unit : "", unit && *unit ? ")" : "");
    for (size_t i = 0; i < n; i++) {
        char row[128], mean[48], ci[112];
        row_name(row, sizeof row, c, i, 0, letters);
        if (cli_get_stat(r, i, m, org, &st)) {
            fmt_human(mean, sizeof mean, st.mean);
            fmt_interval(ci, sizeof ci, st.lo, st.hi);
        } else {
            snprintf(mean, sizeof mean, "-");
            ci[0] = '\0';
        }
        fprintf(f, "    %-26s %12s  %s\n", row, mean, ci);
    }
    for (size_t i = 1; i < n; i++) {
        char row[128], mean[48], ci[112];
        row_name(row, sizeof row, c, i, 1, letters);
        if (wf_results_paired(r, 0, i, m, org, &st) == WF_OK && st.n > 0 && !isnan(st.mean)) {
            fmt_human(mean, sizeof mean, st.mean);
            if (st.mean > 0 && mean[0] != '0')
                memmove(mean + 1, mean, strlen(mean) + 1), mean[0] = '+';
            fmt_interval(ci, sizeof ci, st.lo, st.hi);
        } else {
            snprintf(mean, sizeof mean, "-");
            ci[0] = '\0';
        }
        fprintf(f, "    %-26s %12s  %s\n", row, mean, ci);
    }
}

static void print_table(FILE *f, const wf_results *r, const config *c, size_t n,
                        const cli_show *show)
{
    int letters = use_letters(c, n);
    const char *start = wf_results_date(r, 0);
    size_t reps = wf_results_n_replicates(r);
    int threads = wf_results_threads(r);
    fprintf(f, "compare: %zu configurations, %zu replicate%s, seed %" PRId64 ", %d thread%s,\n"
               "%zu days", n, reps, reps == 1 ? "" : "s", wf_results_seed(r), threads,
            threads == 1 ? "" : "s", wf_results_n_days(r));
    if (start)
        fprintf(f, " from %s", start);
    fputs(", common random numbers\n", f);
    for (size_t i = 0; i < n; i++) {
        char l[80];
        fit(l, sizeof l, c[i].label, 64);
        if (letters)
            fprintf(f, "  %c  %s%s\n", (int)('A' + (i % 26)), l, i == 0 ? " (baseline)" : "");
        else
            fprintf(f, "  %s%s\n", l, i == 0 ? " (baseline)" : "");
    }
    fputs("mean over replicates [95% interval]; X - baseline: the paired difference\n"
          "(replicate by replicate), its mean [95% interval]\n", f);

    fputs("\nheadline, the whole system\n", f);
    size_t sys = wf_results_org_find(r, "system");
    for (size_t i = 0, m; sys != WF_NOT_FOUND && (m = wf_metric_headline(i)) != WF_NOT_FOUND; i++)
        if (any_stat(r, n, m, sys))
            print_metric(f, r, c, n, m, sys, letters);
    if (!cli_show_tables(show)) {
        cli_show_hint(f);
        return;
    }

    size_t norgs = wf_results_n_orgs(r), nm = wf_metric_count();
    for (size_t k = 0; k < norgs; k++) {
        size_t org = cli_org_at(r, k);
        int header = 0;
        /* its own metrics, then those it counts again as home council */
        for (int again = 0; again < 2; again++) {
            int sub = 0;
            for (size_t m = 0; m < nm; m++) {
                if (!cli_show_metric(show, m) || cli_home_council(r, m, org) != again ||
                    !any_stat(r, n, m, org))
                    continue;
                if (!header) {
                    fprintf(f, "\n%s (%s)\n", wf_results_org_name(r, org),
                            wf_results_org_kind(r, org));
                    header = 1;
                }
                if (again && !sub)
                    cli_home_council_heading(f);
                sub = 1;
                print_metric(f, r, c, n, m, org, letters);
            }
        }
    }
}

/* One metric's JSON member: unit, perspective, each configuration's
 * statistic and each paired difference. */
static void json_metric(FILE *f, const wf_results *r, const config *c, size_t n, size_t m,
                        size_t org, const char *indent)
{
    wf_stat st;
    json_string(f, wf_metric_name(m));
    fprintf(f, ": {\n%s  \"unit\": ", indent);
    json_string(f, wf_metric_unit(m));
    fprintf(f, ",\n%s  \"perspective\": ", indent);
    json_string(f, cli_perspective(r, m, org));
    fprintf(f, ",\n%s  \"configurations\": {", indent);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "\n%s    ", indent);
        json_string(f, c[i].label);
        fputs(": ", f);
        if (wf_results_stat(r, i, m, org, &st) == WF_OK)
            json_stat(f, &st, NULL, NULL);
        else
            fputs("null", f);
        if (i + 1 < n)
            fputc(',', f);
    }
    fprintf(f, "\n%s  },\n%s  \"differences\": {", indent, indent);
    for (size_t i = 1; i < n; i++) {
        char key[512];
        snprintf(key, sizeof key, "%s - %s", c[i].label, c[0].label);
        fprintf(f, "\n%s    ", indent);
        json_string(f, key);
        fputs(": ", f);
        if (wf_results_paired(r, 0, i, m, org, &st) == WF_OK)
            json_stat(f, &st, NULL, NULL);
        else
            fputs("null", f);
        if (i + 1 < n)
            fputc(',', f);
    }
    fprintf(f, n > 1 ? "\n%s  }\n%s}" : "}\n%s%s}", indent, indent);
}

static void print_json(FILE *f, const wf_results *r, const config *c, size_t n,
                       const char *scenario, const cli_show *show)
{
    fputs("{\n  \"scenario\": ", f);
    json_string(f, scenario);
    fputs(",\n  \"configurations\": [", f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", f);
        json_string(f, c[i].label);
    }
    fputs("],\n  \"baseline\": ", f);
    json_string(f, c[0].label);
    json_run_fields(f, r, "  ");
    /* the headline first: system-wide, as in the table */
    size_t sys = wf_results_org_find(r, "system");
    fputs(",\n  \"headline\": {", f);
    int first = 1;
    for (size_t i = 0, m; sys != WF_NOT_FOUND && (m = wf_metric_headline(i)) != WF_NOT_FOUND; i++) {
        if (!any_stat(r, n, m, sys))
            continue;
        fputs(first ? "\n    " : ",\n    ", f);
        first = 0;
        json_metric(f, r, c, n, m, sys, "    ");
    }
    fputs(first ? "}" : "\n  }", f);
    fputs(",\n  \"organisations\": {", f);
    size_t norgs = wf_results_n_orgs(r), nm = wf_metric_count();
    for (size_t k = 0; k < norgs; k++) {
        size_t org = cli_org_at(r, k);
        fputs(k ? ",\n    " : "\n    ", f);
        json_string(f, wf_results_org_name(r, org));
        fputs(": {\n      \"kind\": ", f);
        json_string(f, wf_results_org_kind(r, org));
        fputs(",\n      \"metrics\": {", f);
        first = 1;
        for (size_t m = 0; m < nm; m++) {
            if (!cli_show_metric(show, m) || !any_stat(r, n, m, org))
                continue;
            fputs(first ? "\n        " : ",\n        ", f);
            first = 0;
            json_metric(f, r, c, n, m, org, "        ");
        }
        fputs(first ? "}\n    }" : "\n      }\n    }", f);
    }
    fputs(norgs ? "\n  }\n}\n" : "}\n}\n", f);
}

typedef struct {
    cli_run_args run;
    cli_show show;
    cli_list partnership, vary;
    const char *out, *posterior;
    int json, force;
} compare_opts;

static int check_partnership(const char *verb, const char *v)
{
    if (strchr(v, ':'))
        return cli_usage_error(verb, "--partnership %s: expected a list of presets, e.g. "
                               "fragmented,integrated", v);
    return EXIT_OK;
}

static const cli_opt compare_options[] = {
    CLI_RUN_OPTS(compare_opts, run),
    CLI_SHOW_OPTS(compare_opts, show),
    {"--partnership", NULL, CLI_LIST, offsetof(compare_opts, partnership), NULL, 0, 0, NULL,
     "--partnership needs a list of presets, e.g. --partnership fragmented,integrated",
     check_partnership},
    {"--vary", NULL, CLI_LIST, offsetof(compare_opts, vary), NULL, 0, 0, NULL,
     "--vary needs KEY=VALUES, e.g. --vary partnership.pooled_capacity=0,0.5,1", NULL},
    {"--json", NULL, CLI_FLAG, offsetof(compare_opts, json), NULL, 0, 0, NULL, NULL, NULL},
    {"--out", NULL, CLI_STRING, offsetof(compare_opts, out), NULL, 0, 0, NULL,
     "--out needs a file name, e.g. --out compare.h5", NULL},
    {"--force", NULL, CLI_FLAG, offsetof(compare_opts, force), NULL, 0, 0, NULL, NULL, NULL},
    {"--posterior", NULL, CLI_STRING, offsetof(compare_opts, posterior), NULL, 0, 0, NULL,
     "--posterior needs a calibration file, e.g. --posterior cal.h5", NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

/* The options that built the design, to name them in its messages. */
static const char *design_options(const compare_opts *a)
{
    return a->partnership.n && a->vary.n ? "--partnership, --vary" : a->partnership.n ? "--partnership"
                                                                                        : "--vary";
}

int cmd_compare(int argc, char **argv)
{
    compare_opts a;
    memset(&a, 0, sizeof a);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    int rc = EXIT_OK;
    wf_design *design = NULL;
    config *cfg = NULL;
    size_t ncfg = 0;
    char **file_labels = NULL;
    wf_scenario **base = NULL;
    wf_results *r = NULL;
    wf_lock *lock = NULL;
    wf_calibration *post = NULL;
    if (!files || cli_run_args_init(&a.run, argc) || cli_list_init(&a.partnership, argc) ||
        cli_list_init(&a.vary, argc) || cli_list_init(&a.show.metrics, argc)) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    rc = cli_parse("compare", compare_options, &a, argc, argv, files, &nfiles);
    if (rc == CLI_HELP) {
        compare_help(stdout);
        rc = EXIT_OK;
        goto out;
    }
    if (rc != EXIT_OK)
        goto out;
    if (nfiles == 0) {
        rc = cli_usage_error("compare", "compare needs a scenario file");
        goto out;
    }
    if ((rc = cli_show_check("compare", &a.show)) != EXIT_OK)
        goto out;
    /* The design: each --partnership list (partnership.preset) and --vary,
     * crossed into every combination. */
    if (a.partnership.n || a.vary.n) {
        if (!(design = wf_design_create())) {
            cli_error("out of memory");
            rc = EXIT_RUN;
            goto out;
        }
        for (size_t k = 0; k < a.partnership.n; k++) {
            size_t len = strlen(a.partnership.v[k]) + 32;
            char *spec = malloc(len);
            if (!spec) {
                cli_error("out of memory");
                rc = EXIT_RUN;
                goto out;
            }
            snprintf(spec, len, "partnership.preset=%s", a.partnership.v[k]);
            wf_status st = wf_design_vary(design, spec);
            free(spec);
            if (st != WF_OK) {
                rc = cli_usage_error("compare", "--partnership %s: %s", a.partnership.v[k],
                                     wf_design_error(design));
                goto out;
            }
        }
        for (size_t k = 0; k < a.vary.n; k++)
            if (wf_design_vary(design, a.vary.v[k]) != WF_OK) {
                rc = cli_usage_error("compare", "--vary %s", wf_design_error(design));
                goto out;
            }
        if (wf_design_validate(design) != WF_OK) {
            rc = cli_usage_error("compare", "%s: %s%s", design_options(&a), wf_design_error(design),
                                 strstr(wf_design_error(design), "no step")
                                     ? " (Latin hypercubes are for 'winterflow sweep')" : "");
            goto out;
        }
    }
    size_t np = wf_design_n_points(design);
    ncfg = nfiles * (np ? np : 1);
    if (ncfg < 2) {
        rc = cli_usage_error("compare", "compare needs two or more configurations: give "
                             "two scenario files, or --partnership fragmented,integrated, "
                             "or --vary KEY=a,b");
        goto out;
    }
    if (ncfg > 10000) {
        rc = cli_usage_error("compare", "%zu configurations: compare prints them all; use "
                             "'winterflow sweep' for more than 10000", ncfg);
        goto out;
    }
    if (a.force && !a.out) {
        rc = cli_usage_error("compare", "--force replaces the --out file; give --out FILE.h5");
        goto out;
    }
    /* The --out file is locked for the whole run, and an existing one
     * refused before anything runs. */
    if (a.out && (rc = cli_lock_out(a.out, a.force, &a.run, argc, argv, &lock)) != EXIT_OK)
        goto out;

    /* Load each file once (with the --set overrides). */
    base = calloc(nfiles, sizeof *base);
    file_labels = calloc(nfiles, sizeof *file_labels);
    cfg = calloc(ncfg, sizeof *cfg);
    if (!base || !file_labels || !cfg) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    for (size_t fi = 0; fi < nfiles; fi++) {
        if ((rc = cli_load_scenario(files[fi], &a.run, &base[fi])) != EXIT_OK)
            goto out;
        const char *name = wf_scenario_name(base[fi]);
        int unique = name && *name;
        for (size_t j = 0; j < nfiles && unique; j++)
            if (j != fi && strcmp(files[j], files[fi]) && base[j] &&
                !strcmp(wf_scenario_name(base[j]), name))
                unique = 0;
        if (!(file_labels[fi] = cli_strdup(unique ? name : files[fi]))) {
            cli_error("out of memory");
            rc = EXIT_RUN;
            goto out;
        }
    }
    if (make_labels(cfg, ncfg, nfiles, design, file_labels)) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }

    /* Each configuration: the file with its design point applied (by the
     * library), named by its label. */
    for (size_t i = 0; i < ncfg; i++) {
        size_t fi = np ? i / np : i;
        cfg[i].path = files[fi];
        wf_status st = WF_OK;
        if (np) {
            st = wf_design_scenario(design, i % np, base[fi], &cfg[i].s);
            if (st != WF_OK) {
                cli_error("%s: %s", design_options(&a), wf_design_error(design));
                rc = st == WF_ENOMEM ? EXIT_RUN : cli_scenario_exit(st, cfg[i].path);
                goto out;
            }
        } else if (!(cfg[i].s = wf_scenario_clone(base[fi]))) {
            st = WF_ENOMEM;
        }
        if (st == WF_OK)
            st = wf_scenario_set_name(cfg[i].s, cfg[i].label);
        if (st == WF_OK)
            st = wf_scenario_validate(cfg[i].s);
        if (st != WF_OK) {
            char what[512];
            snprintf(what, sizeof what, "%s (configuration %s)", cfg[i].path, cfg[i].label);
            cli_scenario_error(cfg[i].path, what, cfg[i].s ? wf_scenario_error(cfg[i].s) : "out of memory");
            rc = st == WF_ENOMEM ? EXIT_RUN : cli_scenario_exit(st, cfg[i].path);
            goto out;
        }
    }

    /* One run: every configuration with the same replicates and seed. */
    if (!(r = wf_results_create())) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    const wf_scenario **list = calloc(ncfg, sizeof *list);
    if (!list) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    for (size_t i = 0; i < ncfg; i++)
        list[i] = cfg[i].s;
    wf_run_options o = cli_run_options(&a.run);
    if (a.posterior && (rc = cli_read_posterior(a.posterior, &post)) != EXIT_OK) {
        free(list);
        goto out;
    }
    o.posterior = post;
    cli_progress prog;
    /* The total is known once the run starts; the callback reports it. */
    cli_progress_start(&prog, "replicates", ncfg, 0, a.run.quiet);
    cli_progress_chunk(&prog, 0, ncfg);
    o.progress = cli_progress_cb;
    o.user = &prog;
    wf_status st = wf_run(r, (const wf_scenario *const *)list, ncfg, &o);
    cli_progress_finish(&prog);
    if (st == WF_ECANCELLED) {
        free(list);
        cli_error("interrupted: nothing was saved (compare saves only a complete run)");
        rc = EXIT_INTERRUPTED;
        goto out;
    }
    if (st != WF_OK || cli_rank() > 0) {  /* rank 0 has the results and reports */
        free(list);
        if (st != WF_OK)
            rc = cli_run_failed(r, st);
        goto out;
    }
    if (a.out && (rc = cli_save_results(r, list, ncfg, a.out, lock, a.force, 0, argc, argv)) != EXIT_OK) {
        free(list);
        goto out;
    }
    free(list);

    if (a.json)
        print_json(stdout, r, cfg, ncfg, wf_scenario_name(base[0]), &a.show);
    else
        print_table(stdout, r, cfg, ncfg, &a.show);
    {
        const char **labels = calloc(ncfg, sizeof *labels);
        for (size_t i = 0; labels && i < ncfg; i++)
            labels[i] = cfg[i].label;
        if (labels)
            cli_warn_queue_growing(r, labels);
        free(labels);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write the results to standard output");
        rc = EXIT_IO;
    }

out:
    wf_lock_destroy(lock);
    wf_results_destroy(r);
    wf_calibration_destroy(post);
    if (cfg)
        for (size_t i = 0; i < ncfg; i++) {
            free(cfg[i].label);
            wf_scenario_destroy(cfg[i].s);
        }
    free(cfg);
    if (base)
        for (size_t fi = 0; fi < nfiles; fi++)
            wf_scenario_destroy(base[fi]);
    free(base);
    if (file_labels)
        for (size_t fi = 0; fi < nfiles; fi++)
            free(file_labels[fi]);
    free(file_labels);
    wf_design_destroy(design);
    cli_list_free(&a.show.metrics);
    cli_list_free(&a.partnership);
    cli_list_free(&a.vary);
    cli_run_args_free(&a.run);
    free(files);
    return rc;
}
