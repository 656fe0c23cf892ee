/*
 * journey_json.c — events and timelines to and from JSON (see the header).
 *
 * Decoding checks shape and names here and leaves value rules to
 * event_check_fields and journey_validate, so there is one definition of a
 * valid journey; the messages those return are static, and this file adds
 * what they cannot know: which event, and the value that was wrong.
 */
#include "app/journey_json.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define VALUE_MAX 40 /* bytes of an offending string quoted in a message */

/* ---- safe text for messages ----------------------------------------------- */

/* Length of s[0..len) without a UTF-8 sequence cut short at its end, so a
 * truncated message is still valid UTF-8 for json_string(). */
static size_t utf8_whole(const char *s, size_t len)
{
    size_t lead = len;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead == 0)
        return len;
    unsigned char c = (unsigned char)s[lead - 1];
    size_t need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return len - (lead - 1) >= need ? len : lead - 1;
}

/* Writes s[0..len) into out as a double-quoted one-line string: quotes,
 * backslashes and control characters escaped, cut (at a character
 * boundary) after `max` bytes with "..." added. */
static void quote(char *out, size_t n, const char *s, size_t len, size_t max)
{
    size_t k = 0;
    bool cut = len > max;
    if (cut)
        len = utf8_whole(s, max);
    out[k++] = '"';
    for (size_t i = 0; i < len && k + 8 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[k++] = '\\';
            out[k++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            k += (size_t)snprintf(out + k, n - k, "\\u%04x", c);
        } else {
            out[k++] = (char)c;
        }
    }
    if (cut && k + 4 < n) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k++] = '"';
    out[k] = '\0';
}

/* The parser's message in printable ASCII: it quotes the input near the
 * error, which may hold newlines or bytes that are not UTF-8. */
static void printable(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 5 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7f)
            out[k++] = (char)c;
        else
            k += (size_t)snprintf(out + k, n - k, "\\x%02x", c);
    }
    out[k] = '\0';
}

/* A JSON value as a person reads it in a message. */
static void render_json(const json_t *v, char *out, size_t n)
{
    switch (json_typeof(v)) {
    case JSON_STRING: quote(out, n, json_string_value(v), json_string_length(v), VALUE_MAX); break;
    case JSON_INTEGER: snprintf(out, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: snprintf(out, n, "%g", json_real_value(v)); break;
    case JSON_TRUE: snprintf(out, n, "true"); break;
    case JSON_FALSE: snprintf(out, n, "false"); break;
    case JSON_NULL: snprintf(out, n, "null"); break;
    case JSON_OBJECT: snprintf(out, n, "an object"); break;
    case JSON_ARRAY: snprintf(out, n, "an array"); break;
    }
}

/* ---- errors -------------------------------------------------------------- */

/* Fills *err and returns rc. field (raw, may come from the input) and value
 * (already rendered) may be NULL; `why` reads after either. */
static int set_error(journey_json_error *err, int rc, size_t index, int64_t id,
                     const char *type, const char *field, const char *value, const char *why)
{
    char prefix[128] = "", quoted[sizeof err->field + 8] = "";
    err->rc = rc;
    err->index = index;
    err->event_id = id;
    err->type = type;
    err->field[0] = '\0';
    if (field) {
        quote(quoted, sizeof quoted, field, strlen(field), sizeof err->field - 12);
        snprintf(err->field, sizeof err->field, "%.*s", (int)(strlen(quoted) - 2), quoted + 1);
    }
    if (index != JOURNEY_JSON_NO_INDEX) {
        if (id && type)
            snprintf(prefix, sizeof prefix, "event %zu (id %lld, %s): ", index + 1,
                     (long long)id, type);
        else if (id)
            snprintf(prefix, sizeof prefix, "event %zu (id %lld): ", index + 1, (long long)id);
        else if (type)
            snprintf(prefix, sizeof prefix, "event %zu (%s): ", index + 1, type);
        else
            snprintf(prefix, sizeof prefix, "event %zu: ", index + 1);
    }
    if (!field)
        snprintf(err->message, sizeof err->message, "%s%s", prefix, why);
    else if (value)
        snprintf(err->message, sizeof err->message, "%sfield %s: %s %s", prefix, quoted, value,
                 why);
    else
        snprintf(err->message, sizeof err->message, "%sfield %s %s", prefix, quoted, why);
    err->message[utf8_whole(err->message, strlen(err->message))] = '\0';
    return rc;
}

/* The value of a wire field of an event (a replacement's for
 * "replacement.<field>"), rendered for a message; false when the field has
 * no value worth showing (absent, or free text). */
static bool render_event_field(const event *e, const char *field, char *out, size_t n)
{
    static const char nested[] = "replacement.";
    if (strncmp(field, nested, sizeof nested - 1) == 0) {
        if (!e->replacement)
            return false;
        e = e->replacement;
        field += sizeof nested - 1;
    }
    const char *name = NULL;
    long long number = 0;
    char iso[DATE_ISO_LEN + 1];
    if (strcmp(field, "date") == 0 && e->date != DATE_NONE) {
        date_format(e->date, iso);
        name = iso;
    } else if (strcmp(field, "type") == 0) {
        name = event_type_name(e->type);
    } else if (strcmp(field, "outcome") == 0) {
        name = event_outcome_name(e->outcome);
    } else if (strcmp(field, "agency") == 0) {
        name = event_agency_name(e->agency);
    } else if (strcmp(field, "to") == 0) {
        name = event_transfer_to_name(e->transfer_to);
    } else if (strcmp(field, "reason") == 0 && e->type == EV_EXCEPTION) {
        name = event_exception_name(e->exception);
    } else if (strcmp(field, "reason") == 0 && e->type == EV_PLAN_CEASED) {
        number = e->cease_reason;
    } else if (strcmp(field, "transfer_year") == 0) {
        number = e->transfer_year;
    } else if (strcmp(field, "id") == 0) {
        number = e->id;
    } else if (strcmp(field, "supersedes") == 0) {
        number = e->supersedes;
    }
    if (name)
        quote(out, n, name, strlen(name), VALUE_MAX);
    else if (number)
        snprintf(out, n, "%lld", number);
    return name || number;
}

/* An error about events[index] from the core's (field, static message). */
static int error_from_core(journey_json_error *err, int rc, size_t index, const event *e,
                           const char *field, const char *why, date_t date)
{
    char value[64], whole[256];
    bool has_value = field && render_event_field(e, field, value, sizeof value);
    if (date != DATE_NONE) {
        char iso[DATE_ISO_LEN + 1];
        date_format(date, iso);
        snprintf(whole, sizeof whole, "%s on %s", why, iso);
        why = whole;
    }
    return set_error(err, rc, index, e->id, event_type_name(e->type), field,
                     has_value ? value : NULL, why);
}

void journey_json_error_from_journey(int rc, const journey_error *je, const event *events,
                                     size_t n, journey_json_error *out)
{
    if (!je->field || je->index >= n) {
        char why[200];
        snprintf(why, sizeof why, "the journey %s", je->message);
        set_error(out, rc, JOURNEY_JSON_NO_INDEX, 0, NULL, NULL, NULL, why);
        return;
    }
    error_from_core(out, rc, je->index, &events[je->index], je->field, je->message, je->date);
}

/* ---- decoding -------------------------------------------------------------- */

typedef enum { K_OUTCOME, K_AGENCY, K_EXCEPTION, K_YEAR, K_TO, K_CEASE, K_SUPERSEDES,
               K_TEXT, K_REPLACEMENT } field_kind;

/* The fields each type carries beyond id, type and date; anything else in
 * the object is rejected by name. `expect` completes "field X: VALUE ...". */
static const struct field_spec {
    event_type type;
    const char *key;
    field_kind kind;
    bool required;
    const char *expect;
} specs[] = {
    {EV_DECISION_TO_ASSESS, "outcome", K_OUTCOME, true, "is not assess or refuse"},
    {EV_REVIEW_DECISION, "outcome", K_OUTCOME, true, "is not maintain, amend or cease"},
    {EV_ADVICE_REQUESTED, "agency", K_AGENCY, true,
     "is not one of education, health, social_care, psychology, other"},
    {EV_ADVICE_RECEIVED, "agency", K_AGENCY, true,
     "is not one of education, health, social_care, psychology, other"},
    {EV_EXCEPTION, "reason", K_EXCEPTION, true,
     "is not one of school_closure, early_years_closure, personal_circumstances, "
     "away_from_area"},
    {EV_PHASE_TRANSFER_DUE, "transfer_year", K_YEAR, true, "is not a year from 2000 to 2199"},
    {EV_PHASE_TRANSFER_DUE, "to", K_TO, true, "is not school or post16"},
    {EV_PLAN_CEASED, "reason", K_CEASE, true, "is not an SEN2 cease reason code from 1 to 9"},
    {EV_CORRECTION, "supersedes", K_SUPERSEDES, true,
     "is not an event id (a whole number from 1 to 9007199254740992)"},
    {EV_CORRECTION, "reason", K_TEXT, true, "is not text"},
    {EV_CORRECTION, "replacement", K_REPLACEMENT, false, "is not an event object"},
};

typedef struct {
    size_t index;       /* position in "events" (for messages) */
    int64_t id;         /* the event's id once read */
    const char *type;   /* the event's type name once read */
    const char *prefix; /* "" or "replacement." for field names */
    arena *a;
    journey_json_error *err;
} dctx;

static int bad(const dctx *c, const char *key, const json_t *value, const char *why)
{
    char field[96], shown[VALUE_MAX + 16];
    snprintf(field, sizeof field, "%s%s", c->prefix, key);
    if (value)
        render_json(value, shown, sizeof shown);
    return set_error(c->err, SH_EINVAL, c->index, c->id, c->type, field, value ? shown : NULL,
                     why);
}

static int no_memory(const dctx *c)
{
    return set_error(c->err, SH_ENOMEM, c->index, c->id, c->type, NULL, NULL,
                     "the input needs more memory than the limit allows");
}

static bool int_in(const json_t *v, json_int_t lo, json_int_t hi)
{
    return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

/* A name from one of event.h's name lists; -1 when v is not one. */
static int name_of(const json_t *v, int (*parse)(const char *, size_t))
{
    return json_is_string(v) ? parse(json_string_value(v), json_string_length(v)) : -1;
}

static int parse_outcome(const char *s, size_t n) { return (int)event_outcome_parse(s, n); }
static int parse_agency(const char *s, size_t n) { return (int)event_agency_parse(s, n); }
static int parse_exception(const char *s, size_t n) { return (int)event_exception_parse(s, n); }
static int parse_to(const char *s, size_t n) { return (int)event_transfer_to_parse(s, n); }

static int decode_object(dctx *c, const json_t *obj, event *out, bool nested);

static int decode_text(const dctx *c, const struct field_spec *sp, const json_t *v, event *out)
{
    if (!json_is_string(v))
        return bad(c, sp->key, v, sp->expect);
    size_t len = json_string_length(v);
    const char *s = json_string_value(v);
    if (len > EVENT_REASON_MAX)
        return bad(c, sp->key, v, "is longer than 1000 bytes");
    if (strlen(s) != len)
        return bad(c, sp->key, v, "contains a NUL character");
    out->reason = arena_strndup(c->a, s, len);
    return out->reason ? SH_OK : no_memory(c);
}

static int decode_replacement(const dctx *c, const struct field_spec *sp, const json_t *v,
                              event *out)
{
    if (!json_is_object(v))
        return bad(c, sp->key, v, sp->expect);
    event *r = arena_alloc(c->a, sizeof *r);
    if (!r)
        return no_memory(c);
    dctx inner = *c;
    inner.prefix = "replacement.";
    int rc = decode_object(&inner, v, r, true);
    out->replacement = r;
    return rc;
}

/* Stores one type-specific field. Enum names are checked here against the
 * whole list; whether a valid name suits the type (an "amend" decision to
 * assess) is event_check_fields' call, with the same wording. */
static int decode_field(const dctx *c, const struct field_spec *sp, const json_t *v, event *out)
{
    int x;
    switch (sp->kind) {
    case K_OUTCOME:
        if ((x = name_of(v, parse_outcome)) < 0)
            return bad(c, sp->key, v, sp->expect);
        out->outcome = (event_outcome)x;
        return SH_OK;
    case K_AGENCY:
        if ((x = name_of(v, parse_agency)) < 0)
            return bad(c, sp->key, v, sp->expect);
        out->agency = (event_agency)x;
        return SH_OK;
    case K_EXCEPTION:
        if ((x = name_of(v, parse_exception)) < 0)
            return bad(c, sp->key, v, sp->expect);
        out->exception = (event_exception)x;
        return SH_OK;
    case K_TO:
        if ((x = name_of(v, parse_to)) < 0)
            return bad(c, sp->key, v, sp->expect);
        out->transfer_to = (event_transfer_to)x;
        return SH_OK;
    case K_YEAR:
        if (!int_in(v, 2000, 2199))
            return bad(c, sp->key, v, sp->expect);
        out->transfer_year = (int)json_integer_value(v);
        return SH_OK;
    case K_CEASE:
        if (!int_in(v, 1, 9))
            return bad(c, sp->key, v, sp->expect);
        out->cease_reason = (int)json_integer_value(v);
        return SH_OK;
    case K_SUPERSEDES:
        if (!int_in(v, 1, JOURNEY_JSON_MAX_ID))
            return bad(c, sp->key, v, sp->expect);
        out->supersedes = json_integer_value(v);
        return SH_OK;
    case K_TEXT:
        return decode_text(c, sp, v, out);
    case K_REPLACEMENT:
        return decode_replacement(c, sp, v, out);
    }
    return bad(c, sp->key, v, sp->expect);
}

static const struct field_spec *find_spec(event_type t, const char *key)
{
    for (size_t i = 0; i < COUNT_OF(specs); i++)
        if (specs[i].type == t && strcmp(specs[i].key, key) == 0)
            return &specs[i];
    return NULL;
}

/* "id": a positive integer at the top level; never in a replacement. */
static int decode_id(dctx *c, const json_t *obj, event *out, bool nested)
{
    const json_t *v = json_object_get(obj, "id");
    if (!v)
        return SH_OK;
    if (nested)
        return bad(c, "id", v, "is not allowed: a replacement takes the correction's id");
    if (!int_in(v, 1, JOURNEY_JSON_MAX_ID))
        return bad(c, "id", v, "is not a whole number from 1 to 9007199254740992");
    out->id = c->id = json_integer_value(v);
    return SH_OK;
}

static int decode_type_and_date(dctx *c, const json_t *obj, event *out, bool nested, int type)
{
    const json_t *v = json_object_get(obj, "type");
    if (!v)
        return bad(c, "type", NULL, "is missing");
    if (type < 0)
        return bad(c, "type", v, "is not a known event type");
    if (nested && type == EV_CORRECTION)
        return bad(c, "type", v, "cannot itself be a correction");
    v = json_object_get(obj, "date");
    if (!v)
        return bad(c, "date", NULL, "is missing");
    if (!json_is_string(v) ||
        date_parse(json_string_value(v), json_string_length(v), &out->date) != SH_OK)
        return bad(c, "date", v, "is not a real date in the form YYYY-MM-DD");
    return SH_OK;
}

/* Every key must be id, type, date or a field of the type. */
static int reject_unknown_keys(const dctx *c, const json_t *obj, event_type t)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)(uintptr_t)obj, key, v) {
        if (strcmp(key, "id") == 0 || strcmp(key, "type") == 0 || strcmp(key, "date") == 0 ||
            find_spec(t, key))
            continue;
        char why[96];
        snprintf(why, sizeof why, "is not a field of %s events", event_type_name(t));
        return bad(c, key, NULL, why);
    }
    return SH_OK;
}

static int decode_object(dctx *c, const json_t *obj, event *out, bool nested)
{
    const json_t *tv = json_object_get(obj, "type");
    int type = name_of(tv, event_type_parse);
    if (!nested && type >= 0)
        c->type = event_type_name((event_type)type);
    event_init(out, type >= 0 ? (event_type)type : EV_REQUEST_RECEIVED, DATE_NONE);
    int rc = decode_id(c, obj, out, nested);
    if (rc == SH_OK)
        rc = decode_type_and_date(c, obj, out, nested, type);
    if (rc == SH_OK)
        rc = reject_unknown_keys(c, obj, (event_type)type);
    for (size_t i = 0; rc == SH_OK && i < COUNT_OF(specs); i++) {
        if (specs[i].type != (event_type)type)
            continue;
        const json_t *v = json_object_get(obj, specs[i].key);
        if (v)
            rc = decode_field(c, &specs[i], v, out);
        else if (specs[i].required)
            rc = bad(c, specs[i].key, NULL, "is missing");
    }
    return rc;
}

int journey_json_decode_event(const json_t *obj, size_t index, arena *a, event *out,
                              journey_json_error *err)
{
    dctx c = {.index = index, .id = 0, .type = NULL, .prefix = "", .a = a, .err = err};
    if (!json_is_object(obj)) {
        char shown[VALUE_MAX + 16], why[VALUE_MAX + 48];
        render_json(obj, shown, sizeof shown);
        snprintf(why, sizeof why, "%s is not an event object", shown);
        return set_error(err, SH_EINVAL, index, 0, NULL, NULL, NULL, why);
    }
    int rc = decode_object(&c, obj, out, false);
    if (rc)
        return rc;
    const char *field, *why;
    if (event_check_fields(out, &field, &why) != SH_OK)
        return error_from_core(err, SH_EINVAL, index, out, field, why, DATE_NONE);
    return SH_OK;
}

int journey_json_decode_events(const json_t *array, arena *a, event **out, size_t *n,
                               journey_json_error *err)
{
    if (!json_is_array(array)) {
        char shown[VALUE_MAX + 16];
        render_json(array, shown, sizeof shown);
        return set_error(err, SH_EINVAL, JOURNEY_JSON_NO_INDEX, 0, NULL, "events", shown,
                         "is not an array of events");
    }
    size_t count = json_array_size(array);
    if (count > JOURNEY_MAX_EVENTS) {
        char why[96];
        snprintf(why, sizeof why, "has %zu events: one journey holds at most %d", count,
                 JOURNEY_MAX_EVENTS);
        return set_error(err, SH_ELIMIT, JOURNEY_JSON_NO_INDEX, 0, NULL, "events", NULL, why);
    }
    event *events = count ? arena_calloc(a, count, sizeof *events) : NULL;
    if (count && !events)
        return set_error(err, SH_ENOMEM, JOURNEY_JSON_NO_INDEX, 0, NULL, NULL, NULL,
                         "the input needs more memory than the limit allows");
    for (size_t i = 0; i < count; i++) {
        int rc = journey_json_decode_event(json_array_get(array, i), i, a, &events[i], err);
        if (rc)
            return rc;
    }
    *out = events;
    *n = count;
    return SH_OK;
}

/* ---- encoding -------------------------------------------------------------- */

int journey_json_write_date(jsonw *w, date_t d)
{
    if (d == DATE_NONE)
        return jsonw_null(w);
    char iso[DATE_ISO_LEN + 1];
    date_format(d, iso);
    return jsonw_plain(w, iso, DATE_ISO_LEN);
}

static int kv_date(jsonw *w, const char *key, date_t d)
{
    jsonw_key(w, key);
    return journey_json_write_date(w, d);
}

static void write_fields(jsonw *w, const event *e)
{
    switch (e->type) {
    case EV_DECISION_TO_ASSESS:
    case EV_REVIEW_DECISION:
        jsonw_kv_string(w, "outcome", event_outcome_name(e->outcome));
        break;
    case EV_ADVICE_REQUESTED:
    case EV_ADVICE_RECEIVED:
        jsonw_kv_string(w, "agency", event_agency_name(e->agency));
        break;
    case EV_EXCEPTION:
        jsonw_kv_string(w, "reason", event_exception_name(e->exception));
        break;
    case EV_PHASE_TRANSFER_DUE:
        jsonw_kv_int(w, "transfer_year", e->transfer_year);
        jsonw_kv_string(w, "to", event_transfer_to_name(e->transfer_to));
        break;
    case EV_PLAN_CEASED:
        jsonw_kv_int(w, "reason", e->cease_reason);
        break;
    case EV_CORRECTION:
        jsonw_kv_int(w, "supersedes", e->supersedes);
        jsonw_kv_string(w, "reason", e->reason);
        if (e->replacement) {
            jsonw_key(w, "replacement");
            journey_json_write_event(w, e->replacement);
        }
        break;
    default:
        break;
    }
}

int journey_json_write_event(jsonw *w, const event *e)
{
    jsonw_object_begin(w);
    if (e->id)
        jsonw_kv_int(w, "id", e->id);
    jsonw_kv_string(w, "type", event_type_name(e->type));
    kv_date(w, "date", e->date);
    write_fields(w, e);
    return jsonw_object_end(w);
}

/* The explanation, computed here, on output, so callers that only fold
 * timelines never format it. Nearly all fit the stack buffer. */
static int write_explain(jsonw *w, const journey_deadline *d)
{
    char text[512];
    size_t need = journey_explain(d, text, sizeof text);
    if (need < sizeof text)
        return jsonw_stringn(w, text, need);
    char *big = malloc(need + 1);
    if (!big)
        return jsonw_fail(w, SH_ENOMEM);
    journey_explain(d, big, need + 1);
    int rc = jsonw_stringn(w, big, need);
    free(big);
    return rc;
}

static int write_deadline(jsonw *w, const journey_deadline *d)
{
    char step[48];
    jsonw_object_begin(w);
    jsonw_kv_string(w, "step", journey_step_name(d, step, sizeof step));
    kv_date(w, "trigger", d->trigger);
    if (d->trigger_event)
        jsonw_kv_int(w, "trigger_event", d->trigger_event);
    else
        jsonw_kv_null(w, "trigger_event");
    kv_date(w, "due", d->due);
    kv_date(w, "done", d->done);
    jsonw_kv_string(w, "status", journey_status_name(d->status));
    jsonw_kv_string(w, "basis", journey_rule_basis(d->rule));
    jsonw_kv_string(w, "owner", journey_rule_is_family_window(d->rule) ? "family" : "council");
    jsonw_key(w, "explain");
    write_explain(w, d);
    return jsonw_object_end(w);
}

int journey_json_write_timeline(jsonw *w, const journey_timeline *t, date_t as_of)
{
    jsonw_object_begin(w);
    jsonw_kv_string(w, "stage", journey_stage_name(t->stage));
    jsonw_kv_string(w, "stage_label", journey_stage_label(t->stage));
    kv_date(w, "as_of", as_of);
    jsonw_key(w, "deadlines");
    jsonw_array_begin(w);
    for (size_t i = 0; i < t->n_deadlines; i++)
        write_deadline(w, &t->deadlines[i]);
    jsonw_array_end(w);
    jsonw_kv_bool(w, "exceptions_apply", t->exceptions_apply);
    if (t->within_20_weeks < 0)
        jsonw_kv_null(w, "within_20_weeks");
    else
        jsonw_kv_bool(w, "within_20_weeks", t->within_20_weeks);
    jsonw_key(w, "weeks_to_final_plan");
    if (t->weeks_x10 < 0)
        jsonw_null(w);
    else
        jsonw_tenths(w, t->weeks_x10);
    kv_date(w, "request_date", t->request_date);
    kv_date(w, "final_plan_date", t->final_plan_date);
    kv_date(w, "next_due", t->next_due);
    jsonw_kv_int(w, "overdue_count", t->overdue_count);
    return jsonw_object_end(w);
}

int journey_json_write_error(jsonw *w, const journey_json_error *err)
{
    jsonw_object_begin(w);
    jsonw_kv_string(w, "error", err->message);
    jsonw_kv_string_or_null(w, "field", err->field);
    if (err->index == JOURNEY_JSON_NO_INDEX)
        jsonw_kv_null(w, "index");
    else
        jsonw_kv_int(w, "index", (int64_t)err->index);
    if (err->event_id)
        jsonw_kv_int(w, "id", err->event_id);
    else
        jsonw_kv_null(w, "id");
    return jsonw_object_end(w);
}

/* ---- the timeline command's path ------------------------------------------ */

bool journey_json_too_deep(const char *s, size_t len, int max_depth)
{
    int depth = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > max_depth)
                return true;
        } else if (ch == ']' || ch == '}') {
            depth--;
        }
    }
    return false;
}

static int input_error(journey_json_error *err, int rc, const char *field, const json_t *v,
                       const char *why)
{
    char shown[VALUE_MAX + 16];
    if (v)
        render_json(v, shown, sizeof shown);
    return set_error(err, rc, JOURNEY_JSON_NO_INDEX, 0, NULL, field, v ? shown : NULL, why);
}

static int parse_error(journey_json_error *err, const json_error_t *jerr)
{
    char near[sizeof jerr->text * 4], why[sizeof near + 64];
    printable(jerr->text, near, sizeof near);
    snprintf(why, sizeof why, "the input is not valid JSON: %s (line %d, column %d)", near,
             jerr->line, jerr->column);
    return input_error(err, SH_EINVAL, NULL, NULL, why);
}

/* {"as_of"?, "events"} -> as_of and the events. */
static int read_root(const json_t *root, date_t *as_of, arena *a, event **events, size_t *n,
                     journey_json_error *err)
{
    if (!json_is_object(root))
        return input_error(err, SH_EINVAL, NULL, NULL,
                           "the input must be a JSON object: {\"events\": [...]}");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)(uintptr_t)root, key, v) {
        if (strcmp(key, "as_of") != 0 && strcmp(key, "events") != 0)
            return input_error(err, SH_EINVAL, key, NULL,
                               "is not allowed here: the input has \"as_of\" and \"events\"");
    }
    v = json_object_get(root, "as_of");
    date_t given = DATE_NONE;
    if (v && (!json_is_string(v) ||
              date_parse(json_string_value(v), json_string_length(v), &given) != SH_OK))
        return input_error(err, SH_EINVAL, "as_of", v,
                           "is not a real date in the form YYYY-MM-DD");
    if (*as_of == DATE_NONE && given != DATE_NONE)
        *as_of = given;
    v = json_object_get(root, "events");
    if (!v)
        return input_error(err, SH_EINVAL, "events", NULL, "is missing");
    return journey_json_decode_events(v, a, events, n, err);
}

int journey_json_run(const char *text, size_t len, date_t as_of_override, date_t today,
                     arena *a, bool pretty, buf *out, journey_json_error *err)
{
    if (len > JOURNEY_JSON_MAX_BYTES)
        return input_error(err, SH_ELIMIT, NULL, NULL,
                           "the input is larger than 4 MiB (4194304 bytes)");
    if (journey_json_too_deep(text, len, JOURNEY_JSON_MAX_DEPTH))
        return input_error(err, SH_ELIMIT, NULL, NULL,
                           "the input is nested more than 8 levels deep");
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return parse_error(err, &jerr);
    date_t as_of = as_of_override;
    event *events = NULL;
    size_t n = 0;
    int rc = read_root(root, &as_of, a, &events, &n, err);
    json_decref(root);
    if (rc)
        return rc;
    if (as_of == DATE_NONE)
        as_of = today;
    journey_timeline t;
    journey_error je;
    rc = journey_compute(events, n, as_of, a, &t, &je);
    if (rc) {
        journey_json_error_from_journey(rc, &je, events, n, err);
        return rc;
    }
    size_t mark = out->len;
    jsonw w;
    jsonw_init(&w, out, pretty);
    journey_json_write_timeline(&w, &t, as_of);
    rc = jsonw_finish(&w);
    if (rc) {
        out->len = mark; /* no partial timeline */
        if (out->data)
            out->data[mark] = '\0';
        return input_error(err, rc, NULL, NULL, rc == SH_ELIMIT
                                                    ? "the timeline is too large to print"
                                                    : "the timeline could not be written");
    }
    return SH_OK;
}
