/*
 * sql.c — the backend-independent half of the portable SQL layer (sql.h):
 * binding, typed column reads over the backend's text, and the
 * conveniences. The backends (store_sqlite_sql.c, store_pg_sql.c) prepare,
 * run and read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "util/err.h"

/* ---- the per-connection cache ------------------------------------------ */

static size_t slot_of(const char *sql)
{
    uintptr_t k = (uintptr_t)sql;
    k ^= k >> 17;
    k *= UINT64_C(0x9E3779B97F4A7C15) & UINTPTR_MAX;
    return (size_t)(k >> 7) % SQL_CACHE_SLOTS;
}

static sql_stmt *cache_find(sql_cache *c, const char *sql, int *free_slot)
{
    size_t i = slot_of(sql);
    for (size_t n = 0; n < SQL_CACHE_SLOTS; n++, i = (i + 1) % SQL_CACHE_SLOTS) {
        if (!c->slot[i]) {
            *free_slot = (int)i;
            return NULL;
        }
        if (c->slot[i]->sql == sql)
            return c->slot[i];
    }
    *free_slot = -1;
    return NULL;
}

int sql_cache_prepare(store *s, const char *sql, sql_make_fn make, sql_stmt **out)
{
    if (!s->sql && !(s->sql = calloc(1, sizeof *s->sql)))
        return SH_ENOMEM;
    int free_slot;
    sql_stmt *q = cache_find(s->sql, sql, &free_slot);
    if (!q) {
        if (free_slot < 0) {
            fprintf(stderr, "store: more than %d portable statements\n", SQL_CACHE_SLOTS);
            return SH_EINVAL;
        }
        int rc = make(s, sql, free_slot, &q);
        if (rc != SH_OK)
            return rc;
        s->sql->slot[free_slot] = q;
    }
    if (q->open) {
        fprintf(stderr, "store: statement opened twice: %.60s\n", q->sql);
        return SH_EINVAL;
    }
    memset(q->p, 0, sizeof q->p);
    q->open = true;
    q->started = false;
    q->bind_error = SH_OK;
    *out = q;
    return SH_OK;
}

void sql_cache_free(store *s, void (*destroy)(sql_stmt *q))
{
    if (!s->sql)
        return;
    for (int i = 0; i < SQL_CACHE_SLOTS; i++)
        if (s->sql->slot[i])
            destroy(s->sql->slot[i]);
    free(s->sql);
    s->sql = NULL;
}

int sql_prepare(store *s, const char *sql, sql_stmt **out)
{
    *out = NULL;
    return s->ops->sql_prepare(s, sql, out);
}

/* ---- binding ------------------------------------------------------------ */

static sql_param *param(sql_stmt *q, int i)
{
    if (i < 1 || i > q->nparams || i > SQL_PARAMS_MAX) {
        if (q->bind_error == SH_OK)
            fprintf(stderr, "store: parameter ?%d out of range: %.60s\n", i, q->sql);
        q->bind_error = SH_EINVAL;
        return NULL;
    }
    return &q->p[i - 1];
}

void sql_bind_null(sql_stmt *q, int i)
{
    sql_param *p = param(q, i);
    if (p)
        p->kind = SQL_P_NULL;
}

void sql_bind_text(sql_stmt *q, int i, const char *v)
{
    sql_param *p = param(q, i);
    if (!p)
        return;
    p->kind = v ? SQL_P_TEXT : SQL_P_NULL;
    p->v = v;
    p->len = v ? strlen(v) : 0;
}

void sql_bind_text_opt(sql_stmt *q, int i, const char *v)
{
    sql_bind_text(q, i, v && *v ? v : NULL);
}

void sql_bind_int(sql_stmt *q, int i, int64_t v)
{
    sql_param *p = param(q, i);
    if (p) {
        p->kind = SQL_P_INT;
        p->i = v;
    }
}

void sql_bind_int_opt(sql_stmt *q, int i, int64_t v, int64_t none)
{
    if (v == none)
        sql_bind_null(q, i);
    else
        sql_bind_int(q, i, v);
}

void sql_bind_blob(sql_stmt *q, int i, const void *v, size_t len)
{
    sql_param *p = param(q, i);
    if (!p)
        return;
    p->kind = v ? SQL_P_BLOB : SQL_P_NULL;
    p->v = v;
    p->len = len;
}

/* A date is kept as its day number; each backend sends it as ISO text. */
void sql_bind_date(sql_stmt *q, int i, date_t d)
{
    sql_param *p = param(q, i);
    if (!p)
        return;
    if (d == DATE_NONE) {
        p->kind = SQL_P_NULL;
        return;
    }
    p->kind = SQL_P_DATE;
    p->i = d;
}

/* ---- running and reading ------------------------------------------------ */

int sql_next(sql_stmt *q)
{
    if (q->bind_error != SH_OK)
        return q->bind_error;
    return q->ops->next(q);
}

bool sql_col_null(sql_stmt *q, int c)
{
    return q->ops->col_text(q, c) == NULL;
}

const char *sql_col_text(sql_stmt *q, int c)
{
    return q->ops->col_text(q, c);
}

int64_t sql_col_int_or(sql_stmt *q, int c, int64_t none)
{
    int64_t v;
    return q->ops->col_int(q, c, &v) ? v : none;
}

int64_t sql_col_int(sql_stmt *q, int c)
{
    return sql_col_int_or(q, c, 0);
}

date_t sql_col_date(sql_stmt *q, int c)
{
    const char *t = q->ops->col_text(q, c);
    date_t d;
    if (!t || date_parse(t, strlen(t), &d) != SH_OK)
        return DATE_NONE;
    return d;
}

int sql_col_dup(sql_stmt *q, int c, arena *a, const char **out)
{
    const char *t = q->ops->col_text(q, c);
    *out = arena_strdup(a, t ? t : "");
    return *out ? SH_OK : SH_ENOMEM;
}

int sql_col_copy(sql_stmt *q, int c, char *out, size_t cap)
{
    const char *t = q->ops->col_text(q, c);
    size_t len = t ? strlen(t) : 0;
    if (len >= cap) {
        fprintf(stderr, "store: stored value too long (%zu bytes, room for %zu)\n", len, cap - 1);
        out[0] = '\0';
        return SH_EIO;
    }
    memcpy(out, t ? t : "", len + 1);
    return SH_OK;
}

int sql_col_blob(sql_stmt *q, int c, arena *a, const unsigned char **out, size_t *len)
{
    return q->ops->col_blob(q, c, a, out, len);
}

int64_t sql_changes(sql_stmt *q)
{
    return q->ops->changes(q);
}

void sql_finish(sql_stmt *q)
{
    if (q && q->open) {
        q->ops->finish(q);
        q->open = false;
    }
}

/* ---- conveniences ------------------------------------------------------- */

int sql_exec(sql_stmt *q)
{
    int rc;
    while ((rc = sql_next(q)) == SQL_ROW)
        ;
    sql_finish(q);
    return rc;
}

int sql_exec_changed(sql_stmt *q)
{
    int rc;
    while ((rc = sql_next(q)) == SQL_ROW)
        ;
    if (rc == SH_OK && sql_changes(q) == 0)
        rc = SH_ENOTFOUND;
    sql_finish(q);
    return rc;
}

int sql_one(sql_stmt *q)
{
    int rc = sql_next(q);
    if (rc == SQL_ROW)
        return SH_OK;
    sql_finish(q);
    return rc == SH_OK ? SH_ENOTFOUND : rc;
}

int sql_int(sql_stmt *q, int64_t *out)
{
    *out = 0;
    int rc = sql_one(q);
    if (rc == SH_OK) {
        *out = sql_col_int(q, 0);
        sql_finish(q);
    }
    return rc;
}

int sql_rows(sql_stmt *q, arena *a, size_t max, size_t size, sql_row_fn row, void **out,
             size_t *n)
{
    *out = NULL;
    *n = 0;
    unsigned char *rows = arena_calloc(a, max, size);
    if (!rows) {
        sql_finish(q);
        return SH_ENOMEM;
    }
    size_t k = 0;
    int rc = SH_OK; /* each row read leaves it SH_OK; the step after the last, SH_OK or an error */
    while (k < max && (rc = sql_next(q)) == SQL_ROW) {
        if ((rc = row(q, a, rows + k * size)))
            break;
        k++;
    }
    sql_finish(q);
    if (rc)
        return rc;
    *out = rows;
    *n = k;
    return SH_OK;
}

int sql_list(store *s, const char *sql, const char *la_code, int64_t parent, size_t max,
             size_t size, sql_row_fn row, arena *a, void **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    int rc = sql_prepare(s, sql, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    if (parent >= 0)
        sql_bind_int(q, 2, parent);
    sql_bind_int(q, parent >= 0 ? 3 : 2, (int64_t)max);
    return sql_rows(q, a, max, size, row, out, n);
}
