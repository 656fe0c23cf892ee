/*
 * test_store_scan.c — store_journeys_scan over case-id ranges, and
 * store_case_id_range, on either backend (testdb.h: SQLite by default,
 * PostgreSQL when SENDHUB_TEST_PG is set).
 *
 * The ranges exist so a job can split one scan across connections and
 * threads; what matters is that the pieces add up to the whole exactly
 * (no case lost or seen twice), and that the scan's narrower row reads give
 * the same events as store_events_load for every field a type can carry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"
#include "store/store.h"
#include "util/err.h"

#define ARENA_LIMIT (16u << 20)
#define MAX_SEEN 16

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t cases[5]; /* in id order: 202, 203, 202, 202 (no events), 202 */
} fixture;

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static int64_t add_case(store *s, const char *la)
{
    store_child c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "%s", la);
    c.forename = "Test";
    c.surname = "Child";
    c.date_of_birth = D(2015, 3, 1);
    c.sen_need[0] = c.sen_need[1] = -1;
    assert_int_equal(store_child_insert(s, &c), SH_OK);
    store_case k;
    memset(&k, 0, sizeof k);
    snprintf(k.la_code, sizeof k.la_code, "%s", la);
    k.child_id = c.id;
    k.coordinator = "amy";
    k.summary.stage = STAGE_REQUEST;
    k.summary.request_date = k.summary.final_plan_date = k.summary.next_due = DATE_NONE;
    k.summary.within_20_weeks = -1;
    assert_int_equal(store_case_insert(s, &k), SH_OK);
    return k.id;
}

static int64_t add(store *s, const char *la, int64_t case_id, event *e)
{
    assert_int_equal(store_event_insert(s, la, case_id, e, "tester"), SH_OK);
    return e->id;
}

static int64_t add_plain(store *s, const char *la, int64_t case_id, event_type t, date_t d)
{
    event e;
    event_init(&e, t, d);
    return add(s, la, case_id, &e);
}

/* A journey that uses every optional field of an event: agency, outcome,
 * exception, cease_reason, transfer_year and transfer_to, and a correction
 * with supersedes, reason and replacement. */
static void add_rich_journey(store *s, const char *la, int64_t case_id)
{
    event e;
    add_plain(s, la, case_id, EV_REQUEST_RECEIVED, D(2025, 1, 6));
    event_init(&e, EV_DECISION_TO_ASSESS, D(2025, 2, 3));
    e.outcome = OUTCOME_ASSESS;
    add(s, la, case_id, &e);
    event_init(&e, EV_EXCEPTION, D(2025, 2, 10));
    e.exception = EXC_PERSONAL_CIRCUMSTANCES;
    add(s, la, case_id, &e);
    event_init(&e, EV_ADVICE_REQUESTED, D(2025, 2, 4));
    e.agency = AGENCY_HEALTH;
    add(s, la, case_id, &e);
    event_init(&e, EV_ADVICE_RECEIVED, D(2025, 3, 20));
    e.agency = AGENCY_HEALTH;
    int64_t wrong = add(s, la, case_id, &e);
    event repl, corr;
    event_init(&repl, EV_ADVICE_RECEIVED, D(2025, 3, 17));
    repl.agency = AGENCY_HEALTH;
    event_init(&corr, EV_CORRECTION, D(2025, 3, 21));
    corr.supersedes = wrong;
    corr.reason = "keyed the wrong date";
    corr.replacement = &repl;
    add(s, la, case_id, &corr);
    event_init(&e, EV_PHASE_TRANSFER_DUE, D(2025, 4, 1));
    e.transfer_year = 2027;
    e.transfer_to = TRANSFER_SCHOOL;
    add(s, la, case_id, &e);
    event_init(&e, EV_PLAN_CEASED, D(2025, 6, 1));
    e.cease_reason = 3;
    add(s, la, case_id, &e);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(ARENA_LIMIT);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
        return -1;
    static const char *const la[5] = {"202", "203", "202", "202", "202"};
    for (int i = 0; i < 5; i++)
        f->cases[i] = add_case(f->s, la[i]);
    add_rich_journey(f->s, "202", f->cases[0]);
    add_plain(f->s, "203", f->cases[1], EV_REQUEST_RECEIVED, D(2026, 1, 2));
    add_plain(f->s, "202", f->cases[2], EV_REQUEST_RECEIVED, D(2026, 1, 3));
    /* cases[3] has no events; cases[4] one, written before cases[2]'s second. */
    add_plain(f->s, "202", f->cases[4], EV_REQUEST_RECEIVED, D(2026, 1, 4));
    add_plain(f->s, "202", f->cases[2], EV_DECISION_TO_ASSESS, D(2026, 2, 3));
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

/* What a scan handed to its callback, case by case. */
typedef struct {
    store *s;    /* for comparing each journey with store_events_load */
    arena *load; /* a second arena: the scan resets its own between cases */
    int calls;
    int64_t case_ids[MAX_SEEN];
    char la[MAX_SEEN][STORE_LA_LEN + 1];
    size_t n_events[MAX_SEEN];
} seen;

static void same_event(const event *x, const event *y)
{
    assert_int_equal(x->id, y->id);
    assert_int_equal(x->type, y->type);
    assert_int_equal(x->date, y->date);
    assert_int_equal(x->agency, y->agency);
    assert_int_equal(x->outcome, y->outcome);
    assert_int_equal(x->exception, y->exception);
    assert_int_equal(x->cease_reason, y->cease_reason);
    assert_int_equal(x->transfer_year, y->transfer_year);
    assert_int_equal(x->transfer_to, y->transfer_to);
    assert_int_equal(x->supersedes, y->supersedes);
    assert_true((x->reason == NULL) == (y->reason == NULL));
    if (x->reason)
        assert_string_equal(x->reason, y->reason);
    assert_true((x->replacement == NULL) == (y->replacement == NULL));
    if (x->replacement)
        same_event(x->replacement, y->replacement);
}

static int record_cb(void *ctx, int64_t case_id, const char *la_code, const event *events,
                     size_t n)
{
    seen *sn = ctx;
    assert_true(sn->calls < MAX_SEEN);
    sn->case_ids[sn->calls] = case_id;
    snprintf(sn->la[sn->calls], sizeof sn->la[0], "%s", la_code);
    sn->n_events[sn->calls] = n;
    sn->calls++;
    if (sn->s) {
        event *loaded;
        size_t m;
        arena_reset(sn->load);
        assert_int_equal(store_events_load(sn->s, la_code, case_id, sn->load, &loaded, &m),
                         SH_OK);
        assert_int_equal(m, n);
        for (size_t i = 0; i < n; i++)
            same_event(&events[i], &loaded[i]);
    }
    return 0;
}

static seen scan(fixture *f, const char *la, int64_t first, int64_t last)
{
    seen sn;
    memset(&sn, 0, sizeof sn);
    assert_int_equal(store_journeys_scan(f->s, la, first, last, f->a, record_cb, &sn), SH_OK);
    return sn;
}

/* Appends b's calls to a's. */
static void concat(seen *a, const seen *b)
{
    for (int i = 0; i < b->calls; i++) {
        assert_true(a->calls < MAX_SEEN);
        a->case_ids[a->calls] = b->case_ids[i];
        memcpy(a->la[a->calls], b->la[i], sizeof a->la[0]);
        a->n_events[a->calls] = b->n_events[i];
        a->calls++;
    }
}

static void same_calls(const seen *a, const seen *b)
{
    assert_int_equal(a->calls, b->calls);
    for (int i = 0; i < a->calls; i++) {
        assert_int_equal(a->case_ids[i], b->case_ids[i]);
        assert_string_equal(a->la[i], b->la[i]);
        assert_int_equal(a->n_events[i], b->n_events[i]);
    }
}

static void test_case_id_range(void **state)
{
    fixture *f = *state;
    int64_t lo = -1, hi = -1;
    assert_int_equal(store_case_id_range(f->s, NULL, &lo, &hi), SH_OK);
    assert_int_equal(lo, f->cases[0]);
    assert_int_equal(hi, f->cases[4]);
    assert_int_equal(store_case_id_range(f->s, "203", &lo, &hi), SH_OK);
    assert_int_equal(lo, f->cases[1]);
    assert_int_equal(hi, f->cases[1]);
    /* An area without cases: an empty range (first > last). */
    assert_int_equal(store_case_id_range(f->s, "999", &lo, &hi), SH_OK);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 0);
}

/* Every case in id order, cases without events skipped; the whole id range
 * from store_case_id_range is exactly the unranged scan. */
static void test_whole_range_is_unranged(void **state)
{
    fixture *f = *state;
    seen all = scan(f, NULL, 0, INT64_MAX);
    assert_int_equal(all.calls, 4);
    assert_int_equal(all.case_ids[0], f->cases[0]);
    assert_int_equal(all.case_ids[1], f->cases[1]);
    assert_int_equal(all.case_ids[2], f->cases[2]);
    assert_int_equal(all.case_ids[3], f->cases[4]);
    assert_string_equal(all.la[1], "203");
    assert_int_equal(all.n_events[0], 8);
    assert_int_equal(all.n_events[2], 2);
    int64_t lo, hi;
    assert_int_equal(store_case_id_range(f->s, NULL, &lo, &hi), SH_OK);
    seen whole = scan(f, NULL, lo, hi);
    same_calls(&whole, &all);
}

/* Disjoint ranges that cover the ids add up to the whole scan, whichever
 * way it is split, with or without an area. */
static void test_ranges_add_up(void **state)
{
    fixture *f = *state;
    seen all = scan(f, NULL, 0, INT64_MAX);
    for (int cut = 0; cut < 5; cut++) {
        seen parts = scan(f, NULL, 0, f->cases[cut]);
        seen rest = scan(f, NULL, f->cases[cut] + 1, INT64_MAX);
        concat(&parts, &rest);
        same_calls(&parts, &all);
    }
    seen area = scan(f, "202", 0, INT64_MAX);
    assert_int_equal(area.calls, 3);
    seen lower = scan(f, "202", 0, f->cases[1]);
    seen upper = scan(f, "202", f->cases[1] + 1, INT64_MAX);
    assert_int_equal(lower.calls, 1);
    assert_int_equal(lower.case_ids[0], f->cases[0]);
    concat(&lower, &upper);
    same_calls(&lower, &area);
    /* One case exactly. */
    seen one = scan(f, NULL, f->cases[2], f->cases[2]);
    assert_int_equal(one.calls, 1);
    assert_int_equal(one.case_ids[0], f->cases[2]);
    assert_int_equal(one.n_events[0], 2);
}

static void test_empty_ranges(void **state)
{
    fixture *f = *state;
    seen sn = scan(f, NULL, f->cases[3], f->cases[3]); /* a case without events */
    assert_int_equal(sn.calls, 0);
    sn = scan(f, NULL, f->cases[4] + 1, INT64_MAX); /* past the last case */
    assert_int_equal(sn.calls, 0);
    sn = scan(f, NULL, f->cases[2], f->cases[1]); /* first > last */
    assert_int_equal(sn.calls, 0);
    sn = scan(f, NULL, 1, 0); /* store_case_id_range's "no cases" */
    assert_int_equal(sn.calls, 0);
    sn = scan(f, "203", f->cases[2], INT64_MAX); /* the area has no case there */
    assert_int_equal(sn.calls, 0);
}

/* The scan reads fewer columns than store_events_load, per event type; the
 * events it hands over must still be identical, field by field. */
static void test_scan_equals_load(void **state)
{
    fixture *f = *state;
    seen sn;
    memset(&sn, 0, sizeof sn);
    sn.s = f->s;
    sn.load = arena_create(ARENA_LIMIT);
    assert_non_null(sn.load);
    assert_int_equal(store_journeys_scan(f->s, NULL, 0, INT64_MAX, f->a, record_cb, &sn), SH_OK);
    assert_int_equal(sn.calls, 4);
    memset(&sn.case_ids, 0, sizeof sn.case_ids);
    sn.calls = 0;
    assert_int_equal(store_journeys_scan(f->s, "202", 0, INT64_MAX, f->a, record_cb, &sn), SH_OK);
    assert_int_equal(sn.calls, 3);
    arena_destroy(sn.load);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_case_id_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_whole_range_is_unranged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ranges_add_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_equals_load, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
