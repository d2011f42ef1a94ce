#include <string.h>

#include "results/metrics.h"
#include "params/params.h"

/* The numerator of a RATIO metric, where it is another metric's slot. */
#define NUM_OF(id)                                                                  \
    (WF_M_##id == WF_M_OCCUPANCY                    ? WF_M_OCCUPIED_BEDS             \
     : WF_M_##id == WF_M_ED_WAIT_HOURS              ? WF_RAW_ED_WAIT_SUM             \
     : WF_M_##id == WF_M_CARE_HOME_UTILISATION      ? WF_M_CARE_HOME_OCCUPIED        \
     : WF_M_##id == WF_M_COMMUNITY_BED_UTILISATION  ? WF_M_COMMUNITY_BED_OCCUPIED    \
     : WF_M_##id == WF_M_OCCUPANCY_8AM              ? WF_RAW_OCC_8AM                 \
     : WF_M_##id == WF_M_DISCHARGED_ON_READY_DATE   ? WF_RAW_DELAY_BIN0              \
     : WF_M_##id == WF_M_DELAY_DAYS_P50             ? WF_RAW_DELAY_BIN0              \
     : WF_M_##id == WF_M_DELAY_DAYS_P90             ? WF_RAW_DELAY_BIN0              \
     : WF_M_##id == WF_M_ED_QUEUE_GROWING           ? WF_M_ED_BOARDING               \
     : WF_M_##id == WF_M_HOME_CARE_UTILISATION      ? WF_M_HOME_CARE_HOURS           \
                                                    : WF_M_##id)
#define P_OF(id) (WF_M_##id == WF_M_DELAY_DAYS_P50 ? 0.5 : WF_M_##id == WF_M_DELAY_DAYS_P90 ? 0.9 : 0)

#define H WF_KIND_BIT(WF_ORG_HOSPITAL)
#define L WF_KIND_BIT(WF_ORG_LOCALITY)
#define C WF_KIND_BIT(WF_ORG_COMMUNITY)
#define V WF_KIND_BIT(WF_ORG_VOLUNTARY)
#define WF_METRIC_DEF(id, name, unit, kind, rule, den, orgs, sys, doc) \
    {name, unit, doc, WF_METRIC_##kind, WF_RULE_##rule, NUM_OF(id), WF_M_##den, orgs, sys, P_OF(id)},
#define WF_M_0 0
#define WF_M_RAW_OPEN_8AM WF_RAW_OPEN_8AM
#define WF_M_RAW_DRD_DISCHARGES WF_RAW_DRD_DISCHARGES
const wf_metric_def wf_metric_defs[WF_NMETRIC] = {WF_METRICS(WF_METRIC_DEF)};
#undef H
#undef L
#undef C
#undef V

size_t wf_metric_count(void) { return WF_NMETRIC; }
const char *wf_metric_name(size_t m) { return m < WF_NMETRIC ? wf_metric_defs[m].name : NULL; }
const char *wf_metric_unit(size_t m) { return m < WF_NMETRIC ? wf_metric_defs[m].unit : NULL; }
const char *wf_metric_doc(size_t m) { return m < WF_NMETRIC ? wf_metric_defs[m].doc : NULL; }
wf_metric_kind wf_metric_kind_of(size_t m) { return m < WF_NMETRIC ? wf_metric_defs[m].kind : WF_METRIC_TOTAL; }

size_t wf_metric_find(const char *name)
{
    for (size_t m = 0; name && m < WF_NMETRIC; m++)
        if (strcmp(wf_metric_defs[m].name, name) == 0) return m;
    return WF_NOT_FOUND;
}

const char *wf_metric_suggest(const char *name)
{
    if (!name) return NULL;
    const char *names[WF_NMETRIC];
    for (size_t m = 0; m < WF_NMETRIC; m++) names[m] = wf_metric_defs[m].name;
    return wf_suggest(name, names, WF_NMETRIC);
}

/* The headline of docs/cli.md: what a board paper reports first. */
size_t wf_metric_headline(size_t i)
{
    static const int headline[] = {WF_M_DELAYED_BED_DAYS, WF_M_NCTR_PATIENTS_8AM, WF_M_OCCUPANCY_8AM,
                                   WF_M_WAITS_OVER_12H, WF_M_ELECTIVE_CANCELLATIONS, WF_M_COST};
    return i < sizeof headline / sizeof headline[0] ? (size_t)headline[i] : WF_NOT_FOUND;
}

/* From the metric's masks: its kinds (orgs) and the kinds summed into the
 * system (sys). A kind that has values but is not summed counts the
 * system's patients again: by home council (metrics.h). */
const char *wf_metric_perspective(size_t m, wf_org_kind kind)
{
    if (m >= WF_NMETRIC || (int)kind < 0 || kind >= WF_ORG_NKINDS) return NULL;
    if (kind == WF_ORG_SYSTEM) return "system";
    const wf_metric_def *d = &wf_metric_defs[m];
    unsigned bit = WF_KIND_BIT(kind);
    if (!(d->orgs & bit)) return NULL;
    return d->sys & bit ? "organisation" : "home_council";
}
