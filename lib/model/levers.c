/* Partnership levers per council and per hospital: each takes the system's
 * setting (`partnership.*`, after the preset) unless the scenario gives it
 * its own (`localities.<l>.partnership.*`, `hospitals.<h>.partnership.*`),
 * so one council adopting a lever first can be modelled. Resolved once per
 * replicate; the stages read only the resolved values. */
#include "model/sim.h"

static bool tri(int own, bool system) { return own == WF_INHERIT ? system : own != 0; }
static double real(double own, double system) { return own >= 0 ? own : system; }

void levers_init(wf_sim *s)
{
    const wf_config *c = s->cfg;
    for (int l = 0; l < s->nl; l++) {
        const wf_council_levers *o = &c->localities[l].lever;
        wf_council_state *v = &s->loc[l].lv;
        v->trusted_assessor = tri(o->trusted_assessor, c->trusted_assessor);
        v->discharge_to_assess = tri(o->discharge_to_assess, c->discharge_to_assess);
        v->seven_day = tri(o->seven_day_working, c->seven_day_working);
        v->bridging = tri(o->bridging, c->bridging);
        v->pooled_capacity = real(o->pooled_capacity, c->pooled_capacity);
        v->admission_avoidance = real(o->admission_avoidance, c->admission_avoidance);
        v->funding_panel_weekdays = o->funding_panel_weekdays == WF_WEEKDAYS_INHERIT ? c->funding_panel_weekdays
                                                                                    : o->funding_panel_weekdays;
        int kind = o->referral_kind == WF_INHERIT ? (int)c->referral_delay.kind : o->referral_kind;
        v->referral = wf_sampler_make(kind, real(o->referral_mean_days, c->referral_delay.mean_days),
                                      real(o->referral_cv, c->referral_delay.cv));
    }
    for (int h = 0; h < s->nh; h++) {
        const wf_hospital_levers *o = &c->hospitals[h].lever;
        s->hosp[h].seven_day = tri(o->seven_day_working, c->seven_day_working);
        s->hosp[h].planning_lead = real(o->planning_lead_days, c->planning_lead_days);
    }
}
