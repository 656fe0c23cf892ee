/*
 * journey_json.h — the JSON form of journey events and timelines (jansson),
 * shared by the command line (`sendhub timeline`), the HTTP API, the tests
 * and the fuzzer, so every edge accepts and prints exactly the same thing.
 *
 * Event wire format (docs/API.md): an object with "type" (required), "date"
 * (required, YYYY-MM-DD) and "id" (optional, 1..2^53), plus the fields of its
 * type: "outcome" (decision_to_assess: assess|refuse; review_decision:
 * maintain|amend|cease), "agency" (advice_*), "reason" (exception: a reg
 * 10(4) reason name; plan_ceased: SEN2 code 1-9; correction: text of at most
 * EVENT_REASON_MAX bytes), "transfer_year" + "to" (phase_transfer_due),
 * "supersedes" + optional "replacement" (correction; the replacement is an
 * event object without "id" that is not itself a correction). Any other key
 * is rejected by name, so a typo never passes silently.
 *
 * Ceilings: JOURNEY_JSON_MAX_BYTES of input text, JOURNEY_JSON_MAX_DEPTH
 * levels of nesting (checked before parsing, so the parser's recursion is
 * bounded too), JOURNEY_MAX_EVENTS events, EVENT_REASON_MAX bytes of reason.
 *
 * Decoding uses jansson (its parser checks UTF-8 and duplicate keys);
 * encoding writes straight into a buffer with the streaming writer
 * (util/jsonw.h), building no tree. Writers follow jsonw's sticky-error
 * rule: they return w->rc, and the caller checks it once at jsonw_finish.
 *
 * Memory: decoded events (and their replacement and reason strings) live in
 * the caller's arena.
 */
#ifndef SH_JOURNEY_JSON_H
#define SH_JOURNEY_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/event.h"
#include "core/journey.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/jsonw.h"

#define JOURNEY_JSON_MAX_BYTES (4u * 1024 * 1024) /* one request body / stdin */
#define JOURNEY_JSON_MAX_DEPTH 8 /* {journey [events {event {replacement}}]} is 4 */
#define JOURNEY_JSON_MAX_ID ((int64_t)1 << 53) /* exact in every JSON reader */
#define JOURNEY_JSON_NO_INDEX SIZE_MAX         /* error not about one event */

/* A failure, ready for a person and for a program. `message` is one line
 * naming the event (1-based position in "events", its id and type when
 * known) and the field, e.g.
 *   event 3 (id 7, advice_requested): field "agency" is missing
 *   event 2 (id 4, review_meeting): field "date": "2026-02-30" is not a real
 *   date in the form YYYY-MM-DD
 * For a single event (index JOURNEY_JSON_NO_INDEX) or the journey as a whole
 * the "event N (...): " prefix is left out. */
typedef struct {
    int rc;           /* SH_EINVAL, SH_ELIMIT or SH_ENOMEM */
    size_t index;     /* 0-based index into "events", or JOURNEY_JSON_NO_INDEX */
    int64_t event_id; /* the event's id, 0 if it had none or it was unreadable */
    const char *type; /* the event's type name when known, else NULL */
    char field[64];   /* wire name ("date", "replacement.agency"), "" if none */
    char message[512];
} journey_json_error;

/* Decodes one event object into *out (strings copied into `a`). `index` is
 * its position for error messages, or JOURNEY_JSON_NO_INDEX. Checks the
 * shape, names and every field rule of event_check_fields; not its place in
 * a journey (journey_validate does that). Returns SH_OK, SH_EINVAL or
 * SH_ENOMEM (arena ceiling), with *err filled on failure. */
int journey_json_decode_event(const json_t *obj, size_t index, arena *a, event *out,
                              journey_json_error *err);

/* Decodes an array of event objects into a new array in `a`. SH_ELIMIT when
 * it holds more than JOURNEY_MAX_EVENTS. */
int journey_json_decode_events(const json_t *array, arena *a, event **out, size_t *n,
                               journey_json_error *err);

/* Turns a journey_validate/journey_compute failure (rc, *je) about `events`
 * into the same form, adding what the core's static message cannot know
 * (the offending value, the start date). */
void journey_json_error_from_journey(int rc, const journey_error *je, const event *events,
                                     size_t n, journey_json_error *out);

/* True when the text nests objects and arrays deeper than max_depth:
 * counted before parsing, so that neither a deep input nor the parser's
 * recursion on it costs more than the ceiling (shared with plan_json). */
bool journey_json_too_deep(const char *s, size_t len, int max_depth);

/* A date as "YYYY-MM-DD", or null for DATE_NONE. */
int journey_json_write_date(jsonw *w, date_t d);

/* The event in wire format (replacement nested, absent fields left out). */
int journey_json_write_event(jsonw *w, const event *e);

/* {"stage", "stage_label", "as_of", "deadlines": [{"step", "trigger",
 *  "trigger_event", "due", "done", "status", "basis", "owner", "explain"}...],
 *  "exceptions_apply", "within_20_weeks", "weeks_to_final_plan",
 *  "request_date", "final_plan_date", "next_due", "overdue_count"}
 * Absent dates and numbers are null; within_20_weeks is true, false or null;
 * weeks_to_final_plan has one decimal (20.1). */
int journey_json_write_timeline(jsonw *w, const journey_timeline *t, date_t as_of);

/* {"error": message, "field": name|null, "index": n|null, "id": n|null} */
int journey_json_write_error(jsonw *w, const journey_json_error *err);

/* The whole `sendhub timeline` path on one input text: size and depth
 * ceilings, parse, {"as_of"?, "events"} shape, decode, validate, compute,
 * encode. as_of is `as_of_override` when it is not DATE_NONE (the --as-of
 * flag), else the input's "as_of", else `today` (the caller reads the clock;
 * this never does). On SH_OK the timeline is appended to `out` as one JSON
 * document (pretty: two-space indent and a final newline, as the command
 * prints it; else compact); otherwise `out` is left as it was and *err says
 * why (SH_ELIMIT also when the timeline would pass out's ceiling). */
int journey_json_run(const char *text, size_t len, date_t as_of_override, date_t today,
                     arena *a, bool pretty, buf *out, journey_json_error *err);

#endif
