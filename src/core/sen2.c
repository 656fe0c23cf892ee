/*
 * sen2.c — the SEN2 return from the journey log: records, checks, figures.
 *
 * A record is built from the journey as now known (corrections applied by
 * journey_effective) and cut at the census date, then folded by the one
 * clock engine (journey_compute) so the 20-week flag, exceptions and phase
 * transfer dates are exactly those the case page shows. Everything else is
 * read straight off the dated events.
 */
#include "core/sen2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

enum { MED_REQUEST, MED_ASSESSMENT, MED_OTHER };

int sen2_period_for(int year, sen2_period *out)
{
    date_t jan1, prev1, prev31;
    if (year < SEN2_MIN_YEAR || year > SEN2_MAX_YEAR || date_from_ymd(year, 1, 1, &jan1) ||
        date_from_ymd(year - 1, 1, 1, &prev1) || date_from_ymd(year - 1, 12, 31, &prev31))
        return SH_EINVAL;
    /* Third Thursday: the first Thursday (ISO weekday 4) plus two weeks. */
    int first_thursday = (4 - date_weekday(jan1) + 7) % 7;
    *out = (sen2_period){.year = year,
                         .census = jan1 + first_thursday + 14,
                         .period_start = prev1,
                         .period_end = prev31};
    return SH_OK;
}

static bool in_period(const sen2_period *p, date_t d)
{
    return d != DATE_NONE && d >= p->period_start && d <= p->period_end;
}

static bool by_end(const sen2_period *p, date_t d)
{
    return d != DATE_NONE && d <= p->period_end;
}

/* ---- one journey --------------------------------------------------------- */

/* The effective events up to the census date, as a journey of their own. */
static int cut_at_census(const sen2_period *p, const event *events, size_t n, arena *a,
                         event **out, size_t *nout, journey_error *err)
{
    const event **eff;
    size_t m;
    int rc = journey_effective(events, n, a, &eff, &m, err);
    if (rc)
        return rc;
    event *v = arena_alloc(a, m * sizeof *v);
    if (!v)
        return SH_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (eff[i]->date <= p->census)
            v[k++] = *eff[i];
    *out = v;
    *nout = k;
    return SH_OK;
}

/* Mediation and appeals belong to the latest appealable decision before
 * them: a refusal to assess (request), a decision not to issue a plan
 * (assessment), or anything about a plan in force (other). */
static void attribute_disputes(const event *v, size_t n, sen2_request *r)
{
    int about = MED_REQUEST;
    for (size_t i = 0; i < n; i++) {
        const event *e = &v[i];
        switch (e->type) {
        case EV_DECISION_TO_ASSESS:
            if (e->outcome == OUTCOME_REFUSE)
                about = MED_REQUEST;
            break;
        case EV_DECISION_NOT_TO_ISSUE:
            about = MED_ASSESSMENT;
            break;
        case EV_FINAL_PLAN_ISSUED: case EV_AMENDED_PLAN_ISSUED: case EV_REVIEW_DECISION:
        case EV_PLAN_CEASED: case EV_TRANSFER_IN:
            about = MED_OTHER;
            break;
        case EV_MEDIATION_CERTIFICATE:
            if (r->mediation_date[about] == DATE_NONE)
                r->mediation_date[about] = e->date;
            break;
        case EV_APPEAL_LODGED:
            if (r->tribunal_date[about] == DATE_NONE)
                r->tribunal_date[about] = e->date;
            break;
        default:
            break;
        }
    }
}

static const char *review_code(event_outcome o)
{
    switch (o) {
    case OUTCOME_MAINTAIN: return "M";
    case OUTCOME_AMEND: return "A";
    case OUTCOME_CEASE: return "C";
    default: return "";
    }
}

/* Request, assessment, plan and review fields straight off the events. */
static void read_events(const event *v, size_t n, sen2_request *r)
{
    date_t not_issued = DATE_NONE;
    for (size_t i = 0; i < n; i++) {
        const event *e = &v[i];
        switch (e->type) {
        case EV_DECISION_TO_ASSESS: /* the latest decision stands (after an appeal) */
            r->requestoutcome = e->outcome == OUTCOME_ASSESS ? "A" : "R";
            r->requestoutcomedate = e->date;
            break;
        case EV_DECISION_NOT_TO_ISSUE:
            if (not_issued == DATE_NONE)
                not_issued = e->date;
            break;
        case EV_PLAN_CEASED:
            if (r->plan_ceased == DATE_NONE) {
                r->plan_ceased = e->date;
                r->plan_cease_reason = e->cease_reason;
            }
            break;
        case EV_REVIEW_MEETING:
            r->reviewmeeting = e->date;
            r->reviewdraft = DATE_NONE; /* a draft belongs to its own review */
            break;
        case EV_REVIEW_DECISION:
            r->lastreview = e->date;
            r->reviewoutcome = review_code(e->outcome);
            break;
        case EV_AMENDMENT_PROPOSED:
            if (r->reviewmeeting != DATE_NONE && r->reviewdraft == DATE_NONE)
                r->reviewdraft = e->date;
            break;
        default:
            break;
        }
    }
    r->has_assessment = !r->transferred_in && strcmp(r->requestoutcome, "A") == 0;
    if (!r->has_assessment)
        return;
    if (r->startdate != DATE_NONE) {
        r->assessmentoutcome = "Y";
        r->assessmentoutcomedate = r->startdate;
    } else if (not_issued != DATE_NONE) {
        r->assessmentoutcome = "N";
        r->assessmentoutcomedate = not_issued;
    }
}

/* The phase transfer the plan is working to: the latest one started. */
static void phase_transfer(const journey_timeline *t, sen2_request *r)
{
    date_t trigger = DATE_NONE;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (strcmp(journey_rule_key(d->rule), "phase_transfer") != 0 ||
            (trigger != DATE_NONE && d->trigger < trigger))
            continue;
        trigger = d->trigger;
        r->phasetransferduedate = d->due;
        r->phasetransferfinaldate = d->done;
    }
}

static bool ongoing_at_end(const sen2_period *p, const sen2_request *r)
{
    if (r->transferred_in || !by_end(p, r->receiveddate))
        return false;
    if (strcmp(r->requestoutcome, "R") == 0 && by_end(p, r->requestoutcomedate))
        return false;
    return !by_end(p, r->assessmentoutcomedate);
}

static bool in_scope(const sen2_period *p, const sen2_request *r)
{
    if (r->has_activeplan || ongoing_at_end(p, r))
        return true;
    const date_t dated[] = {r->receiveddate, r->requestoutcomedate, r->assessmentoutcomedate,
                            r->plan_ceased, r->mediation_date[0], r->mediation_date[1],
                            r->mediation_date[2], r->tribunal_date[0], r->tribunal_date[1],
                            r->tribunal_date[2]};
    for (size_t i = 0; i < COUNT_OF(dated); i++)
        if (in_period(p, dated[i]))
            return true;
    return false;
}

/* DfE timeliness counts plans whose request and assessment went to neither
 * mediation nor tribunal (facts §3.3); a dispute about the plan issued
 * afterwards does not change how long issuing it took. */
static bool disputed_before_plan(const sen2_request *r)
{
    for (int i = MED_REQUEST; i <= MED_ASSESSMENT; i++) {
        const date_t d[2] = {r->mediation_date[i], r->tribunal_date[i]};
        for (int j = 0; j < 2; j++)
            if (d[j] != DATE_NONE && (r->startdate == DATE_NONE || d[j] <= r->startdate))
                return true;
    }
    return false;
}

static void init_request(sen2_request *r, int64_t case_id, int64_t child_id)
{
    *r = (sen2_request){.case_id = case_id, .child_id = child_id, .requestoutcome = "",
                        .assessmentoutcome = "", .reviewoutcome = ""};
    date_t *dates[] = {&r->receiveddate, &r->requestoutcomedate, &r->assessmentoutcomedate,
                       &r->startdate, &r->ceasedate, &r->reviewmeeting, &r->lastreview,
                       &r->reviewdraft, &r->phasetransferduedate, &r->phasetransferfinaldate,
                       &r->plan_ceased, &r->mediation_date[0], &r->mediation_date[1],
                       &r->mediation_date[2], &r->tribunal_date[0], &r->tribunal_date[1],
                       &r->tribunal_date[2]};
    for (size_t i = 0; i < COUNT_OF(dates); i++)
        *dates[i] = DATE_NONE;
}

int sen2_request_build(const sen2_period *p, int64_t case_id, int64_t child_id,
                       const event *events, size_t n, arena *a, sen2_request *out,
                       bool *scope, journey_error *err)
{
    event *v;
    size_t k;
    *scope = false;
    int rc = cut_at_census(p, events, n, a, &v, &k, err);
    if (rc || k == 0) /* k == 0: the journey starts after the census date */
        return rc;
    journey_timeline t;
    rc = journey_compute(v, k, p->census, a, &t, err);
    if (rc)
        return rc;
    sen2_request *r = out;
    init_request(r, case_id, child_id);
    r->transferred_in = v[0].type == EV_TRANSFER_IN;
    r->receiveddate = v[0].date;
    r->startdate = r->transferred_in ? DATE_NONE : t.final_plan_date;
    r->within_20_weeks = t.within_20_weeks;
    r->weeks_x10 = t.weeks_x10;
    r->week20 = t.exceptions_apply;
    read_events(v, k, r);
    attribute_disputes(v, k, r);
    r->mediation_before_plan = disputed_before_plan(r);
    r->requestmediation = r->mediation_date[MED_REQUEST] != DATE_NONE;
    r->requesttribunal = r->tribunal_date[MED_REQUEST] != DATE_NONE;
    r->assessmentmediation = r->mediation_date[MED_ASSESSMENT] != DATE_NONE;
    r->assessmenttribunal = r->tribunal_date[MED_ASSESSMENT] != DATE_NONE;
    r->othermediation = r->mediation_date[MED_OTHER] != DATE_NONE;
    r->othertribunal = r->tribunal_date[MED_OTHER] != DATE_NONE;
    r->has_namedplan = r->startdate != DATE_NONE;
    if (r->has_namedplan) {
        r->ceasedate = r->plan_ceased;
        r->ceasereason = r->plan_ceased != DATE_NONE ? r->plan_cease_reason : 0;
    }
    date_t plan_from = r->transferred_in ? r->receiveddate : r->startdate;
    r->has_activeplan = plan_from != DATE_NONE && r->plan_ceased == DATE_NONE;
    r->transferla = r->transferred_in && in_period(p, r->receiveddate);
    phase_transfer(&t, r);
    *scope = in_scope(p, r);
    return SH_OK;
}

/* ---- validation ---------------------------------------------------------- */

typedef struct {
    const sen2_period *p;
    const sen2_person *person;
    sen2_issue_fn add;
    void *ctx;
    int rc;
} checker;

static void issue(checker *c, sen2_severity sev, sen2_fix fix, int64_t case_id,
                  const char *module, const char *field, const char *message)
{
    if (c->rc)
        return;
    sen2_issue x = {.severity = sev, .fix = fix, .child_id = c->person->child->id,
                    .case_id = case_id, .module = module, .field = field, .message = message};
    c->rc = c->add(c->ctx, &x);
}

/* Age in whole years on day d. */
static int age_on(date_t birth, date_t d)
{
    int by, bm, bd, y, m, dd;
    date_to_ymd(birth, &by, &bm, &bd);
    date_to_ymd(d, &y, &m, &dd);
    return y - by - (m < bm || (m == bm && dd < bd));
}

/* Compulsory school age, as the school year sees it: 5 to 15 on the 31 August
 * before the census (Year 1 to Year 11); younger children are "not yet of
 * school age" (facts §5.1, UN1). */
static int school_age_band(const sen2_period *p, date_t birth)
{
    date_t aug31;
    date_from_ymd(p->year - 1, 8, 31, &aug31);
    int age = age_on(birth, aug31);
    return age < 5 ? -1 : age <= 15 ? 0 : 1;
}

static void check_person(checker *c)
{
    const sen2_child *ch = c->person->child;
    if (!ch->surname[0])
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, 0, "person", "surname", "is missing");
    if (!ch->forename[0])
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, 0, "person", "forename", "is missing");
    if (ch->birth == DATE_NONE)
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, 0, "person", "personbirthdate", "is missing");
    else if (ch->birth > c->p->census)
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, 0, "person", "personbirthdate",
              "is after the census date");
    const char *why = NULL;
    char upn[IDENT_UPN_LEN + 1];
    if (ch->upn[0]) {
        if (ident_upn_normalise(ch->upn, strlen(ch->upn), upn, NULL, &why))
            issue(c, SEN2_ERROR, SEN2_FIX_CHILD, 0, "person", "upn", why);
    } else if (ch->birth != DATE_NONE) {
        int band = school_age_band(c->p, ch->birth);
        if (band == 0)
            issue(c, SEN2_ERROR, SEN2_FIX_CHILD, 0, "person", "upn",
                  "is missing: a child of compulsory school age needs a UPN");
        else if (band > 0)
            issue(c, SEN2_WARNING, SEN2_FIX_CHILD, 0, "person", "upnunknown",
                  "has no value: the young person has no UPN and sendhub holds neither a "
                  "ULN nor a reason, so COLLECT will query it");
    }
    char pc[IDENT_POSTCODE_MAX + 1];
    if (!ch->postcode[0])
        issue(c, SEN2_WARNING, SEN2_FIX_CHILD, 0, "person", "postcode", "is missing");
    else if (ident_postcode_normalise(ch->postcode, strlen(ch->postcode), pc, &why))
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, 0, "person", "postcode", why);
}

/* Placement and need records hang under a plan: they need the child's
 * setting and primary need. */
static void check_plan_child(checker *c, const sen2_request *r)
{
    const sen2_child *ch = c->person->child;
    const char *module = r->has_activeplan ? "placementdetail" : "plandetail";
    const char *why;
    /* Not an error: a young person at home or not in education has no URN,
     * and the SENsetting code COLLECT then wants (NEET, EHE, OLA, ...) is not
     * held by sendhub. */
    if (!ch->setting_urn[0])
        issue(c, SEN2_WARNING, SEN2_FIX_CHILD, r->case_id, module, "urn",
              "is missing: record the setting on the child's record, or give the "
              "sensetting code (NEET, EHE, OLA, ...) in COLLECT if there is none");
    else if (ident_urn_validate(ch->setting_urn, strlen(ch->setting_urn), &why))
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, r->case_id, module, "urn", why);
    if (!r->has_activeplan)
        return;
    if (ch->sen_need[0] < 0)
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, r->case_id, "senneed", "sentype",
              "is missing: record the primary need (rank 1) on the child's record");
    for (int k = 0; k < 2; k++)
        if (ch->sen_need[k] >= 0 && !ident_sen_type_valid_for_plan((sen_type)ch->sen_need[k]))
            issue(c, SEN2_ERROR, SEN2_FIX_CHILD, r->case_id, "senneed", "sentype",
                  "is NSA, which is only valid for SEN support, never with a plan");
    if (ch->sen_need[0] >= 0 && ch->sen_need[0] == ch->sen_need[1])
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, r->case_id, "senneed", "sentyperank",
              "repeats the primary need as the secondary need");
}

static void check_order(checker *c, const sen2_request *r, const char *module,
                        const char *field, date_t later, date_t earlier, const char *message)
{
    if (later != DATE_NONE && earlier != DATE_NONE && later < earlier)
        issue(c, SEN2_ERROR, SEN2_FIX_CASE, r->case_id, module, field, message);
}

static void check_request(checker *c, const sen2_request *r)
{
    const sen2_child *ch = c->person->child;
    if (ch->birth != DATE_NONE && r->receiveddate < ch->birth)
        issue(c, SEN2_ERROR, SEN2_FIX_CHILD, r->case_id, "requests", "receiveddate",
              "is before the child's date of birth: check the date of birth");
    else if (ch->birth != DATE_NONE && !r->transferred_in && age_on(ch->birth, r->receiveddate) > 25)
        issue(c, SEN2_WARNING, SEN2_FIX_CHILD, r->case_id, "requests", "receiveddate",
              "is after the young person's 26th birthday: check the date of birth");
    check_order(c, r, "assessment", "assessmentoutcomedate", r->assessmentoutcomedate,
                r->requestoutcomedate, "is before the decision to assess: correct the journey");
    check_order(c, r, "namedplan", "ceasedate", r->ceasedate, r->startdate,
                "is before the plan started: correct the journey");
    date_t plan_from = r->transferred_in ? r->receiveddate : r->startdate;
    if (r->has_activeplan)
        check_order(c, r, "activeplans", "reviewmeeting", r->reviewmeeting, plan_from,
                    "is before the plan started: correct the journey");
    if (r->has_namedplan && r->ceasedate != DATE_NONE &&
        (r->ceasereason < 1 || r->ceasereason > 9))
        issue(c, SEN2_ERROR, SEN2_FIX_CASE, r->case_id, "namedplan", "ceasereason",
              "is missing or not a code from 1 to 9: correct the plan ceased event");
    else if (r->has_namedplan && r->ceasereason == 9)
        issue(c, SEN2_WARNING, SEN2_FIX_CASE, r->case_id, "namedplan", "ceasereason",
              "is 9 (Other): COLLECT queries heavy use of it, so record the real reason "
              "if one of 1 to 8 fits");
    if (r->has_namedplan || r->has_activeplan)
        check_plan_child(c, r);
}

int sen2_validate_person(const sen2_period *p, const sen2_person *person, sen2_issue_fn add,
                         void *ctx)
{
    checker c = {.p = p, .person = person, .add = add, .ctx = ctx};
    check_person(&c);
    for (size_t i = 0; i < person->n_requests; i++)
        check_request(&c, &person->requests[i]);
    return c.rc;
}

/* ---- the whole return ---------------------------------------------------- */

typedef struct {
    arena *a;
    sen2_issue *v;
    size_t n, cap, errors;
} issue_list;

static int collect(void *ctx, const sen2_issue *x)
{
    issue_list *l = ctx;
    if (l->n == SEN2_MAX_ISSUES)
        return SH_ELIMIT;
    sen2_issue *v = arena_grow(l->a, l->v, l->n, &l->cap, sizeof *v, 64);
    if (!v)
        return SH_ENOMEM;
    l->v = v;
    l->v[l->n++] = *x;
    l->errors += x->severity == SEN2_ERROR;
    return SH_OK;
}

/* A case that could not become a record: its journey is the thing to fix. */
static int journey_issue(issue_list *l, const sen2_case *k, const journey_error *e)
{
    char when[DATE_ISO_LEN + 1] = "";
    if (e->date != DATE_NONE)
        date_format(e->date, when);
    const char *msg = arena_printf(l->a, "does not validate: %s %s%s%s (event %lld)",
                                   e->field ? e->field : "the journey", e->message,
                                   when[0] ? " on " : "", when, (long long)e->event_id);
    if (!msg)
        return SH_ENOMEM;
    sen2_issue x = {.severity = SEN2_ERROR, .fix = SEN2_FIX_CASE, .child_id = k->child_id,
                    .case_id = k->case_id, .module = "requests", .field = "", .message = msg};
    return collect(l, &x);
}

static const sen2_child *find_child(const sen2_child *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].id == id ? &v[lo] : NULL;
}

static int by_child_then_case(const void *x, const void *y)
{
    const sen2_request *a = x, *b = y;
    if (a->child_id != b->child_id)
        return a->child_id < b->child_id ? -1 : 1;
    return (a->case_id > b->case_id) - (a->case_id < b->case_id);
}

static int by_upn(const void *x, const void *y)
{
    const sen2_person *const *a = x, *const *b = y;
    int c = strcmp((*a)->child->upn, (*b)->child->upn);
    return c ? c : ((*a)->child->id > (*b)->child->id) - ((*a)->child->id < (*b)->child->id);
}

/* Census error 1520: a UPN on two people. */
static int check_duplicate_upns(const sen2_return *r, arena *a, issue_list *l)
{
    const sen2_person **v = arena_alloc(a, (r->n_persons + 1) * sizeof *v);
    if (!v)
        return SH_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < r->n_persons; i++)
        if (r->persons[i].child->upn[0])
            v[n++] = &r->persons[i];
    qsort(v, n, sizeof *v, by_upn);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i]->child->upn, v[i - 1]->child->upn) != 0)
            continue;
        sen2_issue x = {.severity = SEN2_ERROR, .fix = SEN2_FIX_CHILD,
                        .child_id = v[i]->child->id, .module = "person", .field = "upn",
                        .message = "is also the UPN of another child in the return: one of "
                                   "them is mistyped, or the two records are one child"};
        int rc = collect(l, &x);
        if (rc)
            return rc;
    }
    return SH_OK;
}

static int build_records(const sen2_period *p, const sen2_child *children, size_t nc,
                         const sen2_case *cases, size_t n, arena *a, issue_list *l,
                         sen2_request **out, size_t *nout)
{
    sen2_request *recs = arena_alloc(a, (n + 1) * sizeof *recs);
    if (!recs)
        return SH_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const sen2_case *k = &cases[i];
        int rc;
        if (!find_child(children, nc, k->child_id)) {
            sen2_issue x = {.severity = SEN2_ERROR, .fix = SEN2_FIX_CASE,
                            .child_id = k->child_id, .case_id = k->case_id,
                            .module = "person", .field = "",
                            .message = "has no child record in this area"};
            rc = collect(l, &x);
        } else {
            journey_error e;
            bool scope;
            rc = sen2_request_build(p, k->case_id, k->child_id, k->events, k->n, a, &recs[m],
                                    &scope, &e);
            if (rc == SH_EINVAL || rc == SH_ELIMIT)
                rc = journey_issue(l, k, &e);
            else if (rc == SH_OK && scope)
                m++;
        }
        if (rc)
            return rc;
    }
    qsort(recs, m, sizeof *recs, by_child_then_case);
    *out = recs;
    *nout = m;
    return SH_OK;
}

static const char *upn_unknown_code(const sen2_period *p, const sen2_child *ch)
{
    return !ch->upn[0] && ch->birth != DATE_NONE && school_age_band(p, ch->birth) < 0 ? "UN1"
                                                                                    : "";
}

static int group_persons(const sen2_period *p, const sen2_child *children, size_t nc,
                         sen2_request *recs, size_t m, arena *a, sen2_return *out)
{
    out->persons = arena_alloc(a, (m + 1) * sizeof *out->persons);
    if (!out->persons)
        return SH_ENOMEM;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && recs[j].child_id == recs[i].child_id)
            j++;
        sen2_person *ps = &out->persons[out->n_persons++];
        ps->child = find_child(children, nc, recs[i].child_id);
        strcpy(ps->upnunknown, upn_unknown_code(p, ps->child));
        ps->requests = &recs[i];
        ps->n_requests = j - i;
        i = j;
    }
    return SH_OK;
}

/* Errors first, each group keeping child and case order. */
static int order_issues(issue_list *l, arena *a, sen2_return *out)
{
    sen2_issue *v = arena_alloc(a, (l->n + 1) * sizeof *v);
    if (!v)
        return SH_ENOMEM;
    size_t k = 0;
    for (int sev = SEN2_ERROR; sev <= SEN2_WARNING; sev++)
        for (size_t i = 0; i < l->n; i++)
            if (l->v[i].severity == (sen2_severity)sev)
                v[k++] = l->v[i];
    out->issues = v;
    out->n_issues = l->n;
    out->n_errors = l->errors;
    return SH_OK;
}

int sen2_build(const sen2_period *p, const char *lea, const sen2_child *children,
               size_t n_children, const sen2_case *cases, size_t n_cases, arena *a,
               sen2_return *out)
{
    *out = (sen2_return){.period = *p};
    if (!lea || ident_la_code_validate(lea, strlen(lea), NULL))
        return SH_EINVAL;
    for (size_t i = 1; i < n_children; i++)
        if (children[i].id <= children[i - 1].id)
            return SH_EINVAL;
    memcpy(out->lea, lea, 4);
    issue_list l = {.a = a};
    sen2_request *recs;
    size_t m;
    int rc = build_records(p, children, n_children, cases, n_cases, a, &l, &recs, &m);
    if (rc == SH_OK)
        rc = group_persons(p, children, n_children, recs, m, a, out);
    for (size_t i = 0; rc == SH_OK && i < out->n_persons; i++)
        rc = sen2_validate_person(p, &out->persons[i], collect, &l);
    if (rc == SH_OK)
        rc = check_duplicate_upns(out, a, &l);
    return rc ? rc : order_issues(&l, a, out);
}

const char *sen2_severity_name(sen2_severity s)
{
    return s == SEN2_ERROR ? "error" : "warning";
}

const char *sen2_fix_label(sen2_fix f)
{
    return f == SEN2_FIX_CHILD ? "the child's record" : "the case's journey";
}

/* ---- notes: mappings chosen and fields not held -------------------------- */

static const struct {
    const char *code, *text;
} notes[] = {
    {"referencedate",
     "The SEN2 census date for the year was not available (facts file section 12); sendhub uses "
     "the spring school census day, the third Thursday in January, and counts activity in the "
     "calendar year before it. Events dated after the census date are not read."},
    {"requestoutcome",
     "DfE code list not available: sendhub writes A (decision to assess) or R (decision not to "
     "assess), empty while no decision is recorded; after an appeal the latest decision stands."},
    {"assessmentoutcome",
     "DfE code list not available: sendhub writes Y (EHC plan issued; the date is the final "
     "plan's) or N (decision not to issue a plan), empty while the assessment is ongoing."},
    {"reviewoutcome",
     "DfE code list not available: sendhub writes M (maintain), A (amend) or C (cease), the "
     "latest annual review decision on or before the census date."},
    {"upnunknown",
     "Full UN code meanings not available: sendhub writes UN1 only for a child without a UPN "
     "who was under compulsory school age on 31 August before the census; otherwise empty."},
    {"requestmediation",
     "Mediation is a mediation certificate recorded on the journey; tribunal is an appeal "
     "lodged. Each belongs to the latest appealable decision before it: a refusal to assess "
     "(request), a decision not to issue (assessment), anything else about a plan (other)."},
    {"receiveddate",
     "A plan transferred in from another LA has no request here: its requests record carries "
     "the transfer date as receiveddate, no assessment or named plan, and transferla = 1 when "
     "the transfer fell in the year. If it ceased in the year its cease counts in the "
     "discontinued figures; the module structure has no field for it."},
    {"plandetail",
     "sendhub holds one current setting per child (its URN): plandetail and placementdetail "
     "both carry it with placementrank 1; entry and leaving dates are not held."},
    {"phasetransferduedate",
     "The 2025 (v1.3) spellings of the phase transfer items were not seen; sendhub uses "
     "phasetransferduedate and phasetransferfinaldate (the statutory deadline and the date "
     "the amended plan was issued)."},
    {"notheld",
     "Not held by sendhub, so left empty for completion in COLLECT: sex, ethnicity, "
     "uniquelearnernumber, requestsource, rya, exported, planres, planwbp, pb, oa, dp, ukprn, "
     "sensetting, sensettingother, senunitindicator, resourcedprovisionindicator, entrydate, "
     "leavingdate, res, wbp, and the header's dmo, dco and dsco. Figures that need them are "
     "written x (not available)."},
    {"timeliness",
     "20-week figures count plans issued in the calendar year, from the request received to "
     "the final plan (20 weeks = 140 days), leaving out plans whose request or assessment went "
     "to mediation or tribunal before the plan (facts file section 3.3); no_exc also leaves out "
     "plans where a reg 10(4) exception was recorded."},
    {"discontinued",
     "discontinued_* names per cease reason are sendhub's (the EES spelling of each was not "
     "seen); reasons are the SEN2 codes 1 to 9."},
};

size_t sen2_note_count(void) { return COUNT_OF(notes); }
const char *sen2_note_code(size_t i) { return i < COUNT_OF(notes) ? notes[i].code : ""; }
const char *sen2_note_text(size_t i) { return i < COUNT_OF(notes) ? notes[i].text : ""; }

/* ---- headline figures ---------------------------------------------------- */

void sen2_figures_init(sen2_figures *f, const sen2_period *p)
{
    memset(f, 0, sizeof *f);
    f->period = *p;
}

static void add_timeliness(sen2_figures *f, const sen2_request *r)
{
    if (!in_period(&f->period, r->startdate) || r->within_20_weeks < 0 ||
        r->mediation_before_plan)
        return;
    bool over_year = r->startdate > date_add_months(r->receiveddate, 12);
    f->c[SEN2_TOT_INC_EXC_EHC]++;
    f->c[SEN2_INC_EXC_20WEEK_EHC] += r->within_20_weeks;
    f->c[SEN2_GT_1_YEAR] += over_year;
    f->c[SEN2_WEEKS_X10_SUM] += r->weeks_x10;
    if (r->week20)
        return;
    f->c[SEN2_TOT_NO_EXC_EHC]++;
    f->c[SEN2_NO_EXC_20WEEK_EHC] += r->within_20_weeks;
    f->c[SEN2_GT_1_YEAR_EX] += over_year;
    f->c[SEN2_WEEKS_X10_SUM_EX] += r->weeks_x10;
}

static void add_requests(sen2_figures *f, const sen2_request *r)
{
    const sen2_period *p = &f->period;
    if (r->transferred_in)
        return;
    if (in_period(p, r->receiveddate)) {
        f->c[SEN2_INREQ_EHC]++;
        bool decided = by_end(p, r->requestoutcomedate);
        f->c[SEN2_INREQ_EHC_Y] += decided && strcmp(r->requestoutcome, "A") == 0;
        f->c[SEN2_ASS_REFUSED_EHC] += decided && strcmp(r->requestoutcome, "R") == 0;
        f->c[SEN2_INREQ_EHC_A] += !decided;
    }
    if (in_period(p, r->assessmentoutcomedate)) {
        f->c[SEN2_ASSESSMENTS]++;
        f->c[SEN2_ASS_NONE_EHC] += strcmp(r->assessmentoutcome, "N") == 0;
        f->c[SEN2_NEW_ALL_EHC] += strcmp(r->assessmentoutcome, "Y") == 0;
    }
    f->c[SEN2_ASS_NODECISION_EHC] += r->has_assessment && by_end(p, r->requestoutcomedate) &&
                                     !by_end(p, r->assessmentoutcomedate);
}

static void add_disputes(sen2_figures *f, const sen2_request *r)
{
    static const sen2_counter med[3] = {SEN2_REQUEST_MEDIATION, SEN2_ASSESSMENT_MEDIATION,
                                        SEN2_OTHER_MEDIATION};
    static const sen2_counter trib[3] = {SEN2_REQUEST_TRIBUNAL, SEN2_ASSESSMENT_TRIBUNAL,
                                         SEN2_OTHER_TRIBUNAL};
    for (int k = 0; k < 3; k++) {
        f->c[med[k]] += in_period(&f->period, r->mediation_date[k]);
        bool trib_in = in_period(&f->period, r->tribunal_date[k]);
        f->c[trib[k]] += trib_in;
        f->c[SEN2_TRIBUNAL_AFTER_MEDIATION] += trib_in &&
                                               r->mediation_date[k] != DATE_NONE &&
                                               r->mediation_date[k] <= r->tribunal_date[k];
    }
}

void sen2_figures_add(sen2_figures *f, const sen2_request *r, int primary_need)
{
    add_requests(f, r);
    add_timeliness(f, r);
    add_disputes(f, r);
    if (r->has_activeplan) {
        f->c[SEN2_CASELOAD]++;
        if (primary_need >= 0 && primary_need < SEN_TYPE_COUNT)
            f->c[SEN2_NEED_FIRST + primary_need]++;
        else
            f->c[SEN2_NEED_UNKNOWN]++;
    }
    f->c[SEN2_TRANSFERS_IN] += r->transferred_in && in_period(&f->period, r->receiveddate);
    if (in_period(&f->period, r->plan_ceased)) {
        f->c[SEN2_DISCONTINUED]++;
        if (r->plan_cease_reason >= 1 && r->plan_cease_reason <= 9)
            f->c[SEN2_DISCONTINUED_R1 + r->plan_cease_reason - 1]++;
    }
}

void sen2_figures_merge(sen2_figures *into, const sen2_figures *from)
{
    for (size_t i = 0; i < SEN2_COUNTER_COUNT; i++)
        into->c[i] += from->c[i];
}

void sen2_figures_of_return(sen2_figures *f, const sen2_return *r)
{
    sen2_figures_init(f, &r->period);
    for (size_t i = 0; i < r->n_persons; i++)
        for (size_t j = 0; j < r->persons[i].n_requests; j++)
            sen2_figures_add(f, &r->persons[i].requests[j], r->persons[i].child->sen_need[0]);
}

int sen2_rate_x10(long num, long den)
{
    if (den <= 0)
        return -1;
    return (int)((2000 * (long long)num + den) / (2 * (long long)den));
}

typedef enum { FIG_COUNT, FIG_RATE, FIG_AVG, FIG_SUM3, FIG_NA } fig_kind;

typedef struct {
    const char *name, *label;
    fig_kind kind;
    int a, b, c; /* counters: the count; numerator, denominator; summands */
} figure;

#define COUNT(n, l, x) {n, l, FIG_COUNT, x, 0, 0}
#define RATE(n, l, x, y) {n, l, FIG_RATE, x, y, 0}
#define NA(n, l) {n, l, FIG_NA, 0, 0, 0}
#define NEED(n, l, t) {n, l, FIG_COUNT, SEN2_NEED_FIRST + (t), 0, 0}

static const figure figures[] = {
    COUNT("inreq_ehc", "Initial requests for an EHC needs assessment", SEN2_INREQ_EHC),
    COUNT("inreq_ehc_y", "Initial requests: decided to assess", SEN2_INREQ_EHC_Y),
    NA("inreq_ehc_w", "Initial requests: withdrawn"),
    COUNT("inreq_ehc_a", "Initial requests: no decision by the year end", SEN2_INREQ_EHC_A),
    NA("inreq_rya_ehc", "Initial requests made in relevant youth accommodation"),
    COUNT("ass_refused_ehc", "Initial requests refused (decision not to assess)",
          SEN2_ASS_REFUSED_EHC),
    RATE("ass_refused_ehc_pc", "Initial requests refused (%)", SEN2_ASS_REFUSED_EHC,
         SEN2_INREQ_EHC),
    COUNT("assessments", "EHC needs assessments completed", SEN2_ASSESSMENTS),
    NA("assessment_w", "Assessments withdrawn"),
    COUNT("ass_none_ehc", "Assessments completed: decided not to issue a plan",
          SEN2_ASS_NONE_EHC),
    RATE("ass_none_ehc_pc", "Assessments completed: decided not to issue a plan (%)",
         SEN2_ASS_NONE_EHC, SEN2_ASSESSMENTS),
    COUNT("ass_nodecision_ehc", "Assessments with no outcome by the year end",
          SEN2_ASS_NODECISION_EHC),
    COUNT("new_all_ehc", "New EHC plans issued", SEN2_NEW_ALL_EHC),
    COUNT("tot_inc_exc_ehc", "Plans issued, timeliness base (including exceptions)",
          SEN2_TOT_INC_EXC_EHC),
    COUNT("inc_exc_20week_ehc", "Plans issued within 20 weeks (including exceptions)",
          SEN2_INC_EXC_20WEEK_EHC),
    RATE("inc_exc_20week_rate", "Plans issued within 20 weeks, including exceptions (%)",
         SEN2_INC_EXC_20WEEK_EHC, SEN2_TOT_INC_EXC_EHC),
    COUNT("tot_no_exc_ehc", "Plans issued, timeliness base (excluding exceptions)",
          SEN2_TOT_NO_EXC_EHC),
    COUNT("no_exc_20week_ehc", "Plans issued within 20 weeks (excluding exceptions)",
          SEN2_NO_EXC_20WEEK_EHC),
    RATE("no_exc_20week_rate", "Plans issued within 20 weeks, excluding exceptions (%)",
         SEN2_NO_EXC_20WEEK_EHC, SEN2_TOT_NO_EXC_EHC),
    COUNT("plans_issued_gt_1_year", "Plans issued more than a year after the request",
          SEN2_GT_1_YEAR),
    COUNT("plans_issued_gt_1_year_ex",
          "Plans issued more than a year after the request (excluding exceptions)",
          SEN2_GT_1_YEAR_EX),
    {"avg_weeks_issue_plan", "Average weeks from request to plan", FIG_AVG,
     SEN2_WEEKS_X10_SUM, SEN2_TOT_INC_EXC_EHC, 0},
    {"avg_weeks_issue_plan_exc", "Average weeks from request to plan (excluding exceptions)",
     FIG_AVG, SEN2_WEEKS_X10_SUM_EX, SEN2_TOT_NO_EXC_EHC, 0},
    COUNT("caseload", "EHC plans in force at the census date", SEN2_CASELOAD),
    COUNT("transferred_in", "Plans transferred in from another LA in the year",
          SEN2_TRANSFERS_IN),
    NEED("number_asd", "Caseload: autistic spectrum disorder", SEN_ASD),
    NEED("number_slcn", "Caseload: speech, language and communication needs", SEN_SLCN),
    NEED("number_semh", "Caseload: social, emotional and mental health", SEN_SEMH),
    NEED("number_mld", "Caseload: moderate learning difficulty", SEN_MLD),
    NEED("number_sld", "Caseload: severe learning difficulty", SEN_SLD),
    NEED("number_pd", "Caseload: physical disability", SEN_PD),
    NEED("number_spld", "Caseload: specific learning difficulty", SEN_SPLD),
    NEED("number_hi", "Caseload: hearing impairment", SEN_HI),
    NEED("number_pmld", "Caseload: profound and multiple learning difficulty", SEN_PMLD),
    NEED("number_oth", "Caseload: other difficulty or disability", SEN_OTH),
    NEED("number_vi", "Caseload: vision impairment", SEN_VI),
    NEED("number_msi", "Caseload: multi-sensory impairment", SEN_MSI),
    NEED("number_ds", "Caseload: Down syndrome", SEN_DS),
    COUNT("number_unknown", "Caseload: primary need not recorded", SEN2_NEED_UNKNOWN),
    COUNT("discontinued", "EHC plans ceased", SEN2_DISCONTINUED),
    COUNT("discontinued_max_age", "Ceased: reached maximum age", SEN2_DISCONTINUED_R1),
    COUNT("discontinued_needs_met", "Ceased: needs met without a plan", SEN2_DISCONTINUED_R1 + 1),
    COUNT("discontinued_higher_ed", "Ceased: moved on to higher education",
          SEN2_DISCONTINUED_R1 + 2),
    COUNT("discontinued_employed", "Ceased: moved into paid employment",
          SEN2_DISCONTINUED_R1 + 3),
    COUNT("discontinued_transfer_out", "Ceased: transferred to another LA",
          SEN2_DISCONTINUED_R1 + 4),
    COUNT("discontinued_no_engagement", "Ceased: young person no longer engaging",
          SEN2_DISCONTINUED_R1 + 5),
    COUNT("discontinued_left_england", "Ceased: moved outside England",
          SEN2_DISCONTINUED_R1 + 6),
    COUNT("discontinued_deceased", "Ceased: deceased", SEN2_DISCONTINUED_R1 + 7),
    COUNT("discontinued_other", "Ceased: other reason", SEN2_DISCONTINUED_R9),
    COUNT("request_mediation", "Mediation about a refusal to assess", SEN2_REQUEST_MEDIATION),
    COUNT("request_tribunal", "Appeals about a refusal to assess", SEN2_REQUEST_TRIBUNAL),
    COUNT("assessment_mediation", "Mediation about a decision not to issue a plan",
          SEN2_ASSESSMENT_MEDIATION),
    COUNT("assessment_tribunal", "Appeals about a decision not to issue a plan",
          SEN2_ASSESSMENT_TRIBUNAL),
    COUNT("other_mediation", "Mediation about a plan", SEN2_OTHER_MEDIATION),
    COUNT("other_tribunal", "Appeals about a plan", SEN2_OTHER_TRIBUNAL),
    {"total_mediation", "Mediation cases", FIG_SUM3, SEN2_REQUEST_MEDIATION,
     SEN2_ASSESSMENT_MEDIATION, SEN2_OTHER_MEDIATION},
    {"total_tribunal", "Appeals to the tribunal", FIG_SUM3, SEN2_REQUEST_TRIBUNAL,
     SEN2_ASSESSMENT_TRIBUNAL, SEN2_OTHER_TRIBUNAL},
    COUNT("total_tribunal_followed_mediation", "Appeals that followed mediation",
          SEN2_TRIBUNAL_AFTER_MEDIATION),
    NA("personal_budgets", "Personal budgets taken up"),
    NA("org_arrangements", "Personal budgets: organised arrangements"),
    NA("direct_pay_education", "Direct payments: education"),
    NA("mainstream_to_special_ehc", "Moves from mainstream to special settings"),
    NA("special_to_mainstream_ehc", "Moves from special to mainstream settings"),
};

size_t sen2_figure_count(void) { return COUNT_OF(figures); }
const char *sen2_figure_name(size_t i) { return i < COUNT_OF(figures) ? figures[i].name : ""; }
const char *sen2_figure_label(size_t i)
{
    return i < COUNT_OF(figures) ? figures[i].label : "";
}

int sen2_figure_find(const char *name)
{
    for (size_t i = 0; i < COUNT_OF(figures); i++)
        if (strcmp(figures[i].name, name) == 0)
            return (int)i;
    return -1;
}

static const char *tenths(int v, char *out, size_t n)
{
    if (v < 0)
        snprintf(out, n, "z");
    else
        snprintf(out, n, "%d.%d", v / 10, v % 10);
    return out;
}

const char *sen2_figure_value(const sen2_figures *f, size_t i, char *out, size_t n)
{
    if (i >= COUNT_OF(figures)) {
        snprintf(out, n, "x");
        return out;
    }
    const figure *g = &figures[i];
    switch (g->kind) {
    case FIG_COUNT:
        snprintf(out, n, "%ld", f->c[g->a]);
        return out;
    case FIG_SUM3:
        snprintf(out, n, "%ld", f->c[g->a] + f->c[g->b] + f->c[g->c]);
        return out;
    case FIG_RATE:
        return tenths(sen2_rate_x10(f->c[g->a], f->c[g->b]), out, n);
    case FIG_AVG: {
        long den = f->c[g->b];
        /* the sum is already in tenths of a week: round half up */
        return tenths(den > 0 ? (int)((2 * f->c[g->a] + den) / (2 * den)) : -1, out, n);
    }
    default:
        snprintf(out, n, "x");
        return out;
    }
}
