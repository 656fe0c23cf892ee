/*
 * store_inspection.h — area SEND inspections and their findings (issue 9),
 * written once over the portable SQL layer (store/sql.h), migration 008.
 *
 * Rows hold what was recorded: framework, outcome and dates as wire names
 * and days (core/inspection.h); the follow-up dates are computed from them
 * by core/inspection.c, never stored.
 *
 * Tenancy: every call takes the caller's la_code; a row of another area is
 * "not found". Memory: text in records read comes from the arena passed in.
 * Errors: as store.h (SH_ENOTFOUND, SH_EUNAVAIL, SH_EIO, SH_ENOMEM); a
 * finding for an inspection not in the area is SH_ENOTFOUND (its foreign
 * key).
 */
#ifndef SH_STORE_INSPECTION_H
#define SH_STORE_INSPECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/inspection.h"
#include "store/store.h"
#include "util/arena.h"

#define STORE_FINDING_TITLE_MAX 200
#define STORE_FINDING_WORDING_MAX 4000
#define STORE_FINDINGS_MAX 40     /* findings of one report */
#define STORE_INSPECTIONS_MAX 100 /* inspections of one area listed */

typedef struct {
    int64_t id;
    insp_framework framework;
    insp_outcome outcome;
    date_t started_on, ended_on, published_on;
    date_t plan_due_on;  /* as the 2023 letter states it, DATE_NONE if not */
    date_t accepted_on;  /* 2016 WSoA accepted, DATE_NONE until then */
    const char *created_by;
    int64_t created_at;  /* unix seconds */
} store_inspection;

typedef struct {
    int64_t id;
    int64_t inspection_id;
    insp_finding_kind kind;
    const char *title, *wording;
} store_finding;

/* Adds an inspection of the area: sets i->id and i->created_at. */
int store_inspection_insert(store *s, const char *la_code, store_inspection *i);
/* One inspection of the area; SH_ENOTFOUND if none. */
int store_inspection_get(store *s, const char *la_code, int64_t id, arena *a,
                         store_inspection *out);
/* The area's inspections, latest published first (at most
 * STORE_INSPECTIONS_MAX). */
int store_inspection_list(store *s, const char *la_code, arena *a, store_inspection **out,
                          size_t *n);

/* Adds a finding to inspection f->inspection_id: sets f->id. */
int store_finding_insert(store *s, const char *la_code, store_finding *f);
/* An inspection's findings in the order they were recorded (at most
 * STORE_FINDINGS_MAX); *n says how many there are. */
int store_finding_list(store *s, const char *la_code, int64_t inspection_id, arena *a,
                       store_finding **out, size_t *n);
/* One finding of the area; SH_ENOTFOUND if none. */
int store_finding_get(store *s, const char *la_code, int64_t id, arena *a, store_finding *out);
/* How many findings the inspection has (to enforce STORE_FINDINGS_MAX). */
int store_finding_count(store *s, const char *la_code, int64_t inspection_id, int64_t *n);

/* ---- the improvement plan's actions ------------------------------------------- */

#define STORE_ACTION_TITLE_MAX 300
#define STORE_ACTION_OWNER_MAX 100
#define STORE_ACTION_NOTE_MAX 4000
#define STORE_ACTIONS_MAX 200 /* actions of one inspection's plan */
#define STORE_UPDATES_MAX 100 /* updates of one action listed (latest kept) */

typedef struct {
    int64_t id;
    int64_t finding_id;
    int64_t inspection_id;  /* read only: the finding's inspection */
    const char *title, *owner_name;
    insp_org owner_org;
    date_t start_on, due_on;
    insp_action_status status;
} store_action;

typedef struct {
    int64_t id;
    int64_t action_id;
    date_t dated_on;
    insp_action_status status;
    const char *note, *created_by;
} store_action_update;

/* Adds an action under finding a->finding_id (of the area): sets a->id. */
int store_action_insert(store *s, const char *la_code, store_action *a);
/* One action with its inspection id; SH_ENOTFOUND if none in the area. */
int store_action_get(store *s, const char *la_code, int64_t id, arena *a, store_action *out);
/* An inspection's actions, by finding then as added (at most
 * STORE_ACTIONS_MAX). */
int store_action_list(store *s, const char *la_code, int64_t inspection_id, arena *a,
                      store_action **out, size_t *n);
/* How many actions the inspection's plan has. */
int store_action_count(store *s, const char *la_code, int64_t inspection_id, int64_t *n);
/* Adds a dated update and makes its status the action's: sets u->id. Call
 * inside a transaction (two statements). */
int store_action_update_insert(store *s, const char *la_code, store_action_update *u);
/* An action's updates, latest first (at most STORE_UPDATES_MAX). */
int store_action_update_list(store *s, const char *la_code, int64_t action_id, arena *a,
                             store_action_update **out, size_t *n);

/* ---- measures linked to areas ---------------------------------------------------- */

#define STORE_MEASURES_MAX 40 /* measures of one inspection's plan */

typedef struct {
    int64_t id;
    int64_t finding_id;
    insp_measure measure;
    int64_t pathway_id;            /* INSP_M_WAIT_MEDIAN's pathway (migration 013), else 0 */
    const char *pathway_name;      /* read only: that pathway's name, else NULL */
    date_t baseline_on, target_on; /* baseline_on: the first day of its month */
    int baseline_x10, target_x10;  /* tenths of a percent, or of a week for a wait */
} store_measure;

/* Links a measure to finding m->finding_id: sets m->id. A wait's pathway
 * not in the area is SH_ENOTFOUND (its foreign key). */
int store_measure_insert(store *s, const char *la_code, store_measure *m);
/* An inspection's measures, by finding then as linked (at most
 * STORE_MEASURES_MAX). */
int store_measure_list(store *s, const char *la_code, int64_t inspection_id, arena *a,
                       store_measure **out, size_t *n);

/* ---- the board's judgements ------------------------------------------------------- */

#define STORE_JUDGEMENT_REASONS_MAX 4000
#define STORE_JUDGEMENTS_MAX 50 /* judgements of one inspection listed (latest kept) */

typedef struct {
    int64_t id;
    int64_t inspection_id;
    date_t judged_on;
    bool sufficient;        /* "sufficient progress" */
    const char *reasons, *created_by;
} store_judgement;

/* Records a judgement on inspection j->inspection_id: sets j->id. */
int store_judgement_insert(store *s, const char *la_code, store_judgement *j);
/* An inspection's judgements, latest first (at most STORE_JUDGEMENTS_MAX). */
int store_judgement_list(store *s, const char *la_code, int64_t inspection_id, arena *a,
                         store_judgement **out, size_t *n);

#endif
