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
/* Non-hospital (community) demand for the services with places. */
enum { WF_DEMAND_HOME_CARE, WF_DEMAND_CARE_HOME, WF_DEMAND_REHAB_BED, WF_NDEMAND };

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

/* Levers a council or a hospital can set apart from the rest of the system
 * (`localities.<l>.partnership.*`, `hospitals.<h>.partnership.*`). A field
 * left at WF_INHERIT (or, for reals and distributions, negative) takes the
 * system's value (`partnership.*`); the model resolves them once per run
 * (lib/model/levers.c), so the resolved scenario still says "inherit". */
enum { WF_INHERIT = -1 };
#define WF_WEEKDAYS_INHERIT 0x80000000u
typedef struct {
    int trusted_assessor, discharge_to_assess, seven_day_working, bridging; /* WF_INHERIT, 0, 1 */
    double pooled_capacity;             /* < 0: inherit */
    double admission_avoidance;         /* < 0: inherit */
    int referral_kind;                  /* WF_INHERIT or a wf_dist_kind */
    double referral_mean_days, referral_cv; /* < 0: inherit */
    unsigned funding_panel_weekdays;    /* WF_WEEKDAYS_INHERIT or a mask */
} wf_council_levers;
typedef struct {
    int seven_day_working;              /* WF_INHERIT, 0, 1 */
    double planning_lead_days;          /* < 0: inherit */
} wf_hospital_levers;
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
    double admissions_per_day;          /* emergency admissions/day, base rate (from the per-head rate if null) */
    double admissions_per_1000;         /* per 1,000 residents a year: the rate when admissions_per_day is null */
    double frailty_mix[WF_NFRAILTY];    /* sums to 1 */
    double *hospital_share;             /* [n_hospitals], sums to 1 */
    int home_care_packages;             /* pathway 1 places */
    int care_home_beds;                 /* pathway 3 places */
    double assessors_per_day;           /* assessments started per working day; < 0: no limit */
    double community_demand[WF_NDEMAND]; /* non-hospital demand per day: home care, care homes, rehab beds */
    int community;                      /* index of the community provider serving it, -1 none */
    int voluntary;                      /* index of the voluntary service serving it, -1 none */
    double home_care_posts;             /* funded care worker posts (FTE); < 0: capacity from home_care_packages */
    double home_care_vacancy_rate;      /* share of posts vacant */
    double care_home_nursing_share;     /* share of care home beds that are nursing beds */
    wf_council_levers lever;
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
    double elective_hour;               /* hour of the bed meeting that admits or cancels electives */
    double discharge_open, discharge_close; /* hours; [0,24] = any time */
    double round_open, round_close;     /* ward round hours: medically optimised decisions; [0,24] = any time */
    int specialties;                    /* wards by specialty: the beds split evenly, patients too */
    double outlier_hours;               /* after this wait in ED any free bed will do; < 0: never */
    wf_hospital_levers lever;
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
    double hour_factor[24];             /* emergency arrivals by hour of day (relative; normalised to mean 1) */
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
    double death_in_hospital[WF_NFRAILTY];          /* P(dies in hospital before medically optimised) */
    double death_per_delayed_day;                   /* hazard of dying while delayed, per day */
    double carer_available[WF_NFRAILTY];            /* share with an unpaid carer able to help */
    double carer_replaces_p1, carer_replaces_p3;    /* with a carer: P1 -> P0, P3 -> P1 */
    double nursing_need[WF_NFRAILTY];               /* share of pathway 3 who need a nursing bed */
    double complex_needs[WF_NFRAILTY];              /* share whose care needs are complex */
    double complex_match_factor;                    /* how much less often a vacancy suits them */
    double edd_error_cv;                            /* expected discharge date error (multiplicative) */
    double edd_set_after_days;                      /* EDD set this long after admission */
    wf_dist discharge_process;                      /* ready to go -> out of the door (medicines, transport) */
    wf_dist home_readiness;                         /* frail P0 living alone: getting home ready */

    /* services */
    wf_dist reablement;
    double long_term_share;
    wf_dist long_term;
    double home_care_initial_occupancy;             /* < 0: the level its inflows and stays imply */
    wf_dist rehab;
    double onward[WF_NPATHWAY];                     /* need on leaving a community bed; [2] is 0 */
    double community_bed_initial_occupancy;         /* < 0: implied by inflows */
    wf_dist care_home_stay;
    double care_home_initial_occupancy;             /* < 0: implied by inflows */
    wf_dist virtual_ward_stay;
    double virtual_ward_substitution;              /* avoided admissions per virtual ward episode */
    wf_dist package_hours;                          /* home care hours a week per package (mean in hours) */
    double hours_per_worker_week;                   /* contact hours a week per filled post */
    double home_care_match, care_home_match, community_bed_match; /* P(a vacancy suits the patient) */
    double brokerage_hour;                          /* hour of the daily brokerage round */
    double care_home_death_share;                   /* share of care home stays that end in death */
    double community_bed_death;                     /* P(dies during rehabilitation) */
    double community_patience_days;                 /* mean wait before community demand looks elsewhere; 0 = never */
    wf_dist voluntary_support;                      /* length of home-from-hospital support */
    double voluntary_readmission_factor;            /* relative readmission risk with that support */
    /* costs, GBP */
    double cost_acute_bed_day;
    double cost_community_bed_day;
    double cost_home_care_day;
    double cost_care_home_day;
    double cost_virtual_ward_day;
    double cost_trusted_assessor_day;               /* per 100,000 residents of a council using it */
    double cost_seven_day_hospital_day;             /* per 100 G&A beds of a hospital working seven days */
    double cost_seven_day_council_day;              /* per 100,000 residents of a council working seven days */
    double cost_funding_panel;                      /* per sitting of a council's funding panel */
    /* partnership levers (after the preset) */
    bool trusted_assessor;
    bool discharge_to_assess;
    bool seven_day_working;
    double weekend_discharge_share;                 /* without seven-day working: pathway 0 weekend rate / weekday rate */
    double weekend_review_share;                    /* without seven-day working: share reviewed on a weekend round */
    bool bridging;
    double pooled_capacity;                         /* 0..1 */
    wf_dist referral_delay;
    wf_dist assessment_delay;
    unsigned funding_panel_weekdays;                /* bitmask, bit 0 = Monday; 0 = delegated */
    double admission_avoidance;                     /* 0..1 */
    double planning_lead_days;                      /* referral this long before the expected discharge date */
    wf_dist provider_assessment;                    /* the receiving provider's own assessment (no trusted assessor) */

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
