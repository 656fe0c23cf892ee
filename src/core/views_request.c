/*
 * views_request.c — the rules of a request for the family's views
 * (views_request.h).
 */
#include "core/views_request.h"

#include <string.h>

static const char *const purpose_names[VIEWS_PURPOSE_COUNT] = {"assessment", "review", "other"};
static const char *const purpose_labels[VIEWS_PURPOSE_COUNT] = {
    "The needs assessment", "The annual review", "Other"};
static const char *const purpose_family[VIEWS_PURPOSE_COUNT] = {
    "for the EHC needs assessment", "for the annual review of the EHC plan", ""};

const char *views_purpose_name(views_purpose p)
{
    return p < VIEWS_PURPOSE_COUNT ? purpose_names[p] : "";
}

const char *views_purpose_label(views_purpose p)
{
    return p < VIEWS_PURPOSE_COUNT ? purpose_labels[p] : "";
}

const char *views_purpose_family(views_purpose p)
{
    return p < VIEWS_PURPOSE_COUNT ? purpose_family[p] : "";
}

int views_purpose_parse(const char *s)
{
    for (int i = 0; s && i < VIEWS_PURPOSE_COUNT; i++)
        if (strcmp(s, purpose_names[i]) == 0)
            return i;
    return -1;
}

views_state views_state_at(date_t reply_by, bool answered, bool withdrawn, date_t today)
{
    if (answered)
        return VIEWS_ANSWERED;
    if (withdrawn)
        return VIEWS_WITHDRAWN;
    return today > reply_by ? VIEWS_LATE : VIEWS_OPEN;
}

const char *views_state_name(views_state s)
{
    static const char *const names[] = {"open", "late", "answered", "withdrawn"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "";
}

date_t views_reply_by_suggest(const journey_timeline *t, date_t today)
{
    date_t best = DATE_NONE;
    for (size_t i = 0; t && i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (d->agency == AGENCY_NONE || d->done != DATE_NONE || d->due < today ||
            strcmp(journey_rule_key(d->rule), "advice") != 0)
            continue;
        if (best == DATE_NONE || d->due > best)
            best = d->due;
    }
    return best != DATE_NONE ? best : date_add_days(today, VIEWS_REPLY_DAYS);
}

bool views_reply_by_ok(date_t reply_by, date_t today)
{
    return reply_by != DATE_NONE && reply_by >= today &&
           reply_by <= date_add_days(today, VIEWS_REPLY_MAX_DAYS);
}
