#include "results/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "core/calendar.h"
#include "params/params.h"
#include "results/metrics.h"

wf_results *wf_results_create(void) { return calloc(1, sizeof(wf_results)); }

void wf_results_clear(wf_results *r)
{
    for (size_t i = 0; r->org_names && i < r->n_orgs; i++) free(r->org_names[i]);
    for (size_t i = 0; r->scen_names && i < r->n_scen; i++) free(r->scen_names[i]);
    for (size_t i = 0; r->scen_yaml && i < r->n_scen; i++) free(r->scen_yaml[i]);
    free(r->scen_yaml);
    r->scen_yaml = NULL;
    free(r->org_names);
    free(r->org_kinds);
    free(r->scen_names);
    free(r->dates);
    free(r->daily);
    free(r->summary);
    for (size_t i = 0; r->log && i < r->n_scen * r->n_rep; i++) free(r->log[i]);
    free(r->log);
    free(r->log_n);
    for (size_t i = 0; r->stored && i < r->n_scen; i++) wf_buf_free(&r->stored[i]);
    free(r->stored);
    free(r->stored_off);
    free(r->stored_len);
    r->stored = NULL;
    r->stored_off = NULL;
    r->stored_len = NULL;
    r->log = NULL;
    r->log_n = NULL;
    r->org_names = NULL;
    r->org_kinds = NULL;
    r->scen_names = NULL;
    r->dates = NULL;
    r->daily = r->summary = NULL;
    r->n_scen = r->n_rep = r->n_days = r->n_orgs = 0;
    r->events = 0;
    wf_post_draws_free(r->post);
    r->post = NULL;
    r->complete = false;
    r->started = r->finished = 0;
    for (size_t i = 0; i < WF_NPROV; i++) {
        free(r->prov[i]);
        r->prov[i] = NULL;
    }
    for (size_t i = 0; r->coord_names && i < r->n_coords; i++) free(r->coord_names[i]);
    free(r->coord_names);
    free(r->coord_values);
    r->coord_names = NULL;
    r->coord_values = NULL;
    r->n_coords = 0;
}

void wf_results_clear_failed(wf_results *r)
{
    char keep[sizeof r->err];
    memcpy(keep, r->err, sizeof keep);
    wf_results_clear(r);
    memcpy(r->err, keep, sizeof keep);
}

void wf_results_destroy(wf_results *r)
{
    if (!r) return;
    wf_results_clear(r);
    free(r);
}

const char *wf_results_error(const wf_results *r) { return r ? r->err : "no results object"; }

void wf_post_draws_free(wf_post_draws *d)
{
    if (!d) return;
    for (size_t k = 0; d->keys && k < d->n_keys; k++) free(d->keys[k]);
    free(d->keys);
    free(d->fingerprint);
    free(d->particle);
    free(d->values);
    free(d);
}

size_t wf_results_posterior_draw(const wf_results *r, size_t replicate)
{
    return r && r->post && replicate < r->post->n_rep ? r->post->particle[replicate] : WF_NOT_FOUND;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

wf_status wf_results_shape(wf_results *r, const wf_config *c, const wf_config *const *scen, size_t n, size_t reps)
{
    wf_results_clear(r);
    size_t orgs = (size_t)(c->n_hospitals + c->n_localities + c->n_community + c->n_voluntary) + 1;
    r->n_scen = n;
    r->n_rep = reps;
    r->n_days = (size_t)c->days;
    r->n_orgs = orgs;
    r->org_names = calloc(orgs, sizeof *r->org_names);
    r->org_kinds = calloc(orgs, sizeof *r->org_kinds);
    r->scen_names = calloc(n, sizeof *r->scen_names);
    r->dates = malloc(r->n_days * sizeof *r->dates + 1);
    size_t blk = n * WF_NMETRIC * reps;
    r->daily = malloc(blk * r->n_days * orgs * sizeof(double) + 1);
    r->summary = malloc(blk * orgs * sizeof(double) + 1);
    if (!r->org_names || !r->org_kinds || !r->scen_names || !r->dates || !r->daily || !r->summary) goto nomem;
    size_t o = 0;
    for (int i = 0; i < c->n_hospitals; i++, o++)
        r->org_names[o] = dup(c->hospitals[i].name), r->org_kinds[o] = wf_org_kind_name(WF_ORG_HOSPITAL);
    for (int i = 0; i < c->n_localities; i++, o++)
        r->org_names[o] = dup(c->localities[i].name), r->org_kinds[o] = wf_org_kind_name(WF_ORG_LOCALITY);
    for (int i = 0; i < c->n_community; i++, o++)
        r->org_names[o] = dup(c->community[i].name), r->org_kinds[o] = wf_org_kind_name(WF_ORG_COMMUNITY);
    for (int i = 0; i < c->n_voluntary; i++, o++)
        r->org_names[o] = dup(c->voluntary[i].name), r->org_kinds[o] = wf_org_kind_name(WF_ORG_VOLUNTARY);
    r->org_names[o] = dup("system");
    r->org_kinds[o] = wf_org_kind_name(WF_ORG_SYSTEM);
    for (o = 0; o < orgs; o++)
        if (!r->org_names[o]) goto nomem;
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        const char *nm = scen[i]->name && scen[i]->name[0] ? scen[i]->name : (snprintf(buf, sizeof buf, "scenario%zu", i), buf);
        if (!(r->scen_names[i] = dup(nm))) goto nomem;
    }
    for (size_t d = 0; d < r->n_days; d++) wf_date_format(c->start_date + (int32_t)d, r->dates[d]);
    return WF_OK;
nomem:
    wf_results_clear(r);
    snprintf(r->err, sizeof r->err, "out of memory shaping results");
    return WF_ENOMEM;
}

/* The kind's bit in a metric's masks; the system has none. */
static unsigned org_kind_bit(const char *kind)
{
    int k = wf_org_kind_parse(kind);
    return k >= 0 && k != WF_ORG_SYSTEM ? WF_KIND_BIT(k) : 0;
}

/* The p-th percentile of a histogram of whole days (metrics.h): the
 * smallest day count d with F(d) >= p; inside a bin of several days,
 * linear between its bounds. NaN for an empty histogram. */
static double histogram_percentile(const double *bins, double p)
{
    double total = 0;
    for (int b = 0; b < WF_NDELAY_BINS; b++) total += bins[b];
    if (!(total > 0)) return NAN;
    double target = p * total, cum = 0;
    for (int b = 0; b < WF_NDELAY_BINS; b++) {
        if (cum + bins[b] >= target && bins[b] > 0) {
            int lo = wf_delay_bin_low(b), hi = wf_delay_bin_high(b);
            if (hi - lo <= 1) return lo;
            return lo + (hi - lo) * (target - cum) / bins[b];
        }
        cum += bins[b];
    }
    return wf_delay_bin_low(WF_NDELAY_BINS - 1);
}

/* Rising at the end of the window: the mean of the last 14 days exceeds
 * that of the 14 before by more than 2 and by more than a half, and the
 * queue never cleared in those 14 days (a daily mean under one patient).
 * Winter surges raise a fortnight's mean too, but a queue the beds keep up
 * with empties between them; one they cannot keep up with does not. */
static double still_rising(const double *daily, size_t nd, size_t stride)
{
    if (nd < 28) return NAN;
    double a = 0, b = 0, low = INFINITY;
    for (size_t t = nd - 28; t < nd - 14; t++) a += daily[t * stride];
    for (size_t t = nd - 14; t < nd; t++) {
        b += daily[t * stride];
        low = fmin(low, daily[t * stride]);
    }
    a /= 14;
    b /= 14;
    return b - a > fmax(2.0, 0.5 * a) && low >= 1.0 ? 1.0 : 0.0;
}

void wf_results_store(wf_results *r, size_t scen, size_t rep, const double *acc)
{
    size_t no = r->n_orgs, nd = r->n_days, sys = no - 1, nraw = WF_NRAW;
    unsigned bits[no];
    for (size_t o = 0; o < no; o++) bits[o] = org_kind_bit(r->org_kinds[o]);
    for (size_t m = 0; m < WF_NMETRIC; m++) {
        const wf_metric_def *d = &wf_metric_defs[m];
        double *daily = r->daily + (((scen * WF_NMETRIC + m) * r->n_rep + rep) * nd) * no;
        double *sum = r->summary + ((scen * WF_NMETRIC + m) * r->n_rep + rep) * no;
        for (size_t o = 0; o < no; o++) {
            bool applies = o == sys || (d->orgs & bits[o]);
            if (!applies) {
                for (size_t t = 0; t < nd; t++) daily[t * no + o] = NAN;
                sum[o] = NAN;
                continue;
            }
            if (d->rule == WF_RULE_FLAG) {
                const double *src = r->daily + (((scen * WF_NMETRIC + (size_t)d->num) * r->n_rep + rep) * nd) * no;
                for (size_t t = 0; t < nd; t++) daily[t * no + o] = NAN;
                sum[o] = still_rising(src + o, nd, no);
                continue;
            }
            /* the organisation's columns (the system: its kinds summed) */
            size_t width = d->rule == WF_RULE_PCTL ? WF_NDELAY_BINS : 1;
            double total_num = 0, total_den = 0, total_bins[WF_NDELAY_BINS] = {0};
            for (size_t t = 0; t < nd; t++) {
                const double *row = acc + t * (no - 1) * nraw;
                double num = 0, den = 0, bins[WF_NDELAY_BINS] = {0};
                size_t q0 = o == sys ? 0 : o, q1 = o == sys ? no - 1 : o + 1;
                for (size_t q = q0; q < q1; q++) {
                    if (o == sys && !(d->sys & bits[q])) continue;
                    const double *raw = row + q * nraw;
                    if (width > 1) {
                        for (size_t k = 0; k < width; k++) bins[k] += raw[d->num + k];
                        continue;
                    }
                    num += raw[d->num];
                    if (d->rule == WF_RULE_RATIO) den += raw[d->den];
                }
                if (width > 1) {
                    daily[t * no + o] = histogram_percentile(bins, d->p);
                    for (size_t k = 0; k < width; k++) total_bins[k] += bins[k];
                    continue;
                }
                daily[t * no + o] = d->rule == WF_RULE_RATIO ? (den > 0 ? num / den : NAN) : num;
                total_num += num;
                total_den += den;
            }
            switch (d->rule) {
            case WF_RULE_SUM: sum[o] = total_num; break;
            case WF_RULE_LEVEL: sum[o] = nd ? total_num / (double)nd : NAN; break;
            case WF_RULE_RATIO: sum[o] = total_den > 0 ? total_num / total_den : NAN; break;
            case WF_RULE_END: sum[o] = nd ? daily[(nd - 1) * no + o] : NAN; break;
            case WF_RULE_PCTL: sum[o] = histogram_percentile(total_bins, d->p); break;
            default: break;
            }
        }
    }
}

size_t wf_results_n_scenarios(const wf_results *r) { return r ? r->n_scen : 0; }
size_t wf_results_n_replicates(const wf_results *r) { return r ? r->n_rep : 0; }
size_t wf_results_n_days(const wf_results *r) { return r ? r->n_days : 0; }
size_t wf_results_n_orgs(const wf_results *r) { return r ? r->n_orgs : 0; }
int64_t wf_results_seed(const wf_results *r) { return r ? r->seed : 0; }
int wf_results_threads(const wf_results *r) { return r ? r->threads : 0; }
uint64_t wf_results_events(const wf_results *r) { return r ? r->events : 0; }

const char *wf_results_org_name(const wf_results *r, size_t org)
{
    return r && org < r->n_orgs ? r->org_names[org] : NULL;
}
const char *wf_results_org_kind(const wf_results *r, size_t org)
{
    return r && org < r->n_orgs ? r->org_kinds[org] : NULL;
}
size_t wf_results_org_find(const wf_results *r, const char *name)
{
    for (size_t o = 0; r && name && o < r->n_orgs; o++)
        if (strcmp(r->org_names[o], name) == 0) return o;
    return WF_NOT_FOUND;
}
const char *wf_results_scenario_name(const wf_results *r, size_t s)
{
    return r && s < r->n_scen ? r->scen_names[s] : NULL;
}
const char *wf_results_scenario_yaml(const wf_results *r, size_t s)
{
    return r && r->scen_yaml && s < r->n_scen ? r->scen_yaml[s] : NULL;
}

wf_status wf_results_load_scenario(const wf_results *r, size_t scenario, wf_scenario *s, const char *origin)
{
    if (!s) return WF_EINVAL;
    const char *yaml = wf_results_scenario_yaml(r, scenario);
    if (!yaml) {
        char msg[256];
        if (r && r->scen_yaml)
            snprintf(msg, sizeof msg, "no scenario %zu (the results hold %zu, numbered from 0)", scenario, r->n_scen);
        else
            snprintf(msg, sizeof msg, "the results hold no stored scenarios (read a results file first)");
        wf_scenario_set_error(s, msg);
        return WF_EINVAL;
    }
    char where[64];
    if (!origin) snprintf(where, sizeof where, "stored scenario %zu", scenario);
    return wf_scenario_load_sealed(s, yaml, origin ? origin : where);
}

const char *wf_results_date(const wf_results *r, size_t day)
{
    return r && day < r->n_days ? r->dates[day] : NULL;
}

const double *wf_results_daily(const wf_results *r, size_t scen, size_t m)
{
    if (!r || scen >= r->n_scen || m >= WF_NMETRIC) return NULL;
    return r->daily + ((scen * WF_NMETRIC + m) * r->n_rep) * r->n_days * r->n_orgs;
}

const double *wf_results_summary(const wf_results *r, size_t scen, size_t m)
{
    if (!r || scen >= r->n_scen || m >= WF_NMETRIC) return NULL;
    return r->summary + ((scen * WF_NMETRIC + m) * r->n_rep) * r->n_orgs;
}

/* Mean, sd and Student-t 95% interval of x[0..n) (NaNs skipped). */
static void describe(const double *x, size_t n, size_t stride, wf_stat *out)
{
    double mean = 0, m2 = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (isnan(v)) continue;
        k++;
        double dlt = v - mean;
        mean += dlt / (double)k;
        m2 += dlt * (v - mean);
    }
    out->n = k;
    out->mean = k ? mean : NAN;
    out->sd = k > 1 ? sqrt(m2 / (double)(k - 1)) : NAN;
    if (k > 1) {
        double h = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * out->sd / sqrt((double)k);
        out->lo = mean - h;
        out->hi = mean + h;
    } else {
        out->lo = out->hi = out->mean;
    }
}

static wf_status check(const wf_results *r, size_t scen, size_t m, size_t org, wf_stat *out)
{
    if (!r || !out) return WF_EINVAL;
    if (scen >= r->n_scen || m >= WF_NMETRIC || org >= r->n_orgs) {
        snprintf(((wf_results *)r)->err, sizeof r->err,
                 "index out of range (scenario %zu of %zu, metric %zu of %d, organisation %zu of %zu)",
                 scen, r->n_scen, m, WF_NMETRIC, org, r->n_orgs);
        return WF_EINVAL;
    }
    return WF_OK;
}

/* The interval of a mean (docs/results-file.md, "Intervals"): Student's t
 * on the replicate values, cut at 0 below, because every metric is a count,
 * a level, a share or a cost and cannot be negative. The true mean is >= 0,
 * so the cut interval contains it whenever the t interval does: coverage
 * stays at least 95%. (A log transform fails on replicates of 0, common for
 * queues and waits; a bootstrap with 20 replicates covers less than 95%.)
 * Paired differences can be negative and keep the plain t interval. */
wf_status wf_results_stat(const wf_results *r, size_t scen, size_t m, size_t org, wf_stat *out)
{
    wf_status st = check(r, scen, m, org, out);
    if (st) return st;
    describe(wf_results_summary(r, scen, m) + org, r->n_rep, r->n_orgs, out);
    if (out->lo < 0) out->lo = 0;
    return WF_OK;
}

wf_status wf_results_daily_stat(const wf_results *r, size_t scen, size_t m, size_t org, size_t day, wf_stat *out)
{
    wf_status st = check(r, scen, m, org, out);
    if (st) return st;
    if (day >= r->n_days) {
        snprintf(((wf_results *)r)->err, sizeof r->err, "day %zu out of range (%zu days)", day, r->n_days);
        return WF_EINVAL;
    }
    describe(wf_results_daily(r, scen, m) + day * r->n_orgs + org, r->n_rep, r->n_days * r->n_orgs, out);
    return WF_OK;
}

wf_status wf_results_paired(const wf_results *r, size_t a, size_t b, size_t m, size_t org, wf_stat *out)
{
    wf_status st = check(r, a > b ? a : b, m, org, out);
    if (st) return st;
    const double *xa = wf_results_summary(r, a, m), *xb = wf_results_summary(r, b, m);
    double *d = malloc(sizeof(double) * (r->n_rep ? r->n_rep : 1));
    if (!d) return WF_ENOMEM;
    for (size_t i = 0; i < r->n_rep; i++) d[i] = xb[i * r->n_orgs + org] - xa[i * r->n_orgs + org];
    describe(d, r->n_rep, 1, out);
    free(d);
    return WF_OK;
}

const char *const wf_prov_names[WF_NPROV] = {
    "winterflow_version", "winterflow_build_info", "hdf5_version", "created", "run_started", "run_finished",
    "command_line", "rerun", "start_date", "end_date", "winterflow_file_format"};

const char *wf_results_provenance(const wf_results *r, const char *name)
{
    for (size_t i = 0; r && name && i < WF_NPROV; i++)
        if (!strcmp(name, wf_prov_names[i])) return r->prov[i];
    return NULL;
}

size_t wf_results_n_coords(const wf_results *r) { return r ? r->n_coords : 0; }
const char *wf_results_coord_name(const wf_results *r, size_t c)
{
    return r && c < r->n_coords ? r->coord_names[c] : NULL;
}
const double *wf_results_coord_values(const wf_results *r, size_t c)
{
    return r && c < r->n_coords ? r->coord_values + c * r->n_scen : NULL;
}

wf_status wf_results_keep_log(wf_results *r, size_t scen, size_t rep, wf_log_record *log, size_t n)
{
    /* the arrays are made before the parallel run (see run.c), so this
     * writes only its own slot */
    if (!r->log) return WF_EINVAL;
    r->log[scen * r->n_rep + rep] = log;
    r->log_n[scen * r->n_rep + rep] = n;
    return WF_OK;
}

wf_status wf_results_log_prepare(wf_results *r)
{
    size_t k = r->n_scen * r->n_rep + 1;
    r->log = calloc(k, sizeof *r->log);
    r->log_n = calloc(k, sizeof *r->log_n);
    return r->log && r->log_n ? WF_OK : WF_ENOMEM;
}

const wf_log_record *wf_results_event_log(const wf_results *r, size_t scen, size_t rep, size_t *n)
{
    if (n) *n = 0;
    if (!r || !r->log || scen >= r->n_scen || rep >= r->n_rep) return NULL;
    if (n) *n = r->log_n[scen * r->n_rep + rep];
    return r->log[scen * r->n_rep + rep];
}

const char *wf_log_event_name(int event)
{
    static const char *const names[WF_LOG_NEVENT] = {
        "arrival", "admission", "diverted", "avoided", "mofd",
        "escalation", "discharge", "care_start", "readmission",
    };
    return event >= 0 && event < WF_LOG_NEVENT ? names[event] : NULL;
}
