/*
 * test_advice.c — advice requests: the pure rules (core/advice.h: where a
 * request stands, who is chased, the per-agency and per-team figures and the
 * on-time rate, PDF and file-name checks), the use cases' validation
 * (app_advice_check_*), and the use cases on a real database (testdb.h:
 * SQLite, or PostgreSQL when SENDHUB_TEST_PG is set): asking three services
 * in one step with the engine's due dates, who may see and answer what, the
 * answer recorded in the journey, section K's source, and the idempotent
 * reminder job.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "app/advice.h"
#include "app/app_plan.h"
#include "app/remind.h"
#include "core/advice.h"
#include "store/store_advice.h"
#include "testdb.h"
#include "util/err.h"

#define LA "990"
#define URN "990123"

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

/* ---- core: where a request stands -------------------------------------------------- */

static void test_state_and_chase(void **state)
{
    (void)state;
    date_t due = D("2026-03-16"); /* 6 weeks from 2 February */
    assert_int_equal(advice_state_at(due, DATE_NONE, D("2026-03-01")), ADVICE_OPEN);
    assert_int_equal(advice_state_at(due, DATE_NONE, D("2026-03-09")), ADVICE_DUE_SOON);
    assert_int_equal(advice_state_at(due, DATE_NONE, D("2026-03-16")), ADVICE_DUE_SOON);
    assert_int_equal(advice_state_at(due, DATE_NONE, D("2026-03-17")), ADVICE_OVERDUE);
    assert_int_equal(advice_state_at(due, D("2026-03-16"), D("2026-04-01")), ADVICE_ON_TIME);
    assert_int_equal(advice_state_at(due, D("2026-03-17"), D("2026-04-01")), ADVICE_LATE);
    /* a receipt after the day asked about is not yet a receipt */
    assert_int_equal(advice_state_at(due, D("2026-03-20"), D("2026-03-18")), ADVICE_OVERDUE);

    assert_int_equal(advice_chase_at(due, DATE_NONE, D("2026-03-01"), 7), ADVICE_CHASE_NONE);
    assert_int_equal(advice_chase_at(due, DATE_NONE, D("2026-03-09"), 7), ADVICE_CHASE_DUE_SOON);
    assert_int_equal(advice_chase_at(due, DATE_NONE, D("2026-03-09"), 6), ADVICE_CHASE_NONE);
    assert_int_equal(advice_chase_at(due, DATE_NONE, D("2026-03-17"), 0), ADVICE_CHASE_OVERDUE);
    assert_int_equal(advice_chase_at(due, D("2026-03-10"), D("2026-03-17"), 7), ADVICE_CHASE_NONE);
    assert_int_equal(advice_chase_parse(advice_chase_name(ADVICE_CHASE_OVERDUE)),
                     ADVICE_CHASE_OVERDUE);
    assert_int_equal(advice_chase_parse("later"), -1);
}

/* ---- core: the figures ----------------------------------------------------------------- */

static advice_fact fact(event_agency g, const char *service, const char *asked,
                        const char *received)
{
    date_t on = D(asked);
    return (advice_fact){.agency = g, .service = service, .requested_on = on,
                         .due = date_add_weeks(on, 6),
                         .received_on = received ? D(received) : DATE_NONE};
}

static void test_tally_and_on_time_rate(void **state)
{
    (void)state;
    arena *a = arena_create(1u << 20);
    const advice_fact facts[] = {
        /* health, DCO: on time, late, overdue (late), open not yet due (left out) */
        fact(AGENCY_HEALTH, "Designated Clinical Officer", "2026-01-05", "2026-02-16"),
        fact(AGENCY_HEALTH, "Designated Clinical Officer", "2026-01-05", "2026-02-17"),
        fact(AGENCY_HEALTH, "Designated Clinical Officer", "2026-09-01", NULL),
        fact(AGENCY_HEALTH, "Designated Clinical Officer", "2026-10-26", NULL),
        /* health, a named provider: on time */
        fact(AGENCY_HEALTH, "Community Paediatrics", "2026-06-01", "2026-06-20"),
        /* more than 12 months ago: counts as outstanding if open, never in the rate */
        fact(AGENCY_HEALTH, "Community Paediatrics", "2025-10-01", NULL),
        /* education: nothing decided yet */
        fact(AGENCY_EDUCATION, "Heathfield Primary", "2026-10-30", NULL),
    };
    advice_tally *t;
    size_t n;
    assert_int_equal(advice_tally_compute(facts, 7, D("2026-11-02"), a, &t, &n), SH_OK);
    /* education, its school; health, its two teams in byte order */
    assert_int_equal(n, 5);
    assert_int_equal(t[0].agency, AGENCY_EDUCATION);
    assert_null(t[0].service);
    assert_string_equal(t[1].service, "Heathfield Primary");
    assert_int_equal(t[0].outstanding, 1);
    assert_int_equal(t[0].due_this_week, 0);
    assert_int_equal(advice_on_time_permille(&t[0]), -1);

    assert_int_equal(t[2].agency, AGENCY_HEALTH);
    assert_null(t[2].service);
    assert_int_equal(t[2].outstanding, 3);
    assert_int_equal(t[2].overdue, 2);       /* Sept's and the old one */
    assert_int_equal(t[2].decided_12m, 4);   /* on time, late, overdue, provider's */
    assert_int_equal(t[2].on_time_12m, 2);
    assert_int_equal(advice_on_time_permille(&t[2]), 500);
    assert_string_equal(t[3].service, "Community Paediatrics");
    assert_int_equal(t[3].decided_12m, 1);
    assert_int_equal(advice_on_time_permille(&t[3]), 1000);
    assert_string_equal(t[4].service, "Designated Clinical Officer");
    assert_int_equal(t[4].decided_12m, 3);
    assert_int_equal(advice_on_time_permille(&t[4]), 333);
    assert_int_equal(t[4].due_this_week, 0);
    assert_int_equal(t[4].outstanding, 2);

    /* due within the week: 26 Oct + 6 weeks = 7 Dec, so on 1 Dec */
    assert_int_equal(advice_tally_compute(facts, 7, D("2026-12-01"), a, &t, &n), SH_OK);
    assert_int_equal(t[4].due_this_week, 1);
    assert_int_equal(advice_tally_compute(NULL, 0, D("2026-12-01"), a, &t, &n), SH_OK);
    assert_int_equal(n, 0);
    arena_destroy(a);
}

/* ---- core: files and text ------------------------------------------------------------------ */

static void test_pdf_check(void **state)
{
    (void)state;
    const char *why = NULL;
    const char pdf[] = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    assert_int_equal(advice_pdf_check((const unsigned char *)pdf, strlen(pdf), &why), SH_OK);
    const char html[] = "<html><body>%PDF-1.7 %%EOF</body></html>";
    assert_int_equal(advice_pdf_check((const unsigned char *)html, strlen(html), &why), SH_EINVAL);
    assert_string_equal(why, "The file must be a PDF");
    const char cut[] = "%PDF-1.4\n1 0 obj <<>> endobj\nstream half";
    assert_int_equal(advice_pdf_check((const unsigned char *)cut, strlen(cut), &why), SH_EINVAL);
    assert_non_null(strstr(why, "incomplete"));
    /* the trailer must be near the end, not anywhere */
    size_t big = 4096;
    unsigned char *b = calloc(1, big);
    memcpy(b, "%PDF-1.4\n%%EOF\n", 15);
    memset(b + 15, ' ', big - 15);
    assert_int_equal(advice_pdf_check(b, big, &why), SH_EINVAL);
    memcpy(b + big - 7, "%%EOF\r\n", 7);
    assert_int_equal(advice_pdf_check(b, big, &why), SH_OK);
    free(b);
    assert_int_equal(advice_pdf_check((const unsigned char *)pdf, ADVICE_FILE_MAX + 1, &why),
                     SH_ELIMIT);
}

static void test_filename_and_text(void **state)
{
    (void)state;
    char out[ADVICE_FILENAME_MAX + 1];
    advice_filename_clean("C:\\Users\\x\\Paediatric report.pdf", out);
    assert_string_equal(out, "Paediatric report.pdf");
    advice_filename_clean("../../etc/passwd", out);
    assert_string_equal(out, "passwd.pdf");
    advice_filename_clean("a\"b;c\r\nd.PDF", out);
    assert_string_equal(out, "a_b_c__d.PDF");
    advice_filename_clean("...", out);
    assert_string_equal(out, "advice.pdf");
    advice_filename_clean(NULL, out);
    assert_string_equal(out, "advice.pdf");
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    advice_filename_clean(longname, out);
    assert_int_equal(strlen(out), ADVICE_FILENAME_MAX);

    assert_int_equal(advice_text_check("Line one\r\nline two\tand a tab", 100), SH_OK);
    assert_int_equal(advice_text_check("bell\a", 100), SH_EINVAL);
    assert_int_equal(advice_text_check("abcdef", 5), SH_ELIMIT);
    assert_int_equal(advice_text_check(NULL, 5), SH_OK);
}

/* ---- app: validation ---------------------------------------------------------------------------- */

static void test_check_request(void **state)
{
    (void)state;
    date_t today = D("2026-11-02");
    app_error err;
    app_advice_ask ok[] = {{AGENCY_HEALTH, "Designated Clinical Officer", NULL},
                           {AGENCY_EDUCATION, "", URN},
                           {AGENCY_SOCIAL_CARE, "Children's Social Care", NULL}};
    assert_int_equal(app_advice_check_request(ok, 3, today, "", today, &err), SH_OK);

    assert_int_equal(app_advice_check_request(ok, 0, today, "", today, &err), SH_EINVAL);
    assert_string_equal(err.field, "agencies");

    app_advice_ask no_name[] = {{AGENCY_OTHER, "", NULL}};
    assert_int_equal(app_advice_check_request(no_name, 1, today, "", today, &err), SH_EINVAL);
    assert_string_equal(err.field, "service_other");

    app_advice_ask bad_urn[] = {{AGENCY_EDUCATION, "", "12ab"}};
    assert_int_equal(app_advice_check_request(bad_urn, 1, today, "", today, &err), SH_EINVAL);
    assert_string_equal(err.field, "setting_urn");

    app_advice_ask twice[] = {{AGENCY_HEALTH, "DCO", NULL}, {AGENCY_HEALTH, "DCO", NULL}};
    assert_int_equal(app_advice_check_request(twice, 2, today, "", today, &err), SH_EINVAL);
    app_advice_ask two_providers[] = {{AGENCY_HEALTH, "DCO", NULL},
                                      {AGENCY_HEALTH, "CAMHS", NULL}};
    assert_int_equal(app_advice_check_request(two_providers, 2, today, "", today, &err), SH_OK);

    app_advice_ask newline[] = {{AGENCY_HEALTH, "DCO\nBcc: x", NULL}};
    assert_int_equal(app_advice_check_request(newline, 1, today, "", today, &err), SH_EINVAL);

    assert_int_equal(app_advice_check_request(ok, 1, date_add_days(today, 1), "", today, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "date");
    assert_int_equal(app_advice_check_request(ok, 1, DATE_NONE, "", today, &err), SH_EINVAL);

    char *q = malloc(ADVICE_TEXT_MAX + 2);
    memset(q, 'q', ADVICE_TEXT_MAX + 1);
    q[ADVICE_TEXT_MAX + 1] = '\0';
    assert_int_equal(app_advice_check_request(ok, 1, today, q, today, &err), SH_EINVAL);
    assert_string_equal(err.field, "question");
    free(q);
}

static const char PDF[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

static void test_check_answer(void **state)
{
    (void)state;
    date_t asked = D("2026-09-21"), today = D("2026-11-02");
    app_error err;
    app_advice_upload files[] = {{"r.pdf", (const unsigned char *)PDF, sizeof PDF - 1}};
    app_advice_answer a = {.needs = "n", .outcomes = "o", .provision = "p",
                           .received_on = DATE_NONE, .files = files, .n_files = 1};
    assert_int_equal(app_advice_check_answer(&a, asked, today, &err), SH_OK);

    app_advice_answer missing = a;
    missing.provision = "";
    assert_int_equal(app_advice_check_answer(&missing, asked, today, &err), SH_EINVAL);
    assert_string_equal(err.field, "provision");

    app_advice_answer early = a;
    early.received_on = D("2026-09-20");
    assert_int_equal(app_advice_check_answer(&early, asked, today, &err), SH_EINVAL);
    assert_string_equal(err.field, "received_on");
    early.received_on = D("2026-11-03");
    assert_int_equal(app_advice_check_answer(&early, asked, today, &err), SH_EINVAL);

    app_advice_upload fake[] = {{"x/evil.pdf", (const unsigned char *)"MZ\x90", 3}};
    app_advice_answer bad = a;
    bad.files = fake;
    assert_int_equal(app_advice_check_answer(&bad, asked, today, &err), SH_EINVAL);
    assert_string_equal(err.field, "files");
    assert_string_equal(err.message, "evil.pdf: The file must be a PDF");

    app_advice_answer many = a;
    many.n_files = ADVICE_FILES_MAX + 1;
    assert_int_equal(app_advice_check_answer(&many, asked, today, &err), SH_EINVAL);
}

/* ---- app on a database ------------------------------------------------------------------------------- */

typedef struct {
    char path[TESTDB_URL_MAX];
    store *s;
    arena *a;
    int64_t case_id, child_id;
} fixture;

static const app_identity coordinator = {.username = "a.patel", .role = ROLE_COORDINATOR,
                                         .la_code = LA, .remote = ""};
static const app_identity health = {.username = "h.health", .role = ROLE_HEALTH,
                                    .la_code = LA, .remote = ""};
static const app_identity social = {.username = "s.social", .role = ROLE_SOCIAL_CARE,
                                    .la_code = LA, .remote = ""};
static const app_identity senco = {.username = "s.senco", .role = ROLE_SETTING,
                                   .la_code = LA, .setting_urn = URN, .remote = ""};
static const app_identity other_senco = {.username = "o.senco", .role = ROLE_SETTING,
                                         .la_code = LA, .setting_urn = "990124", .remote = ""};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    const char *url = testdb_url();
    if (!f || !url)
        return -1;
    snprintf(f->path, sizeof f->path, "%s", url);
    f->a = arena_create(8u << 20);
    if (!f->a || store_open(f->path, &f->s) != SH_OK || store_migrate(f->s) != SH_OK)
        return -1;
    *state = f;
    store_child c = {.forename = "Ada", .surname = "Lovelace",
                     .date_of_birth = D("2016-03-01"), .sen_need = {-1, -1},
                     .setting_urn = URN};
    app_error err;
    if (store_area_put(f->s, LA, "Test area") != SH_OK ||
        store_setting_put(f->s, LA, URN, "Heathfield Primary", "primary") != SH_OK ||
        app_child_create(f->s, &coordinator, &c, D("2026-11-02"), &err) != SH_OK)
        return -1;
    f->child_id = c.id;
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, D("2026-08-10"));
    store_case k;
    journey_timeline t;
    if (app_case_open(f->s, &coordinator, c.id, "a.patel", &start, D("2026-11-02"), f->a, &k,
                      &t, &err) != SH_OK)
        return -1;
    f->case_id = k.id;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    arena_destroy(f->a);
    testdb_drop(f->path);
    free(f);
    return 0;
}

/* Asks health, social care and the school on 21 September 2026. */
static void ask_three(fixture *f, int64_t ids[3])
{
    app_advice_ask asks[] = {{AGENCY_HEALTH, "Designated Clinical Officer", NULL},
                             {AGENCY_SOCIAL_CARE, "Children's Social Care", NULL},
                             {AGENCY_EDUCATION, "", URN}};
    app_error err = {0};
    int rc = app_advice_request(f->s, &coordinator, f->case_id, asks, 3, D("2026-09-21"),
                                "How does she manage at break times?", D("2026-10-30"), f->a,
                                ids, &err);
    assert_int_equal(rc, SH_OK);
}

static void test_request_in_one_step(void **state)
{
    fixture *f = *state;
    int64_t ids[3];
    ask_three(f, ids);
    store_advice r;
    assert_int_equal(store_advice_get(f->s, LA, ids[2], f->a, &r), SH_OK);
    assert_int_equal(r.agency, AGENCY_EDUCATION);
    assert_string_equal(r.service, "Heathfield Primary"); /* named from its URN */
    assert_string_equal(r.setting_urn, URN);
    assert_int_equal(r.due, D("2026-11-02")); /* the engine's 6 weeks */
    assert_int_equal(r.received_on, DATE_NONE);

    /* the journey has three requests, and health and social care now see the case */
    store_case c;
    assert_int_equal(store_case_get(f->s, LA, f->case_id, f->a, &c), SH_OK);
    assert_int_equal(c.summary.open_advice,
                     (1u << AGENCY_HEALTH) | (1u << AGENCY_SOCIAL_CARE) | (1u << AGENCY_EDUCATION));
    event *ev;
    size_t n;
    assert_int_equal(store_events_load(f->s, LA, f->case_id, f->a, &ev, &n), SH_OK);
    assert_int_equal(n, 4);
    assert_int_equal(ev[1].type, EV_ADVICE_REQUESTED);
    assert_int_equal(r.requested_event, ev[3].id);

    /* all or nothing: a request the engine refuses (before the request for
     * assessment) stores no event and no row */
    app_advice_ask early[] = {{AGENCY_PSYCHOLOGY, "EPS", NULL}};
    int64_t id;
    app_error err = {0};
    assert_int_equal(app_advice_request(f->s, &coordinator, f->case_id, early, 1,
                                        D("2026-08-01"), "", D("2026-10-30"), f->a, &id, &err),
                     SH_EINVAL);
    assert_int_equal(store_events_load(f->s, LA, f->case_id, f->a, &ev, &n), SH_OK);
    assert_int_equal(n, 4);
    /* people who cannot write cannot ask */
    assert_int_equal(app_advice_request(f->s, &health, f->case_id, early, 1, D("2026-10-01"),
                                        "", D("2026-10-30"), f->a, &id, &err),
                     SH_EDENIED);
}

static void test_who_sees_what(void **state)
{
    fixture *f = *state;
    int64_t ids[3];
    ask_three(f, ids);
    app_advice_row *rows;
    size_t n;
    app_error err;
    app_advice_filter open = {.open_only = true, .agency = AGENCY_NONE, .limit = 50};
    assert_int_equal(app_advice_list(f->s, &health, &open, D("2026-10-30"), f->a, &rows, &n,
                                     &err), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].r.agency, AGENCY_HEALTH);
    assert_string_equal(rows[0].child_name, "Ada Lovelace");
    assert_int_equal(rows[0].state, ADVICE_DUE_SOON);
    assert_int_equal(app_advice_list(f->s, &senco, &open, D("2026-10-30"), f->a, &rows, &n,
                                     &err), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(app_advice_list(f->s, &other_senco, &open, D("2026-10-30"), f->a, &rows,
                                     &n, &err), SH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(app_advice_list(f->s, &coordinator, &open, D("2026-10-30"), f->a, &rows,
                                     &n, &err), SH_OK);
    assert_int_equal(n, 3);

    app_advice_view v;
    assert_int_equal(app_advice_get(f->s, &social, ids[0], D("2026-10-30"), f->a, &v, &err),
                     SH_EDENIED);
    assert_int_equal(app_advice_get(f->s, &health, ids[0], D("2026-10-30"), f->a, &v, &err),
                     SH_OK);
    assert_true(v.may_answer);
    assert_string_equal(v.setting_name, "Heathfield Primary");
    assert_string_equal(v.r.question, "How does she manage at break times?");
    app_identity inspector = coordinator;
    inspector.role = ROLE_INSPECTOR;
    assert_int_equal(app_advice_get(f->s, &inspector, ids[0], D("2026-10-30"), f->a, &v, &err),
                     SH_OK);
    assert_false(v.may_answer);
    app_identity elsewhere = health;
    memcpy(elsewhere.la_code, "991", 4);
    assert_int_equal(app_advice_get(f->s, &elsewhere, ids[0], D("2026-10-30"), f->a, &v, &err),
                     SH_ENOTFOUND);
}

static void test_answer_recorded_once(void **state)
{
    fixture *f = *state;
    int64_t ids[3];
    ask_three(f, ids);
    app_advice_upload files[] = {{"Paediatric report.pdf", (const unsigned char *)PDF,
                                  sizeof PDF - 1}};
    app_advice_answer ans = {.needs = "Needs", .outcomes = "Outcomes", .provision = "Provision",
                             .received_on = D("2026-09-22"), /* ignored: health sends today */
                             .files = files, .n_files = 1};
    app_error err = {0};
    assert_int_equal(app_advice_submit(f->s, &social, ids[0], &ans, D("2026-11-04"), f->a,
                                       &err), SH_EDENIED);
    assert_int_equal(app_advice_submit(f->s, &health, ids[0], &ans, D("2026-11-04"), f->a,
                                       &err), SH_OK);
    assert_int_equal(app_advice_submit(f->s, &health, ids[0], &ans, D("2026-11-04"), f->a,
                                       &err), SH_ECONFLICT);

    store_advice r;
    assert_int_equal(store_advice_get(f->s, LA, ids[0], f->a, &r), SH_OK);
    assert_int_equal(r.received_on, D("2026-11-04")); /* two days late */
    assert_string_equal(r.submitted_by, "h.health");
    assert_int_equal(advice_state_at(r.due, r.received_on, D("2026-11-04")), ADVICE_LATE);
    store_case c;
    assert_int_equal(store_case_get(f->s, LA, f->case_id, f->a, &c), SH_OK);
    assert_int_equal(c.summary.open_advice & (1u << AGENCY_HEALTH), 0);

    /* the coordinator records the school's advice that came by post, dated */
    app_advice_answer post = {.needs = "N", .outcomes = "O", .provision = "P",
                              .received_on = D("2026-10-28")};
    assert_int_equal(app_advice_submit(f->s, &coordinator, ids[2], &post, D("2026-11-04"), f->a,
                                       &err), SH_OK);
    assert_int_equal(store_advice_get(f->s, LA, ids[2], f->a, &r), SH_OK);
    assert_int_equal(r.received_on, D("2026-10-28"));

    /* section K's source: every request with its text, open ones empty */
    store_advice *k;
    size_t n;
    assert_int_equal(app_advice_for_case(f->s, &coordinator, f->case_id, f->a, &k, &n, &err),
                     SH_OK);
    assert_int_equal(n, 3);
    size_t answered = 0;
    for (size_t i = 0; i < n; i++)
        answered += k[i].received_on != DATE_NONE && k[i].provision[0];
    assert_int_equal(answered, 2);

    /* the plan's section K links each advice event to the advice stored */
    app_case_view cv;
    assert_int_equal(app_case_get(f->s, &coordinator, f->case_id, D("2026-11-04"), f->a, &cv,
                                  &err), SH_OK);
    plan_advice *pa;
    size_t npa;
    assert_int_equal(app_plan_advice_received(f->s, &coordinator, &cv, f->a, &pa, &npa, &err),
                     SH_OK);
    assert_int_equal(npa, 2);
    assert_int_equal(pa[0].agency, AGENCY_EDUCATION); /* 28 October, by post */
    assert_int_equal(pa[0].request_id, ids[2]);
    assert_int_equal(pa[1].agency, AGENCY_HEALTH);
    assert_int_equal(pa[1].request_id, ids[0]);

    /* the file: to who may see the request, byte for byte */
    app_advice_view v;
    assert_int_equal(app_advice_get(f->s, &coordinator, ids[0], D("2026-11-04"), f->a, &v,
                                     &err), SH_OK);
    assert_int_equal(v.n_files, 1);
    assert_string_equal(v.files[0].filename, "Paediatric report.pdf");
    store_advice_file file;
    assert_int_equal(app_advice_file(f->s, &coordinator, ids[0], v.files[0].id, f->a, &file, &r,
                                     &err), SH_OK);
    assert_int_equal(file.size, sizeof PDF - 1);
    assert_memory_equal(file.content, PDF, sizeof PDF - 1);
    assert_int_equal(app_advice_file(f->s, &social, ids[0], v.files[0].id, f->a, &file, &r,
                                     &err), SH_EDENIED);
    assert_int_equal(app_advice_file(f->s, &coordinator, ids[1], v.files[0].id, f->a, &file,
                                     &r, &err), SH_ENOTFOUND);

    /* the dashboard: health late, education on time, social care overdue */
    advice_tally *t;
    assert_int_equal(app_advice_dashboard(f->s, &coordinator, D("2026-11-04"), f->a, &t, &n,
                                          &err), SH_OK);
    assert_int_equal(n, 6);
    assert_int_equal(t[0].agency, AGENCY_EDUCATION);
    assert_int_equal(advice_on_time_permille(&t[0]), 1000);
    assert_int_equal(t[2].agency, AGENCY_HEALTH);
    assert_int_equal(advice_on_time_permille(&t[2]), 0);
    assert_int_equal(t[4].agency, AGENCY_SOCIAL_CARE);
    assert_int_equal(t[4].overdue, 1);
    assert_int_equal(app_advice_dashboard(f->s, &health, D("2026-11-04"), f->a, &t, &n, &err),
                     SH_OK);
    assert_int_equal(n, 2); /* health's own lines only */
}

static void test_reminders_once_a_day(void **state)
{
    fixture *f = *state;
    int64_t ids[3];
    ask_three(f, ids);
    app_remind_config cfg = {.within_days = 7, .timeout = 5};
    app_remind_result r;
    assert_int_equal(app_remind_run(f->s, D("2026-10-20"), &cfg, &r), SH_OK);
    assert_int_equal(r.due, 0);
    assert_int_equal(app_remind_run(f->s, D("2026-10-27"), &cfg, &r), SH_OK);
    assert_int_equal(r.due, 3);
    assert_int_equal(r.added, 3);
    assert_int_equal(r.unsent, 3); /* no relay configured */
    assert_int_equal(app_remind_run(f->s, D("2026-10-27"), &cfg, &r), SH_OK);
    assert_int_equal(r.due, 3);
    assert_int_equal(r.added, 0); /* the same day again: nothing new */

    store_advice_chase_query q = {.la_code = LA, .chase_on = D("2026-10-27"), .limit = 50};
    store_advice_chase *rows;
    size_t n;
    assert_int_equal(store_advice_chase_list(f->s, &q, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].kind, "due_soon");
    assert_string_equal(rows[0].status, "recorded");

    /* the next day after the due date: overdue, chased again */
    app_advice_answer ans = {.needs = "N", .outcomes = "O", .provision = "P",
                             .received_on = DATE_NONE};
    app_error err;
    assert_int_equal(app_advice_submit(f->s, &health, ids[0], &ans, D("2026-10-30"), f->a, &err),
                     SH_OK);
    assert_int_equal(app_remind_run(f->s, D("2026-11-03"), &cfg, &r), SH_OK);
    assert_int_equal(r.added, 2);
    q.chase_on = D("2026-11-03");
    assert_int_equal(store_advice_chase_list(f->s, &q, f->a, &rows, &n), SH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].kind, "overdue");
}

static void test_remind_config(void **state)
{
    (void)state;
    const char *why = NULL;
    app_remind_config none = {0};
    assert_int_equal(app_remind_config_check(&none, &why), SH_OK);
    app_remind_config http = {.smtp_url = "http://relay", .from = "a@b.example"};
    assert_int_equal(app_remind_config_check(&http, &why), SH_EINVAL);
    app_remind_config nofrom = {.smtp_url = "smtp://relay:25"};
    assert_int_equal(app_remind_config_check(&nofrom, &why), SH_EINVAL);
    app_remind_config injected = {.smtp_url = "smtp://relay:25", .from = "a@b.example\r\nBcc: x"};
    assert_int_equal(app_remind_config_check(&injected, &why), SH_EINVAL);
    app_remind_config ok = {.smtp_url = "smtps://relay:465", .from = "send@council.example"};
    assert_int_equal(app_remind_config_check(&ok, &why), SH_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_and_chase),
        cmocka_unit_test(test_tally_and_on_time_rate),
        cmocka_unit_test(test_pdf_check),
        cmocka_unit_test(test_filename_and_text),
        cmocka_unit_test(test_check_request),
        cmocka_unit_test(test_check_answer),
        cmocka_unit_test(test_remind_config),
        cmocka_unit_test_setup_teardown(test_request_in_one_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_sees_what, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answer_recorded_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reminders_once_a_day, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
