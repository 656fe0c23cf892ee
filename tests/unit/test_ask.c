/*
 * test_ask.c — asking for an EHC needs assessment online (issue 7): the
 * rules in core/ask.h (every field's validation, who may ask, the date the
 * council must decide by: 6 weeks from the day the request was RECEIVED,
 * SEND Regulations 2014 reg 5(1)) and the use cases in app/ask.h on a fresh
 * database (testdb.h): a request stored and listed oldest first, the same
 * check page sent twice stored once (with one acknowledgement e-mail), the
 * flood limit per client address, closing with a reason, another area's
 * request "not found", roles that may not handle requests; starting the
 * statutory request from one in one transaction (the child, the case dated
 * the day it was received and the link all stored, or nothing: a request
 * already started or closed creates no case and no child); the
 * acknowledgement's text (the reference, the 6 weeks, nothing about the
 * child).
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
#include "app/ask.h"
#include "app/auth.h"
#include "app/notify.h"
#include "core/ask.h"
#include "testdb.h"
#include "util/err.h"

#define LA "990"
#define NOW ((int64_t)1793620800) /* 2026-11-02 12:00 UTC */

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

/* A complete, valid request from a parent. */
static ask_input valid(void)
{
    return (ask_input){.asker_role = "parent", .relationship = "Mother",
                       .asker_name = "Alex Testparent", .email = "alex@example.org.uk",
                       .phone = "07700 900 982", .forename = "Rowan", .surname = "Testchild",
                       .date_of_birth = D("2017-03-14"), .postcode = "nf3 4ab",
                       .setting_name = "Northfield Primary (synthetic)", .upn = "",
                       .nhs_number = "943 476 5919",
                       .needs = "Finds the classroom too loud to learn in.", .tried = "",
                       .consent = true};
}

/* The fields with a problem, in order, joined by spaces. */
static const char *fields(const ask_errors *e, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < e->n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, n - used, "%s%s", i ? " " : "", e->e[i].field);
    }
    return out;
}

static const char *check(const ask_input *in, date_t today, ask_clean *clean, char *out,
                         size_t n)
{
    ask_errors e = {0};
    ask_check(in, today, clean, &e);
    return fields(&e, out, n);
}

/* ---- core ------------------------------------------------------------------ */

static void test_valid_request(void **state)
{
    (void)state;
    ask_input in = valid();
    ask_clean c;
    char got[400];
    assert_string_equal(check(&in, D("2026-11-02"), &c, got, sizeof got), "");
    assert_int_equal(c.role, PORTAL_PARENT);
    assert_string_equal(c.postcode, "NF3 4AB");
    assert_string_equal(c.nhs_number, "9434765919");
    assert_string_equal(c.upn, "");
}

static void test_everything_missing(void **state)
{
    (void)state;
    ask_input in = {.date_of_birth = DATE_NONE};
    ask_clean c;
    char got[400];
    /* the date of birth's own message comes from the edge (three boxes) */
    assert_string_equal(check(&in, D("2026-11-02"), &c, got, sizeof got),
                        "asker_role forename surname needs asker_name email consent");
}

static void test_field_rules(void **state)
{
    (void)state;
    date_t today = D("2026-11-02");
    ask_clean c;
    char got[400], long_text[ASK_TEXT_MAX + 2];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    struct {
        const char *what;
        ask_input in;
        const char *fields;
    } cases[] = {
        {"a parent without a relationship", valid(), "relationship"},
        {"email without a dot in the domain", valid(), "email"},
        {"a phone number of letters", valid(), "phone"},
        {"a phone number too short", valid(), "phone"},
        {"a bad postcode", valid(), "postcode"},
        {"a bad NHS number (check digit)", valid(), "nhs_number"},
        {"a bad UPN", valid(), "upn"},
        {"needs over the ceiling", valid(), "needs"},
        {"tried over the ceiling", valid(), "tried"},
        {"a name across two lines", valid(), "forename"},
        {"born tomorrow", valid(), "date_of_birth-day"},
        {"25 today", valid(), "date_of_birth-day"},
        {"no declaration", valid(), "consent"},
        {"an unknown asker", valid(), "asker_role"},
    };
    cases[0].in.relationship = "";
    cases[1].in.email = "alex@example";
    cases[2].in.phone = "call me";
    cases[3].in.phone = "01632 960";
    cases[4].in.postcode = "not a postcode";
    cases[5].in.nhs_number = "943 476 5918";
    cases[6].in.upn = "12345";
    cases[7].in.needs = long_text;
    cases[8].in.tried = long_text;
    cases[9].in.forename = "Rowan\nJames";
    cases[10].in.date_of_birth = D("2026-11-03");
    cases[11].in.date_of_birth = D("2001-11-02");
    cases[12].in.consent = false;
    cases[13].in.asker_role = "school";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check(&cases[i].in, today, &c, got, sizeof got);
        if (strcmp(got, cases[i].fields) != 0)
            fail_msg("%s: got \"%s\", wanted \"%s\"", cases[i].what, got, cases[i].fields);
    }
    /* at the ceiling is fine; a young person needs no relationship */
    ask_input ok = valid();
    long_text[ASK_TEXT_MAX] = '\0';
    ok.needs = long_text;
    ok.phone = "+44 (0)1632 960 001";
    assert_string_equal(check(&ok, today, &c, got, sizeof got), "");
}

static void test_young_person(void **state)
{
    (void)state;
    ask_clean c;
    char got[400];
    ask_input in = valid();
    in.asker_role = "young_person";
    in.relationship = "";
    /* born 1 September 2009: compulsory school age ended on the last Friday
     * of June 2026 (26 June), so from 27 June 2026 they may ask themselves */
    in.date_of_birth = D("2009-09-01");
    assert_string_equal(check(&in, D("2026-06-26"), &c, got, sizeof got), "date_of_birth-day");
    assert_string_equal(check(&in, D("2026-06-27"), &c, got, sizeof got), "");
    assert_int_equal(c.role, PORTAL_YOUNG_PERSON);
    /* a day before their 25th birthday: still a young person */
    in.date_of_birth = D("2001-11-03");
    assert_string_equal(check(&in, D("2026-11-02"), &c, got, sizeof got), "");
}

static void test_decision_due(void **state)
{
    (void)state;
    arena *a = arena_create(1u << 20);
    assert_non_null(a);
    date_t due;
    /* 6 weeks (42 days) from the day the request was received */
    assert_int_equal(ask_decision_due(D("2026-11-02"), a, &due), SH_OK);
    assert_int_equal(due, D("2026-12-14"));
    /* received on a Saturday: still 42 calendar days, no working-day rule */
    assert_int_equal(ask_decision_due(D("2026-10-31"), a, &due), SH_OK);
    assert_int_equal(due, D("2026-12-12"));
    /* across the year end and a leap day */
    assert_int_equal(ask_decision_due(D("2028-01-25"), a, &due), SH_OK);
    assert_int_equal(due, D("2028-03-07"));
    arena_destroy(a);
}

static void test_reference_and_reasons(void **state)
{
    (void)state;
    char ref[ASK_REF_LEN + 1];
    assert_string_equal(ask_reference("990", 42, ref, sizeof ref), "ASK-990-000042");
    assert_non_null(ask_close_reason_label("duplicate"));
    assert_non_null(ask_close_reason_label("other"));
    assert_null(ask_close_reason_label("bored"));
    assert_null(ask_close_reason_label(NULL));
}

/* ---- use cases --------------------------------------------------------------- */

typedef struct {
    const char *url;
    store *s;
    arena *a;
    app_identity coordinator;
} fixture;

static app_identity person(app_role role, const char *name, const char *la)
{
    app_identity who = {.username = name, .role = (int)role, .remote = ""};
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
    f->coordinator = person(ROLE_COORDINATOR, "c.test", LA);
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

/* Sends a request as its own check page would: a new key each time. */
static int submit(fixture *f, const char *la, const ask_input *in, const char *remote,
                  int64_t now, date_t today, store_ask *out)
{
    ask_errors errs = {0};
    app_error err = {0};
    char key[AUTH_SECRET_TEXT_LEN + 1];
    auth_secret_new(key);
    return ask_submit(f->s, la, in, key, remote, now, today, f->a, out, &errs, &err);
}

static void test_submit_and_list(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    store_ask first, second;
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW, D("2026-11-02"), &second), SH_OK);
    in.forename = "Older";
    assert_int_equal(submit(f, LA, &in, "192.0.2.2", NOW - 86400 * 9, D("2026-10-24"), &first),
                     SH_OK);
    store_ask *rows;
    size_t n;
    int64_t total;
    assert_int_equal(ask_open(f->s, &f->coordinator, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    /* oldest received first, whatever the order stored */
    assert_string_equal(rows[0].forename, "Older");
    assert_int_equal(rows[0].received_on, D("2026-10-24"));
    assert_string_equal(rows[1].postcode, "NF3 4AB");
    assert_string_equal(rows[1].nhs_number, "9434765919");
    assert_string_equal(rows[1].status, "open");
    /* the submission is audited, with no user (the public) */
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM audit WHERE object = "
                                          "'online_request' AND username IS NULL"),
                     2);
}

static void test_rejected(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    store_ask r;
    ask_errors errs = {0};
    app_error err = {0};
    char key[AUTH_SECRET_TEXT_LEN + 1];
    auth_secret_new(key);
    assert_int_equal(ask_submit(f->s, "999", &in, key, "192.0.2.1", NOW, D("2026-11-02"), f->a,
                                &r, &errs, &err),
                     SH_EINVAL);
    assert_string_equal(errs.e[0].field, "la_code");
    in.email = "nope";
    memset(&errs, 0, sizeof errs);
    assert_int_equal(ask_submit(f->s, LA, &in, key, "192.0.2.1", NOW, D("2026-11-02"), f->a, &r,
                                &errs, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "email");
    /* no key (a page that was not the check page): not stored either */
    in = valid();
    memset(&errs, 0, sizeof errs);
    assert_int_equal(ask_submit(f->s, LA, &in, NULL, "192.0.2.1", NOW, D("2026-11-02"), f->a, &r,
                                &errs, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "send_key");
    assert_int_equal(errs.n, 0);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM online_requests"), 0);
}

static void test_flood_limit(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    store_ask r;
    for (int i = 0; i < ASK_SENDS_MAX; i++)
        assert_int_equal(submit(f, LA, &in, "192.0.2.9", NOW + i, D("2026-11-02"), &r), SH_OK);
    assert_int_equal(submit(f, LA, &in, "192.0.2.9", NOW + 60, D("2026-11-02"), &r),
                     SH_EDENIED);
    /* another address is not held back; the first is, until the hour has passed */
    assert_int_equal(submit(f, LA, &in, "192.0.2.10", NOW + 60, D("2026-11-02"), &r), SH_OK);
    assert_int_equal(submit(f, LA, &in, "192.0.2.9", NOW + ASK_SENDS_SECONDS + 1,
                            D("2026-11-02"), &r),
                     SH_OK);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM online_requests"),
                     ASK_SENDS_MAX + 2);
}

/* The same check page sent twice (a double click, a refresh): one request,
 * the same reference both times, one audit entry, one flood count, one
 * acknowledgement e-mail. */
static void test_same_page_twice(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    char key[AUTH_SECRET_TEXT_LEN + 1];
    auth_secret_new(key);
    store_ask first, again;
    ask_errors errs = {0};
    app_error err = {0};
    assert_int_equal(ask_submit(f->s, LA, &in, key, "192.0.2.1", NOW, D("2026-11-02"), f->a,
                                &first, &errs, &err),
                     SH_OK);
    assert_int_equal(ask_submit(f->s, LA, &in, key, "192.0.2.1", NOW + 5, D("2026-11-02"), f->a,
                                &again, &errs, &err),
                     SH_OK);
    assert_int_equal(again.id, first.id);
    assert_string_equal(again.forename, "Rowan");
    assert_int_equal(again.received_at, NOW);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM online_requests"), 1);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM online_request_senders"), 1);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM audit WHERE object = "
                                          "'online_request'"),
                     1);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox"), 1);
}

static void test_handling(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    store_ask a1, a2;
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW, D("2026-11-02"), &a1), SH_OK);
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW, D("2026-11-02"), &a2), SH_OK);
    app_error err = {0};
    /* a reason is needed; "other" needs a note */
    assert_int_equal(ask_close(f->s, &f->coordinator, a1.id, NULL, "", NOW, &err), SH_EINVAL);
    assert_string_equal(err.field, "reason");
    assert_int_equal(ask_close(f->s, &f->coordinator, a1.id, "other", "", NOW, &err), SH_EINVAL);
    assert_string_equal(err.field, "note");
    assert_int_equal(ask_close(f->s, &f->coordinator, a1.id, "duplicate", "Case 12", NOW, &err),
                     SH_OK);
    /* closed once: closing again, or starting it, is a conflict */
    assert_int_equal(ask_close(f->s, &f->coordinator, a1.id, "withdrawn", "", NOW, &err),
                     SH_ECONFLICT);
    store_ask got;
    assert_int_equal(ask_get(f->s, &f->coordinator, a1.id, f->a, &got), SH_OK);
    assert_string_equal(got.status, "closed");
    assert_string_equal(got.closed_reason, "duplicate");
    assert_string_equal(got.handled_by, "c.test");
    /* a manager of another area does not find it; health may not read any */
    app_identity other = person(ROLE_MANAGER, "m.other", "991");
    app_identity health = person(ROLE_HEALTH, "h.test", LA);
    assert_int_equal(ask_get(f->s, &other, a2.id, f->a, &got), SH_ENOTFOUND);
    assert_int_equal(ask_get(f->s, &health, a2.id, f->a, &got), SH_EDENIED);
    assert_int_equal(ask_close(f->s, &health, a2.id, "duplicate", "", NOW, &err), SH_EDENIED);
    assert_int_equal(ask_close(f->s, &other, a2.id, "duplicate", "", NOW, &err), SH_ECONFLICT);
    store_ask *rows;
    size_t n;
    int64_t total;
    assert_int_equal(ask_open(f->s, &f->coordinator, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, a2.id);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM audit WHERE object = "
                                          "'online_request' AND action = 'write' AND "
                                          "username = 'c.test'"),
                     1);
}

/* ---- starting the statutory request: one transaction ---------------------- */

/* The child a coordinator's form would add from request r. */
static store_child child_of(const store_ask *r)
{
    store_child c = {.forename = r->forename, .surname = r->surname,
                     .date_of_birth = r->date_of_birth, .sen_need = {-1, -1}};
    snprintf(c.postcode, sizeof c.postcode, "%s", r->postcode);
    return c;
}

static long long count_of(fixture *f, const char *sql)
{
    return testdb_count(f->url, sql);
}

/* Started from a request: the child, the case dated the day the request was
 * RECEIVED (not the day it is started) and the request's link to it, all
 * stored by one call, with an audit entry each. */
static void test_start_links_case(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    store_ask r;
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW - 86400 * 9, D("2026-10-24"), &r),
                     SH_OK);
    store_child c = child_of(&r);
    store_case opened;
    app_error err = {0};
    assert_int_equal(ask_start(f->s, &f->coordinator, r.id, &c, "c.test", D("2026-11-02"), NOW,
                               f->a, &opened, &err),
                     SH_OK);
    assert_true(c.id > 0);
    assert_int_equal(opened.child_id, c.id);
    assert_int_equal(opened.summary.request_date, D("2026-10-24"));
    store_ask got;
    assert_int_equal(ask_get(f->s, &f->coordinator, r.id, f->a, &got), SH_OK);
    assert_string_equal(got.status, "started");
    assert_int_equal(got.case_id, opened.id);
    assert_string_equal(got.handled_by, "c.test");
    assert_int_equal(count_of(f, "SELECT count(*) FROM children"), 1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM cases"), 1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM events WHERE type = 'request_received' "
                                 "AND date = '2026-10-24'"),
                     1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM online_requests o JOIN cases k ON "
                                 "k.id = o.case_id WHERE o.status = 'started'"),
                     1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM audit WHERE action = 'write' AND "
                                 "username = 'c.test' AND object IN ('child', 'case', "
                                 "'online_request') AND child_id IS NOT NULL"),
                     3);
    /* an existing child of the area: a second request starts a second case for them */
    store_ask r2;
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW, D("2026-11-02"), &r2), SH_OK);
    store_child same = {.id = c.id};
    assert_int_equal(ask_start(f->s, &f->coordinator, r2.id, &same, "", D("2026-11-02"), NOW,
                               f->a, &opened, &err),
                     SH_OK);
    assert_int_equal(opened.child_id, c.id);
    assert_int_equal(count_of(f, "SELECT count(*) FROM children"), 1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM cases"), 2);
}

/* A request someone else started or closed first: starting it again
 * creates nothing (no second case, no new child) and says so. */
static void test_start_taken_creates_nothing(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    store_ask started, closed;
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW, D("2026-11-02"), &started), SH_OK);
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW, D("2026-11-02"), &closed), SH_OK);
    store_child c = child_of(&started);
    store_case opened;
    app_error err = {0};
    assert_int_equal(ask_start(f->s, &f->coordinator, started.id, &c, "", D("2026-11-02"), NOW,
                               f->a, &opened, &err),
                     SH_OK);
    assert_int_equal(ask_close(f->s, &f->coordinator, closed.id, "withdrawn", "", NOW, &err),
                     SH_OK);
    app_identity second = person(ROLE_COORDINATOR, "c.second", LA);
    const store_ask *taken[] = {&started, &closed};
    for (size_t i = 0; i < 2; i++) {
        store_child again = child_of(taken[i]);
        again.forename = "Different"; /* a new child each time, were it added */
        memset(&err, 0, sizeof err);
        assert_int_equal(ask_start(f->s, &second, taken[i]->id, &again, "", D("2026-11-02"),
                                   NOW, f->a, &opened, &err),
                         SH_ECONFLICT);
        assert_null(err.field);
        assert_non_null(strstr(err.message, "already been started or closed"));
    }
    assert_int_equal(count_of(f, "SELECT count(*) FROM children"), 1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM cases"), 1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM events"), 1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM audit WHERE username = 'c.second'"), 0);
    store_ask got;
    assert_int_equal(ask_get(f->s, &f->coordinator, closed.id, f->a, &got), SH_OK);
    assert_string_equal(got.status, "closed");
}

/* A failure after the child was added (here the case's coordinator is too
 * long) takes the child back with it: the request stays open, to start
 * again. Roles without both capabilities may not start one. */
static void test_start_failure_stores_nothing(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    store_ask r;
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW, D("2026-11-02"), &r), SH_OK);
    char longname[STORE_NAME_MAX + 2];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    store_child c = child_of(&r);
    store_case opened;
    app_error err = {0};
    assert_int_equal(ask_start(f->s, &f->coordinator, r.id, &c, longname, D("2026-11-02"), NOW,
                               f->a, &opened, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "coordinator");
    c = child_of(&r);
    c.surname = "";
    assert_int_equal(ask_start(f->s, &f->coordinator, r.id, &c, "", D("2026-11-02"), NOW, f->a,
                               &opened, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "surname");
    app_identity health = person(ROLE_HEALTH, "h.test", LA);
    c = child_of(&r);
    assert_int_equal(ask_start(f->s, &health, r.id, &c, "", D("2026-11-02"), NOW, f->a, &opened,
                               &err),
                     SH_EDENIED);
    assert_int_equal(count_of(f, "SELECT count(*) FROM children"), 0);
    assert_int_equal(count_of(f, "SELECT count(*) FROM cases"), 0);
    assert_int_equal(count_of(f, "SELECT count(*) FROM online_requests WHERE status = 'open'"),
                     1);
    /* and it can be started after all */
    c = child_of(&r);
    assert_int_equal(ask_start(f->s, &f->coordinator, r.id, &c, "", D("2026-11-02"), NOW, f->a,
                               &opened, &err),
                     SH_OK);
}

/* ---- the acknowledgement e-mail -------------------------------------------- */

/* Sent to the address given, with the reference and the 6 weeks, and
 * nothing about the child: no name, date of birth or school, no date. */
static void test_ack_body(void **state)
{
    (void)state;
    char body[ASK_ACK_BODY_MAX];
    ask_ack_body("ASK-990-000042", body, sizeof body);
    assert_non_null(strstr(body, "ASK-990-000042"));
    assert_non_null(strstr(body, "within 6 weeks of receiving the request"));
    assert_non_null(strstr(body, "will contact you"));
    assert_true(strlen(body) < sizeof body - 1); /* not cut short */
    /* no number but the reference and the 6 weeks: so no date of any kind */
    size_t digits = 0;
    for (const char *p = body; *p; p++)
        digits += *p >= '0' && *p <= '9';
    assert_int_equal(digits, strlen("990000042") + 1);
    assert_null(strstr(body, "Rowan"));
}

/* The acknowledgement is queued with the request, to the address given,
 * with its reference; a second one for the same request is refused by the
 * schema; staff see it in the area's outbox, addressed to no account. (The
 * same page sent twice queues one: test_same_page_twice.) */
static void test_ack_queued(void **state)
{
    fixture *f = *state;
    ask_input in = valid();
    store_ask r;
    assert_int_equal(submit(f, LA, &in, "192.0.2.1", NOW, D("2026-11-02"), &r), SH_OK);
    assert_int_equal(count_of(f, "SELECT count(*) FROM portal_outbox WHERE to_user_id IS NULL "
                                 "AND to_email = 'alex@example.org.uk' AND state = 'queued' "
                                 "AND subject = '" ASK_ACK_SUBJECT "'"),
                     1);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM portal_outbox WHERE online_request_id = "
                              "%lld AND body LIKE '%%ASK-990-%06lld%%'",
             (long long)r.id, (long long)r.id);
    assert_int_equal(count_of(f, sql), 1);
    int64_t id;
    assert_int_equal(ask_ack_queue(f->s, &r, NOW, &id), SH_ECONFLICT);
    store_outbox *rows;
    size_t n;
    assert_int_equal(app_notify_outbox(f->s, &f->coordinator, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].online_request_id, r.id);
    assert_int_equal(rows[0].to_user_id, 0);
    assert_string_equal(rows[0].username, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_request),
        cmocka_unit_test(test_everything_missing),
        cmocka_unit_test(test_field_rules),
        cmocka_unit_test(test_young_person),
        cmocka_unit_test(test_decision_due),
        cmocka_unit_test(test_reference_and_reasons),
        cmocka_unit_test_setup_teardown(test_submit_and_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flood_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_page_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_links_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_taken_creates_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_failure_stores_nothing, setup, teardown),
        cmocka_unit_test(test_ack_body),
        cmocka_unit_test_setup_teardown(test_ack_queued, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
