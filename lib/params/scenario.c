/* struct wf_scenario and the public wf_scenario_* calls. A scenario is what
 * was written, not what it means: an ordered list of assignments (concrete
 * key, value tree, where it came from) and the organisations declared, per
 * kind, in file order. wf_config_build (resolve.c) gives it meaning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

wf_status wf_load_file_into(wf_scenario *s, const char *path, char *err, size_t errlen);
wf_status wf_load_text_into(wf_scenario *s, const char *text, size_t len, const char *origin,
                            bool sealed, char *err, size_t errlen);

wf_scenario *wf_scenario_create(void) { return calloc(1, sizeof(wf_scenario)); }

static void free_assign(wf_assign *a) {
    free(a->key);
    wf_node_free(a->value);
    free(a->src);
}

void wf_scenario_destroy(wf_scenario *s) {
    if (!s) return;
    for (size_t i = 0; i < s->n_as; i++) free_assign(&s->as[i]);
    free(s->as);
    for (int k = 0; k < WF_NKIND; k++) {
        for (size_t i = 0; i < s->n_org[k]; i++) free(s->org[k][i]);
        free(s->org[k]);
    }
    wf_strmap_free(&s->org_index);
    wf_problems_begin(s);
    wf_strlist_free(&s->failed);
    free(s);
}

wf_status wf_scenario_add_assign(wf_scenario *s, const char *key, const wf_node *value,
                                 const char *src, bool src_is_file, int line, int col) {
    if (s->n_as == s->cap_as) {
        size_t cap = s->cap_as ? 2 * s->cap_as : 32;
        wf_assign *as = realloc(s->as, cap * sizeof *as);
        if (!as) return WF_ENOMEM;
        s->as = as;
        s->cap_as = cap;
    }
    wf_assign a = {.src_is_file = src_is_file, .line = line, .col = col};
    a.key = wf_strdup(key);
    a.src = wf_strdup(src);
    a.value = value ? wf_node_clone(value) : NULL;
    if (!a.key || !a.src || (value && !a.value)) {
        free_assign(&a);
        return WF_ENOMEM;
    }
    s->as[s->n_as++] = a;
    return WF_OK;
}

int wf_scenario_org_lookup(const wf_scenario *s, const char *name, int *kind) {
    const size_t *v = wf_strmap_get(&s->org_index, name);
    if (!v) return -1;
    if (kind) *kind = (int)(*v >> 32);
    return (int)(*v & 0xffffffffu);
}

int wf_scenario_org_find(const wf_scenario *s, int kind, const char *name) {
    int k, i = wf_scenario_org_lookup(s, name, &k);
    return i >= 0 && k == kind ? i : -1;
}

static int org_index_put(wf_scenario *s, int kind, size_t i) {
    int added;
    return wf_strmap_put(&s->org_index, s->org[kind][i], (size_t)kind << 32 | i, &added) ? 0 : -1;
}

/* The index of organisations copied in. */
static int org_index_rebuild(wf_scenario *s) {
    wf_strmap_free(&s->org_index);
    for (int k = 0; k < WF_NKIND; k++)
        for (size_t i = 0; i < s->n_org[k]; i++)
            if (org_index_put(s, k, i)) return -1;
    return 0;
}

int wf_scenario_org_add(wf_scenario *s, int kind, const char *name) {
    if (s->n_org[kind] == s->cap_org[kind]) {
        size_t cap = s->cap_org[kind] ? 2 * s->cap_org[kind] : 8;
        char **o = realloc(s->org[kind], cap * sizeof *o);
        if (!o) return -1;
        s->org[kind] = o;
        s->cap_org[kind] = cap;
    }
    char *d = wf_strdup(name);
    if (!d) return -1;
    s->org[kind][s->n_org[kind]++] = d;
    if (org_index_put(s, kind, s->n_org[kind] - 1)) {
        free(s->org[kind][--s->n_org[kind]]);
        return -1;
    }
    return 0;
}

wf_mark wf_scenario_mark(const wf_scenario *s) {
    wf_mark m = {.n_as = s->n_as};
    for (int k = 0; k < WF_NKIND; k++) m.n_org[k] = s->n_org[k];
    return m;
}

void wf_scenario_rollback(wf_scenario *s, wf_mark m) {
    while (s->n_as > m.n_as) free_assign(&s->as[--s->n_as]);
    for (int k = 0; k < WF_NKIND; k++)
        while (s->n_org[k] > m.n_org[k]) {
            char *name = s->org[k][--s->n_org[k]];
            wf_strmap_del(&s->org_index, name);
            free(name);
        }
}

wf_scenario *wf_scenario_clone(const wf_scenario *s) {
    if (!s) return NULL;
    wf_scenario *c = wf_scenario_create();
    if (!c) return NULL;
    for (size_t i = 0; i < s->n_as; i++) {
        const wf_assign *a = &s->as[i];
        if (wf_scenario_add_assign(c, a->key, a->value, a->src, a->src_is_file, a->line, a->col))
            goto fail;
    }
    for (int k = 0; k < WF_NKIND; k++) {
        if (!s->n_org[k]) continue;
        c->org[k] = calloc(s->n_org[k], sizeof *c->org[k]);
        if (!c->org[k]) goto fail;
        c->cap_org[k] = s->n_org[k];
        for (size_t i = 0; i < s->n_org[k]; i++) {
            if (!(c->org[k][i] = wf_strdup(s->org[k][i]))) goto fail;
            c->n_org[k]++;
        }
    }
    if (org_index_rebuild(c)) goto fail;
    memcpy(c->err, s->err, sizeof c->err);
    c->keep_going = s->keep_going;
    for (size_t i = 0; i < s->failed.n; i++)
        if (!wf_strlist_add(&c->failed, s->failed.s[i])) goto fail;
    return c;
fail:
    wf_scenario_destroy(c);
    return NULL;
}

/* What a load may change (assignments, organisations, the keys left out),
 * exchanged between s and a copy taken before it: a load that fails puts
 * the copy back. (A load is not append-only: `replace:` drops what the
 * bases loaded.) */
static void swap_contents(wf_scenario *a, wf_scenario *b) {
    wf_scenario t = *a;
    a->as = b->as, a->n_as = b->n_as, a->cap_as = b->cap_as;
    b->as = t.as, b->n_as = t.n_as, b->cap_as = t.cap_as;
    memcpy(a->org, b->org, sizeof a->org);
    memcpy(a->n_org, b->n_org, sizeof a->n_org);
    memcpy(a->cap_org, b->cap_org, sizeof a->cap_org);
    memcpy(b->org, t.org, sizeof t.org);
    memcpy(b->n_org, t.n_org, sizeof t.n_org);
    memcpy(b->cap_org, t.cap_org, sizeof t.cap_org);
    a->org_index = b->org_index, b->org_index = t.org_index;
    a->failed = b->failed, b->failed = t.failed;
}

typedef wf_status (*loader)(wf_scenario *s, const void *arg, char *err, size_t errlen);

/* Run a load; on failure the scenario is as it was and holds the message. */
static wf_status guarded(wf_scenario *s, loader load, const void *arg) {
    wf_problems_begin(s);
    wf_scenario *before = wf_scenario_clone(s);
    if (!before) {
        wf_errf(s->err, sizeof s->err, "out of memory");
        return wf_problems_end(s, WF_ENOMEM);
    }
    char err[WF_ERRLEN];
    wf_status st = load(s, arg, err, sizeof err);
    if (st) {
        swap_contents(s, before);
        memcpy(s->err, err, sizeof err);
    }
    wf_scenario_destroy(before);
    return wf_problems_end(s, st);
}

static wf_status load_path(wf_scenario *s, const void *path, char *err, size_t errlen) {
    return wf_load_file_into(s, path, err, errlen);
}

wf_status wf_scenario_load_file(wf_scenario *s, const char *path) {
    if (!s) return WF_EINVAL;
    if (!path) {
        wf_errf(s->err, sizeof s->err, "no file name given");
        return WF_EINVAL;
    }
    return guarded(s, load_path, path);
}

typedef struct {
    const char *yaml, *origin;
    bool sealed;
} text_arg;

static wf_status load_text(wf_scenario *s, const void *arg, char *err, size_t errlen) {
    const text_arg *t = arg;
    return wf_load_text_into(s, t->yaml, strlen(t->yaml), t->origin, t->sealed, err, errlen);
}

static wf_status load_string(wf_scenario *s, const char *yaml, const char *origin, bool sealed) {
    if (!s) return WF_EINVAL;
    if (!yaml) {
        wf_errf(s->err, sizeof s->err, "no text given");
        return WF_EINVAL;
    }
    text_arg t = {yaml, origin ? origin : "<string>", sealed};
    return guarded(s, load_text, &t);
}

wf_status wf_scenario_load_string(wf_scenario *s, const char *yaml, const char *origin) {
    return load_string(s, yaml, origin, false);
}

wf_status wf_scenario_load_sealed(wf_scenario *s, const char *yaml, const char *origin) {
    return load_string(s, yaml, origin, true);
}

void wf_scenario_set_error(wf_scenario *s, const char *msg) {
    if (s) wf_errf(s->err, sizeof s->err, "%s", msg);
}

wf_status wf_scenario_set(wf_scenario *s, const char *key, const char *value) {
    char src[400];
    snprintf(src, sizeof src, "--set %.150s=%.200s", key ? key : "", value ? value : "");
    return wf_scenario_set_src(s, key, value, src);
}

static wf_status set_src(wf_scenario *s, const char *key, const char *value, const char *src);

wf_status wf_scenario_set_src(wf_scenario *s, const char *key, const char *value, const char *src) {
    if (!s) return WF_EINVAL;
    wf_problems_begin(s);
    return wf_problems_end(s, set_src(s, key, value, src));
}

static wf_status set_src(wf_scenario *s, const char *key, const char *value, const char *src) {
    if (!key || !value) {
        wf_errf(s->err, sizeof s->err, "%s: a key and a value are needed", src);
        return WF_EINVAL;
    }
    char buf[512];
    const char *comps[WF_MAX_COMPS];
    size_t n = wf_split_key(key, buf, sizeof buf, comps, WF_MAX_COMPS);
    if (!n) {
        wf_errf(s->err, sizeof s->err, "%s: '%.150s' is not a key path like hospitals.city.beds",
                src, key);
        return WF_EKEY;
    }
    wf_node *v = NULL;
    char err[WF_ERRLEN];
    wf_status st = wf_yaml_parse(value, strlen(value), src, true, &v, err, sizeof err);
    if (st) {
        memcpy(s->err, err, sizeof err);
        return st;
    }
    wf_mark m = wf_scenario_mark(s);
    wf_walk w = {.sc = s, .declare = false, .src = src, .src_is_file = false, .err = err,
                 .errlen = sizeof err};
    st = wf_walk_value(&w, comps, n, v, 0, 0);
    wf_node_free(v);
    if (st) {
        wf_scenario_rollback(s, m);
        memcpy(s->err, err, sizeof err);
    }
    return st;
}

wf_status wf_scenario_set_name(wf_scenario *s, const char *name) {
    if (!s) return WF_EINVAL;
    if (!name) {
        wf_errf(s->err, sizeof s->err, "name: no name given");
        return WF_EINVAL;
    }
    /* a quoted scalar: the text as it is, whatever YAML would make of it */
    wf_node *v = wf_node_new(WF_NODE_SCALAR, 0, 0);
    if (v) v->text = wf_strdup(name);
    if (!v || !v->text) {
        wf_node_free(v);
        wf_errf(s->err, sizeof s->err, "out of memory");
        return WF_ENOMEM;
    }
    v->quoted = true;
    char err[WF_ERRLEN];
    const char *comps[1] = {"name"};
    wf_mark m = wf_scenario_mark(s);
    wf_walk w = {.sc = s, .declare = false, .src = "name", .src_is_file = false, .err = err,
                 .errlen = sizeof err};
    wf_status st = wf_walk_value(&w, comps, 1, v, 0, 0);
    wf_node_free(v);
    if (st) {
        wf_scenario_rollback(s, m);
        memcpy(s->err, err, sizeof err);
    }
    return st;
}

size_t wf_scenario_org_count(const wf_scenario *s, wf_org_kind kind) {
    return s && (int)kind >= 0 && (int)kind < WF_NKIND ? s->n_org[kind] : 0;
}

const char *wf_scenario_org_name(const wf_scenario *s, wf_org_kind kind, size_t i) {
    return s && (int)kind >= 0 && (int)kind < WF_NKIND && i < s->n_org[kind] ? s->org[kind][i] : NULL;
}

wf_status wf_scenario_validate(wf_scenario *s) {
    if (!s) return WF_EINVAL;
    wf_problems_begin(s);
    wf_config *c = NULL;
    char err[WF_ERRLEN];
    /* keep-going: the build records every problem it finds (and then
     * returns the first one's status); warnings only for a valid scenario */
    wf_scenario *sink = s->keep_going ? s : NULL;
    wf_status st = wf_config_build_into(s, &c, err, sizeof err, sink);
    if (st == WF_OK) {
        st = wf_config_runnable(s, c, err, sizeof err);
        if (st && sink && !wf_problem_add(s, st, err)) st = WF_ENOMEM;
        else if (!st && sink) st = wf_scenario_warn(s, c, err, sizeof err);
    }
    wf_config_free(c);
    if (sink && st != WF_ENOMEM) return wf_problems_end(s, WF_OK);
    if (st) memcpy(s->err, err, sizeof err);
    return wf_problems_end(s, st);
}

const char *wf_scenario_error(const wf_scenario *s) { return s ? s->err : ""; }

const char *wf_scenario_name(const wf_scenario *s) {
    if (!s) return "";
    for (size_t i = s->n_as; i-- > 0;)
        if (s->as[i].value && !strcmp(s->as[i].key, "name") &&
            s->as[i].value->kind == WF_NODE_SCALAR && !wf_node_is_null(s->as[i].value))
            return s->as[i].value->text;
    return "";
}
