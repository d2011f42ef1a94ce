/* The shipped models (models/): every file loads and validates; the
 * reference system under the fragmented preset reproduces the stylised
 * facts of an English winter within the tolerances documented in
 * docs/calibration.md; england.yaml runs.
 *
 * The same program prints the tables of docs/calibration.md and
 * docs/study.md:
 *
 *   test_models                 the test (ctest)
 *   test_models --report [N]    calibration table, N replicates (default 20)
 *   test_models --study [N]     fragmented vs integrated vs each single
 *                               lever, paired on common random numbers
 *
 * Public API only. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "check.h"
#include "engine_util.h"

#define MODELS WF_SOURCE_DIR "/models"

/* ---- every file under models/ loads and validates ---------------------- */

static int n_files = 0;

static void validate_tree(const char *dir)
{
    DIR *d = opendir(dir);
    CHECKF(d != NULL, "cannot open %s", dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) { validate_tree(path); continue; }
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".yaml")) continue;
        wf_scenario *s = wf_scenario_create();
        wf_status rc = wf_scenario_load_file(s, path);
        if (rc == WF_OK) rc = wf_scenario_validate(s);
        CHECKF(rc == WF_OK, "%s: %s", path, wf_scenario_error(s));
        n_files++;
        wf_scenario_destroy(s);
    }
    closedir(d);
}

/* ---- calibration measures ---------------------------------------------- */

/* One measure per replicate; mean and 95% interval over replicates. */
typedef struct { double v[256]; int n; } series;

static void stat_of(const series *x, double *mean, double *lo, double *hi)
{
    double m = 0, ss = 0;
    for (int i = 0; i < x->n; i++) m += x->v[i];
    m /= x->n;
    for (int i = 0; i < x->n; i++) ss += (x->v[i] - m) * (x->v[i] - m);
    double sd = x->n > 1 ? sqrt(ss / (x->n - 1)) : 0;
    /* Student t 0.975 quantiles for small n, else 1.96 */
    static const double t[] = {0, 12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
                               2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093};
    int df = x->n - 1;
    double q = df < 1 ? 0 : df < 20 ? t[df] : df < 30 ? 2.05 : 1.98;
    *mean = m;
    *lo = m - q * sd / sqrt(x->n);
    *hi = m + q * sd / sqrt(x->n);
}

enum {
    C_OCC_JAN, C_OCC_OCT, C_OCC_PEAK, C_NCTR_JAN, C_NCTR_ALL, C_STAY, C_SUPER, C_READMIT, C_ON_DAY,
    C_MEAN_DELAY, C_P90, C_R_REHAB, C_R_CARE_HOME, C_SOCIAL, C_12H_JAN, C_WEEKEND, C_DEATHS,
    C_P0, C_P1, C_P2, C_P3, C_HC_UTIL, C_CH_UTIL, C_CB_UTIL, C_NCTR_DRIFT, C_N
};

typedef struct {
    const char *name, *target, *source;
    double lo, hi; /* tolerance on the mean (test); 0, 1: reported only */
    double scale;  /* printed x scale */
} measure;

/* The targets and tolerances, documented in docs/calibration.md (sources
 * in docs/sources.md). Occupancy and NCTR are on the sitrep's basis: an
 * 08:00 snapshot. */
static const measure M[C_N] = {
    [C_OCC_JAN] = {"G&A occupancy at 08:00, January (%)", "94-96", "NHS England winter sitreps, Jan 2023-2025", 0.93, 0.97, 100},
    [C_OCC_OCT] = {"G&A occupancy at 08:00, October (%)", "below January", "seasonal shape", 0.78, 0.955, 100},
    [C_OCC_PEAK] = {"January / October occupied beds", "> 1 (winter peak)", "sitreps: winter peak", 1.01, 1.25, 1},
    [C_NCTR_JAN] = {"NCTR at 08:00 / occupied beds, January (%)", "12-14", "NHS England, Jan 2025; HoC Library 2023", 0.11, 0.155, 100},
    [C_NCTR_ALL] = {"NCTR at 08:00 / occupied beds, Oct-Mar (%)", "12-14", "same", 0.09, 0.155, 100},
    [C_STAY] = {"mean emergency stay, clinical + delay (days)", "~9 (9.1)", "Health Foundation 2023", 8.0, 10.0, 1},
    [C_SUPER] = {"beds held by stays of 21+ days at 08:00 (%)", "18-19", "NHS England/Improvement via HSJ, 2018-19", 0.14, 0.23, 100},
    [C_READMIT] = {"30-day readmissions / discharges (%)", "~14 (13.7)", "Nuffield Trust QualityWatch 2019", 0.125, 0.155, 100},
    [C_ON_DAY] = {"discharged on the ready date (%)", "~87", "Healthwatch England 2025, citing NHS England, Nov 2024", 0.78, 0.92, 100},
    [C_MEAN_DELAY] = {"mean delay per discharge (days)", "1.3 (regions 1.0-2.1)", "Health Foundation 2023, Dec 2022", 0.9, 2.1, 1},
    [C_P90] = {"90th percentile delay (days)", "most delays 1-2 days", "Healthwatch England 2025", 0, 1, 1},
    [C_R_REHAB] = {"NCTR 14+ days: rehab bed / home care", "0.85", "NHS England sitrep, Jun 2023 (PA analysis)", 0.55, 1.3, 1},
    [C_R_CARE_HOME] = {"NCTR 14+ days: care home / home care", "0.88", "same", 0.55, 1.3, 1},
    [C_SOCIAL] = {"delayed bed-days waiting for social care capacity: home care, care home (%)", "12-40",
                  "King's Fund 2024; Health Foundation 2022; DHSC 2023 (24% home care + 16% care home)", 0.12, 0.45, 100},
    [C_12H_JAN] = {"12-hour ED waits / emergency admissions, January (%)", "~10 (English rate)",
                   "NHS England A&E statistics, Jan 2025 (61,529 12-hour waits from decision to admit)", 0.03, 0.2, 100},
    [C_WEEKEND] = {"weekend / weekday discharges per day", "0.6 (40% fewer)", "NHS England weekend discharge guide 2022-23", 0.5, 0.72, 1},
    [C_DEATHS] = {"deaths in hospital / emergency admissions (%)", "~2 (of 3.1 incl. 30 days after)", "NHS Digital SHMI 2019", 0.015, 0.03, 100},
    [C_P0] = {"pathway 0 share of discharges (%)", "assumption ~80", "DHSC 2020 ratio, stated assumption", 0, 1, 100},
    [C_P1] = {"pathway 1 share (%)", "assumption ~14", "same", 0, 1, 100},
    [C_P2] = {"pathway 2 share (%)", "assumption ~4", "same", 0, 1, 100},
    [C_P3] = {"pathway 3 share (%)", "assumption ~1-2", "same", 0, 1, 100},
    [C_HC_UTIL] = {"home care hours in use (%)", "near capacity", "ADASS 2022/2023 (waiting lists)", 0.85, 1.0, 100},
    [C_CH_UTIL] = {"care home beds in use (%)", "85-90", "LaingBuisson; ONS 2023", 0.80, 0.95, 100},
    [C_CB_UTIL] = {"community beds in use (%)", "full in winter", "the sitrep's waits for rehab beds", 0.8, 1.001, 100},
    [C_NCTR_DRIFT] = {"NCTR, last 2 weeks of March / first 2 of Oct", "1-1.5 (winter backlog, no explosion)", "stability", 0.6, 1.7, 1},
};

static int month_of(const wf_results *r, size_t d) { return atoi(wf_results_date(r, d) + 5); }

static int weekday_of(const wf_results *r, size_t d)
{
    int y, m, dd;
    sscanf(wf_results_date(r, d), "%d-%d-%d", &y, &m, &dd);
    struct tm t = {0};
    t.tm_year = y - 1900, t.tm_mon = m - 1, t.tm_mday = dd, t.tm_hour = 12;
    mktime(&t);
    return t.tm_wday; /* 0 = Sunday */
}

/* Fill the measures of scenario sc; elective_los = mean elective stay, to
 * take electives' bed-days out of the emergency stay. */
static void measures(const wf_results *r, size_t sc, double elective_los, series out[C_N])
{
    size_t R = wf_results_n_replicates(r), D = wf_results_n_days(r), O = wf_results_n_orgs(r);
    size_t sys = eu_org(r, "system");
    const double *occ = wf_results_daily(r, sc, eu_metric("occupied_beds"));
    const double *occ8 = wf_results_daily(r, sc, eu_metric("occupancy_8am"));
    const double *nctr8 = wf_results_daily(r, sc, eu_metric("nctr_patients_8am"));
    const double *open = wf_results_daily(r, sc, eu_metric("open_beds"));
    const double *w12 = wf_results_daily(r, sc, eu_metric("waits_over_12h"));
    const double *adm = wf_results_daily(r, sc, eu_metric("admissions"));
    const double *dis[4];
    for (int k = 0; k < 4; k++) {
        char n[32];
        snprintf(n, sizeof n, "discharges_p%d", k);
        dis[k] = wf_results_daily(r, sc, eu_metric(n));
    }
    for (int c = 0; c < C_N; c++) out[c].n = (int)R;
    for (size_t i = 0; i < R; i++) {
        double o8j = 0, o8o = 0, nj = 0, na = 0, oj = 0, oo = 0, oa = 0, n_first = 0, n_last = 0;
        double wj = 0, aj = 0, wk = 0, we = 0, nwk = 0, nwe = 0;
        int dj = 0, doc = 0;
        for (size_t d = 0; d < D; d++) {
            size_t k = (i * D + d) * O + sys;
            int mo = month_of(r, d);
            double occ_at8 = occ8[k] * open[k]; /* occupied at 08:00 (open beds rarely change in a day) */
            if (mo == 1) { o8j += occ8[k]; oj += occ_at8; nj += nctr8[k]; wj += w12[k]; aj += adm[k]; dj++; }
            if (mo == 10) { o8o += occ8[k]; oo += occ[k]; doc++; }
            oa += occ_at8;
            na += nctr8[k];
            if (d < 14) n_first += nctr8[k];
            if (d + 14 >= D) n_last += nctr8[k];
            double dsum = dis[0][k] + dis[1][k] + dis[2][k] + dis[3][k];
            int wd = weekday_of(r, d);
            if (wd == 0 || wd == 6) { we += dsum; nwe++; } else { wk += dsum; nwk++; }
        }
        out[C_OCC_JAN].v[i] = dj ? o8j / dj : NAN;
        out[C_OCC_OCT].v[i] = doc ? o8o / doc : NAN;
        out[C_NCTR_JAN].v[i] = dj ? nj / oj : NAN;
        out[C_NCTR_ALL].v[i] = na / oa;
        out[C_NCTR_DRIFT].v[i] = n_last / n_first;
        out[C_12H_JAN].v[i] = aj > 0 ? wj / aj : NAN;
        out[C_WEEKEND].v[i] = (we / nwe) / (wk / nwk);
        double jan_occ = 0, oct_occ = 0;
        for (size_t d = 0; d < D; d++) {
            size_t k = (i * D + d) * O + sys;
            if (month_of(r, d) == 1) jan_occ += occ[k];
        }
        oct_occ = oo / (doc ? doc : 1);
        out[C_OCC_PEAK].v[i] = dj && doc ? (jan_occ / dj) / oct_occ : NAN;

        double ea = eu_sum(r, sc, "admissions", i, sys);
        double el = eu_sum(r, sc, "elective_admissions", i, sys);
        double ob = eu_sum(r, sc, "occupied_beds", i, sys) * (double)D;
        /* Little's law: emergency bed-days / emergency admissions, electives'
         * clinical bed-days taken out (their delays, a few %, stay in). */
        out[C_STAY].v[i] = (ob - el * elective_los) / ea;
        out[C_SUPER].v[i] = eu_sum(r, sc, "super_stranded_beds", i, sys) * (double)D / oa;
        double p[4], t = 0;
        for (int k = 0; k < 4; k++) {
            char n[32];
            snprintf(n, sizeof n, "discharges_p%d", k);
            p[k] = eu_sum(r, sc, n, i, sys);
            t += p[k];
        }
        for (int k = 0; k < 4; k++) out[C_P0 + k].v[i] = p[k] / t;
        out[C_READMIT].v[i] = eu_sum(r, sc, "readmissions_30d", i, sys) / t;
        out[C_ON_DAY].v[i] = eu_sum(r, sc, "discharged_on_ready_date", i, sys);
        out[C_MEAN_DELAY].v[i] = eu_sum(r, sc, "delayed_bed_days", i, sys) / t;
        out[C_P90].v[i] = eu_sum(r, sc, "delay_days_p90", i, sys);
        double hc = eu_sum(r, sc, "nctr_14d_awaiting_home_care", i, sys);
        out[C_R_REHAB].v[i] = eu_sum(r, sc, "nctr_14d_awaiting_rehab_bed", i, sys) / hc;
        out[C_R_CARE_HOME].v[i] = eu_sum(r, sc, "nctr_14d_awaiting_care_home", i, sys) / hc;
        out[C_SOCIAL].v[i] = (eu_sum(r, sc, "delayed_bed_days_home_care", i, sys) +
                              eu_sum(r, sc, "delayed_bed_days_care_home", i, sys)) /
                             eu_sum(r, sc, "delayed_bed_days", i, sys);
        out[C_DEATHS].v[i] = eu_sum(r, sc, "deaths", i, sys) / ea;
        out[C_HC_UTIL].v[i] = eu_sum(r, sc, "home_care_utilisation", i, sys);
        out[C_CH_UTIL].v[i] = eu_sum(r, sc, "care_home_utilisation", i, sys);
        out[C_CB_UTIL].v[i] = eu_sum(r, sc, "community_bed_utilisation", i, sys);
    }
}

static wf_scenario *reference(const char *preset)
{
    wf_scenario *s = eu_file(REF_MODEL);
    if (preset) eu_set(s, "partnership.preset", preset);
    return s;
}

/* ---- --report ---------------------------------------------------------- */

static const double ELECTIVE_LOS = 3.0; /* patients.elective_los.mean_days in reference.yaml */

static int report(int reps)
{
    wf_scenario *s[2] = {reference("fragmented"), reference("integrated")};
    wf_results *r = wf_results_create();
    if (!eu_run(r, s, 2, reps, 0)) return 1;
    series a[C_N], b[C_N];
    measures(r, 0, ELECTIVE_LOS, a);
    measures(r, 1, ELECTIVE_LOS, b);
    printf("Reference system, %d replicates, seed %lld, %zu days from %s\n\n", reps,
           (long long)wf_results_seed(r), wf_results_n_days(r), wf_results_date(r, 0));
    printf("| measure | target | source | fragmented (95%% CI) | test tolerance | integrated (95%% CI) |\n");
    printf("| --- | --- | --- | --- | --- | --- |\n");
    for (int c = 0; c < C_N; c++) {
        double m, lo, hi, m2, lo2, hi2, k = M[c].scale;
        stat_of(&a[c], &m, &lo, &hi);
        stat_of(&b[c], &m2, &lo2, &hi2);
        int tested = !(M[c].lo == 0 && M[c].hi == 1);
        char tol[64] = "(reported)";
        if (tested) snprintf(tol, sizeof tol, "%.3g-%.3g", M[c].lo * k, M[c].hi * k);
        printf("| %s | %s | %s | %.3g [%.3g, %.3g] | %s | %.3g [%.3g, %.3g] |\n", M[c].name, M[c].target,
               M[c].source, m * k, lo * k, hi * k, tol, m2 * k, lo2 * k, hi2 * k);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
    return 0;
}

/* ---- --study ----------------------------------------------------------- */

static const char *const VARIANTS[][2] = {
    {"fragmented", "partnership/fragmented.yaml"},
    {"integrated", "partnership/integrated.yaml"},
    {"trusted_assessor", "partnership/trusted_assessor.yaml"},
    {"discharge_to_assess", "partnership/discharge_to_assess.yaml"},
    {"seven_day_working", "partnership/seven_day_working.yaml"},
    {"pooled_capacity", "partnership/pooled_capacity.yaml"},
    {"shared_record", "partnership/shared_record.yaml"},
    {"delegated_funding", "partnership/delegated_funding.yaml"},
    {"bridging", "partnership/bridging.yaml"},
    {"admission_avoidance", "partnership/admission_avoidance.yaml"},
};
enum { NV = sizeof VARIANTS / sizeof VARIANTS[0] };

static void print_paired(const wf_results *r, size_t v, const char *metric, const char *org, double k,
                         const char *fmt)
{
    wf_stat st;
    size_t m = eu_metric(metric), o = eu_org(r, org);
    if (v == 0) {
        wf_results_stat(r, 0, m, o, &st);
    } else {
        wf_results_paired(r, 0, v, m, o, &st);
    }
    char a[48], b[48], c[48];
    snprintf(a, sizeof a, fmt, st.mean * k);
    snprintf(b, sizeof b, fmt, st.lo * k);
    snprintf(c, sizeof c, fmt, st.hi * k);
    printf(" %s [%s, %s] |", a, b, c);
}

static int study(int reps)
{
    wf_scenario *s[NV];
    for (size_t v = 0; v < NV; v++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", MODELS, VARIANTS[v][1]);
        s[v] = eu_file(path);
        if (!s[v]) return 1;
    }
    wf_results *r = wf_results_create();
    if (!eu_run(r, s, NV, reps, 0)) return 1;
    printf("Reference system, %d replicates, seed %lld, %zu days from %s. First row: fragmented "
           "(mean [95%% CI]); other rows: paired difference from fragmented (variant - fragmented) "
           "on common random numbers.\n\n",
           reps, (long long)wf_results_seed(r), wf_results_n_days(r), wf_results_date(r, 0));
    printf("| configuration | delayed bed-days | 12-hour ED waits | cancelled electives | NCTR patients | "
           "occupancy (pp) | readmissions | care home starts |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (size_t v = 0; v < NV; v++) {
        printf("| %s |", VARIANTS[v][0]);
        print_paired(r, v, "delayed_bed_days", "system", 1, "%.0f");
        print_paired(r, v, "waits_over_12h", "system", 1, "%.0f");
        print_paired(r, v, "elective_cancellations", "system", 1, "%.0f");
        print_paired(r, v, "nctr_patients", "system", 1, "%.0f");
        print_paired(r, v, "occupancy", "system", 100, "%.2f");
        print_paired(r, v, "readmissions_30d", "system", 1, "%.0f");
        print_paired(r, v, "care_home_starts", "system", 1, "%.0f");
        printf("\n");
    }
    /* cost ledger by organisation, GBP million */
    size_t O = wf_results_n_orgs(r);
    printf("\nCost ledger, GBP million over the window: fragmented, then paired differences.\n\n");
    printf("| configuration |");
    for (size_t o = 0; o < O; o++) {
        const char *kind = wf_results_org_kind(r, o);
        if (!strcmp(kind, "voluntary")) continue;
        printf(" %s (%s) |", wf_results_org_name(r, o), kind);
    }
    printf("\n| --- |");
    for (size_t o = 0; o < O; o++)
        if (strcmp(wf_results_org_kind(r, o), "voluntary")) printf(" --- |");
    printf("\n");
    for (size_t v = 0; v < NV; v++) {
        printf("| %s |", VARIANTS[v][0]);
        for (size_t o = 0; o < O; o++) {
            if (!strcmp(wf_results_org_kind(r, o), "voluntary")) continue;
            print_paired(r, v, "cost", wf_results_org_name(r, o), 1e-6, "%.2f");
        }
        printf("\n");
    }
    wf_results_destroy(r);
    for (size_t v = 0; v < NV; v++) wf_scenario_destroy(s[v]);
    return 0;
}

/* ---- the test ---------------------------------------------------------- */

enum { TEST_REPS = 6 };

static void test_calibration(void)
{
    wf_scenario *s = reference(NULL); /* the file's own preset: fragmented */
    wf_results *r = wf_results_create();
    if (!eu_run(r, &s, 1, TEST_REPS, 0)) return;
    series a[C_N];
    measures(r, 0, ELECTIVE_LOS, a);
    for (int c = 0; c < C_N; c++) {
        if (M[c].lo == 0 && M[c].hi == 1) continue; /* reported, not tested */
        double m, lo, hi;
        stat_of(&a[c], &m, &lo, &hi);
        CHECKF(m >= M[c].lo && m <= M[c].hi, "%s: %.4g outside [%.4g, %.4g]", M[c].name, m, M[c].lo,
               M[c].hi);
        printf("  %-48s %8.4g  (tolerance %.4g-%.4g)\n", M[c].name, m, M[c].lo, M[c].hi);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

/* The integrated preset switches the whole configuration: fewer delayed
 * bed-days than fragmented, on the same patients. */
static void test_integrated_switch(void)
{
    wf_scenario *s[2] = {reference(NULL), reference("integrated")};
    eu_set(s[0], "run.days", "91");
    eu_set(s[1], "run.days", "91");
    wf_results *r = wf_results_create();
    if (!eu_run(r, s, 2, 3, 0)) return;
    wf_stat d;
    CHECK(wf_results_paired(r, 0, 1, eu_metric("delayed_bed_days"), eu_org(r, "system"), &d) == WF_OK);
    CHECKF(d.hi < 0, "integrated - fragmented delayed bed-days %.0f [%.0f, %.0f]", d.mean, d.lo, d.hi);
    wf_results_destroy(r);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

/* England: loads, has 42 systems' organisations, and runs a short window. */
static void test_england(void)
{
    wf_scenario *s = eu_file(MODELS "/england.yaml");
    if (!s) return;
    eu_set(s, "run.days", "7");
    eu_set(s, "run.warmup_days", "7");
    wf_results *r = wf_results_create();
    if (eu_run(r, &s, 1, 1, 0)) {
        size_t O = wf_results_n_orgs(r), nh = 0, nc = 0;
        for (size_t o = 0; o < O; o++) {
            nh += !strcmp(wf_results_org_kind(r, o), "hospital");
            nc += !strcmp(wf_results_org_kind(r, o), "community");
        }
        CHECKF(nc == 42, "england.yaml has %zu community providers, not 42", nc);
        CHECK(nh >= 42);
        double adm = eu_sum(r, 0, "admissions", 0, eu_org(r, "system"));
        CHECKF(adm > 7 * 5000 && adm < 7 * 15000, "england admissions in 7 days: %.0f", adm);
    }
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "--report")) return report(argc >= 3 ? atoi(argv[2]) : 20);
    if (argc >= 2 && !strcmp(argv[1], "--study")) return study(argc >= 3 ? atoi(argv[2]) : 20);
    validate_tree(MODELS);
    CHECKF(n_files >= 12, "only %d model files found under models/", n_files);
    test_calibration();
    test_integrated_switch();
    test_england();
    return CHECK_DONE();
}
