/*
 * plan_json.c — an EHC plan to and from its JSON document (see the header).
 * jansson parses (it checks UTF-8 and duplicate keys); jsonw writes.
 */
#include "app/plan_json.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/journey_json.h"
#include "util/err.h"

/* ---- decoding ------------------------------------------------------------------ */

typedef struct {
    arena *a;
    plan_json_error *err;
    plan_section section;
    size_t index;
} dctx;

static int fail(plan_json_error *err, int rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(plan_json_error *err, int rc, const char *field, const char *fmt, ...)
{
    err->rc = rc;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return rc;
}

/* An error about a member of the item being decoded: "sections.F[2].times". */
static int bad(const dctx *c, const char *key, const char *why)
{
    char field[64];
    snprintf(field, sizeof field, "sections.%s[%zu]%s%s", plan_section_name(c->section),
             c->index, key ? "." : "", key ? key : "");
    return fail(c->err, SH_EINVAL, field, "%s %s", field, why);
}

static int dup_text(const dctx *c, const json_t *v, const char *key, size_t max,
                    const char **out)
{
    if (!v || json_is_null(v)) {
        *out = "";
        return SH_OK;
    }
    if (!json_is_string(v))
        return bad(c, key, "must be a string");
    if (json_string_length(v) > max)
        return fail(c->err, SH_ELIMIT, key, "%s is longer than %zu bytes", key, max);
    *out = arena_strndup(c->a, json_string_value(v), json_string_length(v));
    return *out ? SH_OK : fail(c->err, SH_ENOMEM, NULL, "out of memory");
}

/* A whole number in [0, max], or 0 for null/absent. */
static int get_count(const dctx *c, const json_t *v, const char *key, int max, int *out)
{
    *out = 0;
    if (!v || json_is_null(v))
        return SH_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > max)
        return bad(c, key, "must be a whole number in range, or null");
    *out = (int)json_integer_value(v);
    return SH_OK;
}

static int get_links(const dctx *c, const json_t *v, plan_item *it)
{
    if (!v || json_is_null(v))
        return SH_OK;
    if (!json_is_array(v))
        return bad(c, "needs", "must be an array of need labels such as \"B1\"");
    if (json_array_size(v) > PLAN_LINKS_MAX)
        return bad(c, "needs", "lists too many needs");
    size_t i;
    const json_t *x;
    json_array_foreach(v, i, x) {
        if (!json_is_string(x) || plan_ref_parse(json_string_value(x), json_string_length(x),
                                                 &it->links[it->n_links]) != SH_OK)
            return bad(c, "needs", "holds something that is not a label such as \"B1\"");
        it->n_links++;
    }
    return SH_OK;
}

static int get_name(const dctx *c, const json_t *v, const char *key, int (*parse)(const char *,
                                                                                   size_t),
                    int *out)
{
    *out = -1;
    if (!v || json_is_null(v))
        return SH_OK;
    if (!json_is_string(v) || (*out = parse(json_string_value(v), json_string_length(v))) < 0)
        return bad(c, key, "is not a known name");
    return SH_OK;
}

static int parse_period(const char *s, size_t n) { return (int)plan_period_parse(s, n); }
static int parse_agency(const char *s, size_t n) { return (int)event_agency_parse(s, n); }
static int parse_setting(const char *s, size_t n) { return (int)plan_setting_type_parse(s, n); }

/* The keys an item of each kind may have. */
static bool key_allowed(plan_kind kind, const char *key)
{
    static const char *const text[] = {"id", "text", NULL};
    static const char *const outcome[] = {"id", "text", "needs", NULL};
    static const char *const provision[] = {"id", "what", "who", "times", "per", "minutes",
                                            "weeks", "until_review", "needs", NULL};
    static const char *const advice[] = {"id", "agency", "date", "summary", NULL};
    const char *const *keys = kind == PLAN_KIND_OUTCOME     ? outcome
                              : kind == PLAN_KIND_PROVISION ? provision
                              : kind == PLAN_KIND_ADVICE    ? advice
                                                            : text;
    for (; *keys; keys++)
        if (strcmp(*keys, key) == 0)
            return true;
    return false;
}

static int decode_provision(const dctx *c, const json_t *obj, plan_item *it)
{
    int per = -1;
    int rc = dup_text(c, json_object_get(obj, "what"), "what", PLAN_TEXT_MAX, &it->text);
    if (rc == SH_OK)
        rc = dup_text(c, json_object_get(obj, "who"), "who", PLAN_WHO_MAX, &it->who);
    if (rc == SH_OK)
        rc = get_count(c, json_object_get(obj, "times"), "times", PLAN_TIMES_MAX, &it->times);
    if (rc == SH_OK)
        rc = get_name(c, json_object_get(obj, "per"), "per", parse_period, &per);
    if (rc == SH_OK)
        rc = get_count(c, json_object_get(obj, "minutes"), "minutes", PLAN_MINUTES_MAX,
                       &it->minutes);
    if (rc == SH_OK)
        rc = get_count(c, json_object_get(obj, "weeks"), "weeks", PLAN_WEEKS_MAX, &it->weeks);
    const json_t *ur = json_object_get(obj, "until_review");
    if (rc == SH_OK && ur && !json_is_boolean(ur))
        rc = bad(c, "until_review", "must be true or false");
    it->per = (plan_period)per;
    it->until_review = ur && json_is_true(ur);
    return rc ? rc : get_links(c, json_object_get(obj, "needs"), it);
}

static int decode_advice(const dctx *c, const json_t *obj, plan_item *it)
{
    int agency = -1;
    int rc = get_name(c, json_object_get(obj, "agency"), "agency", parse_agency, &agency);
    it->agency = (event_agency)agency;
    const json_t *d = json_object_get(obj, "date");
    if (rc == SH_OK && d && !json_is_null(d) &&
        (!json_is_string(d) ||
         date_parse(json_string_value(d), json_string_length(d), &it->date) != SH_OK))
        rc = bad(c, "date", "is not a real date in the form YYYY-MM-DD");
    return rc ? rc
              : dup_text(c, json_object_get(obj, "summary"), "summary", PLAN_TEXT_MAX,
                         &it->text);
}

static int decode_item(const dctx *c, const json_t *obj, plan_item *it)
{
    if (!json_is_object(obj))
        return bad(c, NULL, "must be an object");
    plan_kind kind = plan_section_kind(c->section);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)(uintptr_t)obj, key, v) {
        if (!key_allowed(kind, key))
            return bad(c, key, "is not allowed in this section");
    }
    plan_item_init(it, c->section);
    v = json_object_get(obj, "id");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > PLAN_ID_MAX)
        return bad(c, "id", "must be a whole number from 1 to 999");
    it->id = (int)json_integer_value(v);
    if (kind == PLAN_KIND_PROVISION)
        return decode_provision(c, obj, it);
    if (kind == PLAN_KIND_ADVICE)
        return decode_advice(c, obj, it);
    int rc = dup_text(c, json_object_get(obj, "text"), "text", PLAN_TEXT_MAX, &it->text);
    return rc == SH_OK && kind == PLAN_KIND_OUTCOME
               ? get_links(c, json_object_get(obj, "needs"), it)
               : rc;
}

static int decode_setting(const json_t *v, plan *out, plan_json_error *err)
{
    if (!json_is_object(v))
        return fail(err, SH_EINVAL, "sections.I", "sections.I must be an object");
    const char *key;
    const json_t *x;
    json_object_foreach((json_t *)(uintptr_t)v, key, x) {
        if (strcmp(key, "urn") != 0 && strcmp(key, "type") != 0)
            return fail(err, SH_EINVAL, "sections.I", "sections.I.%.20s is not allowed", key);
    }
    x = json_object_get(v, "urn");
    if (x && !json_is_null(x)) {
        if (!json_is_string(x) || json_string_length(x) > IDENT_URN_MAX)
            return fail(err, SH_EINVAL, "sections.I.urn",
                        "sections.I.urn must be a URN of 6 or 7 digits, or null");
        memcpy(out->setting_urn, json_string_value(x), json_string_length(x) + 1);
    }
    dctx c = {.err = err, .section = PLAN_I};
    int type = -1;
    int rc = get_name(&c, json_object_get(v, "type"), "type", parse_setting, &type);
    out->setting_type = (plan_setting_type)type;
    return rc;
}

/* One section's array: items kept in id order, a repeated id refused. */
static int decode_section(dctx *c, const json_t *v, plan_item *items, size_t *n)
{
    if (!json_is_array(v))
        return fail(c->err, SH_EINVAL, plan_section_name(c->section),
                    "sections.%s must be an array", plan_section_name(c->section));
    if (json_array_size(v) > PLAN_SECTION_ITEMS_MAX)
        return fail(c->err, SH_ELIMIT, plan_section_name(c->section),
                    "sections.%s holds more than %d items", plan_section_name(c->section),
                    PLAN_SECTION_ITEMS_MAX);
    size_t first = *n;
    const json_t *x;
    json_array_foreach(v, c->index, x) {
        plan_item it;
        int rc = decode_item(c, x, &it);
        if (rc)
            return rc;
        size_t j = (*n)++;
        while (j > first && items[j - 1].id > it.id) {
            items[j] = items[j - 1];
            j--;
        }
        if (j > first && items[j - 1].id == it.id)
            return bad(c, "id", "repeats the id of another item of this section");
        items[j] = it;
    }
    return SH_OK;
}

static int decode_sections(const json_t *sections, arena *a, plan *out, plan_json_error *err)
{
    if (!json_is_object(sections))
        return fail(err, SH_EINVAL, "sections", "sections must be an object");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)(uintptr_t)sections, key, v) {
        if (plan_section_parse(key, strlen(key)) < 0)
            return fail(err, SH_EINVAL, "sections", "sections.%.20s is not a section of a plan",
                        key);
    }
    plan_item *items = arena_alloc(a, PLAN_ITEMS_MAX * sizeof *items);
    if (!items)
        return fail(err, SH_ENOMEM, NULL, "out of memory");
    size_t n = 0;
    dctx c = {.a = a, .err = err};
    for (int s = 0; s < PLAN_SECTION_COUNT; s++) {
        v = json_object_get(sections, plan_section_name((plan_section)s));
        if (!v)
            continue;
        c.section = (plan_section)s;
        int rc = s == PLAN_I ? decode_setting(v, out, err)
                 : n + json_array_size(v) > PLAN_ITEMS_MAX
                     ? fail(err, SH_ELIMIT, "sections", "the plan holds more than %d items",
                            PLAN_ITEMS_MAX)
                     : decode_section(&c, v, items, &n);
        if (rc)
            return rc;
    }
    out->items = items;
    out->n_items = n;
    return SH_OK;
}

int plan_json_decode(const char *text, size_t len, arena *a, plan *out, plan_json_error *err)
{
    plan_init(out);
    if (len > PLAN_JSON_MAX_BYTES)
        return fail(err, SH_ELIMIT, NULL, "the plan document is larger than %u bytes",
                    PLAN_JSON_MAX_BYTES);
    if (journey_json_too_deep(text, len, PLAN_JSON_MAX_DEPTH))
        return fail(err, SH_ELIMIT, NULL, "the plan document is nested more than %d levels",
                    PLAN_JSON_MAX_DEPTH);
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return fail(err, SH_EINVAL, NULL, "the plan document is not valid JSON (line %d)",
                    jerr.line);
    int rc = json_is_object(root) ? SH_OK
                                  : fail(err, SH_EINVAL, NULL, "the plan document must be an object");
    const char *key;
    const json_t *v;
    json_object_foreach(root, key, v) {
        if (strcmp(key, "format") != 0 && strcmp(key, "sections") != 0) {
            rc = fail(err, SH_EINVAL, key, "%.20s is not allowed in a plan document", key);
            break;
        }
    }
    v = json_object_get(root, "format");
    if (rc == SH_OK && (!json_is_string(v) || strcmp(json_string_value(v), PLAN_JSON_FORMAT)))
        rc = fail(err, SH_EINVAL, "format", "format must be \"%s\"", PLAN_JSON_FORMAT);
    v = json_object_get(root, "sections");
    if (rc == SH_OK)
        rc = v ? decode_sections(v, a, out, err)
               : fail(err, SH_EINVAL, "sections", "sections is missing");
    json_decref(root);
    return rc;
}

/* ---- encoding ------------------------------------------------------------------ */

static int kv_count(jsonw *w, const char *key, int v)
{
    return v > 0 ? jsonw_kv_int(w, key, v) : jsonw_kv_null(w, key);
}

static int write_links(jsonw *w, const plan_item *it)
{
    jsonw_key(w, "needs");
    jsonw_array_begin(w);
    for (size_t i = 0; i < it->n_links; i++) {
        char label[PLAN_LABEL_MAX];
        jsonw_string(w, plan_ref_label(it->links[i], label, sizeof label));
    }
    return jsonw_array_end(w);
}

static int write_item(jsonw *w, const plan_item *it)
{
    jsonw_object_begin(w);
    jsonw_kv_int(w, "id", it->id);
    switch (plan_section_kind(it->section)) {
    case PLAN_KIND_PROVISION:
        jsonw_kv_string(w, "what", it->text);
        jsonw_kv_string(w, "who", it->who);
        kv_count(w, "times", it->times);
        jsonw_kv_string_or_null(w, "per", plan_period_name(it->per));
        kv_count(w, "minutes", it->minutes);
        kv_count(w, "weeks", it->weeks);
        jsonw_kv_bool(w, "until_review", it->until_review);
        write_links(w, it);
        break;
    case PLAN_KIND_ADVICE:
        jsonw_kv_string_or_null(w, "agency",
                                it->agency == AGENCY_NONE ? NULL : event_agency_name(it->agency));
        jsonw_key(w, "date");
        journey_json_write_date(w, it->date);
        jsonw_kv_string(w, "summary", it->text);
        break;
    case PLAN_KIND_OUTCOME:
        jsonw_kv_string(w, "text", it->text);
        write_links(w, it);
        break;
    default:
        jsonw_kv_string(w, "text", it->text);
        break;
    }
    return jsonw_object_end(w);
}

int plan_json_write(jsonw *w, const plan *p)
{
    jsonw_object_begin(w);
    jsonw_kv_string(w, "format", PLAN_JSON_FORMAT);
    jsonw_key(w, "sections");
    jsonw_object_begin(w);
    for (int s = 0; s < PLAN_SECTION_COUNT; s++) {
        jsonw_key(w, plan_section_name((plan_section)s));
        if (s == PLAN_I) {
            jsonw_object_begin(w);
            jsonw_kv_string_or_null(w, "urn", p->setting_urn);
            jsonw_kv_string_or_null(w, "type", plan_setting_type_name(p->setting_type));
            jsonw_object_end(w);
            continue;
        }
        jsonw_array_begin(w);
        for (size_t i = 0; i < p->n_items; i++)
            if ((int)p->items[i].section == s)
                write_item(w, &p->items[i]);
        jsonw_array_end(w);
    }
    jsonw_object_end(w);
    return jsonw_object_end(w);
}
