/*
 * api.c — JSON API handlers. Each handler parses and validates its input
 * (rejecting unknown fields so typos are caught), calls one use case in app/,
 * and renders the result. Nothing here talks SQL or computes a deadline.
 */
#include "api/api.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/audit.h"
#include "app/journey_json.h"
#include "core/ident.h"
#include "util/err.h"

#define API_PER_PAGE_DEFAULT 50
#define API_PAGE_MAX 100000
#define API_DUE_WITHIN_MAX 3650

/* ---------------------------------------------------------------- output */

static void send_json(web_response *res, int status, json_t *body)
{
    res->status = status;
    res->content_type = "application/json";
    char *text = body ? json_dumps(body, JSON_COMPACT | JOURNEY_JSON_REAL_FLAGS) : NULL;
    json_decref(body);
    if (!text || buf_puts(&res->body, text) != SH_OK) {
        buf_reset(&res->body);
        res->status = 500;
        buf_puts(&res->body,
                 "{\"error\":{\"code\":\"internal\",\"message\":\"The response could "
                 "not be built.\"}}");
    }
    free(text);
}

void api_error(web_response *res, int status, const char *code, const char *message,
               const char *field)
{
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
    if (field)
        json_object_set_new(e, "field", json_string(field));
    buf_reset(&res->body);
    send_json(res, status, json_pack("{s:o}", "error", e));
}

/* Renders an app_error with the status its rc implies. */
static void app_error_reply(web_response *res, const app_error *err)
{
    static const struct {
        int rc, status;
        const char *code;
    } map[] = {
        {SH_EINVAL, 422, "invalid"},       {SH_ENOTFOUND, 404, "not_found"},
        {SH_ECONFLICT, 409, "conflict"},   {SH_EDENIED, 403, "forbidden"},
        {SH_ELIMIT, 413, "too_large"},     {SH_EUNAVAIL, 503, "unavailable"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].rc == err->rc) {
            api_error(res, map[i].status, map[i].code, err->message, err->field);
            return;
        }
    api_error(res, 500, "internal", err->message, err->field);
}

static json_t *json_date_or_null(date_t d)
{
    if (d == DATE_NONE)
        return json_null();
    char s[DATE_ISO_LEN + 1];
    date_format(d, s);
    return json_string(s);
}

static json_t *json_text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *json_timestamp(int64_t unix_seconds)
{
    time_t t = (time_t)unix_seconds;
    struct tm tm;
    char s[32];
    if (!gmtime_r(&t, &tm) || !strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return json_null();
    return json_string(s);
}

static json_t *child_json(const store_child *c)
{
    json_t *needs = json_array();
    for (int i = 0; i < 2; i++)
        if (c->sen_need[i] >= 0)
            json_array_append_new(needs, json_string(ident_sen_type_code(c->sen_need[i])));
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "id", (json_int_t)c->id, "forename", c->forename, "surname",
                     c->surname, "date_of_birth", json_date_or_null(c->date_of_birth),
                     "upn", json_text_or_null(c->upn), "nhs_number",
                     json_text_or_null(c->nhs_number), "postcode",
                     json_text_or_null(c->postcode), "sen_needs", needs, "setting_urn",
                     json_text_or_null(c->setting_urn), "created_at",
                     json_timestamp(c->created_at));
}

static json_t *case_json(const store_case *c, date_t today)
{
    const store_case_summary *s = &c->summary;
    json_t *w20 = s->within_20_weeks < 0 ? json_null() : json_boolean(s->within_20_weeks);
    return json_pack(
        "{s:I, s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:b, s:i}", "id",
        (json_int_t)c->id, "child_id", (json_int_t)c->child_id, "coordinator",
        json_text_or_null(c->coordinator), "opened_at", json_timestamp(c->opened_at),
        "stage", journey_stage_name(s->stage), "stage_label",
        journey_stage_label(s->stage), "next_due", json_date_or_null(s->next_due),
        "next_step", json_text_or_null(s->next_step), "overdue",
        s->next_due != DATE_NONE && s->next_due < today, "request_date",
        json_date_or_null(s->request_date), "final_plan_date",
        json_date_or_null(s->final_plan_date), "within_20_weeks", w20,
        "exceptions_apply", s->exceptions_apply, "event_count", s->event_count);
}

static json_t *page_json(json_t *items, size_t page, size_t per_page, size_t total)
{
    return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page", (json_int_t)page,
                     "per_page", (json_int_t)per_page, "total", (json_int_t)total);
}

/* ----------------------------------------------------------------- input */

/* Parses the request body as one JSON object within the depth ceiling.
 * Replies (400/415) and returns NULL when it is not one. */
static int json_depth(const json_t *j, int limit)
{
    if (limit < 0)
        return limit;
    int deepest = 0;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)(uintptr_t)j, k, v) {
            int d = json_depth(v, limit - 1);
            deepest = d > deepest ? d : deepest;
            if (d < 0)
                return -1;
        }
        return deepest + 1;
    }
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) {
            int d = json_depth(v, limit - 1);
            if (d < 0)
                return -1;
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    return 0;
}

static json_t *read_json_object(web_request *req, web_response *res)
{
    if (!req->content_type || strncmp(req->content_type, "application/json", 16) != 0) {
        api_error(res, 415, "unsupported_media_type",
                  "Send the request body as JSON with Content-Type: application/json.", NULL);
        return NULL;
    }
    json_error_t jerr;
    json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        char msg[300];
        snprintf(msg, sizeof msg, "The body is not valid JSON: %s (line %d, column %d).",
                 jerr.text, jerr.line, jerr.column);
        api_error(res, 400, "bad_json", msg, NULL);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        api_error(res, 400, "bad_json", "The body must be a JSON object.", NULL);
        return NULL;
    }
    if (json_depth(j, API_JSON_MAX_DEPTH) < 0) {
        json_decref(j);
        api_error(res, 400, "bad_json", "The JSON is nested too deeply.", NULL);
        return NULL;
    }
    return j;
}

/* Rejects keys not in `allowed` (NULL-terminated), naming the first one. */
static int reject_unknown_keys(json_t *obj, const char *const *allowed, web_response *res)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key) != 0)
            a++;
        if (!*a) {
            char msg[200];
            snprintf(msg, sizeof msg, "\"%.60s\" is not a field of this request.", key);
            api_error(res, 422, "invalid", msg, key);
            return SH_EINVAL;
        }
    }
    return SH_OK;
}

static void type_error(web_response *res, const char *field, const char *what)
{
    char msg[200];
    snprintf(msg, sizeof msg, "\"%s\" must be %s.", field, what);
    api_error(res, 422, "invalid", msg, field);
}

/* Optional string member: *out NULL when absent or null. */
static int get_string(json_t *obj, const char *field, size_t max, const char **out,
                      web_response *res)
{
    json_t *v = json_object_get(obj, field);
    *out = NULL;
    if (!v || json_is_null(v))
        return SH_OK;
    if (!json_is_string(v)) {
        type_error(res, field, "text");
        return SH_EINVAL;
    }
    if (json_string_length(v) > max) {
        char msg[200];
        snprintf(msg, sizeof msg, "\"%s\" must be %zu characters or fewer.", field, max);
        api_error(res, 422, "invalid", msg, field);
        return SH_EINVAL;
    }
    *out = json_string_value(v);
    return SH_OK;
}

/* Copies an optional identifier string into a fixed field (validated later by
 * the use case); the raw form may carry spaces, hence the looser ceiling. */
static int get_ident(json_t *obj, const char *field, char *out, size_t cap,
                     web_response *res)
{
    const char *s;
    int rc = get_string(obj, field, cap - 1, &s, res);
    if (rc == SH_OK)
        snprintf(out, cap, "%s", s ? s : "");
    return rc;
}

static int get_date(json_t *obj, const char *field, bool required, date_t *out,
                    web_response *res)
{
    json_t *v = json_object_get(obj, field);
    *out = DATE_NONE;
    if (!v || json_is_null(v)) {
        if (!required)
            return SH_OK;
        type_error(res, field, "given, as a date YYYY-MM-DD");
        return SH_EINVAL;
    }
    if (!json_is_string(v) ||
        date_parse(json_string_value(v), json_string_length(v), out) != SH_OK) {
        type_error(res, field, "a real date in the form YYYY-MM-DD");
        return SH_EINVAL;
    }
    return SH_OK;
}

static int get_needs(json_t *obj, int need[2], web_response *res)
{
    json_t *v = json_object_get(obj, "sen_needs");
    need[0] = need[1] = -1;
    if (!v || json_is_null(v))
        return SH_OK;
    if (!json_is_array(v) || json_array_size(v) > 2) {
        type_error(res, "sen_needs", "a list of at most two SEN type codes, primary first");
        return SH_EINVAL;
    }
    size_t i;
    json_t *code;
    json_array_foreach(v, i, code) {
        int t = json_is_string(code) ? ident_sen_type_parse(json_string_value(code),
                                                            json_string_length(code))
                                     : -1;
        if (t < 0) {
            type_error(res, "sen_needs",
                       "SEN type codes such as ASD, SLCN, SEMH, MLD, SPLD, SLD, PMLD, PD, "
                       "HI, VI, MSI, DS or OTH");
            return SH_EINVAL;
        }
        need[i] = t;
    }
    return SH_OK;
}

/* A positive integer query parameter within [min, max]; absent -> def. */
static int query_long(web_request *req, web_response *res, const char *name, long def,
                      long min, long max, long *out)
{
    const char *s = web_query(req, name);
    *out = def;
    if (!s)
        return SH_OK;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        char msg[200];
        snprintf(msg, sizeof msg, "\"%s\" must be a whole number from %ld to %ld.", name,
                 min, max);
        api_error(res, 422, "invalid", msg, name);
        return SH_EINVAL;
    }
    *out = v;
    return SH_OK;
}

static int query_paging(web_request *req, web_response *res, size_t *page,
                        size_t *per_page)
{
    long p, pp;
    int rc = query_long(req, res, "page", 1, 1, API_PAGE_MAX, &p);
    if (rc == SH_OK)
        rc = query_long(req, res, "per_page", API_PER_PAGE_DEFAULT, 1, STORE_PAGE_MAX, &pp);
    *page = (size_t)p;
    *per_page = (size_t)pp;
    return rc;
}

/* The as-of date for a timeline: ?as_of=YYYY-MM-DD, default today. */
static int query_as_of(web_request *req, web_response *res, date_t *out)
{
    const char *s = web_query(req, "as_of");
    *out = req->today;
    if (s && date_parse(s, strlen(s), out) != SH_OK) {
        api_error(res, 422, "invalid", "\"as_of\" must be a real date in the form YYYY-MM-DD.",
                  "as_of");
        return SH_EINVAL;
    }
    return SH_OK;
}

static int query_date(web_request *req, web_response *res, const char *name, date_t *out)
{
    const char *s = web_query(req, name);
    *out = DATE_NONE;
    if (s && date_parse(s, strlen(s), out) != SH_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "\"%s\" must be a real date in the form YYYY-MM-DD.", name);
        api_error(res, 422, "invalid", msg, name);
        return SH_EINVAL;
    }
    return SH_OK;
}

/* Decodes one event object with the codec the CLI uses, replying on error. */
static int decode_event(json_t *obj, const char *where, web_request *req, web_response *res,
                        event *out)
{
    journey_json_error je = {0};
    int rc = journey_json_decode_event(obj, JOURNEY_JSON_NO_INDEX, req->a, out, &je);
    if (rc) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: %s", where, je.message);
        api_error(res, 422, "invalid", msg, je.field[0] ? je.field : NULL);
    }
    return rc;
}

/* --------------------------------------------------------------- access */

/* Children are searched and opened directly only by people who see their
 * whole area; others reach them through the cases in their scope. */
static int require_whole_area(web_request *req, web_response *res)
{
    if (access_sees_whole_area(&req->who))
        return SH_OK;
    api_error(res, 403, "forbidden", "Your role cannot look up children directly.", NULL);
    return SH_EDENIED;
}

static void audit_read(web_request *req, const char *object, int64_t object_id,
                       int64_t child_id, const char *detail)
{
    audit_record(req->audit, req->db, &req->who, "read", object, object_id, child_id,
                 detail, req->now);
}

/* --------------------------------------------------------------- handlers */

static int handle_health(web_request *req, web_response *res)
{
    int version = 0;
    store_schema_version(req->db, &version);
    send_json(res, 200, json_pack("{s:s, s:s, s:i}", "status", "ok", "backend",
                                  store_backend(req->db), "schema_version", version));
    return SH_OK;
}

static int handle_child_create(web_request *req, web_response *res)
{
    static const char *const fields[] = {"forename", "surname", "date_of_birth", "upn",
                                         "nhs_number", "postcode", "sen_needs",
                                         "setting_urn", NULL};
    json_t *in = read_json_object(req, res);
    if (!in)
        return SH_EINVAL;
    store_child c = {0};
    int rc = reject_unknown_keys(in, fields, res);
    if (rc == SH_OK)
        rc = get_string(in, "forename", STORE_NAME_MAX, &c.forename, res);
    if (rc == SH_OK)
        rc = get_string(in, "surname", STORE_NAME_MAX, &c.surname, res);
    if (rc == SH_OK)
        rc = get_date(in, "date_of_birth", true, &c.date_of_birth, res);
    if (rc == SH_OK)
        rc = get_ident(in, "upn", c.upn, sizeof c.upn, res);
    if (rc == SH_OK)
        rc = get_ident(in, "postcode", c.postcode, sizeof c.postcode, res);
    if (rc == SH_OK)
        rc = get_ident(in, "setting_urn", c.setting_urn, sizeof c.setting_urn, res);
    if (rc == SH_OK)
        rc = get_needs(in, c.sen_need, res);
    char nhs[16] = "";
    if (rc == SH_OK)
        rc = get_ident(in, "nhs_number", nhs, sizeof nhs, res);
    if (rc == SH_OK) {
        /* Written with spaces ("943 476 5919") it is 12 characters; the use
         * case normalises it, so only the digits reach the store. */
        app_error err = {0};
        const char *why = NULL;
        if (nhs[0] && ident_nhs_normalise(nhs, strlen(nhs), c.nhs_number, &why) != SH_OK) {
            char msg[200];
            snprintf(msg, sizeof msg, "The NHS number is not valid: %s.", why);
            api_error(res, 422, "invalid", msg, "nhs_number");
            rc = SH_EINVAL;
        } else if ((rc = app_child_create(req->db, &req->who, &c, req->today, &err))) {
            app_error_reply(res, &err);
        } else {
            res->location = arena_printf(req->a, "/api/v1/children/%lld", (long long)c.id);
            send_json(res, 201, child_json(&c));
        }
    }
    json_decref(in);
    return rc;
}

static int handle_child_find(web_request *req, web_response *res)
{
    store_child_query q = {.la_code = req->who.la_code};
    size_t page, per_page;
    int rc = require_whole_area(req, res);
    if (rc == SH_OK)
        rc = query_paging(req, res, &page, &per_page);
    if (rc == SH_OK)
        rc = query_date(req, res, "date_of_birth", &q.date_of_birth);
    if (rc)
        return rc;
    q.name = web_query(req, "name");
    q.upn = web_query(req, "upn");
    q.nhs_number = web_query(req, "nhs_number");
    if (q.name && strlen(q.name) > STORE_NAME_MAX) {
        api_error(res, 422, "invalid", "\"name\" must be 100 characters or fewer.", "name");
        return SH_EINVAL;
    }
    q.limit = per_page;
    q.offset = (page - 1) * per_page;
    store_child *rows;
    size_t n, total;
    rc = store_child_find(req->db, &q, req->a, &rows, &n, &total);
    if (rc) {
        app_error err = {.rc = rc};
        snprintf(err.message, sizeof err.message, "The search failed (%s).", sh_strerror(rc));
        app_error_reply(res, &err);
        return rc;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, child_json(&rows[i]));
    audit_read(req, "child", 0, 0, arena_printf(req->a, "search: %zu of %zu", n, total));
    send_json(res, 200, page_json(items, page, per_page, total));
    return SH_OK;
}

static int handle_child_get(web_request *req, web_response *res)
{
    store_child c;
    int rc = require_whole_area(req, res);
    if (rc)
        return rc;
    rc = store_child_get(req->db, req->who.la_code, req->params[0], req->a, &c);
    store_caseload_row *rows = NULL;
    size_t n = 0, total = 0;
    if (rc == SH_OK) {
        store_case_query q = {.la_code = req->who.la_code, .stage = -1,
                              .due_on_or_before = DATE_NONE, .overdue_at = DATE_NONE,
                          .sen_need = -1, .date_of_birth = DATE_NONE,
                              .child_id = c.id, .limit = STORE_PAGE_MAX};
        rc = store_case_list(req->db, &q, req->a, &rows, &n, &total);
    }
    if (rc) {
        app_error err = {.rc = rc};
        snprintf(err.message, sizeof err.message, "%s",
                 rc == SH_ENOTFOUND ? "No child with that id in your area."
                                    : "The child could not be read.");
        app_error_reply(res, &err);
        return rc;
    }
    json_t *cases = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(cases, case_json(&rows[i].c, req->today));
    audit_read(req, "child", c.id, c.id, "");
    json_t *out = child_json(&c);
    json_object_set_new(out, "cases", cases);
    send_json(res, 200, out);
    return SH_OK;
}

static int handle_case_open(web_request *req, web_response *res)
{
    static const char *const fields[] = {"child_id", "coordinator", "start", NULL};
    json_t *in = read_json_object(req, res);
    if (!in)
        return SH_EINVAL;
    int rc = reject_unknown_keys(in, fields, res);
    json_t *child = json_object_get(in, "child_id");
    json_t *start = json_object_get(in, "start");
    const char *coordinator = NULL;
    event ev;
    if (rc == SH_OK && (!json_is_integer(child) || json_integer_value(child) <= 0)) {
        type_error(res, "child_id", "the id of a child (a positive whole number)");
        rc = SH_EINVAL;
    }
    if (rc == SH_OK)
        rc = get_string(in, "coordinator", STORE_NAME_MAX, &coordinator, res);
    if (rc == SH_OK && !json_is_object(start)) {
        type_error(res, "start",
                   "the event that opens the case, e.g. {\"type\": \"request_received\", "
                   "\"date\": \"2026-01-05\"}");
        rc = SH_EINVAL;
    }
    if (rc == SH_OK)
        rc = decode_event(start, "start", req, res, &ev);
    if (rc == SH_OK) {
        store_case c;
        journey_timeline t;
        app_error err = {0};
        rc = app_case_open(req->db, &req->who, json_integer_value(child), coordinator, &ev,
                           req->today, req->a, &c, &t, &err);
        if (rc) {
            app_error_reply(res, &err);
        } else {
            json_t *out = case_json(&c, req->today);
            json_object_set_new(out, "timeline", journey_json_encode_timeline(&t, req->today));
            res->location = arena_printf(req->a, "/api/v1/cases/%lld", (long long)c.id);
            send_json(res, 201, out);
        }
    }
    json_decref(in);
    return rc;
}

static int handle_case_list(web_request *req, web_response *res)
{
    store_case_query q = {.la_code = req->who.la_code, .stage = -1,
                          .due_on_or_before = DATE_NONE, .overdue_at = DATE_NONE,
                          .sen_need = -1, .date_of_birth = DATE_NONE};
    size_t page, per_page;
    long due_within, child_id;
    int rc = query_paging(req, res, &page, &per_page);
    if (rc == SH_OK)
        rc = query_long(req, res, "due_within", -1, 0, API_DUE_WITHIN_MAX, &due_within);
    if (rc == SH_OK)
        rc = query_long(req, res, "child_id", 0, 1, INT32_MAX, &child_id);
    if (rc)
        return rc;
    const char *stage = web_query(req, "stage");
    const char *overdue = web_query(req, "overdue");
    q.coordinator = web_query(req, "coordinator");
    if (stage) {
        for (int s = 0; s < STAGE_COUNT && q.stage < 0; s++)
            if (strcmp(stage, journey_stage_name((journey_stage)s)) == 0)
                q.stage = s;
        if (q.stage < 0) {
            api_error(res, 422, "invalid",
                      "\"stage\" must be one of request, assessment, refused, no_plan, "
                      "draft, plan, review, amendment, ceased.",
                      "stage");
            return SH_EINVAL;
        }
    }
    if (overdue && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0) {
        api_error(res, 422, "invalid", "\"overdue\" must be true or false.", "overdue");
        return SH_EINVAL;
    }
    if (access_scope_caseload(&req->who, &q) != SH_OK) {
        api_error(res, 403, "forbidden", "Your role cannot see EHC cases.", NULL);
        return SH_EDENIED;
    }
    if (overdue && strcmp(overdue, "true") == 0)
        q.overdue_at = req->today;
    if (due_within >= 0)
        q.due_on_or_before = date_add_days(req->today, (int)due_within);
    q.child_id = child_id;
    q.limit = per_page;
    q.offset = (page - 1) * per_page;
    store_caseload_row *rows;
    size_t n, total;
    rc = store_case_list(req->db, &q, req->a, &rows, &n, &total);
    if (rc) {
        app_error err = {.rc = rc};
        snprintf(err.message, sizeof err.message, "The caseload could not be read (%s).",
                 sh_strerror(rc));
        app_error_reply(res, &err);
        return rc;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *item = case_json(&rows[i].c, req->today);
        json_object_set_new(item, "child",
                            json_pack("{s:I, s:s, s:s, s:o}", "id",
                                      (json_int_t)rows[i].c.child_id, "forename",
                                      rows[i].forename, "surname", rows[i].surname,
                                      "date_of_birth",
                                      json_date_or_null(rows[i].date_of_birth)));
        json_array_append_new(items, item);
    }
    audit_read(req, "caseload", 0, 0,
               arena_printf(req->a, "page %zu, %zu of %zu cases", page, n, total));
    send_json(res, 200, page_json(items, page, per_page, total));
    return SH_OK;
}

static int handle_case_get(web_request *req, web_response *res)
{
    date_t as_of;
    int rc = query_as_of(req, res, &as_of);
    if (rc)
        return rc;
    app_case_view v;
    app_error err = {0};
    rc = app_case_get(req->db, &req->who, req->params[0], as_of, req->a, &v, &err);
    if (rc) {
        app_error_reply(res, &err);
        return rc;
    }
    if (!access_case_visible(&req->who, &v.c, &v.child)) {
        audit_record(req->audit, req->db, &req->who, "denied", "case", v.c.id, v.child.id,
                     "", req->now);
        api_error(res, 404, "not_found", "The case was not found.", NULL);
        return SH_ENOTFOUND;
    }
    audit_read(req, "case", v.c.id, v.child.id, "");
    json_t *events = json_array();
    for (size_t i = 0; i < v.n_events; i++)
        json_array_append_new(events, journey_json_encode_event(&v.events[i]));
    json_t *out = json_pack("{s:o, s:o, s:o, s:o}", "case", case_json(&v.c, req->today),
                            "child", child_json(&v.child), "events", events, "timeline",
                            journey_json_encode_timeline(&v.timeline, as_of));
    send_json(res, 200, out);
    return SH_OK;
}

static int handle_event_append(web_request *req, web_response *res)
{
    date_t as_of;
    int rc = query_as_of(req, res, &as_of);
    if (rc)
        return rc;
    json_t *in = read_json_object(req, res);
    if (!in)
        return SH_EINVAL;
    event ev;
    rc = decode_event(in, "event", req, res, &ev);
    if (rc == SH_OK) {
        journey_timeline t;
        app_error err = {0};
        rc = app_case_record_event(req->db, &req->who, req->params[0], &ev, as_of, req->a,
                                   &t, &err);
        if (rc) {
            app_error_reply(res, &err);
        } else {
            res->location = arena_printf(req->a, "/api/v1/cases/%lld",
                                         (long long)req->params[0]);
            send_json(res, 201, json_pack("{s:o, s:o}", "event", journey_json_encode_event(&ev),
                                          "timeline", journey_json_encode_timeline(&t, as_of)));
        }
    }
    json_decref(in);
    return rc;
}

const web_route api_routes[] = {
    {"GET", "/api/v1/health", handle_health, WEB_PUBLIC},
    {"POST", "/api/v1/children", handle_child_create, WEB_SIGNED_IN},
    {"GET", "/api/v1/children", handle_child_find, WEB_SIGNED_IN},
    {"GET", "/api/v1/children/{id}", handle_child_get, WEB_SIGNED_IN},
    {"POST", "/api/v1/cases", handle_case_open, WEB_SIGNED_IN},
    {"GET", "/api/v1/cases", handle_case_list, WEB_SIGNED_IN},
    {"GET", "/api/v1/cases/{id}", handle_case_get, WEB_SIGNED_IN},
    {"POST", "/api/v1/cases/{id}/events", handle_event_append, WEB_SIGNED_IN},
};

const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];

void api_status_error(web_request *req, web_response *res, int status)
{
    (void)req;
    static const struct {
        int status;
        const char *code, *message;
    } errors[] = {
        {401, "unauthorised", "Sign in, or send an API token as \"Authorization: Bearer\"."},
        {403, "forbidden", "This request is not allowed (for a signed-in browser, send the "
                           "X-CSRF-Token header)."},
        {404, "not_found", "There is nothing at this address."},
        {405, "method_not_allowed", "That method is not allowed here."},
        {503, "unavailable", "The database is unavailable; try again shortly."},
    };
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        if (errors[i].status == status) {
            api_error(res, status, errors[i].code, errors[i].message, NULL);
            return;
        }
    api_error(res, 500, "internal", "Something went wrong.", NULL);
}
