/*
 * store_sen2.c — bulk reads for the SEN2 return, over store/sql.h.
 */
#include "store/store_sen2.h"

#include <string.h>

#include "store/sql.h"
#include "util/err.h"

static const char SQL_CHILDREN[] =
    "SELECT c.id, c.forename, c.surname, c.date_of_birth, c.upn, c.postcode, c.sen_need1,"
    " c.sen_need2, c.setting_urn FROM children c WHERE c.la_code = ?1 AND EXISTS"
    " (SELECT 1 FROM cases k WHERE k.la_code = ?1 AND k.child_id = c.id) ORDER BY c.id";

static const char SQL_CASE_CHILDREN[] =
    "SELECT id, child_id FROM cases WHERE la_code = ?1 ORDER BY id";

/* Room for one more row, within the ceiling. */
static void *grow(arena *a, void *v, size_t n, size_t *cap, size_t size)
{
    return n < STORE_SEN2_MAX_ROWS ? arena_grow(a, v, n, cap, size, 256) : NULL;
}

static int need_code(sql_stmt *q, int col)
{
    const char *t = sql_col_text(q, col);
    return t ? ident_sen_type_parse(t, strlen(t)) : -1;
}

static int read_child(sql_stmt *q, arena *a, sen2_child *c)
{
    *c = (sen2_child){.id = sql_col_int(q, 0), .birth = sql_col_date(q, 3),
                      .sen_need = {need_code(q, 6), need_code(q, 7)}};
    int rc = sql_col_dup(q, 1, a, &c->forename);
    if (!rc)
        rc = sql_col_dup(q, 2, a, &c->surname);
    if (!rc)
        rc = sql_col_dup(q, 4, a, &c->upn);
    if (!rc)
        rc = sql_col_dup(q, 5, a, &c->postcode);
    if (!rc)
        rc = sql_col_dup(q, 8, a, &c->setting_urn);
    return rc;
}

int store_sen2_children(store *s, const char *la_code, arena *a, sen2_child **out, size_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_CHILDREN, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sen2_child *v = NULL;
    size_t k = 0, cap = 0;
    while ((rc = sql_next(q)) == SQL_ROW) {
        sen2_child *w = grow(a, v, k, &cap, sizeof *v);
        rc = w ? read_child(q, a, &w[k]) : k < STORE_SEN2_MAX_ROWS ? SH_ENOMEM : SH_ELIMIT;
        v = w ? w : v;
        if (rc)
            break;
        k++;
    }
    sql_finish(q);
    *out = v;
    *n = k;
    return rc;
}

int store_sen2_case_children(store *s, const char *la_code, arena *a,
                             store_sen2_case_child **out, size_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_CASE_CHILDREN, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    store_sen2_case_child *v = NULL;
    size_t k = 0, cap = 0;
    while ((rc = sql_next(q)) == SQL_ROW) {
        store_sen2_case_child *w = grow(a, v, k, &cap, sizeof *v);
        if (!w) {
            rc = k < STORE_SEN2_MAX_ROWS ? SH_ENOMEM : SH_ELIMIT;
            break;
        }
        v = w;
        v[k++] = (store_sen2_case_child){sql_col_int(q, 0), sql_col_int(q, 1)};
    }
    sql_finish(q);
    *out = v;
    *n = k;
    return rc;
}
