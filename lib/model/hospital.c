/* The hospital: patients' lives as records, the ED queue (or diversion),
 * G&A beds with escalation beds, the clinical stay up to medically
 * optimised for discharge, and leaving the bed. */
#include <string.h>

#include "model/sim.h"

int32_t patient_new(wf_sim *s, uint64_t key, int loc, int hosp, int frailty)
{
    int32_t slot = wf_pool_alloc(&s->patients);
    if (slot < 0) {
        s->failed = 1;
        return -1;
    }
    wf_patient *p = pat(s, slot);
    uint32_t gen = p->gen; /* carried over from the slot's last owner */
    memset(p, 0, sizeof *p);
    p->gen = gen + 1;
    p->key = key;
    p->prev = p->next = -1;
    p->place_org = -1;
    p->loc = (int16_t)loc;
    p->hosp = (int16_t)hosp;
    p->frailty = (uint8_t)frailty;
    return slot;
}

/* A patient leaves our sight: kept (as PS_AWAY) if a readmission is due. */
void patient_done(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->readmit_pending) {
        p->state = PS_AWAY;
        return;
    }
    p->gen++;
    wf_pool_release(&s->patients, slot);
}

void hospital_take_bed(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_hosp_state *H = &s->hosp[p->hosp];
    H->occupied++;
    level_add(s, p->hosp, LV_OCC, 1);
    p->state = PS_ACUTE;
    p->stage = ST_CLINICAL;
    sim_log(s, p, WF_LOG_ADMISSION, p->hosp, 255);
    const wf_sampler *los = p->elective && p->episode == 0 ? &s->elective_los : &s->los[p->frailty];
    pat_at(s, s->now + wf_sample(los, draw(s, p, DR_LOS, 0)), EV_MOFD, slot);
}

static void admit_emergency(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    double wait = s->now - p->t_mark;
    count(s, p->hosp, WF_M_ADMISSIONS, 1);
    count(s, s->org_l + p->loc, WF_M_ADMISSIONS, 1);
    count(s, p->hosp, WF_RAW_ED_WAIT_SUM, wait * 24);
    if (wait > 4.0 / 24) count(s, p->hosp, WF_M_WAITS_OVER_4H, 1);
    if (wait > 12.0 / 24) count(s, p->hosp, WF_M_WAITS_OVER_12H, 1);
    hospital_take_bed(s, slot);
}

void hospital_arrive(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_hosp_state *H = &s->hosp[p->hosp];
    p->state = PS_ED;
    p->t_mark = s->now;
    count(s, p->hosp, WF_M_ED_ARRIVALS, 1);
    sim_log(s, p, WF_LOG_ARRIVAL, p->hosp, 255);
    if (H->occupied < H->cap && H->ed.n == 0) {
        admit_emergency(s, slot);
    } else if (s->cfg->hospitals[p->hosp].ed_policy == WF_ED_DIVERT) {
        count(s, p->hosp, WF_M_DIVERTED, 1);
        sim_log(s, p, WF_LOG_DIVERTED, p->hosp, 255);
        patient_done(s, slot);
    } else {
        queue_push(s, &H->ed, slot, Q_ED);
    }
}

void hospital_admit_from_ed(wf_sim *s, int h)
{
    wf_hosp_state *H = &s->hosp[h];
    while (H->occupied < H->cap && H->ed.n > 0) admit_emergency(s, queue_pop(s, &H->ed));
}

void hospital_set_capacity(wf_sim *s, int h)
{
    wf_hosp_state *H = &s->hosp[h];
    H->base = (int)floor(s->cfg->hospitals[h].beds * workforce_factor(s, WF_SVC_BEDS, 0, h) + 1e-9);
    H->cap = H->base + (H->escalation_open ? s->cfg->hospitals[h].escalation_beds : 0);
    level_set(s, h, LV_OPEN, H->cap);
    hospital_admit_from_ed(s, h);
}

/* Daily review: escalation beds open while occupancy of the base beds is at
 * or above the threshold, and close (as they empty) when it falls below. */
void hospital_daily_review(wf_sim *s, int h)
{
    wf_hosp_state *H = &s->hosp[h];
    const wf_hospital_cfg *c = &s->cfg->hospitals[h];
    H->escalation_open = c->escalation_beds > 0 && H->occupied >= c->escalation_threshold * H->base;
    hospital_set_capacity(s, h);
}

void on_mofd(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    p->t_mark = s->now;
    level_add(s, p->hosp, LV_NCTR, 1);
    level_add(s, s->org_l + p->loc, LV_NCTR, 1);
    gsl_rng *r = draw(s, p, DR_NEED, 0);
    double v = gsl_rng_uniform(r), a = 0;
    int k = 0;
    for (; k < WF_NPATHWAY - 1; k++)
        if (v < (a += s->cfg->pathway_need[p->frailty][k])) break;
    p->need = (uint8_t)k;
    sim_log(s, p, WF_LOG_MOFD, p->hosp, k);
    /* a resident of another region who needs its services: hand over */
    if (k > 0 && home_elsewhere(s, p)) exchange_handover(s, slot);
    else discharge_start(s, slot);
}

void on_leave(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    int h = p->hosp;
    if (hospital_elsewhere(s, p)) {
        /* home side of a patient leaving another region's hospital (which
         * counts the discharge): readmission as arranged, then the place */
        p->delayed += s->now - p->t_mark;
        p->gen++;
        readmission_decide(s, slot);
        place_leave_hospital(s, slot);
        return;
    }
    wf_hosp_state *H = &s->hosp[h];
    H->occupied--;
    level_add(s, h, LV_OCC, -1);
    level_add(s, h, LV_NCTR, -1);
    level_add(s, s->org_l + p->loc, LV_NCTR, -1);
    p->delayed += s->now - p->t_mark;
    count(s, h, WF_M_DISCHARGES_P0 + p->need, 1);
    count(s, s->org_l + p->loc, WF_M_DISCHARGES_P0 + p->need, 1);
    sim_log(s, p, WF_LOG_DISCHARGE, h, p->need);
    p->gen++; /* cancels the escalation clock */
    if (p->stage == ST_REMOTE) {
        patient_done(s, slot); /* the home region decided readmission and has the patient */
    } else {
        readmission_decide(s, slot);
        if (p->need == 0) patient_done(s, slot);
        else place_leave_hospital(s, slot);
    }
    hospital_admit_from_ed(s, h);
}
