/*
 * The resolved scenario: every parameter after defaults, `extends:` bases,
 * the partnership preset and overrides, validated. This struct is the only
 * thing the model reads; it never sees YAML. Built by wf_config_build()
 * (lib/params/resolve.c) and immutable afterwards, so concurrent replicates
 * share it freely.
 *
 * Time: days as double, relative to run.start_date (day 0 is the first
 * measured day; warm-up is negative time). Dates below are day numbers on
 * that scale. Hours are hours of the day (0..24).
 */
#ifndef WF_CONFIG_H
#define WF_CONFIG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum { WF_FIT, WF_MILD, WF_MODERATE, WF_SEVERE, WF_NFRAILTY };
enum { WF_NPATHWAY = 4 }; /* pathway 0..3 */

typedef enum {
    WF_DIST_EXPONENTIAL,
    WF_DIST_LOGNORMAL,
    WF_DIST_GAMMA,
    WF_DIST_WEIBULL,
    WF_DIST_FIXED
} wf_dist_kind;

/* A duration distribution in days. cv is ignored by exponential and fixed.
 * mean_days == 0 means "no delay" whatever the kind. */
typedef struct {
    wf_dist_kind kind;
    double mean_days;
    double cv;
} wf_dist;

typedef enum { WF_ED_QUEUE, WF_ED_DIVERT } wf_ed_policy;
typedef enum { WF_ARRIVALS_POISSON, WF_ARRIVALS_REGULAR } wf_arrival_process;

/* Services whose capacity the winter workforce periods can scale. */
typedef enum {
    WF_SVC_BEDS,           /* hospital G&A beds */
    WF_SVC_HOME_CARE,      /* locality home care packages */
    WF_SVC_CARE_HOME,      /* locality care home beds */
    WF_SVC_COMMUNITY_BED,  /* community intermediate care beds */
    WF_SVC_ASSESSORS,      /* locality social work assessments per day */
    WF_SVC_VIRTUAL_WARD,   /* community urgent response / virtual ward places */
    WF_NSVC
} wf_service;

typedef struct {
    char *name;
    double peak;           /* day */
    double width_days;     /* Gaussian sd */
    double extra_per_day;  /* extra emergency admissions/day at the peak, whole system */
} wf_outbreak;

/* calendar.workforce: capacity x factor on [start, end) for the services in
 * the mask, at one organisation (org >= 0, index within its kind) or all. */
typedef struct {
    char *name;
    unsigned services;     /* bitmask of 1u << wf_service */
    int org_kind;          /* -1 all; else a wf_org_kind: hospital, locality or community */
    int org;               /* index within org_kind, -1 = all */
    double start, end;     /* days */
    double factor;         /* 0..2 */
} wf_workforce_period;

typedef struct {
    char *name;
    char *system;                       /* integrated care system label, "" none */
    double population;
    double admissions_per_day;          /* emergency admissions/day, base rate */
    double frailty_mix[WF_NFRAILTY];    /* sums to 1 */
    double *hospital_share;             /* [n_hospitals], sums to 1 */
    int home_care_packages;             /* pathway 1 places */
    int care_home_beds;                 /* pathway 3 places */
    double assessors_per_day;           /* assessments started per working day; < 0: no limit */
    double community_home_care_per_day; /* non-hospital demand for home care */
    double community_care_home_per_day; /* non-hospital demand for care homes */
    int community;                      /* index of the community provider serving it, -1 none */
    int voluntary;                      /* index of the voluntary service serving it, -1 none */
} wf_locality_cfg;

typedef struct {
    char *name;
    char *system;                       /* integrated care system label, "" none */
    int beds;
    int escalation_beds;
    double escalation_threshold;        /* open escalation beds when occupied/beds >= this at the daily review */
    wf_ed_policy ed_policy;
    int electives_per_weekday;
    int elective_reserve_beds;          /* electives only take a bed if more than this many are free */
    double elective_hour;               /* hour electives arrive */
    double discharge_open, discharge_close; /* hours; [0,24] = any time */
} wf_hospital_cfg;

typedef struct {
    char *name;
    int intermediate_care_beds;         /* pathway 2 places */
    int virtual_ward_places;            /* admission avoidance places */
    int bridging_places;                /* interim places used when partnership.bridging */
    int *serves;                        /* locality indices */
    int n_serves;
} wf_community_cfg;

typedef struct {
    char *name;
    int places;                         /* concurrent "home from hospital" supports */
    int *serves;
    int n_serves;
} wf_voluntary_cfg;

typedef struct wf_config {
    char *name;

    /* run */
    int32_t start_date;                 /* days since 1970-01-01 */
    int days;
    int warmup_days;
    int replicates;
    uint64_t seed;

    /* calendar */
    double weekday_factor[7];           /* Mon..Sun */
    double winter_amplitude;
    double winter_peak;                 /* day */
    wf_outbreak *outbreaks;
    int n_outbreaks;
    double *bank_holidays;              /* days, sorted */
    int n_bank_holidays;
    double bank_holiday_factor;         /* admissions multiplier on bank holidays */
    wf_arrival_process arrival_process;
    wf_workforce_period *workforce;
    int n_workforce;

    /* organisations, in file order */
    wf_locality_cfg *localities;   int n_localities;
    wf_hospital_cfg *hospitals;    int n_hospitals;
    wf_community_cfg *community;   int n_community;
    wf_voluntary_cfg *voluntary;   int n_voluntary;

    /* patients */
    wf_dist los[WF_NFRAILTY];
    wf_dist elective_los;
    double pathway_need[WF_NFRAILTY][WF_NPATHWAY];  /* rows sum to 1 */
    double escalation_per_delayed_day;              /* P(need rises one pathway) per delayed day */
    double readmission_per_delayed_day;             /* relative rise of readmission risk per delayed day */
    double readmission_30d[WF_NPATHWAY];
    int avoidance_min_frailty;                      /* arrivals this frail or more are eligible */

    /* services */
    wf_dist reablement;
    double long_term_share;
    wf_dist long_term;
    double home_care_initial_occupancy;
    wf_dist rehab;
    double onward[WF_NPATHWAY];                     /* need on leaving a community bed; [2] is 0 */
    double community_bed_initial_occupancy;
    wf_dist care_home_stay;
    double care_home_initial_occupancy;
    wf_dist virtual_ward_stay;

    /* costs, GBP */
    double cost_acute_bed_day;
    double cost_community_bed_day;
    double cost_home_care_day;
    double cost_care_home_day;
    double cost_virtual_ward_day;

    /* partnership levers (after the preset) */
    bool trusted_assessor;
    bool discharge_to_assess;
    bool seven_day_working;
    double weekend_discharge_share;                 /* without seven-day working: pathway 0 weekend rate / weekday rate */
    bool bridging;
    double pooled_capacity;                         /* 0..1 */
    wf_dist referral_delay;
    wf_dist assessment_delay;
    unsigned funding_panel_weekdays;                /* bitmask, bit 0 = Monday; 0 = delegated */
    double admission_avoidance;                     /* 0..1 */

    /* Not a parameter: the flag of the run's wf_cancel (NULL: none), set
     * by wf_run on its own configs. The engine reads it every few thousand
     * events and stops when it is raised. */
    const atomic_int *cancel;
} wf_config;

void wf_config_free(wf_config *c);

/* Whether the run that uses this config is being cancelled. */
static inline bool wf_config_cancelled(const wf_config *c)
{
    return c->cancel && atomic_load_explicit(c->cancel, memory_order_relaxed);
}

#endif /* WF_CONFIG_H */
