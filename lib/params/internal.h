/*
 * Private to lib/params: the value tree the loader produces, the parameter
 * table's row type, the scenario's insides, and the helpers the files of
 * this room share. Nothing outside lib/params includes this header.
 *
 *   table.c      the rows (name, type, default, bounds, unit, doc, binding)
 *   yaml_load.c  YAML text -> value tree (the only file that includes yaml.h)
 *   node.c       the value tree, string buffers, did-you-mean
 *   org_kinds.c  organisation kinds: names, sections, placeholders
 *   keys.c       key paths against the table; walking a tree into assignments
 *   values.c     typed parsing, bounds, storing into wf_config, formatting
 *   load.c       files and `extends:` chains
 *   scenario.c   struct wf_scenario and the public wf_scenario_* calls
 *   presets.c    the partnership presets
 *   resolve.c    wf_config_build: defaults < preset < assignments, cross checks
 *   emit.c       wf_scenario_to_yaml
 *   dates.c      ISO dates
 */
#ifndef WF_PARAMS_INTERNAL_H
#define WF_PARAMS_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "winterflow.h"
#include "core/strmap.h"
#include "params/config.h"
#include "params/params.h"

#define WF_ERRLEN 1024
#define WF_MAX_DEPTH 64     /* YAML nesting limit */
#define WF_MAX_COMPS 8      /* components in a key path */
#define WF_MAX_EXTENDS 32   /* length of an extends chain */
#define WF_MAX_ORGS 10000   /* organisations of one kind in a scenario */
#define WF_MAX_LIST 1000    /* items of a list key (waves, periods, holidays, localities served) */

/* ---- value tree (node.c, yaml_load.c) ---------------------------------- */

typedef enum { WF_NODE_SCALAR, WF_NODE_MAP, WF_NODE_SEQ } wf_node_kind;

typedef struct wf_node {
    wf_node_kind kind;
    int line, col;            /* 1-based position in its text; 0 unknown */
    char *text;               /* scalars */
    bool quoted;              /* scalar written in quotes (always a string) */
    size_t n;
    struct wf_node **keys;    /* maps: scalar key nodes */
    struct wf_node **items;   /* map values, or sequence items */
} wf_node;

void wf_node_free(wf_node *n);
wf_node *wf_node_clone(const wf_node *n);            /* NULL when out of memory */
wf_node *wf_node_new(wf_node_kind kind, int line, int col);
bool wf_node_is_null(const wf_node *n);              /* null, ~ or empty plain scalar */
const wf_node *wf_node_get(const wf_node *map, const char *key);
/* "'text'", "a list", "a map" or "null", for messages. */
void wf_node_describe(const wf_node *n, char *buf, size_t len);

/* Parse YAML text into a tree. An empty document is an error ("empty
 * scenario") unless allow_empty, when it is a null scalar. Messages are
 * "ORIGIN:LINE:COL: problem". */
wf_status wf_yaml_parse(const char *text, size_t len, const char *origin, bool allow_empty,
                        wf_node **out, char *err, size_t errlen);
/* Read a whole file (refuses NUL bytes: "binary data"). */
wf_status wf_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

/* ---- small helpers (node.c) -------------------------------------------- */

char *wf_strdup(const char *s);
size_t wf_levenshtein(const char *a, const char *b);
void wf_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} wf_buf;
void wf_buf_printf(wf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wf_buf_puts(wf_buf *b, const char *s);
/* Shortest %g text that reads back as exactly x. */
void wf_fmt_real(double x, char *buf, size_t len);

/* ---- organisations ------------------------------------------------------ */

/* Kinds are wf_org_kind (winterflow.h); a scenario declares the first
 * WF_NKIND of them (all but the system). org_kinds.c. */
#define WF_NKIND ((int)WF_ORG_SYSTEM)
extern const char *const wf_kind_section[WF_NKIND];     /* "hospitals", ... */
extern const char *const wf_kind_placeholder[WF_NKIND]; /* "<hospital>", ... */
extern const char *const wf_kind_word[WF_NKIND];        /* "hospital", ... */
int wf_kind_of_placeholder(const char *comp);            /* -1 if not one */
int wf_bind_kind(int bind);                 /* a row's wf_bind -> its kind, -1 for none */
/* Organisations of a kind in a config (1 for kind -1: a top-level row). */
int wf_config_n_orgs(const struct wf_config *c, int kind);
bool wf_org_name_ok(const char *name);                   /* [A-Za-z0-9_-]+ */

/* ---- the scenario -------------------------------------------------------- */

typedef struct wf_assign {
    char *key;          /* concrete path, "hospitals.city.beds" */
    wf_node *value;     /* NULL: a block marker (where a block was written) */
    char *src;          /* file name, or "--set KEY=VALUE" */
    bool src_is_file;
    int line, col;      /* of the key, in src */
} wf_assign;

/* A list of strings (problems.c). */
typedef struct {
    char **s;
    size_t n, cap;
} wf_strlist;
bool wf_strlist_add(wf_strlist *l, const char *s);
void wf_strlist_free(wf_strlist *l);

struct wf_scenario {
    wf_assign *as;
    size_t n_as, cap_as;
    char **org[WF_NKIND];
    size_t n_org[WF_NKIND], cap_org[WF_NKIND];
    /* name -> kind << 32 | index of every organisation, kept up to date by
     * every change (so that lookups are reads, safe on a shared const
     * scenario, and no load compares every pair of names) */
    wf_strmap org_index;
    char err[WF_ERRLEN];
    /* wf_scenario_keep_going (problems.c): the problems of the last call,
     * with their status (WF_OK: a warning), and every key left out for a
     * problem so far (checks across keys skip the blocks that hold one:
     * their sum would only repeat the problem). */
    bool keep_going;
    wf_strlist problems;
    wf_status *problem_st;
    wf_strlist failed;
};

/* ---- problems (problems.c) ------------------------------------------------ */

/* At the start of a public call: forget the last call's problems. */
void wf_problems_begin(wf_scenario *s);
/* At its end: the status of the call, given the status `st` it would
 * return; in keep-going mode the first problem's, with its message in
 * s->err (every problem is in the list). A fatal `st` (one that stopped
 * the call) is added to the list too. */
wf_status wf_problems_end(wf_scenario *s, wf_status st);
/* Record a problem (st != WF_OK) or a warning (st == WF_OK); false when out
 * of memory. */
bool wf_problem_add(wf_scenario *s, wf_status st, const char *msg);
/* In keep-going mode, record the problem `msg` of key `key` (left out) and
 * return true: the caller goes on. Else (or out of memory) false: the
 * caller stops with st. */
bool wf_problem_keep(wf_scenario *s, wf_status st, const char *msg, const char *key);
/* Whether a key left out for a problem is `prefix` or under it, or holds it. */
bool wf_failed_under(const wf_strlist *failed, const char *prefix);

wf_status wf_scenario_add_assign(wf_scenario *s, const char *key, const wf_node *value,
                                 const char *src, bool src_is_file, int line, int col);
/* Index of an organisation of a kind, or -1. */
int wf_scenario_org_find(const wf_scenario *s, int kind, const char *name);
/* Index of the organisation called `name`, its kind in *kind; or -1. */
int wf_scenario_org_lookup(const wf_scenario *s, const char *name, int *kind);
/* Declare an organisation (a name no organisation has); -1 out of memory. */
int wf_scenario_org_add(wf_scenario *s, int kind, const char *name);
/* Undo everything added after these counts (a failed load or set). */
typedef struct { size_t n_as, n_org[WF_NKIND]; } wf_mark;
wf_mark wf_scenario_mark(const wf_scenario *s);
void wf_scenario_rollback(wf_scenario *s, wf_mark m);

/* ---- the table (table.c) ------------------------------------------------- */

typedef enum {
    WF_T_INT,        /* int field */
    WF_T_U64,        /* uint64_t field (the seed) */
    WF_T_REAL,       /* double */
    WF_T_REAL_NULL,  /* double, null stored as -1 (no limit) */
    WF_T_BOOL,       /* bool */
    WF_T_TRI,        /* int: 0 false, 1 true, WF_INHERIT null (nullable bool) */
    WF_T_ENUM,       /* int-sized enum: the index in choices (WF_INHERIT: null, if nullable) */
    WF_T_STRING,     /* char *, owned */
    WF_T_DATE,       /* int32_t days since 1970-01-01 */
    WF_T_DAY,        /* double day relative to run.start_date */
    WF_T_REALS,      /* double[len] */
    WF_T_CUSTOM      /* set/get functions */
} wf_type;

typedef enum {
    WF_B_NONE,       /* checked, stored nowhere (preset, extends) */
    WF_B_TOP,        /* offset into wf_config */
    WF_B_HOSP,       /* offset into wf_hospital_cfg */
    WF_B_LOC,        /* wf_locality_cfg */
    WF_B_COMM,       /* wf_community_cfg */
    WF_B_VOL,        /* wf_voluntary_cfg */
    WF_B_ITEM        /* a field of the items of a list row (e.g. outbreaks) */
} wf_bind;

enum {
    WF_F_EXCL_MIN = 1u,   /* value must be > min */
    WF_F_NULLABLE = 2u,   /* null allowed */
    WF_F_NOEMIT = 4u      /* not written by to_yaml (extends) */
};

/* Where a value is being applied: the config (NULL: only check it), the
 * organisation indices of the key's placeholders, and where it came from. */
typedef struct wf_apply {
    wf_config *cfg;
    const wf_scenario *sc;
    int org[2];
    int32_t start_date;
    const char *key;
    const char *src;
    bool src_is_file;
    int line, col;
    char *err;
    size_t errlen;
} wf_apply;

struct wf_row;
typedef wf_status (*wf_setter)(const struct wf_row *r, const wf_node *v, wf_apply *a);
typedef void (*wf_getter)(const struct wf_row *r, const wf_config *c, const int org[2],
                          wf_buf *out);

typedef struct wf_row {
    wf_param_info info;   /* first: wf_param_at returns &row->info */
    wf_type type;
    wf_bind bind;
    size_t off;
    unsigned flags;
    int len;              /* WF_T_REALS */
    wf_setter set;        /* WF_T_CUSTOM */
    wf_getter get;
} wf_row;

extern const wf_row wf_rows[];
extern const size_t wf_nrows;
const wf_row *wf_row_find(const char *pattern);
/* Item field rows of a list row ("calendar.outbreaks" -> "calendar.outbreaks[].x"). */
size_t wf_item_rows(const wf_row *list, const wf_row **out, size_t max);

/* ---- keys (keys.c) ------------------------------------------------------- */

size_t wf_split_key(const char *key, char *buf, size_t buflen, const char **comps, size_t max);
void wf_join_key(const char *const *comps, size_t n, char *buf, size_t len);
/* 2: the pattern equals the path; 1: the path is a proper prefix; 0: no. */
int wf_pattern_match(const char *pattern, const char *const *comps, size_t n);
/* The table row (not an item row) for a concrete path, with the organisation
 * names standing in its placeholders. */
const wf_row *wf_row_for_path(const char *const *comps, size_t n, const char **names,
                              int *kinds, size_t *n_names);

/* Walking a value tree into assignments. */
typedef struct wf_walk {
    wf_scenario *sc;
    bool declare;         /* a file: names under a section declare organisations */
    const char *src;
    bool src_is_file;
    char *err;
    size_t errlen;
} wf_walk;
wf_status wf_walk_value(wf_walk *w, const char *const *comps, size_t n, const wf_node *v,
                        int line, int col);
wf_status wf_walk_top(wf_walk *w, const wf_node *map);

/* ---- values (values.c) --------------------------------------------------- */

wf_status wf_apply_fail(const wf_apply *a, const wf_node *at, const char *sub, wf_status st,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Check v against the row; store it when a->cfg is set. */
wf_status wf_value_apply(const wf_row *r, const wf_node *v, wf_apply *a);
/* The value of a row in a config, as flow YAML text. */
void wf_value_format(const wf_row *r, const wf_config *c, const int org[2], wf_buf *out);
void wf_fmt_date(int32_t days, char *buf, size_t len);
void wf_yaml_quote(const char *s, wf_buf *out);

/* custom setters/getters, named by the table */
wf_status wf_set_discharge_hours(const wf_row *, const wf_node *, wf_apply *);
void wf_get_discharge_hours(const wf_row *, const wf_config *, const int[2], wf_buf *);
wf_status wf_set_bank_holidays(const wf_row *, const wf_node *, wf_apply *);
void wf_get_bank_holidays(const wf_row *, const wf_config *, const int[2], wf_buf *);
wf_status wf_set_outbreaks(const wf_row *, const wf_node *, wf_apply *);
void wf_get_outbreaks(const wf_row *, const wf_config *, const int[2], wf_buf *);
wf_status wf_set_workforce(const wf_row *, const wf_node *, wf_apply *);
void wf_get_workforce(const wf_row *, const wf_config *, const int[2], wf_buf *);
wf_status wf_set_serves(const wf_row *, const wf_node *, wf_apply *);
void wf_get_serves(const wf_row *, const wf_config *, const int[2], wf_buf *);
wf_status wf_set_weekdays(const wf_row *, const wf_node *, wf_apply *);
void wf_get_weekdays(const wf_row *, const wf_config *, const int[2], wf_buf *);
wf_status wf_set_hospital_share(const wf_row *, const wf_node *, wf_apply *);
void wf_get_hospital_share(const wf_row *, const wf_config *, const int[2], wf_buf *);

/* ---- replace: (replace.c) ------------------------------------------------ */

/* Drop the organisations of `kind` and every assignment that names them. */
wf_status wf_scenario_drop_kind(wf_scenario *s, int kind);
/* Apply a file's `replace:` value v (key node k) to what its bases loaded;
 * `extends` says whether the file named a base. Messages name origin. */
wf_status wf_replace_sections(wf_scenario *s, const wf_node *k, const wf_node *v, bool extends,
                              const char *origin, char *err, size_t errlen);

/* ---- presets (presets.c) ------------------------------------------------- */

typedef struct { const char *key, *yaml; } wf_preset_kv;
typedef struct {
    const char *name;
    const wf_preset_kv *kv;
    size_t n;
} wf_preset;
const wf_preset *wf_preset_find(const char *name);

/* ---- resolve (resolve.c) -------------------------------------------------- */

/* The preset the scenario ends up with (its last assignment, else the default). */
const char *wf_scenario_preset(const wf_scenario *s);
/* Where the block `prefix` was last written (its source, line and column
 * into a): the origin for a message about its keys together. */
void wf_block_origin(const wf_scenario *s, const char *prefix, wf_apply *a);

/* ---- the reference (reference.c) and warnings (warnings.c) ---------------- */

/* The text of models/reference.yaml, built into the library. */
const char *wf_reference_text(size_t *len);
#define WF_REFERENCE_ORIGIN "models/reference.yaml"
/* The reference loaded into a new scenario (NULL when out of memory, or
 * when the built-in text failed to load: err says why). */
wf_scenario *wf_reference_scenario(char *err, size_t errlen);
/* Add the warnings of a valid scenario (its config c) to its problems:
 * legal but suspicious settings (docs/scenario-schema.md, "Warnings").
 * WF_ENOMEM (message in err) or WF_OK. */
wf_status wf_scenario_warn(wf_scenario *s, const wf_config *c, char *err, size_t errlen);

/* ---- dates (dates.c) ------------------------------------------------------ */

bool wf_date_parse(const char *text, int32_t *days);   /* YYYY-MM-DD, a real date */
void wf_date_civil(int32_t days, int *y, int *m, int *d);
int wf_date_weekday(int32_t days);                      /* 0 = Monday */

#endif
