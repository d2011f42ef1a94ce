/*
 * winterflow: the command-line program. main() dispatches to one verb per
 * file (cmd_*.c); helpers shared by the verbs live in util.c and output.c.
 */
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
        "                 [--threads T] [--json]\n"
        "  winterflow validate FILE...\n"
        "  winterflow params [--markdown]\n"
        "  winterflow --version | --help\n"
        "  winterflow VERB --help\n"
        "\n"
        "Verbs:\n"
        "  run       run a scenario: means and 95%% intervals per organisation\n"
        "  validate  load and check scenario files\n"
        "  params    list every scenario key: type, default, bounds, unit, doc\n"
        "\n"
        "Examples:\n"
        "  winterflow run models/reference.yaml\n"
        "  winterflow run models/reference.yaml --set partnership.preset=integrated\n"
        "  winterflow run models/reference.yaml --replicates 5 --json > out.json\n"
        "  winterflow validate models/*.yaml\n"
        "  winterflow params | grep hospitals\n"
        "\n"
        "Exit status:\n"
        "  0  success\n"
        "  1  the simulation failed\n"
        "  2  usage error (bad option, missing argument, --set without '=')\n"
        "  3  invalid scenario (it did not load or validate)\n"
        "  4  I/O error (a file could not be read or written)\n"
        "\n"
        "Errors are written to stderr as \"winterflow: <message>\".\n"
        "Documentation: docs/cli.md, docs/parameters.md.\n",
        wf_version());
}

int main(int argc, char **argv)
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
        printf("winterflow %s\n%s\n", wf_version(), wf_build_info());
        return EXIT_OK;
    }
    if (!strcmp(verb, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(verb, "validate"))
        return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(verb, "params"))
        return cmd_params(argc - 1, argv + 1);
    if (verb[0] == '-')
        cli_error("unknown option '%s' (try 'winterflow --help')", verb);
    else
        cli_error("unknown verb '%s': expected run, validate or params "
                  "(try 'winterflow --help')", verb);
    return EXIT_USAGE;
}
