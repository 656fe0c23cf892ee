/*
 * test_metrics.c — the dashboard's figures (core/metrics.h) on five
 * hand-built cases whose every figure is worked out below, as of Saturday
 * 22 November 2025, over calendar years 2023-2025.
 *
 *   A  request Mon 6 Jan 2025; assess 10 Feb (5 weeks: on time); advice
 *      asked 11 Feb of health (back 20 Mar, due 25 Mar: on time) and
 *      education (back 1 Apr: late); final plan 20 May 2025 = 134 days,
 *      19.1 weeks, within 20. ASD, born 1 Mar 2015 (10), special school.
 *   B  request 1 Oct 2024; assess 5 Nov 2024 (on time); a reg 10(4)
 *      exception; final plan 10 Nov 2025 = 405 days, 57.9 weeks: late, over
 *      a year, straddles the year end and is left out of the "excluding
 *      exceptions" figures. SEMH, born 1 Jan 2010 (15), primary school.
 *   C  request 3 Mar 2025; decision recorded as "assess" on 1 Apr, then
 *      corrected to a refusal on 1 May 2025 (59 days: late).
 *   D  plan transferred in 3 Jun 2024; reviewed 1 May 2025 (due 3 Jun:
 *      on time); ceased 1 Sep 2025.
 *   E  request 9 Jan 2023; assess 1 Feb; final plan 1 May 2023; reviewed
 *      15 Apr 2024 (due 1 May: on time), never since (due 15 Apr 2025:
 *      overdue); a phase transfer due 15 Feb 2025 never made (late). No
 *      need recorded, born 1 Dec 2019 (5), no setting.
 *
 * Census days (third Thursday of January): 19 Jan 2023, 18 Jan 2024,
 * 16 Jan 2025. In force on them: none; E; D and E.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/metrics.h"
#include "util/arena.h"
#include "util/err.h"

#define MAXEV 16
#define NCASES 5

typedef struct {
    event ev[MAXEV];
    event repl[MAXEV];
    size_t n;
    journey_timeline t;
    metrics_case c;
} jcase;

typedef struct {
    jcase k[NCASES];
    arena *a;
    metrics m;
} fixture;

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

static event *add(jcase *j, event_type type, const char *iso)
{
    assert_true(j->n < MAXEV);
    event *e = &j->ev[j->n];
    event_init(e, type, D(iso));
    e->id = (int64_t)++j->n;
    return e;
}

static void add_advice(jcase *j, event_agency ag, const char *asked, const char *got)
{
    add(j, EV_ADVICE_REQUESTED, asked)->agency = ag;
    add(j, EV_ADVICE_RECEIVED, got)->agency = ag;
}

static void case_a(jcase *j)
{
    add(j, EV_REQUEST_RECEIVED, "2025-01-06");
    add(j, EV_DECISION_TO_ASSESS, "2025-02-10")->outcome = OUTCOME_ASSESS;
    add_advice(j, AGENCY_HEALTH, "2025-02-11", "2025-03-20");
    add_advice(j, AGENCY_EDUCATION, "2025-02-11", "2025-04-01");
    add(j, EV_DRAFT_PLAN_ISSUED, "2025-05-01");
    add(j, EV_FINAL_PLAN_ISSUED, "2025-05-20");
    j->c.date_of_birth = D("2015-03-01");
    j->c.sen_need = SEN_ASD;
    j->c.setting = SETK_SPECIAL;
}

static void case_b(jcase *j)
{
    add(j, EV_REQUEST_RECEIVED, "2024-10-01");
    add(j, EV_DECISION_TO_ASSESS, "2024-11-05")->outcome = OUTCOME_ASSESS;
    add(j, EV_EXCEPTION, "2024-12-10")->exception = EXC_PERSONAL_CIRCUMSTANCES;
    add(j, EV_DRAFT_PLAN_ISSUED, "2025-10-01");
    add(j, EV_FINAL_PLAN_ISSUED, "2025-11-10");
    j->c.date_of_birth = D("2010-01-01");
    j->c.sen_need = SEN_SEMH;
    j->c.setting = metrics_setting_kind_of("primary");
}

static void case_c(jcase *j)
{
    add(j, EV_REQUEST_RECEIVED, "2025-03-03");
    add(j, EV_DECISION_TO_ASSESS, "2025-04-01")->outcome = OUTCOME_ASSESS;
    event *c = add(j, EV_CORRECTION, "2025-05-01");
    c->supersedes = 2;
    c->reason = "the panel refused";
    event *r = &j->repl[j->n - 1];
    event_init(r, EV_DECISION_TO_ASSESS, D("2025-05-01"));
    r->outcome = OUTCOME_REFUSE;
    c->replacement = r;
    j->c.date_of_birth = D("2018-06-01");
    j->c.sen_need = SEN_SLCN;
    j->c.setting = SETK_MAINSTREAM;
}

static void case_d(jcase *j)
{
    add(j, EV_TRANSFER_IN, "2024-06-03");
    add(j, EV_TRANSFER_NOTICE_ISSUED, "2024-06-20");
    add(j, EV_REVIEW_MEETING, "2025-05-01");
    add(j, EV_REVIEW_DECISION, "2025-05-20")->outcome = OUTCOME_CEASE;
    add(j, EV_PLAN_CEASED, "2025-09-01")->cease_reason = 1;
    j->c.date_of_birth = D("2006-02-01");
    j->c.sen_need = SEN_MLD;
    j->c.setting = SETK_FURTHER_EDUCATION;
}

static void case_e(jcase *j)
{
    add(j, EV_REQUEST_RECEIVED, "2023-01-09");
    add(j, EV_DECISION_TO_ASSESS, "2023-02-01")->outcome = OUTCOME_ASSESS;
    add(j, EV_DRAFT_PLAN_ISSUED, "2023-04-10");
    add(j, EV_FINAL_PLAN_ISSUED, "2023-05-01");
    add(j, EV_REVIEW_MEETING, "2024-04-15");
    add(j, EV_REVIEW_DECISION, "2024-04-30")->outcome = OUTCOME_MAINTAIN;
    event *p = add(j, EV_PHASE_TRANSFER_DUE, "2024-09-02");
    p->transfer_year = 2025;
    p->transfer_to = TRANSFER_SCHOOL;
    j->c.date_of_birth = D("2019-12-01");
    j->c.sen_need = -1;
    j->c.setting = SETK_NONE;
}

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    f.a = arena_create(1 << 20);
    void (*build[NCASES])(jcase *) = {case_a, case_b, case_c, case_d, case_e};
    metrics_period custom[] = {{D("2025-01-01"), D("2025-04-01")}};
    assert_int_equal(metrics_init(&f.m, D("2025-11-22"), 2023, 2025, custom, 1), SH_OK);
    for (int i = 0; i < NCASES; i++) {
        jcase *j = &f.k[i];
        build[i](j);
        journey_error je;
        int rc = journey_compute(j->ev, j->n, f.m.as_of, f.a, &j->t, &je);
        if (rc)
            fail_msg("case %d: event %zu %s %s", i, je.index, je.field ? je.field : "",
                     je.message);
        j->c.case_id = 100 + i;
        j->c.events = j->ev;
        j->c.n = j->n;
        j->c.t = &j->t;
        metrics_add(&f.m, &j->c);
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_destroy(f->a);
    return 0;
}

static long Y(const fixture *f, metrics_counter k, int year)
{
    return metrics_value(&f->m, k, metrics_period_year(&f->m, year));
}

static long NOW(const fixture *f, metrics_counter k) { return metrics_value(&f->m, k, METRICS_NOW); }

/* The ids of the cases counted in k/period, as a bit set of case indexes. */
static unsigned who(const fixture *f, metrics_counter k, int period)
{
    unsigned set = 0;
    for (int i = 0; i < NCASES; i++)
        if (metrics_case_in(&f->m, &f->k[i].c, k, period))
            set |= 1u << i;
    return set;
}

#define A 1u
#define B 2u
#define C 4u
#define DD 8u
#define E 16u

static void test_requests_and_decisions(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->m.cases, 5);
    assert_int_equal(Y(f, MC_REQUESTS, 2023), 1);
    assert_int_equal(Y(f, MC_REQUESTS, 2024), 1);
    assert_int_equal(Y(f, MC_REQUESTS, 2025), 2);
    /* the corrected decision counts once, as the refusal it became */
    assert_int_equal(Y(f, MC_DECISIONS, 2025), 2);
    assert_int_equal(Y(f, MC_DECISIONS_6W, 2025), 1);
    assert_int_equal(Y(f, MC_REFUSALS, 2025), 1);
    assert_int_equal(Y(f, MC_ASSESSMENTS, 2025), 1);
    assert_int_equal(Y(f, MC_DECISIONS, 2024), 1);
    assert_int_equal(Y(f, MC_DECISIONS_6W, 2024), 1);
    assert_int_equal(who(f, MC_REFUSALS, metrics_period_year(&f->m, 2025)), C);
    assert_int_equal(metrics_value(&f->m, MC_REQUESTS, metrics_period_month(&f->m, 2025, 1)), 1);
    assert_int_equal(metrics_value(&f->m, MC_REQUESTS, metrics_period_month(&f->m, 2025, 2)), 0);
    assert_int_equal(metrics_value(&f->m, MC_REQUESTS, metrics_period_month(&f->m, 2025, 3)), 1);
    assert_int_equal(metrics_value(&f->m, MC_REFUSALS, metrics_period_month(&f->m, 2025, 4)), 0);
    assert_int_equal(metrics_value(&f->m, MC_REFUSALS, metrics_period_month(&f->m, 2025, 5)), 1);
}

static void test_twenty_weeks(void **state)
{
    fixture *f = *state;
    int y25 = metrics_period_year(&f->m, 2025);
    assert_int_equal(Y(f, MC_PLANS, 2025), 2);
    assert_int_equal(Y(f, MC_PLANS_20W, 2025), 1);
    assert_int_equal(Y(f, MC_WEEKS_X10, 2025), 191 + 579);
    assert_int_equal(Y(f, MC_OVER_YEAR, 2025), 1);
    assert_int_equal(Y(f, MC_PLANS_EXC, 2025), 1);
    assert_int_equal(Y(f, MC_PLANS_EXC_20W, 2025), 1);
    assert_int_equal(Y(f, MC_WEEKS_EXC_X10, 2025), 191);
    assert_int_equal(Y(f, MC_PLANS, 2023), 1);
    assert_int_equal(Y(f, MC_PLANS_20W, 2023), 1);
    assert_int_equal(Y(f, MC_PLANS, 2024), 0); /* B's request was in 2024, its plan in 2025 */
    assert_int_equal(metrics_rate_x10(Y(f, MC_PLANS_20W, 2025), Y(f, MC_PLANS, 2025)), 500);
    assert_int_equal(who(f, MC_PLANS_20W, y25), A);
    assert_int_equal(who(f, MC_OVER_YEAR, y25), B);
    assert_int_equal(who(f, MC_PLANS_EXC, y25), A);
    /* transfers in are not new plans */
    assert_int_equal(who(f, MC_PLANS, y25), A | B);
}

static void test_advice_by_agency(void **state)
{
    fixture *f = *state;
    assert_int_equal(Y(f, (metrics_counter)(MC_ADVICE + AGENCY_HEALTH), 2025), 1);
    assert_int_equal(Y(f, (metrics_counter)(MC_ADVICE_6W + AGENCY_HEALTH), 2025), 1);
    assert_int_equal(Y(f, (metrics_counter)(MC_ADVICE + AGENCY_EDUCATION), 2025), 1);
    assert_int_equal(Y(f, (metrics_counter)(MC_ADVICE_6W + AGENCY_EDUCATION), 2025), 0);
    assert_int_equal(Y(f, (metrics_counter)(MC_ADVICE + AGENCY_SOCIAL_CARE), 2025), 0);
    /* education's late reply counts in April, when it came */
    assert_int_equal(metrics_value(&f->m, (metrics_counter)(MC_ADVICE + AGENCY_EDUCATION),
                                   metrics_period_month(&f->m, 2025, 4)),
                     1);
}

static void test_reviews_and_transfers(void **state)
{
    fixture *f = *state;
    assert_int_equal(Y(f, MC_REVIEWS_DUE, 2024), 1);
    assert_int_equal(Y(f, MC_REVIEWS_ON_TIME, 2024), 1);
    assert_int_equal(Y(f, MC_REVIEWS_DUE, 2025), 2);
    assert_int_equal(Y(f, MC_REVIEWS_ON_TIME, 2025), 1);
    assert_int_equal(who(f, MC_REVIEWS_ON_TIME, metrics_period_year(&f->m, 2025)), DD);
    assert_int_equal(Y(f, MC_TRANSFERS_DUE, 2025), 1);
    assert_int_equal(Y(f, MC_TRANSFERS_ON_TIME, 2025), 0);
    assert_int_equal(NOW(f, MC_REVIEW_OVERDUE), 1);
    assert_int_equal(NOW(f, MC_NOT_REVIEWED_12M), 1);
    assert_int_equal(who(f, MC_REVIEW_OVERDUE, METRICS_NOW), E);
}

static void test_ceased_transfers_in_and_caseload(void **state)
{
    fixture *f = *state;
    assert_int_equal(Y(f, MC_CEASED, 2025), 1);
    assert_int_equal(Y(f, MC_TRANSFERS_IN, 2024), 1);
    assert_int_equal(Y(f, MC_CASELOAD, 2023), 0);
    assert_int_equal(Y(f, MC_CASELOAD, 2024), 1);
    assert_int_equal(Y(f, MC_CASELOAD, 2025), 2);
    assert_int_equal(who(f, MC_CASELOAD, metrics_period_year(&f->m, 2025)), DD | E);
    /* D ceased: at as_of the plans in force are A, B and E */
    assert_int_equal(NOW(f, MC_ACTIVE), 3);
    assert_int_equal(who(f, MC_ACTIVE, METRICS_NOW), A | B | E);
    assert_int_equal(metrics_census_day(2025), D("2025-01-16"));
    assert_int_equal(metrics_census_day(2024), D("2024-01-18"));
    assert_int_equal(metrics_census_day(2023), D("2023-01-19"));
}

static void test_breakdowns(void **state)
{
    fixture *f = *state;
    assert_int_equal(NOW(f, (metrics_counter)(MC_NEED + SEN_ASD)), 1);
    assert_int_equal(NOW(f, (metrics_counter)(MC_NEED + SEN_SEMH)), 1);
    assert_int_equal(NOW(f, (metrics_counter)(MC_NEED + SEN_TYPE_COUNT)), 1);
    assert_int_equal(NOW(f, (metrics_counter)(MC_NEED + SEN_MLD)), 0); /* D ceased */
    assert_int_equal(NOW(f, (metrics_counter)(MC_AGE + AGE_5_10)), 2);
    assert_int_equal(NOW(f, (metrics_counter)(MC_AGE + AGE_11_15)), 1);
    assert_int_equal(NOW(f, (metrics_counter)(MC_SETTING + SETK_SPECIAL)), 1);
    assert_int_equal(NOW(f, (metrics_counter)(MC_SETTING + SETK_MAINSTREAM)), 1);
    assert_int_equal(NOW(f, (metrics_counter)(MC_SETTING + SETK_NONE)), 1);
    assert_int_equal(who(f, (metrics_counter)(MC_AGE + AGE_5_10), METRICS_NOW), A | E);
}

static void test_custom_period(void **state)
{
    fixture *f = *state;
    int p = metrics_period_custom(&f->m, 0);
    assert_true(p >= 0);
    assert_int_equal(metrics_value(&f->m, MC_REQUESTS, p), 2);
    assert_int_equal(metrics_value(&f->m, MC_DECISIONS, p), 1); /* A only: C's is in May */
    assert_int_equal(who(f, MC_REQUESTS, p), A | C);
    assert_int_equal(metrics_period_custom(&f->m, 1), -2);
    metrics_period r;
    assert_int_equal(metrics_period_range(&f->m, metrics_period_month(&f->m, 2024, 12), &r),
                     SH_OK);
    assert_int_equal(r.from, D("2024-12-01"));
    assert_int_equal(r.to, D("2025-01-01"));
    assert_int_equal(metrics_period_year(&f->m, 2026), -2);
    assert_int_equal(metrics_period_range(&f->m, METRICS_NOW, &r), SH_EINVAL);
}

static void test_merge_equals_one_fold(void **state)
{
    fixture *f = *state;
    static metrics a, b;
    a = f->m;
    assert_int_equal(metrics_init(&a, f->m.as_of, 2023, 2025, f->m.custom, 1), SH_OK);
    b = a;
    for (int i = 0; i < NCASES; i++)
        metrics_add(i < 2 ? &a : &b, &f->k[i].c);
    assert_int_equal(metrics_merge(&a, &b), SH_OK);
    assert_memory_equal(&a, &f->m, sizeof a);
    static metrics other;
    assert_int_equal(metrics_init(&other, f->m.as_of, 2024, 2025, NULL, 0), SH_OK);
    assert_int_equal(metrics_merge(&a, &other), SH_EINVAL);
}

static void test_init_rejects(void **state)
{
    (void)state;
    static metrics m;
    metrics_period empty = {D("2025-01-01"), D("2025-01-01")};
    assert_int_equal(metrics_init(&m, DATE_NONE, 2020, 2021, NULL, 0), SH_EINVAL);
    assert_int_equal(metrics_init(&m, D("2025-01-01"), 2020, 2019, NULL, 0), SH_EINVAL);
    assert_int_equal(metrics_init(&m, D("2025-01-01"), 2000, 2025, NULL, 0), SH_EINVAL);
    assert_int_equal(metrics_init(&m, D("2025-01-01"), 2020, 2025, &empty, 1), SH_EINVAL);
}

static void test_names_round_trip(void **state)
{
    (void)state;
    char name[48];
    for (int k = 0; k < MC_COUNT; k++) {
        metrics_counter_name((metrics_counter)k, name, sizeof name);
        assert_string_not_equal(name, "unknown");
        assert_int_equal(metrics_counter_parse(name), k);
    }
    assert_string_equal(metrics_counter_name((metrics_counter)(MC_ADVICE_6W + AGENCY_HEALTH),
                                             name, sizeof name),
                        "advice_6w:health");
    assert_string_equal(metrics_counter_name((metrics_counter)(MC_NEED + SEN_ASD), name,
                                             sizeof name),
                        "need:ASD");
    assert_int_equal(metrics_counter_parse("nonsense"), -1);
    assert_int_equal(metrics_rate_x10(2, 3), 667);
    assert_int_equal(metrics_rate_x10(0, 0), -1);
    assert_int_equal(metrics_setting_kind_of("secondary"), SETK_MAINSTREAM);
    assert_int_equal(metrics_setting_kind_of(NULL), SETK_NONE);
}

int main(void)
{
#define T(f) cmocka_unit_test(f)
    const struct CMUnitTest tests[] = {
        T(test_requests_and_decisions),
        T(test_twenty_weeks),
        T(test_advice_by_agency),
        T(test_reviews_and_transfers),
        T(test_ceased_transfers_in_and_caseload),
        T(test_breakdowns),
        T(test_custom_period),
        T(test_merge_equals_one_fold),
        T(test_init_rejects),
        T(test_names_round_trip),
    };
#undef T
    return cmocka_run_group_tests(tests, setup, teardown);
}
