/* A new scenario from the calibrated reference (wf_template, winterflow.h;
 * `winterflow init`). The text is the reference's own (models/reference.yaml,
 * built into the library) with its organisation sections replaced:
 *
 *   - every top-level block but the organisations is copied as it stands,
 *     with the reference's comments citing its sources;
 *   - the organisations are the caller's, every key written out with the
 *     table's description above it. A key that counts capacity or demand
 *     (its unit is beds, places, packages, posts, assessments/day,
 *     starts/day or admissions/day) is the reference's total scaled by the
 *     organisation's size: residents for a locality, beds for a hospital,
 *     the residents it serves for a community provider or a voluntary
 *     service. Every other key is the reference's (a share or a mix: the
 *     reference's mean weighted by admissions).
 *
 * Sizes not given: a locality has the reference's mean population; a
 * hospital the beds its admissions need at the reference's beds per daily
 * admission; each locality sends its admissions to the hospitals in
 * proportion to their beds (equally when no beds are given); community
 * providers and voluntary services serve the localities in turn. The text
 * is loaded and validated before it is handed over. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

typedef struct {
    int kind;
    char *name;
    double size; /* NaN: not given */
} org_spec;

struct wf_template {
    org_spec *org;
    size_t n, cap;
    char err[WF_ERRLEN];
};

wf_template *wf_template_create(void) { return calloc(1, sizeof(wf_template)); }

void wf_template_destroy(wf_template *t) {
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) free(t->org[i].name);
    free(t->org);
    free(t);
}

const char *wf_template_error(const wf_template *t) { return t ? t->err : ""; }

void wf_template_set_error(wf_template *t, const char *msg) {
    if (t) wf_errf(t->err, sizeof t->err, "%s", msg);
}

wf_status wf_template_add(wf_template *t, wf_org_kind kind, const char *name, double size) {
    if (!t) return WF_EINVAL;
    if ((int)kind < 0 || (int)kind >= WF_NKIND) {
        wf_errf(t->err, sizeof t->err, "organisation kind %d: expected hospital, locality, "
                "community or voluntary", (int)kind);
        return WF_EINVAL;
    }
    if (!name || !wf_org_name_ok(name)) {
        wf_errf(t->err, sizeof t->err, "'%.100s' is not a valid %s name (1 to 64 letters, digits, "
                "'_' and '-')", name ? name : "", wf_kind_word[kind]);
        return WF_EKEY;
    }
    if (!strcmp(name, "system")) {
        wf_errf(t->err, sizeof t->err, "'system' is reserved for the whole system; choose "
                "another name");
        return WF_EKEY;
    }
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->org[i].name, name)) {
            wf_errf(t->err, sizeof t->err, "'%s' is given twice (as a %s and a %s); names are "
                    "unique across kinds", name, wf_kind_word[t->org[i].kind], wf_kind_word[kind]);
            return WF_EKEY;
        }
    if (!isnan(size) && !(size >= 0 && size < 1e9)) {
        wf_errf(t->err, sizeof t->err, "%s '%s': size %g: expected a number from 0 to 1e9",
                wf_kind_word[kind], name, size);
        return WF_ERANGE;
    }
    if (t->n >= WF_MAX_ORGS) {
        wf_errf(t->err, sizeof t->err, "more than %d organisations", WF_MAX_ORGS);
        return WF_ERANGE;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        org_spec *o = realloc(t->org, cap * sizeof *o);
        if (!o) goto nomem;
        t->org = o;
        t->cap = cap;
    }
    if (!(t->org[t->n].name = wf_strdup(name))) goto nomem;
    t->org[t->n].kind = kind;
    t->org[t->n].size = size;
    t->n++;
    return WF_OK;
nomem:
    wf_errf(t->err, sizeof t->err, "out of memory");
    return WF_ENOMEM;
}

/* ---- the reference's figures -------------------------------------------- */

/* x to 3 significant figures (sizes are estimates; 700, not 700.33). */
static double sig3(double x) {
    if (x == 0 || !isfinite(x)) return x;
    int e = (int)floor(log10(fabs(x))) - 2;
    double p = pow(10, abs(e));
    return e < 0 ? round(x * p) / p : round(x / p) * p;
}

static bool is_capacity(const wf_row *r) {
    static const char *const units[] = {"beds", "places", "packages", "posts", "assessments/day",
                                        "starts/day", "admissions/day"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(r->info.unit, units[i])) return true;
    return false;
}

/* The value of a row for organisation i of the reference, as a number (NaN
 * for null or not a number). */
static double ref_number(const wf_row *r, const wf_config *ref, int i) {
    int org[2] = {i, -1};
    wf_buf v = {0};
    wf_value_format(r, ref, org, &v);
    double x = NAN;
    if (v.s && strcmp(v.s, "null")) {
        char *end;
        x = strtod(v.s, &end);
        if (*end) x = NAN;
    }
    free(v.s);
    return x;
}

/* ---- writing ---------------------------------------------------------- */

typedef struct {
    wf_buf out;
    const wf_config *ref;
    double ref_pop, ref_adm, ref_beds; /* reference totals */
    double rate;                        /* admissions per 1,000 residents a year */
} writer;

/* A comment wrapped at 78 columns, indented. */
static void comment(writer *w, int indent, const char *text) {
    const char *p = text;
    while (*p) {
        int width = 76 - indent;
        size_t len = strlen(p);
        if ((int)len > width) {
            len = (size_t)width;
            while (len > 0 && p[len] != ' ') len--;
            if (len == 0) len = (size_t)width;
        }
        wf_buf_printf(&w->out, "%*s# %.*s\n", indent, "", (int)len, p);
        p += len;
        while (*p == ' ') p++;
    }
}

static void put_real(writer *w, double x) {
    char b[40];
    wf_fmt_real(x, b, sizeof b);
    wf_buf_puts(&w->out, b);
}

/* The keys of one organisation, in table order: sizes scaled, the rest the
 * reference's (organisation ref_i of the reference; -1: computed by the
 * caller through `special`). */
typedef bool (*special_fn)(writer *w, const wf_row *r, const char *sub, void *user);

static void org_keys(writer *w, int kind, double scale, int ref_i, special_fn special, void *user) {
    static const wf_bind binds[WF_NKIND] = {WF_B_HOSP, WF_B_LOC, WF_B_COMM, WF_B_VOL};
    char group[64] = "";
    for (size_t r = 0; r < wf_nrows; r++) {
        const wf_row *row = &wf_rows[r];
        if (row->bind != binds[kind]) continue;
        /* the key after "<section>.<name>." */
        const char *sub = strchr(row->info.key, '.');
        sub = sub ? strchr(sub + 1, '.') : NULL;
        if (!sub) continue;
        sub++;
        if (!strncmp(sub, "partnership.", 12) || !strcmp(sub, "system") ||
            strstr(row->info.type, "<locality>") || !strncmp(sub, "hospital_share", 14))
            continue;
        const char *dot = strchr(sub, '.');
        int indent = 4;
        if (dot) {
            /* a group: frailty_mix.fit -> frailty_mix:\n  fit: */
            if (strncmp(group, sub, (size_t)(dot - sub)) || group[dot - sub] != '\0') {
                snprintf(group, sizeof group, "%.*s", (int)(dot - sub), sub);
                wf_buf_printf(&w->out, "    %s:\n", group);
            }
            indent = 6;
        } else {
            group[0] = '\0';
        }
        const char *leaf = dot ? dot + 1 : sub;
        comment(w, indent, row->info.doc);
        wf_buf_printf(&w->out, "%*s%s: ", indent, "", leaf);
        if (special && special(w, row, sub, user)) {
            wf_buf_puts(&w->out, "\n");
            continue;
        }
        int nref = wf_config_n_orgs(w->ref, kind);
        if (is_capacity(row) && !isnan(scale)) {
            double total = 0;
            for (int i = 0; i < nref; i++) total += ref_number(row, w->ref, i);
            if (isnan(total)) {
                wf_buf_puts(&w->out, "null");
            } else if (row->type == WF_T_INT) {
                wf_buf_printf(&w->out, "%.0f", round(total * scale));
            } else {
                put_real(w, sig3(total * scale));
            }
        } else {
            int org[2] = {ref_i, -1};
            wf_value_format(row, w->ref, org, &w->out);
        }
        wf_buf_puts(&w->out, "\n");
    }
}

typedef struct {
    const wf_template *t;
    const double *share;   /* [hospitals]: the share of every locality's admissions */
    double pop;
    const double *mix;     /* the reference's frailty mix, weighted by admissions */
    const double *weighted; /* [rows]: admission-weighted means of the reference's locality reals */
} loc_ctx;

static bool locality_special(writer *w, const wf_row *r, const char *sub, void *user) {
    loc_ctx *x = user;
    if (!strcmp(sub, "population")) {
        put_real(w, x->pop);
        return true;
    }
    if (!strcmp(sub, "emergency_admissions_per_day")) {
        wf_buf_puts(&w->out, "null");
        return true;
    }
    if (!strcmp(sub, "emergency_admissions_per_1000")) {
        put_real(w, sig3(w->rate));
        return true;
    }
    if (!strncmp(sub, "frailty_mix.", 12)) {
        static const char *const f[WF_NFRAILTY] = {"fit", "mild", "moderate", "severe"};
        for (int i = 0; i < WF_NFRAILTY; i++)
            if (!strcmp(sub + 12, f[i])) put_real(w, x->mix[i]);
        return true;
    }
    size_t r_i = (size_t)(r - wf_rows);
    if (!is_capacity(r) && r->type == WF_T_REAL && !isnan(x->weighted[r_i])) {
        put_real(w, sig3(x->weighted[r_i]));
        return true;
    }
    return false;
}

/* The reference's frailty mix (and other shares) weighted by admissions,
 * the mix rounded to 3 decimals and summing to 1 exactly. */
static void reference_means(const wf_config *ref, double mix[WF_NFRAILTY], double *weighted) {
    double adm = 0;
    for (int i = 0; i < ref->n_localities; i++) adm += ref->localities[i].admissions_per_day;
    for (int f = 0; f < WF_NFRAILTY; f++) {
        double m = 0;
        for (int i = 0; i < ref->n_localities; i++)
            m += ref->localities[i].frailty_mix[f] * ref->localities[i].admissions_per_day / adm;
        mix[f] = round(m * 1000) / 1000;
    }
    mix[WF_FIT] = round((1.0 - mix[WF_MILD] - mix[WF_MODERATE] - mix[WF_SEVERE]) * 1000) / 1000;
    for (size_t r = 0; r < wf_nrows; r++) {
        weighted[r] = NAN;
        if (wf_rows[r].bind != WF_B_LOC || wf_rows[r].type != WF_T_REAL) continue;
        double m = 0;
        for (int i = 0; i < ref->n_localities; i++)
            m += ref_number(&wf_rows[r], ref, i) * ref->localities[i].admissions_per_day / adm;
        weighted[r] = m;
    }
}

static void header(writer *w, const char *name) {
    wf_buf_printf(&w->out,
        "# %s: a winterflow scenario written by `winterflow init` (winterflow %s).\n"
        "#\n"
        "# It starts from the calibrated reference system (%s): every\n"
        "# block but the organisations is the reference's, with its notes on the\n"
        "# sources of each number. The organisations are yours, each key written\n"
        "# out: capacities and demand are the reference's scaled to the\n"
        "# organisation's size (residents for a council, beds for a hospital),\n"
        "# every other key is the reference's. Replace them with your own figures\n"
        "# (docs/scenario-schema.md, \"A new system\"), then\n"
        "#     winterflow validate FILE     every problem and warning at once\n"
        "#     winterflow run FILE\n", name, wf_version(), WF_REFERENCE_ORIGIN);
    wf_buf_puts(&w->out, "name: ");
    wf_yaml_quote(name, &w->out);
    wf_buf_puts(&w->out, "\n");
}

/* ---- the organisations ------------------------------------------------ */

typedef struct {
    const wf_template *t;
    size_t nh, nl, nc, nv;
    const org_spec *h[WF_MAX_ORGS], *l[WF_MAX_ORGS];
    double pop[WF_MAX_ORGS], beds[WF_MAX_ORGS], share[WF_MAX_ORGS];
    bool beds_given;
    double total_pop;
} plan;

static void localities(writer *w, const plan *p, const wf_config *ref) {
    double mix[WF_NFRAILTY];
    double *weighted = malloc(wf_nrows * sizeof *weighted);
    if (!weighted) {
        w->out.oom = true;
        return;
    }
    reference_means(ref, mix, weighted);
    wf_buf_puts(&w->out, "localities:\n");
    for (size_t i = 0; i < p->nl; i++) {
        wf_buf_printf(&w->out, "  %s:\n", p->l[i]->name);
        char note[300];
        snprintf(note, sizeof note, "%.10g residents%s: capacities and demand are the "
                 "reference's per resident (it has %.10g).", p->pop[i],
                 isnan(p->l[i]->size) ? " (the reference's mean council: give yours)" : "",
                 w->ref_pop);
        comment(w, 4, note);
        loc_ctx x = {.t = p->t, .pop = p->pop[i], .mix = mix, .weighted = weighted};
        org_keys(w, WF_ORG_LOCALITY, p->pop[i] / w->ref_pop, 0, locality_special, &x);
        comment(w, 4, "Where the council's residents are admitted: shares of its emergency "
                "admissions by hospital, summing to 1. Assumed by init in proportion to the "
                "hospitals' beds (equal when no beds were given): replace with your flows.");
        wf_buf_puts(&w->out, "    hospital_share: {");
        double sum = 0;
        for (size_t h = 0; h < p->nh; h++) {
            double s = h + 1 < p->nh ? round(p->share[h] * 10000) / 10000 : 1.0 - sum;
            s = round(s * 10000) / 10000;
            sum += s;
            wf_buf_printf(&w->out, "%s%s: ", h ? ", " : "", p->h[h]->name);
            put_real(w, s);
        }
        wf_buf_puts(&w->out, "}\n");
        comment(w, 4, "partnership: {} sets this council's own levers (e.g. {seven_day_working: "
                "true}); absent, it follows the system's partnership block.");
    }
    free(weighted);
}

static void hospitals(writer *w, const plan *p) {
    wf_buf_puts(&w->out, "hospitals:\n");
    for (size_t h = 0; h < p->nh; h++) {
        wf_buf_printf(&w->out, "  %s:\n", p->h[h]->name);
        char note[300];
        snprintf(note, sizeof note, "%s: %.0f G&A beds; surge beds and electives scaled from the "
                 "reference per bed (%.0f beds).",
                 isnan(p->h[h]->size) ? "Beds sized by init for the admissions the councils send "
                                        "at the reference's beds per daily admission"
                                      : "Beds given",
                 p->beds[h], w->ref_beds);
        comment(w, 4, note);
        org_keys(w, WF_ORG_HOSPITAL, p->beds[h] / w->ref_beds, 0, NULL, NULL);
    }
}

/* Community providers or voluntary services: each serves the localities
 * k, k + n, k + 2n, ... (in turn), sized by their residents. */
static void services(writer *w, const plan *p, int kind) {
    size_t n = kind == WF_ORG_COMMUNITY ? p->nc : p->nv, k = 0;
    wf_buf_printf(&w->out, "%s:\n", wf_kind_section[kind]);
    for (size_t i = 0; i < p->t->n; i++) {
        const org_spec *o = &p->t->org[i];
        if (o->kind != kind) continue;
        double served = 0;
        for (size_t l = k; l < p->nl; l += n) served += p->pop[l];
        wf_buf_printf(&w->out, "  %s:\n", o->name);
        comment(w, 4, kind == WF_ORG_COMMUNITY
                          ? "Places scaled from the reference by the residents served."
                          : "Supports scaled from the reference by the residents served.");
        double scale = served / w->ref_pop;
        if (!isnan(o->size)) {
            /* the size given is the first capacity key's (beds, places) */
            double ref_first = 0;
            const char *key = kind == WF_ORG_COMMUNITY ? "community.<community>.intermediate_care_beds"
                                                       : "voluntary.<voluntary>.places";
            for (int j = 0; j < wf_config_n_orgs(w->ref, kind); j++)
                ref_first += ref_number(wf_row_find(key), w->ref, j);
            if (ref_first > 0) scale = o->size / ref_first;
        }
        org_keys(w, kind, scale, 0, NULL, NULL);
        comment(w, 4, "The localities it serves (each served by at most one):");
        wf_buf_puts(&w->out, "    serves: [");
        for (size_t l = k, first = 1; l < p->nl; l += n, first = 0)
            wf_buf_printf(&w->out, "%s%s", first ? "" : ", ", p->l[l]->name);
        wf_buf_puts(&w->out, "]\n");
        k++;
    }
}

/* Sizes and shares (see the top of the file). */
static void make_plan(plan *p, const wf_template *t, const wf_config *ref, const writer *w) {
    memset(p, 0, sizeof *p);
    p->t = t;
    p->beds_given = true;
    for (size_t i = 0; i < t->n; i++) {
        const org_spec *o = &t->org[i];
        if (o->kind == WF_ORG_HOSPITAL) {
            p->h[p->nh++] = o;
            p->beds_given &= !isnan(o->size);
        } else if (o->kind == WF_ORG_LOCALITY) {
            p->pop[p->nl] = isnan(o->size) ? sig3(w->ref_pop / ref->n_localities) : o->size;
            p->l[p->nl++] = o;
        } else if (o->kind == WF_ORG_COMMUNITY) {
            p->nc++;
        } else {
            p->nv++;
        }
    }
    double beds = 0;
    for (size_t h = 0; h < p->nh; h++) beds += p->beds_given ? p->h[h]->size : 0;
    double pop = 0;
    for (size_t l = 0; l < p->nl; l++) pop += p->pop[l];
    p->total_pop = pop;
    for (size_t h = 0; h < p->nh; h++) {
        p->share[h] = p->beds_given && beds > 0 ? p->h[h]->size / beds : 1.0 / (double)p->nh;
        /* each hospital's admissions a day at the reference's beds per admission */
        double adm = pop * w->rate / 1000.0 / 365.0 * p->share[h];
        p->beds[h] = isnan(p->h[h]->size) ? round(adm * w->ref_beds / w->ref_adm) : p->h[h]->size;
    }
}

/* The top-level blocks of the reference's text: the key line with the
 * comment lines right above it, and what is indented under it. */
typedef struct {
    const char *key;   /* at the key line */
    size_t keylen;
    const char *start, *end;
    const char *comment_end; /* where the comments above end (the key line) */
} block;

static size_t blocks(const char *text, block *b, size_t max) {
    size_t n = 0;
    const char *p = text, *pending = NULL; /* first of the comment lines just seen */
    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *next = eol ? eol + 1 : p + strlen(p);
        size_t kl = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
        if (p[0] == '#') {
            if (!pending) pending = p;
        } else if (kl && p[kl] == ':') {
            if (n) b[n - 1].end = pending ? pending : p;
            if (n < max) {
                b[n] = (block){.key = p, .keylen = kl, .start = pending ? pending : p,
                               .comment_end = p};
                n++;
            }
            pending = NULL;
        } else {
            pending = NULL;
        }
        p = next;
    }
    if (n) b[n - 1].end = p;
    return n;
}

static bool key_is(const block *b, const char *k) {
    return b->keylen == strlen(k) && !strncmp(b->key, k, b->keylen);
}

/* The block's text without trailing blank lines, then one blank line. The
 * one absolute demand outside the organisations, an outbreak's extra
 * admissions a day (for the whole system), is scaled to the population. */
static void copy_block(writer *w, const char *start, const char *end, double scale) {
    static const char key[] = "extra_admissions_per_day: ";
    while (end > start && (end[-1] == '\n' || end[-1] == ' ')) end--;
    const char *p = start;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        const char *k = NULL;
        for (const char *q = p; q + sizeof key - 1 <= line_end && !k; q++)
            if (!strncmp(q, key, sizeof key - 1)) k = q + sizeof key - 1;
        char *num_end = NULL;
        double x = k ? strtod(k, &num_end) : NAN;
        if (k && num_end > k && num_end <= line_end) {
            wf_buf_printf(&w->out, "%.*s", (int)(k - p), p);
            put_real(w, sig3(x * scale));
            wf_buf_printf(&w->out, "%.*s  # the reference's ", (int)(line_end - num_end), num_end);
            put_real(w, x);
            wf_buf_puts(&w->out, ", scaled to your population\n");
        } else {
            wf_buf_printf(&w->out, "%.*s\n", (int)(line_end - p), p);
        }
        p = line_end + 1;
    }
    wf_buf_puts(&w->out, "\n");
}

static void org_section(writer *w, const plan *p, const block *b, int kind, const wf_config *ref) {
    size_t n = kind == WF_ORG_HOSPITAL ? p->nh : kind == WF_ORG_LOCALITY ? p->nl
             : kind == WF_ORG_COMMUNITY ? p->nc : p->nv;
    if (b->comment_end > b->start) {
        wf_buf_printf(&w->out, "# From the reference, on how it set its %s (yours are scaled "
                      "from them):\n", wf_kind_section[kind]);
        wf_buf_printf(&w->out, "%.*s", (int)(b->comment_end - b->start), b->start);
    }
    if (!n) {
        wf_buf_printf(&w->out, "# (no %s: `winterflow init --%s NAME` adds one)\n\n",
                      wf_kind_section[kind], kind == WF_ORG_VOLUNTARY ? "voluntary" : "community");
        return;
    }
    if (kind == WF_ORG_LOCALITY) localities(w, p, ref);
    else if (kind == WF_ORG_HOSPITAL) hospitals(w, p);
    else services(w, p, kind);
    wf_buf_puts(&w->out, "\n");
}

char *wf_template_yaml(wf_template *t, const char *name) {
    if (!t) return NULL;
    if (!name || !*name) name = "new-system";
    size_t count[WF_NKIND] = {0};
    for (size_t i = 0; i < t->n; i++) count[t->org[i].kind]++;
    if (!count[WF_ORG_HOSPITAL] || !count[WF_ORG_LOCALITY]) {
        wf_errf(t->err, sizeof t->err, "a system needs at least one hospital and one locality "
                "(council); got %zu and %zu", count[WF_ORG_HOSPITAL], count[WF_ORG_LOCALITY]);
        return NULL;
    }
    /* pathway 2 needs a community provider for every locality */
    if (!count[WF_ORG_COMMUNITY] && wf_template_add(t, WF_ORG_COMMUNITY, "community", NAN)) {
        wf_errf(t->err, sizeof t->err, "no community provider was given and the name "
                "'community' is taken: name one (a community provider runs the rehabilitation "
                "beds of pathway 2)");
        return NULL;
    }
    wf_scenario *rs = wf_reference_scenario(t->err, sizeof t->err);
    wf_config *ref = NULL;
    if (!rs || wf_config_build(rs, &ref, t->err, sizeof t->err) != WF_OK) {
        wf_scenario_destroy(rs);
        return NULL;
    }
    writer w = {.ref = ref};
    for (int i = 0; i < ref->n_localities; i++) {
        w.ref_pop += ref->localities[i].population;
        w.ref_adm += ref->localities[i].admissions_per_day;
    }
    for (int h = 0; h < ref->n_hospitals; h++) w.ref_beds += ref->hospitals[h].beds;
    w.rate = w.ref_adm * 365.0 * 1000.0 / w.ref_pop;
    plan *p = malloc(sizeof *p);
    block b[64];
    size_t nb = blocks(wf_reference_text(NULL), b, 64);
    char *yaml = NULL;
    if (!p) goto done;
    make_plan(p, t, ref, &w);
    header(&w, name);
    wf_buf_puts(&w.out, "\n");
    for (size_t i = 0; i < nb; i++) {
        int kind = -1;
        for (int k = 0; k < WF_NKIND; k++)
            if (key_is(&b[i], wf_kind_section[k])) kind = k;
        if (key_is(&b[i], "name")) continue;
        if (kind >= 0) org_section(&w, p, &b[i], kind, ref);
        else copy_block(&w, b[i].start, b[i].end, p->total_pop / w.ref_pop);
    }
    if (w.out.oom) {
        wf_errf(t->err, sizeof t->err, "out of memory");
        goto done;
    }
    /* what it says must hold: load and validate it */
    wf_scenario *s = wf_scenario_create();
    char origin[300];
    snprintf(origin, sizeof origin, "the scenario written for %.200s", name);
    if (!s || wf_scenario_load_sealed(s, w.out.s, origin) || wf_scenario_validate(s)) {
        wf_errf(t->err, sizeof t->err, "%s", s ? wf_scenario_error(s) : "out of memory");
        wf_scenario_destroy(s);
        goto done;
    }
    wf_scenario_destroy(s);
    yaml = w.out.s;
    w.out.s = NULL;
done:
    free(w.out.s);
    free(p);
    wf_config_free(ref);
    wf_scenario_destroy(rs);
    return yaml;
}
