/* The helpers of fuzz.h. */
#include "fuzz.h"

#include <unistd.h>

int fuzz_replay;
static char dir[256];

static void remove_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static const char *path_of(const char *name)
{
    static struct {
        char name[32], path[512];
    } known[8];
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/wf_fuzz_XXXXXX", tmp && *tmp ? tmp : "/tmp");
        FUZZ_REQUIRE(mkdtemp(dir) != NULL, "cannot make a folder in %s", tmp && *tmp ? tmp : "/tmp");
        atexit(remove_dir);
    }
    size_t i = 0;
    while (i < 8 && known[i].name[0] && strcmp(known[i].name, name) != 0) i++;
    FUZZ_REQUIRE(i < 8 && strlen(name) < sizeof known[i].name, "too many files or too long a name: %s", name);
    snprintf(known[i].name, sizeof known[i].name, "%s", name);
    snprintf(known[i].path, sizeof known[i].path, "%s/%s", dir, name);
    return known[i].path;
}

const char *fuzz_file(const char *name, const void *data, size_t size)
{
    const char *path = path_of(name);
    FILE *f = fopen(path, "wb");
    FUZZ_REQUIRE(f != NULL, "cannot write %s", path);
    FUZZ_REQUIRE(fwrite(data, 1, size, f) == size && fclose(f) == 0, "cannot write %s", path);
    return path;
}

wf_scenario *fuzz_tiny(const char *const *sets)
{
    wf_scenario *s = wf_scenario_create();
    FUZZ_REQUIRE(s && wf_scenario_load_file(s, WF_SOURCE_DIR "/tests/cli/tiny.yaml") == WF_OK,
                 "tests/cli/tiny.yaml: %s", s ? wf_scenario_error(s) : "out of memory");
    for (; sets && *sets; sets++) {
        char key[128];
        const char *eq = strchr(*sets, '=');
        FUZZ_REQUIRE(eq && (size_t)(eq - *sets) < sizeof key, "not KEY=VALUE: %s", *sets);
        snprintf(key, sizeof key, "%.*s", (int)(eq - *sets), *sets);
        FUZZ_REQUIRE(wf_scenario_set(s, key, eq + 1) == WF_OK, "%s: %s", *sets, wf_scenario_error(s));
    }
    FUZZ_REQUIRE(wf_scenario_validate(s) == WF_OK, "tests/cli/tiny.yaml: %s", wf_scenario_error(s));
    return s;
}

char *fuzz_text(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    FUZZ_REQUIRE(t != NULL, "out of memory");
    memcpy(t, data, size);
    t[size] = 0;
    return t;
}
