/*
 * page_event.c — recording an event from a form, and correcting one.
 *
 * The form shows every detail field at once, grouped and labelled with the
 * kinds of event each belongs to, so it works without JavaScript; only the
 * chosen type's fields are read. Validation is the engine's
 * (journey_validate, as the API and command line use), with messages
 * written for the person at the form rather than for a program.
 *
 * A correction never edits: it is a new event that supersedes the entry,
 * with a reason, and either the corrected details or nothing (the entry was
 * recorded in error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "util/err.h"
#include "web/pages.h"

#define TRANSFER_YEAR_MIN 2000
#define TRANSFER_YEAR_MAX 2199

/* ---- loading a case ------------------------------------------------------------ */

int pages_case_load(web_request *req, web_response *res, bool write, app_case_view *v)
{
    app_error err = {0};
    int rc = app_case_get(req->db, &req->who, req->params[0], req->today, req->a, v, &err);
    if (rc)
        return pages_fail(req, res, rc);
    if (!access_case_visible(&req->who, &v->c, &v->child)) {
        rc = pages_audit(req, "denied", "case", v->c.id, v->c.child_id, "not shared with role");
        return pages_fail(req, res, rc ? rc : SH_ENOTFOUND);
    }
    if (write && !access_can(&req->who, CAN_WRITE_CASES)) {
        rc = pages_audit(req, "denied", "case", v->c.id, v->c.child_id, "read-only role");
        return pages_fail(req, res, rc ? rc : SH_EDENIED);
    }
    return SH_OK;
}

/* ---- labels ------------------------------------------------------------------------ */

static const char *const agency_text[AGENCY_COUNT] = {
    [AGENCY_EDUCATION] = "Education (school, college or early years)",
    [AGENCY_HEALTH] = "Health",
    [AGENCY_SOCIAL_CARE] = "Social care",
    [AGENCY_PSYCHOLOGY] = "Educational psychology",
    [AGENCY_OTHER] = "Another service",
};

static const char *const outcome_text[OUTCOME_COUNT] = {
    [OUTCOME_ASSESS] = "Assess: carry out an EHC needs assessment",
    [OUTCOME_REFUSE] = "Do not assess",
    [OUTCOME_MAINTAIN] = "Keep the plan as it is",
    [OUTCOME_AMEND] = "Amend the plan",
    [OUTCOME_CEASE] = "Stop maintaining the plan (cease it)",
};

static const struct {
    const char *text, *hint;
} exception_text[EXC_COUNT] = {
    [EXC_SCHOOL_CLOSURE] = {"The school or college was closed for 4 weeks or more",
                            "Advice was asked for from 1 week before the closure. "
                            "Regulation 10(4)(a)."},
    [EXC_EARLY_YEARS_CLOSURE] = {"The early years setting was closed for 4 weeks or more",
                                 "Advice was asked for from 1 week before the closure. "
                                 "Regulation 10(4)(b)."},
    [EXC_PERSONAL_CIRCUMSTANCES] = {"Exceptional personal circumstances",
                                    "Of the child, young person or parent. "
                                    "Regulation 10(4)(c)."},
    [EXC_AWAY_FROM_AREA] = {"Away from the area for 4 weeks or more",
                            "The child, young person or parent. Regulation 10(4)(d)."},
};

static const struct {
    const char *text, *hint;
} transfer_text[TRANSFER_TO_COUNT] = {
    [TRANSFER_SCHOOL] = {"To a new school or phase of school",
                         "From early years, infant to junior, primary to middle or secondary. "
                         "The amended plan is due by 15 February."},
    [TRANSFER_POST16] = {"From school to post-16 education",
                         "College, sixth form or training. The amended plan is due by 31 "
                         "March."},
};

const char *pages_event_details(arena *a, const event *e)
{
    const char *s = "";
    switch (e->type) {
    case EV_ADVICE_REQUESTED:
    case EV_ADVICE_RECEIVED:
        s = e->agency >= 0 && e->agency < AGENCY_COUNT ? agency_text[e->agency] : "";
        break;
    case EV_DECISION_TO_ASSESS:
    case EV_REVIEW_DECISION:
        s = e->outcome >= 0 && e->outcome < OUTCOME_COUNT ? outcome_text[e->outcome] : "";
        break;
    case EV_EXCEPTION:
        s = e->exception >= 0 && e->exception < EXC_COUNT ? exception_text[e->exception].text
                                                           : "";
        break;
    case EV_PHASE_TRANSFER_DUE:
        s = arena_printf(a, "Moving in %d: %s", e->transfer_year,
                         e->transfer_to == TRANSFER_POST16 ? "from school to post-16 education"
                                                           : "to a new school or phase");
        break;
    case EV_PLAN_CEASED:
        s = event_cease_reason_label(e->cease_reason)
                ? arena_printf(a, "Reason: %s (SEN2 code %d)",
                               event_cease_reason_label(e->cease_reason), e->cease_reason)
                : "";
        break;
    default:
        break;
    }
    return s ? s : "";
}

/* ---- the form ------------------------------------------------------------------------- */

static bool is_start(event_type t)
{
    return t == EV_REQUEST_RECEIVED || t == EV_TRANSFER_IN;
}

static bool type_offered(event_type t, bool start_types)
{
    return t != EV_CORRECTION && is_start(t) == start_types;
}

static int type_select(buf *b, const web_form *values, const pages_errors *errs,
                       bool start_types)
{
    pages_option opts[EV_TYPE_COUNT + 1];
    size_t n = 0;
    if (!start_types)
        opts[n++] = (pages_option){"", "Choose what happened", NULL};
    for (int t = 0; t < EV_TYPE_COUNT; t++)
        if (type_offered((event_type)t, start_types))
            opts[n++] = (pages_option){event_type_name((event_type)t),
                                       event_type_label((event_type)t), NULL};
    return pages_select(b, "type", "What happened", NULL, opts, n, form_get(values, "type"),
                        errs);
}

static int agency_radios(buf *b, const web_form *values, const pages_errors *errs)
{
    pages_option opts[AGENCY_COUNT];
    for (int i = 0; i < AGENCY_COUNT; i++)
        opts[i] = (pages_option){event_agency_name((event_agency)i), agency_text[i], NULL};
    return pages_radios(b,
                        &(pages_radios_spec){.name = "agency", .legend = "Which service",
                                             .hint = "Only for advice requested or advice received",
                                             .opts = opts, .n = AGENCY_COUNT,
                                             .checked = form_get(values, "agency"),
                                             .small = true},
                        errs);
}

static int outcome_radios(buf *b, const web_form *values, const pages_errors *errs)
{
    pages_option assess[] = {{"assess", outcome_text[OUTCOME_ASSESS], NULL},
                             {"refuse", outcome_text[OUTCOME_REFUSE], NULL}};
    pages_option review[] = {{"maintain", outcome_text[OUTCOME_MAINTAIN], NULL},
                             {"amend", outcome_text[OUTCOME_AMEND], NULL},
                             {"cease", outcome_text[OUTCOME_CEASE], NULL}};
    int rc = pages_radios(b,
                          &(pages_radios_spec){.name = "outcome_assess",
                                               .legend = "The decision whether to assess",
                                               .hint = "Only for a decision whether to assess",
                                               .opts = assess, .n = 2,
                                               .checked = form_get(values, "outcome_assess"),
                                               .small = true},
                          errs);
    return rc ? rc
              : pages_radios(b,
                             &(pages_radios_spec){.name = "outcome_review",
                                                  .legend = "The decision after the review",
                                                  .hint = "Only for a decision after review",
                                                  .opts = review, .n = 3,
                                                  .checked = form_get(values, "outcome_review"),
                                                  .small = true},
                             errs);
}

static int exception_radios(buf *b, const web_form *values, const pages_errors *errs)
{
    pages_option opts[EXC_COUNT];
    for (int i = 0; i < EXC_COUNT; i++)
        opts[i] = (pages_option){event_exception_name((event_exception)i),
                                 exception_text[i].text, exception_text[i].hint};
    return pages_radios(b,
                        &(pages_radios_spec){.name = "exception",
                                             .legend = "Why the time limits do not apply",
                                             .hint = "Only for an exception to the time limits",
                                             .opts = opts, .n = EXC_COUNT,
                                             .checked = form_get(values, "exception"),
                                             .small = true},
                        errs);
}

static int transfer_fields(buf *b, const web_form *values, const pages_errors *errs)
{
    pages_option opts[TRANSFER_TO_COUNT];
    for (int i = 0; i < TRANSFER_TO_COUNT; i++)
        opts[i] = (pages_option){event_transfer_to_name((event_transfer_to)i),
                                 transfer_text[i].text, transfer_text[i].hint};
    int rc = pages_input(b,
                         &(pages_input_spec){.name = "transfer_year",
                                             .label = "Year of the move",
                                             .hint = "Only for a phase transfer due. The calendar year "
                                                     "the child or young person moves, for "
                                                     "example 2027",
                                             .value = form_get(values, "transfer_year"),
                                             .classes = "govuk-input--width-4",
                                             .inputmode = "numeric"},
                         errs);
    return rc ? rc
              : pages_radios(b,
                             &(pages_radios_spec){.name = "transfer_to", .legend = "The move",
                                                  .hint = "Only for a phase transfer due",
                                                  .opts = opts, .n = TRANSFER_TO_COUNT,
                                                  .checked = form_get(values, "transfer_to"),
                                                  .small = true},
                             errs);
}

static int cease_select(buf *b, const web_form *values, const pages_errors *errs)
{
    pages_option opts[10] = {{"", "Choose a reason", NULL}};
    size_t n = 1;
    static const char *const codes[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    for (int code = 1; code <= 9; code++)
        opts[n++] = (pages_option){codes[code - 1], event_cease_reason_label(code), NULL};
    return pages_select(b, "cease_reason", "Why the plan ceased",
                        "Only for a plan ceased. The reasons are the ones the SEN2 return uses", opts,
                        n, form_get(values, "cease_reason"), errs);
}

int pages_event_fields(buf *b, const web_form *values, const pages_errors *errs,
                       bool start_types)
{
    int rc = type_select(b, values, errs, start_types);
    if (rc == SH_OK)
        rc = pages_date_input(b, "date", "When it happened",
                              "The date on the letter, report or meeting. For example, "
                              "27 3 2026",
                              values, errs);
    if (rc || start_types)
        return rc;
    rc = html_fmt(b, "<div class=\"sendhub-detail-fields\">\n"
                     "<p class=\"govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1\">Details "
                     "for some kinds of event</p>\n"
                     "<p class=\"govuk-body-s\">Fill in only the part for what happened. "
                     "The other parts are left out.</p>\n");
    if (rc == SH_OK)
        rc = agency_radios(b, values, errs);
    if (rc == SH_OK)
        rc = outcome_radios(b, values, errs);
    if (rc == SH_OK)
        rc = exception_radios(b, values, errs);
    if (rc == SH_OK)
        rc = transfer_fields(b, values, errs);
    if (rc == SH_OK)
        rc = cease_select(b, values, errs);
    return rc ? rc : html_fmt(b, "</div>\n");
}

/* ---- reading the form ----------------------------------------------------------------- */

static const char *value_of(const web_form *f, const char *name)
{
    const char *v = form_get(f, name);
    return v ? v : "";
}

static int read_outcome(const web_form *f, event *e, pages_errors *errs)
{
    bool assess = e->type == EV_DECISION_TO_ASSESS;
    const char *field = assess ? "outcome_assess" : "outcome_review";
    const char *v = value_of(f, field);
    event_outcome o = event_outcome_parse(v, strlen(v));
    bool ok = assess ? (o == OUTCOME_ASSESS || o == OUTCOME_REFUSE)
                     : (o == OUTCOME_MAINTAIN || o == OUTCOME_AMEND || o == OUTCOME_CEASE);
    if (!ok) {
        pages_errors_add(errs, field, assess ? "Select whether the council will assess"
                                             : "Select the decision after the review");
        return SH_EINVAL;
    }
    e->outcome = o;
    return SH_OK;
}

static int read_transfer(const web_form *f, event *e, pages_errors *errs)
{
    const char *y = value_of(f, "transfer_year"), *to = value_of(f, "transfer_to");
    int rc = SH_OK;
    char *end = NULL;
    long year = strtol(y, &end, 10);
    if (!y[0]) {
        pages_errors_add(errs, "transfer_year", "Enter the year of the move, for example 2027");
        rc = SH_EINVAL;
    } else if (*end || year < TRANSFER_YEAR_MIN || year > TRANSFER_YEAR_MAX) {
        pages_errors_add(errs, "transfer_year",
                         "The year of the move must be a year, for example 2027");
        rc = SH_EINVAL;
    } else {
        e->transfer_year = (int)year;
    }
    e->transfer_to = event_transfer_to_parse(to, strlen(to));
    if (e->transfer_to == TRANSFER_NONE) {
        pages_errors_add(errs, "transfer_to", "Select the move");
        rc = SH_EINVAL;
    }
    return rc;
}

/* The fields of the chosen type; the other groups are not read. */
static int read_details(const web_form *f, event *e, pages_errors *errs)
{
    const char *v;
    switch (e->type) {
    case EV_ADVICE_REQUESTED:
    case EV_ADVICE_RECEIVED:
        v = value_of(f, "agency");
        e->agency = event_agency_parse(v, strlen(v));
        if (e->agency != AGENCY_NONE)
            return SH_OK;
        pages_errors_add(errs, "agency", e->type == EV_ADVICE_REQUESTED
                                             ? "Select which service was asked for advice"
                                             : "Select which service the advice came from");
        return SH_EINVAL;
    case EV_DECISION_TO_ASSESS:
    case EV_REVIEW_DECISION:
        return read_outcome(f, e, errs);
    case EV_EXCEPTION:
        v = value_of(f, "exception");
        e->exception = event_exception_parse(v, strlen(v));
        if (e->exception != EXC_NONE)
            return SH_OK;
        pages_errors_add(errs, "exception", "Select why the time limits do not apply");
        return SH_EINVAL;
    case EV_PHASE_TRANSFER_DUE:
        return read_transfer(f, e, errs);
    case EV_PLAN_CEASED:
        v = value_of(f, "cease_reason");
        e->cease_reason = strlen(v) == 1 && v[0] >= '1' && v[0] <= '9' ? v[0] - '0' : 0;
        if (e->cease_reason)
            return SH_OK;
        pages_errors_add(errs, "cease_reason", "Select why the plan ceased");
        return SH_EINVAL;
    default:
        return SH_OK;
    }
}

int pages_event_read(web_request *req, const web_form *f, bool start_types, event *out,
                     pages_errors *errs)
{
    const char *t = value_of(f, "type");
    int type = event_type_parse(t, strlen(t));
    date_t date;
    int rc = SH_OK;
    if (type < 0 || !type_offered((event_type)type, start_types)) {
        pages_errors_add(errs, "type", "Select what happened");
        rc = SH_EINVAL;
    }
    if (pages_date_read(f, "date", "the date it happened", true, req->a, &date, errs))
        rc = SH_EINVAL;
    event_init(out, type < 0 ? EV_REQUEST_RECEIVED : (event_type)type, date);
    if (type >= 0 && read_details(f, out, errs))
        rc = SH_EINVAL;
    return rc;
}

void pages_event_values(web_request *req, const event *e, web_form *out)
{
    arena *a = req->a;
    pages_form_set(out, "type", event_type_name(e->type));
    pages_date_set(out, a, "date", e->date);
    if (e->agency != AGENCY_NONE)
        pages_form_set(out, "agency", event_agency_name(e->agency));
    if (e->outcome != OUTCOME_NONE)
        pages_form_set(out, e->type == EV_DECISION_TO_ASSESS ? "outcome_assess" : "outcome_review",
                       event_outcome_name(e->outcome));
    if (e->exception != EXC_NONE)
        pages_form_set(out, "exception", event_exception_name(e->exception));
    if (e->transfer_year)
        pages_form_set(out, "transfer_year", arena_printf(a, "%d", e->transfer_year));
    if (e->transfer_to != TRANSFER_NONE)
        pages_form_set(out, "transfer_to", event_transfer_to_name(e->transfer_to));
    if (e->cease_reason)
        pages_form_set(out, "cease_reason", arena_printf(a, "%d", e->cease_reason));
}

/* ---- recording ------------------------------------------------------------------------ */

/* The form field a validation error about `field` (a wire name, maybe
 * "replacement."-prefixed) belongs to, or NULL (the summary has no link). */
static const char *form_field(const event *e, const char *field)
{
    if (!field)
        return NULL;
    bool repl = strncmp(field, "replacement.", 12) == 0;
    const event *about = repl && e->replacement ? e->replacement : e;
    if (repl)
        field += 12;
    if (strcmp(field, "date") == 0)
        return "date-day";
    if (strcmp(field, "to") == 0)
        return "transfer_to";
    if (strcmp(field, "supersedes") == 0)
        return "fix";
    if (strcmp(field, "outcome") == 0)
        return about->type == EV_DECISION_TO_ASSESS ? "outcome_assess" : "outcome_review";
    if (strcmp(field, "reason") == 0)
        return about->type == EV_PLAN_CEASED ? "cease_reason"
               : about->type == EV_EXCEPTION ? "exception"
                                             : "reason";
    if (strcmp(field, "agency") == 0 || strcmp(field, "transfer_year") == 0 ||
        strcmp(field, "type") == 0)
        return field;
    return NULL;
}

/* The engine's sentence (which reads after a field's wire name) rewritten
 * for the person at the form. */
static const char *journey_message(arena *a, const journey_error *je)
{
    char when[40] = "";
    if (je->date != DATE_NONE)
        date_format_long(je->date, when, sizeof when);
    if (strstr(je->message, "is before the request"))
        return arena_printf(a, "The date must be the same as or after the date the request "
                               "was received (%s)", when);
    if (strstr(je->message, "is before the plan was transferred"))
        return arena_printf(a, "The date must be the same as or after the date the plan was "
                               "transferred in (%s)", when);
    if (strstr(je->message, "already been corrected"))
        return "This entry has already been corrected. Go back to the record to see the "
               "latest version";
    if (strstr(je->message, "withdraws the start"))
        return "The entry that started this case cannot be removed. Choose \u2018Some "
               "details are wrong\u2019 and correct them instead";
    return arena_printf(a, "%s %s", je->field ? je->field : "The journey", je->message);
}

int pages_case_record(web_request *req, const app_case_view *v, event *e, pages_errors *errs)
{
    event *all = arena_calloc(req->a, v->n_events + 1, sizeof *all);
    if (!all)
        return SH_ENOMEM;
    memcpy(all, v->events, v->n_events * sizeof *all);
    all[v->n_events] = *e;
    journey_error je = {0};
    int rc = journey_validate(all, v->n_events + 1, &je);
    if (rc == SH_EINVAL) {
        pages_errors_add(errs, form_field(e, je.field), journey_message(req->a, &je));
        return rc;
    }
    if (rc)
        return rc;
    journey_timeline t;
    app_error err = {0};
    rc = app_case_record_event(req->db, &req->who, v->c.id, e, req->today, req->a, &t, &err);
    if (rc == SH_EINVAL) /* the journey changed since it was read: the app's words */
        pages_errors_add(errs, form_field(e, err.field), arena_strdup(req->a, err.message));
    return rc;
}

/* ---- correcting an entry ------------------------------------------------------------- */

/* The entry `id` as the history shows it: an event, or a correction's
 * replacement (which carries the correction's id). NULL when there is no
 * such entry (or it is a correction that removed an entry). */
static const event *find_entry(const app_case_view *v, int64_t id)
{
    for (size_t i = 0; i < v->n_events; i++) {
        const event *e = &v->events[i];
        if (e->id != id)
            continue;
        if (e->type != EV_CORRECTION)
            return e;
        return e->replacement;
    }
    return NULL;
}

static bool already_corrected(const app_case_view *v, int64_t id)
{
    for (size_t i = 0; i < v->n_events; i++)
        if (v->events[i].type == EV_CORRECTION && v->events[i].supersedes == id)
            return true;
    return false;
}

static int entry_summary(web_request *req, buf *b, const event *e)
{
    const char *details = pages_event_details(req->a, e);
    int rc = html_fmt(b, "<dl class=\"govuk-summary-list\">\n"
                         "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                         "What happened</dt><dd class=\"govuk-summary-list__value\">%s</dd></div>\n"
                         "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                         "Date</dt><dd class=\"govuk-summary-list__value\">%D</dd></div>\n",
                      event_type_label(e->type), e->date);
    if (rc == SH_OK && details[0])
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                         "Details</dt><dd class=\"govuk-summary-list__value\">%s</dd></div>\n",
                      details);
    return rc ? rc : html_fmt(b, "</dl>\n");
}

static int render_correct(web_request *req, web_response *res, const app_case_view *v,
                          const event *entry, int status, const web_form *values,
                          const pages_errors *errs)
{
    const char *back = arena_printf(req->a, "/cases/%lld", (long long)v->c.id);
    html_page p = {.title = "Correct an entry", .nav = "caseload", .back_href = back,
                   .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n"
                         "<span class=\"govuk-caption-l\">%s %s</span>\n"
                         "<h1 class=\"govuk-heading-l\">Correct an entry</h1>\n"
                         "<p class=\"govuk-body\">Nothing is deleted: the entry stays in the "
                         "history, marked as corrected, with your reason.</p>\n",
                      v->child.forename, v->child.surname);
    if (rc == SH_OK)
        rc = entry_summary(req, b, entry);
    if (rc == SH_OK)
        rc = html_fmt(b, "<form method=\"post\" action=\"/cases/%lld/events/%lld/correct\" "
                         "novalidate>\n",
                      (long long)v->c.id, (long long)req->params[1]);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    pages_option fix[] = {
        {"replace", "Some details are wrong", "Correct them under \u2018The correct details\u2019"},
        {"remove", "It should not have been recorded", "It will be shown as removed"},
    };
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "fix",
                                               .legend = "What is wrong with this entry?",
                                               .opts = fix, .n = 2,
                                               .checked = form_get(values, "fix"),
                                               .legend_classes = "govuk-fieldset__legend--m"},
                          errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The correct details</h2>\n"
                         "<p class=\"govuk-body\">Only if some details are wrong. They start "
                         "as they were recorded.</p>\n");
    if (rc == SH_OK)
        rc = pages_event_fields(b, values, errs, is_start(entry->type));
    if (rc == SH_OK)
        rc = pages_textarea(b, "reason", "Why are you correcting it?",
                            "This is kept with the record and shown in its history. For "
                            "example, \u2018Date typed wrongly: the letter is dated 4 May\u2019",
                            form_get(values, "reason"), 4, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Save correction</button>\n"
                         "<a class=\"govuk-link\" href=\"%s\">Cancel</a>\n</div>\n</form>\n"
                         "</div>\n</div>\n",
                      back);
    return pages_end(req, res, rc);
}

/* The page for an entry that a correction has already superseded. */
static int render_already(web_request *req, web_response *res, const app_case_view *v)
{
    const char *back = arena_printf(req->a, "/cases/%lld", (long long)v->c.id);
    html_page p = {.title = "This entry has already been corrected", .nav = "caseload",
                   .back_href = back};
    int rc = pages_begin(req, res, 409, &p);
    if (rc == SH_OK)
        rc = html_fmt(&res->body,
                      "<p class=\"govuk-body\">Someone has corrected it since the page was "
                      "opened. <a class=\"govuk-link\" href=\"%s\">Go back to the record</a> "
                      "to see the latest version, and correct that if it is still wrong.</p>\n",
                      back);
    return pages_end(req, res, rc);
}

/* Loads the case and the entry in params[1]; renders the failure itself. */
static int load_entry(web_request *req, web_response *res, app_case_view *v,
                      const event **entry)
{
    int rc = pages_case_load(req, res, true, v);
    if (rc)
        return rc;
    *entry = find_entry(v, req->params[1]);
    if (!*entry)
        return pages_fail(req, res, SH_ENOTFOUND);
    rc = pages_audit(req, "read", "case", v->c.id, v->c.child_id, "correct an entry");
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

int page_event_correct_form(web_request *req, web_response *res)
{
    app_case_view v;
    const event *entry;
    int rc = load_entry(req, res, &v, &entry);
    if (rc)
        return rc;
    if (already_corrected(&v, req->params[1]))
        return render_already(req, res, &v);
    web_form values = {0};
    pages_event_values(req, entry, &values);
    pages_errors errs = {0};
    return render_correct(req, res, &v, entry, 200, &values, &errs);
}

int page_event_correct(web_request *req, web_response *res)
{
    app_case_view v;
    const event *entry;
    int rc = load_entry(req, res, &v, &entry);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    const char *fix = form_get(&f, "fix");
    const char *reason = pages_trim(req->a, form_get(&f, "reason"));
    bool replace = fix && strcmp(fix, "replace") == 0;
    if (!replace && !(fix && strcmp(fix, "remove") == 0))
        pages_errors_add(&errs, "fix", "Select what is wrong with this entry");
    event repl;
    if (replace)
        pages_event_read(req, &f, is_start(entry->type), &repl, &errs);
    if (!reason[0])
        pages_errors_add(&errs, "reason", "Enter why you are correcting this entry");
    else if (strlen(reason) > EVENT_REASON_MAX)
        pages_errors_add(&errs, "reason", "The reason must be 1,000 characters or fewer");
    event c;
    event_init(&c, EV_CORRECTION, req->today);
    c.supersedes = req->params[1];
    c.reason = reason;
    c.replacement = replace ? &repl : NULL;
    if (errs.n == 0)
        rc = pages_case_record(req, &v, &c, &errs);
    if (rc == SH_OK && errs.n == 0)
        return pages_redirect(res, arena_printf(req->a, "/cases/%lld?recorded=%lld",
                                                (long long)v.c.id, (long long)c.id));
    if (rc && rc != SH_EINVAL)
        return pages_fail(req, res, rc);
    return render_correct(req, res, &v, entry, 422, &f, &errs);
}
