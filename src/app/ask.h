/*
 * ask.h — requests for an EHC needs assessment made online by a family
 * without an account (issue 7): the public form's submission, and the
 * council's handling of it (the list of open requests, reading one, starting
 * the statutory request from it, closing it with a reason).
 *
 * Submission is open to anyone, so it is checked again here whatever the
 * edge did (core/ask.h's rules, and an area that exists), and flood-limited
 * per client address: at most ASK_SENDS_MAX stored requests from one address
 * in ASK_SENDS_SECONDS. A family sends one request; the ceiling leaves room
 * for a family hub's shared computer while stopping a script filling the
 * coordinators' list. The request, the acknowledgement e-mailed to the
 * address it gave (core/ask.h's text: the reference, the 6 weeks, no
 * personal detail; queued in the portal's outbox and sent by app/notify.h
 * with the other portal e-mails) and its audit entry ("write",
 * "online_request", no user: the public) are stored in one transaction, so
 * the same page sent twice is one request and one e-mail.
 *
 * Handling: people with CAN_HANDLE_ONLINE_REQUESTS (coordinators, managers)
 * of the request's area; a request of another area is "not found".
 * Starting the statutory request from one (ask_start) adds the child when
 * new, opens the case dated the day the request was received and marks the
 * request started, linked to the case, all in ONE transaction: either all
 * of it is stored or none of it. So a failure part way never leaves a case
 * whose request still reads open (which a second coordinator would start
 * again), and of two people starting one request at once, the second gets
 * SH_ECONFLICT with nothing created. Every write is audited with the child
 * where there is one.
 *
 * Errors: SH_EINVAL (errs or err naming the field), SH_EDENIED (flood limit,
 * or a role without the capability), SH_ENOTFOUND, SH_ECONFLICT (already
 * started or closed), store failures as app_store_failure.
 */
#ifndef SH_APP_ASK_H
#define SH_APP_ASK_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/ask.h"
#include "store/store_ask.h"

#define ASK_SENDS_MAX 10
#define ASK_SENDS_SECONDS 3600

/* Stores a request to area `la_code` received at `now` on `today` from
 * `remote` (the client address), under `send_key` (the random key of its
 * check page, AUTH_SECRET_TEXT_LEN characters): SH_OK with *out filled (its
 * id the reference's number); the same key again is SH_OK with the request
 * it stored the first time (nothing new stored or counted). SH_EINVAL with
 * errs filled (errs->n > 0; an unknown area is field "la_code"), or with
 * err's field "send_key" and errs empty when the key is missing; SH_EDENIED
 * when the address has sent too many. Text of a repeat is in `a`. */
int ask_submit(store *s, const char *la_code, const ask_input *in, const char *send_key,
               const char *remote, int64_t now, date_t today, arena *a, store_ask *out,
               ask_errors *errs, app_error *err);

/* Queues the acknowledgement of stored request *r to its e-mail address,
 * inside the caller's open write transaction (ask_submit's; the demo's):
 * *outbox_id its row in the outbox. */
int ask_ack_queue(store *s, const store_ask *r, int64_t now, int64_t *outbox_id);

/* The open requests of the caller's area, oldest first. */
int ask_open(store *s, const app_identity *who, arena *a, store_ask **out, size_t *n,
             int64_t *total);

/* One request of the caller's area, whatever its status. */
int ask_get(store *s, const app_identity *who, int64_t id, arena *a, store_ask *out);

/* Closes an open request: `reason` a core/ask.h close reason; `note` up to
 * 1000 characters, required for "other". */
int ask_close(store *s, const app_identity *who, int64_t id, const char *reason,
              const char *note, int64_t now, app_error *err);

/* Starts the statutory request from open request `id` of the caller's
 * area (needs CAN_HANDLE_ONLINE_REQUESTS and CAN_WRITE_CASES), in one
 * transaction: adds child *c when c->id is 0 (checked, normalised and given
 * its id as app_child_create does; else c->id is an existing child of the
 * area), opens its case (*out, as app_case_open) whose request_received is
 * the day the request was received, `coordinator` a username or "", and
 * marks the request started, linked to the case. SH_ECONFLICT with err's
 * field NULL when the request was started or closed by someone else first
 * (nothing is stored); SH_EINVAL, or SH_ECONFLICT with err's field "upn" or
 * "nhs_number", for the child's or case's details as those use cases say;
 * SH_ENOTFOUND for no such request. */
int ask_start(store *s, const app_identity *who, int64_t id, store_child *c,
              const char *coordinator, date_t today, int64_t now, arena *a, store_case *out,
              app_error *err);

#endif
