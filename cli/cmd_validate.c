/*
 * winterflow validate FILE...
 *
 * Loads and validates each file (a scenario file, or FILE.h5#I: scenario I
 * of a results file) as run would: "FILE: ok" on stdout, or the library's
 * message on stderr. Exit 0 if all are valid; 3 if any is invalid (a missing
 * `extends:` base included); else 4 if a named file could not be read.
 */
#include <stdio.h>
#include <stdlib.h>
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

static const cli_opt validate_options[] = {
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

int cmd_validate(int argc, char **argv)
{
    int invalid = 0, unreadable = 0;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    if (!files) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    int rc = cli_parse("validate", validate_options, NULL, argc, argv, files, &nfiles);
    if (rc == CLI_HELP)
        validate_help(stdout);
    else if (rc == EXIT_OK && nfiles == 0)
        rc = cli_usage_error("validate", "validate needs at least one file");
    if (rc != EXIT_OK || nfiles == 0) {
        free(files);
        return rc == CLI_HELP ? EXIT_OK : rc;
    }

    for (size_t i = 0; i < nfiles; i++) {
        const char *path = files[i];
        /* as run, compare and sweep load it (FILE.h5#I included) */
        wf_scenario *s = NULL;
        cli_run_args none;
        memset(&none, 0, sizeof none);
        int frc = cli_load_scenario(path, &none, &s);
        if (frc == EXIT_RUN) {
            free(files);
            return frc;  /* out of memory */
        }
        wf_status st = frc == EXIT_OK ? wf_scenario_validate(s) : WF_OK;
        if (frc == EXIT_OK && st == WF_OK) {
            printf("%s: ok\n", path);
        } else if (frc == EXIT_OK) {
            cli_scenario_error(path, NULL, wf_scenario_error(s));
            frc = cli_scenario_exit(st, path);
        }
        if (frc == EXIT_IO)
            unreadable++;
        else if (frc != EXIT_OK)
            invalid++;
        wf_scenario_destroy(s);
    }
    free(files);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return EXIT_IO;
    }
    return invalid ? EXIT_SCENARIO : unreadable ? EXIT_IO : EXIT_OK;
}
