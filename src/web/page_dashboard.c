/*
 * page_dashboard.c — the partnership performance dashboard (issue 6) for
 * managers, the partnership board and inspectors: the statutory figures by
 * calendar year, by month, or compared across two periods; each table with
 * an SVG chart, a CSV download, the whole dashboard as one XLSX workbook,
 * and every count opening to the children behind it.
 *
 * A panel is one row of `panels[]`: its title, the rows it shows (the
 * chosen periods, every calendar year, or the categories of a snapshot) and
 * its columns (a count, a rate of two counters, average weeks, growth on
 * the row before). The HTML table, the chart, the CSV and the XLSX sheet
 * are all written from one built table (`tbl`), so they cannot disagree. A
 * new panel is a new row here with its counters in core/metrics. The
 * waiting lists by pathway (issue 5) are one panel too, whose rows are the
 * area's pathways rather than periods: its columns name figures of a
 * pathway's list today (pathway_figure), which app/health computes as the
 * pathway's own dashboard does (app_health_waiting_lists); a pathway's
 * count of children waiting opens to its waiting list for those allowed to
 * see the children on it (CAN_SEE_WAITING_LISTS), else to the pathway's
 * figures, which name no child (CAN_SEE_PATHWAY_STATS), else to nothing.
 *
 * Who may look: access_can(CAN_SEE_DASHBOARD) (managers, inspectors, the
 * system). The lists behind a figure show only children the person may see
 * (access_case_visible, case by case); inspectors see the area's cases
 * read-only under the existing access rules, so they get the same lists.
 * Every view and export is audited (object "dashboard"); a list of
 * children is audited as a read of a caseload.
 *
 * Cost: one pass over every journey of the area (app/dashboard.c) and one
 * read of each pathway's referrals (those still waiting or seen lately),
 * reused
 * for FIGURES_TTL seconds by every page and export of the same area and
 * periods (dashboard_compute_cached); a list reruns the pass for one figure
 * (it names children, so it is never served from a cache).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "app/access.h"
#include "app/dashboard.h"
#include "util/err.h"
#include "web/chart.h"
#include "web/pages.h"

#define YEARS_SHOWN 5        /* calendar years on the dashboard, ending with as_of's */
#define ROWS_MAX 30          /* rows of one table (24 months is the most) */
#define COLS_MAX 8
#define DRILL_MAX 20000      /* case ids kept for one list */
#define FIGURES_TTL 60       /* seconds a folded area is reused (dashboard.h's cache) */

/* ---- the panels -------------------------------------------------------------- */

typedef enum { COL_COUNT, COL_RATE, COL_WEEKS, COL_GROWTH } col_kind;

typedef struct {
    const char *head;
    int num, den;       /* counters; den -1 when not a ratio */
    col_kind kind;
} column;

typedef enum {
    ROWS_VIEW,          /* the periods the person chose */
    ROWS_YEARS,         /* every calendar year (census-day caseload) */
    ROWS_CATEGORIES,    /* counters first..first+n-1 at as_of */
    ROWS_PATHWAYS,      /* the area's health pathways: columns are pathway_figures */
} row_kind;

/* What a column of the ROWS_PATHWAYS panel shows of a pathway's list today
 * (the column's `num`; its kind says how it is written). */
typedef enum {
    PW_WAITING,   /* children waiting */
    PW_MEDIAN,    /* median wait, whole weeks */
    PW_P92,       /* 92nd percentile wait, whole weeks */
    PW_WITHIN,    /* % within the pathway's standard */
    PW_OVER_18,   /* waiting over 18 weeks (more than 126 days) */
    PW_OVER_52,   /* waiting 52 weeks and more (the CHS band "over 52 weeks") */
} pathway_figure;

typedef struct {
    const char *key, *title, *intro;
    row_kind rows;
    int first, n_categories;   /* ROWS_CATEGORIES */
    const char *category_head;
    column cols[COLS_MAX];
    size_t ncols;
    size_t chart_col;          /* the column the chart draws */
    const char *chart_y;
} panel;

#define AG(base, a) ((base) + (a))

static const panel panels[] = {
    {"timeliness", "EHC plans issued within 20 weeks",
     "New plans issued in each period (by the date of the final plan), as the DfE's SEN2 "
     "figures count them: from the request for assessment to the final plan.",
     ROWS_VIEW, 0, 0, NULL,
     {{"Plans issued", MC_PLANS, -1, COL_COUNT},
      {"Within 20 weeks", MC_PLANS_20W, -1, COL_COUNT},
      {"% within 20 weeks (including exceptions)", MC_PLANS_20W, MC_PLANS, COL_RATE},
      {"Plans without an exception", MC_PLANS_EXC, -1, COL_COUNT},
      {"% within 20 weeks (excluding exceptions)", MC_PLANS_EXC_20W, MC_PLANS_EXC, COL_RATE},
      {"Average weeks", MC_WEEKS_X10, MC_PLANS, COL_WEEKS},
      {"Over a year", MC_OVER_YEAR, -1, COL_COUNT}},
     7, 2, "Percent of plans"},
    {"decisions", "Requests and decisions to assess",
     "Requests for an EHC needs assessment, and the decisions whether to assess (by the date "
     "of the decision), which must be made within 6 weeks of the request.",
     ROWS_VIEW, 0, 0, NULL,
     {{"Requests", MC_REQUESTS, -1, COL_COUNT},
      {"Decisions", MC_DECISIONS, -1, COL_COUNT},
      {"Within 6 weeks", MC_DECISIONS_6W, -1, COL_COUNT},
      {"% within 6 weeks", MC_DECISIONS_6W, MC_DECISIONS, COL_RATE},
      {"Agreed to assess", MC_ASSESSMENTS, -1, COL_COUNT},
      {"Refused", MC_REFUSALS, -1, COL_COUNT}},
     6, 3, "Percent of decisions"},
    {"advice", "Advice given within 6 weeks, by agency",
     "Advice for needs assessments received in each period, and the share received within "
     "6 weeks of the request for it.",
     ROWS_VIEW, 0, 0, NULL,
     {{"Education", AG(MC_ADVICE_6W, AGENCY_EDUCATION), AG(MC_ADVICE, AGENCY_EDUCATION), COL_RATE},
      {"Health", AG(MC_ADVICE_6W, AGENCY_HEALTH), AG(MC_ADVICE, AGENCY_HEALTH), COL_RATE},
      {"Social care", AG(MC_ADVICE_6W, AGENCY_SOCIAL_CARE), AG(MC_ADVICE, AGENCY_SOCIAL_CARE),
       COL_RATE},
      {"Educational psychology", AG(MC_ADVICE_6W, AGENCY_PSYCHOLOGY),
       AG(MC_ADVICE, AGENCY_PSYCHOLOGY), COL_RATE},
      {"Other", AG(MC_ADVICE_6W, AGENCY_OTHER), AG(MC_ADVICE, AGENCY_OTHER), COL_RATE}},
     5, 1, "Percent of health advice"},
    {"reviews", "Annual reviews and phase transfers on time",
     "Annual reviews due in each period (by their due date, once it has passed) and whether "
     "the review meeting was held by then; phase transfers due by 15 February (31 March for "
     "post-16) and whether the amended plan was issued by then.",
     ROWS_VIEW, 0, 0, NULL,
     {{"Reviews due", MC_REVIEWS_DUE, -1, COL_COUNT},
      {"Held on time", MC_REVIEWS_ON_TIME, -1, COL_COUNT},
      {"% on time", MC_REVIEWS_ON_TIME, MC_REVIEWS_DUE, COL_RATE},
      {"Phase transfers due", MC_TRANSFERS_DUE, -1, COL_COUNT},
      {"Amended on time", MC_TRANSFERS_ON_TIME, -1, COL_COUNT},
      {"% on time", MC_TRANSFERS_ON_TIME, MC_TRANSFERS_DUE, COL_RATE}},
     6, 2, "Percent of reviews"},
    {"flow", "Plans started and ended",
     "New plans issued, plans transferred in from other councils and plans ceased.",
     ROWS_VIEW, 0, 0, NULL,
     {{"New plans", MC_PLANS, -1, COL_COUNT},
      {"Transferred in", MC_TRANSFERS_IN, -1, COL_COUNT},
      {"Ceased", MC_CEASED, -1, COL_COUNT}},
     3, 0, "New plans"},
    {"caseload", "Plans in force on census day",
     "EHC plans in force on the January census day (the third Thursday of January) of each "
     "year, and the growth on the year before.",
     ROWS_YEARS, 0, 0, NULL,
     {{"Plans", MC_CASELOAD, -1, COL_COUNT}, {"Growth on the year before", MC_CASELOAD, -1,
                                               COL_GROWTH}},
     2, 0, "Plans"},
    {"now", "Reviews overdue today",
     "Plans in force today, those whose annual review (or the decision after it) is overdue, "
     "and those not reviewed in the last 12 months.",
     ROWS_CATEGORIES, MC_ACTIVE, 3, "Plans in force",
     {{"Plans", -1, -1, COL_COUNT}}, 1, 0, "Plans"},
    {"need", "Plans in force by primary need", "Plans in force today by the child's primary "
     "need (school census SEN type).",
     ROWS_CATEGORIES, MC_NEED, MC_NEED_COUNT, "Primary need",
     {{"Plans", -1, -1, COL_COUNT}, {"% of plans", -1, MC_ACTIVE, COL_RATE}}, 2, 0, "Plans"},
    {"age", "Plans in force by age", "Plans in force today by the child's or young person's "
     "age today (SEN2 age bands).",
     ROWS_CATEGORIES, MC_AGE, METRICS_AGE_COUNT, "Age",
     {{"Plans", -1, -1, COL_COUNT}, {"% of plans", -1, MC_ACTIVE, COL_RATE}}, 2, 0, "Plans"},
    {"setting", "Plans in force by type of setting", "Plans in force today by the type of "
     "the child's current school, college or early years setting.",
     ROWS_CATEGORIES, MC_SETTING, METRICS_SETTING_COUNT, "Type of setting",
     {{"Plans", -1, -1, COL_COUNT}, {"% of plans", -1, MC_ACTIVE, COL_RATE}}, 2, 0, "Plans"},
    {"waiting", "Health waiting lists by pathway", "Children waiting today on each health "
     "pathway of the area, counted from the referral to the pathway's clock-stop (first "
     "contact, or the assessment starting) as the pathway's own page counts them: waits in "
     "whole weeks, time the family paused the clock left out.",
     ROWS_PATHWAYS, 0, 0, NULL,
     {{"Children waiting", PW_WAITING, -1, COL_COUNT},
      {"Median wait (weeks)", PW_MEDIAN, -1, COL_WEEKS},
      {"92nd percentile wait (weeks)", PW_P92, -1, COL_WEEKS},
      {"% within the pathway's standard", PW_WITHIN, -1, COL_RATE},
      {"Waiting over 18 weeks", PW_OVER_18, -1, COL_COUNT},
      {"Waiting over 52 weeks", PW_OVER_52, -1, COL_COUNT}},
     6, 0, "Children waiting"},
};

#define PANEL_COUNT (sizeof panels / sizeof panels[0])

/* ---- the chosen view ----------------------------------------------------------- */

typedef enum { VIEW_YEARS, VIEW_MONTHS, VIEW_COMPARE } view_kind;

typedef struct {
    view_kind kind;
    date_t split;           /* compare: the chosen date, or DATE_NONE for the last 12 months */
    const char *query;      /* the view as a query string, for links */
    metrics *m;
    dashboard_waiting *w;   /* the waiting lists by pathway, folded with m */
    int64_t computed_at;    /* when m was folded (unix seconds) */
    size_t n;               /* rows */
    int period[ROWS_MAX];
    const char *label[ROWS_MAX];
    const char *token[ROWS_MAX];
    web_form date_values;   /* the date boxes as typed */
} view;

static int year_of(date_t d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return y;
}

static void add_row(view *v, int period, const char *label, const char *token)
{
    v->period[v->n] = period;
    v->label[v->n] = label;
    v->token[v->n] = token;
    v->n++;
}

static const char *const month_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* The compare view's two periods: 12 months before the split and from the
 * split to 12 months after it (or to today, if sooner). */
static void compare_periods(const view *v, date_t today, metrics_period out[2])
{
    date_t split = v->split != DATE_NONE ? v->split : date_add_months(today + 1, -12);
    date_t after = date_add_months(split, 12);
    out[0] = (metrics_period){date_add_months(split, -12), split};
    out[1] = (metrics_period){split, after < today + 1 ? after : today + 1};
}

/* Reads the view from the query; a bad date is a GOV.UK error (the years
 * view is shown meanwhile). */
static void read_view(web_request *req, view *v, pages_errors *errs)
{
    const char *k = web_query(req, "view");
    v->kind = k && strcmp(k, "months") == 0    ? VIEW_MONTHS
              : k && strcmp(k, "compare") == 0 ? VIEW_COMPARE
                                               : VIEW_YEARS;
    v->split = DATE_NONE;
    v->query = v->kind == VIEW_MONTHS ? "view=months" : "view=years";
    if (v->kind != VIEW_COMPARE)
        return;
    static const char *const parts[] = {"date-day", "date-month", "date-year"};
    for (int i = 0; i < 3; i++) {
        const char *s = web_query(req, parts[i]);
        if (s)
            pages_form_set(&v->date_values, parts[i], s);
    }
    date_t d = DATE_NONE;
    if (pages_date_read(&v->date_values, "date", "the date to compare around", false, req->a,
                        &d, errs) == SH_OK &&
        d != DATE_NONE && (d > req->today || d < date_add_months(req->today, -12 * 4)))
        pages_errors_add(errs, "date-day",
                         "The date to compare around must be in the last 4 years and not in "
                         "the future");
    else
        v->split = d;
    if (errs->n) {
        v->kind = VIEW_YEARS;
        v->split = DATE_NONE;
        return;
    }
    if (d != DATE_NONE) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        v->query = arena_printf(req->a, "view=compare&date-day=%d&date-month=%d&date-year=%d",
                                dd, m, y);
    } else {
        v->query = "view=compare";
    }
}

/* Sets up the metrics for the view and the rows its panels show. */
static int plan_view(web_request *req, view *v)
{
    int last = year_of(req->today), first = last - YEARS_SHOWN + 1;
    metrics_period custom[2];
    size_t n_custom = 0;
    if (v->kind == VIEW_COMPARE) {
        compare_periods(v, req->today, custom);
        n_custom = 2;
        if (year_of(custom[0].from) < first)
            first = year_of(custom[0].from);
    }
    v->m = arena_alloc(req->a, sizeof *v->m);
    v->w = arena_alloc(req->a, sizeof *v->w);
    if (!v->m || !v->w)
        return SH_ENOMEM;
    int rc = metrics_init(v->m, req->today, first, last, custom, n_custom);
    if (rc)
        return rc;
    v->n = 0;
    if (v->kind == VIEW_YEARS) {
        for (int y = last - YEARS_SHOWN + 1; y <= last; y++)
            add_row(v, metrics_period_year(v->m, y),
                    y == last ? arena_printf(req->a, "%d (to date)", y)
                              : arena_printf(req->a, "%d", y),
                    arena_printf(req->a, "%d", y));
    } else if (v->kind == VIEW_MONTHS) {
        int y, m, d;
        date_to_ymd(req->today, &y, &m, &d);
        for (int i = 23; i >= 0; i--) {
            int mm = m - 1 - i, yy = y;
            while (mm < 0) {
                mm += 12;
                yy--;
            }
            add_row(v, metrics_period_month(v->m, yy, mm + 1),
                    arena_printf(req->a, "%s %d", month_short[mm], yy),
                    arena_printf(req->a, "%d-%02d", yy, mm + 1));
        }
    } else {
        for (size_t i = 0; i < 2; i++) {
            char from[40], to[40];
            date_format_long(custom[i].from, from, sizeof from);
            date_format_long(custom[i].to - 1, to, sizeof to);
            add_row(v, metrics_period_custom(v->m, i),
                    arena_printf(req->a, "%s to %s", from, to), i ? "c1" : "c0");
        }
    }
    for (size_t i = 0; i < v->n; i++)
        if (!v->label[i] || !v->token[i] || v->period[i] < 0)
            return v->label[i] && v->token[i] ? SH_EINVAL : SH_ENOMEM;
    return SH_OK;
}

/* A period token from a link ("2025", "2025-03", "c0", "now") back to an index. */
static int parse_token(const view *v, const char *tok)
{
    if (!tok)
        return -2;
    if (strcmp(tok, "now") == 0)
        return METRICS_NOW;
    if (v->kind == VIEW_COMPARE && (strcmp(tok, "c0") == 0 || strcmp(tok, "c1") == 0))
        return metrics_period_custom(v->m, (size_t)(tok[1] - '0'));
    int y = 0, m = 0;
    char extra;
    if (strlen(tok) == 7 && sscanf(tok, "%4d-%2d%c", &y, &m, &extra) == 2)
        return metrics_period_month(v->m, y, m);
    if (strlen(tok) == 4 && sscanf(tok, "%4d%c", &y, &extra) == 1)
        return metrics_period_year(v->m, y);
    return -2;
}

/* ---- tables: one model for HTML, chart, CSV and XLSX ---------------------------- */

typedef struct {
    const char *text;  /* as shown */
    double value;      /* for charts and spreadsheets; < 0 not applicable */
    bool numeric;
    const char *href;  /* the list behind a count, or NULL */
} cell;

typedef struct {
    const panel *p;
    const char *row_head;
    size_t nrows;
    const char *row_label[ROWS_MAX];
    cell c[ROWS_MAX][COLS_MAX];
    bool line; /* a line chart (months), else bars */
} tbl;

static const char *figure_href(web_request *req, const view *v, int counter, const char *token)
{
    char name[48];
    metrics_counter_name((metrics_counter)counter, name, sizeof name);
    const char *enc = pages_url_encode(req->a, name);
    return enc ? arena_printf(req->a, "/dashboard/cases?figure=%s&period=%s&%s", enc, token,
                              v->query)
               : NULL;
}

static void set_count(web_request *req, const view *v, cell *c, int counter, int period,
                      const char *token)
{
    long n = metrics_value(v->m, (metrics_counter)counter, period);
    *c = (cell){arena_printf(req->a, "%ld", n), (double)n, true,
                n > 0 ? figure_href(req, v, counter, token) : NULL};
}

static void set_ratio(web_request *req, cell *c, long num, long den, col_kind kind)
{
    if (den <= 0) {
        *c = (cell){"not applicable", -1, true, NULL};
        return;
    }
    if (kind == COL_WEEKS) {
        double w = (double)num / 10.0 / (double)den;
        *c = (cell){arena_printf(req->a, "%.1f", w), w, true, NULL};
        return;
    }
    int x10 = metrics_rate_x10(num, den);
    *c = (cell){arena_printf(req->a, "%d.%d%%", x10 / 10, x10 % 10), x10 / 10.0, true, NULL};
}

static void period_row(web_request *req, const view *v, tbl *t, size_t r, int period,
                       const char *token, int prev_period)
{
    const panel *p = t->p;
    for (size_t k = 0; k < p->ncols; k++) {
        const column *col = &p->cols[k];
        cell *c = &t->c[r][k];
        long num = metrics_value(v->m, (metrics_counter)col->num, period);
        if (col->kind == COL_COUNT) {
            set_count(req, v, c, col->num, period, token);
        } else if (col->kind == COL_GROWTH) {
            long before = prev_period == -2 ? 0
                                            : metrics_value(v->m, (metrics_counter)col->num,
                                                            prev_period);
            if (before <= 0) {
                *c = (cell){"not applicable", -1, true, NULL};
            } else {
                double g = 100.0 * (double)(num - before) / (double)before;
                *c = (cell){arena_printf(req->a, "%+.1f%%", g), g, true, NULL};
            }
        } else {
            set_ratio(req, c, num, metrics_value(v->m, (metrics_counter)col->den, period),
                      col->kind);
            /* a rate opens to the cases it is a share of */
            c->href = c->value >= 0 ? figure_href(req, v, col->den, token) : NULL;
        }
    }
}

static const char *category_label(const panel *p, int i)
{
    int k = p->first + i;
    if (p->first == MC_NEED)
        return i < SEN_TYPE_COUNT ? ident_sen_type_label((sen_type)i) : "Not recorded";
    if (p->first == MC_AGE)
        return metrics_age_label((metrics_age_band)i);
    if (p->first == MC_SETTING)
        return metrics_setting_label((metrics_setting_kind)i);
    return k == MC_ACTIVE           ? "Plans in force"
           : k == MC_REVIEW_OVERDUE ? "Annual review overdue"
                                    : "Not reviewed in the last 12 months";
}

_Static_assert(HEALTH_WAITING_ROWS_MAX <= ROWS_MAX, "a row for every pathway listed");

/* A wait in whole weeks, as the NHS reports waits and the pathway page shows
 * them; "at least" when the percentile reached wait.h's ceiling. */
static void set_wait(web_request *req, cell *c, int days, bool capped)
{
    *c = days < 0 ? (cell){"not applicable", -1, true, NULL}
                  : (cell){arena_printf(req->a, "%s%d", capped ? "at least " : "", days / 7),
                           days / 7, true, NULL};
}

/* A pathway's count of children waiting opens to its waiting list for
 * those who may see the children on it, else to the pathway's own figures
 * (no child named) for those who may see those. */
static void pathway_row(web_request *req, tbl *t, size_t r, const health_waiting_row *x,
                        bool lists, bool stats)
{
    const wait_summary *w = &x->waiting;
    t->row_label[r] = arena_printf(req->a, "%s: %d-week standard", x->name,
                                   x->standard_weeks);
    for (size_t k = 0; k < t->p->ncols; k++) {
        cell *c = &t->c[r][k];
        size_t n = 0;
        switch ((pathway_figure)t->p->cols[k].num) {
        case PW_MEDIAN:
            set_wait(req, c, w->median_days, w->median_capped);
            continue;
        case PW_P92:
            set_wait(req, c, w->p92_days, w->p92_capped);
            continue;
        case PW_WITHIN:
            set_ratio(req, c, (long)w->within_standard, (long)w->count, COL_RATE);
            continue;
        case PW_WAITING:
            n = w->count;
            break;
        case PW_OVER_18:
            n = w->band[WAIT_BAND_18_52] + w->band[WAIT_BAND_OVER_52];
            break;
        case PW_OVER_52:
            n = w->band[WAIT_BAND_OVER_52];
            break;
        }
        *c = (cell){arena_printf(req->a, "%zu", n), (double)n, true, NULL};
        if (t->p->cols[k].num == PW_WAITING && (lists || stats))
            c->href = arena_printf(req->a, "/pathways/%lld%s", (long long)x->pathway_id,
                                   lists && n > 0 ? "/waiting-list" : "");
    }
}

static void build_table(web_request *req, const view *v, const panel *p, tbl *t)
{
    memset(t, 0, sizeof *t);
    t->p = p;
    if (p->rows == ROWS_PATHWAYS) {
        t->row_head = "Pathway";
        bool lists = access_can(&req->who, CAN_SEE_WAITING_LISTS),
             stats = access_can(&req->who, CAN_SEE_PATHWAY_STATS);
        for (size_t i = 0; i < v->w->n; i++)
            pathway_row(req, t, t->nrows++, &v->w->row[i], lists, stats);
        return;
    }
    if (p->rows == ROWS_CATEGORIES) {
        t->row_head = p->category_head;
        for (int i = 0; i < p->n_categories; i++) {
            /* NSA is never a plan's need (SEN support only): no row for it */
            if (p->first == MC_NEED && i < SEN_TYPE_COUNT &&
                !ident_sen_type_valid_for_plan((sen_type)i))
                continue;
            size_t r = t->nrows++;
            t->row_label[r] = category_label(p, i);
            set_count(req, v, &t->c[r][0], p->first + i, METRICS_NOW, "now");
            if (p->ncols > 1)
                set_ratio(req, &t->c[r][1], metrics_value(v->m, (metrics_counter)(p->first + i),
                                                          METRICS_NOW),
                          metrics_value(v->m, MC_ACTIVE, METRICS_NOW), COL_RATE);
        }
        return;
    }
    t->row_head = "Period";
    if (p->rows == ROWS_YEARS) {
        t->row_head = "Census day";
        int last = year_of(req->today);
        for (int y = last - YEARS_SHOWN + 1; y <= last; y++) {
            size_t r = t->nrows++;
            char day[40];
            date_format_long(metrics_census_day(y), day, sizeof day);
            t->row_label[r] = arena_printf(req->a, "%s", day);
            period_row(req, v, t, r, metrics_period_year(v->m, y), arena_printf(req->a, "%d", y),
                       metrics_period_year(v->m, y - 1));
        }
        return;
    }
    t->line = v->kind == VIEW_MONTHS;
    for (size_t i = 0; i < v->n; i++) {
        t->row_label[t->nrows++] = v->label[i];
        period_row(req, v, t, i, v->period[i], v->token[i], i ? v->period[i - 1] : -2);
    }
}

/* ---- HTML ------------------------------------------------------------------------- */

static int html_table(buf *b, const tbl *t, const char *csv_href)
{
    const panel *p = t->p;
    int rc = html_fmt(b,
                      "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"%s: "
                      "data table\" tabindex=\"0\">\n"
                      "<table class=\"govuk-table sendhub-table-s\" id=\"table-%s\">\n"
                      "<caption class=\"govuk-table__caption govuk-table__caption--s\">%s: "
                      "data table</caption>\n<thead class=\"govuk-table__head\">"
                      "<tr class=\"govuk-table__row\">\n"
                      "<th scope=\"col\" class=\"govuk-table__header\">%s</th>\n",
                      p->title, p->key, p->title, t->row_head);
    if (rc == SH_OK && p->rows == ROWS_CATEGORIES)
        rc = html_fmt(b, "<th scope=\"col\" class=\"govuk-table__header "
                         "govuk-table__header--numeric\">Plans</th>\n%r",
                      p->ncols > 1 ? "<th scope=\"col\" class=\"govuk-table__header "
                                     "govuk-table__header--numeric\">% of plans</th>\n"
                                   : "");
    for (size_t k = 0; rc == SH_OK && p->rows != ROWS_CATEGORIES && k < p->ncols; k++)
        rc = html_fmt(b, "<th scope=\"col\" class=\"govuk-table__header "
                         "govuk-table__header--numeric\">%s</th>\n",
                      p->cols[k].head);
    if (rc == SH_OK)
        rc = html_fmt(b, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t r = 0; rc == SH_OK && r < t->nrows; r++) {
        rc = html_fmt(b, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
                         "class=\"govuk-table__header\">%s</th>\n",
                      t->row_label[r]);
        for (size_t k = 0; rc == SH_OK && k < p->ncols; k++) {
            const cell *c = &t->c[r][k];
            rc = c->href ? html_fmt(b, "<td class=\"govuk-table__cell "
                                       "govuk-table__cell--numeric\"><a class=\"govuk-link\" "
                                       "href=\"%s\">%s</a></td>\n",
                                    c->href, c->text)
                         : html_fmt(b, "<td class=\"govuk-table__cell "
                                       "govuk-table__cell--numeric\">%s</td>\n",
                                    c->text);
        }
        if (rc == SH_OK)
            rc = html_fmt(b, "</tr>\n");
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n"
                         "<p class=\"govuk-body-s\"><a class=\"govuk-link\" href=\"%s\" "
                         "download>Download this table as CSV<span class=\"govuk-visually-"
                         "hidden\"> (%s)</span></a></p>\n",
                      csv_href, p->title);
    return rc;
}

static int html_chart(web_request *req, buf *b, const tbl *t)
{
    const panel *p = t->p;
    chart_point pts[ROWS_MAX];
    size_t col = p->chart_col;
    for (size_t r = 0; r < t->nrows; r++)
        pts[r] = (chart_point){t->row_label[r], t->c[r][col].value};
    const column *cc = &p->cols[col];
    bool percent = p->rows == ROWS_CATEGORIES ? false : cc->kind == COL_RATE;
    const char *what = p->rows == ROWS_CATEGORIES ? "Plans" : cc->head;
    chart_spec spec = {
        .id = arena_printf(req->a, "chart-%s", p->key),
        .title = arena_printf(req->a, "%s: %s", p->title, what),
        .desc = arena_printf(req->a, "%s chart of %s by %s. The same figures are in the data "
                                     "table below.",
                             t->line ? "Line" : "Bar", what, t->row_head),
        .x_label = t->row_head,
        .y_label = p->chart_y,
        .percent = percent,
        .pts = pts,
        .n = t->nrows,
    };
    if (!spec.id || !spec.title || !spec.desc)
        return SH_ENOMEM;
    return t->line ? chart_line(b, &spec) : chart_bars(b, &spec);
}

static int view_links(buf *b, const view *v)
{
    static const struct {
        view_kind k;
        const char *href, *text;
    } links[] = {{VIEW_YEARS, "/dashboard?view=years", "By calendar year"},
                 {VIEW_MONTHS, "/dashboard?view=months", "By month (last 24 months)"},
                 {VIEW_COMPARE, "/dashboard?view=compare", "Last 12 months against the 12 before"}};
    int rc = html_fmt(b, "<nav aria-label=\"Periods\"><ul class=\"govuk-list sendhub-views\">\n");
    for (size_t i = 0; rc == SH_OK && i < sizeof links / sizeof links[0]; i++)
        rc = v->kind == links[i].k && (links[i].k != VIEW_COMPARE || v->split == DATE_NONE)
                 ? html_fmt(b, "<li><strong aria-current=\"page\">%s</strong></li>\n",
                            links[i].text)
                 : html_fmt(b, "<li><a class=\"govuk-link\" href=\"%s\">%s</a></li>\n",
                            links[i].href, links[i].text);
    return rc ? rc : html_fmt(b, "</ul></nav>\n");
}

static int compare_form(buf *b, const view *v, const pages_errors *errs)
{
    int rc = html_fmt(b, "<form method=\"get\" action=\"/dashboard\" novalidate>\n"
                         "<input type=\"hidden\" name=\"view\" value=\"compare\">\n");
    if (rc == SH_OK)
        rc = pages_date_input(b, "date", "Compare before and after a date",
                              "The 12 months before the date against the 12 months from it "
                              "(or to today). For example, 1 9 2025",
                              &v->date_values, errs);
    return rc ? rc : html_fmt(b, "<button type=\"submit\" class=\"govuk-button "
                                 "govuk-button--secondary\" data-module=\"govuk-button\">"
                                 "Compare</button>\n</form>\n");
}

static int panel_html(web_request *req, buf *b, const view *v, const panel *p)
{
    tbl *t = arena_alloc(req->a, sizeof *t);
    if (!t)
        return SH_ENOMEM;
    build_table(req, v, p, t);
    const char *csv = arena_printf(req->a, "/dashboard.csv?panel=%s&%s", p->key, v->query);
    if (!csv)
        return SH_ENOMEM;
    int rc = html_fmt(b, "<section class=\"sendhub-panel\" aria-labelledby=\"panel-%s\">\n"
                         "<h2 class=\"govuk-heading-m\" id=\"panel-%s\">%s</h2>\n"
                         "<p class=\"govuk-body\">%s</p>\n",
                      p->key, p->key, p->title, p->intro);
    if (rc == SH_OK && t->nrows == 0) /* only an area without health pathways */
        return html_fmt(b, "<p class=\"govuk-body\">No health pathways are set up in this "
                           "area yet.</p>\n</section>\n");
    if (rc == SH_OK)
        rc = html_chart(req, b, t);
    if (rc == SH_OK)
        rc = html_table(b, t, csv);
    return rc ? rc : html_fmt(b, "</section>\n");
}

/* Authorises, reads the view and folds the area. On failure the error page
 * is written and the rc returned. */
static int load(web_request *req, web_response *res, view *v, pages_errors *errs)
{
    if (!access_can(&req->who, CAN_SEE_DASHBOARD))
        return pages_fail(req, res, SH_EDENIED);
    memset(v, 0, sizeof *v);
    read_view(req, v, errs);
    int rc = plan_view(req, v);
    if (rc == SH_OK)
        rc = dashboard_compute_cached(req->db_read, req->who.la_code, req->now, FIGURES_TTL,
                                      v->m, v->w, &v->computed_at);
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

int page_dashboard(web_request *req, web_response *res)
{
    view v;
    pages_errors errs = {0};
    int rc = load(req, res, &v, &errs);
    if (rc)
        return rc;
    rc = pages_audit(req, "read", "dashboard", 0, 0, v.query);
    if (rc)
        return pages_fail(req, res, rc);
    char at[16] = "";
    time_t tt = (time_t)v.computed_at;
    struct tm tm;
    if (localtime_r(&tt, &tm))
        strftime(at, sizeof at, "%H:%M:%S", &tm);
    html_page p = {.title = "Performance", .nav = "dashboard", .has_errors = errs.n > 0,
                   .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, errs.n ? 422 : 200, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs.e, errs.n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">Performance</h1>\n"
                         "<p class=\"govuk-body\">The partnership's statutory figures, worked "
                         "out from every child's EHC journey as of %D (at %s; figures are "
                         "worked out again at most once a minute). Select a number to see "
                         "the children behind it. How each figure is defined is in "
                         "docs/METRICS.md.</p>\n"
                         "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                         "href=\"/dashboard.xlsx?%s\" download>Download the whole dashboard "
                         "as a spreadsheet (XLSX)</a></p>\n",
                      req->today, at, v.query);
    if (rc == SH_OK)
        rc = pages_replica_notice(req, b);
    if (rc == SH_OK)
        rc = view_links(b, &v);
    if (rc == SH_OK)
        rc = compare_form(b, &v, &errs);
    for (size_t i = 0; rc == SH_OK && i < PANEL_COUNT; i++)
        rc = panel_html(req, b, &v, &panels[i]);
    return pages_end(req, res, rc);
}

/* ---- CSV ---------------------------------------------------------------------------- */

/* Labels quoted; numbers bare and unquoted (no % sign, no "+"; counts whole,
 * rates, weeks and growth to one decimal); "not applicable" an empty field. */
static int csv_table(buf *b, const tbl *t)
{
    const panel *p = t->p;
    int rc = pages_csv_field(b, t->row_head, false);
    for (size_t k = 0; rc == SH_OK && k < p->ncols; k++)
        rc = pages_csv_field(b, p->rows == ROWS_CATEGORIES ? (k ? "% of plans" : "Plans")
                                                     : p->cols[k].head,
                       k + 1 == p->ncols);
    for (size_t r = 0; rc == SH_OK && r < t->nrows; r++) {
        rc = pages_csv_field(b, t->row_label[r], false);
        for (size_t k = 0; rc == SH_OK && k < p->ncols; k++) {
            const cell *c = &t->c[r][k];
            bool last = k + 1 == p->ncols;
            if (strcmp(c->text, "not applicable") == 0) {
                rc = pages_csv_field(b, "", last);
                continue;
            }
            /* a number we made: unquoted, so a negative growth stays a number */
            rc = buf_printf(b, p->cols[k].kind == COL_COUNT ? "%.0f" : "%.1f", c->value);
            if (rc == SH_OK)
                rc = buf_puts(b, last ? "\r\n" : ",");
        }
    }
    return rc;
}

static const panel *panel_by_key(const char *key)
{
    for (size_t i = 0; key && i < PANEL_COUNT; i++)
        if (strcmp(panels[i].key, key) == 0)
            return &panels[i];
    return NULL;
}

int page_dashboard_csv(web_request *req, web_response *res)
{
    view v;
    pages_errors errs = {0};
    const panel *p = panel_by_key(web_query(req, "panel"));
    if (!p)
        return pages_fail(req, res, access_can(&req->who, CAN_SEE_DASHBOARD) ? SH_ENOTFOUND
                                                                              : SH_EDENIED);
    int rc = load(req, res, &v, &errs);
    if (rc)
        return rc;
    if (errs.n)
        return pages_fail(req, res, SH_EINVAL);
    tbl *t = arena_alloc(req->a, sizeof *t);
    if (!t)
        return pages_fail(req, res, SH_ENOMEM);
    build_table(req, &v, p, t);
    buf_reset(&res->body);
    rc = csv_table(&res->body, t);
    if (rc == SH_OK)
        rc = pages_audit(req, "export", "dashboard", 0, 0,
                         arena_printf(req->a, "CSV %s, %s", p->key, v.query));
    if (rc)
        return pages_fail(req, res, rc);
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    res->disposition = arena_printf(req->a, "attachment; filename=\"sendhub-%s.csv\"", p->key);
    return SH_OK;
}

/* ---- XLSX --------------------------------------------------------------------------- */

/* One sheet per panel: the row labels, the column heads, the numbers as
 * numbers (rates as percentages, e.g. 46.5) and "not applicable" as text. */
static int xlsx_sheet(lxw_workbook *wb, const tbl *t, lxw_format *bold)
{
    const panel *p = t->p;
    lxw_worksheet *ws = workbook_add_worksheet(wb, p->key);
    if (!ws)
        return SH_EIO;
    worksheet_write_string(ws, 0, 0, p->title, bold);
    worksheet_write_string(ws, 1, 0, t->row_head, bold);
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)p->ncols, 16, NULL);
    for (size_t k = 0; k < p->ncols; k++)
        worksheet_write_string(ws, 1, (lxw_col_t)(k + 1),
                               p->rows == ROWS_CATEGORIES ? (k ? "% of plans" : "Plans")
                                                          : p->cols[k].head,
                               bold);
    for (size_t r = 0; r < t->nrows; r++) {
        worksheet_write_string(ws, (lxw_row_t)(r + 2), 0, t->row_label[r], NULL);
        for (size_t k = 0; k < p->ncols; k++) {
            const cell *c = &t->c[r][k];
            if (strcmp(c->text, "not applicable") == 0)
                worksheet_write_string(ws, (lxw_row_t)(r + 2), (lxw_col_t)(k + 1), c->text, NULL);
            else
                worksheet_write_number(ws, (lxw_row_t)(r + 2), (lxw_col_t)(k + 1), c->value,
                                       NULL);
        }
    }
    return SH_OK;
}

/* libxlsxwriter writes to a file: a private temporary one, read back into
 * the response and removed. */
static int xlsx_build(web_request *req, const view *v, buf *out)
{
    char path[4096];
    int fd = web_tmpname(path, sizeof path);
    if (fd < 0)
        return SH_EIO;
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    int rc = wb ? SH_OK : SH_EIO;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    if (bold)
        format_set_bold(bold);
    tbl *t = arena_alloc(req->a, sizeof *t);
    if (rc == SH_OK && !t)
        rc = SH_ENOMEM;
    for (size_t i = 0; rc == SH_OK && i < PANEL_COUNT; i++) {
        build_table(req, v, &panels[i], t);
        rc = xlsx_sheet(wb, t, bold);
    }
    if (wb && workbook_close(wb) != LXW_NO_ERROR && rc == SH_OK)
        rc = SH_EIO;
    FILE *f = rc == SH_OK ? fopen(path, "rb") : NULL;
    if (rc == SH_OK && !f)
        rc = SH_EIO;
    char chunk[16384];
    size_t got;
    while (f && rc == SH_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(out, chunk, got);
    if (f)
        fclose(f);
    unlink(path);
    return rc;
}

int page_dashboard_xlsx(web_request *req, web_response *res)
{
    view v;
    pages_errors errs = {0};
    int rc = load(req, res, &v, &errs);
    if (rc)
        return rc;
    if (errs.n)
        return pages_fail(req, res, SH_EINVAL);
    buf_reset(&res->body);
    rc = xlsx_build(req, &v, &res->body);
    if (rc == SH_OK)
        rc = pages_audit(req, "export", "dashboard", 0, 0,
                         arena_printf(req->a, "XLSX, %s", v.query));
    if (rc)
        return pages_fail(req, res, rc);
    res->status = 200;
    res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res->disposition = "attachment; filename=\"sendhub-dashboard.xlsx\"";
    return SH_OK;
}

/* ---- the children behind a figure ----------------------------------------------------- */

static const char *figure_title(web_request *req, int k, const char *period_label)
{
    for (size_t i = 0; i < PANEL_COUNT; i++) {
        const panel *p = &panels[i];
        if (p->rows == ROWS_PATHWAYS) /* its columns are not counters */
            continue;
        if (p->rows == ROWS_CATEGORIES && k >= p->first && k < p->first + p->n_categories)
            return arena_printf(req->a, "%s: %s", p->title, category_label(p, k - p->first));
        for (size_t c = 0; c < p->ncols; c++)
            if (p->cols[c].kind == COL_COUNT && p->cols[c].num == k)
                return arena_printf(req->a, "%s: %s, %s", p->title, p->cols[c].head,
                                    period_label);
            else if (p->cols[c].kind == COL_RATE && p->cols[c].den == k)
                return arena_printf(req->a, "%s: %s (the cases it is a share of), %s",
                                    p->title, p->cols[c].head, period_label);
    }
    char name[48];
    return arena_printf(req->a, "%s, %s",
                        metrics_counter_name((metrics_counter)k, name, sizeof name),
                        period_label);
}

static const char *period_label(web_request *req, const view *v, int period)
{
    if (period == METRICS_NOW)
        return arena_printf(req->a, "today (%s)", pages_date_short(req->a, req->today));
    for (size_t i = 0; i < v->n; i++)
        if (v->period[i] == period)
            return v->label[i];
    metrics_period r;
    if (metrics_period_range(v->m, period, &r))
        return "";
    return arena_printf(req->a, "%s to %s", pages_date_short(req->a, r.from),
                        pages_date_short(req->a, r.to - 1));
}

static int drill_row(web_request *req, buf *b, int64_t case_id, size_t *hidden)
{
    store_case c;
    store_child ch;
    int rc = store_case_get(req->db_read, req->who.la_code, case_id, req->a, &c);
    if (rc == SH_OK)
        rc = store_child_get(req->db_read, req->who.la_code, c.child_id, req->a, &ch);
    if (rc == SH_ENOTFOUND) { /* gone since the pass: nothing to show */
        ++*hidden;
        return SH_OK;
    }
    if (rc)
        return rc;
    if (!access_case_visible(&req->who, &c, &ch)) {
        ++*hidden;
        return SH_OK;
    }
    return html_fmt(b,
                    "<tr class=\"govuk-table__row\"><th scope=\"row\" "
                    "class=\"govuk-table__header\"><a class=\"govuk-link\" "
                    "href=\"/cases/%lld\">%s %s</a></th>\n"
                    "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td>\n"
                    "<td class=\"govuk-table__cell\">%s</td>\n"
                    "<td class=\"govuk-table__cell\">%s</td>\n"
                    "<td class=\"govuk-table__cell sendhub-nowrap\">%s</td></tr>\n",
                    (long long)c.id, ch.forename, ch.surname,
                    pages_date_short(req->a, ch.date_of_birth), pages_need_label(ch.sen_need[0]),
                    journey_stage_label(c.summary.stage),
                    pages_date_short(req->a, c.summary.request_date));
}

int page_dashboard_cases(web_request *req, web_response *res)
{
    view v;
    pages_errors errs = {0};
    int rc = load(req, res, &v, &errs);
    if (rc)
        return rc;
    int k = metrics_counter_parse(web_query(req, "figure"));
    int period = parse_token(&v, web_query(req, "period"));
    if (k < 0 || period == -2 || errs.n)
        return pages_fail(req, res, SH_ENOTFOUND);
    int64_t *ids = arena_calloc(req->a, DRILL_MAX, sizeof *ids);
    size_t n = 0, total = 0, hidden = 0;
    if (!ids)
        return pages_fail(req, res, SH_ENOMEM);
    rc = dashboard_cases(req->db_read, req->who.la_code, v.m, (metrics_counter)k, period, ids,
                         DRILL_MAX, &n, &total);
    const char *title = figure_title(req, k, period_label(req, &v, period));
    if (rc == SH_OK)
        rc = title ? pages_audit(req, "read", "caseload", 0, 0,
                                 arena_printf(req->a, "dashboard list: %s", title))
                   : SH_ENOMEM;
    if (rc)
        return pages_fail(req, res, rc);
    size_t page = pages_query_page(req, "page", 100000);
    size_t pages = n ? (n + PAGES_PER_PAGE - 1) / PAGES_PER_PAGE : 1;
    if (page > pages)
        page = pages;
    html_page p = {.title = "Children behind a figure", .nav = "dashboard",
                   .back_href = arena_printf(req->a, "/dashboard?%s", v.query), .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">Children behind a figure</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n"
                         "<p class=\"govuk-body\">%zu %s, in the order their cases were "
                         "opened.%r</p>\n",
                      title, total, total == 1 ? "case" : "cases",
                      total > n ? " Only the first 20,000 are listed." : "");
    long figure = metrics_value(v.m, (metrics_counter)k, period);
    if (rc == SH_OK && k != MC_WEEKS_X10 && k != MC_WEEKS_EXC_X10 && figure > (long)total)
        rc = html_fmt(b, "<p class=\"govuk-body\">The figure is %ld: it counts statutory "
                         "steps, and some children have more than one in the period (for "
                         "example two annual reviews due). Each child is listed once.</p>\n",
                      figure);
    if (rc == SH_OK && n > 0)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Cases\" "
                         "tabindex=\"0\">\n<table class=\"govuk-table sendhub-table-s\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--s\">"
                         "Page %zu of %zu</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Child</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Date of birth</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Primary need</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Stage</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Requested</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      page, pages);
    size_t end = page * PAGES_PER_PAGE < n ? page * PAGES_PER_PAGE : n;
    for (size_t i = (page - 1) * PAGES_PER_PAGE; rc == SH_OK && i < end; i++)
        rc = drill_row(req, b, ids[i], &hidden);
    if (rc == SH_OK && n > 0)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n");
    if (rc == SH_OK && hidden)
        rc = html_fmt(b, "<p class=\"govuk-body\">%zu %s on this page %r not shown: not shared "
                         "with you, or no longer in the record.</p>\n",
                      hidden, hidden == 1 ? "case" : "cases", hidden == 1 ? "is" : "are");
    const char *href = arena_printf(req->a, "/dashboard/cases?figure=%s&period=%s&%s&page=",
                                    pages_url_encode(req->a, web_query(req, "figure")),
                                    pages_url_encode(req->a, web_query(req, "period")), v.query);
    if (rc == SH_OK)
        rc = href ? pages_pagination(b, href, page, pages) : SH_ENOMEM;
    return pages_end(req, res, rc);
}
