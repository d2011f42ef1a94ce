/*
 * The calendar: simulation day numbers (day 0 = the first measured day,
 * negative during warm-up) mapped to civil dates, weekdays and holidays.
 * Flags are precomputed over the simulated range, with a slow path outside
 * it, so "is this a working day?" is one load in the event loop.
 */
#ifndef WF_CALENDAR_H
#define WF_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int32_t wf_days_from_civil(int y, int m, int d);
void wf_civil_from_days(int32_t z, int *y, int *m, int *d);
/* "YYYY-MM-DD" into buf (at least 11 bytes). */
void wf_date_format(int32_t epoch_day, char *buf);

enum { WF_DAY_HOLIDAY = 1, WF_DAY_WEEKEND = 2 };

typedef struct {
    int32_t start_date;   /* epoch day of simulation day 0 */
    int first, n;         /* precomputed simulation days [first, first + n) */
    uint8_t *flags;
    double *holidays;     /* simulation days, sorted */
    int n_holidays;
} wf_calendar;

int wf_calendar_init(wf_calendar *c, int32_t start_date, int first, int n,
                     const double *holidays, int n_holidays);
void wf_calendar_free(wf_calendar *c);

/* 0 = Monday .. 6 = Sunday */
static inline int wf_weekday(const wf_calendar *c, int day)
{
    int w = (int)(((int64_t)c->start_date + day + 3) % 7);
    return w < 0 ? w + 7 : w;
}
uint8_t wf_calendar_flags_slow(const wf_calendar *c, int day);
static inline uint8_t wf_calendar_flags(const wf_calendar *c, int day)
{
    int i = day - c->first;
    return (i >= 0 && i < c->n) ? c->flags[i] : wf_calendar_flags_slow(c, day);
}
/* Monday to Friday and not a holiday. */
static inline bool wf_is_working_day(const wf_calendar *c, int day)
{
    return wf_calendar_flags(c, day) == 0;
}

#endif
