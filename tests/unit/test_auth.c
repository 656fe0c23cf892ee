/*
 * test_auth.c — accounts, the password policy, sign-in with lockout,
 * sessions, API tokens, CSRF, who may administer accounts, and the audit
 * entry every outcome leaves.
 *
 * Argon2id at the "interactive" limits costs ~0.1 s a hash, so test accounts
 * are inserted directly with one hash made once for the whole run; only the
 * tests about adding accounts and resetting passwords hash anew. Time is
 * passed in (`now`), never read, so lock and expiry rules are exact.
 *
 * Each test gets a fresh, migrated SQLite database in /tmp. All data is
 * synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "app/access.h"
#include "app/auth.h"
#include "app/auth_common.h"
#include "app/demo.h"
#include "store/store.h"
#include "util/err.h"
#include "testdb.h"

#define ARENA_LIMIT (16u << 20)
#define T0 1795000000 /* a fixed "now": Nov 2026 */
#define GOOD "copper-kettle-harbour-19"
#define BAD "copper-kettle-harbour-18"

static char good_hash[crypto_pwhash_STRBYTES];

typedef struct {
    char path[TESTDB_URL_MAX]; /* the test's database (testdb.h) */
    store *s;
    arena *a;
} fixture;

static const app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .remote = ""};

static int group_setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    return crypto_pwhash_str(good_hash, GOOD, strlen(GOOD),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *url = testdb_url();
    if (!url) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s", url);
    f->a = arena_create(ARENA_LIMIT);
    if (!f->a || store_open(f->path, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    arena_destroy(f->a);
    testdb_drop(f->path);
    free(f);
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

/* An account with password GOOD, inserted directly (no new hash). */
static int64_t user_put(fixture *f, const char *username, app_role role, const char *la)
{
    store_user u = {.username = username, .display_name = "Test Person", .email = "",
                    .role = access_role_name(role), .organisation = "",
                    .password_hash = good_hash};
    memcpy(u.la_code, la, STORE_LA_LEN + 1);
    if (role == ROLE_SETTING)
        memcpy(u.setting_urn, "990012", sizeof "990012");
    assert_int_equal(store_user_insert(f->s, &u), SH_OK);
    return u.id;
}

static store_user user_get(fixture *f, const char *username)
{
    store_user u;
    assert_int_equal(store_user_by_name(f->s, username, f->a, &u), SH_OK);
    return u;
}

/* The identity of an account, as a session would give it. */
static app_identity as(fixture *f, const char *username)
{
    store_user u = user_get(f, username);
    app_identity who = {.user_id = u.id, .username = u.username,
                        .role = access_role_parse(u.role), .remote = "192.0.2.1"};
    memcpy(who.la_code, u.la_code, sizeof who.la_code);
    memcpy(who.setting_urn, u.setting_urn, sizeof who.setting_urn);
    return who;
}

/* Audit entries of area `la` with this action (and user, when not NULL)
 * whose detail contains `detail` (any when NULL). */
static size_t audited(fixture *f, const char *la, const char *action, const char *username,
                      const char *detail)
{
    store_audit_query q = {.la_code = la, .action = action, .username = username,
                           .limit = STORE_PAGE_MAX};
    store_audit *out;
    size_t n = 0, total = 0, hits = 0;
    assert_int_equal(store_audit_find(f->s, &q, f->a, &out, &n, &total), SH_OK);
    for (size_t i = 0; i < n; i++)
        if (!detail || strstr(out[i].detail, detail))
            hits++;
    return hits;
}

static int sign_in(fixture *f, const char *username, const char *password, int64_t now,
                   auth_session *sess, app_error *err)
{
    app_identity who;
    return auth_sign_in(f->s, username, password, "192.0.2.1", now, f->a, sess, &who, err);
}

static int resume(fixture *f, const auth_session *sess, int64_t now)
{
    app_identity who;
    char csrf[STORE_CSRF_LEN + 1];
    return auth_session_resume(f->s, sess->token, "192.0.2.1", now, f->a, &who, csrf);
}

static void token_hash(const char *token, unsigned char h[STORE_TOKEN_HASH_LEN])
{
    crypto_generichash(h, STORE_TOKEN_HASH_LEN, (const unsigned char *)token, strlen(token),
                       NULL, 0);
}

/* ---- the password policy ------------------------------------------------- */

static void refused(const char *password, const char *username)
{
    const char *why = NULL;
    if (auth_password_check(password, username, &why) != SH_EINVAL)
        fail_msg("accepted: \"%s\"", password ? password : "(null)");
    assert_non_null(why);
}

static void accepted(const char *password, const char *username)
{
    const char *why = NULL;
    if (auth_password_check(password, username, &why) != SH_OK)
        fail_msg("refused: \"%s\": %s", password, why);
}

static void test_password_policy(void **state)
{
    (void)state;
    refused(NULL, "a.patel");
    refused("", "a.patel");
    refused("short", "a.patel");
    refused("elevenchars", "a.patel");                  /* 11 */
    accepted("twelve chars", "a.patel");                /* 12 */
    accepted("copper-kettle-harbour-19", "a.patel");
    accepted(DEMO_PASSWORD, "m.manager");
    accepted("crème brûlée à la mode", "a.patel");
    refused("ééééééé ààà", "a.patel");                  /* 11 characters, 21 bytes */
    refused("my name is A.PATEL ok", "a.patel");        /* contains the username */
    accepted("my name is a.pate ok", "a.patel");
    refused("aaaaaaaaaaaaaaaa", "a.patel");             /* one character repeated */
    refused("tab\tinside a password", "a.patel");       /* control character */
    refused("broken \xff utf-8 text", "a.patel");
    /* common passwords, and common words with simple affixes */
    refused("password123456", "a.patel");
    refused("Password123456", "a.patel");
    refused("qwertyuiop123", "a.patel");
    refused("iloveyou1234", "a.patel");
    refused("Summer2024!!!", "a.patel");
    refused("letmein12345", "a.patel");
    refused("!!Liverpool1892", "a.patel");
    refused("correct horse battery staple", "a.patel");
    refused("123456789012", "a.patel");
    char longest[AUTH_PASSWORD_MAX + 2];
    for (int i = 0; i < AUTH_PASSWORD_MAX + 1; i++)
        longest[i] = (char)('a' + i % 26);
    longest[AUTH_PASSWORD_MAX + 1] = '\0';
    refused(longest, "a.patel");                        /* 129 */
    longest[AUTH_PASSWORD_MAX] = '\0';
    accepted(longest, "a.patel");                       /* 128 */
    assert_int_equal(auth_password_check("short", NULL, NULL), SH_EINVAL);
}

/* The compiled-in list: lower case (it is compared case-insensitively
 * against lower-cased input) and without repeats. */
static void test_common_list_well_formed(void **state)
{
    (void)state;
    assert_true(AUTH_COMMON_COUNT >= 300);
    for (size_t i = 0; i < AUTH_COMMON_COUNT; i++) {
        for (const char *p = auth_common_passwords[i]; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
        for (size_t j = i + 1; j < AUTH_COMMON_COUNT; j++)
            if (strcmp(auth_common_passwords[i], auth_common_passwords[j]) == 0)
                fail_msg("listed twice: %s", auth_common_passwords[i]);
    }
}

/* ---- accounts ------------------------------------------------------------ */

static void test_user_add_hashes_and_audits(void **state)
{
    fixture *f = *state;
    auth_new_user nu = {.username = "New.Person", .display_name = "New Person",
                        .email = "new.person@example.org.uk", .role = "coordinator",
                        .la_code = "990", .password = GOOD};
    app_error err;
    store_user out;
    assert_int_equal(auth_user_add(f->s, &sys, &nu, T0, &out, &err), SH_OK);
    assert_true(out.id > 0);
    store_user u = user_get(f, "new.person"); /* stored lower case */
    assert_int_equal(u.id, out.id);
    assert_string_equal(u.la_code, "990");
    assert_string_equal(u.role, "coordinator");
    assert_int_equal(strncmp(u.password_hash, "$argon2id$", 10), 0);
    assert_int_equal(crypto_pwhash_str_verify(u.password_hash, GOOD, strlen(GOOD)), 0);
    assert_int_equal(crypto_pwhash_str_needs_rehash(u.password_hash,
                                                    crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                    crypto_pwhash_MEMLIMIT_INTERACTIVE),
                     0);
    assert_int_equal(audited(f, "990", "admin", "system", "added account (coordinator)"), 1);
    /* the same name again, in any case */
    nu.username = "NEW.person";
    assert_int_equal(auth_user_add(f->s, &sys, &nu, T0, NULL, &err), SH_ECONFLICT);
    assert_string_equal(err.field, "username");
}

/* Each invalid field is named; none of these costs a hash. */
static void test_user_add_validation(void **state)
{
    fixture *f = *state;
    static const struct {
        auth_new_user nu;
        const char *field;
    } cases[] = {
        {{"ab", "Name", NULL, "coordinator", "990", NULL, NULL, GOOD}, "username"},
        {{"has space", "Name", NULL, "coordinator", "990", NULL, NULL, GOOD}, "username"},
        {{"x<script>", "Name", NULL, "coordinator", "990", NULL, NULL, GOOD}, "username"},
        {{"ok.name", "", NULL, "coordinator", "990", NULL, NULL, GOOD}, "display_name"},
        {{"ok.name", "Line\nbreak", NULL, "coordinator", "990", NULL, NULL, GOOD},
         "display_name"},
        {{"ok.name", "Name", "not-an-address", "coordinator", "990", NULL, NULL, GOOD},
         "email"},
        {{"ok.name", "Name", NULL, "wizard", "990", NULL, NULL, GOOD}, "role"},
        {{"ok.name", "Name", NULL, "system", "990", NULL, NULL, GOOD}, "role"},
        {{"ok.name", "Name", NULL, "coordinator", "99", NULL, NULL, GOOD}, "la_code"},
        {{"ok.name", "Name", NULL, "coordinator", NULL, NULL, NULL, GOOD}, "la_code"},
        {{"ok.name", "Name", NULL, "setting", "990", NULL, NULL, GOOD}, "setting_urn"},
        {{"ok.name", "Name", NULL, "coordinator", "990", NULL, "990012", GOOD}, "setting_urn"},
        {{"ok.name", "Name", NULL, "coordinator", "990", NULL, NULL, "short"}, "password"},
        {{"ok.name", "Name", NULL, "coordinator", "990", NULL, NULL, "ok.name is my name"},
         "password"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        app_error err = {0};
        assert_int_equal(auth_user_add(f->s, &sys, &cases[i].nu, T0, NULL, &err), SH_EINVAL);
        if (!err.field || strcmp(err.field, cases[i].field) != 0)
            fail_msg("case %zu: field %s, expected %s", i, err.field ? err.field : "(none)",
                     cases[i].field);
        assert_true(strlen(err.message) > 0);
    }
    store_user u;
    assert_int_equal(store_user_by_name(f->s, "ok.name", f->a, &u), SH_ENOTFOUND);
}

/* ---- sign-in ------------------------------------------------------------- */

static void test_sign_in_success(void **state)
{
    fixture *f = *state;
    int64_t id = user_put(f, "s.school", ROLE_SETTING, "990");
    auth_session sess;
    app_identity who;
    app_error err;
    assert_int_equal(auth_sign_in(f->s, "S.School", GOOD, "192.0.2.1", T0, f->a, &sess, &who,
                                  &err),
                     SH_OK);
    assert_int_equal(strlen(sess.token), AUTH_SECRET_TEXT_LEN);
    assert_int_equal(strlen(sess.csrf), STORE_CSRF_LEN);
    assert_string_not_equal(sess.token, sess.csrf);
    assert_int_equal(sess.expires_at, T0 + AUTH_ABSOLUTE_SECONDS);
    assert_int_equal(who.user_id, id);
    assert_string_equal(who.username, "s.school");
    assert_int_equal(who.role, ROLE_SETTING);
    assert_string_equal(who.la_code, "990");
    assert_string_equal(who.setting_urn, "990012");
    assert_string_equal(who.remote, "192.0.2.1");
    store_user u = user_get(f, "s.school");
    assert_int_equal(u.last_sign_in, T0);
    assert_int_equal(u.failed_sign_ins, 0);
    /* only the hash of the secret is stored */
    unsigned char h[STORE_TOKEN_HASH_LEN];
    token_hash(sess.token, h);
    store_token t;
    store_user tu;
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &tu), SH_OK);
    assert_int_equal(t.kind, STORE_TOKEN_SESSION);
    assert_string_equal(t.csrf, sess.csrf);
    assert_int_equal(t.user_id, id);
    assert_int_equal(audited(f, "990", "sign_in", "s.school", NULL), 1);
}

/* A wrong password and an unknown username get the same answer, at the
 * same cost: each runs exactly one Argon2id verification (an unknown name
 * is checked against a dummy hash). */
static void test_wrong_password_and_unknown_user_alike(void **state)
{
    fixture *f = *state;
    user_put(f, "c.one", ROLE_COORDINATOR, "990");
    auth_session sess;
    app_error wrong, unknown, odd;
    unsigned long checks = auth_password_checks();
    assert_int_equal(sign_in(f, "c.one", BAD, T0, &sess, &wrong), SH_EINVAL);
    assert_int_equal(auth_password_checks() - checks, 1);
    assert_int_equal(sign_in(f, "nobody.here", GOOD, T0, &sess, &unknown), SH_EINVAL);
    assert_int_equal(auth_password_checks() - checks, 2);
    assert_int_equal(sign_in(f, "<b>\x01odd", GOOD, T0, &sess, &odd), SH_EINVAL);
    assert_string_equal(wrong.message, unknown.message);
    assert_string_equal(wrong.message, odd.message);
    assert_null(wrong.field);
    assert_true(sess.token[0] == '\0');
    assert_int_equal(user_get(f, "c.one").failed_sign_ins, 1);
    assert_int_equal(audited(f, "990", "sign_in_failed", "c.one", "wrong password"), 1);
    /* unknown names: area 000, no username, the attempt (never the password) in the detail */
    assert_int_equal(audited(f, "000", "sign_in_failed", NULL, "unknown username: nobody.here"),
                     1);
    assert_int_equal(audited(f, "000", "sign_in_failed", NULL, "<b>?odd"), 1);
    assert_int_equal(audited(f, "000", "sign_in_failed", NULL, GOOD), 0);
}

/* AUTH_MAX_FAILURES wrong passwords lock the account for AUTH_LOCK_SECONDS:
 * even the right password is refused, then accepted once the lock ends. */
static void test_lockout(void **state)
{
    fixture *f = *state;
    user_put(f, "c.one", ROLE_COORDINATOR, "990");
    auth_session sess;
    app_error err;
    for (int i = 0; i < AUTH_MAX_FAILURES; i++)
        assert_int_equal(sign_in(f, "c.one", BAD, T0 + i, &sess, &err), SH_EINVAL);
    int64_t last = T0 + AUTH_MAX_FAILURES - 1;
    store_user u = user_get(f, "c.one");
    assert_int_equal(u.failed_sign_ins, AUTH_MAX_FAILURES);
    assert_int_equal(u.locked_until, last + AUTH_LOCK_SECONDS);
    assert_int_equal(audited(f, "990", "sign_in_failed", "c.one", "account locked"), 1);

    assert_int_equal(sign_in(f, "c.one", GOOD, last + 6, &sess, &err), SH_EDENIED);
    assert_non_null(strstr(err.message, "15 minutes"));
    assert_int_equal(sign_in(f, "c.one", GOOD, last + AUTH_LOCK_SECONDS - 30, &sess, &err),
                     SH_EDENIED);
    assert_non_null(strstr(err.message, "1 minute."));
    /* refused attempts while locked do not count or extend the lock */
    u = user_get(f, "c.one");
    assert_int_equal(u.failed_sign_ins, AUTH_MAX_FAILURES);
    assert_int_equal(u.locked_until, last + AUTH_LOCK_SECONDS);
    assert_int_equal(audited(f, "990", "sign_in_failed", "c.one", "account locked"), 3);

    assert_int_equal(sign_in(f, "c.one", GOOD, last + AUTH_LOCK_SECONDS, &sess, &err), SH_OK);
    u = user_get(f, "c.one");
    assert_int_equal(u.failed_sign_ins, 0);
    assert_true(u.locked_until <= last + AUTH_LOCK_SECONDS); /* over */
}

/* After a lock ends without a success, the next failure locks again. */
static void test_failure_after_lock_relocks(void **state)
{
    fixture *f = *state;
    user_put(f, "c.two", ROLE_COORDINATOR, "990");
    auth_session sess;
    app_error err;
    for (int i = 0; i < AUTH_MAX_FAILURES; i++)
        assert_int_equal(sign_in(f, "c.two", BAD, T0, &sess, &err), SH_EINVAL);
    int64_t later = T0 + AUTH_LOCK_SECONDS + 60;
    assert_int_equal(sign_in(f, "c.two", BAD, later, &sess, &err), SH_EINVAL);
    assert_int_equal(user_get(f, "c.two").locked_until, later + AUTH_LOCK_SECONDS);
    assert_int_equal(sign_in(f, "c.two", GOOD, later + 1, &sess, &err), SH_EDENIED);
}

static void test_disabled_cannot_sign_in(void **state)
{
    fixture *f = *state;
    user_put(f, "c.one", ROLE_COORDINATOR, "990");
    app_error err, wrong;
    assert_int_equal(auth_user_set_disabled(f->s, &sys, "c.one", true, T0, &err), SH_OK);
    auth_session sess;
    assert_int_equal(sign_in(f, "c.one", GOOD, T0, &sess, &err), SH_EDENIED);
    assert_non_null(strstr(err.message, "disabled"));
    /* without the password, nothing about the account is revealed */
    assert_int_equal(sign_in(f, "c.one", BAD, T0, &sess, &wrong), SH_EINVAL);
    assert_null(strstr(wrong.message, "disabled"));
    assert_int_equal(audited(f, "990", "sign_in_failed", "c.one", "account disabled"), 1);
    assert_int_equal(auth_user_set_disabled(f->s, &sys, "c.one", false, T0, &err), SH_OK);
    assert_int_equal(sign_in(f, "c.one", GOOD, T0 + 1, &sess, &err), SH_OK);
    assert_int_equal(audited(f, "990", "admin", "system", "disabled account"), 1);
    assert_int_equal(audited(f, "990", "admin", "system", "enabled account"), 1);
}

/* ---- sessions ------------------------------------------------------------ */

static void test_session_resume_and_idle_expiry(void **state)
{
    fixture *f = *state;
    int64_t id = user_put(f, "c.one", ROLE_COORDINATOR, "990");
    auth_session sess;
    app_error err;
    assert_int_equal(sign_in(f, "c.one", GOOD, T0, &sess, &err), SH_OK);
    app_identity who;
    char csrf[STORE_CSRF_LEN + 1];
    assert_int_equal(auth_session_resume(f->s, sess.token, "198.51.100.2", T0 + 30, f->a, &who,
                                         csrf),
                     SH_OK);
    assert_string_equal(csrf, sess.csrf);
    assert_int_equal(who.user_id, id);
    assert_string_equal(who.username, "c.one");
    assert_int_equal(who.role, ROLE_COORDINATOR);
    assert_string_equal(who.remote, "198.51.100.2");
    /* last use is written at most once a minute */
    unsigned char h[STORE_TOKEN_HASH_LEN];
    token_hash(sess.token, h);
    store_token t;
    store_user u;
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &u), SH_OK);
    assert_int_equal(t.last_used, T0);
    assert_int_equal(resume(f, &sess, T0 + 61), SH_OK);
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &u), SH_OK);
    assert_int_equal(t.last_used, T0 + 61);
    /* idle: AUTH_IDLE_SECONDS after the last use it is over, and gone */
    assert_int_equal(resume(f, &sess, T0 + 61 + AUTH_IDLE_SECONDS - 1), SH_OK);
    assert_int_equal(resume(f, &sess, T0 + 61 + 2 * AUTH_IDLE_SECONDS), SH_ENOTFOUND);
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &u), SH_ENOTFOUND);
}

/* The lookup only reads, inside a read transaction too: the touch and the
 * delete it owes wait in the upkeep until auth_upkeep_run. */
static void test_session_lookup_leaves_the_write_to_upkeep(void **state)
{
    fixture *f = *state;
    user_put(f, "c.one", ROLE_COORDINATOR, "990");
    auth_session sess;
    app_error err;
    assert_int_equal(sign_in(f, "c.one", GOOD, T0, &sess, &err), SH_OK);
    unsigned char h[STORE_TOKEN_HASH_LEN];
    token_hash(sess.token, h);
    store_token t;
    store_user u;
    app_identity who;
    char csrf[STORE_CSRF_LEN + 1];
    auth_upkeep up;
    /* within the minute: nothing owed */
    assert_int_equal(auth_session_lookup(f->s, sess.token, "", T0 + 30, f->a, &who, csrf, &up),
                     SH_OK);
    assert_int_equal(up.kind, AUTH_UPKEEP_NONE);
    /* a minute on: the touch is owed, not made, until upkeep runs */
    assert_int_equal(store_read_begin(f->s), SH_OK);
    assert_int_equal(auth_session_lookup(f->s, sess.token, "", T0 + 61, f->a, &who, csrf, &up),
                     SH_OK);
    assert_int_equal(store_read_end(f->s), SH_OK);
    assert_string_equal(csrf, sess.csrf);
    assert_int_equal(up.kind, AUTH_UPKEEP_TOUCH);
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &u), SH_OK);
    assert_int_equal(t.last_used, T0);
    auth_upkeep_run(f->s, &up, T0 + 61);
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &u), SH_OK);
    assert_int_equal(t.last_used, T0 + 61);
    /* idle past the limit: signed out at once, the row deleted by upkeep */
    int64_t late = T0 + 61 + AUTH_IDLE_SECONDS;
    assert_int_equal(auth_session_lookup(f->s, sess.token, "", late, f->a, &who, csrf, &up),
                     SH_ENOTFOUND);
    assert_int_equal(up.kind, AUTH_UPKEEP_DELETE);
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &u), SH_OK);
    auth_upkeep_run(f->s, &up, late);
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &u), SH_ENOTFOUND);
    /* an unknown token owes nothing */
    assert_int_equal(auth_session_lookup(f->s, sess.token, "", late, f->a, &who, csrf, &up),
                     SH_ENOTFOUND);
    assert_int_equal(up.kind, AUTH_UPKEEP_NONE);
}

static void test_session_absolute_expiry(void **state)
{
    fixture *f = *state;
    user_put(f, "c.one", ROLE_COORDINATOR, "990");
    auth_session sess;
    app_error err;
    assert_int_equal(sign_in(f, "c.one", GOOD, T0, &sess, &err), SH_OK);
    int64_t now = T0;
    for (; now < T0 + AUTH_ABSOLUTE_SECONDS; now += 20 * 60)
        assert_int_equal(resume(f, &sess, now), SH_OK); /* never idle */
    assert_int_equal(resume(f, &sess, T0 + AUTH_ABSOLUTE_SECONDS), SH_ENOTFOUND);
}

static void test_session_rejects_malformed_and_unknown(void **state)
{
    fixture *f = *state;
    app_identity who;
    char csrf[STORE_CSRF_LEN + 1];
    static const char *const tokens[] = {
        NULL, "", "abc", "not-a-token-at-all-but-43-characters-long!!",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* well formed, unknown */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    };
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
        assert_int_equal(auth_session_resume(f->s, tokens[i], "", T0, f->a, &who, csrf),
                         SH_ENOTFOUND);
}

/* Sign-out, a password reset and disabling each end sessions at once. */
static void test_sessions_end(void **state)
{
    fixture *f = *state;
    user_put(f, "c.one", ROLE_COORDINATOR, "990");
    auth_session a1, a2, a3;
    app_error err;
    assert_int_equal(sign_in(f, "c.one", GOOD, T0, &a1, &err), SH_OK);
    assert_int_equal(sign_in(f, "c.one", GOOD, T0, &a2, &err), SH_OK);
    app_identity who = as(f, "c.one");
    assert_int_equal(auth_sign_out(f->s, &who, a1.token, T0 + 5), SH_OK);
    assert_int_equal(resume(f, &a1, T0 + 6), SH_ENOTFOUND);
    assert_int_equal(resume(f, &a2, T0 + 6), SH_OK);
    assert_int_equal(auth_sign_out(f->s, &who, a1.token, T0 + 7), SH_OK); /* again: fine */
    assert_int_equal(auth_sign_out(f->s, &who, "junk", T0 + 7), SH_OK);
    assert_true(audited(f, "990", "sign_out", "c.one", NULL) >= 1);

    assert_int_equal(auth_user_reset_password(f->s, &sys, "c.one", "walnut-ferry-lantern-7",
                                              T0 + 10, &err),
                     SH_OK);
    assert_int_equal(resume(f, &a2, T0 + 11), SH_ENOTFOUND);
    assert_int_equal(sign_in(f, "c.one", GOOD, T0 + 12, &a3, &err), SH_EINVAL);
    assert_int_equal(sign_in(f, "c.one", "walnut-ferry-lantern-7", T0 + 13, &a3, &err), SH_OK);
    assert_int_equal(audited(f, "990", "admin", "system", "reset password"), 1);
    /* the policy applies to resets, with the account's own username */
    assert_int_equal(auth_user_reset_password(f->s, &sys, "c.one", "c.one-is-my-name", T0 + 14,
                                              &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "password");

    assert_int_equal(auth_user_set_disabled(f->s, &sys, "c.one", true, T0 + 20, &err), SH_OK);
    assert_int_equal(resume(f, &a3, T0 + 21), SH_ENOTFOUND);
}

/* ---- API tokens ---------------------------------------------------------- */

static void test_api_tokens(void **state)
{
    fixture *f = *state;
    int64_t id = user_put(f, "c.one", ROLE_COORDINATOR, "990");
    user_put(f, "c.two", ROLE_COORDINATOR, "990");
    char token[AUTH_SECRET_TEXT_LEN + 1];
    app_error err;
    assert_int_equal(auth_api_token_issue(f->s, &sys, "c.one", "nightly export", 30, T0, token,
                                          &err),
                     SH_OK);
    assert_int_equal(strlen(token), AUTH_SECRET_TEXT_LEN);
    app_identity who;
    assert_int_equal(auth_api_token_resume(f->s, token, "203.0.113.9", T0 + 3600, f->a, &who),
                     SH_OK);
    assert_int_equal(who.user_id, id);
    assert_string_equal(who.username, "c.one");
    assert_string_equal(who.remote, "203.0.113.9");
    /* no idle limit: a week unused is fine; the expiry is not */
    assert_int_equal(auth_api_token_resume(f->s, token, "", T0 + 7 * 86400, f->a, &who), SH_OK);
    unsigned char h[STORE_TOKEN_HASH_LEN];
    token_hash(token, h);
    store_token t;
    store_user u;
    assert_int_equal(store_token_get(f->s, h, f->a, &t, &u), SH_OK);
    assert_int_equal(t.kind, STORE_TOKEN_API);
    assert_string_equal(t.label, "nightly export");
    assert_int_equal(t.expires_at, T0 + 30 * 86400);
    assert_int_equal(auth_api_token_resume(f->s, token, "", T0 + 30 * 86400, f->a, &who),
                     SH_ENOTFOUND);
    assert_int_equal(audited(f, "990", "admin", "system", "issued API token: nightly export"),
                     1);

    /* limits */
    assert_int_equal(auth_api_token_issue(f->s, &sys, "c.one", "x", 0, T0, token, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "days");
    assert_int_equal(auth_api_token_issue(f->s, &sys, "c.one", "x",
                                          AUTH_API_TOKEN_DAYS_MAX + 1, T0, token, &err),
                     SH_EINVAL);
    assert_int_equal(auth_api_token_issue(f->s, &sys, "c.one", "", 30, T0, token, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "label");
    assert_int_equal(token[0], '\0');

    /* a person for themselves, not for a colleague */
    app_identity me = as(f, "c.one");
    assert_int_equal(auth_api_token_issue(f->s, &me, "c.one", "my laptop", 7, T0, token, &err),
                     SH_OK);
    assert_int_equal(auth_api_token_issue(f->s, &me, "c.two", "theirs", 7, T0, token, &err),
                     SH_EDENIED);
    assert_int_equal(audited(f, "990", "denied", "c.one", "issue API token"), 1);

    /* a session is not an API token, nor the other way round */
    auth_session sess;
    assert_int_equal(sign_in(f, "c.one", GOOD, T0, &sess, &err), SH_OK);
    assert_int_equal(auth_api_token_resume(f->s, sess.token, "", T0, f->a, &who), SH_ENOTFOUND);
    assert_int_equal(auth_api_token_issue(f->s, &sys, "c.one", "again", 30, T0, token, &err),
                     SH_OK);
    char csrf[STORE_CSRF_LEN + 1];
    assert_int_equal(auth_session_resume(f->s, token, "", T0, f->a, &who, csrf), SH_ENOTFOUND);

    /* disabling ends API tokens too, and no new ones are issued */
    assert_int_equal(auth_user_set_disabled(f->s, &sys, "c.one", true, T0, &err), SH_OK);
    assert_int_equal(auth_api_token_resume(f->s, token, "", T0 + 1, f->a, &who), SH_ENOTFOUND);
    assert_int_equal(auth_api_token_issue(f->s, &sys, "c.one", "x", 30, T0, token, &err),
                     SH_EINVAL);
}

/* ---- CSRF ---------------------------------------------------------------- */

static void test_csrf(void **state)
{
    (void)state;
    const char *good = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
    assert_int_equal(strlen(good), STORE_CSRF_LEN);
    assert_true(auth_csrf_ok(good, good));
    char copy[STORE_CSRF_LEN + 1];
    memcpy(copy, good, sizeof copy);
    assert_true(auth_csrf_ok(copy, good));
    copy[STORE_CSRF_LEN - 1] = 'R';
    assert_false(auth_csrf_ok(copy, good));
    copy[0] = 'z';
    assert_false(auth_csrf_ok(copy, good));
    assert_false(auth_csrf_ok("abc", good));
    assert_false(auth_csrf_ok("", good));
    assert_false(auth_csrf_ok(NULL, good));
    assert_false(auth_csrf_ok(good, NULL));
    assert_false(auth_csrf_ok("", ""));   /* an empty expected token never matches */
    assert_false(auth_csrf_ok("abc", "abc"));
    char longer[STORE_CSRF_LEN + 2];
    snprintf(longer, sizeof longer, "%sX", good);
    assert_false(auth_csrf_ok(longer, good));
}

/* ---- who may administer -------------------------------------------------- */

static void test_admin_permissions(void **state)
{
    fixture *f = *state;
    user_put(f, "a.nine90", ROLE_ADMIN, "990");
    user_put(f, "a.nine91", ROLE_ADMIN, "991");
    user_put(f, "c.one", ROLE_COORDINATOR, "990");
    app_identity admin = as(f, "a.nine90"), other = as(f, "a.nine91"),
                 coordinator = as(f, "c.one");
    app_error err, ghost;

    /* another area's admin: the account is "not found", exactly as a missing one */
    assert_int_equal(auth_user_set_disabled(f->s, &other, "c.one", true, T0, &err),
                     SH_ENOTFOUND);
    assert_int_equal(auth_user_set_disabled(f->s, &other, "c.ghost", true, T0, &ghost),
                     SH_ENOTFOUND);
    assert_non_null(strstr(err.message, "There is no account called c.one"));
    assert_non_null(strstr(ghost.message, "There is no account called c.ghost"));
    assert_int_equal(auth_user_reset_password(f->s, &other, "c.one", "walnut-ferry-lantern-7",
                                              T0, &err),
                     SH_ENOTFOUND);
    char token[AUTH_SECRET_TEXT_LEN + 1];
    assert_int_equal(auth_api_token_issue(f->s, &other, "c.one", "x", 30, T0, token, &err),
                     SH_ENOTFOUND);
    auth_new_user nu = {.username = "n.new", .display_name = "New", .role = "coordinator",
                        .la_code = "990", .password = GOOD};
    assert_int_equal(auth_user_add(f->s, &other, &nu, T0, NULL, &err), SH_EDENIED);
    assert_int_equal(audited(f, "991", "denied", "a.nine91", NULL), 3); /* not c.ghost */
    assert_int_equal(audited(f, "990", "denied", "a.nine91", "add account"), 1);
    assert_false(user_get(f, "c.one").disabled);

    /* a coordinator manages nobody */
    assert_int_equal(auth_user_add(f->s, &coordinator, &nu, T0, NULL, &err), SH_EDENIED);
    assert_int_equal(auth_user_set_disabled(f->s, &coordinator, "a.nine90", true, T0, &err),
                     SH_EDENIED);
    assert_int_equal(audited(f, "990", "denied", "c.one", NULL), 2);

    /* the area's own admin may; but not disable themselves */
    assert_int_equal(auth_user_set_disabled(f->s, &admin, "c.one", true, T0, &err), SH_OK);
    assert_int_equal(audited(f, "990", "admin", "a.nine90", "disabled account"), 1);
    assert_int_equal(auth_user_set_disabled(f->s, &admin, "a.nine90", true, T0, &err),
                     SH_EINVAL);
    assert_int_equal(auth_user_add(f->s, &admin, &nu, T0, NULL, &err), SH_OK);
    assert_string_equal(user_get(f, "n.new").la_code, "990");

    /* the system user may act in any area; its entries land in that area */
    assert_int_equal(auth_user_set_disabled(f->s, &sys, "a.nine91", true, T0, &err), SH_OK);
    assert_int_equal(audited(f, "991", "admin", "system", "disabled account"), 1);
}

/* ---- the demo's people --------------------------------------------------- */

static void test_demo_accounts(void **state)
{
    fixture *f = *state;
    date_t as_of;
    assert_int_equal(date_from_ymd(2025, 11, 22, &as_of), SH_OK);
    demo_params p = {.seed = 1, .as_of = as_of, .la_code = NULL, .scale = DEMO_SCALE_MIN};
    demo_stats st;
    assert_int_equal(demo_generate(f->s, &p, &st), SH_OK);
    demo_account_list *list = calloc(1, sizeof *list);
    assert_non_null(list);
    assert_int_equal(demo_accounts(f->s, &p, T0, list), SH_OK);
    assert_int_equal(list->n, (size_t)st.coordinators + 7);
    assert_string_equal(list->a[0].role, "coordinator");
    auth_session sess;
    app_error err;
    app_identity who;
    assert_int_equal(auth_sign_in(f->s, "m.manager", DEMO_PASSWORD, "", T0, f->a, &sess, &who,
                                  &err),
                     SH_OK);
    assert_int_equal(who.role, ROLE_MANAGER);
    assert_string_equal(who.la_code, DEMO_DEFAULT_LA);
    store_user senco = user_get(f, "s.senco");
    assert_string_equal(senco.role, "setting");
    assert_true(strlen(senco.setting_urn) >= 6);
    store_user forum = user_get(f, "f.forum");
    assert_string_equal(forum.role, "forum");
    assert_non_null(strstr(forum.organisation, "Parent Carer Forum"));
    assert_string_equal(user_get(f, "h.health").organisation,
                        "Northfield Community Health (synthetic)");
    assert_string_equal(user_get(f, list->a[0].username).role, "coordinator");
    free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_common_list_well_formed),
        cmocka_unit_test(test_csrf),
#define DB_TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
        DB_TEST(test_user_add_hashes_and_audits),
        DB_TEST(test_user_add_validation),
        DB_TEST(test_sign_in_success),
        DB_TEST(test_wrong_password_and_unknown_user_alike),
        DB_TEST(test_lockout),
        DB_TEST(test_failure_after_lock_relocks),
        DB_TEST(test_disabled_cannot_sign_in),
        DB_TEST(test_session_resume_and_idle_expiry),
        DB_TEST(test_session_lookup_leaves_the_write_to_upkeep),
        DB_TEST(test_session_absolute_expiry),
        DB_TEST(test_session_rejects_malformed_and_unknown),
        DB_TEST(test_sessions_end),
        DB_TEST(test_api_tokens),
        DB_TEST(test_admin_permissions),
        DB_TEST(test_demo_accounts),
#undef DB_TEST
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
