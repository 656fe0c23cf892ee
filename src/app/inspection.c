/*
 * inspection.c — recording and reading area SEND inspections
 * (inspection.h): validation, authorisation, audited writes.
 */
#include "app/inspection.h"

#include <stdlib.h>

#include "app/access.h"
#include "app/dashboard.h"
#include "app/health.h"
#include "util/err.h"

static int deny(const app_identity *who, app_error *err, const char *what)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot %s.",
                    access_role_label((app_role)who->role), what);
}

/* Opens a write: a small arena for the rows read inside it (*out), then
 * the transaction. */
static int begin_write(store *s, arena **out, app_error *err)
{
    *out = arena_create(1 << 14);
    if (!*out)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    int rc = store_tx_begin(s);
    if (rc) {
        arena_destroy(*out);
        *out = NULL;
        return app_store_failure(rc, err, "The database");
    }
    return SH_OK;
}

int app_inspections(store *s, const app_identity *who, arena *a, store_inspection **out,
                    size_t *n, app_error *err)
{
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    int rc = store_inspection_list(s, who->la_code, a, out, n);
    return rc ? app_store_failure(rc, err, "The inspections") : SH_OK;
}

int app_inspection_get(store *s, const app_identity *who, int64_t id, arena *a,
                       app_inspection_view *out, app_error *err)
{
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    int rc = store_inspection_get(s, who->la_code, id, a, &out->i);
    if (rc == SH_OK)
        rc = store_finding_list(s, who->la_code, id, a, &out->findings, &out->n_findings);
    if (rc == SH_OK)
        rc = store_action_list(s, who->la_code, id, a, &out->actions, &out->n_actions);
    if (rc == SH_OK)
        rc = store_measure_list(s, who->la_code, id, a, &out->measures, &out->n_measures);
    if (rc == SH_OK)
        rc = store_judgement_list(s, who->la_code, id, a, &out->judgements, &out->n_judgements);
    if (rc)
        return app_store_failure(rc, err, "The inspection");
    const store_inspection *i = &out->i;
    rc = insp_followup_compute(i->framework, i->outcome, i->published_on, i->accepted_on,
                               i->plan_due_on, &out->follow);
    /* the record was checked by the same rule when it was written */
    return rc ? app_fail(err, SH_EIO, NULL, "The inspection's dates are not consistent.") : SH_OK;
}

/* The rules of app_inspection_record, one message per field. */
static int check_inspection(const store_inspection *in, date_t today, app_error *err)
{
    if ((unsigned)in->framework >= INSP_FW_COUNT)
        return app_fail(err, SH_EINVAL, "framework", "Select the framework.");
    if (!insp_outcome_valid(in->framework, in->outcome))
        return app_fail(err, SH_EINVAL, "outcome", "Select an outcome of the %s framework.",
                        insp_framework_name(in->framework));
    if (in->started_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "started_on", "Enter the date the inspection started.");
    if (in->ended_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "ended_on", "Enter the date fieldwork ended.");
    if (in->published_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "published_on",
                        "Enter the date the report was published.");
    if (in->started_on > today)
        return app_fail(err, SH_EINVAL, "started_on",
                        "The date the inspection started must be today or in the past.");
    if (in->ended_on < in->started_on)
        return app_fail(err, SH_EINVAL, "ended_on",
                        "The date fieldwork ended must be on or after the start.");
    if (in->published_on < in->ended_on)
        return app_fail(err, SH_EINVAL, "published_on",
                        "The report must be published on or after fieldwork ended.");
    if (in->published_on > today)
        return app_fail(err, SH_EINVAL, "published_on",
                        "The date the report was published must be today or in the past.");
    if (in->plan_due_on != DATE_NONE && in->outcome != INSP_OUT_2023_WIDESPREAD)
        return app_fail(err, SH_EINVAL, "plan_due_on",
                        "Only a report finding widespread or systemic failings asks for a "
                        "priority action plan: leave its due date empty.");
    if (in->plan_due_on != DATE_NONE && in->plan_due_on < in->published_on)
        return app_fail(err, SH_EINVAL, "plan_due_on",
                        "The priority action plan's due date must be on or after the report.");
    if (in->accepted_on != DATE_NONE && in->outcome != INSP_OUT_2016_WSOA)
        return app_fail(err, SH_EINVAL, "accepted_on",
                        "Only a written statement of action is accepted: leave that date empty.");
    if (in->accepted_on != DATE_NONE &&
        (in->accepted_on < in->published_on || in->accepted_on > today))
        return app_fail(err, SH_EINVAL, "accepted_on",
                        "The date the written statement was accepted must be on or after the "
                        "letter and not in the future.");
    insp_followup f;
    if (insp_followup_compute(in->framework, in->outcome, in->published_on, in->accepted_on,
                              in->plan_due_on, &f))
        return app_fail(err, SH_EINVAL, "published_on", "Enter dates between 1900 and 2199.");
    return SH_OK;
}

int app_inspection_record(store *s, const app_identity *who, store_inspection *in, date_t today,
                          app_error *err)
{
    if (!access_can(who, CAN_RECORD_INSPECTIONS))
        return deny(who, err, "record inspections");
    int rc = check_inspection(in, today, err);
    if (rc)
        return rc;
    in->created_by = who->username && who->username[0] ? who->username : "system";
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The database");
    rc = store_inspection_insert(s, who->la_code, in);
    if (rc)
        rc = app_store_failure(rc, err, "The inspection");
    else
        rc = app_audit_write(s, who, "inspection", in->id, 0, insp_outcome_name(in->outcome), err);
    return app_finish_tx(s, rc, err);
}

int app_inspection_finding_add(store *s, const app_identity *who, store_finding *f,
                               app_error *err)
{
    if (!access_can(who, CAN_RECORD_INSPECTIONS))
        return deny(who, err, "record inspections");
    int rc = app_check_text("title", "the area", f->title, STORE_FINDING_TITLE_MAX, false, false,
                            err);
    if (rc == SH_OK)
        rc = app_check_text("wording", "the report's wording", f->wording,
                            STORE_FINDING_WORDING_MAX, false, true, err);
    if (rc)
        return rc;
    arena *a;
    if ((rc = begin_write(s, &a, err)))
        return rc;
    store_inspection i;
    int64_t n = 0;
    rc = store_inspection_get(s, who->la_code, f->inspection_id, a, &i);
    if (rc == SH_OK)
        rc = store_finding_count(s, who->la_code, f->inspection_id, &n);
    if (rc)
        rc = app_store_failure(rc, err, "The inspection");
    else if (!insp_finding_valid(i.framework, f->kind))
        rc = app_fail(err, SH_EINVAL, "kind", "Select a kind of finding the %s framework uses.",
                      insp_framework_name(i.framework));
    else if (n >= STORE_FINDINGS_MAX)
        rc = app_fail(err, SH_EINVAL, "title", "An inspection can have at most %d findings.",
                      STORE_FINDINGS_MAX);
    else if ((rc = store_finding_insert(s, who->la_code, f)))
        rc = app_store_failure(rc, err, "The finding");
    else
        rc = app_audit_write(s, who, "inspection", f->inspection_id, 0, "added a finding", err);
    arena_destroy(a);
    return app_finish_tx(s, rc, err);
}

/* ---- the improvement plan ------------------------------------------------------- */

/* The rules of app_action_add other than the finding's. */
static int check_action(const store_action *a, app_error *err)
{
    int rc = app_check_text("title", "the action", a->title, STORE_ACTION_TITLE_MAX, false, false,
                            err);
    if (rc == SH_OK)
        rc = app_check_text("owner_name", "the owner's name", a->owner_name,
                            STORE_ACTION_OWNER_MAX, false, false, err);
    if (rc)
        return rc;
    if ((unsigned)a->owner_org >= INSP_ORG_COUNT)
        return app_fail(err, SH_EINVAL, "owner_org", "Select the owner's organisation.");
    if (a->start_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "start_on", "Enter the start date.");
    if (a->due_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "due_on", "Enter the due date.");
    if (a->due_on < a->start_on)
        return app_fail(err, SH_EINVAL, "due_on", "The due date must be on or after the start.");
    return SH_OK;
}

int app_action_add(store *s, const app_identity *who, store_action *a, app_error *err)
{
    if (!access_can(who, CAN_RECORD_INSPECTIONS))
        return deny(who, err, "change improvement plans");
    int rc = check_action(a, err);
    if (rc)
        return rc;
    arena *ar;
    if ((rc = begin_write(s, &ar, err)))
        return rc;
    store_finding f;
    int64_t n = 0;
    rc = store_finding_get(s, who->la_code, a->finding_id, ar, &f);
    if (rc == SH_ENOTFOUND)
        rc = app_fail(err, SH_EINVAL, "finding_id", "Select the area the action is for.");
    else if (rc)
        rc = app_store_failure(rc, err, "The finding");
    else if (f.kind == INSP_FIND_STRENGTH)
        rc = app_fail(err, SH_EINVAL, "finding_id",
                      "Select an area to improve: a strength needs no action.");
    else if ((rc = store_action_count(s, who->la_code, f.inspection_id, &n)))
        rc = app_store_failure(rc, err, "The plan");
    else if (n >= STORE_ACTIONS_MAX)
        rc = app_fail(err, SH_EINVAL, "title", "A plan can have at most %d actions.",
                      STORE_ACTIONS_MAX);
    if (rc == SH_OK) {
        a->status = INSP_ACT_NOT_STARTED;
        a->inspection_id = f.inspection_id;
        if ((rc = store_action_insert(s, who->la_code, a)))
            rc = app_store_failure(rc, err, "The action");
        else
            rc = app_audit_write(s, who, "inspection", f.inspection_id, 0, "added an action", err);
    }
    arena_destroy(ar);
    return app_finish_tx(s, rc, err);
}

int app_action_get(store *s, const app_identity *who, int64_t id, arena *a, store_action *out,
                   store_action_update **updates, size_t *n, app_error *err)
{
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    int rc = store_action_get(s, who->la_code, id, a, out);
    if (rc == SH_OK)
        rc = store_action_update_list(s, who->la_code, id, a, updates, n);
    return rc ? app_store_failure(rc, err, "The action") : SH_OK;
}

int app_action_update(store *s, const app_identity *who, store_action_update *u, date_t today,
                      app_error *err)
{
    if (!access_can(who, CAN_RECORD_INSPECTIONS))
        return deny(who, err, "change improvement plans");
    if ((unsigned)u->status >= INSP_ACT_COUNT)
        return app_fail(err, SH_EINVAL, "status", "Select the status.");
    if (u->dated_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "dated_on", "Enter the date of the update.");
    if (u->dated_on > today)
        return app_fail(err, SH_EINVAL, "dated_on",
                        "The date of the update must be today or in the past.");
    int rc = app_check_text("note", "the update", u->note, STORE_ACTION_NOTE_MAX, false, true, err);
    if (rc)
        return rc;
    u->created_by = who->username && who->username[0] ? who->username : "system";
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The database");
    rc = store_action_update_insert(s, who->la_code, u);
    if (rc)
        rc = app_store_failure(rc, err, "The action");
    else
        rc = app_audit_write(s, who, "inspection_action", u->action_id, 0,
                             insp_action_name(u->status), err);
    return app_finish_tx(s, rc, err);
}

/* ---- comments (co-production) ------------------------------------------------- */

/* The author of a comment as their account stands: c's author fields. The
 * system user (the command line, the demo) has no account. */
static int comment_author(store *s, const app_identity *who, arena *a, store_insp_comment *c)
{
    c->author = who->username && who->username[0] ? who->username : "system";
    c->author_role = access_role_name((app_role)who->role);
    c->author_name = access_role_label((app_role)who->role);
    c->organisation = "";
    if (who->user_id <= 0)
        return SH_OK;
    store_user u;
    int rc = store_user_by_id(s, who->user_id, a, &u);
    if (rc == SH_OK) {
        c->author_name = u.display_name;
        c->organisation = u.organisation;
    }
    return rc;
}

/* What a forum member who commented on an action is sent when someone else
 * comments on it: nothing from the plan or the comment, so a forwarded or
 * overseen e-mail says nothing; the plan is read after signing in. */
static const char reply_subject[] = "A reply on the SEND improvement plan";
static const char reply_body[] =
    "Someone has added a comment to an action of the local area's SEND improvement plan "
    "that you commented on.\n\n"
    "Sign in to sendhub to read it. We do not put any details in emails.";

/* Queues reply_body to every forum member who has commented on c's action,
 * but not to c's author: the forum hears of the council's replies, and of
 * each other's comments, without watching the page. */
static int tell_forum(store *s, const app_identity *who, const store_insp_comment *c, arena *a)
{
    store_recipient *to;
    size_t n;
    int rc = store_insp_comment_forum_to(s, who->la_code, c->action_id, a, &to, &n);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        if (to[i].user_id != who->user_id)
            rc = store_outbox_insert(s, who->la_code, to[i].user_id, to[i].email, reply_subject,
                                     reply_body, c->created_at);
    return rc;
}

int app_action_comment_add(store *s, const app_identity *who, store_insp_comment *c, int64_t now,
                           arena *a, app_error *err)
{
    if (!access_can(who, CAN_COMMENT_PLANS))
        return deny(who, err, "comment on improvement plans");
    int rc = app_check_text("comment", "your comment", c->body, STORE_COMMENT_BODY_MAX, false,
                            true, err);
    if (rc)
        return rc;
    c->created_at = now;
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The database");
    store_action act;
    int64_t n = 0;
    rc = store_action_get(s, who->la_code, c->action_id, a, &act);
    if (rc == SH_OK)
        rc = store_insp_comment_count(s, who->la_code, c->action_id, &n);
    if (rc == SH_OK)
        rc = comment_author(s, who, a, c);
    if (rc)
        rc = app_store_failure(rc, err, "The action");
    else if (n >= STORE_COMMENTS_MAX)
        rc = app_fail(err, SH_EINVAL, "comment", "An action can have at most %d comments.",
                      STORE_COMMENTS_MAX);
    else if ((rc = store_insp_comment_insert(s, who->la_code, c)) ||
             (rc = tell_forum(s, who, c, a)))
        rc = app_store_failure(rc, err, "The comment");
    else
        rc = app_audit_write(s, who, "inspection_action", c->action_id, 0, "commented", err);
    return app_finish_tx(s, rc, err);
}

int app_action_comments(store *s, const app_identity *who, int64_t action_id, arena *a,
                        store_insp_comment **out, size_t *n, app_error *err)
{
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    int rc = store_insp_comment_list(s, who->la_code, action_id, a, out, n);
    return rc ? app_store_failure(rc, err, "The comments") : SH_OK;
}

int app_plan_comments(store *s, const app_identity *who, int64_t inspection_id, arena *a,
                      store_insp_comment **out, size_t *n, app_error *err)
{
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    int rc = store_insp_comment_plan(s, who->la_code, inspection_id, a, out, n);
    return rc ? app_store_failure(rc, err, "The comments") : SH_OK;
}

/* ---- measures ------------------------------------------------------------------ */

static int year_of(date_t d)
{
    int y;
    date_to_ymd(d, &y, NULL, NULL);
    return y;
}

static date_t month_start(date_t d)
{
    int y, mo;
    date_to_ymd(d, &y, &mo, NULL);
    date_t out = d;
    date_from_ymd(y, mo, 1, &out);
    return out;
}

insp_trajectory app_measure_trajectory(const store_measure *m)
{
    return (insp_trajectory){.baseline_date = m->baseline_on, .baseline = m->baseline_x10 / 10.0,
                             .target_date = m->target_on, .target = m->target_x10 / 10.0,
                             .higher_is_better = insp_measure_higher_is_better(m->measure)};
}

/* The earliest baseline month a pathway's wait can have: its trend reaches
 * WAIT_TREND_MAX_MONTHS back. */
static date_t wait_earliest(date_t today)
{
    return date_add_months(month_start(today), -(WAIT_TREND_MAX_MONTHS - 1));
}

/* A pathway's median wait in the month starting `first`, x10 weeks. */
static int wait_baseline(store *s, const app_identity *who, int64_t pathway_id, date_t first,
                         date_t today, int *out, app_error *err)
{
    int days[WAIT_TREND_MAX_MONTHS], n = 0;
    int rc = app_health_median_months(s, who->la_code, pathway_id, first, today, days, &n);
    if (rc == SH_ENOTFOUND)
        return app_fail(err, SH_EINVAL, "measure", "Select the measure.");
    if (rc)
        return app_store_failure(rc, err, "The waiting list");
    *out = n > 0 ? insp_weeks_x10(days[0]) : -1;
    if (*out < 0)
        return app_fail(err, SH_EINVAL, "baseline_on",
                        "Nobody was waiting at the end of the baseline month: choose another "
                        "month.");
    return SH_OK;
}

/* The measure's value in the month starting `first`, folded now. */
static int baseline_value(store *s, const app_identity *who, insp_measure k, date_t first,
                          date_t today, int *out, app_error *err)
{
    metrics *m = malloc(sizeof *m);
    if (!m)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    long skipped = 0;
    int y, mo;
    date_to_ymd(first, &y, &mo, NULL);
    int rc = metrics_init(m, today, y, year_of(today), NULL, 0);
    if (rc == SH_OK && (rc = dashboard_compute(s, NULL, 1, who->la_code, m, &skipped)))
        rc = app_store_failure(rc, err, "The dashboard");
    else if (rc)
        rc = app_fail(err, SH_EINVAL, "baseline_on", "Enter a baseline month in the last %d years.",
                      METRICS_YEARS_MAX);
    if (rc == SH_OK) {
        *out = insp_measure_value_x10(m, k, metrics_period_month(m, y, mo));
        if (*out < 0)
            rc = app_fail(err, SH_EINVAL, "baseline_on",
                          "There is nothing to count for that measure in the baseline month: "
                          "choose another month.");
    }
    free(m);
    return rc;
}

int app_measure_add(store *s, const app_identity *who, store_measure *m, date_t today,
                    app_error *err)
{
    if (!access_can(who, CAN_RECORD_INSPECTIONS))
        return deny(who, err, "change improvement plans");
    bool wait = m->measure == INSP_M_WAIT_MEDIAN;
    if ((unsigned)m->measure >= INSP_M_COUNT || wait != (m->pathway_id > 0))
        return app_fail(err, SH_EINVAL, "measure", "Select the measure.");
    if (m->baseline_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "baseline_on", "Enter the baseline month.");
    m->baseline_on = month_start(m->baseline_on);
    if (m->baseline_on > today || (wait && m->baseline_on < wait_earliest(today)))
        return app_fail(err, SH_EINVAL, "baseline_on",
                        "The baseline month must be this month or one of the last %d months.",
                        WAIT_TREND_MAX_MONTHS - 1);
    if (!wait && year_of(m->baseline_on) <= year_of(today) - METRICS_YEARS_MAX)
        return app_fail(err, SH_EINVAL, "baseline_on",
                        "The baseline month must be this month or one of the last %d years.",
                        METRICS_YEARS_MAX - 1);
    if (m->target_x10 < 0 || m->target_x10 > insp_measure_max_x10(m->measure))
        return app_fail(err, SH_EINVAL, "target",
                        wait ? "Enter the target as a number of weeks from 0 to 999.9."
                             : "Enter the target as a percentage from 0 to 100.");
    if (m->target_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "target_on", "Enter the target date.");
    if (m->target_on <= date_add_months(m->baseline_on, 1) - 1)
        return app_fail(err, SH_EINVAL, "target_on",
                        "The target date must be after the baseline month.");
    int rc = wait ? wait_baseline(s, who, m->pathway_id, m->baseline_on, today, &m->baseline_x10,
                                  err)
                  : baseline_value(s, who, m->measure, m->baseline_on, today, &m->baseline_x10,
                                   err);
    if (rc)
        return rc;
    insp_trajectory t = app_measure_trajectory(m);
    if (insp_trajectory_check(&t))
        return app_fail(err, SH_EINVAL, "target",
                        wait ? "The target must be at most the baseline, %d.%d weeks."
                             : "The target must be at least the baseline, %d.%d%%.",
                        m->baseline_x10 / 10, m->baseline_x10 % 10);
    arena *ar;
    if ((rc = begin_write(s, &ar, err)))
        return rc;
    store_finding f;
    store_measure *list;
    size_t n = 0;
    rc = store_finding_get(s, who->la_code, m->finding_id, ar, &f);
    if (rc == SH_ENOTFOUND)
        rc = app_fail(err, SH_EINVAL, "m_finding", "Select the area the measure is for.");
    else if (rc)
        rc = app_store_failure(rc, err, "The finding");
    else if (f.kind == INSP_FIND_STRENGTH)
        rc = app_fail(err, SH_EINVAL, "m_finding", "Select an area to improve, not a strength.");
    else if ((rc = store_measure_list(s, who->la_code, f.inspection_id, ar, &list, &n)))
        rc = app_store_failure(rc, err, "The plan");
    else if (n >= STORE_MEASURES_MAX)
        rc = app_fail(err, SH_EINVAL, "measure", "A plan can link at most %d measures.",
                      STORE_MEASURES_MAX);
    else if ((rc = store_measure_insert(s, who->la_code, m)))
        rc = app_store_failure(rc, err, "The measure");
    else
        rc = app_audit_write(s, who, "inspection", f.inspection_id, 0, "linked a measure", err);
    arena_destroy(ar);
    return app_finish_tx(s, rc, err);
}

/* Figures are reused for this long by every page of the area (as the
 * dashboard's own pages do). */
#define MEASURES_TTL 60

/* The dashboard's figures from the earliest rate's baseline year (at most
 * METRICS_YEARS_MAX back) to today's, through the dashboard's cache; NULL
 * in *out when the plan links no rate. */
static int plan_metrics(store *s, const app_identity *who, const app_inspection_view *v,
                        date_t today, int64_t now, arena *a, const metrics **out, app_error *err)
{
    *out = NULL;
    int first = year_of(today) + 1;
    for (size_t i = 0; i < v->n_measures; i++)
        if (!insp_measure_in_weeks(v->measures[i].measure) &&
            year_of(v->measures[i].baseline_on) < first)
            first = year_of(v->measures[i].baseline_on);
    if (first > year_of(today))
        return SH_OK;
    if (first <= year_of(today) - METRICS_YEARS_MAX)
        first = year_of(today) - METRICS_YEARS_MAX + 1;
    metrics *m = arena_alloc(a, sizeof *m);
    dashboard_waiting *w = arena_alloc(a, sizeof *w);
    if (!m || !w)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    int64_t at = 0;
    int rc = metrics_init(m, today, first, year_of(today), NULL, 0);
    if (rc == SH_OK)
        rc = dashboard_compute_cached(s, who->la_code, now, MEASURES_TTL, m, w, &at);
    if (rc)
        return app_store_failure(rc, err, "The dashboard");
    *out = m;
    return SH_OK;
}

/* One measure's months: a rate from the dashboard's figures, a wait from
 * its pathway's list. */
static int measure_months(store *s, const app_identity *who, const store_measure *ms,
                          const metrics *m, date_t today, app_measure_months *out)
{
    int days[WAIT_TREND_MAX_MONTHS], nd = 0;
    bool wait = insp_measure_in_weeks(ms->measure);
    out->n = 0;
    out->latest = -1;
    if (ms->baseline_on > today)
        return SH_OK;
    int rc = wait ? app_health_median_months(s, who->la_code, ms->pathway_id, ms->baseline_on,
                                             today, days, &nd)
                  : SH_OK;
    if (rc)
        return rc;
    for (date_t d = ms->baseline_on; out->n < APP_MEASURE_MONTHS_MAX; d = date_add_months(d, 1)) {
        if (date_add_months(d, 1) > today) /* the month is not over */
            break;
        int y, mo;
        date_to_ymd(d, &y, &mo, NULL);
        int period = m ? metrics_period_month(m, y, mo) : -1;
        int v = wait ? ((int)out->n < nd ? insp_weeks_x10(days[out->n]) : -1)
                     : period < 0 ? -1
                                  : insp_measure_value_x10(m, ms->measure, period);
        out->first[out->n] = d;
        out->value[out->n] = v;
        if (v >= 0)
            out->latest = (int)out->n;
        out->n++;
    }
    return SH_OK;
}

int app_measure_series(store *s, const app_identity *who, const app_inspection_view *v,
                       date_t today, int64_t now, arena *a, app_measure_months **out,
                       app_error *err)
{
    *out = NULL;
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    if (v->n_measures == 0)
        return SH_OK;
    const metrics *m = NULL;
    int rc = plan_metrics(s, who, v, today, now, a, &m, err);
    if (rc)
        return rc;
    app_measure_months *mm = arena_calloc(a, v->n_measures, sizeof *mm);
    if (!mm)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    for (size_t i = 0; rc == SH_OK && i < v->n_measures; i++)
        rc = measure_months(s, who, &v->measures[i], m, today, &mm[i]);
    if (rc)
        return app_store_failure(rc, err, "The waiting list");
    *out = mm;
    return SH_OK;
}

/* ---- the board's judgement -------------------------------------------------------- */

int app_judgement_record(store *s, const app_identity *who, store_judgement *j, date_t today,
                         app_error *err)
{
    if (!access_can(who, CAN_RECORD_INSPECTIONS))
        return deny(who, err, "record the board's judgement");
    if (j->judged_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "judged_on", "Enter the date of the board's judgement.");
    if (j->judged_on > today)
        return app_fail(err, SH_EINVAL, "judged_on",
                        "The date of the judgement must be today or in the past.");
    int rc = app_check_text("reasons", "the reasons", j->reasons, STORE_JUDGEMENT_REASONS_MAX,
                            false, true, err);
    if (rc)
        return rc;
    j->created_by = who->username && who->username[0] ? who->username : "system";
    arena *a;
    if ((rc = begin_write(s, &a, err)))
        return rc;
    store_inspection i;
    rc = store_inspection_get(s, who->la_code, j->inspection_id, a, &i);
    if (rc)
        rc = app_store_failure(rc, err, "The inspection");
    else if (j->judged_on < i.published_on)
        rc = app_fail(err, SH_EINVAL, "judged_on",
                      "The judgement must be on or after the report was published.");
    else if ((rc = store_judgement_insert(s, who->la_code, j)))
        rc = app_store_failure(rc, err, "The judgement");
    else
        rc = app_audit_write(s, who, "inspection", j->inspection_id, 0,
                             j->sufficient ? "judged sufficient progress"
                                           : "judged insufficient progress",
                             err);
    arena_destroy(a);
    return app_finish_tx(s, rc, err);
}
