/*
 * One replicate's simulation state, shared by the stage files of lib/model/:
 *
 *   arrivals.c    emergency arrivals (by day and hour), electives, community
 *                 demand, admission avoidance and virtual wards
 *   hospital.c    ED, G&A beds, the clinical stay, the ward round, deaths in
 *                 hospital, leaving the bed, the 08:00 snapshot
 *   discharge.c   planning from the expected discharge date, the steps of
 *                 the discharge process (referral, assessment, funding, a
 *                 place, the provider's assessment), the time of leaving
 *   assessment.c  the councils' assessors and funding panels
 *   places.c      capacity with places (home care hours, care home beds,
 *                 rehab beds, interim places), matching and brokerage
 *   care.c        care after the acute bed: care spells, rehabilitation,
 *                 discharge to assess in the community, voluntary support
 *   outcomes.c    deconditioning, deaths while delayed, readmission
 *   observe.c     levels, reasons for delay and the day's metrics
 *   levers.c      each council's and hospital's partnership levers
 *
 * Owned by one thread; built from an immutable wf_config.
 *
 * A patient is a record in a pool, keeps its identity (and its random
 * stream) across readmissions, and carries a generation tag: every event
 * that concerns a patient is stamped with the tag, and bumping it cancels
 * all of that patient's pending events at once.
 */
#ifndef WF_SIM_H
#define WF_SIM_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/dist.h"
#include "core/event_queue.h"
#include "core/pool.h"
#include "core/rng.h"
#include "params/config.h"
#include "results/metrics.h"
#include "winterflow.h"

/* Discharge pathways (MODEL.md): what a patient needs on leaving. */
enum {
    PATHWAY_HOME,       /* 0: home, no new support */
    PATHWAY_HOME_CARE,  /* 1: home with home care or reablement */
    PATHWAY_REHAB_BED,  /* 2: a community rehabilitation bed */
    PATHWAY_CARE_HOME   /* 3: a care home */
};

/* Kinds of capacity with places. The first three belong to a council
 * (locality), the last two to a community provider. */
enum {
    PLACE_HOME_CARE,    /* units: quarter-hours a week of home care */
    PLACE_RESIDENTIAL,  /* care home bed, residential */
    PLACE_NURSING,      /* care home bed, nursing */
    PLACE_REHAB,        /* community (intermediate care) rehabilitation bed */
    PLACE_INTERIM,      /* interim place: bridging care, discharge-to-assess bed */
    NPLACE
};
#define PLACE_OF_COUNCIL(k) ((k) <= PLACE_NURSING)

/* What a medically optimised patient in an acute bed is waiting for: the
 * sitrep's reasons for delay, coarsened (docs/model.md). */
enum { REASON_ASSESSMENT, REASON_FUNDING, REASON_HOME_CARE, REASON_REHAB_BED, REASON_CARE_HOME,
       REASON_OTHER, NREASON, REASON_NONE = NREASON };

/* Events. Payload a = patient slot or organisation index; b = generation
 * tag or a small index; c = a flag or a size. */
enum {
    EV_DAY,       /* day boundary: a = new day */
    EV_ARRIVAL,   /* emergency arrival: a = locality */
    EV_ELECTIVES, /* the bed meeting for the day's electives: a = hospital */
    EV_DEMAND,    /* community demand for care: a = locality, b = service */
    EV_VW_DEMAND, /* a virtual ward referral that would not have been admitted: a = locality */
    EV_WORKFORCE, /* a workforce period starts or ends: a = period */
    EV_RELEASE,   /* an anonymous place frees: a = owner, b = RELEASE_* bits, c = units */
    EV_SNAPSHOT,  /* 08:00: the sitrep's snapshot */
    EV_BROKERAGE, /* the daily brokerage round */
    EV_MOFD,      /* declared medically optimised for discharge on the ward round */
    EV_STAGE,     /* a discharge-process timer ends */
    EV_ESCALATE,  /* deconditioning raises the patient's need */
    EV_DEATH,     /* the patient dies */
    EV_LEAVE,     /* the patient leaves the acute bed */
    EV_CARE_END,  /* a care episode with the patient still tracked ends (rehab bed, reablement) */
    EV_RENEGE,    /* community demand gives up waiting */
    EV_OUTLIER,   /* a patient waiting in ED may now take a bed on another ward */
    EV_READMIT    /* a discharged patient comes back to ED */
};
/* EV_RELEASE's b: the place kind (or one of these), and flags. */
enum { RELEASE_VOLUNTARY = NPLACE, RELEASE_VIRTUAL_WARD };
#define RELEASE_KIND(b) ((int)((b) & 0xffu))
enum { RELEASE_POOLED = 1u << 8, RELEASE_DIED = 1u << 9 };

/* Where a patient is. */
enum {
    PS_ED,         /* waiting in ED for a bed */
    PS_ACUTE,      /* in a G&A bed (clinical stay, or medically optimised) */
    PS_INTERIM,    /* in an interim place (bridging, or discharge to assess) */
    PS_VOLUNTARY,  /* home with voluntary support, waiting for home care */
    PS_REHAB,      /* in a community bed for rehabilitation */
    PS_REHAB_WAIT, /* in a community bed after rehabilitation, waiting onward */
    PS_REABLEMENT, /* home in a reablement package, assessed there (discharge to assess) */
    PS_COMMUNITY,  /* community demand: at home waiting for care */
    PS_AWAY        /* discharged, to be readmitted */
};

/* The steps of the discharge process (and of arranging care from the
 * community). A patient is at one step at a time. */
enum { ST_CLINICAL,   /* nothing under way */
       ST_PLANNED,    /* the referral is due at the planned time */
       ST_REFERRAL,   /* the referral is on its way */
       ST_ASSESS_WAIT, ST_ASSESSING,
       ST_FUNDING,    /* waiting for the funding panel */
       ST_PLACE_WAIT, /* waiting for a place (or an interim place) */
       ST_PROVIDER,   /* the provider assesses before taking the patient on */
       ST_READY,      /* everything arranged: goes once medically optimised */
       ST_HOME_READY, /* pathway 0 without a carer: getting home ready */
       ST_LEAVING,    /* leaving is scheduled */
       ST_REMOTE,     /* hospital side: the home system arranges the discharge */
       ST_HANDOVER }; /* home side: received, the discharge process starts */

/* Patient flags. */
enum { F_CARER = 1u, F_NURSING = 2u, F_REFERRED = 4u, F_ASSESSED = 8u, F_FUNDED = 16u,
       F_SUPPORTED = 32u, F_D2A = 64u, F_DIED = 128u, F_COMPLEX = 256u,
       F_STAY0 = 512u /* F_STAY0 << j: counted past stay threshold j (STAY_*) */ };

/* The stays the 08:00 snapshot counts: 7+ days (stranded), 14+ (the
 * sitrep's long-stay reasons for delay), 21+ (super-stranded). */
enum { STAY_7, STAY_14, STAY_21, NSTAY };

/* Purposes of a patient's draws: each has its own counter block in the
 * patient's stream, so that a configuration that makes more draws of one
 * kind (say, more escalations) leaves every other draw unchanged. */
enum { DR_ATTR, DR_LOS, DR_NEED, DR_ESCALATE, DR_REFERRAL, DR_ASSESS, DR_CARE, DR_READMIT, DR_WEEKEND,
       DR_DEATH, DR_PLAN, DR_PROCESS, DR_MATCH, DR_PROVIDER, DR_FUNDING };

/* Stream keys: (seed, replicate, kind, organisation, sequence). */
enum { SK_EMERGENCY, SK_ELECTIVE, SK_DEMAND, SK_ARRIVALS, SK_DEMAND_ARRIVALS, SK_INITIAL,
       SK_VW_ARRIVALS, SK_VW, SK_OFFERS };

typedef struct {
    uint64_t key;
    double t_admit;   /* admission to the current acute bed */
    double t_mark;    /* ED arrival (PS_ED), medically optimised (PS_ACUTE), end of reablement (PS_REABLEMENT) */
    double t_queue;   /* when it joined its current queue: first come, first served across pooled queues */
    double delayed;   /* delayed bed-days this episode */
    double t_leave;   /* when it leaves the acute bed, once that is scheduled (ST_LEAVING) */
    int32_t prev, next;       /* queue links */
    int32_t in_prev, in_next; /* the hospital's list of inpatients */
    uint32_t gen;
    uint16_t n_escalations;
    uint16_t attempts;        /* matching attempts: index of the next DR_MATCH draw */
    int32_t units;            /* size of the place wanted or held (PLACE_HOME_CARE: quarter-hours a week) */
    int16_t loc, hosp;
    int16_t place_owner;      /* owner of the place held, -1 none */
    uint8_t place_kind, place_pooled;
    uint8_t frailty, need, state, stage, episode;
    uint8_t queue;            /* 0 none, else 1 + queue kind (Q_*) */
    uint8_t bridge;           /* interim support held while waiting: BRIDGE_* */
    uint8_t elective, readmit_pending, mofd, reason;
    uint16_t flags;
    uint8_t ward;             /* specialty (waiting in ED), then the ward of its bed */
    int32_t peer;             /* across a system boundary: the other side's record */
    uint32_t peer_gen;
} wf_patient;

enum { BRIDGE_NONE, BRIDGE_INTERIM, BRIDGE_VOLUNTARY };

/* Queues of patients: ED, a council's assessors, each place kind. */
enum { Q_ED, Q_ASSESS, Q_PLACE /* + place kind */ };

typedef struct {
    int32_t head, tail, n;
    int32_t n_complex;        /* of them, people with complex needs */
} wf_queue;

/* Capacity of one place kind at one owner, in units (a bed is 1; home care
 * counts quarter-hours a week). `cap` is after workforce factors; `pool_cap`
 * of it is pooled within the owner's pool group. */
typedef struct {
    int64_t base, cap, pool_cap;
    int64_t own_used, pool_used;
    int32_t held;             /* places held (people) */
    wf_queue q;
    wf_stream offers;         /* draws for vacancies offered down the queue */
} wf_places;

typedef struct {
    double v, last, integ;
} wf_level;

/* Levels integrated over time into the daily metrics. LV_R0 + reason: NCTR
 * patients waiting for that reason. */
enum { LV_OCC, LV_OPEN, LV_NCTR, LV_ED, LV_ASSESS, LV_HC_OCC, LV_HC_CAP, LV_HC_Q,
       LV_HC_HOURS, LV_HC_HOURS_CAP, LV_HC_UNMET,
       LV_CH_OCC, LV_CH_CAP, LV_CH_Q, LV_CB_OCC, LV_CB_CAP, LV_CB_Q, LV_CB_DELAY,
       LV_BRIDGE, LV_VW, LV_VOL, LV_R0, NLV = LV_R0 + NREASON };

/* An hour's arrival rate, cached by the hour it is for. */
typedef struct {
    double hour, rate;
} wf_hour_rate;

/* What every locality's arrival rate at time t shares: the day's factor
 * (weekday, winter, bank holiday), the outbreaks' extra admissions a day,
 * and the hour's share of the day; cached by t for the hours the
 * localities' streams are at (they move a few hours apart). */
typedef struct {
    double t, day, extra, hour;
} wf_arrival_factors;
#define WF_HOUR_FACTORS 8

/* A council's and a hospital's levers after inheriting the system's. */
typedef struct {
    bool trusted_assessor, discharge_to_assess, seven_day, bridging;
    double pooled_capacity, admission_avoidance;
    unsigned funding_panel_weekdays;
    wf_sampler referral;
} wf_council_state;

/* A hospital's beds are specialty wards: a patient takes a bed on a ward
 * of its specialty, or, after waiting outlier_hours in ED, any free bed
 * (an outlier). */
typedef struct {
    int cap, occupied;
    wf_queue ed;              /* patients of this specialty waiting in ED */
} wf_ward;

typedef struct {
    int base, cap, occupied;  /* the hospital's totals */
    bool escalation_open, seven_day;
    double planning_lead;
    int n_wards;
    wf_ward *ward;
    int ed_waiting;           /* patients waiting in ED, all specialties */
    int32_t inpatients, inpatients_tail; /* the list of patients in its beds, by admission */
    /* The patients past each stay threshold at the last snapshot are a
     * prefix of that list: its last member (-1 none) and its length. */
    int32_t stay_last[NSTAY];
    int stay_n[NSTAY];
    int long_reason[NREASON];   /* NCTR patients of the STAY_14 prefix by reason */
    uint64_t elective_seq;
    double *catchment;  /* [n_localities] cumulative weights of locality by admissions here */
} wf_hosp_state;

typedef struct {
    wf_places places[3];      /* PLACE_HOME_CARE, PLACE_RESIDENTIAL, PLACE_NURSING */
    wf_queue assess;
    double assess_tokens;
    double assess_factor;
    double assess_carry;      /* fractional assessments carried to the next working day */
    wf_council_state lv;
    wf_stream arrivals, vw_arrivals;
    uint64_t arrival_seq, vw_seq;
    wf_hour_rate rate, vw_rate;     /* the current hour's arrival rate, cached */
    double vw_factor;               /* virtual ward referrals per arrival that would not be admitted */
    double share_of_system;   /* of base admissions: splits outbreak waves */
    wf_stream demand[WF_NDEMAND];
    uint64_t demand_seq[WF_NDEMAND];
    int long_reason[NREASON];   /* its residents among the hospitals' long_reason */
} wf_loc_state;

typedef struct {
    wf_places places[2];      /* PLACE_REHAB, PLACE_INTERIM */
    int vw_base, vw_cap, vw_used;
} wf_comm_state;

typedef struct {
    int cap, used;
} wf_vol_state;

/* A growable buffer of event-log records (one per task). */
typedef struct {
    wf_log_record *v;
    size_t n, cap;
} wf_logbuf;

/* A patient crossing between regions (exchange.c). Takes effect at `t`,
 * never before the sender's next day boundary: that is the lookahead that
 * lets regions run a day at a time in parallel. */
enum { MSG_HANDOVER, /* hospital -> home system: arrange this discharge */
       MSG_LEAVE };  /* home system -> hospital: the patient leaves (or dies) at t */
typedef struct {
    double t, t_mark, t_admit;
    double readmit;    /* MSG_LEAVE: readmission time, if `back` */
    uint64_t key;
    int32_t to;        /* destination region */
    int32_t slot;      /* the hospital side's record */
    int32_t units;
    uint32_t gen;
    uint16_t n_escalations;
    int16_t loc, hosp;
    uint16_t flags;
    uint8_t kind, frailty, need, episode, elective, back;
} wf_msg;

typedef struct {
    wf_msg *v;
    size_t n, cap;
} wf_msgbuf;

/* The plan of a scenario (components.c): clusters of organisations that
 * share nothing, and the regions of each cluster, which exchange only the
 * patients that cross a system boundary. Regions of cluster k are
 * first[k] .. first[k + 1] - 1. */
typedef struct {
    int n_orgs, n_clusters, n_regions;
    int *region;       /* [n_orgs] */
    int *first;        /* [n_clusters + 1] */
    uint8_t *active;   /* [n_regions][n_orgs]: the region's organisations */
    uint8_t *foreign;  /* [n_regions][n_orgs]: others' organisations it touches */
} wf_plan;

typedef struct wf_sim {
    const wf_config *cfg;
    uint64_t rep_key;          /* key of (seed, replicate) */
    double now, t_start, t_end;

    wf_event_queue q;
    wf_pool patients;
    gsl_rng *rng;              /* a wf_rng_stream generator, re-pointed per draw */
    wf_calendar cal;

    wf_sampler los[WF_NFRAILTY], elective_los, reablement, long_term, rehab,
        care_home_stay, vw_stay, assessment, provider, process, home_readiness,
        package_hours, voluntary_support;
    double log1m_match[2][NPLACE]; /* log(1 - match) by place kind, for simple and complex needs */
    double escalation_rate;    /* per delayed day, continuous-time equivalent */
    double death_rate;         /* per delayed day, likewise */
    double hour_cum[25];       /* cumulative hour factors, normalised: hour_cum[24] = 24 */
    wf_arrival_factors hour_factors[WF_HOUR_FACTORS]; /* at the middle of hours asked for, by hour mod 8 */
    wf_sampler edd_error;      /* expected / true clinical stay: lognormal, mean 1 */

    wf_hosp_state *hosp;
    wf_loc_state *loc;
    wf_comm_state *comm;
    wf_vol_state *vol;
    int nh, nl, nc, nv, n_orgs;
    int org_l, org_c, org_v;   /* first organisation index of each kind */

    /* Pool groups: the localities served by one community provider (an
     * ICS footprint) share pooled places; unserved localities form one
     * more group. Members of group g: group_loc[group_first[g] ..
     * group_first[g + 1]); locality l is at loc_at[l] among them. */
    int n_groups;
    int *group_first, *group_loc, *loc_group, *loc_at;

    const uint8_t *active;     /* organisations this simulation owns (NULL: all) */
    /* Running as one region of several (NULL otherwise): */
    const wf_plan *plan;
    const uint8_t *foreign;    /* others' organisations this region touches */
    wf_msgbuf out;             /* patients sent to other regions today */
    double *rows[2];           /* private day rows, by day parity: owned
                                * organisations are copied into acc at the
                                * day's end, the others' added by the driver */
    uint64_t events;
    wf_logbuf *log;            /* the per-patient event log, or NULL */
    wf_level *lv;              /* [n_orgs][NLV] */
    double *acc;               /* [days][n_orgs][WF_NRAW], shared with the replicate's other parts */
    double *scratch;           /* a private row that collects the warm-up */
    double *row;               /* the current day's row */
    int days;

    int failed;                /* an allocation failed: stop and report */
} wf_sim;

/* The storage a thread reuses from one replicate to the next: the event
 * queue's and the patient pool's arrays reach their working size in the
 * first replicate and are then only reset, so later replicates allocate
 * (and page-fault) nothing. Zero-initialise; free with wf_sim_store_free. */
typedef struct {
    wf_event_queue q;
    wf_pool patients;
    int ready;
} wf_sim_store;

void wf_sim_store_free(wf_sim_store *store);

/* sim.c: one replicate from start to finish, adding into acc (caller-owned
 * and zeroed: days * n_orgs * WF_NRAW doubles, see wf_sim_acc_size).
 *
 * `active` (NULL: everything) restricts the simulation to one cluster of
 * the plan (see wf_plan): only its organisations
 * generate arrivals, hold places and write their columns of acc, so the
 * components of one replicate can run on different threads into one acc.
 * Streams are keyed by global organisation indices, so the split changes
 * no number. `store`: the calling thread's reusable storage, or NULL.
 * Results do not depend on what the store held before. */
size_t wf_sim_acc_size(const wf_config *cfg);

/* One region of a cluster, run a day at a time by the driver (lib/run/):
 * open, then advance to each day boundary in turn, delivering the other
 * regions' messages and merging the day's rows between steps, then finish
 * and close. `plan` NULL: a whole cluster (`active`), as wf_sim_run. */
int wf_sim_open(wf_sim *s, wf_sim_store *store, const wf_config *cfg, const uint8_t *active, const wf_plan *plan,
                int region, uint64_t seed, int replicate, double *acc, wf_logbuf *log);
/* Every event before `until`, and the day boundary at `until`. */
void wf_sim_advance(wf_sim *s, double until);
/* After the last advance (to t_end): closes the last day. */
void wf_sim_finish(wf_sim *s);
/* Frees the simulation; its queue and pool go back to `store` (or NULL). */
void wf_sim_close(wf_sim *s, wf_sim_store *store);

/* exchange.c: patients across region boundaries */
void exchange_handover(wf_sim *s, int32_t slot);
void exchange_leave(wf_sim *s, int32_t slot, double t, bool died);
/* Deliver message m (sent to s's region); -1 when out of memory. */
int wf_sim_deliver(wf_sim *s, const wf_msg *m);
/* Add what region s recorded for others' organisations on `day` into acc,
 * and clear it. */
void wf_sim_merge(wf_sim *s, int day);

wf_status wf_sim_run(wf_sim_store *store, const wf_config *cfg, const uint8_t *active, uint64_t seed, int replicate,
                     double *acc, wf_logbuf *log, uint64_t *events, char *err, size_t errlen);

/* components.c */
int wf_plan_make(const wf_config *cfg, wf_plan *plan);  /* 0, or -1: out of memory */
void wf_plan_free(wf_plan *plan);
/* Whether locality loc and hospital h are labelled with different systems. */
bool wf_crosses(const wf_config *cfg, int loc, int h);
static inline bool sim_owns(const wf_sim *s, int org) { return !s->active || s->active[org]; }
/* Owned, or another region's organisation this region records for. */
static inline bool sim_touches(const wf_sim *s, int org) { return sim_owns(s, org) || (s->foreign && s->foreign[org]); }
/* Across a region boundary (exchange.c): the patient's home locality, or
 * its hospital, belongs to another region. */
static inline bool home_elsewhere(const wf_sim *s, const wf_patient *p) { return !sim_owns(s, s->org_l + p->loc); }
static inline bool hospital_elsewhere(const wf_sim *s, const wf_patient *p) { return !sim_owns(s, p->hosp); }

/* Scheduling and draws, shared by the stages. */
static inline void sim_at(wf_sim *s, double t, uint32_t type, int32_t a, uint32_t b, uint32_t c)
{
    if (t < s->t_end && wf_eq_push(&s->q, t, type, a, b, c, false)) s->failed = 1;
}
static inline wf_patient *pat(wf_sim *s, int32_t slot)
{
    return (wf_patient *)wf_pool_at(&s->patients, slot);
}
static inline void pat_at(wf_sim *s, double t, uint32_t type, int32_t slot)
{
    sim_at(s, t, type, slot, pat(s, slot)->gen, 0);
}
/* Point the generator at one of a patient's draw blocks. */
static inline gsl_rng *draw(wf_sim *s, const wf_patient *p, int purpose, uint32_t index)
{
    wf_rng_seek(s->rng, p->key, ((uint64_t)p->episode << 48) | ((uint64_t)purpose << 40) |
                                    ((uint64_t)index << 20));
    return s->rng;
}
/* The first uniform of a draw block, straight from the stream (the value
 * gsl_rng_uniform(draw(...)) gives, without the call). */
static inline double draw_uniform(wf_sim *s, const wf_patient *p, int purpose, uint32_t index)
{
    (void)s;
    wf_stream st = {p->key, ((uint64_t)p->episode << 48) | ((uint64_t)purpose << 40) | ((uint64_t)index << 20)};
    return wf_stream_uniform(&st);
}
static inline int sim_day(const wf_sim *s) { return (int)floor(s->now); }
static inline const wf_council_state *council(const wf_sim *s, const wf_patient *p) { return &s->loc[p->loc].lv; }
/* Social care works on this day for this council. */
static inline bool council_works(const wf_sim *s, int loc, int day)
{
    return s->loc[loc].lv.seven_day || wf_is_working_day(&s->cal, day);
}
/* The first time at or after t on a day the council works (t itself if so). */
double council_next_working(const wf_sim *s, int loc, double t);
/* The next time at or after t that falls in the daily window [open, close)
 * hours (the same day or a later one). */
double at_hours(double t, double open, double close);

/* observe.c: metrics */
/* A long-stay NCTR patient's reason joins (+1) or leaves (-1) the counts
 * of its hospital and its council (observe_snapshot). */
static inline void long_reason_add(wf_sim *s, const wf_patient *p, int reason, int d)
{
    s->hosp[p->hosp].long_reason[reason] += d;
    s->loc[p->loc].long_reason[reason] += d;
}
static inline void count(wf_sim *s, int org, int raw, double x)
{
    s->row[(size_t)org * WF_NRAW + raw] += x;
}
static inline void level_add(wf_sim *s, int org, int lv, double delta)
{
    wf_level *l = &s->lv[org * NLV + lv];
    l->integ += l->v * (s->now - l->last);
    l->last = s->now;
    l->v += delta;
}
static inline void level_set(wf_sim *s, int org, int lv, double v)
{
    level_add(s, org, lv, v - s->lv[org * NLV + lv].v);
}
/* A count for a patient's hospital and home council (their two views). */
static inline void count_both(wf_sim *s, const wf_patient *p, int raw, double x)
{
    count(s, p->hosp, raw, x);
    count(s, s->org_l + p->loc, raw, x);
}
static inline void level_both(wf_sim *s, const wf_patient *p, int lv, double delta)
{
    level_add(s, p->hosp, lv, delta);
    level_add(s, s->org_l + p->loc, lv, delta);
}
/* The reason an NCTR patient is waiting: moves the patient between the
 * reason levels (only counted while medically optimised). */
void reason_set(wf_sim *s, wf_patient *p, int reason);
/* The reason that goes with the patient's current step. */
int reason_of_stage(const wf_sim *s, const wf_patient *p);
static inline void reason_update(wf_sim *s, wf_patient *p) { reason_set(s, p, reason_of_stage(s, p)); }
void observe_day_end(wf_sim *s, int day);
void observe_snapshot(wf_sim *s);
/* The delay of a discharge, in whole days from the ready date. */
void observe_discharge_delay(wf_sim *s, const wf_patient *p);
void log_append(wf_sim *s, const wf_patient *p, int event, int org, int pathway);
/* Log an event of the measured window when the run keeps a log. */
static inline void sim_log(wf_sim *s, const wf_patient *p, int event, int org, int pathway)
{
    if (s->log && s->now >= 0) log_append(s, p, event, org, pathway);
}

/* queue.c: intrusive FIFO queues of patients */
void queue_push(wf_sim *s, wf_queue *q, int32_t slot, int kind);
int32_t queue_pop(wf_sim *s, wf_queue *q);
void queue_remove(wf_sim *s, int32_t slot);

/* levers.c */
void levers_init(wf_sim *s);

/* arrivals.c */
void arrivals_start(wf_sim *s);
void on_arrival(wf_sim *s, int loc);
void on_vw_demand(wf_sim *s, int loc);
void on_electives(wf_sim *s, int h);
void on_demand(wf_sim *s, int loc, int svc);
double arrival_rate(const wf_sim *s, int loc, double t);

/* hospital.c */
void hospital_arrive(wf_sim *s, int32_t slot);
void hospital_take_bed(wf_sim *s, int32_t slot);
void hospital_admit_from_ed(wf_sim *s, int h);
void on_outlier(wf_sim *s, int32_t slot);
/* Free beds of a hospital on wards nobody waits for, and the ward with most. */
int hospital_free_beds(const wf_sim *s, int h, int *best_ward);
void hospital_set_capacity(wf_sim *s, int h);
void on_mofd(wf_sim *s, int32_t slot);
void on_leave(wf_sim *s, int32_t slot);
void on_death(wf_sim *s, int32_t slot);
void hospital_daily_review(wf_sim *s, int h);
int32_t patient_new(wf_sim *s, uint64_t key, int loc, int hosp, int frailty);
void care_attributes(wf_sim *s, wf_patient *p);
void patient_done(wf_sim *s, int32_t slot);

/* discharge.c */
void discharge_plan(wf_sim *s, int32_t slot, double stay, double t_mofd);
void discharge_at_mofd(wf_sim *s, int32_t slot);
void discharge_next(wf_sim *s, int32_t slot);
void discharge_ready(wf_sim *s, int32_t slot);
void on_stage(wf_sim *s, int32_t slot);
void leave_at_window(wf_sim *s, int32_t slot);

/* assessment.c */
void assessment_request(wf_sim *s, int32_t slot);
void assessors_day(wf_sim *s, int loc);
void funding_request(wf_sim *s, int32_t slot);
bool needs_funding(const wf_sim *s, const wf_patient *p);

/* places.c */
void places_init(wf_sim *s);
int place_kind_of(const wf_sim *s, const wf_patient *p);
void place_request(wf_sim *s, int32_t slot);
void place_cancel(wf_sim *s, int32_t slot);
void place_free(wf_sim *s, int kind, int owner, int pooled, int64_t units);
void places_set_capacity(wf_sim *s);
void on_brokerage(wf_sim *s);
void interim_fill(wf_sim *s, int group);
bool voluntary_take(wf_sim *s, int loc);
void voluntary_free(wf_sim *s, int loc);
int services_groups_init(wf_sim *s);
void services_groups_free(wf_sim *s);
int community_of(const wf_sim *s, int loc);
int voluntary_of(const wf_sim *s, int loc);
/* The place the patient holds was granted (called by places.c). */
void place_granted(wf_sim *s, int32_t slot);

/* care.c */
void care_after_hospital(wf_sim *s, int32_t slot);
void care_start(wf_sim *s, int32_t slot);
void on_care_end(wf_sim *s, int32_t slot);
void on_release(wf_sim *s, int owner, uint32_t bits, int64_t units);
void care_leave_for_hospital(wf_sim *s, int32_t slot);
void on_renege(wf_sim *s, int32_t slot);

/* outcomes.c */
void delayed_clocks(wf_sim *s, int32_t slot);
void on_escalate(wf_sim *s, int32_t slot);
void on_readmit(wf_sim *s, int32_t slot);
void readmission_decide(wf_sim *s, int32_t slot);
/* Whether a patient leaving at t after `delayed` delayed days will be
 * readmitted, and when: the same draws whichever region decides. */
bool readmission_time(wf_sim *s, const wf_patient *p, double delayed, double t, double *when);

/* workforce.c */
double workforce_factor(const wf_sim *s, int svc, wf_org_kind org_kind, int org);
void workforce_schedule(wf_sim *s);

#endif /* WF_SIM_H */
