/* What the fuzz targets share (tests/fuzz/README.md). Each target is one
 * file defining LLVMFuzzerInitialize and LLVMFuzzerTestOneInput; it is
 * linked either with clang's libFuzzer (WF_FUZZ=ON: new inputs, for a fixed
 * number of runs in the tests or for hours by hand) or with replay.c (every
 * other build: each file of the corpus once, so every crash ever found is
 * tried again in the release and sanitizer builds).
 *
 * A finding is a crash, a sanitizer report, a hang, or a broken promise of
 * the API, which the target turns into abort() with a line on stderr
 * (FUZZ_REQUIRE): an error without a message, a status not documented for
 * the call, a scenario that validates but does not round-trip or run. */
#ifndef WF_FUZZ_H
#define WF_FUZZ_H

#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winterflow.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_REQUIRE(cond, ...)                                                  \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: broken promise: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Write data to the file `name` (replacing it) in a folder of the
 * process's own (made once, under TMPDIR or /tmp, removed at exit) and
 * return its path, which stays valid for the process (one per name, at
 * most 8 names). The readers under test read paths, so each input is
 * written to a file first. Aborts if it cannot. */
const char *fuzz_file(const char *name, const void *data, size_t size);
/* tests/cli/tiny.yaml with the overrides "KEY=VALUE" (NULL-terminated),
 * validated; aborts if it is not valid. */
wf_scenario *fuzz_tiny(const char *const *sets);
/* Non-zero in replay.c, where each input's outcome is printed (fuzz_say). */
extern int fuzz_replay;
#define fuzz_say(...) (fuzz_replay ? (void)fprintf(stderr, "  " __VA_ARGS__) : (void)0)

/* A NUL-terminated copy of data (the caller frees it). */
char *fuzz_text(const uint8_t *data, size_t size);

#endif
