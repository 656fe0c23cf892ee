/*
 * test_inspection.c — area SEND inspections: the pure rules (core/
 * inspection.h: which outcomes and findings each framework has, the
 * follow-up dates as worked examples checked by hand against a calendar,
 * bank holidays included, and measure trajectories: the line, on/off track,
 * moving or not, in either direction), then the use cases (app/inspection.h)
 * on a real database: who may read and record, every validation message,
 * another area's inspection not found, a pathway's median wait linked as a
 * measure month by month, and migration 013's constraints.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/health.h"
#include "app/inspection.h"
#include "core/inspection.h"
#include "store/store_health.h"
#include "testdb.h"
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

static void test_actions(void **state)
{
    (void)state;
    for (int a = 0; a < INSP_ACT_COUNT; a++) {
        insp_action_status back = INSP_ACT_COUNT;
        assert_int_equal(insp_action_parse(insp_action_name((insp_action_status)a), &back), SH_OK);
        assert_int_equal(back, a);
    }
    for (int o = 0; o < INSP_ORG_COUNT; o++) {
        insp_org back = INSP_ORG_COUNT;
        assert_int_equal(insp_org_parse(insp_org_name((insp_org)o), &back), SH_OK);
        assert_int_equal(back, o);
    }
    insp_org org = INSP_ORG_NHS;
    assert_int_equal(insp_org_parse("icb", &org), SH_EINVAL);
    assert_int_equal(org, INSP_ORG_NHS);
    assert_string_equal(insp_org_label(INSP_ORG_PCF), "Parent carer forum");
    assert_int_equal(insp_action_rag(INSP_ACT_ON_TRACK), INSP_RAG_GREEN);
    assert_int_equal(insp_action_rag(INSP_ACT_AT_RISK), INSP_RAG_AMBER);
    assert_int_equal(insp_action_rag(INSP_ACT_OFF_TRACK), INSP_RAG_RED);
    assert_int_equal(insp_action_rag(INSP_ACT_NOT_STARTED), INSP_RAG_NONE);
    assert_int_equal(insp_action_rag(INSP_ACT_DONE), INSP_RAG_DONE);
    /* due Friday 30 October 2026: late from Saturday unless done */
    assert_false(insp_action_late(INSP_ACT_ON_TRACK, D(2026, 10, 30), D(2026, 10, 30)));
    assert_true(insp_action_late(INSP_ACT_ON_TRACK, D(2026, 10, 30), D(2026, 10, 31)));
    assert_true(insp_action_late(INSP_ACT_NOT_STARTED, D(2026, 10, 30), D(2026, 11, 2)));
    assert_false(insp_action_late(INSP_ACT_DONE, D(2026, 10, 30), D(2026, 11, 2)));
}

/* A measure is its dashboard counters' rate in a month: 7 of 16 plans
 * within 20 weeks in March 2026 is 43.8%; a month without plans has none. */
static void test_measures(void **state)
{
    (void)state;
    static metrics m;
    assert_int_equal(metrics_init(&m, D(2026, 11, 2), 2025, 2026, NULL, 0), SH_OK);
    int march = metrics_period_month(&m, 2026, 3);
    m.v[march][MC_PLANS] = 16;
    m.v[march][MC_PLANS_20W] = 7;
    m.v[march][MC_REVIEWS_DUE] = 40;
    m.v[march][MC_REVIEWS_ON_TIME] = 30;
    assert_int_equal(insp_measure_value_x10(&m, INSP_M_PLANS_20W, march), 438);
    assert_int_equal(insp_measure_value_x10(&m, INSP_M_REVIEWS_ON_TIME, march), 750);
    assert_int_equal(insp_measure_value_x10(&m, INSP_M_DECISIONS_6W, march), -1);
    assert_int_equal(insp_measure_value_x10(&m, INSP_M_PLANS_20W, metrics_period_month(&m, 2026, 4)),
                     -1);
    for (int k = 0; k < INSP_M_COUNT; k++) {
        insp_measure back = INSP_M_COUNT;
        assert_int_equal(insp_measure_parse(insp_measure_name((insp_measure)k), &back), SH_OK);
        assert_int_equal(back, k);
    }
    insp_measure none = INSP_M_PLANS_20W;
    assert_int_equal(insp_measure_parse("median_wait", &none), SH_EINVAL);

    /* the rates are percentages, higher better; a wait is weeks, lower
     * better, and never a dashboard figure */
    for (int k = 0; k < INSP_M_WAIT_MEDIAN; k++) {
        assert_true(insp_measure_higher_is_better((insp_measure)k));
        assert_false(insp_measure_in_weeks((insp_measure)k));
        assert_int_equal(insp_measure_max_x10((insp_measure)k), 1000);
    }
    assert_false(insp_measure_higher_is_better(INSP_M_WAIT_MEDIAN));
    assert_true(insp_measure_in_weeks(INSP_M_WAIT_MEDIAN));
    assert_int_equal(insp_measure_max_x10(INSP_M_WAIT_MEDIAN), 9999);
    assert_string_equal(insp_measure_name(INSP_M_WAIT_MEDIAN), "wait_median");
    assert_int_equal(insp_measure_value_x10(&m, INSP_M_WAIT_MEDIAN, march), -1);
    /* days as tenths of a week, to nearest: 151 days = 21.57 weeks */
    assert_int_equal(insp_weeks_x10(151), 216);
    assert_int_equal(insp_weeks_x10(7), 10);
    assert_int_equal(insp_weeks_x10(10), 14);  /* 1.43 */
    assert_int_equal(insp_weeks_x10(11), 16);  /* 1.57 */
    assert_int_equal(insp_weeks_x10(0), 0);
    assert_int_equal(insp_weeks_x10(-1), -1);
    assert_int_equal(insp_weeks_x10(100000), 9999);
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

/* ---- app/inspection ----------------------------------------------------------- */

#define LA "990"

typedef struct {
    const char *url;
    store *s;
    arena *a;
} fixture;

static app_identity person(app_role role, const char *la)
{
    app_identity who = {.username = "m.test", .role = (int)role, .remote = ""};
    memcpy(who.la_code, la, sizeof who.la_code);
    return who;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(16u << 20);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK ||
        store_area_put(f->s, LA, "Test area") != SH_OK ||
        store_area_put(f->s, "991", "Other area") != SH_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    arena_destroy(f->a);
    testdb_drop(f->url);
    free(f);
    return 0;
}

/* Managers record; inspectors and the parent carer forum read; nobody else
 * sees inspections. */
static void test_capabilities(void **state)
{
    (void)state;
    static const struct {
        app_role role;
        bool see, record;
    } want[] = {
        {ROLE_COORDINATOR, false, false}, {ROLE_MANAGER, true, true},
        {ROLE_HEALTH, false, false},      {ROLE_SOCIAL_CARE, false, false},
        {ROLE_SETTING, false, false},     {ROLE_ADMIN, false, false},
        {ROLE_INSPECTOR, true, false},    {ROLE_PARENT, false, false},
        {ROLE_FORUM, true, false},        {ROLE_SYSTEM, true, true},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        app_identity who = person(want[i].role, LA);
        assert_int_equal(access_can(&who, CAN_SEE_INSPECTIONS), want[i].see);
        assert_int_equal(access_can(&who, CAN_RECORD_INSPECTIONS), want[i].record);
    }
}

static store_inspection widespread(void)
{
    return (store_inspection){.framework = INSP_FW_2023, .outcome = INSP_OUT_2023_WIDESPREAD,
                              .started_on = D(2026, 9, 7), .ended_on = D(2026, 9, 25),
                              .published_on = D(2026, 10, 20), .plan_due_on = D(2026, 12, 1),
                              .accepted_on = DATE_NONE};
}

static void test_record_and_read(void **state)
{
    fixture *f = *state;
    app_identity manager = person(ROLE_MANAGER, LA), inspector = person(ROLE_INSPECTOR, LA);
    app_error err = {0};
    store_inspection in = widespread();
    assert_int_equal(app_inspection_record(f->s, &manager, &in, D(2026, 11, 2), &err), SH_OK);
    assert_true(in.id > 0);

    store_finding fd = {.inspection_id = in.id, .kind = INSP_FIND_PRIORITY_ACTION,
                        .title = "Timeliness of EHC plans",
                        .wording = "Leaders should make sure that EHC plans are issued on time."};
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &fd, &err), SH_OK);
    store_finding st = {.inspection_id = in.id, .kind = INSP_FIND_STRENGTH,
                        .title = "Early years", .wording = "Early years settings\nidentify needs well."};
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &st, &err), SH_OK);

    app_inspection_view v;
    assert_int_equal(app_inspection_get(f->s, &inspector, in.id, f->a, &v, &err), SH_OK);
    assert_int_equal(v.i.outcome, INSP_OUT_2023_WIDESPREAD);
    assert_int_equal(v.i.published_on, D(2026, 10, 20));
    assert_string_equal(v.i.created_by, "m.test");
    assert_int_equal(v.follow.plan_due, D(2026, 12, 1));
    assert_int_equal(v.follow.monitor_by, D(2028, 4, 20));
    assert_int_equal(v.follow.next_full_by, D(2029, 10, 20));
    assert_int_equal(v.n_findings, 2);
    assert_int_equal(v.findings[0].kind, INSP_FIND_PRIORITY_ACTION);
    assert_string_equal(v.findings[1].wording, "Early years settings\nidentify needs well.");

    store_inspection *list;
    size_t n;
    assert_int_equal(app_inspections(f->s, &inspector, f->a, &list, &n, &err), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, in.id);

    /* another area's people neither see it nor add to it */
    app_identity other = person(ROLE_MANAGER, "991");
    assert_int_equal(app_inspection_get(f->s, &other, in.id, f->a, &v, &err), SH_ENOTFOUND);
    store_finding theirs = fd;
    assert_int_equal(app_inspection_finding_add(f->s, &other, &theirs, &err), SH_ENOTFOUND);
    assert_int_equal(app_inspections(f->s, &other, f->a, &list, &n, &err), SH_OK);
    assert_int_equal(n, 0);
}

static void test_who_may(void **state)
{
    fixture *f = *state;
    app_identity inspector = person(ROLE_INSPECTOR, LA), coordinator = person(ROLE_COORDINATOR, LA);
    app_error err = {0};
    store_inspection in = widespread();
    assert_int_equal(app_inspection_record(f->s, &inspector, &in, D(2026, 11, 2), &err),
                     SH_EDENIED);
    store_finding fd = {.inspection_id = 1, .kind = INSP_FIND_STRENGTH, .title = "x", .wording = "y"};
    assert_int_equal(app_inspection_finding_add(f->s, &inspector, &fd, &err), SH_EDENIED);
    store_inspection *list;
    size_t n;
    assert_int_equal(app_inspections(f->s, &coordinator, f->a, &list, &n, &err), SH_EDENIED);
}

/* Each broken rule names its field. */
static void test_validation(void **state)
{
    fixture *f = *state;
    app_identity manager = person(ROLE_MANAGER, LA);
    date_t today = D(2026, 11, 2);
    static const struct {
        const char *field;
        int what;
    } cases[] = {
        {"outcome", 0}, {"ended_on", 1}, {"published_on", 2}, {"published_on", 3},
        {"plan_due_on", 4}, {"plan_due_on", 5}, {"accepted_on", 6}, {"started_on", 7},
        {"accepted_on", 8},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        store_inspection in = widespread();
        switch (cases[k].what) {
        case 0: in.outcome = INSP_OUT_2016_WSOA; break;            /* other framework */
        case 1: in.ended_on = D(2026, 9, 6); break;                /* before the start */
        case 2: in.published_on = D(2026, 9, 24); break;           /* before fieldwork ended */
        case 3: in.published_on = D(2026, 11, 3); break;           /* in the future */
        case 4: in.outcome = INSP_OUT_2023_INCONSISTENT; break;    /* no plan to be due */
        case 5: in.plan_due_on = D(2026, 10, 19); break;           /* before the report */
        case 6: in.accepted_on = D(2026, 10, 30); break;           /* 2023 has no WSoA */
        case 7: in.started_on = DATE_NONE; break;
        case 8:                                                    /* accepted in the future */
            in.framework = INSP_FW_2016;
            in.outcome = INSP_OUT_2016_WSOA;
            in.plan_due_on = DATE_NONE;
            in.accepted_on = D(2026, 11, 3);
            break;
        }
        app_error err = {0};
        assert_int_equal(app_inspection_record(f->s, &manager, &in, today, &err), SH_EINVAL);
        assert_string_equal(err.field, cases[k].field);
        assert_true(strlen(err.message) > 10);
    }

    store_inspection in = widespread();
    app_error err = {0};
    assert_int_equal(app_inspection_record(f->s, &manager, &in, today, &err), SH_OK);
    store_finding fd = {.inspection_id = in.id, .kind = INSP_FIND_SIGNIFICANT_WEAKNESS,
                        .title = "Co-production", .wording = "Leaders do not work with families."};
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &fd, &err), SH_EINVAL);
    assert_string_equal(err.field, "kind"); /* a 2016 kind on a 2023 report */
    fd.kind = INSP_FIND_IMPROVEMENT;
    fd.title = "";
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &fd, &err), SH_EINVAL);
    assert_string_equal(err.field, "title");
    fd.title = "Co-production";
    fd.wording = "";
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &fd, &err), SH_EINVAL);
    assert_string_equal(err.field, "wording");
    fd.inspection_id = in.id + 100;
    fd.wording = "Words.";
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &fd, &err), SH_ENOTFOUND);

    /* nothing invalid was stored */
    app_inspection_view v;
    assert_int_equal(app_inspection_get(f->s, &manager, in.id, f->a, &v, &err), SH_OK);
    assert_int_equal(v.n_findings, 0);
    store_inspection *list;
    size_t n;
    assert_int_equal(app_inspections(f->s, &manager, f->a, &list, &n, &err), SH_OK);
    assert_int_equal(n, 1);
}

/* The improvement plan: actions under areas to improve, dated updates that
 * set the status, late actions, who may change them. */
static void test_plan_actions(void **state)
{
    fixture *f = *state;
    app_identity manager = person(ROLE_MANAGER, LA), inspector = person(ROLE_INSPECTOR, LA);
    app_error err = {0};
    store_inspection in = widespread();
    assert_int_equal(app_inspection_record(f->s, &manager, &in, D(2026, 11, 2), &err), SH_OK);
    store_finding area = {.inspection_id = in.id, .kind = INSP_FIND_PRIORITY_ACTION,
                          .title = "Timeliness", .wording = "Plans are late."};
    store_finding strength = {.inspection_id = in.id, .kind = INSP_FIND_STRENGTH,
                              .title = "Early years", .wording = "Needs are identified early."};
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &area, &err), SH_OK);
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &strength, &err), SH_OK);

    store_action act = {.finding_id = area.id, .title = "Recruit two EPs",
                        .owner_name = "Head of SEND", .owner_org = INSP_ORG_COUNCIL,
                        .start_on = D(2026, 11, 2), .due_on = D(2027, 3, 31)};
    assert_int_equal(app_action_add(f->s, &manager, &act, &err), SH_OK);
    assert_int_equal(act.status, INSP_ACT_NOT_STARTED);

    store_action bad = act;
    bad.finding_id = strength.id;
    assert_int_equal(app_action_add(f->s, &manager, &bad, &err), SH_EINVAL);
    assert_string_equal(err.field, "finding_id");
    bad = act;
    bad.due_on = D(2026, 11, 1);
    assert_int_equal(app_action_add(f->s, &manager, &bad, &err), SH_EINVAL);
    assert_string_equal(err.field, "due_on");
    bad = act;
    bad.owner_name = "";
    assert_int_equal(app_action_add(f->s, &manager, &bad, &err), SH_EINVAL);
    assert_string_equal(err.field, "owner_name");
    bad = act;
    bad.finding_id = area.id + 100;
    assert_int_equal(app_action_add(f->s, &manager, &bad, &err), SH_EINVAL);
    assert_string_equal(err.field, "finding_id");
    assert_int_equal(app_action_add(f->s, &inspector, &bad, &err), SH_EDENIED);

    store_action_update u = {.action_id = act.id, .dated_on = D(2026, 11, 2),
                             .status = INSP_ACT_AT_RISK, .note = "One post filled.\nAdvert out."};
    assert_int_equal(app_action_update(f->s, &manager, &u, D(2026, 11, 2), &err), SH_OK);
    store_action_update future = u;
    future.dated_on = D(2026, 11, 3);
    assert_int_equal(app_action_update(f->s, &manager, &future, D(2026, 11, 2), &err), SH_EINVAL);
    assert_string_equal(err.field, "dated_on");
    future = u;
    future.note = "";
    assert_int_equal(app_action_update(f->s, &manager, &future, D(2026, 11, 2), &err), SH_EINVAL);
    assert_string_equal(err.field, "note");
    assert_int_equal(app_action_update(f->s, &inspector, &u, D(2026, 11, 2), &err), SH_EDENIED);

    store_action got;
    store_action_update *ups;
    size_t n;
    assert_int_equal(app_action_get(f->s, &inspector, act.id, f->a, &got, &ups, &n, &err), SH_OK);
    assert_int_equal(got.status, INSP_ACT_AT_RISK);
    assert_int_equal(got.inspection_id, in.id);
    assert_int_equal(n, 1);
    assert_string_equal(ups[0].note, "One post filled.\nAdvert out.");
    assert_string_equal(ups[0].created_by, "m.test");

    app_inspection_view v;
    assert_int_equal(app_inspection_get(f->s, &inspector, in.id, f->a, &v, &err), SH_OK);
    assert_int_equal(v.n_actions, 1);
    assert_string_equal(v.actions[0].title, "Recruit two EPs");

    app_identity other = person(ROLE_MANAGER, "991");
    assert_int_equal(app_action_get(f->s, &other, act.id, f->a, &got, &ups, &n, &err),
                     SH_ENOTFOUND);
    store_action_update theirs = u;
    assert_int_equal(app_action_update(f->s, &other, &theirs, D(2026, 11, 2), &err), SH_ENOTFOUND);
}

/* Linking a measure: each rule names its field; an area without figures in
 * the baseline month (this test's area has no cases) is refused. */
static void test_measure_rules(void **state)
{
    fixture *f = *state;
    app_identity manager = person(ROLE_MANAGER, LA), inspector = person(ROLE_INSPECTOR, LA);
    app_error err = {0};
    date_t today = D(2026, 11, 2);
    store_inspection in = widespread();
    assert_int_equal(app_inspection_record(f->s, &manager, &in, today, &err), SH_OK);
    store_finding area = {.inspection_id = in.id, .kind = INSP_FIND_PRIORITY_ACTION,
                          .title = "Timeliness", .wording = "Plans are late."};
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &area, &err), SH_OK);
    static const struct {
        const char *field;
        int what;
    } cases[] = {{"measure", 0}, {"baseline_on", 1}, {"baseline_on", 2}, {"target", 3},
                 {"target_on", 4}, {"target_on", 5}, {"baseline_on", 6}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        store_measure m = {.finding_id = area.id, .measure = INSP_M_PLANS_20W,
                           .baseline_on = D(2026, 7, 14), .target_x10 = 600,
                           .target_on = D(2027, 7, 6)};
        switch (cases[k].what) {
        case 0: m.measure = INSP_M_COUNT; break;
        case 1: m.baseline_on = DATE_NONE; break;
        case 2: m.baseline_on = D(2026, 12, 1); break;     /* after this month */
        case 3: m.target_x10 = 1001; break;
        case 4: m.target_on = DATE_NONE; break;
        case 5: m.target_on = D(2026, 7, 31); break;       /* inside the baseline month */
        case 6: break;                                     /* no plans in July: nothing to count */
        }
        assert_int_equal(app_measure_add(f->s, &manager, &m, today, &err), SH_EINVAL);
        assert_string_equal(err.field, cases[k].field);
    }
    store_measure m = {.finding_id = area.id, .measure = INSP_M_PLANS_20W,
                       .baseline_on = D(2026, 7, 14), .target_x10 = 600, .target_on = D(2027, 7, 6)};
    assert_int_equal(app_measure_add(f->s, &inspector, &m, today, &err), SH_EDENIED);

    /* the line of a linked measure, in percent */
    store_measure linked = {.baseline_on = D(2026, 7, 1), .baseline_x10 = 484,
                            .target_on = D(2027, 7, 6), .target_x10 = 600};
    insp_trajectory t = app_measure_trajectory(&linked);
    assert_float_equal(t.baseline, 48.4, 1e-9);
    assert_float_equal(t.target, 60.0, 1e-9);
    assert_true(t.higher_is_better);
    assert_int_equal(insp_trajectory_check(&t), SH_OK);

    app_inspection_view v;
    app_measure_months *mx = (app_measure_months *)&v;
    assert_int_equal(app_inspection_get(f->s, &manager, in.id, f->a, &v, &err), SH_OK);
    assert_int_equal(v.n_measures, 0);
    assert_int_equal(app_measure_series(f->s, &manager, &v, today, 0, f->a, &mx, &err), SH_OK);
    assert_null(mx); /* nothing linked: nothing folded */
}

static const store_pathway *pathway(const store_pathway *p, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].code, code) == 0)
            return &p[i];
    fail_msg("no pathway %s", code);
    return NULL;
}

/* A pathway's median wait, linked as a measure: lower is better. Three
 * children wait for the autism pathway from 5 January, 2 March and 1 June
 * 2026, none seen. On 31 July they have waited 207, 151 and 60 days: the
 * median (the 2nd smallest of 3) is 151 days, 21.6 weeks. On 31 August
 * 238, 182 and 91: 182 days, 26.0 weeks. */
static void test_wait_measure(void **state)
{
    fixture *f = *state;
    app_identity manager = person(ROLE_MANAGER, LA), inspector = person(ROLE_INSPECTOR, LA);
    app_error err = {0};
    date_t today = D(2026, 11, 2);
    int added = 0;
    assert_int_equal(app_health_pathways_default(f->s, LA, f->a, &added), SH_OK);
    assert_int_equal(app_health_pathways_default(f->s, "991", f->a, &added), SH_OK);
    store_pathway *all, *theirs;
    size_t np, nt;
    assert_int_equal(store_pathway_list(f->s, LA, false, f->a, &all, &np), SH_OK);
    assert_int_equal(store_pathway_list(f->s, "991", false, f->a, &theirs, &nt), SH_OK);
    const store_pathway *p = pathway(all, np, "autism");
    static const int referred[][3] = {{2026, 1, 5}, {2026, 3, 2}, {2026, 6, 1}};
    for (size_t i = 0; i < 3; i++) {
        store_child c = {.forename = "Wait", .surname = "Ing", .date_of_birth = D(2018, 5, 1),
                         .sen_need = {-1, -1}};
        memcpy(c.la_code, LA, sizeof c.la_code);
        assert_int_equal(store_child_insert(f->s, &c), SH_OK);
        store_referral r = {.child_id = c.id, .pathway_id = p[0].id, .referrer = "GP",
                            .referral_date = D(referred[i][0], referred[i][1], referred[i][2]),
                            .priority = WAIT_PRIORITY_ROUTINE, .triage = WAIT_TRIAGE_PENDING,
                            .triage_date = DATE_NONE, .first_contact = DATE_NONE,
                            .assessment_started = DATE_NONE, .assessment_completed = DATE_NONE,
                            .outcome = "", .outcome_code = "", .discharged = DATE_NONE};
        memcpy(r.la_code, LA, sizeof r.la_code);
        assert_int_equal(store_referral_insert(f->s, &r), SH_OK);
    }
    store_inspection in = widespread();
    assert_int_equal(app_inspection_record(f->s, &manager, &in, today, &err), SH_OK);
    store_finding area = {.inspection_id = in.id, .kind = INSP_FIND_PRIORITY_ACTION,
                          .title = "Waits", .wording = "Children wait too long."};
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &area, &err), SH_OK);

    static const struct {
        const char *field;
        int what;
    } cases[] = {{"measure", 0}, {"measure", 1}, {"measure", 2}, {"target", 3},
                 {"target", 4}, {"baseline_on", 5}, {"baseline_on", 6}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        store_measure m = {.finding_id = area.id, .measure = INSP_M_WAIT_MEDIAN,
                           .pathway_id = p[0].id, .baseline_on = D(2026, 7, 14),
                           .target_x10 = 130, .target_on = D(2027, 7, 6)};
        switch (cases[k].what) {
        case 0: m.pathway_id = 0; break;                     /* which pathway? */
        case 1: m.pathway_id = theirs[0].id; break;          /* another area's */
        case 2: m.measure = INSP_M_PLANS_20W; break;         /* a rate names no pathway */
        case 3: m.target_x10 = 10000; break;                 /* 1,000 weeks */
        case 4: m.target_x10 = 217; break;                   /* above the 21.6 baseline */
        case 5: m.baseline_on = D(2025, 12, 1); break;       /* nobody waiting yet */
        case 6: m.baseline_on = D(2016, 10, 1); break;       /* past the trend's reach */
        }
        assert_int_equal(app_measure_add(f->s, &manager, &m, today, &err), SH_EINVAL);
        assert_string_equal(err.field, cases[k].field);
    }
    assert_string_equal(err.message, "The baseline month must be this month or one of the last "
                                     "119 months.");
    store_measure m = {.finding_id = area.id, .measure = INSP_M_WAIT_MEDIAN,
                       .pathway_id = p[0].id, .baseline_on = D(2026, 7, 14), .target_x10 = 216,
                       .target_on = D(2027, 7, 6)};
    assert_int_equal(app_measure_add(f->s, &inspector, &m, today, &err), SH_EDENIED);
    assert_int_equal(app_measure_add(f->s, &manager, &m, today, &err), SH_OK); /* hold the line */
    assert_int_equal(m.baseline_on, D(2026, 7, 1));
    assert_int_equal(m.baseline_x10, 216);

    app_inspection_view v;
    assert_int_equal(app_inspection_get(f->s, &inspector, in.id, f->a, &v, &err), SH_OK);
    assert_int_equal(v.n_measures, 1);
    assert_int_equal(v.measures[0].pathway_id, p[0].id);
    assert_string_equal(v.measures[0].pathway_name, "Autism assessment (under 18)");
    app_measure_months *mx = NULL;
    assert_int_equal(app_measure_series(f->s, &inspector, &v, today, 0, f->a, &mx, &err), SH_OK);
    assert_non_null(mx);
    assert_int_equal(mx[0].n, 4); /* July to October: November is not over */
    assert_int_equal(mx[0].first[1], D(2026, 8, 1));
    assert_int_equal(mx[0].value[0], 216);
    assert_int_equal(mx[0].value[1], 260);
    assert_int_equal(mx[0].latest, 3);

    /* the line runs down: at or below it is on track, a rise is worsening */
    insp_trajectory t = app_measure_trajectory(&v.measures[0]);
    assert_false(t.higher_is_better);
    t.target = 13.0;
    assert_int_equal(insp_trajectory_check(&t), SH_OK);
    date_t end_oct = D(2026, 10, 31);
    double line = insp_trajectory_expected(&t, end_oct);
    assert_true(line < 21.6 && line > 13.0);
    assert_int_equal(insp_trajectory_track(&t, end_oct, line), INSP_TRACK_ON);
    assert_int_equal(insp_trajectory_track(&t, end_oct, line - 1), INSP_TRACK_ON);
    assert_int_equal(insp_trajectory_track(&t, end_oct, line + 1), INSP_TRACK_OFF);
    assert_int_equal(insp_trajectory_move(&t, 21.6, 26.0), INSP_MOVE_WORSE);
    assert_int_equal(insp_trajectory_move(&t, 26.0, 21.6), INSP_MOVE_BETTER);
}

/* Migration 013's constraints, under the app's rules: a wait names its
 * pathway and a rate does not; a wait's values reach 999.9 weeks, a rate's
 * 100.0%. */
static void test_measure_constraints(void **state)
{
    fixture *f = *state;
    app_identity manager = person(ROLE_MANAGER, LA);
    app_error err = {0};
    int added = 0;
    assert_int_equal(app_health_pathways_default(f->s, LA, f->a, &added), SH_OK);
    store_pathway *all;
    size_t np;
    assert_int_equal(store_pathway_list(f->s, LA, false, f->a, &all, &np), SH_OK);
    const store_pathway *adhd = pathway(all, np, "adhd");
    store_inspection in = widespread();
    assert_int_equal(app_inspection_record(f->s, &manager, &in, D(2026, 11, 2), &err), SH_OK);
    store_finding area = {.inspection_id = in.id, .kind = INSP_FIND_IMPROVEMENT,
                          .title = "Waits", .wording = "Children wait too long."};
    assert_int_equal(app_inspection_finding_add(f->s, &manager, &area, &err), SH_OK);
    store_measure ok = {.finding_id = area.id, .measure = INSP_M_WAIT_MEDIAN,
                        .pathway_id = adhd->id, .baseline_on = D(2026, 7, 1),
                        .baseline_x10 = 9999, .target_on = D(2027, 7, 1), .target_x10 = 5000};
    assert_int_equal(store_measure_insert(f->s, LA, &ok), SH_OK);
    store_measure bad = ok;
    bad.pathway_id = 0; /* a wait without its pathway */
    assert_int_not_equal(store_measure_insert(f->s, LA, &bad), SH_OK);
    bad = ok;
    bad.measure = INSP_M_PLANS_20W; /* a rate with a pathway */
    assert_int_not_equal(store_measure_insert(f->s, LA, &bad), SH_OK);
    bad.pathway_id = 0; /* a rate of 500% */
    assert_int_not_equal(store_measure_insert(f->s, LA, &bad), SH_OK);
    bad = ok;
    bad.target_x10 = 10000;
    assert_int_not_equal(store_measure_insert(f->s, LA, &bad), SH_OK);
    bad = ok;
    bad.pathway_id = adhd->id + 1000; /* no such pathway */
    assert_int_equal(store_measure_insert(f->s, LA, &bad), SH_ENOTFOUND);
    store_measure *list;
    size_t n;
    assert_int_equal(store_measure_list(f->s, LA, in.id, f->a, &list, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].pathway_name, "ADHD assessment");
    assert_int_equal(list[0].baseline_x10, 9999);
}

/* The board's judgement: dated between the report and today, with reasons;
 * managers record it, inspectors read it, latest first. */
static void test_judgements(void **state)
{
    fixture *f = *state;
    app_identity manager = person(ROLE_MANAGER, LA), inspector = person(ROLE_INSPECTOR, LA);
    app_error err = {0};
    date_t today = D(2026, 11, 2);
    store_inspection in = widespread();
    assert_int_equal(app_inspection_record(f->s, &manager, &in, today, &err), SH_OK);
    store_judgement j = {.inspection_id = in.id, .judged_on = D(2026, 10, 19), .sufficient = true,
                         .reasons = "All actions on track."};
    assert_int_equal(app_judgement_record(f->s, &manager, &j, today, &err), SH_EINVAL);
    assert_string_equal(err.field, "judged_on"); /* before the report */
    j.judged_on = D(2026, 11, 3);
    assert_int_equal(app_judgement_record(f->s, &manager, &j, today, &err), SH_EINVAL);
    assert_string_equal(err.field, "judged_on"); /* in the future */
    j.judged_on = D(2026, 10, 28);
    j.reasons = "";
    assert_int_equal(app_judgement_record(f->s, &manager, &j, today, &err), SH_EINVAL);
    assert_string_equal(err.field, "reasons");
    j.reasons = "Two actions late.\nTimeliness flat.";
    j.sufficient = false;
    assert_int_equal(app_judgement_record(f->s, &inspector, &j, today, &err), SH_EDENIED);
    assert_int_equal(app_judgement_record(f->s, &manager, &j, today, &err), SH_OK);
    store_judgement later = {.inspection_id = in.id, .judged_on = D(2026, 11, 2), .sufficient = true,
                             .reasons = "Recovered."};
    assert_int_equal(app_judgement_record(f->s, &manager, &later, today, &err), SH_OK);
    app_inspection_view v;
    assert_int_equal(app_inspection_get(f->s, &inspector, in.id, f->a, &v, &err), SH_OK);
    assert_int_equal(v.n_judgements, 2);
    assert_true(v.judgements[0].sufficient);
    assert_false(v.judgements[1].sufficient);
    assert_string_equal(v.judgements[1].reasons, "Two actions late.\nTimeliness flat.");
    assert_string_equal(v.judgements[1].created_by, "m.test");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_framework_vocabulary),
        cmocka_unit_test(test_followup_wsoa_2016),
        cmocka_unit_test(test_followup_2023),
        cmocka_unit_test(test_followup_rejects),
        cmocka_unit_test(test_actions),
        cmocka_unit_test(test_measures),
        cmocka_unit_test(test_trajectory_rising),
        cmocka_unit_test(test_trajectory_falling),
        cmocka_unit_test(test_trajectory_check),
        cmocka_unit_test(test_capabilities),
        cmocka_unit_test_setup_teardown(test_record_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_may, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measure_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_measure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measure_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_judgements, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
