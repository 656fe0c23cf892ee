/*
 * store_insp_comment.c — comments on the plan's actions over sql.h: one SQL
 * text per statement, run on either backend (store_insp_comment.h).
 */
#include "store/store_insp_comment.h"


#include "store/sql.h"
#include "util/err.h"

static const char SQL_INSERT[] =
    "INSERT INTO inspection_action_comments (la_code, action_id, body, author, author_name, "
    "author_role, organisation, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "RETURNING id";
static const char SQL_COUNT[] =
    "SELECT count(*) FROM inspection_action_comments WHERE la_code = ?1 AND action_id = ?2";
#define COLS                                                                                \
    "SELECT c.id, c.action_id, c.body, c.author, c.author_name, c.author_role, "           \
    "c.organisation, c.created_at, a.title FROM inspection_action_comments c "              \
    "JOIN inspection_actions a ON a.la_code = c.la_code AND a.id = c.action_id "
static const char SQL_LIST[] =
    COLS "WHERE c.la_code = ?1 AND c.action_id = ?2 ORDER BY c.id LIMIT ?3";
static const char SQL_FORUM_TO[] =
    "SELECT DISTINCT u.id, u.email FROM inspection_action_comments c "
    "JOIN users u ON u.la_code = c.la_code AND u.username = c.author "
    "WHERE c.la_code = ?1 AND c.action_id = ?2 AND u.role = 'forum' AND NOT u.disabled "
    "AND u.email IS NOT NULL AND u.email <> '' ORDER BY u.id LIMIT ?3";
static const char SQL_PLAN[] =
    COLS "JOIN inspection_findings f ON f.la_code = a.la_code AND f.id = a.finding_id "
         "WHERE c.la_code = ?1 AND f.inspection_id = ?2 ORDER BY c.id DESC LIMIT ?3";

int store_insp_comment_insert(store *s, const char *la_code, store_insp_comment *c)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, c->action_id);
    sql_bind_text(q, 3, c->body);
    sql_bind_text(q, 4, c->author);
    sql_bind_text(q, 5, c->author_name);
    sql_bind_text(q, 6, c->author_role);
    sql_bind_text_opt(q, 7, c->organisation);
    sql_bind_int(q, 8, c->created_at);
    return sql_int(q, &c->id);
}

int store_insp_comment_count(store *s, const char *la_code, int64_t action_id, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_COUNT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, action_id);
    return sql_int(q, n);
}

/* One row of COLS into a store_insp_comment (zeroed by sql_rows). */
static int comment_row(sql_stmt *q, arena *a, void *row)
{
    store_insp_comment *c = row;
    c->id = sql_col_int(q, 0);
    c->action_id = sql_col_int(q, 1);
    c->created_at = sql_col_int(q, 7);
    int rc = sql_col_dup(q, 2, a, &c->body);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 3, a, &c->author);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 4, a, &c->author_name);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 5, a, &c->author_role);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 6, a, &c->organisation);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 8, a, &c->action_title);
    return rc;
}

/* Runs SQL_LIST or SQL_PLAN for (la_code, parent), at most cap rows. */
static int list(store *s, const char *sql, const char *la_code, int64_t parent, size_t cap,
                arena *a, store_insp_comment **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, sql, la_code, parent, cap, sizeof **out, comment_row, a, &rows, n);
    *out = rows;
    return rc;
}

int store_insp_comment_list(store *s, const char *la_code, int64_t action_id, arena *a,
                            store_insp_comment **out, size_t *n)
{
    return list(s, SQL_LIST, la_code, action_id, STORE_COMMENTS_MAX, a, out, n);
}

int store_insp_comment_plan(store *s, const char *la_code, int64_t inspection_id, arena *a,
                            store_insp_comment **out, size_t *n)
{
    return list(s, SQL_PLAN, la_code, inspection_id, STORE_PLAN_COMMENTS_MAX, a, out, n);
}

int store_insp_comment_forum_to(store *s, const char *la_code, int64_t action_id, arena *a,
                                store_recipient **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_FORUM_TO, la_code, action_id, STORE_COMMENTS_MAX, sizeof **out,
                      store_recipient_row, a, &rows, n);
    *out = rows;
    return rc;
}
