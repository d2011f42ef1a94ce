/* Metrics: the reason each delayed patient waits for, the delay of each
 * discharge, and at each day boundary the levels' time integrals closed
 * into the day's metrics, the end-of-day counts, and the day's costs. */
#include <stdlib.h>
#include <string.h>

#include "model/sim.h"

/* Which metric each level's daily integral feeds (-1: none). */
static const int level_metric[NLV] = {
    [LV_OCC] = WF_M_OCCUPIED_BEDS,         [LV_OPEN] = WF_M_OPEN_BEDS,
    [LV_NCTR] = WF_M_NCTR_PATIENTS,        [LV_ED] = WF_M_ED_BOARDING,
    [LV_ASSESS] = WF_M_ASSESSMENT_QUEUE,   [LV_HC_OCC] = WF_M_HOME_CARE_OCCUPIED,
    [LV_HC_CAP] = WF_M_HOME_CARE_PLACES,   [LV_HC_Q] = WF_M_HOME_CARE_QUEUE,
    [LV_CH_OCC] = WF_M_CARE_HOME_OCCUPIED, [LV_CH_CAP] = WF_M_CARE_HOME_PLACES,
    [LV_CH_Q] = WF_M_CARE_HOME_QUEUE,      [LV_CB_OCC] = WF_M_COMMUNITY_BED_OCCUPIED,
    [LV_CB_CAP] = WF_M_COMMUNITY_BED_PLACES, [LV_CB_Q] = WF_M_COMMUNITY_BED_QUEUE,
    [LV_CB_DELAY] = WF_M_COMMUNITY_BED_DELAYED_DAYS, [LV_BRIDGE] = WF_M_BRIDGING_OCCUPIED,
    [LV_VW] = WF_M_VIRTUAL_WARD_OCCUPIED,  [LV_VOL] = WF_M_VOLUNTARY_SUPPORTED,
    [LV_HC_HOURS] = WF_M_HOME_CARE_HOURS,  [LV_HC_HOURS_CAP] = WF_M_HOME_CARE_HOURS_AVAILABLE,
    [LV_HC_UNMET] = WF_M_HOME_CARE_UNMET_HOURS,
    [LV_R0 + REASON_ASSESSMENT] = WF_M_NCTR_AWAITING_ASSESSMENT, [LV_R0 + REASON_FUNDING] = WF_M_NCTR_AWAITING_FUNDING,
    [LV_R0 + REASON_HOME_CARE] = WF_M_NCTR_AWAITING_HOME_CARE, [LV_R0 + REASON_REHAB_BED] = WF_M_NCTR_AWAITING_REHAB_BED,
    [LV_R0 + REASON_CARE_HOME] = WF_M_NCTR_AWAITING_CARE_HOME, [LV_R0 + REASON_OTHER] = WF_M_NCTR_AWAITING_OTHER,
};

void reason_set(wf_sim *s, wf_patient *p, int reason)
{
    if (!p->mofd || p->state != PS_ACUTE) reason = REASON_NONE;
    if (reason == p->reason) return;
    if (p->reason != REASON_NONE) level_both(s, p, LV_R0 + p->reason, -1);
    if (reason != REASON_NONE) level_both(s, p, LV_R0 + reason, 1);
    if (p->flags & (F_STAY0 << STAY_14)) {
        if (p->reason != REASON_NONE) long_reason_add(s, p, p->reason, -1);
        if (reason != REASON_NONE) long_reason_add(s, p, reason, 1);
    }
    p->reason = (uint8_t)reason;
}

/* Waiting for a place, or for its provider to take them on: the service. */
static int reason_of_place(const wf_sim *s, const wf_patient *p)
{
    switch (p->place_owner >= 0 ? p->place_kind : place_kind_of(s, p)) {
    case PLACE_HOME_CARE: return REASON_HOME_CARE;
    case PLACE_REHAB: return REASON_REHAB_BED;
    default: return REASON_CARE_HOME; /* care home beds, and interim beds to be assessed in */
    }
}

int reason_of_stage(const wf_sim *s, const wf_patient *p)
{
    switch (p->stage) {
    case ST_REFERRAL:
    case ST_ASSESS_WAIT:
    case ST_ASSESSING: return REASON_ASSESSMENT;
    case ST_FUNDING: return REASON_FUNDING;
    case ST_PLACE_WAIT:
    case ST_PROVIDER: return reason_of_place(s, p);
    default: return REASON_OTHER;
    }
}

/* A discharge's delay in whole days from the day the patient was ready, as
 * NHS England's discharge ready date measures count it. */
void observe_discharge_delay(wf_sim *s, const wf_patient *p)
{
    if (!p->mofd) return;
    int days = (int)floor(s->now) - (int)floor(p->t_mark);
    int bin = WF_RAW_DELAY_BIN0 + wf_delay_bin(days);
    count_both(s, p, WF_RAW_DRD_DISCHARGES, 1);
    count_both(s, p, bin, 1);
}

/* The partnership levers' running costs for a day: trusted assessors and
 * seven-day staff (by size of council or hospital), funding panel sittings. */
static double lever_cost(const wf_sim *s, int o, int day)
{
    const wf_config *c = s->cfg;
    if (o < s->nh) {
        return s->hosp[o].seven_day ? c->hospitals[o].beds / 100.0 * c->cost_seven_day_hospital_day : 0;
    }
    int l = o - s->org_l;
    const wf_council_state *v = &s->loc[l].lv;
    double per_100k = c->localities[l].population / 100000.0, cost = 0;
    if (v->trusted_assessor) cost += per_100k * c->cost_trusted_assessor_day;
    if (v->seven_day) cost += per_100k * c->cost_seven_day_council_day;
    if ((v->funding_panel_weekdays >> wf_weekday(&s->cal, day) & 1) &&
        !(wf_calendar_flags(&s->cal, day) & WF_DAY_HOLIDAY))
        cost += c->cost_funding_panel;
    return cost;
}

void observe_day_end(wf_sim *s, int day)
{
    const wf_config *c = s->cfg;
    for (int o = 0; o < s->n_orgs; o++) {
        if (!sim_touches(s, o)) continue;
        double *raw = s->row + (size_t)o * WF_NRAW;
        double integ[NLV];
        for (int k = 0; k < NLV; k++) {
            wf_level *l = &s->lv[o * NLV + k];
            integ[k] = l->integ + l->v * (s->now - l->last);
            l->integ = 0;
            l->last = s->now;
            raw[level_metric[k]] += integ[k];
        }
        /* delayed bed-days are the integral of the NCTR count, by reason too */
        raw[WF_M_DELAYED_BED_DAYS] += integ[LV_NCTR];
        for (int r = 0; r < NREASON; r++) raw[WF_M_DELAYED_BED_DAYS_ASSESSMENT + r] += integ[LV_R0 + r];
        double levers = o < s->org_c && sim_owns(s, o) ? lever_cost(s, o, day) : 0;
        raw[WF_M_LEVER_COST] += levers;
        if (o < s->nh) {
            raw[WF_M_INPATIENTS_END] = s->lv[o * NLV + LV_OCC].v;
            raw[WF_M_ED_BOARDING_END] = s->lv[o * NLV + LV_ED].v;
            raw[WF_M_COST] += integ[LV_OCC] * c->cost_acute_bed_day + levers;
        } else if (o < s->org_c) {
            raw[WF_M_COST] += integ[LV_HC_OCC] * c->cost_home_care_day +
                              integ[LV_CH_OCC] * c->cost_care_home_day + levers;
        } else if (o < s->org_v) {
            raw[WF_M_COST] += (integ[LV_CB_OCC] + integ[LV_BRIDGE]) * c->cost_community_bed_day +
                              integ[LV_VW] * c->cost_virtual_ward_day;
        }
    }
    int next = day + 1;
    if (s->plan) {
        /* One region of several: the day's own columns go to acc now, the
         * others' wait in the private row for the driver (wf_sim_merge). */
        size_t width = (size_t)WF_NRAW * sizeof(double);
        for (int o = 0; o < s->n_orgs; o++) {
            if (!sim_owns(s, o)) continue;
            double *raw = s->row + (size_t)o * WF_NRAW;
            if (day >= 0 && day < s->days) memcpy(s->acc + ((size_t)day * s->n_orgs + o) * WF_NRAW, raw, width);
            memset(raw, 0, width);
        }
        s->row = s->rows[next & 1];
        return;
    }
    /* the next day's row; warm-up days go to the private scratch row */
    if (next >= 0 && next < s->days) {
        s->row = s->acc + (size_t)next * s->n_orgs * WF_NRAW;
    } else {
        s->row = s->scratch;
        memset(s->scratch, 0, (size_t)s->n_orgs * WF_NRAW * sizeof *s->scratch);
    }
}

void log_append(wf_sim *s, const wf_patient *p, int event, int org, int pathway)
{
    wf_logbuf *b = s->log;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 4096;
        wf_log_record *v = realloc(b->v, cap * sizeof *v);
        if (!v) {
            s->failed = 1;
            return;
        }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = (wf_log_record){p->key, s->now, org, (uint8_t)event, (uint8_t)pathway, p->episode,
                                 (uint8_t)(p->elective && p->episode == 0)};
}
