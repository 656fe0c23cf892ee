/*
 * page_casefile.c — the inspection evidence pack's deep dive (issue 9): a
 * child's case file as one printable document (and its PDF), and the
 * reproducible sample of children inspectors pick for deep dives.
 *
 * The case file is composed from the reads the record already has
 * (app/casefile.h): the child, the journey as the engine computed it (the
 * statutory steps with due dates and whether each was met), every issued
 * plan version (the latest in full, in the printable plan's layout), the
 * advice requests and their answers, the annual review, health referrals
 * and their waits, what the family sent and the messages, and corrections.
 * Every part has a ceiling on what is shown, and says when more exist.
 *
 * The HTML page prints on A4 with each part on a new page (assets/
 * sendhub.css); the PDF is the same body in a self-contained document
 * printed by headless Chromium (web/pdf.h), as the plan's PDF is. Both
 * carry the OFFICIAL-SENSITIVE marking, the area, the child, when and by
 * whom the file was made.
 *
 * Access: the case must be visible to the person (pages_case_load: a
 * denial audited, 404) and their role must hold CAN_SEE_CASE_FILES
 * (coordinators, managers, inspectors: otherwise the denial is audited and
 * the answer is 403). Each view and each PDF is audited as a read of the
 * child's record with its purpose.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "app/access.h"
#include "app/casefile.h"
#include "core/advice.h"
#include "core/sample.h"
#include "util/err.h"
#include "web/pages.h"

#define CASEFILE_EVENTS_SHOWN 400   /* timeline entries */
#define CASEFILE_STEPS_SHOWN 200    /* statutory steps */
#define CASEFILE_VERSIONS_SHOWN 50  /* earlier plan versions listed */
#define CASEFILE_ADVICE_SHOWN 60    /* advice requests (each with its answer) */
#define CASEFILE_MESSAGES_SHOWN 100 /* the store keeps the thread's newest 100 */
#define CASEFILE_PURPOSE "case file for inspection deep dive"
#define SEED_MAX_DIGITS 12          /* seeds up to 999 999 999 999 */

/* Everything one rendering needs. */
typedef struct {
    web_request *req;
    buf *b;
    const app_case_view *v;
    const app_casefile *cf;
    const char *name, *area;
} casefile_doc;

static const char *shown_of(arena *a, size_t shown, size_t total, const char *what)
{
    return shown < total ? arena_printf(a, "The first %zu of %zu %s are shown.", shown, total,
                                        what)
                         : "";
}

static int more_note(casefile_doc *d, size_t shown, size_t total, const char *what)
{
    if (shown >= total)
        return SH_OK;
    return html_fmt(d->b, "<p class=\"govuk-body-s\"><strong>%s</strong> The rest are on the "
                          "child's record.</p>\n",
                    shown_of(d->req->a, shown, total, what));
}

static int section_open(casefile_doc *d, const char *id, const char *title)
{
    return html_fmt(d->b, "<section class=\"sendhub-casefile__part\" id=\"%s\" "
                          "aria-labelledby=\"%s-title\">\n"
                          "<h2 class=\"govuk-heading-l\" id=\"%s-title\">%s</h2>\n",
                    id, id, id, title);
}

static int row(buf *b, const char *key, const char *value)
{
    return html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                       "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                       "<dd class=\"govuk-summary-list__value\">%s</dd>\n</div>\n",
                    key, value && value[0] ? value : "Not recorded");
}

static int date_row(buf *b, const char *key, date_t d)
{
    char s[40] = "";
    if (d != DATE_NONE)
        date_format_long(d, s, sizeof s);
    return row(b, key, s);
}

static int table_open(buf *b, const char *label, const char *const *heads, size_t n)
{
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"%s\" "
                         "tabindex=\"0\">\n<table class=\"govuk-table sendhub-table-s\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">%s"
                         "</caption>\n<thead class=\"govuk-table__head\"><tr "
                         "class=\"govuk-table__row\">\n",
                      label, label);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = html_fmt(b, "<th scope=\"col\" class=\"govuk-table__header\">%s</th>\n", heads[i]);
    return rc ? rc : html_fmt(b, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
}

static int table_close(buf *b) { return html_fmt(b, "</tbody>\n</table>\n</div>\n"); }

/* ---- the header ------------------------------------------------------------------- */

static int header(casefile_doc *d)
{
    web_request *req = d->req;
    time_t t = (time_t)req->now;
    struct tm tm;
    char when[64] = "";
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%H:%M UTC", &tm);
    return html_fmt(d->b,
                    "<header class=\"sendhub-casefile__header\">\n"
                    "<p class=\"sendhub-casefile__marking\">OFFICIAL-SENSITIVE</p>\n"
                    "<span class=\"govuk-caption-l\">%s: EHC case %lld</span>\n"
                    "<h1 class=\"govuk-heading-xl\">Case file: %s</h1>\n"
                    "<p class=\"govuk-body\">Made on %D at %s by %s (%s) for an inspection "
                    "deep dive. It holds personal information about a child: keep it "
                    "OFFICIAL-SENSITIVE, share it only with the inspection team and destroy "
                    "printed copies after use. This file and its download are recorded in "
                    "the audit log.</p>\n</header>\n",
                    d->area, (long long)d->v->c.id, d->name, req->today, when,
                    req->who.username ? req->who.username : "",
                    access_role_label((app_role)req->who.role));
}

static int contents(casefile_doc *d)
{
    return html_fmt(d->b,
                    "<nav class=\"sendhub-casefile__contents\" aria-label=\"Contents\">\n"
                    "<h2 class=\"govuk-heading-m\">Contents</h2>\n<ol class=\"govuk-list "
                    "govuk-list--number\">\n"
                    "<li><a class=\"govuk-link\" href=\"#child\">The child or young person</a></li>\n"
                    "<li><a class=\"govuk-link\" href=\"#journey\">The statutory journey</a></li>\n"
                    "<li><a class=\"govuk-link\" href=\"#plan\">The EHC plan</a></li>\n"
                    "<li><a class=\"govuk-link\" href=\"#advice\">Advice</a></li>\n"
                    "<li><a class=\"govuk-link\" href=\"#reviews\">Annual reviews</a></li>\n"
                    "<li><a class=\"govuk-link\" href=\"#health\">Health referrals and "
                    "waits</a></li>\n"
                    "<li><a class=\"govuk-link\" href=\"#family\">The family: what they sent "
                    "and messages</a></li>\n"
                    "<li><a class=\"govuk-link\" href=\"#corrections\">Corrections</a></li>\n"
                    "</ol>\n</nav>\n");
}

/* ---- 1. the child ----------------------------------------------------------------- */

static int child_part(casefile_doc *d)
{
    web_request *req = d->req;
    const store_child *c = &d->v->child;
    const char *setting = NULL;
    if (c->setting_urn[0] &&
        store_setting_name(req->db, c->setting_urn, req->a, &setting) != SH_OK)
        setting = NULL;
    int rc = section_open(d, "child", "1. The child or young person");
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = row(d->b, "Name", d->name);
    if (rc == SH_OK)
        rc = row(d->b, "Date of birth",
                 arena_printf(req->a, "%s (age %d)", pages_date_short(req->a, c->date_of_birth),
                              pages_age_years(c->date_of_birth, req->today)));
    if (rc == SH_OK)
        rc = row(d->b, "UPN", c->upn);
    if (rc == SH_OK)
        rc = row(d->b, "NHS number", pages_nhs_number(req->a, c->nhs_number));
    if (rc == SH_OK)
        rc = row(d->b, "Primary need", pages_need_label(c->sen_need[0]));
    if (rc == SH_OK)
        rc = row(d->b, "Secondary need", pages_need_label(c->sen_need[1]));
    if (rc == SH_OK)
        rc = row(d->b, "Setting",
                 !c->setting_urn[0] ? ""
                 : setting ? arena_printf(req->a, "%s (URN %s)", setting, c->setting_urn)
                           : arena_printf(req->a, "URN %s", c->setting_urn));
    if (rc == SH_OK)
        rc = row(d->b, "EHC coordinator", d->v->c.coordinator);
    return rc ? rc : html_fmt(d->b, "</dl>\n</section>\n");
}

/* ---- 2. the journey ---------------------------------------------------------------- */

static int journey_summary(casefile_doc *d)
{
    const journey_timeline *t = &d->v->timeline;
    web_request *req = d->req;
    int rc = html_fmt(d->b, "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = row(d->b, "Stage today", journey_stage_label(t->stage));
    if (rc == SH_OK && t->request_date != DATE_NONE)
        rc = date_row(d->b, "Request received", t->request_date);
    if (rc == SH_OK && t->final_plan_date != DATE_NONE)
        rc = row(d->b, "Final plan issued",
                 t->within_20_weeks < 0
                     ? pages_date_short(req->a, t->final_plan_date)
                     : arena_printf(req->a, "%s, %d.%d weeks after the request (%s 20 weeks)",
                                    pages_date_short(req->a, t->final_plan_date),
                                    t->weeks_x10 / 10, t->weeks_x10 % 10,
                                    t->within_20_weeks ? "within" : "over"));
    if (rc == SH_OK)
        rc = row(d->b, "Exceptions to the time limits",
                 t->exceptions_apply ? "An exception was recorded (regulation 10(4))" : "None");
    if (rc == SH_OK)
        rc = row(d->b, "Steps overdue today", arena_printf(req->a, "%d", t->overdue_count));
    return rc ? rc : html_fmt(d->b, "</dl>\n");
}

/* Every statutory step the engine found: what, from when, due, done, and
 * its result (met, late, overdue, pending). */
static int steps_table(casefile_doc *d, const char *label, const char *const *keys,
                       size_t n_keys)
{
    static const char *const heads[] = {"Step", "Clock started", "Due", "Done", "Result"};
    const journey_timeline *t = &d->v->timeline;
    size_t total = 0, shown = 0;
    int rc = SH_OK;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const char *key = journey_rule_key(t->deadlines[i].rule);
        bool want = n_keys == 0;
        for (size_t k = 0; k < n_keys && !want; k++)
            want = strcmp(key, keys[k]) == 0;
        if (!want)
            continue;
        if (total++ == 0)
            rc = table_open(d->b, label, heads, 5);
        if (rc || shown >= CASEFILE_STEPS_SHOWN)
            continue;
        const journey_deadline *x = &t->deadlines[i];
        /* Open steps as the record tags them (a family's own time limit is
         * not the council's to be late on); completed ones met or late. */
        const char *tag = x->done == DATE_NONE ? pages_step_tag(x, d->req->today)
                                               : html_status_tag(journey_status_name(x->status));
        rc = html_fmt(d->b, "<tr class=\"govuk-table__row\">\n"
                            "<td class=\"govuk-table__cell\">%s<br><span class=\"sendhub-casefile__note\">"
                            "%s</span></td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                      pages_step_label(d->req->a, key, x->agency), journey_rule_basis(x->rule),
                      pages_date_short(d->req->a, x->trigger), pages_date_short(d->req->a, x->due),
                      x->done != DATE_NONE ? pages_date_short(d->req->a, x->done) : "Not yet",
                      tag[0] ? tag : "");
        shown++;
    }
    if (rc == SH_OK && total == 0)
        return html_fmt(d->b, "<p class=\"govuk-body\">No statutory steps of this kind.</p>\n");
    if (rc == SH_OK)
        rc = table_close(d->b);
    return rc ? rc : more_note(d, shown, total, "steps");
}

static const event *correction_of(const app_case_view *v, int64_t id)
{
    for (size_t i = 0; i < v->n_events; i++)
        if (v->events[i].type == EV_CORRECTION && v->events[i].supersedes == id)
            return &v->events[i];
    return NULL;
}

/* Events by date, log order within a day (the order the record shows). */
static int by_date(const void *x, const void *y)
{
    const event *a = *(const event *const *)x, *b = *(const event *const *)y;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int timeline_table(casefile_doc *d)
{
    static const char *const heads[] = {"Date", "What happened"};
    const app_case_view *v = d->v;
    web_request *req = d->req;
    const event **e = arena_alloc(req->a, (v->n_events ? v->n_events : 1) * sizeof *e);
    if (!e)
        return SH_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < v->n_events; i++)
        if (v->events[i].type != EV_CORRECTION)
            e[n++] = &v->events[i];
    qsort(e, n, sizeof *e, by_date);
    int rc = table_open(d->b, "Timeline of events", heads, 2);
    size_t shown = n < CASEFILE_EVENTS_SHOWN ? n : CASEFILE_EVENTS_SHOWN;
    for (size_t i = 0; rc == SH_OK && i < shown; i++) {
        const char *details = pages_event_details(req->a, e[i]);
        const event *c = correction_of(v, e[i]->id);
        rc = html_fmt(d->b, "<tr class=\"govuk-table__row\">\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell\">%s%r%s%r%r</td>\n</tr>\n",
                      pages_date_short(req->a, e[i]->date), event_type_label(e[i]->type),
                      details[0] ? "<br><span class=\"sendhub-casefile__note\">" : "", details,
                      details[0] ? "</span>" : "",
                      c ? (c->replacement ? " <strong class=\"govuk-tag govuk-tag--grey\">"
                                            "Corrected</strong>"
                                          : " <strong class=\"govuk-tag govuk-tag--grey\">"
                                            "Removed</strong>")
                        : "");
    }
    if (rc == SH_OK)
        rc = table_close(d->b);
    return rc ? rc : more_note(d, shown, n, "events");
}

static int journey_part(casefile_doc *d)
{
    int rc = section_open(d, "journey", "2. The statutory journey");
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<p class=\"govuk-body\">As the record computes it today from the "
                            "events below (the same rules as the child's record): every "
                            "statutory step with the date it was due and whether it was "
                            "met.</p>\n");
    if (rc == SH_OK)
        rc = journey_summary(d);
    if (rc == SH_OK)
        rc = steps_table(d, "Statutory time limits", NULL, 0);
    if (rc == SH_OK)
        rc = timeline_table(d);
    return rc ? rc : html_fmt(d->b, "</section>\n");
}

/* ---- 3. the plan -------------------------------------------------------------------- */

static int plan_part(casefile_doc *d)
{
    static const char *const heads[] = {"Version", "What", "Issued"};
    const app_casefile *cf = d->cf;
    web_request *req = d->req;
    int rc = section_open(d, "plan", "3. The EHC plan");
    if (rc == SH_OK && !cf->has_latest)
        return html_fmt(d->b, "<p class=\"govuk-body\">No plan has been issued.</p>\n"
                              "</section>\n");
    if (rc == SH_OK)
        rc = table_open(d->b, "Issued versions, latest first", heads, 3);
    size_t n = cf->plan.n_versions, shown = 0;
    for (size_t i = n; rc == SH_OK && i-- > 0 && shown < CASEFILE_VERSIONS_SHOWN; shown++) {
        const store_plan_version *pv = &cf->plan.versions[i];
        rc = html_fmt(d->b, "<tr class=\"govuk-table__row\">\n"
                            "<td class=\"govuk-table__cell\">%d</td>\n"
                            "<td class=\"govuk-table__cell\">%s</td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n</tr>\n",
                      pv->version, pages_plan_kind_label(pv->kind), pages_date_short(req->a, pv->issued_on));
    }
    if (rc == SH_OK)
        rc = table_close(d->b);
    if (rc == SH_OK)
        rc = more_note(d, shown, n, "versions");
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<h3 class=\"govuk-heading-m\">Version %d in full: %s, issued "
                            "%D</h3>\n",
                      cf->latest.version, pages_plan_kind_label(cf->latest.kind), cf->latest.issued_on);
    if (rc == SH_OK)
        rc = pages_plan_sections(req, d->b, d->v->c.id, &cf->latest_plan);
    return rc ? rc : html_fmt(d->b, "</section>\n");
}

/* ---- 4. advice ------------------------------------------------------------------------ */

static const char *advice_result(advice_state s)
{
    switch (s) {
    case ADVICE_ON_TIME: return "<strong class=\"govuk-tag govuk-tag--green\">On time</strong>";
    case ADVICE_LATE: return "<strong class=\"govuk-tag govuk-tag--pink\">Late</strong>";
    case ADVICE_OVERDUE: return "<strong class=\"govuk-tag govuk-tag--red\">Overdue</strong>";
    case ADVICE_DUE_SOON:
        return "<strong class=\"govuk-tag govuk-tag--orange\">Due this week</strong>";
    default: return "<strong class=\"govuk-tag govuk-tag--grey\">Awaited</strong>";
    }
}

static int advice_answer(casefile_doc *d, const store_advice *r)
{
    int rc = html_fmt(d->b, "<h4 class=\"govuk-heading-s\">%s: %s, asked %D</h4>\n",
                      event_agency_label(r->agency), r->service, r->requested_on);
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = row(d->b, "Question", r->question);
    if (rc == SH_OK)
        rc = row(d->b, "Given by", r->submitted_by);
    if (rc == SH_OK)
        rc = row(d->b, "Needs", r->needs);
    if (rc == SH_OK)
        rc = row(d->b, "Outcomes", r->outcomes);
    if (rc == SH_OK)
        rc = row(d->b, "Provision", r->provision);
    return rc ? rc : html_fmt(d->b, "</dl>\n");
}

static int advice_part(casefile_doc *d)
{
    static const char *const heads[] = {"Asked", "Service", "Requested", "Due", "Received",
                                        "Result"};
    const app_casefile *cf = d->cf;
    web_request *req = d->req;
    int rc = section_open(d, "advice", "4. Advice");
    if (rc == SH_OK && cf->n_advice == 0)
        rc = html_fmt(d->b, "<p class=\"govuk-body\">No advice was requested through sendhub. "
                            "Advice recorded only as a journey event (a letter before sendhub) "
                            "is in the timeline.</p>\n");
    size_t shown = cf->n_advice < CASEFILE_ADVICE_SHOWN ? cf->n_advice : CASEFILE_ADVICE_SHOWN;
    if (rc == SH_OK && shown)
        rc = table_open(d->b, "Advice requests", heads, 6);
    for (size_t i = 0; rc == SH_OK && i < shown; i++) {
        const store_advice *r = &cf->advice[i];
        rc = html_fmt(d->b, "<tr class=\"govuk-table__row\">\n"
                            "<td class=\"govuk-table__cell\">%s</td>\n"
                            "<td class=\"govuk-table__cell\">%s</td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                      event_agency_label(r->agency), r->service,
                      pages_date_short(req->a, r->requested_on), pages_date_short(req->a, r->due),
                      r->received_on != DATE_NONE ? pages_date_short(req->a, r->received_on)
                                                  : "Not yet",
                      advice_result(advice_state_at(r->due, r->received_on, req->today)));
    }
    if (rc == SH_OK && shown)
        rc = table_close(d->b);
    if (rc == SH_OK)
        rc = more_note(d, shown, cf->n_advice, "advice requests");
    bool heading = false;
    for (size_t i = 0; rc == SH_OK && i < shown; i++) {
        if (cf->advice[i].received_on == DATE_NONE)
            continue;
        if (!heading && (rc = html_fmt(d->b, "<h3 class=\"govuk-heading-m\">The advice "
                                             "given</h3>\n")) == SH_OK)
            heading = true;
        if (rc == SH_OK)
            rc = advice_answer(d, &cf->advice[i]);
    }
    return rc ? rc : html_fmt(d->b, "</section>\n");
}

/* ---- 5. annual reviews ------------------------------------------------------------------ */

static int review_part(casefile_doc *d)
{
    static const char *const review_keys[] = {"annual_review", "review_report",
                                              "review_decision", "amendment_comments",
                                              "amended_plan", "phase_transfer"};
    const app_casefile *cf = d->cf;
    const store_review *r = &cf->review;
    int rc = section_open(d, "reviews", "5. Annual reviews");
    if (rc == SH_OK)
        rc = steps_table(d, "Review time limits", review_keys,
                         sizeof review_keys / sizeof review_keys[0]);
    if (rc == SH_OK && !cf->has_review)
        return html_fmt(d->b, "<p class=\"govuk-body\">No review record (invitations, "
                              "attendees, the setting's report) is held.</p>\n</section>\n");
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<h3 class=\"govuk-heading-m\">The latest review</h3>\n"
                            "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = date_row(d->b, "Invitations sent", r->invited_on);
    if (rc == SH_OK)
        rc = date_row(d->b, "Meeting", r->meeting_on);
    if (rc == SH_OK)
        rc = date_row(d->b, "Advice circulated", r->advice_on);
    if (rc == SH_OK)
        rc = row(d->b, "Attended", r->attendees);
    if (rc == SH_OK)
        rc = date_row(d->b, "Setting's report", r->report_on);
    if (rc == SH_OK)
        rc = row(d->b, "Report", r->report_text);
    if (rc == SH_OK)
        rc = row(d->b, "Recommendations", r->recommendations);
    return rc ? rc : html_fmt(d->b, "</dl>\n</section>\n");
}

/* ---- 6. health, 7. family, 8. corrections ------------------------------------------------ */

/* "15 weeks and 1 day": a standard is met or missed by a day, so a closed
 * wait is written to the day. */
static const char *weeks_days(arena *a, int days)
{
    int w = days / 7, r = days % 7;
    const char *ws = arena_printf(a, "%d week%s", w, w == 1 ? "" : "s");
    const char *rs = arena_printf(a, "%d day%s", r, r == 1 ? "" : "s");
    return w == 0 ? rs : r == 0 ? ws : arena_printf(a, "%s and %s", ws, rs);
}

static const char *triage_label(wait_triage t)
{
    static const char *const labels[WAIT_TRIAGE_COUNT] = {"Not triaged", "Accepted",
                                                          "Rejected", "Redirected"};
    return (unsigned)t < WAIT_TRIAGE_COUNT ? labels[t] : "";
}

/* A milestone on its own line of a cell, when it happened. */
static int milestone_line(casefile_doc *d, const char *what, date_t day, bool *any)
{
    if (day == DATE_NONE)
        return SH_OK;
    int rc = html_fmt(d->b, "%r%s %s", *any ? "<br>" : "", what,
                      pages_date_short(d->req->a, day));
    *any = true;
    return rc;
}

static const char *standard_tag(arena *a, const health_closed_referral *c)
{
    if (c->v.seen == DATE_NONE)
        return "<strong class=\"govuk-tag govuk-tag--grey\">Not seen</strong>";
    return arena_printf(a, "<strong class=\"govuk-tag govuk-tag--%s\">%s %d weeks</strong>",
                        c->within_standard ? "green" : "red",
                        c->within_standard ? "Within" : "Over", c->v.pathway.standard_weeks);
}

static int closed_row(casefile_doc *d, const health_closed_referral *c)
{
    arena *a = d->req->a;
    const store_referral *r = &c->v.r;
    int rc = html_fmt(d->b, "<tr class=\"govuk-table__row\">\n"
                            "<td class=\"govuk-table__cell\">%s<br><span "
                            "class=\"sendhub-secondary\">%s</span></td>\n"
                            "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                            "<td class=\"govuk-table__cell\">%s%s%s%s%s</td>\n"
                            "<td class=\"govuk-table__cell\">",
                      c->v.pathway.name, c->v.pathway.provider,
                      pages_date_short(a, r->referral_date), triage_label(r->triage),
                      r->triage_date != DATE_NONE ? ", " : "",
                      r->triage_date != DATE_NONE ? pages_date_short(a, r->triage_date) : "",
                      r->triage_reason[0] ? ": " : "", r->triage_reason);
    bool any = false;
    if (rc == SH_OK)
        rc = milestone_line(d, "First contact", r->first_contact, &any);
    if (rc == SH_OK)
        rc = milestone_line(d, "Assessment started", r->assessment_started, &any);
    if (rc == SH_OK)
        rc = milestone_line(d, "Assessment completed", r->assessment_completed, &any);
    if (rc == SH_OK && !any)
        rc = html_fmt(d->b, "None");
    int paused = c->wait_calendar_days - c->wait_days;
    if (rc == SH_OK)
        rc = html_fmt(d->b, "</td>\n<td class=\"govuk-table__cell\">%s%s%s%s</td>\n"
                            "<td class=\"govuk-table__cell\">%s %s</td>\n"
                            "<td class=\"govuk-table__cell\">%s%r%s%r</td>\n"
                            "<td class=\"govuk-table__cell\">%r</td>\n"
                            "<td class=\"govuk-table__cell\">%s%s</td>\n</tr>\n",
                      r->outcome[0] ? r->outcome : "Not recorded", r->outcome_code[0] ? " (" : "",
                      r->outcome_code, r->outcome_code[0] ? ")" : "",
                      r->discharged != DATE_NONE ? "Discharged" : triage_label(r->triage),
                      pages_date_short(a, c->closed),
                      c->v.seen != DATE_NONE ? weeks_days(a, c->wait_days)
                                             : arena_printf(a, "Not seen: %s until closed",
                                                            weeks_days(a, c->wait_days)),
                      paused > 0 ? "<br><span class=\"sendhub-secondary\">" : "",
                      paused > 0 ? arena_printf(a, "the family paused the clock for %d day%s",
                                                paused, paused == 1 ? "" : "s")
                                 : "",
                      paused > 0 ? "</span>" : "", standard_tag(a, c),
                      weeks_days(a, c->total_days),
                      r->assessment_completed != DATE_NONE ? "" : " (to closure)");
    return rc;
}

static int closed_referrals(casefile_doc *d)
{
    static const char *const heads[] = {"Pathway", "Referred", "Triage",
                                        "Seen and assessed", "Outcome", "Closed",
                                        "Waited to be seen", "Within the standard",
                                        "Referral to assessment completed"};
    const app_casefile *cf = d->cf;
    if (cf->n_closed_referrals == 0)
        return html_fmt(d->b, "<p class=\"govuk-body\">No closed referrals.</p>\n");
    int rc = table_open(d->b, "Closed referrals", heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; rc == SH_OK && i < cf->n_closed_referrals; i++)
        rc = closed_row(d, &cf->closed_referrals[i]);
    if (rc == SH_OK)
        rc = table_close(d->b);
    if (rc == SH_OK && cf->n_closed_referrals < cf->closed_referrals_total)
        rc = html_fmt(d->b, "<p class=\"govuk-body-s\"><strong>The newest %zu of %zu closed "
                            "referrals are shown.</strong> The rest are on the child's "
                            "record.</p>\n",
                      cf->n_closed_referrals, cf->closed_referrals_total);
    return rc ? rc : html_fmt(d->b, "<p class=\"govuk-body-s sendhub-secondary\">The wait to "
                                    "be seen runs from the referral to the pathway's clock-stop "
                                    "milestone (first contact, or the assessment starting) and "
                                    "is the wait the pathway's standard is about; both waits "
                                    "leave out the time the family paused the clock.</p>\n");
}

static int health_part(casefile_doc *d)
{
    int rc = section_open(d, "health", "6. Health referrals and waits");
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<p class=\"govuk-body\">Referrals to the area's health "
                            "pathways: the open ones with the wait so far, then the closed "
                            "ones (discharged, rejected or redirected) with how long the "
                            "child waited.</p>\n");
    if (rc == SH_OK)
        rc = pages_health_waits_table(d->req, d->b, d->cf->referrals, d->cf->n_referrals);
    if (rc == SH_OK)
        rc = closed_referrals(d);
    return rc ? rc : html_fmt(d->b, "</section>\n");
}

static int family_part(casefile_doc *d)
{
    const app_casefile *cf = d->cf;
    int rc = section_open(d, "family", "7. The family: what they sent and messages");
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<h3 class=\"govuk-heading-m\">Sent through the family "
                            "portal</h3>\n");
    if (rc == SH_OK && cf->n_submissions == 0)
        rc = html_fmt(d->b, "<p class=\"govuk-body\">Nothing was sent through the family "
                            "portal.</p>\n");
    else if (rc == SH_OK)
        rc = pages_submissions_html(d->req, d->b, d->v->c.id, cf->submissions,
                                    cf->n_submissions, cf->files, cf->n_files);
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<h3 class=\"govuk-heading-m\">When the council asked for their "
                            "views</h3>\n");
    if (rc == SH_OK && cf->n_views_requests == 0)
        rc = html_fmt(d->b, "<p class=\"govuk-body\">The council did not ask the family for "
                            "their views on this case through the portal.</p>\n");
    else if (rc == SH_OK)
        rc = pages_views_request_rows(d->req, d->b, d->v, cf->views_requests,
                                      cf->n_views_requests, false);
    if (rc == SH_OK)
        rc = html_fmt(d->b, "<h3 class=\"govuk-heading-m\">Messages with the family</h3>\n");
    size_t shown = cf->n_messages < CASEFILE_MESSAGES_SHOWN ? cf->n_messages
                                                            : CASEFILE_MESSAGES_SHOWN;
    if (rc == SH_OK)
        rc = pages_message_thread(d->req, d->b, cf->messages, shown, false);
    if (rc == SH_OK && cf->n_messages >= STORE_PORTAL_THREAD_MAX)
        rc = html_fmt(d->b, "<p class=\"govuk-body-s\"><strong>The newest %d messages are "
                            "shown.</strong></p>\n",
                      STORE_PORTAL_THREAD_MAX);
    return rc ? rc : html_fmt(d->b, "</section>\n");
}

static int corrections_part(casefile_doc *d)
{
    static const char *const heads[] = {"Corrected on", "Entry corrected", "Reason",
                                        "Replaced by"};
    const app_case_view *v = d->v;
    web_request *req = d->req;
    int rc = section_open(d, "corrections", "8. Corrections");
    size_t n = 0;
    for (size_t i = 0; rc == SH_OK && i < v->n_events; i++) {
        const event *c = &v->events[i];
        if (c->type != EV_CORRECTION)
            continue;
        if (n++ == 0)
            rc = table_open(d->b, "Corrections to the record", heads, 4);
        const event *old = NULL;
        for (size_t j = 0; j < v->n_events && !old; j++)
            if (v->events[j].id == c->supersedes)
                old = &v->events[j];
        if (rc == SH_OK)
            rc = html_fmt(d->b, "<tr class=\"govuk-table__row\">\n"
                                "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                                "<td class=\"govuk-table__cell\">%s, %s</td>\n"
                                "<td class=\"govuk-table__cell\">%s</td>\n"
                                "<td class=\"govuk-table__cell\">%s</td>\n</tr>\n",
                          pages_date_short(req->a, c->date),
                          old ? event_type_label(old->type) : "An entry",
                          old ? pages_date_short(req->a, old->date) : "",
                          c->reason,
                          c->replacement ? arena_printf(req->a, "%s, %s",
                                                        event_type_label(c->replacement->type),
                                                        pages_date_short(req->a,
                                                                         c->replacement->date))
                                         : "Removed");
    }
    if (rc == SH_OK && n == 0)
        rc = html_fmt(d->b, "<p class=\"govuk-body\">No entry has been corrected.</p>\n");
    else if (rc == SH_OK)
        rc = table_close(d->b);
    return rc ? rc : html_fmt(d->b, "</section>\n");
}

static int casefile_body(casefile_doc *d)
{
    int rc = html_fmt(d->b, "<div class=\"sendhub-casefile\">\n");
    if (rc == SH_OK)
        rc = header(d);
    if (rc == SH_OK)
        rc = contents(d);
    if (rc == SH_OK)
        rc = child_part(d);
    if (rc == SH_OK)
        rc = journey_part(d);
    if (rc == SH_OK)
        rc = plan_part(d);
    if (rc == SH_OK)
        rc = advice_part(d);
    if (rc == SH_OK)
        rc = review_part(d);
    if (rc == SH_OK)
        rc = health_part(d);
    if (rc == SH_OK)
        rc = family_part(d);
    if (rc == SH_OK)
        rc = corrections_part(d);
    return rc ? rc : html_fmt(d->b, "<p class=\"sendhub-casefile__marking\">OFFICIAL-SENSITIVE"
                                    "</p>\n</div>\n");
}

/* ---- the routes ---------------------------------------------------------------------- */

/* Loads the case (visibility decided and a denial audited by
 * pages_case_load), refuses roles without case files (audited, 403), reads
 * the file and audits the read with its purpose. */
static int load(web_request *req, web_response *res, app_case_view *v, app_casefile *cf,
                const char **name, const char **area, const char *detail)
{
    int rc = pages_case_load(req, res, false, v);
    if (rc)
        return rc;
    if (!access_can(&req->who, CAN_SEE_CASE_FILES)) {
        rc = pages_audit(req, "denied", "case", v->c.id, v->c.child_id,
                         "case file: role may not open case files");
        return pages_fail(req, res, rc ? rc : SH_EDENIED);
    }
    app_error err = {0};
    if ((rc = app_casefile_load(req->db, &req->who, v, req->today, req->a, cf, &err)))
        return pages_fail(req, res, rc);
    if (store_area_name(req->db, req->who.la_code, req->a, area) != SH_OK || !*area)
        *area = arena_printf(req->a, "Local authority %s", req->who.la_code);
    *name = arena_printf(req->a, "%s %s", v->child.forename, v->child.surname);
    if (!*name || !*area)
        return pages_fail(req, res, SH_ENOMEM);
    if ((rc = pages_audit(req, "read", "case", v->c.id, v->c.child_id, detail)))
        return pages_fail(req, res, rc);
    return SH_OK;
}

int page_casefile(web_request *req, web_response *res)
{
    app_case_view v;
    app_casefile cf;
    const char *name, *area;
    int rc = load(req, res, &v, &cf, &name, &area, CASEFILE_PURPOSE);
    if (rc)
        return rc;
    html_page p = {.title = arena_printf(req->a, "Case file: %s", name), .nav = "caseload",
                   .back_href = arena_printf(req->a, "/cases/%lld", (long long)v.c.id),
                   .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body sendhub-no-print\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/casefile/pdf\">Download the case file as a PDF</a>."
                         " To print, use your browser's print command: it prints on A4 without "
                         "the navigation, each part on a new page.</p>\n",
                      (long long)v.c.id);
    casefile_doc d = {.req = req, .b = b, .v = &v, .cf = &cf, .name = name, .area = area};
    if (rc == SH_OK)
        rc = casefile_body(&d);
    return pages_end(req, res, rc);
}

/* The PDF's own rules after the plain PDF stylesheet (pages_pdf_begin): A4 with the marking at the top
 * of every page and page numbers at the foot (page margin boxes), a part
 * per page, tables and the marking. */
static const char casefile_pdf_css[] =
    "@page{size:A4;@top-center{content:\"OFFICIAL-SENSITIVE\";font:bold 9pt Arial,sans-serif}"
    "@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);"
    "font:9pt Arial,sans-serif}}"
    ".sendhub-casefile__part{break-before:page}"
    ".sendhub-casefile__marking{font-weight:bold;letter-spacing:1pt;border:2px solid #0b0c0c;"
    "display:inline-block;padding:2pt 6pt;margin:0 0 8pt}"
    ".govuk-caption-l{color:#505a5f;font-size:12pt}"
    "h1{font-size:22pt}h4{font-size:11pt;margin:10pt 0 4pt}"
    ".sendhub-casefile__contents a{color:#0b0c0c;text-decoration:none}"
    "table{border-collapse:collapse;width:100%;margin:0 0 12pt;font-size:10pt}"
    "caption{text-align:left;font-weight:bold;font-size:12pt;margin:0 0 4pt}"
    "th,td{text-align:left;vertical-align:top;border-bottom:1px solid #b1b4b6;padding:3pt 4pt}"
    "tr{break-inside:avoid}.sendhub-nowrap{white-space:nowrap}"
    ".sendhub-casefile__note{color:#505a5f}"
    ".govuk-tag{font-weight:bold}.govuk-inset-text{border-left:4px solid #b1b4b6;"
    "padding:0 0 0 8pt;margin:0 0 8pt}.sendhub-prewrap{white-space:pre-wrap}";

int page_casefile_pdf(web_request *req, web_response *res)
{
    app_case_view v;
    app_casefile cf;
    const char *name, *area;
    int rc = load(req, res, &v, &cf, &name, &area, CASEFILE_PURPOSE " (PDF)");
    if (rc)
        return rc;
    buf html;
    rc = pages_pdf_begin(&html, arena_printf(req->a, "Case file: %s", name), casefile_pdf_css);
    casefile_doc d = {.req = req, .b = &html, .v = &v, .cf = &cf, .name = name, .area = area};
    if (rc == SH_OK)
        rc = casefile_body(&d);
    return pages_pdf_end(req, res, &html, rc,
                         arena_printf(req->a, "case-file-case-%lld.pdf", (long long)v.c.id));
}

/* ---- the sample ------------------------------------------------------------------------ */

static const pages_option by_opts[] = {
    {"none", "No: from all open cases at once", NULL},
    {"stage", "By plan status (the journey's stage)", NULL},
    {"need", "By primary need", NULL},
};

/* A whole number of at most `digits` digits, or -1. */
static int64_t whole(const char *s, size_t digits)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > digits || strspn(s, "0123456789") != n)
        return -1;
    return (int64_t)strtoll(s, NULL, 10);
}

/* A fresh seed for a first visit: random, so the council cannot know it
 * in advance; shown, so the sample can be drawn again. */
static int64_t fresh_seed(void)
{
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
        r = (uint32_t)time(NULL);
    return 100000 + (int64_t)(r % 900000u);
}

static int sample_form(buf *b, const char *n, const char *seed,
                       const char *by, const pages_errors *errs)
{
    int rc = html_fmt(b, "<form method=\"get\" action=\"/inspections/sample\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "n", .label = "How many children",
                                                .hint = "From 1 to 20",
                                                .value = n, .inputmode = "numeric",
                                                .classes = "govuk-input--width-2"},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "seed", .label = "Seed",
                                                .hint = "A whole number of up to 12 digits. "
                                                        "The same seed draws the same "
                                                        "children from the same open cases.",
                                                .value = seed, .inputmode = "numeric",
                                                .classes = "govuk-input--width-10",
                                                .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "by", .legend = "Spread the sample",
                                                  .hint = "Each group gets places in "
                                                          "proportion to its size",
                                                  .opts = by_opts, .n = 3, .checked = by,
                                                  .small = true},
                          errs);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                            "data-module=\"govuk-button\">Draw the sample</button>\n</form>\n");
}

static int sample_table(web_request *req, buf *b, const store_caseload_row *rows, size_t n,
                        const char *caption)
{
    static const char *const heads[] = {"Child", "Date of birth", "Plan status",
                                        "Primary need", "Case file"};
    int rc = html_fmt(b, "<div id=\"sample\">\n");
    if (rc == SH_OK)
        rc = table_open(b, caption, heads, 5);
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const store_caseload_row *r = &rows[i];
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<td class=\"govuk-table__cell\">%s %s<br><span class=\"govuk-body-s\">"
                         "EHC case %lld</span></td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/casefile\">Case file<span "
                         "class=\"govuk-visually-hidden\"> for %s %s</span></a></td>\n</tr>\n",
                      r->forename, r->surname, (long long)r->c.id,
                      pages_date_short(req->a, r->date_of_birth),
                      journey_stage_label(r->c.summary.stage),
                      r->sen_need >= 0 ? pages_need_label(r->sen_need) : "Not recorded",
                      (long long)r->c.id, r->forename, r->surname);
    }
    if (rc == SH_OK)
        rc = table_close(b);
    return rc ? rc : html_fmt(b, "</div>\n");
}

/* Reads the sample's arguments; SH_EINVAL with the messages. */
static int sample_args(web_request *req, const char *n_s, const char *seed_s, const char *by_s,
                       size_t *n, uint64_t *seed, casefile_by *by, pages_errors *errs)
{
    int64_t k = whole(n_s, 2);
    if (k < 1 || k > SAMPLE_MAX)
        pages_errors_add(errs, "n", arena_printf(req->a, "Enter a number of children from 1 "
                                                         "to %d", SAMPLE_MAX));
    int64_t s = whole(seed_s, SEED_MAX_DIGITS);
    if (s < 0)
        pages_errors_add(errs, "seed", "Enter the seed as a whole number of up to 12 digits");
    int b = casefile_by_parse(by_s);
    if (b < 0)
        pages_errors_add(errs, "by", "Select how to spread the sample");
    *n = k > 0 ? (size_t)k : 0;
    *seed = s > 0 ? (uint64_t)s : 0;
    *by = b > 0 ? (casefile_by)b : CASEFILE_BY_NONE;
    return errs->n ? SH_EINVAL : SH_OK;
}

static const char *by_words(casefile_by by)
{
    return by == CASEFILE_BY_STAGE ? ", spread by plan status"
           : by == CASEFILE_BY_NEED ? ", spread by primary need"
                                    : "";
}

int page_casefile_sample(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_SEE_INSPECTIONS) ||
        !access_can(&req->who, CAN_SEE_CASE_FILES)) {
        int rc = pages_audit(req, "denied", "evidence_sample", 0, 0,
                             "sample of children for a deep dive");
        return pages_fail(req, res, rc ? rc : SH_EDENIED);
    }
    const char *n_s = web_query(req, "n"), *seed_s = web_query(req, "seed"),
               *by_s = web_query(req, "by");
    bool drawing = n_s != NULL;
    if (drawing && (!seed_s || !seed_s[0])) /* a seed is always in the address */
        return pages_redirect(res, arena_printf(req->a,
                                                "/inspections/sample?n=%s&seed=%lld&by=%s",
                                                pages_url_encode(req->a, n_s),
                                                (long long)fresh_seed(),
                                                pages_url_encode(req->a, by_s ? by_s : "none")));
    if (!drawing) {
        n_s = "10";
        seed_s = arena_printf(req->a, "%lld", (long long)fresh_seed());
        by_s = "none";
    }
    pages_errors errs = {0};
    size_t want = 0, got = 0, population = 0;
    uint64_t seed = 0;
    casefile_by by = CASEFILE_BY_NONE;
    store_caseload_row *rows = NULL;
    int rc = SH_OK;
    if (drawing && sample_args(req, n_s, seed_s, by_s, &want, &seed, &by, &errs) == SH_OK) {
        app_error err = {0};
        rc = app_casefile_sample(req->db_read, &req->who, want, seed, by, req->a, &rows, &got,
                                 &population, &err);
        if (rc)
            return pages_fail(req, res, rc);
        char ids[SAMPLE_MAX * 21 + 1] = "";
        size_t len = 0;
        for (size_t i = 0; i < got && len < sizeof ids; i++)
            len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%lld", i ? " " : "",
                                    (long long)rows[i].c.id);
        rc = pages_audit(req, "read", "evidence_sample", 0, 0,
                         arena_printf(req->a, "seed %" PRIu64 ", %zu of %zu open cases%s: %s",
                                      seed, got, population, by_words(by), ids));
        if (rc)
            return pages_fail(req, res, rc);
    }
    html_page p = {.title = "Sample children for a deep dive", .nav = "inspections",
                   .back_href = "/inspections", .has_errors = errs.n > 0};
    buf *b = &res->body;
    rc = pages_begin(req, res, errs.n ? 400 : 200, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs.e, errs.n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Inspectors choose children for deep dives. "
                         "The sample is drawn at random from every child with an open EHC "
                         "needs assessment or plan (the open cases of the person-level list), "
                         "from a seed: the "
                         "same seed and settings draw the same children again as long as the "
                         "open cases are the same, so anyone can check that the children were "
                         "not chosen by hand. A new seed is suggested each time; keep the one "
                         "you used.</p>\n");
    if (rc == SH_OK)
        rc = sample_form(b, n_s, seed_s, by_s, &errs);
    if (rc == SH_OK && drawing && errs.n == 0 && got == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">There are no open cases to sample.</p>\n");
    else if (rc == SH_OK && drawing && errs.n == 0)
        rc = sample_table(req, b, rows, got,
                          arena_printf(req->a, "%zu of %zu children with an open case, seed "
                                               "%" PRIu64 "%s",
                                       got, population, seed, by_words(by)));
    return pages_end(req, res, rc);
}
