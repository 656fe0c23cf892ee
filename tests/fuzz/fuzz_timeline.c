/*
 * fuzz_timeline.c — libFuzzer target for `sendhub timeline`'s input path.
 *
 * Feeds the bytes to journey_json_run, the same size/depth ceilings, parse,
 * decode, validate, compute and encode the CLI and the HTTP API use (the
 * pretty form, as the CLI prints it, so the writer and every explanation
 * run). Beyond "no crash, no leak, no UB" it checks the contract's
 * invariants: success gives text that jansson parses back to a timeline
 * object whose deadlines are in due-date order; failure gives a one-line
 * message and an error body that parses (so the message is valid UTF-8).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/journey_json.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The text parsed back; anything but a valid JSON document aborts. */
static json_t *parse_back(const buf *text)
{
    json_t *v = json_loadb(text->data, text->len, JSON_REJECT_DUPLICATES, NULL);
    if (!v)
        abort();
    return v;
}

static void check_timeline(const buf *text)
{
    json_t *out = parse_back(text);
    json_t *deadlines = json_object_get(out, "deadlines");
    if (!json_is_array(deadlines) || !json_is_string(json_object_get(out, "stage")))
        abort();
    const char *previous = "";
    size_t i;
    json_t *d;
    json_array_foreach(deadlines, i, d) {
        const char *due = json_string_value(json_object_get(d, "due"));
        if (!due || strcmp(previous, due) > 0)
            abort(); /* ISO dates sort as text */
        previous = due;
    }
    json_decref(out);
}

static void check_error(const journey_json_error *err)
{
    if (err->message[0] == '\0' || strchr(err->message, '\n'))
        abort();
    buf text;
    buf_init(&text, 4096);
    jsonw w;
    jsonw_init(&w, &text, false);
    journey_json_write_error(&w, err);
    if (jsonw_finish(&w) != SH_OK)
        abort();
    json_decref(parse_back(&text)); /* jansson checks the message is valid UTF-8 */
    buf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_create(64u * 1024 * 1024);
    if (!a)
        return 0;
    date_t today;
    date_from_ymd(2026, 3, 1, &today);
    buf out;
    buf_init(&out, 64u * 1024 * 1024);
    journey_json_error err;
    int rc = journey_json_run((const char *)data, size, DATE_NONE, today, a, true, &out, &err);
    if (rc == SH_OK)
        check_timeline(&out);
    else
        check_error(&err);
    buf_free(&out);
    arena_destroy(a);
    return 0;
}
