/*
 * store_portal.c — invitations, family links and failed redemptions over
 * sql.h: one SQL text per statement, run on either backend (store_portal.h).
 */
#include "store/store_portal.h"

#include <string.h>

#include "store/sql.h"
#include "util/err.h"

static const char SQL_INVITE_INSERT[] =
    "INSERT INTO portal_invitations (la_code, child_id, hash, relationship, invitee_name, "
    "created_by, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "RETURNING id";
static const char SQL_INVITE_BY_HASH[] =
    "SELECT id, la_code, child_id, relationship, invitee_name, created_by, created_at, "
    "expires_at, used_at FROM portal_invitations WHERE hash = ?1";
static const char SQL_INVITE_USE[] =
    "UPDATE portal_invitations SET used_at = ?3, used_by = ?2 "
    "WHERE id = ?1 AND used_at IS NULL AND expires_at > ?3";
static const char SQL_LINK_INSERT[] =
    "INSERT INTO portal_links (user_id, la_code, child_id, relationship, since) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_LINKS[] =
    "SELECT l.child_id, l.la_code, l.relationship, l.since, c.forename, c.surname "
    "FROM portal_links l JOIN children c ON c.la_code = l.la_code AND c.id = l.child_id "
    "WHERE l.user_id = ?1 ORDER BY l.since, l.child_id LIMIT ?2";
static const char SQL_LINK_GET[] =
    "SELECT l.child_id, l.la_code, l.relationship, l.since, c.forename, c.surname "
    "FROM portal_links l JOIN children c ON c.la_code = l.la_code AND c.id = l.child_id "
    "WHERE l.user_id = ?1 AND l.child_id = ?2";
static const char SQL_FAILURE_FORGET[] = "DELETE FROM portal_join_failures WHERE at < ?1";
static const char SQL_FAILURE_ADD[] =
    "INSERT INTO portal_join_failures (remote, at) VALUES (?1, ?2)";
static const char SQL_FAILURES[] =
    "SELECT count(*) FROM portal_join_failures WHERE remote = ?1 AND at >= ?2";

static const char SQL_SUBMISSION_INSERT[] =
    "INSERT INTO portal_submissions (la_code, case_id, user_id, kind, body, school, meeting, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
static const char SQL_SUBMISSIONS[] =
    "SELECT p.id, p.case_id, p.user_id, p.kind, p.body, p.school, p.meeting, p.created_at, "
    "u.display_name, u.username FROM portal_submissions p JOIN users u ON u.id = p.user_id "
    "WHERE p.la_code = ?1 AND p.case_id = ?2 ORDER BY p.id DESC LIMIT ?3";

static const char SQL_MESSAGE_INSERT[] =
    "INSERT INTO portal_messages (la_code, case_id, user_id, from_family, body, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_MESSAGES[] =
    "SELECT m.id, m.case_id, m.user_id, m.from_family, m.body, m.created_at, u.display_name "
    "FROM portal_messages m JOIN users u ON u.id = m.user_id "
    "WHERE m.la_code = ?1 AND m.case_id = ?2 ORDER BY m.id DESC LIMIT ?3";
static const char SQL_FAMILY_OF[] =
    "SELECT u.id, u.email FROM portal_links l JOIN users u ON u.id = l.user_id "
    "WHERE l.la_code = ?1 AND l.child_id = ?2 AND NOT u.disabled ORDER BY u.id LIMIT ?3";
static const char SQL_OUTBOX_INSERT[] =
    "INSERT INTO portal_outbox (la_code, to_user_id, to_email, subject, body, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char SQL_FILE_INSERT[] =
    "INSERT INTO portal_attachments (la_code, submission_id, filename, kind, size, content, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_FILES_OF_CASE[] =
    "SELECT f.id, f.submission_id, p.case_id, p.user_id, f.filename, f.kind, f.size, "
    "f.created_at FROM portal_attachments f JOIN portal_submissions p ON p.id = f.submission_id "
    "WHERE f.la_code = ?1 AND p.la_code = ?1 AND p.case_id = ?2 ORDER BY f.id LIMIT ?3";
static const char SQL_FILE_GET[] =
    "SELECT f.id, f.submission_id, p.case_id, p.user_id, f.filename, f.kind, f.size, "
    "f.created_at, f.content FROM portal_attachments f "
    "JOIN portal_submissions p ON p.id = f.submission_id "
    "WHERE f.la_code = ?1 AND p.la_code = ?1 AND f.id = ?2";

static const char SQL_ACCESS_OF_CHILD[] =
    "SELECT l.user_id, u.display_name, u.username, l.relationship, l.since "
    "FROM portal_links l JOIN users u ON u.id = l.user_id "
    "WHERE l.la_code = ?1 AND l.child_id = ?2 ORDER BY l.since, l.user_id LIMIT ?3";
static const char SQL_REMOVED_OF_CHILD[] =
    "SELECT h.user_id, u.display_name, u.username, h.relationship, h.since, h.removed_at, "
    "h.removed_by, h.reason FROM portal_link_history h JOIN users u ON u.id = h.user_id "
    "WHERE h.la_code = ?1 AND h.child_id = ?2 ORDER BY h.id DESC LIMIT ?3";
static const char SQL_LINK_TO_HISTORY[] =
    "INSERT INTO portal_link_history (user_id, la_code, child_id, relationship, since, "
    "removed_at, removed_by, reason) SELECT user_id, la_code, child_id, relationship, since, "
    "?4, ?5, ?6 FROM portal_links WHERE user_id = ?1 AND la_code = ?2 AND child_id = ?3";
static const char SQL_LINK_DELETE[] =
    "DELETE FROM portal_links WHERE user_id = ?1 AND la_code = ?2 AND child_id = ?3";
static const char SQL_REMOVED_COUNT[] =
    "SELECT count(*) FROM portal_link_history WHERE user_id = ?1";
static const char SQL_INVITES_OPEN[] =
    "SELECT count(*) FROM portal_invitations WHERE la_code = ?1 AND child_id = ?2 "
    "AND used_at IS NULL AND expires_at > ?3";
static const char SQL_INVITES_REVOKE[] =
    "UPDATE portal_invitations SET revoked_at = ?3, expires_at = ?3 "
    "WHERE la_code = ?1 AND child_id = ?2 AND used_at IS NULL AND expires_at > ?3";

int store_invitation_insert(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                            store_invitation *inv)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_INVITE_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, inv->la_code);
    sql_bind_int(q, 2, inv->child_id);
    sql_bind_blob(q, 3, hash, STORE_TOKEN_HASH_LEN);
    sql_bind_text(q, 4, inv->relationship);
    sql_bind_text(q, 5, inv->invitee_name);
    sql_bind_text(q, 6, inv->created_by);
    sql_bind_int(q, 7, inv->created_at);
    sql_bind_int(q, 8, inv->expires_at);
    return sql_int(q, &inv->id);
}

int store_invitation_by_hash(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                             arena *a, store_invitation *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_INVITE_BY_HASH, &q);
    if (rc)
        return rc;
    sql_bind_blob(q, 1, hash, STORE_TOKEN_HASH_LEN);
    rc = sql_one(q);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    out->id = sql_col_int(q, 0);
    out->child_id = sql_col_int(q, 2);
    out->created_at = sql_col_int(q, 6);
    out->expires_at = sql_col_int(q, 7);
    out->used_at = sql_col_int(q, 8);
    rc = sql_col_copy(q, 1, out->la_code, sizeof out->la_code);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 3, a, &out->relationship);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 4, a, &out->invitee_name);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 5, a, &out->created_by);
    sql_finish(q);
    return rc;
}

int store_invitation_use(store *s, int64_t id, int64_t user_id, int64_t now)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_INVITE_USE, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, id);
    sql_bind_int(q, 2, user_id);
    sql_bind_int(q, 3, now);
    return sql_exec_changed(q);
}

int store_portal_link_insert(store *s, int64_t user_id, const store_portal_link *l)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_LINK_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, user_id);
    sql_bind_text(q, 2, l->la_code);
    sql_bind_int(q, 3, l->child_id);
    sql_bind_text(q, 4, l->relationship);
    sql_bind_int(q, 5, l->since);
    return sql_exec(q);
}

/* One row of SQL_LINKS / SQL_LINK_GET into a store_portal_link. */
static int link_row(sql_stmt *q, arena *a, void *row)
{
    store_portal_link *l = row;
    memset(l, 0, sizeof *l);
    l->child_id = sql_col_int(q, 0);
    l->since = sql_col_int(q, 3);
    int rc = sql_col_copy(q, 1, l->la_code, sizeof l->la_code);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 2, a, &l->relationship);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 4, a, &l->forename);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 5, a, &l->surname);
    return rc;
}

int store_portal_links(store *s, int64_t user_id, arena *a, store_portal_link **out,
                       size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_LINKS, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, user_id);
    sql_bind_int(q, 2, STORE_PORTAL_CHILDREN_MAX);
    void *rows;
    rc = sql_rows(q, a, STORE_PORTAL_CHILDREN_MAX, sizeof **out, link_row, &rows, n);
    *out = rows;
    return rc;
}

int store_portal_link_get(store *s, int64_t user_id, int64_t child_id, arena *a,
                          store_portal_link *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_LINK_GET, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, user_id);
    sql_bind_int(q, 2, child_id);
    rc = sql_one(q);
    if (rc)
        return rc;
    rc = link_row(q, a, out);
    sql_finish(q);
    return rc;
}

int store_join_failure_add(store *s, const char *remote, int64_t now, int64_t forget_before)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FAILURE_FORGET, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, forget_before);
    rc = sql_exec(q);
    if (rc == SH_OK)
        rc = sql_prepare(s, SQL_FAILURE_ADD, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, remote);
    sql_bind_int(q, 2, now);
    return sql_exec(q);
}

int store_join_failures(store *s, const char *remote, int64_t since, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FAILURES, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, remote);
    sql_bind_int(q, 2, since);
    return sql_int(q, n);
}

int store_submission_insert(store *s, const char *la_code, store_submission *x)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_SUBMISSION_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, x->case_id);
    sql_bind_int(q, 3, x->user_id);
    sql_bind_text(q, 4, x->kind);
    sql_bind_text(q, 5, x->body ? x->body : "");
    sql_bind_text(q, 6, x->school ? x->school : "");
    sql_bind_int(q, 7, x->meeting ? 1 : 0);
    sql_bind_int(q, 8, x->created_at);
    return sql_int(q, &x->id);
}

/* One row of SQL_SUBMISSIONS into a store_submission. */
static int submission_row(sql_stmt *q, arena *a, void *row)
{
    store_submission *x = row;
    memset(x, 0, sizeof *x);
    x->id = sql_col_int(q, 0);
    x->case_id = sql_col_int(q, 1);
    x->user_id = sql_col_int(q, 2);
    x->meeting = sql_col_int(q, 6) != 0;
    x->created_at = sql_col_int(q, 7);
    int rc = sql_col_dup(q, 3, a, &x->kind);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 4, a, &x->body);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 5, a, &x->school);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 8, a, &x->display_name);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 9, a, &x->username);
    return rc;
}

int store_submission_list(store *s, const char *la_code, int64_t case_id, arena *a,
                          store_submission **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_SUBMISSIONS, la_code, case_id, STORE_PORTAL_SUBMISSIONS_MAX,
                       sizeof **out, submission_row, a, &rows, n);
    *out = rows;
    return rc;
}

int store_message_insert(store *s, const char *la_code, store_message *m)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_MESSAGE_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, m->case_id);
    sql_bind_int(q, 3, m->user_id);
    sql_bind_int(q, 4, m->from_family ? 1 : 0);
    sql_bind_text(q, 5, m->body);
    sql_bind_int(q, 6, m->created_at);
    return sql_int(q, &m->id);
}

/* One row of SQL_MESSAGES into a store_message. */
static int message_row(sql_stmt *q, arena *a, void *row)
{
    store_message *m = row;
    m->id = sql_col_int(q, 0);
    m->case_id = sql_col_int(q, 1);
    m->user_id = sql_col_int(q, 2);
    m->from_family = sql_col_int(q, 3) != 0;
    m->created_at = sql_col_int(q, 5);
    int rc = sql_col_dup(q, 4, a, &m->body);
    return rc ? rc : sql_col_dup(q, 6, a, &m->display_name);
}

int store_message_list(store *s, const char *la_code, int64_t case_id, arena *a,
                       store_message **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_MESSAGES, la_code, case_id, STORE_PORTAL_THREAD_MAX,
                       sizeof **out, message_row, a, &rows, n);
    store_message *m = rows;
    for (size_t i = 0; rc == SH_OK && i < *n / 2; i++) { /* newest first -> oldest first */
        store_message t = m[i];
        m[i] = m[*n - 1 - i];
        m[*n - 1 - i] = t;
    }
    *out = m;
    return rc;
}

int store_recipient_row(sql_stmt *q, arena *a, void *row)
{
    store_recipient *r = row;
    r->user_id = sql_col_int(q, 0);
    return sql_col_dup(q, 1, a, &r->email);
}

int store_portal_family_of(store *s, const char *la_code, int64_t child_id, arena *a,
                           store_recipient **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_FAMILY_OF, la_code, child_id, STORE_PORTAL_CHILDREN_MAX,
                       sizeof **out, store_recipient_row, a, &rows, n);
    *out = rows;
    return rc;
}

int store_outbox_insert(store *s, const char *la_code, int64_t to_user_id, const char *to_email,
                        const char *subject, const char *body, int64_t now)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_OUTBOX_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, to_user_id);
    sql_bind_text(q, 3, to_email);
    sql_bind_text(q, 4, subject);
    sql_bind_text(q, 5, body);
    sql_bind_int(q, 6, now);
    return sql_exec(q);
}

/* ---- attachments ------------------------------------------------------------------ */

int store_portal_file_insert(store *s, const char *la_code, store_portal_file *f)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FILE_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, f->submission_id);
    sql_bind_text(q, 3, f->filename);
    sql_bind_text(q, 4, f->kind);
    sql_bind_int(q, 5, (int64_t)f->size);
    sql_bind_blob(q, 6, f->content, f->size);
    sql_bind_int(q, 7, f->created_at);
    return sql_int(q, &f->id);
}

/* One row of SQL_FILES_OF_CASE / SQL_FILE_GET (without the content). */
static int file_row(sql_stmt *q, arena *a, void *row)
{
    store_portal_file *f = row;
    memset(f, 0, sizeof *f);
    f->id = sql_col_int(q, 0);
    f->submission_id = sql_col_int(q, 1);
    f->case_id = sql_col_int(q, 2);
    f->user_id = sql_col_int(q, 3);
    f->size = (size_t)sql_col_int(q, 6);
    f->created_at = sql_col_int(q, 7);
    int rc = sql_col_dup(q, 4, a, &f->filename);
    return rc ? rc : sql_col_dup(q, 5, a, &f->kind);
}

int store_portal_files_of_case(store *s, const char *la_code, int64_t case_id, arena *a,
                               store_portal_file **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_FILES_OF_CASE, la_code, case_id, STORE_PORTAL_FILES_MAX,
                       sizeof **out, file_row, a, &rows, n);
    *out = rows;
    return rc;
}

int store_portal_file_get(store *s, const char *la_code, int64_t id, arena *a,
                          store_portal_file *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FILE_GET, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    if ((rc = sql_one(q)))
        return rc;
    rc = file_row(q, a, out);
    size_t len = 0;
    if (rc == SH_OK)
        rc = sql_col_blob(q, 8, a, &out->content, &len);
    if (rc == SH_OK && len != out->size)
        rc = SH_EIO; /* the size recorded is the size stored */
    sql_finish(q);
    return rc;
}

/* ---- access held and withdrawn ---------------------------------------------------- */

/* One row of SQL_ACCESS_OF_CHILD / SQL_REMOVED_OF_CHILD. */
static int access_row(sql_stmt *q, arena *a, void *row)
{
    store_family_access *x = row;
    memset(x, 0, sizeof *x);
    x->user_id = sql_col_int(q, 0);
    x->since = sql_col_int(q, 4);
    int rc = sql_col_dup(q, 1, a, &x->display_name);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 2, a, &x->username);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 3, a, &x->relationship);
    return rc;
}

static int removed_row(sql_stmt *q, arena *a, void *row)
{
    store_family_access *x = row;
    int rc = access_row(q, a, row);
    x->removed_at = sql_col_int(q, 5);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 6, a, &x->removed_by);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 7, a, &x->reason);
    return rc;
}

static int access_list(store *s, const char *sql, sql_row_fn row, const char *la_code,
                       int64_t child_id, arena *a, store_family_access **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, sql, la_code, child_id, STORE_PORTAL_CHILDREN_MAX, sizeof **out, row,
                       a, &rows, n);
    *out = rows;
    return rc;
}

int store_portal_access_of_child(store *s, const char *la_code, int64_t child_id, arena *a,
                                 store_family_access **out, size_t *n)
{
    return access_list(s, SQL_ACCESS_OF_CHILD, access_row, la_code, child_id, a, out, n);
}

int store_portal_removed_of_child(store *s, const char *la_code, int64_t child_id, arena *a,
                                  store_family_access **out, size_t *n)
{
    return access_list(s, SQL_REMOVED_OF_CHILD, removed_row, la_code, child_id, a, out, n);
}

int store_portal_link_remove(store *s, int64_t user_id, const char *la_code, int64_t child_id,
                             const char *removed_by, const char *reason, int64_t now)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_LINK_TO_HISTORY, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, user_id);
    sql_bind_text(q, 2, la_code);
    sql_bind_int(q, 3, child_id);
    sql_bind_int(q, 4, now);
    sql_bind_text(q, 5, removed_by);
    sql_bind_text(q, 6, reason);
    if ((rc = sql_exec_changed(q)))
        return rc;
    if ((rc = sql_prepare(s, SQL_LINK_DELETE, &q)))
        return rc;
    sql_bind_int(q, 1, user_id);
    sql_bind_text(q, 2, la_code);
    sql_bind_int(q, 3, child_id);
    return sql_exec_changed(q);
}

int store_portal_removed_count(store *s, int64_t user_id, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_REMOVED_COUNT, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 1, user_id);
    return sql_int(q, n);
}

int store_invitations_open(store *s, const char *la_code, int64_t child_id, int64_t now,
                           int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_INVITES_OPEN, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, child_id);
    sql_bind_int(q, 3, now);
    return sql_int(q, n);
}

int store_invitations_revoke(store *s, const char *la_code, int64_t child_id, int64_t now,
                             int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_INVITES_REVOKE, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, child_id);
    sql_bind_int(q, 3, now);
    while ((rc = sql_next(q)) == SQL_ROW)
        ;
    *n = rc == SH_OK ? sql_changes(q) : 0; /* read before finishing: it resets q */
    sql_finish(q);
    return rc;
}
