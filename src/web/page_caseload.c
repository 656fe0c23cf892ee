/*
 * page_caseload.c — the caseload (what is due next, for the cases a person
 * works on or may see) and the team view (caseloads by coordinator).
 *
 * A coordinator starts on their own cases and can widen to the whole area;
 * managers and inspectors see the area with a coordinator filter; health,
 * social care and school staff see only the children shared with them
 * (access_scope_caseload decides, after the person's filters, so a filter
 * can never widen what they see). Filters are a GET form, so a filtered
 * caseload is a link a person can bookmark or share.
 */
#include <ctype.h>
#include <string.h>

#include "app/access.h"
#include "core/ident.h"
#include "util/err.h"
#include "web/fragment_cache.h"
#include "web/pages.h"

#define SEARCH_MAX 100
#define NOT_ASSIGNED "-" /* coordinator filter for cases without one (not a username) */

/* What the filter form asked for, as typed (for re-display) and as a query. */
typedef struct {
    const char *coordinator; /* NULL: absent from the URL */
    const char *stage, *need, *setting, *search;
    bool overdue;
} filters;

static void read_filters(web_request *req, filters *f)
{
    f->coordinator = web_query(req, "coordinator");
    f->stage = pages_trim(req->a, web_query(req, "stage"));
    f->need = pages_trim(req->a, web_query(req, "need"));
    f->setting = pages_trim(req->a, web_query(req, "setting"));
    f->search = pages_trim(req->a, web_query(req, "q"));
    f->overdue = web_query(req, "overdue") != NULL;
    if (f->coordinator)
        f->coordinator = pages_trim(req->a, f->coordinator);
}

static bool all_digits_and(const char *s, const char *allowed)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s) && !strchr(allowed, *s))
            return false;
    return true;
}

static size_t count_digits(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += isdigit((unsigned char)*s) != 0;
    return n;
}

/* "27/3/2015", "27/03/2015" or "2015-03-27"; SH_EINVAL otherwise. */
static int search_date(const char *s, date_t *out)
{
    size_t n = strlen(s);
    if (n == DATE_ISO_LEN && s[4] == '-')
        return date_parse(s, n, out);
    int d = 0, m = 0, y = 0, parts = 0, digits = 0;
    int *cur = &d;
    for (const char *p = s;; p++) {
        if (isdigit((unsigned char)*p) && digits < 4) {
            *cur = *cur * 10 + (*p - '0');
            digits++;
            continue;
        }
        if ((*p != '/' && *p != '\0') || digits == 0)
            return SH_EINVAL;
        parts++;
        if (*p == '\0')
            break;
        cur = parts == 1 ? &m : &y;
        digits = 0;
        if (parts == 3)
            return SH_EINVAL;
    }
    if (parts != 3 || y < 1000)
        return SH_EINVAL;
    return date_from_ymd(y, m, d, out);
}

static bool upn_shaped(const char *s)
{
    if (strlen(s) != IDENT_UPN_LEN || !isalpha((unsigned char)s[0]))
        return false;
    for (const char *p = s + 1; *p; p++)
        if (!isalnum((unsigned char)*p))
            return false;
    return true;
}

/* Decides what the search box holds by its shape: a date of birth, an NHS
 * number (10 digits, spaces allowed), a UPN (13 characters, a letter
 * first), else part of a name. */
static void read_search(web_request *req, const char *s, store_case_query *q, pages_errors *errs)
{
    char nhs[IDENT_NHS_LEN + 1], upn[IDENT_UPN_LEN + 1];
    const char *why = NULL;
    if (!s[0])
        return;
    if (strlen(s) > SEARCH_MAX) {
        pages_errors_add(errs, "q", "Search must be 100 characters or fewer");
    } else if ((strchr(s, '/') || (strlen(s) == DATE_ISO_LEN && s[4] == '-')) &&
               all_digits_and(s, "/-")) {
        if (search_date(s, &q->date_of_birth) != SH_OK)
            pages_errors_add(errs, "q", "Enter a real date of birth, like 27/3/2015");
    } else if (all_digits_and(s, " -") && count_digits(s) == IDENT_NHS_LEN) {
        if (ident_nhs_normalise(s, strlen(s), nhs, &why) != SH_OK)
            pages_errors_add(errs, "q", arena_printf(req->a, "Enter a valid NHS number: %s", why));
        else
            q->nhs_number = arena_strdup(req->a, nhs);
    } else if (upn_shaped(s)) {
        if (ident_upn_normalise(s, strlen(s), upn, NULL, &why) != SH_OK)
            pages_errors_add(errs, "q", arena_printf(req->a, "Enter a valid UPN: %s", why));
        else
            q->upn = arena_strdup(req->a, upn);
    } else if (all_digits_and(s, " -/")) {
        pages_errors_add(errs, "q",
                         "Enter part of a name, a date of birth like 27/3/2015, a 10-digit NHS "
                         "number or a 13-character UPN");
    } else {
        q->name = s;
    }
}

static int stage_from_name(const char *s)
{
    for (int i = 0; s[0] && i < STAGE_COUNT; i++)
        if (strcmp(s, journey_stage_name((journey_stage)i)) == 0)
            return i;
    return -1;
}

/* Builds the store query from the filters; the person's scope goes last. */
static int build_query(web_request *req, const filters *f, store_case_query *q,
                       pages_errors *errs)
{
    *q = (store_case_query){.stage = -1, .due_on_or_before = DATE_NONE,
                            .overdue_at = DATE_NONE, .sen_need = -1,
                            .date_of_birth = DATE_NONE};
    const char *why = NULL;
    q->stage = stage_from_name(f->stage);
    if (f->stage[0] && q->stage < 0)
        pages_errors_add(errs, "stage", "Select a stage from the list");
    if (f->need[0]) {
        q->sen_need = ident_sen_type_parse(f->need, strlen(f->need));
        if (q->sen_need < 0)
            pages_errors_add(errs, "need", "Select a need from the list");
    }
    if (f->setting[0] && req->who.role != ROLE_SETTING) {
        if (ident_urn_validate(f->setting, strlen(f->setting), &why) != SH_OK)
            pages_errors_add(errs, "setting",
                             arena_printf(req->a, "Enter a valid setting URN: %s", why));
        else
            q->setting_urn = f->setting;
    }
    if (f->overdue)
        q->overdue_at = req->today;
    if (f->coordinator && strcmp(f->coordinator, NOT_ASSIGNED) == 0)
        q->coordinator = "";
    else if (f->coordinator && f->coordinator[0])
        q->coordinator = f->coordinator;
    read_search(req, f->search, q, errs);
    /* A caseload is the cases still being worked: closed ones (refused,
     * no plan, ceased) show only when their stage is chosen. */
    q->open_only = q->stage < 0;
    return access_scope_caseload(&req->who, q);
}

/* The link back to this caseload with the same filters, ending "page=". */
static const char *page_href(web_request *req, const filters *f)
{
    arena *a = req->a;
    const char *enc[5] = {
        pages_url_encode(a, f->coordinator ? f->coordinator : ""),
        pages_url_encode(a, f->stage), pages_url_encode(a, f->need),
        pages_url_encode(a, f->setting), pages_url_encode(a, f->search),
    };
    for (int i = 0; i < 5; i++)
        if (!enc[i])
            return NULL;
    return arena_printf(a, "/caseload?%s%s%sstage=%s&need=%s&setting=%s&q=%s%s&page=",
                        f->coordinator ? "coordinator=" : "", f->coordinator ? enc[0] : "",
                        f->coordinator ? "&" : "", enc[1], enc[2], enc[3], enc[4],
                        f->overdue ? "&overdue=1" : "");
}

static bool is_coordinator(const web_request *req)
{
    return req->who.role == ROLE_COORDINATOR;
}

/* Coordinators choose between their own cases and the area; people who see
 * the team choose any coordinator. Others have no choice to make. */
static int coordinator_filter(web_request *req, const filters *f, buf *b)
{
    const char *chosen = f->coordinator ? f->coordinator : "";
    if (is_coordinator(req)) {
        pages_option opts[] = {{req->who.username, "My cases", NULL},
                               {"", "All cases in the area", NULL}};
        return pages_select(b, "coordinator", "Coordinator", NULL, opts, 2, chosen, NULL);
    }
    if (!access_can(&req->who, CAN_SEE_TEAM))
        return SH_OK;
    store_team_row *rows = NULL;
    size_t n = 0;
    int rc = store_team(req->db, req->who.la_code, req->today, date_add_days(req->today, 7),
                        req->a, &rows, &n);
    if (rc)
        return rc;
    pages_option *opts = arena_calloc(req->a, n + 1, sizeof *opts);
    if (!opts)
        return SH_ENOMEM;
    size_t k = 0;
    opts[k++] = (pages_option){"", "All coordinators", NULL};
    for (size_t i = 0; i < n; i++)
        opts[k++] = rows[i].coordinator[0]
                        ? (pages_option){rows[i].coordinator, rows[i].coordinator, NULL}
                        : (pages_option){NOT_ASSIGNED, "Not assigned", NULL};
    return pages_select(b, "coordinator", "Coordinator", NULL, opts, k, chosen, NULL);
}

static int stage_filter(buf *b, const filters *f, const pages_errors *errs)
{
    pages_option opts[STAGE_COUNT + 1] = {{"", "Any open stage", NULL}};
    for (int i = 0; i < STAGE_COUNT; i++)
        opts[i + 1] = (pages_option){journey_stage_name((journey_stage)i),
                                     journey_stage_label((journey_stage)i), NULL};
    return pages_select(b, "stage", "Stage", NULL, opts, STAGE_COUNT + 1, f->stage, errs);
}

static int need_filter(buf *b, const filters *f, const pages_errors *errs)
{
    pages_option opts[SEN_TYPE_COUNT + 1] = {{"", "Any need", NULL}};
    size_t k = 1;
    for (int i = 0; i < SEN_TYPE_COUNT; i++)
        if (ident_sen_type_valid_for_plan((sen_type)i))
            opts[k++] = (pages_option){ident_sen_type_code((sen_type)i),
                                       ident_sen_type_label((sen_type)i), NULL};
    return pages_select(b, "need", "Primary need", NULL, opts, k, f->need, errs);
}

static int filter_form(web_request *req, buf *b, const filters *f, const pages_errors *errs)
{
    int rc = html_fmt(b, "<form method=\"get\" action=\"/caseload\" class=\"sendhub-filters\" "
                         "novalidate>\n"
                         "<h2 class=\"govuk-visually-hidden\">Find and filter cases</h2>\n");
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "q",
                                             .label = "Search by name, date of birth, UPN or "
                                                      "NHS number",
                                             .hint = "For example, Smith, 27/3/2015, "
                                                     "943 476 5919 or A123456789012",
                                             .value = f->search,
                                             .classes = "govuk-!-width-one-half",
                                             .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"sendhub-filters__row\">\n");
    if (rc == SH_OK)
        rc = coordinator_filter(req, f, b);
    if (rc == SH_OK)
        rc = stage_filter(b, f, errs);
    if (rc == SH_OK)
        rc = need_filter(b, f, errs);
    if (rc == SH_OK && req->who.role != ROLE_SETTING)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "setting", .label = "Setting URN",
                                             .value = f->setting,
                                             .classes = "govuk-input--width-5",
                                             .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = pages_checkbox(b, "overdue", "1", "Overdue only", f->overdue);
    if (rc == SH_OK)
        rc = html_fmt(b, "</div>\n<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
                         "data-module=\"govuk-button\">Apply filters</button>\n"
                         "<a class=\"govuk-link\" href=\"/caseload\">Clear filters</a>\n"
                         "</div>\n</form>\n");
    return rc;
}

static int caseload_row(web_request *req, buf *b, const store_caseload_row *r)
{
    const store_case_summary *s = &r->c.summary;
    int rc = html_fmt(b,
                      "<tr class=\"govuk-table__row\">\n"
                      "<th scope=\"row\" class=\"govuk-table__header\">"
                      "<a class=\"govuk-link\" href=\"/cases/%lld\">%s %s</a></th>\n"
                      "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                      "<td class=\"govuk-table__cell\">%s</td>\n"
                      "<td class=\"govuk-table__cell\">%s</td>\n",
                      (long long)r->c.id, r->forename, r->surname,
                      pages_date_short(req->a, r->date_of_birth),
                      pages_need_label(r->sen_need), journey_stage_label(s->stage));
    if (rc == SH_OK && s->next_due == DATE_NONE)
        rc = html_fmt(b, "<td class=\"govuk-table__cell\" colspan=\"2\">"
                         "<span class=\"govuk-hint govuk-!-margin-0\">Nothing due</span></td>\n");
    else if (rc == SH_OK)
        rc = html_fmt(b, "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\"><span class=\"sendhub-nowrap\">%s"
                         "</span> %r</td>\n",
                      pages_step_label(req->a, s->next_step, AGENCY_NONE),
                      pages_date_short(req->a, s->next_due),
                      pages_due_tag(s->next_due, req->today));
    return rc ? rc : html_fmt(b, "</tr>\n");
}

static int caseload_table(web_request *req, buf *b, const store_caseload_row *rows, size_t n,
                          size_t total)
{
    if (n == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No cases match. Search for a first name or "
                           "a last name on its own, or clear the filters.</p>\n");
    int rc = html_fmt(b,
                      "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Cases\" tabindex=\"0\">\n<table class=\"govuk-table sendhub-table-s\">\n"
                      "<caption class=\"govuk-table__caption govuk-table__caption--m\">%zu %s"
                      "<span class=\"govuk-caption-m\">Ordered by what is due next</span>"
                      "</caption>\n"
                      "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Child</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Date of birth</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Primary need</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Stage</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Next step</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Due</th>\n"
                      "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      total, total == 1 ? "case" : "cases");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = caseload_row(req, b, &rows[i]);
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

/* A text field of the cache key: its length first, so no value can run
 * into the next ("-" for NULL, which differs from ""). */
static const char *key_text(arena *a, const char *v)
{
    return v ? arena_printf(a, "%zu:%s", strlen(v), v) : "-";
}

/* Everything the table depends on, the database aside: the query after the
 * person's scope was applied (so two people share an entry only when the
 * store would give them the same rows) and today (the due tags). */
static const char *table_key(web_request *req, const store_case_query *q)
{
    arena *a = req->a;
    const char *t[7] = {key_text(a, q->la_code), key_text(a, q->coordinator),
                        key_text(a, q->setting_urn), key_text(a, q->name),
                        key_text(a, q->upn), key_text(a, q->nhs_number), NULL};
    for (int i = 0; i < 6; i++)
        if (!t[i])
            return NULL;
    return arena_printf(a, "caseload|%s|%s|%s|%s|%s|%s|%d|%d|%d|%d|%lld|%d|%u|%d|%d|%zu|%zu|%d",
                        t[0], t[1], t[2], t[3], t[4], t[5], q->stage, (int)q->due_on_or_before,
                        (int)q->overdue_at, (int)q->date_of_birth, (long long)q->child_id,
                        q->sen_need, q->open_advice, (int)q->open_only, (int)q->page_columns,
                        q->limit, q->offset, (int)req->today);
}

/* The caseload's rows and total in one snapshot, or the table rendered
 * from that same database state earlier on this thread (*cached true: the
 * table is then in res and rows are not read). *version_ok says whether
 * the table may be kept afterwards under version and *key. */
static int read_caseload(web_request *req, store_case_query *q, store_caseload_row **rows,
                         size_t *n, size_t *total, buf *cached, bool *hit,
                         int64_t version[STORE_VERSION_LEN], const char **key)
{
    *hit = false;
    int rc = store_read_begin(req->db); /* the count and the page from one snapshot */
    if (rc)
        return rc;
    *key = table_key(req, q);
    if (!*key || store_data_version(req->db, version) != SH_OK)
        *key = NULL; /* nothing to compare with: no reuse, no keeping */
    size_t extra[FRAGMENT_CACHE_EXTRA];
    *hit = *key && fragment_cache_get(*key, version, cached, extra);
    if (*hit)
        *total = extra[0];
    if (!*hit)
        rc = store_case_list(req->db, q, req->a, rows, n, total);
    int end = store_read_end(req->db);
    return rc ? rc : end;
}

static const char *caseload_title(const web_request *req, const filters *f)
{
    switch (req->who.role) {
    case ROLE_HEALTH:
        return "Children with a request for health advice";
    case ROLE_SOCIAL_CARE:
        return "Children with a request for social care advice";
    case ROLE_SETTING:
        return "Children at your school or college";
    case ROLE_COORDINATOR:
        return strcmp(f->coordinator, req->who.username) == 0 ? "My caseload"
                                                              : "Caseload for the area";
    default:
        return "Caseload for the area";
    }
}

int page_caseload(web_request *req, web_response *res)
{
    filters f;
    read_filters(req, &f);
    if (is_coordinator(req) && !f.coordinator)
        f.coordinator = req->who.username;
    store_case_query q;
    pages_errors errs = {0};
    int rc = build_query(req, &f, &q, &errs);
    if (rc)
        return pages_fail(req, res, rc);
    size_t page = pages_query_page(req, "page", 100000), total = 0, n = 0;
    store_caseload_row *rows = NULL;
    buf cached;
    buf_init(&cached, FRAGMENT_CACHE_MAX);
    bool hit = false;
    int64_t version[STORE_VERSION_LEN];
    const char *key = NULL;
    if (errs.n == 0) {
        q.limit = PAGES_PER_PAGE;
        q.offset = (page - 1) * PAGES_PER_PAGE;
        q.page_columns = true; /* caseload_row reads no more */
        rc = read_caseload(req, &q, &rows, &n, &total, &cached, &hit, version, &key);
        if (rc) {
            buf_free(&cached);
            return pages_fail(req, res, rc);
        }
    }
    size_t pages = total ? (total + PAGES_PER_PAGE - 1) / PAGES_PER_PAGE : 1;
    /* every view is audited, from the cache or not */
    rc = pages_audit(req, "read", "caseload", 0, 0,
                     arena_printf(req->a, "page %zu of %zu, %zu cases", page, pages, total));
    if (rc) {
        buf_free(&cached);
        return pages_fail(req, res, rc);
    }

    html_page p = {.title = caseload_title(req, &f), .nav = "caseload",
                   .has_errors = errs.n > 0, .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, errs.n ? 422 : 200, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs.e, errs.n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">%s</h1>\n", p.title);
    if (rc == SH_OK && !access_sees_whole_area(&req->who))
        rc = html_fmt(b, "<p class=\"govuk-body\">These are the children whose records are "
                         "shared with you. The next step shown is the case's next statutory "
                         "step, which may be another service's.</p>\n");
    if (rc == SH_OK)
        rc = filter_form(req, b, &f, &errs);
    size_t table_at = b->len;
    if (rc == SH_OK && hit)
        rc = buf_append(b, cached.data, cached.len);
    else if (rc == SH_OK && errs.n == 0)
        rc = caseload_table(req, b, rows, n, total);
    if (rc == SH_OK && !hit && key)
        fragment_cache_put(key, version, b->data + table_at, b->len - table_at,
                           (size_t[FRAGMENT_CACHE_EXTRA]){total});
    buf_free(&cached);
    const char *href = rc == SH_OK ? page_href(req, &f) : NULL;
    if (rc == SH_OK && !href)
        rc = SH_ENOMEM;
    if (rc == SH_OK)
        rc = pages_pagination(b, href, page, pages);
    return pages_end(req, res, rc);
}

/* ---- team ------------------------------------------------------------------ */

static int team_row(web_request *req, buf *b, const store_team_row *r)
{
    const char *who = r->coordinator[0] ? r->coordinator : NOT_ASSIGNED;
    const char *enc = pages_url_encode(req->a, who);
    if (!enc)
        return SH_ENOMEM;
    return html_fmt(b,
                    "<tr class=\"govuk-table__row\">\n"
                    "<th scope=\"row\" class=\"govuk-table__header\"><a class=\"govuk-link\" "
                    "href=\"/caseload?coordinator=%s\">%s</a></th>\n"
                    "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%ld</td>\n"
                    "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%r%ld%r</td>\n"
                    "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%ld</td>\n"
                    "</tr>\n",
                    enc, r->coordinator[0] ? r->coordinator : "Not assigned", r->open_cases,
                    r->overdue ? "<strong>" : "", r->overdue, r->overdue ? "</strong>" : "",
                    r->due_soon);
}

int page_team(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_SEE_TEAM))
        return pages_fail(req, res, SH_EDENIED);
    store_team_row *rows = NULL;
    size_t n = 0;
    int rc = store_team(req->db_read, req->who.la_code, req->today,
                        date_add_days(req->today, 7), req->a, &rows, &n);
    if (rc == SH_OK)
        rc = pages_audit(req, "read", "caseload", 0, 0, "team view");
    if (rc)
        return pages_fail(req, res, rc);
    long open = 0, overdue = 0, soon = 0;
    for (size_t i = 0; i < n; i++) {
        open += rows[i].open_cases;
        overdue += rows[i].overdue;
        soon += rows[i].due_soon;
    }
    html_page p = {.title = "Team", .nav = "team"};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = pages_replica_notice(req, b);
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">There are no open cases in the area.</p>\n");
    if (rc == SH_OK && n > 0)
        rc = html_fmt(b,
                      "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Open cases by coordinator\" tabindex=\"0\">\n<table class=\"govuk-table\">\n"
                      "<caption class=\"govuk-table__caption govuk-table__caption--m\">Open "
                      "cases by coordinator<span class=\"govuk-caption-m\">Overdue and due "
                      "counts are for each case's next statutory step, as of %D</span>"
                      "</caption>\n"
                      "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Coordinator</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header "
                      "govuk-table__header--numeric\">Open cases</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header "
                      "govuk-table__header--numeric\">Overdue</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header "
                      "govuk-table__header--numeric\">Due in the next 7 days</th>\n"
                      "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      req->today);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = team_row(req, b, &rows[i]);
    if (rc == SH_OK && n > 0)
        rc = html_fmt(b,
                      "</tbody>\n<tfoot><tr class=\"govuk-table__row\">\n"
                      "<th scope=\"row\" class=\"govuk-table__header\">All coordinators</th>\n"
                      "<td class=\"govuk-table__cell govuk-table__cell--numeric\"><strong>%ld"
                      "</strong></td>\n"
                      "<td class=\"govuk-table__cell govuk-table__cell--numeric\"><strong>%ld"
                      "</strong></td>\n"
                      "<td class=\"govuk-table__cell govuk-table__cell--numeric\"><strong>%ld"
                      "</strong></td>\n</tr></tfoot>\n</table>\n</div>\n",
                      open, overdue, soon);
    return pages_end(req, res, rc);
}
