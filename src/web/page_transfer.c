/*
 * page_transfer.c — phase transfers: the children moving school or college
 * next September with their 15 February / 31 March deadlines (reg 18) and
 * status from the engine, and for each child the settings consulted about
 * naming them and what each answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "app/review.h"
#include "core/review.h"
#include "util/err.h"
#include "web/page_review.h"

static const char *move_label(event_transfer_to to)
{
    return to == TRANSFER_POST16 ? "School to post-16" : "To the next school";
}

static const char *status_tag(date_t due, date_t done, step_status st, date_t today)
{
    if (done != DATE_NONE || st == STEP_OVERDUE)
        return html_status_tag(journey_status_name(st));
    const char *soon = pages_due_tag(due, today);
    return soon[0] ? soon : html_status_tag("pending");
}

static const char *urn_setting(web_request *req, const char *urn)
{
    const char *name = NULL;
    if (!urn[0])
        return "No setting recorded";
    if (store_setting_name(req->db, urn, req->a, &name) != SH_OK || !name)
        return urn;
    return name;
}

/* Setting names by URN for a list: each name is read once. */
#define NAMES_MAX 500
typedef struct {
    const char *urn[NAMES_MAX], *name[NAMES_MAX];
    size_t n;
} name_cache;

static const char *cached_setting(web_request *req, name_cache *c, const char *urn)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->urn[i], urn) == 0)
            return c->name[i];
    const char *name = urn_setting(req, urn);
    if (c->n < NAMES_MAX) {
        c->urn[c->n] = urn;
        c->name[c->n++] = name;
    }
    return name;
}

static int by_case(const void *key, const void *row)
{
    int64_t a = *(const int64_t *)key, b = ((const store_consultation_count *)row)->case_id;
    return (a > b) - (a < b);
}

static int transfers_table(web_request *req, buf *b, const app_review_row *rows, size_t n,
                           int year, const store_consultation_count *counts, size_t n_counts)
{
    name_cache *names = arena_calloc(req->a, 1, sizeof *names);
    if (!names)
        return SH_ENOMEM;
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"Phase transfers\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">Moving "
                         "in September %d</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Child</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Current setting</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Move</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Amended plan due</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Status</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Settings consulted</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      year);
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const app_review_row *r = &rows[i];
        if (r->transfer_year != year)
            continue;
        const store_consultation_count *k =
            bsearch(&r->case_id, counts, n_counts, sizeof *counts, by_case);
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<th scope=\"row\" class=\"govuk-table__header\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/transfer\">%s %s</a></th>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%r</td>\n"
                         "<td class=\"govuk-table__cell\">%d consulted, %d can meet needs</td>\n"
                         "</tr>\n",
                      (long long)r->case_id, r->forename, r->surname,
                      cached_setting(req, names, r->setting_urn), move_label(r->transfer_to),
                      pages_date_short(req->a, r->transfer_due),
                      status_tag(r->transfer_due, r->transfer_done, r->transfer_status,
                                 req->today),
                      k ? k->consulted : 0, k ? k->can_meet : 0);
    }
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

int page_transfers(web_request *req, web_response *res)
{
    app_review_row *rows;
    size_t n;
    app_error err = {0};
    int rc = app_review_rows(req->db, &req->who, req->today, req->a, &rows, &n, &err);
    if (rc == SH_EDENIED) {
        int arc = pages_audit(req, "denied", "caseload", 0, 0, "transfers not shared with role");
        return pages_fail(req, res, arc ? arc : rc);
    }
    if (rc)
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "caseload", 0, 0, "phase transfers")))
        return pages_fail(req, res, rc);
    int year = review_transfer_year(req->today);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += rows[i].transfer_year == year;
    store_consultation_count *counts;
    size_t n_counts;
    rc = store_consultation_counts(req->db, req->who.la_code, req->a, &counts, &n_counts);
    if (rc)
        return pages_fail(req, res, rc);
    html_page p = {.title = "Phase transfers", .nav = "reviews", .back_href = "/reviews"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Children and young people moving to a new "
                         "phase of education in September %d. Their plans must be reviewed "
                         "and amended to name the new school by 15 February %d, or the "
                         "college or other post-16 setting by 31 March %d (SEND Regulations "
                         "2014, regulation 18).</p>\n",
                      year, year, year);
    if (rc == SH_OK && k == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No phase transfers are recorded for "
                         "September %d.</p>\n",
                      year);
    else if (rc == SH_OK)
        rc = transfers_table(req, b, rows, n, year, counts, n_counts);
    return pages_end(req, res, rc);
}

/* ---- one child's transfer ----------------------------------------------------------- */

static int consultations_table(web_request *req, buf *b, const app_review_view *rv)
{
    if (rv->n_consults == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No settings have been consulted yet.</p>\n");
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"Settings consulted\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
                         "Settings consulted</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Setting</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Consulted</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Answer</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Answered</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < rv->n_consults; i++) {
        const store_consultation *c = &rv->consults[i];
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<th scope=\"row\" class=\"govuk-table__header\">%s%r%s%r</th>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n</tr>\n",
                      c->setting_name, c->setting_urn[0] ? "<br><span class=\"govuk-body-s\">URN "
                                                         : "",
                      c->setting_urn, c->setting_urn[0] ? "</span>" : "",
                      pages_date_short(req->a, c->consulted_on),
                      review_consult_label((review_consult_response)c->response),
                      pages_date_short(req->a, c->response_on));
    }
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

static int add_form(web_request *req, buf *b, int64_t id, const web_form *values,
                    const pages_errors *errs)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Record a setting consulted</h2>\n"
                         "<form method=\"post\" action=\"/cases/%lld/transfer/consultations\" "
                         "novalidate>\n",
                      (long long)id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "setting_name", .label = "Setting's name",
                                             .value = form_get(values, "setting_name")},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "setting_urn", .label = "URN (optional)",
                                             .hint = "The setting's 6 or 7 digit unique "
                                                     "reference number",
                                             .value = form_get(values, "setting_urn"),
                                             .classes = "govuk-input--width-10",
                                             .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "consulted_on", "Date consulted", NULL, values, errs);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                            "data-module=\"govuk-button\">Record the consultation</button>\n"
                            "</form>\n");
}

static int respond_form(web_request *req, buf *b, const app_review_view *rv,
                        const web_form *values, const pages_errors *errs)
{
    const store_consultation *open = NULL;
    for (size_t i = 0; i < rv->n_consults && !open; i++)
        if (rv->consults[i].response == CONSULT_AWAITED)
            open = &rv->consults[i];
    if (!open)
        return SH_OK;
    static const pages_option opts[] = {
        {"can_meet", "Can meet needs", NULL},
        {"cannot_meet", "Cannot meet needs", NULL},
        {"no_response", "No response", "The setting did not answer within the time given."},
    };
    const char *heading = arena_printf(req->a, "Record %s's answer", open->setting_name);
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">%s</h2>\n"
                         "<form method=\"post\" action=\"/cases/%lld/transfer/consultations/%lld\" "
                         "novalidate>\n",
                      heading ? heading : "Record the answer", (long long)rv->v.c.id,
                      (long long)open->id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "response", .legend = "Answer",
                                               .opts = opts, .n = 3,
                                               .checked = form_get(values, "response")},
                          errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "response_on", "Date of the answer", NULL, values, errs);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                            "data-module=\"govuk-button\">Record the answer</button>\n</form>\n");
}

static int transfer_steps(web_request *req, buf *b, const journey_timeline *t)
{
    size_t shown = 0;
    int rc = html_fmt(b, "<dl class=\"govuk-summary-list\">\n");
    for (size_t i = 0; rc == SH_OK && i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (strcmp(journey_rule_key(d->rule), "phase_transfer") != 0)
            continue;
        shown++;
        char explain[600];
        journey_explain(d, explain, sizeof explain);
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                         "<dt class=\"govuk-summary-list__key\">Amended plan naming the new "
                         "setting</dt>\n<dd class=\"govuk-summary-list__value\">\n"
                         "<p class=\"govuk-body govuk-!-margin-bottom-1\"><strong>Due %D</strong> "
                         "%r</p>\n<p class=\"govuk-body-s govuk-!-margin-bottom-1\">%s</p>\n"
                         "<p class=\"govuk-body-s sendhub-secondary govuk-!-margin-bottom-0\">"
                         "Legal basis: %s</p>\n</dd>\n</div>\n",
                      d->due, status_tag(d->due, d->done, d->status, req->today), explain,
                      journey_rule_basis(d->rule));
    }
    if (rc == SH_OK && shown == 0)
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                         "<dt class=\"govuk-summary-list__key\">Phase transfer</dt>\n"
                         "<dd class=\"govuk-summary-list__value\">No phase transfer is "
                         "recorded for this plan.</dd>\n</div>\n");
    return rc ? rc : html_fmt(b, "</dl>\n");
}

static int render_transfer(web_request *req, web_response *res, const app_review_view *rv,
                           int status, const web_form *values, const pages_errors *errs)
{
    int rc = pages_audit(req, "read", "case", rv->v.c.id, rv->v.c.child_id, "phase transfer");
    if (rc)
        return pages_fail(req, res, rc);
    const char *name = arena_printf(req->a, "%s %s", rv->v.child.forename, rv->v.child.surname);
    html_page p = {.title = "Phase transfer", .nav = "reviews", .has_errors = errs->n > 0,
                   .no_h1 = true, .back_href = "/transfers"};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    const char *done = web_query(req, "done");
    if (rc == SH_OK && errs->n == 0 && done)
        rc = pages_success_banner(b, strcmp(done, "answer") == 0 ? "Answer recorded"
                                                                 : "Consultation recorded");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s, %s</span>\n"
                         "<h1 class=\"govuk-heading-l\">Phase transfer</h1>\n",
                      name ? name : "", urn_setting(req, rv->v.child.setting_urn));
    if (rc == SH_OK)
        rc = transfer_steps(req, b, &rv->v.timeline);
    if (rc == SH_OK)
        rc = consultations_table(req, b, rv);
    if (rc == SH_OK && access_can(&req->who, CAN_WRITE_CASES) &&
        rv->v.timeline.stage != STAGE_CEASED) {
        rc = respond_form(req, b, rv, values, errs);
        if (rc == SH_OK)
            rc = add_form(req, b, rv->v.c.id, values, errs);
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/review\">Annual review</a></p>\n",
                      (long long)rv->v.c.id);
    return pages_end(req, res, rc);
}

int page_transfer(web_request *req, web_response *res)
{
    app_review_view rv;
    int rc = page_review_load(req, res, false, &rv);
    if (rc)
        return rc;
    web_form values = {0};
    pages_errors errs = {0};
    return render_transfer(req, res, &rv, 200, &values, &errs);
}

/* Shared end of both posts: redirect on success, the page with its errors
 * on a validation failure, the error page otherwise. */
static int finish(web_request *req, web_response *res, const app_review_view *rv, int rc,
                  const app_error *err, const char *done, const web_form *f,
                  pages_errors *errs)
{
    if (rc == SH_OK)
        return pages_redirect(res, arena_printf(req->a, "/cases/%lld/transfer?done=%s",
                                                (long long)rv->v.c.id, done));
    if (rc != SH_EINVAL)
        return pages_fail(req, res, rc);
    if (errs->n == 0)
        page_review_error(req, errs, err, "setting_name");
    return render_transfer(req, res, rv, 422, f, errs);
}

int page_consultation_add(web_request *req, web_response *res)
{
    app_review_view rv;
    web_form f;
    int rc = page_review_post(req, res, true, &rv, &f);
    if (rc)
        return rc;
    pages_errors errs = {0};
    app_error err = {0};
    date_t on;
    rc = pages_date_read(&f, "consulted_on", "the date consulted", true, req->a, &on, &errs);
    if (rc == SH_OK)
        rc = app_consultation_add(req->db, &req->who, rv.v.c.id,
                                  pages_trim(req->a, form_get(&f, "setting_name")),
                                  pages_trim(req->a, form_get(&f, "setting_urn")), on,
                                  req->today, req->a, &err);
    return finish(req, res, &rv, rc, &err, "consulted", &f, &errs);
}

int page_consultation_respond(web_request *req, web_response *res)
{
    app_review_view rv;
    web_form f;
    int rc = page_review_post(req, res, true, &rv, &f);
    if (rc)
        return rc;
    pages_errors errs = {0};
    app_error err = {0};
    date_t on;
    const char *r = form_get(&f, "response");
    int response = r ? review_consult_parse(r) : -1;
    if (response <= CONSULT_AWAITED)
        pages_errors_add(&errs, "response", "Select the setting's answer");
    pages_date_read(&f, "response_on", "the date of the answer", true, req->a, &on, &errs);
    rc = errs.n ? SH_EINVAL
                : app_consultation_respond(req->db, &req->who, rv.v.c.id, req->params[1],
                                           response, on, req->today, req->a, &err);
    return finish(req, res, &rv, rc, &err, "answer", &f, &errs);
}
