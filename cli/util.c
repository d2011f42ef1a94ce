/* Helpers shared by the verbs: messages, exit codes, argument parsing. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void verror(const char *fmt, va_list ap)
{
    if (cli_rank() > 0) {
        cli_keep_message(fmt, ap);
        return;
    }
    fputs("winterflow: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(fmt, ap);
    va_end(ap);
}

void cli_note(const char *fmt, ...)
{
    if (cli_rank() > 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("winterflow: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage_error(const char *verb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(fmt, ap);
    va_end(ap);
    if (cli_rank() > 0)
        return EXIT_USAGE;
    if (verb)
        fprintf(stderr, "winterflow: try 'winterflow %s --help'\n", verb);
    else
        fputs("winterflow: try 'winterflow --help'\n", stderr);
    return EXIT_USAGE;
}

int cli_one_scenario(const char *verb, const char **pos, size_t npos, const char **path)
{
    *path = npos ? pos[0] : NULL;
    if (npos > 1)
        return cli_usage_error(verb, "%s takes one scenario file; got '%s' and '%s'", verb, pos[0], pos[1]);
    if (!*path)
        return cli_usage_error(verb, "%s needs a scenario file", verb);
    return EXIT_OK;
}

int cli_read_results(const char *verb, wf_results *r, const char **pos, size_t npos, char **label)
{
    *label = NULL;
    if (!npos) return cli_usage_error(verb, "%s needs a results file (or the parts of one sweep)", verb);
    size_t len = 1;
    for (size_t i = 0; i < npos; i++) len += strlen(pos[i]) + 2;
    if (!(*label = malloc(len))) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    (*label)[0] = '\0';
    for (size_t i = 0; i < npos; i++) {
        if (i) strcat(*label, ", ");
        strcat(*label, pos[i]);
    }
    wf_status st = wf_results_read_parts(r, pos, npos);
    if (st == WF_OK) return EXIT_OK;
    cli_error("%s", wf_results_error(r));
    return st == WF_ENOMEM ? EXIT_RUN : EXIT_IO;
}

int cli_scenario_exit(wf_status st, const char *path)
{
    if (st == WF_OK)
        return EXIT_OK;
    if (st == WF_ENOMEM)
        return EXIT_RUN;
    if (st != WF_EIO)
        return EXIT_SCENARIO;
    /* An I/O error on a file the scenario refers to (a missing `extends:`
     * base) makes the scenario invalid; only a file named on the command
     * line that cannot be read is an I/O error. */
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return EXIT_IO;
    int c = fgetc(f);  /* a directory opens but does not read */
    int readable = !(c == EOF && ferror(f));
    fclose(f);
    return readable ? EXIT_SCENARIO : EXIT_IO;
}

char *cli_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

void cli_scenario_error(const char *path, const char *what, const char *msg)
{
    if (!msg || !*msg)
        msg = "unknown error";
    if (what)
        cli_error("%s: %s", what, msg);
    else if (path && strstr(msg, path))
        cli_error("%s", msg);
    else
        cli_error("%s: %s", path ? path : "scenario", msg);
}

int cli_run_args_init(cli_run_args *a, int argc)
{
    memset(a, 0, sizeof *a);
    a->seed = -1;
    return cli_list_init(&a->sets, argc);
}

void cli_run_args_free(cli_run_args *a)
{
    cli_list_free(&a->sets);
}

void cli_run_options_help(FILE *f, int several)
{
    int64_t rmin, rmax, smin, smax;
    cli_param_bounds("run.replicates", 1, INT32_MAX, &rmin, &rmax);
    cli_param_bounds("run.seed", 0, INT64_MAX, &smin, &smax);
    if (several)
        fputs("  --set KEY=VALUE   override a scenario key (VALUE is YAML text) in every\n"
              "                    configuration; repeat to set several, applied in order.\n"
              "                    Keys are listed by 'winterflow params'.\n", f);
    else
        fputs("  --set KEY=VALUE   override a scenario key (VALUE is YAML text); repeat to\n"
              "                    set several, applied in order after the file is loaded.\n"
              "                    Keys are listed by 'winterflow params'.\n", f);
    fprintf(f,
        "  --replicates N    number of replicates, %" PRId64 " <= N <= %" PRId64 "\n"
        "                    (default: run.replicates)\n"
        "  --seed S          random seed, %" PRId64 " <= S <= %" PRId64 "\n"
        "                    (default: run.seed)\n",
        rmin, rmax, smin, smax);
    fputs("  --threads T       OpenMP threads, 1 <= T <= 65536 (default: all cores);\n"
          "                    results are bit-identical for any T\n", f);
    fputs(several ? "  -q, --quiet       no progress display on stderr\n"
                  : "  -q, --quiet       no progress bar (shown only when stderr is a\n"
                    "                    terminal, and never with --json)\n", f);
    fputs("  --wait-lock       when another winterflow is writing the --out file, wait\n"
          "                    for it to finish (default: exit 4 at once, naming it)\n", f);
}

int cli_apply_set(wf_scenario *s, const char *path, const char *what, const char *key,
                  const char *value)
{
    wf_status st = wf_scenario_set(s, key, value);
    if (st == WF_OK)
        return EXIT_OK;
    const char *msg = wf_scenario_error(s);
    /* The library names the override as "--set KEY=VALUE: "; where the value
     * came from elsewhere (--vary, a design file), `what` names it instead. */
    size_t kl = strlen(key), vl = strlen(value);
    if (what && msg && !strncmp(msg, "--set ", 6) && !strncmp(msg + 6, key, kl) &&
        msg[6 + kl] == '=' && !strncmp(msg + 7 + kl, value, vl) &&
        !strncmp(msg + 7 + kl + vl, ": ", 2))
        msg += 9 + kl + vl;
    cli_scenario_error(path, what, msg);
    return cli_scenario_exit(st, path);
}

/* "FILE#I": scenario I of a results file, by the resolved YAML it stores.
 * Returns -1 when `path` is not of that form, else an exit code. */
static int load_from_results(wf_scenario *s, const char *path)
{
    const char *hash = strrchr(path, '#');
    if (!hash || !hash[1] || strspn(hash + 1, "0123456789") != strlen(hash + 1)) return -1;
    char *file = cli_strdup(path);
    wf_results *r = wf_results_create();
    int rc = EXIT_OK;
    if (!file || !r) {
        cli_error("out of memory");
        rc = EXIT_RUN;
    } else {
        file[hash - path] = '\0';
        unsigned long i = strtoul(hash + 1, NULL, 10);
        wf_status st = wf_results_read(r, file);
        if (st != WF_OK) {
            cli_error("%s", wf_results_error(r));
            rc = st == WF_ENOMEM ? EXIT_RUN : EXIT_IO;
        } else if (!wf_results_scenario_yaml(r, i)) {
            cli_error("%s: no scenario %lu (the file holds %zu complete scenarios, numbered from 0)", file, i,
                      wf_results_n_scenarios(r));
            rc = EXIT_SCENARIO;
        } else if ((st = wf_results_load_scenario(r, i, s, path)) != WF_OK) {
            /* Text stored in a file, loaded sealed (an `extends:` or any
             * other path is refused): what does not load is a bad file. */
            cli_scenario_error(path, NULL, wf_scenario_error(s));
            rc = st == WF_ENOMEM ? EXIT_RUN : EXIT_IO;
        }
    }
    wf_results_destroy(r);
    free(file);
    return rc;
}

int cli_load_scenario(const char *path, const cli_run_args *a, wf_scenario **out)
{
    *out = NULL;
    wf_scenario *s = wf_scenario_create();
    if (!s) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    int from = load_from_results(s, path);
    if (from > 0) {
        wf_scenario_destroy(s);
        return from;
    }
    wf_status st = from == 0 ? WF_OK : wf_scenario_load_file(s, path);
    if (st != WF_OK) {
        cli_scenario_error(path, NULL, wf_scenario_error(s));
        int rc = cli_scenario_exit(st, path);
        wf_scenario_destroy(s);
        return rc;
    }
    for (size_t k = 0; k < a->sets.n; k++) {
        const char *eq = strchr(a->sets.v[k], '=');
        char *key = cli_strdup(a->sets.v[k]);
        if (!key) {
            cli_error("out of memory");
            wf_scenario_destroy(s);
            return EXIT_RUN;
        }
        key[eq - a->sets.v[k]] = '\0';
        char what[256];
        snprintf(what, sizeof what, "--set %.200s", a->sets.v[k]);
        int rc = cli_apply_set(s, path, what, key, eq + 1);
        free(key);
        if (rc != EXIT_OK) {
            wf_scenario_destroy(s);
            return rc;
        }
    }
    *out = s;
    return EXIT_OK;
}

wf_run_options cli_run_options(const cli_run_args *a)
{
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = (int)a->replicates;
    o.seed = a->seed;
    o.threads = (int)a->threads;
    cli_signals_install();
    o.cancel = cli_cancel();
    o.mpi = cli_mpi();
    return o;
}

int cli_run_failed(const wf_results *r, wf_status st)
{
    const char *msg = wf_results_error(r);
    cli_error("run failed: %s", msg && *msg ? msg : wf_status_str(st));
    return (st == WF_EPARSE || st == WF_EKEY || st == WF_ETYPE || st == WF_ERANGE)
               ? EXIT_SCENARIO : EXIT_RUN;
}
