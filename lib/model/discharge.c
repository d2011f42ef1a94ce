/* The discharge process. Planning starts before the patient is ready: on
 * admission the ward sets an expected discharge date (the clinical stay
 * with an error), and for a patient who will need support the referral
 * goes `planning_lead_days` before it (at the latest when the patient is
 * declared medically optimised). The steps then run in order, each only
 * where the patient needs it:
 *
 *   referral -> council assessment -> funding panel -> a place (or, under
 *   discharge to assess for pathway 3, an interim place) -> the provider's
 *   own assessment (none with a trusted assessor) -> ready
 *
 * and a ready patient leaves once medically optimised, at the time of day
 * the discharge takes (medicines, transport) within the discharge window,
 * on a day the hospital (and, for care, the council) discharges. The same
 * steps arrange care from the community (an interim place, a rehab bed,
 * reablement at home): discharge_next is the one place that decides what
 * comes next. */
#include "model/sim.h"

double at_hours(double t, double open, double close)
{
    double day = floor(t), hour = (t - day) * 24;
    if (hour < open) return day + open / 24;
    if (hour < close) return t;
    return day + 1 + open / 24;
}

double council_next_working(const wf_sim *s, int loc, double t)
{
    for (int i = 0; i < 400 && !council_works(s, loc, (int)floor(t)); i++) t = floor(t) + 1;
    return t;
}

/* Pathway 3 under discharge to assess leaves for an interim place and is
 * assessed there; pathway 1 goes home in reablement and is assessed there. */
static bool d2a_here(const wf_sim *s, const wf_patient *p)
{
    return p->state == PS_ACUTE && council(s, p)->discharge_to_assess &&
           (p->need == PATHWAY_HOME_CARE || p->need == PATHWAY_CARE_HOME);
}

void discharge_plan(wf_sim *s, int32_t slot, double stay, double t_mofd)
{
    wf_patient *p = pat(s, slot);
    if (p->need == PATHWAY_HOME || home_elsewhere(s, p)) return;
    const wf_config *c = s->cfg;
    double edd = s->now + stay * wf_sample(&s->edd_error, draw(s, p, DR_PLAN, 0));
    double t_ref = fmax(s->now + c->edd_set_after_days, edd - s->hosp[p->hosp].planning_lead);
    if (t_ref >= t_mofd) return; /* referred when medically optimised */
    p->stage = ST_PLANNED;
    pat_at(s, t_ref, EV_STAGE, slot);
}

static void start_referral(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    p->stage = ST_REFERRAL;
    p->flags |= F_REFERRED;
    reason_update(s, p);
    double d = wf_sample(&council(s, p)->referral, draw(s, p, DR_REFERRAL, p->n_escalations));
    pat_at(s, s->now + d, EV_STAGE, slot);
}

/* Home without support: frail patients with no carer need their home made
 * ready (heating, food, someone to settle them in) unless a voluntary
 * home-from-hospital service takes them. */
static void home_discharge(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->frailty >= WF_MILD && !(p->flags & F_CARER) && s->home_readiness.kind != WF_SAMPLE_ZERO) {
        if (voluntary_take(s, p->loc)) {
            p->flags |= F_SUPPORTED;
        } else {
            p->stage = ST_HOME_READY;
            reason_update(s, p);
            pat_at(s, s->now + wf_sample(&s->home_readiness, draw(s, p, DR_PROCESS, 2)), EV_STAGE, slot);
            return;
        }
    }
    leave_at_window(s, slot);
}

void discharge_at_mofd(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->need == PATHWAY_HOME) {
        home_discharge(s, slot);
        delayed_clocks(s, slot); /* after the leave is scheduled: see delayed_clocks */
        return;
    }
    if (home_elsewhere(s, p)) { /* its home system arranges the rest */
        exchange_handover(s, slot);
        return;
    }
    switch (p->stage) {
    case ST_CLINICAL:
    case ST_PLANNED: start_referral(s, slot); break;
    case ST_READY: leave_at_window(s, slot); break;
    default: break; /* the process is under way */
    }
    delayed_clocks(s, slot);
}

/* The next step for a patient whose last step is done (or who is starting
 * from the community). */
void discharge_next(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->queue) return; /* waiting in a queue: that comes first */
    bool in_hospital = p->state == PS_ACUTE, d2a = d2a_here(s, p);
    /* under discharge to assess, pathway 1 is assessed once its care has
     * started at home (reablement), wherever it waited for it */
    bool later = d2a || ((p->flags & F_D2A) && p->need == PATHWAY_HOME_CARE && p->state != PS_REABLEMENT);
    bool council_care = p->need == PATHWAY_HOME_CARE || p->need == PATHWAY_CARE_HOME;
    if (in_hospital && !(p->flags & F_REFERRED)) {
        start_referral(s, slot);
        return;
    }
    if (council_care && !later && !(p->flags & F_ASSESSED)) {
        assessment_request(s, slot);
        return;
    }
    if (council_care && !later && needs_funding(s, p) && !(p->flags & F_FUNDED)) {
        funding_request(s, slot);
        return;
    }
    if (d2a && p->need == PATHWAY_CARE_HOME) {
        if (p->bridge == BRIDGE_NONE) { /* out to an interim place first, assessed there */
            p->flags |= F_D2A;
            place_request(s, slot);
            return;
        }
    } else if (p->place_owner < 0) {
        if (d2a) p->flags |= F_D2A;
        place_request(s, slot); /* granted: back here through place_granted */
        return;
    }
    if (in_hospital) discharge_ready(s, slot);
    else care_start(s, slot);
}

/* Everything is arranged (a place, or interim support while the place is
 * found): the patient goes once medically optimised. */
void discharge_ready(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->stage == ST_LEAVING) return; /* already on its way (on a bridge) */
    p->stage = ST_READY;
    reason_update(s, p);
    if (p->mofd) leave_at_window(s, slot);
}

void on_stage(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    switch (p->stage) {
    case ST_PLANNED: start_referral(s, slot); break;
    case ST_REFERRAL:
    case ST_PROVIDER: discharge_next(s, slot); break;
    case ST_ASSESSING: p->flags |= F_ASSESSED; discharge_next(s, slot); break;
    case ST_FUNDING: p->flags |= F_FUNDED; discharge_next(s, slot); break;
    case ST_HOME_READY: leave_at_window(s, slot); break;
    case ST_REMOTE: reason_set(s, p, REASON_NONE); break; /* the home system counts it from now */
    case ST_HANDOVER:
        if (p->need == PATHWAY_HOME) leave_at_window(s, slot);
        else discharge_next(s, slot);
        delayed_clocks(s, slot);
        break;
    default: break;
    }
}

/* Whether the patient may be discharged on `day` (the i-th day tried):
 * every day with seven-day working (the hospital's, and for council care
 * the council's too); else working days, and for pathway 0 a weekend day
 * or bank holiday with probability weekend_discharge_share. */
static bool discharge_day(wf_sim *s, const wf_patient *p, int day, uint32_t i)
{
    bool hospital = s->hosp[p->hosp].seven_day;
    if (p->need == PATHWAY_HOME) {
        return hospital || wf_is_working_day(&s->cal, day) ||
               draw_uniform(s, p, DR_WEEKEND, i) < s->cfg->weekend_discharge_share;
    }
    bool council_care = p->need != PATHWAY_REHAB_BED || p->bridge != BRIDGE_NONE;
    if (hospital && (!council_care || council(s, p)->seven_day)) return true;
    return wf_is_working_day(&s->cal, day);
}

/* The patient is free to go now: it leaves the discharge process's time
 * later (medicines, transport, paperwork), inside its hospital's discharge
 * window on a discharge day; free too late for that, the same time after
 * the window opens on the next discharge day. */
void leave_at_window(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    const wf_hospital_cfg *H = &s->cfg->hospitals[p->hosp];
    p->stage = ST_LEAVING;
    reason_update(s, p);
    /* from another region, the hospital must hear of it a day ahead */
    bool remote = hospital_elsewhere(s, p);
    double d = wf_sample(&s->process, draw(s, p, DR_PROCESS, 1u + p->n_escalations));
    double t0 = remote ? floor(s->now) + 1 : s->now, t = t0 + d;
    for (uint32_t i = 0; i < 400; i++) {
        int day = (int)floor(t);
        double hour = (t - day) * 24;
        if (hour >= H->discharge_open && hour < H->discharge_close && discharge_day(s, p, day, i)) break;
        /* the next day (or this one, before the window opens) */
        int next = hour < H->discharge_open ? day : day + 1;
        t = next + H->discharge_open / 24 + d;
        if ((t - next) * 24 >= H->discharge_close) t = next + (H->discharge_open + H->discharge_close) / 48;
    }
    if (remote) exchange_leave(s, slot, t, false);
    p->t_leave = t;
    pat_at(s, t, EV_LEAVE, slot);
}
