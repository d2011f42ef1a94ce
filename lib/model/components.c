/* Independent systems: organisations joined by any route a patient can
 * take (a locality to the hospitals it uses and to the community provider
 * and voluntary service that serve it). Pooling is confined to a community
 * provider's footprint, so components share nothing and can be simulated
 * apart. */
#include <stdlib.h>

#include "model/sim.h"

static int find(int *parent, int x)
{
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

static void join(int *parent, int a, int b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;
}

int wf_components(const wf_config *c, int *comp)
{
    int nh = c->n_hospitals, nl = c->n_localities, nc = c->n_community;
    int n = nh + nl + nc + c->n_voluntary;
    int *parent = malloc(sizeof(int) * (size_t)(n ? n : 1));
    if (!parent) return -1;
    for (int i = 0; i < n; i++) parent[i] = i;
    for (int l = 0; l < nl; l++) {
        int lo = nh + l;
        for (int h = 0; h < nh; h++)
            if (c->localities[l].hospital_share[h] > 0) join(parent, lo, h);
        if (c->localities[l].community >= 0) join(parent, lo, nh + nl + c->localities[l].community);
        if (c->localities[l].voluntary >= 0) join(parent, lo, nh + nl + nc + c->localities[l].voluntary);
    }
    /* roots are the smallest index of their component: label in that order */
    int k = 0;
    for (int i = 0; i < n; i++) {
        int r = find(parent, i);
        comp[i] = r == i ? k++ : comp[r];
    }
    free(parent);
    return k;
}
