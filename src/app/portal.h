/*
 * portal.h — the family portal's use cases (issue 7): the council invites a
 * parent, carer or young person to a child's case; the family redeems the
 * invitation to make their account, linked to that child; a family account
 * reaches only its linked children.
 *
 * Invitations: a code of 32 random bytes (auth_secret_new), shown once to the
 * council officer to send by letter or email; only its hash is stored. It
 * lasts PORTAL_INVITE_DAYS and is redeemed once (core/portal.h). Redemption
 * is rate limited per client address with the sign-in lock-out's numbers
 * (AUTH_MAX_FAILURES failures in AUTH_LOCK_SECONDS, app/auth.h), so codes
 * cannot be guessed at speed (they could not be guessed anyway: 256 bits).
 * The account (role parent, Argon2id password under the usual policy), the
 * link and the invitation marked used are stored in one transaction.
 *
 * Audit: invitations and joins are audited with the child; reads and
 * denials of a child through the portal are audited by the edge.
 * Errors: SH_EDENIED (role), SH_ENOTFOUND (case, or a child not linked),
 * SH_EINVAL with err naming the field, store failures as app_store_failure.
 */
#ifndef SH_APP_PORTAL_H
#define SH_APP_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/auth.h"
#include "core/portal.h"
#include "store/store_plan.h"
#include "store/store_portal.h"

/* Makes an invitation for case `case_id`'s child: `relationship` a
 * portal_rel wire name (a young person only when over compulsory school age
 * on `today`), `name` whom it is for (1-100 characters). The code is written
 * to code_out once; *out holds the stored invitation. */
int portal_invite(store *s, const app_identity *who, int64_t case_id, const char *relationship,
                  const char *name, int64_t now, date_t today, arena *a,
                  char code_out[AUTH_SECRET_TEXT_LEN + 1], store_invitation *out,
                  app_error *err);

/* What a family types to join. */
typedef struct {
    const char *code;     /* as given: spaces around it are ignored */
    const char *username, *display_name, *email, *password;
} portal_join_input;

/* Redeems an invitation from `remote`: SH_OK with the new account in *out,
 * SH_EINVAL (field "code": not a code, used, expired; or an account field),
 * SH_EDENIED when too many codes failed from `remote` lately. */
int portal_join(store *s, const portal_join_input *in, const char *remote, int64_t now,
                store_user *out, app_error *err);

/* The children of the signed-in family account (SH_EDENIED for staff). */
int portal_children(store *s, const app_identity *who, arena *a, store_portal_link **out,
                    size_t *n);

/* The account's link to `child_id`: SH_ENOTFOUND for a child not linked to
 * it (the caller audits the denial), SH_EDENIED for staff. */
int portal_child(store *s, const app_identity *who, int64_t child_id, arena *a,
                 store_portal_link *out);

/* The journey of a linked child (the caller has found the link with
 * portal_child and audited a denial): their latest case (the one opened last) as
 * the record shows it, at `as_of`. SH_ENOTFOUND (has no case yet: *has_case
 * false, SH_OK) is not an error: a child can be invited before a request. */
int portal_journey(store *s, const app_identity *who, int64_t child_id, date_t as_of,
                   arena *a, app_case_view *out, bool *has_case, app_error *err);

/* When the draft plan of a case in its draft stage was served and the last
 * day to respond (DATE_NONE both when the case is not at the draft stage). */
int portal_draft_window(const app_case_view *v, arena *a, date_t *served, date_t *closes);

/* A family member sends their views (x->kind "views": x->body required) or
 * their response to the draft plan ("draft_response": comments, a school or
 * college, a meeting: at least one; only at the draft stage, up to the last
 * day of its window) about linked child `child_id`. Recorded on the child's
 * latest case (x->case_id set) and audited. SH_ENOTFOUND for a child not
 * linked to the account; SH_EINVAL with err->field "views", "comments" or
 * "school". */
int portal_submit(store *s, const app_identity *who, int64_t child_id, store_submission *x,
                  date_t today, int64_t now, arena *a, app_error *err);

/* What the family sent on a case, for staff who may see the case (the caller
 * has checked), newest first. */
int portal_submissions(store *s, const app_identity *who, int64_t case_id, arena *a,
                       store_submission **out, size_t *n);

/* Messages: one thread per case between the family and the council. The
 * other side is told by email that there is something new, with no personal
 * detail (no name, no case, no text): the notification is queued in the
 * outbox table (store_outbox_insert), which app/notify.h sends through the
 * SMTP relay.
 * A family member writes about linked child `child_id` (its latest case);
 * the coordinator's account is notified if it has an email address. */
int portal_message_from_family(store *s, const app_identity *who, int64_t child_id,
                               const char *body, date_t today, int64_t now, arena *a,
                               store_message *out, app_error *err);
/* Council staff who may write to the case (the caller has checked the case
 * is within reach) write to the family: every family account linked to the
 * child with an email address is notified. */
int portal_message_from_council(store *s, const app_identity *who, const app_case_view *v,
                                const char *body, int64_t now, store_message *out,
                                app_error *err);
/* The thread of a case (oldest first): for staff who may see the case, or a
 * family account for whom the caller found the case through portal_journey. */
int portal_thread(store *s, const app_identity *who, int64_t case_id, arena *a,
                  store_message **out, size_t *n);

#define PORTAL_ACTIVITY_MAX 50 /* entries on one page of "who has looked" */

/* Who has looked at or changed a linked child's record: the audit log's
 * entries for the child, newest first, page `page` (from 0) of
 * PORTAL_ACTIVITY_MAX; *total counts them all. SH_ENOTFOUND for a child not
 * linked to the account (the caller audits the denial). */
int portal_activity(store *s, const app_identity *who, int64_t child_id, size_t page,
                    arena *a, store_audit **out, size_t *n, size_t *total);

/* The issued versions of a case's plan (oldest first; no documents), for a
 * family account that found the case through a linked child: never the
 * council's working draft nor the advice behind it. */
int portal_plan_versions(store *s, const app_identity *who, const app_case_view *v, arena *a,
                         store_plan_version **out, size_t *n);

#endif
