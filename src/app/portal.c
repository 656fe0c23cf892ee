/*
 * portal.c — family invitations, joining and the reach of a family account
 * (portal.h).
 */
#include "app/portal.h"

#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/audit.h"
#include "app/views_request.h"
#include "util/err.h"

#define NAME_MAX_BYTES 400 /* 100 characters of up to 4 bytes */

/* 1-100 characters, no control characters (a name printed on a letter). */
static bool name_ok(const char *s)
{
    size_t n = s ? strnlen(s, NAME_MAX_BYTES + 1) : 0, chars = 0;
    if (n == 0 || n > NAME_MAX_BYTES)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        chars += (*p & 0xc0) != 0x80;
    }
    return chars <= STORE_NAME_MAX;
}

static int invite_check(const store_child *child, const char *relationship, const char *name,
                        date_t today, app_error *err)
{
    int rel = portal_rel_parse(relationship);
    if (rel < 0)
        return app_fail(err, SH_EINVAL, "relationship",
                        "Select who the invitation is for.");
    if (rel == PORTAL_YOUNG_PERSON && !portal_young_person_ok(child->date_of_birth, today))
        return app_fail(err, SH_EINVAL, "relationship",
                        "%s is still of compulsory school age: invite a parent or carer.",
                        child->forename);
    if (!name_ok(name))
        return app_fail(err, SH_EINVAL, "name",
                        "Enter the name of the person you are inviting (up to 100 "
                        "characters).");
    return SH_OK;
}

static int invite_store(store *s, const app_identity *who, store_invitation *inv,
                        const unsigned char hash[STORE_TOKEN_HASH_LEN], app_error *err)
{
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The invitation");
    rc = store_invitation_insert(s, hash, inv);
    if (rc == SH_OK) {
        char detail[160];
        snprintf(detail, sizeof detail, "portal invitation for a %s", inv->relationship);
        rc = app_audit_write(s, who, "invitation", inv->id, inv->child_id, detail, err);
    }
    return app_finish_tx(s, rc, err);
}

int portal_invite(store *s, const app_identity *who, int64_t case_id, const char *relationship,
                  const char *name, int64_t now, date_t today, arena *a,
                  char code_out[AUTH_SECRET_TEXT_LEN + 1], store_invitation *out,
                  app_error *err)
{
    memset(code_out, 0, AUTH_SECRET_TEXT_LEN + 1);
    store_case c;
    store_child child;
    int rc = store_case_get(s, who->la_code, case_id, a, &c);
    if (rc == SH_OK)
        rc = store_child_get(s, who->la_code, c.child_id, a, &child);
    if (rc)
        return app_store_failure(rc, err, "The case");
    if (!access_can(who, CAN_INVITE_FAMILY) || !access_case_visible(who, &c, &child)) {
        audit_record_now(s, who, "denied", "invitation", 0, c.child_id, "invite family", now);
        return app_fail(err, SH_EDENIED, NULL, "Your role cannot invite families.");
    }
    rc = invite_check(&child, relationship, name, today, err);
    if (rc)
        return rc;
    unsigned char hash[STORE_TOKEN_HASH_LEN];
    auth_secret_new(code_out);
    rc = auth_secret_hash(code_out, hash);
    if (rc)
        return app_store_failure(rc, err, "The invitation");
    *out = (store_invitation){.child_id = child.id, .relationship = relationship,
                              .invitee_name = name, .created_by = who->username,
                              .created_at = now,
                              .expires_at = now + (int64_t)PORTAL_INVITE_DAYS * 86400};
    memcpy(out->la_code, child.la_code, sizeof out->la_code);
    rc = invite_store(s, who, out, hash, err);
    if (rc)
        memset(code_out, 0, AUTH_SECRET_TEXT_LEN + 1);
    return rc;
}

/* ---- joining ------------------------------------------------------------ */

typedef struct {
    const store_invitation *inv;
    int64_t now;
} join_ctx;

/* Inside the account's transaction: the invitation is used (once: a second
 * redemption racing this one finds it used and rolls back) and the link
 * made. */
/* The invitation used by account `user_id` (once: a second redemption
 * racing this one finds it used and rolls back), the link made and the
 * join audited, inside the caller's transaction. */
static int redeem(store *s, const store_invitation *inv, int64_t user_id, const char *username,
                  int64_t now, const char *detail, app_error *err)
{
    int rc = store_invitation_use(s, inv->id, user_id, now);
    if (rc == SH_ENOTFOUND)
        return app_fail(err, SH_EINVAL, "code",
                        "This code has already been used. Sign in with your account.");
    store_portal_link l = {.child_id = inv->child_id, .relationship = inv->relationship,
                           .since = now};
    memcpy(l.la_code, inv->la_code, sizeof l.la_code);
    if (rc == SH_OK)
        rc = store_portal_link_insert(s, user_id, &l);
    if (rc == SH_OK) {
        app_identity as = {.user_id = user_id, .username = username, .role = ROLE_PARENT,
                           .remote = ""};
        memcpy(as.la_code, l.la_code, sizeof as.la_code);
        rc = audit_record_now(s, &as, "join", "invitation", inv->id, l.child_id, detail, now);
    }
    return rc;
}

static int join_link(store *s, const store_user *u, void *ctx, app_error *err)
{
    const join_ctx *j = ctx;
    return redeem(s, j->inv, u->id, u->username, j->now, "joined the family portal", err);
}

/* A code that did not work: counted against `remote` for the rate limit. */
static int bad_code(store *s, const char *remote, int64_t now, const char *message,
                    app_error *err)
{
    store_join_failure_add(s, remote, now, now - AUTH_LOCK_SECONDS);
    return app_fail(err, SH_EINVAL, "code", "%s", message);
}

/* Finds the invitation behind a code, or says why it cannot be used. */
static int join_invitation(store *s, const char *code, const char *remote, int64_t now,
                           arena *a, store_invitation *inv, app_error *err)
{
    int64_t failures = 0;
    int rc = store_join_failures(s, remote, now - AUTH_LOCK_SECONDS, &failures);
    if (rc)
        return app_store_failure(rc, err, "The invitation");
    if (failures >= AUTH_MAX_FAILURES)
        return app_fail(err, SH_EDENIED, "code",
                        "You have tried too many codes. Wait 15 minutes, then try again.");
    unsigned char hash[STORE_TOKEN_HASH_LEN];
    rc = auth_secret_hash(code, hash);
    if (rc == SH_OK)
        rc = store_invitation_by_hash(s, hash, a, inv);
    if (rc == SH_ENOTFOUND)
        return bad_code(s, remote, now,
                        "This code is not right. Check it against your letter or email.", err);
    if (rc)
        return app_store_failure(rc, err, "The invitation");
    switch (portal_code_check(inv->expires_at, inv->used_at, now)) {
    case PORTAL_CODE_USED:
        return bad_code(s, remote, now,
                        "This code has already been used. Sign in with your account.", err);
    case PORTAL_CODE_EXPIRED:
        return bad_code(s, remote, now,
                        "This code has expired. Ask your council's SEND team for a new one.",
                        err);
    case PORTAL_CODE_OK:
        break;
    }
    return SH_OK;
}

/* The code without spaces around it (copied from a letter or an email). */
static const char *trimmed(arena *a, const char *s)
{
    if (!s)
        return "";
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strnlen(s, AUTH_SECRET_TEXT_LEN + 8);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    const char *t = arena_strndup(a, s, n);
    return t ? t : "";
}

int portal_join(store *s, const portal_join_input *in, const char *remote, int64_t now,
                store_user *out, app_error *err)
{
    arena *a = arena_create(1u << 16);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "There was not enough memory; try again.");
    remote = remote ? remote : "";
    store_invitation inv;
    int rc = join_invitation(s, trimmed(a, in->code), remote, now, a, &inv, err);
    if (rc == SH_OK) {
        /* the council's system user makes the account in the child's area */
        app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .remote = remote};
        memcpy(sys.la_code, inv.la_code, sizeof sys.la_code);
        auth_new_user nu = {.username = in->username, .display_name = in->display_name,
                            .email = in->email, .role = "parent", .la_code = inv.la_code,
                            .password = in->password};
        join_ctx j = {.inv = &inv, .now = now};
        rc = auth_user_add_then(s, &sys, &nu, now, join_link, &j, out, err);
    }
    arena_destroy(a);
    return rc;
}

/* ---- a second child on one account ------------------------------------------ */

/* Why a real code cannot be added to this account, or SH_OK. */
static int add_rules(store *s, const app_identity *who, const store_invitation *inv, arena *a,
                     app_error *err)
{
    if (strcmp(inv->la_code, who->la_code) != 0)
        return app_fail(err, SH_EINVAL, "code",
                        "This code is from another council. Use it to create a separate "
                        "account for that council's portal.");
    store_portal_link *links, link;
    size_t n;
    int rc = store_portal_link_get(s, who->user_id, inv->child_id, a, &link);
    if (rc == SH_OK)
        return app_fail(err, SH_EINVAL, "code",
                        "%s %s is already on your account. The code has not been used.",
                        link.forename, link.surname);
    if (rc == SH_ENOTFOUND)
        rc = store_portal_links(s, who->user_id, a, &links, &n);
    if (rc)
        return app_store_failure(rc, err, "Your account");
    portal_rel rels[STORE_PORTAL_CHILDREN_MAX];
    for (size_t i = 0; i < n; i++) {
        int r = portal_rel_parse(links[i].relationship);
        rels[i] = r < 0 ? PORTAL_PARENT : (portal_rel)r;
    }
    int invited = portal_rel_parse(inv->relationship);
    switch (portal_add_check(invited < 0 ? PORTAL_PARENT : (portal_rel)invited, rels, n,
                             STORE_PORTAL_CHILDREN_MAX)) {
    case PORTAL_ADD_YOUNG_PERSON_CODE:
        return app_fail(err, SH_EINVAL, "code",
                        "This code is for a young person to make their own account. It "
                        "cannot be added to this account. The young person can use it at "
                        "Create your account.");
    case PORTAL_ADD_OWN_ACCOUNT:
        return app_fail(err, SH_EINVAL, "code",
                        "This account is a young person's own account, so it cannot take a "
                        "parent's or carer's code. Sign out and use the code to create a "
                        "separate account.");
    case PORTAL_ADD_FULL:
        return app_fail(err, SH_EINVAL, "code",
                        "Your account has %d children on it, the most it can have. Contact "
                        "your council's SEND team.",
                        STORE_PORTAL_CHILDREN_MAX);
    case PORTAL_ADD_OK:
        break;
    }
    return SH_OK;
}

int portal_add_child(store *s, const app_identity *who, const char *code, const char *remote,
                     int64_t now, arena *a, store_portal_link *out, app_error *err)
{
    if (!access_can(who, CAN_USE_PORTAL))
        return app_fail(err, SH_EDENIED, NULL, "Only family accounts can add a child.");
    remote = remote ? remote : "";
    store_invitation inv;
    int rc = join_invitation(s, trimmed(a, code), remote, now, a, &inv, err);
    if (rc == SH_OK)
        rc = add_rules(s, who, &inv, a, err);
    if (rc)
        return rc;
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The invitation");
    rc = redeem(s, &inv, who->user_id, who->username, now, "added a child to their account",
                err);
    if ((rc = app_finish_tx(s, rc, err)))
        return rc;
    rc = store_portal_link_get(s, who->user_id, inv.child_id, a, out);
    return rc ? app_store_failure(rc, err, "Your account") : SH_OK;
}

/* ---- a family account's children ----------------------------------------- */

int portal_children(store *s, const app_identity *who, arena *a, store_portal_link **out,
                    size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!access_can(who, CAN_USE_PORTAL))
        return SH_EDENIED;
    return store_portal_links(s, who->user_id, a, out, n);
}

int portal_child(store *s, const app_identity *who, int64_t child_id, arena *a,
                 store_portal_link *out)
{
    if (!access_can(who, CAN_USE_PORTAL))
        return SH_EDENIED;
    int rc = store_portal_link_get(s, who->user_id, child_id, a, out);
    if (rc && rc != SH_ENOTFOUND)
        return rc;
    return access_portal_child_visible(who, rc == SH_OK) ? SH_OK : SH_ENOTFOUND;
}

int portal_journey(store *s, const app_identity *who, int64_t child_id, date_t as_of,
                   arena *a, app_case_view *out, bool *has_case, app_error *err)
{
    *has_case = false;
    store_case_query q = {.la_code = who->la_code, .stage = -1, .due_on_or_before = DATE_NONE,
                          .overdue_at = DATE_NONE, .child_id = child_id, .sen_need = -1,
                          .date_of_birth = DATE_NONE, .limit = STORE_PAGE_MAX};
    store_caseload_row *rows;
    size_t n, total;
    int rc = store_case_list(s, &q, a, &rows, &n, &total);
    if (rc)
        return app_store_failure(rc, err, "The case");
    int64_t latest = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].c.id > latest)
            latest = rows[i].c.id;
    if (!latest)
        return SH_OK;
    rc = app_case_get(s, who, latest, as_of, a, out, err);
    *has_case = rc == SH_OK;
    return rc;
}

/* ---- what families send ------------------------------------------------------ */

int portal_draft_window(const app_case_view *v, arena *a, date_t *served, date_t *closes)
{
    *served = *closes = DATE_NONE;
    if (v->timeline.stage != STAGE_DRAFT)
        return SH_OK;
    const event **ev;
    size_t n;
    journey_error je;
    int rc = journey_effective(v->events, v->n_events, a, &ev, &n, &je);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) /* in date order: the last draft served */
        if (ev[i]->type == EV_DRAFT_PLAN_ISSUED)
            *served = ev[i]->date;
    *closes = portal_draft_closes(*served);
    return SH_OK;
}

/* Bytes within max and no control characters other than line breaks and
 * tabs (free text typed into a box). */
static bool text_ok(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n > max)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
            return false;
    return true;
}

/* The file's name as the family knows it, for a message: its base name,
 * at most 60 bytes (cut at a character boundary). */
static void display_name(const char *in, char *out, size_t cap)
{
    const char *base = in ? in : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t n = strnlen(base, cap - 1);
    while (n > 0 && base[n] && ((unsigned char)base[n] & 0xc0) == 0x80)
        n--; /* do not split a UTF-8 sequence */
    memcpy(out, base, n);
    out[n] = '\0';
    if (!out[0])
        snprintf(out, cap, "A file");
}

int portal_files_check(const portal_upload *files, size_t n, app_error *errs, size_t max,
                       size_t *n_errs)
{
    *n_errs = 0;
    if (n > PORTAL_FILES_MAX && max) {
        app_fail(&errs[(*n_errs)++], SH_EINVAL, "files",
                 "Choose %d files or fewer: you chose %zu", PORTAL_FILES_MAX, n);
        return SH_EINVAL;
    }
    for (size_t i = 0; i < n && *n_errs < max; i++) {
        portal_file_kind kind;
        const char *why = NULL;
        if (portal_file_check(files[i].data, files[i].len, &kind, &why) == SH_OK)
            continue;
        char name[61];
        display_name(files[i].filename, name, sizeof name);
        app_fail(&errs[(*n_errs)++], SH_EINVAL, "files", "%s: %s", name, why);
    }
    return *n_errs ? SH_EINVAL : SH_OK;
}

static int submission_check(const app_case_view *v, store_submission *x, size_t n_files,
                            date_t today, arena *a, app_error *err)
{
    x->body = x->body ? x->body : "";
    x->school = x->school ? x->school : "";
    if (!text_ok(x->body, STORE_PORTAL_TEXT_MAX))
        return app_fail(err, SH_EINVAL, strcmp(x->kind, "views") == 0 ? "views" : "comments",
                        "Write no more than 10,000 characters.");
    if (!text_ok(x->school, STORE_PORTAL_SCHOOL_MAX))
        return app_fail(err, SH_EINVAL, "school",
                        "Write the name of the school or college in 200 characters or fewer.");
    if (strcmp(x->kind, "views") == 0) {
        x->school = "";
        x->meeting = false;
        return x->body[0] || n_files ? SH_OK
                                     : app_fail(err, SH_EINVAL, "views",
                                                "Write something about your child.");
    }
    if (n_files) /* the draft response form has no file input */
        return app_fail(err, SH_EINVAL, "comments",
                        "Files can be sent with your views, not with a response.");
    date_t served, closes;
    int rc = portal_draft_window(v, a, &served, &closes);
    if (rc)
        return app_fail(err, rc, NULL, "The case could not be read.");
    if (closes == DATE_NONE)
        return app_fail(err, SH_EINVAL, "comments",
                        "There is no draft plan to respond to at the moment.");
    if (today > closes)
        return app_fail(err, SH_EINVAL, "comments",
                        "The time to respond to the draft plan has ended. Contact your "
                        "coordinator.");
    if (!x->body[0] && !x->school[0] && !x->meeting)
        return app_fail(err, SH_EINVAL, "comments",
                        "Write your comments, name a school or college, or ask for a "
                        "meeting.");
    return SH_OK;
}

/* The submission, its files, the council's request it answers (if one is
 * open) and its audit entry in one transaction. */
static int submission_store(store *s, const app_identity *who, const char *la,
                            int64_t child_id, store_submission *x, const portal_upload *files,
                            size_t n_files, app_error *err)
{
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "Your message");
    rc = store_submission_insert(s, la, x);
    for (size_t i = 0; rc == SH_OK && i < n_files; i++) {
        portal_file_kind kind = PORTAL_FILE_PDF;
        const char *why;
        char name[PORTAL_FILENAME_MAX + 1];
        portal_file_check(files[i].data, files[i].len, &kind, &why); /* checked: for kind */
        portal_filename_clean(files[i].filename, kind, name);
        store_portal_file f = {.submission_id = x->id, .filename = name,
                               .kind = portal_file_kind_name(kind), .size = files[i].len,
                               .content = files[i].data, .created_at = x->created_at};
        rc = store_portal_file_insert(s, la, &f);
    }
    if (rc == SH_OK && strcmp(x->kind, "views") == 0) /* "when asked": the oldest request */
        rc = views_request_answer_oldest(s, who, la, x->case_id, child_id, x->id,
                                         x->created_at, err);
    if (rc == SH_OK) {
        char detail[120];
        if (strcmp(x->kind, "views") != 0)
            snprintf(detail, sizeof detail, "portal: draft plan response");
        else if (n_files)
            snprintf(detail, sizeof detail, "portal: family's views (%zu file%s)", n_files,
                     n_files == 1 ? "" : "s");
        else
            snprintf(detail, sizeof detail, "portal: family's views");
        rc = app_audit_write(s, who, "submission", x->id, child_id, detail, err);
    }
    return app_finish_tx(s, rc, err);
}

int portal_submit(store *s, const app_identity *who, int64_t child_id, store_submission *x,
                  const portal_upload *files, size_t n_files, date_t today, int64_t now,
                  arena *a, app_error *err)
{
    if (strcmp(x->kind, "views") != 0 && strcmp(x->kind, "draft_response") != 0)
        return app_fail(err, SH_EINVAL, NULL, "Unknown kind of message.");
    store_portal_link link;
    int rc = portal_child(s, who, child_id, a, &link);
    if (rc)
        return app_fail(err, rc, NULL, "This child is not on your account.");
    app_case_view v;
    bool has_case;
    rc = portal_journey(s, who, child_id, today, a, &v, &has_case, err);
    if (rc)
        return rc;
    if (!has_case)
        return app_fail(err, SH_EINVAL, strcmp(x->kind, "views") == 0 ? "views" : "comments",
                        "The council has no request for an assessment for %s yet.",
                        link.forename);
    size_t n_errs;
    if ((rc = portal_files_check(files, n_files, err, 1, &n_errs)))
        return rc;
    if ((rc = submission_check(&v, x, n_files, today, a, err)))
        return rc;
    x->case_id = v.c.id;
    x->user_id = who->user_id;
    x->created_at = now;
    return submission_store(s, who, link.la_code, child_id, x, files, n_files, err);
}

int portal_submissions(store *s, const app_identity *who, int64_t case_id, arena *a,
                       store_submission **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!access_can(who, CAN_READ_CASES))
        return SH_EDENIED;
    return store_submission_list(s, who->la_code, case_id, a, out, n);
}

int portal_files(store *s, const app_identity *who, int64_t case_id, arena *a,
                 store_portal_file **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!access_can(who, CAN_READ_CASES))
        return SH_EDENIED;
    return store_portal_files_of_case(s, who->la_code, case_id, a, out, n);
}

int portal_sent(store *s, const app_identity *who, const app_case_view *v, arena *a,
                store_submission **subs, size_t *n_subs, store_portal_file **files,
                size_t *n_files)
{
    *subs = NULL;
    *files = NULL;
    *n_subs = *n_files = 0;
    if (!access_can(who, CAN_USE_PORTAL))
        return SH_EDENIED;
    store_submission *all;
    store_portal_file *af;
    size_t n, nf;
    int rc = store_submission_list(s, v->c.la_code, v->c.id, a, &all, &n);
    if (rc == SH_OK)
        rc = store_portal_files_of_case(s, v->c.la_code, v->c.id, a, &af, &nf);
    if (rc)
        return rc;
    /* the account's own only: another family member's views are theirs */
    for (size_t i = 0; i < n; i++)
        if (all[i].user_id == who->user_id)
            all[(*n_subs)++] = all[i];
    for (size_t i = 0; i < nf; i++)
        if (af[i].user_id == who->user_id)
            af[(*n_files)++] = af[i];
    *subs = all;
    *files = af;
    return SH_OK;
}

int portal_file_staff(store *s, const app_identity *who, const app_case_view *v,
                      int64_t file_id, arena *a, store_portal_file *out)
{
    if (!access_can(who, CAN_READ_CASES))
        return SH_EDENIED;
    int rc = store_portal_file_get(s, v->c.la_code, file_id, a, out);
    return rc ? rc : out->case_id == v->c.id ? SH_OK : SH_ENOTFOUND;
}

int portal_file_family(store *s, const app_identity *who, const store_portal_link *link,
                       int64_t file_id, arena *a, store_portal_file *out)
{
    if (!access_can(who, CAN_USE_PORTAL))
        return SH_EDENIED;
    int rc = store_portal_file_get(s, link->la_code, file_id, a, out);
    if (rc)
        return rc;
    if (out->user_id != who->user_id)
        return SH_ENOTFOUND;
    /* and about this child: access to another child may have been withdrawn */
    store_case c;
    rc = store_case_get(s, link->la_code, out->case_id, a, &c);
    return rc ? rc : c.child_id == link->child_id ? SH_OK : SH_ENOTFOUND;
}

/* ---- withdrawing a family's access ----------------------------------------------- */

int portal_family_access(store *s, const app_identity *who, const app_case_view *v, arena *a,
                         store_family_access **linked, size_t *n_linked,
                         store_family_access **removed, size_t *n_removed)
{
    *linked = *removed = NULL;
    *n_linked = *n_removed = 0;
    if (!access_can(who, CAN_INVITE_FAMILY))
        return SH_EDENIED;
    int rc = store_portal_access_of_child(s, v->c.la_code, v->c.child_id, a, linked, n_linked);
    return rc ? rc
              : store_portal_removed_of_child(s, v->c.la_code, v->c.child_id, a, removed,
                                              n_removed);
}

int portal_open_invitations(store *s, const app_identity *who, const app_case_view *v,
                            int64_t now, int64_t *n)
{
    *n = 0;
    if (!access_can(who, CAN_INVITE_FAMILY))
        return SH_EDENIED;
    return store_invitations_open(s, v->c.la_code, v->c.child_id, now, n);
}

int portal_remove_access(store *s, const app_identity *who, const app_case_view *v,
                         int64_t user_id, const char *reason, bool revoke, int64_t now,
                         int64_t *revoked, app_error *err)
{
    *revoked = 0;
    if (!access_can(who, CAN_INVITE_FAMILY)) {
        audit_record_now(s, who, "denied", "family_access", user_id, v->c.child_id,
                         "remove family access", now);
        return app_fail(err, SH_EDENIED, NULL, "Your role cannot change a family's access.");
    }
    reason = reason ? reason : "";
    if (!reason[0])
        return app_fail(err, SH_EINVAL, "reason", "Enter why their access is ending.");
    if (!text_ok(reason, PORTAL_REASON_MAX))
        return app_fail(err, SH_EINVAL, "reason",
                        "Write the reason in 1,000 characters or fewer.");
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The family's access");
    rc = store_portal_link_remove(s, user_id, v->c.la_code, v->c.child_id, who->username,
                                  reason, now);
    if (rc == SH_ENOTFOUND)
        app_fail(err, rc, NULL, "This family account has no access to the child.");
    if (rc == SH_OK && revoke)
        rc = store_invitations_revoke(s, v->c.la_code, v->c.child_id, now, revoked);
    if (rc == SH_OK) {
        char detail[PORTAL_REASON_MAX + 120];
        snprintf(detail, sizeof detail,
                 "ended family account %lld's access (%lld unused invitation%s withdrawn): %s",
                 (long long)user_id, (long long)*revoked, *revoked == 1 ? "" : "s", reason);
        rc = app_audit_write(s, who, "family_access", user_id, v->c.child_id, detail, err);
    }
    return app_finish_tx(s, rc, err);
}

int portal_had_access_removed(store *s, const app_identity *who, bool *out)
{
    *out = false;
    if (!access_can(who, CAN_USE_PORTAL))
        return SH_EDENIED;
    int64_t n = 0;
    int rc = store_portal_removed_count(s, who->user_id, &n);
    *out = n > 0;
    return rc;
}

/* ---- messages ----------------------------------------------------------------- */

static const char notice_subject[] = "You have a new message in sendhub";
static const char notice_body[] =
    "You have a new message in sendhub about a child's EHC plan.\n\n"
    "Sign in to read it. We do not put any details in emails, to keep them private.";

static int message_check(const char *body, app_error *err)
{
    if (!body || !body[0])
        return app_fail(err, SH_EINVAL, "message", "Write your message.");
    if (!text_ok(body, STORE_PORTAL_MESSAGE_MAX))
        return app_fail(err, SH_EINVAL, "message", "Write no more than 5,000 characters.");
    return SH_OK;
}

/* The message, its notifications and its audit entry in one transaction. */
static int message_store(store *s, const app_identity *who, const char *la, int64_t child_id,
                         store_message *m, const store_recipient *to, size_t n_to,
                         app_error *err)
{
    int rc = store_tx_begin(s);
    if (rc)
        return app_store_failure(rc, err, "Your message");
    rc = store_message_insert(s, la, m);
    for (size_t i = 0; rc == SH_OK && i < n_to; i++)
        if (to[i].email && to[i].email[0])
            rc = store_outbox_insert(s, la, to[i].user_id, to[i].email, notice_subject,
                                     notice_body, m->created_at);
    if (rc == SH_OK)
        rc = app_audit_write(s, who, "message", m->id, child_id,
                             m->from_family ? "portal: message from the family"
                                            : "portal: message to the family",
                             err);
    return app_finish_tx(s, rc, err);
}

int portal_message_from_family(store *s, const app_identity *who, int64_t child_id,
                               const char *body, date_t today, int64_t now, arena *a,
                               store_message *out, app_error *err)
{
    store_portal_link link;
    int rc = portal_child(s, who, child_id, a, &link);
    if (rc)
        return app_fail(err, rc, NULL, "This child is not on your account.");
    if ((rc = message_check(body, err)))
        return rc;
    app_case_view v;
    bool has_case;
    rc = portal_journey(s, who, child_id, today, a, &v, &has_case, err);
    if (rc)
        return rc;
    if (!has_case)
        return app_fail(err, SH_EINVAL, "message",
                        "There is no case for %s yet: contact your council's SEND team.",
                        link.forename);
    store_recipient to = {0};
    store_user u;
    if (v.c.coordinator && v.c.coordinator[0] &&
        store_user_by_name(s, v.c.coordinator, a, &u) == SH_OK)
        to = (store_recipient){.user_id = u.id, .email = u.email};
    *out = (store_message){.case_id = v.c.id, .user_id = who->user_id, .from_family = true,
                           .body = body, .created_at = now};
    return message_store(s, who, link.la_code, child_id, out, &to, to.user_id ? 1 : 0, err);
}

int portal_message_from_council(store *s, const app_identity *who, const app_case_view *v,
                                const char *body, int64_t now, store_message *out,
                                app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return app_fail(err, SH_EDENIED, NULL, "Your role cannot write to families.");
    int rc = message_check(body, err);
    if (rc)
        return rc;
    arena *a = arena_create(1u << 16);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "There was not enough memory; try again.");
    store_recipient *to;
    size_t n;
    rc = store_portal_family_of(s, v->c.la_code, v->c.child_id, a, &to, &n);
    if (rc == SH_OK) {
        *out = (store_message){.case_id = v->c.id, .user_id = who->user_id,
                               .from_family = false, .body = body, .created_at = now};
        rc = message_store(s, who, v->c.la_code, v->c.child_id, out, to, n, err);
    } else {
        rc = app_store_failure(rc, err, "The family's accounts");
    }
    arena_destroy(a);
    return rc;
}

int portal_thread(store *s, const app_identity *who, int64_t case_id, arena *a,
                  store_message **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!access_can(who, CAN_READ_CASES) && !access_can(who, CAN_USE_PORTAL))
        return SH_EDENIED;
    return store_message_list(s, who->la_code, case_id, a, out, n);
}

/* ---- who has looked ---------------------------------------------------------- */

int portal_activity(store *s, const app_identity *who, int64_t child_id, size_t page,
                    arena *a, store_audit **out, size_t *n, size_t *total)
{
    *out = NULL;
    *n = *total = 0;
    store_portal_link link;
    int rc = portal_child(s, who, child_id, a, &link);
    if (rc)
        return rc;
    store_audit_query q = {.la_code = link.la_code, .child_id = child_id,
                           .limit = PORTAL_ACTIVITY_MAX, .offset = page * PORTAL_ACTIVITY_MAX};
    return store_audit_find(s, &q, a, out, n, total);
}

int portal_plan_versions(store *s, const app_identity *who, const app_case_view *v, arena *a,
                         store_plan_version **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!access_can(who, CAN_USE_PORTAL))
        return SH_EDENIED;
    return store_plan_versions(s, who->la_code, v->c.id, a, out, n);
}
