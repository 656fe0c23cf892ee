/*
 * page_ask.c — asking for an EHC needs assessment online (issue 7): the
 * public form a parent, carer or young person fills in without an account,
 * the check-your-answers page and the confirmation with a reference and the
 * date the council must decide by; and, for coordinators and managers,
 * "Requests from families": the area's open requests oldest first, each one
 * in full, and closing one with a reason. Starting the statutory request
 * from one is the existing request form (page_request.c, prefilled); inviting
 * the family is the existing invitation form (page_portal.c, prefilled).
 *
 * No session carries the answers between the form and the check page: they
 * travel in the check page's hidden fields, so nothing typed is lost and
 * nothing is stored until the family presses "Send"; the check page's random
 * key makes sending it twice one request. Anonymous posts carry
 * the (empty) CSRF field like every form; the server checks the token for
 * anyone signed in (server.c). Everything works without JavaScript and at
 * 375 px: one column, summary lists.
 */
#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/ask.h"
#include "app/auth.h"
#include "util/err.h"
#include "web/pages.h"

#define ASK_PATH "/ask-for-an-assessment"

/* Every field of the form, in the order it asks (the order of the error
 * summary, and of the hidden fields on the check page). */
static const char *const ask_fields[] = {
    "la_code", "asker_role", "relationship", "forename", "surname", "date_of_birth-day",
    "date_of_birth-month", "date_of_birth-year", "postcode", "setting_name", "upn",
    "nhs_number", "needs", "tried", "asker_name", "email", "phone", "consent",
};
#define ASK_FIELD_COUNT (sizeof ask_fields / sizeof ask_fields[0])

static const pages_option role_options[] = {
    {"parent", "A parent of the child", "Someone with parental responsibility."},
    {"carer", "A carer of the child", "Someone who looks after the child, such as a foster "
                                      "carer or a relative."},
    {"young_person", "The young person, asking for myself",
     "You are over compulsory school age (past the end of June of the school year you "
     "turned 16) and under 25."},
};

/* ---- the form ---------------------------------------------------------------- */

/* The council select: the areas in the database, by name. */
static int council_select(web_request *req, buf *b, const web_form *f,
                          const pages_errors *errs)
{
    store_ask_area *areas = NULL;
    size_t n = 0;
    int rc = store_ask_areas(req->db, req->a, &areas, &n);
    pages_option *opts = rc ? NULL : arena_calloc(req->a, n + 1, sizeof *opts);
    if (rc == SH_OK && !opts)
        rc = SH_ENOMEM;
    if (rc)
        return rc;
    opts[0] = (pages_option){"", "Select your council", NULL};
    for (size_t i = 0; i < n; i++)
        opts[i + 1] = (pages_option){areas[i].la_code, areas[i].name, NULL};
    return pages_select(b, "la_code", "Which council is the request for?",
                        "The council for the area where the child or young person lives.",
                        opts, n + 1, form_get(f, "la_code"), errs);
}

static int text_input(buf *b, const web_form *f, const pages_errors *errs, const char *name,
                      const char *label, const char *hint, const char *classes,
                      const char *autocomplete)
{
    return pages_input(b,
                       &(pages_input_spec){.name = name, .label = label, .hint = hint,
                                           .value = form_get(f, name), .classes = classes,
                                           .autocomplete = autocomplete,
                                           .spellcheck_off = autocomplete != NULL},
                       errs);
}

static int asker_questions(web_request *req, buf *b, const web_form *f,
                           const pages_errors *errs)
{
    int rc = council_select(req, b, f, errs);
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "asker_role", .legend = "Who is asking?",
                                               .opts = role_options, .n = 3,
                                               .checked = form_get(f, "asker_role"),
                                               .legend_classes = "govuk-fieldset__legend--m"},
                          errs);
    if (rc == SH_OK)
        rc = text_input(b, f, errs, "relationship",
                        "Your relationship to the child (parents and carers)",
                        "For example mother, father, grandmother, foster carer.",
                        "govuk-!-width-two-thirds", NULL);
    return rc;
}

static int child_questions(buf *b, const web_form *f, const pages_errors *errs)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The child or young person</h2>\n");
    if (rc == SH_OK)
        rc = text_input(b, f, errs, "forename", "First name", NULL, "govuk-!-width-two-thirds",
                        "off");
    if (rc == SH_OK)
        rc = text_input(b, f, errs, "surname", "Last name", NULL, "govuk-!-width-two-thirds",
                        "off");
    if (rc == SH_OK)
        rc = pages_date_input(b, "date_of_birth", "Date of birth", "For example, 27 3 2015", f,
                              errs);
    if (rc == SH_OK)
        rc = text_input(b, f, errs, "postcode", "Home postcode (optional)", NULL,
                        "govuk-input--width-10", "off");
    if (rc == SH_OK)
        rc = text_input(b, f, errs, "setting_name",
                        "School, college or nursery (optional)",
                        "Its name, if they go to one.", "govuk-!-width-two-thirds", NULL);
    if (rc == SH_OK)
        rc = text_input(b, f, errs, "upn", "Unique pupil number (UPN) (optional)",
                        "13 characters, starting with a letter. It is on school reports.",
                        "govuk-input--width-20", "off");
    if (rc == SH_OK)
        rc = text_input(b, f, errs, "nhs_number", "NHS number (optional)",
                        "10 digits, for example 943 476 5919.", "govuk-input--width-10", "off");
    return rc;
}

/* The declaration: one checkbox with the GOV.UK error state (pages_checkbox
 * has none; this one must say what is missing). */
static int consent_question(buf *b, const web_form *f, const pages_errors *errs)
{
    const char *err = pages_errors_for(errs, "consent");
    const char *v = form_get(f, "consent");
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Declaration</h2>\n"
                         "<div class=\"govuk-form-group%r\">\n"
                         "<fieldset class=\"govuk-fieldset\"%r>\n"
                         "<legend class=\"govuk-fieldset__legend govuk-visually-hidden\">"
                         "Declaration</legend>\n",
                      err ? " govuk-form-group--error" : "",
                      err ? " aria-describedby=\"consent-error\"" : "");
    if (rc == SH_OK && err)
        rc = html_fmt(b, "<p id=\"consent-error\" class=\"govuk-error-message\">"
                         "<span class=\"govuk-visually-hidden\">Error:</span> %s</p>\n",
                      err);
    return rc ? rc
              : html_fmt(b, "<div class=\"govuk-checkboxes\" data-module=\"govuk-checkboxes\">\n"
                            "<div class=\"govuk-checkboxes__item\">\n"
                            "<input class=\"govuk-checkboxes__input\" id=\"consent\" "
                            "name=\"consent\" type=\"checkbox\" value=\"yes\"%r>\n"
                            "<label class=\"govuk-label govuk-checkboxes__label\" for=\"consent\">"
                            "What I have written is true, as far as I know. The council may "
                            "share it with the education, health and social care services it "
                            "needs to ask, to decide whether to carry out an assessment."
                            "</label>\n</div>\n</div>\n</fieldset>\n</div>\n",
                         v && strcmp(v, "yes") == 0 ? " checked" : "");
}

static int about_questions(buf *b, const web_form *f, const pages_errors *errs)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Why you are asking</h2>\n");
    if (rc == SH_OK)
        rc = pages_textarea(b, "needs", "What are their needs, and why are you asking?",
                            "What they find hard at home, at school or with friends, and how "
                            "it affects them. Up to 5000 characters.",
                            form_get(f, "needs"), 8, errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "tried", "What has been tried so far? (optional)",
                            "For example extra help at school, advice from a speech and "
                            "language therapist, a paediatrician. Up to 5000 characters.",
                            form_get(f, "tried"), 6, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Your details</h2>\n");
    if (rc == SH_OK)
        rc = text_input(b, f, errs, "asker_name", "Your full name", NULL,
                        "govuk-!-width-two-thirds", "name");
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "email", .label = "Email address",
                                             .hint = "The council uses it to contact you "
                                                     "about this request.",
                                             .value = form_get(f, "email"), .type = "email",
                                             .classes = "govuk-!-width-two-thirds",
                                             .autocomplete = "email", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "phone",
                                             .label = "Telephone number (optional)",
                                             .value = form_get(f, "phone"), .type = "tel",
                                             .classes = "govuk-input--width-20",
                                             .autocomplete = "tel"},
                         errs);
    if (rc == SH_OK)
        rc = consent_question(b, f, errs);
    return rc;
}

static int form_render(web_request *req, web_response *res, int status, const web_form *f,
                       const pages_errors *errs)
{
    html_page p = {.title = "Ask for an EHC needs assessment", .has_errors = errs->n > 0,
                   .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n"
                         "<div class=\"govuk-grid-column-two-thirds\">\n");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">%s</h1>\n"
                         "<p class=\"govuk-body\">A parent or carer of a child or young person "
                         "with special educational needs, or a young person aged 16 to 25, "
                         "can ask the council to carry out an education, health and care "
                         "(EHC) needs assessment. You do not need an account.</p>\n"
                         "<p class=\"govuk-body\">The council must tell you within 6 weeks of "
                         "receiving your request whether it will carry out the assessment. "
                         "You can check your answers before you send them.</p>\n"
                         "<form method=\"post\" action=\"" ASK_PATH "\" novalidate>\n",
                      p.title);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = asker_questions(req, b, f, errs);
    if (rc == SH_OK)
        rc = child_questions(b, f, errs);
    if (rc == SH_OK)
        rc = about_questions(b, f, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" name=\"action\" "
                         "value=\"check\" data-module=\"govuk-button\">Continue</button>\n"
                         "</form>\n</div>\n</div>\n");
    return pages_end(req, res, rc);
}

int page_ask_form(web_request *req, web_response *res)
{
    web_form f = {0};
    pages_errors errs = {0};
    return form_render(req, res, 200, &f, &errs);
}

/* ---- reading and checking -------------------------------------------------------- */

/* The typed answers, trimmed, as core/ask.h checks them. The date of birth
 * is read here (three boxes), its message added to `date_errs`. */
static void read_answers(web_request *req, const web_form *f, ask_input *in,
                         pages_errors *date_errs)
{
    const char *consent = form_get(f, "consent");
    *in = (ask_input){
        .asker_role = pages_trim(req->a, form_get(f, "asker_role")),
        .relationship = pages_trim(req->a, form_get(f, "relationship")),
        .asker_name = pages_trim(req->a, form_get(f, "asker_name")),
        .email = pages_trim(req->a, form_get(f, "email")),
        .phone = pages_trim(req->a, form_get(f, "phone")),
        .forename = pages_trim(req->a, form_get(f, "forename")),
        .surname = pages_trim(req->a, form_get(f, "surname")),
        .postcode = pages_trim(req->a, form_get(f, "postcode")),
        .setting_name = pages_trim(req->a, form_get(f, "setting_name")),
        .upn = pages_trim(req->a, form_get(f, "upn")),
        .nhs_number = pages_trim(req->a, form_get(f, "nhs_number")),
        .needs = pages_trim(req->a, form_get(f, "needs")),
        .tried = pages_trim(req->a, form_get(f, "tried")),
        .consent = consent && strcmp(consent, "yes") == 0,
    };
    pages_date_read(f, "date_of_birth", "their date of birth", true, req->a,
                    &in->date_of_birth, date_errs);
}

/* The form's messages in the order it asks: the date's (read at the edge)
 * and the rules' (core/ask.h) merged by field. */
static void merge_errors(const pages_errors *date_errs, const ask_errors *rule_errs,
                         pages_errors *out)
{
    for (size_t k = 0; k < ASK_FIELD_COUNT; k++) {
        const char *name = ask_fields[k];
        size_t base = strcspn(name, "-");
        if (strcmp(name + base, "-month") == 0 || strcmp(name + base, "-year") == 0)
            continue; /* the date is one question: its messages are taken with "-day" */
        for (size_t i = 0; i < date_errs->n; i++)
            if (strncmp(date_errs->e[i].field, name, base) == 0)
                pages_errors_add(out, date_errs->e[i].field, date_errs->e[i].message);
        for (size_t i = 0; i < rule_errs->n; i++)
            if (strncmp(rule_errs->e[i].field, name, base) == 0 &&
                rule_errs->e[i].field[base] == name[base])
                pages_errors_add(out, rule_errs->e[i].field, rule_errs->e[i].message);
    }
}

/* The area the family chose, or NULL (with its name in *name). */
static int chosen_area(web_request *req, const web_form *f, const char **la_code,
                       const char **name)
{
    store_ask_area *areas = NULL;
    size_t n = 0;
    const char *v = form_get(f, "la_code");
    *la_code = *name = NULL;
    int rc = store_ask_areas(req->db, req->a, &areas, &n);
    for (size_t i = 0; rc == SH_OK && v && i < n; i++)
        if (strcmp(areas[i].la_code, v) == 0) {
            *la_code = areas[i].la_code;
            *name = areas[i].name;
        }
    return rc;
}

/* Checks the whole form: SH_OK with errs empty when it may be sent. */
static int check_answers(web_request *req, const web_form *f, ask_input *in, ask_clean *clean,
                         const char **la_code, const char **area_name, pages_errors *errs)
{
    pages_errors date_errs = {0};
    ask_errors rule_errs = {0};
    int rc = chosen_area(req, f, la_code, area_name);
    if (rc)
        return rc;
    if (!*la_code)
        rule_errs.e[rule_errs.n++] = (ask_error){"la_code", "Select your council"};
    read_answers(req, f, in, &date_errs);
    ask_check(in, req->today, clean, &rule_errs);
    merge_errors(&date_errs, &rule_errs, errs);
    return SH_OK;
}

/* ---- check your answers --------------------------------------------------------- */

static int hidden_fields(buf *b, const web_form *f)
{
    int rc = SH_OK;
    for (size_t i = 0; rc == SH_OK && i < ASK_FIELD_COUNT; i++) {
        const char *v = form_get(f, ask_fields[i]);
        if (v)
            rc = html_fmt(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
                          ask_fields[i], v);
    }
    return rc;
}

static int answer_row(buf *b, const char *key, const char *value)
{
    return html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                       "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                       "<dd class=\"govuk-summary-list__value sendhub-pre-line\">%s</dd>\n"
                       "</div>\n",
                    key, value && value[0] ? value : "Not given");
}

static const char *role_label(const char *role)
{
    for (size_t i = 0; i < sizeof role_options / sizeof role_options[0]; i++)
        if (strcmp(role, role_options[i].value) == 0)
            return role_options[i].text;
    return role;
}

/* The answers as summary lists, shared by the check page and the council's
 * view of a request. */
typedef struct {
    const char *area, *asker_role, *relationship, *forename, *surname;
    date_t date_of_birth;
    const char *postcode, *setting_name, *upn, *nhs_number, *needs, *tried;
    const char *asker_name, *email, *phone;
    bool family; /* the family's own check page: "you", not "they" */
} answers;

static int answers_lists(web_request *req, buf *b, const answers *x)
{
    char dob[40];
    date_format_long(x->date_of_birth, dob, sizeof dob);
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The request</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = answer_row(b, "Council", x->area);
    if (rc == SH_OK)
        rc = answer_row(b, "Who is asking", role_label(x->asker_role));
    if (rc == SH_OK && strcmp(x->asker_role, "young_person") != 0)
        rc = answer_row(b, "Relationship to the child", x->relationship);
    if (rc == SH_OK)
        rc = html_fmt(b, "</dl>\n<h2 class=\"govuk-heading-m\">The child or young person</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = answer_row(b, "Name", arena_printf(req->a, "%s %s", x->forename, x->surname));
    if (rc == SH_OK)
        rc = answer_row(b, "Date of birth", dob);
    if (rc == SH_OK)
        rc = answer_row(b, "Home postcode", x->postcode);
    if (rc == SH_OK)
        rc = answer_row(b, "School, college or nursery", x->setting_name);
    if (rc == SH_OK)
        rc = answer_row(b, "UPN", x->upn);
    if (rc == SH_OK)
        rc = answer_row(b, "NHS number", pages_nhs_number(req->a, x->nhs_number));
    if (rc == SH_OK)
        rc = html_fmt(b, "</dl>\n<h2 class=\"govuk-heading-m\">%s</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n",
                      x->family ? "Why you are asking" : "Why they are asking");
    if (rc == SH_OK)
        rc = answer_row(b, "Their needs", x->needs);
    if (rc == SH_OK)
        rc = answer_row(b, "What has been tried", x->tried);
    if (rc == SH_OK)
        rc = html_fmt(b, "</dl>\n<h2 class=\"govuk-heading-m\">%s</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n",
                      x->family ? "Your details" : "Contact details");
    if (rc == SH_OK)
        rc = answer_row(b, "Name", x->asker_name);
    if (rc == SH_OK)
        rc = answer_row(b, "Email", x->email);
    if (rc == SH_OK)
        rc = answer_row(b, "Telephone", x->phone);
    return rc ? rc : html_fmt(b, "</dl>\n");
}

/* The check page; `refused` (the flood limit's message) keeps the answers
 * on the page so they can be sent later. */
static int check_render(web_request *req, web_response *res, int status, const web_form *f,
                        const ask_input *in, const ask_clean *clean, const char *area,
                        const char *refused)
{
    html_page p = {.title = "Check your answers before sending your request"};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK && refused)
        rc = html_fmt(b, "<div class=\"govuk-warning-text\">\n"
                         "<span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span>\n"
                         "<strong class=\"govuk-warning-text__text\">"
                         "<span class=\"govuk-visually-hidden\">Warning</span>%s</strong>\n"
                         "</div>\n",
                      refused);
    answers x = {.area = area, .asker_role = in->asker_role, .relationship = in->relationship,
                 .forename = in->forename, .surname = in->surname,
                 .date_of_birth = in->date_of_birth, .postcode = clean->postcode,
                 .setting_name = in->setting_name, .upn = clean->upn,
                 .nhs_number = clean->nhs_number, .needs = in->needs, .tried = in->tried,
                 .asker_name = in->asker_name, .email = in->email, .phone = in->phone,
                 .family = true};
    if (rc == SH_OK)
        rc = answers_lists(req, b, &x);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Now send your request</h2>\n"
                         "<p class=\"govuk-body\">By sending it you confirm that what you have "
                         "written is true, as far as you know.</p>\n"
                         "<form method=\"post\" action=\"" ASK_PATH "\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = hidden_fields(b, f);
    /* A new key for each check page: sending this page twice (a double
     * click, a refresh) stores one request (app/ask.h). */
    char key[AUTH_SECRET_TEXT_LEN + 1];
    auth_secret_new(key);
    if (rc == SH_OK)
        rc = html_fmt(b, "<input type=\"hidden\" name=\"send_key\" value=\"%s\">\n", key);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button\" name=\"action\" "
                         "value=\"send\" data-module=\"govuk-button\">Send the request</button>\n"
                         "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
                         "name=\"action\" value=\"change\" data-module=\"govuk-button\">"
                         "Change your answers</button>\n</div>\n</form>\n");
    return pages_end(req, res, rc);
}

/* ---- sent ------------------------------------------------------------------------ */

static int sent_render(web_request *req, web_response *res, const store_ask *r,
                       const char *area)
{
    date_t due = DATE_NONE;
    int rc = ask_decision_due(r->received_on, req->a, &due);
    if (rc)
        return pages_fail(req, res, rc);
    char ref[ASK_REF_LEN + 1];
    ask_reference(r->la_code, (long long)r->id, ref, sizeof ref);
    html_page p = {.title = "Request sent", .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, 201, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n"
                         "<div class=\"govuk-grid-column-two-thirds\">\n"
                         "<div class=\"govuk-panel govuk-panel--confirmation\">\n"
                         "<h1 class=\"govuk-panel__title\">Request sent</h1>\n"
                         "<div class=\"govuk-panel__body\">Your reference number<br>"
                         "<strong id=\"reference\">%s</strong></div>\n</div>\n"
                         "<p class=\"govuk-body\">%s received your request for an EHC needs "
                         "assessment for %s on %D.</p>\n"
                         "<h2 class=\"govuk-heading-m\">What happens next</h2>\n"
                         "<p class=\"govuk-body\">The council must tell you by "
                         "<strong id=\"decision-due\">%D</strong> whether it will carry out "
                         "the assessment. That is 6 weeks from the day it received your "
                         "request.</p>\n"
                         "<p class=\"govuk-body\">Someone from the council's special "
                         "educational needs (SEND) team may contact you before then, by email "
                         "or phone, to ask for more information.</p>\n"
                         "<p class=\"govuk-body\">Once the council has started your request, "
                         "it can invite you to the family portal, where you can follow each "
                         "step online.</p>\n"
                         "<p class=\"govuk-body\">We will email <strong>%s</strong> to "
                         "confirm that the council has received your request, with your "
                         "reference number. Write it down too, and quote it if you contact the "
                         "council.</p>\n"
                         "</div>\n</div>\n",
                      ref, area, r->forename, r->received_on, due, r->email);
    return pages_end(req, res, rc);
}

int page_ask(web_request *req, web_response *res)
{
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    const char *action = form_get(&f, "action");
    pages_errors errs = {0};
    if (action && strcmp(action, "change") == 0)
        return form_render(req, res, 200, &f, &errs);
    ask_input in;
    ask_clean clean;
    const char *la_code, *area;
    if ((rc = check_answers(req, &f, &in, &clean, &la_code, &area, &errs)))
        return pages_fail(req, res, rc);
    if (errs.n)
        return form_render(req, res, 422, &f, &errs);
    if (!action || strcmp(action, "send") != 0)
        return check_render(req, res, 200, &f, &in, &clean, area, NULL);
    store_ask r;
    ask_errors rule_errs = {0};
    app_error err = {0};
    rc = ask_submit(req->db, la_code, &in, form_get(&f, "send_key"), req->who.remote, req->now,
                    req->today, req->a, &r, &rule_errs, &err);
    if (rc == SH_EINVAL && rule_errs.n == 0) /* no key: the answers were not checked here */
        return check_render(req, res, 200, &f, &in, &clean, area, NULL);
    if (rc == SH_EDENIED)
        return check_render(req, res, 429, &f, &in, &clean, area,
                            arena_strdup(req->a, err.message));
    if (rc == SH_EINVAL) {
        pages_errors none = {0};
        merge_errors(&none, &rule_errs, &errs);
        return form_render(req, res, 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return sent_render(req, res, &r, area);
}

/* ---- requests from families (staff) ------------------------------------------------ */

/* "12 days left", "Due today", or the overdue tag. */
static int days_left_cell(buf *b, date_t due, date_t today)
{
    long left = (long)(due - today);
    if (left < 0)
        return html_fmt(b, "<strong class=\"govuk-tag govuk-tag--red\">Overdue by %ld "
                           "day%r</strong>",
                        -left, left == -1 ? "" : "s");
    if (left == 0)
        return html_fmt(b, "<strong class=\"govuk-tag govuk-tag--orange\">Due today</strong>");
    return html_fmt(b, "<span%r>%ld day%r left</span>",
                    left <= 7 ? " class=\"govuk-tag govuk-tag--orange\"" : "", left,
                    left == 1 ? "" : "s");
}

static int list_row(web_request *req, buf *b, const store_ask *r)
{
    date_t due = DATE_NONE;
    int rc = ask_decision_due(r->received_on, req->a, &due);
    if (rc == SH_OK)
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                         "href=\"/requests/online/%lld\">%s %s</a></td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s (%s)</td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">",
                      pages_date_short(req->a, r->received_on), (long long)r->id, r->forename,
                      r->surname, pages_date_short(req->a, r->date_of_birth), r->asker_name,
                      role_label(r->asker_role), pages_date_short(req->a, due));
    if (rc == SH_OK)
        rc = days_left_cell(b, due, req->today);
    return rc ? rc : html_fmt(b, "</td>\n</tr>\n");
}

static int list_table(web_request *req, buf *b, const store_ask *rows, size_t n)
{
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"Open requests from families\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table sendhub-table-s\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
                         "Open requests, oldest first</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Received</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Child or young "
                         "person</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Date of birth</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Asked by</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Decision due</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Time left</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = list_row(req, b, &rows[i]);
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

int page_online_requests(web_request *req, web_response *res)
{
    store_ask *rows = NULL;
    size_t n = 0;
    int64_t total = 0;
    int rc = ask_open(req->db, &req->who, req->a, &rows, &n, &total);
    if (rc == SH_OK)
        rc = pages_audit(req, "read", "online_request", 0, 0,
                         arena_printf(req->a, "list of %lld open requests", (long long)total));
    if (rc)
        return pages_fail(req, res, rc);
    html_page p = {.title = "Requests from families", .nav = "online"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK && web_query(req, "closed"))
        rc = pages_success_banner(b, "Request closed");
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Requests for an EHC needs assessment that "
                         "parents, carers and young people sent online. The 6 weeks to decide "
                         "whether to assess run from the day each one was received.</p>\n");
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">There are no open requests.</p>\n");
    else if (rc == SH_OK)
        rc = list_table(req, b, rows, n);
    if (rc == SH_OK && (int64_t)n < total)
        rc = html_fmt(b, "<p class=\"govuk-body\">Showing the oldest %zu of %lld.</p>\n", n,
                      (long long)total);
    return pages_end(req, res, rc);
}

/* ---- one request (staff) ---------------------------------------------------------- */

/* The reasons to close a request, worded by core/ask.h. */
static const char *const close_reasons[] = {"duplicate", "not_this_council", "withdrawn",
                                            "other"};
#define CLOSE_REASONS (sizeof close_reasons / sizeof close_reasons[0])

static int open_actions(web_request *req, buf *b, const store_ask *r, const web_form *f,
                        const pages_errors *errs)
{
    pages_option opts[CLOSE_REASONS];
    for (size_t i = 0; i < CLOSE_REASONS; i++)
        opts[i] = (pages_option){close_reasons[i], ask_close_reason_label(close_reasons[i]),
                                 NULL};
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Start the statutory request</h2>\n"
                         "<p class=\"govuk-body\">Open a case for this child, dated the day "
                         "the request was received: %D. The next page checks whether the child "
                         "already has a record.</p>\n"
                         "<a class=\"govuk-button\" data-module=\"govuk-button\" "
                         "href=\"/requests/new?online=%lld\">Start the request</a>\n"
                         "<h2 class=\"govuk-heading-m\">Or close it</h2>\n"
                         "<form method=\"post\" action=\"/requests/online/%lld/close\" "
                         "novalidate>\n",
                      r->received_on, (long long)r->id, (long long)r->id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "reason",
                                                  .legend = "Why are you closing it?",
                                                  .opts = opts, .n = CLOSE_REASONS,
                                                  .checked = form_get(f, "reason")},
                          errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "note", "Note (required for another reason)",
                            "For example the case it duplicates, or the council it was sent "
                            "to. Up to 1000 characters.",
                            form_get(f, "note"), 3, errs);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button "
                            "govuk-button--warning\" data-module=\"govuk-button\">Close the "
                            "request</button>\n</form>\n");
}

/* What became of a request no longer open, and for a started one the next
 * step: inviting the family to the portal from the case. */
static int handled_summary(buf *b, const store_ask *r)
{
    if (strcmp(r->status, "started") == 0)
        return html_fmt(b, "<div class=\"govuk-inset-text\">%s started the statutory request "
                           "from it: <a class=\"govuk-link\" href=\"/cases/%lld\">open the "
                           "case</a>.</div>\n"
                           "<a class=\"govuk-button\" data-module=\"govuk-button\" "
                           "href=\"/cases/%lld/invite?online=%lld\">Invite %s to the family "
                           "portal</a>\n",
                        r->handled_by, (long long)r->case_id, (long long)r->case_id,
                        (long long)r->id, r->asker_name);
    return html_fmt(b, "<div class=\"govuk-inset-text\">%s closed it: %s.%r%s</div>\n",
                    r->handled_by, ask_close_reason_label(r->closed_reason),
                    r->closed_note[0] ? " " : "", r->closed_note);
}

/* After a start refused because someone else started or closed the request
 * first (page_request.c): nothing was stored from the coordinator's form. */
static int taken_banner(buf *b)
{
    return html_fmt(b, "<div class=\"govuk-notification-banner\" role=\"region\" "
                       "aria-labelledby=\"govuk-notification-banner-title\" "
                       "data-module=\"govuk-notification-banner\" id=\"taken\">\n"
                       "<div class=\"govuk-notification-banner__header\">"
                       "<h2 class=\"govuk-notification-banner__title\" "
                       "id=\"govuk-notification-banner-title\">Important</h2></div>\n"
                       "<div class=\"govuk-notification-banner__content\">"
                       "<p class=\"govuk-notification-banner__heading\">Someone else started "
                       "or closed this request while you were filling in the form, so no case "
                       "was created from it.</p>\n"
                       "<p class=\"govuk-body\">What became of the request is shown "
                       "below.</p></div>\n</div>\n");
}

static int show_render(web_request *req, web_response *res, int status, const store_ask *r,
                       const web_form *f, const pages_errors *errs)
{
    char ref[ASK_REF_LEN + 1];
    ask_reference(r->la_code, (long long)r->id, ref, sizeof ref);
    date_t due = DATE_NONE;
    int rc = ask_decision_due(r->received_on, req->a, &due);
    if (rc)
        return pages_fail(req, res, rc);
    html_page p = {.title = arena_printf(req->a, "Request for %s %s", r->forename, r->surname),
                   .nav = "online", .has_errors = errs->n > 0, .back_href = "/requests/online"};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK && web_query(req, "started"))
        rc = pages_success_banner(b, "Case started from this request");
    if (rc == SH_OK && web_query(req, "taken"))
        rc = taken_banner(b);
    if (rc == SH_OK)
        rc = html_fmt(b, "<dl class=\"govuk-summary-list\">\n"
                         "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                         "Reference</dt><dd class=\"govuk-summary-list__value\">%s</dd></div>\n"
                         "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                         "Received</dt><dd class=\"govuk-summary-list__value\" id=\"received\">"
                         "%D</dd></div>\n"
                         "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                         "Decision whether to assess due</dt><dd class=\"govuk-summary-list__value\">"
                         "%D <span class=\"govuk-hint\">6 weeks from the day it was received "
                         "(SEND Regulations 2014, regulation 5(1))</span></dd></div>\n</dl>\n",
                      ref, r->received_on, due);
    if (rc == SH_OK && strcmp(r->status, "open") != 0)
        rc = handled_summary(b, r);
    const char *area = NULL;
    if (rc == SH_OK)
        rc = store_area_name(req->db, r->la_code, req->a, &area);
    answers x = {.area = area, .asker_role = r->asker_role,
                 .relationship = r->relationship, .forename = r->forename,
                 .surname = r->surname, .date_of_birth = r->date_of_birth,
                 .postcode = r->postcode, .setting_name = r->setting_name, .upn = r->upn,
                 .nhs_number = r->nhs_number, .needs = r->needs, .tried = r->tried,
                 .asker_name = r->asker_name, .email = r->email, .phone = r->phone};
    if (rc == SH_OK)
        rc = answers_lists(req, b, &x);
    if (rc == SH_OK && strcmp(r->status, "open") == 0)
        rc = open_actions(req, b, r, f, errs);
    return pages_end(req, res, rc);
}

/* The request in req->params[0], read and audited; renders the error page
 * (a request of another area is "not found") and returns non-zero. */
static int load(web_request *req, web_response *res, store_ask *r)
{
    int rc = ask_get(req->db, &req->who, req->params[0], req->a, r);
    if (rc == SH_OK)
        rc = pages_audit(req, "read", "online_request", r->id, 0, NULL);
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

int page_online_request(web_request *req, web_response *res)
{
    store_ask r;
    int rc = load(req, res, &r);
    if (rc)
        return rc;
    web_form f = {0};
    pages_errors errs = {0};
    return show_render(req, res, 200, &r, &f, &errs);
}

int page_online_request_close(web_request *req, web_response *res)
{
    store_ask r;
    int rc = load(req, res, &r);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    app_error err = {0};
    rc = ask_close(req->db, &req->who, r.id, form_get(&f, "reason"),
                   pages_trim(req->a, form_get(&f, "note")), req->recorded_at, &err);
    if (rc == SH_EINVAL || rc == SH_ECONFLICT) {
        pages_errors errs = {0};
        pages_errors_add(&errs, err.field ? err.field : "reason",
                         arena_strdup(req->a, err.message));
        return show_render(req, res, rc == SH_EINVAL ? 422 : 409, &r, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, "/requests/online?closed=1");
}
