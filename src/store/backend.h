/*
 * backend.h — what a storage backend provides: one function per operation of
 * store.h, in a table (after SQLite's VFS). store.c forwards every public
 * store_* call through the table of the connection it is given, so callers
 * never know which backend they talk to.
 *
 * A backend's connection struct begins with `store base` (so a pointer to it
 * is a `store *`), sets base.ops to its table, and implements every entry
 * with the contract written in store.h.
 */
#ifndef SH_STORE_BACKEND_H
#define SH_STORE_BACKEND_H

#include "store/sql.h"
#include "store/store.h"

/* ---- the portable SQL layer (sql.h) ------------------------------------- */

typedef enum { SQL_P_NULL, SQL_P_TEXT, SQL_P_INT, SQL_P_DATE, SQL_P_BLOB } sql_param_kind;

typedef struct {
    sql_param_kind kind;
    int64_t i;     /* an integer, or a date_t */
    const void *v; /* text (NUL-terminated) or bytes */
    size_t len;    /* bytes */
} sql_param;

/* What a backend does with one statement of the portable layer. */
typedef struct sql_backend {
    int (*next)(sql_stmt *q);
    const char *(*col_text)(sql_stmt *q, int c); /* NULL when NULL */
    bool (*col_int)(sql_stmt *q, int c, int64_t *v); /* false when NULL */
    int (*col_blob)(sql_stmt *q, int c, arena *a, const unsigned char **out, size_t *len);
    int64_t (*changes)(sql_stmt *q);
    void (*finish)(sql_stmt *q);
} sql_backend;

/* A statement of the portable layer: the parameters bound so far (sql.c
 * fills them; the backend applies them on the first next), then the
 * backend's own state in the struct that embeds this one. */
struct sql_stmt {
    const sql_backend *ops;
    store *s;
    const char *sql;    /* the key: the caller's constant text */
    bool open;          /* between sql_prepare and sql_finish */
    bool started;       /* the first next has run */
    int bind_error;     /* first misuse while binding, reported by next */
    int nparams;        /* parameters the statement has (?1 .. ?nparams) */
    sql_param p[SQL_PARAMS_MAX];
};

/* Per connection, the statements of the portable layer by SQL text address
 * (open addressing; the ceiling is a bug guard: sendhub has far fewer). */
#define SQL_CACHE_SLOTS 512
typedef struct sql_cache {
    sql_stmt *slot[SQL_CACHE_SLOTS];
} sql_cache;

/* A backend's sql_prepare: finds the connection's statement for `sql` or
 * makes it with `make` (given the cache slot, unique per connection), then
 * opens it (refusing one already open) with every parameter NULL. */
typedef int (*sql_make_fn)(store *s, const char *sql, int slot, sql_stmt **out);
int sql_cache_prepare(store *s, const char *sql, sql_make_fn make, sql_stmt **out);
/* Releases every statement of the connection with `destroy`. */
void sql_cache_free(store *s, void (*destroy)(sql_stmt *q));

typedef struct store_ops {
    const char *name; /* "sqlite", "postgresql" */
    int (*replica_lag)(store *s, int *ms);
    void (*close)(store *s);
    int (*migrate)(store *s);
    int (*schema_version)(store *s, int *version);
    int (*tx_begin)(store *s);
    int (*tx_commit)(store *s);
    int (*tx_rollback)(store *s);
    /* May be NULL: store_read_begin/_end are then no-ops (each read its own
     * statement-level snapshot, as before they existed). */
    int (*read_begin)(store *s);
    int (*read_end)(store *s);
    /* May be NULL: store_data_version then answers SH_EUNAVAIL. */
    int (*data_version)(store *s, int64_t version[STORE_VERSION_LEN]);
    int (*area_put)(store *s, const char *la_code, const char *name);
    int (*area_name)(store *s, const char *la_code, arena *a, const char **name);
    int (*setting_put)(store *s, const char *la_code, const char *urn, const char *name,
                       const char *type);
    int (*setting_name)(store *s, const char *urn, arena *a, const char **name);
    int (*child_insert)(store *s, store_child *c);
    int (*child_get)(store *s, const char *la_code, int64_t id, arena *a, store_child *out);
    int (*child_find)(store *s, const store_child_query *q, arena *a, store_child **out,
                      size_t *n, size_t *total);
    int (*case_insert)(store *s, store_case *c);
    int (*case_get)(store *s, const char *la_code, int64_t id, arena *a, store_case *out);
    int (*case_list)(store *s, const store_case_query *q, arena *a, store_caseload_row **rows,
                     size_t *n, size_t *total);
    int (*case_summary_update)(store *s, const char *la_code, int64_t case_id,
                               const store_case_summary *sum);
    int (*events_load)(store *s, const char *la_code, int64_t case_id, arena *a, event **out,
                       size_t *n);
    int (*event_insert)(store *s, const char *la_code, int64_t case_id, event *e,
                        const char *recorded_by);
    int (*journeys_scan)(store *s, const char *la_code, int64_t first_case, int64_t last_case,
                         arena *a, store_journey_fn fn, void *ctx);
    int (*case_id_range)(store *s, const char *la_code, int64_t *min_id, int64_t *max_id);
    int (*team)(store *s, const char *la_code, date_t today, date_t due_by, arena *a,
                store_team_row **rows, size_t *n);
    int (*user_insert)(store *s, store_user *u);
    int (*user_by_name)(store *s, const char *username, arena *a, store_user *out);
    int (*user_by_id)(store *s, int64_t id, arena *a, store_user *out);
    int (*user_list)(store *s, const char *la_code, arena *a, store_user **out, size_t *n);
    int (*user_set_password)(store *s, int64_t id, const char *password_hash);
    int (*user_set_disabled)(store *s, int64_t id, bool disabled);
    int (*user_sign_in_result)(store *s, int64_t id, bool success, int64_t now,
                               int64_t locked_until);
    int (*token_insert)(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                        const store_token *t);
    int (*token_get)(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], arena *a,
                     store_token *t, store_user *u);
    int (*token_touch)(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t now);
    int (*token_delete)(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN]);
    int (*token_delete_user)(store *s, int64_t user_id);
    int (*token_purge)(store *s, int64_t now);
    int (*audit_append)(store *s, const store_audit *entries, size_t n);
    int (*audit_find)(store *s, const store_audit_query *q, arena *a, store_audit **out,
                      size_t *n, size_t *total);
    int (*audit_scan)(store *s, const store_audit_query *q, arena *a, store_audit_fn fn,
                      void *ctx);
    int (*sql_prepare)(store *s, const char *sql, sql_stmt **out);
} store_ops;

struct store {
    const store_ops *ops;
    sql_cache *sql; /* the portable layer's statements, made on first use */
};

/* The backends' openers (store_open picks one by the URL). */
int store_sqlite_open(const char *path, store **out);
int store_pg_open(const char *url, store **out); /* postgresql:// or postgres:// */

#endif
