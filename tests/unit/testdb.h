/*
 * testdb.h — a fresh database for each test, on either backend.
 *
 *   const char *url = testdb_url();   a new, empty database: a temporary
 *                                     SQLite file by default; when the
 *                                     environment variable SENDHUB_TEST_PG
 *                                     is a server URL (postgresql://user@
 *                                     127.0.0.1:PORT/postgres), a database
 *                                     CREATEd on it for this test
 *   testdb_url_empty()                the same, but always empty, also when
 *                                     SENDHUB_TEST_PG_TEMPLATE is set (below):
 *                                     for tests of migration itself
 *   testdb_drop(url);                 removes it (file and -wal/-shm, or
 *                                     DROP DATABASE ... WITH (FORCE))
 *   testdb_is_pg(url)                 which backend the URL names
 *   testdb_dialect()                  "postgresql" or "sqlite": the migration
 *                                     dialect testdb_url() databases use
 *   testdb_count(url, sql)            runs one SQL text that answers one
 *                                     integer (SELECT count(*) ...), through
 *                                     a connection of its own; -1 on error
 *   testdb_exec(url, sql)             runs SQL that answers nothing; 0 or -1
 *
 * SENDHUB_TEST_PG_TEMPLATE names a database on that server to copy instead
 * of starting empty (CREATE DATABASE ... TEMPLATE): scripts/pg-partitioned.sh
 * uses it to run the store tests on a schema whose big tables are
 * partitioned by la_code. Such a copy is already migrated.
 *
 * Header-only, for cmocka tests linked with sqlite3 and libpq. A URL lives in
 * one of TESTDB_SLOTS static buffers, reused round-robin, so a test may hold
 * a few at once (its fixture's and a second one) without freeing anything.
 * Database names are made here from the pid and a counter, never from input;
 * an identifier cannot be a bound parameter, hence the one formatted DDL.
 */
#ifndef SH_TESTDB_H
#define SH_TESTDB_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TESTDB_SLOTS 8
#define TESTDB_URL_MAX 512

static inline bool testdb_is_pg(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

static inline const char *testdb_dialect(void)
{
    const char *server = getenv("SENDHUB_TEST_PG");
    return server && *server ? "postgresql" : "sqlite";
}

static inline char *testdb_slot(void)
{
    static char urls[TESTDB_SLOTS][TESTDB_URL_MAX];
    static unsigned next;
    return urls[next++ % TESTDB_SLOTS];
}

/* Splits a server URL around its database name: *db_at is where the name
 * starts (after the '/' that follows host and port), *db_end where it ends
 * ('?' or the end). false when the URL has no such '/'. */
static inline bool testdb_split(const char *url, const char **db_at, const char **db_end)
{
    const char *host = strstr(url, "://");
    const char *slash = host ? strchr(host + 3, '/') : NULL;
    if (!slash)
        return false;
    *db_at = slash + 1;
    *db_end = *db_at + strcspn(*db_at, "?");
    return true;
}

/* Runs one DDL statement on the server database named by SENDHUB_TEST_PG. */
static inline int testdb_server_exec(const char *sql)
{
    PGconn *c = PQconnectdb(getenv("SENDHUB_TEST_PG"));
    int rc = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, sql);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
        if (rc)
            fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
    } else {
        fprintf(stderr, "testdb: %s", PQerrorMessage(c));
    }
    PQfinish(c);
    return rc;
}

static inline const char *testdb_pg_url(const char *server, const char *tmpl)
{
    static unsigned counter;
    const char *db_at, *db_end;
    char name[64], sql[256];
    char *url = testdb_slot();
    if (!testdb_split(server, &db_at, &db_end))
        return NULL;
    snprintf(name, sizeof name, "sendhub_test_%ld_%u", (long)getpid(), counter++);
    if (tmpl && *tmpl)
        snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %.100s", name, tmpl);
    else
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (testdb_server_exec(sql) != 0)
        return NULL;
    snprintf(url, TESTDB_URL_MAX, "%.*s%s%s", (int)(db_at - server), server, name, db_end);
    return url;
}

static inline const char *testdb_sqlite_url(void)
{
    char *url = testdb_slot();
    snprintf(url, TESTDB_URL_MAX, "/tmp/sendhub-test-XXXXXX");
    int fd = mkstemp(url);
    if (fd < 0)
        return NULL;
    close(fd);
    return url;
}

/* A fresh database URL, or NULL (with a message) when none can be made. */
static inline const char *testdb_url(void)
{
    const char *server = getenv("SENDHUB_TEST_PG");
    return server && *server ? testdb_pg_url(server, getenv("SENDHUB_TEST_PG_TEMPLATE"))
                             : testdb_sqlite_url();
}

static inline const char *testdb_url_empty(void)
{
    const char *server = getenv("SENDHUB_TEST_PG");
    return server && *server ? testdb_pg_url(server, NULL) : testdb_sqlite_url();
}

static inline void testdb_drop(const char *url)
{
    if (!url)
        return;
    if (!testdb_is_pg(url)) {
        static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
            char p[TESTDB_URL_MAX + 16];
            snprintf(p, sizeof p, "%s%s", url, suffix[i]);
            unlink(p);
        }
        return;
    }
    const char *db_at, *db_end;
    char sql[160];
    if (!testdb_split(url, &db_at, &db_end))
        return;
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %.*s WITH (FORCE)",
             (int)(db_end - db_at), db_at);
    testdb_server_exec(sql);
}

static inline int64_t testdb_pg_count(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    int64_t n = -1;
    PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else
        fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return n;
}

static inline int64_t testdb_sqlite_count(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (strncmp(path, "sqlite:", 7) == 0)
        path += 7;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
        && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static inline int64_t testdb_count(const char *url, const char *sql)
{
    return testdb_is_pg(url) ? testdb_pg_count(url, sql) : testdb_sqlite_count(url, sql);
}

static inline int testdb_exec(const char *url, const char *sql)
{
    if (testdb_is_pg(url)) {
        PGconn *c = PQconnectdb(url);
        PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
        PQclear(r);
        PQfinish(c);
        return rc;
    }
    sqlite3 *db = NULL;
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    int rc = sqlite3_open_v2(url, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
                     && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    sqlite3_close(db);
    return rc;
}

#endif
