/*
 * app_plan.c — the EHC plan's use cases (see the header).
 */
#include "app/app_plan.h"
#include "app/review.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "app/advice.h"
#include "app/plan_json.h"
#include "util/err.h"

static int deny(const app_identity *who, app_error *err)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot change EHC plans.",
                    access_role_label((app_role)who->role));
}

/* Is the event superseded by a correction in the log? */
static bool superseded(const app_case_view *v, int64_t id)
{
    for (size_t i = 0; id && i < v->n_events; i++)
        if (v->events[i].type == EV_CORRECTION && v->events[i].supersedes == id)
            return true;
    return false;
}

/* The latest (by date, then log order) standing event of either type, or
 * NULL: a correction's replacement stands in for what it corrected. */
static const event *latest_of(const app_case_view *v, event_type t1, event_type t2)
{
    const event *best = NULL;
    for (size_t i = 0; i < v->n_events; i++) {
        const event *e = &v->events[i];
        if (superseded(v, e->id))
            continue;
        if (e->type == EV_CORRECTION)
            e = e->replacement;
        if (e && (e->type == t1 || e->type == t2) && (!best || e->date >= best->date))
            best = e;
    }
    return best;
}

int app_plan_next_issue(const app_case_view *v, store_plan_kind *kind)
{
    switch (v->timeline.stage) {
    case STAGE_ASSESSMENT:
        *kind = STORE_PLAN_DRAFT;
        return EV_DRAFT_PLAN_ISSUED;
    case STAGE_DRAFT:
        *kind = STORE_PLAN_FINAL;
        return EV_FINAL_PLAN_ISSUED;
    case STAGE_AMENDMENT: {
        const event *e = latest_of(v, EV_REVIEW_DECISION, EV_AMENDMENT_PROPOSED);
        if (e && e->type == EV_AMENDMENT_PROPOSED) {
            *kind = STORE_PLAN_AMENDED;
            return EV_AMENDED_PLAN_ISSUED;
        }
        *kind = STORE_PLAN_PROPOSED;
        return EV_AMENDMENT_PROPOSED;
    }
    default:
        *kind = STORE_PLAN_DRAFT;
        return -1;
    }
}

/* Links each advice event to the stored advice that answered it: same
 * agency and date, each stored answer used once. */
static void link_stored_advice(plan_advice *adv, size_t n, const store_advice *rows, size_t nr,
                               bool *used)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nr; j++)
            if (!used[j] && rows[j].agency == adv[i].agency &&
                rows[j].received_on == adv[i].date) {
                adv[i].request_id = rows[j].id;
                used[j] = true;
                break;
            }
}

int app_plan_advice_received(store *s, const app_identity *who, const app_case_view *v,
                             arena *a, plan_advice **out, size_t *n, app_error *err)
{
    int rc = plan_advice_from_events(v->events, v->n_events, a, out, n);
    if (rc)
        return app_fail(err, rc, NULL, "The advice received could not be listed.");
    store_advice *rows;
    size_t nr;
    rc = app_advice_for_case(s, who, v->c.id, a, &rows, &nr, err);
    if (rc)
        return rc;
    bool *used = arena_calloc(a, nr ? nr : 1, sizeof *used);
    if (!used)
        return app_fail(err, SH_ENOMEM, NULL, "The advice received could not be listed.");
    link_stored_advice(*out, *n, rows, nr, used);
    return SH_OK;
}

int app_plan_document(const plan *p, arena *a, const char **out)
{
    buf b;
    buf_init(&b, PLAN_JSON_MAX_BYTES);
    jsonw w;
    jsonw_init(&w, &b, false);
    plan_json_write(&w, p);
    int rc = jsonw_finish(&w);
    *out = rc == SH_OK ? arena_strndup(a, b.data, b.len) : NULL;
    buf_free(&b);
    return rc ? rc : *out ? SH_OK : SH_ENOMEM;
}

/* Decoding a document with jansson (a tree of every value, a malloc each)
 * is most of the work of reading a plan, and a plan is mostly read again
 * unchanged. So each worker thread keeps the last document it decoded and
 * its plan (in the thread's own arena); a request whose document is the same
 * bytes gets a deep copy into its own arena (plan_copy), so what it holds
 * never depends on the cache, which the next different document replaces.
 * The editor page keeps its rendered content in web/fragment_cache, but
 * only until the next commit anywhere (in a busy service, the audit
 * writer's next batch: every 200 ms), across which the document is mostly
 * unchanged; the other readers (the versions, printable and PDF pages, the
 * comparison, the case file, the API's plan, issuing) read it on every
 * request. Both are served by this cache (without it, an editor view that
 * misses the fragment cache costs about four times the CPU:
 * bench/RESULTS.md, section 6). */
#define DECODED_MAX_BYTES (256u * 1024) /* larger documents are not kept */
#define DECODED_ARENA (4u << 20)

typedef struct {
    char *doc;
    size_t len;
    arena *a;
    plan p;
} decoded;

static pthread_key_t decoded_key;
static pthread_once_t decoded_once = PTHREAD_ONCE_INIT;

static void decoded_free(void *v)
{
    decoded *d = v;
    arena_destroy(d->a);
    free(d);
}

static void decoded_init(void) { pthread_key_create(&decoded_key, decoded_free); }

/* Keeps doc and p as this thread's last decoded document (best effort:
 * without memory it simply keeps nothing). */
static void decoded_keep(const char *doc, size_t len, const plan *p)
{
    decoded *d = pthread_getspecific(decoded_key);
    if (!d) {
        d = calloc(1, sizeof *d);
        if (!d || pthread_setspecific(decoded_key, d) != 0) {
            free(d);
            return;
        }
    }
    arena_destroy(d->a);
    d->a = arena_create(DECODED_ARENA);
    d->doc = d->a ? arena_strndup(d->a, doc, len) : NULL;
    if (!d->doc || plan_copy(p, d->a, &d->p) != SH_OK) {
        arena_destroy(d->a);
        d->a = NULL;
        d->doc = NULL;
        return;
    }
    d->len = len;
}

/* A stored document that no longer decodes is a fault of the store (it was
 * checked on the way in), reported as such rather than shown half-read. */
static int decode_stored(const char *doc, arena *a, plan *p, app_error *err)
{
    size_t len = strlen(doc);
    pthread_once(&decoded_once, decoded_init);
    const decoded *d = pthread_getspecific(decoded_key);
    if (d && d->doc && d->len == len && memcmp(d->doc, doc, len) == 0)
        return plan_copy(&d->p, a, p) ? app_fail(err, SH_ENOMEM, NULL, "Out of memory.") : SH_OK;
    plan_json_error je = {0};
    int rc = plan_json_decode(doc, len, a, p, &je);
    if (rc)
        return app_fail(err, rc == SH_ENOMEM ? rc : SH_EIO, NULL,
                        "The stored plan could not be read (%s).", je.message);
    if (len <= DECODED_MAX_BYTES)
        decoded_keep(doc, len, p);
    return SH_OK;
}

int app_plan_load(store *s, const app_identity *who, const app_case_view *v, arena *a,
                  app_plan_view *out, app_error *err)
{
    memset(out, 0, sizeof *out);
    plan_init(&out->draft);
    out->next_event = app_plan_next_issue(v, &out->next_kind);
    const char *doc = NULL;
    int rc = store_read_begin(s);
    if (rc == SH_OK) {
        rc = store_plan_versions(s, who->la_code, v->c.id, a, &out->versions,
                                 &out->n_versions);
        if (rc == SH_OK) {
            rc = store_plan_draft_get(s, who->la_code, v->c.id, a, &doc);
            out->draft_stored = rc == SH_OK;
        }
        if (rc == SH_ENOTFOUND && out->n_versions > 0) {
            store_plan_version last;
            rc = store_plan_version_get(s, who->la_code, v->c.id,
                                        out->versions[out->n_versions - 1].version, a, &last);
            doc = last.document;
        }
        if (rc == SH_ENOTFOUND)
            rc = SH_OK;
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    if (rc)
        return app_store_failure(rc, err, "The plan");
    if (doc && (rc = decode_stored(doc, a, &out->draft, err)))
        return rc;
    out->document = doc;
    return app_plan_advice_received(s, who, v, a, &out->advice, &out->n_advice, err);
}

/* The first error finding as an app_error, or SH_OK when there is none. */
static int refuse_errors(const plan *p, arena *a, app_error *err)
{
    plan_issue *issues;
    size_t n;
    if (plan_check(p, a, &issues, &n))
        return app_fail(err, SH_ENOMEM, NULL, "The plan could not be checked.");
    if (n > 0 && issues[0].severity == PLAN_ERROR)
        return app_fail(err, SH_EINVAL, issues[0].field, "%s", issues[0].message);
    return SH_OK;
}

int app_plan_save(store *s, const app_identity *who, const app_case_view *v, const plan *p,
                  int64_t now, arena *a, app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny(who, err);
    int rc = refuse_errors(p, a, err);
    if (rc)
        return rc;
    const char *doc;
    if ((rc = app_plan_document(p, a, &doc)))
        return app_fail(err, rc, NULL, "The plan is too large to save.");
    rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The database");
    rc = store_plan_draft_put(s, who->la_code, v->c.id, doc, now, who->username);
    if (rc)
        rc = app_store_failure(rc, err, "The case");
    else
        rc = app_audit_write(s, who, "plan", v->c.id, v->c.child_id, "saved draft plan", err);
    return app_finish_tx(s, rc, err);
}

int app_plan_issue(store *s, const app_identity *who, const app_case_view *v, date_t issued_on,
                   date_t as_of, arena *a, store_plan_version *out, app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return deny(who, err);
    store_plan_kind kind;
    int type = app_plan_next_issue(v, &kind);
    if (type < 0)
        return app_fail(err, SH_EINVAL, NULL,
                        "A plan can be issued during the assessment, after a draft, or when a "
                        "review has decided to amend the plan; this case is at the stage: %s.",
                        journey_stage_label(v->timeline.stage));
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The database");
    const char *doc = NULL;
    plan p;
    rc = store_plan_draft_get(s, who->la_code, v->c.id, a, &doc);
    if (rc == SH_ENOTFOUND)
        rc = app_fail(err, SH_EINVAL, NULL, "Write the draft plan before issuing it.");
    else if (rc)
        rc = app_store_failure(rc, err, "The plan");
    if (rc == SH_OK)
        rc = decode_stored(doc, a, &p, err);
    if (rc == SH_OK)
        rc = refuse_errors(&p, a, err);
    if (rc == SH_OK && (type == EV_AMENDMENT_PROPOSED || type == EV_AMENDED_PLAN_ISSUED))
        rc = app_review_check_amendment(s, who, v->c.id, (event_type)type, issued_on, as_of, a,
                                        err);
    event e;
    event_init(&e, (event_type)type, issued_on);
    journey_timeline t;
    if (rc == SH_OK)
        rc = app_case_append(s, who, v->c.id, &e, as_of, a, &t, err);
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->issued_on = issued_on;
    out->issued_by = who->username;
    out->event_id = e.id;
    out->document = doc;
    if (rc == SH_OK && (rc = store_plan_version_add(s, who->la_code, v->c.id, out)))
        rc = app_store_failure(rc, err, "The plan");
    if (rc == SH_OK)
        rc = app_audit_write(s, who, "plan", v->c.id, v->c.child_id,
                             arena_printf(a, "issued plan version %d (%s)", out->version,
                                          store_plan_kind_name(kind)),
                             err);
    out->document = NULL;
    return app_finish_tx(s, rc, err);
}

int app_plan_version(store *s, const app_identity *who, const app_case_view *v, int version,
                     arena *a, store_plan_version *out, plan *p, app_error *err)
{
    int rc = store_plan_version_get(s, who->la_code, v->c.id, version, a, out);
    if (rc)
        return app_store_failure(rc, err, "The plan version");
    return decode_stored(out->document, a, p, err);
}
