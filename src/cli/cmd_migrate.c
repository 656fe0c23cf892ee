/*
 * cmd_migrate.c — `sendhub migrate`: create or upgrade a database, or move a
 * council's data from SQLite to PostgreSQL.
 *
 *   sendhub migrate --db URL                    applies pending migrations
 *   sendhub migrate --from sqlite:FILE --to postgresql://...
 *   sendhub migrate --list-tables               what the copy moves, and skips
 *
 * The copy brings both databases to the current schema (the same version
 * numbers in both dialects), then copies every table in one PostgreSQL
 * transaction and checks the counts before committing: all or nothing.
 * Every table of the source must be in copy_tables[] or copy_skipped[]: a
 * table in neither stops the copy before it starts (and tests/cli/
 * migrate.test.mjs fails), and a copied table with a column its entry does
 * not name stops it (rolled back). Nothing is left behind silently.
 *
 * Ids. Into an empty database the ids are kept as they are. Into a database
 * that already holds other councils (a regional or national one), every id
 * is shifted by that table's current high-water mark, and every reference
 * with it (a referral's child and pathway, a plan version's case and event,
 * an audit entry's child and object ...), so nothing collides and every link
 * still holds. The tables taking ids are locked against inserts while the
 * copy runs (SHARE ROW EXCLUSIVE: reads go on, writes wait), so the shift is
 * safe with live servers on the target. Areas and settings that are already
 * there are kept; usernames must be new (a clash fails the copy).
 *
 * ADDING A TABLE (a new migration): one entry in copy_tables[], after the
 * tables it refers to: WITH_ID (rows with an identity `id`, shifted), NO_ID
 * or SHARED, the number of columns and all of them, and every column
 * holding another table's id with that table (whose shift it takes). Read
 * the migration's FOREIGN KEY clauses and its comments: a reference need
 * not be a foreign key (advice_requests.requested_event, plan_versions.
 * event_id, audit.child_id). A new column goes into its table's entry. A
 * table of transient state goes in copy_skipped[] with the reason. If the
 * audit log gains an object naming an id, add it to audit_objects[].
 *
 * The statements below are constant texts, one SELECT (SQLite) and one
 * INSERT (PostgreSQL) per table over the same column list; values travel as
 * text (SQLite's 0/1 flags are valid PostgreSQL booleans and smallints, its
 * ISO dates valid DATEs) and binary values (token and invitation hashes,
 * advice attachments) as binary.
 */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "store/store.h"
#include "util/err.h"

typedef struct {
    const char *db;
    const char *from;
    const char *to;
    bool list_tables;
} migrate_config;

static const opt_spec migrate_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(migrate_config, db),
     "database to create or upgrade: a file path, sqlite:PATH or postgresql://..."},
    {"from", OPT_STR, NULL, 0, 0, offsetof(migrate_config, from),
     "copy from this SQLite database (sqlite:FILE or a path) ..."},
    {"to", OPT_STR, NULL, 0, 0, offsetof(migrate_config, to),
     "... into this PostgreSQL database (postgresql://...), counts checked"},
    {"list-tables", OPT_BOOL, NULL, 0, 0, offsetof(migrate_config, list_tables),
     "print the tables the copy moves (copy NAME) and leaves (skip NAME: why), and exit"},
};

#define COPY_COLS_MAX 32
#define COPY_REFS_MAX 5
#define COPY_BATCH 1000 /* rows sent before waiting for their answers */

/* A column holding another table's id, and that table (whose shift it
 * takes). BY_OBJECT: audit.object_id, whose table its object column names. */
typedef struct {
    const char *column;
    const char *table;
} copy_ref;
#define BY_OBJECT "(the audit entry's object)"

typedef struct {
    const char *table;
    const char *count;  /* both dialects */
    const char *select; /* SQLite: the columns in order */
    const char *insert; /* PostgreSQL: the same columns as $1..$n */
    bool keep_existing; /* rows already in the target are kept (ON CONFLICT DO NOTHING) */
    /* Tables with an identity id (NULL otherwise): locking the table against
     * inserts, its current high-water mark (the larger of max(id) and the
     * sequence's last value, which a rolled-back insert may have moved on:
     * the shift of its ids), and moving the sequence past the copied ids. */
    const char *lock, *high, *setval;
    copy_ref refs[COPY_REFS_MAX];
} copy_table;

/* $1, ..., $n for an INSERT of n columns. */
#define P1 "$1"
#define P2 P1 ", $2"
#define P3 P2 ", $3"
#define P4 P3 ", $4"
#define P5 P4 ", $5"
#define P6 P5 ", $6"
#define P7 P6 ", $7"
#define P8 P7 ", $8"
#define P9 P8 ", $9"
#define P10 P9 ", $10"
#define P11 P10 ", $11"
#define P12 P11 ", $12"
#define P13 P12 ", $13"
#define P14 P13 ", $14"
#define P15 P14 ", $15"
#define P16 P15 ", $16"
#define P17 P16 ", $17"
#define P18 P17 ", $18"
#define P19 P18 ", $19"
#define P20 P19 ", $20"
#define P21 P20 ", $21"
#define P22 P21 ", $22"
#define P23 P22 ", $23"
#define P24 P23 ", $24"
#define P25 P24 ", $25"

/* A table of rows with an identity id, `id` (kept, or shifted past the
 * target's ids with every reference to it). */
#define WITH_ID(t, n, cols)                                                      \
    t, "SELECT count(*) FROM " t, "SELECT " cols " FROM " t " ORDER BY id",      \
        "INSERT INTO " t " (" cols ") OVERRIDING SYSTEM VALUE VALUES (" P##n ")", false, \
        "LOCK TABLE " t " IN SHARE ROW EXCLUSIVE MODE",                          \
        "SELECT greatest((SELECT coalesce(max(id), 0) FROM " t "),"              \
        " coalesce(pg_sequence_last_value(pg_get_serial_sequence('" t "', 'id')), 0))", \
        "SELECT setval(pg_get_serial_sequence('" t "', 'id'),"                   \
        " (SELECT greatest(coalesce(max(id), 0), 1) FROM " t "))"
/* A table whose rows have no id of their own. */
#define NO_ID(t, n, cols)                                                        \
    t, "SELECT count(*) FROM " t, "SELECT " cols " FROM " t,                     \
        "INSERT INTO " t " (" cols ") VALUES (" P##n ")", false, NULL, NULL, NULL
/* Reference rows several councils share: those already there are kept. */
#define SHARED(t, n, cols)                                                       \
    t, "SELECT count(*) FROM " t, "SELECT " cols " FROM " t,                     \
        "INSERT INTO " t " (" cols ") VALUES (" P##n ") ON CONFLICT DO NOTHING", true, \
        NULL, NULL, NULL

/* Every table, in dependency order (parents first). Derived data is copied
 * as it is, not rebuilt: the cached columns of cases (stage, next_due,
 * event_count, open_advice) are a fold of the events copied with them, so
 * they still agree, and recomputing them would take the journey engine's
 * rules of the day rather than what the council saw. There are no summary
 * tables: the dashboard is computed from these rows and cached in memory. */
static const copy_table copy_tables[] = {
    {SHARED("areas", 2, "la_code, name"), {{NULL, NULL}}},
    {SHARED("settings", 4, "urn, la_code, name, type"), {{NULL, NULL}}},
    {WITH_ID("children", 12,
             "id, la_code, forename, surname, date_of_birth, upn, nhs_number, postcode,"
             " sen_need1, sen_need2, setting_urn, created_at"), {{NULL, NULL}}},
    {WITH_ID("cases", 14,
             "id, la_code, child_id, coordinator, opened_at, stage, request_date,"
             " final_plan_date, next_due, next_step, within_20_weeks, exceptions_apply,"
             " event_count, open_advice"),
     {{"child_id", "children"}}},
    {WITH_ID("events", 16,
             "id, la_code, case_id, type, date, agency, outcome, exception_reason,"
             " cease_reason, transfer_year, transfer_to, supersedes, reason, replacement,"
             " recorded_by, recorded_at"),
     {{"case_id", "cases"}, {"supersedes", "events"}}},
    {WITH_ID("users", 14,
             "id, la_code, username, display_name, email, role, organisation, setting_urn,"
             " password_hash, disabled, failed_sign_ins, locked_until, created_at,"
             " last_sign_in"), {{NULL, NULL}}},
    {NO_ID("tokens", 8, "hash, user_id, kind, csrf, label, created_at, last_used, expires_at"),
     {{"user_id", "users"}}},
    {WITH_ID("audit", 11,
             "id, at, la_code, username, role, action, object, object_id, child_id, detail,"
             " remote"),
     {{"object_id", BY_OBJECT}, {"child_id", "children"}}},
    /* 003: health waits */
    {WITH_ID("pathways", 9,
             "id, la_code, code, name, provider, standard_weeks, clock_stop,"
             " capacity_per_week, active"), {{NULL, NULL}}},
    {WITH_ID("referrals", 17,
             "id, la_code, child_id, pathway_id, referrer, referral_date, priority, triage,"
             " triage_date, triage_reason, first_contact, assessment_started,"
             " assessment_completed, outcome, outcome_code, discharged, created_at"),
     {{"child_id", "children"}, {"pathway_id", "pathways"}}},
    {WITH_ID("clock_stops", 7,
             "id, la_code, referral_id, stopped, restarted, reason, created_at"),
     {{"referral_id", "referrals"}}},
    /* 004: advice (the events columns are not foreign keys, but events' ids) */
    {WITH_ID("advice_requests", 19,
             "id, la_code, case_id, child_id, agency, service, setting_urn, question,"
             " requested_by, requested_on, due, requested_event, received_on, received_event,"
             " submitted_by, needs, outcomes, provision, created_at"),
     {{"case_id", "cases"}, {"child_id", "children"},
      {"requested_event", "events"}, {"received_event", "events"}}},
    {WITH_ID("advice_attachments", 7,
             "id, la_code, request_id, filename, size, content, created_at"),
     {{"request_id", "advice_requests"}}},
    {WITH_ID("advice_chases", 9,
             "id, la_code, request_id, chase_on, kind, recipients, status, error, sent_at"),
     {{"request_id", "advice_requests"}}},
    /* 005: plans (issued versions refuse UPDATE and DELETE; inserts are fine) */
    {NO_ID("plan_drafts", 5, "la_code, case_id, document, updated_at, updated_by"),
     {{"case_id", "cases"}}},
    {WITH_ID("plan_versions", 9,
             "id, la_code, case_id, version, kind, issued_on, issued_by, event_id, document"),
     {{"case_id", "cases"}, {"event_id", "events"}}},
    /* 006: reviews and phase transfers */
    {WITH_ID("reviews", 14,
             "id, la_code, case_id, invited_on, invitees, invitees_other, meeting_on,"
             " advice_on, attendees, report_on, report_text, recommendations, report_by,"
             " created_at"),
     {{"case_id", "cases"}}},
    {WITH_ID("transfer_consultations", 9,
             "id, la_code, case_id, setting_name, setting_urn, consulted_on, response,"
             " response_on, created_at"),
     {{"case_id", "cases"}}},
    /* 007: the family portal */
    {WITH_ID("portal_invitations", 12,
             "id, la_code, child_id, hash, relationship, invitee_name, created_by, created_at,"
             " expires_at, used_at, used_by, revoked_at"),
     {{"child_id", "children"}, {"used_by", "users"}}},
    {NO_ID("portal_links", 5, "user_id, la_code, child_id, relationship, since"),
     {{"user_id", "users"}, {"child_id", "children"}}},
    {WITH_ID("portal_submissions", 9,
             "id, la_code, case_id, user_id, kind, body, school, meeting, created_at"),
     {{"case_id", "cases"}, {"user_id", "users"}}},
    {WITH_ID("portal_messages", 7,
             "id, la_code, case_id, user_id, from_family, body, created_at"),
     {{"case_id", "cases"}, {"user_id", "users"}}},
    /* 008: inspections and the improvement plan */
    {WITH_ID("inspections", 11,
             "id, la_code, framework, outcome, started_on, ended_on, published_on,"
             " plan_due_on, accepted_on, created_by, created_at"), {{NULL, NULL}}},
    {WITH_ID("inspection_findings", 7,
             "id, la_code, inspection_id, kind, title, wording, created_at"),
     {{"inspection_id", "inspections"}}},
    {WITH_ID("inspection_actions", 10,
             "id, la_code, finding_id, title, owner_name, owner_org, start_on, due_on, status,"
             " created_at"),
     {{"finding_id", "inspection_findings"}}},
    {WITH_ID("inspection_action_updates", 8,
             "id, la_code, action_id, dated_on, status, note, created_by, created_at"),
     {{"action_id", "inspection_actions"}}},
    {WITH_ID("inspection_measures", 10,
             "id, la_code, finding_id, measure, pathway_id, baseline_on, baseline_x10,"
             " target_on, target_x10, created_at"),
     {{"finding_id", "inspection_findings"}, {"pathway_id", "pathways"}}},
    {WITH_ID("inspection_judgements", 8,
             "id, la_code, inspection_id, judged_on, sufficient, reasons, created_by,"
             " created_at"),
     {{"inspection_id", "inspections"}}},
    /* 009: the parent carer forum's comments (refuse UPDATE and DELETE) */
    {WITH_ID("inspection_action_comments", 9,
             "id, la_code, action_id, body, author, author_name, author_role, organisation,"
             " created_at"),
     {{"action_id", "inspection_actions"}}},
    /* 010: the portal's e-mails about dates, and each family member's choice */
    {NO_ID("portal_date_notices", 6, "user_id, la_code, case_id, kind, due, queued_at"),
     {{"user_id", "users"}, {"case_id", "cases"}}},
    {NO_ID("portal_preferences", 3, "user_id, date_emails, updated_at"), {{"user_id", "users"}}},
    /* 011: files with a family's views, access withdrawn */
    {WITH_ID("portal_attachments", 8,
             "id, la_code, submission_id, filename, kind, size, content, created_at"),
     {{"submission_id", "portal_submissions"}}},
    {WITH_ID("portal_link_history", 9,
             "id, user_id, la_code, child_id, relationship, since, removed_at, removed_by,"
             " reason"),
     {{"user_id", "users"}, {"child_id", "children"}}},
    /* 012: requests for an assessment sent online */
    {WITH_ID("online_requests", 25,
             "id, la_code, send_key, received_at, received_on, asker_role, relationship,"
             " asker_name, email, phone, forename, surname, date_of_birth, postcode,"
             " setting_name, upn, nhs_number, needs, tried, status, case_id, closed_reason,"
             " closed_note, handled_by, handled_at"),
     {{"case_id", "cases"}}},
    /* 007, 010, 016: the portal's e-mails, after online_requests (an
     * acknowledgement names its request; to_user_id is then NULL) */
    {WITH_ID("portal_outbox", 14,
             "id, la_code, to_user_id, to_email, subject, body, created_at, sent_at, state,"
             " attempts, next_attempt_at, claimed_at, last_error, online_request_id"),
     {{"to_user_id", "users"}, {"online_request_id", "online_requests"}}},
    /* 014: the council asks a family for their views */
    {WITH_ID("views_requests", 13,
             "id, la_code, case_id, purpose, message, reply_by, asked_by, asked_at,"
             " submission_id, answered_at, withdrawn_at, withdrawn_by, withdrawn_reason"),
     {{"case_id", "cases"}, {"submission_id", "portal_submissions"}}},
    /* 015: evidence documents on the plan's actions (refuse DELETE; withdrawn kept) */
    {WITH_ID("inspection_action_documents", 14,
             "id, la_code, action_id, title, evidence_on, filename, kind, size, content,"
             " uploaded_by, created_at, withdrawn_at, withdrawn_by, withdrawn_reason"),
     {{"action_id", "inspection_actions"}}},
};
#undef WITH_ID
#undef NO_ID
#undef SHARED
#define COPY_TABLE_COUNT (sizeof copy_tables / sizeof copy_tables[0])

/* The tables deliberately left behind, and why. */
static const struct {
    const char *table, *why;
} copy_skipped[] = {
    {"schema_version", "each database keeps its own migration history (versions checked equal)"},
    {"portal_join_failures", "transient: failed portal joins for a 15-minute rate limit"},
    {"online_request_senders", "transient: online requests per address for the hourly limit"},
};
#define COPY_SKIPPED_COUNT (sizeof copy_skipped / sizeof copy_skipped[0])

/* What audit.object_id is an id of, by the object named: a plan is named by
 * its case, a waiting list by its pathway. Other objects (session,
 * caseload, dashboard, audit, sen2 ...) carry no id. */
static const struct {
    const char *object;
    const char *table;
} audit_objects[] = {
    {"child", "children"},
    {"case", "cases"},
    {"plan", "cases"},
    {"user", "users"},
    {"advice", "advice_requests"},
    {"pathway", "pathways"},
    {"waiting_list", "pathways"},
    {"referral", "referrals"},
    {"invitation", "portal_invitations"},
    {"submission", "portal_submissions"},
    {"message", "portal_messages"},
    {"inspection", "inspections"},
    {"inspection_action", "inspection_actions"},
    {"attachment", "portal_attachments"},
    {"family_access", "users"},
    {"preference", "users"},
    {"notification", "cases"},
    {"online_request", "online_requests"},
    {"views_request", "views_requests"},
    {"insp_document", "inspection_action_documents"},
};

/* One copy in progress: the two connections and the id shift of each
 * table with ids (by its index in copy_tables[]). */
typedef struct {
    sqlite3 *src;
    PGconn *dst;
    int64_t offset[COPY_TABLE_COUNT];
} copy_job;

/* One table's columns as the SELECT answers them: the table (index in
 * copy_tables[]) whose shift each one takes, whether it is binary, and
 * where audit's object column is. */
enum { SHIFT_NONE = -1, SHIFT_BY_OBJECT = -2 };
typedef struct {
    int ncols;
    int shift[COPY_COLS_MAX];
    bool binary[COPY_COLS_MAX];
    int object_col;
} copy_columns;

static int pg_failed(PGconn *c, const char *what)
{
    fprintf(stderr, "sendhub migrate: %s: %s", what, PQerrorMessage(c));
    return SH_EIO;
}

/* Runs a constant statement that answers at most one integer. */
static int pg_run(PGconn *c, const char *sql, int64_t *out)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? SH_OK : pg_failed(c, sql);
    if (rc == SH_OK && out)
        *out = PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return rc;
}

/* The index in copy_tables[] of the table with ids called `name`, or
 * SHIFT_NONE. */
static int id_table(const char *name)
{
    for (size_t i = 0; i < COPY_TABLE_COUNT; i++)
        if (copy_tables[i].high && strcmp(name, copy_tables[i].table) == 0)
            return (int)i;
    return SHIFT_NONE;
}

/* The shift of an audit entry's object_id, by what the object is. */
static int object_shift(const char *object)
{
    for (size_t i = 0; object && i < sizeof audit_objects / sizeof audit_objects[0]; i++)
        if (strcmp(object, audit_objects[i].object) == 0)
            return id_table(audit_objects[i].table);
    return SHIFT_NONE;
}

/* Copies the current source row into PostgreSQL, shifting ids. A BLOB
 * column's value is sent as binary, all its bytes (a BYTEA's), every other
 * as text. */
static int copy_row(copy_job *job, const copy_table *t, const copy_columns *cols,
                    sqlite3_stmt *st)
{
    const char *v[COPY_COLS_MAX];
    int len[COPY_COLS_MAX], fmt[COPY_COLS_MAX];
    char num[COPY_COLS_MAX][24];
    for (int i = 0; i < cols->ncols; i++) {
        int k = cols->shift[i];
        if (k == SHIFT_BY_OBJECT)
            k = object_shift((const char *)sqlite3_column_text(st, cols->object_col));
        fmt[i] = cols->binary[i];
        if (sqlite3_column_type(st, i) == SQLITE_NULL) {
            v[i] = NULL;
        } else if (fmt[i]) {
            v[i] = sqlite3_column_blob(st, i);
        } else if (k >= 0 && sqlite3_column_int64(st, i) != 0) {
            /* ids start at 1: an audit entry's object_id 0 names no row (a
             * list was read), and stays 0 */
            snprintf(num[i], sizeof num[i], "%lld",
                     (long long)(sqlite3_column_int64(st, i) + job->offset[k]));
            v[i] = num[i];
        } else {
            v[i] = (const char *)sqlite3_column_text(st, i);
        }
        len[i] = sqlite3_column_bytes(st, i);
    }
    return PQsendQueryPrepared(job->dst, t->table, cols->ncols, v, len, fmt, 0) == 1
               ? SH_OK
               : pg_failed(job->dst, t->table);
}

/* Ends a batch of pipelined inserts and reads every result up to the sync:
 * the first failure is reported (the rest of the batch is then skipped by
 * the server, PGRES_PIPELINE_ABORTED). */
static int pipeline_sync(PGconn *c, const char *what)
{
    int rc = PQpipelineSync(c) == 1 ? SH_OK : pg_failed(c, what);
    for (;;) {
        PGresult *r = PQgetResult(c);
        if (!r) {
            if (PQstatus(c) != CONNECTION_OK)
                return pg_failed(c, what);
            continue; /* the end of one insert's results */
        }
        ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_PIPELINE_SYNC && st != PGRES_PIPELINE_ABORTED
            && rc == SH_OK)
            rc = pg_failed(c, what);
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC)
            return rc;
    }
}

/* Runs a source statement answering one integer, with `bind` (or NULL) as
 * its one parameter. */
static int sqlite_int(sqlite3 *db, const char *sql, const char *bind, int64_t *n)
{
    sqlite3_stmt *st = NULL;
    int code = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (code == SQLITE_OK && bind)
        code = sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
    if (code == SQLITE_OK)
        code = sqlite3_step(st);
    *n = code == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (code == SQLITE_ROW)
        return SH_OK;
    fprintf(stderr, "sendhub migrate: %s: %s\n", sql, sqlite3_errmsg(db));
    return SH_EIO;
}

static int column_index(sqlite3_stmt *st, const char *name)
{
    for (int i = 0; i < sqlite3_column_count(st); i++)
        if (strcmp(sqlite3_column_name(st, i), name) == 0)
            return i;
    return -1;
}

/* Reads the SELECT's columns: every column of the source table must be in
 * it (a column added by a migration and missing here would be lost), and
 * every reference must name one of them and a table with ids. The id
 * column of a table with ids takes its own table's shift. A column
 * declared BLOB travels as binary whatever a value's storage class (text
 * with a NUL byte would be cut short as a text parameter). */
static int copy_columns_read(copy_job *job, const copy_table *t, sqlite3_stmt *st,
                             copy_columns *cols)
{
    int64_t in_table = 0;
    int rc = sqlite_int(job->src, "SELECT count(*) FROM pragma_table_info(?1)", t->table,
                        &in_table);
    cols->ncols = sqlite3_column_count(st);
    if (rc == SH_OK && (cols->ncols != in_table || cols->ncols > COPY_COLS_MAX)) {
        fprintf(stderr, "sendhub migrate: %s has %lld columns; the copy names %d (cmd_migrate.c)\n",
                t->table, (long long)in_table, cols->ncols);
        return SH_ECONFLICT;
    }
    for (int i = 0; i < cols->ncols; i++) {
        const char *decl = sqlite3_column_decltype(st, i);
        cols->binary[i] = decl && strcasecmp(decl, "BLOB") == 0;
        cols->shift[i] = SHIFT_NONE;
    }
    int id = column_index(st, "id");
    if (t->high && id >= 0)
        cols->shift[id] = (int)(t - copy_tables);
    cols->object_col = column_index(st, "object");
    for (int r = 0; rc == SH_OK && r < COPY_REFS_MAX && t->refs[r].column; r++) {
        bool by_object = strcmp(t->refs[r].table, BY_OBJECT) == 0;
        int col = column_index(st, t->refs[r].column);
        int shift = by_object ? SHIFT_BY_OBJECT : id_table(t->refs[r].table);
        if (col < 0 || shift == SHIFT_NONE || (by_object && cols->object_col < 0)) {
            fprintf(stderr, "sendhub migrate: %s: cannot shift %s by %s\n", t->table,
                    t->refs[r].column, t->refs[r].table);
            rc = SH_ECONFLICT;
        } else {
            cols->shift[col] = shift;
        }
    }
    return rc;
}

/* Sends every source row of the table, pipelined: in batches without
 * waiting for each answer (one round trip per batch, not per row). */
static int copy_rows(copy_job *job, const copy_table *t, const copy_columns *cols,
                     sqlite3_stmt *st)
{
    int rc = PQenterPipelineMode(job->dst) == 1 ? SH_OK : pg_failed(job->dst, "pipeline");
    int code = SQLITE_ROW, pending = 0;
    while (rc == SH_OK && (code = sqlite3_step(st)) == SQLITE_ROW) {
        rc = copy_row(job, t, cols, st);
        if (rc == SH_OK && ++pending == COPY_BATCH) {
            rc = pipeline_sync(job->dst, t->table);
            pending = 0;
        }
    }
    if (PQpipelineStatus(job->dst) == PQ_PIPELINE_ON) {
        int synced = pipeline_sync(job->dst, t->table);
        if (rc == SH_OK)
            rc = synced;
        PQexitPipelineMode(job->dst);
    }
    if (rc == SH_OK && code != SQLITE_DONE) {
        fprintf(stderr, "sendhub migrate: %s: %s\n", t->table, sqlite3_errmsg(job->src));
        rc = SH_EIO;
    }
    return rc;
}

/* Copies one table and checks that the target gained exactly the source's
 * rows (areas and settings: at most, as existing ones are kept). */
static int copy_one(copy_job *job, const copy_table *t)
{
    int64_t want = 0, before = 0, after = 0;
    sqlite3_stmt *st = NULL;
    copy_columns cols;
    int rc = sqlite_int(job->src, t->count, NULL, &want);
    if (rc == SH_OK)
        rc = pg_run(job->dst, t->count, &before);
    if (rc == SH_OK && sqlite3_prepare_v2(job->src, t->select, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "sendhub migrate: %s: %s\n", t->table, sqlite3_errmsg(job->src));
        rc = SH_EIO;
    }
    if (rc == SH_OK)
        rc = copy_columns_read(job, t, st, &cols);
    if (rc == SH_OK) {
        PGresult *r = PQprepare(job->dst, t->table, t->insert, cols.ncols, NULL);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SH_OK : pg_failed(job->dst, t->insert);
        PQclear(r);
    }
    if (rc == SH_OK)
        rc = copy_rows(job, t, &cols, st);
    sqlite3_finalize(st);
    if (rc == SH_OK)
        rc = pg_run(job->dst, t->count, &after);
    if (rc == SH_OK && (after - before > want || (!t->keep_existing && after - before != want))) {
        fprintf(stderr, "sendhub migrate: %s: %lld rows in the source but %lld copied\n",
                t->table, (long long)want, (long long)(after - before));
        rc = SH_EIO;
    }
    if (rc == SH_OK)
        printf("  %-25s %lld rows%s\n", t->table, (long long)want,
               after - before < want ? " (some already present, kept)" : "");
    return rc;
}

/* Locks the tables with ids against inserts and reads each one's shift. */
static int copy_prepare(copy_job *job)
{
    int rc = pg_run(job->dst, "SET LOCAL statement_timeout = 0", NULL);
    for (size_t i = 0; rc == SH_OK && i < COPY_TABLE_COUNT; i++)
        if (copy_tables[i].lock)
            rc = pg_run(job->dst, copy_tables[i].lock, NULL);
    for (size_t i = 0; rc == SH_OK && i < COPY_TABLE_COUNT; i++)
        if (copy_tables[i].high)
            rc = pg_run(job->dst, copy_tables[i].high, &job->offset[i]);
    return rc;
}

static int copy_all(copy_job *job)
{
    int rc = pg_run(job->dst, "BEGIN", NULL);
    if (rc == SH_OK)
        rc = copy_prepare(job);
    for (size_t i = 0; rc == SH_OK && i < COPY_TABLE_COUNT; i++)
        rc = copy_one(job, &copy_tables[i]);
    for (size_t i = 0; rc == SH_OK && i < COPY_TABLE_COUNT; i++)
        if (copy_tables[i].setval)
            rc = pg_run(job->dst, copy_tables[i].setval, NULL);
    if (rc == SH_OK)
        rc = pg_run(job->dst, "COMMIT", NULL);
    else
        pg_run(job->dst, "ROLLBACK", NULL);
    /* A bulk load leaves the planner without statistics until autovacuum
     * gets round to it; meanwhile every query may pick a sequential scan
     * (measured: 790 req/s on a case GET instead of thousands). Gather
     * them now, so the council is fast from its first request. */
    if (rc == SH_OK)
        rc = pg_run(job->dst, "ANALYZE", NULL);
    return rc;
}

static bool table_known(const char *name)
{
    for (size_t i = 0; i < COPY_TABLE_COUNT; i++)
        if (strcmp(name, copy_tables[i].table) == 0)
            return true;
    for (size_t i = 0; i < COPY_SKIPPED_COUNT; i++)
        if (strcmp(name, copy_skipped[i].table) == 0)
            return true;
    return false;
}

/* Refuses a source holding a table the copy would leave behind unnamed
 * (a migration newer than copy_tables[]): every one is reported. */
static int check_tables_known(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = SH_OK, code = sqlite3_prepare_v2(
        db, "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", -1, &st, NULL);
    if (code == SQLITE_OK)
        while ((code = sqlite3_step(st)) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            if (!table_known(name)) {
                fprintf(stderr, "sendhub migrate: table %s is neither copied nor skipped"
                                " (copy_tables[] in cmd_migrate.c)\n", name);
                rc = SH_ECONFLICT;
            }
        }
    sqlite3_finalize(st);
    if (code != SQLITE_DONE) {
        fprintf(stderr, "sendhub migrate: listing tables: %s\n", sqlite3_errmsg(db));
        return SH_EIO;
    }
    return rc;
}

static void list_tables(FILE *out)
{
    for (size_t i = 0; i < COPY_TABLE_COUNT; i++)
        fprintf(out, "copy %s\n", copy_tables[i].table);
    for (size_t i = 0; i < COPY_SKIPPED_COUNT; i++)
        fprintf(out, "skip %s: %s\n", copy_skipped[i].table, copy_skipped[i].why);
}

/* Opens a database through the store and brings it to the current schema. */
static int migrate_url(const char *url, int *version)
{
    store *s;
    int rc = store_open(url, &s);
    if (rc == SH_OK) {
        rc = store_migrate(s);
        if (rc == SH_OK)
            rc = store_schema_version(s, version);
        store_close(s);
    }
    if (rc)
        fprintf(stderr, "sendhub migrate: %s: %s\n", url, sh_strerror(rc));
    return rc;
}

static bool is_pg_url(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

/* Opens the (migrated) source read-only and checks it holds no table the
 * copy does not know, before the target is touched. */
static int open_source(const char *path, sqlite3 **db)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "sendhub migrate: %s: %s\n", path, sqlite3_errmsg(*db));
        return SH_EIO;
    }
    return check_tables_known(*db);
}

static int copy_sqlite_to_pg(const char *from, const char *to)
{
    int vfrom = 0, vto = 0;
    if (!is_pg_url(to) || is_pg_url(from) || strstr(from, "://")) {
        fprintf(stderr, "sendhub migrate: --from must be SQLite and --to PostgreSQL\n");
        return SH_EINVAL;
    }
    copy_job job = {0};
    const char *path = strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from;
    int rc = migrate_url(from, &vfrom);
    if (rc == SH_OK)
        rc = open_source(path, &job.src);
    if (rc == SH_OK)
        rc = migrate_url(to, &vto);
    if (rc == SH_OK && vfrom != vto) {
        fprintf(stderr, "sendhub migrate: schema versions differ (%d and %d)\n", vfrom, vto);
        rc = SH_EINVAL;
    }
    if (rc == SH_OK) {
        job.dst = PQconnectdb(to);
        if (PQstatus(job.dst) != CONNECTION_OK)
            rc = pg_failed(job.dst, "connect");
    }
    /* One read transaction on the source: a consistent snapshot to copy. */
    if (rc == SH_OK && sqlite3_exec(job.src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        rc = SH_EIO;
    if (rc == SH_OK) {
        printf("copying %s -> PostgreSQL (schema version %d)\n", path, vfrom);
        rc = copy_all(&job);
    }
    PQfinish(job.dst);
    sqlite3_close(job.src);
    return rc;
}

static int migrate_one_db(const char *db)
{
    int version = 0;
    int rc = migrate_url(db, &version);
    if (rc == SH_OK)
        printf("%s: schema version %d\n", db, version);
    return rc;
}

int cmd_migrate(int argc, char **argv)
{
    migrate_config cfg;
    const opt_group groups[] = {OPT_GROUP(migrate_specs, &cfg)};
    int rc = opt_parse(groups, 1, argc, argv, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "migrate",
                  "Creates the database or applies pending migrations (--db); or copies a"
                  " council's SQLite database into PostgreSQL (--from, --to), counts checked.",
                  groups, 1);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    if (cfg.list_tables) {
        list_tables(stdout);
        return CLI_EXIT_OK;
    }
    if (!cfg.from != !cfg.to) {
        fprintf(stderr, "sendhub migrate: --from and --to go together\n");
        return CLI_EXIT_USAGE;
    }
    rc = cfg.from ? copy_sqlite_to_pg(cfg.from, cfg.to) : migrate_one_db(cfg.db);
    if (rc == SH_EINVAL)
        return CLI_EXIT_USAGE;
    if (rc == SH_OK && cfg.from)
        printf("copied; counts match\n");
    return rc == SH_OK ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}
