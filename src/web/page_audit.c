/*
 * page_audit.c — the audit log: who read or changed which record, and every
 * sign-in, for managers, administrators and inspectors. Filterable, newest
 * first, and downloadable as CSV with the same filters. Looking at the log
 * is itself audited (reading it shows who worked on which child).
 *
 * Dates in the filters are days in the server's time zone (TZ, which should
 * be Europe/London); "to" includes the whole of that day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/audit.h"
#include "util/err.h"
#include "web/pages.h"

static const char *const actions[] = {"read",     "write",   "denied", "sign_in",
                                      "sign_in_failed", "sign_out", "export", "admin"};
#define N_ACTIONS (sizeof actions / sizeof actions[0])

typedef struct {
    const char *person, *action, *child; /* as typed */
    web_form dates;                      /* from-day ... to-year, as typed */
} filters;

/* Unix seconds at the start of day d in local time. */
static int64_t local_midnight(date_t d)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = day, .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

static void read_filters(web_request *req, filters *f)
{
    static const char *const date_keys[] = {"from-day", "from-month", "from-year",
                                            "to-day",   "to-month",   "to-year"};
    f->person = pages_trim(req->a, web_query(req, "person"));
    f->action = pages_trim(req->a, web_query(req, "action"));
    f->child = pages_trim(req->a, web_query(req, "child"));
    f->dates = (web_form){0};
    for (size_t i = 0; i < 6; i++) {
        const char *v = web_query(req, date_keys[i]);
        if (v)
            pages_form_set(&f->dates, date_keys[i], v);
    }
}

static int build_query(web_request *req, const filters *f, store_audit_query *q,
                       pages_errors *errs)
{
    *q = (store_audit_query){.la_code = req->who.la_code};
    if (f->person[0])
        q->username = f->person;
    bool known = false;
    for (size_t i = 0; i < N_ACTIONS; i++)
        known |= strcmp(f->action, actions[i]) == 0;
    if (known)
        q->action = f->action;
    else if (f->action[0])
        pages_errors_add(errs, "action", "Select an action from the list");
    if (f->child[0]) {
        char *end = NULL;
        long long id = strtoll(f->child, &end, 10);
        if (*end || id <= 0)
            pages_errors_add(errs, "child", "Enter a child's record number, like 1234");
        else
            q->child_id = id;
    }
    date_t from, to;
    if (pages_date_read(&f->dates, "from", "the first date", false, req->a, &from, errs) ==
            SH_OK &&
        from != DATE_NONE)
        q->from = local_midnight(from);
    if (pages_date_read(&f->dates, "to", "the last date", false, req->a, &to, errs) == SH_OK &&
        to != DATE_NONE)
        q->to = local_midnight(date_add_days(to, 1));
    return errs->n ? SH_EINVAL : SH_OK;
}

/* The filters again as a query string (without a leading '?'). */
static const char *filter_query(web_request *req, const filters *f)
{
    const char *s = arena_printf(req->a, "person=%s&action=%s&child=%s",
                                 pages_url_encode(req->a, f->person),
                                 pages_url_encode(req->a, f->action),
                                 pages_url_encode(req->a, f->child));
    for (size_t i = 0; s && i < f->dates.n; i++)
        s = arena_printf(req->a, "%s&%s=%s", s, f->dates.name[i],
                         pages_url_encode(req->a, f->dates.value[i]));
    return s;
}

/* "25 May 2026, 14:03" in local time. */
static const char *when(web_request *req, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char out[64];
    if (!localtime_r(&tt, &tm) || !strftime(out, sizeof out, "%e %B %Y, %H:%M", &tm))
        return "";
    const char *s = out[0] == ' ' ? out + 1 : out;
    return arena_strdup(req->a, s);
}

static int filter_form(buf *b, const filters *f, const pages_errors *errs)
{
    pages_option opts[N_ACTIONS + 1] = {{"", "Any action", NULL}};
    for (size_t i = 0; i < N_ACTIONS; i++)
        opts[i + 1] = (pages_option){actions[i], actions[i], NULL};
    int rc = html_fmt(b, "<form method=\"get\" action=\"/audit\" class=\"sendhub-filters\" "
                         "novalidate>\n<div class=\"sendhub-filters__row\">\n");
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "person", .label = "Username",
                                             .value = f->person,
                                             .classes = "govuk-input--width-10",
                                             .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_select(b, "action", "Action", NULL, opts, N_ACTIONS + 1, f->action, errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "child", .label = "Child record number",
                                             .value = f->child,
                                             .classes = "govuk-input--width-5",
                                             .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "</div>\n<div class=\"sendhub-filters__row\">\n");
    if (rc == SH_OK)
        rc = pages_date_input(b, "from", "From", NULL, &f->dates, errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "to", "To", NULL, &f->dates, errs);
    return rc ? rc
              : html_fmt(b, "</div>\n<div class=\"govuk-button-group\">\n"
                            "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
                            "data-module=\"govuk-button\">Apply filters</button>\n"
                            "<a class=\"govuk-link\" href=\"/audit\">Clear filters</a>\n"
                            "</div>\n</form>\n");
}

static int record_cell(buf *b, const store_audit *e)
{
    if (strcmp(e->object, "case") == 0 && e->object_id)
        return html_fmt(b, "<a class=\"govuk-link\" href=\"/cases/%lld\">Case %lld</a>",
                        (long long)e->object_id, (long long)e->object_id);
    int rc = html_fmt(b, "%s", e->object);
    if (rc == SH_OK && e->object_id)
        rc = html_fmt(b, " %lld", (long long)e->object_id);
    if (rc == SH_OK && e->child_id && e->child_id != e->object_id)
        rc = html_fmt(b, "<br><span class=\"govuk-body-s\">child %lld</span>",
                      (long long)e->child_id);
    return rc;
}

static int audit_row(web_request *req, buf *b, const store_audit *e)
{
    int rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">%s"
                         "</span></td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">",
                      when(req, e->at), e->username[0] ? e->username : "(unknown)", e->role,
                      e->action);
    if (rc == SH_OK)
        rc = record_cell(b, e);
    return rc ? rc
              : html_fmt(b, "</td>\n<td class=\"govuk-table__cell\">%s</td>\n"
                            "<td class=\"govuk-table__cell\">%s</td>\n</tr>\n",
                         e->detail, e->remote);
}

static int audit_table(web_request *req, buf *b, const store_audit *rows, size_t n,
                       size_t total)
{
    if (n == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No entries match.</p>\n");
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Audit log entries\" tabindex=\"0\">\n<table class=\"govuk-table sendhub-table-s\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">%zu "
                         "%s<span class=\"govuk-caption-m\">Newest first</span></caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">When</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Person</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Action</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Record</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Detail</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">From</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      total, total == 1 ? "entry" : "entries");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = audit_row(req, b, &rows[i]);
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

int page_audit(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_SEE_AUDIT))
        return pages_fail(req, res, SH_EDENIED);
    filters f;
    read_filters(req, &f);
    store_audit_query q;
    pages_errors errs = {0};
    size_t page = pages_query_page(req, "page", 1000000), n = 0, total = 0;
    store_audit *rows = NULL;
    int rc = SH_OK;
    if (build_query(req, &f, &q, &errs) == SH_OK) {
        q.limit = PAGES_PER_PAGE;
        q.offset = (page - 1) * PAGES_PER_PAGE;
        rc = audit_log_sync(req->audit); /* show what was queued up to now */
        if (rc == SH_OK)
            rc = store_audit_find(req->db_read, &q, req->a, &rows, &n, &total);
    }
    size_t pages = total ? (total + PAGES_PER_PAGE - 1) / PAGES_PER_PAGE : 1;
    if (rc == SH_OK)
        rc = pages_audit(req, "read", "audit", 0, 0,
                         arena_printf(req->a, "page %zu of %zu, %zu entries", page, pages,
                                      total));
    if (rc)
        return pages_fail(req, res, rc);
    const char *query = filter_query(req, &f);
    if (!query)
        return pages_fail(req, res, SH_ENOMEM);
    html_page p = {.title = "Audit log", .nav = "audit", .has_errors = errs.n > 0,
                   .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, errs.n ? 422 : 200, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs.e, errs.n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">Audit log</h1>\n"
                         "<p class=\"govuk-body\">Every time someone reads or changes a child's "
                         "record, signs in or manages an account. Entries cannot be changed "
                         "or deleted.</p>\n");
    if (rc == SH_OK)
        rc = pages_replica_notice(req, b);
    if (rc == SH_OK)
        rc = filter_form(b, &f, &errs);
    if (rc == SH_OK && errs.n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/audit.csv?%s\" download>Download as CSV</a> "
                         "(the entries that match the filters, oldest first)</p>\n",
                      query);
    if (rc == SH_OK && errs.n == 0)
        rc = audit_table(req, b, rows, n, total);
    if (rc == SH_OK)
        rc = pages_pagination(b, arena_printf(req->a, "/audit?%s&page=", query), page, pages);
    return pages_end(req, res, rc);
}

/* ---- CSV -------------------------------------------------------------------------------- */

typedef struct {
    web_request *req;
    buf *b;
    size_t n;
} csv_ctx;

static int csv_row(void *p, const store_audit *e)
{
    csv_ctx *ctx = p;
    char at[32] = "", id[24], child[24];
    time_t tt = (time_t)e->at;
    struct tm tm;
    if (localtime_r(&tt, &tm))
        strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(id, sizeof id, "%lld", (long long)e->object_id);
    snprintf(child, sizeof child, "%lld", (long long)e->child_id);
    const char *fields[] = {at, e->username, e->role, e->action, e->object,
                            e->object_id ? id : "", e->child_id ? child : "", e->detail,
                            e->remote};
    int rc = SH_OK;
    for (size_t i = 0; rc == SH_OK && i < 9; i++)
        rc = pages_csv_field(ctx->b, fields[i] ? fields[i] : "", i == 8);
    ctx->n++;
    return rc;
}

int page_audit_csv(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_SEE_AUDIT))
        return pages_fail(req, res, SH_EDENIED);
    filters f;
    read_filters(req, &f);
    store_audit_query q;
    pages_errors errs = {0};
    int rc = build_query(req, &f, &q, &errs);
    if (rc)
        return pages_fail(req, res, rc);
    buf_reset(&res->body);
    csv_ctx ctx = {req, &res->body, 0};
    rc = buf_puts(&res->body, "time,username,role,action,object,object_id,child_id,detail,"
                              "remote\r\n");
    if (rc == SH_OK)
        rc = audit_log_sync(req->audit);
    if (rc == SH_OK)
        rc = store_audit_scan(req->db_read, &q, req->a, csv_row, &ctx);
    if (rc == SH_OK)
        rc = pages_audit(req, "export", "audit", 0, 0,
                         arena_printf(req->a, "CSV, %zu entries", ctx.n));
    if (rc)
        return pages_fail(req, res, rc);
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    res->disposition = "attachment; filename=\"sendhub-audit.csv\"";
    return SH_OK;
}
