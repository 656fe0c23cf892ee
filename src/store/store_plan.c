/*
 * store_plan.c — working drafts and issued versions of EHC plans (see the
 * header), one SQL text per statement for both engines.
 */
#include "store/store_plan.h"

#include <string.h>

#include "store/sql.h"
#include "util/err.h"

/* Issued versions of one case are few (a draft, a final, one or two per
 * year of amendments): a generous ceiling keeps a list bounded. */
#define PLAN_VERSIONS_MAX 500

static const char *const kind_names[STORE_PLAN_KIND_COUNT] = {"draft", "final", "proposed",
                                                              "amended"};

const char *store_plan_kind_name(store_plan_kind k)
{
    return (unsigned)k < STORE_PLAN_KIND_COUNT ? kind_names[k] : "";
}

int store_plan_kind_parse(const char *s)
{
    for (int i = 0; s && i < STORE_PLAN_KIND_COUNT; i++)
        if (strcmp(kind_names[i], s) == 0)
            return i;
    return -1;
}

static const char SQL_DRAFT_GET[] =
    "SELECT document FROM plan_drafts WHERE la_code = ?1 AND case_id = ?2";
static const char SQL_DRAFT_PUT[] =
    "INSERT INTO plan_drafts (la_code, case_id, document, updated_at, updated_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (la_code, case_id) DO UPDATE SET document = ?3, updated_at = ?4,"
    " updated_by = ?5";
static const char SQL_NEXT_VERSION[] =
    "SELECT coalesce(max(version), 0) + 1 FROM plan_versions"
    " WHERE la_code = ?1 AND case_id = ?2";
static const char SQL_VERSION_ADD[] =
    "INSERT INTO plan_versions (la_code, case_id, version, kind, issued_on, issued_by,"
    " event_id, document) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
static const char SQL_VERSIONS[] =
    "SELECT id, version, kind, issued_on, issued_by, event_id FROM plan_versions"
    " WHERE la_code = ?1 AND case_id = ?2 ORDER BY version LIMIT ?3";
static const char SQL_VERSION_GET[] =
    "SELECT id, version, kind, issued_on, issued_by, event_id, document FROM plan_versions"
    " WHERE la_code = ?1 AND case_id = ?2 AND version = ?3";

int store_plan_draft_get(store *s, const char *la_code, int64_t case_id, arena *a,
                         const char **document)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_DRAFT_GET, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    rc = sql_one(q);
    if (rc)
        return rc;
    rc = sql_col_dup(q, 0, a, document);
    sql_finish(q);
    return rc;
}

int store_plan_draft_put(store *s, const char *la_code, int64_t case_id, const char *document,
                         int64_t now, const char *by)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_DRAFT_PUT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    sql_bind_text(q, 3, document);
    sql_bind_int(q, 4, now);
    sql_bind_text(q, 5, by);
    return sql_exec(q);
}

int store_plan_version_add(store *s, const char *la_code, int64_t case_id,
                           store_plan_version *v)
{
    sql_stmt *q;
    int64_t next = 0;
    int rc = sql_prepare(s, SQL_NEXT_VERSION, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    rc = sql_int(q, &next);
    if (rc)
        return rc;
    rc = sql_prepare(s, SQL_VERSION_ADD, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    sql_bind_int(q, 3, next);
    sql_bind_text(q, 4, store_plan_kind_name(v->kind));
    sql_bind_date(q, 5, v->issued_on);
    sql_bind_text(q, 6, v->issued_by);
    sql_bind_int(q, 7, v->event_id);
    sql_bind_text(q, 8, v->document);
    rc = sql_int(q, &v->id);
    if (rc == SH_OK)
        v->version = (int)next;
    return rc;
}

/* Columns 0-5 of a version row (the document, when selected, is column 6). */
static int read_version(sql_stmt *q, arena *a, store_plan_version *v)
{
    memset(v, 0, sizeof *v);
    v->id = sql_col_int(q, 0);
    v->version = (int)sql_col_int(q, 1);
    int kind = store_plan_kind_parse(sql_col_text(q, 2));
    v->kind = kind < 0 ? STORE_PLAN_DRAFT : (store_plan_kind)kind;
    v->issued_on = sql_col_date(q, 3);
    v->event_id = sql_col_int(q, 5);
    int rc = sql_col_dup(q, 4, a, &v->issued_by);
    return rc ? rc : kind < 0 ? SH_EIO : SH_OK;
}

int store_plan_versions(store *s, const char *la_code, int64_t case_id, arena *a,
                        store_plan_version **out, size_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_VERSIONS, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    sql_bind_int(q, 3, PLAN_VERSIONS_MAX);
    size_t cap = 8, k = 0;
    store_plan_version *v = arena_alloc(a, cap * sizeof *v);
    if (!v)
        rc = SH_ENOMEM;
    while (rc == SH_OK && (rc = sql_next(q)) == SQL_ROW) {
        if (k == cap) {
            store_plan_version *w = arena_alloc(a, 2 * cap * sizeof *w);
            if (!w) {
                rc = SH_ENOMEM;
                break;
            }
            memcpy(w, v, k * sizeof *w);
            v = w;
            cap *= 2;
        }
        rc = read_version(q, a, &v[k++]);
    }
    sql_finish(q);
    if (rc)
        return rc;
    *out = v;
    *n = k;
    return SH_OK;
}

int store_plan_version_get(store *s, const char *la_code, int64_t case_id, int version,
                           arena *a, store_plan_version *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_VERSION_GET, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    sql_bind_int(q, 3, version);
    rc = sql_one(q);
    if (rc)
        return rc;
    rc = read_version(q, a, out);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 6, a, &out->document);
    sql_finish(q);
    return rc;
}
