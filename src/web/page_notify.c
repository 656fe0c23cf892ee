/*
 * page_notify.c — the family portal's e-mails (issue 7, app/notify.h): a
 * family member's choice about e-mails of upcoming dates (/portal/emails),
 * and, for staff who see the whole area, every portal e-mail with whether
 * it was sent (/family-emails), beside the advice reminders' outbox.
 */
#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/notify.h"
#include "core/ask.h"
#include "core/notify.h"
#include "util/err.h"
#include "web/pages.h"

/* ---- the family member's choice: /portal/emails ------------------------------ */

static int emails_render(web_request *req, web_response *res, int status, bool on,
                         const char *email, const pages_errors *errs)
{
    html_page p = {.title = "Emails about upcoming dates", .nav = "portal",
                   .back_href = "/portal", .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n"
                         "<div class=\"govuk-grid-column-two-thirds\">\n");
    if (rc == SH_OK && web_query(req, "saved") && !errs->n)
        rc = pages_success_banner(b, "Your choice has been saved");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">Emails about upcoming dates</h1>\n"
                         "<p class=\"govuk-body\">We can email you about a week before an "
                         "important date on your child's EHC journey: the last day to respond "
                         "to a draft plan, the annual review of the plan, and the date the "
                         "final plan is due.</p>\n"
                         "<p class=\"govuk-body\">The email does not say what the date is or "
                         "name your child. You sign in to see it.</p>\n");
    if (rc == SH_OK && email[0])
        rc = html_fmt(b, "<p class=\"govuk-body\" id=\"address\">We send emails to "
                         "<strong>%s</strong>.</p>\n",
                      email);
    else if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-inset-text\" id=\"address\">Your account has no "
                         "email address, so we cannot email you. Ask your council's SEND team "
                         "to add one.</div>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<form method=\"post\" action=\"/portal/emails\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    pages_option opts[] = {
        {"yes", "Yes, email me about upcoming dates", NULL},
        {"no", "No, do not email me about dates",
         "You will still get an email when you have a new message."}};
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "date_emails",
                                               .legend = "Do you want emails about upcoming "
                                                         "dates?",
                                               .legend_classes = "govuk-fieldset__legend--m",
                                               .opts = opts, .n = 2,
                                               .checked = errs->n ? NULL : on ? "yes" : "no"},
                          errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Save</button>\n</form>\n"
                         "</div>\n</div>\n");
    return pages_end(req, res, rc);
}

int page_portal_emails_form(web_request *req, web_response *res)
{
    bool on;
    const char *email;
    int rc = app_notify_pref_get(req->db, &req->who, req->a, &on, &email);
    if (rc)
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    return emails_render(req, res, 200, on, email, &errs);
}

int page_portal_emails(web_request *req, web_response *res)
{
    bool on;
    const char *email;
    int rc = app_notify_pref_get(req->db, &req->who, req->a, &on, &email);
    if (rc)
        return pages_fail(req, res, rc);
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    const char *v = form_get(&f, "date_emails");
    pages_errors errs = {0};
    if (!v || (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)) {
        pages_errors_add(&errs, "date_emails",
                         "Select yes if you want emails about upcoming dates");
        return emails_render(req, res, 422, on, email, &errs);
    }
    app_error err = {0};
    rc = app_notify_pref_set(req->db, &req->who, strcmp(v, "yes") == 0, &err);
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, "/portal/emails?saved=1");
}

/* ---- every portal e-mail, for staff: /family-emails --------------------------- */

/* Where one e-mail stands, as a tag and what to do about it. */
static const char *outbox_state(web_request *req, const store_outbox *o)
{
    bool sent = strcmp(o->state, "sent") == 0, failed = strcmp(o->state, "failed") == 0;
    const char *tag =
        sent ? "<strong class=\"govuk-tag govuk-tag--green\">Sent</strong>"
        : strcmp(o->state, "sending") == 0
            ? "<strong class=\"govuk-tag govuk-tag--yellow\">Not known</strong><br>"
              "<span class=\"govuk-body-s\">Sending stopped before the relay answered. It "
              "will not be sent again, so the family is never e-mailed twice.</span>"
        : failed ? "<strong class=\"govuk-tag govuk-tag--red\">Failed</strong>"
        : o->attempts ? "<strong class=\"govuk-tag govuk-tag--orange\">Will try again</strong>"
                      : "<strong class=\"govuk-tag govuk-tag--grey\">Waiting to be sent</strong>";
    buf t;
    buf_init(&t, 4096);
    int rc = html_fmt(&t, "%r", tag);
    if (rc == SH_OK && sent)
        rc = html_fmt(&t, "<br><span class=\"govuk-body-s\">%s</span>",
                      pages_time(req->a, o->sent_at));
    if (rc == SH_OK && !sent && o->last_error[0])
        rc = html_fmt(&t, "<br><span class=\"govuk-body-s\">Tried %d of %d times: %s</span>",
                      o->attempts, NOTIFY_ATTEMPTS_MAX, o->last_error);
    if (rc == SH_OK && !sent && !failed && o->attempts && o->next_attempt_at)
        rc = html_fmt(&t, "<br><span class=\"govuk-body-s\">Next try from %s</span>",
                      pages_time(req->a, o->next_attempt_at));
    const char *out = rc == SH_OK && t.data ? arena_strdup(req->a, t.data) : "";
    buf_free(&t);
    return out ? out : "";
}

/* One e-mail; who it is to: an account's username, or, for the
 * acknowledgement of a request sent online (no account), the request's
 * reference. */
static int outbox_row(web_request *req, buf *b, const store_outbox *o)
{
    char ref[ASK_REF_LEN + 1] = "";
    if (o->online_request_id)
        ask_reference(o->la_code, (long long)o->online_request_id, ref, sizeof ref);
    return html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                       "<td class=\"govuk-table__cell\">%s</td>\n"
                       "<td class=\"govuk-table__cell\">%s<span class=\"sendhub-nowrap\">%s</span>"
                       "<br><span class=\"govuk-body-s\">%s</span></td>\n"
                       "<td class=\"govuk-table__cell\">%s</td>\n"
                       "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                    pages_time(req->a, o->created_at),
                    o->online_request_id ? "Asked online, " : o->username, ref, o->to_email,
                    o->subject, outbox_state(req, o));
}

int page_family_emails(web_request *req, web_response *res)
{
    store_outbox *rows;
    size_t n;
    int rc = app_notify_outbox(req->db, &req->who, req->a, &rows, &n);
    if (rc)
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "notification", 0, 0, "portal outbox")))
        return pages_fail(req, res, rc);
    html_page p = {.title = "E-mails to families", .nav = "advice",
                   .back_href = "/advice/outbox"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">The family portal e-mails family members "
                         "when the council writes to them, the coordinator when a family "
                         "member writes, family members about a week before an upcoming "
                         "date (a draft plan's response window closing, an annual review, a "
                         "final plan due), whoever asks for an assessment online, to "
                         "acknowledge their request with its reference, and parent carer "
                         "forum members when someone replies on the improvement plan. The "
                         "e-mails name no child and give no date. When an e-mail relay is set "
                         "up they are sent within about a minute of being queued; one that "
                         "fails is tried again up to %d times.</p>\n",
                      NOTIFY_ATTEMPTS_MAX);
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No e-mails to families yet.</p>\n");
    if (rc == SH_OK && n)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"E-mails to families\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table sendhub-table-s\" id=\"family-emails\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
                         "E-mails, newest first</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Queued</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">To</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Subject</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">E-mail</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = outbox_row(req, b, &rows[i]);
    if (rc == SH_OK && n)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n");
    return pages_end(req, res, rc);
}
