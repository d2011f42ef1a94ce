/*
 * The report's charts, drawn by PLplot (Debian's libplplot-dev) with its svg
 * driver into memory: axes, ticks, labels, legends, fills, error bars and
 * colour maps are PLplot's; this file chooses what to draw where. Why
 * PLplot: docs/cli.md, "report".
 *
 * PLplot reports a fatal error by calling its exit handler and then exit():
 * the handler set here jumps back to the chart call instead, which returns
 * NULL with PLplot's message, so the program can clean up and say what
 * failed. PLplot is then in an unknown state, and the caller stops drawing.
 */
#define _GNU_SOURCE /* open_memstream */
#include "report_chart.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <plplot.h>

#include "cli.h"

/* Okabe and Ito's colour-blind safe palette: one colour per series. */
static const unsigned char PALETTE[][3] = {
    {0, 114, 178}, {213, 94, 0}, {0, 158, 115}, {204, 121, 167}, {230, 159, 0}, {86, 180, 233}, {0, 0, 0}, {240, 228, 66},
};
#define NPALETTE (sizeof PALETTE / sizeof PALETTE[0])
/* cmap0 entries: 0 background, 1 text and axes, 2 grid, then a solid and a
 * translucent entry per palette colour. */
enum { COL_BG, COL_FG, COL_GRID, COL_SOLID, COL_BAND = COL_SOLID + NPALETTE, NCOLOURS = COL_BAND + NPALETTE };

/* The height of text on a chart, in pixels (SVG user units). */
#define TEXT_PX 11.0

static jmp_buf plplot_failed;
static char plplot_message[256];

static int on_plplot_exit(PLCHAR_VECTOR msg)
{
    snprintf(plplot_message, sizeof plplot_message, "%s", msg ? msg : "failed");
    longjmp(plplot_failed, 1);
}

/* Text for PLplot: '#' starts its escape sequences, so it is doubled, and
 * characters beyond ASCII go as its Unicode escapes "#[0x...]" (its svg
 * driver would otherwise write UTF-8 bytes as separate characters). Control
 * characters and bytes that are not UTF-8 become '?'. */
static void pl_text(const char *in, char *out, size_t len)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    while (*p && o + 12 < len) {
        unsigned c = *p, cp;
        int more;
        if (c < 0x80) {
            if (c == '#') out[o++] = '#';
            out[o++] = c < 0x20 ? '?' : (char)c;
            p++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) cp = c & 0x1f, more = 1;
        else if ((c & 0xf0) == 0xe0) cp = c & 0x0f, more = 2;
        else if ((c & 0xf8) == 0xf0) cp = c & 0x07, more = 3;
        else cp = 0, more = -1;
        p++;
        for (int k = 0; k < more; k++, p++) {
            if ((*p & 0xc0) != 0x80) {
                more = -1;
                break;
            }
            cp = cp << 6 | (*p & 0x3f);
        }
        if (more < 0) out[o++] = '?';
        else o += (size_t)snprintf(out + o, len - o, "#[0x%04x]", cp);
    }
    out[o] = 0;
}

/* Decimals that tell ticks `span` apart. */
static int decimals_for(double span)
{
    return span >= 20 ? 0 : span >= 2 ? 1 : span >= 0.2 ? 2 : 3;
}

typedef struct {
    int x_dates;
    double xspan, yspan;
} axis_fmt;

static void label_axis(PLINT axis, PLFLT value, char *label, PLINT length, PLPointer data)
{
    const axis_fmt *f = data;
    char buf[64];
    if (axis == PL_X_AXIS && f->x_dates) {
        time_t t = (time_t)llround(value);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(buf, sizeof buf, "%d %b", &tm);
        snprintf(label, (size_t)length, "%s", buf[0] == '0' ? buf + 1 : buf);
        return;
    }
    fmt_fixed(buf, sizeof buf, value, decimals_for(axis == PL_X_AXIS ? f->xspan : f->yspan));
    snprintf(label, (size_t)length, "%s", buf);
}

/* ---- a chart's life: begin, draw, end -------------------------------- */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
} chart_out;

static void palette(void)
{
    plscmap0n(NCOLOURS);
    plscol0a(COL_BG, 255, 255, 255, 1.0);
    plscol0a(COL_FG, 40, 40, 40, 1.0);
    plscol0a(COL_GRID, 215, 215, 215, 1.0);
    for (size_t i = 0; i < NPALETTE; i++) {
        plscol0a(COL_SOLID + (int)i, PALETTE[i][0], PALETTE[i][1], PALETTE[i][2], 1.0);
        plscol0a(COL_BAND + (int)i, PALETTE[i][0], PALETTE[i][1], PALETTE[i][2], 0.22);
    }
}

static int begin(const report_chart *c, chart_out *o)
{
    o->buf = NULL;
    o->len = 0;
    if (!(o->f = open_memstream(&o->buf, &o->len))) return -1;
    plsexit(on_plplot_exit);
    plsdev("svg");
    plsfile(o->f);
    plspage(0, 0, c->width, c->height, 0, 0);
    palette();
    plinit();
    pladv(0);
    /* PLplot sizes text in millimetres of its page, whose scale depends on
     * the page's shape: text TEXT_PX pixels high on every chart */
    PLFLT x0, x1, y0, y1;
    plgspa(&x0, &x1, &y0, &y1);
    double px_per_mm = y1 > y0 ? c->height / (y1 - y0) : 3.5;
    plschr(TEXT_PX / px_per_mm, 1.0);
    return 0;
}

/* Close the stream (PLplot closes the file) and return the SVG, from its
 * <svg> element on (no XML prolog, so that it can be inlined). */
static char *end(chart_out *o)
{
    plend();
    char *svg = o->buf ? strstr(o->buf, "<svg") : NULL;
    if (!svg) {
        free(o->buf);
        return NULL;
    }
    memmove(o->buf, svg, strlen(svg) + 1);
    return o->buf;
}

static void title(const report_chart *c)
{
    char t[512];
    plcol0(COL_FG);
    if (c->xlabel) {
        pl_text(c->xlabel, t, sizeof t);
        plmtex("b", 3.0, 0.5, 0.5, t);
    }
    if (c->ylabel) {
        pl_text(c->ylabel, t, sizeof t);
        plmtex("l", 4.6, 0.5, 0.5, t);
    }
    if (c->title) {
        /* at the top of the page, above any legend (the last thing drawn:
         * this leaves the plot's viewport) */
        pl_text(c->title, t, sizeof t);
        plvpor(0, 1, 0, 1);
        plwind(0, 1, 0, 1);
        plptex(0.02, 1.0 - 26.0 / c->height, 1, 0, 0, t);
    }
}

/* Columns of the legend: as many as fit across (at most 4). */
static PLINT legend_columns(const report_series *s, size_t n)
{
    size_t longest = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i].label && strlen(s[i].label) > longest) longest = strlen(s[i].label);
    size_t fit = 100 / (longest + 8);
    return (PLINT)(fit < 1 ? 1 : fit > 4 ? 4 : fit > n ? n : fit);
}

/* The top of the plot's viewport, below the title and the legend's rows. */
static double plot_top(const report_chart *c, const report_series *s, size_t ns)
{
    if (ns < 2) return 1.0 - 45.0 / c->height;
    size_t n = ns > NPALETTE ? NPALETTE : ns;
    PLINT cols = legend_columns(s, n), rows = ((PLINT)n + cols - 1) / cols;
    return 1.0 - (60.0 + 22.0 * rows) / c->height;
}

/* The legend, above the plot, one entry per series: a line or a box. */
static void legend(const report_series *s, size_t ns, int boxes)
{
    if (ns < 2) return;
    size_t n = ns > NPALETTE ? NPALETTE : ns;
    PLINT opt[NPALETTE], tcol[NPALETTE], bcol[NPALETTE], bpat[NPALETTE], lcol[NPALETTE], lsty[NPALETTE];
    PLFLT bscale[NPALETTE], bwidth[NPALETTE], lwidth[NPALETTE];
    char text[NPALETTE][256];
    const char *tp[NPALETTE];
    for (size_t i = 0; i < n; i++) {
        opt[i] = boxes ? PL_LEGEND_COLOR_BOX : PL_LEGEND_LINE;
        tcol[i] = COL_FG;
        bcol[i] = lcol[i] = COL_SOLID + (PLINT)i;
        bpat[i] = 0;
        lsty[i] = 1;
        bscale[i] = 0.8;
        bwidth[i] = 1;
        lwidth[i] = 2.5;
        pl_text(s[i].label, text[i], sizeof text[i]);
        tp[i] = text[i];
    }
    PLFLT w, h;
    /* above the plot, centred, in as many columns as the labels allow */
    PLINT ncol = legend_columns(s, n), nrow = ((PLINT)n + ncol - 1) / ncol;
    pllegend(&w, &h, PL_LEGEND_NONE, PL_POSITION_TOP | PL_POSITION_OUTSIDE, 0.0, 0.03, 0.05, COL_BG, COL_FG, 1,
             nrow, ncol, (PLINT)n, opt, 0.8, 1.0, 2.0, 0.0, tcol, tp, bcol, bpat, bscale, bwidth, lcol, lsty, lwidth,
             NULL, NULL, NULL, NULL);
}

/* The range of the finite values of the series (y with lo and hi, or x). */
static int range(const report_series *s, size_t ns, int x, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < ns; i++)
        for (size_t k = 0; k < s[i].n; k++) {
            const double *arrays[3] = {x ? s[i].x : s[i].y, x ? NULL : s[i].lo, x ? NULL : s[i].hi};
            for (int a = 0; a < 3; a++) {
                if (!arrays[a] || !isfinite(arrays[a][k])) continue;
                if (arrays[a][k] < *lo) *lo = arrays[a][k];
                if (arrays[a][k] > *hi) *hi = arrays[a][k];
            }
        }
    return *lo <= *hi ? 0 : -1;
}

/* Room around a range, and a range that is not empty. */
static void pad(double *lo, double *hi, double share)
{
    double span = *hi - *lo;
    if (span <= 0) span = fabs(*hi) > 0 ? fabs(*hi) * 0.1 : 1;
    *lo -= span * share;
    *hi += span * share;
}

static void fail(char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "chart: %s", what);
}

/* What to draw: one chart's data, for draw_lines, draw_hbars, draw_heatmap. */
typedef struct {
    const report_series *s;
    size_t ns;
    int flag;  /* lines: bands; bars: dots */
    const char *const *xcats, *const *ycats;
    size_t nx, ny;
    const double *z;
} chart_data;

/* Begin a chart, draw it, end it: its SVG, or NULL and err (PLplot's
 * message when it failed). */
static char *render(const report_chart *c, void (*draw)(const report_chart *, const chart_data *),
                    const chart_data *d, char *err, size_t errlen)
{
    chart_out o;
    if (setjmp(plplot_failed)) {
        fail(err, errlen, plplot_message);
        return NULL;
    }
    if (begin(c, &o)) {
        fail(err, errlen, "out of memory");
        return NULL;
    }
    draw(c, d);
    char *svg = end(&o);
    if (!svg) fail(err, errlen, "PLplot wrote no SVG");
    return svg;
}

/* ---- lines ------------------------------------------------------------ */

static void draw_lines(const report_chart *c, const chart_data *d)
{
    const report_series *s = d->s;
    size_t ns = d->ns;
    int bands = d->flag;
    double x0, x1, y0, y1;
    range(s, ns, 1, &x0, &x1);
    range(s, ns, 0, &y0, &y1);
    if (!bands) pad(&x0, &x1, 0.05);
    else if (x1 <= x0) pad(&x0, &x1, 0.05);
    pad(&y0, &y1, 0.06);
    axis_fmt fmt = {c->x_dates, x1 - x0, y1 - y0};
    plvpor(0.11, 0.97, 0.14, plot_top(c, s, ns));
    plwind(x0, x1, y0, y1);
    plslabelfunc(label_axis, &fmt);
    plcol0(COL_GRID);
    plwidth(0.5);
    double xtick = 0;
    if (c->x_dates) {
        double days = (x1 - x0) / 86400;
        xtick = 86400.0 * (days > 120 ? 28 : days > 40 ? 14 : days > 14 ? 7 : 1);
    }
    plbox("g", xtick, 0, "g", 0, 0);
    plwidth(1);
    plcol0(COL_FG);
    plbox("bcnsto", xtick, 0, "bcnstvo", 0, 0);
    for (size_t i = 0; i < ns; i++) {
        const report_series *v = &s[i];
        PLINT col = (PLINT)(i % NPALETTE);
        double *px = malloc(sizeof(double) * (2 * v->n + 1)), *py = malloc(sizeof(double) * (2 * v->n + 1));
        if (!px || !py) {
            free(px);
            free(py);
            continue;
        }
        /* runs of finite values: a band polygon and a line each */
        size_t k = 0;
        while (k < v->n) {
            while (k < v->n && !(isfinite(v->x[k]) && isfinite(v->y[k]))) k++;
            size_t a = k;
            while (k < v->n && isfinite(v->x[k]) && isfinite(v->y[k])) k++;
            size_t m = k - a;
            if (!m) continue;
            if (bands && v->lo && v->hi && m > 1) {
                size_t np = 0;
                for (size_t j = a; j < k; j++) px[np] = v->x[j], py[np++] = isfinite(v->lo[j]) ? v->lo[j] : v->y[j];
                for (size_t j = k; j-- > a;) px[np] = v->x[j], py[np++] = isfinite(v->hi[j]) ? v->hi[j] : v->y[j];
                plcol0(COL_BAND + col);
                plfill((PLINT)np, px, py);
            }
            plcol0(COL_SOLID + col);
            plwidth(2.0);
            if (m > 1) plline((PLINT)m, v->x + a, v->y + a);
            plwidth(1.2);
            if (!bands) {
                plssym(0, 1.3);
                plpoin((PLINT)m, v->x + a, v->y + a, 17);
                if (v->lo && v->hi) plerry((PLINT)m, v->x + a, v->lo + a, v->hi + a);
            }
        }
        free(px);
        free(py);
    }
    plwidth(1);
    legend(s, ns, 0);
    title(c);
}


/* ---- horizontal bars and dots ------------------------------------------ */

static void draw_hbars(const report_chart *c, const chart_data *d)
{
    const report_series *s = d->s;
    const char *const *cats = d->ycats;
    size_t ns = d->ns, ncat = d->ny;
    int dots = d->flag;
    double x0, x1;
    range(s, ns, 0, &x0, &x1);
    if (x0 > 0) x0 = 0;
    if (x1 < 0) x1 = 0;
    pad(&x0, &x1, 0.05);
    /* the left margin holds the longest category name */
    size_t longest = 4;
    for (size_t j = 0; j < ncat; j++)
        if (cats[j] && strlen(cats[j]) > longest) longest = strlen(cats[j]);
    double left = 0.03 + 0.0105 * (double)(longest > 40 ? 40 : longest) * 900.0 / c->width;
    axis_fmt fmt = {0, x1 - x0, 0};
    plvpor(left, 0.96, 0.16, plot_top(c, s, ns));
    plwind(x0, x1, 0, (double)ncat);
    plslabelfunc(label_axis, &fmt);
    plcol0(COL_GRID);
    plwidth(0.5);
    plbox("g", 0, 0, "", 0, 0);
    /* rows top to bottom in category order; series within a row */
    double band = 0.8 / (double)(ns ? ns : 1);
    for (size_t j = 0; j < ncat; j++) {
        double top = (double)(ncat - j) - 0.1;
        for (size_t i = 0; i < ns; i++) {
            const report_series *v = &s[i];
            if (j >= v->n || !isfinite(v->y[j])) continue;
            PLINT col = (PLINT)(i % NPALETTE);
            double yc = top - band * ((double)i + 0.5);
            if (!dots) {
                double h = band * 0.42;
                PLFLT bx[4] = {0, v->y[j], v->y[j], 0}, by[4] = {yc - h, yc - h, yc + h, yc + h};
                plcol0(COL_SOLID + col);
                plfill(4, bx, by);
            }
            if (v->lo && v->hi && isfinite(v->lo[j]) && isfinite(v->hi[j])) {
                PLFLT ex[1] = {yc}, lo[1] = {v->lo[j]}, hi[1] = {v->hi[j]};
                plcol0(dots ? COL_SOLID + col : COL_FG);
                plwidth(1.5);
                plerrx(1, lo, hi, ex);
                plwidth(1);
            }
            if (dots) {
                PLFLT px[1] = {v->y[j]}, py[1] = {yc};
                plcol0(COL_SOLID + col);
                plssym(0, 1.3);
                plpoin(1, px, py, 17);
            }
        }
        char t[512];
        pl_text(cats[j], t, sizeof t);
        plcol0(COL_FG);
        plmtex("lv", 0.8, ((double)(ncat - j) - 0.5) / (double)ncat, 1.0, t);
    }
    plcol0(COL_FG);
    if (x0 < 0 && x1 > 0) pljoin(0, 0, 0, (double)ncat);
    plbox("bcnsto", 0, 0, "bc", 0, 0);
    legend(s, ns, !dots);
    title(c);
}


/* ---- heat map ------------------------------------------------------------ */

static void draw_heatmap(const report_chart *c, const chart_data *d)
{
    const char *const *xcats = d->xcats, *const *ycats = d->ycats;
    size_t nx = d->nx, ny = d->ny;
    const double *z = d->z;
    double z0 = INFINITY, z1 = -INFINITY;
    for (size_t k = 0; k < nx * ny; k++)
        if (isfinite(z[k])) {
            if (z[k] < z0) z0 = z[k];
            if (z[k] > z1) z1 = z[k];
        }
    /* cmap1: light yellow (low) to dark blue (high), in RGB */
    PLFLT pos[3] = {0, 0.5, 1}, r[3] = {1.0, 0.25, 0.03}, g[3] = {0.97, 0.6, 0.19}, b[3] = {0.8, 0.75, 0.45};
    plscmap1l(1, 3, pos, r, g, b, NULL);
    size_t longest = 4;
    for (size_t j = 0; j < ny; j++)
        if (ycats[j] && strlen(ycats[j]) > longest) longest = strlen(ycats[j]);
    double left = 0.05 + 0.0105 * (double)(longest > 30 ? 30 : longest) * 900.0 / c->width;
    plvpor(left, 0.97, 0.16, plot_top(c, NULL, 0));
    plwind(0, (double)nx, 0, (double)ny);
    double span = z1 - z0;
    int dec = decimals_for(fabs(z1) > fabs(z0) ? fabs(z1) : fabs(z0));
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            double v = z[j * nx + i];
            if (!isfinite(v)) continue;
            double t = span > 0 ? (v - z0) / span : 0.5;
            PLFLT px[4] = {(double)i, (double)i + 1, (double)i + 1, (double)i};
            PLFLT py[4] = {(double)j, (double)j, (double)j + 1, (double)j + 1};
            plcol1(t);
            plfill(4, px, py);
            char num[64];
            fmt_fixed(num, sizeof num, v, dec);
            plcol0(t > 0.55 ? COL_BG : COL_FG);
            plptex((double)i + 0.5, (double)j + 0.5, 1, 0, 0.5, num);
        }
    char t[512];
    plcol0(COL_FG);
    for (size_t i = 0; i < nx; i++) {
        pl_text(xcats[i], t, sizeof t);
        plmtex("b", 1.2, ((double)i + 0.5) / (double)nx, 0.5, t);
    }
    for (size_t j = 0; j < ny; j++) {
        pl_text(ycats[j], t, sizeof t);
        plmtex("lv", 0.8, ((double)j + 0.5) / (double)ny, 1.0, t);
    }
    plbox("bc", 0, 0, "bc", 0, 0);
    title(c);
}


/* ---- the calls ------------------------------------------------------------ */

char *chart_lines(const report_chart *c, const report_series *s, size_t ns, int bands, char *err, size_t errlen)
{
    double lo, hi;
    for (size_t i = 0; i < ns; i++)
        if (!s[i].x || !s[i].y) {
            fail(err, errlen, "a line without x or y");
            return NULL;
        }
    if (!ns || range(s, ns, 1, &lo, &hi) || range(s, ns, 0, &lo, &hi)) {
        fail(err, errlen, "nothing to draw");
        return NULL;
    }
    chart_data d = {.s = s, .ns = ns, .flag = bands};
    return render(c, draw_lines, &d, err, errlen);
}

char *chart_hbars(const report_chart *c, const char *const *cats, size_t ncat, const report_series *s, size_t ns,
                  int dots, char *err, size_t errlen)
{
    double lo, hi;
    for (size_t i = 0; i < ns; i++)
        if (!s[i].y) {
            fail(err, errlen, "bars without values");
            return NULL;
        }
    if (!ns || !ncat || range(s, ns, 0, &lo, &hi)) {
        fail(err, errlen, "nothing to draw");
        return NULL;
    }
    chart_data d = {.s = s, .ns = ns, .flag = dots, .ycats = cats, .ny = ncat};
    return render(c, draw_hbars, &d, err, errlen);
}

char *chart_heatmap(const report_chart *c, const char *const *xcats, size_t nx, const char *const *ycats, size_t ny,
                    const double *z, char *err, size_t errlen)
{
    int any = 0;
    for (size_t k = 0; k < nx * ny; k++) any |= isfinite(z[k]);
    if (!nx || !ny || !any) {
        fail(err, errlen, "nothing to draw");
        return NULL;
    }
    chart_data d = {.xcats = xcats, .nx = nx, .ycats = ycats, .ny = ny, .z = z};
    return render(c, draw_heatmap, &d, err, errlen);
}
