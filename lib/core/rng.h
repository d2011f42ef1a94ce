/*
 * Random streams. Every draw in winterflow comes from a counter-based
 * stream: output i of stream `key` is mix64(key + mix64(i)), where mix64 is
 * SplitMix64's finaliser. A stream is two words (key, counter), so each
 * patient can own one without storing generator state, and any draw can be
 * addressed directly: this is what keeps common random numbers aligned when
 * a configuration changes the order of events.
 *
 * Keys are derived by chaining wf_key_mix over the identifying words, e.g.
 * (seed, replicate, entity kind, organisation, sequence number); see
 * docs/random-streams.md. The streams plug into GSL as a gsl_rng_type, so
 * every GSL distribution can draw from them.
 */
#ifndef WF_RNG_H
#define WF_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

typedef struct {
    uint64_t key;
    uint64_t ctr;
} wf_stream;

static inline uint64_t wf_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Combine a key with one more identifying word. */
static inline uint64_t wf_key_mix(uint64_t key, uint64_t word)
{
    return wf_mix64(key ^ wf_mix64(word + 0x9e3779b97f4a7c15ULL));
}

/* The GSL generator type whose state is a wf_stream. */
extern const gsl_rng_type *wf_rng_stream;

/* Point a generator of type wf_rng_stream at (key, ctr). */
static inline void wf_rng_seek(gsl_rng *r, uint64_t key, uint64_t ctr)
{
    wf_stream *s = (wf_stream *)r->state;
    s->key = key;
    s->ctr = ctr;
}

static inline wf_stream *wf_rng_state(gsl_rng *r) { return (wf_stream *)r->state; }

/* A uniform double in [0, 1) with 53 bits, drawn straight from a stream. */
static inline double wf_stream_uniform(wf_stream *s)
{
    uint64_t x = wf_mix64(s->key + wf_mix64(s->ctr++));
    return (double)(x >> 11) * 0x1.0p-53;
}

/* gsl_rng_uniform and gsl_rng_uniform_pos of a wf_rng_stream generator:
 * the same numbers, without the call through GSL's type table. */
static inline double wf_rng_uniform(gsl_rng *r) { return wf_stream_uniform(wf_rng_state(r)); }
static inline double wf_rng_uniform_pos(gsl_rng *r)
{
    double x;
    do x = wf_rng_uniform(r);
    while (x == 0);
    return x;
}

#endif
