/*
 * test_store_read.c — read transactions (store_read_begin/_end, store.h) on
 * the SQLite backend: the reads inside one see one snapshot while another
 * connection writes; they nest; inside a write transaction they join it.
 *
 * Always a temporary SQLite file: the snapshot guarantee is what is tested,
 * and a backend may implement read transactions as no-ops (store.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "util/err.h"

#define LA "990"

typedef struct {
    char dir[64], path[96];
    store *reader, *writer;
    arena *a;
    int64_t case_id;
} fixture;

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

static int64_t add_event(store *s, int64_t case_id, event_type t, const char *iso)
{
    event e;
    event_init(&e, t, D(iso));
    assert_int_equal(store_event_insert(s, LA, case_id, &e, "tester"), SH_OK);
    return e.id;
}

/* A database with one child and one case holding one event, open on two
 * connections: the reader under test and a writer standing for another
 * process. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/sendhub-read-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    f->a = arena_create(1u << 20);
    if (!f->a || store_open(f->path, &f->writer) != SH_OK || store_migrate(f->writer) != SH_OK ||
        store_open(f->path, &f->reader) != SH_OK)
        return -1;
    *state = f;
    store_child c = {.la_code = LA, .forename = "Ada", .surname = "Lovelace",
                     .date_of_birth = D("2015-03-01"), .sen_need = {-1, -1}};
    store_case k = {.la_code = LA, .coordinator = "",
                    .summary = {.request_date = DATE_NONE, .final_plan_date = DATE_NONE,
                                .next_due = DATE_NONE, .within_20_weeks = -1}};
    if (store_area_put(f->writer, LA, "Test area") != SH_OK ||
        store_child_insert(f->writer, &c) != SH_OK)
        return -1;
    k.child_id = c.id;
    if (store_case_insert(f->writer, &k) != SH_OK)
        return -1;
    f->case_id = k.id;
    add_event(f->writer, f->case_id, EV_REQUEST_RECEIVED, "2026-01-05");
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char file[128];
    store_close(f->reader);
    store_close(f->writer);
    arena_destroy(f->a);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s%s", f->path, suffixes[i]);
        unlink(file);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static size_t count_events(fixture *f)
{
    event *ev;
    size_t n;
    assert_int_equal(store_events_load(f->reader, LA, f->case_id, f->a, &ev, &n), SH_OK);
    return n;
}

static int event_count_summary(fixture *f)
{
    store_case c;
    assert_int_equal(store_case_get(f->reader, LA, f->case_id, f->a, &c), SH_OK);
    return c.summary.event_count;
}

/* The writer appends an event and rewrites the summary, as an append does. */
static void append_elsewhere(fixture *f, int count)
{
    assert_int_equal(store_tx_begin(f->writer), SH_OK);
    add_event(f->writer, f->case_id, EV_DECISION_TO_ASSESS, "2026-02-01");
    store_case_summary sum = {.request_date = DATE_NONE, .final_plan_date = DATE_NONE,
                              .next_due = DATE_NONE, .within_20_weeks = -1,
                              .event_count = count};
    assert_int_equal(store_case_summary_update(f->writer, LA, f->case_id, &sum), SH_OK);
    assert_int_equal(store_tx_commit(f->writer), SH_OK);
}

static void test_one_snapshot_while_another_connection_writes(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_read_begin(f->reader), SH_OK);
    assert_int_equal(count_events(f), 1);
    append_elsewhere(f, 2); /* commits while the read is open: not blocked */
    /* still the snapshot of the first read: summary and events agree */
    assert_int_equal(event_count_summary(f), 0);
    assert_int_equal(count_events(f), 1);
    assert_int_equal(store_read_end(f->reader), SH_OK);
    /* a new read sees the append */
    assert_int_equal(count_events(f), 2);
    assert_int_equal(event_count_summary(f), 2);
}

static void test_without_a_read_transaction_each_read_is_fresh(void **state)
{
    fixture *f = *state;
    assert_int_equal(count_events(f), 1);
    append_elsewhere(f, 2);
    assert_int_equal(event_count_summary(f), 2);
    assert_int_equal(count_events(f), 2);
}

static void test_read_transactions_nest(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_read_begin(f->reader), SH_OK);
    assert_int_equal(store_read_begin(f->reader), SH_OK);
    assert_int_equal(count_events(f), 1);
    assert_int_equal(store_read_end(f->reader), SH_OK);
    append_elsewhere(f, 2);
    assert_int_equal(count_events(f), 1); /* the outer one still holds its snapshot */
    assert_int_equal(store_read_end(f->reader), SH_OK);
    assert_int_equal(count_events(f), 2);
    /* an unmatched end is harmless */
    assert_int_equal(store_read_end(f->reader), SH_OK);
}

static void test_inside_a_write_transaction_it_joins(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_tx_begin(f->reader), SH_OK);
    assert_int_equal(store_read_begin(f->reader), SH_OK);
    add_event(f->reader, f->case_id, EV_DECISION_TO_ASSESS, "2026-02-01");
    assert_int_equal(count_events(f), 2);
    assert_int_equal(store_read_end(f->reader), SH_OK);
    /* the end left the write open: rolling it back undoes the event */
    assert_int_equal(store_tx_rollback(f->reader), SH_OK);
    assert_int_equal(count_events(f), 1);
}

static void test_no_write_transaction_inside_a_read(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_read_begin(f->reader), SH_OK);
    assert_int_equal(store_tx_begin(f->reader), SH_EINVAL);
    assert_int_equal(store_read_end(f->reader), SH_OK);
    assert_int_equal(store_tx_begin(f->reader), SH_OK);
    assert_int_equal(store_tx_commit(f->reader), SH_OK);
}

static void test_a_failed_read_inside_is_ended_cleanly(void **state)
{
    fixture *f = *state;
    store_case c;
    assert_int_equal(store_read_begin(f->reader), SH_OK);
    assert_int_equal(store_case_get(f->reader, LA, f->case_id + 100, f->a, &c), SH_ENOTFOUND);
    assert_int_equal(store_read_end(f->reader), SH_OK);
    append_elsewhere(f, 2);
    assert_int_equal(count_events(f), 2); /* no snapshot left behind */
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_one_snapshot_while_another_connection_writes),
        T(test_without_a_read_transaction_each_read_is_fresh),
        T(test_read_transactions_nest),
        T(test_inside_a_write_transaction_it_joins),
        T(test_no_write_transaction_inside_a_read),
        T(test_a_failed_read_inside_is_ended_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
