/* CSV tables, parsed by libcsv (Debian's libcsv-dev: RFC 4180 quoting,
 * quoted fields across lines, CR, LF and CRLF line ends) in strict mode, so
 * that a stray or unclosed quote is an error rather than a guess. The file
 * is fed to the parser a line at a time, so every error names the line.
 * What libcsv leaves to its caller is done here: a UTF-8 byte-order mark
 * (Excel writes one) is skipped, a NUL byte is refused (it would cut a
 * value short), and the columns of a row are counted as they arrive, so a
 * line of 100,000 columns is refused at once, without storing them. */
#include "run/csv.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WF_CSV_MAX_BYTES (64u << 20)

typedef struct {
    wf_csv *t;
    size_t max_cols, max_rows;
    const char *path;
    char **row;              /* the fields of the row being read */
    size_t n, cap;           /* fields so far (beyond max_cols: counted only) */
    size_t line;             /* the line being fed */
    size_t row_line;         /* the line the current row began on */
    bool in_row;
    size_t cap_rows;
    wf_status st;
    char *err;
    size_t errlen;
} reader;

static void fail(reader *r, wf_status st, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(reader *r, wf_status st, size_t line, const char *fmt, ...)
{
    if (r->st != WF_OK) return;
    r->st = st;
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->errlen, "%s: line %zu: %s", r->path, line, what);
}

static void drop_row(reader *r)
{
    for (size_t i = 0; i < r->n && i < r->cap; i++) free(r->row[i]);
    r->n = 0;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->st != WF_OK) return;
    if (r->n >= r->max_cols) {  /* counted, not kept */
        r->n++;
        return;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        char **row = realloc(r->row, cap * sizeof *row);
        if (!row) {
            fail(r, WF_ENOMEM, r->line, "out of memory");
            return;
        }
        r->row = row;
        r->cap = cap;
    }
    char *f = NULL;
    if (s && len) {  /* "" and an empty field alike: no value */
        if (!(f = malloc(len + 1))) {
            fail(r, WF_ENOMEM, r->line, "out of memory");
            return;
        }
        memcpy(f, s, len);
        f[len] = '\0';
    }
    r->row[r->n++] = f;
}

static void on_row(int c, void *data)
{
    (void)c;
    reader *r = data;
    r->in_row = false;
    if (r->st != WF_OK) return;
    wf_csv *t = r->t;
    size_t line = r->row_line;
    if (r->n == 1 && !r->row[0]) {  /* a line of spaces */
        drop_row(r);
        return;
    }
    if (r->n > r->max_cols) {
        fail(r, WF_EPARSE, line, "%zu columns, more than the %zu a design may have", r->n, r->max_cols);
        drop_row(r);
        return;
    }
    if (!t->header) {  /* the header: keep the row as it is */
        t->header = r->row;
        t->cols = r->n;
        r->row = NULL;
        r->n = r->cap = 0;
        return;
    }
    if (r->n != t->cols) {
        fail(r, WF_EPARSE, line, "%zu field%s where the header has %zu; give one value per column "
             "(quote values that contain commas)", r->n, r->n == 1 ? "" : "s", t->cols);
        drop_row(r);
        return;
    }
    if (t->rows >= r->max_rows) {
        fail(r, WF_EPARSE, line, "more than %zu rows", r->max_rows);
        drop_row(r);
        return;
    }
    if (t->rows == r->cap_rows) {
        size_t cap = r->cap_rows ? 2 * r->cap_rows : 64;
        char **cells = realloc(t->cells, cap * t->cols * sizeof *cells);
        size_t *lines = cells ? realloc(t->line, cap * sizeof *lines) : NULL;
        if (cells) t->cells = cells;
        if (!cells || !lines) {
            fail(r, WF_ENOMEM, line, "out of memory");
            drop_row(r);
            return;
        }
        t->line = lines;
        r->cap_rows = cap;
    }
    memcpy(t->cells + t->rows * t->cols, r->row, t->cols * sizeof *r->row);
    t->line[t->rows++] = line;
    r->n = 0;
}

void wf_csv_free(wf_csv *t)
{
    for (size_t i = 0; t->header && i < t->cols; i++) free(t->header[i]);
    for (size_t i = 0; t->cells && i < t->rows * t->cols; i++) free(t->cells[i]);
    free(t->header);
    free(t->cells);
    free(t->line);
    memset(t, 0, sizeof *t);
}

/* The whole file, or WF_EIO / WF_ENOMEM. */
static wf_status slurp(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return WF_EIO;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    wf_status st = buf ? WF_OK : WF_ENOMEM;
    while (st == WF_OK) {
        if (n == cap) {
            char *b = cap < WF_CSV_MAX_BYTES ? realloc(buf, 2 * cap) : NULL;
            if (!b) {
                snprintf(err, errlen, cap < WF_CSV_MAX_BYTES ? "%s: out of memory"
                                                             : "%s: larger than 64 MiB", path);
                st = cap < WF_CSV_MAX_BYTES ? WF_ENOMEM : WF_EIO;
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (st == WF_OK && ferror(f)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        st = WF_EIO;
    }
    if (st == WF_ENOMEM && !err[0]) snprintf(err, errlen, "%s: out of memory", path);
    fclose(f);
    if (st != WF_OK) {
        free(buf);
        return st;
    }
    *text = buf;
    *len = n;
    return WF_OK;
}

wf_status wf_csv_read(const char *path, size_t max_cols, size_t max_rows, wf_csv *t, char *err,
                      size_t errlen)
{
    memset(t, 0, sizeof *t);
    err[0] = '\0';
    char *text = NULL;
    size_t len = 0;
    wf_status st = slurp(path, &text, &len, err, errlen);
    if (st != WF_OK) return st;
    reader r = {.t = t, .max_cols = max_cols, .max_rows = max_rows, .path = path, .line = 1,
                .st = WF_OK, .err = err, .errlen = errlen};
    const char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;  /* a UTF-8 byte-order mark */
    const char *nul = memchr(p, '\0', (size_t)(end - p));
    if (nul) {
        size_t line = 1;
        for (const char *q = p; q < nul; q++) line += *q == '\n';
        fail(&r, WF_EPARSE, line, "a NUL byte (binary data, not CSV text)");
        free(text);
        return r.st;
    }
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
        free(text);
        snprintf(err, errlen, "%s: out of memory", path);
        return WF_ENOMEM;
    }
    /* Line by line: a line ends at LF, at CR LF, or at a CR alone. */
    while (p < end && r.st == WF_OK) {
        const char *e = p;
        while (e < end && *e != '\n' && *e != '\r') e++;
        if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n') e++;
        if (e < end) e++;
        if (!r.in_row) {  /* the first line with something on it begins a row */
            const char *q = p;
            while (q < e && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')) q++;
            if (q < e) {
                r.in_row = true;
                r.row_line = r.line;
            }
        }
        if (csv_parse(&cp, p, (size_t)(e - p), on_field, on_row, &r) != (size_t)(e - p) &&
            r.st == WF_OK)
            fail(&r, WF_EPARSE, r.line, "a quote in the middle of a field, or text after a closing "
                 "quote (quote the whole field, and write a quote inside it as \"\")");
        r.line += e > p && (e[-1] == '\n' || e[-1] == '\r');
        p = e;
    }
    if (r.st == WF_OK && csv_fini(&cp, on_field, on_row, &r) != 0)
        fail(&r, WF_EPARSE, r.row_line, "a quoted field is not closed before the end of the file");
    csv_free(&cp);
    drop_row(&r);
    free(r.row);
    free(text);
    if (r.st == WF_OK && !t->header)
        fail(&r, WF_EPARSE, 1, "empty; expected a header line of keys, then one row per point");
    if (r.st != WF_OK) wf_csv_free(t);
    return r.st;
}
