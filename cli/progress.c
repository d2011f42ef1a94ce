/* Progress on stderr for long runs (run, compare, sweep), and the SIGINT /
 * SIGTERM flag that asks a run to stop cleanly. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t interrupted = 0;
/* Raised by the handler: wf_cancel_request is async-signal-safe. */
static wf_cancel *volatile cancel_flag = NULL;

static void on_signal(int sig)
{
    interrupted = sig;
    wf_cancel_request(cancel_flag);
}

wf_cancel *cli_cancel(void)
{
    return cancel_flag;
}

void cli_signals_install(void)
{
    static int installed = 0;
    if (installed)
        return;  /* once: the handler resets itself, so a second signal kills */
    installed = 1;
    cancel_flag = wf_cancel_create();  /* NULL (out of memory): signals still stop between replicates */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* One signal asks for a clean stop; the handler is then reset, so a
     * second one kills as usual. */
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_interrupted(void)
{
    return interrupted != 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* "1h02m", "3m05s", "42s" */
static void fmt_duration(char *buf, size_t len, double s)
{
    if (!(s >= 0) || s > 1e7) {
        snprintf(buf, len, "?");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else if (t >= 60)
        snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, len, "%lds", t);
}

void cli_progress_start(cli_progress *p, const char *unit, size_t scenarios, size_t skipped,
                        int quiet)
{
    memset(p, 0, sizeof *p);
    p->unit = unit;
    p->scen_total = scenarios;
    p->scen_skipped = skipped;
    p->scen_base = skipped;
    p->t0 = p->last = now_s();
    p->last_decile = scenarios ? (int)(10 * skipped / scenarios) : 0;
    p->mode = quiet || cli_rank() > 0 ? 0 : isatty(STDERR_FILENO) ? 1 : 2;
}

void cli_progress_chunk(cli_progress *p, size_t base, size_t n)
{
    p->scen_base = base;
    p->scen_run = n;
}

static void draw(cli_progress *p, double t, int final)
{
    size_t run_done = p->done - p->skipped;
    double elapsed = t - p->t0;
    double rate = elapsed > 0 ? (double)run_done / elapsed : 0;
    char eta[32], rates[48];
    if (final || p->done >= p->total)
        fmt_duration(eta, sizeof eta, elapsed);
    else if (rate > 0)
        fmt_duration(eta, sizeof eta, (double)(p->total - p->done) / rate);
    else
        snprintf(eta, sizeof eta, "?");
    if (rate >= 10)
        snprintf(rates, sizeof rates, "%.0f/s", rate);
    else
        snprintf(rates, sizeof rates, "%.2f/s", rate);
    int pct = p->total ? (int)(100.0 * (double)p->done / (double)p->total) : 100;
    const char *eta_word = (final || p->done >= p->total) ? "took" : "left";
    if (p->mode == 1) {
        enum { W = 24 };
        char bar[W + 1];
        size_t fill = p->total ? (size_t)((double)W * (double)p->done / (double)p->total) : W;
        for (size_t k = 0; k < W; k++)
            bar[k] = k < fill ? '#' : '.';
        bar[W] = '\0';
        fprintf(stderr, "\r\033[K[%s] %3d%% %zu/%zu %s, %s, %s %s", bar, pct, p->done, p->total,
                p->unit, rates, eta, eta_word);
        p->drawn = 1;
    } else {
        fprintf(stderr, "winterflow: %zu/%zu %s (%d%%), %s, %s %s\n", p->done, p->total,
                p->unit, pct, rates, eta, eta_word);
        p->drawn = 1;
    }
    fflush(stderr);
    p->last = t;
}

int cli_progress_cb(void *user, size_t done, size_t total)
{
    cli_progress *p = user;
    if (p && p->scen_run && total) {
        size_t reps = total / p->scen_run;
        p->total = p->scen_total * reps;
        p->skipped = p->scen_skipped * reps;
        p->done = p->scen_base * reps + done;
        if (p->mode) {
            double t = now_s();
            int decile = p->total ? (int)(10 * p->done / p->total) : 10;
            if (p->mode == 1) {
                if (t - p->last >= 0.1 || p->done >= p->total)
                    draw(p, t, 0);
            } else if (t - p->last >= 10 ||
                       (decile > p->last_decile && t - p->t0 >= 5 && p->done < p->total)) {
                draw(p, t, 0);
            }
            if (decile > p->last_decile)
                p->last_decile = decile;
        }
    }
    return interrupted != 0;
}

void cli_progress_clear(cli_progress *p)
{
    if (p->mode == 1 && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}

void cli_progress_finish(cli_progress *p)
{
    if (p->mode == 2 && p->drawn)
        draw(p, now_s(), 1);
    cli_progress_clear(p);
}
