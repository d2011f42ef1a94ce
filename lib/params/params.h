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
/* The same, but with a sink (wf_scenario_validate in keep-going mode): every
 * problem found is added to sink's problems and the build goes on past a
 * problem of one key; it still fails (the first problem's status) if there
 * was one. Every failure it returns is in sink's list. */
wf_status wf_config_build_into(const wf_scenario *s, wf_config **out, char *err, size_t errlen,
                               wf_scenario *sink);

/* Load YAML text that must name no file, such as the resolved scenario a
 * results file stores (wf_results_load_scenario): as wf_scenario_load_string,
 * but an `extends:` key is an error (WF_EKEY) and no path is ever followed. */
wf_status wf_scenario_load_sealed(wf_scenario *s, const char *yaml, const char *origin);
/* Set the scenario's error message (wf_scenario_error) for a failure found
 * outside the params room. */
void wf_scenario_set_error(wf_scenario *s, const char *msg);
/* The checks a run adds to a resolved scenario (a config describes any
 * scenario, an empty one included; a run needs organisations). Called by
 * wf_scenario_validate and wf_run, so that they agree. */
wf_status wf_config_runnable(const wf_scenario *s, const wf_config *c, char *err, size_t errlen);

/* wf_scenario_set, with messages naming the value's source `src` (where
 * wf_scenario_set names "--set KEY=VALUE"): a design's point, say. */
wf_status wf_scenario_set_src(wf_scenario *s, const char *key, const char *value, const char *src);

/* Set a template's error message (for wf_template_read_csv, in lib/run). */
void wf_template_set_error(wf_template *t, const char *msg);

/* The closest of cands to word if close enough ("did you mean"), else NULL. */
const char *wf_suggest(const char *word, const char *const *cands, size_t n);

/* The wf_org_kind named "hospital", ..., "system", or -1. */
int wf_org_kind_parse(const char *name);

#endif
