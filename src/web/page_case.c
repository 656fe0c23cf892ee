/*
 * page_case.c — a child's record: who they are, what is due on their EHC
 * journey and why, what has happened, and (for people who may record) the
 * form to record what happened next.
 *
 * Everything shown is derived from the event log by the engine as of today
 * (app_case_get): the stage, every open statutory step with its date, its
 * explanation and its legal basis, and which completed steps were met or
 * late. Corrections are shown, never hidden: a corrected entry stays in the
 * history, struck through, with the reason.
 */
#include <string.h>

#include "app/access.h"
#include "core/ident.h"
#include "util/err.h"
#include "web/pages.h"

/* One line of the history: an event, or a correction's replacement (which
 * carries the correction's id). */
typedef struct {
    const event *e;          /* what is shown */
    int64_t id;              /* the id a correction of it supersedes */
    const event *correction; /* for a replacement: the correction that made it */
    const event *superseded_by; /* a later correction of this entry, or NULL */
} history_item;

static const event *correction_of(const app_case_view *v, int64_t id)
{
    for (size_t i = 0; i < v->n_events; i++)
        if (v->events[i].type == EV_CORRECTION && v->events[i].supersedes == id)
            return &v->events[i];
    return NULL;
}

/* The history in date order (stable: log order within a day). A correction
 * that only removed an entry is shown on that entry, not as a line. */
static int build_history(web_request *req, const app_case_view *v, history_item **out,
                         size_t *n)
{
    history_item *h = arena_calloc(req->a, v->n_events ? v->n_events : 1, sizeof *h);
    if (!h)
        return SH_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < v->n_events; i++) {
        const event *e = &v->events[i];
        if (e->type == EV_CORRECTION && !e->replacement)
            continue;
        history_item it = {.e = e->type == EV_CORRECTION ? e->replacement : e, .id = e->id,
                           .correction = e->type == EV_CORRECTION ? e : NULL,
                           .superseded_by = correction_of(v, e->id)};
        size_t j = k++;
        while (j > 0 && h[j - 1].e->date > it.e->date) {
            h[j] = h[j - 1];
            j--;
        }
        h[j] = it;
    }
    *out = h;
    *n = k;
    return SH_OK;
}

/* ---- the child ------------------------------------------------------------------ */

static int summary_row(buf *b, const char *key, const char *value_html)
{
    return html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                       "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                       "<dd class=\"govuk-summary-list__value\">%r</dd>\n</div>\n",
                    key, value_html);
}

/* value as escaped HTML in the arena, or "Not recorded" in grey. */
static const char *text_or_missing(web_request *req, const char *value)
{
    buf t;
    buf_init(&t, 4096);
    int rc = value && value[0]
                 ? html_fmt(&t, "%s", value)
                 : html_fmt(&t, "<span class=\"govuk-hint govuk-!-margin-0\">Not recorded</span>");
    const char *out = rc == SH_OK && t.data ? arena_strdup(req->a, t.data) : "";
    buf_free(&t);
    return out ? out : "";
}

static int child_summary(web_request *req, buf *b, const app_case_view *v)
{
    const store_child *c = &v->child;
    const char *setting = NULL;
    if (c->setting_urn[0] &&
        store_setting_name(req->db, c->setting_urn, req->a, &setting) != SH_OK)
        setting = NULL;
    char born[40];
    date_format_long(c->date_of_birth, born, sizeof born);
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Child or young person</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = summary_row(b, "Name", text_or_missing(req, arena_printf(req->a, "%s %s",
                                                                       c->forename, c->surname)));
    if (rc == SH_OK)
        rc = summary_row(b, "Date of birth",
                         text_or_missing(req, arena_printf(req->a, "%s (age %d)", born,
                                                           pages_age_years(c->date_of_birth,
                                                                           req->today))));
    if (rc == SH_OK)
        rc = summary_row(b, "UPN", text_or_missing(req, c->upn));
    if (rc == SH_OK)
        rc = summary_row(b, "NHS number", text_or_missing(req, pages_nhs_number(req->a, c->nhs_number)));
    if (rc == SH_OK)
        rc = summary_row(b, "Postcode", text_or_missing(req, c->postcode));
    if (rc == SH_OK)
        rc = summary_row(b, "Primary need", text_or_missing(req, pages_need_label(c->sen_need[0])));
    if (rc == SH_OK)
        rc = summary_row(b, "Secondary need",
                         text_or_missing(req, pages_need_label(c->sen_need[1])));
    if (rc == SH_OK)
        rc = summary_row(b, "Setting",
                         text_or_missing(req, !c->setting_urn[0] ? ""
                                              : setting ? arena_printf(req->a, "%s (URN %s)",
                                                                       setting, c->setting_urn)
                                                        : arena_printf(req->a, "URN %s",
                                                                       c->setting_urn)));
    if (rc == SH_OK)
        rc = summary_row(b, "EHC coordinator", text_or_missing(req, v->c.coordinator));
    return rc ? rc : html_fmt(b, "</dl>\n");
}

/* Stage, the request and the 20-week measure, as a manager reads them. */
static int case_summary(web_request *req, buf *b, const app_case_view *v)
{
    const journey_timeline *t = &v->timeline;
    char d[40];
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">EHC journey</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = summary_row(b, "Stage", text_or_missing(req, journey_stage_label(t->stage)));
    if (rc == SH_OK && t->request_date != DATE_NONE) {
        date_format_long(t->request_date, d, sizeof d);
        rc = summary_row(b, "Request received", text_or_missing(req, d));
    }
    if (rc == SH_OK && t->final_plan_date != DATE_NONE) {
        date_format_long(t->final_plan_date, d, sizeof d);
        const char *when = t->within_20_weeks < 0 ? d
                           : arena_printf(req->a, "%s, %d.%d weeks after the request (%s 20 "
                                                  "weeks)",
                                          d, t->weeks_x10 / 10, t->weeks_x10 % 10,
                                          t->within_20_weeks ? "within" : "over");
        rc = summary_row(b, "Final plan issued", text_or_missing(req, when));
    }
    if (rc == SH_OK && t->exceptions_apply)
        rc = summary_row(b, "Exceptions to the time limits",
                         "An exception was recorded (regulation 10(4))");
    return rc ? rc : html_fmt(b, "</dl>\n");
}

/* ---- what is due -------------------------------------------------------------------- */

const char *pages_step_tag(const journey_deadline *d, date_t today)
{
    if (journey_rule_is_family_window(d->rule))
        return d->status == STEP_OVERDUE
                   ? "<strong class=\"govuk-tag govuk-tag--grey\">Time limit passed</strong>"
                   : "<strong class=\"govuk-tag govuk-tag--blue\">Family's time limit</strong>";
    if (d->status == STEP_OVERDUE)
        return html_status_tag("overdue");
    const char *soon = pages_due_tag(d->due, today);
    return soon[0] ? soon : html_status_tag("pending");
}

int pages_due_step(web_request *req, buf *b, const journey_deadline *d)
{
    char explain[600];
    journey_explain(d, explain, sizeof explain);
    return html_fmt(b,
                    "<div class=\"govuk-summary-list__row\">\n"
                    "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                    "<dd class=\"govuk-summary-list__value\">\n"
                    "<p class=\"govuk-body govuk-!-margin-bottom-1\"><strong>Due %D</strong> %r</p>\n"
                    "<p class=\"govuk-body-s govuk-!-margin-bottom-1\">%s</p>\n"
                    "<p class=\"govuk-body-s sendhub-secondary govuk-!-margin-bottom-0\">"
                    "Legal basis: %s</p>\n</dd>\n</div>\n",
                    pages_step_label(req->a, journey_rule_key(d->rule), d->agency), d->due,
                    pages_step_tag(d, req->today), explain, journey_rule_basis(d->rule));
}

static int what_is_due(web_request *req, buf *b, const app_case_view *v)
{
    const journey_timeline *t = &v->timeline;
    size_t open = 0;
    for (size_t i = 0; i < t->n_deadlines; i++)
        open += t->deadlines[i].done == DATE_NONE;
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"due\">What is due</h2>\n");
    if (rc == SH_OK && open == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No statutory steps are open.</p>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<dl class=\"govuk-summary-list\">\n");
    for (size_t i = 0; rc == SH_OK && i < t->n_deadlines; i++)
        if (t->deadlines[i].done == DATE_NONE)
            rc = pages_due_step(req, b, &t->deadlines[i]);
    return rc ? rc : html_fmt(b, "</dl>\n");
}

/* ---- what has happened ------------------------------------------------------------------ */

static int history_what(web_request *req, buf *b, const history_item *it)
{
    const char *details = pages_event_details(req->a, it->e);
    int rc;
    if (it->superseded_by)
        rc = html_fmt(b, "<s>%s</s>%r%s%r", event_type_label(it->e->type),
                      details[0] ? "<br><s class=\"govuk-body-s\">" : "", details,
                      details[0] ? "</s>" : "");
    else
        rc = html_fmt(b, "%s%r%s%r", event_type_label(it->e->type),
                      details[0] ? "<br><span class=\"govuk-body-s\">" : "", details,
                      details[0] ? "</span>" : "");
    if (rc == SH_OK && it->correction)
        rc = html_fmt(b, "<br><span class=\"govuk-body-s sendhub-secondary\">Correction made on "
                         "%D: %s</span>",
                      it->correction->date, it->correction->reason);
    if (rc == SH_OK && it->superseded_by)
        rc = html_fmt(b, "<br><strong class=\"govuk-tag govuk-tag--grey\">%s</strong> "
                         "<span class=\"govuk-body-s\">%s</span>",
                      it->superseded_by->replacement ? "Corrected" : "Removed",
                      it->superseded_by->reason);
    return rc;
}

static int history_row(web_request *req, buf *b, const app_case_view *v,
                       const history_item *it, bool can_write)
{
    int rc = html_fmt(b, "<tr class=\"govuk-table__row%r\">\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%r%D%r</td>\n"
                         "<td class=\"govuk-table__cell\">",
                      it->superseded_by ? " sendhub-corrected" : "",
                      it->superseded_by ? "<s>" : "", it->e->date,
                      it->superseded_by ? "</s>" : "");
    if (rc == SH_OK)
        rc = history_what(req, b, it);
    if (rc == SH_OK)
        rc = html_fmt(b, "</td>\n");
    if (rc == SH_OK && can_write && !it->superseded_by)
        rc = html_fmt(b, "<td class=\"govuk-table__cell govuk-table__cell--numeric\">"
                         "<a class=\"govuk-link\" href=\"/cases/%lld/events/%lld/correct\">"
                         "Correct this<span class=\"govuk-visually-hidden\"> entry: %s, %D</span></a></td>\n",
                      (long long)v->c.id, (long long)it->id, event_type_label(it->e->type),
                      it->e->date);
    else if (rc == SH_OK && can_write)
        rc = html_fmt(b, "<td class=\"govuk-table__cell\"></td>\n");
    return rc ? rc : html_fmt(b, "</tr>\n");
}

static int what_has_happened(web_request *req, buf *b, const app_case_view *v, bool can_write)
{
    history_item *h = NULL; /* set by build_history; GCC cannot always see it once inlined */
    size_t n = 0;
    int rc = build_history(req, v, &h, &n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"What has happened\" tabindex=\"0\">\n<table class=\"govuk-table\" id=\"history\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">What has "
                         "happened</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Date</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">What happened</th>\n"
                         "%r</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      can_write ? "<th scope=\"col\" class=\"govuk-table__header\">"
                                  "<span class=\"govuk-visually-hidden\">Action</span></th>\n"
                                : "");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = history_row(req, b, v, &h[i], can_write);
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

static int completed_steps(web_request *req, buf *b, const journey_timeline *t)
{
    size_t done = 0;
    for (size_t i = 0; i < t->n_deadlines; i++)
        done += t->deadlines[i].done != DATE_NONE;
    if (done == 0)
        return SH_OK;
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Time limits completed\" tabindex=\"0\">\n<table class=\"govuk-table\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">Time "
                         "limits completed</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Step</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Due</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Done</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Result</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (d->done == DATE_NONE)
            continue;
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%D</td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%D</td>\n"
                         "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                      pages_step_label(req->a, journey_rule_key(d->rule), d->agency), d->due,
                      d->done, html_status_tag(journey_status_name(d->status)));
    }
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

/* ---- recording --------------------------------------------------------------------------- */

static int record_form(web_request *req, buf *b, const app_case_view *v,
                       const web_form *values, const pages_errors *errs)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"record\">Record what happened "
                         "next</h2>\n"
                         "<form method=\"post\" action=\"/cases/%lld/events\" novalidate>\n",
                      (long long)v->c.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_event_fields(b, values, errs, false);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                            "data-module=\"govuk-button\">Record it</button>\n</form>\n");
}

/* The success banner after a redirect from recording: ?recorded=<event id>. */
static int recorded_banner(web_request *req, buf *b, const app_case_view *v)
{
    const char *s = web_query(req, "recorded");
    const event *e = NULL;
    for (size_t i = 0; s && i < v->n_events && !e; i++) {
        const char *id = arena_printf(req->a, "%lld", (long long)v->events[i].id);
        if (id && strcmp(id, s) == 0)
            e = &v->events[i];
    }
    if (!e)
        return SH_OK;
    return pages_recorded_banner(b, event_type_label(e->type));
}

static int render_case(web_request *req, web_response *res, const app_case_view *v, int status,
                       const web_form *values, const pages_errors *errs)
{
    int rc = pages_audit(req, "read", "case", v->c.id, v->c.child_id, "");
    if (rc)
        return pages_fail(req, res, rc);
    bool can_write = access_can(&req->who, CAN_WRITE_CASES);
    const char *name = arena_printf(req->a, "%s %s", v->child.forename, v->child.surname);
    html_page p = {.title = name ? name : "Case", .nav = "caseload",
                   .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK && errs->n == 0)
        rc = recorded_banner(req, b, v);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">EHC case %lld</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n",
                      (long long)v->c.id, p.title);
    if (rc == SH_OK && can_write)
        rc = html_fmt(b, "<a href=\"#record\" class=\"govuk-button govuk-button--secondary\" "
                         "data-module=\"govuk-button\">Record what happened next</a>\n"
                         "<a href=\"/cases/%lld/advice/new\" class=\"govuk-button "
                         "govuk-button--secondary\" data-module=\"govuk-button\">Request "
                         "advice</a>\n",
                      (long long)v->c.id);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/plan\">EHC plan: sections A to K, issued versions "
                         "and the printable plan</a></p>\n",
                      (long long)v->c.id);
    if (rc == SH_OK && access_can(&req->who, CAN_SEE_CASE_FILES))
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/casefile\">Case file: the whole record as one "
                         "printable document (for an inspection deep dive)</a></p>\n",
                      (long long)v->c.id);
    if (rc == SH_OK && access_can(&req->who, CAN_INVITE_FAMILY))
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/invite\">Invite a parent, carer or young person "
                         "to the family portal</a></p>\n",
                      (long long)v->c.id);
    if (rc == SH_OK)
        rc = child_summary(req, b, v);
    if (rc == SH_OK)
        rc = case_summary(req, b, v);
    if (rc == SH_OK)
        rc = pages_views_requests(req, b, v);
    if (rc == SH_OK)
        rc = pages_family_submissions(req, b, v->c.id);
    if (rc == SH_OK)
        rc = pages_family_access(req, b, v);
    if (rc == SH_OK)
        rc = pages_family_messages(req, b, v, can_write);
    if (rc == SH_OK)
        rc = pages_health_waits(req, b, v->child.id);
    if (rc == SH_OK)
        rc = what_is_due(req, b, v);
    if (rc == SH_OK)
        rc = pages_case_advice(req, b, v);
    if (rc == SH_OK)
        rc = what_has_happened(req, b, v, can_write);
    if (rc == SH_OK)
        rc = completed_steps(req, b, &v->timeline);
    if (rc == SH_OK && can_write)
        rc = record_form(req, b, v, values, errs);
    return pages_end(req, res, rc);
}

int page_case(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = pages_case_load(req, res, false, &v);
    if (rc)
        return rc;
    web_form values = {0};
    pages_errors errs = {0};
    return render_case(req, res, &v, 200, &values, &errs);
}

int page_event_record(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = pages_case_load(req, res, true, &v);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    event e;
    pages_errors errs = {0};
    rc = pages_event_read(req, &f, false, &e, &errs);
    if (rc == SH_OK)
        rc = pages_case_record(req, &v, &e, &errs);
    if (rc == SH_OK)
        return pages_redirect(res, arena_printf(req->a, "/cases/%lld?recorded=%lld",
                                                (long long)v.c.id, (long long)e.id));
    if (rc != SH_EINVAL)
        return pages_fail(req, res, rc);
    return render_case(req, res, &v, 422, &f, &errs);
}
