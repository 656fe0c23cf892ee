/*
 * page_views_request.c — the council asks a family for their views (issue
 * 7, app/views_request.h). Staff side: "The family's views" on a child's
 * case (each request: what for, asked on, reply by, answered on with a
 * link to the views, not yet, late or withdrawn), the form to ask and the
 * form to withdraw a request asked in error. Family side: at the top of the
 * journey, that the council has asked and by when, and on the views form,
 * which request the views answer.
 *
 * Access is decided in app/views_request.h and app/access.h; this file
 * reads forms and renders. Refusals are audited by the case loaders.
 */
#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/portal.h"
#include "app/views_request.h"
#include "util/err.h"
#include "web/pages.h"

static const char *purpose_label(const char *wire)
{
    int p = views_purpose_parse(wire);
    return p < 0 ? "Other" : views_purpose_label((views_purpose)p);
}

/* " for the EHC needs assessment" (with its leading space), or "" (other:
 * the message says what for). */
static const char *family_purpose(web_request *req, const char *wire)
{
    int p = views_purpose_parse(wire);
    const char *what = p < 0 ? "" : views_purpose_family((views_purpose)p);
    return what[0] ? arena_printf(req->a, " %s", what) : "";
}

/* ---- the staff side of a case: "The family's views" ---------------------------- */

/* Where request r stands, for the "Answer" row: answered on (a link to the
 * views it brought, shown under "From the family"), not yet, late, or
 * withdrawn with who and why. */
static int request_state(web_request *req, buf *b, const store_views_request *r)
{
    views_state st = views_state_at(r->reply_by, r->answered_at != 0, r->withdrawn_at != 0,
                                    req->today);
    switch (st) {
    case VIEWS_ANSWERED:
        return html_fmt(b, "<a class=\"govuk-link\" href=\"#submission-%lld\">Answered on %D</a>",
                        (long long)r->submission_id, (date_t)(r->answered_at / 86400));
    case VIEWS_WITHDRAWN:
        return html_fmt(b, "Withdrawn on %D by %s: <span class=\"sendhub-prewrap\">%s</span>",
                        (date_t)(r->withdrawn_at / 86400), r->withdrawn_by,
                        r->withdrawn_reason);
    case VIEWS_LATE:
        return html_fmt(b, "<strong class=\"govuk-tag govuk-tag--red\">Late</strong> "
                           "Not answered yet");
    case VIEWS_OPEN:
    default:
        return html_fmt(b, "<strong class=\"govuk-tag govuk-tag--grey\">Not yet</strong>");
    }
}

static int request_rows(web_request *req, buf *b, const app_case_view *v,
                        const store_views_request *r, bool can_ask)
{
    bool open = r->answered_at == 0 && r->withdrawn_at == 0;
    int rc = html_fmt(b, "<h3 class=\"govuk-heading-s\">%s</h3>\n"
                         "<dl class=\"govuk-summary-list\" id=\"views-request-%lld\">\n"
                         "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__"
                         "key\">Asked on</dt><dd class=\"govuk-summary-list__value\">%D by %s</dd>"
                         "</div>\n",
                      purpose_label(r->purpose), (long long)r->id,
                      (date_t)(r->asked_at / 86400), r->asked_by);
    if (rc == SH_OK && r->message[0])
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list"
                         "__key\">Message</dt><dd class=\"govuk-summary-list__value "
                         "sendhub-prewrap\">%s</dd></div>\n",
                      r->message);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list"
                         "__key\">Reply by</dt><dd class=\"govuk-summary-list__value\">%D</dd>"
                         "</div>\n<div class=\"govuk-summary-list__row\"><dt class=\"govuk-"
                         "summary-list__key\">Answer</dt><dd class=\"govuk-summary-list__value\">",
                      r->reply_by);
    if (rc == SH_OK)
        rc = request_state(req, b, r);
    if (rc == SH_OK)
        rc = html_fmt(b, "</dd></div>\n");
    if (rc == SH_OK && open && can_ask)
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list"
                         "__key\">If asked in error</dt><dd class=\"govuk-summary-list__value\">"
                         "<a class=\"govuk-link\" href=\"/cases/%lld/views-requests/%lld/"
                         "withdraw\">Withdraw the request<span class=\"govuk-visually-hidden\">"
                         " of %D</span></a></dd></div>\n",
                      (long long)v->c.id, (long long)r->id, (date_t)(r->asked_at / 86400));
    return rc ? rc : html_fmt(b, "</dl>\n");
}

int pages_views_request_rows(web_request *req, buf *b, const app_case_view *v,
                             const store_views_request *r, size_t n, bool can_ask)
{
    int rc = SH_OK;
    for (size_t i = n; rc == SH_OK && i-- > 0;) /* newest first */
        rc = request_rows(req, b, v, &r[i], can_ask);
    return rc;
}

int pages_views_requests(web_request *req, buf *b, const app_case_view *v)
{
    if (!access_can(&req->who, CAN_READ_CASES))
        return SH_OK;
    store_views_request *r;
    size_t n;
    int rc = views_request_list(req->db, &req->who, v, req->a, &r, &n);
    bool can_ask = views_request_may_ask(&req->who);
    if (rc || (n == 0 && !can_ask))
        return rc;
    rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"views-requests\">The family's views"
                     "</h2>\n");
    if (rc == SH_OK && web_query(req, "views_asked"))
        rc = pages_success_banner(b, "The family has been asked for their views");
    if (rc == SH_OK && web_query(req, "views_withdrawn"))
        rc = pages_success_banner(b, "Request withdrawn");
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">The family has not been asked for their views "
                         "on this case. They can send them at any time through the family "
                         "portal.</p>\n");
    if (rc == SH_OK)
        rc = pages_views_request_rows(req, b, v, r, n, can_ask);
    if (rc == SH_OK && can_ask)
        rc = html_fmt(b, "<a href=\"/cases/%lld/views-requests/new\" class=\"govuk-button "
                         "govuk-button--secondary\" data-module=\"govuk-button\">Ask the family "
                         "for their views</a>\n",
                      (long long)v->c.id);
    return rc;
}

/* ---- asking: /cases/{id}/views-requests/new --------------------------------------- */

static const pages_option purpose_options[VIEWS_PURPOSE_COUNT] = {
    {"assessment", "The needs assessment",
     "The council must seek the family's advice and information (SEND Regulations 2014, "
     "regulation 6(1)(a))"},
    {"review", "The annual review", "Views before the review meeting (regulation 20)"},
    {"other", "Other", "Say what for in the message"},
};

static int ask_render(web_request *req, web_response *res, const app_case_view *v, int status,
                      const web_form *f, const pages_errors *errs)
{
    const char *title = arena_printf(req->a, "Ask %s's family for their views",
                                     v->child.forename);
    html_page p = {.title = title ? title : "Ask the family for their views",
                   .nav = "caseload", .has_errors = errs->n > 0,
                   .back_href = arena_printf(req->a, "/cases/%lld", (long long)v->c.id)};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">The family sees the request when they sign in "
                         "to the family portal, and each family member with an email address "
                         "is told that the council has asked (the email has no details). Their "
                         "next views answer the oldest open request.</p>\n"
                         "<form method=\"post\" action=\"/cases/%lld/views-requests\" "
                         "novalidate>\n",
                      (long long)v->c.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "purpose",
                                               .legend = "What are the views for?",
                                               .opts = purpose_options,
                                               .n = VIEWS_PURPOSE_COUNT,
                                               .checked = form_get(f, "purpose")},
                          errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "message", "Message to the family",
                            "Optional for the needs assessment and the annual review. Up to "
                            "1,000 characters. The family reads it in the portal.",
                            form_get(f, "message"), 4, errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "reply_by", "Please reply by",
                              "This is the council's date: the law sets none for the family's "
                              "views. The date suggested is when the other advice for this "
                              "assessment is due (6 weeks from its request, regulation 8), or "
                              "2 weeks from today when none is open.",
                              f, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Ask the family</button>\n"
                         "<a class=\"govuk-link\" href=\"/cases/%lld#views-requests\">Cancel</a>\n"
                         "</div>\n</form>\n",
                      (long long)v->c.id);
    return pages_end(req, res, rc);
}

int page_views_request_form(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = pages_case_load(req, res, true, &v);
    if (rc)
        return rc;
    web_form f = {0};
    pages_form_set(&f, "purpose", v.timeline.final_plan_date != DATE_NONE ? "review"
                                                                          : "assessment");
    pages_date_set(&f, req->a, "reply_by", views_reply_by_suggest(&v.timeline, req->today));
    pages_errors errs = {0};
    return ask_render(req, res, &v, 200, &f, &errs);
}

/* An error from the use case under the form's field (a date is filed under
 * its day box, as pages_date_read does). */
static void error_add(web_request *req, pages_errors *errs, const app_error *err,
                      const char *fallback)
{
    const char *field = err->field ? err->field : fallback;
    if (strcmp(field, "reply_by") == 0)
        field = "reply_by-day";
    pages_errors_add(errs, field, arena_strdup(req->a, err->message));
}

int page_views_request_ask(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = pages_case_load(req, res, true, &v);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    date_t reply_by;
    if (pages_date_read(&f, "reply_by", "the reply-by date", true, req->a, &reply_by, &errs))
        return ask_render(req, res, &v, 422, &f, &errs);
    store_views_request r;
    app_error err = {0};
    rc = views_request_ask(req->db, &req->who, &v, form_get(&f, "purpose"),
                           pages_trim(req->a, form_get(&f, "message")), reply_by, req->today,
                           req->recorded_at, &r, &err);
    if (rc == SH_EINVAL) {
        error_add(req, &errs, &err, "purpose");
        return ask_render(req, res, &v, 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a, "/cases/%lld?views_asked=1#views-requests",
                                            (long long)v.c.id));
}

/* ---- withdrawing: /cases/{id}/views-requests/{id}/withdraw ------------------------ */

/* The case, for a person who may ask, and its open request in
 * req->params[1] (404 for any other). */
static int open_request_load(web_request *req, web_response *res, app_case_view *v,
                             store_views_request *out)
{
    int rc = pages_case_load(req, res, true, v);
    if (rc)
        return rc;
    store_views_request *r;
    size_t n;
    if ((rc = views_request_list(req->db, &req->who, v, req->a, &r, &n)))
        return pages_fail(req, res, rc);
    for (size_t i = 0; i < n; i++)
        if (r[i].id == req->params[1] && r[i].answered_at == 0 && r[i].withdrawn_at == 0) {
            *out = r[i];
            return SH_OK;
        }
    return pages_fail(req, res, SH_ENOTFOUND);
}

static int withdraw_render(web_request *req, web_response *res, const app_case_view *v,
                           const store_views_request *r, int status, const web_form *f,
                           const pages_errors *errs)
{
    html_page p = {.title = "Withdraw the request for the family's views", .nav = "caseload",
                   .has_errors = errs->n > 0,
                   .back_href = arena_printf(req->a, "/cases/%lld", (long long)v->c.id)};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">The request of %D (%s, reply by %D) will no "
                         "longer show to %s's family. Views they send later are still kept "
                         "with the record.</p>\n"
                         "<form method=\"post\" action=\"/cases/%lld/views-requests/%lld/"
                         "withdraw\" novalidate>\n",
                      (date_t)(r->asked_at / 86400), purpose_label(r->purpose), r->reply_by,
                      v->child.forename, (long long)v->c.id, (long long)r->id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_textarea(b, "reason", "Why is the request withdrawn?",
                            "For example: asked on the wrong case, or the family already sent "
                            "their views another way. It is kept with the record and in the "
                            "audit log.",
                            form_get(f, "reason"), 3, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button govuk-button--warning\" "
                         "data-module=\"govuk-button\">Withdraw the request</button>\n"
                         "<a class=\"govuk-link\" href=\"/cases/%lld#views-requests\">Cancel</a>\n"
                         "</div>\n</form>\n",
                      (long long)v->c.id);
    return pages_end(req, res, rc);
}

int page_views_request_withdraw_form(web_request *req, web_response *res)
{
    app_case_view v;
    store_views_request r;
    int rc = open_request_load(req, res, &v, &r);
    if (rc)
        return rc;
    web_form f = {0};
    pages_errors errs = {0};
    return withdraw_render(req, res, &v, &r, 200, &f, &errs);
}

int page_views_request_withdraw(web_request *req, web_response *res)
{
    app_case_view v;
    store_views_request r;
    int rc = open_request_load(req, res, &v, &r);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    app_error err = {0};
    rc = views_request_withdraw(req->db, &req->who, &v, r.id,
                                pages_trim(req->a, form_get(&f, "reason")), req->recorded_at, &err);
    if (rc == SH_EINVAL) {
        pages_errors errs = {0};
        error_add(req, &errs, &err, "reason");
        return withdraw_render(req, res, &v, &r, 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a,
                                            "/cases/%lld?views_withdrawn=1#views-requests",
                                            (long long)v.c.id));
}

/* ---- the family's side ------------------------------------------------------------- */

int pages_portal_views_asked(web_request *req, buf *b, const app_case_view *v, int64_t child_id)
{
    store_views_request r;
    bool found;
    int rc = views_request_oldest_open(req->db, &req->who, v, req->a, &r, &found);
    if (rc || !found)
        return rc;
    bool late = views_state_at(r.reply_by, false, false, req->today) == VIEWS_LATE;
    rc = html_fmt(b, "<div class=\"govuk-notification-banner\" role=\"region\" "
                     "aria-labelledby=\"views-asked-title\" data-module=\"govuk-notification-"
                     "banner\" id=\"views-asked\">\n<div class=\"govuk-notification-banner__"
                     "header\"><h2 class=\"govuk-notification-banner__title\" "
                     "id=\"views-asked-title\">Important</h2></div>\n"
                     "<div class=\"govuk-notification-banner__content\">\n"
                     "<p class=\"govuk-notification-banner__heading\">The council has asked for "
                     "your views by %D</p>\n<p class=\"govuk-body\">They would like to hear "
                     "from you about %s%s.%s</p>\n",
                  r.reply_by, v->child.forename, family_purpose(req, r.purpose),
                  late ? " The date has passed, but you can still send them." : "");
    if (rc == SH_OK && r.message[0])
        rc = html_fmt(b, "<p class=\"govuk-body\">Their message:</p>\n<p class=\"govuk-body "
                         "sendhub-prewrap\">%s</p>\n",
                      r.message);
    if (rc == SH_OK)
        rc = html_fmt(b, "<a href=\"/portal/children/%lld/views\" class=\"govuk-button "
                         "govuk-!-margin-bottom-0\" data-module=\"govuk-button\">Send your "
                         "views</a>\n</div>\n</div>\n",
                      (long long)child_id);
    return rc;
}

int pages_portal_views_answers(web_request *req, buf *b, const store_portal_link *link)
{
    app_case_view v;
    bool has_case;
    app_error err = {0};
    int rc = portal_journey(req->db, &req->who, link->child_id, req->today, req->a, &v,
                            &has_case, &err);
    if (rc || !has_case)
        return rc;
    store_views_request r;
    bool found;
    if ((rc = views_request_oldest_open(req->db, &req->who, &v, req->a, &r, &found)) || !found)
        return rc;
    return html_fmt(b, "<div class=\"govuk-inset-text\" id=\"answers\">This answers the "
                       "council's request for your views%s (please reply by %D).</div>\n",
                    family_purpose(req, r.purpose), r.reply_by);
}
