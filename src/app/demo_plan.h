/*
 * demo_plan.h — EHC plans for the synthetic area (app/demo.c): realistic
 * sections A to K for a share of the cases that have a plan, with a stored
 * version for every event that issued one, so the plan pages, versions and
 * comparisons have something to show.
 *
 * Why only a share (every DEMO_PLAN_EVERY-th case with a final plan): the
 * demo runs in every end-to-end and authorisation test; a plan document per
 * case (3,800 at scale 1) would add seconds to each. The cases without a
 * stored plan still open the editor on an empty draft.
 *
 * Deterministic: the content is drawn from `seed` and the case id, and the
 * versions follow the journey's own events.
 */
#ifndef SH_APP_DEMO_PLAN_H
#define SH_APP_DEMO_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "store/store.h"
#include "util/arena.h"

#define DEMO_PLAN_EVERY 25

/* Does this case get a stored plan? (It must also have a plan-issuing event.) */
int demo_plan_wanted(int64_t case_id);

/* Writes the working draft and one version per plan-issuing event of the
 * (already stored, ids assigned) events, inside the caller's transaction.
 * primary_need is the child's SEN type (ident.h) or -1; setting_urn may be
 * "". *versions (may be NULL) receives how many versions were stored. */
int demo_plan_write(store *s, const char *la_code, int64_t case_id, int primary_need,
                    const char *setting_urn, const event *events, size_t n, uint64_t seed,
                    arena *a, int *versions);

#endif
