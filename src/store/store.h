/*
 * store.h — the one storage interface sendhub's use cases need.
 *
 * It speaks the domain ("insert a child", "load a journey", "caseload
 * page"), not SQL, so the SQLite backend (store_sqlite.c, the default) and a
 * PostgreSQL backend can sit behind it without changing callers.
 *
 * Threading: a `store` is one database connection and belongs to one thread
 * at a time (the server keeps one per worker thread). Every statement is
 * prepared once per connection and reused; no SQL is built from strings.
 *
 * Tenancy: every row carries the 3-digit local authority code, and every
 * read takes the caller's la_code so one database can serve many councils
 * and a record of another area is simply "not found".
 *
 * Memory: strings in records filled by the store are allocated from the
 * arena passed in and live as long as it does. Records passed in are only
 * read. Fixed-size char arrays are NUL-terminated; "" means absent.
 *
 * Errors: SH_ENOTFOUND (no such row in that area), SH_ECONFLICT (a unique
 * key such as a UPN already stored), SH_EUNAVAIL (database busy/locked beyond
 * the busy timeout, or gone), SH_EIO (anything else the database reported;
 * the message is logged), SH_ENOMEM (arena ceiling).
 */
#ifndef SH_STORE_H
#define SH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/event.h"
#include "core/ident.h"
#include "core/journey.h"
#include "util/arena.h"

typedef struct store store;

#define STORE_LA_LEN 3
#define STORE_NAME_MAX 100   /* forename, surname, coordinator, area name */
#define STORE_PAGE_MAX 200   /* ceiling on a page of results */

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    const char *forename;
    const char *surname;
    date_t date_of_birth;
    char upn[IDENT_UPN_LEN + 1];        /* "" if unknown */
    char nhs_number[IDENT_NHS_LEN + 1]; /* "" if unknown */
    char postcode[IDENT_POSTCODE_MAX + 1];
    int sen_need[2];                    /* sen_type ranked 1 (primary), 2; -1 none */
    char setting_urn[IDENT_URN_MAX + 1];
    int64_t created_at;                 /* unix seconds, set by the store */
} store_child;

/* The derived summary cached on a case for fast listing. The event log is the
 * truth; this is rewritten from journey_compute() on every append. */
typedef struct {
    journey_stage stage;
    date_t request_date;     /* DATE_NONE if transferred in */
    date_t final_plan_date;  /* DATE_NONE if none */
    date_t next_due;         /* earliest open statutory date, DATE_NONE if none */
    char next_step[32];      /* its step name ("advice:health"), "" if none */
    int within_20_weeks;     /* -1, 0, 1 as journey_timeline */
    bool exceptions_apply;
    int event_count;
    unsigned open_advice;    /* bit (1u << event_agency) set for every agency with an
                                advice request not yet answered: health and social
                                care staff see the children their service is asked
                                about (issue 3), so the caseload query can filter */
} store_case_summary;

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t child_id;
    const char *coordinator; /* username of the EHC coordinator, may be "" */
    int64_t opened_at;       /* unix seconds, set by the store */
    store_case_summary summary;
} store_case;

typedef struct {
    const char *la_code;     /* required */
    const char *name;        /* substring of forename or surname (case-insensitive), NULL any */
    date_t date_of_birth;    /* DATE_NONE any */
    const char *upn;         /* exact, NULL any */
    const char *nhs_number;  /* exact, NULL any */
    size_t limit, offset;    /* limit <= STORE_PAGE_MAX */
} store_child_query;

typedef struct {
    const char *la_code;     /* required */
    int stage;               /* journey_stage, or -1 for any */
    const char *coordinator; /* exact, NULL any */
    date_t due_on_or_before; /* next_due <= this, DATE_NONE any */
    date_t overdue_at;       /* next_due < this (i.e. overdue at that date), DATE_NONE any */
    int64_t child_id;        /* 0 any */
    int sen_need;            /* child's primary need (sen_type), -1 any */
    const char *setting_urn; /* child's current setting, exact, NULL any */
    unsigned open_advice;    /* open_advice & this != 0, 0 any */
    const char *name;        /* substring of the child's forename or surname, NULL any */
    date_t date_of_birth;    /* child's, DATE_NONE any */
    const char *upn;         /* child's, exact, NULL any */
    const char *nhs_number;  /* child's, exact, NULL any */
    bool open_only;          /* only cases still open: not refused, closed without a
                                plan or ceased (a coordinator's working caseload) */
    bool page_columns;       /* the caller reads only what a caseload page shows: the
                                case's id, stage, next_due and next_step and the
                                child's forename, surname, date_of_birth and sen_need.
                                A backend may then leave every other field of the rows
                                zero ("" for names); it may also fill them */
    size_t limit, offset;    /* limit <= STORE_PAGE_MAX */
} store_case_query;

/* One row of a caseload: the case and what a list shows of the child.
 * Ordered by next_due (earliest first, cases with nothing due last), then id. */
typedef struct {
    store_case c;
    const char *forename, *surname;
    date_t date_of_birth;
    int sen_need;                            /* primary need, -1 none */
    char setting_urn[IDENT_URN_MAX + 1];
} store_caseload_row;

/* Per-coordinator counts for a manager's team view. */
typedef struct {
    const char *coordinator; /* "" for unassigned cases */
    long open_cases;         /* cases not ceased, refused or closed without a plan */
    long overdue;            /* next_due < overdue_at */
    long due_soon;           /* overdue_at <= next_due <= due_on_or_before */
} store_team_row;

/* Opens a database. `url` is a file path or "sqlite:PATH" for SQLite
 * (created if missing; WAL, synchronous=FULL, foreign keys, busy timeout),
 * or "postgresql://..." / "postgres://..." (a libpq connection URI; timeouts
 * and keepalives default as docs/OPERATIONS.md says). Does not migrate.
 * SH_EINVAL for an unsupported URL scheme. */
int store_open(const char *url, store **out);
void store_close(store *s);

/* Applies, in ascending order, every migration of this backend's dialect
 * whose version has no row in schema_version, each in its own transaction
 * that records its row; one below the highest version already recorded is
 * named on stderr ("applied out of order"). Idempotent, and safe to run from
 * several processes at once (each migration is applied once).
 * store_schema_version answers the highest version recorded (0 before any). */
int store_migrate(store *s);
int store_schema_version(store *s, int *version);

/* Transactions. store_tx_begin starts a write transaction that takes the
 * write lock at once (SQLite BEGIN IMMEDIATE), so a read-validate-append
 * sequence cannot interleave with another writer. Nested calls are an error. */
int store_tx_begin(store *s);
int store_tx_commit(store *s);
int store_tx_rollback(store *s); /* safe to call when no transaction is open */

/* Read transactions: the reads between store_read_begin and store_read_end
 * all see one snapshot of the database (one commit), however many other
 * connections write meanwhile (SQLite: a deferred BEGIN ... COMMIT). Called
 * while a transaction is already open on s, begin joins it and the matching
 * end does nothing (the owner commits). Do not start a write transaction in
 * between (store_tx_begin refuses: nested). store_read_end must be called
 * after a successful begin, whatever the reads returned. A backend may
 * implement both as no-ops; each read is then consistent on its own. */
int store_read_begin(store *s);
int store_read_end(store *s);

/* What this connection sees of the database, as three numbers that differ
 * whenever the content may have changed: a commit by any other connection
 * or process, or any row this connection inserted, updated or deleted
 * (committed or not). Equal numbers on one connection mean the same content,
 * so a result computed from it may be reused; inside a read transaction
 * they describe its snapshot. SH_EUNAVAIL when the backend cannot tell
 * (PostgreSQL): then nothing may be reused. */
#define STORE_VERSION_LEN 3
int store_data_version(store *s, int64_t version[STORE_VERSION_LEN]);

/* Areas (local authorities). */
int store_area_put(store *s, const char *la_code, const char *name);
int store_area_name(store *s, const char *la_code, arena *a, const char **name);

/* Settings (schools, colleges, early years) by URN, for names and types. */
int store_setting_put(store *s, const char *la_code, const char *urn,
                      const char *name, const char *type);
int store_setting_name(store *s, const char *urn, arena *a, const char **name);

/* Children. insert sets c->id and c->created_at; SH_ECONFLICT when the UPN or
 * NHS number is already recorded for another child in the area. */
int store_child_insert(store *s, store_child *c);
int store_child_get(store *s, const char *la_code, int64_t id, arena *a,
                    store_child *out);
/* Finds children; *total is the number matching before paging. */
int store_child_find(store *s, const store_child_query *q, arena *a,
                     store_child **out, size_t *n, size_t *total);

/* Cases. insert sets c->id, c->opened_at; the child must exist in the area
 * (SH_ENOTFOUND otherwise). The summary is stored as given. */
int store_case_insert(store *s, store_case *c);
int store_case_get(store *s, const char *la_code, int64_t id, arena *a,
                   store_case *out);
int store_case_list(store *s, const store_case_query *q, arena *a,
                    store_caseload_row **rows, size_t *n, size_t *total);
int store_case_summary_update(store *s, const char *la_code, int64_t case_id,
                              const store_case_summary *sum);

/* Events. load returns the case's events in log order (ids ascending),
 * corrections' reasons and replacements included. insert appends one event,
 * setting e->id; `recorded_by` is the username (audit of who wrote it). */
int store_events_load(store *s, const char *la_code, int64_t case_id,
                      arena *a, event **out, size_t *n);
int store_event_insert(store *s, const char *la_code, int64_t case_id,
                       event *e, const char *recorded_by);

/* Streams the journeys of the cases with first_case <= id <= last_case in
 * the area (all areas when la_code is NULL; 0 and INT64_MAX for every case),
 * in case id order, calling fn once per case with its events in log order
 * (a case without events is skipped; first_case > last_case scans nothing).
 * The arena is reset between cases. fn returning non-zero stops the scan and
 * that value is returned. For rebuilding summaries, reports and benchmarks.
 *
 * Ranges exist so such a job can use every core: split [min, max] from
 * store_case_id_range into disjoint ranges and scan each on its own
 * connection (store_open) in its own thread; a store is not shared between
 * threads, but connections to one database are independent. Each range sees
 * its own snapshot, so events appended meanwhile may be in one and not in
 * another; merge per-range results in the caller. */
typedef int (*store_journey_fn)(void *ctx, int64_t case_id, const char *la_code,
                                const event *events, size_t n);
int store_journeys_scan(store *s, const char *la_code, int64_t first_case,
                        int64_t last_case, arena *a, store_journey_fn fn, void *ctx);

/* The smallest and largest case id in the area (all areas when la_code is
 * NULL), for splitting a scan into ranges. No cases: *min_id = 1 and
 * *max_id = 0, an empty range, so a caller's split needs no special case. */
int store_case_id_range(store *s, const char *la_code, int64_t *min_id, int64_t *max_id);

/* Caseload counts per coordinator in an area, ordered by coordinator:
 * overdue counts next_due < today, due_soon counts today..due_by. */
int store_team(store *s, const char *la_code, date_t today, date_t due_by, arena *a,
               store_team_row **rows, size_t *n);

/* ---- people ------------------------------------------------------------- */

#define STORE_USERNAME_MAX 64

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];   /* the area the person works for */
    const char *username;             /* unique in the database, lower case */
    const char *display_name;
    const char *email;                /* "" if none */
    const char *role;                 /* app_role wire name (app/access.h) */
    const char *organisation;         /* team, NHS provider/ICB, school; "" if none */
    char setting_urn[IDENT_URN_MAX + 1]; /* role "setting": their school or college */
    const char *password_hash;        /* Argon2id, crypto_pwhash_str() form */
    bool disabled;
    int failed_sign_ins;              /* consecutive failures */
    int64_t locked_until;             /* unix seconds; 0 when not locked */
    int64_t created_at, last_sign_in; /* unix seconds; last_sign_in 0 if never */
} store_user;

/* insert sets u->id and created_at; SH_ECONFLICT when the username exists. */
int store_user_insert(store *s, store_user *u);
int store_user_by_name(store *s, const char *username, arena *a, store_user *out);
int store_user_by_id(store *s, int64_t id, arena *a, store_user *out);
/* Everyone in an area (every area when la_code is NULL), by username. */
int store_user_list(store *s, const char *la_code, arena *a, store_user **out, size_t *n);
/* Sets a new hash and clears failures and any lock. */
int store_user_set_password(store *s, int64_t id, const char *password_hash);
int store_user_set_disabled(store *s, int64_t id, bool disabled);
/* Records a sign-in attempt: success clears failures and sets last_sign_in =
 * now; failure adds one failure and sets locked_until (0 leaves it). */
int store_user_sign_in_result(store *s, int64_t id, bool success, int64_t now,
                              int64_t locked_until);

/* ---- sessions and API tokens -------------------------------------------- */

/* Only a hash of a session or API token is ever stored (BLAKE2b-256 of the
 * random secret), so a copy of the database cannot be used to sign in. */
#define STORE_TOKEN_HASH_LEN 32
#define STORE_CSRF_LEN 43 /* 32 random bytes, base64url without padding */

typedef enum { STORE_TOKEN_SESSION, STORE_TOKEN_API } store_token_kind;

typedef struct {
    int64_t user_id;
    store_token_kind kind;
    char csrf[STORE_CSRF_LEN + 1]; /* sessions: the form token; API tokens: "" */
    const char *label;             /* API tokens: what it is for; "" otherwise */
    int64_t created_at, last_used, expires_at; /* unix seconds */
} store_token;

int store_token_insert(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                       const store_token *t);
/* The token and its user; SH_ENOTFOUND when unknown (expiry is the caller's
 * business: it knows the idle and absolute limits). */
int store_token_get(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], arena *a,
                    store_token *t, store_user *u);
int store_token_touch(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                      int64_t now);
int store_token_delete(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN]);
/* Ends every session and token of a person (disabled, password reset). */
int store_token_delete_user(store *s, int64_t user_id);
/* Removes tokens whose expires_at has passed. */
int store_token_purge(store *s, int64_t now);

/* ---- the audit log ------------------------------------------------------ */

/* One entry: who did what to which record, when and from where. Append-only
 * (the schema refuses UPDATE and DELETE). Holds no health details: the
 * record itself says what was read; the log says that it was. */
typedef struct {
    int64_t id;
    int64_t at;                      /* unix seconds */
    char la_code[STORE_LA_LEN + 1];  /* the area of the record (or of the person) */
    const char *username;            /* "" for a failed sign-in with an unknown name */
    const char *role;
    const char *action;   /* "read", "write", "denied", "sign_in", "sign_in_failed",
                             "sign_out", "export", "admin" */
    const char *object;   /* "case", "child", "caseload", "user", "audit", "session" */
    int64_t object_id;    /* 0 if none */
    int64_t child_id;     /* the child whose record it is, 0 if none */
    const char *detail;   /* a short phrase ("recorded advice_received"), "" if none */
    const char *remote;   /* client address, "" if not over the network */
} store_audit;

/* Appends entries in order, inside the caller's transaction if one is open,
 * else in one transaction of its own. */
int store_audit_append(store *s, const store_audit *entries, size_t n);

typedef struct {
    const char *la_code;   /* required */
    const char *username;  /* exact, NULL any */
    const char *action;    /* exact, NULL any */
    const char *object;    /* exact, NULL any */
    int64_t object_id;     /* 0 any */
    int64_t child_id;      /* 0 any */
    int64_t from, to;      /* at >= from and at < to; 0 = unbounded */
    size_t limit, offset;  /* limit <= STORE_PAGE_MAX; newest first */
} store_audit_query;

int store_audit_find(store *s, const store_audit_query *q, arena *a, store_audit **out,
                     size_t *n, size_t *total);
/* Streams matching entries oldest first (exports); limit/offset ignored. */
typedef int (*store_audit_fn)(void *ctx, const store_audit *entry);
int store_audit_scan(store *s, const store_audit_query *q, arena *a, store_audit_fn fn,
                     void *ctx);

/* How far behind its primary this connection's data is, in milliseconds:
 * 0 for a primary (and for SQLite, which has no replicas) or a replica that
 * has replayed everything it received; -1 when a replica cannot tell. Lets a
 * page served from a read replica say how fresh its figures are. */
int store_replica_lag(store *s, int *ms);

/* Name of the backend ("sqlite"), for logs and /api/v1/health. */
const char *store_backend(const store *s);

#endif
