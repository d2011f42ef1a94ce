/* The calibrated reference system, models/reference.yaml, built into the
 * library (cmake/embed.cmake writes it into a C array at build time): the
 * parameters a new scenario starts from (template.c) and that validation
 * compares a scenario's table defaults with (warnings.c). It is the
 * library's own text, loaded sealed (no file it could name is read). */
#include <string.h>

#include "params/internal.h"

extern const char wf_reference_yaml[];
extern const size_t wf_reference_yaml_len;

const char *wf_reference_text(size_t *len) {
    if (len) *len = wf_reference_yaml_len;
    return wf_reference_yaml;
}

wf_scenario *wf_reference_scenario(char *err, size_t errlen) {
    wf_scenario *s = wf_scenario_create();
    if (!s) {
        wf_errf(err, errlen, "out of memory");
        return NULL;
    }
    if (wf_scenario_load_sealed(s, wf_reference_yaml, WF_REFERENCE_ORIGIN) != WF_OK) {
        wf_errf(err, errlen, "the built-in reference: %s", wf_scenario_error(s));
        wf_scenario_destroy(s);
        return NULL;
    }
    return s;
}
