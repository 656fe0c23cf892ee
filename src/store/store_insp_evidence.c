/*
 * store_insp_evidence.c — evidence documents on the plan's actions over
 * sql.h: one SQL text per statement, run on either backend
 * (store_insp_evidence.h).
 */
#include "store/store_insp_evidence.h"

#include <string.h>

#include "store/sql.h"
#include "store/store_inspection.h"
#include "util/err.h"

static const char SQL_INSERT[] =
    "INSERT INTO inspection_action_documents (la_code, action_id, title, evidence_on, "
    "filename, kind, size, content, uploaded_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
static const char SQL_TOTAL[] =
    "SELECT count(*) FROM inspection_action_documents WHERE la_code = ?1 AND action_id = ?2";
#define COLS                                                                                \
    "SELECT id, action_id, title, evidence_on, filename, kind, size, uploaded_by, "         \
    "created_at, withdrawn_at, withdrawn_by, withdrawn_reason"
static const char SQL_LIST[] =
    COLS " FROM inspection_action_documents WHERE la_code = ?1 AND action_id = ?2 "
         "ORDER BY id LIMIT ?3";
static const char SQL_GET[] =
    COLS ", content FROM inspection_action_documents WHERE la_code = ?1 AND id = ?2";
static const char SQL_WITHDRAW[] =
    "UPDATE inspection_action_documents SET withdrawn_at = ?3, withdrawn_by = ?4, "
    "withdrawn_reason = ?5 WHERE la_code = ?1 AND id = ?2 AND withdrawn_at IS NULL";
static const char SQL_COUNTS[] =
    "SELECT d.action_id, count(*), "
    "sum(CASE WHEN d.withdrawn_at IS NULL THEN 0 ELSE 1 END) "
    "FROM inspection_action_documents d "
    "JOIN inspection_actions a ON a.la_code = d.la_code AND a.id = d.action_id "
    "JOIN inspection_findings f ON f.la_code = a.la_code AND f.id = a.finding_id "
    "WHERE d.la_code = ?1 AND f.inspection_id = ?2 GROUP BY d.action_id ORDER BY d.action_id "
    "LIMIT ?3";

int store_insp_doc_insert(store *s, const char *la_code, store_insp_doc *d)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, d->action_id);
    sql_bind_text(q, 3, d->title);
    sql_bind_date(q, 4, d->evidence_on);
    sql_bind_text(q, 5, d->filename);
    sql_bind_text(q, 6, d->kind);
    sql_bind_int(q, 7, (int64_t)d->size);
    sql_bind_blob(q, 8, d->content, d->size);
    sql_bind_text(q, 9, d->uploaded_by);
    sql_bind_int(q, 10, d->created_at);
    return sql_int(q, &d->id);
}

int store_insp_doc_total(store *s, const char *la_code, int64_t action_id, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_TOTAL, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, action_id);
    return sql_int(q, n);
}

/* One row of COLS into the store_insp_doc at `row` (without the content). */
static int doc_row(sql_stmt *q, arena *a, void *row)
{
    store_insp_doc *d = row;
    memset(d, 0, sizeof *d);
    d->id = sql_col_int(q, 0);
    d->action_id = sql_col_int(q, 1);
    d->evidence_on = sql_col_date(q, 3);
    d->size = (size_t)sql_col_int(q, 6);
    d->created_at = sql_col_int(q, 8);
    d->withdrawn_at = sql_col_int(q, 9);
    int rc = sql_col_dup(q, 2, a, &d->title);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 4, a, &d->filename);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 5, a, &d->kind);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 7, a, &d->uploaded_by);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 10, a, &d->withdrawn_by);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 11, a, &d->withdrawn_reason);
    return rc;
}

int store_insp_doc_list(store *s, const char *la_code, int64_t action_id, arena *a,
                        store_insp_doc **out, size_t *n)
{
    void *got;
    int rc = sql_list(s, SQL_LIST, la_code, action_id, STORE_INSP_DOCS_MAX, sizeof **out, doc_row,
                  a, &got, n);
    *out = got;
    return rc;
}

int store_insp_doc_get(store *s, const char *la_code, int64_t id, arena *a, store_insp_doc *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_GET, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    if ((rc = sql_one(q)))
        return rc;
    rc = doc_row(q, a, out);
    size_t len = 0;
    if (rc == SH_OK)
        rc = sql_col_blob(q, 12, a, &out->content, &len);
    if (rc == SH_OK && len != out->size)
        rc = SH_EIO; /* the size recorded is the size stored */
    sql_finish(q);
    return rc;
}

int store_insp_doc_withdraw(store *s, const char *la_code, int64_t id, const char *by,
                            const char *reason, int64_t at)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_WITHDRAW, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    sql_bind_int(q, 3, at);
    sql_bind_text(q, 4, by);
    sql_bind_text(q, 5, reason);
    return sql_exec_changed(q);
}

/* One row of SQL_COUNTS: the action, all its documents, the withdrawn. */
static int count_row(sql_stmt *q, arena *a, void *row)
{
    (void)a;
    int64_t total = sql_col_int(q, 1), withdrawn = sql_col_int(q, 2);
    *(store_insp_doc_count *)row = (store_insp_doc_count){
        .action_id = sql_col_int(q, 0), .current = (size_t)(total - withdrawn),
        .withdrawn = (size_t)withdrawn};
    return SH_OK;
}

int store_insp_doc_counts(store *s, const char *la_code, int64_t inspection_id, arena *a,
                          store_insp_doc_count **out, size_t *n)
{
    void *got;
    int rc = sql_list(s, SQL_COUNTS, la_code, inspection_id, STORE_ACTIONS_MAX, sizeof **out,
                  count_row, a, &got, n);
    *out = got;
    return rc;
}
