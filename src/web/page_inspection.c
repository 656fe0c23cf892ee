/*
 * page_inspection.c — area SEND inspections (issue 9): the area's
 * inspections, recording one (framework, outcome, dates), and an
 * inspection's page: what happens next (the follow-up dates computed by
 * core/inspection.c) and the report's findings, with a form to add one.
 *
 * Managers record; inspectors read (CAN_SEE_INSPECTIONS without
 * CAN_RECORD_INSPECTIONS: no forms are shown to them and posts are refused).
 * The parent carer forum reads the plans and their progress and comments on
 * the actions (CAN_COMMENT_PLANS, as managers replying); it reaches no child
 * and no person-level list (access_sees_whole_area is false for it).
 */
#include <string.h>

#include "app/access.h"
#include "app/health.h"
#include "app/inspection.h"
#include "util/err.h"
#include "web/chart.h"
#include "web/pages.h"

/* The date inputs of the inspection form, with what they are called. */
static const struct {
    const char *name, *legend, *hint, *what;
    bool required;
} date_fields[] = {
    {"started_on", "Inspection started", "The day the inspection began (notification)",
     "the date the inspection started", true},
    {"ended_on", "Fieldwork ended", NULL, "the date fieldwork ended", true},
    {"published_on", "Report published", "The outcome letter (2016) or report (2023): the "
                                         "follow-up dates run from it",
     "the date the report was published", true},
    {"plan_due_on", "Priority action plan due (optional)",
     "2023, widespread or systemic failings only: the date the report's letter gives",
     "the priority action plan's due date", false},
    {"accepted_on", "Written statement of action accepted (optional)",
     "2016 only: the day it was accepted as fit for purpose; the revisit window runs from it",
     "the date the written statement was accepted", false},
};
#define N_DATE_FIELDS (sizeof date_fields / sizeof date_fields[0])

static int outcome_tag(buf *b, insp_outcome o)
{
    static const char *const colour[INSP_OUT_COUNT] = {
        "govuk-tag--green", "govuk-tag--red", "govuk-tag--green", "govuk-tag--yellow",
        "govuk-tag--red",
    };
    return html_fmt(b, "<strong class=\"govuk-tag %s\">%s</strong>",
                    (unsigned)o < INSP_OUT_COUNT ? colour[o] : "govuk-tag--grey",
                    insp_outcome_label(o));
}

/* ---- the list ------------------------------------------------------------------ */

int page_inspections(web_request *req, web_response *res)
{
    store_inspection *rows;
    size_t n;
    app_error err = {0};
    if (app_inspections(req->db, &req->who, req->a, &rows, &n, &err))
        return pages_fail(req, res, err.rc);
    html_page pg = {.title = "Inspections", .nav = "inspections"};
    buf *b = &res->body;
    int rc = pages_begin(req, res, 200, &pg);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Area SEND inspections of the partnership "
                         "(Ofsted and CQC), their findings and the dates that follow from "
                         "them.</p>\n");
    if (rc == SH_OK && access_can(&req->who, CAN_RECORD_INSPECTIONS))
        rc = html_fmt(b, "<a href=\"/inspections/new\" role=\"button\" draggable=\"false\" "
                         "class=\"govuk-button\" data-module=\"govuk-button\">Record an "
                         "inspection</a>\n");
    if (rc == SH_OK && access_sees_whole_area(&req->who))
        rc = html_fmt(b, "<p class=\"govuk-body\">The <a class=\"govuk-link\" "
                         "href=\"/inspections/evidence\">evidence pack</a> has the "
                         "person-level list inspectors ask for in the first weeks of an "
                         "inspection, as a spreadsheet (XLSX) or CSV.</p>\n");
    if (rc == SH_OK && access_sees_whole_area(&req->who) &&
        access_can(&req->who, CAN_SEE_CASE_FILES))
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/inspections/sample\">Sample children for a deep dive</a>: "
                         "a reproducible random sample from the person-level list, each "
                         "with a printable case file.</p>\n");
    if (rc == SH_OK && n == 0)
        return pages_end(req, res,
                         html_fmt(b, "<p class=\"govuk-body\">No inspection is recorded.</p>\n"));
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Inspections\" "
                         "tabindex=\"0\"><table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                         "govuk-table__caption--m\">Inspections, latest first</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                         "<th scope=\"col\" class=\"govuk-table__header\">Report published</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Framework</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Outcome</th>"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        rc = html_fmt(b, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">"
                         "<a class=\"govuk-link\" href=\"/inspections/%lld\">%D</a></td>"
                         "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
                      (long long)rows[i].id, rows[i].published_on,
                      insp_framework_name(rows[i].framework));
        if (rc == SH_OK)
            rc = outcome_tag(b, rows[i].outcome);
        if (rc == SH_OK)
            rc = html_fmt(b, "</td></tr>\n");
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "</tbody>\n</table></div>\n");
    return pages_end(req, res, rc);
}

/* ---- recording an inspection ------------------------------------------------- */

static int render_new(web_request *req, web_response *res, int status, const web_form *values,
                      const pages_errors *errs)
{
    html_page pg = {.title = "Record an inspection", .nav = "inspections",
                    .back_href = "/inspections", .has_errors = errs->n > 0};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &pg);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<form method=\"post\" action=\"/inspections/new\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    static const pages_option frameworks[] = {
        {"2023", "Area SEND inspection (2023 framework)", "From January 2023"},
        {"2016", "Local area SEND inspection (2016 framework)", "May 2016 to 2022"},
    };
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "framework", .legend = "Framework",
                                                  .opts = frameworks, .n = 2,
                                                  .checked = form_get(values, "framework")},
                          errs);
    pages_option outcomes[INSP_OUT_COUNT];
    for (int o = 0; o < INSP_OUT_COUNT; o++)
        outcomes[o] = (pages_option){insp_outcome_name((insp_outcome)o),
                                     insp_outcome_label((insp_outcome)o),
                                     o <= INSP_OUT_2016_WSOA ? "2016 framework"
                                                             : "2023 framework"};
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "outcome", .legend = "Outcome",
                                                  .opts = outcomes, .n = INSP_OUT_COUNT,
                                                  .checked = form_get(values, "outcome")},
                          errs);
    for (size_t i = 0; rc == SH_OK && i < N_DATE_FIELDS; i++)
        rc = pages_date_input(b, date_fields[i].name, date_fields[i].legend, date_fields[i].hint,
                              values, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Record the inspection</button>\n</form>\n");
    return pages_end(req, res, rc);
}

int page_inspection_new_form(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_RECORD_INSPECTIONS))
        return pages_fail(req, res, SH_EDENIED);
    web_form values = {0};
    pages_errors errs = {0};
    return render_new(req, res, 200, &values, &errs);
}

/* An app_error's field as the form's id: dates are filed under "<name>-day"
 * (pages_date_input's first box). */
static const char *form_field(web_request *req, const char *field, const char *fallback)
{
    if (!field)
        return fallback;
    size_t n = strlen(field);
    return n > 3 && strcmp(field + n - 3, "_on") == 0 ? arena_printf(req->a, "%s-day", field)
                                                      : field;
}

int page_inspection_new(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_RECORD_INSPECTIONS))
        return pages_fail(req, res, SH_EDENIED);
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    store_inspection in = {0};
    if (insp_framework_parse(form_get(&f, "framework"), &in.framework))
        pages_errors_add(&errs, "framework", "Select the framework");
    if (insp_outcome_parse(form_get(&f, "outcome"), &in.outcome))
        pages_errors_add(&errs, "outcome", "Select the outcome");
    date_t *dates[N_DATE_FIELDS] = {&in.started_on, &in.ended_on, &in.published_on,
                                    &in.plan_due_on, &in.accepted_on};
    for (size_t i = 0; i < N_DATE_FIELDS; i++)
        pages_date_read(&f, date_fields[i].name, date_fields[i].what, date_fields[i].required,
                        req->a, dates[i], &errs);
    app_error err = {0};
    if (errs.n == 0 && app_inspection_record(req->db, &req->who, &in, req->today, &err) &&
        !pages_refused(req, &err, form_field(req, err.field, "framework"), &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n)
        return render_new(req, res, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/inspections/%lld?recorded=inspection",
                                            (long long)in.id));
}

/* ---- one inspection ------------------------------------------------------------ */

static int row_open(buf *b, const char *key)
{
    return html_fmt(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                       "%s</dt><dd class=\"govuk-summary-list__value\">",
                    key);
}

static int row_close(buf *b) { return html_fmt(b, "</dd></div>\n"); }

static int text_row(buf *b, const char *key, const char *text)
{
    int rc = row_open(b, key);
    if (rc == SH_OK)
        rc = html_fmt(b, "%s", text);
    return rc ? rc : row_close(b);
}

/* A date, or `none` when there is none. */
static int date_row(buf *b, const char *key, date_t d, const char *none)
{
    int rc = row_open(b, key);
    if (rc == SH_OK)
        rc = d == DATE_NONE ? html_fmt(b, "%s", none) : html_fmt(b, "%D", d);
    return rc ? rc : row_close(b);
}

static int what_next(buf *b, const app_inspection_view *v)
{
    const insp_followup *f = &v->follow;
    bool wsoa = v->i.framework == INSP_FW_2016;
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">What happens next</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK && !f->plan_required && f->next_full_by == DATE_NONE)
        rc = text_row(b, "Follow-up", "None: the first framework's inspections were a one-off "
                                      "round");
    if (rc == SH_OK && f->plan_required)
        rc = date_row(b,
                      wsoa ? "Written statement of action due (70 working days)"
                           : "Priority action plan due (as the letter states)",
                      f->plan_due, "Not recorded: enter the date the report's letter gives");
    if (rc == SH_OK && f->plan_required && wsoa)
        rc = date_row(b, "Revisit expected by (18 months from acceptance)", f->monitor_by,
                      "When the written statement is accepted");
    if (rc == SH_OK && f->plan_required && !wsoa)
        rc = date_row(b, "Monitoring inspection expected by (about 18 months)",
                      f->monitor_by, "");
    if (rc == SH_OK && f->next_full_by != DATE_NONE)
        rc = date_row(b, "Next full inspection expected by", f->next_full_by, "");
    if (rc == SH_OK)
        rc = html_fmt(b, "</dl>\n");
    return rc;
}

static int findings_list(buf *b, const app_inspection_view *v)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Findings</h2>\n");
    if (rc == SH_OK && v->n_findings == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No finding is recorded yet.</p>\n");
    for (int k = 0; rc == SH_OK && k < INSP_FIND_COUNT; k++) {
        size_t count = 0;
        for (size_t i = 0; i < v->n_findings; i++)
            count += v->findings[i].kind == (insp_finding_kind)k;
        if (!count)
            continue;
        rc = html_fmt(b, "<h3 class=\"govuk-heading-s\">%s (%zu)</h3>\n",
                      insp_finding_label((insp_finding_kind)k), count);
        for (size_t i = 0; rc == SH_OK && i < v->n_findings; i++) {
            const store_finding *fd = &v->findings[i];
            if (fd->kind != (insp_finding_kind)k)
                continue;
            rc = html_fmt(b, "<div class=\"govuk-inset-text\"><p class=\"govuk-body "
                             "govuk-!-font-weight-bold\">%s</p><p class=\"govuk-body "
                             "sendhub-pre-line\">%s</p></div>\n",
                          fd->title, fd->wording);
        }
    }
    return rc;
}

static int finding_form(web_request *req, buf *b, const app_inspection_view *v,
                        const web_form *values, const pages_errors *errs)
{
    pages_option kinds[INSP_FIND_COUNT];
    size_t n = 0;
    for (int k = 0; k < INSP_FIND_COUNT; k++)
        if (insp_finding_valid(v->i.framework, (insp_finding_kind)k))
            kinds[n++] = (pages_option){insp_finding_name((insp_finding_kind)k),
                                        insp_finding_label((insp_finding_kind)k), NULL};
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"add-finding\">Add a finding</h2>\n"
                         "<form method=\"post\" action=\"/inspections/%lld/findings\" "
                         "novalidate>\n",
                      (long long)v->i.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "kind", .legend = "Kind of finding",
                                                  .opts = kinds, .n = n, .small = true,
                                                  .checked = form_get(values, "kind")},
                          errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "title", .label = "Area",
                                                .hint = "A short name, for example "
                                                        "\"Timeliness of EHC plans\"",
                                                .value = form_get(values, "title")},
                         errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "wording", "The report's wording",
                            "Copy it from the published report", form_get(values, "wording"), 5,
                            errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
                         "data-module=\"govuk-button\">Add the finding</button>\n</form>\n");
    return rc;
}

/* Actions done and late among an inspection's (or one area's: finding_id
 * > 0) actions. */
typedef struct {
    size_t total, done, late;
} action_counts;

static action_counts count_actions(const app_inspection_view *v, int64_t finding_id,
                                   date_t today)
{
    action_counts c = {0};
    for (size_t i = 0; i < v->n_actions; i++) {
        const store_action *a = &v->actions[i];
        if (finding_id > 0 && a->finding_id != finding_id)
            continue;
        c.total++;
        c.done += a->status == INSP_ACT_DONE;
        c.late += insp_action_late(a->status, a->due_on, today);
    }
    return c;
}

static int plan_summary(web_request *req, buf *b, const app_inspection_view *v)
{
    action_counts c = count_actions(v, 0, req->today);
    return html_fmt(b, "<h2 class=\"govuk-heading-m\">Improvement plan</h2>\n"
                       "<p class=\"govuk-body\">%zu action%s: %zu done, %zu late. "
                       "<a class=\"govuk-link\" href=\"/inspections/%lld/plan\">Open the "
                       "improvement plan</a> or <a class=\"govuk-link\" "
                       "href=\"/inspections/%lld/progress\">see progress for the board</a></p>\n",
                    c.total, c.total == 1 ? "" : "s", c.done, c.late, (long long)v->i.id,
                    (long long)v->i.id);
}

static int render_inspection(web_request *req, web_response *res, const app_inspection_view *v,
                             int status, const web_form *values, const pages_errors *errs)
{
    html_page pg = {.title = arena_printf(req->a, "Inspection published %s",
                                          pages_date_short(req->a, v->i.published_on)),
                    .nav = "inspections", .back_href = "/inspections",
                    .has_errors = errs->n > 0};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &pg);
    const char *done = web_query(req, "recorded");
    if (rc == SH_OK && done && strcmp(done, "inspection") == 0)
        rc = pages_success_banner(b, "Inspection recorded");
    else if (rc == SH_OK && done && strcmp(done, "finding") == 0)
        rc = pages_recorded_banner(b, "Finding");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = text_row(b, "Framework", insp_framework_label(v->i.framework));
    if (rc == SH_OK)
        rc = row_open(b, "Outcome");
    if (rc == SH_OK)
        rc = outcome_tag(b, v->i.outcome);
    if (rc == SH_OK)
        rc = row_close(b);
    if (rc == SH_OK)
        rc = date_row(b, "Inspection started", v->i.started_on, "");
    if (rc == SH_OK)
        rc = date_row(b, "Fieldwork ended", v->i.ended_on, "");
    if (rc == SH_OK)
        rc = date_row(b, "Report published", v->i.published_on, "");
    if (rc == SH_OK && v->i.framework == INSP_FW_2016 && v->i.outcome == INSP_OUT_2016_WSOA)
        rc = date_row(b, "Written statement accepted", v->i.accepted_on, "Not yet");
    if (rc == SH_OK)
        rc = html_fmt(b, "</dl>\n");
    if (rc == SH_OK)
        rc = what_next(b, v);
    if (rc == SH_OK)
        rc = plan_summary(req, b, v);
    if (rc == SH_OK)
        rc = findings_list(b, v);
    if (rc == SH_OK && access_can(&req->who, CAN_RECORD_INSPECTIONS))
        rc = finding_form(req, b, v, values, errs);
    return pages_end(req, res, rc);
}

typedef int (*inspection_render_fn)(web_request *req, web_response *res,
                                    const app_inspection_view *v, int status,
                                    const web_form *values, const pages_errors *errs);

/* The GET of one of an inspection's pages (params[0]): the inspection as the
 * person may see it, and the page's form empty but for its date field, which
 * starts at today (NULL: no such field). */
static int show(web_request *req, web_response *res, inspection_render_fn render,
                const char *today_field)
{
    app_inspection_view v;
    app_error err = {0};
    if (app_inspection_get(req->db, &req->who, req->params[0], req->a, &v, &err))
        return pages_fail(req, res, err.rc);
    web_form values = {0};
    if (today_field)
        pages_date_set(&values, req->a, today_field, req->today);
    pages_errors errs = {0};
    return render(req, res, &v, 200, &values, &errs);
}

int page_inspection(web_request *req, web_response *res)
{
    return show(req, res, render_inspection, NULL);
}

/* The start of every post that changes an inspection or its plan: the
 * right to record, the form, the inspection in params[0]. Renders the error
 * page and returns the rc on failure. */
static int recording_post(web_request *req, web_response *res, web_form *f,
                          app_inspection_view *v)
{
    if (!access_can(&req->who, CAN_RECORD_INSPECTIONS))
        return pages_fail(req, res, SH_EDENIED);
    int rc = pages_form(req, f);
    if (rc)
        return pages_fail(req, res, rc);
    app_error err = {0};
    if (app_inspection_get(req->db, &req->who, req->params[0], req->a, v, &err))
        return pages_fail(req, res, err.rc);
    return SH_OK;
}

/* The inspection's areas to improve (not strengths) as select options by
 * finding id; how many. */
static size_t area_options(web_request *req, const app_inspection_view *v,
                           pages_option out[STORE_FINDINGS_MAX])
{
    size_t n = 0;
    for (size_t i = 0; i < v->n_findings; i++)
        if (v->findings[i].kind != INSP_FIND_STRENGTH)
            out[n++] = (pages_option){arena_printf(req->a, "%lld", (long long)v->findings[i].id),
                                      v->findings[i].title, NULL};
    return n;
}

static bool has_finding(const app_inspection_view *v, int64_t id)
{
    for (size_t i = 0; i < v->n_findings; i++)
        if (v->findings[i].id == id)
            return true;
    return false;
}

int page_inspection_finding_add(web_request *req, web_response *res)
{
    app_inspection_view v;
    app_error err = {0};
    web_form f;
    int rc = recording_post(req, res, &f, &v);
    if (rc)
        return rc;
    pages_errors errs = {0};
    store_finding fd = {.inspection_id = v.i.id,
                        .title = pages_trim(req->a, form_get(&f, "title")),
                        .wording = pages_trim(req->a, form_get(&f, "wording"))};
    if (insp_finding_parse(form_get(&f, "kind"), &fd.kind))
        pages_errors_add(&errs, "kind", "Select the kind of finding");
    if (!fd.title[0])
        pages_errors_add(&errs, "title", "Enter the area");
    if (!fd.wording[0])
        pages_errors_add(&errs, "wording", "Enter the report's wording");
    if (errs.n == 0 && app_inspection_finding_add(req->db, &req->who, &fd, &err) &&
        !pages_refused(req, &err, err.field ? err.field : "title", &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n)
        return render_inspection(req, res, &v, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/inspections/%lld?recorded=finding",
                                            (long long)v.i.id));
}

/* ---- the improvement plan -------------------------------------------------------- */

/* The RAG tag of an action's status, and "Late" after it when it is. */
static int status_tags(web_request *req, buf *b, insp_action_status st, date_t due)
{
    static const char *const rag_class[] = {
        [INSP_RAG_NONE] = "govuk-tag--grey", [INSP_RAG_GREEN] = "govuk-tag--green",
        [INSP_RAG_AMBER] = "govuk-tag--yellow", [INSP_RAG_RED] = "govuk-tag--red",
        [INSP_RAG_DONE] = "govuk-tag--blue",
    };
    int rc = html_fmt(b, "<strong class=\"govuk-tag %s\">%s</strong>",
                      rag_class[insp_action_rag(st)], insp_action_label(st));
    if (rc == SH_OK && insp_action_late(st, due, req->today))
        rc = html_fmt(b, " %r", html_status_tag("late"));
    return rc;
}

/* "Mar 2026" for the month of d. */
static const char *month_label(web_request *req, date_t d)
{
    const char *s = pages_date_short(req->a, d); /* "9 Mar 2026" */
    const char *sp = s ? strchr(s, ' ') : NULL;
    return sp ? sp + 1 : "";
}

/* "46.5%" or "12.3 weeks" from tenths; "none" for -1. */
static const char *measure_value(web_request *req, const store_measure *ms, int x10)
{
    if (x10 < 0)
        return "none";
    return arena_printf(req->a, insp_measure_in_weeks(ms->measure) ? "%d.%d weeks" : "%d.%d%%",
                        x10 / 10, x10 % 10);
}

/* "% of new EHC plans issued within 20 weeks", "Autism assessment (under
 * 18) wait, median (weeks)". */
static const char *measure_label(web_request *req, const store_measure *ms)
{
    if (!insp_measure_in_weeks(ms->measure))
        return insp_measure_label(ms->measure);
    return arena_printf(req->a, "%s wait, median (weeks)",
                        ms->pathway_name ? ms->pathway_name : "Pathway");
}

/* The line expects this at the end of the month starting `first`. */
static int expected_x10(const insp_trajectory *t, date_t first)
{
    double v = insp_trajectory_expected(t, date_add_months(first, 1) - 1);
    return (int)(v * 10 + 0.5);
}

/* The measure's months against its line as a chart: the actual values
 * and the line's expectation at each month's end (the table beside it has
 * the same numbers). */
static int measure_chart(web_request *req, buf *b, const store_measure *ms,
                         const app_measure_months *mm, const insp_trajectory *t)
{
    size_t skip = mm->n > CHART_POINTS_MAX ? mm->n - CHART_POINTS_MAX : 0, n = mm->n - skip;
    chart_point *pts = arena_calloc(req->a, n ? n : 1, sizeof *pts);
    double *line = arena_calloc(req->a, n ? n : 1, sizeof *line);
    if (!pts || !line)
        return SH_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        int v = mm->value[skip + k];
        pts[k] = (chart_point){month_label(req, mm->first[skip + k]), v < 0 ? -1 : v / 10.0};
        line[k] = expected_x10(t, mm->first[skip + k]) / 10.0;
    }
    bool weeks = insp_measure_in_weeks(ms->measure);
    const char *label = measure_label(req, ms);
    chart_spec spec = {
        .id = arena_printf(req->a, "measure-%lld-chart", (long long)ms->id),
        .title = arena_printf(req->a, "%s against its line to the target", label),
        .desc = arena_printf(req->a,
                             "Line chart of the measure at the end of each month since the "
                             "baseline (%s), and the straight line from the baseline to the "
                             "target (%s by %s), dashed. %s The same figures are in the table "
                             "\"Month by month\".",
                             measure_value(req, ms, ms->baseline_x10),
                             measure_value(req, ms, ms->target_x10),
                             pages_date_short(req->a, ms->target_on),
                             weeks ? "Lower is better." : "Higher is better."),
        .x_label = "Month",
        .y_label = weeks ? "Weeks" : "Percent",
        .percent = !weeks,
        .pts = pts, .n = n, .second = line,
        .first_name = "Actual", .second_name = "Line to the target",
    };
    return chart_line(b, &spec);
}

static int measure_rows(web_request *req, buf *b, const app_inspection_view *v,
                        const app_measure_months *series, const store_finding *fd)
{
    int rc = SH_OK;
    for (size_t i = 0; rc == SH_OK && i < v->n_measures; i++) {
        const store_measure *ms = &v->measures[i];
        if (ms->finding_id != fd->id)
            continue;
        insp_trajectory t = app_measure_trajectory(ms);
        const app_measure_months *mm = &series[i];
        const char *label = measure_label(req, ms);
        rc = html_fmt(b, "<h3 class=\"govuk-heading-s\">%s</h3>\n<dl class=\"govuk-summary-list\">\n",
                      label);
        if (rc == SH_OK)
            rc = text_row(b, "Baseline", arena_printf(req->a, "%s in %s",
                                                      measure_value(req, ms, ms->baseline_x10),
                                                      month_label(req, ms->baseline_on)));
        if (rc == SH_OK)
            rc = text_row(b, "Target", arena_printf(req->a, "%s by %s",
                                                    measure_value(req, ms, ms->target_x10),
                                                    pages_date_short(req->a, ms->target_on)));
        if (rc == SH_OK && mm->latest < 0)
            rc = text_row(b, "Latest", "No complete month with figures since the baseline yet");
        if (rc == SH_OK && mm->latest >= 0) {
            date_t month = mm->first[mm->latest];
            int got = mm->value[mm->latest], want = expected_x10(&t, month);
            insp_track track = insp_trajectory_track(&t, date_add_months(month, 1) - 1, got / 10.0);
            insp_move move = insp_trajectory_move(&t, ms->baseline_x10 / 10.0, got / 10.0);
            rc = text_row(b, "Latest", arena_printf(req->a, "%s in %s (the line expects %s)",
                                                    measure_value(req, ms, got),
                                                    month_label(req, month),
                                                    measure_value(req, ms, want)));
            if (rc == SH_OK)
                rc = row_open(b, "Trajectory");
            if (rc == SH_OK)
                rc = html_fmt(b, "<strong class=\"govuk-tag %s\">%s</strong> %s since the baseline",
                              track == INSP_TRACK_ON ? "govuk-tag--green" : "govuk-tag--red",
                              insp_track_label(track), insp_move_label(move));
            if (rc == SH_OK)
                rc = row_close(b);
        }
        if (rc == SH_OK)
            rc = html_fmt(b, "</dl>\n");
        if (rc == SH_OK && mm->n > 0)
            rc = measure_chart(req, b, ms, mm, &t);
        if (rc == SH_OK && mm->n > 0)
            rc = html_fmt(b, "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\">"
                             "<span class=\"govuk-details__summary-text\">Month by month</span></summary>"
                             "<div class=\"govuk-details__text\"><div class=\"sendhub-table-wrap\" "
                             "role=\"region\" aria-label=\"%s, month by month\" tabindex=\"0\">"
                             "<table class=\"govuk-table\"><caption class=\"govuk-visually-hidden\">%s, "
                             "month by month</caption><thead class=\"govuk-table__head\"><tr "
                             "class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">"
                             "Month</th><th scope=\"col\" class=\"govuk-table__header "
                             "govuk-table__header--numeric\">Actual</th><th scope=\"col\" "
                             "class=\"govuk-table__header govuk-table__header--numeric\">Expected</th>"
                             "</tr></thead><tbody class=\"govuk-table__body\">\n",
                          label, label);
        for (size_t k = 0; rc == SH_OK && k < mm->n; k++)
            rc = html_fmt(b, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
                             "class=\"govuk-table__header\">%s</th><td class=\"govuk-table__cell "
                             "govuk-table__cell--numeric\">%s</td><td class=\"govuk-table__cell "
                             "govuk-table__cell--numeric\">%s</td></tr>\n",
                          month_label(req, mm->first[k]), measure_value(req, ms, mm->value[k]),
                          measure_value(req, ms, expected_x10(&t, mm->first[k])));
        if (rc == SH_OK && mm->n > 0)
            rc = html_fmt(b, "</tbody></table></div></div></details>\n");
    }
    return rc;
}

static int actions_table(web_request *req, buf *b, const app_inspection_view *v,
                         const store_finding *fd)
{
    action_counts c = count_actions(v, fd->id, req->today);
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\"><span class=\"govuk-caption-m\">%s"
                         "</span>%s</h2>\n",
                      insp_finding_label(fd->kind), fd->title);
    if (rc == SH_OK && c.total == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No action is planned for this area yet.</p>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">%zu of %zu done, %zu late.</p>\n"
                         "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Actions for %s\" "
                         "tabindex=\"0\"><table class=\"govuk-table\">\n"
                         "<caption class=\"govuk-visually-hidden\">Actions for %s</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                         "<th scope=\"col\" class=\"govuk-table__header\">Action</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Owner</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Start</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Due</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Status</th>"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      c.done, c.total, c.late, fd->title, fd->title);
    for (size_t i = 0; rc == SH_OK && i < v->n_actions; i++) {
        const store_action *a = &v->actions[i];
        if (a->finding_id != fd->id)
            continue;
        rc = html_fmt(b, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">"
                         "<a class=\"govuk-link\" href=\"/inspections/%lld/actions/%lld\">%s</a>"
                         "</td><td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">"
                         "%s</span></td><td class=\"govuk-table__cell\">%s</td>"
                         "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
                      (long long)v->i.id, (long long)a->id, a->title, a->owner_name,
                      insp_org_label(a->owner_org), pages_date_short(req->a, a->start_on),
                      pages_date_short(req->a, a->due_on));
        if (rc == SH_OK)
            rc = status_tags(req, b, a->status, a->due_on);
        if (rc == SH_OK)
            rc = html_fmt(b, "</td></tr>\n");
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "</tbody>\n</table></div>\n");
    return rc;
}

static int action_form(web_request *req, buf *b, const app_inspection_view *v,
                       const web_form *values, const pages_errors *errs)
{
    pages_option areas[STORE_FINDINGS_MAX];
    size_t n = area_options(req, v, areas);
    if (n == 0)
        return html_fmt(b, "<p class=\"govuk-body\">Add the report's areas to improve to the "
                           "inspection first: actions are planned under them.</p>\n");
    pages_option orgs[INSP_ORG_COUNT];
    for (int o = 0; o < INSP_ORG_COUNT; o++)
        orgs[o] = (pages_option){insp_org_name((insp_org)o), insp_org_label((insp_org)o), NULL};
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Add an action</h2>\n"
                         "<form method=\"post\" action=\"/inspections/%lld/actions\" novalidate>\n",
                      (long long)v->i.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_select(b, "finding_id", "Area the action is for", NULL, areas, n,
                          form_get(values, "finding_id"), errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "title", .label = "Action",
                                                .value = form_get(values, "title")},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "owner_name", .label = "Owner",
                                                .hint = "The person responsible, by name or role",
                                                .value = form_get(values, "owner_name"),
                                                .classes = "govuk-input--width-20"},
                         errs);
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "owner_org",
                                                  .legend = "Owner's organisation",
                                                  .opts = orgs, .n = INSP_ORG_COUNT,
                                                  .small = true,
                                                  .checked = form_get(values, "owner_org")},
                          errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "start_on", "Start", NULL, values, errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "due_on", "Due", NULL, values, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Add the action</button>\n</form>\n");
    return rc;
}

/* The measures a plan can link: the dashboard's rates, then each of the
 * area's pathways' median wait ("wait_median:<pathway id>"). */
static size_t measure_options(web_request *req, pages_option *out, size_t cap)
{
    size_t n = 0;
    for (int k = 0; k < INSP_M_COUNT && n < cap; k++)
        if (!insp_measure_in_weeks((insp_measure)k))
            out[n++] = (pages_option){insp_measure_name((insp_measure)k),
                                      insp_measure_label((insp_measure)k), NULL};
    store_pathway *p = NULL;
    size_t np = 0;
    app_error err = {0};
    if (app_health_pathways(req->db_read, &req->who, req->a, &p, &np, &err) != SH_OK)
        return n; /* a role without the pathways links rates only */
    for (size_t i = 0; i < np && n < cap; i++) {
        store_measure ms = {.measure = INSP_M_WAIT_MEDIAN, .pathway_name = p[i].name};
        out[n++] = (pages_option){
            arena_printf(req->a, "%s:%lld", insp_measure_name(INSP_M_WAIT_MEDIAN),
                         (long long)p[i].id),
            measure_label(req, &ms), i == 0 ? "Lower is better: the target is below the baseline"
                                            : NULL};
    }
    return n;
}

#define MEASURE_OPTIONS_MAX (INSP_M_COUNT + HEALTH_WAITING_ROWS_MAX)

static int measure_form(web_request *req, buf *b, const app_inspection_view *v,
                        const web_form *values, const pages_errors *errs)
{
    pages_option areas[STORE_FINDINGS_MAX];
    size_t n = area_options(req, v, areas);
    if (n == 0)
        return SH_OK;
    pages_option kinds[MEASURE_OPTIONS_MAX];
    size_t nk = measure_options(req, kinds, MEASURE_OPTIONS_MAX);
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Link a measure</h2>\n"
                         "<p class=\"govuk-body\">A figure from the performance dashboard or a "
                         "waiting list, month by month. Its baseline is its value in the month "
                         "you choose.</p>\n"
                         "<form method=\"post\" action=\"/inspections/%lld/measures\" novalidate>\n",
                      (long long)v->i.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_select(b, "m_finding", "Area the measure is for", NULL, areas, n,
                          form_get(values, "m_finding"), errs);
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "measure", .legend = "Measure",
                                                  .opts = kinds, .n = nk, .small = true,
                                                  .checked = form_get(values, "measure")},
                          errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "baseline_on", "Baseline month",
                              "Any day of the month, for example 1 7 2026", values, errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "target", .label = "Target",
                                                .hint = "In percent for a rate (for example 60 "
                                                        "or 62.5), in weeks for a wait (for "
                                                        "example 18)",
                                                .value = form_get(values, "target"),
                                                .classes = "govuk-input--width-4",
                                                .inputmode = "decimal"},
                         errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "target_on", "Target date", NULL, values, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Link the measure</button>\n</form>\n");
    return rc;
}

/* Starts the plan or progress page of an inspection: its measures month
 * by month (*series, NULL without measures) and the page frame
 * with a link back to the inspection. *failed: the figures could not be
 * read and the error page is rendered (return the rc); otherwise the rc is
 * pages_begin's, for the page to carry on with. */
static int inspection_subpage(web_request *req, web_response *res, const app_inspection_view *v,
                              const char *title, int status, const pages_errors *errs,
                              const app_measure_months **series, bool *failed)
{
    app_error err = {0};
    app_measure_months *mm = NULL;
    *failed = app_measure_series(req->db_read, &req->who, v, req->today, req->now, req->a, &mm,
                                 &err) != SH_OK;
    *series = mm;
    if (*failed)
        return pages_fail(req, res, err.rc);
    html_page pg = {.title = title, .nav = "inspections",
                    .back_href = arena_printf(req->a, "/inspections/%lld", (long long)v->i.id),
                    .has_errors = errs->n > 0};
    return pages_begin(req, res, status, &pg);
}

static int render_plan(web_request *req, web_response *res, const app_inspection_view *v,
                       int status, const web_form *values, const pages_errors *errs)
{
    const app_measure_months *m = NULL;
    bool failed;
    int rc = inspection_subpage(req, res, v, "Improvement plan", status, errs, &m, &failed);
    if (failed)
        return rc;
    buf *b = &res->body;
    const char *done = web_query(req, "recorded");
    if (rc == SH_OK && done && strcmp(done, "action") == 0)
        rc = pages_recorded_banner(b, "Action");
    else if (rc == SH_OK && done && strcmp(done, "measure") == 0)
        rc = pages_success_banner(b, "Measure linked");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    action_counts c = count_actions(v, 0, req->today);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">After the inspection published %D (%s). "
                         "%zu action%s: %zu done, %zu late.</p>\n",
                      v->i.published_on, insp_outcome_label(v->i.outcome), c.total,
                      c.total == 1 ? "" : "s", c.done, c.late);
    for (size_t i = 0; rc == SH_OK && i < v->n_findings; i++)
        if (v->findings[i].kind != INSP_FIND_STRENGTH) {
            rc = actions_table(req, b, v, &v->findings[i]);
            if (rc == SH_OK && m)
                rc = measure_rows(req, b, v, m, &v->findings[i]);
        }
    if (rc == SH_OK && access_can(&req->who, CAN_RECORD_INSPECTIONS))
        rc = action_form(req, b, v, values, errs);
    if (rc == SH_OK && access_can(&req->who, CAN_RECORD_INSPECTIONS))
        rc = measure_form(req, b, v, values, errs);
    return pages_end(req, res, rc);
}

int page_inspection_plan(web_request *req, web_response *res)
{
    return show(req, res, render_plan, "start_on");
}

/* A whole-number id typed into a form, or 0. */
static int64_t form_id(const char *s)
{
    int64_t v = 0;
    if (!s || !s[0] || strlen(s) > 15)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

int page_inspection_action_add(web_request *req, web_response *res)
{
    app_inspection_view v;
    app_error err = {0};
    web_form f;
    int rc = recording_post(req, res, &f, &v);
    if (rc)
        return rc;
    pages_errors errs = {0};
    store_action a = {.finding_id = form_id(form_get(&f, "finding_id")),
                      .title = pages_trim(req->a, form_get(&f, "title")),
                      .owner_name = pages_trim(req->a, form_get(&f, "owner_name"))};
    if (!has_finding(&v, a.finding_id))
        pages_errors_add(&errs, "finding_id", "Select the area the action is for");
    if (!a.title[0])
        pages_errors_add(&errs, "title", "Enter the action");
    if (!a.owner_name[0])
        pages_errors_add(&errs, "owner_name", "Enter the owner");
    if (insp_org_parse(form_get(&f, "owner_org"), &a.owner_org))
        pages_errors_add(&errs, "owner_org", "Select the owner's organisation");
    pages_date_read(&f, "start_on", "the start date", true, req->a, &a.start_on, &errs);
    pages_date_read(&f, "due_on", "the due date", true, req->a, &a.due_on, &errs);
    if (errs.n == 0 && app_action_add(req->db, &req->who, &a, &err) &&
        !pages_refused(req, &err, form_field(req, err.field, "title"), &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n)
        return render_plan(req, res, &v, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/inspections/%lld/plan?recorded=action",
                                            (long long)v.i.id));
}

/* ---- one action -------------------------------------------------------------------- */

/* An action's page: the action, its updates (latest first) and its
 * comments (oldest first). */
typedef struct {
    store_action a;
    store_action_update *ups;
    size_t n;
    store_insp_comment *comments;
    size_t n_comments;
} action_page;

/* Loads the action in params[1] of the inspection in params[0] (another
 * inspection's action is not found). Renders the error page on failure. */
static int load_action(web_request *req, web_response *res, action_page *p)
{
    app_error err = {0};
    if (app_action_get(req->db, &req->who, req->params[1], req->a, &p->a, &p->ups, &p->n, &err) ||
        app_action_comments(req->db, &req->who, req->params[1], req->a, &p->comments,
                            &p->n_comments, &err))
        return pages_fail(req, res, err.rc);
    if (p->a.inspection_id != req->params[0])
        return pages_fail(req, res, SH_ENOTFOUND);
    return SH_OK;
}

/* Who wrote a comment, as the plan shows it: "Name, Organisation (Role)",
 * the organisation left out when the account had none. */
static const char *comment_author(web_request *req, const store_insp_comment *c)
{
    int role = access_role_parse(c->author_role);
    const char *label = role >= 0 ? access_role_label((app_role)role) : c->author_role;
    return c->organisation[0]
               ? arena_printf(req->a, "%s, %s (%s)", c->author_name, c->organisation, label)
               : arena_printf(req->a, "%s (%s)", c->author_name, label);
}

/* One comment; `action_link`: the action it is on, for the progress page. */
static int comment_item(web_request *req, buf *b, const store_insp_comment *c,
                        int64_t inspection_id, bool action_link)
{
    int rc = html_fmt(b, "<li class=\"govuk-inset-text govuk-!-margin-top-2\">\n");
    if (rc == SH_OK && action_link)
        rc = html_fmt(b, "<p class=\"govuk-body-s govuk-!-margin-bottom-1\">On <a "
                         "class=\"govuk-link\" href=\"/inspections/%lld/actions/%lld#comments\">"
                         "%s</a></p>\n",
                      (long long)inspection_id, (long long)c->action_id, c->action_title);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body-s govuk-!-margin-bottom-1\"><strong>%s</strong>, "
                         "%D</p>\n<p class=\"govuk-body sendhub-pre-line\">%s</p>\n</li>\n",
                      comment_author(req, c), (date_t)(c->created_at / 86400), c->body);
    return rc;
}

static int comments_list(web_request *req, buf *b, const store_insp_comment *cs, size_t n,
                         int64_t inspection_id, bool action_link)
{
    int rc = html_fmt(b, "<ol class=\"govuk-list\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = comment_item(req, b, &cs[i], inspection_id, action_link);
    return rc ? rc : html_fmt(b, "</ol>\n");
}

/* The action's comments and, for those who may comment, the form: the
 * forum comments, the council replies. */
static int comments_section(web_request *req, buf *b, const action_page *p,
                            const web_form *values, const pages_errors *errs)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"comments\">Comments from the "
                         "parent carer forum, and replies</h2>\n");
    if (rc == SH_OK && p->n_comments == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No comment yet.</p>\n");
    else if (rc == SH_OK)
        rc = comments_list(req, b, p->comments, p->n_comments, p->a.inspection_id, false);
    if (rc != SH_OK || !access_can(&req->who, CAN_COMMENT_PLANS))
        return rc;
    bool forum = req->who.role == ROLE_FORUM;
    rc = html_fmt(b, "<form method=\"post\" action=\"/inspections/%lld/actions/%lld/comments\" "
                     "novalidate>\n",
                  (long long)p->a.inspection_id, (long long)p->a.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_textarea(b, "comment", forum ? "Your comment" : "Your reply",
                            forum ? "What families say about this action and its progress. "
                                    "Do not name a child or family."
                                  : "Your reply is shown with your name to the forum.",
                            form_get(values, "comment"), 4, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">%s</button>\n</form>\n",
                      forum ? "Add your comment" : "Reply");
    return rc;
}

static int render_action(web_request *req, web_response *res, const action_page *p, int status,
                         const web_form *values, const pages_errors *errs)
{
    const store_action *a = &p->a;
    const store_action_update *ups = p->ups;
    size_t n = p->n;
    html_page pg = {.title = a->title, .nav = "inspections",
                    .back_href = arena_printf(req->a, "/inspections/%lld/plan",
                                              (long long)a->inspection_id),
                    .has_errors = errs->n > 0};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &pg);
    const char *done = web_query(req, "recorded");
    if (rc == SH_OK && done && strcmp(done, "update") == 0)
        rc = pages_recorded_banner(b, "Update");
    else if (rc == SH_OK && done && strcmp(done, "comment") == 0)
        rc = pages_success_banner(b, "Comment added");
    else if (rc == SH_OK && done && strcmp(done, "document") == 0)
        rc = pages_success_banner(b, "Document added");
    else if (rc == SH_OK && done && strcmp(done, "withdrawn") == 0)
        rc = pages_success_banner(b, "Document withdrawn");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = text_row(b, "Owner", arena_printf(req->a, "%s (%s)", a->owner_name,
                                               insp_org_label(a->owner_org)));
    if (rc == SH_OK)
        rc = date_row(b, "Start", a->start_on, "");
    if (rc == SH_OK)
        rc = date_row(b, "Due", a->due_on, "");
    if (rc == SH_OK)
        rc = row_open(b, "Status");
    if (rc == SH_OK)
        rc = status_tags(req, b, a->status, a->due_on);
    if (rc == SH_OK)
        rc = html_fmt(b, "</dd></div>\n</dl>\n<h2 class=\"govuk-heading-m\">Updates and "
                         "evidence</h2>\n");
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No update yet.</p>\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        rc = html_fmt(b, "<div class=\"govuk-inset-text\"><p class=\"govuk-body "
                         "govuk-!-font-weight-bold\">%D: ",
                      ups[i].dated_on);
        if (rc == SH_OK)
            rc = status_tags(req, b, ups[i].status, DATE_NONE);
        if (rc == SH_OK)
            rc = html_fmt(b, "</p><p class=\"govuk-body sendhub-pre-line\">%s</p>"
                             "<p class=\"govuk-body-s\">By %s</p></div>\n",
                          ups[i].note, ups[i].created_by);
    }
    if (rc == SH_OK)
        rc = pages_insp_evidence(req, b, a);
    if (rc == SH_OK && access_can(&req->who, CAN_RECORD_INSPECTIONS)) {
        pages_option st[INSP_ACT_COUNT];
        for (int k = 0; k < INSP_ACT_COUNT; k++)
            st[k] = (pages_option){insp_action_name((insp_action_status)k),
                                   insp_action_label((insp_action_status)k), NULL};
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Add an update</h2>\n<form method=\"post\" "
                         "action=\"/inspections/%lld/actions/%lld/updates\" novalidate>\n",
                      (long long)a->inspection_id, (long long)a->id);
        if (rc == SH_OK)
            rc = pages_csrf_input(b, req);
        if (rc == SH_OK)
            rc = pages_date_input(b, "dated_on", "Date", NULL, values, errs);
        if (rc == SH_OK)
            rc = pages_radios(b, &(pages_radios_spec){.name = "status", .legend = "Status",
                                                      .opts = st, .n = INSP_ACT_COUNT,
                                                      .small = true,
                                                      .checked = form_get(values, "status")},
                              errs);
        if (rc == SH_OK)
            rc = pages_textarea(b, "note", "What has happened, and the evidence",
                                "Say what was done and where the evidence is (a document, a "
                                "report to the board)",
                                form_get(values, "note"), 5, errs);
        if (rc == SH_OK)
            rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                             "data-module=\"govuk-button\">Add the update</button>\n</form>\n");
    }
    if (rc == SH_OK)
        rc = comments_section(req, b, p, values, errs);
    return pages_end(req, res, rc);
}

/* The update form's starting values: today, the action's status. */
static void update_defaults(web_request *req, web_form *values, const store_action *a)
{
    pages_date_set(values, req->a, "dated_on", req->today);
    pages_form_set(values, "status", insp_action_name(a->status));
}

int page_inspection_action(web_request *req, web_response *res)
{
    action_page p;
    int rc = load_action(req, res, &p);
    if (rc)
        return rc;
    web_form values = {0};
    update_defaults(req, &values, &p.a);
    pages_errors errs = {0};
    return render_action(req, res, &p, 200, &values, &errs);
}

/* The start of every post on one action: the capability, the form, the
 * action. Renders the error page and returns the rc on failure. */
static int action_post(web_request *req, web_response *res, access_capability cap, web_form *f,
                       action_page *p)
{
    if (!access_can(&req->who, cap))
        return pages_fail(req, res, SH_EDENIED);
    int rc = pages_form(req, f);
    if (rc)
        return pages_fail(req, res, rc);
    return load_action(req, res, p);
}

int page_inspection_action_update(web_request *req, web_response *res)
{
    web_form f;
    action_page p;
    int rc = action_post(req, res, CAN_RECORD_INSPECTIONS, &f, &p);
    if (rc)
        return rc;
    const store_action *a = &p.a;
    pages_errors errs = {0};
    app_error err = {0};
    store_action_update u = {.action_id = a->id, .note = pages_trim(req->a, form_get(&f, "note"))};
    pages_date_read(&f, "dated_on", "the date of the update", true, req->a, &u.dated_on, &errs);
    if (insp_action_parse(form_get(&f, "status"), &u.status))
        pages_errors_add(&errs, "status", "Select the status");
    if (!u.note[0])
        pages_errors_add(&errs, "note", "Enter what has happened");
    if (errs.n == 0 && app_action_update(req->db, &req->who, &u, req->today, &err) &&
        !pages_refused(req, &err, form_field(req, err.field, "note"), &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n)
        return render_action(req, res, &p, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/inspections/%lld/actions/%lld?recorded=update",
                                            (long long)a->inspection_id, (long long)a->id));
}

int page_inspection_action_comment(web_request *req, web_response *res)
{
    web_form f;
    action_page p;
    int rc = action_post(req, res, CAN_COMMENT_PLANS, &f, &p);
    if (rc)
        return rc;
    pages_errors errs = {0};
    app_error err = {0};
    store_insp_comment c = {.action_id = p.a.id,
                            .body = pages_trim(req->a, form_get(&f, "comment"))};
    if (!c.body[0])
        pages_errors_add(&errs, "comment", req->who.role == ROLE_FORUM ? "Enter your comment"
                                                                        : "Enter your reply");
    if (errs.n == 0 &&
        app_action_comment_add(req->db, &req->who, &c, req->recorded_at, req->a, &err) &&
        !pages_refused(req, &err, "comment", &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n) {
        update_defaults(req, &f, &p.a);
        return render_action(req, res, &p, 422, &f, &errs);
    }
    return pages_redirect(res, arena_printf(req->a, "/inspections/%lld/actions/%lld?recorded="
                                                    "comment#comments",
                                            (long long)p.a.inspection_id, (long long)p.a.id));
}

/* A number typed with at most one decimal ("60", "62.5", "18"), in tenths;
 * -1 when it is not one. */
static int decimal_x10(const char *s)
{
    if (!s || !s[0] || strlen(s) > 5)
        return -1;
    int whole = 0, tenth = 0, digits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        whole = whole * 10 + (*p - '0');
    if (!digits)
        return -1;
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9' || p[2])
            return -1;
        tenth = p[1] - '0';
    } else if (*p) {
        return -1;
    }
    return whole * 10 + tenth;
}

/* The form's measure: a rate's name, or "wait_median:<pathway id>". */
static int measure_parse(const char *s, store_measure *m)
{
    const char *wait = insp_measure_name(INSP_M_WAIT_MEDIAN);
    size_t n = strlen(wait);
    if (s && strncmp(s, wait, n) == 0 && s[n] == ':') {
        m->measure = INSP_M_WAIT_MEDIAN;
        m->pathway_id = form_id(s + n + 1);
        return m->pathway_id > 0 ? SH_OK : SH_EINVAL;
    }
    return insp_measure_parse(s, &m->measure) == SH_OK && m->measure != INSP_M_WAIT_MEDIAN
               ? SH_OK
               : SH_EINVAL;
}

int page_inspection_measure_add(web_request *req, web_response *res)
{
    app_inspection_view v;
    app_error err = {0};
    web_form f;
    int rc = recording_post(req, res, &f, &v);
    if (rc)
        return rc;
    pages_errors errs = {0};
    store_measure m = {.finding_id = form_id(form_get(&f, "m_finding")),
                       .target_x10 = decimal_x10(pages_trim(req->a, form_get(&f, "target")))};
    if (!has_finding(&v, m.finding_id))
        pages_errors_add(&errs, "m_finding", "Select the area the measure is for");
    if (measure_parse(form_get(&f, "measure"), &m))
        pages_errors_add(&errs, "measure", "Select the measure");
    pages_date_read(&f, "baseline_on", "the baseline month", true, req->a, &m.baseline_on, &errs);
    if (m.target_x10 < 0 || m.target_x10 > insp_measure_max_x10(m.measure))
        pages_errors_add(&errs, "target",
                         insp_measure_in_weeks(m.measure)
                             ? "Enter the target as a number of weeks from 0 to 999.9"
                             : "Enter the target as a percentage from 0 to 100");
    pages_date_read(&f, "target_on", "the target date", true, req->a, &m.target_on, &errs);
    if (errs.n == 0 && app_measure_add(req->db, &req->who, &m, req->today, &err) &&
        !pages_refused(req, &err, form_field(req, err.field, "measure"), &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n)
        return render_plan(req, res, &v, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/inspections/%lld/plan?recorded=measure",
                                            (long long)v.i.id));
}

/* ---- progress for the board and the revisit ---------------------------------------- */

/* Measures of one area: how many have a complete month since the baseline,
 * how many of those are on track and how many are improving. */
typedef struct {
    size_t linked, read, on_track, improving;
} measure_counts;

static measure_counts count_measures(const app_inspection_view *v,
                                     const app_measure_months *series, int64_t finding_id)
{
    measure_counts c = {0};
    for (size_t i = 0; series && i < v->n_measures; i++) {
        const store_measure *ms = &v->measures[i];
        const app_measure_months *mm = &series[i];
        if (ms->finding_id != finding_id)
            continue;
        c.linked++;
        if (mm->latest < 0)
            continue;
        insp_trajectory t = app_measure_trajectory(ms);
        date_t month = mm->first[mm->latest];
        double got = mm->value[mm->latest] / 10.0;
        c.read++;
        c.on_track += insp_trajectory_track(&t, date_add_months(month, 1) - 1, got) ==
                      INSP_TRACK_ON;
        c.improving += insp_trajectory_move(&t, t.baseline, got) == INSP_MOVE_BETTER;
    }
    return c;
}

static int progress_table(web_request *req, buf *b, const app_inspection_view *v,
                          const app_measure_months *m)
{
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Progress "
                         "by area\" tabindex=\"0\"><table class=\"govuk-table\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">Progress "
                         "by area</caption>\n<thead class=\"govuk-table__head\"><tr "
                         "class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">"
                         "Area</th><th scope=\"col\" class=\"govuk-table__header\">Actions done</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Actions late</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Measures on track</th>"
                         "<th scope=\"col\" class=\"govuk-table__header\">Measures improving</th>"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < v->n_findings; i++) {
        const store_finding *fd = &v->findings[i];
        if (fd->kind == INSP_FIND_STRENGTH)
            continue;
        action_counts a = count_actions(v, fd->id, req->today);
        measure_counts c = count_measures(v, m, fd->id);
        rc = html_fmt(b, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
                         "class=\"govuk-table__header\">%s<br><span class=\"govuk-body-s\">%s</span>"
                         "</th><td class=\"govuk-table__cell\">%zu of %zu</td>"
                         "<td class=\"govuk-table__cell\">%zu</td><td class=\"govuk-table__cell\">%s"
                         "</td><td class=\"govuk-table__cell\">%s</td></tr>\n",
                      fd->title, insp_finding_label(fd->kind), a.done, a.total, a.late,
                      c.linked == 0 ? "No measure linked"
                      : c.read == 0 ? "No figures yet"
                                    : arena_printf(req->a, "%zu of %zu", c.on_track, c.read),
                      c.read == 0 ? "" : arena_printf(req->a, "%zu of %zu", c.improving, c.read));
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "</tbody>\n</table></div>\n");
    return rc;
}

static int judgements_list(buf *b, const app_inspection_view *v)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The board's judgements</h2>\n");
    if (rc == SH_OK && v->n_judgements == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">The board has not recorded a judgement yet.</p>\n");
    for (size_t i = 0; rc == SH_OK && i < v->n_judgements; i++) {
        const store_judgement *j = &v->judgements[i];
        rc = html_fmt(b, "<div class=\"govuk-inset-text\"><p class=\"govuk-body "
                         "govuk-!-font-weight-bold\">%D: <strong class=\"govuk-tag %s\">%s</strong>"
                         "</p><p class=\"govuk-body sendhub-pre-line\">%s</p><p class=\"govuk-body-s\">"
                         "Recorded by %s</p></div>\n",
                      j->judged_on, j->sufficient ? "govuk-tag--green" : "govuk-tag--red",
                      j->sufficient ? "Sufficient progress" : "Insufficient progress", j->reasons,
                      j->created_by);
    }
    return rc;
}

static int judgement_form(web_request *req, buf *b, const app_inspection_view *v,
                          const web_form *values, const pages_errors *errs)
{
    static const pages_option verdicts[] = {
        {"yes", "Sufficient progress", NULL},
        {"no", "Insufficient progress", NULL},
    };
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Record the board's judgement</h2>\n"
                         "<form method=\"post\" action=\"/inspections/%lld/judgements\" "
                         "novalidate>\n",
                      (long long)v->i.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_date_input(b, "judged_on", "Date of the board meeting", NULL, values, errs);
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "sufficient", .legend = "Judgement",
                                                  .opts = verdicts, .n = 2, .small = true,
                                                  .checked = form_get(values, "sufficient")},
                          errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "reasons", "Reasons", "What the board saw: actions, measures, "
                                                     "what families and practitioners said",
                            form_get(values, "reasons"), 5, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Record the judgement</button>\n</form>\n");
    return rc;
}

/* The latest comments on the plan's actions, for the board beside its
 * figures: what the forum says, and the replies. */
static int plan_comments(web_request *req, buf *b, const app_inspection_view *v)
{
    store_insp_comment *cs;
    size_t n;
    app_error err = {0};
    int rc = app_plan_comments(req->db_read, &req->who, v->i.id, req->a, &cs, &n, &err);
    if (rc)
        return rc;
    rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">What the parent carer forum says</h2>\n");
    if (rc == SH_OK && n == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No comment on the plan's actions yet.</p>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">The latest %zu comment%s and replies on the "
                         "plan's actions, newest first.</p>\n",
                      n, n == 1 ? "" : "s");
    return rc ? rc : comments_list(req, b, cs, n, v->i.id, true);
}

static int render_progress(web_request *req, web_response *res, const app_inspection_view *v,
                           int status, const web_form *values, const pages_errors *errs)
{
    const app_measure_months *m = NULL;
    bool failed;
    int rc = inspection_subpage(req, res, v, "Progress for the board", status, errs, &m, &failed);
    if (failed)
        return rc;
    buf *b = &res->body;
    const char *done = web_query(req, "recorded");
    if (rc == SH_OK && done && strcmp(done, "judgement") == 0)
        rc = pages_recorded_banner(b, "Judgement");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">The improvement plan after the inspection "
                         "published %D, area by area, as of %D: for the partnership board and "
                         "for the %s. <a class=\"govuk-link\" href=\"/inspections/%lld/plan\">The "
                         "plan in full</a>.</p>\n",
                      v->i.published_on, req->today,
                      v->i.framework == INSP_FW_2016 ? "revisit" : "monitoring inspection",
                      (long long)v->i.id);
    if (rc == SH_OK)
        rc = progress_table(req, b, v, m);
    if (rc == SH_OK && m)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Measures against their line</h2>\n");
    for (size_t i = 0; rc == SH_OK && m && i < v->n_findings; i++)
        rc = measure_rows(req, b, v, m, &v->findings[i]);
    if (rc == SH_OK)
        rc = pages_insp_evidence_counts(req, b, v);
    if (rc == SH_OK)
        rc = judgements_list(b, v);
    if (rc == SH_OK)
        rc = plan_comments(req, b, v);
    if (rc == SH_OK && access_can(&req->who, CAN_RECORD_INSPECTIONS))
        rc = judgement_form(req, b, v, values, errs);
    return pages_end(req, res, rc);
}

int page_inspection_progress(web_request *req, web_response *res)
{
    return show(req, res, render_progress, "judged_on");
}

int page_inspection_judgement(web_request *req, web_response *res)
{
    app_inspection_view v;
    app_error err = {0};
    web_form f;
    int rc = recording_post(req, res, &f, &v);
    if (rc)
        return rc;
    pages_errors errs = {0};
    store_judgement j = {.inspection_id = v.i.id,
                         .reasons = pages_trim(req->a, form_get(&f, "reasons"))};
    pages_date_read(&f, "judged_on", "the date of the board meeting", true, req->a, &j.judged_on,
                    &errs);
    const char *verdict = form_get(&f, "sufficient");
    if (!verdict || (strcmp(verdict, "yes") != 0 && strcmp(verdict, "no") != 0))
        pages_errors_add(&errs, "sufficient", "Select the board's judgement");
    else
        j.sufficient = strcmp(verdict, "yes") == 0;
    if (!j.reasons[0])
        pages_errors_add(&errs, "reasons", "Enter the reasons");
    if (errs.n == 0 && app_judgement_record(req->db, &req->who, &j, req->today, &err) &&
        !pages_refused(req, &err, form_field(req, err.field, "reasons"), &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n)
        return render_progress(req, res, &v, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/inspections/%lld/progress?recorded=judgement",
                                            (long long)v.i.id));
}
