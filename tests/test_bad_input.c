/* Malformed scenarios, table-driven: every tests/bad_input/NAME.yaml starts
 * with "# expect: <fragment of the message>", and may say anywhere
 * "# line: N" (the line the message must point at). Each must fail to load
 * or validate, with a message naming the file, the line, and the problem. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "winterflow.h"

#define DIR_ WF_SOURCE_DIR "/tests/bad_input"

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *empty_yaml; /* to_yaml of an empty scenario */

static void one(const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", DIR_, name);
    FILE *f = fopen(path, "rb");
    CHECKF(f != NULL, "%s: cannot open", name);
    if (!f) return;
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char expect[512] = "";
    int line = 0;
    if (!strncmp(text, "# expect: ", 10)) {
        size_t l = strcspn(text + 10, "\r\n");
        if (l >= sizeof expect) l = sizeof expect - 1;
        memcpy(expect, text + 10, l);
        expect[l] = '\0';
    }
    const char *ln = strstr(text, "\n# line: ");
    if (ln) line = atoi(ln + 9);
    CHECKF(*expect, "%s: no '# expect:' first line", name);

    wf_scenario *s = wf_scenario_create();
    wf_status st = wf_scenario_load_file(s, path);
    const char *stage = "load";
    if (st == WF_OK) {
        stage = "validate";
        st = wf_scenario_validate(s);
    }
    const char *msg = wf_scenario_error(s);
    CHECKF(st == WF_EPARSE || st == WF_EKEY || st == WF_ETYPE || st == WF_ERANGE || st == WF_EIO,
           "%s: %s gave status %d (%s)", name, stage, (int)st, msg);
    CHECKF(strstr(msg, expect) != NULL, "%s: message '%s' lacks '%s'", name, msg, expect);
    CHECKF(strstr(msg, name) != NULL, "%s: message '%s' does not name the file", name, msg);
    if (line) {
        char at[600];
        snprintf(at, sizeof at, "%s:%d:", name, line);
        CHECKF(strstr(msg, at) != NULL, "%s: message '%s' does not point at line %d", name, msg,
               line);
    }
    /* the scenario is unchanged after a failed load: still empty */
    if (!strcmp(stage, "load")) {
        char *y = wf_scenario_to_yaml(s);
        CHECKF(y && !strcmp(y, empty_yaml), "%s: left changed", name);
        for (int k = 0; k < WF_ORG_SYSTEM; k++)
            CHECKF(wf_scenario_org_count(s, (wf_org_kind)k) == 0, "%s: left an organisation", name);
        wf_free(y);
    }
    printf("ok %-36s %s\n", name, msg);
    wf_scenario_destroy(s);
}

int main(void) {
    wf_scenario *empty = wf_scenario_create();
    empty_yaml = wf_scenario_to_yaml(empty);
    CHECK(empty_yaml != NULL);
    wf_scenario_destroy(empty);
    DIR *d = opendir(DIR_);
    CHECK(d != NULL);
    if (!d) return CHECK_DONE();
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512) {
        size_t l = strlen(e->d_name);
        if (l > 5 && !strcmp(e->d_name + l - 5, ".yaml")) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    CHECKF(n >= 30, "only %zu malformed scenarios", n);
    for (size_t i = 0; i < n; i++) {
        one(names[i]);
        free(names[i]);
    }

    /* a file of zero bytes */
    wf_scenario *s = wf_scenario_create();
    CHECK(wf_scenario_load_file(s, WF_SOURCE_DIR "/tests/fixtures/empty.yaml") == WF_EPARSE);
    CHECK(strstr(wf_scenario_error(s), "empty.yaml:1:1: empty scenario") != NULL);
    /* a missing file, a directory */
    CHECK(wf_scenario_load_file(s, "no/such/scenario.yaml") == WF_EIO);
    CHECK(!strcmp(wf_scenario_error(s), "cannot read 'no/such/scenario.yaml': No such file or directory"));
    CHECK(wf_scenario_load_file(s, WF_SOURCE_DIR "/tests") == WF_EIO);
    CHECK(strstr(wf_scenario_error(s), "cannot read") != NULL);
    /* strings */
    CHECK(wf_scenario_load_string(s, "", "<empty>") == WF_EPARSE);
    CHECK(strstr(wf_scenario_error(s), "<empty>:1:1: empty scenario") != NULL);
    CHECK(wf_scenario_load_string(s, "hospitals: {city: {beds: x}}", NULL) == WF_ETYPE);
    CHECK(strstr(wf_scenario_error(s), "<string>:1:20: hospitals.city.beds: expected a whole number") != NULL);
    /* API misuse */
    CHECK(wf_scenario_set(s, NULL, "1") == WF_EINVAL);
    CHECK(wf_scenario_load_file(NULL, "x") == WF_EINVAL);
    /* after all that, still empty: it resolves, but a run needs organisations */
    char *y = wf_scenario_to_yaml(s);
    CHECK(y && !strcmp(y, empty_yaml));
    wf_free(y);
    CHECK(wf_scenario_validate(s) == WF_EKEY);
    wf_scenario_destroy(s);
    wf_free(empty_yaml);
    return CHECK_DONE();
}
