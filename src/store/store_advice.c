/*
 * store_advice.c — advice requests, advice, attachments and chases over the
 * portable SQL layer (sql.h): one text per statement for both backends.
 */
#include "store/store_advice.h"

#include <string.h>
#include <time.h>

#include "store/sql.h"
#include "util/err.h"

#define ADVICE_COLS                                                                        \
    "id, la_code, case_id, child_id, agency, service, setting_urn, question, requested_by, " \
    "requested_on, due, requested_event, received_on, received_event, submitted_by, "      \
    "needs, outcomes, provision, created_at"

static const char SQL_ADVICE_INSERT[] =
    "INSERT INTO advice_requests (la_code, case_id, child_id, agency, service, setting_urn,"
    " question, requested_by, requested_on, due, requested_event, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id";

static const char SQL_ADVICE_GET[] =
    "SELECT " ADVICE_COLS " FROM advice_requests WHERE la_code = ?1 AND id = ?2";

/* Flags (?6, ?9) say whether a date bound is given, so no sentinel dates. */
static const char SQL_ADVICE_FIND[] =
    "SELECT " ADVICE_COLS " FROM advice_requests"
    " WHERE (CAST(?1 AS TEXT) IS NULL OR la_code = ?1)"
    " AND (CAST(?2 AS BIGINT) = 0 OR case_id = ?2)"
    " AND (CAST(?3 AS TEXT) IS NULL OR agency = ?3)"
    " AND (CAST(?4 AS TEXT) IS NULL OR setting_urn = ?4)"
    " AND (CAST(?5 AS BIGINT) = 0 OR received_on IS NULL)"
    " AND (CAST(?6 AS BIGINT) = 0 OR requested_on >= ?7 OR received_on IS NULL)"
    " AND (CAST(?9 AS BIGINT) = 0 OR due <= ?8)"
    " ORDER BY due, id LIMIT ?10 OFFSET ?11";

static const char SQL_ADVICE_RECEIVE[] =
    "UPDATE advice_requests SET received_on = ?3, received_event = ?4, submitted_by = ?5,"
    " needs = ?6, outcomes = ?7, provision = ?8"
    " WHERE la_code = ?1 AND id = ?2 AND received_on IS NULL";

static const char SQL_FILE_INSERT[] =
    "INSERT INTO advice_attachments (la_code, request_id, filename, size, content, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";

static const char SQL_FILE_LIST[] =
    "SELECT id, request_id, filename, size, created_at FROM advice_attachments"
    " WHERE la_code = ?1 AND request_id = ?2 ORDER BY id";

static const char SQL_FILE_GET[] =
    "SELECT id, request_id, filename, size, created_at, content FROM advice_attachments"
    " WHERE la_code = ?1 AND id = ?2";

static const char SQL_CHASE_ADD[] =
    "INSERT INTO advice_chases (la_code, request_id, chase_on, kind, recipients, status, error)"
    " VALUES (?1, ?2, ?3, ?4, ?5, 'recorded', '')"
    " ON CONFLICT (request_id, chase_on) DO NOTHING RETURNING id";

static const char SQL_CHASE_EXISTING[] =
    "SELECT id FROM advice_chases WHERE request_id = ?1 AND chase_on = ?2";

static const char SQL_CHASE_SET[] =
    "UPDATE advice_chases SET status = ?3, error = ?4, sent_at = ?5"
    " WHERE la_code = ?1 AND id = ?2";

static const char SQL_CHASE_LIST[] =
    "SELECT c.id, c.la_code, c.request_id, c.chase_on, c.kind, c.recipients, c.status,"
    " c.error, c.sent_at, r.case_id, r.agency, r.service, r.due"
    " FROM advice_chases c JOIN advice_requests r"
    " ON r.la_code = c.la_code AND r.id = c.request_id"
    " WHERE (CAST(?1 AS TEXT) IS NULL OR c.la_code = ?1)"
    " AND (CAST(?3 AS BIGINT) = 0 OR c.chase_on = ?2)"
    " AND (CAST(?4 AS TEXT) IS NULL OR c.status = ?4)"
    " ORDER BY c.chase_on DESC, c.id DESC LIMIT ?5 OFFSET ?6";

/* ---- requests ---------------------------------------------------------------- */

/* Prepares a statement selecting one row by (la_code ?1, id ?2) and runs it:
 * SH_OK with the row readable (the caller finishes), or the error. */
static int one_by_id(store *s, const char *sql, const char *la_code, int64_t id,
                     sql_stmt **q)
{
    int rc = sql_prepare(s, sql, q);
    if (rc)
        return rc;
    sql_bind_text(*q, 1, la_code);
    sql_bind_int(*q, 2, id);
    return sql_one(*q);
}

static event_agency agency_col(sql_stmt *q, int c)
{
    const char *v = sql_col_text(q, c);
    return v ? event_agency_parse(v, strlen(v)) : AGENCY_NONE;
}

/* Reads a request row. With an arena the strings are copied into it; without
 * one they point into the row (valid until the next sql_next). */
static int advice_row(sql_stmt *q, arena *a, store_advice *r)
{
    memset(r, 0, sizeof *r);
    r->id = sql_col_int(q, 0);
    int rc = sql_col_copy(q, 1, r->la_code, sizeof r->la_code);
    r->case_id = sql_col_int(q, 2);
    r->child_id = sql_col_int(q, 3);
    r->agency = agency_col(q, 4);
    if (rc == SH_OK)
        rc = sql_col_copy(q, 6, r->setting_urn, sizeof r->setting_urn);
    r->requested_on = sql_col_date(q, 9);
    r->due = sql_col_date(q, 10);
    r->requested_event = sql_col_int(q, 11);
    r->received_on = sql_col_date(q, 12);
    r->received_event = sql_col_int(q, 13);
    r->created_at = sql_col_int(q, 18);
    const char **text[] = {&r->service, &r->question, &r->requested_by, &r->submitted_by,
                           &r->needs, &r->outcomes, &r->provision};
    const int cols[] = {5, 7, 8, 14, 15, 16, 17};
    for (size_t i = 0; rc == SH_OK && i < sizeof cols / sizeof cols[0]; i++) {
        if (a) {
            rc = sql_col_dup(q, cols[i], a, text[i]);
        } else {
            const char *v = sql_col_text(q, cols[i]);
            *text[i] = v ? v : "";
        }
    }
    return rc;
}

int store_advice_insert(store *s, store_advice *r)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ADVICE_INSERT, &q);
    if (rc)
        return rc;
    r->created_at = (int64_t)time(NULL);
    sql_bind_text(q, 1, r->la_code);
    sql_bind_int(q, 2, r->case_id);
    sql_bind_int(q, 3, r->child_id);
    sql_bind_text(q, 4, event_agency_name(r->agency));
    sql_bind_text(q, 5, r->service);
    sql_bind_text_opt(q, 6, r->setting_urn);
    sql_bind_text(q, 7, r->question ? r->question : "");
    sql_bind_text(q, 8, r->requested_by);
    sql_bind_date(q, 9, r->requested_on);
    sql_bind_date(q, 10, r->due);
    sql_bind_int(q, 11, r->requested_event);
    sql_bind_int(q, 12, r->created_at);
    return sql_int(q, &r->id);
}

int store_advice_get(store *s, const char *la_code, int64_t id, arena *a, store_advice *out)
{
    sql_stmt *q;
    int rc = one_by_id(s, SQL_ADVICE_GET, la_code, id, &q);
    if (rc)
        return rc;
    rc = advice_row(q, a, out);
    sql_finish(q);
    return rc;
}

static void bind_query(sql_stmt *q, const store_advice_query *f, int64_t limit, int64_t offset)
{
    sql_bind_text(q, 1, f->la_code);
    sql_bind_int(q, 2, f->case_id);
    sql_bind_text(q, 3, f->agency);
    sql_bind_text(q, 4, f->setting_urn);
    sql_bind_int(q, 5, f->open_only);
    sql_bind_int(q, 6, f->since != DATE_NONE);
    sql_bind_date(q, 7, f->since);
    sql_bind_date(q, 8, f->due_by);
    sql_bind_int(q, 9, f->due_by != DATE_NONE);
    sql_bind_int(q, 10, limit);
    sql_bind_int(q, 11, offset);
}

int store_advice_list(store *s, const store_advice_query *f, arena *a, store_advice **out,
                      size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t limit = f->limit && f->limit < STORE_PAGE_MAX ? f->limit : STORE_PAGE_MAX;
    store_advice *rows = arena_calloc(a, limit, sizeof *rows);
    if (!rows)
        return SH_ENOMEM;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ADVICE_FIND, &q);
    if (rc)
        return rc;
    bind_query(q, f, (int64_t)limit, (int64_t)f->offset);
    size_t k = 0;
    while (k < limit && (rc = sql_next(q)) == SQL_ROW)
        if ((rc = advice_row(q, a, &rows[k++])))
            break;
    sql_finish(q);
    if (rc != SH_OK && rc != SQL_ROW)
        return rc;
    *out = rows;
    *n = k;
    return SH_OK;
}

int store_advice_scan(store *s, const store_advice_query *f, store_advice_fn fn, void *ctx)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ADVICE_FIND, &q);
    if (rc)
        return rc;
    bind_query(q, f, INT64_MAX, 0);
    store_advice r;
    while ((rc = sql_next(q)) == SQL_ROW) {
        rc = advice_row(q, NULL, &r);
        if (rc == SH_OK)
            rc = fn(ctx, &r);
        if (rc)
            break;
    }
    sql_finish(q);
    return rc;
}

int store_advice_receive(store *s, const char *la_code, int64_t id, date_t received_on,
                         int64_t received_event, const char *submitted_by, const char *needs,
                         const char *outcomes, const char *provision)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ADVICE_RECEIVE, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    sql_bind_date(q, 3, received_on);
    sql_bind_int(q, 4, received_event);
    sql_bind_text(q, 5, submitted_by);
    sql_bind_text(q, 6, needs);
    sql_bind_text(q, 7, outcomes);
    sql_bind_text(q, 8, provision);
    return sql_exec_changed(q);
}

/* ---- attachments ------------------------------------------------------------- */

int store_advice_file_insert(store *s, const char *la_code, store_advice_file *f)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FILE_INSERT, &q);
    if (rc)
        return rc;
    f->created_at = (int64_t)time(NULL);
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, f->request_id);
    sql_bind_text(q, 3, f->filename);
    sql_bind_int(q, 4, (int64_t)f->size);
    sql_bind_blob(q, 5, f->content, f->size);
    sql_bind_int(q, 6, f->created_at);
    return sql_int(q, &f->id);
}

static int file_row(sql_stmt *q, arena *a, store_advice_file *f)
{
    memset(f, 0, sizeof *f);
    f->id = sql_col_int(q, 0);
    f->request_id = sql_col_int(q, 1);
    f->size = (size_t)sql_col_int(q, 3);
    f->created_at = sql_col_int(q, 4);
    return sql_col_dup(q, 2, a, &f->filename);
}

int store_advice_file_list(store *s, const char *la_code, int64_t request_id, arena *a,
                           store_advice_file **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FILE_LIST, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, request_id);
    /* A request carries at most a handful of files (ADVICE_FILES_MAX per
     * submission, one submission): grow by doubling from 4. */
    size_t cap = 0, k = 0;
    store_advice_file *rows = NULL;
    while ((rc = sql_next(q)) == SQL_ROW) {
        if (k == cap) {
            size_t ncap = cap ? 2 * cap : 4;
            store_advice_file *grown = arena_calloc(a, ncap, sizeof *grown);
            if (!grown) {
                rc = SH_ENOMEM;
                break;
            }
            if (k)
                memcpy(grown, rows, k * sizeof *rows);
            rows = grown;
            cap = ncap;
        }
        if ((rc = file_row(q, a, &rows[k++])))
            break;
    }
    sql_finish(q);
    if (rc != SH_OK)
        return rc;
    *out = rows;
    *n = k;
    return SH_OK;
}

int store_advice_file_get(store *s, const char *la_code, int64_t id, arena *a,
                          store_advice_file *out)
{
    sql_stmt *q;
    int rc = one_by_id(s, SQL_FILE_GET, la_code, id, &q);
    if (rc)
        return rc;
    rc = file_row(q, a, out);
    size_t len = 0;
    if (rc == SH_OK)
        rc = sql_col_blob(q, 5, a, &out->content, &len);
    if (rc == SH_OK)
        out->size = len; /* the bytes are the truth; the size column is for lists */
    sql_finish(q);
    return rc;
}

/* ---- chases ------------------------------------------------------------------- */

int store_advice_chase_add(store *s, store_advice_chase *c, bool *added)
{
    *added = false;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_CHASE_ADD, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, c->la_code);
    sql_bind_int(q, 2, c->request_id);
    sql_bind_date(q, 3, c->chase_on);
    sql_bind_text(q, 4, c->kind);
    sql_bind_text(q, 5, c->recipients ? c->recipients : "");
    rc = sql_next(q);
    if (rc == SQL_ROW) {
        c->id = sql_col_int(q, 0);
        *added = true;
        rc = SH_OK;
    }
    sql_finish(q);
    if (rc || *added)
        return rc;
    if ((rc = sql_prepare(s, SQL_CHASE_EXISTING, &q)))
        return rc;
    sql_bind_int(q, 1, c->request_id);
    sql_bind_date(q, 2, c->chase_on);
    return sql_int(q, &c->id);
}

int store_advice_chase_set(store *s, const char *la_code, int64_t id, const char *status,
                           const char *error, int64_t sent_at)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_CHASE_SET, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    sql_bind_text(q, 3, status);
    sql_bind_text(q, 4, error ? error : "");
    sql_bind_int_opt(q, 5, sent_at, 0);
    return sql_exec_changed(q);
}

static int chase_row(sql_stmt *q, arena *a, store_advice_chase *c)
{
    memset(c, 0, sizeof *c);
    c->id = sql_col_int(q, 0);
    int rc = sql_col_copy(q, 1, c->la_code, sizeof c->la_code);
    c->request_id = sql_col_int(q, 2);
    c->chase_on = sql_col_date(q, 3);
    c->sent_at = sql_col_int(q, 8);
    c->case_id = sql_col_int(q, 9);
    c->agency = agency_col(q, 10);
    c->due = sql_col_date(q, 12);
    const char **text[] = {&c->kind, &c->recipients, &c->status, &c->error, &c->service};
    const int cols[] = {4, 5, 6, 7, 11};
    for (size_t i = 0; rc == SH_OK && i < sizeof cols / sizeof cols[0]; i++)
        rc = sql_col_dup(q, cols[i], a, text[i]);
    return rc;
}

int store_advice_chase_list(store *s, const store_advice_chase_query *f, arena *a,
                            store_advice_chase **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t limit = f->limit && f->limit < STORE_PAGE_MAX ? f->limit : STORE_PAGE_MAX;
    store_advice_chase *rows = arena_calloc(a, limit, sizeof *rows);
    if (!rows)
        return SH_ENOMEM;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_CHASE_LIST, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, f->la_code);
    sql_bind_date(q, 2, f->chase_on);
    sql_bind_int(q, 3, f->chase_on != DATE_NONE);
    sql_bind_text(q, 4, f->status);
    sql_bind_int(q, 5, (int64_t)limit);
    sql_bind_int(q, 6, (int64_t)f->offset);
    size_t k = 0;
    while (k < limit && (rc = sql_next(q)) == SQL_ROW)
        if ((rc = chase_row(q, a, &rows[k++])))
            break;
    sql_finish(q);
    if (rc != SH_OK && rc != SQL_ROW)
        return rc;
    *out = rows;
    *n = k;
    return SH_OK;
}
