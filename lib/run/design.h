/* What a sweep needs of a design beyond the public calls (design.c). */
#ifndef WF_RUN_DESIGN_H
#define WF_RUN_DESIGN_H

#include <stddef.h>

#include "winterflow.h"

/* A copy of a validated design's points (keys, values, labels, origins);
 * NULL when out of memory or not validated. */
wf_design *wf_design_copy(const wf_design *d);

/* The whole design's index of point 0 (not 0 after wf_design_part). */
size_t wf_design_first(const wf_design *d);

/* The scenario of point i (a copy of base with the point's values set),
 * named `name` (NULL: the point's label). Messages, in err, name the point
 * by `noun`, a format of one %zu (its number in the whole design,
 * wf_design_first + i + 1), with its values and origin:
 * "scenario %zu of the sweep". Only reads the design and base: safe from
 * several threads. */
wf_status wf_design_apply(const wf_design *d, size_t i, const wf_scenario *base, const char *noun,
                          const char *name, wf_scenario **out, char *err, size_t errlen);

#endif
