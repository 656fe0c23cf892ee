/*
 * page_advice.c — advice for an EHC needs assessment (SEND Regulations 2014
 * regs 6 and 8): a coordinator asks several services in one form; each
 * service sees what it has been asked ("advice requested from my service",
 * earliest due first), reads only what it needs to know about the child,
 * and sends its advice as structured text with optional PDFs; the
 * dashboard shows who answers on time, the outbox what reminders went out.
 *
 * The use cases are app/advice.h and app/remind.h; this file only reads
 * forms and writes pages. Every request shown is audited ("advice" object),
 * a request outside the person's reach is audited as denied and answered
 * 404, and files are served as attachments (never rendered inline) only to
 * people who may see their request.
 */
#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/advice.h"
#include "core/ident.h"
#include "store/store_advice.h"
#include "util/err.h"
#include "web/multipart.h"
#include "web/pages.h"

#define ADVICE_OUTBOX_ROWS 100

/* The services a coordinator can tick, in the order of the form. */
static const struct {
    event_agency agency;
    const char *label, *hint, *default_service;
} services[] = {
    {AGENCY_PSYCHOLOGY, "Educational psychology", NULL, "Educational Psychology Service"},
    {AGENCY_HEALTH, "Health", "Through the Designated Clinical Officer, or a named provider",
     "Designated Clinical Officer"},
    {AGENCY_SOCIAL_CARE, "Social care", NULL, "Children's Social Care"},
    {AGENCY_EDUCATION, "The school or setting", "The child's current school or setting, or "
                                                "the one that knows them best",
     NULL},
    {AGENCY_OTHER, "Another service", "For example a sensory support team or the youth "
                                      "offending service",
     NULL},
};
#define N_SERVICES (sizeof services / sizeof services[0])

static const char *tick_name(arena *a, event_agency g)
{
    return arena_printf(a, "ask_%s", event_agency_name(g));
}

static const char *service_field(arena *a, event_agency g)
{
    return arena_printf(a, "service_%s", event_agency_name(g));
}

/* A string split into lines, each escaped, in a <p> that keeps breaks. */
static int text_block(buf *b, const char *text)
{
    return html_fmt(b, "<p class=\"govuk-body sendhub-pre-line\">%s</p>\n", text);
}

static int summary_row(buf *b, const char *key, const char *fmt_value)
{
    return html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                       "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                       "<dd class=\"govuk-summary-list__value\">%r</dd>\n</div>\n",
                    key, fmt_value);
}

/* Escaped text in the arena, for summary_row's raw value. */
static const char *esc(web_request *req, const char *s)
{
    buf t;
    buf_init(&t, 64 * 1024);
    int rc = html_fmt(&t, "%s", s && s[0] ? s : "Not recorded");
    const char *out = rc == SH_OK && t.data ? arena_strdup(req->a, t.data) : "";
    buf_free(&t);
    return out ? out : "";
}

/* The tag for where a request stands, in the colours of html_status_tag. */
static const char *state_tag(advice_state s)
{
    switch (s) {
    case ADVICE_OPEN: return "<strong class=\"govuk-tag govuk-tag--grey\">Requested</strong>";
    case ADVICE_DUE_SOON: return html_status_tag("due_soon");
    case ADVICE_OVERDUE: return html_status_tag("overdue");
    case ADVICE_ON_TIME:
        return "<strong class=\"govuk-tag govuk-tag--green\">Received on time</strong>";
    case ADVICE_LATE: return "<strong class=\"govuk-tag govuk-tag--pink\">Received late</strong>";
    case ADVICE_STATE_COUNT: break;
    }
    return "";
}

/* ---- asking: /cases/{id}/advice/new ---------------------------------------------- */

static int service_fields(web_request *req, buf *b, const web_form *v, const pages_errors *errs)
{
    const char *err = pages_errors_for(errs, "ask_psychology");
    int rc = html_fmt(b, "<div class=\"govuk-form-group%r\">\n<fieldset class=\"govuk-fieldset\" "
                         "aria-describedby=\"agencies-hint%r\">\n"
                         "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--m\">"
                         "Which services do you want advice from?</legend>\n"
                         "<div id=\"agencies-hint\" class=\"govuk-hint\">Select all that apply. "
                         "Each service has 6 weeks to reply (regulation 8).</div>\n",
                      err ? " govuk-form-group--error" : "",
                      err ? " ask_psychology-error" : "");
    if (rc == SH_OK && err)
        rc = html_fmt(b, "<p id=\"ask_psychology-error\" class=\"govuk-error-message\">"
                         "<span class=\"govuk-visually-hidden\">Error:</span> %s</p>\n", err);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-checkboxes\" data-module=\"govuk-checkboxes\">\n");
    for (size_t i = 0; rc == SH_OK && i < N_SERVICES; i++) {
        const char *name = tick_name(req->a, services[i].agency);
        rc = html_fmt(b, "<div class=\"govuk-checkboxes__item\">\n"
                         "<input class=\"govuk-checkboxes__input\" id=\"%s\" name=\"%s\" "
                         "type=\"checkbox\" value=\"1\"%r%r>\n"
                         "<label class=\"govuk-label govuk-checkboxes__label\" for=\"%s\">%s"
                         "</label>\n",
                      name, name, form_get(v, name) ? " checked" : "",
                      services[i].hint ? arena_printf(req->a, " aria-describedby=\"%s-hint\"",
                                                      name)
                                       : "",
                      name, services[i].label);
        if (rc == SH_OK && services[i].hint)
            rc = html_fmt(b, "<div id=\"%s-hint\" class=\"govuk-hint govuk-checkboxes__hint\">"
                             "%s</div>\n",
                          name, services[i].hint);
        if (rc == SH_OK)
            rc = html_fmt(b, "</div>\n");
    }
    return rc ? rc : html_fmt(b, "</div>\n</fieldset>\n</div>\n");
}

static int service_names(buf *b, const web_form *v, const pages_errors *errs)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Who to ask</h2>\n"
                         "<p class=\"govuk-body\">Only the services you selected above are "
                         "asked.</p>\n");
    pages_option routes[] = {{"dco", "The Designated Clinical Officer", "The DCO passes the "
                                                                        "request to the right "
                                                                        "health services"},
                             {"provider", "A named health provider", NULL}};
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "health_route",
                                               .legend = "How should health be asked?",
                                               .opts = routes, .n = 2, .small = true,
                                               .checked = form_get(v, "health_route")},
                          errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "service_health",
                                             .label = "Health provider (if named)",
                                             .hint = "For example, Northfield Community "
                                                     "Paediatrics",
                                             .value = form_get(v, "service_health")},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "service_social_care",
                                             .label = "Social care team",
                                             .value = form_get(v, "service_social_care")},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "service_psychology",
                                             .label = "Educational psychology service",
                                             .value = form_get(v, "service_psychology")},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "setting_urn",
                                             .label = "School or setting URN",
                                             .hint = "6 or 7 digits, as on Get Information "
                                                     "about Schools",
                                             .value = form_get(v, "setting_urn"),
                                             .classes = "govuk-input--width-10",
                                             .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "service_other",
                                             .label = "Other service (name)",
                                             .value = form_get(v, "service_other")},
                         errs);
    return rc;
}

static int render_ask(web_request *req, web_response *res, const app_case_view *cv,
                      int status, const web_form *v, const pages_errors *errs)
{
    const char *child = arena_printf(req->a, "%s %s", cv->child.forename, cv->child.surname);
    html_page p = {.title = "Request advice", .nav = "caseload", .has_errors = errs->n > 0,
                   .no_h1 = true,
                   .back_href = arena_printf(req->a, "/cases/%lld", (long long)cv->c.id)};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n"
                         "<div class=\"govuk-grid-column-two-thirds\">\n"
                         "<span class=\"govuk-caption-l\">%s</span>\n"
                         "<h1 class=\"govuk-heading-l\">Request advice</h1>\n"
                         "<form method=\"post\" action=\"/cases/%lld/advice\" novalidate>\n",
                      child, (long long)cv->c.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = service_fields(req, b, v, errs);
    if (rc == SH_OK)
        rc = service_names(b, v, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The request</h2>\n");
    if (rc == SH_OK)
        rc = pages_textarea(b, "question", "What do you want to know? (optional)",
                            "Every service sees this. Do not repeat what the record already "
                            "says.",
                            form_get(v, "question"), 5, errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "date", "Date advice was requested",
                              "The 6 weeks start from this date", v, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Send the requests</button>\n"
                         "</form>\n</div>\n</div>\n");
    return pages_end(req, res, rc);
}

int page_advice_new(web_request *req, web_response *res)
{
    app_case_view cv;
    int rc = pages_case_load(req, res, true, &cv);
    if (rc)
        return rc;
    web_form v = {0};
    pages_date_set(&v, req->a, "date", req->today);
    pages_form_set(&v, "health_route", "dco");
    for (size_t i = 0; i < N_SERVICES; i++)
        if (services[i].default_service && services[i].agency != AGENCY_HEALTH)
            pages_form_set(&v, service_field(req->a, services[i].agency),
                           services[i].default_service);
    if (cv.child.setting_urn[0])
        pages_form_set(&v, "setting_urn", arena_strdup(req->a, cv.child.setting_urn));
    pages_errors errs = {0};
    return render_ask(req, res, &cv, 200, &v, &errs);
}

/* The ticked services as asks; problems a person can fix go to errs. */
static size_t read_asks(web_request *req, const web_form *f, app_advice_ask *asks,
                        pages_errors *errs)
{
    size_t n = 0;
    for (size_t i = 0; i < N_SERVICES; i++) {
        event_agency g = services[i].agency;
        if (!form_get(f, tick_name(req->a, g)))
            continue;
        app_advice_ask k = {.agency = g,
                            .service = pages_trim(req->a, form_get(f, service_field(req->a, g)))};
        if (g == AGENCY_HEALTH) {
            const char *route = form_get(f, "health_route");
            if (route && strcmp(route, "provider") == 0 && !k.service[0])
                pages_errors_add(errs, "service_health", "Enter the name of the health provider");
            else if (!route || strcmp(route, "provider") != 0)
                k.service = services[i].default_service;
        }
        if (g == AGENCY_EDUCATION) {
            k.setting_urn = pages_trim(req->a, form_get(f, "setting_urn"));
            k.service = "";
        }
        asks[n++] = k;
    }
    if (n == 0)
        pages_errors_add(errs, "ask_psychology", "Select at least one service to ask for advice");
    return n;
}

/* The use case's field names on this form. */
static const char *ask_field(const char *field)
{
    if (!field || strcmp(field, "agencies") == 0)
        return "ask_psychology";
    if (strcmp(field, "date") == 0)
        return "date-day";
    return field;
}

int page_advice_create(web_request *req, web_response *res)
{
    app_case_view cv;
    int rc = pages_case_load(req, res, true, &cv);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    app_advice_ask asks[N_SERVICES];
    size_t n = read_asks(req, &f, asks, &errs);
    date_t on = DATE_NONE;
    pages_date_read(&f, "date", "the date advice was requested", true, req->a, &on, &errs);
    const char *question = pages_trim(req->a, form_get(&f, "question"));
    if (errs.n)
        return render_ask(req, res, &cv, 422, &f, &errs);
    int64_t ids[N_SERVICES];
    app_error err = {0};
    rc = app_advice_request(req->db, &req->who, cv.c.id, asks, n, on, question, req->today,
                            req->a, ids, &err);
    if (rc == SH_EINVAL || rc == SH_ELIMIT) {
        pages_errors_add(&errs, ask_field(err.field), arena_strdup(req->a, err.message));
        return render_ask(req, res, &cv, 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a, "/cases/%lld?advice=%zu#advice",
                                            (long long)cv.c.id, n));
}

/* ---- the advice on a child's record (page_case.c) ----------------------------------- */

int pages_case_advice(web_request *req, buf *b, const app_case_view *v)
{
    store_advice *rows;
    size_t n;
    app_error err;
    int rc = app_advice_for_case(req->db, &req->who, v->c.id, req->a, &rows, &n, &err);
    if (rc)
        return rc;
    bool can_write = access_can(&req->who, CAN_WRITE_CASES);
    rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"advice\">Advice</h2>\n");
    /* ?advice=N after asking N services (a count, so forgiving like paging) */
    size_t asked = web_query(req, "advice") ? pages_query_page(req, "advice", APP_ADVICE_ASKS_MAX)
                                            : 0;
    if (rc == SH_OK && asked)
        rc = html_fmt(b, "<div class=\"govuk-inset-text\">Advice requested from %zu "
                         "service%r. Each is due in 6 weeks.</div>\n",
                      asked, asked == 1 ? "" : "s");
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No advice has been requested through "
                         "sendhub for this case.</p>\n");
    if (rc == SH_OK && n)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"Advice\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table\" id=\"advice-requests\">\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Service</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Due</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Status</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n<td class=\"govuk-table__cell\">"
                         "<a class=\"govuk-link\" href=\"/advice/%lld\">%s</a><br>"
                         "<span class=\"govuk-body-s\">%s</span></td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                      (long long)rows[i].id, rows[i].service,
                      event_agency_label(rows[i].agency), pages_date_short(req->a, rows[i].due),
                      state_tag(advice_state_at(rows[i].due, rows[i].received_on, req->today)));
    if (rc == SH_OK && n)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n");
    if (rc == SH_OK && can_write)
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/advice/new\">Request advice</a></p>\n",
                      (long long)v->c.id);
    return rc;
}

/* ---- one request: /advice/{id} --------------------------------------------------------- */

/* Loads the request in params[0]; a denial is audited and answered 404. */
static int load_request(web_request *req, web_response *res, app_advice_view *v)
{
    app_error err = {0};
    int rc = app_advice_get(req->db, &req->who, req->params[0], req->today, req->a, v, &err);
    if (rc == SH_EDENIED) {
        pages_audit(req, "denied", "advice", req->params[0], 0, "");
        return pages_fail(req, res, SH_ENOTFOUND);
    }
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

static int about_child(web_request *req, buf *b, const app_advice_view *v)
{
    char born[40];
    date_format_long(v->date_of_birth, born, sizeof born);
    const char *setting = !v->setting_urn[0] ? ""
                          : v->setting_name[0]
                              ? arena_printf(req->a, "%s (URN %s)", v->setting_name, v->setting_urn)
                              : arena_printf(req->a, "URN %s", v->setting_urn);
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">About the child</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = summary_row(b, "Name", esc(req, v->child_name));
    if (rc == SH_OK)
        rc = summary_row(b, "Date of birth",
                         esc(req, arena_printf(req->a, "%s (age %d)", born,
                                               pages_age_years(v->date_of_birth, req->today))));
    if (rc == SH_OK)
        rc = summary_row(b, "Current setting", esc(req, setting));
    if (rc == SH_OK)
        rc = summary_row(b, "Primary need", esc(req, pages_need_label(v->primary_need)));
    return rc ? rc : html_fmt(b, "</dl>\n");
}

static int about_request(web_request *req, buf *b, const app_advice_view *v)
{
    const store_advice *r = &v->r;
    char due[40];
    date_format_long(r->due, due, sizeof due);
    const char *who = v->coordinator_email[0]
                          ? arena_printf(req->a, "%s (%s)", v->coordinator, v->coordinator_email)
                          : v->coordinator;
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The request</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = summary_row(b, "Service asked",
                         esc(req, arena_printf(req->a, "%s (%s)", r->service,
                                               event_agency_label(r->agency))));
    if (rc == SH_OK)
        rc = summary_row(b, "EHC coordinator", esc(req, who));
    if (rc == SH_OK) {
        char on[40];
        date_format_long(r->requested_on, on, sizeof on);
        rc = summary_row(b, "Requested on", esc(req, on));
    }
    if (rc == SH_OK)
        rc = summary_row(b, "Advice due",
                         arena_printf(req->a, "%s %s", esc(req, due), state_tag(v->state)));
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                         "<dt class=\"govuk-summary-list__key\">Question</dt>\n"
                         "<dd class=\"govuk-summary-list__value sendhub-pre-line\">%s</dd>\n"
                         "</div>\n",
                      r->question[0] ? r->question : "No question: give your advice on the "
                                                     "child's needs, outcomes and provision.");
    return rc ? rc : html_fmt(b, "</dl>\n");
}

static int files_list(buf *b, const app_advice_view *v)
{
    if (v->n_files == 0)
        return SH_OK;
    int rc = html_fmt(b, "<h3 class=\"govuk-heading-s\">Attachments</h3>\n"
                         "<ul class=\"govuk-list\">\n");
    for (size_t i = 0; rc == SH_OK && i < v->n_files; i++)
        rc = html_fmt(b, "<li><a class=\"govuk-link\" href=\"/advice/%lld/files/%lld\" "
                         "download>%s</a> (PDF, %zu KB)</li>\n",
                      (long long)v->r.id, (long long)v->files[i].id, v->files[i].filename,
                      (v->files[i].size + 1023) / 1024);
    return rc ? rc : html_fmt(b, "</ul>\n");
}

static int the_advice(buf *b, const app_advice_view *v)
{
    const store_advice *r = &v->r;
    if (r->received_on == DATE_NONE)
        return SH_OK;
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"the-advice\">The advice</h2>\n"
                         "<p class=\"govuk-body\">Received on %D from %s.</p>\n"
                         "<h3 class=\"govuk-heading-s\">The child's needs</h3>\n",
                      r->received_on, r->submitted_by);
    if (rc == SH_OK)
        rc = text_block(b, r->needs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h3 class=\"govuk-heading-s\">Outcomes</h3>\n");
    if (rc == SH_OK)
        rc = text_block(b, r->outcomes);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h3 class=\"govuk-heading-s\">Recommended provision</h3>\n");
    if (rc == SH_OK)
        rc = text_block(b, r->provision);
    return rc ? rc : files_list(b, v);
}

static int answer_form(web_request *req, buf *b, const app_advice_view *v, const web_form *f,
                       const pages_errors *errs)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"send\">Send your advice</h2>\n"
                         "<form method=\"post\" action=\"/advice/%lld\" "
                         "enctype=\"multipart/form-data\" novalidate>\n",
                      (long long)v->r.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_textarea(b, "needs", "The child's needs",
                            "What you know of their needs from your work with them (plan "
                            "sections B, C or D)",
                            form_get(f, "needs"), 8, errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "outcomes", "Outcomes",
                            "What the child should achieve, and by when (section E)",
                            form_get(f, "outcomes"), 6, errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "provision", "Recommended provision",
                            "What support, who gives it, how often and for how long "
                            "(sections F, G or H)",
                            form_get(f, "provision"), 8, errs);
    if (rc == SH_OK && access_can(&req->who, CAN_WRITE_CASES))
        rc = pages_date_input(b, "received_on", "Date the advice was received",
                              "When the service sent it, if you are recording advice that "
                              "came by post or e-mail",
                              f, errs);
    const char *err = pages_errors_for(errs, "files");
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-form-group%r\">\n"
                         "<label class=\"govuk-label govuk-label--s\" for=\"files\">Reports "
                         "(optional)</label>\n"
                         "<div id=\"files-hint\" class=\"govuk-hint\">PDF files only, up to "
                         "%d files of 5 MB each</div>\n",
                      err ? " govuk-form-group--error" : "", ADVICE_FILES_MAX);
    if (rc == SH_OK && err)
        rc = html_fmt(b, "<p id=\"files-error\" class=\"govuk-error-message\">"
                         "<span class=\"govuk-visually-hidden\">Error:</span> %s</p>\n", err);
    if (rc == SH_OK)
        rc = html_fmt(b, "<input class=\"govuk-file-upload%r\" id=\"files\" name=\"files\" "
                         "type=\"file\" multiple accept=\".pdf,application/pdf\" "
                         "aria-describedby=\"files-hint%r\">\n</div>\n"
                         "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Send advice</button>\n</form>\n",
                      err ? " govuk-file-upload--error" : "", err ? " files-error" : "");
    return rc;
}

static int render_request(web_request *req, web_response *res, const app_advice_view *v,
                          int status, const web_form *f, const pages_errors *errs)
{
    int rc = pages_audit(req, "read", "advice", v->r.id, v->r.child_id, "");
    if (rc)
        return pages_fail(req, res, rc);
    html_page p = {.title = arena_printf(req->a, "Advice for %s", v->child_name),
                   .nav = "advice", .has_errors = errs->n > 0, .no_h1 = true,
                   .back_href = "/advice"};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK && web_query(req, "sent") && v->r.received_on != DATE_NONE)
        rc = pages_success_banner(b, "Advice sent");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n"
                         "<div class=\"govuk-grid-column-two-thirds\">\n"
                         "<span class=\"govuk-caption-l\">Advice request %lld</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n",
                      (long long)v->r.id, p.title);
    if (rc == SH_OK)
        rc = about_request(req, b, v);
    if (rc == SH_OK)
        rc = about_child(req, b, v);
    if (rc == SH_OK)
        rc = the_advice(b, v);
    if (rc == SH_OK && v->may_answer)
        rc = answer_form(req, b, v, f, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "</div>\n</div>\n");
    return pages_end(req, res, rc);
}

int page_advice_show(web_request *req, web_response *res)
{
    app_advice_view v;
    int rc = load_request(req, res, &v);
    if (rc)
        return rc;
    web_form f = {0};
    pages_date_set(&f, req->a, "received_on", req->today);
    pages_errors errs = {0};
    return render_request(req, res, &v, 200, &f, &errs);
}

/* The files of a multipart form, as uploads (their content is checked by
 * the use case); a form sent without files may come urlencoded. */
static int read_form(web_request *req, web_form *f, app_advice_upload *up, size_t *n)
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
            up[(*n)++] = (app_advice_upload){.filename = m->files[i].filename,
                                             .data = m->files[i].data, .len = m->files[i].len};
    return SH_OK;
}

int page_advice_submit(web_request *req, web_response *res)
{
    app_advice_view v;
    int rc = load_request(req, res, &v);
    if (rc)
        return rc;
    if (!v.may_answer)
        return pages_fail(req, res, v.r.received_on != DATE_NONE ? SH_EINVAL : SH_EDENIED);
    web_form f;
    app_advice_upload up[MULTIPART_FILES_MAX];
    size_t n_files;
    if ((rc = read_form(req, &f, up, &n_files)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    app_advice_answer ans = {.needs = pages_trim(req->a, form_get(&f, "needs")),
                             .outcomes = pages_trim(req->a, form_get(&f, "outcomes")),
                             .provision = pages_trim(req->a, form_get(&f, "provision")),
                             .received_on = DATE_NONE, .files = up, .n_files = n_files};
    if (access_can(&req->who, CAN_WRITE_CASES))
        pages_date_read(&f, "received_on", "the date the advice was received", true, req->a,
                        &ans.received_on, &errs);
    app_error err = {0};
    if (errs.n == 0) {
        rc = app_advice_submit(req->db, &req->who, v.r.id, &ans, req->today, req->a, &err);
        if (rc == SH_EINVAL)
            pages_errors_add(&errs,
                             err.field && strcmp(err.field, "received_on") == 0
                                 ? "received_on-day"
                                 : err.field,
                             arena_strdup(req->a, err.message));
        else if (rc)
            return pages_fail(req, res, rc == SH_ECONFLICT ? SH_EINVAL : rc);
    }
    if (errs.n)
        return render_request(req, res, &v, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/advice/%lld?sent=1", (long long)v.r.id));
}

/* ---- a file: /advice/{id}/files/{id} --------------------------------------------------- */

int page_advice_file(web_request *req, web_response *res)
{
    store_advice_file f;
    store_advice r;
    app_error err = {0};
    int rc = app_advice_file(req->db, &req->who, req->params[0], req->params[1], req->a, &f,
                             &r, &err);
    if (rc == SH_EDENIED) {
        pages_audit(req, "denied", "advice", req->params[0], 0, "file");
        return pages_fail(req, res, SH_ENOTFOUND);
    }
    if (rc)
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "advice", r.id, r.child_id,
                          arena_printf(req->a, "file %lld", (long long)f.id))))
        return pages_fail(req, res, rc);
    /* The stored name is cleaned to [A-Za-z0-9 ._-] (advice_filename_clean),
     * so it needs no quoting beyond the quotes themselves. */
    res->status = 200;
    res->content_type = "application/pdf";
    res->disposition = arena_printf(req->a, "attachment; filename=\"%s\"", f.filename);
    buf_reset(&res->body);
    rc = buf_append(&res->body, f.content, f.size);
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

/* ---- the list: /advice ------------------------------------------------------------------- */

static int list_filters(buf *b, bool whole_area, const char *agency, bool answered)
{
    int rc = html_fmt(b, "<form method=\"get\" action=\"/advice\" class=\"sendhub-filters\">\n"
                         "<div class=\"sendhub-filters__row\">\n");
    if (rc == SH_OK && whole_area) {
        pages_option opts[AGENCY_COUNT + 1] = {{"", "All services", NULL}};
        for (int g = 0; g < AGENCY_COUNT; g++)
            opts[g + 1] = (pages_option){event_agency_name((event_agency)g),
                                         event_agency_label((event_agency)g), NULL};
        rc = pages_select(b, "agency", "Service", NULL, opts, AGENCY_COUNT + 1, agency, NULL);
    }
    if (rc == SH_OK)
        rc = pages_checkbox(b, "answered", "1", "Include advice already sent", answered);
    return rc ? rc
              : html_fmt(b, "</div>\n<button type=\"submit\" class=\"govuk-button "
                            "govuk-button--secondary\" data-module=\"govuk-button\">"
                            "Show</button>\n</form>\n");
}

static int list_table(buf *b, arena *a, const app_advice_row *rows, size_t n, bool whole_area)
{
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"Advice requests\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table\" id=\"requests\">\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Child</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">%r</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Requested</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Due</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Status</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      whole_area ? "Service" : "Team or provider asked");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const app_advice_row *r = &rows[i];
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                         "href=\"/advice/%lld\">%s</a></td>\n"
                         "<td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">%s"
                         "</span></td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                      (long long)r->r.id, r->child_name, r->r.service,
                      event_agency_label(r->r.agency), pages_date_short(a, r->r.requested_on),
                      pages_date_short(a, r->r.due), state_tag(r->state));
    }
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

int page_advice_list(web_request *req, web_response *res)
{
    event_agency scope;
    const char *urn;
    if (access_advice_scope(&req->who, &scope, &urn) != SH_OK)
        return pages_fail(req, res, SH_EDENIED);
    bool whole_area = scope == AGENCY_NONE && !urn;
    const char *agency = web_query(req, "agency");
    bool answered = web_query(req, "answered") != NULL;
    size_t page = pages_query_page(req, "page", 1000);
    app_advice_filter f = {.open_only = !answered,
                           .agency = agency && agency[0]
                                         ? event_agency_parse(agency, strlen(agency))
                                         : AGENCY_NONE,
                           .limit = PAGES_PER_PAGE + 1,
                           .offset = (page - 1) * PAGES_PER_PAGE};
    app_advice_row *rows;
    size_t n;
    app_error err;
    int rc = app_advice_list(req->db, &req->who, &f, req->today, req->a, &rows, &n, &err);
    if (rc)
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "advice", 0, 0, "list")))
        return pages_fail(req, res, rc);
    bool more = n > PAGES_PER_PAGE;
    html_page p = {.title = whole_area ? "Advice requests" : "Advice requested from my service",
                   .nav = "advice"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK && whole_area)
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/advice/dashboard\">Who answers on time</a> \u00b7 "
                         "<a class=\"govuk-link\" href=\"/advice/outbox\">Reminders sent"
                         "</a></p>\n");
    else if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Earliest due first. Each service has 6 weeks "
                         "from the request to send its advice (SEND Regulations 2014, "
                         "regulation 8). <a class=\"govuk-link\" href=\"/advice/dashboard\">"
                         "Your service's figures</a></p>\n");
    if (rc == SH_OK)
        rc = list_filters(b, whole_area, agency, answered);
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">There are no advice requests to show.</p>\n");
    if (rc == SH_OK && n)
        rc = list_table(b, req->a, rows, more ? PAGES_PER_PAGE : n, whole_area);
    if (rc == SH_OK && (more || page > 1)) {
        const char *base = arena_printf(req->a, "/advice?%s%s%s%spage=",
                                        answered ? "answered=1&" : "", agency ? "agency=" : "",
                                        agency ? pages_url_encode(req->a, agency) : "",
                                        agency ? "&" : "");
        rc = base ? pages_pagination(b, base, page, more ? page + 1 : page) : SH_ENOMEM;
    }
    return pages_end(req, res, rc);
}

/* ---- the dashboard: /advice/dashboard ---------------------------------------------------- */

static const char *rate_text(web_request *req, const advice_tally *t)
{
    int pm = advice_on_time_permille(t);
    if (pm < 0)
        return "No advice due yet";
    return arena_printf(req->a, "%d.%d%% (%ld of %ld)", pm / 10, pm % 10, t->on_time_12m,
                        t->decided_12m);
}

static int tally_row(web_request *req, buf *b, const advice_tally *t)
{
    bool agency = t->service == NULL;
    return html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                       "<%r class=\"govuk-table__%r\"%r>%r%s%r</%r>\n"
                       "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%ld</td>\n"
                       "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%ld</td>\n"
                       "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%ld</td>\n"
                       "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%s</td>\n"
                       "</tr>\n",
                    agency ? "th" : "td", agency ? "header" : "cell",
                    agency ? " scope=\"row\"" : "", agency ? "" : "<span class=\"govuk-!-padding-left-4\">",
                    agency ? event_agency_label(t->agency) : t->service,
                    agency ? "" : "</span>", agency ? "th" : "td", t->outstanding,
                    t->due_this_week, t->overdue, rate_text(req, t));
}

int page_advice_dashboard(web_request *req, web_response *res)
{
    advice_tally *t;
    size_t n;
    app_error err;
    int rc = app_advice_dashboard(req->db_read, &req->who, req->today, req->a, &t, &n, &err);
    if (rc)
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "advice", 0, 0, "dashboard")))
        return pages_fail(req, res, rc);
    html_page p = {.title = "Advice: who answers on time", .nav = "advice",
                   .back_href = "/advice"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = pages_replica_notice(req, b);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Services have 6 weeks from a request to "
                         "send their advice (SEND Regulations 2014, regulation 8). On time: "
                         "of the requests made in the 12 months to %D whose outcome is known "
                         "(answered, or still open after the due date), the share answered "
                         "by the due date.</p>\n",
                      req->today);
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No advice has been requested in the last "
                         "12 months.</p>\n");
    if (rc == SH_OK && n)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"Advice by service\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table\" id=\"dashboard\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
                         "By agency and team</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Service</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Outstanding</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Due this week</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Overdue</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">On time, last 12 months</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = tally_row(req, b, &t[i]);
    if (rc == SH_OK && n)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n");
    return pages_end(req, res, rc);
}

/* ---- reminders: /advice/outbox ------------------------------------------------------------ */

static const char *chase_status(web_request *req, const store_advice_chase *c)
{
    if (strcmp(c->status, "sent") == 0)
        return "<strong class=\"govuk-tag govuk-tag--green\">Sent</strong>";
    if (strcmp(c->status, "failed") == 0) {
        buf t;
        buf_init(&t, 4096);
        int rc = html_fmt(&t, "<strong class=\"govuk-tag govuk-tag--red\">Failed</strong><br>"
                              "<span class=\"govuk-body-s\">%s</span>",
                          c->error);
        const char *out = rc == SH_OK && t.data ? arena_strdup(req->a, t.data) : "";
        buf_free(&t);
        return out ? out : "";
    }
    return c->recipients[0]
               ? "<strong class=\"govuk-tag govuk-tag--grey\">Not e-mailed</strong>"
               : "<strong class=\"govuk-tag govuk-tag--grey\">Chase by phone</strong>";
}

static int chase_row(web_request *req, buf *b, const store_advice_chase *c)
{
    bool overdue = strcmp(c->kind, "overdue") == 0;
    return html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                       "<td class=\"govuk-table__cell sendhub-nowrap\">%D</td>\n"
                       "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                       "href=\"/advice/%lld\">Request %lld</a><br><span class=\"govuk-body-s\">"
                       "%s (%s)</span></td>\n"
                       "<td class=\"govuk-table__cell sendhub-nowrap\">%D %r</td>\n"
                       "<td class=\"govuk-table__cell\">%s</td>\n"
                       "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                    c->chase_on, (long long)c->request_id, (long long)c->request_id,
                    c->service, event_agency_label(c->agency), c->due,
                    overdue ? html_status_tag("overdue") : html_status_tag("due_soon"),
                    c->recipients[0] ? c->recipients : "Nobody in the service has an "
                                                       "e-mail address",
                    chase_status(req, c));
}

int page_advice_outbox(web_request *req, web_response *res)
{
    if (!access_sees_whole_area(&req->who))
        return pages_fail(req, res, SH_EDENIED);
    store_advice_chase_query q = {.la_code = req->who.la_code, .chase_on = DATE_NONE,
                                  .limit = ADVICE_OUTBOX_ROWS};
    store_advice_chase *rows;
    size_t n;
    int rc = store_advice_chase_list(req->db, &q, req->a, &rows, &n);
    if (rc)
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "advice", 0, 0, "outbox")))
        return pages_fail(req, res, rc);
    size_t today = 0;
    for (size_t i = 0; i < n; i++)
        today += rows[i].chase_on == req->today;
    html_page p = {.title = "Advice reminders", .nav = "advice", .back_href = "/advice"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Every day sendhub lists the advice that is "
                         "overdue or due within a week and e-mails the service asked, once a "
                         "day, when an e-mail relay is set up. The e-mails name no child. "
                         "Services without accounts (educational psychology, others) must be "
                         "chased by phone. <a class=\"govuk-link\" href=\"/family-emails\">"
                         "E-mails to families</a> from the family portal are listed "
                         "separately.</p>\n"
                         "<p class=\"govuk-body\" id=\"today\">To chase today (%D): "
                         "<strong>%zu</strong></p>\n",
                      req->today, today);
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No reminders yet.</p>\n");
    if (rc == SH_OK && n)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"Reminders\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table sendhub-table-s\" id=\"outbox\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
                         "Latest %zu reminders</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Day</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Request</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Due</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Sent to</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">E-mail</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      n);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = chase_row(req, b, &rows[i]);
    if (rc == SH_OK && n)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n");
    return pages_end(req, res, rc);
}
