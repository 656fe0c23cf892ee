/*
 * journey.c — the statutory clock engine: one rule table, one interpreter.
 *
 * How a timeline is computed:
 *   1. load: walk the log in log order, checking each event and applying
 *      corrections, to get the effective events; then order them by date
 *      (stable, so same-day events keep log order).
 *   2. for each rule (table order), for each effective event that starts its
 *      clock: due = trigger + duration (or a fixed day), done = the first
 *      completing event the rule accepts. Special cases are named hooks on
 *      the row, never `if (rule == ...)` in the engine.
 *   3. drop what a ceased plan ends, set statuses at as_of, sort by due date.
 *
 * Working memory is a fixed-size engine on the caller's stack (the event
 * ceiling bounds it); the only arena allocation is the deadline array. This
 * matters: the benchmark folds a million journeys in a loop.
 */
#include "core/journey.h"

#include <stdint.h>
#include <string.h>

#include "util/err.h"

#define BIT(t) (UINT32_C(1) << (t))
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- effective events ---------------------------------------------------- */

typedef struct {
    const event *e; /* the event, or a correction's replacement */
    uint32_t index; /* log index it came from (the correction, for a replacement) */
} eff_event;

typedef struct engine {
    const event *log;
    size_t n;
    eff_event eff[JOURNEY_MAX_EVENTS]; /* log order while loading, then by date */
    size_t neff;
    uint8_t superseded[JOURNEY_MAX_EVENTS]; /* by log index */
    uint8_t used[JOURNEY_MAX_EVENTS]; /* by eff position: 1 + index of the rule
                                         whose instance this event completed */
    int starts;                       /* effective starts while loading */
    size_t start_removed_by;          /* log index of the correction that removed one */
    const event *start;               /* the one start, after loading */
    uint32_t present;                 /* BIT(type) of every effective event */
    uint16_t type_count[EV_TYPE_COUNT]; /* effective events of each type */
    date_t cease;                     /* first plan_ceased, or DATE_NONE */
} engine;

static bool is_start(event_type t)
{
    return t == EV_REQUEST_RECEIVED || t == EV_TRANSFER_IN;
}

static int fail(journey_error *err, const engine *g, size_t index, const char *field,
                const char *message, int rc)
{
    if (err)
        *err = (journey_error){
            .index = index,
            .event_id = index < g->n ? g->log[index].id : 0,
            .field = field,
            .message = message,
            .date = DATE_NONE,
        };
    return rc;
}

static bool id_used_before(const event *log, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (log[j].id == log[i].id)
            return true;
    return false;
}

/* Appends an effective event; `replacement` only changes the field name. */
static int add_effective(engine *g, const event *e, size_t index, bool replacement,
                         journey_error *err)
{
    if (is_start(e->type)) {
        if (g->starts > 0)
            return fail(err, g, index, replacement ? "replacement.type" : "type",
                        "starts a second journey: a new request opens a new case",
                        SH_EINVAL);
        g->starts++;
    }
    g->eff[g->neff++] = (eff_event){e, (uint32_t)index};
    return SH_OK;
}

/* Removes the effective event that came from log index j, if any (a
 * withdrawal leaves none: superseding it later removes nothing more). */
static void remove_effective(engine *g, size_t j, size_t by)
{
    for (size_t k = 0; k < g->neff; k++) {
        if (g->eff[k].index != j)
            continue;
        if (is_start(g->eff[k].e->type)) {
            g->starts--;
            g->start_removed_by = by;
        }
        memmove(&g->eff[k], &g->eff[k + 1], (g->neff - k - 1) * sizeof g->eff[0]);
        g->neff--;
        return;
    }
}

/* A correction removes what the event it supersedes contributed (for a
 * correction: its replacement; the event that one superseded stays removed)
 * and adds its own replacement, which carries the correction's id. */
static int apply_correction(engine *g, size_t i, journey_error *err)
{
    const event *c = &g->log[i];
    size_t j = i;
    while (j-- > 0)
        if (g->log[j].id == c->supersedes)
            break;
    if (j == SIZE_MAX)
        return fail(err, g, i, "supersedes", "does not name an earlier event", SH_EINVAL);
    if (g->superseded[j])
        return fail(err, g, i, "supersedes", "names an event that has already been corrected",
                    SH_EINVAL);
    g->superseded[j] = 1;
    remove_effective(g, j, i);
    return c->replacement ? add_effective(g, c->replacement, i, true, err) : SH_OK;
}

static int load_one(engine *g, size_t i, journey_error *err)
{
    const event *e = &g->log[i];
    const char *field, *why;
    if (event_check_fields(e, &field, &why) != SH_OK)
        return fail(err, g, i, field, why, SH_EINVAL);
    if (e->id != 0 && id_used_before(g->log, i))
        return fail(err, g, i, "id", "is already used by an earlier event", SH_EINVAL);
    if (i == 0 && !is_start(e->type))
        return fail(err, g, i, "type",
                    "cannot start a journey: the first event must be request_received "
                    "or transfer_in",
                    SH_EINVAL);
    return e->type == EV_CORRECTION ? apply_correction(g, i, err)
                                    : add_effective(g, e, i, false, err);
}

/* Every effective event is on or after the start (checked in log order, so
 * the error names the first offender the caller wrote). */
static int check_dates(engine *g, journey_error *err)
{
    for (size_t k = 0; k < g->neff; k++)
        if (is_start(g->eff[k].e->type))
            g->start = g->eff[k].e;
    for (size_t k = 0; k < g->neff; k++) {
        const eff_event *x = &g->eff[k];
        if (x->e->date >= g->start->date)
            continue;
        bool repl = x->e != &g->log[x->index];
        int rc = fail(err, g, x->index, repl ? "replacement.date" : "date",
                      g->start->type == EV_REQUEST_RECEIVED
                          ? "is before the request received"
                          : "is before the plan was transferred in",
                      SH_EINVAL);
        if (err)
            err->date = g->start->date;
        return rc;
    }
    return SH_OK;
}

/* Insertion sort: stable, and logs are nearly always in date order already,
 * which makes it linear in practice. */
static void sort_by_date(engine *g)
{
    for (size_t k = 1; k < g->neff; k++) {
        eff_event x = g->eff[k];
        size_t j = k;
        while (j > 0 && g->eff[j - 1].e->date > x.e->date) {
            g->eff[j] = g->eff[j - 1];
            j--;
        }
        g->eff[j] = x;
    }
}

static int engine_load(engine *g, const event *events, size_t n, journey_error *err)
{
    g->log = events;
    g->n = n;
    g->neff = 0;
    g->starts = 0;
    g->start_removed_by = 0;
    g->start = NULL;
    if (n > JOURNEY_MAX_EVENTS)
        return fail(err, g, JOURNEY_MAX_EVENTS, NULL,
                    "has too many events: at most 2000 in one journey", SH_ELIMIT);
    if (n == 0)
        return fail(err, g, 0, NULL,
                    "is empty: a journey starts with request_received or transfer_in",
                    SH_EINVAL);
    memset(g->superseded, 0, n);
    for (size_t i = 0; i < n; i++) {
        int rc = load_one(g, i, err);
        if (rc)
            return rc;
    }
    if (g->starts == 0)
        return fail(err, g, g->start_removed_by, "supersedes",
                    "withdraws the start of the journey: supersede it with a replacement "
                    "instead",
                    SH_EINVAL);
    int rc = check_dates(g, err);
    if (rc)
        return rc;
    sort_by_date(g);
    g->present = 0;
    g->cease = DATE_NONE;
    memset(g->type_count, 0, sizeof g->type_count);
    for (size_t k = 0; k < g->neff; k++) {
        const event *e = g->eff[k].e;
        g->present |= BIT(e->type);
        g->type_count[e->type]++;
        if (e->type == EV_PLAN_CEASED && g->cease == DATE_NONE)
            g->cease = e->date;
    }
    return SH_OK;
}

int journey_validate(const event *events, size_t n, journey_error *err)
{
    engine g;
    return engine_load(&g, events, n, err);
}

/* ---- the rule table ------------------------------------------------------ */

/* Truncating string builder that still counts what the whole text needs. */
typedef struct {
    char *out;
    size_t cap, len;
} sb;

struct journey_rule {
    const char *key;           /* wire step name ("advice" gets ":<agency>") */
    uint32_t triggers;         /* BIT(type) of each event that starts a clock */
    event_transfer_to only_to; /* start only on phase transfers this way */
    duration_unit unit;
    int amount;                /* UNIT_FIXED: unused */
    int fixed_month, fixed_day; /* UNIT_FIXED: the day in the transfer year */
    event_type completer;      /* the event that completes the step */
    bool strictly_after;       /* completion must be after the trigger day */
    bool exclusive;            /* a completing event completes one instance */
    bool per_agency;           /* instance per agency; completer must match */
    bool needs_completer;      /* the step exists only once it is completed */
    bool family_window;        /* the family's time limit, not a council duty: shown,
                                  but never the case's next due date or overdue work;
                                  a ceased plan keeps it (the family may appeal the
                                  cease itself) */
    bool closes_itself;        /* a period with no completing event (a comment
                                  window): done on its due date once as_of is past it */
    bool (*applies)(const engine *g);
    date_t (*adjust_due)(const engine *g, size_t pos, date_t due, date_t *extension);
    void (*explain)(const journey_deadline *d, sb *s);
    const char *basis;
    const char *duty; /* sentence start for the generic explanation */
};

/* Latest decision on whether to assess (OUTCOME_NONE if none). */
static event_outcome latest_assess_decision(const engine *g)
{
    for (size_t k = g->neff; k-- > 0;)
        if (g->eff[k].e->type == EV_DECISION_TO_ASSESS)
            return g->eff[k].e->outcome;
    return OUTCOME_NONE;
}

/* No final plan is due once the council refused to assess or decided, after
 * assessing, not to issue one. */
static bool final_plan_applies(const engine *g)
{
    return latest_assess_decision(g) != OUTCOME_REFUSE &&
           !(g->present & BIT(EV_DECISION_NOT_TO_ISSUE));
}

static date_t appeal_roll_forward(date_t d)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    if (m == 12 && day >= 25) /* to 2 January, then the first working day */
        return date_next_working_day(d + (31 - day) + 2);
    if (m == 1 && day == 1)
        return date_next_working_day(d + 1);
    if (m == 8) /* to 1 September, then the first working day */
        return date_next_working_day(d + (31 - day) + 1);
    return d;
}

/* Tribunal time limit: the later of 2 months from the decision letter and 1
 * month from the first mediation certificate that belongs to this letter
 * (on or after it, before the next letter); an end date from 25 December to
 * 1 January, or in August, rolls forward to the next working day after it. */
static date_t appeal_due(const engine *g, size_t pos, date_t due, date_t *extension)
{
    date_t letter = g->eff[pos].e->date, next = DATE_NONE;
    for (size_t k = pos + 1; k < g->neff && next == DATE_NONE; k++)
        if (g->eff[k].e->type == EV_DECISION_LETTER)
            next = g->eff[k].e->date;
    for (size_t k = 0; k < g->neff; k++) {
        const event *c = g->eff[k].e;
        if (c->type != EV_MEDIATION_CERTIFICATE || c->date < letter)
            continue;
        if (next != DATE_NONE && c->date >= next)
            break;
        date_t by = date_add_months(c->date, 1);
        if (by > due) {
            due = by;
            *extension = c->date;
        }
        break;
    }
    return appeal_roll_forward(due);
}

static void explain_appeal(const journey_deadline *d, sb *s);

/*
 * One row per statutory step (facts file §0). Order matters: it breaks ties
 * between steps due the same day. The annual review also starts from a
 * transfer_in: reg 15(5) sets the first review by the later of 12 months
 * from the plan being made or last reviewed and 3 months from the transfer,
 * but the log of a transferred-in plan does not hold those earlier dates,
 * so the chain runs from the transfer date (12 months) instead.
 */
static const journey_rule rules[] = {
    {.key = "decision_to_assess", .triggers = BIT(EV_REQUEST_RECEIVED),
     .only_to = TRANSFER_NONE, .unit = UNIT_WEEKS, .amount = 6,
     .completer = EV_DECISION_TO_ASSESS,
     .basis = "SEND Regulations 2014, regulation 5(1)",
     .duty = "The council must decide whether to carry out an EHC needs assessment"},
    {.key = "advice", .triggers = BIT(EV_ADVICE_REQUESTED), .only_to = TRANSFER_NONE,
     .unit = UNIT_WEEKS, .amount = 6, .completer = EV_ADVICE_RECEIVED,
     .exclusive = true, .per_agency = true,
     .basis = "SEND Regulations 2014, regulation 8",
     .duty = "advice must be given"},
    {.key = "no_plan_decision", .triggers = BIT(EV_REQUEST_RECEIVED),
     .only_to = TRANSFER_NONE, .unit = UNIT_WEEKS, .amount = 16,
     .completer = EV_DECISION_NOT_TO_ISSUE, .needs_completer = true,
     .basis = "SEND Regulations 2014, regulation 10(1)",
     .duty = "The council must tell the family, with reasons, that it will not issue an "
             "EHC plan"},
    {.key = "final_plan", .triggers = BIT(EV_REQUEST_RECEIVED), .only_to = TRANSFER_NONE,
     .unit = UNIT_WEEKS, .amount = 20, .completer = EV_FINAL_PLAN_ISSUED,
     .applies = final_plan_applies,
     .basis = "SEND Regulations 2014, regulation 13(2)",
     .duty = "The final EHC plan must be issued"},
    {.key = "transfer_notice", .triggers = BIT(EV_TRANSFER_IN), .only_to = TRANSFER_NONE,
     .unit = UNIT_WEEKS, .amount = 6, .completer = EV_TRANSFER_NOTICE_ISSUED,
     .basis = "SEND Regulations 2014, regulation 15(4)",
     .duty = "The council must tell the family that the plan has transferred, whether it "
             "will reassess and when it will review the plan"},
    {.key = "annual_review",
     .triggers = BIT(EV_FINAL_PLAN_ISSUED) | BIT(EV_REVIEW_MEETING) | BIT(EV_TRANSFER_IN),
     .only_to = TRANSFER_NONE, .unit = UNIT_MONTHS, .amount = 12,
     .completer = EV_REVIEW_MEETING, .strictly_after = true, .exclusive = true,
     .basis = "Children and Families Act 2014, section 44",
     .duty = "The plan must be reviewed"},
    {.key = "review_decision", .triggers = BIT(EV_REVIEW_MEETING), .only_to = TRANSFER_NONE,
     .unit = UNIT_WEEKS, .amount = 4, .completer = EV_REVIEW_DECISION, .exclusive = true,
     .basis = "SEND Regulations 2014, regulation 20; Code of Practice 9.176",
     .duty = "The council must decide whether to keep, amend or cease the plan, and tell "
             "the family,"},
    {.key = "review_report", .triggers = BIT(EV_REVIEW_MEETING), .only_to = TRANSFER_NONE,
     .unit = UNIT_WEEKS, .amount = 2, .completer = EV_REVIEW_REPORT_RECEIVED,
     .exclusive = true,
     .basis = "SEND Regulations 2014, regulation 20 (as local authorities apply it)",
     .duty = "The school or setting must send its review report to the council and "
             "everyone invited"},
    {.key = "amendment_comments", .triggers = BIT(EV_AMENDMENT_PROPOSED),
     .only_to = TRANSFER_NONE, .unit = UNIT_DAYS, .amount = 15,
     .completer = EV_AMENDMENT_PROPOSED, .family_window = true, .closes_itself = true,
     .basis = "SEND Regulations 2014, regulation 22(2)(c)",
     .duty = "The family can comment on the proposed amendments, ask for a particular "
             "school or college, or ask for a meeting,"},
    {.key = "amended_plan", .triggers = BIT(EV_AMENDMENT_PROPOSED), .only_to = TRANSFER_NONE,
     .unit = UNIT_WEEKS, .amount = 8, .completer = EV_AMENDED_PLAN_ISSUED, .exclusive = true,
     .basis = "SEND Regulations 2014, regulation 22(3)",
     .duty = "The amended plan must be issued"},
    {.key = "phase_transfer", .triggers = BIT(EV_PHASE_TRANSFER_DUE), .only_to = TRANSFER_SCHOOL,
     .unit = UNIT_FIXED, .fixed_month = 2, .fixed_day = 15,
     .completer = EV_AMENDED_PLAN_ISSUED,
     .basis = "SEND Regulations 2014, regulation 18(1)(b)",
     .duty = "Before the move to the next school, the council must review the plan and "
             "issue an amended plan naming the new school"},
    {.key = "phase_transfer", .triggers = BIT(EV_PHASE_TRANSFER_DUE), .only_to = TRANSFER_POST16,
     .unit = UNIT_FIXED, .fixed_month = 3, .fixed_day = 31,
     .completer = EV_AMENDED_PLAN_ISSUED,
     .basis = "SEND Regulations 2014, regulation 18(1)(a)",
     .duty = "Before the move from school to post-16 education, the council must review "
             "the plan and issue an amended plan naming the college or other setting"},
    {.key = "appeal_deadline", .triggers = BIT(EV_DECISION_LETTER), .only_to = TRANSFER_NONE,
     .unit = UNIT_MONTHS, .amount = 2, .completer = EV_APPEAL_LODGED,
     .adjust_due = appeal_due, .explain = explain_appeal, .family_window = true,
     .basis = "First-tier Tribunal (SEND) time limit: 2 months from the decision, or 1 "
              "month from a mediation certificate",
     .duty = "You can appeal to the First-tier Tribunal (SEND)"},
};

_Static_assert(COUNT_OF(rules) < UINT8_MAX, "rule index must fit engine.used stamps");
_Static_assert(EV_TYPE_COUNT <= 32, "event types must fit a 32-bit mask");

size_t journey_rule_count(void) { return COUNT_OF(rules); }
const journey_rule *journey_rule_at(size_t i) { return i < COUNT_OF(rules) ? &rules[i] : NULL; }
const char *journey_rule_key(const journey_rule *r) { return r->key; }
const char *journey_rule_basis(const journey_rule *r) { return r->basis; }
bool journey_rule_is_family_window(const journey_rule *r) { return r->family_window; }

/* ---- the engine ---------------------------------------------------------- */

static date_t add_duration(const journey_rule *r, const event *trigger)
{
    date_t d = trigger->date, fixed = DATE_NONE;
    switch (r->unit) {
    case UNIT_DAYS: return date_add_days(d, r->amount);
    case UNIT_WEEKS: return date_add_weeks(d, r->amount);
    case UNIT_MONTHS: return date_add_months(d, r->amount);
    case UNIT_WORKING_DAYS: return date_add_working_days(d, r->amount);
    case UNIT_FIXED:
        /* transfer_year is checked to be 2000-2199, so this cannot fail */
        date_from_ymd(trigger->transfer_year, r->fixed_month, r->fixed_day, &fixed);
        return fixed;
    }
    return DATE_NONE;
}

/* The first completing event this instance accepts (marking it used when
 * the rule is exclusive), or DATE_NONE. Instances are visited in trigger
 * order, so "not already used by an earlier instance" falls out greedily. */
static date_t find_done(engine *g, size_t rule_index, const event *trigger)
{
    const journey_rule *r = &rules[rule_index];
    uint8_t stamp = (uint8_t)(rule_index + 1);
    for (size_t k = 0; k < g->neff; k++) {
        const event *c = g->eff[k].e;
        if (c->type != r->completer || c->date < trigger->date)
            continue;
        if ((r->strictly_after && c->date == trigger->date) ||
            (r->per_agency && c->agency != trigger->agency) ||
            (r->exclusive && g->used[k] == stamp))
            continue;
        if (r->exclusive)
            g->used[k] = stamp;
        return c->date;
    }
    return DATE_NONE;
}

static step_status status_at(date_t due, date_t done, date_t as_of)
{
    if (done != DATE_NONE)
        return done <= due ? STEP_MET : STEP_LATE;
    return as_of > due ? STEP_OVERDUE : STEP_PENDING;
}

static bool rule_applies(const engine *g, const journey_rule *r)
{
    if (!(g->present & r->triggers))
        return false;
    if (r->needs_completer && !(g->present & BIT(r->completer)))
        return false;
    return !r->applies || r->applies(g);
}

static bool rule_starts_on(const journey_rule *r, const event *e)
{
    return (r->triggers & BIT(e->type)) &&
           (r->only_to == TRANSFER_NONE || r->only_to == e->transfer_to);
}

/* Appends the rule's instances; returns how many were kept. */
static size_t run_rule(engine *g, size_t rule_index, date_t as_of, journey_deadline *out)
{
    const journey_rule *r = &rules[rule_index];
    size_t kept = 0;
    for (size_t pos = 0; pos < g->neff; pos++) {
        const event *e = g->eff[pos].e;
        if (!rule_starts_on(r, e))
            continue;
        journey_deadline d = {
            .rule = r,
            .agency = r->per_agency ? e->agency : AGENCY_NONE,
            .trigger = e->date,
            .trigger_event = g->log[g->eff[pos].index].id,
            .trigger_type = e->type,
            .extension = DATE_NONE,
        };
        d.due = add_duration(r, e);
        if (r->adjust_due)
            d.due = r->adjust_due(g, pos, d.due, &d.extension);
        d.done = r->closes_itself ? (as_of > d.due ? d.due : DATE_NONE)
                                  : find_done(g, rule_index, e);
        /* a ceased plan ends every duty still open; completed history stays,
         * and so do the family's own time limits */
        if (g->cease != DATE_NONE && !r->family_window &&
            (d.done == DATE_NONE || d.done > g->cease))
            continue;
        d.status = status_at(d.due, d.done, as_of);
        out[kept++] = d;
    }
    return kept;
}

/* Upper bound on instances: for each rule that applies, the effective
 * events of its trigger types (a mask has one to three bits). */
static size_t count_instances(const engine *g, const bool *applies)
{
    size_t total = 0;
    for (size_t i = 0; i < COUNT_OF(rules); i++)
        for (uint32_t m = applies[i] ? rules[i].triggers : 0; m; m &= m - 1)
            total += g->type_count[__builtin_ctz(m)];
    return total;
}

/* Stable by due date; rows went in by rule order then trigger date, which
 * gives the documented tie-breaks for free. */
static void sort_deadlines(journey_deadline *d, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        journey_deadline x = d[k];
        size_t j = k;
        while (j > 0 && d[j - 1].due > x.due) {
            d[j] = d[j - 1];
            j--;
        }
        d[j] = x;
    }
}

/* Stage each event moves the journey to; -1 leaves it. Outcomes decide for
 * the two decision events (outcome_stage). */
static const signed char type_stage[EV_TYPE_COUNT] = {
    [EV_REQUEST_RECEIVED] = STAGE_REQUEST,   [EV_DECISION_TO_ASSESS] = -1,
    [EV_ADVICE_REQUESTED] = -1,              [EV_ADVICE_RECEIVED] = -1,
    [EV_EXCEPTION] = -1,                     [EV_DECISION_NOT_TO_ISSUE] = STAGE_NO_PLAN,
    [EV_DRAFT_PLAN_ISSUED] = STAGE_DRAFT,    [EV_FINAL_PLAN_ISSUED] = STAGE_PLAN,
    [EV_REVIEW_MEETING] = STAGE_REVIEW,      [EV_REVIEW_DECISION] = -1,
    [EV_AMENDMENT_PROPOSED] = STAGE_AMENDMENT, [EV_AMENDED_PLAN_ISSUED] = STAGE_PLAN,
    [EV_PHASE_TRANSFER_DUE] = -1,            [EV_TRANSFER_IN] = STAGE_PLAN,
    [EV_TRANSFER_NOTICE_ISSUED] = -1,        [EV_DECISION_LETTER] = -1,
    [EV_MEDIATION_CERTIFICATE] = -1,         [EV_APPEAL_LODGED] = -1,
    [EV_PLAN_CEASED] = STAGE_CEASED,         [EV_REVIEW_REPORT_RECEIVED] = -1,
    [EV_CORRECTION] = -1,
};
static const signed char outcome_stage[OUTCOME_COUNT] = {
    [OUTCOME_ASSESS] = STAGE_ASSESSMENT, [OUTCOME_REFUSE] = STAGE_REFUSED,
    [OUTCOME_MAINTAIN] = STAGE_PLAN,     [OUTCOME_AMEND] = STAGE_AMENDMENT,
    [OUTCOME_CEASE] = STAGE_CEASED,
};

/* Latest relevant event wins. */
static journey_stage stage_of(const engine *g)
{
    journey_stage stage = STAGE_REQUEST;
    for (size_t k = 0; k < g->neff; k++) {
        const event *e = g->eff[k].e;
        int s = e->outcome != OUTCOME_NONE ? outcome_stage[e->outcome] : type_stage[e->type];
        if (s >= 0)
            stage = (journey_stage)s;
    }
    return stage;
}

/* Stage, exceptions and SEN2 20-week timeliness. */
static void summarise(const engine *g, journey_timeline *t)
{
    t->stage = stage_of(g);
    t->exceptions_apply = (g->present & BIT(EV_EXCEPTION)) != 0;
    t->request_date = g->start->type == EV_REQUEST_RECEIVED ? g->start->date : DATE_NONE;
    t->final_plan_date = DATE_NONE;
    for (size_t k = 0; k < g->neff && t->final_plan_date == DATE_NONE; k++)
        if (g->eff[k].e->type == EV_FINAL_PLAN_ISSUED)
            t->final_plan_date = g->eff[k].e->date;
    t->within_20_weeks = -1;
    t->weeks_x10 = -1;
    if (t->request_date != DATE_NONE && t->final_plan_date != DATE_NONE) {
        int days = t->final_plan_date - t->request_date; /* >= 0: validated */
        t->within_20_weeks = days <= 20 * 7;
        t->weeks_x10 = (20 * days + 7) / 14; /* days * 10 / 7, rounded half up */
    }
}

static void find_next(journey_timeline *t, date_t as_of)
{
    t->next = NULL;
    t->next_due = DATE_NONE;
    t->overdue_count = 0;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (d->done != DATE_NONE || d->rule->family_window)
            continue;
        if (!t->next) {
            t->next = d;
            t->next_due = d->due;
        }
        t->overdue_count += as_of > d->due;
    }
}

int journey_compute(const event *events, size_t n, date_t as_of, arena *a,
                    journey_timeline *out, journey_error *err)
{
    engine g;
    int rc = engine_load(&g, events, n, err);
    if (rc)
        return rc;
    *out = (journey_timeline){0};
    summarise(&g, out);
    bool applies[COUNT_OF(rules)];
    for (size_t i = 0; i < COUNT_OF(rules); i++)
        applies[i] = rule_applies(&g, &rules[i]);
    size_t cap = count_instances(&g, applies);
    if (cap > 0) {
        out->deadlines = arena_alloc(a, cap * sizeof *out->deadlines);
        if (!out->deadlines)
            return fail(err, &g, 0, NULL, "needs more memory than the limit allows",
                        SH_ENOMEM);
    }
    memset(g.used, 0, g.neff);
    for (size_t i = 0; i < COUNT_OF(rules); i++)
        if (applies[i])
            out->n_deadlines += run_rule(&g, i, as_of, out->deadlines + out->n_deadlines);
    sort_deadlines(out->deadlines, out->n_deadlines);
    find_next(out, as_of);
    return SH_OK;
}

int journey_effective(const event *events, size_t n, arena *a, const event ***out,
                      size_t *nout, journey_error *err)
{
    engine g;
    int rc = engine_load(&g, events, n, err);
    if (rc)
        return rc;
    const event **v = arena_alloc(a, g.neff * sizeof *v);
    if (!v)
        return fail(err, &g, 0, NULL, "needs more memory than the limit allows", SH_ENOMEM);
    /* The start leads even when a same-day event was logged before its
     * replacement, so the list is itself a valid journey. */
    size_t m = 1;
    v[0] = g.start;
    for (size_t k = 0; k < g.neff; k++)
        if (g.eff[k].e != g.start)
            v[m++] = g.eff[k].e;
    *out = v;
    *nout = m;
    return SH_OK;
}

/* ---- names and explanations ---------------------------------------------- */

static const char *const stage_names[STAGE_COUNT] = {
    "request", "assessment", "refused", "no_plan", "draft",
    "plan",    "review",     "amendment", "ceased",
};
static const char *const stage_labels[STAGE_COUNT] = {
    "Request received", "Needs assessment", "Assessment refused",
    "No plan issued",   "Draft plan",       "Plan in place",
    "Annual review",    "Amending the plan", "Plan ceased",
};
static const char *const status_names[] = {"pending", "met", "late", "overdue"};

const char *journey_stage_name(journey_stage s)
{
    return (unsigned)s < STAGE_COUNT ? stage_names[s] : "unknown";
}
const char *journey_stage_label(journey_stage s)
{
    return (unsigned)s < STAGE_COUNT ? stage_labels[s] : "Unknown";
}
const char *journey_status_name(step_status s)
{
    return (unsigned)s < COUNT_OF(status_names) ? status_names[s] : "unknown";
}

/* Copies text to out[pos..n) as snprintf would (cut to fit, NUL kept);
 * returns pos + strlen(text). */
static size_t put_cut(char *out, size_t n, size_t pos, const char *text)
{
    size_t len = strlen(text);
    if (pos < n) {
        size_t room = n - pos - 1, copy = len < room ? len : room;
        memcpy(out + pos, text, copy);
        out[pos + copy] = '\0';
    }
    return pos + len;
}

/* Without snprintf: it runs for every deadline of every timeline served. */
const char *journey_step_name(const journey_deadline *d, char *out, size_t n)
{
    if (n == 0)
        return out;
    size_t pos = put_cut(out, n, 0, d->rule->key);
    if (d->rule->per_agency && event_agency_name(d->agency)) {
        pos = put_cut(out, n, pos, ":");
        put_cut(out, n, pos, event_agency_name(d->agency));
    }
    return out;
}

static void sb_puts(sb *s, const char *text)
{
    size_t len = strlen(text);
    if (s->len < s->cap) {
        size_t room = s->cap - s->len - 1, copy = len < room ? len : room;
        memcpy(s->out + s->len, text, copy);
        s->out[s->len + copy] = '\0';
    }
    s->len += len;
}

static void sb_date(sb *s, date_t d)
{
    char text[40];
    date_format_long(d, text, sizeof text);
    sb_puts(s, text);
}

/* v is a rule's amount: a small positive count (written without snprintf,
 * like every piece of an explanation). */
static void sb_int(sb *s, int v)
{
    char text[16], *p = text + sizeof text;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    *--p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    sb_puts(s, p);
}

/* "within 6 weeks", "within 12 months" */
static void sb_duration(sb *s, const journey_rule *r)
{
    static const char *const units[][2] = {
        [UNIT_DAYS] = {"day", "days"},
        [UNIT_WEEKS] = {"week", "weeks"},
        [UNIT_MONTHS] = {"month", "months"},
        [UNIT_WORKING_DAYS] = {"working day", "working days"},
        [UNIT_FIXED] = {"", ""},
    };
    sb_puts(s, " within ");
    sb_int(s, r->amount);
    sb_puts(s, " ");
    sb_puts(s, units[r->unit][r->amount != 1]);
}

/* What the clock runs from, by the type of the event that started it. */
static const char *since_phrase(event_type t)
{
    switch (t) {
    case EV_REQUEST_RECEIVED: return " of receiving the request on ";
    case EV_ADVICE_REQUESTED: return " of being requested on ";
    case EV_FINAL_PLAN_ISSUED: return " of the plan being issued on ";
    case EV_REVIEW_MEETING: return " of the review meeting on ";
    case EV_AMENDMENT_PROPOSED: return " of the proposed amendments being sent on ";
    case EV_TRANSFER_IN: return " of the plan transferring in on ";
    case EV_DECISION_LETTER: return " of the decision letter of ";
    default: return " of the event on ";
    }
}

static const char *const agency_phrases[AGENCY_COUNT] = {
    "educational", "health", "social care", "educational psychology", "other requested",
};

static void explain_generic(const journey_deadline *d, sb *s)
{
    const journey_rule *r = d->rule;
    if (r->per_agency && (unsigned)d->agency < AGENCY_COUNT) {
        sb_puts(s, "The ");
        sb_puts(s, agency_phrases[d->agency]);
        sb_puts(s, " ");
    }
    sb_puts(s, r->duty);
    if (r->unit == UNIT_FIXED) {
        sb_puts(s, " by ");
    } else {
        sb_duration(s, r);
        sb_puts(s, since_phrase(d->trigger_type));
        sb_date(s, d->trigger);
        sb_puts(s, ", so by ");
    }
    sb_date(s, d->due);
    sb_puts(s, ".");
}

/* The appeal sentence says which clock won and, when the end date rolled
 * forward, from what and why. The unrolled date is recomputed from the
 * trigger and the extension, so nothing extra is stored per deadline. */
static void explain_appeal(const journey_deadline *d, sb *s)
{
    const journey_rule *r = d->rule;
    sb_puts(s, r->duty);
    sb_duration(s, r);
    sb_puts(s, since_phrase(d->trigger_type));
    sb_date(s, d->trigger);
    date_t raw = date_add_months(d->trigger, r->amount);
    if (d->extension != DATE_NONE) {
        sb_puts(s, " or within 1 month of the mediation certificate of ");
        sb_date(s, d->extension);
        sb_puts(s, ", whichever is later");
        raw = date_add_months(d->extension, 1);
    }
    if (raw == d->due) {
        sb_puts(s, ", so by ");
        sb_date(s, d->due);
        sb_puts(s, ".");
        return;
    }
    int month;
    date_to_ymd(raw, NULL, &month, NULL);
    sb_puts(s, "; that would be ");
    sb_date(s, raw);
    sb_puts(s, month == 8 ? ", which falls in August"
                          : ", which falls between 25 December and 1 January");
    sb_puts(s, ", so it moves to ");
    sb_date(s, d->due);
    sb_puts(s, ".");
}

size_t journey_explain(const journey_deadline *d, char *out, size_t n)
{
    sb s = {out, n, 0};
    if (n > 0)
        out[0] = '\0';
    (d->rule->explain ? d->rule->explain : explain_generic)(d, &s);
    return s.len;
}
