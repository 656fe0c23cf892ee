/*
 * app.h — the use cases: what a person (or the demo, or an import) does to
 * the record, with validation, authorisation and the derived summary kept in
 * step. Callers at the edges (JSON API, HTML pages, command line) parse their
 * input into these structs and turn the app_error into their own form.
 *
 * Every use case takes the caller's identity. Until sign-in exists (issue 3)
 * the server passes a configured identity; the checks here are where role and
 * relationship rules go.
 */
#ifndef SH_APP_H
#define SH_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/journey.h"
#include "store/store.h"
#include "util/arena.h"

/* Who is asking: filled by the edge from a session or API token (web) or as
 * the system user (command line, demo). `role` is an app_role (app/access.h). */
typedef struct {
    int64_t user_id;                    /* 0 for the system user */
    const char *username;
    int role;                           /* app_role */
    char la_code[STORE_LA_LEN + 1];     /* the area the caller works in */
    char setting_urn[IDENT_URN_MAX + 1];/* role setting: their school or college */
    const char *remote;                 /* client address for the audit log, "" if local */
} app_identity;

/* What went wrong, for the edge to render: the rc decides the status (422 for
 * SH_EINVAL, 404 SH_ENOTFOUND, 409 SH_ECONFLICT, ...); `field` names the input
 * field at fault (NULL if none); `message` is one sentence for a person. */
typedef struct {
    int rc;
    const char *field;
    char message[600];
} app_error;

/* Sets err (if not NULL) and returns rc, so callers can `return app_fail(...)`. */
int app_fail(app_error *err, int rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* For other use-case modules (app/health.c): a store failure as a message
 * (`what` names the record, "The referral"); a write audited inside its
 * transaction; the end of a write transaction (commit on rc 0, else roll
 * back and return rc). As app.c's own use cases do them. */
int app_store_failure(int rc, app_error *err, const char *what);
int app_audit_write(store *s, const app_identity *who, const char *object, int64_t object_id,
                    int64_t child_id, const char *detail, app_error *err);
int app_finish_tx(store *s, int rc, app_error *err);
/* Text of 1..max bytes (0..max when optional) without control characters
 * (line breaks and tabs allowed when multiline): SH_EINVAL naming `field`,
 * with `label` in the message ("Enter the provider."). */
int app_check_text(const char *field, const char *label, const char *s, size_t max,
                   bool optional, bool multiline, app_error *err);

/* Fills a case summary from a computed timeline (shared by every writer so
 * the cached summary always means the same thing). */
void app_summary_from_timeline(const journey_timeline *t, int event_count,
                               store_case_summary *out);

/* Validates and stores a new child in the caller's area: names 1-100
 * characters, date of birth a real date not in the future and no more than
 * 26 years before `today`, UPN/NHS number/postcode/URN valid when given
 * (normalised in place), SEN needs valid for a plan and not repeated. */
int app_child_create(store *s, const app_identity *who, store_child *c, date_t today,
                     app_error *err);

/* Opens a case (an EHC journey) for a child of the caller's area, with the
 * event that starts its clocks (request_received, or transfer_in for a plan
 * transferred from another area), so no case exists without a journey.
 * Stores the case, the event and its summary in one transaction; fills *out
 * and the timeline at as_of. The coordinator is a username, may be "". */
int app_case_open(store *s, const app_identity *who, int64_t child_id,
                  const char *coordinator, event *start, date_t as_of, arena *a,
                  store_case *out, journey_timeline *timeline, app_error *err);

/* The bodies of app_child_create and app_case_open for a use case that
 * writes more in the same transaction (a case started from a request sent
 * online, app/ask.h): inside the caller's open write transaction, the same
 * access decision, checks, writes and audit entries, with the same errors.
 * On failure the caller rolls back. */
int app_child_add(store *s, const app_identity *who, store_child *c, date_t today,
                  app_error *err);
int app_case_add(store *s, const app_identity *who, int64_t child_id, const char *coordinator,
                 event *start, date_t as_of, arena *a, store_case *out,
                 journey_timeline *timeline, app_error *err);

/* Appends one event to a case: loads the journey, validates it with the new
 * event at the end (the same journey_validate the CLI uses), stores the event
 * and the new summary in one write transaction, and returns the new timeline
 * at `as_of` (memory from `a`). On SH_EINVAL nothing is stored. */
int app_case_record_event(store *s, const app_identity *who, int64_t case_id, event *e,
                          date_t as_of, arena *a, journey_timeline *timeline,
                          app_error *err);

/* The body of app_case_record_event for use cases that write more than the
 * event (a review record and its event together): inside the caller's open
 * write transaction, appends e, validates the journey, stores the summary
 * and audits the write. Decides no access (the caller has); on failure the
 * caller rolls back. */
int app_case_append(store *s, const app_identity *who, int64_t case_id, event *e,
                    date_t as_of, arena *a, journey_timeline *timeline, app_error *err);

/* A case as the record shows it: the case, its child, its events and the
 * timeline at as_of. */
typedef struct {
    store_case c;
    store_child child;
    event *events;
    size_t n_events;
    journey_timeline timeline;
} app_case_view;

int app_case_get(store *s, const app_identity *who, int64_t case_id, date_t as_of,
                 arena *a, app_case_view *out, app_error *err);

#endif
