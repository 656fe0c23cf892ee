/*
 * test_portal.c — the family portal (issue 7): the rules in core/portal.h
 * (relationships, the end of compulsory school age, an invitation code's
 * state, the plain-English wording of the journey) and the use cases in
 * app/portal.h on a fresh database (testdb.h): an invitation redeemed once,
 * not after it expires, not twice; the rate limit on wrong codes; a family
 * account reaching only its own child; staff who may not invite.
 *
 * All data is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/portal.h"
#include "core/portal.h"
#include "store/sql.h"
#include "testdb.h"
#include "util/err.h"

#define LA "990"
#define NOW ((int64_t)1793620800) /* 2026-11-02 12:00 UTC */
#define DAY ((int64_t)86400)
#define PASSWORD "purple kettle morning walk"

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

/* ---- core ------------------------------------------------------------------ */

static void test_code_state(void **state)
{
    (void)state;
    assert_int_equal(portal_code_check(NOW + 1, 0, NOW), PORTAL_CODE_OK);
    assert_int_equal(portal_code_check(NOW, 0, NOW), PORTAL_CODE_EXPIRED); /* at expiry: gone */
    assert_int_equal(portal_code_check(NOW - DAY, 0, NOW), PORTAL_CODE_EXPIRED);
    assert_int_equal(portal_code_check(NOW + DAY, NOW - 5, NOW), PORTAL_CODE_USED);
    /* used and expired: the family is told it was used (they already joined) */
    assert_int_equal(portal_code_check(NOW - DAY, NOW - 2 * DAY, NOW), PORTAL_CODE_USED);
}

static void test_relationships(void **state)
{
    (void)state;
    for (int r = 0; r < PORTAL_REL_COUNT; r++)
        assert_int_equal(portal_rel_parse(portal_rel_name((portal_rel)r)), r);
    assert_int_equal(portal_rel_parse("uncle"), -1);
    assert_int_equal(portal_rel_parse(NULL), -1);
}

static void test_school_age_end(void **state)
{
    (void)state;
    /* born 10 March 2010: 16 on 10 March 2026, school year ends June 2026;
     * the last Friday of June 2026 is the 26th */
    assert_int_equal(portal_school_age_end(D("2010-03-10")), D("2026-06-26"));
    /* born 31 August 2010: 16 on 31 August 2026, still in the 2025/26 year */
    assert_int_equal(portal_school_age_end(D("2010-08-31")), D("2026-06-26"));
    /* born 1 September 2010: 16 in the 2026/27 year; last Friday of June 2027 is the 25th */
    assert_int_equal(portal_school_age_end(D("2010-09-01")), D("2027-06-25"));
    /* June 2029 ends on a Saturday (30th): the Friday before */
    assert_int_equal(portal_school_age_end(D("2013-01-15")), D("2029-06-29"));
    assert_false(portal_young_person_ok(D("2010-03-10"), D("2026-06-26")));
    assert_true(portal_young_person_ok(D("2010-03-10"), D("2026-06-27")));
    assert_false(portal_young_person_ok(D("2012-05-01"), D("2026-11-02")));
}

/* An advice step to health (or a final plan step) of a computed timeline. */
static journey_timeline timeline_of(arena *a, const char *advice_done)
{
    event ev[4];
    size_t n = 0;
    event_init(&ev[n++], EV_REQUEST_RECEIVED, D("2026-01-05"));
    event_init(&ev[n], EV_DECISION_TO_ASSESS, D("2026-02-02"));
    ev[n++].outcome = OUTCOME_ASSESS;
    event_init(&ev[n], EV_ADVICE_REQUESTED, D("2026-02-03"));
    ev[n++].agency = AGENCY_HEALTH;
    if (advice_done) {
        event_init(&ev[n], EV_ADVICE_RECEIVED, D(advice_done));
        ev[n++].agency = AGENCY_HEALTH;
    }
    for (size_t i = 0; i < n; i++)
        ev[i].id = (int64_t)i + 1;
    journey_timeline t;
    journey_error je;
    assert_int_equal(journey_compute(ev, n, D("2026-04-01"), a, &t, &je), SH_OK);
    return t;
}

static const journey_deadline *step(const journey_timeline *t, const char *key)
{
    for (size_t i = 0; i < t->n_deadlines; i++)
        if (strcmp(journey_rule_key(t->deadlines[i].rule), key) == 0)
            return &t->deadlines[i];
    fail_msg("no %s step", key);
    return NULL;
}

static void test_wording(void **state)
{
    (void)state;
    arena *a = arena_create(1u << 20);
    char out[256];
    journey_timeline t = timeline_of(a, NULL);
    const journey_deadline *adv = step(&t, "advice");
    /* due 6 weeks after the request for advice: 17 March 2026 */
    portal_advice_text(adv, D("2026-04-01"), out, sizeof out);
    assert_string_equal(out, "Advice from health was due on 17 March 2026 and has not arrived yet.");
    portal_advice_text(adv, D("2026-03-17"), out, sizeof out);
    assert_string_equal(out, "Advice from health is due by 17 March 2026.");
    assert_int_equal(portal_advice_text(step(&t, "final_plan"), D("2026-04-01"), out, sizeof out), 0);
    assert_string_equal(out, "");
    portal_done_text(step(&t, "decision_to_assess"), out, sizeof out);
    assert_string_equal(out, "The council decided whether to carry out an assessment.");

    t = timeline_of(a, "2026-03-01");
    adv = step(&t, "advice");
    portal_advice_text(adv, D("2026-04-01"), out, sizeof out);
    assert_string_equal(out, "Advice from health arrived on 1 March 2026.");
    portal_done_text(adv, out, sizeof out);
    assert_string_equal(out, "Advice from health arrived.");
    assert_string_equal(portal_stage_text(STAGE_ASSESSMENT),
                        "The council is carrying out an EHC needs assessment. It is asking "
                        "people who know your child for advice.");
    assert_string_equal(portal_activity_text("read", "case"), "looked at the record");
    assert_string_equal(portal_activity_text("read", "plan"), "looked at the EHC plan");
    assert_string_equal(portal_activity_text("denied", "child"),
                        "tried to open the record and was refused");
    assert_string_equal(portal_activity_text("write", "case"), "changed the record");
    assert_string_equal(portal_activity_text("write", "message"), "sent a message");
    assert_string_equal(portal_activity_text("export", "plan"), "downloaded the EHC plan");
    assert_string_equal(portal_activity_text("read", "attachment"),
                        "opened a file the family sent");
    assert_string_equal(portal_activity_text("write", "family_access"),
                        "ended a family member's access to this portal");
    assert_string_equal(portal_activity_text("something", NULL), "used the record");
    assert_string_equal(portal_activity_text(NULL, NULL), "used the record");
    for (int s = 0; s < STAGE_COUNT; s++)
        assert_true(strlen(portal_stage_text((journey_stage)s)) > 10);
    arena_destroy(a);
}

/* ---- files a family attaches: checked by content --------------------------- */

/* The smallest files of each kind the check accepts (synthetic bytes). */
static const unsigned char png_head[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                           0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1,
                                           0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4,
                                           0x89};
static const unsigned char jpeg_head[8] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F'};
static const char pdf_text[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

static void test_file_check(void **state)
{
    (void)state;
    portal_file_kind k = PORTAL_FILE_KIND_COUNT;
    const char *why = NULL;
    assert_int_equal(portal_file_check(png_head, sizeof png_head, &k, &why), SH_OK);
    assert_int_equal(k, PORTAL_FILE_PNG);
    assert_int_equal(portal_file_check(jpeg_head, sizeof jpeg_head, &k, &why), SH_OK);
    assert_int_equal(k, PORTAL_FILE_JPEG);
    assert_int_equal(portal_file_check((const unsigned char *)pdf_text, sizeof pdf_text - 1, &k,
                                       &why),
                     SH_OK);
    assert_int_equal(k, PORTAL_FILE_PDF);
    /* a GIF, a web page, a program: refused whatever they were called */
    static const char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    assert_int_equal(portal_file_check((const unsigned char *)gif, sizeof gif - 1, &k, &why),
                     SH_EINVAL);
    assert_string_equal(why, "The file must be a PDF, JPEG or PNG");
    static const char html[] = "<html><script>alert(1)</script></html>";
    assert_int_equal(portal_file_check((const unsigned char *)html, sizeof html - 1, &k, &why),
                     SH_EINVAL);
    static const char exe[] = "MZ\x90\x00\x03\x00\x00\x00";
    assert_int_equal(portal_file_check((const unsigned char *)exe, sizeof exe - 1, &k, &why),
                     SH_EINVAL);
    /* the PNG signature alone, without its header chunk */
    unsigned char sig_only[33];
    memcpy(sig_only, png_head, sizeof sig_only);
    memcpy(sig_only + 12, "IEND", 4);
    assert_int_equal(portal_file_check(sig_only, sizeof sig_only, &k, &why), SH_EINVAL);
    /* a PDF cut short: no trailer */
    assert_int_equal(portal_file_check((const unsigned char *)pdf_text, 20, &k, &why),
                     SH_EINVAL);
    assert_non_null(strstr(why, "incomplete or damaged"));
    assert_int_equal(portal_file_check(png_head, 0, &k, &why), SH_EINVAL);
    assert_string_equal(why, "The file is empty");
    /* 5 MB exactly is allowed; one byte more is not */
    unsigned char *big = calloc(1, PORTAL_FILE_MAX + 1);
    assert_non_null(big);
    memcpy(big, png_head, sizeof png_head);
    assert_int_equal(portal_file_check(big, PORTAL_FILE_MAX, &k, &why), SH_OK);
    assert_int_equal(portal_file_check(big, PORTAL_FILE_MAX + 1, &k, &why), SH_ELIMIT);
    assert_string_equal(why, "The file must be smaller than 5 MB");
    free(big);
}

static void test_filename_clean(void **state)
{
    (void)state;
    char out[PORTAL_FILENAME_MAX + 1];
    portal_filename_clean("../../etc/passwd", PORTAL_FILE_PNG, out);
    assert_string_equal(out, "passwd.png");
    portal_filename_clean("C:\\Users\\Pat\\My drawing (1).JPEG", PORTAL_FILE_JPEG, out);
    assert_string_equal(out, "My drawing _1_.jpg");
    /* the extension follows the content, not the name */
    portal_filename_clean("report.pdf", PORTAL_FILE_PNG, out);
    assert_string_equal(out, "report.png");
    portal_filename_clean(".hidden.png", PORTAL_FILE_PNG, out);
    assert_string_equal(out, "hidden.png");
    portal_filename_clean("\"; evil=\".pdf", PORTAL_FILE_PDF, out);
    assert_null(strchr(out, '"'));
    assert_null(strchr(out, ';'));
    portal_filename_clean("", PORTAL_FILE_PDF, out);
    assert_string_equal(out, "attachment.pdf");
    portal_filename_clean(NULL, PORTAL_FILE_JPEG, out);
    assert_string_equal(out, "attachment.jpg");
    char long_name[300];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    portal_filename_clean(long_name, PORTAL_FILE_PNG, out);
    assert_int_equal(strlen(out), PORTAL_FILENAME_MAX);
    assert_string_equal(out + PORTAL_FILENAME_MAX - 4, ".png");
}

static void test_add_rules(void **state)
{
    (void)state;
    const portal_rel none[1] = {PORTAL_PARENT};
    const portal_rel parent_carer[2] = {PORTAL_PARENT, PORTAL_CARER};
    const portal_rel own[1] = {PORTAL_YOUNG_PERSON};
    assert_int_equal(portal_add_check(PORTAL_PARENT, none, 0, 20), PORTAL_ADD_OK);
    assert_int_equal(portal_add_check(PORTAL_CARER, parent_carer, 2, 20), PORTAL_ADD_OK);
    assert_int_equal(portal_add_check(PORTAL_PARENT, parent_carer, 2, 20), PORTAL_ADD_OK);
    /* a young person's code makes their own account, never joins another */
    assert_int_equal(portal_add_check(PORTAL_YOUNG_PERSON, none, 0, 20),
                     PORTAL_ADD_YOUNG_PERSON_CODE);
    assert_int_equal(portal_add_check(PORTAL_YOUNG_PERSON, parent_carer, 2, 20),
                     PORTAL_ADD_YOUNG_PERSON_CODE);
    /* and a young person's own account takes no parent's or carer's code */
    assert_int_equal(portal_add_check(PORTAL_PARENT, own, 1, 20), PORTAL_ADD_OWN_ACCOUNT);
    assert_int_equal(portal_add_check(PORTAL_CARER, own, 1, 20), PORTAL_ADD_OWN_ACCOUNT);
    assert_int_equal(portal_add_check(PORTAL_PARENT, parent_carer, 2, 2), PORTAL_ADD_FULL);
}

/* ---- use cases ----------------------------------------------------------------- */

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t child, other_child, case_id;
    app_identity coordinator, health;
} fixture;

static app_identity person(app_role role, const char *name)
{
    app_identity who = {.username = name, .role = (int)role, .remote = ""};
    memcpy(who.la_code, LA, sizeof who.la_code);
    return who;
}

static int64_t add_child(fixture *f, const char *forename)
{
    store_child c = {.la_code = LA, .forename = forename, .surname = "Testchild",
                     .date_of_birth = D("2015-03-01"), .sen_need = {-1, -1}};
    return store_child_insert(f->s, &c) == SH_OK ? c.id : 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(64u << 20);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK ||
        store_area_put(f->s, LA, "Test area") != SH_OK)
        return -1;
    f->coordinator = person(ROLE_COORDINATOR, "c.test");
    f->health = person(ROLE_HEALTH, "h.test");
    f->child = add_child(f, "Ada");
    f->other_child = add_child(f, "Ben");
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, D("2026-10-01"));
    store_case c;
    journey_timeline t;
    app_error err = {0};
    if (!f->child || !f->other_child ||
        app_case_open(f->s, &f->coordinator, f->child, "c.test", &start, D("2026-11-02"), f->a,
                      &c, &t, &err) != SH_OK)
        return -1;
    f->case_id = c.id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    arena_destroy(f->a);
    testdb_drop(f->url);
    free(f);
    return 0;
}

static void invite(fixture *f, char code[AUTH_SECRET_TEXT_LEN + 1], int64_t now)
{
    store_invitation inv;
    app_error err = {0};
    assert_int_equal(portal_invite(f->s, &f->coordinator, f->case_id, "parent", "Pat Parent",
                                   now, D("2026-11-02"), f->a, code, &inv, &err),
                     SH_OK);
    assert_int_equal(strlen(code), AUTH_SECRET_TEXT_LEN);
    assert_int_equal(inv.expires_at, now + PORTAL_INVITE_DAYS * DAY);
}

static int join(fixture *f, const char *code, const char *username, const char *remote,
                int64_t now, store_user *u, app_error *err)
{
    portal_join_input in = {.code = code, .username = username, .display_name = "Pat Parent",
                            .email = "", .password = PASSWORD};
    memset(err, 0, sizeof *err);
    return portal_join(f->s, &in, remote, now, u, err);
}

static app_identity parent_of(const store_user *u)
{
    app_identity who = person(ROLE_PARENT, u->username);
    who.user_id = u->id;
    return who;
}

static void test_invitation_once(void **state)
{
    fixture *f = *state;
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW);
    store_user u;
    app_error err;
    /* spaces around a pasted code do not matter */
    char padded[AUTH_SECRET_TEXT_LEN + 8];
    snprintf(padded, sizeof padded, "  %s \n", code);
    assert_int_equal(join(f, padded, "pat.parent", "10.0.0.1", NOW + DAY, &u, &err), SH_OK);
    assert_int_equal(join(f, code, "pat.other", "10.0.0.1", NOW + DAY, &u, &err), SH_EINVAL);
    assert_string_equal(err.field, "code");
    assert_string_equal(err.message, "This code has already been used. Sign in with your account.");
    /* the second account was not made */
    store_user none;
    assert_int_equal(store_user_by_name(f->s, "pat.other", f->a, &none), SH_ENOTFOUND);
}

static void test_invitation_expires(void **state)
{
    fixture *f = *state;
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW);
    store_user u;
    app_error err;
    assert_int_equal(join(f, code, "pat.parent", "10.0.0.2", NOW + PORTAL_INVITE_DAYS * DAY, &u,
                          &err),
                     SH_EINVAL);
    assert_string_equal(err.message,
                        "This code has expired. Ask your council's SEND team for a new one.");
    /* one second earlier it still worked (a fresh invitation) */
    invite(f, code, NOW);
    assert_int_equal(join(f, code, "pat.parent", "10.0.0.2",
                          NOW + PORTAL_INVITE_DAYS * DAY - 1, &u, &err),
                     SH_OK);
}

static void test_bad_password_keeps_code(void **state)
{
    fixture *f = *state;
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW);
    portal_join_input in = {.code = code, .username = "pat.parent", .display_name = "Pat",
                            .password = "short"};
    store_user u;
    app_error err = {0};
    assert_int_equal(portal_join(f->s, &in, "10.0.0.3", NOW, &u, &err), SH_EINVAL);
    assert_string_equal(err.field, "password");
    /* nothing was used up: the right password then works */
    assert_int_equal(join(f, code, "pat.parent", "10.0.0.3", NOW, &u, &err), SH_OK);
}

static void test_rate_limit(void **state)
{
    fixture *f = *state;
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW);
    store_user u;
    app_error err;
    for (int i = 0; i < AUTH_MAX_FAILURES; i++)
        assert_int_equal(join(f, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "pat.parent",
                              "10.0.0.4", NOW + i, &u, &err),
                         SH_EINVAL);
    /* now even the right code is refused from that address, for a while */
    assert_int_equal(join(f, code, "pat.parent", "10.0.0.4", NOW + 10, &u, &err), SH_EDENIED);
    /* from another address it works */
    assert_int_equal(join(f, code, "pat.parent", "10.0.0.5", NOW + 10, &u, &err), SH_OK);
}

static void test_rate_limit_ends(void **state)
{
    fixture *f = *state;
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW);
    store_user u;
    app_error err;
    for (int i = 0; i < AUTH_MAX_FAILURES; i++)
        join(f, "nonsense", "pat.parent", "10.0.0.6", NOW, &u, &err);
    assert_int_equal(join(f, code, "pat.parent", "10.0.0.6", NOW + 60, &u, &err), SH_EDENIED);
    assert_int_equal(join(f, code, "pat.parent", "10.0.0.6", NOW + AUTH_LOCK_SECONDS + 1, &u,
                          &err),
                     SH_OK);
}

static void test_only_own_child(void **state)
{
    fixture *f = *state;
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW);
    store_user u;
    app_error err;
    assert_int_equal(join(f, code, "pat.parent", "", NOW, &u, &err), SH_OK);
    assert_string_equal(u.role, "parent");
    app_identity parent = parent_of(&u);
    store_portal_link *kids;
    size_t n;
    assert_int_equal(portal_children(f->s, &parent, f->a, &kids, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(kids[0].child_id, f->child);
    assert_string_equal(kids[0].forename, "Ada");
    store_portal_link link;
    assert_int_equal(portal_child(f->s, &parent, f->child, f->a, &link), SH_OK);
    assert_int_equal(portal_child(f->s, &parent, f->other_child, f->a, &link), SH_ENOTFOUND);
    /* staff do not reach children through the portal */
    assert_int_equal(portal_child(f->s, &f->coordinator, f->child, f->a, &link), SH_EDENIED);
    assert_int_equal(portal_children(f->s, &f->coordinator, f->a, &kids, &n), SH_EDENIED);
    /* the journey of the linked child: its case */
    app_case_view v;
    bool has_case;
    assert_int_equal(portal_journey(f->s, &parent, f->child, D("2026-11-02"), f->a, &v,
                                    &has_case, &err),
                     SH_OK);
    assert_true(has_case);
    assert_int_equal(v.c.id, f->case_id);
    /* and a family account has nothing in the staff application */
    assert_false(access_can(&parent, CAN_READ_CASES));
}

static void test_who_may_invite(void **state)
{
    fixture *f = *state;
    char code[AUTH_SECRET_TEXT_LEN + 1];
    store_invitation inv;
    app_error err = {0};
    assert_int_equal(portal_invite(f->s, &f->health, f->case_id, "parent", "Pat", NOW,
                                   D("2026-11-02"), f->a, code, &inv, &err),
                     SH_EDENIED);
    assert_string_equal(code, "");
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_invite(f->s, &f->coordinator, f->case_id, "young_person", "Ada",
                                   NOW, D("2026-11-02"), f->a, code, &inv, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "relationship");
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_invite(f->s, &f->coordinator, f->case_id, "parent", "", NOW,
                                   D("2026-11-02"), f->a, code, &inv, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "name");
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_invite(f->s, &f->coordinator, 999999, "parent", "Pat", NOW,
                                   D("2026-11-02"), f->a, code, &inv, &err),
                     SH_ENOTFOUND);
}

/* A linked parent of the fixture's child (joined from a fresh invitation). */
static app_identity joined_parent(fixture *f)
{
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW);
    store_user u;
    app_error err;
    assert_int_equal(join(f, code, "pat.parent", "", NOW, &u, &err), SH_OK);
    app_identity who = parent_of(&u);
    who.username = "pat.parent"; /* u's strings do not outlive the call */
    return who;
}

static void test_views(void **state)
{
    fixture *f = *state;
    app_identity parent = joined_parent(f);
    app_error err = {0};
    store_submission x = {.kind = "views", .body = ""};
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, NULL, 0, D("2026-11-02"), NOW,
                                   f->a, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "views");
    x = (store_submission){.kind = "views", .body = "Likes trains.", .school = "ignored",
                           .meeting = true};
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, NULL, 0, D("2026-11-02"), NOW,
                                   f->a, &err),
                     SH_OK);
    assert_int_equal(x.case_id, f->case_id);
    /* not for a child not linked to the account */
    x = (store_submission){.kind = "views", .body = "Hello."};
    assert_int_equal(portal_submit(f->s, &parent, f->other_child, &x, NULL, 0, D("2026-11-02"),
                                   NOW, f->a, &err),
                     SH_ENOTFOUND);
    /* staff read it on the case; views carry no school or meeting */
    store_submission *rows;
    size_t n;
    assert_int_equal(portal_submissions(f->s, &f->coordinator, f->case_id, f->a, &rows, &n),
                     SH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].body, "Likes trains.");
    assert_string_equal(rows[0].school, "");
    assert_false(rows[0].meeting);
    assert_string_equal(rows[0].display_name, "Pat Parent");
    assert_int_equal(portal_submissions(f->s, &parent, f->case_id, f->a, &rows, &n), SH_EDENIED);
}

static void test_draft_response_window(void **state)
{
    fixture *f = *state;
    app_identity parent = joined_parent(f);
    app_error err = {0};
    store_submission x = {.kind = "draft_response", .meeting = true};
    /* no draft yet */
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, NULL, 0, D("2026-11-02"), NOW,
                                   f->a, &err),
                     SH_EINVAL);
    assert_string_equal(err.message, "There is no draft plan to respond to at the moment.");
    /* assess, then a draft served on 2 November: open to 17 November */
    event e;
    journey_timeline t;
    event_init(&e, EV_DECISION_TO_ASSESS, D("2026-10-20"));
    e.outcome = OUTCOME_ASSESS;
    assert_int_equal(app_case_record_event(f->s, &f->coordinator, f->case_id, &e, D("2026-11-02"),
                                           f->a, &t, &err),
                     SH_OK);
    event_init(&e, EV_DRAFT_PLAN_ISSUED, D("2026-11-02"));
    assert_int_equal(app_case_record_event(f->s, &f->coordinator, f->case_id, &e, D("2026-11-02"),
                                           f->a, &t, &err),
                     SH_OK);
    assert_int_equal(portal_draft_closes(D("2026-11-02")), D("2026-11-17"));
    x = (store_submission){.kind = "draft_response"};
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, NULL, 0, D("2026-11-17"), NOW,
                                   f->a, &err),
                     SH_EINVAL); /* nothing said */
    assert_string_equal(err.field, "comments");
    x = (store_submission){.kind = "draft_response", .school = "Northfield Park Academy"};
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, NULL, 0, D("2026-11-17"), NOW,
                                   f->a, &err),
                     SH_OK);
    x = (store_submission){.kind = "draft_response", .body = "Late."};
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, NULL, 0, D("2026-11-18"), NOW,
                                   f->a, &err),
                     SH_EINVAL);
    assert_string_equal(err.message, "The time to respond to the draft plan has ended. Contact "
                                     "your coordinator.");
}

/* The outbox read straight from the table (no store function reads it yet:
 * a mail relay will). Each row's text must carry no personal detail. */
static const char SQL_OUTBOX_ROWS[] =
    "SELECT to_user_id, to_email, subject, body FROM portal_outbox ORDER BY id";

static size_t outbox_rows(fixture *f, int64_t *to, size_t max, const char *secret)
{
    sql_stmt *q;
    assert_int_equal(sql_prepare(f->s, SQL_OUTBOX_ROWS, &q), SH_OK);
    size_t n = 0;
    int rc;
    while ((rc = sql_next(q)) == SQL_ROW) {
        if (n < max)
            to[n] = sql_col_int(q, 0);
        n++;
        assert_null(strstr(sql_col_text(q, 2), secret));
        assert_null(strstr(sql_col_text(q, 3), secret));
        assert_null(strstr(sql_col_text(q, 3), "Ada"));
        assert_string_equal(sql_col_text(q, 2), "You have a new message in sendhub");
    }
    sql_finish(q);
    assert_int_equal(rc, SH_OK);
    return n;
}

static void test_messages(void **state)
{
    fixture *f = *state;
    app_identity parent = joined_parent(f);
    /* the parent gave an email; the coordinator's account has one too */
    store_user cu;
    app_error err = {0};
    auth_new_user nu = {.username = "c.test", .display_name = "Casey Coordinator",
                        .email = "casey@example.org.uk", .role = "coordinator", .la_code = LA,
                        .password = PASSWORD};
    app_identity sys = person(ROLE_SYSTEM, "system");
    assert_int_equal(auth_user_add(f->s, &sys, &nu, NOW, &cu, &err), SH_OK);
    f->coordinator.user_id = cu.id;
    store_message m;
    assert_int_equal(portal_message_from_family(f->s, &parent, f->child, "", D("2026-11-02"), NOW,
                                                f->a, &m, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "message");
    assert_int_equal(portal_message_from_family(f->s, &parent, f->child, "Secret question 42?",
                                                D("2026-11-02"), NOW, f->a, &m, &err),
                     SH_OK);
    assert_int_equal(portal_message_from_family(f->s, &parent, f->other_child, "Hello",
                                                D("2026-11-02"), NOW, f->a, &m, &err),
                     SH_ENOTFOUND);
    int64_t to[4];
    assert_int_equal(outbox_rows(f, to, 4, "Secret"), 1); /* the coordinator */
    assert_int_equal(to[0], cu.id);

    app_case_view v;
    assert_int_equal(app_case_get(f->s, &f->coordinator, f->case_id, D("2026-11-02"), f->a, &v,
                                  &err),
                     SH_OK);
    assert_int_equal(portal_message_from_council(f->s, &f->health, &v, "No", NOW, &m, &err),
                     SH_EDENIED);
    assert_int_equal(portal_message_from_council(f->s, &f->coordinator, &v, "Secret answer", NOW,
                                                 &m, &err),
                     SH_OK);
    /* the parent joined without an email address: nobody more to tell */
    assert_int_equal(outbox_rows(f, to, 4, "Secret"), 1);
    /* a second family member with an email address is told of the next one */
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW);
    portal_join_input in = {.code = code, .username = "sam.second", .display_name = "Sam",
                            .email = "sam@example.org.uk", .password = PASSWORD};
    store_user su;
    assert_int_equal(portal_join(f->s, &in, "", NOW, &su, &err), SH_OK);
    assert_int_equal(portal_message_from_council(f->s, &f->coordinator, &v, "Secret again", NOW,
                                                 &m, &err),
                     SH_OK);
    assert_int_equal(outbox_rows(f, to, 4, "Secret"), 2);
    assert_int_equal(to[1], su.id);

    store_message *t;
    size_t n;
    assert_int_equal(portal_thread(f->s, &parent, f->case_id, f->a, &t, &n), SH_OK);
    assert_int_equal(n, 3);
    assert_true(t[0].from_family);
    assert_string_equal(t[0].body, "Secret question 42?");
    assert_false(t[1].from_family);
    assert_string_equal(t[1].display_name, "Casey Coordinator");
}

/* ---- files with the views ------------------------------------------------------- */

static void test_views_with_files(void **state)
{
    fixture *f = *state;
    app_identity parent = joined_parent(f);
    static const char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    portal_upload bad[3] = {
        {"drawing.png", png_head, sizeof png_head},
        {"C:\\fakepath\\cat.gif", (const unsigned char *)gif, sizeof gif - 1},
        {"notes.pdf", (const unsigned char *)"hello", 5},
    };
    app_error errs[PORTAL_FILES_MAX + 1];
    size_t n_errs;
    /* every bad file named, with why */
    assert_int_equal(portal_files_check(bad, 3, errs, PORTAL_FILES_MAX + 1, &n_errs),
                     SH_EINVAL);
    assert_int_equal(n_errs, 2);
    assert_string_equal(errs[0].field, "files");
    assert_string_equal(errs[0].message, "cat.gif: The file must be a PDF, JPEG or PNG");
    assert_string_equal(errs[1].message, "notes.pdf: The file must be a PDF, JPEG or PNG");
    /* and the submission is refused whole: nothing stored */
    app_error err = {0};
    store_submission x = {.kind = "views", .body = "She drew this."};
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, bad, 3, D("2026-11-02"), NOW,
                                   f->a, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "files");
    store_submission *rows;
    size_t n;
    assert_int_equal(portal_submissions(f->s, &f->coordinator, f->case_id, f->a, &rows, &n),
                     SH_OK);
    assert_int_equal(n, 0);
    /* six files: too many */
    portal_upload six[6];
    for (size_t i = 0; i < 6; i++)
        six[i] = (portal_upload){"d.png", png_head, sizeof png_head};
    assert_int_equal(portal_files_check(six, 6, errs, PORTAL_FILES_MAX + 1, &n_errs),
                     SH_EINVAL);
    assert_string_equal(errs[0].message, "Choose 5 files or fewer: you chose 6");
    /* a drawing and a report, no words: accepted */
    portal_upload good[2] = {
        {"My drawing.JPG", png_head, sizeof png_head}, /* a PNG, whatever its name */
        {"report", (const unsigned char *)pdf_text, sizeof pdf_text - 1},
    };
    x = (store_submission){.kind = "views", .body = ""};
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, good, 2, D("2026-11-02"), NOW,
                                   f->a, &err),
                     SH_OK);
    /* staff see them with the submission, and get the bytes back */
    store_portal_file *files;
    assert_int_equal(portal_files(f->s, &f->coordinator, f->case_id, f->a, &files, &n), SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(files[0].submission_id, x.id);
    assert_string_equal(files[0].filename, "My drawing.png");
    assert_string_equal(files[0].kind, "png");
    assert_string_equal(files[1].filename, "report.pdf");
    assert_string_equal(files[1].kind, "pdf");
    app_case_view v;
    assert_int_equal(app_case_get(f->s, &f->coordinator, f->case_id, D("2026-11-02"), f->a, &v,
                                  &err),
                     SH_OK);
    store_portal_file got;
    assert_int_equal(portal_file_staff(f->s, &f->coordinator, &v, files[0].id, f->a, &got),
                     SH_OK);
    assert_int_equal(got.size, sizeof png_head);
    assert_memory_equal(got.content, png_head, sizeof png_head);
    assert_int_equal(portal_file_staff(f->s, &f->coordinator, &v, 999999, f->a, &got),
                     SH_ENOTFOUND);
    /* the family who sent it gets it back; nobody else in the portal does */
    store_portal_link link;
    assert_int_equal(portal_child(f->s, &parent, f->child, f->a, &link), SH_OK);
    assert_int_equal(portal_file_family(f->s, &parent, &link, files[1].id, f->a, &got), SH_OK);
    assert_int_equal(got.size, sizeof pdf_text - 1);
    app_identity stranger = parent;
    stranger.user_id = parent.user_id + 1000;
    assert_int_equal(portal_file_family(f->s, &stranger, &link, files[1].id, f->a, &got),
                     SH_ENOTFOUND);
    assert_int_equal(portal_file_family(f->s, &f->coordinator, &link, files[1].id, f->a, &got),
                     SH_EDENIED);
    /* what the family sees of what they sent */
    app_case_view pv;
    bool has_case;
    assert_int_equal(portal_journey(f->s, &parent, f->child, D("2026-11-02"), f->a, &pv,
                                    &has_case, &err),
                     SH_OK);
    store_submission *mine;
    size_t n_mine, n_files;
    assert_int_equal(portal_sent(f->s, &parent, &pv, f->a, &mine, &n_mine, &files, &n_files),
                     SH_OK);
    assert_int_equal(n_mine, 1);
    assert_int_equal(n_files, 2);
    assert_int_equal(portal_sent(f->s, &stranger, &pv, f->a, &mine, &n_mine, &files, &n_files),
                     SH_OK);
    assert_int_equal(n_mine, 0);
    assert_int_equal(n_files, 0);
    /* a draft response carries no files */
    x = (store_submission){.kind = "draft_response", .body = "Comments."};
    assert_int_equal(portal_submit(f->s, &parent, f->child, &x, good, 1, D("2026-11-02"), NOW,
                                   f->a, &err),
                     SH_EINVAL);
}

/* ---- a second child on one account ---------------------------------------------- */

/* Opens a case for `child` and invites a family member to it as `rel`. */
static void invite_to(fixture *f, int64_t child, const char *rel,
                      char code[AUTH_SECRET_TEXT_LEN + 1])
{
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, D("2026-10-05"));
    store_case c;
    journey_timeline t;
    app_error err = {0};
    assert_int_equal(app_case_open(f->s, &f->coordinator, child, "c.test", &start,
                                   D("2026-11-02"), f->a, &c, &t, &err),
                     SH_OK);
    store_invitation inv;
    assert_int_equal(portal_invite(f->s, &f->coordinator, c.id, rel, "Pat Parent", NOW,
                                   D("2026-11-02"), f->a, code, &inv, &err),
                     SH_OK);
}

static void test_add_second_child(void **state)
{
    fixture *f = *state;
    app_identity parent = joined_parent(f);
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite_to(f, f->other_child, "carer", code);
    store_portal_link link;
    app_error err = {0};
    /* staff cannot */
    assert_int_equal(portal_add_child(f->s, &f->coordinator, code, "10.1.0.1", NOW + 1, f->a,
                                      &link, &err),
                     SH_EDENIED);
    assert_int_equal(portal_add_child(f->s, &parent, code, "10.1.0.1", NOW + 1, f->a, &link,
                                      &err),
                     SH_OK);
    assert_int_equal(link.child_id, f->other_child);
    assert_string_equal(link.forename, "Ben");
    assert_string_equal(link.relationship, "carer");
    store_portal_link *kids;
    size_t n;
    assert_int_equal(portal_children(f->s, &parent, f->a, &kids, &n), SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(kids[0].child_id, f->child);
    assert_int_equal(kids[1].child_id, f->other_child);
    /* the same code again: used */
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_add_child(f->s, &parent, code, "10.1.0.1", NOW + 2, f->a, &link,
                                      &err),
                     SH_EINVAL);
    assert_string_equal(err.message, "This code has already been used. Sign in with your account.");
    /* a new code for a child already on the account: said plainly, not used */
    invite(f, code, NOW + 3);
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_add_child(f->s, &parent, code, "10.1.0.1", NOW + 4, f->a, &link,
                                      &err),
                     SH_EINVAL);
    assert_string_equal(err.message,
                        "Ada Testchild is already on your account. The code has not been used.");
    store_user other;
    assert_int_equal(join(f, code, "sam.parent", "10.1.0.1", NOW + 5, &other, &err), SH_OK);
}

static void test_add_child_rules(void **state)
{
    fixture *f = *state;
    app_identity parent = joined_parent(f);
    /* a young person over compulsory school age, invited to their own account */
    store_child yp = {.la_code = LA, .forename = "Cal", .surname = "Testchild",
                      .date_of_birth = D("2008-05-01"), .sen_need = {-1, -1}};
    assert_int_equal(store_child_insert(f->s, &yp), SH_OK);
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite_to(f, yp.id, "young_person", code);
    store_portal_link link;
    app_error err = {0};
    assert_int_equal(portal_add_child(f->s, &parent, code, "10.2.0.1", NOW + 1, f->a, &link,
                                      &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "code");
    assert_non_null(strstr(err.message, "for a young person to make their own account"));
    /* the young person makes their own account with it; it then takes no
     * parent's code */
    store_user u;
    assert_int_equal(join(f, code, "cal.yp", "10.2.0.1", NOW + 2, &u, &err), SH_OK);
    app_identity cal = parent_of(&u);
    cal.username = "cal.yp";
    char code2[AUTH_SECRET_TEXT_LEN + 1];
    invite_to(f, f->other_child, "parent", code2);
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_add_child(f->s, &cal, code2, "10.2.0.1", NOW + 3, f->a, &link, &err),
                     SH_EINVAL);
    assert_non_null(strstr(err.message, "young person's own account"));
    /* refusals of real codes do not count towards the rate limit; guesses do */
    for (int i = 0; i < AUTH_MAX_FAILURES; i++)
        assert_int_equal(portal_add_child(f->s, &parent, "not-a-code", "10.2.0.1", NOW + 10 + i,
                                          f->a, &link, &err),
                         SH_EINVAL);
    assert_int_equal(portal_add_child(f->s, &parent, code2, "10.2.0.1", NOW + 20, f->a, &link,
                                      &err),
                     SH_EDENIED);
    assert_int_equal(portal_add_child(f->s, &parent, code2, "10.2.0.2", NOW + 20, f->a, &link,
                                      &err),
                     SH_OK);
}

/* ---- withdrawing access ---------------------------------------------------------- */

static void test_remove_access(void **state)
{
    fixture *f = *state;
    app_identity parent = joined_parent(f);
    char spare[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, spare, NOW + 1); /* a second letter, still in the post */
    app_case_view v;
    app_error err = {0};
    assert_int_equal(app_case_get(f->s, &f->coordinator, f->case_id, D("2026-11-02"), f->a, &v,
                                  &err),
                     SH_OK);
    store_family_access *linked, *removed;
    size_t n, n_removed;
    assert_int_equal(portal_family_access(f->s, &f->coordinator, &v, f->a, &linked, &n,
                                          &removed, &n_removed),
                     SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(n_removed, 0);
    assert_int_equal(linked[0].user_id, parent.user_id);
    assert_string_equal(linked[0].display_name, "Pat Parent");
    assert_string_equal(linked[0].relationship, "parent");
    int64_t open = 0, revoked = 0;
    assert_int_equal(portal_open_invitations(f->s, &f->coordinator, &v, NOW + 2, &open), SH_OK);
    assert_int_equal(open, 1);
    /* who may: coordinators and managers, not health; a reason is required */
    assert_int_equal(portal_family_access(f->s, &f->health, &v, f->a, &linked, &n, &removed,
                                          &n_removed),
                     SH_EDENIED);
    assert_int_equal(portal_remove_access(f->s, &f->health, &v, parent.user_id, "x", true,
                                          NOW + 2, &revoked, &err),
                     SH_EDENIED);
    memset(&err, 0, sizeof err);
    assert_int_equal(portal_remove_access(f->s, &f->coordinator, &v, parent.user_id, "", true,
                                          NOW + 2, &revoked, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "reason");
    store_portal_link link;
    assert_int_equal(portal_child(f->s, &parent, f->child, f->a, &link), SH_OK); /* still */
    assert_int_equal(portal_remove_access(f->s, &f->coordinator, &v, parent.user_id,
                                          "Parental responsibility changed (court order).",
                                          true, NOW + 2, &revoked, &err),
                     SH_OK);
    assert_int_equal(revoked, 1);
    /* the parent reaches the child no more, and is told why the account is empty */
    assert_int_equal(portal_child(f->s, &parent, f->child, f->a, &link), SH_ENOTFOUND);
    bool had = false;
    assert_int_equal(portal_had_access_removed(f->s, &parent, &had), SH_OK);
    assert_true(had);
    /* who had access is kept */
    assert_int_equal(portal_family_access(f->s, &f->coordinator, &v, f->a, &linked, &n,
                                          &removed, &n_removed),
                     SH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(n_removed, 1);
    assert_int_equal(removed[0].user_id, parent.user_id);
    assert_int_equal(removed[0].since, NOW);
    assert_int_equal(removed[0].removed_at, NOW + 2);
    assert_string_equal(removed[0].removed_by, "c.test");
    assert_string_equal(removed[0].reason, "Parental responsibility changed (court order).");
    /* the letter in the post no longer works */
    store_user u;
    assert_int_equal(join(f, spare, "late.parent", "10.3.0.1", NOW + 3, &u, &err), SH_EINVAL);
    assert_int_equal(portal_open_invitations(f->s, &f->coordinator, &v, NOW + 3, &open), SH_OK);
    assert_int_equal(open, 0);
    /* removing again: there is nothing to remove */
    assert_int_equal(portal_remove_access(f->s, &f->coordinator, &v, parent.user_id, "Again.",
                                          false, NOW + 4, &revoked, &err),
                     SH_ENOTFOUND);
    /* a fresh invitation gives access again */
    char code[AUTH_SECRET_TEXT_LEN + 1];
    invite(f, code, NOW + 5);
    assert_int_equal(portal_add_child(f->s, &parent, code, "10.3.0.1", NOW + 6, f->a, &link,
                                      &err),
                     SH_OK);
    assert_int_equal(portal_child(f->s, &parent, f->child, f->a, &link), SH_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_state),
        cmocka_unit_test(test_relationships),
        cmocka_unit_test(test_school_age_end),
        cmocka_unit_test(test_wording),
        cmocka_unit_test(test_file_check),
        cmocka_unit_test(test_filename_clean),
        cmocka_unit_test(test_add_rules),
        cmocka_unit_test_setup_teardown(test_invitation_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invitation_expires, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_password_keeps_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_own_child, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_may_invite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_response_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views_with_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_second_child, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_child_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_access, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
