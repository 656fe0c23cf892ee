/*
 * event.h — the events of a child's EHC journey (pure data, no I/O).
 *
 * A journey is an append-only list of dated events. Everything else (stage,
 * due dates, timeliness) is derived from it by journey.h. A mistake is never
 * edited: a `correction` event supersedes an earlier event by id, with a
 * reason, and may carry a replacement event.
 *
 * The names below are the wire names used in JSON, in the database and on
 * the command line; they are a stable contract.
 */
#ifndef SH_EVENT_H
#define SH_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

typedef enum {
    EV_REQUEST_RECEIVED,      /* s36 request for an EHC needs assessment */
    EV_DECISION_TO_ASSESS,    /* outcome: assess | refuse */
    EV_ADVICE_REQUESTED,      /* agency */
    EV_ADVICE_RECEIVED,       /* agency */
    EV_EXCEPTION,             /* reason: reg 10(4)(a)-(d) */
    EV_DECISION_NOT_TO_ISSUE, /* after assessment, no plan (reg 10) */
    EV_DRAFT_PLAN_ISSUED,
    EV_FINAL_PLAN_ISSUED,
    EV_REVIEW_MEETING,
    EV_REVIEW_DECISION,       /* outcome: maintain | amend | cease */
    EV_AMENDMENT_PROPOSED,
    EV_AMENDED_PLAN_ISSUED,
    EV_PHASE_TRANSFER_DUE,    /* transfer_year, to: school | post16 */
    EV_TRANSFER_IN,           /* plan transferred in from another LA (reg 15) */
    EV_TRANSFER_NOTICE_ISSUED,/* reg 15(4) notice to the family */
    EV_DECISION_LETTER,       /* an appealable decision was notified */
    EV_MEDIATION_CERTIFICATE,
    EV_APPEAL_LODGED,
    EV_PLAN_CEASED,           /* reason: SEN2 cease reason code 1-9 */
    EV_REVIEW_REPORT_RECEIVED,/* the setting's annual review report reached the council */
    EV_CORRECTION,            /* supersedes, reason, optional replacement */
    EV_TYPE_COUNT
} event_type;

typedef enum { AGENCY_NONE = -1, AGENCY_EDUCATION, AGENCY_HEALTH, AGENCY_SOCIAL_CARE,
               AGENCY_PSYCHOLOGY, AGENCY_OTHER, AGENCY_COUNT } event_agency;

/* outcome values; which are valid depends on the event type */
typedef enum { OUTCOME_NONE = -1, OUTCOME_ASSESS, OUTCOME_REFUSE, OUTCOME_MAINTAIN,
               OUTCOME_AMEND, OUTCOME_CEASE, OUTCOME_COUNT } event_outcome;

/* exception reasons, SEN Regulations 2014 reg 10(4)(a)-(d) */
typedef enum { EXC_NONE = -1, EXC_SCHOOL_CLOSURE, EXC_EARLY_YEARS_CLOSURE,
               EXC_PERSONAL_CIRCUMSTANCES, EXC_AWAY_FROM_AREA, EXC_COUNT } event_exception;

typedef enum { TRANSFER_NONE = -1, TRANSFER_SCHOOL, TRANSFER_POST16,
               TRANSFER_TO_COUNT } event_transfer_to;

#define EVENT_REASON_MAX 1000 /* bytes of free text in a correction reason */

typedef struct event event;
struct event {
    int64_t id;            /* 0 when not (yet) assigned */
    event_type type;
    date_t date;
    event_agency agency;           /* advice_* */
    event_outcome outcome;         /* decision_to_assess, review_decision */
    event_exception exception;     /* exception */
    int cease_reason;              /* plan_ceased: SEN2 code 1-9, else 0 */
    int transfer_year;             /* phase_transfer_due, else 0 */
    event_transfer_to transfer_to; /* phase_transfer_due */
    int64_t supersedes;            /* correction: id of the superseded event */
    const char *reason;            /* correction: why (not owned) */
    const event *replacement;      /* correction: the corrected event, or NULL
                                      when the superseded one was simply wrong */
};

/* An event with every optional field "absent". */
void event_init(event *e, event_type type, date_t date);

/* Wire names. *_name() never returns NULL for a valid value; *_parse()
 * returns -1 (or the NONE value) when the text is not a known name. */
const char *event_type_name(event_type t);
int event_type_parse(const char *s, size_t len);
const char *event_agency_name(event_agency a);
event_agency event_agency_parse(const char *s, size_t len);
const char *event_outcome_name(event_outcome o);
event_outcome event_outcome_parse(const char *s, size_t len);
const char *event_exception_name(event_exception x);
event_exception event_exception_parse(const char *s, size_t len);
const char *event_transfer_to_name(event_transfer_to t);
event_transfer_to event_transfer_to_parse(const char *s, size_t len);

/* A sentence-case label for people: "Advice received", "Final plan issued". */
const char *event_type_label(event_type t);
/* "Educational psychology", "Health", ... */
const char *event_agency_label(event_agency a);
/* SEN2 cease reason label for code 1-9 ("Max Age", ...), NULL otherwise. */
const char *event_cease_reason_label(int code);

/* Field-level check of one event on its own (not its place in the journey):
 * required fields present, values valid for the type. On failure returns
 * SH_EINVAL and sets *field to the offending field's wire name and *why to
 * a static sentence. */
int event_check_fields(const event *e, const char **field, const char **why);

#endif
