/*
 * ask.c — online requests for an assessment: submission with its flood
 * limit, and the council's handling (ask.h).
 */
#include "app/ask.h"

#include <string.h>

#include "app/access.h"
#include "app/audit.h"
#include "app/auth.h"
#include "util/err.h"

/* Is `la_code` one of the areas the form offers? */
static int area_known(store *s, const char *la_code, bool *known)
{
    *known = false;
    arena *a = arena_create(1u << 16);
    if (!a)
        return SH_ENOMEM;
    store_ask_area *areas = NULL;
    size_t n = 0;
    int rc = store_ask_areas(s, a, &areas, &n);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        *known = *known || strcmp(areas[i].la_code, la_code) == 0;
    arena_destroy(a);
    return rc;
}

/* The request as stored: what was typed, with the identifiers normalised
 * (copied into `a`: the caller reads them after `c` is gone). SH_ENOMEM
 * from the arena. */
static int to_row(const char *la_code, const ask_input *in, const ask_clean *c, int64_t now,
                  date_t today, arena *a, store_ask *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->la_code, la_code, STORE_LA_LEN);
    r->received_at = now;
    r->received_on = today;
    r->asker_role = portal_rel_name(c->role);
    r->relationship = c->role == PORTAL_YOUNG_PERSON ? "" : in->relationship;
    r->asker_name = in->asker_name;
    r->email = in->email;
    r->phone = in->phone ? in->phone : "";
    r->forename = in->forename;
    r->surname = in->surname;
    r->date_of_birth = in->date_of_birth;
    r->postcode = arena_strdup(a, c->postcode);
    r->setting_name = in->setting_name ? in->setting_name : "";
    r->upn = arena_strdup(a, c->upn);
    r->nhs_number = arena_strdup(a, c->nhs_number);
    r->needs = in->needs;
    r->tried = in->tried ? in->tried : "";
    r->status = "open";
    return r->postcode && r->upn && r->nhs_number ? SH_OK : SH_ENOMEM;
}

static int flood_check(store *s, const char *remote, int64_t now, app_error *err)
{
    int64_t sent = 0;
    int rc = store_ask_senders(s, remote, now - ASK_SENDS_SECONDS, &sent);
    if (rc)
        return app_store_failure(rc, err, "The request");
    if (sent >= ASK_SENDS_MAX)
        return app_fail(err, SH_EDENIED, NULL,
                        "Too many requests have been sent from this connection in the last "
                        "hour. Wait an hour, then try again, or phone your council's SEND "
                        "team.");
    return SH_OK;
}

/* The request already sent with this key: SH_OK with it in *out, or
 * SH_ENOTFOUND. */
static int sent_before(store *s, const unsigned char key[STORE_TOKEN_HASH_LEN], arena *a,
                       store_ask *out, app_error *err)
{
    int rc = store_ask_by_key(s, key, a, out);
    return rc == SH_OK || rc == SH_ENOTFOUND ? rc : app_store_failure(rc, err, "The request");
}

int ask_ack_queue(store *s, const store_ask *r, int64_t now, int64_t *outbox_id)
{
    char ref[ASK_REF_LEN + 1], body[ASK_ACK_BODY_MAX];
    ask_reference(r->la_code, (long long)r->id, ref, sizeof ref);
    return store_ask_ack_insert(s, r->id, ASK_ACK_SUBJECT, ask_ack_body(ref, body, sizeof body),
                                now, outbox_id);
}

int ask_submit(store *s, const char *la_code, const ask_input *in, const char *send_key,
               const char *remote, int64_t now, date_t today, arena *a, store_ask *out,
               ask_errors *errs, app_error *err)
{
    remote = remote ? remote : "";
    unsigned char key[STORE_TOKEN_HASH_LEN];
    if (!send_key || strlen(send_key) != AUTH_SECRET_TEXT_LEN ||
        auth_secret_hash(send_key, key) != SH_OK)
        return app_fail(err, SH_EINVAL, "send_key", "Check your answers, then send them.");
    int rc = sent_before(s, key, a, out, err);
    if (rc != SH_ENOTFOUND)
        return rc;
    bool known = false;
    rc = la_code && strlen(la_code) == STORE_LA_LEN ? area_known(s, la_code, &known) : SH_OK;
    if (rc)
        return app_store_failure(rc, err, "The list of councils");
    ask_clean clean;
    if (!known && errs->n < ASK_MAX_ERRORS)
        errs->e[errs->n++] = (ask_error){"la_code", "Select your council"};
    if (ask_check(in, today, &clean, errs) || !known)
        return app_fail(err, SH_EINVAL, errs->e[0].field, "%s", errs->e[0].message);
    if ((rc = flood_check(s, remote, now, err)))
        return rc;
    if ((rc = to_row(la_code, in, &clean, now, today, a, out)))
        return app_store_failure(rc, err, "The request");
    app_identity public = {.username = NULL, .role = -1, .remote = remote};
    memcpy(public.la_code, la_code, STORE_LA_LEN);
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The request");
    rc = store_ask_insert(s, key, out);
    if (rc == SH_ECONFLICT) { /* the same page sent twice at once: the other won */
        store_tx_rollback(s);
        return sent_before(s, key, a, out, err) == SH_OK ? SH_OK : rc;
    }
    if (rc == SH_OK)
        rc = store_ask_sender_add(s, remote, now, now - ASK_SENDS_SECONDS);
    int64_t ack;
    if (rc == SH_OK)
        rc = ask_ack_queue(s, out, now, &ack);
    if (rc == SH_OK)
        rc = audit_record_now(s, &public, "write", "online_request", out->id, 0,
                              "request for an assessment sent online; acknowledgement "
                              "e-mail queued",
                              now);
    if (rc)
        app_store_failure(rc, err, "The request");
    return app_finish_tx(s, rc, err);
}

int ask_open(store *s, const app_identity *who, arena *a, store_ask **out, size_t *n,
             int64_t *total)
{
    if (!access_can(who, CAN_HANDLE_ONLINE_REQUESTS))
        return SH_EDENIED;
    return store_ask_open_list(s, who->la_code, a, out, n, total);
}

int ask_get(store *s, const app_identity *who, int64_t id, arena *a, store_ask *out)
{
    if (!access_can(who, CAN_HANDLE_ONLINE_REQUESTS))
        return SH_EDENIED;
    return store_ask_get(s, who->la_code, id, a, out);
}

/* A request someone else started or closed first. */
static int taken(app_error *err)
{
    return app_fail(err, SH_ECONFLICT, NULL,
                    "This request has already been started or closed by someone else.");
}

/* Ends ask_close's write transaction with its audit entry; a request no
 * longer open is SH_ECONFLICT. */
static int handle(store *s, const app_identity *who, int rc, int64_t id, const char *detail,
                  app_error *err)
{
    if (rc == SH_ENOTFOUND)
        rc = taken(err);
    else if (rc)
        app_store_failure(rc, err, "The request");
    else
        rc = app_audit_write(s, who, "online_request", id, 0, detail, err);
    return app_finish_tx(s, rc, err);
}

int ask_close(store *s, const app_identity *who, int64_t id, const char *reason,
              const char *note, int64_t now, app_error *err)
{
    if (!access_can(who, CAN_HANDLE_ONLINE_REQUESTS))
        return app_fail(err, SH_EDENIED, NULL, "You may not close requests.");
    note = note ? note : "";
    if (!ask_close_reason_label(reason))
        return app_fail(err, SH_EINVAL, "reason", "Select why you are closing the request");
    if (strcmp(reason, "other") == 0 && !note[0])
        return app_fail(err, SH_EINVAL, "note", "Say why you are closing the request");
    int rc = app_check_text("note", "why you are closing the request", note, 1000, true, true,
                            err);
    if (rc)
        return rc;
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The request");
    rc = store_ask_close(s, who->la_code, id, reason, note, who->username, now);
    return handle(s, who, rc, id, reason, err);
}

/* Inside ask_start's transaction: the request, still open, and the case
 * opened from it dated the day it was received (with the child first when
 * new), linked to it. */
static int start_in_tx(store *s, const app_identity *who, int64_t id, store_child *c,
                       const char *coordinator, date_t today, int64_t now, arena *a,
                       store_case *out, app_error *err)
{
    store_ask r;
    int rc = store_ask_get(s, who->la_code, id, a, &r);
    if (rc == SH_ENOTFOUND)
        return app_fail(err, rc, NULL, "There is no such request.");
    if (rc)
        return app_store_failure(rc, err, "The request");
    if (strcmp(r.status, "open") != 0)
        return taken(err);
    if (c->id <= 0)
        rc = app_child_add(s, who, c, today, err);
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, r.received_on);
    journey_timeline t;
    if (rc == SH_OK)
        rc = app_case_add(s, who, c->id, coordinator, &start, today, a, out, &t, err);
    if (rc == SH_OK) {
        rc = store_ask_start(s, who->la_code, id, out->id, who->username, now);
        if (rc == SH_ENOTFOUND) /* started or closed since it was read (PostgreSQL) */
            return taken(err);
        if (rc)
            return app_store_failure(rc, err, "The request");
        rc = app_audit_write(s, who, "online_request", id, c->id,
                             "started the statutory request", err);
    }
    return rc;
}

int ask_start(store *s, const app_identity *who, int64_t id, store_child *c,
              const char *coordinator, date_t today, int64_t now, arena *a, store_case *out,
              app_error *err)
{
    if (!access_can(who, CAN_HANDLE_ONLINE_REQUESTS) || !access_can(who, CAN_WRITE_CASES))
        return app_fail(err, SH_EDENIED, NULL, "You may not start requests.");
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The request");
    rc = start_in_tx(s, who, id, c, coordinator, today, now, a, out, err);
    return app_finish_tx(s, rc, err);
}
