/* The councils' part of arranging care: social work assessments (assessor
 * capacity, working days, first come first served), for patients in
 * hospital and, under discharge to assess, in the community; and the
 * funding panel, which sits on its weekdays unless decisions are
 * delegated. Which cases go to the panel: needs_funding. */
#include "model/sim.h"

static void start_assessment(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_loc_state *L = &s->loc[p->loc];
    if (s->cfg->localities[p->loc].assessors_per_day >= 0) L->assess_tokens -= 1;
    p->stage = ST_ASSESSING;
    reason_update(s, p);
    double d = wf_sample(&s->assessment, draw(s, p, DR_ASSESS, p->n_escalations));
    pat_at(s, council_next_working(s, p->loc, s->now + d), EV_STAGE, slot);
}

void assessment_request(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_loc_state *L = &s->loc[p->loc];
    p->stage = ST_ASSESS_WAIT;
    reason_update(s, p);
    if (L->assess.n == 0 && council_works(s, p->loc, sim_day(s)) && L->assess_tokens >= 1)
        start_assessment(s, slot);
    else
        queue_push(s, &L->assess, slot, Q_ASSESS);
}

/* A new day: on a working day the council's assessors start what they can.
 * assessors_per_day is per working day of a five-day week; seven-day
 * working spreads the same weekly capacity over seven days. Fractions carry
 * over, so the weekly total is exact. */
void assessors_day(wf_sim *s, int loc)
{
    wf_loc_state *L = &s->loc[loc];
    double per_day = s->cfg->localities[loc].assessors_per_day;
    if (!council_works(s, loc, sim_day(s))) {
        L->assess_tokens = 0;
        return;
    }
    if (per_day < 0) {
        L->assess_tokens = HUGE_VAL;
    } else {
        L->assess_carry += per_day * L->assess_factor * (L->lv.seven_day ? 5.0 / 7.0 : 1.0);
        L->assess_tokens = floor(L->assess_carry + 1e-9);
        L->assess_carry -= L->assess_tokens;
    }
    while (L->assess.n > 0 && L->assess_tokens >= 1) start_assessment(s, queue_pop(s, &L->assess));
}

/* The panel decides care home placements and complex home care packages
 * (councils delegate ordinary packages to team managers); with no panel
 * days, decisions are delegated for all. */
bool needs_funding(const wf_sim *s, const wf_patient *p)
{
    return council(s, p)->funding_panel_weekdays != 0 &&
           (p->need == PATHWAY_CARE_HOME || (p->flags & F_COMPLEX));
}

/* The next sitting of the council's panel (after today; panels do not sit
 * on bank holidays), which decides at midday. */
void funding_request(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    unsigned panels = council(s, p)->funding_panel_weekdays;
    int day = sim_day(s) + 1;
    for (int i = 0; i < 400; i++, day++)
        if ((panels >> wf_weekday(&s->cal, day) & 1) && !(wf_calendar_flags(&s->cal, day) & WF_DAY_HOLIDAY)) break;
    p->stage = ST_FUNDING;
    reason_update(s, p);
    pat_at(s, day + 0.5, EV_STAGE, slot);
}
