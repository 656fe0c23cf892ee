/*
 * page_common.c — the route table of the HTML pages, the error pages and the
 * helpers every page shares (pages.h): responses, audit, GOV.UK form
 * controls with their error states, dates in three boxes, pagination and
 * the plain-English labels of the journey.
 */
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/audit.h"
#include "core/ident.h"
#include "util/err.h"
#include "web/multipart.h"

const web_route pages_routes[] = {
    {"GET", "/", page_home, WEB_PUBLIC},
    {"GET", "/sign-in", page_sign_in_form, WEB_PUBLIC},
    {"POST", "/sign-in", page_sign_in, WEB_PUBLIC},
    {"POST", "/sign-out", page_sign_out, WEB_SIGNED_IN},
    {"GET", "/caseload", page_caseload, WEB_SIGNED_IN_READ},
    {"GET", "/team", page_team, WEB_SIGNED_IN},
    {"GET", "/dashboard", page_dashboard, WEB_SIGNED_IN},
    {"GET", "/dashboard.csv", page_dashboard_csv, WEB_SIGNED_IN},
    {"GET", "/dashboard.xlsx", page_dashboard_xlsx, WEB_SIGNED_IN},
    {"GET", "/dashboard/cases", page_dashboard_cases, WEB_SIGNED_IN},
    {"GET", "/cases/{id}", page_case, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/events", page_event_record, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/events/{id}/correct", page_event_correct_form, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/events/{id}/correct", page_event_correct, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/advice/new", page_advice_new, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/advice", page_advice_create, WEB_SIGNED_IN},
    {"GET", "/advice", page_advice_list, WEB_SIGNED_IN},
    {"GET", "/advice/dashboard", page_advice_dashboard, WEB_SIGNED_IN},
    {"GET", "/advice/outbox", page_advice_outbox, WEB_SIGNED_IN},
    {"GET", "/advice/{id}", page_advice_show, WEB_SIGNED_IN},
    {"POST", "/advice/{id}", page_advice_submit, WEB_SIGNED_IN},
    {"GET", "/advice/{id}/files/{id}", page_advice_file, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/plan", page_plan, WEB_SIGNED_IN_READ},
    {"GET", "/cases/{id}/plan/item", page_plan_item_form, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/plan/item", page_plan_item_save, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/plan/item/remove", page_plan_item_remove, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/plan/setting", page_plan_setting_form, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/plan/setting", page_plan_setting_save, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/plan/issue", page_plan_issue, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/plan/versions", page_plan_versions, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/plan/versions/{id}", page_plan_version, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/plan/versions/{id}/pdf", page_plan_version_pdf, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/plan/compare", page_plan_compare, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/plan/print", page_plan_print, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/plan/pdf", page_plan_pdf, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/casefile", page_casefile, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/casefile/pdf", page_casefile_pdf, WEB_SIGNED_IN},
    {"GET", "/requests/new", page_request_form, WEB_SIGNED_IN},
    {"POST", "/requests/new", page_request, WEB_SIGNED_IN},
    {"GET", "/returns/sen2", page_sen2, WEB_SIGNED_IN},
    {"GET", "/returns/sen2.xml", page_sen2_xml, WEB_SIGNED_IN},
    {"GET", "/returns/sen2.csv", page_sen2_csv, WEB_SIGNED_IN},
    {"GET", "/audit", page_audit, WEB_SIGNED_IN},
    {"GET", "/audit.csv", page_audit_csv, WEB_SIGNED_IN},
    {"GET", "/people", page_people, WEB_SIGNED_IN},
    {"POST", "/people", page_person_add, WEB_SIGNED_IN},
    {"POST", "/people/{id}/disable", page_person_disable, WEB_SIGNED_IN},
    {"POST", "/people/{id}/enable", page_person_enable, WEB_SIGNED_IN},
    {"GET", "/people/{id}/reset-password", page_person_password_form, WEB_SIGNED_IN},
    {"POST", "/people/{id}/reset-password", page_person_password, WEB_SIGNED_IN},
    {"GET", "/pathways", page_pathways, WEB_SIGNED_IN},
    {"POST", "/pathways/seed", page_pathways_seed, WEB_SIGNED_IN},
    {"GET", "/pathways/{id}", page_pathway, WEB_SIGNED_IN},
    {"GET", "/pathways/{id}/edit", page_pathway_edit_form, WEB_SIGNED_IN},
    {"POST", "/pathways/{id}/edit", page_pathway_edit, WEB_SIGNED_IN},
    {"GET", "/pathways/{id}/waiting-list", page_waiting_list, WEB_SIGNED_IN},
    {"GET", "/referrals/new", page_referral_new_form, WEB_SIGNED_IN},
    {"POST", "/referrals/new", page_referral_new, WEB_SIGNED_IN},
    {"GET", "/referrals/import", page_referral_import_form, WEB_SIGNED_IN},
    {"POST", "/referrals/import", page_referral_import, WEB_SIGNED_IN},
    {"GET", "/referrals/{id}", page_referral, WEB_SIGNED_IN},
    {"POST", "/referrals/{id}/steps", page_referral_step, WEB_SIGNED_IN},
    {"GET", "/reviews", page_reviews, WEB_SIGNED_IN},
    {"GET", "/reviews/term", page_reviews_term, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/review", page_review, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/review", page_review_record, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/cease", page_cease_form, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/cease", page_cease, WEB_SIGNED_IN},
    {"GET", "/transfers", page_transfers, WEB_SIGNED_IN},
    {"GET", "/inspections", page_inspections, WEB_SIGNED_IN},
    {"GET", "/inspections/new", page_inspection_new_form, WEB_SIGNED_IN},
    {"GET", "/inspections/evidence", page_inspection_evidence, WEB_SIGNED_IN},
    {"GET", "/inspections/evidence.csv", page_inspection_evidence_csv, WEB_SIGNED_IN},
    {"GET", "/inspections/evidence.xlsx", page_inspection_evidence_xlsx, WEB_SIGNED_IN},
    {"GET", "/inspections/sample", page_casefile_sample, WEB_SIGNED_IN},
    {"POST", "/inspections/new", page_inspection_new, WEB_SIGNED_IN},
    {"GET", "/inspections/{id}", page_inspection, WEB_SIGNED_IN},
    {"POST", "/inspections/{id}/findings", page_inspection_finding_add, WEB_SIGNED_IN},
    {"GET", "/inspections/{id}/plan", page_inspection_plan, WEB_SIGNED_IN},
    {"GET", "/inspections/{id}/progress", page_inspection_progress, WEB_SIGNED_IN},
    {"POST", "/inspections/{id}/judgements", page_inspection_judgement, WEB_SIGNED_IN},
    {"POST", "/inspections/{id}/actions", page_inspection_action_add, WEB_SIGNED_IN},
    {"POST", "/inspections/{id}/measures", page_inspection_measure_add, WEB_SIGNED_IN},
    {"GET", "/inspections/{id}/actions/{id}", page_inspection_action, WEB_SIGNED_IN},
    {"POST", "/inspections/{id}/actions/{id}/updates", page_inspection_action_update,
     WEB_SIGNED_IN},
    {"POST", "/inspections/{id}/actions/{id}/comments", page_inspection_action_comment,
     WEB_SIGNED_IN},
    {"GET", "/inspections/{id}/actions/{id}/documents/new", page_insp_doc_new_form,
     WEB_SIGNED_IN},
    {"POST", "/inspections/{id}/actions/{id}/documents", page_insp_doc_add, WEB_SIGNED_IN},
    {"GET", "/inspections/{id}/actions/{id}/documents/{id}", page_insp_doc_file, WEB_SIGNED_IN},
    {"GET", "/inspections/{id}/actions/{id}/documents/{id}/withdraw",
     page_insp_doc_withdraw_form, WEB_SIGNED_IN},
    {"POST", "/inspections/{id}/actions/{id}/documents/{id}/withdraw", page_insp_doc_withdraw,
     WEB_SIGNED_IN},
    {"GET", "/cases/{id}/transfer", page_transfer, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/transfer/consultations", page_consultation_add, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/invite", page_portal_invite_form, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/invite", page_portal_invite, WEB_SIGNED_IN},
    {"GET", "/portal", page_portal, WEB_SIGNED_IN},
    {"GET", "/portal/children/{id}", page_portal_child, WEB_SIGNED_IN},
    {"GET", "/portal/children/{id}/views", page_portal_views_form, WEB_SIGNED_IN},
    {"POST", "/portal/children/{id}/views", page_portal_views, WEB_SIGNED_IN},
    {"GET", "/portal/children/{id}/draft-response", page_portal_draft_form, WEB_SIGNED_IN},
    {"POST", "/portal/children/{id}/draft-response", page_portal_draft, WEB_SIGNED_IN},
    {"GET", "/portal/children/{id}/messages", page_portal_messages, WEB_SIGNED_IN},
    {"POST", "/portal/children/{id}/messages", page_portal_message_send, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/messages", page_case_message_send, WEB_SIGNED_IN},
    {"GET", "/portal/children/{id}/activity", page_portal_activity, WEB_SIGNED_IN},
    {"GET", "/portal/emails", page_portal_emails_form, WEB_SIGNED_IN},
    {"POST", "/portal/emails", page_portal_emails, WEB_SIGNED_IN},
    {"GET", "/family-emails", page_family_emails, WEB_SIGNED_IN},
    {"GET", "/portal/children/{id}/files/{id}", page_portal_file, WEB_SIGNED_IN},
    {"GET", "/portal/add-child", page_portal_add_child_form, WEB_SIGNED_IN},
    {"POST", "/portal/add-child", page_portal_add_child, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/family-files/{id}", page_case_family_file, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/family/{id}/remove", page_family_remove_form, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/views-requests/new", page_views_request_form, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/views-requests", page_views_request_ask, WEB_SIGNED_IN},
    {"GET", "/cases/{id}/views-requests/{id}/withdraw", page_views_request_withdraw_form,
     WEB_SIGNED_IN},
    {"POST", "/cases/{id}/views-requests/{id}/withdraw", page_views_request_withdraw,
     WEB_SIGNED_IN},
    {"POST", "/cases/{id}/family/{id}/remove", page_family_remove, WEB_SIGNED_IN},
    {"GET", "/portal/join", page_portal_join_form, WEB_PUBLIC},
    {"POST", "/portal/join", page_portal_join, WEB_PUBLIC},
    {"GET", "/ask-for-an-assessment", page_ask_form, WEB_PUBLIC},
    {"POST", "/ask-for-an-assessment", page_ask, WEB_PUBLIC},
    {"GET", "/requests/online", page_online_requests, WEB_SIGNED_IN},
    {"GET", "/requests/online/{id}", page_online_request, WEB_SIGNED_IN},
    {"POST", "/requests/online/{id}/close", page_online_request_close, WEB_SIGNED_IN},
    {"POST", "/cases/{id}/transfer/consultations/{id}", page_consultation_respond,
     WEB_SIGNED_IN},
};

const size_t pages_route_count = sizeof pages_routes / sizeof pages_routes[0];

/* ---- responses ------------------------------------------------------------- */

static bool signed_in(const web_request *req)
{
    return req->auth != WEB_AUTH_NONE && req->who.username;
}

int pages_begin(web_request *req, web_response *res, int status, html_page *p)
{
    res->status = status;
    res->content_type = "text/html; charset=utf-8";
    res->location = NULL;
    buf_reset(&res->body);
    p->who = signed_in(req) ? &req->who : NULL;
    p->csrf = req->csrf;
    return html_page_begin(&res->body, p);
}

int pages_end(web_request *req, web_response *res, int rc)
{
    if (rc == SH_OK)
        rc = html_page_end(&res->body);
    if (rc)
        pages_error(req, res, 500);
    return rc;
}

int pages_redirect(web_response *res, const char *location)
{
    res->status = 303;
    res->location = location;
    res->content_type = "text/html; charset=utf-8";
    buf_reset(&res->body);
    return SH_OK;
}

int pages_fail(web_request *req, web_response *res, int rc)
{
    int status = rc == SH_ENOTFOUND  ? 404
                 : rc == SH_EDENIED  ? 403
                 : rc == SH_EUNAVAIL ? 503
                 : rc == SH_ELIMIT   ? 413
                 : rc == SH_EINVAL   ? 400
                                     : 500;
    pages_error(req, res, status);
    return rc;
}

bool pages_refused(web_request *req, const app_error *err, const char *field,
                   pages_errors *errs)
{
    if (err->rc != SH_EINVAL)
        return false;
    pages_errors_add(errs, field, arena_strdup(req->a, err->message));
    return true;
}

static const struct {
    int status;
    const char *title, *body;
} error_pages[] = {
    {400, "There is a problem with what was sent",
     "<p class=\"govuk-body\">The form could not be read. Go back, check what you entered "
     "and try again.</p>"},
    {403, "You do not have permission to see this page",
     "<p class=\"govuk-body\">Your role does not give you access to this page or record. "
     "If you need it for your work, ask your SEND manager or system administrator.</p>"},
    {404, "Page not found",
     "<p class=\"govuk-body\">If you typed the web address, check it is correct.</p>"
     "<p class=\"govuk-body\">If you followed a link to a child's record, the record may "
     "not exist or may not be shared with you.</p>"},
    {405, "Page not found",
     "<p class=\"govuk-body\">This address cannot be used that way. If you typed the web "
     "address, check it is correct.</p>"},
    {413, "What you entered is too long",
     "<p class=\"govuk-body\">Go back, shorten what you entered and try again. For the "
     "audit log, choose fewer dates.</p>"},
    {503, "Sorry, the service is unavailable",
     "<p class=\"govuk-body\">The database is busy or unavailable. Try again in a few "
     "minutes.</p><p class=\"govuk-body\">If you were saving something, check the record "
     "before you try again.</p>"},
    {500, "Sorry, there is a problem with the service",
     "<p class=\"govuk-body\">Try again later.</p><p class=\"govuk-body\">If you were "
     "saving something, check the record before you try again: it may not have been "
     "saved.</p>"},
};

void pages_error(web_request *req, web_response *res, int status)
{
    size_t i = 0, n = sizeof error_pages / sizeof error_pages[0];
    while (i < n - 1 && error_pages[i].status != status)
        i++;
    html_page p = {.title = error_pages[i].title};
    int rc = pages_begin(req, res, i == n - 1 ? 500 : status, &p);
    if (rc == SH_OK)
        rc = html_fmt(&res->body, "%r<p class=\"govuk-body\"><a class=\"govuk-link\" "
                                  "href=\"%s\">Go to the start page</a></p>\n",
                      error_pages[i].body, signed_in(req) ? pages_home_for(&req->who)
                                                          : "/sign-in");
    if (rc == SH_OK)
        rc = html_page_end(&res->body);
    if (rc) { /* not even the error page fits: a bare line */
        buf_reset(&res->body);
        res->content_type = "text/plain; charset=utf-8";
        buf_puts(&res->body, error_pages[i].title);
    }
}

const char *pages_home_for(const app_identity *who)
{
    if (access_can(who, CAN_READ_CASES))
        return "/caseload";
    if (access_can(who, CAN_USE_PORTAL))
        return "/portal";
    if (access_can(who, CAN_MANAGE_PEOPLE))
        return "/people";
    if (access_can(who, CAN_SEE_AUDIT))
        return "/audit";
    if (access_can(who, CAN_SEE_INSPECTIONS))
        return "/inspections"; /* the parent carer forum */
    return "/sign-in";
}

int pages_audit(web_request *req, const char *action, const char *object, int64_t object_id,
                int64_t child_id, const char *detail)
{
    web_snapshot_end(req); /* a write on db, if the queue is full: not inside a read */
    return audit_record(req->audit, req->db, &req->who, action, object, object_id, child_id,
                        detail ? detail : "", req->now);
}

int pages_replica_notice(web_request *req, buf *b)
{
    if (req->db_read == req->db)
        return SH_OK;
    int ms = -1;
    if (store_replica_lag(req->db_read, &ms) != SH_OK || ms < 0)
        return html_fmt(b, "<p class=\"govuk-inset-text\">These figures come from the "
                           "reporting copy of the record, which cannot say how up to date "
                           "it is just now.</p>\n");
    if (ms < 1000)
        return html_fmt(b, "<p class=\"govuk-inset-text\">These figures come from the "
                           "reporting copy of the record, which is up to date.</p>\n");
    return html_fmt(b, "<p class=\"govuk-inset-text\">These figures come from the reporting "
                       "copy of the record, %d seconds behind the live record.</p>\n",
                    ms / 1000);
}

/* The GOV.UK success banner: `text` then `suffix` as its heading. */
static int success_banner(buf *b, const char *text, const char *suffix)
{
    return html_fmt(b,
                    "<div class=\"govuk-notification-banner govuk-notification-banner--success\" "
                    "role=\"alert\" aria-labelledby=\"govuk-notification-banner-title\" "
                    "data-module=\"govuk-notification-banner\">\n"
                    "<div class=\"govuk-notification-banner__header\">"
                    "<h2 class=\"govuk-notification-banner__title\" "
                    "id=\"govuk-notification-banner-title\">Success</h2></div>\n"
                    "<div class=\"govuk-notification-banner__content\">"
                    "<p class=\"govuk-notification-banner__heading\">%s%s</p></div>\n"
                    "</div>\n",
                    text, suffix);
}

int pages_recorded_banner(buf *b, const char *what)
{
    return success_banner(b, what, " recorded");
}

int pages_success_banner(buf *b, const char *heading)
{
    return success_banner(b, heading, "");
}

int pages_form(web_request *req, web_form *out)
{
    if (web_is_multipart(req)) {
        const web_multipart *m;
        int rc = web_multipart_get(req, &m);
        if (rc == SH_OK)
            *out = m->fields;
        return rc;
    }
    return form_parse(req->body, req->body_len, req->a, out);
}

void pages_form_set(web_form *f, const char *name, const char *value)
{
    if (f->n < FORM_MAX_FIELDS) {
        f->name[f->n] = name;
        f->value[f->n] = value;
        f->n++;
    }
}

/* ---- validation messages ------------------------------------------------- */

void pages_errors_add(pages_errors *errs, const char *field, const char *message)
{
    if (errs->n < PAGES_MAX_ERRORS)
        errs->e[errs->n++] = (html_field_error){field, message};
}

const char *pages_errors_for(const pages_errors *errs, const char *field)
{
    for (size_t i = 0; errs && i < errs->n; i++)
        if (errs->e[i].field && strcmp(errs->e[i].field, field) == 0)
            return errs->e[i].message;
    return NULL;
}

/* ---- GOV.UK form controls -------------------------------------------------- */

/* The error message element for a field, written with html_field_message. */
static int field_message(buf *b, const pages_errors *errs, const char *field)
{
    if (!errs || !pages_errors_for(errs, field))
        return SH_OK;
    buf scratch;
    buf_init(&scratch, 4096);
    int rc = buf_puts(b, html_field_message(errs->e, errs->n, field, &scratch));
    buf_free(&scratch);
    return rc;
}

/* aria-describedby="<name>-hint <name>-error" for what exists, or "". */
static void described_by(const char *name, bool hint, bool error, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s%s%s", hint ? name : "", hint ? "-hint" : "",
             hint && error ? " " : "", error ? name : "", error ? "-error" : "");
}

static int group_open(buf *b, bool error)
{
    return html_fmt(b, "<div class=\"govuk-form-group%r\">\n",
                    error ? " govuk-form-group--error" : "");
}

static int hint(buf *b, const char *name, const char *text)
{
    return text ? html_fmt(b, "<div id=\"%s-hint\" class=\"govuk-hint\">%s</div>\n", name, text)
                : SH_OK;
}

static int describedby_attr(buf *b, const char *ids)
{
    return ids[0] ? html_fmt(b, " aria-describedby=\"%s\"", ids) : SH_OK;
}

int pages_input(buf *b, const pages_input_spec *s, const pages_errors *errs)
{
    bool err = pages_errors_for(errs, s->name) != NULL;
    char ids[256];
    described_by(s->name, s->hint != NULL, err, ids, sizeof ids);
    int rc = group_open(b, err);
    if (rc == SH_OK)
        rc = html_fmt(b, "<label class=\"govuk-label\" for=\"%s\">%s</label>\n", s->name,
                      s->label);
    if (rc == SH_OK)
        rc = hint(b, s->name, s->hint);
    if (rc == SH_OK)
        rc = field_message(b, errs, s->name);
    if (rc == SH_OK)
        rc = html_fmt(b, "<input class=\"govuk-input%r%r%s\" id=\"%s\" name=\"%s\" "
                         "type=\"%s\" value=\"%s\"",
                      err ? " govuk-input--error" : "", s->classes ? " " : "", s->classes,
                      s->name, s->name,
                      s->type ? s->type : "text", s->value ? s->value : "");
    if (rc == SH_OK)
        rc = describedby_attr(b, ids);
    if (rc == SH_OK && s->autocomplete)
        rc = html_fmt(b, " autocomplete=\"%s\"", s->autocomplete);
    if (rc == SH_OK && s->inputmode)
        rc = html_fmt(b, " inputmode=\"%s\"", s->inputmode);
    if (rc == SH_OK && s->spellcheck_off)
        rc = html_fmt(b, " spellcheck=\"false\"");
    return rc ? rc : html_fmt(b, ">\n</div>\n");
}

int pages_select(buf *b, const char *name, const char *label, const char *hint_text,
                 const pages_option *opts, size_t n, const char *selected,
                 const pages_errors *errs)
{
    bool err = pages_errors_for(errs, name) != NULL;
    char ids[256];
    described_by(name, hint_text != NULL, err, ids, sizeof ids);
    int rc = group_open(b, err);
    if (rc == SH_OK)
        rc = html_fmt(b, "<label class=\"govuk-label\" for=\"%s\">%s</label>\n", name, label);
    if (rc == SH_OK)
        rc = hint(b, name, hint_text);
    if (rc == SH_OK)
        rc = field_message(b, errs, name);
    if (rc == SH_OK)
        rc = html_fmt(b, "<select class=\"govuk-select%r\" id=\"%s\" name=\"%s\"",
                      err ? " govuk-select--error" : "", name, name);
    if (rc == SH_OK)
        rc = describedby_attr(b, ids);
    if (rc == SH_OK)
        rc = buf_puts(b, ">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = html_fmt(b, "<option value=\"%s\"%r>%s</option>\n", opts[i].value,
                      selected && strcmp(selected, opts[i].value) == 0 ? " selected" : "",
                      opts[i].text);
    return rc ? rc : html_fmt(b, "</select>\n</div>\n");
}

/* The id of option i: GOV.UK gives the first the group's name (so the error
 * summary's link lands on it) and the rest "<name>-<i+1>". */
static void option_id(const char *name, size_t i, char *out, size_t n)
{
    if (i == 0)
        snprintf(out, n, "%s", name);
    else
        snprintf(out, n, "%s-%zu", name, i + 1);
}

static int radio_item(buf *b, const pages_radios_spec *s, size_t i)
{
    char id[160];
    option_id(s->name, i, id, sizeof id);
    const pages_option *o = &s->opts[i];
    bool checked = s->checked && strcmp(s->checked, o->value) == 0;
    int rc = SH_OK;
    if (s->divider_before && i == s->divider_before)
        rc = html_fmt(b, "<div class=\"govuk-radios__divider\">or</div>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-radios__item\">\n"
                         "<input class=\"govuk-radios__input\" id=\"%s\" name=\"%s\" "
                         "type=\"radio\" value=\"%s\"%r",
                      id, s->name, o->value, checked ? " checked" : "");
    if (rc == SH_OK && o->hint)
        rc = html_fmt(b, " aria-describedby=\"%s-item-hint\"", id);
    if (rc == SH_OK)
        rc = html_fmt(b, ">\n<label class=\"govuk-label govuk-radios__label\" for=\"%s\">%s"
                         "</label>\n",
                      id, o->text);
    if (rc == SH_OK && o->hint)
        rc = html_fmt(b, "<div id=\"%s-item-hint\" class=\"govuk-hint govuk-radios__hint\">%s</div>\n",
                      id, o->hint);
    return rc ? rc : buf_puts(b, "</div>\n");
}

int pages_radios(buf *b, const pages_radios_spec *s, const pages_errors *errs)
{
    bool err = pages_errors_for(errs, s->name) != NULL;
    char ids[256];
    described_by(s->name, s->hint != NULL, err, ids, sizeof ids);
    int rc = group_open(b, err);
    if (rc == SH_OK)
        rc = html_fmt(b, "<fieldset class=\"govuk-fieldset\"");
    if (rc == SH_OK)
        rc = describedby_attr(b, ids);
    if (rc == SH_OK)
        rc = html_fmt(b, ">\n<legend class=\"govuk-fieldset__legend %s\">%s</legend>\n",
                      s->legend_classes ? s->legend_classes : "govuk-fieldset__legend--s",
                      s->legend);
    if (rc == SH_OK)
        rc = hint(b, s->name, s->hint);
    if (rc == SH_OK)
        rc = field_message(b, errs, s->name);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-radios%r\" data-module=\"govuk-radios\">\n",
                      s->small ? " govuk-radios--small" : "");
    for (size_t i = 0; rc == SH_OK && i < s->n; i++)
        rc = radio_item(b, s, i);
    return rc ? rc : html_fmt(b, "</div>\n</fieldset>\n</div>\n");
}

int pages_textarea(buf *b, const char *name, const char *label, const char *hint_text,
                   const char *value, int rows, const pages_errors *errs)
{
    bool err = pages_errors_for(errs, name) != NULL;
    char ids[256];
    described_by(name, hint_text != NULL, err, ids, sizeof ids);
    int rc = group_open(b, err);
    if (rc == SH_OK)
        rc = html_fmt(b, "<label class=\"govuk-label govuk-label--s\" for=\"%s\">%s</label>\n",
                      name, label);
    if (rc == SH_OK)
        rc = hint(b, name, hint_text);
    if (rc == SH_OK)
        rc = field_message(b, errs, name);
    if (rc == SH_OK)
        rc = html_fmt(b, "<textarea class=\"govuk-textarea%r\" id=\"%s\" name=\"%s\" rows=\"%d\"",
                      err ? " govuk-textarea--error" : "", name, name, rows);
    if (rc == SH_OK)
        rc = describedby_attr(b, ids);
    return rc ? rc
              : html_fmt(b, ">%s</textarea>\n</div>\n", value ? value : "");
}

int pages_checkbox(buf *b, const char *name, const char *value_attr, const char *label,
                   bool checked)
{
    return html_fmt(b,
                    "<div class=\"govuk-form-group\">\n"
                    "<div class=\"govuk-checkboxes govuk-checkboxes--small\" "
                    "data-module=\"govuk-checkboxes\">\n"
                    "<div class=\"govuk-checkboxes__item\">\n"
                    "<input class=\"govuk-checkboxes__input\" id=\"%s\" name=\"%s\" "
                    "type=\"checkbox\" value=\"%s\"%r>\n"
                    "<label class=\"govuk-label govuk-checkboxes__label\" for=\"%s\">%s</label>\n"
                    "</div>\n</div>\n</div>\n",
                    name, name, value_attr, checked ? " checked" : "", name, label);
}

/* ---- dates in three boxes ---------------------------------------------------- */

static const char *const date_parts[3] = {"day", "month", "year"};

static const char *part_value(const web_form *f, arena *a, const char *name, int part)
{
    char key[FORM_MAX_NAME + 8];
    snprintf(key, sizeof key, "%s-%s", name, date_parts[part]);
    const char *v = form_get(f, key);
    return v ? pages_trim(a, v) : "";
}

/* The key an error for this date is filed under: the first empty part when
 * some (not all) are empty, else the day. */
static const char *date_error_key(arena *a, const char *name, const char *v[3])
{
    int first_empty = -1, empty = 0;
    for (int i = 2; i >= 0; i--)
        if (!v[i] || !v[i][0]) {
            first_empty = i;
            empty++;
        }
    int part = empty > 0 && empty < 3 ? first_empty : 0;
    return arena_printf(a, "%s-%s", name, date_parts[part]);
}

int pages_date_input(buf *b, const char *name, const char *legend, const char *hint_text,
                     const web_form *values, const pages_errors *errs)
{
    char key[3][FORM_MAX_NAME + 8];
    const char *v[3];
    const char *err_key = NULL;
    int empty = 0;
    for (int i = 0; i < 3; i++) {
        snprintf(key[i], sizeof key[i], "%s-%s", name, date_parts[i]);
        v[i] = values ? form_get(values, key[i]) : NULL;
        if (!v[i] || !v[i][0])
            empty++;
        if (!err_key && pages_errors_for(errs, key[i]))
            err_key = key[i];
    }
    char ids[4 * (FORM_MAX_NAME + 16)];
    snprintf(ids, sizeof ids, "%s%s%s%s%s", hint_text ? name : "", hint_text ? "-hint" : "",
             hint_text && err_key ? " " : "", err_key ? err_key : "", err_key ? "-error" : "");
    int rc = group_open(b, err_key != NULL);
    if (rc == SH_OK)
        rc = html_fmt(b, "<fieldset class=\"govuk-fieldset\" role=\"group\"");
    if (rc == SH_OK)
        rc = describedby_attr(b, ids);
    if (rc == SH_OK)
        rc = html_fmt(b, ">\n<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">"
                         "%s</legend>\n",
                      legend);
    if (rc == SH_OK)
        rc = hint(b, name, hint_text);
    if (rc == SH_OK && err_key)
        rc = field_message(b, errs, err_key);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-date-input\" id=\"%s\">\n", name);
    for (int i = 0; rc == SH_OK && i < 3; i++) {
        /* With some boxes empty only those are marked; otherwise all three. */
        bool mark = err_key && (empty == 0 || empty == 3 || !v[i] || !v[i][0]);
        rc = html_fmt(b,
                      "<div class=\"govuk-date-input__item\">\n<div class=\"govuk-form-group\">\n"
                      "<label class=\"govuk-label govuk-date-input__label\" for=\"%s\">%s</label>\n"
                      "<input class=\"govuk-input govuk-date-input__input govuk-input--width-%d%r\" "
                      "id=\"%s\" name=\"%s\" type=\"text\" inputmode=\"numeric\" value=\"%s\">\n"
                      "</div>\n</div>\n",
                      key[i], i == 0 ? "Day" : i == 1 ? "Month" : "Year", i == 2 ? 4 : 2,
                      mark ? " govuk-input--error" : "", key[i], key[i], v[i] ? v[i] : "");
    }
    return rc ? rc : html_fmt(b, "</div>\n</fieldset>\n</div>\n");
}

/* A whole number of 1..max_digits digits, or -1. */
static int small_number(const char *s, size_t max_digits)
{
    size_t n = strlen(s);
    if (n == 0 || n > max_digits)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static const char *capitalised(arena *a, const char *what)
{
    char *s = arena_strdup(a, what);
    if (s && s[0] >= 'a' && s[0] <= 'z')
        s[0] = (char)(s[0] - 'a' + 'A');
    return s ? s : what;
}

/* "must include a day and year" for the missing parts. */
static const char *missing_parts(arena *a, const char *v[3])
{
    const char *names[3];
    int n = 0;
    for (int i = 0; i < 3; i++)
        if (!v[i][0])
            names[n++] = date_parts[i];
    if (n == 1)
        return arena_printf(a, "must include a %s", names[0]);
    return arena_printf(a, "must include a %s and %s", names[0], names[1]);
}

int pages_date_read(const web_form *f, const char *name, const char *what, bool required,
                    arena *a, date_t *out, pages_errors *errs)
{
    const char *v[3];
    int empty = 0;
    for (int i = 0; i < 3; i++) {
        v[i] = part_value(f, a, name, i);
        empty += v[i][0] == '\0';
    }
    *out = DATE_NONE;
    const char *key = date_error_key(a, name, v);
    if (empty == 3) {
        if (required)
            pages_errors_add(errs, key, arena_printf(a, "Enter %s", what));
        return required ? SH_EINVAL : SH_OK;
    }
    if (empty > 0) {
        pages_errors_add(errs, key,
                         arena_printf(a, "%s %s", capitalised(a, what), missing_parts(a, v)));
        return SH_EINVAL;
    }
    int day = small_number(v[0], 2), month = small_number(v[1], 2), year = small_number(v[2], 4);
    if (year >= 0 && strlen(v[2]) != 4) {
        pages_errors_add(errs, arena_printf(a, "%s-year", name),
                         arena_printf(a, "%s must have a year of 4 numbers, like 2026",
                                      capitalised(a, what)));
        return SH_EINVAL;
    }
    if (day < 0 || month < 0 || year < 0 || date_from_ymd(year, month, day, out) != SH_OK) {
        *out = DATE_NONE;
        pages_errors_add(errs, key,
                         arena_printf(a, "%s must be a real date", capitalised(a, what)));
        return SH_EINVAL;
    }
    return SH_OK;
}

void pages_date_set(web_form *f, arena *a, const char *name, date_t d)
{
    if (d == DATE_NONE)
        return;
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    pages_form_set(f, arena_printf(a, "%s-day", name), arena_printf(a, "%d", day));
    pages_form_set(f, arena_printf(a, "%s-month", name), arena_printf(a, "%d", m));
    pages_form_set(f, arena_printf(a, "%s-year", name), arena_printf(a, "%d", y));
}


int pages_csrf_input(buf *b, const web_request *req)
{
    return html_fmt(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", req->csrf);
}

/* ---- links, pagination, text ----------------------------------------------- */

int pages_csv_field(buf *b, const char *s, bool last)
{
    int rc = buf_putc(b, '"');
    if (rc == SH_OK && s[0] && strchr("=+-@\t\r", s[0]))
        rc = buf_putc(b, '\'');
    for (const char *p = s; rc == SH_OK && *p; p++)
        rc = *p == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *p);
    if (rc == SH_OK)
        rc = buf_putc(b, '"');
    return rc ? rc : buf_puts(b, last ? "\r\n" : ",");
}

const char *pages_url_encode(arena *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = arena_alloc(a, 3 * n + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
                     *p == '~';
        if (plain) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

static int pagination_item(buf *b, const char *href_base, size_t i, size_t page)
{
    if (i == page)
        return html_fmt(b, "<li class=\"govuk-pagination__item govuk-pagination__item--current\">"
                           "<a class=\"govuk-link govuk-pagination__link\" href=\"%s%zu\" "
                           "aria-label=\"Page %zu\" aria-current=\"page\">%zu</a></li>\n",
                        href_base, i, i, i);
    return html_fmt(b, "<li class=\"govuk-pagination__item\"><a class=\"govuk-link "
                       "govuk-pagination__link\" href=\"%s%zu\" aria-label=\"Page %zu\">%zu</a>"
                       "</li>\n",
                    href_base, i, i, i);
}

static const char prev_icon[] =
    "<svg class=\"govuk-pagination__icon govuk-pagination__icon--prev\" "
    "xmlns=\"http://www.w3.org/2000/svg\" height=\"13\" width=\"15\" aria-hidden=\"true\" "
    "focusable=\"false\" viewBox=\"0 0 15 13\"><path d=\"m6.5938-0.0078125-6.7266 6.7266 "
    "6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z\">"
    "</path></svg>";
static const char next_icon[] =
    "<svg class=\"govuk-pagination__icon govuk-pagination__icon--next\" "
    "xmlns=\"http://www.w3.org/2000/svg\" height=\"13\" width=\"15\" aria-hidden=\"true\" "
    "focusable=\"false\" viewBox=\"0 0 15 13\"><path d=\"m8.107-0.0078125-1.4136 1.414 "
    "4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z\">"
    "</path></svg>";

/* Pages shown: the first, the last, and the current one with its
 * neighbours; gaps are an ellipsis (GOV.UK pagination "many pages"). */
int pages_pagination(buf *b, const char *href_base, size_t page, size_t pages)
{
    if (pages <= 1)
        return SH_OK;
    int rc = html_fmt(b, "<nav class=\"govuk-pagination\" aria-label=\"Pagination\">\n");
    if (rc == SH_OK && page > 1)
        rc = html_fmt(b, "<div class=\"govuk-pagination__prev\"><a class=\"govuk-link "
                         "govuk-pagination__link\" href=\"%s%zu\" rel=\"prev\">%r"
                         "<span class=\"govuk-pagination__link-title\">Previous"
                         "<span class=\"govuk-visually-hidden\"> page</span></span></a></div>\n",
                      href_base, page - 1, prev_icon);
    if (rc == SH_OK)
        rc = html_fmt(b, "<ul class=\"govuk-pagination__list\">\n");
    bool gap = false;
    for (size_t i = 1; rc == SH_OK && i <= pages; i++) {
        bool show = i == 1 || i == pages || (i + 1 >= page && i <= page + 1);
        if (!show) {
            if (!gap)
                rc = html_fmt(b, "<li class=\"govuk-pagination__item "
                                 "govuk-pagination__item--ellipsis\">&ctdot;</li>\n");
            gap = true;
            continue;
        }
        gap = false;
        rc = pagination_item(b, href_base, i, page);
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "</ul>\n");
    if (rc == SH_OK && page < pages)
        rc = html_fmt(b, "<div class=\"govuk-pagination__next\"><a class=\"govuk-link "
                         "govuk-pagination__link\" href=\"%s%zu\" rel=\"next\">"
                         "<span class=\"govuk-pagination__link-title\">Next"
                         "<span class=\"govuk-visually-hidden\"> page</span></span>%r</a></div>\n",
                      href_base, page + 1, next_icon);
    return rc ? rc : html_fmt(b, "</nav>\n");
}

size_t pages_query_page(const web_request *req, const char *name, size_t max)
{
    const char *s = web_query(req, name);
    if (!s || !*s || strlen(s) > 9)
        return 1;
    size_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return 1;
        v = v * 10 + (size_t)(*p - '0');
    }
    return v >= 1 && v <= max ? v : 1;
}

const char *pages_trim(arena *a, const char *s)
{
    if (!s)
        return "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    const char *out = arena_strndup(a, s, n);
    return out ? out : "";
}

/* ---- the journey in plain English -------------------------------------------- */

static const struct {
    const char *key, *label;
} step_labels[] = {
    {"decision_to_assess", "Decide whether to assess"},
    {"no_plan_decision", "Tell the family no plan will be issued"},
    {"final_plan", "Issue the final EHC plan"},
    {"transfer_notice", "Tell the family about the transferred plan"},
    {"annual_review", "Hold the annual review"},
    {"review_report", "Receive the setting's review report"},
    {"review_decision", "Decide what happens after the review"},
    {"amendment_comments", "Family's comments on the proposed amendments"},
    {"amended_plan", "Issue the amended plan"},
    {"phase_transfer", "Amend the plan for the move to a new phase"},
    {"appeal_deadline", "Family's deadline to appeal"},
};

static const char *const advice_labels[AGENCY_COUNT] = {
    [AGENCY_EDUCATION] = "Advice from education",
    [AGENCY_HEALTH] = "Advice from health",
    [AGENCY_SOCIAL_CARE] = "Advice from social care",
    [AGENCY_PSYCHOLOGY] = "Advice from educational psychology",
    [AGENCY_OTHER] = "Advice from another service",
};

const char *pages_step_label(arena *a, const char *key_or_step, event_agency agency)
{
    const char *colon = strchr(key_or_step, ':');
    if (colon)
        agency = event_agency_parse(colon + 1, strlen(colon + 1));
    size_t klen = colon ? (size_t)(colon - key_or_step) : strlen(key_or_step);
    if (klen == 6 && memcmp(key_or_step, "advice", 6) == 0)
        return agency >= 0 && agency < AGENCY_COUNT ? advice_labels[agency] : "Advice";
    for (size_t i = 0; i < sizeof step_labels / sizeof step_labels[0]; i++)
        if (strlen(step_labels[i].key) == klen && memcmp(step_labels[i].key, key_or_step, klen) == 0)
            return step_labels[i].label;
    const char *copy = arena_strndup(a, key_or_step, klen);
    return copy ? copy : "";
}

const char *pages_due_tag(date_t due, date_t today)
{
    if (due == DATE_NONE)
        return "";
    if (due < today)
        return html_status_tag("overdue");
    return due <= date_add_days(today, 7) ? html_status_tag("due_soon") : "";
}

const char *pages_time(arena *a, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char out[64];
    if (t == 0 || !localtime_r(&tt, &tm) || !strftime(out, sizeof out, "%e %B %Y, %H:%M", &tm))
        return "";
    const char *s = arena_strdup(a, out[0] == ' ' ? out + 1 : out);
    return s ? s : "";
}

const char *pages_date_short(arena *a, date_t d)
{
    static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (d == DATE_NONE)
        return "";
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    if (y < 1000 || y > 9999) { /* not a date a record holds: the general path */
        const char *s = arena_printf(a, "%d %s %d", day, months[m - 1], y);
        return s ? s : "";
    }
    /* Written by hand: a caseload page shows two dates a row, and printf
     * costs more than the rest of the row's formatting. */
    char text[sizeof "31 Dec 9999"], *p = text;
    if (day >= 10)
        *p++ = (char)('0' + day / 10);
    *p++ = (char)('0' + day % 10);
    *p++ = ' ';
    memcpy(p, months[m - 1], 3);
    p += 3;
    *p++ = ' ';
    for (int div = 1000; div; div /= 10)
        *p++ = (char)('0' + y / div % 10);
    const char *s = arena_strndup(a, text, (size_t)(p - text));
    return s ? s : "";
}

const char *pages_nhs_number(arena *a, const char *nhs)
{
    if (strlen(nhs) != IDENT_NHS_LEN)
        return nhs;
    const char *s = arena_printf(a, "%.3s %.3s %.4s", nhs, nhs + 3, nhs + 6);
    return s ? s : nhs;
}

const char *pages_need_label(int sen)
{
    return sen >= 0 && sen < SEN_TYPE_COUNT ? ident_sen_type_label((sen_type)sen) : "";
}

int pages_age_years(date_t d, date_t today)
{
    int y1, m1, d1, y2, m2, d2;
    date_to_ymd(d, &y1, &m1, &d1);
    date_to_ymd(today, &y2, &m2, &d2);
    int age = y2 - y1;
    if (m2 < m1 || (m2 == m1 && d2 < d1))
        age--;
    return age;
}
