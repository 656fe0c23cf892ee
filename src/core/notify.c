/*
 * notify.c — the dates a family is e-mailed about and the retry schedule
 * (notify.h).
 */
#include "core/notify.h"

#include <string.h>

static const char *const kind_names[NOTIFY_KIND_COUNT] = {
    [NOTIFY_DRAFT_RESPONSE] = "draft_response",
    [NOTIFY_ANNUAL_REVIEW] = "annual_review",
    [NOTIFY_FINAL_PLAN] = "final_plan",
};

const char *notify_kind_name(notify_kind k)
{
    return (unsigned)k < NOTIFY_KIND_COUNT ? kind_names[k] : "";
}

int notify_kind_parse(const char *s)
{
    for (int k = 0; s && k < NOTIFY_KIND_COUNT; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return k;
    return -1;
}

bool notify_date_due(date_t due, date_t as_of, int lead_days)
{
    return due != DATE_NONE && due >= as_of && due - as_of <= lead_days;
}

/* The open step of the timeline with rule key `key` (the engine keeps one
 * open annual review and one final plan step at a time). */
static const journey_deadline *open_step(const journey_timeline *t, const char *key)
{
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        if (d->done == DATE_NONE && strcmp(journey_rule_key(d->rule), key) == 0)
            return d;
    }
    return NULL;
}

size_t notify_dates(const journey_timeline *t, date_t draft_closes, date_t review_meeting,
                    date_t as_of, int lead_days, notify_date out[NOTIFY_KIND_COUNT])
{
    if (t->stage == STAGE_REFUSED || t->stage == STAGE_NO_PLAN || t->stage == STAGE_CEASED)
        return 0;
    size_t n = 0;
    if (t->stage == STAGE_DRAFT && notify_date_due(draft_closes, as_of, lead_days))
        out[n++] = (notify_date){NOTIFY_DRAFT_RESPONSE, draft_closes};
    const journey_deadline *review = open_step(t, "annual_review");
    date_t meeting = review && review_meeting != DATE_NONE && review_meeting > review->trigger
                         ? review_meeting /* set for this review, not an earlier one */
                         : review ? review->due : DATE_NONE;
    if (notify_date_due(meeting, as_of, lead_days))
        out[n++] = (notify_date){NOTIFY_ANNUAL_REVIEW, meeting};
    const journey_deadline *final = t->final_plan_date == DATE_NONE
                                        ? open_step(t, "final_plan")
                                        : NULL;
    if (final && notify_date_due(final->due, as_of, lead_days))
        out[n++] = (notify_date){NOTIFY_FINAL_PLAN, final->due};
    return n;
}

int64_t notify_retry_after(int attempts)
{
    int64_t wait = NOTIFY_RETRY_FIRST;
    for (int i = 1; i < attempts && wait < NOTIFY_RETRY_LONGEST; i++)
        wait *= 2;
    return wait < NOTIFY_RETRY_LONGEST ? wait : NOTIFY_RETRY_LONGEST;
}

bool notify_give_up(int attempts)
{
    return attempts >= NOTIFY_ATTEMPTS_MAX;
}
