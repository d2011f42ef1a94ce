/* The params room: loading, layering (extends, presets, --set), the resolved
 * config's exact values, to_yaml round trips, clones, and the table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "params/internal.h"
#include "params/params.h"
#include "winterflow.h"

#define FIX WF_SOURCE_DIR "/tests/fixtures/"

static wf_config *build(wf_scenario *s) {
    wf_config *c = NULL;
    char err[1024];
    wf_status st = wf_config_build(s, &c, err, sizeof err);
    CHECKF(st == WF_OK && c, "build failed: %s", err);
    return c;
}

static wf_scenario *load(const char *path) {
    wf_scenario *s = wf_scenario_create();
    wf_status st = wf_scenario_load_file(s, path);
    CHECKF(st == WF_OK, "%s: %s", path, wf_scenario_error(s));
    return s;
}

static void check_dist(wf_dist d, wf_dist_kind k, double mean, double cv, const char *what) {
    CHECKF(d.kind == k, "%s: kind %d, want %d", what, (int)d.kind, (int)k);
    CHECKF(d.mean_days == mean, "%s: mean %g, want %g", what, d.mean_days, mean);
    CHECKF(d.cv == cv, "%s: cv %g, want %g", what, d.cv, cv);
}

/* Every field of two configs, exactly. */
static int same_dist(wf_dist a, wf_dist b) {
    return a.kind == b.kind && a.mean_days == b.mean_days && a.cv == b.cv;
}

static int same_config(const wf_config *a, const wf_config *b) {
    int ok = 1;
#define SAME(x) do { if (!(x)) { ok = 0; fprintf(stderr, "config differs: %s\n", #x); } } while (0)
    SAME(!strcmp(a->name, b->name));
    SAME(a->start_date == b->start_date && a->days == b->days && a->warmup_days == b->warmup_days);
    SAME(a->replicates == b->replicates && a->seed == b->seed);
    SAME(!memcmp(a->weekday_factor, b->weekday_factor, sizeof a->weekday_factor));
    SAME(a->winter_amplitude == b->winter_amplitude && a->winter_peak == b->winter_peak);
    SAME(a->n_outbreaks == b->n_outbreaks);
    for (int i = 0; ok && i < a->n_outbreaks; i++) {
        SAME(!strcmp(a->outbreaks[i].name, b->outbreaks[i].name));
        SAME(a->outbreaks[i].peak == b->outbreaks[i].peak);
        SAME(a->outbreaks[i].width_days == b->outbreaks[i].width_days);
        SAME(a->outbreaks[i].extra_per_day == b->outbreaks[i].extra_per_day);
    }
    SAME(a->n_bank_holidays == b->n_bank_holidays);
    for (int i = 0; ok && i < a->n_bank_holidays; i++) SAME(a->bank_holidays[i] == b->bank_holidays[i]);
    SAME(a->bank_holiday_factor == b->bank_holiday_factor && a->arrival_process == b->arrival_process);
    SAME(a->n_workforce == b->n_workforce);
    for (int i = 0; ok && i < a->n_workforce; i++) {
        const wf_workforce_period *p = &a->workforce[i], *q = &b->workforce[i];
        SAME(!strcmp(p->name, q->name) && p->services == q->services && p->org_kind == q->org_kind);
        SAME(p->org == q->org && p->start == q->start && p->end == q->end && p->factor == q->factor);
    }
    SAME(a->n_localities == b->n_localities && a->n_hospitals == b->n_hospitals);
    SAME(a->n_community == b->n_community && a->n_voluntary == b->n_voluntary);
    for (int i = 0; ok && i < a->n_localities; i++) {
        const wf_locality_cfg *l = &a->localities[i], *m = &b->localities[i];
        SAME(!strcmp(l->name, m->name) && l->population == m->population);
        SAME(l->admissions_per_day == m->admissions_per_day);
        SAME(!memcmp(l->frailty_mix, m->frailty_mix, sizeof l->frailty_mix));
        for (int h = 0; h < a->n_hospitals; h++) SAME(l->hospital_share[h] == m->hospital_share[h]);
        SAME(l->home_care_packages == m->home_care_packages && l->care_home_beds == m->care_home_beds);
        SAME(l->assessors_per_day == m->assessors_per_day);
        SAME(l->community_demand[WF_DEMAND_HOME_CARE] == m->community_demand[WF_DEMAND_HOME_CARE]);
        SAME(l->community_demand[WF_DEMAND_CARE_HOME] == m->community_demand[WF_DEMAND_CARE_HOME]);
        SAME(l->community == m->community && l->voluntary == m->voluntary);
    }
    for (int i = 0; ok && i < a->n_hospitals; i++) {
        const wf_hospital_cfg *h = &a->hospitals[i], *g = &b->hospitals[i];
        SAME(!strcmp(h->name, g->name) && h->beds == g->beds && h->escalation_beds == g->escalation_beds);
        SAME(h->escalation_threshold == g->escalation_threshold && h->ed_policy == g->ed_policy);
        SAME(h->electives_per_weekday == g->electives_per_weekday);
        SAME(h->elective_reserve_beds == g->elective_reserve_beds && h->elective_hour == g->elective_hour);
        SAME(h->discharge_open == g->discharge_open && h->discharge_close == g->discharge_close);
    }
    for (int i = 0; ok && i < a->n_community; i++) {
        const wf_community_cfg *h = &a->community[i], *g = &b->community[i];
        SAME(!strcmp(h->name, g->name) && h->intermediate_care_beds == g->intermediate_care_beds);
        SAME(h->virtual_ward_places == g->virtual_ward_places && h->bridging_places == g->bridging_places);
        SAME(h->n_serves == g->n_serves);
        for (int k = 0; ok && k < h->n_serves; k++) SAME(h->serves[k] == g->serves[k]);
    }
    for (int i = 0; ok && i < a->n_voluntary; i++) {
        const wf_voluntary_cfg *h = &a->voluntary[i], *g = &b->voluntary[i];
        SAME(!strcmp(h->name, g->name) && h->places == g->places && h->n_serves == g->n_serves);
        for (int k = 0; ok && k < h->n_serves; k++) SAME(h->serves[k] == g->serves[k]);
    }
    for (int f = 0; f < WF_NFRAILTY; f++) SAME(same_dist(a->los[f], b->los[f]));
    SAME(same_dist(a->elective_los, b->elective_los));
    SAME(!memcmp(a->pathway_need, b->pathway_need, sizeof a->pathway_need));
    SAME(a->escalation_per_delayed_day == b->escalation_per_delayed_day);
    SAME(a->readmission_per_delayed_day == b->readmission_per_delayed_day);
    SAME(!memcmp(a->readmission_30d, b->readmission_30d, sizeof a->readmission_30d));
    SAME(a->avoidance_min_frailty == b->avoidance_min_frailty);
    SAME(same_dist(a->reablement, b->reablement) && a->long_term_share == b->long_term_share);
    SAME(same_dist(a->long_term, b->long_term));
    SAME(a->home_care_initial_occupancy == b->home_care_initial_occupancy);
    SAME(same_dist(a->rehab, b->rehab) && !memcmp(a->onward, b->onward, sizeof a->onward));
    SAME(a->community_bed_initial_occupancy == b->community_bed_initial_occupancy);
    SAME(same_dist(a->care_home_stay, b->care_home_stay));
    SAME(a->care_home_initial_occupancy == b->care_home_initial_occupancy);
    SAME(same_dist(a->virtual_ward_stay, b->virtual_ward_stay));
    SAME(a->cost_acute_bed_day == b->cost_acute_bed_day && a->cost_community_bed_day == b->cost_community_bed_day);
    SAME(a->cost_home_care_day == b->cost_home_care_day && a->cost_care_home_day == b->cost_care_home_day);
    SAME(a->cost_virtual_ward_day == b->cost_virtual_ward_day);
    SAME(a->trusted_assessor == b->trusted_assessor && a->discharge_to_assess == b->discharge_to_assess);
    SAME(a->seven_day_working == b->seven_day_working && a->bridging == b->bridging);
    SAME(a->pooled_capacity == b->pooled_capacity && a->admission_avoidance == b->admission_avoidance);
    SAME(same_dist(a->referral_delay, b->referral_delay) && same_dist(a->assessment_delay, b->assessment_delay));
    SAME(a->funding_panel_weekdays == b->funding_panel_weekdays);
#undef SAME
    return ok;
}

static void test_model_example(void) {
    wf_scenario *s = load(FIX "model_example.yaml");
    CHECK(!strcmp(wf_scenario_name(s), "reference-ics"));
    wf_config *c = build(s);
    if (!c) goto out;
    CHECK(!strcmp(c->name, "reference-ics"));
    CHECK(c->start_date == 20362); /* 2025-10-01 */
    CHECK(wf_date_weekday(c->start_date) == 2); /* a Wednesday */
    CHECK(c->days == 182 && c->warmup_days == 56 && c->replicates == 20 && c->seed == 1);
    const double wk[7] = {1.08, 1.02, 1.00, 0.99, 1.02, 0.93, 0.96};
    for (int i = 0; i < 7; i++) CHECK(c->weekday_factor[i] == wk[i]);
    CHECK(c->winter_amplitude == 0.08);
    CHECK(c->winter_peak == 96); /* 2026-01-05 */
    CHECK(c->n_outbreaks == 1);
    if (c->n_outbreaks == 1) {
        CHECK(!strcmp(c->outbreaks[0].name, "flu"));
        CHECK(c->outbreaks[0].peak == 88 && c->outbreaks[0].width_days == 14);
        CHECK(c->outbreaks[0].extra_per_day == 40);
    }
    CHECK(c->n_bank_holidays == 3);
    if (c->n_bank_holidays == 3)
        CHECK(c->bank_holidays[0] == 85 && c->bank_holidays[1] == 86 && c->bank_holidays[2] == 92);
    CHECK(c->bank_holiday_factor == 0.8 && c->arrival_process == WF_ARRIVALS_POISSON);
    CHECK(c->n_workforce == 0 && c->workforce == NULL);

    CHECK(c->n_localities == 1 && c->n_hospitals == 1 && c->n_community == 1 && c->n_voluntary == 0);
    if (c->n_localities == 1 && c->n_hospitals == 1 && c->n_community == 1) {
        const wf_locality_cfg *l = &c->localities[0];
        CHECK(!strcmp(l->name, "north") && l->population == 600000 && l->admissions_per_day == 150);
        CHECK(l->frailty_mix[WF_FIT] == 0.55 && l->frailty_mix[WF_MILD] == 0.20);
        CHECK(l->frailty_mix[WF_MODERATE] == 0.15 && l->frailty_mix[WF_SEVERE] == 0.10);
        CHECK(l->hospital_share[0] == 1.0);
        CHECK(l->home_care_packages == 400 && l->care_home_beds == 900);
        CHECK(l->assessors_per_day == 12);
        CHECK(l->community_demand[WF_DEMAND_HOME_CARE] == 6 && l->community_demand[WF_DEMAND_CARE_HOME] == 2);
        CHECK(l->community == 0 && l->voluntary == -1);
        const wf_hospital_cfg *h = &c->hospitals[0];
        CHECK(!strcmp(h->name, "city") && h->beds == 1200 && h->escalation_beds == 60);
        CHECK(h->escalation_threshold == 0.95 && h->ed_policy == WF_ED_QUEUE);
        CHECK(h->electives_per_weekday == 40 && h->elective_reserve_beds == 10);
        CHECK(h->elective_hour == 8 && h->discharge_open == 8 && h->discharge_close == 20);
        const wf_community_cfg *m = &c->community[0];
        CHECK(!strcmp(m->name, "icb") && m->intermediate_care_beds == 150);
        CHECK(m->virtual_ward_places == 0 && m->bridging_places == 0);
        CHECK(m->n_serves == 1 && m->serves[0] == 0);
    }
    check_dist(c->los[WF_FIT], WF_DIST_LOGNORMAL, 3.0, 1.0, "los.fit");
    check_dist(c->los[WF_MILD], WF_DIST_LOGNORMAL, 5.0, 1.0, "los.mild");
    check_dist(c->los[WF_MODERATE], WF_DIST_LOGNORMAL, 7.0, 0.9, "los.moderate");
    check_dist(c->los[WF_SEVERE], WF_DIST_LOGNORMAL, 9.0, 0.9, "los.severe");
    check_dist(c->elective_los, WF_DIST_LOGNORMAL, 3.0, 0.9, "elective_los");
    const double need[4][4] = {{0.95, 0.04, 0.01, 0.00}, {0.80, 0.14, 0.04, 0.02},
                               {0.55, 0.28, 0.10, 0.07}, {0.35, 0.30, 0.17, 0.18}};
    for (int f = 0; f < 4; f++)
        for (int p = 0; p < 4; p++) CHECK(c->pathway_need[f][p] == need[f][p]);
    CHECK(c->escalation_per_delayed_day == 0.01 && c->readmission_per_delayed_day == 0.01);
    CHECK(c->readmission_30d[0] == 0.10 && c->readmission_30d[1] == 0.13);
    CHECK(c->readmission_30d[2] == 0.14 && c->readmission_30d[3] == 0.08);
    CHECK(c->avoidance_min_frailty == WF_MODERATE);
    check_dist(c->reablement, WF_DIST_LOGNORMAL, 42, 0.4, "reablement");
    CHECK(c->long_term_share == 0.4);
    check_dist(c->long_term, WF_DIST_EXPONENTIAL, 365, 0.5, "long_term"); /* cv: the table default, unused */
    CHECK(c->home_care_initial_occupancy == 0.90);
    check_dist(c->rehab, WF_DIST_LOGNORMAL, 21, 0.6, "rehab");
    CHECK(c->onward[0] == 0.60 && c->onward[1] == 0.30 && c->onward[2] == 0 && c->onward[3] == 0.10);
    CHECK(c->community_bed_initial_occupancy == 0.85);
    check_dist(c->care_home_stay, WF_DIST_EXPONENTIAL, 730, 0.5, "care_home.stay"); /* cv: likewise */
    CHECK(c->care_home_initial_occupancy == 0.93);
    check_dist(c->virtual_ward_stay, WF_DIST_LOGNORMAL, 5, 0.5, "virtual_ward.stay");
    CHECK(c->cost_acute_bed_day == 450 && c->cost_community_bed_day == 250);
    CHECK(c->cost_home_care_day == 60 && c->cost_care_home_day == 140 && c->cost_virtual_ward_day == 150);
    CHECK(!c->trusted_assessor && !c->discharge_to_assess && !c->seven_day_working && !c->bridging);
    CHECK(c->pooled_capacity == 0 && c->admission_avoidance == 0);
    check_dist(c->referral_delay, WF_DIST_EXPONENTIAL, 1.5, 1.0, "referral_delay");
    check_dist(c->assessment_delay, WF_DIST_LOGNORMAL, 2.0, 0.8, "assessment_delay");
    CHECK(c->funding_panel_weekdays == 1u << 1); /* Tue */
out:
    wf_config_free(c);
    wf_scenario_destroy(s);
}

static void test_extends(void) {
    wf_scenario *s = load(FIX "params_child.yaml");
    CHECK(!strcmp(wf_scenario_name(s), "child"));
    wf_config *c = build(s);
    if (c) {
        CHECK(c->days == 120 && c->seed == 7);           /* child overrides, base kept */
        CHECK(c->n_hospitals == 2 && c->n_localities == 2);
        if (c->n_hospitals == 2 && c->n_localities == 2) {
            CHECK(!strcmp(c->hospitals[0].name, "city") && !strcmp(c->hospitals[1].name, "town"));
            CHECK(c->hospitals[0].beds == 550 && c->hospitals[0].escalation_beds == 20);
            CHECK(c->hospitals[1].beds == 200 && c->hospitals[1].escalation_beds == 0);
            CHECK(c->localities[0].admissions_per_day == 80);      /* from the base */
            /* table defaults: the population's share of the reference rate */
            CHECK(fabs(c->localities[1].admissions_per_day - 600000 * 52.8 / 1000 / 365) < 1e-9);
            CHECK(c->localities[0].hospital_share[0] == 0.75 && c->localities[0].hospital_share[1] == 0.25);
            CHECK(c->localities[1].hospital_share[0] == 0 && c->localities[1].hospital_share[1] == 1);
            CHECK(c->localities[0].community == 0 && c->localities[1].community == 0);
            CHECK(c->community[0].intermediate_care_beds == 40 && c->community[0].n_serves == 2);
        }
        /* partial distribution block over the base: kind and cv kept */
        check_dist(c->los[WF_FIT], WF_DIST_GAMMA, 3.5, 0.7, "child los.fit");
        /* integrated preset, but pooled_capacity given explicitly in the base */
        CHECK(c->trusted_assessor && c->seven_day_working && c->bridging);
        CHECK(c->pooled_capacity == 0.1);
        CHECK(c->admission_avoidance == 0.3 && c->funding_panel_weekdays == 0);
        check_dist(c->referral_delay, WF_DIST_EXPONENTIAL, 0.25, 1.0, "integrated referral");
    }
    wf_config_free(c);
    /* --set after the files wins */
    CHECK(wf_scenario_set(s, "hospitals.town.beds", "210") == WF_OK);
    CHECK(wf_scenario_set(s, "run", "{days: 30, replicates: 3}") == WF_OK);
    c = build(s);
    if (c) CHECK(c->hospitals[1].beds == 210 && c->days == 30 && c->replicates == 3 && c->seed == 7);
    wf_config_free(c);
    wf_scenario_destroy(s);
}

static void test_presets(void) {
    wf_scenario *s = wf_scenario_create();
    CHECK(wf_scenario_load_string(s, "partnership: {preset: fragmented, pooled_capacity: 0.2}\n"
                                     "patients: {pathway_need: {fit: {p0: 0.99, p1: 0.01, p2: 0, p3: 0},"
                                     " mild: {p2: 0, p0: 0.785}, moderate: {p2: 0, p0: 0.705},"
                                     " severe: {p2: 0, p0: 0.62}}}\n", "<p>") == WF_OK);
    wf_config *c = build(s);
    if (c) {
        CHECK(!c->trusted_assessor && c->funding_panel_weekdays == 18u && c->pooled_capacity == 0.2); /* Tue, Fri */
        CHECK(c->pathway_need[WF_SEVERE][0] == 0.62);
    }
    wf_config_free(c);
    CHECK(wf_scenario_set(s, "partnership.preset", "integrated") == WF_OK);
    c = build(s);
    if (c) {
        CHECK(c->trusted_assessor && c->discharge_to_assess && c->seven_day_working && c->bridging);
        CHECK(c->funding_panel_weekdays == 0 && c->admission_avoidance == 0.3);
        CHECK(c->pooled_capacity == 0.2); /* explicit beats the preset */
        check_dist(c->referral_delay, WF_DIST_EXPONENTIAL, 0.25, 1.0, "referral");
        check_dist(c->assessment_delay, WF_DIST_LOGNORMAL, 0.75, 0.8, "assessment"); /* the table default */
    }
    wf_config_free(c);
    /* a preset lever set explicitly */
    CHECK(wf_scenario_set(s, "partnership.funding_panel_weekdays", "[Mon, Fri]") == WF_OK);
    CHECK(wf_scenario_set(s, "partnership.referral_delay.mean_days", "0.5") == WF_OK);
    c = build(s);
    if (c) {
        CHECK(c->funding_panel_weekdays == (1u | 1u << 4));
        check_dist(c->referral_delay, WF_DIST_EXPONENTIAL, 0.5, 1.0, "referral set");
    }
    wf_config_free(c);
    /* and back */
    CHECK(wf_scenario_set(s, "partnership.preset", "fragmented") == WF_OK);
    c = build(s);
    if (c) {
        CHECK(!c->trusted_assessor && !c->bridging && c->admission_avoidance == 0);
        CHECK(c->funding_panel_weekdays == (1u | 1u << 4));
    }
    wf_config_free(c);
    wf_scenario_destroy(s);
}

static void test_partial_dist(void) {
    wf_scenario *s = wf_scenario_create();
    CHECK(wf_scenario_set(s, "patients.los.fit", "{mean_days: 4}") == WF_OK);
    wf_config *c = build(s);
    if (c) check_dist(c->los[WF_FIT], WF_DIST_LOGNORMAL, 4, 2.2, "partial fit");
    wf_config_free(c);
    CHECK(wf_scenario_set(s, "patients.los.fit", "{distribution: fixed, mean_days: 2}") == WF_OK);
    CHECK(wf_scenario_set(s, "services.care_home.stay.distribution", "weibull") == WF_OK);
    CHECK(wf_scenario_set(s, "services.care_home.stay.cv", "0.5") == WF_OK);
    c = build(s);
    if (c) {
        check_dist(c->los[WF_FIT], WF_DIST_FIXED, 2, 2.2, "fixed fit");
        check_dist(c->care_home_stay, WF_DIST_WEIBULL, 730, 0.5, "care home weibull");
        check_dist(c->los[WF_MILD], WF_DIST_LOGNORMAL, 8, 2.1, "mild untouched");
    }
    wf_config_free(c);
    wf_scenario_destroy(s);
}

static const char *rich =
    "name: \"rich: 'quoted' name\"\n"
    "run: {start_date: 2024-11-15, seed: 9007199254740992}\n"
    "calendar:\n"
    "  outbreaks:\n"
    "    - {name: flu, peak: 2024-12-28, width_days: 10.5, extra_admissions_per_day: 33.3}\n"
    "    - {name: noro, peak: 2025-02-01, width_days: 7, extra_admissions_per_day: 0.1}\n"
    "  bank_holidays: [2025-01-01, 2024-12-25, 2024-12-26]\n"
    "  arrival_process: regular\n"
    "  workforce:\n"
    "    - {name: sickness, services: [beds], organisation: city, start: 2024-12-20, end: 2025-01-10, factor: 0.9}\n"
    "    - {name: all, services: [home_care, care_home, assessors], start: 2024-12-01, end: 2024-12-02, factor: 1.1}\n"
    "    - {name: icb, services: [community_bed, virtual_ward], organisation: icb, start: 2025-01-01, end: 2025-03-01, factor: 0}\n"
    "hospitals:\n"
    "  city: {beds: 300, ed_policy: divert, discharge_hours: [0, 24]}\n"
    "  town: {beds: 100, elective_hour: 9.5}\n"
    "localities:\n"
    "  north: {hospital_share: {city: 0.3, town: 0.7}, assessors_per_day: 2.5,\n"
    "          frailty_mix: {fit: 0.1, mild: 0.2, moderate: 0.3, severe: 0.4}}\n"
    "  south: {hospital_share: {city: 1}}\n"
    "community:\n"
    "  icb: {serves: [south, north], virtual_ward_places: 12}\n"
    "voluntary:\n"
    "  helpers: {places: 5, serves: [north]}\n"
    "patients: {avoidance_min_frailty: severe, los: {severe: {distribution: gamma, cv: 0.33333333333333331}}}\n"
    "partnership: {preset: integrated, funding_panel_weekdays: [Sun, Mon]}\n";

static void test_round_trip(void) {
    const char *files[] = {FIX "model_example.yaml", FIX "params_child.yaml", NULL};
    for (int i = 0; i < 3; i++) {
        wf_scenario *s = wf_scenario_create();
        wf_status st = files[i] ? wf_scenario_load_file(s, files[i])
                                : wf_scenario_load_string(s, rich, "<rich>");
        CHECKF(st == WF_OK, "%s", wf_scenario_error(s));
        char *y = wf_scenario_to_yaml(s);
        CHECKF(y != NULL, "%s", wf_scenario_error(s));
        wf_scenario *t = wf_scenario_create();
        if (y) {
            st = wf_scenario_load_string(t, y, "<to_yaml>");
            CHECKF(st == WF_OK, "reload: %s\n%s", wf_scenario_error(t), y);
        }
        wf_config *a = build(s), *b = build(t);
        if (a && b) CHECKF(same_config(a, b), "round trip %d differs", i);
        /* and the text is a fixed point */
        char *y2 = wf_scenario_to_yaml(t);
        CHECK(y && y2 && !strcmp(y, y2));
        if (i == 2 && a) {
            CHECK(a->seed == 9007199254740992ULL && a->arrival_process == WF_ARRIVALS_REGULAR);
            CHECK(a->n_workforce == 3 && a->n_voluntary == 1 && a->localities[0].voluntary == 0);
            if (a->n_workforce == 3) {
                CHECK(a->workforce[0].org_kind == 0 && a->workforce[0].org == 0);
                CHECK(a->workforce[0].services == 1u << WF_SVC_BEDS);
                CHECK(a->workforce[0].start == 35 && a->workforce[0].end == 56);
                CHECK(a->workforce[1].org_kind == -1 && a->workforce[1].org == -1);
                CHECK(a->workforce[1].services == (1u << WF_SVC_HOME_CARE | 1u << WF_SVC_CARE_HOME | 1u << WF_SVC_ASSESSORS));
                CHECK(a->workforce[2].org_kind == 2 && a->workforce[2].factor == 0);
            }
            CHECK(a->n_bank_holidays == 3 && a->bank_holidays[0] == 40 && a->bank_holidays[2] == 47);
            CHECK(a->funding_panel_weekdays == (1u | 1u << 6));
            CHECK(a->localities[0].community == 0 && a->localities[1].community == 0);
            CHECK(a->community[0].serves[0] == 1 && a->community[0].serves[1] == 0);
            CHECK(a->localities[1].assessors_per_day == -1 && a->localities[0].assessors_per_day == 2.5);
            CHECK(a->hospitals[0].ed_policy == WF_ED_DIVERT && a->hospitals[0].discharge_close == 24);
            CHECK(!strcmp(a->name, "rich: 'quoted' name"));
        }
        wf_config_free(a);
        wf_config_free(b);
        wf_free(y);
        wf_free(y2);
        wf_scenario_destroy(t);
        wf_scenario_destroy(s);
    }
}

static void test_clone(void) {
    wf_scenario *s = load(FIX "model_example.yaml");
    wf_scenario *c = wf_scenario_clone(s);
    CHECK(c != NULL);
    CHECK(wf_scenario_set(c, "hospitals.city.beds", "10") == WF_OK);
    CHECK(wf_scenario_load_string(c, "hospitals: {extra: {beds: 5}}\nname: copy\n", "<c>") == WF_OK);
    wf_config *a = build(s), *b = build(c);
    if (a && b) {
        CHECK(a->hospitals[0].beds == 1200 && b->hospitals[0].beds == 10);
        CHECK(a->n_hospitals == 1 && b->n_hospitals == 2);
        CHECK(!strcmp(a->name, "reference-ics") && !strcmp(b->name, "copy"));
    }
    CHECK(!strcmp(wf_scenario_name(s), "reference-ics"));
    wf_config_free(a);
    wf_config_free(b);
    wf_scenario_destroy(s);
    wf_scenario_destroy(c); /* the clone outlives nothing of the original */
}

static void expect_set_fail(wf_scenario *s, const char *key, const char *value, wf_status want,
                            const char *frag) {
    char *before = wf_scenario_to_yaml(s);
    wf_status st = wf_scenario_set(s, key, value);
    CHECKF(st == want, "set %s=%s: status %d, want %d (%s)", key, value, (int)st, (int)want,
           wf_scenario_error(s));
    CHECKF(strstr(wf_scenario_error(s), frag) != NULL, "set %s=%s: '%s' lacks '%s'", key, value,
           wf_scenario_error(s), frag);
    CHECKF(strstr(wf_scenario_error(s), "--set ") == wf_scenario_error(s) ||
               strstr(wf_scenario_error(s), "--set ") != NULL, "no --set origin: %s",
           wf_scenario_error(s));
    char *after = wf_scenario_to_yaml(s);
    CHECKF(before && after && !strcmp(before, after), "failed set %s changed the scenario", key);
    wf_free(before);
    wf_free(after);
}

static void test_bad_set(void) {
    wf_scenario *s = load(FIX "model_example.yaml");
    expect_set_fail(s, "hospitals.citty.beds", "900", WF_EKEY, "unknown hospital 'citty'; did you mean 'city'?");
    expect_set_fail(s, "hospitals.city.bedz", "900", WF_EKEY, "did you mean 'beds'?");
    expect_set_fail(s, "hospitals.city.beds", "-3", WF_ERANGE, "--set hospitals.city.beds=-3: hospitals.city.beds: -3 is below the minimum 0");
    expect_set_fail(s, "hospitals.city.beds", "lots", WF_ETYPE, "expected a whole number");
    expect_set_fail(s, "hospitals.city.beds", "900.5", WF_ETYPE,
                    "expected a whole number, got '900.5' (it has a fraction");
    expect_set_fail(s, "hospitals.city.beds", "900.", WF_ETYPE, "expected a whole number, got '900.'");
    expect_set_fail(s, "hospitals.city.beds", "9e2", WF_ETYPE, "expected a whole number, got '9e2'");
    expect_set_fail(s, "hospitals.city.beds", "[1, 2", WF_EPARSE, "YAML syntax error");
    expect_set_fail(s, "hospitals.city", "{beds: 10, bedz: 3}", WF_EKEY, "hospitals.city.bedz");
    expect_set_fail(s, "hospitals.newh.beds", "3", WF_EKEY, "unknown hospital 'newh'");
    expect_set_fail(s, "partnership.preset", "joined-up", WF_EPARSE, "not one of fragmented|integrated");
    expect_set_fail(s, "partnership.funding_panel_weekdays", "[Mon, Wedn]", WF_EPARSE, "did you mean 'Wed'?");
    expect_set_fail(s, "calendar.weekday_factor", "[1, 1, 1]", WF_ERANGE, "exactly 7");
    expect_set_fail(s, "extends", "other.yaml", WF_EKEY, "only be given in a file");
    expect_set_fail(s, "localities.north.hospital_share.town", "0.5", WF_EKEY, "unknown hospital 'town'");
    expect_set_fail(s, "patients.los.fit.cv", "0", WF_ERANGE, "must be greater than 0");
    expect_set_fail(s, "services.community_bed.onward.p2", "0.1", WF_EKEY, "unknown key 'p2'");
    expect_set_fail(s, "hospitals..beds", "1", WF_EKEY, "not a key path");
    /* a set that passes alone but breaks a sum is caught by validate, naming the set */
    CHECK(wf_scenario_set(s, "localities.north.frailty_mix.fit", "0.5") == WF_OK);
    CHECK(wf_scenario_validate(s) == WF_ERANGE);
    CHECK(strstr(wf_scenario_error(s), "--set localities.north.frailty_mix.fit=0.5: "
                                       "localities.north.frailty_mix: shares sum to 0.95") != NULL);
    CHECK(wf_scenario_to_yaml(s) == NULL);
    wf_scenario_destroy(s);
}

static void test_failed_load_keeps_scenario(void) {
    wf_scenario *s = load(FIX "model_example.yaml");
    char *before = wf_scenario_to_yaml(s);
    /* declares a hospital and sets keys before failing */
    wf_status st = wf_scenario_load_string(s, "hospitals:\n  extra: {beds: 4}\n  city: {beds: -1}\n", "<bad>");
    CHECK(st == WF_ERANGE);
    CHECK(strstr(wf_scenario_error(s), "<bad>:3:10: hospitals.city.beds: -1 is below the minimum 0") != NULL);
    char *after = wf_scenario_to_yaml(s);
    CHECK(before && after && !strcmp(before, after));
    wf_free(before);
    wf_free(after);
    CHECK(wf_scenario_load_file(s, FIX "no_such_file.yaml") == WF_EIO);
    CHECK(strstr(wf_scenario_error(s), "cannot read '") && strstr(wf_scenario_error(s), "No such file or directory"));
    wf_scenario_destroy(s);
}

static void test_orgs(void) {
    /* an empty scenario resolves (defaults, no organisations: to_yaml and
     * get work) but does not validate: a run needs a hospital and a
     * locality, and validation makes every check a run makes */
    wf_scenario *s = wf_scenario_create();
    CHECK(!strcmp(wf_scenario_name(s), "") && !strcmp(wf_scenario_error(s), ""));
    CHECK(wf_scenario_validate(s) == WF_EKEY);
    CHECK(strstr(wf_scenario_error(s), "at least one hospital and one locality") != NULL);
    wf_scenario *h = wf_scenario_create();
    CHECK(wf_scenario_load_string(h, "hospitals: {a: {}}\n", "<h>") == WF_OK);
    CHECK(wf_scenario_validate(h) == WF_EKEY && strstr(wf_scenario_error(h), "localities: 0"));
    wf_scenario_destroy(h);
    wf_config *c = build(s);
    if (c) CHECK(c->n_hospitals == 0 && c->days == 182 && !strcmp(c->name, ""));
    wf_config_free(c);
    /* two hospitals: a locality must say where its patients go */
    CHECK(wf_scenario_load_string(s, "hospitals: {a: {}, b: }\nlocalities: {x: }\ncommunity: {c: {serves: [x]}}\n", "<o>") == WF_OK);
    CHECK(wf_scenario_validate(s) == WF_EKEY);
    CHECK(strstr(wf_scenario_error(s), "<o>:2:14: localities.x.hospital_share: missing") != NULL);
    CHECK(wf_scenario_set(s, "localities.x.hospital_share", "{a: 0.5, b: 0.5}") == WF_OK);
    CHECK(wf_scenario_validate(s) == WF_OK);
    /* names are unique across kinds */
    CHECK(wf_scenario_load_string(s, "community: {a: {}}\n", "<dup>") == WF_EKEY);
    CHECK(strstr(wf_scenario_error(s), "'a' is already a hospital") != NULL);
    /* a workforce period naming a locality for a hospital service */
    CHECK(wf_scenario_set(s, "calendar.workforce",
                          "[{name: w, services: [beds], organisation: x, start: 2025-12-01, end: 2025-12-05, factor: 0.5}]") == WF_OK);
    CHECK(wf_scenario_validate(s) == WF_EKEY);
    CHECK(strstr(wf_scenario_error(s), "service 'beds' is not provided by locality 'x'") != NULL);
    wf_scenario_destroy(s);
}

static void test_table(void) {
    size_t n = wf_param_count();
    CHECK(n > 100);
    CHECK(wf_param_at(n) == NULL);
    for (size_t i = 0; i < n; i++) {
        const wf_param_info *p = wf_param_at(i);
        CHECK(p && p->key && p->type && p->unit && p->doc && *p->doc);
        for (size_t j = 0; j < i; j++) CHECKF(strcmp(p->key, wf_param_at(j)->key), "duplicate %s", p->key);
        CHECK(wf_param_find(p->key) == p);
        if (!isnan(p->min) && !isnan(p->max)) CHECKF(p->min <= p->max, "%s bounds", p->key);
        CHECKF(!p->choices || strchr(p->choices, '|'), "%s choices", p->key);
        if (!p->def) continue;
        /* the default parses and lies within the row's bounds */
        const wf_row *r = (const wf_row *)p;
        wf_node *v = NULL;
        char err[512];
        CHECKF(wf_yaml_parse(p->def, strlen(p->def), p->key, true, &v, err, sizeof err) == WF_OK, "%s", err);
        if (r->bind != WF_B_ITEM && v) {
            wf_apply a = {.cfg = NULL, .org = {-1, -1}, .key = p->key, .src = "(default)", .err = err, .errlen = sizeof err};
            CHECKF(wf_value_apply(r, v, &a) == WF_OK, "default of %s: %s", p->key, err);
        }
        wf_node_free(v);
    }
    CHECK(wf_param_find("hospitals.<hospital>.beds") != NULL);
    CHECK(wf_param_find("hospitals.city.beds") == NULL);
    const wf_param_info *b = wf_param_find("hospitals.<hospital>.beds");
    CHECK(b && !strcmp(b->def, "1200") && b->min == 0 && b->max == 100000 && !strcmp(b->type, "int"));
    const wf_param_info *e = wf_param_find("hospitals.<hospital>.ed_policy");
    CHECK(e && !strcmp(e->choices, "queue|divert"));
    CHECK(strcmp(wf_status_str(WF_EKEY), wf_status_str(WF_ERANGE)) != 0 && *wf_status_str(WF_OK));
    /* dates */
    int32_t d;
    CHECK(wf_date_parse("2024-02-29", &d) && !wf_date_parse("2025-02-29", &d));
    CHECK(!wf_date_parse("2025-1-01", &d) && !wf_date_parse("2025-13-01", &d));
    CHECK(wf_date_parse("1970-01-01", &d) && d == 0 && wf_date_weekday(0) == 3);
}

/* wf_scenario_get: one resolved value, presets and overrides applied. */
/* Bounded work: every number in the table has an upper bound (docs/faults.md),
 * which validation enforces, and a list has at most WF_MAX_LIST items. */
static void test_upper_bounds(void) {
    for (size_t i = 0; i < wf_param_count(); i++) {
        const wf_param_info *p = wf_param_at(i);
        int numeric = !strcmp(p->type, "int") || !strcmp(p->type, "real") || !strcmp(p->type, "list<real>");
        if (numeric) CHECKF(!isnan(p->max) && isfinite(p->max), "%s has no upper bound", p->key);
    }
    static const struct { const char *key, *over, *max; } cases[] = {
        {"hospitals.h.beds", "100001", "100000"},
        {"localities.l.emergency_admissions_per_day", "1e308", "100000"},
        {"localities.l.home_care_packages", "2147483647", "1000000"},
        {"localities.l.care_home_beds", "1000001", "1000000"},
        {"community.c.intermediate_care_beds", "2147483647", "100000"},
        {"hospitals.h.electives_per_weekday", "2147483647", "100000"},
        {"patients.los.fit.mean_days", "1e300", "36500"},
        {"costs.acute_bed_day", "1e300", "1000000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wf_scenario *s = wf_scenario_create();
        CHECK(wf_scenario_load_string(s, "hospitals: {h: {beds: 10}}\nlocalities: {l: {}}\n"
                                         "community: {c: {serves: [l]}}\n", "<b>") == WF_OK);
        CHECKF(wf_scenario_set(s, cases[i].key, cases[i].over) == WF_ERANGE, "%s=%s", cases[i].key, cases[i].over);
        CHECKF(strstr(wf_scenario_error(s), "above the maximum") && strstr(wf_scenario_error(s), cases[i].max),
               "%s", wf_scenario_error(s));
        CHECK(wf_scenario_set(s, cases[i].key, cases[i].max) == WF_OK);
        CHECKF(wf_scenario_validate(s) == WF_OK, "%s", wf_scenario_error(s));
        wf_scenario_destroy(s);
    }
    /* a list of 1001 items, and one of 1000 */
    wf_buf big = {0};
    for (int n = 1000; n <= 1001; n++) {
        big.len = 0;
        wf_buf_puts(&big, "[");
        for (int d = 0; d < n; d++)
            wf_buf_printf(&big, "%s%d-%02d-%02d", d ? ", " : "", 2100 + d / 300, 1 + d % 300 / 28, 1 + d % 300 % 28);
        wf_buf_puts(&big, "]");
        wf_scenario *s = wf_scenario_create();
        wf_status st = wf_scenario_set(s, "calendar.bank_holidays", big.s);
        CHECKF(n == 1000 ? st == WF_OK : st == WF_ERANGE && strstr(wf_scenario_error(s), "more than the 1000"),
               "%d: %s", n, wf_scenario_error(s));
        wf_scenario_destroy(s);
    }
    free(big.s);
}

static void test_get(void) {
    wf_scenario *s = wf_scenario_create();
    CHECK(wf_scenario_load_file(s, WF_SOURCE_DIR "/tests/fixtures/model_example.yaml") == WF_OK);
    CHECK(wf_scenario_set(s, "partnership.preset", "integrated") == WF_OK);
    CHECK(wf_scenario_set(s, "hospitals.city.beds", "900") == WF_OK);
    struct { const char *key, *want; } cases[] = {
        {"partnership.preset", "integrated"},
        {"hospitals.city.beds", "900"},                      /* an override */
        {"partnership.seven_day_working", "false"},          /* explicit in the file beats the preset */
        {"partnership.weekend_discharge_share", "0.95"},     /* the table default */
        {"partnership.referral_delay.mean_days", "1.5"},     /* explicit in the file beats the preset */
        {"localities.north.hospital_share.city", "1"},       /* two organisations in the path */
        {"run.start_date", "2025-10-01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *v = wf_scenario_get(s, cases[i].key);
        CHECKF(v && !strcmp(v, cases[i].want), "%s = %s, want %s", cases[i].key, v ? v : "(null)", cases[i].want);
        wf_free(v);
    }
    /* a whole number written with a zero fraction (pandas' 900.0) is that number */
    CHECK(wf_scenario_set(s, "hospitals.city.beds", "901.00") == WF_OK);
    char *w = wf_scenario_get(s, "hospitals.city.beds");
    CHECK(w && !strcmp(w, "901"));
    wf_free(w);
    CHECK(wf_scenario_get(s, "hospitals.city.bedz") == NULL && strstr(wf_scenario_error(s), "not a parameter"));
    CHECK(wf_scenario_get(s, "hospitals.town.beds") == NULL && strstr(wf_scenario_error(s), "no hospital named 'town'"));
    CHECK(wf_scenario_get(s, NULL) == NULL);
    wf_scenario_destroy(s);
}

/* The API that spares callers from reading the library's YAML: a key's
 * row, organisations by kind, every resolved parameter, the name. */
typedef struct {
    size_t n;
    int beds_seen, preset_seen, string_quoted;
} visit_count;

static int count_param(void *user, const char *key, const char *value, const wf_param_info *row) {
    visit_count *c = user;
    c->n++;
    CHECKF(row == wf_param_for_key(key), "%s: its row is not wf_param_for_key's", key);
    if (!strcmp(key, "hospitals.city.beds")) c->beds_seen = !strcmp(value, "900") && !strcmp(row->type, "int");
    if (!strcmp(key, "partnership.preset")) c->preset_seen = !strcmp(value, "integrated");
    if (!strcmp(key, "name")) c->string_quoted = value[0] == '"';
    return 0;
}

static int stop_at_third(void *user, const char *key, const char *value, const wf_param_info *row) {
    (void)key, (void)value, (void)row;
    return ++*(int *)user == 3;
}

static void test_api_gaps(void) {
    CHECK(!strcmp(wf_org_kind_name(WF_ORG_HOSPITAL), "hospital"));
    CHECK(!strcmp(wf_org_kind_name(WF_ORG_SYSTEM), "system"));
    CHECK(wf_org_kind_name(WF_ORG_NKINDS) == NULL);
    const wf_param_info *beds = wf_param_find("hospitals.<hospital>.beds");
    CHECK(beds && wf_param_for_key("hospitals.city.beds") == beds);
    CHECK(wf_param_for_key("hospitals.any-name_2.beds") == beds);
    CHECK(wf_param_for_key("localities.north.hospital_share.city") ==
          wf_param_find("localities.<locality>.hospital_share.<hospital>"));
    CHECK(wf_param_for_key("run.seed") == wf_param_find("run.seed"));
    CHECK(wf_param_for_key("hospitals.city.bedz") == NULL);
    CHECK(wf_param_for_key("hospitals.city") == NULL);
    CHECK(wf_param_for_key("hospitals.bad name.beds") == NULL);
    CHECK(wf_param_for_key(NULL) == NULL && wf_param_for_key("") == NULL);

    wf_scenario *s = wf_scenario_create();
    CHECK(wf_scenario_load_file(s, WF_SOURCE_DIR "/tests/fixtures/model_example.yaml") == WF_OK);
    CHECK(wf_scenario_org_count(s, WF_ORG_HOSPITAL) == 1);
    CHECK(!strcmp(wf_scenario_org_name(s, WF_ORG_HOSPITAL, 0), "city"));
    CHECK(wf_scenario_org_name(s, WF_ORG_HOSPITAL, 1) == NULL);
    CHECK(wf_scenario_org_count(s, WF_ORG_LOCALITY) >= 1);
    CHECK(!strcmp(wf_scenario_org_name(s, WF_ORG_LOCALITY, 0), "north"));
    CHECK(wf_scenario_org_count(s, WF_ORG_SYSTEM) == 0 && wf_scenario_org_count(s, (wf_org_kind)-1) == 0);
    CHECK(wf_scenario_set(s, "hospitals.city.beds", "900") == WF_OK);
    CHECK(wf_scenario_set(s, "partnership.preset", "integrated") == WF_OK);

    /* one visit per "key: value" line of to_yaml (not the comment, block
     * keys or empty sections such as "voluntary: {}") */
    visit_count c = {0};
    CHECK(wf_scenario_each_param(s, count_param, &c) == WF_OK);
    char *y = wf_scenario_to_yaml(s);
    size_t lines = 0;
    for (const char *p = y; p && *p; p++)
        if (*p == '\n' && p[-1] != ':' && !(p[-1] == '}' && p[-2] == '{')) lines++;
    CHECKF(c.n + 1 == lines, "%zu parameters, %zu lines with a value (the comment line included)", c.n, lines);
    CHECK(c.beds_seen && c.preset_seen && c.string_quoted);
    wf_free(y);
    int seen = 0;
    CHECK(wf_scenario_each_param(s, stop_at_third, &seen) == WF_ECANCELLED && seen == 3);
    CHECK(wf_scenario_each_param(s, NULL, NULL) == WF_EINVAL);

    /* a name with YAML's special characters, as it is */
    CHECK(wf_scenario_set_name(s, "a: \"b\" #c, [d]") == WF_OK);
    CHECK(!strcmp(wf_scenario_name(s), "a: \"b\" #c, [d]"));
    char *nm = wf_scenario_get(s, "name");
    CHECK(nm && nm[0] == '"');
    wf_free(nm);

    /* an invalid scenario: the validation status, nothing visited */
    CHECK(wf_scenario_set(s, "localities.north.frailty_mix.fit", "0.99") == WF_OK);
    visit_count none = {0};
    CHECK(wf_scenario_each_param(s, count_param, &none) == WF_ERANGE && none.n == 0);
    wf_scenario_destroy(s);
}

/* Large maps: duplicate keys are found through a hash map, not by
 * comparing every pair, and organisations are capped per kind (speed:
 * bench/README.md; here only the answers). */
static void test_large_maps(void) {
    wf_buf b = {0};
    for (int i = 0; i < 100000; i++) wf_buf_printf(&b, "k%d: 1\n", i);
    wf_buf_puts(&b, "k99999: 2\n");
    wf_node *root = NULL;
    char err[WF_ERRLEN];
    CHECK(!b.oom && wf_yaml_parse(b.s, b.len, "<big>", false, &root, err, sizeof err) == WF_EPARSE);
    CHECKF(strstr(err, "<big>:100001:1: k99999: duplicate key (first given at line 100000)") != NULL, "%s", err);
    free(b.s);

    wf_buf h = {0};
    wf_buf_puts(&h, "hospitals:\n");
    for (int i = 0; i <= WF_MAX_ORGS; i++) wf_buf_printf(&h, "  h%d: {beds: 10}\n", i);
    wf_scenario *s = wf_scenario_create();
    CHECK(!h.oom && wf_scenario_load_string(s, h.s, "<orgs>") == WF_ERANGE);
    CHECKF(strstr(wf_scenario_error(s), "more than 10000 hospitals") != NULL, "%s", wf_scenario_error(s));
    CHECK(wf_scenario_org_count(s, WF_ORG_HOSPITAL) == 0); /* rolled back, index and all */
    CHECK(wf_scenario_load_string(s, "hospitals: {h5: {beds: 3}}\nlocalities: {h6: }\n", "<again>") == WF_OK);
    CHECK(wf_scenario_org_count(s, WF_ORG_HOSPITAL) == 1 && wf_scenario_org_count(s, WF_ORG_LOCALITY) == 1);
    CHECK(wf_scenario_set(s, "hospitals.h6.beds", "1") == WF_EKEY);  /* h6 is a locality */
    free(h.s);
    wf_scenario_destroy(s);
}

int main(void) {
    test_upper_bounds();
    test_large_maps();
    test_api_gaps();
    test_get();
    test_model_example();
    test_extends();
    test_presets();
    test_partial_dist();
    test_round_trip();
    test_clone();
    test_bad_set();
    test_failed_load_keeps_scenario();
    test_orgs();
    test_table();
    return CHECK_DONE();
}
