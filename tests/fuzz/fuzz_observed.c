/* The observed-data reader of calibration (wf_calibration_observe,
 * `calibrate --observed`). An input is the CSV file. Promises checked: a
 * failure has a message and a documented status (WF_EPARSE for a malformed
 * file or row, WF_EIO for one that cannot be read, WF_ENOMEM); data that
 * read are checked against tests/cli/tiny.yaml by wf_calibration_open
 * (nothing saved, nothing run), which accepts them or says why. */
#include "fuzz.h"

static wf_scenario *base;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const sets[] = {"run.days=60", NULL};
    base = fuzz_tiny(sets);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("observed.csv", data, size);
    wf_calibration *c = wf_calibration_create();
    FUZZ_REQUIRE(c != NULL, "out of memory");
    wf_status st = wf_calibration_observe(c, path);
    if (st != WF_OK) {
        FUZZ_REQUIRE(st == WF_EPARSE || st == WF_EIO || st == WF_ENOMEM, "observe: %s", wf_status_str(st));
        FUZZ_REQUIRE(wf_calibration_error(c)[0] != 0, "observe failed (%s) with no message", wf_status_str(st));
        fuzz_say("observe: %s\n", wf_calibration_error(c));
        goto done;
    }
    st = wf_calibration_vary(c, "hospitals.city.beds=40:80");
    FUZZ_REQUIRE(st == WF_OK, "vary: %s", wf_calibration_error(c));
    wf_calibration_options o;
    wf_calibration_options_init(&o, sizeof o);
    o.threads = 1;
    st = wf_calibration_open(c, base, NULL, &o);
    FUZZ_REQUIRE(st == WF_OK || wf_calibration_error(c)[0] != 0, "open failed (%s) with no message",
                 wf_status_str(st));
    fuzz_say("open: %s\n", st == WF_OK ? "the data fit the scenario" : wf_calibration_error(c));
done:
    wf_calibration_destroy(c);
    return 0;
}
