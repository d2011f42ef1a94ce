/* Day boundaries: close each level's time integral into the day's metrics,
 * sample the end-of-day counts, and price the day's care. */
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
};

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
        /* delayed bed-days are the integral of the NCTR count */
        raw[WF_M_DELAYED_BED_DAYS] += integ[LV_NCTR];
        if (o < s->nh) {
            raw[WF_M_INPATIENTS_END] = s->lv[o * NLV + LV_OCC].v;
            raw[WF_M_ED_BOARDING_END] = s->lv[o * NLV + LV_ED].v;
            raw[WF_M_COST] += integ[LV_OCC] * c->cost_acute_bed_day;
        } else if (o < s->org_c) {
            raw[WF_M_COST] += integ[LV_HC_OCC] * c->cost_home_care_day +
                              integ[LV_CH_OCC] * c->cost_care_home_day;
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
