/* Sweeps (wf_sweep_*): the points of a design run in chunks into one results
 * file; the file does not depend on the chunks or on who ran them (the
 * local driver, or tasks run and saved one by one as another driver would);
 * a stopped sweep keeps its saved chunks and continues; another sweep's
 * file is refused; every point is checked before anything runs. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "engine_util.h"

static char dir[] = "/tmp/wf_test_sweep_XXXXXX";

static const char *path_of(const char *name)
{
    static char p[4][300];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static wf_design *grid(void)
{
    wf_design *d = wf_design_create();
    CHECK(wf_design_vary(d, "hospitals.city.beds=44:66:11") == WF_OK);
    CHECK(wf_design_vary(d, "partnership.preset=fragmented,integrated") == WF_OK);
    CHECK(wf_design_validate(d) == WF_OK && wf_design_n_points(d) == 6);
    return d;
}

/* Every scenario of two results files, by name and summary values. */
static void same_results(const char *a, const char *b)
{
    wf_results *x = wf_results_create(), *y = wf_results_create();
    CHECK(wf_results_read(x, a) == WF_OK && wf_results_read(y, b) == WF_OK);
    size_t n = wf_results_n_scenarios(x);
    CHECKF(n == wf_results_n_scenarios(y), "%zu scenarios against %zu", n, wf_results_n_scenarios(y));
    size_t cells = wf_results_n_replicates(x) * wf_results_n_orgs(x);
    for (size_t s = 0; s < n && s < wf_results_n_scenarios(y); s++) {
        CHECK(!strcmp(wf_results_scenario_name(x, s), wf_results_scenario_name(y, s)));
        for (size_t m = 0; m < wf_metric_count(); m++)
            CHECK(!memcmp(wf_results_summary(x, s, m), wf_results_summary(y, s, m), cells * sizeof(double)));
    }
    wf_results_destroy(x);
    wf_results_destroy(y);
}

typedef struct {
    size_t chunks, points, last_done, last_total;
    size_t stop_after;  /* replicates: stop the sweep after this many (0: never) */
} counts;

static int on_chunk(void *user, const wf_results *r, size_t first)
{
    counts *c = user;
    CHECK(first == c->points);
    c->points += wf_results_n_scenarios(r);
    c->chunks++;
    return 0;
}

static int on_progress(void *user, size_t done, size_t total)
{
    counts *c = user;
    CHECK(done > c->last_done || done == 1);
    c->last_done = done;
    c->last_total = total;
    return c->stop_after && done > c->stop_after;
}

static wf_sweep *open_sweep(const wf_scenario *base, const wf_design *d, const char *path, size_t chunk,
                            int overwrite, counts *c, wf_status want)
{
    wf_sweep *sw = wf_sweep_create();
    wf_sweep_options o;
    CHECK(wf_sweep_options_init(&o, sizeof o) == WF_OK);
    o.replicates = 2;
    o.threads = 2;
    o.chunk = chunk;
    o.overwrite = overwrite;
    o.chunk_done = on_chunk;
    o.progress = on_progress;
    o.user = c;
    wf_status st = wf_sweep_open(sw, base, d, path, &o);
    CHECKF(st == want, "open %s: %d, want %d: %s", path, (int)st, (int)want, wf_sweep_error(sw));
    return sw;
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    wf_scenario *base = eu_file(WF_SOURCE_DIR "/tests/cli/tiny.yaml");
    eu_set(base, "run.days", "20");
    wf_design *d = grid();

    /* The local driver, in chunks of 4 then 2. */
    counts c = {0};
    wf_sweep *sw = open_sweep(base, d, path_of("a.h5"), 4, 0, &c, WF_OK);
    CHECK(wf_sweep_n_points(sw) == 6 && wf_sweep_n_saved(sw) == 0);
    CHECK(strstr(wf_sweep_point_name(sw, 0), "hospitals.city.beds=44, partnership.preset=fragmented #") != NULL);
    CHECK(wf_sweep_run(sw) == WF_OK && wf_sweep_n_saved(sw) == 6);
    CHECK(c.chunks == 2 && c.points == 6 && c.last_done == 12 && c.last_total == 12);
    CHECK(wf_sweep_run(sw) == WF_OK); /* nothing left to do */
    wf_sweep_destroy(sw);

    /* Tasks, as another driver would hand them out: run anywhere, saved in
     * point order; out of order is refused. */
    counts t = {0};
    sw = open_sweep(base, d, path_of("b.h5"), 0, 0, &t, WF_OK);
    wf_results *r1 = wf_results_create(), *r2 = wf_results_create();
    CHECK(wf_sweep_run_points(sw, 3, 3, r2) == WF_OK);
    CHECK(wf_sweep_run_points(sw, 0, 3, r1) == WF_OK);
    CHECK(wf_sweep_save(sw, 3, r2) == WF_EINVAL && strstr(wf_sweep_error(sw), "cannot be saved next"));
    CHECK(wf_sweep_save(sw, 0, r2) == WF_EINVAL && strstr(wf_sweep_error(sw), "where point 1 is"));
    CHECK(wf_sweep_save(sw, 0, r1) == WF_OK && wf_sweep_n_saved(sw) == 3);
    CHECK(wf_sweep_save(sw, 3, r2) == WF_OK && wf_sweep_n_saved(sw) == 6);
    CHECK(wf_sweep_run_points(sw, 4, 3, r1) == WF_EINVAL);
    wf_results_destroy(r1);
    wf_results_destroy(r2);
    wf_sweep_destroy(sw);
    same_results(path_of("a.h5"), path_of("b.h5"));

    /* Stopped in its second chunk: the first is saved; opened again, the
     * sweep reuses it (the chunk callback sees it first) and runs the rest. */
    counts s1 = {.stop_after = 5};
    sw = open_sweep(base, d, path_of("c.h5"), 2, 0, &s1, WF_OK);
    CHECK(wf_sweep_run(sw) == WF_ECANCELLED && wf_sweep_n_saved(sw) == 2);
    CHECK(strstr(wf_sweep_error(sw), "2 of 6 points are saved") != NULL);
    wf_sweep_destroy(sw);
    counts s2 = {0};
    sw = open_sweep(base, d, path_of("c.h5"), 0, 0, &s2, WF_OK);
    CHECK(wf_sweep_n_saved(sw) == 2 && s2.points == 2 && s2.chunks == 1);
    CHECK(wf_sweep_run(sw) == WF_OK && s2.points == 6);
    wf_sweep_destroy(sw);
    same_results(path_of("a.h5"), path_of("c.h5"));

    /* Another sweep's file: refused, unless overwritten. */
    wf_design *other = wf_design_create();
    CHECK(wf_design_vary(other, "hospitals.city.beds=50,60") == WF_OK && wf_design_validate(other) == WF_OK);
    counts o1 = {0};
    sw = open_sweep(base, other, path_of("c.h5"), 0, 0, &o1, WF_EIO);
    CHECK(strstr(wf_sweep_error(sw), "another sweep") != NULL);
    wf_sweep_destroy(sw);
    sw = open_sweep(base, other, path_of("c.h5"), 0, 1, &o1, WF_OK);
    CHECK(wf_sweep_n_saved(sw) == 0 && wf_sweep_run(sw) == WF_OK);
    wf_sweep_destroy(sw);
    wf_results *r = wf_results_create();
    CHECK(wf_results_read(r, path_of("c.h5")) == WF_OK && wf_results_n_scenarios(r) == 2);

    /* Parts of the sweep (wf_design_part), each swept into a file of its
     * own, read as one (wf_results_read_parts): the whole sweep's scenarios,
     * numbers and coordinates, in order. A file given twice, or another
     * sweep's file (other coordinates), is refused by name. */
    char part[3][300];
    const char *parts[3];
    for (size_t k = 0; k < 3; k++) {
        snprintf(part[k], sizeof part[k], "%s/part%zu.h5", dir, k + 1);
        parts[k] = part[k];
        wf_design *pd = grid();
        CHECK(wf_design_part(pd, k + 1, 3) == WF_OK);
        counts pc = {0};
        sw = open_sweep(base, pd, parts[k], 0, 0, &pc, WF_OK);
        CHECK(wf_sweep_run(sw) == WF_OK && wf_sweep_n_saved(sw) == 2);
        wf_sweep_destroy(sw);
        wf_design_destroy(pd);
    }
    wf_results *whole = wf_results_create(), *joined = wf_results_create();
    CHECK(wf_results_read(whole, path_of("a.h5")) == WF_OK);
    wf_status js = wf_results_read_parts(joined, parts, 3);
    CHECKF(js == WF_OK, "%s", wf_results_error(joined));
    size_t nw = wf_results_n_scenarios(whole);
    CHECKF(nw == 6 && wf_results_n_scenarios(joined) == nw && wf_results_n_coords(joined) == 1, "%zu %zu %zu", nw,
           wf_results_n_scenarios(joined), wf_results_n_coords(joined));
    size_t cells = wf_results_n_replicates(whole) * wf_results_n_orgs(whole), days = wf_results_n_days(whole);
    for (size_t i = 0; js == WF_OK && i < nw; i++) {
        CHECK(!strcmp(wf_results_scenario_name(whole, i), wf_results_scenario_name(joined, i)));
        CHECK(!strcmp(wf_results_scenario_yaml(whole, i), wf_results_scenario_yaml(joined, i)));
        for (size_t m = 0; m < wf_metric_count(); m++) {
            CHECK(!memcmp(wf_results_summary(whole, i, m), wf_results_summary(joined, i, m), cells * sizeof(double)));
            CHECK(!memcmp(wf_results_daily(whole, i, m), wf_results_daily(joined, i, m), days * cells * sizeof(double)));
        }
    }
    for (size_t k = 0; js == WF_OK && k < wf_results_n_coords(joined); k++) {
        CHECK(!strcmp(wf_results_coord_name(whole, k), wf_results_coord_name(joined, k)));
        CHECK(!memcmp(wf_results_coord_values(whole, k), wf_results_coord_values(joined, k), nw * sizeof(double)));
    }
    const char *rerun = wf_results_provenance(joined, "rerun");
    CHECK(rerun && strstr(rerun, "part1.h5") && strstr(rerun, "part3.h5"));
    const char *twice[2] = {parts[1], parts[1]};
    CHECK(wf_results_read_parts(joined, twice, 2) == WF_EINVAL && wf_results_n_scenarios(joined) == 0);
    CHECKF(strstr(wf_results_error(joined), "is also in") != NULL, "%s", wf_results_error(joined));
    /* another sweep of the same system: its points follow */
    const char *mixed[2] = {parts[0], path_of("c.h5")};
    CHECK(wf_results_read_parts(joined, mixed, 2) == WF_OK && wf_results_n_scenarios(joined) == 4);
    CHECK(!strcmp(wf_results_scenario_name(joined, 2), wf_results_scenario_name(r, 0)));
    /* a run of other days: refused */
    wf_scenario *longer = wf_scenario_clone(base);
    eu_set(longer, "run.days", "21");
    counts lc = {0};
    sw = open_sweep(longer, other, path_of("e.h5"), 0, 0, &lc, WF_OK);
    CHECK(wf_sweep_run(sw) == WF_OK);
    wf_sweep_destroy(sw);
    wf_scenario_destroy(longer);
    const char *other_days[2] = {parts[0], path_of("e.h5")};
    CHECK(wf_results_read_parts(joined, other_days, 2) == WF_EINVAL && wf_results_n_scenarios(joined) == 0);
    CHECKF(strstr(wf_results_error(joined), "e.h5: not a part of the same study as") &&
               strstr(wf_results_error(joined), ": 21 days from"),
           "%s", wf_results_error(joined));
    const char *missing[2] = {parts[0], path_of("none.h5")};
    CHECK(wf_results_read_parts(joined, missing, 2) == WF_EIO);
    CHECKF(strstr(wf_results_error(joined), "none.h5: cannot open") != NULL, "%s", wf_results_error(joined));
    CHECK(wf_results_read_parts(joined, NULL, 0) == WF_EINVAL);
    wf_results_destroy(whole);
    wf_results_destroy(joined);
    for (size_t k = 0; k < 3; k++) remove(parts[k]);
    wf_results_destroy(r);

    /* A point out of bounds: refused before anything runs or is written. */
    wf_design *bad = wf_design_create();
    CHECK(wf_design_vary(bad, "hospitals.city.beds=50,-3") == WF_OK && wf_design_validate(bad) == WF_OK);
    counts b = {0};
    sw = open_sweep(base, bad, path_of("d.h5"), 0, 0, &b, WF_ERANGE);
    CHECKF(strstr(wf_sweep_error(sw), "scenario 2 of the sweep (hospitals.city.beds=-3)") != NULL, "%s",
           wf_sweep_error(sw));
    CHECK(access(path_of("d.h5"), F_OK) != 0);
    wf_sweep_destroy(sw);
    /* not a results file */
    FILE *f = fopen(path_of("junk.h5"), "w");
    fputs("junk\n", f);
    fclose(f);
    sw = open_sweep(base, d, path_of("junk.h5"), 0, 0, &b, WF_EIO);
    CHECK(strstr(wf_sweep_error(sw), "not a results file") != NULL);
    wf_sweep_destroy(sw);

    wf_design_destroy(bad);
    wf_design_destroy(other);
    wf_design_destroy(d);
    wf_scenario_destroy(base);
    const char *files[] = {"a.h5", "b.h5", "c.h5", "e.h5", "junk.h5"};
    for (size_t i = 0; i < 5; i++) remove(path_of(files[i]));
    rmdir(dir);
    return CHECK_DONE();
}
