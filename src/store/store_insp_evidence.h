/*
 * store_insp_evidence.h — documents that evidence an improvement plan's
 * action (issue 9), written once over the portable SQL layer (store/sql.h),
 * migration 015.
 *
 * A document is kept as uploaded (the bytes, the name cleaned by
 * core/filetype.h, the kind its content showed, who uploaded it and when)
 * and is never deleted: withdrawing one records who, when and why, and it
 * stays in the list (the database refuses a DELETE, a change to what was
 * uploaded, and a second withdrawal).
 *
 * Tenancy: every call takes the caller's la_code; an action or document of
 * another area is "not found". Memory: text and bytes in rows read come
 * from the arena passed in. Errors: as store.h (SH_ENOTFOUND, SH_EUNAVAIL,
 * SH_EIO, SH_ENOMEM).
 */
#ifndef SH_STORE_INSP_EVIDENCE_H
#define SH_STORE_INSP_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "store/store.h"
#include "util/arena.h"

#define STORE_INSP_DOC_MAX (10u << 20)  /* bytes of one document */
#define STORE_INSP_DOCS_MAX 50          /* documents on one action, withdrawn included */
#define STORE_INSP_DOC_TITLE_MAX 200
#define STORE_INSP_DOC_REASON_MAX 1000

typedef struct {
    int64_t id;
    int64_t action_id;
    const char *title;    /* what the document shows, 1-200 characters */
    date_t evidence_on;   /* the date of the evidence (a meeting, a report) */
    const char *filename; /* cleaned (core/filetype.h) */
    const char *kind;     /* wire name (filetype_name) */
    size_t size;
    const unsigned char *content; /* NULL in lists; the bytes from store_insp_doc_get */
    const char *uploaded_by;      /* username */
    int64_t created_at;           /* unix seconds */
    int64_t withdrawn_at;         /* 0 while current */
    const char *withdrawn_by;     /* "" while current */
    const char *withdrawn_reason; /* "" while current */
} store_insp_doc;

/* How many documents one action has, current and withdrawn. */
typedef struct {
    int64_t action_id;
    size_t current, withdrawn;
} store_insp_doc_count;

/* Adds document d to action d->action_id of the area: sets d->id. */
int store_insp_doc_insert(store *s, const char *la_code, store_insp_doc *d);
/* How many documents action_id has, withdrawn included (the ceiling). */
int store_insp_doc_total(store *s, const char *la_code, int64_t action_id, int64_t *n);
/* An action's documents as uploaded, oldest first, without their bytes (at
 * most STORE_INSP_DOCS_MAX). */
int store_insp_doc_list(store *s, const char *la_code, int64_t action_id, arena *a,
                        store_insp_doc **out, size_t *n);
/* One document with its bytes; SH_ENOTFOUND if none in the area. */
int store_insp_doc_get(store *s, const char *la_code, int64_t id, arena *a,
                       store_insp_doc *out);
/* Withdraws document id (by, reason, at): SH_ENOTFOUND if there is no such
 * current document in the area (none, or already withdrawn). */
int store_insp_doc_withdraw(store *s, const char *la_code, int64_t id, const char *by,
                            const char *reason, int64_t at);
/* The documents of each action of inspection_id's plan that has any, by
 * action id (at most STORE_ACTIONS_MAX rows). */
int store_insp_doc_counts(store *s, const char *la_code, int64_t inspection_id, arena *a,
                          store_insp_doc_count **out, size_t *n);

#endif
