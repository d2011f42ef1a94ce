/* The farm: a list of tasks spread over the ranks of an MPI job. Rank 0
 * hands the tasks out one at a time, to whichever rank is free (dynamic
 * load balancing: a slow task or a slow node holds up no one), computes
 * some itself, and consumes every task's output in task order; the other
 * ranks compute what they are given. One mechanism for every job that is
 * a list of independent computations whose outputs are gathered in order:
 * wf_run's replicates, a sweep's points (spread.c), a calibration's
 * batches of particles.
 *
 * Every rank calls wf_farm_run with the same job (the same callbacks; only
 * rank 0's plan, input and consume are called), in the same order as its
 * other farms. On rank 0 the calling thread talks MPI and calls plan,
 * input and arrived; one thread of the farm's computes tasks (compute), a
 * second consumes outputs (consume), so a slow consume (a save) holds up
 * neither the handing out nor rank 0's own computing. On the other ranks
 * the calling thread talks MPI and a thread of the farm's computes.
 * Without MPI, or on a job of one rank, every task is computed and then
 * consumed in turn on the calling thread.
 *
 * For a calibration (ABC-SMC), one generation is one farm: plan returns the
 * batch size; input packs what rank 0 alone knows (the proposal or the
 * previous population and a particle's index); compute simulates the
 * particle and writes its distance or summary statistics; consume, in
 * task order, accepts or rejects; the next generation is the next farm. */
#ifndef WF_RUN_FARM_H
#define WF_RUN_FARM_H

#include <stddef.h>

#include "core/buf.h"
#include "winterflow.h"

typedef struct wf_farm {
    /* Rank 0, once every rank has arrived: how many tasks there are, given
     * the ranks and each one's threads (threads[r] for rank r). */
    size_t (*plan)(void *user, int ranks, const int *threads);
    /* Rank 0: task i's input, for the rank that computes it (NULL: none;
     * may leave `in` empty). */
    wf_status (*input)(void *user, size_t task, wf_buf *in, char *err, size_t errlen);
    /* Any rank, on a thread of the farm's: compute task i from its input
     * into `out`. Stop soon when `cancel` is requested (WF_ECANCELLED).
     * Several ranks run it at once, but each rank one task at a time; on
     * rank 0 it runs while consume does. */
    wf_status (*compute)(void *user, size_t task, const unsigned char *in, size_t in_len, wf_buf *out,
                         wf_cancel *cancel, char *err, size_t errlen);
    /* Rank 0, in task order, one at a time, on a thread of the farm's: the
     * task's output. It may keep the bytes (take out->data and set it to
     * NULL). A status other than WF_OK stops the farm. */
    wf_status (*consume)(void *user, size_t task, wf_buf *out, char *err, size_t errlen);
    /* Rank 0, on the calling thread, as each task's output arrives (in any
     * order) and before it is consumed: for progress. Non-zero stops the
     * farm (WF_ECANCELLED). NULL: none. */
    int (*arrived)(void *user, size_t task);
    void *user;
    int threads;         /* the threads compute uses on this rank (for plan) */
    wf_cancel *cancel;   /* the caller's; requested on any rank: every rank stops */
    /* Tasks rank 0 lets run ahead of consume (handed out, or done and
     * waiting for their turn): a bound on the outputs it holds. 0: four
     * per rank. */
    size_t window;
} wf_farm;

/* How many units (replicates, simulations) a task should hold, of `units`
 * in all: enough to fill the busiest rank's threads, about four tasks a
 * rank, so that ranks finishing early take more, but at most four units a
 * thread, so that progress, saves and rank 0's memory move in small steps.
 * *most: the busiest rank's threads (at least 1). What every plan starts
 * from. */
size_t wf_farm_task_units(size_t units, int ranks, const int *threads, size_t *most);

/* Run the farm over the ranks of m (NULL: this process alone). The same
 * status on every rank: WF_OK when every task was consumed; the first
 * failure of compute (on any rank, named) or consume; WF_ECANCELLED when a
 * cancel was requested, arrived asked, or a rank was interrupted; WF_ERANK
 * when a rank died, stopped answering or failed before the farm. Messages
 * in err. Rank 0 returns once the consume in flight has finished: what it
 * saved stays saved. */
wf_status wf_farm_run(wf_mpi *m, const wf_farm *job, char *err, size_t errlen);

#endif
