/*
 * test_forecast.c — the weekly queue model, queue positions, measured rates
 * and the back-test (core/forecast.h), with worked examples and synthetic
 * histories whose answer is known.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/forecast.h"
#include "core/wait.h"
#include "util/err.h"

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static forecast_model model; /* 12.5 KB, shared by the tests (one thread) */

static forecast_input input(date_t as_of, double capacity, size_t routine, size_t urgent)
{
    forecast_input in = {.as_of = as_of, .capacity_per_week = capacity};
    in.waiting[WAIT_PRIORITY_ROUTINE] = routine;
    in.waiting[WAIT_PRIORITY_URGENT] = urgent;
    return in;
}

static void test_fifo_worked(void **state)
{
    (void)state;
    date_t today = D(2026, 6, 1);
    forecast_input in = input(today, 10, 40, 0);
    assert_int_equal(forecast_build(&in, &model), SH_OK);
    /* 10 a week: the 10th is seen at the end of week 1, the 1st on day 1 */
    assert_int_equal(forecast_seen_date(&model, WAIT_PRIORITY_ROUTINE, 10), today + 7);
    assert_int_equal(forecast_seen_date(&model, WAIT_PRIORITY_ROUTINE, 1), today + 1);
    /* the 25th: half way through week 3 -> day 14 + ceil(3.5) */
    assert_int_equal(forecast_seen_date(&model, WAIT_PRIORITY_ROUTINE, 25), today + 18);
    /* a child referred today is the 41st: week 5, day 1 */
    assert_int_equal(forecast_new_referral(&model, WAIT_PRIORITY_ROUTINE), today + 29);
    assert_int_equal(forecast_seen_date(&model, WAIT_PRIORITY_ROUTINE, 0), DATE_NONE);
    /* the list falls by 10 a week with no arrivals, and stops at 0 */
    assert_true(fabs(model.list[0] - 40) < 1e-9);
    assert_true(fabs(model.list[2] - 20) < 1e-9);
    assert_true(fabs(model.list[9]) < 1e-9);
}

static void test_urgent_go_first(void **state)
{
    (void)state;
    date_t today = D(2026, 6, 1);
    forecast_input in = input(today, 10, 30, 5);
    in.arrivals[WAIT_PRIORITY_URGENT] = 4;
    in.arrivals[WAIT_PRIORITY_ROUTINE] = 3;
    assert_int_equal(forecast_build(&in, &model), SH_OK);
    /* week 1: urgent 5 + 4 seen, routine gets 1; week 2 on: urgent 4,
     * routine 6. The routine 7th: reach 1, 7 -> the end of week 2. */
    assert_int_equal(forecast_seen_date(&model, WAIT_PRIORITY_ROUTINE, 7), today + 14);
    assert_int_equal(forecast_seen_date(&model, WAIT_PRIORITY_URGENT, 5), today + 4);
    /* the list: 35 + 7 - 10 = 32, then -3 a week */
    assert_true(fabs(model.list[1] - 32) < 1e-9);
    assert_true(fabs(model.list[3] - 26) < 1e-9);

    /* urgent arrivals that take all the capacity: routine never seen */
    in.arrivals[WAIT_PRIORITY_URGENT] = 10;
    assert_int_equal(forecast_build(&in, &model), SH_OK);
    assert_int_equal(forecast_seen_date(&model, WAIT_PRIORITY_ROUTINE, 1), DATE_NONE);
    assert_int_not_equal(forecast_new_referral(&model, WAIT_PRIORITY_URGENT), DATE_NONE);
}

static void test_capacity_what_if_and_attrition(void **state)
{
    (void)state;
    date_t today = D(2026, 6, 1);
    forecast_input in = input(today, 8, 600, 0);
    in.arrivals[WAIT_PRIORITY_ROUTINE] = 9;
    assert_int_equal(forecast_build(&in, &model), SH_OK);
    date_t base = forecast_new_referral(&model, WAIT_PRIORITY_ROUTINE);
    /* 601 at 8 a week: week 76 */
    assert_true(base > today + 7 * 75 && base <= today + 7 * 76);
    assert_true(model.list[52] > model.list[0]); /* arrivals above capacity */

    /* a waiting list initiative: +4 a week */
    forecast_input more = in;
    more.capacity_per_week += 4;
    assert_int_equal(forecast_build(&more, &model), SH_OK);
    date_t faster = forecast_new_referral(&model, WAIT_PRIORITY_ROUTINE);
    assert_true(faster < base);
    assert_true(faster > today + 7 * 50 && faster <= today + 7 * 51); /* 601 / 12 */
    assert_true(model.list[52] < model.list[0]);

    /* 1% of the list leaving unseen each week brings everyone forward */
    forecast_input leaving = in;
    leaving.leave_per_week = 0.01;
    assert_int_equal(forecast_build(&leaving, &model), SH_OK);
    date_t sooner = forecast_new_referral(&model, WAIT_PRIORITY_ROUTINE);
    assert_true(sooner < base);
    assert_true(sooner > today + 7 * 40);

    /* no capacity: nobody is seen within the horizon */
    forecast_input none = input(today, 0, 10, 0);
    assert_int_equal(forecast_build(&none, &model), SH_OK);
    assert_int_equal(forecast_seen_date(&model, WAIT_PRIORITY_ROUTINE, 1), DATE_NONE);
}

static void test_invalid_input(void **state)
{
    (void)state;
    forecast_input in = input(D(2026, 6, 1), -1, 0, 0);
    assert_int_equal(forecast_build(&in, &model), SH_EINVAL);
    in.capacity_per_week = NAN;
    assert_int_equal(forecast_build(&in, &model), SH_EINVAL);
    in.capacity_per_week = FORECAST_MAX_RATE * 2;
    assert_int_equal(forecast_build(&in, &model), SH_EINVAL);
    in.capacity_per_week = 5;
    in.leave_per_week = 0.6;
    assert_int_equal(forecast_build(&in, &model), SH_EINVAL);
    in.leave_per_week = 0;
    in.arrivals[WAIT_PRIORITY_URGENT] = INFINITY;
    assert_int_equal(forecast_build(&in, &model), SH_EINVAL);
    in.arrivals[WAIT_PRIORITY_URGENT] = 0;
    in.as_of = DATE_NONE;
    assert_int_equal(forecast_build(&in, &model), SH_EINVAL);
}

static wait_referral ref(int64_t id, date_t referred)
{
    return (wait_referral){.id = id, .referred = referred, .triaged = DATE_NONE,
                           .first_contact = DATE_NONE, .assessment_started = DATE_NONE,
                           .discharged = DATE_NONE};
}

static void test_positions_and_rates(void **state)
{
    (void)state;
    date_t d0 = D(2026, 1, 5);
    wait_referral r[6] = {ref(1, d0), ref(2, d0), ref(3, d0 + 3), ref(4, d0 + 10),
                          ref(5, d0 + 20), ref(6, d0 + 30)};
    r[1].priority = WAIT_PRIORITY_URGENT;
    r[2].first_contact = d0 + 14; /* seen */
    r[4].discharged = d0 + 22; /* left unseen */
    wait_set set = {r, 6, NULL, 0};
    uint32_t pos[6];
    size_t counts[WAIT_PRIORITY_COUNT];
    assert_int_equal(forecast_positions(&set, WAIT_STOP_FIRST_CONTACT, d0 + 25, pos, counts),
                     SH_OK);
    assert_int_equal(pos[0], 1);
    assert_int_equal(pos[1], 1); /* first of the urgent queue */
    assert_int_equal(pos[2], 0);
    assert_int_equal(pos[3], 2);
    assert_int_equal(pos[4], 0);
    assert_int_equal(pos[5], 0); /* not referred yet */
    assert_int_equal(counts[WAIT_PRIORITY_ROUTINE], 2);
    assert_int_equal(counts[WAIT_PRIORITY_URGENT], 1);

    /* rates over the 4 weeks ending d0 + 27: 5 referrals (1 urgent), 1
     * seen, 1 discharged unseen; the list was 0 at the start, 3 at the end */
    forecast_rates rates;
    assert_int_equal(forecast_rates_measure(&set, WAIT_STOP_FIRST_CONTACT, d0 + 27, 4, &rates),
                     SH_OK);
    assert_true(fabs(rates.arrivals[WAIT_PRIORITY_ROUTINE] - 1.0) < 1e-9);
    assert_true(fabs(rates.arrivals[WAIT_PRIORITY_URGENT] - 0.25) < 1e-9);
    assert_true(fabs(rates.seen - 0.25) < 1e-9);
    assert_true(fabs(rates.leave_per_week - 0.25 / 1.5) < 1e-9);
    assert_int_equal(forecast_rates_measure(&set, WAIT_STOP_FIRST_CONTACT, d0, 0, &rates),
                     SH_EINVAL);
    /* turned away at triage instead: it leaves the list but from its tail,
     * not from ahead of anyone, so it is no attrition */
    r[4].discharged = DATE_NONE;
    r[4].triage = WAIT_TRIAGE_REJECTED;
    r[4].triaged = d0 + 22;
    assert_int_equal(forecast_rates_measure(&set, WAIT_STOP_FIRST_CONTACT, d0 + 27, 4, &rates),
                     SH_OK);
    assert_true(rates.leave_per_week == 0);

    /* out of order: refused */
    wait_referral swapped[2] = {ref(2, d0 + 1), ref(1, d0)};
    wait_set bad = {swapped, 2, NULL, 0};
    assert_int_equal(forecast_positions(&bad, WAIT_STOP_FIRST_CONTACT, d0 + 5, pos, NULL),
                     SH_EINVAL);
}

/* ---- back-test on histories whose answer is known ------------------------ */

enum { WEEKS = 150, MAX_REFS = 15 * WEEKS };
static wait_referral hist[MAX_REFS];

/* A FIFO clinic from `start`: `arrive` referrals a week (spread over its
 * days), `cap` seen a week (cap2 from week `change` on), each
 * seen on the last day of the week it is reached. */
static size_t history(date_t start, int arrive, int cap, int cap2, int change)
{
    size_t n = 0, head = 0;
    for (int w = 0; w < WEEKS; w++) {
        date_t week = start + 7 * w;
        /* spread over the week in (date, id) order, as the store loads them */
        for (int i = 0; i < arrive; i++) {
            hist[n] = ref((int64_t)n + 1, week + i * 7 / arrive);
            n++;
        }
        int c = w < change ? cap : cap2;
        for (int k = 0; k < c && head < n; k++)
            hist[head++].first_contact = week + 6;
    }
    return n;
}

static void test_backtest_steady_clinic(void **state)
{
    (void)state;
    date_t start = D(2023, 1, 2);
    size_t n = history(start, 12, 10, 10, WEEKS);
    wait_set set = {hist, n, NULL, 0};
    forecast_backtest_params p = {.clock_stop = WAIT_STOP_FIRST_CONTACT,
                                  .from = start + 7 * 20 + 6, .to = start + 7 * 100 + 6,
                                  .step_weeks = 4, .rate_weeks = 12};
    forecast_backtest_result res;
    assert_int_equal(forecast_backtest(&set, &p, &res), SH_OK);
    assert_int_equal(res.as_of_dates, 21);
    assert_true(res.compared > 1000);
    /* the model is this clinic: within a week, no bias to speak of */
    assert_true(res.mae_weeks < 1.0);
    assert_true(fabs(res.bias_weeks) < 1.0);
    assert_true(res.within_4_weeks == res.compared);
    assert_int_equal(res.not_seen, 0); /* the list is cleared by week 150 */
}

static void test_backtest_capacity_rise_shows_bias(void **state)
{
    (void)state;
    date_t start = D(2023, 1, 2);
    /* capacity quadruples at week 60: forecasts made before it, from the
     * capacity seen then, were too late */
    size_t n = history(start, 15, 10, 40, 60);
    wait_set set = {hist, n, NULL, 0};
    forecast_backtest_params p = {.clock_stop = WAIT_STOP_FIRST_CONTACT,
                                  .from = start + 7 * 30 + 6, .to = start + 7 * 58 + 6,
                                  .step_weeks = 4, .rate_weeks = 12};
    forecast_backtest_result res;
    assert_int_equal(forecast_backtest(&set, &p, &res), SH_OK);
    assert_true(res.compared > 0);
    assert_true(res.bias_weeks > 1.0);
    /* a fixed 40 a week all along is too early for the weeks before 60 */
    p.capacity_per_week = 40;
    assert_int_equal(forecast_backtest(&set, &p, &res), SH_OK);
    assert_true(res.bias_weeks < 0);

    p.step_weeks = 0;
    assert_int_equal(forecast_backtest(&set, &p, &res), SH_EINVAL);
    p.step_weeks = 4;
    p.from = p.to + 1;
    assert_int_equal(forecast_backtest(&set, &p, &res), SH_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_worked),
        cmocka_unit_test(test_urgent_go_first),
        cmocka_unit_test(test_capacity_what_if_and_attrition),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_positions_and_rates),
        cmocka_unit_test(test_backtest_steady_clinic),
        cmocka_unit_test(test_backtest_capacity_rise_shows_bias),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
