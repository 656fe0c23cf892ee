/*
 * api.h — the JSON API under /api/v1 (documented in docs/openapi.yaml).
 *
 * The server routes /api/ requests through api_routes (after resolving the
 * caller's identity and checking the route's gate and, for cookie sessions,
 * the CSRF header). Every error is JSON:
 *   {"error": {"code": "invalid", "message": "...", "field": "date"}}
 * with 400 (malformed JSON), 401, 403, 404, 405, 409, 413, 415, 422 (validation),
 * 503 (database unavailable) or 500.
 */
#ifndef SH_API_H
#define SH_API_H

#include "web/http.h"

#define API_JSON_MAX_DEPTH 8 /* nesting accepted in request bodies */

/* The API's routes (gates say which need a signed-in caller). */
extern const web_route api_routes[];
extern const size_t api_route_count;

/* A JSON error for a status found before a handler ran (401, 403, 404,
 * 405, 503), in the same shape as the handlers' own errors. */
void api_status_error(web_request *req, web_response *res, int status);

/* Fills res with a JSON error body and status. field may be NULL. */
void api_error(web_response *res, int status, const char *code, const char *message,
               const char *field);

#endif
