/*
 * test_fragment_cache.c — web/fragment_cache: a fragment comes back only
 * under the same key and the same data version, a stale one is dropped,
 * the least recently used entry makes room, oversized ones are not kept,
 * and each thread has its own entries (contract: fragment_cache.h).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/err.h"
#include "web/fragment_cache.h"

/* The numbers kept with a fragment. */
#define KEPT(...) ((const size_t[FRAGMENT_CACHE_EXTRA]){__VA_ARGS__})

static const int64_t V1[STORE_VERSION_LEN] = {1, 7, 100};
static const int64_t V2[STORE_VERSION_LEN] = {1, 7, 101}; /* a change on the connection */
static const int64_t V3[STORE_VERSION_LEN] = {1, 8, 100}; /* a commit by another */

/* The fragment for key under v, or NULL on a miss (copied into the test's buffer). */
static const char *get(buf *b, const char *key, const int64_t v[STORE_VERSION_LEN],
                       size_t extra[FRAGMENT_CACHE_EXTRA])
{
    buf_reset(b);
    return fragment_cache_get(key, v, b, extra) ? (b->data ? b->data : "") : NULL;
}

static void test_hit_only_under_the_same_key_and_version(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 1u << 20);
    size_t extra[FRAGMENT_CACHE_EXTRA];
    assert_null(get(&b, "k1", V1, extra));
    fragment_cache_put("k1", V1, "<table>1</table>", 16, KEPT(250, 17));
    assert_string_equal(get(&b, "k1", V1, extra), "<table>1</table>");
    assert_int_equal(extra[0], 250);
    assert_int_equal(extra[1], 17);
    assert_null(get(&b, "k2", V1, extra));
    assert_null(get(&b, "k1", V2, extra));
    /* a stale entry is gone, even under its old version */
    assert_null(get(&b, "k1", V1, extra));
    fragment_cache_put("k1", V3, "<table>3</table>", 16, KEPT(3));
    assert_null(get(&b, "k1", V1, extra));
    fragment_cache_put("k1", V3, "<table>3</table>", 16, KEPT(3));
    fragment_cache_put("k1", V3, "<table>4</table>", 16, KEPT(4)); /* replaced, not doubled */
    assert_string_equal(get(&b, "k1", V3, extra), "<table>4</table>");
    assert_int_equal(extra[0], 4);
    buf_free(&b);
}

static void test_least_recently_used_makes_room(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 1u << 20);
    size_t extra[FRAGMENT_CACHE_EXTRA];
    char key[16];
    for (int i = 0; i < FRAGMENT_CACHE_SLOTS; i++) {
        snprintf(key, sizeof key, "lru%d", i);
        fragment_cache_put(key, V1, key, strlen(key), KEPT((size_t)i));
    }
    assert_non_null(get(&b, "lru0", V1, extra)); /* lru0 used: lru1 is now the oldest */
    fragment_cache_put("new", V1, "new", 3, KEPT(9));
    assert_null(get(&b, "lru1", V1, extra));
    assert_string_equal(get(&b, "lru0", V1, extra), "lru0");
    assert_string_equal(get(&b, "new", V1, extra), "new");
    for (int i = 2; i < FRAGMENT_CACHE_SLOTS; i++) {
        snprintf(key, sizeof key, "lru%d", i);
        assert_string_equal(get(&b, key, V1, extra), key);
    }
    buf_free(&b);
}

static void test_oversized_is_not_kept(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 2 * FRAGMENT_CACHE_MAX);
    size_t extra[FRAGMENT_CACHE_EXTRA];
    char *big = calloc(1, FRAGMENT_CACHE_MAX + 2);
    assert_non_null(big);
    memset(big, 'x', FRAGMENT_CACHE_MAX + 1);
    fragment_cache_put("big", V1, big, FRAGMENT_CACHE_MAX + 1, KEPT(1));
    assert_null(get(&b, "big", V1, extra));
    fragment_cache_put("big", V1, big, FRAGMENT_CACHE_MAX, KEPT(1));
    assert_non_null(get(&b, "big", V1, extra));
    assert_int_equal(b.len, FRAGMENT_CACHE_MAX);
    /* an answer that cannot take the fragment gets nothing, not half */
    buf small;
    buf_init(&small, 10);
    assert_false(fragment_cache_get("big", V1, &small, extra));
    assert_int_equal(small.len, 0);
    buf_free(&small);
    free(big);
    buf_free(&b);
}

static void *other_thread(void *arg)
{
    buf b;
    buf_init(&b, 1024);
    size_t extra[FRAGMENT_CACHE_EXTRA];
    *(bool *)arg = fragment_cache_get("shared?", V1, &b, extra);
    fragment_cache_put("mine", V1, "theirs", 6, KEPT(0));
    buf_free(&b);
    return NULL;
}

static void test_threads_do_not_share(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 1024);
    size_t extra[FRAGMENT_CACHE_EXTRA];
    fragment_cache_put("shared?", V1, "no", 2, KEPT(0));
    bool seen = true;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, other_thread, &seen), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_false(seen);
    assert_null(get(&b, "mine", V1, extra));
    assert_string_equal(get(&b, "shared?", V1, extra), "no");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_only_under_the_same_key_and_version),
        cmocka_unit_test(test_least_recently_used_makes_room),
        cmocka_unit_test(test_oversized_is_not_kept),
        cmocka_unit_test(test_threads_do_not_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
