/*
 * remind.h — the daily reminder job for advice requests: who must be
 * chased, recorded once per request per day, and an e-mail to the service
 * through the configured SMTP relay when there is one.
 *
 * Run by `sendhub remind` (cron, systemd timer) and by the server once a day
 * (web/server.c). Idempotent: running it again the same day adds nothing and
 * sends nothing twice (the chase row's (request, day) key decides), so the
 * two may overlap safely. A chase whose e-mail failed keeps its error for
 * the outbox page and is not retried that day; the next day's run chases
 * again if the advice is still outstanding.
 *
 * Recipients are the active accounts of the service asked that have an
 * e-mail address: health or social care practitioners of the area, or the
 * staff of the setting asked (education). Psychology and other services
 * have no accounts: their chases are recorded for the coordinator to act on.
 * The e-mail names no child (e-mail is not a secure channel): it gives the
 * request number, service, due date and a link to sign in.
 */
#ifndef SH_APP_REMIND_H
#define SH_APP_REMIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/date.h"
#include "store/store.h"
#include "util/arena.h"

/* Filled from the option table shared by `sendhub remind` and `serve`. */
typedef struct {
    const char *smtp_url;   /* smtp://relay:587, smtps://...; NULL: record only */
    const char *from;       /* the sender address; required with smtp_url */
    const char *base_url;   /* https://sendhub.example.gov.uk for links; NULL: none */
    long within_days;       /* chase requests due within this many days (and overdue) */
    long timeout;           /* seconds for one message through the relay */
    bool disabled;          /* serve: do not run the job */
} app_remind_config;

typedef struct {
    size_t due;       /* open requests overdue or due within the window */
    size_t added;     /* chases recorded by this run */
    size_t sent, failed, unsent; /* of those added: e-mailed, failed, not e-mailed
                                    (no relay, or nobody to send to) */
} app_remind_result;

/* Checks the configuration: from is a valid address when smtp_url is set,
 * smtp_url starts smtp:// or smtps://. SH_EINVAL with a message in why. */
int app_remind_config_check(const app_remind_config *cfg, const char **why);

/* Runs the job for every area as of `as_of`. Errors from the relay are
 * stored per chase, not returned; the rc is the database's. */
int app_remind_run(store *s, date_t as_of, const app_remind_config *cfg,
                   app_remind_result *out);

#endif
