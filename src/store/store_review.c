/*
 * store_review.c — review records and transfer consultations over sql.h:
 * one SQL text per statement, run on either backend (store_review.h).
 */
#include "store/store_review.h"

#include <string.h>
#include <time.h>

#include "core/review.h"
#include "store/sql.h"
#include "util/err.h"

static const char SQL_REVIEW_INSERT[] =
    "INSERT INTO reviews (la_code, case_id, invited_on, invitees, invitees_other, "
    "meeting_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_REVIEW_LATEST[] =
    "SELECT id, case_id, invited_on, invitees, invitees_other, meeting_on, advice_on, "
    "attendees, report_on, report_text, recommendations, report_by, created_at "
    "FROM reviews WHERE la_code = ?1 AND case_id = ?2 ORDER BY id DESC LIMIT 1";
static const char SQL_REVIEW_ADVICE[] =
    "UPDATE reviews SET advice_on = ?3 WHERE la_code = ?1 AND id = ?2";
static const char SQL_REVIEW_MEETING[] =
    "UPDATE reviews SET meeting_on = ?3, attendees = ?4 WHERE la_code = ?1 AND id = ?2";
static const char SQL_REVIEW_REPORT[] =
    "UPDATE reviews SET report_on = ?3, report_text = ?4, recommendations = ?5, "
    "report_by = ?6 WHERE la_code = ?1 AND id = ?2";

static const char SQL_CONSULT_INSERT[] =
    "INSERT INTO transfer_consultations (la_code, case_id, setting_name, setting_urn, "
    "consulted_on, response, response_on, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
static const char SQL_CONSULT_RESPOND[] =
    "UPDATE transfer_consultations SET response = ?4, response_on = ?5 "
    "WHERE la_code = ?1 AND case_id = ?2 AND id = ?3";
static const char SQL_CONSULT_LIST[] =
    "SELECT id, case_id, setting_name, setting_urn, consulted_on, response, response_on "
    "FROM transfer_consultations WHERE la_code = ?1 AND case_id = ?2 ORDER BY id LIMIT ?3";
static const char SQL_CONSULT_COUNT_ALL[] =
    "SELECT count(DISTINCT case_id) FROM transfer_consultations WHERE la_code = ?1";
static const char SQL_CONSULT_COUNTS[] =
    "SELECT case_id, count(*), sum(CASE WHEN response = 'can_meet' THEN 1 ELSE 0 END) "
    "FROM transfer_consultations WHERE la_code = ?1 GROUP BY case_id ORDER BY case_id";

int store_review_insert(store *s, const char *la_code, store_review *r)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_REVIEW_INSERT, &q);
    if (rc)
        return rc;
    r->created_at = (int64_t)time(NULL);
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, r->case_id);
    sql_bind_date(q, 3, r->invited_on);
    sql_bind_int(q, 4, r->invitees);
    sql_bind_text_opt(q, 5, r->invitees_other);
    sql_bind_date(q, 6, r->meeting_on);
    sql_bind_int(q, 7, r->created_at);
    return sql_int(q, &r->id);
}

int store_review_latest(store *s, const char *la_code, int64_t case_id, arena *a,
                        store_review *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_REVIEW_LATEST, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    rc = sql_one(q);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    out->id = sql_col_int(q, 0);
    out->case_id = sql_col_int(q, 1);
    out->invited_on = sql_col_date(q, 2);
    out->invitees = (unsigned)sql_col_int(q, 3);
    out->meeting_on = sql_col_date(q, 5);
    out->advice_on = sql_col_date(q, 6);
    out->report_on = sql_col_date(q, 8);
    out->created_at = sql_col_int(q, 12);
    rc = sql_col_dup(q, 4, a, &out->invitees_other);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 7, a, &out->attendees);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 9, a, &out->report_text);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 10, a, &out->recommendations);
    if (rc == SH_OK)
        rc = sql_col_dup(q, 11, a, &out->report_by);
    sql_finish(q);
    return rc;
}

int store_review_set_advice(store *s, const char *la_code, int64_t id, date_t advice_on)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_REVIEW_ADVICE, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    sql_bind_date(q, 3, advice_on);
    return sql_exec_changed(q);
}

int store_review_set_meeting(store *s, const char *la_code, int64_t id, date_t meeting_on,
                             const char *attendees)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_REVIEW_MEETING, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    sql_bind_date(q, 3, meeting_on);
    sql_bind_text_opt(q, 4, attendees);
    return sql_exec_changed(q);
}

int store_review_set_report(store *s, const char *la_code, int64_t id, date_t report_on,
                            const char *text, const char *recommendations, const char *by)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_REVIEW_REPORT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    sql_bind_date(q, 3, report_on);
    sql_bind_text_opt(q, 4, text);
    sql_bind_text_opt(q, 5, recommendations);
    sql_bind_text_opt(q, 6, by);
    return sql_exec_changed(q);
}

int store_consultation_insert(store *s, const char *la_code, store_consultation *c)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_CONSULT_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, c->case_id);
    sql_bind_text(q, 3, c->setting_name);
    sql_bind_text_opt(q, 4, c->setting_urn);
    sql_bind_date(q, 5, c->consulted_on);
    sql_bind_text(q, 6, review_consult_name((review_consult_response)c->response));
    sql_bind_date(q, 7, c->response_on);
    sql_bind_int(q, 8, (int64_t)time(NULL));
    return sql_int(q, &c->id);
}

int store_consultation_respond(store *s, const char *la_code, int64_t case_id, int64_t id,
                               int response, date_t response_on)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_CONSULT_RESPOND, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, case_id);
    sql_bind_int(q, 3, id);
    sql_bind_text(q, 4, review_consult_name((review_consult_response)response));
    sql_bind_date(q, 5, response_on);
    return sql_exec_changed(q);
}

/* One row of SQL_CONSULT_LIST into *c; a response name the schema allows
 * but this build does not know is a stored-data fault. */
static int consult_row(sql_stmt *q, arena *a, void *row)
{
    store_consultation *c = row;
    memset(c, 0, sizeof *c);
    c->id = sql_col_int(q, 0);
    c->case_id = sql_col_int(q, 1);
    c->consulted_on = sql_col_date(q, 4);
    c->response_on = sql_col_date(q, 6);
    c->response = review_consult_parse(sql_col_text(q, 5));
    if (c->response < 0)
        return SH_EIO;
    int rc = sql_col_dup(q, 2, a, &c->setting_name);
    if (rc == SH_OK && !sql_col_null(q, 3))
        rc = sql_col_copy(q, 3, c->setting_urn, sizeof c->setting_urn);
    return rc;
}

int store_consultation_list(store *s, const char *la_code, int64_t case_id, arena *a,
                            store_consultation **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_CONSULT_LIST, la_code, case_id, STORE_CONSULT_MAX, sizeof **out,
                      consult_row, a, &rows, n);
    *out = rows;
    return rc;
}

int store_consultation_counts(store *s, const char *la_code, arena *a,
                              store_consultation_count **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    int64_t cases = 0;
    int rc = sql_prepare(s, SQL_CONSULT_COUNT_ALL, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    if ((rc = sql_int(q, &cases)))
        return rc;
    store_consultation_count *rows = arena_calloc(a, cases ? (size_t)cases : 1, sizeof *rows);
    if (!rows)
        return SH_ENOMEM;
    if ((rc = sql_prepare(s, SQL_CONSULT_COUNTS, &q)))
        return rc;
    sql_bind_text(q, 1, la_code);
    size_t k = 0;
    /* rows added since the count are left for the next look */
    while ((rc = sql_next(q)) == SQL_ROW && k < (size_t)cases)
        rows[k++] = (store_consultation_count){sql_col_int(q, 0), (int)sql_col_int(q, 1),
                                               (int)sql_col_int(q, 2)};
    sql_finish(q);
    if (rc == SQL_ROW)
        rc = SH_OK;
    if (rc == SH_OK) {
        *out = rows;
        *n = k;
    }
    return rc;
}
