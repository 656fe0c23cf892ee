/*
 * server.h — the HTTP server (libmicrohttpd, internal thread pool + epoll).
 *
 * web_serve() opens the database (one connection per worker thread, opened
 * lazily), migrates it, starts the audit writer, listens, and serves the
 * staff pages (web/page_*.c), their assets and the JSON API (api/) until
 * SIGINT or SIGTERM, then stops accepting, lets requests in flight finish and closes
 * every connection. Every limit is explicit (libmicrohttpd's defaults are
 * unsafe: no connection timeout). A background thread runs the daily job
 * (advice reminders, app/remind.h; the family portal's e-mails, app/notify.h)
 * at start-up and then every 24 hours, and in between sends the portal's
 * queued e-mails every cfg->mail_every seconds, unless cfg->remind.disabled;
 * it is stopped and joined at shutdown.
 */
#ifndef SH_WEB_SERVER_H
#define SH_WEB_SERVER_H

#include <stdbool.h>

#include "app/remind.h"
#include "core/date.h"

/* Filled from the option tables of `sendhub serve` (cli/cmd_serve.c), which
 * hold every default and bound. */
typedef struct {
    const char *db;        /* database path or URL */
    const char *db_read;   /* a read replica for reporting pages, or NULL */
    const char *bind;      /* listen address, default 127.0.0.1 */
    long port;
    long threads;          /* worker threads in the pool */
    long timeout;          /* seconds of inactivity before a connection closes */
    long max_connections;
    long max_body;         /* bytes of request body accepted */
    long max_upload;       /* bytes of a multipart/form-data body (file uploads) */
    bool secure_cookies;   /* served over TLS (directly or by a proxy): Secure cookies */
    date_t today;          /* pin "today" (tests, demos); DATE_NONE = system clock */
    app_remind_config remind; /* the daily advice reminder job (app/remind.h) */
    long mail_every;       /* seconds between sends of the portal's queued e-mails */
} web_config;

/* Runs the server until a signal stops it. Returns 0 after a clean shutdown,
 * or a negative SH_E* code when it could not start (message on stderr). */
int web_serve(const web_config *cfg);

#endif
