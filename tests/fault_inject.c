/* The test build's fault hook (lib/results/fault.h), linked into
 * libwinterflow_faults and the winterflow_faults program in place of the
 * shipped lib/results/fault.c. Read from the environment:
 *   WF_TEST_FAIL_WRITE_AFTER=N  the (N+1)-th dataset write of a results
 *                               file fails as a write error would
 *   WF_TEST_KILL_WRITE_AFTER=N  the process sends itself SIGKILL before its
 *                               (N+1)-th dataset write
 *   WF_TEST_ALLOC_LIMIT=N       the library's first N allocations succeed,
 *                               every later one fails (returns NULL), as
 *                               when memory runs out
 * (N = 0: the first). Used by tests/test_h5.c, tests/test_h5_python.py and
 * tests/faults.sh.
 *
 * The allocations: the faults library is linked with --wrap for malloc,
 * calloc, realloc and strdup (tests/faults.cmake), so the library's own
 * calls come here and those of libhdf5, GSL or the C library do not: what
 * is tested is winterflow's handling of a failed allocation. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/fault.h"

static long env_count(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) return -1;
    char *end;
    long x = strtol(v, &end, 10);
    return *end || x < 0 ? -1 : x;
}

int wf_fault_write(unsigned long n, char *err, size_t errlen)
{
    long kill_after = env_count("WF_TEST_KILL_WRITE_AFTER");
    long fail_after = env_count("WF_TEST_FAIL_WRITE_AFTER");
    if (kill_after >= 0 && n >= (unsigned long)kill_after) raise(SIGKILL);
    if (fail_after >= 0 && n >= (unsigned long)fail_after) {
        snprintf(err, errlen, "simulated write failure (WF_TEST_FAIL_WRITE_AFTER=%ld)", fail_after);
        return -1;
    }
    return 0;
}

/* ---- allocations ------------------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static atomic_long alloc_limit = -2;  /* -2: not read yet; -1: no limit */
static atomic_long allocs;

/* 1: this allocation fails. */
static int alloc_fails(void)
{
    long lim = atomic_load(&alloc_limit);
    if (lim == -2) {
        lim = env_count("WF_TEST_ALLOC_LIMIT");
        atomic_store(&alloc_limit, lim);
    }
    if (lim < 0) return 0;
    if (atomic_fetch_add(&allocs, 1) < lim) return 0;
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t n) { return alloc_fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return alloc_fails() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return alloc_fails() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return alloc_fails() ? NULL : __real_strdup(s); }
