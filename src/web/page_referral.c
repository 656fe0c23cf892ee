/*
 * page_referral.c — one referral to a health pathway (issue 5): the child,
 * the pathway, every step recorded so far, the wait, the place in the queue
 * and the estimate; and, for health practitioners, the form to record what
 * happened next (only the steps that can happen now are offered) and the
 * form for a new referral.
 *
 * A new referral finds the child by NHS number, the identifier health
 * services hold: health practitioners cannot search the area's children by
 * name (access_sees_whole_area), and a referral for a child not yet on the
 * record is made after the child is added by the council.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "app/health.h"
#include "core/ident.h"
#include "util/err.h"
#include "web/pages.h"

static const char *date_long(arena *a, date_t d)
{
    if (d == DATE_NONE)
        return "";
    char s[40];
    date_format_long(d, s, sizeof s);
    return arena_strdup(a, s);
}

static int row(buf *b, const char *key, const char *value)
{
    return html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                       "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                       "<dd class=\"govuk-summary-list__value\">%s</dd>\n</div>\n",
                    key, value && value[0] ? value : "Not recorded");
}

static const char *triage_text(arena *a, const store_referral *r)
{
    static const char *const l[WAIT_TRIAGE_COUNT] = {"Waiting for triage", "Accepted",
                                                     "Rejected", "Redirected"};
    if (r->triage == WAIT_TRIAGE_PENDING)
        return l[0];
    return arena_printf(a, "%s on %s%s%s", l[r->triage % WAIT_TRIAGE_COUNT],
                        date_long(a, r->triage_date), r->triage_reason[0] ? ": " : "",
                        r->triage_reason);
}

static int wait_line(web_request *req, buf *b, const health_referral_view *v)
{
    arena *a = req->a;
    const char *stop = v->pathway.clock_stop == WAIT_STOP_FIRST_CONTACT
                           ? "first contact" : "the assessment starting";
    if (v->waiting)
        return html_fmt(b, "<div class=\"govuk-inset-text\" id=\"wait\">Waiting %d weeks so far "
                           "for %s%s (standard: %d weeks). Place in queue: %zu of %zu. %s</div>\n",
                        v->wait_days / 7, stop, v->paused ? ", clock paused" : "",
                        v->pathway.standard_weeks, v->position, v->queue_len,
                        v->estimate != DATE_NONE
                            ? arena_printf(a, "Estimated to be seen about %s.",
                                           date_long(a, v->estimate))
                            : "Not expected to be seen within 10 years at the current "
                              "capacity.");
    if (v->seen != DATE_NONE)
        return html_fmt(b, "<div class=\"govuk-inset-text\" id=\"wait\">Seen on %D after %d "
                           "weeks (standard: %d weeks).</div>\n",
                        v->seen, v->wait_days / 7, v->pathway.standard_weeks);
    return SH_OK;
}

static int referral_details(web_request *req, buf *b, const health_referral_view *v)
{
    arena *a = req->a;
    const store_referral *r = &v->r;
    int rc = html_fmt(b, "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = row(b, "NHS number", pages_nhs_number(a, v->child.nhs_number));
    if (rc == SH_OK)
        rc = row(b, "Date of birth", arena_printf(a, "%s (age %d)",
                                                  date_long(a, v->child.date_of_birth),
                                                  pages_age_years(v->child.date_of_birth,
                                                                  req->today)));
    if (rc == SH_OK)
        rc = row(b, "Pathway", arena_printf(a, "%s, %s", v->pathway.name, v->pathway.provider));
    if (rc == SH_OK)
        rc = row(b, "Referred", arena_printf(a, "%s by %s (%s)", date_long(a, r->referral_date),
                                             r->referrer, wait_priority_name(r->priority)));
    if (rc == SH_OK)
        rc = row(b, "Triage", triage_text(a, r));
    for (size_t i = 0; rc == SH_OK && i < v->n_stops; i++)
        rc = row(b, "Clock paused",
                 arena_printf(a, "%s to %s: %s", date_long(a, v->stops[i].stopped),
                              v->stops[i].restarted == DATE_NONE
                                  ? "now" : date_long(a, v->stops[i].restarted),
                              v->stops[i].reason));
    if (rc == SH_OK)
        rc = row(b, "First contact", date_long(a, r->first_contact));
    if (rc == SH_OK)
        rc = row(b, "Assessment started", date_long(a, r->assessment_started));
    if (rc == SH_OK)
        rc = row(b, "Assessment completed", date_long(a, r->assessment_completed));
    if (rc == SH_OK)
        rc = row(b, "Outcome", r->outcome[0] ? arena_printf(a, "%s%s%s%s", r->outcome,
                                                            r->outcome_code[0] ? " (code " : "",
                                                            r->outcome_code,
                                                            r->outcome_code[0] ? ")" : "")
                                             : "");
    if (rc == SH_OK)
        rc = row(b, "Discharged", date_long(a, r->discharged));
    return rc ? rc : html_fmt(b, "</dl>\n");
}

/* ---- what can be recorded next ------------------------------------------------ */

static bool step_possible(const health_referral_view *v, health_step s)
{
    const store_referral *r = &v->r;
    bool accepted = r->triage == WAIT_TRIAGE_ACCEPTED;
    switch (s) {
    case HEALTH_STEP_TRIAGE: return r->triage == WAIT_TRIAGE_PENDING;
    case HEALTH_STEP_CLOCK_STOP: return v->seen == DATE_NONE && !v->paused;
    case HEALTH_STEP_CLOCK_RESTART: return v->paused;
    case HEALTH_STEP_FIRST_CONTACT:
        return accepted && !v->paused && r->first_contact == DATE_NONE &&
               r->assessment_started == DATE_NONE;
    case HEALTH_STEP_ASSESSMENT_STARTED:
        return accepted && !v->paused && r->assessment_started == DATE_NONE;
    case HEALTH_STEP_ASSESSMENT_COMPLETED:
        return r->assessment_started != DATE_NONE && r->assessment_completed == DATE_NONE;
    case HEALTH_STEP_OUTCOME: return r->assessment_completed != DATE_NONE && !r->outcome[0];
    case HEALTH_STEP_DISCHARGE: return true;
    default: return false;
    }
}

static int step_form(web_request *req, buf *b, const health_referral_view *v,
                     const web_form *values, const pages_errors *errs)
{
    pages_option opts[HEALTH_STEP_COUNT];
    size_t n = 0;
    bool has[HEALTH_STEP_COUNT] = {0};
    for (int s = 0; s < HEALTH_STEP_COUNT; s++)
        if ((has[s] = step_possible(v, (health_step)s)))
            opts[n++] = (pages_option){health_step_name((health_step)s),
                                       health_step_label((health_step)s), NULL};
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"record\">Record what happened "
                         "next</h2>\n<form method=\"post\" action=\"/referrals/%lld/steps\" "
                         "novalidate>\n",
                      (long long)v->r.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "step", .legend = "What happened",
                                                  .opts = opts, .n = n,
                                                  .checked = form_get(values, "step"),
                                                  .legend_classes = "govuk-fieldset__legend--s"},
                          errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "date", "When", "For example, 2 11 2026", values, errs);
    if (rc == SH_OK && has[HEALTH_STEP_TRIAGE]) {
        static const pages_option t[] = {{"accepted", "Accepted", NULL},
                                         {"rejected", "Rejected", NULL},
                                         {"redirected", "Redirected to another service", NULL}};
        rc = html_fmt(b, "<div class=\"sendhub-detail-fields\">\n"
                         "<h3 class=\"govuk-heading-s\">For a triage decision</h3>\n");
        if (rc == SH_OK)
            rc = pages_radios(b, &(pages_radios_spec){.name = "triage", .legend = "Decision",
                                                      .opts = t, .n = 3, .small = true,
                                                      .checked = form_get(values, "triage")},
                              errs);
        if (rc == SH_OK)
            rc = html_fmt(b, "</div>\n");
    }
    if (rc == SH_OK && has[HEALTH_STEP_CLOCK_STOP]) {
        pages_option r[HEALTH_STOP_COUNT];
        for (int i = 0; i < HEALTH_STOP_COUNT; i++)
            r[i] = (pages_option){health_stop_reason_name((health_stop_reason)i),
                                  health_stop_reason_label((health_stop_reason)i), NULL};
        rc = html_fmt(b, "<div class=\"sendhub-detail-fields\">\n"
                         "<h3 class=\"govuk-heading-s\">For a pause of the clock</h3>\n");
        if (rc == SH_OK)
            rc = pages_radios(b, &(pages_radios_spec){.name = "stop_reason", .legend = "Why",
                                                      .hint = "Only a delay the family chose "
                                                              "pauses the clock, never the "
                                                              "service's own",
                                                      .opts = r, .n = HEALTH_STOP_COUNT,
                                                      .small = true,
                                                      .checked = form_get(values, "stop_reason")},
                              errs);
        if (rc == SH_OK)
            rc = html_fmt(b, "</div>\n");
    }
    if (rc == SH_OK && (has[HEALTH_STEP_TRIAGE] || has[HEALTH_STEP_CLOCK_STOP]))
        rc = pages_textarea(b, "reason", "Reason or note",
                            "Required when a referral is rejected or redirected: why, or "
                            "where to",
                            form_get(values, "reason"), 3, errs);
    if (rc == SH_OK && has[HEALTH_STEP_OUTCOME]) {
        rc = html_fmt(b, "<div class=\"sendhub-detail-fields\">\n"
                         "<h3 class=\"govuk-heading-s\">For the outcome</h3>\n");
        if (rc == SH_OK)
            rc = pages_textarea(b, "outcome", "Outcome or diagnosis", NULL,
                                form_get(values, "outcome"), 3, errs);
        if (rc == SH_OK)
            rc = pages_input(b, &(pages_input_spec){.name = "outcome_code",
                                                    .label = "Code (optional)",
                                                    .hint = "ICD-10 or SNOMED CT, for example "
                                                            "F84.0",
                                                    .value = form_get(values, "outcome_code"),
                                                    .classes = "govuk-input--width-10",
                                                    .spellcheck_off = true},
                             errs);
        if (rc == SH_OK)
            rc = html_fmt(b, "</div>\n");
    }
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                            "data-module=\"govuk-button\">Record it</button>\n</form>\n");
}

static int render_referral(web_request *req, web_response *res, const health_referral_view *v,
                           int status, const web_form *values, const pages_errors *errs)
{
    int rc = pages_audit(req, "read", "referral", v->r.id, v->r.child_id, "");
    if (rc)
        return pages_fail(req, res, rc);
    const char *name = arena_printf(req->a, "%s %s", v->child.forename, v->child.surname);
    html_page pg = {.title = name ? name : "Referral", .nav = "pathways",
                    .back_href = arena_printf(req->a, "/pathways/%lld/waiting-list",
                                              (long long)v->pathway.id),
                    .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &pg);
    const char *done = web_query(req, "recorded");
    int step = done ? health_step_parse(done) : -1;
    if (rc == SH_OK && step >= 0 && errs->n == 0)
        rc = pages_recorded_banner(b, health_step_label((health_step)step));
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">Referral %lld: %s</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n",
                      (long long)v->r.id, v->pathway.name, pg.title);
    if (rc == SH_OK)
        rc = wait_line(req, b, v);
    if (rc == SH_OK)
        rc = referral_details(req, b, v);
    if (rc == SH_OK && access_can(&req->who, CAN_RECORD_REFERRALS) && !app_referral_closed(&v->r))
        rc = step_form(req, b, v, values, errs);
    return pages_end(req, res, rc);
}

static int load(web_request *req, web_response *res, health_referral_view *v)
{
    app_error err = {0};
    if (!access_can(&req->who, CAN_SEE_WAITING_LISTS))
        return pages_fail(req, res, SH_EDENIED);
    arena *a = req->a;
    int rc = app_referral_get(req->db, &req->who, req->params[0], req->today, a, v, &err);
    return rc ? pages_fail(req, res, err.rc) : SH_OK;
}

int page_referral(web_request *req, web_response *res)
{
    health_referral_view v;
    int rc = load(req, res, &v);
    if (rc)
        return rc;
    web_form values = {0};
    pages_errors errs = {0};
    return render_referral(req, res, &v, 200, &values, &errs);
}

/* The form field an app_error's field is shown on. */
static const char *form_field(const char *field)
{
    if (!field || strcmp(field, "step") == 0)
        return "step";
    if (strcmp(field, "date") == 0)
        return "date-day";
    return field;
}

int page_referral_step(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_RECORD_REFERRALS))
        return pages_fail(req, res, SH_EDENIED);
    health_referral_view v;
    int rc = load(req, res, &v);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    health_step_input in = {.step = HEALTH_STEP_COUNT, .date = DATE_NONE, .stop_reason = -1,
                            .triage = WAIT_TRIAGE_COUNT};
    int step = health_step_parse(form_get(&f, "step"));
    if (step < 0)
        pages_errors_add(&errs, "step", "Select what happened");
    in.step = step < 0 ? HEALTH_STEP_COUNT : (health_step)step;
    if (in.step != HEALTH_STEP_OUTCOME)
        pages_date_read(&f, "date", "the date", step >= 0, req->a, &in.date, &errs);
    wait_triage t;
    if (in.step == HEALTH_STEP_TRIAGE) {
        if (wait_triage_parse(form_get(&f, "triage"), &t) == SH_OK)
            in.triage = t;
        else
            pages_errors_add(&errs, "triage", "Select the decision");
    }
    if (in.step == HEALTH_STEP_CLOCK_STOP &&
        (in.stop_reason = health_stop_reason_parse(form_get(&f, "stop_reason"))) < 0)
        pages_errors_add(&errs, "stop_reason", "Select why the clock is paused");
    in.reason = pages_trim(req->a, form_get(&f, "reason"));
    in.outcome = pages_trim(req->a, form_get(&f, "outcome"));
    in.outcome_code = pages_trim(req->a, form_get(&f, "outcome_code"));
    if (errs.n)
        return render_referral(req, res, &v, 422, &f, &errs);
    app_error err = {0};
    rc = app_referral_record(req->db, &req->who, v.r.id, &in, req->today, &err);
    if (rc == SH_OK)
        return pages_redirect(res, arena_printf(req->a, "/referrals/%lld?recorded=%s#wait",
                                                (long long)v.r.id, health_step_name(in.step)));
    if (rc != SH_EINVAL)
        return pages_fail(req, res, rc);
    pages_errors_add(&errs, form_field(err.field), arena_strdup(req->a, err.message));
    return render_referral(req, res, &v, 422, &f, &errs);
}

/* ---- a new referral ------------------------------------------------------------- */

static int render_new(web_request *req, web_response *res, int status, const web_form *values,
                      const pages_errors *errs)
{
    store_pathway *p;
    size_t n;
    app_error err = {0};
    if (app_health_pathways(req->db, &req->who, req->a, &p, &n, &err))
        return pages_fail(req, res, err.rc);
    pages_option *opts = arena_calloc(req->a, n + 1, sizeof *opts);
    if (!opts)
        return pages_fail(req, res, SH_ENOMEM);
    size_t k = 0;
    opts[k++] = (pages_option){"", "Choose a pathway", NULL};
    for (size_t i = 0; i < n; i++)
        if (p[i].active)
            opts[k++] = (pages_option){arena_printf(req->a, "%lld", (long long)p[i].id),
                                       p[i].name, NULL};
    html_page pg = {.title = "Record a new referral", .nav = "pathways", .back_href = "/pathways",
                    .has_errors = errs->n > 0};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &pg);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<form method=\"post\" action=\"/referrals/new\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "nhs_number", .label = "Child's NHS number",
                                                .hint = "10 digits, for example 943 476 5919",
                                                .value = form_get(values, "nhs_number"),
                                                .classes = "govuk-input--width-10",
                                                .inputmode = "numeric", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_select(b, "pathway", "Pathway", NULL, opts, k, form_get(values, "pathway"),
                          errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "referrer", .label = "Referred by",
                                                .hint = "For example, GP, health visitor, "
                                                        "school SENCo",
                                                .value = form_get(values, "referrer")},
                         errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "referral_date", "Date of referral",
                              "The date the service received it: the wait starts here", values,
                              errs);
    static const pages_option pr[] = {{"routine", "Routine", NULL}, {"urgent", "Urgent", NULL}};
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "priority", .legend = "Priority",
                                                  .opts = pr, .n = 2, .small = true,
                                                  .checked = form_get(values, "priority")},
                          errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Record the referral</button>\n</form>\n");
    return pages_end(req, res, rc);
}

int page_referral_new_form(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_RECORD_REFERRALS))
        return pages_fail(req, res, SH_EDENIED);
    web_form values = {0};
    pages_form_set(&values, "priority", "routine");
    pages_errors errs = {0};
    return render_new(req, res, 200, &values, &errs);
}

/* The child with this NHS number in the person's area: 0 and an error when
 * the number is not valid or no child has it. */
static int64_t child_by_nhs(web_request *req, const char *typed, pages_errors *errs)
{
    char nhs[IDENT_NHS_LEN + 1];
    const char *why = "";
    if (!typed[0]) {
        pages_errors_add(errs, "nhs_number", "Enter the child's NHS number");
        return 0;
    }
    if (ident_nhs_normalise(typed, strlen(typed), nhs, &why) != SH_OK) {
        pages_errors_add(errs, "nhs_number",
                         arena_printf(req->a, "Enter a valid NHS number: %s", why));
        return 0;
    }
    store_child_query q = {.la_code = req->who.la_code, .date_of_birth = DATE_NONE,
                           .nhs_number = nhs, .limit = 1};
    store_child *kids;
    size_t n = 0, total;
    if (store_child_find(req->db, &q, req->a, &kids, &n, &total) != SH_OK || n == 0) {
        pages_errors_add(errs, "nhs_number",
                         "No child with this NHS number is on the record in this area: ask the "
                         "SEND team to add the child first");
        return 0;
    }
    return kids[0].id;
}

int page_referral_new(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_RECORD_REFERRALS))
        return pages_fail(req, res, SH_EDENIED);
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    store_referral r;
    memset(&r, 0, sizeof r);
    r.child_id = child_by_nhs(req, pages_trim(req->a, form_get(&f, "nhs_number")), &errs);
    const char *pathway = form_get(&f, "pathway");
    r.pathway_id = pathway ? strtoll(pathway, NULL, 10) : 0;
    if (r.pathway_id <= 0)
        pages_errors_add(&errs, "pathway", "Select a pathway");
    r.referrer = pages_trim(req->a, form_get(&f, "referrer"));
    if (!r.referrer[0])
        pages_errors_add(&errs, "referrer", "Enter who made the referral");
    pages_date_read(&f, "referral_date", "the date of referral", true, req->a, &r.referral_date,
                    &errs);
    wait_priority pr = WAIT_PRIORITY_ROUTINE;
    if (wait_priority_parse(form_get(&f, "priority"), &pr) != SH_OK)
        pages_errors_add(&errs, "priority", "Select routine or urgent");
    r.priority = pr;
    app_error err = {0};
    if (errs.n == 0 && (rc = app_referral_create(req->db, &req->who, &r, req->today, &err))) {
        if (rc != SH_EINVAL)
            return pages_fail(req, res, rc);
        const char *field = !err.field                           ? "nhs_number"
                            : strcmp(err.field, "referral_date") == 0 ? "referral_date-day"
                                                                      : err.field;
        pages_errors_add(&errs, field, arena_strdup(req->a, err.message));
    }
    if (errs.n)
        return render_new(req, res, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/referrals/%lld", (long long)r.id));
}

/* ---- importing a provider's extract --------------------------------------------- */

/* The extract is pasted into the page (a form field, so at most
 * FORM_MAX_VALUE bytes: a week's referrals of a service); larger files go
 * through `sendhub import referrals` or POST /api/v1/referrals/import,
 * which take the same columns and give the same report. */
static int import_report(buf *b, const health_import_report *rep)
{
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Lines "
                         "to correct\" tabindex=\"0\">\n<table class=\"govuk-table "
                         "sendhub-table-s\" id=\"import-report\">\n<caption "
                         "class=\"govuk-table__caption govuk-table__caption--m\">Lines to "
                         "correct (%zu)</caption>\n<thead class=\"govuk-table__head\"><tr "
                         "class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Line</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Column</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Problem</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      rep->n_errors);
    for (size_t i = 0; rc == SH_OK && i < rep->errors_shown; i++)
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<td class=\"govuk-table__cell\">%zu</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n</tr>\n",
                      rep->errors[i].line, rep->errors[i].field ? rep->errors[i].field : "",
                      rep->errors[i].message);
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

static int render_import(web_request *req, web_response *res, int status, const web_form *values,
                         const pages_errors *errs, const health_import_report *rep)
{
    html_page pg = {.title = "Import referrals", .nav = "pathways", .back_href = "/pathways",
                    .has_errors = errs->n > 0};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &pg);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK && rep && rep->imported)
        rc = pages_recorded_banner(b, arena_printf(req->a, "%zu referral%s", rep->imported,
                                                   rep->imported == 1 ? "" : "s"));
    if (rc == SH_OK && rep && rep->n_errors)
        rc = import_report(b, rep);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Paste a provider's extract: a first line "
                         "naming the columns, then one referral a line.</p>\n"
                         "<div class=\"govuk-inset-text\"><code>nhs_number, pathway, referrer, "
                         "referral_date, priority, triage, triage_date, triage_reason, "
                         "first_contact, assessment_started, assessment_completed, outcome, "
                         "outcome_code, discharged</code></div>\n"
                         "<p class=\"govuk-body\">Every line is checked as if it were recorded "
                         "by hand. If any line is wrong, nothing is imported: correct the "
                         "lines listed and import the whole extract again. Larger files: "
                         "<code>sendhub import referrals</code> or the API.</p>\n"
                         "<form method=\"post\" action=\"/referrals/import\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_textarea(b, "csv", "The extract",
                            arena_printf(req->a, "Up to %d characters, dates as 2026-11-02",
                                         FORM_MAX_VALUE),
                            form_get(values, "csv"), 10, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Import the referrals</button>\n</form>\n");
    return pages_end(req, res, rc);
}

int page_referral_import_form(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_RECORD_REFERRALS))
        return pages_fail(req, res, SH_EDENIED);
    web_form values = {0};
    pages_errors errs = {0};
    return render_import(req, res, 200, &values, &errs, NULL);
}

int page_referral_import(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_RECORD_REFERRALS))
        return pages_fail(req, res, SH_EDENIED);
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    const char *csv = form_get(&f, "csv");
    pages_errors errs = {0};
    health_import_report rep = {0};
    if (!csv || !pages_trim(req->a, csv)[0]) {
        pages_errors_add(&errs, "csv", "Paste the extract");
        return render_import(req, res, 422, &f, &errs, NULL);
    }
    app_error err = {0};
    rc = app_referrals_import(req->db, &req->who, csv, strlen(csv), req->today, req->a, &rep,
                              &err);
    if (rc && rc != SH_EINVAL)
        return pages_fail(req, res, rc);
    if (rc) {
        pages_errors_add(&errs, "csv", arena_strdup(req->a, err.message));
        return render_import(req, res, 422, &f, &errs, &rep);
    }
    web_form none = {0};
    return render_import(req, res, 200, &none, &errs, &rep);
}
