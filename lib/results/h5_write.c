/* The HDF5 results writer's public calls: netCDF-4 compatible files
 * (docs/results-file.md), written to a temporary file in the target's
 * folder and renamed into place only when complete (atomic_file.c).
 *
 * Every HDF5 call happens on the calling thread, after the run, in a fixed
 * order, with object modification times off: the datasets are byte-identical
 * for any thread count. The steps of a write: the checks of the arguments,
 * the temporary file (a copy of the target when appending, whose data are
 * first read back so that damage is found, not copied), the structure
 * (h5_layout.c), the new scenarios' rows, their provenance
 * (h5_provenance.c), their completion flags, the event log (h5_event_log.c),
 * the root attributes, then closing and renaming. */
#define _POSIX_C_SOURCE 200809L
#include "results/h5_writer.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/calendar.h"
#include "results/atomic_file.h"
#include "results/file_lock.h"
#include "results/metrics.h"

/* ---- the caller's coordinates ---------------------------------------- */

/* Is `name` free for a scenario coordinate: a netCDF name (a letter, digit,
 * '_' or a UTF-8 byte first; no '/', space or control character; at most
 * 255 bytes; spaces are excluded as the CF "coordinates" attribute is a
 * blank-separated list) that the layout does not use? */
static const char *coord_name_problem(const char *name)
{
    static const char *const taken[] = {WF_H5_DIM_SCENARIO, WF_H5_DIM_REPLICATE, WF_H5_DIM_DAY, WF_H5_DIM_ORG,
                                        WF_H5_ORG_KIND, WF_H5_SCENARIO_YAML, WF_H5_SCENARIO_COMPLETE,
                                        WF_H5_SUMMARY, WF_H5_PARAMETERS, WF_H5_EVENT_LOG, WF_H5_POSTERIOR};
    const unsigned char *p = (const unsigned char *)name;
    if (!p || !*p) return "an empty name";
    if (strlen(name) > 255) return "longer than 255 bytes";
    if (!(isalnum(*p) || *p == '_' || *p >= 0x80)) return "it must start with a letter, digit or '_'";
    for (; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '/') return "no '/', space or control character is allowed";
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
        if (!strcmp(name, taken[i])) return "the layout uses that name";
    size_t n = strlen(name), k = strlen(WF_H5_STRLEN_SUFFIX);
    if (n > k && !strcmp(name + n - k, WF_H5_STRLEN_SUFFIX)) return "names ending in _strlen are the layout's";
    for (size_t m = 0; m < WF_NMETRIC; m++)
        if (!strcmp(name, wf_metric_defs[m].name)) return "a metric has that name";
    return NULL;
}

/* Check opt's coordinates; *joined: their names separated by spaces. */
static wf_status check_coords(wf_results *r, const char *path, const wf_write_options *opt, char **joined)
{
    size_t len = 1;
    *joined = NULL;
    if (opt->n_coords && (!opt->coord_names || !opt->coord_values)) {
        snprintf(r->err, sizeof r->err, "%s: %zu coordinates without coord_names or coord_values", path,
                 opt->n_coords);
        return WF_EINVAL;
    }
    for (size_t c = 0; c < opt->n_coords; c++) {
        const char *name = opt->coord_names[c], *why = coord_name_problem(name);
        for (size_t k = 0; !why && k < c; k++)
            if (!strcmp(name, opt->coord_names[k])) why = "given twice";
        if (why) {
            snprintf(r->err, sizeof r->err, "%s: coordinate \"%.300s\": %s", path, name ? name : "(null)", why);
            return WF_EINVAL;
        }
        len += strlen(name) + 1;
    }
    if (len > 1024) {
        snprintf(r->err, sizeof r->err, "%s: the coordinate names take more than 1023 bytes together", path);
        return WF_EINVAL;
    }
    char *s = malloc(len);
    if (!s) return WF_ENOMEM;
    size_t at = 0;
    for (size_t c = 0; c < opt->n_coords; c++) {
        if (c) s[at++] = ' ';
        size_t n = strlen(opt->coord_names[c]);
        memcpy(s + at, opt->coord_names[c], n);
        at += n;
    }
    s[at] = 0;
    *joined = s;
    return WF_OK;
}

/* ---- appending: the file must match the run -------------------------- */

/* A sweep's append: the file holds exactly the scenarios it saved. */
static wf_status check_expected(wf_h5_writer *w, const wf_h5_header *h)
{
    size_t i = 0;
    while (i < h->n_rows && i < w->n_expect && h->complete[i] && !strcmp(h->scen_names[i], w->expect[i])) i++;
    if (i == h->n_rows && i == w->n_expect) return WF_OK;
    snprintf(WF_H5_ERR(w), "%s: changed since the sweep saved to it: it holds %zu scenarios where the sweep saved "
             "%zu%s (did another program write it?); nothing was added", w->path, h->n_rows, w->n_expect,
             i < h->n_rows && i < w->n_expect ? ", and they differ" : "");
    return WF_EIO;
}

static wf_status check_compatible(wf_h5_writer *w)
{
    wf_results *r = w->r;
    wf_h5_header h;
    int64_t fmt = 0;
    if (wf_h5_attr_read_i64(w->file, WF_H5_FORMAT_ATTR, &fmt) == 1 && fmt >= 1 && fmt < WF_H5_FORMAT_VERSION) {
        snprintf(WF_H5_ERR(w), "%s: cannot append: the file is of format %lld, written by an older winterflow "
                 "(this one appends to format %d only); write the new scenarios to another file", w->path,
                 (long long)fmt, WF_H5_FORMAT_VERSION);
        return WF_EIO;
    }
    wf_status st = wf_h5_read_header(w->file, w->path, &h, WF_H5_ERR(w));
    if (st != WF_OK) return st;
    if (w->expect && (st = check_expected(w, &h)) != WF_OK) {
        wf_h5_header_free(&h);
        return st;
    }
    const char *what = NULL;
    char start[16] = "";
    wf_date_format(h.days[0], start);
    if (h.seed != r->seed) what = "seed";
    else if (h.n_rep != r->n_rep) what = "replicates";
    else if (h.n_days != r->n_days) what = "run.days";
    else if (r->n_days && strcmp(start, r->dates[0])) what = "run.start_date";
    else if (h.n_orgs != r->n_orgs) what = "organisations";
    for (size_t i = 0; !what && i < h.n_orgs; i++)
        if (strcmp(h.org_names[i], r->org_names[i])) what = "organisations";
    w->offset = h.n_rows;
    wf_h5_header_free(&h);
    if (what) {
        snprintf(WF_H5_ERR(w), "%s: cannot append: the file differs from the run in %s (scenarios in one file share "
                 "their system, calendar, seed and replicates)", w->path, what);
        return WF_EIO;
    }
    char have[1024] = "";
    if (wf_h5_attr_read_str(w->file, WF_H5_COORDS_ATTR, have, sizeof have) < 0) {
        snprintf(WF_H5_ERR(w), "%s: /: attribute %s is not text", w->path, WF_H5_COORDS_ATTR);
        return WF_EIO;
    }
    if (strcmp(have, w->coords)) {
        snprintf(WF_H5_ERR(w), "%s: cannot append: the file's scenario coordinates are \"%.300s\", the new "
                 "scenarios' are \"%.300s\" (they must be the same, in the same order)", w->path, have, w->coords);
        return WF_EIO;
    }
    /* The old data are copied as they are: read every byte back first, so
     * that a damaged chunk is an error now rather than in the new file. */
    st = wf_h5_check_data(w->file, w->path, WF_H5_ERR(w));
    if (st == WF_OK && wf_h5_check_posterior(w) < 0) st = WF_EIO;
    return st;
}

int wf_h5_oom(wf_h5_writer *w)
{
    snprintf(WF_H5_ERR(w), "%s: out of memory", w->path);
    w->oom = 1;
    return -1;
}

/* ---- closing --------------------------------------------------------- */

/* Close the file, then report a failed write the driver recorded (the
 * file, given up, closed without touching the disk: h5_vfd.c). */
static wf_status close_file(wf_h5_writer *w, wf_status st)
{
    if (w->file < 0) return st;
    if (st == WF_OK && H5Fflush(w->file, H5F_SCOPE_LOCAL) < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing the file out");
        st = WF_EIO;
    }
    if (H5Fclose(w->file) < 0 && st == WF_OK) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "closing the file");
        st = WF_EIO;
    }
    H5Eclear2(H5E_DEFAULT);
    w->file = -1;
    if (w->io_errno) {
        char eb[128];
        /* the first cause, even when a later step failed on account of it */
        snprintf(WF_H5_ERR(w), "%s: writing the file failed: %s", w->path, wf_strerror(w->io_errno, eb, sizeof eb));
        st = WF_EIO;
    }
    return st;
}

/* ---- the calls ------------------------------------------------------- */

/* The file's write lock: the caller's (opt->lock), or taken now into
 * *own (released by the caller). */
static wf_status take_lock(wf_results *r, const char *path, const wf_write_options *opt, wf_lock **own)
{
    *own = NULL;
    if (opt->lock) return wf_lock_check(opt->lock, path, r->err, sizeof r->err);
    wf_lock_options lo;
    wf_lock_options_init(&lo, sizeof lo);
    lo.wait = opt->wait_lock;
    lo.command_line = opt->command_line;
    if (!(*own = wf_lock_create())) return WF_ENOMEM;
    wf_status st = wf_lock_acquire(*own, path, &lo);
    if (st != WF_OK) {
        snprintf(r->err, sizeof r->err, "%s", wf_lock_error(*own));
        wf_lock_destroy(*own);
        *own = NULL;
    }
    return st;
}

static wf_status do_write(wf_results *r, const wf_scenario *const *scenarios, size_t n, const char *path,
                          const wf_write_options *opt, int append, const char *const *expect, size_t n_expect)
{
    if (!r) return WF_EINVAL;
    r->err[0] = 0;
    wf_write_options taken;
    if (wf_write_options_take(&taken, opt, r->err, sizeof r->err) != WF_OK) return WF_EINVAL;
    opt = &taken;
    if (!path || !*path) {
        snprintf(r->err, sizeof r->err, "no file name to write the results to");
        return WF_EINVAL;
    }
    if (!r->complete || r->n_scen == 0) {
        snprintf(r->err, sizeof r->err, "%s: no complete results to write (run them first; a cancelled run "
                 "is not written)", path);
        return WF_EINVAL;
    }
    if (!scenarios || n != r->n_scen) {
        snprintf(r->err, sizeof r->err, "%s: %zu scenarios given for results of %zu scenarios", path, n, r->n_scen);
        return WF_EINVAL;
    }
    if (opt->event_log && !r->log) {
        snprintf(r->err, sizeof r->err, "%s: the run kept no event log (set wf_run_options.event_log)", path);
        return WF_EINVAL;
    }
    if (opt->event_log && append) {
        snprintf(r->err, sizeof r->err, "%s: an event log cannot be appended to an existing file", path);
        return WF_EINVAL;
    }
    char *coords = NULL;
    wf_status cst = check_coords(r, path, opt, &coords);
    if (cst != WF_OK) return cst;
    wf_lock *own = NULL;
    if ((cst = take_lock(r, path, opt, &own)) != WF_OK) {
        free(coords);
        return cst;
    }
    /* Under the lock from here: what exists stays as it is seen. */
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    wf_status st = WF_OK;
    if (exists && S_ISDIR(sb.st_mode)) {
        snprintf(r->err, sizeof r->err, "%s: is a folder, not a results file", path);
        st = WF_EIO;
    } else if (!append && exists && !opt->overwrite) {
        snprintf(r->err, sizeof r->err, "%s: exists (set the overwrite option to replace it)", path);
        st = WF_EIO;
    } else if (append && !exists && n_expect) {
        snprintf(r->err, sizeof r->err, "%s: removed since the sweep saved %zu scenarios to it; nothing was added",
                 path, n_expect);
        st = WF_EIO;
    }
    if (st != WF_OK) {
        wf_lock_destroy(own);
        free(coords);
        return st;
    }
    append = append && exists;

    wf_h5_writer w = {.r = r, .path = path, .file = -1, .opt = opt, .n = n, .coords = coords,
                      .expect = expect, .n_expect = n_expect};
    wf_atomic tmp = {.target = path, .tmp = NULL};
    w.yaml = calloc(n, sizeof *w.yaml);
    if (!w.yaml) {
        wf_lock_destroy(own);
        free(coords);
        return WF_ENOMEM;
    }
    for (size_t i = 0; i < n && st == WF_OK; i++) {
        wf_scenario *c = scenarios[i] ? wf_scenario_clone(scenarios[i]) : NULL;
        if (!scenarios[i]) {
            snprintf(r->err, sizeof r->err, "%s: scenario %zu is NULL", path, i);
            st = WF_EINVAL;
        } else if (!c) {
            st = WF_ENOMEM;
        } else if (!(w.yaml[i] = wf_scenario_to_yaml(c))) {
            snprintf(r->err, sizeof r->err, "%s: scenario %zu: %s", path, i, wf_scenario_error(c));
            st = WF_EINVAL;
        }
        wf_scenario_destroy(c);
    }
    if (st == WF_OK) st = wf_atomic_begin(&tmp, path, append, r->err, sizeof r->err);

    wf_h5_section q;
    wf_h5_enter(&q);
    hid_t fapl = -1, fcpl = -1;
    if (st == WF_OK) {
        fapl = H5Pcreate(H5P_FILE_ACCESS);
        if (fapl < 0 || wf_h5_use_driver(fapl) < 0) {
            wf_h5_fail(WF_H5_ERR(&w), path, "setting up the HDF5 file driver");
            st = WF_EIO;
        }
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
        /* HDF5's 1.10 file format: checksums on the superblock, object
         * headers, chunk indexes and heaps (format 2 of the layout). */
#ifdef H5F_LIBVER_V110
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
#else
        H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
#endif
        if (st != WF_OK) {
        } else if (append) {
            w.file = H5Fopen(tmp.tmp, H5F_ACC_RDWR, fapl);
            if (w.file >= 0) wf_h5_watch(w.file, fapl, &w.io_errno);
            if (w.file < 0) {
                w.oom = wf_h5_fail(WF_H5_ERR(&w), path, "opening the file to append (is it a winterflow results "
                                   "file?)") == ENOMEM;
                st = WF_EIO;
            } else {
                st = check_compatible(&w);
            }
        } else {
            fcpl = H5Pcreate(H5P_FILE_CREATE);
            H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
            H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
            w.file = H5Fcreate(tmp.tmp, H5F_ACC_TRUNC, fcpl, fapl);
            if (w.file >= 0) wf_h5_watch(w.file, fapl, &w.io_errno);
            if (w.file < 0) {
                w.oom = wf_h5_fail(WF_H5_ERR(&w), path, "creating the file") == ENOMEM;
                st = WF_EIO;
            } else if (wf_h5_make_structure(&w) < 0 || wf_h5_write_posterior(&w) < 0) {
                st = WF_EIO;
            }
        }
    }
    if (st == WF_OK && wf_h5_add_rows(&w) < 0) st = WF_EIO;
    if (st == WF_OK && wf_h5_scenario_provenance(&w) < 0) st = WF_EIO;
    if (st == WF_OK && wf_h5_mark_complete(&w) < 0) st = WF_EIO;
    if (st == WF_OK && opt->event_log && wf_h5_write_event_log(&w) < 0) st = WF_EIO;
    if (st == WF_OK && wf_h5_root_provenance(&w) < 0) st = WF_EIO;
    st = close_file(&w, st);
    if (fapl >= 0) H5Pclose(fapl);
    if (fcpl >= 0) H5Pclose(fcpl);
    wf_h5_leave(&q);
    if (w.oom) st = WF_ENOMEM;
    if (st == WF_OK) st = wf_atomic_commit(&tmp, r->err, sizeof r->err);
    wf_atomic_end(&tmp);
    wf_lock_destroy(own);
    if (st == WF_ENOMEM && !r->err[0]) snprintf(r->err, sizeof r->err, "%s: out of memory", path);
    free(coords);
    for (size_t i = 0; i < n; i++) free(w.yaml[i]);
    free(w.yaml);
    return st;
}

wf_status wf_results_write(wf_results *r, const wf_scenario *const *scenarios, size_t n, const char *path,
                           const wf_write_options *opt)
{
    return do_write(r, scenarios, n, path, opt, 0, NULL, 0);
}

wf_status wf_results_append(wf_results *r, const wf_scenario *const *scenarios, size_t n, const char *path,
                            const wf_write_options *opt)
{
    return do_write(r, scenarios, n, path, opt, 1, NULL, 0);
}

wf_status wf_results_append_expecting(wf_results *r, const wf_scenario *const *scenarios, size_t n,
                                      const char *path, const wf_write_options *opt, const char *const *expect,
                                      size_t n_expect)
{
    static const char *const none[1] = {NULL};
    return do_write(r, scenarios, n, path, opt, 1, expect ? expect : none, n_expect);
}
