/* One damaged results file through the C API, for tests/test_h5_mutation.py:
 *
 *   h5_mutant REFERENCE.h5 MUTANT.h5 WORKDIR SCENARIO.yaml
 *
 * 1. wf_results_read(MUTANT) either fails with WF_EIO and a message naming
 *    the file, or gives exactly what REFERENCE (the undamaged file) gives.
 * 2. wf_results_append of a fresh run (SCENARIO.yaml as the reference was
 *    made: run.days 5, warm-up 2, 2 replicates, seed 3) onto a copy of
 *    MUTANT in WORKDIR either fails with WF_EIO, leaving the copy as it was
 *    and no temporary file, or gives a file holding the reference's
 *    scenarios unchanged and then the new one.
 * Exit 0 when all of that holds (prints what happened), 1 when it does not
 * (prints why), 2 on a setup problem. Signals and hangs are the caller's to
 * catch. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_util.h"
#include "winterflow.h"

static int fail(const char *what, const char *detail)
{
    printf("WRONG: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 1;
}

/* a's scenario sa equals b's scenario sb, every value bit for bit */
static const char *same_scenario(const wf_results *a, size_t sa, const wf_results *b, size_t sb)
{
    if (wf_results_n_replicates(a) != wf_results_n_replicates(b) || wf_results_n_days(a) != wf_results_n_days(b) ||
        wf_results_n_orgs(a) != wf_results_n_orgs(b))
        return "shape";
    if (strcmp(wf_results_scenario_name(a, sa), wf_results_scenario_name(b, sb))) return "scenario name";
    const char *ya = wf_results_scenario_yaml(a, sa), *yb = wf_results_scenario_yaml(b, sb);
    if (!ya || !yb || strcmp(ya, yb)) return "scenario yaml";
    size_t nd = wf_results_n_replicates(a) * wf_results_n_days(a) * wf_results_n_orgs(a);
    size_t ns = wf_results_n_replicates(a) * wf_results_n_orgs(a);
    for (size_t m = 0; m < wf_metric_count(); m++) {
        if (memcmp(wf_results_daily(a, sa, m), wf_results_daily(b, sb, m), nd * sizeof(double))) return "daily values";
        if (memcmp(wf_results_summary(a, sa, m), wf_results_summary(b, sb, m), ns * sizeof(double)))
            return "summary values";
    }
    return NULL;
}

static const char *same_system(const wf_results *a, const wf_results *b)
{
    if (wf_results_n_orgs(a) != wf_results_n_orgs(b) || wf_results_n_days(a) != wf_results_n_days(b)) return "shape";
    for (size_t o = 0; o < wf_results_n_orgs(a); o++)
        if (strcmp(wf_results_org_name(a, o), wf_results_org_name(b, o)) ||
            strcmp(wf_results_org_kind(a, o), wf_results_org_kind(b, o)))
            return "organisations";
    for (size_t d = 0; d < wf_results_n_days(a); d++)
        if (strcmp(wf_results_date(a, d), wf_results_date(b, d))) return "dates";
    if (wf_results_seed(a) != wf_results_seed(b)) return "seed";
    return NULL;
}

static int spill(const char *path, const char *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int ok = fwrite(b, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: h5_mutant REFERENCE.h5 MUTANT.h5 WORKDIR SCENARIO.yaml\n");
        return 2;
    }
    const char *refpath = argv[1], *mutpath = argv[2], *dir = argv[3];
    wf_results *ref = wf_results_create(), *mut = wf_results_create();
    if (wf_results_read(ref, refpath) != WF_OK) {
        fprintf(stderr, "%s\n", wf_results_error(ref));
        return 2;
    }

    /* 1. reading */
    wf_status st = wf_results_read(mut, mutpath);
    if (st == WF_OK) {
        const char *why = same_system(ref, mut);
        if (!why && wf_results_n_scenarios(mut) != wf_results_n_scenarios(ref)) why = "scenario count";
        for (size_t s = 0; !why && s < wf_results_n_scenarios(ref); s++) why = same_scenario(ref, s, mut, s);
        if (!why && wf_results_threads(ref) != wf_results_threads(mut)) why = "threads";
        if (why) return fail("read succeeded with other data", why);
        printf("read: ok\n");
    } else {
        const char *msg = wf_results_error(mut);
        if (st != WF_EIO) return fail("read failed with a status other than WF_EIO", msg);
        if (strncmp(msg, mutpath, strlen(mutpath))) return fail("read failed without naming the file", msg);
        if (wf_results_n_scenarios(mut) != 0) return fail("a failed read left results", msg);
        printf("read: error: %s\n", msg);
    }

    /* 2. appending a fresh run onto a copy */
    char target[4096];
    snprintf(target, sizeof target, "%s/append.h5", dir);
    size_t len0 = 0, len1 = 0;
    char *before = slurp(mutpath, &len0);
    if (!before || spill(target, before, len0)) return 2;
    wf_scenario *s = wf_scenario_create();
    if (wf_scenario_load_file(s, argv[4]) != WF_OK || wf_scenario_set(s, "run.days", "5") != WF_OK ||
        wf_scenario_set(s, "run.warmup_days", "2") != WF_OK || wf_scenario_set(s, "name", "appended") != WF_OK) {
        fprintf(stderr, "%s\n", wf_scenario_error(s));
        return 2;
    }
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 2;
    o.seed = 3;
    o.threads = 1;
    wf_results *run = wf_results_create();
    if (wf_run(run, (const wf_scenario *const[]){s}, 1, &o) != WF_OK) {
        fprintf(stderr, "%s\n", wf_results_error(run));
        return 2;
    }
    st = wf_results_append(run, (const wf_scenario *const[]){s}, 1, target, NULL);
    int rc = 0;
    if (st == WF_OK) {
        wf_results *back = wf_results_create();
        if (wf_results_read(back, target) != WF_OK) {
            rc = fail("an append succeeded but its file does not read", wf_results_error(back));
        } else {
            size_t n = wf_results_n_scenarios(ref);
            const char *why = same_system(ref, back);
            if (!why && wf_results_n_scenarios(back) != n + 1) why = "scenario count";
            for (size_t i = 0; !why && i < n; i++) why = same_scenario(ref, i, back, i);
            wf_stat a, b;
            size_t m = wf_metric_find("admissions"), sys = wf_results_org_find(back, "system");
            if (!why && (wf_results_stat(back, n, m, sys, &a) != WF_OK || wf_results_stat(run, 0, m, sys, &b) != WF_OK ||
                         a.mean != b.mean))
                why = "the appended scenario";
            if (why) rc = fail("append succeeded with other data", why);
            else printf("append: ok\n");
        }
        wf_results_destroy(back);
    } else {
        const char *msg = wf_results_error(run);
        char *after = slurp(target, &len1);
        if (st != WF_EIO) rc = fail("append failed with a status other than WF_EIO", msg);
        else if (!after || len0 != len1 || memcmp(before, after, len0)) rc = fail("a failed append changed the file", msg);
        else printf("append: error: %s\n", msg);
        free(after);
    }
    if (!rc && count_tmp_in(dir)) rc = fail("a temporary file was left", NULL);
    free(before);
    wf_results_destroy(run);
    wf_scenario_destroy(s);
    wf_results_destroy(mut);
    wf_results_destroy(ref);
    return rc;
}
