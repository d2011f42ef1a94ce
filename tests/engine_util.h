/* Helpers shared by the engine validation tests (test_queueing.c,
 * test_deterministic.c, test_direction.c, test_determinism.c). They use the
 * public API only: scenarios from YAML text or files, key overrides, one
 * wf_run, and the result arrays. Include after check.h. */
#ifndef WF_ENGINE_UTIL_H
#define WF_ENGINE_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winterflow.h"

#define REF_MODEL WF_SOURCE_DIR "/models/reference.yaml"

/* A scenario from YAML text; every failure is a failed check. */
static inline wf_scenario *eu_yaml(const char *yaml, const char *origin)
{
    wf_scenario *s = wf_scenario_create();
    if (!s) { CHECK(s != NULL); return NULL; }
    wf_status st = wf_scenario_load_string(s, yaml, origin);
    CHECKF(st == WF_OK, "%s: %s", origin, wf_scenario_error(s));
    return s;
}

static inline wf_scenario *eu_file(const char *path)
{
    wf_scenario *s = wf_scenario_create();
    if (!s) { CHECK(s != NULL); return NULL; }
    wf_status st = wf_scenario_load_file(s, path);
    CHECKF(st == WF_OK, "%s: %s", path, wf_scenario_error(s));
    return s;
}

static inline void eu_set(wf_scenario *s, const char *key, const char *value)
{
    if (!s) return;
    wf_status st = wf_scenario_set(s, key, value);
    CHECKF(st == WF_OK, "set %s=%s: %s", key, value, wf_scenario_error(s));
}

/* Run n scenarios; returns 1 on success (a failure is a failed check). */
static inline int eu_run(wf_results *r, wf_scenario *const *s, size_t n, int reps, int threads)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i]) return 0;
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = reps;
    o.threads = threads;
    wf_status st = wf_run(r, (const wf_scenario *const *)s, n, &o);
    CHECKF(st == WF_OK, "wf_run: %s", wf_results_error(r));
    return st == WF_OK;
}

/* Switch off the mechanisms that make a real system differ from a textbook
 * queue (docs/model.md): arrivals by hour, the ward round, the time the
 * discharge itself takes, specialty wards, getting home ready, planning
 * ahead (the process starts at the ready date), deaths,
 * carers, the provider's own assessment, partial matching of places, the
 * virtual ward's extra caseload. `hospitals` lists the hospitals' names. */
static inline void eu_textbook(wf_scenario *s, const char *const *hospitals, size_t nh)
{
    eu_set(s, "calendar.hour_factor", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]");
    for (size_t i = 0; i < nh; i++) {
        char key[256];
        snprintf(key, sizeof key, "hospitals.%s.ward_round_hours", hospitals[i]);
        eu_set(s, key, "[0, 24]");
        snprintf(key, sizeof key, "hospitals.%s.specialties", hospitals[i]);
        eu_set(s, key, "1");
    }
    eu_set(s, "patients.discharge_process.mean_days", "0");
    eu_set(s, "partnership.weekend_review_share", "1");
    eu_set(s, "patients.home_readiness.mean_days", "0");
    eu_set(s, "patients.expected_discharge.error_cv", "0");
    eu_set(s, "partnership.planning_lead_days", "0");
    eu_set(s, "patients.death_in_hospital", "{fit: 0, mild: 0, moderate: 0, severe: 0}");
    eu_set(s, "patients.death_per_delayed_day", "0");
    eu_set(s, "patients.carer_available", "{fit: 0, mild: 0, moderate: 0, severe: 0}");
    eu_set(s, "partnership.provider_assessment.mean_days", "0");
    eu_set(s, "services.home_care.match", "1");
    eu_set(s, "services.complex_match_factor", "1");
    eu_set(s, "patients.complex_needs", "{fit: 0, mild: 0, moderate: 0, severe: 0}");
    eu_set(s, "services.care_home.match", "1");
    eu_set(s, "services.community_bed.death", "0");
    eu_set(s, "services.virtual_ward.substitution", "1");
    eu_set(s, "services.community_patience_days", "0");
}

static inline size_t eu_metric(const char *name)
{
    size_t m = wf_metric_find(name);
    CHECKF(m != WF_NOT_FOUND, "no metric %s", name);
    return m == WF_NOT_FOUND ? 0 : m;
}

static inline size_t eu_org(const wf_results *r, const char *name)
{
    size_t o = wf_results_org_find(r, name);
    CHECKF(o != WF_NOT_FOUND, "no organisation %s", name);
    return o == WF_NOT_FOUND ? 0 : o;
}

/* Replicate summary of one metric, scenario, replicate and organisation. */
static inline double eu_sum(const wf_results *r, size_t sc, const char *metric, size_t rep, size_t org)
{
    const double *x = wf_results_summary(r, sc, eu_metric(metric));
    return x ? x[rep * wf_results_n_orgs(r) + org] : NAN;
}

/* Daily value of one metric. */
static inline double eu_day(const wf_results *r, size_t sc, const char *metric, size_t rep, size_t day, size_t org)
{
    const double *x = wf_results_daily(r, sc, eu_metric(metric));
    return x ? x[(rep * wf_results_n_days(r) + day) * wf_results_n_orgs(r) + org] : NAN;
}

/* Mean and standard error of x[0..n). */
static inline void eu_mean_se(const double *x, size_t n, double *mean, double *se)
{
    double m = 0, v = 0;
    for (size_t i = 0; i < n; i++) m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *se = n > 1 ? sqrt(v / (double)(n - 1) / (double)n) : INFINITY;
}

#endif /* WF_ENGINE_UTIL_H */
