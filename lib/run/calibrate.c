/* Calibration by ABC-SMC (winterflow.h, section 8; docs/calibrate.md). The
 * object holds its setup (keys and priors, observed data, base scenario,
 * options) and its state, which is exactly what the calibration file holds
 * (wf_calfile): the generations so far and the last population. A
 * generation is a batch of points, each a copy of the base scenario with
 * the point's values set, run by wf_run in chunks with the same seed and
 * replicates (common random numbers); the population maths is abc.c's. */
#include "run/calibrate.h"

#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/options.h"
#include "core/rng.h"
#include "params/params.h"
#include "results/calibration_file.h"
#include "run/abc.h"
#include "run/cancel.h"
#include "run/observed.h"
#include "run/run.h"
#include "run/spread_calibrate.h"

/* Stream keys: "calibrat" for the sampler, "simulate" for the points'
 * own seeds, "posterio" for runs' draws. */
#define CAL_TAG 0x63616c6962726174ULL
#define SIM_TAG 0x73696d756c617465ULL
#define POST_TAG 0x706f73746572696fULL

struct wf_calibration {
    char err[1024];
    /* setup */
    size_t n_keys;
    char **keys;
    double *lo, *hi;
    int *is_int;
    wf_observed obs;
    wf_scenario *base;
    char *path, *command_line;
    wf_calibration_options o;  /* defaults resolved; command_line points at ours */
    size_t reps, particles, batch;
    uint64_t seed;
    int opened;
    /* state: what the file holds */
    wf_calfile st;
    int has_state;
    /* derived from the state (refresh) */
    double *wn;                   /* normalised weights [P] */
    double *row_mean, *row_lo, *row_hi;   /* [n rows] */
    double *ser_mean, *ser_lo, *ser_hi;   /* [n series] */
};

static void errf(wf_calibration *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void errf(wf_calibration *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

static wf_status oom(wf_calibration *c)
{
    errf(c, "out of memory");
    return WF_ENOMEM;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* ---- options ------------------------------------------------------------- */

/* The first version of wf_calibration_options ended with user. */
#define CAL_OPTIONS_V1 (offsetof(wf_calibration_options, user) + sizeof(void *))

static wf_calibration_options cal_defaults(void)
{
    wf_calibration_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.seed = -1;
    return o;
}

wf_status wf_calibration_options_init(wf_calibration_options *o, size_t size)
{
    wf_calibration_options d = cal_defaults();
    return wf_options_init(o, size, &d, sizeof d, CAL_OPTIONS_V1) ? WF_EINVAL : WF_OK;
}

/* ---- the object ------------------------------------------------------------ */

wf_calibration *wf_calibration_create(void) { return calloc(1, sizeof(wf_calibration)); }

static void clear_derived(wf_calibration *c)
{
    free(c->wn), free(c->row_mean), free(c->row_lo), free(c->row_hi);
    free(c->ser_mean), free(c->ser_lo), free(c->ser_hi);
    c->wn = c->row_mean = c->row_lo = c->row_hi = c->ser_mean = c->ser_lo = c->ser_hi = NULL;
}

static void clear_state(wf_calibration *c)
{
    wf_calfile_free(&c->st);
    c->has_state = 0;
    clear_derived(c);
}

static void clear_keys(wf_calibration *c)
{
    for (size_t k = 0; k < c->n_keys; k++) free(c->keys[k]);
    free(c->keys), free(c->lo), free(c->hi), free(c->is_int);
    c->keys = NULL, c->lo = c->hi = NULL, c->is_int = NULL;
    c->n_keys = 0;
}

void wf_calibration_destroy(wf_calibration *c)
{
    if (!c) return;
    clear_state(c);
    clear_keys(c);
    wf_observed_free(&c->obs);
    wf_scenario_destroy(c->base);
    free(c->path);
    free(c->command_line);
    free(c);
}

const char *wf_calibration_error(const wf_calibration *c) { return c ? c->err : "no calibration"; }

/* ---- setup ------------------------------------------------------------------ */

static int key_is_int(const wf_param_info *row) { return !strcmp(row->type, "int"); }

wf_status wf_calibration_vary(wf_calibration *c, const char *spec)
{
    if (!c) return WF_EINVAL;
    c->err[0] = 0;
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq || eq == spec) {
        errf(c, "'%.300s': expected KEY=lo:hi, e.g. partnership.assessment_delay.mean_days=0.25:2", spec ? spec : "");
        return WF_EPARSE;
    }
    char key[512];
    size_t kn = (size_t)(eq - spec);
    if (kn >= sizeof key) {
        errf(c, "'%.300s': the key is too long", spec);
        return WF_EPARSE;
    }
    memcpy(key, spec, kn);
    key[kn] = 0;
    char *end = NULL;
    double lo = strtod(eq + 1, &end), hi = NAN;
    if (end && end != eq + 1 && *end == ':') {
        const char *h = end + 1;
        hi = strtod(h, &end);
        if (end == h || *end) hi = NAN;
    }
    if (!isfinite(lo) || !isfinite(hi)) {
        errf(c, "%s: '%.200s' is not a range lo:hi of two numbers", key, eq + 1);
        return WF_EPARSE;
    }
    const wf_param_info *row = wf_param_for_key(key);
    if (!strncmp(key, "run.", 4)) {
        errf(c, "%s: the run's settings (calendar, replicates, seed) cannot be calibrated", key);
        return WF_EINVAL;
    }
    if (!row) {
        errf(c, "%s: unknown key (see winterflow params)", key);
        return WF_EKEY;
    }
    if (strcmp(row->type, "int") && strcmp(row->type, "real")) {
        errf(c, "%s: a key of type %s; only int and real keys can be calibrated", key, row->type);
        return WF_ETYPE;
    }
    if (!(lo < hi)) {
        errf(c, "%s: the range %g:%g is empty (lo must be below hi)", key, lo, hi);
        return WF_ERANGE;
    }
    if ((!isnan(row->min) && lo < row->min) || (!isnan(row->max) && hi > row->max)) {
        errf(c, "%s: the range %g:%g is outside the key's bounds (%g .. %g)", key, lo, hi, row->min, row->max);
        return WF_ERANGE;
    }
    for (size_t k = 0; k < c->n_keys; k++)
        if (!strcmp(c->keys[k], key)) {
            errf(c, "%s: given twice", key);
            return WF_EINVAL;
        }
    if (c->n_keys >= WF_CALIBRATION_MAX_KEYS) {
        errf(c, "more than %d keys", WF_CALIBRATION_MAX_KEYS);
        return WF_EINVAL;
    }
    size_t n = c->n_keys + 1;
    char **keys = realloc(c->keys, n * sizeof *keys);
    if (keys) c->keys = keys;
    double *l = realloc(c->lo, n * sizeof *l);
    if (l) c->lo = l;
    double *h = realloc(c->hi, n * sizeof *h);
    if (h) c->hi = h;
    int *ii = realloc(c->is_int, n * sizeof *ii);
    if (ii) c->is_int = ii;
    if (!keys || !l || !h || !ii || !(c->keys[c->n_keys] = dup(key))) return oom(c);
    c->lo[c->n_keys] = lo;
    c->hi[c->n_keys] = hi;
    c->is_int[c->n_keys] = key_is_int(row);
    c->n_keys = n;
    c->opened = 0;
    return WF_OK;
}

wf_status wf_calibration_observe(wf_calibration *c, const char *csv_path)
{
    if (!c) return WF_EINVAL;
    c->err[0] = 0;
    if (!csv_path || !*csv_path) {
        errf(c, "no observed data file named");
        return WF_EINVAL;
    }
    wf_observed_free(&c->obs);
    c->opened = 0;
    return wf_observed_read(&c->obs, csv_path, c->err, sizeof c->err);
}

/* The value of key k at theta as set: int keys rounded; text into buf. */
static double value_text(const wf_calibration *c, size_t k, double v, char *buf, size_t len)
{
    if (c->is_int[k]) {
        v = (double)llround(v);
        snprintf(buf, len, "%lld", (long long)v);
    } else {
        snprintf(buf, len, "%.17g", v);
    }
    return v;
}

/* A copy of the base with theta's values set, named `name`. */
static wf_status point_scenario(const wf_calibration *c, const double *theta, const char *name, wf_scenario **out,
                                char *err, size_t errlen)
{
    wf_scenario *s = wf_scenario_clone(c->base);
    wf_status st = s ? WF_OK : WF_ENOMEM;
    for (size_t k = 0; k < c->n_keys && st == WF_OK; k++) {
        char v[48];
        value_text(c, k, theta[k], v, sizeof v);
        if ((st = wf_scenario_set(s, c->keys[k], v)) != WF_OK)
            snprintf(err, errlen, "%s: %s=%s: %s", name, c->keys[k], v, wf_scenario_error(s));
    }
    if (st == WF_OK && (st = wf_scenario_set_name(s, name)) != WF_OK) snprintf(err, errlen, "%s", wf_scenario_error(s));
    if (st == WF_ENOMEM) snprintf(err, errlen, "out of memory");
    if (st != WF_OK) {
        wf_scenario_destroy(s);
        s = NULL;
    }
    *out = s;
    return st;
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL;
}

/* The state a fresh calibration starts from: its identity, settings, keys
 * and data, no generations. */
static wf_status fresh_state(wf_calibration *c, const char *yaml, const char *fingerprint)
{
    wf_calfile *f = &c->st;
    memset(f, 0, sizeof *f);
    f->fingerprint = dup(fingerprint);
    f->scenario_yaml = dup(yaml);
    f->command_line = dup(c->command_line ? c->command_line : "");
    f->seed = (int64_t)c->seed;
    f->replicates = (int64_t)c->reps;
    f->particles = (int64_t)c->particles;
    f->batch = (int64_t)c->batch;
    f->common_random_numbers = c->o.common_random_numbers != 0;
    f->keep = c->o.keep;
    f->min_acceptance = c->o.min_acceptance;
    f->budget = (int64_t)c->o.budget;
    f->n_keys = c->n_keys;
    f->keys = calloc(c->n_keys + 1, sizeof *f->keys);
    f->prior_lo = malloc((c->n_keys + 1) * sizeof *f->prior_lo);
    f->prior_hi = malloc((c->n_keys + 1) * sizeof *f->prior_hi);
    size_t n = c->obs.n;
    f->n_rows = n;
    f->date = calloc(n + 1, sizeof *f->date);
    f->org = calloc(n + 1, sizeof *f->org);
    f->metric = calloc(n + 1, sizeof *f->metric);
    f->value = malloc((n + 1) * sizeof *f->value);
    if (!f->fingerprint || !f->scenario_yaml || !f->command_line || !f->keys || !f->prior_lo || !f->prior_hi ||
        !f->date || !f->org || !f->metric || !f->value)
        return oom(c);
    for (size_t k = 0; k < c->n_keys; k++) {
        if (!(f->keys[k] = dup(c->keys[k]))) return oom(c);
        f->prior_lo[k] = c->lo[k];
        f->prior_hi[k] = c->hi[k];
    }
    for (size_t i = 0; i < n; i++) {
        f->date[i] = dup(c->obs.date[i]), f->org[i] = dup(c->obs.org[i]), f->metric[i] = dup(c->obs.metric[i]);
        f->value[i] = c->obs.value[i];
        if (!f->date[i] || !f->org[i] || !f->metric[i]) return oom(c);
    }
    c->has_state = 1;
    return WF_OK;
}

/* What differs between the file's calibration and this one, for the
 * message when they do not match. */
static const char *what_differs(const wf_calibration *c, const wf_calfile *f, const char *yaml)
{
    if (f->seed != (int64_t)c->seed) return "the seed";
    if (f->replicates != (int64_t)c->reps) return "the replicates";
    if (f->particles != (int64_t)c->particles) return "the particles";
    if (f->batch != (int64_t)c->batch) return "keep (the points of a generation)";
    if (f->common_random_numbers != (c->o.common_random_numbers != 0)) return "common random numbers";
    if (f->n_keys != c->n_keys) return "the varied keys";
    for (size_t k = 0; k < c->n_keys; k++)
        if (strcmp(f->keys[k], c->keys[k]) || f->prior_lo[k] != c->lo[k] || f->prior_hi[k] != c->hi[k])
            return "the varied keys or their ranges";
    if (f->n_rows != c->obs.n) return "the observed data";
    for (size_t i = 0; i < f->n_rows; i++)
        if (strcmp(f->date[i], c->obs.date[i]) || strcmp(f->org[i], c->obs.org[i]) ||
            strcmp(f->metric[i], c->obs.metric[i]) || f->value[i] != c->obs.value[i])
            return "the observed data";
    if (strcmp(f->scenario_yaml, yaml)) return "the scenario";
    return "its fingerprint";
}

static void refresh(wf_calibration *c);

static wf_status resume(wf_calibration *c, const char *yaml, const char *fingerprint)
{
    int probe = wf_calfile_probe(c->path);
    if (probe < 0) return WF_OK; /* no file: start afresh */
    if (probe == 0) {
        errf(c, "%s exists and is not a calibration file (choose another name, or overwrite it)", c->path);
        return WF_EIO;
    }
    wf_calfile f;
    wf_status st = wf_calfile_read(&f, c->path, c->err, sizeof c->err);
    if (st != WF_OK) return st;
    if (strcmp(f.fingerprint, fingerprint)) {
        errf(c, "%s holds another calibration: %s differs (overwrite it to start afresh)", c->path,
             what_differs(c, &f, yaml));
        wf_calfile_free(&f);
        return WF_EIO;
    }
    /* keep this run's settings and command line, the file's progress */
    wf_calfile *s = &c->st;
    s->n_gen = f.n_gen, s->tolerance = f.tolerance, s->acceptance = f.acceptance, s->ess = f.ess;
    s->simulations = f.simulations, s->gen_mean = f.gen_mean, s->gen_lo = f.gen_lo, s->gen_hi = f.gen_hi;
    s->n_particles = f.n_particles, s->theta = f.theta, s->weight = f.weight, s->distance = f.distance, s->sim = f.sim;
    s->converged = f.converged;
    f.tolerance = f.acceptance = f.ess = f.gen_mean = f.gen_lo = f.gen_hi = NULL;
    f.simulations = NULL;
    f.theta = f.weight = f.distance = f.sim = NULL;
    f.n_gen = f.n_particles = 0;
    wf_calfile_free(&f);
    return WF_OK;
}

wf_status wf_calibration_open(wf_calibration *c, const wf_scenario *base, const char *path,
                              const wf_calibration_options *opt)
{
    if (!c) return WF_EINVAL;
    c->err[0] = 0;
    c->opened = 0;
    clear_state(c);
    wf_scenario_destroy(c->base);
    c->base = NULL;
    free(c->path), free(c->command_line);
    c->path = c->command_line = NULL;
    c->o = cal_defaults();
    if (opt && wf_options_take(&c->o, sizeof c->o, opt, CAL_OPTIONS_V1)) {
        errf(c, "wf_calibration_options: not set up by wf_calibration_options_init, or from a newer winterflow "
             "with options this library (%s) does not know", wf_version());
        return WF_EINVAL;
    }
    wf_calibration_options *o = &c->o;
    if (!o->budget) o->budget = 4000;
    if (!o->particles) o->particles = 100;
    if (o->keep == 0) o->keep = 0.5;
    if (o->min_acceptance == 0) o->min_acceptance = 0.05;
    if (!o->replicates) o->replicates = 2;
    if (o->replicates < 0 || o->threads < 0 || !(o->keep > 0 && o->keep < 1) ||
        !(o->min_acceptance > 0 && o->min_acceptance <= 1) || o->particles < 2 ||
        o->particles > WF_CALFILE_MAX_PARTICLES || o->replicates > WF_CALFILE_MAX_REPLICATES) {
        errf(c, "calibration options out of range: particles 2 .. %d, keep in (0, 1), min_acceptance in (0, 1], "
             "replicates 1 .. %d, threads not negative", WF_CALFILE_MAX_PARTICLES, WF_CALFILE_MAX_REPLICATES);
        return WF_EINVAL;
    }
    if (!base) {
        errf(c, "no scenario to calibrate");
        return WF_EINVAL;
    }
    if (!c->n_keys) {
        errf(c, "no keys to calibrate: give at least one range, KEY=lo:hi");
        return WF_EINVAL;
    }
    if (!c->obs.n) {
        errf(c, "no observed data (wf_calibration_observe)");
        return WF_EINVAL;
    }
    c->reps = (size_t)o->replicates;
    c->particles = o->particles;
    c->batch = (size_t)ceil((double)o->particles / o->keep - 1e-9);
    if (c->batch <= c->particles) c->batch = c->particles + 1;
    if (o->command_line && !(c->command_line = dup(o->command_line))) return oom(c);
    o->command_line = c->command_line;
    /* over MPI ranks only rank 0 reads and writes the file; it hands the
     * state to the others */
    int root = wf_mpi_rank(o->mpi) == 0;
    if (root && path && *path && !(c->path = dup(path))) return oom(c);

    /* the base, validated, then each range's ends */
    wf_status st;
    if (!(c->base = wf_scenario_clone(base))) return oom(c);
    if ((st = wf_scenario_validate(c->base)) != WF_OK) {
        errf(c, "%s", wf_scenario_error(c->base));
        return st;
    }
    char *seed = wf_scenario_get(c->base, "run.seed");
    c->seed = o->seed >= 0 ? (uint64_t)o->seed : seed ? strtoull(seed, NULL, 10) : 0;
    wf_free(seed);
    for (size_t k = 0; k < c->n_keys; k++)
        for (int end = 0; end < 2; end++) {
            double *theta = malloc(c->n_keys * sizeof *theta);
            if (!theta) return oom(c);
            for (size_t j = 0; j < c->n_keys; j++) theta[j] = 0.5 * (c->lo[j] + c->hi[j]);
            theta[k] = end ? c->hi[k] : c->lo[k];
            char name[64];
            snprintf(name, sizeof name, "the range's %s", end ? "high end" : "low end");
            wf_scenario *s = NULL;
            st = point_scenario(c, theta, name, &s, c->err, sizeof c->err);
            free(theta);
            if (st == WF_OK && (st = wf_scenario_validate(s)) != WF_OK)
                errf(c, "%s at %s: %s", c->keys[k], name, wf_scenario_error(s));
            wf_scenario_destroy(s);
            if (st != WF_OK) return st;
        }
    if ((st = wf_observed_resolve(&c->obs, c->base, c->err, sizeof c->err)) != WF_OK) return st;

    /* the fingerprint: what must match for a file to be continued */
    char *yaml = wf_scenario_to_yaml(c->base);
    if (!yaml) return oom(c);
    uint64_t h = fnv(0xcbf29ce484222325ULL, yaml);
    h = wf_observed_hash(&c->obs, h);
    char buf[160];
    for (size_t k = 0; k < c->n_keys; k++) {
        snprintf(buf, sizeof buf, "%.17g:%.17g", c->lo[k], c->hi[k]);
        h = fnv(fnv(h, c->keys[k]), buf);
    }
    snprintf(buf, sizeof buf, "seed=%" PRIu64 " replicates=%zu particles=%zu batch=%zu crn=%d", c->seed, c->reps,
             c->particles, c->batch, c->o.common_random_numbers != 0);
    h = fnv(h, buf);
    char fingerprint[32];
    snprintf(fingerprint, sizeof fingerprint, "%016" PRIx64, h);
    st = fresh_state(c, yaml, fingerprint);
    if (st == WF_OK && c->path && !o->overwrite) st = resume(c, yaml, fingerprint);
    wf_free(yaml);
    if (st == WF_OK) st = wf_cal_share_state(o->mpi, &c->st, c->err, sizeof c->err);
    if (st != WF_OK) {
        clear_state(c);
        return st;
    }
    c->opened = 1;
    refresh(c);
    if (root && c->st.n_gen && o->generation_done && o->generation_done(o->user, c)) {
        errf(c, "stopped by the generation callback");
        return WF_ECANCELLED;
    }
    return WF_OK;
}

/* ---- the derived summaries ------------------------------------------------ */

/* Normalised weights and the posterior predictive of every row and series. */
static void refresh(wf_calibration *c)
{
    clear_derived(c);
    wf_calfile *f = &c->st;
    size_t P = f->n_particles, R = (size_t)f->replicates, n = f->n_rows, S = c->obs.n_series;
    if (!P) return;
    c->wn = malloc(P * sizeof *c->wn);
    c->row_mean = malloc((n + 1) * sizeof(double));
    c->row_lo = malloc((n + 1) * sizeof(double));
    c->row_hi = malloc((n + 1) * sizeof(double));
    c->ser_mean = malloc((S + 1) * sizeof(double));
    c->ser_lo = malloc((S + 1) * sizeof(double));
    c->ser_hi = malloc((S + 1) * sizeof(double));
    double *w2 = malloc(P * R * sizeof *w2), *sm = malloc(P * R * sizeof *sm);
    if (!c->wn || !c->row_mean || !c->row_lo || !c->row_hi || !c->ser_mean || !c->ser_lo || !c->ser_hi || !w2 || !sm) {
        clear_derived(c);
        free(w2), free(sm);
        return;
    }
    wf_abc_normalise(f->weight, P, c->wn);
    for (size_t p = 0; p < P; p++)
        for (size_t r = 0; r < R; r++) w2[p * R + r] = c->wn[p] / (double)R;
    for (size_t i = 0; i < n; i++) {
        double m = 0, tw = 0;
        for (size_t j = 0; j < P * R; j++) {
            double x = f->sim[j * n + i];
            if (!isnan(x)) m += w2[j] * x, tw += w2[j];
        }
        c->row_mean[i] = tw > 0 ? m / tw : NAN;
        c->row_lo[i] = wf_abc_quantile(f->sim + i, n, w2, P * R, 0.05);
        c->row_hi[i] = wf_abc_quantile(f->sim + i, n, w2, P * R, 0.95);
    }
    for (size_t s = 0; s < S; s++) {
        double m = 0, tw = 0;
        for (size_t j = 0; j < P * R; j++) {
            double sum = 0;
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (c->obs.series[i] == s && !isnan(f->sim[j * n + i])) sum += f->sim[j * n + i], k++;
            sm[j] = k ? sum / (double)k : NAN;
            if (k) m += w2[j] * sm[j], tw += w2[j];
        }
        c->ser_mean[s] = tw > 0 ? m / tw : NAN;
        c->ser_lo[s] = wf_abc_quantile(sm, 1, w2, P * R, 0.05);
        c->ser_hi[s] = wf_abc_quantile(sm, 1, w2, P * R, 0.95);
    }
    free(w2), free(sm);
}

/* ---- a generation ------------------------------------------------------------ */

/* The distance of one point from its simulated rows sim[R][n]. */
static double distance(const wf_calibration *c, const double *sim)
{
    const wf_observed *o = &c->obs;
    size_t n = o->n, R = c->reps, S = o->n_series;
    double *acc = calloc(S + 1, sizeof *acc);
    if (!acc) return INFINITY;
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double x = 0;
        size_t k = 0;
        for (size_t r = 0; r < R; r++)
            if (!isnan(sim[r * n + i])) x += sim[r * n + i], k++;
        if (!k) {
            free(acc);
            return INFINITY; /* the point simulates nothing for this row */
        }
        const wf_obs_series *s = &o->s[o->series[i]];
        double e = (x / (double)k - o->value[i]) / s->scale;
        acc[o->series[i]] += e * e / (double)s->rows;
    }
    for (size_t s = 0; s < S; s++) d += acc[s];
    free(acc);
    return sqrt(d / (double)S);
}

/* Simulate points first .. first + k - 1 of generation g at theta [k][K]:
 * their rows [k][R][n] (wf_cal_batch.simulate; any thread, any rank). */
static wf_status simulate_points(void *user, size_t g, size_t first, size_t k, const double *theta, double *rows,
                                 wf_cancel *cancel, char *err, size_t errlen)
{
    const wf_calibration *c = user;
    size_t K = c->n_keys, R = c->reps, n = c->obs.n;
    wf_scenario **list = calloc(k + 1, sizeof *list);
    uint64_t *seeds = calloc(k + 1, sizeof *seeds);
    wf_results *r = wf_results_create();
    wf_status st = list && seeds && r ? WF_OK : WF_ENOMEM;
    if (st == WF_ENOMEM) snprintf(err, errlen, "out of memory");
    for (size_t j = 0; j < k && st == WF_OK; j++) {
        char name[96];
        snprintf(name, sizeof name, "generation %zu, point %zu", g, first + j + 1);
        st = point_scenario(c, theta + j * K, name, &list[j], err, errlen);
        /* the point's own randomness, unless common random numbers */
        seeds[j] = c->o.common_random_numbers ? c->seed
                                              : wf_key_mix(wf_key_mix(wf_key_mix(SIM_TAG, c->seed), g), first + j);
    }
    if (st == WF_OK) {
        wf_run_options ro;
        wf_run_options_init(&ro, sizeof ro);
        ro.replicates = (int)R;
        ro.seed = (int64_t)c->seed;
        ro.threads = c->o.threads;
        ro.cancel = cancel;
        st = wf_run_seeds(r, (const wf_scenario *const *)list, k, &ro, seeds);
        if (st != WF_OK) snprintf(err, errlen, "%s", st == WF_ECANCELLED ? "stopped" : wf_results_error(r));
    }
    for (size_t j = 0; j < k && st == WF_OK; j++)
        for (size_t rep = 0; rep < R; rep++) wf_observed_eval(&c->obs, r, j, rep, rows + (j * R + rep) * n);
    for (size_t j = 0; list && j < k; j++) wf_scenario_destroy(list[j]);
    wf_results_destroy(r);
    free(list);
    free(seeds);
    return st;
}

/* Simulate m points theta [m][K] of generation g, over the ranks of the
 * job: their rows sim [m][R][n] and distances dist [m], on every rank. */
static wf_status simulate(wf_calibration *c, size_t g, const double *theta, size_t m, double *sim, double *dist)
{
    size_t R = c->reps, n = c->obs.n;
    const wf_calibration_options *o = &c->o;
    wf_cal_batch b = {g, m, c->n_keys, R, n, theta, sim, c->o.threads > 0 ? c->o.threads : omp_get_max_threads(),
                      o->cancel, o->progress, o->user, c->st.n_gen ? (size_t)c->st.simulations[c->st.n_gen - 1] : 0,
                      o->budget, simulate_points, c};
    wf_status st = wf_cal_batch_run(o->mpi, &b, c->err, sizeof c->err);
    for (size_t j = 0; j < m && st == WF_OK; j++) dist[j] = distance(c, sim + j * R * n);
    return st;
}

/* Grow the per-generation arrays by one entry. */
static wf_status add_generation(wf_calibration *c, double tol, double acc, double ess, size_t sims)
{
    wf_calfile *f = &c->st;
    size_t G = f->n_gen + 1, K = f->n_keys;
    double *a = realloc(f->tolerance, G * sizeof *a);
    if (a) f->tolerance = a;
    double *b = realloc(f->acceptance, G * sizeof *b);
    if (b) f->acceptance = b;
    double *e = realloc(f->ess, G * sizeof *e);
    if (e) f->ess = e;
    int64_t *s = realloc(f->simulations, G * sizeof *s);
    if (s) f->simulations = s;
    double *m = realloc(f->gen_mean, G * K * sizeof *m);
    if (m) f->gen_mean = m;
    double *l = realloc(f->gen_lo, G * K * sizeof *l);
    if (l) f->gen_lo = l;
    double *h = realloc(f->gen_hi, G * K * sizeof *h);
    if (h) f->gen_hi = h;
    if (!a || !b || !e || !s || !m || !l || !h) return oom(c);
    size_t g = f->n_gen;
    f->tolerance[g] = tol, f->acceptance[g] = acc, f->ess[g] = ess, f->simulations[g] = (int64_t)sims;
    double *wn = malloc(f->n_particles * sizeof *wn), *cov = malloc(K * K * sizeof *cov);
    if (!wn || !cov) {
        free(wn), free(cov);
        return oom(c);
    }
    wf_abc_normalise(f->weight, f->n_particles, wn);
    wf_abc_moments(f->theta, wn, f->n_particles, K, f->gen_mean + g * K, cov);
    for (size_t k = 0; k < K; k++) {
        f->gen_lo[g * K + k] = wf_abc_quantile(f->theta + k, K, wn, f->n_particles, 0.05);
        f->gen_hi[g * K + k] = wf_abc_quantile(f->theta + k, K, wn, f->n_particles, 0.95);
    }
    free(wn), free(cov);
    f->n_gen = G;
    return WF_OK;
}

typedef struct {
    double d;
    size_t i;  /* in the pool: old particles first */
} ranked;

static int by_distance(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->d != b->d) return (a->d > b->d) - (a->d < b->d);
    return (a->i > b->i) - (a->i < b->i);
}

/* One generation: propose, simulate, select, save. */
static wf_status generation(wf_calibration *c)
{
    wf_calfile *f = &c->st;
    size_t K = c->n_keys, R = c->reps, n = c->obs.n, P0 = f->n_particles, g = f->n_gen;
    size_t m = g == 0 ? c->batch : c->batch - c->particles;
    double *theta = malloc((m * K + 1) * sizeof *theta), *logw = malloc((m + 1) * sizeof *logw);
    double *sim = malloc((m * R * n + 1) * sizeof *sim), *dist = malloc((m + 1) * sizeof *dist);
    double *work = malloc((P0 + 1) * sizeof *work), *cov = malloc((K * K + 1) * sizeof *cov);
    double *mean = malloc((K + 1) * sizeof *mean), *width = malloc((K + 1) * sizeof *width);
    ranked *pool = malloc((P0 + m + 1) * sizeof *pool);
    wf_abc_kernel ker = {0};
    wf_status st = theta && logw && sim && dist && work && cov && mean && width && pool ? WF_OK : oom(c);
    double log_prior = 0;
    for (size_t k = 0; k < K; k++) {
        width[k] = c->hi[k] - c->lo[k];
        log_prior -= log(width[k]);
    }
    /* the points: from the prior, or moved from the population */
    if (st == WF_OK && g > 0) {
        wf_abc_moments(f->theta, c->wn, P0, K, mean, cov);
        if (wf_abc_kernel_make(&ker, cov, K, width) < 0) st = oom(c);
    }
    for (size_t j = 0; j < m && st == WF_OK; j++) {
        wf_stream s = {wf_key_mix(wf_key_mix(wf_key_mix(CAL_TAG, c->seed), g), j), 0};
        if (g == 0) {
            for (size_t k = 0; k < K; k++) theta[j * K + k] = c->lo[k] + width[k] * wf_stream_uniform(&s);
            logw[j] = 0; /* prior / prior */
        } else {
            wf_abc_propose(&ker, f->theta, c->wn, P0, c->lo, c->hi, &s, theta + j * K);
            logw[j] = wf_abc_log_weight(&ker, f->theta, c->wn, P0, theta + j * K, log_prior, work);
        }
    }
    wf_abc_kernel_free(&ker);
    if (st == WF_OK) st = simulate(c, g, theta, m, sim, dist);
    /* the new population: the `particles` nearest of old and new */
    size_t P = c->particles;
    double *nt = NULL, *nw = NULL, *nd = NULL, *ns = NULL;
    if (st == WF_OK) {
        for (size_t i = 0; i < P0; i++) pool[i] = (ranked){f->distance[i], i};
        for (size_t j = 0; j < m; j++) pool[P0 + j] = (ranked){dist[j], P0 + j};
        qsort(pool, P0 + m, sizeof *pool, by_distance);
        nt = malloc((P * K + 1) * sizeof *nt), nw = malloc((P + 1) * sizeof *nw);
        nd = malloc((P + 1) * sizeof *nd), ns = malloc((P * R * n + 1) * sizeof *ns);
        if (!nt || !nw || !nd || !ns) st = oom(c);
    }
    if (st == WF_OK) {
        double last_tol = g ? f->tolerance[g - 1] : INFINITY;
        size_t entered = 0;
        for (size_t j = 0; j < m; j++) entered += dist[j] < last_tol;
        for (size_t q = 0; q < P; q++) {
            size_t i = pool[q].i;
            int old = i < P0;
            size_t at = old ? i : i - P0;
            memcpy(nt + q * K, old ? f->theta + at * K : theta + at * K, K * sizeof *nt);
            nw[q] = old ? f->weight[at] : exp(logw[at]);
            nd[q] = pool[q].d;
            memcpy(ns + q * R * n, old ? f->sim + at * R * n : sim + at * R * n, R * n * sizeof *ns);
        }
        free(f->theta), free(f->weight), free(f->distance), free(f->sim);
        f->theta = nt, f->weight = nw, f->distance = nd, f->sim = ns;
        nt = nw = nd = ns = NULL;
        f->n_particles = P;
        double acc = g ? (double)entered / (double)m : 1.0;
        size_t sims = (g ? (size_t)f->simulations[g - 1] : 0) + m * R;
        double *wn = malloc(P * sizeof *wn);
        if (!wn) st = oom(c);
        else {
            wf_abc_normalise(f->weight, P, wn);
            st = add_generation(c, pool[P - 1].d, acc, wf_abc_ess(wn, P), sims);
            free(wn);
        }
        if (st == WF_OK && g > 0 && acc < c->o.min_acceptance) f->converged = 1;
        f->budget = (int64_t)c->o.budget;
        f->min_acceptance = c->o.min_acceptance;
        free(f->command_line);
        if (!(f->command_line = dup(c->command_line ? c->command_line : ""))) st = oom(c);
    }
    free(nt), free(nw), free(nd), free(ns);
    free(theta), free(logw), free(sim), free(dist), free(work), free(cov), free(mean), free(width), free(pool);
    if (st == WF_OK) refresh(c);
    if (st == WF_OK && c->path) st = wf_calfile_write(f, c->path, c->err, sizeof c->err);
    return st;
}

wf_status wf_calibration_run(wf_calibration *c)
{
    if (!c) return WF_EINVAL;
    if (!c->opened) {
        errf(c, "the calibration is not open (wf_calibration_open)");
        return WF_EINVAL;
    }
    c->err[0] = 0;
    wf_calfile *f = &c->st;
    size_t R = c->reps;
    if (!f->n_gen && c->batch * R > c->o.budget) {
        errf(c, "a budget of %zu simulations is less than the first generation's %zu (%zu points x %zu "
             "replicates): raise the budget, or lower the particles or replicates", c->o.budget, c->batch * R,
             c->batch, R);
        return WF_EINVAL;
    }
    for (;;) {
        size_t sims = f->n_gen ? (size_t)f->simulations[f->n_gen - 1] : 0;
        if (f->n_gen && (f->converged || sims + (c->batch - c->particles) * R > c->o.budget)) break;
        /* over MPI ranks rank 0 alone decides to stop here: the others
         * learn it at the next generation's farm */
        int root = wf_mpi_rank(c->o.mpi) == 0;
        if (root && wf_cancel_requested(c->o.cancel)) {
            errf(c, "stopped after generation %zu", f->n_gen ? f->n_gen - 1 : 0);
            return WF_ECANCELLED;
        }
        wf_status st = generation(c);
        if (st != WF_OK) {
            if (st == WF_ECANCELLED)
                errf(c, "stopped%s", f->n_gen ? "; the last complete generation is kept" : " before the first generation completed");
            return st;
        }
        if (root && c->o.generation_done && c->o.generation_done(c->o.user, c)) {
            errf(c, "stopped by the generation callback after generation %zu", f->n_gen - 1);
            return WF_ECANCELLED;
        }
    }
    return WF_OK;
}

/* ---- reading a file ---------------------------------------------------------- */

wf_status wf_calibration_read(wf_calibration *c, const char *path)
{
    if (!c) return WF_EINVAL;
    c->err[0] = 0;
    c->opened = 0;
    clear_state(c);
    clear_keys(c);
    wf_observed_free(&c->obs);
    wf_scenario_destroy(c->base);
    c->base = NULL;
    if (!path || !*path) {
        errf(c, "no calibration file named");
        return WF_EINVAL;
    }
    wf_status st = wf_calfile_read(&c->st, path, c->err, sizeof c->err);
    wf_calfile *f = &c->st;
    if (st == WF_OK) {
        c->has_state = 1;
        c->n_keys = f->n_keys;
        c->keys = calloc(f->n_keys + 1, sizeof *c->keys);
        c->lo = malloc(f->n_keys * sizeof *c->lo);
        c->hi = malloc(f->n_keys * sizeof *c->hi);
        c->is_int = calloc(f->n_keys + 1, sizeof *c->is_int);
        if (!c->keys || !c->lo || !c->hi || !c->is_int) st = oom(c);
        for (size_t k = 0; k < f->n_keys && st == WF_OK; k++) {
            const wf_param_info *row = wf_param_for_key(f->keys[k]);
            if (!row) {
                errf(c, "%s: parameters/key: unknown key %s", path, f->keys[k]);
                st = WF_EIO;
                break;
            }
            if (!(c->keys[k] = dup(f->keys[k]))) st = oom(c);
            c->lo[k] = f->prior_lo[k], c->hi[k] = f->prior_hi[k], c->is_int[k] = key_is_int(row);
        }
        c->reps = (size_t)f->replicates, c->particles = (size_t)f->particles, c->batch = (size_t)f->batch;
        c->seed = (uint64_t)f->seed;
    }
    if (st == WF_OK) {
        char origin[600];
        snprintf(origin, sizeof origin, "%s: observed", path);
        st = wf_observed_from_rows(&c->obs, f->n_rows, f->date, f->org, f->metric, f->value, origin, c->err,
                                   sizeof c->err);
    }
    if (st == WF_OK) {
        c->base = wf_scenario_create();
        char origin[600];
        snprintf(origin, sizeof origin, "%s: scenario_yaml", path);
        st = c->base ? wf_scenario_load_sealed(c->base, f->scenario_yaml, origin) : oom(c);
        if (st == WF_OK) st = wf_scenario_validate(c->base);
        if (st != WF_OK && st != WF_ENOMEM) {
            errf(c, "%s", wf_scenario_error(c->base));
            st = WF_EIO;
        }
    }
    if (st == WF_OK && (st = wf_observed_resolve(&c->obs, c->base, c->err, sizeof c->err)) != WF_OK) st = WF_EIO;
    if (st != WF_OK) {
        clear_state(c);
        clear_keys(c);
        wf_observed_free(&c->obs);
        return st;
    }
    refresh(c);
    return WF_OK;
}

/* ---- queries -------------------------------------------------------------------- */

size_t wf_calibration_n_keys(const wf_calibration *c) { return c && c->has_state ? c->n_keys : 0; }
const char *wf_calibration_key(const wf_calibration *c, size_t k)
{
    return c && c->has_state && k < c->n_keys ? c->keys[k] : NULL;
}

wf_status wf_calibration_estimate(const wf_calibration *c, size_t k, wf_estimate *out)
{
    if (!c || !out || !c->has_state || k >= c->n_keys || !c->st.n_particles || !c->wn) return WF_EINVAL;
    const wf_calfile *f = &c->st;
    size_t P = f->n_particles, K = c->n_keys;
    double m = 0, v = 0;
    for (size_t i = 0; i < P; i++) m += c->wn[i] * f->theta[i * K + k];
    for (size_t i = 0; i < P; i++) v += c->wn[i] * (f->theta[i * K + k] - m) * (f->theta[i * K + k] - m);
    out->mean = m;
    out->sd = sqrt(v);
    out->lo = wf_abc_quantile(f->theta + k, K, c->wn, P, 0.05);
    out->hi = wf_abc_quantile(f->theta + k, K, c->wn, P, 0.95);
    out->prior_lo = c->lo[k];
    out->prior_hi = c->hi[k];
    return WF_OK;
}

size_t wf_calibration_n_particles(const wf_calibration *c) { return c && c->has_state ? c->st.n_particles : 0; }
const double *wf_calibration_particles(const wf_calibration *c)
{
    return c && c->has_state && c->st.n_particles ? c->st.theta : NULL;
}
const double *wf_calibration_weights(const wf_calibration *c) { return c && c->has_state ? c->wn : NULL; }
size_t wf_calibration_n_generations(const wf_calibration *c) { return c && c->has_state ? c->st.n_gen : 0; }

wf_status wf_calibration_generation(const wf_calibration *c, size_t g, wf_generation *out)
{
    if (!c || !out || !c->has_state || g >= c->st.n_gen) return WF_EINVAL;
    out->tolerance = c->st.tolerance[g];
    out->acceptance = c->st.acceptance[g];
    out->ess = c->st.ess[g];
    out->simulations = (size_t)c->st.simulations[g];
    return WF_OK;
}

size_t wf_calibration_simulations(const wf_calibration *c)
{
    return c && c->has_state && c->st.n_gen ? (size_t)c->st.simulations[c->st.n_gen - 1] : 0;
}
int wf_calibration_converged(const wf_calibration *c) { return c && c->has_state ? (int)c->st.converged : 0; }

size_t wf_calibration_n_series(const wf_calibration *c) { return c && c->has_state ? c->obs.n_series : 0; }

wf_status wf_calibration_series(const wf_calibration *c, size_t s, wf_series_fit *out)
{
    if (!c || !out || !c->has_state || s >= c->obs.n_series) return WF_EINVAL;
    const wf_obs_series *x = &c->obs.s[s];
    out->metric = x->metric;
    out->organisation = x->org;
    static const char *const period[3] = {"day", "month", "span"};
    out->period = period[x->period];
    out->rows = x->rows;
    out->scale = x->scale;
    out->observed = x->observed;
    out->mean = c->ser_mean ? c->ser_mean[s] : NAN;
    out->lo = c->ser_lo ? c->ser_lo[s] : NAN;
    out->hi = c->ser_hi ? c->ser_hi[s] : NAN;
    return WF_OK;
}

size_t wf_calibration_n_rows(const wf_calibration *c) { return c && c->has_state ? c->obs.n : 0; }

wf_status wf_calibration_row(const wf_calibration *c, size_t i, wf_observation *out)
{
    if (!c || !out || !c->has_state || i >= c->obs.n) return WF_EINVAL;
    out->date = c->obs.date[i];
    out->organisation = c->obs.org[i];
    out->metric = c->obs.metric[i];
    out->series = c->obs.series[i];
    out->value = c->obs.value[i];
    out->mean = c->row_mean ? c->row_mean[i] : NAN;
    out->lo = c->row_lo ? c->row_lo[i] : NAN;
    out->hi = c->row_hi ? c->row_hi[i] : NAN;
    return WF_OK;
}

/* ---- drawing from the posterior (calibrate.h) -------------------------------------- */

int wf_calibration_has_posterior(const wf_calibration *c) { return c && c->has_state && c->st.n_particles && c->wn; }

size_t wf_calibration_pick(const wf_calibration *c, uint64_t seed, size_t rep)
{
    wf_stream s = {wf_key_mix(wf_key_mix(POST_TAG, seed), rep), 0};
    double u = wf_stream_uniform(&s), cum = 0;
    size_t P = c->st.n_particles;
    for (size_t i = 0; i < P; i++) {
        cum += c->wn[i];
        if (u < cum) return i;
    }
    return P - 1;
}

double wf_calibration_value(const wf_calibration *c, size_t i, size_t k, char *buf, size_t len)
{
    return value_text(c, k, c->st.theta[i * c->n_keys + k], buf, len);
}

const char *wf_calibration_fingerprint(const wf_calibration *c) { return c->st.fingerprint; }
