/* FIFO queues of patients, linked through the patient records. Each queue
 * kind knows its organisation and its level metric, so joining or leaving a
 * queue keeps the queue-length metrics right in one place. */
#include "model/sim.h"

static wf_queue *queue_of(wf_sim *s, const wf_patient *p, int kind, int *org, int *lv)
{
    switch (kind) {
    case Q_ED: *org = p->hosp; *lv = LV_ED; return &s->hosp[p->hosp].ed;
    case Q_ASSESS: *org = s->org_l + p->loc; *lv = LV_ASSESS; return &s->loc[p->loc].assess;
    case Q_HOME_CARE: *org = s->org_l + p->loc; *lv = LV_HC_Q; return &s->loc[p->loc].home_care.q;
    case Q_CARE_HOME: *org = s->org_l + p->loc; *lv = LV_CH_Q; return &s->loc[p->loc].care_home.q;
    default: {
        int c = community_of(s, p->loc);
        *org = s->org_c + c; *lv = LV_CB_Q; return &s->comm[c].beds.q;
    }
    }
}

void queue_push(wf_sim *s, wf_queue *q, int32_t slot, int kind)
{
    wf_patient *p = pat(s, slot);
    int org, lv;
    (void)queue_of(s, p, kind, &org, &lv);
    p->queue = (uint8_t)(kind + 1);
    p->t_queue = s->now;
    p->next = -1;
    p->prev = q->tail;
    if (q->tail >= 0) pat(s, q->tail)->next = slot; else q->head = slot;
    q->tail = slot;
    q->n++;
    level_add(s, org, lv, 1);
}

void queue_remove(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (!p->queue) return;
    int org, lv;
    wf_queue *q = queue_of(s, p, p->queue - 1, &org, &lv);
    if (p->prev >= 0) pat(s, p->prev)->next = p->next; else q->head = p->next;
    if (p->next >= 0) pat(s, p->next)->prev = p->prev; else q->tail = p->prev;
    p->prev = p->next = -1;
    p->queue = 0;
    q->n--;
    level_add(s, org, lv, -1);
}

int32_t queue_pop(wf_sim *s, wf_queue *q)
{
    int32_t slot = q->head;
    if (slot >= 0) queue_remove(s, slot);
    return slot;
}
