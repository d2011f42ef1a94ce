/* The calibration file (docs/calibrate.md, "The calibration file"): what a
 * calibration saves after each generation, as plain arrays, so that the
 * sampler (lib/run/calibrate.c) never sees HDF5. Written atomically, read
 * as untrusted (h5_calibration.c). */
#ifndef WF_CALIBRATION_FILE_H
#define WF_CALIBRATION_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "winterflow.h"

#define WF_CALFILE_FORMAT 1
#define WF_CALFILE_MAX_REPLICATES 1000
#define WF_CALFILE_MAX_PARTICLES 100000
#define WF_CALFILE_MAX_GENERATIONS 100000
#define WF_CALFILE_MAX_TEXT (16u << 20)  /* the scenario's YAML, a command line */

typedef struct {
    /* identity and settings */
    char *fingerprint;     /* hex hash of what must match to continue */
    char *scenario_yaml;   /* the resolved base scenario */
    char *command_line;    /* "" if none */
    int64_t seed;
    int64_t replicates, particles, batch;  /* batch: points of generation 0 */
    int64_t common_random_numbers;         /* 1: every point ran replicates 0.. of the seed */
    double keep, min_acceptance;
    int64_t budget;
    int64_t converged;     /* 1: stopped on min_acceptance */

    /* the varied keys and their uniform priors */
    size_t n_keys;
    char **keys;
    double *prior_lo, *prior_hi;

    /* the observed rows, as read */
    size_t n_rows;
    char **date, **org, **metric;
    double *value;

    /* one entry per generation */
    size_t n_gen;
    double *tolerance, *acceptance, *ess;
    int64_t *simulations;
    double *gen_mean, *gen_lo, *gen_hi;  /* [gen][key]: weighted mean and 90% interval */

    /* the population: n_particles */
    size_t n_particles;
    double *theta;      /* [particle][key] */
    double *weight;     /* unnormalised importance weights */
    double *distance;
    double *sim;        /* [particle][replicate][row]: simulated values */
} wf_calfile;

/* Write f to path atomically (a temporary file renamed over it). Errors in
 * err, naming the path. */
wf_status wf_calfile_write(const wf_calfile *f, const char *path, char *err, size_t errlen);
/* Read a calibration file into f (zeroed first; free with wf_calfile_free
 * whatever happens). WF_EIO for a file that is not one, or fails a check. */
wf_status wf_calfile_read(wf_calfile *f, const char *path, char *err, size_t errlen);
/* Is path an HDF5 file that says it is a calibration file? 1 yes, 0 no,
 * -1 cannot tell (not there, not readable). */
int wf_calfile_probe(const char *path);
void wf_calfile_free(wf_calfile *f);

#endif
