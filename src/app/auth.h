/*
 * auth.h — accounts, passwords, sign-in, sessions and API tokens.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, the
 * "interactive" limits) and checked against a policy: at least
 * AUTH_PASSWORD_MIN characters, at most AUTH_PASSWORD_MAX, not one of the
 * common passwords compiled into auth.c, and not containing the username.
 *
 * Sign-in is slowed and then locked after repeated failures: after
 * AUTH_MAX_FAILURES consecutive failures the account is locked for
 * AUTH_LOCK_SECONDS (every further failure restarts the lock). The message
 * for a wrong username and a wrong password is the same.
 *
 * A session is a random 32-byte secret (libsodium randombytes) sent to the
 * browser as a cookie; the store keeps only its BLAKE2b hash, with a CSRF
 * token, the time of last use and an absolute expiry. A session ends after
 * AUTH_IDLE_SECONDS without use or AUTH_ABSOLUTE_SECONDS after sign-in.
 * API tokens are the same kind of secret, sent as "Authorization: Bearer",
 * with a label and an expiry, issued per person.
 *
 * Every function here records its outcome in the audit log (app/audit.h):
 * sign-in, failed sign-in, sign-out, account changes.
 */
#ifndef SH_APP_AUTH_H
#define SH_APP_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "store/store.h"

#define AUTH_PASSWORD_MIN 12
#define AUTH_PASSWORD_MAX 128
#define AUTH_MAX_FAILURES 5
#define AUTH_LOCK_SECONDS (15 * 60)
#define AUTH_IDLE_SECONDS (30 * 60)
#define AUTH_ABSOLUTE_SECONDS (12 * 60 * 60)
#define AUTH_API_TOKEN_DAYS_MAX 366
#define AUTH_SECRET_TEXT_LEN 43 /* 32 random bytes, base64url without padding */

/* Checks a new password against the policy. SH_OK, or SH_EINVAL with *why a
 * sentence for the person choosing it. */
int auth_password_check(const char *password, const char *username, const char **why);

/* Fields of a new account; the password is checked against the policy. */
typedef struct {
    const char *username;     /* 3-64 of a-z 0-9 . _ - ; stored lower case */
    const char *display_name; /* 1-100 characters */
    const char *email;        /* optional */
    const char *role;         /* app_role wire name */
    const char *la_code;      /* area; defaults to the acting person's */
    const char *organisation; /* optional */
    const char *setting_urn;  /* required for role setting */
    const char *password;
} auth_new_user;

/* Account administration, allowed to admins (of the same area) and the
 * system user. Each returns SH_OK or an app_error naming the field. */
int auth_user_add(store *s, const app_identity *who, const auth_new_user *nu, int64_t now,
                  store_user *out, app_error *err);
/* As auth_user_add, and `then` runs inside the same write transaction once
 * the account is stored (u->id set): a family account and its link to a
 * child (app/portal.c) are stored together or not at all. A non-zero return
 * from `then` rolls everything back and is returned as is (its message in
 * err, if it set one). */
typedef int (*auth_user_then)(store *s, const store_user *u, void *ctx, app_error *err);
int auth_user_add_then(store *s, const app_identity *who, const auth_new_user *nu,
                       int64_t now, auth_user_then then, void *ctx, store_user *out,
                       app_error *err);
int auth_user_set_disabled(store *s, const app_identity *who, const char *username,
                           bool disabled, int64_t now, app_error *err);
/* Sets a new password (policy-checked) and ends the person's sessions. */
int auth_user_reset_password(store *s, const app_identity *who, const char *username,
                             const char *password, int64_t now, app_error *err);

/* A signed-in session, as handed to the browser. */
typedef struct {
    char token[AUTH_SECRET_TEXT_LEN + 1]; /* the cookie value */
    char csrf[STORE_CSRF_LEN + 1];        /* the form token */
    int64_t expires_at;
} auth_session;

/* Checks username and password. On success creates a session and fills *out
 * and *who. Failures: SH_EINVAL (wrong username or password, one message),
 * SH_EDENIED (locked: message says for how long; or disabled), all audited
 * with `remote`. */
int auth_sign_in(store *s, const char *username, const char *password, const char *remote,
                 int64_t now, arena *a, auth_session *out, app_identity *who,
                 app_error *err);

/* Resumes a session from its cookie value: SH_OK with *who and csrf filled
 * (and last use moved to now), or SH_ENOTFOUND when unknown, expired
 * (idle or absolute) or the person is disabled. */
int auth_session_resume(store *s, const char *token, const char *remote, int64_t now,
                        arena *a, app_identity *who, char csrf[STORE_CSRF_LEN + 1]);

/* Ends a session (sign out). Unknown tokens are not an error. */
int auth_sign_out(store *s, const app_identity *who, const char *token, int64_t now);

/* Issues an API token for a person (admins, or the person for themselves);
 * the secret is written to token_out once and never stored. */
int auth_api_token_issue(store *s, const app_identity *who, const char *username,
                         const char *label, int days, int64_t now,
                         char token_out[AUTH_SECRET_TEXT_LEN + 1], app_error *err);

/* Resumes an API token from "Authorization: Bearer <token>". */
int auth_api_token_resume(store *s, const char *token, const char *remote, int64_t now,
                          arena *a, app_identity *who);

/* The two resumes above in two steps, for a caller that reads inside one
 * read transaction (store_read_begin): the lookup only reads, and leaves the
 * write that is due in *upkeep (moving last use to now, at most once a
 * minute; deleting an expired token). auth_upkeep_run makes it, after the
 * read transaction has ended: inside one, SQLite refuses the write when
 * another connection has committed since it began, and otherwise holds the
 * write lock to its end. Best effort, as in the resumes: a failed touch is
 * made by the next request. */
typedef enum { AUTH_UPKEEP_NONE, AUTH_UPKEEP_TOUCH, AUTH_UPKEEP_DELETE } auth_upkeep_kind;
typedef struct {
    auth_upkeep_kind kind;
    unsigned char hash[STORE_TOKEN_HASH_LEN];
} auth_upkeep;

int auth_session_lookup(store *s, const char *token, const char *remote, int64_t now,
                        arena *a, app_identity *who, char csrf[STORE_CSRF_LEN + 1],
                        auth_upkeep *upkeep);
int auth_api_token_lookup(store *s, const char *token, const char *remote, int64_t now,
                          arena *a, app_identity *who, auth_upkeep *upkeep);
void auth_upkeep_run(store *s, const auth_upkeep *upkeep, int64_t now);

/* A new secret (32 random bytes, base64url) and its stored form (BLAKE2b;
 * SH_ENOTFOUND for text that cannot be a secret of ours): for other
 * single-use codes kept only as a hash (family invitations, app/portal.c). */
void auth_secret_new(char out[AUTH_SECRET_TEXT_LEN + 1]);
int auth_secret_hash(const char *secret, unsigned char out[STORE_TOKEN_HASH_LEN]);

/* Constant-time comparison of a submitted CSRF token with the session's. */
bool auth_csrf_ok(const char *submitted, const char *expected);

/* Argon2id verifications run so far by this process. A sign-in with an
 * unknown username verifies against a dummy hash, so it costs what a wrong
 * password costs and its timing does not tell whether the name exists; this
 * count lets a test see that by construction rather than by a stopwatch. */
unsigned long auth_password_checks(void);

#endif
