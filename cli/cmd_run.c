/*
 * winterflow run SCENARIO [--set KEY=VALUE]... [--replicates N] [--seed S]
 *                [--threads T] [--json] [--out FILE.h5 [--force]]
 *
 * Loads the scenario, applies the overrides in order, validates, runs the
 * replicates and prints, for the whole system and then each organisation,
 * every metric that applies: its mean over replicates and 95% interval.
 * With --out, also writes the results file (docs/results-file.md).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The integer bounds of a scenario key from the parameter table (the CLI
 * keeps no bounds of its own), clamped to [lo, hi]. */
static void param_bounds(const char *key, int64_t lo, int64_t hi, int64_t *min, int64_t *max)
{
    const wf_param_info *p = wf_param_find(key);
    *min = lo;
    *max = hi;
    if (p && !isnan(p->min) && p->min > (double)lo)
        *min = (int64_t)ceil(p->min);
    if (p && !isnan(p->max) && p->max < (double)hi)
        *max = (int64_t)floor(p->max);
}

static void run_help(FILE *f)
{
    int64_t rmin, rmax, smin, smax;
    param_bounds("run.replicates", 1, INT32_MAX, &rmin, &rmax);
    param_bounds("run.seed", 0, INT64_MAX, &smin, &smax);
    fputs(
        "Usage: winterflow run SCENARIO [--set KEY=VALUE]... [--replicates N]\n"
        "                      [--seed S] [--threads T] [--json]\n"
        "                      [--out FILE.h5 [--force]]\n"
        "\n"
        "Run a scenario file and print, for the whole system and then each\n"
        "organisation, every metric's mean over replicates and its 95% interval.\n"
        "\n"
        "Options:\n"
        "  --set KEY=VALUE   override a scenario key (VALUE is YAML text); repeat to\n"
        "                    set several, applied in order after the file is loaded.\n"
        "                    Keys are listed by 'winterflow params'.\n",
        f);
    fprintf(f,
        "  --replicates N    number of replicates, %" PRId64 " <= N <= %" PRId64 "\n"
        "                    (default: run.replicates)\n"
        "  --seed S          random seed, %" PRId64 " <= S <= %" PRId64 "\n"
        "                    (default: run.seed)\n",
        rmin, rmax, smin, smax);
    fputs(
        "  --threads T       OpenMP threads, 1 <= T <= 65536 (default: all cores);\n"
        "                    results are bit-identical for any T\n"
        "  --json            print one JSON object instead of the table\n"
        "  --out FILE.h5     also write the results file (HDF5, opens in xarray;\n"
        "                    see docs/results-file.md). It is written to a\n"
        "                    temporary file and renamed into place when complete\n"
        "  --force           replace FILE.h5 if it exists (only once the new file\n"
        "                    is complete); without it an existing file is an error\n"
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
        "4 I/O error (e.g. the file cannot be read).\n",
        f);
}

/* Progress on a terminal: one line, rewritten after each replicate. */
static int progress(void *user, size_t done, size_t total)
{
    (void)user;
    fprintf(stderr, "\rwinterflow: replicate %zu/%zu", done, total);
    fflush(stderr);
    return 0;
}

/* Print `msg`, prefixed with the path unless the library already named it. */
static void scenario_error(const char *path, const char *what, const char *msg)
{
    if (!msg || !*msg)
        msg = "unknown error";
    if (what)
        cli_error("%s: %s", what, msg);
    else if (path && strstr(msg, path))
        cli_error("%s", msg);
    else
        cli_error("%s: %s", path, msg);
}

/* The statistic of metric m for org, or 0 if the metric does not apply. */
static int get_stat(const wf_results *r, size_t m, size_t org, wf_stat *st)
{
    if (wf_results_stat(r, 0, m, org, st) != WF_OK)
        return 0;
    return st->n > 0 && !isnan(st->mean);
}

/* Organisations in print order: "system" first, then file order. */
static size_t org_at(const wf_results *r, size_t k)
{
    size_t n = wf_results_n_orgs(r);
    size_t sys = wf_results_org_find(r, "system");
    if (sys == (size_t)-1 || sys >= n)
        return k;
    if (k == 0)
        return sys;
    return k - 1 < sys ? k - 1 : k;
}

static void print_json(FILE *f, const wf_results *r)
{
    const char *start = wf_results_date(r, 0);
    fputs("{\n  \"scenario\": ", f);
    json_string(f, wf_results_scenario_name(r, 0));
    fprintf(f, ",\n  \"replicates\": %zu", wf_results_n_replicates(r));
    fprintf(f, ",\n  \"seed\": %" PRId64, wf_results_seed(r));
    fprintf(f, ",\n  \"threads\": %d", wf_results_threads(r));
    fprintf(f, ",\n  \"days\": %zu", wf_results_n_days(r));
    fputs(",\n  \"start_date\": ", f);
    if (start)
        json_string(f, start);
    else
        fputs("null", f);
    fputs(",\n  \"organisations\": {", f);
    size_t norgs = wf_results_n_orgs(r), nm = wf_metric_count();
    for (size_t k = 0; k < norgs; k++) {
        size_t org = org_at(r, k);
        fputs(k ? ",\n    " : "\n    ", f);
        json_string(f, wf_results_org_name(r, org));
        fputs(": {\n      \"kind\": ", f);
        json_string(f, wf_results_org_kind(r, org));
        fputs(",\n      \"metrics\": {", f);
        int first = 1;
        for (size_t m = 0; m < nm; m++) {
            wf_stat st;
            if (!get_stat(r, m, org, &st))
                continue;
            fputs(first ? "\n        " : ",\n        ", f);
            first = 0;
            json_string(f, wf_metric_name(m));
            fputs(": {\"mean\": ", f);
            json_number(f, st.mean);
            fputs(", \"sd\": ", f);
            json_number(f, st.sd);
            fputs(", \"lo\": ", f);
            json_number(f, st.lo);
            fputs(", \"hi\": ", f);
            json_number(f, st.hi);
            fprintf(f, ", \"n\": %zu, \"unit\": ", st.n);
            json_string(f, wf_metric_unit(m));
            fputc('}', f);
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
        size_t org = org_at(r, k);
        int header = 0;
        for (size_t m = 0; m < nm; m++) {
            wf_stat st;
            if (!get_stat(r, m, org, &st))
                continue;
            if (!header) {
                fprintf(f, "\n%s (%s)\n", wf_results_org_name(r, org),
                        wf_results_org_kind(r, org));
                fprintf(f, "  %-26s %12s  %-25s %s\n", "metric", "mean", "95% interval", "unit");
                header = 1;
            }
            char mean[48], lo[48], hi[48], ci[112];
            fmt_human(mean, sizeof mean, st.mean);
            fmt_human(lo, sizeof lo, st.lo);
            fmt_human(hi, sizeof hi, st.hi);
            snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
            fprintf(f, "  %-26s %12s  %-25s %s\n", wf_metric_name(m), mean, ci,
                    wf_metric_unit(m));
        }
    }
}

int cmd_run(int argc, char **argv)
{
    const char *path = NULL;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t nsets = 0;
    int64_t replicates = 0, seed = -1, threads = 0;
    int json = 0, options_done = 0, force = 0;
    const char *out_path = NULL;
    int rc = EXIT_OK;
    if (!sets) {
        cli_error("out of memory");
        return EXIT_RUN;
    }

    for (int i = 1; i < argc;) {
        const char *a = argv[i], *v = NULL;
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (path) {
                rc = cli_usage_error("run", "run takes one scenario file; got '%s' and '%s'",
                                     path, a);
                goto out;
            }
            path = a;
            i++;
        } else if (!strcmp(a, "--")) {
            options_done = 1;
            i++;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            run_help(stdout);
            goto out;
        } else if (!strcmp(a, "--json")) {
            json = 1;
            i++;
        } else if (!strcmp(a, "--force")) {
            force = 1;
            i++;
        } else if (cli_option(argc, argv, &i, "--out", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("run", "--out needs a file name, e.g. --out results.h5");
                goto out;
            }
            out_path = v;
        } else if (cli_option(argc, argv, &i, "--set", &v)) {
            const char *eq = v ? strchr(v, '=') : NULL;
            if (!v) {
                rc = cli_usage_error("run", "--set needs KEY=VALUE");
                goto out;
            }
            if (!eq || eq == v) {
                rc = cli_usage_error("run", "--set '%s': expected KEY=VALUE, e.g. "
                                     "--set hospitals.city.beds=900", v);
                goto out;
            }
            sets[nsets++] = v;
        } else if (cli_option(argc, argv, &i, "--replicates", &v)) {
            int64_t lo, hi;
            param_bounds("run.replicates", 1, INT32_MAX, &lo, &hi);
            if (!v || cli_parse_int64(v, lo, hi, &replicates)) {
                rc = cli_usage_error("run", "--replicates %s%s%s: expected an integer "
                                     "%" PRId64 " <= N <= %" PRId64,
                                     v ? "'" : "needs a value", v ? v : "", v ? "'" : "",
                                     lo, hi);
                goto out;
            }
        } else if (cli_option(argc, argv, &i, "--seed", &v)) {
            int64_t lo, hi;
            param_bounds("run.seed", 0, INT64_MAX, &lo, &hi);
            if (!v || cli_parse_int64(v, lo, hi, &seed)) {
                rc = cli_usage_error("run", "--seed %s%s%s: expected an integer "
                                     "%" PRId64 " <= S <= %" PRId64,
                                     v ? "'" : "needs a value", v ? v : "", v ? "'" : "",
                                     lo, hi);
                goto out;
            }
        } else if (cli_option(argc, argv, &i, "--threads", &v)) {
            if (!v || cli_parse_int64(v, 1, 65536, &threads)) {
                rc = cli_usage_error("run", "--threads %s%s%s: expected an integer "
                                     "1 <= T <= 65536", v ? "'" : "needs a value",
                                     v ? v : "", v ? "'" : "");
                goto out;
            }
        } else {
            rc = cli_usage_error("run", "unknown option '%s'", a);
            goto out;
        }
    }
    if (!path) {
        rc = cli_usage_error("run", "run needs a scenario file");
        goto out;
    }
    if (force && !out_path) {
        rc = cli_usage_error("run", "--force only applies with --out FILE.h5");
        goto out;
    }
    /* Refuse an existing results file before a long run, not after it (the
     * library checks again when it writes). */
    if (out_path && !force && access(out_path, F_OK) == 0) {
        cli_error("%s: exists (use --force to replace it)", out_path);
        rc = EXIT_IO;
        goto out;
    }

    wf_scenario *s = wf_scenario_create();
    wf_results *r = NULL;
    if (!s) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    wf_status st = wf_scenario_load_file(s, path);
    if (st != WF_OK) {
        scenario_error(path, NULL, wf_scenario_error(s));
        rc = cli_scenario_exit(st, path);
        goto done;
    }
    for (size_t k = 0; k < nsets; k++) {
        const char *eq = strchr(sets[k], '=');
        size_t klen = (size_t)(eq - sets[k]);
        char *key = malloc(klen + 1);
        if (!key) {
            cli_error("out of memory");
            rc = EXIT_RUN;
            goto done;
        }
        memcpy(key, sets[k], klen);
        key[klen] = '\0';
        st = wf_scenario_set(s, key, eq + 1);
        free(key);
        if (st != WF_OK) {
            char what[256];
            snprintf(what, sizeof what, "--set %.200s", sets[k]);
            scenario_error(path, what, wf_scenario_error(s));
            rc = cli_scenario_exit(st, path);
            goto done;
        }
    }
    st = wf_scenario_validate(s);
    if (st != WF_OK) {
        scenario_error(path, NULL, wf_scenario_error(s));
        rc = cli_scenario_exit(st, path);
        goto done;
    }

    r = wf_results_create();
    if (!r) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto done;
    }
    wf_run_options o = wf_run_defaults();
    o.replicates = (int)replicates;
    o.seed = seed;
    o.threads = (int)threads;
    int show_progress = !json && isatty(STDERR_FILENO);
    if (show_progress)
        o.progress = progress;
    const wf_scenario *const list[1] = {s};
    st = wf_run(r, list, 1, &o);
    if (show_progress) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    if (st != WF_OK) {
        const char *msg = wf_results_error(r);
        cli_error("run failed: %s", msg && *msg ? msg : wf_status_str(st));
        rc = (st == WF_EPARSE || st == WF_EKEY || st == WF_ETYPE || st == WF_ERANGE)
                 ? EXIT_SCENARIO : EXIT_RUN;
        goto done;
    }

    if (json)
        print_json(stdout, r);
    else
        print_table(stdout, r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write the results to standard output");
        rc = EXIT_IO;
    }
    if (out_path) {
        int wrc = cli_save_results(r, (const wf_scenario **)list, 1, out_path, force, 0, argc, argv);
        if (wrc != EXIT_OK) rc = wrc;
    }

done:
    wf_results_destroy(r);
    wf_scenario_destroy(s);
out:
    free(sets);
    return rc;
}
