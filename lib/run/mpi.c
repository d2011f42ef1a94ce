/* wf_mpi: joining an MPI job, the messages between its ranks, and its end
 * (winterflow.h, section 8). The only file that includes MPI's header.
 *
 * MPI is joined only when a launcher started the process (its environment
 * says so), so that the same program run on its own never touches MPI.
 * Only the thread that joined calls MPI (MPI_THREAD_FUNNELED, the level
 * every MPI offers); the farm's other threads compute and save.
 *
 * Every message is an MPI message of bytes on the job's own communicator
 * (a duplicate of MPI_COMM_WORLD: no tag of ours meets anyone else's),
 * prefixed with its length, so that one longer than MPI's int count goes
 * as several pieces (WF_TAG_MORE).
 *
 * A rank that died cannot answer, and MPI (without fault tolerance) never
 * says so: a receive from it waits for ever. So ranks never block on each
 * other: they poll, and look at each other's processes. Every rank knows
 * every rank's process id and host (exchanged when joining); a rank on the
 * same host whose process has ended is dead. */
#define _POSIX_C_SOURCE 200809L
#include "run/mpi.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef WF_HAVE_MPI
#include <mpi.h>
#endif

/* The most bytes in one MPI message (its count is an int). */
#define PIECE ((size_t)1 << 30)

static void errf(wf_mpi *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void errf(wf_mpi *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, sizeof m->err, fmt, ap);
    va_end(ap);
}

int wf_mpi_available(void)
{
#ifdef WF_HAVE_MPI
    return 1;
#else
    return 0;
#endif
}

wf_mpi *wf_mpi_create(void)
{
    wf_mpi *m = calloc(1, sizeof *m);
    if (m) m->size = 1;
    return m;
}

int wf_mpi_rank(const wf_mpi *m) { return m ? m->rank : 0; }
int wf_mpi_size(const wf_mpi *m) { return m ? m->size : 1; }
const char *wf_mpi_error(const wf_mpi *m) { return m ? m->err : "no MPI object"; }

double wf_mpi_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void wf_mpi_nap(int *idle)
{
    /* 20 us doubling to 1 ms: quick answers while messages flow, and a
     * rank waiting for its next task costs almost nothing */
    long us = 20L << (*idle < 6 ? *idle : 6);
    if (us > 1000) us = 1000;
    struct timespec ts = {0, us * 1000L};
    nanosleep(&ts, NULL);
    if (*idle < 100) (*idle)++;
}

/* Started by an MPI launcher? *ranks: the job's size when the environment
 * gives it (0 when not). WINTERFLOW_MPI=1 or 0 decides outright. */
static int launched(int *ranks, const char **by)
{
    *ranks = 0;
    *by = NULL;
    const char *force = getenv("WINTERFLOW_MPI");
    if (force && *force) {
        *by = "WINTERFLOW_MPI";
        return strcmp(force, "0") != 0;
    }
    static const char *const sized[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS"};
    for (size_t i = 0; i < sizeof sized / sizeof *sized; i++) {
        const char *v = getenv(sized[i]);
        if (v && *v) {
            *ranks = atoi(v);
            *by = sized[i];
            return 1;
        }
    }
    static const char *const unsized[] = {"PMIX_RANK", "PMI_RANK"};
    for (size_t i = 0; i < sizeof unsized / sizeof *unsized; i++)
        if (getenv(unsized[i])) {
            *by = unsized[i];
            return 1;
        }
    return 0;
}

/* srun's own count of the step's tasks (0 when not under srun). */
static int srun_tasks(void)
{
    const char *v = getenv("SLURM_STEP_NUM_TASKS");
    return v && *v && getenv("SLURM_PROCID") ? atoi(v) : 0;
}

#ifdef WF_HAVE_MPI
#define COMM(m) (*(MPI_Comm *)(m)->comm)

static int mpi_failed(wf_mpi *m, int rc, const char *what)
{
    char msg[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    errf(m, "rank %d: %s failed: %s", m->rank + m->first, what, msg);
    return -1;
}
#endif

#ifdef WF_HAVE_MPI
static wf_status join_mpi(wf_mpi *m);
#endif

wf_status wf_mpi_join(wf_mpi *m)
{
    if (!m) return WF_EINVAL;
    m->err[0] = '\0';
    if (m->joined || m->peers) {
        errf(m, "wf_mpi_join: already joined");
        return WF_EINVAL;
    }
    int ranks;
    const char *by;
    int want = launched(&ranks, &by);
#ifndef WF_HAVE_MPI
    if (want && (ranks > 1 || !strcmp(by, "WINTERFLOW_MPI"))) {
        errf(m, "this winterflow was built without MPI (CMake option WF_MPI) but %s says it is one rank of a "
             "job%s: every rank would run the whole job and write the same files. Rebuild with -DWF_MPI=ON, "
             "or run one process", by, ranks > 1 ? " of several" : "");
        return WF_EINVAL;
    }
    if (srun_tasks() > 1) {
        errf(m, "this winterflow was built without MPI (CMake option WF_MPI) but srun started %d tasks of it: "
             "every task would run the whole job and write the same files. Rebuild with -DWF_MPI=ON, or run "
             "one task (srun -n 1)", srun_tasks());
        return WF_EINVAL;
    }
    return WF_OK;
#else
    if (!want && srun_tasks() <= 1) return WF_OK;
    wf_status st = join_mpi(m);
    if (st != WF_OK) m->broken = 1;  /* the ranks cannot talk: end the job, never wait */
    return st;
#endif
}

#ifdef WF_HAVE_MPI
static wf_status join_mpi(wf_mpi *m)
{
    int provided = 0, rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    if (rc != MPI_SUCCESS) {
        errf(m, "MPI could not be started (MPI_Init_thread failed with code %d)", rc);
        return WF_EINVAL;
    }
    m->joined = 1;
    if (provided < MPI_THREAD_FUNNELED) {
        errf(m, "this MPI offers no threads (MPI_THREAD_FUNNELED): winterflow's ranks compute on threads");
        return WF_EINVAL;
    }
    if (!(m->comm = malloc(sizeof(MPI_Comm)))) return WF_ENOMEM;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    if ((rc = MPI_Comm_dup(MPI_COMM_WORLD, (MPI_Comm *)m->comm)) != MPI_SUCCESS) {
        free(m->comm);
        m->comm = NULL;
        mpi_failed(m, rc, "MPI_Comm_dup");
        return WF_EINVAL;
    }
    MPI_Comm_set_errhandler(COMM(m), MPI_ERRORS_RETURN);
    MPI_Comm_rank(COMM(m), &m->rank);
    MPI_Comm_size(COMM(m), &m->size);
    if (srun_tasks() > 1 && m->size == 1) {
        errf(m, "srun started %d tasks, but MPI sees each as a job of its own: start them with an MPI plugin "
             "(srun --mpi=pmix, or --mpi=pmi2), or with mpirun", srun_tasks());
        return WF_EINVAL;
    }
    wf_peer me = {(int32_t)getpid(), ""};
    if (gethostname(me.host, sizeof me.host - 1) != 0) snprintf(me.host, sizeof me.host, "?");
    me.host[sizeof me.host - 1] = '\0';
    m->peers = calloc((size_t)m->size, sizeof *m->peers);
    m->in = calloc((size_t)m->size, sizeof *m->in);
    if (!m->peers || !m->in) return WF_ENOMEM;
    rc = MPI_Allgather(&me, (int)sizeof me, MPI_BYTE, m->peers, (int)sizeof me, MPI_BYTE, COMM(m));
    if (rc != MPI_SUCCESS) {
        mpi_failed(m, rc, "MPI_Allgather");
        return WF_EINVAL;
    }
    return WF_OK;
}
#endif

/* ---- messages ----------------------------------------------------------- */

#ifdef WF_HAVE_MPI
/* Wait for the requests to complete, looking every quarter of a second
 * that rank `to` is still there: a long message waits for its receiver,
 * and one that died never receives. */
static int wait_sent(wf_mpi *m, int to, MPI_Request *req, int n)
{
    double last_look = wf_mpi_now();
    int idle = 0;
    for (;;) {
        int done = 0, rc = MPI_Testall(n, req, &done, MPI_STATUSES_IGNORE);
        if (rc != MPI_SUCCESS) return mpi_failed(m, rc, "MPI_Testall");
        if (done) return 0;
        if (wf_mpi_now() - last_look > 0.25) {
            last_look = wf_mpi_now();
            if (!wf_mpi_alive(m, to)) {
                char who[128];
                wf_mpi_who(m, to, who, sizeof who);
                errf(m, "%s has died (killed by a signal, out of memory, or its node failed)", who);
                return -1;
            }
        }
        wf_mpi_nap(&idle);
        if (idle > 3) idle = 3;  /* 160 us at most: the transfer moves on our tests */
    }
}
#endif

/* The pieces of a message: the first carries the whole length in front.
 * watch: sent without blocking on the receiver (wait_sent). */
static int send_pieces(wf_mpi *m, int to, int tag, const void *data, size_t len, int watch)
{
#ifdef WF_HAVE_MPI
    size_t first = len < PIECE ? len : PIECE, n = 1 + (len - first + PIECE - 1) / PIECE;
    unsigned char *head = malloc(sizeof(uint64_t) + first);
    MPI_Request *req = watch ? malloc(n * sizeof *req) : NULL;
    if (!head || (watch && !req)) {
        free(head), free(req);
        errf(m, "rank %d: out of memory sending %zu bytes", m->rank + m->first, len);
        return -1;
    }
    uint64_t total = len;
    memcpy(head, &total, sizeof total);
    if (first) memcpy(head + sizeof total, data, first);
    int rc = watch ? MPI_Isend(head, (int)(sizeof total + first), MPI_BYTE, to, tag, COMM(m), &req[0])
                   : MPI_Send(head, (int)(sizeof total + first), MPI_BYTE, to, tag, COMM(m));
    size_t i = 1;
    for (size_t at = first; at < len && rc == MPI_SUCCESS; at += PIECE, i++) {
        size_t k = len - at < PIECE ? len - at : PIECE;
        const unsigned char *piece = (const unsigned char *)data + at;
        rc = watch ? MPI_Isend(piece, (int)k, MPI_BYTE, to, WF_TAG_MORE, COMM(m), &req[i])
                   : MPI_Send(piece, (int)k, MPI_BYTE, to, WF_TAG_MORE, COMM(m));
    }
    if (rc != MPI_SUCCESS) mpi_failed(m, rc, watch ? "MPI_Isend" : "MPI_Send");
    if (watch && (rc != MPI_SUCCESS || wait_sent(m, to, req, (int)n))) {
        /* pieces posted may still be read: kept until the job ends, which
         * it must (MPI_Abort) */
        m->broken = 1;
        m->lost = head;
        free(req);
        return -1;
    }
    if (rc != MPI_SUCCESS) {
        free(head);
        return -1;
    }
    free(head);
    free(req);
    return 0;
#else
    (void)to, (void)tag, (void)data, (void)len, (void)watch;
    errf(m, "no MPI: a job of one rank sends nothing");
    return -1;
#endif
}

int wf_mpi_send(wf_mpi *m, int to, int tag, const void *data, size_t len)
{
    return send_pieces(m, to, tag, data, len, 0);
}

int wf_mpi_poll(wf_mpi *m, int from, int tag, wf_mpi_msg *msg)
{
    memset(msg, 0, sizeof *msg);
#ifdef WF_HAVE_MPI
    int flag = 0, count = 0;
    MPI_Status st;
    int rc = MPI_Iprobe(from < 0 ? MPI_ANY_SOURCE : from, tag < 0 ? MPI_ANY_TAG : tag, COMM(m), &flag, &st);
    if (rc != MPI_SUCCESS) return mpi_failed(m, rc, "MPI_Iprobe");
    if (!flag) return 0;
    MPI_Get_count(&st, MPI_BYTE, &count);
    if (count < (int)sizeof(uint64_t)) {
        errf(m, "rank %d: a message of %d bytes from rank %d, too short", m->rank + m->first, count,
             st.MPI_SOURCE + m->first);
        return -1;
    }
    unsigned char *head = malloc((size_t)count);
    if (!head) {
        errf(m, "rank %d: out of memory receiving %d bytes", m->rank + m->first, count);
        return -1;
    }
    rc = MPI_Recv(head, count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, COMM(m), MPI_STATUS_IGNORE);
    if (rc != MPI_SUCCESS) {
        free(head);
        return mpi_failed(m, rc, "MPI_Recv");
    }
    uint64_t total;
    memcpy(&total, head, sizeof total);
    size_t first = (size_t)count - sizeof total;
    if (total < first || (total > first && first != PIECE)) {
        free(head);
        errf(m, "rank %d: a message from rank %d says %llu bytes but brings %zu", m->rank + m->first,
             st.MPI_SOURCE + m->first,
             (unsigned long long)total, first);
        return -1;
    }
    msg->from = st.MPI_SOURCE;
    msg->tag = st.MPI_TAG;
    msg->len = (size_t)total;
    if (!(msg->data = malloc(msg->len + 1))) {
        free(head);
        errf(m, "rank %d: out of memory receiving %zu bytes", m->rank + m->first, msg->len);
        return -1;
    }
    memcpy(msg->data, head + sizeof total, first);
    free(head);
    /* the rest follows from the same rank, in order (MPI does not let
     * messages between two ranks overtake each other) */
    for (size_t at = first; at < msg->len; at += PIECE) {
        size_t k = msg->len - at < PIECE ? msg->len - at : PIECE;
        rc = MPI_Recv(msg->data + at, (int)k, MPI_BYTE, msg->from, WF_TAG_MORE, COMM(m), MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS) {
            wf_mpi_msg_free(msg);
            return mpi_failed(m, rc, "MPI_Recv");
        }
    }
    msg->data[msg->len] = 0;  /* text messages end here */
    return 1;
#else
    (void)from, (void)tag;
    (void)m;
    return 0;
#endif
}

void wf_mpi_msg_free(wf_mpi_msg *msg)
{
    free(msg->data);
    msg->data = NULL;
    msg->len = 0;
}

/* ---- who is there ----------------------------------------------------------- */

int wf_mpi_alive(const wf_mpi *m, int rank)
{
    if (!m->peers || rank < 0 || rank >= m->size || rank == m->rank) return 1;
    const wf_peer *p = &m->peers[rank];
    if (strcmp(p->host, m->peers[m->rank].host)) return 1;  /* another host: cannot tell */
    /* kill(pid, 0) sends nothing: it asks whether the process exists. A
     * process that has ended but whose parent (the launcher) has not yet
     * collected it is a zombie: gone too. */
    if (kill((pid_t)p->pid, 0) != 0 && errno == ESRCH) return 0;
    char path[64], stat[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)p->pid);
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = 0;
    const char *paren = strrchr(stat, ')');
    return !(paren && (paren[2] == 'Z' || paren[2] == 'X'));
}

void wf_mpi_who(const wf_mpi *m, int rank, char *buf, size_t len)
{
    if (m->peers && rank >= 0 && rank < m->size)
        snprintf(buf, len, "rank %d (pid %ld on %s)", rank + m->first, (long)m->peers[rank].pid,
                 m->peers[rank].host);
    else
        snprintf(buf, len, "rank %d", rank + m->first);
}

/* ---- check-ins: where the ranks meet ---------------------------------------- */

static int send_text(wf_mpi *m, int to, int tag, const void *head, size_t head_len, const char *text)
{
    size_t tl = text ? strlen(text) : 0;
    unsigned char *b = malloc(head_len + tl + 1);
    if (!b) {
        errf(m, "rank %d: out of memory", m->rank + m->first);
        return -1;
    }
    memcpy(b, head, head_len);
    if (tl) memcpy(b + head_len, text, tl);
    int rc = wf_mpi_send(m, to, tag, b, head_len + tl);
    free(b);
    return rc;
}

int wf_mpi_reply(wf_mpi *m, int to, int go, int status, const char *message)
{
    wf_reply_msg r = {go, status};
    return send_text(m, to, WF_TAG_REPLY, &r, sizeof r, message);
}

void wf_mpi_note_checkin(wf_mpi *m, const wf_mpi_msg *msg)
{
    wf_checkin_msg c;
    if (msg->len < sizeof c || msg->from <= 0 || msg->from >= m->size) return;
    memcpy(&c, msg->data, sizeof c);
    wf_checkin *in = &m->in[msg->from];
    free(in->message);
    in->message = strdup((const char *)msg->data + sizeof c);
    in->at = c.at;
    in->seq = c.seq;
    in->status = c.status;
    in->threads = c.threads;
}

/* A rank other than 0: wait for rank 0's next message with this tag,
 * dropping others (what is left of a farm that ended), watching that rank
 * 0 is still there. */
static wf_status await_root(wf_mpi *m, int tag, wf_mpi_msg *msg)
{
    double last_look = wf_mpi_now();
    int idle = 0;
    for (;;) {
        int got = wf_mpi_poll(m, 0, -1, msg);
        if (got < 0) {
            m->broken = 1;
            return WF_ERANK;
        }
        if (got && msg->tag == tag) return WF_OK;
        if (got) {
            wf_mpi_msg_free(msg);
            idle = 0;
            continue;
        }
        if (wf_mpi_now() - last_look > 0.25) {
            last_look = wf_mpi_now();
            if (!wf_mpi_alive(m, 0)) {
                char who[128];
                wf_mpi_who(m, 0, who, sizeof who);
                errf(m, "%s, which writes the results, has died", who);
                m->broken = 1;
                return WF_ERANK;
            }
        }
        wf_mpi_nap(&idle);
    }
}

wf_status wf_mpi_checkin(wf_mpi *m, int at, int seq, int status, int threads, const char *message, int *go,
                         int *final_status)
{
    wf_checkin_msg c = {at, seq, status, threads};
    if (send_text(m, 0, WF_TAG_CHECKIN, &c, sizeof c, message)) {
        m->broken = 1;
        return WF_ERANK;
    }
    for (;;) {
        wf_mpi_msg msg;
        if (await_root(m, WF_TAG_REPLY, &msg) != WF_OK) return WF_ERANK;
        if (msg.len < sizeof(wf_reply_msg)) {
            wf_mpi_msg_free(&msg);
            continue;
        }
        wf_reply_msg r;
        memcpy(&r, msg.data, sizeof r);
        *go = r.go;
        if (final_status) *final_status = r.status;
        if (!r.go) snprintf(m->err, sizeof m->err, "%s", (const char *)msg.data + sizeof r);
        wf_mpi_msg_free(&msg);
        return WF_OK;
    }
}

wf_status wf_mpi_gather(wf_mpi *m, int seq)
{
    double last_look = 0;
    int idle = 0;
    for (;;) {
        int waiting = 0;
        for (int w = 1; w < m->size; w++)
            waiting += !(m->in[w].at == WF_AT_END || (m->in[w].at == WF_AT_FARM && m->in[w].seq == seq));
        if (!waiting) break;
        wf_mpi_msg msg;
        int got = wf_mpi_poll(m, -1, -1, &msg);
        if (got < 0) {
            m->broken = 1;
            return WF_ERANK;
        }
        if (got) {
            if (msg.tag == WF_TAG_CHECKIN) wf_mpi_note_checkin(m, &msg);
            wf_mpi_msg_free(&msg);
            idle = 0;
            continue;
        }
        if (wf_mpi_now() - last_look > 0.25) {
            last_look = wf_mpi_now();
            for (int w = 1; w < m->size; w++)
                if (!wf_mpi_alive(m, w)) {
                    char who[128];
                    wf_mpi_who(m, w, who, sizeof who);
                    errf(m, "%s has died (killed by a signal, out of memory, or its node failed)", who);
                    m->broken = 1;
                    return WF_ERANK;
                }
        }
        wf_mpi_nap(&idle);
    }
    for (int w = 1; w < m->size; w++)
        if (m->in[w].at == WF_AT_END) {
            char who[128];
            wf_mpi_who(m, w, who, sizeof who);
            errf(m, "%s stopped before the run: %s", who,
                 m->in[w].message && *m->in[w].message ? m->in[w].message : "it failed");
            return WF_ERANK;
        }
    return WF_OK;
}

/* ---- handing every rank the same bytes ------------------------------------------- */

wf_status wf_mpi_share(wf_mpi *m, const void *data, size_t len, wf_mpi_msg *got)
{
    memset(got, 0, sizeof *got);
    if (!m || m->size <= 1) return WF_OK;
    if (m->broken) {
        if (!m->err[0]) errf(m, "a rank of this job has died");
        return WF_ERANK;
    }
    int seq = m->farms++;
    if (m->rank > 0) {
        int go = 0;
        wf_status st = wf_mpi_checkin(m, WF_AT_FARM, seq, 0, 0, "", &go, NULL);
        if (st == WF_OK && !go) st = WF_ERANK;
        if (st == WF_OK) st = await_root(m, WF_TAG_SHARE, got);
        return st;
    }
    wf_status st = wf_mpi_gather(m, seq);
    for (int w = 1; w < m->size && !m->broken; w++) {
        if (m->in[w].at != WF_AT_FARM) continue;
        m->in[w].at = WF_AT_NONE;  /* a rank told to stop checks in at the end */
        if (wf_mpi_reply(m, w, st == WF_OK, st, m->err) != 0 ||
            (st == WF_OK && send_pieces(m, w, WF_TAG_SHARE, data, len, 1) != 0)) {
            m->broken = 1;
            st = WF_ERANK;
        }
    }
    return st;
}

/* ---- groups of ranks ------------------------------------------------------------- */

wf_mpi *wf_mpi_split(wf_mpi *m, int groups, int *group)
{
    *group = 0;
    if (!m || groups < 1 || groups > m->size) {
        if (m) errf(m, "%d groups of %d ranks: from 1 to the number of ranks", groups, m ? m->size : 1);
        return NULL;
    }
    wf_mpi_msg none;
    if (wf_mpi_share(m, "", 0, &none) != WF_OK) return NULL;
    wf_mpi_msg_free(&none);
    *group = (int)((long long)m->rank * groups / m->size);
    wf_mpi *g = calloc(1, sizeof *g);
    if (!g) {
        errf(m, "rank %d: out of memory", m->rank + m->first);
        return NULL;
    }
    g->parent = m;
    g->size = 1;
#ifdef WF_HAVE_MPI
    int lo = (int)(((long long)*group * m->size + groups - 1) / groups);
    if (!(g->comm = malloc(sizeof(MPI_Comm)))) {
        free(g);
        errf(m, "rank %d: out of memory", m->rank + m->first);
        return NULL;
    }
    int rc = MPI_Comm_split(COMM(m), *group, m->rank, (MPI_Comm *)g->comm);
    if (rc != MPI_SUCCESS) {
        mpi_failed(m, rc, "MPI_Comm_split");
        m->broken = 1;
        free(g->comm);
        free(g);
        return NULL;
    }
    MPI_Comm_set_errhandler(COMM(g), MPI_ERRORS_RETURN);
    MPI_Comm_rank(COMM(g), &g->rank);
    MPI_Comm_size(COMM(g), &g->size);
    g->peers = calloc((size_t)g->size, sizeof *g->peers);
    g->in = calloc((size_t)g->size, sizeof *g->in);
    if (!g->peers || !g->in || lo + g->size > m->size) {
        errf(m, "rank %d: out of memory", m->rank + m->first);
        wf_mpi_destroy(g);
        return NULL;
    }
    memcpy(g->peers, m->peers + lo, (size_t)g->size * sizeof *g->peers);
    g->first = m->first + lo;
#endif
    return g;
}

wf_status wf_mpi_agree(wf_mpi *m, wf_status status, const char *message)
{
    if (!m || m->size <= 1) return status;
    if (m->broken) {
        if (!m->err[0]) errf(m, "a rank of this job has died");
        return WF_ERANK;
    }
    int seq = m->farms++;
    if (m->rank > 0) {
        int go = 0, job = status;
        if (wf_mpi_checkin(m, WF_AT_FARM, seq, status, 0, message, &go, &job) != WF_OK) return WF_ERANK;
        return (wf_status)job;
    }
    wf_status st = wf_mpi_gather(m, seq);
    if (st != WF_OK) return st;
    int job = status, from = 0;
    for (int pass = 0; pass < 2 && !job; pass++)  /* a rank with a message first */
        for (int w = 1; w < m->size && !job; w++)
            if (m->in[w].status && (pass || (m->in[w].message && *m->in[w].message))) {
                job = m->in[w].status;
                from = w;
            }
    if (from) {
        char who[128];
        wf_mpi_who(m, from, who, sizeof who);
        errf(m, "%s: %s", who, m->in[from].message && *m->in[from].message ? m->in[from].message : "failed");
    }
    for (int w = 1; w < m->size; w++) {
        m->in[w].at = WF_AT_NONE;
        if (wf_mpi_reply(m, w, job == WF_OK, job, "") != 0) {
            m->broken = 1;
            return WF_ERANK;
        }
    }
    return (wf_status)job;
}

/* ---- the end -------------------------------------------------------------------- */

/* Rank 0: wait until every other rank has checked in at the end (telling
 * those still at a farm to stop), then agree on the job's status. */
static int finish_root(wf_mpi *m, int status)
{
    double last_look = wf_mpi_now();
    int idle = 0;
    for (;;) {
        int waiting = 0;
        for (int w = 1; w < m->size; w++) waiting += m->in[w].at != WF_AT_END;
        if (!waiting) break;
        wf_mpi_msg msg;
        int got = wf_mpi_poll(m, -1, -1, &msg);
        if (got < 0) {
            m->broken = 1;
            return status ? status : 1;
        }
        if (got && msg.tag == WF_TAG_CHECKIN) {
            wf_mpi_note_checkin(m, &msg);
            if (m->in[msg.from].at == WF_AT_FARM) {
                /* rank 0 left before this farm: stop it, it comes to the end */
                wf_mpi_reply(m, msg.from, 0, status, "rank 0 stopped before this part of the run");
                m->in[msg.from].at = WF_AT_NONE;
            }
        }
        if (got) {
            wf_mpi_msg_free(&msg);
            idle = 0;
            continue;
        }
        if (wf_mpi_now() - last_look > 0.25) {
            last_look = wf_mpi_now();
            for (int w = 1; w < m->size; w++)
                if (m->in[w].at != WF_AT_END && !wf_mpi_alive(m, w)) {
                    char who[128];
                    wf_mpi_who(m, w, who, sizeof who);
                    errf(m, "%s has died", who);
                    m->broken = 1;
                    return status ? status : 1;
                }
        }
        wf_mpi_nap(&idle);
    }
    int job = status;
    for (int w = 1; w < m->size && !job; w++)
        if (m->in[w].status) {
            char who[128];
            wf_mpi_who(m, w, who, sizeof who);
            job = m->in[w].status;
            errf(m, "%s: %s", who, m->in[w].message && *m->in[w].message ? m->in[w].message : "failed");
        }
    for (int w = 1; w < m->size; w++) wf_mpi_reply(m, w, 0, job, "");
    return job;
}

int wf_mpi_finish(wf_mpi *m, int status, const char *message)
{
    if (!m) return status;
    if (m->ended) return m->status;
    m->ended = 1;
    m->status = status;
    if (m->size <= 1 || m->broken) return status;
    if (m->rank == 0) {
        m->status = finish_root(m, status);
        return m->status;
    }
    int go = 0, job = status;
    char keep[sizeof m->err];
    memcpy(keep, m->err, sizeof keep);
    if (wf_mpi_checkin(m, WF_AT_END, m->farms, status, 0, message, &go, &job) != WF_OK) return status;
    memcpy(m->err, keep, sizeof keep);
    m->status = job;
    return job;
}

void wf_mpi_destroy(wf_mpi *m)
{
    if (!m) return;
    if (m->parent && m->broken) {  /* a rank of the group died: the job ends */
        m->parent->broken = 1;
        if (!m->parent->status) m->parent->status = m->status ? m->status : 1;
    }
#ifdef WF_HAVE_MPI
    /* a group's communicator (a broken one's ranks may never free it) */
    if (m->parent && m->comm && !m->broken) MPI_Comm_free((MPI_Comm *)m->comm);
    if (m->joined) {
        /* A rank that died never reaches MPI_Finalize, which waits for
         * every rank: end the job instead. */
        if (m->size > 1 && (m->broken || !m->ended))
            MPI_Abort(MPI_COMM_WORLD, m->status ? m->status : 1);
        if (m->comm) MPI_Comm_free((MPI_Comm *)m->comm);
        MPI_Finalize();
    }
#endif
    for (int i = 0; m->in && i < m->size; i++) free(m->in[i].message);
    free(m->lost);
    free(m->in);
    free(m->peers);
    free(m->comm);
    free(m);
}
