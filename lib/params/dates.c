/* ISO dates for scenario values: YYYY-MM-DD, real calendar dates only.
 * Days are counted from 1970-01-01 (proleptic Gregorian calendar). The
 * engine keeps its own calendar in lib/core; this is only what parsing and
 * writing scenarios needs. */
#include <stdio.h>

#include "params/internal.h"

static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void wf_date_civil(int32_t days, int *y, int *m, int *d) {
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool wf_date_parse(const char *t, int32_t *days) {
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (t[i] != '-') return false;
        } else if (!is_digit(t[i])) {
            return false;
        }
    }
    if (t[10] != '\0') return false;
    int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int m = (t[5] - '0') * 10 + (t[6] - '0');
    int d = (t[8] - '0') * 10 + (t[9] - '0');
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    if (d > max) return false;
    *days = (int32_t)days_from_civil(y, m, d);
    return true;
}

int wf_date_weekday(int32_t days) {
    /* 1970-01-01 was a Thursday (3 with Monday = 0) */
    int w = (int)(((int64_t)days + 3) % 7);
    return w < 0 ? w + 7 : w;
}

void wf_fmt_date(int32_t days, char *buf, size_t len) {
    int y, m, d;
    wf_date_civil(days, &y, &m, &d);
    snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}
