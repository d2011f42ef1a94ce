/* Output helpers: JSON values that round-trip, numbers that read well;
 * the --out file's lock and saving. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"':  fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);  /* UTF-8 passes through unchanged */
        }
    }
    fputc('"', f);
}

void json_number(FILE *f, double x)
{
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    if (x == 0.0)
        x = 0.0;  /* print -0 as 0 */
    /* %.17g is exact for doubles; the C locale is in effect (no setlocale). */
    fprintf(f, "%.17g", x);
}

/* Insert thousands separators into the integer part of a plain decimal. */
static void group_thousands(char *buf, size_t len)
{
    char tmp[64];
    const char *s = buf;
    size_t o = 0;
    if (*s == '-')
        tmp[o++] = *s++;
    size_t digits = strspn(s, "0123456789");
    for (size_t k = 0; k < digits; k++) {
        if (k > 0 && (digits - k) % 3 == 0)
            tmp[o++] = ',';
        tmp[o++] = s[k];
    }
    size_t rest = strlen(s + digits);
    if (o + rest + 1 > sizeof tmp || o + rest + 1 > len)
        return;  /* leave it ungrouped */
    memcpy(tmp + o, s + digits, rest + 1);
    memcpy(buf, tmp, o + rest + 1);
}

void fmt_human(char *buf, size_t len, double x)
{
    if (isnan(x)) {
        snprintf(buf, len, "-");
        return;
    }
    if (isinf(x)) {
        snprintf(buf, len, x > 0 ? "inf" : "-inf");
        return;
    }
    double a = fabs(x);
    if (a == 0) {
        snprintf(buf, len, "0");
        return;
    }
    if (a >= 1e12 || (a > 0 && a < 1e-3)) {
        snprintf(buf, len, "%.4g", x);
        return;
    }
    int decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
    snprintf(buf, len, "%.*f", decimals, x);
    if (!strcmp(buf, "-0") || !strcmp(buf, "-0.0") || !strcmp(buf, "-0.00") ||
        !strcmp(buf, "-0.000"))
        memmove(buf, buf + 1, strlen(buf));
    group_thousands(buf, len);
}

void fmt_fixed(char *buf, size_t len, double x, int decimals)
{
    if (!isfinite(x)) {
        fmt_human(buf, len, x);
        return;
    }
    snprintf(buf, len, "%.*f", decimals, x);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));  /* no "-0.00" */
    group_thousands(buf, len);
}

void fmt_interval(char *buf, size_t len, double lo, double hi)
{
    char a[48], b[48];
    fmt_human(a, sizeof a, lo);
    fmt_human(b, sizeof b, hi);
    snprintf(buf, len, "[%s, %s]", a, b);
}

size_t cli_org_at(const wf_results *r, size_t k)
{
    size_t n = wf_results_n_orgs(r);
    size_t sys = wf_results_org_find(r, "system");
    if (sys == WF_NOT_FOUND || sys >= n)
        return k;
    if (k == 0)
        return sys;
    return k - 1 < sys ? k - 1 : k;
}

int cli_get_stat(const wf_results *r, size_t sc, size_t m, size_t org, wf_stat *st)
{
    if (wf_results_stat(r, sc, m, org, st) != WF_OK)
        return 0;
    return st->n > 0 && !isnan(st->mean);
}

void json_stat(FILE *f, const wf_stat *st, const char *unit, const char *perspective)
{
    fputs("{\"mean\": ", f);
    json_number(f, st->mean);
    fputs(", \"sd\": ", f);
    json_number(f, st->sd);
    fputs(", \"lo\": ", f);
    json_number(f, st->lo);
    fputs(", \"hi\": ", f);
    json_number(f, st->hi);
    fprintf(f, ", \"n\": %zu", st->n);
    if (unit) {
        fputs(", \"unit\": ", f);
        json_string(f, unit);
    }
    if (perspective) {
        fputs(", \"perspective\": ", f);
        json_string(f, perspective);
    }
    fputc('}', f);
}

void json_run_fields(FILE *f, const wf_results *r, const char *indent)
{
    const char *start = wf_results_date(r, 0);
    fprintf(f, ",\n%s\"replicates\": %zu", indent, wf_results_n_replicates(r));
    fprintf(f, ",\n%s\"seed\": %" PRId64, indent, wf_results_seed(r));
    fprintf(f, ",\n%s\"threads\": %d", indent, wf_results_threads(r));
    fprintf(f, ",\n%s\"days\": %zu", indent, wf_results_n_days(r));
    fprintf(f, ",\n%s\"start_date\": ", indent);
    if (start)
        json_string(f, start);
    else
        fputs("null", f);
}

char *cli_command_line(int argc, char **argv)
{
    size_t len = sizeof "winterflow";
    for (int i = 0; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3;
    char *s = malloc(len), *o = s;
    if (!s)
        return NULL;
    o += sprintf(o, "winterflow");
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        *o++ = ' ';
        if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            "0123456789-_./=:,+@%") == strlen(a)) {
            o += sprintf(o, "%s", a);
            continue;
        }
        *o++ = '\'';
        for (; *a; a++) {
            if (*a == '\'')
                o += sprintf(o, "'\\''");
            else
                *o++ = *a;
        }
        *o++ = '\'';
    }
    *o = '\0';
    return s;
}

/* Rank 0's lock on the --out file, in *out; EXIT_OK or the exit code
 * after printing the error. */
static int take_lock(const char *path, const cli_run_args *a, int argc, char **argv, wf_lock **out)
{
    wf_lock *l = wf_lock_create();
    char *cmd = cli_command_line(argc, argv);
    if (!l || !cmd) {
        cli_error("out of memory");
        wf_lock_destroy(l);
        free(cmd);
        return EXIT_RUN;
    }
    cli_signals_install();
    wf_lock_options lo;
    wf_lock_options_init(&lo, sizeof lo);
    lo.wait = a->wait_lock;
    lo.cancel = cli_cancel();
    lo.command_line = cmd;
    wf_status st = wf_lock_acquire(l, path, &lo);
    free(cmd);
    int rc = EXIT_OK;
    if (st == WF_ECANCELLED) {
        cli_error("--out %s: interrupted while waiting for another writer", path);
        rc = EXIT_INTERRUPTED;
    } else if (st == WF_ENOMEM) {
        cli_error("--out %s: out of memory", path);
        rc = EXIT_RUN;
    } else if (st != WF_OK) {
        cli_error("--out %s", wf_lock_error(l));
        if (strstr(wf_lock_error(l), "another writer"))
            cli_error("use --wait-lock to wait for it to finish, or choose another name");
        rc = EXIT_IO;
    }
    if (rc != EXIT_OK)
        wf_lock_destroy(l);
    else
        *out = l;
    return rc;
}

int cli_lock_out(const char *path, int overwrite, const cli_run_args *a, int argc, char **argv,
                 wf_lock **out)
{
    *out = NULL;
    /* Under MPI only rank 0 writes, so only it locks; every rank makes the
     * check of an existing file, so that all stop together. */
    int rc = cli_rank() == 0 ? take_lock(path, a, argc, argv, out) : EXIT_OK;
    if (rc == EXIT_OK && !overwrite && access(path, F_OK) == 0) {
        /* refused before a long run, not after it (the library checks again) */
        cli_error("--out %s: exists (use --force to replace it, or choose another name)", path);
        wf_lock_destroy(*out);
        *out = NULL;
        rc = EXIT_IO;
    }
    return rc;
}

int cli_save_results(wf_results *r, const wf_scenario **list, size_t n, const char *path, wf_lock *lock,
                     int overwrite, int event_log, int argc, char **argv)
{
    wf_write_options wo;
    wf_write_options_init(&wo, sizeof wo);
    char *cmd = cli_command_line(argc, argv);
    wo.lock = lock;
    wo.overwrite = overwrite;
    wo.command_line = cmd;
    wo.event_log = event_log;
    wf_status st = wf_results_write(r, (const wf_scenario *const *)list, n, path, &wo);
    free(cmd);
    return cli_save_failed(r, st, path);
}

int cli_save_failed(const wf_results *r, wf_status st, const char *path)
{
    if (st == WF_OK)
        return EXIT_OK;
    const char *msg = wf_results_error(r);
    cli_error("--out %s: %s", path, msg && *msg ? msg : wf_status_str(st));
    return st == WF_EIO ? EXIT_IO : EXIT_RUN;
}
