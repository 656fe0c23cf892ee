/*
 * test_sample.c — choosing children for an inspection deep dive
 * (core/sample.h): the same seed gives the same children, different seeds
 * different ones, never a child twice, N within 1..SAMPLE_MAX, a population
 * smaller than N given whole, and strata filled in proportion to their
 * sizes (largest remainders for the places left).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/sample.h"
#include "util/err.h"

#define POP 1000

static int strata[POP];
static size_t scratch[POP];

static void fill(int n_strata)
{
    for (int i = 0; i < POP; i++)
        strata[i] = n_strata > 1 ? i % n_strata : 0;
}

static void test_same_seed_same_children(void **state)
{
    (void)state;
    fill(1);
    size_t a[SAMPLE_MAX], b[SAMPLE_MAX], na, nb;
    assert_int_equal(sample_draw(strata, POP, 12, 20261122, scratch, a, &na), SH_OK);
    assert_int_equal(sample_draw(strata, POP, 12, 20261122, scratch, b, &nb), SH_OK);
    assert_int_equal(na, 12);
    assert_int_equal(nb, 12);
    assert_memory_equal(a, b, na * sizeof a[0]);
}

static void test_other_seeds_other_children(void **state)
{
    (void)state;
    fill(1);
    size_t a[SAMPLE_MAX], b[SAMPLE_MAX], na, nb;
    int differ = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        assert_int_equal(sample_draw(strata, POP, 10, seed, scratch, a, &na), SH_OK);
        assert_int_equal(sample_draw(strata, POP, 10, seed + 1000, scratch, b, &nb), SH_OK);
        differ += memcmp(a, b, na * sizeof a[0]) != 0;
    }
    assert_int_equal(differ, 10);
}

/* The first pick of a seed is spread over the whole population, not stuck
 * at one end: over 2000 seeds every tenth of the population is drawn. */
static void test_first_pick_spread(void **state)
{
    (void)state;
    fill(1);
    int tenth[10] = {0};
    for (uint64_t seed = 0; seed < 2000; seed++) {
        size_t out[SAMPLE_MAX], n;
        assert_int_equal(sample_draw(strata, POP, 1, seed, scratch, out, &n), SH_OK);
        assert_int_equal(n, 1);
        assert_true(out[0] < POP);
        tenth[out[0] / 100]++;
    }
    for (int i = 0; i < 10; i++)
        assert_in_range(tenth[i], 120, 280); /* expected 200 each */
}

static void test_no_duplicates(void **state)
{
    (void)state;
    fill(1);
    for (uint64_t seed = 0; seed < 200; seed++) {
        size_t out[SAMPLE_MAX], n;
        assert_int_equal(sample_draw(strata, 25, SAMPLE_MAX, seed, scratch, out, &n), SH_OK);
        assert_int_equal(n, SAMPLE_MAX);
        bool seen[25] = {false};
        for (size_t i = 0; i < n; i++) {
            assert_true(out[i] < 25);
            assert_false(seen[out[i]]);
            seen[out[i]] = true;
        }
    }
}

static void test_bounds(void **state)
{
    (void)state;
    fill(1);
    size_t out[SAMPLE_MAX], n = 99;
    assert_int_equal(sample_draw(strata, POP, 0, 1, scratch, out, &n), SH_EINVAL);
    assert_int_equal(n, 0);
    assert_int_equal(sample_draw(strata, POP, SAMPLE_MAX + 1, 1, scratch, out, &n), SH_EINVAL);
    assert_int_equal(sample_draw(strata, POP, 1, 1, scratch, out, &n), SH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sample_draw(strata, POP, SAMPLE_MAX, 1, scratch, out, &n), SH_OK);
    assert_int_equal(n, SAMPLE_MAX);
    /* Fewer children than asked for: all of them, each once. */
    assert_int_equal(sample_draw(strata, 7, 20, 5, scratch, out, &n), SH_OK);
    assert_int_equal(n, 7);
    unsigned mask = 0;
    for (size_t i = 0; i < n; i++)
        mask |= 1u << out[i];
    assert_int_equal(mask, 0x7f);
    /* Nobody to choose from. */
    assert_int_equal(sample_draw(strata, 0, 5, 5, scratch, out, &n), SH_OK);
    assert_int_equal(n, 0);
    /* A stratum number out of range is refused. */
    int bad[3] = {0, SAMPLE_STRATA_MAX, 1};
    assert_int_equal(sample_draw(bad, 3, 2, 5, scratch, out, &n), SH_EINVAL);
    bad[1] = -1;
    assert_int_equal(sample_draw(bad, 3, 2, 5, scratch, out, &n), SH_EINVAL);
}

/* 600 in stratum 0, 300 in 1, 100 in 2: ten places are 6, 3 and 1; seven
 * places are 4.2, 2.1 and 0.7: floors 4, 2, 0 and the last place to the
 * largest remainder (stratum 2). Strata come out in order. */
static void test_strata_in_proportion(void **state)
{
    (void)state;
    for (int i = 0; i < POP; i++)
        strata[i] = i < 600 ? 0 : i < 900 ? 1 : 2;
    size_t out[SAMPLE_MAX], n;
    const struct {
        size_t want, expect[3];
    } cases[] = {{10, {6, 3, 1}}, {7, {4, 2, 1}}, {1, {1, 0, 0}}, {20, {12, 6, 2}}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (uint64_t seed = 0; seed < 20; seed++) {
            assert_int_equal(sample_draw(strata, POP, cases[c].want, seed, scratch, out, &n),
                             SH_OK);
            assert_int_equal(n, cases[c].want);
            size_t got[3] = {0};
            int last = 0;
            for (size_t i = 0; i < n; i++) {
                int s = strata[out[i]];
                assert_true(s >= last);
                last = s;
                got[s]++;
            }
            assert_memory_equal(got, cases[c].expect, sizeof got);
        }
    }
}

/* A stratum of one child with a large share of places never gets two. */
static void test_small_strata_never_overfilled(void **state)
{
    (void)state;
    int s3[4] = {0, 1, 2, 2};
    size_t out[SAMPLE_MAX], n;
    assert_int_equal(sample_draw(s3, 4, 3, 9, scratch, out, &n), SH_OK);
    assert_int_equal(n, 3);
    size_t got[3] = {0};
    for (size_t i = 0; i < n; i++)
        got[s3[out[i]]]++;
    assert_true(got[0] <= 1 && got[1] <= 1 && got[2] <= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_children),
        cmocka_unit_test(test_other_seeds_other_children),
        cmocka_unit_test(test_first_pick_spread),
        cmocka_unit_test(test_no_duplicates),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_strata_in_proportion),
        cmocka_unit_test(test_small_strata_never_overfilled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
