/* The HDF5 results writer's state, shared by its parts:
 *   h5_write.c       the public calls: checks, the temporary file, the order
 *                    of the steps, appending
 *   h5_layout.c      dimensions, variables and the scenarios' data
 *   h5_provenance.c  root attributes, parameters/scenario_<i>, rerun
 *   h5_event_log.c   the per-patient event log group
 *   h5_posterior.c   the posterior draws group
 *   h5_vfd.c         the file driver, which can discard a failed file
 * (atomic_file.c replaces the file; fault.h lets tests fail a write.) */
#ifndef WF_H5_WRITER_H
#define WF_H5_WRITER_H

#include "results/h5_common.h"

typedef struct {
    wf_results *r;
    const char *path;  /* the target, for messages */
    hid_t file;
    unsigned long writes; /* dataset writes so far (fault.h numbers them) */
    const wf_write_options *opt;
    char **yaml;       /* resolved YAML of each new scenario */
    size_t n;          /* new scenarios */
    size_t offset;     /* scenarios already in the file */
    const char *coords; /* the coordinate names joined by spaces ("" if none) */
    int io_errno;      /* the first failed write's errno (h5_vfd.c), 0 if none */
    const char *const *expect; /* a sweep's append: the scenarios the file must hold, or NULL */
    size_t n_expect;
    int oom;           /* an allocation of the writer's failed: the write ends WF_ENOMEM */
} wf_h5_writer;

#define WF_H5_ERR(w) (w)->r->err, sizeof (w)->r->err

/* An allocation of the writer failed: say so, mark the write (WF_ENOMEM,
 * not an I/O error), and return -1. */
int wf_h5_oom(wf_h5_writer *w);

/* Create a dataset; chunk NULL: contiguous (only for empty datasets).
 * Chunked datasets carry Fletcher32 checksums, after deflate when
 * `compress`. fill: NULL or a double fill value (also the _FillValue
 * attribute). */
hid_t wf_h5_create_var(wf_h5_writer *w, hid_t loc, const char *name, hid_t ftype, int rank, const hsize_t *dims,
                       const hsize_t *maxdims, const hsize_t *chunk, int compress, const double *fill);
hid_t wf_h5_create_group(wf_h5_writer *w, hid_t loc, const char *name);
/* One dataset write (all of them go through here, for fault.h). */
int wf_h5_dwrite(wf_h5_writer *w, hid_t d, hid_t mt, hid_t ms, hid_t fs, const void *buf, const char *what);

/* h5_vfd.c: write through the writer's file driver (fapl); inside an HDF5
 * section. */
int wf_h5_use_driver(hid_t fapl);
/* h5_vfd.c: from now on a failed write of `file` sets *report to its errno
 * (the first only) and gives the file up: that write and all later ones
 * succeed without reaching the disk, so that closing cannot fail. */
int wf_h5_watch(hid_t file, hid_t fapl, int *report);

/* h5_layout.c: every group, dimension and variable of a new file. */
int wf_h5_make_structure(wf_h5_writer *w);
/* h5_layout.c: rows offset .. offset+n-1 of every dataset with a scenario
 * axis (names, YAML, coordinates, metrics), flagged incomplete. */
int wf_h5_add_rows(wf_h5_writer *w);
/* h5_layout.c: flag those rows complete (the last write of a scenario). */
int wf_h5_mark_complete(wf_h5_writer *w);

/* h5_provenance.c: parameters/scenario_<i> for the new scenarios. */
int wf_h5_scenario_provenance(wf_h5_writer *w);
/* h5_provenance.c: the root attributes (version, build, seed, times, rerun). */
int wf_h5_root_provenance(wf_h5_writer *w);

/* h5_event_log.c: the event_log group. */
int wf_h5_write_event_log(wf_h5_writer *w);

/* h5_posterior.c: the posterior group (the run's draws), if it has them. */
int wf_h5_write_posterior(wf_h5_writer *w);
/* h5_posterior.c: appending: 0 when the file's draws are the run's. */
int wf_h5_check_posterior(wf_h5_writer *w);

#endif
