/*
 * store_views.h — the council's requests for a family's views (issue 7,
 * migration 014), written once over the portable SQL layer (store/sql.h).
 *
 * A request belongs to a case (la_code, case_id) and is open until it is
 * answered (a portal submission of the family's views is linked to it) or
 * withdrawn (who, when, why). Both changes apply only to an open request,
 * so a request cannot be answered twice, nor answered once withdrawn, even
 * when two changes race: the second finds no open row (SH_ENOTFOUND).
 *
 * Memory: text in records read comes from the arena passed in. Errors: as
 * store.h (SH_ENOTFOUND, SH_EUNAVAIL, SH_EIO, SH_ENOMEM).
 */
#ifndef SH_STORE_VIEWS_H
#define SH_STORE_VIEWS_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "store/store.h"
#include "util/arena.h"

#define STORE_VIEWS_REQUESTS_MAX 100 /* requests listed for one case */

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t case_id;
    const char *purpose;  /* core/views_request.h wire name */
    const char *message;  /* "" when none */
    date_t reply_by;      /* the council's date */
    const char *asked_by; /* username of the council officer */
    int64_t asked_at;
    int64_t submission_id, answered_at; /* 0 while unanswered */
    int64_t withdrawn_at;               /* 0 unless withdrawn */
    const char *withdrawn_by, *withdrawn_reason; /* "" unless withdrawn */
} store_views_request;

/* Stores a new open request (r->la_code, r->case_id ...): sets r->id. */
int store_views_request_insert(store *s, store_views_request *r);
/* A case's requests, oldest first (at most STORE_VIEWS_REQUESTS_MAX). */
int store_views_requests_of_case(store *s, const char *la_code, int64_t case_id, arena *a,
                                 store_views_request **out, size_t *n);
/* The case's oldest open request: SH_ENOTFOUND when none is open. */
int store_views_request_oldest_open(store *s, const char *la_code, int64_t case_id, arena *a,
                                    store_views_request *out);
/* Marks open request `id` of case `case_id` answered by submission
 * `submission_id` at `now`: SH_ENOTFOUND when it is not open. */
int store_views_request_answer(store *s, const char *la_code, int64_t case_id, int64_t id,
                               int64_t submission_id, int64_t now);
/* Withdraws open request `id` of case `case_id`: SH_ENOTFOUND when it is
 * not open. */
int store_views_request_withdraw(store *s, const char *la_code, int64_t case_id, int64_t id,
                                 const char *by, const char *reason, int64_t now);

#endif
