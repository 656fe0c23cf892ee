/*
 * page_review.c — annual reviews: the review calendar (every plan's next
 * review, by month and school), the term's list of reviews per school (to
 * print and send at the start of each term), a child's review record with
 * the form for its next step, and ceasing a plan.
 *
 * Every date that is a statutory time limit comes from the engine
 * (app_review_step over the case's timeline); the page only adds what the
 * review record holds (invitations, attendees, the setting's report). A
 * SENCo sees their own pupils only and records only the setting's report.
 */
#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/review.h"
#include "core/review.h"
#include "util/err.h"
#include "web/page_review.h"

#define MONTHS_AHEAD 12 /* months offered in the calendar's month filter */

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",  "September", "October", "November", "December",
};

/* ---- shared pieces -------------------------------------------------------------- */

static const char *child_name(web_request *req, const app_case_view *v)
{
    const char *n = arena_printf(req->a, "%s %s", v->child.forename, v->child.surname);
    return n ? n : "";
}

/* "Oak Primary (URN 100001)", "URN 100001", or "No setting recorded". */
static const char *setting_text(web_request *req, const char *urn)
{
    if (!urn[0])
        return "No setting recorded";
    const char *name = NULL;
    if (store_setting_name(req->db, urn, req->a, &name) != SH_OK || !name)
        return arena_printf(req->a, "URN %s", urn);
    const char *s = arena_printf(req->a, "%s (URN %s)", name, urn);
    return s ? s : urn;
}

static int warning(buf *b, const char *text)
{
    return html_fmt(b, "<div class=\"govuk-warning-text\">\n"
                       "<span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span>\n"
                       "<strong class=\"govuk-warning-text__text\">"
                       "<span class=\"govuk-visually-hidden\">Warning</span> %s</strong>\n"
                       "</div>\n",
                    text);
}

static int row(buf *b, const char *key, const char *value_html)
{
    return html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                       "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                       "<dd class=\"govuk-summary-list__value\">%r</dd>\n</div>\n",
                    key, value_html);
}

/* Escaped text as markup in the arena (for row()), "Not yet" when empty. */
static const char *text_html(web_request *req, const char *text)
{
    buf t;
    buf_init(&t, 64 * 1024);
    int rc = text && text[0] ? html_fmt(&t, "%s", text)
                             : html_fmt(&t, "<span class=\"govuk-hint govuk-!-margin-0\">Not "
                                            "yet</span>");
    const char *out = rc == SH_OK && t.data ? arena_strdup(req->a, t.data) : NULL;
    buf_free(&t);
    return out ? out : "";
}

static const char *date_text(web_request *req, date_t d)
{
    if (d == DATE_NONE)
        return "";
    char s[40];
    date_format_long(d, s, sizeof s);
    const char *out = arena_strdup(req->a, s);
    return out ? out : "";
}

/* Tag for a calendar or list row: overdue, due this week, or none. */
static const char *due_tag(date_t due, step_status st, date_t today)
{
    if (st == STEP_OVERDUE)
        return html_status_tag("overdue");
    return pages_due_tag(due, today);
}

void page_review_error(web_request *req, pages_errors *errs, const app_error *err,
                       const char *fallback)
{
    const char *f = err->field;
    size_t n = f ? strlen(f) : 0;
    const char *id = !f                                          ? fallback
                     : n > 3 && strcmp(f + n - 3, "_on") == 0 ? arena_printf(req->a, "%s-day", f)
                                                                : f;
    pages_errors_add(errs, id ? id : fallback, arena_strdup(req->a, err->message));
}

/* ---- the calendar ------------------------------------------------------------------ */

typedef struct {
    const char *month;  /* "YYYY-MM", "overdue" or "" */
    const char *school; /* URN or "" */
} calendar_filter;

static bool row_matches(const app_review_row *r, const calendar_filter *f, date_t today)
{
    if (r->review_due == DATE_NONE)
        return false;
    if (f->school[0] && strcmp(r->setting_urn, f->school) != 0)
        return false;
    if (strcmp(f->month, "overdue") == 0)
        return r->review_due < today;
    if (f->month[0]) {
        int y, m;
        date_to_ymd(r->review_due, &y, &m, NULL);
        char key[16];
        snprintf(key, sizeof key, "%04d-%02d", y, m);
        return strcmp(key, f->month) == 0;
    }
    return true;
}

/* The distinct settings of the rows, in first-seen order (at most cap). */
static size_t distinct_schools(const app_review_row *rows, size_t n, const char **out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        if (!rows[i].setting_urn[0])
            continue;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(out[j], rows[i].setting_urn) == 0;
        if (!seen)
            out[k++] = rows[i].setting_urn;
    }
    return k;
}

#define SCHOOLS_MAX 500

static int school_select(web_request *req, buf *b, const app_review_row *rows, size_t n,
                         const char *selected)
{
    if (req->who.role == ROLE_SETTING)
        return SH_OK; /* a SENCo's lists are their own school's */
    const char **urns = arena_calloc(req->a, SCHOOLS_MAX, sizeof *urns);
    pages_option *opts = arena_calloc(req->a, SCHOOLS_MAX + 1, sizeof *opts);
    if (!urns || !opts)
        return SH_ENOMEM;
    size_t k = distinct_schools(rows, n, urns, SCHOOLS_MAX);
    opts[0] = (pages_option){"", "All schools and settings", NULL};
    for (size_t i = 0; i < k; i++)
        opts[i + 1] = (pages_option){urns[i], setting_text(req, urns[i]), NULL};
    return pages_select(b, "school", "School or setting", NULL, opts, k + 1, selected, NULL);
}

static int month_select(web_request *req, buf *b, const char *selected)
{
    pages_option opts[MONTHS_AHEAD + 2];
    opts[0] = (pages_option){"", "Any month", NULL};
    opts[1] = (pages_option){"overdue", "Overdue", NULL};
    int y, m;
    date_to_ymd(req->today, &y, &m, NULL);
    for (int i = 0; i < MONTHS_AHEAD; i++) {
        int mm = (m - 1 + i) % 12, yy = y + (m - 1 + i) / 12;
        opts[i + 2] = (pages_option){arena_printf(req->a, "%04d-%02d", yy, mm + 1),
                                     arena_printf(req->a, "%s %d", month_names[mm], yy), NULL};
        if (!opts[i + 2].value || !opts[i + 2].text)
            return SH_ENOMEM;
    }
    return pages_select(b, "month", "Review due in", NULL, opts, MONTHS_AHEAD + 2, selected,
                        NULL);
}

static int calendar_row(web_request *req, buf *b, const app_review_row *r)
{
    return html_fmt(b,
                    "<tr class=\"govuk-table__row\">\n"
                    "<th scope=\"row\" class=\"govuk-table__header\"><a class=\"govuk-link\" "
                    "href=\"/cases/%lld/review\">%s %s</a></th>\n"
                    "<td class=\"govuk-table__cell\">%s</td>\n"
                    "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                    "<td class=\"govuk-table__cell\">%s</td>\n"
                    "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                    (long long)r->case_id, r->forename, r->surname,
                    setting_text(req, r->setting_urn), pages_date_short(req->a, r->review_due),
                    journey_stage_label(r->stage), due_tag(r->review_due, r->review_status,
                                                           req->today));
}

static int calendar_table(web_request *req, buf *b, const app_review_row *rows, size_t n,
                          const calendar_filter *f)
{
    size_t match = 0;
    for (size_t i = 0; i < n; i++)
        match += row_matches(&rows[i], f, req->today);
    size_t pages = match ? (match + PAGES_PER_PAGE - 1) / PAGES_PER_PAGE : 1;
    size_t page = pages_query_page(req, "page", pages);
    if (match == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No reviews match these filters.</p>\n");
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" "
                         "aria-label=\"Reviews due\" tabindex=\"0\">\n"
                         "<table class=\"govuk-table\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">%zu "
                         "%s due<span class=\"govuk-caption-m\">Earliest first, as of %D</span>"
                         "</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Child</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">School or setting</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Review due</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Stage</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Status</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      match, match == 1 ? "review" : "reviews", req->today);
    size_t seen = 0, first = (page - 1) * PAGES_PER_PAGE;
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        if (!row_matches(&rows[i], f, req->today))
            continue;
        if (seen >= first && seen < first + PAGES_PER_PAGE)
            rc = calendar_row(req, b, &rows[i]);
        seen++;
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n");
    const char *base = arena_printf(req->a, "/reviews?month=%s&school=%s&page=",
                                    pages_url_encode(req->a, f->month),
                                    pages_url_encode(req->a, f->school));
    return rc ? rc : pages_pagination(b, base ? base : "/reviews?page=", page, pages);
}

/* Loads the rows for a list page; renders the error page on failure. */
static int load_rows(web_request *req, web_response *res, app_review_row **rows, size_t *n)
{
    app_error err = {0};
    int rc = app_review_rows(req->db, &req->who, req->today, req->a, rows, n, &err);
    if (rc == SH_EDENIED) {
        int arc = pages_audit(req, "denied", "caseload", 0, 0, "reviews not shared with role");
        return pages_fail(req, res, arc ? arc : rc);
    }
    if (rc)
        return pages_fail(req, res, rc);
    rc = pages_audit(req, "read", "caseload", 0, 0, "review calendar");
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

int page_reviews(web_request *req, web_response *res)
{
    app_review_row *rows;
    size_t n;
    int rc = load_rows(req, res, &rows, &n);
    if (rc)
        return rc;
    calendar_filter f = {pages_trim(req->a, web_query(req, "month")),
                         req->who.role == ROLE_SETTING ? req->who.setting_urn
                                                       : pages_trim(req->a, web_query(req, "school"))};
    html_page p = {.title = "Annual reviews", .nav = "reviews"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Every EHC plan must be reviewed within 12 "
                         "months of being issued or last reviewed. The date shown is when "
                         "each plan's next review meeting is due.</p>\n"
                         "<ul class=\"govuk-list\">\n"
                         "<li><a class=\"govuk-link\" href=\"/reviews/term\">Reviews due this "
                         "term, by school (to send to schools)</a></li>\n"
                         "<li><a class=\"govuk-link\" href=\"/transfers\">Children moving "
                         "school or college next September</a></li>\n</ul>\n"
                         "<form method=\"get\" action=\"/reviews\" class=\"sendhub-filters\" "
                         "novalidate>\n"
                         "<h2 class=\"govuk-visually-hidden\">Filter reviews</h2>\n"
                         "<div class=\"sendhub-filters__row\">\n");
    if (rc == SH_OK)
        rc = month_select(req, b, f.month);
    if (rc == SH_OK)
        rc = school_select(req, b, rows, n, f.school);
    if (rc == SH_OK)
        rc = html_fmt(b, "</div>\n<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
                         "data-module=\"govuk-button\">Apply filters</button>\n"
                         "<a class=\"govuk-link\" href=\"/reviews\">Clear filters</a>\n"
                         "</div>\n</form>\n");
    if (rc == SH_OK)
        rc = calendar_table(req, b, rows, n, &f);
    return pages_end(req, res, rc);
}

/* ---- the term's list, per school ---------------------------------------------------- */

static int term_select(web_request *req, buf *b, review_term_id selected)
{
    review_term_id t = review_term_of(req->today);
    pages_option opts[3];
    char sel[16];
    review_term_key(selected, sel, sizeof sel);
    for (int i = 0; i < 3; i++, t = review_term_next(t)) {
        char key[16], label[40];
        review_term_key(t, key, sizeof key);
        review_term_label(t, label, sizeof label);
        opts[i] = (pages_option){arena_strdup(req->a, key), arena_strdup(req->a, label), NULL};
        if (!opts[i].value || !opts[i].text)
            return SH_ENOMEM;
    }
    return pages_select(b, "term", "Term", NULL, opts, 3, sel, NULL);
}

static int term_school(web_request *req, buf *b, const char *urn, const app_review_row *rows,
                       size_t n, date_t first, date_t last)
{
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"%s\" "
                         "tabindex=\"0\">\n<table class=\"govuk-table sendhub-term-list\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">%s"
                         "</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Child</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Review due</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Status</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      setting_text(req, urn), setting_text(req, urn));
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const app_review_row *r = &rows[i];
        if (strcmp(r->setting_urn, urn) != 0 || r->review_due == DATE_NONE ||
            r->review_due < first || r->review_due > last)
            continue;
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<th scope=\"row\" class=\"govuk-table__header\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/review\">%s %s</a></th>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%r</td>\n</tr>\n",
                      (long long)r->case_id, r->forename, r->surname,
                      pages_date_short(req->a, r->review_due),
                      due_tag(r->review_due, r->review_status, req->today));
    }
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

int page_reviews_term(web_request *req, web_response *res)
{
    app_review_row *rows;
    size_t n;
    int rc = load_rows(req, res, &rows, &n);
    if (rc)
        return rc;
    review_term_id term = review_term_of(req->today);
    const char *t = web_query(req, "term");
    if (t && t[0] && review_term_parse(t, &term) != SH_OK)
        term = review_term_of(req->today);
    const char *school = req->who.role == ROLE_SETTING
                             ? req->who.setting_urn
                             : pages_trim(req->a, web_query(req, "school"));
    date_t first, last;
    review_term_range(term, &first, &last);
    char label[40];
    review_term_label(term, label, sizeof label);
    const char *title = arena_printf(req->a, "Reviews due: %s", label);
    html_page p = {.title = title ? title : "Reviews due this term", .nav = "reviews",
                   .back_href = "/reviews"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">Annual reviews due from %D to %D, for each "
                         "school or setting. The council should send each setting its list at "
                         "the start of the term, so meetings can be arranged with 2 weeks' "
                         "notice.</p>\n"
                         "<form method=\"get\" action=\"/reviews/term\" class=\"sendhub-filters "
                         "sendhub-no-print\" novalidate>\n"
                         "<h2 class=\"govuk-visually-hidden\">Choose the term</h2>\n"
                         "<div class=\"sendhub-filters__row\">\n",
                      first, last);
    if (rc == SH_OK)
        rc = term_select(req, b, term);
    if (rc == SH_OK)
        rc = school_select(req, b, rows, n, school);
    if (rc == SH_OK)
        rc = html_fmt(b, "</div>\n<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
                         "data-module=\"govuk-button\">Show the list</button>\n</div>\n</form>\n"
                         "<p class=\"govuk-body sendhub-no-print\">To send a list, print this "
                         "page or save it as a PDF from your browser: the filters are left "
                         "off the printed copy.</p>\n");
    const char **urns = arena_calloc(req->a, SCHOOLS_MAX, sizeof *urns);
    if (rc == SH_OK && !urns)
        rc = SH_ENOMEM;
    size_t k = rc == SH_OK ? distinct_schools(rows, n, urns, SCHOOLS_MAX) : 0;
    size_t shown = 0;
    for (size_t i = 0; rc == SH_OK && i < k; i++) {
        if (school[0] && strcmp(urns[i], school) != 0)
            continue;
        bool any = false;
        for (size_t j = 0; j < n && !any; j++)
            any = strcmp(rows[j].setting_urn, urns[i]) == 0 && rows[j].review_due >= first &&
                  rows[j].review_due <= last;
        if (!any)
            continue;
        rc = term_school(req, b, urns[i], rows, n, first, last);
        shown++;
    }
    if (rc == SH_OK && shown == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No reviews are due this term for the "
                         "settings chosen.</p>\n");
    return pages_end(req, res, rc);
}

/* ---- a child's review -------------------------------------------------------------- */

static const char *const review_steps[] = {
    "annual_review", "review_report", "review_decision", "amendment_comments", "amended_plan",
};

/* Where this review's own steps start: the latest meeting, or (while the
 * review under way has not met yet) nothing but the annual review itself,
 * so the steps of last year's review are not shown as this one's. */
static date_t cycle_start(const app_review_view *rv)
{
    const journey_deadline *m = app_review_step(&rv->v.timeline, "review_decision");
    if (!m || (rv->has_review && !rv->r.attendees[0] && !app_review_cycle_closed(rv)))
        return DATE_MAX_DAY;
    return m->trigger;
}

/* The annual review, and the latest instance of each step of this review,
 * open or done, with its tag. */
static int review_time_limits(web_request *req, buf *b, const app_review_view *rv)
{
    const journey_timeline *t = &rv->v.timeline;
    date_t since = cycle_start(rv);
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Time limits</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    for (size_t i = 0; rc == SH_OK && i < sizeof review_steps / sizeof review_steps[0]; i++) {
        const journey_deadline *d = app_review_step(t, review_steps[i]);
        if (!d || (i > 0 && d->trigger < since))
            continue;
        if (d->done == DATE_NONE) {
            rc = pages_due_step(req, b, d);
            continue;
        }
        char explain[600];
        journey_explain(d, explain, sizeof explain);
        bool window = journey_rule_is_family_window(d->rule);
        rc = html_fmt(b,
                      "<div class=\"govuk-summary-list__row\">\n"
                      "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                      "<dd class=\"govuk-summary-list__value\">\n"
                      "<p class=\"govuk-body govuk-!-margin-bottom-1\"><strong>%s %D</strong> "
                      "%r</p>\n<p class=\"govuk-body-s govuk-!-margin-bottom-0\">%s</p>\n"
                      "</dd>\n</div>\n",
                      pages_step_label(req->a, journey_rule_key(d->rule), d->agency),
                      window ? "Closed on" : "Done on", d->done,
                      window ? "" : html_status_tag(journey_status_name(d->status)), explain);
    }
    return rc ? rc : html_fmt(b, "</dl>\n");
}

static const char *invitees_text(web_request *req, const store_review *r)
{
    buf t;
    buf_init(&t, 4096);
    int rc = SH_OK;
    for (int i = 0; rc == SH_OK && i < INVITE_COUNT; i++)
        if (r->invitees & (1u << i))
            rc = html_fmt(&t, "%r%s", t.len ? ", " : "",
                          i == INVITE_OTHER && r->invitees_other[0]
                              ? r->invitees_other
                              : review_invitee_label((review_invitee)i));
    const char *out = rc == SH_OK && t.data ? arena_strdup(req->a, t.data) : NULL;
    buf_free(&t);
    return out ? out : "";
}

static int record_rows(web_request *req, buf *b, const app_review_view *rv)
{
    const store_review *r = &rv->r;
    int notice = review_notice_days(r->invited_on, r->meeting_on);
    const char *sent = arena_printf(req->a, "%s, to %s", date_text(req, r->invited_on),
                                    invitees_text(req, r));
    int rc = row(b, "Invitations sent", text_html(req, sent));
    if (rc == SH_OK) {
        const char *m = arena_printf(req->a, "%s (%d days' notice)",
                                     date_text(req, r->meeting_on), notice);
        const char *tag = review_notice_short(r->invited_on, r->meeting_on)
                              ? " <strong class=\"govuk-tag govuk-tag--red\">Less than 2 "
                                "weeks' notice</strong>"
                              : "";
        rc = row(b, "Meeting date", arena_printf(req->a, "%s%s", text_html(req, m), tag));
    }
    if (rc == SH_OK) {
        bool late = r->advice_on != DATE_NONE && r->meeting_on != DATE_NONE &&
                    r->meeting_on - r->advice_on < REVIEW_NOTICE_DAYS;
        rc = row(b, "Advice circulated",
                 arena_printf(req->a, "%s%s", text_html(req, date_text(req, r->advice_on)),
                              late ? " <strong class=\"govuk-tag govuk-tag--orange\">Less "
                                     "than 2 weeks before the meeting</strong>"
                                   : ""));
    }
    if (rc == SH_OK)
        rc = row(b, "Who attended", text_html(req, r->attendees));
    if (rc == SH_OK && r->report_on != DATE_NONE)
        rc = row(b, "Setting's report",
                 arena_printf(req->a, "%s<br><span class=\"govuk-body-s\">Received %s, "
                                      "recorded by %s</span>",
                              text_html(req, r->report_text), text_html(req, date_text(req, r->report_on)),
                              text_html(req, r->report_by)));
    else if (rc == SH_OK)
        rc = row(b, "Setting's report", text_html(req, ""));
    if (rc == SH_OK && r->report_on != DATE_NONE)
        rc = row(b, "Recommendations", text_html(req, r->recommendations));
    return rc;
}

/* What the council decided after the latest meeting, from the log. */
static const char *decision_text(const app_review_view *rv)
{
    const journey_deadline *d = app_review_step(&rv->v.timeline, "review_decision");
    if (!d || d->done == DATE_NONE)
        return "";
    for (size_t i = rv->v.n_events; i-- > 0;) {
        const event *e = rv->v.events[i].type == EV_CORRECTION ? rv->v.events[i].replacement
                                                                : &rv->v.events[i];
        if (e && e->type == EV_REVIEW_DECISION && e->date == d->done)
            return e->outcome == OUTCOME_MAINTAIN ? "Keep the plan as it is"
                   : e->outcome == OUTCOME_AMEND  ? "Amend the plan"
                                                  : "Cease the plan";
    }
    return "";
}

static int this_review(web_request *req, buf *b, const app_review_view *rv)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Latest review</h2>\n");
    if (rc == SH_OK && !rv->has_review)
        return html_fmt(b, "<p class=\"govuk-body\">No review has been started in sendhub "
                           "for this plan yet.</p>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = record_rows(req, b, rv);
    const char *decided = decision_text(rv);
    if (rc == SH_OK)
        rc = row(b, "Council's decision",
                 text_html(req, decided[0]
                                    ? arena_printf(req->a, "%s (%s)", decided,
                                                   date_text(req, app_review_step(
                                                                      &rv->v.timeline,
                                                                      "review_decision")
                                                                      ->done))
                                    : ""));
    return rc ? rc : html_fmt(b, "</dl>\n");
}

/* ---- the next step's form ---------------------------------------------------------- */

typedef enum { NEXT_NONE, NEXT_INVITE, NEXT_MEETING, NEXT_REPORT, NEXT_DECIDE, NEXT_PROPOSE,
               NEXT_AMENDED } next_step;

static next_step next_of(const app_review_view *rv)
{
    const journey_timeline *t = &rv->v.timeline;
    journey_stage st = t->stage;
    if (st != STAGE_PLAN && st != STAGE_REVIEW && st != STAGE_AMENDMENT)
        return NEXT_NONE;
    const journey_deadline *p = app_review_step(t, "amended_plan");
    if (p && p->done == DATE_NONE)
        return NEXT_AMENDED;
    const journey_deadline *d = app_review_step(t, "review_decision");
    if (st == STAGE_AMENDMENT && (!p || (d && p->trigger < d->done)))
        return NEXT_PROPOSE;
    if (app_review_cycle_closed(rv))
        return NEXT_INVITE;
    if (!rv->r.attendees[0])
        return NEXT_MEETING;
    const journey_deadline *r = app_review_step(t, "review_report");
    if (rv->r.report_on == DATE_NONE && r && r->done == DATE_NONE)
        return NEXT_REPORT;
    return d && d->done == DATE_NONE ? NEXT_DECIDE : NEXT_NONE;
}

static int form_open(web_request *req, buf *b, int64_t case_id, const char *step,
                     const char *heading)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"next-%s\">%s</h2>\n"
                         "<form method=\"post\" action=\"/cases/%lld/review\" novalidate>\n"
                         "<input type=\"hidden\" name=\"step\" value=\"%s\">\n",
                      step, heading, (long long)case_id, step);
    return rc ? rc : pages_csrf_input(b, req);
}

static int form_close(buf *b, const char *button)
{
    return html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                       "data-module=\"govuk-button\">%s</button>\n</form>\n",
                    button);
}

static int invitee_boxes(buf *b, const web_form *values, const pages_errors *errs)
{
    const char *msg = pages_errors_for(errs, "invitees");
    int rc = html_fmt(b, "<div class=\"govuk-form-group%r\">\n"
                         "<fieldset class=\"govuk-fieldset\" aria-describedby=\"invitees-hint%r\">\n"
                         "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">Who "
                         "was invited</legend>\n"
                         "<div id=\"invitees-hint\" class=\"govuk-hint\">The family and the "
                         "school or setting must be invited, with a health professional and "
                         "social care.</div>\n",
                      msg ? " govuk-form-group--error" : "", msg ? " invitees-error" : "");
    if (rc == SH_OK && msg)
        rc = html_fmt(b, "<p id=\"invitees-error\" class=\"govuk-error-message\">"
                         "<span class=\"govuk-visually-hidden\">Error:</span> %s</p>\n",
                      msg);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-checkboxes govuk-checkboxes--small\" "
                         "data-module=\"govuk-checkboxes\">\n");
    for (int i = 0; rc == SH_OK && i < INVITE_COUNT; i++) {
        char field[40], id[40];
        snprintf(field, sizeof field, "invite_%s", review_invitee_name((review_invitee)i));
        snprintf(id, sizeof id, "%s", i == 0 ? "invitees" : field);
        const char *v = form_get(values, field);
        rc = html_fmt(b, "<div class=\"govuk-checkboxes__item\">\n"
                         "<input class=\"govuk-checkboxes__input\" id=\"%s\" name=\"%s\" "
                         "type=\"checkbox\" value=\"1\"%r>\n"
                         "<label class=\"govuk-label govuk-checkboxes__label\" for=\"%s\">%s"
                         "</label>\n</div>\n",
                      id, field, v && v[0] ? " checked" : "", id,
                      review_invitee_label((review_invitee)i));
    }
    return rc ? rc : html_fmt(b, "</div>\n</fieldset>\n</div>\n");
}

static int invite_form(web_request *req, buf *b, int64_t id, bool again, const web_form *values,
                       const pages_errors *errs)
{
    int rc = form_open(req, b, id, "invite",
                       again ? "Start the next review: record the invitations"
                             : "Record the invitations to the review meeting");
    if (rc == SH_OK)
        rc = pages_date_input(b, "sent_on", "Date the invitations were sent", NULL, values, errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "meeting_on", "Date of the review meeting",
                              "Give at least 2 weeks' notice of the meeting.", values, errs);
    if (rc == SH_OK)
        rc = invitee_boxes(b, values, errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "other", .label = "Others invited",
                                             .hint = "Names and roles, if you ticked Others",
                                             .value = form_get(values, "other")},
                         errs);
    return rc ? rc : form_close(b, "Record the invitations");
}

static int meeting_forms(web_request *req, buf *b, const app_review_view *rv,
                         const web_form *values, const pages_errors *errs)
{
    int64_t id = rv->v.c.id;
    int rc = SH_OK;
    if (rv->r.advice_on == DATE_NONE) {
        rc = form_open(req, b, id, "advice", "Record that advice was circulated");
        if (rc == SH_OK)
            rc = pages_date_input(b, "advice_on", "Date advice was circulated",
                                  "Advice and information should reach everyone invited at "
                                  "least 2 weeks before the meeting.",
                                  values, errs);
        if (rc == SH_OK)
            rc = form_close(b, "Record advice circulated");
    }
    if (rc == SH_OK)
        rc = form_open(req, b, id, "meeting", "Record the review meeting");
    if (rc == SH_OK)
        rc = pages_date_input(b, "held_on", "Date the meeting was held", NULL, values, errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "attendees", "Who attended", "Names and roles",
                            form_get(values, "attendees"), 3, errs);
    return rc ? rc : form_close(b, "Record the meeting");
}

static int report_form(web_request *req, buf *b, int64_t id, const web_form *values,
                       const pages_errors *errs)
{
    int rc = form_open(req, b, id, "report", "Submit the setting's review report");
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">The school or setting sends its report to "
                         "the council and everyone invited within 2 weeks of the meeting.</p>\n");
    if (rc == SH_OK)
        rc = pages_date_input(b, "report_on", "Date of the report", NULL, values, errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "report", "The report",
                            "Progress towards the outcomes in the plan, and any differences "
                            "of view",
                            form_get(values, "report"), 6, errs);
    if (rc == SH_OK)
        rc = pages_textarea(b, "recommendations", "Recommendations",
                            "Changes to the plan the setting recommends, if any",
                            form_get(values, "recommendations"), 4, errs);
    return rc ? rc : form_close(b, "Submit the report");
}

static int decide_form(web_request *req, buf *b, int64_t id, const web_form *values,
                       const pages_errors *errs)
{
    static const pages_option opts[] = {
        {"maintain", "Keep the plan as it is", NULL},
        {"amend", "Amend the plan", "Send the family the proposed amendments next."},
        {"cease", "Cease the plan", "You will then record the decision letter and the "
                                    "reason the plan ceases."},
    };
    int rc = form_open(req, b, id, "decide", "Record the council's decision");
    if (rc == SH_OK)
        rc = pages_date_input(b, "decided_on", "Date of the decision", NULL, values, errs);
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "outcome",
                                               .legend = "What did the council decide?",
                                               .opts = opts, .n = 3,
                                               .checked = form_get(values, "outcome")},
                          errs);
    return rc ? rc : form_close(b, "Record the decision");
}

static int date_form(web_request *req, buf *b, int64_t id, const char *step,
                     const char *heading, const char *name, const char *legend,
                     const char *hint, const char *button, const web_form *values,
                     const pages_errors *errs)
{
    int rc = form_open(req, b, id, step, heading);
    if (rc == SH_OK)
        rc = pages_date_input(b, name, legend, hint, values, errs);
    return rc ? rc : form_close(b, button);
}

static int amendment_links(buf *b, int64_t id)
{
    return html_fmt(b, "<p class=\"govuk-body\">Draft the amendments in <a class=\"govuk-link\" "
                       "href=\"/cases/%lld/plan\">the plan</a>, then record here when they "
                       "were sent and when the amended plan was issued.</p>\n",
                    (long long)id);
}

static int next_form(web_request *req, buf *b, const app_review_view *rv, next_step next,
                     const web_form *values, const pages_errors *errs)
{
    int64_t id = rv->v.c.id;
    bool writer = access_can(&req->who, CAN_WRITE_CASES);
    if (next == NEXT_REPORT && access_can(&req->who, CAN_REVIEW_REPORT))
        return report_form(req, b, id, values, errs);
    if (!writer)
        return SH_OK;
    switch (next) {
    case NEXT_INVITE: return invite_form(req, b, id, rv->has_review, values, errs);
    case NEXT_MEETING: return meeting_forms(req, b, rv, values, errs);
    case NEXT_DECIDE: return decide_form(req, b, id, values, errs);
    case NEXT_PROPOSE: {
        int rc = amendment_links(b, id);
        return rc ? rc
                  : date_form(req, b, id, "propose", "Record the proposed amendments",
                              "proposed_on", "Date the proposed amendments were sent",
                              "The family then has 15 days to comment.",
                              "Record the proposals", values, errs);
    }
    case NEXT_AMENDED: {
        int rc = amendment_links(b, id);
        return rc ? rc
                  : date_form(req, b, id, "amended", "Record the amended plan", "issued_on",
                              "Date the amended plan was issued",
                              "After the family's 15 days to comment, and within 8 weeks of "
                              "the proposals.",
                              "Record the amended plan", values, errs);
    }
    default: return SH_OK;
    }
}

static const struct {
    const char *step, *banner;
} done_banners[] = {
    {"invite", "Invitations recorded"},         {"advice", "Advice circulation recorded"},
    {"meeting", "Review meeting recorded"},     {"report", "Review report submitted"},
    {"decide", "Decision recorded"},            {"propose", "Proposed amendments recorded"},
    {"amended", "Amended plan recorded"},
};

static int banners(web_request *req, buf *b)
{
    const char *done = web_query(req, "done");
    int rc = SH_OK;
    for (size_t i = 0; done && i < sizeof done_banners / sizeof done_banners[0]; i++)
        if (strcmp(done, done_banners[i].step) == 0)
            rc = pages_success_banner(b, done_banners[i].banner);
    const char *notice = web_query(req, "notice");
    if (rc == SH_OK && notice && strcmp(notice, "short") == 0)
        rc = warning(b, "The meeting is less than 2 weeks after the invitations. The law "
                        "asks for at least 2 weeks' notice: agree the date with the family "
                        "or move the meeting.");
    return rc;
}

static int render_review(web_request *req, web_response *res, const app_review_view *rv,
                         int status, const web_form *values, const pages_errors *errs)
{
    int rc = pages_audit(req, "read", "case", rv->v.c.id, rv->v.c.child_id, "annual review");
    if (rc)
        return pages_fail(req, res, rc);
    const char *name = child_name(req, &rv->v);
    const char *title = arena_printf(req->a, "Annual review: %s", name);
    html_page p = {.title = title ? title : "Annual review", .nav = "reviews",
                   .has_errors = errs->n > 0, .no_h1 = true,
                   .back_href = arena_printf(req->a, "/cases/%lld", (long long)rv->v.c.id)};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK && errs->n == 0)
        rc = banners(req, b);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s, %s</span>\n"
                         "<h1 class=\"govuk-heading-l\">Annual review</h1>\n"
                         "<p class=\"govuk-body\">Stage: <strong>%s</strong></p>\n",
                      name, setting_text(req, rv->v.child.setting_urn),
                      journey_stage_label(rv->v.timeline.stage));
    if (rc == SH_OK)
        rc = review_time_limits(req, b, rv);
    if (rc == SH_OK)
        rc = this_review(req, b, rv);
    if (rc == SH_OK)
        rc = next_form(req, b, rv, next_of(rv), values, errs);
    if (rc == SH_OK && access_can(&req->who, CAN_WRITE_CASES) &&
        next_of(rv) != NEXT_NONE)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Other actions</h2>\n"
                         "<ul class=\"govuk-list\">\n"
                         "<li><a class=\"govuk-link\" href=\"/cases/%lld/cease\">Cease the "
                         "plan</a></li>\n"
                         "<li><a class=\"govuk-link\" href=\"/cases/%lld/transfer\">Phase "
                         "transfer and settings consulted</a></li>\n</ul>\n",
                      (long long)rv->v.c.id, (long long)rv->v.c.id);
    return pages_end(req, res, rc);
}

int page_review_load(web_request *req, web_response *res, bool write, app_review_view *rv)
{
    app_case_view v;
    int rc = pages_case_load(req, res, write, &v);
    if (rc)
        return rc;
    app_error err = {0};
    rc = app_review_get(req->db, &req->who, v.c.id, req->today, req->a, rv, &err);
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

int page_review_post(web_request *req, web_response *res, bool write, app_review_view *rv,
                     web_form *f)
{
    int rc = page_review_load(req, res, write, rv);
    if (rc == SH_OK && (rc = pages_form(req, f)))
        return pages_fail(req, res, rc);
    return rc;
}

int page_review(web_request *req, web_response *res)
{
    app_review_view rv;
    int rc = page_review_load(req, res, false, &rv);
    if (rc)
        return rc;
    web_form values = {0};
    pages_errors errs = {0};
    return render_review(req, res, &rv, 200, &values, &errs);
}

static unsigned read_invitees(const web_form *f)
{
    unsigned bits = 0;
    for (int i = 0; i < INVITE_COUNT; i++) {
        char field[40];
        snprintf(field, sizeof field, "invite_%s", review_invitee_name((review_invitee)i));
        const char *v = form_get(f, field);
        if (v && v[0])
            bits |= 1u << i;
    }
    return bits;
}

/* Runs the step the form names; SH_EINVAL with errs filled for the form. */
static int run_step(web_request *req, const app_review_view *rv, const web_form *f,
                    const char *step, bool *short_notice, pages_errors *errs)
{
    app_error err = {0};
    int64_t id = rv->v.c.id;
    date_t d1 = DATE_NONE, d2 = DATE_NONE;
    int rc = SH_OK;
    if (strcmp(step, "invite") == 0) {
        pages_date_read(f, "sent_on", "the date the invitations were sent", true, req->a, &d1,
                        errs);
        pages_date_read(f, "meeting_on", "the date of the review meeting", true, req->a, &d2,
                        errs);
        if (errs->n)
            return SH_EINVAL;
        rc = app_review_invite(req->db, &req->who, id, d1, d2, read_invitees(f),
                               pages_trim(req->a, form_get(f, "other")), req->today, req->a,
                               short_notice, &err);
    } else if (strcmp(step, "report") == 0) {
        if (pages_date_read(f, "report_on", "the date of the report", true, req->a, &d1, errs))
            return SH_EINVAL;
        rc = app_review_report(req->db, &req->who, id, d1, pages_trim(req->a, form_get(f, "report")),
                               pages_trim(req->a, form_get(f, "recommendations")), req->today,
                               req->a, &err);
    } else if (strcmp(step, "meeting") == 0) {
        if (pages_date_read(f, "held_on", "the date of the meeting", true, req->a, &d1, errs))
            return SH_EINVAL;
        rc = app_review_meeting(req->db, &req->who, id, d1,
                                pages_trim(req->a, form_get(f, "attendees")), req->today, req->a,
                                &err);
    } else {
        static const struct {
            const char *step, *field, *what;
        } dated[] = {
            {"advice", "advice_on", "the date advice was circulated"},
            {"decide", "decided_on", "the date of the decision"},
            {"propose", "proposed_on", "the date the proposed amendments were sent"},
            {"amended", "issued_on", "the date the amended plan was issued"},
        };
        size_t k = 0;
        while (k < sizeof dated / sizeof dated[0] && strcmp(step, dated[k].step) != 0)
            k++;
        if (k == sizeof dated / sizeof dated[0])
            return SH_EINVAL; /* not a step this form sends: a tampered request */
        if (pages_date_read(f, dated[k].field, dated[k].what, true, req->a, &d1, errs))
            return SH_EINVAL;
        if (k == 0)
            rc = app_review_advice(req->db, &req->who, id, d1, req->today, req->a, &err);
        else if (k == 1) {
            const char *o = form_get(f, "outcome");
            rc = app_review_decide(req->db, &req->who, id, d1,
                                   o ? event_outcome_parse(o, strlen(o)) : OUTCOME_NONE,
                                   req->today, req->a, &err);
        } else if (k == 2)
            rc = app_review_propose(req->db, &req->who, id, d1, req->today, req->a, &err);
        else
            rc = app_review_amended(req->db, &req->who, id, d1, req->today, req->a, &err);
    }
    if (rc == SH_EINVAL)
        page_review_error(req, errs, &err, "step");
    return rc;
}

int page_review_record(web_request *req, web_response *res)
{
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    const char *step = form_get(&f, "step");
    if (!step)
        return pages_fail(req, res, SH_EINVAL);
    /* the setting's report is the one step a read-only role may record */
    bool report = strcmp(step, "report") == 0 && access_can(&req->who, CAN_REVIEW_REPORT);
    app_review_view rv;
    rc = page_review_load(req, res, !report, &rv);
    if (rc)
        return rc;
    pages_errors errs = {0};
    bool short_notice = false;
    rc = run_step(req, &rv, &f, step, &short_notice, &errs);
    if (rc == SH_OK) {
        const char *o = form_get(&f, "outcome");
        if (strcmp(step, "decide") == 0 && o && strcmp(o, "cease") == 0)
            return pages_redirect(res, arena_printf(req->a, "/cases/%lld/cease",
                                                    (long long)rv.v.c.id));
        return pages_redirect(res, arena_printf(req->a, "/cases/%lld/review?done=%s%s",
                                                (long long)rv.v.c.id, step,
                                                short_notice ? "&notice=short" : ""));
    }
    if (rc == SH_EDENIED) {
        int arc = pages_audit(req, "denied", "case", rv.v.c.id, rv.v.c.child_id,
                              "review step not allowed for role");
        return pages_fail(req, res, arc ? arc : rc);
    }
    if (rc != SH_EINVAL || errs.n == 0)
        return pages_fail(req, res, rc);
    return render_review(req, res, &rv, 422, &f, &errs);
}

/* ---- ceasing a plan ----------------------------------------------------------------- */

/* SEN2 cease reasons (facts file §1.4): the code's label and what it means. */
static const char *const cease_hints[9] = {
    "End of the academic year of their 25th birthday, or 19 if entering the adult estate",
    "Education or training continues and needs are met without a plan",
    "Moved on to higher education",
    "Moved into paid employment, not an apprenticeship",
    "Moved to another local authority in England",
    "The young person no longer wishes to engage",
    "Moved outside England",
    "The child or young person has died",
    "Another reason (the DfE queries heavy use of this code)",
};

static int appeal_rights(buf *b, const app_case_view *v)
{
    const journey_deadline *a = app_review_step(&v->timeline, "appeal_deadline");
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The family's right to appeal</h2>\n"
                         "<p class=\"govuk-body\">The decision letter must tell the family "
                         "that they can appeal to the First-tier Tribunal (Special Educational "
                         "Needs and Disability) against the decision to cease the plan, the "
                         "time limit, how to arrange mediation (needed before an appeal), "
                         "that disagreement resolution is available and that using it does "
                         "not affect their right to appeal, and where to get information and "
                         "advice.</p>\n");
    if (rc == SH_OK && a) {
        char explain[600];
        journey_explain(a, explain, sizeof explain);
        rc = html_fmt(b, "<div class=\"govuk-inset-text\">%s</div>\n", explain);
    }
    return rc;
}

static int cease_form(web_request *req, buf *b, int64_t id, const web_form *values,
                      const pages_errors *errs)
{
    pages_option opts[9];
    for (int i = 0; i < 9; i++) {
        opts[i] = (pages_option){arena_printf(req->a, "%d", i + 1),
                                 arena_printf(req->a, "%d: %s", i + 1,
                                              event_cease_reason_label(i + 1)),
                                 cease_hints[i]};
        if (!opts[i].value || !opts[i].text)
            return SH_ENOMEM;
    }
    int rc = html_fmt(b, "<form method=\"post\" action=\"/cases/%lld/cease\" novalidate>\n",
                      (long long)id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_date_input(b, "letter_on", "Date of the decision letter",
                              "The letter tells the family the decision and their right to "
                              "appeal.",
                              values, errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "cease_on", "Date the plan ceases", NULL, values, errs);
    if (rc == SH_OK)
        rc = pages_radios(b,
                          &(pages_radios_spec){.name = "reason",
                                               .legend = "Why is the plan ceasing?",
                                               .hint = "The reason reported in the SEN2 "
                                                       "return.",
                                               .opts = opts, .n = 9,
                                               .checked = form_get(values, "reason")},
                          errs);
    return rc ? rc
              : html_fmt(b, "<div class=\"govuk-warning-text\">\n"
                            "<span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!"
                            "</span>\n<strong class=\"govuk-warning-text__text\">"
                            "<span class=\"govuk-visually-hidden\">Warning</span> Ceasing ends "
                            "every duty still open on this plan.</strong>\n</div>\n"
                            "<button type=\"submit\" class=\"govuk-button govuk-button--warning\" "
                            "data-module=\"govuk-button\">Cease the plan</button>\n</form>\n");
}

static int render_cease(web_request *req, web_response *res, const app_case_view *v,
                        int status, const web_form *values, const pages_errors *errs)
{
    int rc = pages_audit(req, "read", "case", v->c.id, v->c.child_id, "cease plan");
    if (rc)
        return pages_fail(req, res, rc);
    bool can_cease = app_plan_ceasable(&v->timeline, v->events, v->n_events);
    bool ceased = !can_cease && v->timeline.stage == STAGE_CEASED;
    const char *name = child_name(req, v);
    html_page p = {.title = ceased ? "Plan ceased" : "Cease the plan", .nav = "reviews",
                   .has_errors = errs->n > 0, .no_h1 = true,
                   .back_href = arena_printf(req->a, "/cases/%lld/review", (long long)v->c.id)};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK && ceased && web_query(req, "done"))
        rc = pages_success_banner(b, "The plan has ceased and the decision letter is recorded");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n",
                      name, p.title);
    if (rc == SH_OK && ceased)
        rc = appeal_rights(b, v);
    else if (rc == SH_OK && !can_cease)
        rc = html_fmt(b, "<p class=\"govuk-body\">This case has no plan in place to "
                         "cease.</p>\n");
    else if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">A plan can only be ceased when it is no "
                         "longer necessary, or when a young person aged 18 or over has left "
                         "education or training and does not want to return. Consult the "
                         "family and the school or college first.</p>\n");
    if (rc == SH_OK && can_cease)
        rc = cease_form(req, b, v->c.id, values, errs);
    return pages_end(req, res, rc);
}

int page_cease_form(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = pages_case_load(req, res, true, &v);
    if (rc)
        return rc;
    web_form values = {0};
    pages_errors errs = {0};
    return render_cease(req, res, &v, 200, &values, &errs);
}

int page_cease(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = pages_case_load(req, res, true, &v);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    date_t letter, cease;
    pages_date_read(&f, "letter_on", "the date of the decision letter", true, req->a, &letter,
                    &errs);
    pages_date_read(&f, "cease_on", "the date the plan ceases", true, req->a, &cease, &errs);
    const char *r = form_get(&f, "reason");
    int reason = r && strlen(r) == 1 && r[0] >= '1' && r[0] <= '9' ? r[0] - '0' : 0;
    if (!reason)
        pages_errors_add(&errs, "reason", "Select why the plan is ceasing");
    if (errs.n == 0) {
        app_error err = {0};
        rc = app_plan_cease(req->db, &req->who, v.c.id, letter, cease, reason, req->today,
                            req->a, &err);
        if (rc == SH_OK)
            return pages_redirect(res, arena_printf(req->a, "/cases/%lld/cease?done=1",
                                                    (long long)v.c.id));
        if (rc != SH_EINVAL)
            return pages_fail(req, res, rc);
        page_review_error(req, &errs, &err, "letter_on-day");
    }
    return render_cease(req, res, &v, 422, &f, &errs);
}
