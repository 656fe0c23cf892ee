#include "core/date.h"

#include <string.h>

#include "util/err.h"

/*
 * Calendar conversion: Howard Hinnant's days_from_civil / civil_from_days
 * (http://howardhinnant.github.io/date_algorithms.html). The year is shifted
 * to start on 1 March so the leap day is the last day of the shifted year,
 * and 400-year eras make the arithmetic exact for every day number. The
 * work is done in int64_t so no input (not even DATE_NONE) can overflow.
 */

/* Days from 0000-03-01 to 1970-01-01. */
enum { EPOCH_SHIFT = 719468, DAYS_PER_ERA = 146097 };

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                              /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* [0, 146096] */
    return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

static void civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
    z += EPOCH_SHIFT;
    int64_t era = (z >= 0 ? z : z - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
    int64_t doe = z - era * DAYS_PER_ERA;                              /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                  /* [0, 11] */
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = yoe + era * 400 + (m <= 2);
}

/* For results of arithmetic that may leave the representable range
 * (absurd month counts): DATE_NONE rather than a wrapped, wrong date. */
static date_t date_from_days(int64_t days)
{
    if (days <= INT32_MIN || days > INT32_MAX)
        return DATE_NONE;
    return (date_t)days;
}

bool date_is_leap_year(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && date_is_leap_year(year))
        return 29;
    return days[month - 1];
}

int date_from_ymd(int year, int month, int day, date_t *out)
{
    if (!out || year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
        return SH_EINVAL;
    if (day < 1 || day > date_days_in_month(year, month)) /* 0 for a bad month */
        return SH_EINVAL;
    *out = (date_t)days_from_civil(year, month, day);
    return SH_OK;
}

void date_to_ymd(date_t d, int *year, int *month, int *day)
{
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    /* |y| < 6 million for any int32 day number, so it fits an int. */
    if (year)
        *year = (int)y;
    if (month)
        *month = m;
    if (day)
        *day = dd;
}

/* ---- text ---------------------------------------------------------------- */

/* The value of the ASCII digits at s[at[0..n)], or -1 if one is not a digit
 * (not isdigit(): locale-independent, no UB on a negative char). */
static int read_digits(const char *s, const unsigned char *at, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        unsigned digit = (unsigned)(unsigned char)s[at[i]] - '0';
        if (digit > 9)
            return -1;
        v = v * 10 + (int)digit;
    }
    return v;
}

/* date_parse runs for every event the store reads (millions in a journeys
 * scan), so it computes the day number straight from the digits: with the
 * year >= 0 days_from_civil reduces to the plain Gregorian count below, and
 * the day of the March-based year comes from a table, not a division. */
int date_parse(const char *s, size_t len, date_t *out)
{
    /* Days before each month's first in a year starting on 1 March. */
    static const int16_t before[12] = {306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275};
    static const unsigned char at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    if (!s || !out || len != DATE_ISO_LEN || s[4] != '-' || s[7] != '-')
        return SH_EINVAL;
    int all = read_digits(s, at, 8);
    if (all < 0)
        return SH_EINVAL;
    int y = all / 10000, m = all / 100 % 100, d = all % 100;
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || d < 1 || d > date_days_in_month(y, m))
        return SH_EINVAL; /* date_days_in_month is 0 for a bad month */
    int shifted = y - (m <= 2);
    *out = (date_t)(shifted * 365 + shifted / 4 - shifted / 100 + shifted / 400 +
                    before[m - 1] + d - 1 - EPOCH_SHIFT);
    return SH_OK;
}

static void write_digits(char *out, int value, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

void date_format(date_t d, char out[static DATE_ISO_LEN + 1])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    if (y < 0 || y > 9999) {
        /* DATE_NONE or garbage cannot be written in ten characters. The
         * conventional zero date is visibly invalid (date_parse rejects it)
         * and beats an overflow or a plausible wrong date. */
        memcpy(out, "0000-00-00", DATE_ISO_LEN + 1);
        return;
    }
    write_digits(out, y, 4);
    out[4] = '-';
    write_digits(out + 5, m, 2);
    out[7] = '-';
    write_digits(out + 8, dd, 2);
    out[DATE_ISO_LEN] = '\0';
}

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* The decimal digits of v (which may be negative) into out; their count.
 * out holds at least 12 bytes. */
static size_t int_text(int v, char *out)
{
    char tmp[12];
    size_t k = 0, n = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[n++] = '-';
    while (k)
        out[n++] = tmp[--k];
    return n;
}

/* Built in place rather than with snprintf (it runs for every date of every
 * explanation on every timeline served); the contract is snprintf's:
 * truncate to n bytes, always NUL-terminate when n > 0, report the full
 * length. */
size_t date_format_long(date_t d, char *out, size_t n)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    char text[40];
    size_t len = int_text(dd, text);
    size_t month_len = strlen(month_names[m - 1]);
    text[len++] = ' ';
    memcpy(text + len, month_names[m - 1], month_len);
    len += month_len;
    text[len++] = ' ';
    len += int_text(y, text + len);
    if (n > 0) {
        size_t copy = len < n ? len : n - 1;
        memcpy(out, text, copy);
        out[copy] = '\0';
    }
    return len;
}

int date_weekday(date_t d)
{
    /* 1970-01-01 was a Thursday (4). d % 7 is in [-6, 6]; +7 makes it
     * non-negative without overflowing even for INT32_MIN. */
    return (d % 7 + 7 + 3) % 7 + 1;
}

date_t date_add_months(date_t d, int n)
{
    if (d == DATE_NONE)
        return DATE_NONE; /* "no date" plus a month is still no date */
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    int64_t months = y * 12 + (m - 1) + n; /* months since year 0 */
    int64_t ny = months >= 0 ? months / 12 : (months - 11) / 12; /* floor */
    int nm = (int)(months - ny * 12) + 1;
    /* |ny| < 200 million here, so it fits an int for the month length. */
    int dim = date_days_in_month((int)ny, nm);
    return date_from_days(days_from_civil(ny, nm, dd < dim ? dd : dim));
}

/* ---- England and Wales bank holidays ------------------------------------ */

enum { BH_FIRST_YEAR = 2000, BH_LAST_YEAR = 2100, BH_MAX_PER_YEAR = 12 };

typedef struct {
    int16_t year;
    int8_t month, day;
} ymd;

/* Extra bank holidays proclaimed on top of the regular ones. */
static const ymd bh_one_offs[] = {
    {2002, 6, 3},  /* Golden Jubilee of Elizabeth II */
    {2011, 4, 29}, /* wedding of Prince William and Catherine Middleton */
    {2012, 6, 5},  /* Diamond Jubilee of Elizabeth II */
    {2022, 6, 3},  /* Platinum Jubilee of Elizabeth II */
    {2022, 9, 19}, /* state funeral of Queen Elizabeth II */
    {2023, 5, 8},  /* coronation of King Charles III */
};

/* Regular holidays moved by proclamation: the date replaces the rule. */
static const ymd bh_early_may_moved[] = {
    {2020, 5, 8}, /* Friday, for the 75th anniversary of VE Day */
};
static const ymd bh_spring_moved[] = {
    {2002, 6, 4}, /* Tuesday, next to the Golden Jubilee holiday */
    {2012, 6, 4}, /* Monday, next to the Diamond Jubilee holiday */
    {2022, 6, 2}, /* Thursday, next to the Platinum Jubilee holiday */
};

typedef struct {
    date_t day[BH_MAX_PER_YEAR];
    int n;
} bh_list;

static date_t ymd_days(int y, int m, int d)
{
    return (date_t)days_from_civil(y, m, d);
}

static void bh_add(bh_list *l, date_t d)
{
    if (l->n < BH_MAX_PER_YEAR) /* 10 at most in any year; the cap is a guard */
        l->day[l->n++] = d;
}

static bool bh_contains(const bh_list *l, date_t d)
{
    for (int i = 0; i < l->n; i++)
        if (l->day[i] == d)
            return true;
    return false;
}

static bool is_weekend(date_t d)
{
    return date_weekday(d) >= 6;
}

/* Monday on or before d. */
static date_t monday_on_or_before(date_t d)
{
    return d - (date_weekday(d) - 1);
}

/* The rule date, unless a proclamation moved it that year. */
static date_t moved_or(const ymd *moved, size_t n, int year, date_t rule)
{
    for (size_t i = 0; i < n; i++)
        if (moved[i].year == year)
            return ymd_days(year, moved[i].month, moved[i].day);
    return rule;
}

/*
 * Fixed-date holidays (1 January; 25 and 26 December) that fall on a weekend
 * are observed on the next weekday that is not already a holiday. Holidays
 * that fall on weekdays are placed first, so when Christmas is a Sunday,
 * Boxing Day keeps Monday 26th and Christmas moves to Tuesday 27th.
 */
static void bh_add_fixed(bh_list *l, const date_t *fixed, int n)
{
    for (int i = 0; i < n; i++)
        if (!is_weekend(fixed[i]))
            bh_add(l, fixed[i]);
    for (int i = 0; i < n; i++) {
        if (!is_weekend(fixed[i]))
            continue;
        date_t sub = fixed[i] + 1;
        while (is_weekend(sub) || bh_contains(l, sub))
            sub++;
        bh_add(l, sub);
    }
}

static void bh_year(int year, bh_list *l)
{
    l->n = 0;

    date_t new_year = ymd_days(year, 1, 1);
    bh_add_fixed(l, &new_year, 1);

    date_t easter = date_easter_sunday(year);
    bh_add(l, easter - 2); /* Good Friday */
    bh_add(l, easter + 1); /* Easter Monday */

    date_t first_may_monday = monday_on_or_before(ymd_days(year, 5, 7));
    bh_add(l, moved_or(bh_early_may_moved,
                       sizeof bh_early_may_moved / sizeof bh_early_may_moved[0], year,
                       first_may_monday));

    date_t last_may_monday = monday_on_or_before(ymd_days(year, 5, 31));
    bh_add(l, moved_or(bh_spring_moved, sizeof bh_spring_moved / sizeof bh_spring_moved[0],
                       year, last_may_monday));

    bh_add(l, monday_on_or_before(ymd_days(year, 8, 31))); /* summer */

    date_t christmas[2] = {ymd_days(year, 12, 25), ymd_days(year, 12, 26)};
    bh_add_fixed(l, christmas, 2);

    for (size_t i = 0; i < sizeof bh_one_offs / sizeof bh_one_offs[0]; i++)
        if (bh_one_offs[i].year == year)
            bh_add(l, ymd_days(year, bh_one_offs[i].month, bh_one_offs[i].day));
}

/* Cheap enough for working-day loops: a dozen integer conversions and no
 * shared state, so it is safe from any thread without a cache. */
bool date_is_bank_holiday(date_t d)
{
    int year;
    date_to_ymd(d, &year, NULL, NULL);
    if (year < BH_FIRST_YEAR || year > BH_LAST_YEAR)
        return false;
    if (is_weekend(d))
        return false; /* every rule and one-off lands on a weekday */
    bh_list l;
    bh_year(year, &l);
    return bh_contains(&l, d);
}

bool date_is_working_day(date_t d)
{
    return !is_weekend(d) && !date_is_bank_holiday(d);
}

date_t date_next_working_day(date_t d)
{
    if (d == DATE_NONE)
        return DATE_NONE;
    while (!date_is_working_day(d))
        d++;
    return d;
}

/*
 * Counts working days strictly after d, so from a Friday n = 1 is the next
 * Monday. The header asks for n >= 0; a negative n counts the same way
 * backwards (n = -1 is the last working day before d) rather than silently
 * returning a date on the wrong side of d.
 */
date_t date_add_working_days(date_t d, int n)
{
    if (d == DATE_NONE)
        return DATE_NONE;
    if (n == 0)
        return date_next_working_day(d);
    int step = n > 0 ? 1 : -1;
    for (int64_t left = n > 0 ? (int64_t)n : -(int64_t)n; left > 0; left--) {
        d += step;
        while (!date_is_working_day(d))
            d += step;
    }
    return d;
}

/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). Valid for any
 * Gregorian year; limited to the supported years like everything else. */
date_t date_easter_sunday(int year)
{
    if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
        return DATE_NONE;
    int a = year % 19, b = year / 100, c = year % 100;
    int d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return ymd_days(year, month, day);
}
