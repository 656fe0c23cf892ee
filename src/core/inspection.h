/*
 * inspection.h — area SEND inspections (Ofsted + CQC) and what follows them:
 * the two frameworks, their outcomes and kinds of finding, the follow-up
 * dates each outcome sets running, and the trajectory of a measure an
 * improvement plan promises to move.
 *
 * Pure: no I/O, no clock reads (callers pass the dates), no allocation.
 *
 * Sources (facts file §6; docs/RULES.md has one line per rule):
 *   - 2016 framework (May 2016-2022): where HMCI found significant
 *     weaknesses the local area wrote a Written Statement of Action (WSoA)
 *     within 70 working days of the outcome letter; a revisit followed,
 *     normally within 18 months of the WSoA being accepted as fit for
 *     purpose, judging "sufficient progress" per area of weakness.
 *   - 2023 framework (from January 2023): three outcomes. Positive: next
 *     full inspection in about 5 years. Inconsistent: about 3 years, with
 *     areas for improvement. Widespread and/or systemic failings: a
 *     priority action plan (area SEND) addressing the areas for priority
 *     action, a monitoring inspection usually within about 18 months and a
 *     full re-inspection within about 3 years. The handbook sets no number
 *     of days for the priority action plan in the facts we hold: its due date
 *     is the one the report's covering letter states, which the caller
 *     records; this module does not invent one.
 * Months are calendar months (date_add_months clamps 31st to the month end);
 * working days skip weekends and England and Wales bank holidays (date.h).
 */
#ifndef SH_INSPECTION_H
#define SH_INSPECTION_H

#include <stdbool.h>

#include "core/date.h"
#include "core/event.h"
#include "core/metrics.h"

/* WSoA: 70 working days from the outcome letter (2016 framework). */
#define INSP_WSOA_WORKING_DAYS 70
/* Revisit (2016) and monitoring inspection (2023): about 18 months. */
#define INSP_MONITOR_MONTHS 18
/* Next full inspection after each 2023 outcome. */
#define INSP_NEXT_FULL_POSITIVE_MONTHS 60
#define INSP_NEXT_FULL_OTHER_MONTHS 36

typedef enum { INSP_FW_2016, INSP_FW_2023, INSP_FW_COUNT } insp_framework;

/* Outcomes of both frameworks in one list; insp_outcome_valid says which
 * belong to which framework. The 2016 framework had no grade: the outcome
 * is whether the letter required a written statement of action. */
typedef enum {
    INSP_OUT_2016_NO_WSOA,     /* outcome letter, no significant weaknesses */
    INSP_OUT_2016_WSOA,        /* significant weaknesses: WSoA required */
    INSP_OUT_2023_POSITIVE,    /* typically positive experiences and outcomes */
    INSP_OUT_2023_INCONSISTENT,/* inconsistent experiences and outcomes */
    INSP_OUT_2023_WIDESPREAD,  /* widespread and/or systemic failings */
    INSP_OUT_COUNT
} insp_outcome;

/* What one finding of a report is. Significant weaknesses belong to 2016,
 * areas for priority action to 2023; areas for improvement and strengths
 * to both (2016 letters listed strengths and areas for development, which
 * is recorded as an area for improvement). */
typedef enum {
    INSP_FIND_SIGNIFICANT_WEAKNESS,
    INSP_FIND_PRIORITY_ACTION,
    INSP_FIND_IMPROVEMENT,
    INSP_FIND_STRENGTH,
    INSP_FIND_COUNT
} insp_finding_kind;

/* Wire names ("2016", "widespread", "priority_action") and the labels pages
 * show. Out-of-range values give "unknown" / "Unknown". Parsers return
 * SH_OK or SH_EINVAL (then *out is untouched). */
const char *insp_framework_name(insp_framework f);
const char *insp_framework_label(insp_framework f);
int insp_framework_parse(const char *s, insp_framework *out);
const char *insp_outcome_name(insp_outcome o);
const char *insp_outcome_label(insp_outcome o);
int insp_outcome_parse(const char *s, insp_outcome *out);
const char *insp_finding_name(insp_finding_kind k);
const char *insp_finding_label(insp_finding_kind k);
int insp_finding_parse(const char *s, insp_finding_kind *out);

/* Does the outcome / kind of finding exist under the framework? */
bool insp_outcome_valid(insp_framework f, insp_outcome o);
bool insp_finding_valid(insp_framework f, insp_finding_kind k);

/* Does the outcome oblige the partnership to write a plan for the
 * inspectors (WSoA or priority action plan)? */
bool insp_outcome_needs_plan(insp_outcome o);

/* The dates an outcome sets running. Every date is DATE_NONE when it does
 * not apply or cannot be known yet. */
typedef struct {
    bool plan_required;       /* WSoA (2016) or priority action plan (2023) */
    date_t plan_due;          /* 2016: 70 working days after the letter;
                                 2023: the date the letter states */
    bool plan_due_computed;   /* true when plan_due is a statutory count */
    /* Revisit (2016, from the WSoA's acceptance) or monitoring inspection
     * (2023, from the report): expected from .. by (about 18 months). */
    date_t monitor_from;
    date_t monitor_by;
    date_t next_full_by;      /* 2023 only: next full inspection, about */
} insp_followup;

/* The follow-up of an inspection. `published` is the day the outcome
 * letter (2016) or report (2023) was published; `accepted` the day a WSoA
 * was accepted as fit for purpose (2016; DATE_NONE until then: the revisit
 * window is unknown); `stated_due` the priority action plan's due date the
 * 2023 letter states (DATE_NONE if not recorded). SH_EINVAL when the outcome
 * is not one of the framework's, `published` is DATE_NONE or out of range,
 * or `accepted` is before `published`; *out is untouched then. */
int insp_followup_compute(insp_framework f, insp_outcome o, date_t published, date_t accepted,
                          date_t stated_due, insp_followup *out);

/* ---- improvement plan actions ------------------------------------------------
 * Each area of the plan has actions with an owner organisation, start and
 * due dates and a status the owner reports, shown with a RAG colour. */
typedef enum { INSP_ORG_COUNCIL, INSP_ORG_NHS, INSP_ORG_SCHOOL, INSP_ORG_PCF,
               INSP_ORG_COUNT } insp_org;
typedef enum {
    INSP_ACT_NOT_STARTED, INSP_ACT_ON_TRACK, INSP_ACT_AT_RISK, INSP_ACT_OFF_TRACK,
    INSP_ACT_DONE, INSP_ACT_COUNT
} insp_action_status;
typedef enum { INSP_RAG_NONE, INSP_RAG_GREEN, INSP_RAG_AMBER, INSP_RAG_RED,
               INSP_RAG_DONE } insp_rag;

/* "council", "nhs", "school", "pcf" / "Council", "NHS", "School or college",
 * "Parent carer forum". */
const char *insp_org_name(insp_org o);
const char *insp_org_label(insp_org o);
int insp_org_parse(const char *s, insp_org *out);
/* "not_started", "on_track", "at_risk", "off_track", "done" / "Not started",
 * "On track", "At risk", "Off track", "Done". */
const char *insp_action_name(insp_action_status a);
const char *insp_action_label(insp_action_status a);
int insp_action_parse(const char *s, insp_action_status *out);
/* Not started: none (grey); on track green; at risk amber; off track red;
 * done its own colour (blue). */
insp_rag insp_action_rag(insp_action_status a);
/* Late: not done and `today` after the due date. */
bool insp_action_late(insp_action_status a, date_t due, date_t today);

/* ---- measure trajectories ---------------------------------------------------
 * A measure an area of the plan is to move: from `baseline` on
 * `baseline_date` to `target` by `target_date`, in a straight line. Whether
 * higher is better is part of the measure ("% plans within 20 weeks" up,
 * "median weeks waiting" down).
 */
typedef struct {
    date_t baseline_date;
    double baseline;
    date_t target_date;
    double target;
    bool higher_is_better;
} insp_trajectory;

/* SH_EINVAL unless both dates are set with baseline_date < target_date,
 * both values are finite, and the target is no worse than the baseline in
 * the measure's direction (a target equal to the baseline is "hold"). */
int insp_trajectory_check(const insp_trajectory *t);

/* The value the line expects on `on`: the baseline on or before
 * baseline_date, the target on or after target_date, linear between. */
double insp_trajectory_expected(const insp_trajectory *t, date_t on);

typedef enum { INSP_TRACK_ON, INSP_TRACK_OFF, INSP_TRACK_COUNT } insp_track;

/* On track when `actual` on `on` is at least as good as the line expects
 * (>= when higher is better, <= otherwise). */
insp_track insp_trajectory_track(const insp_trajectory *t, date_t on, double actual);
const char *insp_track_label(insp_track k); /* "On track", "Off track" */

/* Is the measure moving the right way between two readings? */
typedef enum { INSP_MOVE_BETTER, INSP_MOVE_SAME, INSP_MOVE_WORSE, INSP_MOVE_COUNT } insp_move;
insp_move insp_trajectory_move(const insp_trajectory *t, double earlier, double later);
const char *insp_move_label(insp_move m); /* "Improving", "No change", "Worsening" */

/* ---- the measures a plan can link ------------------------------------------------
 * Rates from the performance dashboard (core/metrics, docs/METRICS.md), per
 * calendar month, in tenths of a percent (metrics_rate_x10): higher is
 * better for each. A month with nothing to count has no value (-1).
 * And a health pathway's median wait (core/wait: the median wait of the
 * children on its list at each month's end), in tenths of a week: lower is
 * better; the caller names the pathway and reads its list. */
typedef enum {
    INSP_M_PLANS_20W,        /* new plans issued within 20 weeks (with exceptions) */
    INSP_M_DECISIONS_6W,     /* decisions whether to assess within 6 weeks */
    INSP_M_REVIEWS_ON_TIME,  /* annual reviews held by their due date */
    INSP_M_WAIT_MEDIAN,      /* a pathway's median wait, weeks */
    INSP_M_COUNT
} insp_measure;

#define INSP_PERCENT_MAX_X10 1000 /* 100.0% */
#define INSP_WEEKS_MAX_X10 9999   /* 999.9 weeks */

const char *insp_measure_name(insp_measure k);  /* "plans_20w" */
const char *insp_measure_label(insp_measure k); /* "% of new EHC plans issued within 20 weeks" */
int insp_measure_parse(const char *s, insp_measure *out);
/* Whether more is better (the rates) or less (a wait), and the unit: a
 * wait is in weeks, the rates in percent. */
bool insp_measure_higher_is_better(insp_measure k);
bool insp_measure_in_weeks(insp_measure k);
/* The largest value the measure takes, x10 (INSP_PERCENT_MAX_X10 or
 * INSP_WEEKS_MAX_X10). */
int insp_measure_max_x10(insp_measure k);
/* A dashboard measure's value in a metrics period (metrics_period_month
 * ...), or -1 (nothing to count, or not a dashboard measure). */
int insp_measure_value_x10(const metrics *m, insp_measure k, int period);
/* Days as tenths of a week, rounded to nearest (10 days: 14 = 1.4 weeks),
 * at most INSP_WEEKS_MAX_X10; -1 for a negative (absent) wait. */
int insp_weeks_x10(int days);

/* ---- the person-level list -----------------------------------------------------
 * The dates of a child's journey the inspectors' list shows beyond the
 * case's cached summary (request, final plan): the decision whether to
 * assess and the last annual review meeting, as now known. */
typedef struct {
    date_t decision;     /* the latest decision whether to assess, DATE_NONE if none */
    date_t last_review;  /* the latest annual review meeting, DATE_NONE if none */
} insp_person_dates;

/* From a journey's effective events (journey_effective: corrections
 * applied, so a superseded date never shows), in any order. */
insp_person_dates insp_person_dates_of(const event *const *effective, size_t n);

#endif
