/*
 * test_journey_json.c — the JSON codec for events and timelines
 * (app/journey_json.h): every field error, unknown keys, depth and size
 * ceilings, round trips, and the `sendhub timeline` path end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/journey_json.h"
#include "util/err.h"

static date_t D(const char *iso)
{
    date_t d = DATE_NONE;
    assert_int_equal(date_parse(iso, strlen(iso), &d), SH_OK);
    return d;
}

static int setup(void **state)
{
    *state = arena_create(8u << 20);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    arena_destroy(*state);
    return 0;
}

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!v)
        fail_msg("test JSON does not parse: %s: %s", jerr.text, text);
    return v;
}

/* The text a writer produced, parsed back: jansson checks that it is one
 * valid JSON document in valid UTF-8. */
static json_t *parse_written(buf *b, jsonw *w)
{
    assert_int_equal(jsonw_finish(w), SH_OK);
    json_t *v = parse(b->data);
    buf_free(b);
    return v;
}

static json_t *written_event(const event *e)
{
    buf b;
    jsonw w;
    buf_init(&b, 1u << 20);
    jsonw_init(&w, &b, false);
    assert_int_equal(journey_json_write_event(&w, e), SH_OK);
    return parse_written(&b, &w);
}

static json_t *written_error(const journey_json_error *err)
{
    buf b;
    jsonw w;
    buf_init(&b, 1u << 20);
    jsonw_init(&w, &b, false);
    assert_int_equal(journey_json_write_error(&w, err), SH_OK);
    return parse_written(&b, &w);
}

/* Decodes `text` as event number 3 (index 2) and checks the outcome. */
static void decode_fails(arena *a, const char *text, int rc, const char *field,
                         const char *message)
{
    json_t *v = parse(text);
    event e;
    journey_json_error err;
    int got = journey_json_decode_event(v, 2, a, &e, &err);
    json_decref(v);
    if (got != rc)
        fail_msg("%s: rc %d, want %d (%s)", text, got, rc, got ? err.message : "ok");
    assert_int_equal(err.rc, rc);
    assert_string_equal(err.field, field);
    assert_int_equal(err.index, 2);
    if (!strstr(err.message, message))
        fail_msg("%s:\n  message '%s'\n  lacks   '%s'", text, err.message, message);
}

static void decode_ok(arena *a, const char *text, event *e)
{
    json_t *v = parse(text);
    journey_json_error err;
    int rc = journey_json_decode_event(v, 0, a, e, &err);
    json_decref(v);
    if (rc)
        fail_msg("%s: %s", text, err.message);
}

/* ---- decoding: one event ---------------------------------------------------- */

static void test_decode_every_type_round_trips(void **state)
{
    static const char *events[] = {
        "{\"id\": 1, \"type\": \"request_received\", \"date\": \"2026-01-05\"}",
        "{\"id\": 2, \"type\": \"decision_to_assess\", \"date\": \"2026-02-01\", "
        "\"outcome\": \"refuse\"}",
        "{\"id\": 3, \"type\": \"advice_requested\", \"date\": \"2026-02-02\", "
        "\"agency\": \"social_care\"}",
        "{\"id\": 4, \"type\": \"advice_received\", \"date\": \"2026-02-03\", "
        "\"agency\": \"psychology\"}",
        "{\"id\": 5, \"type\": \"exception\", \"date\": \"2026-02-04\", "
        "\"reason\": \"early_years_closure\"}",
        "{\"id\": 6, \"type\": \"decision_not_to_issue\", \"date\": \"2026-02-05\"}",
        "{\"id\": 7, \"type\": \"draft_plan_issued\", \"date\": \"2026-02-06\"}",
        "{\"id\": 8, \"type\": \"final_plan_issued\", \"date\": \"2026-02-07\"}",
        "{\"id\": 9, \"type\": \"review_meeting\", \"date\": \"2026-02-08\"}",
        "{\"id\": 10, \"type\": \"review_decision\", \"date\": \"2026-02-09\", "
        "\"outcome\": \"cease\"}",
        "{\"id\": 11, \"type\": \"amendment_proposed\", \"date\": \"2026-02-10\"}",
        "{\"id\": 12, \"type\": \"amended_plan_issued\", \"date\": \"2026-02-11\"}",
        "{\"id\": 13, \"type\": \"phase_transfer_due\", \"date\": \"2026-02-12\", "
        "\"transfer_year\": 2027, \"to\": \"post16\"}",
        "{\"id\": 14, \"type\": \"transfer_in\", \"date\": \"2026-02-13\"}",
        "{\"id\": 15, \"type\": \"transfer_notice_issued\", \"date\": \"2026-02-14\"}",
        "{\"id\": 16, \"type\": \"decision_letter\", \"date\": \"2026-02-15\"}",
        "{\"id\": 17, \"type\": \"mediation_certificate\", \"date\": \"2026-02-16\"}",
        "{\"id\": 18, \"type\": \"appeal_lodged\", \"date\": \"2026-02-17\"}",
        "{\"id\": 19, \"type\": \"plan_ceased\", \"date\": \"2026-02-18\", \"reason\": 5}",
        "{\"id\": 21, \"type\": \"review_report_received\", \"date\": \"2026-02-18\"}",
        "{\"id\": 20, \"type\": \"correction\", \"date\": \"2026-02-19\", \"supersedes\": 9, "
        "\"reason\": \"wrong date\", \"replacement\": {\"type\": \"review_meeting\", "
        "\"date\": \"2026-02-20\"}}",
        "{\"id\": 9007199254740992, \"type\": \"correction\", \"date\": \"2026-02-19\", "
        "\"supersedes\": 4, \"reason\": \"entered in error\"}",
        "{\"type\": \"decision_letter\", \"date\": \"2199-12-31\"}",
    };
    _Static_assert(EV_TYPE_COUNT == 21, "add the new type above");
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        event e;
        decode_ok(*state, events[i], &e);
        json_t *want = parse(events[i]), *got = written_event(&e);
        if (!json_equal(want, got)) {
            char *s = json_dumps(got, JSON_COMPACT);
            fail_msg("round trip of %s gave %s", events[i], s);
        }
        json_decref(want);
        json_decref(got);
    }
}

static void test_decode_fields_land_in_the_struct(void **state)
{
    event e;
    decode_ok(*state,
              "{\"id\": 3, \"type\": \"phase_transfer_due\", \"date\": \"2026-09-01\", "
              "\"transfer_year\": 2027, \"to\": \"school\"}",
              &e);
    assert_int_equal(e.id, 3);
    assert_int_equal(e.type, EV_PHASE_TRANSFER_DUE);
    assert_int_equal(e.date, D("2026-09-01"));
    assert_int_equal(e.transfer_year, 2027);
    assert_int_equal(e.transfer_to, TRANSFER_SCHOOL);
    assert_int_equal(e.agency, AGENCY_NONE);
    decode_ok(*state,
              "{\"type\": \"correction\", \"date\": \"2026-09-01\", \"supersedes\": 3, "
              "\"reason\": \"typo\", \"replacement\": {\"type\": \"advice_received\", "
              "\"date\": \"2026-08-30\", \"agency\": \"health\"}}",
              &e);
    assert_int_equal(e.id, 0);
    assert_int_equal(e.supersedes, 3);
    assert_string_equal(e.reason, "typo");
    assert_non_null(e.replacement);
    assert_int_equal(e.replacement->type, EV_ADVICE_RECEIVED);
    assert_int_equal(e.replacement->agency, AGENCY_HEALTH);
    assert_int_equal(e.replacement->date, D("2026-08-30"));
}

static void test_decode_base_field_errors(void **state)
{
    arena *a = *state;
    decode_fails(a, "[1, 2]", SH_EINVAL, "", "event 3: an array is not an event object");
    decode_fails(a, "\"x\"", SH_EINVAL, "", "event 3: \"x\" is not an event object");
    decode_fails(a, "{\"date\": \"2026-01-05\"}", SH_EINVAL, "type",
                 "event 3: field \"type\" is missing");
    decode_fails(a, "{\"id\": 7, \"type\": \"advice_asked\", \"date\": \"2026-01-05\"}",
                 SH_EINVAL, "type",
                 "event 3 (id 7): field \"type\": \"advice_asked\" is not a known event type");
    decode_fails(a, "{\"type\": 4, \"date\": \"2026-01-05\"}", SH_EINVAL, "type",
                 "field \"type\": 4 is not a known event type");
    decode_fails(a, "{\"id\": 7, \"type\": \"review_meeting\"}", SH_EINVAL, "date",
                 "event 3 (id 7, review_meeting): field \"date\" is missing");
    decode_fails(a, "{\"id\": 7, \"type\": \"review_meeting\", \"date\": \"2026-02-30\"}",
                 SH_EINVAL, "date",
                 "event 3 (id 7, review_meeting): field \"date\": \"2026-02-30\" is not a real "
                 "date in the form YYYY-MM-DD");
    decode_fails(a, "{\"type\": \"review_meeting\", \"date\": \"2026-1-5\"}", SH_EINVAL, "date",
                 "\"2026-1-5\" is not a real date");
    decode_fails(a, "{\"type\": \"review_meeting\", \"date\": 20260105}", SH_EINVAL, "date",
                 "field \"date\": 20260105 is not a real date");
    decode_fails(a, "{\"type\": \"review_meeting\", \"date\": \"2026-01-05T10:00\"}", SH_EINVAL,
                 "date", "is not a real date");
    decode_fails(a, "{\"type\": \"review_meeting\", \"date\": null}", SH_EINVAL, "date",
                 "field \"date\": null is not a real date");
    /* ids: positive whole numbers up to 2^53 */
    decode_fails(a, "{\"id\": 0, \"type\": \"review_meeting\", \"date\": \"2026-01-05\"}",
                 SH_EINVAL, "id",
                 "event 3 (review_meeting): field \"id\": 0 is not a whole number from 1 to "
                 "9007199254740992");
    decode_fails(a, "{\"id\": -2, \"type\": \"review_meeting\", \"date\": \"2026-01-05\"}",
                 SH_EINVAL, "id", "field \"id\": -2 is not a whole number");
    decode_fails(a, "{\"id\": 1.5, \"type\": \"review_meeting\", \"date\": \"2026-01-05\"}",
                 SH_EINVAL, "id", "field \"id\": 1.5 is not a whole number");
    decode_fails(a, "{\"id\": \"7\", \"type\": \"review_meeting\", \"date\": \"2026-01-05\"}",
                 SH_EINVAL, "id", "field \"id\": \"7\" is not a whole number");
    decode_fails(a,
                 "{\"id\": 9007199254740993, \"type\": \"review_meeting\", \"date\": "
                 "\"2026-01-05\"}",
                 SH_EINVAL, "id", "9007199254740993 is not a whole number");
}

static void test_decode_type_field_errors(void **state)
{
    arena *a = *state;
    decode_fails(a, "{\"id\": 7, \"type\": \"advice_requested\", \"date\": \"2026-02-01\"}",
                 SH_EINVAL, "agency",
                 "event 3 (id 7, advice_requested): field \"agency\" is missing");
    decode_fails(a,
                 "{\"type\": \"advice_received\", \"date\": \"2026-02-01\", \"agency\": "
                 "\"Health\"}",
                 SH_EINVAL, "agency",
                 "field \"agency\": \"Health\" is not one of education, health, social_care, "
                 "psychology, other");
    decode_fails(a, "{\"type\": \"decision_to_assess\", \"date\": \"2026-02-01\"}", SH_EINVAL,
                 "outcome", "field \"outcome\" is missing");
    decode_fails(a,
                 "{\"type\": \"decision_to_assess\", \"date\": \"2026-02-01\", \"outcome\": "
                 "\"maintain\"}",
                 SH_EINVAL, "outcome", "field \"outcome\": \"maintain\" is not assess or refuse");
    decode_fails(a,
                 "{\"type\": \"decision_to_assess\", \"date\": \"2026-02-01\", \"outcome\": "
                 "\"yes\"}",
                 SH_EINVAL, "outcome", "field \"outcome\": \"yes\" is not assess or refuse");
    decode_fails(a,
                 "{\"type\": \"review_decision\", \"date\": \"2026-02-01\", \"outcome\": "
                 "\"assess\"}",
                 SH_EINVAL, "outcome", "\"assess\" is not maintain, amend or cease");
    decode_fails(a, "{\"type\": \"exception\", \"date\": \"2026-02-01\", \"reason\": \"ill\"}",
                 SH_EINVAL, "reason", "\"ill\" is not one of school_closure");
    decode_fails(a, "{\"type\": \"exception\", \"date\": \"2026-02-01\"}", SH_EINVAL, "reason",
                 "field \"reason\" is missing");
    decode_fails(a,
                 "{\"type\": \"phase_transfer_due\", \"date\": \"2026-02-01\", \"to\": "
                 "\"school\"}",
                 SH_EINVAL, "transfer_year", "field \"transfer_year\" is missing");
    decode_fails(a,
                 "{\"type\": \"phase_transfer_due\", \"date\": \"2026-02-01\", "
                 "\"transfer_year\": 1999, \"to\": \"school\"}",
                 SH_EINVAL, "transfer_year", "1999 is not a year from 2000 to 2199");
    decode_fails(a,
                 "{\"type\": \"phase_transfer_due\", \"date\": \"2026-02-01\", "
                 "\"transfer_year\": \"2027\", \"to\": \"school\"}",
                 SH_EINVAL, "transfer_year", "\"2027\" is not a year");
    decode_fails(a,
                 "{\"type\": \"phase_transfer_due\", \"date\": \"2026-02-01\", "
                 "\"transfer_year\": 2027, \"to\": \"college\"}",
                 SH_EINVAL, "to", "\"college\" is not school or post16");
    decode_fails(a,
                 "{\"type\": \"phase_transfer_due\", \"date\": \"2026-02-01\", "
                 "\"transfer_year\": 2027}",
                 SH_EINVAL, "to", "field \"to\" is missing");
    decode_fails(a, "{\"type\": \"plan_ceased\", \"date\": \"2026-02-01\", \"reason\": 10}",
                 SH_EINVAL, "reason", "10 is not an SEN2 cease reason code from 1 to 9");
    decode_fails(a,
                 "{\"type\": \"plan_ceased\", \"date\": \"2026-02-01\", \"reason\": \"Max "
                 "Age\"}",
                 SH_EINVAL, "reason", "\"Max Age\" is not an SEN2 cease reason");
    decode_fails(a, "{\"type\": \"plan_ceased\", \"date\": \"2026-02-01\"}", SH_EINVAL, "reason",
                 "is missing");
}

static void test_decode_correction_errors(void **state)
{
    arena *a = *state;
    decode_fails(a, "{\"id\": 9, \"type\": \"correction\", \"date\": \"2026-02-01\", "
                    "\"reason\": \"x\"}",
                 SH_EINVAL, "supersedes",
                 "event 3 (id 9, correction): field \"supersedes\" is missing");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 0, "
                    "\"reason\": \"x\"}",
                 SH_EINVAL, "supersedes", "0 is not an event id");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4}",
                 SH_EINVAL, "reason", "field \"reason\" is missing");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4, "
                    "\"reason\": \"\"}",
                 SH_EINVAL, "reason", "field \"reason\" is empty");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4, "
                    "\"reason\": 12}",
                 SH_EINVAL, "reason", "field \"reason\": 12 is not text");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4, "
                    "\"reason\": \"x\", \"replacement\": [1]}",
                 SH_EINVAL, "replacement", "an array is not an event object");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4, "
                    "\"reason\": \"x\", \"replacement\": {\"type\": \"correction\", \"date\": "
                    "\"2026-02-01\", \"supersedes\": 3, \"reason\": \"y\"}}",
                 SH_EINVAL, "replacement.type",
                 "event 3 (correction): field \"replacement.type\": \"correction\" cannot "
                 "itself be a correction");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4, "
                    "\"reason\": \"x\", \"replacement\": {\"id\": 5, \"type\": "
                    "\"review_meeting\", \"date\": \"2026-02-01\"}}",
                 SH_EINVAL, "replacement.id", "a replacement takes the correction's id");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4, "
                    "\"reason\": \"x\", \"replacement\": {\"type\": \"advice_received\", "
                    "\"date\": \"2026-02-01\"}}",
                 SH_EINVAL, "replacement.agency", "field \"replacement.agency\" is missing");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4, "
                    "\"reason\": \"x\", \"replacement\": {\"type\": \"review_meeting\", "
                    "\"date\": \"2026-02-01\", \"replacement\": {}}}",
                 SH_EINVAL, "replacement.replacement",
                 "field \"replacement.replacement\" is not a field of review_meeting events");
    decode_fails(a, "{\"type\": \"correction\", \"date\": \"2026-02-01\", \"supersedes\": 4, "
                    "\"reason\": \"x\", \"replacement\": {\"type\": \"review_meeting\", "
                    "\"date\": \"2026-13-01\"}}",
                 SH_EINVAL, "replacement.date", "\"2026-13-01\" is not a real date");
}

static void test_decode_unknown_keys(void **state)
{
    arena *a = *state;
    decode_fails(a, "{\"id\": 7, \"type\": \"advice_requested\", \"date\": \"2026-02-01\", "
                    "\"agncy\": \"health\"}",
                 SH_EINVAL, "agncy",
                 "event 3 (id 7, advice_requested): field \"agncy\" is not a field of "
                 "advice_requested events");
    /* a field of another type is just as unknown here */
    decode_fails(a, "{\"type\": \"review_meeting\", \"date\": \"2026-02-01\", \"outcome\": "
                    "\"maintain\"}",
                 SH_EINVAL, "outcome", "is not a field of review_meeting events");
    /* unknown keys are reported before missing ones: the typo is the news */
    decode_fails(a, "{\"type\": \"advice_requested\", \"date\": \"2026-02-01\", \"Agency\": "
                    "\"health\"}",
                 SH_EINVAL, "Agency", "is not a field of advice_requested events");
    /* odd key text stays on one line */
    decode_fails(a, "{\"type\": \"review_meeting\", \"date\": \"2026-02-01\", \"a\\nb\\\"\": 1}",
                 SH_EINVAL, "a\\u000ab\\\"", "field \"a\\u000ab\\\"\" is not a field");
}

static void test_decode_reason_ceiling(void **state)
{
    arena *a = *state;
    char reason[EVENT_REASON_MAX + 2];
    memset(reason, 'r', sizeof reason - 1);
    reason[sizeof reason - 1] = '\0';
    json_t *o = json_pack("{s:s, s:s, s:i, s:s}", "type", "correction", "date", "2026-02-01",
                          "supersedes", 4, "reason", reason);
    event e;
    journey_json_error err;
    assert_int_equal(journey_json_decode_event(o, 0, a, &e, &err), SH_EINVAL);
    assert_string_equal(err.field, "reason");
    assert_non_null(strstr(err.message, "is longer than 1000 bytes"));
    assert_non_null(strstr(err.message, "rrrr...\""));
    reason[EVENT_REASON_MAX] = '\0';
    json_object_set_new(o, "reason", json_string(reason));
    assert_int_equal(journey_json_decode_event(o, 0, a, &e, &err), SH_OK);
    assert_int_equal(strlen(e.reason), EVENT_REASON_MAX);
    json_object_set_new(o, "reason", json_stringn("a\0b", 3));
    assert_int_equal(journey_json_decode_event(o, 0, a, &e, &err), SH_EINVAL);
    assert_non_null(strstr(err.message, "contains a NUL character"));
    json_decref(o);
}

static void test_decode_single_event_has_no_prefix(void **state)
{
    json_t *v = parse("{\"id\": 7, \"type\": \"advice_requested\", \"date\": \"2026-02-01\"}");
    event e;
    journey_json_error err;
    assert_int_equal(journey_json_decode_event(v, JOURNEY_JSON_NO_INDEX, *state, &e, &err),
                     SH_EINVAL);
    assert_string_equal(err.message, "field \"agency\" is missing");
    assert_int_equal(err.event_id, 7);
    assert_string_equal(err.type, "advice_requested");
    json_t *body = written_error(&err);
    json_t *want = parse("{\"error\": \"field \\\"agency\\\" is missing\", \"field\": "
                         "\"agency\", \"index\": null, \"id\": 7}");
    assert_true(json_equal(body, want));
    json_decref(body);
    json_decref(want);
    json_decref(v);
}

static void test_decode_out_of_arena(void **state)
{
    (void)state;
    arena *tiny = arena_create(64);
    json_t *v = parse("[{\"type\": \"request_received\", \"date\": \"2026-01-05\"}, "
                      "{\"type\": \"decision_letter\", \"date\": \"2026-01-05\"}]");
    event *events;
    size_t n;
    journey_json_error err;
    assert_int_equal(journey_json_decode_events(v, tiny, &events, &n, &err), SH_ENOMEM);
    json_decref(v);
    arena_destroy(tiny);
}

/* ---- decoding: arrays -------------------------------------------------------- */

static void test_decode_events_array(void **state)
{
    json_t *v = parse("[{\"id\": 1, \"type\": \"request_received\", \"date\": \"2026-01-05\"},"
                      " {\"id\": 2, \"type\": \"decision_letter\", \"date\": \"2026-01-06\"}]");
    event *events;
    size_t n;
    journey_json_error err;
    assert_int_equal(journey_json_decode_events(v, *state, &events, &n, &err), SH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(events[1].type, EV_DECISION_LETTER);
    json_decref(v);
    v = parse("{}");
    assert_int_equal(journey_json_decode_events(v, *state, &events, &n, &err), SH_EINVAL);
    assert_string_equal(err.field, "events");
    json_decref(v);
}

static void test_decode_events_ceiling(void **state)
{
    json_t *list = json_array();
    for (int i = 0; i < JOURNEY_MAX_EVENTS + 1; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "type", "decision_letter", "date",
                                              "2026-01-06"));
    event *events;
    size_t n;
    journey_json_error err;
    assert_int_equal(journey_json_decode_events(list, *state, &events, &n, &err), SH_ELIMIT);
    assert_non_null(strstr(err.message, "has 2001 events: one journey holds at most 2000"));
    json_array_remove(list, 0);
    assert_int_equal(journey_json_decode_events(list, *state, &events, &n, &err), SH_OK);
    assert_int_equal(n, JOURNEY_MAX_EVENTS);
    json_decref(list);
}

/* ---- the timeline path ------------------------------------------------------- */

/* The timeline path on text; on success *out is the printed (pretty) text
 * parsed back, else NULL. */
static int run(arena *a, const char *text, date_t override, json_t **out,
               journey_json_error *err)
{
    buf b;
    buf_init(&b, 1u << 20);
    int rc = journey_json_run(text, strlen(text), override, D("2026-01-10"), a, true, &b, err);
    *out = NULL;
    if (rc == SH_OK) {
        assert_true(b.len > 0 && b.data[b.len - 1] == '\n');
        *out = parse(b.data);
    } else {
        assert_int_equal(b.len, 0); /* nothing printed on failure */
    }
    buf_free(&b);
    return rc;
}

static void run_fails(arena *a, const char *text, int rc, const char *message)
{
    json_t *out = NULL;
    journey_json_error err;
    int got = run(a, text, DATE_NONE, &out, &err);
    if (got != rc)
        fail_msg("%s: rc %d, want %d (%s)", text, got, rc, got ? err.message : "ok");
    assert_null(out);
    if (!strstr(err.message, message))
        fail_msg("%s:\n  message '%s'\n  lacks   '%s'", text, err.message, message);
}

static const char *journey_text =
    "{\"as_of\": \"2026-03-01\", \"events\": ["
    "{\"id\": 1, \"type\": \"request_received\", \"date\": \"2026-01-05\"},"
    "{\"id\": 2, \"type\": \"decision_to_assess\", \"date\": \"2026-02-10\", "
    "\"outcome\": \"assess\"}]}";

static void test_run_prints_the_timeline(void **state)
{
    json_t *out;
    journey_json_error err;
    assert_int_equal(run(*state, journey_text, DATE_NONE, &out, &err), SH_OK);
    json_t *want = parse(
        "{\"stage\": \"assessment\", \"stage_label\": \"Needs assessment\", "
        "\"as_of\": \"2026-03-01\", \"deadlines\": ["
        "{\"step\": \"decision_to_assess\", \"trigger\": \"2026-01-05\", \"trigger_event\": 1,"
        " \"due\": \"2026-02-16\", \"done\": \"2026-02-10\", \"status\": \"met\","
        " \"basis\": \"SEND Regulations 2014, regulation 5(1)\", \"owner\": \"council\","
        " \"explain\": \"The council "
        "must decide whether to carry out an EHC needs assessment within 6 weeks of receiving "
        "the request on 5 January 2026, so by 16 February 2026.\"},"
        "{\"step\": \"final_plan\", \"trigger\": \"2026-01-05\", \"trigger_event\": 1,"
        " \"due\": \"2026-05-25\", \"done\": null, \"status\": \"pending\","
        " \"basis\": \"SEND Regulations 2014, regulation 13(2)\", \"owner\": \"council\","
        " \"explain\": \"The final "
        "EHC plan must be issued within 20 weeks of receiving the request on 5 January 2026, "
        "so by 25 May 2026.\"}],"
        "\"exceptions_apply\": false, \"within_20_weeks\": null, "
        "\"weeks_to_final_plan\": null, \"request_date\": \"2026-01-05\", "
        "\"final_plan_date\": null, \"next_due\": \"2026-05-25\", \"overdue_count\": 0}");
    if (!json_equal(out, want)) {
        char *s = json_dumps(out, JSON_INDENT(2));
        fail_msg("got %s", s);
    }
    json_decref(want);
    json_decref(out);
}

static void test_run_as_of_precedence(void **state)
{
    json_t *out;
    journey_json_error err;
    /* the flag wins over the input */
    assert_int_equal(run(*state, journey_text, D("2026-04-01"), &out, &err), SH_OK);
    assert_string_equal(json_string_value(json_object_get(out, "as_of")), "2026-04-01");
    json_decref(out);
    /* with neither, today */
    const char *no_as_of = "{\"events\": [{\"type\": \"request_received\", \"date\": "
                           "\"2026-01-05\"}]}";
    assert_int_equal(run(*state, no_as_of, DATE_NONE, &out, &err), SH_OK);
    assert_string_equal(json_string_value(json_object_get(out, "as_of")), "2026-01-10");
    json_decref(out);
    /* the input's as_of is checked even when the flag overrides it */
    assert_int_equal(run(*state, "{\"as_of\": \"soon\", \"events\": []}", D("2026-04-01"),
                         &out, &err),
                     SH_EINVAL);
    assert_string_equal(err.field, "as_of");
}

static void test_run_weeks_and_flags(void **state)
{
    const char *text = "{\"events\": [{\"type\": \"request_received\", \"date\": "
                       "\"2026-01-05\"}, {\"type\": \"final_plan_issued\", \"date\": "
                       "\"2026-05-26\"}, {\"type\": \"exception\", \"date\": \"2026-02-01\", "
                       "\"reason\": \"personal_circumstances\"}]}";
    json_t *out;
    journey_json_error err;
    assert_int_equal(run(*state, text, DATE_NONE, &out, &err), SH_OK);
    assert_true(json_is_false(json_object_get(out, "within_20_weeks")));
    assert_true(json_is_true(json_object_get(out, "exceptions_apply")));
    assert_true(json_is_real(json_object_get(out, "weeks_to_final_plan")));
    assert_true(json_real_value(json_object_get(out, "weeks_to_final_plan")) == 20.1);
    json_decref(out);
    /* printed with one decimal, as people read it */
    buf b;
    journey_json_error err2;
    buf_init(&b, 1u << 20);
    assert_int_equal(journey_json_run(text, strlen(text), DATE_NONE, D("2026-01-10"), *state,
                                      false, &b, &err2),
                     SH_OK);
    assert_non_null(strstr(b.data, "\"weeks_to_final_plan\":20.1,"));
    buf_free(&b);
}

static void test_run_journey_errors_name_event_and_field(void **state)
{
    arena *a = *state;
    run_fails(a,
              "{\"events\": [{\"id\": 1, \"type\": \"request_received\", \"date\": "
              "\"2026-01-05\"}, {\"id\": 7, \"type\": \"review_meeting\", \"date\": "
              "\"2026-01-04\"}]}",
              SH_EINVAL,
              "event 2 (id 7, review_meeting): field \"date\": \"2026-01-04\" is before the "
              "request received on 2026-01-05");
    run_fails(a,
              "{\"events\": [{\"id\": 1, \"type\": \"request_received\", \"date\": "
              "\"2026-01-05\"}, {\"id\": 2, \"type\": \"request_received\", \"date\": "
              "\"2026-02-05\"}]}",
              SH_EINVAL,
              "event 2 (id 2, request_received): field \"type\": \"request_received\" starts "
              "a second journey: a new request opens a new case");
    run_fails(a,
              "{\"events\": [{\"id\": 1, \"type\": \"request_received\", \"date\": "
              "\"2026-01-05\"}, {\"id\": 1, \"type\": \"review_meeting\", \"date\": "
              "\"2026-02-05\"}]}",
              SH_EINVAL, "event 2 (id 1, review_meeting): field \"id\": 1 is already used");
    run_fails(a,
              "{\"events\": [{\"id\": 4, \"type\": \"review_meeting\", \"date\": "
              "\"2026-02-05\"}]}",
              SH_EINVAL, "event 1 (id 4, review_meeting): field \"type\": \"review_meeting\" "
                         "cannot start a journey");
    run_fails(a,
              "{\"events\": [{\"id\": 1, \"type\": \"request_received\", \"date\": "
              "\"2026-01-05\"}, {\"id\": 3, \"type\": \"correction\", \"date\": "
              "\"2026-02-05\", \"supersedes\": 8, \"reason\": \"typo\"}]}",
              SH_EINVAL,
              "event 2 (id 3, correction): field \"supersedes\": 8 does not name an earlier "
              "event");
    run_fails(a,
              "{\"events\": [{\"id\": 1, \"type\": \"request_received\", \"date\": "
              "\"2026-01-05\"}, {\"id\": 3, \"type\": \"correction\", \"date\": "
              "\"2026-02-05\", \"supersedes\": 1, \"reason\": \"typo\", \"replacement\": "
              "{\"type\": \"transfer_in\", \"date\": \"2026-01-06\"}}, {\"id\": 4, \"type\": "
              "\"review_meeting\", \"date\": \"2026-01-05\"}]}",
              SH_EINVAL,
              "event 3 (id 4, review_meeting): field \"date\": \"2026-01-05\" is before the "
              "plan was transferred in on 2026-01-06");
    run_fails(a, "{\"events\": []}", SH_EINVAL, "the journey is empty");
}

static void test_run_input_errors(void **state)
{
    arena *a = *state;
    run_fails(a, "", SH_EINVAL, "the input is not valid JSON");
    run_fails(a, "{\"events\": [", SH_EINVAL, "the input is not valid JSON");
    run_fails(a, "[]", SH_EINVAL, "the input must be a JSON object");
    run_fails(a, "{\"as_of\": \"2026-01-01\"}", SH_EINVAL, "field \"events\" is missing");
    run_fails(a, "{\"event\": []}", SH_EINVAL,
              "field \"event\" is not allowed here: the input has \"as_of\" and \"events\"");
    run_fails(a, "{\"as_of\": 5, \"events\": []}", SH_EINVAL,
              "field \"as_of\": 5 is not a real date");
    run_fails(a,
              "{\"events\": [{\"type\": \"request_received\", \"date\": \"2026-01-05\", "
              "\"type\": \"transfer_in\"}]}",
              SH_EINVAL, "duplicate object key");
    run_fails(a, "{\"events\": [{\"type\": \"request_received\", \"date\": \"2026-01-05\"}]} x",
              SH_EINVAL, "the input is not valid JSON");
    /* the parser quotes the input near the error: kept to one printable line */
    json_t *out;
    journey_json_error err;
    assert_int_equal(run(a, "{\"events\": [\"t\\\n\xff\"]}", DATE_NONE, &out, &err),
                     SH_EINVAL);
    assert_null(strchr(err.message, '\n'));
    assert_non_null(strstr(err.message, "\\x0a"));
}

static void test_run_depth_ceiling(void **state)
{
    arena *a = *state;
    /* 8 levels parse (and fail later on shape); 9 are refused before parsing */
    run_fails(a, "{\"events\": [[[[[[[]]]]]]]}", SH_EINVAL, "event 1: an array is not");
    run_fails(a, "{\"events\": [[[[[[[[]]]]]]]]}", SH_ELIMIT,
              "the input is nested more than 8 levels deep");
    /* brackets inside strings do not count */
    run_fails(a,
              "{\"events\": [{\"type\": \"request_received\", \"date\": \"[[[[[[[[[[{{{{\"}]}",
              SH_EINVAL, "is not a real date");
    /* an escaped quote does not end the string */
    run_fails(a, "{\"events\": [{\"type\": \"x\\\"[[[[[[[[[[\", \"date\": \"2026-01-05\"}]}",
              SH_EINVAL, "is not a known event type");
    /* deep input is refused whatever its size */
    size_t n = 100000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    run_fails(a, deep, SH_ELIMIT, "nested more than 8 levels");
    free(deep);
}

static void test_run_size_ceiling(void **state)
{
    size_t len = JOURNEY_JSON_MAX_BYTES + 1;
    char *big = malloc(len);
    memset(big, ' ', len);
    big[0] = '{';
    memcpy(big + len - 14, "\"events\": []}", 13);
    buf out;
    buf_init(&out, 1u << 20);
    journey_json_error err;
    assert_int_equal(journey_json_run(big, len, DATE_NONE, D("2026-01-01"), *state, true, &out,
                                      &err),
                     SH_ELIMIT);
    assert_non_null(strstr(err.message, "larger than 4 MiB"));
    /* exactly at the ceiling is read (and here found to be an empty journey) */
    assert_int_equal(journey_json_run(big, len - 1, DATE_NONE, D("2026-01-01"), *state, true,
                                      &out, &err),
                     SH_EINVAL);
    assert_non_null(strstr(err.message, "the journey is empty"));
    buf_free(&out);
    /* a timeline past the output's ceiling is refused whole, not cut */
    buf_init(&out, 64);
    assert_int_equal(journey_json_run(journey_text, strlen(journey_text), DATE_NONE,
                                      D("2026-01-01"), *state, false, &out, &err),
                     SH_ELIMIT);
    assert_int_equal(out.len, 0);
    assert_non_null(strstr(err.message, "too large to print"));
    buf_free(&out);
    free(big);
}

static void test_error_json_and_utf8_cut(void **state)
{
    arena *a = *state;
    /* a long key of two-byte characters is cut on a character boundary */
    char text[512] = "{\"events\": [{\"type\": \"request_received\", \"date\": \"2026-01-05\", \"";
    size_t k = strlen(text);
    for (int i = 0; i < 100; i++) {
        text[k++] = (char)0xC3;
        text[k++] = (char)0xA9; /* é */
    }
    memcpy(text + k, "\": 1}]}", 8);
    json_t *out;
    journey_json_error err;
    assert_int_equal(run(a, text, DATE_NONE, &out, &err), SH_EINVAL);
    json_t *body = written_error(&err); /* parsed back: the message is valid UTF-8 */
    assert_int_equal(json_integer_value(json_object_get(body, "index")), 0);
    assert_true(json_is_null(json_object_get(body, "id")));
    assert_non_null(json_string_value(json_object_get(body, "field")));
    json_decref(body);
}

static void test_error_from_journey(void **state)
{
    (void)state;
    event ev[2];
    event_init(&ev[0], EV_REQUEST_RECEIVED, D("2026-01-05"));
    event_init(&ev[1], EV_ADVICE_REQUESTED, D("2026-01-04"));
    ev[0].id = 1;
    ev[1].id = 5;
    ev[1].agency = AGENCY_HEALTH;
    journey_error je;
    assert_int_equal(journey_validate(ev, 2, &je), SH_EINVAL);
    journey_json_error err;
    journey_json_error_from_journey(SH_EINVAL, &je, ev, 2, &err);
    assert_string_equal(err.message, "event 2 (id 5, advice_requested): field \"date\": "
                                     "\"2026-01-04\" is before the request received on "
                                     "2026-01-05");
    assert_int_equal(err.index, 1);
    assert_int_equal(err.event_id, 5);
    assert_string_equal(err.field, "date");
    assert_int_equal(journey_validate(ev, 0, &je), SH_EINVAL);
    journey_json_error_from_journey(SH_EINVAL, &je, ev, 0, &err);
    assert_int_equal(err.index, JOURNEY_JSON_NO_INDEX);
    assert_string_equal(err.field, "");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_decode_every_type_round_trips),
        T(test_decode_fields_land_in_the_struct),
        T(test_decode_base_field_errors),
        T(test_decode_type_field_errors),
        T(test_decode_correction_errors),
        T(test_decode_unknown_keys),
        T(test_decode_reason_ceiling),
        T(test_decode_single_event_has_no_prefix),
        T(test_decode_out_of_arena),
        T(test_decode_events_array),
        T(test_decode_events_ceiling),
        T(test_run_prints_the_timeline),
        T(test_run_as_of_precedence),
        T(test_run_weeks_and_flags),
        T(test_run_journey_errors_name_event_and_field),
        T(test_run_input_errors),
        T(test_run_depth_ceiling),
        T(test_run_size_ceiling),
        T(test_error_json_and_utf8_cut),
        T(test_error_from_journey),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
