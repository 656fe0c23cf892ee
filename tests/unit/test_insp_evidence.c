/*
 * test_insp_evidence.c — evidence documents on an improvement plan's
 * actions (app/insp_evidence.h over store/store_insp_evidence.h, migration
 * 015): who may upload, withdraw, list and read; files refused by their
 * bytes with their name; a withdrawn document kept; the database refusing
 * a delete or a change; the audit rows. Runs on SQLite, or on PostgreSQL
 * when SENDHUB_TEST_PG is set. All data is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/insp_evidence.h"
#include "app/inspection.h"
#include "testdb.h"
#include "util/err.h"

#define LA "990"
#define NOW 1793000000 /* 2026-10-26 */

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static const char pdf_text[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

typedef struct {
    const char *url;
    store *s;
    arena *a;
    int64_t inspection_id, action_id, other_inspection_id, other_action_id;
    app_identity manager, inspector, forum, coordinator, elsewhere;
} fixture;

static app_identity person(const char *la, const char *username, app_role role)
{
    app_identity who = {.username = username, .role = role, .remote = ""};
    memcpy(who.la_code, la, 4);
    return who;
}

/* Two inspections of LA, each with one action, and one of area 991. */
static int64_t plan(fixture *f, const char *la, int64_t *action_id)
{
    store_inspection in = {.framework = INSP_FW_2023, .outcome = INSP_OUT_2023_WIDESPREAD,
                           .started_on = D(2026, 9, 7), .ended_on = D(2026, 9, 25),
                           .published_on = D(2026, 10, 20), .plan_due_on = DATE_NONE,
                           .accepted_on = DATE_NONE, .created_by = "system"};
    assert_int_equal(store_inspection_insert(f->s, la, &in), SH_OK);
    store_finding fd = {.inspection_id = in.id, .kind = INSP_FIND_PRIORITY_ACTION,
                        .title = "Waiting times", .wording = "Reduce them."};
    assert_int_equal(store_finding_insert(f->s, la, &fd), SH_OK);
    store_action a = {.finding_id = fd.id, .title = "Saturday clinics", .owner_name = "Lead",
                      .owner_org = INSP_ORG_NHS, .start_on = D(2026, 11, 1),
                      .due_on = D(2027, 3, 1), .status = INSP_ACT_NOT_STARTED};
    assert_int_equal(store_action_insert(f->s, la, &a), SH_OK);
    *action_id = a.id;
    return in.id;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->url = testdb_url();
    f->a = arena_create(16u << 20);
    if (!f->url || !f->a || store_open(f->url, &f->s) != SH_OK || store_migrate(f->s) != SH_OK ||
        store_area_put(f->s, LA, "Test area") != SH_OK ||
        store_area_put(f->s, "991", "Other area") != SH_OK)
        return -1;
    f->inspection_id = plan(f, LA, &f->action_id);
    int64_t unused;
    f->other_inspection_id = plan(f, LA, &unused);
    plan(f, "991", &f->other_action_id);
    f->manager = person(LA, "m.manager", ROLE_MANAGER);
    f->inspector = person(LA, "i.inspector", ROLE_INSPECTOR);
    f->forum = person(LA, "f.forum", ROLE_FORUM);
    f->coordinator = person(LA, "c.coord", ROLE_COORDINATOR);
    f->elsewhere = person("991", "m.other", ROLE_MANAGER);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    arena_destroy(f->a);
    testdb_drop(f->url);
    free(f);
    return 0;
}

static int add(fixture *f, const app_identity *who, int64_t inspection_id, int64_t action_id,
               const char *title, date_t on, const char *name, const void *data, size_t len,
               app_error *err)
{
    store_insp_doc d = {.action_id = action_id, .title = title, .evidence_on = on};
    app_insp_upload up = {.filename = name, .data = data, .len = len};
    return app_insp_doc_add(f->s, who, inspection_id, &d, &up, D(2026, 10, 26), NOW, f->a, err);
}

static int64_t docs(fixture *f)
{
    return testdb_count(f->url, "SELECT count(*) FROM inspection_action_documents");
}

static void test_upload_and_read(void **state)
{
    fixture *f = *state;
    app_error err = {0};
    store_insp_doc d = {.action_id = f->action_id, .title = "Board minutes, October",
                        .evidence_on = D(2026, 10, 14)};
    app_insp_upload up = {.filename = "C:\\papers\\minutes Oct.PDF",
                          .data = (const unsigned char *)pdf_text, .len = sizeof pdf_text - 1};
    assert_int_equal(app_insp_doc_add(f->s, &f->manager, f->inspection_id, &d, &up,
                                      D(2026, 10, 26), NOW, f->a, &err),
                     SH_OK);
    assert_true(d.id > 0);
    assert_string_equal(d.filename, "minutes Oct.pdf");
    assert_string_equal(d.kind, "pdf");
    /* everyone who sees the plan lists and reads it, with its bytes */
    const app_identity *readers[] = {&f->manager, &f->inspector, &f->forum};
    for (size_t i = 0; i < 3; i++) {
        store_insp_doc *list;
        size_t n;
        assert_int_equal(app_insp_docs(f->s, readers[i], f->action_id, f->a, &list, &n, &err),
                         SH_OK);
        assert_int_equal(n, 1);
        assert_string_equal(list[0].title, "Board minutes, October");
        assert_int_equal(list[0].evidence_on, D(2026, 10, 14));
        assert_null(list[0].content);
        assert_string_equal(list[0].uploaded_by, "m.manager");
        store_insp_doc got;
        assert_int_equal(app_insp_doc_get(f->s, readers[i], f->inspection_id, f->action_id, d.id,
                                          f->a, &got, &err),
                         SH_OK);
        assert_int_equal(got.size, sizeof pdf_text - 1);
        assert_memory_equal(got.content, pdf_text, got.size);
    }
    /* a coordinator sees no plan; another area's manager finds nothing */
    store_insp_doc got;
    assert_int_equal(app_insp_doc_get(f->s, &f->coordinator, f->inspection_id, f->action_id,
                                      d.id, f->a, &got, &err),
                     SH_EDENIED);
    assert_int_equal(app_insp_doc_get(f->s, &f->elsewhere, f->inspection_id, f->action_id, d.id,
                                      f->a, &got, &err),
                     SH_ENOTFOUND);
    /* a path that mixes plans reaches nothing */
    assert_int_equal(app_insp_doc_get(f->s, &f->manager, f->other_inspection_id, f->action_id,
                                      d.id, f->a, &got, &err),
                     SH_ENOTFOUND);
    assert_int_equal(app_insp_doc_get(f->s, &f->manager, f->inspection_id, f->action_id + 1, d.id,
                                      f->a, &got, &err),
                     SH_ENOTFOUND);
    /* the progress page's count */
    store_insp_doc_count *c;
    size_t n;
    assert_int_equal(app_insp_doc_counts(f->s, &f->forum, f->inspection_id, f->a, &c, &n, &err),
                     SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].action_id, f->action_id);
    assert_int_equal(c[0].current, 1);
    assert_int_equal(c[0].withdrawn, 0);
    /* the upload audited with the write */
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM audit WHERE"
                                          " object = 'insp_document' AND username = 'm.manager'"),
                     1);
}

static void test_who_may_upload(void **state)
{
    fixture *f = *state;
    app_error err = {0};
    /* only those who record inspections (managers, and the system user of
     * the command line) upload; every other role is refused */
    for (int r = 0; r < ROLE_COUNT; r++) {
        app_identity p = person(LA, "x", (app_role)r);
        bool may = r == ROLE_MANAGER || r == ROLE_SYSTEM;
        assert_int_equal(access_can(&p, CAN_RECORD_INSPECTIONS), may);
        if (!may)
            assert_int_equal(add(f, &p, f->inspection_id, f->action_id, "Minutes",
                                 D(2026, 10, 1), "m.pdf", pdf_text, sizeof pdf_text - 1, &err),
                             SH_EDENIED);
    }
    /* another area's action, or an action of another inspection */
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->other_action_id, "Minutes",
                         D(2026, 10, 1), "m.pdf", pdf_text, sizeof pdf_text - 1, &err),
                     SH_ENOTFOUND);
    assert_int_equal(add(f, &f->manager, f->other_inspection_id, f->action_id, "Minutes",
                         D(2026, 10, 1), "m.pdf", pdf_text, sizeof pdf_text - 1, &err),
                     SH_ENOTFOUND);
    assert_int_equal(docs(f), 0);
}

static void test_bad_input(void **state)
{
    fixture *f = *state;
    app_error err = {0};
    /* a renamed program: refused by its bytes, named as it was sent */
    static const unsigned char exe[] = {'M', 'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff};
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->action_id, "Minutes",
                         D(2026, 10, 1), "minutes.pdf", exe, sizeof exe, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "file");
    assert_string_equal(err.message, "minutes.pdf: The file must be " INSP_DOC_KINDS_TEXT);
    /* a PDF cut short */
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->action_id, "Minutes",
                         D(2026, 10, 1), "cut.pdf", pdf_text, 20, &err),
                     SH_EINVAL);
    assert_non_null(strstr(err.message, "cut.pdf: The PDF is incomplete"));
    /* too large to keep (the server dropped the bytes), or over the ceiling */
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->action_id, "Minutes",
                         D(2026, 10, 1), "big.pdf", NULL, STORE_INSP_DOC_MAX + 1, &err),
                     SH_EINVAL);
    assert_string_equal(err.message, "big.pdf: The file must be smaller than 10 MB");
    /* no file, no title, a date to come */
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->action_id, "Minutes",
                         D(2026, 10, 1), "", NULL, 0, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "file");
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->action_id, "", D(2026, 10, 1),
                         "m.pdf", pdf_text, sizeof pdf_text - 1, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "title");
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->action_id, "Minutes",
                         D(2026, 10, 27), "m.pdf", pdf_text, sizeof pdf_text - 1, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "evidence_on");
    assert_int_equal(docs(f), 0);
    /* CSV text is taken; a CSV in Latin-1 is not */
    static const char csv[] = "month,plans\n2026-09,48\n";
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->action_id, "Figures",
                         D(2026, 10, 1), "figures.csv", csv, sizeof csv - 1, &err),
                     SH_OK);
    assert_int_equal(add(f, &f->manager, f->inspection_id, f->action_id, "Figures",
                         D(2026, 10, 1), "caf\xc3\xa9.csv", "caf\xe9", 4, &err),
                     SH_EINVAL);
    assert_string_equal(err.message, "caf__.csv: The file must be " INSP_DOC_KINDS_TEXT);
    assert_int_equal(docs(f), 1);
}

static void test_withdrawn_kept(void **state)
{
    fixture *f = *state;
    app_error err = {0};
    store_insp_doc d = {.action_id = f->action_id, .title = "Draft minutes",
                        .evidence_on = D(2026, 10, 1)};
    app_insp_upload up = {.filename = "draft.pdf", .data = (const unsigned char *)pdf_text,
                          .len = sizeof pdf_text - 1};
    assert_int_equal(app_insp_doc_add(f->s, &f->manager, f->inspection_id, &d, &up,
                                      D(2026, 10, 26), NOW, f->a, &err),
                     SH_OK);
    /* only those who record inspections withdraw, with a reason */
    assert_int_equal(app_insp_doc_withdraw(f->s, &f->forum, f->inspection_id, f->action_id, d.id,
                                           "Wrong", NOW, f->a, &err),
                     SH_EDENIED);
    assert_int_equal(app_insp_doc_withdraw(f->s, &f->manager, f->inspection_id, f->action_id,
                                           d.id, "", NOW, f->a, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "reason");
    assert_int_equal(app_insp_doc_withdraw(f->s, &f->manager, f->inspection_id, f->action_id,
                                           d.id, "Replaced by the approved minutes", NOW + 60,
                                           f->a, &err),
                     SH_OK);
    assert_int_equal(app_insp_doc_withdraw(f->s, &f->manager, f->inspection_id, f->action_id,
                                           d.id, "Again", NOW + 120, f->a, &err),
                     SH_ECONFLICT);
    /* kept in the list, marked, and still readable */
    store_insp_doc *list;
    size_t n;
    assert_int_equal(app_insp_docs(f->s, &f->inspector, f->action_id, f->a, &list, &n, &err),
                     SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].withdrawn_at, NOW + 60);
    assert_string_equal(list[0].withdrawn_by, "m.manager");
    assert_string_equal(list[0].withdrawn_reason, "Replaced by the approved minutes");
    store_insp_doc got;
    assert_int_equal(app_insp_doc_get(f->s, &f->forum, f->inspection_id, f->action_id, d.id,
                                      f->a, &got, &err),
                     SH_OK);
    store_insp_doc_count *c;
    assert_int_equal(app_insp_doc_counts(f->s, &f->manager, f->inspection_id, f->a, &c, &n, &err),
                     SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].current, 0);
    assert_int_equal(c[0].withdrawn, 1);
    /* the database keeps it: no delete, no change to what was uploaded,
     * no second withdrawal behind the application's back */
    assert_int_equal(testdb_exec(f->url, "DELETE FROM inspection_action_documents"), -1);
    assert_int_equal(testdb_exec(f->url, "UPDATE inspection_action_documents SET title = 'x'"),
                     -1);
    assert_int_equal(testdb_exec(f->url, "UPDATE inspection_action_documents SET"
                                         " withdrawn_reason = 'other'"),
                     -1);
    assert_int_equal(docs(f), 1);
    /* the upload and the withdrawal audited */
    assert_int_equal(testdb_count(f->url, "SELECT count(*) FROM audit WHERE"
                                          " object = 'insp_document'"),
                     2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_upload_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_may_upload, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawn_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
