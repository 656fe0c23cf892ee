/*
 * sql.h — one SQL text run on either backend, for the store modules written
 * once over both dialects (store_health.c, store_plan.c, ...).
 *
 * Why: the first store functions (store.h) were written twice, once per
 * dialect, because they lean on each engine's strengths (SQLite's partial
 * indexes, PostgreSQL's row locks). Most later tables are plain rows read
 * and written with plain SQL; writing them twice doubles the code and the
 * ways to get one backend wrong. This layer lets such a module keep one
 * constant SQL text per statement, prepared once per connection by each
 * backend and run with bound values. It is internal to store/: layers above
 * call the module's domain functions (store_referral_insert ...), never SQL.
 *
 * The portable dialect. Write every statement so both engines accept it:
 *   - parameters are ?1 .. ?N (at most SQL_PARAMS_MAX); each may appear more
 *     than once. PostgreSQL gets them as $1 .. $N (rewritten once, at
 *     prepare, outside quoted literals). No SQL is ever built from values.
 *   - a parameter whose type PostgreSQL cannot infer from its column (in
 *     `?3 IS NULL`, in a SELECT list, in arithmetic) must be wrapped:
 *     CAST(?3 AS TEXT), CAST(?3 AS BIGINT). Both engines accept that.
 *   - dates are bound and read as ISO 'YYYY-MM-DD' (sql_bind_date /
 *     sql_col_date): TEXT columns in SQLite, DATE columns in PostgreSQL
 *     (whose DateStyle the backend pins to ISO). Compare dates in SQL with
 *     = < >=, never compute with them there: date arithmetic is core/'s.
 *   - bytes are BLOB (SQLite) / BYTEA (PostgreSQL), via sql_bind_blob and
 *     sql_col_blob.
 *   - flags are SMALLINT 0/1 columns in both (not BOOLEAN), ids are
 *     `INTEGER PRIMARY KEY` (SQLite) / `BIGINT GENERATED ... AS IDENTITY`
 *     (PostgreSQL) and come back with `RETURNING id`.
 *   - text ordering: declare ordered text columns COLLATE "C" in
 *     PostgreSQL so both order bytewise.
 *   - upserts with ON CONFLICT (...) DO UPDATE / DO NOTHING; pages with
 *     LIMIT ?n OFFSET ?m; NULLS LAST where NULLs must sort last.
 *   - no engine functions beyond count/sum/min/max/coalesce/lower/length.
 * Each dialect's schema lives in its own numbered migration as before.
 *
 * Use:
 *     sql_stmt *q;
 *     int rc = sql_prepare(s, SQL_REFERRAL_GET, &q);     // cached per connection
 *     if (rc) return rc;
 *     sql_bind_text(q, 1, la_code);
 *     sql_bind_int(q, 2, id);
 *     while ((rc = sql_next(q)) == SQL_ROW) {
 *         const char *name = sql_col_text(q, 0);          // valid until next sql_next
 *     }
 *     sql_finish(q);                                      // always, whatever rc was
 *     return rc;                                          // SH_OK when rows ran out
 *
 * The SQL text is identified by its address, so it must be a constant with
 * static storage (a `static const char SQL_X[] = "..."`): the backend keeps
 * its prepared form keyed on that pointer for the life of the connection.
 * One statement cannot be open twice at once (sql_prepare of a statement
 * not yet finished fails with SH_EINVAL and a log line: a bug); different
 * statements may be open together.
 *
 * Values passed to sql_bind_text must stay valid until the first sql_next.
 * Column values are valid until the next sql_next or sql_finish: copy them
 * (sql_col_dup) to keep them.
 *
 * Errors (returned by sql_prepare, sql_next, sql_exec, sql_one): as store.h
 * — SH_ECONFLICT for a unique key, SH_ENOTFOUND for a missing parent row (a
 * foreign key) or, from sql_one, no row at all, SH_EUNAVAIL for the
 * database busy or gone, SH_EIO for anything else (logged), SH_EINVAL for a
 * misuse (too many parameters, a statement open twice). A bind error (a
 * parameter number out of range) is remembered and reported by sql_next.
 */
#ifndef SH_STORE_SQL_H
#define SH_STORE_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "store/store.h"
#include "util/arena.h"

#define SQL_PARAMS_MAX 32
#define SQL_ROW 1 /* sql_next: a row is ready */

typedef struct sql_stmt sql_stmt;

/* Gets the connection's prepared form of `sql` (preparing it on first use),
 * reset and with every parameter NULL. */
int sql_prepare(store *s, const char *sql, sql_stmt **out);

/* Parameters, numbered from 1. Text that is NULL is SQL NULL; "" is an
 * empty string (use sql_bind_text_opt where "" means absent). */
void sql_bind_text(sql_stmt *q, int i, const char *v);
void sql_bind_text_opt(sql_stmt *q, int i, const char *v); /* NULL or "" -> NULL */
void sql_bind_int(sql_stmt *q, int i, int64_t v);
void sql_bind_int_opt(sql_stmt *q, int i, int64_t v, int64_t none); /* none -> NULL */
void sql_bind_date(sql_stmt *q, int i, date_t d);                   /* DATE_NONE -> NULL */
void sql_bind_null(sql_stmt *q, int i);
/* Bytes (a BLOB in SQLite, bytea in PostgreSQL): an attachment's content. */
void sql_bind_blob(sql_stmt *q, int i, const void *v, size_t len);

/* Runs the statement (on the first call) and moves to the next row: SQL_ROW,
 * SH_OK when there are no more, or an error. */
int sql_next(sql_stmt *q);

/* Columns of the current row, numbered from 0. */
bool sql_col_null(sql_stmt *q, int c);
const char *sql_col_text(sql_stmt *q, int c);      /* NULL when NULL */
int64_t sql_col_int(sql_stmt *q, int c);            /* 0 when NULL */
int64_t sql_col_int_or(sql_stmt *q, int c, int64_t none);
date_t sql_col_date(sql_stmt *q, int c);            /* DATE_NONE when NULL or not a date */
/* Copies a text column into the arena ("" for NULL): SH_ENOMEM at the ceiling. */
int sql_col_dup(sql_stmt *q, int c, arena *a, const char **out);
/* Copies a text column into a fixed array (truncating is a stored-data
 * fault: SH_EIO with a log line). */
int sql_col_copy(sql_stmt *q, int c, char *out, size_t cap);
/* Copies a BLOB/bytea column into the arena: *len bytes (0 for NULL). */
int sql_col_blob(sql_stmt *q, int c, arena *a, const unsigned char **out, size_t *len);

/* Rows the last INSERT/UPDATE/DELETE run by this statement changed. */
int64_t sql_changes(sql_stmt *q);

/* Releases the statement for its next use (resets it, frees the result). */
void sql_finish(sql_stmt *q);

/* Conveniences over the above; each finishes the statement itself.
 * sql_exec runs a command; sql_exec_changed also fails with SH_ENOTFOUND
 * when it changed no row (an UPDATE of a row not in that area). */
int sql_exec(sql_stmt *q);
int sql_exec_changed(sql_stmt *q);
/* For a statement returning one row: SQL_ROW is turned into SH_OK and the
 * row stays readable until sql_finish (the caller must finish); no row is
 * SH_ENOTFOUND (already finished). */
int sql_one(sql_stmt *q);
/* Runs a statement returning a single integer (count(*), RETURNING id). */
int sql_int(sql_stmt *q, int64_t *out);

/* ---- lists: every store list has the same ceiling-and-arena shape ---- */

/* Reads the current row of q into the record at `row` (text into the arena). */
typedef int (*sql_row_fn)(sql_stmt *q, arena *a, void *row);

/* Steps a prepared, bound statement, reading at most `max` rows into an
 * arena array of `size`-byte records with row(), and finishes q in every
 * case. *out (zeroed records) and *n on success; NULL and 0 on failure.
 * Rows past max are not read: the statement's own LIMIT should say max. */
int sql_rows(sql_stmt *q, arena *a, size_t max, size_t size, sql_row_fn row, void **out,
             size_t *n);
/* Prepares sql bound as (?1 la_code, ?2 parent, ?3 max), or as (?1 la_code,
 * ?2 max) when parent < 0, and reads it with sql_rows: one area's rows
 * under one parent (a case's messages, an inspection's findings). */
int sql_list(store *s, const char *sql, const char *la_code, int64_t parent, size_t max,
             size_t size, sql_row_fn row, arena *a, void **out, size_t *n);

#endif
