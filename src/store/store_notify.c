/*
 * store_notify.c — the outbox's sender side, date notices and preferences
 * over sql.h: one SQL text per statement, run on either backend
 * (store_notify.h).
 */
#include "store/store_notify.h"

#include <string.h>

#include "store/sql.h"
#include "util/err.h"

#define OUTBOX_COLUMNS                                                                       \
    "o.id, o.la_code, o.to_user_id, o.to_email, o.subject, o.body, o.state, o.attempts, "    \
    "o.created_at, o.sent_at, o.next_attempt_at, o.claimed_at, o.last_error, "               \
    "coalesce(u.username, ''), o.online_request_id "                                         \
    "FROM portal_outbox o LEFT JOIN users u ON u.id = o.to_user_id "

static const char SQL_OUTBOX_DUE[] =
    "SELECT " OUTBOX_COLUMNS
    "WHERE o.state = 'queued' AND o.next_attempt_at <= ?1 ORDER BY o.id LIMIT ?2";
static const char SQL_OUTBOX_DUE_COUNT[] =
    "SELECT count(*) FROM portal_outbox WHERE state = 'queued' AND next_attempt_at <= ?1";
static const char SQL_OUTBOX_CLAIM[] =
    "UPDATE portal_outbox SET state = 'sending', claimed_at = ?2, attempts = attempts + 1 "
    "WHERE id = ?1 AND state = 'queued'";
static const char SQL_OUTBOX_SENT[] =
    "UPDATE portal_outbox SET state = 'sent', sent_at = ?2, last_error = '' "
    "WHERE id = ?1 AND state = 'sending'";
static const char SQL_OUTBOX_FAILED[] =
    "UPDATE portal_outbox SET state = ?2, last_error = ?3, next_attempt_at = ?4, "
    "claimed_at = NULL WHERE id = ?1 AND state = 'sending'";
static const char SQL_OUTBOX_LIST[] =
    "SELECT " OUTBOX_COLUMNS "WHERE o.la_code = ?1 ORDER BY o.id DESC LIMIT ?2";

static const char SQL_FAMILIES[] =
    "SELECT l.user_id, l.la_code, l.child_id, u.email, coalesce(p.date_emails, 1) "
    "FROM portal_links l JOIN users u ON u.id = l.user_id "
    "LEFT JOIN portal_preferences p ON p.user_id = l.user_id "
    "WHERE NOT u.disabled ORDER BY l.la_code, l.child_id, l.user_id LIMIT ?1";
static const char SQL_NOTICE_ADD[] =
    "INSERT INTO portal_date_notices (user_id, la_code, case_id, kind, due, queued_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (user_id, case_id, kind, due) DO NOTHING RETURNING user_id";
static const char SQL_PREF_GET[] =
    "SELECT date_emails FROM portal_preferences WHERE user_id = ?1";
static const char SQL_PREF_SET[] =
    "INSERT INTO portal_preferences (user_id, date_emails, updated_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (user_id) DO UPDATE SET date_emails = ?2, updated_at = ?3";

/* One row of OUTBOX_COLUMNS. */
static int outbox_row(sql_stmt *q, arena *a, store_outbox *o)
{
    o->id = sql_col_int(q, 0);
    o->to_user_id = sql_col_int(q, 2);
    o->attempts = (int)sql_col_int(q, 7);
    o->created_at = sql_col_int(q, 8);
    o->sent_at = sql_col_int(q, 9);
    o->next_attempt_at = sql_col_int(q, 10);
    o->claimed_at = sql_col_int(q, 11);
    o->online_request_id = sql_col_int(q, 14);
    int rc = sql_col_copy(q, 1, o->la_code, sizeof o->la_code);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 3, a, &o->to_email);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 4, a, &o->subject);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 5, a, &o->body);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 6, a, &o->state);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 12, a, &o->last_error);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 13, a, &o->username);
    return rc;
}

/* Reads at most `max` outbox rows of a prepared, bound statement; finishes q. */
static int outbox_rows(sql_stmt *q, arena *a, size_t max, store_outbox **out, size_t *n)
{
    *out = arena_calloc(a, max ? max : 1, sizeof **out);
    *n = 0;
    if (!*out) {
        sql_finish(q);
        return SH_ENOMEM;
    }
    int rc = SH_OK;
    while (*n < max && (rc = sql_next(q)) == SQL_ROW &&
           (rc = outbox_row(q, a, &(*out)[*n])) == SH_OK)
        (*n)++;
    if (rc == SQL_ROW || *n == max)
        rc = SH_OK; /* the ceiling reached: the rest are not read */
    sql_finish(q);
    return rc;
}

int store_outbox_due(store *s, int64_t now, size_t max, arena *a, store_outbox **out,
                     size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_OUTBOX_DUE, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, now);
    sql_bind_int(q, 2, (int64_t)max);
    return outbox_rows(q, a, max, out, n);
}

int store_outbox_due_count(store *s, int64_t now, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_OUTBOX_DUE_COUNT, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, now);
    return sql_int(q, n);
}

/* One step of the state machine: SQL `sql` on row ?1 at time ?2. */
static int outbox_step(store *s, const char *sql, int64_t id, int64_t at)
{
    sql_stmt *q;
    int rc = sql_prepare(s, sql, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, id);
    sql_bind_int(q, 2, at);
    return sql_exec_changed(q);
}

int store_outbox_claim(store *s, int64_t id, int64_t now)
{
    return outbox_step(s, SQL_OUTBOX_CLAIM, id, now);
}

int store_outbox_sent(store *s, int64_t id, int64_t now)
{
    return outbox_step(s, SQL_OUTBOX_SENT, id, now);
}

int store_outbox_failed(store *s, int64_t id, const char *error, bool give_up,
                        int64_t next_attempt_at)
{
    char kept[STORE_OUTBOX_ERROR_MAX + 1];
    size_t len = strnlen(error ? error : "", STORE_OUTBOX_ERROR_MAX);
    memcpy(kept, error ? error : "", len);
    while (len && ((unsigned char)kept[len - 1] & 0xc0) == 0x80) /* no half character */
        len--;
    kept[len] = '\0';
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_OUTBOX_FAILED, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, id);
    sql_bind_text(q, 2, give_up ? "failed" : "queued");
    sql_bind_text(q, 3, kept);
    sql_bind_int(q, 4, next_attempt_at);
    return sql_exec_changed(q);
}

int store_outbox_list(store *s, const char *la_code, arena *a, store_outbox **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_OUTBOX_LIST, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, STORE_OUTBOX_LIST_MAX);
    return outbox_rows(q, a, STORE_OUTBOX_LIST_MAX, out, n);
}

int store_notify_families(store *s, arena *a, store_notify_family **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FAMILIES, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, STORE_NOTIFY_FAMILIES_MAX);
    size_t cap = 0;
    store_notify_family *f = NULL;
    while ((rc = sql_next(q)) == SQL_ROW) {
        if (*n == cap) { /* doubling in the arena: a few links per area */
            size_t grown_cap = cap ? 2 * cap : 64;
            store_notify_family *grown = arena_calloc(a, grown_cap, sizeof *grown);
            if (!grown) {
                rc = SH_ENOMEM;
                break;
            }
            if (*n)
                memcpy(grown, f, *n * sizeof *grown);
            f = grown;
            cap = grown_cap;
        }
        store_notify_family *x = &f[*n];
        x->user_id = sql_col_int(q, 0);
        x->child_id = sql_col_int(q, 2);
        x->date_emails = sql_col_int(q, 4) != 0;
        if ((rc = sql_col_copy(q, 1, x->la_code, sizeof x->la_code)) ||
            (rc = sql_col_dup(q, 3, a, &x->email)))
            break;
        (*n)++;
    }
    sql_finish(q);
    *out = f;
    return rc;
}

int store_notify_notice_add(store *s, int64_t user_id, const char *la_code, int64_t case_id,
                            const char *kind, date_t due, int64_t now, bool *added)
{
    *added = false;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_NOTICE_ADD, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, user_id);
    sql_bind_text(q, 2, la_code);
    sql_bind_int(q, 3, case_id);
    sql_bind_text(q, 4, kind);
    sql_bind_date(q, 5, due);
    sql_bind_int(q, 6, now);
    rc = sql_next(q);
    if (rc == SQL_ROW) {
        *added = true;
        rc = SH_OK;
    }
    sql_finish(q);
    return rc;
}

int store_notify_pref_get(store *s, int64_t user_id, bool *on)
{
    *on = true;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_PREF_GET, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, user_id);
    rc = sql_one(q);
    if (rc == SH_ENOTFOUND)
        return SH_OK;
    if (rc == SH_OK)
        *on = sql_col_int(q, 0) != 0;
    sql_finish(q);
    return rc;
}

int store_notify_pref_set(store *s, int64_t user_id, bool on, int64_t now)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_PREF_SET, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, user_id);
    sql_bind_int(q, 2, on ? 1 : 0);
    sql_bind_int(q, 3, now);
    return sql_exec(q);
}
