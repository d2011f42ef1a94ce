#include "winterflow.h"

#define WF_STR2(x) #x
#define WF_STR(x) WF_STR2(x)

const char *wf_version(void)
{
    return WF_STR(WF_VERSION_MAJOR) "." WF_STR(WF_VERSION_MINOR) "." WF_STR(WF_VERSION_PATCH);
}

const char *wf_build_info(void)
{
#ifdef WF_BUILD_INFO
    return WF_BUILD_INFO;
#else
    return "unknown build";
#endif
}
