/*
 * winterflow: the command-line program. main() dispatches to one verb per
 * file (cmd_*.c); helpers shared by the verbs live in util.c and output.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void print_help(FILE *f)
{
    fprintf(f,
        "winterflow %s: simulate winter discharge pressure in health and social care\n"
        "\n"
        "Usage:\n"
        "  winterflow run SCENARIO [--set KEY=VALUE]... [--replicates N] [--seed S]\n"
        "                 [--threads T] [--full | --metric NAME...] [--json]\n"
        "  winterflow compare SCENARIO... [--partnership P1,P2] [--vary KEY=a,b]...\n"
        "                 [--set KEY=VALUE]... [--replicates N] [--seed S]\n"
        "                 [--threads T] [--full | --metric NAME...] [--json]\n"
        "                 [--out FILE.h5 [--force]]\n"
        "  winterflow sweep SCENARIO --vary KEY=a,b,c | --vary KEY=lo:hi:step ...\n"
        "                 [--samples N] [--design-file FILE.csv] --out FILE.h5\n"
        "                 [--replicates N] [--seed S] [--threads T] [--force|--resume]\n"
        "  winterflow report RESULTS.h5 --out REPORT.html [--metric NAME]... [--force]\n"
        "  winterflow export RESULTS.h5 --xlsx FILE.xlsx | --csv DIR [--force]\n"
        "  winterflow init NAME --hospitals A[=BEDS],... --councils X[=RESIDENTS],...\n"
        "                 [--community C] [--voluntary V] [--from ORGS.csv]\n"
        "  winterflow calibrate SCENARIO --observed FILE.csv --vary KEY=LO:HI...\n"
        "                 [--budget N] [--out cal.h5] [--json]\n"
        "  winterflow validate [--strict] FILE...\n"
        "  winterflow params [--markdown]\n"
        "  winterflow --version | --help\n"
        "  winterflow VERB --help\n"
        "\n"
        "Verbs:\n"
        "  init      write a new scenario for your organisations, from the reference\n"
        "  run       run a scenario: the headline, then (--full) every metric's mean\n"
        "            and 95%% interval per organisation\n"
        "  compare   configurations of one system with common random numbers:\n"
        "            each one's means and the paired differences\n"
        "  sweep     many scenarios (grids, Latin hypercubes, CSV designs) into one\n"
        "            HDF5 file; resumable\n"
        "  report    one HTML page of a results file: headline, charts, provenance\n"
        "  export    a results file as a spreadsheet (xlsx) or CSV files, tidy\n"
        "  calibrate fit a scenario to observed series (ABC-SMC): posterior of the\n"
        "            varied keys; compare and sweep take it as --posterior\n"
        "  validate  check scenario files: every problem at once, and warnings\n"
        "  params    list every scenario key: type, default, bounds, unit, doc\n"
        "\n"
        "Examples:\n"
        "  winterflow init mine --hospitals general,royal --councils town,shire\n"
        "  winterflow run models/reference.yaml\n"
        "  winterflow run models/reference.yaml --set partnership.preset=integrated\n"
        "  winterflow run models/reference.yaml --replicates 5 --json > out.json\n"
        "  winterflow compare models/reference.yaml --partnership fragmented,integrated\n"
        "  winterflow sweep models/reference.yaml \\\n"
        "      --vary partnership.pooled_capacity=0,0.25,0.5 --out sweep.h5\n"
        "  winterflow report results.h5 --out report.html\n"
        "  winterflow export results.h5 --xlsx results.xlsx\n"
        "  winterflow validate models/*.yaml\n"
        "  winterflow params | grep hospitals\n"
        "\n"
        "Exit status:\n"
        "  0  success\n"
        "  1  the simulation failed\n"
        "  2  usage error (bad option, missing argument, --set without '=')\n"
        "  3  invalid scenario (it did not load or validate)\n"
        "  4  I/O error (a file could not be read or written, or --out exists)\n"
        "  130 interrupted (Ctrl-C or SIGTERM); a sweep keeps what is complete\n"
        "\n"
        "Errors are written to stderr as \"winterflow: <message>\".\n"
        "Documentation: docs/cli.md, docs/parameters.md.\n",
        wf_version());
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *verb = argv[1];
    if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
        print_help(stdout);
        return EXIT_OK;
    }
    if (!strcmp(verb, "--version") || !strcmp(verb, "-V") || !strcmp(verb, "version")) {
        printf("winterflow %s\n%s%s\n", wf_version(), wf_build_info(),
               wf_mpi_available() ? ", with MPI" : "");
        return EXIT_OK;
    }
    if (!strcmp(verb, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(verb, "compare"))
        return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(verb, "sweep"))
        return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(verb, "calibrate"))
        return cmd_calibrate(argc - 1, argv + 1);
    if (!strcmp(verb, "validate"))
        return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(verb, "params"))
        return cmd_params(argc - 1, argv + 1);
    if (!strcmp(verb, "report"))
        return cmd_report(argc - 1, argv + 1);
    if (!strcmp(verb, "export"))
        return cmd_export(argc - 1, argv + 1);
    if (!strcmp(verb, "init"))
        return cmd_init(argc - 1, argv + 1);
    if (verb[0] == '-')
        cli_error("unknown option '%s' (try 'winterflow --help')", verb);
    else
        cli_error("unknown verb '%s': expected init, run, compare, sweep, calibrate, report, export, validate or params "
                  "(try 'winterflow --help')", verb);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    /* A file-size limit (ulimit -f) must be a write error (EFBIG) that the
     * writer reports and cleans up after, not a signal that kills. */
    signal(SIGXFSZ, SIG_IGN);
    /* Under an MPI launcher every rank runs the same verb (ranks.c). */
    int rc = cli_ranks_start();
    if (rc == EXIT_OK)
        rc = dispatch(argc, argv);
    return cli_ranks_end(rc);
}
