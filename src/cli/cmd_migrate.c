/*
 * cmd_migrate.c — `sendhub migrate`: create or upgrade a database, or move a
 * council's data from SQLite to PostgreSQL.
 *
 *   sendhub migrate --db URL                    applies pending migrations
 *   sendhub migrate --from sqlite:FILE --to postgresql://...
 *
 * The copy brings both databases to the current schema (the same version
 * numbers in both dialects), then copies every table in one PostgreSQL
 * transaction and checks the counts before committing: all or nothing.
 *
 * Ids. Into an empty database the ids are kept as they are. Into a database
 * that already holds other councils (a regional or national one), every id
 * is shifted by that table's current maximum, and every reference with it
 * (a case's child, an event's case and the event it supersedes, a token's
 * user, an audit entry's child and object), so nothing collides and every
 * link still holds. The tables taking ids are locked against inserts while
 * the copy runs (SHARE ROW EXCLUSIVE: reads go on, writes wait), so the
 * shift is safe with live servers on the target. Areas and settings that
 * are already there are kept; usernames must be new (a clash fails the copy).
 *
 * The statements below are constant texts, one SELECT (SQLite) and one
 * INSERT (PostgreSQL) per table over the same column list; values travel as
 * text (SQLite's 0/1 flags are valid PostgreSQL booleans, its ISO dates
 * valid DATEs) and the token hash as binary.
 */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "store/store.h"
#include "util/err.h"

typedef struct {
    const char *db;
    const char *from;
    const char *to;
} migrate_config;

static const opt_spec migrate_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(migrate_config, db),
     "database to create or upgrade: a file path, sqlite:PATH or postgresql://..."},
    {"from", OPT_STR, NULL, 0, 0, offsetof(migrate_config, from),
     "copy from this SQLite database (sqlite:FILE or a path) ..."},
    {"to", OPT_STR, NULL, 0, 0, offsetof(migrate_config, to),
     "... into this PostgreSQL database (postgresql://...), counts checked"},
};

/* Which id sequence a column's value belongs to, so it can be shifted. */
enum id_kind { ID_NONE, ID_CHILD, ID_CASE, ID_EVENT, ID_USER, ID_AUDIT, ID_BY_OBJECT,
               ID_KINDS = ID_BY_OBJECT };

#define COPY_COLS_MAX 16
#define COPY_BATCH 1000 /* rows sent before waiting for their answers */

typedef struct {
    const char *table;
    const char *count;  /* both dialects */
    bool keep_existing; /* rows already in the target are kept (ON CONFLICT DO NOTHING) */
    const char *select; /* SQLite: the columns in order */
    const char *insert; /* PostgreSQL: the same columns as $1..$n */
    int ncols;
    enum id_kind ids[COPY_COLS_MAX]; /* per column: the sequence it refers to */
    int blob_col;                    /* the one binary column, -1 none */
    int object_col;                  /* audit: the column naming the object */
} copy_table;

#define TABLE(name, keep) name, "SELECT count(*) FROM " name, keep

/* In dependency order (parents first). */
static const copy_table copy_tables[] = {
    {TABLE("areas", true), "SELECT la_code, name FROM areas",
     "INSERT INTO areas (la_code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING", 2,
     {ID_NONE}, -1, -1},
    {TABLE("settings", true), "SELECT urn, la_code, name, type FROM settings",
     "INSERT INTO settings (urn, la_code, name, type) VALUES ($1, $2, $3, $4)"
     " ON CONFLICT DO NOTHING",
     4, {ID_NONE}, -1, -1},
    {TABLE("children", false),
     "SELECT id, la_code, forename, surname, date_of_birth, upn, nhs_number, postcode,"
     " sen_need1, sen_need2, setting_urn, created_at FROM children ORDER BY id",
     "INSERT INTO children (id, la_code, forename, surname, date_of_birth, upn, nhs_number,"
     " postcode, sen_need1, sen_need2, setting_urn, created_at) OVERRIDING SYSTEM VALUE"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
     12, {ID_CHILD}, -1, -1},
    {TABLE("cases", false),
     "SELECT id, la_code, child_id, coordinator, opened_at, stage, request_date,"
     " final_plan_date, next_due, next_step, within_20_weeks, exceptions_apply, event_count,"
     " open_advice FROM cases ORDER BY id",
     "INSERT INTO cases (id, la_code, child_id, coordinator, opened_at, stage, request_date,"
     " final_plan_date, next_due, next_step, within_20_weeks, exceptions_apply, event_count,"
     " open_advice) OVERRIDING SYSTEM VALUE"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
     14, {ID_CASE, ID_NONE, ID_CHILD}, -1, -1},
    {TABLE("events", false),
     "SELECT id, la_code, case_id, type, date, agency, outcome, exception_reason, cease_reason,"
     " transfer_year, transfer_to, supersedes, reason, replacement, recorded_by, recorded_at"
     " FROM events ORDER BY id",
     "INSERT INTO events (id, la_code, case_id, type, date, agency, outcome, exception_reason,"
     " cease_reason, transfer_year, transfer_to, supersedes, reason, replacement, recorded_by,"
     " recorded_at) OVERRIDING SYSTEM VALUE"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
     16,
     {ID_EVENT, ID_NONE, ID_CASE, ID_NONE, ID_NONE, ID_NONE, ID_NONE, ID_NONE, ID_NONE, ID_NONE,
      ID_NONE, ID_EVENT},
     -1, -1},
    {TABLE("users", false),
     "SELECT id, la_code, username, display_name, email, role, organisation, setting_urn,"
     " password_hash, disabled, failed_sign_ins, locked_until, created_at, last_sign_in"
     " FROM users ORDER BY id",
     "INSERT INTO users (id, la_code, username, display_name, email, role, organisation,"
     " setting_urn, password_hash, disabled, failed_sign_ins, locked_until, created_at,"
     " last_sign_in) OVERRIDING SYSTEM VALUE"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
     14, {ID_USER}, -1, -1},
    {TABLE("tokens", false),
     "SELECT hash, user_id, kind, csrf, label, created_at, last_used, expires_at FROM tokens",
     "INSERT INTO tokens (hash, user_id, kind, csrf, label, created_at, last_used, expires_at)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
     8, {ID_NONE, ID_USER}, 0, -1},
    {TABLE("audit", false),
     "SELECT id, at, la_code, username, role, action, object, object_id, child_id, detail,"
     " remote FROM audit ORDER BY id",
     "INSERT INTO audit (id, at, la_code, username, role, action, object, object_id, child_id,"
     " detail, remote) OVERRIDING SYSTEM VALUE"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
     11, {ID_AUDIT, ID_NONE, ID_NONE, ID_NONE, ID_NONE, ID_NONE, ID_NONE, ID_BY_OBJECT, ID_CHILD},
     -1, 6},
};
#undef TABLE
#define COPY_TABLE_COUNT (sizeof copy_tables / sizeof copy_tables[0])

/* Constant statements per id table: its current high-water mark (the
 * larger of max(id) and the sequence's last value, which a rolled-back
 * insert may have moved on), and moving the sequence past the copied ids. */
static const char *const id_high_sql[ID_KINDS] = {
#define HIGH(t)                                                                  \
    "SELECT greatest((SELECT coalesce(max(id), 0) FROM " t "),"                  \
    " coalesce(pg_sequence_last_value(pg_get_serial_sequence('" t "', 'id')), 0))"
    [ID_CHILD] = HIGH("children"), [ID_CASE] = HIGH("cases"), [ID_EVENT] = HIGH("events"),
    [ID_USER] = HIGH("users"), [ID_AUDIT] = HIGH("audit"),
#undef HIGH
};
static const char *const id_setval_sql[ID_KINDS] = {
#define SETVAL(t)                                                                \
    "SELECT setval(pg_get_serial_sequence('" t "', 'id'),"                       \
    " (SELECT greatest(coalesce(max(id), 0), 1) FROM " t "))"
    [ID_CHILD] = SETVAL("children"), [ID_CASE] = SETVAL("cases"), [ID_EVENT] = SETVAL("events"),
    [ID_USER] = SETVAL("users"), [ID_AUDIT] = SETVAL("audit"),
#undef SETVAL
};

/* One copy in progress: the two connections and the id shifts. */
typedef struct {
    sqlite3 *src;
    PGconn *dst;
    int64_t offset[ID_KINDS];
} copy_job;

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

/* The shift of an audit entry's object_id, by what the object is. */
static enum id_kind object_kind(const char *object)
{
    if (!object)
        return ID_NONE;
    if (strcmp(object, "case") == 0)
        return ID_CASE;
    if (strcmp(object, "child") == 0)
        return ID_CHILD;
    if (strcmp(object, "user") == 0)
        return ID_USER;
    return ID_NONE;
}

/* Copies the current source row into PostgreSQL, shifting ids. */
static int copy_row(copy_job *job, const copy_table *t, sqlite3_stmt *st)
{
    const char *v[COPY_COLS_MAX];
    int len[COPY_COLS_MAX], fmt[COPY_COLS_MAX];
    char num[COPY_COLS_MAX][24];
    for (int i = 0; i < t->ncols; i++) {
        enum id_kind k = t->ids[i];
        if (k == ID_BY_OBJECT)
            k = object_kind((const char *)sqlite3_column_text(st, t->object_col));
        len[i] = sqlite3_column_bytes(st, i);
        fmt[i] = i == t->blob_col;
        if (sqlite3_column_type(st, i) == SQLITE_NULL) {
            v[i] = NULL;
        } else if (fmt[i]) {
            v[i] = sqlite3_column_blob(st, i);
        } else if (k != ID_NONE) {
            snprintf(num[i], sizeof num[i], "%lld",
                     (long long)(sqlite3_column_int64(st, i) + job->offset[k]));
            v[i] = num[i];
        } else {
            v[i] = (const char *)sqlite3_column_text(st, i);
        }
    }
    return PQsendQueryPrepared(job->dst, t->table, t->ncols, v, len, fmt, 0) == 1
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

static int count_sqlite(sqlite3 *db, const char *sql, int64_t *n)
{
    sqlite3_stmt *st = NULL;
    int code = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (code == SQLITE_OK)
        code = sqlite3_step(st);
    *n = code == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (code == SQLITE_ROW)
        return SH_OK;
    fprintf(stderr, "sendhub migrate: %s: %s\n", sql, sqlite3_errmsg(db));
    return SH_EIO;
}

/* Copies one table and checks that the target gained exactly the source's
 * rows (areas and settings: at most, as existing ones are kept). */
static int copy_one(copy_job *job, const copy_table *t)
{
    int64_t want = 0, before = 0, after = 0;
    sqlite3_stmt *st = NULL;
    int rc = count_sqlite(job->src, t->count, &want);
    if (rc == SH_OK)
        rc = pg_run(job->dst, t->count, &before);
    if (rc == SH_OK) {
        PGresult *r = PQprepare(job->dst, t->table, t->insert, t->ncols, NULL);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SH_OK : pg_failed(job->dst, t->insert);
        PQclear(r);
    }
    if (rc == SH_OK && sqlite3_prepare_v2(job->src, t->select, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "sendhub migrate: %s: %s\n", t->table, sqlite3_errmsg(job->src));
        rc = SH_EIO;
    }
    /* Pipelined: rows are sent in batches without waiting for each answer
     * (one round trip per batch, not per row). */
    if (rc == SH_OK && PQenterPipelineMode(job->dst) != 1)
        rc = pg_failed(job->dst, "pipeline");
    int code = SQLITE_ROW, pending = 0;
    while (rc == SH_OK && (code = sqlite3_step(st)) == SQLITE_ROW) {
        rc = copy_row(job, t, st);
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
    if (rc == SH_OK && code != SQLITE_DONE)
        rc = SH_EIO;
    sqlite3_finalize(st);
    if (rc == SH_OK)
        rc = pg_run(job->dst, t->count, &after);
    if (rc == SH_OK && (after - before > want || (!t->keep_existing && after - before != want))) {
        fprintf(stderr, "sendhub migrate: %s: %lld rows in the source but %lld copied\n",
                t->table, (long long)want, (long long)(after - before));
        rc = SH_EIO;
    }
    if (rc == SH_OK)
        printf("  %-9s %lld rows%s\n", t->table, (long long)want,
               after - before < want ? " (some already present, kept)" : "");
    return rc;
}

/* Locks the id tables against inserts and reads each one's shift. */
static int copy_prepare(copy_job *job)
{
    int rc = pg_run(job->dst, "SET LOCAL statement_timeout = 0", NULL);
    if (rc == SH_OK)
        rc = pg_run(job->dst, "LOCK TABLE children, cases, events, users, audit"
                              " IN SHARE ROW EXCLUSIVE MODE", NULL);
    for (int k = ID_CHILD; rc == SH_OK && k < ID_KINDS; k++)
        rc = pg_run(job->dst, id_high_sql[k], &job->offset[k]);
    return rc;
}

static int copy_all(copy_job *job)
{
    int rc = pg_run(job->dst, "BEGIN", NULL);
    if (rc == SH_OK)
        rc = copy_prepare(job);
    for (size_t i = 0; rc == SH_OK && i < COPY_TABLE_COUNT; i++)
        rc = copy_one(job, &copy_tables[i]);
    for (int k = ID_CHILD; rc == SH_OK && k < ID_KINDS; k++)
        rc = pg_run(job->dst, id_setval_sql[k], NULL);
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

static int copy_sqlite_to_pg(const char *from, const char *to)
{
    int vfrom = 0, vto = 0;
    if (!is_pg_url(to) || is_pg_url(from) || strstr(from, "://")) {
        fprintf(stderr, "sendhub migrate: --from must be SQLite and --to PostgreSQL\n");
        return SH_EINVAL;
    }
    int rc = migrate_url(from, &vfrom);
    if (rc == SH_OK)
        rc = migrate_url(to, &vto);
    if (rc == SH_OK && vfrom != vto) {
        fprintf(stderr, "sendhub migrate: schema versions differ (%d and %d)\n", vfrom, vto);
        rc = SH_EINVAL;
    }
    if (rc != SH_OK)
        return rc;
    copy_job job = {0};
    const char *path = strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from;
    if (sqlite3_open_v2(path, &job.src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "sendhub migrate: %s: %s\n", path, sqlite3_errmsg(job.src));
        rc = SH_EIO;
    }
    job.dst = PQconnectdb(to);
    if (rc == SH_OK && PQstatus(job.dst) != CONNECTION_OK)
        rc = pg_failed(job.dst, "connect");
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
