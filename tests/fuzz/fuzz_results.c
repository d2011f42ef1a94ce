/* The results-file reader, as each of its users reaches it: reading
 * (`FILE.h5#i`, compare, Python), loading a stored scenario, appending to
 * the file, and resuming a sweep on it. An input is the file.
 *
 * Promises checked: a file that is refused gets WF_EIO (or WF_ENOMEM) and
 * a message; a file that reads answers every accessor within its
 * dimensions; a stored scenario loads or says why, and never follows a
 * path; an append either refuses with a message or leaves a file that
 * reads again with one scenario more; a sweep opened on the file either
 * accepts it or refuses it with a message. The run appended (and the
 * sweep's base) is tests/cli/tiny.yaml for 10 days, 2 replicates, seed 42:
 * the seed corpus holds files written by that run, so appends and resumes
 * succeed on them and their mutants reach the checks beyond the first. */
#include "fuzz.h"

static wf_scenario *base;
static wf_results *run;
static wf_design *design;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const sets[] = {"run.days=10", "run.replicates=2", NULL};
    base = fuzz_tiny(sets);
    run = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.threads = 1;
    const wf_scenario *one = base;
    FUZZ_REQUIRE(run && wf_run(run, &one, 1, &o) == WF_OK, "the run to append");
    design = wf_design_create();
    FUZZ_REQUIRE(design && wf_design_vary(design, "hospitals.city.beds=60,70") == WF_OK &&
                     wf_design_validate(design) == WF_OK,
                 "the design");
    return 0;
}

static void refused(wf_status st, const char *msg, const char *what)
{
    FUZZ_REQUIRE(st == WF_EIO || st == WF_ENOMEM, "%s: %s: %s", what, wf_status_str(st), msg);
    FUZZ_REQUIRE(msg[0] != 0, "%s refused (%s) with no message", what, wf_status_str(st));
}

/* Every accessor of results read from a file, within its dimensions. */
static void look(const wf_results *r)
{
    size_t ns = wf_results_n_scenarios(r), nr = wf_results_n_replicates(r), nd = wf_results_n_days(r),
           no = wf_results_n_orgs(r), nm = wf_metric_count();
    FUZZ_REQUIRE(ns > 0 && nr > 0 && nd > 0 && no > 0, "read with a zero dimension: %zu %zu %zu %zu", ns, nr,
                 nd, no);
    for (size_t i = 0; i < no; i++) {
        const char *name = wf_results_org_name(r, i), *kind = wf_results_org_kind(r, i);
        FUZZ_REQUIRE(name && kind, "organisation %zu: no name or kind", i);
        FUZZ_REQUIRE(wf_results_org_find(r, name) != WF_NOT_FOUND, "organisation %s not found by name", name);
    }
    for (size_t day = 0; day < nd; day++) FUZZ_REQUIRE(wf_results_date(r, day) != NULL, "day %zu: no date", day);
    for (size_t s = 0; s < ns; s++) {
        FUZZ_REQUIRE(wf_results_scenario_name(r, s) != NULL, "scenario %zu: no name", s);
        for (size_t m = 0; m < nm; m++) {
            const double *x = wf_results_summary(r, s, m);
            double sum = 0;
            if (x)
                for (size_t i = 0; i < nr * no; i++) sum += x[i];
            const double *y = wf_results_daily(r, s, m);
            if (y)
                for (size_t i = 0; i < nr * no * nd; i++) sum += y[i];
            (void)sum;
        }
        wf_scenario *sc = wf_scenario_create();
        FUZZ_REQUIRE(sc != NULL, "out of memory");
        wf_status st = wf_results_load_scenario(r, s, sc, NULL);
        if (st == WF_OK) {
            st = wf_scenario_validate(sc);
            FUZZ_REQUIRE(st == WF_OK || wf_scenario_error(sc)[0], "stored scenario %zu: invalid, no message", s);
        } else {
            FUZZ_REQUIRE(wf_scenario_error(sc)[0] != 0, "stored scenario %zu: %s, no message", s, wf_status_str(st));
        }
        wf_scenario_destroy(sc);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* read */
    const char *in = fuzz_file("in.h5", data, size);
    wf_results *r = wf_results_create();
    FUZZ_REQUIRE(r != NULL, "out of memory");
    wf_status st = wf_results_read(r, in);
    size_t ns = 0;
    if (st == WF_OK) {
        ns = wf_results_n_scenarios(r);
        fuzz_say("read: %zu scenarios\n", ns);
        look(r);
    } else {
        refused(st, wf_results_error(r), "read");
        fuzz_say("read: refused: %s\n", wf_results_error(r));
    }

    /* append (to a copy: the append replaces the file) */
    const char *app = fuzz_file("append.h5", data, size);
    const wf_scenario *one = base;
    st = wf_results_append(run, &one, 1, app, NULL);
    if (st == WF_OK) {
        FUZZ_REQUIRE(ns > 0, "appended to a file that does not read");
        st = wf_results_read(r, app);
        FUZZ_REQUIRE(st == WF_OK, "the appended file does not read: %s", wf_results_error(r));
        FUZZ_REQUIRE(wf_results_n_scenarios(r) == ns + 1, "appended: %zu scenarios, not %zu",
                     wf_results_n_scenarios(r), ns + 1);
        fuzz_say("append: done\n");
    } else {
        refused(st, wf_results_error(run), "append");
        fuzz_say("append: refused: %s\n", wf_results_error(run));
    }

    /* resume a sweep on it (opening checks the file; nothing runs) */
    const char *sw_path = fuzz_file("sweep.h5", data, size);
    wf_sweep *sw = wf_sweep_create();
    wf_sweep_options o;
    wf_sweep_options_init(&o, sizeof o);
    o.threads = 1;
    FUZZ_REQUIRE(sw != NULL, "out of memory");
    st = wf_sweep_open(sw, base, design, sw_path, &o);
    if (st == WF_OK) {
        FUZZ_REQUIRE(wf_sweep_n_saved(sw) <= 2, "a sweep of 2 points holds %zu", wf_sweep_n_saved(sw));
        fuzz_say("resume: %zu of 2 points saved\n", wf_sweep_n_saved(sw));
    } else {
        refused(st, wf_sweep_error(sw), "resume");
        fuzz_say("resume: refused: %s\n", wf_sweep_error(sw));
    }
    wf_sweep_destroy(sw);
    wf_results_destroy(r);
    return 0;
}
