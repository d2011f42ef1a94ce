/* The inside of wf_mpi: the ranks of a job and the messages between them
 * (the farm's, farm.c, and the job's end). Only mpi.c includes MPI's
 * header: built without MPI (WF_HAVE_MPI undefined), a job has one rank and
 * nothing is ever sent. */
#ifndef WF_RUN_MPI_H
#define WF_RUN_MPI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "winterflow.h"

/* Message tags. Rank 0 talks to every rank; the others only to rank 0. */
enum {
    WF_TAG_CHECKIN = 1, /* rank -> 0: arrived at a farm, or at the end (wf_checkin_msg) */
    WF_TAG_REPLY,       /* 0 -> rank: to a check-in: go, or stop (wf_reply_msg) */
    WF_TAG_TASK,        /* 0 -> rank: compute this task (farm.c) */
    WF_TAG_END,         /* 0 -> rank: the farm is over, with its status (farm.c) */
    WF_TAG_RESULT,      /* rank -> 0: a task's output, or its failure (farm.c) */
    WF_TAG_BEAT,        /* rank -> 0: still here (farm.c) */
    WF_TAG_MORE,        /* the rest of a message longer than one MPI message */
    WF_TAG_SHARE        /* 0 -> rank: what wf_mpi_share hands every rank */
};

/* Where a rank has checked in. */
enum { WF_AT_NONE, WF_AT_FARM, WF_AT_END };

typedef struct wf_mpi_msg {
    int from, tag;
    unsigned char *data;
    size_t len;
} wf_mpi_msg;

/* A check-in as sent, followed by the message text (no NUL). */
typedef struct {
    int32_t at, seq, status, threads;
} wf_checkin_msg;

/* A reply as sent, followed by the message text (no NUL). */
typedef struct {
    int32_t go, status;
} wf_reply_msg;

/* What rank 0 holds of each rank's last check-in. */
typedef struct {
    int at, seq, status, threads;
    char *message;
} wf_checkin;

typedef struct {
    int32_t pid;
    char host[64];
} wf_peer;

struct wf_mpi {
    char err[1024];
    int rank, size;
    int joined;        /* MPI_Init_thread was called: Finalize or Abort at the end */
    int ended;         /* wf_mpi_finish is done */
    int broken;        /* a rank died or cannot be reached: abort, never wait for it */
    int status;        /* the job's status, for MPI_Abort */
    int farms;         /* farms started: their sequence numbers */
    wf_peer *peers;    /* [size] */
    wf_checkin *in;    /* rank 0: [size] */
    void *comm;        /* the job's own communicator (mpi.c) */
    void *lost;        /* bytes a send that failed may still read: freed at the end */
    wf_mpi *parent;    /* a group's job (wf_mpi_split); NULL for the job itself */
    int first;         /* a group: the job's rank of its rank 0 (messages name job ranks) */
};

/* Send len bytes to rank `to`; -1 (with m->err) when MPI fails. Blocks only
 * until the bytes are on their way (or, when long, received). */
int wf_mpi_send(wf_mpi *m, int to, int tag, const void *data, size_t len);
/* Receive one message from `from` (-1: any rank) with `tag` (-1: any tag)
 * if one is waiting: 1 and *msg (free with wf_mpi_msg_free), 0 when none, -1
 * when MPI fails. */
int wf_mpi_poll(wf_mpi *m, int from, int tag, wf_mpi_msg *msg);
void wf_mpi_msg_free(wf_mpi_msg *msg);
/* Nap between polls: short after something happened, up to 1 ms while
 * nothing does (*idle counts the empty polls; 0 after a message). */
void wf_mpi_nap(int *idle);
/* Monotonic seconds. */
double wf_mpi_now(void);

/* Is the rank's process still there? 0 only when it is known to be gone
 * (it ran on this host and its process has ended); 1 otherwise. */
int wf_mpi_alive(const wf_mpi *m, int rank);
/* "rank 3 (pid 1234 on node7)" */
void wf_mpi_who(const wf_mpi *m, int rank, char *buf, size_t len);

/* Collective, in the same order on every rank as its farms (it takes a
 * farm's number): rank 0's len bytes at data, to every rank. Every rank
 * checks in as at a farm; once all have, rank 0 sends the bytes to each
 * (watching that the rank is still there while they go), and each other
 * rank gets them in *got (free with wf_mpi_msg_free; rank 0's stays
 * empty; data is not looked at there). WF_OK, or WF_ERANK with m->err
 * naming the rank that died or stopped before (rank 0 stopped: "rank 0
 * stopped before this part of the run"). A job of one rank: WF_OK. */
wf_status wf_mpi_share(wf_mpi *m, const void *data, size_t len, wf_mpi_msg *got);

/* A rank other than 0: check in (at, seq), then wait for rank 0's reply.
 * WF_OK and *go; WF_ERANK (m->err) when rank 0 is gone or MPI fails. */
wf_status wf_mpi_checkin(wf_mpi *m, int at, int seq, int status, int threads, const char *message, int *go,
                         int *final_status);
/* Rank 0: wait until every other rank has checked in at farm seq, or at
 * the end. WF_ERANK (m->err naming it) when one died, MPI failed, or one
 * is at the end (it stopped before). The ranks at the farm wait for a
 * reply (wf_mpi_reply). */
wf_status wf_mpi_gather(wf_mpi *m, int seq);
/* Rank 0: note a check-in message in m->in. */
void wf_mpi_note_checkin(wf_mpi *m, const wf_mpi_msg *msg);
/* Rank 0: reply to rank `to`'s check-in. */
int wf_mpi_reply(wf_mpi *m, int to, int go, int status, const char *message);

/* Split the job's ranks into `groups` groups of consecutive ranks (sizes
 * within one; group g holds ranks ceil(g*size/groups) ..): a job of its
 * own for each group, with its own communicator, in which this rank is
 * rank wf_mpi_rank(group) and the group's first rank is its rank 0.
 * Collective, in the same order on every rank as its farms: every rank
 * checks in first (as wf_mpi_share), so that a rank that stopped before
 * is named (WF_ERANK) instead of waited for. *group: this rank's group,
 * 0-based. NULL with m->err on failure. Destroy the group with
 * wf_mpi_destroy before the job: a broken group breaks the job. */
wf_mpi *wf_mpi_split(wf_mpi *m, int groups, int *group);
/* Collective, in the same order on every rank as its farms: every rank
 * brings its status and message; every rank gets the job's: WF_OK when
 * all are, else the first failing rank's (one with a message first), its
 * message in m->err on rank 0 ("rank 3 (...): ..." unless rank 0's own).
 * WF_ERANK when a rank died or MPI failed. A job of one rank: status. */
wf_status wf_mpi_agree(wf_mpi *m, wf_status status, const char *message);
#endif
