/*
 * test_notify.c — the family portal's e-mails (issue 7): the dates a family
 * is told about and the retry schedule (core/notify.h), the outbox's
 * at-most-once state machine (store/store_notify.h), and the daily job's
 * queueing, once per date, of e-mails with no personal detail, skipping
 * accounts without an address or that turned them off (app/notify.h), on a
 * fresh database (testdb.h). Sending through a relay is tested as a black
 * box in tests/cli/notify.test.mjs.
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
#include "app/notify.h"
#include "core/notify.h"
#include "core/portal.h"
#include "store/store_notify.h"
#include "store/store_portal.h"
#include "testdb.h"
#include "util/err.h"

#define LA "990"
#define NOW ((int64_t)1793620800) /* 2026-11-02 12:00 UTC */
#define CHILD_NAME "Zebedee"

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

/* ---- core ------------------------------------------------------------------ */

static void test_date_due(void **state)
{
    (void)state;
    date_t today = D("2026-05-18");
    assert_true(notify_date_due(today, today, NOTIFY_LEAD_DAYS)); /* the day itself */
    assert_true(notify_date_due(D("2026-05-25"), today, NOTIFY_LEAD_DAYS)); /* a week ahead */
    assert_false(notify_date_due(D("2026-05-26"), today, NOTIFY_LEAD_DAYS)); /* too early */
    assert_false(notify_date_due(D("2026-05-17"), today, NOTIFY_LEAD_DAYS)); /* passed */
    assert_false(notify_date_due(DATE_NONE, today, NOTIFY_LEAD_DAYS));
}

static void test_kind_names(void **state)
{
    (void)state;
    for (int k = 0; k < NOTIFY_KIND_COUNT; k++)
        assert_int_equal(notify_kind_parse(notify_kind_name((notify_kind)k)), k);
    assert_int_equal(notify_kind_parse("birthday"), -1);
    assert_int_equal(notify_kind_parse(NULL), -1);
}

/* The dates of a journey of `n` events at `as_of`, with the draft window the
 * portal computes from `served` and a review meeting set for `meeting`. */
static size_t dates_of(const event *ev, size_t n, date_t as_of, date_t served, date_t meeting,
                       notify_date out[NOTIFY_KIND_COUNT])
{
    arena *a = arena_create(1u << 20);
    assert_non_null(a);
    journey_timeline t;
    journey_error je;
    assert_int_equal(journey_compute(ev, n, as_of, a, &t, &je), SH_OK);
    size_t k = notify_dates(&t, served == DATE_NONE ? DATE_NONE : portal_draft_closes(served),
                            meeting, as_of, NOTIFY_LEAD_DAYS, out);
    arena_destroy(a);
    return k;
}

static void test_final_plan_deadline(void **state)
{
    (void)state;
    event ev[2];
    event_init(&ev[0], EV_REQUEST_RECEIVED, D("2026-01-05"));
    event_init(&ev[1], EV_DECISION_TO_ASSESS, D("2026-02-02"));
    ev[1].outcome = OUTCOME_ASSESS;
    notify_date out[NOTIFY_KIND_COUNT];
    /* 20 weeks from 5 January 2026 is 25 May 2026 (reg 13(2)) */
    assert_int_equal(dates_of(ev, 2, D("2026-05-18"), DATE_NONE, DATE_NONE, out), 1);
    assert_int_equal(out[0].kind, NOTIFY_FINAL_PLAN);
    assert_int_equal(out[0].due, D("2026-05-25"));
    assert_int_equal(dates_of(ev, 2, D("2026-05-17"), DATE_NONE, DATE_NONE, out), 0);
    /* already late: not told */
    assert_int_equal(dates_of(ev, 2, D("2026-05-26"), DATE_NONE, DATE_NONE, out), 0);
}

static void test_draft_window(void **state)
{
    (void)state;
    event ev[3];
    event_init(&ev[0], EV_REQUEST_RECEIVED, D("2026-01-05"));
    event_init(&ev[1], EV_DECISION_TO_ASSESS, D("2026-02-02"));
    ev[1].outcome = OUTCOME_ASSESS;
    event_init(&ev[2], EV_DRAFT_PLAN_ISSUED, D("2026-04-20"));
    notify_date out[NOTIFY_KIND_COUNT];
    /* served 20 April: 15 days to respond, to 5 May; the final plan (25 May)
     * is further off than a week */
    assert_int_equal(dates_of(ev, 3, D("2026-04-30"), D("2026-04-20"), DATE_NONE, out), 1);
    assert_int_equal(out[0].kind, NOTIFY_DRAFT_RESPONSE);
    assert_int_equal(out[0].due, D("2026-05-05"));
    /* a draft served on 10 May closes on 25 May, the final plan's day:
     * both within the week, draft first */
    event_init(&ev[2], EV_DRAFT_PLAN_ISSUED, D("2026-05-10"));
    assert_int_equal(dates_of(ev, 3, D("2026-05-20"), D("2026-05-10"), DATE_NONE, out), 2);
    assert_int_equal(out[0].kind, NOTIFY_DRAFT_RESPONSE);
    assert_int_equal(out[1].kind, NOTIFY_FINAL_PLAN);
}

static void test_annual_review(void **state)
{
    (void)state;
    event ev[4];
    event_init(&ev[0], EV_REQUEST_RECEIVED, D("2026-01-05"));
    event_init(&ev[1], EV_DECISION_TO_ASSESS, D("2026-02-02"));
    ev[1].outcome = OUTCOME_ASSESS;
    event_init(&ev[2], EV_DRAFT_PLAN_ISSUED, D("2026-04-20"));
    event_init(&ev[3], EV_FINAL_PLAN_ISSUED, D("2026-05-20"));
    notify_date out[NOTIFY_KIND_COUNT];
    /* the plan issued: no final plan date any more; the review 12 months on */
    assert_int_equal(dates_of(ev, 4, D("2026-05-19"), DATE_NONE, DATE_NONE, out), 0);
    assert_int_equal(dates_of(ev, 4, D("2027-05-14"), DATE_NONE, DATE_NONE, out), 1);
    assert_int_equal(out[0].kind, NOTIFY_ANNUAL_REVIEW);
    assert_int_equal(out[0].due, D("2027-05-20"));
    /* the council invited the family to a meeting on 29 April 2027: that is
     * the date, a week before it */
    assert_int_equal(dates_of(ev, 4, D("2027-04-22"), DATE_NONE, D("2027-04-29"), out), 1);
    assert_int_equal(out[0].kind, NOTIFY_ANNUAL_REVIEW);
    assert_int_equal(out[0].due, D("2027-04-29"));
    assert_int_equal(dates_of(ev, 4, D("2027-05-14"), DATE_NONE, D("2027-04-29"), out), 0);
    /* a meeting date from before the plan (an earlier review's) is not it */
    assert_int_equal(dates_of(ev, 4, D("2027-05-14"), DATE_NONE, D("2026-03-01"), out), 1);
    assert_int_equal(out[0].due, D("2027-05-20"));
}

static void test_closed_case(void **state)
{
    (void)state;
    journey_timeline t = {.stage = STAGE_CEASED};
    notify_date out[NOTIFY_KIND_COUNT];
    assert_int_equal(notify_dates(&t, D("2026-05-05"), DATE_NONE, D("2026-05-01"),
                                  NOTIFY_LEAD_DAYS, out),
                     0);
    t.stage = STAGE_REFUSED;
    assert_int_equal(
        notify_dates(&t, DATE_NONE, DATE_NONE, D("2026-05-01"), NOTIFY_LEAD_DAYS, out), 0);
}

static void test_retry_schedule(void **state)
{
    (void)state;
    assert_int_equal(notify_retry_after(1), 900);
    assert_int_equal(notify_retry_after(2), 1800);
    assert_int_equal(notify_retry_after(3), 3600);
    assert_int_equal(notify_retry_after(7), 57600);
    assert_int_equal(notify_retry_after(8), 86400); /* capped at a day */
    assert_int_equal(notify_retry_after(40), 86400);
    assert_false(notify_give_up(NOTIFY_ATTEMPTS_MAX - 1));
    assert_true(notify_give_up(NOTIFY_ATTEMPTS_MAX));
}

/* ---- the store and the daily job ------------------------------------------- */

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t child, case_id;
    int64_t with_email, without_email, turned_off;
} fixture;

static int64_t add_user(fixture *f, const char *username, const char *email, const char *role)
{
    store_user u = {.username = username, .display_name = username, .email = email,
                    .role = role, .organisation = "", .password_hash = "$argon2id$x"};
    memcpy(u.la_code, LA, sizeof u.la_code);
    if (store_user_insert(f->s, &u) != SH_OK)
        return 0;
    store_portal_link l = {.child_id = f->child, .relationship = "parent", .since = NOW};
    memcpy(l.la_code, LA, sizeof l.la_code);
    return store_portal_link_insert(f->s, u.id, &l) == SH_OK ? u.id : 0;
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
    store_child c = {.la_code = LA, .forename = CHILD_NAME, .surname = "Testchild",
                     .date_of_birth = D("2015-03-01"), .sen_need = {-1, -1}};
    if (store_child_insert(f->s, &c) != SH_OK)
        return -1;
    f->child = c.id;
    app_identity coord = {.username = "c.test", .role = ROLE_COORDINATOR, .remote = ""};
    memcpy(coord.la_code, LA, sizeof coord.la_code);
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, D("2026-10-01"));
    store_case sc;
    journey_timeline t;
    app_error err = {0};
    if (app_case_open(f->s, &coord, f->child, "c.test", &start, D("2026-11-02"), f->a, &sc, &t,
                      &err) != SH_OK)
        return -1;
    f->case_id = sc.id;
    f->with_email = add_user(f, "p.one", "p.one@family.test", "parent");
    f->without_email = add_user(f, "p.two", "", "parent");
    f->turned_off = add_user(f, "p.three", "p.three@family.test", "parent");
    if (!f->with_email || !f->without_email || !f->turned_off ||
        store_notify_pref_set(f->s, f->turned_off, false, NOW) != SH_OK)
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

static int64_t count(fixture *f, const char *sql)
{
    return testdb_count(f->url, sql);
}

static void test_queues_each_date_once(void **state)
{
    fixture *f = *state;
    app_remind_config cfg = {.base_url = "https://sendhub.council.test", .timeout = 5};
    app_notify_result r;
    /* 20 weeks from 1 October 2026: 18 February 2027. Eight days before: nothing. */
    assert_int_equal(app_notify_run(f->s, D("2027-02-10"), NOW, &cfg, &r), SH_OK);
    assert_int_equal(r.queued, 0);
    assert_int_equal(r.linked, 3);
    assert_int_equal(r.no_email, 1);
    assert_int_equal(r.turned_off, 1);
    /* six days before: one e-mail, to the account with an address that wants it */
    assert_int_equal(app_notify_run(f->s, D("2027-02-12"), NOW, &cfg, &r), SH_OK);
    assert_int_equal(r.queued, 1);
    assert_int_equal(r.waiting, 1); /* no relay: it waits */
    assert_int_equal(count(f, "SELECT count(*) FROM portal_outbox"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM portal_date_notices WHERE kind = "
                              "'final_plan'"),
                     1);
    /* the next days: told already */
    assert_int_equal(app_notify_run(f->s, D("2027-02-13"), NOW, &cfg, &r), SH_OK);
    assert_int_equal(r.queued, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM portal_outbox"), 1);
    /* the e-mail holds no personal detail; the family's audit log shows it */
    store_outbox *rows;
    size_t n;
    assert_int_equal(store_outbox_list(f->s, LA, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].to_user_id, f->with_email);
    assert_string_equal(rows[0].state, "queued");
    assert_string_equal(rows[0].subject, APP_NOTIFY_SUBJECT);
    assert_null(strstr(rows[0].body, CHILD_NAME));
    assert_null(strstr(rows[0].body, "Testchild"));
    assert_null(strstr(rows[0].body, "2027"));
    assert_null(strstr(rows[0].body, "February"));
    assert_non_null(strstr(rows[0].body, "https://sendhub.council.test/portal"));
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE object = 'notification'"),
                     1);
    /* which the family's "who has looked" page words plainly */
    assert_string_equal(portal_activity_text("write", "notification"),
                        "e-mailed a family member about an upcoming date");
}

static void test_turning_on_again(void **state)
{
    fixture *f = *state;
    app_identity who = {.user_id = f->turned_off, .username = "p.three", .role = ROLE_PARENT,
                        .remote = ""};
    memcpy(who.la_code, LA, sizeof who.la_code);
    bool on = true;
    const char *email;
    assert_int_equal(app_notify_pref_get(f->s, &who, f->a, &on, &email), SH_OK);
    assert_false(on);
    assert_string_equal(email, "p.three@family.test");
    app_error err = {0};
    assert_int_equal(app_notify_pref_set(f->s, &who, true, &err), SH_OK);
    assert_int_equal(app_notify_pref_get(f->s, &who, f->a, &on, &email), SH_OK);
    assert_true(on);
    app_remind_config cfg = {.timeout = 5};
    app_notify_result r;
    assert_int_equal(app_notify_run(f->s, D("2027-02-12"), NOW, &cfg, &r), SH_OK);
    assert_int_equal(r.queued, 2);
    assert_int_equal(r.turned_off, 0);
    /* staff have no such choice, and family accounts no outbox */
    app_identity coord = {.username = "c.test", .role = ROLE_COORDINATOR, .remote = ""};
    memcpy(coord.la_code, LA, sizeof coord.la_code);
    assert_int_equal(app_notify_pref_set(f->s, &coord, false, &err), SH_EDENIED);
    store_outbox *rows;
    size_t n;
    assert_int_equal(app_notify_outbox(f->s, &who, f->a, &rows, &n), SH_EDENIED);
    assert_int_equal(app_notify_outbox(f->s, &coord, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 2);
}

/* Queues one e-mail and returns its id (the only one due at NOW). */
static int64_t queue_one(fixture *f)
{
    assert_int_equal(store_outbox_insert(f->s, LA, f->with_email, "p.one@family.test", "S", "B",
                                         NOW),
                     SH_OK);
    store_outbox *due;
    size_t n;
    assert_int_equal(store_outbox_due(f->s, NOW, 10, f->a, &due, &n), SH_OK);
    assert_int_equal(n, 1);
    return due[0].id;
}

static void test_outbox_at_most_once(void **state)
{
    fixture *f = *state;
    int64_t id = queue_one(f);
    store_outbox *due;
    size_t n;
    /* one sender takes it; a second (the server's job beside cron) cannot */
    assert_int_equal(store_outbox_claim(f->s, id, NOW), SH_OK);
    assert_int_equal(store_outbox_claim(f->s, id, NOW), SH_ENOTFOUND);
    assert_int_equal(store_outbox_due(f->s, NOW, 10, f->a, &due, &n), SH_OK);
    assert_int_equal(n, 0);
    /* refused: back in the queue, due only after the wait */
    assert_int_equal(store_outbox_failed(f->s, id, "550 mailbox unavailable", false,
                                         NOW + notify_retry_after(1)),
                     SH_OK);
    assert_int_equal(store_outbox_due(f->s, NOW + 899, 10, f->a, &due, &n), SH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_outbox_due(f->s, NOW + 900, 10, f->a, &due, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(due[0].attempts, 1);
    assert_string_equal(due[0].last_error, "550 mailbox unavailable");
    /* the second try: sent, once */
    assert_int_equal(store_outbox_claim(f->s, id, NOW + 900), SH_OK);
    assert_int_equal(store_outbox_sent(f->s, id, NOW + 901), SH_OK);
    assert_int_equal(store_outbox_sent(f->s, id, NOW + 902), SH_ENOTFOUND);
    assert_int_equal(store_outbox_claim(f->s, id, NOW + 903), SH_ENOTFOUND);
    assert_int_equal(count(f, "SELECT count(*) FROM portal_outbox WHERE state = 'sent' AND "
                              "sent_at = 1793621701 AND attempts = 2"),
                     1);
    /* a row left 'sending' by a crash is never due again */
    assert_int_equal(store_outbox_claim(f->s, queue_one(f), NOW), SH_OK);
    assert_int_equal(store_outbox_due(f->s, NOW + 10 * 86400, 10, f->a, &due, &n), SH_OK);
    assert_int_equal(n, 0);
    int64_t waiting = -1;
    assert_int_equal(store_outbox_due_count(f->s, NOW + 10 * 86400, &waiting), SH_OK);
    assert_int_equal(waiting, 0);
}

static void test_gives_up(void **state)
{
    fixture *f = *state;
    int64_t id = queue_one(f);
    assert_int_equal(store_outbox_claim(f->s, id, NOW), SH_OK);
    assert_int_equal(store_outbox_failed(f->s, id, "refused", true, NOW), SH_OK);
    store_outbox *due;
    size_t n;
    assert_int_equal(store_outbox_due(f->s, NOW + 30 * 86400, 10, f->a, &due, &n), SH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM portal_outbox WHERE state = 'failed'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_due),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_final_plan_deadline),
        cmocka_unit_test(test_draft_window),
        cmocka_unit_test(test_annual_review),
        cmocka_unit_test(test_closed_case),
        cmocka_unit_test(test_retry_schedule),
        cmocka_unit_test_setup_teardown(test_queues_each_date_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_turning_on_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_at_most_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gives_up, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
