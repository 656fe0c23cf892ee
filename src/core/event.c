/*
 * event.c — wire names, labels and field checks for journey events.
 *
 * The name tables are indexed by the enum values, so a name and its value can
 * never drift apart; parsing is a linear search over at most 20 names, which
 * is cheaper than hashing at these sizes.
 */
#include "core/event.h"

#include <string.h>

#include "util/err.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const type_names[EV_TYPE_COUNT] = {
    [EV_REQUEST_RECEIVED] = "request_received",
    [EV_DECISION_TO_ASSESS] = "decision_to_assess",
    [EV_ADVICE_REQUESTED] = "advice_requested",
    [EV_ADVICE_RECEIVED] = "advice_received",
    [EV_EXCEPTION] = "exception",
    [EV_DECISION_NOT_TO_ISSUE] = "decision_not_to_issue",
    [EV_DRAFT_PLAN_ISSUED] = "draft_plan_issued",
    [EV_FINAL_PLAN_ISSUED] = "final_plan_issued",
    [EV_REVIEW_MEETING] = "review_meeting",
    [EV_REVIEW_DECISION] = "review_decision",
    [EV_AMENDMENT_PROPOSED] = "amendment_proposed",
    [EV_AMENDED_PLAN_ISSUED] = "amended_plan_issued",
    [EV_PHASE_TRANSFER_DUE] = "phase_transfer_due",
    [EV_TRANSFER_IN] = "transfer_in",
    [EV_TRANSFER_NOTICE_ISSUED] = "transfer_notice_issued",
    [EV_DECISION_LETTER] = "decision_letter",
    [EV_MEDIATION_CERTIFICATE] = "mediation_certificate",
    [EV_APPEAL_LODGED] = "appeal_lodged",
    [EV_PLAN_CEASED] = "plan_ceased",
    [EV_REVIEW_REPORT_RECEIVED] = "review_report_received",
    [EV_CORRECTION] = "correction",
};

static const char *const type_labels[EV_TYPE_COUNT] = {
    [EV_REQUEST_RECEIVED] = "Request for assessment received",
    [EV_DECISION_TO_ASSESS] = "Decision whether to assess",
    [EV_ADVICE_REQUESTED] = "Advice requested",
    [EV_ADVICE_RECEIVED] = "Advice received",
    [EV_EXCEPTION] = "Exception to the time limits",
    [EV_DECISION_NOT_TO_ISSUE] = "Decision not to issue a plan",
    [EV_DRAFT_PLAN_ISSUED] = "Draft plan issued",
    [EV_FINAL_PLAN_ISSUED] = "Final plan issued",
    [EV_REVIEW_MEETING] = "Annual review meeting",
    [EV_REVIEW_DECISION] = "Decision after review",
    [EV_AMENDMENT_PROPOSED] = "Amendments proposed",
    [EV_AMENDED_PLAN_ISSUED] = "Amended plan issued",
    [EV_PHASE_TRANSFER_DUE] = "Phase transfer due",
    [EV_TRANSFER_IN] = "Plan transferred in from another council",
    [EV_TRANSFER_NOTICE_ISSUED] = "Transfer notice sent to the family",
    [EV_DECISION_LETTER] = "Decision letter sent",
    [EV_MEDIATION_CERTIFICATE] = "Mediation certificate issued",
    [EV_APPEAL_LODGED] = "Appeal lodged",
    [EV_PLAN_CEASED] = "Plan ceased",
    [EV_REVIEW_REPORT_RECEIVED] = "Annual review report received",
    [EV_CORRECTION] = "Correction",
};

static const char *const agency_names[AGENCY_COUNT] = {
    "education", "health", "social_care", "psychology", "other",
};
static const char *const agency_labels[AGENCY_COUNT] = {
    "Education", "Health", "Social care", "Educational psychology", "Other",
};
static const char *const outcome_names[OUTCOME_COUNT] = {
    "assess", "refuse", "maintain", "amend", "cease",
};
static const char *const exception_names[EXC_COUNT] = {
    "school_closure", "early_years_closure", "personal_circumstances", "away_from_area",
};
static const char *const transfer_to_names[TRANSFER_TO_COUNT] = {"school", "post16"};

/* SEN2 `ceasereason` labels, facts file §1.4; index = code - 1. */
static const char *const cease_labels[] = {
    "Max Age",       "Needs Met",    "Higher Ed", "Employed", "Transfer Out",
    "No Engagement", "Left England", "Deceased",  "Other",
};

/* Index of the name equal to s[0..len), or -1. */
static int lookup(const char *const *names, int count, const char *s, size_t len)
{
    if (!s)
        return -1;
    for (int i = 0; i < count; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

/* names[v] when v is a valid index, else NULL (callers document when). */
static const char *name_at(const char *const *names, int count, int v)
{
    return v >= 0 && v < count ? names[v] : NULL;
}

void event_init(event *e, event_type type, date_t date)
{
    *e = (event){
        .id = 0,
        .type = type,
        .date = date,
        .agency = AGENCY_NONE,
        .outcome = OUTCOME_NONE,
        .exception = EXC_NONE,
        .cease_reason = 0,
        .transfer_year = 0,
        .transfer_to = TRANSFER_NONE,
        .supersedes = 0,
        .reason = NULL,
        .replacement = NULL,
    };
}

const char *event_type_name(event_type t) { return name_at(type_names, EV_TYPE_COUNT, (int)t); }
int event_type_parse(const char *s, size_t len) { return lookup(type_names, EV_TYPE_COUNT, s, len); }
const char *event_type_label(event_type t) { return name_at(type_labels, EV_TYPE_COUNT, (int)t); }

const char *event_agency_name(event_agency a) { return name_at(agency_names, AGENCY_COUNT, (int)a); }
const char *event_agency_label(event_agency a) { return name_at(agency_labels, AGENCY_COUNT, (int)a); }
event_agency event_agency_parse(const char *s, size_t len)
{
    return (event_agency)lookup(agency_names, AGENCY_COUNT, s, len);
}

const char *event_outcome_name(event_outcome o) { return name_at(outcome_names, OUTCOME_COUNT, (int)o); }
event_outcome event_outcome_parse(const char *s, size_t len)
{
    return (event_outcome)lookup(outcome_names, OUTCOME_COUNT, s, len);
}

const char *event_exception_name(event_exception x) { return name_at(exception_names, EXC_COUNT, (int)x); }
event_exception event_exception_parse(const char *s, size_t len)
{
    return (event_exception)lookup(exception_names, EXC_COUNT, s, len);
}

const char *event_transfer_to_name(event_transfer_to t)
{
    return name_at(transfer_to_names, TRANSFER_TO_COUNT, (int)t);
}
event_transfer_to event_transfer_to_parse(const char *s, size_t len)
{
    return (event_transfer_to)lookup(transfer_to_names, TRANSFER_TO_COUNT, s, len);
}

const char *event_cease_reason_label(int code)
{
    return code >= 1 && code <= (int)COUNT_OF(cease_labels) ? cease_labels[code - 1] : NULL;
}

/* ---- field checks ----------------------------------------------------------
 *
 * Field names come back as wire names. A correction's replacement is checked
 * with the same code, so its field names carry a "replacement." prefix; the
 * pairs below keep every name a static string (callers keep the pointer).
 */

enum { F_TYPE, F_DATE, F_ID, F_AGENCY, F_OUTCOME, F_REASON, F_TRANSFER_YEAR, F_TO,
       F_SUPERSEDES, F_REPLACEMENT, F_COUNT };

static const char *const field_names[2][F_COUNT] = {
    {"type", "date", "id", "agency", "outcome", "reason", "transfer_year", "to",
     "supersedes", "replacement"},
    {"replacement.type", "replacement.date", "replacement.id", "replacement.agency",
     "replacement.outcome", "replacement.reason", "replacement.transfer_year",
     "replacement.to", "replacement.supersedes", "replacement.replacement"},
};

typedef struct {
    const char *const *names; /* field_names[0] or [1] */
    const char **field, **why;
} check_ctx;

static int fail(const check_ctx *c, int f, const char *why)
{
    *c->field = c->names[f];
    *c->why = why;
    return SH_EINVAL;
}

/* The outcome values each type accepts, and the sentence when it is wrong. */
static int check_outcome(const check_ctx *c, const event *e)
{
    bool ok;
    if (e->type == EV_DECISION_TO_ASSESS) {
        ok = e->outcome == OUTCOME_ASSESS || e->outcome == OUTCOME_REFUSE;
        if (e->outcome == OUTCOME_NONE)
            return fail(c, F_OUTCOME, "is missing");
        return ok ? SH_OK : fail(c, F_OUTCOME, "is not assess or refuse");
    }
    ok = e->outcome == OUTCOME_MAINTAIN || e->outcome == OUTCOME_AMEND ||
         e->outcome == OUTCOME_CEASE;
    if (e->outcome == OUTCOME_NONE)
        return fail(c, F_OUTCOME, "is missing");
    return ok ? SH_OK : fail(c, F_OUTCOME, "is not maintain, amend or cease");
}

static int check_enum(const check_ctx *c, int f, int value, int count)
{
    if (value == -1)
        return fail(c, f, "is missing");
    return value >= 0 && value < count ? SH_OK : fail(c, f, "is not a known value");
}

static int check_one(const check_ctx *c, const event *e, bool nested);

static int check_correction(const check_ctx *c, const event *e)
{
    if (e->supersedes == 0)
        return fail(c, F_SUPERSEDES, "is missing");
    if (e->supersedes < 0)
        return fail(c, F_SUPERSEDES, "is not a positive event id");
    if (!e->reason)
        return fail(c, F_REASON, "is missing");
    if (e->reason[0] == '\0')
        return fail(c, F_REASON, "is empty: say why the event is being corrected");
    if (strnlen(e->reason, EVENT_REASON_MAX + 1) > EVENT_REASON_MAX)
        return fail(c, F_REASON, "is longer than 1000 bytes");
    if (!e->replacement)
        return SH_OK;
    check_ctx inner = {field_names[1], c->field, c->why};
    return check_one(&inner, e->replacement, true);
}

/* Fields a type does not use must be left "absent" (event_init), so an
 * event built by code can never carry a value that silently means nothing. */
static int check_unused(const check_ctx *c, const event *e)
{
    event_type t = e->type;
    if (e->agency != AGENCY_NONE && t != EV_ADVICE_REQUESTED && t != EV_ADVICE_RECEIVED)
        return fail(c, F_AGENCY, "is not a field of this event type");
    if (e->outcome != OUTCOME_NONE && t != EV_DECISION_TO_ASSESS && t != EV_REVIEW_DECISION)
        return fail(c, F_OUTCOME, "is not a field of this event type");
    if (e->exception != EXC_NONE && t != EV_EXCEPTION)
        return fail(c, F_REASON, "is not a field of this event type");
    if (e->cease_reason != 0 && t != EV_PLAN_CEASED)
        return fail(c, F_REASON, "is not a field of this event type");
    if ((e->transfer_year != 0) && t != EV_PHASE_TRANSFER_DUE)
        return fail(c, F_TRANSFER_YEAR, "is not a field of this event type");
    if (e->transfer_to != TRANSFER_NONE && t != EV_PHASE_TRANSFER_DUE)
        return fail(c, F_TO, "is not a field of this event type");
    if (t != EV_CORRECTION && (e->supersedes || e->reason || e->replacement))
        return fail(c, e->supersedes ? F_SUPERSEDES : e->reason ? F_REASON : F_REPLACEMENT,
                    "is not a field of this event type");
    return SH_OK;
}

static int check_one(const check_ctx *c, const event *e, bool nested)
{
    if ((int)e->type < 0 || e->type >= EV_TYPE_COUNT)
        return fail(c, F_TYPE, "is not a known event type");
    if (nested && e->type == EV_CORRECTION)
        return fail(c, F_TYPE, "cannot itself be a correction");
    if (e->id < 0)
        return fail(c, F_ID, "is not a positive event id");
    if (nested && e->id != 0)
        return fail(c, F_ID, "is not allowed: a replacement takes the correction's id");
    if (e->date == DATE_NONE)
        return fail(c, F_DATE, "is missing");
    /* Day numbers, not date_to_ymd: this runs for every event of every
     * journey computed. */
    if (e->date < DATE_MIN_DAY || e->date > DATE_MAX_DAY)
        return fail(c, F_DATE, "is outside the years 1900-2199");
    int rc = check_unused(c, e);
    if (rc)
        return rc;
    switch (e->type) {
    case EV_DECISION_TO_ASSESS:
    case EV_REVIEW_DECISION:
        return check_outcome(c, e);
    case EV_ADVICE_REQUESTED:
    case EV_ADVICE_RECEIVED:
        return check_enum(c, F_AGENCY, (int)e->agency, AGENCY_COUNT);
    case EV_EXCEPTION:
        return check_enum(c, F_REASON, (int)e->exception, EXC_COUNT);
    case EV_PHASE_TRANSFER_DUE:
        if (e->transfer_year == 0)
            return fail(c, F_TRANSFER_YEAR, "is missing");
        if (e->transfer_year < 2000 || e->transfer_year > 2199)
            return fail(c, F_TRANSFER_YEAR, "is not a year from 2000 to 2199");
        return check_enum(c, F_TO, (int)e->transfer_to, TRANSFER_TO_COUNT);
    case EV_PLAN_CEASED:
        if (e->cease_reason == 0)
            return fail(c, F_REASON, "is missing");
        return event_cease_reason_label(e->cease_reason)
                   ? SH_OK
                   : fail(c, F_REASON, "is not an SEN2 cease reason code from 1 to 9");
    case EV_CORRECTION:
        return check_correction(c, e);
    default:
        return SH_OK;
    }
}

int event_check_fields(const event *e, const char **field, const char **why)
{
    check_ctx c = {field_names[0], field, why};
    return check_one(&c, e, false);
}
