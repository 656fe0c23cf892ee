/*
 * store_portal.h — the family portal's rows (issue 7), written once over the
 * portable SQL layer (store/sql.h): invitations the council makes from a
 * child's case, the links between a family account and its children, and
 * failed redemptions for the rate limit.
 *
 * An invitation is kept by the hash of its code only (app/auth.h's secrets);
 * redeeming marks it used, once: store_invitation_use changes the row only
 * while it is unused and unexpired, so two redemptions racing cannot both
 * win. Tenancy: links and invitations carry the child's area; a family
 * account reaches children only through its links.
 *
 * Memory: text in records read comes from the arena passed in. Errors: as
 * store.h (SH_ENOTFOUND, SH_ECONFLICT, SH_EUNAVAIL, SH_EIO, SH_ENOMEM).
 */
#ifndef SH_STORE_PORTAL_H
#define SH_STORE_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

#define STORE_PORTAL_CHILDREN_MAX 20 /* children linked to one family account */

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t child_id;
    const char *relationship; /* "parent", "carer", "young_person" */
    const char *invitee_name;
    const char *created_by;   /* username of the council officer */
    int64_t created_at, expires_at;
    int64_t used_at;          /* 0 while unused */
} store_invitation;

/* Stores a new invitation under the hash of its code: sets inv->id. */
int store_invitation_insert(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                            store_invitation *inv);
/* The invitation with that code hash, used or not; SH_ENOTFOUND if none. */
int store_invitation_by_hash(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                             arena *a, store_invitation *out);
/* Marks invitation `id` used by account `user_id` at `now`, only if it is
 * still unused and expires after now: SH_ENOTFOUND otherwise. */
int store_invitation_use(store *s, int64_t id, int64_t user_id, int64_t now);

typedef struct {
    int64_t child_id;
    char la_code[STORE_LA_LEN + 1];
    const char *relationship;
    int64_t since;
    const char *forename, *surname; /* the child's, read with the link */
} store_portal_link;

/* Links account `user_id` to a child (l->child_id in l->la_code). */
int store_portal_link_insert(store *s, int64_t user_id, const store_portal_link *l);
/* The account's children, oldest link first (at most STORE_PORTAL_CHILDREN_MAX). */
int store_portal_links(store *s, int64_t user_id, arena *a, store_portal_link **out,
                       size_t *n);
/* The account's link to one child: SH_ENOTFOUND when there is none. */
int store_portal_link_get(store *s, int64_t user_id, int64_t child_id, arena *a,
                          store_portal_link *out);

/* Records a failed redemption from `remote` (and forgets those before
 * `forget_before`); counts those from `remote` since `since`. */
int store_join_failure_add(store *s, const char *remote, int64_t now, int64_t forget_before);
int store_join_failures(store *s, const char *remote, int64_t since, int64_t *n);

#define STORE_PORTAL_TEXT_MAX 10000  /* views, comments: bytes */
#define STORE_PORTAL_SCHOOL_MAX 200  /* the school or college asked for */
#define STORE_PORTAL_SUBMISSIONS_MAX 50 /* newest shown on a record */

/* Something a family sent on a case: their views, or their response to a
 * draft plan. */
typedef struct {
    int64_t id;
    int64_t case_id;
    int64_t user_id;
    const char *kind;   /* "views", "draft_response" */
    const char *body;   /* the views or comments; "" if none */
    const char *school; /* "" if none */
    bool meeting;       /* a meeting was asked for */
    int64_t created_at;
    const char *display_name, *username; /* the family member's, read with it */
} store_submission;

/* Stores a submission on case `x->case_id` of area `la_code`: sets x->id. */
int store_submission_insert(store *s, const char *la_code, store_submission *x);
/* The case's newest STORE_PORTAL_SUBMISSIONS_MAX submissions, newest first. */
int store_submission_list(store *s, const char *la_code, int64_t case_id, arena *a,
                          store_submission **out, size_t *n);

#define STORE_PORTAL_MESSAGE_MAX 5000   /* bytes of one message */
#define STORE_PORTAL_THREAD_MAX 100     /* newest messages shown in a thread */

typedef struct {
    int64_t id;
    int64_t case_id;
    int64_t user_id;
    bool from_family;
    const char *body;
    int64_t created_at;
    const char *display_name; /* the sender's, read with it */
} store_message;

/* Adds a message to case `m->case_id`'s thread: sets m->id. */
int store_message_insert(store *s, const char *la_code, store_message *m);
/* The thread's newest STORE_PORTAL_THREAD_MAX messages, oldest first. */
int store_message_list(store *s, const char *la_code, int64_t case_id, arena *a,
                       store_message **out, size_t *n);

/* Someone to tell by email (a family account linked to a child). */
typedef struct {
    int64_t user_id;
    const char *email; /* "" when the account has none */
} store_recipient;

struct sql_stmt;
/* Reads a (user id, e-mail) row into a store_recipient: the row reader
 * (store/sql.h's sql_row_fn) of every list of whom to e-mail, here and in
 * store_insp_comment. */
int store_recipient_row(struct sql_stmt *q, arena *a, void *row);

/* The family accounts linked to a child (at most STORE_PORTAL_CHILDREN_MAX). */
int store_portal_family_of(store *s, const char *la_code, int64_t child_id, arena *a,
                           store_recipient **out, size_t *n);

/* Queues an email notification in the outbox (sent by app/notify.h,
 * store/store_notify.h). */
int store_outbox_insert(store *s, const char *la_code, int64_t to_user_id, const char *to_email,
                        const char *subject, const char *body, int64_t now);

/* ---- files attached to a family's views (migration 011) -------------------- */

#define STORE_PORTAL_FILES_MAX 250 /* attachments listed with a case's submissions */

typedef struct {
    int64_t id;
    int64_t submission_id;
    int64_t case_id, user_id; /* the submission's, read with it */
    const char *filename;     /* cleaned (core/portal.h) */
    const char *kind;         /* "pdf", "jpeg", "png": what the content showed */
    size_t size;
    const unsigned char *content; /* NULL in lists; the bytes from store_portal_file_get */
    int64_t created_at;
} store_portal_file;

/* Stores an attachment of submission f->submission_id: sets f->id. */
int store_portal_file_insert(store *s, const char *la_code, store_portal_file *f);
/* The attachments of a case's submissions (no content), oldest first. */
int store_portal_files_of_case(store *s, const char *la_code, int64_t case_id, arena *a,
                               store_portal_file **out, size_t *n);
/* One attachment with its bytes and its submission's case and author:
 * SH_ENOTFOUND when there is none in that area. */
int store_portal_file_get(store *s, const char *la_code, int64_t id, arena *a,
                          store_portal_file *out);

/* ---- who has access to a child, and who had (migration 011) ---------------------- */

typedef struct {
    int64_t user_id;
    const char *display_name, *username;
    const char *relationship;
    int64_t since;
    /* for access withdrawn (portal_link_history): when, by whom, why; 0/NULL
     * for access held now */
    int64_t removed_at;
    const char *removed_by, *reason;
} store_family_access;

/* The family accounts linked to a child now, oldest link first. */
int store_portal_access_of_child(store *s, const char *la_code, int64_t child_id, arena *a,
                                 store_family_access **out, size_t *n);
/* The access to a child withdrawn before, newest first (at most
 * STORE_PORTAL_CHILDREN_MAX). */
int store_portal_removed_of_child(store *s, const char *la_code, int64_t child_id, arena *a,
                                  store_family_access **out, size_t *n);
/* Ends account `user_id`'s link to a child: the row is copied to the
 * history with `removed_by`, `reason` and `now`, then deleted. SH_ENOTFOUND
 * when there is no such link. Run it inside a transaction. */
int store_portal_link_remove(store *s, int64_t user_id, const char *la_code, int64_t child_id,
                             const char *removed_by, const char *reason, int64_t now);
/* How many links account `user_id` has had withdrawn. */
int store_portal_removed_count(store *s, int64_t user_id, int64_t *n);
/* The child's invitations still open at `now` (unused, unexpired). */
int store_invitations_open(store *s, const char *la_code, int64_t child_id, int64_t now,
                           int64_t *n);
/* Withdraws them: each is marked revoked and ends at `now`; *n how many. */
int store_invitations_revoke(store *s, const char *la_code, int64_t child_id, int64_t now,
                             int64_t *n);

#endif
