/* The partnership presets (MODEL.md, "Partnership configuration"): named
 * sets of values for the partnership levers. Precedence when a config is
 * built: table default < the scenario's preset < keys given explicitly in
 * any file of the extends chain or by --set. */
#include <string.h>

#include "params/internal.h"

static const wf_preset_kv fragmented[] = {
    {"partnership.trusted_assessor", "false"},
    {"partnership.discharge_to_assess", "false"},
    {"partnership.seven_day_working", "false"},
    {"partnership.pooled_capacity", "0"},
    {"partnership.referral_delay", "{distribution: exponential, mean_days: 1.5}"},
    {"partnership.assessment_delay", "{distribution: lognormal, mean_days: 2.0, cv: 0.8}"},
    {"partnership.funding_panel_weekdays", "[Tue]"},
    {"partnership.bridging", "false"},
    {"partnership.admission_avoidance", "0"},
};

static const wf_preset_kv integrated[] = {
    {"partnership.trusted_assessor", "true"},
    {"partnership.discharge_to_assess", "true"},
    {"partnership.seven_day_working", "true"},
    {"partnership.pooled_capacity", "0.5"},
    {"partnership.referral_delay", "{distribution: exponential, mean_days: 0.25}"},
    {"partnership.assessment_delay", "{distribution: lognormal, mean_days: 2.0, cv: 0.8}"},
    {"partnership.funding_panel_weekdays", "[]"},
    {"partnership.bridging", "true"},
    {"partnership.admission_avoidance", "0.3"},
};

static const wf_preset presets[] = {
    {"fragmented", fragmented, sizeof fragmented / sizeof fragmented[0]},
    {"integrated", integrated, sizeof integrated / sizeof integrated[0]},
};

const wf_preset *wf_preset_find(const char *name) {
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (!strcmp(presets[i].name, name)) return &presets[i];
    return NULL;
}
