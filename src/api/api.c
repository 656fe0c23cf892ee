/*
 * api.c — JSON API handlers. Each handler parses and validates its input
 * (rejecting unknown fields so typos are caught), calls one use case in app/,
 * and renders the result. Nothing here talks SQL or computes a deadline.
 * jansson parses request bodies; responses are written with util/jsonw.h.
 */
#include "api/api.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/advice.h"
#include "app/app_plan.h"
#include "app/audit.h"
#include "app/health.h"
#include "app/journey_json.h"
#include "app/plan_json.h"
#include "core/ident.h"
#include "util/err.h"
#include "util/jsonw.h"
#include "web/fragment_cache.h"

#define API_PER_PAGE_DEFAULT 50
#define API_PAGE_MAX 100000
#define API_DUE_WITHIN_MAX 3650

/* ---------------------------------------------------------------- output */

/* Bodies are written straight into res->body with the streaming writer
 * (util/jsonw.h): body_begin, the members, body_end. The writer's error is
 * sticky, so a handler writes the whole body and body_end checks once. */
static void body_begin(web_response *res, jsonw *w)
{
    buf_reset(&res->body);
    jsonw_init(w, &res->body, false);
}

static void body_end(web_response *res, jsonw *w, int status)
{
    res->status = status;
    res->content_type = "application/json";
    if (jsonw_finish(w) != SH_OK) {
        buf_reset(&res->body);
        res->status = 500;
        buf_puts(&res->body,
                 "{\"error\":{\"code\":\"internal\",\"message\":\"The response could "
                 "not be built.\"}}");
    }
}

void api_error(web_response *res, int status, const char *code, const char *message,
               const char *field)
{
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "error");
    jsonw_object_begin(&w);
    jsonw_kv_string(&w, "code", code);
    jsonw_kv_string(&w, "message", message);
    if (field)
        jsonw_kv_string(&w, "field", field);
    jsonw_object_end(&w);
    jsonw_object_end(&w);
    body_end(res, &w, status);
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

static void kv_date(jsonw *w, const char *key, date_t d)
{
    jsonw_key(w, key);
    journey_json_write_date(w, d);
}

/* "2026-11-01T09:30:00Z", or null when the time cannot be shown. */
static void kv_timestamp(jsonw *w, const char *key, int64_t unix_seconds)
{
    time_t t = (time_t)unix_seconds;
    struct tm tm;
    char s[32];
    size_t n = 0;
    if (gmtime_r(&t, &tm))
        n = strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    jsonw_key(w, key);
    if (n)
        jsonw_plain(w, s, n);
    else
        jsonw_null(w);
}

/* The child's members, in an object the caller opened (it may add more). */
static void child_members(jsonw *w, const store_child *c)
{
    jsonw_kv_int(w, "id", c->id);
    jsonw_kv_string(w, "forename", c->forename);
    jsonw_kv_string(w, "surname", c->surname);
    kv_date(w, "date_of_birth", c->date_of_birth);
    jsonw_kv_string_or_null(w, "upn", c->upn);
    jsonw_kv_string_or_null(w, "nhs_number", c->nhs_number);
    jsonw_kv_string_or_null(w, "postcode", c->postcode);
    jsonw_key(w, "sen_needs");
    jsonw_array_begin(w);
    for (int i = 0; i < 2; i++)
        if (c->sen_need[i] >= 0)
            jsonw_string(w, ident_sen_type_code(c->sen_need[i]));
    jsonw_array_end(w);
    jsonw_kv_string_or_null(w, "setting_urn", c->setting_urn);
    kv_timestamp(w, "created_at", c->created_at);
}

static void child_json(jsonw *w, const store_child *c)
{
    jsonw_object_begin(w);
    child_members(w, c);
    jsonw_object_end(w);
}

/* The case's members, in an object the caller opened (it may add more). */
static void case_members(jsonw *w, const store_case *c, date_t today)
{
    const store_case_summary *s = &c->summary;
    jsonw_kv_int(w, "id", c->id);
    jsonw_kv_int(w, "child_id", c->child_id);
    jsonw_kv_string_or_null(w, "coordinator", c->coordinator);
    kv_timestamp(w, "opened_at", c->opened_at);
    jsonw_kv_string(w, "stage", journey_stage_name(s->stage));
    jsonw_kv_string(w, "stage_label", journey_stage_label(s->stage));
    kv_date(w, "next_due", s->next_due);
    jsonw_kv_string_or_null(w, "next_step", s->next_step);
    jsonw_kv_bool(w, "overdue", s->next_due != DATE_NONE && s->next_due < today);
    kv_date(w, "request_date", s->request_date);
    kv_date(w, "final_plan_date", s->final_plan_date);
    if (s->within_20_weeks < 0)
        jsonw_kv_null(w, "within_20_weeks");
    else
        jsonw_kv_bool(w, "within_20_weeks", s->within_20_weeks);
    jsonw_kv_bool(w, "exceptions_apply", s->exceptions_apply);
    jsonw_kv_int(w, "event_count", s->event_count);
}

static void case_json(jsonw *w, const store_case *c, date_t today)
{
    jsonw_object_begin(w);
    case_members(w, c, today);
    jsonw_object_end(w);
}

/* After the items array of a page: its position, and the end of the page. */
static void page_end(jsonw *w, size_t page, size_t per_page, size_t total)
{
    jsonw_array_end(w);
    jsonw_kv_int(w, "page", (int64_t)page);
    jsonw_kv_int(w, "per_page", (int64_t)per_page);
    jsonw_kv_int(w, "total", (int64_t)total);
    jsonw_object_end(w);
}

/* Before the items of a page: {"items": [ */
static void page_begin(jsonw *w)
{
    jsonw_object_begin(w);
    jsonw_key(w, "items");
    jsonw_array_begin(w);
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

/* Every read of a child's record is audited before it is answered: when the
 * entry cannot even be queued (memory, or the database behind a full queue),
 * the read fails rather than going unrecorded. */
static int audit_read(web_request *req, const char *object, int64_t object_id,
                      int64_t child_id, const char *detail)
{
    web_snapshot_end(req); /* a write on db, if the queue is full: not inside a read */
    return audit_record(req->audit, req->db, &req->who, "read", object, object_id, child_id,
                        detail, req->now);
}

/* --------------------------------------------------------------- handlers */

static int handle_health(web_request *req, web_response *res)
{
    int version = 0;
    store_schema_version(req->db, &version);
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_kv_string(&w, "status", "ok");
    jsonw_kv_string(&w, "backend", store_backend(req->db));
    jsonw_kv_int(&w, "schema_version", version);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
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
            jsonw w;
            body_begin(res, &w);
            child_json(&w, &c);
            body_end(res, &w, 201);
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
    rc = store_read_begin(req->db); /* the page and its total from one snapshot */
    if (rc == SH_OK) {
        rc = store_child_find(req->db, &q, req->a, &rows, &n, &total);
        int end = store_read_end(req->db);
        rc = rc ? rc : end;
    }
    if (rc) {
        app_error err = {.rc = rc};
        snprintf(err.message, sizeof err.message, "The search failed (%s).", sh_strerror(rc));
        app_error_reply(res, &err);
        return rc;
    }
    int audit_rc =
        audit_read(req, "child", 0, 0, arena_printf(req->a, "search: %zu of %zu", n, total));
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    page_begin(&w);
    for (size_t i = 0; i < n; i++)
        child_json(&w, &rows[i]);
    page_end(&w, page, per_page, total);
    body_end(res, &w, 200);
    return SH_OK;
}

static int handle_child_get(web_request *req, web_response *res)
{
    store_child c;
    int rc = require_whole_area(req, res);
    if (rc)
        return rc;
    store_caseload_row *rows = NULL;
    size_t n = 0, total = 0;
    /* the child and their cases from one snapshot */
    rc = store_read_begin(req->db);
    if (rc == SH_OK) {
        rc = store_child_get(req->db, req->who.la_code, req->params[0], req->a, &c);
        if (rc == SH_OK) {
            store_case_query q = {.la_code = req->who.la_code, .stage = -1,
                                  .due_on_or_before = DATE_NONE, .overdue_at = DATE_NONE,
                                  .sen_need = -1, .date_of_birth = DATE_NONE,
                                  .child_id = c.id, .limit = STORE_PAGE_MAX};
            rc = store_case_list(req->db, &q, req->a, &rows, &n, &total);
        }
        int end = store_read_end(req->db);
        rc = rc ? rc : end;
    }
    if (rc) {
        app_error err = {.rc = rc};
        snprintf(err.message, sizeof err.message, "%s",
                 rc == SH_ENOTFOUND ? "No child with that id in your area."
                                    : "The child could not be read.");
        app_error_reply(res, &err);
        return rc;
    }
    int audit_rc = audit_read(req, "child", c.id, c.id, "");
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    child_members(&w, &c);
    jsonw_key(&w, "cases");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < n; i++)
        case_json(&w, &rows[i].c, req->today);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
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
            res->location = arena_printf(req->a, "/api/v1/cases/%lld", (long long)c.id);
            jsonw w;
            body_begin(res, &w);
            jsonw_object_begin(&w);
            case_members(&w, &c, req->today);
            jsonw_key(&w, "timeline");
            journey_json_write_timeline(&w, &t, req->today);
            jsonw_object_end(&w);
            body_end(res, &w, 201);
        }
    }
    json_decref(in);
    return rc;
}

/* A caseload row: the case, with what a list shows of the child. */
static void caseload_item(jsonw *w, const store_caseload_row *row, date_t today)
{
    jsonw_object_begin(w);
    case_members(w, &row->c, today);
    jsonw_key(w, "child");
    jsonw_object_begin(w);
    jsonw_kv_int(w, "id", row->c.child_id);
    jsonw_kv_string(w, "forename", row->forename);
    jsonw_kv_string(w, "surname", row->surname);
    kv_date(w, "date_of_birth", row->date_of_birth);
    jsonw_object_end(w);
    jsonw_object_end(w);
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
    const char *open = web_query(req, "open");
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
    if (open && strcmp(open, "true") != 0 && strcmp(open, "false") != 0) {
        api_error(res, 422, "invalid", "\"open\" must be true or false.", "open");
        return SH_EINVAL;
    }
    q.open_only = open && strcmp(open, "true") == 0;
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
    rc = store_read_begin(req->db); /* the page and its total from one snapshot */
    if (rc == SH_OK) {
        rc = store_case_list(req->db, &q, req->a, &rows, &n, &total);
        int end = store_read_end(req->db);
        rc = rc ? rc : end;
    }
    if (rc) {
        app_error err = {.rc = rc};
        snprintf(err.message, sizeof err.message, "The caseload could not be read (%s).",
                 sh_strerror(rc));
        app_error_reply(res, &err);
        return rc;
    }
    int audit_rc = audit_read(req, "caseload", 0, 0,
               arena_printf(req->a, "page %zu, %zu of %zu cases", page, n, total));
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    page_begin(&w);
    for (size_t i = 0; i < n; i++)
        caseload_item(&w, &rows[i], req->today);
    page_end(&w, page, per_page, total);
    body_end(res, &w, 200);
    return SH_OK;
}

/* The key of a case's JSON in the fragment cache (web/fragment_cache.h):
 * what the body depends on besides the database. Only for people who see
 * every case of their area, inside the request's read transaction: a hit
 * then needs no rows to decide visibility, since the entry was made from
 * this area's case at this very database version. NULL: no cache. */
static const char *case_body_key(web_request *req, date_t as_of)
{
    if (!req->snapshot || !access_sees_whole_area(&req->who))
        return NULL;
    return arena_printf(req->a, "case|%s|%lld|%d|%d", req->who.la_code,
                        (long long)req->params[0], (int)as_of, (int)req->today);
}

static int handle_case_get(web_request *req, web_response *res)
{
    date_t as_of;
    int rc = query_as_of(req, res, &as_of);
    if (rc)
        return rc;
    int64_t version[STORE_VERSION_LEN];
    const char *key = case_body_key(req, as_of);
    if (key && store_data_version(req->db, version) != SH_OK)
        key = NULL;
    size_t extra[FRAGMENT_CACHE_EXTRA]; /* the child's id */
    buf_reset(&res->body);
    if (key && fragment_cache_get(key, version, &res->body, extra)) {
        web_snapshot_end(req);
        /* audited whether the body came from the cache or not */
        int audit_rc = audit_read(req, "case", req->params[0], (int64_t)extra[0], "");
        if (audit_rc)
            return audit_rc;
        res->status = 200;
        res->content_type = "application/json";
        return SH_OK;
    }
    app_case_view v;
    app_error err = {0};
    rc = app_case_get(req->db, &req->who, req->params[0], as_of, req->a, &v, &err);
    web_snapshot_end(req); /* the reads are done (WEB_SIGNED_IN_READ) */
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
    int audit_rc = audit_read(req, "case", v.c.id, v.child.id, "");
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "case");
    case_json(&w, &v.c, req->today);
    jsonw_key(&w, "child");
    child_json(&w, &v.child);
    jsonw_key(&w, "events");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < v.n_events; i++)
        journey_json_write_event(&w, &v.events[i]);
    jsonw_array_end(&w);
    jsonw_key(&w, "timeline");
    journey_json_write_timeline(&w, &v.timeline, as_of);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
    if (key && res->status == 200)
        fragment_cache_put(key, version, res->body.data, res->body.len,
                           (size_t[FRAGMENT_CACHE_EXTRA]){(size_t)v.child.id});
    return SH_OK;
}

/* Loads the case in params[0] as of as_of for a reader: a case outside the
 * person's reach is audited as denied and answered 404. */
static int visible_case(web_request *req, web_response *res, date_t as_of, app_case_view *v)
{
    app_error err = {0};
    int rc = app_case_get(req->db, &req->who, req->params[0], as_of, req->a, v, &err);
    if (rc) {
        app_error_reply(res, &err);
        return rc;
    }
    if (!access_case_visible(&req->who, &v->c, &v->child)) {
        audit_record(req->audit, req->db, &req->who, "denied", "case", v->c.id, v->child.id,
                     "", req->now);
        api_error(res, 404, "not_found", "The case was not found.", NULL);
        return SH_ENOTFOUND;
    }
    return SH_OK;
}

static void plan_version_members(jsonw *w, const store_plan_version *pv)
{
    jsonw_kv_int(w, "version", pv->version);
    jsonw_kv_string(w, "kind", store_plan_kind_name(pv->kind));
    kv_date(w, "issued_on", pv->issued_on);
    jsonw_kv_string(w, "issued_by", pv->issued_by);
    jsonw_kv_int(w, "event_id", pv->event_id);
}

/* {"case_id", "draft": plan document, "draft_stored", "next_issue": event
 *  type or null, "versions": [{version, kind, issued_on, issued_by,
 *  event_id}]} */
static int handle_plan_get(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = visible_case(req, res, req->today, &v);
    if (rc)
        return rc;
    app_plan_view pv;
    app_error err = {0};
    if ((rc = app_plan_load(req->db, &req->who, &v, req->a, &pv, &err))) {
        app_error_reply(res, &err);
        return rc;
    }
    int audit_rc = audit_read(req, "plan", v.c.id, v.child.id, "");
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_kv_int(&w, "case_id", v.c.id);
    jsonw_key(&w, "draft");
    plan_json_write(&w, &pv.draft);
    jsonw_kv_bool(&w, "draft_stored", pv.draft_stored);
    jsonw_kv_string_or_null(&w, "next_issue", pv.next_event < 0
                                                  ? NULL
                                                  : event_type_name((event_type)pv.next_event));
    jsonw_key(&w, "versions");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < pv.n_versions; i++) {
        jsonw_object_begin(&w);
        plan_version_members(&w, &pv.versions[i]);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
    return SH_OK;
}

/* {"case_id", "version", "kind", "issued_on", "issued_by", "event_id",
 *  "plan": plan document} */
static int handle_plan_version_get(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = visible_case(req, res, req->today, &v);
    if (rc)
        return rc;
    store_plan_version ver;
    plan p;
    app_error err = {0};
    rc = req->params[1] > INT32_MAX
             ? app_fail(&err, SH_ENOTFOUND, NULL, "The plan version was not found.")
             : app_plan_version(req->db, &req->who, &v, (int)req->params[1], req->a, &ver, &p,
                                &err);
    if (rc) {
        app_error_reply(res, &err);
        return rc;
    }
    int audit_rc = audit_read(req, "plan", v.c.id, v.child.id, "version");
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_kv_int(&w, "case_id", v.c.id);
    plan_version_members(&w, &ver);
    jsonw_key(&w, "plan");
    plan_json_write(&w, &p);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
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
            jsonw w;
            body_begin(res, &w);
            jsonw_object_begin(&w);
            jsonw_key(&w, "event");
            journey_json_write_event(&w, &ev);
            jsonw_key(&w, "timeline");
            journey_json_write_timeline(&w, &t, as_of);
            jsonw_object_end(&w);
            body_end(res, &w, 201);
        }
    }
    json_decref(in);
    return rc;
}

/* ------------------------------------------------- health waiting lists */

static void pathway_json(jsonw *w, const store_pathway *p)
{
    jsonw_object_begin(w);
    jsonw_kv_int(w, "id", p->id);
    jsonw_kv_string(w, "code", p->code);
    jsonw_kv_string(w, "name", p->name);
    jsonw_kv_string(w, "provider", p->provider);
    jsonw_kv_int(w, "standard_weeks", p->standard_weeks);
    jsonw_kv_string(w, "clock_stop", wait_milestone_name(p->clock_stop));
    jsonw_kv_int(w, "capacity_per_week", p->capacity_per_week);
    jsonw_kv_bool(w, "active", p->active);
    jsonw_object_end(w);
}

/* A referral with its child and where it stands today. */
static void referral_json(jsonw *w, const health_referral_view *v)
{
    const store_referral *r = &v->r;
    jsonw_object_begin(w);
    jsonw_kv_int(w, "id", r->id);
    jsonw_kv_int(w, "child_id", r->child_id);
    jsonw_kv_string(w, "forename", v->child.forename);
    jsonw_kv_string(w, "surname", v->child.surname);
    jsonw_kv_string_or_null(w, "nhs_number", v->child.nhs_number);
    jsonw_kv_int(w, "pathway_id", r->pathway_id);
    jsonw_kv_string(w, "pathway", v->pathway.code);
    jsonw_kv_string(w, "referrer", r->referrer);
    kv_date(w, "referral_date", r->referral_date);
    jsonw_kv_string(w, "priority", wait_priority_name(r->priority));
    jsonw_kv_string(w, "triage", wait_triage_name(r->triage));
    kv_date(w, "triage_date", r->triage_date);
    jsonw_kv_string_or_null(w, "triage_reason", r->triage_reason);
    kv_date(w, "first_contact", r->first_contact);
    kv_date(w, "assessment_started", r->assessment_started);
    kv_date(w, "assessment_completed", r->assessment_completed);
    jsonw_kv_string_or_null(w, "outcome", r->outcome);
    jsonw_kv_string_or_null(w, "outcome_code", r->outcome_code);
    kv_date(w, "discharged", r->discharged);
    jsonw_kv_bool(w, "waiting", v->waiting);
    jsonw_kv_bool(w, "paused", v->paused);
    jsonw_kv_int(w, "wait_days", v->wait_days);
    kv_date(w, "seen", v->seen);
    if (v->waiting) {
        jsonw_kv_int(w, "position", (int64_t)v->position);
        jsonw_kv_int(w, "queue_length", (int64_t)v->queue_len);
    } else {
        jsonw_kv_null(w, "position");
        jsonw_kv_null(w, "queue_length");
    }
    kv_date(w, "estimated_seen", v->estimate);
    jsonw_key(w, "clock_stops");
    jsonw_array_begin(w);
    for (size_t i = 0; i < v->n_stops; i++) {
        jsonw_object_begin(w);
        kv_date(w, "stopped", v->stops[i].stopped);
        kv_date(w, "restarted", v->stops[i].restarted);
        jsonw_kv_string(w, "reason", v->stops[i].reason);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
    jsonw_object_end(w);
}

/* A pathway's whole history is read for its figures and forecasts: an arena
 * of its own, sized for the largest pathway, not the request's. */
static arena *pathway_arena(web_response *res)
{
    arena *a = arena_create(HEALTH_ARENA_FOR_STATS);
    if (!a)
        api_error(res, 503, "unavailable", "Out of memory; try again shortly.", NULL);
    return a;
}

static int handle_pathway_list(web_request *req, web_response *res)
{
    store_pathway *p;
    size_t n;
    app_error err = {0};
    int rc = app_health_pathways(req->db_read, &req->who, req->a, &p, &n, &err);
    if (rc) {
        app_error_reply(res, &err);
        return rc;
    }
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "items");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < n; i++)
        pathway_json(&w, &p[i]);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
    return SH_OK;
}

static void summary_json(jsonw *w, const char *key, const wait_summary *s, int standard)
{
    static const char *const bands[WAIT_BAND_COUNT] = {"0-1", "1-2", "2-4", "4-12",
                                                       "12-18", "18-52", "over_52"};
    jsonw_key(w, key);
    jsonw_object_begin(w);
    jsonw_kv_int(w, "count", (int64_t)s->count);
    jsonw_key(w, "bands");
    jsonw_object_begin(w);
    for (int i = 0; i < WAIT_BAND_COUNT; i++)
        jsonw_kv_int(w, bands[i], (int64_t)s->band[i]);
    jsonw_object_end(w);
    jsonw_kv_int(w, "over_78", (int64_t)s->over_78);
    jsonw_kv_int(w, "over_104", (int64_t)s->over_104);
    jsonw_kv_int(w, "within_standard", (int64_t)s->within_standard);
    jsonw_kv_int(w, "within_standard_permille", wait_permille(s->within_standard, s->count));
    jsonw_kv_int(w, "standard_weeks", standard);
    jsonw_kv_int(w, "median_days", s->median_days);
    jsonw_kv_int(w, "p92_days", s->p92_days);
    jsonw_kv_int(w, "longest_days", s->longest_days);
    jsonw_object_end(w);
}

static void forecast_json(jsonw *w, const health_pathway_stats *st)
{
    jsonw_key(w, "forecast");
    jsonw_object_begin(w);
    jsonw_kv_int(w, "capacity_per_week_x10", (int64_t)(st->capacity * 10 + 0.5));
    jsonw_kv_bool(w, "capacity_measured", st->capacity_measured);
    jsonw_kv_int(w, "arrivals_per_week_x10",
                 (int64_t)((st->rates.arrivals[0] + st->rates.arrivals[1]) * 10 + 0.5));
    kv_date(w, "new_routine_seen", st->new_routine);
    kv_date(w, "new_urgent_seen", st->new_urgent);
    jsonw_kv_int(w, "list_in_52_weeks", (int64_t)(st->list_in_year + 0.5));
    jsonw_kv_int(w, "extra_capacity", st->extra);
    kv_date(w, "extra_new_routine_seen", st->new_routine_extra);
    kv_date(w, "extra_new_urgent_seen", st->new_urgent_extra);
    jsonw_kv_int(w, "extra_list_in_52_weeks", (int64_t)(st->list_in_year_extra + 0.5));
    jsonw_key(w, "backtest");
    jsonw_object_begin(w);
    jsonw_kv_int(w, "compared", (int64_t)st->backtest.compared);
    jsonw_kv_int(w, "mean_abs_error_days", (int64_t)(st->backtest.mae_weeks * 7 + 0.5));
    jsonw_kv_int(w, "bias_days", (int64_t)(st->backtest.bias_weeks * 7 + (st->backtest.bias_weeks < 0 ? -0.5 : 0.5)));
    jsonw_kv_int(w, "within_4_weeks", (int64_t)st->backtest.within_4_weeks);
    jsonw_object_end(w);
    jsonw_object_end(w);
}

static int handle_pathway_stats(web_request *req, web_response *res)
{
    long extra;
    int rc = query_long(req, res, "extra", 0, 0, HEALTH_EXTRA_CAPACITY_MAX, &extra);
    if (rc)
        return rc;
    arena *big = pathway_arena(res);
    if (!big)
        return SH_ENOMEM;
    health_pathway_stats st;
    app_error err = {0};
    rc = app_pathway_stats(req->db_read, &req->who, req->params[0], req->today, (int)extra,
                           big, &st, &err);
    if (rc) {
        app_error_reply(res, &err);
        arena_destroy(big);
        return rc;
    }
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "pathway");
    pathway_json(&w, &st.pathway);
    kv_date(&w, "as_of", req->today);
    summary_json(&w, "waiting", &st.report.waiting, st.pathway.standard_weeks);
    jsonw_kv_int(&w, "paused", (int64_t)st.report.paused);
    jsonw_kv_int(&w, "pending_triage", (int64_t)st.report.pending_triage);
    jsonw_kv_int(&w, "urgent", (int64_t)st.report.urgent);
    summary_json(&w, "seen_last_28_days", &st.report.seen, st.pathway.standard_weeks);
    jsonw_kv_int(&w, "received_last_28_days", (int64_t)st.report.received);
    jsonw_kv_int(&w, "left_unseen_last_28_days", (int64_t)st.report.left_unseen);
    jsonw_key(&w, "trend");
    jsonw_array_begin(&w);
    for (int i = 0; i < st.report.trend_count; i++) {
        const wait_month *m = &st.report.trend[i];
        jsonw_object_begin(&w);
        jsonw_kv_string(&w, "month", arena_printf(req->a, "%04d-%02d", m->year, m->month));
        jsonw_kv_int(&w, "received", (int64_t)m->received);
        jsonw_kv_int(&w, "seen", (int64_t)m->seen);
        jsonw_kv_int(&w, "waiting_end", (int64_t)m->waiting_end);
        jsonw_kv_int(&w, "median_days_end", m->median_days_end);
        jsonw_kv_int(&w, "p92_days_end", m->p92_days_end);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    forecast_json(&w, &st);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
    arena_destroy(big);
    return SH_OK;
}

static int handle_waiting_list(web_request *req, web_response *res)
{
    size_t page, per_page;
    int rc = query_paging(req, res, &page, &per_page);
    if (rc)
        return rc;
    arena *big = pathway_arena(res);
    if (!big)
        return SH_ENOMEM;
    store_pathway p;
    health_referral_view *v;
    size_t n, total;
    app_error err = {0};
    rc = app_waiting_list(req->db_read, &req->who, req->params[0], req->today, per_page,
                          (page - 1) * per_page, big, &p, &v, &n, &total, &err);
    if (rc) {
        app_error_reply(res, &err);
        arena_destroy(big);
        return rc;
    }
    int audit_rc = audit_read(req, "waiting_list", p.id, 0, p.code);
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    page_begin(&w);
    for (size_t i = 0; i < n; i++)
        referral_json(&w, &v[i]);
    page_end(&w, page, per_page, total);
    body_end(res, &w, 200);
    arena_destroy(big);
    return SH_OK;
}

static int reply_referral(web_request *req, web_response *res, int64_t id, int status)
{
    health_referral_view v;
    app_error err = {0};
    int rc = app_referral_get(req->db, &req->who, id, req->today, req->a, &v, &err);
    if (rc) {
        app_error_reply(res, &err);
        return rc;
    }
    int audit_rc = audit_read(req, "referral", v.r.id, v.r.child_id, "");
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    referral_json(&w, &v);
    body_end(res, &w, status);
    return SH_OK;
}

static int handle_referral_get(web_request *req, web_response *res)
{
    return reply_referral(req, res, req->params[0], 200);
}

static int handle_referral_create(web_request *req, web_response *res)
{
    static const char *const allowed[] = {"child_id", "pathway_id", "referrer", "referral_date",
                                          "priority", NULL};
    json_t *in = read_json_object(req, res);
    if (!in)
        return SH_EINVAL;
    store_referral r;
    memset(&r, 0, sizeof r);
    const char *priority = NULL;
    int rc = reject_unknown_keys(in, allowed, res);
    json_t *child = json_object_get(in, "child_id"), *pathway = json_object_get(in, "pathway_id");
    if (rc == SH_OK && !json_is_integer(child)) {
        type_error(res, "child_id", "the id of a child");
        rc = SH_EINVAL;
    }
    if (rc == SH_OK && !json_is_integer(pathway)) {
        type_error(res, "pathway_id", "the id of a pathway");
        rc = SH_EINVAL;
    }
    if (rc == SH_OK)
        rc = get_string(in, "referrer", STORE_HEALTH_TEXT_MAX, &r.referrer, res);
    if (rc == SH_OK)
        rc = get_date(in, "referral_date", true, &r.referral_date, res);
    if (rc == SH_OK)
        rc = get_string(in, "priority", 16, &priority, res);
    wait_priority pr = WAIT_PRIORITY_ROUTINE;
    if (rc == SH_OK && priority && wait_priority_parse(priority, &pr) != SH_OK) {
        type_error(res, "priority", "\"routine\" or \"urgent\"");
        rc = SH_EINVAL;
    }
    if (rc == SH_OK) {
        r.child_id = json_integer_value(child);
        r.pathway_id = json_integer_value(pathway);
        r.priority = pr;
        app_error err = {0};
        rc = app_referral_create(req->db, &req->who, &r, req->today, &err);
        if (rc)
            app_error_reply(res, &err);
    }
    json_decref(in);
    if (rc)
        return rc;
    res->location = arena_printf(req->a, "/api/v1/referrals/%lld", (long long)r.id);
    return reply_referral(req, res, r.id, 201);
}

static int handle_referral_step(web_request *req, web_response *res)
{
    static const char *const allowed[] = {"step", "date", "triage", "reason", "stop_reason",
                                          "outcome", "outcome_code", NULL};
    json_t *in = read_json_object(req, res);
    if (!in)
        return SH_EINVAL;
    const char *step = NULL, *triage = NULL, *stop = NULL;
    health_step_input x = {.date = DATE_NONE, .stop_reason = -1, .triage = WAIT_TRIAGE_COUNT};
    int rc = reject_unknown_keys(in, allowed, res);
    if (rc == SH_OK)
        rc = get_string(in, "step", 32, &step, res);
    if (rc == SH_OK && health_step_parse(step) < 0) {
        type_error(res, "step", "one of triage, clock_stop, clock_restart, first_contact, "
                                "assessment_started, assessment_completed, outcome, discharge");
        rc = SH_EINVAL;
    }
    if (rc == SH_OK)
        rc = get_date(in, "date", false, &x.date, res);
    if (rc == SH_OK)
        rc = get_string(in, "triage", 16, &triage, res);
    if (rc == SH_OK)
        rc = get_string(in, "stop_reason", 16, &stop, res);
    if (rc == SH_OK)
        rc = get_string(in, "reason", STORE_REASON_MAX, &x.reason, res);
    if (rc == SH_OK)
        rc = get_string(in, "outcome", STORE_OUTCOME_MAX, &x.outcome, res);
    if (rc == SH_OK)
        rc = get_string(in, "outcome_code", STORE_OUTCOME_CODE_MAX, &x.outcome_code, res);
    wait_triage t;
    if (rc == SH_OK && triage) {
        if (wait_triage_parse(triage, &t) == SH_OK)
            x.triage = t;
        else {
            type_error(res, "triage", "\"accepted\", \"rejected\" or \"redirected\"");
            rc = SH_EINVAL;
        }
    }
    if (rc == SH_OK && stop && (x.stop_reason = health_stop_reason_parse(stop)) < 0) {
        type_error(res, "stop_reason", "\"declined\", \"not_brought\" or \"postponed\"");
        rc = SH_EINVAL;
    }
    if (rc == SH_OK) {
        x.step = (health_step)health_step_parse(step);
        app_error err = {0};
        rc = app_referral_record(req->db, &req->who, req->params[0], &x, req->today, &err);
        if (rc)
            app_error_reply(res, &err);
    }
    json_decref(in);
    return rc ? rc : reply_referral(req, res, req->params[0], 200);
}

static int handle_referral_import(web_request *req, web_response *res)
{
    if (!req->content_type || strncmp(req->content_type, "text/csv", 8) != 0) {
        api_error(res, 415, "unsupported_media_type",
                  "Send the file as the body with Content-Type: text/csv.", NULL);
        return SH_EINVAL;
    }
    health_import_report rep;
    app_error err = {0};
    int rc = app_referrals_import(req->db, &req->who, req->body, req->body_len, req->today,
                                  req->a, &rep, &err);
    if (rc && rc != SH_EINVAL) {
        app_error_reply(res, &err);
        return rc;
    }
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_kv_int(&w, "lines", (int64_t)rep.lines);
    jsonw_kv_int(&w, "imported", (int64_t)rep.imported);
    if (rc) {
        jsonw_key(&w, "error");
        jsonw_object_begin(&w);
        jsonw_kv_string(&w, "code", "invalid");
        jsonw_kv_string(&w, "message", err.message);
        jsonw_object_end(&w);
    }
    jsonw_kv_int(&w, "error_count", (int64_t)rep.n_errors);
    jsonw_key(&w, "errors");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < rep.errors_shown; i++) {
        jsonw_object_begin(&w);
        jsonw_kv_int(&w, "line", (int64_t)rep.errors[i].line);
        if (rep.errors[i].field)
            jsonw_kv_string(&w, "field", rep.errors[i].field);
        else
            jsonw_kv_null(&w, "field");
        jsonw_kv_string(&w, "message", rep.errors[i].message);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    body_end(res, &w, rc ? 422 : 200);
    return rc;
}

/* ------------------------------------------------------- advice requests */

/* One advice request: what was asked, of whom, when it is due, where it
 * stands at `today` and, once received, the advice. */
static void advice_json(jsonw *w, const store_advice *r, date_t today)
{
    jsonw_object_begin(w);
    jsonw_kv_int(w, "id", r->id);
    jsonw_kv_int(w, "case_id", r->case_id);
    jsonw_kv_int(w, "child_id", r->child_id);
    jsonw_kv_string(w, "agency", event_agency_name(r->agency));
    jsonw_kv_string(w, "service", r->service);
    jsonw_kv_string_or_null(w, "setting_urn", r->setting_urn);
    jsonw_kv_string(w, "question", r->question);
    jsonw_kv_string(w, "requested_by", r->requested_by);
    kv_date(w, "requested_on", r->requested_on);
    kv_date(w, "due", r->due);
    jsonw_kv_string(w, "status",
                    advice_state_name(advice_state_at(r->due, r->received_on, today)));
    kv_date(w, "received_on", r->received_on);
    jsonw_key(w, "advice");
    if (r->received_on == DATE_NONE) {
        jsonw_null(w);
    } else {
        jsonw_object_begin(w);
        jsonw_kv_string(w, "submitted_by", r->submitted_by);
        jsonw_kv_string(w, "needs", r->needs);
        jsonw_kv_string(w, "outcomes", r->outcomes);
        jsonw_kv_string(w, "provision", r->provision);
        jsonw_object_end(w);
    }
    jsonw_object_end(w);
}

/* Reads one element of "requests": {"agency", "service", "setting_urn"}. */
static int get_ask(json_t *item, size_t i, app_advice_ask *out, web_response *res)
{
    static const char *const allowed[] = {"agency", "service", "setting_urn", NULL};
    if (!json_is_object(item)) {
        type_error(res, "requests", "a list of objects");
        return SH_EINVAL;
    }
    int rc = reject_unknown_keys(item, allowed, res);
    const char *agency = NULL;
    if (rc == SH_OK)
        rc = get_string(item, "agency", 32, &agency, res);
    if (rc == SH_OK)
        rc = get_string(item, "service", ADVICE_SERVICE_MAX, &out->service, res);
    if (rc == SH_OK)
        rc = get_string(item, "setting_urn", IDENT_URN_MAX, &out->setting_urn, res);
    if (rc)
        return rc;
    out->agency = agency ? event_agency_parse(agency, strlen(agency)) : AGENCY_NONE;
    if (out->agency == AGENCY_NONE) {
        char msg[200];
        snprintf(msg, sizeof msg, "requests[%zu].agency must be one of education, health, "
                                  "social_care, psychology, other.", i);
        api_error(res, 422, "invalid", msg, "agency");
        return SH_EINVAL;
    }
    if (!out->service)
        out->service = "";
    return SH_OK;
}

static int handle_advice_request(web_request *req, web_response *res)
{
    static const char *const allowed[] = {"date", "question", "requests", NULL};
    json_t *in = read_json_object(req, res);
    if (!in)
        return SH_EINVAL;
    date_t on = DATE_NONE;
    const char *question = NULL;
    app_advice_ask asks[APP_ADVICE_ASKS_MAX];
    json_t *list = json_object_get(in, "requests");
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    int rc = reject_unknown_keys(in, allowed, res);
    if (rc == SH_OK)
        rc = get_date(in, "date", true, &on, res);
    if (rc == SH_OK)
        rc = get_string(in, "question", ADVICE_TEXT_MAX, &question, res);
    if (rc == SH_OK && (n == 0 || n > APP_ADVICE_ASKS_MAX)) {
        type_error(res, "requests", "a list of 1 to 8 services to ask");
        rc = SH_EINVAL;
    }
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = get_ask(json_array_get(list, i), i, &asks[i], res);
    int64_t ids[APP_ADVICE_ASKS_MAX];
    app_error err = {0};
    if (rc == SH_OK) {
        rc = app_advice_request(req->db, &req->who, req->params[0], asks, n, on,
                                question ? question : "", req->today, req->a, ids, &err);
        if (rc)
            app_error_reply(res, &err);
    }
    json_decref(in);
    if (rc)
        return rc;
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "items");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < n; i++) {
        store_advice r;
        if (store_advice_get(req->db, req->who.la_code, ids[i], req->a, &r) == SH_OK)
            advice_json(&w, &r, req->today);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    res->location = arena_printf(req->a, "/api/v1/cases/%lld/advice-requests",
                                 (long long)req->params[0]);
    body_end(res, &w, 201);
    return SH_OK;
}

static int handle_case_advice(web_request *req, web_response *res)
{
    store_advice *rows;
    size_t n;
    app_error err = {0};
    int rc = app_advice_for_case(req->db, &req->who, req->params[0], req->a, &rows, &n, &err);
    if (rc) {
        app_error_reply(res, &err);
        return rc;
    }
    int audit_rc = audit_read(req, "advice", 0, n ? rows[0].child_id : 0,
               arena_printf(req->a, "case %lld", (long long)req->params[0]));
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "items");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < n; i++)
        advice_json(&w, &rows[i], req->today);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
    return SH_OK;
}

static int handle_advice_list(web_request *req, web_response *res)
{
    size_t page, per_page;
    long open;
    int rc = query_paging(req, res, &page, &per_page);
    if (rc == SH_OK)
        rc = query_long(req, res, "open", 1, 0, 1, &open);
    const char *agency = web_query(req, "agency");
    app_advice_filter f = {.open_only = open == 1, .agency = AGENCY_NONE, .limit = per_page,
                           .offset = (page - 1) * per_page};
    if (rc == SH_OK && agency &&
        (f.agency = event_agency_parse(agency, strlen(agency))) == AGENCY_NONE) {
        api_error(res, 422, "invalid", "\"agency\" must be one of education, health, "
                                       "social_care, psychology, other.", "agency");
        rc = SH_EINVAL;
    }
    if (rc)
        return rc;
    app_advice_row *rows;
    size_t n;
    app_error err = {0};
    if ((rc = app_advice_list(req->db, &req->who, &f, req->today, req->a, &rows, &n, &err))) {
        app_error_reply(res, &err);
        return rc;
    }
    int audit_rc = audit_read(req, "advice", 0, 0, "list");
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "items");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < n; i++)
        advice_json(&w, &rows[i].r, req->today);
    jsonw_array_end(&w);
    jsonw_kv_int(&w, "page", (int64_t)page);
    jsonw_kv_int(&w, "per_page", (int64_t)per_page);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
    return SH_OK;
}

/* The request in params[0] if the person may see it; a denial is audited
 * and answered as "not found". */
static int advice_view(web_request *req, web_response *res, app_advice_view *v)
{
    app_error err = {0};
    int rc = app_advice_get(req->db, &req->who, req->params[0], req->today, req->a, v, &err);
    if (rc == SH_EDENIED) {
        audit_record(req->audit, req->db, &req->who, "denied", "advice", req->params[0], 0, "",
                     req->now);
        api_error(res, 404, "not_found", "The advice request was not found.", NULL);
    } else if (rc) {
        app_error_reply(res, &err);
    }
    return rc;
}

static int handle_advice_get(web_request *req, web_response *res)
{
    app_advice_view v;
    int rc = advice_view(req, res, &v);
    if (rc)
        return rc;
    int audit_rc = audit_read(req, "advice", v.r.id, v.r.child_id, "");
    if (audit_rc)
        return audit_rc;
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "request");
    advice_json(&w, &v.r, req->today);
    jsonw_key(&w, "child");
    jsonw_object_begin(&w);
    jsonw_kv_string(&w, "name", v.child_name);
    kv_date(&w, "date_of_birth", v.date_of_birth);
    jsonw_kv_string_or_null(&w, "setting_urn", v.setting_urn);
    jsonw_kv_string_or_null(&w, "primary_need",
                            v.primary_need >= 0 ? ident_sen_type_code((sen_type)v.primary_need)
                                                : "");
    jsonw_object_end(&w);
    jsonw_kv_string(&w, "coordinator", v.coordinator);
    jsonw_key(&w, "files");
    jsonw_array_begin(&w);
    for (size_t i = 0; i < v.n_files; i++) {
        jsonw_object_begin(&w);
        jsonw_kv_int(&w, "id", v.files[i].id);
        jsonw_kv_string(&w, "filename", v.files[i].filename);
        jsonw_kv_int(&w, "size", (int64_t)v.files[i].size);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    body_end(res, &w, 200);
    return SH_OK;
}

static int handle_advice_submit(web_request *req, web_response *res)
{
    static const char *const allowed[] = {"needs", "outcomes", "provision", "received_on", NULL};
    app_advice_view v;
    int rc = advice_view(req, res, &v);
    if (rc)
        return rc;
    json_t *in = read_json_object(req, res);
    if (!in)
        return SH_EINVAL;
    app_advice_answer ans = {.received_on = DATE_NONE};
    rc = reject_unknown_keys(in, allowed, res);
    if (rc == SH_OK)
        rc = get_string(in, "needs", ADVICE_TEXT_MAX, &ans.needs, res);
    if (rc == SH_OK)
        rc = get_string(in, "outcomes", ADVICE_TEXT_MAX, &ans.outcomes, res);
    if (rc == SH_OK)
        rc = get_string(in, "provision", ADVICE_TEXT_MAX, &ans.provision, res);
    if (rc == SH_OK)
        rc = get_date(in, "received_on", false, &ans.received_on, res);
    app_error err = {0};
    if (rc == SH_OK &&
        (rc = app_advice_submit(req->db, &req->who, v.r.id, &ans, req->today, req->a, &err)))
        app_error_reply(res, &err);
    json_decref(in);
    if (rc)
        return rc;
    store_advice r;
    if ((rc = store_advice_get(req->db, req->who.la_code, v.r.id, req->a, &r))) {
        api_error(res, 500, "internal", "The advice was saved but could not be read back.", NULL);
        return rc;
    }
    jsonw w;
    body_begin(res, &w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "request");
    advice_json(&w, &r, req->today);
    jsonw_object_end(&w);
    res->location = arena_printf(req->a, "/api/v1/advice-requests/%lld", (long long)r.id);
    body_end(res, &w, 201);
    return SH_OK;
}

const web_route api_routes[] = {
    {"GET", "/api/v1/health", handle_health, WEB_PUBLIC},
    {"POST", "/api/v1/children", handle_child_create, WEB_SIGNED_IN},
    {"GET", "/api/v1/children", handle_child_find, WEB_SIGNED_IN},
    {"GET", "/api/v1/children/{id}", handle_child_get, WEB_SIGNED_IN},
    {"POST", "/api/v1/cases", handle_case_open, WEB_SIGNED_IN},
    {"GET", "/api/v1/cases", handle_case_list, WEB_SIGNED_IN},
    {"GET", "/api/v1/cases/{id}", handle_case_get, WEB_SIGNED_IN_READ},
    {"POST", "/api/v1/cases/{id}/events", handle_event_append, WEB_SIGNED_IN},
    {"GET", "/api/v1/cases/{id}/plan", handle_plan_get, WEB_SIGNED_IN},
    {"GET", "/api/v1/cases/{id}/plan/versions/{id}", handle_plan_version_get, WEB_SIGNED_IN},
    {"GET", "/api/v1/pathways", handle_pathway_list, WEB_SIGNED_IN},
    {"GET", "/api/v1/pathways/{id}/stats", handle_pathway_stats, WEB_SIGNED_IN},
    {"GET", "/api/v1/pathways/{id}/waiting-list", handle_waiting_list, WEB_SIGNED_IN},
    {"POST", "/api/v1/referrals", handle_referral_create, WEB_SIGNED_IN},
    {"POST", "/api/v1/referrals/import", handle_referral_import, WEB_SIGNED_IN},
    {"GET", "/api/v1/referrals/{id}", handle_referral_get, WEB_SIGNED_IN},
    {"POST", "/api/v1/referrals/{id}/steps", handle_referral_step, WEB_SIGNED_IN},
    {"POST", "/api/v1/cases/{id}/advice-requests", handle_advice_request, WEB_SIGNED_IN},
    {"GET", "/api/v1/cases/{id}/advice-requests", handle_case_advice, WEB_SIGNED_IN},
    {"GET", "/api/v1/advice-requests", handle_advice_list, WEB_SIGNED_IN},
    {"GET", "/api/v1/advice-requests/{id}", handle_advice_get, WEB_SIGNED_IN},
    {"POST", "/api/v1/advice-requests/{id}/advice", handle_advice_submit, WEB_SIGNED_IN},
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
