/*
 * advice.h — advice requests during an EHC needs assessment, as pure data:
 * where each request stands on a day, who must be chased, the per-agency and
 * per-team figures inspectors ask for, and the checks on what a service
 * sends back (the text's ceilings, PDF attachments). No I/O, no clock reads.
 *
 * The 6-week due date itself is the journey engine's (core/journey.c, the
 * "advice" rule, SEND Regulations 2014 reg 8): callers take it from the
 * timeline, never compute it here, so one rule table explains every date.
 *
 * On time means received on or before the due date. The on-time rate over
 * the last 12 months counts the requests made in the 12 months up to the day
 * (requested_on > as_of - 12 months) whose outcome is known that day: those
 * answered (on time or late) and those still open past their due date
 * (late, whatever happens next). Requests still open and not yet due are
 * left out: nobody can say yet whether they will be on time.
 */
#ifndef SH_CORE_ADVICE_H
#define SH_CORE_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/event.h"
#include "util/arena.h"

#define ADVICE_TEXT_MAX 10000            /* bytes of one section of advice or a question */
#define ADVICE_SERVICE_MAX 100           /* bytes of a service, team or provider name */
#define ADVICE_FILE_MAX (5u << 20)       /* bytes of one PDF attachment */
#define ADVICE_FILES_MAX 4               /* attachments sent with one piece of advice */
#define ADVICE_FILENAME_MAX 100          /* bytes of a stored file name */
#define ADVICE_DUE_SOON_DAYS 7           /* "due this week": due within 7 days */

/* Where one request stands on a day. */
typedef enum {
    ADVICE_OPEN,          /* asked, not yet due within the week */
    ADVICE_DUE_SOON,      /* open, due within ADVICE_DUE_SOON_DAYS */
    ADVICE_OVERDUE,       /* open, past its due date */
    ADVICE_ON_TIME,       /* received on or before the due date */
    ADVICE_LATE,          /* received after the due date */
    ADVICE_STATE_COUNT
} advice_state;

/* received_on is DATE_NONE while open. A receipt dated after as_of is
 * treated as not yet received (a report run as of an earlier day). */
advice_state advice_state_at(date_t due, date_t received_on, date_t as_of);
/* Wire name: "requested", "due_soon", "overdue", "on_time", "late". */
const char *advice_state_name(advice_state s);

/* Who must be chased on as_of: open requests overdue, or due within
 * `within_days` (0..60). */
typedef enum { ADVICE_CHASE_NONE, ADVICE_CHASE_DUE_SOON, ADVICE_CHASE_OVERDUE } advice_chase;
advice_chase advice_chase_at(date_t due, date_t received_on, date_t as_of, int within_days);
const char *advice_chase_name(advice_chase c);   /* "due_soon", "overdue", "" */
int advice_chase_parse(const char *s);           /* -1 if unknown */

/* One request as the figures see it. `service` is the team or provider
 * asked ("Designated Clinical Officer", "Northfield Community Paediatrics"). */
typedef struct {
    event_agency agency;
    const char *service;
    date_t requested_on, due, received_on;
} advice_fact;

/* One line of the dashboard: an agency's totals (service NULL) or one of
 * its teams. */
typedef struct {
    event_agency agency;
    const char *service;   /* NULL for the agency's own line */
    long outstanding;      /* open, whatever the date */
    long due_this_week;    /* open, due as_of .. as_of + 7 days */
    long overdue;          /* open, due before as_of */
    long decided_12m;      /* the 12-month cohort whose outcome is known */
    long on_time_12m;      /* of which received on time */
} advice_tally;

/* Builds the dashboard lines from facts: per agency in enum order, its own
 * line first then one line per service in byte order. Services are
 * compared as given (not copied: facts must outlive *out). Memory from `a`
 * (SH_ENOMEM at its ceiling). Agencies with no facts have no lines. */
int advice_tally_compute(const advice_fact *facts, size_t n, date_t as_of, arena *a,
                         advice_tally **out, size_t *nout);

/* The on-time rate in tenths of a percent (0..1000), or -1 when nothing in
 * the cohort is decided yet (no rate, rather than a misleading 0%). */
int advice_on_time_permille(const advice_tally *t);

/* Checks an uploaded file is a PDF by its content, not by what the client
 * said: it starts with "%PDF-1." or "%PDF-2." and "%%EOF" appears in its
 * last 1024 bytes (the trailer; writers may add a line end or a little
 * padding after it): core/filetype.h's PDF tests. SH_OK, SH_ELIMIT past ADVICE_FILE_MAX, or SH_EINVAL,
 * with *why a static sentence for a person. */
int advice_pdf_check(const unsigned char *data, size_t len, const char **why);

/* A safe file name for storing and for Content-Disposition: the base name
 * of what the browser sent (any path dropped), letters, digits, space, '.',
 * '-', '_' kept and anything else turned into '_', at most
 * ADVICE_FILENAME_MAX bytes, and ending ".pdf" ("advice.pdf" when nothing
 * usable is left). out must hold ADVICE_FILENAME_MAX + 1 bytes. */
void advice_filename_clean(const char *in, char *out);

/* Free text of advice or a question: within `max` bytes, and no control
 * characters other than tab, CR and LF. SH_OK, SH_ELIMIT or SH_EINVAL. */
int advice_text_check(const char *s, size_t max);

#endif
