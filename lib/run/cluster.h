/* Running one replicate of a cluster of regions (see wf_plan). */
#ifndef WF_RUN_CLUSTER_H
#define WF_RUN_CLUSTER_H

#include "model/sim.h"

/* Adds the replicate into acc (as wf_sim_run); logs: one buffer per region
 * of the cluster, or NULL. Call from inside an OpenMP parallel region to
 * run the regions on its threads. */
wf_status wf_run_cluster(const wf_config *cfg, const wf_plan *plan, int cluster, uint64_t seed, int replicate,
                         double *acc, wf_logbuf *logs, uint64_t *events, char *err, size_t errlen);

#endif
