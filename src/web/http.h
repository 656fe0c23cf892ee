/*
 * http.h — what a request handler sees and produces.
 *
 * The server (server.c) turns each libmicrohttpd request into a web_request
 * with its own arena (freed when the response has been sent), the worker
 * thread's database connection, the caller's identity and "today", and
 * routes it through a table of {method, path pattern, handler}. Handlers fill
 * a web_response and return; they never touch libmicrohttpd directly.
 */
#ifndef SH_WEB_HTTP_H
#define SH_WEB_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"
#include "core/date.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"

#define WEB_MAX_PARAMS 4            /* {id} segments in one path */
#define WEB_MAX_RESPONSE (8u << 20) /* ceiling on a response body */

typedef struct web_request web_request;

typedef struct {
    int status;
    const char *content_type;  /* static string */
    const char *location;      /* Location header (201, 303), or NULL */
    const char *set_cookie;    /* a Set-Cookie header value, or NULL */
    const char *cache;         /* Cache-Control; NULL means "no-store" */
    const char *disposition;   /* Content-Disposition (downloads), or NULL */
    buf body;
    /* A download too large for body (past WEB_MAX_RESPONSE, or too large to
     * hold per request): a file the handler wrote (an unlinked temporary
     * file, web_tmpfile), sent from its start instead of body. The server
     * owns it once set and closes it. Set it only when returning SH_OK. */
    FILE *file;
} web_response;

/* How the caller proved who they are. */
typedef enum { WEB_AUTH_NONE, WEB_AUTH_SESSION, WEB_AUTH_BEARER } web_auth;

struct web_request {
    const char *method;
    const char *path;
    const char *body;          /* NUL-terminated; "" when none */
    size_t body_len;
    const char *content_type;  /* request Content-Type, NULL if absent */
    arena *a;                  /* dies with the request */
    store *db;                 /* this worker thread's connection (NULL if down) */
    store *db_read;            /* where reporting pages and exports read: the
                                  replica given by --db-read, else db */
    struct audit_log *audit;   /* the server's audit writer */
    web_auth auth;             /* WEB_AUTH_NONE: `who` is empty (signed out) */
    app_identity who;
    const char *session;       /* the session cookie's value, or NULL */
    char csrf[44];             /* the session's CSRF token, "" without a session */
    bool secure_cookies;       /* served over TLS: cookies get Secure */
    date_t today;
    int64_t now;               /* unix seconds at the start of the request */
    /* When what this request records (a message, a comment, views, a
     * withdrawal) is dated: app_recorded_at (app/clock.h) of the pinned
     * today and `now`. Sessions, rate limits, invitations' expiry and the
     * audit log keep the real `now`. */
    int64_t recorded_at;
    int64_t params[WEB_MAX_PARAMS]; /* the {id} segments, in order */
    const void *conn;          /* opaque: used by web_query() */
    const struct web_multipart *multipart; /* a multipart body once parsed
                                              (web/multipart.h), else NULL */
    store *snapshot;           /* WEB_SIGNED_IN_READ: the connection whose read
                                  transaction the server opened, until
                                  web_snapshot_end; else NULL */
};

typedef int (*web_handler)(web_request *req, web_response *res);

/* Who may reach a route at all (finer rules are access_* in the handler). */
typedef enum {
    WEB_PUBLIC,    /* anyone, signed in or not (sign-in page, assets, health) */
    WEB_SIGNED_IN, /* any signed-in person; others are sent to sign in */
    /* As WEB_SIGNED_IN, for a GET whose handler reads, audits, then writes
     * the answer: the sign-in check and the handler's reads share one read
     * transaction on db (one snapshot, one read lock), which the handler
     * ends with web_snapshot_end before it audits or writes anything (the
     * audit helpers pages_audit and the API's do that). The server ends it
     * after the handler otherwise. The hottest pages use it. */
    WEB_SIGNED_IN_READ,
} web_gate;

typedef struct {
    const char *method;   /* "GET", "POST" */
    const char *pattern;  /* "/api/v1/cases/{id}/events" */
    web_handler handler;
    web_gate gate;
} web_route;

/* A query-string argument, or NULL when absent. */
const char *web_query(const web_request *req, const char *name);

/* A request header or cookie, or NULL when absent. */
const char *web_header(const web_request *req, const char *name);
const char *web_cookie(const web_request *req, const char *name);

/* Temporary files for downloads, in $TMPDIR (else /tmp): web_tmpdir names
 * the directory; web_tmpname creates a private empty file there, writes its
 * path into path (cap bytes) and returns its descriptor (-1 on failure),
 * for a library that writes to a path (libxlsxwriter); web_tmpfile opens
 * one already unlinked, for web_response.file (NULL on failure). */
const char *web_tmpdir(void);
int web_tmpname(char *path, size_t cap);
FILE *web_tmpfile(void);

/* Ends the read transaction of a WEB_SIGNED_IN_READ request; a no-op for
 * any other request and when already ended. */
void web_snapshot_end(web_request *req);

/* Route matching: fills req->params from {id} segments (positive integers up
 * to 2^53; anything else does not match). Returns the route, or NULL; sets
 * *path_known when the path matched some route under another method (405). */
const web_route *web_route_match(const web_route *routes, size_t n, web_request *req,
                                 int *path_known);

#endif
