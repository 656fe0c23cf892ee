/*
 * casefile.c — a child's case file and the deep-dive sample (casefile.h):
 * existing reads composed, nothing recomputed.
 */
#include "app/casefile.h"

#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "app/advice.h"
#include "app/portal.h"
#include "app/views_request.h"
#include "core/sample.h"
#include "util/err.h"

static int deny(const app_identity *who, app_error *err, const char *what)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot %s.",
                    access_role_label((app_role)who->role), what);
}

/* The reads after the case, inside the caller's read transaction. */
static int load_parts(store *s, const app_identity *who, const app_case_view *v, date_t today,
                      arena *a, app_casefile *out, app_error *err)
{
    int rc = app_plan_load(s, who, v, a, &out->plan, err);
    if (rc == SH_OK && out->plan.n_versions > 0) {
        int latest = out->plan.versions[out->plan.n_versions - 1].version;
        rc = app_plan_version(s, who, v, latest, a, &out->latest, &out->latest_plan, err);
        out->has_latest = rc == SH_OK;
    }
    if (rc == SH_OK)
        rc = app_advice_for_case(s, who, v->c.id, a, &out->advice, &out->n_advice, err);
    if (rc == SH_OK) {
        rc = store_review_latest(s, who->la_code, v->c.id, a, &out->review);
        out->has_review = rc == SH_OK;
        if (rc == SH_ENOTFOUND)
            rc = SH_OK;
        else if (rc)
            rc = app_store_failure(rc, err, "The annual review");
    }
    if (rc == SH_OK)
        rc = app_referrals_for_child(s, who, v->child.id, today, a, &out->referrals,
                                     &out->n_referrals, err);
    if (rc == SH_OK)
        rc = app_referral_history_for_child(s, who, v->child.id, a, &out->closed_referrals,
                                            &out->n_closed_referrals,
                                            &out->closed_referrals_total, err);
    if (rc == SH_OK && (rc = portal_submissions(s, who, v->c.id, a, &out->submissions,
                                                &out->n_submissions)))
        rc = app_store_failure(rc, err, "What the family sent");
    if (rc == SH_OK && (rc = portal_files(s, who, v->c.id, a, &out->files, &out->n_files)))
        rc = app_store_failure(rc, err, "The family's files");
    if (rc == SH_OK && (rc = portal_thread(s, who, v->c.id, a, &out->messages,
                                           &out->n_messages)))
        rc = app_store_failure(rc, err, "The messages");
    if (rc == SH_OK && (rc = views_request_list(s, who, v, a, &out->views_requests,
                                                &out->n_views_requests)))
        rc = app_store_failure(rc, err, "The requests for the family's views");
    return rc;
}

int app_casefile_load(store *s, const app_identity *who, const app_case_view *v, date_t today,
                      arena *a, app_casefile *out, app_error *err)
{
    memset(out, 0, sizeof *out);
    if (!access_can(who, CAN_SEE_CASE_FILES))
        return deny(who, err, "open case files");
    int rc = store_read_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The case file");
    rc = load_parts(s, who, v, today, a, out, err);
    int end = store_read_end(s);
    if (rc == SH_OK && end)
        rc = app_store_failure(end, err, "The case file");
    return rc;
}

/* ---- the sample ----------------------------------------------------------- */

static const char *const by_names[CASEFILE_BY_COUNT] = {"none", "stage", "need"};

const char *casefile_by_name(casefile_by b)
{
    return (unsigned)b < CASEFILE_BY_COUNT ? by_names[b] : "";
}

int casefile_by_parse(const char *s)
{
    for (int b = 0; s && b < CASEFILE_BY_COUNT; b++)
        if (strcmp(s, by_names[b]) == 0)
            return b;
    return -1;
}

static int by_case_id(const void *x, const void *y)
{
    int64_t a = ((const store_caseload_row *)x)->c.id, b = ((const store_caseload_row *)y)->c.id;
    return (a > b) - (a < b);
}

/* Every open case of the area, in case id order (one snapshot). */
static int population(store *s, const app_identity *who, arena *a, store_caseload_row **out,
                      size_t *n)
{
    store_case_query q = {.la_code = who->la_code, .stage = -1, .due_on_or_before = DATE_NONE,
                          .overdue_at = DATE_NONE, .sen_need = -1,
                          .date_of_birth = DATE_NONE, .open_only = true, .page_columns = true,
                          .limit = STORE_PAGE_MAX};
    store_caseload_row *all = NULL;
    size_t k = 0, total = 0;
    int rc = store_read_begin(s);
    if (rc)
        return rc;
    do {
        store_caseload_row *rows;
        size_t got = 0;
        rc = store_case_list(s, &q, a, &rows, &got, &total);
        if (rc == SH_OK && total > CASEFILE_POPULATION_MAX)
            rc = SH_ELIMIT;
        if (rc == SH_OK && !all && !(all = arena_alloc(a, (total ? total : 1) * sizeof *all)))
            rc = SH_ENOMEM;
        for (size_t i = 0; rc == SH_OK && i < got && k < total; i++)
            all[k++] = rows[i];
        q.offset += STORE_PAGE_MAX;
        if (got == 0)
            break;
    } while (rc == SH_OK && q.offset < total);
    int end = store_read_end(s);
    rc = rc ? rc : end;
    if (rc)
        return rc;
    qsort(all, k, sizeof *all, by_case_id);
    *out = all;
    *n = k;
    return SH_OK;
}

static int stratum(const store_caseload_row *r, casefile_by by)
{
    switch (by) {
    case CASEFILE_BY_STAGE:
        return (int)r->c.summary.stage;
    case CASEFILE_BY_NEED:
        return r->sen_need + 1; /* -1, none recorded: stratum 0 */
    default:
        return 0;
    }
}

int app_casefile_sample(store *s, const app_identity *who, size_t want, uint64_t seed,
                        casefile_by by, arena *a, store_caseload_row **out, size_t *n,
                        size_t *population_n, app_error *err)
{
    *out = NULL;
    *n = *population_n = 0;
    if (!access_can(who, CAN_SEE_INSPECTIONS) || !access_can(who, CAN_SEE_CASE_FILES))
        return deny(who, err, "sample children for a deep dive");
    if (want < 1 || want > SAMPLE_MAX || (unsigned)by >= CASEFILE_BY_COUNT)
        return app_fail(err, SH_EINVAL, "n", "Enter a number of children from 1 to %d.",
                        SAMPLE_MAX);
    store_caseload_row *rows;
    size_t k;
    int rc = population(s, who, a, &rows, &k);
    if (rc == SH_ELIMIT)
        return app_fail(err, rc, NULL, "The area has more than %d open cases to sample from.",
                        CASEFILE_POPULATION_MAX);
    if (rc)
        return app_store_failure(rc, err, "The open cases");
    int *strata = arena_alloc(a, (k ? k : 1) * sizeof *strata);
    size_t *scratch = arena_alloc(a, (k ? k : 1) * sizeof *scratch);
    store_caseload_row *chosen = arena_alloc(a, SAMPLE_MAX * sizeof *chosen);
    if (!strata || !scratch || !chosen)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    for (size_t i = 0; i < k; i++)
        strata[i] = stratum(&rows[i], by);
    size_t idx[SAMPLE_MAX], m;
    if ((rc = sample_draw(strata, k, want, seed, scratch, idx, &m)))
        return app_fail(err, rc, NULL, "The sample could not be drawn.");
    for (size_t i = 0; i < m; i++)
        chosen[i] = rows[idx[i]];
    *out = chosen;
    *n = m;
    *population_n = k;
    return SH_OK;
}
