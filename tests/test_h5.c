/* Results files (include/winterflow.h section 6, docs/results-file.md):
 * write and read back exactly; overwrite refused without the flag; a
 * simulated write failure and a SIGKILL mid-write leave the earlier file
 * intact and no stray temporary file; clear errors for unwritable folders
 * and bad files; appending scenarios gives the same numbers as running
 * them together. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "winterflow.h"

#define TINY WF_SOURCE_DIR "/tests/cli/tiny.yaml"

static char dir[64];

static wf_scenario *tiny(const char *name, const char *beds)
{
    wf_scenario *s = wf_scenario_create();
    CHECK(s != NULL);
    wf_status st = wf_scenario_load_file(s, TINY);
    CHECKF(st == WF_OK, "%s", wf_scenario_error(s));
    if (name) CHECK(wf_scenario_set(s, "name", name) == WF_OK);
    if (beds) CHECK(wf_scenario_set(s, "hospitals.city.beds", beds) == WF_OK);
    return s;
}

static wf_results *run(wf_scenario **s, size_t n, int threads, int64_t seed)
{
    wf_results *r = wf_results_create();
    wf_run_options o = wf_run_defaults();
    o.threads = threads;
    o.seed = seed;
    wf_status st = wf_run(r, (const wf_scenario *const *)s, n, &o);
    CHECKF(st == WF_OK, "%s", wf_results_error(r));
    return r;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Temporary files of the writer left in dir. */
static int count_tmp(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp-")) n++;
    if (d) closedir(d);
    return n;
}

/* Every name, date and value of a equals b's, bit for bit. */
static void same_results(const wf_results *a, const wf_results *b, size_t sa, size_t sb, size_t ns)
{
    CHECK(wf_results_n_replicates(a) == wf_results_n_replicates(b));
    CHECK(wf_results_n_days(a) == wf_results_n_days(b));
    CHECK(wf_results_n_orgs(a) == wf_results_n_orgs(b));
    if (wf_results_n_orgs(a) != wf_results_n_orgs(b) || wf_results_n_days(a) != wf_results_n_days(b) ||
        wf_results_n_replicates(a) != wf_results_n_replicates(b))
        return;
    for (size_t o = 0; o < wf_results_n_orgs(a); o++) {
        CHECK(strcmp(wf_results_org_name(a, o), wf_results_org_name(b, o)) == 0);
        CHECK(strcmp(wf_results_org_kind(a, o), wf_results_org_kind(b, o)) == 0);
    }
    for (size_t d = 0; d < wf_results_n_days(a); d++) CHECK(strcmp(wf_results_date(a, d), wf_results_date(b, d)) == 0);
    size_t nd = wf_results_n_replicates(a) * wf_results_n_days(a) * wf_results_n_orgs(a);
    size_t nsum = wf_results_n_replicates(a) * wf_results_n_orgs(a);
    for (size_t s = 0; s < ns; s++) {
        CHECK(strcmp(wf_results_scenario_name(a, sa + s), wf_results_scenario_name(b, sb + s)) == 0);
        for (size_t m = 0; m < wf_metric_count(); m++) {
            CHECKF(memcmp(wf_results_daily(a, sa + s, m), wf_results_daily(b, sb + s, m), nd * sizeof(double)) == 0,
                   "daily %s of scenario %zu", wf_metric_name(m), s);
            CHECKF(memcmp(wf_results_summary(a, sa + s, m), wf_results_summary(b, sb + s, m),
                          nsum * sizeof(double)) == 0,
                   "summary %s of scenario %zu", wf_metric_name(m), s);
        }
    }
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wf_test_h5_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[128], other[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    snprintf(other, sizeof other, "%s/other.h5", dir);

    wf_scenario *sc[2] = {tiny(NULL, NULL), tiny("fewer_beds", "50")};
    wf_results *r = run(sc, 2, 2, -1);
    const wf_scenario *const *list = (const wf_scenario *const *)sc;

    /* Write and read back: every value exactly. */
    wf_write_options wo = wf_write_defaults();
    wo.command_line = "test_h5";
    wf_status st = wf_results_write(r, list, 2, path, &wo);
    CHECKF(st == WF_OK, "%s", wf_results_error(r));
    CHECK(count_tmp() == 0);
    wf_results *back = wf_results_create();
    st = wf_results_read(back, path);
    CHECKF(st == WF_OK, "%s", wf_results_error(back));
    CHECK(wf_results_n_scenarios(back) == 2);
    CHECK(wf_results_seed(back) == wf_results_seed(r));
    CHECK(wf_results_threads(back) == 2);
    same_results(r, back, 0, 0, 2);
    wf_stat s1, s2;
    size_t m = wf_metric_find("delayed_bed_days"), sys = wf_results_org_find(back, "system");
    CHECK(wf_results_stat(r, 1, m, sys, &s1) == WF_OK && wf_results_stat(back, 1, m, sys, &s2) == WF_OK);
    CHECK(s1.mean == s2.mean && s1.lo == s2.lo && s1.n == s2.n);
    CHECK(wf_results_paired(back, 0, 1, m, sys, &s2) == WF_OK);

    /* An existing file is refused without overwrite, and left as it was. */
    size_t len0, len1;
    char *before = slurp(path, &len0);
    st = wf_results_write(r, list, 2, path, NULL);
    CHECK(st == WF_EIO);
    CHECKF(strstr(wf_results_error(r), "exists") && strstr(wf_results_error(r), path), "%s", wf_results_error(r));
    char *after = slurp(path, &len1);
    CHECK(before && after && len0 == len1 && memcmp(before, after, len0) == 0);
    free(after);

    /* A simulated write failure part-way: the earlier file survives, no
     * temporary file is left, the error names the path and the operation. */
    wo.overwrite = 1;
    setenv("WF_TEST_FAIL_WRITE_AFTER", "20", 1);
    st = wf_results_write(r, list, 2, path, &wo);
    unsetenv("WF_TEST_FAIL_WRITE_AFTER");
    CHECK(st == WF_EIO);
    CHECKF(strstr(wf_results_error(r), path) && strstr(wf_results_error(r), "H5Dwrite"), "%s",
           wf_results_error(r));
    after = slurp(path, &len1);
    CHECK(after && len0 == len1 && memcmp(before, after, len0) == 0);
    free(after);
    CHECK(count_tmp() == 0);

    /* Killed outright mid-write: the earlier file survives; the killed
     * writer's temporary file is removed by the next write. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("WF_TEST_KILL_WRITE_AFTER", "30", 1);
        wf_results_write(r, list, 2, path, &wo);
        _exit(0); /* not reached: the writer kills itself */
    }
    int ws = 0;
    waitpid(pid, &ws, 0);
    CHECK(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
    after = slurp(path, &len1);
    CHECK(after && len0 == len1 && memcmp(before, after, len0) == 0);
    free(after);
    CHECK(count_tmp() == 1);
    st = wf_results_write(r, list, 2, path, &wo);
    CHECKF(st == WF_OK, "%s", wf_results_error(r));
    CHECK(count_tmp() == 0);
    free(before);

    /* Forced overwrite replaced it with a complete file. */
    st = wf_results_read(back, path);
    CHECKF(st == WF_OK, "%s", wf_results_error(back));
    same_results(r, back, 0, 0, 2);

    /* Clear errors: a missing folder, a read-only folder, a file that is
     * not HDF5, a missing file. */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/no/such/folder/x.h5", dir);
    st = wf_results_write(r, list, 2, bad, &wo);
    CHECK(st == WF_EIO);
    CHECKF(strstr(wf_results_error(r), "cannot create a file in folder") &&
               strstr(wf_results_error(r), "No such file or directory"),
           "%s", wf_results_error(r));
    if (geteuid() != 0) { /* root writes anywhere */
        char ro[96];
        snprintf(ro, sizeof ro, "%s/ro", dir);
        mkdir(ro, 0555);
        snprintf(bad, sizeof bad, "%s/x.h5", ro);
        st = wf_results_write(r, list, 2, bad, &wo);
        CHECK(st == WF_EIO);
        CHECKF(strstr(wf_results_error(r), "Permission denied"), "%s", wf_results_error(r));
        rmdir(ro);
    }
    snprintf(bad, sizeof bad, "%s/text.h5", dir);
    FILE *f = fopen(bad, "w");
    fputs("not hdf5\n", f);
    fclose(f);
    st = wf_results_read(back, bad);
    CHECK(st == WF_EIO && strstr(wf_results_error(back), "not an HDF5 file"));
    CHECK(wf_results_n_scenarios(back) == 0);
    unlink(bad);
    snprintf(bad, sizeof bad, "%s/missing.h5", dir);
    st = wf_results_read(back, bad);
    CHECK(st == WF_EIO && strstr(wf_results_error(back), "No such file"));

    /* A folder as the target; wrong scenario count; event log. */
    st = wf_results_write(r, list, 2, dir, &wo);
    CHECK(st == WF_EIO);
    st = wf_results_write(r, list, 1, other, &wo);
    CHECK(st == WF_EINVAL);

    /* Appending: scenario 0 written alone, scenario 1 appended, equals the
     * joint run (common random numbers: a scenario's numbers do not depend
     * on which scenarios ran with it) and the file holds both, complete. */
    wf_results *ra = run(&sc[0], 1, 1, -1), *rb = run(&sc[1], 1, 3, -1);
    st = wf_results_append(ra, list, 1, other, NULL); /* creates */
    CHECKF(st == WF_OK, "%s", wf_results_error(ra));
    st = wf_results_append(rb, list + 1, 1, other, NULL);
    CHECKF(st == WF_OK, "%s", wf_results_error(rb));
    st = wf_results_read(back, other);
    CHECKF(st == WF_OK, "%s", wf_results_error(back));
    CHECK(wf_results_n_scenarios(back) == 2);
    same_results(r, back, 0, 0, 2);
    CHECK(count_tmp() == 0);
    /* An append that does not match (another seed) is refused, file intact. */
    wf_results *rc = run(&sc[1], 1, 1, 7);
    before = slurp(other, &len0);
    st = wf_results_append(rc, list + 1, 1, other, NULL);
    CHECK(st == WF_EINVAL);
    CHECKF(strstr(wf_results_error(rc), "seed"), "%s", wf_results_error(rc));
    after = slurp(other, &len1);
    CHECK(before && after && len0 == len1 && memcmp(before, after, len0) == 0);
    free(before);
    free(after);
    CHECK(count_tmp() == 0);

    /* Thread count does not change what is read back. */
    wf_results *r1 = run(sc, 2, 1, -1);
    snprintf(bad, sizeof bad, "%s/t1.h5", dir);
    CHECK(wf_results_write(r1, list, 2, bad, NULL) == WF_OK);
    wf_results *b1 = wf_results_create();
    CHECK(wf_results_read(b1, bad) == WF_OK);
    same_results(back, b1, 0, 0, 2);
    unlink(bad);

    wf_results_destroy(b1);
    wf_results_destroy(r1);
    wf_results_destroy(rc);
    wf_results_destroy(ra);
    wf_results_destroy(rb);
    wf_results_destroy(back);
    wf_results_destroy(r);
    wf_scenario_destroy(sc[0]);
    wf_scenario_destroy(sc[1]);
    unlink(path);
    unlink(other);
    rmdir(dir);
    return CHECK_DONE();
}
