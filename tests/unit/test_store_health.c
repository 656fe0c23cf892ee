/*
 * test_store_health.c — pathways, referrals and clock stops
 * (store/store_health.h) on SQLite, and on PostgreSQL when SENDHUB_TEST_PG
 * names a server (testdb.h): one SQL text, both backends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/wait.h"
#include "store/store.h"
#include "store/store_health.h"
#include "testdb.h"
#include "util/arena.h"
#include "util/err.h"

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t child, other_child; /* in area 202; other_child in 203 */
    int64_t autism, slt;        /* pathways of 202 */
} fixture;

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static int64_t add_child(store *s, const char *la, const char *forename)
{
    store_child c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "%s", la);
    c.forename = forename;
    c.surname = "Testchild";
    c.date_of_birth = D(2016, 3, 1);
    c.sen_need[0] = c.sen_need[1] = -1;
    assert_int_equal(store_child_insert(s, &c), SH_OK);
    return c.id;
}

static store_pathway pathway(const char *la, const char *code, const char *name,
                             wait_milestone stop, int weeks)
{
    store_pathway p;
    memset(&p, 0, sizeof p);
    snprintf(p.la_code, sizeof p.la_code, "%s", la);
    snprintf(p.code, sizeof p.code, "%s", code);
    p.name = name;
    p.provider = "Northshire Community Health NHS Trust";
    p.standard_weeks = weeks;
    p.clock_stop = stop;
    p.capacity_per_week = 12;
    p.active = true;
    return p;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(64u << 20);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
        return -1;
    f->child = add_child(f->s, "202", "Ada");
    f->other_child = add_child(f->s, "203", "Ben");
    store_pathway p = pathway("202", "autism", "Autism assessment (under 18)",
                              WAIT_STOP_ASSESSMENT_STARTED, 13);
    store_pathway q = pathway("202", "slt", "Speech and language therapy",
                              WAIT_STOP_FIRST_CONTACT, 18);
    if (store_pathway_put(f->s, &p) != SH_OK || store_pathway_put(f->s, &q) != SH_OK)
        return -1;
    f->autism = p.id;
    f->slt = q.id;
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

static store_referral referral(const fixture *f, int64_t pathway_id, date_t referred)
{
    store_referral r;
    memset(&r, 0, sizeof r);
    snprintf(r.la_code, sizeof r.la_code, "202");
    r.child_id = f->child;
    r.pathway_id = pathway_id;
    r.referrer = "GP";
    r.referral_date = referred;
    r.triage_date = r.first_contact = r.assessment_started = DATE_NONE;
    r.assessment_completed = r.discharged = DATE_NONE;
    r.triage_reason = r.outcome = r.outcome_code = "";
    return r;
}

static int64_t add_referral(fixture *f, int64_t pathway_id, date_t referred)
{
    store_referral r = referral(f, pathway_id, referred);
    assert_int_equal(store_referral_insert(f->s, &r), SH_OK);
    return r.id;
}

/* ---- pathways ----------------------------------------------------------- */

static void test_pathway_put_get_list(void **state)
{
    fixture *f = *state;
    store_pathway g;
    assert_int_equal(store_pathway_get(f->s, "202", f->autism, f->a, &g), SH_OK);
    assert_string_equal(g.code, "autism");
    assert_string_equal(g.name, "Autism assessment (under 18)");
    assert_int_equal(g.standard_weeks, 13);
    assert_int_equal(g.clock_stop, WAIT_STOP_ASSESSMENT_STARTED);
    assert_int_equal(g.capacity_per_week, 12);
    assert_true(g.active);

    /* put again with the same code updates in place */
    store_pathway p = pathway("202", "autism", "Autism assessment", WAIT_STOP_ASSESSMENT_STARTED,
                              13);
    p.capacity_per_week = 20;
    p.active = false;
    assert_int_equal(store_pathway_put(f->s, &p), SH_OK);
    assert_int_equal(p.id, f->autism);
    assert_int_equal(store_pathway_by_code(f->s, "202", "autism", f->a, &g), SH_OK);
    assert_int_equal(g.capacity_per_week, 20);
    assert_false(g.active);

    store_pathway *rows;
    size_t n;
    assert_int_equal(store_pathway_list(f->s, "202", false, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].name, "Autism assessment"); /* by name */
    assert_string_equal(rows[1].code, "slt");
    assert_int_equal(store_pathway_list(f->s, "202", true, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].code, "slt");

    /* tenancy: another area sees none of them */
    assert_int_equal(store_pathway_get(f->s, "203", f->autism, f->a, &g), SH_ENOTFOUND);
    assert_int_equal(store_pathway_list(f->s, "203", false, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 0);
    /* the same code in another area is another pathway */
    store_pathway other = pathway("203", "autism", "Autism", WAIT_STOP_ASSESSMENT_STARTED, 13);
    assert_int_equal(store_pathway_put(f->s, &other), SH_OK);
    assert_true(other.id != f->autism);

    store_pathway bad = pathway("202", "Bad Code", "x", WAIT_STOP_FIRST_CONTACT, 18);
    assert_int_equal(store_pathway_put(f->s, &bad), SH_EINVAL);
    bad = pathway("202", "ok", "x", WAIT_STOP_FIRST_CONTACT, 0);
    assert_int_equal(store_pathway_put(f->s, &bad), SH_EINVAL);
    bad = pathway("202", "ok", "", WAIT_STOP_FIRST_CONTACT, 18);
    assert_int_equal(store_pathway_put(f->s, &bad), SH_EINVAL);
}

/* ---- referrals ---------------------------------------------------------- */

static void test_referral_round_trip_and_milestones(void **state)
{
    fixture *f = *state;
    store_referral r = referral(f, f->autism, D(2025, 3, 10));
    r.referrer = "School SENCo";
    r.priority = WAIT_PRIORITY_URGENT;
    assert_int_equal(store_referral_insert(f->s, &r), SH_OK);
    assert_true(r.id > 0);
    assert_true(r.created_at > 0);

    store_referral g;
    assert_int_equal(store_referral_get(f->s, "202", r.id, f->a, &g), SH_OK);
    assert_int_equal(g.child_id, f->child);
    assert_int_equal(g.pathway_id, f->autism);
    assert_string_equal(g.referrer, "School SENCo");
    assert_int_equal(g.referral_date, D(2025, 3, 10));
    assert_int_equal(g.priority, WAIT_PRIORITY_URGENT);
    assert_int_equal(g.triage, WAIT_TRIAGE_PENDING);
    assert_int_equal(g.triage_date, DATE_NONE);
    assert_string_equal(g.triage_reason, "");
    assert_int_equal(g.first_contact, DATE_NONE);
    assert_string_equal(g.outcome, "");

    /* each milestone in turn */
    g.triage = WAIT_TRIAGE_ACCEPTED;
    g.triage_date = D(2025, 3, 20);
    assert_int_equal(store_referral_update(f->s, &g), SH_OK);
    g.first_contact = D(2025, 6, 2);
    assert_int_equal(store_referral_update(f->s, &g), SH_OK);
    g.assessment_started = D(2026, 1, 12);
    g.assessment_completed = D(2026, 2, 23);
    g.outcome = "Autism spectrum disorder diagnosed; report shared with family";
    g.outcome_code = "F84.0";
    g.discharged = D(2026, 3, 2);
    assert_int_equal(store_referral_update(f->s, &g), SH_OK);

    store_referral h;
    assert_int_equal(store_referral_get(f->s, "202", r.id, f->a, &h), SH_OK);
    assert_int_equal(h.triage, WAIT_TRIAGE_ACCEPTED);
    assert_int_equal(h.triage_date, D(2025, 3, 20));
    assert_int_equal(h.first_contact, D(2025, 6, 2));
    assert_int_equal(h.assessment_started, D(2026, 1, 12));
    assert_int_equal(h.assessment_completed, D(2026, 2, 23));
    assert_string_equal(h.outcome_code, "F84.0");
    assert_int_equal(h.discharged, D(2026, 3, 2));
    assert_string_equal(h.referrer, "School SENCo");

    /* another area's view, and an update from it */
    assert_int_equal(store_referral_get(f->s, "203", r.id, f->a, &g), SH_ENOTFOUND);
    h.la_code[2] = '3';
    assert_int_equal(store_referral_update(f->s, &h), SH_ENOTFOUND);
}

static void test_referral_rules(void **state)
{
    fixture *f = *state;
    store_referral r = referral(f, f->autism, D(2025, 3, 10));
    r.first_contact = D(2025, 3, 9); /* before the referral */
    assert_int_equal(store_referral_insert(f->s, &r), SH_EINVAL);
    r = referral(f, f->autism, D(2025, 3, 10));
    r.triage = WAIT_TRIAGE_REJECTED;
    r.triage_date = D(2025, 3, 12);
    assert_int_equal(store_referral_insert(f->s, &r), SH_EINVAL); /* no reason */
    r.triage_reason = "Does not meet the criteria: redirected to the GP";
    assert_int_equal(store_referral_insert(f->s, &r), SH_OK);
    r = referral(f, f->autism, D(2025, 3, 10));
    r.triage = WAIT_TRIAGE_ACCEPTED; /* no triage date */
    assert_int_equal(store_referral_insert(f->s, &r), SH_EINVAL);
    r = referral(f, f->autism, D(2025, 3, 10));
    r.assessment_completed = D(2025, 4, 1); /* completed, never started */
    assert_int_equal(store_referral_insert(f->s, &r), SH_EINVAL);
    r = referral(f, f->autism, D(2025, 3, 10));
    r.referrer = "";
    assert_int_equal(store_referral_insert(f->s, &r), SH_EINVAL);

    /* a child or pathway of another area is not there */
    r = referral(f, f->autism, D(2025, 3, 10));
    r.child_id = f->other_child;
    assert_int_equal(store_referral_insert(f->s, &r), SH_ENOTFOUND);
    r = referral(f, 999999, D(2025, 3, 10));
    assert_int_equal(store_referral_insert(f->s, &r), SH_ENOTFOUND);
}

static void test_referral_lists(void **state)
{
    fixture *f = *state;
    int64_t a1 = add_referral(f, f->autism, D(2025, 1, 6));
    int64_t a2 = add_referral(f, f->autism, D(2025, 2, 3));
    int64_t s1 = add_referral(f, f->slt, D(2025, 2, 10));
    store_referral r;
    /* a2 seen (assessment started), s1 rejected, a1 waiting */
    assert_int_equal(store_referral_get(f->s, "202", a2, f->a, &r), SH_OK);
    r.triage = WAIT_TRIAGE_ACCEPTED;
    r.triage_date = D(2025, 2, 10);
    r.assessment_started = D(2025, 9, 1);
    assert_int_equal(store_referral_update(f->s, &r), SH_OK);
    assert_int_equal(store_referral_get(f->s, "202", s1, f->a, &r), SH_OK);
    r.triage = WAIT_TRIAGE_REJECTED;
    r.triage_date = D(2025, 2, 20);
    r.triage_reason = "Needs met by the school's SALT programme";
    assert_int_equal(store_referral_update(f->s, &r), SH_OK);

    store_referral *rows;
    size_t n, total;
    assert_int_equal(store_referral_list_child(f->s, "202", f->child, false, f->a, &rows, &n),
                     SH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, s1); /* newest first */
    assert_int_equal(rows[2].id, a1);
    assert_int_equal(store_referral_list_child(f->s, "202", f->child, true, f->a, &rows, &n),
                     SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_referral_list_child(f->s, "203", f->child, false, f->a, &rows, &n),
                     SH_OK);
    assert_int_equal(n, 0);

    store_referral_query q = {.la_code = "202", .pathway_id = f->autism,
                              .state = STORE_REFERRAL_ANY, .triage = -1,
                              .referred_from = DATE_NONE, .referred_to = DATE_NONE,
                              .limit = 1};
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, a1); /* oldest first */
    q.offset = 1;
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(rows[0].id, a2);
    q.offset = 0;
    q.limit = 50;
    q.state = STORE_REFERRAL_WAITING;
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, a1);
    q.state = STORE_REFERRAL_OPEN;
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, 2);
    q.state = STORE_REFERRAL_ANY;
    q.triage = WAIT_TRIAGE_ACCEPTED;
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, a2);
    q.triage = -1;
    q.referred_from = D(2025, 1, 7);
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, 1);
    q.referred_from = DATE_NONE;
    q.referred_to = D(2025, 1, 6);
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, 1);
    q.pathway_id = f->slt;
    q.referred_to = DATE_NONE;
    q.state = STORE_REFERRAL_CLOSED;
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, s1);
    q.limit = 0;
    assert_int_equal(store_referral_list(f->s, &q, f->a, &rows, &n, &total), SH_EINVAL);
}

static void test_referral_queue_position(void **state)
{
    fixture *f = *state;
    int64_t r1 = add_referral(f, f->autism, D(2025, 1, 6));
    int64_t r2 = add_referral(f, f->autism, D(2025, 1, 6)); /* same day: by id */
    int64_t r3 = add_referral(f, f->autism, D(2025, 3, 1));
    store_referral u = referral(f, f->autism, D(2025, 5, 1));
    u.priority = WAIT_PRIORITY_URGENT;
    assert_int_equal(store_referral_insert(f->s, &u), SH_OK);
    add_referral(f, f->slt, D(2024, 1, 1)); /* another pathway's queue */

    size_t pos, waiting[WAIT_PRIORITY_COUNT];
    assert_int_equal(store_referral_queue(f->s, "202", r2, &pos, waiting), SH_OK);
    assert_int_equal(pos, 2);
    assert_int_equal(waiting[WAIT_PRIORITY_ROUTINE], 3);
    assert_int_equal(waiting[WAIT_PRIORITY_URGENT], 1);
    assert_int_equal(store_referral_queue(f->s, "202", u.id, &pos, waiting), SH_OK);
    assert_int_equal(pos, 1);

    /* r1 is seen: r2 and r3 move up, r1 has no place */
    store_referral r;
    assert_int_equal(store_referral_get(f->s, "202", r1, f->a, &r), SH_OK);
    r.triage = WAIT_TRIAGE_ACCEPTED;
    r.triage_date = D(2025, 1, 10);
    r.assessment_started = D(2025, 6, 1);
    assert_int_equal(store_referral_update(f->s, &r), SH_OK);
    assert_int_equal(store_referral_queue(f->s, "202", r3, &pos, waiting), SH_OK);
    assert_int_equal(pos, 2);
    assert_int_equal(waiting[WAIT_PRIORITY_ROUTINE], 2);
    assert_int_equal(store_referral_queue(f->s, "202", r1, &pos, waiting), SH_OK);
    assert_int_equal(pos, 0);
    assert_int_equal(store_referral_queue(f->s, "203", r3, &pos, waiting), SH_ENOTFOUND);
}

/* ---- clock stops -------------------------------------------------------- */

static store_clock_stop stop_at(int64_t referral_id, date_t stopped, date_t restarted)
{
    store_clock_stop c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "202");
    c.referral_id = referral_id;
    c.stopped = stopped;
    c.restarted = restarted;
    c.reason = "Family declined two appointments offered";
    return c;
}

static void test_clock_stops(void **state)
{
    fixture *f = *state;
    int64_t r = add_referral(f, f->slt, D(2025, 1, 6));
    store_clock_stop c = stop_at(r, D(2025, 2, 1), D(2025, 2, 15));
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_OK);
    assert_true(c.id > 0);
    c = stop_at(r, D(2025, 2, 10), D(2025, 3, 1)); /* overlaps */
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_ECONFLICT);
    c = stop_at(r, D(2025, 1, 1), DATE_NONE); /* before the referral */
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_EINVAL);
    c = stop_at(r, D(2025, 4, 1), D(2025, 4, 1)); /* restart not after stop */
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_EINVAL);
    c = stop_at(r, D(2025, 4, 1), DATE_NONE);
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_OK);
    c = stop_at(r, D(2025, 5, 1), DATE_NONE); /* a second open stop */
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_ECONFLICT);
    c = stop_at(r, D(2025, 2, 20), D(2025, 3, 1)); /* a past stop that fits */
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_OK);
    c = stop_at(r, D(2025, 2, 20), DATE_NONE);
    c.la_code[2] = '3';
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_ENOTFOUND);

    assert_int_equal(store_clock_stop_restart(f->s, "202", r, D(2025, 4, 1)), SH_EINVAL);
    assert_int_equal(store_clock_stop_restart(f->s, "202", r, D(2025, 4, 22)), SH_OK);
    assert_int_equal(store_clock_stop_restart(f->s, "202", r, D(2025, 5, 1)), SH_ENOTFOUND);

    store_clock_stop *rows;
    size_t n;
    assert_int_equal(store_clock_stop_list(f->s, "202", r, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].stopped, D(2025, 2, 1));
    assert_int_equal(rows[1].stopped, D(2025, 2, 20));
    assert_int_equal(rows[2].restarted, D(2025, 4, 22));
    assert_string_equal(rows[2].reason, "Family declined two appointments offered");
    assert_int_equal(store_clock_stop_list(f->s, "203", r, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 0);
}

/* ---- bulk read ---------------------------------------------------------- */

static void test_bulk_load_feeds_the_report(void **state)
{
    fixture *f = *state;
    /* inserted out of date order: the load orders them */
    int64_t late = add_referral(f, f->autism, D(2025, 6, 2));
    int64_t early = add_referral(f, f->autism, D(2025, 1, 6));
    int64_t mid = add_referral(f, f->autism, D(2025, 3, 3));
    add_referral(f, f->slt, D(2025, 1, 1));
    store_referral r;
    assert_int_equal(store_referral_get(f->s, "202", mid, f->a, &r), SH_OK);
    r.triage = WAIT_TRIAGE_REDIRECTED;
    r.triage_date = D(2025, 3, 10);
    r.triage_reason = "Redirected to CAMHS";
    r.priority = WAIT_PRIORITY_URGENT;
    assert_int_equal(store_referral_update(f->s, &r), SH_OK);
    assert_int_equal(store_referral_get(f->s, "202", early, f->a, &r), SH_OK);
    r.triage = WAIT_TRIAGE_ACCEPTED;
    r.triage_date = D(2025, 1, 13);
    r.first_contact = D(2025, 2, 3);
    r.assessment_started = D(2025, 9, 1);
    assert_int_equal(store_referral_update(f->s, &r), SH_OK);
    store_clock_stop c = stop_at(late, D(2025, 7, 1), D(2025, 7, 15));
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_OK);
    c = stop_at(early, D(2025, 4, 1), D(2025, 4, 8));
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_OK);
    c = stop_at(late, D(2025, 8, 1), DATE_NONE);
    assert_int_equal(store_clock_stop_insert(f->s, &c), SH_OK);

    wait_set set;
    assert_int_equal(store_referrals_load(f->s, "202", f->autism, f->a, &set), SH_OK);
    assert_int_equal(set.n, 3);
    assert_int_equal(set.n_stops, 3);
    assert_int_equal(set.refs[0].id, early);
    assert_int_equal(set.refs[1].id, mid);
    assert_int_equal(set.refs[2].id, late);
    /* only the pathway's own milestone, and triage dates that end a wait */
    assert_int_equal(set.refs[0].first_contact, DATE_NONE);
    assert_int_equal(set.refs[0].assessment_started, D(2025, 9, 1));
    assert_int_equal(set.refs[0].triaged, DATE_NONE);
    assert_int_equal(set.refs[0].triage, WAIT_TRIAGE_ACCEPTED);
    assert_int_equal(set.refs[1].triage, WAIT_TRIAGE_REDIRECTED);
    assert_int_equal(set.refs[1].triaged, D(2025, 3, 10));
    assert_int_equal(set.refs[1].priority, WAIT_PRIORITY_URGENT);
    assert_int_equal(set.refs[2].triage, WAIT_TRIAGE_PENDING);
    assert_int_equal(set.refs[0].stop_count, 1);
    assert_int_equal(set.refs[1].stop_count, 0);
    assert_int_equal(set.refs[2].stop_count, 2);
    assert_int_equal(set.stops[set.refs[0].stop_first].stopped, D(2025, 4, 1));
    assert_int_equal(set.stops[set.refs[2].stop_first].stopped, D(2025, 7, 1));
    assert_int_equal(set.stops[set.refs[2].stop_first + 1].restarted, DATE_NONE);

    /* early waited 238 days less 7 stopped; late 91 days less 14 and 31 */
    assert_int_equal(wait_days(&set.refs[0], set.stops, D(2025, 9, 1)), 231);
    wait_params p = {.as_of = D(2025, 9, 1), .clock_stop = WAIT_STOP_ASSESSMENT_STARTED,
                     .standard_weeks = 13, .window_from = D(2025, 1, 1)};
    wait_report rep;
    assert_int_equal(wait_report_compute(&set, &p, f->a, &rep), SH_OK);
    assert_int_equal(rep.waiting.count, 1);
    assert_int_equal(rep.waiting.median_days, 91 - 14 - 31);
    assert_int_equal(rep.paused, 1);
    assert_int_equal(rep.seen.count, 1);
    assert_int_equal(rep.seen.median_days, 231);
    assert_int_equal(rep.left_unseen, 1);

    /* since 2 March 2025: early (seen 1 Sep) and late stay; mid, redirected
     * on 10 March, stays too; since 11 March it is left out */
    assert_int_equal(store_referrals_load_since(f->s, "202", f->autism, D(2025, 3, 2), f->a,
                                                &set), SH_OK);
    assert_int_equal(set.n, 3);
    assert_int_equal(store_referrals_load_since(f->s, "202", f->autism, D(2025, 3, 11), f->a,
                                                &set), SH_OK);
    assert_int_equal(set.n, 2);
    assert_int_equal(set.refs[0].id, early);
    assert_int_equal(set.refs[1].id, late);
    assert_int_equal(set.stops[set.refs[1].stop_first].stopped, D(2025, 7, 1));
    assert_int_equal(store_referrals_load_since(f->s, "202", f->autism, D(2025, 9, 2), f->a,
                                                &set), SH_OK);
    assert_int_equal(set.n, 1); /* early was seen on 1 September */
    rep = (wait_report){0};
    assert_int_equal(wait_report_compute(&set, &p, f->a, &rep), SH_OK);
    assert_int_equal(rep.waiting.count, 1);

    /* the same referrals through a pathway stopped by first contact */
    store_pathway ot = pathway("202", "ot", "Occupational therapy", WAIT_STOP_FIRST_CONTACT, 18);
    assert_int_equal(store_pathway_put(f->s, &ot), SH_OK);
    store_referral fc = referral(f, ot.id, D(2025, 1, 6));
    fc.first_contact = D(2025, 2, 3);
    fc.assessment_started = D(2025, 3, 3);
    assert_int_equal(store_referral_insert(f->s, &fc), SH_OK);
    assert_int_equal(store_referrals_load(f->s, "202", ot.id, f->a, &set), SH_OK);
    assert_int_equal(set.n, 1);
    assert_int_equal(set.refs[0].first_contact, D(2025, 2, 3));
    assert_int_equal(set.refs[0].assessment_started, DATE_NONE);
    assert_int_equal(set.refs[0].stop_count, 0); /* the area's stops are others' */

    /* another area has no such pathway; a tiny arena is refused, not overrun */
    assert_int_equal(store_referrals_load(f->s, "203", f->autism, f->a, &set), SH_ENOTFOUND);
    assert_int_equal(set.n, 0);
    arena *tiny = arena_create(64);
    assert_int_equal(store_referrals_load(f->s, "202", f->autism, tiny, &set), SH_ELIMIT);
    arena_destroy(tiny);
}

/* An import is all or nothing: the app's rows in one transaction. */
static void test_import_rolls_back(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    add_referral(f, f->slt, D(2025, 1, 6));
    add_referral(f, f->slt, D(2025, 1, 7));
    store_referral bad = referral(f, f->slt, D(2025, 1, 8));
    bad.child_id = f->other_child;
    assert_int_equal(store_referral_insert(f->s, &bad), SH_ENOTFOUND);
    assert_int_equal(store_tx_rollback(f->s), SH_OK);
    wait_set set;
    assert_int_equal(store_referrals_load(f->s, "202", f->slt, f->a, &set), SH_OK);
    assert_int_equal(set.n, 0);

    assert_int_equal(store_tx_begin(f->s), SH_OK);
    for (int i = 0; i < 500; i++)
        add_referral(f, f->slt, D(2025, 1, 6) + i % 300);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    assert_int_equal(store_referrals_load(f->s, "202", f->slt, f->a, &set), SH_OK);
    assert_int_equal(set.n, 500);
    for (size_t i = 1; i < set.n; i++)
        assert_true(set.refs[i - 1].referred <= set.refs[i].referred);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_pathway_put_get_list),
        T(test_referral_round_trip_and_milestones),
        T(test_referral_rules),
        T(test_referral_lists),
        T(test_referral_queue_position),
        T(test_clock_stops),
        T(test_bulk_load_feeds_the_report),
        T(test_import_rolls_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
