/* FIFO queues of patients, linked through the patient records. Each queue
 * kind knows its organisation and its level metric, so joining or leaving a
 * queue keeps the queue-length metrics right in one place. */
#include "model/sim.h"

/* The organisation and the level (-1: none) of a queue kind. */
static void queue_of(wf_sim *s, const wf_patient *p, int kind, int *org, int *lv)
{
    switch (kind) {
    case Q_ED: *org = p->hosp; *lv = LV_ED; return;
    case Q_ASSESS: *org = s->org_l + p->loc; *lv = LV_ASSESS; return;
    case Q_PLACE + PLACE_HOME_CARE: *org = s->org_l + p->loc; *lv = LV_HC_Q; return;
    case Q_PLACE + PLACE_RESIDENTIAL:
    case Q_PLACE + PLACE_NURSING: *org = s->org_l + p->loc; *lv = LV_CH_Q; return;
    case Q_PLACE + PLACE_REHAB: *org = s->org_c + community_of(s, p->loc); *lv = LV_CB_Q; return;
    default: *org = s->org_c + community_of(s, p->loc); *lv = -1; return;
    }
}

static wf_queue *queue_at(wf_sim *s, const wf_patient *p, int kind)
{
    switch (kind) {
    case Q_ED: return &s->hosp[p->hosp].ward[p->ward].ed;
    case Q_ASSESS: return &s->loc[p->loc].assess;
    case Q_PLACE + PLACE_HOME_CARE:
    case Q_PLACE + PLACE_RESIDENTIAL:
    case Q_PLACE + PLACE_NURSING: return &s->loc[p->loc].places[kind - Q_PLACE].q;
    default: return &s->comm[community_of(s, p->loc)].places[kind - Q_PLACE - PLACE_REHAB].q;
    }
}

/* A queue's levels: its length, and for home care the hours wanted. */
static void queue_levels(wf_sim *s, const wf_patient *p, int kind, int delta)
{
    int org, lv;
    queue_of(s, p, kind, &org, &lv);
    if (lv >= 0) level_add(s, org, lv, delta);
    if (kind == Q_ED) s->hosp[p->hosp].ed_waiting += delta;
    if (kind == Q_PLACE + PLACE_HOME_CARE) level_add(s, org, LV_HC_UNMET, delta * (double)p->units / 4);
}

void queue_push(wf_sim *s, wf_queue *q, int32_t slot, int kind)
{
    wf_patient *p = pat(s, slot);
    p->queue = (uint8_t)(kind + 1);
    p->t_queue = s->now;
    p->next = -1;
    p->prev = q->tail;
    if (q->tail >= 0) pat(s, q->tail)->next = slot; else q->head = slot;
    q->tail = slot;
    q->n++;
    q->n_complex += (p->flags & F_COMPLEX) != 0;
    queue_levels(s, p, kind, 1);
}

void queue_remove(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (!p->queue) return;
    int kind = p->queue - 1;
    wf_queue *q = queue_at(s, p, kind);
    if (p->prev >= 0) pat(s, p->prev)->next = p->next; else q->head = p->next;
    if (p->next >= 0) pat(s, p->next)->prev = p->prev; else q->tail = p->prev;
    p->prev = p->next = -1;
    p->queue = 0;
    q->n--;
    q->n_complex -= (p->flags & F_COMPLEX) != 0;
    queue_levels(s, p, kind, -1);
}

int32_t queue_pop(wf_sim *s, wf_queue *q)
{
    int32_t slot = q->head;
    if (slot >= 0) queue_remove(s, slot);
    return slot;
}
