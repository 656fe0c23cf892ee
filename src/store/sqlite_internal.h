/*
 * sqlite_internal.h — what store_sqlite.c shares with the SQLite half of the
 * portable SQL layer (store_sqlite_sql.c). Internal to store/.
 */
#ifndef SH_STORE_SQLITE_INTERNAL_H
#define SH_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/backend.h"

/* The connection's handle. */
sqlite3 *sqlite_store_db(store *s);
/* Maps an SQLite result code to an rc as every store call does (and logs
 * what the caller cannot anticipate). */
int sqlite_store_fail(store *s, int code, const char *what);

/* store_sqlite_sql.c: the ops table's sql_prepare, and the cache's release
 * (before the connection closes: SQLite refuses to close with statements). */
int sqlite_sql_prepare(store *s, const char *sql, sql_stmt **out);
void sqlite_sql_free(store *s);

#endif
