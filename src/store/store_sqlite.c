/*
 * store_sqlite.c — the SQLite backend of store.h (the embedded default).
 *
 * One `store` is one connection. Every statement is a fixed SQL text in
 * stmt_sql[], prepared on first use (a fresh database has no tables until
 * store_migrate, so statements cannot all be prepared at open) and kept for
 * the life of the connection; after each use it is reset and its bindings
 * cleared. Optional filters use `(?N IS NULL OR col = ?N)` so no SQL is ever
 * built from strings. Such a filter cannot use an index, so the lists that
 * must be served from one (caseloads, the audit log) have a fixed variant
 * per index, with the driving filter as a plain equality (CASE_BY_*,
 * AUDIT_BY_*), picked by which filters the query sets.
 *
 * Values: dates are bound and read as ISO 'YYYY-MM-DD' text, enumerations by
 * their wire names, and every absent value (DATE_NONE, "", -1, 0 for the
 * optional event numbers) is NULL in the database and comes back as the same
 * "absent" value. The one exception is cases.coordinator, where '' means
 * unassigned (see schema/sqlite/001_init.sql). cases.open_advice keeps the
 * schema's bit per agency (advice_stored), mapped from the C enum by wire
 * name like every other enumeration.
 *
 * The schema version is the highest `version` in the schema_version table,
 * which store_migrate creates itself, so it can be read before migration 1.
 * The table has one row per migration applied, and a migration is applied
 * when its row is missing, not when its number is above the highest: a
 * database that got 012 from a branch before 010 existed still gets 010.
 *
 * Errors: busy/locked -> SH_EUNAVAIL; a UNIQUE key -> SH_ECONFLICT; a
 * foreign key (a child or case missing, or in another area) -> SH_ENOTFOUND;
 * an enum value out of range in a record passed in -> SH_EINVAL before any
 * SQL runs; anything else, including a CHECK constraint the caller should
 * have validated against, -> SH_EIO with one "store:" line on stderr.
 */
#include "store/sqlite_internal.h"

#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/migrations.h"
#include "util/err.h"

#define BUSY_TIMEOUT_MS 5000
#define REPLACEMENT_JSON_MAX 512 /* an encoded replacement event is < 300 bytes */
#define VEC_INITIAL_CAP 16

/* ---- statements --------------------------------------------------------- */

enum stmt_id {
    ST_VERSION_TABLE,
    ST_VERSION,
    ST_VERSION_APPLIED,
    ST_VERSION_INSERT,
    ST_BEGIN,
    ST_BEGIN_READ,
    ST_DATA_VERSION,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_AREA_PUT,
    ST_AREA_NAME,
    ST_SETTING_PUT,
    ST_SETTING_NAME,
    ST_CHILD_INSERT,
    ST_CHILD_GET,
    ST_CHILD_FIND,
    ST_CHILD_COUNT,
    ST_CASE_INSERT,
    ST_CASE_GET,
    ST_CASE_EXISTS,
    ST_CASE_LIST,
    ST_CASE_COUNT,
    ST_CASE_LIST_COORD,
    ST_CASE_COUNT_COORD,
    ST_CASE_LIST_SETTING,
    ST_CASE_COUNT_SETTING,
    ST_CASE_LIST_ADVICE,
    ST_CASE_COUNT_ADVICE,
    ST_CASE_COUNT_COORD_OPEN,
    ST_CASE_PAGE_COORD_OPEN,
    ST_CASE_SUMMARY,
    ST_EVENTS_LOAD,
    ST_EVENT_INSERT,
    ST_JOURNEYS_SCAN,
    ST_JOURNEYS_SCAN_AREA,
    ST_CASE_ID_RANGE,
    ST_CASE_ID_RANGE_AREA,
    ST_TEAM,
    ST_USER_INSERT,
    ST_USER_BY_NAME,
    ST_USER_BY_ID,
    ST_USER_LIST,
    ST_USER_SET_PASSWORD,
    ST_USER_SET_DISABLED,
    ST_USER_SIGN_IN_OK,
    ST_USER_SIGN_IN_FAILED,
    ST_TOKEN_INSERT,
    ST_TOKEN_GET,
    ST_TOKEN_TOUCH,
    ST_TOKEN_DELETE,
    ST_TOKEN_DELETE_USER,
    ST_TOKEN_PURGE,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_AUDIT_INSERT,
    ST_AUDIT_FIND,
    ST_AUDIT_COUNT,
    ST_AUDIT_SCAN,
    ST_AUDIT_FIND_USER,
    ST_AUDIT_COUNT_USER,
    ST_AUDIT_SCAN_USER,
    ST_AUDIT_FIND_CHILD,
    ST_AUDIT_COUNT_CHILD,
    ST_AUDIT_SCAN_CHILD,
    ST_COUNT
};

#define CHILD_COLS                                                              \
    "ch.id, ch.la_code, ch.forename, ch.surname, ch.date_of_birth, ch.upn, "    \
    "ch.nhs_number, ch.postcode, ch.sen_need1, ch.sen_need2, ch.setting_urn, "  \
    "ch.created_at"
#define CHILD_FILTER                                                            \
    " WHERE ch.la_code = ?1"                                                    \
    " AND (?2 IS NULL OR instr(lower(ch.forename), lower(?2)) > 0"              \
    "      OR instr(lower(ch.surname), lower(?2)) > 0)"                         \
    " AND (?3 IS NULL OR ch.date_of_birth = ?3)"                                \
    " AND (?4 IS NULL OR ch.upn = ?4)"                                          \
    " AND (?5 IS NULL OR ch.nhs_number = ?5)"

#define CASE_COLS                                                               \
    "c.id, c.la_code, c.child_id, c.coordinator, c.opened_at, c.stage, "        \
    "c.request_date, c.final_plan_date, c.next_due, c.next_step, "              \
    "c.within_20_weeks, c.exceptions_apply, c.event_count, c.open_advice"
#define CASE_NCOLS 14
/* The caseload filters on the case's own columns. */
#define CASE_FILTER                                                             \
    " AND (?2 IS NULL OR c.stage = ?2)"                                         \
    " AND (?3 IS NULL OR c.coordinator = ?3)"                                   \
    " AND (?4 IS NULL OR c.next_due <= ?4)"                                     \
    " AND (?5 IS NULL OR c.next_due < ?5)"                                      \
    " AND (?6 IS NULL OR c.child_id = ?6)"                                      \
    " AND (?9 IS NULL OR c.open_advice & ?9 <> 0)"                              \
    " AND (?16 IS NULL OR c.stage NOT IN ('refused', 'no_plan', 'ceased'))"
/* ... and on the child's, in a subquery that is not run at all when none of
 * them is given: a count of the whole area then reads only cases (2 ms for
 * 15,000 cases, against 30 ms through a join to every child). The name
 * matches as in CHILD_FILTER: instr, so '%' and '_' are literal. */
#define CASE_CHILD_FILTER                                                       \
    " AND ((?7 IS NULL AND ?8 IS NULL AND ?10 IS NULL AND ?11 IS NULL"          \
    "       AND ?12 IS NULL AND ?13 IS NULL)"                                   \
    "   OR EXISTS (SELECT 1 FROM children cm"                                   \
    "      WHERE cm.la_code = c.la_code AND cm.id = c.child_id"                 \
    "      AND (?7 IS NULL OR cm.sen_need1 = ?7)"                               \
    "      AND (?8 IS NULL OR cm.setting_urn = ?8)"                             \
    "      AND (?10 IS NULL OR instr(lower(cm.forename), lower(?10)) > 0"       \
    "           OR instr(lower(cm.surname), lower(?10)) > 0)"                   \
    "      AND (?11 IS NULL OR cm.date_of_birth = ?11)"                         \
    "      AND (?12 IS NULL OR cm.upn = ?12)"                                   \
    "      AND (?13 IS NULL OR cm.nhs_number = ?13)))"
/* An optional filter cannot use an index, so the views every page of a role
 * opens have a variant whose WHERE repeats one filter as a plain equality
 * that an index serves (15,000 cases in an area, count and page: a setting's
 * 0.03 ms instead of about 100 ms, health's 2 ms instead of 15 ms):
 *   area     cases_due (la_code, next_due), already in next_due order
 *   coord    cases_coordinator_due (la_code, coordinator, next_due)
 *   setting  children_setting (la_code, setting_urn), then cases_child. A
 *            CROSS JOIN is SQLite's way to fix the join order: without
 *            ANALYZE statistics it would rather walk cases_due
 *   advice   cases_advice (la_code, next_due) WHERE open_advice <> 0: the
 *            term must be spelt as in the index for SQLite to use it
 * A page shows the child's name and more, so a list joins the child; a
 * count needs only the case, except when driven from the child. */
#define CASE_JOIN                                                               \
    " FROM cases c JOIN children ch ON ch.la_code = c.la_code AND ch.id = c.child_id"
#define CASE_ONLY " FROM cases c"
#define CASE_FROM_SETTING " FROM children ch CROSS JOIN cases c"
#define CASE_BY_AREA " WHERE c.la_code = ?1"
#define CASE_BY_COORD " WHERE c.la_code = ?1 AND c.coordinator = ?3"
#define CASE_BY_SETTING                                                         \
    " WHERE ch.la_code = ?1 AND ch.setting_urn = ?8"                            \
    " AND c.la_code = ch.la_code AND c.child_id = ch.id"
#define CASE_BY_ADVICE " WHERE c.la_code = ?1 AND c.open_advice <> 0"
#define CASE_LIST(from, by)                                                     \
    "SELECT " CASE_COLS ", ch.forename, ch.surname, ch.date_of_birth,"          \
    " ch.sen_need1, ch.setting_urn" from by CASE_FILTER CASE_CHILD_FILTER       \
    " ORDER BY c.next_due NULLS LAST, c.id LIMIT ?14 OFFSET ?15"
#define CASE_COUNT(from, by) "SELECT count(*)" from by CASE_FILTER CASE_CHILD_FILTER
/* A coordinator's own open caseload with no other filter, the first page
 * every coordinator opens: the terms are spelt out rather than optional
 * (SQLite evaluates every "?N IS NULL OR ..." on every row), and the page
 * reads only the columns the page shows (query.page_columns). The stage
 * test is three comparisons, not NOT IN: SQLite answers NOT IN from a
 * temporary index, one b-tree search per row (a quarter of the count's
 * time for 250 cases); stage is NOT NULL, so the two mean the same. */
#define CASE_OPEN                                                               \
    " AND c.stage <> 'refused' AND c.stage <> 'no_plan' AND c.stage <> 'ceased'"
#define CASE_PAGE_COLS                                                          \
    "c.id, c.stage, c.next_due, c.next_step,"                                   \
    " ch.forename, ch.surname, ch.date_of_birth, ch.sen_need1"
enum { CP_ID, CP_STAGE, CP_NEXT_DUE, CP_NEXT_STEP, CP_FORENAME, CP_SURNAME, CP_DOB, CP_SEN };

#define USER_COLS                                                               \
    "u.id, u.la_code, u.username, u.display_name, u.email, u.role, "            \
    "u.organisation, u.setting_urn, u.password_hash, u.disabled, "              \
    "u.failed_sign_ins, u.locked_until, u.created_at, u.last_sign_in"
enum { UC_ID, UC_LA_CODE, UC_USERNAME, UC_DISPLAY_NAME, UC_EMAIL, UC_ROLE, UC_ORGANISATION,
       UC_SETTING_URN, UC_PASSWORD_HASH, UC_DISABLED, UC_FAILED, UC_LOCKED_UNTIL,
       UC_CREATED_AT, UC_LAST_SIGN_IN };
#define TOKEN_COLS "t.user_id, t.kind, t.csrf, t.label, t.created_at, t.last_used, t.expires_at"
enum { TC_USER_ID, TC_KIND, TC_CSRF, TC_LABEL, TC_CREATED_AT, TC_LAST_USED, TC_EXPIRES_AT,
       TC_COUNT /* the user's columns follow */ };
enum { TOKEN_KIND_COUNT = STORE_TOKEN_API + 1 };

#define AUDIT_COLS                                                              \
    "a.id, a.at, a.la_code, a.username, a.role, a.action, a.object, "           \
    "a.object_id, a.child_id, a.detail, a.remote"
enum { AC_ID, AC_AT, AC_LA_CODE, AC_USERNAME, AC_ROLE, AC_ACTION, AC_OBJECT, AC_OBJECT_ID,
       AC_CHILD_ID, AC_DETAIL, AC_REMOTE };
/* The period is always bound (0 = unbounded becomes the int64 extremes), so
 * it is a range on the last column of whichever index a variant uses: a
 * month of one person's entries is read from the index, not the area. */
#define AUDIT_FILTER                                                            \
    " AND a.at >= ?2 AND a.at < ?3"                                             \
    " AND (?4 IS NULL OR a.username = ?4)"                                      \
    " AND (?5 IS NULL OR a.action = ?5)"                                        \
    " AND (?6 IS NULL OR a.object = ?6)"                                        \
    " AND (?7 IS NULL OR a.object_id = ?7)"                                     \
    " AND (?8 IS NULL OR a.child_id = ?8)"
/* As for caseloads, a variant per index: audit_area, audit_user, audit_child. */
#define AUDIT_BY_AREA " FROM audit a WHERE a.la_code = ?1"
#define AUDIT_BY_USER " FROM audit a WHERE a.la_code = ?1 AND a.username = ?4"
#define AUDIT_BY_CHILD " FROM audit a WHERE a.la_code = ?1 AND a.child_id = ?8"
#define AUDIT_FIND(by)                                                          \
    "SELECT " AUDIT_COLS by AUDIT_FILTER                                        \
    " ORDER BY a.at DESC, a.id DESC LIMIT ?9 OFFSET ?10"
#define AUDIT_COUNT(by) "SELECT count(*)" by AUDIT_FILTER
#define AUDIT_SCAN(by) "SELECT " AUDIT_COLS by AUDIT_FILTER " ORDER BY a.at, a.id"

#define EVENT_COLS                                                              \
    "id, type, date, agency, outcome, exception_reason, cease_reason, "         \
    "transfer_year, transfer_to, supersedes, reason, replacement"
enum { EC_ID, EC_TYPE, EC_DATE, EC_AGENCY, EC_OUTCOME, EC_EXCEPTION, EC_CEASE,
       EC_TRANSFER_YEAR, EC_TRANSFER_TO, EC_SUPERSEDES, EC_REASON, EC_REPLACEMENT };
/* The journeys scan reads ~10 million rows, and reading columns through the
 * API costs more than the engine's work on the events (bench/RESULTS.md), so
 * it selects fewer: the name-valued fields are mutually exclusive by type
 * (agency: advice; outcome: decisions; exception_reason: exception;
 * transfer_to: phase_transfer_due) and so are the integer ones (cease_reason:
 * plan_ceased; transfer_year: phase_transfer_due; supersedes: correction),
 * because event_check_fields refuses any other; one coalesce() of each set
 * carries whichever applies (scan_event_from_row). */
#define SCAN_COLS                                                               \
    "case_id, id, type, date,"                                                  \
    " coalesce(agency, outcome, exception_reason, transfer_to),"                \
    " coalesce(cease_reason, transfer_year, supersedes), reason, replacement"
enum { SC_CASE_ID, SC_ID, SC_TYPE, SC_DATE, SC_NAME, SC_NUMBER, SC_REASON, SC_REPLACEMENT,
       SC_LA_CODE };

static const char *const stmt_sql[ST_COUNT] = {
    [ST_VERSION_TABLE] = "SELECT count(*) FROM sqlite_master"
                         " WHERE type = 'table' AND name = 'schema_version'",
    [ST_VERSION] = "SELECT coalesce(max(version), 0) FROM schema_version",
    [ST_VERSION_APPLIED] = "SELECT count(*) FROM schema_version WHERE version = ?1",
    [ST_VERSION_INSERT] = "INSERT INTO schema_version (version, name, applied_at)"
                          " VALUES (?1, ?2, ?3)",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN DEFERRED",
    [ST_DATA_VERSION] = "PRAGMA data_version",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_AREA_PUT] = "INSERT INTO areas (la_code, name) VALUES (?1, ?2)"
                    " ON CONFLICT (la_code) DO UPDATE SET name = excluded.name",
    [ST_AREA_NAME] = "SELECT name FROM areas WHERE la_code = ?1",
    [ST_SETTING_PUT] = "INSERT INTO settings (urn, la_code, name, type) VALUES (?1, ?2, ?3, ?4)"
                       " ON CONFLICT (urn) DO UPDATE SET la_code = excluded.la_code,"
                       " name = excluded.name, type = excluded.type",
    [ST_SETTING_NAME] = "SELECT name FROM settings WHERE urn = ?1",
    [ST_CHILD_INSERT] = "INSERT INTO children (la_code, forename, surname, date_of_birth,"
                        " upn, nhs_number, postcode, sen_need1, sen_need2, setting_urn,"
                        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [ST_CHILD_GET] = "SELECT " CHILD_COLS " FROM children ch WHERE ch.la_code = ?1 AND ch.id = ?2",
    [ST_CHILD_FIND] = "SELECT " CHILD_COLS " FROM children ch" CHILD_FILTER
                      " ORDER BY ch.surname, ch.forename, ch.id LIMIT ?6 OFFSET ?7",
    [ST_CHILD_COUNT] = "SELECT count(*) FROM children ch" CHILD_FILTER,
    [ST_CASE_INSERT] = "INSERT INTO cases (la_code, child_id, coordinator, opened_at, stage,"
                       " request_date, final_plan_date, next_due, next_step, within_20_weeks,"
                       " exceptions_apply, event_count, open_advice)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [ST_CASE_GET] = "SELECT " CASE_COLS " FROM cases c WHERE c.la_code = ?1 AND c.id = ?2",
    [ST_CASE_EXISTS] = "SELECT 1 FROM cases WHERE la_code = ?1 AND id = ?2",
    [ST_CASE_LIST] = CASE_LIST(CASE_JOIN, CASE_BY_AREA),
    [ST_CASE_COUNT] = CASE_COUNT(CASE_ONLY, CASE_BY_AREA),
    [ST_CASE_LIST_COORD] = CASE_LIST(CASE_JOIN, CASE_BY_COORD),
    [ST_CASE_COUNT_COORD] = CASE_COUNT(CASE_ONLY, CASE_BY_COORD),
    [ST_CASE_LIST_SETTING] = CASE_LIST(CASE_FROM_SETTING, CASE_BY_SETTING),
    [ST_CASE_COUNT_SETTING] = CASE_COUNT(CASE_FROM_SETTING, CASE_BY_SETTING),
    [ST_CASE_LIST_ADVICE] = CASE_LIST(CASE_JOIN, CASE_BY_ADVICE),
    [ST_CASE_COUNT_ADVICE] = CASE_COUNT(CASE_ONLY, CASE_BY_ADVICE),
    [ST_CASE_COUNT_COORD_OPEN] = "SELECT count(*)" CASE_ONLY CASE_BY_COORD CASE_OPEN,
    [ST_CASE_PAGE_COORD_OPEN] = "SELECT " CASE_PAGE_COLS CASE_JOIN CASE_BY_COORD CASE_OPEN
                                " ORDER BY c.next_due NULLS LAST, c.id LIMIT ?14 OFFSET ?15",
    [ST_CASE_SUMMARY] = "UPDATE cases SET stage = ?3, request_date = ?4, final_plan_date = ?5,"
                        " next_due = ?6, next_step = ?7, within_20_weeks = ?8,"
                        " exceptions_apply = ?9, event_count = ?10, open_advice = ?11"
                        " WHERE la_code = ?1 AND id = ?2",
    [ST_EVENTS_LOAD] = "SELECT " EVENT_COLS " FROM events"
                       " WHERE la_code = ?1 AND case_id = ?2 ORDER BY id",
    [ST_EVENT_INSERT] = "INSERT INTO events (la_code, case_id, type, date, agency, outcome,"
                        " exception_reason, cease_reason, transfer_year, transfer_to,"
                        " supersedes, reason, replacement, recorded_by, recorded_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                        " ?14, ?15)",
    /* A range of events_case in its order. The area variant has la_code as
     * a plain filter and does not select it (it is the bound value). */
    [ST_JOURNEYS_SCAN] = "SELECT " SCAN_COLS ", la_code FROM events"
                         " WHERE case_id BETWEEN ?1 AND ?2 ORDER BY case_id, id",
    [ST_JOURNEYS_SCAN_AREA] = "SELECT " SCAN_COLS " FROM events"
                              " WHERE case_id BETWEEN ?1 AND ?2 AND la_code = ?3"
                              " ORDER BY case_id, id",
    /* Two subqueries, so each is one seek (min/max optimisation) at an end
     * of the primary key or of the (la_code, id) unique index. */
    [ST_CASE_ID_RANGE] = "SELECT (SELECT min(id) FROM cases), (SELECT max(id) FROM cases)",
    [ST_CASE_ID_RANGE_AREA] = "SELECT (SELECT min(id) FROM cases WHERE la_code = ?1),"
                              " (SELECT max(id) FROM cases WHERE la_code = ?1)",
    /* Closed journeys (refused, no plan, ceased) are no one's caseload, so
     * their dates count neither; a coordinator with only closed cases is
     * not listed. Read in coordinator order from cases_coordinator_due. */
    [ST_TEAM] = "SELECT coordinator, count(*),"
                " count(*) FILTER (WHERE next_due < ?2),"
                " count(*) FILTER (WHERE next_due >= ?2 AND next_due <= ?3)"
                " FROM cases WHERE la_code = ?1"
                " AND stage NOT IN ('refused', 'no_plan', 'ceased')"
                " GROUP BY coordinator ORDER BY coordinator",
    /* Usernames are stored lower case and looked up lower case, so "JSmith"
     * signs in as jsmith and cannot be registered beside it. */
    [ST_USER_INSERT] = "INSERT INTO users (la_code, username, display_name, email, role,"
                       " organisation, setting_urn, password_hash, disabled, created_at)"
                       " VALUES (?1, lower(?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_USER_BY_NAME] = "SELECT " USER_COLS " FROM users u WHERE u.username = lower(?1)",
    [ST_USER_BY_ID] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?1",
    [ST_USER_LIST] = "SELECT " USER_COLS " FROM users u"
                     " WHERE (?1 IS NULL OR u.la_code = ?1) ORDER BY u.username",
    [ST_USER_SET_PASSWORD] = "UPDATE users SET password_hash = ?2, failed_sign_ins = 0,"
                             " locked_until = NULL WHERE id = ?1",
    [ST_USER_SET_DISABLED] = "UPDATE users SET disabled = ?2 WHERE id = ?1",
    [ST_USER_SIGN_IN_OK] = "UPDATE users SET failed_sign_ins = 0, last_sign_in = ?2"
                           " WHERE id = ?1",
    [ST_USER_SIGN_IN_FAILED] = "UPDATE users SET failed_sign_ins = failed_sign_ins + 1,"
                               " locked_until = coalesce(?2, locked_until) WHERE id = ?1",
    [ST_TOKEN_INSERT] = "INSERT INTO tokens (hash, user_id, kind, csrf, label, created_at,"
                        " last_used, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_TOKEN_GET] = "SELECT " TOKEN_COLS ", " USER_COLS
                     " FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?1",
    /* Concurrent requests may touch out of order; last use never goes back. */
    [ST_TOKEN_TOUCH] = "UPDATE tokens SET last_used = max(last_used, ?2) WHERE hash = ?1",
    [ST_TOKEN_DELETE] = "DELETE FROM tokens WHERE hash = ?1",
    [ST_TOKEN_DELETE_USER] = "DELETE FROM tokens WHERE user_id = ?1",
    [ST_TOKEN_PURGE] = "DELETE FROM tokens WHERE expires_at < ?1",
    [ST_SAVEPOINT] = "SAVEPOINT audit_append",
    [ST_RELEASE] = "RELEASE audit_append",
    [ST_ROLLBACK_TO] = "ROLLBACK TO audit_append",
    [ST_AUDIT_INSERT] = "INSERT INTO audit (at, la_code, username, role, action, object,"
                        " object_id, child_id, detail, remote)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_AUDIT_FIND] = AUDIT_FIND(AUDIT_BY_AREA),
    [ST_AUDIT_COUNT] = AUDIT_COUNT(AUDIT_BY_AREA),
    [ST_AUDIT_SCAN] = AUDIT_SCAN(AUDIT_BY_AREA),
    [ST_AUDIT_FIND_USER] = AUDIT_FIND(AUDIT_BY_USER),
    [ST_AUDIT_COUNT_USER] = AUDIT_COUNT(AUDIT_BY_USER),
    [ST_AUDIT_SCAN_USER] = AUDIT_SCAN(AUDIT_BY_USER),
    [ST_AUDIT_FIND_CHILD] = AUDIT_FIND(AUDIT_BY_CHILD),
    [ST_AUDIT_COUNT_CHILD] = AUDIT_COUNT(AUDIT_BY_CHILD),
    [ST_AUDIT_SCAN_CHILD] = AUDIT_SCAN(AUDIT_BY_CHILD),
};

/* ---- wire-name tables --------------------------------------------------- */

/* Wire names with their lengths, built once per connection from the core
 * modules' *_name() functions, so a column's text maps back to its enum by a
 * length check and one memcmp: the journeys scan does this for ~10 million
 * rows. */
typedef struct {
    const char *s;
    int len;
} name_ent;

/* A hash of the name tables the journeys scan decodes on every row, keyed
 * by length and first byte (no collisions among today's names; a slot two
 * names share falls back to the linear name_find, so a new name can never
 * be misread). Each slot holds 1 + the name's index, 0 for none. */
#define NAME_SLOTS 64 /* a power of two */
#define NAME_SHARED 0xff
typedef struct {
    const name_ent *t;
    int n;
    unsigned char slot[NAME_SLOTS];
} name_index;

typedef struct {
    name_ent type[EV_TYPE_COUNT];
    name_ent agency[AGENCY_COUNT];
    name_ent outcome[OUTCOME_COUNT];
    name_ent exception[EXC_COUNT];
    name_ent transfer_to[TRANSFER_TO_COUNT];
    name_ent stage[STAGE_COUNT];
    name_ent sen[SEN_TYPE_COUNT];
    name_ent token_kind[TOKEN_KIND_COUNT];
    unsigned advice_bit[AGENCY_COUNT]; /* stored bit of each agency, 0 if none */
    name_index type_ix, agency_ix, outcome_ix, exception_ix, transfer_to_ix;
} name_tables;

/* The stored bit positions of cases.open_advice, by agency wire name: fixed
 * by the schema (002_people.sql), whatever the order of event_agency. */
static const char *const advice_stored[] = {"education", "health", "social_care",
                                            "psychology", "other"};
#define ADVICE_STORED_COUNT (sizeof advice_stored / sizeof advice_stored[0])

/* A SQLite connection: a store (backend.h) plus the handle, its prepared
 * statements and the wire-name tables. */
typedef struct {
    store base; /* first, so a sqlite_store * is a store * */
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    name_tables names;
    int reads;     /* open store_read_begin calls on the transaction it opened */
    int64_t serial; /* which connection of this process (store_data_version) */
} sqlite_store;

static void name_set(name_ent *e, const char *s)
{
    e->s = s;
    e->len = (int)strlen(s);
}

static unsigned name_key(const char *p, int len)
{
    return ((unsigned)len + (unsigned char)p[0] * 18u) & (NAME_SLOTS - 1);
}

static void name_index_init(name_index *ix, const name_ent *t, int n)
{
    ix->t = t;
    ix->n = n;
    memset(ix->slot, 0, sizeof ix->slot);
    for (int i = 0; i < n; i++) {
        unsigned char *slot = &ix->slot[name_key(t[i].s, t[i].len)];
        *slot = *slot ? NAME_SHARED : (unsigned char)(i + 1);
    }
}

static void names_init(name_tables *t)
{
    for (int i = 0; i < EV_TYPE_COUNT; i++)
        name_set(&t->type[i], event_type_name((event_type)i));
    for (int i = 0; i < AGENCY_COUNT; i++)
        name_set(&t->agency[i], event_agency_name((event_agency)i));
    for (int i = 0; i < OUTCOME_COUNT; i++)
        name_set(&t->outcome[i], event_outcome_name((event_outcome)i));
    for (int i = 0; i < EXC_COUNT; i++)
        name_set(&t->exception[i], event_exception_name((event_exception)i));
    for (int i = 0; i < TRANSFER_TO_COUNT; i++)
        name_set(&t->transfer_to[i], event_transfer_to_name((event_transfer_to)i));
    for (int i = 0; i < STAGE_COUNT; i++)
        name_set(&t->stage[i], journey_stage_name((journey_stage)i));
    for (int i = 0; i < SEN_TYPE_COUNT; i++)
        name_set(&t->sen[i], ident_sen_type_code((sen_type)i));
    name_set(&t->token_kind[STORE_TOKEN_SESSION], "session");
    name_set(&t->token_kind[STORE_TOKEN_API], "api");
    for (int i = 0; i < AGENCY_COUNT; i++) {
        t->advice_bit[i] = 0;
        for (size_t b = 0; b < ADVICE_STORED_COUNT; b++)
            if (strcmp(advice_stored[b], t->agency[i].s) == 0)
                t->advice_bit[i] = 1u << b;
    }
    name_index_init(&t->type_ix, t->type, EV_TYPE_COUNT);
    name_index_init(&t->agency_ix, t->agency, AGENCY_COUNT);
    name_index_init(&t->outcome_ix, t->outcome, OUTCOME_COUNT);
    name_index_init(&t->exception_ix, t->exception, EXC_COUNT);
    name_index_init(&t->transfer_to_ix, t->transfer_to, TRANSFER_TO_COUNT);
}

/* Index of the name `p` (len bytes) in t[0..n), or -1. */
static int name_find(const name_ent *t, int n, const char *p, int len)
{
    for (int i = 0; i < n; i++)
        if (t[i].len == len && memcmp(t[i].s, p, (size_t)len) == 0)
            return i;
    return -1;
}

/* name_find through the hash: one probe and at most one memcmp. */
static int name_lookup(const name_index *ix, const char *p, int len)
{
    if (len <= 0)
        return -1;
    int v = ix->slot[name_key(p, len)];
    if (v == NAME_SHARED)
        return name_find(ix->t, ix->n, p, len);
    const name_ent *e = v ? &ix->t[v - 1] : NULL;
    return e && e->len == len && memcmp(e->s, p, (size_t)len) == 0 ? v - 1 : -1;
}

/* The wire name of enum value v for writing: NULL for -1 (absent) when
 * `optional`, SH_EINVAL for anything out of range (a caller's bug, refused
 * before it can reach the database). */
static int name_of(const name_ent *t, int n, int v, bool optional, const char **out)
{
    if (v == -1 && optional) {
        *out = NULL;
        return SH_OK;
    }
    if (v < 0 || v >= n)
        return SH_EINVAL;
    *out = t[v].s;
    return SH_OK;
}

/* An open_advice mask (bit 1u << event_agency) in its stored form. SH_EINVAL
 * for a bit that is no agency, or an agency the schema has no bit for (a new
 * agency needs a migration first, not a silently dropped request). */
static int advice_to_db(const name_tables *t, unsigned mask, int64_t *out)
{
    if (mask >> AGENCY_COUNT)
        return SH_EINVAL;
    *out = 0;
    for (int i = 0; i < AGENCY_COUNT; i++) {
        if (!(mask & (1u << i)))
            continue;
        if (!t->advice_bit[i])
            return SH_EINVAL;
        *out |= t->advice_bit[i];
    }
    return SH_OK;
}

/* ---- errors ------------------------------------------------------------- */

static void log_db(const sqlite_store *s, const char *what)
{
    fprintf(stderr, "store: %s: %s\n", what, sqlite3_errmsg(s->db));
}

/* Maps an SQLite result code (extended codes are on) to an rc. Only the
 * failures the caller cannot anticipate are logged: a duplicate UPN or a
 * missing parent row is an answer, not an incident. */
static int db_fail(const sqlite_store *s, int code, const char *what)
{
    switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return SH_ECONFLICT;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return SH_ENOTFOUND;
    default:
        break;
    }
    log_db(s, what);
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return SH_EUNAVAIL;
    case SQLITE_NOMEM:
        return SH_ENOMEM;
    default:
        return SH_EIO;
    }
}

sqlite3 *sqlite_store_db(store *s)
{
    return ((sqlite_store *)s)->db;
}

int sqlite_store_fail(store *s, int code, const char *what)
{
    return db_fail((sqlite_store *)s, code, what);
}

/* A stored value this code cannot read back (an unknown wire name, a bad
 * date): the database was written by something else or damaged. */
static int corrupt(const char *what, const char *p, int len)
{
    fprintf(stderr, "store: unexpected stored %s '%.*s'\n", what, len > 64 ? 64 : len, p);
    return SH_EIO;
}

/* ---- statement plumbing ------------------------------------------------- */

static int stmt_get(sqlite_store *s, enum stmt_id id, sqlite3_stmt **out)
{
    if (!s->st[id]) {
        int code = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                      &s->st[id], NULL);
        if (code != SQLITE_OK)
            return db_fail(s, code, "prepare");
    }
    *out = s->st[id];
    return SH_OK;
}

static void stmt_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Steps once: 1 for a row, 0 when done, or a negative rc. */
static int step(const sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int code = sqlite3_step(st);
    if (code == SQLITE_ROW)
        return 1;
    if (code == SQLITE_DONE)
        return 0;
    return db_fail(s, code, what);
}

/* Steps a statement that returns no rows, then resets it. */
static int step_done(const sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = step(s, st, what);
    stmt_done(st);
    return rc < 0 ? rc : SH_OK;
}

/* Steps an UPDATE or DELETE of the row with a given key, then resets it:
 * SH_ENOTFOUND when there was no such row. */
static int step_one_row(const sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = step_done(s, st, what);
    if (rc == SH_OK && sqlite3_changes(s->db) == 0)
        rc = SH_ENOTFOUND;
    return rc;
}

/* Runs a statement without parameters or rows (BEGIN, COMMIT, ...). */
static int run(sqlite_store *s, enum stmt_id id, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, id, &st);
    if (rc == SH_OK)
        rc = step_done(s, st, what);
    return rc;
}

/* Binding keeps the first failure, so a statement's parameters are bound in
 * one straight run and checked once. */
typedef struct {
    sqlite3_stmt *st;
    int code;
} binder;

/* Text that is absent when NULL or "". The caller's string outlives the
 * statement's use (it is reset before the function returns), hence STATIC. */
static void b_text(binder *b, int i, const char *v)
{
    if (b->code != SQLITE_OK)
        return;
    b->code = v && *v ? sqlite3_bind_text(b->st, i, v, -1, SQLITE_STATIC)
                      : sqlite3_bind_null(b->st, i);
}

/* Text where "" is a value and only NULL is absent. */
static void b_text_exact(binder *b, int i, const char *v)
{
    if (b->code != SQLITE_OK)
        return;
    b->code = v ? sqlite3_bind_text(b->st, i, v, -1, SQLITE_STATIC)
                : sqlite3_bind_null(b->st, i);
}

static void b_date(binder *b, int i, date_t d)
{
    if (b->code != SQLITE_OK)
        return;
    if (d == DATE_NONE) {
        b->code = sqlite3_bind_null(b->st, i);
        return;
    }
    char iso[DATE_ISO_LEN + 1];
    date_format(d, iso);
    b->code = sqlite3_bind_text(b->st, i, iso, DATE_ISO_LEN, SQLITE_TRANSIENT);
}

static void b_int(binder *b, int i, int64_t v)
{
    if (b->code == SQLITE_OK)
        b->code = sqlite3_bind_int64(b->st, i, v);
}

/* An integer that is absent when it equals `none`. */
static void b_int_or_null(binder *b, int i, int64_t v, int64_t none)
{
    if (b->code == SQLITE_OK)
        b->code = v == none ? sqlite3_bind_null(b->st, i) : sqlite3_bind_int64(b->st, i, v);
}

static void b_blob(binder *b, int i, const void *v, int len)
{
    if (b->code == SQLITE_OK)
        b->code = sqlite3_bind_blob(b->st, i, v, len, SQLITE_STATIC);
}

static int b_end(const sqlite_store *s, const binder *b)
{
    return b->code == SQLITE_OK ? SH_OK : db_fail(s, b->code, "bind");
}

/* Runs the statement bound through b (no rows), or resets it when a binding
 * failed. */
static int b_run(const sqlite_store *s, const binder *b, const char *what)
{
    int rc = b_end(s, b);
    if (rc == SH_OK)
        return step_done(s, b->st, what);
    stmt_done(b->st);
    return rc;
}

/* As b_run, for a change to the one row with a key (step_one_row). */
static int b_run_one_row(const sqlite_store *s, const binder *b, const char *what)
{
    int rc = b_end(s, b);
    if (rc == SH_OK)
        return step_one_row(s, b->st, what);
    stmt_done(b->st);
    return rc;
}

/* ---- reading columns ---------------------------------------------------- */

static int col_date(sqlite3_stmt *st, int col, date_t *out)
{
    const char *p = (const char *)sqlite3_column_text(st, col);
    if (!p) {
        *out = DATE_NONE;
        return SH_OK;
    }
    int len = sqlite3_column_bytes(st, col);
    if (date_parse(p, (size_t)len, out) != SH_OK)
        return corrupt("date", p, len);
    return SH_OK;
}

/* Copies text into a fixed array; NULL becomes "". */
static int col_copy(sqlite3_stmt *st, int col, char *out, size_t cap)
{
    const char *p = (const char *)sqlite3_column_text(st, col);
    size_t len = p ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (len >= cap)
        return corrupt("value (too long)", p, (int)len);
    if (len)
        memcpy(out, p, len);
    out[len] = '\0';
    return SH_OK;
}

/* Copies text into the arena; NULL stays NULL when `keep_null`, else "". */
static int col_dup(sqlite3_stmt *st, int col, arena *a, bool keep_null, const char **out)
{
    const char *p = (const char *)sqlite3_column_text(st, col);
    if (!p) {
        *out = keep_null ? NULL : "";
        return SH_OK;
    }
    *out = arena_strndup(a, p, (size_t)sqlite3_column_bytes(st, col));
    return *out ? SH_OK : SH_ENOMEM;
}

/* An enumeration stored by wire name; NULL is -1 (absent). */
static int col_enum(sqlite3_stmt *st, int col, const name_ent *t, int n, int *out)
{
    const char *p = (const char *)sqlite3_column_text(st, col);
    if (!p) {
        *out = -1;
        return SH_OK;
    }
    int len = sqlite3_column_bytes(st, col);
    *out = name_find(t, n, p, len);
    return *out >= 0 ? SH_OK : corrupt("name", p, len);
}

/* col_enum through a name_index (the journeys scan). */
static int col_name(sqlite3_stmt *st, int col, const name_index *ix, int *out)
{
    const char *p = (const char *)sqlite3_column_text(st, col);
    if (!p) {
        *out = -1;
        return SH_OK;
    }
    int len = sqlite3_column_bytes(st, col);
    *out = name_lookup(ix, p, len);
    return *out >= 0 ? SH_OK : corrupt("name", p, len);
}

/* cases.open_advice back to a mask by event_agency (advice_to_db). */
static int col_advice(sqlite3_stmt *st, int col, const name_tables *t, unsigned *out)
{
    int64_t v = sqlite3_column_int64(st, col), seen = 0;
    *out = 0;
    for (int i = 0; i < AGENCY_COUNT; i++) {
        if (v & t->advice_bit[i]) {
            *out |= 1u << i;
            seen |= t->advice_bit[i];
        }
    }
    return v == seen ? SH_OK : corrupt("open_advice", "(unknown bits)", 14);
}

/* An optional integer column that must fit an int; NULL is 0. */
static int col_small_int(sqlite3_stmt *st, int col, int *out)
{
    int64_t v = sqlite3_column_int64(st, col);
    if (v < INT_MIN || v > INT_MAX)
        return corrupt("number", "(out of range)", 14);
    *out = (int)v;
    return SH_OK;
}

/* ---- open, close, migrate ----------------------------------------------- */

/* WAL lets readers run beside the one writer; synchronous=FULL makes a
 * commit durable before it is acknowledged (it survives kill -9 and power
 * loss); foreign keys enforce tenancy between children, cases and events. */
static int configure(sqlite_store *s)
{
    static const char pragmas[] = "PRAGMA journal_mode = WAL;"
                                  "PRAGMA synchronous = FULL;"
                                  "PRAGMA foreign_keys = ON;";
    sqlite3_extended_result_codes(s->db, 1);
    int code = sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    if (code == SQLITE_OK)
        code = sqlite3_exec(s->db, pragmas, NULL, NULL, NULL);
    return code == SQLITE_OK ? SH_OK : db_fail(s, code, "configure");
}

static const store_ops sqlite_ops;
static void sq_close(store *base);
static int sq_tx_begin(store *base);
static int sq_tx_commit(store *base);
static int sq_tx_rollback(store *base);

/* Process-wide SQLite settings, before the first connection (sqlite3_config
 * only works before sqlite3_initialize, which the first open runs). Memory
 * statistics off: with them on, every SQLite allocation in a threadsafe
 * build takes one global mutex shared by all worker threads, and nothing
 * reads the statistics. Failure (SQLite already initialised by another
 * user in the process) only leaves them on. */
static void sqlite_configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_sqlite_open(const char *path, store **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_configure_once);
    *out = NULL;
    sqlite_store *s = calloc(1, sizeof *s);
    if (!s)
        return SH_ENOMEM;
    s->base.ops = &sqlite_ops;
    static _Atomic int64_t opened;
    s->serial = ++opened;
    /* NOMUTEX: a connection belongs to one thread at a time (store.h). */
    int code = sqlite3_open_v2(path, &s->db,
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                               NULL);
    int rc = code == SQLITE_OK ? configure(s) : db_fail(s, code, path);
    if (rc != SH_OK) {
        sq_close(&s->base);
        return rc;
    }
    names_init(&s->names);
    *out = &s->base;
    return SH_OK;
}

static void sq_close(store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    if (!s)
        return;
    sqlite_sql_free(base);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    if (sqlite3_close(s->db) != SQLITE_OK)
        log_db(s, "close");
    free(s);
}

/* Steps a prepared, bound statement for its one-integer result, then
 * resets it. */
static int read_int(sqlite_store *s, sqlite3_stmt *st, int *out)
{
    int rc = step(s, st, "schema version");
    if (rc == 1) {
        rc = col_small_int(st, 0, out);
    } else if (rc == 0) {
        rc = SH_EIO;
    }
    stmt_done(st);
    return rc;
}

/* Reads the one-integer result of a statement without parameters. */
static int query_int(sqlite_store *s, enum stmt_id id, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, id, &st);
    return rc == SH_OK ? read_int(s, st, out) : rc;
}

static int sq_schema_version(store *base, int *version)
{
    sqlite_store *s = (sqlite_store *)base;
    int exists = 0;
    int rc = query_int(s, ST_VERSION_TABLE, &exists);
    *version = 0;
    if (rc == SH_OK && exists)
        rc = query_int(s, ST_VERSION, version);
    return rc;
}

static int exec_sql(sqlite_store *s, const char *sql, const char *what)
{
    int code = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return code == SQLITE_OK ? SH_OK : db_fail(s, code, what);
}

static int version_record(sqlite_store *s, const store_migration *m)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_VERSION_INSERT, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_int(&b, 1, m->version);
    b_text(&b, 2, m->name);
    b_int(&b, 3, (int64_t)time(NULL));
    rc = b_end(s, &b);
    if (rc == SH_OK)
        return step_done(s, st, m->name);
    stmt_done(st);
    return rc;
}

/* SH_OK when no row breaks a foreign key (PRAGMA foreign_key_check finds
 * none), else SH_EIO naming the first table at fault. */
static int foreign_keys_hold(sqlite_store *s, const char *what)
{
    sqlite3_stmt *st = NULL;
    int code = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (code != SQLITE_OK)
        return db_fail(s, code, what);
    code = sqlite3_step(st);
    int rc = code == SQLITE_DONE ? SH_OK : code == SQLITE_ROW ? SH_EIO : db_fail(s, code, what);
    if (code == SQLITE_ROW)
        fprintf(stderr, "store: %s: a row of %s breaks a foreign key\n", what,
                (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc;
}

/* Whether migration `version` has its row in schema_version (0 or 1). */
static int version_applied(sqlite_store *s, int version, int *applied)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_VERSION_APPLIED, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_int(&b, 1, version);
    rc = b_end(s, &b);
    if (rc == SH_OK)
        return read_int(s, st, applied);
    stmt_done(st);
    return rc;
}

/* Runs a migration and records its version, inside migrate_one's
 * transaction. One applied below the highest recorded version (a database
 * that got a later one first, from a branch) is named on stderr, so an
 * operator knows the order differed from the numbers. */
static int migration_run(sqlite_store *s, const store_migration *m)
{
    int highest = 0;
    int rc = query_int(s, ST_VERSION, &highest);
    if (rc == SH_OK && highest > m->version)
        fprintf(stderr, "store: applying %s out of order (%03d already applied)\n", m->name,
                highest);
    if (rc == SH_OK)
        rc = exec_sql(s, m->sql, m->name);
    if (rc == SH_OK)
        rc = foreign_keys_hold(s, m->name);
    if (rc == SH_OK)
        rc = version_record(s, m);
    return rc;
}

/* Applies one migration in its own write transaction if its version has no
 * row yet. The row is looked for inside the transaction, so two processes
 * migrating at once cannot both apply it. Foreign keys are off while it runs
 * and checked before it commits
 * (https://www.sqlite.org/lang_altertable.html#otheralter): a migration that
 * rebuilds a table (009 rebuilds users) drops the old one, and with them on
 * the drop deletes its rows first and ON DELETE CASCADE empties the tables
 * that refer to it. The pragma is a no-op inside a transaction, hence before
 * BEGIN, and on again whatever happened. */
static int migrate_one(sqlite_store *s, const store_migration *m)
{
    int applied = 0;
    int rc = exec_sql(s, "PRAGMA foreign_keys = OFF", "foreign keys off");
    if (rc == SH_OK)
        rc = sq_tx_begin(&s->base);
    if (rc == SH_OK)
        rc = version_applied(s, m->version, &applied);
    if (rc == SH_OK && !applied)
        rc = migration_run(s, m);
    if (rc == SH_OK)
        rc = sq_tx_commit(&s->base);
    if (rc != SH_OK)
        sq_tx_rollback(&s->base);
    int on = exec_sql(s, "PRAGMA foreign_keys = ON", "foreign keys on");
    return rc != SH_OK ? rc : on;
}

static int sq_migrate(store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    int rc = exec_sql(s,
                      "CREATE TABLE IF NOT EXISTS schema_version ("
                      " version INTEGER PRIMARY KEY,"
                      " name TEXT NOT NULL,"
                      " applied_at INTEGER NOT NULL)",
                      "schema_version");
    for (size_t i = 0; rc == SH_OK && i < store_migration_count; i++)
        if (strcmp(store_migrations[i].dialect, "sqlite") == 0)
            rc = migrate_one(s, &store_migrations[i]);
    return rc;
}

/* ---- transactions ------------------------------------------------------- */

static int sq_tx_begin(store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    if (!sqlite3_get_autocommit(s->db))
        return SH_EINVAL; /* nested: SQLite has no nested BEGIN */
    return run(s, ST_BEGIN, "begin");
}

static int sq_tx_commit(store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    return run(s, ST_COMMIT, "commit");
}

static int sq_tx_rollback(store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    if (sqlite3_get_autocommit(s->db))
        return SH_OK;
    return run(s, ST_ROLLBACK, "rollback");
}

/* A deferred transaction takes no lock until its first read, and then one
 * WAL snapshot that every later read in it shares: the reads of one GET see
 * one commit, and the shared lock is taken and checked once instead of once
 * per autocommit statement. Read transactions nest (a count: only the
 * outermost end commits). Inside a write transaction it joins that one
 * without counting, so the matching end leaves it to its owner. */
static int sq_read_begin(store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    if (s->reads > 0) {
        s->reads++;
        return SH_OK;
    }
    if (!sqlite3_get_autocommit(s->db))
        return SH_OK;
    int rc = run(s, ST_BEGIN_READ, "read begin");
    if (rc == SH_OK)
        s->reads = 1;
    return rc;
}

/* Ends a read transaction store_read_begin opened. SQLite may already have
 * ended it itself after a failed statement; then there is nothing to do. */
static int sq_read_end(store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    if (s->reads == 0 || --s->reads > 0)
        return SH_OK;
    if (sqlite3_get_autocommit(s->db))
        return SH_OK;
    int rc = run(s, ST_COMMIT, "read end");
    if (rc != SH_OK)
        sq_tx_rollback(base);
    return rc;
}

/* SQLite's data_version changes when another connection (or process) has
 * committed, never for this connection's own writes: those are counted by
 * total_changes. The serial tells this connection from an earlier one. */
static int sq_data_version(store *base, int64_t version[STORE_VERSION_LEN])
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_DATA_VERSION, &st);
    if (rc != SH_OK)
        return rc;
    rc = step(s, st, "data version");
    if (rc == 1) {
        version[0] = s->serial;
        version[1] = sqlite3_column_int64(st, 0);
        version[2] = sqlite3_total_changes64(s->db);
        rc = SH_OK;
    } else if (rc == 0) {
        rc = SH_EIO;
    }
    stmt_done(st);
    return rc;
}

/* ---- areas and settings ------------------------------------------------- */

/* Runs a lookup by one text key and copies the single text column. */
static int lookup_name(sqlite_store *s, enum stmt_id id, const char *key, arena *a, const char **name)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, id, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_text(&b, 1, key);
    rc = b_end(s, &b);
    if (rc == SH_OK)
        rc = step(s, st, "name lookup");
    if (rc == 1)
        rc = col_dup(st, 0, a, false, name);
    else if (rc == 0)
        rc = SH_ENOTFOUND;
    stmt_done(st);
    return rc;
}

static int sq_area_put(store *base, const char *la_code, const char *name)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_AREA_PUT, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_text(&b, 1, la_code);
    b_text(&b, 2, name);
    rc = b_end(s, &b);
    if (rc == SH_OK)
        return step_done(s, st, "area put");
    stmt_done(st);
    return rc;
}

static int sq_area_name(store *base, const char *la_code, arena *a, const char **name)
{
    sqlite_store *s = (sqlite_store *)base;
    return lookup_name(s, ST_AREA_NAME, la_code, a, name);
}

static int sq_setting_put(store *base, const char *la_code, const char *urn,
                      const char *name, const char *type)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_SETTING_PUT, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_text(&b, 1, urn);
    b_text(&b, 2, la_code);
    b_text(&b, 3, name);
    b_text(&b, 4, type);
    rc = b_end(s, &b);
    if (rc == SH_OK)
        return step_done(s, st, "setting put");
    stmt_done(st);
    return rc;
}

static int sq_setting_name(store *base, const char *urn, arena *a, const char **name)
{
    sqlite_store *s = (sqlite_store *)base;
    return lookup_name(s, ST_SETTING_NAME, urn, a, name);
}

/* ---- arrays of unknown length -------------------------------------------- */

/* Room for element n of an arena array of `size`-byte elements holding n:
 * returns v itself while n < *cap, else a copy with twice the capacity (the
 * old one is left behind; the arena frees everything at once), or NULL when
 * the arena is exhausted. */
static void *vec_room(arena *a, void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    size_t grown = *cap ? *cap * 2 : VEC_INITIAL_CAP;
    void *w = arena_calloc(a, grown, size);
    if (!w)
        return NULL;
    if (n)
        memcpy(w, v, n * size);
    *cap = grown;
    return w;
}

/* ---- paging ------------------------------------------------------------- */

/* The page size actually used: 0 (unset) and anything above the ceiling
 * mean STORE_PAGE_MAX, so a zeroed query gets a full page rather than none.
 * The rows array is allocated for a whole page up front (tens of KB) so
 * a row added between the COUNT and the page cannot overflow it. */
static size_t page_limit(size_t limit)
{
    return limit == 0 || limit > STORE_PAGE_MAX ? STORE_PAGE_MAX : limit;
}

static int64_t page_offset(size_t offset)
{
    return offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)offset;
}

/* Runs a COUNT statement whose parameters are already bound. */
static int count_rows(const sqlite_store *s, sqlite3_stmt *st, size_t *total)
{
    int rc = step(s, st, "count");
    if (rc == 1) {
        int64_t v = sqlite3_column_int64(st, 0);
        *total = v > 0 ? (size_t)v : 0;
        rc = SH_OK;
    } else if (rc == 0) {
        rc = SH_EIO;
    }
    stmt_done(st);
    return rc;
}

/* ---- children ----------------------------------------------------------- */

static int child_bind_insert(sqlite_store *s, binder *b, const store_child *c)
{
    const char *sen[2];
    for (int i = 0; i < 2; i++) {
        int rc = name_of(s->names.sen, SEN_TYPE_COUNT, c->sen_need[i], true, &sen[i]);
        if (rc != SH_OK)
            return rc;
    }
    b_text(b, 1, c->la_code);
    b_text(b, 2, c->forename);
    b_text(b, 3, c->surname);
    b_date(b, 4, c->date_of_birth);
    b_text(b, 5, c->upn);
    b_text(b, 6, c->nhs_number);
    b_text(b, 7, c->postcode);
    b_text(b, 8, sen[0]);
    b_text(b, 9, sen[1]);
    b_text(b, 10, c->setting_urn);
    b_int(b, 11, c->created_at);
    return b_end(s, b);
}

static int sq_child_insert(store *base, store_child *c)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CHILD_INSERT, &st);
    if (rc != SH_OK)
        return rc;
    c->created_at = (int64_t)time(NULL);
    binder b = {st, SQLITE_OK};
    rc = child_bind_insert(s, &b, c);
    if (rc == SH_OK)
        rc = step(s, st, "child insert");
    stmt_done(st);
    if (rc < 0)
        return rc;
    c->id = sqlite3_last_insert_rowid(s->db);
    return SH_OK;
}

/* Reads a row of CHILD_COLS starting at column 0. */
static int child_from_row(sqlite_store *s, sqlite3_stmt *st, arena *a, store_child *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->created_at = sqlite3_column_int64(st, 11);
    int rc = col_copy(st, 1, c->la_code, sizeof c->la_code);
    if (rc == SH_OK)
        rc = col_dup(st, 2, a, false, &c->forename);
    if (rc == SH_OK)
        rc = col_dup(st, 3, a, false, &c->surname);
    if (rc == SH_OK)
        rc = col_date(st, 4, &c->date_of_birth);
    if (rc == SH_OK)
        rc = col_copy(st, 5, c->upn, sizeof c->upn);
    if (rc == SH_OK)
        rc = col_copy(st, 6, c->nhs_number, sizeof c->nhs_number);
    if (rc == SH_OK)
        rc = col_copy(st, 7, c->postcode, sizeof c->postcode);
    if (rc == SH_OK)
        rc = col_enum(st, 8, s->names.sen, SEN_TYPE_COUNT, &c->sen_need[0]);
    if (rc == SH_OK)
        rc = col_enum(st, 9, s->names.sen, SEN_TYPE_COUNT, &c->sen_need[1]);
    if (rc == SH_OK)
        rc = col_copy(st, 10, c->setting_urn, sizeof c->setting_urn);
    return rc;
}

/* Binds (la_code, id) as ?1, ?2: the key of every tenant-scoped get. */
static int bind_key(const sqlite_store *s, sqlite3_stmt *st, const char *la_code, int64_t id)
{
    binder b = {st, SQLITE_OK};
    b_text_exact(&b, 1, la_code);
    b_int(&b, 2, id);
    return b_end(s, &b);
}

static int sq_child_get(store *base, const char *la_code, int64_t id, arena *a,
                    store_child *out)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CHILD_GET, &st);
    if (rc != SH_OK)
        return rc;
    rc = bind_key(s, st, la_code, id);
    if (rc == SH_OK)
        rc = step(s, st, "child get");
    if (rc == 1)
        rc = child_from_row(s, st, a, out);
    else if (rc == 0)
        rc = SH_ENOTFOUND;
    stmt_done(st);
    return rc;
}

/* Binds the filters ?1-?5 of CHILD_FILTER. */
static void child_bind_filter(binder *b, const store_child_query *q)
{
    b_text_exact(b, 1, q->la_code);
    b_text(b, 2, q->name);
    b_date(b, 3, q->date_of_birth);
    b_text(b, 4, q->upn);
    b_text(b, 5, q->nhs_number);
}

static int child_count(sqlite_store *s, const store_child_query *q, size_t *total)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CHILD_COUNT, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    child_bind_filter(&b, q);
    rc = b_end(s, &b);
    if (rc == SH_OK)
        return count_rows(s, st, total);
    stmt_done(st);
    return rc;
}

static int child_page(sqlite_store *s, const store_child_query *q, arena *a,
                      store_child *out, size_t limit, size_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CHILD_FIND, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    child_bind_filter(&b, q);
    b_int(&b, 6, (int64_t)limit);
    b_int(&b, 7, page_offset(q->offset));
    rc = b_end(s, &b);
    while (rc == SH_OK && *n < limit && (rc = step(s, st, "child find")) == 1)
        rc = child_from_row(s, st, a, &out[(*n)++]);
    stmt_done(st);
    return rc;
}

static int sq_child_find(store *base, const store_child_query *q, arena *a,
                     store_child **out, size_t *n, size_t *total)
{
    sqlite_store *s = (sqlite_store *)base;
    size_t limit = page_limit(q->limit);
    *n = 0;
    *total = 0;
    *out = arena_calloc(a, limit, sizeof **out);
    if (!*out)
        return SH_ENOMEM;
    int rc = child_count(s, q, total);
    if (rc == SH_OK)
        rc = child_page(s, q, a, *out, limit, n);
    return rc;
}

/* ---- cases -------------------------------------------------------------- */

/* Binds a summary as 9 consecutive parameters from `first` (stage,
 * request_date, final_plan_date, next_due, next_step, within_20_weeks,
 * exceptions_apply, event_count, open_advice). */
static int summary_bind(sqlite_store *s, binder *b, int first, const store_case_summary *sum)
{
    const char *stage;
    int64_t advice = 0;
    int rc = name_of(s->names.stage, STAGE_COUNT, (int)sum->stage, false, &stage);
    if (rc == SH_OK)
        rc = advice_to_db(&s->names, sum->open_advice, &advice);
    if (rc != SH_OK)
        return rc;
    if (sum->within_20_weeks < -1 || sum->within_20_weeks > 1 || sum->event_count < 0)
        return SH_EINVAL;
    b_text(b, first, stage);
    b_date(b, first + 1, sum->request_date);
    b_date(b, first + 2, sum->final_plan_date);
    b_date(b, first + 3, sum->next_due);
    b_text(b, first + 4, sum->next_step);
    b_int_or_null(b, first + 5, sum->within_20_weeks, -1);
    b_int(b, first + 6, sum->exceptions_apply ? 1 : 0);
    b_int(b, first + 7, sum->event_count);
    b_int(b, first + 8, advice);
    return b_end(s, b);
}

static int sq_case_insert(store *base, store_case *c)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CASE_INSERT, &st);
    if (rc != SH_OK)
        return rc;
    c->opened_at = (int64_t)time(NULL);
    binder b = {st, SQLITE_OK};
    b_text(&b, 1, c->la_code);
    b_int(&b, 2, c->child_id);
    b_text_exact(&b, 3, c->coordinator ? c->coordinator : "");
    b_int(&b, 4, c->opened_at);
    rc = summary_bind(s, &b, 5, &c->summary);
    if (rc == SH_OK)
        rc = step(s, st, "case insert");
    stmt_done(st);
    if (rc < 0)
        return rc;
    c->id = sqlite3_last_insert_rowid(s->db);
    return SH_OK;
}

/* Reads the summary columns 5-13 of CASE_COLS. */
static int summary_from_row(sqlite_store *s, sqlite3_stmt *st, store_case_summary *sum)
{
    int stage = -1;
    int rc = col_enum(st, 5, s->names.stage, STAGE_COUNT, &stage);
    if (rc == SH_OK && stage < 0)
        rc = corrupt("stage", "NULL", 4);
    sum->stage = (journey_stage)stage;
    if (rc == SH_OK)
        rc = col_date(st, 6, &sum->request_date);
    if (rc == SH_OK)
        rc = col_date(st, 7, &sum->final_plan_date);
    if (rc == SH_OK)
        rc = col_date(st, 8, &sum->next_due);
    if (rc == SH_OK)
        rc = col_copy(st, 9, sum->next_step, sizeof sum->next_step);
    sum->within_20_weeks = sqlite3_column_type(st, 10) == SQLITE_NULL
                               ? -1 : sqlite3_column_int(st, 10);
    sum->exceptions_apply = sqlite3_column_int(st, 11) != 0;
    sum->event_count = sqlite3_column_int(st, 12);
    if (rc == SH_OK)
        rc = col_advice(st, 13, &s->names, &sum->open_advice);
    return rc;
}

/* Reads a row of CASE_COLS starting at column 0. */
static int case_from_row(sqlite_store *s, sqlite3_stmt *st, arena *a, store_case *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->child_id = sqlite3_column_int64(st, 2);
    c->opened_at = sqlite3_column_int64(st, 4);
    int rc = col_copy(st, 1, c->la_code, sizeof c->la_code);
    if (rc == SH_OK)
        rc = col_dup(st, 3, a, false, &c->coordinator);
    if (rc == SH_OK)
        rc = summary_from_row(s, st, &c->summary);
    return rc;
}

static int sq_case_get(store *base, const char *la_code, int64_t id, arena *a,
                   store_case *out)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CASE_GET, &st);
    if (rc != SH_OK)
        return rc;
    rc = bind_key(s, st, la_code, id);
    if (rc == SH_OK)
        rc = step(s, st, "case get");
    if (rc == 1)
        rc = case_from_row(s, st, a, out);
    else if (rc == 0)
        rc = SH_ENOTFOUND;
    stmt_done(st);
    return rc;
}

/* The caseload statements by the index that drives them (CASE_BY_*). The
 * most selective filter given picks: a setting's children are tens, a
 * coordinator's caseload hundreds, open advice a few percent of the area. */
static void case_stmts(const store_case_query *q, enum stmt_id *list, enum stmt_id *count)
{
    if (q->setting_urn) {
        *list = ST_CASE_LIST_SETTING;
        *count = ST_CASE_COUNT_SETTING;
    } else if (q->coordinator) {
        *list = ST_CASE_LIST_COORD;
        *count = ST_CASE_COUNT_COORD;
    } else if (q->open_advice) {
        *list = ST_CASE_LIST_ADVICE;
        *count = ST_CASE_COUNT_ADVICE;
    } else {
        *list = ST_CASE_LIST;
        *count = ST_CASE_COUNT;
    }
}

/* Binds the filters ?1-?13 shared by the caseload statements. The
 * coordinator and the setting are exact even when "": "" is the unassigned
 * coordinator, and a setting's staff whose URN is missing must see nothing,
 * not the whole area (access_scope_caseload passes it as given). */
static int case_bind_filter(sqlite_store *s, binder *b, const store_case_query *q)
{
    const char *stage = NULL, *sen = NULL;
    int64_t advice = 0;
    /* -1 is "any" for both; name_of maps it to NULL for the optional. */
    int rc = name_of(s->names.stage, STAGE_COUNT, q->stage, true, &stage);
    if (rc == SH_OK)
        rc = name_of(s->names.sen, SEN_TYPE_COUNT, q->sen_need, true, &sen);
    if (rc == SH_OK)
        rc = advice_to_db(&s->names, q->open_advice, &advice);
    if (rc != SH_OK)
        return rc;
    b_text_exact(b, 1, q->la_code);
    b_text(b, 2, stage);
    b_text_exact(b, 3, q->coordinator);
    b_date(b, 4, q->due_on_or_before);
    b_date(b, 5, q->overdue_at);
    b_int_or_null(b, 6, q->child_id, 0);
    b_text(b, 7, sen);
    b_text_exact(b, 8, q->setting_urn);
    b_int_or_null(b, 9, advice, 0);
    b_text(b, 10, q->name);
    b_date(b, 11, q->date_of_birth);
    b_text(b, 12, q->upn);
    b_text(b, 13, q->nhs_number);
    b_int_or_null(b, 16, q->open_only, 0);
    return b_end(s, b);
}

/* Binds ?1 and ?3, all that the CASE_OPEN statements take besides paging. */
static void case_bind_coord(binder *b, const store_case_query *q)
{
    b_text_exact(b, 1, q->la_code);
    b_text_exact(b, 3, q->coordinator);
}

/* The total of ST_CASE_COUNT_COORD_OPEN or of a CASE_COUNT statement. */
static int case_count(sqlite_store *s, const store_case_query *q, enum stmt_id id,
                      size_t *total)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, id, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    if (id == ST_CASE_COUNT_COORD_OPEN)
        case_bind_coord(&b, q);
    else
        rc = case_bind_filter(s, &b, q);
    if (rc == SH_OK)
        rc = b_end(s, &b);
    if (rc == SH_OK)
        return count_rows(s, st, total);
    stmt_done(st);
    return rc;
}

static int caseload_from_row(sqlite_store *s, sqlite3_stmt *st, arena *a, store_caseload_row *r)
{
    int rc = case_from_row(s, st, a, &r->c);
    if (rc == SH_OK)
        rc = col_dup(st, CASE_NCOLS, a, false, &r->forename);
    if (rc == SH_OK)
        rc = col_dup(st, CASE_NCOLS + 1, a, false, &r->surname);
    if (rc == SH_OK)
        rc = col_date(st, CASE_NCOLS + 2, &r->date_of_birth);
    if (rc == SH_OK)
        rc = col_enum(st, CASE_NCOLS + 3, s->names.sen, SEN_TYPE_COUNT, &r->sen_need);
    if (rc == SH_OK)
        rc = col_copy(st, CASE_NCOLS + 4, r->setting_urn, sizeof r->setting_urn);
    return rc;
}



/* A coordinator's open cases and nothing else asked (CASE_OPEN). */
static bool case_query_coord_open(const store_case_query *q)
{
    return q->coordinator && q->open_only && q->stage < 0 && q->due_on_or_before == DATE_NONE &&
           q->overdue_at == DATE_NONE && q->child_id == 0 && q->sen_need < 0 &&
           !q->setting_urn && q->open_advice == 0 && !q->name &&
           q->date_of_birth == DATE_NONE && !q->upn && !q->nhs_number;
}

/* A row of CASE_PAGE_COLS: what a caseload page shows, the rest left zero. */
static int case_page_from_row(sqlite_store *s, sqlite3_stmt *st, arena *a,
                              store_caseload_row *r)
{
    store_case_summary *sum = &r->c.summary;
    int stage = -1;
    r->c.id = sqlite3_column_int64(st, CP_ID);
    r->c.coordinator = "";
    sum->request_date = sum->final_plan_date = DATE_NONE;
    sum->within_20_weeks = -1;
    int rc = col_enum(st, CP_STAGE, s->names.stage, STAGE_COUNT, &stage);
    if (rc == SH_OK && stage < 0)
        rc = corrupt("stage", "NULL", 4);
    sum->stage = (journey_stage)stage;
    if (rc == SH_OK)
        rc = col_date(st, CP_NEXT_DUE, &sum->next_due);
    if (rc == SH_OK)
        rc = col_copy(st, CP_NEXT_STEP, sum->next_step, sizeof sum->next_step);
    if (rc == SH_OK)
        rc = col_dup(st, CP_FORENAME, a, false, &r->forename);
    if (rc == SH_OK)
        rc = col_dup(st, CP_SURNAME, a, false, &r->surname);
    if (rc == SH_OK)
        rc = col_date(st, CP_DOB, &r->date_of_birth);
    if (rc == SH_OK)
        rc = col_enum(st, CP_SEN, s->names.sen, SEN_TYPE_COUNT, &r->sen_need);
    return rc;
}

/* One page of a caseload statement: ST_CASE_PAGE_COORD_OPEN (CASE_OPEN,
 * page columns) or one of the CASE_LIST statements. */
static int case_page(sqlite_store *s, const store_case_query *q, enum stmt_id id, arena *a,
                     store_caseload_row *out, size_t limit, size_t *n)
{
    bool narrow = id == ST_CASE_PAGE_COORD_OPEN;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, id, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    if (narrow)
        case_bind_coord(&b, q);
    else
        rc = case_bind_filter(s, &b, q);
    if (rc == SH_OK) {
        b_int(&b, 14, (int64_t)limit);
        b_int(&b, 15, page_offset(q->offset));
        rc = b_end(s, &b);
    }
    while (rc == SH_OK && *n < limit && (rc = step(s, st, "case list")) == 1)
        rc = narrow ? case_page_from_row(s, st, a, &out[(*n)++])
                    : caseload_from_row(s, st, a, &out[(*n)++]);
    stmt_done(st);
    return rc;
}

static int sq_case_list(store *base, const store_case_query *q, arena *a,
                    store_caseload_row **rows, size_t *n, size_t *total)
{
    sqlite_store *s = (sqlite_store *)base;
    size_t limit = page_limit(q->limit);
    enum stmt_id list, count;
    *n = 0;
    *total = 0;
    *rows = arena_calloc(a, limit, sizeof **rows);
    if (!*rows)
        return SH_ENOMEM;
    bool coord_open = case_query_coord_open(q);
    case_stmts(q, &list, &count);
    int rc = case_count(s, q, coord_open ? ST_CASE_COUNT_COORD_OPEN : count, total);
    if (rc == SH_OK)
        rc = case_page(s, q, coord_open && q->page_columns ? ST_CASE_PAGE_COORD_OPEN : list, a,
                       *rows, limit, n);
    return rc;
}

static int sq_case_summary_update(store *base, const char *la_code, int64_t case_id,
                              const store_case_summary *sum)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CASE_SUMMARY, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_text_exact(&b, 1, la_code);
    b_int(&b, 2, case_id);
    rc = summary_bind(s, &b, 3, sum);
    if (rc == SH_OK)
        return step_one_row(s, st, "case summary");
    stmt_done(st);
    return rc;
}

/* ---- events: the replacement of a correction as JSON -------------------- */

/* Sets key to the wire name, skipping absent values. */
static int json_put_name(json_t *o, const char *key, const char *name)
{
    return name ? json_object_set_new(o, key, json_string(name)) : 0;
}

static int json_put_int(json_t *o, const char *key, int v)
{
    return v ? json_object_set_new(o, key, json_integer(v)) : 0;
}

/* Fills `o` with the replacement's fields that apply. A replacement is a
 * plain event: it cannot itself be a correction (SH_EINVAL). */
static int replacement_fill(const sqlite_store *s, json_t *o, const event *r)
{
    const name_tables *t = &s->names;
    const char *type, *agency, *outcome, *exception, *transfer_to;
    int rc = name_of(t->type, EV_TYPE_COUNT, (int)r->type, false, &type);
    if (rc == SH_OK)
        rc = name_of(t->agency, AGENCY_COUNT, r->agency, true, &agency);
    if (rc == SH_OK)
        rc = name_of(t->outcome, OUTCOME_COUNT, r->outcome, true, &outcome);
    if (rc == SH_OK)
        rc = name_of(t->exception, EXC_COUNT, r->exception, true, &exception);
    if (rc == SH_OK)
        rc = name_of(t->transfer_to, TRANSFER_TO_COUNT, r->transfer_to, true, &transfer_to);
    if (rc != SH_OK || r->type == EV_CORRECTION || r->date == DATE_NONE)
        return SH_EINVAL;
    char iso[DATE_ISO_LEN + 1];
    date_format(r->date, iso);
    int failed = json_put_name(o, "type", type) | json_put_name(o, "date", iso)
                 | json_put_name(o, "agency", agency) | json_put_name(o, "outcome", outcome)
                 | json_put_name(o, "exception", exception)
                 | json_put_int(o, "cease_reason", r->cease_reason)
                 | json_put_int(o, "transfer_year", r->transfer_year)
                 | json_put_name(o, "transfer_to", transfer_to);
    return failed ? SH_ENOMEM : SH_OK;
}

/* Encodes r into buf (not NUL-terminated), setting *len. */
static int replacement_encode(const sqlite_store *s, const event *r, char *buf, size_t cap,
                              size_t *len)
{
    json_t *o = json_object();
    if (!o)
        return SH_ENOMEM;
    int rc = replacement_fill(s, o, r);
    if (rc == SH_OK) {
        *len = json_dumpb(o, buf, cap, JSON_COMPACT);
        if (*len == 0 || *len > cap)
            rc = SH_ENOMEM;
    }
    json_decref(o);
    return rc;
}

/* An optional name-valued key; absent is -1. */
static int json_get_name(json_t *o, const char *key, const name_ent *t, int n, int *out)
{
    json_t *v = json_object_get(o, key);
    *out = -1;
    if (!v)
        return SH_OK;
    const char *p = json_string_value(v);
    int len = p ? (int)json_string_length(v) : 0;
    *out = p ? name_find(t, n, p, len) : -1;
    return *out >= 0 ? SH_OK : corrupt(key, p ? p : "(not a string)", p ? len : 14);
}

/* An optional integer key; absent is 0. */
static int json_get_int(json_t *o, const char *key, int *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v)
        return SH_OK;
    json_int_t x = json_integer_value(v);
    if (!json_is_integer(v) || x < INT_MIN || x > INT_MAX)
        return corrupt(key, "(not an int)", 12);
    *out = (int)x;
    return SH_OK;
}

static int replacement_read(const sqlite_store *s, json_t *o, event *r)
{
    const name_tables *t = &s->names;
    int type = -1, agency, outcome, exception, transfer_to;
    date_t date = DATE_NONE;
    int rc = json_get_name(o, "type", t->type, EV_TYPE_COUNT, &type);
    json_t *d = json_object_get(o, "date");
    const char *iso = json_string_value(d);
    if (rc == SH_OK && (type < 0 || !iso || date_parse(iso, json_string_length(d), &date)))
        rc = corrupt("replacement", "(type or date)", 14);
    if (rc != SH_OK)
        return rc;
    event_init(r, (event_type)type, date);
    rc = json_get_name(o, "agency", t->agency, AGENCY_COUNT, &agency);
    if (rc == SH_OK)
        rc = json_get_name(o, "outcome", t->outcome, OUTCOME_COUNT, &outcome);
    if (rc == SH_OK)
        rc = json_get_name(o, "exception", t->exception, EXC_COUNT, &exception);
    if (rc == SH_OK)
        rc = json_get_name(o, "transfer_to", t->transfer_to, TRANSFER_TO_COUNT, &transfer_to);
    if (rc == SH_OK)
        rc = json_get_int(o, "cease_reason", &r->cease_reason);
    if (rc == SH_OK)
        rc = json_get_int(o, "transfer_year", &r->transfer_year);
    if (rc != SH_OK)
        return rc;
    r->agency = (event_agency)agency;
    r->outcome = (event_outcome)outcome;
    r->exception = (event_exception)exception;
    r->transfer_to = (event_transfer_to)transfer_to;
    return SH_OK;
}

static int replacement_decode(const sqlite_store *s, const char *text, int len, arena *a,
                              const event **out)
{
    json_error_t jerr;
    json_t *o = json_loadb(text, (size_t)len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(o)) {
        json_decref(o);
        return corrupt("replacement", text, len);
    }
    event *r = arena_alloc(a, sizeof *r);
    int rc = r ? replacement_read(s, o, r) : SH_ENOMEM;
    json_decref(o);
    if (rc == SH_OK)
        *out = r;
    return rc;
}

/* ---- events ------------------------------------------------------------- */

/* Binds every column of an event insert but la_code, case_id and the audit
 * pair; `json` is the encoded replacement (NULL for none). */
static int event_bind(sqlite_store *s, binder *b, const event *e, const char *json, size_t json_len)
{
    const name_tables *t = &s->names;
    const char *type, *agency, *outcome, *exception, *transfer_to;
    int rc = name_of(t->type, EV_TYPE_COUNT, (int)e->type, false, &type);
    if (rc == SH_OK)
        rc = name_of(t->agency, AGENCY_COUNT, e->agency, true, &agency);
    if (rc == SH_OK)
        rc = name_of(t->outcome, OUTCOME_COUNT, e->outcome, true, &outcome);
    if (rc == SH_OK)
        rc = name_of(t->exception, EXC_COUNT, e->exception, true, &exception);
    if (rc == SH_OK)
        rc = name_of(t->transfer_to, TRANSFER_TO_COUNT, e->transfer_to, true, &transfer_to);
    if (rc != SH_OK)
        return rc;
    b_text(b, 3, type);
    b_date(b, 4, e->date);
    b_text(b, 5, agency);
    b_text(b, 6, outcome);
    b_text(b, 7, exception);
    b_int_or_null(b, 8, e->cease_reason, 0);
    b_int_or_null(b, 9, e->transfer_year, 0);
    b_text(b, 10, transfer_to);
    b_int_or_null(b, 11, e->supersedes, 0);
    b_text(b, 12, e->reason);
    if (b->code == SQLITE_OK)
        b->code = json ? sqlite3_bind_text(b->st, 13, json, (int)json_len, SQLITE_STATIC)
                       : sqlite3_bind_null(b->st, 13);
    return b_end(s, b);
}

static int sq_event_insert(store *base, const char *la_code, int64_t case_id,
                       event *e, const char *recorded_by)
{
    sqlite_store *s = (sqlite_store *)base;
    char json[REPLACEMENT_JSON_MAX];
    size_t json_len = 0;
    /* Only a correction carries a replacement; elsewhere it would be stored
     * and never read back. */
    if (!recorded_by || !*recorded_by || (e->replacement && e->type != EV_CORRECTION))
        return SH_EINVAL;
    int rc = e->replacement
                 ? replacement_encode(s, e->replacement, json, sizeof json, &json_len)
                 : SH_OK;
    sqlite3_stmt *st = NULL;
    if (rc == SH_OK)
        rc = stmt_get(s, ST_EVENT_INSERT, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_text_exact(&b, 1, la_code);
    b_int(&b, 2, case_id);
    b_text(&b, 14, recorded_by);
    b_int(&b, 15, (int64_t)time(NULL));
    rc = event_bind(s, &b, e, e->replacement ? json : NULL, json_len);
    if (rc == SH_OK)
        rc = step(s, st, "event insert");
    stmt_done(st);
    if (rc < 0)
        return rc;
    e->id = sqlite3_last_insert_rowid(s->db);
    return SH_OK;
}

/* Reads the EVENT_COLS of the current row into e. Strings and the
 * replacement come from the arena; the replacement JSON is decoded only
 * for corrections, the rare case, which keeps the scan fast. */
static int event_from_row(const sqlite_store *s, sqlite3_stmt *st, arena *a, event *e)
{
    const name_tables *t = &s->names;
    int type, agency, outcome, exception, transfer_to;
    date_t date;
    int rc = col_enum(st, EC_TYPE, t->type, EV_TYPE_COUNT, &type);
    if (rc == SH_OK && type < 0)
        rc = corrupt("event type", "NULL", 4);
    if (rc == SH_OK)
        rc = col_date(st, EC_DATE, &date);
    if (rc == SH_OK)
        rc = col_enum(st, EC_AGENCY, t->agency, AGENCY_COUNT, &agency);
    if (rc == SH_OK)
        rc = col_enum(st, EC_OUTCOME, t->outcome, OUTCOME_COUNT, &outcome);
    if (rc == SH_OK)
        rc = col_enum(st, EC_EXCEPTION, t->exception, EXC_COUNT, &exception);
    if (rc == SH_OK)
        rc = col_enum(st, EC_TRANSFER_TO, t->transfer_to, TRANSFER_TO_COUNT, &transfer_to);
    if (rc != SH_OK)
        return rc;
    e->id = sqlite3_column_int64(st, EC_ID);
    e->type = (event_type)type;
    e->date = date;
    e->agency = (event_agency)agency;
    e->outcome = (event_outcome)outcome;
    e->exception = (event_exception)exception;
    e->transfer_to = (event_transfer_to)transfer_to;
    e->supersedes = sqlite3_column_int64(st, EC_SUPERSEDES);
    e->replacement = NULL;
    rc = col_small_int(st, EC_CEASE, &e->cease_reason);
    if (rc == SH_OK)
        rc = col_small_int(st, EC_TRANSFER_YEAR, &e->transfer_year);
    if (rc == SH_OK)
        rc = col_dup(st, EC_REASON, a, true, &e->reason);
    const char *json = (const char *)sqlite3_column_text(st, EC_REPLACEMENT);
    if (rc == SH_OK && json && e->type == EV_CORRECTION)
        rc = replacement_decode(s, json, sqlite3_column_bytes(st, EC_REPLACEMENT), a,
                                &e->replacement);
    return rc;
}

/* A growing array of events inside an arena (vec_room). */
typedef struct {
    event *v;
    size_t n, cap;
} event_vec;

static int event_vec_push(arena *a, event_vec *vec, event **slot)
{
    event *v = vec_room(a, vec->v, vec->n, &vec->cap, sizeof *v);
    if (!v)
        return SH_ENOMEM;
    vec->v = v;
    *slot = &v[vec->n++];
    return SH_OK;
}

/* Appends the current row to vec. */
static int event_vec_add_row(const sqlite_store *s, sqlite3_stmt *st, arena *a, event_vec *vec)
{
    event *e;
    int rc = event_vec_push(a, vec, &e);
    return rc == SH_OK ? event_from_row(s, st, a, e) : rc;
}

/* SH_OK if the case exists in the area, SH_ENOTFOUND if not. */
static int case_exists(sqlite_store *s, const char *la_code, int64_t case_id)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CASE_EXISTS, &st);
    if (rc != SH_OK)
        return rc;
    rc = bind_key(s, st, la_code, case_id);
    if (rc == SH_OK)
        rc = step(s, st, "case exists");
    stmt_done(st);
    return rc == 1 ? SH_OK : rc == 0 ? SH_ENOTFOUND : rc;
}

static int sq_events_load(store *base, const char *la_code, int64_t case_id,
                      arena *a, event **out, size_t *n)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    event_vec vec = {NULL, 0, 0};
    *out = NULL;
    *n = 0;
    int rc = stmt_get(s, ST_EVENTS_LOAD, &st);
    if (rc != SH_OK)
        return rc;
    rc = bind_key(s, st, la_code, case_id);
    while (rc == SH_OK && (rc = step(s, st, "events load")) == 1)
        rc = event_vec_add_row(s, st, a, &vec);
    stmt_done(st);
    /* No rows: an empty journey, or no such case in this area. */
    if (rc == SH_OK && vec.n == 0)
        rc = case_exists(s, la_code, case_id);
    if (rc != SH_OK)
        return rc;
    *out = vec.v;
    *n = vec.n;
    return SH_OK;
}

/* The name-valued field of e's type from SC_NAME (SCAN_COLS). */
static int scan_name(const name_tables *t, sqlite3_stmt *st, event *e)
{
    int v = -1, rc = SH_OK;
    switch (e->type) {
    case EV_ADVICE_REQUESTED:
    case EV_ADVICE_RECEIVED:
        rc = col_name(st, SC_NAME, &t->agency_ix, &v);
        e->agency = (event_agency)v;
        break;
    case EV_DECISION_TO_ASSESS:
    case EV_REVIEW_DECISION:
        rc = col_name(st, SC_NAME, &t->outcome_ix, &v);
        e->outcome = (event_outcome)v;
        break;
    case EV_EXCEPTION:
        rc = col_name(st, SC_NAME, &t->exception_ix, &v);
        e->exception = (event_exception)v;
        break;
    case EV_PHASE_TRANSFER_DUE:
        rc = col_name(st, SC_NAME, &t->transfer_to_ix, &v);
        e->transfer_to = (event_transfer_to)v;
        break;
    default:
        break;
    }
    return rc;
}

/* The integer field of e's type from SC_NUMBER; NULL is 0, as in load. */
static int scan_number(sqlite3_stmt *st, event *e)
{
    switch (e->type) {
    case EV_PLAN_CEASED:
        return col_small_int(st, SC_NUMBER, &e->cease_reason);
    case EV_PHASE_TRANSFER_DUE:
        return col_small_int(st, SC_NUMBER, &e->transfer_year);
    case EV_CORRECTION:
        e->supersedes = sqlite3_column_int64(st, SC_NUMBER);
        return SH_OK;
    default:
        return SH_OK;
    }
}

/* Reads a row of the journeys scan (SCAN_COLS) into e, reading only the
 * columns its type uses: most rows cost four column reads, not twelve.
 * Reason and replacement are read for corrections only (about 1% of rows;
 * nothing else can have stored them). For a log the store wrote, the event
 * equals what event_from_row reads; a field stored against a type that does
 * not use it (only another writer could) is not seen here, where
 * store_events_load would return it for journey_validate to refuse. */
static int scan_event_from_row(const sqlite_store *s, sqlite3_stmt *st, arena *a, event *e)
{
    int type;
    date_t date;
    int rc = col_name(st, SC_TYPE, &s->names.type_ix, &type);
    if (rc == SH_OK && type < 0)
        rc = corrupt("event type", "NULL", 4);
    if (rc == SH_OK)
        rc = col_date(st, SC_DATE, &date);
    if (rc != SH_OK)
        return rc;
    event_init(e, (event_type)type, date);
    e->id = sqlite3_column_int64(st, SC_ID);
    rc = scan_name(&s->names, st, e);
    if (rc == SH_OK)
        rc = scan_number(st, e);
    if (rc != SH_OK || e->type != EV_CORRECTION)
        return rc;
    rc = col_dup(st, SC_REASON, a, true, &e->reason);
    const char *json = (const char *)sqlite3_column_text(st, SC_REPLACEMENT);
    if (rc == SH_OK && json)
        rc = replacement_decode(s, json, sqlite3_column_bytes(st, SC_REPLACEMENT), a,
                                &e->replacement);
    return rc;
}

/* One pass over a scan statement. Rows arrive ordered by case then id;
 * each case's events are gathered into the arena and handed to fn when the
 * next case begins (and at the end). `area` is the bound la_code, handed to
 * fn as it is, or NULL when the statement selects it (SC_LA_CODE): then the
 * la_code given to fn lives on this stack frame, valid for the call only,
 * like the events.
 *
 * fn may use the same connection for other statements, including writes
 * (rebuilding cached summaries); it must not start another scan. Writing
 * from fn while another connection also writes can fail with SH_EUNAVAIL,
 * because the scan holds a read snapshot. */
static int scan_rows(const sqlite_store *s, sqlite3_stmt *st, const char *area, arena *a,
                     store_journey_fn fn, void *ctx)
{
    event_vec vec = {NULL, 0, 0};
    int64_t case_id = 0;
    char la_code[STORE_LA_LEN + 1] = "";
    const char *code = area ? area : la_code;
    int rc = SH_OK;
    while (rc == SH_OK && (rc = step(s, st, "journeys scan")) == 1) {
        int64_t row_case = sqlite3_column_int64(st, SC_CASE_ID);
        if (vec.n && row_case != case_id) {
            rc = fn(ctx, case_id, code, vec.v, vec.n);
            if (rc != 0)
                return rc;
            arena_reset(a);
            vec = (event_vec){NULL, 0, 0};
        }
        if (vec.n == 0) {
            case_id = row_case;
            rc = area ? SH_OK : col_copy(st, SC_LA_CODE, la_code, sizeof la_code);
            if (rc != SH_OK)
                return rc;
        }
        event *e;
        rc = event_vec_push(a, &vec, &e);
        if (rc == SH_OK)
            rc = scan_event_from_row(s, st, a, e);
    }
    if (rc == 0 && vec.n)
        rc = fn(ctx, case_id, code, vec.v, vec.n);
    return rc;
}

static int sq_journeys_scan(store *base, const char *la_code, int64_t first_case,
                            int64_t last_case, arena *a, store_journey_fn fn, void *ctx)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, la_code ? ST_JOURNEYS_SCAN_AREA : ST_JOURNEYS_SCAN, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_int(&b, 1, first_case);
    b_int(&b, 2, last_case);
    if (la_code)
        b_text_exact(&b, 3, la_code);
    rc = b_end(s, &b);
    if (rc == SH_OK) {
        arena_reset(a);
        rc = scan_rows(s, st, la_code, a, fn, ctx);
    }
    stmt_done(st);
    return rc;
}

static int sq_case_id_range(store *base, const char *la_code, int64_t *min_id, int64_t *max_id)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    *min_id = 1;
    *max_id = 0;
    int rc = stmt_get(s, la_code ? ST_CASE_ID_RANGE_AREA : ST_CASE_ID_RANGE, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    if (la_code)
        b_text_exact(&b, 1, la_code);
    rc = b_end(s, &b);
    if (rc == SH_OK)
        rc = step(s, st, "case id range");
    /* One row always; NULLs when there is no case. */
    if (rc == 1 && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *min_id = sqlite3_column_int64(st, 0);
        *max_id = sqlite3_column_int64(st, 1);
    }
    stmt_done(st);
    return rc < 0 ? rc : SH_OK;
}

/* ---- team --------------------------------------------------------------- */

static int team_from_row(sqlite3_stmt *st, arena *a, store_team_row *r)
{
    r->open_cases = (long)sqlite3_column_int64(st, 1);
    r->overdue = (long)sqlite3_column_int64(st, 2);
    r->due_soon = (long)sqlite3_column_int64(st, 3);
    return col_dup(st, 0, a, false, &r->coordinator);
}

static int sq_team(store *base, const char *la_code, date_t today, date_t due_by, arena *a,
                   store_team_row **rows, size_t *n)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    store_team_row *v = NULL;
    size_t cap = 0;
    *rows = NULL;
    *n = 0;
    if (today == DATE_NONE || due_by == DATE_NONE)
        return SH_EINVAL;
    int rc = stmt_get(s, ST_TEAM, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_text_exact(&b, 1, la_code);
    b_date(&b, 2, today);
    b_date(&b, 3, due_by);
    rc = b_end(s, &b);
    while (rc == SH_OK && (rc = step(s, st, "team")) == 1) {
        v = vec_room(a, v, *n, &cap, sizeof *v);
        rc = v ? team_from_row(st, a, &v[(*n)++]) : SH_ENOMEM;
    }
    stmt_done(st);
    if (rc != SH_OK) {
        *n = 0;
        return rc;
    }
    *rows = v;
    return SH_OK;
}

/* ---- people ------------------------------------------------------------- */

/* Reads the USER_COLS that start at column `first`. */
static int user_from_row(sqlite3_stmt *st, int first, arena *a, store_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, first + UC_ID);
    u->disabled = sqlite3_column_int(st, first + UC_DISABLED) != 0;
    u->locked_until = sqlite3_column_int64(st, first + UC_LOCKED_UNTIL);
    u->created_at = sqlite3_column_int64(st, first + UC_CREATED_AT);
    u->last_sign_in = sqlite3_column_int64(st, first + UC_LAST_SIGN_IN);
    int rc = col_small_int(st, first + UC_FAILED, &u->failed_sign_ins);
    if (rc == SH_OK)
        rc = col_copy(st, first + UC_LA_CODE, u->la_code, sizeof u->la_code);
    if (rc == SH_OK)
        rc = col_copy(st, first + UC_SETTING_URN, u->setting_urn, sizeof u->setting_urn);
    if (rc == SH_OK)
        rc = col_dup(st, first + UC_USERNAME, a, false, &u->username);
    if (rc == SH_OK)
        rc = col_dup(st, first + UC_DISPLAY_NAME, a, false, &u->display_name);
    if (rc == SH_OK)
        rc = col_dup(st, first + UC_EMAIL, a, false, &u->email);
    if (rc == SH_OK)
        rc = col_dup(st, first + UC_ROLE, a, false, &u->role);
    if (rc == SH_OK)
        rc = col_dup(st, first + UC_ORGANISATION, a, false, &u->organisation);
    if (rc == SH_OK)
        rc = col_dup(st, first + UC_PASSWORD_HASH, a, false, &u->password_hash);
    return rc;
}

/* A new account has no sign-in history: failures, lock and last sign-in in
 * the record are not read. */
static int sq_user_insert(store *base, store_user *u)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_USER_INSERT, &st);
    if (rc != SH_OK)
        return rc;
    u->created_at = (int64_t)time(NULL);
    binder b = {st, SQLITE_OK};
    b_text(&b, 1, u->la_code);
    b_text(&b, 2, u->username);
    b_text(&b, 3, u->display_name);
    b_text(&b, 4, u->email);
    b_text(&b, 5, u->role);
    b_text(&b, 6, u->organisation);
    b_text(&b, 7, u->setting_urn);
    b_text(&b, 8, u->password_hash);
    b_int(&b, 9, u->disabled ? 1 : 0);
    b_int(&b, 10, u->created_at);
    rc = b_run(s, &b, "user insert");
    if (rc != SH_OK)
        return rc;
    u->id = sqlite3_last_insert_rowid(s->db);
    return SH_OK;
}

/* Reads the one user a bound lookup finds, then resets the statement. */
static int user_lookup(const sqlite_store *s, const binder *b, arena *a, store_user *out)
{
    int rc = b_end(s, b);
    if (rc == SH_OK)
        rc = step(s, b->st, "user get");
    if (rc == 1)
        rc = user_from_row(b->st, 0, a, out);
    else if (rc == 0)
        rc = SH_ENOTFOUND;
    stmt_done(b->st);
    return rc;
}

static int sq_user_by_name(store *base, const char *username, arena *a, store_user *out)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_USER_BY_NAME, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_text_exact(&b, 1, username);
    return user_lookup(s, &b, a, out);
}

static int sq_user_by_id(store *base, int64_t id, arena *a, store_user *out)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_USER_BY_ID, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_int(&b, 1, id);
    return user_lookup(s, &b, a, out);
}

static int sq_user_list(store *base, const char *la_code, arena *a, store_user **out,
                        size_t *n)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    store_user *v = NULL;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = stmt_get(s, ST_USER_LIST, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_text_exact(&b, 1, la_code);
    rc = b_end(s, &b);
    while (rc == SH_OK && (rc = step(s, st, "user list")) == 1) {
        v = vec_room(a, v, *n, &cap, sizeof *v);
        rc = v ? user_from_row(st, 0, a, &v[(*n)++]) : SH_ENOMEM;
    }
    stmt_done(st);
    if (rc != SH_OK) {
        *n = 0;
        return rc;
    }
    *out = v;
    return SH_OK;
}

/* Runs one of the per-user updates: ?1 the user's id, ?2 an integer (NULL
 * for 0 when `zero_is_null`). SH_ENOTFOUND for an unknown id. */
static int user_update(sqlite_store *s, enum stmt_id id, int64_t user_id, int64_t value,
                       bool zero_is_null, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, id, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_int(&b, 1, user_id);
    if (zero_is_null)
        b_int_or_null(&b, 2, value, 0);
    else
        b_int(&b, 2, value);
    return b_run_one_row(s, &b, what);
}

static int sq_user_set_password(store *base, int64_t id, const char *password_hash)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_USER_SET_PASSWORD, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_int(&b, 1, id);
    b_text(&b, 2, password_hash);
    return b_run_one_row(s, &b, "user password");
}

static int sq_user_set_disabled(store *base, int64_t id, bool disabled)
{
    sqlite_store *s = (sqlite_store *)base;
    return user_update(s, ST_USER_SET_DISABLED, id, disabled ? 1 : 0, false, "user disabled");
}

/* A success leaves any lock as it is: only a new password lifts a lock
 * early (the caller refuses to check a password while locked). */
static int sq_user_sign_in_result(store *base, int64_t id, bool success, int64_t now,
                                  int64_t locked_until)
{
    sqlite_store *s = (sqlite_store *)base;
    if (success)
        return user_update(s, ST_USER_SIGN_IN_OK, id, now, false, "sign-in");
    /* locked_until 0 binds NULL: coalesce keeps the lock already set. */
    return user_update(s, ST_USER_SIGN_IN_FAILED, id, locked_until, true, "sign-in failed");
}

/* ---- sessions and API tokens -------------------------------------------- */

static int sq_token_insert(store *base, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                           const store_token *t)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    const char *kind;
    int rc = name_of(s->names.token_kind, TOKEN_KIND_COUNT, (int)t->kind, false, &kind);
    if (rc == SH_OK)
        rc = stmt_get(s, ST_TOKEN_INSERT, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_blob(&b, 1, hash, STORE_TOKEN_HASH_LEN);
    b_int(&b, 2, t->user_id);
    b_text(&b, 3, kind);
    b_text(&b, 4, t->csrf);
    b_text(&b, 5, t->label);
    b_int(&b, 6, t->created_at);
    b_int(&b, 7, t->last_used);
    b_int(&b, 8, t->expires_at);
    return b_run(s, &b, "token insert");
}

/* Reads the TOKEN_COLS at column 0. */
static int token_from_row(const sqlite_store *s, sqlite3_stmt *st, arena *a, store_token *t)
{
    int kind = -1;
    memset(t, 0, sizeof *t);
    t->user_id = sqlite3_column_int64(st, TC_USER_ID);
    t->created_at = sqlite3_column_int64(st, TC_CREATED_AT);
    t->last_used = sqlite3_column_int64(st, TC_LAST_USED);
    t->expires_at = sqlite3_column_int64(st, TC_EXPIRES_AT);
    int rc = col_enum(st, TC_KIND, s->names.token_kind, TOKEN_KIND_COUNT, &kind);
    if (rc == SH_OK && kind < 0)
        rc = corrupt("token kind", "NULL", 4);
    t->kind = (store_token_kind)kind;
    if (rc == SH_OK)
        rc = col_copy(st, TC_CSRF, t->csrf, sizeof t->csrf);
    if (rc == SH_OK)
        rc = col_dup(st, TC_LABEL, a, false, &t->label);
    return rc;
}

/* Prepares a statement keyed by a token hash as ?1. */
static int token_stmt(sqlite_store *s, enum stmt_id id,
                      const unsigned char hash[STORE_TOKEN_HASH_LEN], binder *b)
{
    int rc = stmt_get(s, id, &b->st);
    b->code = SQLITE_OK;
    if (rc == SH_OK)
        b_blob(b, 1, hash, STORE_TOKEN_HASH_LEN);
    return rc;
}

static int sq_token_get(store *base, const unsigned char hash[STORE_TOKEN_HASH_LEN], arena *a,
                        store_token *t, store_user *u)
{
    sqlite_store *s = (sqlite_store *)base;
    binder b;
    int rc = token_stmt(s, ST_TOKEN_GET, hash, &b);
    if (rc != SH_OK)
        return rc;
    rc = b_end(s, &b);
    if (rc == SH_OK)
        rc = step(s, b.st, "token get");
    if (rc == 1)
        rc = token_from_row(s, b.st, a, t);
    else if (rc == 0)
        rc = SH_ENOTFOUND;
    if (rc == SH_OK)
        rc = user_from_row(b.st, TC_COUNT, a, u);
    stmt_done(b.st);
    return rc;
}

static int sq_token_touch(store *base, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                          int64_t now)
{
    sqlite_store *s = (sqlite_store *)base;
    binder b;
    int rc = token_stmt(s, ST_TOKEN_TOUCH, hash, &b);
    if (rc != SH_OK)
        return rc;
    b_int(&b, 2, now);
    return b_run_one_row(s, &b, "token touch");
}

static int sq_token_delete(store *base, const unsigned char hash[STORE_TOKEN_HASH_LEN])
{
    sqlite_store *s = (sqlite_store *)base;
    binder b;
    int rc = token_stmt(s, ST_TOKEN_DELETE, hash, &b);
    return rc == SH_OK ? b_run_one_row(s, &b, "token delete") : rc;
}

/* Deletes by one integer ?1; deleting nothing is not an error. */
static int token_delete_by(sqlite_store *s, enum stmt_id id, int64_t v, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, id, &st);
    if (rc != SH_OK)
        return rc;
    binder b = {st, SQLITE_OK};
    b_int(&b, 1, v);
    return b_run(s, &b, what);
}

static int sq_token_delete_user(store *base, int64_t user_id)
{
    sqlite_store *s = (sqlite_store *)base;
    return token_delete_by(s, ST_TOKEN_DELETE_USER, user_id, "token delete user");
}

/* Only tokens whose expiry is strictly past: one expiring this second may
 * still be accepted by the caller, whose business expiry is (store.h). */
static int sq_token_purge(store *base, int64_t now)
{
    sqlite_store *s = (sqlite_store *)base;
    return token_delete_by(s, ST_TOKEN_PURGE, now, "token purge");
}

/* ---- the audit log ------------------------------------------------------ */

static int audit_insert(sqlite_store *s, sqlite3_stmt *st, const store_audit *e)
{
    binder b = {st, SQLITE_OK};
    b_int(&b, 1, e->at);
    b_text(&b, 2, e->la_code);
    b_text(&b, 3, e->username);
    b_text(&b, 4, e->role);
    b_text(&b, 5, e->action);
    b_text(&b, 6, e->object);
    b_int_or_null(&b, 7, e->object_id, 0);
    b_int_or_null(&b, 8, e->child_id, 0);
    b_text(&b, 9, e->detail);
    b_text(&b, 10, e->remote);
    return b_run(s, &b, "audit append");
}

static int audit_insert_all(sqlite_store *s, const store_audit *entries, size_t n)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_AUDIT_INSERT, &st);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = audit_insert(s, st, &entries[i]);
    return rc;
}

/* Undoes a failed append. The savepoint may already be gone if SQLite
 * rolled the whole transaction back itself (disk full); the caller's own
 * rollback then finds nothing left to undo. */
static void audit_undo(sqlite_store *s, bool own)
{
    if (own) {
        sq_tx_rollback(&s->base);
        return;
    }
    if (run(s, ST_ROLLBACK_TO, "audit rollback") == SH_OK)
        run(s, ST_RELEASE, "audit release");
}

/* Inside the caller's transaction when one is open, so a write and its
 * entry commit or roll back together; else in one of its own (BEGIN
 * IMMEDIATE, as store_tx_begin). Either way the entries go in all or none:
 * inside a transaction through a savepoint. */
static int sq_audit_append(store *base, const store_audit *entries, size_t n)
{
    sqlite_store *s = (sqlite_store *)base;
    bool own = sqlite3_get_autocommit(s->db) != 0;
    if (n == 0)
        return SH_OK;
    int rc = run(s, own ? ST_BEGIN : ST_SAVEPOINT, "audit begin");
    if (rc != SH_OK)
        return rc;
    rc = audit_insert_all(s, entries, n);
    if (rc == SH_OK)
        rc = run(s, own ? ST_COMMIT : ST_RELEASE, "audit commit");
    if (rc != SH_OK)
        audit_undo(s, own);
    return rc;
}

/* The audit statements by the index that drives them (AUDIT_BY_*): a child
 * or a person has far fewer entries than the area. */
typedef struct {
    enum stmt_id find, count, scan;
} audit_stmts;

static audit_stmts audit_by(const store_audit_query *q)
{
    if (q->child_id)
        return (audit_stmts){ST_AUDIT_FIND_CHILD, ST_AUDIT_COUNT_CHILD, ST_AUDIT_SCAN_CHILD};
    if (q->username && *q->username)
        return (audit_stmts){ST_AUDIT_FIND_USER, ST_AUDIT_COUNT_USER, ST_AUDIT_SCAN_USER};
    return (audit_stmts){ST_AUDIT_FIND, ST_AUDIT_COUNT, ST_AUDIT_SCAN};
}

/* Prepares one of the audit statements and binds the filters ?1-?8. */
static int audit_stmt(sqlite_store *s, enum stmt_id id, const store_audit_query *q, binder *b)
{
    int rc = stmt_get(s, id, &b->st);
    b->code = SQLITE_OK;
    if (rc != SH_OK)
        return rc;
    b_text_exact(b, 1, q->la_code);
    b_int(b, 2, q->from ? q->from : INT64_MIN);
    b_int(b, 3, q->to ? q->to : INT64_MAX);
    b_text(b, 4, q->username);
    b_text(b, 5, q->action);
    b_text(b, 6, q->object);
    b_int_or_null(b, 7, q->object_id, 0);
    b_int_or_null(b, 8, q->child_id, 0);
    return SH_OK;
}

static int audit_from_row(sqlite3_stmt *st, arena *a, store_audit *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, AC_ID);
    e->at = sqlite3_column_int64(st, AC_AT);
    e->object_id = sqlite3_column_int64(st, AC_OBJECT_ID);
    e->child_id = sqlite3_column_int64(st, AC_CHILD_ID);
    int rc = col_copy(st, AC_LA_CODE, e->la_code, sizeof e->la_code);
    if (rc == SH_OK)
        rc = col_dup(st, AC_USERNAME, a, false, &e->username);
    if (rc == SH_OK)
        rc = col_dup(st, AC_ROLE, a, false, &e->role);
    if (rc == SH_OK)
        rc = col_dup(st, AC_ACTION, a, false, &e->action);
    if (rc == SH_OK)
        rc = col_dup(st, AC_OBJECT, a, false, &e->object);
    if (rc == SH_OK)
        rc = col_dup(st, AC_DETAIL, a, false, &e->detail);
    if (rc == SH_OK)
        rc = col_dup(st, AC_REMOTE, a, false, &e->remote);
    return rc;
}

static int audit_count(sqlite_store *s, const store_audit_query *q, enum stmt_id id,
                       size_t *total)
{
    binder b;
    int rc = audit_stmt(s, id, q, &b);
    if (rc != SH_OK)
        return rc;
    rc = b_end(s, &b);
    if (rc == SH_OK)
        return count_rows(s, b.st, total);
    stmt_done(b.st);
    return rc;
}

static int audit_page(sqlite_store *s, const store_audit_query *q, enum stmt_id id, arena *a,
                      store_audit *out, size_t limit, size_t *n)
{
    binder b;
    int rc = audit_stmt(s, id, q, &b);
    if (rc != SH_OK)
        return rc;
    b_int(&b, 9, (int64_t)limit);
    b_int(&b, 10, page_offset(q->offset));
    rc = b_end(s, &b);
    while (rc == SH_OK && *n < limit && (rc = step(s, b.st, "audit find")) == 1)
        rc = audit_from_row(b.st, a, &out[(*n)++]);
    stmt_done(b.st);
    return rc;
}

static int sq_audit_find(store *base, const store_audit_query *q, arena *a, store_audit **out,
                         size_t *n, size_t *total)
{
    sqlite_store *s = (sqlite_store *)base;
    size_t limit = page_limit(q->limit);
    audit_stmts by = audit_by(q);
    *n = 0;
    *total = 0;
    *out = arena_calloc(a, limit, sizeof **out);
    if (!*out)
        return SH_ENOMEM;
    int rc = audit_count(s, q, by.count, total);
    if (rc == SH_OK)
        rc = audit_page(s, q, by.find, a, *out, limit, n);
    return rc;
}

/* Streams oldest first; each entry lives until the next (the arena is reset
 * before each row). fn returning non-zero stops the scan with that value.
 * fn may use the connection for other statements, but not another scan. */
static int sq_audit_scan(store *base, const store_audit_query *q, arena *a, store_audit_fn fn,
                         void *ctx)
{
    sqlite_store *s = (sqlite_store *)base;
    binder b;
    int rc = audit_stmt(s, audit_by(q).scan, q, &b);
    if (rc != SH_OK)
        return rc;
    rc = b_end(s, &b);
    while (rc == SH_OK && (rc = step(s, b.st, "audit scan")) == 1) {
        store_audit e;
        arena_reset(a);
        rc = audit_from_row(b.st, a, &e);
        if (rc == SH_OK)
            rc = fn(ctx, &e);
    }
    stmt_done(b.st);
    return rc;
}

/* SQLite has no replicas: its data is always current. */
static int sq_replica_lag(store *base, int *ms)
{
    (void)base;
    *ms = 0;
    return SH_OK;
}

/* Every operation of store.h the SQLite backend provides (backend.h). */
static const store_ops sqlite_ops = {
    .name = "sqlite",
    .replica_lag = sq_replica_lag,
    .close = sq_close,
    .migrate = sq_migrate,
    .schema_version = sq_schema_version,
    .tx_begin = sq_tx_begin,
    .tx_commit = sq_tx_commit,
    .tx_rollback = sq_tx_rollback,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .data_version = sq_data_version,
    .area_put = sq_area_put,
    .area_name = sq_area_name,
    .setting_put = sq_setting_put,
    .setting_name = sq_setting_name,
    .child_insert = sq_child_insert,
    .child_get = sq_child_get,
    .child_find = sq_child_find,
    .case_insert = sq_case_insert,
    .case_get = sq_case_get,
    .case_list = sq_case_list,
    .case_summary_update = sq_case_summary_update,
    .events_load = sq_events_load,
    .event_insert = sq_event_insert,
    .journeys_scan = sq_journeys_scan,
    .case_id_range = sq_case_id_range,
    .team = sq_team,
    .user_insert = sq_user_insert,
    .user_by_name = sq_user_by_name,
    .user_by_id = sq_user_by_id,
    .user_list = sq_user_list,
    .user_set_password = sq_user_set_password,
    .user_set_disabled = sq_user_set_disabled,
    .user_sign_in_result = sq_user_sign_in_result,
    .token_insert = sq_token_insert,
    .token_get = sq_token_get,
    .token_touch = sq_token_touch,
    .token_delete = sq_token_delete,
    .token_delete_user = sq_token_delete_user,
    .token_purge = sq_token_purge,
    .audit_append = sq_audit_append,
    .audit_find = sq_audit_find,
    .audit_scan = sq_audit_scan,
    .sql_prepare = sqlite_sql_prepare,
};
