/* Output helpers: JSON values that round-trip, numbers that read well. */
#include <math.h>
#include <stdio.h>
#include <string.h>

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
