/*
 * sen2_io.c — the SEN2 return from the store, and as XML and CSV.
 *
 * Each module's fields are written by one function that fills a row of
 * (name, value) pairs; the CSV writer prints the names as its header and
 * the values as cells, the XML writer prints each non-empty value as an
 * element of that name. So the two formats cannot drift apart.
 */
#include "app/sen2_io.h"

#include <stdio.h>
#include <string.h>

#include "store/store_sen2.h"
#include "util/err.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define ROW_MAX 16
#define CELL_MAX 24

/* ---- loading ------------------------------------------------------------- */

typedef struct {
    arena *a;
    const store_sen2_case_child *owners;
    size_t n_owners;
    sen2_case *cases;
    size_t n, cap;
} loader;

static int64_t owner_of(const loader *l, int64_t case_id)
{
    size_t lo = 0, hi = l->n_owners;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->owners[mid].case_id < case_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n_owners && l->owners[lo].case_id == case_id ? l->owners[lo].child_id : 0;
}

/* The scan's arena is reset between cases: keep a deep copy. */
static int copy_event(arena *a, const event *from, event *to)
{
    *to = *from;
    if (from->reason && !(to->reason = arena_strdup(a, from->reason)))
        return SH_ENOMEM;
    if (from->replacement) {
        event *r = arena_alloc(a, sizeof *r);
        if (!r)
            return SH_ENOMEM;
        *r = *from->replacement;
        r->reason = NULL;
        to->replacement = r;
    }
    return SH_OK;
}

static int take_journey(void *ctx, int64_t case_id, const char *la_code, const event *events,
                        size_t n)
{
    (void)la_code;
    loader *l = ctx;
    sen2_case *v = arena_grow(l->a, l->cases, l->n, &l->cap, sizeof *v, 1024);
    if (!v)
        return SH_ENOMEM;
    l->cases = v;
    event *copy = arena_alloc(l->a, (n ? n : 1) * sizeof *copy);
    if (!copy)
        return SH_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int rc = copy_event(l->a, &events[i], &copy[i]);
        if (rc)
            return rc;
    }
    l->cases[l->n++] = (sen2_case){.case_id = case_id, .child_id = owner_of(l, case_id),
                                   .events = copy, .n = n};
    return SH_OK;
}

int sen2_io_load(store *s, const char *la_code, int year, arena *a, sen2_return *out)
{
    sen2_period p;
    if (sen2_period_for(year, &p) || !la_code ||
        ident_la_code_validate(la_code, strlen(la_code), NULL))
        return SH_EINVAL;
    sen2_child *children;
    size_t nc;
    loader l = {.a = a};
    arena *scan = arena_create(64u << 20);
    if (!scan)
        return SH_ENOMEM;
    /* One snapshot for children, owners and journeys. */
    int rc = store_read_begin(s);
    if (rc == SH_OK) {
        rc = store_sen2_children(s, la_code, a, &children, &nc);
        store_sen2_case_child *owners = NULL;
        if (rc == SH_OK)
            rc = store_sen2_case_children(s, la_code, a, &owners, &l.n_owners);
        l.owners = owners;
        if (rc == SH_OK)
            rc = store_journeys_scan(s, la_code, 0, INT64_MAX, scan, take_journey, &l);
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    arena_destroy(scan);
    return rc ? rc : sen2_build(&p, la_code, children, nc, l.cases, l.n, a, out);
}

/* ---- rows ---------------------------------------------------------------- */

typedef struct {
    const char *name[ROW_MAX];
    const char *value[ROW_MAX];
    char cell[ROW_MAX][CELL_MAX];
    size_t n;
} row;

static void put(row *w, const char *name, const char *value)
{
    w->name[w->n] = name;
    w->value[w->n++] = value;
}

static void put_date(row *w, const char *name, date_t d)
{
    if (d == DATE_NONE) {
        put(w, name, "");
        return;
    }
    date_format(d, w->cell[w->n]);
    put(w, name, w->cell[w->n]);
}

static void put_int(row *w, const char *name, long long v)
{
    snprintf(w->cell[w->n], CELL_MAX, "%lld", v);
    put(w, name, w->cell[w->n]);
}

static void put_flag(row *w, const char *name, int v)
{
    put(w, name, v ? "1" : "0");
}

/* A record's key and its parent's key (COLLECT's table ids): CSV only. */
static void put_keys(row *w, bool keys, const char *self, long long id, const char *parent,
                     long long parent_id)
{
    if (!keys)
        return;
    put_int(w, self, id);
    if (parent)
        put_int(w, parent, parent_id);
}

static void header_row(const sen2_return *r, const sen2_io_meta *m, row *w)
{
    put(w, "collection", "SEN2");
    put_int(w, "year", r->period.year);
    put_date(w, "referencedate", r->period.census);
    put(w, "sourcelevel", "L");
    put(w, "lea", r->lea);
    put(w, "softwarecode", "sendhub");
    put(w, "release", "1");
    put(w, "serialno", "1");
    put(w, "datetime", m->datetime);
    put(w, "dmo", "");
    put(w, "dco", "");
    put(w, "dsco", "");
}

static void person_row(const sen2_person *p, bool keys, row *w)
{
    put_keys(w, keys, "persontableid", p->child->id, NULL, 0);
    put(w, "surname", p->child->surname);
    put(w, "forename", p->child->forename);
    put_date(w, "personbirthdate", p->child->birth);
    put(w, "sex", "");
    put(w, "ethnicity", "");
    put(w, "postcode", p->child->postcode);
    put(w, "upn", p->child->upn);
    put(w, "uniquelearnernumber", "");
    put(w, "upnunknown", p->upnunknown);
}

static void requests_row(const sen2_request *q, bool keys, row *w)
{
    put_keys(w, keys, "requeststableid", q->case_id, "persontableid", q->child_id);
    put_date(w, "receiveddate", q->receiveddate);
    put(w, "requestsource", "");
    put(w, "rya", "");
    put_date(w, "requestoutcomedate", q->requestoutcomedate);
    put(w, "requestoutcome", q->requestoutcome);
    put_flag(w, "requestmediation", q->requestmediation);
    put_flag(w, "requesttribunal", q->requesttribunal);
    put(w, "exported", "");
}

static void assessment_row(const sen2_request *q, bool keys, row *w)
{
    put_keys(w, keys, "assessmenttableid", q->case_id, "requeststableid", q->case_id);
    put(w, "assessmentoutcome", q->assessmentoutcome);
    put_date(w, "assessmentoutcomedate", q->assessmentoutcomedate);
    put_flag(w, "assessmentmediation", q->assessmentmediation);
    put_flag(w, "assessmenttribunal", q->assessmenttribunal);
    put_flag(w, "othermediation", q->othermediation);
    put_flag(w, "othertribunal", q->othertribunal);
    put_flag(w, "week20", q->week20);
}

static void namedplan_row(const sen2_request *q, bool keys, row *w)
{
    put_keys(w, keys, "namedplantableid", q->case_id, "assessmenttableid", q->case_id);
    put_date(w, "startdate", q->startdate);
    put(w, "planres", "");
    put(w, "planwbp", "");
    put(w, "pb", "");
    put(w, "oa", "");
    put(w, "dp", "");
    put_date(w, "ceasedate", q->ceasedate);
    if (q->ceasereason)
        put_int(w, "ceasereason", q->ceasereason);
    else
        put(w, "ceasereason", "");
}

/* The setting: plandetail and placementdetail share their leading fields. */
static void setting_fields(const sen2_child *c, row *w)
{
    put(w, "urn", c->setting_urn);
    put(w, "ukprn", "");
    put(w, "sensetting", "");
    put(w, "sensettingother", "");
    put(w, "placementrank", "1");
}

static void plandetail_row(const sen2_person *p, const sen2_request *q, bool keys, row *w)
{
    put_keys(w, keys, "plandetailtableid", q->case_id * 10 + 1, "namedplantableid", q->case_id);
    setting_fields(p->child, w);
    put(w, "senunitindicator", "");
    put(w, "resourcedprovisionindicator", "");
}

static void activeplans_row(const sen2_request *q, bool keys, row *w)
{
    put_keys(w, keys, "activeplanstableid", q->case_id, "requeststableid", q->case_id);
    put_flag(w, "transferla", q->transferla);
    put_date(w, "reviewmeeting", q->reviewmeeting);
    put(w, "reviewoutcome", q->reviewoutcome);
    put_date(w, "reviewdraft", q->reviewdraft);
    put_date(w, "phasetransferduedate", q->phasetransferduedate);
    put_date(w, "phasetransferfinaldate", q->phasetransferfinaldate);
    put_date(w, "lastreview", q->lastreview);
}

static void placementdetail_row(const sen2_person *p, const sen2_request *q, bool keys, row *w)
{
    put_keys(w, keys, "placementdetailtableid", q->case_id * 10 + 1, "activeplanstableid",
             q->case_id);
    setting_fields(p->child, w);
    put(w, "entrydate", "");
    put(w, "leavingdate", "");
    put(w, "senunitindicator", "");
    put(w, "resourcedprovisionindicator", "");
    put(w, "res", "");
    put(w, "wbp", "");
}

static void senneed_row(const sen2_person *p, const sen2_request *q, int rank, bool keys, row *w)
{
    put_keys(w, keys, "senneedtableid", q->case_id * 10 + rank, "activeplanstableid",
             q->case_id);
    put(w, "sentype", ident_sen_type_code((sen_type)p->child->sen_need[rank - 1]));
    put_int(w, "sentyperank", rank);
}

/* ---- CSV ----------------------------------------------------------------- */

/* RFC 4180: quote a cell holding a comma, quote or line break, doubling
 * quotes. A cell a spreadsheet would run as a formula gets an apostrophe
 * (names are typed by people; OWASP "CSV injection"). */
static int csv_cell(buf *b, const char *s, bool last)
{
    bool formula = s[0] && strchr("=+-@\t\r", s[0]);
    int rc = SH_OK;
    if (formula || strpbrk(s, ",\"\r\n")) {
        rc = buf_putc(b, '"');
        if (formula && !rc)
            rc = buf_putc(b, '\'');
        for (const char *p = s; *p && !rc; p++)
            rc = *p == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *p);
        if (!rc)
            rc = buf_putc(b, '"');
    } else {
        rc = buf_puts(b, s);
    }
    return rc ? rc : buf_puts(b, last ? "\r\n" : ",");
}

static int csv_line(buf *b, const row *w, bool names)
{
    int rc = SH_OK;
    for (size_t i = 0; i < w->n && !rc; i++)
        rc = csv_cell(b, names ? w->name[i] : w->value[i], i + 1 == w->n);
    return rc;
}

/* Writes the header line once (from the first row), then the row. */
static int csv_row(buf *b, const row *w, bool *named)
{
    int rc = SH_OK;
    if (!*named) {
        rc = csv_line(b, w, true);
        *named = true;
    }
    return rc ? rc : csv_line(b, w, false);
}

/* The modules' rows, per request; a dummy row gives an empty file its header. */
static void module_row(sen2_file f, const sen2_person *p, const sen2_request *q, int rank,
                       row *w)
{
    w->n = 0;
    switch (f) {
    case SEN2_FILE_REQUESTS: requests_row(q, true, w); break;
    case SEN2_FILE_ASSESSMENT: assessment_row(q, true, w); break;
    case SEN2_FILE_NAMEDPLAN: namedplan_row(q, true, w); break;
    case SEN2_FILE_PLANDETAIL: plandetail_row(p, q, true, w); break;
    case SEN2_FILE_ACTIVEPLANS: activeplans_row(q, true, w); break;
    case SEN2_FILE_PLACEMENTDETAIL: placementdetail_row(p, q, true, w); break;
    default: senneed_row(p, q, rank, true, w); break;
    }
}

static bool module_has(sen2_file f, const sen2_person *p, const sen2_request *q, int rank)
{
    switch (f) {
    case SEN2_FILE_REQUESTS: return rank == 1;
    case SEN2_FILE_ASSESSMENT: return rank == 1 && q->has_assessment;
    case SEN2_FILE_NAMEDPLAN: case SEN2_FILE_PLANDETAIL: return rank == 1 && q->has_namedplan;
    case SEN2_FILE_ACTIVEPLANS: case SEN2_FILE_PLACEMENTDETAIL:
        return rank == 1 && q->has_activeplan;
    default: return q->has_activeplan && p->child->sen_need[rank - 1] >= 0;
    }
}

static int csv_module(const sen2_return *r, sen2_file f, buf *b)
{
    bool named = false;
    row w;
    int rc = SH_OK;
    for (size_t i = 0; i < r->n_persons && !rc; i++) {
        const sen2_person *p = &r->persons[i];
        if (f == SEN2_FILE_PERSON) {
            w.n = 0;
            person_row(p, true, &w);
            rc = csv_row(b, &w, &named);
            continue;
        }
        for (size_t j = 0; j < p->n_requests && !rc; j++)
            for (int rank = 1; rank <= 2 && !rc; rank++)
                if (module_has(f, p, &p->requests[j], rank)) {
                    module_row(f, p, &p->requests[j], rank, &w);
                    rc = csv_row(b, &w, &named);
                }
    }
    if (rc || named)
        return rc;
    /* No records: the header line alone, from a blank record. */
    static const sen2_child none_child = {.forename = "", .surname = "", .upn = "",
                                          .postcode = "", .setting_urn = "",
                                          .sen_need = {0, -1}, .birth = DATE_NONE};
    sen2_person none = {.child = &none_child};
    sen2_request q = {.requestoutcome = "", .assessmentoutcome = "", .reviewoutcome = ""};
    w.n = 0;
    if (f == SEN2_FILE_PERSON)
        person_row(&none, true, &w);
    else
        module_row(f, &none, &q, 1, &w);
    return csv_line(b, &w, true);
}

static int csv_notes(buf *b)
{
    int rc = buf_puts(b, "code,note\r\n");
    for (size_t i = 0; i < sen2_note_count() && !rc; i++) {
        rc = csv_cell(b, sen2_note_code(i), false);
        if (!rc)
            rc = csv_cell(b, sen2_note_text(i), true);
    }
    return rc;
}

static int csv_figures(const sen2_return *r, buf *b)
{
    sen2_figures f;
    sen2_figures_of_return(&f, r);
    int rc = buf_printf(b, "time_period,old_la_code,name,label,value\r\n");
    for (size_t i = 0; i < sen2_figure_count() && !rc; i++) {
        char v[32];
        rc = buf_printf(b, "%d,%s,%s,", r->period.year - 1, r->lea, sen2_figure_name(i));
        if (!rc)
            rc = csv_cell(b, sen2_figure_label(i), false);
        if (!rc)
            rc = csv_cell(b, sen2_figure_value(&f, i, v, sizeof v), true);
    }
    return rc;
}

static int csv_issues(const sen2_return *r, buf *b)
{
    int rc = buf_puts(b, "severity,child_id,case_id,module,field,message,fix_on\r\n");
    for (size_t i = 0; i < r->n_issues && !rc; i++) {
        const sen2_issue *x = &r->issues[i];
        rc = buf_printf(b, "%s,%lld,%lld,%s,%s,", sen2_severity_name(x->severity),
                        (long long)x->child_id, (long long)x->case_id, x->module, x->field);
        if (!rc)
            rc = csv_cell(b, x->message, false);
        if (!rc)
            rc = csv_cell(b, sen2_fix_label(x->fix), true);
    }
    return rc;
}

int sen2_io_csv(const sen2_return *r, const sen2_io_meta *m, sen2_file f, buf *b)
{
    row w = {.n = 0};
    bool named = false;
    switch (f) {
    case SEN2_FILE_HEADER:
        header_row(r, m, &w);
        return csv_row(b, &w, &named);
    case SEN2_FILE_NOTES: return csv_notes(b);
    case SEN2_FILE_FIGURES: return csv_figures(r, b);
    case SEN2_FILE_ISSUES: return csv_issues(r, b);
    default:
        return (unsigned)f < SEN2_FILE_COUNT ? csv_module(r, f, b) : SH_EINVAL;
    }
}

static const char *const file_names[SEN2_FILE_COUNT] = {
    "sen2", "person", "requests", "assessment", "namedplan", "plandetail", "activeplans",
    "placementdetail", "senneed", "notes", "figures", "issues",
};

const char *sen2_io_file_name(sen2_file f)
{
    return (unsigned)f < SEN2_FILE_COUNT ? file_names[f] : "";
}

int sen2_io_file_parse(const char *name)
{
    for (size_t i = 0; i < SEN2_FILE_COUNT; i++)
        if (strcmp(name, file_names[i]) == 0)
            return (int)i;
    return -1;
}

/* ---- XML ----------------------------------------------------------------- */

/* Elements for the row's non-empty values: absent fields are left out
 * (the schema makes them optional). */
static int xml_fields(buf *b, const row *w, int depth)
{
    int rc = SH_OK;
    for (size_t i = 0; i < w->n && !rc; i++) {
        if (!w->value[i][0])
            continue;
        rc = buf_printf(b, "%*s<%s>", depth * 2, "", w->name[i]);
        if (!rc)
            rc = buf_put_html(b, w->value[i]);
        if (!rc)
            rc = buf_printf(b, "</%s>\n", w->name[i]);
    }
    return rc;
}

static int xml_open(buf *b, const char *name, int depth)
{
    return buf_printf(b, "%*s<%s>\n", depth * 2, "", name);
}

static int xml_close(buf *b, const char *name, int depth)
{
    return buf_printf(b, "%*s</%s>\n", depth * 2, "", name);
}

/* An element holding one row's fields. */
static int xml_record(buf *b, const char *name, const row *w, int depth)
{
    int rc = xml_open(b, name, depth);
    if (!rc)
        rc = xml_fields(b, w, depth + 1);
    return rc ? rc : xml_close(b, name, depth);
}

static int xml_assessment(buf *b, const sen2_person *p, const sen2_request *q)
{
    row w = {.n = 0};
    assessment_row(q, false, &w);
    int rc = xml_open(b, "assessment", 3);
    if (!rc)
        rc = xml_fields(b, &w, 4);
    if (!rc && q->has_namedplan) {
        w.n = 0;
        namedplan_row(q, false, &w);
        rc = xml_open(b, "namedplan", 4);
        if (!rc)
            rc = xml_fields(b, &w, 5);
        w.n = 0;
        plandetail_row(p, q, false, &w);
        if (!rc)
            rc = xml_record(b, "plandetail", &w, 5);
        if (!rc)
            rc = xml_close(b, "namedplan", 4);
    }
    return rc ? rc : xml_close(b, "assessment", 3);
}

static int xml_activeplan(buf *b, const sen2_person *p, const sen2_request *q)
{
    row w = {.n = 0};
    activeplans_row(q, false, &w);
    int rc = xml_open(b, "activeplans", 3);
    if (!rc)
        rc = xml_fields(b, &w, 4);
    w.n = 0;
    placementdetail_row(p, q, false, &w);
    if (!rc)
        rc = xml_record(b, "placementdetail", &w, 4);
    for (int rank = 1; rank <= 2 && !rc; rank++) {
        if (!module_has(SEN2_FILE_SENNEED, p, q, rank))
            continue;
        w.n = 0;
        senneed_row(p, q, rank, false, &w);
        rc = xml_record(b, "senneed", &w, 4);
    }
    return rc ? rc : xml_close(b, "activeplans", 3);
}

static int xml_person(buf *b, const sen2_person *p)
{
    row w = {.n = 0};
    person_row(p, false, &w);
    int rc = xml_open(b, "person", 1);
    if (!rc)
        rc = xml_fields(b, &w, 2);
    for (size_t j = 0; j < p->n_requests && !rc; j++) {
        const sen2_request *q = &p->requests[j];
        w.n = 0;
        requests_row(q, false, &w);
        rc = xml_open(b, "requests", 2);
        if (!rc)
            rc = xml_fields(b, &w, 3);
        if (!rc && q->has_assessment)
            rc = xml_assessment(b, p, q);
        if (!rc && q->has_activeplan)
            rc = xml_activeplan(b, p, q);
        if (!rc)
            rc = xml_close(b, "requests", 2);
    }
    return rc ? rc : xml_close(b, "person", 1);
}

static int xml_notes(buf *b)
{
    int rc = xml_open(b, "notes", 1);
    for (size_t i = 0; i < sen2_note_count() && !rc; i++) {
        rc = buf_printf(b, "    <note code=\"%s\">", sen2_note_code(i));
        if (!rc)
            rc = buf_put_html(b, sen2_note_text(i));
        if (!rc)
            rc = buf_puts(b, "</note>\n");
    }
    return rc ? rc : xml_close(b, "notes", 1);
}

int sen2_io_xml(const sen2_return *r, const sen2_io_meta *m, buf *b)
{
    row w = {.n = 0};
    header_row(r, m, &w);
    int rc = buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sen2>\n");
    if (!rc)
        rc = xml_record(b, "header", &w, 1);
    if (!rc)
        rc = xml_notes(b);
    for (size_t i = 0; i < r->n_persons && !rc; i++)
        rc = xml_person(b, &r->persons[i]);
    return rc ? rc : buf_puts(b, "</sen2>\n");
}
