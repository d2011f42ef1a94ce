/*
 * winterflow: agent-based simulation of winter discharge pressure in health
 * and social care, under fragmented and integrated partnership configurations.
 *
 * The whole public API is this header. It reads top to bottom as the manual:
 *
 *   1. errors        every call returns a wf_status; the object that failed
 *                    keeps a message naming the file, line or key at fault.
 *   2. parameters    the one table of scenario keys (name, type, default,
 *                    bounds, unit, doc) that the loader, the CLI, Python and
 *                    the HDF5 provenance all read.
 *   3. scenarios     load YAML, override keys by path, validate.
 *   4. runs          scenarios x replicates on OpenMP threads, bit-identical
 *                    for any thread count, common random numbers across
 *                    scenarios.
 *   5. results       daily series and replicate summaries per organisation,
 *                    with means, 95% intervals and paired differences.
 *   6. results files HDF5 files that open as netCDF-4 / xarray datasets,
 *                    with full provenance, written atomically; read back
 *                    into a results object.
 *   7. designs and   grids, Latin hypercubes and CSV designs of points over
 *      sweeps        a scenario; sweeps that run them in chunks into one
 *                    results file, resumable.
 *   8. MPI           runs, sweeps and calibrations over the ranks of an MPI job
 *                    (mpirun, srun), with the same numbers and files as on
 *                    one process.
 *   9. calibration   fit a scenario to observed series (ABC-SMC); its
 *                    posterior drives runs and sweeps.
 *
 * A minimal program:
 *
 *     wf_scenario *s = wf_scenario_create();
 *     if (wf_scenario_load_file(s, "models/reference.yaml") != WF_OK ||
 *         wf_scenario_set(s, "partnership.preset", "integrated") != WF_OK) {
 *         fprintf(stderr, "%s\n", wf_scenario_error(s));
 *         ...
 *     }
 *     wf_results *r = wf_results_create();
 *     wf_run_options o;
 *     wf_run_options_init(&o, sizeof o);
 *     o.threads = 4;
 *     if (wf_run(r, (const wf_scenario *const[]){s}, 1, &o) != WF_OK)
 *         fprintf(stderr, "%s\n", wf_results_error(r));
 *     wf_stat st;
 *     wf_results_stat(r, 0, wf_metric_find("delayed_bed_days"),
 *                     wf_results_org_find(r, "system"), &st);
 *     wf_results_destroy(r);
 *     wf_scenario_destroy(s);
 *
 * Thread safety: the library has no global mutable state. Distinct objects
 * may be used from distinct threads at once; one object must not be used by
 * two threads at once. A const scenario may be shared by concurrent runs.
 */
#ifndef WINTERFLOW_H
#define WINTERFLOW_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; everything declared here is
 * its exported interface. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* WF_VERSION_MAJOR, _MINOR, _PATCH, WF_VERSION ("0.1.0") and
 * WF_VERSION_NUMBER (0.1.0 is 1000): the version of this header. */
#include "winterflow_version.h"

/* The version of the library actually linked, which may be newer than the
 * header a program was compiled with: wf_version() is "0.1.0",
 * wf_version_number() is WF_VERSION_NUMBER of that library. Also the
 * compiler and build flags the library was built with. */
const char *wf_version(void);
int wf_version_number(void);
const char *wf_build_info(void);

/* ------------------------------------------------------------------ */
/* 1. Errors                                                           */
/* ------------------------------------------------------------------ */

typedef enum wf_status {
    WF_OK = 0,
    WF_ENOMEM,     /* out of memory */
    WF_EIO,        /* a file could not be read or written */
    WF_EPARSE,     /* malformed YAML or a value that does not parse */
    WF_EKEY,       /* unknown key, or a reference to an organisation that does not exist */
    WF_ETYPE,      /* a value of the wrong type */
    WF_ERANGE,     /* a value outside its bounds, or shares that do not sum to 1 */
    WF_EINVAL,     /* an invalid argument to an API call */
    WF_ECANCELLED, /* stopped: the progress callback or a wf_cancel asked */
    WF_ERANK       /* another rank of an MPI job died, stopped answering or failed (section 8) */
} wf_status;

/* A short constant description of a status ("unknown key", ...). */
const char *wf_status_str(wf_status s);

/* Strings the library hands over (wf_scenario_to_yaml, wf_scenario_get,
 * ...) are freed with wf_free, never with the caller's free(): the library
 * and the program may not share one C runtime (a static build, another
 * language's loader). NULL is fine. */
void wf_free(void *p);

/* What the *_find calls return for a name they do not know. */
#define WF_NOT_FOUND ((size_t)-1)

/* Option structs (wf_run_options, wf_write_options, ...) begin with their
 * size, so that they can grow without breaking programs built against an
 * older header. Fill one with its *_init call, which sets `size` to
 * sizeof the struct as the caller was compiled (and every field to its
 * default), then change fields:
 *
 *     wf_run_options o;
 *     wf_run_options_init(&o, sizeof o);
 *     o.threads = 4;
 *
 * The library reads only the first `size` bytes and takes the defaults for
 * fields added after them; a struct from a newer header is accepted when
 * the fields this library does not know are zero (WF_EINVAL otherwise).
 * This is the Linux extensible-struct rule (clone3, openat2) and what
 * SQLite's versioned structs (iVersion in sqlite3_vfs, sqlite3_module) do;
 * libcurl instead keeps its options behind an opaque handle with
 * curl_easy_setopt, which costs a call and the compiler's type check for
 * every option. A struct keeps `o.threads = 4` typed and needs no
 * allocation; every field added later has 0 as its default. */

/* ------------------------------------------------------------------ */
/* 2. The parameter table                                              */
/* ------------------------------------------------------------------ */

/* The kinds of organisation, the one list every part of winterflow uses. A
 * scenario declares organisations of the first four kinds; results add the
 * whole "system". Results number organisations kind by kind in this order,
 * each kind in file order, then the system. */
typedef enum wf_org_kind {
    WF_ORG_HOSPITAL,   /* "hospital": an acute trust (hospitals.<hospital>) */
    WF_ORG_LOCALITY,   /* "locality": a council's area (localities.<locality>) */
    WF_ORG_COMMUNITY,  /* "community": a community provider (community.<community>) */
    WF_ORG_VOLUNTARY,  /* "voluntary": a voluntary service (voluntary.<voluntary>) */
    WF_ORG_SYSTEM,     /* "system": all of them together (results only) */
    WF_ORG_NKINDS
} wf_org_kind;

/* "hospital", "locality", "community", "voluntary", "system"; NULL out of range. */
const char *wf_org_kind_name(wf_org_kind kind);

/* One row per scenario key. Organisation names in a key are written as
 * "<hospital>", "<locality>", "<community>" or "<voluntary>": the key
 * "hospitals.<hospital>.beds" matches "hospitals.city.beds". */
typedef struct wf_param_info {
    const char *key;      /* e.g. "hospitals.<hospital>.beds" */
    const char *type;     /* "int", "real", "bool", "enum", "date", "list<real>", ... */
    const char *def;      /* default value as YAML text; NULL: required */
    double min, max;      /* numeric bounds (inclusive); NaN where none apply */
    const char *choices;  /* for enums: "queue|divert"; else NULL */
    const char *unit;     /* "days", "beds", "share", "GBP", ... or "" */
    const char *doc;      /* one line */
} wf_param_info;

size_t wf_param_count(void);
const wf_param_info *wf_param_at(size_t i);               /* NULL if out of range */
const wf_param_info *wf_param_find(const char *pattern);  /* by key pattern */
/* The row of a concrete key: "hospitals.city.beds" -> the row
 * "hospitals.<hospital>.beds" (any valid organisation name fits a
 * placeholder); NULL when no row matches. */
const wf_param_info *wf_param_for_key(const char *key);

/* ------------------------------------------------------------------ */
/* 3. Scenarios                                                        */
/* ------------------------------------------------------------------ */

typedef struct wf_scenario wf_scenario;

/* An empty scenario: every key at its default, no organisations.
 * Returns NULL only when out of memory. */
wf_scenario *wf_scenario_create(void);
void wf_scenario_destroy(wf_scenario *s);            /* NULL is fine */
wf_scenario *wf_scenario_clone(const wf_scenario *s); /* NULL when out of memory */

/* Load a YAML scenario file over what the scenario holds. A file may name a
 * base with "extends: other.yaml" (resolved relative to the file); the base
 * is loaded first and the file's keys override it. */
wf_status wf_scenario_load_file(wf_scenario *s, const char *path);
/* The same from text; `origin` names it in messages (e.g. "<string>"). */
wf_status wf_scenario_load_string(wf_scenario *s, const char *yaml, const char *origin);

/* Override one key by path with a value written as YAML:
 *   wf_scenario_set(s, "hospitals.city.beds", "900");
 *   wf_scenario_set(s, "partnership.funding_panel_weekdays", "[]");
 * The key must exist in the table (organisation names included). */
wf_status wf_scenario_set(wf_scenario *s, const char *key, const char *value);

/* Apply presets, check every key, bound, sum and reference, and that the
 * scenario can run (it has a hospital and a locality): every check wf_run
 * makes on a scenario. Called by wf_run; call it yourself to report
 * problems early. Reports the first problem. */
wf_status wf_scenario_validate(wf_scenario *s);

/* Every problem at once. A scenario normally stops at the first problem a
 * call finds. After wf_scenario_keep_going(s, 1), wf_scenario_load_file,
 * _load_string, _set and _validate go on past a problem with one key: the
 * key is left out, the problem recorded, the rest read and checked (a
 * check across keys, such as a sum, is skipped where one of its keys was
 * left out: it would only repeat the problem). The call still fails, with
 * the first problem's status and message (wf_scenario_error), but what
 * loaded stays loaded, so that validation can look for more. A problem
 * that leaves nothing to go on (a file that cannot be read, YAML that does
 * not parse, an `extends:` base that fails) still stops the call.
 * In keep-going mode wf_scenario_validate also adds warnings about a valid
 * scenario: legal settings that are probably not meant (docs/
 * scenario-schema.md, "Warnings"); they never make it fail. */
void wf_scenario_keep_going(wf_scenario *s, int on);
/* The problems of the last load, set or validate call, in the order found
 * (every mode; one at most without keep-going): each message as
 * wf_scenario_error gives it ("FILE:LINE:COL: KEY: problem"), and
 * *warning (when not NULL) 1 for a warning, 0 for an error. NULL past the
 * end. */
size_t wf_scenario_n_problems(const wf_scenario *s);
const char *wf_scenario_problem(const wf_scenario *s, size_t i, int *warning);

/* Set the name key to `name` as it is (no YAML quoting needed). */
wf_status wf_scenario_set_name(wf_scenario *s, const char *name);

/* The calls below read the scenario and leave it as it is: they take it
 * const. On failure they still record their message (wf_scenario_error),
 * so, as for every call, one scenario is not used by two threads at once. */

/* The resolved scenario (presets and overrides applied) as YAML text, every
 * parameter explicit. The caller frees it with wf_free(). NULL when invalid or
 * out of memory (see wf_scenario_error). */
char *wf_scenario_to_yaml(const wf_scenario *s);

/* One resolved parameter (presets and overrides applied) as YAML text,
 * e.g. wf_scenario_get(s, "partnership.preset") -> "integrated",
 * "hospitals.city.beds" -> "1395". The caller frees it with wf_free(). NULL
 * for an unknown key or organisation, or an invalid scenario (see
 * wf_scenario_error). */
char *wf_scenario_get(const wf_scenario *s, const char *key);

/* Every resolved parameter, in the order of wf_scenario_to_yaml: `visit`
 * gets the concrete key ("hospitals.city.beds"), the value as YAML flow
 * text ("1395", "[Tue, Thu]", "\"reference\""), and the key's row of the
 * table (row->type says how to read the value). Strings are valid only
 * during the call. A non-zero return from visit stops the walk, and this
 * returns WF_ECANCELLED; an invalid scenario gives its validation status. */
typedef int (*wf_param_visit)(void *user, const char *key, const char *value,
                              const wf_param_info *row);
wf_status wf_scenario_each_param(const wf_scenario *s, wf_param_visit visit, void *user);

/* The organisations a scenario declares, per kind, in file order
 * (kind WF_ORG_SYSTEM has none). */
size_t wf_scenario_org_count(const wf_scenario *s, wf_org_kind kind);
const char *wf_scenario_org_name(const wf_scenario *s, wf_org_kind kind, size_t i); /* NULL out of range */

/* The message of the last failed call on this scenario ("" if none). */
const char *wf_scenario_error(const wf_scenario *s);
/* The scenario's name key ("" if unset). */
const char *wf_scenario_name(const wf_scenario *s);

/* A new scenario for your own system, starting from the calibrated
 * reference (models/reference.yaml, built into the library): what
 * `winterflow init` writes. Declare the organisations, then ask for the
 * text: a complete, commented scenario in which every block but the
 * organisations is the reference's (with its notes on sources), and every
 * key of every organisation is written out, with the table's description
 * above it. Capacities and demand (keys in beds, places, packages, posts,
 * assessments/day, starts/day, admissions/day) are the reference's totals
 * scaled to the organisation's size; every other key is the reference's.
 * Admissions follow the population (emergency_admissions_per_day: null).
 * Sizes not given are chosen: docs/scenario-schema.md, "A new system". */
typedef struct wf_template wf_template;

wf_template *wf_template_create(void);                  /* NULL only when out of memory */
void wf_template_destroy(wf_template *t);               /* NULL is fine */
const char *wf_template_error(const wf_template *t);    /* "" if none */

/* An organisation of kind hospital, locality, community or voluntary,
 * named as in a scenario (letters, digits, '_', '-'; unique across kinds;
 * not "system"), in the order they will be written. `size`: a hospital's
 * G&A beds, a locality's residents, a community provider's intermediate
 * care beds, a voluntary service's places; NaN: chosen from the reference.
 * WF_EKEY for a bad or repeated name, WF_ERANGE for a size < 0. */
wf_status wf_template_add(wf_template *t, wf_org_kind kind, const char *name, double size);
/* The organisations of a CSV file (read as wf_design_read_csv reads one):
 * a header naming the columns kind and name, and optionally beds (for
 * hospitals), population (localities), intermediate_care_beds (community
 * providers) and places (voluntary services); one organisation a row. A
 * kind is hospital, locality (or council), community or voluntary. An
 * empty size is "not given"; a size in another kind's column is an error.
 * Errors name the line (WF_EPARSE; WF_EIO when it cannot be read). */
wf_status wf_template_read_csv(wf_template *t, const char *path);
/* The scenario's YAML text, named `name` (NULL: "new-system"), loaded and
 * validated before it is returned; free it with wf_free. A system needs a
 * hospital and a locality; without a community provider one named
 * "community" is added (pathway 2 needs one). NULL on failure
 * (wf_template_error says why). */
char *wf_template_yaml(wf_template *t, const char *name);

/* ------------------------------------------------------------------ */
/* 4. Runs                                                             */
/* ------------------------------------------------------------------ */

/* A cancellation flag. Request cancellation from another thread or from a
 * signal handler, and every run and sweep given the flag
 * (wf_run_options.cancel, wf_sweep_options.cancel) stops within a second,
 * inside a replicate too (the engine looks at it every few thousand
 * events), returning WF_ECANCELLED. The request stands until reset. */
typedef struct wf_cancel wf_cancel;

/* A calibration: its posterior can drive runs (section 9). */
typedef struct wf_calibration wf_calibration;

wf_cancel *wf_cancel_create(void);               /* NULL only when out of memory */
void wf_cancel_destroy(wf_cancel *c);            /* NULL is fine; not while a run uses it */
/* Set the flag: one store to a lock-free atomic, so async-signal-safe and
 * safe from any thread (the one exception to "one object, one thread"). */
void wf_cancel_request(wf_cancel *c);
int wf_cancel_requested(const wf_cancel *c);     /* non-zero once requested */
void wf_cancel_reset(wf_cancel *c);              /* clear it, to use it again */

/* The ranks of an MPI job (section 8); NULL in an option: one process. */
typedef struct wf_mpi wf_mpi;

typedef struct wf_run_options {
    size_t size;         /* sizeof(wf_run_options), set by wf_run_options_init */
    int replicates;      /* 0: the first scenario's run.replicates */
    int64_t seed;        /* < 0: the first scenario's run.seed */
    int threads;         /* 0: OpenMP's default (all cores) */
    /* Called from the calling thread's team after each replicate finishes,
     * serialised. Return non-zero to cancel the run (WF_ECANCELLED). */
    int (*progress)(void *user, size_t done, size_t total);
    void *user;
    /* Non-zero: keep the per-patient event log of the measured window
     * (wf_results_event_log). Costs about 24 bytes per event kept. */
    int event_log;
    /* Cancellation requested: stop (WF_ECANCELLED); NULL: none. */
    wf_cancel *cancel;
    /* An MPI job of more than one rank (section 8): the run is spread over
     * its ranks, each rank calling wf_run with the same arguments; rank 0
     * gets the results. NULL: this process alone. */
    wf_mpi *mpi;
    /* A calibration (section 9) whose posterior every replicate draws its
     * parameters from: replicate r takes the particle chosen by weight with
     * the stream keyed by (seed, r), the same in every scenario of the run,
     * and sets its values over each scenario (wf_results_posterior_draw).
     * A posterior key whose value differs between the scenarios is an
     * error (WF_EINVAL): it would erase what the scenarios compare. NULL:
     * none. */
    const wf_calibration *posterior;
} wf_run_options;

/* Every field at its default (above), and o->size = size, which must be
 * sizeof *o as the caller compiled it. WF_EINVAL for a size no version of
 * the struct had. */
wf_status wf_run_options_init(wf_run_options *o, size_t size);

typedef struct wf_results wf_results;

wf_results *wf_results_create(void);                 /* NULL only when out of memory */
void wf_results_destroy(wf_results *r);              /* NULL is fine */
const char *wf_results_error(const wf_results *r);   /* "" if none */

/* Run every scenario for the same replicates, seed and calendar. All
 * scenarios must share run.days, run.warmup_days, run.start_date and the
 * same organisations (they are configurations of one system).
 *
 * Random streams: replicate r of any scenario uses streams keyed by
 * (seed, r, entity): each locality's arrivals, each patient's own draws.
 * They do not depend on the scenario, the thread or the schedule, so the
 * scenarios are compared with common random numbers and the results are
 * bit-identical for any thread count. A scenario made of independent
 * systems (no patient crosses between them) runs its systems in parallel
 * too, within each replicate. See docs/model.md, "Random streams".
 *
 * Replaces whatever `r` held. */
wf_status wf_run(wf_results *r, const wf_scenario *const *scenarios, size_t n,
                 const wf_run_options *opt);

/* ------------------------------------------------------------------ */
/* 5. Results                                                          */
/* ------------------------------------------------------------------ */

/* The output metrics, named in docs/results-file.md. A metric is either a
 * total over its period ("admissions") or a mean level ("occupied_beds"). */
typedef enum wf_metric_kind { WF_METRIC_TOTAL, WF_METRIC_MEAN } wf_metric_kind;

size_t wf_metric_count(void);
const char *wf_metric_name(size_t m);
const char *wf_metric_unit(size_t m);
const char *wf_metric_doc(size_t m);
wf_metric_kind wf_metric_kind_of(size_t m);
/* Index of a metric by name, or WF_NOT_FOUND. */
size_t wf_metric_find(const char *name);
/* The metric name closest to a misspelt `name` ("delayed_beddays" ->
 * "delayed_bed_days"), for "did you mean" messages; NULL when none is
 * close. */
const char *wf_metric_suggest(const char *name);

/* The headline: the few system metrics a summary of a run leads with, in
 * order (delayed bed-days, NCTR patients and occupancy at 08:00, 12-hour
 * waits, cancelled electives, cost). wf_metric_headline(i) is the index of
 * the i-th, WF_NOT_FOUND past the last. */
size_t wf_metric_headline(size_t i);

/* Whose count an organisation's value is. A patient's hospital stay counts
 * at the hospital and again at the patient's home council, so that each
 * can see its own; summing both would count it twice. For metric m and an
 * organisation of `kind`:
 *   "organisation"  the organisation's own (where it happened, or what it
 *                   pays): the organisations with this perspective add up
 *                   to the system's value;
 *   "home_council"  the same patients again, by home council (localities,
 *                   for hospital and community metrics): the localities
 *                   add up to the system's value; never add them to the
 *                   organisations';
 *   "system"        the whole system (kind WF_ORG_SYSTEM);
 * NULL where the metric does not apply to the kind. ("Add up" is for
 * totals and mean levels; shares and percentiles never add.) */
const char *wf_metric_perspective(size_t m, wf_org_kind kind);

/* Organisations: the hospitals, localities, community providers and
 * voluntary services of the system in file order, then "system". */
size_t wf_results_n_scenarios(const wf_results *r);
size_t wf_results_n_replicates(const wf_results *r);
size_t wf_results_n_days(const wf_results *r);
size_t wf_results_n_orgs(const wf_results *r);
const char *wf_results_org_name(const wf_results *r, size_t org);
/* "hospital", "locality", "community", "voluntary" or "system". */
const char *wf_results_org_kind(const wf_results *r, size_t org);
size_t wf_results_org_find(const wf_results *r, const char *name); /* or WF_NOT_FOUND */
const char *wf_results_scenario_name(const wf_results *r, size_t scenario);
/* The resolved scenario (every parameter explicit, YAML) that produced
 * scenario i of results read from a file (wf_results_read); NULL for the
 * results of a run. To re-run it, load it with wf_results_load_scenario
 * (which reads no file the text names), not wf_scenario_load_string. */
const char *wf_results_scenario_yaml(const wf_results *r, size_t scenario);
/* The calendar date of measured day d, "YYYY-MM-DD" (NULL if out of range). */
const char *wf_results_date(const wf_results *r, size_t day);
int64_t wf_results_seed(const wf_results *r);
int wf_results_threads(const wf_results *r);
/* Events the run processed, all replicates and scenarios together (for
 * benchmarks: events per second). 0 for results read from a file. */
uint64_t wf_results_events(const wf_results *r);

/* Daily series of one metric: a [replicate][day][org] array of doubles,
 * contiguous, owned by `r`. NaN where a metric does not apply to an
 * organisation (or a mean has no observations that day). */
const double *wf_results_daily(const wf_results *r, size_t scenario, size_t metric);
/* Replicate summaries over the measured window: a [replicate][org] array.
 * Totals are sums over the window; means are time (or patient) averages. */
const double *wf_results_summary(const wf_results *r, size_t scenario, size_t metric);

/* The per-patient event log (wf_run_options.event_log): what happened to
 * whom, when, where. Within a replicate, records are in time order within
 * each part simulated apart (an independent system, or one system of
 * several that share patients), parts in organisation order. `patient` is the
 * patient's random-stream key: the same person has the same id in every
 * scenario of a run (common random numbers) and across readmissions. */
typedef enum wf_log_event {
    WF_LOG_ARRIVAL,     /* at ED needing a bed (org: hospital) */
    WF_LOG_ADMISSION,   /* takes a G&A bed (org: hospital) */
    WF_LOG_DIVERTED,    /* lost for want of a bed (org: hospital) */
    WF_LOG_AVOIDED,     /* managed by a virtual ward instead (org: community provider) */
    WF_LOG_MOFD,        /* medically optimised for discharge (pathway: need) */
    WF_LOG_ESCALATION,  /* deconditioning raised the need (pathway: new need) */
    WF_LOG_DISCHARGE,   /* leaves the acute bed (org: hospital; pathway) */
    WF_LOG_CARE_START,  /* starts home care, a care home or a community bed (org: its provider) */
    WF_LOG_READMISSION, /* back at ED within 30 days of discharge (org: hospital) */
    WF_LOG_NEVENT
} wf_log_event;

typedef struct wf_log_record {
    uint64_t patient;   /* stable patient id */
    double t;           /* days from run.start_date */
    int32_t org;        /* organisation index (wf_results_org_name) */
    uint8_t event;      /* wf_log_event */
    uint8_t pathway;    /* 0..3, or 255 where none applies */
    uint8_t episode;    /* admission number of this patient, from 0 */
    uint8_t elective;   /* 1 for an elective admission's episode */
} wf_log_record;

/* "arrival", "admission", ... (NULL if out of range). */
const char *wf_log_event_name(int event);
/* The log of one replicate of one scenario, n records (NULL, n = 0 when the
 * run kept no log). Owned by `r`. */
const wf_log_record *wf_results_event_log(const wf_results *r, size_t scenario, size_t replicate,
                                          size_t *n);

typedef struct wf_stat {
    double mean;      /* mean over replicates */
    double sd;        /* sample standard deviation over replicates */
    double lo, hi;    /* 95% confidence interval of the mean (Student t) */
    size_t n;         /* replicates with a value */
} wf_stat;

/* Mean and interval of a summary metric across replicates. Every metric is
 * a count, a level, a share or a cost, never negative, so the Student t
 * interval is cut at 0 below (lo = max(0, mean - t sd / sqrt(n))): the
 * true mean is >= 0, so the cut interval still covers it at least 95% of
 * the time. */
wf_status wf_results_stat(const wf_results *r, size_t scenario, size_t metric,
                          size_t org, wf_stat *out);
/* Paired difference (scenario b minus scenario a) across replicates that
 * shared their random numbers, with its 95% interval (Student t on the
 * per-replicate differences, which may be negative: not cut). */
wf_status wf_results_paired(const wf_results *r, size_t a, size_t b, size_t metric,
                            size_t org, wf_stat *out);
/* Mean and interval across replicates of one measured day's value of a
 * metric (wf_results_daily), as wf_results_stat gives them for the
 * summaries: the band of a plot over the winter. WF_EINVAL for a day out of
 * range. */
wf_status wf_results_daily_stat(const wf_results *r, size_t scenario, size_t metric,
                                size_t org, size_t day, wf_stat *out);

/* The posterior particle that replicate r of a run with
 * wf_run_options.posterior drew (the same in every scenario), or
 * WF_NOT_FOUND for a run without one (and for results read from a file:
 * the file records the draws in its group "posterior"). */
size_t wf_results_posterior_draw(const wf_results *r, size_t replicate);

/* ------------------------------------------------------------------ */
/* 6. Results files                                                    */
/* ------------------------------------------------------------------ */

/* Results are saved as HDF5 files that follow the netCDF-4 conventions, so
 * that xarray (engine "h5netcdf" or "netcdf4"), netCDF tools, h5py and
 * h5dump all read them. The layout, the provenance attributes and the
 * guarantees are documented in docs/results-file.md; in short (format 2):
 *
 *   /                 dimensions scenario (unlimited), replicate, day,
 *                     organisation, each with its coordinate variable; the
 *                     day coordinate is "days since <first measured day>"
 *                     so that dates decode; one variable per metric
 *                     (named in docs/results-file.md) with dims (scenario,
 *                     replicate, day, organisation); scenario_yaml (the
 *                     resolved scenario as YAML); scenario_complete;
 *                     provenance as attributes (version, build, seed,
 *                     replicates, threads, times, the rerun command).
 *                     Text (names, YAML) is stored as netCDF char arrays.
 *   /summary          the replicate summaries: the same metric names with
 *                     dims (scenario, replicate, organisation).
 *   /parameters/scenario_<i>
 *                     one attribute per resolved parameter of scenario i.
 *
 * Writing is atomic: the file is written to a temporary file in the same
 * folder (".<name>.tmp-<pid>-<n>"), flushed to disk and renamed over the
 * target only when complete. On any failure the temporary file is removed
 * and an existing target is left untouched. A writer killed outright (a
 * signal, a power cut) may leave its temporary file behind; the next write
 * into the same folder for the same name removes temporaries whose process
 * is gone.
 *
 * The datasets of a file are byte-identical for any thread count (all
 * HDF5 calls happen on the calling thread, after the run). The attributes
 * "created", "run_started", "run_finished", "threads" and "command_line"
 * record the occasion and differ between runs.
 *
 * Every dataset is stored in chunks with a Fletcher32 checksum, and the
 * file's metadata are checksummed (HDF5's 1.10 file format): damage is an
 * error when read, never a wrong number. Appending reads the old data back
 * first, so damage is found rather than copied.
 *
 * No call prints: HDF5's automatic error printing is switched off on the
 * calling thread for the duration of each call (and restored before it
 * returns). Errors are in wf_results_error(r), naming the path and what
 * failed, with the system's reason ("No space left on device") where there
 * is one. A write that fails on a full disk or a file-size limit (EFBIG)
 * removes its temporary file; a program should ignore SIGXFSZ (the CLI and
 * Python do) so that a file-size limit is an error rather than a signal.
 *
 * Threads: the HDF5 work of every call of this section (a write, an
 * append, a read) holds one process-wide mutex of the library, so calls
 * from several threads at once are safe on distinct objects (and on
 * distinct files: one writer per file, below), whether or not libhdf5 was
 * built thread-safe; they take turns at HDF5, not at running.
 * Process-wide, once: the writer registers its HDF5 file driver (HDF5's
 * driver table is process-wide), and the first call registers an exit
 * handler that keeps libhdf5's shutdown messages quiet. Nothing else of
 * this section keeps global state. */

/* One writer per results file. Every write of a results file holds the
 * file's lock: wf_results_write and wf_results_append for their duration,
 * a sweep from wf_sweep_open until wf_sweep_destroy, and a program that
 * wants to hold it for longer (over a run, so that a second writer is
 * refused before the run rather than after it) takes it with
 * wf_lock_acquire and hands it to the writes (wf_write_options.lock). A
 * second writer, in this process or another, is refused at once (WF_EIO,
 * its message naming the holder: process id, host, command line) or, when
 * asked to, waits until the holder is done.
 *
 * The lock is an advisory flock(2) lock on a file of its own beside the
 * results file, ".<name>.lock", not on the results file itself: a write
 * replaces the results file by renaming a new file over it, and a lock
 * held on the old file would not cover the new one. flock locks belong to
 * an open file (two opens in one process exclude each other, unlike
 * fcntl's record locks, which a process holds once for all its threads and
 * drops when any descriptor of the file is closed); the system drops them
 * when the holder exits or is killed, so a lock file left behind never
 * blocks anyone; on NFS Linux maps them onto the server's locks. The lock
 * file is removed on release. Readers (wf_results_read) take no lock: they
 * see the old file or the new one. */
typedef struct wf_lock wf_lock;

typedef struct wf_lock_options {
    size_t size;               /* sizeof(wf_lock_options), set by wf_lock_options_init */
    int wait;                  /* non-zero: wait while another writer holds the lock;
                                  0: refuse at once (WF_EIO) */
    wf_cancel *cancel;         /* requested while waiting: stop (WF_ECANCELLED); NULL: none */
    const char *command_line;  /* recorded in the lock for the message another writer
                                  gets; NULL: none */
} wf_lock_options;

/* no waiting, no cancel flag, no command line; o->size = size. */
wf_status wf_lock_options_init(wf_lock_options *o, size_t size);

wf_lock *wf_lock_create(void);                  /* NULL only when out of memory */
void wf_lock_destroy(wf_lock *l);               /* releases a lock held; NULL is fine */
const char *wf_lock_error(const wf_lock *l);    /* "" if none */
/* Take the write lock of the results file `path` (which need not exist;
 * its folder must be writable). WF_EIO: another writer holds it (the
 * message names it), or the lock file cannot be created (a read-only
 * folder, one that does not exist); WF_ECANCELLED: a wait was cancelled;
 * WF_EINVAL: l already holds a lock. opt NULL: the defaults. */
wf_status wf_lock_acquire(wf_lock *l, const char *path, const wf_lock_options *opt);
/* Release the lock (and remove its file); nothing when none is held. */
void wf_lock_release(wf_lock *l);

typedef struct wf_write_options {
    size_t size;              /* sizeof(wf_write_options), set by wf_write_options_init */
    int overwrite;            /* non-zero: replace an existing file (the CLI's --force);
                                 0: an existing file is an error (WF_EIO) */
    const char *command_line; /* recorded as the "command_line" attribute; NULL: none */
    int event_log;            /* write the run's per-patient event log (group event_log);
                                 the run must have kept one; not with wf_results_append */
    /* Values that describe each scenario (a sweep's swept values), written
     * as float64 coordinate variables on the scenario dimension (in the root
     * and summary groups; attributes long_name and key = the name), so that
     * xarray lists them as coordinates of every metric. coord_values is
     * [n_coords][n]: coord_values[c * n + s] for scenario s of this call
     * (NaN: no value). Names are netCDF names: a letter, digit or '_' first,
     * then no '/', space or control character (a key path such as
     * "partnership.pooled_capacity" is fine), distinct and not a name the
     * layout uses. wf_results_append must give the same names, in the same
     * order, as the file holds (none for a file written without them). */
    size_t n_coords;
    const char *const *coord_names;
    const double *coord_values;
    /* The file's lock, already held by the caller (wf_lock_acquire on the
     * same file): the write uses it. NULL: the write takes the lock itself
     * and releases it before it returns. */
    wf_lock *lock;
    /* Taking the lock itself: non-zero waits while another writer holds
     * it; 0 refuses at once (WF_EIO). */
    int wait_lock;
} wf_write_options;

/* overwrite 0, no command line, no event log, no coordinates, the lock
 * taken and refused at once; o->size = size (sizeof *o as the caller
 * compiled it). */
wf_status wf_write_options_init(wf_write_options *o, size_t size);

/* Write the results of a completed wf_run to `path`. `scenarios` are the n
 * scenarios that were run (n == wf_results_n_scenarios(r), in the same
 * order); their resolved YAML and parameters are stored as provenance.
 * opt NULL: the defaults of wf_write_options_init. The file's write lock
 * is held throughout (opt->lock, or taken here). Returns WF_EIO (file
 * exists, another writer holds the lock, folder not writable, disk full,
 * an HDF5 failure), WF_EINVAL (results not from a completed run, scenarios
 * that do not match) or WF_ENOMEM. */
wf_status wf_results_write(wf_results *r, const wf_scenario *const *scenarios, size_t n,
                           const char *path, const wf_write_options *opt);

/* Add the scenarios of `r` to an existing results file (or create it when
 * it does not exist). The run must match the file's replicates, seed, days,
 * start date, organisations and coordinate names, so that all scenarios in
 * the file share their random numbers (else WF_EIO, the file untouched).
 * The file must be of the current format; its data are read back (checked)
 * before they are copied. What is in the file is not recomputed; the new file
 * (old scenarios, then the new ones) replaces the old one atomically, as
 * for wf_results_write, and opt->overwrite is not needed. */
wf_status wf_results_append(wf_results *r, const wf_scenario *const *scenarios, size_t n,
                            const char *path, const wf_write_options *opt);

/* Load a results file into `r` (replacing what it held), so that every
 * call of section 5 works on it: names, dates, daily series, summaries,
 * wf_results_stat and wf_results_paired. Only scenarios marked complete are
 * loaded. A metric the file lacks reads as NaN. On failure `r` is empty.
 *
 * The file is not trusted (it may come from anyone): every dimension,
 * type and attribute is checked before memory is sized, checksums are
 * verified, no other file is opened, and a file that fails any check gives
 * WF_EIO with a message naming the object ("results.h5: scenario_complete:
 * 3 entries for 2 scenarios"). Files of format 1 (winterflow 0.1.0 before
 * checksums) are read too. */
wf_status wf_results_read(wf_results *r, const char *path);

/* Read n results files as one: the parts of one sweep (`sweep --part K/N`,
 * wf_design_part: one file per job of a job array) or any files of one
 * study. Each file is read and checked as wf_results_read checks one; then
 * every file must have the first's organisations, days, replicates, seed
 * and scenario coordinates (else WF_EINVAL naming the file and what
 * differs), and no scenario name may be in two files (a file given twice).
 * The scenarios follow in the order of the files. Provenance: the first
 * file's, but the earliest `run_started`, the latest `run_finished`, every
 * distinct `command_line` (one a line) and every `rerun` (joined by "&&").
 * n == 1 is wf_results_read. On failure `r` is empty. */
wf_status wf_results_read_parts(wf_results *r, const char *const *paths, size_t n);

/* Load stored scenario i of results read from a file (the YAML of
 * wf_results_scenario_yaml) into `s`, over what it holds, as
 * wf_scenario_load_string does, except that the text may name no file: a
 * stored scenario is resolved and self-contained, so an `extends:` key in
 * it is refused (WF_EKEY) and never read. `origin` names the text in
 * messages (e.g. "results.h5#0"; NULL: "stored scenario <i>"). Errors are in
 * wf_scenario_error(s); WF_EINVAL when `r` holds no stored scenario i. */
wf_status wf_results_load_scenario(const wf_results *r, size_t scenario, wf_scenario *s, const char *origin);

/* The provenance of results read from a file (docs/results-file.md,
 * "Provenance"), a root attribute by name, as text: "winterflow_version",
 * "winterflow_build_info", "hdf5_version", "created", "run_started",
 * "run_finished", "command_line", "rerun", "start_date", "end_date", and
 * "winterflow_file_format" (the format number). NULL for a name not in
 * this list, an attribute the file lacks, or the results of a run. Owned
 * by `r`. (Seed and replicates: wf_results_seed, wf_results_n_replicates.) */
const char *wf_results_provenance(const wf_results *r, const char *name);

/* The scenario coordinates of results read from a file (a sweep's numeric
 * keys, wf_write_options.coord_names): how many, each one's name, and its
 * values, one per scenario (wf_results_n_scenarios; NaN where a scenario
 * has none). None for the results of a run; NULL out of range. */
size_t wf_results_n_coords(const wf_results *r);
const char *wf_results_coord_name(const wf_results *r, size_t coord);
const double *wf_results_coord_values(const wf_results *r, size_t coord);
/* ------------------------------------------------------------------ */
/* 7. Designs and sweeps                                               */
/* ------------------------------------------------------------------ */

/* A design is a table of points x keys. Each point is one configuration of
 * a base scenario: the scenario with the point's values set (as
 * wf_scenario_set sets them: YAML text), or the scenario's own value where
 * a cell is NULL. A design is either built from factors, crossed into the
 * full grid (the first factor varies slowest, the last fastest) and
 * optionally sampled by a Latin hypercube, or given point by point (a CSV
 * file, or wf_design_add_point); the two do not mix.
 *
 * Every point has a label, by the one rule all of winterflow uses: the
 * point's own label if it was given one; else its value alone when the
 * design has one key ("integrated"); else "key=value" for each key with a
 * value, joined by ", " ("hospitals.city.beds=900, partnership.preset=
 * integrated"); a point with no values is "scenario N" (N from 1). A label
 * that an earlier point already has gets " #2", " #3", ... so labels are
 * unique. The library checks keys, types and bounds when a point is
 * applied to a scenario, not when the design is built. */
typedef struct wf_design wf_design;

#define WF_DESIGN_MAX_POINTS 100000  /* points of one design */
#define WF_DESIGN_MAX_KEYS 4096      /* keys of one design (factors, CSV columns) */

wf_design *wf_design_create(void);                 /* NULL only when out of memory */
void wf_design_destroy(wf_design *d);              /* NULL is fine */
const char *wf_design_error(const wf_design *d);   /* "" if none */

/* A factor written as text, as the CLI's --vary takes it:
 *   "KEY=a,b,c"       a list of values (YAML text; commas inside [], {} or
 *                     quotes do not split): "partnership.preset=fragmented,integrated"
 *   "KEY=lo:hi:step"  a range, hi included: "hospitals.city.beds=1000:1200:50"
 *                     is 5 values, written with the decimals the text has
 *   "KEY=lo:hi"       a range without a step, for a Latin hypercube only
 * WF_EPARSE for text that is none of these; WF_EINVAL for a key given
 * twice, an empty value, lo > hi, a step <= 0 or more than
 * WF_DESIGN_MAX_POINTS values. */
wf_status wf_design_vary(wf_design *d, const char *spec);
/* A list factor: n values as YAML text. */
wf_status wf_design_add_values(wf_design *d, const char *key, const char *const *values, size_t n);
/* A range factor [lo, hi]: step > 0 as "KEY=lo:hi:step", step 0 as
 * "KEY=lo:hi"; values are written with the decimals that lo, hi and step
 * need (0.25 -> 2). */
wf_status wf_design_add_range(wf_design *d, const char *key, double lo, double hi, double step);
/* Sample the ranges by a Latin hypercube of `samples` points: each range is
 * cut into `samples` equal strata, each used once, at a uniform point
 * within it (snapped down to the range's step if it has one; rounded for
 * keys of type int; else 6 significant digits). The points are crossed
 * with the list factors. They come from the library's counter-based
 * random streams keyed by `seed`: a sweep passes its run seed, so the same
 * sweep gives the same points. */
wf_status wf_design_lhs(wf_design *d, size_t samples, uint64_t seed);
/* One point: n keys and their values (YAML text; NULL: the scenario's
 * value), and its label (NULL: by the rule). Keys not seen before become
 * new keys of the design, NULL in earlier points. */
wf_status wf_design_add_point(wf_design *d, const char *label, const char *const *keys,
                              const char *const *values, size_t n);
/* Points from a CSV file (RFC 4180, read with libcsv): a header line of
 * keys, then one point per row; fields may be quoted ("[Tue, Thu]", with ""
 * for a quote) and span lines; an empty field keeps the scenario's value;
 * a UTF-8 byte-order mark, CRLF line ends and blank lines are fine. A NUL
 * byte, a quote left open, a row with another number of fields than the
 * header, more than WF_DESIGN_MAX_KEYS columns or WF_DESIGN_MAX_POINTS
 * rows are errors naming the line (WF_EPARSE); WF_EIO when the file cannot
 * be read. Each point remembers its line for later messages. */
wf_status wf_design_read_csv(wf_design *d, const char *path);

/* Check the design as a whole and build its points (a grid range without a
 * step, a hypercube without a range, no points, more than
 * WF_DESIGN_MAX_POINTS: WF_EINVAL). Adding to a design undoes this. */
wf_status wf_design_validate(wf_design *d);

/* Keep only part `part` (1 .. parts) of a validated design's points: the
 * points (part-1)*n/parts .. part*n/parts - 1 of its n, in order, so that
 * the parts' sizes differ by at most one and together hold every point
 * once. For a study cut into jobs (a Slurm job array: job K sweeps part K
 * into its own file): the points keep their values, labels, names and
 * numbers in messages, and a key stays numeric (a coordinate) as in the
 * whole design, so the parts' files read together as the whole sweep's.
 * WF_EINVAL when part is not in 1 .. parts or parts exceeds the points.
 * Validating again gives back the whole design. */
wf_status wf_design_part(wf_design *d, size_t part, size_t parts);

/* After wf_design_validate (0 / NULL before): */
size_t wf_design_n_points(const wf_design *d);
size_t wf_design_n_keys(const wf_design *d);
const char *wf_design_key(const wf_design *d, size_t k);
/* The value of key k at a point (YAML text), NULL where the point keeps
 * the scenario's value. */
const char *wf_design_value(const wf_design *d, size_t point, size_t k);
/* The point's label (the rule above). */
const char *wf_design_label(const wf_design *d, size_t point);
/* Whether every value of key k is a number (a sweep writes such keys as
 * coordinates of the scenario dimension in its results file). */
int wf_design_numeric(const wf_design *d, size_t k);
/* The point's scenario: a copy of `base` with the point's values set, in
 * key order, and named by its label. Not validated. On failure (an unknown
 * key, a value of the wrong type or out of bounds: the status of
 * wf_scenario_set) *out is NULL and wf_design_error names the point, where
 * it came from (a CSV line) and the scenario's message. */
wf_status wf_design_scenario(wf_design *d, size_t point, const wf_scenario *base,
                             wf_scenario **out);

/* A sweep runs every point of a design over a base scenario, with common
 * random numbers (all points share the replicates and the seed), and saves
 * the results in one results file as it goes: the points run in chunks,
 * each chunk appended to the file (wf_results_append: the file on disk is
 * always complete) while the next chunk runs, so an interrupted sweep keeps
 * every saved chunk and the same sweep opened again runs only the rest.
 * The file's datasets do not depend on the chunks, the threads or the
 * interruptions.
 *
 * Points are named "<label> #<fingerprint>": the fingerprint hashes the
 * resolved base scenario, the point's values and the replicates and seed
 * options, so that a file can be recognised as this sweep's. Keys whose
 * values are all numbers (wf_design_numeric) are written as float64
 * coordinates of the scenario dimension.
 *
 * For other drivers (several processes, a cluster) the sweep is a list of
 * tasks: a task is a range of points with all their replicates, computed
 * anywhere by wf_sweep_run_points (the result does not depend on where or
 * with how many threads) and saved by wf_sweep_save in point order. */
typedef struct wf_sweep wf_sweep;

typedef struct wf_sweep_options {
    size_t size;          /* sizeof(wf_sweep_options), set by wf_sweep_options_init */
    int replicates;       /* 0: the base scenario's run.replicates */
    int64_t seed;         /* < 0: the base scenario's run.seed */
    int threads;          /* 0: OpenMP's default (all cores) */
    /* Points per saved chunk. 0: automatic: first two per thread; then
     * about 30 s of work, or as many points as have run so far if more
     * (each save copies the file, so growing chunks bound the copying), but
     * at most about 10 minutes of work (what an interruption may lose) and
     * at most half of what remains (the last save overlaps nothing). */
    size_t chunk;
    /* Non-zero: replace the file (it stays until the first chunk is saved);
     * 0: the file, if it exists, must hold the first points of this sweep
     * (they are kept and not run again). */
    int overwrite;
    const char *command_line;  /* recorded in the file; NULL: none */
    wf_cancel *cancel;         /* requested: stop (WF_ECANCELLED); saved chunks stay */
    /* Called as replicates finish, from the run's threads, serialised:
     * done and total count replicates over the whole sweep, those of points
     * the file already held counted as done. Non-zero: stop. */
    int (*progress)(void *user, size_t done, size_t total);
    /* Called on the calling thread with the results of points first ..
     * first + wf_results_n_scenarios(r) - 1: once for the points the file
     * already held (as read from it), then for each chunk when it has run.
     * r is valid only during the call. Non-zero: stop. */
    int (*chunk_done)(void *user, const wf_results *r, size_t first);
    void *user;
    /* The file's lock, taken by wf_sweep_open and held until
     * wf_sweep_destroy: non-zero waits while another writer holds it
     * (cancel stops the wait); 0 refuses at once (WF_EIO). */
    int wait_lock;
    /* An MPI job of more than one rank (section 8): every rank opens and
     * runs the same sweep; the points are spread over the ranks and rank 0
     * writes the file. NULL: this process alone. */
    wf_mpi *mpi;
    /* Draw each replicate's parameters from this calibration's posterior
     * (as wf_run_options.posterior); a design key that the posterior sets
     * is an error. Recorded in the file and in the points' fingerprints.
     * NULL: none. */
    const wf_calibration *posterior;
    /* With mpi: the files written at once, one per writing rank (0 or 1:
     * rank 0 writes the one file). The ranks split into `writers` groups of
     * consecutive ranks; group k sweeps part k of `writers` of the design
     * (wf_design_part) into a file of its own, named after `path`:
     * "study.h5" -> "study-part-1-of-4.h5" .. (wf_sweep_file), with its
     * first rank writing and all its ranks computing. For a job bigger than
     * one writing rank keeps up with (docs/cluster.md); the parts read as
     * one (wf_results_read_parts). Each part resumes on its own; the sweep
     * ends when every part has (wf_sweep_run agrees over the whole job). */
    int writers;
} wf_sweep_options;

/* replicates and seed from the scenario, all threads, automatic chunks,
 * continue the file, nothing else; o->size = size. */
wf_status wf_sweep_options_init(wf_sweep_options *o, size_t size);

wf_sweep *wf_sweep_create(void);                  /* NULL only when out of memory */
void wf_sweep_destroy(wf_sweep *sw);              /* NULL is fine */
const char *wf_sweep_error(const wf_sweep *sw);   /* "" if none */

/* Prepare the sweep of `design` (validated) over `base` into `path`. The
 * file's write lock is taken first and held until wf_sweep_destroy (WF_EIO
 * naming the holder when another writer has it). Every point's scenario is
 * built, validated and named now, so an unknown key or a value out of
 * bounds is reported before anything runs (its status, and a message
 * naming the point). An existing file is read: unless
 * overwrite, it must hold the first points of this sweep (WF_EIO, naming
 * the first point that differs, if it holds another sweep or is not a
 * results file). base, design and opt are copied. */
wf_status wf_sweep_open(wf_sweep *sw, const wf_scenario *base, const wf_design *design,
                        const char *path, const wf_sweep_options *opt);
size_t wf_sweep_n_points(const wf_sweep *sw);
size_t wf_sweep_n_saved(const wf_sweep *sw);             /* points in the file */
const char *wf_sweep_point_name(const wf_sweep *sw, size_t point);
/* The files of the sweep: 1, its path; with several writers, one per part,
 * in part order (rank 0 writes file 0). With several writers the points,
 * names and saved points above are those of this rank's part. */
size_t wf_sweep_n_files(const wf_sweep *sw);
const char *wf_sweep_file(const wf_sweep *sw, size_t k);

/* Run every point the file lacks, in chunks, each saved as soon as it has
 * run (on a thread of the library's while the next chunk runs; the sweep
 * waits for the save in flight before it returns, whatever happens).
 * Each save first checks that the file still holds exactly the points
 * this sweep has saved (WF_EIO, nothing added, if another program changed
 * or removed it). WF_OK when the file holds every point; WF_ECANCELLED
 * when stopped (wf_sweep_n_saved says how far it got); a run's or a save's
 * status. */
wf_status wf_sweep_run(wf_sweep *sw);

/* One task: run points first .. first + n - 1 into r (any thread, several
 * at once on one sweep; errors in wf_results_error(r)). */
wf_status wf_sweep_run_points(const wf_sweep *sw, size_t first, size_t n, wf_results *r);
/* Save the results of a task to the file: r must hold points
 * wf_sweep_n_saved(sw) onwards (results are appended in point order). */
wf_status wf_sweep_save(wf_sweep *sw, size_t first, wf_results *r);

/* ------------------------------------------------------------------ */
/* 8. MPI: runs, sweeps and calibrations over the ranks of a job      */
/* ------------------------------------------------------------------ */

/* A program started by an MPI launcher (mpirun -n N, srun) runs as N
 * processes, the ranks 0 .. N-1. Every rank runs the same program with the
 * same arguments; given a wf_mpi in its options, wf_run, wf_sweep_run and
 * wf_calibration_run spread their work over the ranks: tasks of scenarios
 * x replicates (a calibration's: of a generation's points), handed out one
 * at a time as ranks become free, each computed on the rank's threads.
 * Rank 0 hands them out, computes some too, and gathers the results:
 * wf_run's results exist on rank 0 only (the other ranks' results are
 * empty), and a sweep's or a calibration's file is written by rank 0 only
 * (every rank holds the calibration's state). The numbers,
 * and so the files, are the same as on one process, for any number of
 * ranks and threads (the random streams are keyed by seed, replicate and
 * entity).
 *
 * Every rank must make the same calls in the same order: a call that
 * spreads work over the ranks is collective. A rank that fails on its own
 * (a file it cannot read) stops the others cleanly: their calls return
 * WF_ERANK, and wf_mpi_finish names the rank and its message. A rank that
 * dies (killed, out of memory) makes rank 0 stop with WF_ERANK, naming it,
 * after the save in flight; what is saved stays, and the sweep opened again
 * (on any number of ranks) runs only the rest. A wf_cancel requested on
 * any rank (the program's SIGINT or SIGTERM handler: mpirun sends SIGTERM
 * to every rank on Ctrl-C, Slurm at a time limit) stops every rank:
 * WF_ECANCELLED on all.
 *
 * Threads: rank 0 talks MPI from the thread that called wf_mpi_join
 * (MPI_THREAD_FUNNELED); its callbacks (progress, chunk_done) are called
 * on threads of the library, never two at once. See docs/cluster.md. */

/* 1 when this library was built with MPI (CMake option WF_MPI), else 0:
 * then every job is one process, and wf_mpi_join refuses to run as one
 * rank of several. */
int wf_mpi_available(void);

wf_mpi *wf_mpi_create(void);                 /* NULL only when out of memory */
/* Join the MPI job this process was started in: MPI_Init_thread when an
 * MPI launcher started it (its environment says so: OMPI_COMM_WORLD_SIZE,
 * PMI_SIZE, PMIX_RANK; WINTERFLOW_MPI=1 forces MPI, =0 keeps it off), else
 * nothing: a job of one rank. Call it once per process, from the thread
 * that will make the spreading calls, before any of them. WF_EINVAL when
 * the process is one rank of several but the library has no MPI (every
 * rank would run the whole job), or MPI cannot be started. */
wf_status wf_mpi_join(wf_mpi *m);
int wf_mpi_rank(const wf_mpi *m);            /* 0 .. size-1; 0 for NULL */
int wf_mpi_size(const wf_mpi *m);            /* ranks of the job; 1 for NULL */
const char *wf_mpi_error(const wf_mpi *m);   /* "" if none */
/* The end of the job, collective: every rank gives its exit status (0:
 * success) and, when not 0, its message. Returns on every rank the job's
 * status: rank 0's when not 0, else the first failing rank's, whose rank
 * and message are then in wf_mpi_error (for rank 0 to report). */
int wf_mpi_finish(wf_mpi *m, int status, const char *message);
/* Leave MPI (MPI_Finalize after wf_mpi_finish; MPI_Abort when a rank died
 * or finish was not called, which ends the whole job) and free m. NULL is
 * fine. */
void wf_mpi_destroy(wf_mpi *m);

/* ------------------------------------------------------------------ */
/* 9. Calibration                                                      */
/* ------------------------------------------------------------------ */

/* A calibration fits a scenario to a system's own observed series and
 * keeps how sure the fit is: approximate Bayesian computation by sequential
 * Monte Carlo (ABC-SMC), in the adaptive form of Lenormand, Jabot and
 * Deffuant (2013) with the importance weights and kernel of Beaumont et al.
 * (2009). In full in docs/calibrate.md; in short:
 *
 *   prior        uniform over each varied key's range ("KEY=lo:hi", within
 *                the key's bounds); int keys are rounded when set.
 *   generation 0 particles / keep points drawn from the prior.
 *   generation g particles / keep - particles new points: each a particle of
 *                the last population, chosen by weight, moved by a Gaussian
 *                kernel with twice the population's weighted covariance
 *                (drawn again while outside the prior's box), and weighted
 *                prior density / the kernel mixture's density.
 *   tolerance    the `particles` nearest of the last population and the new
 *                points form the next population; the tolerance is the
 *                largest distance among them (the `keep` quantile).
 *   stop         once the share of new points that came within the last
 *                tolerance (the acceptance) falls below min_acceptance
 *                (converged), or when the next generation would pass the
 *                budget of simulations.
 *
 * Each point runs `replicates` replicates. By default every point has
 * random numbers of its own (streams keyed by the seed, the generation and
 * the point), as ABC assumes: a point's distance then carries the model's
 * chance as well as its parameters, and the posterior the uncertainty of
 * both. With common_random_numbers every point runs the same replicates
 * (0 .. replicates - 1 of the seed), so that points differ by their
 * parameters only: distances are smoother and the search faster, but the
 * posterior is conditional on those few realisations, narrower than the
 * data warrant (docs/calibrate.md measures by how much). A point's
 * distance to the data: each observed series (one metric at one
 * organisation, by day, month or span) contributes the mean over its rows
 * of ((simulated - observed) / scale)^2, where simulated is the mean over
 * replicates and scale is the
 * series' observed variability, 1.4826 x the median absolute deviation of
 * its values, at least 5% of their median absolute value (1 where that is
 * 0); the distance is the square root of the mean over series, so that
 * each series counts once whatever its length.
 *
 * Every random draw comes from the library's counter-based streams keyed
 * by the seed, the generation and the point: the result is the same for
 * any thread count, and a calibration interrupted and continued ends as one
 * that ran through. The state is saved in the calibration file after each
 * generation (atomically, as results files are); opening the same
 * calibration on the file continues from it. */

#define WF_CALIBRATION_MAX_KEYS 64         /* varied keys */
#define WF_OBSERVED_MAX_ROWS 100000        /* rows of an observed file */

/* Observed data: a CSV file (RFC 4180, read with libcsv as design files
 * are) with the header `date,organisation,metric,value` and one row per
 * observation:
 *   date          YYYY-MM-DD, a day of the scenario's measured window;
 *                 YYYY-MM, a month wholly inside it; or a span of days,
 *                 YYYY-MM-DD/YYYY-MM-DD (ISO 8601, both ends included) inside
 *                 it. Over a month or a span, totals are summed over the
 *                 days and means averaged over them.
 *   organisation  an organisation of the scenario, or "system"
 *   metric        an output metric (wf_metric_name) that applies to that
 *                 organisation, or the ratio of two, "A/B", each taken over
 *                 the period first ("nctr_patients_8am/occupied_beds"); not
 *                 a percentile over a month or span, nor a flag
 *   value         a finite number
 * A row's series is its metric, organisation and period (day, month or
 * span).
 * Errors name the file and line (WF_EPARSE): a malformed file, another
 * header, an unknown metric or organisation, a date outside the window, a
 * row given twice (naming the first), a value that is not a number. Dates,
 * organisations and metrics are checked against the scenario by
 * wf_calibration_open. */

typedef struct wf_calibration_options {
    size_t size;           /* sizeof(wf_calibration_options), set by wf_calibration_options_init */
    size_t budget;         /* simulations at most (one replicate of one point is one); 0: 4000 */
    size_t particles;      /* the population; 0: 100 */
    double keep;           /* share of a generation's points kept, 0 < keep < 1; 0: 0.5 */
    double min_acceptance; /* stop once the acceptance falls below it; 0: 0.05 */
    int replicates;        /* replicates of each point; 0: 2 */
    int64_t seed;          /* < 0: the scenario's run.seed */
    int threads;           /* 0: OpenMP's default (all cores) */
    int common_random_numbers; /* non-zero: every point runs the same replicates (above) */
    /* Non-zero: start afresh over an existing file; 0: an existing file must
     * hold this calibration (same scenario, data, ranges, seed, replicates,
     * particles, keep and common random numbers: the budget and
     * min_acceptance may differ), which
     * then continues from its last generation. */
    int overwrite;
    const char *command_line;  /* recorded in the file; NULL: none */
    wf_cancel *cancel;         /* requested: stop (WF_ECANCELLED); saved generations stay */
    /* Called as replicates finish, from the run's threads, serialised: done
     * counts simulations of the whole calibration, total is the budget.
     * Non-zero: stop. */
    int (*progress)(void *user, size_t done, size_t total);
    /* Called on the calling thread after each generation is saved (and
     * once, at the start, for what the file held). Non-zero: stop. */
    int (*generation_done)(void *user, const wf_calibration *c);
    void *user;
    /* The MPI job to spread each generation's simulations over (section
     * 8); NULL: this process. Every rank opens and runs the same
     * calibration; rank 0 alone reads and writes the file and calls
     * progress and generation_done (it decides to stop between
     * generations, and the other ranks' wf_calibration_run then return
     * WF_ERANK); every rank ends with the same state, that of one process. */
    wf_mpi *mpi;
} wf_calibration_options;

/* The defaults above; o->size = size. */
wf_status wf_calibration_options_init(wf_calibration_options *o, size_t size);

wf_calibration *wf_calibration_create(void);             /* NULL only when out of memory */
void wf_calibration_destroy(wf_calibration *c);           /* NULL is fine */
const char *wf_calibration_error(const wf_calibration *c); /* "" if none */

/* A varied key and its uniform prior, "KEY=lo:hi": a key of type int or
 * real, lo < hi, both within the key's bounds. WF_EPARSE for other text,
 * WF_EKEY for an unknown key, WF_ETYPE for a key of another type,
 * WF_ERANGE for a range outside its bounds, WF_EINVAL for a key given
 * twice or more than WF_CALIBRATION_MAX_KEYS keys. */
wf_status wf_calibration_vary(wf_calibration *c, const char *spec);
/* Read the observed data (the format above), replacing any read before. */
wf_status wf_calibration_observe(wf_calibration *c, const char *csv_path);

/* Prepare the calibration of `base` (copied) to the observed data over the
 * varied keys, saving into `path` (NULL: nothing is saved, nothing can be
 * continued). Checks the data against the scenario and the ranges' ends
 * (each set and validated), and reads an existing file (see
 * overwrite): WF_EIO naming what differs when it holds another
 * calibration. */
wf_status wf_calibration_open(wf_calibration *c, const wf_scenario *base, const char *path,
                              const wf_calibration_options *opt);
/* Run generations until converged or the budget is spent. WF_OK when
 * stopped by either; WF_ECANCELLED when stopped by the cancel flag or a
 * callback (the last saved generation stays, in the object and the file). */
wf_status wf_calibration_run(wf_calibration *c);
/* Load a calibration file, to look at it or to draw from its posterior.
 * The file is not trusted: shapes, sizes and checksums are checked and no
 * other file is opened (WF_EIO naming the object at fault). */
wf_status wf_calibration_read(wf_calibration *c, const char *path);

/* After wf_calibration_run or _read (0, NULL or WF_EINVAL before): */
size_t wf_calibration_n_keys(const wf_calibration *c);
const char *wf_calibration_key(const wf_calibration *c, size_t k);

typedef struct wf_estimate {
    double mean, sd;          /* weighted, over the population */
    double lo, hi;            /* 90% credible interval: the 5% and 95% weighted quantiles */
    double prior_lo, prior_hi;
} wf_estimate;
wf_status wf_calibration_estimate(const wf_calibration *c, size_t k, wf_estimate *out);

/* The population: n particles, values [particle][key] as the sampler holds
 * them (int keys unrounded), and weights summing to 1. Owned by `c`. */
size_t wf_calibration_n_particles(const wf_calibration *c);
const double *wf_calibration_particles(const wf_calibration *c);
const double *wf_calibration_weights(const wf_calibration *c);

/* Convergence, one entry per generation. */
typedef struct wf_generation {
    double tolerance;     /* the population's largest distance */
    double acceptance;    /* share of the new points within the last tolerance (1 in generation 0) */
    double ess;           /* effective sample size of the weights, 1 / sum w^2 */
    size_t simulations;   /* simulations so far, this generation's included */
} wf_generation;
size_t wf_calibration_n_generations(const wf_calibration *c);
wf_status wf_calibration_generation(const wf_calibration *c, size_t g, wf_generation *out);
size_t wf_calibration_simulations(const wf_calibration *c);
/* 1: stopped because the acceptance fell below min_acceptance; 0: not
 * (the budget was spent, or it was interrupted). */
int wf_calibration_converged(const wf_calibration *c);

/* The fit. Posterior predictive values pool every particle's replicates,
 * weighted: their mean, and the 5% and 95% quantiles (chance and parameter
 * uncertainty together). */
typedef struct wf_series_fit {
    const char *metric;        /* "occupancy_8am", or "A/B" */
    const char *organisation;
    const char *period;        /* "day", "month" or "span" (of days) */
    size_t rows;
    double scale;              /* the distance's scale (above) */
    double observed;           /* mean of the observed values */
    double mean, lo, hi;       /* posterior predictive of that mean */
} wf_series_fit;
size_t wf_calibration_n_series(const wf_calibration *c);
wf_status wf_calibration_series(const wf_calibration *c, size_t s, wf_series_fit *out);

typedef struct wf_observation {
    const char *date;          /* as written: a day, a month or a span */
    const char *organisation;
    const char *metric;
    size_t series;
    double value;              /* observed */
    double mean, lo, hi;       /* posterior predictive */
} wf_observation;
size_t wf_calibration_n_rows(const wf_calibration *c);
wf_status wf_calibration_row(const wf_calibration *c, size_t i, wf_observation *out);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif /* WINTERFLOW_H */
