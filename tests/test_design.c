/* Designs (wf_design_*): factors, grids, Latin hypercubes, explicit points,
 * CSV files read by libcsv (quoting, CRLF, a byte-order mark, NUL bytes,
 * open quotes, huge headers), the one labelling rule, and points applied to
 * a scenario. Sweeps are test_sweep.c. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "engine_util.h"

static char dir[] = "/tmp/wf_test_design_XXXXXX";

/* A file in the test's folder with `len` bytes of `text`. */
static const char *file(const char *name, const char *text, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    return path;
}

static wf_design *csv(const char *text, size_t len, wf_status want, const char *msg)
{
    wf_design *d = wf_design_create();
    const char *path = file("d.csv", text, len);
    wf_status st = wf_design_read_csv(d, path);
    if (st == WF_OK) st = wf_design_validate(d);
    CHECKF(st == want, "%s: status %d, want %d (%s)", msg ? msg : "csv", (int)st, (int)want, wf_design_error(d));
    if (msg) CHECKF(strstr(wf_design_error(d), msg) != NULL, "'%s' lacks '%s'", wf_design_error(d), msg);
    return d;
}

static void test_grid(void)
{
    wf_design *d = wf_design_create();
    CHECK(wf_design_vary(d, "hospitals.city.beds=40:60:10") == WF_OK);
    CHECK(wf_design_vary(d, "partnership.funding_panel_weekdays=[Tue, Thu],[]") == WF_OK);
    CHECK(wf_design_n_points(d) == 0); /* not validated yet */
    CHECK(wf_design_validate(d) == WF_OK);
    CHECK(wf_design_n_points(d) == 6 && wf_design_n_keys(d) == 2);
    const char *want[6][2] = {{"40", "[Tue, Thu]"}, {"40", "[]"}, {"50", "[Tue, Thu]"},
                              {"50", "[]"}, {"60", "[Tue, Thu]"}, {"60", "[]"}};
    for (size_t i = 0; i < 6; i++)
        for (size_t k = 0; k < 2; k++)
            CHECKF(!strcmp(wf_design_value(d, i, k), want[i][k]), "point %zu key %zu: %s", i, k,
                   wf_design_value(d, i, k));
    CHECK(!strcmp(wf_design_label(d, 1), "hospitals.city.beds=40, partnership.funding_panel_weekdays=[]"));
    CHECK(wf_design_numeric(d, 0) && !wf_design_numeric(d, 1));
    CHECK(!strcmp(wf_design_key(d, 1), "partnership.funding_panel_weekdays"));
    CHECK(wf_design_value(d, 6, 0) == NULL && wf_design_key(d, 2) == NULL);
    wf_design_destroy(d);

    /* one key: the value alone; repeats made unique */
    d = wf_design_create();
    const char *v[] = {"fragmented", "integrated", "fragmented"};
    CHECK(wf_design_add_values(d, "partnership.preset", v, 3) == WF_OK);
    CHECK(wf_design_validate(d) == WF_OK);
    CHECK(!strcmp(wf_design_label(d, 0), "fragmented") && !strcmp(wf_design_label(d, 1), "integrated"));
    CHECK(!strcmp(wf_design_label(d, 2), "fragmented #2"));
    wf_design_destroy(d);

    /* ranges from numbers: decimals as the numbers need */
    d = wf_design_create();
    CHECK(wf_design_add_range(d, "partnership.pooled_capacity", 0, 1, 0.25) == WF_OK);
    CHECK(wf_design_validate(d) == WF_OK && wf_design_n_points(d) == 5);
    CHECK(!strcmp(wf_design_value(d, 1, 0), "0.25") && !strcmp(wf_design_value(d, 4, 0), "1.00"));
    wf_design_destroy(d);
}

static void test_vary_errors(void)
{
    struct { const char *spec; wf_status st; const char *msg; } cases[] = {
        {"hospitals.city.beds", WF_EPARSE, "KEY=a,b,c"},
        {"=5", WF_EPARSE, "KEY=a,b,c"},
        {"hospitals.city.beds=", WF_EINVAL, "no values"},
        {"hospitals.city.beds=50,,60", WF_EINVAL, "empty value"},
        {"hospitals.city.beds=5:1:1", WF_EINVAL, "lo <= hi"},
        {"hospitals.city.beds=1:5:0", WF_EINVAL, "step must be positive"},
        {"hospitals.city.beds=1:a:1", WF_EPARSE, "not a range"},
        {"hospitals.city.beds=1:1000000:1", WF_EINVAL, "100000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wf_design *d = wf_design_create();
        wf_status st = wf_design_vary(d, cases[i].spec);
        CHECKF(st == cases[i].st && strstr(wf_design_error(d), cases[i].msg), "%s: %d %s", cases[i].spec, (int)st,
               wf_design_error(d));
        wf_design_destroy(d);
    }
    wf_design *d = wf_design_create();
    CHECK(wf_design_vary(d, "hospitals.city.beds=1,2") == WF_OK);
    CHECK(wf_design_vary(d, "hospitals.city.beds=3") == WF_EINVAL && strstr(wf_design_error(d), "twice"));
    CHECK(wf_design_vary(d, "partnership.pooled_capacity=0:1") == WF_OK);
    CHECK(wf_design_validate(d) == WF_EINVAL && strstr(wf_design_error(d), "no step"));
    CHECK(wf_design_vary(d, "localities.north.care_home_beds=1:1000:1") == WF_OK);
    CHECK(wf_design_vary(d, "partnership.trusted_assessor=true,false") == WF_OK);
    CHECK(wf_design_lhs(d, 30000, 1) == WF_OK); /* 30,000 x 2 x 2 points */
    CHECK(wf_design_validate(d) == WF_EINVAL && strstr(wf_design_error(d), "100000"));
    const char *k = "a", *v = "1";
    CHECK(wf_design_add_point(d, NULL, &k, &v, 1) == WF_EINVAL && strstr(wf_design_error(d), "not both"));
    wf_design_destroy(d);
    d = wf_design_create();
    CHECK(wf_design_vary(d, "hospitals.city.beds=1,2") == WF_OK);
    CHECK(wf_design_lhs(d, 4, 1) == WF_OK);
    CHECK(wf_design_validate(d) == WF_EINVAL && strstr(wf_design_error(d), "lo:hi"));
    wf_design_destroy(d);
    d = wf_design_create();
    CHECK(wf_design_validate(d) == WF_EINVAL && strstr(wf_design_error(d), "no points"));
    wf_design_destroy(d);
}

/* One point per stratum of each range, the same points for the same seed,
 * other points for another seed; integer keys rounded; crossed with lists. */
static void test_lhs(void)
{
    wf_design *a = wf_design_create(), *b = wf_design_create(), *c = wf_design_create();
    wf_design *ds[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        CHECK(wf_design_vary(ds[i], "hospitals.city.beds=40:80") == WF_OK);
        CHECK(wf_design_vary(ds[i], "partnership.pooled_capacity=0:1") == WF_OK);
        CHECK(wf_design_vary(ds[i], "partnership.preset=fragmented,integrated") == WF_OK);
        CHECK(wf_design_lhs(ds[i], 8, i == 2 ? 5 : 1) == WF_OK);
        CHECK(wf_design_validate(ds[i]) == WF_OK && wf_design_n_points(ds[i]) == 16);
    }
    int strata[8] = {0}, same = 1, differ = 0;
    for (size_t p = 0; p < 8; p++) { /* the samples vary fastest: points 0..7 share the first preset */
        const char *beds = wf_design_value(a, p, 0), *pool = wf_design_value(a, p, 1);
        CHECKF(strspn(beds, "0123456789") == strlen(beds), "beds %s not rounded", beds);
        double x = atof(pool);
        CHECK(x >= 0 && x < 1);
        strata[(int)(x * 8)]++;
        CHECK(!strcmp(wf_design_value(a, p, 2), "fragmented") && !strcmp(wf_design_value(a, p + 8, 2), "integrated"));
        CHECK(!strcmp(wf_design_value(a, p, 1), wf_design_value(a, p + 8, 1)));
        same &= !strcmp(pool, wf_design_value(b, p, 1));
        differ |= strcmp(pool, wf_design_value(c, p, 1)) != 0;
    }
    for (int s = 0; s < 8; s++) CHECKF(strata[s] == 1, "stratum %d used %d times", s, strata[s]);
    CHECK(same && differ);
    wf_design_destroy(a);
    wf_design_destroy(b);
    wf_design_destroy(c);
}

static void test_points(void)
{
    wf_design *d = wf_design_create();
    const char *k1[] = {"partnership.preset"}, *v1[] = {"integrated"};
    const char *k2[] = {"hospitals.city.beds", "partnership.preset"}, *v2[] = {"50", NULL};
    CHECK(wf_design_add_point(d, "weekly panel", NULL, NULL, 0) == WF_OK);
    CHECK(wf_design_add_point(d, NULL, k1, v1, 1) == WF_OK);
    CHECK(wf_design_add_point(d, NULL, k2, v2, 2) == WF_OK);
    CHECK(wf_design_add_point(d, NULL, NULL, NULL, 0) == WF_OK);
    CHECK(wf_design_vary(d, "a=1,2") == WF_EINVAL); /* points and factors do not mix */
    CHECK(wf_design_validate(d) == WF_OK && wf_design_n_points(d) == 4 && wf_design_n_keys(d) == 2);
    CHECK(!strcmp(wf_design_label(d, 0), "weekly panel"));
    CHECK(!strcmp(wf_design_label(d, 1), "partnership.preset=integrated"));
    CHECK(!strcmp(wf_design_label(d, 2), "hospitals.city.beds=50"));
    CHECK(!strcmp(wf_design_label(d, 3), "scenario 4"));
    CHECK(!strcmp(wf_design_key(d, 0), "partnership.preset")); /* keys in the order first seen */
    CHECK(!strcmp(wf_design_value(d, 1, 0), "integrated") && wf_design_value(d, 1, 1) == NULL);

    /* a point that fails leaves no key behind: one key, labels by value */
    wf_design *one = wf_design_create();
    const char *ka[] = {"a"}, *va[] = {"1"}, *kb[] = {"b", "b"}, *vb[] = {"2", "3"};
    CHECK(wf_design_add_point(one, NULL, ka, va, 1) == WF_OK);
    CHECK(wf_design_add_point(one, NULL, kb, vb, 2) == WF_EINVAL && strstr(wf_design_error(one), "twice"));
    CHECK(wf_design_validate(one) == WF_OK && wf_design_n_keys(one) == 1 && !strcmp(wf_design_label(one, 0), "1"));
    wf_design_destroy(one);

    /* applied to a scenario: values set, named by the label */
    wf_scenario *base = eu_file(WF_SOURCE_DIR "/tests/cli/tiny.yaml"), *s = NULL;
    CHECK(wf_design_scenario(d, 2, base, &s) == WF_OK && s);
    char *beds = wf_scenario_get(s, "hospitals.city.beds");
    CHECK(beds && !strcmp(beds, "50") && !strcmp(wf_scenario_name(s), "hospitals.city.beds=50"));
    wf_free(beds);
    wf_scenario_destroy(s);
    wf_design_destroy(d);

    /* a value the scenario refuses: the point and the key named */
    d = wf_design_create();
    CHECK(wf_design_vary(d, "hospitals.city.beds=50,-3") == WF_OK && wf_design_validate(d) == WF_OK);
    CHECK(wf_design_scenario(d, 1, base, &s) == WF_ERANGE && s == NULL);
    CHECKF(strstr(wf_design_error(d), "point 2 (hospitals.city.beds=-3)") &&
           strstr(wf_design_error(d), "hospitals.city.beds"), "%s", wf_design_error(d));
    wf_design_destroy(d);
    d = wf_design_create();
    CHECK(wf_design_vary(d, "hospitals.city.bedz=50") == WF_OK && wf_design_validate(d) == WF_OK);
    CHECK(wf_design_scenario(d, 0, base, &s) == WF_EKEY && strstr(wf_design_error(d), "bedz"));
    wf_design_destroy(d);
    wf_scenario_destroy(base);
}

static void test_csv(void)
{
    /* quoting, an empty cell, CRLF, a byte-order mark, blank lines */
    const char good[] = "\xEF\xBB\xBFhospitals.city.beds,partnership.funding_panel_weekdays\r\n"
                        "50,\"[Tue, Thu]\"\r\n\r\n60,\r\n  70 , \"[]\"\r\n";
    wf_design *d = csv(good, sizeof good - 1, WF_OK, NULL);
    CHECK(wf_design_n_points(d) == 3 && !strcmp(wf_design_key(d, 0), "hospitals.city.beds"));
    CHECK(!strcmp(wf_design_value(d, 0, 1), "[Tue, Thu]") && wf_design_value(d, 1, 1) == NULL);
    CHECK(!strcmp(wf_design_value(d, 2, 0), "70") && !strcmp(wf_design_value(d, 2, 1), "[]"));
    CHECK(!strcmp(wf_design_label(d, 1), "hospitals.city.beds=60"));
    wf_scenario *base = eu_file(WF_SOURCE_DIR "/tests/cli/tiny.yaml"), *s = NULL;
    wf_design_destroy(d);

    /* a value spanning lines, and a quote written "" */
    const char multi[] = "name,hospitals.city.beds\n\"a \"\"b\"\"\nc\",50\nx,60\n";
    d = csv(multi, sizeof multi - 1, WF_OK, NULL);
    CHECK(!strcmp(wf_design_value(d, 0, 0), "a \"b\"\nc") && !strcmp(wf_design_value(d, 1, 0), "x"));
    wf_design_destroy(d);

    /* errors, each located by line */
    d = csv("a,b\n1,2\n3\n", 10, WF_EPARSE, "line 3: 1 field where the header has 2");
    wf_design_destroy(d);
    d = csv("a,b\n1,\"2\n3,4\n", 13, WF_EPARSE, "line 2: a quoted field is not closed");
    wf_design_destroy(d);
    d = csv("a,b\n1,2\"x\n", 10, WF_EPARSE, "line 2: a quote in the middle of a field");
    wf_design_destroy(d);
    d = csv("a,b\n60\0,1\n", 10, WF_EPARSE, "line 2: a NUL byte");
    wf_design_destroy(d);
    d = csv("a,a\n1,2\n", 8, WF_EPARSE, "the key a is given twice");
    wf_design_destroy(d);
    d = csv("a,b=1\n1,2\n", 10, WF_EPARSE, "column 2: 'b=1' is not a key");
    wf_design_destroy(d);
    d = csv("a,b\n", 4, WF_EPARSE, "no rows after the header");
    wf_design_destroy(d);
    d = csv("", 0, WF_EPARSE, "line 1: empty");
    wf_design_destroy(d);
    /* 100,000 columns: refused at once */
    size_t n = 100000 * 7;
    char *wide = malloc(n + 2);
    size_t at = 0;
    for (int i = 0; i < 100000; i++) at += (size_t)sprintf(wide + at, "k%05d,", i);
    wide[at - 1] = '\n';
    d = csv(wide, at, WF_EPARSE, "line 1: 100000 columns, more than the 4096");
    wf_design_destroy(d);
    free(wide);
    /* a point of a CSV file that the scenario refuses names its line */
    d = csv("hospitals.city.beds\n50\n-3\n", 26, WF_OK, NULL);
    CHECK(wf_design_scenario(d, 1, base, &s) == WF_ERANGE);
    CHECKF(strstr(wf_design_error(d), "line 3 of ") != NULL, "%s", wf_design_error(d));
    wf_design_destroy(d);
    d = wf_design_create();
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.csv", dir);
    CHECK(wf_design_read_csv(d, missing) == WF_EIO && strstr(wf_design_error(d), "none.csv"));
    wf_design_destroy(d);
    wf_scenario_destroy(base);
}

/* wf_design_part: contiguous parts in order, sizes within one, every point
 * once with its label and values; a key numeric over the whole design stays
 * so in a part that holds none of its numbers' rivals; points numbered as in
 * the whole design in messages; bad parts refused. */
static void test_parts(void)
{
    wf_design *whole = wf_design_create();
    CHECK(wf_design_vary(whole, "hospitals.city.beds=40:110:10") == WF_OK); /* 8 points */
    CHECK(wf_design_validate(whole) == WF_OK && wf_design_n_points(whole) == 8);
    const size_t sizes[3] = {2, 3, 3};
    size_t at = 0;
    for (size_t k = 1; k <= 3; k++) {
        wf_design *d = wf_design_create();
        CHECK(wf_design_vary(d, "hospitals.city.beds=40:110:10") == WF_OK);
        CHECK(wf_design_validate(d) == WF_OK);
        CHECK(wf_design_part(d, k, 3) == WF_OK);
        CHECKF(wf_design_n_points(d) == sizes[k - 1], "part %zu: %zu points", k, wf_design_n_points(d));
        for (size_t i = 0; i < wf_design_n_points(d); i++, at++) {
            CHECK(!strcmp(wf_design_label(d, i), wf_design_label(whole, at)));
            CHECK(!strcmp(wf_design_value(d, i, 0), wf_design_value(whole, at, 0)));
        }
        CHECK(wf_design_numeric(d, 0));
        CHECK(wf_design_value(d, sizes[k - 1], 0) == NULL);
        wf_design_destroy(d);
    }
    CHECK(at == 8);

    /* numbered as in the whole design: part 2's first point is point 3 */
    wf_design *d = wf_design_create();
    CHECK(wf_design_vary(d, "no.such.key=1,2,3,4") == WF_OK);
    CHECK(wf_design_validate(d) == WF_OK && wf_design_part(d, 2, 2) == WF_OK);
    wf_scenario *base = wf_scenario_create();
    wf_scenario *s = NULL;
    CHECK(wf_scenario_load_file(base, "models/reference.yaml") == WF_OK);
    CHECK(wf_design_scenario(d, 0, base, &s) != WF_OK && s == NULL);
    CHECKF(strstr(wf_design_error(d), "point 3") != NULL, "%s", wf_design_error(d));
    wf_scenario_destroy(base);

    /* a whole design again when validated again */
    CHECK(wf_design_validate(d) == WF_OK && wf_design_n_points(d) == 4);
    CHECK(wf_design_part(d, 0, 2) == WF_EINVAL && strstr(wf_design_error(d), "part 0 of 2"));
    CHECK(wf_design_part(d, 3, 2) == WF_EINVAL);
    CHECK(wf_design_part(d, 1, 5) == WF_EINVAL && strstr(wf_design_error(d), "at most one part per point"));
    CHECK(wf_design_n_points(d) == 4);
    CHECK(wf_design_part(d, 4, 4) == WF_OK && wf_design_n_points(d) == 1 && !strcmp(wf_design_value(d, 0, 0), "4"));
    wf_design_destroy(d);
    d = wf_design_create();
    CHECK(wf_design_part(d, 1, 1) == WF_EINVAL && strstr(wf_design_error(d), "not validated"));
    wf_design_destroy(d);
    wf_design_destroy(whole);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_grid();
    test_vary_errors();
    test_lhs();
    test_points();
    test_csv();
    test_parts();
    char path[300];
    snprintf(path, sizeof path, "%s/d.csv", dir);
    remove(path);
    rmdir(dir);
    return CHECK_DONE();
}
