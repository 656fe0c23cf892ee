/*
 * store_health.c — pathways, referrals and clock stops over store/sql.h:
 * one SQL text per statement for SQLite and PostgreSQL (contract in
 * store_health.h, tables in schema/<dialect>/003_health.sql).
 *
 * Optional filters are bound as values that match everything (the widest
 * dates, '' for any triage, 0 for any state) rather than NULL tests, so
 * PostgreSQL can infer every parameter's type from its column and both
 * engines use the (la_code, pathway_id, referral_date, id) index.
 */
#include "store/store_health.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sql.h"
#include "util/err.h"

/* ---- pathways ----------------------------------------------------------- */

#define PATHWAY_COLS                                                                     \
    "id, la_code, code, name, provider, standard_weeks, clock_stop, capacity_per_week, " \
    "active"

static const char SQL_PATHWAY_PUT[] =
    "INSERT INTO pathways (la_code, code, name, provider, standard_weeks, clock_stop,"
    " capacity_per_week, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT (la_code, code) DO UPDATE SET name = excluded.name,"
    " provider = excluded.provider, standard_weeks = excluded.standard_weeks,"
    " clock_stop = excluded.clock_stop, capacity_per_week = excluded.capacity_per_week,"
    " active = excluded.active RETURNING id";
static const char SQL_PATHWAY_GET[] =
    "SELECT " PATHWAY_COLS " FROM pathways WHERE la_code = ?1 AND id = ?2";
static const char SQL_PATHWAY_BY_CODE[] =
    "SELECT " PATHWAY_COLS " FROM pathways WHERE la_code = ?1 AND code = ?2";
static const char SQL_PATHWAY_LIST[] =
    "SELECT " PATHWAY_COLS " FROM pathways WHERE la_code = ?1 AND active >= ?2"
    " ORDER BY name, id LIMIT ?3";

/* ---- referrals ---------------------------------------------------------- */

#define REFERRAL_COLS                                                                      \
    "r.id, r.la_code, r.child_id, r.pathway_id, r.referrer, r.referral_date, r.priority, " \
    "r.triage, r.triage_date, r.triage_reason, r.first_contact, r.assessment_started, "    \
    "r.assessment_completed, r.outcome, r.outcome_code, r.discharged, r.created_at"

/* Open: still with the service (not discharged, rejected or redirected). */
#define REFERRAL_OPEN "(r.discharged IS NULL AND r.triage NOT IN ('rejected', 'redirected'))"
/* The pathway's clock-stop milestone, given the pathway as p. */
#define REFERRAL_SEEN \
    "(CASE p.clock_stop WHEN 'first_contact' THEN r.first_contact ELSE r.assessment_started END)"

static const char SQL_REFERRAL_INSERT[] =
    "INSERT INTO referrals (la_code, child_id, pathway_id, referrer, referral_date, priority,"
    " triage, triage_date, triage_reason, first_contact, assessment_started,"
    " assessment_completed, outcome, outcome_code, discharged, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    " RETURNING id";
static const char SQL_REFERRAL_GET[] =
    "SELECT " REFERRAL_COLS " FROM referrals r WHERE r.la_code = ?1 AND r.id = ?2";
static const char SQL_REFERRAL_UPDATE[] =
    "UPDATE referrals SET priority = ?3, triage = ?4, triage_date = ?5, triage_reason = ?6,"
    " first_contact = ?7, assessment_started = ?8, assessment_completed = ?9,"
    " outcome = ?10, outcome_code = ?11, discharged = ?12"
    " WHERE la_code = ?1 AND id = ?2";
static const char SQL_REFERRAL_CHILD[] =
    "SELECT " REFERRAL_COLS " FROM referrals r WHERE r.la_code = ?1 AND r.child_id = ?2"
    " AND (?3 = 0 OR " REFERRAL_OPEN ") ORDER BY r.referral_date DESC, r.id DESC LIMIT ?4";

#define REFERRAL_FILTER                                                                   \
    " FROM referrals r JOIN pathways p ON p.la_code = r.la_code AND p.id = r.pathway_id"  \
    " WHERE r.la_code = ?1 AND r.pathway_id = ?2"                                          \
    " AND r.referral_date >= ?3 AND r.referral_date <= ?4"                                \
    " AND (CAST(?5 AS TEXT) = '' OR r.triage = ?5)"                                        \
    " AND (?6 = 0"                                                                         \
    " OR (?6 = 1 AND " REFERRAL_OPEN " AND " REFERRAL_SEEN " IS NULL)"                     \
    " OR (?6 = 2 AND " REFERRAL_OPEN ")"                                                   \
    " OR (?6 = 3 AND NOT " REFERRAL_OPEN "))"

static const char SQL_REFERRAL_LIST[] =
    "SELECT " REFERRAL_COLS REFERRAL_FILTER " ORDER BY r.referral_date, r.id LIMIT ?7 OFFSET ?8";
static const char SQL_REFERRAL_COUNT[] = "SELECT count(*)" REFERRAL_FILTER;

/* The referral, whether it is waiting, and its pathway's clock stop. */
static const char SQL_REFERRAL_PLACE[] =
    "SELECT r.pathway_id, r.priority, r.referral_date, p.clock_stop,"
    " CASE WHEN " REFERRAL_OPEN " AND " REFERRAL_SEEN " IS NULL THEN 1 ELSE 0 END"
    " FROM referrals r JOIN pathways p ON p.la_code = r.la_code AND p.id = r.pathway_id"
    " WHERE r.la_code = ?1 AND r.id = ?2";
/* The pathway's waiting counts by priority, and how many of priority ?3
 * stand at or before (referral date ?4, id ?5); ?6 is the clock stop. */
static const char SQL_REFERRAL_QUEUE[] =
    "SELECT coalesce(sum(CASE WHEN r.priority = 'routine' THEN 1 ELSE 0 END), 0),"
    " coalesce(sum(CASE WHEN r.priority = 'urgent' THEN 1 ELSE 0 END), 0),"
    " coalesce(sum(CASE WHEN r.priority = ?3 AND (r.referral_date < ?4"
    "  OR (r.referral_date = ?4 AND r.id <= ?5)) THEN 1 ELSE 0 END), 0)"
    " FROM referrals r WHERE r.la_code = ?1 AND r.pathway_id = ?2 AND " REFERRAL_OPEN
    " AND (CASE WHEN CAST(?6 AS TEXT) = 'first_contact' THEN r.first_contact"
    " ELSE r.assessment_started END) IS NULL";

static const char SQL_LOAD_STOP[] =
    "SELECT clock_stop FROM pathways WHERE la_code = ?1 AND id = ?2";
/* Only what the statistics use: the pathway's own milestone (one text per
 * milestone, so no row evaluates a choice), the triage date only where it
 * ends the wait, so most rows carry two dates, and only referrals that had
 * not left the list before ?3 (seen, discharged, rejected or redirected
 * earlier), all tested on the covering index. */
#define SQL_LOAD_TEXT(milestone)                                                         \
    "SELECT id, referral_date,"                                                          \
    " CASE WHEN triage IN ('rejected', 'redirected') THEN triage_date END, "             \
    milestone ", discharged, triage, priority"                                           \
    " FROM referrals WHERE la_code = ?1 AND pathway_id = ?2"                             \
    " AND (" milestone " IS NULL OR " milestone " >= ?3)"                                \
    " AND (discharged IS NULL OR discharged >= ?3)"                                      \
    " AND NOT (triage IN ('rejected', 'redirected') AND triage_date < ?3)"               \
    " ORDER BY referral_date, id"
static const char SQL_LOAD_FIRST_CONTACT[] = SQL_LOAD_TEXT("first_contact");
static const char SQL_LOAD_ASSESSMENT[] = SQL_LOAD_TEXT("assessment_started");
/* The area's stops by referral: no join, so the referrals' table is not
 * visited; the load pairs them with its referrals in memory. */
static const char SQL_LOAD_STOPS[] =
    "SELECT referral_id, stopped, restarted FROM clock_stops WHERE la_code = ?1"
    " ORDER BY referral_id, stopped, id";

/* ---- clock stops -------------------------------------------------------- */

static const char SQL_REFERRAL_DATE[] =
    "SELECT referral_date FROM referrals WHERE la_code = ?1 AND id = ?2";
/* Stops of the referral overlapping [?3, ?4) (an open stop runs forever),
 * and how many stops it has. */
static const char SQL_STOP_CLASH[] =
    "SELECT coalesce(sum(CASE WHEN (restarted IS NULL OR restarted > ?3) AND stopped < ?4"
    " THEN 1 ELSE 0 END), 0), count(*)"
    " FROM clock_stops WHERE la_code = ?1 AND referral_id = ?2";
static const char SQL_STOP_INSERT[] =
    "INSERT INTO clock_stops (la_code, referral_id, stopped, restarted, reason, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_STOP_OPEN[] =
    "SELECT id, stopped FROM clock_stops"
    " WHERE la_code = ?1 AND referral_id = ?2 AND restarted IS NULL";
static const char SQL_STOP_RESTART[] =
    "UPDATE clock_stops SET restarted = ?3 WHERE la_code = ?1 AND id = ?2";
static const char SQL_STOP_LIST[] =
    "SELECT id, la_code, referral_id, stopped, restarted, reason, created_at FROM clock_stops"
    " WHERE la_code = ?1 AND referral_id = ?2 ORDER BY stopped, id LIMIT ?3";

/* Prepares `sql` with ?1 = the caller's area and ?2 = a row id, the shape
 * of most statements here: every read and write is scoped to one area. */
static int prepare_in_area(store *s, const char *sql, const char *la_code, int64_t id,
                           sql_stmt **q)
{
    int rc = sql_prepare(s, sql, q);
    if (rc == SH_OK) {
        sql_bind_text(*q, 1, la_code);
        sql_bind_int(*q, 2, id);
    }
    return rc;
}

/* ---- checks ------------------------------------------------------------- */

static bool text_ok(const char *s, size_t min, size_t max)
{
    size_t len = s ? strlen(s) : 0;
    return len >= min && len <= max;
}

static bool la_ok(const char *la_code)
{
    return la_code && strlen(la_code) == STORE_LA_LEN;
}

static bool date_ok(date_t d)
{
    return d != DATE_NONE && d >= DATE_MIN_DAY && d <= DATE_MAX_DAY;
}

/* An optional date: absent, or a real date on or after `from`. */
static bool date_after_ok(date_t d, date_t from)
{
    return d == DATE_NONE || (date_ok(d) && d >= from);
}

static bool code_ok(const char *code)
{
    if (!text_ok(code, 1, STORE_PATHWAY_CODE_MAX))
        return false;
    for (const char *c = code; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
            return false;
    }
    return true;
}

static int pathway_check(const store_pathway *p)
{
    if (!la_ok(p->la_code) || !code_ok(p->code) ||
        !text_ok(p->name, 1, STORE_HEALTH_TEXT_MAX) ||
        !text_ok(p->provider, 1, STORE_HEALTH_TEXT_MAX) || p->standard_weeks < 1 ||
        p->standard_weeks > WAIT_STANDARD_MAX_WEEKS ||
        (unsigned)p->clock_stop >= WAIT_STOP_COUNT || p->capacity_per_week < 0 ||
        p->capacity_per_week > STORE_CAPACITY_MAX)
        return SH_EINVAL;
    return SH_OK;
}

/* What a referral records after it is made (shared by insert and update). */
static int referral_progress_check(const store_referral *r)
{
    date_t from = r->referral_date;
    if ((unsigned)r->priority >= WAIT_PRIORITY_COUNT || (unsigned)r->triage >= WAIT_TRIAGE_COUNT)
        return SH_EINVAL;
    if ((r->triage == WAIT_TRIAGE_PENDING) != (r->triage_date == DATE_NONE) ||
        !date_after_ok(r->triage_date, from))
        return SH_EINVAL;
    bool needs_reason = r->triage == WAIT_TRIAGE_REJECTED || r->triage == WAIT_TRIAGE_REDIRECTED;
    if (!text_ok(r->triage_reason, needs_reason ? 1 : 0, STORE_REASON_MAX))
        return SH_EINVAL;
    if (!date_after_ok(r->first_contact, from) || !date_after_ok(r->assessment_started, from) ||
        !date_after_ok(r->discharged, from))
        return SH_EINVAL;
    if (r->assessment_completed != DATE_NONE &&
        (r->assessment_started == DATE_NONE ||
         !date_after_ok(r->assessment_completed, r->assessment_started)))
        return SH_EINVAL;
    if (!text_ok(r->outcome, 0, STORE_OUTCOME_MAX) ||
        !text_ok(r->outcome_code, 0, STORE_OUTCOME_CODE_MAX))
        return SH_EINVAL;
    return SH_OK;
}

static int referral_check(const store_referral *r)
{
    if (!la_ok(r->la_code) || r->child_id <= 0 || r->pathway_id <= 0 ||
        !text_ok(r->referrer, 1, STORE_HEALTH_TEXT_MAX) || !date_ok(r->referral_date))
        return SH_EINVAL;
    return referral_progress_check(r);
}

/* ---- pathways ----------------------------------------------------------- */

static int pathway_read(sql_stmt *q, arena *a, void *row)
{
    store_pathway *p = row;
    memset(p, 0, sizeof *p);
    p->id = sql_col_int(q, 0);
    int rc = sql_col_copy(q, 1, p->la_code, sizeof p->la_code);
    if (!rc)
        rc = sql_col_copy(q, 2, p->code, sizeof p->code);
    if (!rc)
        rc = sql_col_dup(q, 3, a, &p->name);
    if (!rc)
        rc = sql_col_dup(q, 4, a, &p->provider);
    if (rc)
        return rc;
    p->standard_weeks = (int)sql_col_int(q, 5);
    const char *stop = sql_col_text(q, 6);
    if (wait_milestone_parse(stop, &p->clock_stop) != SH_OK)
        return SH_EIO;
    p->capacity_per_week = (int)sql_col_int(q, 7);
    p->active = sql_col_int(q, 8) != 0;
    return SH_OK;
}

int store_pathway_put(store *s, store_pathway *p)
{
    int rc = pathway_check(p);
    if (rc)
        return rc;
    sql_stmt *q;
    if ((rc = sql_prepare(s, SQL_PATHWAY_PUT, &q)))
        return rc;
    sql_bind_text(q, 1, p->la_code);
    sql_bind_text(q, 2, p->code);
    sql_bind_text(q, 3, p->name);
    sql_bind_text(q, 4, p->provider);
    sql_bind_int(q, 5, p->standard_weeks);
    sql_bind_text(q, 6, wait_milestone_name(p->clock_stop));
    sql_bind_int(q, 7, p->capacity_per_week);
    sql_bind_int(q, 8, p->active ? 1 : 0);
    return sql_int(q, &p->id);
}

static int pathway_one(store *s, const char *sql, const char *la_code, const char *code,
                       int64_t id, arena *a, store_pathway *out)
{
    sql_stmt *q;
    int rc = sql_prepare(s, sql, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    if (code)
        sql_bind_text(q, 2, code);
    else
        sql_bind_int(q, 2, id);
    if ((rc = sql_one(q)))
        return rc;
    rc = pathway_read(q, a, out);
    sql_finish(q);
    return rc;
}

int store_pathway_get(store *s, const char *la_code, int64_t id, arena *a,
                      store_pathway *out)
{
    return pathway_one(s, SQL_PATHWAY_GET, la_code, NULL, id, a, out);
}

int store_pathway_by_code(store *s, const char *la_code, const char *code, arena *a,
                          store_pathway *out)
{
    if (!code)
        return SH_EINVAL;
    return pathway_one(s, SQL_PATHWAY_BY_CODE, la_code, code, 0, a, out);
}

int store_pathway_list(store *s, const char *la_code, bool active_only, arena *a,
                       store_pathway **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_PATHWAY_LIST, la_code, active_only ? 1 : 0, STORE_PAGE_MAX,
                      sizeof **out, pathway_read, a, &rows, n);
    *out = rows;
    return rc;
}

/* ---- referrals ---------------------------------------------------------- */

static int referral_read(sql_stmt *q, arena *a, store_referral *r)
{
    memset(r, 0, sizeof *r);
    r->id = sql_col_int(q, 0);
    int rc = sql_col_copy(q, 1, r->la_code, sizeof r->la_code);
    if (rc)
        return rc;
    r->child_id = sql_col_int(q, 2);
    r->pathway_id = sql_col_int(q, 3);
    r->referral_date = sql_col_date(q, 5);
    if (wait_priority_parse(sql_col_text(q, 6), &r->priority) != SH_OK ||
        wait_triage_parse(sql_col_text(q, 7), &r->triage) != SH_OK)
        return SH_EIO;
    r->triage_date = sql_col_date(q, 8);
    r->first_contact = sql_col_date(q, 10);
    r->assessment_started = sql_col_date(q, 11);
    r->assessment_completed = sql_col_date(q, 12);
    r->discharged = sql_col_date(q, 15);
    r->created_at = sql_col_int(q, 16);
    if ((rc = sql_col_dup(q, 4, a, &r->referrer)) ||
        (rc = sql_col_dup(q, 9, a, &r->triage_reason)) ||
        (rc = sql_col_dup(q, 13, a, &r->outcome)))
        return rc;
    return sql_col_dup(q, 14, a, &r->outcome_code);
}

/* Binds what insert and update share, from parameter `at` on: priority,
 * triage, triage date and reason, first contact, assessment started and
 * completed, outcome and code, discharge. */
static void referral_bind_progress(sql_stmt *q, int at, const store_referral *r)
{
    sql_bind_text(q, at, wait_priority_name(r->priority));
    sql_bind_text(q, at + 1, wait_triage_name(r->triage));
    sql_bind_date(q, at + 2, r->triage_date);
    sql_bind_text_opt(q, at + 3, r->triage_reason);
    sql_bind_date(q, at + 4, r->first_contact);
    sql_bind_date(q, at + 5, r->assessment_started);
    sql_bind_date(q, at + 6, r->assessment_completed);
    sql_bind_text_opt(q, at + 7, r->outcome);
    sql_bind_text_opt(q, at + 8, r->outcome_code);
    sql_bind_date(q, at + 9, r->discharged);
}

int store_referral_insert(store *s, store_referral *r)
{
    int rc = referral_check(r);
    if (rc)
        return rc;
    sql_stmt *q;
    if ((rc = sql_prepare(s, SQL_REFERRAL_INSERT, &q)))
        return rc;
    int64_t now = (int64_t)time(NULL);
    sql_bind_text(q, 1, r->la_code);
    sql_bind_int(q, 2, r->child_id);
    sql_bind_int(q, 3, r->pathway_id);
    sql_bind_text(q, 4, r->referrer);
    sql_bind_date(q, 5, r->referral_date);
    referral_bind_progress(q, 6, r);
    sql_bind_int(q, 16, now);
    if ((rc = sql_int(q, &r->id)))
        return rc;
    r->created_at = now;
    return SH_OK;
}

int store_referral_get(store *s, const char *la_code, int64_t id, arena *a,
                       store_referral *out)
{
    sql_stmt *q;
    int rc = prepare_in_area(s, SQL_REFERRAL_GET, la_code, id, &q);
    if (rc)
        return rc;
    if ((rc = sql_one(q)))
        return rc;
    rc = referral_read(q, a, out);
    sql_finish(q);
    return rc;
}

int store_referral_update(store *s, const store_referral *r)
{
    int rc = referral_check(r);
    if (rc)
        return rc;
    sql_stmt *q;
    if ((rc = prepare_in_area(s, SQL_REFERRAL_UPDATE, r->la_code, r->id, &q)))
        return rc;
    referral_bind_progress(q, 3, r);
    return sql_exec_changed(q);
}

/* Reads the rows of a referral statement into a fresh array of at most
 * `cap` records. */
static int referral_rows(sql_stmt *q, size_t cap, arena *a, store_referral **out, size_t *n)
{
    store_referral *rows = arena_alloc(a, (cap ? cap : 1) * sizeof *rows);
    int rc = rows ? SH_OK : SH_ENOMEM;
    while (rc == SH_OK && (rc = sql_next(q)) == SQL_ROW) {
        rc = *n < cap ? referral_read(q, a, &rows[*n]) : SH_EIO;
        if (rc == SH_OK)
            (*n)++;
    }
    sql_finish(q);
    if (rc == SH_OK)
        *out = rows;
    return rc;
}

int store_referral_list_child(store *s, const char *la_code, int64_t child_id,
                              bool open_only, arena *a, store_referral **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    int rc = prepare_in_area(s, SQL_REFERRAL_CHILD, la_code, child_id, &q);
    if (rc)
        return rc;
    sql_bind_int(q, 3, open_only ? 1 : 0);
    sql_bind_int(q, 4, STORE_PAGE_MAX);
    return referral_rows(q, STORE_PAGE_MAX, a, out, n);
}

static void referral_bind_filter(sql_stmt *q, const store_referral_query *f)
{
    sql_bind_text(q, 1, f->la_code);
    sql_bind_int(q, 2, f->pathway_id);
    sql_bind_date(q, 3, f->referred_from != DATE_NONE ? f->referred_from : DATE_MIN_DAY);
    sql_bind_date(q, 4, f->referred_to != DATE_NONE ? f->referred_to : DATE_MAX_DAY);
    sql_bind_text(q, 5, f->triage >= 0 ? wait_triage_name((wait_triage)f->triage) : "");
    sql_bind_int(q, 6, (int64_t)f->state);
}

int store_referral_list(store *s, const store_referral_query *f, arena *a,
                        store_referral **out, size_t *n, size_t *total)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    if (!la_ok(f->la_code) || f->limit < 1 || f->limit > STORE_PAGE_MAX ||
        f->triage >= WAIT_TRIAGE_COUNT || f->triage < -1 ||
        (unsigned)f->state > STORE_REFERRAL_CLOSED)
        return SH_EINVAL;
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_REFERRAL_COUNT, &q);
    if (rc)
        return rc;
    referral_bind_filter(q, f);
    int64_t count;
    if ((rc = sql_int(q, &count)))
        return rc;
    *total = (size_t)count;
    if ((rc = sql_prepare(s, SQL_REFERRAL_LIST, &q)))
        return rc;
    referral_bind_filter(q, f);
    sql_bind_int(q, 7, (int64_t)f->limit);
    sql_bind_int(q, 8, (int64_t)f->offset);
    return referral_rows(q, f->limit, a, out, n);
}

int store_referral_queue(store *s, const char *la_code, int64_t referral_id,
                         size_t *position, size_t waiting[WAIT_PRIORITY_COUNT])
{
    *position = 0;
    memset(waiting, 0, WAIT_PRIORITY_COUNT * sizeof waiting[0]);
    sql_stmt *q;
    int rc = prepare_in_area(s, SQL_REFERRAL_PLACE, la_code, referral_id, &q);
    if (rc)
        return rc;
    if ((rc = sql_one(q)))
        return rc;
    int64_t pathway_id = sql_col_int(q, 0);
    char priority[WAIT_NAME_MAX], stop[WAIT_NAME_MAX];
    rc = sql_col_copy(q, 1, priority, sizeof priority);
    if (!rc)
        rc = sql_col_copy(q, 3, stop, sizeof stop);
    date_t referred = sql_col_date(q, 2);
    bool is_waiting = sql_col_int(q, 4) != 0;
    sql_finish(q);
    if (rc)
        return rc;

    if ((rc = prepare_in_area(s, SQL_REFERRAL_QUEUE, la_code, pathway_id, &q)))
        return rc;
    sql_bind_text(q, 3, priority);
    sql_bind_date(q, 4, referred);
    sql_bind_int(q, 5, referral_id);
    sql_bind_text(q, 6, stop);
    if ((rc = sql_one(q)))
        return rc;
    waiting[WAIT_PRIORITY_ROUTINE] = (size_t)sql_col_int(q, 0);
    waiting[WAIT_PRIORITY_URGENT] = (size_t)sql_col_int(q, 1);
    if (is_waiting)
        *position = (size_t)sql_col_int(q, 2);
    sql_finish(q);
    return SH_OK;
}

/* ---- bulk read ---------------------------------------------------------- */

/* Grows a malloc'd array to hold `need` elements of `size` bytes, doubling,
 * up to STORE_REFERRALS_LOAD_MAX elements (SH_ELIMIT beyond). The bulk read
 * collects rows here and copies them into the arena once, so it needs no
 * count(*) pass over the index first. */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return SH_OK;
    if (need > STORE_REFERRALS_LOAD_MAX)
        return SH_ELIMIT;
    size_t n = *cap ? *cap * 2 : 4096;
    if (n > STORE_REFERRALS_LOAD_MAX)
        n = STORE_REFERRALS_LOAD_MAX;
    void *q = realloc(*p, n * size);
    if (!q)
        return SH_ENOMEM;
    *p = q;
    *cap = n;
    return SH_OK;
}

/* Triage and priority by their wire names' letters: the bulk read decodes
 * 200,000 of each, and the names differ early ("pending", "accepted",
 * "rejected", "redirected"; "routine", "urgent"). Anything else is a
 * stored-data fault. */
static int load_enums(const char *triage, const char *priority, wait_referral *r)
{
    if (!triage || !priority)
        return SH_EIO;
    if (triage[0] == 'p')
        r->triage = WAIT_TRIAGE_PENDING;
    else if (triage[0] == 'a')
        r->triage = WAIT_TRIAGE_ACCEPTED;
    else if (triage[0] == 'r' && triage[2] == 'j')
        r->triage = WAIT_TRIAGE_REJECTED;
    else if (triage[0] == 'r' && triage[2] == 'd')
        r->triage = WAIT_TRIAGE_REDIRECTED;
    else
        return SH_EIO;
    r->priority = priority[0] == 'u' ? WAIT_PRIORITY_URGENT : WAIT_PRIORITY_ROUTINE;
    return SH_OK;
}

/* Dates of one column in the last row and their day numbers: the rows come
 * in referral-date order, and a FIFO list is seen in nearly that order, so
 * most dates repeat the row before and need no parsing. */
typedef struct {
    char text[DATE_ISO_LEN];
    date_t day;
} date_memo;

static date_t memo_date(sql_stmt *q, int c, date_memo *m)
{
    const char *t = sql_col_text(q, c);
    if (!t)
        return DATE_NONE;
    /* strncmp, not memcmp: t may be shorter than a date (a stored-data
     * fault) and must not be read past its end */
    if (strncmp(t, m->text, DATE_ISO_LEN) != 0) {
        if (strlen(t) != DATE_ISO_LEN || date_parse(t, DATE_ISO_LEN, &m->day) != SH_OK)
            return DATE_NONE;
        memcpy(m->text, t, DATE_ISO_LEN);
    }
    return m->day;
}

/* The pathway's referrals in (referral date, id) order into a malloc'd
 * array (*out, *n; the caller frees it). */
static int load_referrals(store *s, const char *la_code, int64_t pathway_id,
                          wait_milestone stop, date_t since, wait_referral **out, size_t *n)
{
    sql_stmt *q;
    const char *sql = stop == WAIT_STOP_FIRST_CONTACT ? SQL_LOAD_FIRST_CONTACT
                                                      : SQL_LOAD_ASSESSMENT;
    int rc = prepare_in_area(s, sql, la_code, pathway_id, &q);
    if (rc)
        return rc;
    sql_bind_date(q, 3, since != DATE_NONE ? since : DATE_MIN_DAY);
    date_memo memo[4]; /* "" maps to DATE_NONE until a first date is seen */
    for (int i = 0; i < 4; i++)
        memo[i] = (date_memo){.day = DATE_NONE};
    size_t cap = 0;
    while ((rc = sql_next(q)) == SQL_ROW) {
        if ((rc = grow((void **)out, &cap, *n + 1, sizeof **out)))
            break;
        wait_referral *r = &(*out)[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = sql_col_int(q, 0);
        r->referred = memo_date(q, 1, &memo[0]);
        r->triaged = memo_date(q, 2, &memo[1]);
        date_t seen = memo_date(q, 3, &memo[2]);
        r->first_contact = stop == WAIT_STOP_FIRST_CONTACT ? seen : DATE_NONE;
        r->assessment_started = stop == WAIT_STOP_ASSESSMENT_STARTED ? seen : DATE_NONE;
        r->discharged = memo_date(q, 4, &memo[3]);
        if ((rc = load_enums(sql_col_text(q, 5), sql_col_text(q, 6), r)))
            break;
    }
    sql_finish(q);
    return rc;
}

/* The area's clock stops, ordered by referral id, into malloc'd arrays of
 * stops and of the referral each belongs to (the caller frees both). */
static int load_stops(store *s, const char *la_code, wait_stop **stops, int64_t **owner,
                      size_t *n)
{
    sql_stmt *q;
    int rc = sql_prepare(s, SQL_LOAD_STOPS, &q);
    if (rc)
        return rc;
    sql_bind_text(q, 1, la_code);
    size_t cap = 0, cap_owner = 0;
    while ((rc = sql_next(q)) == SQL_ROW) {
        if ((rc = grow((void **)stops, &cap, *n + 1, sizeof **stops)) ||
            (rc = grow((void **)owner, &cap_owner, *n + 1, sizeof **owner)))
            break;
        (*owner)[*n] = sql_col_int(q, 0);
        (*stops)[*n] = (wait_stop){sql_col_date(q, 1), sql_col_date(q, 2)};
        (*n)++;
    }
    sql_finish(q);
    return rc;
}

/* The first of the stops owned by `id` (owner[] ascending), or n. */
static size_t stops_of(const int64_t *owner, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (owner[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && owner[lo] == id ? lo : n;
}

/* Points each referral at its run of stops. Stops are rare, so a bitmap of
 * their referral ids (by the low bits) spares almost every referral the
 * binary search. Stops of other pathways stay in the array, unreferenced. */
static int pair_stops(wait_referral *refs, size_t n, const int64_t *owner, size_t n_stops)
{
    enum { BITS = 1 << 16 };
    static const size_t word = 8 * sizeof(uint64_t);
    uint64_t seen[BITS / (8 * sizeof(uint64_t))] = {0};
    for (size_t k = 0; k < n_stops; k++)
        seen[((uint64_t)owner[k] % BITS) / word] |= 1ull << ((uint64_t)owner[k] % word);
    for (size_t i = 0; i < n; i++) {
        uint64_t bit = (uint64_t)refs[i].id % BITS;
        if (!(seen[bit / word] & (1ull << (bit % word))))
            continue;
        size_t k = stops_of(owner, n_stops, refs[i].id);
        size_t count = 0;
        while (k + count < n_stops && owner[k + count] == refs[i].id)
            count++;
        if (count > UINT16_MAX)
            return SH_EIO;
        refs[i].stop_first = (uint32_t)k;
        refs[i].stop_count = (uint16_t)count;
    }
    return SH_OK;
}

/* Copies `n` elements of `size` bytes into the arena (at least one element,
 * so an empty set still has valid pointers). */
static void *arena_copy(arena *a, const void *src, size_t n, size_t size)
{
    void *dst = arena_alloc(a, (n ? n : 1) * size);
    if (dst && n)
        memcpy(dst, src, n * size);
    return dst;
}

static int load_all(store *s, const char *la_code, int64_t pathway_id, date_t since,
                    arena *a, wait_set *out)
{
    sql_stmt *q;
    int rc = prepare_in_area(s, SQL_LOAD_STOP, la_code, pathway_id, &q);
    if (rc)
        return rc;
    if ((rc = sql_one(q)))
        return rc;
    wait_milestone stop;
    rc = wait_milestone_parse(sql_col_text(q, 0), &stop) == SH_OK ? SH_OK : SH_EIO;
    sql_finish(q);

    wait_referral *refs = NULL;
    wait_stop *stops = NULL;
    int64_t *owner = NULL;
    size_t n = 0, n_stops = 0;
    if (!rc)
        rc = load_referrals(s, la_code, pathway_id, stop, since, &refs, &n);
    if (!rc)
        rc = load_stops(s, la_code, &stops, &owner, &n_stops);
    if (!rc)
        rc = pair_stops(refs, n, owner, n_stops);
    if (!rc) {
        wait_referral *r = arena_copy(a, refs, n, sizeof *refs);
        wait_stop *st = arena_copy(a, stops, n_stops, sizeof *stops);
        if (r && st)
            *out = (wait_set){r, n, st, n_stops};
        else
            rc = SH_ELIMIT;
    }
    free(refs);
    free(stops);
    free(owner);
    return rc;
}

int store_referrals_load_since(store *s, const char *la_code, int64_t pathway_id,
                               date_t since, arena *a, wait_set *out)
{
    memset(out, 0, sizeof *out);
    int rc = store_read_begin(s);
    if (rc)
        return rc;
    rc = load_all(s, la_code, pathway_id, since, a, out);
    int end = store_read_end(s);
    return rc ? rc : end;
}

int store_referrals_load(store *s, const char *la_code, int64_t pathway_id, arena *a,
                         wait_set *out)
{
    return store_referrals_load_since(s, la_code, pathway_id, DATE_NONE, a, out);
}

/* ---- clock stops -------------------------------------------------------- */

int store_clock_stop_insert(store *s, store_clock_stop *c)
{
    if (!la_ok(c->la_code) || !date_ok(c->stopped) ||
        !(c->restarted == DATE_NONE || (date_ok(c->restarted) && c->restarted > c->stopped)) ||
        !text_ok(c->reason, 1, STORE_REASON_MAX))
        return SH_EINVAL;
    sql_stmt *q;
    int rc = prepare_in_area(s, SQL_REFERRAL_DATE, c->la_code, c->referral_id, &q);
    if (rc)
        return rc;
    if ((rc = sql_one(q)))
        return rc;
    date_t referred = sql_col_date(q, 0);
    sql_finish(q);
    if (c->stopped < referred)
        return SH_EINVAL;

    if ((rc = prepare_in_area(s, SQL_STOP_CLASH, c->la_code, c->referral_id, &q)))
        return rc;
    sql_bind_date(q, 3, c->stopped);
    sql_bind_date(q, 4, c->restarted != DATE_NONE ? c->restarted : DATE_MAX_DAY);
    if ((rc = sql_one(q)))
        return rc;
    int64_t clashes = sql_col_int(q, 0), count = sql_col_int(q, 1);
    sql_finish(q);
    if (clashes)
        return SH_ECONFLICT;
    if (count >= STORE_CLOCK_STOPS_MAX)
        return SH_ELIMIT;

    if ((rc = sql_prepare(s, SQL_STOP_INSERT, &q)))
        return rc;
    int64_t now = (int64_t)time(NULL);
    sql_bind_text(q, 1, c->la_code);
    sql_bind_int(q, 2, c->referral_id);
    sql_bind_date(q, 3, c->stopped);
    sql_bind_date(q, 4, c->restarted);
    sql_bind_text(q, 5, c->reason);
    sql_bind_int(q, 6, now);
    if ((rc = sql_int(q, &c->id)))
        return rc;
    c->created_at = now;
    return SH_OK;
}

int store_clock_stop_restart(store *s, const char *la_code, int64_t referral_id,
                             date_t restarted)
{
    if (!date_ok(restarted))
        return SH_EINVAL;
    sql_stmt *q;
    int rc = prepare_in_area(s, SQL_STOP_OPEN, la_code, referral_id, &q);
    if (rc)
        return rc;
    if ((rc = sql_one(q)))
        return rc;
    int64_t id = sql_col_int(q, 0);
    date_t stopped = sql_col_date(q, 1);
    sql_finish(q);
    if (restarted <= stopped)
        return SH_EINVAL;
    if ((rc = prepare_in_area(s, SQL_STOP_RESTART, la_code, id, &q)))
        return rc;
    sql_bind_date(q, 3, restarted);
    return sql_exec_changed(q);
}

/* One row of SQL_STOP_LIST into a store_clock_stop. */
static int clock_stop_row(sql_stmt *q, arena *a, void *row)
{
    store_clock_stop *c = row;
    c->id = sql_col_int(q, 0);
    c->referral_id = sql_col_int(q, 2);
    c->stopped = sql_col_date(q, 3);
    c->restarted = sql_col_date(q, 4);
    c->created_at = sql_col_int(q, 6);
    int rc = sql_col_copy(q, 1, c->la_code, sizeof c->la_code);
    return rc ? rc : sql_col_dup(q, 5, a, &c->reason);
}

int store_clock_stop_list(store *s, const char *la_code, int64_t referral_id, arena *a,
                          store_clock_stop **out, size_t *n)
{
    void *rows;
    int rc = sql_list(s, SQL_STOP_LIST, la_code, referral_id, STORE_CLOCK_STOPS_MAX,
                      sizeof **out, clock_stop_row, a, &rows, n);
    *out = rows;
    return rc;
}
