/* Patients across a system boundary: a resident of one region admitted to
 * a hospital of another (the regions are parts of one cluster split where
 * `system` labels differ; see components.c).
 *
 * The hospital's region simulates the stay. Pathway 0 patients it sees
 * through to the door itself. A patient who needs its home system's
 * services (at MOFD, or by deconditioning while waiting) is handed over:
 * the home region runs referral, assessment, the place or interim place
 * and the deconditioning clock, and sends back when the patient leaves
 * (and whether and when it will be readmitted, which only it can decide).
 * The hospital side keeps the bed until then.
 *
 * Every message takes effect at the sender's next day boundary or later,
 * so regions advance a day at a time in parallel and meet between days:
 * a hand-over reaches the home team the next day, and a leave it arranges
 * is on a later day than the arranging. Results do not depend on which
 * thread runs which region, or when. */
#include <stdlib.h>
#include <string.h>

#include "model/sim.h"

static void send(wf_sim *s, const wf_msg *m)
{
    wf_msgbuf *b = &s->out;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        wf_msg *v = realloc(b->v, cap * sizeof *v);
        if (!v) {
            s->failed = 1;
            return;
        }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = *m;
}

/* Hospital side: the patient's home system takes its discharge on. Until
 * the hand-over arrives (the next midnight) the patient waits here for
 * "other" reasons; from then on the home system counts its reason. */
void exchange_handover(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    p->stage = ST_REMOTE;
    reason_update(s, p);
    double t = floor(s->now) + 1;
    wf_msg m = {.t = t, .t_mark = p->t_mark, .t_admit = p->t_admit, .key = p->key,
                .to = s->plan->region[s->org_l + p->loc], .slot = slot, .units = p->units, .gen = p->gen,
                .n_escalations = p->n_escalations, .loc = p->loc, .hosp = p->hosp, .kind = MSG_HANDOVER,
                .frailty = p->frailty, .need = p->need, .episode = p->episode, .elective = p->elective,
                .flags = (uint16_t)(p->flags & (F_CARER | F_NURSING | F_COMPLEX))};
    send(s, &m);
    pat_at(s, t, EV_STAGE, slot); /* ST_REMOTE: stop counting the reason here */
}

/* Home side: the patient will leave the other system's hospital at t (or
 * has died). */
void exchange_leave(wf_sim *s, int32_t slot, double t, bool died)
{
    wf_patient *p = pat(s, slot);
    wf_msg m = {.t = t, .t_mark = p->t_mark, .key = p->key, .to = s->plan->region[p->hosp], .slot = p->peer, .gen = p->peer_gen,
                .loc = p->loc, .hosp = p->hosp, .kind = MSG_LEAVE, .need = p->need, .episode = p->episode,
                .flags = died ? F_DIED : 0};
    if (!died) m.back = readmission_time(s, p, p->delayed + (t - p->t_mark), t, &m.readmit);
    send(s, &m);
    /* sent is final: the delayed clocks stop here (a patient leaving the
     * other system's hospital no longer deconditions or dies on the way) */
    p->gen++;
}

int wf_sim_deliver(wf_sim *s, const wf_msg *m)
{
    if (m->kind == MSG_HANDOVER) {
        int32_t slot = patient_new(s, m->key, m->loc, m->hosp, m->frailty);
        if (slot < 0) return -1;
        wf_patient *p = pat(s, slot);
        p->episode = m->episode;
        p->elective = m->elective;
        p->need = m->need;
        p->units = m->units;
        p->flags = m->flags;
        p->n_escalations = m->n_escalations;
        p->t_mark = m->t_mark;
        p->t_admit = m->t_admit;
        p->state = PS_ACUTE;
        p->stage = ST_HANDOVER;
        p->mofd = 1;
        reason_update(s, p);
        p->peer = m->slot;
        p->peer_gen = m->gen;
        pat_at(s, m->t, EV_STAGE, slot);
    } else {
        wf_patient *p = pat(s, m->slot);
        if (p->gen != m->gen || p->stage != ST_REMOTE) return -1; /* cannot happen */
        p->need = m->need;
        if (m->flags & F_DIED) p->flags |= F_DIED;
        pat_at(s, m->t, EV_LEAVE, m->slot);
        if (m->back) {
            /* leaving bumps the tag once: the readmission carries the next */
            p->readmit_pending = 1;
            sim_at(s, m->readmit, EV_READMIT, m->slot, p->gen + 1, 0);
        }
    }
    return s->failed ? -1 : 0;
}

void wf_sim_merge(wf_sim *s, int day)
{
    double *row = s->rows[day & 1];
    size_t width = (size_t)WF_NRAW;
    for (int o = 0; o < s->n_orgs; o++) {
        if (!s->foreign[o]) continue;
        double *raw = row + (size_t)o * width;
        if (day >= 0 && day < s->days) {
            double *dst = s->acc + ((size_t)day * s->n_orgs + o) * width;
            for (size_t k = 0; k < width; k++) dst[k] += raw[k];
        }
        memset(raw, 0, width * sizeof *raw);
    }
}
