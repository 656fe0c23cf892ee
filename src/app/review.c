/*
 * review.c — annual reviews, amendments, ceasing and phase transfers
 * (review.h). Each use case checks access, validates what was typed against
 * the journey as stored (read inside its write transaction, so two people
 * recording at once cannot both pass the same check), then writes the event
 * and the review row together and audits the write.
 */
#include "app/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "core/ident.h"
#include "util/err.h"

#define TEXT_FIELD_MAX STORE_REVIEW_TEXT_MAX

/* The journey and review record as stored, read inside a write transaction. */
typedef struct {
    store_case c;
    event *events;
    size_t n;
    journey_timeline t;
    bool has_review;
    store_review r;
} state;

static int deny(const app_identity *who, app_error *err)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot record this.",
                    access_role_label((app_role)who->role));
}

static int load_state(store *s, const app_identity *who, int64_t case_id, date_t today,
                      arena *a, state *st, app_error *err)
{
    int rc = store_case_get(s, who->la_code, case_id, a, &st->c);
    if (rc == SH_OK)
        rc = store_events_load(s, who->la_code, case_id, a, &st->events, &st->n);
    if (rc)
        return app_store_failure(rc, err, "The case");
    journey_error je = {0};
    rc = journey_compute(st->events, st->n, today, a, &st->t, &je);
    if (rc)
        return app_fail(err, rc, NULL, "The case's timeline could not be computed (%s).",
                        sh_strerror(rc));
    rc = store_review_latest(s, who->la_code, case_id, a, &st->r);
    st->has_review = rc == SH_OK;
    if (rc == SH_ENOTFOUND)
        rc = SH_OK;
    return rc ? app_store_failure(rc, err, "The review") : SH_OK;
}

/* A message that starts with `what` ("the date of ...") starts a sentence. */
static int capitalised(int rc, app_error *err)
{
    if (err && err->message[0] >= 'a' && err->message[0] <= 'z')
        err->message[0] = (char)(err->message[0] - 'a' + 'A');
    return rc;
}

/* A date a person says something happened on: given, and not in the future. */
static int check_past(date_t d, date_t today, const char *field, const char *what,
                      app_error *err)
{
    if (d == DATE_NONE)
        return app_fail(err, SH_EINVAL, field, "Enter %s", what);
    if (d > today)
        return capitalised(app_fail(err, SH_EINVAL, field, "%s must be today or in the past",
                                    what),
                           err);
    return SH_OK;
}

static int check_not_before(date_t d, date_t earlier, const char *field, const char *what,
                            const char *earlier_what, app_error *err)
{
    if (earlier == DATE_NONE || d >= earlier)
        return SH_OK;
    char when[40];
    date_format_long(earlier, when, sizeof when);
    return app_fail(err, SH_EINVAL, field, "%s must be the same as or after %s (%s)", what,
                    earlier_what, when);
}

/* Required free text of at most max bytes, without control characters other
 * than line breaks and tabs. */
static int check_text(const char *v, size_t max, const char *field, const char *what,
                      app_error *err)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0)
        return app_fail(err, SH_EINVAL, field, "Enter %s", what);
    if (n > max)
        return capitalised(app_fail(err, SH_EINVAL, field, "%s must be %zu characters or fewer",
                                    what, max),
                           err);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
            return capitalised(app_fail(err, SH_EINVAL, field,
                                        "%s must not contain control characters", what),
                               err);
    return SH_OK;
}

static bool plan_in_force(journey_stage st)
{
    return st == STAGE_PLAN || st == STAGE_REVIEW || st == STAGE_AMENDMENT;
}

/* A plan_ceased in the log that no correction has taken back. */
static bool cease_recorded(const event *events, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const event *e = events[i].type == EV_CORRECTION ? events[i].replacement : &events[i];
        if (!e || e->type != EV_PLAN_CEASED)
            continue;
        bool superseded = false;
        for (size_t j = i + 1; j < n && !superseded; j++)
            superseded = events[j].type == EV_CORRECTION && events[j].supersedes == events[i].id;
        if (!superseded)
            return true;
    }
    return false;
}

bool app_plan_ceasable(const journey_timeline *t, const event *events, size_t n)
{
    return plan_in_force(t->stage) || (t->stage == STAGE_CEASED && !cease_recorded(events, n));
}

const journey_deadline *app_review_step(const journey_timeline *t, const char *key)
{
    const journey_deadline *best = NULL;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (strcmp(journey_rule_key(d->rule), key) == 0 && (!best || d->trigger >= best->trigger))
            best = d;
    }
    return best;
}

/* The outcome of the latest review decision, or OUTCOME_NONE. */
static event_outcome latest_decision(const journey_timeline *t, const event *events, size_t n)
{
    const journey_deadline *d = app_review_step(t, "review_decision");
    if (!d || d->done == DATE_NONE)
        return OUTCOME_NONE;
    event_outcome o = OUTCOME_NONE;
    for (size_t i = 0; i < n; i++) {
        const event *e = events[i].type == EV_CORRECTION ? events[i].replacement : &events[i];
        if (e && e->type == EV_REVIEW_DECISION && e->date == d->done)
            o = e->outcome;
    }
    return o;
}

static bool cycle_closed(const journey_timeline *t, const event *events, size_t n,
                         bool has_review, const store_review *r)
{
    if (!has_review)
        return true;
    const journey_deadline *m = app_review_step(t, "review_decision");
    if (!r->attendees[0] || !m || m->trigger < r->meeting_on)
        return false; /* this record's meeting is not held yet */
    event_outcome o = latest_decision(t, events, n);
    if (o == OUTCOME_MAINTAIN || o == OUTCOME_CEASE)
        return true;
    const journey_deadline *p = app_review_step(t, "amended_plan");
    return o == OUTCOME_AMEND && p && p->trigger >= m->trigger && p->done != DATE_NONE;
}

bool app_review_cycle_closed(const app_review_view *rv)
{
    return cycle_closed(&rv->v.timeline, rv->v.events, rv->v.n_events, rv->has_review, &rv->r);
}

int app_review_get(store *s, const app_identity *who, int64_t case_id, date_t as_of,
                   arena *a, app_review_view *out, app_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = app_case_get(s, who, case_id, as_of, a, &out->v, err);
    if (rc)
        return rc;
    rc = store_review_latest(s, who->la_code, case_id, a, &out->r);
    out->has_review = rc == SH_OK;
    if (rc == SH_ENOTFOUND)
        rc = SH_OK;
    if (rc == SH_OK)
        rc = store_consultation_list(s, who->la_code, case_id, a, &out->consults,
                                     &out->n_consults);
    return rc ? app_store_failure(rc, err, "The review") : SH_OK;
}

/* ---- writing --------------------------------------------------------------- */

typedef int (*write_fn)(store *s, const app_identity *who, state *st, void *ctx,
                        date_t today, arena *a, app_error *err);

/* Runs one use case's checks and writes in a write transaction over the
 * stored state of the case. */
static int in_tx(store *s, const app_identity *who, int64_t case_id, date_t today, arena *a,
                 write_fn fn, void *ctx, app_error *err)
{
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The database");
    state st;
    rc = load_state(s, who, case_id, today, a, &st, err);
    if (rc == SH_OK)
        rc = fn(s, who, &st, ctx, today, a, err);
    return app_finish_tx(s, rc, err);
}

/* Appends an event of `type` on `on` to the case (journey checked again by
 * the engine inside app_case_append). */
static int append(store *s, const app_identity *who, state *st, event *e, date_t today,
                  arena *a, app_error *err)
{
    journey_timeline t;
    return app_case_append(s, who, st->c.id, e, today, a, &t, err);
}

static int audit_review(store *s, const app_identity *who, const state *st, const char *what,
                        app_error *err)
{
    return app_audit_write(s, who, "case", st->c.id, st->c.child_id, what, err);
}

typedef struct {
    date_t sent, meeting;
    unsigned invitees;
    const char *other;
} invite_ctx;

static int do_invite(store *s, const app_identity *who, state *st, void *ctx, date_t today,
                     arena *a, app_error *err)
{
    (void)a;
    const invite_ctx *c = ctx;
    int rc = check_past(c->sent, today, "sent_on", "the date the invitations were sent", err);
    if (rc == SH_OK && c->meeting == DATE_NONE)
        rc = app_fail(err, SH_EINVAL, "meeting_on", "Enter the date of the review meeting");
    if (rc == SH_OK)
        rc = check_not_before(c->meeting, c->sent, "meeting_on", "The meeting date",
                              "the date the invitations were sent", err);
    if (rc == SH_OK && (c->invitees & ((1u << INVITE_FAMILY) | (1u << INVITE_SETTING))) !=
                           ((1u << INVITE_FAMILY) | (1u << INVITE_SETTING)))
        rc = app_fail(err, SH_EINVAL, "invitees",
                      "Invite the child and family and the school or setting: the law "
                      "says both must be invited");
    if (rc == SH_OK && (c->invitees & (1u << INVITE_OTHER)))
        rc = check_text(c->other, STORE_REVIEW_OTHER_MAX, "other",
                        "who else was invited", err);
    if (rc == SH_OK && !plan_in_force(st->t.stage))
        rc = app_fail(err, SH_EINVAL, NULL, "Only a plan in place can be reviewed.");
    if (rc == SH_OK && !cycle_closed(&st->t, st->events, st->n, st->has_review, &st->r))
        rc = app_fail(err, SH_EINVAL, NULL,
                      "This plan's current review is not finished: record its meeting and "
                      "decision first.");
    if (rc)
        return rc;
    store_review r = {.case_id = st->c.id, .invited_on = c->sent, .meeting_on = c->meeting,
                      .invitees = c->invitees,
                      .invitees_other = (c->invitees & (1u << INVITE_OTHER)) ? c->other : ""};
    rc = store_review_insert(s, who->la_code, &r);
    if (rc)
        return app_store_failure(rc, err, "The review");
    return audit_review(s, who, st, "recorded review invitations", err);
}

int app_review_invite(store *s, const app_identity *who, int64_t case_id, date_t sent,
                      date_t meeting_on, unsigned invitees, const char *other, date_t today,
                      arena *a, bool *short_notice, app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny(who, err);
    invite_ctx c = {sent, meeting_on, invitees, other};
    int rc = in_tx(s, who, case_id, today, a, do_invite, &c, err);
    if (short_notice)
        *short_notice = rc == SH_OK && review_notice_short(sent, meeting_on);
    return rc;
}

/* The review record a step after the invitations belongs to. */
static int need_review(const state *st, app_error *err)
{
    return st->has_review ? SH_OK
                          : app_fail(err, SH_EINVAL, NULL,
                                     "Record the invitations to the review meeting first.");
}

static int do_advice(store *s, const app_identity *who, state *st, void *ctx, date_t today,
                     arena *a, app_error *err)
{
    (void)a;
    date_t on = *(const date_t *)ctx;
    int rc = need_review(st, err);
    if (rc == SH_OK)
        rc = check_past(on, today, "advice_on", "the date advice was circulated", err);
    if (rc == SH_OK)
        rc = check_not_before(on, st->r.invited_on, "advice_on", "The date advice was circulated",
                              "the invitations", err);
    if (rc)
        return rc;
    rc = store_review_set_advice(s, who->la_code, st->r.id, on);
    if (rc)
        return app_store_failure(rc, err, "The review");
    return audit_review(s, who, st, "recorded review advice circulated", err);
}

int app_review_advice(store *s, const app_identity *who, int64_t case_id, date_t on,
                      date_t today, arena *a, app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny(who, err);
    return in_tx(s, who, case_id, today, a, do_advice, &on, err);
}

/* What a step was given; each uses the fields its form has. */
typedef struct {
    date_t on, on2;
    const char *text, *text2;
    event_outcome outcome;
    int reason;
} step_ctx;

static int do_meeting(store *s, const app_identity *who, state *st, void *ctx, date_t today,
                      arena *a, app_error *err)
{
    const step_ctx *c = ctx;
    int rc = need_review(st, err);
    if (rc == SH_OK && st->r.attendees[0])
        rc = app_fail(err, SH_EINVAL, NULL, "This review's meeting is already recorded.");
    if (rc == SH_OK)
        rc = check_past(c->on, today, "held_on", "the date of the meeting", err);
    if (rc == SH_OK)
        rc = check_not_before(c->on, st->r.invited_on, "held_on", "The date of the meeting",
                              "the invitations", err);
    if (rc == SH_OK)
        rc = check_text(c->text, STORE_REVIEW_ATTENDEES_MAX, "attendees", "who attended", err);
    if (rc)
        return rc;
    rc = store_review_set_meeting(s, who->la_code, st->r.id, c->on, c->text);
    if (rc)
        return app_store_failure(rc, err, "The review");
    event e;
    event_init(&e, EV_REVIEW_MEETING, c->on);
    return append(s, who, st, &e, today, a, err);
}

static int do_report(store *s, const app_identity *who, state *st, void *ctx, date_t today,
                     arena *a, app_error *err)
{
    const step_ctx *c = ctx;
    int rc = need_review(st, err);
    const journey_deadline *d = app_review_step(&st->t, "review_report");
    if (rc == SH_OK && (!st->r.attendees[0] || !d))
        rc = app_fail(err, SH_EINVAL, NULL,
                      "The review meeting must be recorded before its report.");
    if (rc == SH_OK && (d->done != DATE_NONE || st->r.report_on != DATE_NONE))
        rc = app_fail(err, SH_EINVAL, NULL, "The report for this review is already recorded.");
    if (rc == SH_OK)
        rc = check_past(c->on, today, "report_on", "the date of the report", err);
    if (rc == SH_OK)
        rc = check_not_before(c->on, d->trigger, "report_on", "The date of the report",
                              "the meeting", err);
    if (rc == SH_OK)
        rc = check_text(c->text, TEXT_FIELD_MAX, "report", "the report", err);
    if (rc == SH_OK)
        rc = check_text(c->text2, TEXT_FIELD_MAX, "recommendations", "the recommendations",
                        err);
    if (rc)
        return rc;
    rc = store_review_set_report(s, who->la_code, st->r.id, c->on, c->text, c->text2,
                                 who->username);
    if (rc)
        return app_store_failure(rc, err, "The review");
    event e;
    event_init(&e, EV_REVIEW_REPORT_RECEIVED, c->on);
    return append(s, who, st, &e, today, a, err);
}

static int do_decide(store *s, const app_identity *who, state *st, void *ctx, date_t today,
                     arena *a, app_error *err)
{
    const step_ctx *c = ctx;
    const journey_deadline *d = app_review_step(&st->t, "review_decision");
    if (!d || d->done != DATE_NONE)
        return app_fail(err, SH_EINVAL, NULL, "There is no review meeting awaiting a decision.");
    if (c->outcome != OUTCOME_MAINTAIN && c->outcome != OUTCOME_AMEND &&
        c->outcome != OUTCOME_CEASE)
        return app_fail(err, SH_EINVAL, "outcome",
                        "Select whether to keep, amend or cease the plan");
    int rc = check_past(c->on, today, "decided_on", "the date of the decision", err);
    if (rc == SH_OK)
        rc = check_not_before(c->on, d->trigger, "decided_on", "The date of the decision",
                              "the meeting", err);
    if (rc)
        return rc;
    event e;
    event_init(&e, EV_REVIEW_DECISION, c->on);
    e.outcome = c->outcome;
    return append(s, who, st, &e, today, a, err);
}

static int do_propose(store *s, const app_identity *who, state *st, void *ctx, date_t today,
                      arena *a, app_error *err)
{
    const step_ctx *c = ctx;
    const journey_deadline *p = app_review_step(&st->t, "amended_plan");
    const journey_deadline *d = app_review_step(&st->t, "review_decision");
    if (latest_decision(&st->t, st->events, st->n) != OUTCOME_AMEND ||
        (p && d && p->trigger >= d->done))
        return app_fail(err, SH_EINVAL, NULL,
                        "Proposed amendments follow a decision to amend the plan.");
    int rc = check_past(c->on, today, "proposed_on", "the date the proposals were sent", err);
    if (rc == SH_OK)
        rc = check_not_before(c->on, d->done, "proposed_on", "The date the proposals were sent",
                              "the decision to amend", err);
    if (rc)
        return rc;
    event e;
    event_init(&e, EV_AMENDMENT_PROPOSED, c->on);
    return append(s, who, st, &e, today, a, err);
}

static int do_amended(store *s, const app_identity *who, state *st, void *ctx, date_t today,
                      arena *a, app_error *err)
{
    const step_ctx *c = ctx;
    const journey_deadline *p = app_review_step(&st->t, "amended_plan");
    const journey_deadline *w = app_review_step(&st->t, "amendment_comments");
    if (!p || p->done != DATE_NONE || !w)
        return app_fail(err, SH_EINVAL, NULL,
                        "Send the proposed amendments before issuing the amended plan.");
    int rc = check_past(c->on, today, "issued_on", "the date the amended plan was issued", err);
    if (rc == SH_OK && c->on <= w->due) {
        char when[40];
        date_format_long(w->due, when, sizeof when);
        rc = app_fail(err, SH_EINVAL, "issued_on",
                      "The family has until %s to comment on the proposed amendments: "
                      "issue the amended plan after that",
                      when);
    }
    if (rc)
        return rc;
    event e;
    event_init(&e, EV_AMENDED_PLAN_ISSUED, c->on);
    return append(s, who, st, &e, today, a, err);
}

static int do_cease(store *s, const app_identity *who, state *st, void *ctx, date_t today,
                    arena *a, app_error *err)
{
    const step_ctx *c = ctx;
    int reason = c->reason;
    date_t cease_on = c->on2;
    if (!app_plan_ceasable(&st->t, st->events, st->n))
        return app_fail(err, SH_EINVAL, NULL, "Only a plan in place can be ceased.");
    if (!event_cease_reason_label(reason))
        return app_fail(err, SH_EINVAL, "reason", "Select why the plan is ceasing");
    int rc = check_past(c->on, today, "letter_on", "the date of the decision letter", err);
    if (rc == SH_OK && cease_on == DATE_NONE)
        rc = app_fail(err, SH_EINVAL, "cease_on", "Enter the date the plan ceases");
    if (rc == SH_OK)
        rc = check_not_before(cease_on, c->on, "cease_on", "The date the plan ceases",
                              "the decision letter", err);
    if (rc)
        return rc;
    event letter, cease;
    event_init(&letter, EV_DECISION_LETTER, c->on);
    event_init(&cease, EV_PLAN_CEASED, cease_on);
    cease.cease_reason = reason;
    rc = append(s, who, st, &letter, today, a, err);
    return rc ? rc : append(s, who, st, &cease, today, a, err);
}

/* Runs a step of the council's (CAN_WRITE_CASES). */
static int step(store *s, const app_identity *who, int64_t case_id, date_t today, arena *a,
                write_fn fn, step_ctx *c, app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny(who, err);
    return in_tx(s, who, case_id, today, a, fn, c, err);
}

int app_review_meeting(store *s, const app_identity *who, int64_t case_id, date_t held,
                       const char *attendees, date_t today, arena *a, app_error *err)
{
    step_ctx c = {.on = held, .text = attendees};
    return step(s, who, case_id, today, a, do_meeting, &c, err);
}

int app_review_report(store *s, const app_identity *who, int64_t case_id, date_t on,
                      const char *text, const char *recommendations, date_t today,
                      arena *a, app_error *err)
{
    if (!access_can(who, CAN_REVIEW_REPORT))
        return deny(who, err);
    step_ctx c = {.on = on, .text = text, .text2 = recommendations};
    return in_tx(s, who, case_id, today, a, do_report, &c, err);
}

int app_review_decide(store *s, const app_identity *who, int64_t case_id, date_t on,
                      event_outcome outcome, date_t today, arena *a, app_error *err)
{
    step_ctx c = {.on = on, .outcome = outcome};
    return step(s, who, case_id, today, a, do_decide, &c, err);
}

int app_review_propose(store *s, const app_identity *who, int64_t case_id, date_t on,
                       date_t today, arena *a, app_error *err)
{
    step_ctx c = {.on = on};
    return step(s, who, case_id, today, a, do_propose, &c, err);
}

int app_review_amended(store *s, const app_identity *who, int64_t case_id, date_t on,
                       date_t today, arena *a, app_error *err)
{
    step_ctx c = {.on = on};
    return step(s, who, case_id, today, a, do_amended, &c, err);
}

int app_plan_cease(store *s, const app_identity *who, int64_t case_id, date_t letter_on,
                   date_t cease_on, int reason, date_t today, arena *a, app_error *err)
{
    step_ctx c = {.on = letter_on, .on2 = cease_on, .reason = reason};
    return step(s, who, case_id, today, a, do_cease, &c, err);
}

/* ---- phase transfer consultations ---------------------------------------- */

typedef struct {
    const char *name, *urn;
    date_t on;
    int64_t id;
    int response;
} consult_ctx;

static int do_consult_add(store *s, const app_identity *who, state *st, void *ctx,
                          date_t today, arena *a, app_error *err)
{
    (void)a;
    const consult_ctx *c = ctx;
    int rc = check_text(c->name, STORE_NAME_MAX, "setting_name", "the setting's name", err);
    const char *why = NULL;
    if (rc == SH_OK && c->urn && c->urn[0] && ident_urn_validate(c->urn, strlen(c->urn), &why))
        rc = app_fail(err, SH_EINVAL, "setting_urn", "The URN is not valid: %s", why);
    if (rc == SH_OK)
        rc = check_past(c->on, today, "consulted_on", "the date the setting was consulted", err);
    if (rc)
        return rc;
    store_consultation row = {.case_id = st->c.id, .setting_name = c->name,
                              .consulted_on = c->on, .response = CONSULT_AWAITED,
                              .response_on = DATE_NONE};
    if (c->urn)
        snprintf(row.setting_urn, sizeof row.setting_urn, "%s", c->urn);
    store_consultation *have;
    size_t n;
    rc = store_consultation_list(s, who->la_code, st->c.id, a, &have, &n);
    if (rc == SH_OK && n >= STORE_CONSULT_MAX)
        return app_fail(err, SH_ELIMIT, NULL, "At most %d settings can be consulted for one "
                        "child.", STORE_CONSULT_MAX);
    if (rc == SH_OK)
        rc = store_consultation_insert(s, who->la_code, &row);
    if (rc)
        return app_store_failure(rc, err, "The consultation");
    return audit_review(s, who, st, "recorded setting consulted", err);
}

static int do_consult_respond(store *s, const app_identity *who, state *st, void *ctx,
                              date_t today, arena *a, app_error *err)
{
    const consult_ctx *c = ctx;
    if (c->response <= CONSULT_AWAITED || c->response >= CONSULT_COUNT)
        return app_fail(err, SH_EINVAL, "response", "Select the setting's answer");
    store_consultation *have;
    size_t n;
    int rc = store_consultation_list(s, who->la_code, st->c.id, a, &have, &n);
    if (rc)
        return app_store_failure(rc, err, "The consultation");
    const store_consultation *k = NULL;
    for (size_t i = 0; i < n && !k; i++)
        if (have[i].id == c->id)
            k = &have[i];
    if (!k)
        return app_fail(err, SH_ENOTFOUND, NULL, "The consultation was not found.");
    rc = check_past(c->on, today, "response_on", "the date of the answer", err);
    if (rc == SH_OK)
        rc = check_not_before(c->on, k->consulted_on, "response_on", "The date of the answer",
                              "the consultation", err);
    if (rc)
        return rc;
    rc = store_consultation_respond(s, who->la_code, st->c.id, c->id, c->response, c->on);
    if (rc)
        return app_store_failure(rc, err, "The consultation");
    return audit_review(s, who, st, "recorded consultation answer", err);
}

int app_consultation_add(store *s, const app_identity *who, int64_t case_id,
                         const char *name, const char *urn, date_t on, date_t today, arena *a,
                         app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny(who, err);
    consult_ctx c = {.name = name, .urn = urn, .on = on};
    return in_tx(s, who, case_id, today, a, do_consult_add, &c, err);
}

int app_consultation_respond(store *s, const app_identity *who, int64_t case_id,
                             int64_t consultation_id, int response, date_t on,
                             date_t today, arena *a, app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny(who, err);
    consult_ctx c = {.id = consultation_id, .response = response, .on = on};
    return in_tx(s, who, case_id, today, a, do_consult_respond, &c, err);
}

/* ---- the calendar and transfers lists --------------------------------------- */

#define ROWS_MAX 100000 /* ceiling on the plans one list scans */

typedef struct {
    app_review_row *rows; /* by case id */
    size_t n;
    date_t today;
    arena *work;          /* one journey's deadlines, reset per case */
} rows_scan;

static int by_case_id(const void *x, const void *y)
{
    int64_t a = ((const app_review_row *)x)->case_id, b = ((const app_review_row *)y)->case_id;
    return (a > b) - (a < b);
}

static int by_review_due(const void *x, const void *y)
{
    const app_review_row *a = x, *b = y;
    if (a->review_due != b->review_due) {
        if (a->review_due == DATE_NONE)
            return 1;
        if (b->review_due == DATE_NONE)
            return -1;
        return a->review_due < b->review_due ? -1 : 1;
    }
    return by_case_id(x, y);
}

/* The event a step started from (a correction's replacement carries the
 * correction's id). */
static const event *trigger_of(const event *events, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (events[i].id == id)
            return events[i].type == EV_CORRECTION ? events[i].replacement : &events[i];
    return NULL;
}

static void fill_row(app_review_row *r, const journey_timeline *t, const event *events,
                     size_t n)
{
    r->stage = t->stage;
    r->review_due = DATE_NONE;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (d->done == DATE_NONE && strcmp(journey_rule_key(d->rule), "annual_review") == 0 &&
            (r->review_due == DATE_NONE || d->due < r->review_due)) {
            r->review_due = d->due;
            r->review_status = d->status;
        }
    }
    const journey_deadline *p = app_review_step(t, "phase_transfer");
    const event *e = p ? trigger_of(events, n, p->trigger_event) : NULL;
    if (e && e->type == EV_PHASE_TRANSFER_DUE) {
        r->transfer_year = e->transfer_year;
        r->transfer_to = e->transfer_to;
        r->transfer_due = p->due;
        r->transfer_done = p->done;
        r->transfer_status = p->status;
    }
}

static int scan_one(void *ctx, int64_t case_id, const char *la_code, const event *events,
                    size_t n)
{
    (void)la_code;
    rows_scan *sc = ctx;
    app_review_row key = {.case_id = case_id};
    app_review_row *r = bsearch(&key, sc->rows, sc->n, sizeof key, by_case_id);
    if (!r)
        return SH_OK; /* not a plan in the person's scope */
    arena_reset(sc->work);
    journey_timeline t;
    journey_error je;
    int rc = journey_compute(events, n, sc->today, sc->work, &t, &je);
    if (rc == SH_OK)
        fill_row(r, &t, events, n);
    return rc == SH_EINVAL ? SH_OK : rc; /* a stored journey the engine refuses: skip it */
}

/* The open plans in scope, from the caseload query (which applies the
 * setting's scope), as rows without dates yet. */
static int list_plans(store *s, const app_identity *who, arena *a, app_review_row **out,
                      size_t *n, app_error *err)
{
    store_case_query q = {0};
    q.stage = -1;
    q.sen_need = -1;
    q.due_on_or_before = q.overdue_at = q.date_of_birth = DATE_NONE;
    q.open_only = true;
    int rc = access_scope_caseload(who, &q);
    if (rc)
        return app_fail(err, rc, NULL, "Your role cannot see the review calendar.");
    size_t cap = 0, k = 0;
    app_review_row *rows = NULL;
    q.limit = STORE_PAGE_MAX;
    for (q.offset = 0;; q.offset += STORE_PAGE_MAX) {
        store_caseload_row *page;
        size_t got, total;
        rc = store_case_list(s, &q, a, &page, &got, &total);
        if (rc)
            return app_store_failure(rc, err, "The caseload");
        if (total > ROWS_MAX)
            return app_fail(err, SH_ELIMIT, NULL, "There are too many plans to list at once.");
        if (!rows) {
            cap = total ? total : 1;
            rows = arena_calloc(a, cap, sizeof *rows);
            if (!rows)
                return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
        }
        for (size_t i = 0; i < got && k < cap; i++) {
            journey_stage st = page[i].c.summary.stage;
            if (st != STAGE_PLAN && st != STAGE_REVIEW && st != STAGE_AMENDMENT)
                continue;
            app_review_row *r = &rows[k++];
            r->case_id = page[i].c.id;
            r->forename = page[i].forename;
            r->surname = page[i].surname;
            memcpy(r->setting_urn, page[i].setting_urn, sizeof r->setting_urn);
            r->review_due = r->transfer_due = r->transfer_done = DATE_NONE;
            r->transfer_to = TRANSFER_NONE;
        }
        if (got < STORE_PAGE_MAX || q.offset + got >= total)
            break;
    }
    *out = rows;
    *n = k;
    return SH_OK;
}

int app_review_rows(store *s, const app_identity *who, date_t today, arena *a,
                    app_review_row **rows, size_t *n, app_error *err)
{
    *rows = NULL;
    *n = 0;
    if (!access_can(who, CAN_SEE_REVIEWS))
        return app_fail(err, SH_EDENIED, NULL, "Your role cannot see the review calendar.");
    app_review_row *r = NULL;
    size_t k = 0;
    int rc = list_plans(s, who, a, &r, &k, err);
    if (rc || k == 0)
        return rc;
    qsort(r, k, sizeof *r, by_case_id);
    /* the scan's arena holds one case's events; work one case's deadlines */
    arena *events = arena_create(8u << 20), *work = arena_create(1u << 20);
    rows_scan sc = {r, k, today, work};
    rc = events && work ? store_journeys_scan(s, who->la_code, r[0].case_id, r[k - 1].case_id,
                                              events, scan_one, &sc)
                        : SH_ENOMEM;
    if (events)
        arena_destroy(events);
    if (work)
        arena_destroy(work);
    if (rc)
        return app_store_failure(rc, err, "The plans");
    qsort(r, k, sizeof *r, by_review_due);
    *rows = r;
    *n = k;
    return SH_OK;
}
