/* Sweeps: every point of a design over a base scenario, run in chunks with
 * common random numbers and appended to one results file as they go
 * (winterflow.h, section 7). A chunk is saved on a thread of its own while
 * the next chunk runs: each chunk has its own results object, only that
 * thread calls HDF5 while it exists, and saves are joined in order, so the
 * file is the same as a serial sweep's and complete on disk after every
 * save. Signals are blocked in that thread: they stay the program's. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/options.h"
#include "run/cancel.h"
#include "results/results.h"
#include "run/design.h"
#include "run/calibrate.h"
#include "run/mpi.h"
#include "run/posterior.h"
#include "run/run.h"
#include "run/spread.h"

#define POINT_NOUN "scenario %zu of the sweep"

struct wf_sweep {
    char err[1024];
    wf_scenario *base;
    wf_design *d;              /* a copy of the caller's */
    char *path;
    char *command_line;
    wf_sweep_options o;        /* command_line points at ours */
    char **names;              /* [npoints]: "<label> #<fingerprint>" */
    size_t npoints, saved, reps;
    size_t ncoords;
    const char **coord_names;  /* keys written as coordinates */
    size_t *coord_key;         /* their design keys */
    int opened, wrote;         /* wrote: a save of this sweep replaced or extended the file */
    wf_lock *lock;             /* the file's write lock, from open to destroy */
    /* Several writers (wf_sweep_options.writers): the job's ranks split into
     * groups, each sweeping its part of the design into a file of its own;
     * o.mpi is this rank's group, job the whole job. */
    wf_mpi *group, *job;
    char **files;              /* [nfiles]: every part's file, in part order */
    size_t nfiles;
};

static void errf(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* ---- options ------------------------------------------------------------- */

/* The first version of wf_sweep_options ended with user. */
#define SWEEP_OPTIONS_V1 (offsetof(wf_sweep_options, user) + sizeof(void *))

static wf_sweep_options sweep_defaults(void)
{
    wf_sweep_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.seed = -1;
    return o;
}

wf_status wf_sweep_options_init(wf_sweep_options *o, size_t size)
{
    wf_sweep_options d = sweep_defaults();
    return wf_options_init(o, size, &d, sizeof d, SWEEP_OPTIONS_V1) ? WF_EINVAL : WF_OK;
}

/* ---- the object -------------------------------------------------------------- */

wf_sweep *wf_sweep_create(void) { return calloc(1, sizeof(wf_sweep)); }

static void clear(wf_sweep *sw)
{
    for (size_t i = 0; sw->names && i < sw->npoints; i++) free(sw->names[i]);
    free(sw->names);
    free(sw->coord_names);
    free(sw->coord_key);
    free(sw->path);
    free(sw->command_line);
    wf_design_destroy(sw->d);
    wf_scenario_destroy(sw->base);
    wf_lock_destroy(sw->lock);
    wf_mpi_destroy(sw->group);
    for (size_t i = 0; sw->files && i < sw->nfiles; i++) free(sw->files[i]);
    free(sw->files);
    char err[sizeof sw->err];
    memcpy(err, sw->err, sizeof err);
    memset(sw, 0, sizeof *sw);
    memcpy(sw->err, err, sizeof err);
}

void wf_sweep_destroy(wf_sweep *sw)
{
    if (!sw) return;
    clear(sw);
    free(sw);
}

const char *wf_sweep_error(const wf_sweep *sw) { return sw ? sw->err : "no sweep"; }
size_t wf_sweep_n_points(const wf_sweep *sw) { return sw ? sw->npoints : 0; }
size_t wf_sweep_n_saved(const wf_sweep *sw) { return sw ? sw->saved : 0; }

const char *wf_sweep_point_name(const wf_sweep *sw, size_t point)
{
    return sw && sw->opened && point < sw->npoints ? sw->names[point] : NULL;
}

size_t wf_sweep_n_files(const wf_sweep *sw) { return sw && sw->opened ? (sw->nfiles ? sw->nfiles : 1) : 0; }

const char *wf_sweep_file(const wf_sweep *sw, size_t k)
{
    if (!sw || !sw->opened) return NULL;
    if (!sw->nfiles) return k == 0 ? sw->path : NULL;
    return k < sw->nfiles ? sw->files[k] : NULL;
}

/* ---- several writers ---------------------------------------------------------- */

/* Part k (0-based) of n's file: "study.h5" -> "study-part-2-of-4.h5", the
 * part number padded to the width of n so that sorted names are in part
 * order. */
static char *part_file(const char *path, size_t k, size_t n)
{
    int width = snprintf(NULL, 0, "%zu", n);
    size_t len = strlen(path), stem = len > 3 && !strcmp(path + len - 3, ".h5") ? len - 3 : len;
    size_t cap = len + 2 * (size_t)width + 16;
    char *s = malloc(cap);
    if (s) snprintf(s, cap, "%.*s-part-%0*zu-of-%zu%s", (int)stem, path, width, k + 1, n, path + stem);
    return s;
}

/* Split the job for o.writers writers: this rank's group and part. */
static wf_status split_writers(wf_sweep *sw, const char *path)
{
    size_t n = (size_t)sw->o.writers;
    int ranks = wf_mpi_size(sw->o.mpi), k = 0;
    if ((size_t)ranks < n) {
        errf(sw->err, sizeof sw->err, "%zu writers need an MPI job of at least %zu ranks (this one has %d): each "
             "writer is a rank", n, n, ranks);
        return WF_EINVAL;
    }
    if (n > wf_design_n_points(sw->d)) {
        errf(sw->err, sizeof sw->err, "%zu writers for a design of %zu points: at most one writer per point", n,
             wf_design_n_points(sw->d));
        return WF_EINVAL;
    }
    if (!(sw->files = calloc(n, sizeof *sw->files))) return WF_ENOMEM;
    sw->nfiles = n;
    for (size_t i = 0; i < n; i++)
        if (!(sw->files[i] = part_file(path, i, n))) return WF_ENOMEM;
    sw->job = sw->o.mpi;
    if (!(sw->group = wf_mpi_split(sw->job, (int)n, &k))) {
        errf(sw->err, sizeof sw->err, "%s", wf_mpi_error(sw->job));
        return WF_ERANK;
    }
    sw->o.mpi = sw->group;
    if (wf_design_part(sw->d, (size_t)k + 1, n) != WF_OK) {
        errf(sw->err, sizeof sw->err, "%s", wf_design_error(sw->d));
        return WF_EINVAL;
    }
    free(sw->path);
    return (sw->path = strdup(sw->files[k])) ? WF_OK : WF_ENOMEM;
}

/* ---- wf_sweep_open --------------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    h ^= 0xff; /* separator */
    h *= 0x100000001b3ULL;
    return h;
}

/* The name of every point: its label and a fingerprint of the resolved base
 * scenario, the replicates and seed options as given, and the point's
 * values, so that a file is recognised as this sweep's. */
static wf_status name_points(wf_sweep *sw)
{
    char *yaml = wf_scenario_to_yaml(sw->base);
    if (!yaml) {
        errf(sw->err, sizeof sw->err, "the base scenario: %s", wf_scenario_error(sw->base));
        return WF_EINVAL;
    }
    uint64_t h0 = fnv(0xcbf29ce484222325ULL, yaml);
    wf_free(yaml);
    char opts[64];
    snprintf(opts, sizeof opts, "replicates=%d seed=%" PRId64, sw->o.replicates, sw->o.seed);
    h0 = fnv(h0, opts);
    if (sw->o.posterior) h0 = fnv(fnv(h0, "posterior"), wf_calibration_fingerprint(sw->o.posterior));
    size_t nk = wf_design_n_keys(sw->d);
    if (!(sw->names = calloc(sw->npoints + 1, sizeof *sw->names))) return WF_ENOMEM;
    for (size_t i = 0; i < sw->npoints; i++) {
        uint64_t h = h0;
        for (size_t k = 0; k < nk; k++) {
            const char *c = wf_design_value(sw->d, i, k);
            h = fnv(fnv(h, wf_design_key(sw->d, k)), c ? c : "\x01");
        }
        const char *label = wf_design_label(sw->d, i);
        size_t len = strlen(label) + 32;
        if (!(sw->names[i] = malloc(len))) return WF_ENOMEM;
        snprintf(sw->names[i], len, "%s #%012" PRIx64, label, h >> 16);
    }
    return WF_OK;
}

/* Keys whose values are all numbers, and netCDF names: coordinates. */
static wf_status find_coords(wf_sweep *sw)
{
    size_t nk = wf_design_n_keys(sw->d);
    sw->coord_names = calloc(nk + 1, sizeof *sw->coord_names);
    sw->coord_key = calloc(nk + 1, sizeof *sw->coord_key);
    if (!sw->coord_names || !sw->coord_key) return WF_ENOMEM;
    for (size_t k = 0; k < nk; k++) {
        const char *key = wf_design_key(sw->d, k);
        if (!wf_design_numeric(sw->d, k) || strpbrk(key, " /\t")) continue;
        sw->coord_key[sw->ncoords] = k;
        sw->coord_names[sw->ncoords++] = key;
    }
    return WF_OK;
}

/* The file's write lock, held until the sweep is destroyed. */
static wf_status take_lock(wf_sweep *sw)
{
    wf_lock_options lo;
    wf_lock_options_init(&lo, sizeof lo);
    lo.wait = sw->o.wait_lock;
    lo.cancel = sw->o.cancel;
    lo.command_line = sw->o.command_line;
    if (!(sw->lock = wf_lock_create())) return WF_ENOMEM;
    wf_status st = wf_lock_acquire(sw->lock, sw->path, &lo);
    if (st != WF_OK) errf(sw->err, sizeof sw->err, "%s", wf_lock_error(sw->lock));
    return st;
}

/* An existing file: the first points of this sweep, or an error. */
static wf_status check_file(wf_sweep *sw)
{
    struct stat sb;
    if (sw->o.overwrite || stat(sw->path, &sb) != 0) return WF_OK;
    wf_results *r = wf_results_create();
    if (!r) return WF_ENOMEM;
    wf_status st = wf_results_read(r, sw->path);
    if (st == WF_ENOMEM) {
        errf(sw->err, sizeof sw->err, "%s: reading it: out of memory", sw->path);
        wf_results_destroy(r);
        return st;
    }
    if (st != WF_OK) {
        const char *msg = wf_results_error(r);
        errf(sw->err, sizeof sw->err, "%s exists and is not a results file that can be read (%s)", sw->path,
             msg && *msg ? msg : wf_status_str(st));
        wf_results_destroy(r);
        return WF_EIO;
    }
    size_t nf = wf_results_n_scenarios(r), at = 0;
    if (nf > sw->npoints) {
        errf(sw->err, sizeof sw->err, "%s holds another sweep: it holds more scenarios (%zu) than this "
             "design has points (%zu)", sw->path, nf, sw->npoints);
        st = WF_EIO;
    }
    while (st == WF_OK && at < nf && !strcmp(wf_results_scenario_name(r, at), sw->names[at])) at++;
    if (st == WF_OK && at < nf) {
        errf(sw->err, sizeof sw->err, "%s holds another sweep: its scenarios differ (scenario %zu is '%s', "
             "this sweep's is '%s'; the fingerprint after '#' covers the base scenario, the point's values, "
             "the replicates and the seed)", sw->path, at + 1, wf_results_scenario_name(r, at), sw->names[at]);
        st = WF_EIO;
    }
    if (st == WF_OK) {
        sw->saved = nf;
        if (nf && sw->o.chunk_done && sw->o.chunk_done(sw->o.user, r, 0)) {
            errf(sw->err, sizeof sw->err, "stopped by the chunk callback");
            st = WF_ECANCELLED;
        }
    }
    wf_results_destroy(r);
    return st;
}

wf_status wf_sweep_open(wf_sweep *sw, const wf_scenario *base, const wf_design *design, const char *path,
                        const wf_sweep_options *opt)
{
    if (!sw) return WF_EINVAL;
    sw->err[0] = '\0';
    clear(sw);
    if (!base || !design || !path || !*path) {
        errf(sw->err, sizeof sw->err, "a sweep needs a base scenario, a design and a results file");
        return WF_EINVAL;
    }
    sw->o = sweep_defaults();
    if (opt && wf_options_take(&sw->o, sizeof sw->o, opt, SWEEP_OPTIONS_V1)) {
        errf(sw->err, sizeof sw->err, "wf_sweep_options: not set up by wf_sweep_options_init, or from a newer "
             "winterflow with options this library (%s) does not know", wf_version());
        return WF_EINVAL;
    }
    if (sw->o.replicates < 0 || sw->o.threads < 0 || sw->o.writers < 0) {
        errf(sw->err, sizeof sw->err, "replicates, threads and writers must not be negative");
        return WF_EINVAL;
    }
    if (!wf_design_n_points(design)) {
        errf(sw->err, sizeof sw->err, "the design is not validated (wf_design_validate)");
        return WF_EINVAL;
    }
    if (sw->o.posterior) {
        const char *key = wf_posterior_conflict(sw->o.posterior, design);
        if (!wf_calibration_has_posterior(sw->o.posterior)) {
            errf(sw->err, sizeof sw->err, "the posterior's calibration has no population (run or read one first)");
            return WF_EINVAL;
        }
        if (key) {
            errf(sw->err, sizeof sw->err, "the design varies %s, which the posterior sets: a calibrated key cannot "
                 "also be swept", key);
            return WF_EINVAL;
        }
    }
    wf_status st = WF_OK;
    sw->base = wf_scenario_clone(base);
    sw->d = wf_design_copy(design);
    sw->path = strdup(path);
    if (sw->o.command_line && !(sw->command_line = strdup(sw->o.command_line))) st = WF_ENOMEM;
    sw->o.command_line = sw->command_line;
    if (!sw->base || !sw->d || !sw->path) st = WF_ENOMEM;
    if (st == WF_OK && sw->o.writers > 1) st = split_writers(sw, path);
    sw->npoints = wf_design_n_points(sw->d);
    if (st == WF_OK) {
        /* the base first: its own problems named as its own */
        wf_scenario *b = wf_scenario_clone(base);
        st = b ? wf_scenario_validate(b) : WF_ENOMEM;
        if (st != WF_OK && b) errf(sw->err, sizeof sw->err, "%s", wf_scenario_error(b));
        wf_scenario_destroy(b);
    }
    if (st == WF_OK) {
        sw->reps = (size_t)sw->o.replicates;
        char *v = sw->reps ? NULL : wf_scenario_get(sw->base, "run.replicates");
        if (v) sw->reps = (size_t)strtoull(v, NULL, 10);
        wf_free(v);
        if (!sw->reps) st = WF_ENOMEM;
    }
    if (st == WF_OK) st = name_points(sw);
    /* Every point now: keys, types, bounds and sums, before anything runs. */
    for (size_t i = 0; i < sw->npoints && st == WF_OK; i++) {
        wf_scenario *s = NULL;
        st = wf_design_apply(sw->d, i, sw->base, POINT_NOUN, sw->names[i], &s, sw->err, sizeof sw->err);
        if (st == WF_OK && (st = wf_scenario_validate(s)) != WF_OK) {
            char who[64];
            snprintf(who, sizeof who, POINT_NOUN, wf_design_first(sw->d) + i + 1);
            const char *msg = wf_scenario_error(s);
            if (!strncmp(msg, who, strlen(who)))
                errf(sw->err, sizeof sw->err, "%s", msg);
            else
                errf(sw->err, sizeof sw->err, "%s (%.600s): %s", who, wf_design_label(sw->d, i), msg);
        }
        wf_scenario_destroy(s);
    }
    if (st == WF_OK) st = find_coords(sw);
    /* Over MPI ranks only rank 0 locks, reads and writes the file. */
    if (st == WF_OK && wf_mpi_rank(sw->o.mpi) == 0) {
        st = take_lock(sw);
        if (st == WF_OK) st = check_file(sw);
    }
    if (st == WF_ENOMEM && !sw->err[0]) errf(sw->err, sizeof sw->err, "out of memory");
    if (sw->group) {  /* several writers: open on every rank, or on none */
        wf_status job = wf_mpi_agree(sw->job, st, sw->err);
        if (job != WF_OK && st == WF_OK) errf(sw->err, sizeof sw->err, "%s", wf_mpi_error(sw->job));
        st = job;
    }
    if (st != WF_OK) {
        clear(sw);
        return st;
    }
    sw->opened = 1;
    return WF_OK;
}

/* ---- tasks -------------------------------------------------------------------- */

/* The scenarios of points first .. first + n - 1 (named), or NULL with err. */
static wf_scenario **build(const wf_sweep *sw, size_t first, size_t n, wf_status *st, char *err, size_t errlen)
{
    wf_scenario **list = calloc(n + 1, sizeof *list);
    *st = list ? WF_OK : WF_ENOMEM;
    for (size_t i = 0; i < n && *st == WF_OK; i++)
        *st = wf_design_apply(sw->d, first + i, sw->base, POINT_NOUN, sw->names[first + i], &list[i], err, errlen);
    if (*st != WF_OK && list) {
        for (size_t i = 0; i < n; i++) wf_scenario_destroy(list[i]);
        free(list);
        list = NULL;
    }
    if (*st == WF_ENOMEM) snprintf(err, errlen, "out of memory");
    return list;
}

static void drop(wf_scenario **list, size_t n)
{
    for (size_t i = 0; list && i < n; i++) wf_scenario_destroy(list[i]);
    free(list);
}

/* The run options of the sweep's points: its replicates, seed, threads,
 * cancel flag and progress callback (never spread: the sweep spreads). */
static wf_run_options run_options(const wf_sweep *sw)
{
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = (int)sw->reps;
    o.seed = sw->o.seed;
    o.threads = sw->o.threads;
    o.cancel = sw->o.cancel;
    o.posterior = sw->o.posterior;
    o.progress = sw->o.progress;
    o.user = sw->o.user;
    return o;
}

static wf_status run_points(const wf_sweep *sw, size_t first, size_t n, wf_results *r,
                            int (*progress)(void *, size_t, size_t), void *user)
{
    wf_status st;
    char err[1024] = "";
    wf_scenario **list = build(sw, first, n, &st, err, sizeof err);
    if (!list) { /* the points were applied at open: only out of memory */
        snprintf(r->err, sizeof r->err, "%s", err);
        return st;
    }
    wf_run_options o = run_options(sw);
    o.progress = progress;
    o.user = user;
    st = wf_run(r, (const wf_scenario *const *)list, n, &o);
    drop(list, n);
    return st;
}

wf_status wf_sweep_run_points(const wf_sweep *sw, size_t first, size_t n, wf_results *r)
{
    if (!sw || !r || !sw->opened || n == 0 || first > sw->npoints || n > sw->npoints - first) return WF_EINVAL;
    return run_points(sw, first, n, r, NULL, NULL);
}

/* Append r (points first ..) to the file; the message in err. */
static wf_status save(wf_sweep *sw, size_t first, wf_results *r, char *err, size_t errlen)
{
    size_t n = wf_results_n_scenarios(r);
    if (first != sw->saved || n == 0 || n > sw->npoints - first) {
        errf(err, errlen, "%s: results of points %zu to %zu cannot be saved next: the file holds %zu of %zu",
             sw->path, first + 1, first + n, sw->saved, sw->npoints);
        return WF_EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(wf_results_scenario_name(r, i), sw->names[first + i])) {
            errf(err, errlen, "%s: the results hold '%s' where point %zu is '%s'", sw->path,
                 wf_results_scenario_name(r, i), first + i + 1, sw->names[first + i]);
            return WF_EINVAL;
        }
    wf_status st;
    wf_scenario **list = build(sw, first, n, &st, err, errlen);
    double *coords = sw->ncoords ? malloc(sw->ncoords * n * sizeof *coords) : NULL;
    if (list && (coords || !sw->ncoords)) {
        for (size_t c = 0; c < sw->ncoords; c++)
            for (size_t i = 0; i < n; i++) {
                const char *v = wf_design_value(sw->d, first + i, sw->coord_key[c]);
                coords[c * n + i] = v ? strtod(v, NULL) : NAN;
            }
        wf_write_options wo;
        wf_write_options_init(&wo, sizeof wo);
        wo.overwrite = sw->o.overwrite && !sw->wrote;
        wo.command_line = sw->o.command_line;
        wo.n_coords = sw->ncoords;
        wo.coord_names = sw->coord_names;
        wo.coord_values = coords;
        wo.lock = sw->lock;
        const wf_scenario *const *l = (const wf_scenario *const *)list;
        /* an append checks that the file holds what this sweep saved */
        st = wo.overwrite ? wf_results_write(r, l, n, sw->path, &wo)
                          : wf_results_append_expecting(r, l, n, sw->path, &wo, (const char *const *)sw->names,
                                                        sw->saved);
        if (st != WF_OK) errf(err, errlen, "%s", wf_results_error(r));
    } else if (list) {
        st = WF_ENOMEM;
        errf(err, errlen, "out of memory");
    }
    free(coords);
    drop(list, n);
    if (st == WF_OK) {
        sw->saved += n;
        sw->wrote = 1;
    }
    return st;
}

wf_status wf_sweep_save(wf_sweep *sw, size_t first, wf_results *r)
{
    if (!sw || !r || !sw->opened) return WF_EINVAL;
    sw->err[0] = '\0';
    return save(sw, first, r, sw->err, sizeof sw->err);
}

/* ---- wf_sweep_run ---------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The save of one chunk, on its own thread. */
typedef struct {
    wf_sweep *sw;
    pthread_t thread;
    int active;
    size_t first;
    wf_results *r;
    wf_status st;
    atomic_int failed;  /* set by the writer; read by the progress callback */
    char err[1024];
} save_job;

static void *save_main(void *arg)
{
    save_job *j = arg;
    j->st = save(j->sw, j->first, j->r, j->err, sizeof j->err);
    if (j->st != WF_OK) atomic_store(&j->failed, 1);
    return NULL;
}

static wf_status save_start(save_job *j, size_t first, wf_results *r)
{
    j->first = first;
    j->r = r;
    j->st = WF_OK;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int e = pthread_create(&j->thread, NULL, save_main, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e) {
        errf(j->sw->err, sizeof j->sw->err, "cannot start the thread that saves: %s",
             e == EAGAIN ? "too many threads" : "error");
        return WF_ENOMEM;
    }
    j->active = 1;
    return WF_OK;
}

/* Wait for the save in flight, if any: its status (its message in sw->err). */
static wf_status save_join(save_job *j)
{
    if (!j->active) return WF_OK;
    pthread_join(j->thread, NULL);
    j->active = 0;
    if (j->st != WF_OK) memcpy(j->sw->err, j->err, sizeof j->err);
    return j->st;
}

/* The run's progress, over the whole sweep; also stops the run when the
 * save in flight has failed. */
typedef struct {
    const wf_sweep *sw;
    save_job *job;
    size_t before;  /* replicates of the points before this chunk */
    size_t total;
} progress_ctx;

static int on_progress(void *user, size_t done, size_t total)
{
    (void)total;
    progress_ctx *p = user;
    if (atomic_load(&p->job->failed)) return 1;
    const wf_sweep_options *o = &p->sw->o;
    return o->progress && o->progress(o->user, p->before + done, p->total);
}

/* The size of the next chunk (see wf_sweep_options.chunk). */
static size_t chunk_size(const wf_sweep *sw, size_t started, size_t min_chunk, double per_point)
{
    size_t left = sw->npoints - started, n = sw->o.chunk ? sw->o.chunk : min_chunk;
    if (!sw->o.chunk) {
        if (per_point > 0) {
            double want = 30.0 / per_point, most = 600.0 / per_point;
            if (want < (double)started) want = (double)started;
            if (want > most) want = most;
            if (want > (double)n) n = want > (double)sw->npoints ? sw->npoints : (size_t)want;
        }
        if (n > (left + 1) / 2) n = (left + 1) / 2 > min_chunk ? (left + 1) / 2 : min_chunk;
    }
    return n > left ? left : n;
}

/* ---- over the ranks of an MPI job ------------------------------------------------ */

/* Rank 0 keeps each task's packed results, in point order, until the
 * points before them are complete and it is time to save: then the points
 * are unpacked into one results object and appended like a chunk. When to
 * save, without a chunk size: every 30 s once at least as many points are
 * ready as the file holds (so the copying that each save costs stays about
 * twice one write of the file), at the latest every 10 minutes (what an
 * interruption may lose), and whenever 1 GiB is kept (rank 0's memory). */
#define SAVE_EVERY 30.0
#define SAVE_LATEST 600.0
#define SAVE_BYTES ((size_t)1 << 30)

typedef struct {
    wf_rect t;
    wf_buf b;
} kept_task;

typedef struct {
    wf_sweep *sw;
    kept_task *kept;
    size_t n_kept, cap, bytes;
    size_t complete;     /* points before this one are all kept or saved */
    double last_save;
    int64_t started;
} sweep_spread;

static wf_scenario **spread_scenarios(void *user, size_t first, size_t n, wf_status *st, char *err, size_t errlen)
{
    return build(((sweep_spread *)user)->sw, first, n, st, err, errlen);
}

static void spread_drop(void *user, wf_scenario **list, size_t n)
{
    (void)user;
    drop(list, n);
}

/* Save the complete points kept: one chunk, as wf_sweep_run saves it. */
static wf_status spread_save(sweep_spread *u, char *err, size_t errlen)
{
    wf_sweep *sw = u->sw;
    size_t first = sw->saved, n = u->complete - first, used = 0;
    wf_status st;
    wf_scenario **list = build(sw, first, n, &st, err, errlen);
    wf_results *r = wf_results_create();
    if (list && !r) st = WF_ENOMEM;
    if (st == WF_OK) {
        wf_run_options o = run_options(sw);
        st = wf_run_shape(r, (const wf_scenario *const *)list, n, &o);
        if (st != WF_OK) errf(err, errlen, "%s", r->err);
    }
    for (; st == WF_OK && used < u->n_kept && u->kept[used].t.first < u->complete; used++)
        st = wf_results_unpack(r, (size_t)u->kept[used].t.first - first, u->kept[used].b.data, u->kept[used].b.len,
                               err, errlen);
    drop(list, n);
    if (st == WF_OK) {
        r->complete = true;
        r->started = u->started;
        r->finished = (int64_t)time(NULL);
        st = save(sw, first, r, err, errlen);
    }
    if (st == WF_OK && sw->o.chunk_done && sw->o.chunk_done(sw->o.user, r, first)) {
        errf(err, errlen, "stopped by the chunk callback");
        st = WF_ECANCELLED;
    }
    wf_results_destroy(r);
    if (st == WF_ENOMEM && !err[0]) errf(err, errlen, "out of memory");
    for (size_t i = 0; i < used; i++) {
        u->bytes -= u->kept[i].b.len;
        wf_buf_free(&u->kept[i].b);
    }
    memmove(u->kept, u->kept + used, (u->n_kept - used) * sizeof *u->kept);
    u->n_kept -= used;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    u->last_save = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    return st;
}

static wf_status spread_take(void *user, const wf_rect *t, wf_buf *packed, char *err, size_t errlen)
{
    sweep_spread *u = user;
    wf_sweep *sw = u->sw;
    if (u->n_kept == u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 16;
        kept_task *k = realloc(u->kept, cap * sizeof *k);
        if (!k) {
            errf(err, errlen, "out of memory");
            return WF_ENOMEM;
        }
        u->kept = k;
        u->cap = cap;
    }
    u->kept[u->n_kept].t = *t;
    u->kept[u->n_kept++].b = *packed;
    u->bytes += packed->len;
    memset(packed, 0, sizeof *packed);
    if (t->rep_first + t->reps == sw->reps) u->complete = (size_t)(t->first + t->n);
    size_t ready = u->complete - sw->saved;
    if (!ready) return WF_OK;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double since = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec - u->last_save;
    int now = u->complete == sw->npoints;
    if (sw->o.chunk)
        now |= ready >= sw->o.chunk;
    else
        now |= (since >= SAVE_EVERY && ready >= (sw->saved ? sw->saved : 1)) || since >= SAVE_LATEST ||
               u->bytes >= SAVE_BYTES;
    return now ? spread_save(u, err, errlen) : WF_OK;
}

static wf_status run_spread(wf_sweep *sw)
{
    sweep_spread u = {.sw = sw, .complete = sw->saved, .started = (int64_t)time(NULL)};
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    u.last_save = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    /* stored: the ranks encode the daily series, rank 0 only writes them */
    wf_spread sp = {sw->saved, sw->npoints - sw->saved, sw->reps, sw->saved * sw->reps, sw->npoints * sw->reps, 1,
                    run_options(sw), sw->o.mpi, spread_scenarios, spread_drop, spread_take, &u};
    char err[sizeof sw->err] = "";
    wf_status st = wf_spread_tasks(&sp, err, sizeof err);
    for (size_t i = 0; i < u.n_kept; i++) wf_buf_free(&u.kept[i].b);
    free(u.kept);
    if (wf_mpi_rank(sw->o.mpi) != 0) {
        errf(sw->err, sizeof sw->err, "%s", err);
        return st;
    }
    if (st == WF_ECANCELLED && !strcmp(err, "cancelled")) err[0] = '\0';  /* that is what "stopped" says */
    if (st == WF_ECANCELLED || st == WF_ERANK)
        errf(sw->err, sizeof sw->err, "%s%sstopped: %zu of %zu points are saved in %s", err, err[0] ? "; " : "",
             sw->saved, sw->npoints, sw->path);
    else if (st != WF_OK)
        errf(sw->err, sizeof sw->err, "%s", err[0] ? err : wf_status_str(st));
    return st;
}

static wf_status run_here(wf_sweep *sw);

wf_status wf_sweep_run(wf_sweep *sw)
{
    if (!sw) return WF_EINVAL;
    if (!sw->opened) {
        errf(sw->err, sizeof sw->err, "the sweep is not open (wf_sweep_open)");
        return WF_EINVAL;
    }
    sw->err[0] = '\0';
    wf_status st = wf_mpi_size(sw->o.mpi) > 1 ? run_spread(sw) : run_here(sw);
    if (!sw->group) return st;
    /* Several writers: the sweep is done when every part is. */
    wf_status job = wf_mpi_agree(sw->job, st, sw->err);
    if (job != WF_OK && st == WF_OK) errf(sw->err, sizeof sw->err, "%s", wf_mpi_error(sw->job));
    return job;
}

/* The sweep on this process's threads (a job of one rank). */
static wf_status run_here(wf_sweep *sw)
{
    wf_results *rs[2] = {wf_results_create(), wf_results_create()};
    save_job job = {.sw = sw};
    atomic_init(&job.failed, 0);
    wf_status st = rs[0] && rs[1] ? WF_OK : WF_ENOMEM;
    int threads = sw->o.threads > 0 ? sw->o.threads : omp_get_max_threads();
    size_t min_chunk = 2 * (size_t)(threads > 0 ? threads : 1), started = sw->saved;
    double per_point = 0;
    int cur = 0;
    progress_ctx pc = {sw, &job, 0, sw->npoints * sw->reps};
    while (st == WF_OK && started < sw->npoints) {
        if (wf_cancel_requested(sw->o.cancel)) {
            st = WF_ECANCELLED;
            break;
        }
        size_t n = chunk_size(sw, started, min_chunk, per_point);
        pc.before = started * sw->reps;
        double t0 = now_s();
        st = run_points(sw, started, n, rs[cur], on_progress, &pc);
        if (st == WF_ECANCELLED && atomic_load(&job.failed)) st = WF_OK; /* the save's error, below */
        if (st != WF_OK) {
            errf(sw->err, sizeof sw->err, "%s", wf_results_error(rs[cur]));
            break;
        }
        per_point = (now_s() - t0) / (double)n;
        int stop = sw->o.chunk_done && !atomic_load(&job.failed) && sw->o.chunk_done(sw->o.user, rs[cur], started);
        /* the previous chunk's save completes before this one's starts */
        if ((st = save_join(&job)) != WF_OK) break;
        if ((st = save_start(&job, started, rs[cur])) != WF_OK) break;
        started += n;
        cur ^= 1;
        if (stop) {
            errf(sw->err, sizeof sw->err, "stopped by the chunk callback");
            st = WF_ECANCELLED;
        }
    }
    /* The save in flight completes, whatever happened (its chunk stays). */
    wf_status sst = save_join(&job);
    if (st == WF_OK || st == WF_ECANCELLED) st = sst != WF_OK ? sst : st;
    if (st == WF_ECANCELLED)
        errf(sw->err, sizeof sw->err, "stopped: %zu of %zu points are saved in %s", sw->saved, sw->npoints,
             sw->path);
    if (st == WF_ENOMEM && !sw->err[0]) errf(sw->err, sizeof sw->err, "out of memory");
    wf_results_destroy(rs[0]);
    wf_results_destroy(rs[1]);
    return st;
}
