/* wf_write_options: defaults, and the caller's struct read by its size
 * (core/options.h). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/options.h"
#include "results/results.h"

/* The first version of wf_write_options ended with coord_values. */
#define WRITE_OPTIONS_V1 (offsetof(wf_write_options, coord_values) + sizeof(const double *))

static wf_write_options write_defaults(void)
{
    wf_write_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    return o;
}

wf_status wf_write_options_init(wf_write_options *o, size_t size)
{
    wf_write_options d = write_defaults();
    return wf_options_init(o, size, &d, sizeof d, WRITE_OPTIONS_V1) ? WF_EINVAL : WF_OK;
}

wf_status wf_write_options_take(wf_write_options *dst, const wf_write_options *opt, char *err, size_t errlen)
{
    *dst = write_defaults();
    if (opt && wf_options_take(dst, sizeof *dst, opt, WRITE_OPTIONS_V1)) {
        snprintf(err, errlen, "wf_write_options: not set up by wf_write_options_init, or from a newer "
                 "winterflow with options this library (%s) does not know", wf_version());
        return WF_EINVAL;
    }
    return WF_OK;
}
