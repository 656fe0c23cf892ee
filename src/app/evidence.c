/*
 * evidence.c — the person-level list, streamed chunk by chunk (evidence.h).
 */
#include "app/evidence.h"

#include <string.h>

#include "app/access.h"
#include "core/journey.h"
#include "util/err.h"

#define FACTS_ARENA (4u << 20)  /* one chunk's rows and their strings */
#define SCAN_ARENA (16u << 20)  /* one journey and its effective events */

typedef struct {
    const char *la_code;
    store_evidence_row *rows; /* the chunk's facts, in case-id order */
    size_t n, pos;
    arena *facts, *scan;
    app_evidence_fn fn;
    void *ctx;
    size_t count;
} pass;

static int deny(const app_identity *who, app_error *err)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot see the person-level list.",
                    access_role_label((app_role)who->role));
}

static bool may_see(const app_identity *who)
{
    return access_can(who, CAN_SEE_INSPECTIONS) && access_sees_whole_area(who);
}

static const char *dup_or_null(arena *a, const char *s, int *rc)
{
    const char *d = s ? arena_strdup(a, s) : NULL;
    if (s && !d)
        *rc = SH_ENOMEM;
    return d;
}

static int facts_cb(void *ctx, const store_evidence_row *r)
{
    pass *p = ctx;
    if (p->n == EVIDENCE_CHUNK_IDS) /* ids are unique: a chunk cannot hold more */
        return SH_ELIMIT;
    int rc = SH_OK;
    store_evidence_row *c = &p->rows[p->n];
    *c = *r;
    c->coordinator = dup_or_null(p->facts, r->coordinator, &rc);
    c->stage = dup_or_null(p->facts, r->stage, &rc);
    c->forename = dup_or_null(p->facts, r->forename, &rc);
    c->surname = dup_or_null(p->facts, r->surname, &rc);
    c->upn = dup_or_null(p->facts, r->upn, &rc);
    c->sen_need = dup_or_null(p->facts, r->sen_need, &rc);
    c->setting_urn = dup_or_null(p->facts, r->setting_urn, &rc);
    c->setting_name = dup_or_null(p->facts, r->setting_name, &rc);
    c->setting_type = dup_or_null(p->facts, r->setting_type, &rc);
    c->setting_la = dup_or_null(p->facts, r->setting_la, &rc);
    if (rc == SH_OK)
        p->n++;
    return rc;
}

/* One row to the caller: out of area when the setting is another area's. */
static int hand_on(pass *p, const store_evidence_row *r, insp_person_dates dates)
{
    app_evidence_row row = {.r = r, .dates = dates,
                            .out_of_area = r->setting_la && strcmp(r->setting_la, p->la_code) != 0};
    int rc = p->fn(p->ctx, &row);
    if (rc == SH_OK)
        p->count++;
    return rc;
}

static int emit(pass *p, insp_person_dates dates)
{
    return hand_on(p, &p->rows[p->pos++], dates);
}

static const insp_person_dates no_dates = {.decision = DATE_NONE, .last_review = DATE_NONE};

/* The chunk's rows before case_id have no journey (none recorded). */
static int emit_before(pass *p, int64_t case_id)
{
    int rc = SH_OK;
    while (rc == SH_OK && p->pos < p->n && p->rows[p->pos].case_id < case_id)
        rc = emit(p, no_dates);
    return rc;
}

static int journey_cb(void *ctx, int64_t case_id, const char *la_code, const event *events,
                      size_t n)
{
    (void)la_code;
    pass *p = ctx;
    int rc = emit_before(p, case_id);
    if (rc || p->pos == p->n || p->rows[p->pos].case_id != case_id)
        return rc; /* not an open case: not on the list */
    const event **eff;
    size_t ne;
    journey_error je;
    /* a journey the engine refuses still lists its child, without dates */
    if (journey_effective(events, n, p->scan, &eff, &ne, &je) != SH_OK)
        return emit(p, no_dates);
    return emit(p, insp_person_dates_of(eff, ne));
}

static int run_chunk(store *s, pass *p, int64_t first, int64_t last)
{
    arena_reset(p->facts);
    p->n = p->pos = 0;
    p->rows = arena_calloc(p->facts, EVIDENCE_CHUNK_IDS, sizeof *p->rows);
    int rc = p->rows ? SH_OK : SH_ENOMEM;
    if (rc == SH_OK)
        rc = store_evidence_cases(s, p->la_code, first, last, facts_cb, p);
    if (rc == SH_OK && p->n)
        rc = store_journeys_scan(s, p->la_code, first, last, p->scan, journey_cb, p);
    if (rc == SH_OK)
        rc = emit_before(p, INT64_MAX);
    return rc;
}

/* A child without an open case: no journey to merge, straight on. */
static int child_cb(void *ctx, const store_evidence_row *r)
{
    return hand_on(ctx, r, no_dates);
}

/* Splits [lo, hi] into chunks of EVIDENCE_CHUNK_IDS ids, so neither
 * backend holds more than a chunk's rows at once. */
static int by_chunks(store *s, pass *p, int64_t lo, int64_t hi,
                     int (*run)(store *, pass *, int64_t, int64_t))
{
    int rc = SH_OK;
    for (int64_t first = lo; rc == SH_OK && first <= hi; first += EVIDENCE_CHUNK_IDS)
        rc = run(s, p, first,
                 hi - first < EVIDENCE_CHUNK_IDS ? hi : first + EVIDENCE_CHUNK_IDS - 1);
    return rc;
}

static int children_chunk(store *s, pass *p, int64_t first, int64_t last)
{
    return store_evidence_children(s, p->la_code, first, last, child_cb, p);
}

int app_evidence_list(store *s, const app_identity *who, app_evidence_fn fn, void *ctx,
                      size_t *count, app_error *err)
{
    *count = 0;
    if (!may_see(who))
        return deny(who, err);
    pass p = {.la_code = who->la_code, .fn = fn, .ctx = ctx,
              .facts = arena_create(FACTS_ARENA), .scan = arena_create(SCAN_ARENA)};
    int rc = p.facts && p.scan ? store_read_begin(s) : SH_ENOMEM;
    if (rc == SH_OK) {
        int64_t lo, hi;
        rc = store_case_id_range(s, who->la_code, &lo, &hi);
        if (rc == SH_OK)
            rc = by_chunks(s, &p, lo, hi, run_chunk);
        if (rc == SH_OK)
            rc = store_evidence_child_range(s, who->la_code, &lo, &hi);
        if (rc == SH_OK)
            rc = by_chunks(s, &p, lo, hi, children_chunk);
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    arena_destroy(p.scan);
    arena_destroy(p.facts);
    *count = p.count;
    return rc ? app_store_failure(rc, err, "The person-level list") : SH_OK;
}

int app_evidence_count(store *s, const app_identity *who, int64_t *n, app_error *err)
{
    if (!may_see(who))
        return deny(who, err);
    int rc = store_evidence_count(s, who->la_code, n);
    return rc ? app_store_failure(rc, err, "The person-level list") : SH_OK;
}
