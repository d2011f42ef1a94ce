/* Services with places: home care packages and care home beds per
 * locality (a share of each pooled system-wide), community rehabilitation
 * beds (with onward needs and their waits), interim/bridging places,
 * virtual wards, voluntary home-from-hospital support; initial occupancy,
 * queues served first come first served, and workforce capacity. */
#include <stdlib.h>

#include "model/sim.h"

int community_of(const wf_sim *s, int loc) { return s->cfg->localities[loc].community; }

static wf_places *loc_places(wf_sim *s, int loc, int svc)
{
    return svc == SV_HOME_CARE ? &s->loc[loc].home_care : &s->loc[loc].care_home;
}

static int occ_level(int svc) { return svc == SV_HOME_CARE ? LV_HC_OCC : LV_CH_OCC; }

static int service_of_need(int need)
{
    return need == 1 ? SV_HOME_CARE : need == 2 ? SV_COMMUNITY_BED : SV_CARE_HOME;
}

/* Occupy one place of locality m (its pooled part or not). A start is
 * counted unless the place goes to an initial occupant. */
static void use_place(wf_sim *s, int svc, int m, int pooled, bool start)
{
    wf_places *P = loc_places(s, m, svc);
    if (pooled) P->pool_used++; else P->own_used++;
    level_add(s, s->org_l + m, occ_level(svc), 1);
    if (start) count(s, s->org_l + m, svc == SV_HOME_CARE ? WF_M_HOME_CARE_STARTS : WF_M_CARE_HOME_STARTS, 1);
}

/* Take a place for a resident of `loc`: its own locality's unpooled places
 * first, then any pooled place of its group (its own locality's first). */
static bool take_loc_place(wf_sim *s, int svc, int loc, int *org, int *pooled, bool start)
{
    wf_places *P = loc_places(s, loc, svc);
    if (P->own_used < P->cap - P->pool_cap) {
        *org = loc;
        *pooled = 0;
    } else {
        /* the pooled places of the locality's group, its own first */
        int g = s->loc_group[loc], first = s->group_first[g], n = s->group_first[g + 1] - first;
        int at = 0;
        while (s->group_loc[first + at] != loc) at++;
        int m = -1;
        for (int i = 0; i < n && m < 0; i++) {
            int cand = s->group_loc[first + (at + i) % n];
            wf_places *Q = loc_places(s, cand, svc);
            if (Q->pool_used < Q->pool_cap) m = cand;
        }
        if (m < 0) return false;
        *org = m;
        *pooled = 1;
    }
    use_place(s, svc, *org, *pooled, start);
    return true;
}

static bool take_bed(wf_sim *s, int c, bool start)
{
    wf_places *B = &s->comm[c].beds;
    if (B->own_used >= B->cap) return false;
    B->own_used++;
    level_add(s, s->org_c + c, LV_CB_OCC, 1);
    if (start) count(s, s->org_c + c, WF_M_COMMUNITY_BED_STARTS, 1);
    return true;
}

/* A care spell that needs no patient afterwards ends with an anonymous
 * release of its place. */
static double care_spell(wf_sim *s, const wf_patient *p, int svc)
{
    gsl_rng *r = draw(s, p, DR_CARE, 0);
    if (svc == SV_CARE_HOME) return wf_sample(&s->care_home_stay, r);
    double d = wf_sample(&s->reablement, r);
    if (gsl_rng_uniform(r) < s->cfg->long_term_share) d += wf_sample(&s->long_term, r);
    return d;
}

/* The patient, out of hospital, starts care in the place it holds. */
void place_start_care(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    int svc = service_of_need(p->need);
    if (p->state != PS_COMMUNITY)
        sim_log(s, p, WF_LOG_CARE_START,
                svc == SV_COMMUNITY_BED ? s->org_c + community_of(s, p->loc) : s->org_l + p->place_org, p->need);
    if (svc == SV_COMMUNITY_BED) {
        p->state = PS_CB;
        p->place_org = -1;
        pat_at(s, s->now + wf_sample(&s->rehab, draw(s, p, DR_CARE, 1)), EV_REHAB_END, slot);
        return;
    }
    sim_at(s, s->now + care_spell(s, p, svc), EV_RELEASE, p->place_org, (uint32_t)svc, p->place_pooled);
    p->place_org = -1;
    patient_done(s, slot);
}

static void release_bridge(wf_sim *s, wf_patient *p, bool in_use)
{
    int c = community_of(s, p->loc);
    if (p->bridge == 1) {
        s->comm[c].bridge_used--;
        if (in_use) level_add(s, s->org_c + c, LV_BRIDGE, -1);
    } else if (p->bridge == 2) {
        int v = s->cfg->localities[p->loc].voluntary;
        s->vol[v].used--;
        if (in_use) level_add(s, s->org_v + v, LV_VOL, -1);
    }
    p->bridge = 0;
}

/* Reserve an interim place for a patient waiting in an acute bed: a
 * bridging place (lever `bridging`, pathways 1 and 3) or voluntary
 * home-from-hospital support (pathway 1). */
static bool try_bridge(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    const wf_config *cfg = s->cfg;
    int c = community_of(s, p->loc), v = cfg->localities[p->loc].voluntary;
    if (cfg->bridging && (p->need == 1 || p->need == 3) && c >= 0 &&
        s->comm[c].bridge_used < s->comm[c].bridge_cap) {
        s->comm[c].bridge_used++;
        p->bridge = 1;
    } else if (p->need == 1 && v >= 0 && s->vol[v].used < s->vol[v].cap) {
        s->vol[v].used++;
        p->bridge = 2;
    } else {
        return false;
    }
    leave_at_window(s, slot);
    return true;
}

static void serve_beds(wf_sim *s, int c);
static void serve_group(wf_sim *s, int svc, int g);

static void release_community_bed(wf_sim *s, wf_patient *p)
{
    int c = community_of(s, p->loc);
    s->comm[c].beds.own_used--;
    level_add(s, s->org_c + c, LV_CB_OCC, -1);
    if (p->state == PS_CB_WAIT) level_add(s, s->org_c + c, LV_CB_DELAY, -1);
}

/* A place has been found for a patient (queued, or served at once). */
static void grant(wf_sim *s, int32_t slot, int org, int pooled)
{
    wf_patient *p = pat(s, slot);
    queue_remove(s, slot);
    p->place_org = (int16_t)org;
    p->place_pooled = (uint8_t)pooled;
    switch (p->state) {
    case PS_ACUTE:
        if (p->stage != ST_LEAVING) leave_at_window(s, slot);
        break;
    case PS_BRIDGED:
    case PS_VOLUNTARY:
        release_bridge(s, p, true);
        int g = s->loc_group[p->loc];
        place_start_care(s, slot);
        bridging_fill(s, g);
        break;
    case PS_CB_WAIT: {
        int c = community_of(s, p->loc);
        release_community_bed(s, p);
        place_start_care(s, slot);
        serve_beds(s, c);
        break;
    }
    default: /* PS_COMMUNITY */
        place_start_care(s, slot);
        break;
    }
}

static void serve_beds(wf_sim *s, int c)
{
    wf_places *B = &s->comm[c].beds;
    while (B->q.n > 0 && B->own_used < B->cap) {
        int32_t slot = B->q.head;
        (void)take_bed(s, c, true);
        grant(s, slot, c, 0);
    }
}

/* Serve waiting residents of one pool group: each locality's unpooled
 * places go to its own queue; pooled places go to whoever in the group has
 * waited longest. */
static void serve_group(wf_sim *s, int svc, int g)
{
    const int *mem = s->group_loc + s->group_first[g];
    int n = s->group_first[g + 1] - s->group_first[g];
    for (int i = 0; i < n; i++) {
        int m = mem[i];
        wf_places *P = loc_places(s, m, svc);
        while (P->q.n > 0 && P->own_used < P->cap - P->pool_cap) {
            int32_t slot = P->q.head;
            int org = m, pooled = 0;
            (void)take_loc_place(s, svc, m, &org, &pooled, true);
            grant(s, slot, org, pooled);
        }
    }
    for (;;) {
        int m = -1, first = -1;
        for (int i = 0; i < n; i++) {
            wf_places *P = loc_places(s, mem[i], svc);
            if (m < 0 && P->pool_used < P->pool_cap) m = mem[i];
            if (P->q.n > 0 && (first < 0 || pat(s, P->q.head)->t_queue <
                                                pat(s, loc_places(s, first, svc)->q.head)->t_queue))
                first = mem[i];
        }
        if (m < 0 || first < 0) return;
        int32_t slot = loc_places(s, first, svc)->q.head;
        use_place(s, svc, m, 1, true);
        grant(s, slot, m, 1);
    }
}

void place_request(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    int svc = service_of_need(p->need), org, pooled = 0;
    bool ok;
    if (svc == SV_COMMUNITY_BED) {
        int c = community_of(s, p->loc);
        ok = c >= 0 && s->comm[c].beds.q.n == 0 && take_bed(s, c, true);
        org = c;
    } else {
        ok = loc_places(s, p->loc, svc)->q.n == 0 && take_loc_place(s, svc, p->loc, &org, &pooled, true);
    }
    if (ok) {
        grant(s, slot, org, pooled); /* not queued: grant's queue_remove does nothing */
        return;
    }
    int kind = svc == SV_HOME_CARE ? Q_HOME_CARE : svc == SV_CARE_HOME ? Q_CARE_HOME : Q_COMMUNITY_BED;
    wf_queue *q = svc == SV_COMMUNITY_BED ? &s->comm[community_of(s, p->loc)].beds.q
                                          : &loc_places(s, p->loc, svc)->q;
    queue_push(s, q, slot, kind);
    if (p->state == PS_ACUTE) try_bridge(s, slot);
}

/* Out of the acute bed with need 1-3: into the held place, or into the
 * interim place reserved while the service is found. */
void place_leave_hospital(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->place_org >= 0) {
        if (p->bridge) {
            release_bridge(s, p, false);
            bridging_fill(s, s->loc_group[p->loc]);
        }
        place_start_care(s, slot);
        return;
    }
    if (p->bridge == 1) {
        p->state = PS_BRIDGED;
        level_add(s, s->org_c + community_of(s, p->loc), LV_BRIDGE, 1);
    } else {
        p->state = PS_VOLUNTARY;
        level_add(s, s->org_v + s->cfg->localities[p->loc].voluntary, LV_VOL, 1);
    }
}

/* Pull a patient out of whatever community service it is in (for a
 * readmission). */
void place_leave_service(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    queue_remove(s, slot);
    switch (p->state) {
    case PS_CB:
    case PS_CB_WAIT: {
        int c = community_of(s, p->loc);
        release_community_bed(s, p);
        serve_beds(s, c);
        break;
    }
    case PS_BRIDGED:
    case PS_VOLUNTARY:
        release_bridge(s, p, true);
        bridging_fill(s, s->loc_group[p->loc]);
        break;
    default: break;
    }
}

void on_rehab_end(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    const double *w = s->cfg->onward;
    double u = gsl_rng_uniform(draw(s, p, DR_CARE, 2));
    int need = u < w[0] ? 0 : u < w[0] + w[1] ? 1 : 3;
    if (need == 0) {
        int c = community_of(s, p->loc);
        release_community_bed(s, p);
        serve_beds(s, c);
        patient_done(s, slot);
        return;
    }
    p->state = PS_CB_WAIT;
    p->need = (uint8_t)need;
    level_add(s, s->org_c + community_of(s, p->loc), LV_CB_DELAY, 1);
    place_request(s, slot);
}

void on_release(wf_sim *s, int org, int svc, int pooled)
{
    switch (svc) {
    case SV_HOME_CARE:
    case SV_CARE_HOME: {
        wf_places *P = loc_places(s, org, svc);
        if (pooled) P->pool_used--; else P->own_used--;
        level_add(s, s->org_l + org, occ_level(svc), -1);
        serve_group(s, svc, s->loc_group[org]);
        break;
    }
    case SV_COMMUNITY_BED:
        s->comm[org].beds.own_used--;
        level_add(s, s->org_c + org, LV_CB_OCC, -1);
        serve_beds(s, org);
        break;
    case SV_VIRTUAL_WARD:
        s->comm[org].vw_used--;
        level_add(s, s->org_c + org, LV_VW, -1);
        break;
    }
}

/* Patients of a pool group (-1: all) waiting in acute beds move into free
 * interim places. */
void bridging_fill(wf_sim *s, int group)
{
    int from = group < 0 ? 0 : s->group_first[group];
    int to = group < 0 ? s->nl : s->group_first[group + 1];
    for (int i = from; i < to; i++) {
        int l = s->group_loc[i];
        if (!sim_owns(s, s->org_l + l)) continue;
        int c = community_of(s, l), v = s->cfg->localities[l].voluntary;
        bool bridge_free = s->cfg->bridging && c >= 0 && s->comm[c].bridge_used < s->comm[c].bridge_cap;
        bool vol_free = v >= 0 && s->vol[v].used < s->vol[v].cap;
        if (!bridge_free && !vol_free) continue;
        for (int svc = SV_HOME_CARE; svc <= SV_CARE_HOME; svc++) {
            for (int32_t slot = loc_places(s, l, svc)->q.head; slot >= 0;) {
                wf_patient *p = pat(s, slot);
                int32_t next = p->next;
                if (p->state == PS_ACUTE && p->stage == ST_PLACE_WAIT && !p->bridge && !try_bridge(s, slot))
                    break;
                slot = next;
            }
        }
    }
}

int services_groups_init(wf_sim *s)
{
    s->n_groups = s->nc + 1;
    s->group_first = calloc((size_t)s->n_groups + 1, sizeof(int));
    s->group_loc = malloc(sizeof(int) * (size_t)(s->nl ? s->nl : 1));
    s->loc_group = malloc(sizeof(int) * (size_t)(s->nl ? s->nl : 1));
    if (!s->group_first || !s->group_loc || !s->loc_group) return -1;
    for (int l = 0; l < s->nl; l++) {
        int c = community_of(s, l);
        s->loc_group[l] = c >= 0 ? c : s->nc;
        s->group_first[s->loc_group[l] + 1]++;
    }
    for (int g = 0; g < s->n_groups; g++) s->group_first[g + 1] += s->group_first[g];
    int fill[s->n_groups];
    for (int g = 0; g < s->n_groups; g++) fill[g] = s->group_first[g];
    for (int l = 0; l < s->nl; l++) s->group_loc[fill[s->loc_group[l]]++] = l;
    return 0;
}

void services_groups_free(wf_sim *s)
{
    free(s->group_first);
    free(s->group_loc);
    free(s->loc_group);
}

/* Capacities after workforce factors; queues are served where they grew. */
void services_set_capacity(wf_sim *s)
{
    const wf_config *c = s->cfg;
    for (int l = 0; l < s->nl; l++) {
        if (!sim_owns(s, s->org_l + l)) continue;
        for (int svc = SV_HOME_CARE; svc <= SV_CARE_HOME; svc++) {
            wf_places *P = loc_places(s, l, svc);
            int wsvc = svc == SV_HOME_CARE ? WF_SVC_HOME_CARE : WF_SVC_CARE_HOME;
            P->cap = (int)floor(P->base * workforce_factor(s, wsvc, 1, l) + 1e-9);
            P->pool_cap = (int)floor(P->cap * c->pooled_capacity + 1e-9);
            level_set(s, s->org_l + l, svc == SV_HOME_CARE ? LV_HC_CAP : LV_CH_CAP, P->cap);
        }
        s->loc[l].assess_factor = workforce_factor(s, WF_SVC_ASSESSORS, 1, l);
    }
    for (int k = 0; k < s->nc; k++) {
        if (!sim_owns(s, s->org_c + k)) continue;
        wf_comm_state *C = &s->comm[k];
        C->beds.cap = (int)floor(C->beds.base * workforce_factor(s, WF_SVC_COMMUNITY_BED, 2, k) + 1e-9);
        C->vw_cap = (int)floor(C->vw_base * workforce_factor(s, WF_SVC_VIRTUAL_WARD, 2, k) + 1e-9);
        level_set(s, s->org_c + k, LV_CB_CAP, C->beds.cap);
        serve_beds(s, k);
    }
    for (int g = 0; g < s->n_groups; g++) {
        int first = s->group_first[g];
        if (first == s->group_first[g + 1] || !sim_owns(s, s->org_l + s->group_loc[first])) continue;
        serve_group(s, SV_HOME_CARE, g);
        serve_group(s, SV_CARE_HOME, g);
    }
}

/* Places taken when the warm-up starts, each with the time left of a stay
 * in progress (the stationary residual, wf_sample_residual). A home care
 * spell is reablement, plus a long-term package for a share s: occupants
 * are of the two kinds in proportion (1 - s) m_R : s (m_R + m_L), and an
 * occupant of a two-phase spell is in each phase in proportion to its mean,
 * with that phase's residual plus the phases still to come. */
static double home_care_residual(wf_sim *s)
{
    double share = s->cfg->long_term_share, mr = s->reablement.mean, ml = s->long_term.mean;
    if (s->reablement.kind == WF_SAMPLE_ZERO) mr = 0;
    if (s->long_term.kind == WF_SAMPLE_ZERO) ml = 0;
    double w_short = (1 - share) * mr, w_long = share * (mr + ml);
    if (!(w_short + w_long > 0)) return 0;
    if (gsl_rng_uniform(s->rng) * (w_short + w_long) >= w_long) return wf_sample_residual(&s->reablement, s->rng);
    if (gsl_rng_uniform(s->rng) * (mr + ml) < mr)
        return wf_sample_residual(&s->reablement, s->rng) + wf_sample(&s->long_term, s->rng);
    return wf_sample_residual(&s->long_term, s->rng);
}

static void fill_initial(wf_sim *s, int org_kind, int idx, int svc, int n, const wf_sampler *len)
{
    uint64_t key = wf_key_mix(wf_key_mix(wf_key_mix(s->rep_key, SK_INITIAL), (uint64_t)(org_kind * 1000000 + idx)), (uint64_t)svc);
    wf_rng_seek(s->rng, key, 0);
    for (int i = 0; i < n; i++) {
        double d = svc == SV_HOME_CARE ? home_care_residual(s) : wf_sample_residual(len, s->rng);
        int org = idx, pooled = 0;
        if (svc == SV_COMMUNITY_BED) {
            if (!take_bed(s, idx, false)) return;
        } else if (!take_loc_place(s, svc, idx, &org, &pooled, false)) {
            return;
        }
        sim_at(s, s->now + d, EV_RELEASE, org, (uint32_t)svc, (uint32_t)pooled);
    }
}

void services_init(wf_sim *s)
{
    const wf_config *c = s->cfg;
    for (int l = 0; l < s->nl; l++) {
        s->loc[l].home_care.base = c->localities[l].home_care_packages;
        s->loc[l].care_home.base = c->localities[l].care_home_beds;
        s->loc[l].home_care.q = s->loc[l].care_home.q = s->loc[l].assess = (wf_queue){-1, -1, 0};
    }
    for (int k = 0; k < s->nc; k++) {
        s->comm[k].beds.base = c->community[k].intermediate_care_beds;
        s->comm[k].beds.q = (wf_queue){-1, -1, 0};
        s->comm[k].vw_base = c->community[k].virtual_ward_places;
        s->comm[k].bridge_cap = c->community[k].bridging_places;
    }
    for (int v = 0; v < s->nv; v++) s->vol[v].cap = c->voluntary[v].places;
    services_set_capacity(s);
    for (int l = 0; l < s->nl; l++) {
        if (!sim_owns(s, s->org_l + l)) continue;
        wf_loc_state *L = &s->loc[l];
        fill_initial(s, 1, l, SV_HOME_CARE, (int)floor(c->home_care_initial_occupancy * L->home_care.cap + 0.5), NULL);
        fill_initial(s, 1, l, SV_CARE_HOME, (int)floor(c->care_home_initial_occupancy * L->care_home.cap + 0.5), &s->care_home_stay);
    }
    for (int k = 0; k < s->nc; k++)
        if (sim_owns(s, s->org_c + k))
            fill_initial(s, 2, k, SV_COMMUNITY_BED, (int)floor(c->community_bed_initial_occupancy * s->comm[k].beds.cap + 0.5), &s->rehab);
}
