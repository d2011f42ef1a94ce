/* Setting up a system safely, through the public API: a new scenario from
 * the reference (wf_template), every problem at once and the warnings
 * (wf_scenario_keep_going), replace: in extends, admissions from the
 * population, and the metric calls the front-ends lead with (headline,
 * perspective, suggestion), with intervals that never go below zero. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "winterflow.h"

#define REF WF_SOURCE_DIR "/models/reference.yaml"

static size_t count(const wf_scenario *s, int want_warning, const char *frag) {
    size_t n = 0;
    for (size_t i = 0; i < wf_scenario_n_problems(s); i++) {
        int w = -1;
        const char *m = wf_scenario_problem(s, i, &w);
        if (w == want_warning && (!frag || strstr(m, frag))) n++;
    }
    return n;
}

static char *get(const wf_scenario *s, const char *key) {
    static char buf[4][256];
    static int k;
    char *v = wf_scenario_get(s, key);
    char *out = buf[k++ % 4];
    snprintf(out, 256, "%s", v ? v : "(null)");
    wf_free(v);
    return out;
}

static void test_template(void) {
    wf_template *t = wf_template_create();
    CHECK(wf_template_add(t, WF_ORG_HOSPITAL, "general", 900) == WF_OK);
    CHECK(wf_template_add(t, WF_ORG_HOSPITAL, "royal", NAN) == WF_OK);
    CHECK(wf_template_add(t, WF_ORG_LOCALITY, "town", 350000) == WF_OK);
    CHECK(wf_template_add(t, WF_ORG_LOCALITY, "town", 1) == WF_EKEY);            /* twice */
    CHECK(strstr(wf_template_error(t), "given twice"));
    CHECK(wf_template_add(t, WF_ORG_LOCALITY, "system", 1) == WF_EKEY);
    CHECK(wf_template_add(t, WF_ORG_LOCALITY, "a b", 1) == WF_EKEY);
    CHECK(wf_template_add(t, WF_ORG_LOCALITY, "neg", -1) == WF_ERANGE);
    CHECK(wf_template_add(t, WF_ORG_SYSTEM, "x", 1) == WF_EINVAL);
    CHECK(wf_template_add(t, WF_ORG_LOCALITY, "shire", NAN) == WF_OK);
    char *yaml = wf_template_yaml(t, "mine");
    CHECKF(yaml != NULL, "template: %s", wf_template_error(t));
    wf_scenario *s = wf_scenario_create(), *ref = wf_scenario_create();
    CHECK(wf_scenario_load_file(ref, REF) == WF_OK);
    if (yaml) {
        CHECK(strstr(yaml, "# mine: a winterflow scenario") == yaml);
        wf_scenario_keep_going(s, 1);
        CHECK(wf_scenario_load_string(s, yaml, "mine.yaml") == WF_OK);
        CHECK(wf_scenario_validate(s) == WF_OK);
        CHECKF(wf_scenario_n_problems(s) == 0, "%zu warnings, the first: %s", wf_scenario_n_problems(s),
               wf_scenario_problem(s, 0, NULL));
        /* the reference's parameters outside the organisations */
        const char *same[] = {"run.warmup_days", "patients.los.severe.mean_days", "services.care_home.match",
                              "costs.acute_bed_day", "calendar.bank_holidays", "partnership.preset"};
        for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
            CHECKF(!strcmp(get(s, same[i]), get(ref, same[i])), "%s: %s, reference %s", same[i],
                   get(s, same[i]), get(ref, same[i]));
        /* sizes: given, scaled, chosen */
        CHECK(!strcmp(get(s, "hospitals.general.beds"), "900"));
        CHECK(!strcmp(get(s, "localities.town.population"), "350000"));
        CHECK(!strcmp(get(s, "localities.shire.population"), "500000"));    /* the reference's mean */
        CHECK(!strcmp(get(s, "localities.town.care_home_beds"), "2800"));   /* 12000 x 350/1500 */
        CHECK(!strcmp(get(s, "localities.town.hospital_share.general"), "0.5"));
        CHECK(wf_scenario_org_count(s, WF_ORG_COMMUNITY) == 1 &&
              !strcmp(wf_scenario_org_name(s, WF_ORG_COMMUNITY, 0), "community"));
        /* admissions follow the population at the reference's rate */
        CHECK(fabs(atof(get(s, "localities.town.emergency_admissions_per_day")) -
                   350000 * 52.8 / 1000 / 365) < 1e-9);
    }
    wf_free(yaml);
    wf_scenario_destroy(s);
    wf_scenario_destroy(ref);
    wf_template_destroy(t);

    t = wf_template_create();
    CHECK(wf_template_add(t, WF_ORG_LOCALITY, "town", NAN) == WF_OK);
    CHECK(wf_template_yaml(t, "x") == NULL && strstr(wf_template_error(t), "at least one hospital"));
    CHECK(wf_template_read_csv(t, WF_SOURCE_DIR "/no/such.csv") == WF_EIO);
    wf_template_destroy(t);
}

static void test_keep_going(void) {
    const char *text =
        "name: many\n"
        "localities:\n"
        "  north: {population: 1e5, frailty_mix: {fit: 1.5}, hospital_share: {city: 1}}\n"
        "  south: {population: 1e5, hospital_share: {citty: 1}}\n"
        "hospitals:\n"
        "  city: {beds: -1, bedz: 2}\n"
        "community:\n"
        "  cc: {serves: [north, south]}\n";
    wf_scenario *s = wf_scenario_create();
    /* normally: the first problem only, nothing loaded */
    CHECK(wf_scenario_load_string(s, text, "many.yaml") == WF_ERANGE);
    CHECK(wf_scenario_n_problems(s) == 1 && count(s, 0, "fit: 1.5 is above") == 1);
    CHECK(wf_scenario_org_count(s, WF_ORG_HOSPITAL) == 0);
    /* keep going: every problem of the load, what loaded stays */
    wf_scenario_keep_going(s, 1);
    CHECK(wf_scenario_load_string(s, text, "many.yaml") == WF_ERANGE);
    CHECK(strstr(wf_scenario_error(s), "many.yaml:3:42: localities.north.frailty_mix.fit"));
    CHECKF(wf_scenario_n_problems(s) == 3, "%zu problems", wf_scenario_n_problems(s));
    CHECK(count(s, 0, "many.yaml:6:10: hospitals.city.beds: -1 is below the minimum 0") == 1);
    CHECK(count(s, 0, "hospitals.city.bedz: unknown key 'bedz'; did you mean 'beds'?") == 1);
    CHECK(wf_scenario_org_count(s, WF_ORG_HOSPITAL) == 1);
    /* validation: the reference to an unknown hospital; not the sums whose
     * keys were already reported */
    CHECK(wf_scenario_validate(s) == WF_EKEY);
    CHECK(wf_scenario_n_problems(s) == 1 && count(s, 0, "unknown hospital 'citty'; did you mean 'city'?") == 1);
    wf_scenario_destroy(s);

    /* YAML that does not parse stops at once, and leaves the scenario empty */
    s = wf_scenario_create();
    wf_scenario_keep_going(s, 1);
    CHECK(wf_scenario_load_string(s, "hospitals: {city: {beds: 3}\n", "broken") == WF_EPARSE);
    CHECK(wf_scenario_n_problems(s) == 1 && wf_scenario_org_count(s, WF_ORG_HOSPITAL) == 0);
    wf_scenario_destroy(s);
}

static void test_warnings(void) {
    wf_scenario *s = wf_scenario_create();
    wf_scenario_keep_going(s, 1);
    CHECK(wf_scenario_load_file(s, REF) == WF_OK);
    CHECK(wf_scenario_validate(s) == WF_OK && wf_scenario_n_problems(s) == 0);  /* none for the reference */
    /* a rate of a year in a day; a hospital nobody uses; a table default */
    CHECK(wf_scenario_set(s, "localities.west.emergency_admissions_per_day", "21900") == WF_OK);
    CHECK(wf_scenario_load_string(s, "hospitals: {spare: {beds: 10}}\n", "extra.yaml") == WF_OK);
    CHECK(wf_scenario_validate(s) == WF_OK);
    CHECK(count(s, 1, "--set localities.west.emergency_admissions_per_day=21900: "
                      "localities.west.emergency_admissions_per_day: 21900 emergency admissions a day is "
                      "19983.8 a year per 1,000 residents (population 400000)") == 1);
    CHECK(count(s, 1, "extra.yaml:1:13: hospitals.spare: no locality sends patients to this hospital") == 1);
    CHECK(count(s, 1, "hospitals.spare.escalation_beds: left at the table default 0; the reference's "
                      "hospitals (models/reference.yaml) have 50, 45") == 1);
    CHECK(count(s, 1, "hospitals.city.") == 0);  /* written by the reference: no warning */
    CHECK(count(s, 0, NULL) == 0);
    wf_scenario_destroy(s);
}

static void test_replace(void) {
    const char *text =
        "extends: " REF "\n"
        "replace: [hospitals]\n"
        "hospitals: {general: {beds: 2800}}\n"
        "localities:\n"
        "  north: {hospital_share: {general: 1}}\n"
        "  south: {hospital_share: {general: 1}}\n"
        "  west: {hospital_share: {general: 1}}\n";
    wf_scenario *s = wf_scenario_create();
    CHECK(wf_scenario_load_string(s, text, "mine.yaml") == WF_OK);
    CHECKF(wf_scenario_validate(s) == WF_OK, "%s", wf_scenario_error(s));
    CHECK(wf_scenario_org_count(s, WF_ORG_HOSPITAL) == 1);
    CHECK(wf_scenario_org_count(s, WF_ORG_LOCALITY) == 3);     /* kept, their city shares dropped */
    CHECK(!strcmp(get(s, "localities.south.population"), "500000"));
    CHECK(!strcmp(get(s, "localities.south.hospital_share.general"), "1"));
    /* a failed load with replace: leaves the scenario as it was */
    CHECK(wf_scenario_load_string(s, "extends: " REF "\nreplace: [localities]\nrun: {days: 0}\n", "x") == WF_ERANGE);
    CHECK(wf_scenario_org_count(s, WF_ORG_HOSPITAL) == 1 && wf_scenario_org_count(s, WF_ORG_LOCALITY) == 3);
    CHECK(wf_scenario_load_string(s, "replace: [hospitals]\n", "y") == WF_EKEY);
    CHECK(strstr(wf_scenario_error(s), "replace: only with extends:"));
    CHECK(wf_scenario_set(s, "replace", "[hospitals]") == WF_EKEY);
    wf_scenario_destroy(s);
}

static void test_metrics(void) {
    const char *head[] = {"delayed_bed_days", "nctr_patients_8am", "occupancy_8am", "waits_over_12h",
                          "elective_cancellations", "cost"};
    for (size_t i = 0; i < 6; i++)
        CHECK(wf_metric_headline(i) == wf_metric_find(head[i]));
    CHECK(wf_metric_headline(6) == WF_NOT_FOUND);
    size_t d = wf_metric_find("delayed_bed_days"), c = wf_metric_find("cost");
    CHECK(!strcmp(wf_metric_perspective(d, WF_ORG_HOSPITAL), "organisation"));
    CHECK(!strcmp(wf_metric_perspective(d, WF_ORG_LOCALITY), "home_council"));
    CHECK(!strcmp(wf_metric_perspective(d, WF_ORG_SYSTEM), "system"));
    CHECK(wf_metric_perspective(d, WF_ORG_VOLUNTARY) == NULL);
    CHECK(!strcmp(wf_metric_perspective(c, WF_ORG_LOCALITY), "organisation"));
    CHECK(wf_metric_perspective(wf_metric_count(), WF_ORG_HOSPITAL) == NULL);
    CHECK(!strcmp(wf_metric_suggest("delayed_beddays"), "delayed_bed_days"));
    CHECK(wf_metric_suggest("zzzzzzzzzzzz") == NULL);

    /* every summary is >= 0 (what the cut interval rests on), and the
     * interval of the mean never goes below 0 */
    wf_scenario *s = wf_scenario_create();
    CHECK(wf_scenario_load_file(s, WF_SOURCE_DIR "/tests/cli/tiny.yaml") == WF_OK);
    wf_results *r = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 4;
    o.threads = 1;
    CHECK(wf_run(r, (const wf_scenario *const[]){s}, 1, &o) == WF_OK);
    size_t cut = 0;
    for (size_t m = 0; m < wf_metric_count(); m++) {
        const double *x = wf_results_summary(r, 0, m);
        for (size_t i = 0; i < 4 * wf_results_n_orgs(r); i++)
            CHECKF(isnan(x[i]) || x[i] >= 0, "%s: %g", wf_metric_name(m), x[i]);
        for (size_t org = 0; org < wf_results_n_orgs(r); org++) {
            wf_stat st;
            CHECK(wf_results_stat(r, 0, m, org, &st) == WF_OK);
            if (st.n < 2) continue;
            CHECKF(st.lo >= 0, "%s: lo %g", wf_metric_name(m), st.lo);
            double half = st.hi - st.mean;
            if (st.mean - half < 0) cut++;
            else CHECK(fabs(st.lo - (st.mean - half)) <= 1e-9 * (1 + st.mean));
        }
    }
    CHECK(cut > 0);
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

int main(void) {
    test_template();
    test_keep_going();
    test_warnings();
    test_replace();
    test_metrics();
    return CHECK_DONE();
}
