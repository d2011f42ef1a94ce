/* `replace:` (docs/scenario-schema.md, "Replacing a base's organisations"):
 * a file that extends a base may drop whole organisation sections of it,
 *
 *     extends: models/reference.yaml
 *     replace: [hospitals, localities]
 *
 * and declare its own. Dropping a section removes its organisations, every
 * key under it, and every key elsewhere that names one of them: a
 * locality's hospital_share of a dropped hospital, a serves list that
 * names a dropped locality (the whole list: the file gives a new one), a
 * calendar.workforce period aimed at a dropped organisation. What the base
 * says about everything else stays. */
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

static bool dropped(const wf_scenario *s, int kind, const char *name) {
    return wf_scenario_org_find(s, kind, name) >= 0;
}

/* Does the assignment name an organisation of `kind`, or lie in its section? */
static bool names_kind(const wf_scenario *s, const wf_assign *a, int kind) {
    char buf[512];
    const char *c[WF_MAX_COMPS];
    size_t n = wf_split_key(a->key, buf, sizeof buf, c, WF_MAX_COMPS);
    if (n == 0) return false;
    if (!strcmp(c[0], wf_kind_section[kind])) return true;
    if (kind == WF_ORG_HOSPITAL && n >= 4 && !strcmp(c[0], "localities") &&
        !strcmp(c[2], "hospital_share"))
        return dropped(s, kind, c[3]);
    if (kind == WF_ORG_LOCALITY && n == 3 && !strcmp(c[2], "serves") && a->value &&
        a->value->kind == WF_NODE_SEQ)
        for (size_t i = 0; i < a->value->n; i++)
            if (a->value->items[i]->kind == WF_NODE_SCALAR &&
                dropped(s, kind, a->value->items[i]->text))
                return true;
    return false;
}

/* calendar.workforce without the periods aimed at a dropped organisation. */
static wf_status filter_workforce(const wf_scenario *s, wf_assign *a, int kind) {
    if (strcmp(a->key, "calendar.workforce") || !a->value || a->value->kind != WF_NODE_SEQ)
        return WF_OK;
    wf_node *seq = a->value;
    size_t keep = 0;
    for (size_t i = 0; i < seq->n; i++) {
        const wf_node *org = seq->items[i]->kind == WF_NODE_MAP ? wf_node_get(seq->items[i], "organisation")
                                                                : NULL;
        if (org && org->kind == WF_NODE_SCALAR && dropped(s, kind, org->text))
            wf_node_free(seq->items[i]);
        else
            seq->items[keep++] = seq->items[i];
    }
    seq->n = keep;
    return WF_OK;
}

wf_status wf_scenario_drop_kind(wf_scenario *s, int kind) {
    size_t k = 0;
    for (size_t i = 0; i < s->n_as; i++) {
        wf_assign *a = &s->as[i];
        if (names_kind(s, a, kind)) {
            free(a->key);
            wf_node_free(a->value);
            free(a->src);
            continue;
        }
        filter_workforce(s, a, kind);
        s->as[k++] = *a;
    }
    s->n_as = k;
    for (size_t i = 0; i < s->n_org[kind]; i++) {
        wf_strmap_del(&s->org_index, s->org[kind][i]);
        free(s->org[kind][i]);
    }
    s->n_org[kind] = 0;
    return WF_OK;
}

/* The `replace:` value of a file (a list of sections), applied to what its
 * bases loaded. */
wf_status wf_replace_sections(wf_scenario *s, const wf_node *k, const wf_node *v, bool extends,
                              const char *origin, char *err, size_t errlen) {
    static const char *const sections = "hospitals|localities|community|voluntary";
    if (wf_node_is_null(v)) return WF_OK; /* nothing to drop */
    if (!extends) {
        wf_errf(err, errlen, "%s:%d:%d: replace: only with extends: (it drops organisation "
                "sections of the base)", origin, k->line, k->col);
        return WF_EKEY;
    }
    if (v->kind != WF_NODE_SEQ) {
        char d[64];
        wf_node_describe(v, d, sizeof d);
        wf_errf(err, errlen, "%s:%d:%d: replace: expected a list of sections (%s), e.g. "
                "[hospitals, localities], got %s", origin, k->line, k->col, sections, d);
        return WF_ETYPE;
    }
    int kinds[WF_NKIND], nk = 0;
    for (size_t i = 0; i < v->n; i++) {
        const wf_node *x = v->items[i];
        int kind = -1;
        for (int j = 0; j < WF_NKIND && x->kind == WF_NODE_SCALAR; j++)
            if (!strcmp(x->text, wf_kind_section[j])) kind = j;
        if (kind < 0) {
            char d[64];
            wf_node_describe(x, d, sizeof d);
            const char *sug = x->kind == WF_NODE_SCALAR
                                  ? wf_suggest(x->text, wf_kind_section, WF_NKIND) : NULL;
            wf_errf(err, errlen, "%s:%d:%d: replace: %s is not one of %s%s%s%s", origin, x->line,
                    x->col, d, sections, sug ? "; did you mean '" : "", sug ? sug : "",
                    sug ? "'?" : "");
            return WF_EPARSE;
        }
        kinds[nk++] = kind;
        if (nk > WF_NKIND) break;
    }
    for (int i = 0; i < nk && i < WF_NKIND; i++) wf_scenario_drop_kind(s, kinds[i]);
    return WF_OK;
}
