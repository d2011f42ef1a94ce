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
 *   PCTL   a percentile of a histogram of whole days (the raw slots from
 *          `num`: WF_NDELAY_BINS counts); summary = of the summed histogram.
 *   FLAG   1 where the daily series of metric `num` is still rising at the
 *          end of the window (see results.c); summary only (daily NaN).
 *
 * Organisation kinds (wf_org_kind) as bits: H hospital, L locality, C
 * community, V voluntary. `sys` is the mask of kinds whose columns add up
 * to the system column.
 */
#ifndef WF_METRICS_H
#define WF_METRICS_H

#include "winterflow.h"

#define WF_KIND_BIT(kind) (1u << (kind))
typedef enum { WF_RULE_SUM, WF_RULE_LEVEL, WF_RULE_RATIO, WF_RULE_END, WF_RULE_PCTL, WF_RULE_FLAG } wf_rule;

/* Delays in whole days from the ready date (the NHS Discharge Ready Date
 * measure): one bin per day 0..27, then 28-41, 42-69 and 70 or more. */
enum { WF_NDELAY_BINS = 31 };
static inline int wf_delay_bin(int days)
{
    return days < 28 ? (days < 0 ? 0 : days) : days < 42 ? 28 : days < 70 ? 29 : 30;
}
static inline int wf_delay_bin_low(int bin) { return bin < 28 ? bin : bin == 28 ? 28 : bin == 29 ? 42 : 70; }
static inline int wf_delay_bin_high(int bin) { return bin < 28 ? bin + 1 : bin == 28 ? 42 : bin == 29 ? 70 : 70; }

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
      "mean home care capacity in packages of the mean size (after vacancies and sickness)")                            \
    X(HOME_CARE_UTILISATION, "home_care_utilisation", "share", MEAN, RATIO, HOME_CARE_HOURS_AVAILABLE, \
      L, L, "home care hours in use / hours available")                                           \
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
      "mean patients in interim places (bridging, discharge to assess)")                    \
    X(VIRTUAL_WARD_OCCUPIED, "virtual_ward_occupied", "patients", MEAN, LEVEL, 0, C, C,         \
      "mean patients on a virtual ward or urgent community response caseload")                  \
    X(VOLUNTARY_SUPPORTED, "voluntary_supported", "patients", MEAN, LEVEL, 0, V, V,             \
      "mean patients home with voluntary home-from-hospital support awaiting a package")       \
    X(OCCUPANCY_8AM, "occupancy_8am", "share", MEAN, RATIO, RAW_OPEN_8AM, H, H,                    \
      "occupied beds / open beds at 08:00 (the sitrep basis)")                                    \
    X(NCTR_PATIENTS_8AM, "nctr_patients_8am", "patients", MEAN, LEVEL, 0, H | L, H,              \
      "patients medically optimised but still in an acute bed at 08:00 (the sitrep basis)")      \
    X(NCTR_AWAITING_ASSESSMENT, "nctr_awaiting_assessment", "patients", MEAN, LEVEL, 0, H | L, H,                \
      "mean NCTR patients waiting for a social care assessment (referral included)")                                                       \
    X(NCTR_AWAITING_FUNDING, "nctr_awaiting_funding", "patients", MEAN, LEVEL, 0, H | L, H,                \
      "mean NCTR patients waiting for a funding decision")                                                       \
    X(NCTR_AWAITING_HOME_CARE, "nctr_awaiting_home_care", "patients", MEAN, LEVEL, 0, H | L, H,                \
      "mean NCTR patients waiting for home care (a package, or its provider taking them on)")                                                       \
    X(NCTR_AWAITING_REHAB_BED, "nctr_awaiting_rehab_bed", "patients", MEAN, LEVEL, 0, H | L, H,                \
      "mean NCTR patients waiting for a community rehabilitation bed")                                                       \
    X(NCTR_AWAITING_CARE_HOME, "nctr_awaiting_care_home", "patients", MEAN, LEVEL, 0, H | L, H,                \
      "mean NCTR patients waiting for a care home bed (or an interim bed to be assessed in)")                                                       \
    X(NCTR_AWAITING_OTHER, "nctr_awaiting_other", "patients", MEAN, LEVEL, 0, H | L, H,                \
      "mean NCTR patients waiting for anything else: the discharge itself, transport, the weekend, getting home ready")                                                       \
    X(DELAYED_BED_DAYS_ASSESSMENT, "delayed_bed_days_assessment", "bed-days", TOTAL, SUM, 0, H | L, H,          \
      "delayed bed-days waiting for a social care assessment (referral included)")                                                         \
    X(DELAYED_BED_DAYS_FUNDING, "delayed_bed_days_funding", "bed-days", TOTAL, SUM, 0, H | L, H,          \
      "delayed bed-days waiting for a funding decision")                                                         \
    X(DELAYED_BED_DAYS_HOME_CARE, "delayed_bed_days_home_care", "bed-days", TOTAL, SUM, 0, H | L, H,          \
      "delayed bed-days waiting for home care (a package, or its provider taking them on)")                                                         \
    X(DELAYED_BED_DAYS_REHAB_BED, "delayed_bed_days_rehab_bed", "bed-days", TOTAL, SUM, 0, H | L, H,          \
      "delayed bed-days waiting for a community rehabilitation bed")                                                         \
    X(DELAYED_BED_DAYS_CARE_HOME, "delayed_bed_days_care_home", "bed-days", TOTAL, SUM, 0, H | L, H,          \
      "delayed bed-days waiting for a care home bed (or an interim bed to be assessed in)")                                                         \
    X(DELAYED_BED_DAYS_OTHER, "delayed_bed_days_other", "bed-days", TOTAL, SUM, 0, H | L, H,          \
      "delayed bed-days waiting for anything else: the discharge itself, transport, the weekend, getting home ready")                                                         \
    X(NCTR_14D_AWAITING_ASSESSMENT, "nctr_14d_awaiting_assessment", "patients", MEAN, LEVEL, 0, H | L, H,        \
      "NCTR patients with a stay of 14+ days waiting for a social care assessment (referral included), at 08:00")                          \
    X(NCTR_14D_AWAITING_FUNDING, "nctr_14d_awaiting_funding", "patients", MEAN, LEVEL, 0, H | L, H,        \
      "NCTR patients with a stay of 14+ days waiting for a funding decision, at 08:00")                          \
    X(NCTR_14D_AWAITING_HOME_CARE, "nctr_14d_awaiting_home_care", "patients", MEAN, LEVEL, 0, H | L, H,        \
      "NCTR patients with a stay of 14+ days waiting for home care (a package, or its provider taking them on), at 08:00")                          \
    X(NCTR_14D_AWAITING_REHAB_BED, "nctr_14d_awaiting_rehab_bed", "patients", MEAN, LEVEL, 0, H | L, H,        \
      "NCTR patients with a stay of 14+ days waiting for a community rehabilitation bed, at 08:00")                          \
    X(NCTR_14D_AWAITING_CARE_HOME, "nctr_14d_awaiting_care_home", "patients", MEAN, LEVEL, 0, H | L, H,        \
      "NCTR patients with a stay of 14+ days waiting for a care home bed (or an interim bed to be assessed in), at 08:00")                          \
    X(NCTR_14D_AWAITING_OTHER, "nctr_14d_awaiting_other", "patients", MEAN, LEVEL, 0, H | L, H,        \
      "NCTR patients with a stay of 14+ days waiting for anything else: the discharge itself, transport, the weekend, getting home ready, at 08:00")                          \
    X(DISCHARGED_ON_READY_DATE, "discharged_on_ready_date", "share", MEAN, RATIO, RAW_DRD_DISCHARGES, \
      H | L, H, "share of discharges on the day the patient was medically optimised")            \
    X(DELAY_DAYS_P50, "delay_days_p50", "days", MEAN, PCTL, 0, H | L, H,                          \
      "median delay of discharges, whole days from the ready date")                              \
    X(DELAY_DAYS_P90, "delay_days_p90", "days", MEAN, PCTL, 0, H | L, H,                          \
      "90th percentile delay of discharges, whole days from the ready date")                     \
    X(STRANDED_BEDS, "stranded_beds", "beds", MEAN, LEVEL, 0, H, H,                               \
      "beds held by patients in hospital 7+ days, at 08:00")                                      \
    X(SUPER_STRANDED_BEDS, "super_stranded_beds", "beds", MEAN, LEVEL, 0, H, H,                   \
      "beds held by patients in hospital 21+ days, at 08:00")                                     \
    X(DEATHS, "deaths", "patients", TOTAL, SUM, 0, H | L, H,                                      \
      "deaths in hospital (by hospital and home locality)")                                       \
    X(DEATHS_WHILE_DELAYED, "deaths_while_delayed", "patients", TOTAL, SUM, 0, H | L, H,          \
      "deaths in hospital after being medically optimised")                                       \
    X(CARE_HOME_DEATHS, "care_home_deaths", "people", TOTAL, SUM, 0, L, L,                        \
      "deaths of care home residents")                                                            \
    X(COMMUNITY_BED_DEATHS, "community_bed_deaths", "patients", TOTAL, SUM, 0, C, C,              \
      "deaths in community rehabilitation beds")                                                  \
    X(ED_QUEUE_GROWING, "ed_queue_growing", "flag", MEAN, FLAG, 0, H, H,                          \
      "1 where the ED queue is still growing over the last four weeks: the run has not settled") \
    X(HOME_CARE_HOURS, "home_care_hours", "hours/week", MEAN, LEVEL, 0, L, L,                     \
      "mean home care hours a week in use or held")                                               \
    X(HOME_CARE_HOURS_AVAILABLE, "home_care_hours_available", "hours/week", MEAN, LEVEL, 0, L, L, \
      "mean home care hours a week the workforce can deliver (filled posts, sickness)")           \
    X(HOME_CARE_UNMET_HOURS, "home_care_unmet_hours", "hours/week", MEAN, LEVEL, 0, L, L,         \
      "mean home care hours a week wanted by people waiting for a package")                       \
    X(COMMUNITY_DEMAND_UNMET, "community_demand_unmet", "people", TOTAL, SUM, 0, L, L,            \
      "people in the community who gave up waiting for home care or a care home")                \
    X(LEVER_COST, "lever_cost", "GBP", TOTAL, SUM, 0, H | L, H | L,                               \
      "running cost of the partnership levers in use (part of cost)")                             \
    X(COST, "cost", "GBP", TOTAL, SUM, 0, H | L | C, H | L | C,                                         \
      "cost borne: acute bed-days (hospital), home care and care home days (council), "         \
      "community, interim and virtual ward days (community provider), and the running cost of "  \
      "the levers each organisation uses")

enum wf_metric_id {
#define WF_METRIC_ENUM(id, ...) WF_M_##id,
    WF_METRICS(WF_METRIC_ENUM)
#undef WF_METRIC_ENUM
    WF_NMETRIC,
    /* hidden raw accumulators: numerators of RATIO metrics that are not
     * themselves metrics */
    WF_RAW_ED_WAIT_SUM = WF_NMETRIC,
    WF_RAW_OCC_8AM,
    WF_RAW_OPEN_8AM,
    WF_RAW_DRD_DISCHARGES,   /* discharges with a ready date (all but deaths) */
    WF_RAW_DELAY_BIN0,       /* WF_NDELAY_BINS counts of discharges by delay */
    WF_NRAW = WF_RAW_DELAY_BIN0 + WF_NDELAY_BINS
};

typedef struct {
    const char *name, *unit, *doc;
    wf_metric_kind kind;
    wf_rule rule;
    int num;   /* raw slot of the value (numerator for RATIO, first bin for PCTL, metric for FLAG) */
    int den;   /* raw slot of the denominator (RATIO only) */
    int orgs;  /* WF_KIND_BIT mask of wf_org_kind */
    int sys;   /* WF_KIND_BIT mask of kinds summed into the system column */
    double p;  /* PCTL: the percentile (0..1) */
} wf_metric_def;

extern const wf_metric_def wf_metric_defs[WF_NMETRIC];

#endif /* WF_METRICS_H */
