/* The library's version: the values winterflow_version.h was generated
 * with when the library was built (not those of a caller's header). */
#include "winterflow.h"

const char *wf_version(void) { return WF_VERSION; }

int wf_version_number(void) { return WF_VERSION_NUMBER; }

const char *wf_build_info(void)
{
#ifdef WF_BUILD_INFO
    return WF_BUILD_INFO;
#else
    return "unknown build";
#endif
}
