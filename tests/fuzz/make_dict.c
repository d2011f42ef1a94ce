/* Write the fuzzing dictionary of scenario words (libFuzzer's -dict
 * format) from the parameter table, so that it never falls behind it: each
 * key's words, each enum choice, the organisation names of the seed
 * models, and YAML's own tokens. Usage: make_dict OUT.dict */
#include <stdio.h>
#include <string.h>

#include "winterflow.h"

static void word(FILE *f, const char *w, size_t n)
{
    if (n == 0 || n > 64) return;
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 32 || c > 126) fprintf(f, "\\x%02X", c);
        else fputc(c, f);
    }
    fputs("\"\n", f);
}

/* Each piece of s between separators (sep), placeholders <...> replaced by
 * nothing (the organisation names come separately). */
static void words(FILE *f, const char *s, char sep)
{
    while (s && *s) {
        const char *e = strchr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (s[0] != '<') word(f, s, n);
        s = e ? e + 1 : NULL;
    }
}

int main(int argc, char **argv)
{
    FILE *f = argc == 2 ? fopen(argv[1], "w") : NULL;
    if (!f) {
        fprintf(stderr, "usage: make_dict OUT.dict\n");
        return 2;
    }
    static const char *const yaml[] = {": ", "\n  ", "- ", "[", "]", "{", "}", ", ", "\"", "'", "&a ", "*a",
                                       "<<: ", "!!str ", "~", "null", "true", "false", ".inf", "-.inf", ".nan",
                                       "1e308", "2147483647", "-1", "0x7fffffff", "2025-12-01", "9999-12-31",
                                       "extends: ", "\n---\n", "=", "#"};
    for (size_t i = 0; i < sizeof yaml / sizeof *yaml; i++) word(f, yaml[i], strlen(yaml[i]));
    static const char *const orgs[] = {"city", "county", "north", "south", "west", "icb", "community_trust",
                                       "home_from_hospital"};
    for (size_t i = 0; i < sizeof orgs / sizeof *orgs; i++) word(f, orgs[i], strlen(orgs[i]));
    for (size_t i = 0; i < wf_param_count(); i++) {
        const wf_param_info *p = wf_param_at(i);
        word(f, p->key, strlen(p->key));
        words(f, p->key, '.');
        words(f, p->choices, '|');
    }
    return fclose(f) == 0 ? 0 : 1;
}
