/*
 * store_evidence.c — the person-level list's rows (store_evidence.h), one
 * SQL text for both backends (sql.h).
 */
#include "store/store_evidence.h"

#include "store/sql.h"
#include "util/err.h"

/* An ordered walk of the area's cases by primary key with two index
 * lookups per row (the child by its key, the setting by its URN). */
static const char SQL_EVIDENCE_CASES[] =
    "SELECT c.id, c.child_id, c.coordinator, c.stage, c.request_date, c.final_plan_date,"
    "       ch.forename, ch.surname, ch.date_of_birth, ch.upn, ch.sen_need1, ch.setting_urn,"
    "       st.name, st.type, st.la_code"
    "  FROM cases c"
    "  JOIN children ch ON ch.la_code = c.la_code AND ch.id = c.child_id"
    "  LEFT JOIN settings st ON st.urn = ch.setting_urn"
    " WHERE c.la_code = ?1 AND c.id >= ?2 AND c.id <= ?3"
    "   AND c.stage NOT IN ('refused', 'no_plan', 'ceased')"
    " ORDER BY c.id";

/* The children with a recorded need and no open case, by the children's
 * primary key; the open-case test is an index lookup (cases_child). */
#define NO_OPEN_CASE                                                                    \
    " NOT EXISTS (SELECT 1 FROM cases c WHERE c.child_id = ch.id AND c.la_code = ch.la_code" \
    " AND c.stage NOT IN ('refused', 'no_plan', 'ceased'))"

static const char SQL_EVIDENCE_CHILDREN[] =
    "SELECT ch.id, ch.forename, ch.surname, ch.date_of_birth, ch.upn, ch.sen_need1,"
    "       ch.setting_urn, st.name, st.type, st.la_code"
    "  FROM children ch"
    "  LEFT JOIN settings st ON st.urn = ch.setting_urn"
    " WHERE ch.la_code = ?1 AND ch.id >= ?2 AND ch.id <= ?3 AND ch.sen_need1 IS NOT NULL"
    "   AND" NO_OPEN_CASE
    " ORDER BY ch.id";

static const char SQL_EVIDENCE_CHILD_RANGE[] =
    "SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM children WHERE la_code = ?1";

static const char SQL_EVIDENCE_COUNT[] =
    "SELECT (SELECT count(*) FROM cases"
    "         WHERE la_code = ?1 AND stage NOT IN ('refused', 'no_plan', 'ceased'))"
    "     + (SELECT count(*) FROM children ch"
    "         WHERE ch.la_code = ?1 AND ch.sen_need1 IS NOT NULL AND" NO_OPEN_CASE ")";

int store_evidence_cases(store *s, const char *la_code, int64_t first_case, int64_t last_case,
                         store_evidence_fn fn, void *ctx)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_EVIDENCE_CASES, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, first_case);
    sql_bind_int(q, 3, last_case);
    while ((rc = sql_next(q)) == SQL_ROW) {
        const char *coordinator = sql_col_text(q, 2);
        store_evidence_row r = {
            .case_id = sql_col_int(q, 0), .child_id = sql_col_int(q, 1),
            .coordinator = coordinator ? coordinator : "", .stage = sql_col_text(q, 3),
            .request_date = sql_col_date(q, 4), .final_plan_date = sql_col_date(q, 5),
            .forename = sql_col_text(q, 6), .surname = sql_col_text(q, 7),
            .date_of_birth = sql_col_date(q, 8), .upn = sql_col_text(q, 9),
            .sen_need = sql_col_text(q, 10), .setting_urn = sql_col_text(q, 11),
            .setting_name = sql_col_text(q, 12), .setting_type = sql_col_text(q, 13),
            .setting_la = sql_col_text(q, 14)};
        rc = fn(ctx, &r);
        if (rc)
            break;
    }
    sql_finish(q);
    return rc;
}

int store_evidence_children(store *s, const char *la_code, int64_t first_child,
                            int64_t last_child, store_evidence_fn fn, void *ctx)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_EVIDENCE_CHILDREN, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, first_child);
    sql_bind_int(q, 3, last_child);
    while ((rc = sql_next(q)) == SQL_ROW) {
        store_evidence_row r = {
            .child_id = sql_col_int(q, 0), .coordinator = "",
            .request_date = DATE_NONE, .final_plan_date = DATE_NONE,
            .forename = sql_col_text(q, 1), .surname = sql_col_text(q, 2),
            .date_of_birth = sql_col_date(q, 3), .upn = sql_col_text(q, 4),
            .sen_need = sql_col_text(q, 5), .setting_urn = sql_col_text(q, 6),
            .setting_name = sql_col_text(q, 7), .setting_type = sql_col_text(q, 8),
            .setting_la = sql_col_text(q, 9)};
        rc = fn(ctx, &r);
        if (rc)
            break;
    }
    sql_finish(q);
    return rc;
}

int store_evidence_child_range(store *s, const char *la_code, int64_t *min_id, int64_t *max_id)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_EVIDENCE_CHILD_RANGE, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    rc = sql_one(q);
    if (rc == SH_OK) {
        *min_id = sql_col_int(q, 0);
        *max_id = sql_col_int(q, 1);
        sql_finish(q);
    }
    return rc;
}

int store_evidence_count(store *s, const char *la_code, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_EVIDENCE_COUNT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    return sql_int(q, n);
}
