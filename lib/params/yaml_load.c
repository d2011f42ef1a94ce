/* YAML text -> value tree. The only file of the library that includes
 * yaml.h. Rejects what a scenario never needs and a reader could misread:
 * aliases and anchors, duplicate keys, non-text keys, several documents,
 * nesting deeper than WF_MAX_DEPTH, NUL bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/strmap.h"
#include "params/internal.h"

#define WF_MAX_FILE (64u << 20)

wf_status wf_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen) {
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        wf_errf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        return WF_EIO;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        wf_errf(err, errlen, "out of memory");
        return WF_ENOMEM;
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= WF_MAX_FILE) {
                free(buf);
                fclose(f);
                wf_errf(err, errlen, "cannot read '%s': larger than %u MiB", path,
                        WF_MAX_FILE >> 20);
                return WF_EIO;
            }
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                fclose(f);
                wf_errf(err, errlen, "out of memory");
                return WF_ENOMEM;
            }
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        fclose(f);
        wf_errf(err, errlen, "cannot read '%s': %s", path, e ? strerror(e) : "read error");
        return WF_EIO;
    }
    fclose(f);
    buf[n] = '\0';
    const char *nul = memchr(buf, '\0', n);
    if (nul) {
        int line = 1;
        for (const char *p = buf; p < nul; p++) line += *p == '\n';
        wf_errf(err, errlen, "%s:%d: binary data (a NUL byte), not a YAML scenario", path, line);
        free(buf);
        return WF_EPARSE;
    }
    *text = buf;
    *len = n;
    return WF_OK;
}

typedef struct {
    wf_node *node;
    wf_node *key;    /* maps: a key waiting for its value */
    wf_strmap seen;  /* maps: key text -> index of its key node, for duplicates */
} frame;

/* Arrays grow by doubling (when n reaches a power of two), so that a map
 * or list of n items costs O(n), not n reallocations. */
static bool append(wf_node *parent, wf_node *key, wf_node *item) {
    size_t n = parent->n;
    if (n == 0 || (n & (n - 1)) == 0) {
        size_t cap = n ? 2 * n : 1;
        wf_node **items = realloc(parent->items, cap * sizeof *items);
        if (!items) return false;
        parent->items = items;
        if (parent->kind == WF_NODE_MAP) {
            wf_node **keys = realloc(parent->keys, cap * sizeof *keys);
            if (!keys) return false;
            parent->keys = keys;
        }
    }
    if (parent->kind == WF_NODE_MAP) parent->keys[n] = key;
    parent->items[parent->n++] = item;
    return true;
}

/* Whether line `line` (0-based) of text has a tab in its indentation or at col. */
static bool tab_near(const char *text, size_t len, size_t line, size_t col) {
    const char *p = text, *end = text + len;
    for (size_t l = 0; l < line && p < end; p++)
        if (*p == '\n') l++;
    for (size_t c = 0; p + c < end && p[c] != '\n'; c++) {
        if (p[c] == '\t' && (c <= col)) return true;
    }
    return false;
}

wf_status wf_yaml_parse(const char *text, size_t len, const char *origin, bool allow_empty,
                        wf_node **out, char *err, size_t errlen) {
    *out = NULL;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        wf_errf(err, errlen, "out of memory");
        return WF_ENOMEM;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);

    frame stack[WF_MAX_DEPTH + 1];
    int depth = 0;
    wf_node *root = NULL;
    int ndocs = 0;
    wf_status st = WF_OK;
    bool done = false;

    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            if (p.error == YAML_MEMORY_ERROR) {
                wf_errf(err, errlen, "out of memory");
                st = WF_ENOMEM;
            } else if (p.error == YAML_READER_ERROR) {
                int line = 1;
                for (size_t i = 0; i < p.problem_offset && i < len; i++) line += text[i] == '\n';
                wf_errf(err, errlen, "%s:%d: not readable as YAML text: %s", origin, line,
                        p.problem ? p.problem : "invalid bytes");
                st = WF_EPARSE;
            } else {
                size_t line = p.problem_mark.line, col = p.problem_mark.column;
                bool tab = tab_near(text, len, line, col) ||
                           (p.context && tab_near(text, len, p.context_mark.line,
                                                  p.context_mark.column));
                wf_errf(err, errlen, "%s:%zu:%zu: YAML syntax error: %s%s%s%s", origin,
                        line + 1, col + 1, p.problem ? p.problem : "malformed YAML",
                        p.context ? " (" : "", p.context ? p.context : "",
                        tab ? (p.context ? "); tabs are not allowed, indent with spaces"
                                         : "; tabs are not allowed, indent with spaces")
                            : (p.context ? ")" : ""));
                st = WF_EPARSE;
            }
            break;
        }
        int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
        wf_node *node = NULL;
        const yaml_char_t *anchor = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++ndocs > 1) {
                wf_errf(err, errlen, "%s:%d:%d: more than one YAML document ('---'); a scenario "
                        "is one document", origin, line, col);
                st = WF_EPARSE;
            }
            break;
        case YAML_ALIAS_EVENT:
            wf_errf(err, errlen, "%s:%d:%d: aliases ('*%s') are not supported in scenarios; "
                    "write the value out, or use 'extends:'", origin, line, col,
                    (const char *)ev.data.alias.anchor);
            st = WF_EPARSE;
            break;
        case YAML_SCALAR_EVENT:
            anchor = ev.data.scalar.anchor;
            if (anchor) break;
            if (memchr(ev.data.scalar.value, '\0', ev.data.scalar.length)) {
                wf_errf(err, errlen, "%s:%d:%d: a NUL character in text", origin, line, col);
                st = WF_EPARSE;
                break;
            }
            node = wf_node_new(WF_NODE_SCALAR, line, col);
            if (node) node->text = malloc(ev.data.scalar.length + 1);
            if (!node || !node->text) {
                st = WF_ENOMEM;
                break;
            }
            memcpy(node->text, ev.data.scalar.value, ev.data.scalar.length);
            node->text[ev.data.scalar.length] = '\0';
            node->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            anchor = ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
                                                          : ev.data.mapping_start.anchor;
            if (anchor) break;
            if (depth >= WF_MAX_DEPTH) {
                wf_errf(err, errlen, "%s:%d:%d: nested more than %d levels deep", origin, line,
                        col, WF_MAX_DEPTH);
                st = WF_EPARSE;
                break;
            }
            node = wf_node_new(ev.type == YAML_SEQUENCE_START_EVENT ? WF_NODE_SEQ : WF_NODE_MAP,
                               line, col);
            if (!node) st = WF_ENOMEM;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0) wf_strmap_free(&stack[--depth].seen);
            break;
        default:
            break;
        }
        if (anchor && st == WF_OK) {
            wf_errf(err, errlen, "%s:%d:%d: anchors ('&%s') are not supported in scenarios; "
                    "write the value out, or use 'extends:'", origin, line, col,
                    (const char *)anchor);
            st = WF_EPARSE;
        }
        yaml_event_delete(&ev);
        if (st == WF_ENOMEM) wf_errf(err, errlen, "out of memory");
        if (st != WF_OK) {
            wf_node_free(node);
            break;
        }
        if (!node) continue;

        /* attach the new node */
        if (depth == 0) {
            root = node;
        } else {
            frame *f = &stack[depth - 1];
            if (f->node->kind == WF_NODE_SEQ) {
                if (!append(f->node, NULL, node)) {
                    wf_node_free(node);
                    st = WF_ENOMEM;
                }
            } else if (!f->key) {
                if (node->kind != WF_NODE_SCALAR) {
                    wf_errf(err, errlen, "%s:%d:%d: a key must be plain text, not %s", origin,
                            line, col, node->kind == WF_NODE_MAP ? "a map" : "a list");
                    wf_node_free(node);
                    st = WF_EPARSE;
                    break;
                }
                int added;
                size_t *at = wf_strmap_put(&f->seen, node->text, f->node->n, &added);
                if (!at) {
                    wf_node_free(node);
                    wf_errf(err, errlen, "out of memory");
                    st = WF_ENOMEM;
                    break;
                }
                if (!added) {
                    wf_errf(err, errlen, "%s:%d:%d: %s: duplicate key (first given at line %d)",
                            origin, line, col, node->text, f->node->keys[*at]->line);
                    wf_node_free(node);
                    st = WF_EPARSE;
                    break;
                }
                f->key = node;
                continue; /* a key never opens a frame */
            } else {
                if (!append(f->node, f->key, node)) {
                    wf_node_free(node);
                    st = WF_ENOMEM;
                } else {
                    f->key = NULL;
                }
            }
            if (st != WF_OK) {
                wf_errf(err, errlen, "out of memory");
                break;
            }
        }
        if (node->kind != WF_NODE_SCALAR) {
            stack[depth].node = node;
            stack[depth].key = NULL;
            stack[depth].seen = (wf_strmap)WF_STRMAP_INIT;
            depth++;
        }
    }
    /* a dangling key belongs to no tree yet */
    for (int i = 0; i < depth; i++) {
        if (stack[i].key) wf_node_free(stack[i].key);
        wf_strmap_free(&stack[i].seen);
    }
    yaml_parser_delete(&p);
    if (st != WF_OK) {
        wf_node_free(root);
        return st;
    }
    if (!root || wf_node_is_null(root)) {
        if (!allow_empty) {
            wf_node_free(root);
            wf_errf(err, errlen, "%s:1:1: empty scenario (no keys)", origin);
            return WF_EPARSE;
        }
        if (!root) {
            root = wf_node_new(WF_NODE_SCALAR, 1, 1);
            if (root) root->text = wf_strdup("");
            if (!root || !root->text) {
                wf_node_free(root);
                wf_errf(err, errlen, "out of memory");
                return WF_ENOMEM;
            }
        }
    }
    *out = root;
    return WF_OK;
}
