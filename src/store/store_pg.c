/*
 * store_pg.c — the PostgreSQL backend of store.h (libpq), for a region or
 * the whole country: several `sendhub serve` processes share one database,
 * with streaming replicas and failover around it (docs/OPERATIONS.md).
 *
 * Semantics mirror store_sqlite.c exactly: the same columns and wire names,
 * the same NULL conventions ("" / 0 / -1 / DATE_NONE are NULL), the same
 * orderings (text ordered bytewise, COLLATE "C", as SQLite's BINARY; NULLS
 * LAST), the same error mapping: a unique key (23505) -> SH_ECONFLICT, a
 * missing parent row (23503, or an INSERT ... SELECT that finds no parent)
 * -> SH_ENOTFOUND, a CHECK (23514) -> SH_EIO like SQLite, and the database
 * gone, a timeout (57014, 55P03), a deadlock or serialisation failure, too
 * many connections or a read-only replica (25006) -> SH_EUNAVAIL.
 *
 * Statements: every one is a constant text in stmt_sql[], prepared with
 * PQprepare on first use by this connection (tables do not exist before
 * store_migrate) under the name "sN", and run with PQexecPrepared and text
 * parameters (bytea hashes are sent binary). Optional filters are
 * `($N::type IS NULL OR col = $N)`; no SQL is ever built from strings.
 *
 * Inserts that can meet an existing key or a missing parent are written so
 * that they do not raise (ON CONFLICT DO NOTHING, INSERT ... SELECT FROM the
 * parent): a PostgreSQL error aborts the whole transaction, and the store
 * contract (as SQLite) lets a caller's transaction go on after a conflict.
 *
 * Concurrency (several processes, one database). Transactions are READ
 * COMMITTED. The case row is the per-case lock: inside a transaction,
 * store_event_insert and store_events_load lock the case row (FOR UPDATE)
 * before touching its log, so the app's append-load-validate-summarise runs
 * one at a time per case across every process, nothing is lost, and event
 * ids (taken after the lock) increase in commit order per case. The lock
 * is taken once per case per transaction and released at commit/rollback.
 *
 * Failure and recovery. Connections carry connect_timeout, TCP keepalives,
 * tcp_user_timeout and a statement_timeout / lock_timeout (defaults below;
 * a URL's own parameters and `options` override them), so no call blocks
 * an HTTP thread indefinitely. A broken connection (PQstatus) is re-made
 * with PQreset on the next call, at most once per RETRY_MS, and statements
 * are prepared again; while it cannot be, calls fail with SH_EUNAVAIL. A
 * connection lost inside a transaction is never silently replaced: every
 * call fails until the caller rolls back.
 *
 * Migrations (as SQLite): schema_version has one row per migration applied,
 * and a migration is applied when its row is missing, not when its number
 * is above the highest, each in a transaction that first takes an advisory
 * lock (MIGRATE_LOCK_KEY), so of several processes migrating at once one
 * applies it and the others then find its row. The schema version is the
 * highest row.
 */
#include "store/pg_internal.h"

#include <errno.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/migrations.h"
#include "util/err.h"

#define REPLACEMENT_JSON_MAX 512 /* an encoded replacement event is < 300 bytes */
#define EVENTS_INITIAL_CAP 16
#define SCAN_BATCH 5000          /* rows per keyset page of a streaming scan */
#define RETRY_MS 1000            /* at most one reconnect attempt per second */
#define PARAMS_MAX 16
/* Serialises migrations between processes (pg_advisory_xact_lock). */
#define MIGRATE_LOCK_KEY "7310593858020254241"

/* ---- statements --------------------------------------------------------- */

enum stmt_id {
    ST_VERSION_TABLE,
    ST_VERSION,
    ST_VERSION_APPLIED,
    ST_REPLICA_LAG,
    ST_VERSION_INSERT,
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
    ST_CASE_LOCK,
    ST_CASE_LIST,
    ST_CASE_COUNT,
    ST_CASE_LIST_COORD,
    ST_CASE_COUNT_COORD,
    ST_CASE_LIST_SETTING,
    ST_CASE_COUNT_SETTING,
    ST_CASE_LIST_ADVICE,
    ST_CASE_COUNT_ADVICE,
    ST_CASE_SUMMARY,
    ST_EVENTS_LOAD,
    ST_EVENT_INSERT,
    ST_SCAN_ALL,
    ST_SCAN_AREA,
    ST_CASE_ID_RANGE,
    ST_CASE_ID_RANGE_AREA,
    ST_TEAM,
    ST_USER_INSERT,
    ST_USER_BY_NAME,
    ST_USER_BY_ID,
    ST_USER_LIST,
    ST_USER_PASSWORD,
    ST_USER_DISABLED,
    ST_USER_SIGN_IN_OK,
    ST_USER_SIGN_IN_FAIL,
    ST_TOKEN_INSERT,
    ST_TOKEN_GET,
    ST_TOKEN_TOUCH,
    ST_TOKEN_DELETE,
    ST_TOKEN_DELETE_USER,
    ST_TOKEN_PURGE,
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
/* A substring of forename or surname, case-insensitive, matched literally
 * (strpos, not LIKE, so '%' and '_' are just characters). */
#define NAME_MATCH(p)                                                           \
    " AND (" p "::text IS NULL OR strpos(lower(ch.forename), lower(" p ")) > 0" \
    "      OR strpos(lower(ch.surname), lower(" p ")) > 0)"
#define CHILD_FILTER                                                            \
    " WHERE ch.la_code = $1" NAME_MATCH("$2")                                   \
    " AND ($3::date IS NULL OR ch.date_of_birth = $3)"                          \
    " AND ($4::text IS NULL OR ch.upn = $4)"                                    \
    " AND ($5::text IS NULL OR ch.nhs_number = $5)"

#define CASE_COLS                                                               \
    "c.id, c.la_code, c.child_id, c.coordinator, c.opened_at, c.stage, "        \
    "c.request_date, c.final_plan_date, c.next_due, c.next_step, "              \
    "c.within_20_weeks, c.exceptions_apply, c.event_count, c.open_advice"
#define CASE_NCOLS 14
#define CASE_FROM                                                               \
    " FROM cases c JOIN children ch ON ch.la_code = c.la_code AND ch.id = c.child_id"
/* Every caseload filter, the child's through the join. */
#define CASE_FILTER                                                             \
    " AND ($2::text IS NULL OR c.stage = $2)"                                   \
    " AND ($3::text IS NULL OR c.coordinator = $3)"                             \
    " AND ($4::date IS NULL OR c.next_due <= $4)"                               \
    " AND ($5::date IS NULL OR c.next_due < $5)"                                \
    " AND ($6::bigint IS NULL OR c.child_id = $6)"                              \
    " AND ($7::text IS NULL OR ch.sen_need1 = $7)"                              \
    " AND ($8::text IS NULL OR ch.setting_urn = $8)"                            \
    " AND ($9::integer IS NULL OR (c.open_advice & $9) <> 0)" NAME_MATCH("$10") \
    " AND ($11::date IS NULL OR ch.date_of_birth = $11)"                        \
    " AND ($12::text IS NULL OR ch.upn = $12)"                                  \
    " AND ($13::text IS NULL OR ch.nhs_number = $13)"                          \
    " AND ($14::boolean IS NULL OR c.stage NOT IN ('refused', 'no_plan', 'ceased'))"
/* As store_sqlite.c, a variant per index that repeats its most selective
 * filter as a plain equality, so a generic plan (PostgreSQL switches to one
 * after five executions) still uses the index:
 *   area     cases_due (la_code, next_due)
 *   coord    cases_coordinator_due (la_code, coordinator, next_due)
 *   setting  children_setting (la_code, setting_urn), then cases_child
 *   advice   cases_advice (la_code, next_due) WHERE open_advice <> 0 */
#define CASE_BY_AREA " WHERE c.la_code = $1"
#define CASE_BY_COORD " WHERE c.la_code = $1 AND c.coordinator = $3"
#define CASE_BY_SETTING " WHERE c.la_code = $1 AND ch.la_code = $1 AND ch.setting_urn = $8"
#define CASE_BY_ADVICE " WHERE c.la_code = $1 AND c.open_advice <> 0"
#define CASE_LIST(by)                                                           \
    "SELECT " CASE_COLS ", ch.forename, ch.surname, ch.date_of_birth,"          \
    " ch.sen_need1, ch.setting_urn" CASE_FROM by CASE_FILTER                   \
    " ORDER BY c.next_due NULLS LAST, c.id LIMIT $15 OFFSET $16"
#define CASE_COUNT(by) "SELECT count(*)" CASE_FROM by CASE_FILTER

#define EVENT_COLS                                                              \
    "id, type, date, agency, outcome, exception_reason, cease_reason, "         \
    "transfer_year, transfer_to, supersedes, reason, replacement"
enum { EC_ID, EC_TYPE, EC_DATE, EC_AGENCY, EC_OUTCOME, EC_EXCEPTION, EC_CEASE,
       EC_TRANSFER_YEAR, EC_TRANSFER_TO, EC_SUPERSEDES, EC_REASON, EC_REPLACEMENT,
       EC_CASE_ID, EC_LA_CODE };

#define USER_COLS                                                               \
    "u.id, u.la_code, u.username, u.display_name, u.email, u.role, "            \
    "u.organisation, u.setting_urn, u.password_hash, u.disabled, "              \
    "u.failed_sign_ins, u.locked_until, u.created_at, u.last_sign_in"

#define AUDIT_COLS                                                              \
    "a.id, a.at, a.la_code, a.username, a.role, a.action, a.object, "           \
    "a.object_id, a.child_id, a.detail, a.remote"
/* The period is always bound (0 = unbounded becomes the int64 extremes), so
 * it is a range on the index after its equality columns. */
#define AUDIT_FILTER                                                            \
    " AND a.at >= $2 AND a.at < $3"                                             \
    " AND ($4::text IS NULL OR a.username = $4)"                                \
    " AND ($5::text IS NULL OR a.action = $5)"                                  \
    " AND ($6::text IS NULL OR a.object = $6)"                                  \
    " AND ($7::bigint IS NULL OR a.object_id = $7)"                             \
    " AND ($8::bigint IS NULL OR a.child_id = $8)"
/* A variant per index: audit_area, audit_user, audit_child. */
#define AUDIT_BY_AREA " FROM audit a WHERE a.la_code = $1"
#define AUDIT_BY_USER " FROM audit a WHERE a.la_code = $1 AND a.username = $4"
#define AUDIT_BY_CHILD " FROM audit a WHERE a.la_code = $1 AND a.child_id = $8"
#define AUDIT_FIND(by)                                                          \
    "SELECT " AUDIT_COLS by AUDIT_FILTER                                        \
    " ORDER BY a.at DESC, a.id DESC LIMIT $9 OFFSET $10"
#define AUDIT_COUNT(by) "SELECT count(*)" by AUDIT_FILTER
/* Keyset pages over (at, id), oldest first: see audit_scan. */
#define AUDIT_SCAN(by)                                                          \
    "SELECT " AUDIT_COLS by AUDIT_FILTER                                        \
    " AND (a.at, a.id) > ($9, $10) ORDER BY a.at, a.id LIMIT $11"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_VERSION_TABLE] = "SELECT count(*) FROM pg_catalog.pg_tables"
                         " WHERE schemaname = current_schema() AND tablename = 'schema_version'",
    [ST_VERSION] = "SELECT coalesce(max(version), 0) FROM schema_version",
    [ST_VERSION_APPLIED] = "SELECT count(*) FROM schema_version WHERE version = $1",
    /* A replica that has replayed all it received is current however old its
     * last replayed transaction is (an idle primary sends nothing). */
    [ST_REPLICA_LAG] = "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
                       " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                       " ELSE coalesce(least(extract(epoch FROM now()"
                       " - pg_last_xact_replay_timestamp()) * 1000, 2000000000)::int, -1) END",
    [ST_VERSION_INSERT] = "INSERT INTO schema_version (version, name, applied_at)"
                          " VALUES ($1, $2, $3)",
    [ST_AREA_PUT] = "INSERT INTO areas (la_code, name) VALUES ($1, $2)"
                    " ON CONFLICT (la_code) DO UPDATE SET name = excluded.name",
    [ST_AREA_NAME] = "SELECT name FROM areas WHERE la_code = $1",
    [ST_SETTING_PUT] = "INSERT INTO settings (urn, la_code, name, type) VALUES ($1, $2, $3, $4)"
                       " ON CONFLICT (urn) DO UPDATE SET la_code = excluded.la_code,"
                       " name = excluded.name, type = excluded.type",
    [ST_SETTING_NAME] = "SELECT name FROM settings WHERE urn = $1",
    [ST_CHILD_INSERT] = "INSERT INTO children (la_code, forename, surname, date_of_birth,"
                        " upn, nhs_number, postcode, sen_need1, sen_need2, setting_urn,"
                        " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                        " ON CONFLICT DO NOTHING RETURNING id",
    [ST_CHILD_GET] = "SELECT " CHILD_COLS " FROM children ch WHERE ch.la_code = $1 AND ch.id = $2",
    [ST_CHILD_FIND] = "SELECT " CHILD_COLS " FROM children ch" CHILD_FILTER
                      " ORDER BY ch.surname COLLATE \"C\", ch.forename COLLATE \"C\", ch.id"
                      " LIMIT $6 OFFSET $7",
    [ST_CHILD_COUNT] = "SELECT count(*) FROM children ch" CHILD_FILTER,
    [ST_CASE_INSERT] = "INSERT INTO cases (la_code, child_id, coordinator, opened_at, stage,"
                       " request_date, final_plan_date, next_due, next_step, within_20_weeks,"
                       " exceptions_apply, event_count, open_advice)"
                       " SELECT ch.la_code, ch.id, $3::text, $4::bigint, $5::text, $6::date, $7::date,"
                       " $8::date, $9::text,"
                       " $10::smallint, $11::boolean, $12::integer, $13::integer"
                       " FROM children ch WHERE ch.la_code = $1 AND ch.id = $2 RETURNING id",
    [ST_CASE_GET] = "SELECT " CASE_COLS " FROM cases c WHERE c.la_code = $1 AND c.id = $2",
    [ST_CASE_EXISTS] = "SELECT 1 FROM cases WHERE la_code = $1 AND id = $2",
    [ST_CASE_LOCK] = "SELECT 1 FROM cases WHERE la_code = $1 AND id = $2 FOR UPDATE",
    [ST_CASE_LIST] = CASE_LIST(CASE_BY_AREA),
    [ST_CASE_COUNT] = CASE_COUNT(CASE_BY_AREA),
    [ST_CASE_LIST_COORD] = CASE_LIST(CASE_BY_COORD),
    [ST_CASE_COUNT_COORD] = CASE_COUNT(CASE_BY_COORD),
    [ST_CASE_LIST_SETTING] = CASE_LIST(CASE_BY_SETTING),
    [ST_CASE_COUNT_SETTING] = CASE_COUNT(CASE_BY_SETTING),
    [ST_CASE_LIST_ADVICE] = CASE_LIST(CASE_BY_ADVICE),
    [ST_CASE_COUNT_ADVICE] = CASE_COUNT(CASE_BY_ADVICE),
    [ST_CASE_SUMMARY] = "UPDATE cases SET stage = $3, request_date = $4, final_plan_date = $5,"
                        " next_due = $6, next_step = $7, within_20_weeks = $8,"
                        " exceptions_apply = $9, event_count = $10, open_advice = $11"
                        " WHERE la_code = $1 AND id = $2",
    [ST_EVENTS_LOAD] = "SELECT " EVENT_COLS " FROM events"
                       " WHERE la_code = $1 AND case_id = $2 ORDER BY id",
    /* Locks the case row first (the per-case lock, see the top); no row
     * inserted means no such case in the area. */
    [ST_EVENT_INSERT] = "WITH c AS (SELECT id FROM cases WHERE la_code = $1 AND id = $2"
                        " FOR UPDATE)"
                        " INSERT INTO events (la_code, case_id, type, date, agency, outcome,"
                        " exception_reason, cease_reason, transfer_year, transfer_to,"
                        " supersedes, reason, replacement, recorded_by, recorded_at)"
                        " SELECT $1::text, c.id, $3::text, $4::date, $5::text, $6::text, $7::text,"
                        " $8::integer, $9::integer, $10::text, $11::bigint, $12::text, $13::text,"
                        " $14::text, $15::bigint FROM c RETURNING id",
    /* Keyset pages over (case_id, id) up to a last case: see journeys_scan. */
    [ST_SCAN_ALL] = "SELECT " EVENT_COLS ", case_id, la_code FROM events"
                    " WHERE (case_id, id) > ($1, $2) AND case_id <= $3"
                    " ORDER BY case_id, id LIMIT $4",
    [ST_SCAN_AREA] = "SELECT " EVENT_COLS ", case_id, la_code FROM events"
                     " WHERE la_code = $1 AND (case_id, id) > ($2, $3) AND case_id <= $4"
                     " ORDER BY case_id, id LIMIT $5",
    /* Each subquery one index probe at an end of the key (as SQLite). */
    [ST_CASE_ID_RANGE] = "SELECT (SELECT min(id) FROM cases), (SELECT max(id) FROM cases)",
    [ST_CASE_ID_RANGE_AREA] = "SELECT (SELECT min(id) FROM cases WHERE la_code = $1),"
                              " (SELECT max(id) FROM cases WHERE la_code = $1)",
    [ST_TEAM] = "SELECT coordinator, count(*), count(*) FILTER (WHERE next_due < $2),"
                " count(*) FILTER (WHERE next_due >= $2 AND next_due <= $3)"
                " FROM cases WHERE la_code = $1"
                " AND stage NOT IN ('ceased', 'refused', 'no_plan')"
                " GROUP BY coordinator ORDER BY coordinator COLLATE \"C\"",
    /* Usernames are stored and looked up lower case, as store_sqlite.c. A
     * new account has no sign-in history (the columns' defaults). */
    [ST_USER_INSERT] = "INSERT INTO users (la_code, username, display_name, email, role,"
                       " organisation, setting_urn, password_hash, disabled, created_at)"
                       " VALUES ($1, lower($2), $3, $4, $5, $6, $7, $8, $9, $10)"
                       " ON CONFLICT DO NOTHING RETURNING id",
    [ST_USER_BY_NAME] = "SELECT " USER_COLS " FROM users u WHERE u.username = lower($1)",
    [ST_USER_BY_ID] = "SELECT " USER_COLS " FROM users u WHERE u.id = $1",
    [ST_USER_LIST] = "SELECT " USER_COLS " FROM users u WHERE ($1::text IS NULL OR u.la_code = $1)"
                     " ORDER BY u.username COLLATE \"C\"",
    [ST_USER_PASSWORD] = "UPDATE users SET password_hash = $2, failed_sign_ins = 0,"
                         " locked_until = NULL WHERE id = $1",
    [ST_USER_DISABLED] = "UPDATE users SET disabled = $2 WHERE id = $1",
    [ST_USER_SIGN_IN_OK] = "UPDATE users SET failed_sign_ins = 0, last_sign_in = $2"
                           " WHERE id = $1",
    [ST_USER_SIGN_IN_FAIL] = "UPDATE users SET failed_sign_ins = failed_sign_ins + 1,"
                             " locked_until = coalesce($2, locked_until) WHERE id = $1",
    /* No row inserted means no such user (as a foreign key would say,
     * without aborting the caller's transaction). */
    [ST_TOKEN_INSERT] = "INSERT INTO tokens (hash, user_id, kind, csrf, label,"
                        " created_at, last_used, expires_at)"
                        " SELECT $1::bytea, u.id, $3::text, $4::text, $5::text, $6::bigint,"
                        " $7::bigint, $8::bigint"
                        " FROM users u WHERE u.id = $2 RETURNING 1",
    [ST_TOKEN_GET] = "SELECT t.kind, t.csrf, t.label, t.created_at, t.last_used, t.expires_at, "
                     USER_COLS " FROM tokens t JOIN users u ON u.id = t.user_id"
                     " WHERE t.hash = $1",
    /* Concurrent requests may touch out of order; last use never goes back. */
    [ST_TOKEN_TOUCH] = "UPDATE tokens SET last_used = greatest(last_used, $2) WHERE hash = $1",
    [ST_TOKEN_DELETE] = "DELETE FROM tokens WHERE hash = $1",
    [ST_TOKEN_DELETE_USER] = "DELETE FROM tokens WHERE user_id = $1",
    [ST_TOKEN_PURGE] = "DELETE FROM tokens WHERE expires_at < $1",
    [ST_AUDIT_INSERT] = "INSERT INTO audit (at, la_code, username, role, action, object,"
                        " object_id, child_id, detail, remote)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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

/* Wire names with their lengths, from the core modules' *_name() functions,
 * so a column's text maps back to its enum by a length check and a memcmp
 * (the journeys scan does this for millions of rows). As store_sqlite.c. */
typedef struct {
    const char *s;
    int len;
} name_ent;

typedef struct {
    name_ent type[EV_TYPE_COUNT];
    name_ent agency[AGENCY_COUNT];
    name_ent outcome[OUTCOME_COUNT];
    name_ent exception[EXC_COUNT];
    name_ent transfer_to[TRANSFER_TO_COUNT];
    name_ent stage[STAGE_COUNT];
    name_ent sen[SEN_TYPE_COUNT];
    unsigned advice_bit[AGENCY_COUNT]; /* stored bit of each agency, 0 if none */
} name_tables;

/* The stored bit positions of cases.open_advice, by agency wire name: fixed
 * by the schema (002_people.sql), whatever the order of event_agency. */
static const char *const advice_stored[] = {"education", "health", "social_care",
                                            "psychology", "other"};
#define ADVICE_STORED_COUNT (sizeof advice_stored / sizeof advice_stored[0])

/* A PostgreSQL connection: a store (backend.h) plus the libpq handle, which
 * statements it has prepared, and the state of its transaction. */
typedef struct {
    store base; /* first, so a pg_store * is a store * */
    PGconn *conn;
    bool prepared[ST_COUNT];
    bool in_tx;          /* between our BEGIN and COMMIT/ROLLBACK */
    bool down_logged;    /* the current outage has been reported */
    int64_t locked_case; /* case row locked in this transaction, 0 none */
    char locked_la[STORE_LA_LEN + 1];
    struct timespec retry_at; /* no reconnect attempt before this */
    unsigned session;         /* (re)connections so far: see pg_store_session */
    name_tables names;
} pg_store;

static void name_set(name_ent *e, const char *s)
{
    e->s = s;
    e->len = (int)strlen(s);
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
    for (int i = 0; i < AGENCY_COUNT; i++) {
        t->advice_bit[i] = 0;
        for (size_t b = 0; b < ADVICE_STORED_COUNT; b++)
            if (strcmp(advice_stored[b], t->agency[i].s) == 0)
                t->advice_bit[i] = 1u << b;
    }
}

static int name_find(const name_ent *t, int n, const char *p, int len)
{
    for (int i = 0; i < n; i++)
        if (t[i].len == len && memcmp(t[i].s, p, (size_t)len) == 0)
            return i;
    return -1;
}

/* The wire name of enum value v for writing: NULL for -1 when `optional`,
 * SH_EINVAL for anything out of range (refused before any SQL runs). */
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

/* An open_advice mask (bit 1u << event_agency) in its stored form; SH_EINVAL
 * for a bit that is no agency or one the schema has no bit for. */
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

/* The stored form back to a mask by event_agency. */
static int advice_from_db(const name_tables *t, int64_t v, unsigned *out)
{
    int64_t seen = 0;
    *out = 0;
    for (int i = 0; i < AGENCY_COUNT; i++) {
        if (v & t->advice_bit[i]) {
            *out |= 1u << i;
            seen |= t->advice_bit[i];
        }
    }
    return v == seen ? SH_OK : SH_EIO;
}

/* ---- errors ------------------------------------------------------------- */

/* SQLSTATEs that mean "not now" rather than "wrong": the server is going
 * away or refusing (class 08, 57P0x, 53300), a timeout fired (57014 query
 * canceled, 55P03 lock not available), a deadlock or serialisation failure
 * (40P01, 40001), or this is a read-only replica (25006). */
static bool state_unavailable(const char *state)
{
    static const char *const codes[] = {"57014", "55P03", "57P01", "57P02", "57P03",
                                        "53300", "40001", "40P01", "25006"};
    if (strncmp(state, "08", 2) == 0)
        return true;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(state, codes[i]) == 0)
            return true;
    return false;
}

static void log_conn(pg_store *s, const char *what)
{
    const char *msg = PQerrorMessage(s->conn);
    size_t len = strlen(msg);
    while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    fprintf(stderr, "store: %s: %.*s\n", what, (int)len, msg);
}

/* Maps a failed result (or none: out of memory, connection lost) to an rc.
 * An answer the caller expects (a duplicate, a missing parent) is not
 * logged; a lost connection is logged once per outage. */
static int db_fail(pg_store *s, const PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (PQstatus(s->conn) != CONNECTION_OK) {
        if (!s->down_logged)
            log_conn(s, what);
        s->down_logged = true;
        return SH_EUNAVAIL;
    }
    if (!state) {
        log_conn(s, what);
        return r ? SH_EIO : SH_ENOMEM;
    }
    if (strcmp(state, "23505") == 0)
        return SH_ECONFLICT;
    if (strcmp(state, "23503") == 0)
        return SH_ENOTFOUND;
    const char *msg = PQresultErrorMessage(r);
    size_t len = strlen(msg);
    while (len && msg[len - 1] == '\n')
        len--;
    fprintf(stderr, "store: %s: %.*s (SQLSTATE %s)\n", what, (int)len, msg, state);
    return state_unavailable(state) ? SH_EUNAVAIL : SH_EIO;
}

/* A stored value this code cannot read back: the database was written by
 * something else or damaged. */
static int corrupt(const char *what, const char *p)
{
    fprintf(stderr, "store: unexpected stored %s '%.64s'\n", what, p ? p : "NULL");
    return SH_EIO;
}

/* ---- connection --------------------------------------------------------- */

/* Server notices: NOTICE and below ("relation already exists, skipping")
 * are routine; a WARNING or worse goes to stderr like other store lines. */
static void on_notice(void *arg, const PGresult *r)
{
    const char *severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
    (void)arg;
    if (severity && (strcmp(severity, "WARNING") == 0))
        fprintf(stderr, "store: %s", PQresultErrorMessage(r));
}

static int64_t ms_until(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

/* Once per (re)connection: dates must come back as 'YYYY-MM-DD' whatever
 * the server's DateStyle, and the statements must be prepared again. */
static int session_init(pg_store *s)
{
    memset(s->prepared, 0, sizeof s->prepared);
    s->session++;
    const char *style = PQparameterStatus(s->conn, "DateStyle");
    if (style && strncmp(style, "ISO", 3) == 0)
        return SH_OK;
    PGresult *r = PQexec(s->conn, "SET DateStyle = ISO");
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SH_OK : db_fail(s, r, "DateStyle");
    PQclear(r);
    return rc;
}

/* Makes sure the connection is usable before a call: a broken one is reset
 * (blocking at most connect_timeout), unless a transaction was open on it,
 * which is lost: the caller must roll back first. */
static int conn_ready(pg_store *s)
{
    if (PQstatus(s->conn) == CONNECTION_OK)
        return SH_OK;
    if (s->in_tx || ms_until(&s->retry_at) > 0)
        return SH_EUNAVAIL;
    PQreset(s->conn);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        if (!s->down_logged)
            log_conn(s, "reconnect");
        s->down_logged = true;
        clock_gettime(CLOCK_MONOTONIC, &s->retry_at);
        s->retry_at.tv_sec += RETRY_MS / 1000;
        return SH_EUNAVAIL;
    }
    if (s->down_logged)
        fprintf(stderr, "store: reconnected to PostgreSQL\n");
    s->down_logged = false;
    return session_init(s);
}

PGconn *pg_store_conn(store *s)
{
    return ((pg_store *)s)->conn;
}

int pg_store_ready(store *s)
{
    return conn_ready((pg_store *)s);
}

int pg_store_fail(store *s, const PGresult *r, const char *what)
{
    return db_fail((pg_store *)s, r, what);
}

bool pg_store_in_tx(store *s)
{
    return ((pg_store *)s)->in_tx;
}

unsigned pg_store_session(store *s)
{
    return ((pg_store *)s)->session;
}

/* ---- parameters --------------------------------------------------------- */

/* Parameters in order ($1, $2, ...), as text except bytea (binary). Numbers
 * and dates are formatted into the struct, so it must outlive the call. */
typedef struct {
    int n;
    const char *v[PARAMS_MAX];
    int len[PARAMS_MAX];
    int fmt[PARAMS_MAX];
    char num[PARAMS_MAX][24];
} params;

static void p_raw(params *p, const char *v, int len, int fmt)
{
    if (p->n >= PARAMS_MAX) {
        p->n = PARAMS_MAX + 1; /* reported by exec as a bug */
        return;
    }
    p->v[p->n] = v;
    p->len[p->n] = len;
    p->fmt[p->n] = fmt;
    p->n++;
}

/* Text that is absent (NULL) when NULL or "". */
static void p_text(params *p, const char *v)
{
    p_raw(p, v && *v ? v : NULL, 0, 0);
}

/* Text where "" is a value and only NULL is absent. */
static void p_text_exact(params *p, const char *v)
{
    p_raw(p, v, 0, 0);
}

static void p_int(params *p, int64_t v)
{
    if (p->n < PARAMS_MAX) {
        snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)v);
        p_raw(p, p->num[p->n], 0, 0);
    } else {
        p_raw(p, NULL, 0, 0);
    }
}

/* An integer that is absent when it equals `none`. */
static void p_int_or_null(params *p, int64_t v, int64_t none)
{
    if (v == none)
        p_raw(p, NULL, 0, 0);
    else
        p_int(p, v);
}

static void p_bool(params *p, bool v)
{
    p_raw(p, v ? "t" : "f", 0, 0);
}

static void p_date(params *p, date_t d)
{
    if (d == DATE_NONE || p->n >= PARAMS_MAX) {
        p_raw(p, NULL, 0, 0);
        return;
    }
    date_format(d, p->num[p->n]);
    p_raw(p, p->num[p->n], 0, 0);
}

static void p_hash(params *p, const unsigned char hash[STORE_TOKEN_HASH_LEN])
{
    p_raw(p, (const char *)hash, STORE_TOKEN_HASH_LEN, 1);
}

/* ---- running statements ------------------------------------------------- */

static void stmt_name(enum stmt_id id, char name[8])
{
    snprintf(name, 8, "s%d", (int)id);
}

static int stmt_prepare(pg_store *s, enum stmt_id id)
{
    char name[8];
    stmt_name(id, name);
    PGresult *r = PQprepare(s->conn, name, stmt_sql[id], 0, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SH_OK : db_fail(s, r, "prepare");
    PQclear(r);
    if (rc == SH_OK)
        s->prepared[id] = true;
    return rc;
}

static int exec_once(pg_store *s, enum stmt_id id, const params *p, const char *what,
                     PGresult **out)
{
    int rc = conn_ready(s);
    if (rc == SH_OK && !s->prepared[id])
        rc = stmt_prepare(s, id);
    if (rc != SH_OK)
        return rc;
    char name[8];
    stmt_name(id, name);
    PGresult *r = PQexecPrepared(s->conn, name, p->n, p->v, p->len, p->fmt, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        *out = r;
        return SH_OK;
    }
    rc = db_fail(s, r, what);
    PQclear(r);
    return rc;
}

/* A plain read changes nothing, so it may be run twice. */
static bool stmt_is_read(enum stmt_id id)
{
    return strncmp(stmt_sql[id], "SELECT", 6) == 0 && !strstr(stmt_sql[id], "FOR UPDATE");
}

/* Runs a statement; on success *out holds its result (the caller PQclears
 * it), on failure *out is NULL and the rc says why. A read that finds the
 * connection dead (the server restarted or failed over while this one was
 * idle) is tried once more on a new connection, so the caller never sees
 * that outage; a write is not (it may have been applied), nor anything
 * inside a transaction (which died with the connection). */
static int exec(pg_store *s, enum stmt_id id, const params *p, const char *what, PGresult **out)
{
    *out = NULL;
    if (p->n > PARAMS_MAX) {
        fprintf(stderr, "store: %s: too many parameters\n", what);
        return SH_EINVAL;
    }
    int rc = exec_once(s, id, p, what, out);
    if (rc == SH_EUNAVAIL && !s->in_tx && PQstatus(s->conn) != CONNECTION_OK && stmt_is_read(id))
        rc = exec_once(s, id, p, what, out);
    return rc;
}

/* Runs a statement that returns no rows of interest; *changed (optional)
 * gets the number of rows it affected. */
static int exec_cmd(pg_store *s, enum stmt_id id, const params *p, const char *what,
                    long *changed)
{
    PGresult *r;
    int rc = exec(s, id, p, what, &r);
    if (rc == SH_OK && changed)
        *changed = strtol(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return rc;
}

/* Runs an UPDATE keyed by one row: SH_ENOTFOUND when it matched none. */
static int exec_update(pg_store *s, enum stmt_id id, const params *p, const char *what)
{
    long changed = 0;
    int rc = exec_cmd(s, id, p, what, &changed);
    return rc == SH_OK && changed == 0 ? SH_ENOTFOUND : rc;
}

/* Runs a constant command without parameters (BEGIN, COMMIT, ...). */
static int exec_simple(pg_store *s, const char *sql, PGresult **out)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        *out = r;
        return SH_OK;
    }
    *out = NULL;
    int rc = db_fail(s, r, sql);
    PQclear(r);
    return rc;
}

static int run_simple(pg_store *s, const char *sql)
{
    PGresult *r;
    int rc = exec_simple(s, sql, &r);
    PQclear(r);
    return rc;
}

/* ---- reading columns ---------------------------------------------------- */

/* The text of a column, NULL for SQL NULL. */
static const char *col(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
}

static int col_date(const PGresult *r, int row, int c, date_t *out)
{
    const char *p = col(r, row, c);
    *out = DATE_NONE;
    if (!p)
        return SH_OK;
    return date_parse(p, (size_t)PQgetlength(r, row, c), out) == SH_OK ? SH_OK
                                                                       : corrupt("date", p);
}

/* Copies text into a fixed array; NULL becomes "". */
static int col_copy(const PGresult *r, int row, int c, char *out, size_t cap)
{
    const char *p = col(r, row, c);
    size_t len = p ? (size_t)PQgetlength(r, row, c) : 0;
    if (len >= cap)
        return corrupt("value (too long)", p);
    if (len)
        memcpy(out, p, len);
    out[len] = '\0';
    return SH_OK;
}

/* Copies text into the arena; NULL stays NULL when `keep_null`, else "". */
static int col_dup(const PGresult *r, int row, int c, arena *a, bool keep_null,
                   const char **out)
{
    const char *p = col(r, row, c);
    if (!p) {
        *out = keep_null ? NULL : "";
        return SH_OK;
    }
    *out = arena_strndup(a, p, (size_t)PQgetlength(r, row, c));
    return *out ? SH_OK : SH_ENOMEM;
}

/* An enumeration stored by wire name; NULL is -1 (absent). */
static int col_enum(const PGresult *r, int row, int c, const name_ent *t, int n, int *out)
{
    const char *p = col(r, row, c);
    *out = -1;
    if (!p)
        return SH_OK;
    *out = name_find(t, n, p, PQgetlength(r, row, c));
    return *out >= 0 ? SH_OK : corrupt("name", p);
}

/* An integer column; NULL is 0. */
static int col_i64(const PGresult *r, int row, int c, int64_t *out)
{
    const char *p = col(r, row, c);
    *out = 0;
    if (!p)
        return SH_OK;
    char *end;
    errno = 0;
    long long v = strtoll(p, &end, 10);
    if (errno || end == p || *end)
        return corrupt("number", p);
    *out = (int64_t)v;
    return SH_OK;
}

/* An integer column that must fit an int; NULL is `none`. */
static int col_int(const PGresult *r, int row, int c, int none, int *out)
{
    int64_t v = 0;
    int rc = col_i64(r, row, c, &v);
    if (rc != SH_OK)
        return rc;
    if (v < INT_MIN || v > INT_MAX)
        return corrupt("number (out of range)", col(r, row, c));
    *out = PQgetisnull(r, row, c) ? none : (int)v;
    return SH_OK;
}

static bool col_bool(const PGresult *r, int row, int c)
{
    const char *p = col(r, row, c);
    return p && p[0] == 't';
}

/* The count of a one-row COUNT result. */
static int count_of(const PGresult *r, size_t *total)
{
    int64_t v = 0;
    int rc = PQntuples(r) == 1 ? col_i64(r, 0, 0, &v) : corrupt("count", "(no row)");
    *total = v > 0 ? (size_t)v : 0;
    return rc;
}

/* ---- open, close, migrate ----------------------------------------------- */

static const store_ops pg_ops;
static void pg_close(store *base);

/* Connection defaults: a URL's own parameters (and PGOPTIONS-style
 * `options`) come after these and override them. connect_timeout bounds a
 * (re)connect; keepalives and tcp_user_timeout notice a dead peer within
 * ~30 s; statement_timeout and lock_timeout bound any one statement, so an
 * HTTP worker is never held indefinitely; idle_in_transaction_session_timeout
 * frees locks left by a stuck client. client_encoding is forced after the
 * URL: the store speaks UTF-8. */
static PGconn *connect_url(const char *url)
{
    const char *const keys[] = {"connect_timeout", "keepalives", "keepalives_idle",
                                "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                "fallback_application_name", "options", "dbname",
                                "client_encoding", NULL};
    const char *const vals[] = {"5", "1", "10", "5", "3", "30000", "sendhub",
                                "-c statement_timeout=30000 -c lock_timeout=10000"
                                " -c idle_in_transaction_session_timeout=60000",
                                url, "UTF8", NULL};
    return PQconnectdbParams(keys, vals, 1);
}

int store_pg_open(const char *url, store **out)
{
    *out = NULL;
    pg_store *s = calloc(1, sizeof *s);
    if (!s)
        return SH_ENOMEM;
    s->base.ops = &pg_ops;
    s->conn = connect_url(url);
    int rc = SH_OK;
    if (!s->conn) {
        rc = SH_ENOMEM;
    } else if (PQstatus(s->conn) != CONNECTION_OK) {
        log_conn(s, "connect");
        rc = SH_EUNAVAIL;
    } else {
        PQsetNoticeReceiver(s->conn, on_notice, NULL);
        rc = session_init(s);
    }
    if (rc != SH_OK) {
        pg_close(&s->base);
        return rc;
    }
    names_init(&s->names);
    *out = &s->base;
    return SH_OK;
}

static void pg_close(store *base)
{
    pg_store *s = (pg_store *)base;
    if (!s)
        return;
    pg_sql_free(base);
    PQfinish(s->conn);
    free(s);
}

/* Reads a one-integer result of a statement with parameters p. */
static int query_int_with(pg_store *s, enum stmt_id id, const params *p, int *out)
{
    PGresult *r;
    int rc = exec(s, id, p, "schema version", &r);
    if (rc == SH_OK)
        rc = PQntuples(r) == 1 ? col_int(r, 0, 0, 0, out) : corrupt("version", "(no row)");
    PQclear(r);
    return rc;
}

static int query_int(pg_store *s, enum stmt_id id, int *out)
{
    params p = {0};
    return query_int_with(s, id, &p, out);
}

static int pg_schema_version(store *base, int *version)
{
    pg_store *s = (pg_store *)base;
    int exists = 0;
    *version = 0;
    int rc = query_int(s, ST_VERSION_TABLE, &exists);
    if (rc == SH_OK && exists)
        rc = query_int(s, ST_VERSION, version);
    return rc;
}

static int pg_replica_lag(store *base, int *ms)
{
    *ms = -1;
    return query_int((pg_store *)base, ST_REPLICA_LAG, ms);
}

/* Whether migration `version` has its row in schema_version (0 or 1). */
static int version_applied(pg_store *s, int version, int *applied)
{
    params p = {0};
    p_int(&p, version);
    return query_int_with(s, ST_VERSION_APPLIED, &p, applied);
}

/* Whether every migration of this dialect has its row, by reads only. */
static int up_to_date(pg_store *s, bool *yes)
{
    int exists = 0, applied = 1;
    *yes = false;
    int rc = query_int(s, ST_VERSION_TABLE, &exists);
    if (rc != SH_OK || !exists)
        return rc;
    for (size_t i = 0; rc == SH_OK && applied && i < store_migration_count; i++)
        if (strcmp(store_migrations[i].dialect, "postgresql") == 0)
            rc = version_applied(s, store_migrations[i].version, &applied);
    *yes = rc == SH_OK && applied;
    return rc;
}

static int pg_tx_begin(store *base);
static int pg_tx_commit(store *base);
static int pg_tx_rollback(store *base);

/* Opens a migration transaction: the advisory lock makes a second process
 * wait here until the first has committed, and DDL on a big table may take
 * longer than the statement timeout meant for requests. */
static int migrate_tx_begin(pg_store *s)
{
    int rc = pg_tx_begin(&s->base);
    if (rc == SH_OK)
        rc = run_simple(s, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")");
    if (rc == SH_OK)
        rc = run_simple(s, "SET LOCAL statement_timeout = 0");
    return rc;
}

static int migrate_tx_end(pg_store *s, int rc)
{
    if (rc == SH_OK)
        rc = pg_tx_commit(&s->base);
    if (rc != SH_OK)
        pg_tx_rollback(&s->base);
    return rc;
}

static int version_record(pg_store *s, const store_migration *m)
{
    params p = {0};
    p_int(&p, m->version);
    p_text(&p, m->name);
    p_int(&p, (int64_t)time(NULL));
    return exec_cmd(s, ST_VERSION_INSERT, &p, m->name, NULL);
}

/* Runs a migration and records its version, inside migrate_one's
 * transaction. One applied below the highest recorded version (a database
 * that got a later one first, from a branch) is named on stderr, so an
 * operator knows the order differed from the numbers. */
static int migration_run(pg_store *s, const store_migration *m)
{
    int highest = 0;
    int rc = query_int(s, ST_VERSION, &highest);
    if (rc == SH_OK && highest > m->version)
        fprintf(stderr, "store: applying %s out of order (%03d already applied)\n", m->name,
                highest);
    if (rc == SH_OK)
        rc = run_simple(s, m->sql);
    if (rc == SH_OK)
        rc = version_record(s, m);
    return rc;
}

/* Applies one migration in its own transaction if its version has no row
 * yet; the row is looked for under the lock, so two processes migrating at
 * once apply it once. */
static int migrate_one(pg_store *s, const store_migration *m)
{
    int applied = 0;
    int rc = migrate_tx_begin(s);
    if (rc == SH_OK)
        rc = version_applied(s, m->version, &applied);
    if (rc == SH_OK && !applied)
        rc = migration_run(s, m);
    return migrate_tx_end(s, rc);
}

/* An up-to-date database (every migration's row present) is only read, so
 * a read-only replica can be "migrated" (a no-op) by `sendhub serve` at
 * start. */
static int pg_migrate(store *base)
{
    pg_store *s = (pg_store *)base;
    bool done = false;
    int rc = up_to_date(s, &done);
    if (rc != SH_OK || done)
        return rc;
    rc = migrate_tx_begin(s);
    if (rc == SH_OK)
        rc = run_simple(s, "CREATE TABLE IF NOT EXISTS schema_version ("
                           " version INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL,"
                           " applied_at BIGINT NOT NULL)");
    rc = migrate_tx_end(s, rc);
    for (size_t i = 0; rc == SH_OK && i < store_migration_count; i++)
        if (strcmp(store_migrations[i].dialect, "postgresql") == 0)
            rc = migrate_one(s, &store_migrations[i]);
    return rc;
}

/* ---- transactions ------------------------------------------------------- */

static void tx_forget(pg_store *s)
{
    s->in_tx = false;
    s->locked_case = 0;
}

static int pg_tx_begin(store *base)
{
    pg_store *s = (pg_store *)base;
    if (s->in_tx)
        return SH_EINVAL; /* nested */
    int rc = conn_ready(s);
    if (rc == SH_OK)
        rc = run_simple(s, "BEGIN");
    s->in_tx = rc == SH_OK;
    s->locked_case = 0;
    return rc;
}

/* A transaction that failed part-way cannot be committed: PostgreSQL
 * answers COMMIT with ROLLBACK, which is reported as SH_EIO. A connection
 * lost before the answer leaves the outcome unknown: SH_EUNAVAIL. */
static int pg_tx_commit(store *base)
{
    pg_store *s = (pg_store *)base;
    if (!s->in_tx)
        return SH_EINVAL;
    PGresult *r = NULL;
    int rc = PQstatus(s->conn) == CONNECTION_OK ? exec_simple(s, "COMMIT", &r) : SH_EUNAVAIL;
    if (rc == SH_OK && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        fprintf(stderr, "store: commit: the transaction had failed and was rolled back\n");
        rc = SH_EIO;
    }
    if (rc == SH_OK || rc == SH_EIO || PQtransactionStatus(s->conn) != PQTRANS_INTRANS)
        tx_forget(s);
    PQclear(r);
    return rc;
}

static int pg_tx_rollback(store *base)
{
    pg_store *s = (pg_store *)base;
    if (!s->in_tx)
        return SH_OK;
    tx_forget(s);
    if (PQstatus(s->conn) != CONNECTION_OK)
        return SH_OK; /* the server has rolled it back already */
    return run_simple(s, "ROLLBACK");
}

/* ---- areas and settings ------------------------------------------------- */

static int lookup_name(pg_store *s, enum stmt_id id, const char *key, arena *a,
                       const char **name)
{
    params p = {0};
    p_text(&p, key);
    PGresult *r;
    int rc = exec(s, id, &p, "name lookup", &r);
    if (rc == SH_OK)
        rc = PQntuples(r) ? col_dup(r, 0, 0, a, false, name) : SH_ENOTFOUND;
    PQclear(r);
    return rc;
}

static int pg_area_put(store *base, const char *la_code, const char *name)
{
    params p = {0};
    p_text(&p, la_code);
    p_text(&p, name);
    return exec_cmd((pg_store *)base, ST_AREA_PUT, &p, "area put", NULL);
}

static int pg_area_name(store *base, const char *la_code, arena *a, const char **name)
{
    return lookup_name((pg_store *)base, ST_AREA_NAME, la_code, a, name);
}

static int pg_setting_put(store *base, const char *la_code, const char *urn, const char *name,
                          const char *type)
{
    params p = {0};
    p_text(&p, urn);
    p_text(&p, la_code);
    p_text(&p, name);
    p_text(&p, type);
    return exec_cmd((pg_store *)base, ST_SETTING_PUT, &p, "setting put", NULL);
}

static int pg_setting_name(store *base, const char *urn, arena *a, const char **name)
{
    return lookup_name((pg_store *)base, ST_SETTING_NAME, urn, a, name);
}

/* ---- paging ------------------------------------------------------------- */

/* As store_sqlite.c: 0 or above the ceiling means STORE_PAGE_MAX. */
static size_t page_limit(size_t limit)
{
    return limit == 0 || limit > STORE_PAGE_MAX ? STORE_PAGE_MAX : limit;
}

static int64_t page_offset(size_t offset)
{
    return offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)offset;
}

/* Runs an INSERT ... RETURNING id and sets *id; no row returned means
 * `none` (a conflict or a missing parent, by statement). */
static int insert_returning(pg_store *s, enum stmt_id id, const params *p, const char *what,
                            int none, int64_t *out)
{
    PGresult *r;
    int rc = exec(s, id, p, what, &r);
    if (rc == SH_OK)
        rc = PQntuples(r) == 1 ? col_i64(r, 0, 0, out) : none;
    PQclear(r);
    return rc;
}

/* ---- children ----------------------------------------------------------- */

static int pg_child_insert(store *base, store_child *c)
{
    pg_store *s = (pg_store *)base;
    const char *sen[2];
    for (int i = 0; i < 2; i++) {
        int rc = name_of(s->names.sen, SEN_TYPE_COUNT, c->sen_need[i], true, &sen[i]);
        if (rc != SH_OK)
            return rc;
    }
    c->created_at = (int64_t)time(NULL);
    params p = {0};
    p_text(&p, c->la_code);
    p_text(&p, c->forename);
    p_text(&p, c->surname);
    p_date(&p, c->date_of_birth);
    p_text(&p, c->upn);
    p_text(&p, c->nhs_number);
    p_text(&p, c->postcode);
    p_text(&p, sen[0]);
    p_text(&p, sen[1]);
    p_text(&p, c->setting_urn);
    p_int(&p, c->created_at);
    return insert_returning(s, ST_CHILD_INSERT, &p, "child insert", SH_ECONFLICT, &c->id);
}

/* Reads a row of CHILD_COLS starting at column 0. */
static int child_from_row(pg_store *s, const PGresult *r, int row, arena *a, store_child *c)
{
    memset(c, 0, sizeof *c);
    int rc = col_i64(r, row, 0, &c->id);
    if (rc == SH_OK)
        rc = col_i64(r, row, 11, &c->created_at);
    if (rc == SH_OK)
        rc = col_copy(r, row, 1, c->la_code, sizeof c->la_code);
    if (rc == SH_OK)
        rc = col_dup(r, row, 2, a, false, &c->forename);
    if (rc == SH_OK)
        rc = col_dup(r, row, 3, a, false, &c->surname);
    if (rc == SH_OK)
        rc = col_date(r, row, 4, &c->date_of_birth);
    if (rc == SH_OK)
        rc = col_copy(r, row, 5, c->upn, sizeof c->upn);
    if (rc == SH_OK)
        rc = col_copy(r, row, 6, c->nhs_number, sizeof c->nhs_number);
    if (rc == SH_OK)
        rc = col_copy(r, row, 7, c->postcode, sizeof c->postcode);
    if (rc == SH_OK)
        rc = col_enum(r, row, 8, s->names.sen, SEN_TYPE_COUNT, &c->sen_need[0]);
    if (rc == SH_OK)
        rc = col_enum(r, row, 9, s->names.sen, SEN_TYPE_COUNT, &c->sen_need[1]);
    if (rc == SH_OK)
        rc = col_copy(r, row, 10, c->setting_urn, sizeof c->setting_urn);
    return rc;
}

/* (la_code, id) as $1, $2: the key of every tenant-scoped get. */
static void p_key(params *p, const char *la_code, int64_t id)
{
    p_text_exact(p, la_code);
    p_int(p, id);
}

static int pg_child_get(store *base, const char *la_code, int64_t id, arena *a,
                        store_child *out)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    p_key(&p, la_code, id);
    PGresult *r;
    int rc = exec(s, ST_CHILD_GET, &p, "child get", &r);
    if (rc == SH_OK)
        rc = PQntuples(r) ? child_from_row(s, r, 0, a, out) : SH_ENOTFOUND;
    PQclear(r);
    return rc;
}

static void child_filter(params *p, const store_child_query *q)
{
    p_text_exact(p, q->la_code);
    p_text(p, q->name);
    p_date(p, q->date_of_birth);
    p_text(p, q->upn);
    p_text(p, q->nhs_number);
}

static int pg_child_find(store *base, const store_child_query *q, arena *a, store_child **out,
                         size_t *n, size_t *total)
{
    pg_store *s = (pg_store *)base;
    size_t limit = page_limit(q->limit);
    *n = 0;
    *total = 0;
    *out = arena_calloc(a, limit, sizeof **out);
    if (!*out)
        return SH_ENOMEM;
    params p = {0};
    child_filter(&p, q);
    PGresult *r;
    int rc = exec(s, ST_CHILD_COUNT, &p, "child count", &r);
    if (rc == SH_OK)
        rc = count_of(r, total);
    PQclear(r);
    if (rc != SH_OK)
        return rc;
    p_int(&p, (int64_t)limit);
    p_int(&p, page_offset(q->offset));
    rc = exec(s, ST_CHILD_FIND, &p, "child find", &r);
    for (int i = 0; rc == SH_OK && i < PQntuples(r) && *n < limit; i++)
        rc = child_from_row(s, r, i, a, &(*out)[(*n)++]);
    PQclear(r);
    return rc;
}

/* ---- cases -------------------------------------------------------------- */

/* Appends a summary's 9 parameters: stage, request_date, final_plan_date,
 * next_due, next_step, within_20_weeks, exceptions_apply, event_count,
 * open_advice. */
static int summary_params(pg_store *s, params *p, const store_case_summary *sum)
{
    const char *stage;
    int rc = name_of(s->names.stage, STAGE_COUNT, (int)sum->stage, false, &stage);
    if (rc != SH_OK)
        return rc;
    int64_t advice = 0;
    if (sum->within_20_weeks < -1 || sum->within_20_weeks > 1 || sum->event_count < 0
        || advice_to_db(&s->names, sum->open_advice, &advice) != SH_OK)
        return SH_EINVAL;
    p_text(p, stage);
    p_date(p, sum->request_date);
    p_date(p, sum->final_plan_date);
    p_date(p, sum->next_due);
    p_text(p, sum->next_step);
    p_int_or_null(p, sum->within_20_weeks, -1);
    p_bool(p, sum->exceptions_apply);
    p_int(p, sum->event_count);
    p_int(p, advice);
    return SH_OK;
}

static int pg_case_insert(store *base, store_case *c)
{
    pg_store *s = (pg_store *)base;
    c->opened_at = (int64_t)time(NULL);
    params p = {0};
    p_text(&p, c->la_code);
    p_int(&p, c->child_id);
    p_text_exact(&p, c->coordinator ? c->coordinator : "");
    p_int(&p, c->opened_at);
    int rc = summary_params(s, &p, &c->summary);
    if (rc == SH_OK)
        rc = insert_returning(s, ST_CASE_INSERT, &p, "case insert", SH_ENOTFOUND, &c->id);
    return rc;
}

/* Reads the summary columns 5-13 of CASE_COLS. */
static int summary_from_row(pg_store *s, const PGresult *r, int row, store_case_summary *sum)
{
    int stage = -1;
    int64_t advice = 0;
    int rc = col_enum(r, row, 5, s->names.stage, STAGE_COUNT, &stage);
    if (rc == SH_OK && stage < 0)
        rc = corrupt("stage", NULL);
    sum->stage = (journey_stage)stage;
    if (rc == SH_OK)
        rc = col_date(r, row, 6, &sum->request_date);
    if (rc == SH_OK)
        rc = col_date(r, row, 7, &sum->final_plan_date);
    if (rc == SH_OK)
        rc = col_date(r, row, 8, &sum->next_due);
    if (rc == SH_OK)
        rc = col_copy(r, row, 9, sum->next_step, sizeof sum->next_step);
    if (rc == SH_OK)
        rc = col_int(r, row, 10, -1, &sum->within_20_weeks);
    sum->exceptions_apply = col_bool(r, row, 11);
    if (rc == SH_OK)
        rc = col_int(r, row, 12, 0, &sum->event_count);
    if (rc == SH_OK)
        rc = col_i64(r, row, 13, &advice);
    if (rc == SH_OK && advice_from_db(&s->names, advice, &sum->open_advice) != SH_OK)
        rc = corrupt("open_advice", col(r, row, 13));
    return rc;
}

/* Reads a row of CASE_COLS starting at column 0. */
static int case_from_row(pg_store *s, const PGresult *r, int row, arena *a, store_case *c)
{
    memset(c, 0, sizeof *c);
    int rc = col_i64(r, row, 0, &c->id);
    if (rc == SH_OK)
        rc = col_i64(r, row, 2, &c->child_id);
    if (rc == SH_OK)
        rc = col_i64(r, row, 4, &c->opened_at);
    if (rc == SH_OK)
        rc = col_copy(r, row, 1, c->la_code, sizeof c->la_code);
    if (rc == SH_OK)
        rc = col_dup(r, row, 3, a, false, &c->coordinator);
    if (rc == SH_OK)
        rc = summary_from_row(s, r, row, &c->summary);
    return rc;
}

static int pg_case_get(store *base, const char *la_code, int64_t id, arena *a, store_case *out)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    p_key(&p, la_code, id);
    PGresult *r;
    int rc = exec(s, ST_CASE_GET, &p, "case get", &r);
    if (rc == SH_OK)
        rc = PQntuples(r) ? case_from_row(s, r, 0, a, out) : SH_ENOTFOUND;
    PQclear(r);
    return rc;
}

/* The caseload statements by the index that drives them (CASE_BY_*): the
 * most selective filter given picks, as in store_sqlite.c. */
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

/* Appends the filters $1-$13 shared by the caseload statements. The
 * coordinator and the setting are exact even when "" ("" is the unassigned
 * coordinator; a setting's staff with no URN must see nothing). */
static int case_filter(pg_store *s, params *p, const store_case_query *q)
{
    const char *stage = NULL, *sen = NULL;
    int64_t advice = 0;
    int rc = name_of(s->names.stage, STAGE_COUNT, q->stage, true, &stage);
    if (rc == SH_OK)
        rc = name_of(s->names.sen, SEN_TYPE_COUNT, q->sen_need, true, &sen);
    if (rc == SH_OK)
        rc = advice_to_db(&s->names, q->open_advice, &advice);
    if (rc != SH_OK)
        return rc;
    p_text_exact(p, q->la_code);
    p_text(p, stage);
    p_text_exact(p, q->coordinator);
    p_date(p, q->due_on_or_before);
    p_date(p, q->overdue_at);
    p_int_or_null(p, q->child_id, 0);
    p_text(p, sen);
    p_text_exact(p, q->setting_urn);
    p_int_or_null(p, advice, 0);
    p_text(p, q->name);
    p_date(p, q->date_of_birth);
    p_text(p, q->upn);
    p_text(p, q->nhs_number);
    if (q->open_only)
        p_bool(p, true);
    else
        p_raw(p, NULL, 0, 0);
    return SH_OK;
}

static int caseload_from_row(pg_store *s, const PGresult *r, int row, arena *a,
                             store_caseload_row *out)
{
    int rc = case_from_row(s, r, row, a, &out->c);
    if (rc == SH_OK)
        rc = col_dup(r, row, CASE_NCOLS, a, false, &out->forename);
    if (rc == SH_OK)
        rc = col_dup(r, row, CASE_NCOLS + 1, a, false, &out->surname);
    if (rc == SH_OK)
        rc = col_date(r, row, CASE_NCOLS + 2, &out->date_of_birth);
    if (rc == SH_OK)
        rc = col_enum(r, row, CASE_NCOLS + 3, s->names.sen, SEN_TYPE_COUNT, &out->sen_need);
    if (rc == SH_OK)
        rc = col_copy(r, row, CASE_NCOLS + 4, out->setting_urn, sizeof out->setting_urn);
    return rc;
}

static int pg_case_list(store *base, const store_case_query *q, arena *a,
                        store_caseload_row **rows, size_t *n, size_t *total)
{
    pg_store *s = (pg_store *)base;
    size_t limit = page_limit(q->limit);
    enum stmt_id list, count;
    case_stmts(q, &list, &count);
    *n = 0;
    *total = 0;
    *rows = arena_calloc(a, limit, sizeof **rows);
    if (!*rows)
        return SH_ENOMEM;
    params p = {0};
    int rc = case_filter(s, &p, q);
    if (rc != SH_OK)
        return rc;
    PGresult *r;
    rc = exec(s, count, &p, "case count", &r);
    if (rc == SH_OK)
        rc = count_of(r, total);
    PQclear(r);
    if (rc != SH_OK)
        return rc;
    p_int(&p, (int64_t)limit);
    p_int(&p, page_offset(q->offset));
    rc = exec(s, list, &p, "case list", &r);
    for (int i = 0; rc == SH_OK && i < PQntuples(r) && *n < limit; i++)
        rc = caseload_from_row(s, r, i, a, &(*rows)[(*n)++]);
    PQclear(r);
    return rc;
}

static int pg_case_summary_update(store *base, const char *la_code, int64_t case_id,
                                  const store_case_summary *sum)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    p_key(&p, la_code, case_id);
    int rc = summary_params(s, &p, sum);
    return rc == SH_OK ? exec_update(s, ST_CASE_SUMMARY, &p, "case summary") : rc;
}

/* ---- events: the replacement of a correction as JSON -------------------- */

/* The same JSON object as store_sqlite.c writes, so data moves between the
 * backends unchanged. */
static int json_put_name(json_t *o, const char *key, const char *name)
{
    return name ? json_object_set_new(o, key, json_string(name)) : 0;
}

static int json_put_int(json_t *o, const char *key, int v)
{
    return v ? json_object_set_new(o, key, json_integer(v)) : 0;
}

static int replacement_fill(const pg_store *s, json_t *o, const event *r)
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

/* Encodes r into buf as a NUL-terminated string. */
static int replacement_encode(const pg_store *s, const event *r, char *buf, size_t cap)
{
    json_t *o = json_object();
    if (!o)
        return SH_ENOMEM;
    int rc = replacement_fill(s, o, r);
    if (rc == SH_OK) {
        size_t len = json_dumpb(o, buf, cap - 1, JSON_COMPACT);
        if (len == 0 || len > cap - 1)
            rc = SH_ENOMEM;
        else
            buf[len] = '\0';
    }
    json_decref(o);
    return rc;
}

static int json_get_name(json_t *o, const char *key, const name_ent *t, int n, int *out)
{
    json_t *v = json_object_get(o, key);
    *out = -1;
    if (!v)
        return SH_OK;
    const char *p = json_string_value(v);
    *out = p ? name_find(t, n, p, (int)json_string_length(v)) : -1;
    return *out >= 0 ? SH_OK : corrupt(key, p ? p : "(not a string)");
}

static int json_get_int(json_t *o, const char *key, int *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v)
        return SH_OK;
    json_int_t x = json_integer_value(v);
    if (!json_is_integer(v) || x < INT_MIN || x > INT_MAX)
        return corrupt(key, "(not an int)");
    *out = (int)x;
    return SH_OK;
}

static int replacement_read(const pg_store *s, json_t *o, event *r)
{
    const name_tables *t = &s->names;
    int type = -1, agency, outcome, exception, transfer_to;
    date_t date = DATE_NONE;
    int rc = json_get_name(o, "type", t->type, EV_TYPE_COUNT, &type);
    json_t *d = json_object_get(o, "date");
    const char *iso = json_string_value(d);
    if (rc == SH_OK && (type < 0 || !iso || date_parse(iso, json_string_length(d), &date)))
        rc = corrupt("replacement", "(type or date)");
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

static int replacement_decode(const pg_store *s, const char *text, size_t len, arena *a,
                              const event **out)
{
    json_error_t jerr;
    json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(o)) {
        json_decref(o);
        return corrupt("replacement", text);
    }
    event *r = arena_alloc(a, sizeof *r);
    int rc = r ? replacement_read(s, o, r) : SH_ENOMEM;
    json_decref(o);
    if (rc == SH_OK)
        *out = r;
    return rc;
}

/* ---- events ------------------------------------------------------------- */

/* Appends every parameter of an event insert after la_code and case_id,
 * up to the audit pair; `json` is the encoded replacement or NULL. */
static int event_params(pg_store *s, params *p, const event *e, const char *json)
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
    p_text(p, type);
    p_date(p, e->date);
    p_text(p, agency);
    p_text(p, outcome);
    p_text(p, exception);
    p_int_or_null(p, e->cease_reason, 0);
    p_int_or_null(p, e->transfer_year, 0);
    p_text(p, transfer_to);
    p_int_or_null(p, e->supersedes, 0);
    p_text(p, e->reason);
    p_text(p, json);
    return SH_OK;
}

/* Inside a transaction, the case row just locked: later calls for the same
 * case in the same transaction need not lock it again. */
static void remember_lock(pg_store *s, const char *la_code, int64_t case_id)
{
    if (!s->in_tx)
        return;
    s->locked_case = case_id;
    snprintf(s->locked_la, sizeof s->locked_la, "%s", la_code ? la_code : "");
}

static bool holds_lock(const pg_store *s, const char *la_code, int64_t case_id)
{
    return s->in_tx && s->locked_case == case_id && la_code
           && strcmp(s->locked_la, la_code) == 0;
}

static int pg_event_insert(store *base, const char *la_code, int64_t case_id, event *e,
                           const char *recorded_by)
{
    pg_store *s = (pg_store *)base;
    char json[REPLACEMENT_JSON_MAX];
    if (!recorded_by || !*recorded_by || (e->replacement && e->type != EV_CORRECTION))
        return SH_EINVAL;
    int rc = e->replacement ? replacement_encode(s, e->replacement, json, sizeof json) : SH_OK;
    params p = {0};
    p_key(&p, la_code, case_id);
    if (rc == SH_OK)
        rc = event_params(s, &p, e, e->replacement ? json : NULL);
    if (rc != SH_OK)
        return rc;
    p_text(&p, recorded_by);
    p_int(&p, (int64_t)time(NULL));
    rc = insert_returning(s, ST_EVENT_INSERT, &p, "event insert", SH_ENOTFOUND, &e->id);
    if (rc == SH_OK)
        remember_lock(s, la_code, case_id);
    return rc;
}

/* Reads the EVENT_COLS of a row into e; the replacement JSON is decoded
 * only for corrections, which keeps the scan fast. */
static int event_from_row(const pg_store *s, const PGresult *r, int row, arena *a, event *e)
{
    const name_tables *t = &s->names;
    int type, agency, outcome, exception, transfer_to;
    int rc = col_enum(r, row, EC_TYPE, t->type, EV_TYPE_COUNT, &type);
    if (rc == SH_OK && type < 0)
        rc = corrupt("event type", NULL);
    if (rc == SH_OK)
        rc = col_date(r, row, EC_DATE, &e->date);
    if (rc == SH_OK)
        rc = col_enum(r, row, EC_AGENCY, t->agency, AGENCY_COUNT, &agency);
    if (rc == SH_OK)
        rc = col_enum(r, row, EC_OUTCOME, t->outcome, OUTCOME_COUNT, &outcome);
    if (rc == SH_OK)
        rc = col_enum(r, row, EC_EXCEPTION, t->exception, EXC_COUNT, &exception);
    if (rc == SH_OK)
        rc = col_enum(r, row, EC_TRANSFER_TO, t->transfer_to, TRANSFER_TO_COUNT, &transfer_to);
    if (rc == SH_OK)
        rc = col_i64(r, row, EC_ID, &e->id);
    if (rc == SH_OK)
        rc = col_i64(r, row, EC_SUPERSEDES, &e->supersedes);
    if (rc == SH_OK)
        rc = col_int(r, row, EC_CEASE, 0, &e->cease_reason);
    if (rc == SH_OK)
        rc = col_int(r, row, EC_TRANSFER_YEAR, 0, &e->transfer_year);
    if (rc == SH_OK)
        rc = col_dup(r, row, EC_REASON, a, true, &e->reason);
    if (rc != SH_OK)
        return rc;
    e->type = (event_type)type;
    e->agency = (event_agency)agency;
    e->outcome = (event_outcome)outcome;
    e->exception = (event_exception)exception;
    e->transfer_to = (event_transfer_to)transfer_to;
    e->replacement = NULL;
    const char *json = col(r, row, EC_REPLACEMENT);
    if (json && e->type == EV_CORRECTION)
        rc = replacement_decode(s, json, (size_t)PQgetlength(r, row, EC_REPLACEMENT), a,
                                &e->replacement);
    return rc;
}

/* A growing array of events inside an arena (doubling; the arena frees the
 * old copies with everything else). */
typedef struct {
    event *v;
    size_t n, cap;
} event_vec;

static int event_vec_add_row(const pg_store *s, const PGresult *r, int row, arena *a,
                             event_vec *vec)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : EVENTS_INITIAL_CAP;
        event *v = arena_calloc(a, cap, sizeof *v);
        if (!v)
            return SH_ENOMEM;
        if (vec->n)
            memcpy(v, vec->v, vec->n * sizeof *v);
        vec->v = v;
        vec->cap = cap;
    }
    return event_from_row(s, r, row, a, &vec->v[vec->n++]);
}

/* Runs a (la_code, case_id) statement and says whether it found a row. */
static int case_row(pg_store *s, enum stmt_id id, const char *la_code, int64_t case_id)
{
    params p = {0};
    p_key(&p, la_code, case_id);
    PGresult *r;
    int rc = exec(s, id, &p, "case", &r);
    if (rc == SH_OK && PQntuples(r) == 0)
        rc = SH_ENOTFOUND;
    PQclear(r);
    return rc;
}

/* Inside a transaction the log is read under the case's row lock, taken in
 * a statement of its own first: a READ COMMITTED statement's snapshot
 * starts before any lock wait inside it, so only a later statement sees the
 * events committed by the transaction it waited for. */
static int pg_events_load(store *base, const char *la_code, int64_t case_id, arena *a,
                          event **out, size_t *n)
{
    pg_store *s = (pg_store *)base;
    event_vec vec = {NULL, 0, 0};
    *out = NULL;
    *n = 0;
    int rc = SH_OK;
    if (s->in_tx && !holds_lock(s, la_code, case_id)) {
        rc = case_row(s, ST_CASE_LOCK, la_code, case_id);
        if (rc == SH_OK)
            remember_lock(s, la_code, case_id);
    }
    if (rc != SH_OK)
        return rc;
    params p = {0};
    p_key(&p, la_code, case_id);
    PGresult *r;
    rc = exec(s, ST_EVENTS_LOAD, &p, "events load", &r);
    for (int i = 0; rc == SH_OK && i < PQntuples(r); i++)
        rc = event_vec_add_row(s, r, i, a, &vec);
    PQclear(r);
    /* No rows: an empty journey, or no such case in this area. */
    if (rc == SH_OK && vec.n == 0 && !holds_lock(s, la_code, case_id))
        rc = case_row(s, ST_CASE_EXISTS, la_code, case_id);
    if (rc != SH_OK)
        return rc;
    *out = vec.v;
    *n = vec.n;
    return SH_OK;
}

/* The grouping state of a journeys scan, carried across keyset pages. */
typedef struct {
    event_vec vec;
    int64_t case_id, last_id;
    char la_code[STORE_LA_LEN + 1];
} scan_state;

/* Feeds one page's rows into the grouping: each case's events are handed
 * to fn when the next case begins. */
static int scan_page(const pg_store *s, const PGresult *r, arena *a, scan_state *st,
                     store_journey_fn fn, void *ctx)
{
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t row_case = 0;
        int rc = col_i64(r, i, EC_CASE_ID, &row_case);
        if (rc == SH_OK && st->vec.n && row_case != st->case_id) {
            rc = fn(ctx, st->case_id, st->la_code, st->vec.v, st->vec.n);
            arena_reset(a);
            st->vec = (event_vec){NULL, 0, 0};
        }
        if (rc == SH_OK && st->vec.n == 0) {
            st->case_id = row_case;
            rc = col_copy(r, i, EC_LA_CODE, st->la_code, sizeof st->la_code);
        }
        if (rc == SH_OK)
            rc = event_vec_add_row(s, r, i, a, &st->vec);
        if (rc != SH_OK)
            return rc;
        st->last_id = st->vec.v[st->vec.n - 1].id;
    }
    return SH_OK;
}

/* Streams in keyset pages of SCAN_BATCH rows over (case_id, id), each page
 * its own short statement. Not single-row mode: fn may use this connection
 * for writes (rebuilding summaries), which a half-read result forbids. Not
 * a cursor: that needs one transaction open for the whole scan (hours over
 * a national database), holding back vacuum. Memory stays one page plus
 * one case. Events appended while the scan runs may or may not be seen.
 * The first page starts after (first_case, 0): event ids are positive. */
static int pg_journeys_scan(store *base, const char *la_code, int64_t first_case,
                            int64_t last_case, arena *a, store_journey_fn fn, void *ctx)
{
    pg_store *s = (pg_store *)base;
    scan_state st = {{NULL, 0, 0}, first_case, 0, ""};
    int rc = SH_OK, rows = first_case <= last_case ? SCAN_BATCH : 0;
    arena_reset(a);
    while (rc == SH_OK && rows == SCAN_BATCH) {
        params p = {0};
        if (la_code)
            p_text_exact(&p, la_code);
        p_int(&p, st.case_id);
        p_int(&p, st.last_id);
        p_int(&p, last_case);
        p_int(&p, SCAN_BATCH);
        PGresult *r;
        rc = exec(s, la_code ? ST_SCAN_AREA : ST_SCAN_ALL, &p, "journeys scan", &r);
        rows = rc == SH_OK ? PQntuples(r) : 0;
        if (rc == SH_OK)
            rc = scan_page(s, r, a, &st, fn, ctx);
        PQclear(r);
    }
    if (rc == SH_OK && st.vec.n)
        rc = fn(ctx, st.case_id, st.la_code, st.vec.v, st.vec.n);
    return rc;
}

static int pg_case_id_range(store *base, const char *la_code, int64_t *min_id, int64_t *max_id)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    *min_id = 1;
    *max_id = 0;
    if (la_code)
        p_text_exact(&p, la_code);
    PGresult *r;
    int rc = exec(s, la_code ? ST_CASE_ID_RANGE_AREA : ST_CASE_ID_RANGE, &p, "case id range", &r);
    /* One row always; NULLs when there is no case. */
    if (rc == SH_OK && PQntuples(r) == 1 && col(r, 0, 0)) {
        rc = col_i64(r, 0, 0, min_id);
        if (rc == SH_OK)
            rc = col_i64(r, 0, 1, max_id);
    }
    PQclear(r);
    return rc;
}

static int team_from_row(const PGresult *r, int row, arena *a, store_team_row *t)
{
    int64_t open = 0, overdue = 0, soon = 0;
    int rc = col_dup(r, row, 0, a, false, &t->coordinator);
    if (rc == SH_OK)
        rc = col_i64(r, row, 1, &open);
    if (rc == SH_OK)
        rc = col_i64(r, row, 2, &overdue);
    if (rc == SH_OK)
        rc = col_i64(r, row, 3, &soon);
    t->open_cases = (long)open;
    t->overdue = (long)overdue;
    t->due_soon = (long)soon;
    return rc;
}

static int pg_team(store *base, const char *la_code, date_t today, date_t due_by, arena *a,
                   store_team_row **rows, size_t *n)
{
    pg_store *s = (pg_store *)base;
    *rows = NULL;
    *n = 0;
    if (today == DATE_NONE || due_by == DATE_NONE)
        return SH_EINVAL;
    params p = {0};
    p_text_exact(&p, la_code);
    p_date(&p, today);
    p_date(&p, due_by);
    PGresult *r;
    int rc = exec(s, ST_TEAM, &p, "team", &r);
    int count = rc == SH_OK ? PQntuples(r) : 0;
    if (rc == SH_OK && count) {
        *rows = arena_calloc(a, (size_t)count, sizeof **rows);
        rc = *rows ? SH_OK : SH_ENOMEM;
    }
    for (int i = 0; rc == SH_OK && i < count; i++) {
        rc = team_from_row(r, i, a, &(*rows)[i]);
        *n = (size_t)i + 1;
    }
    PQclear(r);
    return rc;
}

/* ---- people ------------------------------------------------------------- */

static int pg_user_insert(store *base, store_user *u)
{
    pg_store *s = (pg_store *)base;
    u->created_at = (int64_t)time(NULL);
    params p = {0};
    p_text(&p, u->la_code);
    p_text(&p, u->username);
    p_text(&p, u->display_name);
    p_text(&p, u->email);
    p_text(&p, u->role);
    p_text(&p, u->organisation);
    p_text(&p, u->setting_urn);
    p_text(&p, u->password_hash);
    p_bool(&p, u->disabled);
    p_int(&p, u->created_at);
    return insert_returning(s, ST_USER_INSERT, &p, "user insert", SH_ECONFLICT, &u->id);
}

/* Reads USER_COLS starting at column `c0`. */
static int user_from_row(const PGresult *r, int row, int c0, arena *a, store_user *u)
{
    memset(u, 0, sizeof *u);
    int rc = col_i64(r, row, c0, &u->id);
    if (rc == SH_OK)
        rc = col_copy(r, row, c0 + 1, u->la_code, sizeof u->la_code);
    if (rc == SH_OK)
        rc = col_dup(r, row, c0 + 2, a, false, &u->username);
    if (rc == SH_OK)
        rc = col_dup(r, row, c0 + 3, a, false, &u->display_name);
    if (rc == SH_OK)
        rc = col_dup(r, row, c0 + 4, a, false, &u->email);
    if (rc == SH_OK)
        rc = col_dup(r, row, c0 + 5, a, false, &u->role);
    if (rc == SH_OK)
        rc = col_dup(r, row, c0 + 6, a, false, &u->organisation);
    if (rc == SH_OK)
        rc = col_copy(r, row, c0 + 7, u->setting_urn, sizeof u->setting_urn);
    if (rc == SH_OK)
        rc = col_dup(r, row, c0 + 8, a, false, &u->password_hash);
    u->disabled = col_bool(r, row, c0 + 9);
    if (rc == SH_OK)
        rc = col_int(r, row, c0 + 10, 0, &u->failed_sign_ins);
    if (rc == SH_OK)
        rc = col_i64(r, row, c0 + 11, &u->locked_until);
    if (rc == SH_OK)
        rc = col_i64(r, row, c0 + 12, &u->created_at);
    if (rc == SH_OK)
        rc = col_i64(r, row, c0 + 13, &u->last_sign_in);
    return rc;
}

static int user_get(pg_store *s, enum stmt_id id, const params *p, arena *a, store_user *out)
{
    PGresult *r;
    int rc = exec(s, id, p, "user get", &r);
    if (rc == SH_OK)
        rc = PQntuples(r) ? user_from_row(r, 0, 0, a, out) : SH_ENOTFOUND;
    PQclear(r);
    return rc;
}

static int pg_user_by_name(store *base, const char *username, arena *a, store_user *out)
{
    params p = {0};
    p_text(&p, username);
    return user_get((pg_store *)base, ST_USER_BY_NAME, &p, a, out);
}

static int pg_user_by_id(store *base, int64_t id, arena *a, store_user *out)
{
    params p = {0};
    p_int(&p, id);
    return user_get((pg_store *)base, ST_USER_BY_ID, &p, a, out);
}

static int pg_user_list(store *base, const char *la_code, arena *a, store_user **out, size_t *n)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    p_text(&p, la_code);
    PGresult *r;
    *out = NULL;
    *n = 0;
    int rc = exec(s, ST_USER_LIST, &p, "user list", &r);
    int count = rc == SH_OK ? PQntuples(r) : 0;
    if (rc == SH_OK && count) {
        *out = arena_calloc(a, (size_t)count, sizeof **out);
        rc = *out ? SH_OK : SH_ENOMEM;
    }
    for (int i = 0; rc == SH_OK && i < count; i++) {
        rc = user_from_row(r, i, 0, a, &(*out)[i]);
        *n = (size_t)i + 1;
    }
    PQclear(r);
    return rc;
}

static int pg_user_set_password(store *base, int64_t id, const char *password_hash)
{
    params p = {0};
    p_int(&p, id);
    p_text(&p, password_hash);
    return exec_update((pg_store *)base, ST_USER_PASSWORD, &p, "user password");
}

static int pg_user_set_disabled(store *base, int64_t id, bool disabled)
{
    params p = {0};
    p_int(&p, id);
    p_bool(&p, disabled);
    return exec_update((pg_store *)base, ST_USER_DISABLED, &p, "user disabled");
}

static int pg_user_sign_in_result(store *base, int64_t id, bool success, int64_t now,
                                  int64_t locked_until)
{
    params p = {0};
    p_int(&p, id);
    if (success)
        p_int(&p, now);
    else
        p_int_or_null(&p, locked_until, 0);
    return exec_update((pg_store *)base, success ? ST_USER_SIGN_IN_OK : ST_USER_SIGN_IN_FAIL,
                       &p, "user sign-in");
}

/* ---- sessions and API tokens -------------------------------------------- */

static const char *token_kind_name(store_token_kind k)
{
    return k == STORE_TOKEN_SESSION ? "session" : k == STORE_TOKEN_API ? "api" : NULL;
}

static int pg_token_insert(store *base, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                           const store_token *t)
{
    const char *kind = token_kind_name(t->kind);
    if (!kind)
        return SH_EINVAL;
    params p = {0};
    p_hash(&p, hash);
    p_int(&p, t->user_id);
    p_text(&p, kind);
    p_text(&p, t->csrf);
    p_text(&p, t->label);
    p_int(&p, t->created_at);
    p_int(&p, t->last_used);
    p_int(&p, t->expires_at);
    int64_t one = 0;
    return insert_returning((pg_store *)base, ST_TOKEN_INSERT, &p, "token insert",
                            SH_ENOTFOUND, &one);
}

static int token_from_row(const PGresult *r, arena *a, store_token *t)
{
    const char *kind = col(r, 0, 0);
    memset(t, 0, sizeof *t);
    if (kind && strcmp(kind, "session") == 0)
        t->kind = STORE_TOKEN_SESSION;
    else if (kind && strcmp(kind, "api") == 0)
        t->kind = STORE_TOKEN_API;
    else
        return corrupt("token kind", kind);
    int rc = col_copy(r, 0, 1, t->csrf, sizeof t->csrf);
    if (rc == SH_OK)
        rc = col_dup(r, 0, 2, a, false, &t->label);
    if (rc == SH_OK)
        rc = col_i64(r, 0, 3, &t->created_at);
    if (rc == SH_OK)
        rc = col_i64(r, 0, 4, &t->last_used);
    if (rc == SH_OK)
        rc = col_i64(r, 0, 5, &t->expires_at);
    return rc;
}

static int pg_token_get(store *base, const unsigned char hash[STORE_TOKEN_HASH_LEN], arena *a,
                        store_token *t, store_user *u)
{
    params p = {0};
    p_hash(&p, hash);
    PGresult *r;
    int rc = exec((pg_store *)base, ST_TOKEN_GET, &p, "token get", &r);
    if (rc == SH_OK && PQntuples(r) == 0)
        rc = SH_ENOTFOUND;
    if (rc == SH_OK)
        rc = token_from_row(r, a, t);
    if (rc == SH_OK)
        rc = user_from_row(r, 0, 6, a, u);
    if (rc == SH_OK)
        t->user_id = u->id;
    PQclear(r);
    return rc;
}

static int pg_token_touch(store *base, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                          int64_t now)
{
    params p = {0};
    p_hash(&p, hash);
    p_int(&p, now);
    return exec_update((pg_store *)base, ST_TOKEN_TOUCH, &p, "token touch");
}

static int pg_token_delete(store *base, const unsigned char hash[STORE_TOKEN_HASH_LEN])
{
    params p = {0};
    p_hash(&p, hash);
    return exec_update((pg_store *)base, ST_TOKEN_DELETE, &p, "token delete");
}

static int pg_token_delete_user(store *base, int64_t user_id)
{
    params p = {0};
    p_int(&p, user_id);
    return exec_cmd((pg_store *)base, ST_TOKEN_DELETE_USER, &p, "token delete", NULL);
}

static int pg_token_purge(store *base, int64_t now)
{
    params p = {0};
    p_int(&p, now);
    return exec_cmd((pg_store *)base, ST_TOKEN_PURGE, &p, "token purge", NULL);
}

/* ---- the audit log ------------------------------------------------------ */

static int audit_insert(pg_store *s, const store_audit *e)
{
    params p = {0};
    p_int(&p, e->at);
    p_text(&p, e->la_code);
    p_text(&p, e->username);
    p_text(&p, e->role);
    p_text(&p, e->action);
    p_text(&p, e->object);
    p_int_or_null(&p, e->object_id, 0);
    p_int_or_null(&p, e->child_id, 0);
    p_text(&p, e->detail);
    p_text(&p, e->remote);
    return exec_cmd(s, ST_AUDIT_INSERT, &p, "audit append", NULL);
}

/* Inside the caller's transaction when one is open, so a write and its
 * entry commit or roll back together, through a savepoint so a failed
 * append leaves that transaction usable (as SQLite); else in one of its
 * own. Either way the entries go in all or none. */
static int pg_audit_append(store *base, const store_audit *entries, size_t n)
{
    pg_store *s = (pg_store *)base;
    bool own = !s->in_tx;
    if (n == 0)
        return SH_OK;
    int rc = own ? pg_tx_begin(base) : run_simple(s, "SAVEPOINT audit_append");
    if (rc != SH_OK)
        return rc;
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = audit_insert(s, &entries[i]);
    if (rc == SH_OK)
        rc = own ? pg_tx_commit(base) : run_simple(s, "RELEASE audit_append");
    if (rc != SH_OK && own)
        pg_tx_rollback(base);
    else if (rc != SH_OK && run_simple(s, "ROLLBACK TO audit_append") == SH_OK)
        run_simple(s, "RELEASE audit_append");
    return rc;
}

/* The audit statements by the index that drives them (AUDIT_BY_*). */
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

/* Appends the filters $1-$8. */
static void audit_filter(params *p, const store_audit_query *q)
{
    p_text_exact(p, q->la_code);
    p_int(p, q->from ? q->from : INT64_MIN);
    p_int(p, q->to ? q->to : INT64_MAX);
    p_text(p, q->username);
    p_text(p, q->action);
    p_text(p, q->object);
    p_int_or_null(p, q->object_id, 0);
    p_int_or_null(p, q->child_id, 0);
}

/* Reads AUDIT_COLS; NULL text reads as "". */
static int audit_from_row(const PGresult *r, int row, arena *a, store_audit *e)
{
    memset(e, 0, sizeof *e);
    int rc = col_i64(r, row, 0, &e->id);
    if (rc == SH_OK)
        rc = col_i64(r, row, 1, &e->at);
    if (rc == SH_OK)
        rc = col_copy(r, row, 2, e->la_code, sizeof e->la_code);
    if (rc == SH_OK)
        rc = col_dup(r, row, 3, a, false, &e->username);
    if (rc == SH_OK)
        rc = col_dup(r, row, 4, a, false, &e->role);
    if (rc == SH_OK)
        rc = col_dup(r, row, 5, a, false, &e->action);
    if (rc == SH_OK)
        rc = col_dup(r, row, 6, a, false, &e->object);
    if (rc == SH_OK)
        rc = col_i64(r, row, 7, &e->object_id);
    if (rc == SH_OK)
        rc = col_i64(r, row, 8, &e->child_id);
    if (rc == SH_OK)
        rc = col_dup(r, row, 9, a, false, &e->detail);
    if (rc == SH_OK)
        rc = col_dup(r, row, 10, a, false, &e->remote);
    return rc;
}

static int pg_audit_find(store *base, const store_audit_query *q, arena *a, store_audit **out,
                         size_t *n, size_t *total)
{
    pg_store *s = (pg_store *)base;
    size_t limit = page_limit(q->limit);
    audit_stmts by = audit_by(q);
    *n = 0;
    *total = 0;
    *out = arena_calloc(a, limit, sizeof **out);
    if (!*out)
        return SH_ENOMEM;
    params p = {0};
    audit_filter(&p, q);
    PGresult *r;
    int rc = exec(s, by.count, &p, "audit count", &r);
    if (rc == SH_OK)
        rc = count_of(r, total);
    PQclear(r);
    if (rc != SH_OK)
        return rc;
    p_int(&p, (int64_t)limit);
    p_int(&p, page_offset(q->offset));
    rc = exec(s, by.find, &p, "audit find", &r);
    for (int i = 0; rc == SH_OK && i < PQntuples(r) && *n < limit; i++)
        rc = audit_from_row(r, i, a, &(*out)[(*n)++]);
    PQclear(r);
    return rc;
}

/* Streams oldest first in keyset pages over (at, id), each its own short
 * statement, like journeys_scan; the arena is reset before each entry. */
static int pg_audit_scan(store *base, const store_audit_query *q, arena *a, store_audit_fn fn,
                         void *ctx)
{
    pg_store *s = (pg_store *)base;
    enum stmt_id scan = audit_by(q).scan;
    store_audit e = {.at = INT64_MIN};
    int rc = SH_OK, rows = SCAN_BATCH;
    while (rc == SH_OK && rows == SCAN_BATCH) {
        params p = {0};
        audit_filter(&p, q);
        p_int(&p, e.at);
        p_int(&p, e.id);
        p_int(&p, SCAN_BATCH);
        PGresult *r;
        rc = exec(s, scan, &p, "audit scan", &r);
        rows = rc == SH_OK ? PQntuples(r) : 0;
        for (int i = 0; rc == SH_OK && i < rows; i++) {
            arena_reset(a);
            rc = audit_from_row(r, i, a, &e);
            if (rc == SH_OK)
                rc = fn(ctx, &e);
        }
        PQclear(r);
    }
    return rc;
}

/* Every operation of store.h the PostgreSQL backend provides (backend.h). */
static const store_ops pg_ops = {
    .name = "postgresql",
    .replica_lag = pg_replica_lag,
    .close = pg_close,
    .migrate = pg_migrate,
    .schema_version = pg_schema_version,
    .tx_begin = pg_tx_begin,
    .tx_commit = pg_tx_commit,
    .tx_rollback = pg_tx_rollback,
    .area_put = pg_area_put,
    .area_name = pg_area_name,
    .setting_put = pg_setting_put,
    .setting_name = pg_setting_name,
    .child_insert = pg_child_insert,
    .child_get = pg_child_get,
    .child_find = pg_child_find,
    .case_insert = pg_case_insert,
    .case_get = pg_case_get,
    .case_list = pg_case_list,
    .case_summary_update = pg_case_summary_update,
    .events_load = pg_events_load,
    .event_insert = pg_event_insert,
    .journeys_scan = pg_journeys_scan,
    .case_id_range = pg_case_id_range,
    .team = pg_team,
    .user_insert = pg_user_insert,
    .user_by_name = pg_user_by_name,
    .user_by_id = pg_user_by_id,
    .user_list = pg_user_list,
    .user_set_password = pg_user_set_password,
    .user_set_disabled = pg_user_set_disabled,
    .user_sign_in_result = pg_user_sign_in_result,
    .token_insert = pg_token_insert,
    .token_get = pg_token_get,
    .token_touch = pg_token_touch,
    .token_delete = pg_token_delete,
    .token_delete_user = pg_token_delete_user,
    .token_purge = pg_token_purge,
    .audit_append = pg_audit_append,
    .audit_find = pg_audit_find,
    .audit_scan = pg_audit_scan,
    .sql_prepare = pg_sql_prepare,
};
