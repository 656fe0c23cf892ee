/*
 * store_inspection.c — inspections and their findings over sql.h: one SQL
 * text per statement, run on either backend (store_inspection.h).
 */
#include "store/store_inspection.h"

#include <string.h>
#include <time.h>

#include "store/sql.h"
#include "util/err.h"

static const char SQL_INSPECTION_INSERT[] =
    "INSERT INTO inspections (la_code, framework, outcome, started_on, ended_on, published_on, "
    "plan_due_on, accepted_on, created_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
#define INSPECTION_COLS                                                                      \
    "SELECT id, framework, outcome, started_on, ended_on, published_on, plan_due_on, "      \
    "accepted_on, created_by, created_at FROM inspections "
static const char SQL_INSPECTION_GET[] = INSPECTION_COLS "WHERE la_code = ?1 AND id = ?2";
static const char SQL_INSPECTION_LIST[] =
    INSPECTION_COLS "WHERE la_code = ?1 ORDER BY published_on DESC, id DESC LIMIT ?2";

static const char SQL_FINDING_INSERT[] =
    "INSERT INTO inspection_findings (la_code, inspection_id, kind, title, wording, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
#define FINDING_COLS "SELECT id, inspection_id, kind, title, wording FROM inspection_findings "
static const char SQL_FINDING_LIST[] =
    FINDING_COLS "WHERE la_code = ?1 AND inspection_id = ?2 ORDER BY id LIMIT ?3";
static const char SQL_FINDING_GET[] = FINDING_COLS "WHERE la_code = ?1 AND id = ?2";
static const char SQL_FINDING_COUNT[] =
    "SELECT count(*) FROM inspection_findings WHERE la_code = ?1 AND inspection_id = ?2";

static const char SQL_ACTION_INSERT[] =
    "INSERT INTO inspection_actions (la_code, finding_id, title, owner_name, owner_org, start_on, "
    "due_on, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
#define ACTION_COLS                                                                          \
    "SELECT a.id, a.finding_id, f.inspection_id, a.title, a.owner_name, a.owner_org, "      \
    "a.start_on, a.due_on, a.status FROM inspection_actions a JOIN inspection_findings f "  \
    "ON f.la_code = a.la_code AND f.id = a.finding_id "
static const char SQL_ACTION_GET[] = ACTION_COLS "WHERE a.la_code = ?1 AND a.id = ?2";
static const char SQL_ACTION_LIST[] =
    ACTION_COLS "WHERE a.la_code = ?1 AND f.inspection_id = ?2 ORDER BY a.finding_id, a.id LIMIT ?3";
static const char SQL_ACTION_COUNT[] =
    "SELECT count(*) FROM inspection_actions a JOIN inspection_findings f "
    "ON f.la_code = a.la_code AND f.id = a.finding_id WHERE a.la_code = ?1 AND f.inspection_id = ?2";
static const char SQL_ACTION_STATUS[] =
    "UPDATE inspection_actions SET status = ?3 WHERE la_code = ?1 AND id = ?2";
static const char SQL_UPDATE_INSERT[] =
    "INSERT INTO inspection_action_updates (la_code, action_id, dated_on, status, note, "
    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_UPDATE_LIST[] =
    "SELECT id, action_id, dated_on, status, note, created_by FROM inspection_action_updates "
    "WHERE la_code = ?1 AND action_id = ?2 ORDER BY dated_on DESC, id DESC LIMIT ?3";

static const char SQL_MEASURE_INSERT[] =
    "INSERT INTO inspection_measures (la_code, finding_id, measure, baseline_on, baseline_x10, "
    "target_on, target_x10, created_at, pathway_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
static const char SQL_MEASURE_LIST[] =
    "SELECT m.id, m.finding_id, m.measure, m.baseline_on, m.baseline_x10, m.target_on, "
    "m.target_x10, m.pathway_id, p.name FROM inspection_measures m JOIN inspection_findings f "
    "ON f.la_code = m.la_code AND f.id = m.finding_id "
    "LEFT JOIN pathways p ON p.la_code = m.la_code AND p.id = m.pathway_id "
    "WHERE m.la_code = ?1 AND f.inspection_id = ?2 ORDER BY m.finding_id, m.id LIMIT ?3";

static const char SQL_JUDGEMENT_INSERT[] =
    "INSERT INTO inspection_judgements (la_code, inspection_id, judged_on, sufficient, reasons, "
    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_JUDGEMENT_LIST[] =
    "SELECT id, inspection_id, judged_on, sufficient, reasons, created_by "
    "FROM inspection_judgements WHERE la_code = ?1 AND inspection_id = ?2 "
    "ORDER BY judged_on DESC, id DESC LIMIT ?3";

/* Runs a statement returning one row bound as (?1 la_code, ?2 id). */
static int get_row(store *s, const char *sql, const char *la_code, int64_t id, sql_row_fn read,
                   arena *a, void *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, sql, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, id);
    if ((rc = sql_one(q)))
        return rc;
    rc = read(q, a, out);
    sql_finish(q);
    return rc;
}

int store_inspection_insert(store *s, const char *la_code, store_inspection *i)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_INSPECTION_INSERT, &q);
    if (rc)
        return rc;
    i->created_at = (int64_t)time(NULL);
    sql_bind_text(q, 1, la_code);
    sql_bind_text(q, 2, insp_framework_name(i->framework));
    sql_bind_text(q, 3, insp_outcome_name(i->outcome));
    sql_bind_date(q, 4, i->started_on);
    sql_bind_date(q, 5, i->ended_on);
    sql_bind_date(q, 6, i->published_on);
    sql_bind_date(q, 7, i->plan_due_on);
    sql_bind_date(q, 8, i->accepted_on);
    sql_bind_text(q, 9, i->created_by);
    sql_bind_int(q, 10, i->created_at);
    return sql_int(q, &i->id);
}

/* One row of INSPECTION_COLS into *i; a name the schema allows but this
 * build does not know is a stored-data fault. */
static int inspection_row(sql_stmt *q, arena *a, void *row)
{
    store_inspection *i = row;
    memset(i, 0, sizeof *i);
    i->id = sql_col_int(q, 0);
    if (insp_framework_parse(sql_col_text(q, 1), &i->framework) ||
        insp_outcome_parse(sql_col_text(q, 2), &i->outcome))
        return SH_EIO;
    i->started_on = sql_col_date(q, 3);
    i->ended_on = sql_col_date(q, 4);
    i->published_on = sql_col_date(q, 5);
    i->plan_due_on = sql_col_date(q, 6);
    i->accepted_on = sql_col_date(q, 7);
    i->created_at = sql_col_int(q, 9);
    return sql_col_dup(q, 8, a, &i->created_by);
}

int store_inspection_get(store *s, const char *la_code, int64_t id, arena *a,
                         store_inspection *out)
{
    return get_row(s, SQL_INSPECTION_GET, la_code, id, inspection_row, a, out);
}

int store_inspection_list(store *s, const char *la_code, arena *a, store_inspection **out,
                          size_t *n)
{
    return sql_list(s, SQL_INSPECTION_LIST, la_code, -1, STORE_INSPECTIONS_MAX, sizeof **out,
                     inspection_row, a, (void **)out, n);
}

int store_finding_insert(store *s, const char *la_code, store_finding *f)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FINDING_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, f->inspection_id);
    sql_bind_text(q, 3, insp_finding_name(f->kind));
    sql_bind_text(q, 4, f->title);
    sql_bind_text(q, 5, f->wording);
    sql_bind_int(q, 6, (int64_t)time(NULL));
    return sql_int(q, &f->id);
}

/* One row of FINDING_COLS into *f. */
static int finding_row(sql_stmt *q, arena *a, void *row)
{
    store_finding *f = row;
    memset(f, 0, sizeof *f);
    f->id = sql_col_int(q, 0);
    f->inspection_id = sql_col_int(q, 1);
    if (insp_finding_parse(sql_col_text(q, 2), &f->kind))
        return SH_EIO;
    int rc = sql_col_dup(q, 3, a, &f->title);
    return rc ? rc : sql_col_dup(q, 4, a, &f->wording);
}

int store_finding_get(store *s, const char *la_code, int64_t id, arena *a, store_finding *out)
{
    return get_row(s, SQL_FINDING_GET, la_code, id, finding_row, a, out);
}

int store_finding_list(store *s, const char *la_code, int64_t inspection_id, arena *a,
                       store_finding **out, size_t *n)
{
    return sql_list(s, SQL_FINDING_LIST, la_code, inspection_id, STORE_FINDINGS_MAX, sizeof **out,
                     finding_row, a, (void **)out, n);
}

int store_finding_count(store *s, const char *la_code, int64_t inspection_id, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_FINDING_COUNT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, inspection_id);
    return sql_int(q, n);
}

/* ---- actions -------------------------------------------------------------------- */

int store_action_insert(store *s, const char *la_code, store_action *a)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ACTION_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, a->finding_id);
    sql_bind_text(q, 3, a->title);
    sql_bind_text(q, 4, a->owner_name);
    sql_bind_text(q, 5, insp_org_name(a->owner_org));
    sql_bind_date(q, 6, a->start_on);
    sql_bind_date(q, 7, a->due_on);
    sql_bind_text(q, 8, insp_action_name(a->status));
    sql_bind_int(q, 9, (int64_t)time(NULL));
    return sql_int(q, &a->id);
}

/* One row of ACTION_COLS into *out. */
static int action_row(sql_stmt *q, arena *a, void *row)
{
    store_action *out = row;
    memset(out, 0, sizeof *out);
    out->id = sql_col_int(q, 0);
    out->finding_id = sql_col_int(q, 1);
    out->inspection_id = sql_col_int(q, 2);
    if (insp_org_parse(sql_col_text(q, 5), &out->owner_org) ||
        insp_action_parse(sql_col_text(q, 8), &out->status))
        return SH_EIO;
    out->start_on = sql_col_date(q, 6);
    out->due_on = sql_col_date(q, 7);
    int rc = sql_col_dup(q, 3, a, &out->title);
    return rc ? rc : sql_col_dup(q, 4, a, &out->owner_name);
}

int store_action_get(store *s, const char *la_code, int64_t id, arena *a, store_action *out)
{
    return get_row(s, SQL_ACTION_GET, la_code, id, action_row, a, out);
}

int store_action_list(store *s, const char *la_code, int64_t inspection_id, arena *a,
                      store_action **out, size_t *n)
{
    return sql_list(s, SQL_ACTION_LIST, la_code, inspection_id, STORE_ACTIONS_MAX, sizeof **out,
                     action_row, a, (void **)out, n);
}

int store_action_count(store *s, const char *la_code, int64_t inspection_id, int64_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_ACTION_COUNT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, inspection_id);
    return sql_int(q, n);
}

int store_action_update_insert(store *s, const char *la_code, store_action_update *u)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_UPDATE_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, u->action_id);
    sql_bind_date(q, 3, u->dated_on);
    sql_bind_text(q, 4, insp_action_name(u->status));
    sql_bind_text(q, 5, u->note);
    sql_bind_text(q, 6, u->created_by);
    sql_bind_int(q, 7, (int64_t)time(NULL));
    if ((rc = sql_int(q, &u->id)))
        return rc;
    if ((rc = sql_prepare(s, SQL_ACTION_STATUS, &q)))
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, u->action_id);
    sql_bind_text(q, 3, insp_action_name(u->status));
    return sql_exec_changed(q);
}

/* One row of SQL_UPDATE_LIST into *row. */
static int update_row(sql_stmt *q, arena *a, void *row)
{
    store_action_update *u = row;
    u->id = sql_col_int(q, 0);
    u->action_id = sql_col_int(q, 1);
    u->dated_on = sql_col_date(q, 2);
    if (insp_action_parse(sql_col_text(q, 3), &u->status))
        return SH_EIO;
    int rc = sql_col_dup(q, 4, a, &u->note);
    return rc ? rc : sql_col_dup(q, 5, a, &u->created_by);
}

int store_action_update_list(store *s, const char *la_code, int64_t action_id, arena *a,
                             store_action_update **out, size_t *n)
{
    return sql_list(s, SQL_UPDATE_LIST, la_code, action_id, STORE_UPDATES_MAX, sizeof **out,
                     update_row, a, (void **)out, n);
}

/* ---- measures ------------------------------------------------------------------ */

int store_measure_insert(store *s, const char *la_code, store_measure *m)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_MEASURE_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, m->finding_id);
    sql_bind_text(q, 3, insp_measure_name(m->measure));
    sql_bind_date(q, 4, m->baseline_on);
    sql_bind_int(q, 5, m->baseline_x10);
    sql_bind_date(q, 6, m->target_on);
    sql_bind_int(q, 7, m->target_x10);
    sql_bind_int(q, 8, (int64_t)time(NULL));
    sql_bind_int_opt(q, 9, m->pathway_id, 0);
    return sql_int(q, &m->id);
}

/* One row of SQL_MEASURE_LIST into *row. */
static int measure_row(sql_stmt *q, arena *a, void *row)
{
    store_measure *m = row;
    m->id = sql_col_int(q, 0);
    m->finding_id = sql_col_int(q, 1);
    if (insp_measure_parse(sql_col_text(q, 2), &m->measure))
        return SH_EIO;
    m->baseline_on = sql_col_date(q, 3);
    m->baseline_x10 = (int)sql_col_int(q, 4);
    m->target_on = sql_col_date(q, 5);
    m->target_x10 = (int)sql_col_int(q, 6);
    m->pathway_id = sql_col_int(q, 7);
    return sql_col_null(q, 8) ? SH_OK : sql_col_dup(q, 8, a, &m->pathway_name);
}

int store_measure_list(store *s, const char *la_code, int64_t inspection_id, arena *a,
                       store_measure **out, size_t *n)
{
    return sql_list(s, SQL_MEASURE_LIST, la_code, inspection_id, STORE_MEASURES_MAX, sizeof **out,
                     measure_row, a, (void **)out, n);
}

/* ---- the board's judgements ----------------------------------------------------- */

int store_judgement_insert(store *s, const char *la_code, store_judgement *j)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_JUDGEMENT_INSERT, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    sql_bind_int(q, 2, j->inspection_id);
    sql_bind_date(q, 3, j->judged_on);
    sql_bind_int(q, 4, j->sufficient ? 1 : 0);
    sql_bind_text(q, 5, j->reasons);
    sql_bind_text(q, 6, j->created_by);
    sql_bind_int(q, 7, (int64_t)time(NULL));
    return sql_int(q, &j->id);
}

/* One row of SQL_JUDGEMENT_LIST into *row. */
static int judgement_row(sql_stmt *q, arena *a, void *row)
{
    store_judgement *j = row;
    j->id = sql_col_int(q, 0);
    j->inspection_id = sql_col_int(q, 1);
    j->judged_on = sql_col_date(q, 2);
    j->sufficient = sql_col_int(q, 3) != 0;
    int rc = sql_col_dup(q, 4, a, &j->reasons);
    return rc ? rc : sql_col_dup(q, 5, a, &j->created_by);
}

int store_judgement_list(store *s, const char *la_code, int64_t inspection_id, arena *a,
                         store_judgement **out, size_t *n)
{
    return sql_list(s, SQL_JUDGEMENT_LIST, la_code, inspection_id, STORE_JUDGEMENTS_MAX,
                     sizeof **out, judgement_row, a, (void **)out, n);
}
