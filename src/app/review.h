/*
 * review.h — the use cases of annual reviews, amendments, ceasing a plan and
 * phase transfers (issue 4), with validation, authorisation and audit.
 *
 * Each step a person records is a journey event (review_meeting,
 * review_report_received, review_decision, amendment_proposed,
 * amended_plan_issued, decision_letter, plan_ceased) appended through
 * app_case_append, so the engine's due dates, the case's stage and the
 * caseload stay right; what the log does not hold (invitations, planned
 * meeting date, advice circulation, attendees, the setting's report text,
 * settings consulted) is in the review store (store_review.h), written in
 * the same transaction.
 *
 * Who may do what: recording any step needs CAN_WRITE_CASES, except the
 * setting's review report, which needs CAN_REVIEW_REPORT and, for a SENCo,
 * the child at their setting (access_case_visible). Lists are scoped: a
 * setting sees its own pupils only; health and social care, whose scope is
 * advice requests, get SH_EDENIED.
 *
 * Validation failures are SH_EINVAL with err->field naming the form field
 * ("meeting_on", "outcome", "reason", ...) and a GOV.UK-style sentence.
 */
#ifndef SH_APP_REVIEW_H
#define SH_APP_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/review.h"
#include "store/store_review.h"

/* The review as its page shows it: the case, the latest review record (if
 * any: has_review) and the consultations for a phase transfer. */
typedef struct {
    app_case_view v;
    bool has_review;
    store_review r;
    store_consultation *consults;
    size_t n_consults;
} app_review_view;

/* Loads everything the review and transfer pages show, as of as_of. Access
 * to the case is the caller's (pages_case_load decides it first). */
int app_review_get(store *s, const app_identity *who, int64_t case_id, date_t as_of,
                   arena *a, app_review_view *out, app_error *err);

/* The engine's step of the latest instance of rule `key` in the timeline
 * ("annual_review", "review_report", ...), or NULL. */
const journey_deadline *app_review_step(const journey_timeline *t, const char *key);

/* Whether the latest review cycle is finished (decided to keep or cease the
 * plan, or the amended plan issued), so invitations start a new record. */
bool app_review_cycle_closed(const app_review_view *rv);

/* Invitations sent on `sent` for a meeting on `meeting_on`: starts a new
 * review record. At least the family and the setting must be invited
 * (reg 20(3)); `other` (<= STORE_REVIEW_OTHER_MAX bytes) names anyone else
 * and is needed when INVITE_OTHER is chosen. `sent` not after today; the
 * meeting on or after `sent`. Less than 2 weeks' notice is allowed (a
 * meeting can be brought forward by agreement) but *short_notice says so. */
int app_review_invite(store *s, const app_identity *who, int64_t case_id, date_t sent,
                      date_t meeting_on, unsigned invitees, const char *other, date_t today,
                      arena *a, bool *short_notice, app_error *err);

/* Advice and information circulated to the invitees (reg 20(4): at least
 * 2 weeks before the meeting; later is recorded and flagged by the page). */
int app_review_advice(store *s, const app_identity *who, int64_t case_id, date_t on,
                      date_t today, arena *a, app_error *err);

/* The meeting was held on `held` (not in the future, not before the
 * invitations): records review_meeting and who attended (required, at most
 * STORE_REVIEW_ATTENDEES_MAX bytes). */
int app_review_meeting(store *s, const app_identity *who, int64_t case_id, date_t held,
                       const char *attendees, date_t today, arena *a, app_error *err);

/* The setting's report (text and recommendations, each required, at most
 * STORE_REVIEW_TEXT_MAX bytes), received on `on` (not before the meeting,
 * not in the future): records review_report_received. */
int app_review_report(store *s, const app_identity *who, int64_t case_id, date_t on,
                      const char *text, const char *recommendations, date_t today,
                      arena *a, app_error *err);

/* The council's decision after the meeting: maintain, amend or cease
 * (review_decision), on or after the meeting, not in the future. */
int app_review_decide(store *s, const app_identity *who, int64_t case_id, date_t on,
                      event_outcome outcome, date_t today, arena *a, app_error *err);

/* Proposed amendments sent to the family (amendment_proposed): only after a
 * decision to amend. */
int app_review_propose(store *s, const app_identity *who, int64_t case_id, date_t on,
                       date_t today, arena *a, app_error *err);

/* The amended plan issued (amended_plan_issued): only after proposals, and
 * not while the family's 15-day comment window is still open. */
int app_review_amended(store *s, const app_identity *who, int64_t case_id, date_t on,
                       date_t today, arena *a, app_error *err);

/* Whether the plan can be ceased now: a plan in force, or a review decision
 * to cease (which already moves the stage to ceased) whose plan_ceased is
 * not recorded yet. */
bool app_plan_ceasable(const journey_timeline *t, const event *events, size_t n);

/* Ceasing the plan: the decision letter (with appeal rights) sent on
 * `letter_on`, and the plan ceasing on `cease_on` (on or after the letter)
 * for SEN2 reason `reason` (1-9). Records decision_letter and plan_ceased in
 * one transaction. */
int app_plan_cease(store *s, const app_identity *who, int64_t case_id, date_t letter_on,
                   date_t cease_on, int reason, date_t today, arena *a, app_error *err);

/* A setting consulted about naming it for a phase transfer: a name (1-100
 * characters), an optional URN (validated), the date consulted. */
int app_consultation_add(store *s, const app_identity *who, int64_t case_id,
                         const char *name, const char *urn, date_t on, date_t today, arena *a,
                         app_error *err);
/* The consulted setting's answer (not "awaited") and its date (on or after
 * the consultation, not in the future). */
int app_consultation_respond(store *s, const app_identity *who, int64_t case_id,
                             int64_t consultation_id, int response, date_t on,
                             date_t today, arena *a, app_error *err);

/* ---- lists ----------------------------------------------------------------- */

/* One plan in the review calendar or the transfers list. */
typedef struct {
    int64_t case_id;
    const char *forename, *surname;
    char setting_urn[IDENT_URN_MAX + 1];
    journey_stage stage;
    date_t review_due;            /* the open annual review, DATE_NONE if none */
    step_status review_status;
    int transfer_year;            /* the latest phase_transfer_due, 0 if none */
    event_transfer_to transfer_to;
    date_t transfer_due;          /* its 15 February / 31 March deadline */
    date_t transfer_done;         /* amended plan issued for it, or DATE_NONE */
    step_status transfer_status;
} app_review_row;

/* Every open plan the person may see, with its next annual review and
 * latest phase transfer, as of today (one scan of the journeys). Ordered by
 * review_due (none last), then case id. Memory from `a`. */
int app_review_rows(store *s, const app_identity *who, date_t today, arena *a,
                    app_review_row **rows, size_t *n, app_error *err);

#endif
