/*
 * test_jsonw.c — the streaming JSON writer (util/jsonw.h): escaping of every
 * control character, nesting and commas, the depth ceiling, the buffer
 * ceiling, misuse, pretty mode, and a randomized round trip through
 * jansson's parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "util/err.h"
#include "util/jsonw.h"

typedef struct {
    buf b;
    jsonw w;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    buf_init(&f->b, 1u << 20);
    jsonw_init(&f->w, &f->b, false);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    buf_free(&f->b);
    free(f);
    return 0;
}

/* Finishes the document and compares its text. */
static void expect_text(fixture *f, const char *want)
{
    assert_int_equal(jsonw_finish(&f->w), SH_OK);
    assert_string_equal(f->b.data, want);
}

static json_t *parse(const buf *b)
{
    json_error_t jerr;
    json_t *v = json_loadb(b->data, b->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!v)
        fail_msg("writer output does not parse: %s: %s", jerr.text, b->data);
    return v;
}

static void test_every_control_char_is_escaped(void **state)
{
    fixture *f = *state;
    char in[0x20];
    for (int c = 1; c < 0x20; c++)
        in[c - 1] = (char)c;
    jsonw_array_begin(&f->w);
    jsonw_stringn(&f->w, in, 0x1f);
    jsonw_stringn(&f->w, "\0", 1); /* an embedded NUL, given by length */
    jsonw_string(&f->w, "q\"b\\s/");
    jsonw_array_end(&f->w);
    expect_text(f, "[\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
                   "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
                   "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\","
                   "\"\\u0000\",\"q\\\"b\\\\s/\"]");
    /* and each parses back to the same byte */
    json_t *v = parse(&f->b);
    const char *s = json_string_value(json_array_get(v, 0));
    assert_int_equal(json_string_length(json_array_get(v, 0)), 0x1f);
    assert_memory_equal(s, in, 0x1f);
    json_decref(v);
}

static void test_unicode_kept_and_line_separators_escaped(void **state)
{
    fixture *f = *state;
    jsonw_array_begin(&f->w);
    jsonw_string(&f->w, "caf\xc3\xa9 \xe2\x80\xa8 \xe2\x80\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    jsonw_string(&f->w, "\xe2\x80"); /* cut short at the end: copied as it is */
    jsonw_array_end(&f->w);
    expect_text(f, "[\"caf\xc3\xa9 \\u2028 \\u2029 \xe2\x82\xac \xf0\x9f\x98\x80\",\"\xe2\x80\"]");
}

/* Strings are scanned eight bytes at a time: every ASCII byte at every
 * position of a word, and U+2028 across word boundaries, must still be
 * found (an unescaped control character would not parse back). */
static void test_escapes_found_at_every_position(void **state)
{
    (void)state;
    for (int c = 0; c < 0x80; c++)
        for (size_t pos = 0; pos < 17; pos++) {
            char in[17];
            memset(in, 'a', sizeof in);
            in[pos] = (char)c;
            buf b;
            jsonw w;
            buf_init(&b, 256);
            jsonw_init(&w, &b, false);
            jsonw_stringn(&w, in, sizeof in);
            assert_int_equal(jsonw_finish(&w), SH_OK);
            json_t *v = parse(&b);
            assert_int_equal(json_string_length(v), sizeof in);
            assert_memory_equal(json_string_value(v), in, sizeof in);
            json_decref(v);
            buf_free(&b);
        }
    for (size_t pos = 0; pos < 14; pos++) {
        char in[17];
        memset(in, 'a', sizeof in);
        memcpy(in + pos, "\xe2\x80\xa9", 3);
        buf b;
        jsonw w;
        buf_init(&b, 256);
        jsonw_init(&w, &b, false);
        jsonw_stringn(&w, in, sizeof in);
        assert_int_equal(jsonw_finish(&w), SH_OK);
        assert_non_null(strstr(b.data, "\\u2029"));
        buf_free(&b);
    }
}

static void test_nesting_and_commas(void **state)
{
    fixture *f = *state;
    jsonw_object_begin(&f->w);
    jsonw_kv_int(&f->w, "a", 1);
    jsonw_key(&f->w, "b");
    jsonw_array_begin(&f->w);
    jsonw_array_end(&f->w);
    jsonw_key(&f->w, "c");
    jsonw_object_begin(&f->w);
    jsonw_object_end(&f->w);
    jsonw_key(&f->w, "d");
    jsonw_array_begin(&f->w);
    jsonw_null(&f->w);
    jsonw_bool(&f->w, true);
    jsonw_bool(&f->w, false);
    jsonw_object_begin(&f->w);
    jsonw_kv_string(&f->w, "e", "f");
    jsonw_kv_string_or_null(&f->w, "g", "");
    jsonw_kv_string_or_null(&f->w, "h", NULL);
    jsonw_kv_string_or_null(&f->w, "i", "j");
    jsonw_object_end(&f->w);
    jsonw_array_end(&f->w);
    jsonw_kv_bool(&f->w, "k", false);
    jsonw_kv_null(&f->w, "l");
    jsonw_key(&f->w, "m");
    jsonw_plain(&f->w, "2026-11-01", 10);
    jsonw_object_end(&f->w);
    expect_text(f, "{\"a\":1,\"b\":[],\"c\":{},\"d\":[null,true,false,{\"e\":\"f\",\"g\":null,"
                   "\"h\":null,\"i\":\"j\"}],\"k\":false,\"l\":null,\"m\":\"2026-11-01\"}");
}

static void test_numbers(void **state)
{
    fixture *f = *state;
    jsonw_array_begin(&f->w);
    jsonw_int(&f->w, 0);
    jsonw_int(&f->w, -7);
    jsonw_int(&f->w, INT64_MAX);
    jsonw_int(&f->w, INT64_MIN);
    jsonw_tenths(&f->w, 201);
    jsonw_tenths(&f->w, 200);
    jsonw_tenths(&f->w, 5);
    jsonw_tenths(&f->w, -5);
    jsonw_tenths(&f->w, 0);
    jsonw_array_end(&f->w);
    expect_text(f, "[0,-7,9223372036854775807,-9223372036854775808,20.1,20.0,0.5,-0.5,0.0]");
}

static void test_keys_are_escaped(void **state)
{
    fixture *f = *state;
    jsonw_object_begin(&f->w);
    jsonw_kv_int(&f->w, "a\"\n", 1);
    jsonw_object_end(&f->w);
    expect_text(f, "{\"a\\\"\\n\":1}");
}

static void test_depth_ceiling(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < JSONW_MAX_DEPTH; i++)
        assert_int_equal(jsonw_array_begin(&f->w), SH_OK);
    assert_int_equal(jsonw_array_begin(&f->w), SH_EINVAL);
    /* sticky: nothing more is written, and finish reports it */
    size_t len = f->b.len;
    assert_int_equal(jsonw_array_end(&f->w), SH_EINVAL);
    assert_int_equal(f->b.len, len);
    assert_int_equal(jsonw_finish(&f->w), SH_EINVAL);
}

static void test_buffer_ceiling(void **state)
{
    (void)state;
    buf b;
    jsonw w;
    buf_init(&b, 16);
    jsonw_init(&w, &b, false);
    jsonw_array_begin(&w);
    assert_int_equal(jsonw_string(&w, "0123456789"), SH_OK);
    assert_int_equal(jsonw_string(&w, "0123456789"), SH_ELIMIT);
    assert_int_equal(jsonw_int(&w, 1), SH_ELIMIT);
    assert_int_equal(jsonw_finish(&w), SH_ELIMIT);
    assert_true(b.len <= 16);
    buf_free(&b);
}

static void test_misuse_is_refused(void **state)
{
    (void)state;
    buf b;
    jsonw w;
    buf_init(&b, 1024);
    /* a value where a key is due */
    jsonw_init(&w, &b, false);
    jsonw_object_begin(&w);
    assert_int_equal(jsonw_int(&w, 1), SH_EINVAL);
    /* a key in an array, and a key at the top */
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    jsonw_array_begin(&w);
    assert_int_equal(jsonw_key(&w, "a"), SH_EINVAL);
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    assert_int_equal(jsonw_key(&w, "a"), SH_EINVAL);
    /* mismatched and unbalanced ends */
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    jsonw_array_begin(&w);
    assert_int_equal(jsonw_object_end(&w), SH_EINVAL);
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    assert_int_equal(jsonw_array_end(&w), SH_EINVAL);
    /* a key without its value; an unclosed container; two top-level values */
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    jsonw_object_begin(&w);
    jsonw_key(&w, "a");
    assert_int_equal(jsonw_object_end(&w), SH_EINVAL);
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    jsonw_object_begin(&w);
    assert_int_equal(jsonw_finish(&w), SH_EINVAL);
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    jsonw_null(&w);
    assert_int_equal(jsonw_null(&w), SH_EINVAL);
    /* nothing at all */
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    assert_int_equal(jsonw_finish(&w), SH_EINVAL);
    /* a caller's own failure is kept, and only the first */
    buf_reset(&b);
    jsonw_init(&w, &b, false);
    jsonw_array_begin(&w);
    assert_int_equal(jsonw_fail(&w, SH_ENOMEM), SH_ENOMEM);
    assert_int_equal(jsonw_fail(&w, SH_EINVAL), SH_ENOMEM);
    assert_int_equal(jsonw_array_end(&w), SH_ENOMEM);
    assert_int_equal(jsonw_finish(&w), SH_ENOMEM);
    buf_free(&b);
}

/* Pretty mode is jansson's JSON_INDENT(2) layout, byte for byte. */
static void test_pretty_matches_jansson(void **state)
{
    (void)state;
    buf b;
    jsonw w;
    buf_init(&b, 4096);
    jsonw_init(&w, &b, true);
    jsonw_object_begin(&w);
    jsonw_kv_string(&w, "stage", "plan");
    jsonw_key(&w, "deadlines");
    jsonw_array_begin(&w);
    jsonw_object_begin(&w);
    jsonw_kv_int(&w, "n", 1);
    jsonw_kv_null(&w, "done");
    jsonw_object_end(&w);
    jsonw_int(&w, 2);
    jsonw_array_end(&w);
    jsonw_key(&w, "empty");
    jsonw_array_begin(&w);
    jsonw_array_end(&w);
    jsonw_key(&w, "none");
    jsonw_object_begin(&w);
    jsonw_object_end(&w);
    jsonw_key(&w, "weeks");
    jsonw_tenths(&w, 201);
    jsonw_object_end(&w);
    assert_int_equal(jsonw_finish(&w), SH_OK);
    json_t *v = parse(&b);
    char *want = json_dumps(v, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    size_t n = strlen(want);
    assert_int_equal(b.len, n + 1);
    assert_memory_equal(b.data, want, n);
    assert_int_equal(b.data[n], '\n'); /* and a final newline */
    free(want);
    json_decref(v);
    buf_free(&b);
}

/* ---- randomized round trip ---------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A random valid UTF-8 string: ASCII (controls and quotes included), 2-,
 * 3- and 4-byte characters, U+2028. Returns its length. */
static size_t random_text(char *out, size_t cap)
{
    static const char *const pieces[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                         "\xe2\x80\xa8", "\"", "\\", "/"};
    size_t n = 0, want = rnd() % 24;
    for (size_t i = 0; i < want && n + 4 < cap; i++) {
        if (rnd() % 3) {
            out[n++] = (char)(rnd() % 0x80); /* may be NUL: written by length */
        } else {
            const char *p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];
            memcpy(out + n, p, strlen(p));
            n += strlen(p);
        }
    }
    return n;
}

/* Writes a random value with w and builds the same value with jansson. */
static json_t *random_value(jsonw *w, int depth)
{
    char text[128];
    size_t n;
    int64_t i;
    switch (rnd() % (depth < 4 ? 6 : 4)) {
    case 0:
        n = random_text(text, sizeof text);
        jsonw_stringn(w, text, n);
        return json_stringn(text, n);
    case 1:
        i = (int64_t)rnd();
        jsonw_int(w, i);
        return json_integer(i);
    case 2: {
        bool v = rnd() & 1;
        jsonw_bool(w, v);
        return json_boolean(v);
    }
    case 3:
        jsonw_null(w);
        return json_null();
    case 4: {
        json_t *a = json_array();
        jsonw_array_begin(w);
        for (uint64_t k = rnd() % 5; k > 0; k--)
            json_array_append_new(a, random_value(w, depth + 1));
        jsonw_array_end(w);
        return a;
    }
    default: {
        json_t *o = json_object();
        jsonw_object_begin(w);
        for (uint64_t k = rnd() % 5; k > 0; k--) {
            char key[16];
            snprintf(key, sizeof key, "k%llu", (unsigned long long)k);
            jsonw_key(w, key);
            json_object_set_new(o, key, random_value(w, depth + 1));
        }
        jsonw_object_end(w);
        return o;
    }
    }
}

static void test_random_round_trip(void **state)
{
    (void)state;
    for (int round = 0; round < 2000; round++) {
        buf b;
        jsonw w;
        buf_init(&b, 1u << 20);
        jsonw_init(&w, &b, round % 2 == 1);
        json_t *want = random_value(&w, 0);
        assert_int_equal(jsonw_finish(&w), SH_OK);
        json_t *got = parse(&b);
        if (!json_equal(got, want))
            fail_msg("round %d: %s", round, b.data);
        json_decref(got);
        json_decref(want);
        buf_free(&b);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_every_control_char_is_escaped),
        T(test_unicode_kept_and_line_separators_escaped),
        T(test_escapes_found_at_every_position),
        T(test_nesting_and_commas),
        T(test_numbers),
        T(test_keys_are_escaped),
        T(test_depth_ceiling),
        T(test_buffer_ceiling),
        T(test_misuse_is_refused),
        T(test_pretty_matches_jansson),
        T(test_random_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
