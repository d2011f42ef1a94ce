/* Reading a CSV table (a design file) with libcsv, the only file of the
 * library that includes csv.h. */
#ifndef WF_RUN_CSV_H
#define WF_RUN_CSV_H

#include <stddef.h>

#include "winterflow.h"

typedef struct {
    size_t cols, rows;  /* header fields; rows after the header */
    char **header;      /* [cols] */
    char **cells;       /* [rows * cols]; NULL for an empty field */
    size_t *line;       /* [rows]: the line each row begins on */
} wf_csv;

/* Read `path`: a header row, then rows of exactly as many fields. At most
 * max_cols columns and max_rows rows. Errors (WF_EIO unreadable, WF_EPARSE
 * malformed, WF_ENOMEM) are "PATH: line N: ..." in err. */
wf_status wf_csv_read(const char *path, size_t max_cols, size_t max_rows, wf_csv *t, char *err,
                      size_t errlen);
void wf_csv_free(wf_csv *t);

#endif
