/* Capacity with places: each council's home care (hours a week, from its
 * workforce) and care home beds (residential and nursing), and each
 * community provider's rehabilitation beds and interim places.
 *
 * Matching. A vacancy does not suit everyone: a care home's place may be
 * the wrong kind of care, too far, or the home may decline; a care worker's
 * free hours may be on the wrong round. So each vacancy considered for a
 * waiting person suits them with probability `match` (per service), and one
 * mechanism serves every queue: an attempt against n vacancies succeeds
 * with probability 1 - (1 - match)^n. Attempts happen when a person asks
 * (against every vacancy they could take), when a place frees (that
 * vacancy, offered down the queue in order of waiting) and at the daily
 * brokerage round (every waiting person against every vacancy again). With
 * match = 1 this is plain first come, first served, any free place. People
 * with complex needs (patients.complex_needs) find a vacancy suits them
 * `complex_match_factor` times as often.
 *
 * Pooling: `pooled_capacity` of each council's capacity is shared within
 * its pool group (the councils one community provider serves); a person
 * takes their own council's unpooled places first, then pooled ones, their
 * own council's first. */
#include <stdlib.h>

#include "model/sim.h"

int community_of(const wf_sim *s, int loc) { return s->cfg->localities[loc].community; }
int voluntary_of(const wf_sim *s, int loc) { return s->cfg->localities[loc].voluntary; }

static wf_places *places(wf_sim *s, int kind, int owner)
{
    return PLACE_OF_COUNCIL(kind) ? &s->loc[owner].places[kind] : &s->comm[owner].places[kind - PLACE_REHAB];
}

static int owner_of(const wf_sim *s, const wf_patient *p, int kind)
{
    return PLACE_OF_COUNCIL(kind) ? p->loc : community_of(s, p->loc);
}

static int org_of(const wf_sim *s, int kind, int owner)
{
    return PLACE_OF_COUNCIL(kind) ? s->org_l + owner : s->org_c + owner;
}

int place_kind_of(const wf_sim *s, const wf_patient *p)
{
    (void)s;
    switch (p->need) {
    case PATHWAY_HOME_CARE: return PLACE_HOME_CARE;
    case PATHWAY_REHAB_BED: return PLACE_REHAB;
    default:
        if ((p->flags & F_D2A) && p->state == PS_ACUTE) return PLACE_INTERIM;
        return (p->flags & F_NURSING) ? PLACE_NURSING : PLACE_RESIDENTIAL;
    }
}

static int64_t units_of(const wf_patient *p, int kind) { return kind == PLACE_HOME_CARE ? p->units : 1; }

static double match_of(const wf_sim *s, int kind)
{
    switch (kind) {
    case PLACE_HOME_CARE: return s->cfg->home_care_match;
    case PLACE_RESIDENTIAL:
    case PLACE_NURSING: return s->cfg->care_home_match;
    case PLACE_REHAB: return s->cfg->community_bed_match;
    default: return 1;
    }
}

static int64_t own_free(const wf_places *P) { return P->cap - P->pool_cap - P->own_used; }
static int64_t pool_free(const wf_places *P) { return P->pool_cap - P->pool_used; }

/* The levels that follow a place kind's use. */
static void use_levels(wf_sim *s, int kind, int owner, int64_t units, int people)
{
    int org = org_of(s, kind, owner);
    switch (kind) {
    case PLACE_HOME_CARE:
        level_add(s, org, LV_HC_OCC, people);
        level_add(s, org, LV_HC_HOURS, people * (double)units / 4);
        break;
    case PLACE_RESIDENTIAL:
    case PLACE_NURSING: level_add(s, org, LV_CH_OCC, people); break;
    case PLACE_REHAB: level_add(s, org, LV_CB_OCC, people); break;
    default: level_add(s, org, LV_BRIDGE, people); break;
    }
}

static void use(wf_sim *s, int kind, int owner, int pooled, int64_t units, bool start)
{
    wf_places *P = places(s, kind, owner);
    if (pooled) P->pool_used += units; else P->own_used += units;
    P->held++;
    use_levels(s, kind, owner, units, 1);
    if (!start) return;
    int org = org_of(s, kind, owner);
    if (kind == PLACE_HOME_CARE) count(s, org, WF_M_HOME_CARE_STARTS, 1);
    else if (kind == PLACE_RESIDENTIAL || kind == PLACE_NURSING) count(s, org, WF_M_CARE_HOME_STARTS, 1);
    else if (kind == PLACE_REHAB) count(s, org, WF_M_COMMUNITY_BED_STARTS, 1);
}

/* Pool group members of a council, its own first then the others in order. */
static int group_size(const wf_sim *s, int loc) { return s->group_first[s->loc_group[loc] + 1] - s->group_first[s->loc_group[loc]]; }
static int group_member(const wf_sim *s, int loc, int i)
{
    int g = s->loc_group[loc], first = s->group_first[g], n = s->group_first[g + 1] - first;
    int at = s->loc_at[loc] + i;
    return s->group_loc[first + (at < n ? at : at - n)];
}

/* Whole places of `units` a person of this owner could take now. */
static int64_t candidates(wf_sim *s, int kind, int owner, int64_t units)
{
    int64_t n = own_free(places(s, kind, owner));
    n = n > 0 ? n / units : 0;
    if (!PLACE_OF_COUNCIL(kind)) return n;
    int g = s->loc_group[owner];
    for (int i = s->group_first[g]; i < s->group_first[g + 1]; i++) {   /* a sum: in any order */
        int64_t f = pool_free(places(s, kind, s->group_loc[i]));
        if (f > 0) n += f / units;
    }
    return n;
}

/* Take a place of `units`: own unpooled first, then pooled (own council's first). */
static bool take(wf_sim *s, int kind, int owner, int64_t units, bool start, int *at, int *pooled)
{
    if (own_free(places(s, kind, owner)) >= units) {
        *at = owner;
        *pooled = 0;
    } else {
        *at = -1;
        for (int i = 0, k = PLACE_OF_COUNCIL(kind) ? group_size(s, owner) : 0; i < k && *at < 0; i++) {
            int m = group_member(s, owner, i);
            if (pool_free(places(s, kind, m)) >= units) *at = m;
        }
        if (*at < 0) return false;
        *pooled = 1;
    }
    use(s, kind, *at, *pooled, units, start);
    return true;
}

/* One attempt of a waiting person against n vacancies that fit: it
 * succeeds with probability 1 - (1 - a)^n. */
static bool attempt(wf_sim *s, wf_patient *p, int kind, int64_t n)
{
    if (n <= 0) return false;
    double a = match_of(s, kind);
    bool complex = (p->flags & F_COMPLEX) && kind != PLACE_INTERIM;
    if (complex) a *= s->cfg->complex_match_factor;
    if (a >= 1) return true;
    double u = draw_uniform(s, p, DR_MATCH, p->attempts++);
    return u < -expm1((double)n * s->log1m_match[complex][kind]);
}

static void try_bridge(wf_sim *s, int32_t slot);

/* A place (or, for an interim place, interim support) has been found. */
static void grant(wf_sim *s, int32_t slot, int kind, int at, int pooled)
{
    wf_patient *p = pat(s, slot);
    queue_remove(s, slot);
    if (kind == PLACE_INTERIM) {
        p->bridge = BRIDGE_INTERIM;
        discharge_next(s, slot);
        return;
    }
    p->place_owner = (int16_t)at;
    p->place_kind = (uint8_t)kind;
    p->place_pooled = (uint8_t)pooled;
    place_granted(s, slot);
}

static void serve_queue(wf_sim *s, int kind, int owner, bool pooled_only);

void place_request(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    int kind = place_kind_of(s, p), owner = owner_of(s, p, kind), at, pooled;
    int64_t units = units_of(p, kind);
    if (owner < 0) return; /* no provider (validation rules this out for pathway 2) */
    p->stage = ST_PLACE_WAIT;
    reason_update(s, p);
    /* the interim queue (discharge to assess) goes in order: no overtaking */
    bool may_try = kind != PLACE_INTERIM || places(s, kind, owner)->q.n == 0;
    if (may_try && attempt(s, p, kind, candidates(s, kind, owner, units)) &&
        take(s, kind, owner, units, true, &at, &pooled)) {
        grant(s, slot, kind, at, pooled);
        return;
    }
    queue_push(s, &places(s, kind, owner)->q, slot, Q_PLACE + kind);
    if (p->state == PS_COMMUNITY && s->cfg->community_patience_days > 0)
        pat_at(s, s->now - s->cfg->community_patience_days * log1p(-draw_uniform(s, p, DR_CARE, 4)), EV_RENEGE, slot);
    if (p->state == PS_ACUTE && kind != PLACE_INTERIM) try_bridge(s, slot);
}

/* A person gives up what they hold or wait for (death, readmission,
 * deconditioning): out of the queue, the place (not yet started) freed. */
void place_cancel(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    queue_remove(s, slot);
    if (p->place_owner >= 0) {
        int kind = p->place_kind, owner = p->place_owner;
        p->place_owner = -1;
        place_free(s, kind, owner, p->place_pooled, units_of(p, kind));
    }
    if (p->bridge == BRIDGE_INTERIM) {
        p->bridge = BRIDGE_NONE;
        place_free(s, PLACE_INTERIM, community_of(s, p->loc), 0, 1);
    } else if (p->bridge == BRIDGE_VOLUNTARY) {
        p->bridge = BRIDGE_NONE;
        voluntary_free(s, p->loc);
    }
    if ((p->flags & F_SUPPORTED) && p->state == PS_ACUTE) {
        p->flags &= (uint16_t)~F_SUPPORTED;
        voluntary_free(s, p->loc);
    }
}

/* Units free again at an owner: offer them to who waits. */
void place_free(wf_sim *s, int kind, int owner, int pooled, int64_t units)
{
    wf_places *P = places(s, kind, owner);
    if (pooled) P->pool_used -= units; else P->own_used -= units;
    P->held--;
    use_levels(s, kind, owner, units, -1);
    serve_queue(s, kind, owner, pooled);
    if (kind == PLACE_INTERIM) interim_fill(s, owner); /* pool group g is community provider g's */
}

/* Offer free units down a queue: the owner's own queue for its unpooled
 * units, and every queue of the pool group (longest waiting first) for
 * pooled ones. Each person considers one vacancy (n = 1). */
/* One vacancy offered down the waiting list: each person takes it with
 * their own chance a_j, independently, so the first to take it is found
 * with one draw, an exponential against the running sum of the hazards
 * -ln(1 - a_j): the same law as a draw per person, without the draws. */
typedef struct {
    double e, h;
} offer;

static void offer_new(wf_places *P, offer *o)
{
    o->e = -log1p(-wf_stream_uniform(&P->offers));
    o->h = 0;
}

/* Nobody in the queue can take it: the exponential is past everyone's
 * hazards together (then the walk is not needed). */
static bool offer_unwanted(const wf_sim *s, const wf_queue *q, int kind, const offer *o)
{
    double simple = -s->log1m_match[0][kind], complex = -s->log1m_match[1][kind];
    return o->e > (q->n - q->n_complex) * simple + q->n_complex * complex;
}

static bool offer_taken(const wf_sim *s, const wf_patient *p, int kind, offer *o)
{
    bool complex = (p->flags & F_COMPLEX) && kind != PLACE_INTERIM;
    o->h -= s->log1m_match[complex][kind]; /* +inf where any vacancy will do */
    return o->h > o->e;
}

static void serve_one(wf_sim *s, int kind, int owner)
{
    wf_places *P = places(s, kind, owner);
    offer o;
    offer_new(P, &o);
    if (kind != PLACE_INTERIM && offer_unwanted(s, &P->q, kind, &o)) return;
    for (int32_t slot = P->q.head; slot >= 0 && own_free(P) > 0;) {
        wf_patient *p = pat(s, slot);
        int32_t next = p->next;
        int64_t u = units_of(p, kind);
        int at, pooled;
        if (own_free(P) >= u && offer_taken(s, p, kind, &o)) {
            (void)take(s, kind, owner, u, true, &at, &pooled);
            grant(s, slot, kind, at, pooled);
            offer_new(P, &o); /* what is left (home care hours) is offered afresh */
        } else if (kind == PLACE_INTERIM) {
            break; /* strictly in order */
        }
        if (next >= 0 && !pat(s, next)->queue) break; /* the queue changed under us */
        slot = next;
    }
}

static int64_t pool_most(wf_places *const *G, int k)
{
    int64_t most = 0;
    for (int i = 0; i < k; i++)
        if (pool_free(G[i]) > most) most = pool_free(G[i]);
    return most;
}

static void serve_pool(wf_sim *s, int kind, int loc)
{
    int k = group_size(s, loc);
    int32_t cur[k];
    int64_t free_units = 0;
    wf_places *G[k];
    int member[k];
    for (int i = 0; i < k; i++) {
        member[i] = group_member(s, loc, i);
        G[i] = places(s, kind, member[i]);
        cur[i] = G[i]->q.head;
        free_units += pool_free(G[i]);
    }
    offer o;
    offer_new(G[0], &o);
    wf_queue all = {0};
    for (int i = 0; i < k; i++) all.n += G[i]->q.n, all.n_complex += G[i]->q.n_complex;
    if (offer_unwanted(s, &all, kind, &o)) return;
    /* the most any one pool has free: most people waiting need more (home
     * care hours), and pass without a look at each pool; a grant (which
     * may free places elsewhere) looks again */
    int64_t most = pool_most(G, k);
    while (free_units > 0) {
        int best = -1;
        for (int i = 0; i < k; i++)
            if (cur[i] >= 0 && (best < 0 || pat(s, cur[i])->t_queue < pat(s, cur[best])->t_queue)) best = i;
        if (best < 0) return;
        int32_t slot = cur[best];
        wf_patient *p = pat(s, slot);
        cur[best] = p->next;
        int64_t u = units_of(p, kind);
        /* the person's own council's pool first: the person is in the
         * queue of member `best` (p->loc), whose group order is this one's
         * from best on */
        int at = -1;
        for (int i = 0, m = best; i < k && at < 0 && u <= most; i++, m = m + 1 < k ? m + 1 : 0)
            if (pool_free(G[m]) >= u) at = m;
        if (at < 0 || !offer_taken(s, p, kind, &o)) continue;
        use(s, kind, member[at], 1, u, true);
        free_units -= u;
        grant(s, slot, kind, member[at], 1);
        offer_new(G[0], &o);
        for (int i = 0; i < k; i++) /* a cursor on a person who left the queue moves on */
            if (cur[i] >= 0 && !pat(s, cur[i])->queue) cur[i] = G[i]->q.head;
        most = pool_most(G, k);
    }
}

static void serve_queue(wf_sim *s, int kind, int owner, bool pooled_only)
{
    if (!sim_owns(s, org_of(s, kind, owner))) return;
    if (!pooled_only) serve_one(s, kind, owner);
    if (PLACE_OF_COUNCIL(kind)) serve_pool(s, kind, owner);
}

/* The daily brokerage round: every waiting person against every vacancy
 * they could take (councils on their working days; community providers
 * every day). */
static void broker(wf_sim *s, int kind, int owner)
{
    wf_places *P = places(s, kind, owner);
    for (int32_t slot = P->q.head; slot >= 0;) {
        wf_patient *p = pat(s, slot);
        int32_t next = p->next;
        int64_t u = units_of(p, kind);
        int at, pooled;
        if (attempt(s, p, kind, candidates(s, kind, owner, u)) && take(s, kind, owner, u, true, &at, &pooled))
            grant(s, slot, kind, at, pooled);
        else if (kind == PLACE_INTERIM)
            break;
        if (next >= 0 && !pat(s, next)->queue) break;
        slot = next;
    }
}

void on_brokerage(wf_sim *s)
{
    int day = sim_day(s);
    for (int l = 0; l < s->nl; l++)
        if (sim_owns(s, s->org_l + l) && council_works(s, l, day))
            for (int k = PLACE_HOME_CARE; k <= PLACE_NURSING; k++) broker(s, k, l);
    for (int c = 0; c < s->nc; c++)
        if (sim_owns(s, s->org_c + c)) {
            broker(s, PLACE_REHAB, c);
            broker(s, PLACE_INTERIM, c);
        }
    interim_fill(s, -1);
    sim_at(s, s->now + 1, EV_BROKERAGE, 0, 0, 0);
}

/* ---- interim support while waiting: bridging and voluntary ------------ */

bool voluntary_take(wf_sim *s, int loc)
{
    int v = voluntary_of(s, loc);
    if (v < 0 || s->vol[v].used >= s->vol[v].cap) return false;
    s->vol[v].used++;
    level_add(s, s->org_v + v, LV_VOL, 1);
    return true;
}

void voluntary_free(wf_sim *s, int loc)
{
    int v = voluntary_of(s, loc);
    s->vol[v].used--;
    level_add(s, s->org_v + v, LV_VOL, -1);
    interim_fill(s, s->loc_group[loc]);
}

/* A patient in an acute bed waiting for home care or a care home moves to
 * interim support if there is some: a bridging place of its community
 * provider (lever `bridging`; after anyone waiting for a discharge-to-assess
 * place), or for home care the voluntary service's support at home. */
static void try_bridge(wf_sim *s, int32_t slot)
{
    wf_patient *p = pat(s, slot);
    if (p->state != PS_ACUTE || p->stage != ST_PLACE_WAIT || p->bridge != BRIDGE_NONE) return;
    if (p->need != PATHWAY_HOME_CARE && p->need != PATHWAY_CARE_HOME) return;
    int c = community_of(s, p->loc);
    if (council(s, p)->bridging && c >= 0) {
        wf_places *I = places(s, PLACE_INTERIM, c);
        if (I->q.n == 0 && own_free(I) >= 1) {
            use(s, PLACE_INTERIM, c, 0, 1, false);
            p->bridge = BRIDGE_INTERIM;
            discharge_ready(s, slot);
            return;
        }
    }
    if (p->need == PATHWAY_HOME_CARE && voluntary_take(s, p->loc)) {
        p->bridge = BRIDGE_VOLUNTARY;
        discharge_ready(s, slot);
    }
}

/* Patients of a pool group (-1: all) waiting in acute beds move into free
 * interim support. */
void interim_fill(wf_sim *s, int group)
{
    int from = group < 0 ? 0 : s->group_first[group];
    int to = group < 0 ? s->nl : s->group_first[group + 1];
    for (int i = from; i < to; i++) {
        int l = s->group_loc[i];
        if (!sim_owns(s, s->org_l + l)) continue;
        int c = community_of(s, l), v = voluntary_of(s, l);
        bool interim = s->loc[l].lv.bridging && c >= 0 && places(s, PLACE_INTERIM, c)->q.n == 0 &&
                       own_free(places(s, PLACE_INTERIM, c)) >= 1;
        bool vol = v >= 0 && s->vol[v].used < s->vol[v].cap;
        if (!interim && !vol) continue;
        for (int k = PLACE_HOME_CARE; k <= PLACE_NURSING; k++) {
            for (int32_t slot = places(s, k, l)->q.head; slot >= 0;) {
                wf_patient *p = pat(s, slot);
                int32_t next = p->next;
                if (p->state == PS_ACUTE) try_bridge(s, slot);
                slot = next;
            }
        }
    }
}

/* ---- capacity ----------------------------------------------------------- */

int services_groups_init(wf_sim *s)
{
    s->n_groups = s->nc + 1;
    s->group_first = calloc((size_t)s->n_groups + 1, sizeof(int));
    s->group_loc = malloc(sizeof(int) * (size_t)(s->nl ? s->nl : 1));
    s->loc_group = malloc(sizeof(int) * (size_t)(s->nl ? s->nl : 1));
    s->loc_at = malloc(sizeof(int) * (size_t)(s->nl ? s->nl : 1));
    if (!s->group_first || !s->group_loc || !s->loc_group || !s->loc_at) return -1;
    for (int l = 0; l < s->nl; l++) {
        int c = community_of(s, l);
        s->loc_group[l] = c >= 0 ? c : s->nc;
        s->group_first[s->loc_group[l] + 1]++;
    }
    for (int g = 0; g < s->n_groups; g++) s->group_first[g + 1] += s->group_first[g];
    int fill[s->n_groups];
    for (int g = 0; g < s->n_groups; g++) fill[g] = s->group_first[g];
    for (int l = 0; l < s->nl; l++) {
        int g = s->loc_group[l];
        s->loc_at[l] = fill[g] - s->group_first[g];
        s->group_loc[fill[g]++] = l;
    }
    return 0;
}

void services_groups_free(wf_sim *s)
{
    free(s->group_first);
    free(s->group_loc);
    free(s->loc_group);
    free(s->loc_at);
}

/* Quarter-hours a week of the mean package. */
static double mean_package_units(const wf_sim *s) { return s->package_hours.mean > 0 ? 4 * s->package_hours.mean : 1; }

/* Capacities after workforce factors (home care from filled posts);
 * queues are served where capacity grew. */
void places_set_capacity(wf_sim *s)
{
    const wf_config *c = s->cfg;
    for (int l = 0; l < s->nl; l++) {
        if (!sim_owns(s, s->org_l + l)) continue;
        const wf_locality_cfg *L = &c->localities[l];
        wf_loc_state *S = &s->loc[l];
        double hc = L->home_care_posts >= 0
                        ? L->home_care_posts * (1 - L->home_care_vacancy_rate) * c->hours_per_worker_week * 4
                        : L->home_care_packages * mean_package_units(s);
        S->places[PLACE_HOME_CARE].base = (int64_t)floor(hc + 1e-9);
        int64_t nursing = (int64_t)floor(L->care_home_beds * L->care_home_nursing_share + 0.5);
        S->places[PLACE_NURSING].base = nursing;
        S->places[PLACE_RESIDENTIAL].base = L->care_home_beds - nursing;
        double ch_cap = 0;
        for (int k = PLACE_HOME_CARE; k <= PLACE_NURSING; k++) {
            wf_places *P = &S->places[k];
            int svc = k == PLACE_HOME_CARE ? WF_SVC_HOME_CARE : WF_SVC_CARE_HOME;
            P->cap = (int64_t)floor((double)P->base * workforce_factor(s, svc, WF_ORG_LOCALITY, l) + 1e-9);
            P->pool_cap = (int64_t)floor((double)P->cap * S->lv.pooled_capacity + 1e-9);
            if (k != PLACE_HOME_CARE) ch_cap += (double)P->cap;
        }
        level_set(s, s->org_l + l, LV_HC_HOURS_CAP, (double)S->places[PLACE_HOME_CARE].cap / 4);
        level_set(s, s->org_l + l, LV_HC_CAP, (double)S->places[PLACE_HOME_CARE].cap / mean_package_units(s));
        level_set(s, s->org_l + l, LV_CH_CAP, ch_cap);
        S->assess_factor = workforce_factor(s, WF_SVC_ASSESSORS, WF_ORG_LOCALITY, l);
    }
    for (int k = 0; k < s->nc; k++) {
        if (!sim_owns(s, s->org_c + k)) continue;
        wf_comm_state *C = &s->comm[k];
        wf_places *B = &C->places[0], *I = &C->places[1];
        B->base = c->community[k].intermediate_care_beds;
        B->cap = (int64_t)floor((double)B->base * workforce_factor(s, WF_SVC_COMMUNITY_BED, WF_ORG_COMMUNITY, k) + 1e-9);
        I->base = I->cap = c->community[k].bridging_places;
        C->vw_cap = (int)floor(C->vw_base * workforce_factor(s, WF_SVC_VIRTUAL_WARD, WF_ORG_COMMUNITY, k) + 1e-9);
        level_set(s, s->org_c + k, LV_CB_CAP, (double)B->cap);
        serve_queue(s, PLACE_REHAB, k, false);
        serve_queue(s, PLACE_INTERIM, k, false);
    }
    for (int l = 0; l < s->nl; l++) {
        if (!sim_owns(s, s->org_l + l)) continue;
        for (int k = PLACE_HOME_CARE; k <= PLACE_NURSING; k++) serve_queue(s, k, l, false);
    }
}

/* ---- the start: occupants in place ------------------------------------- */

/* Admissions a day of a locality's residents over a year (emergency, with
 * readmissions, and electives by catchment), and how many of them a day
 * leave on each pathway (after deaths and carers; pathway 3 split by
 * nursing need), onward flows from rehabilitation included: an estimate of
 * the inflows the long-stay services start from (deconditioning left out,
 * so it errs a little low; docs/model.md). */
static void inflows(const wf_sim *s, int l, double need[WF_NPATHWAY], double *nursing_share)
{
    const wf_config *c = s->cfg;
    const wf_locality_cfg *L = &c->localities[l];
    double wd = 0, electives = 0;
    for (int d = 0; d < 7; d++) wd += c->weekday_factor[d] / 7;
    for (int h = 0; h < s->nh; h++) {
        double prev = l > 0 ? s->hosp[h].catchment[l - 1] : 0;
        electives += c->hospitals[h].electives_per_weekday * 5.0 / 7 * (s->hosp[h].catchment[l] - prev);
    }
    double p3n = 0, readmit = 0;
    for (int k = 0; k < WF_NPATHWAY; k++) need[k] = 0;
    for (int pass = 0; pass < 2; pass++) {
        /* the second pass adds the readmissions the first pass's discharges imply */
        double rate = L->admissions_per_day * wd / (1 - readmit) + electives;
        double out[WF_NPATHWAY] = {0}, n3 = 0;
        for (int f = 0; f < WF_NFRAILTY; f++) {
            double w = rate * L->frailty_mix[f] * (1 - c->death_in_hospital[f]), ca = c->carer_available[f];
            const double *q = c->pathway_need[f];
            double p1 = q[1] * (1 - ca * c->carer_replaces_p1) + q[3] * ca * c->carer_replaces_p3;
            double p3 = q[3] * (1 - ca * c->carer_replaces_p3);
            out[0] += w * (q[0] + q[1] * ca * c->carer_replaces_p1);
            out[1] += w * p1;
            out[2] += w * q[2];
            out[3] += w * p3;
            n3 += w * p3 * c->nursing_need[f];
        }
        double all = out[0] + out[1] + out[2] + out[3];
        readmit = 0;
        for (int k = 0; k < WF_NPATHWAY; k++) readmit += all > 0 ? out[k] / all * c->readmission_30d[k] : 0;
        if (readmit > 0.9) readmit = 0.9;
        for (int k = 0; k < WF_NPATHWAY; k++) need[k] = out[k];
        p3n = n3;
    }
    /* onward from rehabilitation */
    need[1] += need[2] * (1 - c->community_bed_death) * c->onward[1];
    need[3] += need[2] * (1 - c->community_bed_death) * c->onward[3];
    *nursing_share = need[3] > 0 ? p3n / need[3] : L->care_home_nursing_share;
}

/* Occupants at the start: a share of capacity if the scenario gives one,
 * else what the inflows and mean stays imply, capped at capacity. */
static int64_t initial_occupants(double share, double implied, int64_t cap)
{
    double n = share >= 0 ? share * (double)cap : implied;
    n = floor(n + 0.5);
    return n < (double)cap ? (int64_t)n : cap;
}

/* A home care spell: reablement, plus a long-term package for a share.
 * Occupants at the start are of the two kinds in proportion (1 - s) m_R :
 * s (m_R + m_L), and an occupant of a two-phase spell is in each phase in
 * proportion to its mean, with that phase's residual plus what follows. */
static double home_care_residual(wf_sim *s)
{
    double share = s->cfg->long_term_share, mr = s->reablement.mean, ml = s->long_term.mean;
    if (s->reablement.kind == WF_SAMPLE_ZERO) mr = 0;
    if (s->long_term.kind == WF_SAMPLE_ZERO) ml = 0;
    double w_short = (1 - share) * mr, w_long = share * (mr + ml);
    if (!(w_short + w_long > 0)) return 0;
    if (wf_rng_uniform(s->rng) * (w_short + w_long) >= w_long) return wf_sample_residual(&s->reablement, s->rng);
    if (wf_rng_uniform(s->rng) * (mr + ml) < mr)
        return wf_sample_residual(&s->reablement, s->rng) + wf_sample(&s->long_term, s->rng);
    return wf_sample_residual(&s->long_term, s->rng);
}

static void fill_initial(wf_sim *s, int kind, int owner, int64_t n)
{
    uint64_t key = wf_key_mix(wf_key_mix(wf_key_mix(s->rep_key, SK_INITIAL), (uint64_t)(PLACE_OF_COUNCIL(kind) ? 1000000 + owner : 2000000 + owner)), (uint64_t)kind);
    wf_rng_seek(s->rng, key, 0);
    for (int64_t i = 0; i < n; i++) {
        double d;
        int64_t units = 1;
        uint32_t bits = (uint32_t)kind;
        if (kind == PLACE_HOME_CARE) {
            d = home_care_residual(s);
            double h = wf_sample(&s->package_hours, s->rng);
            units = h > 0.25 ? (int64_t)floor(h * 4 + 0.5) : 1;
        } else if (kind == PLACE_REHAB) {
            d = wf_sample_residual(&s->rehab, s->rng);
        } else {
            d = wf_sample_residual(&s->care_home_stay, s->rng);
            if (wf_rng_uniform(s->rng) < s->cfg->care_home_death_share) bits |= RELEASE_DIED;
        }
        int at, pooled;
        if (!take(s, kind, owner, units, false, &at, &pooled)) return;
        if (pooled) bits |= RELEASE_POOLED;
        sim_at(s, s->now + d, EV_RELEASE, at, bits, (uint32_t)units);
    }
}

void places_init(wf_sim *s)
{
    const wf_config *c = s->cfg;
    for (int k = 0; k < NPLACE; k++) {
        double a = match_of(s, k);
        s->log1m_match[0][k] = log1p(-fmin(a, 1));
        s->log1m_match[1][k] = log1p(-fmin(a * c->complex_match_factor, 1));
    }
    for (int l = 0; l < s->nl; l++) {
        s->loc[l].assess = (wf_queue){-1, -1, 0, 0};
        for (int k = 0; k <= PLACE_NURSING; k++) s->loc[l].places[k].q = (wf_queue){-1, -1, 0, 0};
    }
    for (int k = 0; k < s->nc; k++) {
        s->comm[k].places[0].q = s->comm[k].places[1].q = (wf_queue){-1, -1, 0, 0};
        s->comm[k].vw_base = c->community[k].virtual_ward_places;
    }
    for (int kind = 0; kind < NPLACE; kind++) /* each place kind's stream of offers, by owner */
        for (int o = 0, n = PLACE_OF_COUNCIL(kind) ? s->nl : s->nc; o < n; o++)
            places(s, kind, o)->offers = (wf_stream){
                wf_key_mix(wf_key_mix(wf_key_mix(s->rep_key, SK_OFFERS), (uint64_t)org_of(s, kind, o)), (uint64_t)kind), 0};
    for (int v = 0; v < s->nv; v++) s->vol[v].cap = c->voluntary[v].places;
    places_set_capacity(s);

    double spell = s->reablement.mean + c->long_term_share * s->long_term.mean;
    if (s->reablement.kind == WF_SAMPLE_ZERO) spell -= s->reablement.mean;
    if (s->long_term.kind == WF_SAMPLE_ZERO) spell -= c->long_term_share * s->long_term.mean;
    double stay = s->care_home_stay.kind == WF_SAMPLE_ZERO ? 0 : s->care_home_stay.mean;
    double rehab = s->rehab.kind == WF_SAMPLE_ZERO ? 0 : s->rehab.mean;
    double *p2 = calloc((size_t)(s->nc ? s->nc : 1), sizeof *p2);
    for (int l = 0; l < s->nl; l++) {
        double need[WF_NPATHWAY], nursing;
        inflows(s, l, need, &nursing);
        if (p2 && community_of(s, l) >= 0) p2[community_of(s, l)] += need[2] + c->localities[l].community_demand[WF_DEMAND_REHAB_BED];
        if (!sim_owns(s, s->org_l + l)) continue;
        const wf_locality_cfg *L = &c->localities[l];
        wf_places *P = s->loc[l].places;
        /* home care in packages of the mean size */
        double packages = (double)P[PLACE_HOME_CARE].cap / mean_package_units(s);
        fill_initial(s, PLACE_HOME_CARE, l,
                     initial_occupants(c->home_care_initial_occupancy,
                                       (need[1] + L->community_demand[WF_DEMAND_HOME_CARE]) * spell, (int64_t)packages));
        double ch = need[3] * stay, ch_comm = L->community_demand[WF_DEMAND_CARE_HOME] * stay;
        fill_initial(s, PLACE_NURSING, l,
                     initial_occupants(c->care_home_initial_occupancy, ch * nursing + ch_comm * L->care_home_nursing_share,
                                       P[PLACE_NURSING].cap));
        fill_initial(s, PLACE_RESIDENTIAL, l,
                     initial_occupants(c->care_home_initial_occupancy,
                                       ch * (1 - nursing) + ch_comm * (1 - L->care_home_nursing_share),
                                       P[PLACE_RESIDENTIAL].cap));
    }
    for (int k = 0; k < s->nc; k++)
        if (sim_owns(s, s->org_c + k))
            fill_initial(s, PLACE_REHAB, k,
                         initial_occupants(c->community_bed_initial_occupancy, p2 ? p2[k] * rehab : 0,
                                           s->comm[k].places[0].cap));
    free(p2);
}
