/*
 * inspection.c — recording and reading area SEND inspections
 * (inspection.h): validation, authorisation, audited writes.
 */
#include "app/inspection.h"

#include "app/access.h"
#include "util/err.h"

static int deny(const app_identity *who, app_error *err, const char *what)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot %s.",
                    access_role_label((app_role)who->role), what);
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
    arena *a = arena_create(1 << 14);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    if ((rc = store_tx_begin(s))) {
        arena_destroy(a);
        return app_store_failure(rc, err, "The database");
    }
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
    arena *ar = arena_create(1 << 14);
    if (!ar)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    if ((rc = store_tx_begin(s))) {
        arena_destroy(ar);
        return app_store_failure(rc, err, "The database");
    }
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
