/*
 * store_views.c — requests for a family's views over sql.h: one SQL text
 * per statement, run on either backend (store_views.h).
 */
#include "store/store_views.h"

#include <string.h>

#include "store/sql.h"
#include "util/err.h"

#define VIEWS_COLUMNS                                                                        \
    "id, la_code, case_id, purpose, message, reply_by, asked_by, asked_at, submission_id, "  \
    "answered_at, withdrawn_at, withdrawn_by, withdrawn_reason"

static const char SQL_VIEWS_INSERT[] =
    "INSERT INTO views_requests (la_code, case_id, purpose, message, reply_by, asked_by, "
    "asked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_VIEWS_OF_CASE[] =
    "SELECT " VIEWS_COLUMNS " FROM views_requests WHERE la_code = ?1 AND case_id = ?2 "
    "ORDER BY id LIMIT ?3";
static const char SQL_VIEWS_OLDEST_OPEN[] =
    "SELECT " VIEWS_COLUMNS " FROM views_requests WHERE la_code = ?1 AND case_id = ?2 "
    "AND answered_at IS NULL AND withdrawn_at IS NULL ORDER BY id LIMIT 1";
static const char SQL_VIEWS_ANSWER[] =
    "UPDATE views_requests SET submission_id = ?4, answered_at = ?5 "
    "WHERE la_code = ?1 AND case_id = ?2 AND id = ?3 "
    "AND answered_at IS NULL AND withdrawn_at IS NULL";
static const char SQL_VIEWS_WITHDRAW[] =
    "UPDATE views_requests SET withdrawn_at = ?4, withdrawn_by = ?5, withdrawn_reason = ?6 "
    "WHERE la_code = ?1 AND case_id = ?2 AND id = ?3 "
    "AND answered_at IS NULL AND withdrawn_at IS NULL";

int store_views_request_insert(store *s, store_views_request *r)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_VIEWS_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, r->la_code);
    sql_bind_int(q, 2, r->case_id);
    sql_bind_text(q, 3, r->purpose);
    sql_bind_text(q, 4, r->message ? r->message : "");
    sql_bind_date(q, 5, r->reply_by);
    sql_bind_text(q, 6, r->asked_by);
    sql_bind_int(q, 7, r->asked_at);
    return sql_int(q, &r->id);
}

/* One row of VIEWS_COLUMNS into a store_views_request (an sql_row_fn). */
static int views_row(sql_stmt *q, arena *a, void *row)
{
    store_views_request *r = row;
    memset(r, 0, sizeof *r);
    r->id = sql_col_int(q, 0);
    r->case_id = sql_col_int(q, 2);
    r->reply_by = sql_col_date(q, 5);
    r->asked_at = sql_col_int(q, 7);
    r->submission_id = sql_col_int(q, 8);
    r->answered_at = sql_col_int(q, 9);
    r->withdrawn_at = sql_col_int(q, 10);
    int rc = sql_col_copy(q, 1, r->la_code, sizeof r->la_code);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 3, a, &r->purpose);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 4, a, &r->message);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 6, a, &r->asked_by);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 11, a, &r->withdrawn_by);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 12, a, &r->withdrawn_reason);
    return rc;
}

int store_views_requests_of_case(store *s, const char *la_code, int64_t case_id, arena *a,
                                 store_views_request **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_VIEWS_OF_CASE, la_code, case_id, STORE_VIEWS_REQUESTS_MAX,
                      sizeof **out, views_row, a, &rows, n);
    *out = rows;
    return rc;
}

int store_views_request_oldest_open(store *s, const char *la_code, int64_t case_id, arena *a,
                                    store_views_request *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_VIEWS_OLDEST_OPEN, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    if ((rc = sql_one(q)))
        return rc;
    rc = views_row(q, a, out);
    sql_finish(q);
    return rc;
}

int store_views_request_answer(store *s, const char *la_code, int64_t case_id, int64_t id,
                               int64_t submission_id, int64_t now)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_VIEWS_ANSWER, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    sql_bind_int(q, 3, id);
    sql_bind_int(q, 4, submission_id);
    sql_bind_int(q, 5, now);
    return sql_exec_changed(q);
}

int store_views_request_withdraw(store *s, const char *la_code, int64_t case_id, int64_t id,
                                 const char *by, const char *reason, int64_t now)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_VIEWS_WITHDRAW, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    sql_bind_int(q, 3, id);
    sql_bind_int(q, 4, now);
    sql_bind_text(q, 5, by);
    sql_bind_text(q, 6, reason);
    return sql_exec_changed(q);
}
