/*
 * THE parameter table. One row per scenario key: its name, type, default
 * (YAML text), bounds, choices, unit, one-line doc, and where the value goes
 * in wf_config. The loader, --set, validation, to_yaml, the CLI's `params`
 * listing and the docs all read this table; no other place in the library
 * holds a default or a bound.
 *
 * Rows are grouped by key prefix in the order to_yaml writes them. Rows with
 * WF_B_ITEM describe the fields of the items of a list row (calendar.outbreaks,
 * calendar.workforce); a NULL default there means the field is required.
 * Distribution blocks are three rows each (.distribution, .mean_days, .cv),
 * so a later layer can override one of them alone.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "params/internal.h"

#define NONE NAN

/* Upper bounds of every capacity, rate, count, duration and cost: far
 * above any real system, so that no real scenario meets them, and low
 * enough that no value makes a run's work or memory explode or its
 * arithmetic overflow (docs/parameters.md lists them, docs/faults.md says
 * why). */
#define MAX_BEDS 100000            /* beds or places of one hospital or provider (the largest NHS trust has ~3,000) */
#define MAX_COUNCIL_PLACES 1000000 /* care packages, care home beds or care posts of one council (England: ~450,000 care home beds) */
#define MAX_PER_DAY 100000         /* admissions, starts or assessments a day (England: ~17,000 emergency admissions a day) */
#define MAX_PEOPLE 100000000       /* residents of one locality (England: 57 million) */
#define MAX_PER_1000 10000         /* admissions per 1,000 residents a year (England: ~105) */
#define MAX_DAYS 36500             /* a mean duration or a wave's width: a hundred years */
#define MAX_CV 100                 /* coefficient of variation of a duration */
#define MAX_HOURS_WEEK 168         /* hours in a week */
#define MAX_FACTOR 100             /* a multiplier of admissions or of a risk */
#define MAX_HOUR_FACTOR 1000       /* the relative weight of an hour of the day */
#define MAX_GBP 1000000000         /* one unit cost, in pounds */
#define DISTS "exponential|lognormal|gamma|weibull|fixed"
#define P(k, ty, d, lo, hi, ch, u, dc) .info = {k, ty, d, lo, hi, ch, u, dc}

#define TOP(k, ty, d, lo, hi, ch, u, dc, T, field) \
    {P(k, ty, d, lo, hi, ch, u, dc), .type = T, .bind = WF_B_TOP, .off = offsetof(wf_config, field)}
#define ORG(B, S, k, ty, d, lo, hi, ch, u, dc, T, field) \
    {P(k, ty, d, lo, hi, ch, u, dc), .type = T, .bind = B, .off = offsetof(S, field)}
#define HOSP(...) ORG(WF_B_HOSP, wf_hospital_cfg, __VA_ARGS__)
#define LOC(...) ORG(WF_B_LOC, wf_locality_cfg, __VA_ARGS__)
#define COMM(...) ORG(WF_B_COMM, wf_community_cfg, __VA_ARGS__)
#define VOL(...) ORG(WF_B_VOL, wf_voluntary_cfg, __VA_ARGS__)
#define CUSTOM(k, ty, d, lo, hi, ch, u, dc, B, fn, fl) \
    {P(k, ty, d, lo, hi, ch, u, dc), .type = WF_T_CUSTOM, .bind = B, .set = wf_set_##fn, \
     .get = wf_get_##fn, .flags = fl}
#define ITEM(k, ty, d, lo, hi, ch, u, dc, T, fl) \
    {P(k, ty, d, lo, hi, ch, u, dc), .type = T, .bind = WF_B_ITEM, .flags = fl}

/* A distribution block in wf_config: three rows. */
#define DIST(k, field, dkind, dmean, dcv, what) \
    TOP(k ".distribution", "enum", dkind, NONE, NONE, DISTS, "", \
        "Distribution family of " what ".", WF_T_ENUM, field.kind), \
    TOP(k ".mean_days", "real", dmean, 0, MAX_DAYS, NULL, "days", \
        "Mean of " what "; 0 = none.", WF_T_REAL, field.mean_days), \
    {P(k ".cv", "real", dcv, 0, MAX_CV, NULL, "", \
       "Coefficient of variation (> 0) of " what "; used by lognormal, gamma and weibull, " \
       "ignored by exponential and fixed."), \
     .type = WF_T_REAL, .bind = WF_B_TOP, .off = offsetof(wf_config, field.cv), \
     .flags = WF_F_EXCL_MIN}

/* A distribution block of another quantity than days: mean key and unit given. */
#define DISTQ(k, field, dkind, dmean, dcv, what, meankey, unit) \
    TOP(k ".distribution", "enum", dkind, NONE, NONE, DISTS, "", \
        "Distribution family of " what ".", WF_T_ENUM, field.kind), \
    TOP(k "." meankey, "real", dmean, 0, MAX_HOURS_WEEK, NULL, unit, \
        "Mean of " what "; 0 = none.", WF_T_REAL, field.mean_days), \
    {P(k ".cv", "real", dcv, 0, MAX_CV, NULL, "", \
       "Coefficient of variation (> 0) of " what "; used by lognormal, gamma and weibull, " \
       "ignored by exponential and fixed."), \
     .type = WF_T_REAL, .bind = WF_B_TOP, .off = offsetof(wf_config, field.cv), \
     .flags = WF_F_EXCL_MIN}

/* A council's or a hospital's own setting of a partnership lever: null
 * (the default) takes the system's `partnership.*` value. */
#define LEVER_TRI(B, S, k, dc, field) \
    {P(k, "bool", "null", NONE, NONE, NULL, "", dc " null = the system's setting."), \
     .type = WF_T_TRI, .bind = B, .off = offsetof(S, field), .flags = WF_F_NULLABLE}
#define LEVER_REAL(B, S, k, lo, hi, u, dc, field) \
    {P(k, "real", "null", lo, hi, NULL, u, dc " null = the system's setting."), \
     .type = WF_T_REAL_NULL, .bind = B, .off = offsetof(S, field), .flags = WF_F_NULLABLE}

#define SHARE(k, d, dc, field) TOP(k, "real", d, 0, 1, NULL, "share", dc, WF_T_REAL, field)

#define NEED(f, F, a, b, c, d) \
    SHARE("patients.pathway_need." f ".p0", a, "Share of " f " patients needing pathway 0 (home, no new support) at MOFD.", pathway_need[F][0]), \
    SHARE("patients.pathway_need." f ".p1", b, "Share of " f " patients needing pathway 1 (home with care or reablement).", pathway_need[F][1]), \
    SHARE("patients.pathway_need." f ".p2", c, "Share of " f " patients needing pathway 2 (community bed).", pathway_need[F][2]), \
    SHARE("patients.pathway_need." f ".p3", d, "Share of " f " patients needing pathway 3 (care home).", pathway_need[F][3])

#define PER_FRAILTY(k, a, b, c, d, dc, field) \
    SHARE(k ".fit", a, dc " (fit patients).", field[WF_FIT]), \
    SHARE(k ".mild", b, dc " (mildly frail).", field[WF_MILD]), \
    SHARE(k ".moderate", c, dc " (moderately frail).", field[WF_MODERATE]), \
    SHARE(k ".severe", d, dc " (severely frail).", field[WF_SEVERE])

#define FRAILTIES "fit|mild|moderate|severe"
#define WEEKDAYS "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
#define SERVICES "beds|home_care|care_home|community_bed|assessors|virtual_ward"

const wf_row wf_rows[] = {
    TOP("name", "string", "\"\"", NONE, NONE, NULL, "", "Name of the scenario, used in results and files.", WF_T_STRING, name),
    {P("extends", "path", "null", NONE, NONE, NULL, "",
       "A base scenario file loaded first (relative to this file); this file's keys override it."),
     .type = WF_T_STRING, .bind = WF_B_NONE, .flags = WF_F_NULLABLE | WF_F_NOEMIT},
    {P("replace", "list<enum>", "null", NONE, NONE, "hospitals|localities|community|voluntary", "",
       "With extends: organisation sections of the bases to drop (their organisations and every key that names them), "
       "so that this file declares its own."),
     .type = WF_T_STRING, .bind = WF_B_NONE, .flags = WF_F_NULLABLE | WF_F_NOEMIT},

    /* run */
    TOP("run.start_date", "date", "2025-10-01", NONE, NONE, NULL, "date", "Day 0 of the measured window; fixes weekdays and holidays.", WF_T_DATE, start_date),
    TOP("run.days", "int", "182", 1, 3650, NULL, "days", "Length of the measured window.", WF_T_INT, days),
    TOP("run.warmup_days", "int", "56", 0, 3650, NULL, "days", "Days simulated before start_date and not measured.", WF_T_INT, warmup_days),
    TOP("run.replicates", "int", "20", 1, 100000, NULL, "replicates", "Independent replicates of the run.", WF_T_INT, replicates),
    TOP("run.seed", "int", "1", 0, 9007199254740992.0, NULL, "", "Seed of every random stream.", WF_T_U64, seed),

    /* calendar */
    {P("calendar.weekday_factor", "list<real>", "[1.08, 1.02, 1.00, 0.99, 1.02, 0.93, 0.96]", 0, MAX_FACTOR, NULL, "factor",
       "Emergency admissions multiplier by day of week, exactly 7 values, Mon..Sun."),
     .type = WF_T_REALS, .bind = WF_B_TOP, .off = offsetof(wf_config, weekday_factor), .len = 7},
    TOP("calendar.winter.amplitude", "real", "0.08", 0, 0.99, NULL, "factor", "Seasonal admissions curve 1 + amplitude*cos(2 pi (t - peak)/365.25); 0 = off.", WF_T_REAL, winter_amplitude),
    TOP("calendar.winter.peak", "date", "2026-01-05", NONE, NONE, NULL, "date", "Date of the seasonal peak.", WF_T_DAY, winter_peak),
    CUSTOM("calendar.outbreaks", "list<outbreak>", "[]", NONE, NONE, NULL, "",
           "Gaussian waves of extra emergency admissions (flu, COVID, norovirus), shared by population.", WF_B_TOP, outbreaks, 0),
    ITEM("calendar.outbreaks[].name", "string", NULL, NONE, NONE, NULL, "", "Name of the wave.", WF_T_STRING, 0),
    ITEM("calendar.outbreaks[].peak", "date", NULL, NONE, NONE, NULL, "date", "Date of the wave's peak.", WF_T_DAY, 0),
    ITEM("calendar.outbreaks[].width_days", "real", NULL, 0, MAX_DAYS, NULL, "days", "Standard deviation of the wave (> 0).", WF_T_REAL, WF_F_EXCL_MIN),
    ITEM("calendar.outbreaks[].extra_admissions_per_day", "real", NULL, 0, MAX_PER_DAY, NULL, "admissions/day", "Extra emergency admissions per day at the peak, whole system.", WF_T_REAL, 0),
    CUSTOM("calendar.bank_holidays", "list<date>", "[]", NONE, NONE, NULL, "date", "Bank holidays: admissions scaled by bank_holiday_factor; not working days.", WF_B_TOP, bank_holidays, 0),
    TOP("calendar.bank_holiday_factor", "real", "0.8", 0, 2, NULL, "factor", "Emergency admissions multiplier on bank holidays.", WF_T_REAL, bank_holiday_factor),
    TOP("calendar.arrival_process", "enum", "poisson", NONE, NONE, "poisson|regular", "", "Emergency arrivals: Poisson, or regular (deterministic, every 1/rate) for hand-checked tests.", WF_T_ENUM, arrival_process),
    {P("calendar.hour_factor", "list<real>",
       "[0.75, 0.6, 0.5, 0.45, 0.4, 0.4, 0.45, 0.55, 0.7, 0.85, 1.0, 1.15, 1.3, 1.4, 1.45, 1.45, 1.45, 1.4, 1.35, 1.3, 1.2, 1.1, 1.0, 0.9]",
       0, MAX_HOUR_FACTOR, NULL, "factor",
       "Emergency admissions (decisions to admit) by hour of the day, exactly 24 values from 00:00; "
       "relative (scaled to a mean of 1). All equal = no daily pattern."),
     .type = WF_T_REALS, .bind = WF_B_TOP, .off = offsetof(wf_config, hour_factor), .len = 24},
    CUSTOM("calendar.workforce", "list<workforce>", "[]", NONE, NONE, NULL, "",
           "Winter workforce periods: capacity x factor for some services over [start, end).", WF_B_TOP, workforce, 0),
    ITEM("calendar.workforce[].name", "string", NULL, NONE, NONE, NULL, "", "Name of the period.", WF_T_STRING, 0),
    ITEM("calendar.workforce[].services", "list<enum>", NULL, NONE, NONE, SERVICES, "", "Services whose capacity is scaled.", WF_T_CUSTOM, 0),
    ITEM("calendar.workforce[].organisation", "string", "null", NONE, NONE, NULL, "", "The organisation affected; absent or null = all organisations.", WF_T_STRING, WF_F_NULLABLE),
    ITEM("calendar.workforce[].start", "date", NULL, NONE, NONE, NULL, "date", "First day of the period.", WF_T_DAY, 0),
    ITEM("calendar.workforce[].end", "date", NULL, NONE, NONE, NULL, "date", "Day after the period (after start).", WF_T_DAY, 0),
    ITEM("calendar.workforce[].factor", "real", NULL, 0, 2, NULL, "factor", "Capacity multiplier.", WF_T_REAL, 0),

    /* localities */
    LOC("localities.<locality>.system", "string", "\"\"", NONE, NONE, NULL, "",
        "Integrated care system the locality belongs to (\"\" = none). A locality's admissions to a hospital of another "
        "system cross a boundary: the two systems simulate in parallel and hand such patients over a day at a time.",
        WF_T_STRING, system),
    LOC("localities.<locality>.population", "real", "600000", 0, MAX_PEOPLE, NULL, "people",
        "Resident population. Scales the emergency admissions when emergency_admissions_per_day is null, and the "
        "running cost of trusted assessors and seven-day council working (per 100,000 residents).", WF_T_REAL, population),
    {P("localities.<locality>.emergency_admissions_per_day", "real", "null", 0, MAX_PER_DAY, NULL, "admissions/day",
       "Base rate of emergency admissions of residents; null = population x emergency_admissions_per_1000 / 1000 / 365."),
     .type = WF_T_REAL_NULL, .bind = WF_B_LOC, .off = offsetof(wf_locality_cfg, admissions_per_day), .flags = WF_F_NULLABLE},
    LOC("localities.<locality>.emergency_admissions_per_1000", "real", "52.8", 0, MAX_PER_1000, NULL, "admissions/1000/year",
        "Emergency admissions (overnight, to a G&A bed) per 1,000 residents a year, used when emergency_admissions_per_day "
        "is null. Default: the calibrated reference's rate (217 a day for 1.5 million people).", WF_T_REAL, admissions_per_1000),
    LOC("localities.<locality>.frailty_mix.fit", "real", "0.55", 0, 1, NULL, "share", "Share of admissions who are fit (the mix sums to 1).", WF_T_REAL, frailty_mix[WF_FIT]),
    LOC("localities.<locality>.frailty_mix.mild", "real", "0.20", 0, 1, NULL, "share", "Share of admissions with mild frailty.", WF_T_REAL, frailty_mix[WF_MILD]),
    LOC("localities.<locality>.frailty_mix.moderate", "real", "0.15", 0, 1, NULL, "share", "Share of admissions with moderate frailty.", WF_T_REAL, frailty_mix[WF_MODERATE]),
    LOC("localities.<locality>.frailty_mix.severe", "real", "0.10", 0, 1, NULL, "share", "Share of admissions with severe frailty.", WF_T_REAL, frailty_mix[WF_SEVERE]),
    CUSTOM("localities.<locality>.hospital_share.<hospital>", "real", NULL, 0, 1, NULL, "share",
           "Share of the locality's admissions going to the hospital (sums to 1; default {the only hospital: 1}).", WF_B_LOC, hospital_share, 0),
    LOC("localities.<locality>.home_care_packages", "int", "400", 0, MAX_COUNCIL_PLACES, NULL, "packages", "Pathway 1 places: concurrent home care packages.", WF_T_INT, home_care_packages),
    LOC("localities.<locality>.care_home_beds", "int", "900", 0, MAX_COUNCIL_PLACES, NULL, "beds", "Pathway 3 places: care home beds (residential and nursing).", WF_T_INT, care_home_beds),
    LOC("localities.<locality>.care_home_nursing_share", "real", "0.49", 0, 1, NULL, "share",
        "Share of the care home beds that are nursing beds; patients who need nursing care take only those, the others only residential beds.",
        WF_T_REAL, care_home_nursing_share),
    {P("localities.<locality>.home_care_posts", "real", "null", 0, MAX_COUNCIL_PLACES, NULL, "posts",
       "Funded home care worker posts (full-time equivalent) serving the council's residents: capacity in hours a week is "
       "posts x (1 - vacancy rate) x services.home_care.hours_per_worker_week. null = home_care_packages packages of the mean size."),
     .type = WF_T_REAL_NULL, .bind = WF_B_LOC, .off = offsetof(wf_locality_cfg, home_care_posts), .flags = WF_F_NULLABLE},
    LOC("localities.<locality>.home_care_vacancy_rate", "real", "0.119", 0, 0.95, NULL, "share",
        "Share of home care posts vacant (Skills for Care: domiciliary care 11.9% in 2023/24).", WF_T_REAL, home_care_vacancy_rate),
    {P("localities.<locality>.assessors_per_day", "real", "null", 0, MAX_PER_DAY, NULL, "assessments/day",
       "Social work assessments started per working day; null = no limit."),
     .type = WF_T_REAL_NULL, .bind = WF_B_LOC, .off = offsetof(wf_locality_cfg, assessors_per_day), .flags = WF_F_NULLABLE},
    LOC("localities.<locality>.community_demand.home_care_per_day", "real", "0", 0, MAX_PER_DAY, NULL, "starts/day", "Non-hospital demand for home care packages.", WF_T_REAL, community_demand[WF_DEMAND_HOME_CARE]),
    LOC("localities.<locality>.community_demand.care_home_per_day", "real", "0", 0, MAX_PER_DAY, NULL, "starts/day", "Non-hospital demand for care home places (self-funders and council-funded).", WF_T_REAL, community_demand[WF_DEMAND_CARE_HOME]),
    LOC("localities.<locality>.community_demand.rehab_bed_per_day", "real", "0", 0, MAX_PER_DAY, NULL, "starts/day", "Non-hospital (step-up) demand for the community provider's rehabilitation beds.", WF_T_REAL, community_demand[WF_DEMAND_REHAB_BED]),
    LEVER_TRI(WF_B_LOC, wf_locality_cfg, "localities.<locality>.partnership.trusted_assessor", "This council's trusted assessor.", lever.trusted_assessor),
    LEVER_TRI(WF_B_LOC, wf_locality_cfg, "localities.<locality>.partnership.discharge_to_assess", "This council's discharge to assess.", lever.discharge_to_assess),
    LEVER_TRI(WF_B_LOC, wf_locality_cfg, "localities.<locality>.partnership.seven_day_working", "Seven-day social care (assessments, brokerage, care starts) in this council.", lever.seven_day_working),
    LEVER_TRI(WF_B_LOC, wf_locality_cfg, "localities.<locality>.partnership.bridging", "Bridging for this council's residents.", lever.bridging),
    LEVER_REAL(WF_B_LOC, wf_locality_cfg, "localities.<locality>.partnership.pooled_capacity", 0, 1, "share", "Share of this council's home care and care home capacity pooled.", lever.pooled_capacity),
    LEVER_REAL(WF_B_LOC, wf_locality_cfg, "localities.<locality>.partnership.admission_avoidance", 0, 1, "share", "Admission avoidance for this council's residents.", lever.admission_avoidance),
    {P("localities.<locality>.partnership.referral_delay.distribution", "enum", "null", NONE, NONE, DISTS, "",
       "Distribution family of this council's referral latency; null = the system's setting."),
     .type = WF_T_ENUM, .bind = WF_B_LOC, .off = offsetof(wf_locality_cfg, lever.referral_kind), .flags = WF_F_NULLABLE},
    LEVER_REAL(WF_B_LOC, wf_locality_cfg, "localities.<locality>.partnership.referral_delay.mean_days", 0, MAX_DAYS, "days", "Mean referral latency to this council.", lever.referral_mean_days),
    LEVER_REAL(WF_B_LOC, wf_locality_cfg, "localities.<locality>.partnership.referral_delay.cv", 0, MAX_CV, "", "Coefficient of variation of that latency.", lever.referral_cv),
    CUSTOM("localities.<locality>.partnership.funding_panel_weekdays", "list<enum>", "null", NONE, NONE, WEEKDAYS, "",
           "Weekdays this council's funding panel sits; [] = delegated decisions; null = the system's setting.", WF_B_LOC, weekdays, WF_F_NULLABLE),

    /* hospitals */
    HOSP("hospitals.<hospital>.system", "string", "\"\"", NONE, NONE, NULL, "",
         "Integrated care system the hospital belongs to (\"\" = none); see localities.<locality>.system.",
         WF_T_STRING, system),
    HOSP("hospitals.<hospital>.beds", "int", "1200", 0, MAX_BEDS, NULL, "beds", "General and acute beds.", WF_T_INT, beds),
    HOSP("hospitals.<hospital>.escalation_beds", "int", "0", 0, MAX_BEDS, NULL, "beds", "Surge beds opened above the escalation threshold.", WF_T_INT, escalation_beds),
    HOSP("hospitals.<hospital>.escalation_threshold", "real", "0.95", 0, 1, NULL, "share", "Occupancy at the daily review above which escalation beds open.", WF_T_REAL, escalation_threshold),
    HOSP("hospitals.<hospital>.ed_policy", "enum", "queue", NONE, NONE, "queue|divert", "", "Admitted patients with no free bed wait in ED (queue) or are lost (divert).", WF_T_ENUM, ed_policy),
    HOSP("hospitals.<hospital>.electives_per_weekday", "int", "0", 0, MAX_PER_DAY, NULL, "admissions/day", "Elective admissions scheduled per weekday.", WF_T_INT, electives_per_weekday),
    HOSP("hospitals.<hospital>.elective_reserve_beds", "int", "0", 0, MAX_BEDS, NULL, "beds", "Electives take a bed only if more than this many are free.", WF_T_INT, elective_reserve_beds),
    HOSP("hospitals.<hospital>.elective_hour", "real", "8", 0, 24, NULL, "hour", "Hour of the daily bed meeting: the day's electives are admitted then if more than elective_reserve_beds beds are free (after the ED queue), else cancelled.", WF_T_REAL, elective_hour),
    CUSTOM("hospitals.<hospital>.discharge_hours", "list<real>", "[8, 20]", 0, 24, NULL, "hour",
           "Discharge window [open, close), open < close; [0, 24] = any time.", WF_B_HOSP, discharge_hours, 0),
    HOSP("hospitals.<hospital>.specialties", "int", "6", 1, 64, NULL, "wards",
         "Specialties the G&A beds are split into, evenly: a patient waits in ED for a bed on a ward of its own specialty "
         "(1 = one pool of beds).", WF_T_INT, specialties),
    {P("hospitals.<hospital>.outlier_hours", "real", "null", 0, 72, NULL, "hours",
       "After this wait in ED a patient takes a free bed on any ward (an outlier); null = never."),
     .type = WF_T_REAL_NULL, .bind = WF_B_HOSP, .off = offsetof(wf_hospital_cfg, outlier_hours), .flags = WF_F_NULLABLE},
    CUSTOM("hospitals.<hospital>.ward_round_hours", "list<real>", "[8, 12]", 0, 24, NULL, "hour",
           "Ward round [start, end): a patient whose clinical stay ends outside it is declared medically optimised at the next "
           "round (senior review before midday: NHS SAFER patient flow bundle); [0, 24] = at once.", WF_B_HOSP, discharge_hours, 0),
    LEVER_TRI(WF_B_HOSP, wf_hospital_cfg, "hospitals.<hospital>.partnership.seven_day_working", "Discharges of every pathway at weekends from this hospital.", lever.seven_day_working),
    LEVER_REAL(WF_B_HOSP, wf_hospital_cfg, "hospitals.<hospital>.partnership.planning_lead_days", 0, 60, "days", "This hospital's discharge planning lead.", lever.planning_lead_days),

    /* community providers */
    COMM("community.<community>.intermediate_care_beds", "int", "150", 0, MAX_BEDS, NULL, "beds", "Pathway 2 places: intermediate care / community rehabilitation beds.", WF_T_INT, intermediate_care_beds),
    COMM("community.<community>.virtual_ward_places", "int", "0", 0, MAX_BEDS, NULL, "places", "Urgent community response / virtual ward places for admission avoidance.", WF_T_INT, virtual_ward_places),
    COMM("community.<community>.bridging_places", "int", "0", 0, MAX_BEDS, NULL, "places", "Interim places: bridging while the exact service is found (partnership.bridging) and discharge-to-assess beds for pathway 3.", WF_T_INT, bridging_places),
    CUSTOM("community.<community>.serves", "list<locality>", "[]", NONE, NONE, NULL, "",
           "Localities served; a locality is served by at most one community provider.", WF_B_COMM, serves, 0),

    /* voluntary sector */
    VOL("voluntary.<voluntary>.places", "int", "0", 0, MAX_BEDS, NULL, "places", "Concurrent 'home from hospital' supports for pathway 0/1 patients.", WF_T_INT, places),
    CUSTOM("voluntary.<voluntary>.serves", "list<locality>", "[]", NONE, NONE, NULL, "",
           "Localities served; a locality is served by at most one voluntary service.", WF_B_VOL, serves, 0),

    /* patients */
    DIST("patients.los.fit", los[WF_FIT], "lognormal", "4.9", "2.2", "the clinical stay of fit patients until medically optimised"),
    DIST("patients.los.mild", los[WF_MILD], "lognormal", "8.0", "2.1", "the clinical stay of mildly frail patients"),
    DIST("patients.los.moderate", los[WF_MODERATE], "lognormal", "10.4", "2.0", "the clinical stay of moderately frail patients"),
    DIST("patients.los.severe", los[WF_SEVERE], "lognormal", "12.2", "1.9", "the clinical stay of severely frail patients"),
    DIST("patients.elective_los", elective_los, "lognormal", "3.0", "0.9", "the stay of elective patients"),
    NEED("fit", WF_FIT, "0.975", "0.02", "0.005", "0.0"),
    NEED("mild", WF_MILD, "0.76", "0.21", "0.025", "0.005"),
    NEED("moderate", WF_MODERATE, "0.66", "0.28", "0.045", "0.015"),
    NEED("severe", WF_SEVERE, "0.55", "0.35", "0.07", "0.03"),
    SHARE("patients.deconditioning.escalation_per_delayed_day", "0.01", "Probability per delayed day that the pathway need rises one step.", escalation_per_delayed_day),
    TOP("patients.deconditioning.readmission_per_delayed_day", "real", "0.01", 0, MAX_FACTOR, NULL, "factor", "Relative rise of the 30-day readmission risk per delayed day.", WF_T_REAL, readmission_per_delayed_day),
    SHARE("patients.readmission_30d.p0", "0.13", "30-day readmission probability after a pathway 0 discharge.", readmission_30d[0]),
    SHARE("patients.readmission_30d.p1", "0.175", "30-day readmission probability after a pathway 1 discharge.", readmission_30d[1]),
    SHARE("patients.readmission_30d.p2", "0.175", "30-day readmission probability after a pathway 2 discharge.", readmission_30d[2]),
    SHARE("patients.readmission_30d.p3", "0.12", "30-day readmission probability after a pathway 3 discharge.", readmission_30d[3]),
    TOP("patients.avoidance_min_frailty", "enum", "moderate", NONE, NONE, FRAILTIES, "", "Arrivals this frail or more are eligible for admission avoidance.", WF_T_ENUM, avoidance_min_frailty),
    PER_FRAILTY("patients.death_in_hospital", "0.004", "0.015", "0.035", "0.07", "Probability of dying in hospital before being medically optimised", death_in_hospital),
    SHARE("patients.death_per_delayed_day", "0.002", "Probability per day of dying while delayed in an acute bed.", death_per_delayed_day),
    PER_FRAILTY("patients.carer_available", "0.6", "0.5", "0.4", "0.3", "Share with an unpaid carer able to help at home", carer_available),
    SHARE("patients.carer_substitution.p1", "0.15", "With a carer: chance that a pathway 1 need is met by the carer (pathway 0 instead).", carer_replaces_p1),
    SHARE("patients.carer_substitution.p3", "0.10", "With a carer: chance that a pathway 3 need is met at home with care (pathway 1 instead).", carer_replaces_p3),
    PER_FRAILTY("patients.complex_needs", "0.05", "0.1", "0.15", "0.25", "Share with complex care needs (double-handed home care, specialist dementia or bariatric care), for whom few vacancies are suitable", complex_needs),
    PER_FRAILTY("patients.nursing_need", "0.3", "0.3", "0.45", "0.6", "Share of pathway 3 patients who need a nursing bed", nursing_need),
    TOP("patients.expected_discharge.set_after_days", "real", "1", 0, 30, NULL, "days", "The expected discharge date is set this long after admission (SAFER: every patient has one).", WF_T_REAL, edd_set_after_days),
    TOP("patients.expected_discharge.error_cv", "real", "0.4", 0, 5, NULL, "", "Error of the expected discharge date: the clinical stay times a lognormal factor of mean 1 and this cv; 0 = exact.", WF_T_REAL, edd_error_cv),
    DIST("patients.discharge_process", discharge_process, "lognormal", "0.2", "0.6", "the time from being free to go to leaving the bed (medicines, transport, paperwork)"),
    DIST("patients.home_readiness", home_readiness, "lognormal", "0.5", "1.0", "getting home ready for a frail pathway 0 patient without a carer, unless voluntary home-from-hospital support takes them"),

    /* services */
    DIST("services.home_care.reablement", reablement, "lognormal", "16", "0.6", "a reablement package"),
    SHARE("services.home_care.long_term_share", "0.25", "Share who need a long-term package after reablement.", long_term_share),
    DIST("services.home_care.long_term", long_term, "gamma", "240", "0.5", "a long-term home care package"),
    {P("services.home_care.initial_occupancy", "real", "null", 0, 1, NULL, "share",
       "Share of home care capacity in use at the start of warm-up; null = the level its inflows and spells imply (capped at capacity)."),
     .type = WF_T_REAL_NULL, .bind = WF_B_TOP, .off = offsetof(wf_config, home_care_initial_occupancy), .flags = WF_F_NULLABLE},
    DISTQ("services.home_care.package_hours", package_hours, "gamma", "11", "0.6", "the home care hours a week of a package", "mean_hours", "hours/week"),
    TOP("services.home_care.hours_per_worker_week", "real", "22", 0, 80, NULL, "hours/week", "Contact hours a week per filled home care post.", WF_T_REAL, hours_per_worker_week),
    {P("services.home_care.match", "real", "0.8", 0, 1, NULL, "share", "Chance that a package's worth of free hours suits a waiting person (rounds, place, time of day); 1 = any free hours will do."),
     .type = WF_T_REAL, .bind = WF_B_TOP, .off = offsetof(wf_config, home_care_match), .flags = WF_F_EXCL_MIN},
    DIST("services.community_bed.rehab", rehab, "lognormal", "21", "0.6", "rehabilitation in a community bed"),
    SHARE("services.community_bed.onward.p0", "0.60", "Share leaving a community bed home without new support (p0+p1+p3 = 1).", onward[0]),
    SHARE("services.community_bed.onward.p1", "0.30", "Share leaving a community bed for home care.", onward[1]),
    SHARE("services.community_bed.onward.p3", "0.10", "Share leaving a community bed for a care home.", onward[3]),
    {P("services.community_bed.initial_occupancy", "real", "null", 0, 1, NULL, "share", "Share of community beds taken at the start of warm-up; null = implied by inflows."),
     .type = WF_T_REAL_NULL, .bind = WF_B_TOP, .off = offsetof(wf_config, community_bed_initial_occupancy), .flags = WF_F_NULLABLE},
    {P("services.community_bed.match", "real", "0.5", 0, 1, NULL, "share", "Chance that a free community bed suits a waiting patient; 1 = any."),
     .type = WF_T_REAL, .bind = WF_B_TOP, .off = offsetof(wf_config, community_bed_match), .flags = WF_F_EXCL_MIN},
    SHARE("services.community_bed.death", "0.03", "Probability of dying during rehabilitation in a community bed.", community_bed_death),
    DIST("services.care_home.stay", care_home_stay, "gamma", "730", "0.5", "a care home stay"),
    {P("services.care_home.initial_occupancy", "real", "null", 0, 1, NULL, "share", "Share of care home beds taken at the start of warm-up; null = implied by inflows and stays."),
     .type = WF_T_REAL_NULL, .bind = WF_B_TOP, .off = offsetof(wf_config, care_home_initial_occupancy), .flags = WF_F_NULLABLE},
    {P("services.care_home.match", "real", "0.0021", 0, 1, NULL, "share", "Chance that a vacancy in a care home suits a waiting person (needs, place, the home's acceptance); 1 = any."),
     .type = WF_T_REAL, .bind = WF_B_TOP, .off = offsetof(wf_config, care_home_match), .flags = WF_F_EXCL_MIN},
    SHARE("services.care_home.death_share", "0.8", "Share of care home stays that end in the resident's death.", care_home_death_share),
    TOP("services.brokerage_hour", "real", "10", 0, 24, NULL, "hour", "Hour of the daily brokerage round, when waiting people are matched again to every vacancy (working days, or every day with seven-day working).", WF_T_REAL, brokerage_hour),
    TOP("services.community_patience_days", "real", "28", 0, 3650, NULL, "days", "Mean wait after which community (non-hospital) demand stops waiting and finds care elsewhere; 0 = waits forever.", WF_T_REAL, community_patience_days),
    SHARE("services.complex_match_factor", "0.1", "For a person with complex needs, the chance that a vacancy suits them, relative to others (services.*.match).", complex_match_factor),
    DIST("services.virtual_ward.stay", virtual_ward_stay, "lognormal", "5", "0.5", "a virtual ward / urgent community response episode"),
    SHARE("services.virtual_ward.substitution", "0.4", "Admissions avoided per virtual ward episode: the rest of the caseload would not have been admitted (NHS England South East, 2024: 1 in 2.5).", virtual_ward_substitution),
    DIST("services.voluntary.support", voluntary_support, "lognormal", "14", "0.5", "home-from-hospital support by a voluntary service"),
    TOP("services.voluntary.readmission_factor", "real", "0.85", 0, 2, NULL, "factor", "Relative 30-day readmission risk of a patient the voluntary service supports home.", WF_T_REAL, voluntary_readmission_factor),

    /* costs */
    TOP("costs.acute_bed_day", "real", "562", 0, MAX_GBP, NULL, "GBP", "Cost of an acute bed-day.", WF_T_REAL, cost_acute_bed_day),
    TOP("costs.community_bed_day", "real", "300", 0, MAX_GBP, NULL, "GBP", "Cost of a community bed-day.", WF_T_REAL, cost_community_bed_day),
    TOP("costs.home_care_day", "real", "45", 0, MAX_GBP, NULL, "GBP", "Cost of a day of home care.", WF_T_REAL, cost_home_care_day),
    TOP("costs.care_home_day", "real", "139", 0, MAX_GBP, NULL, "GBP", "Cost of a care home day.", WF_T_REAL, cost_care_home_day),
    TOP("costs.virtual_ward_day", "real", "150", 0, MAX_GBP, NULL, "GBP", "Cost of a virtual ward day.", WF_T_REAL, cost_virtual_ward_day),
    TOP("costs.trusted_assessor_day", "real", "150", 0, MAX_GBP, NULL, "GBP", "Running cost per day of trusted assessor posts, per 100,000 residents of a council that uses them.", WF_T_REAL, cost_trusted_assessor_day),
    TOP("costs.seven_day_hospital_day", "real", "600", 0, MAX_GBP, NULL, "GBP", "Extra cost per day of seven-day discharge working, per 100 G&A beds.", WF_T_REAL, cost_seven_day_hospital_day),
    TOP("costs.seven_day_council_day", "real", "250", 0, MAX_GBP, NULL, "GBP", "Extra cost per day of seven-day social care working, per 100,000 residents.", WF_T_REAL, cost_seven_day_council_day),
    TOP("costs.funding_panel", "real", "1200", 0, MAX_GBP, NULL, "GBP", "Cost of one sitting of a council's funding panel (saved by delegated decisions).", WF_T_REAL, cost_funding_panel),

    /* partnership */
    {P("partnership.preset", "enum", "fragmented", NONE, NONE, "fragmented|integrated", "",
       "Named set of the levers below; keys given explicitly override it."),
     .type = WF_T_ENUM, .bind = WF_B_NONE},
    TOP("partnership.trusted_assessor", "bool", "false", NONE, NONE, NULL, "", "One assessment accepted by all: the receiving provider takes the patient on it (else it assesses again after offering a place, partnership.provider_assessment).", WF_T_BOOL, trusted_assessor),
    TOP("partnership.discharge_to_assess", "bool", "false", NONE, NONE, NULL, "", "Long-term needs assessed and funded after discharge, at home in reablement (pathway 1) or in an interim place (pathway 3), not in hospital.", WF_T_BOOL, discharge_to_assess),
    TOP("partnership.seven_day_working", "bool", "false", NONE, NONE, NULL, "", "Discharges, assessments, brokerage and care starts on every day (else working days).", WF_T_BOOL, seven_day_working),
    SHARE("partnership.weekend_discharge_share", "0.95", "Without seven-day working: the chance that a waiting pathway 0 patient is discharged on a weekend day or bank holiday (with weekend_review_share: all discharges about 40% fewer at weekends, as NHS England reports).", weekend_discharge_share),
    SHARE("partnership.weekend_review_share", "0.65", "Without seven-day working: the share of patients a weekend or bank holiday ward round reviews (the others are declared medically optimised at the next day's round).", weekend_review_share),
    SHARE("partnership.pooled_capacity", "0.0", "Share of each locality's home care and care home capacity pooled system-wide.", pooled_capacity),
    DIST("partnership.referral_delay", referral_delay, "exponential", "0.7", "1.0", "the referral latency"),
    DIST("partnership.assessment_delay", assessment_delay, "lognormal", "0.75", "0.8", "an assessment"),
    CUSTOM("partnership.funding_panel_weekdays", "list<enum>", "[Tue, Fri]", NONE, NONE, WEEKDAYS, "",
           "Weekdays the funding panel sits (it decides care home placements and complex home care packages); [] = delegated decisions.", WF_B_TOP, weekdays, 0),
    TOP("partnership.bridging", "bool", "false", NONE, NONE, NULL, "", "Interim bed or bridging care while the exact service is found.", WF_T_BOOL, bridging),
    SHARE("partnership.admission_avoidance", "0.0", "Share of eligible frail arrivals avoided, capacity permitting.", admission_avoidance),
    TOP("partnership.planning_lead_days", "real", "0.6", 0, 60, NULL, "days",
        "Discharge planning: the referral for support is made this long before the expected discharge date (at the latest when the patient is medically optimised).",
        WF_T_REAL, planning_lead_days),
    DIST("partnership.provider_assessment", provider_assessment, "lognormal", "1.5", "0.8", "the receiving provider's own assessment after a place is offered (none with a trusted assessor)"),
};

const size_t wf_nrows = sizeof wf_rows / sizeof wf_rows[0];

const wf_row *wf_row_find(const char *pattern) {
    if (!pattern) return NULL;
    for (size_t i = 0; i < wf_nrows; i++)
        if (!strcmp(wf_rows[i].info.key, pattern)) return &wf_rows[i];
    return NULL;
}

size_t wf_item_rows(const wf_row *list, const wf_row **out, size_t max) {
    size_t n = 0, l = strlen(list->info.key);
    for (size_t i = 0; i < wf_nrows; i++) {
        const char *k = wf_rows[i].info.key;
        if (wf_rows[i].bind == WF_B_ITEM && !strncmp(k, list->info.key, l) &&
            !strncmp(k + l, "[].", 3) && n < max)
            out[n++] = &wf_rows[i];
    }
    return n;
}

size_t wf_param_count(void) { return wf_nrows; }

const wf_param_info *wf_param_at(size_t i) { return i < wf_nrows ? &wf_rows[i].info : NULL; }

const wf_param_info *wf_param_find(const char *pattern) {
    const wf_row *r = wf_row_find(pattern);
    return r ? &r->info : NULL;
}
