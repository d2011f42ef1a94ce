/*
 * The workbook sink of export (cli/export.h), written by libxlsxwriter
 * (Debian's libxlsxwriter-dev) in its constant-memory mode: rows go to disk
 * as they come, so a file of millions of daily values needs little memory.
 * A table longer than a sheet's 1,048,576 rows goes on in "NAME_2", ...
 * with the same header. Numbers are stored as libxlsxwriter writes them
 * (16 significant digits, more than Excel shows); dates as Excel dates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "cli.h"
#include "export.h"

/* Excel's limit on the text of one cell. */
#define CELL_MAX 32767

struct export_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *date;
    char name[32];                   /* the table's name */
    const char *const *cols;
    size_t ncols, part;
    lxw_row_t row;
    lxw_col_t col;
    char err[512];
};

static int failed(export_xlsx *x, lxw_error e, const char *what)
{
    snprintf(x->err, sizeof x->err, "%s: %s", what, lxw_strerror(e));
    return -1;
}

/* A sheet for the table (or its next part) with the header row. */
static int sheet(export_xlsx *x)
{
    char name[64];
    if (x->part > 1) snprintf(name, sizeof name, "%s_%zu", x->name, x->part);
    else snprintf(name, sizeof name, "%s", x->name);
    if (!(x->ws = workbook_add_worksheet(x->wb, name))) return failed(x, LXW_ERROR_MEMORY_MALLOC_FAILED, name);
    for (size_t c = 0; c < x->ncols; c++) {
        const char *h = x->cols[c];
        double width = !strcmp(h, "value") && !strcmp(x->name, "provenance") ? 80
                       : !strcmp(h, "doc")                                  ? 80
                       : !strcmp(h, "scenario") || !strcmp(h, "baseline")   ? 24
                       : !strcmp(h, "metric") || !strcmp(h, "item")         ? 26
                       : !strcmp(h, "organisation")                          ? 18
                                                                             : 12;
        worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL);
        lxw_error e = worksheet_write_string(x->ws, 0, (lxw_col_t)c, h, x->bold);
        if (e) return failed(x, e, name);
    }
    worksheet_freeze_panes(x->ws, 1, 0);
    x->row = 1;
    x->col = 0;
    return 0;
}

static int x_table(void *user, const char *name, const char *const *cols, size_t n)
{
    export_xlsx *x = user;
    snprintf(x->name, sizeof x->name, "%s", name);
    x->cols = cols;
    x->ncols = n;
    x->part = 1;
    return sheet(x);
}

static int x_text(void *user, const char *s)
{
    export_xlsx *x = user;
    char *cut = NULL;
    if (strlen(s) > CELL_MAX) { /* Excel holds no more in a cell; the CSV export holds it whole */
        static const char note[] = "\n... (cut at Excel's limit of 32,767 characters a cell; the CSV export has it all)";
        if (!(cut = malloc(CELL_MAX + 1))) return failed(x, LXW_ERROR_MEMORY_MALLOC_FAILED, x->name);
        size_t keep = CELL_MAX - (sizeof note - 1);
        while (keep && ((unsigned char)s[keep] & 0xc0) == 0x80) keep--; /* whole UTF-8 characters */
        memcpy(cut, s, keep);
        memcpy(cut + keep, note, sizeof note);
        s = cut;
    }
    lxw_error e = worksheet_write_string(x->ws, x->row, x->col++, s, NULL);
    free(cut);
    return e ? failed(x, e, x->name) : 0;
}

static int x_number(void *user, double v)
{
    export_xlsx *x = user;
    if (v != v) {
        x->col++;
        return 0;
    }
    lxw_error e = worksheet_write_number(x->ws, x->row, x->col++, v, NULL);
    return e ? failed(x, e, x->name) : 0;
}

static int x_date(void *user, const char *ymd)
{
    export_xlsx *x = user;
    lxw_datetime dt = {0, 0, 0, 0, 0, 0};
    if (!ymd || sscanf(ymd, "%d-%d-%d", &dt.year, &dt.month, &dt.day) != 3) return x_text(user, ymd ? ymd : "");
    lxw_error e = worksheet_write_datetime(x->ws, x->row, x->col++, &dt, x->date);
    return e ? failed(x, e, x->name) : 0;
}

static int x_end_row(void *user)
{
    export_xlsx *x = user;
    x->col = 0;
    if (++x->row < LXW_ROW_MAX) return 0;
    x->part++;
    return sheet(x);
}

export_xlsx *export_xlsx_open(const char *path, char *err, size_t errlen)
{
    export_xlsx *x = calloc(1, sizeof *x);
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    if (!x || !(x->wb = workbook_new_opt(path, &o))) {
        snprintf(err, errlen, "%s: cannot start the workbook", path);
        free(x);
        return NULL;
    }
    x->bold = workbook_add_format(x->wb);
    x->date = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    format_set_num_format(x->date, "yyyy-mm-dd");
    return x;
}

export_sink export_xlsx_sink(export_xlsx *x)
{
    return (export_sink){x, x_table, x_text, x_number, x_date, x_end_row};
}

const char *export_xlsx_error(const export_xlsx *x) { return x->err; }

int export_xlsx_close(export_xlsx *x, char *err, size_t errlen)
{
    lxw_error e = workbook_close(x->wb);
    int rc = 0;
    if (e) {
        snprintf(err, errlen, "writing the workbook: %s", lxw_strerror(e));
        rc = -1;
    }
    free(x);
    return rc;
}
