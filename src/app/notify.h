/*
 * notify.h — the family portal's e-mails (issue 7): sending what the portal
 * queues (new messages, upcoming dates, acknowledgements of requests sent
 * online) through the SMTP relay, queueing the e-mails about upcoming
 * dates, each family member's choice about those, and the outbox as staff
 * see it.
 *
 * Run once a day with the advice reminders: by `sendhub remind` (cron,
 * systemd timer) and by the server's daily job (web/server.c), with the
 * same --smtp, --mail-from, --base-url and --smtp-timeout; the server also
 * sends what is queued every --mail-every seconds (app_notify_send).
 *
 * Upcoming dates: for every active family account linked to a child, the
 * child's latest case (portal_journey, the page the family reads) gives the
 * dates core/notify.h picks; each (account, case, kind, date) is recorded
 * once (store_notify_notice_add), so a date is e-mailed once however often
 * the job runs. Skipped: an account without an e-mail address, and one whose
 * holder turned these e-mails off (/portal/emails). The e-mail holds no
 * personal detail: "There is an upcoming date on your child's EHC journey.
 * Sign in to see it." and the portal's address. No name, no date, no kind of
 * date (even "annual review" says the child has a plan). Each queued notice
 * is audited against the child as a write by the system user.
 *
 * Acknowledgements: app/ask.h queues one to the person who asked for an
 * assessment online (no account; the outbox row names the request, 016)
 * when the request is stored; it is sent here like any other.
 *
 * Sending, at most once. Each e-mail is claimed in a commit of its own
 * before the relay is asked (store_outbox_claim), and the answer recorded
 * after. If the process dies between the relay accepting the message and
 * the record of it, the row stays 'sending' and is not tried again: we
 * cannot know whether the relay took it, and a family e-mailed twice about
 * a message (or told twice of a date) is worse than staff seeing "not known"
 * on the outbox page. The other way round (mark sent first) would lose
 * e-mails silently; retrying 'sending' rows would send twice. The claim is
 * conditional, so the server's job and a cron run never both send a row.
 * A refused or unreachable relay puts the row back with the error, to be
 * tried after core/notify.h's backoff (15 minutes, doubling to a day), at
 * most NOTIFY_ATTEMPTS_MAX times, then left 'failed'. The Message-ID is the
 * row's own (portal-<id>@...), the same on every try.
 *
 * Errors: the database's rc; the relay's errors are kept per row, not
 * returned. SH_EDENIED for a role without the capability.
 */
#ifndef SH_APP_NOTIFY_H
#define SH_APP_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/remind.h"
#include "core/date.h"
#include "store/store_notify.h"

#define APP_NOTIFY_SUBJECT "An upcoming date on your child's EHC journey"

typedef struct {
    size_t linked;      /* links of active family accounts to children */
    size_t no_email;    /* of those: the account has no e-mail address */
    size_t turned_off;  /* of those: date e-mails turned off */
    size_t queued;      /* e-mails about upcoming dates queued by this run */
    size_t sent;        /* outbox e-mails the relay took */
    size_t retrying;    /* refused or unreachable: tried again later */
    size_t failed;      /* given up (too many tries, or no usable address) */
    size_t waiting;     /* left queued: no relay configured */
} app_notify_result;

/* Queues the day's e-mails about upcoming dates (as of `as_of`, in one
 * transaction), then sends every queued e-mail due at `now` (unix seconds)
 * through cfg's relay, one at a time and outside any transaction. Without a
 * relay (cfg->smtp_url NULL or "") nothing is sent and *out counts what
 * waits. */
int app_notify_run(store *s, date_t as_of, int64_t now, const app_remind_config *cfg,
                   app_notify_result *out);

/* Only the sending half of app_notify_run: every queued e-mail due at `now`
 * (a new message's notice, an acknowledgement, a retry whose time has
 * come). The server runs it every --mail-every seconds, so a family hears
 * of a message within minutes rather than at the next daily run. */
int app_notify_send(store *s, int64_t now, const app_remind_config *cfg,
                    app_notify_result *out);

/* The signed-in family member's choice about e-mails of upcoming dates, and
 * their account's e-mail address ("" when none; from the arena). */
int app_notify_pref_get(store *s, const app_identity *who, arena *a, bool *on,
                        const char **email);
/* Saves it, audited (object "preference", the account). */
int app_notify_pref_set(store *s, const app_identity *who, bool on, app_error *err);

/* The area's newest portal e-mails, for staff who see the whole area
 * (coordinators, managers, inspectors): SH_EDENIED for others. */
int app_notify_outbox(store *s, const app_identity *who, arena *a, store_outbox **out,
                      size_t *n);

#endif
