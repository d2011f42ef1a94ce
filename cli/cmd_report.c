/*
 * winterflow report RESULTS.h5... --out report.html [--metric NAME]... [--title TEXT] [--force]
 *
 * Reads a results file (or the parts of one sweep, as one) through the library and writes one self-contained
 * HTML page about it (cli/report_page.c, charts by cli/report_chart.c).
 * The page is written whole or not at all (cli/outfile.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

static void report_help(FILE *f)
{
    fputs("Usage: winterflow report RESULTS.h5... --out REPORT.html [--metric NAME]...\n"
          "                         [--title TEXT] [--force]\n"
          "\n"
          "Write one HTML page about a results file (of run --out, compare --out or sweep;\n"
          "several files: the parts of one sweep, sweep --part K/N, read as one),\n"
          "to open in any browser or attach to an email: nothing on it is fetched from\n"
          "anywhere. It shows the headline (delayed bed-days, NCTR and occupancy at 08:00,\n"
          "12-hour waits, cancelled electives, net cost) with 95% intervals; occupancy and\n"
          "NCTR over the winter per configuration with bands; the paired differences from\n"
          "the first configuration; delays by reason; the cost by organisation (who pays,\n"
          "who gains); for a sweep, its response to the swept keys (a curve for one key, a\n"
          "heat map for a grid of two); and the provenance (scenarios, seed, versions, the\n"
          "command that reproduces the file).\n"
          "\n"
          "Options:\n"
          "  --out FILE       the page to write (required)\n"
          "  --metric NAME    a sweep's response charts show this metric (repeatable;\n"
          "                   default: delayed_bed_days and cost)\n"
          "  --title TEXT     the page's title (default: from the configurations)\n"
          "  --force          replace FILE if it exists\n"
          "\n"
          "Examples:\n"
          "  winterflow compare models/reference.yaml --partnership fragmented,integrated \\\n"
          "      --out results.h5\n"
          "  winterflow report results.h5 --out report.html\n"
          "  winterflow report study-part-*.h5 --out study.html\n"
          "\n"
          "Exit status: 0 written, 1 a chart failed, 2 usage error, 4 the results file\n"
          "could not be read or the page not written.\n",
          f);
}

typedef struct {
    const char *out, *title;
    cli_list metrics;
    int force;
} report_args;

static int check_metric(const char *verb, const char *value)
{
    if (wf_metric_find(value) != WF_NOT_FOUND) return EXIT_OK;
    return cli_usage_error(verb, "--metric %s: no such metric (winterflow params lists none; see "
                                 "docs/results-file.md for the names)", value);
}

static const cli_opt report_options_table[] = {
    {"--out", "-o", CLI_STRING, offsetof(report_args, out), NULL, 0, 0, NULL, "--out needs a file name", NULL},
    {"--title", NULL, CLI_STRING, offsetof(report_args, title), NULL, 0, 0, NULL, "--title needs text", NULL},
    {"--metric", NULL, CLI_LIST, offsetof(report_args, metrics), NULL, 0, 0, NULL, "--metric needs a name",
     check_metric},
    {"--force", NULL, CLI_FLAG, offsetof(report_args, force), NULL, 0, 0, NULL, NULL, NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

int cmd_report(int argc, char **argv)
{
    report_args a;
    memset(&a, 0, sizeof a);
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0;
    if (!pos || cli_list_init(&a.metrics, argc)) {
        free(pos);
        cli_error("out of memory");
        return EXIT_RUN;
    }
    int rc = cli_parse("report", report_options_table, &a, argc, argv, pos, &npos);
    if (rc == CLI_HELP) {
        report_help(stdout);
        rc = EXIT_OK;
        goto done;
    }
    if (rc != EXIT_OK) goto done;
    if (!a.out) {
        rc = cli_usage_error("report", "report needs --out FILE.html");
        goto done;
    }
    size_t defaults[2] = {wf_metric_find("delayed_bed_days"), wf_metric_find("cost")};
    size_t *metrics = a.metrics.n ? malloc(a.metrics.n * sizeof *metrics) : NULL;
    if (a.metrics.n && !metrics) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto done;
    }
    for (size_t i = 0; i < a.metrics.n; i++) metrics[i] = wf_metric_find(a.metrics.v[i]);

    wf_results *r = wf_results_create();
    if (!r) {
        free(metrics);
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto done;
    }
    char *files = NULL;
    rc = cli_read_results("report", r, pos, npos, &files);
    if (rc == EXIT_OK) {
        report_options o = {files, a.title, metrics ? metrics : defaults, metrics ? a.metrics.n : 2};
        cli_outfile out;
        char err[512] = "";
        rc = cli_outfile_open(&out, a.out, a.force);
        if (rc == EXIT_OK && report_write(out.f, r, &o, err, sizeof err)) {
            cli_error("%s: %s", a.out, err);
            cli_outfile_abort(&out);
            rc = EXIT_RUN;
        } else if (rc == EXIT_OK) {
            rc = cli_outfile_commit(&out);
        }
    }
    free(files);
    wf_results_destroy(r);
    free(metrics);
done:
    cli_list_free(&a.metrics);
    free(pos);
    return rc;
}
