#include "core/calendar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Howard Hinnant's civil-date algorithms, in 64-bit arithmetic so that no
 * input overflows (a results file's dates are untrusted); a result outside
 * int32 is clamped. */
int32_t wf_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * ((int64_t)m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t z = era * 146097 + doe - 719468;
    return z > INT32_MAX ? INT32_MAX : z < INT32_MIN ? INT32_MIN : (int32_t)z;
}

void wf_civil_from_days(int32_t days, int *y, int *m, int *d)
{
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

void wf_date_format(int32_t epoch_day, char *buf)
{
    int y, m, d;
    char tmp[40];
    wf_civil_from_days(epoch_day, &y, &m, &d);
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(buf, tmp, 10);
    buf[10] = 0;
}

uint8_t wf_calendar_flags_slow(const wf_calendar *c, int day)
{
    uint8_t f = wf_weekday(c, day) >= 5 ? WF_DAY_WEEKEND : 0;
    for (int i = 0; i < c->n_holidays; i++)
        if ((int)floor(c->holidays[i]) == day) f |= WF_DAY_HOLIDAY;
    return f;
}

int wf_calendar_init(wf_calendar *c, int32_t start_date, int first, int n,
                     const double *holidays, int n_holidays)
{
    memset(c, 0, sizeof *c);
    c->start_date = start_date;
    c->first = first;
    c->n = n;
    c->flags = malloc((size_t)(n > 0 ? n : 1));
    c->holidays = malloc(sizeof(double) * (size_t)(n_holidays > 0 ? n_holidays : 1));
    if (!c->flags || !c->holidays) {
        wf_calendar_free(c);
        return -1;
    }
    if (n_holidays > 0) memcpy(c->holidays, holidays, sizeof(double) * (size_t)n_holidays);
    c->n_holidays = n_holidays;
    for (int i = 0; i < n; i++) c->flags[i] = wf_weekday(c, first + i) >= 5 ? WF_DAY_WEEKEND : 0;
    for (int h = 0; h < n_holidays; h++) {
        int i = (int)floor(holidays[h]) - first;
        if (i >= 0 && i < n) c->flags[i] |= WF_DAY_HOLIDAY;
    }
    return 0;
}

void wf_calendar_free(wf_calendar *c)
{
    free(c->flags);
    free(c->holidays);
    c->flags = NULL;
    c->holidays = NULL;
}
