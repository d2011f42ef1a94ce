/* ABI: a program compiled against the header of an earlier build
 * (winterflow_v1.h, frozen) runs against this build's shared library. Its
 * option structs are the older, shorter ones (wf_run_options without
 * `cancel`): the library must read only what they hold and default the
 * rest, and every call the old header declares must still behave.
 *   abi_v1 SCENARIO */
#include <stdio.h>
#include <string.h>

#include "winterflow_v1.h"

static int failures = 0;
#define EXPECT(c) do { if (!(c)) { failures++; fprintf(stderr, "abi_v1.c:%d: %s\n", __LINE__, #c); } } while (0)

static int calls = 0;
static int on_progress(void *user, size_t done, size_t total)
{
    (void)user, (void)done, (void)total;
    calls++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: abi_v1 SCENARIO OUT.h5\n");
        return 2;
    }
    printf("compiled against winterflow %s (%d), running with %s\n", WF_VERSION, WF_VERSION_NUMBER,
           wf_version());
    EXPECT(wf_version_number() >= WF_VERSION_NUMBER);

    wf_scenario *s = wf_scenario_create();
    EXPECT(wf_scenario_load_file(s, argv[1]) == WF_OK);
    char *y = wf_scenario_to_yaml(s);
    EXPECT(y && strstr(y, "run:"));
    wf_free(y);

    /* The old struct, 56 bytes on LP64: the library's is longer now. */
    wf_run_options o;
    memset(&o, 0xAB, sizeof o);  /* garbage everywhere, as on a real stack */
    EXPECT(wf_run_options_init(&o, sizeof o) == WF_OK);
    EXPECT(o.size == sizeof o && o.replicates == 0 && o.seed == -1 && o.threads == 0 &&
           o.progress == NULL && o.event_log == 0);
    o.replicates = 2;
    o.threads = 1;
    o.progress = on_progress;
    wf_results *r = wf_results_create();
    const wf_scenario *list[1] = {s};
    wf_status st = wf_run(r, list, 1, &o);
    EXPECT(st == WF_OK);
    if (st != WF_OK)
        fprintf(stderr, "wf_run: %s\n", wf_results_error(r));
    EXPECT(calls == 2 && wf_results_n_replicates(r) == 2);
    EXPECT(wf_results_org_find(r, "nowhere") == WF_NOT_FOUND);

    wf_write_options w;
    memset(&w, 0xCD, sizeof w);
    EXPECT(wf_write_options_init(&w, sizeof w) == WF_OK);
    EXPECT(w.overwrite == 0 && w.command_line == NULL && w.n_coords == 0);
    w.overwrite = 1;
    st = wf_results_write(r, list, 1, argv[2], &w);
    EXPECT(st == WF_OK);
    if (st != WF_OK)
        fprintf(stderr, "wf_results_write: %s\n", wf_results_error(r));
    wf_results *back = wf_results_create();
    EXPECT(wf_results_read(back, argv[2]) == WF_OK && wf_results_n_replicates(back) == 2);

    /* A struct shorter than the first version had is refused. */
    EXPECT(wf_run_options_init(&o, sizeof(size_t)) == WF_EINVAL);

    wf_results_destroy(back);
    wf_results_destroy(r);
    wf_scenario_destroy(s);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
