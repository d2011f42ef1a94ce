/* What runs need of a calibration beyond the public calls (calibrate.c):
 * drawing a replicate's particle from the posterior and setting its values
 * on a scenario (posterior.c uses them for wf_run_options.posterior). */
#ifndef WF_RUN_CALIBRATE_H
#define WF_RUN_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

#include "winterflow.h"

/* Has the calibration a population to draw from? */
int wf_calibration_has_posterior(const wf_calibration *c);
/* The particle replicate `rep` draws: by weight, with the stream keyed by
 * (seed, rep). */
size_t wf_calibration_pick(const wf_calibration *c, uint64_t seed, size_t rep);
/* The value key k takes at particle i, as set (int keys rounded), and as
 * YAML text (buf of at least 40 bytes). */
double wf_calibration_value(const wf_calibration *c, size_t i, size_t k, char *buf, size_t len);
const char *wf_calibration_fingerprint(const wf_calibration *c);

#endif
