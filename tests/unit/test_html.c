/*
 * test_html.c — web/html: the formatter's directives and escaping, the page
 * frame (skip link, language, one h1, navigation per role, sign-out with the
 * CSRF token, no inline script or style), the error summary, field messages
 * and status tags (contract: html.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/access.h"
#include "util/err.h"
#include "web/html.h"
#include "web/pages.h"

#define MAX (1u << 20)

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* An attribute such as onclick= or onload= anywhere in the markup. */
static bool has_event_handler(const char *html)
{
    for (const char *p = strstr(html, " on"); p; p = strstr(p + 1, " on")) {
        const char *q = p + 3;
        while (*q >= 'a' && *q <= 'z')
            q++;
        if (q > p + 3 && *q == '=')
            return true;
    }
    return false;
}

/* ---- html_fmt ------------------------------------------------------------- */

static void test_escapes_every_special_character(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "<p>%s</p>", "a&b<c>d\"e'f"), SH_OK);
    assert_string_equal(b.data, "<p>a&amp;b&lt;c&gt;d&quot;e&#39;f</p>");
    buf_free(&b);
}

/* Runs of clean text are copied whole: specials at either end, side by
 * side, alone, and text without any come out right. */
static void test_escapes_at_the_edges_of_runs(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "[%s|%s|%s|%s|%s]", "<<a>>", "&", "", "plain text",
                              "'\"&<>"),
                     SH_OK);
    assert_string_equal(b.data, "[&lt;&lt;a&gt;&gt;|&amp;||plain text|&#39;&quot;&amp;&lt;&gt;]");
    buf_free(&b);
}

/* The short date a caseload row shows: day without a leading zero. */
static void test_date_short(void **state)
{
    (void)state;
    arena *a = arena_create(1u << 16);
    assert_non_null(a);
    assert_string_equal(pages_date_short(a, D(2015, 3, 7)), "7 Mar 2015");
    assert_string_equal(pages_date_short(a, D(2026, 12, 31)), "31 Dec 2026");
    assert_string_equal(pages_date_short(a, D(2000, 1, 10)), "10 Jan 2000");
    assert_string_equal(pages_date_short(a, DATE_NONE), "");
    arena_destroy(a);
}

static void test_escaped_markup_cannot_open_an_element(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "<input value=\"%s\">", "\"><script>alert(1)</script>"),
                     SH_OK);
    assert_null(strstr(b.data, "<script"));
    assert_int_equal(count(b.data, "\""), 2);
    buf_free(&b);
}

static void test_raw_is_not_escaped(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "%r|%s", "<b>&</b>", "<b>"), SH_OK);
    assert_string_equal(b.data, "<b>&</b>|&lt;b&gt;");
    buf_free(&b);
}

static void test_null_strings_print_nothing(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "[%s][%r]", (const char *)NULL, (const char *)NULL), SH_OK);
    assert_string_equal(b.data, "[][]");
    buf_free(&b);
}

static void test_number_directives(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "%d %ld %lld %zu", -42, -7L, (long long)INT64_MIN,
                              (size_t)SIZE_MAX),
                     SH_OK);
    char want[128];
    snprintf(want, sizeof want, "-42 -7 %lld %zu", (long long)INT64_MIN, (size_t)SIZE_MAX);
    assert_string_equal(b.data, want);
    buf_free(&b);
}

static void test_grouped_count(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "%N|%N|%N|%N|%N|%N", 0LL, 999LL, 1000LL, 15471LL, -1234567LL,
                              (long long)INT64_MIN),
                     SH_OK);
    assert_string_equal(b.data, "0|999|1,000|15,471|-1,234,567|-9,223,372,036,854,775,808");
    buf_free(&b);
}

static void test_date_directives(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "%D|%I|%D|%I", D(2026, 5, 25), D(2026, 5, 25),
                              (date_t)DATE_NONE, (date_t)DATE_NONE),
                     SH_OK);
    assert_string_equal(b.data, "25 May 2026|2026-05-25||");
    buf_free(&b);
}

static void test_percent_and_plain_text(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "100%% & more"), SH_OK);
    assert_string_equal(b.data, "100% & more"); /* the format itself is trusted */
    assert_int_equal(html_fmt(&b, ""), SH_OK);
    assert_string_equal(b.data, "100% & more");
    buf_free(&b);
}

static void test_unknown_directive_is_einval_and_writes_nothing(void **state)
{
    (void)state;
    static const char *const bad[] = {"x%x", "%u", "%l", "%lx", "%ll", "%z", "%zd", "%",
                                      "ok %q", "%S", "%5d"};
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_fmt(&b, "keep"), SH_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(html_fmt(&b, bad[i], 1), SH_EINVAL);
        assert_string_equal(b.data, "keep");
        assert_int_equal(b.len, 4);
    }
    /* a bad directive after good output rolls the good output back too */
    assert_int_equal(html_fmt(&b, "<p>%s %y", "text", 1), SH_EINVAL);
    assert_string_equal(b.data, "keep");
    buf_free(&b);
}

static void test_ceiling_is_elimit_and_rolls_back(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 16);
    assert_int_equal(html_fmt(&b, "<p>"), SH_OK);
    assert_int_equal(html_fmt(&b, "%s", "&&&&&&&&"), SH_ELIMIT); /* 40 bytes escaped */
    assert_string_equal(b.data, "<p>");
    buf_free(&b);
}

/* ---- the page frame -------------------------------------------------------------- */

static char *frame(buf *b, const html_page *p)
{
    buf_init(b, MAX);
    assert_int_equal(html_page_begin(b, p), SH_OK);
    assert_int_equal(html_fmt(b, "<p class=\"govuk-body\">content</p>\n"), SH_OK);
    assert_int_equal(html_page_end(b), SH_OK);
    return b->data;
}

static app_identity person(app_role role)
{
    app_identity who = {.user_id = 9, .username = "j.smith", .role = role, .la_code = "990"};
    return who;
}

static void test_frame_signed_out(void **state)
{
    (void)state;
    buf b;
    html_page p = {.title = "Sign in"};
    const char *html = frame(&b, &p);
    assert_non_null(strstr(html, "<!DOCTYPE html>"));
    assert_non_null(strstr(html, "<html lang=\"en\""));
    assert_non_null(strstr(html, "<title>Sign in - sendhub</title>"));
    assert_non_null(strstr(html, "<a href=\"#main-content\" class=\"govuk-skip-link\""));
    assert_non_null(strstr(html, "<main class=\"govuk-main-wrapper\" id=\"main-content\">"));
    assert_int_equal(count(html, "<h1"), 1);
    assert_non_null(strstr(html, "<h1 class=\"govuk-heading-l\">Sign in</h1>"));
    assert_null(strstr(html, "govuk-service-navigation"));
    assert_null(strstr(html, "/sign-out"));
    assert_non_null(strstr(html, "<script type=\"module\" src=\"/assets/sendhub.js\"></script>"));
    assert_non_null(strstr(html, "/assets/govuk/govuk-frontend.min.css"));
    buf_free(&b);
}

/* The Content-Security-Policy forbids inline script and style. */
static void test_frame_has_no_inline_script_or_style(void **state)
{
    (void)state;
    buf b;
    app_identity who = person(ROLE_MANAGER);
    html_page p = {.title = "Team", .who = &who, .csrf = "tok", .nav = "team",
                   .back_href = "/caseload"};
    const char *html = frame(&b, &p);
    assert_int_equal(count(html, "<script"), count(html, "<script type=\"module\" src="));
    assert_null(strstr(html, "style="));
    assert_null(strstr(html, "<style"));
    assert_false(has_event_handler(html)); /* no onclick= and the like */
    assert_null(strstr(html, "javascript:"));
    buf_free(&b);
}

static void test_frame_error_title_and_escaping(void **state)
{
    (void)state;
    buf b;
    html_page p = {.title = "Tom & <Jerry>", .has_errors = 1};
    const char *html = frame(&b, &p);
    assert_non_null(strstr(html, "<title>Error: Tom &amp; &lt;Jerry&gt; - sendhub</title>"));
    assert_non_null(strstr(html, "<h1 class=\"govuk-heading-l\">Tom &amp; &lt;Jerry&gt;</h1>"));
    buf_free(&b);
}

static void test_frame_without_h1_and_with_back_link(void **state)
{
    (void)state;
    buf b;
    html_page p = {.title = "Correct an entry", .no_h1 = 1, .back_href = "/cases/3?a=1&b=2"};
    const char *html = frame(&b, &p);
    assert_int_equal(count(html, "<h1"), 0);
    const char *back = strstr(html, "<a href=\"/cases/3?a=1&amp;b=2\" class=\"govuk-back-link");
    assert_non_null(back);
    assert_true(back > strstr(html, "<main")); /* inside the main landmark */
    buf_free(&b);
}

static void test_sign_out_is_a_post_with_csrf(void **state)
{
    (void)state;
    buf b;
    app_identity who = person(ROLE_COORDINATOR);
    who.username = "o'brien";
    html_page p = {.title = "My caseload", .who = &who, .csrf = "abc\"def", .nav = "caseload"};
    const char *html = frame(&b, &p);
    assert_non_null(strstr(html, "<form method=\"post\" action=\"/sign-out\""));
    assert_non_null(strstr(html, "<input type=\"hidden\" name=\"csrf\" value=\"abc&quot;def\">"));
    assert_non_null(strstr(html, ">Sign out</button>"));
    assert_non_null(strstr(html, "<strong>o&#39;brien</strong>"));
    assert_non_null(strstr(html, "EHC coordinator"));
    buf_free(&b);
}

/* Which navigation items each role gets, in order of nav_items. */
static void check_nav(app_role role, const char *const want[5])
{
    static const char *const hrefs[5] = {"href=\"/caseload\"", "href=\"/requests/new\"",
                                         "href=\"/team\"", "href=\"/audit\"",
                                         "href=\"/people\""};
    buf b;
    app_identity who = person(role);
    html_page p = {.title = "Page", .who = &who, .csrf = "t"};
    const char *html = frame(&b, &p);
    for (int i = 0; i < 5; i++) {
        bool has = strstr(html, hrefs[i]) != NULL;
        assert_int_equal(has, want[i] != NULL);
        if (want[i])
            assert_non_null(strstr(html, want[i]));
    }
    buf_free(&b);
}

static void test_navigation_per_role(void **state)
{
    (void)state;
    const char *const coordinator[5] = {"My caseload", "Start a request", NULL, NULL, NULL};
    const char *const manager[5] = {"My caseload", "Start a request", "Team", "Audit log",
                                    NULL};
    const char *const admin[5] = {NULL, NULL, NULL, "Audit log", "People"};
    const char *const inspector[5] = {"My caseload", NULL, "Team", "Audit log", NULL};
    const char *const health[5] = {"My caseload", NULL, NULL, NULL, NULL};
    const char *const parent[5] = {NULL, NULL, NULL, NULL, NULL};
    const char *const forum[5] = {NULL, NULL, NULL, NULL, NULL};
    check_nav(ROLE_COORDINATOR, coordinator);
    check_nav(ROLE_MANAGER, manager);
    check_nav(ROLE_ADMIN, admin);
    check_nav(ROLE_INSPECTOR, inspector);
    check_nav(ROLE_HEALTH, health);
    check_nav(ROLE_SOCIAL_CARE, health);
    check_nav(ROLE_SETTING, health);
    check_nav(ROLE_PARENT, parent);
    check_nav(ROLE_FORUM, forum);
    /* the forum's one item: the inspections and their plans */
    buf b;
    app_identity who = person(ROLE_FORUM);
    html_page p = {.title = "Page", .who = &who, .csrf = "t"};
    const char *html = frame(&b, &p);
    assert_non_null(strstr(html, "href=\"/inspections\""));
    assert_null(strstr(html, "href=\"/dashboard\""));
    assert_null(strstr(html, "href=\"/reviews\""));
    assert_null(strstr(html, "href=\"/advice\""));
    buf_free(&b);
}

static void test_active_navigation_item(void **state)
{
    (void)state;
    buf b;
    app_identity who = person(ROLE_MANAGER);
    html_page p = {.title = "Team", .who = &who, .csrf = "t", .nav = "team"};
    const char *html = frame(&b, &p);
    assert_int_equal(count(html, "aria-current=\"page\""), 1);
    const char *active = strstr(html, "govuk-service-navigation__item--active");
    assert_non_null(active);
    assert_non_null(strstr(active, "href=\"/team\" aria-current=\"page\""));
    buf_free(&b);
}

/* ---- errors and tags ------------------------------------------------------------ */

static void test_error_summary_links_to_fields(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    html_field_error e[] = {{"date-day", "Enter the date"},
                            {"name", "Name can't contain <tags>"},
                            {NULL, "Something else went wrong"}};
    assert_int_equal(html_error_summary(&b, e, 3), SH_OK);
    assert_non_null(strstr(b.data, "class=\"govuk-error-summary\""));
    assert_non_null(strstr(b.data, "role=\"alert\""));
    assert_non_null(strstr(b.data, "There is a problem"));
    assert_non_null(strstr(b.data, "<li><a href=\"#date-day\">Enter the date</a></li>"));
    assert_non_null(strstr(b.data, "<li><a href=\"#name\">Name can&#39;t contain &lt;tags&gt;"
                                   "</a></li>"));
    assert_non_null(strstr(b.data, "<li>Something else went wrong</li>"));
    buf_free(&b);
}

static void test_error_summary_empty_writes_nothing(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, MAX);
    assert_int_equal(html_error_summary(&b, NULL, 0), SH_OK);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_field_message(void **state)
{
    (void)state;
    buf scratch;
    buf_init(&scratch, MAX);
    html_field_error e[] = {{"a", "First"}, {"reason", "Say why & how"}, {"reason", "Later"}};
    assert_string_equal(html_field_message(e, 3, "missing", &scratch), "");
    assert_string_equal(html_field_message(e, 3, NULL, &scratch), "");
    const char *m = html_field_message(e, 3, "reason", &scratch);
    assert_string_equal(m, "<p id=\"reason-error\" class=\"govuk-error-message\">"
                           "<span class=\"govuk-visually-hidden\">Error:</span> Say why &amp; how"
                           "</p>\n");
    /* the scratch is reused: the next message replaces the previous one */
    m = html_field_message(e, 3, "a", &scratch);
    assert_non_null(strstr(m, "id=\"a-error\""));
    assert_null(strstr(m, "reason"));
    buf_free(&scratch);
}

static void test_status_tags(void **state)
{
    (void)state;
    static const struct {
        const char *status, *colour, *text;
    } cases[] = {{"overdue", "govuk-tag--red", ">Overdue<"},
                 {"due_soon", "govuk-tag--orange", ">Due this week<"},
                 {"met", "govuk-tag--green", ">Met<"},
                 {"late", "govuk-tag--pink", ">Late<"},
                 {"pending", "govuk-tag--grey", ">Pending<"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *t = html_status_tag(cases[i].status);
        assert_non_null(strstr(t, "class=\"govuk-tag "));
        assert_non_null(strstr(t, cases[i].colour));
        assert_non_null(strstr(t, cases[i].text));
    }
    assert_string_equal(html_status_tag("unknown"), "");
    assert_string_equal(html_status_tag(NULL), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_every_special_character),
        cmocka_unit_test(test_escapes_at_the_edges_of_runs),
        cmocka_unit_test(test_date_short),
        cmocka_unit_test(test_escaped_markup_cannot_open_an_element),
        cmocka_unit_test(test_raw_is_not_escaped),
        cmocka_unit_test(test_grouped_count),
        cmocka_unit_test(test_null_strings_print_nothing),
        cmocka_unit_test(test_number_directives),
        cmocka_unit_test(test_date_directives),
        cmocka_unit_test(test_percent_and_plain_text),
        cmocka_unit_test(test_unknown_directive_is_einval_and_writes_nothing),
        cmocka_unit_test(test_ceiling_is_elimit_and_rolls_back),
        cmocka_unit_test(test_frame_signed_out),
        cmocka_unit_test(test_frame_has_no_inline_script_or_style),
        cmocka_unit_test(test_frame_error_title_and_escaping),
        cmocka_unit_test(test_frame_without_h1_and_with_back_link),
        cmocka_unit_test(test_sign_out_is_a_post_with_csrf),
        cmocka_unit_test(test_navigation_per_role),
        cmocka_unit_test(test_active_navigation_item),
        cmocka_unit_test(test_error_summary_links_to_fields),
        cmocka_unit_test(test_error_summary_empty_writes_nothing),
        cmocka_unit_test(test_field_message),
        cmocka_unit_test(test_status_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
