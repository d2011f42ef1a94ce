/* Helpers shared by the verbs: messages, exit codes, argument parsing. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
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
    fputs("winterflow: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (verb)
        fprintf(stderr, "winterflow: try 'winterflow %s --help'\n", verb);
    else
        fputs("winterflow: try 'winterflow --help'\n", stderr);
    return EXIT_USAGE;
}

int cli_scenario_exit(wf_status st, const char *path)
{
    if (st == WF_OK)
        return EXIT_OK;
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

int cli_option(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        *i += 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    *value = (*i + 1 < argc) ? argv[*i + 1] : NULL;
    *i += (*value ? 2 : 1);
    return 1;
}
