/* The simulation plan: which organisations can be simulated apart.
 *
 * Organisations are joined by any route a patient can take: a locality to
 * the hospitals it uses and to the community provider and voluntary service
 * that serve it. Pooling is confined to a community provider's footprint,
 * so the connected parts (clusters) share nothing and run as separate
 * tasks. Inside a cluster, a locality's route to a hospital of another
 * integrated care system (both labelled with `system`, labels differ) does
 * not join them: the parts it separates (regions) run side by side and
 * exchange the patients that cross, a day at a time (exchange.c). Without
 * labels every cluster is one region. */
#include <stdlib.h>
#include <string.h>

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

bool wf_crosses(const wf_config *c, int loc, int h)
{
    const char *a = c->localities[loc].system, *b = c->hospitals[h].system;
    return a && b && *a && *b && strcmp(a, b) != 0;
}

/* Components of the organisation graph, with or without the crossing
 * routes; labels in order of each component's smallest organisation. */
static int label(const wf_config *c, int with_crossings, int *parent, int *out)
{
    int nh = c->n_hospitals, nl = c->n_localities, nc = c->n_community;
    int n = nh + nl + nc + c->n_voluntary;
    for (int i = 0; i < n; i++) parent[i] = i;
    for (int l = 0; l < nl; l++) {
        int lo = nh + l;
        for (int h = 0; h < nh; h++)
            if (c->localities[l].hospital_share[h] > 0 && (with_crossings || !wf_crosses(c, l, h)))
                join(parent, lo, h);
        if (c->localities[l].community >= 0) join(parent, lo, nh + nl + c->localities[l].community);
        if (c->localities[l].voluntary >= 0) join(parent, lo, nh + nl + nc + c->localities[l].voluntary);
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
        int r = find(parent, i);
        out[i] = r == i ? k++ : out[r];
    }
    return k;
}

void wf_plan_free(wf_plan *p)
{
    free(p->region);
    free(p->first);
    free(p->active);
    free(p->foreign);
    memset(p, 0, sizeof *p);
}

int wf_plan_make(const wf_config *c, wf_plan *p)
{
    memset(p, 0, sizeof *p);
    int nh = c->n_hospitals, nl = c->n_localities;
    int n = nh + nl + c->n_community + c->n_voluntary;
    p->n_orgs = n;
    int *parent = malloc(sizeof(int) * (size_t)(n ? n : 1));
    int *cluster = malloc(sizeof(int) * (size_t)(n ? n : 1));
    int *reg = malloc(sizeof(int) * (size_t)(n ? n : 1));
    p->region = malloc(sizeof(int) * (size_t)(n ? n : 1));
    if (!parent || !cluster || !reg || !p->region) goto fail;
    p->n_clusters = label(c, 1, parent, cluster);
    p->n_regions = label(c, 0, parent, reg);
    /* Number regions cluster by cluster (each in order of its smallest
     * organisation), so a cluster's regions are consecutive. */
    p->first = calloc((size_t)p->n_clusters + 1, sizeof(int));
    int *cluster_of = malloc(sizeof(int) * (size_t)(p->n_regions ? p->n_regions : 1));
    int *number = malloc(sizeof(int) * (size_t)(p->n_regions ? p->n_regions : 1));
    if (!p->first || !cluster_of || !number) {
        free(cluster_of);
        free(number);
        goto fail;
    }
    for (int o = 0; o < n; o++) cluster_of[reg[o]] = cluster[o];
    for (int r = 0; r < p->n_regions; r++) p->first[cluster_of[r] + 1]++;
    for (int k = 0; k < p->n_clusters; k++) p->first[k + 1] += p->first[k];
    int *fill = parent; /* reused: next free number per cluster */
    for (int k = 0; k < p->n_clusters; k++) fill[k] = p->first[k];
    for (int r = 0; r < p->n_regions; r++) number[r] = fill[cluster_of[r]]++;
    for (int o = 0; o < n; o++) p->region[o] = number[reg[o]];
    free(cluster_of);
    free(number);

    size_t cells = (size_t)(p->n_regions ? p->n_regions : 1) * (size_t)(n ? n : 1);
    p->active = calloc(cells, 1);
    p->foreign = calloc(cells, 1);
    if (!p->active || !p->foreign) goto fail;
    for (int o = 0; o < n; o++) p->active[(size_t)p->region[o] * n + o] = 1;
    /* What a region touches of another: the localities whose residents its
     * hospitals admit, and the hospitals that admit its residents. */
    for (int l = 0; l < nl; l++)
        for (int h = 0; h < nh; h++) {
            int rl = p->region[nh + l], rh = p->region[h];
            if (c->localities[l].hospital_share[h] > 0 && rl != rh) {
                p->foreign[(size_t)rh * n + nh + l] = 1;
                p->foreign[(size_t)rl * n + h] = 1;
            }
        }
    free(parent);
    free(cluster);
    free(reg);
    return 0;
fail:
    free(parent);
    free(cluster);
    free(reg);
    wf_plan_free(p);
    return -1;
}
