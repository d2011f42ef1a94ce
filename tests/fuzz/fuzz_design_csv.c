/* The CSV design reader (wf_design_read_csv, `sweep --design-file`). An
 * input is the file. Promises checked: a failure has a message and the
 * status the header documents (WF_EPARSE for a malformed file, WF_ENOMEM);
 * a design that reads validates or says why (WF_EINVAL); and each of its
 * first points applied to tests/cli/tiny.yaml gives a scenario or a message
 * naming the point, never a crash. */
#include "fuzz.h"

static wf_scenario *base;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    base = fuzz_tiny(NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("design.csv", data, size);
    wf_design *d = wf_design_create();
    FUZZ_REQUIRE(d != NULL, "out of memory");
    wf_status st = wf_design_read_csv(d, path);
    if (st != WF_OK) {
        FUZZ_REQUIRE(st == WF_EPARSE || st == WF_ENOMEM, "read_csv: %s", wf_status_str(st));
        FUZZ_REQUIRE(wf_design_error(d)[0] != 0, "read_csv failed (%s) with no message", wf_status_str(st));
        fuzz_say("read: %s\n", wf_design_error(d));
        goto done;
    }
    st = wf_design_validate(d);
    if (st != WF_OK) {
        FUZZ_REQUIRE(wf_design_error(d)[0] != 0, "validate failed (%s) with no message", wf_status_str(st));
        fuzz_say("validate: %s\n", wf_design_error(d));
        goto done;
    }
    size_t n = wf_design_n_points(d), k = wf_design_n_keys(d);
    FUZZ_REQUIRE(n > 0, "a valid design with no points");
    fuzz_say("%zu points, %zu keys\n", n, k);
    for (size_t j = 0; j < k; j++) {
        FUZZ_REQUIRE(wf_design_key(d, j) != NULL, "key %zu is NULL", j);
        (void)wf_design_numeric(d, j);
    }
    for (size_t p = 0; p < n && p < 8; p++) {
        FUZZ_REQUIRE(wf_design_label(d, p) != NULL, "point %zu has no label", p);
        for (size_t j = 0; j < k; j++) (void)wf_design_value(d, p, j);
        wf_scenario *s = NULL;
        st = wf_design_scenario(d, p, base, &s);
        if (st == WF_OK) {
            FUZZ_REQUIRE(s != NULL, "point %zu: OK and no scenario", p);
            st = wf_scenario_validate(s);
            FUZZ_REQUIRE(st == WF_OK || wf_scenario_error(s)[0], "point %zu: invalid with no message", p);
            fuzz_say("point %zu (%s): %s\n", p, wf_design_label(d, p), st == WF_OK ? "valid" : wf_scenario_error(s));
        } else {
            FUZZ_REQUIRE(s == NULL && wf_design_error(d)[0], "point %zu failed (%s): a scenario or no message", p,
                         wf_status_str(st));
            fuzz_say("point %zu: %s\n", p, wf_design_error(d));
        }
        wf_scenario_destroy(s);
    }
done:
    wf_design_destroy(d);
    return 0;
}
