/*
 * test_audit.c — the audit log: the background writer (batches, sync,
 * shutdown, a full queue), immediate writes, and the writes of the use cases
 * audited inside their own transactions.
 *
 * Each test gets a fresh, migrated SQLite database in /tmp. All data is
 * synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/app.h"
#include "app/audit.h"
#include "store/store.h"
#include "util/err.h"
#include "testdb.h"

#define ARENA_LIMIT (64u << 20)
#define T0 1795000000 /* a fixed "now": Nov 2026 */

typedef struct {
    char path[TESTDB_URL_MAX]; /* the test's database (testdb.h) */
    store *s;     /* the test's connection */
    arena *a;
} fixture;

static const app_identity coordinator = {.user_id = 7, .username = "a.patel",
                                         .role = ROLE_COORDINATOR, .la_code = "990",
                                         .remote = "192.0.2.10"};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *url = testdb_url();
    if (!url) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s", url);
    f->a = arena_create(ARENA_LIMIT);
    if (!f->a || store_open(f->path, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
        return -1;
    *state = f;
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

/* Entries of area 990 in the database, as the test's connection sees them. */
static size_t count(fixture *f, const char *action)
{
    store_audit_query q = {.la_code = "990", .action = action, .limit = 1};
    store_audit *out;
    size_t n = 0, total = 0;
    arena_reset(f->a);
    assert_int_equal(store_audit_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    return total;
}

/* The newest entry with this action. */
static store_audit newest(fixture *f, const char *action)
{
    store_audit_query q = {.la_code = "990", .action = action, .limit = 1};
    store_audit *out;
    size_t n = 0, total = 0;
    arena_reset(f->a);
    assert_int_equal(store_audit_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(n, 1);
    return out[0];
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* ---- the background writer --------------------------------------------- */

/* A few entries (far fewer than a batch) reach the database within about
 * AUDIT_FLUSH_MS without anyone asking. */
static void test_written_within_flush_interval(void **state)
{
    fixture *f = *state;
    audit_log *log = audit_log_create(f->path);
    assert_non_null(log);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(audit_record(log, f->s, &coordinator, "read", "case", 10 + i, 5, "",
                                      T0),
                         SH_OK);
    while (count(f, "read") < 3 && ms_since(&t0) < 5000)
        sleep_ms(10);
    double took = ms_since(&t0);
    assert_int_equal(count(f, "read"), 3);
    assert_true(took < AUDIT_FLUSH_MS * 5); /* generous: a loaded CI machine */
    audit_log_destroy(log);
}

/* sync returns once everything queued before it is stored, in order. */
static void test_sync_writes_everything_in_order(void **state)
{
    fixture *f = *state;
    audit_log *log = audit_log_create(f->path);
    assert_non_null(log);
    for (int i = 0; i < 1000; i++) {
        char detail[32];
        snprintf(detail, sizeof detail, "n=%d", i);
        assert_int_equal(audit_record(log, f->s, &coordinator, "read", "case", i + 1, 0,
                                      detail, T0 + i),
                         SH_OK);
    }
    assert_int_equal(audit_log_sync(log), SH_OK);
    assert_int_equal(count(f, "read"), 1000);
    store_audit last = newest(f, "read");
    assert_string_equal(last.detail, "n=999");
    assert_int_equal(last.object_id, 1000);
    audit_log_destroy(log);
}

/* The queue holds its own copies: the caller's strings may change or die
 * the moment audit_record returns. */
static void test_strings_are_copied(void **state)
{
    fixture *f = *state;
    audit_log *log = audit_log_create(f->path);
    assert_non_null(log);
    char username[16], remote[32], detail[32], action[16], object[16];
    snprintf(username, sizeof username, "j.okoro");
    snprintf(remote, sizeof remote, "198.51.100.7");
    snprintf(detail, sizeof detail, "viewed timeline");
    snprintf(action, sizeof action, "read");
    snprintf(object, sizeof object, "case");
    app_identity who = coordinator;
    who.username = username;
    who.remote = remote;
    assert_int_equal(audit_record(log, f->s, &who, action, object, 42, 9, detail, T0),
                     SH_OK);
    memset(username, 'x', sizeof username - 1);
    memset(remote, 'x', sizeof remote - 1);
    memset(detail, 'x', sizeof detail - 1);
    memset(action, 'x', sizeof action - 1);
    memset(object, 'x', sizeof object - 1);
    memset(who.la_code, '9', STORE_LA_LEN);
    assert_int_equal(audit_log_sync(log), SH_OK);
    store_audit e = newest(f, "read");
    assert_string_equal(e.username, "j.okoro");
    assert_string_equal(e.role, "coordinator");
    assert_string_equal(e.la_code, "990");
    assert_string_equal(e.object, "case");
    assert_int_equal(e.object_id, 42);
    assert_int_equal(e.child_id, 9);
    assert_string_equal(e.detail, "viewed timeline");
    assert_string_equal(e.remote, "198.51.100.7");
    assert_int_equal(e.at, T0);
    audit_log_destroy(log);
}

/* Shutting down writes what is still queued. */
static void test_destroy_flushes(void **state)
{
    fixture *f = *state;
    audit_log *log = audit_log_create(f->path);
    assert_non_null(log);
    for (int i = 0; i < 500; i++)
        assert_int_equal(audit_record(log, f->s, &coordinator, "read", "caseload", 0, 0,
                                      "page 1", T0),
                         SH_OK);
    audit_log_destroy(log);
    assert_int_equal(count(f, "read"), 500);
    audit_log_destroy(NULL); /* safe */
}

/* With the writer held up (the test holds the write lock) the queue fills;
 * past AUDIT_QUEUE_MAX entries each caller writes its own entry at once on
 * its connection — here inside the test's open transaction — and nothing
 * is dropped. The writer holds at most one batch (of at most
 * AUDIT_QUEUE_MAX) while it waits for the lock, so of twice that many and
 * 1000 more, at least 1000 must have been written directly. */
static void test_full_queue_writes_directly(void **state)
{
    fixture *f = *state;
    audit_log *log = audit_log_create(f->path);
    assert_non_null(log);
    const size_t total = 2 * AUDIT_QUEUE_MAX + 1000;
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    for (size_t i = 0; i < total; i++)
        assert_int_equal(audit_record(log, f->s, &coordinator, "read", "case", 1, 0, "", T0),
                         SH_OK);
    size_t direct = count(f, "read"); /* ours, uncommitted: the writer's cannot be in */
    assert_true(direct >= 1000);
    assert_true(direct < total);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    assert_int_equal(audit_log_sync(log), SH_OK);
    assert_int_equal(count(f, "read"), total);
    audit_log_destroy(log);
}

/* ---- immediate writes ---------------------------------------------------- */

static void test_without_log_writes_at_once(void **state)
{
    fixture *f = *state;
    assert_int_equal(audit_record(NULL, f->s, &coordinator, "denied", "case", 3, 4,
                                  "outside caseload", T0),
                     SH_OK);
    assert_int_equal(count(f, "denied"), 1);
    assert_int_equal(audit_log_sync(NULL), SH_OK);
}

/* audit_record_now belongs to the caller's transaction: rolled back with
 * it, committed with it. */
static void test_now_is_inside_the_transaction(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    assert_int_equal(audit_record_now(f->s, &coordinator, "write", "case", 1, 2, "x", T0),
                     SH_OK);
    assert_int_equal(store_tx_rollback(f->s), SH_OK);
    assert_int_equal(count(f, "write"), 0);
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    assert_int_equal(audit_record_now(f->s, &coordinator, "write", "case", 1, 2, "y", T0),
                     SH_OK);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    assert_int_equal(count(f, "write"), 1);
}

/* Entries that could never be stored are refused up front (they would
 * block the queue); over-long strings are cut to the column's limit. */
static void test_bad_entries(void **state)
{
    fixture *f = *state;
    app_identity nowhere = coordinator;
    nowhere.la_code[0] = '\0';
    assert_int_equal(audit_record(NULL, f->s, &nowhere, "read", "case", 0, 0, "", T0),
                     SH_EINVAL);
    assert_int_equal(audit_record(NULL, f->s, &coordinator, NULL, "case", 0, 0, "", T0),
                     SH_EINVAL);
    assert_int_equal(audit_record(NULL, f->s, &coordinator, "", "case", 0, 0, "", T0),
                     SH_EINVAL);
    assert_int_equal(audit_record_now(f->s, NULL, "read", "case", 0, 0, "", T0), SH_EINVAL);
    char detail[600];
    memset(detail, 'd', sizeof detail - 1);
    detail[sizeof detail - 1] = '\0';
    audit_log *log = audit_log_create(f->path);
    assert_non_null(log);
    assert_int_equal(audit_record(log, f->s, &coordinator, "read", "case", 0, 0, detail, T0),
                     SH_OK);
    assert_int_equal(audit_log_sync(log), SH_OK);
    assert_int_equal(strlen(newest(f, "read").detail), 200);
    audit_log_destroy(log);
}

static void test_create_fails_cleanly(void **state)
{
    (void)state;
    assert_null(audit_log_create("nosuchscheme://x"));
}

/* ---- writes of the use cases ------------------------------------------- */

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

/* Adding a child, opening a case and recording an event each leave one
 * "write" entry naming the record, written with the change. */
static void test_use_case_writes_are_audited(void **state)
{
    fixture *f = *state;
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .la_code = "990",
                        .remote = ""};
    assert_int_equal(store_area_put(f->s, "990", "Northfield (synthetic)"), SH_OK);
    store_child c;
    memset(&c, 0, sizeof c);
    c.forename = "Test";
    c.surname = "Child";
    c.date_of_birth = D(2016, 3, 4);
    c.sen_need[0] = c.sen_need[1] = -1;
    app_error err;
    assert_int_equal(app_child_create(f->s, &sys, &c, D(2026, 1, 5), &err), SH_OK);
    store_audit e = newest(f, "write");
    assert_string_equal(e.object, "child");
    assert_int_equal(e.object_id, c.id);
    assert_int_equal(e.child_id, c.id);
    assert_string_equal(e.username, "system");

    event start;
    event_init(&start, EV_REQUEST_RECEIVED, D(2026, 1, 5));
    store_case kase;
    journey_timeline t;
    assert_int_equal(app_case_open(f->s, &sys, c.id, "a.patel", &start, D(2026, 1, 5), f->a,
                                   &kase, &t, &err),
                     SH_OK);
    e = newest(f, "write");
    assert_string_equal(e.object, "case");
    assert_int_equal(e.object_id, kase.id);
    assert_int_equal(e.child_id, c.id);
    assert_string_equal(e.detail, "opened case");

    event next;
    event_init(&next, EV_DECISION_TO_ASSESS, D(2026, 2, 2));
    next.outcome = OUTCOME_ASSESS;
    assert_int_equal(app_case_record_event(f->s, &sys, kase.id, &next, D(2026, 2, 2), f->a, &t,
                                           &err),
                     SH_OK);
    e = newest(f, "write");
    assert_int_equal(e.object_id, kase.id);
    assert_string_equal(e.detail, "recorded decision_to_assess");
    assert_int_equal(count(f, "write"), 3);

    /* a refused change leaves no entry */
    app_identity inspector = sys;
    inspector.role = ROLE_INSPECTOR;
    assert_int_equal(app_case_record_event(f->s, &inspector, kase.id, &next, D(2026, 2, 2),
                                           f->a, &t, &err),
                     SH_EDENIED);
    assert_int_equal(count(f, "write"), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_written_within_flush_interval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sync_writes_everything_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_are_copied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_flushes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_queue_writes_directly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_log_writes_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_now_is_inside_the_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_use_case_writes_are_audited, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
