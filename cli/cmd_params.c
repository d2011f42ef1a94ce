/*
 * winterflow params [--markdown | --presets]
 *
 * Lists the parameter table (wf_param_count / wf_param_at): every scenario
 * key with its type, default, bounds, unit and doc. --markdown prints the
 * reference page docs/parameters.md, --presets docs/presets.md (each
 * partnership preset's settings); tests keep the pages identical to them.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void params_help(FILE *f)
{
    fputs(
        "Usage: winterflow params [--markdown | --presets]\n"
        "\n"
        "List every scenario key: type, default, bounds, unit and a description.\n"
        "Organisation names in keys are written <hospital>, <locality>, <community>\n"
        "or <voluntary>: 'hospitals.<hospital>.beds' is 'hospitals.city.beds' for a\n"
        "hospital named city. Every key can be set with 'winterflow run --set'.\n"
        "\n"
        "Options:\n"
        "  --markdown   print the reference page (docs/parameters.md)\n"
        "  --presets    print every partnership lever's value under each preset\n"
        "               (the page docs/presets.md)\n"
        "  -h, --help   show this help\n"
        "\n"
        "Examples:\n"
        "  winterflow params | grep -A1 partnership\n"
        "  winterflow params --markdown > docs/parameters.md\n"
        "  winterflow params --presets > docs/presets.md\n",
        f);
}

static void fmt_bound(char *buf, size_t len, double x)
{
    if (isinf(x))
        snprintf(buf, len, "%s", x > 0 ? "inf" : "-inf");
    else if (x == floor(x) && fabs(x) < 1e17)
        snprintf(buf, len, "%.0f", x);  /* integers in full: 9007199254740992 */
    else
        snprintf(buf, len, "%.15g", x);
}

/* "0 .. 1", ">= 0", "<= 5" or "" (no bounds). */
static void fmt_bounds(char *buf, size_t len, const wf_param_info *p)
{
    int has_min = !isnan(p->min) && !(isinf(p->min) && p->min < 0);
    int has_max = !isnan(p->max) && !(isinf(p->max) && p->max > 0);
    char lo[40], hi[40];
    fmt_bound(lo, sizeof lo, p->min);
    fmt_bound(hi, sizeof hi, p->max);
    if (has_min && has_max)
        snprintf(buf, len, "%s .. %s", lo, hi);
    else if (has_min)
        snprintf(buf, len, ">= %s", lo);
    else if (has_max)
        snprintf(buf, len, "<= %s", hi);
    else
        buf[0] = '\0';
}

static const char *str_or(const char *s, const char *alt)
{
    return s && *s ? s : alt;
}

static void print_text(FILE *f)
{
    size_t n = wf_param_count();
    for (size_t i = 0; i < n; i++) {
        const wf_param_info *p = wf_param_at(i);
        if (!p)
            continue;
        char bounds[96];
        fmt_bounds(bounds, sizeof bounds, p);
        fprintf(f, "%s = %s  (%s", p->key, p->def ? p->def : "(required)",
                str_or(p->type, "?"));
        if (p->choices && *p->choices)
            fprintf(f, ": %s", p->choices);
        if (p->unit && *p->unit)
            fprintf(f, ", %s", p->unit);
        if (*bounds)
            fprintf(f, ", %s", bounds);
        fprintf(f, ")\n    %s\n", str_or(p->doc, ""));
    }
}

/* Text in a markdown table cell: '|' escaped, line breaks as spaces. */
static void md_cell(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

/* Text in a code span inside a table cell. */
static void md_code(FILE *f, const char *s)
{
    fputc('`', f);
    md_cell(f, s);
    fputc('`', f);
}

/* The section of a key: its first path component ("hospitals"). */
static size_t section_len(const char *key)
{
    const char *dot = strchr(key, '.');
    return dot ? (size_t)(dot - key) : strlen(key);
}

static void print_markdown(FILE *f)
{
    size_t n = wf_param_count();
    fputs(
        "# Scenario parameters\n"
        "\n"
        "<!-- Generated from the parameter table by `winterflow params --markdown`.\n"
        "     Do not edit by hand; regenerate with\n"
        "     build/winterflow params --markdown > docs/parameters.md\n"
        "     (the test cli_params_doc fails when this page and the table differ). -->\n"
        "\n"
        "Every key that a scenario file accepts. The same names are used by\n"
        "`winterflow run --set KEY=VALUE`, the Python API and the provenance\n"
        "attributes of result files. Organisation names in keys are written\n"
        "`<hospital>`, `<locality>`, `<community>` or `<voluntary>`:\n"
        "`hospitals.<hospital>.beds` is `hospitals.city.beds` for a hospital named\n"
        "`city`. Defaults are YAML text; *required* keys have no default. Bounds are\n"
        "inclusive. Every capacity, rate, count, duration and cost has an upper bound\n"
        "far above any real system, so that no value can make a run's work explode\n"
        "([faults.md](faults.md)); a list holds at most 1000 items.\n",
        f);
    fprintf(f, "\n%zu keys.\n", n);

    /* Sections in order of first appearance; the table is walked once per
     * section so that keys stay in table order within it. */
    for (size_t i = 0; i < n; i++) {
        const wf_param_info *p = wf_param_at(i);
        if (!p || !p->key)
            continue;
        size_t len = section_len(p->key);
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            const wf_param_info *q = wf_param_at(j);
            seen = q && q->key && section_len(q->key) == len && !strncmp(q->key, p->key, len);
        }
        if (seen)
            continue;
        fprintf(f, "\n## `%.*s`\n\n", (int)len, p->key);
        fputs("| key | type | default | bounds | unit | description |\n"
              "| --- | --- | --- | --- | --- | --- |\n", f);
        for (size_t j = i; j < n; j++) {
            const wf_param_info *q = wf_param_at(j);
            if (!q || !q->key || section_len(q->key) != len || strncmp(q->key, p->key, len))
                continue;
            char bounds[96];
            fmt_bounds(bounds, sizeof bounds, q);
            fputs("| ", f);
            md_code(f, q->key);
            fputs(" | ", f);
            md_cell(f, str_or(q->type, ""));
            if (q->choices && *q->choices) {
                /* "queue|divert" -> `queue`, `divert` */
                fputs(": ", f);
                const char *c = q->choices;
                while (*c) {
                    size_t k = strcspn(c, "|");
                    fprintf(f, "`%.*s`", (int)k, c);
                    c += k;
                    if (*c == '|') {
                        fputs(", ", f);
                        c++;
                    }
                }
            }
            fputs(" | ", f);
            if (q->def)
                md_code(f, *q->def ? q->def : "\"\"");
            else
                fputs("*required*", f);
            fputs(" | ", f);
            md_cell(f, bounds);
            fputs(" | ", f);
            md_cell(f, str_or(q->unit, ""));
            fputs(" | ", f);
            md_cell(f, str_or(q->doc, ""));
            fputs(" |\n", f);
        }
    }
}

/* The presets' page (docs/presets.md): the value of every partnership
 * lever under each preset, read from the library (a scenario with only the
 * preset set, wf_scenario_get), so that the page cannot drift from
 * lib/params/presets.c. */
static int print_presets(FILE *f)
{
    const wf_param_info *pp = wf_param_find("partnership.preset");
    const char *choices = pp && pp->choices ? pp->choices : "";
    enum { MAXP = 16 };
    char names[MAXP][64];
    wf_scenario *s[MAXP];
    size_t np = 0;
    for (const char *c = choices; *c && np < MAXP;) {
        size_t k = strcspn(c, "|");
        snprintf(names[np], sizeof names[np], "%.*s", (int)k, c);
        s[np] = wf_scenario_create();
        if (!s[np] || wf_scenario_set(s[np], "partnership.preset", names[np]) != WF_OK) {
            cli_error("preset %s: %s", names[np], s[np] ? wf_scenario_error(s[np]) : "out of memory");
            for (size_t i = 0; i <= np; i++)
                wf_scenario_destroy(s[i]);
            return EXIT_RUN;
        }
        np++;
        c += k + (c[k] == '|');
    }
    fputs("# Partnership presets\n"
          "\n"
          "<!-- Generated from the library by `winterflow params --presets`. Do not edit\n"
          "     by hand; regenerate with\n"
          "     build/winterflow params --presets > docs/presets.md\n"
          "     (the test cli_presets_doc fails when this page and the library differ). -->\n"
          "\n"
          "`partnership.preset` names a set of values for the partnership levers\n"
          "(`partnership.*`). The preset sits between the table defaults and what a\n"
          "scenario writes: any lever a scenario file or `--set` gives explicitly\n"
          "overrides its preset ([scenario-schema.md](scenario-schema.md#layers-and-precedence)).\n"
          "Each lever's meaning and evidence: [study.md](study.md); its bounds:\n"
          "[parameters.md](parameters.md#partnership).\n", f);
    /* what each preset changes from the first (the table's defaults) */
    size_t n = wf_param_count();
    for (size_t i = 1; i < np; i++) {
        fprintf(f, "\n`%s` differs from `%s` in:", names[i], names[0]);
        int any = 0;
        for (size_t k = 0; k < n; k++) {
            const wf_param_info *p = wf_param_at(k);
            if (!p || strncmp(p->key, "partnership.", 12) || p == pp)
                continue;
            char *a = wf_scenario_get(s[0], p->key), *b = wf_scenario_get(s[i], p->key);
            if (a && b && strcmp(a, b)) {
                fprintf(f, "%s `%s`", any ? "," : "", p->key + 12);
                any = 1;
            }
            wf_free(a);
            wf_free(b);
        }
        fputs(any ? ".\n" : " nothing.\n", f);
    }
    fputs("\n| lever |", f);
    for (size_t i = 0; i < np; i++)
        fprintf(f, " `%s` |", names[i]);
    fputs(" description |\n| --- |", f);
    for (size_t i = 0; i <= np; i++)
        fputs(" --- |", f);
    fputc('\n', f);
    for (size_t k = 0; k < n; k++) {
        const wf_param_info *p = wf_param_at(k);
        if (!p || strncmp(p->key, "partnership.", 12) || p == pp)
            continue;
        fputs("| ", f);
        md_code(f, p->key);
        char *first = NULL;
        for (size_t i = 0; i < np; i++) {
            char *v = wf_scenario_get(s[i], p->key);
            fputs(" | ", f);
            /* in bold where the preset changes the first one's value */
            int bold = i > 0 && v && first && strcmp(v, first);
            fputs(bold ? "**" : "", f);
            md_code(f, v ? v : "?");
            fputs(bold ? "**" : "", f);
            if (i == 0)
                first = v;
            else
                wf_free(v);
        }
        wf_free(first);
        fputs(" | ", f);
        md_cell(f, str_or(p->doc, ""));
        fputs(" |\n", f);
    }
    for (size_t i = 0; i < np; i++)
        wf_scenario_destroy(s[i]);
    return EXIT_OK;
}

typedef struct {
    int markdown, presets;
} params_opts;

static const cli_opt params_options[] = {
    {"--markdown", NULL, CLI_FLAG, offsetof(params_opts, markdown), NULL, 0, 0, NULL, NULL, NULL},
    {"--presets", NULL, CLI_FLAG, offsetof(params_opts, presets), NULL, 0, 0, NULL, NULL, NULL},
    {NULL, NULL, CLI_FLAG, 0, NULL, 0, 0, NULL, NULL, NULL},
};

int cmd_params(int argc, char **argv)
{
    params_opts a = {0};
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0;
    if (!pos) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    int rc = cli_parse("params", params_options, &a, argc, argv, pos, &npos);
    if (rc == EXIT_OK && npos)
        rc = cli_usage_error("params", "params takes no arguments (got '%s')", pos[0]);
    free(pos);
    if (rc == CLI_HELP) {
        params_help(stdout);
        return EXIT_OK;
    }
    if (rc != EXIT_OK)
        return rc;
    if (a.presets && a.markdown)
        return cli_usage_error("params", "--presets prints its own page (markdown); give one of "
                               "--presets and --markdown");
    if (a.presets)
        rc = print_presets(stdout);
    else if (a.markdown)
        print_markdown(stdout);
    else
        print_text(stdout);
    if (rc != EXIT_OK)
        return rc;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return EXIT_IO;
    }
    return EXIT_OK;
}
