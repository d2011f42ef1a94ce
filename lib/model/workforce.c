/* Winter workforce: capacity multipliers over periods of the calendar
 * (staff sickness, beds closed for norovirus), per service and
 * organisation. Overlapping periods multiply. */
#include "model/sim.h"

double workforce_factor(const wf_sim *s, int svc, wf_org_kind org_kind, int org)
{
    double f = 1;
    for (int i = 0; i < s->cfg->n_workforce; i++) {
        const wf_workforce_period *w = &s->cfg->workforce[i];
        if (!(w->services >> svc & 1u) || s->now < w->start || s->now >= w->end) continue;
        if (w->org_kind >= 0 && (w->org_kind != (int)org_kind || (w->org >= 0 && w->org != org))) continue;
        f *= w->factor;
    }
    return f;
}

void workforce_schedule(wf_sim *s)
{
    for (int i = 0; i < s->cfg->n_workforce; i++) {
        const wf_workforce_period *w = &s->cfg->workforce[i];
        if (w->start > s->now) sim_at(s, w->start, EV_WORKFORCE, i, 0, 0);
        if (w->end > s->now) sim_at(s, w->end, EV_WORKFORCE, i, 1, 0);
    }
}
