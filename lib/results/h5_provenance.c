/* Provenance: what a results file records about how it was made. The root
 * attributes (versions, build, seed, replicates, times, the command line
 * given, rerun), and per scenario a group parameters/scenario_<i> with one
 * attribute per resolved parameter and the run that wrote it. */
#define _POSIX_C_SOURCE 200809L
#include "results/h5_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void iso_time(int64_t t, char buf[32])
{
    if (t <= 0) {
        snprintf(buf, 32, "unknown");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Shell-quote s into buf if it needs it. */
static void shq(const char *s, char *buf, size_t len)
{
    int plain = *s != 0;
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+=:,@", *p)) plain = 0;
    if (plain) {
        snprintf(buf, len, "%s", s);
        return;
    }
    size_t o = 0;
    if (o + 1 < len) buf[o++] = '\'';
    for (const char *p = s; *p && o + 5 < len; p++) {
        if (*p == '\'') {
            memcpy(buf + o, "'\\''", 4);
            o += 4;
        } else {
            buf[o++] = *p;
        }
    }
    if (o + 1 < len) buf[o++] = '\'';
    buf[o] = 0;
}

/* The recipe that reproduces scenario i of the file bit for bit, part of
 * the file format (docs/results-file.md, "rerun"): the winterflow program
 * takes the resolved YAML out of the file itself ("FILE#i") and runs it
 * with the file's seed and replicates (streams do not depend on the
 * scenario or the thread count, so scenario i alone reproduces its slice of
 * the file), run in the file's folder. Returns its length. */
static size_t rerun_command(wf_h5_writer *w, size_t i, char *buf, size_t len)
{
    const char *slash = strrchr(w->path, '/');
    const char *base = slash ? slash + 1 : w->path;
    char spec[1100], qs[1200];
    snprintf(spec, sizeof spec, "%.1000s#%zu", base, i);
    shq(spec, qs, sizeof qs);
    int n = snprintf(buf, len, "winterflow run %s --seed %lld --replicates %zu --out rerun_%zu.h5", qs,
                     (long long)w->r->seed, w->r->n_rep, i);
    return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

static int param_attrs(wf_h5_writer *w, hid_t g, const char *yaml)
{
    char comps[16][128];
    int depth = 0;
    const char *p = yaml;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        char line[4096];
        if (n >= sizeof line) n = sizeof line - 1;
        memcpy(line, p, n);
        line[n] = 0;
        p = eol ? eol + 1 : p + n;
        size_t ind = strspn(line, " ");
        char *key = line + ind;
        if (!*key || *key == '#') continue;
        char *colon = strstr(key, ": ");
        int level = (int)(ind / 2);
        if (level > 15) continue;
        if (!colon) {
            size_t kl = strlen(key);
            if (kl && key[kl - 1] == ':') key[kl - 1] = 0;
            snprintf(comps[level], sizeof comps[level], "%s", key);
            depth = level + 1;
            continue;
        }
        *colon = 0;
        char *val = colon + 2;
        if (level > depth) level = depth;
        char name[1024] = "";
        for (int i = 0; i < level; i++) {
            strncat(name, comps[i], sizeof name - strlen(name) - 2);
            strcat(name, ".");
        }
        strncat(name, key, sizeof name - strlen(name) - 1);
        depth = level;
        herr_t st;
        char *end;
        size_t vl = strlen(val);
        if (*val && strspn(val + (*val == '-'), "0123456789") == vl - (*val == '-') && vl < 18) {
            st = wf_h5_attr_i64(g, name, strtoll(val, NULL, 10));
        } else if (*val && (strtod(val, &end), *end == 0) && strpbrk(val, "0123456789")) {
            st = wf_h5_attr_f64(g, name, strtod(val, NULL));
        } else {
            if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"' && !strchr(val, '\\')) {
                val[vl - 1] = 0;
                val++;
            }
            st = wf_h5_attr_str(g, name, val);
        }
        if (st < 0) {
            wf_h5_fail(WF_H5_ERR(w), w->path, "writing parameter attribute %s", name);
            return -1;
        }
    }
    return 0;
}

int wf_h5_scenario_provenance(wf_h5_writer *w)
{
    wf_results *r = w->r;
    hid_t par = H5Gopen2(w->file, WF_H5_PARAMETERS, H5P_DEFAULT);
    if (par < 0) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "H5Gopen2(%s)", WF_H5_PARAMETERS);
        return -1;
    }
    int rc = -1;
    for (size_t s = 0; s < w->n; s++) {
        size_t i = w->offset + s;
        char gname[64], cmd[2048], t[32];
        snprintf(gname, sizeof gname, "scenario_%zu", i);
        hid_t g = wf_h5_create_group(w, par, gname);
        if (g < 0) goto out;
        rerun_command(w, i, cmd, sizeof cmd);
        int bad = wf_h5_attr_str(g, "scenario", r->scen_names[s]) < 0 ||
                  wf_h5_attr_i32(g, "scenario_index", (int32_t)i) < 0 ||
                  wf_h5_attr_str(g, "winterflow_version", wf_version()) < 0 ||
                  wf_h5_attr_i64(g, "seed", r->seed) < 0 || wf_h5_attr_i32(g, "replicates", (int32_t)r->n_rep) < 0 ||
                  wf_h5_attr_i32(g, "threads", r->threads) < 0;
        iso_time(r->started, t);
        bad |= wf_h5_attr_str(g, "run_started", t) < 0;
        iso_time(r->finished, t);
        bad |= wf_h5_attr_str(g, "run_finished", t) < 0;
        bad |= wf_h5_attr_str(g, "rerun", cmd) < 0;
        if (w->opt->command_line && w->opt->command_line[0])
            bad |= wf_h5_attr_str(g, "command_line", w->opt->command_line) < 0;
        if (bad) wf_h5_fail(WF_H5_ERR(w), w->path, "writing the provenance of scenario %zu", i);
        else bad = param_attrs(w, g, w->yaml[s]) < 0;
        H5Gclose(g);
        if (bad) goto out;
    }
    rc = 0;
out:
    H5Gclose(par);
    return rc;
}

/* rerun: every scenario's command, joined by " && ", built in one pass
 * (each command is bounded, so the buffer is sized up front). */
static char *rerun_all(wf_h5_writer *w)
{
    size_t total = w->offset + w->n, cap, at = 0;
    const size_t each = 2048 + 4;
    if (!wf_mul(total ? total : 1, each, &cap)) return NULL;
    char *all = malloc(cap);
    if (!all) return NULL;
    all[0] = 0;
    for (size_t i = 0; i < total; i++) {
        if (i) {
            memcpy(all + at, " && ", 4);
            at += 4;
        }
        at += rerun_command(w, i, all + at, 2048);
    }
    all[at] = 0;
    return all;
}

int wf_h5_root_provenance(wf_h5_writer *w)
{
    wf_results *r = w->r;
    hid_t f = w->file;
    char buf[256], t0[32], t1[32], now[32];
    iso_time(r->started, t0);
    iso_time(r->finished, t1);
    iso_time((int64_t)time(NULL), now);
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    int bad = 0;
    snprintf(buf, sizeof buf, "version=2,winterflow=%s,hdf5=%u.%u.%u", wf_version(), maj, min, rel);
    bad |= wf_h5_attr_str(f, "_NCProperties", buf) < 0;
    bad |= wf_h5_attr_str(f, "title", "winterflow results") < 0;
    bad |= wf_h5_attr_str(f, "Conventions", "CF-1.8") < 0;
    bad |= wf_h5_attr_str(f, "source", "winterflow: agent-based simulation of winter discharge pressure") < 0;
    bad |= wf_h5_attr_i32(f, WF_H5_FORMAT_ATTR, WF_H5_FORMAT_VERSION) < 0;
    bad |= wf_h5_attr_str(f, "winterflow_version", wf_version()) < 0;
    bad |= wf_h5_attr_str(f, "winterflow_build_info", wf_build_info()) < 0;
    snprintf(buf, sizeof buf, "%u.%u.%u", maj, min, rel);
    bad |= wf_h5_attr_str(f, "hdf5_version", buf) < 0;
    bad |= wf_h5_attr_i64(f, "seed", r->seed) < 0;
    bad |= wf_h5_attr_i32(f, "replicates", (int32_t)r->n_rep) < 0;
    bad |= wf_h5_attr_i32(f, "threads", r->threads) < 0;
    bad |= wf_h5_attr_i32(f, "days", (int32_t)r->n_days) < 0;
    if (r->n_days) {
        bad |= wf_h5_attr_str(f, "start_date", r->dates[0]) < 0;
        bad |= wf_h5_attr_str(f, "end_date", r->dates[r->n_days - 1]) < 0;
    }
    bad |= wf_h5_attr_str(f, "run_started", t0) < 0;
    bad |= wf_h5_attr_str(f, "run_finished", t1) < 0;
    bad |= wf_h5_attr_str(f, "created", now) < 0;
    if (w->opt->command_line && w->opt->command_line[0])
        bad |= wf_h5_attr_str(f, "command_line", w->opt->command_line) < 0;
    char *all = rerun_all(w);
    if (!all) return wf_h5_oom(w);
    bad |= wf_h5_attr_str(f, "rerun", all) < 0;
    free(all);
    if (bad) {
        wf_h5_fail(WF_H5_ERR(w), w->path, "writing the provenance attributes");
        return -1;
    }
    return 0;
}
