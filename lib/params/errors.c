/* wf_status_str: the short description of each status. */
#include "winterflow.h"

const char *wf_status_str(wf_status s) {
    switch (s) {
    case WF_OK: return "ok";
    case WF_ENOMEM: return "out of memory";
    case WF_EIO: return "input/output error";
    case WF_EPARSE: return "malformed input";
    case WF_EKEY: return "unknown key or organisation";
    case WF_ETYPE: return "value of the wrong type";
    case WF_ERANGE: return "value out of range";
    case WF_EINVAL: return "invalid argument";
    case WF_ECANCELLED: return "cancelled";
    case WF_ERANK: return "another rank failed or died";
    }
    return "unknown status";
}
