/*
 * The params room's interface to the rest of the library.
 * (The public side, wf_scenario_* and wf_param_*, is in winterflow.h.)
 */
#ifndef WF_PARAMS_H
#define WF_PARAMS_H

#include <stddef.h>
#include "winterflow.h"
#include "params/config.h"

/* Resolve a scenario (defaults, bases, preset, overrides) into a fresh,
 * validated config. On failure returns the status and writes a message that
 * names the file, line and key into err (errlen bytes, always terminated).
 * Does not modify the scenario, so concurrent calls on one scenario are safe. */
wf_status wf_config_build(const wf_scenario *s, wf_config **out, char *err, size_t errlen);

/* Load YAML text that must name no file, such as the resolved scenario a
 * results file stores (wf_results_load_scenario): as wf_scenario_load_string,
 * but an `extends:` key is an error (WF_EKEY) and no path is ever followed. */
wf_status wf_scenario_load_sealed(wf_scenario *s, const char *yaml, const char *origin);
/* Set the scenario's error message (wf_scenario_error) for a failure found
 * outside the params room. */
void wf_scenario_set_error(wf_scenario *s, const char *msg);

#endif
