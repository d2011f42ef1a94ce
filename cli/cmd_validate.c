/*
 * winterflow validate [--strict] FILE...
 *
 * Loads and validates each file (a scenario file, or FILE.h5#I: scenario I
 * of a results file) as run would, but reports every problem at once (the
 * library's keep-going mode, wf_scenario_keep_going) and the warnings the
 * library adds for a valid scenario: "FILE: ok" on stdout, problems and
 * warnings on stderr. Exit 0 if all are valid (warnings allowed unless
 * --strict); 3 if any is invalid (a missing `extends:` base included, or
 * a warning with --strict); else 4 if a named file could not be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void validate_help(FILE *f)
{
    fputs(
        "Usage: winterflow validate [--strict] FILE...\n"
        "\n"
        "Load and validate each scenario file (bases named by 'extends:' included,\n"
        "presets applied), or scenario I of a results file as FILE.h5#I, making every\n"
        "check that a run makes. Prints 'FILE: ok' for each valid file; every problem\n"
        "of an invalid one, each naming the file, line and key; and warnings about\n"
        "what is legal but probably not meant: a hospital no locality sends anyone\n"
        "to, an admission rate implausible for the population, a key left at a table\n"
        "default that differs from the calibrated reference (models/reference.yaml).\n"
        "\n"
        "Options:\n"
        "  --strict     a warning makes the file invalid (exit 3)\n"
        "  -h, --help   show this help\n"
        "\n"
        "Examples:\n"
        "  winterflow validate models/reference.yaml\n"
        "  winterflow validate models/*.yaml\n"
        "  winterflow validate --strict mine.yaml\n"
        "  winterflow validate 'results.h5#0'\n"
        "\n"
        "Exit status: 0 all valid, 2 usage error, 3 a file is invalid (or has a\n"
        "warning, with --strict), 4 a file could not be read (and none is invalid).\n",
        f);
}

typedef struct {
    int strict;
} validate_opts;

static const cli_opt validate_options[] = {
    {"--strict", NULL, CLI_FLAG, offsetof(validate_opts, strict), NULL, 0, 0, NULL, NULL, NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

/* Print the last call's problems; count errors and warnings. */
static void report(const wf_scenario *s, const char *path, size_t *errors, size_t *warnings)
{
    for (size_t i = 0; i < wf_scenario_n_problems(s); i++) {
        int warning = 0;
        const char *msg = wf_scenario_problem(s, i, &warning);
        if (warning) {
            fprintf(stderr, "winterflow: warning: %s\n", msg);
            ++*warnings;
        } else {
            cli_scenario_error(path, NULL, msg);
            ++*errors;
        }
    }
}

/* One file: EXIT_OK, EXIT_SCENARIO, EXIT_IO or EXIT_RUN (out of memory). */
static int validate_file(const char *path, int strict)
{
    wf_scenario *s = NULL;
    size_t errors = 0, warnings = 0;
    int rc = EXIT_OK;
    wf_status st = WF_OK;
    const char *hash = strrchr(path, '#');
    if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1)) {
        /* FILE.h5#I: as run, compare and sweep load it */
        cli_run_args none;
        memset(&none, 0, sizeof none);
        if ((rc = cli_load_scenario(path, &none, &s)) != EXIT_OK)
            return rc;
        wf_scenario_keep_going(s, 1);
    } else {
        if (!(s = wf_scenario_create())) {
            cli_error("out of memory");
            return EXIT_RUN;
        }
        wf_scenario_keep_going(s, 1);
        st = wf_scenario_load_file(s, path);
        report(s, path, &errors, &warnings);
        if (st != WF_OK)
            rc = cli_scenario_exit(st, path);
    }
    /* Validate what loaded, unless nothing did (a file that does not parse
     * or cannot be read): that would only add "no hospital". */
    size_t orgs = 0;
    for (int k = 0; k < WF_ORG_SYSTEM; k++)
        orgs += wf_scenario_org_count(s, (wf_org_kind)k);
    if (rc == EXIT_OK || (rc == EXIT_SCENARIO && orgs > 0)) {
        wf_status vst = wf_scenario_validate(s);
        report(s, path, &errors, &warnings);
        if (vst == WF_ENOMEM) {
            wf_scenario_destroy(s);
            return EXIT_RUN;
        }
        if (vst != WF_OK && rc == EXIT_OK)
            rc = cli_scenario_exit(vst, path);
    }
    wf_scenario_destroy(s);
    if (rc == EXIT_OK && strict && warnings)
        rc = EXIT_SCENARIO;
    if (rc == EXIT_OK)
        printf("%s: ok\n", path);
    if (errors + warnings > 1 || (warnings && rc == EXIT_OK))
        fprintf(stderr, "winterflow: %s: %zu problem%s, %zu warning%s%s\n", path, errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
                warnings && !strict ? " (warnings leave it valid; --strict makes them problems)"
                : "");
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    int invalid = 0, unreadable = 0;
    validate_opts a = {0};
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    if (!files) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    int rc = cli_parse("validate", validate_options, &a, argc, argv, files, &nfiles);
    if (rc == CLI_HELP)
        validate_help(stdout);
    else if (rc == EXIT_OK && nfiles == 0)
        rc = cli_usage_error("validate", "validate needs at least one file");
    if (rc != EXIT_OK || nfiles == 0) {
        free(files);
        return rc == CLI_HELP ? EXIT_OK : rc;
    }

    for (size_t i = 0; i < nfiles; i++) {
        int frc = validate_file(files[i], a.strict);
        if (frc == EXIT_RUN) {
            free(files);
            return frc;  /* out of memory */
        }
        if (frc == EXIT_IO)
            unreadable++;
        else if (frc != EXIT_OK)
            invalid++;
    }
    free(files);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return EXIT_IO;
    }
    return invalid ? EXIT_SCENARIO : unreadable ? EXIT_IO : EXIT_OK;
}
