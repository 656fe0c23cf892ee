/*
 * date.h — civil dates for statutory clocks (pure: no I/O, no clock reads).
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar (1970-01-01 is 0, 1969-12-31 is -1). Day numbers make "add N days",
 * "weeks between" and comparisons plain integer arithmetic and are what the
 * store keeps in memory; text is always ISO 8601 YYYY-MM-DD.
 *
 * Supported years: 1900-2199 for parsing and arithmetic. England and Wales
 * bank holidays are computed (Easter, substitute days, and the one-off
 * holidays proclaimed so far) for 2000-2100; outside that range no day is a
 * bank holiday and working-day rules only skip weekends.
 */
#ifndef SH_DATE_H
#define SH_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t date_t;

/* "No date" (an absent completion date, an unknown value). */
#define DATE_NONE INT32_MIN
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2199
/* The day numbers of DATE_MIN_YEAR-01-01 and DATE_MAX_YEAR-12-31, for range
 * checks that need no calendar arithmetic (test_date checks them). */
#define DATE_MIN_DAY (-25567)
#define DATE_MAX_DAY 84005
#define DATE_ISO_LEN 10 /* "YYYY-MM-DD" without the NUL */

/* Builds a date from its parts. SH_EINVAL for an impossible date
 * (2026-02-30, month 13, year out of range); *out is untouched then. */
int date_from_ymd(int year, int month, int day, date_t *out);

/* Splits a date into its parts. Any pointer may be NULL. */
void date_to_ymd(date_t d, int *year, int *month, int *day);

/* Parses exactly "YYYY-MM-DD" (len bytes, no NUL needed, nothing else
 * allowed: no time, no spaces, no sign). SH_EINVAL on anything else,
 * including impossible dates such as 2026-02-30 and 2025-02-29. */
int date_parse(const char *s, size_t len, date_t *out);

/* Writes "YYYY-MM-DD" and a NUL into out (at least 11 bytes). */
void date_format(date_t d, char out[static DATE_ISO_LEN + 1]);

/* Writes the date as people read it in letters: "25 May 2026" (no weekday),
 * NUL-terminated, truncated to n bytes. Returns the length it needed. */
size_t date_format_long(date_t d, char *out, size_t n);

/* 1 = Monday ... 7 = Sunday (ISO 8601). */
int date_weekday(date_t d);

bool date_is_leap_year(int year);
int date_days_in_month(int year, int month);

/* Day arithmetic is plain addition; these names exist so rules read well. */
static inline date_t date_add_days(date_t d, int n) { return d + n; }
static inline date_t date_add_weeks(date_t d, int n) { return d + 7 * n; }

/* Adds calendar months, clamping the day to the end of the target month:
 * 31 Jan + 1 month = 28 Feb (29 Feb in a leap year); 29 Feb + 12 months =
 * 28 Feb. n may be negative. */
date_t date_add_months(date_t d, int n);

/* England and Wales bank holiday? (see the header comment for the range) */
bool date_is_bank_holiday(date_t d);

/* Monday-Friday and not a bank holiday. */
bool date_is_working_day(date_t d);

/* The n-th working day after d (n >= 0; n = 0 returns d if it is a working
 * day, else the next working day). Used for "N working days" rules. */
date_t date_add_working_days(date_t d, int n);

/* d itself if it is a working day, otherwise the next working day. */
date_t date_next_working_day(date_t d);

/* Easter Sunday of a Gregorian year (anonymous Gregorian algorithm). */
date_t date_easter_sunday(int year);

#endif
