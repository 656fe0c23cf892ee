/*
 * page_evidence.c — the evidence pack's person-level list (issue 9): the
 * page offering it with its length, and the list as CSV and as an XLSX
 * workbook (app/evidence.h has who may see it and what it holds).
 *
 * Both downloads are written row by row into an unlinked temporary file
 * that the server sends from disk (web_response.file): the largest areas'
 * lists are larger than a response body may be, and neither the rows nor
 * the file is ever held in memory. libxlsxwriter writes in its
 * constant-memory mode (a row at a time to its own temporary file). Each
 * download is audited once, as a read of the list naming its count.
 */
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "app/access.h"
#include "app/evidence.h"
#include "util/err.h"
#include "web/pages.h"

#define ROW_ARENA (64u << 10) /* one row's cells */
#define CSV_LINE_MAX (16u << 10)

/* The columns, in order: the CSV header (wire names) and the workbook's
 * header (labels); dates are real dates in the workbook. */
typedef enum {
    COL_CASE, COL_FORENAME, COL_SURNAME, COL_DOB, COL_UPN, COL_NEED, COL_STATUS, COL_URN,
    COL_SETTING, COL_PHASE, COL_AREA, COL_SETTING_LA, COL_REQUEST, COL_DECISION, COL_FINAL,
    COL_REVIEW, COL_COORDINATOR, COL_COUNT
} column;
static const struct {
    const char *name, *label;
    bool date;
    double width;
} columns[COL_COUNT] = {
    [COL_CASE] = {"case_id", "Case", false, 8},
    [COL_FORENAME] = {"forename", "Forename", false, 14},
    [COL_SURNAME] = {"surname", "Surname", false, 14},
    [COL_DOB] = {"date_of_birth", "Date of birth", true, 13},
    [COL_UPN] = {"upn", "UPN", false, 16},
    [COL_NEED] = {"primary_need", "Primary need", false, 30},
    [COL_STATUS] = {"plan_status", "Plan status", false, 18},
    [COL_URN] = {"setting_urn", "Setting URN", false, 12},
    [COL_SETTING] = {"setting_name", "Setting", false, 34},
    [COL_PHASE] = {"setting_phase", "Phase", false, 20},
    [COL_AREA] = {"in_or_out_of_area", "In or out of area", false, 16},
    [COL_SETTING_LA] = {"setting_la", "Setting's local authority", false, 12},
    [COL_REQUEST] = {"request_date", "Request received", true, 13},
    [COL_DECISION] = {"decision_date", "Decision whether to assess", true, 13},
    [COL_FINAL] = {"final_plan_date", "Final plan issued", true, 13},
    [COL_REVIEW] = {"last_review_date", "Last annual review", true, 13},
    [COL_COORDINATOR] = {"coordinator", "Coordinator", false, 14},
};

/* settings.type as a phase people read; another type as it is. */
static const char *phase_label(const char *type)
{
    static const char *const map[][2] = {
        {"early_years", "Early years"}, {"primary", "Primary"}, {"secondary", "Secondary"},
        {"special", "Special"}, {"further_education", "Further education"},
        {"alternative_provision", "Alternative provision"},
    };
    for (size_t i = 0; type && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(type, map[i][0]) == 0)
            return map[i][1];
    return type ? type : "";
}

/* The case's stage as people read it; a child without an open case has
 * SEND recorded but no EHC needs assessment or plan under way. */
#define NO_OPEN_CASE "No open EHC needs assessment or plan"
static const char *status_label(const char *stage)
{
    for (int s = 0; stage && s < STAGE_COUNT; s++)
        if (strcmp(journey_stage_name((journey_stage)s), stage) == 0)
            return journey_stage_label((journey_stage)s);
    return stage ? "" : NO_OPEN_CASE;
}

/* One row's cells: text, or a date (DATE_NONE: empty). */
typedef struct {
    const char *text[COL_COUNT];
    date_t date[COL_COUNT];
} cells;

static void row_cells(arena *a, const app_evidence_row *x, cells *c)
{
    const store_evidence_row *r = x->r;
    int need = r->sen_need ? ident_sen_type_parse(r->sen_need, strlen(r->sen_need)) : -1;
    *c = (cells){0};
    c->text[COL_CASE] = r->case_id ? arena_printf(a, "%lld", (long long)r->case_id) : "";
    c->text[COL_FORENAME] = r->forename;
    c->text[COL_SURNAME] = r->surname;
    c->text[COL_UPN] = r->upn;
    c->text[COL_NEED] = need >= 0 ? pages_need_label(need) : "";
    c->text[COL_STATUS] = status_label(r->stage);
    c->text[COL_URN] = r->setting_urn;
    c->text[COL_SETTING] = r->setting_name;
    c->text[COL_PHASE] = phase_label(r->setting_type);
    c->text[COL_AREA] = !r->setting_la ? "" : x->out_of_area ? "Out of area" : "In area";
    c->text[COL_SETTING_LA] = r->setting_la;
    c->text[COL_COORDINATOR] = r->coordinator;
    for (int k = 0; k < COL_COUNT; k++)
        c->date[k] = DATE_NONE;
    c->date[COL_DOB] = r->date_of_birth;
    c->date[COL_REQUEST] = r->request_date;
    c->date[COL_DECISION] = x->dates.decision;
    c->date[COL_FINAL] = r->final_plan_date;
    c->date[COL_REVIEW] = x->dates.last_review;
}

/* What each format's writer needs, handed to the list's callback. */
typedef struct {
    arena *a;          /* the row's cells, reset per row */
    FILE *out;         /* CSV */
    buf line;          /* CSV: one line */
    lxw_worksheet *ws; /* XLSX */
    lxw_format *date_fmt;
    lxw_row_t row;
} writer;

static int csv_row(void *ctx, const app_evidence_row *x)
{
    writer *w = ctx;
    cells c;
    arena_reset(w->a);
    buf_reset(&w->line);
    row_cells(w->a, x, &c);
    int rc = SH_OK;
    for (int k = 0; rc == SH_OK && k < COL_COUNT; k++) {
        char iso[DATE_ISO_LEN + 1] = "";
        if (columns[k].date && c.date[k] != DATE_NONE)
            date_format(c.date[k], iso);
        const char *v = columns[k].date ? iso : c.text[k];
        rc = pages_csv_field(&w->line, v ? v : "", k + 1 == COL_COUNT);
    }
    if (rc == SH_OK && fwrite(w->line.data, 1, w->line.len, w->out) != w->line.len)
        rc = SH_EIO;
    return rc;
}

static int xlsx_row(void *ctx, const app_evidence_row *x)
{
    writer *w = ctx;
    cells c;
    arena_reset(w->a);
    row_cells(w->a, x, &c);
    w->row++;
    lxw_error e = LXW_NO_ERROR;
    if (x->r->case_id)
        e = worksheet_write_number(w->ws, w->row, COL_CASE, (double)x->r->case_id, NULL);
    for (int k = COL_CASE + 1; e == LXW_NO_ERROR && k < COL_COUNT; k++) {
        if (columns[k].date && c.date[k] != DATE_NONE) {
            int y, m, d;
            date_to_ymd(c.date[k], &y, &m, &d);
            lxw_datetime dt = {.year = y, .month = m, .day = d};
            e = worksheet_write_datetime(w->ws, w->row, (lxw_col_t)k, &dt, w->date_fmt);
        } else if (!columns[k].date && c.text[k] && c.text[k][0]) {
            e = worksheet_write_string(w->ws, w->row, (lxw_col_t)k, c.text[k], NULL);
        }
    }
    return e == LXW_NO_ERROR ? SH_OK : SH_EIO;
}

/* ---- the downloads ------------------------------------------------------------------ */

static int send_file(web_request *req, web_response *res, FILE *f, const char *what,
                     size_t count, const char *type, const char *filename)
{
    int rc = pages_audit(req, "export", "evidence_list", 0, 0,
                         arena_printf(req->a, "%s, %zu children", what, count));
    if (rc) {
        fclose(f);
        return pages_fail(req, res, rc);
    }
    buf_reset(&res->body);
    res->status = 200;
    res->content_type = type;
    res->disposition = arena_printf(req->a, "attachment; filename=\"%s\"", filename);
    res->file = f;
    return SH_OK;
}

int page_inspection_evidence_csv(web_request *req, web_response *res)
{
    writer w = {.a = arena_create(ROW_ARENA), .out = web_tmpfile()};
    buf_init(&w.line, CSV_LINE_MAX);
    app_error err = {0};
    size_t count = 0;
    int rc = w.a && w.out ? SH_OK : SH_EIO;
    for (int k = 0; rc == SH_OK && k < COL_COUNT; k++)
        rc = pages_csv_field(&w.line, columns[k].name, k + 1 == COL_COUNT);
    if (rc == SH_OK && fwrite(w.line.data, 1, w.line.len, w.out) != w.line.len)
        rc = SH_EIO;
    if (rc == SH_OK)
        rc = app_evidence_list(req->db_read, &req->who, csv_row, &w, &count, &err);
    buf_free(&w.line);
    arena_destroy(w.a);
    if (rc) {
        if (w.out)
            fclose(w.out);
        return pages_fail(req, res, err.rc ? err.rc : rc);
    }
    return send_file(req, res, w.out, "CSV", count, "text/csv; charset=utf-8",
                     "sendhub-person-level-list.csv");
}

/* The header row (bold), the column widths, the header frozen. */
static int xlsx_head(lxw_workbook *wb, writer *w)
{
    lxw_format *bold = workbook_add_format(wb);
    w->date_fmt = workbook_add_format(wb);
    if (!bold || !w->date_fmt)
        return SH_ENOMEM;
    format_set_bold(bold);
    format_set_num_format(w->date_fmt, "d mmm yyyy");
    worksheet_freeze_panes(w->ws, 1, 0);
    lxw_error e = LXW_NO_ERROR, e2;
    for (int k = 0; e == LXW_NO_ERROR && k < COL_COUNT; k++) {
        e = worksheet_set_column(w->ws, (lxw_col_t)k, (lxw_col_t)k, columns[k].width, NULL);
        e2 = worksheet_write_string(w->ws, 0, (lxw_col_t)k, columns[k].label, bold);
        e = e ? e : e2;
    }
    return e == LXW_NO_ERROR ? SH_OK : SH_EIO;
}

/* The workbook is written to a private path, which is opened for the
 * response and unlinked at once. */
int page_inspection_evidence_xlsx(web_request *req, web_response *res)
{
    char path[4096];
    int fd = web_tmpname(path, sizeof path);
    if (fd < 0)
        return pages_fail(req, res, SH_EIO);
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
                                .tmpdir = (char *)(uintptr_t)web_tmpdir()};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    writer w = {.a = arena_create(ROW_ARENA)};
    w.ws = wb ? workbook_add_worksheet(wb, "Person-level list") : NULL;
    app_error err = {0};
    size_t count = 0;
    int rc = w.a && w.ws ? xlsx_head(wb, &w) : SH_EIO;
    if (rc == SH_OK)
        rc = app_evidence_list(req->db_read, &req->who, xlsx_row, &w, &count, &err);
    if (rc == SH_OK &&
        worksheet_autofilter(w.ws, 0, 0, w.row, COL_COUNT - 1) != LXW_NO_ERROR)
        rc = SH_EIO;
    if (wb && workbook_close(wb) != LXW_NO_ERROR && rc == SH_OK)
        rc = SH_EIO;
    arena_destroy(w.a);
    FILE *f = rc == SH_OK ? fopen(path, "rb") : NULL;
    unlink(path);
    if (rc == SH_OK && !f)
        rc = SH_EIO;
    if (rc)
        return pages_fail(req, res, err.rc ? err.rc : rc);
    return send_file(req, res, f, "XLSX", count,
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "sendhub-person-level-list.xlsx");
}

/* ---- the evidence pack page ----------------------------------------------------------- */

int page_inspection_evidence(web_request *req, web_response *res)
{
    int64_t n = 0;
    app_error err = {0};
    if (app_evidence_count(req->db_read, &req->who, &n, &err))
        return pages_fail(req, res, err.rc);
    html_page pg = {.title = "Evidence pack", .nav = "inspections", .back_href = "/inspections"};
    buf *b = &res->body;
    int rc = pages_begin(req, res, 200, &pg);
    if (rc == SH_OK)
        rc = html_fmt(
            b,
            "<h2 class=\"govuk-heading-m\">The person-level list</h2>\n"
            "<p class=\"govuk-body\">Inspectors ask for it in the first weeks of an area SEND "
            "inspection: every child and young person with SEND the area is responsible for, "
            "including those educated out of area.</p>\n"
            "<p class=\"govuk-body\">It has <strong>%N %s</strong> today, one row each: "
            "first every open EHC needs assessment or plan, with the plan status, the dates "
            "of the request, the decision whether to assess, the final plan and the last "
            "annual review, and the coordinator; then every other child with a recorded "
            "need (on SEN support, or whose assessment or plan has closed). Every row has "
            "the UPN, primary need and setting (name, URN, phase and whether it is in or out "
            "of area).</p>\n"
            "<ul class=\"govuk-list\">\n"
            "<li><a class=\"govuk-link\" href=\"/inspections/evidence.xlsx\" download>Download "
            "the person-level list (XLSX, %N rows)</a></li>\n"
            "<li><a class=\"govuk-link\" href=\"/inspections/evidence.csv\" download>Download "
            "the person-level list (CSV, %N rows)</a></li>\n</ul>\n"
            "<div class=\"govuk-inset-text\">The list names children: each download is "
            "recorded in the audit log with the number of children it held.</div>\n",
            (long long)n, n == 1 ? "child or young person" : "children and young people",
            (long long)n, (long long)n);
    return pages_end(req, res, rc);
}
