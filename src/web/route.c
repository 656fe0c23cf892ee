#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

#define ROUTE_MAX_ID ((int64_t)1 << 53) /* ids stay exact in JSON numbers */

void web_snapshot_end(web_request *req)
{
    if (!req->snapshot)
        return;
    store_read_end(req->snapshot);
    req->snapshot = NULL;
}

/* Parses one path segment [s, end) as a positive id. */
static bool parse_id(const char *s, const char *end, int64_t *out)
{
    if (s == end || end - s > 16 || *s == '0')
        return false;
    int64_t v = 0;
    for (const char *p = s; p < end; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v > ROUTE_MAX_ID)
        return false;
    *out = v;
    return true;
}

/* Matches path against pattern segment by segment; {id} segments must be ids. */
static bool path_matches(const char *pattern, const char *path, int64_t *params)
{
    int np = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return false;
        pattern++, path++;
        const char *pe = strchr(pattern, '/'), *se = strchr(path, '/');
        if (!pe)
            pe = pattern + strlen(pattern);
        if (!se)
            se = path + strlen(path);
        if (pe - pattern == 4 && memcmp(pattern, "{id}", 4) == 0) {
            if (np == WEB_MAX_PARAMS || !parse_id(path, se, &params[np++]))
                return false;
        } else if (pe - pattern != se - path || memcmp(pattern, path, (size_t)(se - path))) {
            return false;
        }
        pattern = pe, path = se;
    }
    return *pattern == '\0' && *path == '\0';
}

const web_route *web_route_match(const web_route *routes, size_t n, web_request *req,
                                 int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t params[WEB_MAX_PARAMS] = {0};
        if (!path_matches(routes[i].pattern, req->path, params))
            continue;
        if (strcmp(routes[i].method, req->method) != 0) {
            *path_known = 1;
            continue;
        }
        memcpy(req->params, params, sizeof params);
        return &routes[i];
    }
    return NULL;
}
