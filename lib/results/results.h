/* The in-memory results: per scenario and metric, a [replicate][day][org]
 * block of daily values and a [replicate][org] block of summaries, laid out
 * so that the HDF5 writer copies each block as one dataset. */
#ifndef WF_RESULTS_H
#define WF_RESULTS_H

#include <stdbool.h>

#include "core/buf.h"
#include "params/config.h"
#include "winterflow.h"

/* The provenance attributes of a results file that wf_results_provenance
 * gives, by name (results.c); the last is the format number, as text. */
#define WF_NPROV 11
extern const char *const wf_prov_names[WF_NPROV];

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
    /* The daily series already encoded as the file stores them (stored.c),
     * when the ranks that computed them did it: chunk (scen, metric, rep)
     * is stored_len[i] bytes at stored_off[i] of stored[scen], i = (scen *
     * WF_NMETRIC + metric) * n_rep + rep; length 0: not there. NULL when
     * none: the writer encodes. */
    wf_buf *stored;
    uint64_t *stored_off;
    uint32_t *stored_len;
    bool complete;              /* every replicate stored (wf_run succeeded, or read from a file) */
    int64_t started, finished;  /* wall-clock times of the run, seconds since 1970 (UTC); 0: unknown */
    /* results read from a file: its provenance attributes (NULL: absent)
     * and scenario coordinates ([coord][scen] values) */
    char *prov[WF_NPROV];
    size_t n_coords;
    char **coord_names;
    double *coord_values;
    wf_post_draws *post;        /* a run's posterior draws, or NULL */
};

/* Shape the results for n scenarios of the system described by `c`. */
wf_status wf_results_shape(wf_results *r, const wf_config *c, const wf_config *const *scen, size_t n, size_t reps);
void wf_results_clear(wf_results *r);
/* Clear after a failure, keeping the message (a failed read leaves r empty). */
void wf_results_clear_failed(wf_results *r);
/* Turn one replicate's accumulators (see wf_sim_run) into daily values and
 * summaries. Writes only (scenario, replicate) slots: safe in parallel. */
void wf_results_store(wf_results *r, size_t scen, size_t rep, const double *acc);
/* Give one replicate's event log to the results (takes ownership). */
wf_status wf_results_keep_log(wf_results *r, size_t scen, size_t rep, wf_log_record *log, size_t n);
/* Make room for event logs (before a parallel run). */
wf_status wf_results_log_prepare(wf_results *r);

/* Packing (pack.c): the numbers of r, whose replicates are replicates
 * rep_first.. of a larger run, appended to out, for another process of the
 * same job (same machine type and winterflow) to unpack. With `stored`, the
 * daily series also travel encoded as the file stores them (stored.h), so
 * that the process that writes the file does not encode them (ignored
 * where the machine cannot encode). */
wf_status wf_results_pack(const wf_results *r, size_t rep_first, int stored, wf_buf *out);
/* Put packed numbers into scenarios scen_first.. of dst, at the replicates
 * they came from; dst is shaped (same days and organisations) with room for
 * them; stored chunks go to dst's stored form. Adds their event count.
 * WF_EINVAL, with a message, for bytes that are not such a pack or do not
 * fit; WF_ENOMEM. */
wf_status wf_results_unpack(wf_results *dst, size_t scen_first, const unsigned char *p, size_t len, char *err,
                            size_t errlen);

/* The caller's write options (NULL: the defaults) as this library's struct
 * (write_options.c); WF_EINVAL, with a message in err, for a struct not set
 * up by wf_write_options_init or with options this library does not know. */
wf_status wf_write_options_take(wf_write_options *dst, const wf_write_options *opt, char *err, size_t errlen);

/* wf_results_append for a sweep (h5_write.c): the file must hold exactly
 * the n_expect complete scenarios named expect, those the sweep saved, or
 * nothing is written (WF_EIO: another program changed or removed it). */
wf_status wf_results_append_expecting(wf_results *r, const wf_scenario *const *scenarios, size_t n,
                                      const char *path, const wf_write_options *opt, const char *const *expect,
                                      size_t n_expect);

#endif
