/* Results files (include/winterflow.h section 6, docs/results-file.md):
 * write and read back exactly; overwrite refused without the flag; a
 * simulated write failure and a SIGKILL mid-write leave the earlier file
 * intact and no stray temporary file; clear errors for unwritable folders
 * and bad files; appending scenarios gives the same numbers as running
 * them together; scenario coordinates (wf_write_options.coord_names) are
 * written on the scenario dimension, appended consistently and checked. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "check.h"
#include "file_util.h"
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
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.threads = threads;
    o.seed = seed;
    wf_status st = wf_run(r, (const wf_scenario *const *)s, n, &o);
    CHECKF(st == WF_OK, "%s", wf_results_error(r));
    return r;
}

/* Temporary files of the writer left in dir. */
static int count_tmp(void) { return count_tmp_in(dir); }

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

/* A 1-D float64 variable of `path` (group/name) into v[0..n-1]: its length,
 * or -1. */
static long read_coord(const char *path, const char *var, double *v, size_t n)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return -1;
    hsize_t dims[1] = {0};
    long len = -1;
    if (H5LTget_dataset_info(f, var, dims, NULL, NULL) >= 0 && dims[0] <= n &&
        H5LTread_dataset_double(f, var, v) >= 0)
        len = (long)dims[0];
    H5Fclose(f);
    return len;
}

/* A string attribute of `obj` in `path` into buf ("" if missing). */
static void read_attr(const char *path, const char *obj, const char *name, char *buf, size_t len)
{
    memset(buf, 0, len); /* fixed-length attributes are not NUL-terminated */
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return;
    hsize_t dims[1];
    H5T_class_t cls;
    size_t size = 0;
    if (H5LTget_attribute_info(f, obj, name, dims, &cls, &size) >= 0 && cls == H5T_STRING && size < len)
        H5LTget_attribute_string(f, obj, name, buf);
    H5Fclose(f);
}

static void test_coords(const char *dir, wf_results *r, wf_results *ra, wf_results *rb,
                        const wf_scenario *const *list)
{
    char path[128], buf[512];
    double v[8];
    snprintf(path, sizeof path, "%s/coords.h5", dir);
    const char *names[2] = {"hospitals.city.beds", "x_2"};
    const double vals[4] = {60, 50, /* x_2: */ 0.5, NAN};
    wf_write_options wo;
    wf_write_options_init(&wo, sizeof wo);
    wo.n_coords = 2;
    wo.coord_names = names;
    wo.coord_values = vals;
    wf_status st = wf_results_write(r, list, 2, path, &wo);
    CHECKF(st == WF_OK, "%s", wf_results_error(r));
    for (int g = 0; g < 2; g++) {
        char var[64];
        snprintf(var, sizeof var, "%s%s", g ? "/summary/" : "/", names[0]);
        CHECK(read_coord(path, var, v, 8) == 2 && v[0] == 60 && v[1] == 50);
        snprintf(var, sizeof var, "%s%s", g ? "/summary/" : "/", names[1]);
        CHECK(read_coord(path, var, v, 8) == 2 && v[0] == 0.5 && isnan(v[1]));
        read_attr(path, var, "key", buf, sizeof buf);
        CHECKF(!strcmp(buf, "x_2"), "%s", buf);
        read_attr(path, g ? "/summary/delayed_bed_days" : "/delayed_bed_days", "coordinates", buf, sizeof buf);
        CHECKF(!strcmp(buf, "organisation_kind hospitals.city.beds x_2"), "%s", buf);
    }
    read_attr(path, "/hospitals.city.beds", "long_name", buf, sizeof buf);
    CHECKF(!strcmp(buf, "hospitals.city.beds"), "%s", buf);
    read_attr(path, "/", "winterflow_coordinates", buf, sizeof buf);
    CHECKF(!strcmp(buf, "hospitals.city.beds x_2"), "%s", buf);
    wf_results *back = wf_results_create();
    CHECKF(wf_results_read(back, path) == WF_OK, "%s", wf_results_error(back));
    CHECK(wf_results_n_scenarios(back) == 2);
    wf_results_destroy(back);
    unlink(path);

    /* Appending: the same names add their values; others are refused. */
    wo.n_coords = 1;
    double va = 60, vb = 50;
    wo.coord_values = &va;
    st = wf_results_append(ra, list, 1, path, &wo); /* creates */
    CHECKF(st == WF_OK, "%s", wf_results_error(ra));
    wo.coord_values = &vb;
    st = wf_results_append(rb, list + 1, 1, path, &wo);
    CHECKF(st == WF_OK, "%s", wf_results_error(rb));
    CHECK(read_coord(path, "/hospitals.city.beds", v, 8) == 2 && v[0] == 60 && v[1] == 50);
    CHECK(read_coord(path, "/summary/hospitals.city.beds", v, 8) == 2 && v[0] == 60 && v[1] == 50);
    size_t len0, len1;
    char *before = slurp(path, &len0);
    const char *other_names[1] = {"hospitals.city.cost"};
    wo.coord_names = other_names;
    st = wf_results_append(rb, list + 1, 1, path, &wo);
    CHECK(st == WF_EIO);
    CHECKF(strstr(wf_results_error(rb), "coordinates"), "%s", wf_results_error(rb));
    st = wf_results_append(rb, list + 1, 1, path, NULL); /* none: also refused */
    CHECK(st == WF_EIO);
    char *after = slurp(path, &len1);
    CHECK(before && after && len0 == len1 && memcmp(before, after, len0) == 0);
    free(before);
    free(after);
    CHECK(count_tmp() == 0);

    /* Names that netCDF or the layout would not take. */
    const char *bad[] = {"", "a b", "a/b", ".x", "scenario", "cost", "summary", "x\ty"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        wo.coord_names = &bad[i];
        st = wf_results_write(r, list, 2, path, &wo);
        CHECKF(st == WF_EINVAL, "name '%s'", bad[i]);
    }
    const char *twice[2] = {"k", "k"};
    wo.n_coords = 2;
    wo.coord_names = twice;
    wo.coord_values = vals;
    CHECK(wf_results_write(r, list, 2, path, &wo) == WF_EINVAL);
    wo.coord_values = NULL;
    CHECK(wf_results_write(r, list, 2, path, &wo) == WF_EINVAL);
    unlink(path);
    CHECK(count_tmp() == 0);
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
    wf_write_options wo;
    wf_write_options_init(&wo, sizeof wo);
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
    /* the file keeps each scenario's resolved YAML: loaded and run again
     * with the file's seed and replicates, it gives the same numbers */
    CHECK(wf_results_scenario_yaml(r, 1) == NULL);
    {
        const char *y = wf_results_scenario_yaml(back, 1);
        CHECK(y && strstr(y, "partnership:"));
        wf_scenario *again = wf_scenario_create();
        CHECKF(y && wf_scenario_load_string(again, y, "out.h5#1") == WF_OK, "%s", wf_scenario_error(again));
        wf_results *r2 = wf_results_create();
        wf_run_options o;
        wf_run_options_init(&o, sizeof o);
        o.seed = wf_results_seed(back);
        o.replicates = (int)wf_results_n_replicates(back);
        o.threads = 1;
        CHECK(wf_run(r2, (const wf_scenario *const[]){again}, 1, &o) == WF_OK);
        same_results(r2, back, 0, 1, 1);
        wf_results_destroy(r2);
        wf_scenario_destroy(again);
    }
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
    CHECK(st == WF_EIO);
    CHECKF(strstr(wf_results_error(rc), "seed"), "%s", wf_results_error(rc));
    after = slurp(other, &len1);
    CHECK(before && after && len0 == len1 && memcmp(before, after, len0) == 0);
    free(before);
    free(after);
    CHECK(count_tmp() == 0);

    test_coords(dir, r, ra, rb, list);

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
