/*
 * page_request.c — starting a request for an EHC needs assessment: the
 * child's details, the date the request was received and the coordinator,
 * then a new case whose first event (request received) starts the 6, 16 and
 * 20-week clocks.
 *
 * Before a child is added, the area is searched for the same child (same
 * UPN, same NHS number, or same last name and date of birth). If any match,
 * the person must say which child this is, or that it is a different child:
 * a second record for one child splits their history, which is how
 * information gets lost between services.
 *
 * A request a family sent online (page_ask.c) is started here too: the
 * form opens prefilled from it (/requests/new?online=<id>), its date is the
 * day the online request was received and cannot be changed (the 6 weeks
 * run from receipt, SEND Regulations 2014 reg 5(1)), and the new case is
 * linked back to it in the same transaction that opens it (ask_start): a
 * request someone else started or closed meanwhile creates nothing and
 * shows what became of it.
 *
 * Who made the request (parent, young person, school) is not asked: the
 * journey's request event has no field for it, and a question whose answer
 * is thrown away wastes the family's and the coordinator's time. It needs a
 * schema change (a field on request_received) first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "app/ask.h"
#include "core/ident.h"
#include "util/err.h"
#include "web/pages.h"

#define MAX_MATCHES 10

typedef struct {
    store_child child;
    const char *why;    /* "UPN", "NHS number", "last name and date of birth" */
    int64_t case_id;    /* their most recent case, 0 if none */
} match;

typedef struct {
    match m[MAX_MATCHES];
    size_t n;
} matches;

/* ---- the form --------------------------------------------------------------------- */

static int need_select(buf *b, const char *name, const char *label, const web_form *values,
                       const pages_errors *errs)
{
    pages_option opts[SEN_TYPE_COUNT + 1] = {{"", "Not known yet", NULL}};
    size_t k = 1;
    for (int i = 0; i < SEN_TYPE_COUNT; i++)
        if (ident_sen_type_valid_for_plan((sen_type)i))
            opts[k++] = (pages_option){ident_sen_type_code((sen_type)i),
                                       ident_sen_type_label((sen_type)i), NULL};
    return pages_select(b, name, label, NULL, opts, k, form_get(values, name), errs);
}

/* Coordinators and managers of the area, to assign the case to. */
static int coordinator_options(web_request *req, pages_option **out, size_t *n)
{
    store_user *users = NULL;
    size_t nu = 0;
    int rc = store_user_list(req->db, req->who.la_code, req->a, &users, &nu);
    if (rc)
        return rc;
    pages_option *opts = arena_calloc(req->a, nu + 1, sizeof *opts);
    if (!opts)
        return SH_ENOMEM;
    size_t k = 0;
    opts[k++] = (pages_option){"", "Not assigned yet", NULL};
    for (size_t i = 0; i < nu; i++) {
        int role = access_role_parse(users[i].role);
        if (users[i].disabled || (role != ROLE_COORDINATOR && role != ROLE_MANAGER))
            continue;
        opts[k++] = (pages_option){users[i].username,
                                   arena_printf(req->a, "%s (%s)", users[i].display_name,
                                                users[i].username),
                                   NULL};
    }
    *out = opts;
    *n = k;
    return SH_OK;
}

static int child_fields(buf *b, const web_form *values, const pages_errors *errs)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The child or young person</h2>\n");
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "forename", .label = "First name",
                                             .value = form_get(values, "forename"),
                                             .classes = "govuk-!-width-one-half",
                                             .autocomplete = "off", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "surname", .label = "Last name",
                                             .value = form_get(values, "surname"),
                                             .classes = "govuk-!-width-one-half",
                                             .autocomplete = "off", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "date_of_birth", "Date of birth", "For example, 27 3 2015",
                              values, errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "upn", .label = "UPN (optional)",
                                             .hint = "Unique pupil number: 13 characters, "
                                                     "starting with a letter",
                                             .value = form_get(values, "upn"),
                                             .classes = "govuk-input--width-20",
                                             .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "nhs_number", .label = "NHS number (optional)",
                                             .hint = "10 digits, for example 943 476 5919",
                                             .value = form_get(values, "nhs_number"),
                                             .classes = "govuk-input--width-10",
                                             .inputmode = "numeric", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "postcode", .label = "Postcode (optional)",
                                             .value = form_get(values, "postcode"),
                                             .classes = "govuk-input--width-10",
                                             .autocomplete = "off", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = need_select(b, "primary_need", "Primary need (optional)", values, errs);
    if (rc == SH_OK)
        rc = need_select(b, "secondary_need", "Secondary need (optional)", values, errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "setting_urn",
                                             .label = "Current school, college or early years "
                                                      "setting (optional)",
                                             .hint = "Its URN: 6 or 7 digits, as on Get "
                                                     "Information about Schools",
                                             .value = form_get(values, "setting_urn"),
                                             .classes = "govuk-input--width-10",
                                             .inputmode = "numeric"},
                         errs);
    return rc;
}

/* The date of a request sent online: fixed, shown, carried by its id. */
static int online_date(buf *b, const store_ask *online)
{
    char ref[ASK_REF_LEN + 1];
    ask_reference(online->la_code, (long long)online->id, ref, sizeof ref);
    return html_fmt(b, "<input type=\"hidden\" name=\"online\" value=\"%lld\">\n"
                       "<dl class=\"govuk-summary-list\">\n"
                       "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                       "Sent online</dt><dd class=\"govuk-summary-list__value\">%s</dd></div>\n"
                       "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                       "Date the request was received</dt><dd class=\"govuk-summary-list__value\" "
                       "id=\"request-date\">%D <span class=\"govuk-hint\">The day it arrived "
                       "online: the 6 and 20-week time limits start from it.</span></dd></div>\n"
                       "</dl>\n",
                    (long long)online->id, ref, online->received_on);
}

static int request_fields(web_request *req, buf *b, const web_form *values,
                          const pages_errors *errs, const store_ask *online)
{
    pages_option *opts = NULL;
    size_t n = 0;
    int rc = coordinator_options(req, &opts, &n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The request</h2>\n");
    if (rc == SH_OK && online)
        rc = online_date(b, online);
    else if (rc == SH_OK)
        rc = pages_date_input(b, "request_date", "Date the request was received",
                              "The 6 and 20-week time limits start from this date. For "
                              "example, 27 3 2026",
                              values, errs);
    if (rc == SH_OK)
        rc = pages_select(b, "coordinator", "EHC coordinator", NULL, opts, n,
                          form_get(values, "coordinator"), errs);
    return rc;
}

/* ---- possible duplicates ---------------------------------------------------------------- */

static int match_row(web_request *req, buf *b, const match *m)
{
    const store_child *c = &m->child;
    int rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n<td class=\"govuk-table__cell\">");
    if (rc == SH_OK && m->case_id)
        rc = html_fmt(b, "<a class=\"govuk-link\" href=\"/cases/%lld\">%s %s</a>",
                      (long long)m->case_id, c->forename, c->surname);
    else if (rc == SH_OK)
        rc = html_fmt(b, "%s %s", c->forename, c->surname);
    return rc ? rc
              : html_fmt(b, "</td>\n<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell\">%s</td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell\">%s</td>\n</tr>\n",
                         pages_date_short(req->a, c->date_of_birth), c->upn,
                         pages_nhs_number(req->a, c->nhs_number), c->postcode, m->why);
}

static int duplicates_question(web_request *req, buf *b, const matches *ms,
                               const web_form *values, const pages_errors *errs)
{
    int rc = html_fmt(b, "<div class=\"govuk-warning-text\">\n"
                         "<span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span>\n"
                         "<strong class=\"govuk-warning-text__text\">"
                         "<span class=\"govuk-visually-hidden\">Warning</span>"
                         "This child may already have a record. Check before you add them "
                         "again.</strong>\n</div>\n"
                         "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Possible matches\" tabindex=\"0\">\n<table class=\"govuk-table sendhub-table-s\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
                         "Possible matches</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Name</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Date of birth</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">UPN</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">NHS number</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Postcode</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Same as this request</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < ms->n; i++)
        rc = match_row(req, b, &ms->m[i]);
    if (rc == SH_OK)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n"
                         "<input type=\"hidden\" name=\"checked_duplicates\" value=\"1\">\n");
    pages_option opts[MAX_MATCHES + 1];
    for (size_t i = 0; i < ms->n; i++) {
        const store_child *c = &ms->m[i].child;
        char born[40];
        date_format_long(c->date_of_birth, born, sizeof born);
        opts[i] = (pages_option){arena_printf(req->a, "%lld", (long long)c->id),
                                 arena_printf(req->a, "Use %s %s, born %s", c->forename,
                                              c->surname, born),
                                 "Open the new case for this child"};
    }
    opts[ms->n] = (pages_option){"new", "This is a different child \u2013 add them", NULL};
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "existing_child",
                                               .legend = "Is the request for one of these "
                                                         "children?",
                                               .opts = opts, .n = ms->n + 1,
                                               .checked = form_get(values, "existing_child"),
                                               .divider_before = ms->n,
                                               .legend_classes = "govuk-fieldset__legend--m"},
                          errs);
    return rc;
}

static int render(web_request *req, web_response *res, int status, const web_form *values,
                  const pages_errors *errs, const matches *ms, const store_ask *online)
{
    html_page p = {.title = "Start a request for an EHC needs assessment", .nav = "requests",
                   .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n"
                         "<p class=\"govuk-body\">Record a request from a parent, a young "
                         "person or a school or college. This opens an EHC case and starts "
                         "the statutory time limits.</p>\n"
                         "<form method=\"post\" action=\"/requests/new\" novalidate>\n",
                      p.title);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK && ms->n)
        rc = duplicates_question(req, b, ms, values, errs);
    if (rc == SH_OK)
        rc = child_fields(b, values, errs);
    if (rc == SH_OK)
        rc = request_fields(req, b, values, errs, online);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Start the request</button>\n"
                         "</form>\n</div>\n</div>\n");
    return pages_end(req, res, rc);
}

/* The open online request named by `id_text` (the query's or the form's
 * "online"), read and audited: *out NULL when there is none to start from.
 * SH_ECONFLICT when it is no longer open. */
static int online_load(web_request *req, const char *id_text, store_ask *r,
                       const store_ask **out)
{
    *out = NULL;
    if (!id_text)
        return SH_OK;
    char *end = NULL;
    long long id = strtoll(id_text, &end, 10);
    if (id <= 0 || !end || *end)
        return SH_ENOTFOUND;
    int rc = ask_get(req->db, &req->who, id, req->a, r);
    if (rc == SH_OK)
        rc = pages_audit(req, "read", "online_request", r->id, 0, "start a request from it");
    if (rc == SH_OK && strcmp(r->status, "open") != 0)
        rc = SH_ECONFLICT;
    if (rc == SH_OK)
        *out = r;
    return rc;
}

/* The form's first values from a request sent online. */
static void online_values(web_request *req, const store_ask *r, web_form *values)
{
    pages_form_set(values, "forename", r->forename);
    pages_form_set(values, "surname", r->surname);
    pages_date_set(values, req->a, "date_of_birth", r->date_of_birth);
    pages_form_set(values, "upn", r->upn);
    pages_form_set(values, "nhs_number", r->nhs_number);
    pages_form_set(values, "postcode", r->postcode);
}

int page_request_form(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_WRITE_CASES))
        return pages_fail(req, res, SH_EDENIED);
    store_ask r;
    const store_ask *online = NULL;
    int rc = online_load(req, web_query(req, "online"), &r, &online);
    if (rc == SH_ECONFLICT) /* started or closed meanwhile: show what became of it */
        return pages_redirect(res, arena_printf(req->a, "/requests/online/%lld",
                                                (long long)r.id));
    if (rc)
        return pages_fail(req, res, rc);
    web_form values = {0};
    pages_date_set(&values, req->a, "request_date", req->today);
    if (req->who.role == ROLE_COORDINATOR)
        pages_form_set(&values, "coordinator", req->who.username);
    if (online)
        online_values(req, online, &values);
    pages_errors errs = {0};
    matches none = {0};
    return render(req, res, 200, &values, &errs, &none, online);
}

/* ---- reading and checking ------------------------------------------------------------------ */

static void read_name(web_request *req, const web_form *f, const char *field, const char *what,
                      const char **out, pages_errors *errs)
{
    *out = pages_trim(req->a, form_get(f, field));
    if (!(*out)[0])
        pages_errors_add(errs, field, arena_printf(req->a, "Enter the %s", what));
    else if (strlen(*out) > STORE_NAME_MAX)
        pages_errors_add(errs, field,
                         arena_printf(req->a, "The %s must be 100 characters or fewer", what));
}

/* Normalises an optional identifier into out with its validator. */
typedef int (*normaliser)(const char *s, size_t len, char *out, const char **why);

static int upn_normalise(const char *s, size_t len, char *out, const char **why)
{
    return ident_upn_normalise(s, len, out, NULL, why);
}

static int urn_normalise(const char *s, size_t len, char *out, const char **why)
{
    int rc = ident_urn_validate(s, len, why);
    if (rc == SH_OK)
        memcpy(out, s, len + 1);
    return rc;
}

static void read_ident(web_request *req, const web_form *f, const char *field, const char *what,
                       normaliser fn, char *out, pages_errors *errs)
{
    const char *v = pages_trim(req->a, form_get(f, field));
    const char *why = NULL;
    out[0] = '\0';
    if (!v[0])
        return;
    if (fn(v, strlen(v), out, &why) != SH_OK) {
        out[0] = '\0';
        pages_errors_add(errs, field, arena_printf(req->a, "The %s is not valid: %s", what, why));
    }
}

static int read_need(const web_form *f, const char *field)
{
    const char *v = form_get(f, field);
    return v && v[0] ? ident_sen_type_parse(v, strlen(v)) : -1;
}

static void read_needs(const web_form *f, store_child *c, pages_errors *errs)
{
    c->sen_need[0] = read_need(f, "primary_need");
    c->sen_need[1] = read_need(f, "secondary_need");
    if (c->sen_need[0] < 0 && c->sen_need[1] >= 0)
        pages_errors_add(errs, "primary_need", "Select the primary need before a secondary need");
    else if (c->sen_need[0] >= 0 && c->sen_need[0] == c->sen_need[1])
        pages_errors_add(errs, "secondary_need",
                         "The secondary need must be different from the primary need");
}

static void read_child(web_request *req, const web_form *f, store_child *c, pages_errors *errs)
{
    *c = (store_child){0};
    read_name(req, f, "forename", "first name", &c->forename, errs);
    read_name(req, f, "surname", "last name", &c->surname, errs);
    if (pages_date_read(f, "date_of_birth", "the date of birth", true, req->a,
                        &c->date_of_birth, errs) == SH_OK &&
        c->date_of_birth > req->today)
        pages_errors_add(errs, "date_of_birth-day", "The date of birth must be in the past");
    read_ident(req, f, "upn", "UPN", upn_normalise, c->upn, errs);
    read_ident(req, f, "nhs_number", "NHS number", ident_nhs_normalise, c->nhs_number, errs);
    read_ident(req, f, "postcode", "postcode", ident_postcode_normalise, c->postcode, errs);
    read_ident(req, f, "setting_urn", "URN", urn_normalise, c->setting_urn, errs);
    read_needs(f, c, errs);
}

static void read_request(web_request *req, const web_form *f, const store_child *c,
                         const pages_option *coordinators, size_t n, const store_ask *online,
                         date_t *date, const char **coordinator, pages_errors *errs)
{
    if (online)
        *date = online->received_on;
    else if (pages_date_read(f, "request_date", "the date the request was received", true, req->a,
                        date, errs) == SH_OK) {
        if (*date > req->today)
            pages_errors_add(errs, "request_date-day",
                             "The date the request was received must be today or in the past");
        else if (c->date_of_birth != DATE_NONE && *date < c->date_of_birth)
            pages_errors_add(errs, "request_date-day",
                             "The date the request was received must be after the date of "
                             "birth");
    }
    const char *v = form_get(f, "coordinator");
    *coordinator = NULL;
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(v, coordinators[i].value) == 0)
            *coordinator = coordinators[i].value;
    if (!*coordinator)
        pages_errors_add(errs, "coordinator", "Select the EHC coordinator from the list");
}

/* Adds the children a query finds to ms, once each, with the reason. */
static int add_matches(web_request *req, const store_child_query *q, const char *why,
                       matches *ms)
{
    store_child *found = NULL;
    size_t n = 0, total = 0;
    int rc = store_child_find(req->db, q, req->a, &found, &n, &total);
    for (size_t i = 0; rc == SH_OK && i < n && ms->n < MAX_MATCHES; i++) {
        bool seen = false;
        for (size_t j = 0; j < ms->n && !seen; j++)
            seen = ms->m[j].child.id == found[i].id;
        if (!seen)
            ms->m[ms->n++] = (match){.child = found[i], .why = why};
    }
    return rc;
}

/* The most recent case of each match, for the link to it. */
static int match_cases(web_request *req, matches *ms)
{
    for (size_t i = 0; i < ms->n; i++) {
        store_case_query q = {.la_code = req->who.la_code, .stage = -1,
                              .due_on_or_before = DATE_NONE, .overdue_at = DATE_NONE,
                              .child_id = ms->m[i].child.id, .sen_need = -1,
                              .date_of_birth = DATE_NONE, .limit = STORE_PAGE_MAX};
        store_caseload_row *rows = NULL;
        size_t n = 0, total = 0;
        int rc = store_case_list(req->db, &q, req->a, &rows, &n, &total);
        if (rc)
            return rc;
        for (size_t k = 0; k < n; k++)
            if (rows[k].c.id > ms->m[i].case_id)
                ms->m[i].case_id = rows[k].c.id;
        rc = pages_audit(req, "read", "child", ms->m[i].child.id, ms->m[i].child.id,
                         "possible duplicate");
        if (rc)
            return rc;
    }
    return SH_OK;
}

static int find_matches(web_request *req, const store_child *c, matches *ms)
{
    store_child_query base = {.la_code = req->who.la_code, .date_of_birth = DATE_NONE,
                              .limit = MAX_MATCHES};
    int rc = SH_OK;
    if (c->upn[0]) {
        store_child_query q = base;
        q.upn = c->upn;
        rc = add_matches(req, &q, "UPN", ms);
    }
    if (rc == SH_OK && c->nhs_number[0]) {
        store_child_query q = base;
        q.nhs_number = c->nhs_number;
        rc = add_matches(req, &q, "NHS number", ms);
    }
    if (rc == SH_OK) {
        store_child_query q = base;
        q.name = c->surname;
        q.date_of_birth = c->date_of_birth;
        rc = add_matches(req, &q, "Last name and date of birth", ms);
    }
    return rc ? rc : match_cases(req, ms);
}

/* The child the person chose among the matches: 0 for "a different
 * child", -1 when no (valid) choice was made. */
static int64_t chosen_child(const web_form *f, const matches *ms)
{
    const char *v = form_get(f, "existing_child");
    if (!v)
        return -1;
    if (strcmp(v, "new") == 0)
        return 0;
    for (size_t i = 0; i < ms->n; i++) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)ms->m[i].child.id);
        if (strcmp(v, id) == 0)
            return ms->m[i].child.id;
    }
    return -1;
}

/* Maps the use case's field names onto this form's. */
static const char *form_field(const char *field)
{
    if (!field)
        return NULL;
    if (strcmp(field, "date_of_birth") == 0)
        return "date_of_birth-day";
    if (strcmp(field, "sen_needs") == 0)
        return "primary_need";
    if (strcmp(field, "date") == 0)
        return "request_date-day";
    return field;
}

/* Adds the child (unless an existing one was chosen) and opens the case;
 * from a request sent online, both and the request's link to the case in
 * one transaction (ask_start), dated the day it was received. A problem
 * with a field goes into errs; SH_ECONFLICT with errs empty: the online
 * request was started or closed by someone else first, and nothing was
 * stored. */
static int open_case(web_request *req, store_child *c, int64_t existing, event *start,
                     const char *coordinator, const store_ask *online, store_case *out,
                     pages_errors *errs)
{
    app_error err = {0};
    int rc = SH_OK;
    c->id = existing > 0 ? existing : 0;
    journey_timeline t;
    if (online)
        rc = ask_start(req->db, &req->who, online->id, c, coordinator, req->today, req->recorded_at,
                       req->a, out, &err);
    else if (!c->id)
        rc = app_child_create(req->db, &req->who, c, req->today, &err);
    if (rc == SH_OK && !online)
        rc = app_case_open(req->db, &req->who, c->id, coordinator, start, req->today, req->a,
                           out, &t, &err);
    if (rc == SH_EINVAL || (rc == SH_ECONFLICT && (err.field || !online)))
        pages_errors_add(errs, form_field(err.field), arena_strdup(req->a, err.message));
    return rc;
}

/* The online request was started or closed by someone else while this form
 * was filled in (seen before or inside the transaction): nothing was stored;
 * show the request, with what became of it and why. */
static int taken(web_request *req, web_response *res, int64_t online_id)
{
    return pages_redirect(res, arena_printf(req->a, "/requests/online/%lld?taken=1",
                                            (long long)online_id));
}

int page_request(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_WRITE_CASES))
        return pages_fail(req, res, SH_EDENIED);
    web_form f;
    int rc = pages_form(req, &f);
    pages_option *coordinators = NULL;
    size_t nc = 0;
    if (rc == SH_OK)
        rc = coordinator_options(req, &coordinators, &nc);
    if (rc)
        return pages_fail(req, res, rc);
    store_ask r;
    const store_ask *online = NULL;
    if ((rc = online_load(req, form_get(&f, "online"), &r, &online)) == SH_ECONFLICT)
        return taken(req, res, r.id);
    if (rc)
        return pages_fail(req, res, rc);
    store_child c;
    date_t date;
    const char *coordinator;
    pages_errors errs = {0};
    matches ms = {0};
    read_child(req, &f, &c, &errs);
    read_request(req, &f, &c, coordinators, nc, online, &date, &coordinator, &errs);
    if (errs.n)
        return render(req, res, 422, &f, &errs, &ms, online);
    if ((rc = find_matches(req, &c, &ms)))
        return pages_fail(req, res, rc);
    int64_t existing = ms.n ? chosen_child(&f, &ms) : 0;
    if (existing < 0) {
        if (form_get(&f, "checked_duplicates"))
            pages_errors_add(&errs, "existing_child",
                             "Select one of these children, or that this is a different child");
        return render(req, res, errs.n ? 422 : 200, &f, &errs, &ms, online);
    }
    store_case opened;
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, date);
    rc = open_case(req, &c, existing, &start, coordinator, online, &opened, &errs);
    if (rc == SH_ECONFLICT && online && !errs.n)
        return taken(req, res, online->id);
    if (rc == SH_EINVAL || rc == SH_ECONFLICT)
        return render(req, res, 422, &f, &errs, &ms, online);
    if (rc)
        return pages_fail(req, res, rc);
    if (online)
        return pages_redirect(res, arena_printf(req->a, "/requests/online/%lld?started=1",
                                                (long long)online->id));
    return pages_redirect(res, arena_printf(req->a, "/cases/%lld?recorded=%lld",
                                            (long long)opened.id, (long long)start.id));
}
