/*
 * auth.c — accounts, passwords, sign-in, sessions and API tokens (auth.h).
 *
 * Crypto is libsodium's: Argon2id (crypto_pwhash_str, "interactive" limits:
 * about 0.1 s and 64 MiB per hash, which bounds online guessing together with
 * the lockout), randombytes for secrets, BLAKE2b (crypto_generichash) for the
 * stored form of a secret, and constant-time comparison for CSRF tokens.
 *
 * Every state change here and its audit entry are written in one transaction
 * on the caller's connection (audit_record_now): an account change, a
 * sign-in or a lock cannot be stored without its entry, and since each of
 * them writes anyway the entry costs no extra fsync. Callers therefore use
 * these functions outside a transaction of their own.
 *
 * Session use is touched at most once per AUTH_TOUCH_SECONDS rather than on
 * every request: a page view then costs no write, and the idle limit is
 * honoured to within that minute.
 */
#include "app/auth.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "app/access.h"
#include "app/audit.h"
#include "app/auth_common.h"
#include "core/ident.h"
#include "util/err.h"

#define AUTH_USERNAME_MIN 3
#define AUTH_TEXT_MAX 100           /* display name, organisation, token label */
#define AUTH_EMAIL_MAX 254          /* RFC 5321 path limit */
#define AUTH_PASSWORD_BYTES (AUTH_PASSWORD_MAX * 4) /* 128 characters of UTF-8 */
#define AUTH_TOUCH_SECONDS 60       /* last_used is written at most this often */
#define AUTH_SECRET_BYTES 32
#define AUTH_DAY_SECONDS 86400
#define AUTH_WORK_ARENA (64u << 10) /* one account record and its strings */
#define AUTH_REMOTE_MAX 64          /* longest client address kept (IPv6 text is 45) */
#define AUTH_SHOWN_NAME_MAX 64      /* attempted unknown usernames in the audit log */
/* The audit log's area for a failed sign-in by a name that is no account:
 * no real area has LA number 000 (`sendhub audit --la 000` lists them). */
#define AUTH_NO_AREA "000"
#define AUTH_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define AUTH_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(STORE_CSRF_LEN == AUTH_SECRET_TEXT_LEN, "CSRF token is an auth secret");
_Static_assert(STORE_TOKEN_HASH_LEN == crypto_generichash_BYTES, "BLAKE2b-256");
_Static_assert(sizeof((auth_session *)0)->token ==
                   sodium_base64_ENCODED_LEN(AUTH_SECRET_BYTES,
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "secret text is 32 bytes of base64url");

static const char wrong_credentials[] = "The username or password you entered is not correct.";

/* ---- libsodium ---------------------------------------------------------- */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_rc = SH_EIO;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void sodium_start(void)
{
    if (sodium_init() >= 0)
        sodium_rc = SH_OK;
}

/* libsodium is initialised once, whichever thread gets here first. */
static int auth_ready(void)
{
    pthread_once(&sodium_once, sodium_start);
    return sodium_rc;
}

/* A hash of a random secret nobody knows: an unknown username is checked
 * against it so that it costs the same Argon2id time as a wrong password
 * and the response time does not tell which usernames exist. */
static void dummy_start(void)
{
    unsigned char secret[AUTH_SECRET_BYTES];
    randombytes_buf(secret, sizeof secret);
    if (crypto_pwhash_str(dummy_hash, (const char *)secret, sizeof secret, AUTH_OPSLIMIT,
                          AUTH_MEMLIMIT) != 0)
        dummy_hash[0] = '\0'; /* verify then fails at once; only under memory exhaustion */
    sodium_memzero(secret, sizeof secret);
}

static const char *dummy(void)
{
    pthread_once(&dummy_once, dummy_start);
    return dummy_hash;
}

/* Argon2id of a password (already length-checked). SH_ENOMEM when the 64 MiB
 * the hash needs cannot be had. */
static int password_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
    int rc = auth_ready();
    if (rc)
        return rc;
    return crypto_pwhash_str(out, password, strlen(password), AUTH_OPSLIMIT, AUTH_MEMLIMIT)
               ? SH_ENOMEM
               : SH_OK;
}

/* Checks a password of at most AUTH_PASSWORD_BYTES against a stored hash. */
static unsigned long password_checks; /* see auth_password_checks */

unsigned long auth_password_checks(void)
{
    return __atomic_load_n(&password_checks, __ATOMIC_RELAXED);
}

static bool password_matches(const char *hash, const char *password)
{
    __atomic_fetch_add(&password_checks, 1, __ATOMIC_RELAXED);
    size_t n = strnlen(password, AUTH_PASSWORD_BYTES + 1);
    bool ok = crypto_pwhash_str_verify(hash, password, n > AUTH_PASSWORD_BYTES ? 0 : n) == 0;
    return ok && n <= AUTH_PASSWORD_BYTES;
}

/* 32 random bytes as base64url without padding: a cookie, CSRF or API token. */
static void new_secret(char out[AUTH_SECRET_TEXT_LEN + 1])
{
    unsigned char raw[AUTH_SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, AUTH_SECRET_TEXT_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

/* The stored form of a secret: BLAKE2b-256 of its text. Anything that is not
 * 43 base64url characters cannot be one of ours: SH_ENOTFOUND, no lookup. */
static int secret_hash(const char *token, unsigned char out[STORE_TOKEN_HASH_LEN])
{
    if (!token || strnlen(token, AUTH_SECRET_TEXT_LEN + 1) != AUTH_SECRET_TEXT_LEN)
        return SH_ENOTFOUND;
    for (const char *p = token; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return SH_ENOTFOUND;
    int rc = auth_ready();
    if (rc)
        return rc;
    crypto_generichash(out, STORE_TOKEN_HASH_LEN, (const unsigned char *)token,
                       AUTH_SECRET_TEXT_LEN, NULL, 0);
    return SH_OK;
}

void auth_secret_new(char out[AUTH_SECRET_TEXT_LEN + 1])
{
    new_secret(out);
}

int auth_secret_hash(const char *secret, unsigned char out[STORE_TOKEN_HASH_LEN])
{
    return secret_hash(secret, out);
}

/* ---- validation --------------------------------------------------------- */

/* Counts the characters of a UTF-8 string of at most `max_bytes`; SH_EINVAL
 * for broken UTF-8 or control characters, SH_ELIMIT when longer. */
static int text_chars(const char *s, size_t max_bytes, size_t *chars)
{
    if (strnlen(s, max_bytes + 1) > max_bytes)
        return SH_ELIMIT;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
        unsigned c = *p;
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3
                   : (c >> 3) == 0x1e ? 4 : 0;
        if (len == 0 || (len == 1 && (c < 0x20 || c == 0x7f)))
            return SH_EINVAL;
        for (size_t i = 1; i < len; i++)
            if ((p[i] & 0xc0) != 0x80)
                return SH_EINVAL;
        p += len;
    }
    *chars = n;
    return SH_OK;
}

/* Digits, punctuation and spaces: what people add around a word to pass
 * composition rules ("Summer2024!"). */
static bool simple_affix(char c)
{
    return isdigit((unsigned char)c) || ispunct((unsigned char)c) || c == ' ';
}

/* Is the password, or its core without simple affixes, a common one? */
static bool is_common(const char *pw)
{
    size_t lo = 0, hi = strlen(pw);
    while (lo < hi && simple_affix(pw[lo]))
        lo++;
    while (hi > lo && simple_affix(pw[hi - 1]))
        hi--;
    for (size_t i = 0; i < AUTH_COMMON_COUNT; i++) {
        const char *c = auth_common_passwords[i];
        if (strcasecmp(c, pw) == 0 ||
            (hi > lo && strlen(c) == hi - lo && strncasecmp(c, pw + lo, hi - lo) == 0))
            return true;
    }
    return false;
}

static bool one_character_repeated(const char *pw)
{
    for (const char *p = pw; *p; p++)
        if (*p != pw[0])
            return false;
    return true;
}

int auth_password_check(const char *password, const char *username, const char **why)
{
    const char *unused;
    if (!why)
        why = &unused;
    size_t chars = 0;
    int rc = password ? text_chars(password, AUTH_PASSWORD_BYTES, &chars) : SH_EINVAL;
    if (!password || (rc == SH_OK && chars == 0))
        *why = "Enter a password.";
    else if (rc == SH_ELIMIT || chars > AUTH_PASSWORD_MAX)
        *why = "The password must be 128 characters or fewer.";
    else if (rc)
        *why = "The password must not contain line breaks, tabs or other control characters.";
    else if (chars < AUTH_PASSWORD_MIN)
        *why = "The password must be at least 12 characters long; a phrase of three or "
               "four unrelated words is easy to remember.";
    else if (username && strlen(username) >= AUTH_USERNAME_MIN &&
             strcasestr(password, username))
        *why = "The password must not contain your username.";
    else if (one_character_repeated(password) || is_common(password))
        *why = "The password is too common or easy to guess; choose a phrase of unrelated "
               "words.";
    else
        return SH_OK;
    return SH_EINVAL;
}

/* Lower-cases a username into out and checks its form: 3-64 of a-z 0-9 . _ - */
static int username_normalise(const char *in, char out[STORE_USERNAME_MAX + 1],
                              const char **why)
{
    size_t n = in ? strnlen(in, STORE_USERNAME_MAX + 1) : 0;
    *why = NULL;
    if (n < AUTH_USERNAME_MIN)
        *why = "The username must be at least 3 characters.";
    else if (n > STORE_USERNAME_MAX)
        *why = "The username must be 64 characters or fewer.";
    for (size_t i = 0; !*why && i < n; i++) {
        char c = (char)tolower((unsigned char)in[i]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            *why = "The username can only contain letters, numbers, full stops, hyphens "
                   "and underscores.";
        out[i] = c;
    }
    if (*why)
        return SH_EINVAL;
    out[n] = '\0';
    return SH_OK;
}

/* A required (min 1) or optional (min 0) line of text up to AUTH_TEXT_MAX
 * characters. */
static int check_text(const char *field, const char *label, const char *s, size_t min,
                      app_error *err)
{
    size_t chars = 0;
    int rc = s ? text_chars(s, AUTH_TEXT_MAX * 4, &chars) : SH_OK;
    if (rc == SH_EINVAL)
        return app_fail(err, rc, field, "The %s must not contain control characters.", label);
    if (rc || chars > AUTH_TEXT_MAX)
        return app_fail(err, SH_EINVAL, field, "The %s must be %d characters or fewer.", label,
                        AUTH_TEXT_MAX);
    if (chars < min)
        return app_fail(err, SH_EINVAL, field, "Enter the %s.", label);
    return SH_OK;
}

/* An email address in its plain form: one @ with something either side, a
 * dot in the domain, no spaces. Whether it exists is not ours to know. */
static int check_email(const char *email, app_error *err)
{
    if (!email || !*email)
        return SH_OK;
    size_t n = strnlen(email, AUTH_EMAIL_MAX + 1);
    const char *at = strchr(email, '@');
    bool ok = n <= AUTH_EMAIL_MAX && at && at > email && !strchr(at + 1, '@') &&
              strchr(at + 1, '.') && at[1] != '.' && email[n - 1] != '.';
    for (const unsigned char *p = (const unsigned char *)email; ok && *p; p++)
        ok = *p > 0x20 && *p != 0x7f;
    return ok ? SH_OK
              : app_fail(err, SH_EINVAL, "email",
                         "Enter an email address in the correct format, like "
                         "name@example.org.uk.");
}

/* ---- identities and audit ----------------------------------------------- */

/* The identity of an account, its strings pointing into *u (for audit
 * entries written at once). SH_EDENIED for a role no person may hold. */
static int identity_view(const store_user *u, const char *remote, app_identity *who)
{
    int role = access_role_parse(u->role);
    memset(who, 0, sizeof *who);
    who->user_id = u->id;
    who->username = u->username;
    who->role = role;
    memcpy(who->la_code, u->la_code, sizeof who->la_code);
    memcpy(who->setting_urn, u->setting_urn, sizeof who->setting_urn);
    who->remote = remote ? remote : "";
    return role < 0 || role == ROLE_SYSTEM ? SH_EDENIED : SH_OK;
}

/* As identity_view, with username and remote copied into the arena so the
 * identity outlives the store record (the caller's request). */
static int identity_copy(const store_user *u, const char *remote, arena *a,
                         app_identity *who)
{
    int rc = identity_view(u, remote, who);
    if (rc)
        return rc;
    who->username = arena_strdup(a, u->username);
    who->remote = arena_strndup(a, who->remote, strnlen(who->remote, AUTH_REMOTE_MAX));
    return who->username && who->remote ? SH_OK : SH_ENOMEM;
}

/* `who` acting on a record of area `la`: admin entries belong to the area
 * of the account changed, so the system user's entries land in that area's
 * log too. */
static app_identity acting_in(const app_identity *who, const char *la)
{
    app_identity as = *who;
    memcpy(as.la_code, la, sizeof as.la_code);
    as.la_code[STORE_LA_LEN] = '\0';
    return as;
}

/* Commits when everything before succeeded, else rolls back. */
static int tx_end(store *s, int rc)
{
    if (rc) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

/* A store failure as one sentence for a person. */
static int store_failure(int rc, app_error *err)
{
    if (rc == SH_EUNAVAIL)
        return app_fail(err, rc, NULL, "The database is busy or unavailable; try again.");
    if (rc == SH_ENOMEM)
        return app_fail(err, rc, NULL, "There was not enough memory to do this; try again.");
    return app_fail(err, rc, NULL, "The account could not be saved or read (%s).",
                    sh_strerror(rc));
}

/* ---- account administration -------------------------------------------- */

/* May `who` administer the accounts of area `la`? Admins their own area,
 * the system user any. */
static bool may_administer(const app_identity *who, const char *la)
{
    return access_can(who, CAN_MANAGE_PEOPLE) &&
           (who->role == ROLE_SYSTEM || strcmp(who->la_code, la) == 0);
}

static void audit_denied(store *s, const app_identity *who, int64_t user_id,
                         const char *what, int64_t now)
{
    audit_record_now(s, who, "denied", "user", user_id, 0, what, now);
}

/* A person without CAN_MANAGE_PEOPLE tried to: audited, SH_EDENIED. */
static int deny_role(store *s, const app_identity *who, const char *what, int64_t now,
                     app_error *err)
{
    audit_denied(s, who, 0, what, now);
    return app_fail(err, SH_EDENIED, NULL,
                    "Your role (%s) cannot manage other people's accounts.",
                    access_role_label((app_role)who->role));
}

/* The one answer for an account that does not exist and for one outside the
 * administrator's area, so another area's usernames do not leak. */
static int no_account(const char *name, app_error *err)
{
    return app_fail(err, SH_ENOTFOUND, "username", "There is no account called %s.", name);
}

/* Validates a new account into *u (strings pointing into *nu and username). */
static int new_user_fill(const app_identity *who, const auth_new_user *nu,
                         char username[STORE_USERNAME_MAX + 1], store_user *u, app_error *err)
{
    const char *why;
    if (username_normalise(nu->username, username, &why))
        return app_fail(err, SH_EINVAL, "username", "%s", why);
    int rc = check_text("display_name", "name", nu->display_name, 1, err);
    if (rc == SH_OK)
        rc = check_email(nu->email, err);
    if (rc == SH_OK)
        rc = check_text("organisation", "organisation", nu->organisation, 0, err);
    if (rc)
        return rc;
    int role = access_role_parse(nu->role);
    if (role < 0 || role == ROLE_SYSTEM)
        return app_fail(err, SH_EINVAL, "role",
                        "Choose a role: coordinator, manager, health, social_care, setting, "
                        "admin, inspector, parent or forum.");
    const char *la = nu->la_code && *nu->la_code ? nu->la_code : who->la_code;
    if (ident_la_code_validate(la, strlen(la), &why))
        return app_fail(err, SH_EINVAL, "la_code",
                        "The area must be a 3-digit local authority number.");
    const char *urn = nu->setting_urn ? nu->setting_urn : "";
    if (role == ROLE_SETTING && ident_urn_validate(urn, strlen(urn), &why))
        return app_fail(err, SH_EINVAL, "setting_urn",
                        "Enter the URN of the person's school or college (%s).", why);
    /* A forum member's comments on the improvement plan carry the forum's
     * name (app/inspection.h), which is this field. */
    if (role == ROLE_FORUM && !(nu->organisation && *nu->organisation))
        return app_fail(err, SH_EINVAL, "organisation",
                        "Enter the name of the parent carer forum in organisation.");
    if (role != ROLE_SETTING && *urn)
        return app_fail(err, SH_EINVAL, "setting_urn",
                        "Only a school or college account has a setting URN.");
    if (auth_password_check(nu->password, username, &why))
        return app_fail(err, SH_EINVAL, "password", "%s", why);
    *u = (store_user){.username = username, .display_name = nu->display_name,
                      .email = nu->email ? nu->email : "", .role = access_role_name(role),
                      .organisation = nu->organisation ? nu->organisation : ""};
    snprintf(u->la_code, sizeof u->la_code, "%s", la);
    snprintf(u->setting_urn, sizeof u->setting_urn, "%s", urn);
    return SH_OK;
}

/* Inserts the account, its audit entry and what `then` adds in one
 * transaction. */
static int insert_user(store *s, const app_identity *who, store_user *u, int64_t now,
                       auth_user_then then, void *ctx, bool *then_failed, app_error *err)
{
    int rc = store_tx_begin(s);
    if (rc)
        return rc;
    rc = store_user_insert(s, u);
    if (rc == SH_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "added account (%s)", u->role);
        app_identity as = acting_in(who, u->la_code);
        rc = audit_record_now(s, &as, "admin", "user", u->id, 0, detail, now);
    }
    if (rc == SH_OK && then) {
        rc = then(s, u, ctx, err);
        *then_failed = rc != SH_OK;
    }
    return tx_end(s, rc);
}

int auth_user_add(store *s, const app_identity *who, const auth_new_user *nu, int64_t now,
                  store_user *out, app_error *err)
{
    return auth_user_add_then(s, who, nu, now, NULL, NULL, out, err);
}

int auth_user_add_then(store *s, const app_identity *who, const auth_new_user *nu,
                       int64_t now, auth_user_then then, void *ctx, store_user *out,
                       app_error *err)
{
    if (!access_can(who, CAN_MANAGE_PEOPLE))
        return deny_role(s, who, "add account", now, err);
    char username[STORE_USERNAME_MAX + 1];
    store_user u;
    int rc = new_user_fill(who, nu, username, &u, err);
    if (rc)
        return rc;
    if (!may_administer(who, u.la_code)) {
        app_identity as = acting_in(who, u.la_code);
        audit_denied(s, &as, 0, "add account", now);
        return app_fail(err, SH_EDENIED, "la_code",
                        "You can only add accounts in your own area (%s).", who->la_code);
    }
    char hash[crypto_pwhash_STRBYTES];
    bool then_failed = false;
    rc = password_hash(nu->password, hash); /* before the write lock: it takes 0.1 s */
    if (rc == SH_OK) {
        u.password_hash = hash;
        rc = insert_user(s, who, &u, now, then, ctx, &then_failed, err);
    }
    sodium_memzero(hash, sizeof hash);
    if (then_failed)
        return rc; /* `then` said why */
    if (rc == SH_ECONFLICT)
        return app_fail(err, rc, "username", "An account called %s already exists.",
                        username);
    if (rc)
        return store_failure(rc, err);
    if (out) {
        *out = u;
        out->username = nu->username; /* as given; stored lower case */
        out->password_hash = "";
    }
    return SH_OK;
}

/* Work on one existing account named by an administrator. */
typedef struct {
    arena *a;
    store_user u;
    app_identity as; /* the administrator, acting in the account's area */
} admin_target;

/* Loads the named account for `who` to act on (t->as: who, acting in the
 * account's area). The caller destroys t->a whatever happens. */
static int target_load(store *s, const app_identity *who, const char *username,
                       admin_target *t, app_error *err)
{
    char name[STORE_USERNAME_MAX + 1];
    const char *why;
    t->a = NULL;
    if (username_normalise(username, name, &why))
        return app_fail(err, SH_EINVAL, "username", "%s", why);
    t->a = arena_create(AUTH_WORK_ARENA);
    if (!t->a)
        return store_failure(SH_ENOMEM, err);
    int rc = store_user_by_name(s, name, t->a, &t->u);
    if (rc == SH_ENOTFOUND)
        return no_account(name, err);
    if (rc)
        return store_failure(rc, err);
    t->as = acting_in(who, t->u.la_code);
    return SH_OK;
}

/* Loads an account an administrator names and checks they may administer
 * it: an account of another area is "not found" for an admin (audited as a
 * denial). The caller destroys t->a whatever happens. */
static int admin_target_get(store *s, const app_identity *who, const char *username,
                            const char *what, int64_t now, admin_target *t, app_error *err)
{
    t->a = NULL;
    if (!access_can(who, CAN_MANAGE_PEOPLE))
        return deny_role(s, who, what, now, err);
    int rc = target_load(s, who, username, t, err);
    if (rc == SH_OK && !may_administer(who, t->u.la_code)) {
        audit_denied(s, who, t->u.id, what, now);
        return no_account(t->u.username, err);
    }
    return rc;
}

/* Ends every session and token of the account and writes the audit entry;
 * inside the caller's transaction. */
static int end_sessions_and_audit(store *s, const admin_target *t, const char *detail,
                                  int64_t now)
{
    int rc = store_token_delete_user(s, t->u.id);
    if (rc == SH_ENOTFOUND)
        rc = SH_OK; /* had none */
    return rc ? rc : audit_record_now(s, &t->as, "admin", "user", t->u.id, 0, detail, now);
}

int auth_user_set_disabled(store *s, const app_identity *who, const char *username,
                           bool disabled, int64_t now, app_error *err)
{
    const char *what = disabled ? "disabled account" : "enabled account";
    admin_target t;
    int rc = admin_target_get(s, who, username, what, now, &t, err);
    if (rc == SH_OK && disabled && t.u.id == who->user_id)
        rc = app_fail(err, SH_EINVAL, "username",
                      "You cannot disable your own account; ask another administrator.");
    if (rc == SH_OK) {
        rc = store_tx_begin(s);
        if (rc == SH_OK) {
            rc = store_user_set_disabled(s, t.u.id, disabled);
            if (rc == SH_OK && disabled)
                rc = end_sessions_and_audit(s, &t, what, now);
            else if (rc == SH_OK)
                rc = audit_record_now(s, &t.as, "admin", "user", t.u.id, 0, what, now);
            rc = tx_end(s, rc);
        }
        if (rc)
            rc = store_failure(rc, err);
    }
    arena_destroy(t.a);
    return rc;
}

int auth_user_reset_password(store *s, const app_identity *who, const char *username,
                             const char *password, int64_t now, app_error *err)
{
    admin_target t;
    char hash[crypto_pwhash_STRBYTES] = "";
    const char *why;
    int rc = admin_target_get(s, who, username, "reset password", now, &t, err);
    if (rc == SH_OK && auth_password_check(password, t.u.username, &why))
        rc = app_fail(err, SH_EINVAL, "password", "%s", why);
    if (rc == SH_OK) {
        rc = password_hash(password, hash);
        if (rc == SH_OK)
            rc = store_tx_begin(s);
        if (rc == SH_OK) {
            rc = store_user_set_password(s, t.u.id, hash);
            if (rc == SH_OK)
                rc = end_sessions_and_audit(s, &t, "reset password", now);
            rc = tx_end(s, rc);
        }
        if (rc)
            rc = store_failure(rc, err);
    }
    sodium_memzero(hash, sizeof hash);
    arena_destroy(t.a);
    return rc;
}

/* ---- sign-in ------------------------------------------------------------ */

/* An unknown username: the same Argon2id work as a wrong password, then the
 * audit entry (the attempted name, made printable and cut short, in the
 * detail; never the password) and the one message for both. */
static int refuse_unknown(store *s, const char *username, const char *password,
                          const char *remote, int64_t now, app_error *err)
{
    (void)password_matches(dummy(), password);
    char shown[AUTH_SHOWN_NAME_MAX + 1];
    size_t n = 0;
    for (const char *p = username; *p && n < AUTH_SHOWN_NAME_MAX; p++)
        shown[n++] = isprint((unsigned char)*p) ? *p : '?';
    shown[n] = '\0';
    char detail[AUTH_SHOWN_NAME_MAX + 32];
    snprintf(detail, sizeof detail, "unknown username: %s", shown);
    app_identity nobody = {.username = "", .role = -1, .la_code = AUTH_NO_AREA,
                           .remote = remote ? remote : ""};
    audit_record_now(s, &nobody, "sign_in_failed", "session", 0, 0, detail, now);
    return app_fail(err, SH_EINVAL, NULL, "%s", wrong_credentials);
}

/* A wrong password: one more failure, and the lock once there have been
 * AUTH_MAX_FAILURES in a row. The count is re-read inside the write
 * transaction so concurrent attempts cannot slip past the limit. */
static int record_failure(store *s, const store_user *u, const app_identity *view,
                          int64_t now, arena *a, app_error *err)
{
    int rc = store_tx_begin(s);
    if (rc)
        return store_failure(rc, err);
    store_user fresh;
    rc = store_user_by_id(s, u->id, a, &fresh);
    int64_t lock = 0;
    if (rc == SH_OK && fresh.failed_sign_ins + 1 >= AUTH_MAX_FAILURES)
        lock = now + AUTH_LOCK_SECONDS;
    if (rc == SH_OK)
        rc = store_user_sign_in_result(s, u->id, false, now, lock);
    if (rc == SH_OK)
        rc = audit_record_now(s, view, "sign_in_failed", "session", 0, 0,
                              lock ? "wrong password; account locked" : "wrong password", now);
    rc = tx_end(s, rc);
    if (rc)
        return store_failure(rc, err);
    return app_fail(err, SH_EINVAL, NULL, "%s", wrong_credentials);
}

/* A refusal that needs no state change (locked, disabled, no valid role).
 * Here and for unknown names, a failed audit write does not change the
 * answer: the attempt is refused either way. */
static int refuse(store *s, const app_identity *view, const char *detail, int64_t now,
                  const char *message, app_error *err)
{
    audit_record_now(s, view, "sign_in_failed", "session", 0, 0, detail, now);
    return app_fail(err, SH_EDENIED, NULL, "%s", message);
}

/* The right password: clears the failures, stores a new hash when the
 * Argon2id parameters have been raised since it was made, creates the
 * session and audits the sign-in, all in one transaction. */
static int open_session(store *s, const store_user *u, const char *password,
                        const app_identity *view, int64_t now, auth_session *out,
                        app_error *err)
{
    char rehash[crypto_pwhash_STRBYTES] = "";
    int rc = SH_OK;
    if (crypto_pwhash_str_needs_rehash(u->password_hash, AUTH_OPSLIMIT, AUTH_MEMLIMIT))
        rc = password_hash(password, rehash);
    unsigned char h[STORE_TOKEN_HASH_LEN];
    new_secret(out->token);
    new_secret(out->csrf);
    out->expires_at = now + AUTH_ABSOLUTE_SECONDS;
    store_token t = {.user_id = u->id, .kind = STORE_TOKEN_SESSION, .label = "",
                     .created_at = now, .last_used = now, .expires_at = out->expires_at};
    memcpy(t.csrf, out->csrf, sizeof t.csrf);
    if (rc == SH_OK)
        rc = secret_hash(out->token, h);
    if (rc == SH_OK)
        rc = store_tx_begin(s);
    if (rc == SH_OK) {
        rc = store_user_sign_in_result(s, u->id, true, now, 0);
        if (rc == SH_OK && rehash[0])
            rc = store_user_set_password(s, u->id, rehash);
        if (rc == SH_OK)
            rc = store_token_insert(s, h, &t);
        if (rc == SH_OK)
            rc = audit_record_now(s, view, "sign_in", "session", 0, 0, "", now);
        rc = tx_end(s, rc);
    }
    sodium_memzero(rehash, sizeof rehash);
    if (rc) {
        sodium_memzero(out, sizeof *out);
        return store_failure(rc, err);
    }
    return SH_OK;
}

/* Checks the account's state and the password; SH_OK when the person may
 * have a session. Locked accounts are refused before the password is
 * looked at, so guessing during the lock learns nothing and costs nothing. */
static int check_sign_in(store *s, const store_user *u, const char *password,
                         const app_identity *view, bool role_ok, int64_t now, arena *a,
                         app_error *err)
{
    if (u->locked_until > now) {
        long long minutes = (long long)((u->locked_until - now + 59) / 60);
        char message[160];
        snprintf(message, sizeof message,
                 "This account is locked after too many failed sign-ins. Try again in %lld "
                 "minute%s.",
                 minutes, minutes == 1 ? "" : "s");
        return refuse(s, view, "account locked", now, message, err);
    }
    if (!password_matches(u->password_hash, password))
        return record_failure(s, u, view, now, a, err);
    if (u->disabled)
        return refuse(s, view, "account disabled", now,
                      "This account has been disabled. Ask your administrator if you still "
                      "need access.",
                      err);
    if (!role_ok)
        return refuse(s, view, "account has no valid role", now,
                      "This account cannot sign in here. Ask your administrator.", err);
    return SH_OK;
}

int auth_sign_in(store *s, const char *username, const char *password, const char *remote,
                 int64_t now, arena *a, auth_session *out, app_identity *who,
                 app_error *err)
{
    int rc = auth_ready();
    if (rc)
        return app_fail(err, rc, NULL, "Sign-in is unavailable (%s).", sh_strerror(rc));
    memset(out, 0, sizeof *out);
    username = username ? username : "";
    password = password ? password : "";
    char name[STORE_USERNAME_MAX + 1];
    const char *why;
    store_user u;
    rc = username_normalise(username, name, &why) ? SH_ENOTFOUND
                                                   : store_user_by_name(s, name, a, &u);
    if (rc == SH_ENOTFOUND)
        return refuse_unknown(s, username, password, remote, now, err);
    if (rc)
        return store_failure(rc, err);
    app_identity view;
    bool role_ok = identity_view(&u, remote, &view) == SH_OK;
    rc = check_sign_in(s, &u, password, &view, role_ok, now, a, err);
    if (rc == SH_OK && identity_copy(&u, remote, a, who) != SH_OK)
        rc = store_failure(SH_ENOMEM, err);
    if (rc == SH_OK)
        rc = open_session(s, &u, password, &view, now, out, err);
    return rc;
}

/* ---- sessions and API tokens ------------------------------------------- */

static bool token_expired(const store_token *t, int64_t now)
{
    return t->expires_at <= now ||
           (t->kind == STORE_TOKEN_SESSION && t->last_used + AUTH_IDLE_SECONDS <= now);
}

/* Shared by sessions and API tokens: finds the live token of that kind and
 * its person, and notes the write that is due (an expired token is deleted
 * on sight; use is touched at most every AUTH_TOUCH_SECONDS). Reads only. */
static int token_lookup(store *s, const char *token, store_token_kind kind,
                        const char *remote, int64_t now, arena *a, app_identity *who,
                        store_token *t, auth_upkeep *upkeep)
{
    upkeep->kind = AUTH_UPKEEP_NONE;
    int rc = secret_hash(token, upkeep->hash);
    store_user u;
    if (rc == SH_OK)
        rc = store_token_get(s, upkeep->hash, a, t, &u);
    if (rc)
        return rc;
    if (t->kind != kind)
        return SH_ENOTFOUND;
    if (token_expired(t, now)) {
        upkeep->kind = AUTH_UPKEEP_DELETE;
        return SH_ENOTFOUND;
    }
    if (u.disabled)
        return SH_ENOTFOUND;
    rc = identity_copy(&u, remote, a, who);
    if (rc)
        return rc == SH_EDENIED ? SH_ENOTFOUND : rc;
    if (now - t->last_used >= AUTH_TOUCH_SECONDS)
        upkeep->kind = AUTH_UPKEEP_TOUCH;
    return SH_OK;
}

/* The write is best effort: when it fails (database busy) the request
 * still goes ahead, and the next one touches or deletes instead. */
void auth_upkeep_run(store *s, const auth_upkeep *upkeep, int64_t now)
{
    if (upkeep->kind == AUTH_UPKEEP_TOUCH)
        store_token_touch(s, upkeep->hash, now);
    else if (upkeep->kind == AUTH_UPKEEP_DELETE)
        store_token_delete(s, upkeep->hash);
}

int auth_session_lookup(store *s, const char *token, const char *remote, int64_t now,
                        arena *a, app_identity *who, char csrf[STORE_CSRF_LEN + 1],
                        auth_upkeep *upkeep)
{
    store_token t;
    int rc = token_lookup(s, token, STORE_TOKEN_SESSION, remote, now, a, who, &t, upkeep);
    if (rc == SH_OK)
        memcpy(csrf, t.csrf, STORE_CSRF_LEN + 1);
    return rc;
}

int auth_api_token_lookup(store *s, const char *token, const char *remote, int64_t now,
                          arena *a, app_identity *who, auth_upkeep *upkeep)
{
    store_token t;
    return token_lookup(s, token, STORE_TOKEN_API, remote, now, a, who, &t, upkeep);
}

int auth_session_resume(store *s, const char *token, const char *remote, int64_t now,
                        arena *a, app_identity *who, char csrf[STORE_CSRF_LEN + 1])
{
    auth_upkeep upkeep;
    int rc = auth_session_lookup(s, token, remote, now, a, who, csrf, &upkeep);
    auth_upkeep_run(s, &upkeep, now);
    return rc;
}

int auth_api_token_resume(store *s, const char *token, const char *remote, int64_t now,
                          arena *a, app_identity *who)
{
    auth_upkeep upkeep;
    int rc = auth_api_token_lookup(s, token, remote, now, a, who, &upkeep);
    auth_upkeep_run(s, &upkeep, now);
    return rc;
}

int auth_sign_out(store *s, const app_identity *who, const char *token, int64_t now)
{
    unsigned char h[STORE_TOKEN_HASH_LEN];
    if (secret_hash(token, h) != SH_OK)
        return SH_OK; /* not one of ours: nothing to end */
    int rc = store_tx_begin(s);
    if (rc)
        return rc;
    rc = store_token_delete(s, h);
    if (rc == SH_ENOTFOUND)
        rc = SH_OK;
    if (rc == SH_OK && who)
        rc = audit_record_now(s, who, "sign_out", "session", 0, 0, "", now);
    return tx_end(s, rc);
}

/* Stores a new API token and audits its issue in one transaction. */
static int insert_api_token(store *s, const admin_target *t, const char *label, int days,
                            int64_t now, char token_out[AUTH_SECRET_TEXT_LEN + 1])
{
    unsigned char h[STORE_TOKEN_HASH_LEN];
    new_secret(token_out);
    int rc = secret_hash(token_out, h);
    store_token tok = {.user_id = t->u.id, .kind = STORE_TOKEN_API, .label = label,
                       .created_at = now, .last_used = now,
                       .expires_at = now + (int64_t)days * AUTH_DAY_SECONDS};
    char detail[AUTH_TEXT_MAX * 4 + 32];
    snprintf(detail, sizeof detail, "issued API token: %s", label);
    if (rc == SH_OK)
        rc = store_tx_begin(s);
    if (rc)
        return rc;
    rc = store_token_insert(s, h, &tok);
    if (rc == SH_OK)
        rc = audit_record_now(s, &t->as, "admin", "user", t->u.id, 0, detail, now);
    return tx_end(s, rc);
}

int auth_api_token_issue(store *s, const app_identity *who, const char *username,
                         const char *label, int days, int64_t now,
                         char token_out[AUTH_SECRET_TEXT_LEN + 1], app_error *err)
{
    memset(token_out, 0, AUTH_SECRET_TEXT_LEN + 1);
    int rc = check_text("label", "label", label, 1, err);
    if (rc == SH_OK && (days < 1 || days > AUTH_API_TOKEN_DAYS_MAX))
        rc = app_fail(err, SH_EINVAL, "days", "A token lasts between 1 and %d days.",
                      AUTH_API_TOKEN_DAYS_MAX);
    if (rc)
        return rc;
    /* people may issue tokens for themselves; for anyone else it takes an
     * administrator of that person's area */
    bool self = who->user_id != 0 && who->username && username &&
                strcasecmp(who->username, username) == 0;
    admin_target t;
    rc = self ? target_load(s, who, username, &t, err)
              : admin_target_get(s, who, username, "issue API token", now, &t, err);
    if (rc == SH_OK && self && t.u.id != who->user_id)
        rc = no_account(t.u.username, err); /* a stale identity: never another's */
    if (rc == SH_OK && t.u.disabled)
        rc = app_fail(err, SH_EINVAL, "username", "The account %s is disabled.",
                      t.u.username);
    if (rc == SH_OK) {
        rc = insert_api_token(s, &t, label, days, now, token_out);
        if (rc) {
            sodium_memzero(token_out, AUTH_SECRET_TEXT_LEN + 1);
            rc = store_failure(rc, err);
        }
    }
    arena_destroy(t.a);
    return rc;
}

bool auth_csrf_ok(const char *submitted, const char *expected)
{
    if (!submitted || !expected)
        return false;
    size_t n = strnlen(expected, STORE_CSRF_LEN + 1);
    if (n != STORE_CSRF_LEN || strnlen(submitted, STORE_CSRF_LEN + 1) != n)
        return false;
    return sodium_memcmp(submitted, expected, n) == 0;
}
