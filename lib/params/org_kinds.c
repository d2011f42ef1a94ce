/* Organisation kinds (wf_org_kind, winterflow.h): their names and how each
 * room writes them, in one place. The enum's order is the order of the
 * scenario's sections and of organisations in results. */
#include <string.h>

#include "params/internal.h"

static const char *const kind_name[WF_ORG_NKINDS] = {"hospital", "locality", "community",
                                                     "voluntary", "system"};

const char *wf_org_kind_name(wf_org_kind kind)
{
    return kind >= 0 && kind < WF_ORG_NKINDS ? kind_name[kind] : NULL;
}

int wf_org_kind_parse(const char *name)
{
    for (int k = 0; name && k < WF_ORG_NKINDS; k++)
        if (!strcmp(name, kind_name[k])) return k;
    return -1;
}

const char *const wf_kind_section[WF_NKIND] = {"hospitals", "localities", "community", "voluntary"};
const char *const wf_kind_placeholder[WF_NKIND] = {"<hospital>", "<locality>", "<community>",
                                                   "<voluntary>"};
const char *const wf_kind_word[WF_NKIND] = {"hospital", "locality", "community provider",
                                            "voluntary service"};

int wf_bind_kind(int bind)
{
    switch (bind) {
    case WF_B_HOSP: return WF_ORG_HOSPITAL;
    case WF_B_LOC: return WF_ORG_LOCALITY;
    case WF_B_COMM: return WF_ORG_COMMUNITY;
    case WF_B_VOL: return WF_ORG_VOLUNTARY;
    default: return -1;
    }
}

int wf_config_n_orgs(const wf_config *c, int kind)
{
    switch (kind) {
    case WF_ORG_HOSPITAL: return c->n_hospitals;
    case WF_ORG_LOCALITY: return c->n_localities;
    case WF_ORG_COMMUNITY: return c->n_community;
    case WF_ORG_VOLUNTARY: return c->n_voluntary;
    default: return 1;
    }
}

int wf_kind_of_placeholder(const char *comp)
{
    for (int k = 0; k < WF_NKIND; k++)
        if (!strcmp(comp, wf_kind_placeholder[k])) return k;
    return -1;
}

bool wf_org_name_ok(const char *name)
{
    if (!*name || strlen(name) > 64) return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}
