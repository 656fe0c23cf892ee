/*
 * dashboard.c — folding an area's journeys into the dashboard's figures
 * (dashboard.h).
 */
#include "app/dashboard.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "store/store_dash.h"
#include "util/err.h"

#define SCAN_ARENA (16u << 20) /* one journey and its timeline (2,000 events at most) */

typedef struct {
    int64_t case_id;
    date_t date_of_birth;
    int8_t sen_need;
    int8_t setting;
} child_facts;

typedef struct {
    child_facts *v;
    size_t n, cap;
} facts_list;

static int facts_cb(void *ctx, const store_dash_case *c)
{
    facts_list *f = ctx;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 4096;
        if (cap > DASHBOARD_CASES_MAX)
            cap = DASHBOARD_CASES_MAX;
        if (f->n == cap)
            return SH_ELIMIT;
        child_facts *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return SH_ENOMEM;
        f->v = v;
        f->cap = cap;
    }
    int need = c->sen_need ? ident_sen_type_parse(c->sen_need, strlen(c->sen_need)) : -1;
    f->v[f->n++] = (child_facts){c->case_id, c->date_of_birth, (int8_t)need,
                                 (int8_t)metrics_setting_kind_of(c->setting_type)};
    return SH_OK;
}

/* One pass over [first, last]: the fold (ids == NULL) or the drill-down. */
typedef struct {
    metrics *m;          /* the fold's, or the drill-down's (read only) */
    const metrics *cm;
    facts_list facts;
    size_t pos;
    arena *a;
    long skipped;
    metrics_counter k;
    int period;
    int64_t *ids;
    size_t cap, n, total;
} pass;

static int pass_cb(void *ctx, int64_t case_id, const char *la_code, const event *events,
                   size_t n)
{
    (void)la_code;
    pass *p = ctx;
    while (p->pos < p->facts.n && p->facts.v[p->pos].case_id < case_id)
        p->pos++;
    const child_facts *f =
        p->pos < p->facts.n && p->facts.v[p->pos].case_id == case_id ? &p->facts.v[p->pos] : NULL;
    journey_timeline t;
    journey_error je;
    if (journey_compute(events, n, p->cm->as_of, p->a, &t, &je) != SH_OK) {
        p->skipped++;
        return SH_OK;
    }
    metrics_case c = {.case_id = case_id, .events = events, .n = n, .t = &t,
                      .date_of_birth = f ? f->date_of_birth : DATE_NONE,
                      .sen_need = f ? f->sen_need : -1,
                      .setting = f ? (metrics_setting_kind)f->setting : SETK_NONE};
    if (!p->ids) {
        metrics_add(p->m, &c);
    } else if (metrics_case_in(p->cm, &c, p->k, p->period)) {
        if (p->n < p->cap)
            p->ids[p->n++] = case_id;
        p->total++;
    }
    return SH_OK;
}

static int run_pass(store *s, const char *la_code, int64_t first, int64_t last, pass *p)
{
    p->a = arena_create(SCAN_ARENA);
    int rc = p->a ? store_dash_cases(s, la_code, first, last, facts_cb, &p->facts) : SH_ENOMEM;
    if (rc == SH_OK)
        rc = store_journeys_scan(s, la_code, first, last, p->a, pass_cb, p);
    arena_destroy(p->a);
    free(p->facts.v);
    p->facts = (facts_list){0};
    return rc;
}

/* ---- the parallel fold --------------------------------------------------- */

typedef struct {
    const char *url, *la_code;
    int64_t first, last;
    metrics *m; /* the part's own, malloc'd */
    long skipped;
    int rc;
    pthread_t tid;
} part;

static void *part_run(void *arg)
{
    part *pt = arg;
    store *s = NULL;
    pass p = {.m = pt->m, .cm = pt->m};
    pt->rc = store_open(pt->url, &s);
    if (pt->rc == SH_OK)
        pt->rc = run_pass(s, pt->la_code, pt->first, pt->last, &p);
    store_close(s);
    pt->skipped = p.skipped;
    return NULL;
}

static int compute_parallel(const char *url, int threads, const char *la_code, int64_t lo,
                            int64_t hi, metrics *m, long *skipped)
{
    part parts[DASHBOARD_THREADS_MAX];
    int started = 0, rc = SH_OK;
    int64_t span = (hi - lo) / threads + 1;
    for (int i = 0; i < threads; i++) {
        parts[i] = (part){.url = url, .la_code = la_code, .first = lo + span * i,
                          .last = i == threads - 1 ? hi : lo + span * (i + 1) - 1};
        parts[i].m = malloc(sizeof *m);
        if (!parts[i].m) {
            rc = SH_ENOMEM;
            break;
        }
        *parts[i].m = *m;
        if (pthread_create(&parts[i].tid, NULL, part_run, &parts[i]) != 0) {
            free(parts[i].m);
            rc = SH_ENOMEM;
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(parts[i].tid, NULL);
        if (rc == SH_OK)
            rc = parts[i].rc;
        if (rc == SH_OK)
            rc = metrics_merge(m, parts[i].m);
        *skipped += parts[i].skipped;
        free(parts[i].m);
    }
    return rc;
}

int dashboard_compute(store *s, const char *url, int threads, const char *la_code,
                      metrics *m, long *skipped)
{
    int64_t lo = 1, hi = 0;
    *skipped = 0;
    int rc = store_case_id_range(s, la_code, &lo, &hi);
    if (rc)
        return rc;
    if (threads > DASHBOARD_THREADS_MAX)
        threads = DASHBOARD_THREADS_MAX;
    if (url && threads > 1 && hi - lo > threads)
        return compute_parallel(url, threads, la_code, lo, hi, m, skipped);
    pass p = {.m = m, .cm = m};
    rc = run_pass(s, la_code, lo, hi, &p);
    *skipped = p.skipped;
    return rc;
}

/* ---- the cache --------------------------------------------------------------- */

/* A slot is keyed once claimed (la and the metrics header), holds a result
 * once `used`, and is `refreshing` while one thread folds it, outside the
 * lock: others meanwhile get the previous result (stale by less than the
 * fold takes) or, with none yet, wait for it on `done`. So an area is
 * folded by one thread at a time and no request waits for a refresh. */
typedef struct {
    bool keyed, used, refreshing;
    char la[STORE_LA_LEN + 1];
    int64_t at;
    metrics m;
    dashboard_waiting w;
} cache_slot;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t done;
    cache_slot slot[DASHBOARD_CACHE_SLOTS];
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

/* Same key: area and everything metrics_init was given (the counts are 0
 * in a fresh m, so only the header is compared). */
static bool same_key(const cache_slot *c, const char *la, const metrics *m)
{
    return c->keyed && strcmp(c->la, la) == 0 && c->m.as_of == m->as_of &&
           c->m.first_year == m->first_year && c->m.years == m->years &&
           c->m.n_custom == m->n_custom &&
           memcmp(c->m.custom, m->custom, m->n_custom * sizeof m->custom[0]) == 0;
}

/* Under the lock: the slot for this key, or a slot to claim for it (the
 * oldest that nobody is refreshing), or NULL when all are busy. */
static cache_slot *find_slot(const char *la, const metrics *m, bool *hit)
{
    cache_slot *victim = NULL;
    for (size_t i = 0; i < DASHBOARD_CACHE_SLOTS; i++) {
        cache_slot *c = &cache.slot[i];
        if (same_key(c, la, m)) {
            *hit = true;
            return c;
        }
        if (!c->refreshing && (!victim || !c->used || (victim->used && c->at < victim->at)))
            victim = c;
    }
    *hit = false;
    return victim;
}

/* The fold and the waiting lists (pathways are an area's: none for
 * England), uncached. */
static int compute_area(store *s, const char *la_code, metrics *m, dashboard_waiting *w)
{
    long skipped = 0;
    int rc = dashboard_compute(s, NULL, 1, la_code, m, &skipped);
    w->n = 0;
    return rc || !la_code ? rc
                          : app_health_waiting_lists(s, la_code, m->as_of, w->row,
                                                     HEALTH_WAITING_ROWS_MAX, &w->n);
}

int dashboard_compute_cached(store *s, const char *la_code, int64_t now, int ttl, metrics *m,
                             dashboard_waiting *w, int64_t *computed_at)
{
    *computed_at = now;
    if (ttl <= 0 || !la_code || strlen(la_code) != STORE_LA_LEN)
        return compute_area(s, la_code, m, w);
    pthread_mutex_lock(&cache.mu);
    bool hit;
    cache_slot *c;
    for (;;) {
        c = find_slot(la_code, m, &hit);
        if (hit && c->used && (now - c->at < ttl || c->refreshing)) {
            *m = c->m; /* fresh, or the last result while another thread refreshes it */
            *w = c->w;
            *computed_at = c->at;
            pthread_mutex_unlock(&cache.mu);
            return SH_OK;
        }
        if (!(hit && c->refreshing))
            break;
        pthread_cond_wait(&cache.done, &cache.mu); /* the first fold of this key */
    }
    if (c && !hit) {
        memcpy(c->la, la_code, sizeof c->la);
        c->m = *m; /* the key; counts come with the result */
        c->keyed = true;
        c->used = false;
    }
    if (c)
        c->refreshing = true;
    pthread_mutex_unlock(&cache.mu);
    int rc = compute_area(s, la_code, m, w);
    if (!c)
        return rc;
    pthread_mutex_lock(&cache.mu);
    if (rc == SH_OK) {
        c->m = *m;
        c->w = *w;
        c->at = now;
        c->used = true;
    }
    c->refreshing = false;
    pthread_cond_broadcast(&cache.done);
    pthread_mutex_unlock(&cache.mu);
    return rc;
}

int dashboard_cases(store *s, const char *la_code, const metrics *m, metrics_counter k,
                    int period, int64_t *ids, size_t cap, size_t *n, size_t *total)
{
    int64_t lo = 1, hi = 0;
    int rc = store_case_id_range(s, la_code, &lo, &hi);
    if (rc)
        return rc;
    pass p = {.cm = m, .k = k, .period = period, .ids = ids, .cap = cap};
    rc = run_pass(s, la_code, lo, hi, &p);
    *n = p.n;
    *total = p.total;
    return rc;
}
