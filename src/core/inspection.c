/*
 * inspection.c — frameworks, outcomes, findings, follow-up dates and
 * measure trajectories (inspection.h). Name tables are indexed by the enum
 * values so a name and its value cannot drift apart.
 */
#include "core/inspection.h"

#include <math.h>
#include <string.h>

#include "util/err.h"

static const char *const framework_names[INSP_FW_COUNT] = {"2016", "2023"};
static const char *const framework_labels[INSP_FW_COUNT] = {
    "Local area SEND inspection (2016 framework)",
    "Area SEND inspection (2023 framework)",
};
static const char *const outcome_names[INSP_OUT_COUNT] = {
    "no_wsoa", "wsoa", "positive", "inconsistent", "widespread",
};
static const char *const outcome_labels[INSP_OUT_COUNT] = {
    "No written statement of action required",
    "Significant weaknesses: written statement of action required",
    "Typically positive experiences and outcomes",
    "Inconsistent experiences and outcomes",
    "Widespread and/or systemic failings",
};
static const insp_framework outcome_framework[INSP_OUT_COUNT] = {
    INSP_FW_2016, INSP_FW_2016, INSP_FW_2023, INSP_FW_2023, INSP_FW_2023,
};
static const char *const finding_names[INSP_FIND_COUNT] = {
    "significant_weakness", "priority_action", "improvement", "strength",
};
static const char *const finding_labels[INSP_FIND_COUNT] = {
    "Area of significant weakness", "Area for priority action", "Area for improvement",
    "Strength",
};
static const char *const org_names[INSP_ORG_COUNT] = {"council", "nhs", "school", "pcf"};
static const char *const org_labels[INSP_ORG_COUNT] = {"Council", "NHS", "School or college",
                                                       "Parent carer forum"};
static const char *const action_names[INSP_ACT_COUNT] = {
    "not_started", "on_track", "at_risk", "off_track", "done",
};
static const char *const action_labels[INSP_ACT_COUNT] = {
    "Not started", "On track", "At risk", "Off track", "Done",
};
static const insp_rag action_rag[INSP_ACT_COUNT] = {
    INSP_RAG_NONE, INSP_RAG_GREEN, INSP_RAG_AMBER, INSP_RAG_RED, INSP_RAG_DONE,
};
static const struct {
    const char *name, *label;
    metrics_counter num, den; /* a rate's; unused for a wait */
    bool weeks;               /* a wait in weeks, lower is better */
} measures[INSP_M_COUNT] = {
    {"plans_20w", "% of new EHC plans issued within 20 weeks", MC_PLANS_20W, MC_PLANS, false},
    {"decisions_6w", "% of decisions whether to assess made within 6 weeks", MC_DECISIONS_6W,
     MC_DECISIONS, false},
    {"reviews_on_time", "% of annual reviews held on time", MC_REVIEWS_ON_TIME, MC_REVIEWS_DUE,
     false},
    {"wait_median", "Median wait (weeks)", MC_PLANS, MC_PLANS, true},
};
static const char *const track_labels[INSP_TRACK_COUNT] = {"On track", "Off track"};
static const char *const move_labels[INSP_MOVE_COUNT] = {"Improving", "No change", "Worsening"};

static const char *name_of(const char *const *names, int count, int v)
{
    return v >= 0 && v < count ? names[v] : "unknown";
}

static const char *label_of(const char *const *labels, int count, int v)
{
    return v >= 0 && v < count ? labels[v] : "Unknown";
}

static int name_parse(const char *const *names, int count, const char *s, int *out)
{
    for (int i = 0; s && i < count; i++)
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return SH_OK;
        }
    return SH_EINVAL;
}

const char *insp_framework_name(insp_framework f) { return name_of(framework_names, INSP_FW_COUNT, (int)f); }
const char *insp_framework_label(insp_framework f) { return label_of(framework_labels, INSP_FW_COUNT, (int)f); }
const char *insp_outcome_name(insp_outcome o) { return name_of(outcome_names, INSP_OUT_COUNT, (int)o); }
const char *insp_outcome_label(insp_outcome o) { return label_of(outcome_labels, INSP_OUT_COUNT, (int)o); }
const char *insp_finding_name(insp_finding_kind k) { return name_of(finding_names, INSP_FIND_COUNT, (int)k); }
const char *insp_finding_label(insp_finding_kind k) { return label_of(finding_labels, INSP_FIND_COUNT, (int)k); }
const char *insp_track_label(insp_track k) { return label_of(track_labels, INSP_TRACK_COUNT, (int)k); }
const char *insp_move_label(insp_move m) { return label_of(move_labels, INSP_MOVE_COUNT, (int)m); }

const char *insp_org_name(insp_org o) { return name_of(org_names, INSP_ORG_COUNT, (int)o); }
const char *insp_org_label(insp_org o) { return label_of(org_labels, INSP_ORG_COUNT, (int)o); }
const char *insp_action_name(insp_action_status a) { return name_of(action_names, INSP_ACT_COUNT, (int)a); }
const char *insp_action_label(insp_action_status a) { return label_of(action_labels, INSP_ACT_COUNT, (int)a); }

insp_rag insp_action_rag(insp_action_status a)
{
    return (unsigned)a < INSP_ACT_COUNT ? action_rag[a] : INSP_RAG_NONE;
}

bool insp_action_late(insp_action_status a, date_t due, date_t today)
{
    return a != INSP_ACT_DONE && due != DATE_NONE && today > due;
}

int insp_org_parse(const char *s, insp_org *out)
{
    int v = 0;
    int rc = name_parse(org_names, INSP_ORG_COUNT, s, &v);
    if (rc == SH_OK)
        *out = (insp_org)v;
    return rc;
}

int insp_action_parse(const char *s, insp_action_status *out)
{
    int v = 0;
    int rc = name_parse(action_names, INSP_ACT_COUNT, s, &v);
    if (rc == SH_OK)
        *out = (insp_action_status)v;
    return rc;
}

const char *insp_measure_name(insp_measure k)
{
    return (unsigned)k < INSP_M_COUNT ? measures[k].name : "unknown";
}

const char *insp_measure_label(insp_measure k)
{
    return (unsigned)k < INSP_M_COUNT ? measures[k].label : "Unknown";
}

int insp_measure_parse(const char *s, insp_measure *out)
{
    for (int k = 0; s && k < INSP_M_COUNT; k++)
        if (strcmp(measures[k].name, s) == 0) {
            *out = (insp_measure)k;
            return SH_OK;
        }
    return SH_EINVAL;
}

bool insp_measure_higher_is_better(insp_measure k)
{
    return !insp_measure_in_weeks(k);
}

bool insp_measure_in_weeks(insp_measure k)
{
    return (unsigned)k < INSP_M_COUNT && measures[k].weeks;
}

int insp_measure_max_x10(insp_measure k)
{
    return insp_measure_in_weeks(k) ? INSP_WEEKS_MAX_X10 : INSP_PERCENT_MAX_X10;
}

int insp_weeks_x10(int days)
{
    if (days < 0)
        return -1;
    long x10 = ((long)days * 10 * 2 + 7) / 14; /* days * 10 / 7, to nearest */
    return x10 > INSP_WEEKS_MAX_X10 ? INSP_WEEKS_MAX_X10 : (int)x10;
}

int insp_measure_value_x10(const metrics *m, insp_measure k, int period)
{
    if ((unsigned)k >= INSP_M_COUNT || measures[k].weeks)
        return -1;
    return metrics_rate_x10(metrics_value(m, measures[k].num, period),
                            metrics_value(m, measures[k].den, period));
}

int insp_framework_parse(const char *s, insp_framework *out)
{
    int v = 0;
    int rc = name_parse(framework_names, INSP_FW_COUNT, s, &v);
    if (rc == SH_OK)
        *out = (insp_framework)v;
    return rc;
}

int insp_outcome_parse(const char *s, insp_outcome *out)
{
    int v = 0;
    int rc = name_parse(outcome_names, INSP_OUT_COUNT, s, &v);
    if (rc == SH_OK)
        *out = (insp_outcome)v;
    return rc;
}

int insp_finding_parse(const char *s, insp_finding_kind *out)
{
    int v = 0;
    int rc = name_parse(finding_names, INSP_FIND_COUNT, s, &v);
    if (rc == SH_OK)
        *out = (insp_finding_kind)v;
    return rc;
}

bool insp_outcome_valid(insp_framework f, insp_outcome o)
{
    return (unsigned)o < INSP_OUT_COUNT && (unsigned)f < INSP_FW_COUNT && outcome_framework[o] == f;
}

bool insp_finding_valid(insp_framework f, insp_finding_kind k)
{
    switch (k) {
    case INSP_FIND_SIGNIFICANT_WEAKNESS: return f == INSP_FW_2016;
    case INSP_FIND_PRIORITY_ACTION: return f == INSP_FW_2023;
    case INSP_FIND_IMPROVEMENT:
    case INSP_FIND_STRENGTH: return (unsigned)f < INSP_FW_COUNT;
    default: return false;
    }
}

bool insp_outcome_needs_plan(insp_outcome o)
{
    return o == INSP_OUT_2016_WSOA || o == INSP_OUT_2023_WIDESPREAD;
}

static bool date_in_range(date_t d)
{
    return d != DATE_NONE && d >= DATE_MIN_DAY && d <= DATE_MAX_DAY;
}

/* An optional date: absent, or in range and not before `published`. */
static bool optional_after(date_t d, date_t published)
{
    return d == DATE_NONE || (date_in_range(d) && d >= published);
}

int insp_followup_compute(insp_framework f, insp_outcome o, date_t published, date_t accepted,
                          date_t stated_due, insp_followup *out)
{
    if (!insp_outcome_valid(f, o) || !date_in_range(published) ||
        !optional_after(accepted, published) || !optional_after(stated_due, published))
        return SH_EINVAL;
    insp_followup r = {.plan_required = insp_outcome_needs_plan(o), .plan_due = DATE_NONE,
                       .monitor_from = DATE_NONE, .monitor_by = DATE_NONE,
                       .next_full_by = DATE_NONE};
    switch (o) {
    case INSP_OUT_2016_WSOA:
        r.plan_due = date_add_working_days(published, INSP_WSOA_WORKING_DAYS);
        r.plan_due_computed = true;
        if (accepted != DATE_NONE) { /* the revisit runs from the acceptance */
            r.monitor_from = accepted;
            r.monitor_by = date_add_months(accepted, INSP_MONITOR_MONTHS);
        }
        break;
    case INSP_OUT_2023_WIDESPREAD:
        r.plan_due = stated_due;
        r.monitor_from = published;
        r.monitor_by = date_add_months(published, INSP_MONITOR_MONTHS);
        r.next_full_by = date_add_months(published, INSP_NEXT_FULL_OTHER_MONTHS);
        break;
    case INSP_OUT_2023_INCONSISTENT:
        r.next_full_by = date_add_months(published, INSP_NEXT_FULL_OTHER_MONTHS);
        break;
    case INSP_OUT_2023_POSITIVE:
        r.next_full_by = date_add_months(published, INSP_NEXT_FULL_POSITIVE_MONTHS);
        break;
    default: /* 2016 without a WSoA: the one-off round set nothing running */
        break;
    }
    *out = r;
    return SH_OK;
}

int insp_trajectory_check(const insp_trajectory *t)
{
    if (!t || !date_in_range(t->baseline_date) || !date_in_range(t->target_date) ||
        t->baseline_date >= t->target_date || !isfinite(t->baseline) || !isfinite(t->target))
        return SH_EINVAL;
    bool worse = t->higher_is_better ? t->target < t->baseline : t->target > t->baseline;
    return worse ? SH_EINVAL : SH_OK;
}

double insp_trajectory_expected(const insp_trajectory *t, date_t on)
{
    if (on <= t->baseline_date)
        return t->baseline;
    if (on >= t->target_date)
        return t->target;
    double span = (double)t->target_date - (double)t->baseline_date;
    double done = (double)on - (double)t->baseline_date;
    return t->baseline + (t->target - t->baseline) * done / span;
}

insp_track insp_trajectory_track(const insp_trajectory *t, date_t on, double actual)
{
    double want = insp_trajectory_expected(t, on);
    bool ok = t->higher_is_better ? actual >= want : actual <= want;
    return ok ? INSP_TRACK_ON : INSP_TRACK_OFF;
}

insp_move insp_trajectory_move(const insp_trajectory *t, double earlier, double later)
{
    if (later == earlier)
        return INSP_MOVE_SAME;
    bool up = later > earlier;
    return up == t->higher_is_better ? INSP_MOVE_BETTER : INSP_MOVE_WORSE;
}

insp_person_dates insp_person_dates_of(const event *const *effective, size_t n)
{
    insp_person_dates d = {.decision = DATE_NONE, .last_review = DATE_NONE};
    for (size_t i = 0; i < n; i++) {
        const event *e = effective[i];
        date_t *latest = e->type == EV_DECISION_TO_ASSESS ? &d.decision
                         : e->type == EV_REVIEW_MEETING  ? &d.last_review
                                                         : NULL;
        if (latest && e->date > *latest) /* DATE_NONE is below every date */
            *latest = e->date;
    }
    return d;
}
