/*
 * test_plan.c — the EHC plan (core/plan.h): labels, putting and removing
 * items, every check (errors and warnings), the comparison of two versions,
 * section K from the journey, and the JSON codec (app/plan_json.h): round
 * trips, unknown keys, ceilings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app_plan.h"
#include "app/plan_json.h"
#include "core/plan.h"
#include "util/err.h"

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

static int setup(void **state)
{
    *state = arena_create(16u << 20);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    arena_destroy(*state);
    return 0;
}

static plan_ref R(const char *label)
{
    plan_ref r;
    assert_int_equal(plan_ref_parse(label, strlen(label), &r), SH_OK);
    return r;
}

static int put_text(plan *p, arena *a, plan_section s, const char *text)
{
    plan_item it;
    plan_item_init(&it, s);
    it.text = text;
    int id = 0;
    assert_int_equal(plan_put(p, a, &it, &id), SH_OK);
    return id;
}

/* A quantified provision item for `need`. */
static int put_provision(plan *p, arena *a, plan_section s, const char *need, bool quantified)
{
    plan_item it;
    plan_item_init(&it, s);
    it.text = "Speech and language therapy";
    if (quantified) {
        it.who = "NHS speech and language therapist";
        it.times = 1;
        it.per = PLAN_PER_WEEK;
        it.minutes = 45;
        it.weeks = 12;
    }
    if (need) {
        it.links[0] = R(need);
        it.n_links = 1;
    }
    int id = 0;
    assert_int_equal(plan_put(p, a, &it, &id), SH_OK);
    return id;
}

static int put_outcome(plan *p, arena *a, const char *need)
{
    plan_item it;
    plan_item_init(&it, PLAN_E);
    it.text = "By the end of key stage 2, Sam will read aloud a page of a familiar book.";
    if (need) {
        it.links[0] = R(need);
        it.n_links = 1;
    }
    int id = 0;
    assert_int_equal(plan_put(p, a, &it, &id), SH_OK);
    return id;
}

/* A plan without findings: one need of each area, each with an outcome and
 * provision, a setting named by URN. */
static void complete_plan(plan *p, arena *a)
{
    plan_init(p);
    put_text(p, a, PLAN_A, "Sam loves trains and wants to be a driver.");
    put_text(p, a, PLAN_B, "Reads well below age-related expectations.");
    put_text(p, a, PLAN_C, "Epilepsy, controlled by medication.");
    put_text(p, a, PLAN_D, "Needs support to join activities outside school.");
    put_outcome(p, a, "B1");
    put_outcome(p, a, "C1");
    put_outcome(p, a, "D1");
    put_provision(p, a, PLAN_F, "B1", true);
    put_provision(p, a, PLAN_G, "C1", true);
    put_provision(p, a, PLAN_H1, "D1", true);
    memcpy(p->setting_urn, "100001", 7);
}

static size_t count_code(const plan_issue *v, size_t n, plan_finding code)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += v[i].code == code;
    return k;
}

static const plan_issue *find_code(const plan_issue *v, size_t n, plan_finding code)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].code == code)
            return &v[i];
    return NULL;
}

/* ---- labels and items ------------------------------------------------------------ */

static void test_labels(void **state)
{
    (void)state;
    char out[PLAN_LABEL_MAX];
    assert_string_equal(plan_ref_label((plan_ref){PLAN_B, 2}, out, sizeof out), "B2");
    assert_string_equal(plan_ref_label((plan_ref){PLAN_H1, 3}, out, sizeof out), "H1.3");
    assert_string_equal(plan_ref_label((plan_ref){PLAN_F, 999}, out, sizeof out), "F999");
    plan_ref r;
    assert_int_equal(plan_ref_parse("H2.14", 5, &r), SH_OK);
    assert_int_equal(r.section, PLAN_H2);
    assert_int_equal(r.id, 14);
    const char *bad[] = {"", "B", "B0", "B01", "B1000", "H13", "H3.1", "I1", "b1", "Z1",
                         "B1x", "H1.", "H1.0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(plan_ref_parse(bad[i], strlen(bad[i]), &r), SH_EINVAL);
    assert_int_equal(plan_section_parse("H1", 2), PLAN_H1);
    assert_int_equal(plan_section_parse("H", 1), -1);
    assert_string_equal(plan_section_name(PLAN_K), "K");
}

static void test_put_orders_and_replaces(void **state)
{
    arena *a = *state;
    plan p;
    plan_init(&p);
    put_text(&p, a, PLAN_E, "outcome");
    put_text(&p, a, PLAN_B, "first need");
    assert_int_equal(put_text(&p, a, PLAN_B, "second need"), 2);
    assert_int_equal(p.n_items, 3);
    assert_int_equal(p.items[0].section, PLAN_B);
    assert_int_equal(p.items[1].id, 2);
    assert_int_equal(p.items[2].section, PLAN_E);
    plan_item it;
    plan_item_init(&it, PLAN_B);
    it.id = 1;
    it.text = "first need, reworded";
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_OK);
    assert_int_equal(p.n_items, 3);
    assert_string_equal(plan_find(&p, PLAN_B, 1)->text, "first need, reworded");
    plan_item_init(&it, PLAN_I);
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_EINVAL);
}

static void test_put_ceilings(void **state)
{
    arena *a = *state;
    plan p;
    plan_init(&p);
    for (int i = 0; i < PLAN_SECTION_ITEMS_MAX; i++)
        put_text(&p, a, PLAN_B, "need");
    plan_item it;
    plan_item_init(&it, PLAN_B);
    it.text = "one too many";
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_ELIMIT);
    plan_item_init(&it, PLAN_C);
    it.id = PLAN_ID_MAX + 1;
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_ELIMIT);
}

static void test_remove_drops_links(void **state)
{
    arena *a = *state;
    plan p;
    complete_plan(&p, a);
    assert_int_equal(plan_remove(&p, a, PLAN_B, 1), SH_OK);
    assert_null(plan_find(&p, PLAN_B, 1));
    assert_int_equal(plan_find(&p, PLAN_F, 1)->n_links, 0);
    assert_int_equal(plan_find(&p, PLAN_E, 1)->n_links, 0);
    assert_int_equal(plan_remove(&p, a, PLAN_B, 1), SH_ENOTFOUND);
}

static void test_quantity_text(void **state)
{
    arena *a = *state;
    plan_item it;
    plan_item_init(&it, PLAN_F);
    assert_string_equal(plan_quantity_text(&it, a), "");
    it.times = 3;
    it.per = PLAN_PER_WEEK;
    it.minutes = 30;
    it.weeks = 12;
    assert_string_equal(plan_quantity_text(&it, a),
                        "3 times a week, 30 minutes each time, for 12 weeks");
    it.times = 1;
    it.per = PLAN_PER_TERM;
    it.weeks = 0;
    it.until_review = true;
    assert_string_equal(plan_quantity_text(&it, a),
                        "Once a term, 30 minutes each time, until the plan is reviewed");
}

/* ---- checks -------------------------------------------------------------------------- */

static void test_complete_plan_has_no_findings(void **state)
{
    arena *a = *state;
    plan p;
    complete_plan(&p, a);
    plan_issue *v;
    size_t n;
    assert_int_equal(plan_check(&p, a, &v, &n), SH_OK);
    for (size_t i = 0; i < n; i++)
        print_message("unexpected: %s\n", v[i].message);
    assert_int_equal(n, 0);
}

static void test_need_without_provision_is_warned(void **state)
{
    arena *a = *state;
    plan p;
    complete_plan(&p, a);
    put_text(&p, a, PLAN_B, "Struggles to write legibly.");
    put_outcome(&p, a, "B2");
    plan_issue *v;
    size_t n;
    assert_int_equal(plan_check(&p, a, &v, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].severity, PLAN_WARNING);
    assert_int_equal(v[0].code, PLAN_W_NEED_NO_PROVISION);
    assert_int_equal(v[0].section, PLAN_B);
    assert_int_equal(v[0].id, 2);
    assert_string_equal(v[0].message,
                        "Need B2 has no provision: link provision in section F to it.");
}

static void test_warnings(void **state)
{
    arena *a = *state;
    plan p;
    complete_plan(&p, a);
    put_text(&p, a, PLAN_C, "Hearing loss");              /* C2: no outcome, no provision */
    put_provision(&p, a, PLAN_F, NULL, true);             /* F2: no need */
    put_provision(&p, a, PLAN_F, "B1", false);            /* F3: unquantified */
    put_outcome(&p, a, NULL);                             /* E4: no need */
    p.setting_urn[0] = '\0';                              /* no setting */
    plan_issue *v;
    size_t n;
    assert_int_equal(plan_check(&p, a, &v, &n), SH_OK);
    assert_int_equal(plan_issue_count(v, n, PLAN_ERROR), 0);
    assert_int_equal(count_code(v, n, PLAN_W_NEED_NO_PROVISION), 1);
    assert_int_equal(count_code(v, n, PLAN_W_NEED_NO_OUTCOME), 1);
    assert_int_equal(count_code(v, n, PLAN_W_PROVISION_NO_NEED), 1);
    assert_int_equal(count_code(v, n, PLAN_W_UNQUANTIFIED), 1);
    assert_int_equal(count_code(v, n, PLAN_W_OUTCOME_NO_NEED), 1);
    assert_int_equal(count_code(v, n, PLAN_W_NO_SETTING), 1);
    const plan_issue *u = find_code(v, n, PLAN_W_UNQUANTIFIED);
    assert_int_equal(u->id, 3);
    assert_string_equal(u->field, "who");
    assert_string_equal(find_code(v, n, PLAN_W_NEED_NO_PROVISION)->message,
                        "Need C2 has no provision: link provision in section F or G to it.");
    /* a type of setting is enough for section I */
    p.setting_type = PLAN_SETTING_SPECIAL;
    assert_int_equal(plan_check(&p, a, &v, &n), SH_OK);
    assert_int_equal(count_code(v, n, PLAN_W_NO_SETTING), 0);
}

static void test_errors(void **state)
{
    arena *a = *state;
    plan p;
    complete_plan(&p, a);
    plan_item it = *plan_find(&p, PLAN_G, 1);
    it.links[0] = R("D1"); /* health provision for a social care need */
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_OK);
    it = *plan_find(&p, PLAN_F, 1);
    it.links[1] = R("B9"); /* no such need */
    it.n_links = 2;
    it.minutes = PLAN_MINUTES_MAX + 1;
    it.until_review = true; /* as well as 12 weeks */
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_OK);
    it = *plan_find(&p, PLAN_H1, 1);
    it.times = 2;
    it.per = PLAN_PER_NONE;
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_OK);
    it = *plan_find(&p, PLAN_E, 1);
    it.links[0] = R("F1"); /* an outcome linked to provision, not a need */
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_OK);
    put_text(&p, a, PLAN_D, "");
    plan_item k;
    plan_item_init(&k, PLAN_K);
    k.text = "Summary of the educational psychologist's advice";
    assert_int_equal(plan_put(&p, a, &k, NULL), SH_OK);
    memcpy(p.setting_urn, "12345", 6);
    plan_issue *v;
    size_t n;
    assert_int_equal(plan_check(&p, a, &v, &n), SH_OK);
    assert_int_equal(v[0].severity, PLAN_ERROR); /* errors first */
    assert_int_equal(count_code(v, n, PLAN_E_LINK), 3);
    assert_int_equal(count_code(v, n, PLAN_E_QUANTITY), 3);
    assert_int_equal(count_code(v, n, PLAN_E_TEXT), 1);
    assert_int_equal(count_code(v, n, PLAN_E_ADVICE), 1);
    assert_int_equal(count_code(v, n, PLAN_E_SETTING), 1);
    assert_int_equal(plan_issue_count(v, n, PLAN_ERROR), 9);
}

static void test_text_ceiling(void **state)
{
    arena *a = *state;
    plan p;
    complete_plan(&p, a);
    char *big = arena_alloc(a, PLAN_TEXT_MAX + 2);
    memset(big, 'x', PLAN_TEXT_MAX + 1);
    big[PLAN_TEXT_MAX + 1] = '\0';
    put_text(&p, a, PLAN_A, big);
    plan_issue *v;
    size_t n;
    assert_int_equal(plan_check(&p, a, &v, &n), SH_OK);
    assert_int_equal(v[0].code, PLAN_E_TEXT);
    assert_int_equal(v[0].section, PLAN_A);
}

/* ---- comparison ------------------------------------------------------------------------ */

static void test_diff(void **state)
{
    arena *a = *state;
    plan before, after;
    complete_plan(&before, a);
    after = before;
    put_text(&after, a, PLAN_B, "Difficulty with handwriting"); /* B2 added */
    assert_int_equal(plan_remove(&after, a, PLAN_H1, 1), SH_OK); /* H1.1 removed */
    plan_item it = *plan_find(&after, PLAN_F, 1);
    it.times = 2; /* F1 changed */
    assert_int_equal(plan_put(&after, a, &it, NULL), SH_OK);
    after.setting_type = PLAN_SETTING_MAINSTREAM; /* I changed */
    plan_change *v;
    size_t n;
    assert_int_equal(plan_diff(&before, &after, a, &v, &n), SH_OK);
    assert_int_equal(n, 4);
    assert_int_equal(v[0].kind, PLAN_ADDED);
    assert_int_equal(v[0].section, PLAN_B);
    assert_int_equal(v[0].id, 2);
    assert_int_equal(v[1].kind, PLAN_CHANGED);
    assert_int_equal(v[1].section, PLAN_F);
    assert_int_equal(v[1].before->times, 1);
    assert_int_equal(v[1].after->times, 2);
    assert_int_equal(v[2].kind, PLAN_REMOVED);
    assert_int_equal(v[2].section, PLAN_H1);
    assert_int_equal(v[3].kind, PLAN_CHANGED);
    assert_int_equal(v[3].section, PLAN_I);
    /* the same plan: nothing */
    assert_int_equal(plan_diff(&after, &after, a, &v, &n), SH_OK);
    assert_int_equal(n, 0);
    /* a removed link is a change of that provision and of the outcome */
    plan empty;
    plan_init(&empty);
    assert_int_equal(plan_diff(&empty, &before, a, &v, &n), SH_OK);
    assert_int_equal(n, before.n_items + 1);
}

static void test_diff_setting_after_items(void **state)
{
    arena *a = *state;
    plan x, y;
    plan_init(&x);
    plan_init(&y);
    put_text(&x, a, PLAN_B, "need");
    y = x;
    memcpy(y.setting_urn, "100002", 7);
    plan_change *v;
    size_t n;
    assert_int_equal(plan_diff(&x, &y, a, &v, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].section, PLAN_I);
}

/* ---- section K ------------------------------------------------------------------------- */

static void test_advice_from_events(void **state)
{
    arena *a = *state;
    event ev[5];
    event_init(&ev[0], EV_REQUEST_RECEIVED, D("2026-01-05"));
    event_init(&ev[1], EV_ADVICE_RECEIVED, D("2026-03-02"));
    ev[1].agency = AGENCY_HEALTH;
    ev[1].id = 11;
    event_init(&ev[2], EV_ADVICE_RECEIVED, D("2026-02-20"));
    ev[2].agency = AGENCY_PSYCHOLOGY;
    ev[2].id = 12;
    event replacement;
    event_init(&replacement, EV_ADVICE_RECEIVED, D("2026-03-03"));
    replacement.agency = AGENCY_SOCIAL_CARE;
    event_init(&ev[3], EV_CORRECTION, D("2026-03-04"));
    ev[3].supersedes = 11;
    ev[3].reason = "was social care, not health";
    ev[3].replacement = &replacement;
    event_init(&ev[4], EV_DRAFT_PLAN_ISSUED, D("2026-04-01"));
    plan_advice *v;
    size_t n;
    assert_int_equal(plan_advice_from_events(ev, 5, a, &v, &n), SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].agency, AGENCY_PSYCHOLOGY);
    assert_int_equal(v[1].agency, AGENCY_SOCIAL_CARE);
    assert_int_equal(v[1].date, D("2026-03-03"));
}

/* ---- what issuing records -------------------------------------------------------- */

static void test_next_issue_follows_the_journey(void **state)
{
    (void)state;
    event ev[3];
    event_init(&ev[0], EV_FINAL_PLAN_ISSUED, D("2025-03-03"));
    event_init(&ev[1], EV_REVIEW_DECISION, D("2026-03-02"));
    ev[1].outcome = OUTCOME_AMEND;
    event_init(&ev[2], EV_AMENDMENT_PROPOSED, D("2026-03-20"));
    app_case_view v;
    memset(&v, 0, sizeof v);
    v.events = ev;
    store_plan_kind kind;
    v.timeline.stage = STAGE_ASSESSMENT;
    assert_int_equal(app_plan_next_issue(&v, &kind), EV_DRAFT_PLAN_ISSUED);
    assert_int_equal(kind, STORE_PLAN_DRAFT);
    v.timeline.stage = STAGE_DRAFT;
    assert_int_equal(app_plan_next_issue(&v, &kind), EV_FINAL_PLAN_ISSUED);
    assert_int_equal(kind, STORE_PLAN_FINAL);
    v.timeline.stage = STAGE_PLAN;
    assert_int_equal(app_plan_next_issue(&v, &kind), -1);
    /* a review decided to amend: the proposals first, then the amended plan */
    v.timeline.stage = STAGE_AMENDMENT;
    v.n_events = 2;
    assert_int_equal(app_plan_next_issue(&v, &kind), EV_AMENDMENT_PROPOSED);
    assert_int_equal(kind, STORE_PLAN_PROPOSED);
    v.n_events = 3;
    assert_int_equal(app_plan_next_issue(&v, &kind), EV_AMENDED_PLAN_ISSUED);
    assert_int_equal(kind, STORE_PLAN_AMENDED);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static const char *encode(arena *a, const plan *p)
{
    buf b;
    buf_init(&b, 4u << 20);
    jsonw w;
    jsonw_init(&w, &b, false);
    plan_json_write(&w, p);
    assert_int_equal(jsonw_finish(&w), SH_OK);
    const char *s = arena_strdup(a, b.data);
    buf_free(&b);
    return s;
}

static void test_json_round_trip(void **state)
{
    arena *a = *state;
    plan p;
    complete_plan(&p, a);
    plan_item k;
    plan_item_init(&k, PLAN_K);
    k.agency = AGENCY_HEALTH;
    k.date = D("2026-03-02");
    k.text = "Paediatrician: \"epilepsy well controlled\"\nNo other needs.";
    assert_int_equal(plan_put(&p, a, &k, NULL), SH_OK);
    plan_item it = *plan_find(&p, PLAN_F, 1);
    it.weeks = 0;
    it.until_review = true;
    it.links[1] = R("C1");
    it.n_links = 2;
    assert_int_equal(plan_put(&p, a, &it, NULL), SH_OK);
    put_provision(&p, a, PLAN_H2, NULL, false);
    p.setting_type = PLAN_SETTING_RESOURCED;
    const char *text = encode(a, &p);
    plan back;
    plan_json_error err = {0};
    assert_int_equal(plan_json_decode(text, strlen(text), a, &back, &err), SH_OK);
    plan_change *v;
    size_t n;
    assert_int_equal(plan_diff(&p, &back, a, &v, &n), SH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(back.n_items, p.n_items);
    assert_string_equal(back.setting_urn, "100001");
    assert_int_equal(back.setting_type, PLAN_SETTING_RESOURCED);
    assert_string_equal(encode(a, &back), text);
    assert_non_null(strstr(text, "\"H1\":[{\"id\":1,\"what\":\"Speech and language therapy\""));
}

static void expect_error(arena *a, const char *text, int rc, const char *field)
{
    plan p;
    plan_json_error err = {0};
    assert_int_equal(plan_json_decode(text, strlen(text), a, &p, &err), rc);
    if (strcmp(err.field, field) != 0)
        print_message("field %s, message %s\n", err.field, err.message);
    assert_string_equal(err.field, field);
}

static void test_json_errors(void **state)
{
    arena *a = *state;
    expect_error(a, "[]", SH_EINVAL, "");
    expect_error(a, "{\"format\":\"other\",\"sections\":{}}", SH_EINVAL, "format");
    expect_error(a, "{\"format\":\"sendhub-plan/1\"}", SH_EINVAL, "sections");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"L\":[]}}", SH_EINVAL,
                 "sections");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"extra\":1,\"sections\":{}}", SH_EINVAL,
                 "extra");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"B\":[{\"id\":1,"
                    "\"text\":\"x\",\"who\":\"y\"}]}}",
                 SH_EINVAL, "sections.B[0].who");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"F\":[{\"id\":1,"
                    "\"what\":\"x\",\"times\":0}]}}",
                 SH_EINVAL, "sections.F[0].times");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"F\":[{\"id\":1,"
                    "\"what\":\"x\",\"per\":\"fortnight\"}]}}",
                 SH_EINVAL, "sections.F[0].per");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"E\":[{\"id\":1,"
                    "\"text\":\"x\",\"needs\":[\"B1\",\"X\"]}]}}",
                 SH_EINVAL, "sections.E[0].needs");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"B\":[{\"id\":2,"
                    "\"text\":\"x\"},{\"id\":2,\"text\":\"y\"}]}}",
                 SH_EINVAL, "sections.B[1].id");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"K\":[{\"id\":1,"
                    "\"date\":\"2026-02-30\"}]}}",
                 SH_EINVAL, "sections.K[0].date");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"I\":{\"urn\":\"12345678\"}}}",
                 SH_EINVAL, "sections.I.urn");
    expect_error(a, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"B\":[[[[[[1]]]]]]}}",
                 SH_ELIMIT, "");
    expect_error(a, "{\"format\":", SH_EINVAL, "");
}

static void test_json_section_ceiling(void **state)
{
    arena *a = *state;
    buf b;
    buf_init(&b, 1u << 20);
    buf_puts(&b, "{\"format\":\"sendhub-plan/1\",\"sections\":{\"B\":[");
    for (int i = 1; i <= PLAN_SECTION_ITEMS_MAX + 1; i++)
        buf_printf(&b, "%s{\"id\":%d,\"text\":\"n\"}", i > 1 ? "," : "", i);
    buf_puts(&b, "]}}");
    plan p;
    plan_json_error err = {0};
    assert_int_equal(plan_json_decode(b.data, b.len, a, &p, &err), SH_ELIMIT);
    buf_free(&b);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_labels),
        T(test_put_orders_and_replaces),
        T(test_put_ceilings),
        T(test_remove_drops_links),
        T(test_quantity_text),
        T(test_complete_plan_has_no_findings),
        T(test_need_without_provision_is_warned),
        T(test_warnings),
        T(test_errors),
        T(test_text_ceiling),
        T(test_diff),
        T(test_diff_setting_after_items),
        T(test_advice_from_events),
        T(test_next_issue_follows_the_journey),
        T(test_json_round_trip),
        T(test_json_errors),
        T(test_json_section_ceiling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
