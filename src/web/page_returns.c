/*
 * page_returns.c — the SEN2 statutory return (docs/SEN2.md) for managers,
 * and for inspectors read-only: choose the collection year, see the
 * validation report grouped by problem (each child linked to their record),
 * the headline figures the DfE will publish, and download the return.
 *
 * Downloads: the whole return as XML (docs/sen2.xsd), or one CSV file per
 * module, byte-identical to `sendhub export sen2` (app/sen2_io.h). Separate
 * CSV downloads rather than a ZIP, so no archive library is needed. The
 * files sent to the DfE need CAN_EXPORT_RETURNS (managers); the report, the
 * figures and the notes need CAN_SEE_RETURNS (inspectors too). When errors
 * block the return the files are offered only as "with errors" (force=1),
 * as the command line's --force-with-errors. Every view and download is
 * audited.
 *
 * The return is built per request from the whole area (one bulk scan; about
 * 0.2 s for the 2,500-plan demo area) in an arena of its own, since the request
 * arena's ceiling is sized for one page, not one area.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/clock.h"
#include "app/sen2_io.h"
#include "util/err.h"
#include "web/pages.h"

#define RETURN_ARENA_LIMIT ((size_t)512 << 20)
#define RETURN_MAX_DOWNLOAD ((size_t)256 << 20) /* a county's XML is ~30 MB */
#define GROUPS_MAX 200    /* distinct problems listed; the rest are in issues.csv */
#define GROUP_LIST_MAX 50 /* children listed under one problem */
#define YEARS_SHOWN 5

/* The latest collection year whose census has passed. */
static int latest_year(date_t today)
{
    int y;
    date_to_ymd(today, &y, NULL, NULL);
    sen2_period p;
    return sen2_period_for(y, &p) == SH_OK && p.census <= today ? y : y - 1;
}

/* The year asked for: absent -> the latest; otherwise a whole number from
 * SEN2_MIN_YEAR to the year after the latest (a preview of the coming one). */
static int read_year(web_request *req, int latest, pages_errors *errs)
{
    const char *v = web_query(req, "year");
    if (!v || !v[0])
        return latest;
    char *end = NULL;
    long y = strtol(v, &end, 10);
    if (*end || y < SEN2_MIN_YEAR || y > latest + 1) {
        pages_errors_add(errs, "year", "Select a collection year from the list");
        return latest;
    }
    return (int)y;
}

typedef struct {
    arena *a;
    sen2_return r;
    sen2_figures f;
} loaded;

static int load(web_request *req, int year, loaded *l)
{
    l->a = arena_create(RETURN_ARENA_LIMIT);
    if (!l->a)
        return SH_ENOMEM;
    int rc = sen2_io_load(req->db_read, req->who.la_code, year, l->a, &l->r);
    if (rc == SH_OK)
        sen2_figures_of_return(&l->f, &l->r);
    return rc;
}

/* ---- the report, grouped by problem ---------------------------------------- */

static const sen2_person *person_of(const sen2_return *r, int64_t child_id)
{
    size_t lo = 0, hi = r->n_persons;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->persons[mid].child->id < child_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n_persons && r->persons[lo].child->id == child_id ? &r->persons[lo] : NULL;
}

static bool same_problem(const sen2_issue *x, const sen2_issue *y)
{
    return x->severity == y->severity && strcmp(x->module, y->module) == 0 &&
           strcmp(x->field, y->field) == 0 && strcmp(x->message, y->message) == 0;
}

/* One child under a problem: their name linking to the case to fix. */
static int issue_item(web_request *req, buf *b, const sen2_return *r, const sen2_issue *x)
{
    const sen2_person *p = person_of(r, x->child_id);
    int64_t case_id = x->case_id ? x->case_id : p ? p->requests[0].case_id : 0;
    const char *who = p ? arena_printf(req->a, "%s %s", p->child->forename, p->child->surname)
                        : arena_printf(req->a, "Child record %lld", (long long)x->child_id);
    if (!who)
        return SH_ENOMEM;
    if (case_id && access_sees_whole_area(&req->who))
        return html_fmt(b, "<li><a class=\"govuk-link\" href=\"/cases/%lld\">%s</a> "
                           "<span class=\"govuk-hint govuk-!-display-inline\">case %lld"
                           "</span></li>\n",
                        (long long)case_id, who, (long long)case_id);
    return html_fmt(b, "<li>%s</li>\n", who);
}

static int problem(web_request *req, buf *b, const sen2_return *r, size_t first,
                   size_t *next)
{
    const sen2_issue *x = &r->issues[first];
    size_t n = 0, end = first;
    for (size_t i = first; i < r->n_issues; i++)
        n += same_problem(&r->issues[i], x);
    bool error = x->severity == SEN2_ERROR;
    /* Errors list their children open; warnings fold theirs away, so the
     * page leads with what blocks the return. */
    int rc = html_fmt(b, "<div class=\"sendhub-sen2-problem\">\n<h3 class=\"govuk-heading-s\">"
                         "<strong class=\"govuk-tag %r\">%s</strong> %s%s%s %s</h3>\n"
                         "<p class=\"govuk-body-s\">Fix it on %s. %zu %s.</p>\n",
                      error ? "govuk-tag--red" : "govuk-tag--yellow",
                      error ? "Error" : "Warning", x->module, x->field[0] ? "." : "", x->field,
                      x->message, sen2_fix_label(x->fix), n, n == 1 ? "record" : "records");
    if (rc == SH_OK && !error)
        rc = html_fmt(b, "<details class=\"govuk-details\">\n<summary class=\"govuk-details__"
                         "summary\"><span class=\"govuk-details__summary-text\">Show the %s"
                         "</span></summary>\n<div class=\"govuk-details__text\">\n",
                      n == 1 ? "record" : "records");
    if (rc == SH_OK)
        rc = html_fmt(b, "<ul class=\"govuk-list govuk-list--bullet\">\n");
    size_t shown = 0;
    for (size_t i = first; rc == SH_OK && i < r->n_issues; i++) {
        if (!same_problem(&r->issues[i], x))
            continue;
        end = i;
        if (shown++ < GROUP_LIST_MAX)
            rc = issue_item(req, b, r, &r->issues[i]);
    }
    if (rc == SH_OK && n > GROUP_LIST_MAX)
        rc = html_fmt(b, "<li>and %zu more (in the report's CSV)</li>\n", n - GROUP_LIST_MAX);
    *next = end;
    if (rc == SH_OK)
        rc = html_fmt(b, "</ul>\n%r</div>\n", error ? "" : "</div>\n</details>\n");
    return rc;
}

/* Problems in report order (errors first), each listed once with its
 * children; marks what it listed so a later issue of the same problem is
 * not a new group. */
static int report(web_request *req, buf *b, const sen2_return *r)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"report\">Validation report</h2>\n");
    if (rc == SH_OK && r->n_issues == 0)
        return html_fmt(b, "<p class=\"govuk-body\">Every record passed every check.</p>\n");
    bool *done = arena_calloc(req->a, r->n_issues, sizeof *done);
    if (!done)
        return SH_ENOMEM;
    size_t groups = 0;
    for (size_t i = 0; rc == SH_OK && i < r->n_issues; i++) {
        if (done[i])
            continue;
        if (groups++ == GROUPS_MAX) {
            rc = html_fmt(b, "<p class=\"govuk-body\">More problems than this page lists: "
                             "download the report's CSV for all of them.</p>\n");
            break;
        }
        size_t last;
        rc = problem(req, b, r, i, &last);
        for (size_t j = i; j <= last; j++)
            done[j] |= same_problem(&r->issues[j], &r->issues[i]);
    }
    return rc;
}

/* ---- figures ---------------------------------------------------------------- */

static const char *const headline[] = {
    "inc_exc_20week_rate", "no_exc_20week_rate", "new_all_ehc", "avg_weeks_issue_plan",
    "inreq_ehc", "ass_refused_ehc_pc", "caseload", "discontinued",
};

static int figure_row(buf *b, const sen2_figures *f, size_t i, bool with_name)
{
    char v[32];
    sen2_figure_value(f, i, v, sizeof v);
    bool rate = strstr(sen2_figure_name(i), "_rate") || strstr(sen2_figure_name(i), "_pc");
    bool number = strcmp(v, "x") != 0 && strcmp(v, "z") != 0;
    const char *shown = number ? v : v[0] == 'x' ? "not held" : "none to count";
    int rc = html_fmt(b, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
                         "class=\"govuk-table__header\">%s", sen2_figure_label(i));
    if (rc == SH_OK && with_name)
        rc = html_fmt(b, "<br><code class=\"sendhub-code\">%s</code>", sen2_figure_name(i));
    return rc ? rc
              : html_fmt(b, "</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">"
                            "%s%s</td></tr>\n",
                         shown, rate && number ? "%" : "");
}

static int figures(buf *b, const loaded *l)
{
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Headline figures</h2>\n"
                         "<p class=\"govuk-body\">Computed from the same records as the return, "
                         "as the DfE publishes them (Explore Education Statistics, SEN2).</p>\n"
                         "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                         "govuk-table__caption--s\">Calendar year %d</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                         "<th scope=\"col\" class=\"govuk-table__header\">Figure</th>"
                         "<th scope=\"col\" class=\"govuk-table__header "
                         "govuk-table__header--numeric\">Value</th></tr></thead>\n"
                         "<tbody class=\"govuk-table__body\">\n",
                      l->r.period.year - 1);
    for (size_t i = 0; rc == SH_OK && i < sizeof headline / sizeof headline[0]; i++)
        rc = figure_row(b, &l->f, (size_t)sen2_figure_find(headline[i]), false);
    if (rc == SH_OK)
        rc = html_fmt(b, "</tbody>\n</table>\n<details class=\"govuk-details\">\n"
                         "<summary class=\"govuk-details__summary\"><span "
                         "class=\"govuk-details__summary-text\">All %zu published figures"
                         "</span></summary>\n<div class=\"govuk-details__text\">\n"
                         "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"All "
                         "published figures\" tabindex=\"0\">\n<table class=\"govuk-table "
                         "sendhub-table-s\">\n<thead class=\"govuk-table__head\"><tr "
                         "class=\"govuk-table__row\"><th scope=\"col\" "
                         "class=\"govuk-table__header\">Figure (published name)</th><th "
                         "scope=\"col\" class=\"govuk-table__header "
                         "govuk-table__header--numeric\">Value</th></tr></thead>\n"
                         "<tbody class=\"govuk-table__body\">\n",
                      sen2_figure_count());
    for (size_t i = 0; rc == SH_OK && i < sen2_figure_count(); i++)
        rc = figure_row(b, &l->f, i, true);
    return rc ? rc
              : html_fmt(b, "</tbody>\n</table>\n</div>\n<p class=\"govuk-body-s\">&#8220;Not "
                            "held&#8221;: sendhub does not record what the figure needs "
                            "(the DfE writes x).</p>\n</div>\n</details>\n");
}

/* ---- downloads and notes ----------------------------------------------------- */

static int download_link(buf *b, int year, const char *file, const char *text, bool force)
{
    if (!file)
        return html_fmt(b, "<li><a class=\"govuk-link\" href=\"/returns/sen2.xml?year=%d%r\" "
                           "download>%s</a></li>\n",
                        year, force ? "&amp;force=1" : "", text);
    return html_fmt(b, "<li><a class=\"govuk-link\" href=\"/returns/sen2.csv?year=%d&amp;"
                       "file=%s%r\" download>%s</a></li>\n",
                    year, file, force ? "&amp;force=1" : "", text);
}

static int downloads(web_request *req, buf *b, const sen2_return *r)
{
    int year = r->period.year;
    bool blocked = r->n_errors > 0;
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Download</h2>\n");
    if (rc == SH_OK && access_can(&req->who, CAN_EXPORT_RETURNS)) {
        if (blocked)
            rc = html_fmt(b, "<p class=\"govuk-body\">Fix the errors before you send the "
                             "return to the DfE. To check it meanwhile you can download it "
                             "with the errors in it:</p>\n");
        if (rc == SH_OK)
            rc = html_fmt(b, "<ul class=\"govuk-list\">\n");
        if (rc == SH_OK)
            rc = download_link(b, year, NULL,
                               blocked ? "The return as XML, with errors"
                                       : "The return as XML (one document)",
                               blocked);
        for (int f = SEN2_FILE_HEADER; rc == SH_OK && f <= SEN2_FILE_SENNEED; f++) {
            const char *name = sen2_io_file_name((sen2_file)f);
            rc = download_link(b, year, name,
                               arena_printf(req->a, "%s.csv%s", name,
                                            blocked ? ", with errors" : ""),
                               blocked);
        }
        if (rc == SH_OK)
            rc = html_fmt(b, "</ul>\n");
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "<ul class=\"govuk-list\">\n");
    if (rc == SH_OK)
        rc = download_link(b, year, "issues", "The validation report (issues.csv)", false);
    if (rc == SH_OK)
        rc = download_link(b, year, "figures", "The headline figures (figures.csv)", false);
    if (rc == SH_OK)
        rc = download_link(b, year, "notes", "The notes on mappings (notes.csv)", false);
    return rc ? rc : html_fmt(b, "</ul>\n");
}

static int notes(buf *b)
{
    int rc = html_fmt(b, "<details class=\"govuk-details\">\n<summary class=\"govuk-details__"
                         "summary\"><span class=\"govuk-details__summary-text\">Notes: where "
                         "sendhub chose a mapping or does not hold a field</span></summary>\n"
                         "<div class=\"govuk-details__text\">\n<dl class=\"govuk-summary-list "
                         "govuk-summary-list--no-border\">\n");
    for (size_t i = 0; rc == SH_OK && i < sen2_note_count(); i++)
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-"
                         "list__key\"><code class=\"sendhub-code\">%s</code></dt><dd "
                         "class=\"govuk-summary-list__value\">%s</dd></div>\n",
                      sen2_note_code(i), sen2_note_text(i));
    return rc ? rc : html_fmt(b, "</dl>\n</div>\n</details>\n");
}

/* ---- the page -------------------------------------------------------------------- */

static int year_form(buf *b, int latest, int year, const pages_errors *errs)
{
    pages_option opts[YEARS_SHOWN];
    char values[YEARS_SHOWN][12], texts[YEARS_SHOWN][64];
    size_t n = 0;
    for (int y = latest + 1; y > latest + 1 - YEARS_SHOWN && y >= SEN2_MIN_YEAR; y--, n++) {
        snprintf(values[n], sizeof values[n], "%d", y);
        snprintf(texts[n], sizeof texts[n], "%d (activity in %d%s)", y, y - 1,
                 y > latest ? ", year not over" : "");
        opts[n] = (pages_option){values[n], texts[n], NULL};
    }
    char selected[12];
    snprintf(selected, sizeof selected, "%d", year);
    int rc = html_fmt(b, "<form method=\"get\" action=\"/returns/sen2\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_select(b, "year", "Collection year", NULL, opts, n, selected, errs);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button "
                            "govuk-button--secondary\" data-module=\"govuk-button\">Show"
                            "</button>\n</form>\n");
}

static int status_line(buf *b, const sen2_return *r)
{
    size_t warnings = r->n_issues - r->n_errors;
    if (r->n_errors)
        return html_fmt(b, "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-"
                           "text__icon\" aria-hidden=\"true\">!</span><strong class=\"govuk-"
                           "warning-text__text\"><span class=\"govuk-visually-hidden\">Warning"
                           "</span>%zu %s the return. <a class=\"govuk-link\" href=\"#report\">"
                           "See the validation report</a>.</strong></div>\n",
                        r->n_errors, r->n_errors == 1 ? "error blocks" : "errors block");
    return html_fmt(b, "<div class=\"govuk-inset-text\">No errors block the return. %zu "
                       "%s for the DfE to query.</div>\n",
                    warnings, warnings == 1 ? "warning is worth checking: one is likely"
                                            : "warnings are worth checking: they are likely");
}

static int page_body(web_request *req, buf *b, const loaded *l, int latest,
                     const pages_errors *errs)
{
    const sen2_return *r = &l->r;
    size_t requests = 0;
    for (size_t i = 0; i < r->n_persons; i++)
        requests += r->persons[i].n_requests;
    int rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">Statutory return to the DfE</span>\n"
                         "<h1 class=\"govuk-heading-l\">SEN2 return %d</h1>\n"
                         "<p class=\"govuk-body\">The EHC plans in force on the census date, "
                         "%D, and the requests, assessments and plans of the calendar year "
                         "%d, built from the record: %zu children and young people, %zu "
                         "requests.</p>\n",
                      r->period.year, r->period.census, r->period.year - 1, r->n_persons,
                      requests);
    if (rc == SH_OK)
        rc = pages_replica_notice(req, b);
    if (rc == SH_OK)
        rc = year_form(b, latest, r->period.year, errs);
    if (rc == SH_OK)
        rc = status_line(b, r);
    if (rc == SH_OK)
        rc = figures(b, l);
    if (rc == SH_OK)
        rc = downloads(req, b, r);
    if (rc == SH_OK)
        rc = notes(b);
    return rc ? rc : report(req, b, r);
}

int page_sen2(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_SEE_RETURNS))
        return pages_fail(req, res, SH_EDENIED);
    pages_errors errs = {0};
    int latest = latest_year(app_today());
    int year = read_year(req, latest, &errs);
    loaded l = {0};
    int rc = load(req, year, &l);
    if (rc == SH_OK)
        rc = pages_audit(req, "read", "sen2", 0, 0,
                         arena_printf(req->a, "SEN2 %d report: %zu errors, %zu warnings", year,
                                      l.r.n_errors, l.r.n_issues - l.r.n_errors));
    if (rc) {
        arena_destroy(l.a);
        return pages_fail(req, res, rc);
    }
    html_page p = {.title = "SEN2 return", .nav = "returns", .has_errors = errs.n > 0,
                   .no_h1 = true};
    rc = pages_begin(req, res, errs.n ? 422 : 200, &p);
    if (rc == SH_OK)
        rc = page_body(req, &res->body, &l, latest, &errs);
    arena_destroy(l.a);
    return pages_end(req, res, rc);
}

/* ---- downloads ----------------------------------------------------------------- */

/* The checks every download makes; on success l is loaded (caller destroys). */
static int download_begin(web_request *req, web_response *res, bool the_return, loaded *l,
                          bool *forced)
{
    access_capability need = the_return ? CAN_EXPORT_RETURNS : CAN_SEE_RETURNS;
    if (!access_can(&req->who, need))
        return pages_fail(req, res, SH_EDENIED);
    pages_errors errs = {0};
    int latest = latest_year(app_today());
    int year = read_year(req, latest, &errs);
    if (errs.n)
        return pages_fail(req, res, SH_EINVAL);
    const char *force = web_query(req, "force");
    *forced = force && strcmp(force, "1") == 0;
    int rc = load(req, year, l);
    /* Blocked: the return itself only as "with errors", on purpose. */
    if (rc == SH_OK && the_return && l->r.n_errors && !*forced)
        rc = SH_EINVAL;
    if (rc) {
        arena_destroy(l->a);
        l->a = NULL;
        return pages_fail(req, res, rc);
    }
    *forced = *forced && l->r.n_errors > 0;
    return SH_OK;
}

static int download_end(web_request *req, web_response *res, loaded *l, const char *what,
                        const char *content_type, const char *filename, bool forced, int rc)
{
    if (rc == SH_OK)
        rc = pages_audit(req, "export", "sen2", 0, 0,
                         arena_printf(req->a, "SEN2 %d %s; %zu people; %zu errors%s",
                                      l->r.period.year, what, l->r.n_persons, l->r.n_errors,
                                      forced ? "; with errors" : ""));
    arena_destroy(l->a);
    if (rc)
        return pages_fail(req, res, rc);
    res->status = 200;
    res->content_type = content_type;
    res->disposition = arena_printf(req->a, "attachment; filename=\"%s\"", filename);
    return res->disposition ? SH_OK : pages_fail(req, res, SH_ENOMEM);
}

/* The header's datetime: now, in UTC. */
static sen2_io_meta meta_now(web_request *req)
{
    time_t now = time(NULL);
    struct tm tm;
    char when[32] = "";
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return (sen2_io_meta){.datetime = arena_strdup(req->a, when)};
}

int page_sen2_xml(web_request *req, web_response *res)
{
    loaded l = {0};
    bool forced;
    int rc = download_begin(req, res, true, &l, &forced);
    if (rc)
        return rc;
    sen2_io_meta m = meta_now(req);
    buf_reset(&res->body);
    res->body.max = RETURN_MAX_DOWNLOAD; /* a whole area's return, not one page */
    rc = m.datetime ? sen2_io_xml(&l.r, &m, &res->body) : SH_ENOMEM;
    return download_end(req, res, &l, "xml", "application/xml; charset=utf-8",
                        arena_printf(req->a, "sen2-%s-%d.xml", req->who.la_code,
                                     l.r.period.year),
                        forced, rc);
}

int page_sen2_csv(web_request *req, web_response *res)
{
    const char *name = web_query(req, "file");
    int f = name ? sen2_io_file_parse(name) : -1;
    if (f < 0)
        return pages_fail(req, res, SH_ENOTFOUND);
    bool the_return = f <= SEN2_FILE_SENNEED;
    loaded l = {0};
    bool forced;
    int rc = download_begin(req, res, the_return, &l, &forced);
    if (rc)
        return rc;
    sen2_io_meta m = meta_now(req);
    buf_reset(&res->body);
    res->body.max = RETURN_MAX_DOWNLOAD;
    rc = m.datetime ? sen2_io_csv(&l.r, &m, (sen2_file)f, &res->body) : SH_ENOMEM;
    return download_end(req, res, &l, arena_printf(req->a, "%s.csv", name),
                        "text/csv; charset=utf-8",
                        arena_printf(req->a, "sen2-%s-%d-%s.csv", req->who.la_code,
                                     l.r.period.year, name),
                        forced && the_return, rc);
}
