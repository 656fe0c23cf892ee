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

/* A signed-in family account redeems another invitation (a brother or
 * sister, a child newly in their care): the same checks and the same rate
 * limit as portal_join, then the link is made and the invitation marked used
 * in one transaction, audited with the child. An invitation for a young
 * person, or any invitation to a young person's own account, is refused:
 * core/portal.h's portal_add_check says why. A code for a child already on
 * the account, for another council's area, or refused by that rule is not
 * used and not counted against the rate limit (it is a real code, not a
 * guess). SH_OK with the new link in *out (the child's names from `a`);
 * SH_EINVAL on field "code"; SH_EDENIED for staff, or too many failures. */
int portal_add_child(store *s, const app_identity *who, const char *code, const char *remote,
                     int64_t now, arena *a, store_portal_link *out, app_error *err);

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

/* A file a family member attached, as uploaded: its bytes are checked here,
 * by content (core/portal.h), whatever it is called. */
typedef struct {
    const char *filename; /* as the browser sent it (untrusted) */
    const unsigned char *data; /* may be NULL when len is over PORTAL_FILE_MAX
                                * (a part too large to keep: refused by size) */
    size_t len;
} portal_upload;

/* Checks the files of one submission: one message in errs (at most `max`)
 * per file that is not a PDF, JPEG or PNG of at most 5 MB, naming the file
 * as the family knows it ("drawing.gif: The file must be a PDF, JPEG or
 * PNG"), or one when there are more than PORTAL_FILES_MAX; all on field
 * "files". SH_OK or SH_EINVAL (*n_errs set). So a page can list every bad
 * file at once; portal_submit checks again. */
int portal_files_check(const portal_upload *files, size_t n, app_error *errs, size_t max,
                       size_t *n_errs);

/* A family member sends their views (x->kind "views": x->body or at least
 * one file required, files checked by portal_files_check) or
 * their response to the draft plan ("draft_response": comments, a school or
 * college, a meeting: at least one; only at the draft stage, up to the last
 * day of its window) about linked child `child_id`. Recorded on the child's
 * latest case (x->case_id set) and audited. SH_ENOTFOUND for a child not
 * linked to the account; SH_EINVAL with err->field "views", "comments" or
 * "school". */
int portal_submit(store *s, const app_identity *who, int64_t child_id, store_submission *x,
                  const portal_upload *files, size_t n_files, date_t today, int64_t now,
                  arena *a, app_error *err);

/* The files attached to a case's submissions (no content), for staff who
 * may see the case (the caller has checked), oldest first. */
int portal_files(store *s, const app_identity *who, int64_t case_id, arena *a,
                 store_portal_file **out, size_t *n);

/* What this family account itself sent on a case it found through a linked
 * child (portal_journey): its submissions, newest first, and their files. */
int portal_sent(store *s, const app_identity *who, const app_case_view *v, arena *a,
                store_submission **subs, size_t *n_subs, store_portal_file **files,
                size_t *n_files);

/* One attached file with its bytes. For staff: a file of case v, which the
 * caller has loaded as the person may see it (SH_EDENIED without
 * CAN_READ_CASES). For a family account: a file it sent itself about the
 * linked child `link` (found with portal_child). SH_ENOTFOUND for any other
 * file. The caller audits the download. */
int portal_file_staff(store *s, const app_identity *who, const app_case_view *v,
                      int64_t file_id, arena *a, store_portal_file *out);
int portal_file_family(store *s, const app_identity *who, const store_portal_link *link,
                       int64_t file_id, arena *a, store_portal_file *out);

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

/* ---- withdrawing a family's access -------------------------------------------
 * A coordinator or manager (CAN_INVITE_FAMILY: whoever may give access may
 * take it away) ends a family account's access to a child: parental
 * responsibility changed, or a young person asked that a parent no longer
 * sees their record. The link moves to the history with who ended it, when
 * and the reason given (1-1000 characters), and the audit log has the same;
 * the family account then reaches that child no more (404, as any child not
 * theirs). Unused invitations for the child can be withdrawn with it, so a
 * letter still in the post does not bring the access back. */
#define PORTAL_REASON_MAX 1000

/* The family accounts linked to case v's child now, and the access
 * withdrawn before (newest first). SH_EDENIED without CAN_INVITE_FAMILY;
 * the caller has loaded v as the person may see it. */
int portal_family_access(store *s, const app_identity *who, const app_case_view *v, arena *a,
                         store_family_access **linked, size_t *n_linked,
                         store_family_access **removed, size_t *n_removed);

/* The child's invitations still open at `now`. */
int portal_open_invitations(store *s, const app_identity *who, const app_case_view *v,
                            int64_t now, int64_t *n);

/* Ends account `user_id`'s access to case v's child, for `reason`, and
 * when `revoke` withdraws the child's open invitations (*revoked counts
 * them). SH_EDENIED (role), SH_ENOTFOUND (no such link), SH_EINVAL on field
 * "reason". */
int portal_remove_access(store *s, const app_identity *who, const app_case_view *v,
                         int64_t user_id, const char *reason, bool revoke, int64_t now,
                         int64_t *revoked, app_error *err);

/* Whether the council has ever withdrawn this family account's access to a
 * child (so an empty account can say so). */
int portal_had_access_removed(store *s, const app_identity *who, bool *out);

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
