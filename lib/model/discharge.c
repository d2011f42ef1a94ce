/* The discharge process, from medically optimised to leaving: referral,
 * assessment (assessor capacity, working days, trusted or sequential),
 * funding panels, then a place (services.c); the discharge window;
 * deconditioning while delayed; and the 30-day readmission decision. */
#include "model/sim.h"

static void schedule_escalation(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (!(s->escalation_rate > 0) || p->need >= WF_NPATHWAY - 1) return;
    double u = gsl_rng_uniform(draw(s, p, DR_ESCALATE, p->n_escalations));
    pat_at(s, s->now - log1p(-u) / s->escalation_rate, EV_ESCALATE, slot);
}

/* The patient leaves at the first moment inside its hospital's discharge
 * window, on a working day unless seven-day working. Without it, a weekend
 * day or bank holiday is a discharge day for a waiting pathway 0 patient
 * with probability weekend_discharge_share (one draw per such day), so
 * pathway 0 still leaves at weekends at a reduced rate; pathways 1-3 (care
 * starts) never do. */
void leave_at_window(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    const wf_hospital_cfg *H = &s->cfg->hospitals[p->hosp];
    p->stage = ST_LEAVING;
    /* from another region, the hospital must hear of it a day ahead */
    bool remote = hospital_elsewhere(s, p);
    double t = remote ? floor(s->now) + 1 : s->now, share = s->cfg->weekend_discharge_share;
    for (uint32_t i = 0; i < 400; i++) {
        int day = (int)floor(t);
        if (sim_working_day(s, day) ||
            (p->need == 0 && gsl_rng_uniform(draw(s, p, DR_WEEKEND, i)) < share)) {
            double hour = (t - day) * 24;
            if (hour < H->discharge_open) { t = day + H->discharge_open / 24; break; }
            if (hour < H->discharge_close) break;
        }
        t = day + 1;
    }
    if (remote) exchange_leave(s, slot, t);
    pat_at(s, t, EV_LEAVE, slot);
}

static void to_place(wf_sim *s, int32_t slot)
{
    pat(s, slot)->stage = ST_PLACE_WAIT;
    place_request(s, slot);
}

static void start_assessment(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_loc_state *L = &s->loc[p->loc];
    if (s->cfg->localities[p->loc].assessors_per_day >= 0) L->assess_tokens -= 1;
    p->stage = ST_ASSESSING;
    gsl_rng *r = draw(s, p, DR_ASSESS, p->n_escalations);
    double d = wf_sample(&s->assessment, r);
    /* Without a trusted assessor the receiving service assesses again. */
    if (!s->cfg->trusted_assessor) d += wf_sample(&s->assessment, r);
    double t = s->now + d;
    if (!s->cfg->seven_day_working)
        for (int i = 0; i < 400 && !wf_is_working_day(&s->cal, (int)floor(t)); i++) t = floor(t) + 1;
    pat_at(s, t, EV_STAGE, slot);
}

static void request_assessment(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_loc_state *L = &s->loc[p->loc];
    p->stage = ST_ASSESS_WAIT;
    if (L->assess.n == 0 && sim_working_day(s, sim_day(s)) && L->assess_tokens >= 1)
        start_assessment(s, slot);
    else
        queue_push(s, &L->assess, slot, Q_ASSESS);
}

/* A new working day: the locality's assessors start what they can. */
void discharge_assessors_day(wf_sim *s, int loc)
{
    wf_loc_state *L = &s->loc[loc];
    double per_day = s->cfg->localities[loc].assessors_per_day;
    if (!sim_working_day(s, sim_day(s))) {
        L->assess_tokens = 0;
        return;
    }
    /* assessors_per_day is per working day of a five-day week; seven-day
     * working spreads the same weekly capacity over seven days. Fractions
     * carry over, so the weekly total is exact. */
    if (per_day < 0) {
        L->assess_tokens = HUGE_VAL;
    } else {
        L->assess_carry += per_day * L->assess_factor * (s->cfg->seven_day_working ? 5.0 / 7.0 : 1.0);
        L->assess_tokens = floor(L->assess_carry + 1e-9);
        L->assess_carry -= L->assess_tokens;
    }
    while (L->assess.n > 0 && L->assess_tokens >= 1) start_assessment(s, queue_pop(s, &L->assess));
}

static void after_assessment(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    unsigned panels = s->cfg->funding_panel_weekdays;
    if (panels && (p->need == 1 || p->need == 3)) {
        /* wait for the next panel day (panels do not sit on holidays) */
        int day = sim_day(s) + 1;
        for (int i = 0; i < 400; i++, day++)
            if ((panels >> wf_weekday(&s->cal, day) & 1) &&
                !(wf_calendar_flags(&s->cal, day) & WF_DAY_HOLIDAY))
                break;
        p->stage = ST_FUNDING;
        pat_at(s, day, EV_STAGE, slot);
    } else {
        to_place(s, slot);
    }
}

/* From referral: discharge to assess goes straight for a place (the
 * long-term assessment happens after discharge); otherwise assess first. */
static void after_referral(wf_sim *s, int32_t slot)
{
    if (s->cfg->discharge_to_assess) to_place(s, slot);
    else request_assessment(s, slot);
}

static void start_referral(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    p->stage = ST_REFERRAL;
    double d = wf_sample(&s->referral, draw(s, p, DR_REFERRAL, p->n_escalations));
    pat_at(s, s->now + d, EV_STAGE, slot);
}

void discharge_start(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    schedule_escalation(s, slot);
    if (p->need == 0) leave_at_window(s, slot);
    else start_referral(s, slot);
}

void on_stage(wf_sim *s, int32_t slot)
{
    switch (pat(s, slot)->stage) {
    case ST_REFERRAL: after_referral(s, slot); break;
    case ST_ASSESSING: after_assessment(s, slot); break;
    case ST_FUNDING: to_place(s, slot); break;
    case ST_HANDOVER: discharge_start(s, slot); break;
    default: break;
    }
}

/* Deconditioning: the need rises one pathway and the process restarts at
 * the step the new need requires. A patient already on its way out (holding
 * a place or an interim place) is not held back. */
void on_escalate(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->state != PS_ACUTE || p->place_org >= 0 || p->bridge) return;
    int old = p->need;
    queue_remove(s, slot);
    p->need++;
    /* no community provider for this locality: rehabilitation beds are not
     * an option, so the need rises to a care home */
    if (p->need == 2 && community_of(s, p->loc) < 0) p->need = 3;
    p->n_escalations++;
    p->gen++; /* cancels the current stage's timer */
    count(s, p->hosp, WF_M_DECONDITIONING_ESCALATIONS, 1);
    sim_log(s, p, WF_LOG_ESCALATION, p->hosp, p->need);
    if (home_elsewhere(s, p)) {
        exchange_handover(s, slot); /* now needs its home system's services */
        return;
    }
    schedule_escalation(s, slot);
    if (old == 0) start_referral(s, slot);
    else after_referral(s, slot);
}

/* At discharge from the acute bed: will this patient be back within 30
 * days? Risk rises with the days spent delayed. */
bool readmission_time(wf_sim *s, const wf_patient *p, double delayed, double t, double *when_back)
{
    const wf_config *c = s->cfg;
    gsl_rng *r = draw(s, p, DR_READMIT, 0);
    double u = gsl_rng_uniform(r), when = gsl_rng_uniform_pos(r);
    double risk = c->readmission_30d[p->need] * (1 + c->readmission_per_delayed_day * delayed);
    *when_back = t + 30 * when;
    return u < risk && p->episode < 255;
}

void readmission_decide(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    double t;
    if (readmission_time(s, p, p->delayed, s->now, &t)) {
        p->readmit_pending = 1;
        pat_at(s, t, EV_READMIT, slot);
    }
}

void on_readmit(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    place_leave_service(s, slot); /* out of any community bed, interim place or queue */
    p->readmit_pending = 0;
    if (hospital_elsewhere(s, p)) {
        patient_done(s, slot); /* back to another region's hospital, which counts it */
        return;
    }
    p->episode++;
    p->gen++;
    p->n_escalations = 0;
    p->delayed = 0;
    p->bridge = 0;
    p->place_org = -1;
    count(s, p->hosp, WF_M_READMISSIONS_30D, 1);
    sim_log(s, p, WF_LOG_READMISSION, p->hosp, 255);
    count(s, s->org_l + p->loc, WF_M_READMISSIONS_30D, 1);
    hospital_arrive(s, slot);
}
