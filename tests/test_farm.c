/* The pieces of spreading work over MPI ranks that one process can check
 * (the ranks themselves: tests/mpi.cmake): replicate blocks run apart
 * (wf_run_block), packed and unpacked into results shaped by wf_run_shape,
 * equal a whole run bit for bit; damaged or misfitting packs are refused;
 * the farm on one process computes every task, consumes them in order and
 * stops on a failure, a cancel or its progress callback; wf_mpi outside a
 * launcher is a job of one rank. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine_util.h"
#include "results/results.h"
#include "run/farm.h"
#include "run/run.h"

#define TINY WF_SOURCE_DIR "/tests/cli/tiny.yaml"

static size_t values(const wf_results *r, size_t *summary)
{
    *summary = r->n_scen * wf_metric_count() * r->n_rep * r->n_orgs;
    return *summary * r->n_days;
}

static void blocks_equal_whole_run(void)
{
    wf_scenario *s[2] = {eu_file(TINY), eu_file(TINY)};
    eu_set(s[1], "partnership.preset", "integrated");
    const wf_scenario *const *list = (const wf_scenario *const *)s;
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 5;
    o.threads = 2;
    wf_results *whole = wf_results_create(), *into = wf_results_create(), *block = wf_results_create();
    CHECK(wf_run(whole, list, 2, &o) == WF_OK);
    CHECK(wf_run_shape(into, list, 2, &o) == WF_OK);
    CHECK(into->n_scen == 2 && into->n_rep == 5 && into->seed == whole->seed);
    /* scenario 1's replicates 0-1 and 2-4, scenario 0's all, in any order */
    struct { size_t scen, first, n; } parts[] = {{1, 2, 3}, {0, 0, 5}, {1, 0, 2}};
    uint64_t events = 0;
    for (size_t i = 0; i < 3; i++) {
        wf_buf b = {0};
        o.threads = (int)i + 1;  /* the numbers do not depend on it */
        CHECK(wf_run_block(block, list + parts[i].scen, 1, &o, parts[i].first, parts[i].n) == WF_OK);
        CHECK(block->n_rep == parts[i].n);
        events += block->events;
        CHECK(wf_results_pack(block, parts[i].first, 0, &b) == WF_OK);
        char err[512] = "";
        wf_status st = wf_results_unpack(into, parts[i].scen, b.data, b.len, err, sizeof err);
        CHECKF(st == WF_OK, "%s", err);
        wf_buf_free(&b);
    }
    size_t ns, nd = values(whole, &ns);
    CHECK(!memcmp(into->daily, whole->daily, nd * sizeof(double)));
    CHECK(!memcmp(into->summary, whole->summary, ns * sizeof(double)));
    CHECK(into->events == events && events == whole->events);

    /* Packs that do not fit, or are not packs, are refused. */
    wf_buf b = {0};
    char err[512] = "";
    CHECK(wf_run_block(block, list, 1, &o, 3, 2) == WF_OK && wf_results_pack(block, 3, 0, &b) == WF_OK);
    CHECK(wf_results_unpack(into, 2, b.data, b.len, err, sizeof err) == WF_EINVAL);  /* no scenario 2 */
    CHECK(wf_results_unpack(into, 0, b.data, b.len - 8, err, sizeof err) == WF_EINVAL);
    CHECK(strstr(err, "bytes where the header promises") != NULL);
    CHECK(wf_results_unpack(into, 0, b.data, 10, err, sizeof err) == WF_EINVAL);
    b.data[0] = 'X';
    CHECK(wf_results_unpack(into, 0, b.data, b.len, err, sizeof err) == WF_EINVAL);
    wf_buf_free(&b);
    CHECK(wf_run_block(block, list, 1, &o, 4, 2) == WF_EINVAL);  /* replicates 4..5 of 5 */

    wf_results_destroy(whole);
    wf_results_destroy(into);
    wf_results_destroy(block);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

/* A farm of squares: task i computes i * i; consume checks the order. */
typedef struct {
    size_t n, consumed, arrived, fail_at, stop_at;
    wf_cancel *cancel_at_3;
    int order_ok;
} squares;

static size_t sq_plan(void *user, int ranks, const int *threads)
{
    CHECK(ranks == 1 && threads[0] == 3);
    return ((squares *)user)->n;
}

static wf_status sq_input(void *user, size_t task, wf_buf *in, char *err, size_t errlen)
{
    (void)user, (void)err, (void)errlen;
    uint64_t t = task;
    return wf_buf_put(in, &t, sizeof t) ? WF_ENOMEM : WF_OK;
}

static wf_status sq_compute(void *user, size_t task, const unsigned char *in, size_t in_len, wf_buf *out,
                            wf_cancel *cancel, char *err, size_t errlen)
{
    squares *q = user;
    uint64_t t;
    if (in_len != sizeof t) return WF_EINVAL;
    memcpy(&t, in, sizeof t);
    if (t != task) return WF_EINVAL;
    if (task == q->fail_at) {
        snprintf(err, errlen, "task %zu failed on purpose", task);
        return WF_ERANGE;
    }
    if (task == 3 && q->cancel_at_3) wf_cancel_request(q->cancel_at_3);
    if (wf_cancel_requested(cancel)) return WF_ECANCELLED;
    uint64_t v = t * t;
    return wf_buf_put(out, &v, sizeof v) ? WF_ENOMEM : WF_OK;
}

static wf_status sq_consume(void *user, size_t task, wf_buf *out, char *err, size_t errlen)
{
    squares *q = user;
    uint64_t v;
    (void)err, (void)errlen;
    q->order_ok &= task == q->consumed && out->len == sizeof v && (memcpy(&v, out->data, sizeof v), v == task * task);
    q->consumed++;
    return WF_OK;
}

static int sq_arrived(void *user, size_t task)
{
    squares *q = user;
    (void)task;
    return ++q->arrived == q->stop_at;
}

static wf_status farm_squares(squares *q, wf_cancel *cancel, char *err, size_t errlen)
{
    wf_farm f = {sq_plan, sq_input, sq_compute, sq_consume, sq_arrived, q, 3, cancel, 0};
    return wf_farm_run(NULL, &f, err, errlen);
}

static void farm_alone(void)
{
    char err[256];
    squares q = {.n = 7, .fail_at = 99, .order_ok = 1};
    CHECK(farm_squares(&q, NULL, err, sizeof err) == WF_OK);
    CHECK(q.consumed == 7 && q.arrived == 7 && q.order_ok);

    squares f = {.n = 7, .fail_at = 4, .order_ok = 1};
    CHECK(farm_squares(&f, NULL, err, sizeof err) == WF_ERANGE);
    CHECK(strstr(err, "task 4 failed on purpose") != NULL && f.consumed == 4 && f.order_ok);

    wf_cancel *c = wf_cancel_create();
    squares k = {.n = 7, .fail_at = 99, .cancel_at_3 = c, .order_ok = 1};
    CHECK(farm_squares(&k, c, err, sizeof err) == WF_ECANCELLED && k.consumed == 3);
    wf_cancel_destroy(c);

    squares p = {.n = 7, .fail_at = 99, .stop_at = 2, .order_ok = 1};
    CHECK(farm_squares(&p, NULL, err, sizeof err) == WF_ECANCELLED && p.consumed == 1);
}

static void one_rank(void)
{
    /* Not started by a launcher (the test runs alone): no MPI, one rank. */
    unsetenv("OMPI_COMM_WORLD_SIZE");
    unsetenv("PMI_SIZE");
    unsetenv("PMIX_RANK");
    unsetenv("PMI_RANK");
    unsetenv("MPI_LOCALNRANKS");
    unsetenv("SLURM_STEP_NUM_TASKS");
    unsetenv("WINTERFLOW_MPI");
    wf_mpi *m = wf_mpi_create();
    CHECK(m && wf_mpi_join(m) == WF_OK);
    CHECK(wf_mpi_rank(m) == 0 && wf_mpi_size(m) == 1 && !strcmp(wf_mpi_error(m), ""));
    CHECK(wf_mpi_rank(NULL) == 0 && wf_mpi_size(NULL) == 1);
    CHECK(wf_mpi_finish(m, 3, "x") == 3);
    wf_mpi_destroy(m);
    wf_mpi_destroy(NULL);
    CHECK(!strcmp(wf_status_str(WF_ERANK), "another rank failed or died"));

    /* A run given a one-rank job is an ordinary run. */
    wf_scenario *s = eu_file(TINY);
    wf_results *a = wf_results_create(), *b = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 3;
    CHECK(wf_run(a, (const wf_scenario *const *)&s, 1, &o) == WF_OK);
    o.mpi = wf_mpi_create();
    CHECK(wf_run(b, (const wf_scenario *const *)&s, 1, &o) == WF_OK);
    size_t ns, nd = values(a, &ns);
    CHECK(b->n_scen == 1 && !memcmp(a->daily, b->daily, nd * sizeof(double)));
    wf_mpi_destroy(o.mpi);
    wf_results_destroy(a);
    wf_results_destroy(b);
    wf_scenario_destroy(s);
}

int main(void)
{
    blocks_equal_whole_run();
    farm_alone();
    one_rank();
    return CHECK_DONE();
}
