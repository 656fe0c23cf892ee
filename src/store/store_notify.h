/*
 * store_notify.h — sending the family portal's e-mails (issue 7), written
 * once over the portable SQL layer (store/sql.h), migrations 010 and 016: the
 * sender's side of the outbox (portal_outbox, 007), the record of upcoming
 * dates each family account has been told about, and each family member's
 * choice about those e-mails.
 *
 * The outbox is a small state machine, each step one conditional UPDATE so
 * two senders (the server's daily job and `sendhub remind` from cron) can
 * never both take a row:
 *     queued --claim--> sending --sent--> sent
 *                          |----failed--> queued (a later try) or failed
 * store_outbox_claim changes a row only while it is 'queued'; the outcome
 * steps only while it is 'sending'. A row left 'sending' (the sender died
 * between asking the relay and recording the answer) stays so: app/notify.h
 * explains why it is not tried again.
 *
 * Memory: text in records read comes from the arena passed in. Errors: as
 * store.h (SH_ENOTFOUND, SH_ECONFLICT, SH_EUNAVAIL, SH_EIO, SH_ENOMEM).
 */
#ifndef SH_STORE_NOTIFY_H
#define SH_STORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "store/store.h"
#include "util/arena.h"

#define STORE_OUTBOX_ERROR_MAX 256 /* bytes of the relay's last error kept */
#define STORE_OUTBOX_LIST_MAX 200  /* newest rows on the staff page */
#define STORE_NOTIFY_FAMILIES_MAX 200000 /* links read by one daily run */

/* One e-mail of the outbox: to an account (to_user_id), or, since 016, to
 * the person who sent an online request for an assessment, who has none
 * (online_request_id; to_user_id 0, username ""). */
typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t to_user_id;
    int64_t online_request_id; /* 0 unless an online request's acknowledgement */
    const char *to_email, *subject, *body;
    const char *state;  /* "queued", "sending", "sent", "failed" */
    int attempts;       /* sends tried */
    int64_t created_at, sent_at, next_attempt_at, claimed_at; /* unix seconds; 0: none */
    const char *last_error; /* "" when none */
    const char *username;   /* the recipient's account, read with the row (staff page) */
} store_outbox;

/* The queued e-mails whose next try is due at `now`, oldest first, at most
 * `max`. */
int store_outbox_due(store *s, int64_t now, size_t max, arena *a, store_outbox **out,
                     size_t *n);
/* Counts the queued e-mails due at `now` (what a run without a relay leaves). */
int store_outbox_due_count(store *s, int64_t now, int64_t *n);
/* Takes row `id` for sending at `now` (state 'sending', one more attempt):
 * SH_ENOTFOUND when it is no longer queued (another sender took it). */
int store_outbox_claim(store *s, int64_t id, int64_t now);
/* The relay took the message: 'sent' at `now`. */
int store_outbox_sent(store *s, int64_t id, int64_t now);
/* The relay did not: back to 'queued' for a try at `next_attempt_at`, or
 * 'failed' for good when `give_up`; `error` kept (truncated to
 * STORE_OUTBOX_ERROR_MAX). */
int store_outbox_failed(store *s, int64_t id, const char *error, bool give_up,
                        int64_t next_attempt_at);
/* The area's newest e-mails (at most STORE_OUTBOX_LIST_MAX), for staff. */
int store_outbox_list(store *s, const char *la_code, arena *a, store_outbox **out, size_t *n);

/* A family account linked to a child, as the daily job of upcoming dates
 * reads it. */
typedef struct {
    int64_t user_id;
    char la_code[STORE_LA_LEN + 1];
    int64_t child_id;
    const char *email;   /* "" when the account has none */
    bool date_emails;    /* the family member's choice (on when never made) */
} store_notify_family;

/* Every link of an active family account to a child, in every area,
 * ordered by area, child and account (at most STORE_NOTIFY_FAMILIES_MAX). */
int store_notify_families(store *s, arena *a, store_notify_family **out, size_t *n);

/* Records that account `user_id` is told about date `due` of `kind` on case
 * `case_id`: *added false when it already was (nothing changes). */
int store_notify_notice_add(store *s, int64_t user_id, const char *la_code, int64_t case_id,
                            const char *kind, date_t due, int64_t now, bool *added);

/* A family member's choice about e-mails of upcoming dates: *on true when
 * they never chose. */
int store_notify_pref_get(store *s, int64_t user_id, bool *on);
int store_notify_pref_set(store *s, int64_t user_id, bool on, int64_t now);

#endif
