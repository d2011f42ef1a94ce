#include "core/rng.h"

static void stream_set(void *state, unsigned long seed)
{
    wf_stream *s = state;
    s->key = wf_key_mix(0, seed);
    s->ctr = 0;
}

static unsigned long stream_get(void *state)
{
    wf_stream *s = state;
    return (unsigned long)(wf_mix64(s->key + wf_mix64(s->ctr++)) >> 32);
}

static double stream_get_double(void *state)
{
    return wf_stream_uniform(state);
}

static const gsl_rng_type stream_type = {
    "winterflow-stream", 0xffffffffUL, 0, sizeof(wf_stream),
    stream_set, stream_get, stream_get_double,
};

const gsl_rng_type *wf_rng_stream = &stream_type;
