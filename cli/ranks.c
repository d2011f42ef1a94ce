/* The program as one rank of an MPI job (docs/cluster.md). Every rank runs
 * the same verb with the same arguments; the library spreads the work and
 * rank 0 writes the files. So that the job reads like one process, only
 * rank 0 speaks: the other ranks' standard output goes nowhere and their
 * messages are kept, not printed; at the end each hands its exit status and
 * first message to the library, and rank 0 prints another rank's failure
 * when its own run did not already report it. Without MPI, or outside a
 * launcher, this is a job of one rank and nothing changes. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static wf_mpi *job = NULL;
static char kept[1024];  /* a rank's first message */

wf_mpi *cli_mpi(void)
{
    return job;
}

int cli_rank(void)
{
    return wf_mpi_rank(job);
}

void cli_keep_message(const char *fmt, va_list ap)
{
    if (!kept[0])
        vsnprintf(kept, sizeof kept, fmt, ap);
}

int cli_ranks_start(void)
{
    if (!(job = wf_mpi_create())) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    if (wf_mpi_join(job) != WF_OK) {
        cli_error("%s", wf_mpi_error(job));
        return EXIT_RUN;
    }
    if (cli_rank() > 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            fflush(stdout);
            dup2(null, STDOUT_FILENO);
            close(null);
        }
    }
    return EXIT_OK;
}

int cli_ranks_end(int rc)
{
    int job_rc = wf_mpi_finish(job, rc, kept);
    if (cli_rank() == 0 && rc == EXIT_OK && job_rc != EXIT_OK && *wf_mpi_error(job))
        cli_error("%s", wf_mpi_error(job));
    wf_mpi_destroy(job);
    job = NULL;
    return job_rc;
}
