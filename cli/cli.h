/*
 * The winterflow program: shared declarations of the verbs and helpers.
 * The program reaches the library only through winterflow.h.
 */
#ifndef WF_CLI_H
#define WF_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "winterflow.h"

/* Exit codes (documented in `winterflow --help` and docs/cli.md). */
enum {
    EXIT_OK = 0,        /* success */
    EXIT_RUN = 1,       /* the simulation failed */
    EXIT_USAGE = 2,     /* bad option, missing argument, bad --set syntax */
    EXIT_SCENARIO = 3,  /* the scenario did not load or validate */
    EXIT_IO = 4,        /* a file could not be read or written */
    EXIT_INTERRUPTED = 130 /* stopped by SIGINT/SIGTERM; what was complete is saved */
};

/* The verbs: argv[0] is the verb's name. Each returns an exit code. */
int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);

/* ranks.c: the program as one rank of an MPI job (docs/cluster.md). Join
 * the job (a job of one rank when not started by an MPI launcher); on a
 * rank other than 0, standard output goes nowhere and messages are kept.
 * EXIT_OK or the exit code after printing the error. */
int cli_ranks_start(void);
/* The end: the job's exit code (rank 0's, else the first failing rank's,
 * which rank 0 then prints); leaves MPI. */
int cli_ranks_end(int rc);
wf_mpi *cli_mpi(void);  /* the job, for the run options; NULL before start */
int cli_rank(void);     /* this process's rank: 0 alone */
/* Keep a message of a rank other than 0 (the first one counts). */
void cli_keep_message(const char *fmt, va_list ap);

/* Messages: "winterflow: <message>" on stderr (kept, not printed, on a rank
 * other than 0). */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* The one scenario file among a verb's npos arguments, into *path:
 * EXIT_OK, or the usage error (none, or more than one) with its code. */
int cli_one_scenario(const char *verb, const char **pos, size_t npos, const char **path);
/* Read a verb's results files (several: the parts of one sweep, or files of
 * one study, read as one by wf_results_read_parts) into r; *label (malloc'd,
 * free it even on failure) names them for a page or a sheet: "a.h5", or
 * "a.h5, b.h5". Prints the error; returns EXIT_OK, EXIT_IO (a file could
 * not be read, or the files are not of one study), EXIT_RUN or the usage
 * error (no file). */
int cli_read_results(const char *verb, wf_results *r, const char **pos, size_t npos, char **label);
/* A usage error: the message, then a pointer to `winterflow <verb> --help`;
 * returns EXIT_USAGE. */
int cli_usage_error(const char *verb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A note on stderr, "winterflow: <message>", from rank 0 only. */
void cli_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* The exit code for a failed scenario call on the file `path`: EXIT_RUN
 * when out of memory, EXIT_IO when
 * `path` itself cannot be read, else EXIT_SCENARIO (a missing `extends:` base
 * makes the scenario invalid). */
int cli_scenario_exit(wf_status st, const char *path);

/* Strict integer parsing: the whole string must be a base-10 integer in
 * [min, max]. Returns 0 on success, -1 otherwise. */
int cli_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* options.c: the one option parser of the verbs. A verb describes its
 * options in a table, ended by an entry with a NULL name, and gets them
 * parsed into its own struct: "--name VALUE" and "--name=VALUE", an alias
 * ("-q"), "--" ending the options, -h/--help (CLI_HELP returned), the
 * rest positional. Messages are the same for every verb. */
typedef enum {
    CLI_FLAG,    /* int, set to 1 */
    CLI_STRING,  /* const char *, non-empty */
    CLI_INT,     /* int64_t within [min, max], narrowed by bounds_key's row */
    CLI_LIST     /* cli_list: every value given, in order (repeatable) */
} cli_opt_kind;

typedef struct {
    const char **v;
    size_t n;
} cli_list;

typedef struct cli_opt {
    const char *name;        /* "--out" */
    const char *alias;       /* "-q", or NULL */
    cli_opt_kind kind;
    size_t offset;           /* of the value in the verb's struct */
    const char *metavar;     /* CLI_INT: the letter in messages ("N") */
    int64_t min, max;        /* CLI_INT bounds */
    const char *bounds_key;  /* CLI_INT: narrow them to this table key's bounds, or NULL */
    const char *need;        /* the message when the value is missing */
    int (*check)(const char *verb, const char *value);  /* EXIT_OK, or prints and returns */
} cli_opt;

#define CLI_HELP (-1)

/* Parse argv[1..] by `opts` into `args`; positional arguments go to pos
 * (room for argc), their count to *npos. EXIT_OK, CLI_HELP, or the exit
 * code after printing a usage error. */
int cli_parse(const char *verb, const cli_opt *opts, void *args, int argc, char **argv,
              const char **pos, size_t *npos);
/* The bounds of an integer option. */
void cli_opt_bounds(const cli_opt *o, int64_t *min, int64_t *max);
/* Room for argc values; -1 when out of memory. */
int cli_list_init(cli_list *l, int argc);
void cli_list_free(cli_list *l);
/* The check of --set: KEY=VALUE with a key. */
int cli_check_set(const char *verb, const char *value);

/* The integer bounds of a scenario key from the parameter table (the CLI
 * keeps no bounds of its own), clamped to [lo, hi]. */
void cli_param_bounds(const char *key, int64_t lo, int64_t hi, int64_t *min, int64_t *max);

/* Print `msg` as an error, prefixed with `what` if given, else with `path`
 * unless the library's message already names it. */
void cli_scenario_error(const char *path, const char *what, const char *msg);

/* The options shared by run, compare and sweep. */
typedef struct cli_run_args {
    cli_list sets;       /* "KEY=VALUE" strings, in order */
    int64_t replicates;  /* 0: the scenario's */
    int64_t seed;        /* -1: the scenario's */
    int64_t threads;     /* 0: all cores */
    int quiet;           /* --quiet: no progress */
    int wait_lock;       /* --wait-lock: wait for another writer of the --out file */
} cli_run_args;

/* Defaults, and room for argc --set values; -1 when out of memory. */
int cli_run_args_init(cli_run_args *a, int argc);
void cli_run_args_free(cli_run_args *a);

/* The rows of the shared options for a verb's table, where the verb's
 * struct T holds its cli_run_args as member m. */
#define CLI_RUN_OPTS(T, m)                                                                        \
    {"--set", NULL, CLI_LIST, offsetof(T, m.sets), NULL, 0, 0, NULL, "--set needs KEY=VALUE",     \
     cli_check_set},                                                                              \
    {"--replicates", NULL, CLI_INT, offsetof(T, m.replicates), "N", 1, INT32_MAX,                \
     "run.replicates", NULL, NULL},                                                               \
    {"--seed", NULL, CLI_INT, offsetof(T, m.seed), "S", 0, INT64_MAX, "run.seed", NULL, NULL},   \
    {"--threads", NULL, CLI_INT, offsetof(T, m.threads), "T", 1, 65536, NULL, NULL, NULL},       \
    {"--quiet", "-q", CLI_FLAG, offsetof(T, m.quiet), NULL, 0, 0, NULL, NULL, NULL},             \
    {"--wait-lock", NULL, CLI_FLAG, offsetof(T, m.wait_lock), NULL, 0, 0, NULL, NULL, NULL}

/* The help lines of the shared options (for `verb --help`): `several` for a
 * verb of several configurations (compare, sweep: --set applies to each),
 * 0 for run (whose progress shows only on a terminal and not with --json). */
void cli_run_options_help(FILE *f, int several);

/* Apply one "KEY=VALUE" (or key and value) to `s`; on failure print the
 * library's message, naming `what` (e.g. "--set k=v"), and return the exit
 * code. */
int cli_apply_set(wf_scenario *s, const char *path, const char *what, const char *key,
                  const char *value);

/* Load `path` and apply the --set overrides of `a` (not validated). On
 * failure prints the error, returns the exit code and *out is NULL. */
int cli_load_scenario(const char *path, const cli_run_args *a, wf_scenario **out);

/* The run options of `a` (replicates, seed, threads), with the cancel flag
 * that SIGINT and SIGTERM raise (this installs their handlers) and the MPI
 * job (cli_mpi) to spread the run over. */
wf_run_options cli_run_options(const cli_run_args *a);

/* The exit code for a failed wf_run (after printing its message). */
int cli_run_failed(const wf_results *r, wf_status st);

/* posterior.c: read --posterior FILE (a calibration file) into *out; on
 * failure print the error and return the exit code. */
int cli_read_posterior(const char *path, wf_calibration **out);

/* A copy of s (malloc); exits nothing, returns NULL when out of memory. */
char *cli_strdup(const char *s);

/* progress.c: a progress display on stderr for long runs.
 *   terminal (isatty(stderr)): a bar with done/total, rate and time left,
 *     redrawn in place at most ~10 times a second;
 *   otherwise: a plain line every 10 s (and at each 10% once the run has
 *     taken 5 s), so that logs show progress without flooding;
 *   quiet: nothing. */
typedef struct cli_progress {
    int mode;             /* 0 none, 1 terminal, 2 plain lines */
    const char *unit;     /* "replicates" */
    size_t scen_total;    /* scenarios of the whole job */
    size_t scen_skipped;  /* scenarios complete before this process started */
    size_t scen_base;     /* scenarios complete before the current wf_run */
    size_t scen_run;      /* scenarios in the current wf_run */
    size_t total, done, skipped; /* in units (replicates), known once a run reports */
    double t0, last;      /* start and last print (monotonic seconds) */
    int last_decile;
    int drawn;            /* a terminal bar is on screen, or a line was printed */
} cli_progress;

/* A job of `scenarios` scenarios, `skipped` of them already complete. */
void cli_progress_start(cli_progress *p, const char *unit, size_t scenarios, size_t skipped,
                        int quiet);
/* Before each wf_run: `base` scenarios are complete, this run has `n`. */
void cli_progress_chunk(cli_progress *p, size_t base, size_t n);
/* The wf_run_options.progress callback; user is a cli_progress. Returns
 * non-zero once SIGINT or SIGTERM has arrived (cli_signals_install). */
int cli_progress_cb(void *user, size_t done, size_t total);
/* Clear the bar (terminal) before other output. */
void cli_progress_clear(cli_progress *p);
/* Clear the bar and, in plain mode when lines were printed, a final line. */
void cli_progress_finish(cli_progress *p);

/* SIGINT and SIGTERM raise the process's wf_cancel (cli_cancel(), given to
 * every run: wf_run stops within a second, inside a replicate too) and set
 * a flag that cli_progress_cb returns; a second signal of the same kind
 * acts as usual (kills). cli_interrupted() reads the flag. */
void cli_signals_install(void);
wf_cancel *cli_cancel(void);  /* after cli_signals_install; NULL when out of memory */
int cli_interrupted(void);

/* headline.c: what run and compare show. The headline (the library's
 * wf_metric_headline, system-wide) comes first; then the tables of every
 * metric (--full) or of the metrics named (--metric, repeatable). */
typedef struct cli_show {
    int full;
    cli_list metrics;
} cli_show;
#define CLI_SHOW_OPTS(T, m)                                                                       \
    {"--full", NULL, CLI_FLAG, offsetof(T, m.full), NULL, 0, 0, NULL, NULL, NULL},              \
    {"--metric", NULL, CLI_LIST, offsetof(T, m.metrics), NULL, 0, 0, NULL,                      \
     "--metric needs an output name, e.g. --metric delayed_bed_days", cli_check_metric}
/* --metric NAME: a metric the library knows (else a usage error, with the
 * closest name). */
int cli_check_metric(const char *verb, const char *value);
/* --full with --metric: a usage error. */
int cli_show_check(const char *verb, const cli_show *s);
int cli_show_tables(const cli_show *s);            /* any table after the headline */
int cli_show_metric(const cli_show *s, size_t m);  /* metric m in them (JSON: all without --metric) */
void cli_show_hint(FILE *f);                       /* after the headline, without tables */
/* wf_metric_perspective of metric m for organisation org of the results. */
const char *cli_perspective(const wf_results *r, size_t m, size_t org);
/* Whether org's value of m counts the hospitals' patients again. */
int cli_home_council(const wf_results *r, size_t m, size_t org);
/* The sub-heading over those rows in an organisation's block. */
void cli_home_council_heading(FILE *f);
/* The replicates of scenario sc whose ED queue was still growing at the
 * end (the most of any hospital, else the system's), *where that
 * organisation (WF_NOT_FOUND: none). */
size_t cli_queue_growing(const wf_results *r, size_t sc, size_t *where);
/* A warning on stderr for each scenario with such replicates, named by
 * labels[sc] (NULL: one scenario, unnamed). */
void cli_warn_queue_growing(const wf_results *r, const char *const *labels);

/* output.c: JSON writing. */
void json_string(FILE *f, const char *s);  /* a quoted, escaped JSON string */
void json_number(FILE *f, double x);       /* %.17g; NaN and inf as null */

/* output.c: a number for people: grouped thousands, precision by size. */
void fmt_human(char *buf, size_t len, double x);

/* output.c: x with `decimals` decimals and grouped thousands ("-1,234.5"). */
void fmt_fixed(char *buf, size_t len, double x, int decimals);

/* output.c: "[lo, hi]" with fmt_human numbers. */
void fmt_interval(char *buf, size_t len, double lo, double hi);

/* output.c: organisations in print order: "system" first, then file order. */
size_t cli_org_at(const wf_results *r, size_t k);

/* output.c: the statistic of metric m for org in scenario sc; 0 if the
 * metric does not apply (no replicate has a value). */
int cli_get_stat(const wf_results *r, size_t sc, size_t m, size_t org, wf_stat *st);

/* output.c: {"mean": .., "sd": .., "lo": .., "hi": .., "n": ..}, then
 * "unit": .. and "perspective": .. (wf_metric_perspective) when not NULL. */
void json_stat(FILE *f, const wf_stat *st, const char *unit, const char *perspective);

/* output.c: the run's header fields as JSON members ("replicates", "seed",
 * "threads", "days", "start_date"), each preceded by ",\n" and `indent`. */
void json_run_fields(FILE *f, const wf_results *r, const char *indent);

/* output.c: the command as a shell would re-run it, "winterflow VERB ARGS"
 * with arguments quoted where needed (malloc; NULL when out of memory).
 * argv[0] is the verb. */
char *cli_command_line(int argc, char **argv);

/* output.c: take the write lock of the --out file `path` for the whole
 * run (waiting for another writer with --wait-lock), and refuse an
 * existing file unless `overwrite`, before anything runs. Prints the error
 * and returns EXIT_IO (or EXIT_INTERRUPTED: Ctrl-C while waiting) on
 * failure; *out is then NULL. */
int cli_lock_out(const char *path, int overwrite, const cli_run_args *a, int argc, char **argv,
                 wf_lock **out);

/* output.c: save a completed run's results to `path` (HDF5) under `lock`
 * (cli_lock_out): replace the file when `overwrite`, else fail if it
 * exists; with `event_log`, the run's per-patient event log too. Records
 * the command line. Prints the error and returns EXIT_IO or EXIT_RUN on
 * failure. */
int cli_save_results(wf_results *r, const wf_scenario **list, size_t n, const char *path, wf_lock *lock,
                     int overwrite, int event_log, int argc, char **argv);

/* output.c: the exit code of a wf_results_write / wf_results_append that
 * returned `st` (EXIT_OK for WF_OK), after printing its error. */
int cli_save_failed(const wf_results *r, wf_status st, const char *path);

/* outfile.c: a file written whole or not at all. Open makes a temporary
 * file beside `path` (refusing an existing path unless `force`); write to
 * o->f, or close it and let a library write to o->tmp; commit flushes it to
 * disk and renames it over `path`; abort removes it. Errors are printed;
 * the exit code is returned. */
typedef struct cli_outfile {
    const char *path;  /* the target */
    char *tmp;         /* the temporary file */
    FILE *f;           /* open on tmp, until commit, abort, or closed by the caller (then NULL) */
} cli_outfile;
int cli_outfile_open(cli_outfile *o, const char *path, int force);
int cli_outfile_commit(cli_outfile *o);
void cli_outfile_abort(cli_outfile *o);

#endif /* WF_CLI_H */
