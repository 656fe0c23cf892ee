/*
 * store_dash.c — the dashboard's per-case child facts (store_dash.h), one
 * SQL text for both backends (sql.h).
 */
#include "store/store_dash.h"

#include "store/sql.h"
#include "util/err.h"

/* The children and settings joins follow the foreign key and the settings
 * primary key, so the pass is one ordered walk of cases (its rowid / primary
 * key) with two index lookups per row. */
static const char SQL_DASH_CASES[] =
    "SELECT c.id, ch.date_of_birth, ch.sen_need1, st.type"
    "  FROM cases c"
    "  JOIN children ch ON ch.la_code = c.la_code AND ch.id = c.child_id"
    "  LEFT JOIN settings st ON st.urn = ch.setting_urn"
    " WHERE c.la_code = ?1 AND c.id >= ?2 AND c.id <= ?3"
    " ORDER BY c.id";

static const char SQL_DASH_CASES_ALL[] =
    "SELECT c.id, ch.date_of_birth, ch.sen_need1, st.type"
    "  FROM cases c"
    "  JOIN children ch ON ch.la_code = c.la_code AND ch.id = c.child_id"
    "  LEFT JOIN settings st ON st.urn = ch.setting_urn"
    " WHERE c.id >= ?2 AND c.id <= ?3 AND CAST(?1 AS TEXT) IS NULL"
    " ORDER BY c.id";

int store_dash_cases(store *s, const char *la_code, int64_t first_case, int64_t last_case,
                     store_dash_fn fn, void *ctx)
{
    sql_stmt *q;
    int rc = sql_prepare(s, la_code ? SQL_DASH_CASES : SQL_DASH_CASES_ALL, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, first_case);
    sql_bind_int(q, 3, last_case);
    while ((rc = sql_next(q)) == SQL_ROW) {
        store_dash_case c = {.case_id = sql_col_int(q, 0), .date_of_birth = sql_col_date(q, 1),
                             .sen_need = sql_col_text(q, 2), .setting_type = sql_col_text(q, 3)};
        rc = fn(ctx, &c);
        if (rc)
            break;
    }
    sql_finish(q);
    return rc;
}
