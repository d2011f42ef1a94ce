/*
 * winterflow validate FILE...
 *
 * Loads and validates each file: "FILE: ok" on stdout, or the library's
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
        "presets applied). Prints 'FILE: ok' for each valid file and the first\n"
        "problem of each invalid one, naming the file, line and key.\n"
        "\n"
        "Examples:\n"
        "  winterflow validate models/reference.yaml\n"
        "  winterflow validate models/*.yaml\n"
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
        wf_scenario *s = wf_scenario_create();
        if (!s) {
            cli_error("out of memory");
            return EXIT_RUN;
        }
        wf_status st = wf_scenario_load_file(s, path);
        if (st == WF_OK)
            st = wf_scenario_validate(s);
        if (st == WF_OK) {
            printf("%s: ok\n", path);
        } else {
            const char *msg = wf_scenario_error(s);
            if (!msg || !*msg)
                msg = wf_status_str(st);
            if (strstr(msg, path))
                cli_error("%s", msg);
            else
                cli_error("%s: %s", path, msg);
            if (cli_scenario_exit(st, path) == EXIT_IO)
                unreadable++;
            else
                invalid++;
        }
        wf_scenario_destroy(s);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return EXIT_IO;
    }
    return invalid ? EXIT_SCENARIO : unreadable ? EXIT_IO : EXIT_OK;
}
