/*
 * test_form.c — web/form: urlencoded form bodies (contract: form.h).
 *
 * Every body is copied into a heap block of exactly its length with no NUL
 * after it, so AddressSanitizer catches any read past the length the
 * contract promises to respect.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/err.h"
#include "web/form.h"

typedef struct {
    arena *a;
    web_form f;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->a = arena_create(8u << 20);
    assert_non_null(fx->a);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    arena_destroy(fx->a);
    free(fx);
    return 0;
}

static int parse_len(fixture *fx, const char *body, size_t len)
{
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    memcpy(p, body, len);
    int rc = form_parse(p, len, fx->a, &fx->f);
    free(p);
    return rc;
}

static int parse(fixture *fx, const char *body)
{
    return parse_len(fx, body, strlen(body));
}

/* A body that must be refused as a whole: rc, and nothing usable. */
static void refused(fixture *fx, const char *body, int rc)
{
    fx->f.n = 7;
    assert_int_equal(parse(fx, body), rc);
    assert_int_equal(fx->f.n, 0);
    assert_null(form_get(&fx->f, "a"));
}

static void test_pairs(void **state)
{
    fixture *fx = *state;
    assert_int_equal(parse(fx, "username=a.patel&password=secret&next=%2Fcases%2F3"), SH_OK);
    assert_int_equal(fx->f.n, 3);
    assert_string_equal(form_get(&fx->f, "username"), "a.patel");
    assert_string_equal(form_get(&fx->f, "password"), "secret");
    assert_string_equal(form_get(&fx->f, "next"), "/cases/3");
    assert_null(form_get(&fx->f, "missing"));
    assert_null(form_get(&fx->f, "user")); /* names match exactly */
}

static void test_plus_and_percent(void **state)
{
    fixture *fx = *state;
    assert_int_equal(parse(fx, "a=one+two%20three&b=1%2B1%3D2&c=%c3%a9t%C3%A9&d=%25"), SH_OK);
    assert_string_equal(form_get(&fx->f, "a"), "one two three");
    assert_string_equal(form_get(&fx->f, "b"), "1+1=2");
    assert_string_equal(form_get(&fx->f, "c"), "\xc3\xa9t\xc3\xa9"); /* "été" */
    assert_string_equal(form_get(&fx->f, "d"), "%");
}

static void test_names_are_decoded_too(void **state)
{
    fixture *fx = *state;
    assert_int_equal(parse(fx, "date%2Dday=4&first+name=Amy"), SH_OK);
    assert_string_equal(form_get(&fx->f, "date-day"), "4");
    assert_string_equal(form_get(&fx->f, "first name"), "Amy");
}

static void test_empty_values(void **state)
{
    fixture *fx = *state;
    assert_int_equal(parse(fx, "a=&b&c=="), SH_OK);
    assert_int_equal(fx->f.n, 3);
    assert_string_equal(form_get(&fx->f, "a"), "");
    assert_string_equal(form_get(&fx->f, "b"), "");
    assert_string_equal(form_get(&fx->f, "c"), "="); /* only the first '=' splits */
}

static void test_empty_body_and_empty_pairs(void **state)
{
    fixture *fx = *state;
    assert_int_equal(parse(fx, ""), SH_OK);
    assert_int_equal(fx->f.n, 0);
    assert_int_equal(form_parse(NULL, 0, fx->a, &fx->f), SH_OK);
    assert_int_equal(fx->f.n, 0);
    assert_int_equal(parse(fx, "&&a=1&&&b=2&"), SH_OK);
    assert_int_equal(fx->f.n, 2);
    assert_string_equal(form_get(&fx->f, "b"), "2");
}

static void test_duplicates_first_wins(void **state)
{
    fixture *fx = *state;
    assert_int_equal(parse(fx, "csrf=good&csrf=evil&x=1"), SH_OK);
    assert_int_equal(fx->f.n, 3);
    assert_string_equal(form_get(&fx->f, "csrf"), "good");
}

static void test_length_is_respected(void **state)
{
    fixture *fx = *state;
    /* only the first 3 bytes belong to the body */
    assert_int_equal(parse_len(fx, "a=1&b=2", 3), SH_OK);
    assert_int_equal(fx->f.n, 1);
    assert_string_equal(form_get(&fx->f, "a"), "1");
    assert_null(form_get(&fx->f, "b"));
}

static void test_bad_percent_escapes(void **state)
{
    fixture *fx = *state;
    refused(fx, "a=%", SH_EINVAL);
    refused(fx, "a=%2", SH_EINVAL);
    refused(fx, "a=%G1", SH_EINVAL);
    refused(fx, "a=%1G", SH_EINVAL);
    refused(fx, "a=%zz&b=2", SH_EINVAL);
    refused(fx, "a=1&b=x%", SH_EINVAL);
    refused(fx, "%=1", SH_EINVAL);
    refused(fx, "a=%%41", SH_EINVAL);
    /* a truncated escape at the end of the given length, even if more follows */
    fx->f.n = 7;
    assert_int_equal(parse_len(fx, "a=%41", 4), SH_EINVAL);
    assert_int_equal(fx->f.n, 0);
}

static void test_invalid_utf8(void **state)
{
    fixture *fx = *state;
    refused(fx, "a=%C3%28", SH_EINVAL);          /* bad continuation */
    refused(fx, "a=%C3", SH_EINVAL);             /* truncated */
    refused(fx, "a=%E2%82", SH_EINVAL);          /* truncated */
    refused(fx, "a=%C0%AF", SH_EINVAL);          /* overlong '/' */
    refused(fx, "a=%E0%80%AF", SH_EINVAL);       /* overlong */
    refused(fx, "a=%ED%A0%80", SH_EINVAL);       /* UTF-16 surrogate */
    refused(fx, "a=%F4%90%80%80", SH_EINVAL);    /* past U+10FFFF */
    refused(fx, "a=%FF", SH_EINVAL);
    refused(fx, "a=%80", SH_EINVAL);             /* lone continuation */
    refused(fx, "a=\xc3\x28", SH_EINVAL);        /* raw bytes are checked too */
    refused(fx, "n%C3%28=1", SH_EINVAL);         /* and names */
    assert_int_equal(parse(fx, "a=%F0%9F%98%80&b=\xe2\x82\xac"), SH_OK); /* emoji, euro */
    assert_string_equal(form_get(&fx->f, "a"), "\xf0\x9f\x98\x80");
    assert_string_equal(form_get(&fx->f, "b"), "\xe2\x82\xac");
}

static void test_control_characters(void **state)
{
    fixture *fx = *state;
    refused(fx, "a=x%00y", SH_EINVAL);
    refused(fx, "a=%01", SH_EINVAL);
    refused(fx, "a=%1B%5B31m", SH_EINVAL);       /* terminal escape */
    refused(fx, "a=%7F", SH_EINVAL);
    refused(fx, "a=%C2%80", SH_EINVAL);          /* C1 control */
    refused(fx, "a=%C2%9F", SH_EINVAL);
    refused(fx, "a%0A=1", SH_EINVAL);            /* no newline in a name */
    refused(fx, "a%09=1", SH_EINVAL);
    /* a raw NUL inside the body */
    fx->f.n = 7;
    assert_int_equal(parse_len(fx, "a=x\0y", 5), SH_EINVAL);
    assert_int_equal(fx->f.n, 0);
    /* a textarea may hold tab, CR and LF */
    assert_int_equal(parse(fx, "reason=line+one%0D%0Aline%09two%0A"), SH_OK);
    assert_string_equal(form_get(&fx->f, "reason"), "line one\r\nline\ttwo\n");
    assert_int_equal(parse(fx, "a=%C2%A0"), SH_OK); /* no-break space is text */
}

static void test_empty_name_refused(void **state)
{
    fixture *fx = *state;
    refused(fx, "=x", SH_EINVAL);
    refused(fx, "a=1&=2", SH_EINVAL);
}

static char *repeat(char c, size_t n, const char *prefix)
{
    size_t pl = strlen(prefix);
    char *s = malloc(pl + n + 1);
    assert_non_null(s);
    memcpy(s, prefix, pl);
    memset(s + pl, c, n);
    s[pl + n] = '\0';
    return s;
}

static void test_field_count_limit(void **state)
{
    fixture *fx = *state;
    size_t cap = (FORM_MAX_FIELDS + 1) * 4 + 1, len = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    for (int i = 0; i <= FORM_MAX_FIELDS; i++) {
        memcpy(body + len, "&f=1", 4);
        len += 4;
    }
    body[len] = '\0';
    /* FORM_MAX_FIELDS pairs (the leading '&' makes an empty pair, skipped) */
    assert_int_equal(parse_len(fx, body, len - 4), SH_OK);
    assert_int_equal(fx->f.n, FORM_MAX_FIELDS);
    refused(fx, body, SH_ELIMIT);
    free(body);
}

static void test_value_and_name_limits(void **state)
{
    fixture *fx = *state;
    char *ok = repeat('v', FORM_MAX_VALUE, "a=");
    char *big = repeat('v', FORM_MAX_VALUE + 1, "a=");
    assert_int_equal(parse(fx, ok), SH_OK);
    assert_int_equal(strlen(form_get(&fx->f, "a")), FORM_MAX_VALUE);
    refused(fx, big, SH_ELIMIT);
    free(ok);
    free(big);
    /* the limit is on decoded bytes: 10000 escapes decode to 10000 bytes */
    char *escaped = malloc(3 * FORM_MAX_VALUE + 3);
    assert_non_null(escaped);
    memcpy(escaped, "a=", 2);
    for (int i = 0; i < FORM_MAX_VALUE; i++)
        memcpy(escaped + 2 + 3 * i, "%41", 4);
    assert_int_equal(parse(fx, escaped), SH_OK);
    assert_int_equal(strlen(form_get(&fx->f, "a")), FORM_MAX_VALUE);
    free(escaped);

    char *name = repeat('n', FORM_MAX_NAME, "");
    char *long_name = repeat('n', FORM_MAX_NAME + 1, "");
    char body[FORM_MAX_NAME + 8];
    snprintf(body, sizeof body, "%s=1", name);
    assert_int_equal(parse(fx, body), SH_OK);
    assert_string_equal(form_get(&fx->f, name), "1");
    snprintf(body, sizeof body, "%s=1", long_name);
    refused(fx, body, SH_ELIMIT);
    free(name);
    free(long_name);
}

static void test_arena_ceiling(void **state)
{
    (void)state;
    arena *small = arena_create(64);
    assert_non_null(small);
    web_form f;
    char *body = repeat('x', 4096, "a=");
    assert_int_equal(form_parse(body, strlen(body), small, &f), SH_ENOMEM);
    assert_int_equal(f.n, 0);
    free(body);
    arena_destroy(small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plus_and_percent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_are_decoded_too, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_body_and_empty_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_first_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_length_is_respected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_percent_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_name_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_count_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_and_name_limits, setup, teardown),
        cmocka_unit_test(test_arena_ceiling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
