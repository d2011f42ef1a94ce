/*
 * The CSV sink of export (cli/export.h): one file per table, NAME.csv in a
 * folder, RFC 4180 (fields with a comma, quote or line break quoted, quotes
 * doubled; CRLF line ends; UTF-8), numbers exact (%.17g, as --json prints
 * them), NaN as an empty field. Each file is written whole or not at all.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "export.h"

struct export_csv {
    const char *dir;
    int force;
    cli_outfile out;  /* the table being written (out.f NULL: none) */
    char *path;
    int field;        /* fields written on this row */
};

static int c_commit(export_csv *c)
{
    if (!c->out.f) return 0;
    int rc = cli_outfile_commit(&c->out);
    free(c->path);
    c->path = NULL;
    return rc == EXIT_OK ? 0 : -1;
}

static void sep(export_csv *c)
{
    if (c->field++) fputc(',', c->out.f);
}

static int c_text(void *user, const char *s)
{
    export_csv *c = user;
    sep(c);
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, c->out.f);
        return 0;
    }
    fputc('"', c->out.f);
    for (const char *p = s; *p; p++) {
        if (*p == '"') fputc('"', c->out.f);
        fputc(*p, c->out.f);
    }
    fputc('"', c->out.f);
    return 0;
}

static int c_number(void *user, double x)
{
    export_csv *c = user;
    sep(c);
    if (x == x) json_number(c->out.f, x);
    return 0;
}

static int c_end_row(void *user)
{
    export_csv *c = user;
    fputs("\r\n", c->out.f);
    c->field = 0;
    return ferror(c->out.f) ? -1 : 0;
}

static int c_table(void *user, const char *name, const char *const *cols, size_t n)
{
    export_csv *c = user;
    if (c_commit(c)) return -1;
    size_t len = strlen(c->dir) + strlen(name) + 8;
    if (!(c->path = malloc(len))) return -1;
    snprintf(c->path, len, "%s/%s.csv", c->dir, name);
    if (cli_outfile_open(&c->out, c->path, c->force) != EXIT_OK) {
        free(c->path);
        c->path = NULL;
        c->out.f = NULL;
        return -1;
    }
    for (size_t i = 0; i < n; i++) c_text(c, cols[i]);
    return c_end_row(c);
}

export_csv *export_csv_open(const char *dir, int force)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cli_error("%s: cannot make the folder: %s", dir, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        cli_error("%s: not a folder", dir);
        return NULL;
    }
    export_csv *c = calloc(1, sizeof *c);
    if (!c) {
        cli_error("out of memory");
        return NULL;
    }
    c->dir = dir;
    c->force = force;
    return c;
}

export_sink export_csv_sink(export_csv *c)
{
    return (export_sink){c, c_table, c_text, c_number, c_text, c_end_row};
}

int export_csv_close(export_csv *c, int ok)
{
    int rc = 0;
    if (ok) rc = c_commit(c);
    else if (c->out.f) cli_outfile_abort(&c->out);
    free(c->path);
    free(c);
    return rc;
}
