/*
 * A map from strings to indices, for the checks that would otherwise
 * compare every pair (duplicate keys in a YAML map or a CSV header, repeated
 * names in a design): open addressing with linear probing, FNV-1a hashes,
 * kept at most half full. The map does not own its keys: they must outlive
 * it, unchanged.
 */
#ifndef WF_STRMAP_H
#define WF_STRMAP_H

#include <stddef.h>

typedef struct {
    const char **keys;  /* [cap], NULL: empty */
    size_t *vals;       /* [cap] */
    size_t cap, n;
} wf_strmap;

/* An empty map (no allocation until the first insert). */
#define WF_STRMAP_INIT {NULL, NULL, 0, 0}
void wf_strmap_free(wf_strmap *m);

/* The value slot of `key`: an existing key's, or a new one holding `val`
 * (*added set to 1; 0 when the key was there). NULL when out of memory.
 * The pointer is valid until the next insert. */
size_t *wf_strmap_put(wf_strmap *m, const char *key, size_t val, int *added);

/* The value slot of `key`, or NULL when absent. */
size_t *wf_strmap_get(const wf_strmap *m, const char *key);

/* Remove `key` if present (allocates nothing). */
void wf_strmap_del(wf_strmap *m, const char *key);

#endif
