/*
 * The winterflow program: shared declarations of the verbs and helpers.
 * The program reaches the library only through winterflow.h.
 */
#ifndef WF_CLI_H
#define WF_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "winterflow.h"

/* Exit codes (documented in `winterflow --help` and docs/cli.md). */
enum {
    EXIT_OK = 0,        /* success */
    EXIT_RUN = 1,       /* the simulation failed */
    EXIT_USAGE = 2,     /* bad option, missing argument, bad --set syntax */
    EXIT_SCENARIO = 3,  /* the scenario did not load or validate */
    EXIT_IO = 4         /* a file could not be read or written */
};

/* The verbs: argv[0] is the verb's name. Each returns an exit code. */
int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_params(int argc, char **argv);

/* Messages: "winterflow: <message>" on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* A usage error: the message, then a pointer to `winterflow <verb> --help`;
 * returns EXIT_USAGE. */
int cli_usage_error(const char *verb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The exit code for a failed scenario call on the file `path`: EXIT_IO when
 * `path` itself cannot be read, else EXIT_SCENARIO (a missing `extends:` base
 * makes the scenario invalid). */
int cli_scenario_exit(wf_status st, const char *path);

/* Strict integer parsing: the whole string must be a base-10 integer in
 * [min, max]. Returns 0 on success, -1 otherwise. */
int cli_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Option matching for "--name VALUE" and "--name=VALUE". If argv[*i] is the
 * option, sets *value (NULL when the value is missing), advances *i past
 * what it used and returns 1; returns 0 if argv[*i] is another argument. */
int cli_option(int argc, char **argv, int *i, const char *name, const char **value);

/* output.c: JSON writing. */
void json_string(FILE *f, const char *s);  /* a quoted, escaped JSON string */
void json_number(FILE *f, double x);       /* %.17g; NaN and inf as null */

/* output.c: a number for people: grouped thousands, precision by size. */
void fmt_human(char *buf, size_t len, double x);

#endif /* WF_CLI_H */
