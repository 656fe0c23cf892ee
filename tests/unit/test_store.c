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

#include "store/migrations.h"
#include "store/store.h"
#include "util/err.h"

#define ARENA_LIMIT (16u << 20)

typedef struct {
    char path[64];
    store *s;
    arena *a;
} fixture;

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static void remove_db(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[80];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->path, sizeof f->path, "/tmp/sendhub-test-store-XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0) {
        free(f);
        return -1;
    }
    close(fd);
    f->a = arena_create(ARENA_LIMIT);
    if (!f->a || store_open(f->path, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    arena_destroy(f->a);
    remove_db(f->path);
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
        if (strcmp(store_migrations[i].dialect, "sqlite") == 0 && store_migrations[i].version > v)
            v = store_migrations[i].version;
    return v;
}

static int64_t sql_count(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static const char *sql_text(const char *path, const char *sql, arena *a)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    const char *out = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        out = arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
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
    assert_int_equal(sql_count(f->path, "SELECT count(*) FROM schema_version"),
                     expected_version());
    assert_string_equal(sql_text(f->path, "PRAGMA journal_mode", f->a), "wal");
}

static void test_unmigrated_version_zero(void **state)
{
    fixture *f = *state;
    char path[sizeof f->path + 8];
    store *s = NULL;
    int v = -1;
    snprintf(path, sizeof path, "%s-fresh", f->path);
    assert_int_equal(store_open(path, &s), SH_OK);
    assert_int_equal(store_schema_version(s, &v), SH_OK);
    assert_int_equal(v, 0);
    store_close(s);
    remove_db(path);
}

static void test_open_urls(void **state)
{
    fixture *f = *state;
    char url[80];
    store *s = NULL;
    snprintf(url, sizeof url, "sqlite:%s", f->path);
    assert_int_equal(store_open(url, &s), SH_OK);
    assert_string_equal(store_backend(s), "sqlite");
    int v = 0;
    assert_int_equal(store_schema_version(s, &v), SH_OK);
    assert_int_equal(v, expected_version());
    store_close(s);
    assert_int_equal(store_open("postgresql://localhost/sendhub", &s), SH_EINVAL);
    assert_null(s);
    assert_int_equal(store_open("postgres://localhost/sendhub", &s), SH_EINVAL);
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
    assert_int_equal(sql_count(f->path, "SELECT count(*) FROM children"), 1);
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
    assert_int_equal(store_journeys_scan(f->s, NULL, f->a, scan_cb, &all), SH_OK);
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
    assert_int_equal(store_journeys_scan(f->s, "202", f->a, scan_cb, &one), SH_OK);
    assert_int_equal(one.calls, 2);
    assert_int_equal(one.case_ids[0], a1);
    assert_int_equal(one.case_ids[1], a2);

    scan_seen stop = {.stop_after = 2};
    assert_int_equal(store_journeys_scan(f->s, NULL, f->a, scan_cb, &stop), 42);
    assert_int_equal(stop.calls, 2);

    /* The statement was reset: a scan after an early stop starts again. */
    scan_seen again = {0};
    assert_int_equal(store_journeys_scan(f->s, "203", f->a, scan_cb, &again), SH_OK);
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
    assert_int_equal(store_journeys_scan(f->s, NULL, f->a, scan_many_cb, &total), SH_OK);
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
    assert_int_equal(store_journeys_scan(f->s, "202", f->a, rebuild_cb, &r), SH_OK);
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

    assert_int_equal(store_open(f->path, &f->s), SH_OK);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
