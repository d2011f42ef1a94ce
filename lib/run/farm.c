/* The farm (farm.h): tasks handed out to the ranks of a job, outputs
 * consumed on rank 0 in task order.
 *
 * Messages (mpi.h): a rank checks in at the farm with its threads; rank 0,
 * once all have (or one has failed before it), replies go or stop. Then
 * TASK (farm, task, input) from rank 0, RESULT (farm, task, status, output
 * or message) back, BEAT every few seconds from every rank, and END
 * (status, message) from rank 0 when all is consumed or the farm stops. A
 * rank that gets END while computing cancels its task and drops it. Every
 * TASK and RESULT carries the farm's number: one left over from a farm
 * that stopped is recognised and dropped.
 *
 * Rank 0 never waits on a rank: it polls, hands out, and every quarter of
 * a second looks whether each rank's process is still there (same host)
 * and has been heard from in the last minute (any host). A rank gone is
 * named, the farm stops at once (after the consume in flight) and the job
 * is ended by wf_mpi_destroy (MPI cannot finish with a dead rank). */
#define _POSIX_C_SOURCE 200809L
#include "run/farm.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/mpi.h"

#define BEAT_EVERY 5.0      /* seconds between a rank's beats */
#define SILENT_DEAD 60.0    /* seconds without a word: the rank is gone */
#define LOOK_EVERY 0.25     /* seconds between looks at the ranks' processes */
#define NO_TASK UINT64_MAX  /* RESULT of no task: the rank was interrupted */

/* Threads of the farm's block every signal: signals stay the program's
 * (its handler raises the cancel flag that the calling thread watches). */
static int start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int e = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return e;
}

/* ---- a thread that computes one task at a time --------------------------- */

typedef struct {
    const wf_farm *job;
    wf_cancel *cancel;  /* the task's: the caller's flag or rank 0's word */
    pthread_t thread;
    int inited, started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* under mu */
    int has_task, done, quit;
    size_t task;
    wf_buf in, out;
    wf_status st;
    char err[1024];
} runner;

static void *runner_main(void *arg)
{
    runner *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->has_task && !r->quit) pthread_cond_wait(&r->cv, &r->mu);
        if (r->quit) break;
        size_t task = r->task;
        pthread_mutex_unlock(&r->mu);
        char err[sizeof r->err] = "";
        wf_buf out = {0};
        wf_status st = r->job->compute(r->job->user, task, r->in.data, r->in.len, &out, r->cancel, err, sizeof err);
        pthread_mutex_lock(&r->mu);
        r->out = out;
        r->st = st;
        memcpy(r->err, err, sizeof err);
        r->has_task = 0;
        r->done = 1;
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static int runner_start(runner *r, const wf_farm *job, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->job = job;
    r->inited = 1;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (!(r->cancel = wf_cancel_create()) || start_thread(&r->thread, runner_main, r)) {
        snprintf(err, errlen, "cannot start the thread that computes");
        return -1;
    }
    r->started = 1;
    return 0;
}

/* Give it a task (it must be free); takes the input's bytes. */
static void runner_give(runner *r, size_t task, wf_buf *in)
{
    pthread_mutex_lock(&r->mu);
    wf_buf_free(&r->in);
    r->in = *in;
    memset(in, 0, sizeof *in);
    r->task = task;
    r->has_task = 1;
    r->done = 0;
    wf_cancel_reset(r->cancel);
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* A finished task: 1 with its number, status, output and message. */
static int runner_take(runner *r, size_t *task, wf_status *st, wf_buf *out, char *err, size_t errlen)
{
    pthread_mutex_lock(&r->mu);
    int done = r->done;
    if (done) {
        *task = r->task;
        *st = r->st;
        *out = r->out;
        memset(&r->out, 0, sizeof r->out);
        snprintf(err, errlen, "%s", r->err);
        r->done = 0;
    }
    pthread_mutex_unlock(&r->mu);
    return done;
}

/* Cancel the task in flight, wait for it, drop it, end the thread. */
static void runner_stop(runner *r)
{
    if (!r->inited) return;
    if (r->started) {
        wf_cancel_request(r->cancel);
        pthread_mutex_lock(&r->mu);
        r->quit = 1;
        pthread_cond_signal(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL);
    }
    wf_buf_free(&r->in);
    wf_buf_free(&r->out);
    wf_cancel_destroy(r->cancel);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    r->started = r->inited = 0;
}

/* ---- one process: every task in turn ----------------------------------------- */

static wf_status farm_alone(const wf_farm *job, char *err, size_t errlen)
{
    size_t n = job->plan(job->user, 1, &job->threads);
    wf_status st = WF_OK;
    for (size_t t = 0; t < n && st == WF_OK; t++) {
        wf_buf in = {0}, out = {0};
        if (wf_cancel_requested(job->cancel)) {
            snprintf(err, errlen, "cancelled");
            st = WF_ECANCELLED;
        }
        if (st == WF_OK && job->input) st = job->input(job->user, t, &in, err, errlen);
        if (st == WF_OK) st = job->compute(job->user, t, in.data, in.len, &out, job->cancel, err, errlen);
        if (st == WF_OK && job->arrived && job->arrived(job->user, t)) {
            snprintf(err, errlen, "stopped by the progress callback");
            st = WF_ECANCELLED;
        }
        if (st == WF_OK) st = job->consume(job->user, t, &out, err, errlen);
        wf_buf_free(&in);
        wf_buf_free(&out);
    }
    return st;
}

size_t wf_farm_task_units(size_t units, int ranks, const int *threads, size_t *most)
{
    size_t m = 1;
    for (int r = 0; r < ranks; r++)
        if (threads[r] > 0 && (size_t)threads[r] > m) m = (size_t)threads[r];
    size_t u = units / (4 * (size_t)(ranks > 0 ? ranks : 1));
    if (u < m) u = m;
    if (u > 4 * m) u = 4 * m;
    if (most) *most = m;
    return u;
}

/* ---- rank 0 -------------------------------------------------------------------- */

enum { SLOT_FREE, SLOT_OUT, SLOT_READY };

typedef struct {
    int state;
    wf_buf out;
} slot;

/* The thread that consumes outputs in task order. */
typedef struct {
    const wf_farm *job;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* under mu */
    slot *slots;
    size_t window, base, n;  /* tasks before base are consumed */
    int stop;                /* stop after the consume in flight */
    wf_status st;
    char err[1024];
} consumer;

static void *consumer_main(void *arg)
{
    consumer *c = arg;
    pthread_mutex_lock(&c->mu);
    while (c->base < c->n && !c->stop && c->st == WF_OK) {
        slot *s = &c->slots[c->base % c->window];
        if (s->state != SLOT_READY) {
            pthread_cond_wait(&c->cv, &c->mu);
            continue;
        }
        wf_buf out = s->out;
        memset(&s->out, 0, sizeof s->out);
        size_t t = c->base;
        pthread_mutex_unlock(&c->mu);
        char err[sizeof c->err] = "";
        wf_status st = c->job->consume(c->job->user, t, &out, err, sizeof err);
        wf_buf_free(&out);
        pthread_mutex_lock(&c->mu);
        s->state = SLOT_FREE;
        c->base++;
        if (st != WF_OK) {
            c->st = st;
            memcpy(c->err, err, sizeof err);
        }
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Rank 0's state of the farm. */
typedef struct {
    wf_mpi *m;
    const wf_farm *job;
    int seq;
    size_t n, next;           /* tasks; the next to hand out */
    long *busy;               /* [size]: the task a rank computes, or -1 */
    double *heard;            /* [size]: when it was last heard from */
    runner local;
    consumer cons;
    wf_status st;             /* WF_OK while the farm runs */
    char err[1024];
} root;

static void stop_with(root *f, wf_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void stop_with(root *f, wf_status st, const char *fmt, ...)
{
    if (f->st != WF_OK) return;  /* the first cause */
    f->st = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->err, sizeof f->err, fmt, ap);
    va_end(ap);
}

/* A task's output is here: into its slot, for the consumer. */
static void deliver(root *f, size_t t, wf_buf *out)
{
    pthread_mutex_lock(&f->cons.mu);
    slot *s = &f->cons.slots[t % f->cons.window];
    s->out = *out;
    s->state = SLOT_READY;
    memset(out, 0, sizeof *out);
    pthread_cond_signal(&f->cons.cv);
    pthread_mutex_unlock(&f->cons.mu);
    if (f->job->arrived && f->job->arrived(f->job->user, t))
        stop_with(f, WF_ECANCELLED, "stopped by the progress callback");
}

/* The next task, if the window has room: its input, and its slot taken. */
static int next_task(root *f, size_t *t, wf_buf *in)
{
    pthread_mutex_lock(&f->cons.mu);
    int room = f->next < f->n && f->next < f->cons.base + f->cons.window;
    if (room) f->cons.slots[f->next % f->cons.window].state = SLOT_OUT;
    pthread_mutex_unlock(&f->cons.mu);
    if (!room) return 0;
    *t = f->next++;
    char err[1024] = "";
    if (f->job->input && f->job->input(f->job->user, *t, in, err, sizeof err) != WF_OK) {
        stop_with(f, WF_EINVAL, "task %zu: %s", *t + 1, err);
        return 0;
    }
    return 1;
}

/* Hand out tasks: first to the other ranks that are free, then to rank 0's
 * own thread (so that the others never wait for rank 0). */
static void hand_out(root *f)
{
    for (int w = 1; w < f->m->size && f->st == WF_OK; w++) {
        if (f->busy[w] >= 0) continue;
        size_t t;
        wf_buf in = {0};
        if (!next_task(f, &t, &in)) break;
        uint64_t head[2] = {(uint64_t)f->seq, (uint64_t)t};
        if (wf_buf_reserve(&in, sizeof head) == 0) {
            memmove(in.data + sizeof head, in.data, in.len);
            memcpy(in.data, head, sizeof head);
            in.len += sizeof head;
            if (wf_mpi_send(f->m, w, WF_TAG_TASK, in.data, in.len) == 0)
                f->busy[w] = (long)t;
            else
                stop_with(f, WF_ERANK, "%s", f->m->err);
        } else {
            stop_with(f, WF_ENOMEM, "out of memory handing out task %zu", t + 1);
        }
        wf_buf_free(&in);
    }
    if (f->st == WF_OK && f->busy[0] < 0) {
        size_t t;
        wf_buf in = {0};
        if (next_task(f, &t, &in)) {
            runner_give(&f->local, t, &in);
            f->busy[0] = (long)t;
        }
        wf_buf_free(&in);
    }
}

/* One message from a rank. */
static void on_message(root *f, wf_mpi_msg *msg)
{
    int w = msg->from;
    char who[128];
    wf_mpi_who(f->m, w, who, sizeof who);
    f->heard[w] = wf_mpi_now();
    if (msg->tag == WF_TAG_CHECKIN) {
        /* a rank checks in elsewhere in the middle of a farm: it has left it */
        wf_mpi_note_checkin(f->m, msg);
        stop_with(f, WF_ERANK, "%s left the run: %s", who, f->m->in[w].message ? f->m->in[w].message : "");
        return;
    }
    if (msg->tag != WF_TAG_RESULT) return;  /* a beat */
    struct {
        uint64_t seq, task;
        int32_t status;
    } h;
    if (msg->len < sizeof h) return;
    memcpy(&h, msg->data, sizeof h);
    if (h.seq != (uint64_t)f->seq) return;  /* from a farm that stopped */
    if (h.task == NO_TASK) {
        stop_with(f, WF_ECANCELLED, "%s was interrupted", who);
        return;
    }
    if ((long)h.task != f->busy[w]) return;
    f->busy[w] = -1;
    if (h.status == WF_ECANCELLED) {
        stop_with(f, WF_ECANCELLED, "%s was interrupted", who);
    } else if (h.status != WF_OK) {
        stop_with(f, (wf_status)h.status, "%s, task %llu: %s", who, (unsigned long long)h.task + 1,
                  (const char *)msg->data + sizeof h);
    } else {
        wf_buf out = {msg->data, msg->len, msg->len};
        memmove(out.data, out.data + sizeof h, msg->len - sizeof h);
        out.len -= sizeof h;
        msg->data = NULL;
        deliver(f, (size_t)h.task, &out);
    }
}

/* Is every rank still there? A rank gone stops the farm, named, whatever
 * else stopped it: the job must then be ended, not finished. */
static void look_at_ranks(root *f)
{
    double now = wf_mpi_now();
    for (int w = 1; w < f->m->size; w++) {
        int silent = now - f->heard[w] >= SILENT_DEAD;
        if (!silent && wf_mpi_alive(f->m, w)) continue;
        char who[128];
        wf_mpi_who(f->m, w, who, sizeof who);
        f->m->broken = 1;
        f->st = WF_ERANK;
        if (silent)
            snprintf(f->err, sizeof f->err, "%s has not been heard from for %.0f s: it died, hangs, or its node "
                     "or network failed", who, now - f->heard[w]);
        else
            snprintf(f->err, sizeof f->err, "%s has died (killed by a signal, out of memory, or its node "
                     "failed)", who);
        return;
    }
}

/* Every rank has checked in at this farm: go. Else stop those that have,
 * and name the first that failed before it. */
static wf_status gather(root *f, int *threads)
{
    wf_mpi *m = f->m;
    if (wf_mpi_gather(m, f->seq) != WF_OK) stop_with(f, WF_ERANK, "%s", m->err);
    if (m->broken) return f->st;
    for (int w = 1; w < m->size; w++) {
        if (m->in[w].at != WF_AT_FARM) continue;
        threads[w] = m->in[w].threads;
        if (wf_mpi_reply(m, w, f->st == WF_OK, f->st, f->err) != 0) stop_with(f, WF_ERANK, "%s", m->err);
        m->in[w].at = WF_AT_NONE;  /* a rank told to stop checks in at the end */
    }
    return f->st;
}

static wf_status farm_root(wf_mpi *m, const wf_farm *job, char *err, size_t errlen)
{
    root f = {.m = m, .job = job, .seq = m->farms, .st = WF_OK};
    size_t size = (size_t)m->size;
    int *threads = calloc(size, sizeof *threads);
    f.busy = malloc(size * sizeof *f.busy);
    f.heard = calloc(size, sizeof *f.heard);
    if (!threads || !f.busy || !f.heard) {
        free(threads);
        free(f.busy);
        free(f.heard);
        snprintf(err, errlen, "out of memory");
        m->broken = 1;  /* the others wait at the farm: the job must end */
        return WF_ENOMEM;
    }
    for (size_t w = 0; w < size; w++) f.busy[w] = -1;
    threads[0] = job->threads;
    int gathered = gather(&f, threads) == WF_OK;
    if (gathered) {
        f.n = job->plan(job->user, m->size, threads);
        consumer *c = &f.cons;
        c->job = job;
        c->n = f.n;
        c->window = job->window ? job->window : 4 * size;
        pthread_mutex_init(&c->mu, NULL);
        pthread_cond_init(&c->cv, NULL);
        c->slots = calloc(c->window, sizeof *c->slots);
        if (!c->slots) stop_with(&f, WF_ENOMEM, "out of memory");
        else if (start_thread(&c->thread, consumer_main, c)) stop_with(&f, WF_ENOMEM, "cannot start the thread that saves");
        else c->started = 1;
        if (f.st == WF_OK && runner_start(&f.local, job, f.err, sizeof f.err)) f.st = WF_ENOMEM;
    }
    double now = wf_mpi_now(), last_look = now;
    for (size_t w = 1; w < size; w++) f.heard[w] = now;
    int idle = 0;
    while (f.st == WF_OK) {
        if (wf_cancel_requested(job->cancel)) {
            /* a launcher stops every rank (SIGTERM) when one has died:
             * name the dead one rather than report an interruption */
            look_at_ranks(&f);
            stop_with(&f, WF_ECANCELLED, "cancelled");
            break;
        }
        pthread_mutex_lock(&f.cons.mu);
        size_t consumed = f.cons.base;
        wf_status cst = f.cons.st;
        if (cst != WF_OK) stop_with(&f, cst, "%s", f.cons.err);
        pthread_mutex_unlock(&f.cons.mu);
        if (f.st != WF_OK || consumed == f.n) break;
        hand_out(&f);
        int busy_before = 0;
        wf_mpi_msg msg;
        int got = wf_mpi_poll(m, -1, -1, &msg);
        if (got < 0) {
            m->broken = 1;
            stop_with(&f, WF_ERANK, "%s", m->err);
        } else if (got) {
            on_message(&f, &msg);
            wf_mpi_msg_free(&msg);
            busy_before = 1;
        }
        size_t t;
        wf_status st;
        wf_buf out = {0};
        char terr[1024];
        if (runner_take(&f.local, &t, &st, &out, terr, sizeof terr)) {
            f.busy[0] = -1;
            busy_before = 1;
            if (st == WF_OK) deliver(&f, t, &out);
            else if (st == WF_ECANCELLED && wf_cancel_requested(job->cancel)) stop_with(&f, st, "cancelled");
            else stop_with(&f, st, "rank %d, task %zu: %s", m->first, t + 1, terr);
            wf_buf_free(&out);
        }
        if (wf_mpi_now() - last_look > LOOK_EVERY) {
            last_look = wf_mpi_now();
            look_at_ranks(&f);
        }
        if (busy_before) idle = 0;
        else wf_mpi_nap(&idle);
    }
    /* The end: tell every rank (one computing drops its task), then stop
     * our own computing, then let the consume in flight finish. */
    if (gathered && !m->broken) {
        wf_reply_msg end = {0, f.st};
        wf_buf b = {0};
        if (wf_buf_put(&b, &end, sizeof end) == 0 && wf_buf_put(&b, f.err, strlen(f.err)) == 0)
            for (int w = 1; w < m->size; w++)
                if (wf_mpi_send(m, w, WF_TAG_END, b.data, b.len) != 0) m->broken = 1;
        wf_buf_free(&b);
    }
    runner_stop(&f.local);
    if (f.cons.started) {
        pthread_mutex_lock(&f.cons.mu);
        f.cons.stop = 1;
        pthread_cond_signal(&f.cons.cv);
        pthread_mutex_unlock(&f.cons.mu);
        pthread_join(f.cons.thread, NULL);
        if (f.st == WF_OK && f.cons.st != WF_OK) stop_with(&f, f.cons.st, "%s", f.cons.err);
    }
    if (f.cons.slots) {
        for (size_t i = 0; i < f.cons.window; i++) wf_buf_free(&f.cons.slots[i].out);
        pthread_mutex_destroy(&f.cons.mu);
        pthread_cond_destroy(&f.cons.cv);
    }
    free(f.cons.slots);
    free(threads);
    free(f.busy);
    free(f.heard);
    snprintf(err, errlen, "%s", f.err);
    return f.st;
}

/* ---- the other ranks -------------------------------------------------------------- */

static int send_result(wf_mpi *m, int seq, uint64_t task, wf_status st, const wf_buf *out, const char *msg)
{
    struct {
        uint64_t seq, task;
        int32_t status;
    } h = {(uint64_t)seq, task, st};
    wf_buf b = {0};
    int rc = -1;
    if (wf_buf_reserve(&b, sizeof h + (out ? out->len : strlen(msg))) == 0) {
        wf_buf_put(&b, &h, sizeof h);
        if (st == WF_OK) wf_buf_put(&b, out->data, out->len);
        else wf_buf_put(&b, msg, strlen(msg));
        rc = wf_mpi_send(m, 0, WF_TAG_RESULT, b.data, b.len);
    }
    wf_buf_free(&b);
    return rc;
}

static wf_status farm_rank(wf_mpi *m, const wf_farm *job, char *err, size_t errlen)
{
    int seq = m->farms, go = 0;
    wf_status st = wf_mpi_checkin(m, WF_AT_FARM, seq, 0, job->threads, "", &go, NULL);
    if (st != WF_OK) {
        snprintf(err, errlen, "%s", m->err);
        return st;
    }
    if (!go) {
        snprintf(err, errlen, "%s", m->err);
        return WF_ERANK;
    }
    runner r;
    if (runner_start(&r, job, err, errlen)) {
        /* rank 0 waits for this rank's results: end the job */
        m->broken = 1;
        runner_stop(&r);
        return WF_ENOMEM;
    }
    long task = -1;
    int told_interrupted = 0, idle = 0;
    double last_beat = wf_mpi_now(), last_look = last_beat;
    st = WF_OK;
    for (;;) {
        wf_mpi_msg msg;
        int got = wf_mpi_poll(m, 0, -1, &msg);
        if (got < 0) {
            m->broken = 1;
            snprintf(err, errlen, "%s", m->err);
            st = WF_ERANK;
            break;
        }
        if (got && msg.tag == WF_TAG_END && msg.len >= sizeof(wf_reply_msg)) {
            wf_reply_msg end;
            memcpy(&end, msg.data, sizeof end);
            st = (wf_status)end.status;
            snprintf(err, errlen, "%s", (const char *)msg.data + sizeof end);
            wf_mpi_msg_free(&msg);
            break;
        }
        if (got && msg.tag == WF_TAG_TASK && msg.len >= 2 * sizeof(uint64_t)) {
            uint64_t head[2];
            memcpy(head, msg.data, sizeof head);
            if (head[0] == (uint64_t)seq && task < 0) {
                wf_buf in = {0};
                wf_buf_put(&in, msg.data + sizeof head, msg.len - sizeof head);
                task = (long)head[1];
                runner_give(&r, (size_t)task, &in);
                wf_buf_free(&in);
            }
        }
        if (got) {
            wf_mpi_msg_free(&msg);
            idle = 0;
            continue;
        }
        size_t t;
        wf_status tst;
        wf_buf out = {0};
        char terr[1024];
        if (runner_take(&r, &t, &tst, &out, terr, sizeof terr)) {
            if (tst == WF_ECANCELLED && wf_cancel_requested(job->cancel)) told_interrupted = 1;
            int rc = send_result(m, seq, (uint64_t)t, tst, &out, terr);
            wf_buf_free(&out);
            task = -1;
            last_beat = wf_mpi_now();
            if (rc) {
                m->broken = 1;
                snprintf(err, errlen, "%s", m->err);
                st = WF_ERANK;
                break;
            }
            idle = 0;
            continue;
        }
        if (wf_cancel_requested(job->cancel)) {
            /* interrupted here: stop the task; tell rank 0 once if idle */
            if (task >= 0) wf_cancel_request(r.cancel);
            else if (!told_interrupted) {
                told_interrupted = 1;
                if (send_result(m, seq, NO_TASK, WF_ECANCELLED, NULL, "interrupted")) m->broken = 1;
            }
        }
        double now = wf_mpi_now();
        if (now - last_beat > BEAT_EVERY) {
            last_beat = now;
            if (wf_mpi_send(m, 0, WF_TAG_BEAT, "", 0)) {
                m->broken = 1;
                snprintf(err, errlen, "%s", m->err);
                st = WF_ERANK;
                break;
            }
        }
        if (now - last_look > LOOK_EVERY) {
            last_look = now;
            if (!wf_mpi_alive(m, 0)) {
                char who[128];
                wf_mpi_who(m, 0, who, sizeof who);
                snprintf(err, errlen, "%s, which writes the results, has died", who);
                m->broken = 1;
                st = WF_ERANK;
                break;
            }
        }
        wf_mpi_nap(&idle);
    }
    runner_stop(&r);
    return st;
}

wf_status wf_farm_run(wf_mpi *m, const wf_farm *job, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (wf_mpi_size(m) <= 1) return farm_alone(job, err, errlen);
    if (m->broken) {
        snprintf(err, errlen, "%s", m->err[0] ? m->err : "a rank of this job has died");
        return WF_ERANK;
    }
    wf_status st = m->rank == 0 ? farm_root(m, job, err, errlen) : farm_rank(m, job, err, errlen);
    m->farms++;
    return st;
}
