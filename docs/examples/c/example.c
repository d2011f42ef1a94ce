/*
 * A minimal winterflow program: run one scenario under the fragmented and
 * the integrated partnership presets with common random numbers, and print
 * the system's delayed bed-days under each and their paired difference.
 *
 *   example SCENARIO [REPLICATES]
 *
 * Build it with CMake (see CMakeLists.txt here) or with pkg-config:
 *   cc example.c $(pkg-config --cflags --libs winterflow) -o example
 */
#include <stdio.h>
#include <stdlib.h>

#include <winterflow.h>

static wf_scenario *load(const char *path, const char *preset)
{
    wf_scenario *s = wf_scenario_create();
    if (!s)
        return NULL;
    if (wf_scenario_load_file(s, path) != WF_OK ||
        wf_scenario_set(s, "partnership.preset", preset) != WF_OK ||
        wf_scenario_validate(s) != WF_OK) {
        fprintf(stderr, "example: %s\n", wf_scenario_error(s));
        wf_scenario_destroy(s);
        return NULL;
    }
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: example SCENARIO [REPLICATES]\n");
        return 2;
    }
    printf("winterflow %s\n", wf_version());

    wf_scenario *frag = load(argv[1], "fragmented");
    wf_scenario *integ = frag ? load(argv[1], "integrated") : NULL;
    wf_results *r = wf_results_create();
    int rc = 1;
    if (!frag || !integ || !r)
        goto out;

    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    if (argc == 3)
        o.replicates = atoi(argv[2]);
    const wf_scenario *const both[] = {frag, integ};
    if (wf_run(r, both, 2, &o) != WF_OK) {
        fprintf(stderr, "example: %s\n", wf_results_error(r));
        goto out;
    }

    size_t m = wf_metric_find("delayed_bed_days");
    size_t sys = wf_results_org_find(r, "system");
    wf_stat a, b, d;
    if (wf_results_stat(r, 0, m, sys, &a) != WF_OK ||
        wf_results_stat(r, 1, m, sys, &b) != WF_OK ||
        wf_results_paired(r, 0, 1, m, sys, &d) != WF_OK) {
        fprintf(stderr, "example: %s\n", wf_results_error(r));
        goto out;
    }
    printf("%zu replicates of %zu days from %s\n", wf_results_n_replicates(r),
           wf_results_n_days(r), wf_results_date(r, 0));
    printf("delayed bed-days, whole system (%s)\n", wf_metric_unit(m));
    printf("  fragmented  %12.1f  [%.1f, %.1f]\n", a.mean, a.lo, a.hi);
    printf("  integrated  %12.1f  [%.1f, %.1f]\n", b.mean, b.lo, b.hi);
    printf("  difference  %12.1f  [%.1f, %.1f]  (integrated - fragmented)\n",
           d.mean, d.lo, d.hi);
    rc = 0;
out:
    wf_results_destroy(r);
    wf_scenario_destroy(integ);
    wf_scenario_destroy(frag);
    return rc;
}
