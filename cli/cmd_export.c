/*
 * winterflow export RESULTS.h5... --xlsx FILE.xlsx | --csv DIR [--metric NAME]... [--force]
 *
 * Reads a results file (or the parts of one sweep, as one) through the library and writes its tidy tables
 * (cli/export_tables.c) as a workbook (cli/export_xlsx.c) or as CSV files
 * (cli/export_csv.c), each file whole or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"

static void export_help(FILE *f)
{
    fputs("Usage: winterflow export RESULTS.h5... --xlsx FILE.xlsx [--csv DIR] [--metric NAME]...\n"
          "                         [--force]\n"
          "\n"
          "Write the numbers of a results file (several files: the parts of one sweep,\n"
          "sweep --part K/N, read as one) as tidy tables, one row per value, with\n"
          "units, for a spreadsheet (--xlsx: one sheet per table) or any other tool\n"
          "(--csv: one NAME.csv per table in folder DIR, made if missing):\n"
          "  provenance   file format, winterflow version, seed, replicates, dates, the\n"
          "               command that wrote the file and the one that reproduces it,\n"
          "               when it was created, and each scenario's resolved YAML\n"
          "  metrics      metric, unit, kind (total or mean), what it counts\n"
          "  summaries    scenario, organisation, kind, metric, unit, mean, lo, hi, n:\n"
          "               the mean over replicates and its 95% interval\n"
          "  differences  the same, paired, for each scenario minus the first (files of\n"
          "               several scenarios)\n"
          "  daily        scenario, replicate, date, organisation, metric, unit, value\n"
          "               (a sheet holds 1,048,576 rows: more go on in daily_2, ...)\n"
          "Rows are left out where a metric does not apply to an organisation.\n"
          "\n"
          "Options:\n"
          "  --xlsx FILE      write a workbook\n"
          "  --csv DIR        write CSV files into DIR (both may be given)\n"
          "  --metric NAME    only this metric (repeatable; default: all)\n"
          "  --force          replace files that exist\n"
          "\n"
          "Examples:\n"
          "  winterflow export results.h5 --xlsx results.xlsx\n"
          "  winterflow export results.h5 --csv results-csv --metric delayed_bed_days --metric cost\n"
          "\n"
          "Exit status: 0 written, 2 usage error, 4 the results file could not be read or\n"
          "an output not written.\n",
          f);
}

typedef struct {
    const char *xlsx, *csv;
    cli_list metrics;
    int force;
} export_args;

static int check_metric(const char *verb, const char *value)
{
    if (wf_metric_find(value) != WF_NOT_FOUND) return EXIT_OK;
    return cli_usage_error(verb, "--metric %s: no such metric (the names are in docs/results-file.md)", value);
}

static const cli_opt export_options[] = {
    {"--xlsx", NULL, CLI_STRING, offsetof(export_args, xlsx), NULL, 0, 0, NULL, "--xlsx needs a file name", NULL},
    {"--csv", NULL, CLI_STRING, offsetof(export_args, csv), NULL, 0, 0, NULL, "--csv needs a folder", NULL},
    {"--metric", NULL, CLI_LIST, offsetof(export_args, metrics), NULL, 0, 0, NULL, "--metric needs a name",
     check_metric},
    {"--force", NULL, CLI_FLAG, offsetof(export_args, force), NULL, 0, 0, NULL, NULL, NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

static int to_xlsx(const wf_results *r, const char *source, const export_args *a, const size_t *ms)
{
    cli_outfile out;
    int rc = cli_outfile_open(&out, a->xlsx, a->force);
    if (rc != EXIT_OK) return rc;
    fclose(out.f); /* libxlsxwriter writes the temporary file by its name */
    out.f = NULL;
    char err[600] = "";
    export_xlsx *x = export_xlsx_open(out.tmp, err, sizeof err);
    if (!x) {
        cli_error("%s: %s", a->xlsx, err);
        cli_outfile_abort(&out);
        return EXIT_IO;
    }
    export_sink k = export_xlsx_sink(x);
    int bad = export_tables(r, source, ms, a->metrics.n, &k);
    if (bad) snprintf(err, sizeof err, "%s", export_xlsx_error(x));
    if (export_xlsx_close(x, bad ? err + strlen(err) : err, bad ? sizeof err - strlen(err) : sizeof err)) bad = 1;
    if (bad) {
        cli_error("%s: %s", a->xlsx, err[0] ? err : "writing failed");
        cli_outfile_abort(&out);
        return EXIT_IO;
    }
    return cli_outfile_commit(&out);
}

static int to_csv(const wf_results *r, const char *source, const export_args *a, const size_t *ms)
{
    export_csv *c = export_csv_open(a->csv, a->force);
    if (!c) return EXIT_IO;
    export_sink k = export_csv_sink(c);
    int bad = export_tables(r, source, ms, a->metrics.n, &k);
    if (export_csv_close(c, !bad) || bad) {
        cli_error("%s: the CSV files were not all written", a->csv);
        return EXIT_IO;
    }
    return EXIT_OK;
}

int cmd_export(int argc, char **argv)
{
    export_args a;
    memset(&a, 0, sizeof a);
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0, *ms = NULL;
    wf_results *r = NULL;
    char *files = NULL;
    if (!pos || cli_list_init(&a.metrics, argc)) {
        free(pos);
        cli_error("out of memory");
        return EXIT_RUN;
    }
    int rc = cli_parse("export", export_options, &a, argc, argv, pos, &npos);
    if (rc == CLI_HELP) {
        export_help(stdout);
        rc = EXIT_OK;
        goto done;
    }
    if (rc != EXIT_OK) goto done;
    if (!npos) {
        rc = cli_usage_error("export", "export needs a results file");
        goto done;
    }
    if (!a.xlsx && !a.csv) {
        rc = cli_usage_error("export", "export needs --xlsx FILE.xlsx or --csv DIR");
        goto done;
    }
    if (!(ms = malloc((a.metrics.n + 1) * sizeof *ms)) || !(r = wf_results_create())) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto done;
    }
    for (size_t i = 0; i < a.metrics.n; i++) ms[i] = wf_metric_find(a.metrics.v[i]);
    if ((rc = cli_read_results("export", r, pos, npos, &files)) != EXIT_OK) goto done;
    if (a.xlsx) rc = to_xlsx(r, files, &a, ms);
    if (rc == EXIT_OK && a.csv) rc = to_csv(r, files, &a, ms);
done:
    wf_results_destroy(r);
    free(files);
    free(ms);
    cli_list_free(&a.metrics);
    free(pos);
    return rc;
}
