/* The value tree the YAML loader produces, and small string helpers shared by
 * the params room (buffers, did-you-mean, number formatting). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params/internal.h"

wf_node *wf_node_new(wf_node_kind kind, int line, int col) {
    wf_node *n = calloc(1, sizeof *n);
    if (n) {
        n->kind = kind;
        n->line = line;
        n->col = col;
    }
    return n;
}

void wf_node_free(wf_node *n) {
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) wf_node_free(n->keys[i]);
        if (n->items) wf_node_free(n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n->text);
    free(n);
}

wf_node *wf_node_clone(const wf_node *n) {
    if (!n) return NULL;
    wf_node *c = wf_node_new(n->kind, n->line, n->col);
    if (!c) return NULL;
    c->quoted = n->quoted;
    if (n->text && !(c->text = wf_strdup(n->text))) goto fail;
    if (n->n) {
        c->items = calloc(n->n, sizeof *c->items);
        if (!c->items) goto fail;
        if (n->kind == WF_NODE_MAP) {
            c->keys = calloc(n->n, sizeof *c->keys);
            if (!c->keys) goto fail;
        }
        c->n = n->n;
        for (size_t i = 0; i < n->n; i++) {
            if (!(c->items[i] = wf_node_clone(n->items[i]))) goto fail;
            if (c->keys && !(c->keys[i] = wf_node_clone(n->keys[i]))) goto fail;
        }
    }
    return c;
fail:
    wf_node_free(c);
    return NULL;
}

bool wf_node_is_null(const wf_node *n) {
    if (!n) return true;
    if (n->kind != WF_NODE_SCALAR || n->quoted) return false;
    const char *t = n->text ? n->text : "";
    return !*t || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") ||
           !strcmp(t, "NULL");
}

const wf_node *wf_node_get(const wf_node *map, const char *key) {
    if (!map || map->kind != WF_NODE_MAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (!strcmp(map->keys[i]->text, key)) return map->items[i];
    return NULL;
}

void wf_node_describe(const wf_node *n, char *buf, size_t len) {
    if (wf_node_is_null(n))
        snprintf(buf, len, "null");
    else if (n->kind == WF_NODE_MAP)
        snprintf(buf, len, "a map");
    else if (n->kind == WF_NODE_SEQ)
        snprintf(buf, len, "a list");
    else if (strlen(n->text) > 40)
        snprintf(buf, len, "'%.37s...'", n->text);
    else
        snprintf(buf, len, "'%s'", n->text);
}

char *wf_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

size_t wf_levenshtein(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

const char *wf_suggest(const char *word, const char *const *cands, size_t n) {
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    size_t lw = strlen(word);
    for (size_t i = 0; i < n; i++) {
        size_t d = wf_levenshtein(word, cands[i]);
        size_t lc = strlen(cands[i]);
        size_t ml = lw > lc ? lw : lc;
        size_t limit = ml / 3 > 2 ? ml / 3 : 2;
        bool close = d <= limit && d < lc;
        /* "mean" for "mean_days": a prefix of at least 3 characters */
        if (!close && lw >= 3 && lw < lc && !strncmp(word, cands[i], lw)) {
            close = true;
            d = limit;
        }
        if (close && d < bestd) {
            best = cands[i];
            bestd = d;
        }
    }
    return best;
}

void wf_errf(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void buf_grow(wf_buf *b, size_t need) {
    if (b->oom) return;
    if (b->len + need + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + need + 1) cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = true;
        return;
    }
    b->s = s;
    b->cap = cap;
}

void wf_buf_printf(wf_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    buf_grow(b, (size_t)n);
    if (b->oom) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void wf_buf_puts(wf_buf *b, const char *s) {
    size_t n = strlen(s);
    buf_grow(b, n);
    if (b->oom) return;
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

void wf_fmt_real(double x, char *buf, size_t len) {
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, len, "%.*g", p, x);
        if (strtod(buf, NULL) == x) return;
    }
}
