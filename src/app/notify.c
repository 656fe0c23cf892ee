/*
 * notify.c — the family portal's e-mails: queueing upcoming dates, sending
 * the outbox at most once, preferences and the staff outbox (notify.h).
 */
#include "app/notify.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/audit.h"
#include "app/portal.h"
#include "core/notify.h"
#include "store/store_portal.h"
#include "store/store_review.h"
#include "util/err.h"
#include "util/smtp.h"

#define NOTIFY_ARENA (64u << 20)    /* the day's links and notices */
#define NOTIFY_CASE_ARENA (4u << 20) /* one child's journey, reset per child */
#define NOTIFY_SEND_BATCH 100       /* outbox rows read at a time */

/* One e-mail about a date, decided before the transaction that records it
 * (the journeys are read first: a read cannot run inside the write). */
typedef struct {
    const store_notify_family *to;
    int64_t case_id;
    notify_date date;
} pending_notice;

typedef struct {
    pending_notice *p;
    size_t n, cap;
} pending_list;

static int pending_add(arena *a, pending_list *l, const pending_notice *x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        pending_notice *grown = arena_calloc(a, cap, sizeof *grown);
        if (!grown)
            return SH_ENOMEM;
        if (l->n)
            memcpy(grown, l->p, l->n * sizeof *grown);
        l->p = grown;
        l->cap = cap;
    }
    l->p[l->n++] = *x;
    return SH_OK;
}

static app_identity system_in(const char *la_code)
{
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .remote = ""};
    memcpy(sys.la_code, la_code, sizeof sys.la_code);
    return sys;
}

/* The dates to tell about for one child's latest case (none without a
 * case). Memory from `scratch`, except the case id. */
static int child_dates(store *s, const store_notify_family *f, date_t as_of, arena *scratch,
                       int64_t *case_id, notify_date dates[NOTIFY_KIND_COUNT], size_t *n)
{
    *n = 0;
    app_identity sys = system_in(f->la_code);
    app_case_view v;
    bool has_case;
    app_error err = {0};
    int rc = portal_journey(s, &sys, f->child_id, as_of, scratch, &v, &has_case, &err);
    if (rc == SH_EINVAL) /* a journey the engine refuses: nothing to tell, not a failure */
        return SH_OK;
    if (rc || !has_case)
        return rc;
    date_t served, closes;
    if ((rc = portal_draft_window(&v, scratch, &served, &closes)))
        return rc == SH_EINVAL ? SH_OK : rc;
    store_review review = {.meeting_on = DATE_NONE};
    rc = store_review_latest(s, f->la_code, v.c.id, scratch, &review);
    if (rc && rc != SH_ENOTFOUND)
        return rc;
    *case_id = v.c.id;
    *n = notify_dates(&v.timeline, closes, rc == SH_OK ? review.meeting_on : DATE_NONE, as_of,
                      NOTIFY_LEAD_DAYS, dates);
    return SH_OK;
}

/* Walks the links (ordered by child), computing each child's dates once. */
static int collect_notices(store *s, const store_notify_family *fam, size_t n_fam,
                           date_t as_of, arena *a, pending_list *out, app_notify_result *r)
{
    arena *scratch = arena_create(NOTIFY_CASE_ARENA);
    if (!scratch)
        return SH_ENOMEM;
    int rc = SH_OK;
    const store_notify_family *computed_for = NULL;
    int64_t case_id = 0;
    notify_date dates[NOTIFY_KIND_COUNT];
    size_t n_dates = 0;
    for (size_t i = 0; rc == SH_OK && i < n_fam; i++) {
        const store_notify_family *f = &fam[i];
        r->linked++;
        if (!f->email[0] || smtp_address_ok(f->email) != SH_OK) {
            r->no_email++;
            continue;
        }
        if (!f->date_emails) {
            r->turned_off++;
            continue;
        }
        if (!computed_for || computed_for->child_id != f->child_id ||
            strcmp(computed_for->la_code, f->la_code) != 0) {
            arena_reset(scratch);
            computed_for = f;
            rc = child_dates(s, f, as_of, scratch, &case_id, dates, &n_dates);
        }
        for (size_t k = 0; rc == SH_OK && k < n_dates; k++)
            rc = pending_add(a, out, &(pending_notice){.to = f, .case_id = case_id,
                                                         .date = dates[k]});
    }
    arena_destroy(scratch);
    return rc;
}

/* The e-mail's text: nothing about the child, the case or the date. */
static const char *date_body(const app_remind_config *cfg, arena *a)
{
    if (cfg->base_url && cfg->base_url[0])
        return arena_printf(a,
                            "There is an upcoming date on your child's EHC journey.\n\n"
                            "Sign in to see it: %s/portal\n\n"
                            "We do not put any details in emails, to keep them private.\n"
                            "You can turn these emails off in the portal.",
                            cfg->base_url);
    return "There is an upcoming date on your child's EHC journey.\n\n"
           "Sign in to sendhub to see it.\n\n"
           "We do not put any details in emails, to keep them private.\n"
           "You can turn these emails off in the portal.";
}

/* Records each notice not recorded before and queues its e-mail, all in
 * one transaction. */
static int queue_notices(store *s, const pending_list *l, int64_t now, const char *body,
                         app_notify_result *r)
{
    if (!l->n)
        return SH_OK;
    int rc = store_tx_begin(s);
    if (rc)
        return rc;
    size_t queued = 0;
    for (size_t i = 0; rc == SH_OK && i < l->n; i++) {
        const pending_notice *x = &l->p[i];
        bool added = false;
        rc = store_notify_notice_add(s, x->to->user_id, x->to->la_code, x->case_id,
                                     notify_kind_name(x->date.kind), x->date.due, now, &added);
        if (rc || !added)
            continue;
        rc = store_outbox_insert(s, x->to->la_code, x->to->user_id, x->to->email,
                                 APP_NOTIFY_SUBJECT, body, now);
        if (rc == SH_OK) {
            app_identity sys = system_in(x->to->la_code);
            char detail[96];
            snprintf(detail, sizeof detail, "portal: e-mail about an upcoming date (%s)",
                     notify_kind_name(x->date.kind));
            rc = audit_record_now(s, &sys, "write", "notification", x->case_id,
                                  x->to->child_id, detail, now);
        }
        queued += rc == SH_OK;
    }
    if (rc == SH_OK && (rc = store_tx_commit(s)) == SH_OK)
        r->queued = queued;
    if (rc)
        store_tx_rollback(s);
    return rc;
}

static void rfc5322_date(int64_t t, char *out, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

/* Claims, sends and records one e-mail. */
static int send_one(store *s, const app_remind_config *cfg, const store_outbox *o, int64_t now,
                    app_notify_result *r)
{
    int rc = store_outbox_claim(s, o->id, now);
    if (rc == SH_ENOTFOUND) /* another sender has it */
        return SH_OK;
    if (rc)
        return rc;
    int attempts = o->attempts + 1;
    char error[SMTP_ERROR_MAX] = "";
    int sent;
    if (smtp_address_ok(o->to_email) != SH_OK) {
        snprintf(error, sizeof error, "not a usable e-mail address");
        attempts = NOTIFY_ATTEMPTS_MAX;
        sent = SH_EINVAL;
    } else {
        char date[64], msgid[64];
        rfc5322_date(now, date, sizeof date);
        snprintf(msgid, sizeof msgid, "portal-%lld@sendhub.invalid", (long long)o->id);
        smtp_relay relay = {.url = cfg->smtp_url, .from = cfg->from,
                            .timeout_seconds = cfg->timeout};
        const char *to[1] = {o->to_email};
        sent = smtp_send(&relay, to, 1, o->subject, o->body, date, msgid, error);
    }
    if (sent == SH_OK) {
        r->sent++;
        return store_outbox_sent(s, o->id, (int64_t)time(NULL));
    }
    bool give_up = notify_give_up(attempts);
    if (give_up)
        r->failed++;
    else
        r->retrying++;
    return store_outbox_failed(s, o->id, error, give_up, now + notify_retry_after(attempts));
}

/* Sends every queued e-mail due at `now`, a batch at a time. A row sent,
 * failed for later or given up is no longer due, so the loop ends. */
static int send_due(store *s, const app_remind_config *cfg, int64_t now, app_notify_result *r)
{
    if (!cfg->smtp_url || !cfg->smtp_url[0]) {
        int64_t waiting = 0;
        int rc = store_outbox_due_count(s, now, &waiting);
        r->waiting = (size_t)waiting;
        return rc;
    }
    arena *a = arena_create(1u << 20);
    if (!a)
        return SH_ENOMEM;
    int rc;
    store_outbox *rows;
    size_t n;
    do {
        arena_reset(a);
        rc = store_outbox_due(s, now, NOTIFY_SEND_BATCH, a, &rows, &n);
        for (size_t i = 0; rc == SH_OK && i < n; i++)
            rc = send_one(s, cfg, &rows[i], now, r);
    } while (rc == SH_OK && n == NOTIFY_SEND_BATCH);
    arena_destroy(a);
    return rc;
}

int app_notify_run(store *s, date_t as_of, int64_t now, const app_remind_config *cfg,
                   app_notify_result *out)
{
    memset(out, 0, sizeof *out);
    arena *a = arena_create(NOTIFY_ARENA);
    if (!a)
        return SH_ENOMEM;
    store_notify_family *fam;
    size_t n_fam;
    pending_list l = {0};
    int rc = store_notify_families(s, a, &fam, &n_fam);
    if (rc == SH_OK)
        rc = collect_notices(s, fam, n_fam, as_of, a, &l, out);
    const char *body = rc == SH_OK ? date_body(cfg, a) : NULL;
    if (rc == SH_OK && !body)
        rc = SH_ENOMEM;
    if (rc == SH_OK)
        rc = queue_notices(s, &l, now, body, out);
    arena_destroy(a);
    return rc ? rc : send_due(s, cfg, now, out);
}

int app_notify_send(store *s, int64_t now, const app_remind_config *cfg,
                    app_notify_result *out)
{
    memset(out, 0, sizeof *out);
    return send_due(s, cfg, now, out);
}

/* ---- the family member's choice -------------------------------------------- */

int app_notify_pref_get(store *s, const app_identity *who, arena *a, bool *on,
                        const char **email)
{
    *on = true;
    *email = "";
    if (!access_can(who, CAN_USE_PORTAL))
        return SH_EDENIED;
    store_user u;
    int rc = store_user_by_name(s, who->username, a, &u);
    if (rc == SH_OK)
        *email = u.email;
    return rc ? rc : store_notify_pref_get(s, who->user_id, on);
}

int app_notify_pref_set(store *s, const app_identity *who, bool on, app_error *err)
{
    if (!access_can(who, CAN_USE_PORTAL))
        return app_fail(err, SH_EDENIED, NULL, "Only family accounts have this choice.");
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "Your choice");
    rc = store_notify_pref_set(s, who->user_id, on, (int64_t)time(NULL));
    if (rc == SH_OK)
        rc = app_audit_write(s, who, "preference", who->user_id, 0,
                             on ? "portal: e-mails about upcoming dates on"
                                : "portal: e-mails about upcoming dates off",
                             err);
    return app_finish_tx(s, rc, err);
}

/* ---- the outbox, for staff ------------------------------------------------- */

int app_notify_outbox(store *s, const app_identity *who, arena *a, store_outbox **out,
                      size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!access_sees_whole_area(who))
        return SH_EDENIED;
    return store_outbox_list(s, who->la_code, a, out, n);
}
