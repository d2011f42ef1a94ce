/* wf_scenario_to_yaml: the resolved scenario as YAML, every key of the table
 * explicit (presets applied, the preset key kept), in table order. Loading
 * the text back gives an identical config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

/* The resolved parameters of a config, in table order: fn gets each row's
 * key path (organisation names in its placeholders), its value as flow YAML
 * and the row; row NULL (value "{}") marks a section with no organisations.
 * A non-zero return stops the walk and is returned. */
typedef int (*emit_fn)(void *user, const wf_row *row, const char *const *comps, size_t n,
                       const char *value);

typedef struct {
    emit_fn fn;
    void *user;
    const wf_config *c;
    const char *preset;
    bool oom;
} walker;

/* One row for organisations org[0], org[1] (or none). */
static int emit_row(walker *w, const wf_row *r, const int org[2], const char *const names[2]) {
    char buf[512];
    const char *comps[WF_MAX_COMPS];
    size_t n = wf_split_key(r->info.key, buf, sizeof buf, comps, WF_MAX_COMPS);
    for (size_t i = 0, k = 0; i < n; i++)
        if (wf_kind_of_placeholder(comps[i]) >= 0 && k < 2) comps[i] = names[k++];
    wf_buf v = {0};
    if (r->bind == WF_B_NONE) wf_buf_puts(&v, w->preset);
    else wf_value_format(r, w->c, org, &v);
    int stop = 0;
    if (v.oom) w->oom = true;
    else stop = w->fn(w->user, r, comps, n, v.s);
    free(v.s);
    return stop;
}

static const char *org_name(const wf_config *c, int kind, int i) {
    switch (kind) {
    case WF_ORG_HOSPITAL: return c->hospitals[i].name;
    case WF_ORG_LOCALITY: return c->localities[i].name;
    case WF_ORG_COMMUNITY: return c->community[i].name;
    default: return c->voluntary[i].name;
    }
}

static int walk(walker *w) {
    const wf_config *c = w->c;
    int counts[WF_NKIND] = {c->n_hospitals, c->n_localities, c->n_community, c->n_voluntary};
    int stop = 0;
    for (size_t r = 0; r < wf_nrows && !stop && !w->oom;) {
        const wf_row *row = &wf_rows[r];
        if (row->bind == WF_B_ITEM || (row->flags & WF_F_NOEMIT)) {
            r++;
            continue;
        }
        int kind = wf_bind_kind(row->bind);
        if (kind < 0) {
            const int org[2] = {-1, -1};
            const char *names[2] = {NULL, NULL};
            stop = emit_row(w, row, org, names);
            r++;
            continue;
        }
        size_t end = r;
        while (end < wf_nrows && wf_rows[end].bind == row->bind) end++;
        if (counts[kind] == 0) {
            const char *comps[1] = {wf_kind_section[kind]};
            stop = w->fn(w->user, NULL, comps, 1, "{}");
        }
        for (int o = 0; o < counts[kind] && !stop; o++)
            for (size_t j = r; j < end && !stop; j++) {
                const wf_row *rr = &wf_rows[j];
                const char *names[2] = {org_name(c, kind, o), NULL};
                if (strstr(rr->info.key, "<hospital>") && kind != WF_ORG_HOSPITAL) {
                    for (int h = 0; h < c->n_hospitals && !stop; h++) {
                        const int org[2] = {o, h};
                        names[1] = c->hospitals[h].name;
                        stop = emit_row(w, rr, org, names);
                    }
                } else {
                    const int org[2] = {o, -1};
                    stop = emit_row(w, rr, org, names);
                }
            }
        r = end;
    }
    return stop;
}

/* Build the config and walk it; on failure the scenario's message says why.
 * The scenario is not changed but for that message. */
static wf_status walk_scenario(const wf_scenario *s, emit_fn fn, void *user, int *stop) {
    char *serr = ((wf_scenario *)s)->err;
    wf_config *c = NULL;
    char err[WF_ERRLEN];
    wf_status st = wf_config_build(s, &c, err, sizeof err);
    if (st) {
        memcpy(serr, err, sizeof err);
        return st;
    }
    walker w = {.fn = fn, .user = user, .c = c, .preset = wf_scenario_preset(s)};
    *stop = walk(&w);
    wf_config_free(c);
    if (w.oom) {
        wf_errf(serr, WF_ERRLEN, "out of memory");
        return WF_ENOMEM;
    }
    return WF_OK;
}

/* wf_scenario_to_yaml: nested block YAML, a key's common prefix with the
 * previous key written once. */
typedef struct {
    wf_buf out;
    char prev[WF_MAX_COMPS][80];
    size_t nprev;
} emitter;

static int entry(void *user, const wf_row *row, const char *const *comps, size_t n,
                 const char *value) {
    (void)row;
    emitter *e = user;
    size_t k = 0;
    while (k < n - 1 && k + 1 < e->nprev && !strcmp(comps[k], e->prev[k])) k++;
    for (size_t i = k; i < n - 1; i++)
        wf_buf_printf(&e->out, "%*s%s:\n", (int)(2 * i), "", comps[i]);
    wf_buf_printf(&e->out, "%*s%s: %s\n", (int)(2 * (n - 1)), "", comps[n - 1], value);
    for (size_t i = 0; i < n && i < WF_MAX_COMPS; i++)
        snprintf(e->prev[i], sizeof e->prev[i], "%s", comps[i]);
    e->nprev = n;
    return e->out.oom;
}

char *wf_scenario_to_yaml(const wf_scenario *s) {
    if (!s) return NULL;
    emitter e = {0};
    wf_buf_puts(&e.out, "# winterflow scenario, resolved: every parameter explicit\n");
    int stop = 0;
    wf_status st = walk_scenario(s, entry, &e, &stop);
    if (st == WF_OK && (stop || e.out.oom)) {
        wf_errf(((wf_scenario *)s)->err, WF_ERRLEN, "out of memory");
        st = WF_ENOMEM;
    }
    if (st) {
        free(e.out.s);
        return NULL;
    }
    return e.out.s;
}

/* wf_scenario_each_param: the same walk, one call per parameter. */
typedef struct {
    wf_param_visit visit;
    void *user;
} visitor;

static int visit_row(void *user, const wf_row *row, const char *const *comps, size_t n,
                     const char *value) {
    visitor *v = user;
    if (!row) return 0; /* "hospitals: {}" is not a parameter */
    char key[512];
    wf_join_key(comps, n, key, sizeof key);
    return v->visit(v->user, key, value, &row->info) ? 1 : 0;
}

wf_status wf_scenario_each_param(const wf_scenario *s, wf_param_visit visit, void *user) {
    if (!s || !visit) return WF_EINVAL;
    visitor v = {visit, user};
    int stop = 0;
    wf_status st = walk_scenario(s, visit_row, &v, &stop);
    return st ? st : stop ? WF_ECANCELLED : WF_OK;
}

/* One resolved value, as the to_yaml text of its row. */
char *wf_scenario_get(const wf_scenario *s, const char *key) {
    if (!s) return NULL;
    char *serr = ((wf_scenario *)s)->err; /* only the message changes */
    char buf[512];
    const char *comps[WF_MAX_COMPS], *names[2] = {NULL, NULL};
    int kinds[2] = {-1, -1};
    size_t nn = 0, n = key ? wf_split_key(key, buf, sizeof buf, comps, WF_MAX_COMPS) : 0;
    const wf_row *row = n && n <= WF_MAX_COMPS ? wf_row_for_path(comps, n, names, kinds, &nn) : NULL;
    if (!row || (row->flags & WF_F_NOEMIT)) {
        wf_errf(serr, WF_ERRLEN, "%s: not a parameter (no row of the parameter table matches it)", key ? key : "(null)");
        return NULL;
    }
    wf_config *c = NULL;
    char err[WF_ERRLEN];
    if (wf_config_build(s, &c, err, sizeof err)) {
        memcpy(serr, err, sizeof err);
        return NULL;
    }
    int counts[WF_NKIND] = {c->n_hospitals, c->n_localities, c->n_community, c->n_voluntary};
    int org[2] = {-1, -1};
    for (size_t k = 0; k < nn; k++) {
        for (int i = 0; i < counts[kinds[k]]; i++)
            if (!strcmp(org_name(c, kinds[k], i), names[k])) org[k] = i;
        if (org[k] < 0) {
            wf_errf(serr, WF_ERRLEN, "%s: no %s named '%s'", key, wf_kind_word[kinds[k]], names[k]);
            wf_config_free(c);
            return NULL;
        }
    }
    wf_buf v = {0};
    if (row->bind == WF_B_NONE) wf_buf_puts(&v, wf_scenario_preset(s));
    else wf_value_format(row, c, org, &v);
    wf_config_free(c);
    if (v.oom) {
        free(v.s);
        wf_errf(serr, WF_ERRLEN, "out of memory");
        return NULL;
    }
    return v.s;
}
