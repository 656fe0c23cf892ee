/*
 * test_views_request.c — the council asking a family for their views
 * (issue 7): the rules in core/views_request.h (purposes, where a request
 * stands, the reply-by date suggested) and the use cases in
 * app/views_request.h on a fresh database (testdb.h): the family's views
 * answer the oldest open request, never a withdrawn one nor another
 * child's; who may ask; the e-mail with no personal detail; the audit rows.
 *
 * All data is synthetic.
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
#include "app/portal.h"
#include "app/views_request.h"
#include "core/views_request.h"
#include "testdb.h"
#include "util/err.h"

#define LA "990"
#define NOW ((int64_t)1793620800) /* 2026-11-02 12:00 UTC */
#define DAY ((int64_t)86400)
#define PASSWORD "purple kettle morning walk"

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

/* ---- core ------------------------------------------------------------------ */

static void test_purposes_and_states(void **state)
{
    (void)state;
    for (int p = 0; p < VIEWS_PURPOSE_COUNT; p++)
        assert_int_equal(views_purpose_parse(views_purpose_name((views_purpose)p)), p);
    assert_int_equal(views_purpose_parse("tribunal"), -1);
    assert_int_equal(views_purpose_parse(NULL), -1);
    date_t by = D("2026-11-16");
    assert_int_equal(views_state_at(by, false, false, by), VIEWS_OPEN); /* the day itself */
    assert_int_equal(views_state_at(by, false, false, by + 1), VIEWS_LATE);
    assert_int_equal(views_state_at(by, true, false, by + 30), VIEWS_ANSWERED);
    assert_int_equal(views_state_at(by, false, true, by + 30), VIEWS_WITHDRAWN);
    assert_string_equal(views_state_name(VIEWS_LATE), "late");
    assert_true(views_reply_by_ok(D("2026-11-02"), D("2026-11-02")));
    assert_false(views_reply_by_ok(D("2026-11-01"), D("2026-11-02")));
    assert_false(views_reply_by_ok(D("2027-11-04"), D("2026-11-02")));
    assert_false(views_reply_by_ok(DATE_NONE, D("2026-11-02")));
}

/* A timeline with advice asked of health on 3 February 2026 (due 17 March)
 * and, when `social_on` is given, of social care on that day too. */
static journey_timeline timeline_of(arena *a, const char *social_on, const char *health_done)
{
    event ev[5];
    size_t n = 0;
    event_init(&ev[n++], EV_REQUEST_RECEIVED, D("2026-01-05"));
    event_init(&ev[n], EV_DECISION_TO_ASSESS, D("2026-02-02"));
    ev[n++].outcome = OUTCOME_ASSESS;
    event_init(&ev[n], EV_ADVICE_REQUESTED, D("2026-02-03"));
    ev[n++].agency = AGENCY_HEALTH;
    if (social_on) {
        event_init(&ev[n], EV_ADVICE_REQUESTED, D(social_on));
        ev[n++].agency = AGENCY_SOCIAL_CARE;
    }
    if (health_done) {
        event_init(&ev[n], EV_ADVICE_RECEIVED, D(health_done));
        ev[n++].agency = AGENCY_HEALTH;
    }
    for (size_t i = 0; i < n; i++)
        ev[i].id = (int64_t)i + 1;
    journey_timeline t;
    journey_error je;
    assert_int_equal(journey_compute(ev, n, D("2026-02-20"), a, &t, &je), SH_OK);
    return t;
}

static void test_reply_by_suggested(void **state)
{
    (void)state;
    arena *a = arena_create(1u << 20);
    /* the other advice of the assessment is due 17 March: the family's too */
    journey_timeline t = timeline_of(a, NULL, NULL);
    assert_int_equal(views_reply_by_suggest(&t, D("2026-02-20")), D("2026-03-17"));
    /* two open: the later, so the family has as long as the last service */
    t = timeline_of(a, "2026-02-10", NULL);
    assert_int_equal(views_reply_by_suggest(&t, D("2026-02-20")), D("2026-03-24"));
    /* advice arrived: nothing open, two weeks ahead */
    t = timeline_of(a, NULL, "2026-02-18");
    assert_int_equal(views_reply_by_suggest(&t, D("2026-02-20")), D("2026-03-06"));
    /* open advice already past its date is not a date to suggest */
    t = timeline_of(a, NULL, NULL);
    assert_int_equal(views_reply_by_suggest(&t, D("2026-03-20")), D("2026-04-03"));
    assert_int_equal(views_reply_by_suggest(NULL, D("2026-03-20")), D("2026-04-03"));
    arena_destroy(a);
}

/* ---- use cases ----------------------------------------------------------------- */

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t child, other_child, case_id, other_case;
    app_identity coordinator, health, parent;
} fixture;

static app_identity person(app_role role, const char *name)
{
    app_identity who = {.username = name, .role = (int)role, .remote = ""};
    memcpy(who.la_code, LA, sizeof who.la_code);
    return who;
}

static int64_t add_child(fixture *f, const char *forename)
{
    store_child c = {.la_code = LA, .forename = forename, .surname = "Testchild",
                     .date_of_birth = D("2015-03-01"), .sen_need = {-1, -1}};
    return store_child_insert(f->s, &c) == SH_OK ? c.id : 0;
}

static int64_t open_case(fixture *f, int64_t child)
{
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, D("2026-10-01"));
    store_case c;
    journey_timeline t;
    app_error err = {0};
    return app_case_open(f->s, &f->coordinator, child, "c.test", &start, D("2026-11-02"), f->a,
                         &c, &t, &err) == SH_OK
               ? c.id
               : 0;
}

/* A parent of the fixture's child, with an e-mail address, joined from an
 * invitation (as the portal makes them). */
static int join_parent(fixture *f)
{
    char code[AUTH_SECRET_TEXT_LEN + 1];
    store_invitation inv;
    app_error err = {0};
    if (portal_invite(f->s, &f->coordinator, f->case_id, "parent", "Pat Parent", NOW,
                      D("2026-11-02"), f->a, code, &inv, &err) != SH_OK)
        return -1;
    portal_join_input in = {.code = code, .username = "pat.parent", .display_name = "Pat Parent",
                            .email = "pat@example.org", .password = PASSWORD};
    store_user u;
    if (portal_join(f->s, &in, "", NOW, &u, &err) != SH_OK)
        return -1;
    f->parent = person(ROLE_PARENT, "pat.parent");
    f->parent.user_id = u.id;
    return 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(64u << 20);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK ||
        store_area_put(f->s, LA, "Test area") != SH_OK)
        return -1;
    f->coordinator = person(ROLE_COORDINATOR, "c.test");
    f->health = person(ROLE_HEALTH, "h.test");
    f->child = add_child(f, "Ada");
    f->other_child = add_child(f, "Ben");
    if (!f->child || !f->other_child)
        return -1;
    f->case_id = open_case(f, f->child);
    f->other_case = open_case(f, f->other_child);
    if (!f->case_id || !f->other_case || join_parent(f))
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

static app_case_view case_view(fixture *f, int64_t case_id)
{
    app_case_view v;
    app_error err = {0};
    assert_int_equal(app_case_get(f->s, &f->coordinator, case_id, D("2026-11-02"), f->a, &v,
                                  &err),
                     SH_OK);
    return v;
}

static int64_t ask(fixture *f, int64_t case_id, const char *purpose, const char *by)
{
    app_case_view v = case_view(f, case_id);
    store_views_request r;
    app_error err = {0};
    assert_int_equal(views_request_ask(f->s, &f->coordinator, &v, purpose, "", D(by),
                                       D("2026-11-02"), NOW, &r, &err),
                     SH_OK);
    return r.id;
}

/* The family sends views about `child`: the submission's id. */
static int64_t send_views(fixture *f, int64_t child, int expect)
{
    store_submission x = {.kind = "views", .body = "Ada likes trains and the park."};
    app_error err = {0};
    assert_int_equal(portal_submit(f->s, &f->parent, child, &x, NULL, 0, D("2026-11-03"),
                                   NOW + DAY, f->a, &err),
                     expect);
    return x.id;
}

static store_views_request *requests(fixture *f, int64_t case_id, size_t *n)
{
    app_case_view v = case_view(f, case_id);
    store_views_request *r;
    assert_int_equal(views_request_list(f->s, &f->coordinator, &v, f->a, &r, n), SH_OK);
    return r;
}

/* Audit rows of views requests whose detail is LIKE `like` (write "_" for
 * the apostrophe: the pattern goes into a quoted literal). */
static int64_t audit_rows(fixture *f, const char *like)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE object = 'views_request' AND detail LIKE '%s'",
             like);
    return testdb_count(f->url, sql);
}

static void test_ask_checks(void **state)
{
    fixture *f = *state;
    app_case_view v = case_view(f, f->case_id);
    store_views_request r;
    app_error err = {0};
    assert_int_equal(views_request_ask(f->s, &f->coordinator, &v, "tribunal", "", D("2026-11-20"),
                                       D("2026-11-02"), NOW, &r, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "purpose");
    memset(&err, 0, sizeof err);
    assert_int_equal(views_request_ask(f->s, &f->coordinator, &v, "other", "", D("2026-11-20"),
                                       D("2026-11-02"), NOW, &r, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "message");
    char long_message[VIEWS_MESSAGE_MAX + 2];
    memset(long_message, 'x', sizeof long_message - 1);
    long_message[sizeof long_message - 1] = '\0';
    memset(&err, 0, sizeof err);
    assert_int_equal(views_request_ask(f->s, &f->coordinator, &v, "review", long_message,
                                       D("2026-11-20"), D("2026-11-02"), NOW, &r, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "message");
    long_message[VIEWS_MESSAGE_MAX] = '\0'; /* 1,000 exactly is allowed */
    memset(&err, 0, sizeof err);
    assert_int_equal(views_request_ask(f->s, &f->coordinator, &v, "review", long_message,
                                       D("2026-11-20"), D("2026-11-02"), NOW, &r, &err),
                     SH_OK);
    memset(&err, 0, sizeof err);
    assert_int_equal(views_request_ask(f->s, &f->coordinator, &v, "assessment", "",
                                       D("2026-11-01"), D("2026-11-02"), NOW, &r, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "reply_by");
    /* health staff and families may not ask */
    assert_int_equal(views_request_ask(f->s, &f->health, &v, "assessment", "", D("2026-11-20"),
                                       D("2026-11-02"), NOW, &r, &err),
                     SH_EDENIED);
    assert_int_equal(views_request_ask(f->s, &f->parent, &v, "assessment", "", D("2026-11-20"),
                                       D("2026-11-02"), NOW, &r, &err),
                     SH_EDENIED);
    size_t n;
    requests(f, f->case_id, &n);
    assert_int_equal(n, 1); /* only the one that passed */
}

static void test_ask_tells_family(void **state)
{
    fixture *f = *state;
    int64_t before = testdb_count(f->url, "SELECT count(*) FROM portal_outbox");
    int64_t id = ask(f, f->case_id, "assessment", "2026-11-16");
    assert_true(id > 0);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox WHERE to_email = "
                                          "'pat@example.org' AND subject = 'The council has "
                                          "asked for your views'"),
                     1);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox"), before + 1);
    /* no personal detail: neither the child's name nor the case */
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox WHERE body LIKE "
                                          "'%Ada%' OR body LIKE '%Testchild%' OR subject LIKE "
                                          "'%Ada%'"),
                     0);
    assert_int_equal(audit_rows(f, "family_s views asked for (assessment), reply by 2026-11-16"),
                     1);
    /* the other child's family (none linked) is told nothing */
    ask(f, f->other_case, "review", "2026-11-16");
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox"), before + 1);
}

static void test_answers_oldest_open(void **state)
{
    fixture *f = *state;
    int64_t first = ask(f, f->case_id, "assessment", "2026-11-16");
    int64_t second = ask(f, f->case_id, "review", "2026-11-30");
    int64_t third = ask(f, f->case_id, "assessment", "2026-12-14");
    /* the first was asked in error: withdrawn, it is never answered */
    app_case_view v = case_view(f, f->case_id);
    app_error err = {0};
    assert_int_equal(views_request_withdraw(f->s, &f->coordinator, &v, first, "Wrong case.",
                                            NOW + 10, &err),
                     SH_OK);
    int64_t sub1 = send_views(f, f->child, SH_OK);
    size_t n;
    store_views_request *r = requests(f, f->case_id, &n);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].id, first);
    assert_int_equal(r[0].submission_id, 0);
    assert_int_equal(r[0].answered_at, 0);
    assert_string_equal(r[0].withdrawn_reason, "Wrong case.");
    assert_string_equal(r[0].withdrawn_by, "c.test");
    assert_int_equal(r[1].id, second);
    assert_int_equal(r[1].submission_id, sub1);
    assert_int_equal(r[1].answered_at, NOW + DAY);
    assert_int_equal(r[2].id, third);
    assert_int_equal(r[2].submission_id, 0);
    /* the family's next views answer the next request; then none is open */
    int64_t sub2 = send_views(f, f->child, SH_OK);
    r = requests(f, f->case_id, &n);
    assert_int_equal(r[2].submission_id, sub2);
    int64_t sub3 = send_views(f, f->child, SH_OK); /* at any time: still accepted */
    assert_true(sub3 > sub2);
    r = requests(f, f->case_id, &n);
    assert_int_equal(r[1].submission_id, sub1);
    assert_int_equal(r[2].submission_id, sub2);
    /* none is open now, for the family either */
    store_views_request open;
    bool found;
    assert_int_equal(views_request_oldest_open(f->s, &f->parent, &v, f->a, &open, &found), SH_OK);
    assert_false(found);
    /* audited: three asked, one withdrawn, two answered */
    assert_int_equal(audit_rows(f, "family_s views asked for%"), 3);
    assert_int_equal(audit_rows(f, "family_s views request withdrawn"), 1);
    assert_int_equal(audit_rows(f, "family_s views request answered by submission%"), 2);
    /* a withdrawn or answered request cannot be withdrawn (again) */
    assert_int_equal(views_request_withdraw(f->s, &f->coordinator, &v, first, "Again.", NOW, &err),
                     SH_ENOTFOUND);
    assert_int_equal(views_request_withdraw(f->s, &f->coordinator, &v, second, "Late.", NOW, &err),
                     SH_ENOTFOUND);
}

static void test_other_childs_request(void **state)
{
    fixture *f = *state;
    int64_t theirs = ask(f, f->other_case, "assessment", "2026-11-16");
    /* the parent of Ada cannot send views about Ben: refused, nothing answered */
    send_views(f, f->other_child, SH_ENOTFOUND);
    /* views about Ada answer nothing of Ben's */
    send_views(f, f->child, SH_OK);
    size_t n;
    store_views_request *r = requests(f, f->other_case, &n);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].id, theirs);
    assert_int_equal(r[0].answered_at, 0);
    /* withdrawing Ben's request through Ada's case finds nothing */
    app_case_view v = case_view(f, f->case_id);
    app_error err = {0};
    assert_int_equal(views_request_withdraw(f->s, &f->coordinator, &v, theirs, "Wrong case.", NOW,
                                            &err),
                     SH_ENOTFOUND);
    /* and the reason is required, health staff may not withdraw */
    v = case_view(f, f->other_case);
    memset(&err, 0, sizeof err);
    assert_int_equal(views_request_withdraw(f->s, &f->coordinator, &v, theirs, "", NOW, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "reason");
    assert_int_equal(views_request_withdraw(f->s, &f->health, &v, theirs, "No.", NOW, &err),
                     SH_EDENIED);
    assert_int_equal(audit_rows(f, "family_s views request%"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_purposes_and_states),
        cmocka_unit_test(test_reply_by_suggested),
        cmocka_unit_test_setup_teardown(test_ask_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ask_tells_family, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answers_oldest_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_childs_request, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
