#include "app/app.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/audit.h"
#include "app/journey_json.h"
#include "core/ident.h"
#include "util/err.h"

/* A person is between 0 and 25 while the EHC duties can apply (a plan can run
 * to the end of the academic year of the 25th birthday); 26 years leaves room
 * for that academic year without admitting obvious typos such as 1962. */
#define APP_MAX_AGE_YEARS 26

int app_fail(app_error *err, int rc, const char *field, const char *fmt, ...)
{
    if (err) {
        err->rc = rc;
        err->field = field;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static int deny_write(const app_identity *who, app_error *err)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot change EHC records.",
                    access_role_label((app_role)who->role));
}

/* Maps a store failure to a message; validation failures never get here. */
static int store_failure(int rc, app_error *err, const char *what)
{
    if (rc == SH_ENOTFOUND)
        return app_fail(err, rc, NULL, "%s was not found.", what);
    if (rc == SH_EUNAVAIL)
        return app_fail(err, rc, NULL, "The database is busy or unavailable; try again.");
    return app_fail(err, rc, NULL, "The record could not be saved or read (%s).",
                    sh_strerror(rc));
}

void app_summary_from_timeline(const journey_timeline *t, int event_count,
                               store_case_summary *out)
{
    memset(out, 0, sizeof *out);
    out->stage = t->stage;
    out->request_date = t->request_date;
    out->final_plan_date = t->final_plan_date;
    out->next_due = t->next_due;
    if (t->next)
        journey_step_name(t->next, out->next_step, sizeof out->next_step);
    out->within_20_weeks = t->within_20_weeks;
    out->exceptions_apply = t->exceptions_apply;
    out->event_count = event_count;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (d->agency != AGENCY_NONE && d->done == DATE_NONE)
            out->open_advice |= 1u << d->agency;
    }
}

/* Text of 1..max characters (or 0..max when optional) without control
 * characters (line breaks allowed where multiline). */
int app_check_text(const char *field, const char *label, const char *s, size_t max,
                   bool optional, bool multiline, app_error *err)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 && !optional)
        return app_fail(err, SH_EINVAL, field, "Enter %s.", label);
    if (n > max)
        return app_fail(err, SH_EINVAL, field, "%c%s must be %zu characters or fewer.",
                        toupper((unsigned char)label[0]), label + 1, max);
    for (const unsigned char *p = (const unsigned char *)s; n && *p; p++)
        if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) ||
            *p == 0x7f)
            return app_fail(err, SH_EINVAL, field, "%c%s must not contain control characters.",
                            toupper((unsigned char)label[0]), label + 1);
    return SH_OK;
}

static int check_name(const char *field, const char *label, const char *s, app_error *err)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0)
        return app_fail(err, SH_EINVAL, field, "Enter the child's %s.", label);
    if (n > STORE_NAME_MAX)
        return app_fail(err, SH_EINVAL, field, "The %s must be %d characters or fewer.",
                        label, STORE_NAME_MAX);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return app_fail(err, SH_EINVAL, field,
                            "The %s must not contain control characters.", label);
    return SH_OK;
}

static int check_birth_date(date_t dob, date_t today, app_error *err)
{
    if (dob == DATE_NONE)
        return app_fail(err, SH_EINVAL, "date_of_birth", "Enter the child's date of birth.");
    if (dob > today)
        return app_fail(err, SH_EINVAL, "date_of_birth",
                        "The date of birth must be today or in the past.");
    if (dob < date_add_months(today, -12 * APP_MAX_AGE_YEARS))
        return app_fail(err, SH_EINVAL, "date_of_birth",
                        "The date of birth is more than %d years ago; EHC plans end by age 25.",
                        APP_MAX_AGE_YEARS);
    return SH_OK;
}

/* Validates and normalises the optional identifiers in place. */
static int check_identifiers(store_child *c, app_error *err)
{
    const char *why = NULL;
    if (c->upn[0]) {
        char out[IDENT_UPN_LEN + 1];
        if (ident_upn_normalise(c->upn, strlen(c->upn), out, NULL, &why))
            return app_fail(err, SH_EINVAL, "upn", "The UPN is not valid: %s.", why);
        memcpy(c->upn, out, sizeof out);
    }
    if (c->nhs_number[0]) {
        char out[IDENT_NHS_LEN + 1];
        if (ident_nhs_normalise(c->nhs_number, strlen(c->nhs_number), out, &why))
            return app_fail(err, SH_EINVAL, "nhs_number", "The NHS number is not valid: %s.",
                            why);
        memcpy(c->nhs_number, out, sizeof out);
    }
    if (c->postcode[0]) {
        char out[IDENT_POSTCODE_MAX + 1];
        if (ident_postcode_normalise(c->postcode, strlen(c->postcode), out, &why))
            return app_fail(err, SH_EINVAL, "postcode", "The postcode is not valid: %s.", why);
        memcpy(c->postcode, out, sizeof out);
    }
    if (c->setting_urn[0] && ident_urn_validate(c->setting_urn, strlen(c->setting_urn), &why))
        return app_fail(err, SH_EINVAL, "setting_urn", "The setting URN is not valid: %s.", why);
    return SH_OK;
}

static int check_needs(const store_child *c, app_error *err)
{
    if (c->sen_need[0] < 0 && c->sen_need[1] >= 0)
        return app_fail(err, SH_EINVAL, "sen_needs",
                        "Record the primary need before a secondary need.");
    for (int i = 0; i < 2; i++) {
        int t = c->sen_need[i];
        if (t < 0)
            continue;
        if (t >= SEN_TYPE_COUNT || !ident_sen_type_valid_for_plan((sen_type)t))
            return app_fail(err, SH_EINVAL, "sen_needs",
                            "NSA (no specialist assessment) is only used for SEN support, "
                            "not for an EHC plan.");
    }
    if (c->sen_need[0] >= 0 && c->sen_need[0] == c->sen_need[1])
        return app_fail(err, SH_EINVAL, "sen_needs",
                        "The secondary need must differ from the primary need.");
    return SH_OK;
}

/* Ends the write transaction opened by a use case: commits on success, rolls
 * back on any failure so nothing half-done is stored. */
static int finish_tx(store *s, int rc, app_error *err)
{
    if (rc) {
        store_tx_rollback(s);
        return rc;
    }
    rc = store_tx_commit(s);
    return rc ? store_failure(rc, err, "The change") : SH_OK;
}

/* Audits a write inside its open transaction, so the change and its entry
 * are stored together or not at all. The web layer passes no time, so the
 * entry is stamped with the clock here. */
static int audit_write(store *s, const app_identity *who, const char *object,
                       int64_t object_id, int64_t child_id, const char *detail,
                       app_error *err)
{
    int rc = audit_record_now(s, who, "write", object, object_id, child_id, detail,
                              (int64_t)time(NULL));
    return rc ? app_fail(err, rc, NULL,
                         "The change could not be recorded in the audit log, so it was not "
                         "saved (%s).",
                         sh_strerror(rc))
              : SH_OK;
}

int app_store_failure(int rc, app_error *err, const char *what)
{
    return store_failure(rc, err, what);
}

int app_audit_write(store *s, const app_identity *who, const char *object, int64_t object_id,
                    int64_t child_id, const char *detail, app_error *err)
{
    return audit_write(s, who, object, object_id, child_id, detail, err);
}

int app_finish_tx(store *s, int rc, app_error *err)
{
    return finish_tx(s, rc, err);
}

/* app_child_create's checks: access, then every field (normalised in place). */
static int child_check(const app_identity *who, store_child *c, date_t today, app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny_write(who, err);
    int rc = check_name("forename", "first name", c->forename, err);
    if (rc == SH_OK)
        rc = check_name("surname", "last name", c->surname, err);
    if (rc == SH_OK)
        rc = check_birth_date(c->date_of_birth, today, err);
    if (rc == SH_OK)
        rc = check_identifiers(c, err);
    return rc ? rc : check_needs(c, err);
}

/* Inside an open write transaction: stores the checked child in the
 * caller's area and audits it. */
static int child_insert(store *s, const app_identity *who, store_child *c, app_error *err)
{
    memcpy(c->la_code, who->la_code, sizeof c->la_code);
    int rc = store_child_insert(s, c);
    if (rc == SH_ECONFLICT)
        return app_fail(err, rc, c->upn[0] ? "upn" : "nhs_number",
                        "A child with this UPN or NHS number is already recorded; "
                        "search for them instead of adding them again.");
    if (rc)
        return store_failure(rc, err, "The child");
    return audit_write(s, who, "child", c->id, c->id, "added child", err);
}

int app_child_create(store *s, const app_identity *who, store_child *c, date_t today,
                     app_error *err)
{
    int rc = child_check(who, c, today, err);
    if (rc)
        return rc;
    rc = store_tx_begin(s);
    if (rc)
        return store_failure(rc, err, "The database");
    return finish_tx(s, child_insert(s, who, c, err), err);
}

int app_child_add(store *s, const app_identity *who, store_child *c, date_t today,
                  app_error *err)
{
    int rc = child_check(who, c, today, err);
    return rc ? rc : child_insert(s, who, c, err);
}

/* Turns an engine validation error about `events` into an app_error naming
 * the field and, through the JSON codec's wording, the offending value. */
static int journey_failure(int rc, const journey_error *je, const event *events, size_t n,
                           app_error *err)
{
    if (rc == SH_ELIMIT)
        return app_fail(err, rc, NULL, "This case has reached the limit of %d events.",
                        JOURNEY_MAX_EVENTS);
    if (rc != SH_EINVAL)
        return app_fail(err, rc, NULL, "The timeline could not be computed (%s).",
                        sh_strerror(rc));
    journey_json_error jj;
    journey_json_error_from_journey(rc, je, events, n, &jj);
    return app_fail(err, rc, je->field, "%s", jj.message);
}

/* Inside an open write transaction: appends e to the case's stored journey,
 * recomputes the timeline over the whole log, and stores the new summary.
 * The event is inserted before validation so the engine sees its real id;
 * the caller rolls back on any failure. */
static int append_and_summarise(store *s, const app_identity *who, int64_t case_id,
                                event *e, date_t as_of, arena *a,
                                journey_timeline *timeline, app_error *err)
{
    int rc = store_event_insert(s, who->la_code, case_id, e, who->username);
    if (rc)
        return store_failure(rc, err, "The case");
    event *events;
    size_t n;
    rc = store_events_load(s, who->la_code, case_id, a, &events, &n);
    if (rc)
        return store_failure(rc, err, "The case");
    journey_error je = {0};
    rc = journey_compute(events, n, as_of, a, timeline, &je);
    if (rc)
        return journey_failure(rc, &je, events, n, err);
    store_case_summary sum;
    app_summary_from_timeline(timeline, (int)n, &sum);
    rc = store_case_summary_update(s, who->la_code, case_id, &sum);
    return rc ? store_failure(rc, err, "The case") : SH_OK;
}

/* app_case_open's checks: access, the starting event's type, the
 * coordinator's length. */
static int case_check(const app_identity *who, const char *coordinator, const event *start,
                      app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny_write(who, err);
    if (start->type != EV_REQUEST_RECEIVED && start->type != EV_TRANSFER_IN)
        return app_fail(err, SH_EINVAL, "type",
                        "A case starts with request_received or transfer_in.");
    if (coordinator && strlen(coordinator) > STORE_NAME_MAX)
        return app_fail(err, SH_EINVAL, "coordinator",
                        "The coordinator must be %d characters or fewer.", STORE_NAME_MAX);
    return SH_OK;
}

/* Inside an open write transaction: stores the case, its first event and
 * summary, and audits it; fills *out (its summary too) and the timeline. */
static int case_insert(store *s, const app_identity *who, int64_t child_id,
                       const char *coordinator, event *start, date_t as_of, arena *a,
                       store_case *out, journey_timeline *timeline, app_error *err)
{
    memset(out, 0, sizeof *out);
    memcpy(out->la_code, who->la_code, sizeof out->la_code);
    out->child_id = child_id;
    out->coordinator = coordinator ? coordinator : "";
    out->summary.stage = STAGE_REQUEST;
    out->summary.request_date = out->summary.final_plan_date = DATE_NONE;
    out->summary.next_due = DATE_NONE;
    out->summary.within_20_weeks = -1;
    int rc = store_case_insert(s, out);
    if (rc)
        rc = store_failure(rc, err, "The child");
    else
        rc = append_and_summarise(s, who, out->id, start, as_of, a, timeline, err);
    if (rc == SH_OK)
        rc = audit_write(s, who, "case", out->id, child_id, "opened case", err);
    if (rc == SH_OK)
        app_summary_from_timeline(timeline, 1, &out->summary);
    return rc;
}

int app_case_open(store *s, const app_identity *who, int64_t child_id,
                  const char *coordinator, event *start, date_t as_of, arena *a,
                  store_case *out, journey_timeline *timeline, app_error *err)
{
    int rc = case_check(who, coordinator, start, err);
    if (rc)
        return rc;
    rc = store_tx_begin(s);
    if (rc)
        return store_failure(rc, err, "The database");
    rc = case_insert(s, who, child_id, coordinator, start, as_of, a, out, timeline, err);
    return finish_tx(s, rc, err);
}

int app_case_add(store *s, const app_identity *who, int64_t child_id, const char *coordinator,
                 event *start, date_t as_of, arena *a, store_case *out,
                 journey_timeline *timeline, app_error *err)
{
    int rc = case_check(who, coordinator, start, err);
    return rc ? rc : case_insert(s, who, child_id, coordinator, start, as_of, a, out, timeline,
                                 err);
}

int app_case_append(store *s, const app_identity *who, int64_t case_id, event *e,
                    date_t as_of, arena *a, journey_timeline *timeline, app_error *err)
{
    store_case c;
    int rc = store_case_get(s, who->la_code, case_id, a, &c);
    if (rc)
        return store_failure(rc, err, "The case");
    rc = append_and_summarise(s, who, case_id, e, as_of, a, timeline, err);
    if (rc)
        return rc;
    char detail[64];
    snprintf(detail, sizeof detail, "recorded %s", event_type_name(e->type));
    return audit_write(s, who, "case", case_id, c.child_id, detail, err);
}

int app_case_record_event(store *s, const app_identity *who, int64_t case_id, event *e,
                          date_t as_of, arena *a, journey_timeline *timeline,
                          app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny_write(who, err);
    int rc = store_tx_begin(s);
    if (rc)
        return store_failure(rc, err, "The database");
    rc = app_case_append(s, who, case_id, e, as_of, a, timeline, err);
    return finish_tx(s, rc, err);
}

int app_case_get(store *s, const app_identity *who, int64_t case_id, date_t as_of,
                 arena *a, app_case_view *out, app_error *err)
{
    /* One read transaction: the case summary, the child and the events come
     * from one commit, and the store takes its read lock once, not thrice. */
    int rc = store_read_begin(s);
    if (rc == SH_OK) {
        rc = store_case_get(s, who->la_code, case_id, a, &out->c);
        if (rc == SH_OK)
            rc = store_child_get(s, who->la_code, out->c.child_id, a, &out->child);
        if (rc == SH_OK)
            rc = store_events_load(s, who->la_code, case_id, a, &out->events,
                                   &out->n_events);
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    if (rc)
        return store_failure(rc, err, "The case");
    journey_error je = {0};
    rc = journey_compute(out->events, out->n_events, as_of, a, &out->timeline, &je);
    return rc ? journey_failure(rc, &je, out->events, out->n_events, err) : SH_OK;
}
