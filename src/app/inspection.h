/*
 * inspection.h — the use cases of area SEND inspections (issue 9): record an
 * inspection with its framework, outcome and dates, add the report's
 * findings, and read them back with the follow-up dates core/inspection.c
 * computes (written statement due, revisit or monitoring window, next full
 * inspection).
 *
 * Who may do what (access.h): reading needs CAN_SEE_INSPECTIONS (managers,
 * inspectors, the parent carer forum); recording needs
 * CAN_RECORD_INSPECTIONS (managers); commenting on the plan's actions
 * CAN_COMMENT_PLANS (the forum, and managers replying). An
 * inspection is the area's, not a child's: writes are audited in their
 * transaction (object "inspection"), reads are not (no child record is
 * shown).
 *
 * Validation failures are SH_EINVAL with err->field naming the form field
 * ("outcome", "published_on", "title", ...) and a GOV.UK-style sentence.
 */
#ifndef SH_APP_INSPECTION_H
#define SH_APP_INSPECTION_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/inspection.h"
#include "store/store_insp_comment.h"
#include "store/store_inspection.h"

/* An inspection as its pages show it: with its findings and its
 * improvement plan's actions. */
typedef struct {
    store_inspection i;
    insp_followup follow;
    store_finding *findings;
    size_t n_findings;
    store_action *actions;
    size_t n_actions;
    store_measure *measures;
    size_t n_measures;
    store_judgement *judgements; /* the board's, latest first */
    size_t n_judgements;
} app_inspection_view;

/* The area's inspections, latest first. */
int app_inspections(store *s, const app_identity *who, arena *a, store_inspection **out,
                    size_t *n, app_error *err);

/* One inspection with its findings and follow-up dates. */
int app_inspection_get(store *s, const app_identity *who, int64_t id, arena *a,
                       app_inspection_view *out, app_error *err);

/* Records an inspection from in's framework, outcome and dates (sets in->id
 * and created_by). Rules: the outcome is one of the framework's; the
 * inspection started on or before fieldwork ended; the letter or report was
 * published on or after that, and none of the three is after today; a
 * priority action plan's stated due date only with the 2023 widespread
 * outcome, a WSoA's acceptance date only with the 2016 WSoA outcome, each
 * on or after publication (the acceptance not after today). */
int app_inspection_record(store *s, const app_identity *who, store_inspection *in, date_t today,
                          app_error *err);

/* Adds a finding (kind valid for the inspection's framework; title 1-200,
 * wording 1-4000 characters; at most STORE_FINDINGS_MAX per inspection):
 * sets f->id. */
int app_inspection_finding_add(store *s, const app_identity *who, store_finding *f,
                               app_error *err);

/* ---- the improvement plan ---------------------------------------------------- */

/* Adds an action to the plan under finding a->finding_id, which must be an
 * area to improve (not a strength) of an inspection of the area: title
 * 1-300 and owner 1-100 characters, start and due dates set with the due
 * date on or after the start; at most STORE_ACTIONS_MAX per inspection. The
 * action starts "not started". Sets a->id. */
int app_action_add(store *s, const app_identity *who, store_action *a, app_error *err);

/* One action with its updates, latest first. */
int app_action_get(store *s, const app_identity *who, int64_t id, arena *a, store_action *out,
                   store_action_update **updates, size_t *n, app_error *err);

/* A dated update on action u->action_id: the status its owner reports and a
 * note (1-4000 characters: what was done, the evidence and where it is),
 * dated not after today. The action takes the update's status. */
int app_action_update(store *s, const app_identity *who, store_action_update *u, date_t today,
                      app_error *err);

/* ---- comments (co-production) --------------------------------------------------- */

/* A comment on action c->action_id (c->body: 1-STORE_COMMENT_BODY_MAX
 * characters, line breaks allowed, "comment" the field), by `who` as their
 * account stands now: name, role, organisation (for the forum, the forum's
 * name), dated `now` (unix seconds). At most STORE_COMMENTS_MAX per action.
 * Audited with the write. In the same transaction, every other forum member
 * who has commented on the action (with an e-mail address) gets an e-mail,
 * queued in portal_outbox, that says only that there is a reply to read.
 * Sets c's id, author fields and created_at (strings from `a`). An action
 * of another area is SH_ENOTFOUND. */
int app_action_comment_add(store *s, const app_identity *who, store_insp_comment *c, int64_t now,
                           arena *a, app_error *err);

/* An action's comments, oldest first (what the action's page shows). */
int app_action_comments(store *s, const app_identity *who, int64_t action_id, arena *a,
                        store_insp_comment **out, size_t *n, app_error *err);

/* The latest comments on inspection_id's plan, newest first (the progress
 * page). */
int app_plan_comments(store *s, const app_identity *who, int64_t inspection_id, arena *a,
                      store_insp_comment **out, size_t *n, app_error *err);

/* ---- measures ---------------------------------------------------------------- */

/* Links a measure to area m->finding_id (an area to improve, of the area's
 * inspections). A dashboard rate: the baseline is its value in the month
 * of m->baseline_on (set to that month's first day), read from the
 * dashboard now, and the target (m->target_x10, tenths of a percent) no
 * lower than the baseline. A pathway's median wait (INSP_M_WAIT_MEDIAN
 * with m->pathway_id, one of the area's pathways): the baseline is the
 * median wait of those on its list at the end of that month, in tenths of
 * a week, and the target (0..999.9 weeks) no higher than the baseline. The
 * target is due on m->target_on, after the baseline month. The baseline
 * month is not after today's, within the dashboard's years (a rate) or the
 * wait trend's WAIT_TREND_MAX_MONTHS months (a wait), and has something to
 * count. At most STORE_MEASURES_MAX per inspection. Sets m->id and
 * m->baseline_x10. */
int app_measure_add(store *s, const app_identity *who, store_measure *m, date_t today,
                    app_error *err);

/* A measure's values month by month: from its baseline month to the last
 * complete month before today. */
#define APP_MEASURE_MONTHS_MAX (METRICS_YEARS_MAX * 12)
typedef struct {
    date_t first[APP_MEASURE_MONTHS_MAX]; /* each month's first day */
    int value[APP_MEASURE_MONTHS_MAX];    /* that month, x10 (percent or weeks), -1 none */
    size_t n;
    int latest;                           /* index of the last month with a value, -1 */
} app_measure_months;

/* Each of v's measures month by month ((*out)[i] for v->measures[i]; NULL
 * when the plan links none): rates from the dashboard's figures (through
 * its cache, dashboard.h), waits from their pathway's list
 * (app_health_median_months). Memory from `a`. */
int app_measure_series(store *s, const app_identity *who, const app_inspection_view *v,
                       date_t today, int64_t now, arena *a, app_measure_months **out,
                       app_error *err);

/* The board's judgement of the plan's progress on j->judged_on (not after
 * today, not before the report): sufficient progress or not, with its
 * reasons (1-4000 characters). Sets j->id. */
int app_judgement_record(store *s, const app_identity *who, store_judgement *j, date_t today,
                         app_error *err);

/* A measure's line (baseline to target, in percent or weeks, in the
 * measure's direction) for core/inspection's trajectory functions. */
insp_trajectory app_measure_trajectory(const store_measure *m);

#endif
