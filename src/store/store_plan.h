/*
 * store_plan.h — EHC plans in the store: each case's working draft and
 * every version issued from it (schema 005_plan), over the portable SQL
 * layer (sql.h), so one text serves SQLite and PostgreSQL.
 *
 * A plan is stored as its JSON document (app/plan_json.h); this module
 * neither parses nor checks it (the app does, before writing). The draft is
 * one row per case, replaced on every save. A version is written once, in
 * the transaction that records the journey event issuing it, and never
 * changed: there is no update here, and the schema's triggers refuse one.
 *
 * Every call is scoped by la_code. Errors as store.h: SH_ENOTFOUND (no such
 * row; for writes, no such case in that area), SH_ECONFLICT (a version
 * number taken by a concurrent issue), SH_EUNAVAIL, SH_EIO, SH_ENOMEM.
 * Strings returned live in the caller's arena.
 */
#ifndef SH_STORE_PLAN_H
#define SH_STORE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "store/store.h"
#include "util/arena.h"

typedef enum { STORE_PLAN_DRAFT, STORE_PLAN_FINAL, STORE_PLAN_PROPOSED, STORE_PLAN_AMENDED,
               STORE_PLAN_KIND_COUNT } store_plan_kind;

/* Wire names ("draft", "final", "proposed", "amended"); parse: -1 unknown. */
const char *store_plan_kind_name(store_plan_kind k);
int store_plan_kind_parse(const char *s);

typedef struct {
    int64_t id;
    int version;            /* 1, 2, ... per case, in issue order */
    store_plan_kind kind;
    date_t issued_on;
    const char *issued_by;  /* username */
    int64_t event_id;       /* the journey event that issued it */
    const char *document;   /* NULL in lists (store_plan_versions) */
} store_plan_version;

/* The working draft's document: SH_ENOTFOUND when the case has none yet. */
int store_plan_draft_get(store *s, const char *la_code, int64_t case_id, arena *a,
                         const char **document);
/* Writes (inserts or replaces) the working draft. */
int store_plan_draft_put(store *s, const char *la_code, int64_t case_id, const char *document,
                         int64_t now, const char *by);

/* Adds an issued version as the case's next number (written into v->version
 * and v->id). Call inside the write transaction that records v->event_id. */
int store_plan_version_add(store *s, const char *la_code, int64_t case_id,
                           store_plan_version *v);
/* Every version of a case, oldest first, without documents. */
int store_plan_versions(store *s, const char *la_code, int64_t case_id, arena *a,
                        store_plan_version **out, size_t *n);
/* One version with its document. */
int store_plan_version_get(store *s, const char *la_code, int64_t case_id, int version,
                           arena *a, store_plan_version *out);

#endif
