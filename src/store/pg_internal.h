/*
 * pg_internal.h — what store_pg.c shares with the PostgreSQL half of the
 * portable SQL layer (store_pg_sql.c). Internal to store/.
 */
#ifndef SH_STORE_PG_INTERNAL_H
#define SH_STORE_PG_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "store/backend.h"

PGconn *pg_store_conn(store *s);
/* Makes the connection usable (reconnecting a broken one, as every store
 * call does): SH_OK or SH_EUNAVAIL. */
int pg_store_ready(store *s);
/* Maps a failed result (or NULL) to an rc as every store call does. */
int pg_store_fail(store *s, const PGresult *r, const char *what);
/* Inside a transaction of ours (a lost connection then must not be retried). */
bool pg_store_in_tx(store *s);
/* Counts (re)connections: statements prepared under an older number must be
 * prepared again. */
unsigned pg_store_session(store *s);

/* store_pg_sql.c: the ops table's sql_prepare, and the cache's release. */
int pg_sql_prepare(store *s, const char *sql, sql_stmt **out);
void pg_sql_free(store *s);

#endif
