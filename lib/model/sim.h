/*
 * One replicate's simulation state, shared by the stage files of lib/model/
 * (arrivals.c, hospital.c, discharge.c, services.c, observe.c). Owned by one
 * thread; built from an immutable wf_config.
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

/* Events. Payload a = patient slot or organisation index; b = generation
 * tag or a small index; c = a flag. */
enum {
    EV_DAY,       /* day boundary: a = new day */
    EV_ARRIVAL,   /* emergency arrival: a = locality */
    EV_ELECTIVES, /* the day's elective list: a = hospital */
    EV_DEMAND,    /* community demand for care: a = locality, b = service */
    EV_WORKFORCE, /* a workforce period starts or ends: a = period */
    EV_RELEASE,   /* an anonymous place frees: a = organisation, b = service, c = pooled */
    EV_MOFD,      /* clinical stay ends: medically optimised for discharge */
    EV_STAGE,     /* a discharge-process timer ends */
    EV_ESCALATE,  /* deconditioning raises the patient's need */
    EV_LEAVE,     /* the patient leaves the acute bed */
    EV_REHAB_END, /* rehabilitation in a community bed ends */
    EV_READMIT    /* a discharged patient comes back to ED */
};

/* Where a patient is. */
enum {
    PS_ED,         /* waiting in ED for a bed */
    PS_ACUTE,      /* in a G&A bed (clinical stay, or medically optimised) */
    PS_BRIDGED,    /* in an interim/bridging place, waiting for its service */
    PS_VOLUNTARY,  /* home with voluntary support, waiting for home care */
    PS_CB,         /* in a community bed for rehabilitation */
    PS_CB_WAIT,    /* in a community bed after rehabilitation, waiting onward */
    PS_COMMUNITY,  /* community demand: at home waiting for care */
    PS_AWAY        /* discharged, to be readmitted */
};

/* Discharge-process stage of a patient in PS_ACUTE. */
enum { ST_CLINICAL, ST_REFERRAL, ST_ASSESS_WAIT, ST_ASSESSING, ST_FUNDING, ST_PLACE_WAIT, ST_LEAVING,
       ST_REMOTE,     /* hospital side: the home system arranges the discharge */
       ST_HANDOVER }; /* home side: received, the discharge process starts */

/* Services with places. */
enum { SV_HOME_CARE, SV_CARE_HOME, SV_COMMUNITY_BED, SV_BRIDGING, SV_VIRTUAL_WARD, SV_VOLUNTARY };

/* Purposes of a patient's draws: each has its own counter block in the
 * patient's stream, so that a configuration that makes more draws of one
 * kind (say, more escalations) leaves every other draw unchanged. */
enum { DR_ATTR, DR_LOS, DR_NEED, DR_ESCALATE, DR_REFERRAL, DR_ASSESS, DR_CARE, DR_READMIT, DR_WEEKEND };

/* Stream keys: (seed, replicate, kind, organisation, sequence). */
enum { SK_EMERGENCY, SK_ELECTIVE, SK_DEMAND, SK_ARRIVALS, SK_DEMAND_ARRIVALS, SK_INITIAL };

typedef struct {
    uint64_t key;
    double t_mark;    /* ED arrival (PS_ED), MOFD (PS_ACUTE), rehab end (PS_CB_WAIT) */
    double t_queue;   /* when it joined its current queue: FIFO across pooled queues */
    double delayed;   /* delayed bed-days this episode */
    int32_t prev, next;
    uint32_t gen;
    uint32_t n_escalations;
    int16_t loc, hosp;
    int16_t place_org; /* organisation of the place held, -1 none */
    uint8_t frailty, need, state, stage, episode;
    uint8_t queue;     /* 0 none, else 1 + service queue kind (Q_*) */
    uint8_t place_pooled, bridge, elective, readmit_pending;
    int32_t peer;      /* across a system boundary: the other side's record */
    uint32_t peer_gen;
} wf_patient;

enum { Q_ED, Q_ASSESS, Q_HOME_CARE, Q_CARE_HOME, Q_COMMUNITY_BED };

typedef struct {
    int32_t head, tail, n;
} wf_queue;

/* A service's places at one organisation. `cap` is after workforce factors;
 * `pool_cap` of them are pooled system-wide. */
typedef struct {
    int base, cap, pool_cap;
    int own_used, pool_used;
    wf_queue q;
} wf_places;

typedef struct {
    double v, last, integ;
} wf_level;

/* Levels integrated over time into the daily metrics. */
enum { LV_OCC, LV_OPEN, LV_NCTR, LV_ED, LV_ASSESS, LV_HC_OCC, LV_HC_CAP, LV_HC_Q,
       LV_CH_OCC, LV_CH_CAP, LV_CH_Q, LV_CB_OCC, LV_CB_CAP, LV_CB_Q, LV_CB_DELAY,
       LV_BRIDGE, LV_VW, LV_VOL, NLV };

typedef struct {
    int base, cap, occupied;
    bool escalation_open;
    double factor;
    wf_queue ed;
    uint64_t elective_seq;
    double *catchment;  /* [n_localities] cumulative weights of locality by admissions here */
} wf_hosp_state;

typedef struct {
    wf_places home_care, care_home;
    wf_queue assess;
    double assess_tokens;
    double assess_factor;
    double assess_carry;   /* fractional assessments carried to the next working day */
    wf_stream arrivals;
    uint64_t arrival_seq;
    double lambda_max, next_arrival;
    double share_of_system;       /* of base admissions: splits outbreak waves */
    wf_stream demand[2];
    uint64_t demand_seq[2];
} wf_loc_state;

typedef struct {
    wf_places beds;
    int vw_base, vw_cap, vw_used;
    int bridge_cap, bridge_used;
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
       MSG_LEAVE };  /* home system -> hospital: the patient leaves at t */
typedef struct {
    double t, t_mark;
    double readmit;    /* MSG_LEAVE: readmission time, if `back` */
    uint64_t key;
    int32_t to;        /* destination region */
    int32_t slot;      /* the hospital side's record */
    uint32_t gen, n_escalations;
    int16_t loc, hosp;
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
        care_home_stay, vw_stay, referral, assessment;
    double escalation_rate;    /* per delayed day, continuous-time equivalent */

    wf_hosp_state *hosp;
    wf_loc_state *loc;
    wf_comm_state *comm;
    wf_vol_state *vol;
    int nh, nl, nc, nv, n_orgs;
    int org_l, org_c, org_v;   /* first organisation index of each kind */

    /* Pool groups: the localities served by one community provider (an
     * ICS footprint) share pooled places; unserved localities form one
     * more group. Members of group g: group_loc[group_first[g] ..
     * group_first[g + 1]). */
    int n_groups;
    int *group_first, *group_loc, *loc_group;

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
void exchange_leave(wf_sim *s, int32_t slot, double t);
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
static inline int sim_day(const wf_sim *s) { return (int)floor(s->now); }
static inline bool sim_working_day(const wf_sim *s, int day)
{
    return s->cfg->seven_day_working || wf_is_working_day(&s->cal, day);
}

/* observe.c: metrics */
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
void observe_day_end(wf_sim *s, int day);
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

/* arrivals.c */
void arrivals_start(wf_sim *s);
void on_arrival(wf_sim *s, int loc);
void on_electives(wf_sim *s, int h);
void on_demand(wf_sim *s, int loc, int svc);
double arrival_rate(const wf_sim *s, int loc, double t);

/* hospital.c */
void hospital_arrive(wf_sim *s, int32_t slot);
void hospital_take_bed(wf_sim *s, int32_t slot);
void hospital_admit_from_ed(wf_sim *s, int h);
void hospital_set_capacity(wf_sim *s, int h);
void on_mofd(wf_sim *s, int32_t slot);
void on_leave(wf_sim *s, int32_t slot);
void hospital_daily_review(wf_sim *s, int h);
int32_t patient_new(wf_sim *s, uint64_t key, int loc, int hosp, int frailty);
void patient_done(wf_sim *s, int32_t slot);

/* discharge.c */
void discharge_start(wf_sim *s, int32_t slot);
void on_stage(wf_sim *s, int32_t slot);
void on_escalate(wf_sim *s, int32_t slot);
void on_readmit(wf_sim *s, int32_t slot);
void discharge_assessors_day(wf_sim *s, int loc);
void leave_at_window(wf_sim *s, int32_t slot);
void readmission_decide(wf_sim *s, int32_t slot);
/* Whether a patient leaving at t after `delayed` delayed days will be
 * readmitted, and when: the same draws whichever region decides. */
bool readmission_time(wf_sim *s, const wf_patient *p, double delayed, double t, double *when);

/* services.c */
void services_init(wf_sim *s);
void place_request(wf_sim *s, int32_t slot);
void place_start_care(wf_sim *s, int32_t slot);
void on_release(wf_sim *s, int org, int svc, int pooled);
void on_rehab_end(wf_sim *s, int32_t slot);
void services_set_capacity(wf_sim *s);
void bridging_fill(wf_sim *s, int group);
int services_groups_init(wf_sim *s);
void services_groups_free(wf_sim *s);
void place_leave_service(wf_sim *s, int32_t slot);
void place_leave_hospital(wf_sim *s, int32_t slot);
int community_of(const wf_sim *s, int loc);

/* workforce.c */
double workforce_factor(const wf_sim *s, int svc, int org_kind, int org);
void workforce_schedule(wf_sim *s);

#endif /* WF_SIM_H */
