/*
 * health.h — the health side of a child's journey (issue 5): diagnostic and
 * therapy pathways, referrals to them and the waits on their lists, with
 * validation, authorisation (app/access.h) and audit (app/audit.h).
 *
 * Pathways are configured per area; app_health_pathways_seed gives a new
 * area the seven the issue names. A referral is recorded by a health
 * practitioner step by step (triage, clock stops and restarts, first contact,
 * assessment started and completed, outcome, discharge), or imported from a
 * provider's CSV extract as a whole file or not at all.
 *
 * The waits, bands, percentiles and forecasts are computed by core/wait.h
 * and core/forecast.h from the pathway's whole history (store_referrals_load);
 * this module only decides who may see them, audits the reads of a child's
 * referrals, and packages the figures for the edges.
 *
 * Allowed clock stops (docs/RULES.md). A referral's clock may be paused only
 * while the child is waiting (accepted or not yet triaged, not seen, not
 * discharged) and only for a delay the family chose, as the RTT rules allow
 * for patient-initiated delays:
 *   declined      the family declined reasonable appointments offered
 *   not_brought   the child was not brought to an appointment (DNA)
 *   postponed     the family asked to postpone (illness, exams, a move)
 * A service's own delays (staff, rooms, triage taking time) never stop the
 * clock. A stop is restarted when the family is ready again; one stop at a
 * time.
 *
 * Reads are audited by the edge that shows them (pages_audit, the API), as
 * for a case (app_case_get): object "referral" with the child's id, or
 * "waiting_list" with the pathway's id; writes are audited here, in their
 * transaction.
 *
 * Every use case takes the caller's identity and returns an app_error as
 * app.h: SH_EDENIED for a capability the caller lacks, SH_ENOTFOUND for a
 * record outside their area, SH_EINVAL with the field at fault.
 */
#ifndef SH_APP_HEALTH_H
#define SH_APP_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/forecast.h"
#include "core/wait.h"
#include "store/store_health.h"

#define HEALTH_EXTRA_CAPACITY_MAX 1000 /* the what-if "capacity +N per week" */
#define HEALTH_TREND_MONTHS 12
#define HEALTH_IMPORT_MAX_LINES 100000  /* rows in one CSV file */
#define HEALTH_IMPORT_MAX_BYTES (32u << 20)
#define HEALTH_IMPORT_MAX_ERRORS 200    /* line errors reported (the count goes on) */
#define HEALTH_ARENA_FOR_STATS (64u << 20) /* a pathway of 200,000 referrals fits */

/* ---- pathways ------------------------------------------------------------ */

/* Adds the seven standard pathways to the caller's area where a pathway of
 * that code is missing (existing ones are left as configured). Needs
 * CAN_CONFIGURE_PATHWAYS. *added counts the new ones (may be NULL). */
int app_health_pathways_seed(store *s, const app_identity *who, int *added, app_error *err);

/* The same without a transaction, an audit entry or an access check, for
 * the seed use case and the demo generator (inside its own transaction).
 * Working memory from a. */
int app_health_pathways_default(store *s, const char *la_code, arena *a, int *added);

/* The area's pathways (every health capability, and pathway configuration). */
int app_health_pathways(store *s, const app_identity *who, arena *a, store_pathway **out,
                        size_t *n, app_error *err);
int app_health_pathway_get(store *s, const app_identity *who, int64_t id, arena *a,
                           store_pathway *out, app_error *err);

/* Changes a pathway's provider (1-100 characters), standard (1-104 weeks),
 * capacity (0-10,000 a week) and whether it takes new referrals. Needs
 * CAN_CONFIGURE_PATHWAYS; audited. The code, name and clock-stop milestone
 * are fixed: they define what the pathway's history means. */
int app_health_pathway_update(store *s, const app_identity *who, int64_t id,
                              const char *provider, int standard_weeks, int capacity,
                              bool active, app_error *err);

/* ---- referrals -------------------------------------------------------------- */

/* Records a new referral of a child of the area to an active pathway: the
 * referrer 1-100 characters, the referral date a real date not after today
 * nor before the child's birth; for the autism pathway (code "autism",
 * under 18) the child must be under 18 on the referral date. Triage starts
 * pending. Needs CAN_RECORD_REFERRALS; audited. Sets r->id. */
int app_referral_create(store *s, const app_identity *who, store_referral *r, date_t today,
                        app_error *err);

typedef enum {
    HEALTH_STEP_TRIAGE,               /* "triage": accepted, rejected, redirected */
    HEALTH_STEP_CLOCK_STOP,           /* "clock_stop" with an allowed reason */
    HEALTH_STEP_CLOCK_RESTART,        /* "clock_restart" */
    HEALTH_STEP_FIRST_CONTACT,        /* "first_contact" */
    HEALTH_STEP_ASSESSMENT_STARTED,   /* "assessment_started" */
    HEALTH_STEP_ASSESSMENT_COMPLETED, /* "assessment_completed" */
    HEALTH_STEP_OUTCOME,              /* "outcome": diagnosis text, optional code */
    HEALTH_STEP_DISCHARGE,            /* "discharge" */
    HEALTH_STEP_COUNT
} health_step;

typedef enum {
    HEALTH_STOP_DECLINED, HEALTH_STOP_NOT_BROUGHT, HEALTH_STOP_POSTPONED, HEALTH_STOP_COUNT
} health_stop_reason;

/* Discharged, rejected or redirected: nothing more can be recorded. */
bool app_referral_closed(const store_referral *r);

const char *health_step_name(health_step s);     /* wire name, "" if out of range */
const char *health_step_label(health_step s);    /* "First contact" */
int health_step_parse(const char *s);            /* -1 if unknown */
const char *health_stop_reason_name(health_stop_reason r);
const char *health_stop_reason_label(health_stop_reason r);
int health_stop_reason_parse(const char *s);     /* -1 if unknown */

typedef struct {
    health_step step;
    date_t date;             /* required for every step except outcome */
    wait_triage triage;      /* triage: accepted, rejected or redirected */
    const char *reason;      /* triage rejected/redirected: why (1-500); clock stop: a
                                note (optional, up to 400) */
    int stop_reason;         /* clock stop: health_stop_reason */
    const char *outcome;     /* outcome: 1-1000 characters */
    const char *outcome_code;/* outcome: optional, 1-20 of A-Z a-z 0-9 . - */
} health_step_input;

/* Records one step on a referral, checked against what it already records
 * (order of the milestones, nothing after discharge or a rejection, the
 * allowed clock stops above, dates on or after the referral date, not after
 * today, not before the step they follow). Needs CAN_RECORD_REFERRALS;
 * audited with the step's name. On SH_EINVAL nothing is stored and
 * err->field names the input ("date", "triage", "reason", "stop_reason",
 * "outcome", "outcome_code", "step"). */
int app_referral_record(store *s, const app_identity *who, int64_t referral_id,
                        const health_step_input *in, date_t today, app_error *err);

/* A referral as a page shows it: the record, its pathway and child, its
 * clock stops, and where it stands today. */
typedef struct {
    store_referral r;
    store_pathway pathway;
    store_child child;
    store_clock_stop *stops;
    size_t n_stops;
    bool waiting;            /* on the list today (wait.h's definition) */
    bool paused;             /* its clock is stopped today */
    int wait_days;           /* clock days so far (waiting) or until seen */
    date_t seen;             /* the pathway's milestone date, DATE_NONE if not yet */
    size_t position;         /* 1-based place in its priority's queue, 0 if not waiting */
    size_t queue_len;        /* children in that queue */
    date_t estimate;         /* forecast date of being seen, DATE_NONE if none */
} health_referral_view;

/* One referral (CAN_SEE_WAITING_LISTS). */
int app_referral_get(store *s, const app_identity *who, int64_t id, date_t today, arena *a,
                     health_referral_view *out, app_error *err);

/* The open referrals (not discharged, rejected or redirected) of a child
 * whose record the caller has already been allowed to see (the EHC
 * coordinator on the case page; a family account for a child linked to it,
 * in the portal): oldest referral first. */
int app_referrals_for_child(store *s, const app_identity *who, int64_t child_id,
                            date_t today, arena *a, health_referral_view **out, size_t *n,
                            app_error *err);

#define HEALTH_HISTORY_MAX 50 /* closed referrals of a child returned */

/* A closed referral (discharged, rejected or redirected) as the child's
 * health history shows it. Two waits, both counted by core/wait.h's
 * wait_days, so the days the family stopped the clock are left out as they
 * are from every other wait:
 *   wait_days   referral to the pathway's clock-stop milestone (v.seen:
 *               first contact, or the assessment starting), or to the day
 *               it left the list unseen (wait_left_date). This is the wait
 *               the standard is about (RTT: referral to the start of
 *               treatment; NICE QS51: autism assessment started within 3
 *               months), so only it is judged against the standard.
 *   total_days  referral to assessment completed, or to the day it closed
 *               when no assessment was completed: the whole time the child
 *               was on the pathway, for the record. */
typedef struct {
    health_referral_view v;  /* the record, its pathway and clock stops; v.seen */
    date_t closed;           /* discharge date, or triage date when rejected/redirected */
    int wait_days;           /* clock days referral -> seen (or left unseen) */
    int wait_calendar_days;  /* the same period in calendar days (stops included) */
    int total_days;          /* clock days referral -> assessment completed (or closed) */
    bool within_standard;    /* seen, and wait_days within the pathway's standard */
} health_closed_referral;

/* The closed referrals of a child whose record the caller may see (the
 * same rule as app_referrals_for_child), newest referral first, at most
 * HEALTH_HISTORY_MAX; *total is how many closed referrals there are among
 * the child's newest STORE_PAGE_MAX referrals (the store's ceiling on one
 * child's list, far beyond any real child's). Runs inside the caller's read
 * transaction when one is open (store_read_begin joins it). Not audited
 * here: the edge that shows them audits the read. */
int app_referral_history_for_child(store *s, const app_identity *who, int64_t child_id,
                                   arena *a, health_closed_referral **out, size_t *n,
                                   size_t *total, app_error *err);

/* A page of a pathway's waiting list (CAN_SEE_WAITING_LISTS), longest
 * waiting first within the store's order, each with its wait, position and
 * estimate. */
int app_waiting_list(store *s, const app_identity *who, int64_t pathway_id, date_t today,
                     size_t limit, size_t offset, arena *a, store_pathway *pathway,
                     health_referral_view **out, size_t *n, size_t *total, app_error *err);

/* ---- the pathway dashboard ------------------------------------------------ */

typedef struct {
    store_pathway pathway;
    wait_report report;          /* the list today, the last 28 days, 12-month trend */
    forecast_rates rates;        /* measured over the last FORECAST_RATE_WEEKS weeks */
    double capacity;             /* configured, or the measured seen rate when 0 */
    bool capacity_measured;
    size_t queue[WAIT_PRIORITY_COUNT];
    date_t new_routine;          /* a routine referral made today: seen about then */
    date_t new_urgent;
    int extra;                   /* the what-if: capacity + extra per week */
    date_t new_routine_extra;    /* the same with the extra capacity */
    date_t new_urgent_extra;
    double list_in_year;         /* the list in 52 weeks at today's capacity */
    double list_in_year_extra;
    forecast_backtest_result backtest; /* the model replayed over the last year */
} health_pathway_stats;

/* Figures for one pathway as of today (CAN_SEE_PATHWAY_STATS): no child is
 * named, so there is nothing to audit. extra is 0..HEALTH_EXTRA_CAPACITY_MAX. The
 * arena must hold the pathway's referrals (HEALTH_ARENA_FOR_STATS). */
int app_pathway_stats(store *s, const app_identity *who, int64_t pathway_id, date_t today,
                      int extra, arena *a, health_pathway_stats *out, app_error *err);

/* ---- every pathway's list at a glance (the performance dashboard) ---------- */

#define HEALTH_WAITING_ROWS_MAX 24 /* pathways of an area listed (seven are standard) */

/* One pathway's list today, as its pathway dashboard reports it
 * (app_pathway_stats' report.waiting: the same wait_report_compute over
 * the same referrals), in fixed storage so a cache can keep it. */
typedef struct {
    int64_t pathway_id;
    char name[STORE_HEALTH_TEXT_MAX + 1];
    int standard_weeks;
    wait_summary waiting;
} health_waiting_row;

/* The list today of each of the area's pathways (open or closed to new
 * referrals, in the store's order), at most `cap` into out[], *n filled.
 * No access check and no audit: no child is named, and the caller (the
 * dashboard, app/dashboard.h) has checked the person may see the area's
 * figures. Reads one snapshot; working memory is its own (one arena of
 * HEALTH_ARENA_FOR_STATS, reused pathway by pathway). */
int app_health_waiting_lists(store *s, const char *la_code, date_t today,
                             health_waiting_row *out, size_t cap, size_t *n);

/* ---- a pathway's median wait, month by month ------------------------------- */

/* For an improvement plan's measure (app/inspection.h): for each calendar
 * month from `from`'s to today's, the median wait in days of the children
 * on the pathway's list at the month's end (today, for today's month), as
 * the pathway dashboard's trend reports it; -1 for a month when nobody
 * waited. At most WAIT_TREND_MAX_MONTHS into days[]; *n says how many.
 * SH_ENOTFOUND for a pathway not in the area, SH_EINVAL when `from` is
 * after today or more than WAIT_TREND_MAX_MONTHS months back. No access
 * check and no audit (no child is named): the caller checks. Reads one
 * snapshot; working memory is its own (HEALTH_ARENA_FOR_STATS). */
int app_health_median_months(store *s, const char *la_code, int64_t pathway_id, date_t from,
                             date_t today, int *days, int *n);

/* ---- CSV import ------------------------------------------------------------- */

/* The columns of a provider's extract, in this order, with a header line
 * naming them (docs/OPERATIONS.md):
 *   nhs_number, pathway, referrer, referral_date, priority, triage,
 *   triage_date, triage_reason, first_contact, assessment_started,
 *   assessment_completed, outcome, outcome_code, discharged
 * The child is found by NHS number among the area's children; the pathway
 * by its code; dates are YYYY-MM-DD or empty; priority routine|urgent
 * (empty: routine); triage pending|accepted|rejected|redirected (empty:
 * pending). Fields may be quoted ("...", "" for a quote inside). Each row
 * is checked as if recorded by hand, and the rows are stored in one
 * transaction: if any line is wrong, nothing is imported. Each referral
 * stored is audited on its child's record ("imported"), and the file as a
 * whole once ("imported N referrals"). */
typedef struct {
    size_t line;             /* 1-based line in the file */
    const char *field;       /* the column at fault, or NULL */
    const char *message;
} health_import_error;

typedef struct {
    size_t lines;            /* data lines read (header excluded) */
    size_t imported;         /* referrals stored (0 unless the whole file was) */
    size_t n_errors;         /* every bad line counted */
    health_import_error *errors; /* the first HEALTH_IMPORT_MAX_ERRORS (arena) */
    size_t errors_shown;
} health_import_report;

/* Imports `csv` (len bytes) into the caller's area (CAN_RECORD_REFERRALS).
 * SH_OK when every line was stored; SH_EINVAL when any line (or the header)
 * was wrong, with the report saying which and nothing stored; other rcs for
 * the store. The import is audited as one write. */
int app_referrals_import(store *s, const app_identity *who, const char *csv, size_t len,
                         date_t today, arena *a, health_import_report *out, app_error *err);

#endif
