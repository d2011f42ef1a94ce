/* Care after the acute bed. A place granted is taken up when the patient
 * leaves hospital (or, from the community, at once): home care for a
 * reablement spell and, for a share, a long-term package; a care home until
 * the stay ends (mostly in death); a community bed for rehabilitation,
 * after which some need home care or a care home and wait in the bed for
 * it. Under discharge to assess the long-term assessment and funding
 * decision happen here, in reablement at home or in an interim place, and
 * the care goes on until they are done. Spells that need no patient
 * afterwards end with an anonymous release of their place. */
#include "model/sim.h"

static void release_bridge(wf_sim *s, wf_patient *p)
{
    if (p->bridge == BRIDGE_INTERIM) {
        p->bridge = BRIDGE_NONE;
        place_free(s, PLACE_INTERIM, community_of(s, p->loc), 0, 1);
    } else if (p->bridge == BRIDGE_VOLUNTARY) {
        p->bridge = BRIDGE_NONE;
        voluntary_free(s, p->loc);
    }
}

static void release_rehab_bed(wf_sim *s, wf_patient *p)
{
    int c = community_of(s, p->loc);
    if (p->state == PS_REHAB_WAIT) level_add(s, s->org_c + c, LV_CB_DELAY, -1);
    place_free(s, PLACE_REHAB, c, 0, 1);
}

/* A place, once granted: the provider's own assessment first, unless the
 * council uses a trusted assessor (or it is a bed the NHS provides). */
void place_granted(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->stage == ST_LEAVING && p->state == PS_ACUTE) return; /* leaving on a bridge: takes the place up then */
    int kind = p->place_kind;
    bool provider = kind == PLACE_HOME_CARE || kind == PLACE_RESIDENTIAL || kind == PLACE_NURSING;
    if (provider && !council(s, p)->trusted_assessor && p->state != PS_COMMUNITY &&
        s->provider.kind != WF_SAMPLE_ZERO) {
        p->stage = ST_PROVIDER;
        reason_update(s, p);
        double d = wf_sample(&s->provider, draw(s, p, DR_PROVIDER, p->n_escalations));
        pat_at(s, council_next_working(s, p->loc, s->now + d), EV_STAGE, slot);
        return;
    }
    discharge_next(s, slot);
}

/* Length of a home care spell: reablement, and a long-term package for a
 * share (the same draws whenever they are asked for). */
static void home_care_spell(wf_sim *s, const wf_patient *p, double *reable, double *long_term)
{
    gsl_rng *r = draw(s, p, DR_CARE, 0);
    *reable = wf_sample(&s->reablement, r);
    *long_term = wf_rng_uniform(r) < s->cfg->long_term_share ? wf_sample(&s->long_term, r) : 0;
}

/* The service starts now, in the place the patient holds. */
void care_start(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    int kind = p->place_kind, owner = p->place_owner;
    uint32_t bits = (uint32_t)kind | (p->place_pooled ? RELEASE_POOLED : 0);
    release_bridge(s, p);
    if (p->state == PS_REHAB_WAIT) release_rehab_bed(s, p);
    if (p->state != PS_COMMUNITY && p->state != PS_REABLEMENT)
        sim_log(s, p, WF_LOG_CARE_START,
                PLACE_OF_COUNCIL(kind) ? s->org_l + owner : s->org_c + owner, p->need);
    switch (kind) {
    case PLACE_REHAB: {
        /* the bed stays held (by the state) until the patient moves on */
        p->place_owner = -1;
        p->state = PS_REHAB;
        gsl_rng *r = draw(s, p, DR_CARE, 1);
        double d = wf_sample(&s->rehab, r);
        if (wf_rng_uniform(r) < s->cfg->community_bed_death) {
            p->flags |= F_DIED;
            d *= wf_rng_uniform(r);
        }
        pat_at(s, s->now + d, EV_CARE_END, slot);
        return;
    }
    case PLACE_HOME_CARE: {
        double reable, long_term;
        home_care_spell(s, p, &reable, &long_term);
        if ((p->flags & F_D2A) && !(p->flags & F_ASSESSED)) {
            /* discharge to assess: home in reablement, assessed there */
            p->state = PS_REABLEMENT;
            p->t_mark = s->now + reable;
            discharge_next(s, slot);
            return;
        }
        double from = p->state == PS_REABLEMENT ? fmax(s->now, p->t_mark) : s->now + reable;
        sim_at(s, from + long_term, EV_RELEASE, owner, bits, (uint32_t)p->units);
        break;
    }
    default: { /* a care home */
        gsl_rng *r = draw(s, p, DR_CARE, 0);
        double stay = wf_sample(&s->care_home_stay, r);
        if (wf_rng_uniform(r) < s->cfg->care_home_death_share) bits |= RELEASE_DIED;
        sim_at(s, s->now + stay, EV_RELEASE, owner, bits, 1);
        break;
    }
    }
    p->place_owner = -1;
    patient_done(s, slot);
}

/* Out of the acute bed (need known, arrangements made). */
void care_after_hospital(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->need == PATHWAY_HOME) {
        if (p->flags & F_SUPPORTED) /* the voluntary service's support at home */
            sim_at(s, s->now + wf_sample(&s->voluntary_support, draw(s, p, DR_CARE, 5)), EV_RELEASE, p->loc,
                   RELEASE_VOLUNTARY, 0);
        patient_done(s, slot);
        return;
    }
    if (p->place_owner >= 0) {
        care_start(s, slot);
        return;
    }
    p->stage = p->queue ? ST_PLACE_WAIT : ST_CLINICAL; /* waiting on, or the next step from here */
    if (p->bridge == BRIDGE_INTERIM) {
        p->state = PS_INTERIM;
        discharge_next(s, slot); /* discharge to assess: assessed in the interim place */
    } else {
        p->state = PS_VOLUNTARY; /* bridged at home, still waiting */
    }
}

void on_care_end(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    int c = community_of(s, p->loc);
    if (p->flags & F_DIED) {
        count(s, s->org_c + c, WF_M_COMMUNITY_BED_DEATHS, 1);
        release_rehab_bed(s, p);
        p->readmit_pending = 0;
        p->gen++;
        patient_done(s, slot);
        return;
    }
    const double *w = s->cfg->onward;
    double u = draw_uniform(s, p, DR_CARE, 2);
    int need = u < w[0] ? PATHWAY_HOME : u < w[0] + w[1] ? PATHWAY_HOME_CARE : PATHWAY_CARE_HOME;
    if (need == PATHWAY_HOME) {
        release_rehab_bed(s, p);
        patient_done(s, slot);
        return;
    }
    p->state = PS_REHAB_WAIT;
    p->need = (uint8_t)need;
    p->flags &= (uint16_t)~(F_ASSESSED | F_FUNDED | F_D2A);
    level_add(s, s->org_c + c, LV_CB_DELAY, 1);
    discharge_next(s, slot);
}

/* An anonymous place frees: a care spell ends. */
void on_release(wf_sim *s, int owner, uint32_t bits, int64_t units)
{
    int kind = RELEASE_KIND(bits);
    switch (kind) {
    case RELEASE_VOLUNTARY: voluntary_free(s, owner); return;
    case RELEASE_VIRTUAL_WARD:
        s->comm[owner].vw_used--;
        level_add(s, s->org_c + owner, LV_VW, -1);
        return;
    default:
        if (bits & RELEASE_DIED) count(s, s->org_l + owner, WF_M_CARE_HOME_DEATHS, 1);
        place_free(s, kind, owner, (bits & RELEASE_POOLED) != 0, units);
    }
}

/* Back to hospital from the community (a readmission): out of whatever
 * service, interim place or queue the patient is in. */
void care_leave_for_hospital(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    switch (p->state) {
    case PS_REHAB:
    case PS_REHAB_WAIT: release_rehab_bed(s, p); break;
    case PS_REABLEMENT: { /* the package ends with the readmission */
        int owner = p->place_owner;
        int pooled = p->place_pooled;
        p->place_owner = -1;
        queue_remove(s, slot);
        place_free(s, PLACE_HOME_CARE, owner, pooled, p->units);
        break;
    }
    default: break;
    }
    place_cancel(s, slot);
}

/* Community demand that waited too long finds care elsewhere. */
void on_renege(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->state != PS_COMMUNITY || !p->queue) return;
    queue_remove(s, slot);
    count(s, s->org_l + p->loc, WF_M_COMMUNITY_DEMAND_UNMET, 1);
    patient_done(s, slot);
}
