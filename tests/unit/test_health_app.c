/*
 * test_health_app.c — the health waiting-list use cases (app/health.h):
 * who may do what, the checks on a new referral, the order and rules of the
 * steps (triage, allowed clock stops, milestones, discharge), the wait a
 * referral shows with a pause left out, a child's closed referrals and
 * whether each wait met the standard, pathway configuration, and the CSV
 * import being the whole file or nothing.
 *
 * Each test gets a fresh database (testdb.h: SQLite, or PostgreSQL with
 * SENDHUB_TEST_PG). All data is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/health.h"
#include "testdb.h"
#include "util/buf.h"
#include "util/err.h"

#define LA "990"
#define NHS "9434765919"

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t child, autism, slt;
    app_identity health, coordinator, admin, sys;
} fixture;

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

static app_identity person(app_role role, const char *name)
{
    app_identity who = {.username = name, .role = (int)role, .remote = ""};
    memcpy(who.la_code, LA, sizeof who.la_code);
    return who;
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
    f->health = person(ROLE_HEALTH, "h.test");
    f->coordinator = person(ROLE_COORDINATOR, "c.test");
    f->admin = person(ROLE_ADMIN, "a.test");
    f->sys = person(ROLE_SYSTEM, "system");
    store_child c = {.la_code = LA, .forename = "Ada", .surname = "Testchild",
                     .date_of_birth = D("2015-03-01"), .nhs_number = NHS, .sen_need = {-1, -1}};
    if (store_child_insert(f->s, &c) != SH_OK)
        return -1;
    f->child = c.id;
    app_error err = {0};
    int added = 0;
    store_pathway p;
    if (app_health_pathways_seed(f->s, &f->admin, &added, &err) != SH_OK || added != 7 ||
        store_pathway_by_code(f->s, LA, "autism", f->a, &p) != SH_OK)
        return -1;
    f->autism = p.id;
    if (store_pathway_by_code(f->s, LA, "slt", f->a, &p) != SH_OK)
        return -1;
    f->slt = p.id;
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

static store_referral referral(const fixture *f, int64_t pathway, const char *date)
{
    store_referral r;
    memset(&r, 0, sizeof r);
    r.child_id = f->child;
    r.pathway_id = pathway;
    r.referrer = "GP";
    r.referral_date = D(date);
    r.priority = WAIT_PRIORITY_ROUTINE;
    return r;
}

/* A referral to speech and language therapy made on `date`, as health. */
static int64_t referred(fixture *f, const char *date)
{
    store_referral r = referral(f, f->slt, date);
    app_error err = {0};
    assert_int_equal(app_referral_create(f->s, &f->health, &r, D("2026-11-02"), &err), SH_OK);
    return r.id;
}

static int step(fixture *f, int64_t id, health_step s, const char *date, app_error *err)
{
    health_step_input in = {.step = s, .date = date ? D(date) : DATE_NONE, .stop_reason = -1,
                            .triage = WAIT_TRIAGE_ACCEPTED};
    memset(err, 0, sizeof *err);
    return app_referral_record(f->s, &f->health, id, &in, D("2026-11-02"), err);
}

static void expect_invalid(int rc, const app_error *err, const char *field)
{
    assert_int_equal(rc, SH_EINVAL);
    assert_non_null(err->field);
    assert_string_equal(err->field, field);
    assert_true(strlen(err->message) > 0);
}

/* ---- who may ------------------------------------------------------------------ */

static void test_only_health_records_referrals(void **state)
{
    fixture *f = *state;
    app_error err = {0};
    store_referral r = referral(f, f->slt, "2026-10-01");
    assert_int_equal(app_referral_create(f->s, &f->coordinator, &r, D("2026-11-02"), &err),
                     SH_EDENIED);
    assert_int_equal(app_referral_create(f->s, &f->admin, &r, D("2026-11-02"), &err), SH_EDENIED);
    assert_int_equal(app_referral_create(f->s, &f->health, &r, D("2026-11-02"), &err), SH_OK);
    assert_true(r.id > 0);
    /* a coordinator sees the wait on the child's record, not the lists */
    health_referral_view *v;
    size_t n;
    assert_int_equal(app_referrals_for_child(f->s, &f->coordinator, f->child, D("2026-11-02"),
                                             f->a, &v, &n, &err),
                     SH_OK);
    assert_int_equal(n, 1);
    health_referral_view one;
    assert_int_equal(app_referral_get(f->s, &f->coordinator, r.id, D("2026-11-02"), f->a, &one,
                                      &err),
                     SH_EDENIED);
    /* only administrators configure pathways */
    assert_int_equal(app_health_pathway_update(f->s, &f->health, f->slt, "X", 18, 5, true, &err),
                     SH_EDENIED);
}

/* ---- a new referral ------------------------------------------------------------- */

static void test_new_referral_checks(void **state)
{
    fixture *f = *state;
    app_error err = {0};
    date_t today = D("2026-11-02");
    store_referral r = referral(f, f->slt, "2026-11-03");
    expect_invalid(app_referral_create(f->s, &f->health, &r, today, &err), &err, "referral_date");
    r = referral(f, f->slt, "2015-02-01"); /* before the child was born */
    expect_invalid(app_referral_create(f->s, &f->health, &r, today, &err), &err, "referral_date");
    r = referral(f, f->slt, "2026-10-01");
    r.referrer = "";
    expect_invalid(app_referral_create(f->s, &f->health, &r, today, &err), &err, "referrer");
    r = referral(f, f->slt, "2026-10-01");
    r.pathway_id = 999999;
    assert_int_equal(app_referral_create(f->s, &f->health, &r, today, &err), SH_ENOTFOUND);
    /* autism assessment is for under-18s: the child is 18 on 1 March 2033 */
    r = referral(f, f->autism, "2033-02-28");
    assert_int_equal(app_referral_create(f->s, &f->health, &r, D("2033-03-02"), &err), SH_OK);
    r = referral(f, f->autism, "2033-03-01");
    expect_invalid(app_referral_create(f->s, &f->health, &r, D("2033-03-02"), &err), &err,
                   "pathway");
    /* a pathway closed to referrals */
    assert_int_equal(app_health_pathway_update(f->s, &f->admin, f->slt, "Therapies", 18, 5, false,
                                               &err),
                     SH_OK);
    r = referral(f, f->slt, "2026-10-01");
    expect_invalid(app_referral_create(f->s, &f->health, &r, today, &err), &err, "pathway");
}

/* ---- the steps ------------------------------------------------------------------- */

static void test_triage_first(void **state)
{
    fixture *f = *state;
    app_error err;
    int64_t id = referred(f, "2026-09-01");
    expect_invalid(step(f, id, HEALTH_STEP_FIRST_CONTACT, "2026-09-10", &err), &err, "step");
    health_step_input in = {.step = HEALTH_STEP_TRIAGE, .date = D("2026-09-05"),
                            .triage = WAIT_TRIAGE_REJECTED, .stop_reason = -1, .reason = ""};
    expect_invalid(app_referral_record(f->s, &f->health, id, &in, D("2026-11-02"), &err), &err,
                   "reason");
    expect_invalid(step(f, id, HEALTH_STEP_TRIAGE, "2026-08-31", &err), &err, "date");
    assert_int_equal(step(f, id, HEALTH_STEP_TRIAGE, "2026-09-05", &err), SH_OK);
    expect_invalid(step(f, id, HEALTH_STEP_TRIAGE, "2026-09-06", &err), &err, "triage");
    /* first contact before the triage decision */
    expect_invalid(step(f, id, HEALTH_STEP_FIRST_CONTACT, "2026-09-04", &err), &err, "date");
    expect_invalid(step(f, id, HEALTH_STEP_ASSESSMENT_COMPLETED, "2026-09-10", &err), &err, "step");
    assert_int_equal(step(f, id, HEALTH_STEP_FIRST_CONTACT, "2026-09-10", &err), SH_OK);
    expect_invalid(step(f, id, HEALTH_STEP_FIRST_CONTACT, "2026-09-11", &err), &err, "step");
}

static void test_clock_stops_only_for_the_family(void **state)
{
    fixture *f = *state;
    app_error err;
    int64_t id = referred(f, "2026-06-01");
    assert_int_equal(step(f, id, HEALTH_STEP_TRIAGE, "2026-06-05", &err), SH_OK);
    health_step_input stop = {.step = HEALTH_STEP_CLOCK_STOP, .date = D("2026-06-11"),
                              .stop_reason = -1, .reason = "clinic cancelled"};
    expect_invalid(app_referral_record(f->s, &f->health, id, &stop, D("2026-11-02"), &err), &err,
                   "stop_reason");
    stop.stop_reason = HEALTH_STOP_DECLINED;
    stop.reason = "on holiday";
    assert_int_equal(app_referral_record(f->s, &f->health, id, &stop, D("2026-11-02"), &err),
                     SH_OK);
    expect_invalid(app_referral_record(f->s, &f->health, id, &stop, D("2026-11-02"), &err), &err,
                   "step");
    expect_invalid(step(f, id, HEALTH_STEP_FIRST_CONTACT, "2026-06-20", &err), &err, "step");
    expect_invalid(step(f, id, HEALTH_STEP_CLOCK_RESTART, "2026-06-11", &err), &err, "date");
    assert_int_equal(step(f, id, HEALTH_STEP_CLOCK_RESTART, "2026-06-21", &err), SH_OK);
    expect_invalid(step(f, id, HEALTH_STEP_CLOCK_RESTART, "2026-06-22", &err), &err, "step");

    /* the wait leaves the 10 paused days out: 1 June to 1 July is 30 days */
    health_referral_view v;
    assert_int_equal(app_referral_get(f->s, &f->health, id, D("2026-07-01"), f->a, &v, &err),
                     SH_OK);
    assert_true(v.waiting);
    assert_false(v.paused);
    assert_int_equal(v.wait_days, 20);
    assert_int_equal(v.n_stops, 1);
    assert_string_equal(v.stops[0].reason,
                        "The family declined appointments offered: on holiday");
    assert_int_equal(v.position, 1);
    assert_int_equal(v.queue_len, 1);

    assert_int_equal(step(f, id, HEALTH_STEP_FIRST_CONTACT, "2026-07-01", &err), SH_OK);
    expect_invalid(app_referral_record(f->s, &f->health, id, &stop, D("2026-11-02"), &err), &err,
                   "step");
    assert_int_equal(app_referral_get(f->s, &f->health, id, D("2026-11-02"), f->a, &v, &err),
                     SH_OK);
    assert_false(v.waiting);
    assert_int_equal(v.seen, D("2026-07-01"));
    assert_int_equal(v.wait_days, 20);
}

static void test_outcome_and_discharge_close(void **state)
{
    fixture *f = *state;
    app_error err;
    int64_t id = referred(f, "2026-03-01");
    assert_int_equal(step(f, id, HEALTH_STEP_TRIAGE, "2026-03-02", &err), SH_OK);
    assert_int_equal(step(f, id, HEALTH_STEP_ASSESSMENT_STARTED, "2026-05-01", &err), SH_OK);
    health_step_input out = {.step = HEALTH_STEP_OUTCOME, .date = DATE_NONE, .stop_reason = -1,
                             .outcome = "Speech sound disorder", .outcome_code = "F80 0"};
    expect_invalid(app_referral_record(f->s, &f->health, id, &out, D("2026-11-02"), &err), &err,
                   "step");
    assert_int_equal(step(f, id, HEALTH_STEP_ASSESSMENT_COMPLETED, "2026-05-20", &err), SH_OK);
    expect_invalid(app_referral_record(f->s, &f->health, id, &out, D("2026-11-02"), &err), &err,
                   "outcome_code");
    out.outcome_code = "F80.0";
    assert_int_equal(app_referral_record(f->s, &f->health, id, &out, D("2026-11-02"), &err),
                     SH_OK);
    expect_invalid(step(f, id, HEALTH_STEP_DISCHARGE, "2026-05-19", &err), &err, "date");
    assert_int_equal(step(f, id, HEALTH_STEP_DISCHARGE, "2026-06-01", &err), SH_OK);
    expect_invalid(step(f, id, HEALTH_STEP_CLOCK_STOP, "2026-06-02", &err), &err, "step");
    health_referral_view *v;
    size_t n;
    assert_int_equal(app_referrals_for_child(f->s, &f->coordinator, f->child, D("2026-11-02"),
                                             f->a, &v, &n, &err),
                     SH_OK);
    assert_int_equal(n, 0); /* discharged: no longer open on the record */
}

/* The closed referrals: newest first, the waits without the family's clock
 * stop, judged against the standard on the wait to be seen. */
static void test_referral_history(void **state)
{
    fixture *f = *state;
    app_error err;
    /* discharged: 1 March -> first contact 19 July is 140 days, 20 of them
     * paused by the family: 120 clock days, within 18 weeks (126) */
    int64_t seen = referred(f, "2026-03-01");
    assert_int_equal(step(f, seen, HEALTH_STEP_TRIAGE, "2026-03-02", &err), SH_OK);
    health_step_input stop = {.step = HEALTH_STEP_CLOCK_STOP, .date = D("2026-04-01"),
                              .stop_reason = HEALTH_STOP_POSTPONED, .reason = "exams"};
    assert_int_equal(app_referral_record(f->s, &f->health, seen, &stop, D("2026-11-02"), &err),
                     SH_OK);
    assert_int_equal(step(f, seen, HEALTH_STEP_CLOCK_RESTART, "2026-04-21", &err), SH_OK);
    assert_int_equal(step(f, seen, HEALTH_STEP_FIRST_CONTACT, "2026-07-19", &err), SH_OK);
    assert_int_equal(step(f, seen, HEALTH_STEP_ASSESSMENT_STARTED, "2026-07-19", &err), SH_OK);
    assert_int_equal(step(f, seen, HEALTH_STEP_ASSESSMENT_COMPLETED, "2026-08-18", &err), SH_OK);
    assert_int_equal(step(f, seen, HEALTH_STEP_DISCHARGE, "2026-09-01", &err), SH_OK);
    /* rejected at triage: never seen */
    int64_t rejected = referred(f, "2026-05-01");
    health_step_input no = {.step = HEALTH_STEP_TRIAGE, .date = D("2026-05-15"),
                            .triage = WAIT_TRIAGE_REJECTED, .stop_reason = -1,
                            .reason = "Not a speech difficulty"};
    assert_int_equal(app_referral_record(f->s, &f->health, rejected, &no, D("2026-11-02"), &err),
                     SH_OK);
    referred(f, "2026-10-01"); /* still open: not in the history */

    health_closed_referral *c;
    size_t n, total;
    assert_int_equal(app_referral_history_for_child(f->s, &f->coordinator, f->child, f->a, &c,
                                                    &n, &total, &err),
                     SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    assert_int_equal(c[0].v.r.id, rejected); /* newest referral first */
    assert_int_equal(c[0].v.seen, DATE_NONE);
    assert_int_equal(c[0].closed, D("2026-05-15"));
    assert_int_equal(c[0].wait_days, 14);
    assert_false(c[0].within_standard); /* never seen: no standard met */

    assert_int_equal(c[1].v.r.id, seen);
    assert_int_equal(c[1].v.seen, D("2026-07-19"));
    assert_int_equal(c[1].closed, D("2026-09-01"));
    assert_int_equal(c[1].wait_calendar_days, 140);
    assert_int_equal(c[1].wait_days, 120);
    assert_true(c[1].within_standard);
    assert_int_equal(c[1].total_days, 170 - 20); /* to assessment completed, 18 August */
    assert_int_equal(c[1].v.n_stops, 1);

    /* the same wait against a 17-week standard (119 days): over */
    assert_int_equal(app_health_pathway_update(f->s, &f->admin, f->slt, "Therapies", 17, 5, true,
                                               &err),
                     SH_OK);
    assert_int_equal(app_referral_history_for_child(f->s, &f->coordinator, f->child, f->a, &c,
                                                    &n, &total, &err),
                     SH_OK);
    assert_int_equal(c[1].wait_days, 120);
    assert_false(c[1].within_standard);

    /* the same access rule as the open referrals: not an administrator */
    assert_int_equal(app_referral_history_for_child(f->s, &f->admin, f->child, f->a, &c, &n,
                                                    &total, &err),
                     SH_EDENIED);
}

/* ---- configuration ------------------------------------------------------------------ */

static void test_pathway_update_checks(void **state)
{
    fixture *f = *state;
    app_error err = {0};
    expect_invalid(app_health_pathway_update(f->s, &f->admin, f->slt, "", 18, 5, true, &err),
                   &err, "provider");
    expect_invalid(app_health_pathway_update(f->s, &f->admin, f->slt, "T", 0, 5, true, &err), &err,
                   "standard_weeks");
    expect_invalid(app_health_pathway_update(f->s, &f->admin, f->slt, "T", 105, 5, true, &err),
                   &err, "standard_weeks");
    expect_invalid(app_health_pathway_update(f->s, &f->admin, f->slt, "T", 18, 10001, true, &err),
                   &err, "capacity");
    assert_int_equal(app_health_pathway_update(f->s, &f->admin, f->slt, "Therapies", 12, 7, true,
                                               &err),
                     SH_OK);
    store_pathway p;
    assert_int_equal(app_health_pathway_get(f->s, &f->admin, f->slt, f->a, &p, &err), SH_OK);
    assert_string_equal(p.provider, "Therapies");
    assert_int_equal(p.standard_weeks, 12);
    assert_int_equal(p.capacity_per_week, 7);
    /* seeding again adds nothing and keeps the change */
    int added = -1;
    assert_int_equal(app_health_pathways_seed(f->s, &f->admin, &added, &err), SH_OK);
    assert_int_equal(added, 0);
}

/* ---- import -------------------------------------------------------------------------- */

#define HEADER "nhs_number,pathway,referrer,referral_date,priority,triage,triage_date," \
               "triage_reason,first_contact,assessment_started,assessment_completed,outcome," \
               "outcome_code,discharged\n"

static size_t open_referrals(fixture *f)
{
    health_referral_view *v;
    size_t n = 0;
    app_error err = {0};
    assert_int_equal(app_referrals_for_child(f->s, &f->coordinator, f->child, D("2026-11-02"),
                                             f->a, &v, &n, &err),
                     SH_OK);
    return n;
}

static void test_import_whole_file_or_nothing(void **state)
{
    fixture *f = *state;
    const char *bad = HEADER NHS ",slt,GP,2026-09-01,,accepted,2026-09-02,,,,,,,\n"
                             NHS ",ot,GP,2026-09-01,sometimes,,,,,,,,,\n"
                             "\"" NHS "\",camhs,\"GP, Dr \"\"Who\"\"\",2026-09-01,,,,,,,,,,\n";
    health_import_report rep;
    app_error err = {0};
    assert_int_equal(app_referrals_import(f->s, &f->health, bad, strlen(bad), D("2026-11-02"),
                                          f->a, &rep, &err),
                     SH_EINVAL);
    assert_int_equal(rep.lines, 3);
    assert_int_equal(rep.n_errors, 1);
    assert_int_equal(rep.imported, 0);
    assert_int_equal(rep.errors[0].line, 3);
    assert_string_equal(rep.errors[0].field, "priority");
    assert_int_equal(open_referrals(f), 0);

    const char *good = HEADER NHS ",slt,GP,2026-09-01,,accepted,2026-09-02,,,,,,,\n"
                              "\"" NHS "\",camhs,\"GP, Dr \"\"Who\"\"\",2026-09-01,,,,,,,,,,\n";
    assert_int_equal(app_referrals_import(f->s, &f->health, good, strlen(good), D("2026-11-02"),
                                          f->a, &rep, &err),
                     SH_OK);
    assert_int_equal(rep.imported, 2);
    assert_int_equal(open_referrals(f), 2);
    assert_int_equal(app_referrals_import(f->s, &f->coordinator, good, strlen(good),
                                          D("2026-11-02"), f->a, &rep, &err),
                     SH_EDENIED);
}

/* A long file looks children up in memory (read once): same answers. */
static void test_import_long_file(void **state)
{
    fixture *f = *state;
    buf b;
    buf_init(&b, 1u << 20);
    assert_int_equal(buf_puts(&b, HEADER), SH_OK);
    for (int i = 0; i < 300; i++) {
        char day[DATE_ISO_LEN + 1], line[200];
        date_format(D("2025-01-01") + i, day);
        snprintf(line, sizeof line, NHS ",slt,GP,%s,,,,,,,,,,\n", day);
        assert_int_equal(buf_puts(&b, line), SH_OK);
    }
    assert_int_equal(buf_puts(&b, "9434765870,slt,GP,2026-01-01,,,,,,,,,,\n"), SH_OK);
    health_import_report rep;
    app_error err = {0};
    assert_int_equal(app_referrals_import(f->s, &f->health, b.data, b.len, D("2026-11-02"), f->a,
                                          &rep, &err),
                     SH_EINVAL);
    assert_int_equal(rep.n_errors, 1);
    assert_int_equal(rep.errors[0].line, 302);
    assert_string_equal(rep.errors[0].field, "nhs_number");
    assert_int_equal(open_referrals(f), 0);
    b.len -= strlen("9434765870,slt,GP,2026-01-01,,,,,,,,,,\n");
    assert_int_equal(app_referrals_import(f->s, &f->health, b.data, b.len, D("2026-11-02"), f->a,
                                          &rep, &err),
                     SH_OK);
    assert_int_equal(rep.imported, 300);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_only_health_records_referrals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_referral_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triage_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_stops_only_for_the_family, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outcome_and_discharge_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pathway_update_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_whole_file_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_long_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
