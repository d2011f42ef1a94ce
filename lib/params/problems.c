/* Every problem at once (wf_scenario_keep_going): a scenario normally stops
 * at the first problem; in keep-going mode the walk over a file's keys and
 * the build of its meaning record each problem, leave its key out and go
 * on, so that eight mistakes take one round, not eight. The list holds the
 * last public call's problems, and warnings (validate.c adds them). */
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

bool wf_strlist_add(wf_strlist *l, const char *s) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        char **v = realloc(l->s, cap * sizeof *v);
        if (!v) return false;
        l->s = v;
        l->cap = cap;
    }
    char *d = wf_strdup(s);
    if (!d) return false;
    l->s[l->n++] = d;
    return true;
}

void wf_strlist_free(wf_strlist *l) {
    for (size_t i = 0; i < l->n; i++) free(l->s[i]);
    free(l->s);
    memset(l, 0, sizeof *l);
}

void wf_problems_begin(wf_scenario *s) {
    wf_strlist_free(&s->problems);
    free(s->problem_st);
    s->problem_st = NULL;
}

bool wf_problem_add(wf_scenario *s, wf_status st, const char *msg) {
    wf_status *v = realloc(s->problem_st, (s->problems.n + 1) * sizeof *v);
    if (!v) return false;
    s->problem_st = v;
    if (!wf_strlist_add(&s->problems, msg)) return false;
    s->problem_st[s->problems.n - 1] = st;
    return true;
}

bool wf_problem_keep(wf_scenario *s, wf_status st, const char *msg, const char *key) {
    if (!s->keep_going || st == WF_ENOMEM) return false;
    return wf_problem_add(s, st, msg) && wf_strlist_add(&s->failed, key);
}

wf_status wf_problems_end(wf_scenario *s, wf_status st) {
    if (st) {
        /* stopped here: the list has every problem, this one too */
        wf_problem_add(s, st, s->err);
        return st;
    }
    for (size_t i = 0; i < s->problems.n; i++)
        if (s->problem_st[i] != WF_OK) {
            wf_errf(s->err, sizeof s->err, "%s", s->problems.s[i]);
            return s->problem_st[i];
        }
    return WF_OK;
}

bool wf_failed_under(const wf_strlist *failed, const char *prefix) {
    size_t l = strlen(prefix);
    for (size_t i = 0; i < failed->n; i++) {
        const char *k = failed->s[i];
        size_t kl = strlen(k);
        if (!strncmp(k, prefix, l) && (k[l] == '\0' || k[l] == '.')) return true;
        if (kl < l && !strncmp(k, prefix, kl) && prefix[kl] == '.') return true;
    }
    return false;
}

void wf_scenario_keep_going(wf_scenario *s, int on) {
    if (s) s->keep_going = on != 0;
}

size_t wf_scenario_n_problems(const wf_scenario *s) { return s ? s->problems.n : 0; }

const char *wf_scenario_problem(const wf_scenario *s, size_t i, int *warning) {
    if (!s || i >= s->problems.n) return NULL;
    if (warning) *warning = s->problem_st[i] == WF_OK;
    return s->problems.s[i];
}
