/* The scenario loader, --set and validation. An input is YAML text,
 * optionally followed by a NUL byte and lines KEY=VALUE (each set as
 * `--set` sets it), so the shipped models are inputs as they are.
 *
 * Promises checked: every failure has a message; a scenario that validates
 * writes YAML that loads, validates and writes the same YAML again (the
 * round trip); and, with WF_FUZZ_RUN=1 in the environment (the test
 * fuzz_runs_validated, over the corpus), it runs: every check a run makes
 * belongs to validation. The run is one replicate of at most 30 days (with
 * the warm-up cut to fit) on one thread, so that a corpus of large models
 * stays quick; what is cut is the length, not the checks.
 *
 * The target works in models/partnership, so that the shipped lever files
 * (extends: ../reference.yaml) load as they do from there. */
#include "fuzz.h"

#include <unistd.h>

static int run_validated;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *e = getenv("WF_FUZZ_RUN");
    run_validated = e && strcmp(e, "1") == 0;
    FUZZ_REQUIRE(chdir(WF_SOURCE_DIR "/models/partnership") == 0, "cannot work in models/partnership");
    return 0;
}

static void check_failed(wf_status st, const wf_scenario *s, const char *what)
{
    FUZZ_REQUIRE(st != WF_OK, "%s", what);
    FUZZ_REQUIRE(wf_scenario_error(s)[0] != 0, "%s failed (%s) with no message", what, wf_status_str(st));
    fuzz_say("%s: %s\n", what, wf_scenario_error(s));
}

static void round_trip(const wf_scenario *s)
{
    char *yaml = wf_scenario_to_yaml(s);
    FUZZ_REQUIRE(yaml != NULL, "to_yaml of a valid scenario: %s", wf_scenario_error(s));
    wf_scenario *again = wf_scenario_create();
    FUZZ_REQUIRE(again != NULL, "out of memory");
    wf_status st = wf_scenario_load_string(again, yaml, "<round trip>");
    FUZZ_REQUIRE(st == WF_OK, "its YAML does not load: %s\n%s", wf_scenario_error(again), yaml);
    st = wf_scenario_validate(again);
    FUZZ_REQUIRE(st == WF_OK, "its YAML does not validate: %s\n%s", wf_scenario_error(again), yaml);
    char *yaml2 = wf_scenario_to_yaml(again);
    FUZZ_REQUIRE(yaml2 && strcmp(yaml, yaml2) == 0, "the round trip changes the YAML:\n%s\n---\n%s", yaml,
                 yaml2 ? yaml2 : "(null)");
    wf_free(yaml2);
    wf_free(yaml);
    wf_scenario_destroy(again);
}

static long get_long(const wf_scenario *s, const char *key)
{
    char *v = wf_scenario_get(s, key);
    FUZZ_REQUIRE(v != NULL, "get %s of a valid scenario: %s", key, wf_scenario_error(s));
    long n = strtol(v, NULL, 10);
    wf_free(v);
    return n;
}

static void run_it(const wf_scenario *valid)
{
    wf_scenario *s = wf_scenario_clone(valid);
    FUZZ_REQUIRE(s != NULL, "out of memory");
    long days = get_long(s, "run.days"), warmup = get_long(s, "run.warmup_days");
    char v[32];
    if (days > 30) {
        snprintf(v, sizeof v, "%d", 30);
        FUZZ_REQUIRE(wf_scenario_set(s, "run.days", v) == WF_OK, "%s", wf_scenario_error(s));
    }
    if (warmup > 30) FUZZ_REQUIRE(wf_scenario_set(s, "run.warmup_days", "30") == WF_OK, "%s", wf_scenario_error(s));
    FUZZ_REQUIRE(wf_scenario_validate(s) == WF_OK, "shortened to 30 days it no longer validates: %s",
                 wf_scenario_error(s));
    wf_results *r = wf_results_create();
    FUZZ_REQUIRE(r != NULL, "out of memory");
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 1;
    o.threads = 1;
    const wf_scenario *one = s;
    wf_status st = wf_run(r, &one, 1, &o);
    FUZZ_REQUIRE(st == WF_OK, "validates but does not run: %s: %s", wf_status_str(st), wf_results_error(r));
    fuzz_say("ran 1 replicate of %ld days\n", days > 30 ? 30 : days);
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    size_t yaml_len = strlen(text);  /* up to the first NUL */
    wf_scenario *s = wf_scenario_create();
    FUZZ_REQUIRE(s != NULL, "out of memory");
    wf_status st = wf_scenario_load_string(s, text, "<fuzz>");
    if (st != WF_OK) {
        check_failed(st, s, "load");
        goto done;
    }
    /* the --set lines */
    char *line = yaml_len < size ? text + yaml_len + 1 : NULL;
    while (line && line < text + size) {
        char *end = memchr(line, '\n', (size_t)(text + size - line));
        if (end) *end = 0;
        char *eq = strchr(line, '=');
        if (eq) {
            *eq = 0;
            st = wf_scenario_set(s, line, eq + 1);
            if (st != WF_OK) check_failed(st, s, "set");
        }
        line = end ? end + 1 : NULL;
    }
    st = wf_scenario_validate(s);
    if (st != WF_OK) {
        check_failed(st, s, "validate");
        goto done;
    }
    round_trip(s);
    fuzz_say("validates; its YAML round-trips\n");
    if (run_validated) run_it(s);
done:
    wf_scenario_destroy(s);
    free(text);
    return 0;
}
