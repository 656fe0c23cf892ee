/*
 * test_sen2.c — the SEN2 return (core/sen2.h): reference period, records,
 * validation and every headline figure on a small hand-computed area.
 *
 * The 2026 return: census Thursday 15 January 2026 (1 January 2026 is a
 * Thursday, so the third Thursday is the 15th); activity in calendar 2025.
 *
 * The hand-computed area (case: events -> what it contributes):
 *  1 request 2025-01-06, assess, plan 2025-05-19 (133 days, in time)
 *  2 request 2025-02-03, assess, exception, plan 2025-07-14 (161 days, late)
 *  3 request 2025-03-03, assess, plan 2025-09-01 (182 days, late)
 *  4 request 2025-04-07, refused 2025-05-12
 *  5 request 2024-10-07 (straddles the year end), plan 2025-02-24 (140 days,
 *    exactly 20 weeks: in time)
 *  6 request 2025-11-03, decided 2026-01-05 (after the year end: ongoing)
 *  7 transferred in 2025-06-02 (plan in force)
 *  8 request 2023, plan 2023, ceased 2025-08-04 reason 5 (transfer out)
 *  9 request 2025-05-05, assess, decision not to issue 2025-08-11
 * 10 request 2024-01-08, refused, mediation + appeal in 2024, assess on
 *    appeal 2025-01-20, plan 2025-06-02 (out of the timeliness base)
 * 11 request 2025-06-02, assess 2025-07-07, no outcome by the census
 * 12 request 2024-01-08, assess, plan 2025-03-03 (420 days: over a year)
 * 13 request 2025-09-01, assess, plan 2026-02-01 (after the census: unread)
 * 14 request 2024-01-15, plan 2024-06-03, mediation 2025-02-01 and appeal
 *    2025-03-01 about the plan
 * 15 request 2022, refused 2022: out of scope
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/sen2.h"
#include "util/arena.h"
#include "util/err.h"

#define MAXEV 16
#define MAXCASES 20

typedef struct {
    event ev[MAXEV];
    event repl[MAXEV];
    size_t n;
} journey;

typedef struct {
    arena *a;
    sen2_period p;
    journey j[MAXCASES];
    sen2_case cases[MAXCASES];
    size_t ncases;
    sen2_child children[MAXCASES];
    char upns[MAXCASES][IDENT_UPN_LEN + 1];
    size_t nchildren;
    sen2_return r;
    sen2_figures f;
    int64_t next_id;
} fixture;

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

/* A valid UPN whose body is 80120000 followed by the 4 digits of n. */
static void make_upn(char out[IDENT_UPN_LEN + 1], int n)
{
    snprintf(out + 1, IDENT_UPN_LEN, "80120000%04u", (unsigned)n % 10000u);
    out[0] = ident_upn_check_letter(out + 1);
    assert_true(out[0] != 0);
}

static sen2_child *child(fixture *f, const char *birth)
{
    sen2_child *c = &f->children[f->nchildren];
    make_upn(f->upns[f->nchildren], (int)f->nchildren + 1);
    *c = (sen2_child){.id = (int64_t)f->nchildren + 1, .forename = "Sam", .surname = "Example",
                      .birth = D(birth), .upn = f->upns[f->nchildren], .postcode = "SW1A 1AA",
                      .sen_need = {SEN_ASD, -1}, .setting_urn = "100000"};
    f->nchildren++;
    return c;
}

/* Starts a case for the latest child. */
static journey *open_case(fixture *f)
{
    assert_true(f->ncases < MAXCASES);
    journey *j = &f->j[f->ncases];
    j->n = 0;
    f->cases[f->ncases] = (sen2_case){.case_id = (int64_t)f->ncases + 1,
                                      .child_id = f->children[f->nchildren - 1].id,
                                      .events = j->ev};
    f->ncases++;
    return j;
}

static event *ev(fixture *f, event_type type, const char *iso)
{
    journey *j = &f->j[f->ncases - 1];
    assert_true(j->n < MAXEV);
    event *e = &j->ev[j->n++];
    event_init(e, type, D(iso));
    e->id = ++f->next_id;
    f->cases[f->ncases - 1].n = j->n;
    return e;
}

static void decide(fixture *f, const char *iso, event_outcome o)
{
    ev(f, EV_DECISION_TO_ASSESS, iso)->outcome = o;
}

/* request, decision to assess 5 weeks later, final plan on `plan`. */
static void plan_case(fixture *f, const char *req, const char *assess, const char *plan)
{
    open_case(f);
    ev(f, EV_REQUEST_RECEIVED, req);
    decide(f, assess, OUTCOME_ASSESS);
    if (plan)
        ev(f, EV_FINAL_PLAN_ISSUED, plan);
}

static void build_area(fixture *f)
{
    child(f, "2015-03-01");
    plan_case(f, "2025-01-06", "2025-02-10", "2025-05-19");             /* 1 */
    child(f, "2014-04-02");
    plan_case(f, "2025-02-03", "2025-03-10", NULL);                      /* 2 */
    ev(f, EV_EXCEPTION, "2025-04-01")->exception = EXC_AWAY_FROM_AREA;
    ev(f, EV_FINAL_PLAN_ISSUED, "2025-07-14");
    child(f, "2013-05-03");
    f->children[f->nchildren - 1].sen_need[0] = SEN_SEMH;
    plan_case(f, "2025-03-03", "2025-04-07", "2025-09-01");             /* 3 */
    child(f, "2012-06-04");
    open_case(f);                                                         /* 4 */
    ev(f, EV_REQUEST_RECEIVED, "2025-04-07");
    decide(f, "2025-05-12", OUTCOME_REFUSE);
    child(f, "2016-07-05");
    plan_case(f, "2024-10-07", "2024-11-11", "2025-02-24");             /* 5 */
    child(f, "2017-08-06");
    open_case(f);                                                         /* 6 */
    ev(f, EV_REQUEST_RECEIVED, "2025-11-03");
    decide(f, "2026-01-05", OUTCOME_ASSESS);
    child(f, "2011-09-07");
    f->children[f->nchildren - 1].sen_need[0] = SEN_DS;
    open_case(f);                                                         /* 7 */
    ev(f, EV_TRANSFER_IN, "2025-06-02");
    child(f, "2008-10-08");
    plan_case(f, "2023-01-09", "2023-02-13", "2023-05-01");             /* 8 */
    ev(f, EV_PLAN_CEASED, "2025-08-04")->cease_reason = 5;
    child(f, "2014-11-09");
    plan_case(f, "2025-05-05", "2025-06-09", NULL);                      /* 9 */
    ev(f, EV_DECISION_NOT_TO_ISSUE, "2025-08-11");
    child(f, "2013-12-10");
    open_case(f);                                                         /* 10 */
    ev(f, EV_REQUEST_RECEIVED, "2024-01-08");
    decide(f, "2024-02-12", OUTCOME_REFUSE);
    ev(f, EV_DECISION_LETTER, "2024-02-12");
    ev(f, EV_MEDIATION_CERTIFICATE, "2024-03-01");
    ev(f, EV_APPEAL_LODGED, "2024-03-20");
    decide(f, "2025-01-20", OUTCOME_ASSESS);
    ev(f, EV_FINAL_PLAN_ISSUED, "2025-06-02");
    child(f, "2015-01-11");
    plan_case(f, "2025-06-02", "2025-07-07", NULL);                      /* 11 */
    child(f, "2016-02-12");
    plan_case(f, "2024-01-08", "2024-02-19", "2025-03-03");             /* 12 */
    child(f, "2017-03-13");
    plan_case(f, "2025-09-01", "2025-10-06", "2026-02-01");             /* 13 */
    child(f, "2012-04-14");
    plan_case(f, "2024-01-15", "2024-02-19", "2024-06-03");             /* 14 */
    ev(f, EV_MEDIATION_CERTIFICATE, "2025-02-01");
    ev(f, EV_APPEAL_LODGED, "2025-03-01");
    child(f, "2010-05-15");
    open_case(f);                                                         /* 15 */
    ev(f, EV_REQUEST_RECEIVED, "2022-01-10");
    decide(f, "2022-02-14", OUTCOME_REFUSE);
}

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    f.a = arena_create(8u << 20);
    assert_non_null(f.a);
    assert_int_equal(sen2_period_for(2026, &f.p), SH_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_destroy(f->a);
    return 0;
}

static void build(fixture *f)
{
    assert_int_equal(sen2_build(&f->p, "990", f->children, f->nchildren, f->cases, f->ncases,
                                f->a, &f->r),
                     SH_OK);
    sen2_figures_of_return(&f->f, &f->r);
}

static void expect_figure(const fixture *f, const char *name, const char *want)
{
    int i = sen2_figure_find(name);
    if (i < 0)
        fail_msg("no figure %s", name);
    char got[32];
    sen2_figure_value(&f->f, (size_t)i, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("%s = %s, want %s", name, got, want);
}

static const sen2_request *record(const fixture *f, int64_t case_id)
{
    for (size_t i = 0; i < f->r.n_persons; i++)
        for (size_t j = 0; j < f->r.persons[i].n_requests; j++)
            if (f->r.persons[i].requests[j].case_id == case_id)
                return &f->r.persons[i].requests[j];
    return NULL;
}

static size_t count_issues(const fixture *f, sen2_severity sev, const char *field)
{
    size_t k = 0;
    for (size_t i = 0; i < f->r.n_issues; i++)
        k += f->r.issues[i].severity == sev && strcmp(f->r.issues[i].field, field) == 0;
    return k;
}

/* ---- the period ----------------------------------------------------------- */

static void test_period_census_is_third_thursday(void **state)
{
    (void)state;
    sen2_period p;
    assert_int_equal(sen2_period_for(2026, &p), SH_OK);
    assert_int_equal(p.census, D("2026-01-15"));
    assert_int_equal(p.period_start, D("2025-01-01"));
    assert_int_equal(p.period_end, D("2025-12-31"));
    assert_int_equal(sen2_period_for(2024, &p), SH_OK);
    assert_int_equal(p.census, D("2024-01-18")); /* Monday 1 Jan: Thursdays 4, 11, 18 */
    assert_int_equal(sen2_period_for(2025, &p), SH_OK);
    assert_int_equal(p.census, D("2025-01-16"));
    assert_int_equal(sen2_period_for(2014, &p), SH_EINVAL);
    assert_int_equal(sen2_period_for(2200, &p), SH_EINVAL);
}

/* ---- headline figures ----------------------------------------------------- */

static void test_request_figures(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    /* received in 2025: cases 1 2 3 4 6 9 11 13 */
    expect_figure(f, "inreq_ehc", "8");
    expect_figure(f, "inreq_ehc_y", "6");     /* 1 2 3 9 11 13 */
    expect_figure(f, "ass_refused_ehc", "1"); /* 4 */
    expect_figure(f, "inreq_ehc_a", "1");     /* 6: decided after the year end */
    expect_figure(f, "ass_refused_ehc_pc", "12.5");
    expect_figure(f, "inreq_ehc_w", "x");
}

static void test_assessment_figures(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    /* outcomes in 2025: plans 1 2 3 5 10 12, no plan 9 */
    expect_figure(f, "assessments", "7");
    expect_figure(f, "ass_none_ehc", "1");
    expect_figure(f, "ass_none_ehc_pc", "14.3");
    expect_figure(f, "new_all_ehc", "6");
    expect_figure(f, "ass_nodecision_ehc", "2"); /* 11, and 13 whose plan is after census */
}

static void test_timeliness_with_exceptions(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    /* base: 1 2 3 5 12 (10 went to tribunal before its plan); in time: 1 and 5 */
    expect_figure(f, "tot_inc_exc_ehc", "5");
    expect_figure(f, "inc_exc_20week_ehc", "2");
    expect_figure(f, "inc_exc_20week_rate", "40.0");
    /* without 2 (exception recorded) */
    expect_figure(f, "tot_no_exc_ehc", "4");
    expect_figure(f, "no_exc_20week_ehc", "2");
    expect_figure(f, "no_exc_20week_rate", "50.0");
    expect_figure(f, "plans_issued_gt_1_year", "1");
    expect_figure(f, "plans_issued_gt_1_year_ex", "1");
    /* weeks x10: 190 230 260 200 600 -> 29.6; without 230: 1250 / 4 = 31.25 -> 31.3 */
    expect_figure(f, "avg_weeks_issue_plan", "29.6");
    expect_figure(f, "avg_weeks_issue_plan_exc", "31.3");
}

static void test_caseload_transfers_and_ceased(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    /* in force at census: 1 2 3 5 7 10 12 14 */
    expect_figure(f, "caseload", "8");
    expect_figure(f, "number_asd", "6");
    expect_figure(f, "number_semh", "1");
    expect_figure(f, "number_ds", "1");
    expect_figure(f, "number_unknown", "0");
    expect_figure(f, "transferred_in", "1");
    expect_figure(f, "discontinued", "1");
    expect_figure(f, "discontinued_transfer_out", "1");
    expect_figure(f, "discontinued_other", "0");
}

static void test_mediation_and_tribunal_figures(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    /* case 10's dispute was in 2024; case 14's about its plan in 2025 */
    expect_figure(f, "request_mediation", "0");
    expect_figure(f, "request_tribunal", "0");
    expect_figure(f, "other_mediation", "1");
    expect_figure(f, "other_tribunal", "1");
    expect_figure(f, "total_mediation", "1");
    expect_figure(f, "total_tribunal", "1");
    expect_figure(f, "total_tribunal_followed_mediation", "1");
}

static void test_rates_round_half_up_and_z_for_nothing(void **state)
{
    (void)state;
    assert_int_equal(sen2_rate_x10(1, 8), 125);
    assert_int_equal(sen2_rate_x10(1, 3), 333);
    assert_int_equal(sen2_rate_x10(2, 3), 667);
    assert_int_equal(sen2_rate_x10(1, 0), -1);
    sen2_period p;
    sen2_figures f;
    assert_int_equal(sen2_period_for(2026, &p), SH_OK);
    sen2_figures_init(&f, &p);
    char v[16];
    assert_string_equal(sen2_figure_value(&f, (size_t)sen2_figure_find("inc_exc_20week_rate"),
                                          v, sizeof v),
                        "z");
    assert_string_equal(sen2_figure_value(&f, (size_t)sen2_figure_find("inreq_ehc"), v,
                                          sizeof v),
                        "0");
}

static void test_merge_adds_per_range_results(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    sen2_figures a, b;
    sen2_figures_init(&a, &f->p);
    sen2_figures_init(&b, &f->p);
    for (size_t i = 0; i < f->r.n_persons; i++)
        for (size_t j = 0; j < f->r.persons[i].n_requests; j++)
            sen2_figures_add(i % 2 ? &a : &b, &f->r.persons[i].requests[j],
                             f->r.persons[i].child->sen_need[0]);
    sen2_figures_merge(&a, &b);
    assert_memory_equal(a.c, f->f.c, sizeof a.c);
}

/* A dashboard's own period: one month, census at its end. */
static void test_figures_over_a_month(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    sen2_period m = {.year = 2026, .period_start = D("2025-05-01"),
                     .period_end = D("2025-05-31"), .census = D("2025-05-31")};
    sen2_figures g;
    sen2_figures_init(&g, &m);
    for (size_t i = 0; i < f->ncases; i++) {
        sen2_request r;
        bool in;
        journey_error e;
        assert_int_equal(sen2_request_build(&m, f->cases[i].case_id, f->cases[i].child_id,
                                            f->cases[i].events, f->cases[i].n, f->a, &r, &in,
                                            &e),
                         SH_OK);
        if (in)
            sen2_figures_add(&g, &r, SEN_ASD);
    }
    char v[16];
    /* May 2025: requests 9 (5 May); plans 1 (19 May, 133 days: in time) */
    assert_string_equal(sen2_figure_value(&g, (size_t)sen2_figure_find("inreq_ehc"), v, sizeof v),
                        "1");
    assert_string_equal(sen2_figure_value(&g, (size_t)sen2_figure_find("new_all_ehc"), v,
                                          sizeof v),
                        "1");
    assert_string_equal(sen2_figure_value(&g, (size_t)sen2_figure_find("inc_exc_20week_rate"),
                                          v, sizeof v),
                        "100.0");
}

/* ---- records -------------------------------------------------------------- */

static void test_scope_and_persons(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    assert_int_equal(f->r.n_persons, 14); /* 15 is out of scope */
    assert_null(record(f, 15));
    assert_string_equal(f->r.lea, "990");
}

static void test_records_carry_module_fields(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    const sen2_request *r = record(f, 2);
    assert_non_null(r);
    assert_int_equal(r->receiveddate, D("2025-02-03"));
    assert_string_equal(r->requestoutcome, "A");
    assert_int_equal(r->requestoutcomedate, D("2025-03-10"));
    assert_true(r->has_assessment);
    assert_string_equal(r->assessmentoutcome, "Y");
    assert_int_equal(r->assessmentoutcomedate, D("2025-07-14"));
    assert_int_equal(r->week20, 1);
    assert_true(r->has_namedplan);
    assert_int_equal(r->startdate, D("2025-07-14"));
    assert_true(r->has_activeplan);
    assert_int_equal(r->transferla, 0);

    r = record(f, 7); /* transfer in */
    assert_true(r->transferred_in);
    assert_false(r->has_assessment);
    assert_false(r->has_namedplan);
    assert_true(r->has_activeplan);
    assert_int_equal(r->transferla, 1);

    r = record(f, 8); /* ceased */
    assert_int_equal(r->ceasedate, D("2025-08-04"));
    assert_int_equal(r->ceasereason, 5);
    assert_false(r->has_activeplan);

    r = record(f, 13); /* the plan after the census is not read */
    assert_true(r->has_assessment);
    assert_string_equal(r->assessmentoutcome, "");
    assert_false(r->has_namedplan);

    r = record(f, 10);
    assert_string_equal(r->requestoutcome, "A"); /* the decision after appeal stands */
    assert_int_equal(r->requestmediation, 1);
    assert_int_equal(r->requesttribunal, 1);
    assert_int_equal(r->othertribunal, 0);
    assert_true(r->mediation_before_plan);

    r = record(f, 4);
    assert_string_equal(r->requestoutcome, "R");
    assert_false(r->has_assessment);
}

static void test_review_and_phase_transfer_fields(void **state)
{
    fixture *f = *state;
    child(f, "2014-09-01");
    plan_case(f, "2023-01-09", "2023-02-13", "2023-05-22");
    ev(f, EV_REVIEW_MEETING, "2025-04-01");
    ev(f, EV_REVIEW_DECISION, "2025-04-20")->outcome = OUTCOME_AMEND;
    ev(f, EV_AMENDMENT_PROPOSED, "2025-04-25");
    ev(f, EV_AMENDED_PLAN_ISSUED, "2025-06-01");
    event *pt = ev(f, EV_PHASE_TRANSFER_DUE, "2025-09-01");
    pt->transfer_year = 2026;
    pt->transfer_to = TRANSFER_SCHOOL;
    build(f);
    const sen2_request *r = record(f, 1);
    assert_int_equal(r->reviewmeeting, D("2025-04-01"));
    assert_int_equal(r->lastreview, D("2025-04-20"));
    assert_string_equal(r->reviewoutcome, "A");
    assert_int_equal(r->reviewdraft, D("2025-04-25"));
    assert_int_equal(r->phasetransferduedate, D("2026-02-15"));
    assert_int_equal(r->phasetransferfinaldate, DATE_NONE);
}

static void test_correction_changes_the_record(void **state)
{
    fixture *f = *state;
    child(f, "2015-03-01");
    plan_case(f, "2025-01-06", "2025-02-10", "2025-07-01"); /* late as entered */
    int64_t wrong = f->next_id;
    event *c = ev(f, EV_CORRECTION, "2025-07-02");
    c->supersedes = wrong;
    c->reason = "typed the wrong month";
    event *r = &f->j[0].repl[0];
    event_init(r, EV_FINAL_PLAN_ISSUED, D("2025-05-01"));
    c->replacement = r;
    build(f);
    assert_int_equal(record(f, 1)->startdate, D("2025-05-01"));
    expect_figure(f, "inc_exc_20week_ehc", "1");
}

/* journey_effective: corrections applied, ordered by date, the start
 * first even when its replacement was logged after a same-day event. */
static void test_journey_effective_puts_the_start_first(void **state)
{
    fixture *f = *state;
    child(f, "2015-03-01");
    open_case(f);
    ev(f, EV_REQUEST_RECEIVED, "2025-01-10");
    ev(f, EV_ADVICE_REQUESTED, "2025-01-06")->agency = AGENCY_HEALTH; /* wrong: before */
    event *c = ev(f, EV_CORRECTION, "2025-01-12");
    c->supersedes = 1;
    c->reason = "the request came on the 6th";
    event *r = &f->j[0].repl[0];
    event_init(r, EV_REQUEST_RECEIVED, D("2025-01-06"));
    c->replacement = r;
    const event **v;
    size_t n;
    journey_error e;
    assert_int_equal(journey_effective(f->j[0].ev, f->j[0].n, f->a, &v, &n, &e), SH_OK);
    assert_int_equal(n, 2);
    assert_ptr_equal(v[0], r);
    assert_int_equal(v[1]->type, EV_ADVICE_REQUESTED);
    f->j[0].n = 2; /* without the correction the advice predates the request */
    assert_int_equal(journey_effective(f->j[0].ev, 2, f->a, &v, &n, &e), SH_EINVAL);
    assert_string_equal(e.field, "date");
}

/* ---- validation ----------------------------------------------------------- */

static void test_clean_area_has_no_errors(void **state)
{
    fixture *f = *state;
    build_area(f);
    build(f);
    for (size_t i = 0; i < f->r.n_issues; i++)
        if (f->r.issues[i].severity == SEN2_ERROR)
            fail_msg("unexpected error: case %lld %s.%s %s",
                     (long long)f->r.issues[i].case_id, f->r.issues[i].module,
                     f->r.issues[i].field, f->r.issues[i].message);
    assert_int_equal(f->r.n_errors, 0);
}

static void test_upn_check_letter_blocks(void **state)
{
    fixture *f = *state;
    build_area(f);
    f->upns[0][0] = f->upns[0][0] == 'A' ? 'B' : 'A';
    build(f);
    assert_int_equal(count_issues(f, SEN2_ERROR, "upn"), 1);
    assert_int_equal(f->r.issues[0].child_id, 1);
    assert_int_equal(f->r.issues[0].fix, SEN2_FIX_CHILD);
    assert_non_null(strstr(f->r.issues[0].message, "check letter"));
}

static void test_duplicate_upn_blocks(void **state)
{
    fixture *f = *state;
    build_area(f);
    memcpy(f->upns[1], f->upns[0], sizeof f->upns[0]);
    build(f);
    assert_int_equal(count_issues(f, SEN2_ERROR, "upn"), 1);
}

static void test_missing_upn_by_age(void **state)
{
    fixture *f = *state;
    build_area(f);
    f->children[0].upn = ""; /* born 2015: school age */
    f->children[5].upn = ""; /* born 2017-08-06: 8 on 31 Aug 2025, school age */
    child(f, "2022-01-01");  /* 3: under school age -> UN1, no issue */
    f->children[f->nchildren - 1].upn = "";
    plan_case(f, "2025-03-03", "2025-04-07", NULL);
    child(f, "2007-01-01");  /* 18: warning */
    f->children[f->nchildren - 1].upn = "";
    plan_case(f, "2025-03-03", "2025-04-07", NULL);
    build(f);
    assert_int_equal(count_issues(f, SEN2_ERROR, "upn"), 2);
    assert_int_equal(count_issues(f, SEN2_WARNING, "upnunknown"), 1);
    const sen2_person *last = &f->r.persons[f->r.n_persons - 1];
    assert_string_equal(last->upnunknown, "");
    assert_string_equal(f->r.persons[f->r.n_persons - 2].upnunknown, "UN1");
}

static void test_plan_needs_setting_and_primary_need(void **state)
{
    fixture *f = *state;
    build_area(f);
    f->children[0].setting_urn = "";
    f->children[1].sen_need[0] = -1;
    f->children[2].sen_need[0] = SEN_NSA;
    build(f);
    assert_int_equal(count_issues(f, SEN2_WARNING, "urn"), 1);
    f->children[3].setting_urn = "12345"; /* too short to be a URN */
    build(f);
    assert_int_equal(count_issues(f, SEN2_ERROR, "urn"), 0); /* 4 was refused: no plan */
    f->children[0].setting_urn = "12345";
    build(f);
    assert_int_equal(count_issues(f, SEN2_ERROR, "urn"), 1);
    assert_int_equal(count_issues(f, SEN2_ERROR, "sentype"), 2);
    assert_int_equal(f->r.n_errors, 3);
    expect_figure(f, "number_unknown", "1"); /* figures still count what is there */
}

static void test_invalid_journey_is_reported_not_fatal(void **state)
{
    fixture *f = *state;
    build_area(f);
    journey *j = &f->j[0];
    j->ev[1].date = D("2024-12-01"); /* decision before the request */
    build(f);
    assert_int_equal(f->r.n_errors, 1);
    assert_int_equal(f->r.issues[0].case_id, 1);
    assert_int_equal(f->r.issues[0].fix, SEN2_FIX_CASE);
    assert_non_null(strstr(f->r.issues[0].message, "before the request"));
    assert_null(record(f, 1));
}

static void test_dates_out_of_order_and_cease_reason_other(void **state)
{
    fixture *f = *state;
    child(f, "2012-01-01");
    plan_case(f, "2025-01-06", "2025-06-01", NULL);
    ev(f, EV_FINAL_PLAN_ISSUED, "2025-05-19"); /* before the decision to assess */
    child(f, "2012-01-02");
    plan_case(f, "2024-01-06", "2024-02-01", "2024-05-01");
    ev(f, EV_PLAN_CEASED, "2025-03-01")->cease_reason = 9;
    build(f);
    assert_int_equal(count_issues(f, SEN2_ERROR, "assessmentoutcomedate"), 1);
    assert_int_equal(count_issues(f, SEN2_WARNING, "ceasereason"), 1);
    assert_int_equal(f->r.issues[0].severity, SEN2_ERROR); /* errors first */
}

static void test_bad_inputs_refused(void **state)
{
    fixture *f = *state;
    build_area(f);
    assert_int_equal(sen2_build(&f->p, "99", f->children, f->nchildren, f->cases, f->ncases,
                                f->a, &f->r),
                     SH_EINVAL);
    sen2_child swap = f->children[0];
    f->children[0] = f->children[1];
    f->children[1] = swap;
    assert_int_equal(sen2_build(&f->p, "990", f->children, f->nchildren, f->cases, f->ncases,
                                f->a, &f->r),
                     SH_EINVAL);
}

static void test_case_without_child_is_an_error(void **state)
{
    fixture *f = *state;
    build_area(f);
    f->cases[0].child_id = 999;
    build(f);
    assert_int_equal(f->r.n_errors, 1);
    assert_int_equal(f->r.issues[0].child_id, 999);
}

static void test_notes_and_figure_names(void **state)
{
    (void)state;
    assert_true(sen2_note_count() >= 5);
    bool seen = false;
    for (size_t i = 0; i < sen2_note_count(); i++)
        seen |= strcmp(sen2_note_code(i), "requestoutcome") == 0;
    assert_true(seen);
    for (size_t i = 0; i < sen2_figure_count(); i++)
        assert_int_equal(sen2_figure_find(sen2_figure_name(i)), (int)i);
    assert_int_equal(sen2_figure_find("nope"), -1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_period_census_is_third_thursday),
        T(test_request_figures),
        T(test_assessment_figures),
        T(test_timeliness_with_exceptions),
        T(test_caseload_transfers_and_ceased),
        T(test_mediation_and_tribunal_figures),
        T(test_rates_round_half_up_and_z_for_nothing),
        T(test_merge_adds_per_range_results),
        T(test_figures_over_a_month),
        T(test_scope_and_persons),
        T(test_records_carry_module_fields),
        T(test_review_and_phase_transfer_fields),
        T(test_correction_changes_the_record),
        T(test_journey_effective_puts_the_start_first),
        T(test_clean_area_has_no_errors),
        T(test_upn_check_letter_blocks),
        T(test_duplicate_upn_blocks),
        T(test_missing_upn_by_age),
        T(test_plan_needs_setting_and_primary_need),
        T(test_invalid_journey_is_reported_not_fatal),
        T(test_dates_out_of_order_and_cease_reason_other),
        T(test_bad_inputs_refused),
        T(test_case_without_child_is_an_error),
        T(test_notes_and_figure_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
