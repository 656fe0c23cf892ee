/*
 * test_inspection.c — area SEND inspections (core/inspection.h): which
 * outcomes and findings each framework has, the follow-up dates as worked
 * examples checked by hand against a calendar (bank holidays included), and
 * measure trajectories: the line, on/off track, moving or not.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/inspection.h"
#include "util/err.h"

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int f = 0; f < INSP_FW_COUNT; f++) {
        insp_framework back = INSP_FW_COUNT;
        assert_int_equal(insp_framework_parse(insp_framework_name((insp_framework)f), &back), SH_OK);
        assert_int_equal(back, f);
    }
    for (int o = 0; o < INSP_OUT_COUNT; o++) {
        insp_outcome back = INSP_OUT_COUNT;
        assert_int_equal(insp_outcome_parse(insp_outcome_name((insp_outcome)o), &back), SH_OK);
        assert_int_equal(back, o);
    }
    for (int k = 0; k < INSP_FIND_COUNT; k++) {
        insp_finding_kind back = INSP_FIND_COUNT;
        assert_int_equal(insp_finding_parse(insp_finding_name((insp_finding_kind)k), &back), SH_OK);
        assert_int_equal(back, k);
    }
    insp_outcome untouched = INSP_OUT_2023_POSITIVE;
    assert_int_equal(insp_outcome_parse("good", &untouched), SH_EINVAL);
    assert_int_equal(insp_outcome_parse(NULL, &untouched), SH_EINVAL);
    assert_int_equal(untouched, INSP_OUT_2023_POSITIVE);
    assert_string_equal(insp_outcome_name(INSP_OUT_COUNT), "unknown");
    assert_string_equal(insp_finding_label(INSP_FIND_PRIORITY_ACTION), "Area for priority action");
}

static void test_framework_vocabulary(void **state)
{
    (void)state;
    assert_true(insp_outcome_valid(INSP_FW_2016, INSP_OUT_2016_WSOA));
    assert_false(insp_outcome_valid(INSP_FW_2016, INSP_OUT_2023_WIDESPREAD));
    assert_false(insp_outcome_valid(INSP_FW_2023, INSP_OUT_2016_NO_WSOA));
    assert_true(insp_outcome_valid(INSP_FW_2023, INSP_OUT_2023_INCONSISTENT));
    assert_false(insp_outcome_valid(INSP_FW_COUNT, INSP_OUT_2023_POSITIVE));

    assert_true(insp_finding_valid(INSP_FW_2016, INSP_FIND_SIGNIFICANT_WEAKNESS));
    assert_false(insp_finding_valid(INSP_FW_2023, INSP_FIND_SIGNIFICANT_WEAKNESS));
    assert_true(insp_finding_valid(INSP_FW_2023, INSP_FIND_PRIORITY_ACTION));
    assert_false(insp_finding_valid(INSP_FW_2016, INSP_FIND_PRIORITY_ACTION));
    assert_true(insp_finding_valid(INSP_FW_2016, INSP_FIND_STRENGTH));
    assert_true(insp_finding_valid(INSP_FW_2023, INSP_FIND_IMPROVEMENT));

    assert_true(insp_outcome_needs_plan(INSP_OUT_2016_WSOA));
    assert_true(insp_outcome_needs_plan(INSP_OUT_2023_WIDESPREAD));
    assert_false(insp_outcome_needs_plan(INSP_OUT_2023_INCONSISTENT));
    assert_false(insp_outcome_needs_plan(INSP_OUT_2016_NO_WSOA));
}

/* Letter published Monday 4 March 2019. 70 working days on is Friday
 * 14 June 2019: the count skips Good Friday (19 April), Easter Monday
 * (22 April), the early May (6 May) and spring (27 May) bank holidays;
 * weekends alone would give Monday 10 June. WSoA accepted Monday 2 September
 * 2019: revisit expected by 2 March 2021. */
static void test_followup_wsoa_2016(void **state)
{
    (void)state;
    insp_followup f;
    assert_int_equal(insp_followup_compute(INSP_FW_2016, INSP_OUT_2016_WSOA, D(2019, 3, 4),
                                           DATE_NONE, DATE_NONE, &f), SH_OK);
    assert_true(f.plan_required);
    assert_true(f.plan_due_computed);
    assert_int_equal(f.plan_due, D(2019, 6, 14));
    assert_int_equal(f.monitor_from, DATE_NONE); /* not accepted yet: no window */
    assert_int_equal(f.monitor_by, DATE_NONE);
    assert_int_equal(f.next_full_by, DATE_NONE);

    assert_int_equal(insp_followup_compute(INSP_FW_2016, INSP_OUT_2016_WSOA, D(2019, 3, 4),
                                           D(2019, 9, 2), DATE_NONE, &f), SH_OK);
    assert_int_equal(f.plan_due, D(2019, 6, 14));
    assert_int_equal(f.monitor_from, D(2019, 9, 2));
    assert_int_equal(f.monitor_by, D(2021, 3, 2));

    /* A letter published on a Saturday counts from the Monday after. */
    assert_int_equal(insp_followup_compute(INSP_FW_2016, INSP_OUT_2016_WSOA, D(2019, 3, 2),
                                           DATE_NONE, DATE_NONE, &f), SH_OK);
    assert_int_equal(f.plan_due, D(2019, 6, 13));

    assert_int_equal(insp_followup_compute(INSP_FW_2016, INSP_OUT_2016_NO_WSOA, D(2019, 3, 4),
                                           DATE_NONE, DATE_NONE, &f), SH_OK);
    assert_false(f.plan_required);
    assert_int_equal(f.plan_due, DATE_NONE);
    assert_int_equal(f.monitor_by, DATE_NONE);
}

/* Report published Tuesday 10 October 2023 with widespread failings: the
 * priority action plan is due on the date the letter states (here Friday
 * 1 December 2023); monitoring inspection by 10 April 2025; full
 * re-inspection by 10 October 2026. */
static void test_followup_2023(void **state)
{
    (void)state;
    insp_followup f;
    assert_int_equal(insp_followup_compute(INSP_FW_2023, INSP_OUT_2023_WIDESPREAD, D(2023, 10, 10),
                                           DATE_NONE, D(2023, 12, 1), &f), SH_OK);
    assert_true(f.plan_required);
    assert_false(f.plan_due_computed);
    assert_int_equal(f.plan_due, D(2023, 12, 1));
    assert_int_equal(f.monitor_from, D(2023, 10, 10));
    assert_int_equal(f.monitor_by, D(2025, 4, 10));
    assert_int_equal(f.next_full_by, D(2026, 10, 10));

    assert_int_equal(insp_followup_compute(INSP_FW_2023, INSP_OUT_2023_WIDESPREAD, D(2023, 10, 10),
                                           DATE_NONE, DATE_NONE, &f), SH_OK);
    assert_true(f.plan_required);
    assert_int_equal(f.plan_due, DATE_NONE); /* not recorded yet: not invented */

    /* Positive, 31 August 2023: next full inspection in about 5 years. */
    assert_int_equal(insp_followup_compute(INSP_FW_2023, INSP_OUT_2023_POSITIVE, D(2023, 8, 31),
                                           DATE_NONE, DATE_NONE, &f), SH_OK);
    assert_false(f.plan_required);
    assert_int_equal(f.monitor_by, DATE_NONE);
    assert_int_equal(f.next_full_by, D(2028, 8, 31));

    /* Inconsistent, 29 February 2024: 3 years on clamps to 28 February. */
    assert_int_equal(insp_followup_compute(INSP_FW_2023, INSP_OUT_2023_INCONSISTENT, D(2024, 2, 29),
                                           DATE_NONE, DATE_NONE, &f), SH_OK);
    assert_int_equal(f.next_full_by, D(2027, 2, 28));
    assert_int_equal(f.plan_due, DATE_NONE);
}

static void test_followup_rejects(void **state)
{
    (void)state;
    insp_followup f = {.plan_due = 7};
    /* an outcome of the other framework */
    assert_int_equal(insp_followup_compute(INSP_FW_2016, INSP_OUT_2023_WIDESPREAD, D(2023, 10, 10),
                                           DATE_NONE, DATE_NONE, &f), SH_EINVAL);
    assert_int_equal(insp_followup_compute(INSP_FW_2023, INSP_OUT_2023_WIDESPREAD, DATE_NONE,
                                           DATE_NONE, DATE_NONE, &f), SH_EINVAL);
    /* accepted or due before publication */
    assert_int_equal(insp_followup_compute(INSP_FW_2016, INSP_OUT_2016_WSOA, D(2019, 3, 4),
                                           D(2019, 3, 3), DATE_NONE, &f), SH_EINVAL);
    assert_int_equal(insp_followup_compute(INSP_FW_2023, INSP_OUT_2023_WIDESPREAD, D(2023, 10, 10),
                                           DATE_NONE, D(2023, 10, 9), &f), SH_EINVAL);
    assert_int_equal(insp_followup_compute(INSP_FW_2023, INSP_OUT_2023_WIDESPREAD, DATE_MAX_DAY + 1,
                                           DATE_NONE, DATE_NONE, &f), SH_EINVAL);
    assert_int_equal(f.plan_due, 7); /* untouched */
}

/* "% plans issued within 20 weeks": 40% on 1 June 2026, target 76.5% by
 * 1 June 2027 (365 days: 0.1 points a day). On 1 November 2026 (153 days
 * in) the line expects 55.3%. */
static const insp_trajectory timeliness = {
    .baseline_date = 20605, /* 2026-06-01, checked in the test */
    .baseline = 40.0,
    .target_date = 20970, /* 2027-06-01 */
    .target = 76.5,
    .higher_is_better = true,
};

static void test_trajectory_rising(void **state)
{
    (void)state;
    assert_int_equal(timeliness.baseline_date, D(2026, 6, 1));
    assert_int_equal(timeliness.target_date, D(2027, 6, 1));
    assert_int_equal(insp_trajectory_check(&timeliness), SH_OK);
    assert_float_equal(insp_trajectory_expected(&timeliness, D(2026, 11, 1)), 55.3, 1e-9);
    assert_float_equal(insp_trajectory_expected(&timeliness, D(2026, 6, 1)), 40.0, 1e-9);
    assert_float_equal(insp_trajectory_expected(&timeliness, D(2026, 1, 1)), 40.0, 1e-9);
    assert_float_equal(insp_trajectory_expected(&timeliness, D(2027, 6, 1)), 76.5, 1e-9);
    assert_float_equal(insp_trajectory_expected(&timeliness, D(2028, 1, 1)), 76.5, 1e-9);

    assert_int_equal(insp_trajectory_track(&timeliness, D(2026, 11, 1), 56.0), INSP_TRACK_ON);
    assert_int_equal(insp_trajectory_track(&timeliness, D(2026, 11, 1), 55.0), INSP_TRACK_OFF);
    /* past the target date the target itself is the bar */
    assert_int_equal(insp_trajectory_track(&timeliness, D(2027, 9, 1), 76.5), INSP_TRACK_ON);
    assert_int_equal(insp_trajectory_track(&timeliness, D(2027, 9, 1), 70.0), INSP_TRACK_OFF);
    assert_int_equal(insp_trajectory_track(&timeliness, D(2026, 11, 1), NAN), INSP_TRACK_OFF);

    assert_int_equal(insp_trajectory_move(&timeliness, 40.0, 45.0), INSP_MOVE_BETTER);
    assert_int_equal(insp_trajectory_move(&timeliness, 45.0, 40.0), INSP_MOVE_WORSE);
    assert_int_equal(insp_trajectory_move(&timeliness, 45.0, 45.0), INSP_MOVE_SAME);
    assert_string_equal(insp_track_label(INSP_TRACK_OFF), "Off track");
    assert_string_equal(insp_move_label(INSP_MOVE_BETTER), "Improving");
}

/* "Autism assessment wait, median weeks": 40 weeks on 1 January 2026, to
 * 18 by 1 January 2027. On 2 July 2026 (182 of 365 days) the line expects
 * 40 - 22 * 182 / 365 = 29.03 weeks; 28 is on track, 31 is not. */
static void test_trajectory_falling(void **state)
{
    (void)state;
    insp_trajectory wait = {.baseline_date = D(2026, 1, 1), .baseline = 40.0,
                            .target_date = D(2027, 1, 1), .target = 18.0,
                            .higher_is_better = false};
    assert_int_equal(insp_trajectory_check(&wait), SH_OK);
    assert_float_equal(insp_trajectory_expected(&wait, D(2026, 7, 2)), 40.0 - 22.0 * 182.0 / 365.0,
                       1e-9);
    assert_int_equal(insp_trajectory_track(&wait, D(2026, 7, 2), 28.0), INSP_TRACK_ON);
    assert_int_equal(insp_trajectory_track(&wait, D(2026, 7, 2), 31.0), INSP_TRACK_OFF);
    assert_int_equal(insp_trajectory_move(&wait, 40.0, 35.0), INSP_MOVE_BETTER);
    assert_int_equal(insp_trajectory_move(&wait, 35.0, 40.0), INSP_MOVE_WORSE);
}

static void test_trajectory_check(void **state)
{
    (void)state;
    insp_trajectory t = timeliness;
    t.target = 40.0; /* hold the line: allowed */
    assert_int_equal(insp_trajectory_check(&t), SH_OK);
    t.target = 30.0; /* a target worse than the baseline */
    assert_int_equal(insp_trajectory_check(&t), SH_EINVAL);
    t = timeliness;
    t.higher_is_better = false; /* 40 -> 76.5 is worse when lower is better */
    assert_int_equal(insp_trajectory_check(&t), SH_EINVAL);
    t = timeliness;
    t.target_date = t.baseline_date;
    assert_int_equal(insp_trajectory_check(&t), SH_EINVAL);
    t = timeliness;
    t.baseline_date = DATE_NONE;
    assert_int_equal(insp_trajectory_check(&t), SH_EINVAL);
    t = timeliness;
    t.target = INFINITY;
    assert_int_equal(insp_trajectory_check(&t), SH_EINVAL);
    t = timeliness;
    t.baseline = NAN;
    assert_int_equal(insp_trajectory_check(&t), SH_EINVAL);
    assert_int_equal(insp_trajectory_check(NULL), SH_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_framework_vocabulary),
        cmocka_unit_test(test_followup_wsoa_2016),
        cmocka_unit_test(test_followup_2023),
        cmocka_unit_test(test_followup_rejects),
        cmocka_unit_test(test_trajectory_rising),
        cmocka_unit_test(test_trajectory_falling),
        cmocka_unit_test(test_trajectory_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
