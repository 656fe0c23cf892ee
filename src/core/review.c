/*
 * review.c — invitees, notice, terms, the transfer year and consultation
 * answers (review.h). Name tables are indexed by the enum values so a name
 * and its value cannot drift apart.
 */
#include "core/review.h"

#include <stdio.h>
#include <string.h>

#include "util/err.h"


static const char *const invitee_names[INVITE_COUNT] = {
    "family", "setting", "health", "social_care", "other",
};
static const char *const invitee_labels[INVITE_COUNT] = {
    "Child and family", "School or setting", "Health", "Social care", "Others",
};
static const char *const consult_names[CONSULT_COUNT] = {
    "awaited", "can_meet", "cannot_meet", "no_response",
};
static const char *const consult_labels[CONSULT_COUNT] = {
    "Awaiting a reply", "Can meet needs", "Cannot meet needs", "No response",
};
static const char *const term_names[TERM_COUNT] = {"autumn", "spring", "summer"};
static const char *const term_labels[TERM_COUNT] = {"Autumn", "Spring", "Summer"};
/* First month of each term, and which calendar year it falls in relative to
 * the academic year (autumn in the first, spring and summer in the second). */
static const int term_first_month[TERM_COUNT] = {9, 1, 4};
static const int term_last_month[TERM_COUNT] = {12, 3, 8};
static const int term_year_offset[TERM_COUNT] = {0, 1, 1};

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *review_invitee_name(review_invitee i)
{
    return (unsigned)i < INVITE_COUNT ? invitee_names[i] : "unknown";
}
const char *review_invitee_label(review_invitee i)
{
    return (unsigned)i < INVITE_COUNT ? invitee_labels[i] : "Unknown";
}
int review_invitee_parse(const char *s) { return lookup(invitee_names, INVITE_COUNT, s); }

const char *review_consult_name(review_consult_response r)
{
    return (unsigned)r < CONSULT_COUNT ? consult_names[r] : "unknown";
}
const char *review_consult_label(review_consult_response r)
{
    return (unsigned)r < CONSULT_COUNT ? consult_labels[r] : "Unknown";
}
int review_consult_parse(const char *s) { return lookup(consult_names, CONSULT_COUNT, s); }

int review_notice_days(date_t sent, date_t meeting)
{
    return sent == DATE_NONE || meeting == DATE_NONE ? 0 : meeting - sent;
}

bool review_notice_short(date_t sent, date_t meeting)
{
    return sent != DATE_NONE && meeting != DATE_NONE &&
           review_notice_days(sent, meeting) < REVIEW_NOTICE_DAYS;
}

review_term_id review_term_of(date_t d)
{
    int y, m;
    date_to_ymd(d, &y, &m, NULL);
    if (m >= 9)
        return (review_term_id){y, TERM_AUTUMN};
    return (review_term_id){y - 1, m <= 3 ? TERM_SPRING : TERM_SUMMER};
}

void review_term_range(review_term_id t, date_t *first, date_t *last)
{
    int y = t.academic_year + term_year_offset[t.term];
    int lm = term_last_month[t.term];
    /* years come from review_term_of or review_term_parse (2000-2199): valid */
    date_from_ymd(y, term_first_month[t.term], 1, first);
    date_from_ymd(y, lm, date_days_in_month(y, lm), last);
}

review_term_id review_term_next(review_term_id t)
{
    if (t.term == TERM_SUMMER)
        return (review_term_id){t.academic_year + 1, TERM_AUTUMN};
    return (review_term_id){t.academic_year, (review_term)(t.term + 1)};
}

/* The calendar year the term is in, as people name terms ("Spring 2027"). */
static int term_calendar_year(review_term_id t)
{
    return t.academic_year + term_year_offset[t.term];
}

void review_term_key(review_term_id t, char *out, size_t n)
{
    snprintf(out, n, "%04d-%s", term_calendar_year(t), term_names[t.term]);
}

int review_term_parse(const char *s, review_term_id *out)
{
    if (!s || strlen(s) < 6 || s[4] != '-')
        return SH_EINVAL;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return SH_EINVAL;
        y = y * 10 + (s[i] - '0');
    }
    int t = lookup(term_names, TERM_COUNT, s + 5);
    if (t < 0 || y < 2001 || y > 2198)
        return SH_EINVAL;
    *out = (review_term_id){y - term_year_offset[t], (review_term)t};
    return SH_OK;
}

void review_term_label(review_term_id t, char *out, size_t n)
{
    snprintf(out, n, "%s term %d", term_labels[t.term], term_calendar_year(t));
}

int review_transfer_year(date_t today)
{
    int y, m;
    date_to_ymd(today, &y, &m, NULL);
    return m >= 9 ? y + 1 : y;
}
