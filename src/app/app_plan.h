/*
 * app_plan.h — the EHC plan's use cases: read a case's plan (its working
 * draft, issued versions and the advice for section K), save the draft,
 * issue it (recording the journey event and keeping the version), and read
 * an issued version.
 *
 * Which event issuing records follows the journey (core/journey.h), so the
 * statutory clocks start from the same act that keeps the document:
 *   assessment stage                   draft_plan_issued   (version "draft"):
 *                                      opens the family's 15 days (reg 13(1))
 *   draft stage                        final_plan_issued   (version "final")
 *   amendment stage, after the review
 *   decision to amend                  amendment_proposed  (version "proposed"):
 *                                      15 days to comment (reg 22(2)(c))
 *   amendment stage, after proposals   amended_plan_issued (version "amended")
 * At any other stage the draft can be edited but not issued.
 *
 * Access: the caller has already decided the case is visible to the person
 * (access_case_visible, as pages_case_load does); writes need
 * CAN_WRITE_CASES. Every write is audited in its transaction; reads are the
 * edge's to audit, as for the case itself.
 *
 * Memory: everything returned lives in the caller's arena.
 */
#ifndef SH_APP_PLAN_H
#define SH_APP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/plan.h"
#include "store/store_plan.h"

typedef struct {
    plan draft;                   /* the working draft; when none is stored, a copy
                                     of the latest issued version, else empty */
    const char *document;         /* draft's stored JSON document, NULL when empty:
                                     the same bytes mean the same plan (pages key
                                     their cache of the rendered plan on it) */
    bool draft_stored;
    store_plan_version *versions; /* oldest first, without documents */
    size_t n_versions;
    plan_advice *advice;          /* advice received, for section K */
    size_t n_advice;
    int next_event;               /* event_type issuing records, or -1 */
    store_plan_kind next_kind;    /* the version kind it keeps */
} app_plan_view;

/* The event issuing the plan would record on this journey (-1 when the
 * journey is at no stage that issues a plan) and the version kind kept. */
int app_plan_next_issue(const app_case_view *v, store_plan_kind *kind);

/* The advice received on the case, for section K: the journey's
 * advice_received events (agency and date, corrections applied), each
 * linked (request_id) to the stored advice that answered it when there is
 * one (app/advice.h: advice sent through sendhub; advice recorded only as a
 * journey event, such as a letter before sendhub, has no link). */
int app_plan_advice_received(store *s, const app_identity *who, const app_case_view *v,
                             arena *a, plan_advice **out, size_t *n, app_error *err);

/* Loads the case's plan as above. */
int app_plan_load(store *s, const app_identity *who, const app_case_view *v, arena *a,
                  app_plan_view *out, app_error *err);

/* Saves the working draft. Refuses a plan with any error finding
 * (plan_check): SH_EINVAL with err naming the first one's field; warnings
 * are never refused. */
int app_plan_save(store *s, const app_identity *who, const app_case_view *v, const plan *p,
                  int64_t now, arena *a, app_error *err);

/* Issues the stored working draft on `issued_on`: in one transaction,
 * records the journey event (validated with the rest of the journey, so a
 * date before the assessment decision is refused like any event) and keeps
 * the document as the next version, frozen. SH_EINVAL when there is no
 * draft, the draft has errors, or the journey is at no stage that issues a
 * plan; the new version (without its document) in *out. */
int app_plan_issue(store *s, const app_identity *who, const app_case_view *v, date_t issued_on,
                   date_t as_of, arena *a, store_plan_version *out, app_error *err);

/* One issued version and its plan. */
int app_plan_version(store *s, const app_identity *who, const app_case_view *v, int version,
                     arena *a, store_plan_version *out, plan *p, app_error *err);

/* The plan as its JSON document (compact), in the arena. */
int app_plan_document(const plan *p, arena *a, const char **out);

#endif
