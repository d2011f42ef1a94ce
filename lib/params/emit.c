/* wf_scenario_to_yaml: the resolved scenario as YAML, every key of the table
 * explicit (presets applied, the preset key kept), in table order. Loading
 * the text back gives an identical config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

typedef struct {
    wf_buf out;
    char prev[WF_MAX_COMPS][80];
    size_t nprev;
} emitter;

static void entry(emitter *e, const char *const *comps, size_t n, const char *value) {
    size_t k = 0;
    while (k < n - 1 && k + 1 < e->nprev && !strcmp(comps[k], e->prev[k])) k++;
    for (size_t i = k; i < n - 1; i++)
        wf_buf_printf(&e->out, "%*s%s:\n", (int)(2 * i), "", comps[i]);
    wf_buf_printf(&e->out, "%*s%s: %s\n", (int)(2 * (n - 1)), "", comps[n - 1], value);
    for (size_t i = 0; i < n && i < WF_MAX_COMPS; i++)
        snprintf(e->prev[i], sizeof e->prev[i], "%s", comps[i]);
    e->nprev = n;
}

/* One row for organisations org[0], org[1] (or none). */
static void emit_row(emitter *e, const wf_row *r, const wf_config *c, const int org[2],
                     const char *const names[2], const char *preset) {
    char buf[512];
    const char *comps[WF_MAX_COMPS];
    size_t n = wf_split_key(r->info.key, buf, sizeof buf, comps, WF_MAX_COMPS);
    for (size_t i = 0, k = 0; i < n; i++)
        if (wf_kind_of_placeholder(comps[i]) >= 0 && k < 2) comps[i] = names[k++];
    wf_buf v = {0};
    if (r->bind == WF_B_NONE) wf_buf_puts(&v, preset);
    else wf_value_format(r, c, org, &v);
    if (v.oom) e->out.oom = true;
    else entry(e, comps, n, v.s);
    free(v.s);
}

static int row_kind(const wf_row *r) {
    switch (r->bind) {
    case WF_B_HOSP: return WF_K_HOSP;
    case WF_B_LOC: return WF_K_LOC;
    case WF_B_COMM: return WF_K_COMM;
    case WF_B_VOL: return WF_K_VOL;
    default: return -1;
    }
}

static const char *org_name(const wf_config *c, int kind, int i) {
    switch (kind) {
    case WF_K_HOSP: return c->hospitals[i].name;
    case WF_K_LOC: return c->localities[i].name;
    case WF_K_COMM: return c->community[i].name;
    default: return c->voluntary[i].name;
    }
}

char *wf_scenario_to_yaml(wf_scenario *s) {
    if (!s) return NULL;
    wf_config *c = NULL;
    char err[WF_ERRLEN];
    if (wf_config_build(s, &c, err, sizeof err)) {
        memcpy(s->err, err, sizeof err);
        return NULL;
    }
    const char *preset = wf_scenario_preset(s);
    emitter e = {0};
    wf_buf_puts(&e.out, "# winterflow scenario, resolved: every parameter explicit\n");
    int counts[WF_NKIND] = {c->n_hospitals, c->n_localities, c->n_community, c->n_voluntary};
    for (size_t r = 0; r < wf_nrows;) {
        const wf_row *row = &wf_rows[r];
        if (row->bind == WF_B_ITEM || (row->flags & WF_F_NOEMIT)) {
            r++;
            continue;
        }
        int kind = row_kind(row);
        if (kind < 0) {
            const int org[2] = {-1, -1};
            const char *names[2] = {NULL, NULL};
            emit_row(&e, row, c, org, names, preset);
            r++;
            continue;
        }
        size_t end = r;
        while (end < wf_nrows && wf_rows[end].bind == row->bind) end++;
        if (counts[kind] == 0) {
            const char *comps[1] = {wf_kind_section[kind]};
            entry(&e, comps, 1, "{}");
        }
        for (int o = 0; o < counts[kind]; o++)
            for (size_t j = r; j < end; j++) {
                const wf_row *rr = &wf_rows[j];
                const char *names[2] = {org_name(c, kind, o), NULL};
                if (strstr(rr->info.key, "<hospital>") && kind != WF_K_HOSP) {
                    for (int h = 0; h < c->n_hospitals; h++) {
                        const int org[2] = {o, h};
                        names[1] = c->hospitals[h].name;
                        emit_row(&e, rr, c, org, names, preset);
                    }
                } else {
                    const int org[2] = {o, -1};
                    emit_row(&e, rr, c, org, names, preset);
                }
            }
        r = end;
    }
    wf_config_free(c);
    if (e.out.oom) {
        free(e.out.s);
        wf_errf(s->err, sizeof s->err, "out of memory");
        return NULL;
    }
    return e.out.s;
}

/* One resolved value, as the to_yaml text of its row. */
char *wf_scenario_get(wf_scenario *s, const char *key) {
    if (!s) return NULL;
    char buf[512];
    const char *comps[WF_MAX_COMPS], *names[2] = {NULL, NULL};
    int kinds[2] = {-1, -1};
    size_t nn = 0, n = key ? wf_split_key(key, buf, sizeof buf, comps, WF_MAX_COMPS) : 0;
    const wf_row *row = n && n <= WF_MAX_COMPS ? wf_row_for_path(comps, n, names, kinds, &nn) : NULL;
    if (!row || (row->flags & WF_F_NOEMIT)) {
        wf_errf(s->err, sizeof s->err, "%s: not a parameter (see winterflow params)", key ? key : "(null)");
        return NULL;
    }
    wf_config *c = NULL;
    char err[WF_ERRLEN];
    if (wf_config_build(s, &c, err, sizeof err)) {
        memcpy(s->err, err, sizeof err);
        return NULL;
    }
    int counts[WF_NKIND] = {c->n_hospitals, c->n_localities, c->n_community, c->n_voluntary};
    int org[2] = {-1, -1};
    for (size_t k = 0; k < nn; k++) {
        for (int i = 0; i < counts[kinds[k]]; i++)
            if (!strcmp(org_name(c, kinds[k], i), names[k])) org[k] = i;
        if (org[k] < 0) {
            wf_errf(s->err, sizeof s->err, "%s: no %s named '%s'", key, wf_kind_word[kinds[k]], names[k]);
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
        wf_errf(s->err, sizeof s->err, "out of memory");
        return NULL;
    }
    return v.s;
}
