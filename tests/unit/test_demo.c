/*
 * test_demo.c — the synthetic local area generator (app/demo.h).
 *
 * Generates small areas (scale 0.1: ~250 active plans) into temporary
 * databases and checks what the demo promises: the same parameters give the
 * same data, another seed other data, every journey validates and nothing is
 * dated after as_of, the cached summaries match the event log, the shares
 * look like an English local area, and every identifier passes its check.
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

#include "app/demo.h"
#include "core/ident.h"
#include "core/journey.h"
#include "store/store.h"
#include "util/err.h"

#define SCALE 0.1
#define ARENA_LIMIT (16u << 20)

typedef struct {
    char path[64];
    store *s;
    arena *a;
} db;

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static void db_open(db *x)
{
    snprintf(x->path, sizeof x->path, "/tmp/sendhub-test-demo-XXXXXX");
    int fd = mkstemp(x->path);
    assert_true(fd >= 0);
    close(fd);
    x->a = arena_create(ARENA_LIMIT);
    assert_non_null(x->a);
    assert_int_equal(store_open(x->path, &x->s), SH_OK);
    assert_int_equal(store_migrate(x->s), SH_OK);
}

static void db_close(db *x)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    store_close(x->s);
    arena_destroy(x->a);
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[80];
        snprintf(p, sizeof p, "%s%s", x->path, suffix[i]);
        unlink(p);
    }
}

static demo_params params(uint64_t seed)
{
    return (demo_params){.seed = seed, .as_of = D(2025, 11, 22), .la_code = NULL,
                         .scale = SCALE};
}

/* ---- digests: FNV-1a over every stored field that the generator decides -- */

static void fnv(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ b[i]) * 0x100000001b3ULL;
}

static void fnv_int(uint64_t *h, int64_t v) { fnv(h, &v, sizeof v); }
static void fnv_str(uint64_t *h, const char *s) { fnv(h, s, strlen(s) + 1); }

/* What a scan of every journey finds (timelines recomputed from the log). */
typedef struct {
    store *s;
    date_t as_of;
    arena *a;
    uint64_t digest;
    long cases, events, invalid, after_as_of, summary_mismatch;
    long decisions, refusals, finals, within_20, overdue_reviews, exceptions;
} scan;

static void digest_event(uint64_t *h, const event *e)
{
    int64_t fields[] = {e->type,        e->date,          e->agency,
                        e->outcome,     e->exception,     e->cease_reason,
                        e->transfer_year, e->transfer_to, e->supersedes};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        fnv_int(h, fields[i]);
}

static void tally_timeline(scan *x, const journey_timeline *t)
{
    if (t->within_20_weeks >= 0) {
        x->finals++;
        x->within_20 += t->within_20_weeks;
    }
    x->exceptions += t->exceptions_apply;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (strcmp(journey_rule_key(d->rule), "annual_review") == 0 &&
            d->status == STEP_OVERDUE) {
            x->overdue_reviews++;
            break;
        }
    }
}

/* The summary cached on the case must be what the log gives. */
static void check_summary(scan *x, int64_t case_id, const journey_timeline *t, size_t n)
{
    store_case c;
    if (store_case_get(x->s, DEMO_DEFAULT_LA, case_id, x->a, &c) != SH_OK ||
        c.summary.stage != t->stage || c.summary.next_due != t->next_due ||
        c.summary.within_20_weeks != t->within_20_weeks ||
        c.summary.final_plan_date != t->final_plan_date ||
        c.summary.event_count != (int)n)
        x->summary_mismatch++;
}

static int scan_one(void *ctx, int64_t case_id, const char *la_code, const event *ev,
                    size_t n)
{
    scan *x = ctx;
    (void)la_code;
    x->cases++;
    x->events += (long)n;
    fnv_int(&x->digest, case_id);
    for (size_t i = 0; i < n; i++) {
        digest_event(&x->digest, &ev[i]);
        x->after_as_of += ev[i].date > x->as_of;
        if (ev[i].type == EV_DECISION_TO_ASSESS) {
            x->decisions++;
            x->refusals += ev[i].outcome == OUTCOME_REFUSE;
        }
    }
    journey_error je;
    journey_timeline t;
    arena_reset(x->a);
    if (journey_validate(ev, n, &je) != SH_OK ||
        journey_compute(ev, n, x->as_of, x->a, &t, &je) != SH_OK) {
        x->invalid++;
        return 0;
    }
    tally_timeline(x, &t);
    check_summary(x, case_id, &t, n);
    return 0;
}

static scan scan_area(db *x, date_t as_of)
{
    scan sc = {.s = x->s, .as_of = as_of, .digest = 0xcbf29ce484222325ULL};
    sc.a = arena_create(ARENA_LIMIT);
    assert_non_null(sc.a);
    assert_int_equal(store_journeys_scan(x->s, DEMO_DEFAULT_LA, 0, INT64_MAX, x->a, scan_one, &sc),
                     SH_OK);
    arena_destroy(sc.a);
    return sc;
}

/* Calls fn on every child of the area, a page at a time. */
static void each_child(db *x, const char *la, void (*fn)(void *, const store_child *),
                       void *ctx)
{
    store_child_query q = {.la_code = la, .date_of_birth = DATE_NONE,
                           .limit = STORE_PAGE_MAX};
    for (;;) {
        store_child *page;
        size_t n, total;
        arena_reset(x->a);
        assert_int_equal(store_child_find(x->s, &q, x->a, &page, &n, &total), SH_OK);
        for (size_t i = 0; i < n; i++)
            fn(ctx, &page[i]);
        if (n < STORE_PAGE_MAX)
            return;
        q.offset += n;
    }
}

static void digest_child(void *ctx, const store_child *c)
{
    uint64_t *h = ctx;
    fnv_str(h, c->forename);
    fnv_str(h, c->surname);
    fnv_str(h, c->upn);
    fnv_str(h, c->nhs_number);
    fnv_str(h, c->postcode);
    fnv_str(h, c->setting_urn);
    fnv_int(h, c->date_of_birth);
    fnv_int(h, c->sen_need[0]);
    fnv_int(h, c->sen_need[1]);
}

/* ---- tests ---------------------------------------------------------------- */

static void generate(db *x, uint64_t seed, demo_stats *st)
{
    db_open(x);
    demo_params p = params(seed);
    assert_int_equal(demo_generate(x->s, &p, st), SH_OK);
}

static void test_same_seed_same_data(void **state)
{
    (void)state;
    db a, b;
    demo_stats sa, sb;
    generate(&a, 7, &sa);
    generate(&b, 7, &sb);
    assert_memory_equal(&sa, &sb, sizeof sa);
    scan xa = scan_area(&a, D(2025, 11, 22)), xb = scan_area(&b, D(2025, 11, 22));
    assert_true(xa.digest == xb.digest);
    uint64_t ca = 0xcbf29ce484222325ULL, cb = ca;
    each_child(&a, DEMO_DEFAULT_LA, digest_child, &ca);
    each_child(&b, DEMO_DEFAULT_LA, digest_child, &cb);
    assert_true(ca == cb);
    db_close(&a);
    db_close(&b);
}

static void test_other_seed_other_data(void **state)
{
    (void)state;
    db a, b;
    demo_stats sa, sb;
    generate(&a, 7, &sa);
    generate(&b, 8, &sb);
    scan xa = scan_area(&a, D(2025, 11, 22)), xb = scan_area(&b, D(2025, 11, 22));
    assert_true(xa.digest != xb.digest);
    uint64_t ca = 0xcbf29ce484222325ULL, cb = ca;
    each_child(&a, DEMO_DEFAULT_LA, digest_child, &ca);
    each_child(&b, DEMO_DEFAULT_LA, digest_child, &cb);
    assert_true(ca != cb);
    db_close(&a);
    db_close(&b);
}

/* Every journey validates, nothing is dated after as_of, the cached
 * summaries agree with the log, and the stats count what is stored. */
static void test_journeys_valid(void **state)
{
    (void)state;
    db x;
    demo_stats st;
    generate(&x, 1, &st);
    scan sc = scan_area(&x, D(2025, 11, 22));
    assert_int_equal(sc.invalid, 0);
    assert_int_equal(sc.after_as_of, 0);
    assert_int_equal(sc.summary_mismatch, 0);
    assert_int_equal(sc.cases, st.cases);
    assert_int_equal(sc.events, st.events);
    assert_int_equal(sc.overdue_reviews, st.overdue_reviews);
    assert_int_equal(st.active_plans + st.in_progress + st.ceased + st.refused + st.no_plan,
                     st.cases);
    db_close(&x);
}

/* Shares like an English local area (facts §3.4): about half of plans within
 * 20 weeks, about a fifth of requests refused, ~250 active plans at this
 * scale, requests growing year on year, some reviews overdue, exceptions. */
static void test_shape(void **state)
{
    (void)state;
    db x;
    demo_stats st;
    generate(&x, 1, &st);
    scan sc = scan_area(&x, D(2025, 11, 22));
    assert_true(sc.finals > 100);
    double within = (double)sc.within_20 / (double)sc.finals;
    double refused = (double)sc.refusals / (double)sc.decisions;
    assert_true(within >= 0.35 && within <= 0.65);
    assert_true(refused >= 0.15 && refused <= 0.30);
    assert_true(st.active_plans >= 250 && st.active_plans <= 260);
    assert_true(st.overdue_reviews > st.active_plans / 20 &&
                st.overdue_reviews < st.active_plans / 3);
    assert_true(sc.exceptions > 0 && st.exceptions > 0);
    assert_true(st.in_progress > 0 && st.ceased > 0 && st.transfers_in > 0);
    assert_true(st.requests[0] > st.requests[2]);
    assert_true(st.requests[1] >= 70 && st.requests[1] <= 110);
    assert_true(st.settings >= 6 && st.coordinators >= 1);
    assert_true(st.children - st.health_children <= st.cases);
    /* health waiting lists (issue 5): thousands of referrals at full scale */
    assert_true(st.referrals > 100 && st.referrals_waiting > 10);
    assert_true(st.health_children > 0 && st.health_children < st.children);
    db_close(&x);
}

typedef struct {
    db *x;
    date_t as_of;
    const char *la;
    long children, with_upn, bad, unknown_setting;
} id_check;

static void check_child(void *ctx, const store_child *c)
{
    id_check *k = ctx;
    char upn[IDENT_UPN_LEN + 1], nhs[IDENT_NHS_LEN + 1], pc[IDENT_POSTCODE_MAX + 1];
    k->children++;
    if (c->upn[0]) {
        k->with_upn++;
        k->bad += ident_upn_normalise(c->upn, strlen(c->upn), upn, NULL, NULL) != SH_OK ||
                  memcmp(c->upn + 1, k->la, 3) != 0;
    }
    k->bad += ident_nhs_normalise(c->nhs_number, strlen(c->nhs_number), nhs, NULL) != SH_OK ||
              memcmp(nhs, "999", 3) != 0;
    k->bad += ident_postcode_normalise(c->postcode, strlen(c->postcode), pc, NULL) != SH_OK;
    k->bad += !ident_sen_type_valid_for_plan((sen_type)c->sen_need[0]) ||
              c->sen_need[0] == c->sen_need[1];
    k->bad += c->date_of_birth > k->as_of ||
              c->date_of_birth <= date_add_months(k->as_of, -26 * 12);
    if (c->setting_urn[0]) {
        const char *name;
        k->bad += ident_urn_validate(c->setting_urn, strlen(c->setting_urn), NULL) != SH_OK;
        /* a second arena: the page being walked lives in x->a */
        arena *a = arena_create(4096);
        k->unknown_setting += store_setting_name(k->x->s, c->setting_urn, a, &name) != SH_OK;
        arena_destroy(a);
    }
}

static void test_identifiers_valid(void **state)
{
    (void)state;
    db x;
    demo_stats st;
    generate(&x, 3, &st);
    id_check k = {.x = &x, .as_of = D(2025, 11, 22), .la = DEMO_DEFAULT_LA};
    each_child(&x, DEMO_DEFAULT_LA, check_child, &k);
    assert_int_equal(k.children, st.children);
    assert_int_equal(k.bad, 0);
    assert_int_equal(k.unknown_setting, 0);
    assert_true(k.with_upn > k.children / 2);
    db_close(&x);
}

static void test_rejects_bad_parameters(void **state)
{
    (void)state;
    db x;
    db_open(&x);
    demo_params p = params(1);
    p.scale = 0;
    assert_int_equal(demo_generate(x.s, &p, NULL), SH_EINVAL);
    p = params(1);
    p.as_of = DATE_NONE;
    assert_int_equal(demo_generate(x.s, &p, NULL), SH_EINVAL);
    p = params(1);
    p.la_code = "99";
    assert_int_equal(demo_generate(x.s, &p, NULL), SH_EINVAL);
    p = params(1);
    p.scale = DEMO_SCALE_MAX * 2;
    assert_int_equal(demo_generate(x.s, &p, NULL), SH_EINVAL);
    scan sc = scan_area(&x, D(2025, 11, 22));
    assert_int_equal(sc.cases, 0);
    db_close(&x);
}

/* A second run for the same area is refused and changes nothing; another LA
 * code builds a second, separate area in the same database. */
static void test_one_area_once(void **state)
{
    (void)state;
    db x;
    demo_stats st, other;
    generate(&x, 1, &st);
    demo_params p = params(2);
    assert_int_equal(demo_generate(x.s, &p, NULL), SH_ECONFLICT);
    scan sc = scan_area(&x, D(2025, 11, 22));
    assert_int_equal(sc.cases, st.cases);
    p.la_code = "991";
    assert_int_equal(demo_generate(x.s, &p, &other), SH_OK);
    id_check k = {.x = &x, .as_of = D(2025, 11, 22), .la = "991"};
    each_child(&x, "991", check_child, &k);
    assert_int_equal(k.children, other.children);
    assert_int_equal(k.bad, 0);
    assert_int_equal(k.unknown_setting, 0);
    sc = scan_area(&x, D(2025, 11, 22));
    assert_int_equal(sc.cases, st.cases);
    db_close(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_data),
        cmocka_unit_test(test_other_seed_other_data),
        cmocka_unit_test(test_journeys_valid),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_identifiers_valid),
        cmocka_unit_test(test_rejects_bad_parameters),
        cmocka_unit_test(test_one_area_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
