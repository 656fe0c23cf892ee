/*
 * test_dashboard.c — the dashboard's fold over a stored area
 * (app/dashboard.h): on a small demo area (and on a second area beside it,
 * as demo_national builds them), every figure's drill-down list has exactly
 * as many cases as the figure counts (at most as many, for the figures that
 * count steps: a child may have two reviews due in a year), the parallel
 * fold equals the serial
 * one, areas stay apart, England is their sum, the cache reuses a result
 * only while it is fresh, and the waiting lists by pathway are the figures
 * each pathway's own dashboard shows (app_pathway_stats).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/dashboard.h"
#include "app/demo.h"
#include "testdb.h"
#include "util/err.h"

typedef struct {
    const char *url;
    store *s;
    date_t as_of;
} fixture;

static metrics *fresh(const fixture *f)
{
    static metrics pool[8]; /* a test holds at most 5 at once */
    static int next;
    metrics *m = &pool[next++ % 8];
    assert_int_equal(metrics_init(m, f->as_of, 2021, 2026, NULL, 0), SH_OK);
    return m;
}

static int setup(void **state)
{
    static fixture f;
    f.url = testdb_url();
    assert_int_equal(date_parse("2026-11-22", 10, &f.as_of), SH_OK);
    if (store_open(f.url, &f.s) != SH_OK || store_migrate(f.s) != SH_OK)
        return -1;
    demo_params a = {.seed = 5, .as_of = f.as_of, .la_code = "801", .scale = 0.08,
                     .one_of_many = true, .area_name = "Synthetic area 801"};
    demo_params b = {.seed = 6, .as_of = f.as_of, .la_code = "802", .scale = 0.05,
                     .within_20 = 0.9, .request_rate = 0.6, .one_of_many = true,
                     .area_name = "Synthetic area 802"};
    if (demo_generate(f.s, &a, NULL) != SH_OK || demo_generate(f.s, &b, NULL) != SH_OK)
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

static void check_list(const fixture *f, const metrics *m, metrics_counter k, int period)
{
    static int64_t ids[20000];
    size_t n = 0, total = 0;
    assert_int_equal(dashboard_cases(f->s, "801", m, k, period, ids, 20000, &n, &total), SH_OK);
    char name[48];
    long want = metrics_value(m, k, period);
    if (k == MC_WEEKS_X10 || k == MC_WEEKS_EXC_X10) /* sums: the list is the plans summed */
        want = metrics_value(m, k == MC_WEEKS_X10 ? MC_PLANS : MC_PLANS_EXC, period);
    /* steps, not cases: several of one child's may fall in one period */
    bool per_step = (k >= MC_ADVICE && k < MC_ADVICE_6W + AGENCY_COUNT) ||
                    (k >= MC_REVIEWS_DUE && k <= MC_TRANSFERS_ON_TIME);
    if (per_step ? (long)total > want || (want > 0 && total == 0) : (long)total != want)
        fail_msg("%s in period %d: figure %ld, list %zu",
                 metrics_counter_name(k, name, sizeof name), period, want, total);
    assert_int_equal(n, total);
    for (size_t i = 1; i < n; i++)
        assert_true(ids[i] > ids[i - 1]);
}

static void test_every_figure_equals_its_list(void **state)
{
    fixture *f = *state;
    metrics *m = fresh(f);
    long skipped = -1;
    assert_int_equal(dashboard_compute(f->s, NULL, 1, "801", m, &skipped), SH_OK);
    assert_int_equal(skipped, 0);
    assert_true(metrics_value(m, MC_ACTIVE, METRICS_NOW) > 100);
    assert_true(metrics_value(m, MC_PLANS, metrics_period_year(m, 2025)) > 10);
    int periods[] = {metrics_period_year(m, 2025), metrics_period_month(m, 2026, 3), METRICS_NOW};
    for (int k = 0; k < MC_COUNT; k++)
        for (size_t p = 0; p < sizeof periods / sizeof periods[0]; p++)
            check_list(f, m, (metrics_counter)k, periods[p]);
}

static void test_parallel_equals_serial_and_areas_add_up(void **state)
{
    fixture *f = *state;
    /* areas built to share a database have 7-digit setting URNs 9LLLNNN */
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM settings WHERE length(urn) <> 7"), 0);
    assert_true(testdb_count(f->url, "SELECT count(*) FROM settings WHERE urn LIKE '9802%'") > 0);
    metrics *one = fresh(f), *two = fresh(f), *other = fresh(f), *all = fresh(f);
    long skipped;
    assert_int_equal(dashboard_compute(f->s, NULL, 1, "801", one, &skipped), SH_OK);
    assert_int_equal(dashboard_compute(f->s, f->url, 3, "801", two, &skipped), SH_OK);
    assert_memory_equal(one, two, sizeof *one);
    assert_int_equal(dashboard_compute(f->s, f->url, 2, "802", other, &skipped), SH_OK);
    assert_int_equal(dashboard_compute(f->s, f->url, 2, NULL, all, &skipped), SH_OK);
    assert_int_equal(metrics_merge(other, one), SH_OK);
    assert_memory_equal(other, all, sizeof *all);
    /* the 90% area is the more timely */
    int y = metrics_period_year(all, 2025);
    metrics *b = fresh(f);
    assert_int_equal(dashboard_compute(f->s, NULL, 1, "802", b, &skipped), SH_OK);
    assert_true(metrics_rate_x10(metrics_value(b, MC_PLANS_20W, y), metrics_value(b, MC_PLANS, y)) >
                metrics_rate_x10(metrics_value(one, MC_PLANS_20W, y),
                                 metrics_value(one, MC_PLANS, y)));
}

static void test_cache_reuses_only_while_fresh(void **state)
{
    fixture *f = *state;
    metrics *m = fresh(f);
    static dashboard_waiting w[1];
    int64_t at = 0;
    assert_int_equal(dashboard_compute_cached(f->s, "801", 1000, 60, m, w, &at), SH_OK);
    assert_int_equal(at, 1000);
    long active = metrics_value(m, MC_ACTIVE, METRICS_NOW);
    /* a new plan in force: invisible until the result is 60 s old */
    store_child ch = {.forename = "Test", .surname = "Child", .sen_need = {-1, -1}};
    memcpy(ch.la_code, "801", 4);
    assert_int_equal(date_parse("2015-01-01", 10, &ch.date_of_birth), SH_OK);
    assert_int_equal(store_child_insert(f->s, &ch), SH_OK);
    store_case c = {.child_id = ch.id, .coordinator = ""};
    memcpy(c.la_code, "801", 4);
    c.summary.stage = STAGE_PLAN;
    assert_int_equal(store_case_insert(f->s, &c), SH_OK);
    event e;
    event_init(&e, EV_TRANSFER_IN, f->as_of - 30);
    assert_int_equal(store_event_insert(f->s, "801", c.id, &e, "tester"), SH_OK);
    m = fresh(f);
    assert_int_equal(dashboard_compute_cached(f->s, "801", 1059, 60, m, w, &at), SH_OK);
    assert_int_equal(at, 1000);
    assert_int_equal(metrics_value(m, MC_ACTIVE, METRICS_NOW), active);
    m = fresh(f);
    assert_int_equal(dashboard_compute_cached(f->s, "801", 1060, 60, m, w, &at), SH_OK);
    assert_int_equal(at, 1060);
    assert_int_equal(metrics_value(m, MC_ACTIVE, METRICS_NOW), active + 1);
    /* other periods are another result */
    metrics_period p = {f->as_of - 100, f->as_of};
    metrics *c2 = fresh(f);
    assert_int_equal(metrics_init(c2, f->as_of, 2021, 2026, &p, 1), SH_OK);
    assert_int_equal(dashboard_compute_cached(f->s, "801", 1061, 60, c2, w, &at), SH_OK);
    assert_int_equal(at, 1061);
}

/* Each pathway's row equals what its own dashboard reports, through the
 * cache as the page gets it; a referral made since shows only once the
 * cached result is stale, as the journeys' figures. */
static void test_waiting_lists_equal_the_pathway_pages(void **state)
{
    fixture *f = *state;
    static dashboard_waiting w;
    int64_t at = 0;
    metrics *m = fresh(f);
    assert_int_equal(dashboard_compute_cached(f->s, "802", 5000, 60, m, &w, &at), SH_OK);
    assert_int_equal(w.n, 7); /* the standard pathways the demo sets up */
    app_identity who = {.username = "m.manager", .role = ROLE_MANAGER, .remote = ""};
    memcpy(who.la_code, "802", 4);
    arena *a = arena_create(HEALTH_ARENA_FOR_STATS);
    assert_non_null(a);
    size_t waiting = 0, long_waits = 0;
    for (size_t i = 0; i < w.n; i++) {
        health_pathway_stats st;
        app_error err = {0};
        arena_reset(a);
        assert_int_equal(app_pathway_stats(f->s, &who, w.row[i].pathway_id, f->as_of, 0, a,
                                           &st, &err),
                         SH_OK);
        const wait_summary *x = &w.row[i].waiting, *y = &st.report.waiting;
        assert_string_equal(w.row[i].name, st.pathway.name);
        assert_int_equal(w.row[i].standard_weeks, st.pathway.standard_weeks);
        assert_int_equal(x->count, y->count);
        assert_int_equal(x->within_standard, y->within_standard);
        assert_int_equal(x->median_days, y->median_days);
        assert_int_equal(x->p92_days, y->p92_days);
        assert_memory_equal(x->band, y->band, sizeof x->band);
        waiting += x->count;
        long_waits += x->band[WAIT_BAND_18_52] + x->band[WAIT_BAND_OVER_52];
    }
    assert_true(waiting > 20);   /* the demo's lists are not empty: the test can fail */
    assert_true(long_waits > 0);
    size_t before = w.row[0].waiting.count;
    store_child_query q = {.la_code = "802", .date_of_birth = DATE_NONE, .limit = 1};
    store_child *kids;
    size_t n, total;
    assert_int_equal(store_child_find(f->s, &q, a, &kids, &n, &total), SH_OK);
    assert_int_equal(n, 1);
    store_referral r = {.child_id = kids[0].id, .pathway_id = w.row[0].pathway_id,
                        .referrer = "GP", .referral_date = f->as_of - 3,
                        .triage_date = DATE_NONE, .first_contact = DATE_NONE,
                        .assessment_started = DATE_NONE, .assessment_completed = DATE_NONE,
                        .discharged = DATE_NONE, .outcome = "", .outcome_code = ""};
    memcpy(r.la_code, "802", 4);
    assert_int_equal(store_referral_insert(f->s, &r), SH_OK);
    m = fresh(f);
    assert_int_equal(dashboard_compute_cached(f->s, "802", 5059, 60, m, &w, &at), SH_OK);
    assert_int_equal(w.row[0].waiting.count, before);
    m = fresh(f);
    assert_int_equal(dashboard_compute_cached(f->s, "802", 5060, 60, m, &w, &at), SH_OK);
    assert_int_equal(w.row[0].waiting.count, before + 1);
    arena_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_figure_equals_its_list),
        cmocka_unit_test(test_parallel_equals_serial_and_areas_add_up),
        cmocka_unit_test(test_cache_reuses_only_while_fresh),
        cmocka_unit_test(test_waiting_lists_equal_the_pathway_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
