/* The partnership presets (MODEL.md, "Partnership configuration"): named
 * sets of values for the partnership levers. Precedence when a config is
 * built: table default < the scenario's preset < keys given explicitly in
 * any file of the extends chain or by --set.
 *
 * `fragmented` is the table's defaults for the partnership keys (each
 * value is written once, in table.c); `integrated` overrides the levers it
 * changes. Calibration of the values: docs/calibration.md. */
#include <string.h>

#include "params/internal.h"

static const wf_preset_kv integrated[] = {
    {"partnership.trusted_assessor", "true"},
    {"partnership.discharge_to_assess", "true"},
    {"partnership.seven_day_working", "true"},
    {"partnership.pooled_capacity", "0.5"},
    {"partnership.referral_delay", "{distribution: exponential, mean_days: 0.25}"},
    {"partnership.funding_panel_weekdays", "[]"},
    {"partnership.bridging", "true"},
    {"partnership.admission_avoidance", "0.3"},
    {"partnership.planning_lead_days", "3"},
};

static const wf_preset presets[] = {
    {"fragmented", NULL, 0},
    {"integrated", integrated, sizeof integrated / sizeof integrated[0]},
};

const wf_preset *wf_preset_find(const char *name) {
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (!strcmp(presets[i].name, name)) return &presets[i];
    return NULL;
}
