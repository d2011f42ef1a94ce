/* Reading scenario files: a file's `extends:` base is loaded first (path
 * relative to the including file), then the file's own keys; chains are
 * allowed, cycles are an error naming the chain. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

typedef struct {
    char *real[WF_MAX_EXTENDS];
    const char *shown[WF_MAX_EXTENDS];
    int n;
    bool sealed; /* text that must name no file: `extends:` is refused, not read */
} chain_t;

static wf_status load_file(wf_scenario *s, const char *path, chain_t *ch, char *err,
                           size_t errlen);

/* Walk one parsed document: its base first, then its keys. */
static wf_status load_tree(wf_scenario *s, const wf_node *root, const char *origin,
                           const char *dir, chain_t *ch, char *err, size_t errlen) {
    if (root->kind != WF_NODE_MAP) {
        char d[64];
        wf_node_describe(root, d, sizeof d);
        wf_errf(err, errlen, "%s:%d:%d: the top level must be a map of keys (name:, run:, "
                "hospitals:, ...), got %s", origin, root->line, root->col, d);
        return WF_ETYPE;
    }
    for (size_t i = 0; i < root->n; i++) {
        if (strcmp(root->keys[i]->text, "extends")) continue;
        const wf_node *v = root->items[i], *k = root->keys[i];
        if (ch->sealed) {
            /* A stored scenario (a results file's) is resolved: its writer
             * never stores `extends`, so one there was put by someone else,
             * and no path in untrusted text is ever followed. */
            wf_errf(err, errlen, "%s:%d:%d: extends: not allowed here (a stored scenario is "
                    "self-contained; no file it names is read)", origin, k->line, k->col);
            return WF_EKEY;
        }
        if (v->kind != WF_NODE_SCALAR || wf_node_is_null(v)) {
            char d[64];
            wf_node_describe(v, d, sizeof d);
            wf_errf(err, errlen, "%s:%d:%d: extends: expected a file name, got %s", origin,
                    k->line, k->col, d);
            return WF_ETYPE;
        }
        char base[PATH_MAX];
        if (v->text[0] == '/' || !dir || !*dir)
            snprintf(base, sizeof base, "%s", v->text);
        else
            snprintf(base, sizeof base, "%s/%s", dir, v->text);
        char sub[WF_ERRLEN];
        wf_status st = load_file(s, base, ch, sub, sizeof sub);
        if (st == WF_EIO && !strncmp(sub, "cannot read", 11)) {
            wf_errf(err, errlen, "%s:%d:%d: extends: %s", origin, k->line, k->col, sub);
            return st;
        }
        if (st == WF_EKEY && !strncmp(sub, "extends cycle", 13)) {
            wf_errf(err, errlen, "%s:%d:%d: extends: %s", origin, k->line, k->col, sub);
            return st;
        }
        if (st) {
            wf_errf(err, errlen, "%s", sub);
            return st;
        }
    }
    const wf_node *ext = wf_node_get(root, "extends");
    for (size_t i = 0; i < root->n; i++)
        if (!strcmp(root->keys[i]->text, "replace")) {
            wf_status st = wf_replace_sections(s, root->keys[i], root->items[i],
                                               ext && !wf_node_is_null(ext), origin, err, errlen);
            if (st) return st;
        }
    wf_walk w = {.sc = s, .declare = true, .src = origin, .src_is_file = true, .err = err,
                 .errlen = errlen};
    return wf_walk_top(&w, root);
}

static wf_status load_file(wf_scenario *s, const char *path, chain_t *ch, char *err,
                           size_t errlen) {
    char *text = NULL;
    size_t len = 0;
    wf_status st = wf_read_file(path, &text, &len, err, errlen);
    if (st) return st;
    char *real = realpath(path, NULL);
    if (!real) {
        wf_errf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        free(text);
        return WF_EIO;
    }
    for (int i = 0; i < ch->n; i++)
        if (!strcmp(ch->real[i], real)) {
            char msg[WF_ERRLEN];
            size_t at = 0;
            at += (size_t)snprintf(msg, sizeof msg, "extends cycle: ");
            for (int j = i; j < ch->n && at < sizeof msg; j++)
                at += (size_t)snprintf(msg + at, sizeof msg - at, "%s -> ", ch->shown[j]);
            if (at < sizeof msg) snprintf(msg + at, sizeof msg - at, "%s", path);
            wf_errf(err, errlen, "%s", msg);
            free(real);
            free(text);
            return WF_EKEY;
        }
    if (ch->n == WF_MAX_EXTENDS) {
        wf_errf(err, errlen, "%s: extends: the chain of bases is longer than %d files", path,
                WF_MAX_EXTENDS);
        free(real);
        free(text);
        return WF_EKEY;
    }
    ch->real[ch->n] = real;
    ch->shown[ch->n] = path;
    ch->n++;

    wf_node *root = NULL;
    st = wf_yaml_parse(text, len, path, false, &root, err, errlen);
    free(text);
    if (!st) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = '\0';
        else snprintf(dir, sizeof dir, ".");
        if (slash == dir) snprintf(dir, sizeof dir, "/");
        st = load_tree(s, root, path, dir, ch, err, errlen);
    }
    wf_node_free(root);
    ch->n--;
    free(ch->real[ch->n]);
    return st;
}

wf_status wf_load_file_into(wf_scenario *s, const char *path, char *err, size_t errlen) {
    chain_t ch = {.n = 0};
    return load_file(s, path, &ch, err, errlen);
}

wf_status wf_load_text_into(wf_scenario *s, const char *text, size_t len, const char *origin,
                            bool sealed, char *err, size_t errlen) {
    wf_node *root = NULL;
    wf_status st = wf_yaml_parse(text, len, origin, false, &root, err, errlen);
    if (st) return st;
    chain_t ch = {.n = 0, .sealed = sealed};
    st = load_tree(s, root, origin, ".", &ch, err, errlen);
    wf_node_free(root);
    return st;
}
