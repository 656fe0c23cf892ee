/*
 * store_evidence.h — the person-level list inspectors ask for in the first
 * weeks of an area SEND inspection (issue 9): per open case, the child, the
 * setting (with the area the setting is in, so children educated out of
 * area show as such) and the case's cached summary.
 *
 * Written once over the portable SQL layer (sql.h); reads only tables of
 * 001_init, so it needs no migration.
 *
 * Why a stream: the largest areas have tens of thousands of children, so
 * rows are handed to a callback one at a time in case-id order over a
 * case-id range, never collected. The caller merges them with
 * store_journeys_scan over the same range (both in case-id order), as the
 * dashboard does with store_dash.h.
 *
 * "Open" is the caseload's meaning (store_case_query.open_only): every case
 * not refused, closed without a plan or ceased. The list is every open case,
 * then every other child of the area with a recorded primary need (SEN
 * support, or a closed journey): the children with SEND the record holds.
 *
 * Errors as store.h. Strings handed to fn live until fn returns.
 */
#ifndef SH_STORE_EVIDENCE_H
#define SH_STORE_EVIDENCE_H

#include <stdint.h>

#include "core/date.h"
#include "store/store.h"

typedef struct {
    int64_t case_id, child_id;  /* case_id 0: a child without an open case */
    const char *coordinator;    /* "" when unassigned or no open case */
    const char *stage;          /* the case's stage, wire name ("plan"); NULL no open case */
    date_t request_date, final_plan_date; /* DATE_NONE when none */
    const char *forename, *surname;
    date_t date_of_birth;
    const char *upn;            /* NULL when unknown */
    const char *sen_need;       /* primary need, CBDS code ("ASD"), NULL none */
    const char *setting_urn;    /* NULL when none recorded */
    const char *setting_name;   /* NULL when the setting is not loaded */
    const char *setting_type;   /* settings.type ("special"), NULL */
    const char *setting_la;     /* the setting's area, NULL when not loaded */
} store_evidence_row;

/* Calls fn for each open case of the area with first_case <= id <=
 * last_case, in case-id order. fn returning non-zero stops the pass and
 * that value is returned. */
typedef int (*store_evidence_fn)(void *ctx, const store_evidence_row *r);
int store_evidence_cases(store *s, const char *la_code, int64_t first_case, int64_t last_case,
                         store_evidence_fn fn, void *ctx);

/* Calls fn for each child of the area with first_child <= id <= last_child,
 * a recorded primary need and no open case, in child-id order (case_id 0,
 * no stage, no dates); fn as above. */
int store_evidence_children(store *s, const char *la_code, int64_t first_child,
                            int64_t last_child, store_evidence_fn fn, void *ctx);

/* The smallest and largest child id of the area (1 and 0 when none). */
int store_evidence_child_range(store *s, const char *la_code, int64_t *min_id, int64_t *max_id);

/* How many rows the list has: open cases, and children with a recorded
 * need and no open case. */
int store_evidence_count(store *s, const char *la_code, int64_t *n);

#endif
