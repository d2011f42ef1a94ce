/*
 * winterflow validate FILE...
 *
 * Loads and validates each file (a scenario file, or FILE.h5#I: scenario I
 * of a results file) as run would: "FILE: ok" on stdout, or the library's
 * message on stderr. Exit 0 if all are valid; 3 if any is invalid (a missing
 * `extends:` base included); else 4 if a named file could not be read.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void validate_help(FILE *f)
{
    fputs(
        "Usage: winterflow validate FILE...\n"
        "\n"
        "Load and validate each scenario file (bases named by 'extends:' included,\n"
        "presets applied), or scenario I of a results file as FILE.h5#I, making every\n"
        "check that a run makes. Prints 'FILE: ok' for each valid file and the first\n"
        "problem of each invalid one, naming the file, line and key.\n"
        "\n"
        "Examples:\n"
        "  winterflow validate models/reference.yaml\n"
        "  winterflow validate models/*.yaml\n"
        "  winterflow validate 'results.h5#0'\n"
        "\n"
        "Exit status: 0 all valid, 2 usage error, 3 a file is invalid,\n"
        "4 a file could not be read (and none is invalid).\n",
        f);
}

int cmd_validate(int argc, char **argv)
{
    int nfiles = 0, invalid = 0, unreadable = 0, options_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && !strcmp(a, "--")) {
            options_done = 1;
        } else if (!options_done && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            validate_help(stdout);
            return EXIT_OK;
        } else if (!options_done && a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("validate", "unknown option '%s'", a);
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0)
        return cli_usage_error("validate", "validate needs at least one file");

    options_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *path = argv[i];
        if (!options_done && !strcmp(path, "--")) {
            options_done = 1;
            continue;
        }
        /* as run, compare and sweep load it (FILE.h5#I included) */
        wf_scenario *s = NULL;
        cli_run_args none;
        memset(&none, 0, sizeof none);
        int rc = cli_load_scenario(path, &none, &s);
        if (rc == EXIT_RUN)
            return rc;  /* out of memory */
        wf_status st = rc == EXIT_OK ? wf_scenario_validate(s) : WF_OK;
        if (rc == EXIT_OK && st == WF_OK) {
            printf("%s: ok\n", path);
        } else if (rc == EXIT_OK) {
            cli_scenario_error(path, NULL, wf_scenario_error(s));
            rc = cli_scenario_exit(st, path);
        }
        if (rc == EXIT_IO)
            unreadable++;
        else if (rc != EXIT_OK)
            invalid++;
        wf_scenario_destroy(s);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return EXIT_IO;
    }
    return invalid ? EXIT_SCENARIO : unreadable ? EXIT_IO : EXIT_OK;
}
