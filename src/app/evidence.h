/*
 * evidence.h — the person-level list of an area SEND inspection's evidence
 * pack (issue 9): every child and young person with SEND the area is
 * responsible for, including those educated out of area (the inspection
 * handbook's "all children and young people with SEND", facts file §6):
 * first each open EHC needs assessment or plan in case-id order, with plan
 * status, setting (name, URN, phase, in or out of area), primary need, the
 * journey's dates (request, decision whether to assess, final plan, last
 * annual review) and the coordinator; then, in child-id order, every other
 * child of the area with a recorded primary need (SEN support, or a journey
 * refused, closed or ceased), with no case, status or dates.
 *
 * Who: CAN_SEE_INSPECTIONS and the whole area in view (managers,
 * inspectors); anyone else SH_EDENIED. The list names children, so the
 * caller audits each export once it is written, naming the count (the
 * pages do it with pages_audit).
 *
 * Memory stays bounded however large the area: the rows are streamed to a
 * callback in case-id order, EVIDENCE_CHUNK_IDS case ids at a time (the
 * child and setting facts of one chunk, then its journeys merged with them,
 * as app/dashboard.c folds an area), all in one read snapshot. Nothing is
 * collected; the caller writes each row where it goes (a file).
 */
#ifndef SH_APP_EVIDENCE_H
#define SH_APP_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/inspection.h"
#include "store/store_evidence.h"

#define EVIDENCE_CHUNK_IDS 2000 /* case ids per chunk: its facts are held at once */

typedef struct {
    const store_evidence_row *r;
    insp_person_dates dates;  /* from the journey (DATE_NONE when it has none) */
    bool out_of_area;         /* the setting is recorded as another area's */
} app_evidence_row;

/* fn is called once per row; its row and strings live until it returns.
 * Non-zero from fn stops the list and is returned. */
typedef int (*app_evidence_fn)(void *ctx, const app_evidence_row *row);

/* Streams the list; *count is how many rows fn took. */
int app_evidence_list(store *s, const app_identity *who, app_evidence_fn fn, void *ctx,
                      size_t *count, app_error *err);

/* How many rows the list has now (the evidence pack page says so). */
int app_evidence_count(store *s, const app_identity *who, int64_t *n, app_error *err);

#endif
