/* Key paths against the table, and walking a value tree (a file's top-level
 * map, or a --set value) into the scenario's assignments: every leaf key
 * becomes one assignment; a map at a block key ("hospitals.city",
 * "patients.los.fit") is walked key by key, so a block given in part
 * overrides only the keys it names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

size_t wf_split_key(const char *key, char *buf, size_t buflen, const char **comps, size_t max) {
    size_t l = strlen(key);
    if (l + 1 > buflen || l == 0) return 0;
    memcpy(buf, key, l + 1);
    size_t n = 0;
    char *p = buf;
    for (;;) {
        char *dot = strchr(p, '.');
        if (dot) *dot = '\0';
        if (!*p || n == max) return 0;
        comps[n++] = p;
        if (!dot) break;
        p = dot + 1;
    }
    return n;
}

void wf_join_key(const char *const *comps, size_t n, char *buf, size_t len) {
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && at < len; i++) {
        int w = snprintf(buf + at, len - at, "%s%s", i ? "." : "", comps[i]);
        if (w < 0) break;
        at += (size_t)w;
    }
}

/* Component i of a dotted pattern, copied into out; false if none. */
static bool pattern_comp(const char *pattern, size_t i, char *out, size_t len) {
    const char *p = pattern;
    for (size_t k = 0; k < i; k++) {
        p = strchr(p, '.');
        if (!p) return false;
        p++;
    }
    size_t l = strcspn(p, ".");
    if (l + 1 > len) return false;
    memcpy(out, p, l);
    out[l] = '\0';
    return true;
}

int wf_pattern_match(const char *pattern, const char *const *comps, size_t n) {
    const char *p = pattern;
    for (size_t i = 0; i < n; i++) {
        if (!*p) return 0;
        size_t l = strcspn(p, ".");
        if (p[0] == '<') {
            if (!wf_org_name_ok(comps[i])) return 0;
        } else if (strlen(comps[i]) != l || strncmp(p, comps[i], l)) {
            return 0;
        }
        p += l;
        if (*p == '.') p++;
        else if (i + 1 < n) return 0;
    }
    return *p ? 1 : 2;
}

const wf_row *wf_row_for_path(const char *const *comps, size_t n, const char **names,
                              int *kinds, size_t *n_names) {
    for (size_t r = 0; r < wf_nrows; r++) {
        const wf_row *row = &wf_rows[r];
        if (row->bind == WF_B_ITEM || wf_pattern_match(row->info.key, comps, n) != 2) continue;
        size_t k = 0;
        char c[64];
        for (size_t i = 0; i < n; i++) {
            pattern_comp(row->info.key, i, c, sizeof c);
            int kind = wf_kind_of_placeholder(c);
            if (kind >= 0 && k < 2) {
                if (names) names[k] = comps[i];
                if (kinds) kinds[k] = kind;
                k++;
            }
        }
        if (n_names) *n_names = k;
        return row;
    }
    return NULL;
}

const wf_param_info *wf_param_for_key(const char *key) {
    char buf[512];
    const char *comps[WF_MAX_COMPS];
    size_t n = key ? wf_split_key(key, buf, sizeof buf, comps, WF_MAX_COMPS) : 0;
    const wf_row *row = n ? wf_row_for_path(comps, n, NULL, NULL, NULL) : NULL;
    return row ? &row->info : NULL;
}

static wf_status fail(wf_walk *w, int line, int col, const char *path, wf_status st,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static wf_status fail(wf_walk *w, int line, int col, const char *path, wf_status st,
                      const char *fmt, ...) {
    char problem[WF_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    if (w->src_is_file)
        wf_errf(w->err, w->errlen, "%s:%d:%d: %s: %s", w->src, line, col, path, problem);
    else
        wf_errf(w->err, w->errlen, "%s: %s: %s", w->src, path, problem);
    return st;
}

/* Keep-going mode (problems.c): the problem of one key is recorded, the
 * key left out, and the walk goes on with the next. */
static bool keep_going(wf_walk *w, wf_status st, const char *const *comps, size_t n) {
    char path[512];
    wf_join_key(comps, n, path, sizeof path);
    return wf_problem_keep(w->sc, st, w->err, path);
}

/* An organisation named in a key of a --set must exist. */
static wf_status check_org(wf_walk *w, int kind, const char *name, const char *path, int line,
                           int col) {
    if (wf_scenario_org_find(w->sc, kind, name) >= 0) return WF_OK;
    const char *sug = wf_suggest(name, (const char *const *)w->sc->org[kind], w->sc->n_org[kind]);
    if (sug)
        return fail(w, line, col, path, WF_EKEY, "unknown %s '%s'; did you mean '%s'?",
                    wf_kind_word[kind], name, sug);
    return fail(w, line, col, path, WF_EKEY, "unknown %s '%s'%s", wf_kind_word[kind], name,
                w->sc->n_org[kind] ? "" : " (none are declared)");
}

static wf_status declare_org(wf_walk *w, int kind, const char *name, const char *path,
                             int line, int col) {
    if (!strcmp(name, "system"))
        return fail(w, line, col, path, WF_EKEY,
                    "'system' is reserved for the whole system; choose another name");
    int k;
    if (wf_scenario_org_lookup(w->sc, name, &k) >= 0) {
        if (k == kind) return WF_OK; /* a later layer merges into it */
        return fail(w, line, col, path, WF_EKEY,
                    "'%s' is already a %s; organisation names must be unique across kinds",
                    name, wf_kind_word[k]);
    }
    if (w->sc->n_org[kind] >= WF_MAX_ORGS)
        return fail(w, line, col, path, WF_ERANGE, "more than %d %ss; a scenario holds at most %d of each kind",
                    WF_MAX_ORGS, wf_kind_word[kind], WF_MAX_ORGS);
    if (wf_scenario_org_add(w->sc, kind, name))
        return fail(w, line, col, path, WF_ENOMEM, "out of memory");
    return WF_OK;
}

wf_status wf_walk_value(wf_walk *w, const char *const *comps, size_t n, const wf_node *v,
                        int line, int col) {
    char path[512];
    wf_join_key(comps, n, path, sizeof path);
    if (n > WF_MAX_COMPS)
        return fail(w, line, col, path, WF_EKEY, "unknown key (nested too deep)");

    /* a leaf key */
    const char *names[2];
    int kinds[2];
    size_t nn = 0;
    const wf_row *row = wf_row_for_path(comps, n, names, kinds, &nn);
    if (row) {
        if (row->bind == WF_B_NONE && (!strcmp(row->info.key, "extends") || !strcmp(row->info.key, "replace")))
            return fail(w, line, col, path, WF_EKEY,
                        w->src_is_file ? "'%s' is only read at the top level"
                                       : "'%s' can only be given in a file", row->info.key);
        if (!w->declare)
            for (size_t i = 0; i < nn; i++) {
                wf_status st = check_org(w, kinds[i], names[i], path, line, col);
                if (st) return st;
            }
        wf_apply a = {.cfg = NULL, .sc = w->sc, .org = {-1, -1}, .key = path, .src = w->src,
                      .src_is_file = w->src_is_file, .line = line, .col = col, .err = w->err,
                      .errlen = w->errlen};
        wf_status st = wf_value_apply(row, v, &a);
        if (st) return st;
        st = wf_scenario_add_assign(w->sc, path, v, w->src, w->src_is_file, line, col);
        if (st) return fail(w, line, col, path, st, "out of memory");
        return WF_OK;
    }

    /* a block: a proper prefix of some row */
    const wf_row *prefix_of = NULL;
    for (size_t r = 0; r < wf_nrows && !prefix_of; r++)
        if (wf_rows[r].bind != WF_B_ITEM && wf_pattern_match(wf_rows[r].info.key, comps, n) == 1)
            prefix_of = &wf_rows[r];
    if (prefix_of) {
        char c[64];
        /* organisation names in the path */
        for (size_t i = 0; i < n; i++) {
            pattern_comp(prefix_of->info.key, i, c, sizeof c);
            int kind = wf_kind_of_placeholder(c);
            if (kind < 0) continue;
            wf_status st = WF_OK;
            if (w->declare && i == 1) {
                if (i == n - 1) st = declare_org(w, kind, comps[i], path, line, col);
            } else if (!w->declare) {
                st = check_org(w, kind, comps[i], path, line, col);
            }
            if (st) return st;
        }
        if (!wf_node_is_null(v) && v->kind != WF_NODE_MAP) {
            char d[64];
            wf_node_describe(v, d, sizeof d);
            return fail(w, line, col, path, WF_ETYPE, "expected a map of keys, got %s", d);
        }
        /* a marker: where this block was written, for checks across its keys */
        wf_status st = wf_scenario_add_assign(w->sc, path, NULL, w->src, w->src_is_file, line,
                                              col);
        if (st) return fail(w, line, col, path, st, "out of memory");
        if (wf_node_is_null(v)) return WF_OK; /* "city:" with nothing under it */
        const char *sub[WF_MAX_COMPS + 1];
        memcpy(sub, comps, n * sizeof *comps);
        for (size_t i = 0; i < v->n; i++) {
            sub[n] = v->keys[i]->text;
            st = wf_walk_value(w, sub, n + 1, v->items[i], v->keys[i]->line, v->keys[i]->col);
            if (st && !keep_going(w, st, sub, n + 1)) return st;
        }
        return WF_OK;
    }

    /* unknown: what could have been written here? */
    const char *cands[64];
    size_t nc = 0;
    char store[64][64];
    int placeholder = -1;
    for (size_t r = 0; r < wf_nrows; r++) {
        const wf_row *row2 = &wf_rows[r];
        if (row2->bind == WF_B_ITEM) continue;
        if (n > 1 && wf_pattern_match(row2->info.key, comps, n - 1) != 1) continue;
        char c[64];
        if (!pattern_comp(row2->info.key, n - 1, c, sizeof c)) continue;
        int kind = wf_kind_of_placeholder(c);
        if (kind >= 0) {
            placeholder = kind;
            continue;
        }
        bool seen = false;
        for (size_t i = 0; i < nc && !seen; i++) seen = !strcmp(cands[i], c);
        if (!seen && nc < 64) {
            memcpy(store[nc], c, sizeof c);
            cands[nc] = store[nc];
            nc++;
        }
    }
    const char *last = comps[n - 1];
    if (placeholder >= 0 && nc == 0)
        return fail(w, line, col, path, WF_EKEY,
                    "'%s' is not a valid %s name (use letters, digits, '_' and '-')", last,
                    wf_kind_word[placeholder]);
    if (nc == 0) {
        /* the parent is a leaf: nothing may be nested under it */
        char parent[512];
        wf_join_key(comps, n - 1, parent, sizeof parent);
        return fail(w, line, col, path, WF_EKEY, "unknown key ('%s' takes a value, not keys)",
                    parent);
    }
    const char *sug = wf_suggest(last, cands, nc);
    if (sug)
        return fail(w, line, col, path, WF_EKEY, "unknown key '%s'; did you mean '%s'?", last,
                    sug);
    return fail(w, line, col, path, WF_EKEY, "unknown key '%s'", last);
}

wf_status wf_walk_top(wf_walk *w, const wf_node *map) {
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->text;
        if (!strcmp(k, "extends") || !strcmp(k, "replace")) continue; /* the loader reads them */
        const char *comps[1] = {k};
        wf_status st = wf_walk_value(w, comps, 1, map->items[i], map->keys[i]->line,
                                     map->keys[i]->col);
        if (st && !keep_going(w, st, comps, 1)) return st;
    }
    return WF_OK;
}
