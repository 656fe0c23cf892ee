/*
 * views_request.h — the council asking a family for their views (issue 7,
 * section A "all about me"): what a request is for, where it stands, and
 * the reply-by date to suggest. Rules that need no storage.
 *
 * Why: in an EHC needs assessment the local authority must seek advice and
 * information from the child's parent or the young person (SEND
 * Regulations 2014 reg 6(1)(a); reg 7, consult the family), and it asks
 * for the family's views before an annual review (reg 20). The law sets no
 * date for the family's reply (send-domain-facts.md has none): the
 * reply-by date is the council's. The suggestion is the date the engine
 * gives the other advice of the same assessment (the "advice" rule, reg 8:
 * 6 weeks), so the family's views arrive with it; without open advice,
 * VIEWS_REPLY_DAYS ahead.
 *
 * Pure: no I/O, no clock; `today` comes from the caller.
 */
#ifndef SH_CORE_VIEWS_REQUEST_H
#define SH_CORE_VIEWS_REQUEST_H

#include <stdbool.h>

#include "core/date.h"
#include "core/journey.h"

#define VIEWS_MESSAGE_MAX 1000 /* characters of the note to the family */
#define VIEWS_REPLY_DAYS 14    /* the suggested reply-by without open advice */
#define VIEWS_REPLY_MAX_DAYS 366 /* a reply-by date further ahead is a typing error */

typedef enum {
    VIEWS_FOR_ASSESSMENT, /* the EHC needs assessment (reg 6(1)(a)) */
    VIEWS_FOR_REVIEW,     /* the annual review (reg 20) */
    VIEWS_FOR_OTHER,      /* anything else: the message says what */
    VIEWS_PURPOSE_COUNT
} views_purpose;

const char *views_purpose_name(views_purpose p);  /* wire: "assessment" */
const char *views_purpose_label(views_purpose p); /* staff: "The needs assessment" */
/* For the family, after "The council has asked for your views": "for the
 * EHC needs assessment", "for the annual review of the EHC plan", "". */
const char *views_purpose_family(views_purpose p);
int views_purpose_parse(const char *s); /* -1 if unknown */

typedef enum {
    VIEWS_OPEN,      /* asked, reply-by not passed */
    VIEWS_LATE,      /* asked, still open after the reply-by date */
    VIEWS_ANSWERED,  /* the family sent their views */
    VIEWS_WITHDRAWN, /* the council withdrew it (asked in error) */
} views_state;

/* Where a request stands on `today`: answered and withdrawn win over the
 * dates; an open request is late from the day after reply_by. */
views_state views_state_at(date_t reply_by, bool answered, bool withdrawn, date_t today);
const char *views_state_name(views_state s); /* "open", "late", "answered", "withdrawn" */

/* The reply-by date to suggest on `today` for a case with timeline t: the
 * latest due date among the case's open advice requests not yet past
 * (the other advice of the same assessment), else today + VIEWS_REPLY_DAYS. */
date_t views_reply_by_suggest(const journey_timeline *t, date_t today);

/* Is reply_by a date the council may set on `today`: not before today,
 * at most VIEWS_REPLY_MAX_DAYS ahead. */
bool views_reply_by_ok(date_t reply_by, date_t today);

#endif
