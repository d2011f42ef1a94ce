/* Arrivals: emergency admissions per locality as a non-homogeneous Poisson
 * process (by hour) over days and hours, the daily bed meeting for the
 * elective lists, community demand for care, and admission avoidance at
 * the front door (virtual wards, with the rest of their caseload). */
#include "model/sim.h"

static wf_arrival_factors arrival_factors(const wf_sim *s, double t)
{
    const wf_config *c = s->cfg;
    int day = (int)floor(t);
    double f = c->weekday_factor[wf_weekday(&s->cal, day)] *
               (1 + c->winter_amplitude * cos(2 * 3.14159265358979323846 * (t - c->winter_peak) / 365.25));
    if (wf_calendar_flags(&s->cal, day) & WF_DAY_HOLIDAY) f *= c->bank_holiday_factor;
    double extra = 0;
    for (int i = 0; i < c->n_outbreaks; i++) {
        double z = (t - c->outbreaks[i].peak) / c->outbreaks[i].width_days;
        extra += c->outbreaks[i].extra_per_day * exp(-0.5 * z * z);
    }
    int hour = (int)((t - day) * 24);
    return (wf_arrival_factors){t, f, extra, s->hour_cum[hour + 1] - s->hour_cum[hour]};
}

static double locality_rate(const wf_sim *s, int loc, const wf_arrival_factors *a)
{
    return (s->cfg->localities[loc].admissions_per_day * a->day + a->extra * s->loc[loc].share_of_system) * a->hour;
}

double arrival_rate(const wf_sim *s, int loc, double t)
{
    wf_arrival_factors a = arrival_factors(s, t);
    return locality_rate(s, loc, &a);
}

/* Share of a locality's arrivals eligible for admission avoidance. */
static double eligible_share(const wf_config *c, int loc)
{
    double e = 0;
    for (int f = c->avoidance_min_frailty; f < WF_NFRAILTY; f++) e += c->localities[loc].frailty_mix[f];
    return e;
}

/* The rate of a locality's arrivals is taken as constant within each hour
 * (its value at the middle of the hour), so the next arrival after t is
 * found by inversion, hour by hour, with one draw an arrival. The hour's
 * rate is cached: most arrivals fall in an hour already known; and so are
 * the factors the localities share, which their streams ask for in turn. */
static double hour_rate(wf_sim *s, int loc, double k, wf_hour_rate *cache)
{
    double hour = k / 24;
    if (cache->hour != hour) {
        double t = hour + 1.0 / 48;
        wf_arrival_factors *a = &s->hour_factors[(uint64_t)(int64_t)k % WF_HOUR_FACTORS];
        if (a->t != t) *a = arrival_factors(s, t);
        cache->hour = hour;
        cache->rate = locality_rate(s, loc, a);
    }
    return cache->rate;
}

static double next_poisson(wf_sim *s, int loc, wf_stream *st, double factor, double t, wf_hour_rate *cache)
{
    double e = -log1p(-wf_stream_uniform(st));
    /* hours counted as integers: t = k / 24 need not round-trip */
    for (double k = floor(t * 24); t < s->t_end; k++) {
        double end = (k + 1) / 24, r = hour_rate(s, loc, k, cache) * factor;
        if (r > 0 && t + e / r < end) return t + e / r;
        if (r > 0) e -= r * (end - t);
        t = end;
    }
    return INFINITY;
}

/* The next emergency arrival of a locality after time t, from the
 * locality's own arrival stream: the same times whatever the configuration. */
static void schedule_next_arrival(wf_sim *s, int loc, double t)
{
    wf_loc_state *L = &s->loc[loc];
    if (s->cfg->arrival_process == WF_ARRIVALS_REGULAR) {
        for (int guard = 0; guard < 100000 && t < s->t_end; guard++) {
            double r = arrival_rate(s, loc, t);
            if (r > 0) { sim_at(s, t + 1 / r, EV_ARRIVAL, loc, 0, 0); return; }
            t = floor(t * 24 + 1) / 24;
        }
        return;
    }
    sim_at(s, next_poisson(s, loc, &L->arrivals, 1, t, &L->rate), EV_ARRIVAL, loc, 0, 0);
}

static int pick(const double *cum, int n, double u)
{
    for (int i = 0; i < n - 1; i++)
        if (u < cum[i]) return i;
    return n - 1;
}

static int pick_frailty(const wf_config *c, int loc, double u)
{
    double cum[WF_NFRAILTY], a = 0;
    for (int k = 0; k < WF_NFRAILTY; k++) cum[k] = (a += c->localities[loc].frailty_mix[k]);
    return pick(cum, WF_NFRAILTY, u);
}

/* Admission avoidance: a frail arrival is managed by urgent community
 * response or a virtual ward if the lever allows it and a place is free. */
static bool avoid_admission(wf_sim *s, int32_t slot, double u)
{
    const wf_config *c = s->cfg;
    wf_patient *p = pat(s, slot);
    int cm = community_of(s, p->loc);
    if (!(u < council(s, p)->admission_avoidance) || p->frailty < c->avoidance_min_frailty || cm < 0) return false;
    wf_comm_state *C = &s->comm[cm];
    if (C->vw_used >= C->vw_cap) return false;
    C->vw_used++;
    level_add(s, s->org_c + cm, LV_VW, 1);
    count(s, s->org_l + p->loc, WF_M_AVOIDED_ADMISSIONS, 1);
    count(s, s->org_c + cm, WF_M_AVOIDED_ADMISSIONS, 1);
    sim_log(s, p, WF_LOG_AVOIDED, s->org_c + cm, 255);
    sim_at(s, s->now + wf_sample(&s->vw_stay, draw(s, p, DR_CARE, 0)), EV_RELEASE, cm, RELEASE_VIRTUAL_WARD, 0);
    return true;
}

static void schedule_vw_demand(wf_sim *s, int loc, double t)
{
    wf_loc_state *L = &s->loc[loc];
    if (!(L->vw_factor > 0)) return;
    sim_at(s, next_poisson(s, loc, &L->vw_arrivals, L->vw_factor, t, &L->vw_rate), EV_VW_DEMAND, loc, 0, 0);
}

/* A virtual ward referral that would not have been admitted: a place if
 * one is free, for a virtual ward stay. */
void on_vw_demand(wf_sim *s, int loc)
{
    wf_loc_state *L = &s->loc[loc];
    int cm = community_of(s, loc);
    uint64_t key = wf_key_mix(wf_key_mix(wf_key_mix(s->rep_key, SK_VW), (uint64_t)loc), L->vw_seq++);
    if (cm >= 0 && s->comm[cm].vw_used < s->comm[cm].vw_cap) {
        s->comm[cm].vw_used++;
        level_add(s, s->org_c + cm, LV_VW, 1);
        wf_rng_seek(s->rng, key, (uint64_t)DR_CARE << 40);
        sim_at(s, s->now + wf_sample(&s->vw_stay, s->rng), EV_RELEASE, cm, RELEASE_VIRTUAL_WARD, 0);
    }
    schedule_vw_demand(s, loc, s->now);
}

void on_arrival(wf_sim *s, int loc)
{
    const wf_config *c = s->cfg;
    wf_loc_state *L = &s->loc[loc];
    uint64_t key = wf_key_mix(wf_key_mix(wf_key_mix(s->rep_key, SK_EMERGENCY), (uint64_t)loc), L->arrival_seq++);
    wf_stream st = {key, (uint64_t)DR_ATTR << 40};
    double u_frail = wf_stream_uniform(&st), u_hosp = wf_stream_uniform(&st), u_avoid = wf_stream_uniform(&st);
    double a = 0;
    int h = 0;
    for (; h < s->nh - 1; h++)
        if (u_hosp < (a += c->localities[loc].hospital_share[h])) break;
    /* Regions replay the streams of the other regions' residents they
     * admit, and each keeps the arrivals at its own hospitals. The home
     * system's virtual ward serves only arrivals at its own hospitals. */
    if (sim_owns(s, h)) {
        int32_t slot = patient_new(s, key, loc, h, pick_frailty(c, loc, u_frail));
        if (slot >= 0) {
            if (sim_owns(s, s->org_l + loc) && avoid_admission(s, slot, u_avoid)) patient_done(s, slot);
            else hospital_arrive(s, slot);
        }
    }
    schedule_next_arrival(s, loc, s->now);
}

/* The daily bed meeting at elective_hour on working days: the day's list
 * is admitted while more than elective_reserve_beds beds are free (on wards
 * nobody waits in ED for), each to the ward with most free beds, and the
 * rest is cancelled; one decision at a stated hour, whatever else happens
 * at that instant. */
void on_electives(wf_sim *s, int h)
{
    const wf_config *c = s->cfg;
    const wf_hospital_cfg *H = &c->hospitals[h];
    wf_hosp_state *hs = &s->hosp[h];
    int day = sim_day(s);
    if (wf_is_working_day(&s->cal, day)) {
        int ward;
        int admit = hospital_free_beds(s, h, &ward) - H->elective_reserve_beds;
        if (admit < 0) admit = 0;
        if (admit > H->electives_per_weekday) admit = H->electives_per_weekday;
        count(s, h, WF_M_ELECTIVE_CANCELLATIONS, H->electives_per_weekday - admit);
        for (int i = 0; i < H->electives_per_weekday; i++) {
            uint64_t key = wf_key_mix(wf_key_mix(wf_key_mix(s->rep_key, SK_ELECTIVE), (uint64_t)h), hs->elective_seq++);
            if (i >= admit) continue;
            wf_stream st = {key, (uint64_t)DR_ATTR << 40};
            double u_loc = wf_stream_uniform(&st), u_frail = wf_stream_uniform(&st);
            int loc = pick(hs->catchment, s->nl, u_loc);
            int32_t slot = patient_new(s, key, loc, h, pick_frailty(c, loc, u_frail));
            if (slot < 0) return;
            (void)hospital_free_beds(s, h, &ward); /* each to the ward with most free beds */
            pat(s, slot)->elective = 1;
            pat(s, slot)->ward = (uint8_t)ward;
            hospital_take_bed(s, slot);
            count(s, h, WF_M_ELECTIVE_ADMISSIONS, 1);
        }
    }
    sim_at(s, day + 1 + H->elective_hour / 24.0, EV_ELECTIVES, h, 0, 0);
}

/* Non-hospital demand for home care, care homes and (step-up) rehab beds. */
static void schedule_demand(wf_sim *s, int loc, int svc, double t)
{
    const wf_locality_cfg *Lc = &s->cfg->localities[loc];
    double rate = Lc->community_demand[svc];
    if (!(rate > 0)) return;
    t += -log1p(-wf_stream_uniform(&s->loc[loc].demand[svc])) / rate;
    sim_at(s, t, EV_DEMAND, loc, (uint32_t)svc, 0);
}

void on_demand(wf_sim *s, int loc, int svc)
{
    wf_loc_state *L = &s->loc[loc];
    uint64_t key = wf_key_mix(wf_key_mix(wf_key_mix(s->rep_key, SK_DEMAND), (uint64_t)(WF_NDEMAND * loc + svc)), L->demand_seq[svc]++);
    int32_t slot = svc == WF_DEMAND_REHAB_BED && community_of(s, loc) < 0 ? -1 : patient_new(s, key, loc, 0, WF_SEVERE);
    if (slot >= 0) {
        /* already assessed and funded (or self-funding): wants a place */
        wf_patient *p = pat(s, slot);
        const wf_config *c = s->cfg;
        p->state = PS_COMMUNITY;
        p->need = svc == WF_DEMAND_HOME_CARE ? PATHWAY_HOME_CARE
                  : svc == WF_DEMAND_CARE_HOME ? PATHWAY_CARE_HOME : PATHWAY_REHAB_BED;
        p->flags = F_REFERRED | F_ASSESSED | F_FUNDED;
        gsl_rng *r = draw(s, p, DR_NEED, 0);
        if (wf_rng_uniform(r) < c->localities[loc].care_home_nursing_share) p->flags |= F_NURSING;
        if (wf_rng_uniform(r) < c->complex_needs[WF_SEVERE]) p->flags |= F_COMPLEX;
        double hours = wf_sample(&s->package_hours, r);
        p->units = hours > 0.25 ? (int32_t)floor(hours * 4 + 0.5) : 1;
        place_request(s, slot);
    }
    schedule_demand(s, loc, svc, s->now);
}

void arrivals_start(wf_sim *s)
{
    const wf_config *c = s->cfg;
    double total = 0;
    for (int l = 0; l < s->nl; l++) total += c->localities[l].admissions_per_day;
    for (int i = 0; i < WF_HOUR_FACTORS; i++) s->hour_factors[i].t = NAN;
    for (int l = 0; l < s->nl; l++) {
        bool own = sim_owns(s, s->org_l + l);
        if (!sim_touches(s, s->org_l + l)) continue;
        wf_loc_state *L = &s->loc[l];
        uint64_t k = wf_key_mix(wf_key_mix(s->rep_key, SK_ARRIVALS), (uint64_t)l);
        L->arrivals = (wf_stream){k, 0};
        for (int svc = 0; svc < WF_NDEMAND; svc++)
            L->demand[svc] = (wf_stream){wf_key_mix(wf_key_mix(s->rep_key, SK_DEMAND_ARRIVALS), (uint64_t)(WF_NDEMAND * l + svc)), 0};
        L->share_of_system = total > 0 ? c->localities[l].admissions_per_day / total : 1.0 / s->nl;
        L->rate.hour = L->vw_rate.hour = NAN;
        schedule_next_arrival(s, l, s->now);
        if (!own) continue;
        /* the rest of a virtual ward's caseload: people who would not have
         * been admitted, (1/substitution - 1) of them per avoided admission,
         * arriving as the avoided ones do (capacity left out of the rate) */
        double sub = c->virtual_ward_substitution;
        L->vw_arrivals = (wf_stream){wf_key_mix(wf_key_mix(s->rep_key, SK_VW_ARRIVALS), (uint64_t)l), 0};
        L->vw_factor = sub > 0 && sub < 1 && community_of(s, l) >= 0
                           ? eligible_share(c, l) * L->lv.admission_avoidance * (1 / sub - 1) : 0;
        schedule_vw_demand(s, l, s->now);
        for (int svc = 0; svc < WF_NDEMAND; svc++) schedule_demand(s, l, svc, s->now);
    }
    for (int h = 0; h < s->nh; h++) {
        double t = s->now + c->hospitals[h].elective_hour / 24.0;
        if (c->hospitals[h].electives_per_weekday > 0 && sim_owns(s, h)) sim_at(s, t, EV_ELECTIVES, h, 0, 0);
    }
}
