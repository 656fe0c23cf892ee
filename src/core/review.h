/*
 * review.h — the vocabulary of annual reviews and phase transfers that is not
 * a clock of its own: who is invited, the 2 weeks' notice of the meeting,
 * school terms (the term's list of reviews each setting receives), the year
 * of "next September" and a consulted setting's answer.
 *
 * The clocks themselves (annual review, the setting's report, the decision,
 * the comment window, the amended plan, the phase transfer dates) are rows of
 * the rule table in journey.c. This module holds the rules that are checks on
 * dates a person types in, not clocks that run from an event.
 *
 * Pure: no I/O, no clock reads (callers pass today).
 */
#ifndef SH_REVIEW_H
#define SH_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"

/* SEND Regulations 2014 reg 20(3)-(4): invitees get at least 2 weeks' notice
 * of the meeting, and advice is circulated at least 2 weeks before it. */
#define REVIEW_NOTICE_DAYS 14

/* Who may be invited to a review meeting (reg 20(3) lists all but "other"). */
typedef enum { INVITE_FAMILY, INVITE_SETTING, INVITE_HEALTH, INVITE_SOCIAL_CARE,
               INVITE_OTHER, INVITE_COUNT } review_invitee;

const char *review_invitee_name(review_invitee i);  /* "social_care" */
const char *review_invitee_label(review_invitee i); /* "Social care" */
int review_invitee_parse(const char *s);            /* -1 if unknown */

/* Days of notice between the invitations and the meeting (negative when the
 * meeting is before them), and whether that is less than the 2 weeks the law
 * asks for. Either date DATE_NONE: 0 and false (nothing to judge yet). */
int review_notice_days(date_t sent, date_t meeting);
bool review_notice_short(date_t sent, date_t meeting);

/* School terms, as the term's list of reviews uses them: autumn is
 * 1 September-31 December, spring 1 January-31 March, summer 1 April-
 * 31 August (the summer holiday belongs to the summer list, so no review is
 * on no list). The academic year is named by the year it starts in. */
typedef enum { TERM_AUTUMN, TERM_SPRING, TERM_SUMMER, TERM_COUNT } review_term;

typedef struct {
    int academic_year; /* 2026 for 2026/27 */
    review_term term;
} review_term_id;

review_term_id review_term_of(date_t d);
/* First and last day of a term. */
void review_term_range(review_term_id t, date_t *first, date_t *last);
/* The term after t. */
review_term_id review_term_next(review_term_id t);
/* Wire form "2026-autumn"; parse returns SH_OK or SH_EINVAL. */
void review_term_key(review_term_id t, char *out, size_t n);
int review_term_parse(const char *s, review_term_id *out);
/* "Autumn term 2026", "Spring term 2027". */
void review_term_label(review_term_id t, char *out, size_t n);

/* The calendar year of the next September move as seen on `today`: this
 * year until the end of August, next year from 1 September. */
int review_transfer_year(date_t today);

/* A consulted setting's answer to "can you meet this child's needs?". */
typedef enum { CONSULT_AWAITED, CONSULT_CAN_MEET, CONSULT_CANNOT_MEET, CONSULT_NO_RESPONSE,
               CONSULT_COUNT } review_consult_response;

const char *review_consult_name(review_consult_response r);  /* "can_meet" */
const char *review_consult_label(review_consult_response r); /* "Can meet needs" */
int review_consult_parse(const char *s);                     /* -1 if unknown */

#endif
