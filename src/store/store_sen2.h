/*
 * store_sen2.h — the bulk reads the SEN2 return needs beside the journeys
 * (which come from store_journeys_scan): every child of an area who has a
 * case, and which child each case belongs to.
 *
 * Why a module of its own: the return reads a whole area at once, and one
 * query per case (store_case_get) would be thousands of round trips. Written
 * once over store/sql.h for both backends; no table of its own.
 *
 * Memory: arrays and strings come from the arena. Errors as store.h.
 */
#ifndef SH_STORE_SEN2_H
#define SH_STORE_SEN2_H

#include <stddef.h>
#include <stdint.h>

#include "core/sen2.h"
#include "store/store.h"
#include "util/arena.h"

#define STORE_SEN2_MAX_ROWS 2000000 /* ceiling on children or cases in one area */

/* Children of the area with at least one case, ordered by id (as sen2_build
 * wants them). A stored SEN type code that is not a code reads as -1. */
int store_sen2_children(store *s, const char *la_code, arena *a, sen2_child **out,
                        size_t *n);

/* Every case of the area as (case id, child id), ordered by case id. */
typedef struct {
    int64_t case_id, child_id;
} store_sen2_case_child;
int store_sen2_case_children(store *s, const char *la_code, arena *a,
                             store_sen2_case_child **out, size_t *n);

#endif
