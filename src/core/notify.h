/*
 * notify.h — which dates on a child's EHC journey a family is e-mailed
 * about, and when a notification that failed to send is tried again
 * (issue 7: "email notification of new messages and upcoming dates").
 *
 * The dates that matter to a family: the last day to respond to a draft
 * plan (15 days from it being served, portal_draft_closes), the annual
 * review (the meeting the council has invited the family to, or else 12
 * months from the plan or the last review, Children and Families Act 2014
 * s44) and, while no final plan has been issued, the
 * statutory deadline for it (20 weeks from the request, SEND Regulations
 * 2014 reg 13(2)). They come from the one engine (core/journey.h): nothing
 * here recomputes a clock. A date is told about once, in the
 * NOTIFY_LEAD_DAYS before it (the caller keeps a record per account, case,
 * kind and date so a later run does not tell it again); a date already
 * passed is not told about at all (it would only alarm).
 *
 * Retries: a message the relay refused or could not take is tried again
 * after a wait that doubles from NOTIFY_RETRY_FIRST up to a day, at most
 * NOTIFY_ATTEMPTS_MAX times in all; then it is left as failed for staff to
 * see (a wrong address does not fix itself).
 *
 * Pure: no I/O, no clock; `as_of` comes from the caller.
 */
#ifndef SH_CORE_NOTIFY_H
#define SH_CORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/journey.h"

typedef enum {
    NOTIFY_DRAFT_RESPONSE, /* the last day to respond to a draft plan */
    NOTIFY_ANNUAL_REVIEW,  /* the annual review is due */
    NOTIFY_FINAL_PLAN,     /* the final plan is due (20 weeks) and not issued */
    NOTIFY_KIND_COUNT
} notify_kind;

/* Wire name ("draft_response", "annual_review", "final_plan"), as stored. */
const char *notify_kind_name(notify_kind k);
int notify_kind_parse(const char *s); /* -1 if unknown */

/* A week: time to read the e-mail, sign in and act (a response to a draft
 * plan, papers for a review meeting) before the date. */
#define NOTIFY_LEAD_DAYS 7

/* Is `due` a date to tell the family about on `as_of`: not passed, and at
 * most `lead_days` ahead. DATE_NONE never is. */
bool notify_date_due(date_t due, date_t as_of, int lead_days);

typedef struct {
    notify_kind kind;
    date_t due;
} notify_date;

/* The dates of one case to tell its family about on `as_of`, at most one
 * per kind, from the case's timeline `t` (computed at as_of), the last day
 * of its draft plan's response window (`draft_closes`, DATE_NONE when the
 * case is not at the draft stage) and the meeting date the latest review's
 * invitations gave (`review_meeting`, DATE_NONE when none). The annual
 * review's date is that meeting when it was set for the review now due
 * (after the plan or the last review), else the statutory date by which
 * the review must be held. A case that is closed (assessment refused, no
 * plan, plan ceased) has none. Returns how many were written to out. */
size_t notify_dates(const journey_timeline *t, date_t draft_closes, date_t review_meeting,
                    date_t as_of, int lead_days, notify_date out[NOTIFY_KIND_COUNT]);

#define NOTIFY_ATTEMPTS_MAX 6      /* sends tried before a message is given up */
#define NOTIFY_RETRY_FIRST 900     /* seconds after the first failure */
#define NOTIFY_RETRY_LONGEST 86400 /* the wait never grows beyond a day */

/* Seconds to wait before the next try after `attempts` failed tries
 * (attempts >= 1): NOTIFY_RETRY_FIRST doubled each time, at most
 * NOTIFY_RETRY_LONGEST. */
int64_t notify_retry_after(int attempts);

/* Whether a message that has failed `attempts` times is given up. */
bool notify_give_up(int attempts);

#endif
