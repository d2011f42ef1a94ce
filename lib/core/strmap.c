#include "core/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void wf_strmap_free(wf_strmap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}

static size_t slot_of(const wf_strmap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key)) i = (i + 1) & (m->cap - 1);
    return i;
}

static int grow(wf_strmap *m)
{
    size_t cap = m->cap ? 2 * m->cap : 16;
    wf_strmap g = {calloc(cap, sizeof *g.keys), malloc(cap * sizeof *g.vals), cap, m->n};
    if (!g.keys || !g.vals) {
        wf_strmap_free(&g);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t j = slot_of(&g, m->keys[i]);
            g.keys[j] = m->keys[i];
            g.vals[j] = m->vals[i];
        }
    wf_strmap_free(m);
    *m = g;
    return 0;
}

size_t *wf_strmap_put(wf_strmap *m, const char *key, size_t val, int *added)
{
    *added = 0;
    if (2 * (m->n + 1) > m->cap && grow(m)) return NULL;
    size_t i = slot_of(m, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->vals[i] = val;
        m->n++;
        *added = 1;
    }
    return &m->vals[i];
}

size_t *wf_strmap_get(const wf_strmap *m, const char *key)
{
    if (!m->cap) return NULL;
    size_t i = slot_of(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

void wf_strmap_del(wf_strmap *m, const char *key)
{
    if (!m->cap) return;
    size_t i = slot_of(m, key), mask = m->cap - 1;
    if (!m->keys[i]) return;
    /* backward-shift deletion: move later members of the probe run up into
     * the hole wherever their home slot allows it */
    for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
        size_t home = (size_t)hash(m->keys[j]) & mask;
        /* j may move to i when home is not cyclically within (i, j] */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->keys[i] = m->keys[j];
            m->vals[i] = m->vals[j];
            i = j;
        }
    }
    m->keys[i] = NULL;
    m->n--;
}
