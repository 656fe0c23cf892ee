/*
 * page_portal.c — the family portal (issue 7): joining from an invitation,
 * a family's children, and each child's journey in plain words; and, on the
 * staff side, inviting a family from a case.
 *
 * A family account sees only the children linked to it (app/portal.h): any
 * other child is "not found", after the denial has been audited, as in the
 * staff application. Every page works without JavaScript and at 375 px: one
 * column, summary lists rather than wide tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "app/ask.h"
#include "app/health.h"
#include "app/portal.h"
#include "util/err.h"
#include "web/multipart.h"
#include "web/pages.h"

/* An app_error as the form's one validation message, on err's field or
 * `field` when it names none (the message copied: err lives on the stack). */
static void error_to_form(web_request *req, pages_errors *errs, const app_error *err,
                          const char *field)
{
    const char *msg = arena_strdup(req->a, err->message);
    pages_errors_add(errs, err->field ? err->field : field, msg ? msg : "Check what you entered");
}

/* ---- joining -------------------------------------------------------------- */

int pages_portal_code_input(buf *b, const web_form *f, const pages_errors *errs)
{
    return pages_input(b, &(pages_input_spec){.name = "code", .label = "Your code",
                                              .hint = "It is in your letter or email.",
                                              .value = form_get(f, "code"),
                                              .autocomplete = "off", .spellcheck_off = true},
                       errs);
}

static int join_render(web_request *req, web_response *res, int status, const web_form *f,
                       const pages_errors *errs)
{
    html_page p = {.title = "Create your account", .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n"
                         "<div class=\"govuk-grid-column-two-thirds\">\n");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">Create your account</h1>\n"
                         "<p class=\"govuk-body\">Your council sent you a code in a letter or "
                         "an email. Use it to create your account. Then you can see how your "
                         "child's EHC plan is going.</p>\n"
                         "<form method=\"post\" action=\"/portal/join\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_portal_code_input(b, f, errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "display_name", .label = "Your name",
                                                .value = form_get(f, "display_name"),
                                                .classes = "govuk-!-width-two-thirds",
                                                .autocomplete = "name"},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "email", .label = "Email (optional)",
                                                .hint = "We only use it to tell you there is "
                                                        "something new to read.",
                                                .value = form_get(f, "email"), .type = "email",
                                                .autocomplete = "email",
                                                .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "username", .label = "Choose a username",
                                                .hint = "Letters, numbers, dots, dashes and "
                                                        "underscores only.",
                                                .value = form_get(f, "username"),
                                                .classes = "govuk-!-width-two-thirds",
                                                .autocomplete = "username",
                                                .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "password", .label = "Choose a password",
                                                .hint = "At least 12 characters. A few words "
                                                        "together are easy to remember.",
                                                .type = "password",
                                                .classes = "govuk-!-width-two-thirds",
                                                .autocomplete = "new-password"},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Create account</button>\n</form>\n"
                         "<p class=\"govuk-body\">Already have an account? "
                         "<a class=\"govuk-link\" href=\"/sign-in?next=/portal/add-child\">"
                         "Sign in to add this child to it</a> with the same code.</p>\n"
                         "</div>\n</div>\n");
    return pages_end(req, res, rc);
}

int page_portal_join_form(web_request *req, web_response *res)
{
    web_form f = {0};
    pages_form_set(&f, "code", web_query(req, "code"));
    pages_errors errs = {0};
    return join_render(req, res, 200, &f, &errs);
}

int page_portal_join(web_request *req, web_response *res)
{
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    portal_join_input in = {.code = form_get(&f, "code"),
                            .username = pages_trim(req->a, form_get(&f, "username")),
                            .display_name = pages_trim(req->a, form_get(&f, "display_name")),
                            .email = pages_trim(req->a, form_get(&f, "email")),
                            .password = form_get(&f, "password")};
    if (!in.code || !pages_trim(req->a, in.code)[0])
        pages_errors_add(&errs, "code", "Enter the code from your letter or email");
    if (!in.display_name[0])
        pages_errors_add(&errs, "display_name", "Enter your name");
    if (!in.username[0])
        pages_errors_add(&errs, "username", "Choose a username");
    if (!in.password || !in.password[0])
        pages_errors_add(&errs, "password", "Choose a password");
    if (errs.n)
        return join_render(req, res, 422, &f, &errs);
    store_user u;
    app_error err = {0};
    rc = portal_join(req->db, &in, req->who.remote, req->now, &u, &err);
    if (rc == SH_EINVAL || rc == SH_EDENIED || rc == SH_ECONFLICT) {
        error_to_form(req, &errs, &err, "code");
        return join_render(req, res, rc == SH_EDENIED ? 429 : 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, "/sign-in?joined=1&next=/portal");
}

/* ---- a family's children ------------------------------------------------------ */

/* The children on a family account and, when it has none, why: not yet
 * (a code adds them), or no longer (the council ended the access). */
int page_portal(web_request *req, web_response *res)
{
    store_portal_link *kids;
    size_t n;
    bool removed = false;
    int rc = portal_children(req->db, &req->who, req->a, &kids, &n);
    if (rc == SH_OK && n == 0)
        rc = portal_had_access_removed(req->db, &req->who, &removed);
    if (rc)
        return pages_fail(req, res, rc);
    html_page p = {.title = "Your children", .nav = "portal"};
    buf *b = &res->body;
    const char *added = web_query(req, "added");
    rc = pages_begin(req, res, 200, &p);
    for (size_t i = 0; rc == SH_OK && added && i < n; i++)
        if (strcmp(added, arena_printf(req->a, "%lld", (long long)kids[i].child_id)) == 0)
            rc = pages_success_banner(b, arena_printf(req->a, "%s %s is now on your account",
                                                      kids[i].forename, kids[i].surname));
    if (rc == SH_OK && n == 0 && removed)
        rc = html_fmt(b, "<p class=\"govuk-body\" id=\"no-children\">There are no children on "
                         "your account now. The council's SEND team has ended your access to "
                         "the records you could see here.</p>\n"
                         "<p class=\"govuk-body\">If you think this is wrong, or you want to "
                         "know why, contact your council's SEND team. Your account stays open, "
                         "so a new code from them can add a child again.</p>\n");
    else if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\" id=\"no-children\">There are no children on "
                         "your account yet. Your council's SEND team adds them when they send "
                         "you a code.</p>\n");
    if (rc == SH_OK && n)
        rc = html_fmt(b, "<p class=\"govuk-body\">Choose a child to see how their EHC plan "
                         "is going.</p>\n<ul class=\"govuk-list\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = html_fmt(b, "<li><a class=\"govuk-link govuk-!-font-size-24\" "
                         "href=\"/portal/children/%lld\">%s %s</a></li>\n",
                      (long long)kids[i].child_id, kids[i].forename, kids[i].surname);
    if (rc == SH_OK && n)
        rc = html_fmt(b, "</ul>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/portal/add-child\">%s</a></p>\n",
                      n ? "Add another child with a code" : "Add a child with a code");
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/portal/emails\">Emails about upcoming dates</a></p>\n");
    return pages_end(req, res, rc);
}

/* ---- a child's journey ---------------------------------------------------------- */

/* What happens next and by when, with the statutory sentence. */
static int next_step(web_request *req, buf *b, const journey_timeline *t)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">What happens next</h2>\n");
    if (rc == SH_OK && !t->next)
        return html_fmt(b, "<p class=\"govuk-body\">There is nothing the council has to do "
                           "by a set date at the moment.</p>\n");
    const journey_deadline *d = t->next;
    char why[512];
    journey_explain(d, why, sizeof why);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body-l\" id=\"next-step\">%s: by %D.</p>\n"
                         "<p class=\"govuk-body\">%s</p>\n",
                      pages_step_label(req->a, journey_rule_key(d->rule), d->agency), d->due,
                      why);
    if (rc == SH_OK && d->due < req->today)
        rc = html_fmt(b, "<div class=\"govuk-warning-text\">\n"
                         "<span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span>\n"
                         "<strong class=\"govuk-warning-text__text\">"
                         "<span class=\"govuk-visually-hidden\">Warning</span>"
                         "This is late. You can ask your coordinator why.</strong>\n</div>\n");
    return rc;
}

/* Advice the family is waiting for, late items first (the timeline is in
 * due-date order already). */
static int waiting_for(buf *b, const journey_timeline *t, date_t today)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">What you are waiting for</h2>\n");
    size_t shown = 0;
    for (size_t i = 0; rc == SH_OK && i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        char text[256];
        if (d->done != DATE_NONE || !portal_advice_text(d, today, text, sizeof text))
            continue;
        if (!shown++)
            rc = html_fmt(b, "<ul class=\"govuk-list govuk-list--bullet\" id=\"waiting\">\n");
        if (rc == SH_OK)
            rc = html_fmt(b, "<li>%s%r</li>\n", text,
                          d->due < today ? " <strong class=\"govuk-tag govuk-tag--red\">Late"
                                           "</strong>"
                                         : "");
    }
    if (rc == SH_OK && shown)
        return html_fmt(b, "</ul>\n");
    return rc ? rc
              : html_fmt(b, "<p class=\"govuk-body\">You are not waiting for any advice.</p>\n");
}

/* Steps done, oldest first: what has happened. */
static int has_happened(web_request *req, buf *b, const app_case_view *v)
{
    const journey_timeline *t = &v->timeline;
    const journey_deadline **done = arena_calloc(req->a, t->n_deadlines + 1, sizeof *done);
    if (!done)
        return SH_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (d->done == DATE_NONE)
            continue;
        size_t k = n++;
        for (; k > 0 && done[k - 1]->done > d->done; k--) /* insertion: a handful of steps */
            done[k] = done[k - 1];
        done[k] = d;
    }
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">What has happened</h2>\n"
                         "<ul class=\"govuk-list govuk-list--bullet\" id=\"happened\">\n");
    if (rc == SH_OK && t->request_date != DATE_NONE)
        rc = html_fmt(b, "<li>%D: the council received the request for an assessment.</li>\n",
                      t->request_date);
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        char text[256];
        portal_done_text(done[i], text, sizeof text);
        rc = html_fmt(b, "<li>%D: %s</li>\n", done[i]->done, text);
    }
    return rc ? rc : html_fmt(b, "</ul>\n");
}

/* The child's health referrals: where they are in each queue and when
 * they are likely to be seen, in words (a phone has no room for a table). */
static int health_waits(web_request *req, buf *b, int64_t child_id)
{
    health_referral_view *v;
    size_t n;
    app_error err = {0};
    int rc = app_referrals_for_child(req->db, &req->who, child_id, req->today, req->a, &v, &n,
                                     &err);
    if (rc == SH_OK && n)
        rc = pages_audit(req, "read", "referral", 0, child_id, "portal: health waits");
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Health waiting lists</h2>\n");
    if (rc == SH_OK && n == 0)
        return html_fmt(b, "<p class=\"govuk-body\">Your child is not waiting for any health "
                           "service we know about.</p>\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const health_referral_view *x = &v[i];
        rc = html_fmt(b, "<h3 class=\"govuk-heading-s\">%s</h3>\n<p class=\"govuk-body\">"
                         "Referred on %D. ",
                      x->pathway.name, x->r.referral_date);
        if (rc == SH_OK && x->seen != DATE_NONE)
            rc = html_fmt(b, "First seen on %D.", x->seen);
        else if (rc == SH_OK && x->position)
            rc = html_fmt(b, "Your child is number %zu of %zu waiting.", x->position,
                          x->queue_len);
        if (rc == SH_OK && x->seen == DATE_NONE && x->estimate != DATE_NONE)
            rc = html_fmt(b, " We expect them to be seen around %D.", x->estimate);
        if (rc == SH_OK && x->paused)
            rc = html_fmt(b, " The wait is paused at the moment.");
        if (rc == SH_OK)
            rc = html_fmt(b, "</p>\n");
    }
    return rc ? rc
              : html_fmt(b, "<p class=\"govuk-body-s\">Estimates are a guide, not an "
                            "appointment. The health service will contact you with a date."
                            "</p>\n");
}

/* The named coordinator and how to reach them. */
static int contact(web_request *req, buf *b, const store_case *c)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Who to contact</h2>\n");
    store_user u;
    if (rc == SH_OK && (!c->coordinator || !c->coordinator[0] ||
                        store_user_by_name(req->db, c->coordinator, req->a, &u) != SH_OK))
        return html_fmt(b, "<p class=\"govuk-body\">A coordinator has not been named yet. "
                           "Contact your council's SEND team.</p>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\" id=\"coordinator\">Your coordinator is "
                         "<strong>%s</strong>.", u.display_name);
    if (rc == SH_OK && u.email[0])
        rc = html_fmt(b, " Email: <a class=\"govuk-link\" href=\"mailto:%s\">%s</a>.", u.email,
                      u.email);
    return rc ? rc : html_fmt(b, "</p>\n");
}

/* Links to give views at any time, and to respond to a draft plan while its
 * window is open. */
static int have_your_say(web_request *req, buf *b, const app_case_view *v, int64_t child_id)
{
    date_t served, closes;
    int rc = portal_draft_window(v, req->a, &served, &closes);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Have your say</h2>\n"
                         "<ul class=\"govuk-list\">\n");
    if (rc == SH_OK && closes != DATE_NONE && req->today <= closes)
        rc = html_fmt(b, "<li><a class=\"govuk-link\" href=\"/portal/children/%lld/draft-response"
                         "\">Respond to the draft EHC plan</a> by %D</li>\n",
                      (long long)child_id, closes);
    if (rc == SH_OK)
        rc = html_fmt(b, "<li><a class=\"govuk-link\" href=\"/portal/children/%lld/views\">"
                         "Tell us about your child (all about me)</a></li>\n"
                         "<li><a class=\"govuk-link\" href=\"/portal/children/%lld/messages\">"
                         "Messages with your coordinator</a></li>\n"
                         "<li><a class=\"govuk-link\" href=\"/portal/children/%lld/activity\">"
                         "Who has looked at or changed this record</a></li>\n</ul>\n",
                      (long long)child_id, (long long)child_id, (long long)child_id);
    return rc;
}

int pages_portal_child_load(web_request *req, web_response *res, store_portal_link *link)
{
    int rc = portal_child(req->db, &req->who, req->params[0], req->a, link);
    if (rc == SH_ENOTFOUND) {
        int arc = pages_audit(req, "denied", "child", req->params[0], req->params[0],
                              "portal: child not linked to this account");
        return pages_fail(req, res, arc ? arc : SH_ENOTFOUND);
    }
    if (rc)
        return pages_fail(req, res, rc);
    rc = pages_audit(req, "read", "child", link->child_id, link->child_id, "portal journey");
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

int pages_portal_case_load(web_request *req, web_response *res, app_case_view *v)
{
    app_error err = {0};
    int rc = app_case_get(req->db, &req->who, req->params[0], req->today, req->a, v, &err);
    int64_t child = rc == SH_OK ? v->c.child_id : 0;
    store_portal_link link;
    if (rc == SH_OK)
        rc = portal_child(req->db, &req->who, child, req->a, &link);
    if (rc == SH_ENOTFOUND) {
        int arc = pages_audit(req, "denied", "case", req->params[0], child,
                              "portal: case of a child not linked to this account");
        return pages_fail(req, res, arc ? arc : SH_ENOTFOUND);
    }
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

/* The plan's issued versions (draft, final, amendments), each to read and
 * download: never the council's working draft. */
static int plan_versions(web_request *req, buf *b, const app_case_view *v)
{
    store_plan_version *versions;
    size_t n;
    int rc = portal_plan_versions(req->db, &req->who, v, req->a, &versions, &n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Your child's EHC plan</h2>\n");
    if (rc == SH_OK && n == 0)
        return html_fmt(b, "<p class=\"govuk-body\">The council has not sent you a plan "
                           "yet.</p>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<ul class=\"govuk-list\" id=\"plans\">\n");
    for (size_t i = n; rc == SH_OK && i-- > 0;) { /* newest first */
        const store_plan_version *x = &versions[i];
        static const char *const kinds[STORE_PLAN_KIND_COUNT] = {
            [STORE_PLAN_DRAFT] = "Draft plan", [STORE_PLAN_FINAL] = "Final plan",
            [STORE_PLAN_PROPOSED] = "Proposed changes", [STORE_PLAN_AMENDED] = "Amended plan"};
        const char *kind = x->kind >= 0 && x->kind < STORE_PLAN_KIND_COUNT && kinds[x->kind]
                               ? kinds[x->kind]
                               : "Plan";
        rc = html_fmt(b, "<li><a class=\"govuk-link\" href=\"/cases/%lld/plan/versions/%d\">%s "
                         "sent on %D</a> (<a class=\"govuk-link\" "
                         "href=\"/cases/%lld/plan/versions/%d/pdf\">download as PDF"
                         "<span class=\"govuk-visually-hidden\">: %s sent on %D</span></a>)"
                         "</li>\n",
                      (long long)v->c.id, x->version, kind, x->issued_on, (long long)v->c.id,
                      x->version, kind, x->issued_on);
    }
    return rc ? rc : html_fmt(b, "</ul>\n");
}

int page_portal_child(web_request *req, web_response *res)
{
    store_portal_link link;
    int rc = pages_portal_child_load(req, res, &link);
    if (rc)
        return rc;
    app_case_view v;
    bool has_case;
    app_error err = {0};
    rc = portal_journey(req->db, &req->who, link.child_id, req->today, req->a, &v, &has_case,
                        &err);
    if (rc)
        return pages_fail(req, res, rc);
    const char *name = arena_printf(req->a, "%s %s", link.forename, link.surname);
    html_page p = {.title = name ? name : "Your child", .nav = "portal",
                   .back_href = "/portal"};
    buf *b = &res->body;
    const char *sent = web_query(req, "sent");
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK && sent && strcmp(sent, "views") == 0)
        rc = pages_success_banner(b, "Thank you. Your coordinator can now read what you wrote.");
    if (rc == SH_OK && sent && strcmp(sent, "draft") == 0)
        rc = pages_success_banner(b, "Thank you. Your response to the draft plan has been sent.");
    if (rc == SH_OK && !has_case) {
        rc = html_fmt(b, "<p class=\"govuk-body\">The council has not received a request for "
                         "an EHC needs assessment for %s yet.</p>\n",
                      link.forename);
        return pages_end(req, res, rc ? rc : health_waits(req, b, link.child_id));
    }
    if (rc == SH_OK)
        rc = pages_portal_views_asked(req, b, &v, link.child_id);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Where things are now</h2>\n"
                         "<p class=\"govuk-body\" id=\"stage\">%s</p>\n",
                      portal_stage_text(v.timeline.stage));
    if (rc == SH_OK)
        rc = next_step(req, b, &v.timeline);
    if (rc == SH_OK)
        rc = have_your_say(req, b, &v, link.child_id);
    if (rc == SH_OK)
        rc = plan_versions(req, b, &v);
    if (rc == SH_OK)
        rc = waiting_for(b, &v.timeline, req->today);
    if (rc == SH_OK)
        rc = has_happened(req, b, &v);
    if (rc == SH_OK)
        rc = health_waits(req, b, link.child_id);
    if (rc == SH_OK)
        rc = contact(req, b, &v.c);
    return pages_end(req, res, rc);
}

/* ---- inviting a family (staff) ----------------------------------------------- */

static const pages_option rel_options[PORTAL_REL_COUNT] = {
    {"parent", "Parent", "Someone with parental responsibility."},
    {"carer", "Carer", "Someone who looks after the child, such as a foster carer."},
    {"young_person", "The young person",
     "Only once they are over compulsory school age: the rights are then theirs."},
};

static int invite_render(web_request *req, web_response *res, const app_case_view *v,
                         int status, const web_form *f, const pages_errors *errs)
{
    const char *title = arena_printf(req->a, "Invite a family member for %s %s",
                                     v->child.forename, v->child.surname);
    html_page p = {.title = title ? title : "Invite a family member", .nav = "caseload",
                   .has_errors = errs->n > 0,
                   .back_href = arena_printf(req->a, "/cases/%lld", (long long)v->c.id)};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">You get a code to send to them by letter or "
                         "email. It works once and lasts %d days. They use it to create an "
                         "account and see this child's journey, and nothing else.</p>\n"
                         "<form method=\"post\" action=\"/cases/%lld/invite\" novalidate>\n",
                      PORTAL_INVITE_DAYS, (long long)v->c.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "relationship",
                                               .legend = "Who is the invitation for?",
                                               .opts = rel_options, .n = PORTAL_REL_COUNT,
                                               .checked = form_get(f, "relationship")},
                          errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "name", .label = "Their name",
                                                .value = form_get(f, "name"),
                                                .classes = "govuk-!-width-two-thirds",
                                                .autocomplete = "off"},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Create invitation</button>\n</form>\n");
    return pages_end(req, res, rc);
}

int pages_family_case_load(web_request *req, web_response *res, app_case_view *v,
                           const char *object, const char *what)
{
    int rc = pages_case_load(req, res, true, v);
    if (rc)
        return rc;
    if (!access_can(&req->who, CAN_INVITE_FAMILY)) {
        rc = pages_audit(req, "denied", object, 0, v->c.child_id, what);
        return pages_fail(req, res, rc ? rc : SH_EDENIED);
    }
    return SH_OK;
}

/* The case in req->params[0], for a person who may invite its family. */
static int invite_case(web_request *req, web_response *res, app_case_view *v)
{
    return pages_family_case_load(req, res, v, "invitation", "invite family");
}

/* With ?online=<id>: who to invite, from the request the family sent online
 * (app/ask.h) that this case was started from; anything else leaves the
 * form empty. */
static int invite_from_online(web_request *req, const app_case_view *v, web_form *f)
{
    const char *id = web_query(req, "online");
    if (!id || !access_can(&req->who, CAN_HANDLE_ONLINE_REQUESTS))
        return SH_OK;
    store_ask r;
    int rc = ask_get(req->db, &req->who, strtoll(id, NULL, 10), req->a, &r);
    if (rc == SH_ENOTFOUND || (rc == SH_OK && r.case_id != v->c.id))
        return SH_OK;
    if (rc == SH_OK)
        rc = pages_audit(req, "read", "online_request", r.id, v->c.child_id, "invite family");
    if (rc == SH_OK) {
        pages_form_set(f, "relationship", r.asker_role);
        pages_form_set(f, "name", r.asker_name);
    }
    return rc;
}

int page_portal_invite_form(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = invite_case(req, res, &v);
    if (rc)
        return rc;
    web_form f = {0};
    if ((rc = invite_from_online(req, &v, &f)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    return invite_render(req, res, &v, 200, &f, &errs);
}

/* The code, shown once: the council officer copies it into a letter or an
 * email. The link works on this site's own address. */
static int invite_done(web_request *req, web_response *res, const app_case_view *v,
                       const char *code, const store_invitation *inv)
{
    html_page p = {.title = "Invitation created", .nav = "caseload", .no_h1 = true};
    buf *b = &res->body;
    const char *host = web_header(req, "Host");
    int rc = pages_begin(req, res, 201, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-panel govuk-panel--confirmation\">\n"
                         "<h1 class=\"govuk-panel__title\">Invitation created</h1>\n"
                         "<div class=\"govuk-panel__body\">for %s</div>\n</div>\n"
                         "<p class=\"govuk-body\">Send %s this code. It is shown only once: "
                         "copy it now. It works once, until %D.</p>\n"
                         "<p class=\"govuk-body\"><code class=\"sendhub-code\" id=\"invite-code\">"
                         "%s</code></p>\n",
                      inv->invitee_name, inv->invitee_name,
                      date_add_days(req->today, PORTAL_INVITE_DAYS), code);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">They can type it in at %s%s/portal/join, or "
                         "use this link:</p>\n<p class=\"govuk-body sendhub-break\">"
                         "<span id=\"invite-link\">%s%s/portal/join?code=%s</span></p>\n"
                         "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/cases/%lld\">"
                         "Back to %s's record</a></p>\n",
                      req->secure_cookies ? "https://" : "http://", host ? host : "",
                      req->secure_cookies ? "https://" : "http://", host ? host : "", code,
                      (long long)v->c.id, v->child.forename);
    return pages_end(req, res, rc);
}

int page_portal_invite(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = invite_case(req, res, &v);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    const char *name = pages_trim(req->a, form_get(&f, "name"));
    pages_errors errs = {0};
    char code[AUTH_SECRET_TEXT_LEN + 1];
    store_invitation inv;
    app_error err = {0};
    rc = portal_invite(req->db, &req->who, v.c.id, form_get(&f, "relationship"), name,
                       req->now, req->today, req->a, code, &inv, &err);
    if (rc == SH_EINVAL) {
        error_to_form(req, &errs, &err, "name");
        return invite_render(req, res, &v, 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return invite_done(req, res, &v, code, &inv);
}

/* ---- views and the response to a draft plan (family) --------------------------- */

typedef struct {
    const char *kind;  /* "views", "draft_response" */
    const char *slug;  /* "views", "draft-response" */
    const char *title;
} say_form;

static const say_form views_form = {"views", "views", "Tell us about your child"};
static const say_form draft_form = {"draft_response", "draft-response",
                                    "Respond to the draft EHC plan"};

/* The file input of the views form: every message about the files chosen
 * (one per bad file), and, after a problem, that what was written is kept
 * but the files must be chosen again (a browser never refills a file
 * input). */
static int file_input(buf *b, const pages_errors *errs)
{
    const char *err = pages_errors_for(errs, "files");
    int rc = html_fmt(b, "<div class=\"govuk-form-group%r\">\n"
                         "<label class=\"govuk-label govuk-label--s\" for=\"files\">Attach "
                         "files (optional)</label>\n"
                         "<div id=\"files-hint\" class=\"govuk-hint\">For example a photo of "
                         "a drawing, or a report. PDF, JPEG or PNG, up to %d files of 5 MB "
                         "each.%r</div>\n",
                      err ? " govuk-form-group--error" : "", PORTAL_FILES_MAX,
                      errs->n ? " What you wrote has been kept, but you need to choose the "
                                "files again."
                              : "");
    if (rc == SH_OK && err)
        rc = html_fmt(b, "<p id=\"files-error\" class=\"govuk-error-message\">\n");
    for (size_t i = 0; rc == SH_OK && err && i < errs->n; i++)
        if (strcmp(errs->e[i].field, "files") == 0)
            rc = html_fmt(b, "<span class=\"govuk-visually-hidden\">Error:</span> %s<br>\n",
                          errs->e[i].message);
    if (rc == SH_OK && err)
        rc = html_fmt(b, "</p>\n");
    return rc ? rc
              : html_fmt(b, "<input class=\"govuk-file-upload%r\" id=\"files\" "
                            "name=\"files\" type=\"file\" multiple "
                            "accept=\".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png\" "
                            "aria-describedby=\"files-hint%r\">\n</div>\n",
                         err ? " govuk-file-upload--error" : "", err ? " files-error" : "");
}

/* Files as links: /portal/children/{child}/files/{id} for the family,
 * /cases/{case}/family-files/{id} for staff; those of one submission. */
static int files_list(buf *b, const char *href_base, const store_portal_file *f, size_t n,
                      int64_t submission_id)
{
    size_t shown = 0;
    int rc = SH_OK;
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        if (f[i].submission_id != submission_id)
            continue;
        int kind = portal_file_kind_parse(f[i].kind);
        if (!shown++)
            rc = html_fmt(b, "<ul class=\"govuk-list sendhub-files\">\n");
        if (rc == SH_OK)
            rc = html_fmt(b, "<li><a class=\"govuk-link\" href=\"%s%lld\" download>%s</a> "
                             "(%s, %zu KB)</li>\n",
                          href_base, (long long)f[i].id, f[i].filename,
                          portal_file_label(kind < 0 ? PORTAL_FILE_PDF : (portal_file_kind)kind),
                          (f[i].size + 1023) / 1024);
    }
    return rc == SH_OK && shown ? html_fmt(b, "</ul>\n") : rc;
}

/* What this account sent before about the child, newest first, with its
 * files: the family sees their own. */
static int sent_before(web_request *req, buf *b, const store_portal_link *link)
{
    app_case_view v;
    bool has_case;
    app_error err = {0};
    store_submission *x;
    store_portal_file *f;
    size_t n = 0, nf = 0;
    int rc = portal_journey(req->db, &req->who, link->child_id, req->today, req->a, &v,
                            &has_case, &err);
    if (rc == SH_OK && has_case)
        rc = portal_sent(req->db, &req->who, &v, req->a, &x, &n, &f, &nf);
    if (rc || n == 0)
        return rc;
    const char *href = arena_printf(req->a, "/portal/children/%lld/files/",
                                    (long long)link->child_id);
    rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"sent\">What you have sent</h2>\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        rc = html_fmt(b, "<div class=\"govuk-inset-text\">\n<h3 class=\"govuk-heading-s\">%s, "
                         "%D</h3>\n",
                      strcmp(x[i].kind, "views") == 0 ? "Your views"
                                                      : "Your response to the draft plan",
                      (date_t)(x[i].created_at / 86400));
        if (rc == SH_OK && x[i].body[0])
            rc = html_fmt(b, "<p class=\"govuk-body sendhub-prewrap\">%s</p>\n", x[i].body);
        if (rc == SH_OK)
            rc = files_list(b, href ? href : "", f, nf, x[i].id);
        if (rc == SH_OK)
            rc = html_fmt(b, "</div>\n");
    }
    return rc;
}

static int say_render(web_request *req, web_response *res, const say_form *sf,
                      const store_portal_link *link, date_t closes, int status,
                      const web_form *f, const pages_errors *errs)
{
    html_page p = {.title = sf->title, .nav = "portal", .has_errors = errs->n > 0,
                   .back_href = arena_printf(req->a, "/portal/children/%lld",
                                             (long long)link->child_id)};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    bool views = strcmp(sf->kind, "views") == 0;
    if (rc == SH_OK) /* views take files: multipart, which works without JavaScript */
        rc = html_fmt(b, "<form method=\"post\" action=\"/portal/children/%lld/%s\"%r "
                         "novalidate>\n",
                      (long long)link->child_id, sf->slug,
                      views ? " enctype=\"multipart/form-data\"" : "");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK && views)
        rc = pages_portal_views_answers(req, b, link);
    if (rc == SH_OK && strcmp(sf->kind, "views") == 0)
        rc = pages_textarea(b, "views", arena_printf(req->a, "About %s", link->forename),
                            "For example: what they are good at, what they enjoy, what is hard "
                            "for them, what helps, and what they hope for. This goes into "
                            "section A of the EHC plan. You can write again at any time.",
                            form_get(f, "views"), 10, errs);
    if (rc == SH_OK && views)
        rc = file_input(b, errs);
    if (rc == SH_OK && strcmp(sf->kind, "draft_response") == 0) {
        rc = html_fmt(b, "<p class=\"govuk-body\">You can respond until %D.</p>\n", closes);
        if (rc == SH_OK)
            rc = pages_textarea(b, "comments", "Your comments on the draft plan",
                                "Say what is missing or wrong, and what you agree with.",
                                form_get(f, "comments"), 8, errs);
        if (rc == SH_OK)
            rc = pages_input(b, &(pages_input_spec){.name = "school",
                                                    .label = "The school or college you want "
                                                             "named in the plan (optional)",
                                                    .value = form_get(f, "school"),
                                                    .classes = "govuk-!-width-two-thirds"},
                             errs);
        if (rc == SH_OK)
            rc = pages_checkbox(b, "meeting", "yes",
                                "I would like a meeting with the council about the draft plan",
                                form_get(f, "meeting") != NULL);
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Send</button>\n</form>\n");
    if (rc == SH_OK && views)
        rc = sent_before(req, b, link);
    return pages_end(req, res, rc);
}

/* The linked child and, for a draft response, the window (404 for a child
 * not linked; the draft form without an open window is a 404 as well: there
 * is nothing to respond to). */
static int say_load(web_request *req, web_response *res, const say_form *sf,
                    store_portal_link *link, date_t *closes)
{
    int rc = pages_portal_child_load(req, res, link);
    if (rc)
        return rc;
    *closes = DATE_NONE;
    if (strcmp(sf->kind, "draft_response") != 0)
        return SH_OK;
    app_case_view v;
    bool has_case;
    app_error err = {0};
    date_t served;
    rc = portal_journey(req->db, &req->who, link->child_id, req->today, req->a, &v, &has_case,
                        &err);
    if (rc == SH_OK && has_case)
        rc = portal_draft_window(&v, req->a, &served, closes);
    if (rc == SH_OK && (*closes == DATE_NONE || req->today > *closes))
        rc = SH_ENOTFOUND;
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

static int say_form_page(web_request *req, web_response *res, const say_form *sf)
{
    store_portal_link link;
    date_t closes;
    int rc = say_load(req, res, sf, &link, &closes);
    if (rc)
        return rc;
    web_form f = {0};
    pages_errors errs = {0};
    return say_render(req, res, sf, &link, closes, 200, &f, &errs);
}

/* The form's fields and, when it came as multipart, the files chosen in
 * its "files" input (their content is checked by the use case). */
static int read_files(web_request *req, web_form *f, portal_upload *up, size_t *n)
{
    *n = 0;
    int rc = pages_form(req, f);
    if (rc || !web_is_multipart(req))
        return rc;
    const web_multipart *m;
    if ((rc = web_multipart_get(req, &m)))
        return rc;
    for (size_t i = 0; i < m->n_files; i++)
        if (strcmp(m->files[i].name, "files") == 0)
            up[(*n)++] = (portal_upload){.filename = m->files[i].filename,
                                         .data = m->files[i].data, .len = m->files[i].len};
    return SH_OK;
}

static int say_post(web_request *req, web_response *res, const say_form *sf)
{
    store_portal_link link;
    date_t closes;
    int rc = say_load(req, res, sf, &link, &closes);
    if (rc)
        return rc;
    web_form f;
    portal_upload up[MULTIPART_FILES_MAX];
    size_t n_up;
    if ((rc = read_files(req, &f, up, &n_up)))
        return pages_fail(req, res, rc);
    bool views = strcmp(sf->kind, "views") == 0;
    store_submission x = {.kind = sf->kind,
                          .body = pages_trim(req->a, form_get(&f, views ? "views" : "comments")),
                          .school = pages_trim(req->a, form_get(&f, "school")),
                          .meeting = form_get(&f, "meeting") != NULL};
    /* every bad file named at once, before the submission's own checks */
    app_error ferr[PORTAL_FILES_MAX + 1], err = {0};
    size_t n_ferr;
    pages_errors errs = {0};
    if (views && portal_files_check(up, n_up, ferr, PORTAL_FILES_MAX + 1, &n_ferr) == SH_EINVAL) {
        for (size_t i = 0; i < n_ferr; i++)
            error_to_form(req, &errs, &ferr[i], "files");
        return say_render(req, res, sf, &link, closes, 422, &f, &errs);
    }
    rc = portal_submit(req->db, &req->who, link.child_id, &x, up, n_up, req->today,
                       req->recorded_at, req->a, &err);
    if (rc == SH_EINVAL) {
        error_to_form(req, &errs, &err, views ? "views" : "comments");
        return say_render(req, res, sf, &link, closes, 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a, "/portal/children/%lld?sent=%s",
                                            (long long)link.child_id,
                                            views ? "views" : "draft"));
}

int page_portal_views_form(web_request *req, web_response *res)
{
    return say_form_page(req, res, &views_form);
}

int page_portal_views(web_request *req, web_response *res)
{
    return say_post(req, res, &views_form);
}

int page_portal_draft_form(web_request *req, web_response *res)
{
    return say_form_page(req, res, &draft_form);
}

int page_portal_draft(web_request *req, web_response *res)
{
    return say_post(req, res, &draft_form);
}

/* ---- on the child's record (staff) ------------------------------------------------ */

int pages_family_submissions(web_request *req, buf *b, int64_t case_id)
{
    store_submission *x;
    store_portal_file *f = NULL;
    size_t n, nf = 0;
    int rc = portal_submissions(req->db, &req->who, case_id, req->a, &x, &n);
    if (rc == SH_OK && n)
        rc = portal_files(req->db, &req->who, case_id, req->a, &f, &nf);
    if (rc || n == 0)
        return rc;
    rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"family\">From the family</h2>\n");
    return rc ? rc : pages_submissions_html(req, b, case_id, x, n, f, nf);
}

int pages_submissions_html(web_request *req, buf *b, int64_t case_id, const store_submission *x,
                           size_t n, const store_portal_file *f, size_t nf)
{
    const char *href = arena_printf(req->a, "/cases/%lld/family-files/", (long long)case_id);
    int rc = SH_OK;
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        bool views = strcmp(x[i].kind, "views") == 0;
        rc = html_fmt(b, "<div class=\"govuk-inset-text\" id=\"submission-%lld\">\n"
                         "<h3 class=\"govuk-heading-s\">%s, from %s, %D</h3>\n",
                      (long long)x[i].id,
                      views ? "Views (all about me)" : "Response to the draft plan",
                      x[i].display_name, (date_t)(x[i].created_at / 86400));
        if (rc == SH_OK && x[i].body[0])
            rc = html_fmt(b, "<p class=\"govuk-body sendhub-prewrap\">%s</p>\n", x[i].body);
        if (rc == SH_OK && x[i].school[0])
            rc = html_fmt(b, "<p class=\"govuk-body\">School or college asked for: %s</p>\n",
                          x[i].school);
        if (rc == SH_OK && x[i].meeting)
            rc = html_fmt(b, "<p class=\"govuk-body\"><strong>Asked for a meeting about the "
                             "draft plan.</strong></p>\n");
        if (rc == SH_OK)
            rc = files_list(b, href ? href : "", f, nf, x[i].id);
        if (rc == SH_OK)
            rc = html_fmt(b, "</div>\n");
    }
    return rc;
}

/* ---- messages ------------------------------------------------------------------- */

int pages_message_thread(web_request *req, buf *b, const store_message *m, size_t n,
                         bool family_view)
{
    if (n == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No messages yet.</p>\n");
    int rc = html_fmt(b, "<ol class=\"govuk-list\" id=\"thread\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const char *who = m[i].from_family
                              ? (family_view ? "You" : arena_printf(req->a, "%s (family)",
                                                                    m[i].display_name))
                              : (family_view ? m[i].display_name
                                             : arena_printf(req->a, "%s (council)",
                                                            m[i].display_name));
        rc = html_fmt(b, "<li class=\"govuk-inset-text govuk-!-margin-top-2\">\n"
                         "<p class=\"govuk-body-s govuk-!-margin-bottom-1\"><strong>%s</strong>, "
                         "%D</p>\n<p class=\"govuk-body sendhub-prewrap\">%s</p>\n</li>\n",
                      who ? who : "", (date_t)(m[i].created_at / 86400), m[i].body);
    }
    return rc ? rc : html_fmt(b, "</ol>\n");
}

static int message_form(web_request *req, buf *b, const char *action, const char *label,
                        const web_form *f, const pages_errors *errs)
{
    int rc = html_fmt(b, "<form method=\"post\" action=\"%s\" novalidate>\n", action);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_textarea(b, "message", label, NULL, form_get(f, "message"), 5, errs);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                            "data-module=\"govuk-button\">Send message</button>\n</form>\n");
}

static int messages_render(web_request *req, web_response *res, const store_portal_link *link,
                           int status, const web_form *f, const pages_errors *errs)
{
    app_case_view v;
    bool has_case;
    app_error err = {0};
    int rc = portal_journey(req->db, &req->who, link->child_id, req->today, req->a, &v,
                            &has_case, &err);
    store_message *m = NULL;
    size_t n = 0;
    if (rc == SH_OK && has_case)
        rc = portal_thread(req->db, &req->who, v.c.id, req->a, &m, &n);
    if (rc)
        return pages_fail(req, res, rc);
    html_page p = {.title = "Messages with your coordinator", .nav = "portal",
                   .has_errors = errs->n > 0,
                   .back_href = arena_printf(req->a, "/portal/children/%lld",
                                             (long long)link->child_id)};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK && web_query(req, "sent") && errs->n == 0)
        rc = pages_success_banner(b, "Your message has been sent");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">About %s. Your coordinator will reply here. "
                         "If you gave us your email address, we will email you when there is a "
                         "reply. The email does not say anything about your child.</p>\n",
                      link->forename);
    if (rc == SH_OK)
        rc = pages_message_thread(req, b, m, n, true);
    if (rc == SH_OK && has_case)
        rc = message_form(req, b,
                          arena_printf(req->a, "/portal/children/%lld/messages",
                                       (long long)link->child_id),
                          "Your message", f, errs);
    return pages_end(req, res, rc);
}

int page_portal_messages(web_request *req, web_response *res)
{
    store_portal_link link;
    int rc = pages_portal_child_load(req, res, &link);
    if (rc)
        return rc;
    web_form f = {0};
    pages_errors errs = {0};
    return messages_render(req, res, &link, 200, &f, &errs);
}

int page_portal_message_send(web_request *req, web_response *res)
{
    store_portal_link link;
    int rc = pages_portal_child_load(req, res, &link);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    store_message m;
    app_error err = {0};
    rc = portal_message_from_family(req->db, &req->who, link.child_id,
                                    pages_trim(req->a, form_get(&f, "message")), req->today,
                                    req->recorded_at, req->a, &m, &err);
    if (rc == SH_EINVAL) {
        pages_errors errs = {0};
        error_to_form(req, &errs, &err, "message");
        return messages_render(req, res, &link, 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a, "/portal/children/%lld/messages?sent=1",
                                            (long long)link.child_id));
}

int pages_family_messages(web_request *req, buf *b, const app_case_view *v, bool can_write)
{
    web_form f = {0};
    pages_errors errs = {0};
    store_message *m;
    size_t n;
    store_recipient *family;
    size_t n_family;
    int rc = portal_thread(req->db, &req->who, v->c.id, req->a, &m, &n);
    if (rc == SH_OK)
        rc = store_portal_family_of(req->db, v->c.la_code, v->c.child_id, req->a, &family,
                                    &n_family);
    if (rc || (n == 0 && n_family == 0))
        return rc;
    rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"messages\">Messages with the family"
                     "</h2>\n");
    if (rc == SH_OK && web_query(req, "message_sent"))
        rc = pages_success_banner(b, "Message sent to the family");
    if (rc == SH_OK)
        rc = pages_message_thread(req, b, m, n, false);
    if (rc == SH_OK && can_write && n_family)
        rc = message_form(req, b, arena_printf(req->a, "/cases/%lld/messages", (long long)v->c.id),
                          "Write to the family", &f, &errs);
    return rc;
}

int page_case_message_send(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = pages_case_load(req, res, true, &v);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    store_message m;
    app_error err = {0};
    rc = portal_message_from_council(req->db, &req->who, &v,
                                     pages_trim(req->a, form_get(&f, "message")),
                                     req->recorded_at, &m, &err);
    if (rc == SH_EINVAL) { /* the form again, on its own, with what was typed */
        pages_errors errs = {0};
        error_to_form(req, &errs, &err, "message");
        html_page p = {.title = "Write to the family", .nav = "caseload", .has_errors = 1,
                       .back_href = arena_printf(req->a, "/cases/%lld", (long long)v.c.id)};
        rc = pages_begin(req, res, 422, &p);
        if (rc == SH_OK)
            rc = html_error_summary(&res->body, errs.e, errs.n);
        if (rc == SH_OK)
            rc = message_form(req, &res->body,
                              arena_printf(req->a, "/cases/%lld/messages", (long long)v.c.id),
                              "Write to the family", &f, &errs);
        return pages_end(req, res, rc);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a, "/cases/%lld?message_sent=1#messages",
                                            (long long)v.c.id));
}

/* ---- who has looked at or changed the record -------------------------------------- */

/* Who, in words: "You", or the person's role and username ("EHC coordinator
 * j.okoro"); an entry without a username is "Someone". */
static const char *activity_who(web_request *req, const store_audit *e)
{
    if (!e->username || !e->username[0])
        return "Someone";
    if (strcmp(e->username, req->who.username) == 0)
        return "You";
    int role = access_role_parse(e->role);
    const char *label = role == ROLE_PARENT   ? "A family member"
                        : role == ROLE_SYSTEM ? "The system"
                        : role >= 0           ? access_role_label((app_role)role)
                                              : "Someone";
    const char *out = role == ROLE_SYSTEM ? label
                                          : arena_printf(req->a, "%s (%s)", label, e->username);
    return out ? out : label;
}

int page_portal_activity(web_request *req, web_response *res)
{
    store_portal_link link;
    int rc = pages_portal_child_load(req, res, &link);
    if (rc)
        return rc;
    size_t page = pages_query_page(req, "page", 100000);
    store_audit *e;
    size_t n, total;
    rc = portal_activity(req->db, &req->who, link.child_id, page - 1, req->a, &e, &n, &total);
    if (rc)
        return pages_fail(req, res, rc);
    html_page p = {.title = "Who has looked at or changed this record", .nav = "portal",
                   .back_href = arena_printf(req->a, "/portal/children/%lld",
                                             (long long)link.child_id)};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Everyone who opens or changes %s's record "
                         "is written down, newest first. Ask your coordinator if something "
                         "here worries you.</p>\n<ul class=\"govuk-list govuk-list--bullet\" "
                         "id=\"activity\">\n",
                      link.forename);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = html_fmt(b, "<li>%D: %s %s.</li>\n", (date_t)(e[i].at / 86400),
                      activity_who(req, &e[i]), portal_activity_text(e[i].action, e[i].object));
    if (rc == SH_OK)
        rc = html_fmt(b, "</ul>\n");
    size_t pages = (total + PORTAL_ACTIVITY_MAX - 1) / PORTAL_ACTIVITY_MAX;
    if (rc == SH_OK && pages > 1)
        rc = pages_pagination(b,
                              arena_printf(req->a, "/portal/children/%lld/activity?page=",
                                           (long long)link.child_id),
                              page, pages);
    return pages_end(req, res, rc);
}
