/*
 * waits_bench.c — data generator, waiting-list statistics and forecast
 * back-test for bench/waits.sh.
 *
 *   waits_bench gen DB N SEED   writes one autism assessment pathway with N
 *                               synthetic referrals (and their clock stops)
 *                               into a new SQLite database through the store
 *   waits_bench stats DB        store_referrals_load_since (the referrals
 *                               still listed when the trend starts) +
 *                               wait_report_compute: wait bands, % within the
 *                               standard, median and 92nd percentile, long
 *                               waits, seen in the last 28 days and a
 *                               24-month trend; prints them, and on stderr
 *                               where the time went
 *   waits_bench stats-all DB    the same from every referral (a check)
 *   waits_bench backtest DB [LA CODE AS_OF FROM_WEEKS TO_WEEKS]
 *                               forecast_backtest over the history (what
 *                               bench/RESULTS.md reports as the model's error)
 *                               and the forecast at as_of with +0 / +N
 *                               capacity; by default the generated pathway,
 *                               else any pathway of any sendhub database
 *                               (the demo's, say)
 *
 * Everything is synthetic (never real children's data) and a pure function
 * of (N, SEED): a splitmix64 PRNG; the store stamps created_at itself.
 *
 * The history (la_code "991", as at 20 November 2026): referrals arrive
 * evenly over five years; the clinic sees a fixed number a week, urgent
 * first, then first come first served, below the rate of referrals that
 * stay (62% of all arrivals, 75% in the last year after a waiting list
 * initiative, against about 85% that are not rejected, redirected or
 * discharged), so the list and the waits grow into years as in the facts
 * file §7.2. About 10% are rejected and 3%
 * redirected at triage 1-6 weeks after referral; 3% are discharged unseen;
 * 2% have a clock stop of 2-8 weeks (the family declined appointments).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/forecast.h"
#include "core/wait.h"
#include "store/store.h"
#include "store/store_health.h"
#include "util/arena.h"
#include "util/err.h"

/* Bump when the generated data change shape: bench/waits.sh regenerates its
 * database when this, N, the seed or the schema differ from its stamp. */
#define GEN_VERSION 3
#define BENCH_LA "991"
#define YEARS 5
#define REFERRALS_PER_CHILD 4
#define BATCH 50000
#define ARENA_LIMIT (256u << 20)
#define TREND_MONTHS 24

static uint64_t rng_state;

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static int rnd(int lo, int hi)
{
    return lo + (int)(splitmix64() % (uint64_t)(hi - lo + 1));
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static date_t as_of_date(void)
{
    date_t d = DATE_NONE;
    date_from_ymd(2026, 11, 20, &d);
    return d;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "waits_bench: %s: %s\n", what, sh_strerror(rc));
    return 1;
}

/* ---- gen ------------------------------------------------------------------ */

/* One generated referral before it is stored. */
typedef struct {
    date_t referred, triaged, left, seen;
    wait_triage triage;
    bool urgent, stopped;
} gen_ref;

/* Decides each referral's fate, then serves the clinic week by week. */
static void simulate(gen_ref *g, size_t n, date_t start, date_t as_of)
{
    int days = as_of - start + 1;
    for (size_t i = 0; i < n; i++) {
        gen_ref *r = &g[i];
        memset(r, 0, sizeof *r);
        r->referred = start + (date_t)((uint64_t)i * (uint64_t)days / n);
        r->triaged = r->left = r->seen = DATE_NONE;
        r->urgent = rnd(1, 100) <= 3;
        int fate = rnd(1, 100);
        date_t triage = r->referred + rnd(7, 42);
        r->triage = triage <= as_of ? WAIT_TRIAGE_ACCEPTED : WAIT_TRIAGE_PENDING;
        if (triage <= as_of)
            r->triaged = triage;
        if (fate <= 13 && triage <= as_of) {
            r->triage = fate <= 10 ? WAIT_TRIAGE_REJECTED : WAIT_TRIAGE_REDIRECTED;
            r->left = triage;
        } else if (fate <= 16) {
            r->left = r->referred + rnd(60, 400); /* discharged if not seen by then */
        }
        r->stopped = rnd(1, 100) <= 2;
    }
    /* FIFO within priority; capacity a fixed share of the arrival rate */
    double arrivals = (double)n / (days / 7.0);
    size_t head[2] = {0, 0};
    for (date_t week = start; week <= as_of; week += 7) {
        int capacity = (int)(arrivals * (as_of - week < 365 ? 0.75 : 0.62));
        for (int urgent = 1; urgent >= 0; urgent--) {
            size_t *h = &head[urgent];
            while (capacity > 0 && *h < n && g[*h].referred <= week + 6) {
                gen_ref *r = &g[(*h)++];
                bool refused = r->triage == WAIT_TRIAGE_REJECTED ||
                               r->triage == WAIT_TRIAGE_REDIRECTED;
                if (r->urgent != (urgent == 1) || refused ||
                    (r->left != DATE_NONE && r->left <= week))
                    continue;
                date_t seen = week + rnd(0, 6);
                if (seen < r->referred)
                    seen = r->referred;
                if (seen <= as_of)
                    r->seen = seen;
                capacity--;
            }
        }
    }
}

static int store_generated(store *s, const gen_ref *g, size_t n, const int64_t *children,
                           size_t n_children, int64_t pathway_id, date_t as_of)
{
    int rc = SH_OK;
    for (size_t i = 0; i < n && rc == SH_OK; i++) {
        if (i % BATCH == 0 && (rc = store_tx_begin(s)))
            break;
        const gen_ref *x = &g[i];
        store_referral r;
        memset(&r, 0, sizeof r);
        memcpy(r.la_code, BENCH_LA, sizeof r.la_code);
        r.child_id = children[i % n_children];
        r.pathway_id = pathway_id;
        r.referrer = i % 3 ? "GP" : "School SENCo";
        r.referral_date = x->referred;
        r.priority = x->urgent ? WAIT_PRIORITY_URGENT : WAIT_PRIORITY_ROUTINE;
        r.triage = x->triage;
        r.triage_date = x->triaged;
        r.triage_reason = x->triage == WAIT_TRIAGE_REJECTED     ? "Does not meet the criteria"
                          : x->triage == WAIT_TRIAGE_REDIRECTED ? "Redirected to CAMHS"
                                                                : "";
        r.first_contact = r.assessment_started = r.assessment_completed = DATE_NONE;
        r.discharged = DATE_NONE;
        r.outcome = r.outcome_code = "";
        if (x->seen != DATE_NONE) {
            r.assessment_started = x->seen;
            date_t contact = x->seen - rnd(0, 28);
            r.first_contact = contact < x->referred ? x->referred : contact;
        } else if (x->left != DATE_NONE && x->left <= as_of &&
                   x->triage != WAIT_TRIAGE_REJECTED && x->triage != WAIT_TRIAGE_REDIRECTED) {
            r.discharged = x->left;
        }
        rc = store_referral_insert(s, &r);
        date_t stop = x->referred + rnd(30, 90), restart = stop + rnd(14, 56);
        date_t end = x->seen != DATE_NONE ? x->seen : as_of + 1;
        if (rc == SH_OK && x->stopped && stop < end && r.discharged == DATE_NONE &&
            (r.triage == WAIT_TRIAGE_ACCEPTED || r.triage == WAIT_TRIAGE_PENDING)) {
            store_clock_stop c = {.referral_id = r.id, .stopped = stop,
                                  .restarted = restart < end ? restart : DATE_NONE,
                                  .reason = "Family declined two appointments offered"};
            memcpy(c.la_code, BENCH_LA, sizeof c.la_code);
            /* an open stop only for a child still waiting */
            if (c.restarted != DATE_NONE || x->seen == DATE_NONE)
                rc = store_clock_stop_insert(s, &c);
        }
        if (rc == SH_OK && (i % BATCH == BATCH - 1 || i == n - 1))
            rc = store_tx_commit(s);
    }
    if (rc)
        store_tx_rollback(s);
    return rc;
}

static int gen(const char *db, size_t n, uint64_t seed)
{
    rng_state = seed;
    store *s;
    int rc = store_open(db, &s);
    if (rc)
        return fail("open", rc);
    if ((rc = store_migrate(s)) || (rc = store_area_put(s, BENCH_LA, "Benchmark (synthetic)")))
        return fail("migrate", rc);
    store_pathway p = {.code = "autism", .name = "Autism assessment (under 18)",
                       .provider = "Benchmark Community Health NHS Trust",
                       .standard_weeks = 13, .clock_stop = WAIT_STOP_ASSESSMENT_STARTED,
                       .active = true};
    memcpy(p.la_code, BENCH_LA, sizeof p.la_code);
    date_t as_of = as_of_date(), start = as_of - 365 * YEARS;
    p.capacity_per_week = (int)((double)n / (365.0 * YEARS / 7) * 0.75);
    if ((rc = store_pathway_put(s, &p)))
        return fail("pathway", rc);

    size_t n_children = n / REFERRALS_PER_CHILD + 1;
    int64_t *children = calloc(n_children, sizeof *children);
    gen_ref *g = calloc(n, sizeof *g);
    if (!children || !g)
        return fail("memory", SH_ENOMEM);
    static const char *const names[] = {"Alex", "Sam", "Jo", "Kai", "Noor", "Ravi", "Mia"};
    rc = store_tx_begin(s);
    for (size_t i = 0; i < n_children && rc == SH_OK; i++) {
        store_child c;
        memset(&c, 0, sizeof c);
        memcpy(c.la_code, BENCH_LA, sizeof c.la_code);
        c.forename = names[i % 7];
        c.surname = "Synthetic";
        c.date_of_birth = as_of - rnd(365 * 3, 365 * 16);
        c.sen_need[0] = c.sen_need[1] = -1;
        rc = store_child_insert(s, &c);
        children[i] = c.id;
    }
    if (rc == SH_OK)
        rc = store_tx_commit(s);
    if (rc)
        return fail("children", rc);

    simulate(g, n, start, as_of);
    if ((rc = store_generated(s, g, n, children, n_children, p.id, as_of)))
        return fail("referrals", rc);
    store_close(s);
    printf("gen: referrals=%zu children=%zu capacity_per_week=%d seed=%" PRIu64 "\n", n,
           n_children, p.capacity_per_week, seed);
    free(children);
    free(g);
    return 0;
}

/* ---- stats ---------------------------------------------------------------- */

static int load(const char *db, const char *la, const char *code, date_t since, store **s,
                arena **a, store_pathway *p, wait_set *set, double *load_s)
{
    double t0 = now_s();
    int rc = store_open(db, s);
    if (rc)
        return fail("open", rc);
    *a = arena_create(ARENA_LIMIT);
    if (!*a)
        return fail("arena", SH_ENOMEM);
    if ((rc = store_pathway_by_code(*s, la, code, *a, p)))
        return fail("pathway", rc);
    if ((rc = store_referrals_load_since(*s, la, p->id, since, *a, set)))
        return fail("load", rc);
    *load_s = now_s() - t0;
    return 0;
}

/* all: read every referral rather than those still listed when the trend
 * starts (the script checks that both print the same figures). */
static int stats(const char *db, bool all)
{
    double t_start = now_s(), load_s;
    store *s;
    arena *a;
    store_pathway p;
    wait_set set;
    date_t as_of = as_of_date(), trend_from = date_add_months(as_of, -(TREND_MONTHS - 1));
    /* what the report counts: referrals still listed on the trend's first day */
    int y, m;
    date_to_ymd(trend_from, &y, &m, NULL);
    date_t since = DATE_NONE;
    date_from_ymd(y, m, 1, &since);
    if (load(db, BENCH_LA, "autism", all ? DATE_NONE : since, &s, &a, &p, &set, &load_s))
        return 1;
    wait_params wp = {.as_of = as_of, .clock_stop = p.clock_stop,
                      .standard_weeks = p.standard_weeks, .window_from = DATE_NONE,
                      .trend_from = trend_from, .trend_months = TREND_MONTHS};
    double t1 = now_s();
    wait_report rep;
    int rc = wait_report_compute(&set, &wp, a, &rep);
    if (rc)
        return fail("report", rc);
    double compute_s = now_s() - t1;

    const wait_summary *w = &rep.waiting;
    printf("bands:");
    for (int b = 0; b < WAIT_BAND_COUNT; b++)
        printf("%s%zu", b ? "|" : "", w->band[b]);
    printf("|%zu|%zu|%zu\n", w->over_78, w->over_104, w->count);
    int pm = wait_permille(w->within_standard, w->count);
    printf("waiting=%zu within_%d_weeks=%d.%d%% median=%dd p92=%dd longest=%dd paused=%zu "
           "pending_triage=%zu urgent=%zu\n",
           w->count, p.standard_weeks, pm / 10, pm % 10, w->median_days, w->p92_days,
           w->longest_days, rep.paused, rep.pending_triage, rep.urgent);
    printf("last 28 days: received=%zu seen=%zu (median wait %dd, p92 %dd) left_unseen=%zu\n",
           rep.received, rep.seen.count, rep.seen.median_days, rep.seen.p92_days,
           rep.left_unseen);
    for (int k = 0; k < rep.trend_count; k++) {
        const wait_month *m = &rep.trend[k];
        printf("trend %04d-%02d received=%zu seen=%zu waiting_end=%zu median_end=%dd "
               "p92_end=%dd\n",
               m->year, m->month, m->received, m->seen, m->waiting_end, m->median_days_end,
               m->p92_days_end);
    }
    fprintf(stderr, "stats: referrals=%zu stops=%zu open+load %.1f ms, report %.1f ms, "
                    "total in process %.1f ms\n",
            set.n, set.n_stops, load_s * 1e3, compute_s * 1e3, (now_s() - t_start) * 1e3);
    arena_destroy(a);
    store_close(s);
    return 0;
}

/* ---- back-test -------------------------------------------------------------- */

static void print_backtest(const char *what, const forecast_backtest_result *r)
{
    printf("backtest %s: as_of_dates=%zu compared=%zu mae=%.2f weeks bias=%+.2f weeks "
           "within_4_weeks=%.1f%% beyond_horizon=%zu not_seen=%zu\n",
           what, r->as_of_dates, r->compared, r->mae_weeks, r->bias_weeks,
           r->compared ? 100.0 * (double)r->within_4_weeks / (double)r->compared : 0.0,
           r->beyond_horizon, r->not_seen);
}

/* The back-test of pathway `code` of area `la` as at `as_of`, replayed at
 * as-of dates every 4 weeks from `from_weeks` to `to_weeks` weeks before. */
static int backtest(const char *db, const char *la, const char *code, date_t as_of,
                    int from_weeks, int to_weeks)
{
    double load_s;
    store *s;
    arena *a;
    store_pathway p;
    wait_set set;
    if (load(db, la, code, DATE_NONE, &s, &a, &p, &set, &load_s))
        return 1;
    forecast_backtest_params bp = {.clock_stop = p.clock_stop,
                                   .from = as_of - 7 * from_weeks, .to = as_of - 7 * to_weeks,
                                   .step_weeks = 4, .rate_weeks = 12};
    forecast_backtest_result r;
    double t0 = now_s();
    int rc = forecast_backtest(&set, &bp, &r);
    if (rc)
        return fail("backtest", rc);
    print_backtest("measured-capacity", &r);
    fprintf(stderr, "backtest: %.1f ms\n", (now_s() - t0) * 1e3);

    forecast_rates rates;
    if ((rc = forecast_rates_measure(&set, p.clock_stop, as_of, FORECAST_RATE_WEEKS, &rates)))
        return fail("rates", rc);
    size_t counts[WAIT_PRIORITY_COUNT] = {0};
    uint32_t *pos = arena_alloc(a, (set.n ? set.n : 1) * sizeof *pos);
    if (!pos || (rc = forecast_positions(&set, p.clock_stop, as_of, pos, counts)))
        return fail("positions", rc ? rc : SH_ENOMEM);
    static const int extra[] = {0, 50, 100};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        forecast_input in = {.as_of = as_of,
                             .capacity_per_week = p.capacity_per_week + extra[i],
                             .leave_per_week = rates.leave_per_week};
        memcpy(in.arrivals, rates.arrivals, sizeof in.arrivals);
        memcpy(in.waiting, counts, sizeof in.waiting);
        forecast_model m;
        if ((rc = forecast_build(&in, &m)))
            return fail("forecast", rc);
        char when[32] = "(beyond 10 years)";
        date_t d = forecast_new_referral(&m, WAIT_PRIORITY_ROUTINE);
        if (d != DATE_NONE)
            date_format(d, when);
        printf("forecast capacity %d+%d/week (arrivals %.0f/week, leaving %.2f%%/week, list "
               "%zu): a routine referral today is seen by %s; list in 52 weeks %.0f\n",
               p.capacity_per_week, extra[i],
               rates.arrivals[0] + rates.arrivals[1], 100 * rates.leave_per_week,
               counts[0] + counts[1], when, m.list[52]);
    }
    arena_destroy(a);
    store_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "gen") == 0) {
        long n = strtol(argv[3], NULL, 10);
        if (n < 1000 || n > STORE_REFERRALS_LOAD_MAX)
            return fail("N out of range (1000 .. 2,000,000)", SH_EINVAL);
        return gen(argv[2], (size_t)n, strtoull(argv[4], NULL, 10));
    }
    if (argc == 3 && strcmp(argv[1], "stats") == 0)
        return stats(argv[2], false);
    if (argc == 3 && strcmp(argv[1], "stats-all") == 0)
        return stats(argv[2], true);
    /* as-of dates from 3.5 years to 1 year back: the children waiting then
     * have mostly been seen since, so there is something to compare with */
    if (argc == 3 && strcmp(argv[1], "backtest") == 0)
        return backtest(argv[2], BENCH_LA, "autism", as_of_date(), 182, 52);
    date_t as_of;
    if (argc == 8 && strcmp(argv[1], "backtest") == 0 &&
        date_parse(argv[5], strlen(argv[5]), &as_of) == SH_OK) {
        int from = (int)strtol(argv[6], NULL, 10), to = (int)strtol(argv[7], NULL, 10);
        if (from <= to || to < 0 || from > 520)
            return fail("weeks: FROM > TO >= 0", SH_EINVAL);
        return backtest(argv[2], argv[3], argv[4], as_of, from, to);
    }
    fprintf(stderr, "usage: waits_bench gen DB N SEED | stats DB | stats-all DB | backtest DB"
                    " [LA PATHWAY_CODE AS_OF FROM_WEEKS TO_WEEKS]\n");
    return 2;
}
