/*
 * test_store.c — the SQLite store against a temporary database file.
 *
 * Each test gets a fresh, migrated database in /tmp (removed afterwards,
 * with its -wal and -shm files). All data is synthetic.
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
#include <sqlite3.h>

#include "testdb.h"
#include "store/migrations.h"
#include "store/store.h"
#include "util/err.h"

#define ARENA_LIMIT (16u << 20)

typedef struct {
    const char *url;
    store *s;
    arena *a;
} fixture;

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(ARENA_LIMIT);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
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

/* ---- builders ----------------------------------------------------------- */

static store_child child_new(const char *la, const char *forename, const char *surname,
                             date_t dob)
{
    store_child c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "%s", la);
    c.forename = forename;
    c.surname = surname;
    c.date_of_birth = dob;
    c.sen_need[0] = -1;
    c.sen_need[1] = -1;
    return c;
}

static int64_t add_child(store *s, const char *la, const char *forename, const char *surname,
                         date_t dob)
{
    store_child c = child_new(la, forename, surname, dob);
    assert_int_equal(store_child_insert(s, &c), SH_OK);
    assert_true(c.id > 0);
    return c.id;
}

static store_case_summary summary_new(journey_stage stage, date_t next_due)
{
    store_case_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.stage = stage;
    sum.request_date = DATE_NONE;
    sum.final_plan_date = DATE_NONE;
    sum.next_due = next_due;
    sum.within_20_weeks = -1;
    return sum;
}

static int64_t add_case(store *s, const char *la, int64_t child_id, const char *coordinator,
                        journey_stage stage, date_t next_due)
{
    store_case c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "%s", la);
    c.child_id = child_id;
    c.coordinator = coordinator;
    c.summary = summary_new(stage, next_due);
    assert_int_equal(store_case_insert(s, &c), SH_OK);
    assert_true(c.id > 0);
    return c.id;
}

static int64_t add_event(store *s, const char *la, int64_t case_id, event_type t, date_t d)
{
    event e;
    event_init(&e, t, d);
    assert_int_equal(store_event_insert(s, la, case_id, &e, "tester"), SH_OK);
    return e.id;
}

/* ---- open and migrate --------------------------------------------------- */

static int expected_version(void)
{
    int v = 0;
    for (size_t i = 0; i < store_migration_count; i++)
        if (strcmp(store_migrations[i].dialect, testdb_dialect()) == 0 && store_migrations[i].version > v)
            v = store_migrations[i].version;
    return v;
}

/* Migrations of this dialect: numbers can have gaps while branches that
 * own the numbers in between are merged, so rows are counted, not assumed. */
static int64_t migration_count(void)
{
    int64_t n = 0;
    for (size_t i = 0; i < store_migration_count; i++)
        n += strcmp(store_migrations[i].dialect, testdb_dialect()) == 0;
    return n;
}

static int64_t sql_count(const char *url, const char *sql)
{
    return testdb_count(url, sql);
}

static void test_migrate_idempotent(void **state)
{
    fixture *f = *state;
    int v = -1;
    assert_true(expected_version() >= 1);
    assert_int_equal(store_schema_version(f->s, &v), SH_OK);
    assert_int_equal(v, expected_version());
    assert_int_equal(store_migrate(f->s), SH_OK);
    assert_int_equal(store_migrate(f->s), SH_OK);
    assert_int_equal(store_schema_version(f->s, &v), SH_OK);
    assert_int_equal(v, expected_version());
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM schema_version"),
                     migration_count());
    if (!testdb_is_pg(f->url))
        assert_int_equal(sql_count(f->url, "SELECT count(*) FROM pragma_journal_mode"
                                           " WHERE journal_mode = 'wal'"), 1);
}

static void test_unmigrated_version_zero(void **state)
{
    fixture *f = *state;
    (void)f;
    const char *path = testdb_url_empty();
    store *s = NULL;
    int v = -1;
    assert_int_equal(store_open(path, &s), SH_OK);
    assert_int_equal(store_schema_version(s, &v), SH_OK);
    assert_int_equal(v, 0);
    store_close(s);
    testdb_drop(path);
}

/* A database made by the first release: 002 adds open_advice (0) to the
 * cases already there and the new tables beside them. */
static void test_migrate_from_001(void **state)
{
    fixture *f = *state;
    const char *path = testdb_url_empty();
    assert_int_equal(testdb_exec(path, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                                       " name TEXT NOT NULL, applied_at BIGINT NOT NULL)"), 0);
    for (size_t i = 0; i < store_migration_count; i++)
        if (strcmp(store_migrations[i].dialect, testdb_dialect()) == 0
            && store_migrations[i].version == 1)
            assert_int_equal(testdb_exec(path, store_migrations[i].sql), 0);
    assert_int_equal(testdb_exec(path,
                                 "INSERT INTO schema_version VALUES (1, '001_init', 0);"
                                 "INSERT INTO children (la_code, forename, surname,"
                                 " date_of_birth, created_at)"
                                 " VALUES ('202', 'Old', 'Case', '2014-01-01', 0);"
                                 "INSERT INTO cases (la_code, child_id, opened_at, stage,"
                                 " next_due) VALUES ('202', 1, 0, 'assessment', '2026-03-01')"),
                     0);

    store *s = NULL;
    int v = 0;
    assert_int_equal(store_open(path, &s), SH_OK);
    assert_int_equal(store_migrate(s), SH_OK);
    assert_int_equal(store_schema_version(s, &v), SH_OK);
    assert_int_equal(v, expected_version());
    store_case c;
    assert_int_equal(store_case_get(s, "202", 1, f->a, &c), SH_OK);
    assert_int_equal(c.summary.stage, STAGE_ASSESSMENT);
    assert_int_equal(c.summary.open_advice, 0);
    store_user u = {.la_code = "202", .username = "amy", .display_name = "Amy",
                    .role = "coordinator", .password_hash = "x"};
    assert_int_equal(store_user_insert(s, &u), SH_OK);
    store_close(s);
    testdb_drop(path);
}

/* The migration left out of test_migrate_fills_a_gap: it adds a table no
 * later migration touches, so the others apply without it (010 was used
 * until 016 rebuilt the outbox with 010's columns). */
#define GAP_VERSION 14
#define GAP_NAME "014_views_requests"

/* Runs store_migrate with stderr going to a file, whose text (at most
 * cap - 1 bytes) is put in out. */
static int migrate_capturing(store *s, char *out, size_t cap)
{
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
    int rc = store_migrate(s);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    rewind(tmp);
    size_t n = fread(out, 1, cap - 1, tmp);
    out[n] = '\0';
    fclose(tmp);
    return rc;
}

/* A database that got later migrations before 014 existed (from a branch):
 * every migration but 014 applied and recorded, each with its own
 * applied_at. store_migrate applies 014 alone, records it, says so on
 * stderr, leaves every other row as it was; a second run does nothing. */
static void test_migrate_fills_a_gap(void **state)
{
    (void)state;
    const char *path = testdb_url_empty();
    assert_true(expected_version() > GAP_VERSION);
    assert_int_equal(testdb_exec(path, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                                       " name TEXT NOT NULL, applied_at BIGINT NOT NULL)"), 0);
    for (size_t i = 0; i < store_migration_count; i++) {
        const store_migration *m = &store_migrations[i];
        if (strcmp(m->dialect, testdb_dialect()) != 0 || m->version == GAP_VERSION)
            continue;
        assert_int_equal(testdb_exec(path, m->sql), 0);
        char sql[160];
        snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d, '%s', %d)", m->version,
                 m->name, 1000 + m->version);
        assert_int_equal(testdb_exec(path, sql), 0);
    }
    assert_int_equal(testdb_count(path, "SELECT count(*) FROM views_requests"), -1);

    store *s = NULL;
    int v = 0;
    char err[512], want[128];
    assert_int_equal(store_open(path, &s), SH_OK);
    assert_int_equal(store_schema_version(s, &v), SH_OK);
    assert_int_equal(v, expected_version());
    assert_int_equal(migrate_capturing(s, err, sizeof err), SH_OK);
    snprintf(want, sizeof want, "store: applying " GAP_NAME " out of order (%03d already applied)\n",
             expected_version());
    assert_non_null(strstr(err, want));
    assert_null(strstr(strstr(err, want) + strlen(want), "out of order"));
    assert_int_equal(store_schema_version(s, &v), SH_OK);
    assert_int_equal(v, expected_version());

    /* 014's table exists; its row is recorded now; no other migration ran
     * again (their rows keep their applied_at) */
    assert_int_equal(testdb_count(path, "SELECT count(*) FROM views_requests"), 0);
    assert_int_equal(testdb_count(path, "SELECT count(*) FROM schema_version"), migration_count());
    assert_int_equal(testdb_count(path, "SELECT count(*) FROM schema_version WHERE version = 14"
                                        " AND name = '" GAP_NAME "' AND applied_at > 1000000"), 1);
    assert_int_equal(testdb_count(path, "SELECT count(*) FROM schema_version"
                                        " WHERE applied_at = 1000 + version"),
                     migration_count() - 1);

    assert_int_equal(migrate_capturing(s, err, sizeof err), SH_OK);
    assert_string_equal(err, "");
    assert_int_equal(testdb_count(path, "SELECT count(*) FROM schema_version"), migration_count());
    assert_int_equal(testdb_count(path, "SELECT count(*) FROM schema_version"
                                        " WHERE applied_at = 1000 + version"),
                     migration_count() - 1);
    store_close(s);
    testdb_drop(path);
}

static void test_open_urls(void **state)
{
    fixture *f = *state;
    char url[TESTDB_URL_MAX + 8];
    store *s = NULL;
    snprintf(url, sizeof url, "%s%s", testdb_is_pg(f->url) ? "" : "sqlite:", f->url);
    assert_int_equal(store_open(url, &s), SH_OK);
    assert_string_equal(store_backend(s), testdb_is_pg(f->url) ? "postgresql" : "sqlite");
    int v = 0;
    assert_int_equal(store_schema_version(s, &v), SH_OK);
    assert_int_equal(v, expected_version());
    store_close(s);
    /* PostgreSQL URLs go to that backend (not refused as unsupported); no
     * server listens on port 1, so they fail to connect. */
    int rc = store_open("postgresql://127.0.0.1:1/sendhub", &s);
    assert_int_not_equal(rc, SH_OK);
    assert_int_not_equal(rc, SH_EINVAL);
    assert_null(s);
    rc = store_open("postgres://127.0.0.1:1/sendhub", &s);
    assert_int_not_equal(rc, SH_OK);
    assert_int_not_equal(rc, SH_EINVAL);
    assert_null(s);
    assert_int_equal(store_open("mysql://localhost/sendhub", &s), SH_EINVAL);
    assert_int_equal(store_open("", &s), SH_EINVAL);
    assert_int_equal(store_open("sqlite:", &s), SH_EINVAL);
    assert_int_not_equal(store_open("/nonexistent-dir/x/y.db", &s), SH_OK);
    assert_null(s);
}

/* ---- areas and settings ------------------------------------------------- */

static void test_area_setting_round_trip(void **state)
{
    fixture *f = *state;
    const char *name = NULL;
    assert_int_equal(store_area_put(f->s, "202", "Camden"), SH_OK);
    assert_int_equal(store_area_name(f->s, "202", f->a, &name), SH_OK);
    assert_string_equal(name, "Camden");
    assert_int_equal(store_area_put(f->s, "202", "London Borough of Camden"), SH_OK);
    assert_int_equal(store_area_name(f->s, "202", f->a, &name), SH_OK);
    assert_string_equal(name, "London Borough of Camden");
    assert_int_equal(store_area_name(f->s, "999", f->a, &name), SH_ENOTFOUND);

    assert_int_equal(store_setting_put(f->s, "202", "100000", "Hill Primary", "primary"), SH_OK);
    assert_int_equal(store_setting_name(f->s, "100000", f->a, &name), SH_OK);
    assert_string_equal(name, "Hill Primary");
    assert_int_equal(store_setting_put(f->s, "202", "100000", "Hill Academy", NULL), SH_OK);
    assert_int_equal(store_setting_name(f->s, "100000", f->a, &name), SH_OK);
    assert_string_equal(name, "Hill Academy");
    assert_int_equal(store_setting_name(f->s, "123456", f->a, &name), SH_ENOTFOUND);
}

/* ---- children ----------------------------------------------------------- */

static void test_child_round_trip(void **state)
{
    fixture *f = *state;
    store_child c = child_new("202", "Amelia", "O'Neill-Smith", D(2015, 2, 28));
    snprintf(c.upn, sizeof c.upn, "A123456789012");
    snprintf(c.nhs_number, sizeof c.nhs_number, "9434765919");
    snprintf(c.postcode, sizeof c.postcode, "NW1 2DB");
    snprintf(c.setting_urn, sizeof c.setting_urn, "100001");
    c.sen_need[0] = SEN_ASD;
    c.sen_need[1] = SEN_SLCN;
    assert_int_equal(store_child_insert(f->s, &c), SH_OK);
    assert_true(c.id > 0);
    assert_true(c.created_at > 1700000000);

    store_child g;
    assert_int_equal(store_child_get(f->s, "202", c.id, f->a, &g), SH_OK);
    assert_int_equal(g.id, c.id);
    assert_string_equal(g.la_code, "202");
    assert_string_equal(g.forename, "Amelia");
    assert_string_equal(g.surname, "O'Neill-Smith");
    assert_int_equal(g.date_of_birth, D(2015, 2, 28));
    assert_string_equal(g.upn, "A123456789012");
    assert_string_equal(g.nhs_number, "9434765919");
    assert_string_equal(g.postcode, "NW1 2DB");
    assert_int_equal(g.sen_need[0], SEN_ASD);
    assert_int_equal(g.sen_need[1], SEN_SLCN);
    assert_string_equal(g.setting_urn, "100001");
    assert_int_equal(g.created_at, c.created_at);

    /* Every optional field absent comes back absent. */
    int64_t id = add_child(f->s, "202", "Ben", "Ng", D(2018, 12, 31));
    assert_int_equal(store_child_get(f->s, "202", id, f->a, &g), SH_OK);
    assert_string_equal(g.upn, "");
    assert_string_equal(g.nhs_number, "");
    assert_string_equal(g.postcode, "");
    assert_string_equal(g.setting_urn, "");
    assert_int_equal(g.sen_need[0], -1);
    assert_int_equal(g.sen_need[1], -1);
    assert_int_equal(store_child_get(f->s, "202", id + 100, f->a, &g), SH_ENOTFOUND);
}

static void test_child_invalid_sen(void **state)
{
    fixture *f = *state;
    store_child c = child_new("202", "Cara", "Lee", D(2016, 1, 1));
    c.sen_need[0] = SEN_TYPE_COUNT;
    assert_int_equal(store_child_insert(f->s, &c), SH_EINVAL);
}

static void test_child_unique_ids(void **state)
{
    fixture *f = *state;
    store_child a = child_new("202", "Dan", "Ray", D(2014, 5, 6));
    snprintf(a.upn, sizeof a.upn, "A123456789012");
    snprintf(a.nhs_number, sizeof a.nhs_number, "9434765919");
    assert_int_equal(store_child_insert(f->s, &a), SH_OK);

    store_child b = child_new("202", "Eve", "Ray", D(2014, 5, 6));
    snprintf(b.upn, sizeof b.upn, "A123456789012");
    assert_int_equal(store_child_insert(f->s, &b), SH_ECONFLICT);

    store_child c = child_new("202", "Fay", "Ray", D(2014, 5, 6));
    snprintf(c.nhs_number, sizeof c.nhs_number, "9434765919");
    assert_int_equal(store_child_insert(f->s, &c), SH_ECONFLICT);

    /* Uniqueness is per area; absent identifiers never collide. */
    store_child d = child_new("203", "Gus", "Ray", D(2014, 5, 6));
    snprintf(d.upn, sizeof d.upn, "A123456789012");
    snprintf(d.nhs_number, sizeof d.nhs_number, "9434765919");
    assert_int_equal(store_child_insert(f->s, &d), SH_OK);
    add_child(f->s, "202", "Hal", "Ray", D(2014, 5, 6));
    add_child(f->s, "202", "Ian", "Ray", D(2014, 5, 6));
}

static void test_child_tenancy(void **state)
{
    fixture *f = *state;
    store_child g;
    int64_t id = add_child(f->s, "202", "Jo", "King", D(2013, 3, 3));
    assert_int_equal(store_child_get(f->s, "202", id, f->a, &g), SH_OK);
    assert_int_equal(store_child_get(f->s, "203", id, f->a, &g), SH_ENOTFOUND);
    assert_int_equal(store_child_get(f->s, NULL, id, f->a, &g), SH_ENOTFOUND);
}

static store_child_query child_query(const char *la)
{
    store_child_query q;
    memset(&q, 0, sizeof q);
    q.la_code = la;
    q.date_of_birth = DATE_NONE;
    return q;
}

static void test_child_find(void **state)
{
    fixture *f = *state;
    int64_t smith = add_child(f->s, "202", "Zara", "Smith", D(2015, 1, 1));
    int64_t smythe = add_child(f->s, "202", "Adam", "Smythe", D(2016, 2, 2));
    int64_t blacksmith = add_child(f->s, "202", "Cleo", "Blacksmith", D(2015, 1, 1));
    int64_t pct = add_child(f->s, "202", "100%_Real", "Test", D(2017, 3, 3));
    add_child(f->s, "202", "100xxReal", "Test", D(2017, 3, 3));
    add_child(f->s, "203", "Zara", "Smith", D(2015, 1, 1));
    store_child u = child_new("202", "Uma", "Upn", D(2012, 4, 4));
    snprintf(u.upn, sizeof u.upn, "B123456789012");
    snprintf(u.nhs_number, sizeof u.nhs_number, "4010232137");
    assert_int_equal(store_child_insert(f->s, &u), SH_OK);

    store_child *out;
    size_t n, total;
    store_child_query q = child_query("202");
    q.name = "SMITH";
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].id, blacksmith); /* ordered by surname */
    assert_int_equal(out[1].id, smith);

    q.name = "sm"; /* forename or surname, case-insensitive */
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(total, 3);
    assert_int_equal(out[2].id, smythe);

    q.name = "%_"; /* LIKE metacharacters match literally */
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(out[0].id, pct);
    assert_string_equal(out[0].forename, "100%_Real");
    q.name = "_";
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(total, 1);

    q = child_query("202");
    q.date_of_birth = D(2015, 1, 1);
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(total, 2);

    q = child_query("202");
    q.upn = "B123456789012";
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(out[0].id, u.id);
    q = child_query("202");
    q.nhs_number = "4010232137";
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].id, u.id);
    q.nhs_number = "4010232138";
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(total, 0);

    /* Paging: the total counts every match, the page only its slice. */
    q = child_query("202");
    q.limit = 2;
    q.offset = 1;
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(total, 6);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].id, smith);
    assert_int_equal(out[1].id, smythe);
}

static void test_injection_name_verbatim(void **state)
{
    fixture *f = *state;
    const char *evil = "Robert'); DROP TABLE children;--";
    int64_t id = add_child(f->s, "202", evil, "\"; DELETE FROM cases; --", D(2011, 1, 1));
    store_child g;
    assert_int_equal(store_child_get(f->s, "202", id, f->a, &g), SH_OK);
    assert_string_equal(g.forename, evil);
    assert_string_equal(g.surname, "\"; DELETE FROM cases; --");
    store_child_query q = child_query("202");
    q.name = "'); DROP";
    store_child *out;
    size_t n, total;
    assert_int_equal(store_child_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].forename, evil);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM children"), 1);
}

/* ---- cases -------------------------------------------------------------- */

static void test_case_round_trip(void **state)
{
    fixture *f = *state;
    int64_t child = add_child(f->s, "202", "Kim", "Lo", D(2014, 7, 7));
    store_case c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "202");
    c.child_id = child;
    c.coordinator = "jsmith";
    c.summary.stage = STAGE_PLAN;
    c.summary.request_date = D(2026, 1, 5);
    c.summary.final_plan_date = D(2026, 5, 20);
    c.summary.next_due = D(2027, 5, 20);
    snprintf(c.summary.next_step, sizeof c.summary.next_step, "advice:health");
    c.summary.within_20_weeks = 1;
    c.summary.exceptions_apply = true;
    c.summary.event_count = 9;
    assert_int_equal(store_case_insert(f->s, &c), SH_OK);
    assert_true(c.id > 0);
    assert_true(c.opened_at > 1700000000);

    store_case g;
    assert_int_equal(store_case_get(f->s, "202", c.id, f->a, &g), SH_OK);
    assert_int_equal(g.id, c.id);
    assert_string_equal(g.la_code, "202");
    assert_int_equal(g.child_id, child);
    assert_string_equal(g.coordinator, "jsmith");
    assert_int_equal(g.opened_at, c.opened_at);
    assert_int_equal(g.summary.stage, STAGE_PLAN);
    assert_int_equal(g.summary.request_date, D(2026, 1, 5));
    assert_int_equal(g.summary.final_plan_date, D(2026, 5, 20));
    assert_int_equal(g.summary.next_due, D(2027, 5, 20));
    assert_string_equal(g.summary.next_step, "advice:health");
    assert_int_equal(g.summary.within_20_weeks, 1);
    assert_true(g.summary.exceptions_apply);
    assert_int_equal(g.summary.event_count, 9);
    assert_int_equal(store_case_get(f->s, "203", c.id, f->a, &g), SH_ENOTFOUND);

    /* Every stage survives the trip by wire name; absent values stay absent. */
    for (int st = 0; st < STAGE_COUNT; st++) {
        store_case_summary sum = summary_new((journey_stage)st, DATE_NONE);
        sum.within_20_weeks = st % 2 ? -1 : 0;
        assert_int_equal(store_case_summary_update(f->s, "202", c.id, &sum), SH_OK);
        assert_int_equal(store_case_get(f->s, "202", c.id, f->a, &g), SH_OK);
        assert_int_equal(g.summary.stage, st);
        assert_int_equal(g.summary.request_date, DATE_NONE);
        assert_int_equal(g.summary.final_plan_date, DATE_NONE);
        assert_int_equal(g.summary.next_due, DATE_NONE);
        assert_string_equal(g.summary.next_step, "");
        assert_int_equal(g.summary.within_20_weeks, sum.within_20_weeks);
        assert_false(g.summary.exceptions_apply);
        assert_int_equal(g.summary.event_count, 0);
    }
    store_case_summary sum = summary_new(STAGE_REQUEST, DATE_NONE);
    assert_int_equal(store_case_summary_update(f->s, "203", c.id, &sum), SH_ENOTFOUND);
    assert_int_equal(store_case_summary_update(f->s, "202", c.id + 1, &sum), SH_ENOTFOUND);
    sum.stage = (journey_stage)STAGE_COUNT;
    assert_int_equal(store_case_summary_update(f->s, "202", c.id, &sum), SH_EINVAL);

    /* No coordinator reads back as "". */
    int64_t id = add_case(f->s, "202", child, NULL, STAGE_REQUEST, DATE_NONE);
    assert_int_equal(store_case_get(f->s, "202", id, f->a, &g), SH_OK);
    assert_string_equal(g.coordinator, "");
}

static void test_case_missing_child(void **state)
{
    fixture *f = *state;
    int64_t child = add_child(f->s, "202", "Lia", "Ma", D(2014, 7, 7));
    store_case c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "202");
    c.child_id = child + 1;
    c.summary = summary_new(STAGE_REQUEST, DATE_NONE);
    assert_int_equal(store_case_insert(f->s, &c), SH_ENOTFOUND);
    /* The child exists, but in another area. */
    snprintf(c.la_code, sizeof c.la_code, "203");
    c.child_id = child;
    assert_int_equal(store_case_insert(f->s, &c), SH_ENOTFOUND);
}

static store_case_query case_query(const char *la)
{
    store_case_query q;
    memset(&q, 0, sizeof q);
    q.la_code = la;
    q.stage = -1;
    q.due_on_or_before = DATE_NONE;
    q.overdue_at = DATE_NONE;
    q.sen_need = -1;
    q.date_of_birth = DATE_NONE;
    return q;
}

static void case_list(fixture *f, const store_case_query *q, size_t want_total,
                      size_t want_n, const int64_t *want_ids)
{
    store_caseload_row *rows;
    size_t n, total;
    assert_int_equal(store_case_list(f->s, q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, want_total);
    assert_int_equal(n, want_n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rows[i].c.id, want_ids[i]);
}

static void test_case_list(void **state)
{
    fixture *f = *state;
    int64_t k1 = add_child(f->s, "202", "Nia", "Owen", D(2014, 1, 2));
    int64_t k2 = add_child(f->s, "202", "Pip", "Quin", D(2015, 3, 4));
    int64_t k9 = add_child(f->s, "203", "Ros", "Sung", D(2016, 5, 6));
    int64_t c_none = add_case(f->s, "202", k1, "amy", STAGE_PLAN, DATE_NONE);
    int64_t c_late = add_case(f->s, "202", k1, "amy", STAGE_ASSESSMENT, D(2026, 3, 1));
    int64_t c_mid = add_case(f->s, "202", k2, "bob", STAGE_ASSESSMENT, D(2026, 4, 1));
    int64_t c_mid2 = add_case(f->s, "202", k2, "amy", STAGE_DRAFT, D(2026, 4, 1));
    int64_t c_far = add_case(f->s, "202", k2, "", STAGE_REQUEST, D(2026, 9, 1));
    add_case(f->s, "203", k9, "amy", STAGE_ASSESSMENT, D(2026, 1, 1));

    store_case_query q = case_query("202");
    int64_t all[] = {c_late, c_mid, c_mid2, c_far, c_none};
    case_list(f, &q, 5, 5, all);

    store_caseload_row *rows;
    size_t n, total;
    assert_int_equal(store_case_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_string_equal(rows[0].forename, "Nia");
    assert_string_equal(rows[0].surname, "Owen");
    assert_int_equal(rows[0].date_of_birth, D(2014, 1, 2));
    assert_string_equal(rows[0].c.coordinator, "amy");
    assert_int_equal(rows[0].c.summary.next_due, D(2026, 3, 1));

    q.stage = STAGE_ASSESSMENT;
    int64_t assess[] = {c_late, c_mid};
    case_list(f, &q, 2, 2, assess);

    q = case_query("202");
    q.coordinator = "amy";
    int64_t amy[] = {c_late, c_mid2, c_none};
    case_list(f, &q, 3, 3, amy);
    q.coordinator = "";
    int64_t unassigned[] = {c_far};
    case_list(f, &q, 1, 1, unassigned);

    q = case_query("202");
    q.due_on_or_before = D(2026, 4, 1);
    int64_t due[] = {c_late, c_mid, c_mid2};
    case_list(f, &q, 3, 3, due);
    q = case_query("202");
    q.overdue_at = D(2026, 4, 1);
    int64_t overdue[] = {c_late};
    case_list(f, &q, 1, 1, overdue);

    q = case_query("202");
    q.child_id = k2;
    int64_t of_k2[] = {c_mid, c_mid2, c_far};
    case_list(f, &q, 3, 3, of_k2);

    q = case_query("202");
    q.limit = 2;
    q.offset = 2;
    int64_t page[] = {c_mid2, c_far};
    case_list(f, &q, 5, 2, page);
    q.offset = 10;
    case_list(f, &q, 5, 0, NULL);
    q = case_query("202");
    q.coordinator = "amy";
    q.stage = STAGE_DRAFT;
    q.limit = 1;
    int64_t amy_draft[] = {c_mid2};
    case_list(f, &q, 1, 1, amy_draft);

    q = case_query("202");
    q.limit = STORE_PAGE_MAX + 50; /* clamped, not refused */
    case_list(f, &q, 5, 5, all);
    q.stage = 99;
    assert_int_equal(store_case_list(f->s, &q, f->a, &rows, &n, &total), SH_EINVAL);
}

/* ---- open advice and the caseload's child filters ----------------------- */

#define ADVICE(agency) (1u << (agency))

static int64_t add_case_advice(store *s, const char *la, int64_t child_id,
                               const char *coordinator, date_t next_due, unsigned advice)
{
    store_case c;
    memset(&c, 0, sizeof c);
    snprintf(c.la_code, sizeof c.la_code, "%s", la);
    c.child_id = child_id;
    c.coordinator = coordinator;
    c.summary = summary_new(STAGE_ASSESSMENT, next_due);
    c.summary.open_advice = advice;
    assert_int_equal(store_case_insert(s, &c), SH_OK);
    return c.id;
}

static void test_case_open_advice(void **state)
{
    fixture *f = *state;
    int64_t k = add_child(f->s, "202", "Ola", "Pike", D(2014, 1, 1));
    unsigned both = ADVICE(AGENCY_HEALTH) | ADVICE(AGENCY_PSYCHOLOGY);
    int64_t id = add_case_advice(f->s, "202", k, "amy", D(2026, 3, 1), both);
    store_case g;
    assert_int_equal(store_case_get(f->s, "202", id, f->a, &g), SH_OK);
    assert_int_equal(g.summary.open_advice, both);
    /* The stored bits are the schema's (education 0, health 1, social_care
     * 2, psychology 3, other 4), not whatever order the C enum has. */
    assert_int_equal(sql_count(f->url, "SELECT open_advice FROM cases"), (1 << 1) | (1 << 3));

    store_case_summary sum = summary_new(STAGE_ASSESSMENT, D(2026, 3, 1));
    sum.open_advice = ADVICE(AGENCY_SOCIAL_CARE);
    assert_int_equal(store_case_summary_update(f->s, "202", id, &sum), SH_OK);
    assert_int_equal(store_case_get(f->s, "202", id, f->a, &g), SH_OK);
    assert_int_equal(g.summary.open_advice, ADVICE(AGENCY_SOCIAL_CARE));
    sum.open_advice = 0;
    assert_int_equal(store_case_summary_update(f->s, "202", id, &sum), SH_OK);
    assert_int_equal(store_case_get(f->s, "202", id, f->a, &g), SH_OK);
    assert_int_equal(g.summary.open_advice, 0);

    /* A bit that is no agency is refused before it reaches the database. */
    sum.open_advice = 1u << AGENCY_COUNT;
    assert_int_equal(store_case_summary_update(f->s, "202", id, &sum), SH_EINVAL);
    store_case bad;
    memset(&bad, 0, sizeof bad);
    snprintf(bad.la_code, sizeof bad.la_code, "202");
    bad.child_id = k;
    bad.summary = summary_new(STAGE_ASSESSMENT, DATE_NONE);
    bad.summary.open_advice = 1u << 31;
    assert_int_equal(store_case_insert(f->s, &bad), SH_EINVAL);
}

static void test_case_list_open_advice(void **state)
{
    fixture *f = *state;
    int64_t k = add_child(f->s, "202", "Pam", "Quay", D(2014, 1, 1));
    int64_t k9 = add_child(f->s, "203", "Rex", "Quay", D(2014, 1, 1));
    int64_t none = add_case_advice(f->s, "202", k, "amy", D(2026, 1, 1), 0);
    int64_t health = add_case_advice(f->s, "202", k, "amy", D(2026, 3, 1), ADVICE(AGENCY_HEALTH));
    int64_t social = add_case_advice(f->s, "202", k, "bob", D(2026, 2, 1),
                                     ADVICE(AGENCY_SOCIAL_CARE));
    int64_t both = add_case_advice(f->s, "202", k, "", DATE_NONE,
                                   ADVICE(AGENCY_HEALTH) | ADVICE(AGENCY_SOCIAL_CARE));
    add_case_advice(f->s, "203", k9, "amy", D(2026, 1, 1), ADVICE(AGENCY_HEALTH));

    store_case_query q = case_query("202");
    int64_t all[] = {none, social, health, both};
    case_list(f, &q, 4, 4, all);
    q.open_advice = ADVICE(AGENCY_HEALTH);
    int64_t to_health[] = {health, both};
    case_list(f, &q, 2, 2, to_health);
    q.open_advice = ADVICE(AGENCY_SOCIAL_CARE);
    int64_t to_social[] = {social, both};
    case_list(f, &q, 2, 2, to_social);
    q.open_advice = ADVICE(AGENCY_HEALTH) | ADVICE(AGENCY_SOCIAL_CARE); /* either */
    int64_t either[] = {social, health, both};
    case_list(f, &q, 3, 3, either);
    q.open_advice = ADVICE(AGENCY_EDUCATION);
    case_list(f, &q, 0, 0, NULL);

    /* With other filters, and the list rows carry the mask. */
    q = case_query("202");
    q.open_advice = ADVICE(AGENCY_HEALTH);
    q.coordinator = "amy";
    int64_t amy_health[] = {health};
    case_list(f, &q, 1, 1, amy_health);
    q.coordinator = NULL;
    q.due_on_or_before = D(2026, 12, 31);
    store_caseload_row *rows;
    size_t n, total;
    assert_int_equal(store_case_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].c.id, health);
    assert_int_equal(rows[0].c.summary.open_advice, ADVICE(AGENCY_HEALTH));
    q = case_query("202");
    q.open_advice = ADVICE(AGENCY_HEALTH) | ADVICE(AGENCY_SOCIAL_CARE);
    q.limit = 1;
    q.offset = 1;
    int64_t second[] = {health};
    case_list(f, &q, 3, 1, second);
    q.open_advice = 1u << AGENCY_COUNT;
    assert_int_equal(store_case_list(f->s, &q, f->a, &rows, &n, &total), SH_EINVAL);
}

/* Children for the caseload's child filters: two settings, needs, names
 * with LIKE metacharacters, identifiers; one case each, due in id order. */
typedef struct {
    int64_t ann, bea, cal, dot, eli, other_area;
} filter_cases;

static int64_t add_child_with(store *s, const char *la, const char *forename,
                              const char *surname, date_t dob, int sen, const char *urn,
                              const char *upn, const char *nhs)
{
    store_child c = child_new(la, forename, surname, dob);
    c.sen_need[0] = sen;
    c.sen_need[1] = sen == -1 ? -1 : SEN_SLCN;
    snprintf(c.setting_urn, sizeof c.setting_urn, "%s", urn);
    snprintf(c.upn, sizeof c.upn, "%s", upn);
    snprintf(c.nhs_number, sizeof c.nhs_number, "%s", nhs);
    assert_int_equal(store_child_insert(s, &c), SH_OK);
    return c.id;
}

static filter_cases add_filter_cases(store *s)
{
    filter_cases fc;
    int64_t ann = add_child_with(s, "202", "Ann", "Smith", D(2014, 1, 1), SEN_ASD, "100001",
                                 "A100000000001", "9434765919");
    int64_t bea = add_child_with(s, "202", "Bea", "Blacksmith", D(2015, 2, 2), SEN_SLCN,
                                 "100001", "", "");
    int64_t cal = add_child_with(s, "202", "Cal", "100%_Real", D(2014, 1, 1), SEN_ASD,
                                 "100002", "A100000000003", "");
    int64_t dot = add_child_with(s, "202", "Dot", "Jones", D(2016, 3, 3), -1, "", "",
                                 "4010232137");
    int64_t other = add_child_with(s, "203", "Ann", "Smith", D(2014, 1, 1), SEN_ASD, "100001",
                                   "A100000000001", "9434765919");
    fc.ann = add_case(s, "202", ann, "amy", STAGE_ASSESSMENT, D(2026, 1, 1));
    fc.bea = add_case(s, "202", bea, "bob", STAGE_PLAN, D(2026, 1, 2));
    fc.cal = add_case(s, "202", cal, "amy", STAGE_PLAN, D(2026, 1, 3));
    fc.dot = add_case(s, "202", dot, "", STAGE_REQUEST, DATE_NONE);
    fc.eli = add_case(s, "202", ann, "bob", STAGE_REVIEW, D(2026, 1, 4)); /* Ann again */
    fc.other_area = add_case(s, "203", other, "amy", STAGE_PLAN, D(2026, 1, 1));
    return fc;
}

static void test_case_list_child_filters(void **state)
{
    fixture *f = *state;
    filter_cases fc = add_filter_cases(f->s);
    store_case_query q = case_query("202");

    q.sen_need = SEN_ASD;
    int64_t asd[] = {fc.ann, fc.cal, fc.eli};
    case_list(f, &q, 3, 3, asd);
    q.sen_need = SEN_SLCN; /* the primary need only: Ann's second need is SLCN */
    int64_t slcn[] = {fc.bea};
    case_list(f, &q, 1, 1, slcn);
    q.sen_need = SEN_PMLD;
    case_list(f, &q, 0, 0, NULL);

    q = case_query("202");
    q.setting_urn = "100001";
    int64_t at_1[] = {fc.ann, fc.bea, fc.eli};
    case_list(f, &q, 3, 3, at_1);
    q.setting_urn = "999999";
    case_list(f, &q, 0, 0, NULL);
    q.setting_urn = ""; /* a setting's staff without a URN see nothing, not everything */
    case_list(f, &q, 0, 0, NULL);

    q = case_query("202");
    q.name = "SMITH"; /* forename or surname, any case, substring */
    int64_t smith[] = {fc.ann, fc.bea, fc.eli};
    case_list(f, &q, 3, 3, smith);
    q.name = "an";
    int64_t an[] = {fc.ann, fc.eli};
    case_list(f, &q, 2, 2, an);
    q.name = "%_"; /* LIKE metacharacters match literally */
    int64_t pct[] = {fc.cal};
    case_list(f, &q, 1, 1, pct);
    q.name = "_";
    case_list(f, &q, 1, 1, pct);

    q = case_query("202");
    q.date_of_birth = D(2014, 1, 1);
    int64_t born[] = {fc.ann, fc.cal, fc.eli};
    case_list(f, &q, 3, 3, born);

    q = case_query("202");
    q.upn = "A100000000003";
    int64_t by_upn[] = {fc.cal};
    case_list(f, &q, 1, 1, by_upn);
    q.upn = "A100000000099";
    case_list(f, &q, 0, 0, NULL);
    q = case_query("202");
    q.nhs_number = "4010232137";
    int64_t by_nhs[] = {fc.dot};
    case_list(f, &q, 1, 1, by_nhs);

    q = case_query("202");
    q.sen_need = SEN_TYPE_COUNT;
    store_caseload_row *rows;
    size_t n, total;
    assert_int_equal(store_case_list(f->s, &q, f->a, &rows, &n, &total), SH_EINVAL);
}

static void test_case_list_filters_combined(void **state)
{
    fixture *f = *state;
    filter_cases fc = add_filter_cases(f->s);
    store_case_query q = case_query("202");

    q.setting_urn = "100001";
    q.coordinator = "bob";
    int64_t bob_at_1[] = {fc.bea, fc.eli};
    case_list(f, &q, 2, 2, bob_at_1);
    q.sen_need = SEN_ASD;
    int64_t bob_asd_at_1[] = {fc.eli};
    case_list(f, &q, 1, 1, bob_asd_at_1);
    q.stage = STAGE_PLAN;
    case_list(f, &q, 0, 0, NULL);

    q = case_query("202");
    q.coordinator = "amy";
    q.name = "smith";
    q.date_of_birth = D(2014, 1, 1);
    q.upn = "A100000000001";
    q.nhs_number = "9434765919";
    int64_t amy_ann[] = {fc.ann};
    case_list(f, &q, 1, 1, amy_ann);
    q.coordinator = NULL;
    int64_t ann_cases[] = {fc.ann, fc.eli};
    case_list(f, &q, 2, 2, ann_cases);
    q.overdue_at = D(2026, 1, 2);
    int64_t ann_overdue[] = {fc.ann};
    case_list(f, &q, 1, 1, ann_overdue);

    /* Paging applies after every filter; the total counts them all. */
    q = case_query("202");
    q.sen_need = SEN_ASD;
    q.setting_urn = "100001";
    q.limit = 1;
    int64_t first[] = {fc.ann};
    case_list(f, &q, 2, 1, first);
    q.offset = 1;
    int64_t second[] = {fc.eli};
    case_list(f, &q, 2, 1, second);
    q.offset = 2;
    case_list(f, &q, 2, 0, NULL);

    /* Another area's identical child is never matched. */
    q = case_query("203");
    q.setting_urn = "100001";
    q.name = "Ann";
    int64_t other[] = {fc.other_area};
    case_list(f, &q, 1, 1, other);
}

/* open_only keeps a coordinator's working caseload: refused, no-plan and
 * ceased cases drop out, in every index variant (area, coordinator). */
static void test_case_list_open_only(void **state)
{
    fixture *f = *state;
    int64_t k = add_child(f->s, "202", "Ola", "Open", D(2014, 1, 2));
    int64_t open1 = add_case(f->s, "202", k, "amy", STAGE_PLAN, D(2026, 5, 1));
    int64_t refused = add_case(f->s, "202", k, "amy", STAGE_REFUSED, DATE_NONE);
    int64_t no_plan = add_case(f->s, "202", k, "amy", STAGE_NO_PLAN, DATE_NONE);
    int64_t ceased = add_case(f->s, "202", k, "amy", STAGE_CEASED, DATE_NONE);
    int64_t open2 = add_case(f->s, "202", k, "amy", STAGE_REVIEW, D(2026, 6, 1));
    store_case_query q = case_query("202");
    case_list(f, &q, 5, 5, (const int64_t[]){open1, open2, refused, no_plan, ceased});
    q.open_only = true;
    case_list(f, &q, 2, 2, (const int64_t[]){open1, open2});
    q.coordinator = "amy";
    case_list(f, &q, 2, 2, (const int64_t[]){open1, open2});
    q.stage = STAGE_CEASED; /* a closed stage asked for with open_only finds none */
    case_list(f, &q, 0, 0, NULL);
}

/* page_columns: a coordinator's open caseload read for a page gives the
 * same rows, in the same order, with the same shown fields and total, as
 * the full read (a backend may read fewer columns, never other rows). */
static void test_case_list_page_columns(void **state)
{
    fixture *f = *state;
    store_child c = child_new("202", "Zoe", "O'Neil & Co", D(2013, 7, 8));
    c.sen_need[0] = SEN_ASD;
    assert_int_equal(store_child_insert(f->s, &c), SH_OK);
    int64_t k2 = add_child(f->s, "202", "Yan", "Ng", D(2016, 2, 29));
    int64_t due = add_case(f->s, "202", c.id, "amy", STAGE_ASSESSMENT, D(2026, 4, 1));
    int64_t none = add_case(f->s, "202", k2, "amy", STAGE_PLAN, DATE_NONE);
    int64_t soon = add_case(f->s, "202", k2, "amy", STAGE_REVIEW, D(2026, 2, 1));
    add_case(f->s, "202", k2, "amy", STAGE_CEASED, D(2026, 1, 1)); /* closed: never shown */
    add_case(f->s, "202", k2, "bob", STAGE_PLAN, D(2026, 1, 1));   /* someone else's */
    store_case_summary sum = summary_new(STAGE_ASSESSMENT, D(2026, 4, 1));
    snprintf(sum.next_step, sizeof sum.next_step, "advice:health");
    assert_int_equal(store_case_summary_update(f->s, "202", due, &sum), SH_OK);

    store_case_query q = case_query("202");
    q.coordinator = "amy";
    q.open_only = true;
    for (size_t offset = 0; offset < 3; offset++) {
        store_caseload_row *full, *page;
        size_t n_full, n_page, t_full, t_page;
        q.offset = offset;
        q.limit = 2;
        q.page_columns = false;
        assert_int_equal(store_case_list(f->s, &q, f->a, &full, &n_full, &t_full), SH_OK);
        q.page_columns = true;
        assert_int_equal(store_case_list(f->s, &q, f->a, &page, &n_page, &t_page), SH_OK);
        assert_int_equal(t_page, 3);
        assert_int_equal(t_full, 3);
        assert_int_equal(n_page, n_full);
        assert_int_equal(n_page, offset < 2 ? 2 : 1);
        for (size_t i = 0; i < n_page; i++) {
            const store_caseload_row *a = &full[i], *b = &page[i];
            assert_int_equal(b->c.id, a->c.id);
            assert_int_equal(b->c.summary.stage, a->c.summary.stage);
            assert_int_equal(b->c.summary.next_due, a->c.summary.next_due);
            assert_string_equal(b->c.summary.next_step, a->c.summary.next_step);
            assert_string_equal(b->forename, a->forename);
            assert_string_equal(b->surname, a->surname);
            assert_int_equal(b->date_of_birth, a->date_of_birth);
            assert_int_equal(b->sen_need, a->sen_need);
        }
    }
    /* the order: next due first, nothing due last */
    int64_t order[] = {soon, due, none};
    q.offset = 0;
    q.limit = 10;
    case_list(f, &q, 3, 3, order);
    q.page_columns = false;
    case_list(f, &q, 3, 3, order);
    store_caseload_row *rows;
    size_t n, total;
    q.page_columns = true;
    assert_int_equal(store_case_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_string_equal(rows[1].surname, "O'Neil & Co");
    assert_int_equal(rows[1].sen_need, SEN_ASD);
    assert_string_equal(rows[1].c.summary.next_step, "advice:health");
    assert_int_equal(rows[2].c.summary.next_due, DATE_NONE);
}

/* The data version stays put while nothing changes, and moves on a commit
 * by another connection, on this connection's own writes, and with a new
 * connection; PostgreSQL cannot tell, and says so (nothing is reused). */
static void test_data_version(void **state)
{
    fixture *f = *state;
    int64_t v0[STORE_VERSION_LEN], v1[STORE_VERSION_LEN], v2[STORE_VERSION_LEN];
    if (testdb_is_pg(f->url)) {
        assert_int_equal(store_data_version(f->s, v0), SH_EUNAVAIL);
        return;
    }
    int64_t k = add_child(f->s, "202", "Val", "Ver", D(2014, 1, 2));
    assert_int_equal(store_data_version(f->s, v0), SH_OK);
    store_case_query q = case_query("202");
    case_list(f, &q, 0, 0, NULL); /* reads change nothing */
    assert_int_equal(store_data_version(f->s, v1), SH_OK);
    assert_memory_equal(v0, v1, sizeof v0);
    /* inside a read transaction: that snapshot's version */
    assert_int_equal(store_read_begin(f->s), SH_OK);
    case_list(f, &q, 0, 0, NULL);
    assert_int_equal(store_data_version(f->s, v1), SH_OK);
    assert_int_equal(store_read_end(f->s), SH_OK);
    assert_memory_equal(v0, v1, sizeof v0);
    /* this connection's own write */
    add_case(f->s, "202", k, "amy", STAGE_PLAN, D(2026, 5, 1));
    assert_int_equal(store_data_version(f->s, v1), SH_OK);
    assert_memory_not_equal(v0, v1, sizeof v0);
    /* another connection's commit */
    store *other;
    assert_int_equal(store_open(f->url, &other), SH_OK);
    add_case(other, "202", k, "bob", STAGE_PLAN, D(2026, 6, 1));
    assert_int_equal(store_data_version(f->s, v2), SH_OK);
    assert_memory_not_equal(v1, v2, sizeof v1);
    /* another connection: never the same numbers as this one */
    int64_t vo[STORE_VERSION_LEN];
    assert_int_equal(store_data_version(other, vo), SH_OK);
    assert_true(vo[0] != v2[0]);
    store_close(other);
}

static void test_caseload_row_child_fields(void **state)
{
    fixture *f = *state;
    filter_cases fc = add_filter_cases(f->s);
    store_case_query q = case_query("202");
    store_caseload_row *rows;
    size_t n, total;
    assert_int_equal(store_case_list(f->s, &q, f->a, &rows, &n, &total), SH_OK);
    assert_int_equal(n, 5);
    assert_int_equal(rows[0].c.id, fc.ann);
    assert_int_equal(rows[0].sen_need, SEN_ASD);
    assert_string_equal(rows[0].setting_urn, "100001");
    assert_int_equal(rows[1].c.id, fc.bea);
    assert_int_equal(rows[1].sen_need, SEN_SLCN);
    assert_int_equal(rows[4].c.id, fc.dot); /* nothing due: last */
    assert_int_equal(rows[4].sen_need, -1);
    assert_string_equal(rows[4].setting_urn, "");
    assert_string_equal(rows[4].forename, "Dot");
}

/* ---- team --------------------------------------------------------------- */

static store_team_row *team_row(store_team_row *rows, size_t n, const char *coordinator)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].coordinator, coordinator) == 0)
            return &rows[i];
    return NULL;
}

static void test_team(void **state)
{
    fixture *f = *state;
    int64_t k = add_child(f->s, "202", "Sam", "Tull", D(2014, 1, 1));
    int64_t k9 = add_child(f->s, "203", "Tia", "Tull", D(2014, 1, 1));
    date_t today = D(2026, 6, 10), due_by = D(2026, 6, 24);
    add_case(f->s, "202", k, "amy", STAGE_ASSESSMENT, D(2026, 6, 9));   /* overdue */
    add_case(f->s, "202", k, "amy", STAGE_DRAFT, today);                /* due today: soon */
    add_case(f->s, "202", k, "amy", STAGE_PLAN, due_by);                /* last day: soon */
    add_case(f->s, "202", k, "amy", STAGE_PLAN, D(2026, 6, 25));        /* later */
    add_case(f->s, "202", k, "amy", STAGE_REVIEW, DATE_NONE);           /* nothing due */
    add_case(f->s, "202", k, "amy", STAGE_CEASED, D(2026, 1, 1));       /* closed */
    add_case(f->s, "202", k, "bob", STAGE_REFUSED, D(2026, 1, 1));      /* closed only */
    add_case(f->s, "202", k, "bob", STAGE_NO_PLAN, DATE_NONE);          /* closed only */
    add_case(f->s, "202", k, "cat", STAGE_AMENDMENT, D(2026, 6, 12));
    add_case(f->s, "202", k, "", STAGE_REQUEST, D(2026, 5, 1));         /* unassigned */
    add_case(f->s, "202", k, "", STAGE_REQUEST, DATE_NONE);
    add_case(f->s, "203", k9, "amy", STAGE_ASSESSMENT, D(2026, 6, 1));  /* another area */

    store_team_row *rows;
    size_t n;
    assert_int_equal(store_team(f->s, "202", today, due_by, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].coordinator, ""); /* ordered by coordinator */
    assert_string_equal(rows[1].coordinator, "amy");
    assert_string_equal(rows[2].coordinator, "cat");
    assert_null(team_row(rows, n, "bob"));
    store_team_row *amy = team_row(rows, n, "amy");
    assert_int_equal(amy->open_cases, 5);
    assert_int_equal(amy->overdue, 1);
    assert_int_equal(amy->due_soon, 2);
    store_team_row *none = team_row(rows, n, "");
    assert_int_equal(none->open_cases, 2);
    assert_int_equal(none->overdue, 1);
    assert_int_equal(none->due_soon, 0);
    store_team_row *cat = team_row(rows, n, "cat");
    assert_int_equal(cat->open_cases, 1);
    assert_int_equal(cat->overdue, 0);
    assert_int_equal(cat->due_soon, 1);

    assert_int_equal(store_team(f->s, "204", today, due_by, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_team(f->s, "202", DATE_NONE, due_by, f->a, &rows, &n), SH_EINVAL);
    assert_int_equal(store_team(f->s, "202", today, DATE_NONE, f->a, &rows, &n), SH_EINVAL);
}

/* ---- events ------------------------------------------------------------- */

static void assert_event_equal(const event *got, const event *want)
{
    assert_int_equal(got->type, want->type);
    assert_int_equal(got->date, want->date);
    assert_int_equal(got->agency, want->agency);
    assert_int_equal(got->outcome, want->outcome);
    assert_int_equal(got->exception, want->exception);
    assert_int_equal(got->cease_reason, want->cease_reason);
    assert_int_equal(got->transfer_year, want->transfer_year);
    assert_int_equal(got->transfer_to, want->transfer_to);
    assert_int_equal(got->supersedes, want->supersedes);
}

static void test_event_round_trip(void **state)
{
    fixture *f = *state;
    int64_t child = add_child(f->s, "202", "Tom", "Udo", D(2014, 7, 7));
    int64_t cid = add_case(f->s, "202", child, "amy", STAGE_REQUEST, DATE_NONE);

    event ev[7];
    event_init(&ev[0], EV_REQUEST_RECEIVED, D(2026, 1, 5));
    event_init(&ev[1], EV_DECISION_TO_ASSESS, D(2026, 2, 2));
    ev[1].outcome = OUTCOME_ASSESS;
    event_init(&ev[2], EV_ADVICE_REQUESTED, D(2026, 2, 3));
    ev[2].agency = AGENCY_HEALTH;
    event_init(&ev[3], EV_EXCEPTION, D(2026, 2, 4));
    ev[3].exception = EXC_PERSONAL_CIRCUMSTANCES;
    event_init(&ev[4], EV_PHASE_TRANSFER_DUE, D(2026, 2, 5));
    ev[4].transfer_year = 2027;
    ev[4].transfer_to = TRANSFER_POST16;
    event_init(&ev[5], EV_PLAN_CEASED, D(2026, 2, 6));
    ev[5].cease_reason = 7;
    event_init(&ev[6], EV_CORRECTION, D(2026, 2, 7));
    for (int i = 0; i < 6; i++) {
        assert_int_equal(store_event_insert(f->s, "202", cid, &ev[i], "amy"), SH_OK);
        assert_true(ev[i].id > (i ? ev[i - 1].id : 0));
    }
    /* A correction that replaces the advice request with the right agency,
     * and one that says the ceasing was simply wrong. */
    event repl;
    event_init(&repl, EV_ADVICE_REQUESTED, D(2026, 2, 3));
    repl.agency = AGENCY_SOCIAL_CARE;
    ev[6].supersedes = ev[2].id;
    ev[6].reason = "Wrong agency: it was \"social care\", not health";
    ev[6].replacement = &repl;
    assert_int_equal(store_event_insert(f->s, "202", cid, &ev[6], "amy"), SH_OK);
    event bare;
    event_init(&bare, EV_CORRECTION, D(2026, 2, 8));
    bare.supersedes = ev[5].id;
    bare.reason = "Entered on the wrong case";
    assert_int_equal(store_event_insert(f->s, "202", cid, &bare, "bob"), SH_OK);

    event *out;
    size_t n;
    assert_int_equal(store_events_load(f->s, "202", cid, f->a, &out, &n), SH_OK);
    assert_int_equal(n, 8);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(out[i].id, ev[i].id);
        assert_event_equal(&out[i], &ev[i]);
    }
    for (int i = 0; i < 6; i++) {
        assert_null(out[i].reason);
        assert_null(out[i].replacement);
    }
    assert_string_equal(out[6].reason, ev[6].reason);
    assert_non_null(out[6].replacement);
    assert_event_equal(out[6].replacement, &repl);
    assert_int_equal(out[6].replacement->id, 0);
    assert_int_equal(out[7].id, bare.id);
    assert_event_equal(&out[7], &bare);
    assert_string_equal(out[7].reason, "Entered on the wrong case");
    assert_null(out[7].replacement);
}

static void test_event_refusals(void **state)
{
    fixture *f = *state;
    int64_t child = add_child(f->s, "202", "Una", "Vale", D(2014, 7, 7));
    int64_t cid = add_case(f->s, "202", child, "amy", STAGE_REQUEST, DATE_NONE);
    event *out;
    size_t n = 99;
    /* An empty journey loads as empty; another area's case is not found. */
    assert_int_equal(store_events_load(f->s, "202", cid, f->a, &out, &n), SH_OK);
    assert_int_equal(n, 0);
    add_event(f->s, "202", cid, EV_REQUEST_RECEIVED, D(2026, 1, 5));
    assert_int_equal(store_events_load(f->s, "203", cid, f->a, &out, &n), SH_ENOTFOUND);
    assert_int_equal(store_events_load(f->s, "202", cid + 1, f->a, &out, &n), SH_ENOTFOUND);

    event e;
    event_init(&e, EV_REQUEST_RECEIVED, D(2026, 1, 5));
    assert_int_equal(store_event_insert(f->s, "202", cid + 1, &e, "amy"), SH_ENOTFOUND);
    assert_int_equal(store_event_insert(f->s, "203", cid, &e, "amy"), SH_ENOTFOUND);
    assert_int_equal(store_event_insert(f->s, "202", cid, &e, NULL), SH_EINVAL);
    e.agency = (event_agency)AGENCY_COUNT;
    assert_int_equal(store_event_insert(f->s, "202", cid, &e, "amy"), SH_EINVAL);
    /* A replacement cannot itself be a correction. */
    event inner, corr;
    event_init(&inner, EV_CORRECTION, D(2026, 1, 6));
    event_init(&corr, EV_CORRECTION, D(2026, 1, 6));
    corr.supersedes = 1;
    corr.reason = "x";
    corr.replacement = &inner;
    assert_int_equal(store_event_insert(f->s, "202", cid, &corr, "amy"), SH_EINVAL);
    /* ... and only a correction carries one. */
    event plain, fixed;
    event_init(&fixed, EV_ADVICE_REQUESTED, D(2026, 1, 6));
    fixed.agency = AGENCY_HEALTH;
    event_init(&plain, EV_ADVICE_REQUESTED, D(2026, 1, 6));
    plain.agency = AGENCY_HEALTH;
    plain.replacement = &fixed;
    assert_int_equal(store_event_insert(f->s, "202", cid, &plain, "amy"), SH_EINVAL);
    assert_int_equal(store_events_load(f->s, "202", cid, f->a, &out, &n), SH_OK);
    assert_int_equal(n, 1);
}

/* ---- journeys scan ------------------------------------------------------ */

typedef struct {
    int calls;
    int stop_after;
    int64_t case_ids[8];
    char la[8][STORE_LA_LEN + 1];
    size_t n_events[8];
    int corrections_with_replacement;
} scan_seen;

static int scan_cb(void *ctx, int64_t case_id, const char *la_code, const event *events,
                   size_t n)
{
    scan_seen *seen = ctx;
    assert_true(seen->calls < 8);
    seen->case_ids[seen->calls] = case_id;
    snprintf(seen->la[seen->calls], sizeof seen->la[0], "%s", la_code);
    seen->n_events[seen->calls] = n;
    for (size_t i = 1; i < n; i++)
        assert_true(events[i].id > events[i - 1].id);
    for (size_t i = 0; i < n; i++)
        if (events[i].type == EV_CORRECTION && events[i].replacement)
            seen->corrections_with_replacement++;
    seen->calls++;
    return seen->calls == seen->stop_after ? 42 : 0;
}

static void test_journeys_scan(void **state)
{
    fixture *f = *state;
    int64_t k1 = add_child(f->s, "202", "Vic", "Wu", D(2014, 1, 1));
    int64_t k2 = add_child(f->s, "203", "Xan", "Yeo", D(2014, 1, 1));
    int64_t a1 = add_case(f->s, "202", k1, "amy", STAGE_REQUEST, DATE_NONE);
    int64_t b1 = add_case(f->s, "203", k2, "bob", STAGE_REQUEST, DATE_NONE);
    int64_t a2 = add_case(f->s, "202", k1, "amy", STAGE_REQUEST, DATE_NONE);
    add_case(f->s, "202", k1, "amy", STAGE_REQUEST, DATE_NONE); /* no events: not visited */
    /* Interleaved writes: the scan must still group by case. */
    add_event(f->s, "202", a1, EV_REQUEST_RECEIVED, D(2026, 1, 1));
    add_event(f->s, "203", b1, EV_REQUEST_RECEIVED, D(2026, 1, 2));
    add_event(f->s, "202", a2, EV_REQUEST_RECEIVED, D(2026, 1, 3));
    int64_t wrong = add_event(f->s, "202", a1, EV_DECISION_TO_ASSESS, D(2026, 2, 1));
    add_event(f->s, "203", b1, EV_DECISION_TO_ASSESS, D(2026, 2, 2));
    event repl, corr;
    event_init(&repl, EV_DECISION_TO_ASSESS, D(2026, 2, 1));
    repl.outcome = OUTCOME_REFUSE;
    event_init(&corr, EV_CORRECTION, D(2026, 2, 3));
    corr.supersedes = wrong;
    corr.reason = "outcome was refuse";
    corr.replacement = &repl;
    assert_int_equal(store_event_insert(f->s, "202", a1, &corr, "amy"), SH_OK);

    scan_seen all = {0};
    assert_int_equal(store_journeys_scan(f->s, NULL, 0, INT64_MAX, f->a, scan_cb, &all), SH_OK);
    assert_int_equal(all.calls, 3);
    assert_int_equal(all.case_ids[0], a1);
    assert_int_equal(all.case_ids[1], b1);
    assert_int_equal(all.case_ids[2], a2);
    assert_string_equal(all.la[0], "202");
    assert_string_equal(all.la[1], "203");
    assert_int_equal(all.n_events[0], 3);
    assert_int_equal(all.n_events[1], 2);
    assert_int_equal(all.n_events[2], 1);
    assert_int_equal(all.corrections_with_replacement, 1);

    scan_seen one = {0};
    assert_int_equal(store_journeys_scan(f->s, "202", 0, INT64_MAX, f->a, scan_cb, &one), SH_OK);
    assert_int_equal(one.calls, 2);
    assert_int_equal(one.case_ids[0], a1);
    assert_int_equal(one.case_ids[1], a2);

    scan_seen stop = {.stop_after = 2};
    assert_int_equal(store_journeys_scan(f->s, NULL, 0, INT64_MAX, f->a, scan_cb, &stop), 42);
    assert_int_equal(stop.calls, 2);

    /* The statement was reset: a scan after an early stop starts again. */
    scan_seen again = {0};
    assert_int_equal(store_journeys_scan(f->s, "203", 0, INT64_MAX, f->a, scan_cb, &again), SH_OK);
    assert_int_equal(again.calls, 1);
    assert_int_equal(again.case_ids[0], b1);
}

static int scan_many_cb(void *ctx, int64_t case_id, const char *la_code, const event *events,
                        size_t n)
{
    (void)case_id;
    (void)la_code;
    (void)events;
    *(size_t *)ctx += n;
    return 0;
}

/* A journey longer than the arena's first block: the per-case array grows. */
static void test_journeys_scan_long_case(void **state)
{
    fixture *f = *state;
    int64_t k = add_child(f->s, "202", "Yan", "Zed", D(2014, 1, 1));
    int64_t c = add_case(f->s, "202", k, "amy", STAGE_REQUEST, DATE_NONE);
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    add_event(f->s, "202", c, EV_REQUEST_RECEIVED, D(2026, 1, 1));
    for (int i = 0; i < 999; i++)
        add_event(f->s, "202", c, EV_REVIEW_MEETING, D(2026, 1, 2) + i);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    size_t total = 0;
    assert_int_equal(store_journeys_scan(f->s, NULL, 0, INT64_MAX, f->a, scan_many_cb, &total),
                     SH_OK);
    assert_int_equal(total, 1000);
}

typedef struct {
    store *s;
    int updated;
} rebuild_ctx;

static int rebuild_cb(void *ctx, int64_t case_id, const char *la_code, const event *events,
                      size_t n)
{
    rebuild_ctx *r = ctx;
    store_case_summary sum = summary_new(STAGE_ASSESSMENT, events[n - 1].date);
    sum.event_count = (int)n;
    int rc = store_case_summary_update(r->s, la_code, case_id, &sum);
    r->updated += rc == SH_OK;
    return rc;
}

/* Rebuilding cached summaries: the callback writes through the same
 * connection while the scan is reading. */
static void test_journeys_scan_rebuild(void **state)
{
    fixture *f = *state;
    int64_t k = add_child(f->s, "202", "Ada", "Bell", D(2014, 1, 1));
    int64_t c1 = add_case(f->s, "202", k, "amy", STAGE_REQUEST, DATE_NONE);
    int64_t c2 = add_case(f->s, "202", k, "amy", STAGE_REQUEST, DATE_NONE);
    add_event(f->s, "202", c1, EV_REQUEST_RECEIVED, D(2026, 1, 1));
    add_event(f->s, "202", c2, EV_REQUEST_RECEIVED, D(2026, 1, 2));
    add_event(f->s, "202", c2, EV_DECISION_TO_ASSESS, D(2026, 2, 2));
    rebuild_ctx r = {f->s, 0};
    assert_int_equal(store_journeys_scan(f->s, "202", 0, INT64_MAX, f->a, rebuild_cb, &r), SH_OK);
    assert_int_equal(r.updated, 2);
    store_case g;
    assert_int_equal(store_case_get(f->s, "202", c2, f->a, &g), SH_OK);
    assert_int_equal(g.summary.stage, STAGE_ASSESSMENT);
    assert_int_equal(g.summary.event_count, 2);
    assert_int_equal(g.summary.next_due, D(2026, 2, 2));
}

/* ---- transactions and durability ---------------------------------------- */

static void test_tx(void **state)
{
    fixture *f = *state;
    store_child g;
    assert_int_equal(store_tx_rollback(f->s), SH_OK); /* none open: harmless */
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    assert_int_equal(store_tx_begin(f->s), SH_EINVAL); /* nested */
    int64_t gone = add_child(f->s, "202", "Abe", "Gone", D(2014, 1, 1));
    assert_int_equal(store_child_get(f->s, "202", gone, f->a, &g), SH_OK);
    assert_int_equal(store_tx_rollback(f->s), SH_OK);
    assert_int_equal(store_child_get(f->s, "202", gone, f->a, &g), SH_ENOTFOUND);

    assert_int_equal(store_tx_begin(f->s), SH_OK);
    int64_t kept = add_child(f->s, "202", "Bea", "Kept", D(2014, 1, 1));
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    assert_int_equal(store_child_get(f->s, "202", kept, f->a, &g), SH_OK);

    /* A failed insert inside a transaction leaves the transaction usable. */
    store_child dup = child_new("202", "Cy", "Dup", D(2014, 1, 1));
    snprintf(dup.upn, sizeof dup.upn, "C123456789012");
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    assert_int_equal(store_child_insert(f->s, &dup), SH_OK);
    assert_int_equal(store_child_insert(f->s, &dup), SH_ECONFLICT);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    assert_int_equal(store_child_get(f->s, "202", dup.id, f->a, &g), SH_OK);
}

static void test_reopen_durable(void **state)
{
    fixture *f = *state;
    int64_t child = add_child(f->s, "202", "Dee", "Durable", D(2014, 1, 1));
    int64_t cid = add_case(f->s, "202", child, "amy", STAGE_ASSESSMENT, D(2026, 6, 1));
    int64_t eid = add_event(f->s, "202", cid, EV_REQUEST_RECEIVED, D(2026, 1, 5));
    assert_int_equal(store_area_put(f->s, "202", "Camden"), SH_OK);
    store_close(f->s);
    f->s = NULL;

    assert_int_equal(store_open(f->url, &f->s), SH_OK);
    assert_int_equal(store_migrate(f->s), SH_OK);
    store_child g;
    assert_int_equal(store_child_get(f->s, "202", child, f->a, &g), SH_OK);
    assert_string_equal(g.surname, "Durable");
    store_case c;
    assert_int_equal(store_case_get(f->s, "202", cid, f->a, &c), SH_OK);
    assert_int_equal(c.summary.next_due, D(2026, 6, 1));
    event *out;
    size_t n;
    assert_int_equal(store_events_load(f->s, "202", cid, f->a, &out, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].id, eid);
    const char *name;
    assert_int_equal(store_area_name(f->s, "202", f->a, &name), SH_OK);
    assert_string_equal(name, "Camden");

    /* Ids keep growing after a reopen. */
    int64_t next = add_event(f->s, "202", cid, EV_DECISION_TO_ASSESS, D(2026, 2, 1));
    assert_true(next > eid);
}

/* ---- people ------------------------------------------------------------- */

#define HASH_A "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
#define HASH_B "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0$b3RoZXJoYXNob3RoZXJoYQ"

static store_user user_new(const char *la, const char *username, const char *role)
{
    store_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.la_code, sizeof u.la_code, "%s", la);
    u.username = username;
    u.display_name = "Test Person";
    u.email = "";
    u.role = role;
    u.organisation = "";
    u.password_hash = HASH_A;
    return u;
}

static int64_t add_user(store *s, const char *la, const char *username, const char *role)
{
    store_user u = user_new(la, username, role);
    assert_int_equal(store_user_insert(s, &u), SH_OK);
    assert_true(u.id > 0);
    return u.id;
}

static void test_user_round_trip(void **state)
{
    fixture *f = *state;
    store_user u = user_new("202", "jsmith", "setting");
    u.display_name = "Jo Smith";
    u.email = "jo.smith@school.example";
    u.organisation = "Hill Primary";
    snprintf(u.setting_urn, sizeof u.setting_urn, "100001");
    assert_int_equal(store_user_insert(f->s, &u), SH_OK);
    assert_true(u.id > 0);
    assert_true(u.created_at > 1700000000);

    store_user g;
    assert_int_equal(store_user_by_id(f->s, u.id, f->a, &g), SH_OK);
    assert_int_equal(g.id, u.id);
    assert_string_equal(g.la_code, "202");
    assert_string_equal(g.username, "jsmith");
    assert_string_equal(g.display_name, "Jo Smith");
    assert_string_equal(g.email, "jo.smith@school.example");
    assert_string_equal(g.role, "setting");
    assert_string_equal(g.organisation, "Hill Primary");
    assert_string_equal(g.setting_urn, "100001");
    assert_string_equal(g.password_hash, HASH_A);
    assert_false(g.disabled);
    assert_int_equal(g.failed_sign_ins, 0);
    assert_int_equal(g.locked_until, 0);
    assert_int_equal(g.created_at, u.created_at);
    assert_int_equal(g.last_sign_in, 0);

    /* Optional fields absent come back "" (and are NULL in the database). */
    int64_t id = add_user(f->s, "202", "amy", "coordinator");
    assert_int_equal(store_user_by_name(f->s, "amy", f->a, &g), SH_OK);
    assert_int_equal(g.id, id);
    assert_string_equal(g.email, "");
    assert_string_equal(g.organisation, "");
    assert_string_equal(g.setting_urn, "");
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM users WHERE email IS NULL"
                                        " AND organisation IS NULL AND setting_urn IS NULL"
                                        " AND locked_until IS NULL AND last_sign_in IS NULL"),
                     1);

    assert_int_equal(store_user_by_id(f->s, id + 100, f->a, &g), SH_ENOTFOUND);
    assert_int_equal(store_user_by_name(f->s, "nobody", f->a, &g), SH_ENOTFOUND);
    assert_int_equal(store_user_by_name(f->s, NULL, f->a, &g), SH_ENOTFOUND);
}

static void test_user_username_unique_lower(void **state)
{
    fixture *f = *state;
    store_user u = user_new("202", "JSmith", "coordinator");
    assert_int_equal(store_user_insert(f->s, &u), SH_OK);
    store_user g;
    assert_int_equal(store_user_by_name(f->s, "jsmith", f->a, &g), SH_OK);
    assert_string_equal(g.username, "jsmith"); /* stored lower case */
    assert_int_equal(g.id, u.id);
    assert_int_equal(store_user_by_name(f->s, "JSMITH", f->a, &g), SH_OK);
    assert_int_equal(g.id, u.id);

    /* Unique in the database, whatever the case or the area. */
    store_user dup = user_new("202", "jsmith", "manager");
    assert_int_equal(store_user_insert(f->s, &dup), SH_ECONFLICT);
    dup = user_new("203", "JSMITH", "manager");
    assert_int_equal(store_user_insert(f->s, &dup), SH_ECONFLICT);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM users"), 1);

    /* The schema refuses a role that is not one of app_role's wire names. */
    store_user odd = user_new("202", "wiz", "wizard");
    assert_int_equal(store_user_insert(f->s, &odd), SH_EIO);
}

static void test_user_list(void **state)
{
    fixture *f = *state;
    int64_t zoe = add_user(f->s, "202", "zoe", "manager");
    int64_t amy = add_user(f->s, "202", "amy", "coordinator");
    int64_t bob = add_user(f->s, "203", "bob", "health");
    store_user *out;
    size_t n;
    assert_int_equal(store_user_list(f->s, "202", f->a, &out, &n), SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].id, amy); /* by username */
    assert_int_equal(out[1].id, zoe);
    assert_string_equal(out[1].role, "manager");
    assert_int_equal(store_user_list(f->s, NULL, f->a, &out, &n), SH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(out[0].id, amy);
    assert_int_equal(out[1].id, bob);
    assert_int_equal(out[2].id, zoe);
    assert_int_equal(store_user_list(f->s, "204", f->a, &out, &n), SH_OK);
    assert_int_equal(n, 0);
}

/* More people than the list's first allocation: the array grows. */
static void test_user_list_many(void **state)
{
    fixture *f = *state;
    char names[40][16];
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "user%02d", 39 - i);
        add_user(f->s, "202", names[i], "inspector");
    }
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    store_user *out;
    size_t n;
    assert_int_equal(store_user_list(f->s, "202", f->a, &out, &n), SH_OK);
    assert_int_equal(n, 40);
    assert_string_equal(out[0].username, "user00");
    assert_string_equal(out[39].username, "user39");
}

static void test_user_disabled(void **state)
{
    fixture *f = *state;
    int64_t id = add_user(f->s, "202", "amy", "coordinator");
    store_user g;
    assert_int_equal(store_user_set_disabled(f->s, id, true), SH_OK);
    assert_int_equal(store_user_by_id(f->s, id, f->a, &g), SH_OK);
    assert_true(g.disabled);
    assert_int_equal(store_user_set_disabled(f->s, id, false), SH_OK);
    assert_int_equal(store_user_by_id(f->s, id, f->a, &g), SH_OK);
    assert_false(g.disabled);
    assert_int_equal(store_user_set_disabled(f->s, id + 1, true), SH_ENOTFOUND);

    store_user off = user_new("202", "bob", "health");
    off.disabled = true; /* an account may be created disabled */
    assert_int_equal(store_user_insert(f->s, &off), SH_OK);
    assert_int_equal(store_user_by_name(f->s, "bob", f->a, &g), SH_OK);
    assert_true(g.disabled);
}

static void test_user_sign_in_results(void **state)
{
    fixture *f = *state;
    int64_t id = add_user(f->s, "202", "amy", "coordinator");
    store_user g;
    const int64_t t0 = 1780000000;

    /* Failures count up; 0 leaves the lock alone. */
    assert_int_equal(store_user_sign_in_result(f->s, id, false, t0, 0), SH_OK);
    assert_int_equal(store_user_sign_in_result(f->s, id, false, t0 + 1, 0), SH_OK);
    assert_int_equal(store_user_by_id(f->s, id, f->a, &g), SH_OK);
    assert_int_equal(g.failed_sign_ins, 2);
    assert_int_equal(g.locked_until, 0);
    assert_int_equal(g.last_sign_in, 0);
    assert_int_equal(store_user_sign_in_result(f->s, id, false, t0 + 2, t0 + 902), SH_OK);
    assert_int_equal(store_user_sign_in_result(f->s, id, false, t0 + 3, 0), SH_OK);
    assert_int_equal(store_user_by_id(f->s, id, f->a, &g), SH_OK);
    assert_int_equal(g.failed_sign_ins, 4);
    assert_int_equal(g.locked_until, t0 + 902); /* kept */
    assert_int_equal(store_user_sign_in_result(f->s, id, false, t0 + 4, t0 + 904), SH_OK);
    assert_int_equal(store_user_by_id(f->s, id, f->a, &g), SH_OK);
    assert_int_equal(g.locked_until, t0 + 904); /* a further failure restarts it */

    /* Success clears failures and records the time; the lock stays. */
    assert_int_equal(store_user_sign_in_result(f->s, id, true, t0 + 2000, 0), SH_OK);
    assert_int_equal(store_user_by_id(f->s, id, f->a, &g), SH_OK);
    assert_int_equal(g.failed_sign_ins, 0);
    assert_int_equal(g.last_sign_in, t0 + 2000);
    assert_int_equal(g.locked_until, t0 + 904);

    assert_int_equal(store_user_sign_in_result(f->s, id + 1, false, t0, 0), SH_ENOTFOUND);
    assert_int_equal(store_user_sign_in_result(f->s, id + 1, true, t0, 0), SH_ENOTFOUND);
}

static void test_user_set_password(void **state)
{
    fixture *f = *state;
    int64_t id = add_user(f->s, "202", "amy", "coordinator");
    const int64_t t0 = 1780000000;
    for (int i = 0; i < 5; i++)
        assert_int_equal(store_user_sign_in_result(f->s, id, false, t0 + i, t0 + 900), SH_OK);
    store_user g;
    assert_int_equal(store_user_set_password(f->s, id, HASH_B), SH_OK);
    assert_int_equal(store_user_by_id(f->s, id, f->a, &g), SH_OK);
    assert_string_equal(g.password_hash, HASH_B);
    assert_int_equal(g.failed_sign_ins, 0);
    assert_int_equal(g.locked_until, 0);
    assert_int_equal(store_user_set_password(f->s, id + 1, HASH_B), SH_ENOTFOUND);
}

/* ---- sessions and API tokens -------------------------------------------- */

static void hash_of(unsigned char hash[STORE_TOKEN_HASH_LEN], unsigned char seed)
{
    for (int i = 0; i < STORE_TOKEN_HASH_LEN; i++)
        hash[i] = (unsigned char)(seed * 31 + i);
    hash[5] = 0; /* a NUL inside: the hash is bytes, not text */
}

static store_token token_new(int64_t user_id, store_token_kind kind, int64_t now)
{
    store_token t;
    memset(&t, 0, sizeof t);
    t.user_id = user_id;
    t.kind = kind;
    t.label = "";
    if (kind == STORE_TOKEN_SESSION)
        snprintf(t.csrf, sizeof t.csrf, "%s", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");
    t.created_at = now;
    t.last_used = now;
    t.expires_at = now + 3600;
    return t;
}

static void test_token_round_trip(void **state)
{
    fixture *f = *state;
    const int64_t t0 = 1780000000;
    store_user nu = user_new("202", "amy", "coordinator");
    nu.display_name = "Amy Ash";
    assert_int_equal(store_user_insert(f->s, &nu), SH_OK);
    unsigned char h1[STORE_TOKEN_HASH_LEN], h2[STORE_TOKEN_HASH_LEN], h3[STORE_TOKEN_HASH_LEN];
    hash_of(h1, 1);
    hash_of(h2, 2);
    hash_of(h3, 3);

    store_token sess = token_new(nu.id, STORE_TOKEN_SESSION, t0);
    assert_int_equal(store_token_insert(f->s, h1, &sess), SH_OK);
    store_token api = token_new(nu.id, STORE_TOKEN_API, t0);
    api.label = "nightly export";
    api.expires_at = t0 + 86400 * 90;
    assert_int_equal(store_token_insert(f->s, h2, &api), SH_OK);

    store_token t;
    store_user u;
    assert_int_equal(store_token_get(f->s, h1, f->a, &t, &u), SH_OK);
    assert_int_equal(t.user_id, nu.id);
    assert_int_equal(t.kind, STORE_TOKEN_SESSION);
    assert_string_equal(t.csrf, sess.csrf);
    assert_string_equal(t.label, "");
    assert_int_equal(t.created_at, t0);
    assert_int_equal(t.last_used, t0);
    assert_int_equal(t.expires_at, t0 + 3600);
    assert_int_equal(u.id, nu.id);
    assert_string_equal(u.username, "amy");
    assert_string_equal(u.display_name, "Amy Ash");
    assert_string_equal(u.role, "coordinator");
    assert_string_equal(u.la_code, "202");

    assert_int_equal(store_token_get(f->s, h2, f->a, &t, &u), SH_OK);
    assert_int_equal(t.kind, STORE_TOKEN_API);
    assert_string_equal(t.csrf, "");
    assert_string_equal(t.label, "nightly export");
    assert_int_equal(t.expires_at, t0 + 86400 * 90);

    /* Touch moves last use forward, never back. */
    assert_int_equal(store_token_touch(f->s, h1, t0 + 60), SH_OK);
    assert_int_equal(store_token_get(f->s, h1, f->a, &t, &u), SH_OK);
    assert_int_equal(t.last_used, t0 + 60);
    assert_int_equal(store_token_touch(f->s, h1, t0 + 30), SH_OK);
    assert_int_equal(store_token_get(f->s, h1, f->a, &t, &u), SH_OK);
    assert_int_equal(t.last_used, t0 + 60);

    /* Unknown hashes, a second insert of a hash, an unknown person. */
    assert_int_equal(store_token_get(f->s, h3, f->a, &t, &u), SH_ENOTFOUND);
    assert_int_equal(store_token_touch(f->s, h3, t0), SH_ENOTFOUND);
    assert_int_equal(store_token_delete(f->s, h3), SH_ENOTFOUND);
    assert_int_equal(store_token_insert(f->s, h1, &sess), SH_ECONFLICT);
    store_token orphan = token_new(nu.id + 1, STORE_TOKEN_API, t0);
    assert_int_equal(store_token_insert(f->s, h3, &orphan), SH_ENOTFOUND);
    orphan = token_new(nu.id, (store_token_kind)2, t0);
    assert_int_equal(store_token_insert(f->s, h3, &orphan), SH_EINVAL);

    assert_int_equal(store_token_delete(f->s, h1), SH_OK);
    assert_int_equal(store_token_get(f->s, h1, f->a, &t, &u), SH_ENOTFOUND);
    assert_int_equal(store_token_delete(f->s, h1), SH_ENOTFOUND);
    assert_int_equal(store_token_get(f->s, h2, f->a, &t, &u), SH_OK);
    /* Only the hash is stored: 32 bytes, as a blob. */
    assert_int_equal(sql_count(f->url, testdb_is_pg(f->url)
                                           ? "SELECT count(*) FROM tokens WHERE length(hash) = 32"
                                           : "SELECT count(*) FROM tokens"
                                             " WHERE typeof(hash) = 'blob' AND length(hash) = 32"),
                     1);
}

static void test_token_delete_user_and_purge(void **state)
{
    fixture *f = *state;
    const int64_t t0 = 1780000000;
    int64_t amy = add_user(f->s, "202", "amy", "coordinator");
    int64_t bob = add_user(f->s, "202", "bob", "manager");
    unsigned char h[5][STORE_TOKEN_HASH_LEN];
    for (int i = 0; i < 5; i++)
        hash_of(h[i], (unsigned char)(10 + i));
    store_token t = token_new(amy, STORE_TOKEN_SESSION, t0);
    assert_int_equal(store_token_insert(f->s, h[0], &t), SH_OK);
    t = token_new(amy, STORE_TOKEN_API, t0);
    assert_int_equal(store_token_insert(f->s, h[1], &t), SH_OK);
    t = token_new(bob, STORE_TOKEN_SESSION, t0 - 7200); /* expired at t0 - 3600 */
    assert_int_equal(store_token_insert(f->s, h[2], &t), SH_OK);
    t = token_new(bob, STORE_TOKEN_SESSION, t0 - 3600); /* expires exactly at t0 */
    assert_int_equal(store_token_insert(f->s, h[3], &t), SH_OK);
    t = token_new(bob, STORE_TOKEN_API, t0);
    assert_int_equal(store_token_insert(f->s, h[4], &t), SH_OK);

    store_token got;
    store_user u;
    assert_int_equal(store_token_delete_user(f->s, amy), SH_OK);
    assert_int_equal(store_token_get(f->s, h[0], f->a, &got, &u), SH_ENOTFOUND);
    assert_int_equal(store_token_get(f->s, h[1], f->a, &got, &u), SH_ENOTFOUND);
    assert_int_equal(store_token_get(f->s, h[2], f->a, &got, &u), SH_OK);
    assert_int_equal(store_token_delete_user(f->s, amy), SH_OK); /* none left: fine */

    assert_int_equal(store_token_purge(f->s, t0), SH_OK);
    assert_int_equal(store_token_get(f->s, h[2], f->a, &got, &u), SH_ENOTFOUND);
    assert_int_equal(store_token_get(f->s, h[3], f->a, &got, &u), SH_OK); /* not past yet */
    assert_int_equal(store_token_get(f->s, h[4], f->a, &got, &u), SH_OK);
    assert_int_equal(store_token_purge(f->s, t0 + 1), SH_OK);
    assert_int_equal(store_token_get(f->s, h[3], f->a, &got, &u), SH_ENOTFOUND);
    assert_int_equal(store_token_get(f->s, h[4], f->a, &got, &u), SH_OK);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM tokens"), 1);
}

/* ---- the audit log ------------------------------------------------------ */

static store_audit audit_new(int64_t at, const char *la, const char *username,
                             const char *action, const char *object, int64_t object_id,
                             int64_t child_id)
{
    store_audit e;
    memset(&e, 0, sizeof e);
    e.at = at;
    snprintf(e.la_code, sizeof e.la_code, "%s", la);
    e.username = username;
    e.role = "coordinator";
    e.action = action;
    e.object = object;
    e.object_id = object_id;
    e.child_id = child_id;
    e.detail = "";
    e.remote = "";
    return e;
}

static store_audit_query audit_query(const char *la)
{
    store_audit_query q;
    memset(&q, 0, sizeof q);
    q.la_code = la;
    return q;
}

static void audit_find(fixture *f, const store_audit_query *q, size_t want_total,
                       size_t want_n, const int64_t *want_at)
{
    store_audit *out;
    size_t n, total;
    assert_int_equal(store_audit_find(f->s, q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(total, want_total);
    assert_int_equal(n, want_n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i].at, want_at[i]);
}

static void test_audit_round_trip(void **state)
{
    fixture *f = *state;
    store_audit e[2];
    e[0] = audit_new(1780000000, "202", "amy", "write", "case", 7, 3);
    e[0].detail = "recorded advice_received";
    e[0].remote = "192.0.2.10";
    e[1] = audit_new(1780000001, "202", "", "sign_in_failed", "", 0, 0);
    e[1].role = "";
    assert_int_equal(store_audit_append(f->s, e, 2), SH_OK);
    assert_int_equal(store_audit_append(f->s, e, 0), SH_OK);

    store_audit_query q = audit_query("202");
    store_audit *out;
    size_t n, total;
    assert_int_equal(store_audit_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    assert_int_equal(out[0].at, 1780000001); /* newest first */
    assert_string_equal(out[0].username, "");
    assert_string_equal(out[0].role, "");
    assert_string_equal(out[0].action, "sign_in_failed");
    assert_string_equal(out[0].object, "");
    assert_int_equal(out[0].object_id, 0);
    assert_int_equal(out[0].child_id, 0);
    assert_string_equal(out[0].detail, "");
    assert_string_equal(out[0].remote, "");
    assert_true(out[0].id > out[1].id);
    assert_int_equal(out[1].at, 1780000000);
    assert_string_equal(out[1].la_code, "202");
    assert_string_equal(out[1].username, "amy");
    assert_string_equal(out[1].role, "coordinator");
    assert_string_equal(out[1].action, "write");
    assert_string_equal(out[1].object, "case");
    assert_int_equal(out[1].object_id, 7);
    assert_int_equal(out[1].child_id, 3);
    assert_string_equal(out[1].detail, "recorded advice_received");
    assert_string_equal(out[1].remote, "192.0.2.10");
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM audit WHERE username IS NULL"
                                        " AND object IS NULL AND object_id IS NULL"),
                     1);
}

static void test_audit_append_transactions(void **state)
{
    fixture *f = *state;
    store_audit e[2] = {audit_new(1780000000, "202", "amy", "write", "child", 1, 1),
                        audit_new(1780000001, "202", "amy", "read", "child", 1, 1)};
    store_child g;

    /* Inside the caller's transaction: a rollback discards the write and its
     * entries together. */
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    int64_t gone = add_child(f->s, "202", "Una", "Gone", D(2014, 1, 1));
    assert_int_equal(store_audit_append(f->s, e, 2), SH_OK);
    assert_int_equal(store_tx_rollback(f->s), SH_OK);
    assert_int_equal(store_child_get(f->s, "202", gone, f->a, &g), SH_ENOTFOUND);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM audit"), 0);

    assert_int_equal(store_tx_begin(f->s), SH_OK);
    int64_t kept = add_child(f->s, "202", "Val", "Kept", D(2014, 1, 1));
    assert_int_equal(store_audit_append(f->s, e, 2), SH_OK);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    assert_int_equal(store_child_get(f->s, "202", kept, f->a, &g), SH_OK);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM audit"), 2);

    /* A batch goes in all or none: the second entry has no area, which the
     * schema refuses, so the first is not kept either ... */
    store_audit bad[2] = {audit_new(1780000002, "202", "amy", "read", "case", 2, 1),
                          audit_new(1780000003, "", "amy", "read", "case", 2, 1)};
    assert_int_equal(store_audit_append(f->s, bad, 2), SH_EIO);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM audit"), 2);
    /* ... also inside a transaction, which stays usable. */
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    assert_int_equal(store_audit_append(f->s, bad, 2), SH_EIO);
    assert_int_equal(store_audit_append(f->s, bad, 1), SH_OK);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM audit"), 3);
    /* No transaction is left open behind any of this. */
    assert_int_equal(store_tx_begin(f->s), SH_OK);
    assert_int_equal(store_tx_commit(f->s), SH_OK);
}

/* A small log over two areas: at is the key the tests check by. */
static void add_audit_log(store *s)
{
    store_audit e[] = {
        audit_new(100, "202", "amy", "read", "case", 1, 10),
        audit_new(200, "202", "bob", "write", "case", 1, 10),
        audit_new(300, "202", "amy", "read", "child", 10, 10),
        audit_new(400, "202", "amy", "denied", "case", 2, 11),
        audit_new(500, "202", "bob", "read", "caseload", 0, 0),
        audit_new(500, "202", "amy", "sign_in", "session", 0, 0), /* same second */
        audit_new(600, "202", "", "sign_in_failed", "", 0, 0),
        audit_new(350, "203", "amy", "read", "case", 1, 10),
    };
    assert_int_equal(store_audit_append(s, e, sizeof e / sizeof e[0]), SH_OK);
}

static void test_audit_find_filters(void **state)
{
    fixture *f = *state;
    add_audit_log(f->s);
    store_audit_query q = audit_query("202");
    int64_t all[] = {600, 500, 500, 400, 300, 200, 100};
    audit_find(f, &q, 7, 7, all);
    /* The two entries of second 500: the later appended comes first. */
    store_audit *out;
    size_t n, total;
    assert_int_equal(store_audit_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    assert_string_equal(out[1].action, "sign_in");
    assert_string_equal(out[2].action, "read");

    q.username = "amy";
    int64_t amy[] = {500, 400, 300, 100};
    audit_find(f, &q, 4, 4, amy);
    q.username = "AMY"; /* exact */
    audit_find(f, &q, 0, 0, NULL);

    q = audit_query("202");
    q.action = "read";
    int64_t reads[] = {500, 300, 100};
    audit_find(f, &q, 3, 3, reads);
    q = audit_query("202");
    q.object = "case";
    int64_t on_cases[] = {400, 200, 100};
    audit_find(f, &q, 3, 3, on_cases);
    q.object_id = 1;
    int64_t case_1[] = {200, 100};
    audit_find(f, &q, 2, 2, case_1);
    q = audit_query("202");
    q.child_id = 10;
    int64_t child_10[] = {300, 200, 100};
    audit_find(f, &q, 3, 3, child_10);

    /* The period: at >= from and at < to. */
    q = audit_query("202");
    q.from = 200;
    q.to = 500;
    int64_t period[] = {400, 300, 200};
    audit_find(f, &q, 3, 3, period);
    q.to = 0;
    int64_t since[] = {600, 500, 500, 400, 300, 200};
    audit_find(f, &q, 6, 6, since);
    q.from = 0;
    q.to = 300;
    int64_t before[] = {200, 100};
    audit_find(f, &q, 2, 2, before);

    /* Combined, through each index's variant. */
    q = audit_query("202");
    q.username = "amy";
    q.action = "read";
    q.from = 150;
    int64_t amy_reads[] = {300};
    audit_find(f, &q, 1, 1, amy_reads);
    q = audit_query("202");
    q.child_id = 10;
    q.username = "bob";
    int64_t bob_10[] = {200};
    audit_find(f, &q, 1, 1, bob_10);
    q.username = "";  /* "" is no filter, as NULL */
    audit_find(f, &q, 3, 3, child_10);

    /* Paging, with the total before it. */
    q = audit_query("202");
    q.limit = 3;
    q.offset = 2;
    int64_t page[] = {500, 400, 300};
    audit_find(f, &q, 7, 3, page);
    q.offset = 7;
    audit_find(f, &q, 7, 0, NULL);

    /* Another area's entries are never seen. */
    q = audit_query("203");
    int64_t other[] = {350};
    audit_find(f, &q, 1, 1, other);
    q = audit_query("204");
    audit_find(f, &q, 0, 0, NULL);
}

typedef struct {
    int calls, stop_after;
    int64_t at[16];
    char action[16][16];
} audit_seen;

static int audit_cb(void *ctx, const store_audit *e)
{
    audit_seen *seen = ctx;
    assert_true(seen->calls < 16);
    seen->at[seen->calls] = e->at;
    snprintf(seen->action[seen->calls], sizeof seen->action[0], "%s", e->action);
    seen->calls++;
    return seen->calls == seen->stop_after ? 7 : 0;
}

static void test_audit_scan(void **state)
{
    fixture *f = *state;
    add_audit_log(f->s);
    store_audit_query q = audit_query("202");
    q.limit = 1; /* ignored by the scan */
    audit_seen all = {0};
    assert_int_equal(store_audit_scan(f->s, &q, f->a, audit_cb, &all), SH_OK);
    int64_t oldest_first[] = {100, 200, 300, 400, 500, 500, 600};
    assert_int_equal(all.calls, 7);
    for (int i = 0; i < 7; i++)
        assert_int_equal(all.at[i], oldest_first[i]);
    assert_string_equal(all.action[4], "read");
    assert_string_equal(all.action[5], "sign_in");

    q = audit_query("202");
    q.username = "amy";
    q.to = 500;
    audit_seen amy = {0};
    assert_int_equal(store_audit_scan(f->s, &q, f->a, audit_cb, &amy), SH_OK);
    assert_int_equal(amy.calls, 3);
    assert_int_equal(amy.at[0], 100);
    assert_int_equal(amy.at[2], 400);

    q = audit_query("202");
    q.child_id = 10;
    audit_seen child = {0};
    assert_int_equal(store_audit_scan(f->s, &q, f->a, audit_cb, &child), SH_OK);
    assert_int_equal(child.calls, 3);

    audit_seen stop = {.stop_after = 2};
    q = audit_query("202");
    assert_int_equal(store_audit_scan(f->s, &q, f->a, audit_cb, &stop), 7);
    assert_int_equal(stop.calls, 2);
    audit_seen again = {0};
    assert_int_equal(store_audit_scan(f->s, &q, f->a, audit_cb, &again), SH_OK);
    assert_int_equal(again.calls, 7);
}

static void test_audit_append_only(void **state)
{
    fixture *f = *state;
    add_audit_log(f->s);
    assert_int_equal(testdb_exec(f->url, "UPDATE audit SET username = 'eve'"), -1);
    assert_int_equal(testdb_exec(f->url, "DELETE FROM audit WHERE at = 100"), -1);
    assert_int_equal(testdb_exec(f->url, "DELETE FROM audit"), -1);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM audit"), 8);
    assert_int_equal(sql_count(f->url, "SELECT count(*) FROM audit WHERE username = 'eve'"), 0);
    /* Appending is what is allowed. */
    assert_int_equal(testdb_exec(f->url,
                                 "INSERT INTO audit (at, la_code, action) VALUES (1, '202', 'read')"),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmigrated_version_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_area_setting_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_invalid_sen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_unique_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_tenancy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_injection_name_verbatim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_missing_child, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journeys_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journeys_scan_long_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journeys_scan_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_durable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_from_001, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_fills_a_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_open_advice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_list_open_advice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_list_child_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_list_filters_combined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_list_open_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_list_page_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caseload_row_child_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_team, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_username_unique_lower, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_list_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_sign_in_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_set_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_delete_user_and_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_append_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_find_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_append_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
