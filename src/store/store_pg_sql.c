/*
 * store_pg_sql.c — the PostgreSQL half of the portable SQL layer (sql.h).
 *
 * A statement's text is rewritten once, from the portable ?N parameters to
 * PostgreSQL's $N (outside quoted literals and identifiers), and prepared
 * under the name "x<slot>" on first use by each session of the connection
 * (a reconnect forgets prepared statements; pg_store_session tells). It runs
 * with PQexecPrepared: text parameters, except bytes, which go binary; the
 * whole result is fetched at once and sql_next walks its rows.
 *
 * As every store call: a plain read that finds the connection dead outside
 * a transaction is tried once more on a new connection; a write is not (it
 * may have been applied), nor anything inside a transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"
#include "util/err.h"

typedef struct {
    sql_stmt base; /* first */
    char *text;    /* the rewritten SQL */
    char name[12];
    bool is_read;
    unsigned prepared_session; /* 0: never prepared */
    PGresult *res;
    int row, rows;
    char num[SQL_PARAMS_MAX][24];
} pg_sql;

static const sql_backend pg_sql_backend;

/* ?N -> $N outside '...' and "..."; *nparams gets the highest N. The output
 * is never longer than the input. */
static char *rewrite(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    char quote = 0;
    int max = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = sql[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?' && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            int v = atoi(sql + i + 1);
            if (v > max)
                max = v;
            c = '$';
        }
        out[i] = c;
    }
    *nparams = max;
    return out;
}

static bool is_read(const char *sql)
{
    while (*sql == ' ' || *sql == '\n')
        sql++;
    return (strncmp(sql, "SELECT", 6) == 0 || strncmp(sql, "WITH", 4) == 0) &&
           !strstr(sql, "FOR UPDATE") && !strstr(sql, "INSERT") && !strstr(sql, "UPDATE ") &&
           !strstr(sql, "DELETE");
}

static int prepare_now(pg_sql *q)
{
    store *s = q->base.s;
    PGresult *r = PQprepare(pg_store_conn(s), q->name, q->text, 0, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SH_OK : pg_store_fail(s, r, "prepare");
    PQclear(r);
    if (rc == SH_OK)
        q->prepared_session = pg_store_session(s);
    return rc;
}

static int exec_once(pg_sql *q)
{
    store *s = q->base.s;
    int rc = pg_store_ready(s);
    if (rc == SH_OK && q->prepared_session != pg_store_session(s))
        rc = prepare_now(q);
    if (rc != SH_OK)
        return rc;
    const char *values[SQL_PARAMS_MAX];
    int lengths[SQL_PARAMS_MAX], formats[SQL_PARAMS_MAX];
    for (int i = 0; i < q->base.nparams; i++) {
        const sql_param *p = &q->base.p[i];
        values[i] = NULL;
        lengths[i] = 0;
        formats[i] = 0;
        if (p->kind == SQL_P_TEXT) {
            values[i] = p->v;
        } else if (p->kind == SQL_P_INT) {
            snprintf(q->num[i], sizeof q->num[i], "%lld", (long long)p->i);
            values[i] = q->num[i];
        } else if (p->kind == SQL_P_DATE) {
            date_format((date_t)p->i, q->num[i]);
            values[i] = q->num[i];
        } else if (p->kind == SQL_P_BLOB) {
            values[i] = p->v;
            lengths[i] = (int)p->len;
            formats[i] = 1;
        }
    }
    PGresult *r = PQexecPrepared(pg_store_conn(s), q->name, q->base.nparams, values, lengths,
                                 formats, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        q->res = r;
        q->rows = PQntuples(r);
        q->row = -1;
        return SH_OK;
    }
    rc = pg_store_fail(s, r, "statement");
    PQclear(r);
    return rc;
}

static int pg_sql_next(sql_stmt *base)
{
    pg_sql *q = (pg_sql *)base;
    if (!base->started) {
        base->started = true;
        for (int i = 0; i < base->nparams; i++)
            if (base->p[i].kind == SQL_P_BLOB && base->p[i].len > INT32_MAX)
                return SH_EINVAL;
        store *s = base->s;
        int rc = exec_once(q);
        if (rc == SH_EUNAVAIL && q->is_read && !pg_store_in_tx(s) &&
            PQstatus(pg_store_conn(s)) != CONNECTION_OK)
            rc = exec_once(q);
        if (rc != SH_OK)
            return rc;
    }
    if (!q->res || q->row + 1 >= q->rows)
        return SH_OK;
    q->row++;
    return SQL_ROW;
}

static const char *pg_sql_col_text(sql_stmt *base, int c)
{
    pg_sql *q = (pg_sql *)base;
    if (!q->res || q->row < 0 || c >= PQnfields(q->res) || PQgetisnull(q->res, q->row, c))
        return NULL;
    return PQgetvalue(q->res, q->row, c);
}

static bool pg_sql_col_int(sql_stmt *base, int c, int64_t *v)
{
    const char *t = pg_sql_col_text(base, c);
    if (!t)
        return false;
    char *end;
    long long n = strtoll(t, &end, 10);
    if (end == t || *end) {
        fprintf(stderr, "store: unexpected stored number '%.32s'\n", t);
        return false;
    }
    *v = n;
    return true;
}

/* bytea comes back in the text format ("\x..."): unescaped by libpq. */
static int pg_sql_col_blob(sql_stmt *base, int c, arena *a, const unsigned char **out,
                           size_t *len)
{
    const char *t = pg_sql_col_text(base, c);
    *out = NULL;
    *len = 0;
    if (!t)
        return SH_OK;
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)t, &n);
    if (!raw)
        return SH_ENOMEM;
    unsigned char *copy = arena_alloc(a, n ? n : 1);
    if (copy) {
        memcpy(copy, raw, n);
        *out = copy;
        *len = n;
    }
    PQfreemem(raw);
    return copy ? SH_OK : SH_ENOMEM;
}

static int64_t pg_sql_changes(sql_stmt *base)
{
    pg_sql *q = (pg_sql *)base;
    return q->res ? strtoll(PQcmdTuples(q->res), NULL, 10) : 0;
}

static void pg_sql_finish(sql_stmt *base)
{
    pg_sql *q = (pg_sql *)base;
    PQclear(q->res);
    q->res = NULL;
    q->row = q->rows = 0;
}

static const sql_backend pg_sql_backend = {
    .next = pg_sql_next,
    .col_text = pg_sql_col_text,
    .col_int = pg_sql_col_int,
    .col_blob = pg_sql_col_blob,
    .changes = pg_sql_changes,
    .finish = pg_sql_finish,
};

static int pg_sql_new(store *s, const char *sql, int slot, sql_stmt **out)
{
    pg_sql *q = calloc(1, sizeof *q);
    int nparams = 0;
    char *text = q ? rewrite(sql, &nparams) : NULL;
    if (!text) {
        free(q);
        return SH_ENOMEM;
    }
    if (nparams > SQL_PARAMS_MAX) {
        fprintf(stderr, "store: %d parameters, at most %d: %.60s\n", nparams, SQL_PARAMS_MAX,
                sql);
        free(text);
        free(q);
        return SH_EINVAL;
    }
    q->base.ops = &pg_sql_backend;
    q->base.s = s;
    q->base.sql = sql;
    q->base.nparams = nparams;
    q->text = text;
    q->is_read = is_read(sql);
    snprintf(q->name, sizeof q->name, "x%d", slot);
    *out = &q->base;
    return SH_OK;
}

int pg_sql_prepare(store *s, const char *sql, sql_stmt **out)
{
    return sql_cache_prepare(s, sql, pg_sql_new, out);
}

static void pg_sql_destroy(sql_stmt *base)
{
    pg_sql *q = (pg_sql *)base;
    PQclear(q->res);
    free(q->text);
    free(q);
}

void pg_sql_free(store *s)
{
    sql_cache_free(s, pg_sql_destroy);
}
