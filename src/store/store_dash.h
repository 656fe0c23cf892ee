/*
 * store_dash.h — what the performance dashboard (issue 6) needs from the
 * store besides the journeys: for each case, the facts about its child that
 * the caseload figures break down by (date of birth, primary need, the type
 * of the child's setting).
 *
 * Written once over the portable SQL layer (sql.h); reads only tables of
 * 001_init, so it needs no migration.
 *
 * Why a stream of its own: store_journeys_scan hands out events only, and
 * joining the child per case would cost a query per case. One ordered pass
 * over cases x children x settings in the same case-id range is merged with
 * the journey scan by the caller (both run in case-id order).
 *
 * Errors as store.h. Strings handed to fn live until fn returns.
 */
#ifndef SH_STORE_DASH_H
#define SH_STORE_DASH_H

#include <stdint.h>

#include "core/date.h"
#include "store/store.h"

typedef struct {
    int64_t case_id;
    date_t date_of_birth;     /* DATE_NONE if not a date */
    const char *sen_need;     /* CBDS code ("ASD"), NULL if none */
    const char *setting_type; /* settings.type ("primary"), NULL if none */
} store_dash_case;

/* Calls fn for each case of the area (every area when la_code is NULL) with
 * first_case <= id <= last_case, in case-id order. fn returning non-zero
 * stops and that value is returned. */
typedef int (*store_dash_fn)(void *ctx, const store_dash_case *c);
int store_dash_cases(store *s, const char *la_code, int64_t first_case, int64_t last_case,
                     store_dash_fn fn, void *ctx);

#endif
