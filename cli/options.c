/* The one option parser of the verbs: each verb describes its options in a
 * table (cli_opt, cli.h) and gets them parsed into its own struct, with the
 * same forms ("--opt VALUE", "--opt=VALUE", "--" ending the options), the
 * same checks (integers within bounds, values that must be given) and the
 * same messages for every verb. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end != '\0')
        return -1;
    if (v < min || v > max)
        return -1;
    *out = (int64_t)v;
    return 0;
}

void cli_param_bounds(const char *key, int64_t lo, int64_t hi, int64_t *min, int64_t *max)
{
    const wf_param_info *p = key ? wf_param_find(key) : NULL;
    *min = lo;
    *max = hi;
    if (p && !isnan(p->min) && p->min > (double)lo)
        *min = (int64_t)ceil(p->min);
    if (p && !isnan(p->max) && p->max < (double)hi)
        *max = (int64_t)floor(p->max);
}

void cli_opt_bounds(const cli_opt *o, int64_t *min, int64_t *max)
{
    cli_param_bounds(o->bounds_key, o->min, o->max, min, max);
}

/* The option of the table that argv[*i] names: "--name", "--name=VALUE" or
 * an alias; for the = form, *value is what follows it (and *eq is set). */
static const cli_opt *find(const cli_opt *opts, const char *a, const char **value, int *eq)
{
    *value = NULL;
    *eq = 0;
    for (const cli_opt *o = opts; o->name; o++) {
        size_t n = strlen(o->name);
        if (!strncmp(a, o->name, n) && (a[n] == '\0' || (a[n] == '=' && o->kind != CLI_FLAG))) {
            if (a[n] == '=') {
                *value = a + n + 1;
                *eq = 1;
            }
            return o;
        }
        if (o->alias && !strcmp(a, o->alias))
            return o;
    }
    return NULL;
}

int cli_parse(const char *verb, const cli_opt *opts, void *args, int argc, char **argv,
              const char **pos, size_t *npos)
{
    int options_done = 0;
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (options_done || a[0] != '-' || a[1] == '\0') {
            pos[(*npos)++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            options_done = 1;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return CLI_HELP;
        int eq;
        const cli_opt *o = find(opts, a, &v, &eq);
        if (!o)
            return cli_usage_error(verb, "unknown option '%s'", a);
        char *at = (char *)args + o->offset;
        if (o->kind == CLI_FLAG) {
            *(int *)at = 1;
            continue;
        }
        if (!eq)
            v = i + 1 < argc ? argv[++i] : NULL;
        if (o->kind == CLI_INT) {
            int64_t min, max;
            cli_opt_bounds(o, &min, &max);
            if (!v || cli_parse_int64(v, min, max, (int64_t *)at))
                return cli_usage_error(verb, "%s %s%s%s: expected an integer %" PRId64 " <= %s <= %" PRId64,
                                       o->name, v ? "'" : "needs a value", v ? v : "", v ? "'" : "", min,
                                       o->metavar, max);
            continue;
        }
        if (!v || (!*v && o->kind == CLI_STRING))
            return cli_usage_error(verb, "%s", o->need);
        if (o->check) {
            int rc = o->check(verb, v);
            if (rc != EXIT_OK)
                return rc;
        }
        if (o->kind == CLI_STRING) {
            *(const char **)at = v;
        } else { /* CLI_LIST: room for argc values was made by cli_list_init */
            cli_list *l = (cli_list *)at;
            l->v[l->n++] = v;
        }
    }
    return EXIT_OK;
}

int cli_list_init(cli_list *l, int argc)
{
    l->n = 0;
    l->v = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *l->v);
    return l->v ? 0 : -1;
}

void cli_list_free(cli_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int cli_check_set(const char *verb, const char *v)
{
    const char *eq = strchr(v, '=');
    if (!eq || eq == v)
        return cli_usage_error(verb, "--set '%s': expected KEY=VALUE, e.g. --set hospitals.city.beds=900", v);
    return EXIT_OK;
}
