/* Runs with a posterior (posterior.h). Replicate r of every scenario takes
 * the particle drawn with the stream keyed by (seed, r): the configurations
 * stay paired replicate by replicate (common random numbers and common
 * parameters), so a paired difference carries the parameters' uncertainty
 * and chance together. */
#include "run/posterior.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/params.h"
#include "run/calibrate.h"

void wf_posterior_configs_free(wf_config **cfg, size_t n, wf_post_draws *draws)
{
    for (size_t i = 0; cfg && i < n; i++)
        if (cfg[i]) wf_config_free(cfg[i]);
    free(cfg);
    wf_post_draws_free(draws);
}

/* Values as set. */
wf_post_draws *wf_posterior_draws(const wf_calibration *post, size_t rep_first, size_t reps, uint64_t seed)
{
    size_t K = wf_calibration_n_keys(post);
    wf_post_draws *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->n_keys = K;
    d->n_rep = reps;
    d->keys = calloc(K + 1, sizeof *d->keys);
    d->particle = calloc(reps + 1, sizeof *d->particle);
    d->values = calloc(reps * K + 1, sizeof *d->values);
    const char *fp = wf_calibration_fingerprint(post);
    d->fingerprint = malloc(strlen(fp) + 1);
    int ok = d->keys && d->particle && d->values && d->fingerprint;
    if (ok) strcpy(d->fingerprint, fp);
    for (size_t k = 0; ok && k < K; k++) {
        const char *key = wf_calibration_key(post, k);
        ok = (d->keys[k] = malloc(strlen(key) + 1)) != NULL;
        if (ok) strcpy(d->keys[k], key);
    }
    for (size_t r = 0; ok && r < reps; r++) {
        d->particle[r] = wf_calibration_pick(post, seed, rep_first + r);
        char buf[48];
        for (size_t k = 0; k < K; k++) d->values[r * K + k] = wf_calibration_value(post, d->particle[r], k, buf, sizeof buf);
    }
    if (!ok) {
        wf_post_draws_free(d);
        d = NULL;
    }
    return d;
}

wf_status wf_posterior_check(const wf_calibration *post, const wf_scenario *const *scenarios, size_t n, char *err,
                             size_t errlen)
{
    if (!wf_calibration_has_posterior(post)) {
        snprintf(err, errlen, "the posterior's calibration has no population (run or read one first)");
        return WF_EINVAL;
    }
    size_t K = wf_calibration_n_keys(post);
    /* a posterior key must not differ between the scenarios: it would
     * overwrite what they compare */
    for (size_t k = 0; k < K; k++) {
        const char *key = wf_calibration_key(post, k);
        char *v0 = wf_scenario_get(scenarios[0], key);
        if (!v0) {
            snprintf(err, errlen, "the posterior sets %s, which the scenario does not have: %s", key,
                     wf_scenario_error(scenarios[0]));
            return WF_EKEY;
        }
        for (size_t i = 1; i < n; i++) {
            char *v = wf_scenario_get(scenarios[i], key);
            int same = v && !strcmp(v, v0);
            if (!same)
                snprintf(err, errlen, "the posterior sets %s, which differs between the scenarios ('%s': %s, "
                         "'%s': %s): a calibrated key cannot also be what a comparison changes",
                         key, wf_scenario_name(scenarios[0]), v0, wf_scenario_name(scenarios[i]), v ? v : "?");
            wf_free(v);
            if (!same) {
                wf_free(v0);
                return WF_EINVAL;
            }
        }
        wf_free(v0);
    }
    return WF_OK;
}

wf_status wf_posterior_configs(const wf_calibration *post, const wf_scenario *const *scenarios, size_t n,
                               size_t rep_first, size_t reps, uint64_t seed, wf_config ***out,
                               wf_post_draws **draws, char *err, size_t errlen)
{
    *out = NULL;
    *draws = NULL;
    wf_status st = wf_posterior_check(post, scenarios, n, err, errlen);
    if (st != WF_OK) return st;
    size_t K = wf_calibration_n_keys(post);
    wf_post_draws *d = wf_posterior_draws(post, rep_first, reps, seed);
    wf_config **cfg = calloc(n * reps + 1, sizeof *cfg);
    st = d && cfg ? WF_OK : WF_ENOMEM;
    for (size_t i = 0; i < n && st == WF_OK; i++)
        for (size_t r = 0; r < reps && st == WF_OK; r++) {
            wf_scenario *s = wf_scenario_clone(scenarios[i]);
            if (!s) {
                st = WF_ENOMEM;
                break;
            }
            for (size_t k = 0; k < K && st == WF_OK; k++) {
                char v[48];
                wf_calibration_value(post, d->particle[r], k, v, sizeof v);
                if ((st = wf_scenario_set(s, d->keys[k], v)) != WF_OK)
                    snprintf(err, errlen, "the posterior's %s=%s: %s", d->keys[k], v, wf_scenario_error(s));
            }
            char msg[512];
            if (st == WF_OK && ((st = wf_config_build(s, &cfg[i * reps + r], msg, sizeof msg)) != WF_OK ||
                                (st = wf_config_runnable(s, cfg[i * reps + r], msg, sizeof msg)) != WF_OK))
                snprintf(err, errlen, "replicate %zu with its posterior draw (particle %zu): %s", rep_first + r + 1,
                         d->particle[r] + 1, msg);
            wf_scenario_destroy(s);
        }
    if (st == WF_ENOMEM) snprintf(err, errlen, "out of memory");
    if (st != WF_OK) {
        wf_posterior_configs_free(cfg, n * reps, d);
        return st;
    }
    *out = cfg;
    *draws = d;
    return WF_OK;
}

const char *wf_posterior_conflict(const wf_calibration *post, const wf_design *d)
{
    for (size_t k = 0; k < wf_calibration_n_keys(post); k++)
        for (size_t j = 0; j < wf_design_n_keys(d); j++)
            if (!strcmp(wf_calibration_key(post, k), wf_design_key(d, j))) return wf_design_key(d, j);
    return NULL;
}
