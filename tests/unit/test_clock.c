/*
 * test_clock.c — app/clock.h: when a record is dated under a pinned today.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/clock.h"

/* 2026-11-23 14:05:09 UTC, a Monday. */
static const int64_t NOW = 1795442709;

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), 0);
    return out;
}

static void test_unpinned_is_now(void **state)
{
    (void)state;
    assert_int_equal(app_recorded_at(DATE_NONE, NOW), NOW);
}

static void test_pinned_day_keeps_the_time_of_day(void **state)
{
    (void)state;
    int64_t t = app_recorded_at(D(2026, 11, 2), NOW);
    assert_int_equal((date_t)(t / 86400), D(2026, 11, 2));
    assert_int_equal(t % 86400, 14 * 3600 + 5 * 60 + 9);
    /* the pinned day being the real one changes nothing */
    assert_int_equal(app_recorded_at(D(2026, 11, 23), NOW), NOW);
    /* later in the same real day is later on the pinned day: order kept */
    assert_true(app_recorded_at(D(2026, 11, 2), NOW + 60) > t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unpinned_is_now),
        cmocka_unit_test(test_pinned_day_keeps_the_time_of_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
