/*
 * test_access.c — the role table and the one place access to a record is
 * decided: capabilities per role, caseload scoping, and case visibility
 * (own area only; settings see their pupils, health and social care the
 * children with an advice request open to their service).
 *
 * Pure: no database. All data is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "util/err.h"

static app_identity person(app_role role)
{
    app_identity who = {.user_id = 1, .username = "someone", .role = (int)role,
                        .la_code = "990", .remote = ""};
    if (role == ROLE_SETTING)
        memcpy(who.setting_urn, "990012", sizeof "990012");
    return who;
}

/* A case in `la` whose child attends `urn`, with advice open to `advice`. */
typedef struct {
    store_case c;
    store_child child;
} record;

static record record_of(const char *la, const char *urn, unsigned advice)
{
    record r;
    memset(&r, 0, sizeof r);
    memcpy(r.c.la_code, la, STORE_LA_LEN + 1);
    memcpy(r.child.la_code, la, STORE_LA_LEN + 1);
    memcpy(r.child.setting_urn, urn, strlen(urn) + 1);
    r.c.summary.open_advice = advice;
    return r;
}

/* ---- the role table ------------------------------------------------------ */

static void test_role_names_round_trip(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        assert_int_equal(access_role_parse(access_role_name((app_role)r)), r);
        assert_true(strlen(access_role_label((app_role)r)) > 0);
    }
    assert_int_equal(access_role_parse("social_care"), ROLE_SOCIAL_CARE);
    assert_int_equal(access_role_parse("Social_Care"), -1); /* wire names are exact */
    assert_int_equal(access_role_parse("root"), -1);
    assert_int_equal(access_role_parse(""), -1);
    assert_int_equal(access_role_parse(NULL), -1);
    assert_string_equal(access_role_name(ROLE_COUNT), "unknown");
    assert_string_equal(access_role_name((app_role)-1), "unknown");
}

/* Every role's capabilities, as access.h states them. */
static void test_capabilities_per_role(void **state)
{
    (void)state;
    static const struct {
        app_role role;
        bool read, write, team, audit, people, returns, export_returns, reviews, report;
    } expect[] = {
        {ROLE_COORDINATOR, true, true, false, false, false, false, false, true, true},
        {ROLE_MANAGER, true, true, true, true, false, true, true, true, true},
        {ROLE_HEALTH, true, false, false, false, false, false, false, false, false},
        {ROLE_SOCIAL_CARE, true, false, false, false, false, false, false, false, false},
        {ROLE_SETTING, true, false, false, false, false, false, false, true, true},
        {ROLE_ADMIN, false, false, false, true, true, false, false, false, false},
        {ROLE_INSPECTOR, true, false, true, true, false, true, false, true, false},
        {ROLE_PARENT, false, false, false, false, false, false, false, false, false},
        {ROLE_FORUM, false, false, false, false, false, false, false, false, false},
        {ROLE_SYSTEM, true, true, true, true, true, true, true, true, true},
    };
    assert_int_equal(sizeof expect / sizeof expect[0], ROLE_COUNT);
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        app_identity who = person(expect[i].role);
        assert_int_equal(access_can(&who, CAN_READ_CASES), expect[i].read);
        assert_int_equal(access_can(&who, CAN_WRITE_CASES), expect[i].write);
        assert_int_equal(access_can(&who, CAN_SEE_TEAM), expect[i].team);
        assert_int_equal(access_can(&who, CAN_SEE_AUDIT), expect[i].audit);
        assert_int_equal(access_can(&who, CAN_MANAGE_PEOPLE), expect[i].people);
        assert_int_equal(access_can(&who, CAN_SEE_RETURNS), expect[i].returns);
        assert_int_equal(access_can(&who, CAN_EXPORT_RETURNS), expect[i].export_returns);
        assert_int_equal(access_can(&who, CAN_SEE_REVIEWS), expect[i].reviews);
        assert_int_equal(access_can(&who, CAN_REVIEW_REPORT), expect[i].report);
    }
}

/* No identity, or one with a role outside the table, can do nothing. */
/* Health waiting lists (issue 5): children on the lists for health only;
 * the dashboards' counts for health, managers, inspectors, administrators;
 * pathway configuration for administrators. */
static void test_health_capabilities(void **state)
{
    (void)state;
    static const struct {
        app_role role;
        bool record, lists, stats, configure;
    } want[] = {
        {ROLE_COORDINATOR, false, false, false, false}, {ROLE_MANAGER, false, false, true, false},
        {ROLE_HEALTH, true, true, true, false},         {ROLE_SOCIAL_CARE, false, false, false, false},
        {ROLE_SETTING, false, false, false, false},     {ROLE_ADMIN, false, false, true, true},
        {ROLE_INSPECTOR, false, false, true, false},    {ROLE_PARENT, false, false, false, false},
        {ROLE_FORUM, false, false, false, false},       {ROLE_SYSTEM, true, true, true, true},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        app_identity who = person(want[i].role);
        assert_int_equal(access_can(&who, CAN_RECORD_REFERRALS), want[i].record);
        assert_int_equal(access_can(&who, CAN_SEE_WAITING_LISTS), want[i].lists);
        assert_int_equal(access_can(&who, CAN_SEE_PATHWAY_STATS), want[i].stats);
        assert_int_equal(access_can(&who, CAN_CONFIGURE_PATHWAYS), want[i].configure);
    }
}

static void test_invalid_identity_can_do_nothing(void **state)
{
    (void)state;
    app_identity who = person(ROLE_SYSTEM);
    for (int what = 0; what < CAN_COUNT; what++) {
        assert_false(access_can(NULL, (access_capability)what));
        who.role = -1;
        assert_false(access_can(&who, (access_capability)what));
        who.role = ROLE_COUNT;
        assert_false(access_can(&who, (access_capability)what));
    }
}

/* ---- caseload scoping ---------------------------------------------------- */

static void test_caseload_scope_whole_area(void **state)
{
    (void)state;
    static const app_role whole[] = {ROLE_COORDINATOR, ROLE_MANAGER, ROLE_INSPECTOR,
                                     ROLE_SYSTEM};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        app_identity who = person(whole[i]);
        store_case_query q = {.la_code = "999", .setting_urn = NULL, .open_advice = 0};
        assert_int_equal(access_scope_caseload(&who, &q), SH_OK);
        assert_string_equal(q.la_code, "990"); /* the caller's area, whatever was asked */
        assert_null(q.setting_urn);
        assert_int_equal(q.open_advice, 0);
    }
}

static void test_caseload_scope_setting(void **state)
{
    (void)state;
    app_identity who = person(ROLE_SETTING);
    store_case_query q = {.la_code = "990"};
    assert_int_equal(access_scope_caseload(&who, &q), SH_OK);
    assert_string_equal(q.setting_urn, "990012");
    assert_int_equal(q.open_advice, 0);
}

static void test_caseload_scope_health_and_social_care(void **state)
{
    (void)state;
    app_identity health = person(ROLE_HEALTH), social = person(ROLE_SOCIAL_CARE);
    store_case_query q = {.la_code = "990"};
    assert_int_equal(access_scope_caseload(&health, &q), SH_OK);
    assert_int_equal(q.open_advice, 1u << AGENCY_HEALTH);
    assert_null(q.setting_urn);
    store_case_query q2 = {.la_code = "990"};
    assert_int_equal(access_scope_caseload(&social, &q2), SH_OK);
    assert_int_equal(q2.open_advice, 1u << AGENCY_SOCIAL_CARE);
}

static void test_caseload_denied_without_records(void **state)
{
    (void)state;
    static const app_role none[] = {ROLE_ADMIN, ROLE_PARENT};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        app_identity who = person(none[i]);
        store_case_query q = {.la_code = "990"};
        assert_int_equal(access_scope_caseload(&who, &q), SH_EDENIED);
    }
}

/* ---- visibility of one record ------------------------------------------- */

static void test_visible_whole_area_roles(void **state)
{
    (void)state;
    static const app_role whole[] = {ROLE_COORDINATOR, ROLE_MANAGER, ROLE_INSPECTOR,
                                     ROLE_SYSTEM};
    record here = record_of("990", "", 0), there = record_of("991", "", 0);
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        app_identity who = person(whole[i]);
        assert_true(access_case_visible(&who, &here.c, &here.child));
        assert_false(access_case_visible(&who, &there.c, &there.child));
    }
}

static void test_visible_setting_only_its_pupils(void **state)
{
    (void)state;
    app_identity who = person(ROLE_SETTING);
    record pupil = record_of("990", "990012", 0);
    record elsewhere = record_of("990", "990013", 0);
    record no_setting = record_of("990", "", 0);
    record other_area = record_of("991", "990012", 0);
    assert_true(access_case_visible(&who, &pupil.c, &pupil.child));
    assert_false(access_case_visible(&who, &elsewhere.c, &elsewhere.child));
    assert_false(access_case_visible(&who, &no_setting.c, &no_setting.child));
    assert_false(access_case_visible(&who, &other_area.c, &other_area.child));
    /* a setting account without its URN sees nobody, not "everyone with none" */
    who.setting_urn[0] = '\0';
    assert_false(access_case_visible(&who, &no_setting.c, &no_setting.child));
}

static void test_visible_health_and_social_care_by_open_advice(void **state)
{
    (void)state;
    app_identity health = person(ROLE_HEALTH), social = person(ROLE_SOCIAL_CARE);
    record asked_health = record_of("990", "", 1u << AGENCY_HEALTH);
    record asked_social = record_of("990", "", 1u << AGENCY_SOCIAL_CARE);
    record asked_both =
        record_of("990", "", (1u << AGENCY_HEALTH) | (1u << AGENCY_SOCIAL_CARE));
    record asked_education = record_of("990", "", 1u << AGENCY_EDUCATION);
    record answered = record_of("990", "", 0);
    record other_area = record_of("991", "", 1u << AGENCY_HEALTH);
    assert_true(access_case_visible(&health, &asked_health.c, &asked_health.child));
    assert_false(access_case_visible(&health, &asked_social.c, &asked_social.child));
    assert_true(access_case_visible(&health, &asked_both.c, &asked_both.child));
    assert_false(access_case_visible(&health, &asked_education.c, &asked_education.child));
    assert_false(access_case_visible(&health, &answered.c, &answered.child));
    assert_false(access_case_visible(&health, &other_area.c, &other_area.child));
    assert_true(access_case_visible(&social, &asked_social.c, &asked_social.child));
    assert_false(access_case_visible(&social, &asked_health.c, &asked_health.child));
    assert_true(access_case_visible(&social, &asked_both.c, &asked_both.child));
}

static void test_not_visible_to_admin_and_parent(void **state)
{
    (void)state;
    record r = record_of("990", "990012", (1u << AGENCY_HEALTH) | (1u << AGENCY_SOCIAL_CARE));
    app_identity admin = person(ROLE_ADMIN), parent = person(ROLE_PARENT);
    assert_false(access_case_visible(&admin, &r.c, &r.child));
    assert_false(access_case_visible(&parent, &r.c, &r.child));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_names_round_trip),
        cmocka_unit_test(test_capabilities_per_role),
        cmocka_unit_test(test_health_capabilities),
        cmocka_unit_test(test_invalid_identity_can_do_nothing),
        cmocka_unit_test(test_caseload_scope_whole_area),
        cmocka_unit_test(test_caseload_scope_setting),
        cmocka_unit_test(test_caseload_scope_health_and_social_care),
        cmocka_unit_test(test_caseload_denied_without_records),
        cmocka_unit_test(test_visible_whole_area_roles),
        cmocka_unit_test(test_visible_setting_only_its_pupils),
        cmocka_unit_test(test_visible_health_and_social_care_by_open_advice),
        cmocka_unit_test(test_not_visible_to_admin_and_parent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
