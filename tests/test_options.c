/* Option structs that carry their size (winterflow.h, "Option structs"): a
 * struct from a newer header is accepted when the options this library does
 * not know are zero, refused when one is set (a new option is never
 * silently ignored); a struct that was never set up is refused. The other
 * direction, an older program against this library, is tests/abi/. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "engine_util.h"

/* What a program built against a later header might pass. */
typedef struct {
    wf_run_options now;
    int64_t future_option;
} newer_run_options;

typedef struct {
    wf_write_options now;
    double future_option;
} newer_write_options;

int main(void)
{
    wf_scenario *s = eu_file(WF_SOURCE_DIR "/tests/cli/tiny.yaml");
    const wf_scenario *list[1] = {s};
    wf_results *r = wf_results_create();

    newer_run_options n;
    memset(&n, 0xEE, sizeof n);
    CHECK(wf_run_options_init(&n.now, sizeof n) == WF_OK);
    CHECK(n.now.size == sizeof n && n.future_option == 0 && n.now.seed == -1 && n.now.cancel == NULL);
    n.now.replicates = 1;
    CHECK(wf_run(r, list, 1, &n.now) == WF_OK);
    n.future_option = 7;
    CHECK(wf_run(r, list, 1, &n.now) == WF_EINVAL);
    CHECKF(strstr(wf_results_error(r), "does not know") != NULL, "%s", wf_results_error(r));

    /* never initialised: size 0 */
    wf_run_options z;
    memset(&z, 0, sizeof z);
    CHECK(wf_run(r, list, 1, &z) == WF_EINVAL);
    CHECK(wf_run_options_init(&z, 3) == WF_EINVAL && wf_run_options_init(NULL, sizeof z) == WF_EINVAL);
    CHECK(wf_run(r, list, 1, NULL) == WF_OK);  /* NULL: the defaults */

    newer_write_options w;
    memset(&w, 0xEE, sizeof w);
    CHECK(wf_write_options_init(&w.now, sizeof w) == WF_OK && w.future_option == 0);
    w.now.overwrite = 1;
    char dir[] = "/tmp/wf_test_options_XXXXXX", path[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/o.h5", dir);
    CHECK(wf_results_write(r, list, 1, path, &w.now) == WF_OK);
    w.future_option = 1.5;
    CHECK(wf_results_write(r, list, 1, path, &w.now) == WF_EINVAL);
    CHECK(strstr(wf_results_error(r), "does not know") != NULL);
    remove(path);
    rmdir(dir);

    wf_results_destroy(r);
    wf_scenario_destroy(s);
    return CHECK_DONE();
}
