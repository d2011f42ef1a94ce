/* One replicate: build the state from the config, run the event loop from
 * the start of the warm-up to the end of the measured window, and leave the
 * daily accumulators in the caller's buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim.h"

size_t wf_sim_acc_size(const wf_config *c)
{
    size_t orgs = (size_t)(c->n_hospitals + c->n_localities + c->n_community + c->n_voluntary);
    return (size_t)c->days * orgs * WF_NRAW;
}

static wf_sampler sampler(const wf_dist *d) { return wf_sampler_make((int)d->kind, d->mean_days, d->cv); }

void wf_sim_store_free(wf_sim_store *store)
{
    if (!store) return;
    wf_eq_free(&store->q);
    wf_pool_free(&store->patients);
    store->ready = 0;
}

/* Ready the store for a replicate starting at t0 and running `days` days. */
static int store_ready(wf_sim_store *w, double t0, int days)
{
    if (w->ready) {
        wf_pool_reset(&w->patients);
        return wf_eq_reset(&w->q, t0, days);
    }
    if (wf_eq_init(&w->q, 4096, t0, days)) return -1;
    if (wf_pool_init(&w->patients, sizeof(wf_patient), 4096)) {
        wf_eq_free(&w->q);
        return -1;
    }
    w->ready = 1;
    return 0;
}

/* s->q and s->patients are the store's (moved in by the caller), and
 * s->plan, s->foreign are set when the simulation is one region of several. */
static int sim_init(wf_sim *s, const wf_config *c, const uint8_t *active, uint64_t seed, int rep, double *acc,
                    wf_logbuf *log)
{
    s->cfg = c;
    s->active = active;
    s->log = log;
    s->rep_key = wf_key_mix(wf_key_mix(0x77696e746572666cULL, seed), (uint64_t)rep);
    s->nh = c->n_hospitals;
    s->nl = c->n_localities;
    s->nc = c->n_community;
    s->nv = c->n_voluntary;
    s->org_l = s->nh;
    s->org_c = s->org_l + s->nl;
    s->org_v = s->org_c + s->nc;
    s->n_orgs = s->org_v + s->nv;
    s->days = c->days;
    s->t_start = -(double)c->warmup_days;
    s->t_end = c->days;
    s->now = s->t_start;
    s->acc = acc;
    s->scratch = calloc((size_t)s->n_orgs * WF_NRAW + 1, sizeof *s->scratch);
    if (!s->scratch) return -1;
    s->row = c->warmup_days > 0 ? s->scratch : acc;
    if (s->plan) {
        for (int k = 0; k < 2; k++)
            if (!(s->rows[k] = calloc((size_t)s->n_orgs * WF_NRAW + 1, sizeof(double)))) return -1;
        s->row = s->rows[(int)floor(s->t_start) & 1];
    }

    for (int k = 0; k < WF_NFRAILTY; k++) s->los[k] = sampler(&c->los[k]);
    s->elective_los = sampler(&c->elective_los);
    s->reablement = sampler(&c->reablement);
    s->long_term = sampler(&c->long_term);
    s->rehab = sampler(&c->rehab);
    s->care_home_stay = sampler(&c->care_home_stay);
    s->vw_stay = sampler(&c->virtual_ward_stay);
    s->assessment = sampler(&c->assessment_delay);
    s->provider = sampler(&c->provider_assessment);
    s->process = sampler(&c->discharge_process);
    s->home_readiness = sampler(&c->home_readiness);
    s->package_hours = sampler(&c->package_hours);
    s->voluntary_support = sampler(&c->voluntary_support);
    s->edd_error = wf_sampler_make(WF_DIST_LOGNORMAL, 1.0, c->edd_error_cv);
    s->escalation_rate = c->escalation_per_delayed_day >= 1 ? HUGE_VAL : -log1p(-c->escalation_per_delayed_day);
    s->death_rate = c->death_per_delayed_day >= 1 ? HUGE_VAL : -log1p(-c->death_per_delayed_day);
    /* hour factors scaled to a mean of 1 (all zero: no daily pattern) */
    double hsum = 0;
    for (int h = 0; h < 24; h++) hsum += c->hour_factor[h];
    s->hour_cum[0] = 0;
    for (int h = 0; h < 24; h++) s->hour_cum[h + 1] = s->hour_cum[h] + (hsum > 0 ? c->hour_factor[h] * 24 / hsum : 1);

    s->hosp = calloc((size_t)(s->nh ? s->nh : 1), sizeof *s->hosp);
    s->loc = calloc((size_t)(s->nl ? s->nl : 1), sizeof *s->loc);
    s->comm = calloc((size_t)(s->nc ? s->nc : 1), sizeof *s->comm);
    s->vol = calloc((size_t)(s->nv ? s->nv : 1), sizeof *s->vol);
    s->lv = calloc((size_t)s->n_orgs * NLV + 1, sizeof *s->lv);
    s->rng = gsl_rng_alloc(wf_rng_stream);
    if (!s->hosp || !s->loc || !s->comm || !s->vol || !s->lv || !s->rng) return -1;
    for (int i = 0; i < s->n_orgs * NLV; i++) s->lv[i].last = s->now;
    if (wf_calendar_init(&s->cal, c->start_date, (int)s->t_start - 1, c->warmup_days + c->days + 402,
                         c->bank_holidays, c->n_bank_holidays))
        return -1;

    levers_init(s);
    for (int h = 0; h < s->nh; h++) {
        wf_hosp_state *H = &s->hosp[h];
        H->n_wards = c->hospitals[h].specialties > 0 ? c->hospitals[h].specialties : 1;
        if (!(H->ward = calloc((size_t)H->n_wards, sizeof *H->ward))) return -1;
        for (int w = 0; w < H->n_wards; w++) H->ward[w].ed = (wf_queue){-1, -1, 0, 0};
        H->inpatients = H->inpatients_tail = -1;
        for (int j = 0; j < NSTAY; j++) H->stay_last[j] = -1;
        H->catchment = malloc(sizeof(double) * (size_t)(s->nl ? s->nl : 1));
        if (!H->catchment) return -1;
        double a = 0, total = 0;
        for (int l = 0; l < s->nl; l++) total += c->localities[l].admissions_per_day * c->localities[l].hospital_share[h];
        for (int l = 0; l < s->nl; l++) {
            double w = c->localities[l].admissions_per_day * c->localities[l].hospital_share[h];
            H->catchment[l] = total > 0 ? (a += w) / total : (double)(l + 1) / s->nl;
        }
        if (sim_owns(s, h)) hospital_set_capacity(s, h);
    }
    if (services_groups_init(s)) return -1;
    places_init(s);
    for (int l = 0; l < s->nl; l++)
        if (sim_owns(s, s->org_l + l)) assessors_day(s, l);
    arrivals_start(s);
    workforce_schedule(s);
    /* the daily rounds: brokerage, and the sitrep's 08:00 snapshot in the
     * measured window */
    double d0 = floor(s->t_start);
    sim_at(s, d0 + (s->t_start > d0 + c->brokerage_hour / 24 ? 1 : 0) + c->brokerage_hour / 24, EV_BROKERAGE, 0, 0, 0);
    sim_at(s, 8.0 / 24, EV_SNAPSHOT, 0, 0, 0);
    if (wf_eq_push(&s->q, floor(s->t_start) + 1, EV_DAY, (int32_t)floor(s->t_start) + 1, 0, 0, true)) return -1;
    return s->failed ? -1 : 0;
}

static void sim_free(wf_sim *s)
{
    if (s->hosp)
        for (int h = 0; h < s->nh; h++) {
            free(s->hosp[h].catchment);
            free(s->hosp[h].ward);
        }
    free(s->hosp);
    free(s->loc);
    free(s->comm);
    free(s->vol);
    free(s->lv);
    free(s->scratch);
    free(s->rows[0]);
    free(s->rows[1]);
    free(s->out.v);
    services_groups_free(s);
    if (s->rng) gsl_rng_free(s->rng);
    wf_calendar_free(&s->cal);
}

static void on_day(wf_sim *s, int day)
{
    observe_day_end(s, day - 1);
    for (int h = 0; h < s->nh; h++)
        if (sim_owns(s, h)) hospital_daily_review(s, h);
    for (int l = 0; l < s->nl; l++)
        if (sim_owns(s, s->org_l + l)) assessors_day(s, l);
    interim_fill(s, -1);
    if (day + 1 < s->t_end) {
        if (wf_eq_push(&s->q, day + 1, EV_DAY, day + 1, 0, 0, true)) s->failed = 1;
    }
}

static void dispatch(wf_sim *s, const wf_event *e)
{
    switch (e->type) {
    case EV_DAY: on_day(s, e->a); return;
    case EV_ARRIVAL: on_arrival(s, e->a); return;
    case EV_ELECTIVES: on_electives(s, e->a); return;
    case EV_DEMAND: on_demand(s, e->a, (int)e->b); return;
    case EV_VW_DEMAND: on_vw_demand(s, e->a); return;
    case EV_WORKFORCE:
        for (int h = 0; h < s->nh; h++)
            if (sim_owns(s, h)) hospital_set_capacity(s, h);
        places_set_capacity(s);
        return;
    case EV_RELEASE: on_release(s, e->a, e->b, (int64_t)e->c); return;
    case EV_SNAPSHOT:
        observe_snapshot(s);
        sim_at(s, s->now + 1, EV_SNAPSHOT, 0, 0, 0);
        return;
    case EV_BROKERAGE: on_brokerage(s); return;
    default: break;
    }
    /* patient events: stale unless the generation tag still matches */
    if (pat(s, e->a)->gen != e->b) return;
    switch (e->type) {
    case EV_MOFD: on_mofd(s, e->a); break;
    case EV_STAGE: on_stage(s, e->a); break;
    case EV_ESCALATE: on_escalate(s, e->a); break;
    case EV_DEATH: on_death(s, e->a); break;
    case EV_LEAVE: on_leave(s, e->a); break;
    case EV_CARE_END: on_care_end(s, e->a); break;
    case EV_RENEGE: on_renege(s, e->a); break;
    case EV_OUTLIER: on_outlier(s, e->a); break;
    case EV_READMIT: on_readmit(s, e->a); break;
    default: break;
    }
}

int wf_sim_open(wf_sim *s, wf_sim_store *w, const wf_config *c, const uint8_t *active, const wf_plan *plan,
                int region, uint64_t seed, int replicate, double *acc, wf_logbuf *log)
{
    memset(s, 0, sizeof *s);
    if (store_ready(w, -(double)c->warmup_days, c->warmup_days + c->days + 1)) return -1;
    s->q = w->q;
    s->patients = w->patients;
    if (plan) {
        s->plan = plan;
        s->foreign = plan->foreign + (size_t)region * plan->n_orgs;
    }
    return sim_init(s, c, active, seed, replicate, acc, log);
}

void wf_sim_advance(wf_sim *s, double until)
{
    wf_event e;
    uint64_t n = 0;
    while (!s->failed && wf_eq_ready(&s->q) && wf_eq_top(&s->q)->t < until) {
        wf_eq_pop(&s->q, &e);
        s->now = e.t;
        dispatch(s, &e);
        n++;
        /* the run's wf_cancel, every 4096 events: a relaxed load, unmeasurable */
        if (!(n & 4095) && wf_config_cancelled(s->cfg)) s->failed = 1;
    }
    /* the day boundary at `until` (first among its time's events) */
    if (!s->failed && until < s->t_end && wf_eq_ready(&s->q) && wf_eq_top(&s->q)->t == until &&
        wf_eq_top(&s->q)->type == EV_DAY) {
        wf_eq_pop(&s->q, &e);
        s->now = e.t;
        dispatch(s, &e);
        n++;
    }
    s->events += n;
}

void wf_sim_finish(wf_sim *s)
{
    if (s->failed) return;
    s->now = s->t_end;
    observe_day_end(s, s->cfg->days - 1);
}

void wf_sim_close(wf_sim *s, wf_sim_store *w)
{
    if (w && s->q.heap) {  /* opened from the store; both may have grown */
        w->q = s->q;
        w->patients = s->patients;
    }
    sim_free(s);
}

wf_status wf_sim_run(wf_sim_store *store, const wf_config *c, const uint8_t *active, uint64_t seed, int replicate,
                     double *acc, wf_logbuf *log, uint64_t *events, char *err, size_t errlen)
{
    wf_sim s;
    wf_status st = WF_OK;
    wf_sim_store local = {0}, *w = store ? store : &local;
    if (wf_sim_open(&s, w, c, active, NULL, 0, seed, replicate, acc, log)) {
        st = WF_ENOMEM;
    } else {
        wf_sim_advance(&s, s.t_end);
        wf_sim_finish(&s);
        if (s.failed) st = WF_ENOMEM;
    }
    if (st != WF_OK && err && errlen) snprintf(err, errlen, "replicate %d: out of memory", replicate);
    if (events) *events = s.events;
    wf_sim_close(&s, w);
    if (!store) wf_sim_store_free(&local);
    return st;
}
