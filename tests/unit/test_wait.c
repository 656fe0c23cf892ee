/*
 * test_wait.c — waits with clock stops, CHS wait bands, nearest-rank
 * percentiles and the monthly trend (core/wait.h), with worked examples and
 * a cross-check of the one-pass report against a plain recomputation.
 *
 * Reference dates: referral Monday 5 January 2026; 18 weeks later is
 * Monday 11 May 2026 (126 days).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/wait.h"
#include "util/arena.h"
#include "util/err.h"

static date_t D(int y, int m, int d)
{
    date_t out = DATE_NONE;
    assert_int_equal(date_from_ymd(y, m, d, &out), SH_OK);
    return out;
}

static wait_referral ref(int64_t id, date_t referred)
{
    return (wait_referral){.id = id, .referred = referred, .triaged = DATE_NONE,
                           .first_contact = DATE_NONE, .assessment_started = DATE_NONE,
                           .discharged = DATE_NONE};
}

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int m = 0; m < WAIT_STOP_COUNT; m++) {
        wait_milestone back;
        assert_int_equal(wait_milestone_parse(wait_milestone_name((wait_milestone)m), &back), 0);
        assert_int_equal(back, m);
    }
    for (int t = 0; t < WAIT_TRIAGE_COUNT; t++) {
        wait_triage back;
        assert_int_equal(wait_triage_parse(wait_triage_name((wait_triage)t), &back), 0);
        assert_int_equal(back, t);
    }
    for (int p = 0; p < WAIT_PRIORITY_COUNT; p++) {
        wait_priority back;
        assert_int_equal(wait_priority_parse(wait_priority_name((wait_priority)p), &back), 0);
        assert_int_equal(back, p);
    }
    wait_triage t = WAIT_TRIAGE_ACCEPTED;
    assert_int_equal(wait_triage_parse("Rejected", &t), SH_EINVAL);
    assert_int_equal(wait_triage_parse(NULL, &t), SH_EINVAL);
    assert_int_equal(t, WAIT_TRIAGE_ACCEPTED);
    assert_string_equal(wait_milestone_name(WAIT_STOP_ASSESSMENT_STARTED), "assessment_started");
    assert_string_equal(wait_triage_name(WAIT_TRIAGE_COUNT), "");
}

static void test_wait_days_plain(void **state)
{
    (void)state;
    wait_referral r = ref(1, D(2026, 1, 5));
    assert_int_equal(wait_days(&r, NULL, D(2026, 1, 5)), 0);
    assert_int_equal(wait_days(&r, NULL, D(2026, 1, 12)), 7);
    assert_int_equal(wait_days(&r, NULL, D(2026, 5, 11)), 126);
    assert_int_equal(wait_days(&r, NULL, D(2025, 12, 1)), 0); /* before the referral */
    assert_int_equal(wait_days(&r, NULL, DATE_NONE), 0);
}

static void test_wait_days_clock_stops(void **state)
{
    (void)state;
    wait_stop stops[] = {
        {D(2025, 12, 20), D(2026, 1, 10)}, /* starts before the referral: 5 days count */
        {D(2026, 2, 2), D(2026, 2, 16)},   /* 14 days */
        {D(2026, 4, 1), DATE_NONE},        /* still stopped */
    };
    wait_referral r = ref(1, D(2026, 1, 5));
    r.stop_first = 0;
    r.stop_count = 3;
    /* 1 March: 55 days elapsed, minus 5 and 14 stopped */
    assert_int_equal(wait_days(&r, stops, D(2026, 3, 1)), 55 - 5 - 14);
    /* 9 February, in the middle of the second stop: 35 - 5 - 7 */
    assert_int_equal(wait_days(&r, stops, D(2026, 2, 9)), 35 - 5 - 7);
    /* 1 May: the open stop has held the clock since 1 April */
    assert_int_equal(wait_days(&r, stops, D(2026, 5, 1)), 116 - 5 - 14 - 30);
    assert_int_equal(wait_days(&r, stops, D(2026, 5, 1)), wait_days(&r, stops, D(2026, 4, 1)));
    assert_true(wait_is_paused(&r, stops, D(2026, 4, 1)));
    assert_true(wait_is_paused(&r, stops, D(2026, 2, 15)));
    assert_false(wait_is_paused(&r, stops, D(2026, 2, 16))); /* restarted that day */
    assert_false(wait_is_paused(&r, stops, D(2026, 3, 1)));

    /* stops index into the set's array */
    wait_referral r2 = ref(2, D(2026, 1, 5));
    r2.stop_first = 1;
    r2.stop_count = 1;
    assert_int_equal(wait_days(&r2, stops, D(2026, 3, 1)), 55 - 14);
}

static void test_list_membership(void **state)
{
    (void)state;
    wait_referral r = ref(1, D(2026, 1, 5));
    assert_false(wait_is_waiting(&r, WAIT_STOP_FIRST_CONTACT, D(2026, 1, 4)));
    assert_true(wait_is_waiting(&r, WAIT_STOP_FIRST_CONTACT, D(2026, 1, 5)));

    /* the pathway's milestone ends the wait; the other one does not */
    r.first_contact = D(2026, 2, 1);
    assert_false(wait_is_waiting(&r, WAIT_STOP_FIRST_CONTACT, D(2026, 2, 1)));
    assert_true(wait_is_waiting(&r, WAIT_STOP_FIRST_CONTACT, D(2026, 1, 31)));
    assert_true(wait_is_waiting(&r, WAIT_STOP_ASSESSMENT_STARTED, D(2026, 6, 1)));
    r.assessment_started = D(2026, 5, 1);
    assert_false(wait_is_waiting(&r, WAIT_STOP_ASSESSMENT_STARTED, D(2026, 6, 1)));
    assert_int_equal(wait_seen_date(&r, WAIT_STOP_ASSESSMENT_STARTED), D(2026, 5, 1));

    /* rejected at triage: off the list on the triage date, left unseen */
    wait_referral x = ref(2, D(2026, 1, 5));
    x.triage = WAIT_TRIAGE_REJECTED;
    x.triaged = D(2026, 1, 20);
    assert_true(wait_is_waiting(&x, WAIT_STOP_FIRST_CONTACT, D(2026, 1, 19)));
    assert_false(wait_is_waiting(&x, WAIT_STOP_FIRST_CONTACT, D(2026, 1, 20)));
    assert_int_equal(wait_left_date(&x, WAIT_STOP_FIRST_CONTACT), D(2026, 1, 20));

    /* accepted and waiting: triage does not end the wait */
    x.triage = WAIT_TRIAGE_ACCEPTED;
    assert_true(wait_is_waiting(&x, WAIT_STOP_FIRST_CONTACT, D(2026, 3, 1)));
    assert_int_equal(wait_left_date(&x, WAIT_STOP_FIRST_CONTACT), DATE_NONE);

    /* discharged after being seen did not leave unseen */
    x.discharged = D(2026, 9, 1);
    x.first_contact = D(2026, 3, 1);
    assert_int_equal(wait_left_date(&x, WAIT_STOP_FIRST_CONTACT), DATE_NONE);
    /* ... but for a pathway stopped by assessment it did */
    assert_int_equal(wait_left_date(&x, WAIT_STOP_ASSESSMENT_STARTED), D(2026, 9, 1));
}

static void test_bands_boundaries(void **state)
{
    (void)state;
    static const struct { int days; wait_band band; } cases[] = {
        {-3, WAIT_BAND_0_1},    {0, WAIT_BAND_0_1},     {7, WAIT_BAND_0_1},
        {8, WAIT_BAND_1_2},     {14, WAIT_BAND_1_2},    {15, WAIT_BAND_2_4},
        {28, WAIT_BAND_2_4},    {29, WAIT_BAND_4_12},   {84, WAIT_BAND_4_12},
        {85, WAIT_BAND_12_18},  {126, WAIT_BAND_12_18}, {127, WAIT_BAND_18_52},
        {364, WAIT_BAND_18_52}, {365, WAIT_BAND_OVER_52}, {5000, WAIT_BAND_OVER_52},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(wait_band_of(cases[i].days), cases[i].band);
    assert_string_equal(wait_band_label(WAIT_BAND_12_18), "12-18 weeks");
    assert_string_equal(wait_band_label(WAIT_BAND_OVER_52), "over 52 weeks");
    /* exactly 18 weeks is within 18 weeks, a day more is not: the 12-18 band's end */
    assert_true(wait_within_standard(126, 18));
    assert_false(wait_within_standard(127, 18));
    assert_true(wait_within_standard(0, 1));
}

static void test_percentile_nearest_rank(void **state)
{
    (void)state;
    static uint32_t hist[WAIT_HIST_DAYS];
    memset(hist, 0, sizeof hist);
    assert_int_equal(wait_hist_percentile(hist, 0, 50), -1);
    for (int d = 1; d <= 10; d++)
        hist[d] = 1;
    /* ten waits 1..10: median = 5th (ceil 5.0), p92 = 10th (ceil 9.2) */
    assert_int_equal(wait_hist_percentile(hist, 10, 50), 5);
    assert_int_equal(wait_hist_percentile(hist, 10, 92), 10);
    assert_int_equal(wait_hist_percentile(hist, 10, 90), 9);
    assert_int_equal(wait_hist_percentile(hist, 10, 100), 10);
    assert_int_equal(wait_hist_percentile(hist, 10, 0), -1);
    /* 25 waits 1..25: p92 = 23rd */
    memset(hist, 0, sizeof hist);
    for (int d = 1; d <= 25; d++)
        hist[d] = 1;
    assert_int_equal(wait_hist_percentile(hist, 25, 92), 23);
    assert_int_equal(wait_hist_percentile(hist, 25, 50), 13);
    assert_int_equal(wait_permille(925, 1000), 925);
    assert_int_equal(wait_permille(2, 3), 667);
    assert_int_equal(wait_permille(1, 0), -1);
}

/* A small pathway as at Monday 1 June 2026, worked by hand. */
static void test_report_worked(void **state)
{
    (void)state;
    date_t as_of = D(2026, 6, 1);
    wait_referral r[8];
    wait_stop stops[1] = {{D(2026, 5, 1), DATE_NONE}};
    r[0] = ref(1, D(2026, 5, 30));    /* 2 days: 0-1 */
    r[1] = ref(2, D(2026, 5, 1));     /* 31 days but stopped since 1 May: 0 */
    r[1].stop_count = 1;
    r[2] = ref(3, D(2026, 1, 26));    /* 126 days: 12-18, within 18 weeks */
    r[2].priority = WAIT_PRIORITY_URGENT;
    r[2].triage = WAIT_TRIAGE_ACCEPTED;
    r[2].triaged = D(2026, 2, 1);
    r[3] = ref(4, D(2026, 1, 25));    /* 127 days: 18-52 */
    r[4] = ref(5, D(2024, 1, 1));     /* 882 days: over 52, 78 and 104 */
    r[5] = ref(6, D(2026, 2, 1));     /* seen 20 May after 108 days */
    r[5].assessment_started = D(2026, 5, 20);
    r[6] = ref(7, D(2026, 5, 10));    /* rejected 12 May */
    r[6].triage = WAIT_TRIAGE_REJECTED;
    r[6].triaged = D(2026, 5, 12);
    r[7] = ref(8, D(2026, 6, 2));     /* after as_of: ignored */
    wait_set set = {r, 8, stops, 1};
    wait_params p = {.as_of = as_of, .clock_stop = WAIT_STOP_ASSESSMENT_STARTED,
                     .standard_weeks = 18, .window_from = DATE_NONE};
    arena *a = arena_create(1 << 20);
    wait_report rep;
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_OK);
    const wait_summary *w = &rep.waiting;
    assert_int_equal(w->count, 5);
    assert_int_equal(w->band[WAIT_BAND_0_1], 2);
    assert_int_equal(w->band[WAIT_BAND_12_18], 1);
    assert_int_equal(w->band[WAIT_BAND_18_52], 1);
    assert_int_equal(w->band[WAIT_BAND_OVER_52], 1);
    assert_int_equal(w->over_78, 1);
    assert_int_equal(w->over_104, 1);
    assert_int_equal(w->within_standard, 3);
    /* waits 0, 2, 126, 127, 882: median the 3rd, p92 the 5th (ceil 4.6) */
    assert_int_equal(w->median_days, 126);
    assert_int_equal(w->p92_days, 882);
    assert_int_equal(w->longest_days, 882);
    assert_false(w->p92_capped);
    assert_int_equal(rep.paused, 1);
    assert_int_equal(rep.pending_triage, 4);
    assert_int_equal(rep.urgent, 1);
    /* window: the 28 days 5 May .. 1 June */
    assert_int_equal(rep.received, 2);
    assert_int_equal(rep.left_unseen, 1);
    assert_int_equal(rep.seen.count, 1);
    assert_int_equal(rep.seen.median_days, 108);
    assert_int_equal(rep.seen.within_standard, 1);
    assert_null(rep.trend);
    assert_int_equal(rep.trend_count, 0);

    /* a 13-week standard (NICE QS51): only the waits up to 91 days */
    p.standard_weeks = 13;
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_OK);
    assert_int_equal(rep.waiting.within_standard, 2);
    /* the same list stopped by first contact: r[5] is waiting again */
    p.clock_stop = WAIT_STOP_FIRST_CONTACT;
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_OK);
    assert_int_equal(rep.waiting.count, 6);
    assert_int_equal(rep.seen.count, 0);
    assert_int_equal(rep.seen.median_days, -1);
    arena_destroy(a);
}

static void test_report_trend(void **state)
{
    (void)state;
    wait_referral r[4];
    r[0] = ref(1, D(2025, 12, 15)); /* before the trend: counts on the list only */
    r[0].first_contact = D(2026, 2, 10);
    r[1] = ref(2, D(2026, 1, 10));
    r[1].first_contact = D(2026, 1, 31);
    r[2] = ref(3, D(2026, 1, 20));
    r[3] = ref(4, D(2026, 3, 3));
    r[3].triage = WAIT_TRIAGE_REDIRECTED;
    r[3].triaged = D(2026, 3, 5);
    wait_set set = {r, 4, NULL, 0};
    wait_params p = {.as_of = D(2026, 3, 10), .clock_stop = WAIT_STOP_FIRST_CONTACT,
                     .standard_weeks = 18, .window_from = D(2026, 1, 1),
                     .trend_from = D(2026, 1, 17), .trend_months = 6};
    arena *a = arena_create(1 << 20);
    wait_report rep;
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_OK);
    assert_int_equal(rep.trend_count, 3); /* January .. March (as_of's month) */
    const wait_month *m = rep.trend;
    assert_int_equal(m[0].year, 2026);
    assert_int_equal(m[0].month, 1);
    assert_int_equal(m[0].end, D(2026, 1, 31));
    assert_int_equal(m[2].end, D(2026, 3, 10));
    assert_int_equal(m[0].received, 2);
    assert_int_equal(m[0].seen, 1);
    /* 31 January: r0 (47 days) and r2 (11 days); r1 seen that day */
    assert_int_equal(m[0].waiting_end, 2);
    assert_int_equal(m[0].median_days_end, 11);
    assert_int_equal(m[0].p92_days_end, 47);
    /* 28 February: r2 alone, 39 days */
    assert_int_equal(m[1].received, 0);
    assert_int_equal(m[1].seen, 1);
    assert_int_equal(m[1].waiting_end, 1);
    assert_int_equal(m[1].median_days_end, 39);
    /* 10 March: r2 (49 days); r3 redirected on 5 March */
    assert_int_equal(m[2].received, 1);
    assert_int_equal(m[2].waiting_end, 1);
    assert_int_equal(m[2].median_days_end, 49);
    assert_int_equal(rep.waiting.count, 1);
    assert_int_equal(rep.received, 3);
    assert_int_equal(rep.left_unseen, 1);
    arena_destroy(a);
}

static void test_report_invalid(void **state)
{
    (void)state;
    wait_referral r[1] = {ref(1, D(2026, 1, 5))};
    r[0].stop_first = 3;
    r[0].stop_count = 1;
    wait_set set = {r, 1, NULL, 0};
    wait_params good = {.as_of = D(2026, 6, 1), .standard_weeks = 18,
                        .window_from = DATE_NONE};
    arena *a = arena_create(1 << 20);
    wait_report rep;
    assert_int_equal(wait_report_compute(&set, &good, a, &rep), SH_EINVAL); /* stop index */
    r[0].stop_count = 0;
    assert_int_equal(wait_report_compute(&set, &good, a, &rep), SH_OK);
    wait_params p = good;
    p.as_of = DATE_NONE;
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_EINVAL);
    p = good;
    p.standard_weeks = 0;
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_EINVAL);
    p.standard_weeks = WAIT_STANDARD_MAX_WEEKS + 1;
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_EINVAL);
    p = good;
    p.trend_months = WAIT_TREND_MAX_MONTHS + 1;
    p.trend_from = D(2026, 1, 1);
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_EINVAL);
    p.trend_months = 3;
    p.trend_from = D(2026, 7, 1);
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_EINVAL);
    p = good;
    p.window_from = D(2026, 6, 2);
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_EINVAL);
    arena_destroy(a);

    /* an arena too small for the histograms */
    arena *tiny = arena_create(4096);
    assert_int_equal(wait_report_compute(&set, &good, tiny, &rep), SH_ELIMIT);
    arena_destroy(tiny);
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

/* The one-pass report against a plain recomputation: every wait computed
 * on its own, sorted, bands counted with wait_band_of's definition
 * re-stated as day ranges. */
static void test_report_cross_check(void **state)
{
    (void)state;
    enum { N = 5000 };
    static wait_referral r[N];
    static wait_stop stops[N];
    static int waits[N];
    size_t n_stops = 0;
    srand(7);
    date_t base = D(2022, 1, 1), as_of = D(2026, 6, 1);
    for (int i = 0; i < N; i++) {
        r[i] = ref(i + 1, base + rand() % (as_of - base + 1));
        if (rand() % 3 == 0)
            r[i].first_contact = r[i].referred + rand() % 900;
        if (rand() % 10 == 0) {
            stops[n_stops] = (wait_stop){r[i].referred + rand() % 60, DATE_NONE};
            if (rand() % 2)
                stops[n_stops].restarted = stops[n_stops].stopped + 1 + rand() % 90;
            r[i].stop_first = (uint32_t)n_stops++;
            r[i].stop_count = 1;
        }
    }
    wait_set set = {r, N, stops, n_stops};
    wait_params p = {.as_of = as_of, .clock_stop = WAIT_STOP_FIRST_CONTACT,
                     .standard_weeks = 13, .window_from = DATE_NONE};
    arena *a = arena_create(1 << 20);
    wait_report rep;
    assert_int_equal(wait_report_compute(&set, &p, a, &rep), SH_OK);

    size_t n = 0, band[WAIT_BAND_COUNT] = {0}, within = 0;
    static const int lo[WAIT_BAND_COUNT] = {0, 8, 15, 29, 85, 127, 365};
    for (int i = 0; i < N; i++) {
        if (r[i].first_contact != DATE_NONE && r[i].first_contact <= as_of)
            continue;
        int w = wait_days(&r[i], stops, as_of);
        waits[n++] = w;
        int b = WAIT_BAND_COUNT - 1;
        while (w < lo[b])
            b--;
        band[b]++;
        within += w <= 91;
    }
    qsort(waits, n, sizeof waits[0], cmp_int);
    assert_int_equal(rep.waiting.count, n);
    for (int b = 0; b < WAIT_BAND_COUNT; b++)
        assert_int_equal(rep.waiting.band[b], band[b]);
    assert_int_equal(rep.waiting.within_standard, within);
    assert_int_equal(rep.waiting.median_days, waits[(n + 1) / 2 - 1]);
    assert_int_equal(rep.waiting.p92_days, waits[(92 * n + 99) / 100 - 1]);
    assert_int_equal(rep.waiting.longest_days, waits[n - 1]);
    arena_destroy(a);
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_names_round_trip),
        T(test_wait_days_plain),
        T(test_wait_days_clock_stops),
        T(test_list_membership),
        T(test_bands_boundaries),
        T(test_percentile_nearest_rank),
        T(test_report_worked),
        T(test_report_trend),
        T(test_report_invalid),
        T(test_report_cross_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
