/* The event queue and the slot pool (lib/core): events come out in (time,
 * sequence) order whichever of the day buckets or the heap held them,
 * `first` events win ties, and a reset queue or pool behaves exactly as a
 * new one (threads reuse them from one replicate to the next). */
#include <gsl/gsl_rng.h>

#include "check.h"
#include "core/event_queue.h"
#include "core/pool.h"
#include "core/rng.h"

#define N 20000

/* Push N events at random times in [t0 - 2, t0 + days + 2) (some before
 * and after the bucketed window, many ties; `first` events at whole
 * days, as day boundaries are), interleaved with pops as a
 * simulation does (never scheduling into the past); record what pops. */
static int drive(wf_event_queue *q, double t0, int days, uint64_t key, wf_event *out)
{
    gsl_rng *r = gsl_rng_alloc(wf_rng_stream);
    wf_rng_seek(r, key, 0);
    int n_out = 0, pushed = 0;
    double now = t0 - 2;
    while (pushed < N || wf_eq_ready(q)) {
        if (pushed < N && (gsl_rng_uniform(r) < 0.6 || !wf_eq_ready(q))) {
            double t = now + floor(gsl_rng_uniform(r) * 8 * (days + 4)) / 8 * (gsl_rng_uniform(r) < 0.9 ? 0.05 : 1);
            /* a `first` event is never due now: one already served cannot be beaten */
            bool first = gsl_rng_uniform(r) < 0.1;
            if (first) t = floor(now) + 1 + floor(gsl_rng_uniform(r) * 4);
            if (wf_eq_push(q, t, (uint32_t)pushed, pushed, 0, 0, first)) break;
            pushed++;
        } else {
            wf_eq_pop(q, &out[n_out]);
            now = out[n_out++].t;
        }
    }
    gsl_rng_free(r);
    return n_out;
}

static int in_order(const wf_event *e, int n)
{
    for (int i = 1; i < n; i++) {
        if (e[i].t < e[i - 1].t) return 0;
        if (e[i].t == e[i - 1].t) {
            int fa = !(e[i - 1].seq >> 63), fb = !(e[i].seq >> 63);
            if (fb && !fa) return 0;  /* a `first` event after an ordinary one */
            if (fa == fb && e[i].seq < e[i - 1].seq) return 0;
        }
    }
    return 1;
}

static void queue(void)
{
    static wf_event a[N], b[N], c[N];
    wf_event_queue q, fresh, plain;
    double t0 = -30.5;
    int days = 60;
    CHECK(wf_eq_init(&q, 16, t0, days) == 0);
    int na = drive(&q, t0, days, 1, a);
    CHECK(na == N);
    CHECK(in_order(a, na));

    /* the same pushes into a plain heap (no buckets) pop identically */
    CHECK(wf_eq_init(&plain, 16, t0, 0) == 0);
    CHECK(drive(&plain, t0, days, 1, c) == N);
    CHECK(memcmp(a, c, sizeof a) == 0);
    wf_eq_free(&plain);

    /* reset after a different history equals a new queue */
    CHECK(wf_eq_reset(&q, t0 + 3, days) == 0);
    int nb = drive(&q, t0 + 3, days, 2, b);
    CHECK(wf_eq_init(&fresh, 16, t0 + 3, days) == 0);
    int nc = drive(&fresh, t0 + 3, days, 2, c);
    CHECK(nb == N && nc == N);
    CHECK(memcmp(b, c, sizeof b) == 0);

    /* reset part-way through (events still pending), and to another window */
    wf_eq_free(&fresh);
    CHECK(wf_eq_reset(&q, t0, days) == 0);
    for (int i = 0; i < 500; i++) CHECK(wf_eq_push(&q, t0 + i % 50, 0, i, 0, 0, false) == 0);
    CHECK(q.n == 0);  /* later days wait in their buckets, not in the heap */
    for (int i = 0; i < 100; i++) CHECK(wf_eq_push(&q, t0 + days + 365 + i, 0, i, 0, 0, false) == 0);
    CHECK(q.n == 0);  /* and so do times beyond the window (long stays) */
    CHECK(wf_eq_reset(&q, t0, days) == 0);
    CHECK(!wf_eq_ready(&q));
    CHECK(drive(&q, t0, days, 1, b) == N);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(wf_eq_reset(&q, 0, days + 7) == 0);
    CHECK(wf_eq_init(&fresh, 16, 0, days + 7) == 0);
    CHECK(drive(&q, 0, days + 7, 3, b) == N);
    CHECK(drive(&fresh, 0, days + 7, 3, c) == N);
    CHECK(memcmp(b, c, sizeof b) == 0);
    wf_eq_free(&fresh);
    wf_eq_free(&q);
}

/* A day whose events crowd into seconds (far more than one sort bin holds),
 * pushed out of order, with ties and `first` events among them: the
 * bucketed queue pops them as the plain heap does, in order. */
static void crowd(void)
{
    enum { M = 3000 };
    static wf_event a[M], b[M];
    wf_event_queue q[2];
    CHECK(wf_eq_init(&q[0], 16, 0, 10) == 0);
    CHECK(wf_eq_init(&q[1], 16, 0, 0) == 0);
    for (int k = 0; k < 2; k++) {
        gsl_rng *r = gsl_rng_alloc(wf_rng_stream);
        wf_rng_seek(r, 7, 0);
        for (int i = 0; i < M; i++) {
            double t = 5.5 + floor(gsl_rng_uniform(r) * 400) * 1e-7;
            CHECK(wf_eq_push(&q[k], t, 0, i, 0, 0, gsl_rng_uniform(r) < 0.05) == 0);
        }
        gsl_rng_free(r);
    }
    int n = 0;
    while (n < M && wf_eq_ready(&q[0]) && wf_eq_ready(&q[1])) {
        wf_eq_pop(&q[0], &a[n]);
        wf_eq_pop(&q[1], &b[n++]);
    }
    CHECK(n == M && !wf_eq_ready(&q[0]) && !wf_eq_ready(&q[1]));
    CHECK(in_order(a, n));
    CHECK(memcmp(a, b, sizeof a) == 0);
    wf_eq_free(&q[0]);
    wf_eq_free(&q[1]);
}

/* Many events pushed, out of order, for later parts of a day already
 * reached (more than the heap held to begin with, so that it grows ahead
 * of a part), and some for the current part; early on and half-way, many
 * for a later day (the sorted day grows while being served: the sanitizer
 * build would see a stale pointer): they pop as from the plain heap. */
static void parts(void)
{
    enum { M = 2000, L = 3000 };
    static wf_event a[M + 2 * L + 50], b[M + 2 * L + 50];
    wf_event_queue q[2];
    CHECK(wf_eq_init(&q[0], 16, 0, 10) == 0);
    CHECK(wf_eq_init(&q[1], 16, 0, 0) == 0);
    for (int k = 0; k < 2; k++) {
        CHECK(wf_eq_push(&q[k], 3.0, 0, -1, 0, 0, true) == 0);
        for (int i = 0; i < 49; i++) CHECK(wf_eq_push(&q[k], 3.0 + i * 1e-4, 0, -2 - i, 0, 0, false) == 0);
        CHECK(wf_eq_ready(&q[k]));
        wf_eq_pop(&q[k], &(k ? b : a)[0]);   /* day 3 reached */
        gsl_rng *r = gsl_rng_alloc(wf_rng_stream);
        wf_rng_seek(r, 11, 0);
        for (int i = 0; i < M; i++) {
            double t = 3.0 + (i % 7 == 0 ? 0.001 * gsl_rng_uniform(r) : floor(gsl_rng_uniform(r) * 96) / 96);
            CHECK(wf_eq_push(&q[k], t, 0, i, 0, 0, false) == 0);
        }
        gsl_rng_free(r);
    }
    int n = 1;
    while (n < M + 2 * L + 50 && wf_eq_ready(&q[0]) && wf_eq_ready(&q[1])) {
        wf_eq_pop(&q[0], &a[n]);
        wf_eq_pop(&q[1], &b[n++]);
        if (n == 10 || n == M / 2)
            for (int k = 0; k < 2; k++)
                for (int i = 0; i < L; i++)
                    CHECK(wf_eq_push(&q[k], 4.0 + n + (L - i) * 1e-4, 0, M + i, 0, 0, false) == 0);
    }
    CHECK(n == M + 2 * L + 50 && !wf_eq_ready(&q[0]) && !wf_eq_ready(&q[1]));
    CHECK(in_order(a, n));
    CHECK(memcmp(a, b, sizeof a) == 0);
    wf_eq_free(&q[0]);
    wf_eq_free(&q[1]);
}

static void pool(void)
{
    wf_pool p;
    CHECK(wf_pool_init(&p, 24, 4) == 0);
    int32_t s[200];
    for (int i = 0; i < 200; i++) {
        s[i] = wf_pool_alloc(&p);
        CHECK(s[i] == i);  /* fresh slots in order, growing past the capacity */
        memset(wf_pool_at(&p, s[i]), 0xab, 24);
    }
    wf_pool_release(&p, s[7]);
    wf_pool_release(&p, s[9]);
    CHECK(p.live == 198);
    CHECK(wf_pool_alloc(&p) == 9);  /* LIFO reuse, bytes kept */
    CHECK(((unsigned char *)wf_pool_at(&p, 9))[0] == 0xab);
    wf_pool_reset(&p);
    CHECK(p.live == 0);
    /* after a reset, records are fresh and zeroed, as from a new pool */
    for (int i = 0; i < 200; i++) {
        int32_t k = wf_pool_alloc(&p);
        CHECK(k == i);
        const unsigned char *b = wf_pool_at(&p, k);
        int zero = 1;
        for (int j = 0; j < 24; j++) zero &= b[j] == 0;
        CHECKF(zero, "slot %d not zeroed after reset", k);
    }
    wf_pool_free(&p);
}

int main(void)
{
    queue();
    crowd();
    parts();
    pool();
    return CHECK_DONE();
}
