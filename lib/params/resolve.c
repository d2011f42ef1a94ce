/* wf_config_build: a scenario's meaning. Values are applied in layers:
 *
 *   1. every table default (per organisation for organisation keys),
 *   2. the values of the scenario's partnership preset,
 *   3. the scenario's assignments in order: the deepest `extends:` base
 *      first, then each file that extends it, then wf_scenario_set calls;
 *
 * then the checks that span keys (shares summing to 1, references between
 * organisations). The scenario is only read, so concurrent builds of one
 * scenario are safe. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

const char *wf_scenario_preset(const wf_scenario *s) {
    for (size_t i = s->n_as; i-- > 0;)
        if (s->as[i].value && !strcmp(s->as[i].key, "partnership.preset") &&
            s->as[i].value->kind == WF_NODE_SCALAR)
            return s->as[i].value->text;
    return wf_row_find("partnership.preset")->info.def;
}

void wf_config_free(wf_config *c) {
    if (!c) return;
    free(c->name);
    for (int i = 0; i < c->n_outbreaks; i++) free(c->outbreaks[i].name);
    free(c->outbreaks);
    free(c->bank_holidays);
    for (int i = 0; i < c->n_workforce; i++) free(c->workforce[i].name);
    free(c->workforce);
    for (int i = 0; i < c->n_localities; i++) {
        free(c->localities[i].name);
        free(c->localities[i].system);
        free(c->localities[i].hospital_share);
    }
    free(c->localities);
    for (int i = 0; i < c->n_hospitals; i++) {
        free(c->hospitals[i].name);
        free(c->hospitals[i].system);
    }
    free(c->hospitals);
    for (int i = 0; i < c->n_community; i++) {
        free(c->community[i].name);
        free(c->community[i].serves);
    }
    free(c->community);
    for (int i = 0; i < c->n_voluntary; i++) {
        free(c->voluntary[i].name);
        free(c->voluntary[i].serves);
    }
    free(c->voluntary);
    free(c);
}

static wf_status alloc_orgs(const wf_scenario *s, wf_config *c) {
    size_t nh = s->n_org[WF_ORG_HOSPITAL], nl = s->n_org[WF_ORG_LOCALITY], nc = s->n_org[WF_ORG_COMMUNITY],
           nv = s->n_org[WF_ORG_VOLUNTARY];
    if ((nh && !(c->hospitals = calloc(nh, sizeof *c->hospitals))) ||
        (nl && !(c->localities = calloc(nl, sizeof *c->localities))) ||
        (nc && !(c->community = calloc(nc, sizeof *c->community))) ||
        (nv && !(c->voluntary = calloc(nv, sizeof *c->voluntary))))
        return WF_ENOMEM;
    for (size_t i = 0; i < nh; i++, c->n_hospitals++)
        if (!(c->hospitals[i].name = wf_strdup(s->org[WF_ORG_HOSPITAL][i]))) return WF_ENOMEM;
    for (size_t i = 0; i < nc; i++, c->n_community++)
        if (!(c->community[i].name = wf_strdup(s->org[WF_ORG_COMMUNITY][i]))) return WF_ENOMEM;
    for (size_t i = 0; i < nv; i++, c->n_voluntary++)
        if (!(c->voluntary[i].name = wf_strdup(s->org[WF_ORG_VOLUNTARY][i]))) return WF_ENOMEM;
    for (size_t i = 0; i < nl; i++, c->n_localities++) {
        wf_locality_cfg *l = &c->localities[i];
        l->community = -1;
        l->voluntary = -1;
        if (!(l->name = wf_strdup(s->org[WF_ORG_LOCALITY][i]))) return WF_ENOMEM;
        if (nh && !(l->hospital_share = malloc(nh * sizeof *l->hospital_share))) return WF_ENOMEM;
        for (size_t h = 0; h < nh; h++) l->hospital_share[h] = NAN;
    }
    return WF_OK;
}

typedef struct {
    const wf_scenario *s;
    wf_config *c;
    char *err;
    size_t errlen;
    /* keep-going (wf_scenario_validate): problems are recorded in sink and
     * the build goes on; keys that failed here, for the checks across keys */
    wf_scenario *sink;
    wf_strlist failed;
    wf_status first;
} build_t;

/* A problem `st` (message in b->err) of key `key`: recorded when keeping
 * going (true: go on), else false: stop with it. */
static bool keep(build_t *b, wf_status st, const char *key) {
    if (!b->sink || st == WF_ENOMEM) return false;
    if (!wf_problem_add(b->sink, st, b->err) || !wf_strlist_add(&b->failed, key)) return false;
    if (!b->first) b->first = st;
    return true;
}

/* A check across the keys of `prefix` is moot when one of them failed. */
static bool failed(const build_t *b, const char *prefix) {
    return wf_failed_under(&b->failed, prefix) || wf_failed_under(&b->s->failed, prefix);
}

/* Apply a value at a path that is a leaf row or a block (a map of leaves). */
static wf_status apply_path(build_t *b, const char *const *comps, size_t n, const wf_node *v,
                            wf_apply *proto) {
    char key[512];
    wf_join_key(comps, n, key, sizeof key);
    const char *names[2];
    int kinds[2];
    size_t nn = 0;
    const wf_row *row = wf_row_for_path(comps, n, names, kinds, &nn);
    wf_apply a = *proto;
    a.key = key;
    if (row) {
        a.org[0] = a.org[1] = -1;
        for (size_t i = 0; i < nn; i++) {
            a.org[i] = wf_scenario_org_find(b->s, kinds[i], names[i]);
            if (a.org[i] < 0) {
                const char *sug = wf_suggest(names[i], (const char *const *)b->s->org[kinds[i]],
                                             b->s->n_org[kinds[i]]);
                if (sug)
                    return wf_apply_fail(&a, NULL, NULL, WF_EKEY,
                                         "unknown %s '%s'; did you mean '%s'?",
                                         wf_kind_word[kinds[i]], names[i], sug);
                return wf_apply_fail(&a, NULL, NULL, WF_EKEY, "unknown %s '%s'%s",
                                     wf_kind_word[kinds[i]], names[i],
                                     b->s->n_org[kinds[i]] ? "" : " (none are declared)");
            }
        }
        return wf_value_apply(row, v, &a);
    }
    if (v && v->kind == WF_NODE_MAP) {
        const char *sub[WF_MAX_COMPS + 1];
        if (n >= WF_MAX_COMPS) return wf_apply_fail(&a, v, NULL, WF_EKEY, "unknown key");
        memcpy(sub, comps, n * sizeof *comps);
        for (size_t i = 0; i < v->n; i++) {
            sub[n] = v->keys[i]->text;
            wf_apply p = *proto;
            p.line = v->keys[i]->line;
            p.col = v->keys[i]->col;
            wf_status st = apply_path(b, sub, n + 1, v->items[i], &p);
            if (st) return st;
        }
        return WF_OK;
    }
    if (wf_node_is_null(v)) return WF_OK;
    return wf_apply_fail(&a, v, NULL, WF_EKEY, "unknown key");
}

static wf_status apply_text(build_t *b, const char *key, const char *yaml, wf_apply *proto) {
    wf_node *v = NULL;
    wf_status st = wf_yaml_parse(yaml, strlen(yaml), proto->src, true, &v, b->err, b->errlen);
    if (st) return st;
    char buf[512];
    const char *comps[WF_MAX_COMPS];
    size_t n = wf_split_key(key, buf, sizeof buf, comps, WF_MAX_COMPS);
    st = n ? apply_path(b, comps, n, v, proto) : WF_EINVAL;
    wf_node_free(v);
    return st;
}

void wf_block_origin(const wf_scenario *s, const char *prefix, wf_apply *a) {
    size_t l = strlen(prefix);
    a->src = "(defaults)";
    a->src_is_file = false;
    a->line = a->col = 0;
    for (size_t i = s->n_as; i-- > 0;) {
        const wf_assign *x = &s->as[i];
        if (strncmp(x->key, prefix, l) || (x->key[l] != '\0' && x->key[l] != '.')) continue;
        const wf_assign *use = x;
        for (size_t j = i + 1; j-- > 0;) {
            const wf_assign *y = &s->as[j];
            if (strcmp(y->src, x->src)) break;
            if (!strcmp(y->key, prefix)) {
                use = y;
                break;
            }
        }
        a->src = use->src;
        a->src_is_file = use->src_is_file;
        a->line = use->line;
        a->col = use->col;
        return;
    }
}

static wf_status check_sum(build_t *b, const char *prefix, const double *x, int n,
                           const char *what) {
    if (failed(b, prefix)) return WF_OK;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += x[i];
    if (fabs(sum - 1.0) <= 1e-9) return WF_OK;
    wf_apply a = {.sc = b->s, .key = prefix, .err = b->err, .errlen = b->errlen};
    wf_block_origin(b->s, prefix, &a);
    return wf_apply_fail(&a, NULL, NULL, WF_ERANGE, "%s sum to %.10g, not 1 (within 1e-9)", what,
                         sum);
}

static wf_status cross_checks(build_t *b) {
    wf_config *c = b->c;
    const wf_scenario *s = b->s;
    char key[512];
    wf_status st;
    static const char *const frail[WF_NFRAILTY] = {"fit", "mild", "moderate", "severe"};

    for (int i = 0; i < c->n_localities; i++) {
        wf_locality_cfg *l = &c->localities[i];
        /* admissions scale with the population unless a rate is given */
        if (l->admissions_per_day < 0)
            l->admissions_per_day = l->population * l->admissions_per_1000 / 1000.0 / 365.0;
        snprintf(key, sizeof key, "localities.%s.frailty_mix", l->name);
        if ((st = check_sum(b, key, l->frailty_mix, WF_NFRAILTY, "shares")) && !keep(b, st, key)) return st;

        snprintf(key, sizeof key, "localities.%s.hospital_share", l->name);
        bool any = false, moot = failed(b, key);
        for (int h = 0; h < c->n_hospitals; h++) any |= !isnan(l->hospital_share[h]);
        if (!any && !moot) {
            wf_apply a = {.sc = s, .key = key, .err = b->err, .errlen = b->errlen};
            snprintf(key, sizeof key, "localities.%s", l->name);
            wf_block_origin(s, key, &a);
            snprintf(key, sizeof key, "localities.%s.hospital_share", l->name);
            st = WF_OK;
            if (c->n_hospitals == 0)
                st = wf_apply_fail(&a, NULL, NULL, WF_EKEY,
                                   "no hospitals are declared to admit this locality's patients");
            else if (c->n_hospitals > 1)
                st = wf_apply_fail(&a, NULL, NULL, WF_EKEY,
                                   "missing: with %d hospitals, give each one's share of the "
                                   "locality's admissions", c->n_hospitals);
            else
                l->hospital_share[0] = 1.0;
            if (st) {
                if (!keep(b, st, key)) return st;
                continue;
            }
        }
        for (int h = 0; h < c->n_hospitals; h++)
            if (isnan(l->hospital_share[h])) l->hospital_share[h] = 0.0;
        if (c->n_hospitals && (st = check_sum(b, key, l->hospital_share, c->n_hospitals, "shares")) &&
            !keep(b, st, key))
            return st;
    }
    for (int f = 0; f < WF_NFRAILTY; f++) {
        snprintf(key, sizeof key, "patients.pathway_need.%s", frail[f]);
        if ((st = check_sum(b, key, c->pathway_need[f], WF_NPATHWAY, "probabilities")) &&
            !keep(b, st, key))
            return st;
    }
    if ((st = check_sum(b, "services.community_bed.onward", c->onward, WF_NPATHWAY,
                        "probabilities")) && !keep(b, st, "services.community_bed.onward"))
        return st;

    for (int kind = WF_ORG_COMMUNITY; kind <= WF_ORG_VOLUNTARY; kind++) {
        int n = kind == WF_ORG_COMMUNITY ? c->n_community : c->n_voluntary;
        for (int j = 0; j < n; j++) {
            const char *name = kind == WF_ORG_COMMUNITY ? c->community[j].name : c->voluntary[j].name;
            const int *sv = kind == WF_ORG_COMMUNITY ? c->community[j].serves : c->voluntary[j].serves;
            int ns = kind == WF_ORG_COMMUNITY ? c->community[j].n_serves : c->voluntary[j].n_serves;
            for (int k = 0; k < ns; k++) {
                wf_locality_cfg *l = &c->localities[sv[k]];
                int *slot = kind == WF_ORG_COMMUNITY ? &l->community : &l->voluntary;
                if (*slot >= 0) {
                    snprintf(key, sizeof key, "%s.%s.serves", wf_kind_section[kind], name);
                    wf_apply a = {.sc = s, .key = key, .err = b->err, .errlen = b->errlen};
                    wf_block_origin(s, key, &a);
                    const char *other = kind == WF_ORG_COMMUNITY ? c->community[*slot].name
                                                          : c->voluntary[*slot].name;
                    st = wf_apply_fail(&a, NULL, NULL, WF_ERANGE,
                                       "locality '%s' is already served by %s '%s'; a locality "
                                       "is served by at most one", l->name, wf_kind_word[kind],
                                       other);
                    if (!keep(b, st, key)) return st;
                    continue;
                }
                *slot = j;
            }
        }
    }

    bool p2 = false, serves_failed = false;
    for (int f = 0; f < WF_NFRAILTY; f++) p2 |= c->pathway_need[f][2] > 0;
    for (int j = 0; j < c->n_community && !serves_failed; j++) {
        snprintf(key, sizeof key, "community.%s.serves", c->community[j].name);
        serves_failed = failed(b, key);
    }
    if (p2 && !serves_failed)
        for (int i = 0; i < c->n_localities; i++)
            if (c->localities[i].community < 0) {
                snprintf(key, sizeof key, "localities.%s", c->localities[i].name);
                wf_apply a = {.sc = s, .key = key, .err = b->err, .errlen = b->errlen};
                wf_block_origin(s, key, &a);
                st = wf_apply_fail(&a, NULL, NULL, WF_EKEY,
                                   "no community provider serves this locality, but pathway 2 "
                                   "is possible (patients.pathway_need.*.p2 > 0); list it in "
                                   "some community.<name>.serves");
                if (!keep(b, st, key)) return st;
            }
    return b->first;
}

static wf_status build(build_t *b) {
    const wf_scenario *s = b->s;
    wf_config *c = b->c;
    wf_status st = alloc_orgs(s, c);
    if (st) {
        wf_errf(b->err, b->errlen, "out of memory");
        return st;
    }

    /* run.start_date first: dates elsewhere are days relative to it */
    int32_t start;
    wf_date_parse(wf_row_find("run.start_date")->info.def, &start);
    for (size_t i = 0; i < s->n_as; i++)
        if (s->as[i].value && !strcmp(s->as[i].key, "run.start_date") &&
            s->as[i].value->kind == WF_NODE_SCALAR)
            wf_date_parse(s->as[i].value->text, &start);

    /* 1. defaults */
    wf_apply proto = {.cfg = c, .sc = s, .org = {-1, -1}, .start_date = start,
                      .src = "(defaults)", .err = b->err, .errlen = b->errlen};
    for (size_t r = 0; r < wf_nrows; r++) {
        const wf_row *row = &wf_rows[r];
        if (row->bind == WF_B_ITEM || row->bind == WF_B_NONE || !row->info.def) continue;
        wf_node *v = NULL;
        st = wf_yaml_parse(row->info.def, strlen(row->info.def), "(defaults)", true, &v, b->err,
                           b->errlen);
        if (st) return st;
        int kind = wf_bind_kind(row->bind), n = wf_config_n_orgs(c, kind);
        for (int o = 0; o < n && !st; o++) {
            wf_apply a = proto;
            a.key = row->info.key;
            a.org[0] = kind >= 0 ? o : -1;
            st = wf_value_apply(row, v, &a);
        }
        wf_node_free(v);
        if (st) return st;
    }

    /* 2. the preset */
    const char *pname = wf_scenario_preset(s);
    const wf_preset *p = wf_preset_find(pname);
    if (!p) {
        wf_errf(b->err, b->errlen, "partnership.preset: unknown preset '%s'", pname);
        return WF_EPARSE;
    }
    char psrc[64];
    snprintf(psrc, sizeof psrc, "(preset %s)", p->name);
    proto.src = psrc;
    for (size_t i = 0; i < p->n; i++)
        if ((st = apply_text(b, p->kv[i].key, p->kv[i].yaml, &proto))) return st;

    /* 3. what the scenario says, in order */
    for (size_t i = 0; i < s->n_as; i++) {
        const wf_assign *x = &s->as[i];
        if (!x->value) continue;
        wf_apply a = proto;
        a.src = x->src;
        a.src_is_file = x->src_is_file;
        a.line = x->line;
        a.col = x->col;
        char buf[512];
        const char *comps[WF_MAX_COMPS];
        size_t n = wf_split_key(x->key, buf, sizeof buf, comps, WF_MAX_COMPS);
        if (!n) {
            wf_errf(b->err, b->errlen, "internal: bad key '%s'", x->key);
            return WF_EINVAL;
        }
        if ((st = apply_path(b, comps, n, x->value, &a)) && !keep(b, st, x->key)) return st;
    }
    return cross_checks(b);
}

wf_status wf_config_build(const wf_scenario *s, wf_config **out, char *err, size_t errlen) {
    return wf_config_build_into(s, out, err, errlen, NULL);
}

wf_status wf_config_build_into(const wf_scenario *s, wf_config **out, char *err, size_t errlen,
                               wf_scenario *sink) {
    if (out) *out = NULL;
    if (!s || !out) {
        wf_errf(err, errlen, "no scenario");
        return WF_EINVAL;
    }
    wf_config *c = calloc(1, sizeof *c);
    if (!c) {
        wf_errf(err, errlen, "out of memory");
        return WF_ENOMEM;
    }
    build_t b = {.s = s, .c = c, .err = err, .errlen = errlen, .sink = sink};
    wf_status st = build(&b);
    wf_strlist_free(&b.failed);
    if (st && sink && !b.first && !wf_problem_add(sink, st, err)) st = WF_ENOMEM;
    if (st) {
        wf_config_free(c);
        return st;
    }
    *out = c;
    return WF_OK;
}

wf_status wf_config_runnable(const wf_scenario *s, const wf_config *c, char *err, size_t errlen) {
    if (c->n_hospitals > 0 && c->n_localities > 0) return WF_OK;
    /* named by the first file the scenario came from, if any */
    const char *origin = "scenario";
    for (size_t i = 0; i < s->n_as; i++)
        if (s->as[i].src_is_file) {
            origin = s->as[i].src;
            break;
        }
    wf_errf(err, errlen, "%s: a scenario needs at least one hospital and one locality to run "
            "(hospitals: %d, localities: %d)", origin, c->n_hospitals, c->n_localities);
    return WF_EKEY;
}
