"""The C library, loaded with cffi in ABI mode.

The declarations below are the public API of ``include/winterflow.h``
(sections 1 to 8), copied without the comments and in the same order
(tests/test_header.py fails when they drift apart); nothing else in the package
touches C. ABI mode needs no compiler when the package is installed: cffi
parses these declarations at import and calls the shared library through
libffi. cffi releases the GIL around every call, so long runs leave other
Python threads free, and ``ffi.callback`` turns a Python function into the
progress callback of ``wf_run``.

The library is found, in order, through
  1. the environment variable ``WINTERFLOW_LIBRARY`` (a path to the .so),
  2. a ``libwinterflow.so*`` next to this package (a wheel that bundles it),
  3. the system loader (``libwinterflow.so.0`` on the loader's path, e.g. after
     ``cmake --install`` into a prefix that ldconfig or LD_LIBRARY_PATH knows).
"""

import ctypes.util
import glob
import os

from cffi import FFI

CDEF = r"""
const char *wf_version(void);
int wf_version_number(void);
const char *wf_build_info(void);

typedef enum wf_status {
    WF_OK = 0,
    WF_ENOMEM,
    WF_EIO,
    WF_EPARSE,
    WF_EKEY,
    WF_ETYPE,
    WF_ERANGE,
    WF_EINVAL,
    WF_ECANCELLED,
    WF_ERANK
} wf_status;
const char *wf_status_str(wf_status s);
void wf_free(void *p);

typedef enum wf_org_kind {
    WF_ORG_HOSPITAL,
    WF_ORG_LOCALITY,
    WF_ORG_COMMUNITY,
    WF_ORG_VOLUNTARY,
    WF_ORG_SYSTEM,
    WF_ORG_NKINDS
} wf_org_kind;
const char *wf_org_kind_name(wf_org_kind kind);

typedef struct wf_param_info {
    const char *key;
    const char *type;
    const char *def;
    double min, max;
    const char *choices;
    const char *unit;
    const char *doc;
} wf_param_info;
size_t wf_param_count(void);
const wf_param_info *wf_param_at(size_t i);
const wf_param_info *wf_param_find(const char *pattern);
const wf_param_info *wf_param_for_key(const char *key);

typedef struct wf_scenario wf_scenario;
wf_scenario *wf_scenario_create(void);
void wf_scenario_destroy(wf_scenario *s);
wf_scenario *wf_scenario_clone(const wf_scenario *s);
wf_status wf_scenario_load_file(wf_scenario *s, const char *path);
wf_status wf_scenario_load_string(wf_scenario *s, const char *yaml, const char *origin);
wf_status wf_scenario_set(wf_scenario *s, const char *key, const char *value);
wf_status wf_scenario_validate(wf_scenario *s);
void wf_scenario_keep_going(wf_scenario *s, int on);
size_t wf_scenario_n_problems(const wf_scenario *s);
const char *wf_scenario_problem(const wf_scenario *s, size_t i, int *warning);
wf_status wf_scenario_set_name(wf_scenario *s, const char *name);
char *wf_scenario_to_yaml(const wf_scenario *s);
char *wf_scenario_get(const wf_scenario *s, const char *key);
typedef int (*wf_param_visit)(void *user, const char *key, const char *value,
                              const wf_param_info *row);
wf_status wf_scenario_each_param(const wf_scenario *s, wf_param_visit visit, void *user);
size_t wf_scenario_org_count(const wf_scenario *s, wf_org_kind kind);
const char *wf_scenario_org_name(const wf_scenario *s, wf_org_kind kind, size_t i);
const char *wf_scenario_error(const wf_scenario *s);
const char *wf_scenario_name(const wf_scenario *s);

typedef struct wf_template wf_template;
wf_template *wf_template_create(void);
void wf_template_destroy(wf_template *t);
const char *wf_template_error(const wf_template *t);
wf_status wf_template_add(wf_template *t, wf_org_kind kind, const char *name, double size);
wf_status wf_template_read_csv(wf_template *t, const char *path);
char *wf_template_yaml(wf_template *t, const char *name);

typedef struct wf_cancel wf_cancel;
wf_cancel *wf_cancel_create(void);
void wf_cancel_destroy(wf_cancel *c);
void wf_cancel_request(wf_cancel *c);
int wf_cancel_requested(const wf_cancel *c);
void wf_cancel_reset(wf_cancel *c);
typedef struct wf_mpi wf_mpi;

typedef struct wf_calibration wf_calibration;

typedef struct wf_run_options {
    size_t size;
    int replicates;
    int64_t seed;
    int threads;
    int (*progress)(void *user, size_t done, size_t total);
    void *user;
    int event_log;
    wf_cancel *cancel;
    wf_mpi *mpi;
    const wf_calibration *posterior;
} wf_run_options;
wf_status wf_run_options_init(wf_run_options *o, size_t size);

typedef struct wf_results wf_results;
wf_results *wf_results_create(void);
void wf_results_destroy(wf_results *r);
const char *wf_results_error(const wf_results *r);
wf_status wf_run(wf_results *r, const wf_scenario *const *scenarios, size_t n,
                 const wf_run_options *opt);

typedef enum wf_metric_kind { WF_METRIC_TOTAL, WF_METRIC_MEAN } wf_metric_kind;
size_t wf_metric_count(void);
const char *wf_metric_name(size_t m);
const char *wf_metric_unit(size_t m);
const char *wf_metric_doc(size_t m);
wf_metric_kind wf_metric_kind_of(size_t m);
size_t wf_metric_find(const char *name);
const char *wf_metric_suggest(const char *name);
size_t wf_metric_headline(size_t i);
const char *wf_metric_perspective(size_t m, wf_org_kind kind);

size_t wf_results_n_scenarios(const wf_results *r);
size_t wf_results_n_replicates(const wf_results *r);
size_t wf_results_n_days(const wf_results *r);
size_t wf_results_n_orgs(const wf_results *r);
const char *wf_results_org_name(const wf_results *r, size_t org);
const char *wf_results_org_kind(const wf_results *r, size_t org);
size_t wf_results_org_find(const wf_results *r, const char *name);
const char *wf_results_scenario_name(const wf_results *r, size_t scenario);
const char *wf_results_scenario_yaml(const wf_results *r, size_t scenario);
const char *wf_results_date(const wf_results *r, size_t day);
int64_t wf_results_seed(const wf_results *r);
int wf_results_threads(const wf_results *r);
uint64_t wf_results_events(const wf_results *r);
const double *wf_results_daily(const wf_results *r, size_t scenario, size_t metric);
const double *wf_results_summary(const wf_results *r, size_t scenario, size_t metric);

typedef enum wf_log_event {
    WF_LOG_ARRIVAL,
    WF_LOG_ADMISSION,
    WF_LOG_DIVERTED,
    WF_LOG_AVOIDED,
    WF_LOG_MOFD,
    WF_LOG_ESCALATION,
    WF_LOG_DISCHARGE,
    WF_LOG_CARE_START,
    WF_LOG_READMISSION,
    WF_LOG_NEVENT
} wf_log_event;

typedef struct wf_log_record {
    uint64_t patient;
    double t;
    int32_t org;
    uint8_t event;
    uint8_t pathway;
    uint8_t episode;
    uint8_t elective;
} wf_log_record;

const char *wf_log_event_name(int event);
const wf_log_record *wf_results_event_log(const wf_results *r, size_t scenario, size_t replicate,
                                          size_t *n);

typedef struct wf_stat {
    double mean;
    double sd;
    double lo, hi;
    size_t n;
} wf_stat;
wf_status wf_results_stat(const wf_results *r, size_t scenario, size_t metric,
                          size_t org, wf_stat *out);
wf_status wf_results_paired(const wf_results *r, size_t a, size_t b, size_t metric,
                            size_t org, wf_stat *out);
wf_status wf_results_daily_stat(const wf_results *r, size_t scenario, size_t metric,
                                size_t org, size_t day, wf_stat *out);
size_t wf_results_posterior_draw(const wf_results *r, size_t replicate);

typedef struct wf_lock wf_lock;
typedef struct wf_lock_options {
    size_t size;
    int wait;
    wf_cancel *cancel;
    const char *command_line;
} wf_lock_options;
wf_status wf_lock_options_init(wf_lock_options *o, size_t size);
wf_lock *wf_lock_create(void);
void wf_lock_destroy(wf_lock *l);
const char *wf_lock_error(const wf_lock *l);
wf_status wf_lock_acquire(wf_lock *l, const char *path, const wf_lock_options *opt);
void wf_lock_release(wf_lock *l);
typedef struct wf_write_options {
    size_t size;
    int overwrite;
    const char *command_line;
    int event_log;
    size_t n_coords;
    const char *const *coord_names;
    const double *coord_values;
    wf_lock *lock;
    int wait_lock;
} wf_write_options;
wf_status wf_write_options_init(wf_write_options *o, size_t size);
wf_status wf_results_write(wf_results *r, const wf_scenario *const *scenarios, size_t n,
                           const char *path, const wf_write_options *opt);
wf_status wf_results_append(wf_results *r, const wf_scenario *const *scenarios, size_t n,
                            const char *path, const wf_write_options *opt);
wf_status wf_results_read(wf_results *r, const char *path);
wf_status wf_results_read_parts(wf_results *r, const char *const *paths, size_t n);
wf_status wf_results_load_scenario(const wf_results *r, size_t scenario, wf_scenario *s, const char *origin);
const char *wf_results_provenance(const wf_results *r, const char *name);
size_t wf_results_n_coords(const wf_results *r);
const char *wf_results_coord_name(const wf_results *r, size_t coord);
const double *wf_results_coord_values(const wf_results *r, size_t coord);

typedef struct wf_design wf_design;
wf_design *wf_design_create(void);
void wf_design_destroy(wf_design *d);
const char *wf_design_error(const wf_design *d);
wf_status wf_design_vary(wf_design *d, const char *spec);
wf_status wf_design_add_values(wf_design *d, const char *key, const char *const *values, size_t n);
wf_status wf_design_add_range(wf_design *d, const char *key, double lo, double hi, double step);
wf_status wf_design_lhs(wf_design *d, size_t samples, uint64_t seed);
wf_status wf_design_add_point(wf_design *d, const char *label, const char *const *keys,
                              const char *const *values, size_t n);
wf_status wf_design_read_csv(wf_design *d, const char *path);
wf_status wf_design_validate(wf_design *d);
wf_status wf_design_part(wf_design *d, size_t part, size_t parts);
size_t wf_design_n_points(const wf_design *d);
size_t wf_design_n_keys(const wf_design *d);
const char *wf_design_key(const wf_design *d, size_t k);
const char *wf_design_value(const wf_design *d, size_t point, size_t k);
const char *wf_design_label(const wf_design *d, size_t point);
int wf_design_numeric(const wf_design *d, size_t k);
wf_status wf_design_scenario(wf_design *d, size_t point, const wf_scenario *base,
                             wf_scenario **out);

typedef struct wf_sweep wf_sweep;
typedef struct wf_sweep_options {
    size_t size;
    int replicates;
    int64_t seed;
    int threads;
    size_t chunk;
    int overwrite;
    const char *command_line;
    wf_cancel *cancel;
    int (*progress)(void *user, size_t done, size_t total);
    int (*chunk_done)(void *user, const wf_results *r, size_t first);
    void *user;
    int wait_lock;
    wf_mpi *mpi;
    const wf_calibration *posterior;
    int writers;
} wf_sweep_options;
wf_status wf_sweep_options_init(wf_sweep_options *o, size_t size);
wf_sweep *wf_sweep_create(void);
void wf_sweep_destroy(wf_sweep *sw);
const char *wf_sweep_error(const wf_sweep *sw);
wf_status wf_sweep_open(wf_sweep *sw, const wf_scenario *base, const wf_design *design,
                        const char *path, const wf_sweep_options *opt);
size_t wf_sweep_n_points(const wf_sweep *sw);
size_t wf_sweep_n_saved(const wf_sweep *sw);
const char *wf_sweep_point_name(const wf_sweep *sw, size_t point);
size_t wf_sweep_n_files(const wf_sweep *sw);
const char *wf_sweep_file(const wf_sweep *sw, size_t k);
wf_status wf_sweep_run(wf_sweep *sw);
wf_status wf_sweep_run_points(const wf_sweep *sw, size_t first, size_t n, wf_results *r);
wf_status wf_sweep_save(wf_sweep *sw, size_t first, wf_results *r);

int wf_mpi_available(void);
wf_mpi *wf_mpi_create(void);
wf_status wf_mpi_join(wf_mpi *m);
int wf_mpi_rank(const wf_mpi *m);
int wf_mpi_size(const wf_mpi *m);
const char *wf_mpi_error(const wf_mpi *m);
int wf_mpi_finish(wf_mpi *m, int status, const char *message);
void wf_mpi_destroy(wf_mpi *m);

typedef struct wf_calibration_options {
    size_t size;
    size_t budget;
    size_t particles;
    double keep;
    double min_acceptance;
    int replicates;
    int64_t seed;
    int threads;
    int common_random_numbers;
    int overwrite;
    const char *command_line;
    wf_cancel *cancel;
    int (*progress)(void *user, size_t done, size_t total);
    int (*generation_done)(void *user, const wf_calibration *c);
    void *user;
    wf_mpi *mpi;
} wf_calibration_options;
wf_status wf_calibration_options_init(wf_calibration_options *o, size_t size);
wf_calibration *wf_calibration_create(void);
void wf_calibration_destroy(wf_calibration *c);
const char *wf_calibration_error(const wf_calibration *c);
wf_status wf_calibration_vary(wf_calibration *c, const char *spec);
wf_status wf_calibration_observe(wf_calibration *c, const char *csv_path);
wf_status wf_calibration_open(wf_calibration *c, const wf_scenario *base, const char *path,
                              const wf_calibration_options *opt);
wf_status wf_calibration_run(wf_calibration *c);
wf_status wf_calibration_read(wf_calibration *c, const char *path);
size_t wf_calibration_n_keys(const wf_calibration *c);
const char *wf_calibration_key(const wf_calibration *c, size_t k);
typedef struct wf_estimate {
    double mean, sd;
    double lo, hi;
    double prior_lo, prior_hi;
} wf_estimate;
wf_status wf_calibration_estimate(const wf_calibration *c, size_t k, wf_estimate *out);
size_t wf_calibration_n_particles(const wf_calibration *c);
const double *wf_calibration_particles(const wf_calibration *c);
const double *wf_calibration_weights(const wf_calibration *c);
typedef struct wf_generation {
    double tolerance;
    double acceptance;
    double ess;
    size_t simulations;
} wf_generation;
size_t wf_calibration_n_generations(const wf_calibration *c);
wf_status wf_calibration_generation(const wf_calibration *c, size_t g, wf_generation *out);
size_t wf_calibration_simulations(const wf_calibration *c);
int wf_calibration_converged(const wf_calibration *c);
typedef struct wf_series_fit {
    const char *metric;
    const char *organisation;
    const char *period;
    size_t rows;
    double scale;
    double observed;
    double mean, lo, hi;
} wf_series_fit;
size_t wf_calibration_n_series(const wf_calibration *c);
wf_status wf_calibration_series(const wf_calibration *c, size_t s, wf_series_fit *out);
typedef struct wf_observation {
    const char *date;
    const char *organisation;
    const char *metric;
    size_t series;
    double value;
    double mean, lo, hi;
} wf_observation;
size_t wf_calibration_n_rows(const wf_calibration *c);
wf_status wf_calibration_row(const wf_calibration *c, size_t i, wf_observation *out);
"""

ffi = FFI()
ffi.cdef(CDEF)

NOT_FOUND = int(ffi.cast("size_t", -1))  # WF_NOT_FOUND, ((size_t)-1)


def _candidates():
    env = os.environ.get("WINTERFLOW_LIBRARY")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    for pattern in ("libwinterflow.so", "libwinterflow.so.*", "libwinterflow.dylib"):
        for path in sorted(glob.glob(os.path.join(here, pattern))):
            yield path
    yield "libwinterflow.so.0"
    found = ctypes.util.find_library("winterflow")
    if found:
        yield found


def _load():
    errors = []
    for name in _candidates():
        try:
            return ffi.dlopen(name), name
        except OSError as e:
            errors.append(f"{name}: {e}")
    raise ImportError(
        "winterflow: cannot load the C library libwinterflow.so; set "
        "WINTERFLOW_LIBRARY to its path (e.g. build/libwinterflow.so). Tried:\n  "
        + "\n  ".join(errors))


lib, library_path = _load()


def string(p):
    """A C string as str ("" for NULL). The library's text is UTF-8, but a
    message may quote bytes of a damaged file: those become U+FFFD rather
    than a UnicodeDecodeError."""
    return "" if p == ffi.NULL else ffi.string(p).decode("utf-8", "replace")


def take_string(p):
    """A string the library hands over (``char *``) as str, freed with
    ``wf_free`` (never libc's free: the library's allocator may differ)."""
    try:
        return string(p)
    finally:
        if p != ffi.NULL:
            lib.wf_free(p)


def options(ctype):
    """A new ``wf_*_options`` struct set up by its ``*_init`` call, with its
    size as this module declares it (the library defaults any field added
    after it)."""
    o = ffi.new(ctype + " *")
    init = getattr(lib, ctype + "_init")
    if init(o, ffi.sizeof(ctype)) != lib.WF_OK:
        raise RuntimeError(f"{ctype}_init refused size {ffi.sizeof(ctype)}")
    return o
