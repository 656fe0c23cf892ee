/*
 * test_store_plan.c — plans in the store (store/store_plan.h) on SQLite and,
 * with SENDHUB_TEST_PG, PostgreSQL: the working draft replaced in place,
 * versions numbered per case in issue order and scoped by area, and an
 * issued version that the database itself refuses to change or remove.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"
#include "store/store_plan.h"
#include "testdb.h"
#include "util/err.h"

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t case_id;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(4u << 20);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
        return -1;
    store_child c;
    memset(&c, 0, sizeof c);
    memcpy(c.la_code, "990", 4);
    c.forename = "Sam";
    c.surname = "Testchild";
    c.sen_need[0] = c.sen_need[1] = -1;
    if (date_from_ymd(2016, 5, 4, &c.date_of_birth) != SH_OK || store_child_insert(f->s, &c))
        return -1;
    store_case k;
    memset(&k, 0, sizeof k);
    memcpy(k.la_code, "990", 4);
    k.child_id = c.id;
    k.coordinator = "";
    k.summary.request_date = k.summary.final_plan_date = k.summary.next_due = DATE_NONE;
    k.summary.within_20_weeks = -1;
    if (store_case_insert(f->s, &k))
        return -1;
    f->case_id = k.id;
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

static void test_draft_replaced(void **state)
{
    fixture *f = *state;
    const char *doc;
    assert_int_equal(store_plan_draft_get(f->s, "990", f->case_id, f->a, &doc), SH_ENOTFOUND);
    assert_int_equal(store_plan_draft_put(f->s, "990", f->case_id, "{\"v\":1}", 10, "a.b"), SH_OK);
    assert_int_equal(store_plan_draft_put(f->s, "990", f->case_id, "{\"v\":2}", 11, "a.b"), SH_OK);
    assert_int_equal(store_plan_draft_get(f->s, "990", f->case_id, f->a, &doc), SH_OK);
    assert_string_equal(doc, "{\"v\":2}");
    /* another area does not see it, and cannot write to the case */
    assert_int_equal(store_plan_draft_get(f->s, "991", f->case_id, f->a, &doc), SH_ENOTFOUND);
    assert_int_not_equal(store_plan_draft_put(f->s, "991", f->case_id, "{}", 12, "x"), SH_OK);
}

static void test_versions_numbered_and_frozen(void **state)
{
    fixture *f = *state;
    date_t d;
    assert_int_equal(date_from_ymd(2026, 3, 2, &d), SH_OK);
    store_plan_version v = {.kind = STORE_PLAN_DRAFT, .issued_on = d, .issued_by = "a.b",
                            .event_id = 7, .document = "{\"draft\":true}"};
    assert_int_equal(store_plan_version_add(f->s, "990", f->case_id, &v), SH_OK);
    assert_int_equal(v.version, 1);
    v.kind = STORE_PLAN_FINAL;
    v.event_id = 9;
    v.document = "{\"final\":true}";
    assert_int_equal(store_plan_version_add(f->s, "990", f->case_id, &v), SH_OK);
    assert_int_equal(v.version, 2);
    store_plan_version *list;
    size_t n;
    assert_int_equal(store_plan_versions(f->s, "990", f->case_id, f->a, &list, &n), SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].kind, STORE_PLAN_DRAFT);
    assert_int_equal(list[1].kind, STORE_PLAN_FINAL);
    assert_int_equal(list[1].event_id, 9);
    assert_int_equal(list[0].issued_on, d);
    assert_null(list[0].document);
    store_plan_version one;
    assert_int_equal(store_plan_version_get(f->s, "990", f->case_id, 1, f->a, &one), SH_OK);
    assert_string_equal(one.document, "{\"draft\":true}");
    assert_string_equal(one.issued_by, "a.b");
    assert_int_equal(store_plan_version_get(f->s, "990", f->case_id, 3, f->a, &one),
                     SH_ENOTFOUND);
    assert_int_equal(store_plan_versions(f->s, "991", f->case_id, f->a, &list, &n), SH_OK);
    assert_int_equal(n, 0);
    /* the database refuses to change or remove an issued version */
    assert_int_equal(testdb_exec(f->url, "UPDATE plan_versions SET document = '{}'"), -1);
    assert_int_equal(testdb_exec(f->url, "DELETE FROM plan_versions"), -1);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM plan_versions"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_draft_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_versions_numbered_and_frozen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
