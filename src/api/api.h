/*
 * api.h — the JSON API under /api/v1 (documented in docs/openapi.yaml).
 *
 * api_handle() routes one request through the API's route table and fills
 * the response. Every error is JSON:
 *   {"error": {"code": "invalid", "message": "...", "field": "date"}}
 * with 400 (malformed JSON), 404, 405, 409, 413, 415, 422 (validation),
 * 503 (database unavailable) or 500.
 */
#ifndef SH_API_H
#define SH_API_H

#include "web/http.h"

#define API_JSON_MAX_DEPTH 8 /* nesting accepted in request bodies */

void api_handle(web_request *req, web_response *res);

/* Fills res with a JSON error body and status. field may be NULL. */
void api_error(web_response *res, int status, const char *code, const char *message,
               const char *field);

#endif
