/*
 * winterflow init NAME --hospitals A[=BEDS],... --councils X[=RESIDENTS],...
 *                 [--community C[=BEDS],...] [--voluntary V[=PLACES],...]
 *                 [--from ORGS.csv] [--out FILE | --out -] [--force]
 *
 * Writes a new scenario for the organisations named, starting from the
 * calibrated reference: the library's wf_template (winterflow.h) writes
 * and validates the text; this verb only gathers the organisations and
 * writes the file (whole or not at all: a temporary file renamed).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void init_help(FILE *f)
{
    fputs(
        "Usage: winterflow init NAME --hospitals A[=BEDS],... --councils X[=RESIDENTS],...\n"
        "                       [--community C[=BEDS],...] [--voluntary V[=PLACES],...]\n"
        "                       [--from ORGS.csv] [--out FILE] [--force]\n"
        "\n"
        "Write a new scenario, NAME.yaml, for your own system: every block but the\n"
        "organisations is the calibrated reference's (models/reference.yaml, with its\n"
        "notes on sources); every key of every organisation is written out with its\n"
        "description, capacities and demand scaled from the reference to each\n"
        "organisation's size (residents for a council, beds for a hospital). It\n"
        "validates as written; replace the organisations' figures with yours.\n"
        "\n"
        "Options:\n"
        "  --hospitals LIST   acute trusts: names, each with its G&A beds if known\n"
        "                     (general=900,royal=650); without, sized for the\n"
        "                     admissions the councils send\n"
        "  --councils LIST    councils (localities): names, each with its residents if\n"
        "                     known (town=350000); without, the reference's mean\n"
        "  --community LIST   community providers (intermediate care beds if known);\n"
        "                     default one named 'community'\n"
        "  --voluntary LIST   voluntary 'home from hospital' services (places if known)\n"
        "  --from ORGS.csv    organisations from a CSV file: columns kind, name and\n"
        "                     optionally beds, population, intermediate_care_beds,\n"
        "                     places; kind is hospital, council, community or voluntary\n"
        "  --out FILE         write FILE instead of NAME.yaml ('-': standard output)\n"
        "  --force            replace FILE if it exists\n"
        "  -h, --help         show this help\n"
        "\n"
        "Examples:\n"
        "  winterflow init mine --hospitals general,royal --councils town,county,coast\n"
        "  winterflow init mine --hospitals general=900 --councils town=350000,shire=250000 \\\n"
        "                  --community care_trust --voluntary home_help\n"
        "  winterflow init mine --from orgs.csv --out models/mine.yaml\n"
        "\n"
        "Exit status: 0 written, 2 usage error (a bad name or size), 3 the\n"
        "organisations do not make a system, 4 the file exists or cannot be written.\n",
        f);
}

typedef struct {
    cli_list hospitals, councils, community, voluntary;
    const char *from, *out;
    int force;
} init_opts;

static const cli_opt init_options[] = {
    {"--hospitals", NULL, CLI_LIST, offsetof(init_opts, hospitals), NULL, 0, 0, NULL,
     "--hospitals needs names, e.g. --hospitals general,royal", NULL},
    {"--councils", NULL, CLI_LIST, offsetof(init_opts, councils), NULL, 0, 0, NULL,
     "--councils needs names, e.g. --councils town,county", NULL},
    {"--community", NULL, CLI_LIST, offsetof(init_opts, community), NULL, 0, 0, NULL,
     "--community needs a name, e.g. --community care_trust", NULL},
    {"--voluntary", NULL, CLI_LIST, offsetof(init_opts, voluntary), NULL, 0, 0, NULL,
     "--voluntary needs a name, e.g. --voluntary home_help", NULL},
    {"--from", NULL, CLI_STRING, offsetof(init_opts, from), NULL, 0, 0, NULL,
     "--from needs a CSV file of organisations", NULL},
    {"--out", NULL, CLI_STRING, offsetof(init_opts, out), NULL, 0, 0, NULL,
     "--out needs a file name, e.g. --out models/mine.yaml", NULL},
    {"--force", NULL, CLI_FLAG, offsetof(init_opts, force), NULL, 0, 0, NULL, NULL, NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

/* Add "name[=size],..." of one option to the template. */
static int add_list(wf_template *t, const cli_list *l, wf_org_kind kind, const char *opt)
{
    for (size_t k = 0; k < l->n; k++) {
        char *copy = cli_strdup(l->v[k]);
        if (!copy) {
            cli_error("out of memory");
            return EXIT_RUN;
        }
        int rc = EXIT_OK;
        char *save = NULL;
        for (char *item = strtok_r(copy, ",", &save); item && rc == EXIT_OK;
             item = strtok_r(NULL, ",", &save)) {
            double size = NAN;
            char *eq = strchr(item, '=');
            if (eq) {
                char *end;
                *eq = '\0';
                size = strtod(eq + 1, &end);
                if (end == eq + 1 || *end || !isfinite(size) || size < 0) {
                    rc = cli_usage_error("init", "%s %s=%s: the size must be a number >= 0", opt,
                                         item, eq + 1);
                    break;
                }
            }
            if (wf_template_add(t, kind, item, size) != WF_OK)
                rc = cli_usage_error("init", "%s %s: %s", opt, item, wf_template_error(t));
        }
        free(copy);
        if (rc != EXIT_OK)
            return rc;
    }
    return EXIT_OK;
}

/* Write the text whole or not at all: a temporary file beside it, renamed. */
static int write_file(const char *path, const char *text, int force)
{
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    snprintf(tmp, len, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wx");
    int ok = f && fputs(text, f) >= 0;
    ok = f && fclose(f) == 0 && ok;
    struct stat sb;
    if (ok && !force && stat(path, &sb) == 0) {
        remove(tmp);
        free(tmp);
        cli_error("%s: exists (use --force to replace it)", path);
        return EXIT_IO;
    }
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        free(tmp);
        cli_error("%s: cannot write: %s", path, strerror(e));
        return EXIT_IO;
    }
    free(tmp);
    return EXIT_OK;
}

int cmd_init(int argc, char **argv)
{
    init_opts a;
    memset(&a, 0, sizeof a);
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0;
    int rc = EXIT_OK;
    wf_template *t = NULL;
    char *yaml = NULL, *path = NULL;
    if (!pos || cli_list_init(&a.hospitals, argc) || cli_list_init(&a.councils, argc) ||
        cli_list_init(&a.community, argc) || cli_list_init(&a.voluntary, argc) ||
        !(t = wf_template_create())) {
        cli_error("out of memory");
        rc = EXIT_RUN;
        goto out;
    }
    rc = cli_parse("init", init_options, &a, argc, argv, pos, &npos);
    if (rc == CLI_HELP) {
        init_help(stdout);
        rc = EXIT_OK;
        goto out;
    }
    if (rc != EXIT_OK)
        goto out;
    if (npos != 1) {
        rc = cli_usage_error("init", npos ? "init takes one NAME; got '%s' and '%s'"
                                          : "init needs the NAME of the new system%s%s",
                             npos ? pos[0] : "", npos ? pos[1] : "");
        goto out;
    }
    const char *name = pos[0];
    if (!a.out && strchr(name, '/')) {
        rc = cli_usage_error("init", "NAME '%s' is the scenario's name, not a path: give the "
                             "file with --out", name);
        goto out;
    }
    if (!a.from && (!a.hospitals.n || !a.councils.n)) {
        rc = cli_usage_error("init", "init needs --hospitals and --councils (or --from ORGS.csv)");
        goto out;
    }
    if (a.from) {
        wf_status st = wf_template_read_csv(t, a.from);
        if (st != WF_OK) {
            cli_error("--from %s", wf_template_error(t));
            rc = st == WF_EIO ? EXIT_IO : st == WF_ENOMEM ? EXIT_RUN : EXIT_USAGE;
            goto out;
        }
    }
    if ((rc = add_list(t, &a.hospitals, WF_ORG_HOSPITAL, "--hospitals")) ||
        (rc = add_list(t, &a.councils, WF_ORG_LOCALITY, "--councils")) ||
        (rc = add_list(t, &a.community, WF_ORG_COMMUNITY, "--community")) ||
        (rc = add_list(t, &a.voluntary, WF_ORG_VOLUNTARY, "--voluntary")))
        goto out;
    const char *file = a.out;
    if (!file) {
        size_t len = strlen(name) + 8;
        if (!(path = malloc(len))) {
            cli_error("out of memory");
            rc = EXIT_RUN;
            goto out;
        }
        snprintf(path, len, "%s.yaml", name);
        file = path;
    }
    struct stat sb;
    if (strcmp(file, "-") && !a.force && stat(file, &sb) == 0) {
        cli_error("%s: exists (use --force to replace it)", file);
        rc = EXIT_IO;
        goto out;
    }
    if (!(yaml = wf_template_yaml(t, name))) {
        cli_error("%s", wf_template_error(t));
        rc = EXIT_SCENARIO;
        goto out;
    }
    if (!strcmp(file, "-")) {
        fputs(yaml, stdout);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("cannot write to standard output");
            rc = EXIT_IO;
        }
        goto out;
    }
    if ((rc = write_file(file, yaml, a.force)) != EXIT_OK)
        goto out;
    printf("wrote %s: the calibrated reference with your organisations, sized from it.\n"
           "Next: put your own figures in the organisations (beds, residents, care\n"
           "capacity, which hospital each council uses), then\n"
           "  winterflow validate %s\n"
           "  winterflow run %s\n", file, file, file);

out:
    wf_free(yaml);
    free(path);
    wf_template_destroy(t);
    cli_list_free(&a.hospitals);
    cli_list_free(&a.councils);
    cli_list_free(&a.community);
    cli_list_free(&a.voluntary);
    free(pos);
    return rc;
}
