/*
 * store.c — picks a backend by URL and forwards every store_* call through
 * the connection's operations table (backend.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/backend.h"
#include "util/err.h"

/* "scheme://..." with a scheme of letters, digits, '+', '-' or '.'. */
static bool has_scheme(const char *url)
{
    const char *sep = strstr(url, "://");
    if (!sep || sep == url)
        return false;
    for (const char *p = url; p < sep; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.", *p))
            return false;
    return true;
}

int store_open(const char *url, store **out)
{
    *out = NULL;
    if (!url || !*url)
        return SH_EINVAL;
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return store_pg_open(url, out);
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    if (!*url || has_scheme(url)) {
        fprintf(stderr, "store: unsupported database URL; use a file path or sqlite:PATH\n");
        return SH_EINVAL;
    }
    return store_sqlite_open(url, out);
}

int store_replica_lag(store *s, int *ms)
{
    return s->ops->replica_lag(s, ms);
}

const char *store_backend(const store *s)
{
    return s->ops->name;
}

void store_close(store *s)
{
    if (s)
        s->ops->close(s);
}

int store_migrate(store *s)
{
    return s->ops->migrate(s);
}

int store_schema_version(store *s, int *version)
{
    return s->ops->schema_version(s, version);
}

int store_tx_begin(store *s)
{
    return s->ops->tx_begin(s);
}

int store_tx_commit(store *s)
{
    return s->ops->tx_commit(s);
}

int store_tx_rollback(store *s)
{
    return s->ops->tx_rollback(s);
}

/* A backend without read transactions (the ops entries NULL; the PostgreSQL
 * backend until it has its own) reads each statement on its own snapshot:
 * correct, only without the one-snapshot guarantee, so no-ops are safe. */
int store_read_begin(store *s)
{
    return s->ops->read_begin ? s->ops->read_begin(s) : SH_OK;
}

int store_read_end(store *s)
{
    return s->ops->read_end ? s->ops->read_end(s) : SH_OK;
}

int store_data_version(store *s, int64_t version[STORE_VERSION_LEN])
{
    return s->ops->data_version ? s->ops->data_version(s, version) : SH_EUNAVAIL;
}

int store_area_put(store *s, const char *la_code, const char *name)
{
    return s->ops->area_put(s, la_code, name);
}

int store_area_name(store *s, const char *la_code, arena *a, const char **name)
{
    return s->ops->area_name(s, la_code, a, name);
}

int store_setting_put(store *s, const char *la_code, const char *urn, const char *name,
                      const char *type)
{
    return s->ops->setting_put(s, la_code, urn, name, type);
}

int store_setting_name(store *s, const char *urn, arena *a, const char **name)
{
    return s->ops->setting_name(s, urn, a, name);
}

int store_child_insert(store *s, store_child *c)
{
    return s->ops->child_insert(s, c);
}

int store_child_get(store *s, const char *la_code, int64_t id, arena *a, store_child *out)
{
    return s->ops->child_get(s, la_code, id, a, out);
}

int store_child_find(store *s, const store_child_query *q, arena *a, store_child **out,
                     size_t *n, size_t *total)
{
    return s->ops->child_find(s, q, a, out, n, total);
}

int store_case_insert(store *s, store_case *c)
{
    return s->ops->case_insert(s, c);
}

int store_case_get(store *s, const char *la_code, int64_t id, arena *a, store_case *out)
{
    return s->ops->case_get(s, la_code, id, a, out);
}

int store_case_list(store *s, const store_case_query *q, arena *a, store_caseload_row **rows,
                    size_t *n, size_t *total)
{
    return s->ops->case_list(s, q, a, rows, n, total);
}

int store_case_summary_update(store *s, const char *la_code, int64_t case_id,
                              const store_case_summary *sum)
{
    return s->ops->case_summary_update(s, la_code, case_id, sum);
}

int store_events_load(store *s, const char *la_code, int64_t case_id, arena *a, event **out,
                      size_t *n)
{
    return s->ops->events_load(s, la_code, case_id, a, out, n);
}

int store_event_insert(store *s, const char *la_code, int64_t case_id, event *e,
                       const char *recorded_by)
{
    return s->ops->event_insert(s, la_code, case_id, e, recorded_by);
}

int store_journeys_scan(store *s, const char *la_code, int64_t first_case, int64_t last_case,
                        arena *a, store_journey_fn fn, void *ctx)
{
    return s->ops->journeys_scan(s, la_code, first_case, last_case, a, fn, ctx);
}

int store_case_id_range(store *s, const char *la_code, int64_t *min_id, int64_t *max_id)
{
    return s->ops->case_id_range(s, la_code, min_id, max_id);
}

int store_team(store *s, const char *la_code, date_t today, date_t due_by, arena *a,
               store_team_row **rows, size_t *n)
{
    return s->ops->team(s, la_code, today, due_by, a, rows, n);
}

int store_user_insert(store *s, store_user *u)
{
    return s->ops->user_insert(s, u);
}

int store_user_by_name(store *s, const char *username, arena *a, store_user *out)
{
    return s->ops->user_by_name(s, username, a, out);
}

int store_user_by_id(store *s, int64_t id, arena *a, store_user *out)
{
    return s->ops->user_by_id(s, id, a, out);
}

int store_user_list(store *s, const char *la_code, arena *a, store_user **out, size_t *n)
{
    return s->ops->user_list(s, la_code, a, out, n);
}

int store_user_set_password(store *s, int64_t id, const char *password_hash)
{
    return s->ops->user_set_password(s, id, password_hash);
}

int store_user_set_disabled(store *s, int64_t id, bool disabled)
{
    return s->ops->user_set_disabled(s, id, disabled);
}

int store_user_sign_in_result(store *s, int64_t id, bool success, int64_t now,
                              int64_t locked_until)
{
    return s->ops->user_sign_in_result(s, id, success, now, locked_until);
}

int store_token_insert(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                       const store_token *t)
{
    return s->ops->token_insert(s, hash, t);
}

int store_token_get(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], arena *a,
                    store_token *t, store_user *u)
{
    return s->ops->token_get(s, hash, a, t, u);
}

int store_token_touch(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t now)
{
    return s->ops->token_touch(s, hash, now);
}

int store_token_delete(store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN])
{
    return s->ops->token_delete(s, hash);
}

int store_token_delete_user(store *s, int64_t user_id)
{
    return s->ops->token_delete_user(s, user_id);
}

int store_token_purge(store *s, int64_t now)
{
    return s->ops->token_purge(s, now);
}

int store_audit_append(store *s, const store_audit *entries, size_t n)
{
    return s->ops->audit_append(s, entries, n);
}

int store_audit_find(store *s, const store_audit_query *q, arena *a, store_audit **out,
                     size_t *n, size_t *total)
{
    return s->ops->audit_find(s, q, a, out, n, total);
}

int store_audit_scan(store *s, const store_audit_query *q, arena *a, store_audit_fn fn,
                     void *ctx)
{
    return s->ops->audit_scan(s, q, a, fn, ctx);
}
