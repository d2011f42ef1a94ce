/* The hospital: patients' lives as records, the ED queue (or diversion),
 * G&A beds with escalation beds, the clinical stay up to being declared
 * medically optimised for discharge on the ward round, deaths in hospital,
 * leaving the bed, and the 08:00 snapshot. */
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
    p->prev = p->next = p->in_prev = p->in_next = -1;
    p->place_owner = -1;
    p->reason = REASON_NONE;
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

/* The hospital's list of inpatients in order of admission (admissions
 * come in time order, so appending keeps it sorted). The 08:00 snapshot
 * extends each stay threshold's prefix of it (observe_snapshot), so the
 * daily counts cost the patients crossing a threshold, not a walk over
 * every long stay. */
static void inpatient_add(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_hosp_state *H = &s->hosp[p->hosp];
    p->in_next = -1;
    p->in_prev = H->inpatients_tail;
    if (H->inpatients_tail >= 0) pat(s, H->inpatients_tail)->in_next = slot;
    else H->inpatients = slot;
    H->inpatients_tail = slot;
}

static void inpatient_remove(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_hosp_state *H = &s->hosp[p->hosp];
    for (int j = 0; j < NSTAY; j++) {
        if (!(p->flags & (F_STAY0 << j))) continue;
        H->stay_n[j]--;
        if (H->stay_last[j] == slot) H->stay_last[j] = p->in_prev; /* a prefix stays a prefix */
    }
    if ((p->flags & (F_STAY0 << STAY_14)) && p->reason < NREASON) long_reason_add(s, p, p->reason, -1);
    p->flags &= (uint16_t)~((F_STAY0 << NSTAY) - F_STAY0);
    if (p->in_prev >= 0) pat(s, p->in_prev)->in_next = p->in_next;
    else H->inpatients = p->in_next;
    if (p->in_next >= 0) pat(s, p->in_next)->in_prev = p->in_prev;
    else H->inpatients_tail = p->in_prev;
    p->in_prev = p->in_next = -1;
}

/* The ward round declares a patient medically optimised: at once within
 * the round's hours, else at the next round, reaching the patient at a
 * uniform point of it (a round works through its patients). Without
 * seven-day working a weekend or bank holiday round reviews only a share
 * of its patients (partnership.weekend_review_share); the others wait for
 * the next day's round. */
static double ward_round(wf_sim *s, const wf_patient *p, double t_ready)
{
    const wf_hospital_cfg *H = &s->cfg->hospitals[p->hosp];
    double t = at_hours(t_ready, H->round_open, H->round_close);
    if (t != t_ready) t += (H->round_close - H->round_open) / 24 * draw_uniform(s, p, DR_PROCESS, 0);
    if (s->hosp[p->hosp].seven_day) return t;
    for (uint32_t i = 0; i < 30 && !wf_is_working_day(&s->cal, (int)floor(t)) &&
                         draw_uniform(s, p, DR_WEEKEND, 100 + i) >= s->cfg->weekend_review_share;
         i++)
        t = floor(t) + 1 + H->round_open / 24 +
            (H->round_close - H->round_open) / 24 * draw_uniform(s, p, DR_PROCESS, 10 + i);
    return t;
}

/* What arranging support for a patient depends on, drawn (from fixed
 * draws) once the patient needs support: whether a care home place would
 * need nursing, whether the needs are complex (few places suit them), and
 * the hours a home care package would take. */
void care_attributes(wf_sim *s, wf_patient *p)
{
    const wf_config *c = s->cfg;
    p->flags &= (uint16_t)~(F_NURSING | F_COMPLEX);
    if (draw_uniform(s, p, DR_NEED, 1) < c->nursing_need[p->frailty]) p->flags |= F_NURSING;
    if (draw_uniform(s, p, DR_NEED, 2) < c->complex_needs[p->frailty]) p->flags |= F_COMPLEX;
    double hours = wf_sample(&s->package_hours, draw(s, p, DR_NEED, 3));
    p->units = hours > 0.25 ? (int32_t)floor(hours * 4 + 0.5) : 1;
}

/* The need on leaving, drawn on admission (the ward plans for it): the
 * pathway by frailty; an unpaid carer may meet a pathway 1 need (home
 * without services) or a pathway 3 need at home (pathway 1). Whether there
 * is a carer matters only to frail patients and to those needing support. */
static void draw_need(wf_sim *s, wf_patient *p)
{
    const wf_config *c = s->cfg;
    gsl_rng *r = draw(s, p, DR_NEED, 0);
    double v = wf_rng_uniform(r), a = 0;
    int k = 0;
    for (; k < WF_NPATHWAY - 1; k++)
        if (v < (a += c->pathway_need[p->frailty][k])) break;
    if (p->frailty != WF_FIT || k != PATHWAY_HOME) {
        double u_carer = wf_rng_uniform(r), u_sub = wf_rng_uniform(r);
        if (u_carer < c->carer_available[p->frailty]) {
            p->flags |= F_CARER;
            if (k == PATHWAY_HOME_CARE && u_sub < c->carer_replaces_p1) k = PATHWAY_HOME;
            else if (k == PATHWAY_CARE_HOME && u_sub < c->carer_replaces_p3) k = PATHWAY_HOME_CARE;
        }
    }
    p->need = (uint8_t)k;
    if (k != PATHWAY_HOME) care_attributes(s, p);
}

void hospital_take_bed(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_hosp_state *H = &s->hosp[p->hosp];
    H->occupied++;
    H->ward[p->ward].occupied++;
    level_add(s, p->hosp, LV_OCC, 1);
    p->state = PS_ACUTE;
    p->stage = ST_CLINICAL;
    p->t_admit = s->now;
    p->mofd = 0;
    p->flags &= (uint16_t)~(F_CARER | F_NURSING | F_COMPLEX | F_REFERRED | F_ASSESSED | F_FUNDED | F_SUPPORTED | F_D2A);
    inpatient_add(s, slot);
    sim_log(s, p, WF_LOG_ADMISSION, p->hosp, 255);
    bool elective = p->elective && p->episode == 0;
    const wf_sampler *los = elective ? &s->elective_los : &s->los[p->frailty];
    double stay = wf_sample(los, draw(s, p, DR_LOS, 0));
    /* emergency patients may die before they are medically optimised */
    if (!elective && draw_uniform(s, p, DR_DEATH, 0) < s->cfg->death_in_hospital[p->frailty]) {
        pat_at(s, s->now + stay, EV_DEATH, slot);
        return;
    }
    draw_need(s, p);
    double t_mofd = ward_round(s, p, s->now + stay);
    pat_at(s, t_mofd, EV_MOFD, slot);
    discharge_plan(s, slot, stay, t_mofd);
}

static void admit_emergency(wf_sim *s, int32_t slot, int ward)
{
    wf_patient *p = pat(s, slot);
    double wait = s->now - p->t_mark;
    p->ward = (uint8_t)ward;
    count_both(s, p, WF_M_ADMISSIONS, 1);
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
    p->ward = (uint8_t)(H->n_wards > 1 ? (int)(draw_uniform(s, p, DR_ATTR, 1) * H->n_wards) : 0);
    wf_ward *W = &H->ward[p->ward];
    count(s, p->hosp, WF_M_ED_ARRIVALS, 1);
    sim_log(s, p, WF_LOG_ARRIVAL, p->hosp, 255);
    if (W->occupied < W->cap && W->ed.n == 0) {
        admit_emergency(s, slot, p->ward);
    } else if (s->cfg->hospitals[p->hosp].ed_policy == WF_ED_DIVERT) {
        count(s, p->hosp, WF_M_DIVERTED, 1);
        sim_log(s, p, WF_LOG_DIVERTED, p->hosp, 255);
        patient_done(s, slot);
    } else {
        queue_push(s, &W->ed, slot, Q_ED);
        double hours = s->cfg->hospitals[p->hosp].outlier_hours;
        if (H->n_wards > 1 && hours >= 0) pat_at(s, s->now + hours / 24, EV_OUTLIER, slot);
    }
}

/* The patient waiting longest in ED who may take a bed on ward w: its own
 * specialty's first in line, else an outlier from another ward's queue. */
static int32_t next_for_ward(wf_sim *s, int h, int w)
{
    wf_hosp_state *H = &s->hosp[h];
    if (H->ward[w].ed.n > 0) return H->ward[w].ed.head;
    double hours = s->cfg->hospitals[h].outlier_hours;
    if (hours < 0) return -1;
    int32_t best = -1;
    for (int v = 0; v < H->n_wards; v++) {
        int32_t head = H->ward[v].ed.head;
        if (head >= 0 && s->now - pat(s, head)->t_mark >= hours / 24 - 1e-12 &&
            (best < 0 || pat(s, head)->t_mark < pat(s, best)->t_mark))
            best = head;
    }
    return best;
}

static void admit_to_ward(wf_sim *s, int h, int w)
{
    wf_ward *W = &s->hosp[h].ward[w];
    int32_t slot;
    while (W->occupied < W->cap && (slot = next_for_ward(s, h, w)) >= 0) {
        queue_remove(s, slot);
        admit_emergency(s, slot, w);
    }
}

void hospital_admit_from_ed(wf_sim *s, int h)
{
    wf_hosp_state *H = &s->hosp[h];
    if (H->ed_waiting == 0) return;
    for (int w = 0; w < H->n_wards; w++) admit_to_ward(s, h, w);
}

/* A patient has waited outlier_hours: any ward's free bed will do. */
void on_outlier(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->state != PS_ED || !p->queue) return;
    wf_hosp_state *H = &s->hosp[p->hosp];
    for (int w = 0; w < H->n_wards; w++)
        if (H->ward[w].occupied < H->ward[w].cap) {
            queue_remove(s, slot);
            admit_emergency(s, slot, w);
            return;
        }
}

int hospital_free_beds(const wf_sim *s, int h, int *best_ward)
{
    const wf_hosp_state *H = &s->hosp[h];
    int total = 0, best = 0, most = -1;
    for (int w = 0; w < H->n_wards; w++) {
        const wf_ward *W = &H->ward[w];
        int f = W->ed.n > 0 ? 0 : W->cap - W->occupied;
        if (f > 0) total += f;
        if (f > most) most = f, best = w;
    }
    if (best_ward) *best_ward = best;
    return total;
}

/* Open beds after workforce factors and escalation, split evenly over the
 * specialty wards. */
void hospital_set_capacity(wf_sim *s, int h)
{
    wf_hosp_state *H = &s->hosp[h];
    H->base = (int)floor(s->cfg->hospitals[h].beds * workforce_factor(s, WF_SVC_BEDS, WF_ORG_HOSPITAL, h) + 1e-9);
    H->cap = H->base + (H->escalation_open ? s->cfg->hospitals[h].escalation_beds : 0);
    for (int w = 0; w < H->n_wards; w++)
        H->ward[w].cap = (int)((int64_t)H->cap * (w + 1) / H->n_wards - (int64_t)H->cap * w / H->n_wards);
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
    p->mofd = 1;
    level_both(s, p, LV_NCTR, 1);
    sim_log(s, p, WF_LOG_MOFD, p->hosp, p->need);
    reason_update(s, p);
    discharge_at_mofd(s, slot);
}

/* Out of the acute bed, discharged or dead: the hospital's bookkeeping. */
static void vacate(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    wf_hosp_state *H = &s->hosp[p->hosp];
    H->occupied--;
    H->ward[p->ward].occupied--;
    level_add(s, p->hosp, LV_OCC, -1);
    if (p->mofd) {
        level_both(s, p, LV_NCTR, -1);
        reason_set(s, p, REASON_NONE);
        p->delayed += s->now - p->t_mark;
    }
    inpatient_remove(s, slot);
}

void on_leave(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    int h = p->hosp;
    if (hospital_elsewhere(s, p)) {
        /* home side of a patient leaving another region's hospital (which
         * counts the discharge): readmission as arranged, then the place */
        p->delayed += s->now - p->t_mark;
        reason_set(s, p, REASON_NONE);
        p->gen++;
        readmission_decide(s, slot);
        care_after_hospital(s, slot);
        return;
    }
    if (p->flags & F_DIED) { /* the home region reports a death while delayed */
        on_death(s, slot);
        return;
    }
    vacate(s, slot);
    count_both(s, p, WF_M_DISCHARGES_P0 + p->need, 1);
    observe_discharge_delay(s, p);
    sim_log(s, p, WF_LOG_DISCHARGE, h, p->need);
    p->gen++; /* cancels the delayed clocks */
    int w = p->ward;
    if (p->stage == ST_REMOTE) {
        patient_done(s, slot); /* the home region decided readmission and has the patient */
    } else {
        readmission_decide(s, slot);
        care_after_hospital(s, slot);
    }
    admit_to_ward(s, h, w);
}

/* A death in the acute bed: before being medically optimised (drawn on
 * admission), or while delayed (outcomes.c). Whatever was arranged for the
 * patient is given up; a death is never a discharge. */
void on_death(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    int h = p->hosp;
    if (hospital_elsewhere(s, p)) {
        /* home side: tell the hospital, give up what was arranged */
        place_cancel(s, slot);
        reason_set(s, p, REASON_NONE);
        exchange_leave(s, slot, floor(s->now) + 1, true);
        patient_done(s, slot);
        return;
    }
    bool delayed = p->mofd;
    vacate(s, slot);
    count_both(s, p, WF_M_DEATHS, 1);
    if (delayed) count_both(s, p, WF_M_DEATHS_WHILE_DELAYED, 1);
    p->gen++;
    if (p->stage != ST_REMOTE) place_cancel(s, slot);
    p->readmit_pending = 0;
    int w = p->ward;
    patient_done(s, slot);
    admit_to_ward(s, h, w);
}

/* 08:00, the sitrep's snapshot: beds open and occupied, NCTR patients, and
 * the patients in hospital for 7+ and 21+ days (with the reasons of the
 * NCTR among those of 14+ days). */
void observe_snapshot(wf_sim *s)
{
    for (int h = 0; h < s->nh; h++) {
        if (!sim_owns(s, h)) continue;
        wf_hosp_state *H = &s->hosp[h];
        count(s, h, WF_RAW_OCC_8AM, H->occupied);
        count(s, h, WF_RAW_OPEN_8AM, H->cap);
        for (int j = 0; j < NSTAY; j++) {
            static const double days[NSTAY] = {7, 14, 21};
            int32_t slot = H->stay_last[j] >= 0 ? pat(s, H->stay_last[j])->in_next : H->inpatients;
            /* everyone after the first short stay was admitted later */
            while (slot >= 0 && s->now - pat(s, slot)->t_admit >= days[j]) {
                wf_patient *p = pat(s, slot);
                p->flags |= (uint16_t)(F_STAY0 << j);
                H->stay_n[j]++;
                if (j == STAY_14 && p->reason < NREASON) long_reason_add(s, p, p->reason, 1);
                H->stay_last[j] = slot;
                slot = p->in_next;
            }
        }
        count(s, h, WF_M_STRANDED_BEDS, H->stay_n[STAY_7]);
        count(s, h, WF_M_SUPER_STRANDED_BEDS, H->stay_n[STAY_21]);
        for (int r = 0; r < NREASON; r++)
            if (H->long_reason[r]) count(s, h, WF_M_NCTR_14D_AWAITING_ASSESSMENT + r, H->long_reason[r]);
    }
    for (int l = 0; l < s->nl; l++)
        for (int r = 0; r < NREASON; r++)
            if (s->loc[l].long_reason[r])
                count(s, s->org_l + l, WF_M_NCTR_14D_AWAITING_ASSESSMENT + r, s->loc[l].long_reason[r]);
    for (int o = 0; o < s->org_c; o++)
        if (sim_touches(s, o)) count(s, o, WF_M_NCTR_PATIENTS_8AM, s->lv[o * NLV + LV_NCTR].v);
}
