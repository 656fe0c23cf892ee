/*
 * test_journey.c — the statutory clock engine (core/journey.h) and the event
 * vocabulary (core/event.h), with worked examples for every rule.
 *
 * Reference dates: Monday 5 January 2026 + 6 weeks = Monday 16 February 2026;
 * + 16 weeks = 27 April 2026; + 20 weeks = Monday 25 May 2026.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/event.h"
#include "core/journey.h"
#include "util/arena.h"
#include "util/err.h"

/* ---- a tiny journey builder --------------------------------------------- */

#define MAXEV 64

typedef struct {
    event ev[MAXEV];
    event repl[MAXEV]; /* replacements, by the index of their correction */
    size_t n;
    arena *a;
    journey_timeline t;
    journey_error err;
} fixture;

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

static event *add(fixture *f, int64_t id, event_type type, const char *iso)
{
    assert_true(f->n < MAXEV);
    event *e = &f->ev[f->n++];
    event_init(e, type, D(iso));
    e->id = id;
    return e;
}

static event *add_agency(fixture *f, int64_t id, event_type type, const char *iso,
                         event_agency agency)
{
    event *e = add(f, id, type, iso);
    e->agency = agency;
    return e;
}

static event *add_outcome(fixture *f, int64_t id, event_type type, const char *iso,
                          event_outcome outcome)
{
    event *e = add(f, id, type, iso);
    e->outcome = outcome;
    return e;
}

/* A correction; returns its replacement slot (type set to `rtype`, or no
 * replacement at all when rtype is -1). */
static event *add_correction(fixture *f, int64_t id, const char *iso, int64_t supersedes,
                             int rtype, const char *riso)
{
    event *c = add(f, id, EV_CORRECTION, iso);
    c->supersedes = supersedes;
    c->reason = "entered in error";
    if (rtype < 0)
        return NULL;
    event *r = &f->repl[f->n - 1];
    event_init(r, (event_type)rtype, D(riso));
    c->replacement = r;
    return r;
}

static int compute(fixture *f, const char *as_of)
{
    return journey_compute(f->ev, f->n, D(as_of), f->a, &f->t, &f->err);
}

static void compute_ok(fixture *f, const char *as_of)
{
    int rc = compute(f, as_of);
    if (rc != SH_OK)
        fail_msg("compute failed: index %zu field %s: %s", f->err.index,
                 f->err.field ? f->err.field : "(none)", f->err.message);
}

/* The n-th deadline (0-based) with this step name, or NULL. */
static const journey_deadline *step(const fixture *f, const char *name, int nth)
{
    char buf[48];
    for (size_t i = 0; i < f->t.n_deadlines; i++)
        if (strcmp(journey_step_name(&f->t.deadlines[i], buf, sizeof buf), name) == 0 &&
            nth-- == 0)
            return &f->t.deadlines[i];
    return NULL;
}

static void expect(const fixture *f, const char *name, int nth, const char *due,
                   const char *done, step_status status)
{
    const journey_deadline *d = step(f, name, nth);
    if (!d)
        fail_msg("no step %s #%d", name, nth);
    char got[11], want[11];
    date_format(d->due, got);
    date_format(D(due), want);
    if (d->due != D(due))
        fail_msg("%s #%d: due %s, want %s", name, nth, got, want);
    if (done)
        assert_int_equal(d->done, D(done));
    else
        assert_int_equal(d->done, DATE_NONE);
    if (d->status != status)
        fail_msg("%s #%d: status %s, want %s", name, nth, journey_status_name(d->status),
                 journey_status_name(status));
}

static size_t count_steps(const fixture *f, const char *name)
{
    size_t k = 0;
    while (step(f, name, (int)k))
        k++;
    return k;
}

static void expect_error(fixture *f, const char *as_of, int rc, size_t index, int64_t id,
                         const char *field)
{
    assert_int_equal(compute(f, as_of), rc);
    assert_int_equal(journey_validate(f->ev, f->n, &f->err), rc);
    if (f->err.index != index)
        fail_msg("error index %zu, want %zu (%s)", f->err.index, index, f->err.message);
    assert_int_equal(f->err.event_id, id);
    if (field)
        assert_string_equal(f->err.field, field);
    else
        assert_null(f->err.field);
    assert_non_null(f->err.message);
}

static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);
    f->a = arena_create(1 << 20);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_destroy(f->a);
    test_free(f);
    return 0;
}

/* A request on Monday 5 January 2026. */
static void request(fixture *f)
{
    add(f, 1, EV_REQUEST_RECEIVED, "2026-01-05");
}

/* ---- decision to assess (reg 5(1)) -------------------------------------- */

static void test_decision_to_assess_six_weeks(void **state)
{
    fixture *f = *state;
    request(f);
    compute_ok(f, "2026-01-10");
    expect(f, "decision_to_assess", 0, "2026-02-16", NULL, STEP_PENDING);
    expect(f, "final_plan", 0, "2026-05-25", NULL, STEP_PENDING);
    assert_null(step(f, "no_plan_decision", 0));
    assert_int_equal(f->t.stage, STAGE_REQUEST);
    assert_int_equal(f->t.request_date, D("2026-01-05"));
    assert_string_equal(journey_rule_basis(step(f, "decision_to_assess", 0)->rule),
                        "SEND Regulations 2014, regulation 5(1)");
    assert_int_equal(step(f, "decision_to_assess", 0)->trigger_event, 1);
}

static void test_decision_on_due_date_is_met(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-16", OUTCOME_ASSESS);
    compute_ok(f, "2026-03-01");
    expect(f, "decision_to_assess", 0, "2026-02-16", "2026-02-16", STEP_MET);
    assert_int_equal(f->t.stage, STAGE_ASSESSMENT);
}

static void test_decision_day_after_due_is_late(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-17", OUTCOME_ASSESS);
    compute_ok(f, "2026-03-01");
    expect(f, "decision_to_assess", 0, "2026-02-16", "2026-02-17", STEP_LATE);
}

static void test_as_of_on_due_is_pending_day_after_overdue(void **state)
{
    fixture *f = *state;
    request(f);
    compute_ok(f, "2026-02-16");
    expect(f, "decision_to_assess", 0, "2026-02-16", NULL, STEP_PENDING);
    assert_int_equal(f->t.overdue_count, 0);
    compute_ok(f, "2026-02-17");
    expect(f, "decision_to_assess", 0, "2026-02-16", NULL, STEP_OVERDUE);
    assert_int_equal(f->t.overdue_count, 1);
    assert_int_equal(f->t.next_due, D("2026-02-16"));
    assert_string_equal(journey_rule_key(f->t.next->rule), "decision_to_assess");
}

/* ---- advice (reg 8) ----------------------------------------------------- */

static void test_advice_three_agencies_one_late(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-01", OUTCOME_ASSESS);
    add_agency(f, 3, EV_ADVICE_REQUESTED, "2026-02-02", AGENCY_EDUCATION);
    add_agency(f, 4, EV_ADVICE_REQUESTED, "2026-02-02", AGENCY_HEALTH);
    add_agency(f, 5, EV_ADVICE_REQUESTED, "2026-02-02", AGENCY_SOCIAL_CARE);
    add_agency(f, 6, EV_ADVICE_RECEIVED, "2026-03-01", AGENCY_EDUCATION);
    add_agency(f, 7, EV_ADVICE_RECEIVED, "2026-03-16", AGENCY_HEALTH);
    add_agency(f, 8, EV_ADVICE_RECEIVED, "2026-03-20", AGENCY_SOCIAL_CARE);
    compute_ok(f, "2026-04-01");
    expect(f, "advice:education", 0, "2026-03-16", "2026-03-01", STEP_MET);
    expect(f, "advice:health", 0, "2026-03-16", "2026-03-16", STEP_MET);
    expect(f, "advice:social_care", 0, "2026-03-16", "2026-03-20", STEP_LATE);
    assert_string_equal(journey_rule_basis(step(f, "advice:health", 0)->rule),
                        "SEND Regulations 2014, regulation 8");
    /* same due date: rule order, then trigger (log) order */
    char name[48];
    size_t first = 0;
    while (strncmp(journey_step_name(&f->t.deadlines[first], name, sizeof name), "advice",
                   6) != 0)
        first++;
    assert_string_equal(journey_step_name(&f->t.deadlines[first], name, sizeof name),
                        "advice:education");
    assert_string_equal(journey_step_name(&f->t.deadlines[first + 2], name, sizeof name),
                        "advice:social_care");
}

static void test_advice_two_requests_same_agency(void **state)
{
    fixture *f = *state;
    request(f);
    add_agency(f, 2, EV_ADVICE_RECEIVED, "2026-01-20", AGENCY_HEALTH); /* before asking */
    add_agency(f, 3, EV_ADVICE_REQUESTED, "2026-02-02", AGENCY_HEALTH);
    add_agency(f, 4, EV_ADVICE_REQUESTED, "2026-03-02", AGENCY_HEALTH);
    add_agency(f, 5, EV_ADVICE_RECEIVED, "2026-02-20", AGENCY_HEALTH);
    add_agency(f, 6, EV_ADVICE_RECEIVED, "2026-02-25", AGENCY_EDUCATION);
    compute_ok(f, "2026-04-14");
    assert_int_equal(count_steps(f, "advice:health"), 2);
    expect(f, "advice:health", 0, "2026-03-16", "2026-02-20", STEP_MET);
    expect(f, "advice:health", 1, "2026-04-13", NULL, STEP_OVERDUE);
    /* a second reply completes the second request, late */
    add_agency(f, 7, EV_ADVICE_RECEIVED, "2026-04-20", AGENCY_HEALTH);
    compute_ok(f, "2026-05-01");
    expect(f, "advice:health", 1, "2026-04-13", "2026-04-20", STEP_LATE);
}

/* ---- no plan (reg 10(1)), final plan (reg 13(2)), refusal --------------- */

static void test_decision_not_to_issue(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-10", OUTCOME_ASSESS);
    add(f, 3, EV_DECISION_NOT_TO_ISSUE, "2026-04-20");
    compute_ok(f, "2026-05-01");
    expect(f, "no_plan_decision", 0, "2026-04-27", "2026-04-20", STEP_MET);
    assert_null(step(f, "final_plan", 0));
    assert_int_equal(f->t.stage, STAGE_NO_PLAN);
    assert_string_equal(journey_rule_basis(step(f, "no_plan_decision", 0)->rule),
                        "SEND Regulations 2014, regulation 10(1)");
}

static void test_refused_has_no_final_plan(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-10", OUTCOME_REFUSE);
    compute_ok(f, "2026-06-01");
    expect(f, "decision_to_assess", 0, "2026-02-16", "2026-02-10", STEP_MET);
    assert_null(step(f, "final_plan", 0));
    assert_null(step(f, "no_plan_decision", 0));
    assert_int_equal(f->t.stage, STAGE_REFUSED);
    assert_int_equal(f->t.within_20_weeks, -1);
}

static void test_final_plan_within_20_weeks(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-10", OUTCOME_ASSESS);
    add(f, 3, EV_DRAFT_PLAN_ISSUED, "2026-04-20");
    compute_ok(f, "2026-04-21");
    assert_int_equal(f->t.stage, STAGE_DRAFT);
    add(f, 4, EV_FINAL_PLAN_ISSUED, "2026-05-25"); /* day 140 */
    compute_ok(f, "2026-06-01");
    expect(f, "final_plan", 0, "2026-05-25", "2026-05-25", STEP_MET);
    assert_string_equal(journey_rule_basis(step(f, "final_plan", 0)->rule),
                        "SEND Regulations 2014, regulation 13(2)");
    assert_int_equal(f->t.stage, STAGE_PLAN);
    assert_int_equal(f->t.within_20_weeks, 1);
    assert_int_equal(f->t.weeks_x10, 200);
    assert_int_equal(f->t.final_plan_date, D("2026-05-25"));
}

static void test_final_plan_141_days_is_20_1_weeks(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-10", OUTCOME_ASSESS);
    add(f, 3, EV_FINAL_PLAN_ISSUED, "2026-05-26");
    compute_ok(f, "2026-06-01");
    expect(f, "final_plan", 0, "2026-05-25", "2026-05-26", STEP_LATE);
    assert_int_equal(f->t.within_20_weeks, 0);
    assert_int_equal(f->t.weeks_x10, 201);
}

static void test_weeks_round_half_up(void **state)
{
    fixture *f = *state;
    request(f);
    /* 184 days = 26.2857 weeks -> 26.3 */
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2026-07-08"); /* 184 days */
    compute_ok(f, "2026-08-01");
    assert_int_equal(f->t.weeks_x10, 263);
    assert_int_equal(f->t.within_20_weeks, 0);
    /* only the first final plan counts */
    add(f, 3, EV_FINAL_PLAN_ISSUED, "2026-08-01");
    compute_ok(f, "2026-08-02");
    assert_int_equal(f->t.weeks_x10, 263);
}

/* ---- annual reviews (s44) ----------------------------------------------- */

static void test_annual_review_month_end(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_REQUEST_RECEIVED, "2023-09-20");
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2024-01-31");
    compute_ok(f, "2024-02-01");
    expect(f, "annual_review", 0, "2025-01-31", NULL, STEP_PENDING);
    assert_string_equal(journey_rule_basis(step(f, "annual_review", 0)->rule),
                        "Children and Families Act 2014, section 44");
}

static void test_annual_review_leap_day(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_REQUEST_RECEIVED, "2023-10-20");
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2024-02-29");
    compute_ok(f, "2025-03-01");
    expect(f, "annual_review", 0, "2025-02-28", NULL, STEP_OVERDUE);
}

static void test_annual_review_chain(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_REQUEST_RECEIVED, "2023-09-20");
    add_outcome(f, 6, EV_DECISION_TO_ASSESS, "2023-10-20", OUTCOME_ASSESS);
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2024-01-31");
    add(f, 3, EV_REVIEW_MEETING, "2025-01-10");
    add(f, 7, EV_REVIEW_REPORT_RECEIVED, "2025-01-22");
    add_outcome(f, 4, EV_REVIEW_DECISION, "2025-02-01", OUTCOME_MAINTAIN);
    add(f, 5, EV_REVIEW_MEETING, "2026-01-20");
    add(f, 8, EV_REVIEW_REPORT_RECEIVED, "2026-01-30");
    compute_ok(f, "2026-03-01");
    assert_int_equal(count_steps(f, "annual_review"), 3);
    expect(f, "annual_review", 0, "2025-01-31", "2025-01-10", STEP_MET);
    expect(f, "annual_review", 1, "2026-01-10", "2026-01-20", STEP_LATE);
    expect(f, "annual_review", 2, "2027-01-20", NULL, STEP_PENDING);
    expect(f, "review_decision", 0, "2025-02-07", "2025-02-01", STEP_MET);
    expect(f, "review_decision", 1, "2026-02-17", NULL, STEP_OVERDUE);
    assert_string_equal(journey_rule_basis(step(f, "review_decision", 0)->rule),
                        "SEND Regulations 2014, regulation 20; Code of Practice 9.176");
    assert_int_equal(f->t.stage, STAGE_REVIEW);
    assert_int_equal(f->t.overdue_count, 1);
    assert_int_equal(f->t.next_due, D("2026-02-17"));
}

static void test_review_meeting_same_day_does_not_complete(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_REQUEST_RECEIVED, "2023-09-20");
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2024-01-31");
    add(f, 3, EV_REVIEW_MEETING, "2024-01-31");
    compute_ok(f, "2024-02-01");
    /* the meeting is not strictly after the plan: both chains stay open */
    assert_int_equal(count_steps(f, "annual_review"), 2);
    expect(f, "annual_review", 0, "2025-01-31", NULL, STEP_PENDING);
    expect(f, "annual_review", 1, "2025-01-31", NULL, STEP_PENDING);
}

/* A plan reviewed on Monday 9 February 2026, the setting's report and a
 * decision to amend. */
static void plan_in_place_2026(fixture *f)
{
    add(f, 1, EV_REQUEST_RECEIVED, "2024-09-02");
    add_outcome(f, 9, EV_DECISION_TO_ASSESS, "2024-10-01", OUTCOME_ASSESS);
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2025-01-20");
    add(f, 3, EV_REVIEW_MEETING, "2026-02-09");
    add(f, 4, EV_REVIEW_REPORT_RECEIVED, "2026-02-16");
    add_outcome(f, 10, EV_REVIEW_DECISION, "2026-02-23", OUTCOME_AMEND);
}

/* Reg 20 as councils apply it: the setting's report within 2 weeks of the
 * meeting. Meeting Wednesday 14 January 2026 + 14 days = 28 January 2026. */
static void test_review_report_two_weeks(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_REQUEST_RECEIVED, "2024-09-02");
    add_outcome(f, 9, EV_DECISION_TO_ASSESS, "2024-10-01", OUTCOME_ASSESS);
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2025-01-20");
    add(f, 3, EV_REVIEW_MEETING, "2026-01-14");
    compute_ok(f, "2026-01-20");
    expect(f, "review_report", 0, "2026-01-28", NULL, STEP_PENDING);
    assert_int_equal(f->t.next_due, D("2026-01-28"));
    assert_string_equal(f->t.next->rule == step(f, "review_report", 0)->rule ? "report" : "",
                        "report");
    char text[400];
    journey_explain(step(f, "review_report", 0), text, sizeof text);
    assert_string_equal(text, "The school or setting must send its review report to the "
                              "council and everyone invited within 2 weeks of the review "
                              "meeting on 14 January 2026, so by 28 January 2026.");
    compute_ok(f, "2026-01-29");
    expect(f, "review_report", 0, "2026-01-28", NULL, STEP_OVERDUE);
    add(f, 4, EV_REVIEW_REPORT_RECEIVED, "2026-01-30");
    compute_ok(f, "2026-02-02");
    expect(f, "review_report", 0, "2026-01-28", "2026-01-30", STEP_LATE);
    /* the decision clock (4 weeks) runs from the meeting, not the report */
    expect(f, "review_decision", 0, "2026-02-11", NULL, STEP_PENDING);
}

/* A report dated before its meeting does not complete that meeting's step. */
static void test_review_report_before_meeting_does_not_count(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_REQUEST_RECEIVED, "2024-09-02");
    add_outcome(f, 9, EV_DECISION_TO_ASSESS, "2024-10-01", OUTCOME_ASSESS);
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2025-01-20");
    add(f, 3, EV_REVIEW_REPORT_RECEIVED, "2026-01-10");
    add(f, 4, EV_REVIEW_MEETING, "2026-01-14");
    compute_ok(f, "2026-01-20");
    expect(f, "review_report", 0, "2026-01-28", NULL, STEP_PENDING);
}

/* Reg 22(2)(c): at least 15 days to comment on proposed amendments. The
 * window is the family's: open (pending) until it closes, then closed (met
 * on its own date); never the council's next due date. Proposals Monday
 * 2 March 2026 + 15 days = Tuesday 17 March 2026. */
static void test_amendment_comment_window(void **state)
{
    fixture *f = *state;
    plan_in_place_2026(f);
    add(f, 5, EV_AMENDMENT_PROPOSED, "2026-03-02");
    compute_ok(f, "2026-03-17");
    expect(f, "amendment_comments", 0, "2026-03-17", NULL, STEP_PENDING);
    assert_true(journey_rule_is_family_window(step(f, "amendment_comments", 0)->rule));
    assert_int_equal(f->t.next_due, D("2026-04-27")); /* the amended plan, 8 weeks */
    char text[400];
    journey_explain(step(f, "amendment_comments", 0), text, sizeof text);
    assert_string_equal(text, "The family can comment on the proposed amendments, ask for a "
                              "particular school or college, or ask for a meeting, within 15 "
                              "days of the proposed amendments being sent on 2 March 2026, so "
                              "by 17 March 2026.");
    compute_ok(f, "2026-03-18");
    expect(f, "amendment_comments", 0, "2026-03-17", "2026-03-17", STEP_MET);
    assert_int_equal(f->t.overdue_count, 0);
}

/* The family's time limits survive a cease: the appeal against the decision
 * to cease stays shown after the plan has ended; council duties do not. */
static void test_cease_keeps_appeal_window(void **state)
{
    fixture *f = *state;
    plan_in_place_2026(f);
    add(f, 5, EV_DECISION_LETTER, "2026-03-02");
    event *c = add(f, 6, EV_PLAN_CEASED, "2026-03-31");
    c->cease_reason = 4;
    compute_ok(f, "2026-04-01");
    expect(f, "appeal_deadline", 0, "2026-05-02", NULL, STEP_PENDING);
    /* completed history stays; the next annual review is dropped */
    assert_int_equal(count_steps(f, "review_report"), 1);
    assert_int_equal(count_steps(f, "annual_review"), 1);
    assert_int_equal(f->t.stage, STAGE_CEASED);
    assert_int_equal(f->t.next_due, DATE_NONE);
}

/* ---- amendments (reg 22(3)) and phase transfer (reg 18) ----------------- */

static void plan_in_place(fixture *f)
{
    add(f, 1, EV_REQUEST_RECEIVED, "2024-01-08");
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2024-05-20");
}

static void test_amended_plan_eight_weeks(void **state)
{
    fixture *f = *state;
    plan_in_place(f);
    add(f, 3, EV_REVIEW_MEETING, "2025-02-10");
    add_outcome(f, 4, EV_REVIEW_DECISION, "2025-02-24", OUTCOME_AMEND);
    compute_ok(f, "2025-02-25");
    assert_int_equal(f->t.stage, STAGE_AMENDMENT);
    add(f, 5, EV_AMENDMENT_PROPOSED, "2025-03-01");
    add(f, 6, EV_AMENDED_PLAN_ISSUED, "2025-04-26");
    compute_ok(f, "2025-05-01");
    expect(f, "amended_plan", 0, "2025-04-26", "2025-04-26", STEP_MET);
    assert_string_equal(journey_rule_basis(step(f, "amended_plan", 0)->rule),
                        "SEND Regulations 2014, regulation 22(3)");
    assert_int_equal(f->t.stage, STAGE_PLAN);
}

static event *phase(fixture *f, int64_t id, const char *iso, int year, event_transfer_to to)
{
    event *e = add(f, id, EV_PHASE_TRANSFER_DUE, iso);
    e->transfer_year = year;
    e->transfer_to = to;
    return e;
}

static void test_phase_transfer_school_met(void **state)
{
    fixture *f = *state;
    plan_in_place(f);
    phase(f, 3, "2026-09-01", 2027, TRANSFER_SCHOOL);
    add(f, 4, EV_AMENDMENT_PROPOSED, "2026-12-01");
    add(f, 5, EV_AMENDED_PLAN_ISSUED, "2027-01-25");
    compute_ok(f, "2027-03-01");
    expect(f, "phase_transfer", 0, "2027-02-15", "2027-01-25", STEP_MET);
    assert_string_equal(journey_rule_basis(step(f, "phase_transfer", 0)->rule),
                        "SEND Regulations 2014, regulation 18(1)(b)");
    /* one amended plan completes the amendment and the phase transfer */
    expect(f, "amended_plan", 0, "2027-01-26", "2027-01-25", STEP_MET);
}

static void test_phase_transfer_post16_overdue(void **state)
{
    fixture *f = *state;
    plan_in_place(f);
    add(f, 3, EV_AMENDED_PLAN_ISSUED, "2026-06-01"); /* before: does not count */
    phase(f, 4, "2026-09-01", 2027, TRANSFER_POST16);
    compute_ok(f, "2027-03-31");
    expect(f, "phase_transfer", 0, "2027-03-31", NULL, STEP_PENDING);
    compute_ok(f, "2027-04-01");
    expect(f, "phase_transfer", 0, "2027-03-31", NULL, STEP_OVERDUE);
    assert_string_equal(journey_rule_basis(step(f, "phase_transfer", 0)->rule),
                        "SEND Regulations 2014, regulation 18(1)(a)");
}

static void test_phase_transfer_school_overdue_post16_met(void **state)
{
    fixture *f = *state;
    plan_in_place(f);
    phase(f, 3, "2026-09-01", 2027, TRANSFER_SCHOOL);
    add(f, 4, EV_AMENDED_PLAN_ISSUED, "2027-03-01");
    compute_ok(f, "2027-04-01");
    expect(f, "phase_transfer", 0, "2027-02-15", "2027-03-01", STEP_LATE);
    f->n = 0;
    plan_in_place(f);
    phase(f, 3, "2026-09-01", 2027, TRANSFER_POST16);
    add(f, 4, EV_AMENDED_PLAN_ISSUED, "2027-03-31");
    compute_ok(f, "2027-04-01");
    expect(f, "phase_transfer", 0, "2027-03-31", "2027-03-31", STEP_MET);
}

/* ---- transfer in (reg 15) ------------------------------------------------ */

static void test_transfer_in(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_TRANSFER_IN, "2026-01-05");
    add(f, 2, EV_TRANSFER_NOTICE_ISSUED, "2026-02-10");
    compute_ok(f, "2026-03-01");
    expect(f, "transfer_notice", 0, "2026-02-16", "2026-02-10", STEP_MET);
    expect(f, "annual_review", 0, "2027-01-05", NULL, STEP_PENDING);
    assert_string_equal(journey_rule_basis(step(f, "transfer_notice", 0)->rule),
                        "SEND Regulations 2014, regulation 15(4)");
    assert_null(step(f, "decision_to_assess", 0));
    assert_null(step(f, "final_plan", 0));
    assert_int_equal(f->t.stage, STAGE_PLAN);
    assert_int_equal(f->t.request_date, DATE_NONE);
    assert_int_equal(f->t.within_20_weeks, -1);
    assert_int_equal(f->t.weeks_x10, -1);
    /* a final plan after a transfer is not a new plan for SEN2 timeliness */
    add(f, 3, EV_FINAL_PLAN_ISSUED, "2026-03-01");
    compute_ok(f, "2026-03-02");
    assert_int_equal(f->t.within_20_weeks, -1);
}

/* ---- appeal deadlines ---------------------------------------------------- */

static void test_appeal_two_months(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-10", OUTCOME_REFUSE);
    add(f, 3, EV_DECISION_LETTER, "2026-03-10");
    add(f, 4, EV_APPEAL_LODGED, "2026-05-01");
    compute_ok(f, "2026-06-01");
    expect(f, "appeal_deadline", 0, "2026-05-10", "2026-05-01", STEP_MET);
    assert_string_equal(journey_rule_basis(step(f, "appeal_deadline", 0)->rule),
                        "First-tier Tribunal (SEND) time limit: 2 months from the "
                        "decision, or 1 month from a mediation certificate");
}

static void test_appeal_rolls_over_christmas(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-10-27"); /* + 2 months = Sun 27 Dec 2026 */
    compute_ok(f, "2026-11-01");
    /* 1 Jan 2027 is a bank holiday, 2-3 Jan a weekend: Monday 4 January */
    expect(f, "appeal_deadline", 0, "2027-01-04", NULL, STEP_PENDING);
    char text[400];
    journey_explain(step(f, "appeal_deadline", 0), text, sizeof text);
    assert_non_null(strstr(text, "27 December 2026, which falls between 25 December and "
                                 "1 January, so it moves to 4 January 2027."));
}

static void test_appeal_new_year_day(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_REQUEST_RECEIVED, "2025-10-01");
    add(f, 2, EV_DECISION_LETTER, "2025-11-01"); /* + 2 months = 1 January 2026 */
    compute_ok(f, "2025-11-02");
    /* 1 Jan 2026 is a Thursday bank holiday; 2 Jan 2026 a Friday */
    expect(f, "appeal_deadline", 0, "2026-01-02", NULL, STEP_PENDING);
}

static void test_appeal_rolls_out_of_august(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-06-30"); /* + 2 months = 30 Aug 2026 */
    add(f, 3, EV_APPEAL_LODGED, "2026-09-01");
    compute_ok(f, "2026-09-02");
    expect(f, "appeal_deadline", 0, "2026-09-01", "2026-09-01", STEP_MET);
    char text[400];
    journey_explain(step(f, "appeal_deadline", 0), text, sizeof text);
    assert_string_equal(text,
                        "You can appeal to the First-tier Tribunal (SEND) within 2 months "
                        "of the decision letter of 30 June 2026; that would be 30 August "
                        "2026, which falls in August, so it moves to 1 September 2026.");
}

static void test_appeal_mediation_certificate_extends(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-03-10");
    add(f, 3, EV_MEDIATION_CERTIFICATE, "2026-04-20");
    compute_ok(f, "2026-05-15");
    expect(f, "appeal_deadline", 0, "2026-05-20", NULL, STEP_PENDING);
    assert_int_equal(step(f, "appeal_deadline", 0)->extension, D("2026-04-20"));
    char text[400];
    journey_explain(step(f, "appeal_deadline", 0), text, sizeof text);
    assert_string_equal(text,
                        "You can appeal to the First-tier Tribunal (SEND) within 2 months "
                        "of the decision letter of 10 March 2026 or within 1 month of the "
                        "mediation certificate of 20 April 2026, whichever is later, so by "
                        "20 May 2026.");
}

static void test_appeal_early_certificate_does_not_shorten(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-03-10");
    add(f, 3, EV_MEDIATION_CERTIFICATE, "2026-03-20");
    compute_ok(f, "2026-05-15");
    expect(f, "appeal_deadline", 0, "2026-05-10", NULL, STEP_OVERDUE);
    assert_int_equal(step(f, "appeal_deadline", 0)->extension, DATE_NONE);
}

/* The appeal deadline is the family's window: once it lapses it is shown as
 * passed, but it is never the council's next due date or overdue work. */
static void test_appeal_is_not_council_work(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-01", OUTCOME_REFUSE);
    add(f, 3, EV_DECISION_LETTER, "2026-02-01");
    compute_ok(f, "2026-06-01");
    expect(f, "appeal_deadline", 0, "2026-04-01", NULL, STEP_OVERDUE);
    assert_true(journey_rule_is_family_window(step(f, "appeal_deadline", 0)->rule));
    assert_false(journey_rule_is_family_window(step(f, "decision_to_assess", 0)->rule));
    assert_int_equal(f->t.overdue_count, 0);
    assert_int_equal(f->t.next_due, DATE_NONE);
    assert_null(f->t.next);
}

static void test_appeal_certificate_into_august(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-05-01");
    add(f, 3, EV_MEDIATION_CERTIFICATE, "2026-07-15"); /* + 1 month = 15 August */
    compute_ok(f, "2026-08-01");
    expect(f, "appeal_deadline", 0, "2026-09-01", NULL, STEP_PENDING);
    char text[400];
    journey_explain(step(f, "appeal_deadline", 0), text, sizeof text);
    assert_non_null(strstr(text, "whichever is later; that would be 15 August 2026, which "
                                 "falls in August, so it moves to 1 September 2026."));
}

static void test_appeal_certificate_belongs_to_its_letter(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-03-01");
    add(f, 3, EV_DECISION_LETTER, "2026-04-01");
    add(f, 4, EV_MEDIATION_CERTIFICATE, "2026-05-25");
    compute_ok(f, "2026-04-02");
    expect(f, "appeal_deadline", 0, "2026-05-01", NULL, STEP_PENDING);
    expect(f, "appeal_deadline", 1, "2026-06-25", NULL, STEP_PENDING);
}

/* ---- exceptions, ceasing, stages ----------------------------------------- */

static void test_exceptions_apply(void **state)
{
    fixture *f = *state;
    request(f);
    compute_ok(f, "2026-01-06");
    assert_false(f->t.exceptions_apply);
    event *x = add(f, 2, EV_EXCEPTION, "2026-03-01");
    x->exception = EXC_AWAY_FROM_AREA;
    compute_ok(f, "2026-03-02");
    assert_true(f->t.exceptions_apply);
    /* exceptions are reported, not applied to the dates */
    expect(f, "final_plan", 0, "2026-05-25", NULL, STEP_PENDING);
}

static void test_ceased_plan_drops_open_steps(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_REQUEST_RECEIVED, "2023-09-20");
    add(f, 2, EV_FINAL_PLAN_ISSUED, "2024-01-31");
    add(f, 3, EV_REVIEW_MEETING, "2025-01-10");
    add_outcome(f, 4, EV_REVIEW_DECISION, "2025-01-20", OUTCOME_CEASE);
    compute_ok(f, "2025-01-21");
    assert_int_equal(f->t.stage, STAGE_CEASED);
    assert_int_equal(count_steps(f, "annual_review"), 2); /* cease decision alone: open */
    event *c = add(f, 5, EV_PLAN_CEASED, "2025-03-01");
    c->cease_reason = 2;
    add(f, 6, EV_AMENDMENT_PROPOSED, "2025-02-01"); /* open at the cease: dropped */
    compute_ok(f, "2026-06-01");
    assert_int_equal(f->t.stage, STAGE_CEASED);
    assert_int_equal(count_steps(f, "annual_review"), 1);
    expect(f, "annual_review", 0, "2025-01-31", "2025-01-10", STEP_MET);
    expect(f, "review_decision", 0, "2025-02-07", "2025-01-20", STEP_MET);
    assert_null(step(f, "amended_plan", 0));
    assert_int_equal(f->t.overdue_count, 0);
    assert_null(f->t.next);
    assert_int_equal(f->t.next_due, DATE_NONE);
}

static void test_stages(void **state)
{
    fixture *f = *state;
    plan_in_place(f);
    compute_ok(f, "2024-06-01");
    assert_int_equal(f->t.stage, STAGE_PLAN);
    add(f, 3, EV_REVIEW_MEETING, "2025-03-01");
    compute_ok(f, "2025-03-02");
    assert_int_equal(f->t.stage, STAGE_REVIEW);
    add_outcome(f, 4, EV_REVIEW_DECISION, "2025-03-10", OUTCOME_MAINTAIN);
    compute_ok(f, "2025-03-11");
    assert_int_equal(f->t.stage, STAGE_PLAN);
    add(f, 5, EV_AMENDMENT_PROPOSED, "2025-04-01");
    compute_ok(f, "2025-04-02");
    assert_int_equal(f->t.stage, STAGE_AMENDMENT);
    /* events that do not move the stage */
    add(f, 6, EV_DECISION_LETTER, "2025-04-02");
    add_agency(f, 7, EV_ADVICE_REQUESTED, "2025-04-03", AGENCY_HEALTH);
    compute_ok(f, "2025-04-04");
    assert_int_equal(f->t.stage, STAGE_AMENDMENT);
    assert_string_equal(journey_stage_name(f->t.stage), "amendment");
    assert_string_equal(journey_stage_label(f->t.stage), "Amending the plan");
}

static void test_stage_names_and_labels(void **state)
{
    (void)state;
    static const char *names[] = {"request", "assessment", "refused", "no_plan", "draft",
                                  "plan", "review", "amendment", "ceased"};
    static const char *labels[] = {"Request received", "Needs assessment",
                                   "Assessment refused", "No plan issued", "Draft plan",
                                   "Plan in place", "Annual review", "Amending the plan",
                                   "Plan ceased"};
    for (int s = 0; s < STAGE_COUNT; s++) {
        assert_string_equal(journey_stage_name((journey_stage)s), names[s]);
        assert_string_equal(journey_stage_label((journey_stage)s), labels[s]);
    }
    assert_string_equal(journey_status_name(STEP_PENDING), "pending");
    assert_string_equal(journey_status_name(STEP_MET), "met");
    assert_string_equal(journey_status_name(STEP_LATE), "late");
    assert_string_equal(journey_status_name(STEP_OVERDUE), "overdue");
}

/* ---- ordering ------------------------------------------------------------ */

static void test_deadlines_ordered_by_due(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-01", OUTCOME_ASSESS);
    add_agency(f, 3, EV_ADVICE_REQUESTED, "2026-04-13", AGENCY_HEALTH); /* due 25 May */
    add(f, 4, EV_DECISION_LETTER, "2026-02-01");
    add_agency(f, 5, EV_ADVICE_REQUESTED, "2026-02-02", AGENCY_OTHER);
    compute_ok(f, "2026-02-03");
    for (size_t i = 1; i < f->t.n_deadlines; i++)
        assert_true(f->t.deadlines[i - 1].due <= f->t.deadlines[i].due);
    /* advice:health and final_plan are both due 25 May: rule order (advice first) */
    const journey_deadline *h = step(f, "advice:health", 0), *fp = step(f, "final_plan", 0);
    assert_int_equal(h->due, fp->due);
    assert_true(h < fp);
    /* the decision is done; the next open step is the advice from "other" */
    assert_string_equal(journey_rule_key(f->t.next->rule), "advice");
    assert_int_equal(f->t.next->agency, AGENCY_OTHER);
}

static void test_log_order_is_not_date_order(void **state)
{
    fixture *f = *state;
    request(f);
    add_agency(f, 2, EV_ADVICE_RECEIVED, "2026-03-01", AGENCY_HEALTH); /* logged first */
    add_agency(f, 3, EV_ADVICE_REQUESTED, "2026-02-02", AGENCY_HEALTH);
    compute_ok(f, "2026-04-01");
    expect(f, "advice:health", 0, "2026-03-16", "2026-03-01", STEP_MET);
}

/* ---- corrections --------------------------------------------------------- */

static void test_correction_fixes_a_wrong_date(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-01-20", OUTCOME_ASSESS);
    event *r = add_correction(f, 3, "2026-03-01", 2, EV_DECISION_TO_ASSESS, "2026-02-20");
    r->outcome = OUTCOME_ASSESS;
    compute_ok(f, "2026-03-02");
    expect(f, "decision_to_assess", 0, "2026-02-16", "2026-02-20", STEP_LATE);
    assert_int_equal(f->t.stage, STAGE_ASSESSMENT);
}

static void test_correction_withdraws_an_event(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 5, EV_FINAL_PLAN_ISSUED, "2026-03-01");
    add_correction(f, 6, "2026-03-02", 5, -1, NULL);
    compute_ok(f, "2026-03-03");
    expect(f, "final_plan", 0, "2026-05-25", NULL, STEP_PENDING);
    assert_null(step(f, "annual_review", 0));
    assert_int_equal(f->t.stage, STAGE_REQUEST);
    assert_int_equal(f->t.final_plan_date, DATE_NONE);
}

static void test_correcting_a_correction(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-01-20", OUTCOME_ASSESS);
    event *r = add_correction(f, 3, "2026-03-01", 2, EV_DECISION_TO_ASSESS, "2026-02-20");
    r->outcome = OUTCOME_ASSESS;
    r = add_correction(f, 4, "2026-03-02", 3, EV_DECISION_TO_ASSESS, "2026-02-10");
    r->outcome = OUTCOME_REFUSE;
    compute_ok(f, "2026-03-03");
    expect(f, "decision_to_assess", 0, "2026-02-16", "2026-02-10", STEP_MET);
    assert_int_equal(f->t.stage, STAGE_REFUSED);
    /* withdrawing the second correction leaves the original withdrawn too */
    add_correction(f, 7, "2026-03-03", 4, -1, NULL);
    compute_ok(f, "2026-03-04");
    expect(f, "decision_to_assess", 0, "2026-02-16", NULL, STEP_OVERDUE);
}

static void test_correction_moves_the_request(void **state)
{
    fixture *f = *state;
    request(f);
    add_correction(f, 2, "2026-01-20", 1, EV_REQUEST_RECEIVED, "2026-01-12");
    compute_ok(f, "2026-01-21");
    expect(f, "decision_to_assess", 0, "2026-02-23", NULL, STEP_PENDING);
    assert_int_equal(step(f, "decision_to_assess", 0)->trigger_event, 2);
    assert_int_equal(f->t.request_date, D("2026-01-12"));
}

/* ---- invalid journeys ---------------------------------------------------- */

static void test_invalid_first_event(void **state)
{
    fixture *f = *state;
    add_agency(f, 9, EV_ADVICE_REQUESTED, "2026-01-05", AGENCY_HEALTH);
    expect_error(f, "2026-01-06", SH_EINVAL, 0, 9, "type");
}

static void test_invalid_second_request(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-01-07");
    add(f, 3, EV_REQUEST_RECEIVED, "2026-02-01");
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "type");
    assert_non_null(strstr(f->err.message, "a new request opens a new case"));
}

static void test_invalid_transfer_after_request(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_TRANSFER_IN, "2026-02-01");
    expect_error(f, "2026-03-01", SH_EINVAL, 1, 2, "type");
}

static void test_invalid_before_request(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-01-07");
    add(f, 7, EV_DECISION_LETTER, "2026-01-04");
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 7, "date");
    assert_int_equal(f->err.date, D("2026-01-05"));
    assert_non_null(strstr(f->err.message, "before the request received"));
}

static void test_invalid_before_transfer(void **state)
{
    fixture *f = *state;
    add(f, 1, EV_TRANSFER_IN, "2026-01-05");
    add(f, 2, EV_REVIEW_MEETING, "2025-12-01");
    expect_error(f, "2026-03-01", SH_EINVAL, 1, 2, "date");
    assert_non_null(strstr(f->err.message, "transferred in"));
}

static void test_invalid_duplicate_id(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-01-07");
    add(f, 2, EV_DECISION_LETTER, "2026-01-08");
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 2, "id");
}

static void test_invalid_ids_zero_allowed_many_times(void **state)
{
    fixture *f = *state;
    add(f, 0, EV_REQUEST_RECEIVED, "2026-01-05");
    add(f, 0, EV_DECISION_LETTER, "2026-01-07");
    add(f, 0, EV_DECISION_LETTER, "2026-01-08");
    compute_ok(f, "2026-01-09");
    assert_int_equal(step(f, "decision_to_assess", 0)->trigger_event, 0);
    f->ev[2].id = -4;
    expect_error(f, "2026-01-09", SH_EINVAL, 2, -4, "id");
}

static void test_invalid_missing_field(void **state)
{
    fixture *f = *state;
    request(f);
    add_agency(f, 2, EV_ADVICE_REQUESTED, "2026-01-07", AGENCY_HEALTH);
    add(f, 7, EV_ADVICE_REQUESTED, "2026-01-08");
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 7, "agency");
    assert_string_equal(f->err.message, "is missing");
}

static void test_invalid_field_values(void **state)
{
    fixture *f = *state;
    request(f);
    event *e = add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-01-07", OUTCOME_AMEND);
    expect_error(f, "2026-03-01", SH_EINVAL, 1, 2, "outcome");
    e->outcome = OUTCOME_ASSESS;
    e = add(f, 3, EV_PHASE_TRANSFER_DUE, "2026-01-08");
    e->transfer_to = TRANSFER_SCHOOL;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "transfer_year");
    e->transfer_year = 1999;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "transfer_year");
    e->transfer_year = 2030;
    e->transfer_to = TRANSFER_NONE;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "to");
    e->transfer_to = TRANSFER_POST16;
    e = add(f, 4, EV_PLAN_CEASED, "2026-01-09");
    expect_error(f, "2026-03-01", SH_EINVAL, 3, 4, "reason");
    e->cease_reason = 10;
    expect_error(f, "2026-03-01", SH_EINVAL, 3, 4, "reason");
    e->cease_reason = 9;
    e = add(f, 5, EV_EXCEPTION, "2026-01-09");
    expect_error(f, "2026-03-01", SH_EINVAL, 4, 5, "reason");
    e->exception = EXC_SCHOOL_CLOSURE;
    e = add(f, 6, EV_REVIEW_DECISION, "2026-01-09");
    expect_error(f, "2026-03-01", SH_EINVAL, 5, 6, "outcome");
    e->outcome = OUTCOME_MAINTAIN;
    e = add(f, 8, EV_DECISION_LETTER, "2026-01-10");
    e->agency = AGENCY_HEALTH; /* not a field of a decision letter */
    expect_error(f, "2026-03-01", SH_EINVAL, 6, 8, "agency");
    e->agency = AGENCY_NONE;
    e->date = DATE_NONE;
    expect_error(f, "2026-03-01", SH_EINVAL, 6, 8, "date");
    e->date = D("2026-01-10");
    compute_ok(f, "2026-03-01");
}

static void test_invalid_corrections(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-01-07");
    event *c = add(f, 3, EV_CORRECTION, "2026-01-08");
    c->reason = "typo";
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "supersedes"); /* missing */
    c->supersedes = 99;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "supersedes"); /* unknown */
    c->supersedes = 4;                                              /* a later event */
    add(f, 4, EV_DECISION_LETTER, "2026-01-09");
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "supersedes");
    c->supersedes = 2;
    c->reason = "";
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "reason");
    static char long_reason[EVENT_REASON_MAX + 2];
    memset(long_reason, 'x', EVENT_REASON_MAX + 1);
    c->reason = long_reason;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "reason");
    long_reason[EVENT_REASON_MAX] = '\0'; /* exactly the ceiling is fine */
    compute_ok(f, "2026-03-01");
    c->reason = NULL;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "reason");
    c->reason = "typo";
    /* superseding the same event twice */
    add_correction(f, 5, "2026-01-10", 2, -1, NULL);
    expect_error(f, "2026-03-01", SH_EINVAL, 4, 5, "supersedes");
}

static void test_invalid_replacements(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-01-07");
    event *r = add_correction(f, 3, "2026-01-08", 2, EV_CORRECTION, "2026-01-07");
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "replacement.type");
    r->type = EV_ADVICE_RECEIVED;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "replacement.agency");
    r->agency = AGENCY_OTHER;
    r->id = 12;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "replacement.id");
    r->id = 0;
    r->date = D("2025-12-01");
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "replacement.date");
    assert_int_equal(f->err.date, D("2026-01-05"));
    r->date = D("2026-01-07");
    compute_ok(f, "2026-03-01");
    /* a replacement that is a second start */
    r->type = EV_REQUEST_RECEIVED;
    r->agency = AGENCY_NONE;
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "replacement.type");
}

static void test_invalid_withdrawing_the_start(void **state)
{
    fixture *f = *state;
    request(f);
    add(f, 2, EV_DECISION_LETTER, "2026-01-07");
    add_correction(f, 3, "2026-01-08", 1, -1, NULL);
    expect_error(f, "2026-03-01", SH_EINVAL, 2, 3, "supersedes");
    /* a new request after the withdrawal is the journey's one start */
    add(f, 4, EV_REQUEST_RECEIVED, "2026-01-06");
    compute_ok(f, "2026-03-01");
    expect(f, "decision_to_assess", 0, "2026-02-17", NULL, STEP_OVERDUE);
}

static void test_invalid_empty_and_too_many(void **state)
{
    fixture *f = *state;
    journey_error err;
    assert_int_equal(journey_validate(f->ev, 0, &err), SH_EINVAL);
    assert_null(err.field);
    static event many[JOURNEY_MAX_EVENTS + 1];
    event_init(&many[0], EV_REQUEST_RECEIVED, D("2026-01-05"));
    for (size_t i = 1; i < JOURNEY_MAX_EVENTS + 1; i++)
        event_init(&many[i], EV_DECISION_LETTER, D("2026-01-06"));
    assert_int_equal(journey_validate(many, JOURNEY_MAX_EVENTS + 1, &err), SH_ELIMIT);
    assert_null(err.field);
    assert_int_equal(journey_validate(many, JOURNEY_MAX_EVENTS, NULL), SH_OK);
    journey_timeline t;
    assert_int_equal(journey_compute(many, JOURNEY_MAX_EVENTS, D("2026-03-01"), f->a, &t, &err),
                     SH_OK);
    assert_int_equal(t.n_deadlines, 2 + (JOURNEY_MAX_EVENTS - 1));
}

/* ---- memory, explanations, names ----------------------------------------- */

static void test_one_arena_allocation(void **state)
{
    fixture *f = *state;
    request(f);
    add_outcome(f, 2, EV_DECISION_TO_ASSESS, "2026-02-01", OUTCOME_ASSESS);
    size_t before = arena_used(f->a);
    compute_ok(f, "2026-02-03");
    size_t used = arena_used(f->a) - before;
    assert_true(used >= f->t.n_deadlines * sizeof(journey_deadline));
    assert_true(used < 4 * sizeof(journey_deadline) + 16);
    /* a ceiling below that fails cleanly */
    arena *tiny = arena_create(16);
    journey_timeline t;
    journey_error err;
    assert_int_equal(journey_compute(f->ev, f->n, D("2026-02-03"), tiny, &t, &err),
                     SH_ENOMEM);
    arena_destroy(tiny);
}

static void test_explain_sentences(void **state)
{
    fixture *f = *state;
    request(f);
    add_agency(f, 2, EV_ADVICE_REQUESTED, "2026-02-02", AGENCY_PSYCHOLOGY);
    add(f, 3, EV_FINAL_PLAN_ISSUED, "2026-05-20");
    char text[400];
    compute_ok(f, "2026-05-21");
    journey_explain(step(f, "decision_to_assess", 0), text, sizeof text);
    assert_string_equal(text, "The council must decide whether to carry out an EHC needs "
                              "assessment within 6 weeks of receiving the request on 5 "
                              "January 2026, so by 16 February 2026.");
    journey_explain(step(f, "final_plan", 0), text, sizeof text);
    assert_string_equal(text, "The final EHC plan must be issued within 20 weeks of "
                              "receiving the request on 5 January 2026, so by 25 May 2026.");
    journey_explain(step(f, "advice:psychology", 0), text, sizeof text);
    assert_string_equal(text, "The educational psychology advice must be given within 6 "
                              "weeks of being requested on 2 February 2026, so by 16 March "
                              "2026.");
    journey_explain(step(f, "annual_review", 0), text, sizeof text);
    assert_string_equal(text, "The plan must be reviewed within 12 "
                              "months of the plan being issued on 20 May 2026, so by 20 May "
                              "2027.");
    /* truncation reports the full length and stays terminated */
    char small[10];
    size_t need = journey_explain(step(f, "final_plan", 0), small, sizeof small);
    assert_int_equal(need, strlen("The final EHC plan must be issued within 20 weeks of "
                                  "receiving the request on 5 January 2026, so by 25 May "
                                  "2026."));
    assert_string_equal(small, "The final");
    assert_int_equal(journey_explain(step(f, "final_plan", 0), NULL, 0), need);
}

static void test_explain_phase_transfer(void **state)
{
    fixture *f = *state;
    plan_in_place(f);
    phase(f, 3, "2026-09-01", 2027, TRANSFER_POST16);
    compute_ok(f, "2026-09-02");
    char text[400];
    journey_explain(step(f, "phase_transfer", 0), text, sizeof text);
    assert_string_equal(text, "Before the move from school to post-16 education, the "
                              "council must review the plan and issue an amended plan "
                              "naming the college or other setting by 31 March 2027.");
}

static void test_every_explanation_is_a_sentence(void **state)
{
    fixture *f = *state;
    plan_in_place(f);
    add_agency(f, 3, EV_ADVICE_REQUESTED, "2024-02-01", AGENCY_OTHER);
    add(f, 4, EV_REVIEW_MEETING, "2025-03-01");
    add(f, 5, EV_AMENDMENT_PROPOSED, "2025-03-20");
    phase(f, 6, "2025-04-01", 2026, TRANSFER_SCHOOL);
    add(f, 7, EV_DECISION_LETTER, "2025-04-02");
    add(f, 8, EV_DECISION_NOT_TO_ISSUE, "2024-04-01");
    compute_ok(f, "2025-05-01");
    for (size_t i = 0; i < f->t.n_deadlines; i++) {
        char text[400];
        size_t len = journey_explain(&f->t.deadlines[i], text, sizeof text);
        assert_true(len > 40 && len < sizeof text);
        assert_true(text[len - 1] == '.');
        assert_null(strstr(text, "  "));
    }
}

static void test_rule_table(void **state)
{
    (void)state;
    assert_true(journey_rule_count() >= 10);
    for (size_t i = 0; i < journey_rule_count(); i++) {
        const journey_rule *r = journey_rule_at(i);
        assert_non_null(r);
        assert_true(strlen(journey_rule_key(r)) > 0);
        assert_true(strlen(journey_rule_basis(r)) > 10);
    }
    assert_null(journey_rule_at(journey_rule_count()));
}

static void test_event_names_round_trip(void **state)
{
    (void)state;
    for (int t = 0; t < EV_TYPE_COUNT; t++) {
        const char *name = event_type_name((event_type)t);
        assert_non_null(name);
        assert_int_equal(event_type_parse(name, strlen(name)), t);
        assert_non_null(event_type_label((event_type)t));
    }
    assert_int_equal(event_type_parse("request", 7), -1);
    assert_int_equal(event_type_parse("request_received_", 17), -1);
    assert_int_equal(event_type_parse(NULL, 0), -1);
    assert_null(event_type_name(EV_TYPE_COUNT));
    for (int a = 0; a < AGENCY_COUNT; a++) {
        const char *name = event_agency_name((event_agency)a);
        assert_int_equal(event_agency_parse(name, strlen(name)), a);
        assert_non_null(event_agency_label((event_agency)a));
    }
    assert_int_equal(event_agency_parse("Health", 6), AGENCY_NONE);
    assert_string_equal(event_agency_label(AGENCY_PSYCHOLOGY), "Educational psychology");
    for (int o = 0; o < OUTCOME_COUNT; o++) {
        const char *name = event_outcome_name((event_outcome)o);
        assert_int_equal(event_outcome_parse(name, strlen(name)), o);
    }
    assert_int_equal(event_outcome_parse("yes", 3), OUTCOME_NONE);
    for (int x = 0; x < EXC_COUNT; x++) {
        const char *name = event_exception_name((event_exception)x);
        assert_int_equal(event_exception_parse(name, strlen(name)), x);
    }
    assert_int_equal(event_exception_parse("illness", 7), EXC_NONE);
    assert_string_equal(event_transfer_to_name(TRANSFER_POST16), "post16");
    assert_int_equal(event_transfer_to_parse("school", 6), TRANSFER_SCHOOL);
    assert_int_equal(event_transfer_to_parse("college", 7), TRANSFER_NONE);
    assert_string_equal(event_cease_reason_label(1), "Max Age");
    assert_string_equal(event_cease_reason_label(9), "Other");
    assert_null(event_cease_reason_label(0));
    assert_null(event_cease_reason_label(10));
    assert_string_equal(event_type_label(EV_FINAL_PLAN_ISSUED), "Final plan issued");
}

static void test_event_init_is_absent(void **state)
{
    (void)state;
    event e;
    memset(&e, 0x5a, sizeof e);
    event_init(&e, EV_REVIEW_MEETING, 20000);
    assert_int_equal(e.id, 0);
    assert_int_equal(e.date, 20000);
    assert_int_equal(e.agency, AGENCY_NONE);
    assert_int_equal(e.outcome, OUTCOME_NONE);
    assert_int_equal(e.exception, EXC_NONE);
    assert_int_equal(e.transfer_to, TRANSFER_NONE);
    assert_int_equal(e.cease_reason, 0);
    assert_int_equal(e.transfer_year, 0);
    assert_int_equal(e.supersedes, 0);
    assert_null(e.reason);
    assert_null(e.replacement);
    const char *field = NULL, *why = NULL;
    assert_int_equal(event_check_fields(&e, &field, &why), SH_OK);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_decision_to_assess_six_weeks),
        T(test_decision_on_due_date_is_met),
        T(test_decision_day_after_due_is_late),
        T(test_as_of_on_due_is_pending_day_after_overdue),
        T(test_advice_three_agencies_one_late),
        T(test_advice_two_requests_same_agency),
        T(test_decision_not_to_issue),
        T(test_refused_has_no_final_plan),
        T(test_final_plan_within_20_weeks),
        T(test_final_plan_141_days_is_20_1_weeks),
        T(test_weeks_round_half_up),
        T(test_annual_review_month_end),
        T(test_annual_review_leap_day),
        T(test_annual_review_chain),
        T(test_review_meeting_same_day_does_not_complete),
        T(test_review_report_two_weeks),
        T(test_review_report_before_meeting_does_not_count),
        T(test_amendment_comment_window),
        T(test_cease_keeps_appeal_window),
        T(test_amended_plan_eight_weeks),
        T(test_phase_transfer_school_met),
        T(test_phase_transfer_post16_overdue),
        T(test_phase_transfer_school_overdue_post16_met),
        T(test_transfer_in),
        T(test_appeal_two_months),
        T(test_appeal_rolls_over_christmas),
        T(test_appeal_new_year_day),
        T(test_appeal_rolls_out_of_august),
        T(test_appeal_mediation_certificate_extends),
        T(test_appeal_is_not_council_work),
        T(test_appeal_early_certificate_does_not_shorten),
        T(test_appeal_certificate_into_august),
        T(test_appeal_certificate_belongs_to_its_letter),
        T(test_exceptions_apply),
        T(test_ceased_plan_drops_open_steps),
        T(test_stages),
        T(test_stage_names_and_labels),
        T(test_deadlines_ordered_by_due),
        T(test_log_order_is_not_date_order),
        T(test_correction_fixes_a_wrong_date),
        T(test_correction_withdraws_an_event),
        T(test_correcting_a_correction),
        T(test_correction_moves_the_request),
        T(test_invalid_first_event),
        T(test_invalid_second_request),
        T(test_invalid_transfer_after_request),
        T(test_invalid_before_request),
        T(test_invalid_before_transfer),
        T(test_invalid_duplicate_id),
        T(test_invalid_ids_zero_allowed_many_times),
        T(test_invalid_missing_field),
        T(test_invalid_field_values),
        T(test_invalid_corrections),
        T(test_invalid_replacements),
        T(test_invalid_withdrawing_the_start),
        T(test_invalid_empty_and_too_many),
        T(test_one_arena_allocation),
        T(test_explain_sentences),
        T(test_explain_phase_transfer),
        T(test_every_explanation_is_a_sentence),
        T(test_rule_table),
        T(test_event_names_round_trip),
        T(test_event_init_is_absent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
