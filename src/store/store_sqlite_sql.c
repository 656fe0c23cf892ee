/*
 * store_sqlite_sql.c — the SQLite half of the portable SQL layer (sql.h).
 *
 * SQLite speaks the portable dialect natively (?N parameters), so a
 * statement is the caller's text prepared once per connection
 * (SQLITE_PREPARE_PERSISTENT) and kept in the connection's cache until it
 * closes. Text and bytes are bound SQLITE_TRANSIENT (copied): sql.h only
 * asks callers to keep values alive until the first sql_next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/err.h"

typedef struct {
    sql_stmt base; /* first */
    sqlite3_stmt *st;
    int64_t changes;
} sq_sql;

static const sql_backend sq_sql_backend;

static int bind_one(sqlite3_stmt *st, int i, const sql_param *p)
{
    char iso[DATE_ISO_LEN + 1];
    switch (p->kind) {
    case SQL_P_TEXT:
        return sqlite3_bind_text64(st, i, p->v, p->len, SQLITE_TRANSIENT, SQLITE_UTF8);
    case SQL_P_INT:
        return sqlite3_bind_int64(st, i, p->i);
    case SQL_P_DATE:
        date_format((date_t)p->i, iso);
        return sqlite3_bind_text(st, i, iso, -1, SQLITE_TRANSIENT);
    case SQL_P_BLOB:
        return sqlite3_bind_blob64(st, i, p->v, p->len, SQLITE_TRANSIENT);
    case SQL_P_NULL:
        break;
    }
    return sqlite3_bind_null(st, i);
}

static int sq_sql_next(sql_stmt *base)
{
    sq_sql *q = (sq_sql *)base;
    if (!base->started) {
        base->started = true;
        for (int i = 0; i < base->nparams; i++) {
            int code = bind_one(q->st, i + 1, &base->p[i]);
            if (code != SQLITE_OK)
                return sqlite_store_fail(base->s, code, "bind");
        }
    }
    int code = sqlite3_step(q->st);
    if (code == SQLITE_ROW)
        return SQL_ROW;
    if (code == SQLITE_DONE) {
        q->changes = sqlite3_changes64(sqlite_store_db(base->s));
        return SH_OK;
    }
    return sqlite_store_fail(base->s, code, "statement");
}

static const char *sq_sql_col_text(sql_stmt *base, int c)
{
    return (const char *)sqlite3_column_text(((sq_sql *)base)->st, c);
}

static bool sq_sql_col_int(sql_stmt *base, int c, int64_t *v)
{
    sqlite3_stmt *st = ((sq_sql *)base)->st;
    if (sqlite3_column_type(st, c) == SQLITE_NULL)
        return false;
    *v = sqlite3_column_int64(st, c);
    return true;
}

static int sq_sql_col_blob(sql_stmt *base, int c, arena *a, const unsigned char **out,
                           size_t *len)
{
    sqlite3_stmt *st = ((sq_sql *)base)->st;
    const void *v = sqlite3_column_blob(st, c);
    size_t n = (size_t)sqlite3_column_bytes(st, c);
    *out = NULL;
    *len = 0;
    if (!v)
        return SH_OK;
    unsigned char *copy = arena_alloc(a, n ? n : 1);
    if (!copy)
        return SH_ENOMEM;
    memcpy(copy, v, n);
    *out = copy;
    *len = n;
    return SH_OK;
}

static int64_t sq_sql_changes(sql_stmt *base)
{
    return ((sq_sql *)base)->changes;
}

static void sq_sql_finish(sql_stmt *base)
{
    sq_sql *q = (sq_sql *)base;
    sqlite3_reset(q->st);
    sqlite3_clear_bindings(q->st);
    q->changes = 0;
}

static const sql_backend sq_sql_backend = {
    .next = sq_sql_next,
    .col_text = sq_sql_col_text,
    .col_int = sq_sql_col_int,
    .col_blob = sq_sql_col_blob,
    .changes = sq_sql_changes,
    .finish = sq_sql_finish,
};

static int sq_sql_new(store *s, const char *sql, int slot, sql_stmt **out)
{
    (void)slot;
    sqlite3_stmt *st = NULL;
    int code = sqlite3_prepare_v3(sqlite_store_db(s), sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                                  NULL);
    if (code != SQLITE_OK)
        return sqlite_store_fail(s, code, "prepare");
    int nparams = sqlite3_bind_parameter_count(st);
    sq_sql *q = calloc(1, sizeof *q);
    if (!q || nparams > SQL_PARAMS_MAX) {
        if (q)
            fprintf(stderr, "store: %d parameters, at most %d: %.60s\n", nparams,
                    SQL_PARAMS_MAX, sql);
        sqlite3_finalize(st);
        free(q);
        return q ? SH_EINVAL : SH_ENOMEM;
    }
    q->base.ops = &sq_sql_backend;
    q->base.s = s;
    q->base.sql = sql;
    q->base.nparams = nparams;
    q->st = st;
    *out = &q->base;
    return SH_OK;
}

int sqlite_sql_prepare(store *s, const char *sql, sql_stmt **out)
{
    return sql_cache_prepare(s, sql, sq_sql_new, out);
}

static void sq_sql_destroy(sql_stmt *base)
{
    sq_sql *q = (sq_sql *)base;
    sqlite3_finalize(q->st);
    free(q);
}

void sqlite_sql_free(store *s)
{
    sql_cache_free(s, sq_sql_destroy);
}
