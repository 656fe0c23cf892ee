/*
 * test_forum.c — the parent carer forum in the improvement plan (issue 9,
 * co-production): migration 009 on a database that already has people,
 * sessions and portal links (nothing lost, no reference rewritten, the new
 * role accepted and a made-up one still refused), the forum role's reach,
 * and the rules of comments on the plan's actions (app/inspection.h).
 * Runs on SQLite, or on PostgreSQL when SENDHUB_TEST_PG is set. All data is
 * synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/auth.h"
#include "app/inspection.h"
#include "store/migrations.h"
#include "testdb.h"
#include "util/err.h"

#define LA "990"
#define FORUM_ORG "Testshire Parent Carer Forum"
#define NOW 1793000000 /* 2026-10-26, the comments' time */

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

/* ---- migration 009 ------------------------------------------------------------ */

static int highest_version(void)
{
    int v = 0;
    for (size_t i = 0; i < store_migration_count; i++)
        if (strcmp(store_migrations[i].dialect, testdb_dialect()) == 0 &&
            store_migrations[i].version > v)
            v = store_migrations[i].version;
    return v;
}

/* A database as release 008 left it: migrations 1 to 8 applied. */
static void migrate_to_008(const char *url)
{
    assert_int_equal(testdb_exec(url, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                                      " name TEXT NOT NULL, applied_at BIGINT NOT NULL)"),
                     0);
    for (size_t i = 0; i < store_migration_count; i++) {
        const store_migration *m = &store_migrations[i];
        if (strcmp(m->dialect, testdb_dialect()) != 0 || m->version > 8)
            continue;
        assert_int_equal(testdb_exec(url, m->sql), 0);
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d, 'm', 0)", m->version);
        assert_int_equal(testdb_exec(url, sql), 0);
    }
}

/* A session's CSRF token: 43 characters. */
#define CSRF(c) CSRF43_##c
#define CSRF43_a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define CSRF43_b "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* Two people, a session of each, a child linked to the parent through the
 * portal and a message from them: every kind of reference to users. */
static void people_with_references(const char *url, bool pg)
{
    char sql[2048];
    const char *hash1 = pg ? "decode(repeat('11', 32), 'hex')"
                           : "X'1111111111111111111111111111111111111111111111111111111111111111'";
    const char *hash2 = pg ? "decode(repeat('22', 32), 'hex')"
                           : "X'2222222222222222222222222222222222222222222222222222222222222222'";
    snprintf(sql, sizeof sql,
             "INSERT INTO users (la_code, username, display_name, role, organisation,"
             " password_hash, created_at) VALUES"
             " ('" LA "', 'c.coord', 'C. Coord', 'coordinator', 'SEND team', 'x', 1),"
             " ('" LA "', 'p.parent', 'P. Parent', 'parent', NULL, 'x', 2);"
             "INSERT INTO tokens (hash, user_id, kind, csrf, created_at, last_used, expires_at)"
             " SELECT %s, id, 'session', '" CSRF(a) "', 1, 1, 99 FROM users"
             " WHERE username = 'c.coord';"
             "INSERT INTO tokens (hash, user_id, kind, csrf, created_at, last_used, expires_at)"
             " SELECT %s, id, 'session', '" CSRF(b) "', 1, 1, 99 FROM users"
             " WHERE username = 'p.parent';"
             "INSERT INTO children (la_code, forename, surname, date_of_birth, created_at)"
             " VALUES ('" LA "', 'Test', 'Child', '2015-01-01', 0);"
             "INSERT INTO cases (la_code, child_id, opened_at, stage, next_due)"
             " SELECT '" LA "', id, 0, 'assessment', '2026-03-01' FROM children;"
             "INSERT INTO portal_links (user_id, la_code, child_id, relationship, since)"
             " SELECT u.id, '" LA "', c.id, 'parent', 5 FROM users u, children c"
             " WHERE u.username = 'p.parent';"
             "INSERT INTO portal_messages (la_code, case_id, user_id, from_family, body,"
             " created_at) SELECT '" LA "', k.id, u.id, 1, 'Hello', 6 FROM users u, cases k"
             " WHERE u.username = 'p.parent'",
             hash1, hash2);
    assert_int_equal(testdb_exec(url, sql), 0);
}

static void test_migration_keeps_people_and_references(void **state)
{
    (void)state;
    const char *url = testdb_url_empty();
    bool pg = testdb_is_pg(url);
    migrate_to_008(url);
    people_with_references(url, pg);
    assert_int_equal(testdb_exec(url, "INSERT INTO users (la_code, username, display_name, role,"
                                      " password_hash, created_at) VALUES ('" LA "', 'f.early',"
                                      " 'F', 'forum', 'x', 1)"),
                     -1); /* 008 refuses the role */

    store *s = NULL;
    int v = 0;
    assert_int_equal(store_open(url, &s), SH_OK);
    assert_int_equal(store_migrate(s), SH_OK);
    assert_int_equal(store_schema_version(s, &v), SH_OK);
    assert_int_equal(v, highest_version());

    /* every row kept, with its id: the references still find their person */
    assert_int_equal(testdb_count(url, "SELECT count(*) FROM users"), 2);
    assert_int_equal(testdb_count(url, "SELECT count(*) FROM users WHERE username = 'c.coord'"
                                       " AND organisation = 'SEND team' AND created_at = 1"),
                     1);
    assert_int_equal(testdb_count(url, "SELECT count(*) FROM tokens t JOIN users u"
                                       " ON u.id = t.user_id"),
                     2);
    assert_int_equal(testdb_count(url, "SELECT count(*) FROM portal_links l JOIN users u"
                                       " ON u.id = l.user_id WHERE u.username = 'p.parent'"),
                     1);
    assert_int_equal(testdb_count(url, "SELECT count(*) FROM portal_messages m JOIN users u"
                                       " ON u.id = m.user_id"),
                     1);
    if (pg) {
        assert_int_equal(testdb_count(url, "SELECT count(*) FROM pg_constraint"
                                           " WHERE conrelid = 'users'::regclass"
                                           " AND conname = 'users_role_check'"),
                         1);
        /* the six references to users that 008 declared are all still
         * there (later migrations add their own) */
        assert_int_equal(testdb_count(url, "SELECT count(*) FROM pg_constraint"
                                           " WHERE confrelid = 'users'::regclass"
                                           " AND contype = 'f' AND conrelid::regclass::text IN"
                                           " ('tokens', 'portal_invitations', 'portal_links',"
                                           " 'portal_submissions', 'portal_messages',"
                                           " 'portal_outbox')"),
                         6);
    } else {
        assert_int_equal(testdb_count(url, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
        /* the references still name users (not the rebuild's table), and
         * the cascade of sessions and portal links is still declared */
        assert_int_equal(testdb_count(url, "SELECT count(*) FROM sqlite_schema"
                                           " WHERE sql LIKE '%users_009%'"),
                         0);
        assert_int_equal(testdb_count(url, "SELECT count(*) FROM pragma_foreign_key_list('tokens')"
                                           " WHERE \"table\" = 'users'"
                                           " AND on_delete = 'CASCADE'"),
                         1);
        assert_int_equal(testdb_count(url, "SELECT count(*) FROM pragma_foreign_key_list("
                                           "'portal_links') WHERE \"table\" = 'users'"
                                           " AND on_delete = 'CASCADE'"),
                         1);
        assert_int_equal(testdb_count(url, "SELECT count(*) FROM pragma_index_list('users')"
                                           " WHERE \"unique\" = 1"),
                         1);
    }

    /* the new role is accepted, a made-up one still refused */
    store_user forum = {.la_code = LA, .username = "f.forum", .display_name = "F. Forum",
                        .role = "forum", .organisation = FORUM_ORG, .password_hash = "x"};
    assert_int_equal(store_user_insert(s, &forum), SH_OK);
    store_user bogus = {.la_code = LA, .username = "b.bogus", .display_name = "B. Bogus",
                        .role = "chair", .password_hash = "x"};
    assert_int_not_equal(store_user_insert(s, &bogus), SH_OK);
    assert_int_equal(testdb_count(url, "SELECT count(*) FROM users"), 3);

    /* foreign keys are enforced again after migrating: a comment on an
     * action that does not exist is refused */
    store_insp_comment c = {.action_id = 424242, .body = "x", .author = "f.forum",
                            .author_name = "F. Forum", .author_role = "forum"};
    assert_int_equal(store_insp_comment_insert(s, LA, &c), SH_ENOTFOUND);
    store_close(s);
    testdb_drop(url);
}

/* ---- the forum role ------------------------------------------------------------- */

static void test_forum_reach(void **state)
{
    (void)state;
    app_identity who = {.username = "f.forum", .role = ROLE_FORUM, .la_code = LA};
    assert_string_equal(access_role_name(ROLE_FORUM), "forum");
    assert_int_equal(access_role_parse("forum"), ROLE_FORUM);
    assert_true(access_can(&who, CAN_SEE_INSPECTIONS));
    assert_true(access_can(&who, CAN_COMMENT_PLANS));
    for (int c = 0; c < CAN_COUNT; c++)
        if (c != CAN_SEE_INSPECTIONS && c != CAN_COMMENT_PLANS)
            assert_false(access_can(&who, (access_capability)c));
    assert_false(access_sees_whole_area(&who));
    store_case_query q = {0};
    assert_int_equal(access_scope_caseload(&who, &q), SH_EDENIED);
    event_agency ag;
    const char *urn;
    assert_int_equal(access_advice_scope(&who, &ag, &urn), SH_EDENIED);
    assert_false(access_portal_child_visible(&who, true));
    /* who may comment: the forum and the managers who reply */
    static const app_role commenters[] = {ROLE_FORUM, ROLE_MANAGER, ROLE_SYSTEM};
    for (int r = 0; r < ROLE_COUNT; r++) {
        bool want = false;
        for (size_t k = 0; k < sizeof commenters / sizeof commenters[0]; k++)
            want |= commenters[k] == (app_role)r;
        app_identity p = {.role = r, .la_code = LA};
        assert_int_equal(access_can(&p, CAN_COMMENT_PLANS), want);
    }
}

/* ---- comments ------------------------------------------------------------------- */

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t inspection_id, action_id, other_action_id;
    app_identity forum, manager;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(16u << 20);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK ||
        store_area_put(f->s, LA, "Test area") != SH_OK ||
        store_area_put(f->s, "991", "Other area") != SH_OK)
        return -1;
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

static app_identity identity(const store_user *u, app_role role)
{
    app_identity who = {.user_id = u->id, .username = u->username, .role = role, .remote = ""};
    memcpy(who.la_code, u->la_code, sizeof who.la_code);
    return who;
}

/* An inspection of LA with one area to improve and one action; another of
 * area 991 with its own action; the forum's and a manager's accounts. */
static void plan(fixture *f)
{
    const char *areas[2] = {LA, "991"};
    int64_t actions[2];
    for (int k = 0; k < 2; k++) {
        store_inspection in = {.framework = INSP_FW_2023, .outcome = INSP_OUT_2023_WIDESPREAD,
                               .started_on = D(2026, 9, 7), .ended_on = D(2026, 9, 25),
                               .published_on = D(2026, 10, 20), .plan_due_on = DATE_NONE,
                               .accepted_on = DATE_NONE, .created_by = "system"};
        assert_int_equal(store_inspection_insert(f->s, areas[k], &in), SH_OK);
        store_finding fd = {.inspection_id = in.id, .kind = INSP_FIND_PRIORITY_ACTION,
                            .title = "Waiting times", .wording = "Reduce them."};
        assert_int_equal(store_finding_insert(f->s, areas[k], &fd), SH_OK);
        store_action a = {.finding_id = fd.id, .title = "Saturday clinics", .owner_name = "Lead",
                          .owner_org = INSP_ORG_NHS, .start_on = D(2026, 11, 1),
                          .due_on = D(2027, 3, 1), .status = INSP_ACT_NOT_STARTED};
        assert_int_equal(store_action_insert(f->s, areas[k], &a), SH_OK);
        actions[k] = a.id;
        if (k == 0)
            f->inspection_id = in.id;
    }
    f->action_id = actions[0];
    f->other_action_id = actions[1];
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .la_code = LA, .remote = ""};
    app_error err = {0};
    auth_new_user nu = {.username = "f.forum", .display_name = "F. Forum", .role = "forum",
                        .la_code = LA, .organisation = FORUM_ORG,
                        .password = "a long synthetic passphrase 2026"};
    store_user u;
    assert_int_equal(auth_user_add(f->s, &sys, &nu, 1000, &u, &err), SH_OK);
    f->forum = identity(&u, ROLE_FORUM);
    f->forum.username = "f.forum";
    nu = (auth_new_user){.username = "m.manager", .display_name = "M. Manager",
                         .role = "manager", .la_code = LA, .organisation = "",
                         .password = "a long synthetic passphrase 2026"};
    assert_int_equal(auth_user_add(f->s, &sys, &nu, 1000, &u, &err), SH_OK);
    f->manager = identity(&u, ROLE_MANAGER);
    f->manager.username = "m.manager";
}

/* A forum member's account needs the forum's name: it is what their
 * comments carry. */
static void test_forum_account_needs_organisation(void **state)
{
    fixture *f = *state;
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .la_code = LA, .remote = ""};
    app_error err = {0};
    auth_new_user nu = {.username = "f.nameless", .display_name = "F. Nameless",
                        .role = "forum", .la_code = LA, .organisation = "",
                        .password = "a long synthetic passphrase 2026"};
    assert_int_equal(auth_user_add(f->s, &sys, &nu, 1000, NULL, &err), SH_EINVAL);
    assert_string_equal(err.field, "organisation");
    nu.organisation = FORUM_ORG;
    assert_int_equal(auth_user_add(f->s, &sys, &nu, 1000, NULL, &err), SH_OK);
}

static void test_comment_and_reply(void **state)
{
    fixture *f = *state;
    plan(f);
    app_error err = {0};
    store_insp_comment c = {.action_id = f->action_id,
                            .body = "Families were not told the clinics were cancelled.\n"
                                    "Could the letters say what support there is?"};
    assert_int_equal(app_action_comment_add(f->s, &f->forum, &c, NOW, f->a, &err), SH_OK);
    assert_true(c.id > 0);
    assert_string_equal(c.author, "f.forum");
    assert_string_equal(c.author_name, "F. Forum");
    assert_string_equal(c.author_role, "forum");
    assert_string_equal(c.organisation, FORUM_ORG);
    assert_int_equal(c.created_at, NOW);
    store_insp_comment r = {.action_id = f->action_id, .body = "Thank you: from next month."};
    assert_int_equal(app_action_comment_add(f->s, &f->manager, &r, NOW, f->a, &err), SH_OK);

    store_insp_comment *list;
    size_t n = 0;
    app_identity inspector = f->manager;
    inspector.role = ROLE_INSPECTOR;
    assert_int_equal(app_action_comments(f->s, &inspector, f->action_id, f->a, &list, &n, &err),
                     SH_OK);
    assert_int_equal(n, 2); /* oldest first: the comment, then the reply */
    assert_int_equal(list[0].id, c.id);
    assert_string_equal(list[0].body, c.body);
    assert_string_equal(list[0].organisation, FORUM_ORG);
    assert_int_equal(list[0].created_at, NOW);
    assert_string_equal(list[1].author_role, "manager");
    assert_string_equal(list[1].organisation, "");
    assert_int_equal(app_plan_comments(f->s, &f->forum, f->inspection_id, f->a, &list, &n, &err),
                     SH_OK);
    assert_int_equal(n, 2); /* newest first, with the action's title */
    assert_int_equal(list[0].id, r.id);
    assert_string_equal(list[0].action_title, "Saturday clinics");

    /* every comment audited, on the action */
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM audit WHERE"
                                          " object = 'inspection_action' AND detail = 'commented'"),
                     2);
    /* kept as written: the database refuses to change or remove one */
    assert_int_equal(testdb_exec(f->url, "UPDATE inspection_action_comments SET body = 'x'"), -1);
    assert_int_equal(testdb_exec(f->url, "DELETE FROM inspection_action_comments"), -1);
}

/* A second forum member, with an e-mail address when `email` is given. */
static app_identity forum_member(fixture *f, const char *username, const char *email)
{
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .la_code = LA, .remote = ""};
    app_error err = {0};
    auth_new_user nu = {.username = username, .display_name = "A forum member", .role = "forum",
                        .la_code = LA, .organisation = FORUM_ORG, .email = email,
                        .password = "a long synthetic passphrase 2026"};
    store_user u;
    assert_int_equal(auth_user_add(f->s, &sys, &nu, 1000, &u, &err), SH_OK);
    app_identity who = identity(&u, ROLE_FORUM);
    who.username = username;
    return who;
}

static void comment(fixture *f, const app_identity *who, int64_t action_id, const char *body)
{
    app_error err = {0};
    store_insp_comment c = {.action_id = action_id, .body = body};
    assert_int_equal(app_action_comment_add(f->s, who, &c, NOW, f->a, &err), SH_OK);
}

/* Forum members who commented hear of later comments on that action by
 * e-mail, once each, not of their own, and the e-mail names nothing. */
static void test_reply_tells_the_forum(void **state)
{
    fixture *f = *state;
    plan(f);
    app_identity amy = forum_member(f, "a.forum", "amy@forum.example");
    app_identity ben = forum_member(f, "b.forum", "ben@forum.example");
    app_identity nomail = forum_member(f, "n.forum", NULL);
    comment(f, &amy, f->action_id, "Families were not told the clinics were cancelled.");
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox"), 0);
    comment(f, &amy, f->action_id, "And a second thought.");
    comment(f, &nomail, f->action_id, "We agree.");
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox WHERE to_email ="
                                          " 'amy@forum.example'"), 1); /* nomail's comment */
    comment(f, &f->manager, f->action_id, "Letters will say what support there is.");
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox WHERE to_email ="
                                          " 'amy@forum.example'"), 2); /* one per comment */
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox"), 2);
    /* ben commented on nothing, then on the action: from now on he hears too */
    comment(f, &ben, f->action_id, "Thank you.");
    comment(f, &f->manager, f->action_id, "From next month.");
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox WHERE to_email ="
                                          " 'ben@forum.example'"), 1);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox WHERE to_email ="
                                          " 'amy@forum.example'"), 4);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox WHERE"
                                          " body LIKE '%clinic%' OR body LIKE '%month%'"
                                          " OR subject LIKE '%Saturday%'"), 0);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM portal_outbox"), 5);
}

static void test_comment_rules(void **state)
{
    fixture *f = *state;
    plan(f);
    app_error err = {0};
    store_insp_comment c = {.action_id = f->action_id, .body = ""};
    assert_int_equal(app_action_comment_add(f->s, &f->forum, &c, NOW, f->a, &err), SH_EINVAL);
    assert_string_equal(err.field, "comment");
    char *longer = arena_alloc(f->a, STORE_COMMENT_BODY_MAX + 2);
    memset(longer, 'a', STORE_COMMENT_BODY_MAX + 1);
    longer[STORE_COMMENT_BODY_MAX + 1] = '\0';
    c.body = longer;
    assert_int_equal(app_action_comment_add(f->s, &f->forum, &c, NOW, f->a, &err), SH_EINVAL);
    assert_string_equal(err.field, "comment");
    longer[STORE_COMMENT_BODY_MAX] = '\0'; /* exactly the ceiling */
    assert_int_equal(app_action_comment_add(f->s, &f->forum, &c, NOW, f->a, &err), SH_OK);
    c.body = "bell \a inside";
    assert_int_equal(app_action_comment_add(f->s, &f->forum, &c, NOW, f->a, &err), SH_EINVAL);

    /* another area's action is not found, and nothing is written */
    c = (store_insp_comment){.action_id = f->other_action_id, .body = "Hello"};
    assert_int_equal(app_action_comment_add(f->s, &f->forum, &c, NOW, f->a, &err), SH_ENOTFOUND);
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM inspection_action_comments"), 1);

    /* inspectors read and do not comment; coordinators see nothing */
    app_identity who = f->manager;
    who.role = ROLE_INSPECTOR;
    c.action_id = f->action_id;
    assert_int_equal(app_action_comment_add(f->s, &who, &c, NOW, f->a, &err), SH_EDENIED);
    who.role = ROLE_COORDINATOR;
    store_insp_comment *list;
    size_t n;
    assert_int_equal(app_action_comments(f->s, &who, f->action_id, f->a, &list, &n, &err),
                     SH_EDENIED);
    assert_int_equal(app_plan_comments(f->s, &who, f->inspection_id, f->a, &list, &n, &err),
                     SH_EDENIED);
}

/* The forum reads the plan and comments; it changes nothing else. */
static void test_forum_changes_nothing(void **state)
{
    fixture *f = *state;
    plan(f);
    app_error err = {0};
    store_inspection in = {.framework = INSP_FW_2023, .outcome = INSP_OUT_2023_POSITIVE,
                           .started_on = D(2026, 9, 7), .ended_on = D(2026, 9, 25),
                           .published_on = D(2026, 10, 20), .plan_due_on = DATE_NONE,
                           .accepted_on = DATE_NONE};
    assert_int_equal(app_inspection_record(f->s, &f->forum, &in, D(2026, 11, 2), &err), SH_EDENIED);
    store_action_update u = {.action_id = f->action_id, .dated_on = D(2026, 11, 2),
                             .status = INSP_ACT_DONE, .note = "Done"};
    assert_int_equal(app_action_update(f->s, &f->forum, &u, D(2026, 11, 2), &err), SH_EDENIED);
    store_action a = {.finding_id = 1, .title = "More", .owner_name = "Forum",
                      .owner_org = INSP_ORG_PCF, .start_on = D(2026, 11, 2),
                      .due_on = D(2026, 12, 2)};
    assert_int_equal(app_action_add(f->s, &f->forum, &a, &err), SH_EDENIED);
    store_measure m = {.finding_id = 1, .measure = INSP_M_PLANS_20W, .baseline_on = D(2026, 10, 1),
                       .target_on = D(2027, 10, 1), .target_x10 = 600};
    assert_int_equal(app_measure_add(f->s, &f->forum, &m, D(2026, 11, 2), &err), SH_EDENIED);
    store_judgement j = {.inspection_id = f->inspection_id, .judged_on = D(2026, 11, 2),
                         .sufficient = true, .reasons = "Fine"};
    assert_int_equal(app_judgement_record(f->s, &f->forum, &j, D(2026, 11, 2), &err), SH_EDENIED);

    /* what it may read: the list, the inspection with its plan, an action */
    store_inspection *rows;
    size_t n;
    assert_int_equal(app_inspections(f->s, &f->forum, f->a, &rows, &n, &err), SH_OK);
    assert_int_equal(n, 1);
    app_inspection_view v;
    assert_int_equal(app_inspection_get(f->s, &f->forum, f->inspection_id, f->a, &v, &err), SH_OK);
    assert_int_equal(v.n_actions, 1);
    assert_int_equal(v.actions[0].status, INSP_ACT_NOT_STARTED);
    store_action got;
    store_action_update *ups;
    assert_int_equal(app_action_get(f->s, &f->forum, f->action_id, f->a, &got, &ups, &n, &err),
                     SH_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migration_keeps_people_and_references),
        cmocka_unit_test(test_forum_reach),
        cmocka_unit_test_setup_teardown(test_forum_account_needs_organisation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comment_and_reply, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_tells_the_forum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comment_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forum_changes_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
