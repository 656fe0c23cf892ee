/*
 * fuzz_timeline.c — libFuzzer target for `sendhub timeline`'s input path.
 *
 * Feeds the bytes to journey_json_run, the same size/depth ceilings, parse,
 * decode, validate, compute and encode the CLI and the HTTP API use, then
 * serialises the result so the encoders and every explanation run too.
 * Beyond "no crash, no leak, no UB" it checks the contract's invariants:
 * success gives a timeline object whose deadlines are in due-date order;
 * failure gives a one-line message and an error body.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/journey_json.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_timeline(json_t *out)
{
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
    char *text = json_dumps(out, JSON_INDENT(2) | JOURNEY_JSON_REAL_FLAGS);
    if (!text)
        abort();
    free(text);
}

static void check_error(const journey_json_error *err)
{
    if (err->message[0] == '\0' || strchr(err->message, '\n'))
        abort();
    json_t *body = journey_json_encode_error(err);
    if (!body)
        abort(); /* the message must be valid UTF-8 */
    json_decref(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_create(64u * 1024 * 1024);
    if (!a)
        return 0;
    date_t today;
    date_from_ymd(2026, 3, 1, &today);
    json_t *out = NULL;
    journey_json_error err;
    int rc = journey_json_run((const char *)data, size, DATE_NONE, today, a, &out, &err);
    if (rc == SH_OK)
        check_timeline(out);
    else
        check_error(&err);
    json_decref(out);
    arena_destroy(a);
    return 0;
}
