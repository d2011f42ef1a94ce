/*
 * The output metrics, defined once. The engine adds raw quantities per day
 * and organisation into accumulators indexed by these ids; results.c turns
 * them into daily values and replicate summaries by each metric's rule.
 *
 * Rules:
 *   SUM    a count or a time integral per day; summary = sum over days.
 *   LEVEL  a time integral per day (= the day's mean level, days are 1 long);
 *          summary = mean over days.
 *   RATIO  raw[num] / raw[den] per day; summary = sum num / sum den.
 *   END    a level sampled at the end of each day; summary = last day.
 *
 * Organisation kinds (wf_org_kind) as bits: H hospital, L locality, C
 * community, V voluntary. `sys` is the mask of kinds whose columns add up
 * to the system column.
 */
#ifndef WF_METRICS_H
#define WF_METRICS_H

#include "winterflow.h"

#define WF_KIND_BIT(kind) (1u << (kind))
typedef enum { WF_RULE_SUM, WF_RULE_LEVEL, WF_RULE_RATIO, WF_RULE_END } wf_rule;

/* X(id, name, unit, kind, rule, den, orgs, sys, doc)
 * For RATIO, id's own raw slot is the numerator and den names the raw slot
 * of the denominator. */
#define WF_METRICS(X)                                                                           \
    X(ADMISSIONS, "admissions", "patients", TOTAL, SUM, 0, H | L, H,                            \
      "emergency admissions to a G&A bed, readmissions included (by hospital and home locality)") \
    X(ELECTIVE_ADMISSIONS, "elective_admissions", "patients", TOTAL, SUM, 0, H, H,              \
      "elective patients admitted")                                                             \
    X(ELECTIVE_CANCELLATIONS, "elective_cancellations", "patients", TOTAL, SUM, 0, H, H,        \
      "electives cancelled for want of a bed above the reserve")                                \
    X(OCCUPIED_BEDS, "occupied_beds", "beds", MEAN, LEVEL, 0, H, H,                             \
      "mean G&A beds occupied")                                                                 \
    X(OPEN_BEDS, "open_beds", "beds", MEAN, LEVEL, 0, H, H,                                     \
      "mean G&A beds open (base beds x workforce factor + open escalation beds)")               \
    X(OCCUPANCY, "occupancy", "share", MEAN, RATIO, OPEN_BEDS, H, H,                            \
      "occupied beds / open beds")                                                              \
    X(NCTR_PATIENTS, "nctr_patients", "patients", MEAN, LEVEL, 0, H | L, H,                     \
      "mean patients medically optimised for discharge but still in an acute bed")              \
    X(DELAYED_BED_DAYS, "delayed_bed_days", "bed-days", TOTAL, SUM, 0, H | L, H,                \
      "acute bed-days spent after being medically optimised for discharge")                     \
    X(ED_ARRIVALS, "ed_arrivals", "patients", TOTAL, SUM, 0, H, H,                              \
      "emergency patients arriving at ED needing a bed (after admission avoidance)")            \
    X(ED_BOARDING, "ed_boarding", "patients", MEAN, LEVEL, 0, H, H,                             \
      "mean patients waiting in ED for a G&A bed")                                              \
    X(ED_WAIT_HOURS, "ed_wait_hours", "hours", MEAN, RATIO, ADMISSIONS, H, H,                   \
      "mean wait in ED for a bed, over emergency admissions")                                   \
    X(WAITS_OVER_4H, "waits_over_4h", "patients", TOTAL, SUM, 0, H, H,                          \
      "emergency admissions that waited over 4 hours in ED")                                    \
    X(WAITS_OVER_12H, "waits_over_12h", "patients", TOTAL, SUM, 0, H, H,                        \
      "emergency admissions that waited over 12 hours in ED")                                   \
    X(DIVERTED, "diverted", "patients", TOTAL, SUM, 0, H, H,                                    \
      "emergency patients diverted for want of a bed (ed_policy: divert)")                      \
    X(AVOIDED_ADMISSIONS, "avoided_admissions", "patients", TOTAL, SUM, 0, L | C, C,            \
      "frail arrivals managed by urgent community response or a virtual ward")                  \
    X(DISCHARGES_P0, "discharges_p0", "patients", TOTAL, SUM, 0, H | L, H,                      \
      "discharges from G&A beds home without new support (pathway 0)")                          \
    X(DISCHARGES_P1, "discharges_p1", "patients", TOTAL, SUM, 0, H | L, H,                      \
      "discharges home with home care or reablement (pathway 1)")                               \
    X(DISCHARGES_P2, "discharges_p2", "patients", TOTAL, SUM, 0, H | L, H,                      \
      "discharges to a community rehabilitation bed (pathway 2)")                               \
    X(DISCHARGES_P3, "discharges_p3", "patients", TOTAL, SUM, 0, H | L, H,                      \
      "discharges to a care home (pathway 3)")                                                  \
    X(DECONDITIONING_ESCALATIONS, "deconditioning_escalations", "patients", TOTAL, SUM, 0, H,   \
      H, "discharge needs that rose a pathway while delayed in an acute bed")                   \
    X(READMISSIONS_30D, "readmissions_30d", "patients", TOTAL, SUM, 0, H | L, H,                \
      "emergency readmissions within 30 days of discharge (counted at readmission)")            \
    X(INPATIENTS_END, "inpatients_end", "patients", MEAN, END, 0, H, H,                         \
      "patients in G&A beds at the end of the day")                                             \
    X(ED_BOARDING_END, "ed_boarding_end", "patients", MEAN, END, 0, H, H,                       \
      "patients waiting in ED at the end of the day")                                           \
    X(ASSESSMENT_QUEUE, "assessment_queue", "patients", MEAN, LEVEL, 0, L, L,                   \
      "mean patients waiting for a social care assessor")                                       \
    X(HOME_CARE_STARTS, "home_care_starts", "packages", TOTAL, SUM, 0, L, L,                    \
      "home care packages started (hospital and community demand)")                            \
    X(HOME_CARE_OCCUPIED, "home_care_occupied", "packages", MEAN, LEVEL, 0, L, L,               \
      "mean home care packages in use")                                                         \
    X(HOME_CARE_PLACES, "home_care_places", "packages", MEAN, LEVEL, 0, L, L,                   \
      "mean home care packages available (after workforce factors)")                            \
    X(HOME_CARE_UTILISATION, "home_care_utilisation", "share", MEAN, RATIO, HOME_CARE_PLACES,  \
      L, L, "home care packages in use / available")                                           \
    X(HOME_CARE_QUEUE, "home_care_queue", "patients", MEAN, LEVEL, 0, L, L,                     \
      "mean people waiting for a home care package (in hospital, bridged or in the community)") \
    X(CARE_HOME_STARTS, "care_home_starts", "placements", TOTAL, SUM, 0, L, L,                 \
      "care home placements started")                                                           \
    X(CARE_HOME_OCCUPIED, "care_home_occupied", "beds", MEAN, LEVEL, 0, L, L,                   \
      "mean care home beds in use")                                                             \
    X(CARE_HOME_PLACES, "care_home_places", "beds", MEAN, LEVEL, 0, L, L,                       \
      "mean care home beds available (after workforce factors)")                                \
    X(CARE_HOME_UTILISATION, "care_home_utilisation", "share", MEAN, RATIO, CARE_HOME_PLACES,  \
      L, L, "care home beds in use / available")                                               \
    X(CARE_HOME_QUEUE, "care_home_queue", "patients", MEAN, LEVEL, 0, L, L,                     \
      "mean people waiting for a care home bed")                                                \
    X(COMMUNITY_BED_STARTS, "community_bed_starts", "patients", TOTAL, SUM, 0, C, C,            \
      "admissions to community rehabilitation beds (pathway 2)")                               \
    X(COMMUNITY_BED_OCCUPIED, "community_bed_occupied", "beds", MEAN, LEVEL, 0, C, C,           \
      "mean community rehabilitation beds in use")                                              \
    X(COMMUNITY_BED_PLACES, "community_bed_places", "beds", MEAN, LEVEL, 0, C, C,               \
      "mean community rehabilitation beds available (after workforce factors)")                 \
    X(COMMUNITY_BED_UTILISATION, "community_bed_utilisation", "share", MEAN, RATIO,             \
      COMMUNITY_BED_PLACES, C, C, "community beds in use / available")                          \
    X(COMMUNITY_BED_QUEUE, "community_bed_queue", "patients", MEAN, LEVEL, 0, C, C,             \
      "mean patients waiting for a community rehabilitation bed")                               \
    X(COMMUNITY_BED_DELAYED_DAYS, "community_bed_delayed_days", "bed-days", TOTAL, SUM, 0, C,  \
      C, "community bed-days after rehabilitation, waiting for onward care")                    \
    X(BRIDGING_OCCUPIED, "bridging_occupied", "patients", MEAN, LEVEL, 0, C, C,                 \
      "mean patients in interim or bridging care waiting for their service")                    \
    X(VIRTUAL_WARD_OCCUPIED, "virtual_ward_occupied", "patients", MEAN, LEVEL, 0, C, C,         \
      "mean patients on a virtual ward or urgent community response caseload")                  \
    X(VOLUNTARY_SUPPORTED, "voluntary_supported", "patients", MEAN, LEVEL, 0, V, V,             \
      "mean patients home with voluntary home-from-hospital support awaiting a package")       \
    X(COST, "cost", "GBP", TOTAL, SUM, 0, H | L | C, H | L | C,                                         \
      "cost borne: acute bed-days (hospital), home care and care home days (council), "         \
      "community, bridging and virtual ward days (community provider)")

enum wf_metric_id {
#define WF_METRIC_ENUM(id, ...) WF_M_##id,
    WF_METRICS(WF_METRIC_ENUM)
#undef WF_METRIC_ENUM
    WF_NMETRIC,
    /* hidden raw accumulators: numerators of RATIO metrics that are not
     * themselves metrics */
    WF_RAW_ED_WAIT_SUM = WF_NMETRIC,
    WF_NRAW
};

typedef struct {
    const char *name, *unit, *doc;
    wf_metric_kind kind;
    wf_rule rule;
    int num;   /* raw slot of the value (numerator for RATIO) */
    int den;   /* raw slot of the denominator (RATIO only) */
    int orgs;  /* WF_ORG_* mask */
    int sys;   /* WF_ORG_* mask of kinds summed into the system column */
} wf_metric_def;

extern const wf_metric_def wf_metric_defs[WF_NMETRIC];

#endif /* WF_METRICS_H */
