/*
 * test_evidence.c — the person-level list of an area SEND inspection's
 * evidence pack (app/evidence.h) on a real database: every open case once,
 * in case-id order, a child educated out of area flagged with the other
 * area's setting, the journey's dates as now known (a corrected decision
 * date shows its replacement), then the area's other children with a
 * recorded need (a refused request among them) and not those without, the
 * count matching, and who may read it; and the dates' rule itself
 * (core/inspection.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/evidence.h"
#include "core/inspection.h"
#include "core/journey.h"
#include "testdb.h"
#include "util/err.h"

#define LA "990"
#define OTHER "991"
#define URN_IN "900001"
#define URN_AWAY "800001"

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static app_identity person(app_role role, const char *la)
{
    app_identity who = {.username = "m.test", .role = (int)role, .remote = ""};
    memcpy(who.la_code, la, sizeof who.la_code);
    return who;
}

/* ---- core: the dates of a journey --------------------------------------------- */

static void test_person_dates(void **state)
{
    (void)state;
    event e[5];
    event_init(&e[0], EV_REQUEST_RECEIVED, D(2024, 1, 8));
    event_init(&e[1], EV_DECISION_TO_ASSESS, D(2024, 2, 19));
    event_init(&e[2], EV_FINAL_PLAN_ISSUED, D(2024, 5, 20));
    event_init(&e[3], EV_REVIEW_MEETING, D(2025, 5, 12));
    event_init(&e[4], EV_REVIEW_MEETING, D(2026, 5, 11));
    const event *eff[5] = {&e[4], &e[0], &e[3], &e[1], &e[2]}; /* any order */
    insp_person_dates d = insp_person_dates_of(eff, 5);
    assert_int_equal(d.decision, D(2024, 2, 19));
    assert_int_equal(d.last_review, D(2026, 5, 11));
    d = insp_person_dates_of(eff + 1, 1); /* a request only */
    assert_int_equal(d.decision, DATE_NONE);
    assert_int_equal(d.last_review, DATE_NONE);
}

/* ---- the list on a database ----------------------------------------------------- */

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t in_area, away, no_setting, refused;  /* case ids */
    int64_t supported;                           /* a child with a need and no case */
} fixture;

/* A child of the area at `urn` (NULL: none recorded) with a case opened by
 * a request on `requested`. */
static int64_t child_case(fixture *f, const char *forename, const char *upn, const char *urn,
                          date_t requested)
{
    app_identity sys = person(ROLE_SYSTEM, LA);
    app_error err = {0};
    store_child c = {.forename = forename, .surname = "Test", .date_of_birth = D(2015, 4, 1),
                     .sen_need = {0, -1}};
    if (upn)
        memcpy(c.upn, upn, strlen(upn) + 1);
    if (urn)
        memcpy(c.setting_urn, urn, strlen(urn) + 1);
    assert_int_equal(app_child_create(f->s, &sys, &c, D(2026, 11, 2), &err), SH_OK);
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, requested);
    store_case k;
    journey_timeline t;
    assert_int_equal(app_case_open(f->s, &sys, c.id, "a.patel", &start, D(2026, 11, 2), f->a, &k,
                                   &t, &err),
                     SH_OK);
    return k.id;
}

static int64_t record(fixture *f, int64_t case_id, event e)
{
    app_identity sys = person(ROLE_SYSTEM, LA);
    app_error err = {0};
    journey_timeline t;
    assert_int_equal(app_case_record_event(f->s, &sys, case_id, &e, D(2026, 11, 2), f->a, &t, &err),
                     SH_OK);
    return e.id;
}

static event decision(date_t d, event_outcome o)
{
    event e;
    event_init(&e, EV_DECISION_TO_ASSESS, d);
    e.outcome = o;
    return e;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(16u << 20);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK ||
        store_area_put(f->s, LA, "Test area") != SH_OK ||
        store_area_put(f->s, OTHER, "Neighbouring area") != SH_OK ||
        store_setting_put(f->s, LA, URN_IN, "Larkspur Primary School", "primary") != SH_OK ||
        store_setting_put(f->s, OTHER, URN_AWAY, "Kestrel Independent School", "special") != SH_OK)
        return -1;
    *state = f;
    f->in_area = child_case(f, "Ada", "A123456789012", URN_IN, D(2026, 1, 5));
    int64_t first = record(f, f->in_area, decision(D(2026, 2, 20), OUTCOME_ASSESS));
    /* the decision was on the 16th: a correction replaces the date */
    event fix, replacement = decision(D(2026, 2, 16), OUTCOME_ASSESS);
    event_init(&fix, EV_CORRECTION, D(2026, 3, 1));
    fix.supersedes = first;
    fix.reason = "Wrong date typed";
    fix.replacement = &replacement;
    record(f, f->in_area, fix);
    f->away = child_case(f, "Bea", NULL, URN_AWAY, D(2026, 3, 2));
    record(f, f->away, decision(D(2026, 4, 10), OUTCOME_ASSESS));
    f->no_setting = child_case(f, "Cal", NULL, NULL, D(2026, 9, 7));
    f->refused = child_case(f, "Dev", NULL, URN_IN, D(2026, 5, 4));
    record(f, f->refused, decision(D(2026, 6, 12), OUTCOME_REFUSE));
    /* children without a case: with a need (on the list), without (not) */
    app_identity sys = person(ROLE_SYSTEM, LA);
    app_error err = {0};
    store_child sen = {.forename = "Fay", .surname = "Support", .date_of_birth = D(2017, 9, 1),
                       .sen_need = {1, -1}, .setting_urn = URN_AWAY};
    store_child none = {.forename = "Gus", .surname = "Referred", .date_of_birth = D(2019, 2, 1),
                        .sen_need = {-1, -1}};
    if (app_child_create(f->s, &sys, &sen, D(2026, 11, 2), &err) != SH_OK ||
        app_child_create(f->s, &sys, &none, D(2026, 11, 2), &err) != SH_OK)
        return -1;
    f->supported = sen.id;
    /* another area's open case is not on this area's list */
    app_identity other = person(ROLE_SYSTEM, OTHER);
    store_child c = {.forename = "Eve", .surname = "Elsewhere", .date_of_birth = D(2014, 1, 1),
                     .sen_need = {-1, -1}};
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, D(2026, 2, 2));
    store_case k;
    journey_timeline t;
    if (app_child_create(f->s, &other, &c, D(2026, 11, 2), &err) != SH_OK ||
        app_case_open(f->s, &other, c.id, "", &start, D(2026, 11, 2), f->a, &k, &t, &err) != SH_OK)
        return -1;
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

/* What the callback saw, copied (its row dies when it returns). */
typedef struct {
    int64_t case_id;
    int64_t child_id;
    char upn[16], urn[8], setting[64], type[32], setting_la[4], stage[16], coordinator[16];
    bool has_stage;
    bool out_of_area;
    date_t request, decision, final, review;
} seen;

typedef struct {
    seen rows[8];
    size_t n;
    int stop_after; /* > 0: answer SH_EIO at that row */
} collector;

static void copy(char *out, size_t cap, const char *s)
{
    snprintf(out, cap, "%s", s ? s : "");
}

static int collect(void *ctx, const app_evidence_row *x)
{
    collector *c = ctx;
    if (c->stop_after && (int)c->n + 1 == c->stop_after)
        return SH_EIO;
    if (c->n == sizeof c->rows / sizeof c->rows[0])
        return SH_ELIMIT;
    seen *s = &c->rows[c->n++];
    const store_evidence_row *r = x->r;
    s->case_id = r->case_id;
    s->child_id = r->child_id;
    s->has_stage = r->stage != NULL;
    copy(s->upn, sizeof s->upn, r->upn);
    copy(s->urn, sizeof s->urn, r->setting_urn);
    copy(s->setting, sizeof s->setting, r->setting_name);
    copy(s->type, sizeof s->type, r->setting_type);
    copy(s->setting_la, sizeof s->setting_la, r->setting_la);
    copy(s->stage, sizeof s->stage, r->stage);
    copy(s->coordinator, sizeof s->coordinator, r->coordinator);
    s->out_of_area = x->out_of_area;
    s->request = r->request_date;
    s->decision = x->dates.decision;
    s->final = r->final_plan_date;
    s->review = x->dates.last_review;
    return SH_OK;
}

static void test_list_rows(void **state)
{
    fixture *f = *state;
    app_identity inspector = person(ROLE_INSPECTOR, LA);
    collector c = {0};
    size_t count = 0;
    app_error err = {0};
    assert_int_equal(app_evidence_list(f->s, &inspector, collect, &c, &count, &err), SH_OK);
    /* three open cases, then the refused child and the child on SEN support;
     * not the child without a need, nor the other area's */
    assert_int_equal(count, 5);
    assert_int_equal(c.n, 5);
    int64_t n = 0;
    assert_int_equal(app_evidence_count(f->s, &inspector, &n, &err), SH_OK);
    assert_int_equal(n, 5);

    const seen *a = &c.rows[0], *b = &c.rows[1], *k = &c.rows[2];
    assert_int_equal(a->case_id, f->in_area); /* case-id order */
    assert_int_equal(b->case_id, f->away);
    assert_int_equal(k->case_id, f->no_setting);

    assert_string_equal(a->upn, "A123456789012");
    assert_string_equal(a->setting, "Larkspur Primary School");
    assert_string_equal(a->type, "primary");
    assert_string_equal(a->setting_la, LA);
    assert_false(a->out_of_area);
    assert_string_equal(a->stage, "assessment");
    assert_string_equal(a->coordinator, "a.patel");
    assert_int_equal(a->request, D(2026, 1, 5));
    assert_int_equal(a->decision, D(2026, 2, 16)); /* as corrected */
    assert_int_equal(a->final, DATE_NONE);
    assert_int_equal(a->review, DATE_NONE);

    /* educated out of area: the neighbouring area's special school */
    assert_true(b->out_of_area);
    assert_string_equal(b->urn, URN_AWAY);
    assert_string_equal(b->setting, "Kestrel Independent School");
    assert_string_equal(b->type, "special");
    assert_string_equal(b->setting_la, OTHER);
    assert_string_equal(b->upn, "");
    assert_int_equal(b->decision, D(2026, 4, 10));

    /* no setting recorded: neither in nor out of area */
    assert_false(k->out_of_area);
    assert_string_equal(k->urn, "");
    assert_string_equal(k->setting_la, "");
    assert_string_equal(k->stage, "request");
    assert_int_equal(k->decision, DATE_NONE);

    /* then the children without an open case, in child-id order: the
     * refused request (its journey closed) and the child on SEN support,
     * placed out of area; no case, status or dates */
    const seen *refused = &c.rows[3], *sen = &c.rows[4];
    assert_true(refused->child_id < sen->child_id);
    assert_int_equal(sen->child_id, f->supported);
    for (const seen *x = refused; x <= sen; x++) {
        assert_int_equal(x->case_id, 0);
        assert_false(x->has_stage);
        assert_string_equal(x->coordinator, "");
        assert_int_equal(x->request, DATE_NONE);
        assert_int_equal(x->decision, DATE_NONE);
        assert_int_equal(x->review, DATE_NONE);
    }
    assert_string_equal(refused->urn, URN_IN);
    assert_false(refused->out_of_area);
    assert_true(sen->out_of_area);
    assert_string_equal(sen->setting_la, OTHER);
}

static void test_list_access_and_stop(void **state)
{
    fixture *f = *state;
    collector c = {0};
    size_t count = 9;
    app_error err = {0};
    int64_t n = 0;
    static const app_role denied[] = {ROLE_COORDINATOR, ROLE_HEALTH, ROLE_SETTING, ROLE_PARENT,
                                      ROLE_FORUM};
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        app_identity who = person(denied[i], LA);
        assert_int_equal(app_evidence_list(f->s, &who, collect, &c, &count, &err), SH_EDENIED);
        assert_int_equal(count, 0);
        assert_int_equal(app_evidence_count(f->s, &who, &n, &err), SH_EDENIED);
    }
    assert_int_equal(c.n, 0);
    /* a manager of the other area sees only that area's one case (its
     * child has no recorded need, but the case puts it on the list) */
    app_identity other = person(ROLE_MANAGER, OTHER);
    assert_int_equal(app_evidence_list(f->s, &other, collect, &c, &count, &err), SH_OK);
    assert_int_equal(count, 1);
    /* a writer that fails stops the list with its error */
    app_identity manager = person(ROLE_MANAGER, LA);
    collector stop = {.stop_after = 2};
    assert_int_equal(app_evidence_list(f->s, &manager, collect, &stop, &count, &err), SH_EIO);
    assert_int_equal(count, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_dates),
        cmocka_unit_test_setup_teardown(test_list_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_access_and_stop, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
