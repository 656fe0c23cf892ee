/*
 * casefile.h — a child's case file for an inspection deep dive (issue 9):
 * everything the record holds about one case, read once, for a printable
 * document; and the reproducible sample of children inspectors pick for
 * deep dives.
 *
 * Composed from the existing reads, never recomputed: the journey and its
 * statutory steps are the engine's timeline in the app_case_view the caller
 * loaded (app_case_get); the plan's versions app_plan_load and
 * app_plan_version; advice app_advice_for_case; the annual review record
 * store_review_latest (as app_review_get reads it); open health referrals
 * with their waits app_referrals_for_child, closed ones with theirs
 * app_referral_history_for_child; what the family sent and the message
 * thread portal_submissions, portal_files and portal_thread. The reads after the case run
 * in one read transaction, so the file shows one moment of the record.
 *
 * Access: CAN_SEE_CASE_FILES (access.h: coordinators, managers, inspectors,
 * people who may open every record of their area); the caller has decided
 * the case itself is visible (pages_case_load) and audits the read with its
 * purpose. The sample also needs CAN_SEE_INSPECTIONS (it is part of the
 * inspection evidence pack). SH_EDENIED otherwise, with err's message.
 *
 * Memory: everything returned lives in the caller's arena.
 */
#ifndef SH_APP_CASEFILE_H
#define SH_APP_CASEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/app_plan.h"
#include "app/health.h"
#include "store/store_advice.h"
#include "store/store_portal.h"
#include "store/store_review.h"
#include "store/store_views.h"

typedef struct {
    app_plan_view plan;            /* versions (oldest first), the working draft */
    bool has_latest;               /* at least one version issued */
    store_plan_version latest;     /* the latest issued version ... */
    plan latest_plan;              /* ... and its plan, in full */
    store_advice *advice;          /* every advice request, by due date */
    size_t n_advice;
    bool has_review;               /* an annual review record exists */
    store_review review;           /* the latest one */
    health_referral_view *referrals; /* open referrals, oldest first */
    size_t n_referrals;
    health_closed_referral *closed_referrals; /* newest first (HEALTH_HISTORY_MAX) */
    size_t n_closed_referrals;
    size_t closed_referrals_total;   /* how many are closed */
    store_submission *submissions; /* newest first (store ceiling: 50) */
    size_t n_submissions;
    store_portal_file *files;      /* attached to them, without content */
    size_t n_files;
    store_message *messages;       /* oldest first (store ceiling: the newest 100) */
    size_t n_messages;
    store_views_request *views_requests; /* the council asking for the family's views, */
    size_t n_views_requests;             /* oldest first */
} app_casefile;

/* Reads the case file of the case in v (loaded by the caller at `today`). */
int app_casefile_load(store *s, const app_identity *who, const app_case_view *v, date_t today,
                      arena *a, app_casefile *out, app_error *err);

/* ---- the sample ----------------------------------------------------------- */

#define CASEFILE_POPULATION_MAX 50000 /* open cases sampled from (SH_ELIMIT above) */

/* What the sample is spread over. */
typedef enum {
    CASEFILE_BY_NONE,  /* the whole population at once */
    CASEFILE_BY_STAGE, /* plan status: the journey's stage */
    CASEFILE_BY_NEED,  /* primary need (none recorded is a stratum of its own) */
    CASEFILE_BY_COUNT
} casefile_by;

const char *casefile_by_name(casefile_by b);   /* "none", "stage", "need" */
int casefile_by_parse(const char *s);          /* -1 if unknown */

/* Samples `want` (1..SAMPLE_MAX) children from the area's open cases (the
 * first part of the person-level list, app/evidence.h: every case not
 * ceased, refused or closed), taken in case id order so that the same records and seed give
 * the same children (core/sample.h). The chosen cases in *out, *n of them;
 * *population the number sampled from. SH_EINVAL for want out of range. */
int app_casefile_sample(store *s, const app_identity *who, size_t want, uint64_t seed,
                        casefile_by by, arena *a, store_caseload_row **out, size_t *n,
                        size_t *population, app_error *err);

#endif
