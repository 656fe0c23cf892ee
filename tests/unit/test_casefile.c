/*
 * test_casefile.c — the inspection deep dive's use cases (app/casefile.h) on
 * a demo area: the sample is drawn from exactly the open cases, reproducibly
 * for a seed, without repeats, within its bounds and only for people with
 * the evidence pack and case files; a case file holds the plan's latest
 * version in full and every advice request, and is refused to roles that
 * reach a child only through their part of the record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/casefile.h"
#include "app/demo.h"
#include "core/sample.h"
#include "testdb.h"
#include "util/err.h"

typedef struct {
    const char *url;
    store *s;
    date_t as_of;
} fixture;

static app_identity as(app_role role)
{
    app_identity who = {.username = "tester", .role = role, .remote = ""};
    memcpy(who.la_code, "801", 4);
    return who;
}

static int setup(void **state)
{
    static fixture f;
    f.url = testdb_url();
    if (date_parse("2026-11-02", 10, &f.as_of) != SH_OK)
        return -1;
    if (store_open(f.url, &f.s) != SH_OK || store_migrate(f.s) != SH_OK)
        return -1;
    demo_params p = {.seed = 11, .as_of = f.as_of, .la_code = "801", .scale = 0.05};
    if (demo_generate(f.s, &p, NULL) != SH_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    testdb_drop(f->url);
    return 0;
}

static void draw(fixture *f, app_role role, size_t want, uint64_t seed, casefile_by by,
                 int64_t ids[SAMPLE_MAX], size_t *n, size_t *population, int expect)
{
    arena *a = arena_create(32u << 20);
    assert_non_null(a);
    app_identity who = as(role);
    store_caseload_row *rows = NULL;
    app_error err = {0};
    assert_int_equal(app_casefile_sample(f->s, &who, want, seed, by, a, &rows, n, population,
                                         &err),
                     expect);
    for (size_t i = 0; i < *n; i++) {
        ids[i] = rows[i].c.id;
        assert_true(rows[i].c.summary.stage != STAGE_REFUSED &&
                    rows[i].c.summary.stage != STAGE_NO_PLAN &&
                    rows[i].c.summary.stage != STAGE_CEASED);
    }
    arena_destroy(a);
}

static void test_sample_reproducible(void **state)
{
    fixture *f = *state;
    int64_t a[SAMPLE_MAX], b[SAMPLE_MAX], c[SAMPLE_MAX];
    size_t na, nb, nc, pop;
    draw(f, ROLE_MANAGER, 12, 20261102, CASEFILE_BY_NONE, a, &na, &pop, SH_OK);
    assert_int_equal(na, 12);
    assert_int_equal((int64_t)pop,
                     testdb_count(f->url, "SELECT count(*) FROM cases WHERE la_code = '801' AND "
                                          "stage NOT IN ('refused', 'no_plan', 'ceased')"));
    draw(f, ROLE_INSPECTOR, 12, 20261102, CASEFILE_BY_NONE, b, &nb, &pop, SH_OK);
    assert_memory_equal(a, b, sizeof a[0] * na);
    draw(f, ROLE_MANAGER, 12, 20261103, CASEFILE_BY_NONE, c, &nc, &pop, SH_OK);
    assert_memory_not_equal(a, c, sizeof a[0] * na);
    for (size_t i = 0; i < na; i++)
        for (size_t j = i + 1; j < na; j++)
            assert_true(a[i] != a[j]);
}

static void test_sample_strata(void **state)
{
    fixture *f = *state;
    int64_t a[SAMPLE_MAX], b[SAMPLE_MAX];
    size_t na, nb, pop;
    draw(f, ROLE_MANAGER, SAMPLE_MAX, 3, CASEFILE_BY_STAGE, a, &na, &pop, SH_OK);
    assert_int_equal(na, SAMPLE_MAX);
    draw(f, ROLE_MANAGER, SAMPLE_MAX, 3, CASEFILE_BY_NEED, b, &nb, &pop, SH_OK);
    assert_int_equal(nb, SAMPLE_MAX);
    /* Most open cases have a plan in force: a stage-spread sample of 20
     * gives them most places, and never more than their share rounded up. */
    int64_t plans = testdb_count(f->url, "SELECT count(*) FROM cases WHERE la_code = '801' "
                                         "AND stage = 'plan'");
    size_t in_plan = 0;
    for (size_t i = 0; i < na; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE id = %lld AND stage = 'plan'",
                 (long long)a[i]);
        in_plan += (size_t)testdb_count(f->url, sql);
    }
    assert_true(in_plan * pop <= (size_t)plans * SAMPLE_MAX + pop);
    assert_true(in_plan * pop + pop >= (size_t)plans * SAMPLE_MAX);
}

static void test_sample_bounds_and_access(void **state)
{
    fixture *f = *state;
    int64_t ids[SAMPLE_MAX];
    size_t n, pop;
    draw(f, ROLE_MANAGER, 0, 1, CASEFILE_BY_NONE, ids, &n, &pop, SH_EINVAL);
    draw(f, ROLE_MANAGER, SAMPLE_MAX + 1, 1, CASEFILE_BY_NONE, ids, &n, &pop, SH_EINVAL);
    draw(f, ROLE_MANAGER, 1, 1, CASEFILE_BY_COUNT, ids, &n, &pop, SH_EINVAL);
    /* Coordinators open case files but have no evidence pack; the rest
     * neither. */
    const app_role refused[] = {ROLE_COORDINATOR, ROLE_HEALTH, ROLE_SOCIAL_CARE, ROLE_SETTING,
                                ROLE_ADMIN, ROLE_PARENT};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        draw(f, refused[i], 5, 1, CASEFILE_BY_NONE, ids, &n, &pop, SH_EDENIED);
        assert_int_equal(n, 0);
    }
}

static void test_casefile_load(void **state)
{
    fixture *f = *state;
    int64_t id = testdb_count(f->url, "SELECT min(v.case_id) FROM plan_versions v JOIN cases c "
                                      "ON c.id = v.case_id WHERE c.la_code = '801'");
    assert_true(id > 0);
    arena *a = arena_create(32u << 20);
    assert_non_null(a);
    app_identity coord = as(ROLE_COORDINATOR), health = as(ROLE_HEALTH);
    app_case_view v;
    app_casefile cf;
    app_error err = {0};
    assert_int_equal(app_case_get(f->s, &coord, id, f->as_of, a, &v, &err), SH_OK);
    assert_int_equal(app_casefile_load(f->s, &coord, &v, f->as_of, a, &cf, &err), SH_OK);
    assert_true(cf.has_latest);
    assert_int_equal(cf.latest.version, cf.plan.versions[cf.plan.n_versions - 1].version);
    assert_true(cf.latest_plan.n_items > 0);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM advice_requests WHERE case_id = %lld",
             (long long)id);
    assert_int_equal((int64_t)cf.n_advice, testdb_count(f->url, sql));
    assert_int_equal(app_casefile_load(f->s, &health, &v, f->as_of, a, &cf, &err), SH_EDENIED);
    assert_non_null(strstr(err.message, "cannot open case files"));
    arena_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_reproducible),
        cmocka_unit_test(test_sample_strata),
        cmocka_unit_test(test_sample_bounds_and_access),
        cmocka_unit_test(test_casefile_load),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
