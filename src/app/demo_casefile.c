#include "app/demo_casefile.h"

#include <string.h>

#include "app/demo_plan.h"
#include "app/health.h"
#include "core/journey.h"
#include "store/store_advice.h"
#include "store/store_health.h"
#include "store/store_plan.h"
#include "store/store_portal.h"
#include "store/store_review.h"
#include "store/store_views.h"
#include "util/err.h"

#define DAY 86400

/* Has this case an issued plan version and a review record? */
static int qualifies(store *s, const char *la, const store_case *c, arena *a, bool *yes)
{
    *yes = false;
    if (!demo_plan_wanted(c->id))
        return SH_OK;
    store_plan_version *v;
    size_t nv = 0;
    int rc = store_plan_versions(s, la, c->id, a, &v, &nv);
    if (rc || nv == 0)
        return rc;
    store_review r;
    rc = store_review_latest(s, la, c->id, a, &r);
    *yes = rc == SH_OK;
    return rc == SH_ENOTFOUND ? SH_OK : rc;
}

/* The stored event of type/agency on day (its id), or 0. */
static int64_t event_id(const event *ev, size_t n, event_type type, event_agency agency,
                        date_t day)
{
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == type && ev[i].agency == agency && ev[i].date == day)
            return ev[i].id;
    return 0;
}

static const char *const services[AGENCY_COUNT] = {
    [AGENCY_EDUCATION] = "School or setting (synthetic)",
    [AGENCY_HEALTH] = "Designated Clinical Officer",
    [AGENCY_SOCIAL_CARE] = "Children with Disabilities Team (synthetic)",
    [AGENCY_PSYCHOLOGY] = "Educational Psychology Service (synthetic)",
    [AGENCY_OTHER] = "Sensory Support Service (synthetic)",
};

/* The generator keeps advice rows only for the last 400 days; a plan old
 * enough to be reviewed had its advice before that. Its advice steps get
 * rows as if the advice had come through sendhub, each linked to the
 * journey's own events, with the engine's due dates. */
static int add_advice(store *s, const char *la, const store_case *c, date_t as_of, arena *a)
{
    store_advice *have;
    size_t n_have = 0;
    store_advice_query q = {.la_code = la, .case_id = c->id, .since = DATE_NONE,
                            .due_by = DATE_NONE, .limit = 1};
    event *ev;
    size_t n = 0;
    int rc = store_advice_list(s, &q, a, &have, &n_have);
    if (rc || n_have)
        return rc;
    journey_timeline t;
    journey_error jerr;
    if ((rc = store_events_load(s, la, c->id, a, &ev, &n)) ||
        (rc = journey_compute(ev, n, as_of, a, &t, &jerr)))
        return rc;
    for (size_t i = 0; rc == SH_OK && i < t.n_deadlines; i++) {
        const journey_deadline *d = &t.deadlines[i];
        if (d->agency == AGENCY_NONE)
            continue;
        store_advice r = {.case_id = c->id, .child_id = c->child_id, .agency = d->agency,
                          .service = services[d->agency],
                          .question = "What does the child need, and what would help?",
                          .requested_by = c->coordinator, .requested_on = d->trigger,
                          .due = d->due,
                          .requested_event = event_id(ev, n, EV_ADVICE_REQUESTED, d->agency,
                                                      d->trigger)};
        memcpy(r.la_code, la, sizeof r.la_code);
        rc = store_advice_insert(s, &r);
        if (rc == SH_OK && d->done != DATE_NONE)
            rc = store_advice_receive(s, la, r.id, d->done,
                                      event_id(ev, n, EV_ADVICE_RECEIVED, d->agency, d->done),
                                      d->agency == AGENCY_HEALTH ? "h.health" : c->coordinator,
                                      "Needs a predictable day; finds transitions between "
                                      "activities hard.",
                                      "Moves between activities with a visual prompt by the "
                                      "end of the year.",
                                      "Visual timetable and a five-minute warning before each "
                                      "change, used by every adult.");
    }
    return rc;
}

static int find_case(store *s, const char *la, arena *a, store_case *out, bool *found)
{
    store_case_query q = {.la_code = la, .stage = -1, .due_on_or_before = DATE_NONE,
                          .overdue_at = DATE_NONE, .sen_need = -1, .date_of_birth = DATE_NONE,
                          .open_only = true, .limit = STORE_PAGE_MAX};
    store_case best = {0};
    size_t total = 0;
    int rc;
    do {
        store_caseload_row *rows;
        size_t n = 0;
        rc = store_case_list(s, &q, a, &rows, &n, &total);
        for (size_t i = 0; rc == SH_OK && i < n; i++) {
            bool yes = false;
            if (best.id && rows[i].c.id > best.id)
                continue;
            rc = qualifies(s, la, &rows[i].c, a, &yes);
            if (yes)
                best = rows[i].c;
        }
        q.offset += STORE_PAGE_MAX;
        if (n == 0)
            break;
    } while (rc == SH_OK && q.offset < total);
    *out = best;
    *found = best.id != 0;
    return rc;
}

static int add_referral(store *s, const char *la, const store_case *c, date_t as_of, arena *a)
{
    store_referral *open;
    size_t n = 0;
    int rc = store_referral_list_child(s, la, c->child_id, true, a, &open, &n);
    store_pathway *p;
    size_t np = 0;
    if (rc == SH_OK && n == 0)
        rc = store_pathway_list(s, la, true, a, &p, &np);
    if (rc || n > 0 || np == 0)
        return rc;
    store_referral r = {.child_id = c->child_id, .pathway_id = p[0].id, .referrer = "School SENCo",
                        .referral_date = as_of - 120, .priority = WAIT_PRIORITY_ROUTINE,
                        .triage = WAIT_TRIAGE_ACCEPTED, .triage_date = as_of - 110,
                        .triage_reason = "", .first_contact = DATE_NONE,
                        .assessment_started = DATE_NONE, .assessment_completed = DATE_NONE,
                        .outcome = "", .outcome_code = "", .discharged = DATE_NONE};
    memcpy(r.la_code, la, sizeof r.la_code);
    return store_referral_insert(s, &r);
}

/* A referral the child was seen on and discharged from, with a clock stop
 * the family asked for, when the child has no closed referral: the case
 * file's health history. Speech and language therapy (or the first
 * pathway): referred 400 days before as_of, the family postponed for 14
 * days, first contact 120 days after referral (106 clock days: within 18
 * weeks), assessed and discharged. */
static int add_closed_referral(store *s, const char *la, const store_case *c, date_t as_of,
                               arena *a)
{
    store_referral *all;
    size_t n = 0;
    int rc = store_referral_list_child(s, la, c->child_id, false, a, &all, &n);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        if (app_referral_closed(&all[i]))
            return SH_OK;
    store_pathway p;
    store_child child;
    if (rc == SH_OK && (rc = store_pathway_by_code(s, la, "slt", a, &p)) == SH_ENOTFOUND)
        return SH_OK; /* an area without the standard pathways */
    if (rc == SH_OK)
        rc = store_child_get(s, la, c->child_id, a, &child);
    date_t referred = as_of - 400;
    if (rc || child.date_of_birth >= referred)
        return rc;
    store_referral r = {.child_id = c->child_id, .pathway_id = p.id, .referrer = "Health visitor",
                        .referral_date = referred, .priority = WAIT_PRIORITY_ROUTINE,
                        .triage = WAIT_TRIAGE_ACCEPTED, .triage_date = referred + 9,
                        .triage_reason = "", .first_contact = referred + 120,
                        .assessment_started = referred + 120,
                        .assessment_completed = referred + 148,
                        .outcome = "Expressive language disorder: a block of therapy, then a "
                                   "home programme with school",
                        .outcome_code = "F80.1", .discharged = referred + 250};
    memcpy(r.la_code, la, sizeof r.la_code);
    rc = store_referral_insert(s, &r);
    store_clock_stop st = {.referral_id = r.id, .stopped = referred + 40,
                           .restarted = DATE_NONE,
                           .reason = "The family asked to postpone: a family illness"};
    memcpy(st.la_code, la, sizeof st.la_code);
    if (rc == SH_OK)
        rc = store_clock_stop_insert(s, &st);
    return rc ? rc : store_clock_stop_restart(s, la, r.id, referred + 54);
}

static int add_family_side(store *s, const char *la, const store_case *c, const char *family,
                           date_t as_of, int64_t now, arena *a)
{
    store_user fam, coord;
    int rc = store_user_by_name(s, family, a, &fam);
    if (rc)
        return rc;
    /* Listed after the family's other children (app/demo.c links two). */
    store_portal_link l = {.child_id = c->child_id, .relationship = "parent", .since = now + 2};
    memcpy(l.la_code, la, sizeof l.la_code);
    store_portal_link have;
    rc = store_portal_link_get(s, fam.id, c->child_id, a, &have);
    if (rc == SH_ENOTFOUND) /* not one of the children already linked */
        rc = store_portal_link_insert(s, fam.id, &l);
    store_submission x = {.case_id = c->id, .user_id = fam.id, .kind = "views",
                          .body = "She is happiest when she knows what is coming next. Visual "
                                  "timetables help at home as well as at school.",
                          .school = "", .created_at = (int64_t)(as_of - 40) * DAY + 9 * 3600};
    /* the council asked for those views before the review (reg 20) */
    store_views_request ask = {.case_id = c->id, .purpose = "review",
                               .message = "What is working well at home, and what is hard?",
                               .reply_by = as_of - 35, .asked_by = c->coordinator,
                               .asked_at = (int64_t)(as_of - 49) * DAY + 11 * 3600};
    memcpy(ask.la_code, la, sizeof ask.la_code);
    if (rc == SH_OK && c->coordinator[0])
        rc = store_views_request_insert(s, &ask);
    if (rc == SH_OK)
        rc = store_submission_insert(s, la, &x);
    if (rc == SH_OK && ask.id)
        rc = store_views_request_answer(s, la, c->id, ask.id, x.id, x.created_at);
    bool has_coord = rc == SH_OK && c->coordinator[0] &&
                     store_user_by_name(s, c->coordinator, a, &coord) == SH_OK;
    store_message m1 = {.case_id = c->id, .user_id = fam.id, .from_family = true,
                        .body = "Could we talk about the speech and language therapy hours "
                                "before the review?",
                        .created_at = (int64_t)(as_of - 21) * DAY + 19 * 3600};
    store_message m2 = {.case_id = c->id, .user_id = has_coord ? coord.id : fam.id,
                        .from_family = false,
                        .body = "Yes: I will ask the therapist to join the review meeting and "
                                "send you her report beforehand.",
                        .created_at = (int64_t)(as_of - 20) * DAY + 10 * 3600};
    if (rc == SH_OK)
        rc = store_message_insert(s, la, &m1);
    if (rc == SH_OK && has_coord)
        rc = store_message_insert(s, la, &m2);
    return rc;
}

int demo_casefile_example(store *s, const char *la, const char *family, date_t as_of,
                          int64_t now, int64_t *case_id)
{
    *case_id = 0;
    arena *a = arena_create(16u << 20); /* pages of the caseload: bounded by the area */
    if (!a)
        return SH_ENOMEM;
    store_case c;
    bool found = false;
    int rc = find_case(s, la, a, &c, &found);
    if (rc == SH_OK && found)
        rc = add_advice(s, la, &c, as_of, a);
    if (rc == SH_OK && found)
        rc = add_referral(s, la, &c, as_of, a);
    if (rc == SH_OK && found)
        rc = add_closed_referral(s, la, &c, as_of, a);
    if (rc == SH_OK && found)
        rc = add_family_side(s, la, &c, family, as_of, now, a);
    if (rc == SH_OK && found)
        *case_id = c.id;
    arena_destroy(a);
    return rc;
}
