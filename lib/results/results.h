/* The in-memory results: per scenario and metric, a [replicate][day][org]
 * block of daily values and a [replicate][org] block of summaries, laid out
 * so that the HDF5 writer copies each block as one dataset. */
#ifndef WF_RESULTS_H
#define WF_RESULTS_H

#include <stdbool.h>

#include "params/config.h"
#include "winterflow.h"

/* What each replicate drew from a posterior (wf_run_options.posterior),
 * recorded in results files as the group "posterior" (h5_posterior.c). */
typedef struct {
    size_t n_keys, n_rep;
    char **keys;
    char *fingerprint;  /* the calibration's */
    size_t *particle;   /* [rep] */
    double *values;     /* [rep][key]: the values as set */
} wf_post_draws;
void wf_post_draws_free(wf_post_draws *d);  /* frees d too; NULL is fine */

struct wf_results {
    char err[1024];
    size_t n_scen, n_rep, n_days, n_orgs;   /* n_orgs includes "system" */
    char **org_names;
    const char **org_kinds;   /* wf_org_kind_name of each organisation's kind */
    char **scen_names;
    char **scen_yaml;     /* resolved scenario YAML per scenario, for results read from a file */
    char (*dates)[11];
    double *daily;    /* [scen][metric][rep][day][org] */
    double *summary;  /* [scen][metric][rep][org] */
    int64_t seed;
    int threads;
    uint64_t events;      /* events the run processed (all tasks) */
    wf_log_record **log;  /* [scen][rep] event logs, or NULL */
    size_t *log_n;
    bool complete;              /* every replicate stored (wf_run succeeded, or read from a file) */
    int64_t started, finished;  /* wall-clock times of the run, seconds since 1970 (UTC); 0: unknown */
    wf_post_draws *post;        /* a run's posterior draws, or NULL */
};

/* Shape the results for n scenarios of the system described by `c`. */
wf_status wf_results_shape(wf_results *r, const wf_config *c, const wf_config *const *scen, size_t n, size_t reps);
void wf_results_clear(wf_results *r);
/* Turn one replicate's accumulators (see wf_sim_run) into daily values and
 * summaries. Writes only (scenario, replicate) slots: safe in parallel. */
void wf_results_store(wf_results *r, size_t scen, size_t rep, const double *acc);
/* Give one replicate's event log to the results (takes ownership). */
wf_status wf_results_keep_log(wf_results *r, size_t scen, size_t rep, wf_log_record *log, size_t n);
/* Make room for event logs (before a parallel run). */
wf_status wf_results_log_prepare(wf_results *r);

/* The caller's write options (NULL: the defaults) as this library's struct
 * (write_options.c); WF_EINVAL, with a message in err, for a struct not set
 * up by wf_write_options_init or with options this library does not know. */
wf_status wf_write_options_take(wf_write_options *dst, const wf_write_options *opt, char *err, size_t errlen);

#endif
