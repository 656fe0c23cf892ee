/*
 * page_health.c — health waiting lists (issue 5): the area's pathways and
 * their dashboards (wait bands as the NHS community health services return
 * counts them, % within the standard, median and 92nd percentile, long
 * waits, the trend by month, and the forecast with a "capacity +N a week"
 * what-if), a pathway's configuration, its waiting list, one referral with
 * the form to record what happened, a new referral, and the "health
 * waiting lists" section of a child's record.
 *
 * Who sees what is app/access.h's: health practitioners record and see the
 * lists (children by name), managers, inspectors and administrators see the
 * dashboards (counts only), administrators configure pathways. Every page
 * naming a child is audited (pages_audit).
 */
#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/health.h"
#include "core/ident.h"
#include "util/err.h"
#include "web/pages.h"

/* ---- wording ------------------------------------------------------------------- */

/* "23 weeks" (waits are reported in whole weeks, as the NHS does). */
static const char *weeks(arena *a, int days)
{
    if (days < 0)
        return "None";
    int w = days / 7;
    return arena_printf(a, "%d week%s", w, w == 1 ? "" : "s");
}

static const char *percent(arena *a, int permille)
{
    return permille < 0 ? "None" : arena_printf(a, "%d.%d%%", permille / 10, permille % 10);
}

static const char *stop_label(wait_milestone m)
{
    return m == WAIT_STOP_FIRST_CONTACT ? "first contact" : "the assessment starting";
}

/* Where the referral stands, as a GOV.UK tag. */
static const char *status_tag(const health_referral_view *v)
{
    if (v->r.discharged != DATE_NONE)
        return "<strong class=\"govuk-tag govuk-tag--grey\">Discharged</strong>";
    if (v->r.triage == WAIT_TRIAGE_REJECTED || v->r.triage == WAIT_TRIAGE_REDIRECTED)
        return "<strong class=\"govuk-tag govuk-tag--grey\">Not accepted</strong>";
    if (v->seen != DATE_NONE)
        return "<strong class=\"govuk-tag govuk-tag--green\">Seen</strong>";
    if (v->paused)
        return "<strong class=\"govuk-tag govuk-tag--yellow\">Clock paused</strong>";
    if (v->r.triage == WAIT_TRIAGE_PENDING)
        return "<strong class=\"govuk-tag govuk-tag--blue\">Waiting for triage</strong>";
    return "<strong class=\"govuk-tag govuk-tag--blue\">Waiting</strong>";
}

static const char *position_text(arena *a, const health_referral_view *v)
{
    if (!v->waiting || !v->position)
        return "";
    return arena_printf(a, "%zu of %zu%s", v->position, v->queue_len,
                        v->r.priority == WAIT_PRIORITY_URGENT ? " (urgent)" : "");
}

static const char *estimate_text(arena *a, const health_referral_view *v)
{
    if (!v->waiting)
        return "";
    if (v->estimate == DATE_NONE)
        return "Not within 10 years at the current capacity";
    char d[40];
    date_format_long(v->estimate, d, sizeof d);
    return arena_strdup(a, d);
}

static int fail_app(web_request *req, web_response *res, const app_error *err)
{
    return pages_fail(req, res, err->rc);
}

/* ---- a child's record: the health waits ----------------------------------------- */

int pages_health_waits(web_request *req, buf *b, int64_t child_id)
{
    health_referral_view *v;
    size_t n;
    app_error err = {0};
    int rc = app_referrals_for_child(req->db, &req->who, child_id, req->today, req->a, &v, &n,
                                     &err);
    if (rc)
        return rc;
    if (n && (rc = pages_audit(req, "read", "referral", 0, child_id, "health waits")))
        return rc;
    rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"health\">Health waiting lists</h2>\n");
    return rc ? rc : pages_health_waits_table(req, b, v, n);
}

int pages_health_waits_table(web_request *req, buf *b, const health_referral_view *v, size_t n)
{
    if (n == 0)
        return html_fmt(b, "<p class=\"govuk-body\">No open referrals to health pathways.</p>\n");
    int rc = html_fmt(b,
                      "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Health "
                      "waiting lists\" tabindex=\"0\">\n<table class=\"govuk-table "
                      "sendhub-table-s\">\n<thead class=\"govuk-table__head\"><tr "
                      "class=\"govuk-table__row\">\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Pathway</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Referred</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Status</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Waited so far</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Place in queue</th>\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">Estimated to be "
                      "seen</th>\n</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    bool link = access_can(&req->who, CAN_SEE_WAITING_LISTS);
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const health_referral_view *x = &v[i];
        const char *name = link ? arena_printf(req->a, "<a class=\"govuk-link\" href=\"/referrals/%lld\">",
                                               (long long)x->r.id)
                                : "";
        rc = html_fmt(b,
                      "<tr class=\"govuk-table__row\">\n"
                      "<td class=\"govuk-table__cell\">%r%s%r<br><span "
                      "class=\"sendhub-secondary\">%s</span></td>\n"
                      "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                      "<td class=\"govuk-table__cell\">%r</td>\n"
                      "<td class=\"govuk-table__cell\">%s</td>\n"
                      "<td class=\"govuk-table__cell\">%s</td>\n"
                      "<td class=\"govuk-table__cell\">%s</td>\n</tr>\n",
                      name, x->pathway.name, link ? "</a>" : "", x->pathway.provider,
                      pages_date_short(req->a, x->r.referral_date), status_tag(x),
                      weeks(req->a, x->wait_days), position_text(req->a, x),
                      estimate_text(req->a, x));
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n<p class=\"govuk-body-s "
                         "sendhub-secondary\">Waits count from the referral, leaving out "
                         "any time the family paused the clock. Estimates come from each "
                         "pathway's queue, its capacity and the referrals coming in; they "
                         "are a guide, not an appointment.</p>\n");
    return rc;
}

/* ---- the pathways --------------------------------------------------------------- */

static int pathways_table(web_request *req, buf *b, const store_pathway *p, size_t n)
{
    bool lists = access_can(&req->who, CAN_SEE_WAITING_LISTS);
    bool config = access_can(&req->who, CAN_CONFIGURE_PATHWAYS);
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Health "
                         "pathways\" tabindex=\"0\">\n<table class=\"govuk-table\">\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Pathway</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Provider</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Standard</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Capacity a week</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\"><span "
                         "class=\"govuk-visually-hidden\">Actions</span></th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const store_pathway *x = &p[i];
        rc = html_fmt(b,
                      "<tr class=\"govuk-table__row\">\n<td class=\"govuk-table__cell\"><a "
                      "class=\"govuk-link\" href=\"/pathways/%lld\">%s</a>%r</td>\n"
                      "<td class=\"govuk-table__cell\">%s</td>\n"
                      "<td class=\"govuk-table__cell\">%d weeks to %s</td>\n"
                      "<td class=\"govuk-table__cell\">%s</td>\n<td class=\"govuk-table__cell\">",
                      (long long)x->id, x->name,
                      x->active ? "" : " <strong class=\"govuk-tag govuk-tag--grey\">Closed to "
                                       "referrals</strong>",
                      x->provider, x->standard_weeks, stop_label(x->clock_stop),
                      x->capacity_per_week ? arena_printf(req->a, "%d", x->capacity_per_week)
                                           : "Not set");
        if (rc == SH_OK && lists)
            rc = html_fmt(b, "<a class=\"govuk-link\" href=\"/pathways/%lld/waiting-list\">Waiting "
                             "list<span class=\"govuk-visually-hidden\">: %s</span></a> ",
                          (long long)x->id, x->name);
        if (rc == SH_OK && config)
            rc = html_fmt(b, "<a class=\"govuk-link\" href=\"/pathways/%lld/edit\">Change<span "
                             "class=\"govuk-visually-hidden\"> %s</span></a>",
                          (long long)x->id, x->name);
        if (rc == SH_OK)
            rc = html_fmt(b, "</td>\n</tr>\n");
    }
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

int page_pathways(web_request *req, web_response *res)
{
    store_pathway *p;
    size_t n;
    app_error err = {0};
    if (!access_can(&req->who, CAN_SEE_PATHWAY_STATS))
        return pages_fail(req, res, SH_EDENIED);
    if (app_health_pathways(req->db_read, &req->who, req->a, &p, &n, &err))
        return fail_app(req, res, &err);
    html_page pg = {.title = "Health pathways", .nav = "pathways"};
    buf *b = &res->body;
    int rc = pages_begin(req, res, 200, &pg);
    if (rc == SH_OK && access_can(&req->who, CAN_RECORD_REFERRALS))
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n<a href=\"/referrals/new\" "
                         "class=\"govuk-button\" data-module=\"govuk-button\">Record a new "
                         "referral</a>\n<a href=\"/referrals/import\" class=\"govuk-button "
                         "govuk-button--secondary\" data-module=\"govuk-button\">Import "
                         "referrals</a>\n</div>\n");
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">The diagnostic and therapy pathways children "
                         "in the area are referred to. Choose one to see its waits and "
                         "forecast.</p>\n");
    if (rc == SH_OK && n)
        rc = pathways_table(req, b, p, n);
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No pathways are set up in this area yet.</p>\n");
    if (rc == SH_OK && n < 7 && access_can(&req->who, CAN_CONFIGURE_PATHWAYS)) {
        rc = html_fmt(b, "<form method=\"post\" action=\"/pathways/seed\" novalidate>\n");
        if (rc == SH_OK)
            rc = pages_csrf_input(b, req);
        if (rc == SH_OK)
            rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
                             "data-module=\"govuk-button\">Add the standard pathways</button>\n"
                             "</form>\n");
    }
    return pages_end(req, res, rc);
}

int page_pathways_seed(web_request *req, web_response *res)
{
    app_error err = {0};
    if (app_health_pathways_seed(req->db, &req->who, NULL, &err))
        return fail_app(req, res, &err);
    return pages_redirect(res, "/pathways");
}

/* ---- a pathway's dashboard ------------------------------------------------------- */

static int dash_row(buf *b, const char *key, const char *value)
{
    return html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                       "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                       "<dd class=\"govuk-summary-list__value\">%s</dd>\n</div>\n",
                    key, value);
}

static int headline(web_request *req, buf *b, const health_pathway_stats *st)
{
    const wait_summary *w = &st->report.waiting;
    arena *a = req->a;
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">The waiting list today</h2>\n"
                         "<dl class=\"govuk-summary-list\">\n");
    if (rc == SH_OK)
        rc = dash_row(b, "Children waiting", arena_printf(a, "%zu", w->count));
    if (rc == SH_OK)
        rc = dash_row(b, arena_printf(a, "Within %d weeks (the standard)", st->pathway.standard_weeks),
                      arena_printf(a, "%s (%zu children)",
                                   percent(a, wait_permille(w->within_standard, w->count)),
                                   w->within_standard));
    if (rc == SH_OK)
        rc = dash_row(b, "Median wait", weeks(a, w->median_days));
    if (rc == SH_OK)
        rc = dash_row(b, "92nd percentile wait",
                      arena_printf(a, "%s%s", w->p92_capped ? "at least " : "",
                                   weeks(a, w->p92_days)));
    if (rc == SH_OK)
        rc = dash_row(b, "Longest wait", weeks(a, w->longest_days));
    if (rc == SH_OK)
        rc = dash_row(b, "Waiting over 52, 78 and 104 weeks",
                      arena_printf(a, "%zu, %zu and %zu", w->band[WAIT_BAND_OVER_52], w->over_78,
                                   w->over_104));
    if (rc == SH_OK)
        rc = dash_row(b, "Clock paused by the family", arena_printf(a, "%zu", st->report.paused));
    if (rc == SH_OK)
        rc = dash_row(b, "Waiting for triage", arena_printf(a, "%zu", st->report.pending_triage));
    if (rc == SH_OK)
        rc = dash_row(b, "Urgent", arena_printf(a, "%zu", st->report.urgent));
    if (rc == SH_OK)
        rc = dash_row(b, "Last 28 days",
                      arena_printf(a, "%zu referred, %zu seen (median wait %s), %zu left "
                                      "unseen",
                                   st->report.received, st->report.seen.count,
                                   weeks(a, st->report.seen.median_days),
                                   st->report.left_unseen));
    return rc ? rc : html_fmt(b, "</dl>\n");
}

static int bands_table(web_request *req, buf *b, const wait_summary *w)
{
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Wait "
                         "bands\" tabindex=\"0\">\n<table class=\"govuk-table\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">Wait "
                         "bands</caption>\n<thead class=\"govuk-table__head\"><tr "
                         "class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Waited</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header "
                         "govuk-table__header--numeric\">Children</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header "
                         "govuk-table__header--numeric\">Share</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header sendhub-bar-cell\"><span "
                         "class=\"govuk-visually-hidden\">Chart</span></th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (int i = 0; rc == SH_OK && i < WAIT_BAND_COUNT; i++)
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<th scope=\"row\" class=\"govuk-table__header\">%s</th>\n"
                         "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%zu</td>\n"
                         "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%s</td>\n"
                         "<td class=\"govuk-table__cell sendhub-bar-cell\"><meter "
                         "class=\"sendhub-bar\" aria-hidden=\"true\" min=\"0\" max=\"%zu\" "
                         "value=\"%zu\"></meter></td>\n</tr>\n",
                      wait_band_label((wait_band)i), w->band[i],
                      percent(req->a, wait_permille(w->band[i], w->count)),
                      w->count ? w->count : 1, w->band[i]);
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

static int trend_table(web_request *req, buf *b, const wait_report *r)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Trend "
                         "by month\" tabindex=\"0\">\n<table class=\"govuk-table "
                         "sendhub-table-s\">\n<caption class=\"govuk-table__caption "
                         "govuk-table__caption--m\">Trend by month</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Month</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Referred</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Seen</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Waiting at the end</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Median wait</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">92nd percentile</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (int i = 0; rc == SH_OK && i < r->trend_count; i++) {
        const wait_month *m = &r->trend[i];
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<th scope=\"row\" class=\"govuk-table__header sendhub-nowrap\">%s %d</th>\n"
                         "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%zu</td>\n"
                         "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%zu</td>\n"
                         "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%zu</td>\n"
                         "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%s</td>\n"
                         "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%s</td>\n</tr>\n",
                      months[(m->month - 1) % 12], m->year, m->received, m->seen, m->waiting_end,
                      weeks(req->a, m->median_days_end), weeks(req->a, m->p92_days_end));
    }
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

static const char *date_or_never(arena *a, date_t d)
{
    if (d == DATE_NONE)
        return "not within 10 years";
    char s[40];
    date_format_long(d, s, sizeof s);
    return arena_strdup(a, s);
}

static int forecast_section(web_request *req, buf *b, const health_pathway_stats *st,
                            const pages_errors *errs, const char *extra_typed)
{
    arena *a = req->a;
    const forecast_backtest_result *bt = &st->backtest;
    if (st->capacity <= 0 && st->extra == 0)
        return html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"forecast\">Forecast</h2>\n"
                           "<p class=\"govuk-body\">No forecast: no capacity is set for this "
                           "pathway and no child was seen in the last 12 weeks. An "
                           "administrator can set the capacity.</p>\n");
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"forecast\">Forecast</h2>\n"
                         "<p class=\"govuk-body\">A child referred today (routine) would be "
                         "seen about <strong>%s</strong>; an urgent referral about %s.</p>\n"
                         "<p class=\"govuk-body\">This assumes %s children are seen a week "
                         "(%s), %s referrals a week come in (the last 12 weeks' rate), and "
                         "that children leave the list unseen as often as they have "
                         "lately. In a year the list would hold about %s children.</p>\n",
                      date_or_never(a, st->new_routine), date_or_never(a, st->new_urgent),
                      arena_printf(a, "%.1f", st->capacity),
                      st->capacity_measured ? "the rate of the last 12 weeks: no capacity is "
                                              "set for this pathway"
                                            : "the pathway's capacity",
                      arena_printf(a, "%.1f", st->rates.arrivals[0] + st->rates.arrivals[1]),
                      arena_printf(a, "%.0f", st->list_in_year));
    if (rc == SH_OK && bt->compared)
        rc = html_fmt(b, "<p class=\"govuk-body-s sendhub-secondary\">How good is it? Replayed "
                         "every 4 weeks from two years to six months ago, its %zu forecasts "
                         "for the children then waiting were out by %s weeks on average (%s "
                         "weeks %s), and %zu%% were within 4 weeks of the day the child was "
                         "actually seen.</p>\n",
                      bt->compared, arena_printf(a, "%.1f", bt->mae_weeks),
                      arena_printf(a, "%.1f", bt->bias_weeks < 0 ? -bt->bias_weeks : bt->bias_weeks),
                      bt->bias_weeks < 0 ? "too early overall" : "too late overall",
                      bt->within_4_weeks * 100 / bt->compared);
    if (rc == SH_OK)
        rc = html_fmt(b, "<form method=\"get\" action=\"/pathways/%lld#forecast\" novalidate "
                         "class=\"sendhub-filters\">\n<div class=\"sendhub-filters__row\">\n",
                      (long long)st->pathway.id);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "extra", .label = "What if capacity rose by",
                                                .hint = "Extra children seen a week, for example 5 "
                                                        "(a waiting list initiative)",
                                                .value = extra_typed,
                                                .classes = "govuk-input--width-4",
                                                .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-form-group\"><button type=\"submit\" "
                         "class=\"govuk-button govuk-button--secondary\" "
                         "data-module=\"govuk-button\">Show the forecast</button></div>\n"
                         "</div>\n</form>\n");
    if (rc == SH_OK && st->extra > 0 && errs->n == 0)
        rc = html_fmt(b, "<div class=\"govuk-inset-text\" id=\"what-if\">With %d more seen a "
                         "week, a routine referral made today would be seen about "
                         "<strong>%s</strong> (urgent: %s), and in a year the list would hold "
                         "about %s children.</div>\n",
                      st->extra, date_or_never(a, st->new_routine_extra),
                      date_or_never(a, st->new_urgent_extra),
                      arena_printf(a, "%.0f", st->list_in_year_extra));
    return rc;
}

/* ?extra=N: a whole number 0..HEALTH_EXTRA_CAPACITY_MAX, or an error. */
static int read_extra(web_request *req, const char *s, int *out, pages_errors *errs)
{
    *out = 0;
    if (!s || !s[0])
        return SH_OK;
    long v = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || len > 4) {
            pages_errors_add(errs, "extra", arena_printf(req->a, "Extra capacity must be a whole "
                                                                 "number from 0 to %d",
                                                         HEALTH_EXTRA_CAPACITY_MAX));
            return SH_EINVAL;
        }
        v = v * 10 + (s[i] - '0');
    }
    if (v > HEALTH_EXTRA_CAPACITY_MAX) {
        pages_errors_add(errs, "extra", arena_printf(req->a, "Extra capacity must be a whole "
                                                             "number from 0 to %d",
                                                     HEALTH_EXTRA_CAPACITY_MAX));
        return SH_EINVAL;
    }
    *out = (int)v;
    return SH_OK;
}

int page_pathway(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_SEE_PATHWAY_STATS))
        return pages_fail(req, res, SH_EDENIED);
    const char *typed = pages_trim(req->a, web_query(req, "extra"));
    pages_errors errs = {0};
    int extra = 0;
    read_extra(req, typed, &extra, &errs);
    arena *big = arena_create(HEALTH_ARENA_FOR_STATS);
    if (!big)
        return pages_fail(req, res, SH_ENOMEM);
    health_pathway_stats st;
    app_error err = {0};
    int rc = app_pathway_stats(req->db_read, &req->who, req->params[0], req->today, extra, big,
                               &st, &err);
    if (rc) {
        arena_destroy(big);
        return fail_app(req, res, &err);
    }
    html_page pg = {.title = st.pathway.name, .nav = "pathways", .back_href = "/pathways",
                    .has_errors = errs.n > 0, .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, errs.n ? 422 : 200, &pg);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs.e, errs.n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n"
                         "<p class=\"govuk-body\">Standard: %d weeks from referral to %s. "
                         "Figures as of %D.</p>\n",
                      st.pathway.provider, st.pathway.name, st.pathway.standard_weeks,
                      stop_label(st.pathway.clock_stop), req->today);
    if (rc == SH_OK)
        rc = pages_replica_notice(req, b);
    if (rc == SH_OK && access_can(&req->who, CAN_SEE_WAITING_LISTS))
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/pathways/%lld/waiting-list\">See the children on the waiting "
                         "list</a></p>\n",
                      (long long)st.pathway.id);
    if (rc == SH_OK)
        rc = headline(req, b, &st);
    if (rc == SH_OK)
        rc = bands_table(req, b, &st.report.waiting);
    if (rc == SH_OK)
        rc = forecast_section(req, b, &st, &errs, typed);
    if (rc == SH_OK)
        rc = trend_table(req, b, &st.report);
    arena_destroy(big);
    return pages_end(req, res, rc);
}

/* ---- a pathway's configuration ---------------------------------------------------- */

static int render_edit(web_request *req, web_response *res, const store_pathway *p, int status,
                       const web_form *values, const pages_errors *errs)
{
    html_page pg = {.title = arena_printf(req->a, "Change %s", p->name), .nav = "pathways",
                    .back_href = "/pathways", .has_errors = errs->n > 0};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &pg);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<form method=\"post\" action=\"/pathways/%lld/edit\" novalidate>\n",
                      (long long)p->id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "provider", .label = "Provider",
                                                .hint = "The NHS trust or service that runs it",
                                                .value = form_get(values, "provider")},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "standard_weeks",
                                                .label = "Standard, in weeks",
                                                .hint = arena_printf(req->a, "The longest a child "
                                                                             "should wait for %s",
                                                                     stop_label(p->clock_stop)),
                                                .value = form_get(values, "standard_weeks"),
                                                .classes = "govuk-input--width-3",
                                                .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "capacity", .label = "Capacity a week",
                                                .hint = "Children the clinics can see a week; 0 "
                                                        "if not known (the forecast then uses "
                                                        "the rate actually seen)",
                                                .value = form_get(values, "capacity"),
                                                .classes = "govuk-input--width-4",
                                                .inputmode = "numeric"},
                         errs);
    static const pages_option open_opts[] = {{"yes", "Yes", NULL}, {"no", "No", NULL}};
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "active",
                                                  .legend = "Does it take new referrals?",
                                                  .opts = open_opts, .n = 2,
                                                  .checked = form_get(values, "active"),
                                                  .small = true},
                          errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Save</button>\n</form>\n");
    return pages_end(req, res, rc);
}

int page_pathway_edit_form(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_CONFIGURE_PATHWAYS))
        return pages_fail(req, res, SH_EDENIED);
    store_pathway p;
    app_error err = {0};
    if (app_health_pathway_get(req->db, &req->who, req->params[0], req->a, &p, &err))
        return fail_app(req, res, &err);
    web_form values = {0};
    pages_form_set(&values, "provider", p.provider);
    pages_form_set(&values, "standard_weeks", arena_printf(req->a, "%d", p.standard_weeks));
    pages_form_set(&values, "capacity", arena_printf(req->a, "%d", p.capacity_per_week));
    pages_form_set(&values, "active", p.active ? "yes" : "no");
    pages_errors errs = {0};
    return render_edit(req, res, &p, 200, &values, &errs);
}

/* A whole number typed into a form, within [0, max]; -1 when not. */
static int whole_number(const char *s, int max)
{
    if (!s || !s[0] || strlen(s) > 6)
        return -1;
    int v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v <= max ? v : -1;
}

int page_pathway_edit(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_CONFIGURE_PATHWAYS))
        return pages_fail(req, res, SH_EDENIED);
    store_pathway p;
    app_error err = {0};
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    if (app_health_pathway_get(req->db, &req->who, req->params[0], req->a, &p, &err))
        return fail_app(req, res, &err);
    pages_errors errs = {0};
    const char *provider = pages_trim(req->a, form_get(&f, "provider"));
    int standard = whole_number(pages_trim(req->a, form_get(&f, "standard_weeks")),
                                WAIT_STANDARD_MAX_WEEKS);
    int capacity = whole_number(pages_trim(req->a, form_get(&f, "capacity")), STORE_CAPACITY_MAX);
    const char *active = form_get(&f, "active");
    if (!provider[0])
        pages_errors_add(&errs, "provider", "Enter the provider");
    if (standard < 1)
        pages_errors_add(&errs, "standard_weeks",
                         arena_printf(req->a, "Enter the standard as a whole number of weeks "
                                              "from 1 to %d",
                                      WAIT_STANDARD_MAX_WEEKS));
    if (capacity < 0)
        pages_errors_add(&errs, "capacity",
                         arena_printf(req->a, "Enter the capacity as a whole number from 0 to %d",
                                      STORE_CAPACITY_MAX));
    if (!active || (strcmp(active, "yes") != 0 && strcmp(active, "no") != 0))
        pages_errors_add(&errs, "active", "Select whether it takes new referrals");
    if (errs.n == 0 &&
        app_health_pathway_update(req->db, &req->who, p.id, provider, standard, capacity,
                                  strcmp(active, "yes") == 0, &err)) {
        if (err.rc != SH_EINVAL)
            return fail_app(req, res, &err);
        pages_errors_add(&errs, err.field ? err.field : "provider",
                         arena_strdup(req->a, err.message));
    }
    if (errs.n)
        return render_edit(req, res, &p, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "/pathways/%lld", (long long)p.id));
}

/* ---- a pathway's waiting list ------------------------------------------------------ */

int page_waiting_list(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_SEE_WAITING_LISTS))
        return pages_fail(req, res, SH_EDENIED);
    size_t page = pages_query_page(req, "page", 100000);
    store_pathway p;
    health_referral_view *v;
    size_t n, total;
    app_error err = {0};
    arena *big = arena_create(HEALTH_ARENA_FOR_STATS);
    if (!big)
        return pages_fail(req, res, SH_ENOMEM);
    int rc = app_waiting_list(req->db_read, &req->who, req->params[0], req->today,
                              PAGES_PER_PAGE, (page - 1) * PAGES_PER_PAGE, big, &p, &v, &n,
                              &total, &err);
    if (rc == SH_OK)
        rc = pages_audit(req, "read", "waiting_list", p.id, 0, p.code);
    if (rc) {
        arena_destroy(big);
        return err.rc ? fail_app(req, res, &err) : pages_fail(req, res, rc);
    }
    html_page pg = {.title = arena_printf(req->a, "%s: waiting list", p.name), .nav = "pathways",
                    .back_href = arena_printf(req->a, "/pathways/%lld", (long long)p.id)};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &pg);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">%zu children waiting for %s, longest waiting "
                         "first. The queue is urgent referrals first, then by date of "
                         "referral.</p>\n",
                      total, stop_label(p.clock_stop));
    if (rc == SH_OK && n)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Waiting "
                         "list\" tabindex=\"0\">\n<table class=\"govuk-table sendhub-table-s\">\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Child</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Referred</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Status</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Waited</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Place in queue</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Estimated to be seen</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                         "href=\"/referrals/%lld\">%s %s</a><br><span "
                         "class=\"sendhub-secondary\">NHS %s</span></td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%r</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n</tr>\n",
                      (long long)v[i].r.id, v[i].child.forename, v[i].child.surname,
                      v[i].child.nhs_number[0] ? pages_nhs_number(req->a, v[i].child.nhs_number)
                                               : "not recorded",
                      pages_date_short(req->a, v[i].r.referral_date), status_tag(&v[i]),
                      weeks(req->a, v[i].wait_days), position_text(req->a, &v[i]),
                      estimate_text(req->a, &v[i]));
    if (rc == SH_OK && n)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n");
    size_t pages = (total + PAGES_PER_PAGE - 1) / PAGES_PER_PAGE;
    if (rc == SH_OK)
        rc = pages_pagination(b, arena_printf(req->a, "/pathways/%lld/waiting-list?page=",
                                              (long long)p.id),
                              page, pages);
    arena_destroy(big);
    return pages_end(req, res, rc);
}
