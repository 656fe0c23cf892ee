/*
 * test_store_pg.c — what only the PostgreSQL backend has to get right: the
 * per-case lock across connections, losing and regaining the server, a
 * timeout becoming SH_EUNAVAIL, and two processes migrating at once.
 *
 * Runs when SENDHUB_TEST_PG names a server (scripts/pg.sh start); every
 * test is skipped otherwise. The contract shared with SQLite is tested by
 * test_store.c on both backends.
 */
#include <pthread.h>
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

#include "store/migrations.h"
#include "store/store.h"
#include "testdb.h"
#include "util/err.h"

#define ARENA_LIMIT (4u << 20)

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t case_id;
} fixture;

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static int64_t add_case(store *s)
{
    store_child c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "202");
    c.forename = "Lock";
    c.surname = "Step";
    c.date_of_birth = D(2015, 1, 1);
    c.sen_need[0] = c.sen_need[1] = -1;
    assert_int_equal(store_child_insert(s, &c), SH_OK);
    store_case k;
    memset(&k, 0, sizeof k);
    snprintf(k.la_code, sizeof k.la_code, "202");
    k.child_id = c.id;
    k.summary.stage = STAGE_REQUEST;
    k.summary.request_date = k.summary.final_plan_date = k.summary.next_due = DATE_NONE;
    k.summary.within_20_weeks = -1;
    assert_int_equal(store_case_insert(s, &k), SH_OK);
    return k.id;
}

static int setup(void **state)
{
    const char *server = getenv("SENDHUB_TEST_PG");
    if (!server || !*server)
        return 0; /* each test skips */
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url_empty();
    f->a = arena_create(ARENA_LIMIT);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
        return -1;
    f->case_id = add_case(f->s);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0;
    store_close(f->s);
    arena_destroy(f->a);
    testdb_drop(f->url);
    free(f);
    return 0;
}

static fixture *need_pg(void **state)
{
    if (!*state)
        skip();
    return *state;
}

static int64_t append(store *s, int64_t case_id)
{
    event e;
    event_init(&e, EV_ADVICE_REQUESTED, D(2026, 2, 1));
    e.agency = AGENCY_HEALTH;
    assert_int_equal(store_event_insert(s, "202", case_id, &e, "tester"), SH_OK);
    return e.id;
}

/* ---- the per-case lock -------------------------------------------------- */

typedef struct {
    const char *url;
    int64_t case_id;
    volatile int done;
    int64_t id;
    size_t seen; /* events the second writer's load saw */
} second_writer;

static void *second_writer_run(void *p)
{
    second_writer *w = p;
    store *s = NULL;
    arena *a = arena_create(ARENA_LIMIT);
    event *events;
    if (store_open(w->url, &s) == SH_OK && store_tx_begin(s) == SH_OK) {
        w->id = append(s, w->case_id);
        if (store_events_load(s, "202", w->case_id, a, &events, &w->seen) == SH_OK)
            store_tx_commit(s);
    }
    w->done = 1;
    store_close(s);
    arena_destroy(a);
    return NULL;
}

/* Two connections append to one case: the second waits for the first to
 * commit, then sees its event, and its own id is the later one. */
static void test_append_waits_for_the_case_lock(void **state)
{
    fixture *f = need_pg(state);
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    int64_t first = append(f->s, f->case_id);
    second_writer w = {f->url, f->case_id, 0, 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, second_writer_run, &w), 0);
    usleep(300 * 1000);
    assert_int_equal(w.done, 0); /* blocked on the case row */
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    pthread_join(t, NULL);
    assert_int_equal(w.done, 1);
    assert_true(w.id > first);
    assert_int_equal(w.seen, 2);
}

/* A load inside a transaction takes the lock too, so a read-validate-
 * append that starts with the load is serialised as well. */
static void test_load_in_tx_locks_the_case(void **state)
{
    fixture *f = need_pg(state);
    event *events;
    size_t n;
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    assert_int_equal(store_events_load(f->s, "202", f->case_id, f->a, &events, &n), SH_OK);
    assert_int_equal(n, 0);
    second_writer w = {f->url, f->case_id, 0, 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, second_writer_run, &w), 0);
    usleep(300 * 1000);
    assert_int_equal(w.done, 0);
    append(f->s, f->case_id);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    pthread_join(t, NULL);
    assert_int_equal(w.seen, 2);
    /* Another area's case is still not found, inside a transaction too. */
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    assert_int_equal(store_events_load(f->s, "203", f->case_id, f->a, &events, &n), SH_ENOTFOUND);
    assert_int_equal(store_tx_rollback(f->s), SH_OK);
}

/* ---- losing the server -------------------------------------------------- */

/* Ends every other connection to the test database, as a server restart or
 * a failover would. */
static void kill_connections(const char *url)
{
    assert_true(testdb_count(url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                  " WHERE datname = current_database() AND pid <> pg_backend_pid()")
                >= 1);
    usleep(100 * 1000);
}

/* After a restart or failover: a read is retried on a new connection and
 * succeeds; a write fails once (it may or may not have been applied, so it
 * is not repeated) and the next call reconnects. */
static void test_reconnects_after_the_connection_dies(void **state)
{
    fixture *f = need_pg(state);
    store_case c;
    event *events;
    size_t n;
    kill_connections(f->url);
    assert_int_equal(store_case_get(f->s, "202", f->case_id, f->a, &c), SH_OK);
    kill_connections(f->url);
    event e;
    event_init(&e, EV_ADVICE_REQUESTED, D(2026, 2, 1));
    e.agency = AGENCY_HEALTH;
    assert_int_equal(store_event_insert(f->s, "202", f->case_id, &e, "tester"), SH_EUNAVAIL);
    append(f->s, f->case_id);
    assert_int_equal(store_events_load(f->s, "202", f->case_id, f->a, &events, &n), SH_OK);
    assert_int_equal(n, 1);
}

static void test_lost_transaction_is_never_replaced(void **state)
{
    fixture *f = need_pg(state);
    store_case c;
    event *events;
    size_t n;
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    append(f->s, f->case_id);
    kill_connections(f->url);
    event e;
    event_init(&e, EV_ADVICE_REQUESTED, D(2026, 2, 1));
    e.agency = AGENCY_HEALTH;
    assert_int_equal(store_event_insert(f->s, "202", f->case_id, &e, "tester"), SH_EUNAVAIL);
    /* Still unavailable, not silently running outside the transaction... */
    assert_int_equal(store_case_get(f->s, "202", f->case_id, f->a, &c), SH_EUNAVAIL);
    assert_int_equal(store_tx_commit(f->s), SH_EUNAVAIL);
    /* ...until the caller rolls back. */
    assert_int_equal(store_tx_rollback(f->s), SH_OK);
    assert_int_equal(store_events_load(f->s, "202", f->case_id, f->a, &events, &n), SH_OK);
    assert_int_equal(n, 0);
}

/* ---- timeouts ----------------------------------------------------------- */

/* A URL's own options override the store's defaults; a lock wait beyond
 * lock_timeout is SH_EUNAVAIL, and the connection stays usable. */
static void test_lock_timeout_is_unavailable(void **state)
{
    fixture *f = need_pg(state);
    char url[TESTDB_URL_MAX + 64];
    snprintf(url, sizeof url, "%s?options=-c%%20lock_timeout%%3D200", f->url);
    store *s = NULL;
    store_case c;
    assert_int_equal(store_open(url, &s), SH_OK);
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    append(f->s, f->case_id); /* holds the case row */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    event e;
    event_init(&e, EV_ADVICE_REQUESTED, D(2026, 2, 1));
    e.agency = AGENCY_HEALTH;
    assert_int_equal(store_event_insert(s, "202", f->case_id, &e, "tester"), SH_EUNAVAIL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 5);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    assert_int_equal(store_case_get(s, "202", f->case_id, f->a, &c), SH_OK);
    store_close(s);
}

/* ---- migrations --------------------------------------------------------- */

typedef struct {
    const char *url;
    int rc, version;
} migrator;

static void *migrator_run(void *p)
{
    migrator *m = p;
    store *s = NULL;
    m->rc = store_open(m->url, &s);
    if (m->rc == SH_OK)
        m->rc = store_migrate(s);
    if (m->rc == SH_OK)
        m->rc = store_schema_version(s, &m->version);
    store_close(s);
    return NULL;
}

static void test_two_migrators_at_once(void **state)
{
    fixture *f = need_pg(state);
    (void)f;
    const char *url = testdb_url_empty();
    migrator m[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        m[i] = (migrator){url, -99, -1};
        assert_int_equal(pthread_create(&t[i], NULL, migrator_run, &m[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(m[i].rc, SH_OK);
        assert_int_equal(m[i].version, m[0].version);
    }
    assert_true(m[0].version >= 2);
    /* one row per migration (numbers can have gaps while branches merge) */
    int64_t migrations = 0;
    for (size_t i = 0; i < store_migration_count; i++)
        migrations += strcmp(store_migrations[i].dialect, "postgresql") == 0;
    assert_int_equal(testdb_count(url, "SELECT count(*) FROM schema_version"), migrations);
    testdb_drop(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_waits_for_the_case_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_in_tx_locks_the_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reconnects_after_the_connection_dies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_transaction_is_never_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_timeout_is_unavailable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_migrators_at_once, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
