/* The test build's fault hook (lib/results/fault.h), linked into
 * libwinterflow_faults and the winterflow_faults program in place of the
 * shipped lib/results/fault.c. Read from the environment at each write:
 *   WF_TEST_FAIL_WRITE_AFTER=N  the (N+1)-th dataset write of a results
 *                               file fails as a write error would
 *   WF_TEST_KILL_WRITE_AFTER=N  the process sends itself SIGKILL before its
 *                               (N+1)-th dataset write
 * (N = 0: the first). Used by tests/test_h5.c and tests/test_h5_python.py. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

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
