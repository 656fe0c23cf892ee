/*
 * test_date.c — civil dates, bank holidays and working days (core/date).
 *
 * Expected values are written out by hand from published sources (gov.uk
 * bank holiday lists, Easter tables) rather than derived from the code under
 * test, so a mistake in a rule cannot confirm itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "core/date.h"
#include "util/err.h"

/* ---- helpers ------------------------------------------------------------- */

/* A date the test knows is valid; fails the test if it is not. */
static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static date_t P(const char *iso)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &out), SH_OK);
    return out;
}

static void assert_date(date_t got, int y, int m, int d)
{
    char g[DATE_ISO_LEN + 1], w[DATE_ISO_LEN + 1];
    date_format(got, g);
    date_format(D(y, m, d), w);
    assert_string_equal(g, w);
}

static void assert_parse_fails(const char *s, size_t len)
{
    date_t out = 12345;
    assert_int_equal(date_parse(s, len, &out), SH_EINVAL);
    assert_int_equal(out, 12345); /* untouched on failure */
}

static void assert_parse_str_fails(const char *s)
{
    assert_parse_fails(s, strlen(s));
}

/* Asserts that exactly the listed days of `year` are bank holidays, by
 * scanning every day of the year. */
static void assert_bank_holidays(int year, const int (*md)[2], size_t n)
{
    size_t found = 0;
    for (date_t d = D(year, 1, 1); d <= D(year, 12, 31); d++) {
        int m, dd;
        date_to_ymd(d, NULL, &m, &dd);
        bool expected = false;
        for (size_t i = 0; i < n; i++)
            if (md[i][0] == m && md[i][1] == dd)
                expected = true;
        if (date_is_bank_holiday(d) != expected) {
            char s[DATE_ISO_LEN + 1];
            date_format(d, s);
            fail_msg("%s: bank holiday should be %s", s, expected ? "yes" : "no");
        }
        found += expected;
    }
    assert_int_equal(found, n); /* the expected list itself had no typo'd day */
}

#define ASSERT_BANK_HOLIDAYS(year, list) \
    assert_bank_holidays((year), (list), sizeof(list) / sizeof((list)[0]))

/* ---- conversion ---------------------------------------------------------- */

static void test_known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(D(1970, 1, 1), 0);
    assert_int_equal(D(1969, 12, 31), -1);
    assert_int_equal(D(1970, 1, 2), 1);
    assert_int_equal(D(2000, 1, 1), 10957);
    assert_int_equal(D(1900, 1, 1), -25567);
    assert_int_equal(D(2199, 12, 31), 84005);
    assert_int_equal(D(DATE_MIN_YEAR, 1, 1), DATE_MIN_DAY);
    assert_int_equal(D(DATE_MAX_YEAR, 12, 31), DATE_MAX_DAY);
    assert_int_equal(D(2024, 2, 29), 19782);
    assert_int_equal(D(2026, 1, 5), 20458);
}

static void test_from_ymd_rejects(void **state)
{
    (void)state;
    static const int bad[][3] = {
        {2026, 2, 30}, {2026, 2, 29}, {2025, 2, 29}, {1900, 2, 29}, {2100, 2, 29},
        {2026, 13, 1}, {2026, 0, 10}, {2026, 4, 31}, {2026, 6, 31}, {2026, 9, 31},
        {2026, 11, 31}, {2026, 1, 0},  {2026, 1, 32}, {2026, -1, 1}, {2026, 1, -1},
        {1899, 12, 31}, {2200, 1, 1},  {0, 1, 1},     {-1, 1, 1},    {INT_MAX, 1, 1},
        {INT_MIN, 1, 1}, {2026, INT_MAX, 1}, {2026, 1, INT_MAX},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        date_t out = 777;
        assert_int_equal(date_from_ymd(bad[i][0], bad[i][1], bad[i][2], &out), SH_EINVAL);
        assert_int_equal(out, 777);
    }
    assert_int_equal(date_from_ymd(2026, 1, 1, NULL), SH_EINVAL);
    /* the edges of the supported range are fine */
    date_t out;
    assert_int_equal(date_from_ymd(1900, 1, 1, &out), SH_OK);
    assert_int_equal(date_from_ymd(2199, 12, 31, &out), SH_OK);
}

static void test_to_ymd_null_parts(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    date_to_ymd(D(2026, 5, 25), &y, NULL, NULL);
    assert_int_equal(y, 2026);
    date_to_ymd(D(2026, 5, 25), NULL, &m, NULL);
    assert_int_equal(m, 5);
    date_to_ymd(D(2026, 5, 25), NULL, NULL, &d);
    assert_int_equal(d, 25);
    date_to_ymd(D(2026, 5, 25), NULL, NULL, NULL); /* must not crash */
    date_to_ymd(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
}

/* Every day 1900..2199: day numbers are consecutive and agree with a plain
 * y/m/d counter, and each survives ymd, format and parse round trips. */
static void test_round_trip_every_day(void **state)
{
    (void)state;
    int y = 1900, m = 1, d = 1;
    date_t expect = D(1900, 1, 1);
    long days = 0;
    while (y <= 2199) {
        date_t dn = DATE_NONE;
        assert_int_equal(date_from_ymd(y, m, d, &dn), SH_OK);
        assert_int_equal(dn, expect);

        int yy, mm, dd;
        date_to_ymd(dn, &yy, &mm, &dd);
        assert_int_equal(yy, y);
        assert_int_equal(mm, m);
        assert_int_equal(dd, d);

        char iso[DATE_ISO_LEN + 1];
        date_format(dn, iso);
        assert_int_equal(strlen(iso), DATE_ISO_LEN);
        date_t back = DATE_NONE;
        assert_int_equal(date_parse(iso, DATE_ISO_LEN, &back), SH_OK);
        assert_int_equal(back, dn);

        assert_int_equal(date_weekday(dn), (int)(days % 7) + 1); /* 1900-01-01 was a Monday */

        expect++;
        days++;
        if (++d > date_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(days, 300 * 365 + 73); /* 75 multiples of 4, less 1900 and 2100 */
    assert_int_equal(expect - 1, D(2199, 12, 31));
}

/* Hinnant's algorithm is exact far outside the supported years too; the
 * splitter must not overflow even on DATE_NONE. */
static void test_to_ymd_extremes(void **state)
{
    (void)state;
    int y, m, d;
    date_to_ymd(INT32_MAX, &y, &m, &d);
    assert_true(y > 5000000);
    assert_in_range(m, 1, 12);
    assert_in_range(d, 1, 31);
    date_to_ymd(DATE_NONE, &y, &m, &d);
    assert_true(y < -5000000);
    assert_in_range(m, 1, 12);
    assert_in_range(d, 1, 31);
    date_to_ymd(D(1900, 1, 1) - 1, &y, &m, &d);
    assert_int_equal(y, 1899);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    assert_int_equal(date_weekday(INT32_MAX), date_weekday(INT32_MAX - 7));
    assert_in_range(date_weekday(DATE_NONE), 1, 7);
}

static void test_weekdays(void **state)
{
    (void)state;
    assert_int_equal(date_weekday(D(2026, 1, 5)), 1); /* Monday */
    assert_int_equal(date_weekday(D(1970, 1, 1)), 4); /* Thursday */
    assert_int_equal(date_weekday(D(2000, 1, 1)), 6); /* Saturday */
    assert_int_equal(date_weekday(D(1900, 1, 1)), 1); /* Monday */
    assert_int_equal(date_weekday(D(1969, 12, 28)), 7); /* Sunday, negative day number */
    assert_int_equal(date_weekday(D(2026, 5, 25)), 1);
    assert_int_equal(date_weekday(D(2026, 12, 25)), 5); /* Friday */
    assert_int_equal(date_weekday(D(2199, 12, 31)), 2); /* Tuesday */
}

/* ---- parsing and formatting ---------------------------------------------- */

static void test_parse_valid(void **state)
{
    (void)state;
    assert_int_equal(P("1970-01-01"), 0);
    assert_int_equal(P("2024-02-29"), D(2024, 2, 29));
    assert_int_equal(P("2000-02-29"), D(2000, 2, 29));
    assert_int_equal(P("1900-01-01"), D(1900, 1, 1));
    assert_int_equal(P("2199-12-31"), D(2199, 12, 31));
    assert_int_equal(P("2026-04-30"), D(2026, 4, 30));

    /* len bytes only: no NUL needed, whatever follows is not read */
    const char buf[] = {'2', '0', '2', '6', '-', '0', '1', '-', '0', '5', 'X'};
    date_t out = DATE_NONE;
    assert_int_equal(date_parse(buf, DATE_ISO_LEN, &out), SH_OK);
    assert_int_equal(out, D(2026, 1, 5));
    assert_int_equal(date_parse("2026-01-05T00:00:00Z", DATE_ISO_LEN, &out), SH_OK);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    /* impossible dates */
    assert_parse_str_fails("2026-02-30");
    assert_parse_str_fails("2025-02-29");
    assert_parse_str_fails("1900-02-29");
    assert_parse_str_fails("2100-02-29");
    assert_parse_str_fails("2026-13-01");
    assert_parse_str_fails("2026-00-10");
    assert_parse_str_fails("2026-04-31");
    assert_parse_str_fails("2026-01-00");
    assert_parse_str_fails("2026-01-32");
    assert_parse_str_fails("2026-99-99");
    /* out of the supported years */
    assert_parse_str_fails("1899-12-31");
    assert_parse_str_fails("2200-01-01");
    assert_parse_str_fails("0000-01-01");
    assert_parse_str_fails("9999-12-31");
    /* wrong shape */
    assert_parse_str_fails("");
    assert_parse_str_fails("2026-1-05");
    assert_parse_str_fails("2026-01-5");
    assert_parse_str_fails("26-01-05");
    assert_parse_str_fails("20260105");
    assert_parse_str_fails("2026/01/05");
    assert_parse_str_fails("2026.01.05");
    assert_parse_str_fails("2026-01-05 ");
    assert_parse_str_fails(" 2026-01-05");
    assert_parse_str_fails("2026-01-05T10:00");
    assert_parse_str_fails("2026-01-05Z");
    assert_parse_str_fails("+2026-01-05");
    assert_parse_str_fails("-2026-01-05");
    assert_parse_str_fails("2026-+1-05");
    assert_parse_str_fails("2026--1-05");
    assert_parse_str_fails("2026-01-+5");
    assert_parse_str_fails("2026-01- 5");
    assert_parse_str_fails("2026 01 05");
    assert_parse_str_fails("2026-0a-05");
    assert_parse_str_fails("20x6-01-05");
    assert_parse_str_fails("2026_01_05");
    assert_parse_str_fails("2026-01-0/");  /* '/' is just below '0' */
    assert_parse_str_fails("2026-01-0:");  /* ':' is just above '9' */
    assert_parse_str_fails("2026-01-0\xb5"); /* high-bit byte: a negative char */
    /* right length, embedded NUL */
    assert_parse_fails("2026-01\0" "05", DATE_ISO_LEN);
    assert_parse_fails("2026\0" "01-05", DATE_ISO_LEN);
    /* right text, wrong len */
    assert_parse_fails("2026-01-05", 9);
    assert_parse_fails("2026-01-05", 0);
    /* NULLs */
    assert_int_equal(date_parse(NULL, DATE_ISO_LEN, &(date_t){0}), SH_EINVAL);
    assert_int_equal(date_parse("2026-01-05", DATE_ISO_LEN, NULL), SH_EINVAL);
}

static void test_format(void **state)
{
    (void)state;
    char s[DATE_ISO_LEN + 1];
    date_format(D(2026, 1, 5), s);
    assert_string_equal(s, "2026-01-05");
    date_format(0, s);
    assert_string_equal(s, "1970-01-01");
    date_format(D(1900, 1, 1), s);
    assert_string_equal(s, "1900-01-01");
    date_format(D(2199, 12, 31), s);
    assert_string_equal(s, "2199-12-31");
    date_format(D(2024, 2, 29), s);
    assert_string_equal(s, "2024-02-29");
    /* beyond four-digit years: never overflow, never a plausible date */
    date_format(DATE_NONE, s);
    assert_string_equal(s, "0000-00-00");
    date_format(INT32_MAX, s);
    assert_string_equal(s, "0000-00-00");
}

static void test_format_long(void **state)
{
    (void)state;
    char s[32];
    assert_int_equal(date_format_long(D(2026, 5, 25), s, sizeof s), 11);
    assert_string_equal(s, "25 May 2026");
    assert_int_equal(date_format_long(D(2026, 1, 5), s, sizeof s), 14);
    assert_string_equal(s, "5 January 2026");
    date_format_long(D(2025, 9, 30), s, sizeof s);
    assert_string_equal(s, "30 September 2025");
    date_format_long(D(2000, 2, 29), s, sizeof s);
    assert_string_equal(s, "29 February 2000");

    static const char *const first_of_month_2026[] = {
        "1 January 2026", "1 February 2026", "1 March 2026",     "1 April 2026",
        "1 May 2026",     "1 June 2026",     "1 July 2026",      "1 August 2026",
        "1 September 2026", "1 October 2026", "1 November 2026", "1 December 2026",
    };
    for (int m = 1; m <= 12; m++) {
        date_format_long(D(2026, m, 1), s, sizeof s);
        assert_string_equal(s, first_of_month_2026[m - 1]);
    }
}

static void test_format_long_truncates(void **state)
{
    (void)state;
    const date_t d = D(2026, 5, 25); /* "25 May 2026", 11 characters */
    char s[16];

    assert_int_equal(date_format_long(d, NULL, 0), 11); /* measure only */

    memset(s, 'Z', sizeof s);
    assert_int_equal(date_format_long(d, s, 0), 11);
    assert_int_equal(s[0], 'Z'); /* n = 0: not a byte written */

    memset(s, 'Z', sizeof s);
    assert_int_equal(date_format_long(d, s, 1), 11);
    assert_string_equal(s, "");
    assert_int_equal(s[1], 'Z');

    memset(s, 'Z', sizeof s);
    assert_int_equal(date_format_long(d, s, 7), 11);
    assert_string_equal(s, "25 May");
    assert_int_equal(s[7], 'Z');

    memset(s, 'Z', sizeof s);
    assert_int_equal(date_format_long(d, s, 11), 11); /* one short of the NUL */
    assert_string_equal(s, "25 May 202");

    memset(s, 'Z', sizeof s);
    assert_int_equal(date_format_long(d, s, 12), 11); /* exact fit */
    assert_string_equal(s, "25 May 2026");
    assert_int_equal(s[12], 'Z');
}

/* ---- calendar rules ------------------------------------------------------ */

static void test_leap_years(void **state)
{
    (void)state;
    assert_false(date_is_leap_year(1900));
    assert_true(date_is_leap_year(2000));
    assert_false(date_is_leap_year(2100));
    assert_true(date_is_leap_year(2024));
    assert_false(date_is_leap_year(2025));
    assert_false(date_is_leap_year(2026));
    assert_true(date_is_leap_year(2028));
    assert_true(date_is_leap_year(2400));
    assert_false(date_is_leap_year(2200));
    assert_true(date_is_leap_year(1904));
}

static void test_days_in_month(void **state)
{
    (void)state;
    static const int y2026[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++)
        assert_int_equal(date_days_in_month(2026, m), y2026[m - 1]);
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2100, 2), 28);
    assert_int_equal(date_days_in_month(2026, 0), 0);
    assert_int_equal(date_days_in_month(2026, 13), 0);
    assert_int_equal(date_days_in_month(2026, -1), 0);
}

static void test_add_months(void **state)
{
    (void)state;
    assert_date(date_add_months(D(2026, 1, 31), 1), 2026, 2, 28);
    assert_date(date_add_months(D(2024, 1, 31), 1), 2024, 2, 29);
    assert_date(date_add_months(D(2024, 2, 29), 12), 2025, 2, 28);
    assert_date(date_add_months(D(2024, 2, 29), 48), 2028, 2, 29);
    assert_date(date_add_months(D(2026, 1, 31), 3), 2026, 4, 30);
    assert_date(date_add_months(D(2026, 1, 15), 0), 2026, 1, 15);
    assert_date(date_add_months(D(2026, 1, 31), 0), 2026, 1, 31);
    assert_date(date_add_months(D(2026, 11, 30), 2), 2027, 1, 30);
    assert_date(date_add_months(D(2026, 12, 31), 1), 2027, 1, 31);
    assert_date(date_add_months(D(2026, 5, 25), 12), 2027, 5, 25);
    assert_date(date_add_months(D(2026, 5, 25), 120), 2036, 5, 25);
    /* negative */
    assert_date(date_add_months(D(2026, 3, 31), -1), 2026, 2, 28);
    assert_date(date_add_months(D(2024, 3, 31), -1), 2024, 2, 29);
    assert_date(date_add_months(D(2026, 1, 15), -1), 2025, 12, 15);
    assert_date(date_add_months(D(2026, 1, 31), -2), 2025, 11, 30);
    assert_date(date_add_months(D(2026, 5, 25), -12), 2025, 5, 25);
    assert_date(date_add_months(D(2026, 5, 25), -13), 2025, 4, 25);
    assert_date(date_add_months(D(2025, 2, 28), -12), 2024, 2, 28);
    assert_date(date_add_months(D(1970, 1, 1), -1), 1969, 12, 1);
    assert_date(date_add_months(D(1900, 3, 31), -1), 1900, 2, 28);
    /* there and back again is not the identity once clamped */
    assert_date(date_add_months(date_add_months(D(2026, 1, 31), 1), -1), 2026, 1, 28);
    /* no date stays no date; absurd counts do not wrap */
    assert_int_equal(date_add_months(DATE_NONE, 1), DATE_NONE);
    assert_int_equal(date_add_months(D(2026, 1, 1), INT_MAX), DATE_NONE);
    assert_int_equal(date_add_months(D(2026, 1, 1), INT_MIN), DATE_NONE);
}

static void test_add_weeks_and_days(void **state)
{
    (void)state;
    const date_t start = D(2026, 1, 5); /* Monday */
    assert_date(date_add_weeks(start, 6), 2026, 2, 16);
    assert_int_equal(date_weekday(date_add_weeks(start, 6)), 1);
    assert_date(date_add_weeks(start, 20), 2026, 5, 25);
    assert_int_equal(date_weekday(date_add_weeks(start, 20)), 1);
    assert_date(date_add_weeks(start, -1), 2025, 12, 29);
    assert_date(date_add_days(D(2024, 2, 28), 1), 2024, 2, 29);
    assert_date(date_add_days(D(2025, 2, 28), 1), 2025, 3, 1);
    assert_date(date_add_days(D(2026, 12, 31), 1), 2027, 1, 1);
    assert_date(date_add_days(D(2026, 1, 1), -1), 2025, 12, 31);
}

static void test_easter_sunday(void **state)
{
    (void)state;
    static const int easter[][3] = {
        {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2000, 4, 23}, {2038, 4, 25},
        {2100, 3, 28}, {2008, 3, 23}, {2011, 4, 24}, {2019, 4, 21}, {2027, 3, 28},
        {1943, 4, 25}, {1913, 3, 23}, {2160, 3, 23},
    };
    for (size_t i = 0; i < sizeof easter / sizeof easter[0]; i++) {
        int y = easter[i][0];
        date_t e = date_easter_sunday(y);
        assert_date(e, y, easter[i][1], easter[i][2]);
        assert_int_equal(date_weekday(e), 7);
    }
    /* always a Sunday between 22 March and 25 April */
    for (int y = DATE_MIN_YEAR; y <= DATE_MAX_YEAR; y++) {
        date_t e = date_easter_sunday(y);
        assert_int_equal(date_weekday(e), 7);
        assert_in_range(e, D(y, 3, 22), D(y, 4, 25));
    }
    assert_int_equal(date_easter_sunday(DATE_MIN_YEAR - 1), DATE_NONE);
    assert_int_equal(date_easter_sunday(DATE_MAX_YEAR + 1), DATE_NONE);
}

/* ---- bank holidays (published gov.uk lists) ------------------------------ */

static void test_bank_holidays_2020(void **state)
{
    (void)state;
    static const int bh[][2] = {{1, 1}, {4, 10}, {4, 13}, {5, 8}, {5, 25}, {8, 31}, {12, 25}, {12, 28}};
    ASSERT_BANK_HOLIDAYS(2020, bh);
}

/* gov.uk lists ten for 2022, including the summer holiday on 29 August. */
static void test_bank_holidays_2022(void **state)
{
    (void)state;
    static const int bh[][2] = {{1, 3}, {4, 15}, {4, 18}, {5, 2},   {6, 2},
                                {6, 3}, {8, 29}, {9, 19}, {12, 26}, {12, 27}};
    ASSERT_BANK_HOLIDAYS(2022, bh);
}

static void test_bank_holidays_2023(void **state)
{
    (void)state;
    static const int bh[][2] = {{1, 2},  {4, 7},  {4, 10},  {5, 1},  {5, 8},
                                {5, 29}, {8, 28}, {12, 25}, {12, 26}};
    ASSERT_BANK_HOLIDAYS(2023, bh);
}

static void test_bank_holidays_2026(void **state)
{
    (void)state;
    static const int bh[][2] = {{1, 1}, {4, 3}, {4, 6}, {5, 4}, {5, 25}, {8, 31}, {12, 25}, {12, 28}};
    ASSERT_BANK_HOLIDAYS(2026, bh);
}

static void test_bank_holidays_2027(void **state)
{
    (void)state;
    static const int bh[][2] = {{1, 1}, {3, 26}, {3, 29}, {5, 3}, {5, 31}, {8, 30}, {12, 27}, {12, 28}};
    ASSERT_BANK_HOLIDAYS(2027, bh);
}

/* The other proclaimed years and the remaining Christmas patterns. */
static void test_bank_holidays_other_years(void **state)
{
    (void)state;
    /* Golden Jubilee: spring holiday moved to Tue 4 June, plus Mon 3 June */
    static const int y2002[][2] = {{1, 1}, {3, 29}, {4, 1},   {5, 6},  {6, 3},
                                   {6, 4}, {8, 26}, {12, 25}, {12, 26}};
    ASSERT_BANK_HOLIDAYS(2002, y2002);
    /* royal wedding Fri 29 April; Christmas on a Sunday (Boxing Mon 26, Christmas Tue 27) */
    static const int y2011[][2] = {{1, 3},  {4, 22}, {4, 25},  {4, 29},  {5, 2},
                                   {5, 30}, {8, 29}, {12, 26}, {12, 27}};
    ASSERT_BANK_HOLIDAYS(2011, y2011);
    /* Diamond Jubilee: spring holiday moved to Mon 4 June, plus Tue 5 June */
    static const int y2012[][2] = {{1, 2}, {4, 6},  {4, 9},   {5, 7},  {6, 4},
                                   {6, 5}, {8, 27}, {12, 25}, {12, 26}};
    ASSERT_BANK_HOLIDAYS(2012, y2012);
    /* Christmas on a Saturday: Mon 27 and Tue 28 */
    static const int y2021[][2] = {{1, 1}, {4, 2}, {4, 5}, {5, 3}, {5, 31}, {8, 30}, {12, 27}, {12, 28}};
    ASSERT_BANK_HOLIDAYS(2021, y2021);
    static const int y2024[][2] = {{1, 1}, {3, 29}, {4, 1}, {5, 6}, {5, 27}, {8, 26}, {12, 25}, {12, 26}};
    ASSERT_BANK_HOLIDAYS(2024, y2024);
    static const int y2025[][2] = {{1, 1}, {4, 18}, {4, 21}, {5, 5}, {5, 26}, {8, 25}, {12, 25}, {12, 26}};
    ASSERT_BANK_HOLIDAYS(2025, y2025);
    /* 1 Jan on a Saturday: Mon 3 Jan; Christmas Monday, Boxing Tuesday */
    static const int y2000[][2] = {{1, 3}, {4, 21}, {4, 24}, {5, 1}, {5, 29}, {8, 28}, {12, 25}, {12, 26}};
    ASSERT_BANK_HOLIDAYS(2000, y2000);
    /* last year in range: Easter 28 March, Christmas on a Saturday */
    static const int y2100[][2] = {{1, 1}, {3, 26}, {3, 29}, {5, 3}, {5, 31}, {8, 30}, {12, 27}, {12, 28}};
    ASSERT_BANK_HOLIDAYS(2100, y2100);
}

static void test_bank_holidays_shape(void **state)
{
    (void)state;
    for (int y = 2000; y <= 2100; y++) {
        int n = 0;
        for (date_t d = D(y, 1, 1); d <= D(y, 12, 31); d++) {
            if (!date_is_bank_holiday(d))
                continue;
            n++;
            assert_in_range(date_weekday(d), 1, 5); /* substitutes keep them off weekends */
            assert_false(date_is_working_day(d));
        }
        int extra = 0; /* one-offs (a moved holiday still counts once) */
        if (y == 2002 || y == 2011 || y == 2012 || y == 2023)
            extra = 1;
        else if (y == 2022)
            extra = 2; /* Platinum Jubilee and the state funeral */
        assert_int_equal(n, 8 + extra);
    }
}

static void test_no_bank_holidays_outside_range(void **state)
{
    (void)state;
    static const int years[] = {1900, 1970, 1995, 1999, 2101, 2150, 2199};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++)
        for (date_t d = D(years[i], 1, 1); d <= D(years[i], 12, 31); d++)
            assert_false(date_is_bank_holiday(d));
    /* the days the rules would pick right at the edges */
    assert_false(date_is_bank_holiday(D(1999, 12, 27))); /* Christmas 1999 was a Saturday */
    assert_false(date_is_bank_holiday(D(1999, 12, 28)));
    assert_true(date_is_bank_holiday(D(2000, 1, 3)));
    assert_true(date_is_bank_holiday(D(2100, 12, 28)));
    assert_false(date_is_bank_holiday(D(2101, 1, 3))); /* 1 Jan 2101 is a Saturday */
    assert_true(date_is_working_day(D(2101, 1, 3)));
    assert_false(date_is_bank_holiday(DATE_NONE));
    assert_false(date_is_bank_holiday(INT32_MAX));
}

/* ---- working days -------------------------------------------------------- */

static void test_is_working_day(void **state)
{
    (void)state;
    assert_true(date_is_working_day(D(2026, 1, 5)));   /* Monday */
    assert_true(date_is_working_day(D(2026, 1, 9)));   /* Friday */
    assert_false(date_is_working_day(D(2026, 1, 10))); /* Saturday */
    assert_false(date_is_working_day(D(2026, 1, 11))); /* Sunday */
    assert_false(date_is_working_day(D(2026, 1, 1)));  /* New Year's Day */
    assert_false(date_is_working_day(D(2026, 4, 3)));  /* Good Friday */
    assert_false(date_is_working_day(D(2026, 12, 28))); /* Boxing Day substitute */
    assert_true(date_is_working_day(D(2026, 12, 24)));
    assert_true(date_is_working_day(D(2150, 12, 25))); /* out of range: a plain Friday */
}

static void test_next_working_day(void **state)
{
    (void)state;
    assert_date(date_next_working_day(D(2026, 1, 7)), 2026, 1, 7);    /* already one */
    assert_date(date_next_working_day(D(2026, 1, 10)), 2026, 1, 12);  /* Saturday */
    assert_date(date_next_working_day(D(2026, 1, 11)), 2026, 1, 12);  /* Sunday */
    assert_date(date_next_working_day(D(2026, 5, 4)), 2026, 5, 5);    /* bank holiday Monday */
    assert_date(date_next_working_day(D(2026, 4, 3)), 2026, 4, 7);    /* Good Friday */
    assert_date(date_next_working_day(D(2026, 12, 25)), 2026, 12, 29); /* Christmas */
    assert_date(date_next_working_day(D(2027, 12, 25)), 2027, 12, 29); /* Saturday Christmas */
    assert_date(date_next_working_day(D(2022, 6, 2)), 2022, 6, 6);     /* jubilee Thu-Fri */
    assert_date(date_next_working_day(D(2150, 12, 25)), 2150, 12, 25);
    assert_int_equal(date_next_working_day(DATE_NONE), DATE_NONE);
}

static void test_add_working_days(void **state)
{
    (void)state;
    /* n = 0 */
    assert_date(date_add_working_days(D(2026, 1, 7), 0), 2026, 1, 7);
    assert_date(date_add_working_days(D(2026, 1, 10), 0), 2026, 1, 12);
    assert_date(date_add_working_days(D(2026, 5, 4), 0), 2026, 5, 5);
    /* plain weeks */
    assert_date(date_add_working_days(D(2026, 1, 5), 1), 2026, 1, 6);
    assert_date(date_add_working_days(D(2026, 1, 9), 1), 2026, 1, 12);  /* Fri -> Mon */
    assert_date(date_add_working_days(D(2026, 1, 10), 1), 2026, 1, 12); /* Sat -> Mon */
    assert_date(date_add_working_days(D(2026, 1, 5), 5), 2026, 1, 12);
    assert_date(date_add_working_days(D(2026, 1, 5), 10), 2026, 1, 19);
    /* Easter 2026: Good Friday 3 April, Easter Monday 6 April */
    assert_date(date_add_working_days(D(2026, 4, 2), 1), 2026, 4, 7);
    assert_date(date_add_working_days(D(2026, 3, 30), 5), 2026, 4, 8);
    /* Christmas 2026 into 2027: 25 Dec, 28 Dec and 1 Jan are holidays.
     * Wed 23 Dec: 24, 29, 30, 31, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 18 Jan. */
    assert_date(date_add_working_days(D(2026, 12, 23), 15), 2027, 1, 18);
    assert_date(date_add_working_days(D(2026, 12, 23), 1), 2026, 12, 24);
    assert_date(date_add_working_days(D(2026, 12, 23), 2), 2026, 12, 29);
    assert_date(date_add_working_days(D(2026, 12, 24), 4), 2027, 1, 4);
    /* 2022: jubilee Thu 2 and Fri 3 June */
    assert_date(date_add_working_days(D(2022, 6, 1), 1), 2022, 6, 6);
    /* 20 working days across the 2026 May holidays (4 and 25 May) */
    assert_date(date_add_working_days(D(2026, 4, 30), 20), 2026, 6, 1);
    /* out of range: weekends only */
    assert_date(date_add_working_days(D(2150, 12, 24), 1), 2150, 12, 25);
    /* negative n (outside the header's contract) counts backwards */
    assert_date(date_add_working_days(D(2026, 1, 12), -1), 2026, 1, 9);
    assert_date(date_add_working_days(D(2026, 12, 29), -1), 2026, 12, 24);
    assert_date(date_add_working_days(D(2027, 1, 18), -15), 2026, 12, 23);
    assert_int_equal(date_add_working_days(DATE_NONE, 5), DATE_NONE);
}

/* Adding working days one at a time agrees with adding them all at once,
 * and every result is a working day. From a non-working day the first
 * working day is both n = 0 and n = 1 ("the 1st working day after"). */
static void test_add_working_days_consistent(void **state)
{
    (void)state;
    for (date_t start = D(2026, 12, 1); start <= D(2027, 1, 10); start++) {
        date_t prev = date_add_working_days(start, 0);
        assert_int_equal(prev, date_next_working_day(start));
        for (int n = 1; n <= 30; n++) {
            date_t all = date_add_working_days(start, n);
            assert_true(date_is_working_day(all));
            assert_true(all > start);
            if (n == 1 && !date_is_working_day(start))
                assert_int_equal(all, prev);
            else
                assert_int_equal(all, date_add_working_days(prev, 1));
            prev = all;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_from_ymd_rejects),
        cmocka_unit_test(test_to_ymd_null_parts),
        cmocka_unit_test(test_round_trip_every_day),
        cmocka_unit_test(test_to_ymd_extremes),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_long),
        cmocka_unit_test(test_format_long_truncates),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_add_weeks_and_days),
        cmocka_unit_test(test_easter_sunday),
        cmocka_unit_test(test_bank_holidays_2020),
        cmocka_unit_test(test_bank_holidays_2022),
        cmocka_unit_test(test_bank_holidays_2023),
        cmocka_unit_test(test_bank_holidays_2026),
        cmocka_unit_test(test_bank_holidays_2027),
        cmocka_unit_test(test_bank_holidays_other_years),
        cmocka_unit_test(test_bank_holidays_shape),
        cmocka_unit_test(test_no_bank_holidays_outside_range),
        cmocka_unit_test(test_is_working_day),
        cmocka_unit_test(test_next_working_day),
        cmocka_unit_test(test_add_working_days),
        cmocka_unit_test(test_add_working_days_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
