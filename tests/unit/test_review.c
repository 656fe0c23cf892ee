/*
 * test_review.c — annual reviews and phase transfers: the pure vocabulary
 * (core/review.h: notice, terms, transfer year) and the use cases
 * (app/review.h) on a real database: a review from invitations to the
 * amended plan, every validation message a form shows, who may record what,
 * ceasing, consultations and the calendar rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/app.h"
#include "app/review.h"
#include "core/review.h"
#include "store/store.h"
#include "util/err.h"
#include "testdb.h"

#define ARENA_LIMIT (64u << 20)

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

/* ---- core/review ------------------------------------------------------------ */

static void test_notice(void **state)
{
    (void)state;
    /* invitations Monday 5 January 2026, meeting Monday 19 January: 14 days */
    assert_int_equal(review_notice_days(D(2026, 1, 5), D(2026, 1, 19)), 14);
    assert_false(review_notice_short(D(2026, 1, 5), D(2026, 1, 19)));
    assert_true(review_notice_short(D(2026, 1, 5), D(2026, 1, 18)));
    assert_false(review_notice_short(DATE_NONE, D(2026, 1, 18)));
    assert_false(review_notice_short(D(2026, 1, 5), DATE_NONE));
}

static void test_terms(void **state)
{
    (void)state;
    review_term_id t = review_term_of(D(2026, 11, 2));
    assert_int_equal(t.academic_year, 2026);
    assert_int_equal(t.term, TERM_AUTUMN);
    t = review_term_of(D(2027, 3, 31));
    assert_int_equal(t.academic_year, 2026);
    assert_int_equal(t.term, TERM_SPRING);
    t = review_term_of(D(2027, 8, 31)); /* the summer holiday is on the summer list */
    assert_int_equal(t.term, TERM_SUMMER);
    date_t first, last;
    review_term_range(t, &first, &last);
    assert_int_equal(first, D(2027, 4, 1));
    assert_int_equal(last, D(2027, 8, 31));
    review_term_range((review_term_id){2027, TERM_SPRING}, &first, &last);
    assert_int_equal(first, D(2028, 1, 1));
    assert_int_equal(last, D(2028, 3, 31));

    review_term_id n = review_term_next(t);
    assert_int_equal(n.academic_year, 2027);
    assert_int_equal(n.term, TERM_AUTUMN);

    char key[32], label[40];
    review_term_key((review_term_id){2026, TERM_SPRING}, key, sizeof key);
    assert_string_equal(key, "2027-spring");
    review_term_label((review_term_id){2026, TERM_SPRING}, label, sizeof label);
    assert_string_equal(label, "Spring term 2027");
    review_term_id back;
    assert_int_equal(review_term_parse("2027-spring", &back), SH_OK);
    assert_int_equal(back.academic_year, 2026);
    assert_int_equal(back.term, TERM_SPRING);
    assert_int_equal(review_term_parse("2026-autumn", &back), SH_OK);
    assert_int_equal(back.academic_year, 2026);
    assert_int_equal(review_term_parse("2026-winter", &back), SH_EINVAL);
    assert_int_equal(review_term_parse("26-autumn", &back), SH_EINVAL);
    assert_int_equal(review_term_parse("", &back), SH_EINVAL);
    assert_int_equal(review_term_parse(NULL, &back), SH_EINVAL);
}

static void test_transfer_year_and_names(void **state)
{
    (void)state;
    assert_int_equal(review_transfer_year(D(2026, 8, 31)), 2026);
    assert_int_equal(review_transfer_year(D(2026, 9, 1)), 2027);
    assert_int_equal(review_transfer_year(D(2027, 2, 15)), 2027);
    for (int i = 0; i < CONSULT_COUNT; i++)
        assert_int_equal(review_consult_parse(review_consult_name((review_consult_response)i)),
                         i);
    for (int i = 0; i < INVITE_COUNT; i++)
        assert_int_equal(review_invitee_parse(review_invitee_name((review_invitee)i)), i);
    assert_int_equal(review_consult_parse("maybe"), -1);
    assert_string_equal(review_consult_label(CONSULT_CANNOT_MEET), "Cannot meet needs");
}

/* ---- the use cases on a database ---------------------------------------------- */

typedef struct {
    char path[TESTDB_URL_MAX];
    store *s;
    arena *a;
    int64_t case_id;
    app_error err;
} fixture;

static const app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .la_code = "990",
                                 .remote = ""};
static const app_identity coordinator = {.user_id = 7, .username = "a.patel",
                                         .role = ROLE_COORDINATOR, .la_code = "990",
                                         .remote = ""};
static const app_identity senco = {.user_id = 8, .username = "s.senco", .role = ROLE_SETTING,
                                   .la_code = "990", .setting_urn = "100001", .remote = ""};
static const app_identity other_senco = {.user_id = 9, .username = "o.senco",
                                         .role = ROLE_SETTING, .la_code = "990",
                                         .setting_urn = "100002", .remote = ""};
static const app_identity health = {.user_id = 10, .username = "h.health", .role = ROLE_HEALTH,
                                    .la_code = "990", .remote = ""};

static void record(fixture *f, event_type type, date_t d, event_outcome o)
{
    event e;
    event_init(&e, type, d);
    e.outcome = o;
    journey_timeline t;
    assert_int_equal(app_case_record_event(f->s, &sys, f->case_id, &e, d, f->a, &t, &f->err),
                     SH_OK);
}

/* A child at setting 100001 with a final plan issued on 20 January 2025. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *url = testdb_url();
    if (!url)
        return -1;
    snprintf(f->path, sizeof f->path, "%s", url);
    f->a = arena_create(ARENA_LIMIT);
    if (!f->a || store_open(f->path, &f->s) != SH_OK || store_migrate(f->s) != SH_OK ||
        store_area_put(f->s, "990", "Northfield (synthetic)") != SH_OK ||
        store_setting_put(f->s, "990", "100001", "Oak Primary (synthetic)", "primary") != SH_OK)
        return -1;
    *state = f;
    store_child c;
    memset(&c, 0, sizeof c);
    c.forename = "Test";
    c.surname = "Child";
    c.date_of_birth = D(2016, 3, 4);
    c.sen_need[0] = c.sen_need[1] = -1;
    strcpy(c.setting_urn, "100001");
    if (app_child_create(f->s, &sys, &c, D(2024, 9, 2), &f->err) != SH_OK)
        return -1;
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, D(2024, 9, 2));
    store_case k;
    journey_timeline t;
    if (app_case_open(f->s, &sys, c.id, "a.patel", &start, D(2024, 9, 2), f->a, &k, &t,
                      &f->err) != SH_OK)
        return -1;
    f->case_id = k.id;
    record(f, EV_DECISION_TO_ASSESS, D(2024, 10, 1), OUTCOME_ASSESS);
    record(f, EV_FINAL_PLAN_ISSUED, D(2025, 1, 20), OUTCOME_NONE);
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    arena_destroy(f->a);
    testdb_drop(f->path);
    free(f);
    return 0;
}

static const unsigned FAMILY_AND_SETTING = (1u << INVITE_FAMILY) | (1u << INVITE_SETTING);

static void expect_invalid(fixture *f, int rc, const char *field, const char *message)
{
    assert_int_equal(rc, SH_EINVAL);
    if (field)
        assert_string_equal(f->err.field, field);
    else
        assert_null(f->err.field);
    assert_string_equal(f->err.message, message);
}

static app_review_view view(fixture *f, date_t today)
{
    app_review_view v;
    assert_int_equal(app_review_get(f->s, &sys, f->case_id, today, f->a, &v, &f->err), SH_OK);
    return v;
}

static void test_review_to_amended_plan(void **state)
{
    fixture *f = *state;
    bool short_notice = true;
    assert_int_equal(app_review_invite(f->s, &coordinator, f->case_id, D(2025, 12, 1),
                                       D(2025, 12, 15), FAMILY_AND_SETTING | (1u << INVITE_HEALTH),
                                       "", D(2025, 12, 1), f->a, &short_notice, &f->err),
                     SH_OK);
    assert_false(short_notice);
    app_review_view v = view(f, D(2025, 12, 2));
    assert_true(v.has_review);
    assert_int_equal(v.r.meeting_on, D(2025, 12, 15));
    assert_int_equal(v.r.invitees, FAMILY_AND_SETTING | (1u << INVITE_HEALTH));
    assert_false(app_review_cycle_closed(&v));

    assert_int_equal(app_review_advice(f->s, &coordinator, f->case_id, D(2025, 12, 1),
                                       D(2025, 12, 2), f->a, &f->err),
                     SH_OK);
    assert_int_equal(app_review_meeting(f->s, &coordinator, f->case_id, D(2025, 12, 15),
                                        "Parent, SENCo, school nurse", D(2025, 12, 15), f->a,
                                        &f->err),
                     SH_OK);
    v = view(f, D(2025, 12, 16));
    assert_int_equal(v.v.timeline.stage, STAGE_REVIEW);
    const journey_deadline *d = app_review_step(&v.v.timeline, "review_report");
    assert_non_null(d);
    assert_int_equal(d->due, D(2025, 12, 29));

    /* the SENCo of the child's school submits the report */
    assert_int_equal(app_review_report(f->s, &senco, f->case_id, D(2025, 12, 22),
                                       "Good progress in reading.", "Add speech therapy.",
                                       D(2025, 12, 22), f->a, &f->err),
                     SH_OK);
    v = view(f, D(2025, 12, 23));
    assert_int_equal(v.r.report_on, D(2025, 12, 22));
    assert_string_equal(v.r.report_by, "s.senco");
    assert_string_equal(v.r.recommendations, "Add speech therapy.");
    assert_int_equal(app_review_step(&v.v.timeline, "review_report")->status, STEP_MET);

    assert_int_equal(app_review_decide(f->s, &coordinator, f->case_id, D(2026, 1, 5),
                                       OUTCOME_AMEND, D(2026, 1, 5), f->a, &f->err),
                     SH_OK);
    assert_int_equal(app_review_propose(f->s, &coordinator, f->case_id, D(2026, 1, 6),
                                        D(2026, 1, 6), f->a, &f->err),
                     SH_OK);
    /* the family's 15 days run to 21 January: not before then */
    expect_invalid(f, app_review_amended(f->s, &coordinator, f->case_id, D(2026, 1, 21),
                                         D(2026, 1, 21), f->a, &f->err),
                   "issued_on",
                   "The family has until 21 January 2026 to comment on the proposed "
                   "amendments: issue the amended plan after that");
    assert_int_equal(app_review_amended(f->s, &coordinator, f->case_id, D(2026, 2, 2),
                                        D(2026, 2, 2), f->a, &f->err),
                     SH_OK);
    v = view(f, D(2026, 2, 3));
    assert_int_equal(v.v.timeline.stage, STAGE_PLAN);
    assert_int_equal(app_review_step(&v.v.timeline, "amended_plan")->status, STEP_MET);
    assert_true(app_review_cycle_closed(&v));
    /* the next annual review runs from this meeting */
    const journey_deadline *next = app_review_step(&v.v.timeline, "annual_review");
    assert_int_equal(next->due, D(2026, 12, 15));
}

static void test_invitation_checks(void **state)
{
    fixture *f = *state;
    bool short_notice = false;
    date_t today = D(2025, 12, 1);
    expect_invalid(f, app_review_invite(f->s, &coordinator, f->case_id, DATE_NONE,
                                        D(2025, 12, 15), FAMILY_AND_SETTING, "", today, f->a,
                                        NULL, &f->err),
                   "sent_on", "Enter the date the invitations were sent");
    expect_invalid(f, app_review_invite(f->s, &coordinator, f->case_id, D(2025, 12, 2),
                                        D(2025, 12, 15), FAMILY_AND_SETTING, "", today, f->a,
                                        NULL, &f->err),
                   "sent_on", "The date the invitations were sent must be today or in the past");
    expect_invalid(f, app_review_invite(f->s, &coordinator, f->case_id, today, DATE_NONE,
                                        FAMILY_AND_SETTING, "", today, f->a, NULL, &f->err),
                   "meeting_on", "Enter the date of the review meeting");
    expect_invalid(f, app_review_invite(f->s, &coordinator, f->case_id, today, D(2025, 11, 30),
                                        FAMILY_AND_SETTING, "", today, f->a, NULL, &f->err),
                   "meeting_on",
                   "The meeting date must be the same as or after the date the invitations "
                   "were sent (1 December 2025)");
    expect_invalid(f, app_review_invite(f->s, &coordinator, f->case_id, today, D(2025, 12, 15),
                                        1u << INVITE_FAMILY, "", today, f->a, NULL, &f->err),
                   "invitees",
                   "Invite the child and family and the school or setting: the law says both "
                   "must be invited");
    expect_invalid(f, app_review_invite(f->s, &coordinator, f->case_id, today, D(2025, 12, 15),
                                        FAMILY_AND_SETTING | (1u << INVITE_OTHER), "", today,
                                        f->a, NULL, &f->err),
                   "other", "Enter who else was invited");
    /* short notice is recorded, and said */
    assert_int_equal(app_review_invite(f->s, &coordinator, f->case_id, today, D(2025, 12, 10),
                                       FAMILY_AND_SETTING, "", today, f->a, &short_notice,
                                       &f->err),
                     SH_OK);
    assert_true(short_notice);
    /* a second review cannot start while this one is open */
    expect_invalid(f, app_review_invite(f->s, &coordinator, f->case_id, today, D(2025, 12, 20),
                                        FAMILY_AND_SETTING, "", today, f->a, NULL, &f->err),
                   NULL,
                   "This plan's current review is not finished: record its meeting and "
                   "decision first.");
}

static void test_step_order_and_messages(void **state)
{
    fixture *f = *state;
    date_t today = D(2025, 12, 20);
    expect_invalid(f, app_review_meeting(f->s, &coordinator, f->case_id, D(2025, 12, 15), "x",
                                         today, f->a, &f->err),
                   NULL, "Record the invitations to the review meeting first.");
    expect_invalid(f, app_review_decide(f->s, &coordinator, f->case_id, today, OUTCOME_MAINTAIN,
                                        today, f->a, &f->err),
                   NULL, "There is no review meeting awaiting a decision.");
    assert_int_equal(app_review_invite(f->s, &coordinator, f->case_id, D(2025, 12, 1),
                                       D(2025, 12, 15), FAMILY_AND_SETTING, "", today, f->a,
                                       NULL, &f->err),
                     SH_OK);
    expect_invalid(f, app_review_report(f->s, &senco, f->case_id, today, "r", "s", today, f->a,
                                        &f->err),
                   NULL, "The review meeting must be recorded before its report.");
    expect_invalid(f, app_review_meeting(f->s, &coordinator, f->case_id, D(2025, 12, 15), "",
                                         today, f->a, &f->err),
                   "attendees", "Enter who attended");
    expect_invalid(f, app_review_meeting(f->s, &coordinator, f->case_id, D(2025, 11, 30), "Mum",
                                         today, f->a, &f->err),
                   "held_on",
                   "The date of the meeting must be the same as or after the invitations "
                   "(1 December 2025)");
    assert_int_equal(app_review_meeting(f->s, &coordinator, f->case_id, D(2025, 12, 15), "Mum",
                                        today, f->a, &f->err),
                     SH_OK);
    expect_invalid(f, app_review_report(f->s, &senco, f->case_id, today, "", "s", today, f->a,
                                        &f->err),
                   "report", "Enter the report");
    expect_invalid(f, app_review_decide(f->s, &coordinator, f->case_id, today, OUTCOME_NONE,
                                        today, f->a, &f->err),
                   "outcome", "Select whether to keep, amend or cease the plan");
    expect_invalid(f, app_review_propose(f->s, &coordinator, f->case_id, today, today, f->a,
                                         &f->err),
                   NULL, "Proposed amendments follow a decision to amend the plan.");
    assert_int_equal(app_review_decide(f->s, &coordinator, f->case_id, today, OUTCOME_MAINTAIN,
                                       today, f->a, &f->err),
                     SH_OK);
    app_review_view v = view(f, today);
    assert_true(app_review_cycle_closed(&v));
    assert_int_equal(v.v.timeline.stage, STAGE_PLAN);
}

static void test_who_may_record(void **state)
{
    fixture *f = *state;
    date_t today = D(2025, 12, 20);
    assert_int_equal(app_review_invite(f->s, &senco, f->case_id, D(2025, 12, 1),
                                       D(2025, 12, 15), FAMILY_AND_SETTING, "", today, f->a,
                                       NULL, &f->err),
                     SH_EDENIED);
    assert_int_equal(app_review_invite(f->s, &coordinator, f->case_id, D(2025, 12, 1),
                                       D(2025, 12, 15), FAMILY_AND_SETTING, "", today, f->a,
                                       NULL, &f->err),
                     SH_OK);
    assert_int_equal(app_review_meeting(f->s, &coordinator, f->case_id, D(2025, 12, 15), "Mum",
                                        today, f->a, &f->err),
                     SH_OK);
    assert_int_equal(app_review_report(f->s, &health, f->case_id, today, "r", "s", today, f->a,
                                       &f->err),
                     SH_EDENIED);
    assert_int_equal(app_review_decide(f->s, &senco, f->case_id, today, OUTCOME_MAINTAIN, today,
                                       f->a, &f->err),
                     SH_EDENIED);
}

static void test_cease(void **state)
{
    fixture *f = *state;
    date_t today = D(2026, 3, 2);
    expect_invalid(f, app_plan_cease(f->s, &coordinator, f->case_id, today, today, 0, today,
                                     f->a, &f->err),
                   "reason", "Select why the plan is ceasing");
    expect_invalid(f, app_plan_cease(f->s, &coordinator, f->case_id, today, D(2026, 3, 1), 4,
                                     today, f->a, &f->err),
                   "cease_on",
                   "The date the plan ceases must be the same as or after the decision letter "
                   "(2 March 2026)");
    assert_int_equal(app_plan_cease(f->s, &coordinator, f->case_id, today, D(2026, 3, 31), 4,
                                    today, f->a, &f->err),
                     SH_OK);
    app_review_view v = view(f, D(2026, 4, 1));
    assert_int_equal(v.v.timeline.stage, STAGE_CEASED);
    const journey_deadline *appeal = app_review_step(&v.v.timeline, "appeal_deadline");
    assert_non_null(appeal);
    assert_int_equal(appeal->due, D(2026, 5, 2));
    expect_invalid(f, app_plan_cease(f->s, &coordinator, f->case_id, today, today, 4,
                                     D(2026, 4, 1), f->a, &f->err),
                   NULL, "Only a plan in place can be ceased.");
}

/* A review decision to cease moves the stage to ceased at once; the plan
 * can still be ceased (letter and date) until plan_ceased is recorded. */
static void test_cease_after_review_decision(void **state)
{
    fixture *f = *state;
    date_t today = D(2026, 3, 2);
    assert_int_equal(app_review_invite(f->s, &coordinator, f->case_id, D(2026, 1, 5),
                                       D(2026, 1, 19), FAMILY_AND_SETTING, "", today, f->a,
                                       NULL, &f->err),
                     SH_OK);
    assert_int_equal(app_review_meeting(f->s, &coordinator, f->case_id, D(2026, 1, 19), "Mum",
                                        today, f->a, &f->err),
                     SH_OK);
    assert_int_equal(app_review_decide(f->s, &coordinator, f->case_id, D(2026, 2, 2),
                                       OUTCOME_CEASE, today, f->a, &f->err),
                     SH_OK);
    app_review_view v = view(f, today);
    assert_int_equal(v.v.timeline.stage, STAGE_CEASED);
    assert_true(app_plan_ceasable(&v.v.timeline, v.v.events, v.v.n_events));
    assert_int_equal(app_plan_cease(f->s, &coordinator, f->case_id, D(2026, 2, 3),
                                    D(2026, 3, 1), 2, today, f->a, &f->err),
                     SH_OK);
    v = view(f, today);
    assert_false(app_plan_ceasable(&v.v.timeline, v.v.events, v.v.n_events));
    /* nor can a ceased plan be reviewed */
    expect_invalid(f, app_review_invite(f->s, &coordinator, f->case_id, today, D(2026, 3, 20),
                                        FAMILY_AND_SETTING, "", today, f->a, NULL, &f->err),
                   NULL, "Only a plan in place can be reviewed.");
}

static void test_consultations_and_rows(void **state)
{
    fixture *f = *state;
    date_t today = D(2026, 11, 2);
    event e;
    event_init(&e, EV_PHASE_TRANSFER_DUE, D(2026, 9, 10));
    e.transfer_year = 2027;
    e.transfer_to = TRANSFER_SCHOOL;
    journey_timeline t;
    assert_int_equal(app_case_record_event(f->s, &sys, f->case_id, &e, today, f->a, &t, &f->err),
                     SH_OK);

    expect_invalid(f, app_consultation_add(f->s, &coordinator, f->case_id, "", "", today, today,
                                           f->a, &f->err),
                   "setting_name", "Enter the setting's name");
    expect_invalid(f, app_consultation_add(f->s, &coordinator, f->case_id, "Elm Academy", "12",
                                           today, today, f->a, &f->err),
                   "setting_urn", "The URN is not valid: a URN has 6 or 7 digits");
    assert_int_equal(app_consultation_add(f->s, &senco, f->case_id, "Elm Academy", "", today,
                                          today, f->a, &f->err),
                     SH_EDENIED);
    assert_int_equal(app_consultation_add(f->s, &coordinator, f->case_id, "Elm Academy",
                                          "100002", D(2026, 10, 1), today, f->a, &f->err),
                     SH_OK);
    app_review_view v = view(f, today);
    assert_int_equal(v.n_consults, 1);
    assert_string_equal(v.consults[0].setting_name, "Elm Academy");
    assert_string_equal(v.consults[0].setting_urn, "100002");
    assert_int_equal(v.consults[0].response, CONSULT_AWAITED);
    int64_t id = v.consults[0].id;
    expect_invalid(f, app_consultation_respond(f->s, &coordinator, f->case_id, id,
                                               CONSULT_AWAITED, today, today, f->a, &f->err),
                   "response", "Select the setting's answer");
    expect_invalid(f, app_consultation_respond(f->s, &coordinator, f->case_id, id,
                                               CONSULT_CAN_MEET, D(2026, 9, 30), today, f->a,
                                               &f->err),
                   "response_on",
                   "The date of the answer must be the same as or after the consultation "
                   "(1 October 2026)");
    assert_int_equal(app_consultation_respond(f->s, &coordinator, f->case_id, id + 1000,
                                              CONSULT_CAN_MEET, today, today, f->a, &f->err),
                     SH_ENOTFOUND);
    assert_int_equal(app_consultation_respond(f->s, &coordinator, f->case_id, id,
                                              CONSULT_CAN_MEET, D(2026, 10, 20), today, f->a,
                                              &f->err),
                     SH_OK);
    assert_int_equal(app_consultation_add(f->s, &coordinator, f->case_id, "Ash College", "",
                                          D(2026, 10, 2), today, f->a, &f->err),
                     SH_OK);
    store_consultation_count *counts;
    size_t n_counts;
    assert_int_equal(store_consultation_counts(f->s, "990", f->a, &counts, &n_counts), SH_OK);
    assert_int_equal(n_counts, 1);
    assert_int_equal(counts[0].case_id, f->case_id);
    assert_int_equal(counts[0].consulted, 2);
    assert_int_equal(counts[0].can_meet, 1);
    v = view(f, today);
    assert_int_equal(v.consults[0].response, CONSULT_CAN_MEET);
    assert_int_equal(v.consults[0].response_on, D(2026, 10, 20));

    app_review_row *rows;
    size_t n;
    assert_int_equal(app_review_rows(f->s, &coordinator, today, f->a, &rows, &n, &f->err), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].case_id, f->case_id);
    assert_string_equal(rows[0].surname, "Child");
    assert_string_equal(rows[0].setting_urn, "100001");
    assert_int_equal(rows[0].review_due, D(2026, 1, 20)); /* 12 months from the plan */
    assert_int_equal(rows[0].review_status, STEP_OVERDUE);
    assert_int_equal(rows[0].transfer_year, 2027);
    assert_int_equal(rows[0].transfer_to, TRANSFER_SCHOOL);
    assert_int_equal(rows[0].transfer_due, D(2027, 2, 15));
    assert_int_equal(rows[0].transfer_status, STEP_PENDING);

    assert_int_equal(app_review_rows(f->s, &senco, today, f->a, &rows, &n, &f->err), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(app_review_rows(f->s, &other_senco, today, f->a, &rows, &n, &f->err),
                     SH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(app_review_rows(f->s, &health, today, f->a, &rows, &n, &f->err),
                     SH_EDENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice),
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_transfer_year_and_names),
        cmocka_unit_test_setup_teardown(test_review_to_amended_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invitation_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_order_and_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_may_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cease_after_review_decision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consultations_and_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
