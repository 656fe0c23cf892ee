/*
 * views_request.h — the council asks a family for their views (issue 7:
 * families give their views "at any time and when asked"). Staff who may
 * invite the family or write to the case (CAN_INVITE_FAMILY or
 * CAN_WRITE_CASES) ask from the child's case: what for (the needs
 * assessment, SEND Regulations 2014 reg 6(1)(a); the annual review,
 * reg 20; or other, with a note), and a reply-by date that is the
 * council's own (the law sets none for the family's views;
 * core/views_request.h says which date is suggested). A request asked in
 * error is withdrawn with a reason.
 *
 * Every family account linked to the child with an email address is told
 * through the outbox (store_outbox_insert), with no personal detail. The
 * family's next views sent through the portal answer the case's oldest
 * open request (views_request_answer_oldest, called in portal_submit's
 * transaction), so the request and the views it brought are linked.
 *
 * Audit: asking, withdrawing and answering are written with the child in
 * their transaction (object "views_request"). Reads are audited by the edge
 * that shows the case. Errors: SH_EDENIED (role), SH_ENOTFOUND (no such
 * open request on the case), SH_EINVAL with err naming the field
 * ("purpose", "message", "reply_by", "reason"), store failures as
 * app_store_failure.
 */
#ifndef SH_APP_VIEWS_REQUEST_H
#define SH_APP_VIEWS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/views_request.h"
#include "store/store_views.h"

#define VIEWS_REASON_MAX 1000 /* bytes of the reason for withdrawing */

/* May this person ask a family for their views (and withdraw a request)? */
bool views_request_may_ask(const app_identity *who);

/* Asks the family of case v (loaded as the person may see it) for their
 * views: `purpose` a core wire name, `message` up to VIEWS_MESSAGE_MAX
 * (required for "other"), `reply_by` from today to VIEWS_REPLY_MAX_DAYS
 * ahead. The request, the e-mails and the audit entry in one transaction;
 * *out holds the stored request. */
int views_request_ask(store *s, const app_identity *who, const app_case_view *v,
                      const char *purpose, const char *message, date_t reply_by, date_t today,
                      int64_t now, store_views_request *out, app_error *err);

/* Withdraws open request `id` of case v, for `reason` (1-1000 bytes). */
int views_request_withdraw(store *s, const app_identity *who, const app_case_view *v,
                           int64_t id, const char *reason, int64_t now, app_error *err);

/* A case's requests, oldest first: for staff who may read cases, or a
 * family account that found the case through portal_journey (the caller
 * has checked); SH_EDENIED for anyone else. */
int views_request_list(store *s, const app_identity *who, const app_case_view *v, arena *a,
                       store_views_request **out, size_t *n);

/* The case's oldest open request (answered by the family's next views):
 * *found false when none is open. Same access as views_request_list. */
int views_request_oldest_open(store *s, const app_identity *who, const app_case_view *v,
                              arena *a, store_views_request *out, bool *found);

/* Inside the caller's open write transaction (portal_submit): the oldest
 * open request of case `case_id` is answered by `submission_id` and the
 * answer audited. SH_OK, and nothing done, when no request is open. */
int views_request_answer_oldest(store *s, const app_identity *who, const char *la_code,
                                 int64_t case_id, int64_t child_id, int64_t submission_id,
                                 int64_t now, app_error *err);

#endif
