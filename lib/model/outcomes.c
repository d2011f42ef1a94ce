/* What delay does to patients. While delayed in an acute bed a patient
 * deconditions (the need rises a pathway at rate -ln(1 - p) a day, p =
 * escalation_per_delayed_day) and may die (death_per_delayed_day, the same
 * way); on leaving, the 30-day readmission risk rises with the days spent
 * delayed, and a readmitted patient comes back as the same agent. */
#include "model/sim.h"

/* The clocks of a delayed patient, (re)started whenever its generation
 * changes while it waits (both are memoryless, so restarting them is
 * exact); each start has its own draws. A clock that would ring after a
 * leave already scheduled is not set (most patients leave the same day). */
/* An exponential clock at `rate` from now, from uniform u: scheduled if
 * it rings before `until`. Most patients leave within hours of being
 * ready, and then u alone shows that it rings later (-log1p(-u) >= u):
 * the logarithm is skipped only with a margin (a relative 1e-9 and an
 * absolute 1e-9 days, far above the rounding of the times) that makes
 * the decision the one computing it would take. */
static void clock_at(wf_sim *s, int32_t slot, double u, double rate, double until, int type)
{
    if (u > (until - s->now + 1e-9) * rate * (1 + 1e-9)) return;
    double t = s->now - log1p(-u) / rate;
    if (t < until) pat_at(s, t, type, slot);
}

void delayed_clocks(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    double until = p->stage != ST_LEAVING ? s->t_end
                   : hospital_elsewhere(s, p) ? s->now /* the other system has been told: final */
                                              : p->t_leave;
    if (s->escalation_rate > 0 && p->need < PATHWAY_CARE_HOME)
        clock_at(s, slot, draw_uniform(s, p, DR_ESCALATE, p->n_escalations), s->escalation_rate, until,
                 EV_ESCALATE);
    if (s->death_rate > 0)
        clock_at(s, slot, draw_uniform(s, p, DR_DEATH, 1u + p->n_escalations), s->death_rate, until, EV_DEATH);
}

/* Deconditioning: the need rises one pathway and the process restarts at
 * the step the new need requires. A patient already on its way out
 * (holding a place, interim support or voluntary support) is not held back. */
void on_escalate(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->state != PS_ACUTE || p->place_owner >= 0 || p->bridge != BRIDGE_NONE || (p->flags & F_SUPPORTED)) return;
    int old = p->need;
    place_cancel(s, slot);
    p->need++;
    /* no community provider for this locality: rehabilitation beds are not
     * an option, so the need rises to a care home */
    if (p->need == PATHWAY_REHAB_BED && community_of(s, p->loc) < 0) p->need = PATHWAY_CARE_HOME;
    p->n_escalations++;
    p->gen++; /* cancels the current step's timer and the delayed clocks */
    p->flags &= (uint16_t)~(F_ASSESSED | F_FUNDED | F_D2A);
    if (old == PATHWAY_HOME) {
        p->flags &= (uint16_t)~F_REFERRED;
        care_attributes(s, p); /* now needs support */
    }
    count(s, p->hosp, WF_M_DECONDITIONING_ESCALATIONS, 1);
    sim_log(s, p, WF_LOG_ESCALATION, p->hosp, p->need);
    if (home_elsewhere(s, p)) {
        exchange_handover(s, slot); /* now needs its home system's services */
        return;
    }
    delayed_clocks(s, slot);
    p->stage = ST_CLINICAL;
    discharge_next(s, slot);
}

/* At discharge from the acute bed: will this patient be back within 30
 * days? Risk rises with the days spent delayed, and falls with voluntary
 * home-from-hospital support. */
bool readmission_time(wf_sim *s, const wf_patient *p, double delayed, double t, double *when_back)
{
    const wf_config *c = s->cfg;
    gsl_rng *r = draw(s, p, DR_READMIT, 0);
    double u = wf_rng_uniform(r), when = wf_rng_uniform_pos(r);
    double risk = c->readmission_30d[p->need] * (1 + c->readmission_per_delayed_day * delayed);
    if (p->flags & F_SUPPORTED) risk *= c->voluntary_readmission_factor;
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
    care_leave_for_hospital(s, slot);
    p->readmit_pending = 0;
    if (hospital_elsewhere(s, p)) {
        patient_done(s, slot); /* back to another region's hospital, which counts it */
        return;
    }
    p->episode++;
    p->gen++;
    p->n_escalations = 0;
    p->attempts = 0;
    p->delayed = 0;
    p->bridge = BRIDGE_NONE;
    p->place_owner = -1;
    p->mofd = 0;
    p->reason = REASON_NONE;
    count_both(s, p, WF_M_READMISSIONS_30D, 1);
    sim_log(s, p, WF_LOG_READMISSION, p->hosp, 255);
    hospital_arrive(s, slot);
}
