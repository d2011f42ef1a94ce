/* A calibration over the ranks of an MPI job (spread_calibrate.c). Every
 * rank runs the same ABC-SMC steps (calibrate.c); what one rank alone
 * would know is handed to all: the state rank 0 read from the calibration
 * file, when opening, and each generation's simulated rows, after its
 * batch of points was farmed out. So every rank takes the same next step,
 * and the numbers are those of one process. */
#ifndef WF_RUN_SPREAD_CALIBRATE_H
#define WF_RUN_SPREAD_CALIBRATE_H

#include <stddef.h>

#include "results/calibration_file.h"
#include "winterflow.h"

/* A generation's batch of points. */
typedef struct wf_cal_batch {
    size_t g, m;          /* the generation; its points */
    size_t K, R, n;       /* keys, replicates of a point, observed rows */
    const double *theta;  /* [m][K]: the points (rank 0's are the ones computed) */
    double *sim;          /* [m][R][n]: the simulated rows, on every rank */
    int threads;          /* this rank's */
    wf_cancel *cancel;
    /* Rank 0, as tasks arrive: simulations done before the batch + in it. */
    int (*progress)(void *user, size_t done, size_t total);
    void *progress_user;
    size_t done_before, total;
    /* Any rank, on a thread of the farm's: points first .. first + k - 1
     * at theta [k][K] into rows [k][R][n]. */
    wf_status (*simulate)(void *user, size_t g, size_t first, size_t k, const double *theta, double *rows,
                          wf_cancel *cancel, char *err, size_t errlen);
    void *user;
} wf_cal_batch;

/* Simulate the batch over the ranks of m (NULL: this process): the same
 * status on every rank and, when WF_OK, the same b->sim. */
wf_status wf_cal_batch_run(wf_mpi *m, const wf_cal_batch *b, char *err, size_t errlen);

/* Collective, once opened: rank 0's state (the generations and the
 * population) into every other rank's f, whose identity (fingerprint,
 * keys, replicates, rows) must be rank 0's. */
wf_status wf_cal_share_state(wf_mpi *m, wf_calfile *f, char *err, size_t errlen);

#endif
