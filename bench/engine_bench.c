/*
 * engine_bench.c — data generator and clock-engine fold for bench/engine.sh.
 *
 *   engine_bench gen DB N SEED   writes N synthetic EHC journeys into a new
 *                                SQLite database through the store API
 *   engine_bench fold DB [THREADS]
 *                                streams every journey (store_journeys_scan)
 *                                through journey_compute at a fixed as_of and
 *                                prints what it counted and the elapsed time;
 *                                THREADS (default: the online cores) case-id
 *                                ranges, each on its own connection and thread
 *   engine_bench scan DB [THREADS]  diagnostic: the same scan without the engine
 *
 * Everything is synthetic (never real children's data) and a pure function
 * of (N, SEED): a splitmix64 PRNG, no clock reads except for timing and the
 * store's own created_at/recorded_at stamps.
 *
 * Journeys (la_code "990"): request_received; decision_to_assess (~20%
 * refused, which ends the journey); for assessed ones 3-4 advice
 * requested/received pairs, an occasional reg 10(4) exception, either a
 * decision_not_to_issue (~5%) or draft and final plans, and for about half the
 * plans an annual review meeting and decision (some amend, some cease).
 * About 8% carry a correction of an advice_received date. Events dated after
 * the as_of date are dropped, so recent journeys are in progress.
 */
#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "core/date.h"
#include "core/event.h"
#include "core/journey.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* Bump when the generated data change shape: bench/engine.sh regenerates its
 * database when this, N, the seed or the schema differ from its stamp. */
#define GEN_VERSION 1
#define BENCH_LA "990"
#define BATCH_CASES 50000
#define MAX_EV 32
#define ARENA_LIMIT (16u << 20)
#define MAX_THREADS 16

/* ---- PRNG ---------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi] (inclusive). */
static int rnd(int lo, int hi)
{
    return lo + (int)(splitmix64() % (uint64_t)(hi - lo + 1));
}

/* True with probability pct/100. */
static bool chance(int pct)
{
    return (int)(splitmix64() % 100) < pct;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static date_t ymd(int y, int m, int d)
{
    date_t out = DATE_NONE;
    if (date_from_ymd(y, m, d, &out) != SH_OK) {
        fprintf(stderr, "engine_bench: bad date %d-%d-%d\n", y, m, d);
        exit(2);
    }
    return out;
}

/* ---- one generated journey ----------------------------------------------- */

/* An event before ordering: `key` identifies it across the sort, `target`
 * is the key of the event a correction supersedes (0 for none). */
typedef struct {
    event e;
    int key, target;
    event repl; /* a correction's replacement */
} proto;

typedef struct {
    proto p[MAX_EV];
    int n, next_key;
} journey_gen;

static event *add(journey_gen *j, event_type t, date_t d)
{
    proto *p = &j->p[j->n++];
    memset(p, 0, sizeof *p);
    event_init(&p->e, t, d);
    p->key = ++j->next_key;
    return &p->e;
}

static date_t max_date(date_t a, date_t b) { return a > b ? a : b; }

static const event_agency agencies[] = {AGENCY_EDUCATION, AGENCY_HEALTH,
                                        AGENCY_SOCIAL_CARE, AGENCY_PSYCHOLOGY};

/* Builds one journey into j in date order with ids 1..n (log order = date
 * order), dropping what lies after as_of. */
static void gen_journey(journey_gen *j, date_t first_request, date_t as_of)
{
    j->n = 0;
    j->next_key = 0;
    date_t r = first_request + rnd(0, as_of - 1 - first_request);
    add(j, EV_REQUEST_RECEIVED, r);
    date_t dec = r + rnd(14, 56);
    event *e = add(j, EV_DECISION_TO_ASSESS, dec);
    if (chance(20)) {
        e->outcome = OUTCOME_REFUSE;
    } else {
        e->outcome = OUTCOME_ASSESS;
        if (chance(3)) {
            event *x = add(j, EV_EXCEPTION, dec + rnd(1, 30));
            x->exception = (event_exception)rnd(0, EXC_COUNT - 1);
        }
        int pairs = rnd(3, 4);
        int skip = pairs == 3 ? rnd(0, 3) : -1; /* which agency 3 pairs leave out */
        date_t last = dec;
        int received_key[4] = {0};
        int np = 0;
        for (int i = 0; i < 4; i++) {
            if (i == skip)
                continue;
            date_t asked = dec + rnd(0, 10);
            date_t got = asked + rnd(21, 56);
            add(j, EV_ADVICE_REQUESTED, asked)->agency = agencies[i];
            add(j, EV_ADVICE_RECEIVED, got)->agency = agencies[i];
            received_key[np++] = j->next_key;
            last = max_date(last, got);
        }
        if (chance(8)) { /* an advice_received recorded with the wrong date */
            int k = received_key[rnd(0, np - 1)];
            proto *t = NULL;
            for (int i = 0; i < j->n; i++)
                if (j->p[i].key == k)
                    t = &j->p[i];
            date_t td = t->e.date;
            event_agency ag = t->e.agency;
            event *c = add(j, EV_CORRECTION, td + rnd(1, 10));
            proto *cp = &j->p[j->n - 1];
            cp->target = k;
            event_init(&cp->repl, EV_ADVICE_RECEIVED, td - rnd(1, 5));
            cp->repl.agency = ag;
            c->reason = "Advice was received earlier than recorded (date keyed wrongly).";
            c->replacement = &cp->repl;
        }
        if (chance(5)) {
            add(j, EV_DECISION_NOT_TO_ISSUE, last + rnd(7, 40));
        } else {
            date_t draft = last + rnd(5, 30);
            date_t final = draft + rnd(15, 35);
            add(j, EV_DRAFT_PLAN_ISSUED, draft);
            add(j, EV_FINAL_PLAN_ISSUED, final);
            if (chance(50)) {
                date_t meet = final + rnd(300, 390);
                date_t decision = meet + rnd(7, 40);
                add(j, EV_REVIEW_MEETING, meet);
                event *rd = add(j, EV_REVIEW_DECISION, decision);
                int roll = rnd(0, 99);
                if (roll < 12) {
                    rd->outcome = OUTCOME_AMEND;
                    date_t prop = decision + rnd(1, 14);
                    add(j, EV_AMENDMENT_PROPOSED, prop);
                    add(j, EV_AMENDED_PLAN_ISSUED, prop + rnd(20, 70));
                } else if (roll < 16) {
                    rd->outcome = OUTCOME_CEASE;
                    add(j, EV_PLAN_CEASED, decision + rnd(14, 60))->cease_reason = rnd(1, 9);
                } else {
                    rd->outcome = OUTCOME_MAINTAIN;
                }
            }
        }
    }
    /* Stable insertion sort by date: log order follows the calendar. */
    for (int i = 1; i < j->n; i++) {
        proto tmp = j->p[i];
        int k = i - 1;
        while (k >= 0 && j->p[k].e.date > tmp.e.date) {
            j->p[k + 1] = j->p[k];
            k--;
        }
        j->p[k + 1] = tmp;
    }
    /* Drop the future (a correction is always dated after its target). */
    int n = 0;
    while (n < j->n && j->p[n].e.date <= as_of)
        n++;
    j->n = n;
    /* Local ids 1..n; resolve correction targets; fix internal pointers
     * (the sort moved the protos, and with them their replacements). */
    for (int i = 0; i < j->n; i++)
        j->p[i].e.id = i + 1;
    for (int i = 0; i < j->n; i++) {
        proto *p = &j->p[i];
        if (p->e.type != EV_CORRECTION)
            continue;
        p->e.replacement = &p->repl;
        for (int k = 0; k < i; k++)
            if (j->p[k].key == p->target)
                p->e.supersedes = j->p[k].e.id;
    }
}

/* ---- gen ----------------------------------------------------------------- */

static const char *const forenames[] = {
    "Alex", "Sam", "Jordan", "Riley", "Casey", "Morgan", "Taylor", "Jamie", "Robin",
    "Charlie", "Frankie", "Billie", "Rowan", "Ellis", "Harley", "Quinn"};
static const char *const surnames[] = {
    "Example", "Sample", "Placeholder", "Testcase", "Fictional", "Madeup", "Synthetic",
    "Invented", "Dummy", "Mockley", "Pretend", "Notreal"};

static int fail_rc(const char *what, int rc)
{
    fprintf(stderr, "engine_bench: %s: %s\n", what, sh_strerror(rc));
    return 1;
}

static int cmd_gen(const char *db, long n, uint64_t seed)
{
    struct stat sb;
    if (stat(db, &sb) == 0) {
        fprintf(stderr, "engine_bench gen: %s exists; remove it first\n", db);
        return 2;
    }
    rng_state = seed;
    store *s;
    int rc = store_open(db, &s);
    if (rc)
        return fail_rc("store_open", rc);
    rc = store_migrate(s);
    if (rc == SH_OK)
        rc = store_area_put(s, BENCH_LA, "Benchmark (synthetic)");
    if (rc) {
        store_close(s);
        return fail_rc("store_migrate", rc);
    }
    arena *a = arena_create(ARENA_LIMIT);
    static journey_gen jg;
    date_t as_of = ymd(2026, 11, 1), first = ymd(2017, 1, 1);
    long events = 0, rows = 0;
    int64_t stored[MAX_EV];
    double t0 = now_s();
    rc = store_tx_begin(s);
    for (long i = 0; rc == SH_OK && i < n; i++) {
        if (i > 0 && i % BATCH_CASES == 0) {
            rc = store_tx_commit(s);
            if (rc == SH_OK)
                rc = store_tx_begin(s);
            if (rc)
                break;
            if (i % (BATCH_CASES * 4) == 0)
                fprintf(stderr, "engine_bench gen: %ld cases, %.0f rows/s\n", i,
                        (double)rows / (now_s() - t0));
        }
        gen_journey(&jg, first, as_of);
        event ev[MAX_EV];
        for (int k = 0; k < jg.n; k++)
            ev[k] = jg.p[k].e;
        arena_reset(a);
        journey_timeline t;
        journey_error err;
        rc = journey_compute(ev, (size_t)jg.n, as_of, a, &t, &err);
        if (rc) {
            fprintf(stderr, "engine_bench gen: journey %ld rejected: event %zu field %s: %s\n",
                    i, err.index, err.field ? err.field : "?",
                    err.message ? err.message : "?");
            break;
        }
        store_child c;
        memset(&c, 0, sizeof c);
        memcpy(c.la_code, BENCH_LA, sizeof c.la_code);
        c.forename = forenames[splitmix64() % (sizeof forenames / sizeof *forenames)];
        c.surname = surnames[splitmix64() % (sizeof surnames / sizeof *surnames)];
        c.date_of_birth = jg.p[0].e.date - rnd(3 * 365, 16 * 365);
        c.sen_need[0] = c.sen_need[1] = -1;
        rc = store_child_insert(s, &c);
        if (rc)
            break;
        store_case kase;
        memset(&kase, 0, sizeof kase);
        memcpy(kase.la_code, BENCH_LA, sizeof kase.la_code);
        kase.child_id = c.id;
        kase.coordinator = "bench.coordinator";
        app_summary_from_timeline(&t, jg.n, &kase.summary);
        rc = store_case_insert(s, &kase);
        for (int k = 0; rc == SH_OK && k < jg.n; k++) {
            event e = ev[k];
            e.id = 0;
            if (e.type == EV_CORRECTION)
                e.supersedes = stored[e.supersedes - 1];
            rc = store_event_insert(s, BENCH_LA, kase.id, &e, "bench");
            stored[k] = e.id;
        }
        events += jg.n;
        rows += 2 + jg.n;
    }
    if (rc == SH_OK)
        rc = store_tx_commit(s);
    else
        store_tx_rollback(s);
    double el = now_s() - t0;
    arena_destroy(a);
    store_close(s);
    if (rc)
        return fail_rc("gen", rc);
    printf("gen: %ld journeys, %ld events, %ld rows in %.2f s (%.0f rows/s, %.0f journeys/s)\n",
           n, events, rows, el, (double)rows / el, (double)n / el);
    return 0;
}

/* ---- fold ----------------------------------------------------------------- */

typedef struct {
    date_t as_of;
    long journeys, events, deadlines, overdue, within20, finals, invalid;
    long stages[STAGE_COUNT];
    uint64_t checksum; /* folds every due date, so nothing can be skipped */
} fold_ctx;

/* One worker: the journeys with case ids in [first, last], on its own
 * connection and arena (store.h: a store belongs to one thread). */
typedef struct {
    const char *db;
    int64_t first, last;
    bool compute;
    fold_ctx f;
    arena *a; /* the scan's arena, reset by the store between cases */
    int rc;
    pthread_t tid;
} fold_job;

static int fold_cb(void *vjob, int64_t case_id, const char *la_code, const event *events,
                   size_t n)
{
    (void)case_id;
    (void)la_code;
    fold_job *job = vjob;
    fold_ctx *ctx = &job->f;
    ctx->journeys++;
    ctx->events += (long)n;
    if (!job->compute) { /* `scan`: the store alone */
        ctx->checksum += (uint64_t)(uint32_t)events[n - 1].date;
        return 0;
    }
    journey_timeline t;
    journey_error err;
    /* The events live in the same arena; the timeline goes after them and
     * both die at the store's reset before the next case. */
    int rc = journey_compute(events, n, ctx->as_of, job->a, &t, &err);
    if (rc) {
        ctx->invalid++;
        return 0;
    }
    ctx->deadlines += (long)t.n_deadlines;
    for (size_t i = 0; i < t.n_deadlines; i++) {
        const journey_deadline *d = &t.deadlines[i];
        ctx->overdue += d->status == STEP_OVERDUE;
        ctx->checksum = ctx->checksum * 31 + (uint64_t)(uint32_t)d->due +
                        (uint64_t)d->status;
    }
    ctx->within20 += t.within_20_weeks == 1;
    ctx->finals += t.within_20_weeks >= 0;
    ctx->stages[t.stage]++;
    return 0;
}

static void *fold_run(void *arg)
{
    fold_job *job = arg;
    store *s;
    job->f.as_of = ymd(2026, 11, 1);
    job->rc = store_open(job->db, &s);
    if (job->rc)
        return NULL;
    job->a = arena_create(ARENA_LIMIT);
    job->rc = job->a ? store_journeys_scan(s, NULL, job->first, job->last, job->a, fold_cb, job)
                     : SH_ENOMEM;
    arena_destroy(job->a);
    store_close(s);
    return NULL;
}

/* fold (compute) or scan (no engine) over every case, split into `threads`
 * case-id ranges scanned in parallel, one connection each. */
static int cmd_fold(const char *db, bool compute, int threads)
{
    struct stat sb;
    if (stat(db, &sb) != 0) {
        fprintf(stderr, "engine_bench: %s: %s\n", db, strerror(errno));
        return 2;
    }
    const char *what = compute ? "fold" : "scan";
    static fold_job jobs[MAX_THREADS];
    store *s;
    int64_t lo, hi;
    double t0 = now_s();
    int rc = store_open(db, &s);
    if (rc == SH_OK) {
        rc = store_case_id_range(s, NULL, &lo, &hi);
        /* Held open while the workers run: with WAL the first connection
         * sets up the shared index, so the workers never race to do it. */
    }
    if (rc) {
        store_close(s);
        return fail_rc("store_case_id_range", rc);
    }
    int64_t span = hi >= lo ? (hi - lo) / threads + 1 : 1;
    for (int i = 0; i < threads; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].db = db;
        jobs[i].compute = compute;
        jobs[i].first = lo + i * span;
        jobs[i].last = i == threads - 1 ? hi : lo + (i + 1) * span - 1;
        if (threads == 1) {
            fold_run(&jobs[0]);
        } else if (pthread_create(&jobs[i].tid, NULL, fold_run, &jobs[i]) != 0) {
            fprintf(stderr, "engine_bench: pthread_create failed\n");
            exit(2); /* threads already started still hold the database */
        }
    }
    fold_ctx f;
    memset(&f, 0, sizeof f);
    for (int i = 0; i < threads; i++) {
        if (threads > 1)
            pthread_join(jobs[i].tid, NULL);
        const fold_ctx *g = &jobs[i].f;
        if (jobs[i].rc && !rc)
            rc = jobs[i].rc;
        f.journeys += g->journeys;
        f.events += g->events;
        f.deadlines += g->deadlines;
        f.overdue += g->overdue;
        f.within20 += g->within20;
        f.finals += g->finals;
        f.invalid += g->invalid;
        for (int k = 0; k < STAGE_COUNT; k++)
            f.stages[k] += g->stages[k];
        f.checksum = f.checksum * 1000003 ^ g->checksum; /* order of ranges is fixed */
    }
    double el = now_s() - t0;
    store_close(s);
    if (rc)
        return fail_rc("store_journeys_scan", rc);
    if (!compute) {
        printf("scan: journeys=%ld events=%ld checksum=%016" PRIx64 "\n"
               "scan: %d thread(s), %.3f s, %.0f journeys/s, %.0f events/s\n",
               f.journeys, f.events, f.checksum, threads, el, (double)f.journeys / el,
               (double)f.events / el);
        return 0;
    }
    printf("%s: journeys=%ld events=%ld deadlines=%ld overdue=%ld within_20_weeks=%ld "
           "of %ld final plans invalid=%ld checksum=%016" PRIx64 "\n",
           what, f.journeys, f.events, f.deadlines, f.overdue, f.within20, f.finals,
           f.invalid, f.checksum);
    printf("%s: stages", what);
    for (int i = 0; i < STAGE_COUNT; i++)
        printf(" %s=%ld", journey_stage_name((journey_stage)i), f.stages[i]);
    printf("\n%s: %d thread(s), %.3f s, %.0f journeys/s, %.0f events/s\n", what, threads, el,
           (double)f.journeys / el, (double)f.events / el);
    return f.invalid ? 3 : 0;
}

/* ---- main ---------------------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr, "usage: engine_bench gen DB N SEED\n"
                    "       engine_bench fold DB [THREADS]   (default: the online cores)\n"
                    "       engine_bench scan DB [THREADS]   (diagnostic: the store scan alone)\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "gen") == 0) {
        char *end;
        errno = 0;
        long n = strtol(argv[3], &end, 10);
        if (errno || *end || n < 1 || n > 100000000)
            return usage();
        uint64_t seed = strtoull(argv[4], &end, 10);
        if (*end)
            return usage();
        return cmd_gen(argv[2], n, seed);
    }
    if ((argc == 3 || argc == 4) &&
        (strcmp(argv[1], "fold") == 0 || strcmp(argv[1], "scan") == 0)) {
        char *end = NULL;
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        if (cores < 1)
            cores = 1;
        long threads = argc == 4 ? strtol(argv[3], &end, 10)
                                 : cores > MAX_THREADS ? MAX_THREADS : cores;
        if ((end && *end) || threads < 1 || threads > MAX_THREADS)
            return usage();
        return cmd_fold(argv[2], strcmp(argv[1], "fold") == 0, (int)threads);
    }
    return usage();
}
