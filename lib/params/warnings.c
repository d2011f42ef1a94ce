/* Warnings: what is legal but probably not meant (docs/scenario-schema.md,
 * "Warnings"). wf_scenario_validate adds them in keep-going mode, for a
 * scenario that is otherwise valid:
 *
 *   - a hospital no locality sends anyone to (it would stand empty but for
 *     electives);
 *   - an emergency admission rate implausible for the population: outside
 *     20..160 overnight admissions per 1,000 residents a year (England:
 *     about 105 all told, about 70 overnight; the reference 52.8), which
 *     catches a yearly, monthly or weekly count in the daily key and a
 *     population written in thousands;
 *   - a key left at its table default where the calibrated reference
 *     (models/reference.yaml) uses another value: the table's defaults are
 *     placeholders, the reference's are calibrated.
 *
 * A queue still growing at the end of a run is a property of results, not
 * of the scenario: the CLI warns of it after a run (metric ed_queue_growing). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

#define RATE_MIN 20.0   /* overnight emergency admissions per 1,000 residents a year */
#define RATE_MAX 160.0

typedef struct {
    wf_scenario *s;
    char *err;
    size_t errlen;
    bool oom;
} warner;

/* One warning about `key`, at the place where `block` was written. */
static void warn(warner *w, const char *block, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void warn(warner *w, const char *block, const char *key, const char *fmt, ...) {
    char problem[WF_ERRLEN / 2], msg[WF_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    wf_apply a = {.sc = w->s, .key = key, .err = msg, .errlen = sizeof msg};
    wf_block_origin(w->s, block, &a);
    for (size_t i = w->s->n_as; i-- > 0;) /* the key itself, where it was written */
        if (w->s->as[i].value && !strcmp(w->s->as[i].key, key)) {
            a.src = w->s->as[i].src;
            a.src_is_file = w->s->as[i].src_is_file;
            a.line = w->s->as[i].line;
            a.col = w->s->as[i].col;
            break;
        }
    if (!a.src_is_file && !strcmp(a.src, "(defaults)")) {
        /* not written anywhere: name the scenario's first file */
        for (size_t i = 0; i < w->s->n_as; i++)
            if (w->s->as[i].src_is_file) {
                a.src = w->s->as[i].src;
                break;
            }
        snprintf(msg, sizeof msg, "%.200s: %.300s: %s", a.src, key, problem);
    } else {
        wf_apply_fail(&a, NULL, NULL, WF_OK, "%s", problem);
    }
    if (!wf_problem_add(w->s, WF_OK, msg)) w->oom = true;
}

static void catchments(warner *w, const wf_config *c) {
    for (int h = 0; h < c->n_hospitals; h++) {
        double share = 0;
        for (int l = 0; l < c->n_localities; l++) share += c->localities[l].hospital_share[h];
        if (share > 0) continue;
        char block[300];
        snprintf(block, sizeof block, "hospitals.%s", c->hospitals[h].name);
        warn(w, block, block,
             "no locality sends patients to this hospital (no localities.<locality>.hospital_share.%s "
             "above 0): it admits only its electives",
             c->hospitals[h].name);
    }
}

/* Was `key` written by the scenario (any layer, --set included)? */
static bool written(const wf_scenario *s, const char *key) {
    for (size_t i = 0; i < s->n_as; i++)
        if (s->as[i].value && !strcmp(s->as[i].key, key)) return true;
    return false;
}

static void rates(warner *w, const wf_config *c) {
    for (int i = 0; i < c->n_localities; i++) {
        const wf_locality_cfg *l = &c->localities[i];
        char block[300], key[400];
        snprintf(block, sizeof block, "localities.%s", l->name);
        snprintf(key, sizeof key, "%s.emergency_admissions_per_day", block);
        bool daily = written(w->s, key);
        if (!daily) snprintf(key, sizeof key, "%s.emergency_admissions_per_1000", block);
        if (!(l->population > 0)) {
            if (l->admissions_per_day > 0)
                warn(w, block, key, "%.10g emergency admissions a day from a population of 0 "
                     "(localities.%s.population)", l->admissions_per_day, l->name);
            continue;
        }
        double rate = l->admissions_per_day * 365.0 * 1000.0 / l->population;
        if (rate >= RATE_MIN && rate <= RATE_MAX) continue;
        const char *hint = rate > 365 * RATE_MIN ? ": a yearly count in the daily key, or the "
                                                   "population in thousands?"
                           : rate > RATE_MAX ? ": a weekly or monthly count in the daily key?"
                                             : ": a population too large for the admissions?";
        warn(w, block, key,
             "%.10g emergency admissions a day is %.1f a year per 1,000 residents (population "
             "%.10g); plausible overnight rates are %.0f to %.0f (England about 70, the reference "
             "52.8)%s", l->admissions_per_day, rate, l->population, RATE_MIN, RATE_MAX, hint);
    }
}

/* Rows whose default is not a number to compare: names, labels, lists of
 * organisations, a rate derived from others. */
static bool compared(const wf_row *r) {
    static const char *const skip[] = {"name", "localities.<locality>.system", "hospitals.<hospital>.system",
                                       "localities.<locality>.emergency_admissions_per_day"};
    if (r->bind == WF_B_ITEM || r->bind == WF_B_NONE || !r->info.def || (r->flags & WF_F_NOEMIT))
        return false;
    if (strstr(r->info.type, "<locality>")) return false; /* serves: names of organisations */
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (!strcmp(r->info.key, skip[i])) return false;
    return true;
}

/* A value for a message: long lists cut to about 60 characters. */
static const char *shorten(const char *v, char *buf, size_t len) {
    if (strlen(v) <= 60) return v;
    snprintf(buf, len, "%.57s...", v);
    return buf;
}

/* The concrete key of an organisation row, or of a top row. */
static void concrete(const wf_row *r, const char *name, char *out, size_t len) {
    char buf[512];
    const char *comps[WF_MAX_COMPS];
    size_t n = wf_split_key(r->info.key, buf, sizeof buf, comps, WF_MAX_COMPS);
    for (size_t i = 0; i < n; i++)
        if (wf_kind_of_placeholder(comps[i]) >= 0) comps[i] = name;
    wf_join_key(comps, n, out, len);
}

static bool set_by_preset(const wf_scenario *s, const char *key) {
    const wf_preset *p = wf_preset_find(wf_scenario_preset(s));
    for (size_t i = 0; p && i < p->n; i++) {
        size_t l = strlen(p->kv[i].key);
        if (!strncmp(key, p->kv[i].key, l) && (key[l] == '\0' || key[l] == '.')) return true;
    }
    return false;
}

static void defaults(warner *w, const wf_config *c, const wf_config *ref) {
    static const char *const plural[WF_NKIND] = {"hospitals", "localities", "community providers",
                                                 "voluntary services"};
    for (size_t r = 0; r < wf_nrows && !w->oom; r++) {
        const wf_row *row = &wf_rows[r];
        if (!compared(row)) continue;
        int kind = wf_bind_kind(row->bind);
        int n = wf_config_n_orgs(c, kind), nref = wf_config_n_orgs(ref, kind);
        if (!nref) continue;
        for (int i = 0; i < n && !w->oom; i++) {
            const char *name = kind < 0 ? NULL : wf_scenario_org_name(w->s, (wf_org_kind)kind, (size_t)i);
            char key[512];
            concrete(row, name, key, sizeof key);
            if (written(w->s, key) || set_by_preset(w->s, key)) continue;
            int org[2] = {kind < 0 ? -1 : i, -1};
            wf_buf mine = {0}, refs = {0};
            wf_value_format(row, c, org, &mine);
            int differ = 0, listed = 0;
            for (int j = 0; j < nref; j++) {
                int rorg[2] = {kind < 0 ? -1 : j, -1};
                wf_buf v = {0};
                wf_value_format(row, ref, rorg, &v);
                if (v.s && mine.s && strcmp(v.s, mine.s)) differ++;
                /* the reference's values, each once */
                bool seen = false;
                for (int k = 0; k < j && v.s && !seen; k++) {
                    int korg[2] = {k, -1};
                    wf_buf u = {0};
                    wf_value_format(row, ref, korg, &u);
                    seen = u.s && !strcmp(u.s, v.s);
                    free(u.s);
                }
                if (v.s && !seen && listed < 4) {
                    wf_buf_printf(&refs, "%s%s", listed ? ", " : "", v.s);
                    listed++;
                }
                w->oom |= v.oom;
                free(v.s);
            }
            w->oom |= mine.oom || refs.oom;
            if (differ && !w->oom) {
                char block[512], s1[64], s2[64];
                const char *m = shorten(mine.s, s1, sizeof s1), *rv = shorten(refs.s, s2, sizeof s2);
                if (kind < 0) snprintf(block, sizeof block, "%s", key);
                else snprintf(block, sizeof block, "%s.%s", wf_kind_section[kind], name);
                if (kind < 0)
                    warn(w, block, key, "left at the table default %s; the calibrated reference (%s) "
                         "uses %s", m, WF_REFERENCE_ORIGIN, rv);
                else
                    warn(w, block, key, "left at the table default %s; the reference's %s (%s) "
                         "have %s", m, plural[kind], WF_REFERENCE_ORIGIN, rv);
            }
            free(mine.s);
            free(refs.s);
        }
    }
}

wf_status wf_scenario_warn(wf_scenario *s, const wf_config *c, char *err, size_t errlen) {
    warner w = {.s = s, .err = err, .errlen = errlen};
    catchments(&w, c);
    rates(&w, c);
    wf_scenario *rs = wf_reference_scenario(err, errlen);
    wf_config *ref = NULL;
    if (!rs || wf_config_build(rs, &ref, err, errlen) != WF_OK) {
        wf_scenario_destroy(rs);
        return WF_ENOMEM; /* the built-in text is the library's own: only memory can fail */
    }
    defaults(&w, c, ref);
    wf_config_free(ref);
    wf_scenario_destroy(rs);
    if (w.oom) {
        wf_errf(err, errlen, "out of memory");
        return WF_ENOMEM;
    }
    return WF_OK;
}
