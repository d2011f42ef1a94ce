/* A calibration over the ranks of an MPI job (spread_calibrate.h).
 *
 * A generation's batch of points goes through the farm (farm.h): a task is
 * a run of consecutive points, its input their values as rank 0 proposed
 * them (so that a rank computes what rank 0 asked for, whatever its own
 * arithmetic), its output their simulated rows; rank 0 puts them in place
 * in task order, then hands the whole batch's rows to every rank
 * (wf_mpi_share). The rows are the same whichever rank simulated a point:
 * a point's streams are keyed by its own seed and replicate. */
#include "run/spread_calibrate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "run/farm.h"
#include "run/mpi.h"

typedef struct {
    const wf_cal_batch *b;
    size_t per;   /* points per task */
    size_t done;  /* simulations arrived (rank 0's calling thread) */
} batch_job;

/* A task's head as sent: the generation and its points. */
typedef struct {
    uint64_t g, first, k;
} task_head;

static size_t plan(void *user, int ranks, const int *threads)
{
    batch_job *j = user;
    const wf_cal_batch *b = j->b;
    size_t most, u = wf_farm_task_units(b->m * b->R, ranks, threads, &most);
    if (ranks == 1) /* one process: big runs, few waits at their ends */
        j->per = 4 * most < 8 ? 8 : 4 * most;
    else
        j->per = u / b->R ? u / b->R : 1;
    return (b->m + j->per - 1) / j->per;
}

static void task_points(const batch_job *j, size_t task, size_t *first, size_t *k)
{
    *first = task * j->per;
    *k = j->b->m - *first < j->per ? j->b->m - *first : j->per;
}

static wf_status input(void *user, size_t task, wf_buf *in, char *err, size_t errlen)
{
    batch_job *j = user;
    const wf_cal_batch *b = j->b;
    size_t first, k;
    task_points(j, task, &first, &k);
    task_head h = {b->g, first, k};
    if (wf_buf_put(in, &h, sizeof h) || wf_buf_put(in, b->theta + first * b->K, k * b->K * sizeof(double))) {
        snprintf(err, errlen, "out of memory");
        return WF_ENOMEM;
    }
    return WF_OK;
}

static wf_status compute(void *user, size_t task, const unsigned char *in, size_t in_len, wf_buf *out,
                         wf_cancel *cancel, char *err, size_t errlen)
{
    batch_job *j = user;
    const wf_cal_batch *b = j->b;
    task_head h;
    const double *theta;
    double *theta_copy = NULL;
    if (!in) {  /* one process: no input travels */
        size_t first, k;
        task_points(j, task, &first, &k);
        h = (task_head){b->g, first, k};
        theta = b->theta + first * b->K;
    } else {
        if (in_len < sizeof h) {
            snprintf(err, errlen, "task %zu: %zu bytes, not a batch of points", task + 1, in_len);
            return WF_EINVAL;
        }
        memcpy(&h, in, sizeof h);
        if (h.g != b->g || h.k == 0 || h.first >= b->m || h.k > b->m - h.first ||
            in_len != sizeof h + h.k * b->K * sizeof(double)) {
            snprintf(err, errlen, "task %zu: points %llu+%llu of generation %llu, not of this batch", task + 1,
                     (unsigned long long)h.first, (unsigned long long)h.k, (unsigned long long)h.g);
            return WF_EINVAL;
        }
        /* the doubles in a message need not be aligned */
        if (!(theta_copy = malloc(h.k * b->K * sizeof(double) + 1))) {
            snprintf(err, errlen, "out of memory");
            return WF_ENOMEM;
        }
        memcpy(theta_copy, in + sizeof h, h.k * b->K * sizeof(double));
        theta = theta_copy;
    }
    /* the rows straight into the output (a buffer of its own: aligned) */
    size_t bytes = (size_t)h.k * b->R * b->n * sizeof(double);
    wf_status st = out->len == 0 && !wf_buf_reserve(out, bytes + 1) ? WF_OK : WF_ENOMEM;
    if (st == WF_OK)
        st = b->simulate(b->user, (size_t)h.g, (size_t)h.first, (size_t)h.k, theta, (double *)(void *)out->data, cancel,
                         err, errlen);
    else
        snprintf(err, errlen, "out of memory");
    if (st == WF_OK) out->len = bytes;
    free(theta_copy);
    return st;
}

static wf_status consume(void *user, size_t task, wf_buf *out, char *err, size_t errlen)
{
    batch_job *j = user;
    const wf_cal_batch *b = j->b;
    size_t first, k;
    task_points(j, task, &first, &k);
    size_t rows = k * b->R * b->n;
    if (out->len != rows * sizeof(double)) {
        snprintf(err, errlen, "task %zu: %zu bytes of rows, not %zu", task + 1, out->len, rows * sizeof(double));
        return WF_EINVAL;
    }
    memcpy(b->sim + first * b->R * b->n, out->data, out->len);
    return WF_OK;
}

static int arrived(void *user, size_t task)
{
    batch_job *j = user;
    const wf_cal_batch *b = j->b;
    size_t first, k;
    task_points(j, task, &first, &k);
    j->done += k * b->R;
    return b->progress && b->progress(b->progress_user, b->done_before + j->done, b->total);
}

wf_status wf_cal_batch_run(wf_mpi *m, const wf_cal_batch *b, char *err, size_t errlen)
{
    batch_job j = {b, 1, 0};
    wf_farm f = {plan, input, compute, consume, arrived, &j, b->threads, b->cancel, 0};
    wf_status st = wf_farm_run(m, &f, err, errlen);
    if (st != WF_OK || wf_mpi_size(m) <= 1) return st;
    /* rank 0 has every point's rows: every rank takes them */
    size_t bytes = b->m * b->R * b->n * sizeof(double);
    wf_mpi_msg got;
    st = wf_mpi_share(m, b->sim, bytes, &got);
    if (st == WF_OK && wf_mpi_rank(m) > 0) {
        if (got.len == bytes) {
            memcpy(b->sim, got.data, bytes);
        } else {
            snprintf(m->err, sizeof m->err, "rank %d: generation %zu's rows came as %zu bytes, not %zu",
                     wf_mpi_rank(m), b->g, got.len, bytes);
            st = WF_ERANK;
        }
    }
    if (st != WF_OK) snprintf(err, errlen, "%s", m->err);
    wf_mpi_msg_free(&got);
    return st;
}

/* ---- the state -------------------------------------------------------------------- */

static int put_u64(wf_buf *b, uint64_t v) { return wf_buf_put(b, &v, sizeof v); }

static int put_doubles(wf_buf *b, const void *v, size_t n) { return n ? wf_buf_put(b, v, n * sizeof(double)) : 0; }

typedef struct {
    const unsigned char *p;
    size_t left;
} reader;

static int take(reader *r, void *out, size_t n)
{
    if (n > r->left) return -1;
    if (n) memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return 0;
}

/* n doubles (or int64s) in a new array; NULL when short or out of memory. */
static void *take_new(reader *r, size_t n)
{
    if (n > r->left / sizeof(double)) return NULL;
    double *a = malloc(n * sizeof *a + 1);
    if (a && take(r, a, n * sizeof *a)) {
        free(a);
        a = NULL;
    }
    return a;
}

static wf_status pack_state(const wf_calfile *f, wf_buf *b)
{
    size_t G = f->n_gen, K = f->n_keys, P = f->n_particles, rows = P * (size_t)f->replicates * f->n_rows;
    size_t fl = strlen(f->fingerprint);
    int bad = put_u64(b, fl) || wf_buf_put(b, f->fingerprint, fl) || put_u64(b, G) || put_u64(b, P) ||
              put_u64(b, (uint64_t)f->converged) || put_doubles(b, f->tolerance, G) ||
              put_doubles(b, f->acceptance, G) || put_doubles(b, f->ess, G) || put_doubles(b, f->simulations, G) ||
              put_doubles(b, f->gen_mean, G * K) || put_doubles(b, f->gen_lo, G * K) ||
              put_doubles(b, f->gen_hi, G * K) || put_doubles(b, f->theta, P * K) || put_doubles(b, f->weight, P) ||
              put_doubles(b, f->distance, P) || put_doubles(b, f->sim, rows);
    return bad ? WF_ENOMEM : WF_OK;
}

/* Rank 0's state into f; a message in err when it is not f's calibration. */
static wf_status unpack_state(wf_calfile *f, const unsigned char *data, size_t len, char *err, size_t errlen)
{
    reader r = {data, len};
    uint64_t fl = 0, G = 0, P = 0, converged = 0;
    char fp[64] = "";
    if (take(&r, &fl, sizeof fl) || fl >= sizeof fp || take(&r, fp, (size_t)fl) || strcmp(fp, f->fingerprint)) {
        snprintf(err, errlen, "its calibration (fingerprint %s) is not rank 0's (%s): every rank must be given "
                 "the same scenario, observed data, ranges and options", f->fingerprint, fp);
        return WF_EINVAL;
    }
    size_t K = f->n_keys, n = (size_t)f->replicates * f->n_rows;
    int bad = take(&r, &G, sizeof G) || take(&r, &P, sizeof P) || take(&r, &converged, sizeof converged) ||
              G > WF_CALFILE_MAX_GENERATIONS || P > WF_CALFILE_MAX_PARTICLES;
#define TAKE(field, count)                              \
    do {                                                \
        void *a_ = bad ? NULL : take_new(&r, (count));  \
        if (!a_) bad = 1;                               \
        else free(f->field), f->field = a_;             \
    } while (0)
    TAKE(tolerance, G);
    TAKE(acceptance, G);
    TAKE(ess, G);
    TAKE(simulations, G);
    TAKE(gen_mean, G * K);
    TAKE(gen_lo, G * K);
    TAKE(gen_hi, G * K);
    TAKE(theta, P * K);
    TAKE(weight, P);
    TAKE(distance, P);
    TAKE(sim, P * n);
#undef TAKE
    bad = bad || r.left != 0;
    if (bad) {
        snprintf(err, errlen, "rank 0's state of the calibration came damaged or short (%zu bytes)", len);
        return WF_EINVAL;
    }
    f->n_gen = (size_t)G;
    f->n_particles = (size_t)P;
    f->converged = (int64_t)converged;
    return WF_OK;
}

wf_status wf_cal_share_state(wf_mpi *m, wf_calfile *f, char *err, size_t errlen)
{
    if (wf_mpi_size(m) <= 1) return WF_OK;
    wf_buf b = {0};
    wf_mpi_msg got;
    wf_status st = WF_OK;
    if (wf_mpi_rank(m) == 0 && pack_state(f, &b) != WF_OK) {
        /* the others wait at the share: the job must end */
        m->broken = 1;
        snprintf(err, errlen, "out of memory");
        wf_buf_free(&b);
        return WF_ENOMEM;
    }
    st = wf_mpi_share(m, b.data, b.len, &got);
    wf_buf_free(&b);
    if (st != WF_OK) {
        snprintf(err, errlen, "%s", m->err);
        return st;
    }
    if (wf_mpi_rank(m) > 0) {
        char why[512];
        st = unpack_state(f, got.data, got.len, why, sizeof why);
        if (st != WF_OK) snprintf(err, errlen, "rank %d: %s", wf_mpi_rank(m), why);
    }
    wf_mpi_msg_free(&got);
    return st;
}
