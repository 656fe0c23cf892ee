/*
 * journey.h — the statutory clock engine: folds a journey's events into its
 * current stage and every statutory step with due date, completion and status.
 *
 * The rules are one table (journey.c, `rules[]`): each row names a step, the
 * event that starts its clock, the duration and unit, the event that completes
 * it and the legal basis (facts file §0). One engine interprets the table, so
 * a new regulation is a new row, and every due date can explain itself.
 *
 * Pure: no I/O, no clock reads (the caller passes `as_of`), and all memory
 * comes from the caller's arena.
 */
#ifndef SH_JOURNEY_H
#define SH_JOURNEY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/event.h"
#include "util/arena.h"

#define JOURNEY_MAX_EVENTS 2000 /* ceiling on one journey's log */

typedef enum {
    STAGE_REQUEST,    /* request received, deciding whether to assess */
    STAGE_ASSESSMENT, /* assessing: gathering advice */
    STAGE_REFUSED,    /* decided not to assess (closed unless appealed) */
    STAGE_NO_PLAN,    /* assessed; decided not to issue a plan */
    STAGE_DRAFT,      /* draft plan issued, family commenting */
    STAGE_PLAN,       /* final plan in force */
    STAGE_REVIEW,     /* review meeting held, decision awaited */
    STAGE_AMENDMENT,  /* amendments proposed, amended plan awaited */
    STAGE_CEASED,     /* plan ceased */
    STAGE_COUNT
} journey_stage;

typedef enum { STEP_PENDING, STEP_MET, STEP_LATE, STEP_OVERDUE } step_status;

typedef enum { UNIT_DAYS, UNIT_WEEKS, UNIT_MONTHS, UNIT_WORKING_DAYS,
               UNIT_FIXED } duration_unit;

/* One row of the rule table (read-only, static storage). */
typedef struct journey_rule journey_rule;

/* One statutory step instance in a computed timeline. */
typedef struct {
    const journey_rule *rule;
    event_agency agency;   /* for advice:<agency>, else AGENCY_NONE */
    date_t trigger;        /* date of the event that started the clock */
    date_t due;
    date_t done;           /* DATE_NONE when not completed */
    step_status status;
    int64_t trigger_event; /* id of the triggering event (0 if none given) */
    event_type trigger_type; /* its type (what the clock runs from) */
    date_t extension;      /* an event that moved the due date later (the
                              mediation certificate for an appeal), else
                              DATE_NONE; lets journey_explain say why */
} journey_deadline;

typedef struct {
    journey_stage stage;
    journey_deadline *deadlines; /* ordered by due date, then rule order */
    size_t n_deadlines;
    bool exceptions_apply;  /* a reg 10(4) exception was recorded */
    int within_20_weeks;    /* -1 no final plan yet (or not a new plan), 0, 1 */
    int weeks_x10;          /* weeks from request to final plan x10, -1 if none */
    date_t request_date;    /* DATE_NONE for a transferred-in plan */
    date_t final_plan_date; /* first final plan, DATE_NONE if none */
    date_t next_due;        /* earliest due among the council's open steps, or DATE_NONE */
    const journey_deadline *next; /* that step, or NULL */
    int overdue_count;      /* the council's open steps past due at as_of */
} journey_timeline;

/* Where validation failed: index into the caller's array, the event's id
 * (0 if it had none), the field's wire name, and a static sentence that
 * reads after the field ("is missing"). A field of a correction's
 * replacement is named "replacement.<field>". field is NULL when the error
 * is about the journey as a whole (no events, too many, memory); the
 * message then reads after "the journey". */
typedef struct {
    size_t index;
    int64_t event_id;
    const char *field;
    const char *message;
    date_t date; /* a date the message refers to, which an edge may add as
                    " on <date>" (the start date for an event dated before
                    the start), else DATE_NONE */
} journey_error;

/* Checks a whole journey: every event's fields (event_check_fields), that the
 * first event (in log order) is request_received or transfer_in and there is
 * exactly one such start, that no event is dated before it, that corrections
 * supersede an existing earlier event, that ids are unique, and that the
 * number of events is within JOURNEY_MAX_EVENTS. Returns SH_OK, or SH_EINVAL
 * with *err filled in, or SH_ELIMIT for too many events. */
int journey_validate(const event *events, size_t n, journey_error *err);

/* Validates (as above) and computes the timeline at `as_of`. Events are in
 * log order (the order they were recorded); the engine orders by date
 * itself, keeping log order for events on the same day. Memory for
 * out->deadlines comes from `a`. Returns SH_OK, SH_EINVAL (err filled),
 * SH_ELIMIT or SH_ENOMEM (arena ceiling). */
int journey_compute(const event *events, size_t n, date_t as_of, arena *a,
                    journey_timeline *out, journey_error *err);

/* The effective events of a journey: corrections applied (a superseded
 * event removed, a replacement in its place; correction events themselves
 * are not returned), ordered by date with the start first and same-day events
 * in log order. Reports that read "what happened, as now known" (the SEN2
 * return, core/sen2.h) use this rather than re-implementing corrections.
 * The pointer array comes from `a`; it points into `events` (and their
 * replacements), which must outlive it. Validates as journey_validate.
 * Returns SH_OK, SH_EINVAL (err filled), SH_ELIMIT or SH_ENOMEM. */
int journey_effective(const event *events, size_t n, arena *a, const event ***out,
                      size_t *nout, journey_error *err);

/* Step name as on the wire: "decision_to_assess", "advice:health", ...
 * Writes into out (at least 32 bytes) and returns out. */
const char *journey_step_name(const journey_deadline *d, char *out, size_t n);
/* The rule's step key without agency: "advice", "final_plan", ... */
const char *journey_rule_key(const journey_rule *r);
/* The legal basis, e.g. "SEND Regulations 2014, regulation 13(2)". */
const char *journey_rule_basis(const journey_rule *r);
/* True for a time limit that is the family's to use (the appeal deadline),
 * not a duty on the council: such steps keep their date and status but are
 * never a case's next due date nor count as overdue work. */
bool journey_rule_is_family_window(const journey_rule *r);

/* One sentence a parent can read, with the dates filled in, e.g.
 * "The final EHC plan must be issued within 20 weeks of the request
 *  received on 5 January 2026, so by 25 May 2026." Written into out
 * (truncated to n). Returns the length it needed. */
size_t journey_explain(const journey_deadline *d, char *out, size_t n);

const char *journey_stage_name(journey_stage s);   /* wire: "assessment" */
const char *journey_stage_label(journey_stage s);  /* "Needs assessment" */
const char *journey_status_name(step_status s);    /* "met", "late", ... */

/* The rule table, for documentation and tests. */
size_t journey_rule_count(void);
const journey_rule *journey_rule_at(size_t i);

#endif
