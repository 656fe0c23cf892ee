/*
 * views_request.c — the council's requests for a family's views
 * (views_request.h).
 */
#include "app/views_request.h"

#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "store/store_portal.h"
#include "util/err.h"

static const char asked_subject[] = "The council has asked for your views";
static const char asked_body[] =
    "The council has asked for your views about a child's EHC needs assessment or plan.\n\n"
    "Sign in to sendhub to read the request and send your views. We do not put any details "
    "in emails, to keep them private.";

bool views_request_may_ask(const app_identity *who)
{
    return access_can(who, CAN_INVITE_FAMILY) || access_can(who, CAN_WRITE_CASES);
}

static int ask_check(const char *purpose, const char *message, date_t reply_by, date_t today,
                     app_error *err)
{
    int p = views_purpose_parse(purpose);
    if (p < 0)
        return app_fail(err, SH_EINVAL, "purpose", "Select what the views are for.");
    if (p == VIEWS_FOR_OTHER && (!message || !message[0]))
        return app_fail(err, SH_EINVAL, "message",
                        "Enter a message to the family saying what the views are for.");
    int rc = app_check_text("message", "the message", message ? message : "",
                            VIEWS_MESSAGE_MAX, true, true, err);
    if (rc)
        return rc;
    if (!views_reply_by_ok(reply_by, today))
        return app_fail(err, SH_EINVAL, "reply_by",
                        "The reply-by date must be today or later, and within a year.");
    return SH_OK;
}

/* The request, the family's e-mails and the audit entry in one transaction. */
static int ask_store(store *s, const app_identity *who, int64_t child_id,
                     store_views_request *r, const store_recipient *to, size_t n_to,
                     app_error *err)
{
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The request");
    rc = store_views_request_insert(s, r);
    for (size_t i = 0; rc == SH_OK && i < n_to; i++)
        if (to[i].email && to[i].email[0])
            rc = store_outbox_insert(s, r->la_code, to[i].user_id, to[i].email, asked_subject,
                                     asked_body, r->asked_at);
    if (rc == SH_OK) {
        char iso[DATE_ISO_LEN + 1], detail[120];
        date_format(r->reply_by, iso);
        snprintf(detail, sizeof detail, "family's views asked for (%s), reply by %s", r->purpose,
                 iso);
        rc = app_audit_write(s, who, "views_request", r->id, child_id, detail, err);
    }
    return app_finish_tx(s, rc, err);
}

int views_request_ask(store *s, const app_identity *who, const app_case_view *v,
                      const char *purpose, const char *message, date_t reply_by, date_t today,
                      int64_t now, store_views_request *out, app_error *err)
{
    if (!views_request_may_ask(who))
        return app_fail(err, SH_EDENIED, NULL, "Your role cannot ask families for views.");
    int rc = ask_check(purpose, message, reply_by, today, err);
    if (rc)
        return rc;
    arena *a = arena_create(1u << 16);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "There was not enough memory; try again.");
    store_recipient *to;
    size_t n;
    rc = store_portal_family_of(s, v->c.la_code, v->c.child_id, a, &to, &n);
    if (rc == SH_OK) {
        *out = (store_views_request){.case_id = v->c.id, .purpose = purpose,
                                     .message = message ? message : "", .reply_by = reply_by,
                                     .asked_by = who->username, .asked_at = now};
        memcpy(out->la_code, v->c.la_code, sizeof out->la_code);
        rc = ask_store(s, who, v->c.child_id, out, to, n, err);
    } else {
        rc = app_store_failure(rc, err, "The family's accounts");
    }
    arena_destroy(a);
    return rc;
}

int views_request_withdraw(store *s, const app_identity *who, const app_case_view *v,
                           int64_t id, const char *reason, int64_t now, app_error *err)
{
    if (!views_request_may_ask(who))
        return app_fail(err, SH_EDENIED, NULL, "Your role cannot withdraw requests.");
    int rc = app_check_text("reason", "why the request is withdrawn", reason, VIEWS_REASON_MAX,
                            false, true, err);
    if (rc)
        return rc;
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The request");
    rc = store_views_request_withdraw(s, v->c.la_code, v->c.id, id, who->username, reason, now);
    if (rc == SH_OK)
        rc = app_audit_write(s, who, "views_request", id, v->c.child_id,
                             "family's views request withdrawn", err);
    else if (rc == SH_ENOTFOUND)
        rc = app_fail(err, rc, NULL, "That request is not open.");
    return app_finish_tx(s, rc, err);
}

static bool may_list(const app_identity *who)
{
    return access_can(who, CAN_READ_CASES) || access_can(who, CAN_USE_PORTAL);
}

int views_request_list(store *s, const app_identity *who, const app_case_view *v, arena *a,
                       store_views_request **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!may_list(who))
        return SH_EDENIED;
    return store_views_requests_of_case(s, v->c.la_code, v->c.id, a, out, n);
}

int views_request_oldest_open(store *s, const app_identity *who, const app_case_view *v,
                              arena *a, store_views_request *out, bool *found)
{
    *found = false;
    if (!may_list(who))
        return SH_EDENIED;
    int rc = store_views_request_oldest_open(s, v->c.la_code, v->c.id, a, out);
    if (rc == SH_ENOTFOUND)
        return SH_OK;
    *found = rc == SH_OK;
    return rc;
}

int views_request_answer_oldest(store *s, const app_identity *who, const char *la_code,
                                int64_t case_id, int64_t child_id, int64_t submission_id,
                                int64_t now, app_error *err)
{
    arena *a = arena_create(1u << 12);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "There was not enough memory; try again.");
    store_views_request r;
    int rc = store_views_request_oldest_open(s, la_code, case_id, a, &r);
    arena_destroy(a);
    if (rc == SH_ENOTFOUND)
        return SH_OK;
    if (rc == SH_OK)
        rc = store_views_request_answer(s, la_code, case_id, r.id, submission_id, now);
    if (rc)
        return app_store_failure(rc, err, "The council's request");
    char detail[80];
    snprintf(detail, sizeof detail, "family's views request answered by submission %lld",
             (long long)submission_id);
    return app_audit_write(s, who, "views_request", r.id, child_id, detail, err);
}
