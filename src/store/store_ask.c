/*
 * store_ask.c — online requests for an assessment and the flood limit's
 * submissions over sql.h: one SQL text per statement, run on either backend
 * (store_ask.h).
 */
#include "store/store_ask.h"

#include <string.h>

#include "store/sql.h"
#include "util/err.h"

#define ASK_COLUMNS                                                                        \
    "id, la_code, received_at, received_on, asker_role, relationship, asker_name, email, " \
    "phone, forename, surname, date_of_birth, postcode, setting_name, upn, nhs_number, "   \
    "needs, tried, status, case_id, coalesce(closed_reason, ''), closed_note, "            \
    "coalesce(handled_by, ''), handled_at"

static const char SQL_ASK_INSERT[] =
    "INSERT INTO online_requests (la_code, received_at, received_on, asker_role, "
    "relationship, asker_name, email, phone, forename, surname, date_of_birth, postcode, "
    "setting_name, upn, nhs_number, needs, tried, send_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
    "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) RETURNING id";
static const char SQL_ASK_BY_KEY[] =
    "SELECT " ASK_COLUMNS " FROM online_requests WHERE send_key = ?1";
static const char SQL_ASK_GET[] =
    "SELECT " ASK_COLUMNS " FROM online_requests WHERE la_code = ?1 AND id = ?2";
static const char SQL_ASK_OPEN[] =
    "SELECT " ASK_COLUMNS " FROM online_requests WHERE la_code = ?1 AND status = 'open' "
    "ORDER BY received_at, id LIMIT ?2";
static const char SQL_ASK_OPEN_COUNT[] =
    "SELECT count(*) FROM online_requests WHERE la_code = ?1 AND status = 'open'";
static const char SQL_ASK_START[] =
    "UPDATE online_requests SET status = 'started', case_id = ?3, handled_by = ?4, "
    "handled_at = ?5 WHERE la_code = ?1 AND id = ?2 AND status = 'open'";
static const char SQL_ASK_CLOSE[] =
    "UPDATE online_requests SET status = 'closed', closed_reason = ?3, closed_note = ?4, "
    "handled_by = ?5, handled_at = ?6 WHERE la_code = ?1 AND id = ?2 AND status = 'open'";
static const char SQL_ASK_ACK[] =
    "INSERT INTO portal_outbox (la_code, online_request_id, to_email, subject, body, "
    "created_at) SELECT la_code, id, email, ?2, ?3, ?4 FROM online_requests WHERE id = ?1 "
    "RETURNING id";
static const char SQL_ASK_AREAS[] = "SELECT la_code, name FROM areas ORDER BY name LIMIT ?1";
static const char SQL_SENDER_FORGET[] = "DELETE FROM online_request_senders WHERE at < ?1";
static const char SQL_SENDER_ADD[] =
    "INSERT INTO online_request_senders (remote, at) VALUES (?1, ?2)";
static const char SQL_SENDERS[] =
    "SELECT count(*) FROM online_request_senders WHERE remote = ?1 AND at >= ?2";

int store_ask_insert(store *s, const unsigned char key[STORE_TOKEN_HASH_LEN], store_ask *r)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ASK_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, r->la_code);
    sql_bind_int(q, 2, r->received_at);
    sql_bind_date(q, 3, r->received_on);
    sql_bind_text(q, 4, r->asker_role);
    sql_bind_text(q, 5, r->relationship);
    sql_bind_text(q, 6, r->asker_name);
    sql_bind_text(q, 7, r->email);
    sql_bind_text(q, 8, r->phone);
    sql_bind_text(q, 9, r->forename);
    sql_bind_text(q, 10, r->surname);
    sql_bind_date(q, 11, r->date_of_birth);
    sql_bind_text(q, 12, r->postcode);
    sql_bind_text(q, 13, r->setting_name);
    sql_bind_text(q, 14, r->upn);
    sql_bind_text(q, 15, r->nhs_number);
    sql_bind_text(q, 16, r->needs);
    sql_bind_text(q, 17, r->tried);
    sql_bind_blob(q, 18, key, STORE_TOKEN_HASH_LEN);
    return sql_int(q, &r->id);
}

/* One row of ASK_COLUMNS into a store_ask (text in the arena). */
static int ask_row(sql_stmt *q, arena *a, store_ask *r)
{
    memset(r, 0, sizeof *r);
    r->id = sql_col_int(q, 0);
    r->received_at = sql_col_int(q, 2);
    r->received_on = sql_col_date(q, 3);
    r->date_of_birth = sql_col_date(q, 11);
    r->case_id = sql_col_int(q, 19);
    r->handled_at = sql_col_int(q, 23);
    int rc = sql_col_copy(q, 1, r->la_code, sizeof r->la_code);
    const struct {
        int col;
        const char **to;
    } text[] = {
        {4, &r->asker_role}, {5, &r->relationship}, {6, &r->asker_name}, {7, &r->email},
        {8, &r->phone},      {9, &r->forename},     {10, &r->surname},   {12, &r->postcode},
        {13, &r->setting_name}, {14, &r->upn},      {15, &r->nhs_number}, {16, &r->needs},
        {17, &r->tried},     {18, &r->status},      {20, &r->closed_reason},
        {21, &r->closed_note}, {22, &r->handled_by},
    };
    for (size_t i = 0; rc == SH_OK && i < sizeof text / sizeof text[0]; i++)
        rc = sql_col_dup(q, text[i].col, a, text[i].to);
    return rc;
}

/* Reads the one row a bound statement finds (SH_ENOTFOUND for none). */
static int ask_one(sql_stmt *q, arena *a, store_ask *out)
{
    int rc = sql_one(q);
    if (rc)
        return rc;
    rc = ask_row(q, a, out);
    sql_finish(q);
    return rc;
}

int store_ask_get(store *s, const char *la_code, int64_t id, arena *a, store_ask *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ASK_GET, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    return ask_one(q, a, out);
}

int store_ask_by_key(store *s, const unsigned char key[STORE_TOKEN_HASH_LEN], arena *a,
                     store_ask *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ASK_BY_KEY, &q);
    if (rc)
        return rc;
    sql_bind_blob(q, 1, key, STORE_TOKEN_HASH_LEN);
    return ask_one(q, a, out);
}

static int count_open(store *s, const char *la_code, int64_t *total)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ASK_OPEN_COUNT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    return sql_int(q, total);
}

int store_ask_open_list(store *s, const char *la_code, arena *a, store_ask **out, size_t *n,
                        int64_t *total)
{
    *out = NULL;
    *n = 0;
    int rc = count_open(s, la_code, total);
    if (rc)
        return rc;
    store_ask *rows = arena_calloc(a, STORE_ASK_LIST_MAX, sizeof *rows);
    if (!rows)
        return SH_ENOMEM;
    sql_stmt *q;
    if ((rc = sql_prepare(s, SQL_ASK_OPEN, &q)))
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, STORE_ASK_LIST_MAX);
    size_t k = 0;
    while ((rc = sql_next(q)) == SQL_ROW && k < STORE_ASK_LIST_MAX)
        if ((rc = ask_row(q, a, &rows[k++])))
            break;
    sql_finish(q);
    if (rc == SQL_ROW)
        rc = SH_OK;
    if (rc == SH_OK) {
        *out = rows;
        *n = k;
    }
    return rc;
}

int store_ask_start(store *s, const char *la_code, int64_t id, int64_t case_id,
                    const char *by, int64_t now)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ASK_START, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    sql_bind_int(q, 3, case_id);
    sql_bind_text(q, 4, by);
    sql_bind_int(q, 5, now);
    return sql_exec_changed(q);
}

int store_ask_close(store *s, const char *la_code, int64_t id, const char *reason,
                    const char *note, const char *by, int64_t now)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ASK_CLOSE, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    sql_bind_text(q, 3, reason);
    sql_bind_text(q, 4, note);
    sql_bind_text(q, 5, by);
    sql_bind_int(q, 6, now);
    return sql_exec_changed(q);
}

int store_ask_ack_insert(store *s, int64_t id, const char *subject, const char *body,
                         int64_t now, int64_t *outbox_id)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ASK_ACK, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, id);
    sql_bind_text(q, 2, subject);
    sql_bind_text(q, 3, body);
    sql_bind_int(q, 4, now);
    return sql_int(q, outbox_id);
}

int store_ask_areas(store *s, arena *a, store_ask_area **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    store_ask_area *rows = arena_calloc(a, STORE_ASK_AREAS_MAX, sizeof *rows);
    if (!rows)
        return SH_ENOMEM;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ASK_AREAS, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, STORE_ASK_AREAS_MAX);
    size_t k = 0;
    while ((rc = sql_next(q)) == SQL_ROW && k < STORE_ASK_AREAS_MAX) {
        rc = sql_col_copy(q, 0, rows[k].la_code, sizeof rows[k].la_code);
        if (rc == SH_OK)
            rc = sql_col_dup(q, 1, a, &rows[k].name);
        if (rc)
            break;
        k++;
    }
    sql_finish(q);
    if (rc == SQL_ROW)
        rc = SH_OK;
    if (rc == SH_OK) {
        *out = rows;
        *n = k;
    }
    return rc;
}

int store_ask_sender_add(store *s, const char *remote, int64_t now, int64_t forget_before)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_SENDER_FORGET, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, forget_before);
    if ((rc = sql_exec(q)))
        return rc;
    if ((rc = sql_prepare(s, SQL_SENDER_ADD, &q)))
        return rc;
    sql_bind_text(q, 1, remote);
    sql_bind_int(q, 2, now);
    return sql_exec(q);
}

int store_ask_senders(store *s, const char *remote, int64_t since, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_SENDERS, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, remote);
    sql_bind_int(q, 2, since);
    return sql_int(q, n);
}
