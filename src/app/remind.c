#include "app/remind.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "core/advice.h"
#include "store/store_advice.h"
#include "util/err.h"
#include "util/smtp.h"

#define REMIND_ARENA (16u << 20)
#define REMIND_RECIPIENTS_TEXT 2000 /* the column's ceiling */

int app_remind_config_check(const app_remind_config *cfg, const char **why)
{
    if (!cfg->smtp_url || !cfg->smtp_url[0])
        return SH_OK;
    if (strncmp(cfg->smtp_url, "smtp://", 7) != 0 && strncmp(cfg->smtp_url, "smtps://", 8) != 0) {
        *why = "--smtp must start smtp:// or smtps://";
        return SH_EINVAL;
    }
    if (smtp_address_ok(cfg->from) != SH_OK) {
        *why = "--mail-from must be the e-mail address reminders are sent from";
        return SH_EINVAL;
    }
    return SH_OK;
}

/* The open requests to chase, copied out of the scan (the job writes while
 * it walks them, and a statement cannot stay open across those writes). */
typedef struct {
    arena *a;
    store_advice *r;
    size_t n, cap;
} due_list;

static int collect(void *ctx, const store_advice *r)
{
    due_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        store_advice *grown = arena_calloc(l->a, cap, sizeof *grown);
        if (!grown)
            return SH_ENOMEM;
        if (l->n)
            memcpy(grown, l->r, l->n * sizeof *grown);
        l->r = grown;
        l->cap = cap;
    }
    store_advice *c = &l->r[l->n++];
    *c = *r;
    c->service = arena_strdup(l->a, r->service);
    c->question = c->needs = c->outcomes = c->provision = c->requested_by = c->submitted_by = "";
    return c->service ? SH_OK : SH_ENOMEM;
}

/* The accounts of the area being chased, loaded once per area (requests
 * come in due-date order, so areas interleave; a national run reloads on
 * each change of area, still far fewer loads than requests). */
typedef struct {
    char la_code[STORE_LA_LEN + 1];
    store_user *users;
    size_t n;
} people_cache;

static int people_of(store *s, const char *la_code, arena *a, people_cache *pc)
{
    if (pc->users && strcmp(pc->la_code, la_code) == 0)
        return SH_OK;
    memcpy(pc->la_code, la_code, sizeof pc->la_code);
    return store_user_list(s, la_code, a, &pc->users, &pc->n);
}

/* Addresses of the active accounts of the service asked, comma-separated. */
static int recipients_for(store *s, const store_advice *r, arena *a, people_cache *pc,
                          const char **out)
{
    *out = "";
    int role = r->agency == AGENCY_HEALTH        ? ROLE_HEALTH
               : r->agency == AGENCY_SOCIAL_CARE ? ROLE_SOCIAL_CARE
               : r->agency == AGENCY_EDUCATION   ? ROLE_SETTING
                                                 : -1;
    if (role < 0)
        return SH_OK;
    int rc = people_of(s, r->la_code, a, pc);
    if (rc)
        return rc;
    char text[REMIND_RECIPIENTS_TEXT + 1] = "";
    size_t len = 0, count = 0;
    for (size_t i = 0; i < pc->n && count < SMTP_RECIPIENTS_MAX; i++) {
        const store_user *u = &pc->users[i];
        if (u->disabled || access_role_parse(u->role) != role ||
            smtp_address_ok(u->email) != SH_OK ||
            (role == ROLE_SETTING && strcmp(u->setting_urn, r->setting_urn) != 0))
            continue;
        size_t need = strlen(u->email) + (len ? 1 : 0);
        if (len + need > REMIND_RECIPIENTS_TEXT)
            break;
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", len ? "," : "", u->email);
        count++;
    }
    *out = arena_strdup(a, text);
    return *out ? SH_OK : SH_ENOMEM;
}

static void rfc5322_date(time_t t, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

static int send_chase(const app_remind_config *cfg, const store_advice *r,
                      const store_advice_chase *c, arena *a, char *error)
{
    const char *to[SMTP_RECIPIENTS_MAX];
    size_t n = 0;
    char *list = arena_strdup(a, c->recipients), *save = NULL;
    for (char *t = list ? strtok_r(list, ",", &save) : NULL; t && n < SMTP_RECIPIENTS_MAX;
         t = strtok_r(NULL, ",", &save))
        to[n++] = t;
    char due[40], date[64];
    date_format_long(r->due, due, sizeof due);
    time_t now = time(NULL);
    rfc5322_date(now, date, sizeof date);
    bool overdue = strcmp(c->kind, "overdue") == 0;
    const char *subject = arena_printf(a, "Advice request %lld %s %s", (long long)r->id,
                                       overdue ? "was due on" : "is due on", due);
    const char *link = cfg->base_url && cfg->base_url[0]
                           ? arena_printf(a, "%s/advice/%lld", cfg->base_url, (long long)r->id)
                           : arena_printf(a, "/advice/%lld in sendhub", (long long)r->id);
    const char *body = arena_printf(
        a,
        "The council has asked %s (%s) for advice for an EHC needs assessment.\n"
        "The advice %s %s (6 weeks from the request, SEND Regulations 2014, regulation 8).\n\n"
        "Sign in to read the request and send your advice: %s\n\n"
        "This message names no child on purpose: e-mail is not a secure channel.\n",
        r->service, event_agency_label(r->agency), overdue ? "was due on" : "is due on", due,
        link);
    const char *msgid = arena_printf(a, "chase-%lld-%lld@sendhub.invalid", (long long)c->id,
                                     (long long)now);
    if (!subject || !body || !msgid || !link) {
        snprintf(error, SMTP_ERROR_MAX, "out of memory");
        return SH_ENOMEM;
    }
    smtp_relay relay = {.url = cfg->smtp_url, .from = cfg->from,
                        .timeout_seconds = cfg->timeout};
    return smtp_send(&relay, to, n, subject, body, date, msgid, error);
}

/* A chase recorded by this run, to e-mail after the transaction. */
typedef struct {
    const store_advice *r;
    store_advice_chase c;
} added_chase;

/* Records the chase for one request (inside the run's transaction); a new
 * one is appended to *added. */
static int chase_one(store *s, date_t as_of, const app_remind_config *cfg,
                     const store_advice *r, arena *a, people_cache *pc, added_chase *added,
                     size_t *n, app_remind_result *out)
{
    advice_chase kind = advice_chase_at(r->due, r->received_on, as_of, (int)cfg->within_days);
    if (kind == ADVICE_CHASE_NONE)
        return SH_OK;
    out->due++;
    store_advice_chase c = {.request_id = r->id, .chase_on = as_of,
                            .kind = advice_chase_name(kind)};
    memcpy(c.la_code, r->la_code, sizeof c.la_code);
    int rc = recipients_for(s, r, a, pc, &c.recipients);
    bool is_new = false;
    if (rc == SH_OK)
        rc = store_advice_chase_add(s, &c, &is_new);
    if (rc == SH_OK && is_new)
        added[(*n)++] = (added_chase){.r = r, .c = c};
    return rc;
}

/* E-mails one new chase and stores the outcome (each on its own: a slow
 * relay must not hold the database's write lock). */
static int mail_one(store *s, const app_remind_config *cfg, const added_chase *x, arena *a,
                    app_remind_result *out)
{
    if (!cfg->smtp_url || !cfg->smtp_url[0] || !x->c.recipients[0]) {
        out->unsent++;
        return SH_OK;
    }
    char error[SMTP_ERROR_MAX];
    if (send_chase(cfg, x->r, &x->c, a, error) == SH_OK) {
        out->sent++;
        return store_advice_chase_set(s, x->c.la_code, x->c.id, "sent", "", (int64_t)time(NULL));
    }
    out->failed++;
    return store_advice_chase_set(s, x->c.la_code, x->c.id, "failed", error, 0);
}

/* Phase 1: every chase of the day in one transaction (one commit, however
 * many requests). Phase 2: the e-mails, outside it. */
int app_remind_run(store *s, date_t as_of, const app_remind_config *cfg,
                   app_remind_result *out)
{
    memset(out, 0, sizeof *out);
    arena *a = arena_create(REMIND_ARENA);
    if (!a)
        return SH_ENOMEM;
    due_list l = {.a = a};
    store_advice_query q = {.open_only = true, .since = DATE_NONE,
                            .due_by = date_add_days(as_of, (int)cfg->within_days)};
    int rc = store_advice_scan(s, &q, collect, &l);
    added_chase *added = rc == SH_OK && l.n ? arena_calloc(a, l.n, sizeof *added) : NULL;
    if (rc == SH_OK && l.n && !added)
        rc = SH_ENOMEM;
    size_t n = 0;
    people_cache pc = {0};
    if (rc == SH_OK && l.n && (rc = store_tx_begin(s)) == SH_OK) {
        for (size_t i = 0; rc == SH_OK && i < l.n; i++)
            rc = chase_one(s, as_of, cfg, &l.r[i], a, &pc, added, &n, out);
        if (rc == SH_OK)
            rc = store_tx_commit(s);
        if (rc) {
            store_tx_rollback(s);
            memset(out, 0, sizeof *out);
            n = 0;
        }
    }
    out->added = n;
    /* A second arena, reset per message, for the e-mails' text. */
    arena *each = rc == SH_OK && n ? arena_create(1u << 20) : NULL;
    if (rc == SH_OK && n && !each)
        rc = SH_ENOMEM;
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        arena_reset(each);
        rc = mail_one(s, cfg, &added[i], each, out);
    }
    arena_destroy(each);
    arena_destroy(a);
    return rc;
}
