#include "web/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "app/access.h"
#include "app/audit.h"
#include "app/auth.h"
#include "app/clock.h"
#include "app/notify.h"
#include "app/remind.h"
#include "web/assets.h"
#include "web/form.h"
#include "web/multipart.h"
#include "web/pages.h"
#include "util/err.h"
#include "util/smtp.h"

#define SERVER_ARENA_LIMIT (32u << 20) /* per-request memory ceiling */
#define SERVER_CONN_MEMORY (16u << 10) /* per-connection pool: request line, headers and
                                          cookies (ours is ~50 bytes), response headers;
                                          libmicrohttpd zeroes it on every request */
#define SERVER_DRAIN_SECONDS 10
#define SERVER_DISCARD_FACTOR 8 /* oversized chunked bodies read before cutting off */        /* grace for requests in flight at shutdown */

#define SESSION_COOKIE "sh_session"

typedef struct {
    web_config cfg;
    pthread_key_t store_key; /* each worker thread's database connection */
    pthread_key_t read_key;  /* and its replica connection (--db-read) */
    audit_log *audit;        /* the background audit writer */
} server;

/* The two families of routes: JSON under /api/, HTML pages elsewhere. Each
 * renders its own errors (JSON bodies or GOV.UK pages). */
typedef struct {
    const web_route *routes;
    size_t n;
    void (*error)(web_request *req, web_response *res, int status);
} route_table;

/* Per-request state, created on libmicrohttpd's first callback for a request
 * and freed in on_completed() whatever happened. */
typedef struct {
    arena *a;
    buf body;
    size_t discarded; /* bytes of an oversized chunked body thrown away */
    size_t limit;     /* this request's body ceiling (body_limit) */
} request_ctx;

static void close_thread_store(void *p)
{
    store_close(p);
}

/* The calling worker thread's connection under `key` to `db`, opened on
 * first use. NULL when it cannot be opened (the caller decides: 503 for the
 * primary, the primary instead of the replica). */
static store *thread_store(pthread_key_t key, const char *db)
{
    store *s = pthread_getspecific(key);
    if (s)
        return s;
    if (store_open(db, &s) != SH_OK)
        return NULL;
    pthread_setspecific(key, s);
    return s;
}

const char *web_query(const web_request *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)(uintptr_t)req->conn,
                                       MHD_GET_ARGUMENT_KIND, name);
}

const char *web_header(const web_request *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)(uintptr_t)req->conn,
                                       MHD_HEADER_KIND, name);
}

const char *web_cookie(const web_request *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)(uintptr_t)req->conn,
                                       MHD_COOKIE_KIND, name);
}

/* Headers every response carries: nothing here may be cached, framed,
 * sniffed or leak a referrer, because every page may hold a child's record. */
static void add_security_headers(struct MHD_Response *r, const web_response *res)
{
    bool html = res->content_type && strncmp(res->content_type, "text/html", 9) == 0;
    MHD_add_response_header(r, "Cache-Control", res->cache ? res->cache : "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            html ? "default-src 'self'; script-src 'self'; style-src 'self'; "
                                   "img-src 'self' data:; font-src 'self'; "
                                   "form-action 'self'; frame-ancestors 'none'; "
                                   "base-uri 'none'"
                                 : "default-src 'none'; frame-ancestors 'none'");
}

const char *web_tmpdir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && dir[0] ? dir : "/tmp";
}

int web_tmpname(char *path, size_t cap)
{
    if ((size_t)snprintf(path, cap, "%s/sendhub-download-XXXXXX", web_tmpdir()) >= cap)
        return -1;
    return mkstemp(path);
}

FILE *web_tmpfile(void)
{
    char path[4096];
    int fd = web_tmpname(path, sizeof path);
    if (fd < 0)
        return NULL;
    unlink(path); /* gone when closed, whatever happens to the process */
    FILE *f = fdopen(fd, "w+b");
    if (!f)
        close(fd);
    return f;
}

/* A response from res->file (closed here): libmicrohttpd reads it from its
 * start as the client takes it, so the download is never held in memory. */
static struct MHD_Response *file_response(web_response *res)
{
    FILE *f = res->file;
    res->file = NULL;
    struct stat st;
    int fd = fflush(f) == 0 ? dup(fileno(f)) : -1;
    fclose(f);
    if (fd >= 0 && fstat(fd, &st) == 0) {
        struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
        if (r)
            return r;
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, web_response *res)
{
    struct MHD_Response *r;
    if (res->file) {
        buf_free(&res->body);
        if (!(r = file_response(res)))
            return MHD_NO;
    } else {
        size_t len;
        char *body = buf_steal(&res->body, &len);
        r = MHD_create_response_from_buffer(len, body ? body : (char *)(uintptr_t) "",
                                            body ? MHD_RESPMEM_MUST_FREE
                                                 : MHD_RESPMEM_PERSISTENT);
        if (!r) {
            free(body);
            return MHD_NO;
        }
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            res->content_type ? res->content_type : "application/json");
    if (res->location)
        MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, res->location);
    if (res->set_cookie)
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, res->set_cookie);
    if (res->disposition)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, res->disposition);
    add_security_headers(r, res);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ok;
}

/* An oversized body is refused before routing: in JSON under /api/, as an
 * error page elsewhere (the person sent a form). */
static enum MHD_Result send_too_large(struct MHD_Connection *conn, const char *url, arena *a)
{
    web_response res = {0};
    buf_init(&res.body, WEB_MAX_RESPONSE);
    if (strncmp(url, "/api/", 5) == 0) {
        api_error(&res, 413, "too_large", "The request body is too large.", NULL);
    } else {
        web_request req = {.method = "GET", .path = url, .a = a, .conn = conn};
        req.who.role = -1;
        pages_error(&req, &res, 413);
    }
    return send_response(conn, &res);
}

/* The ceiling on a request's body: --max-upload for a form posting files
 * (multipart/form-data) to the pages that take them (/advice/..., a
 * family's views under /portal/children/..., evidence on a plan's actions
 * under /inspections/...), --max-body for everything else. */
static size_t body_limit(const server *srv, struct MHD_Connection *conn, const char *url)
{
    const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_TYPE);
    bool upload = type && strncasecmp(type, "multipart/form-data", 19) == 0 &&
                  (strncmp(url, "/advice/", 8) == 0 ||
                   strncmp(url, "/portal/children/", 17) == 0 ||
                   strncmp(url, "/inspections/", 13) == 0);
    return (size_t)(upload ? srv->cfg.max_upload : srv->cfg.max_body);
}

static request_ctx *request_ctx_new(size_t max_body)
{
    request_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->a = arena_create(SERVER_ARENA_LIMIT);
    if (!ctx->a) {
        free(ctx);
        return NULL;
    }
    buf_init(&ctx->body, max_body);
    ctx->limit = max_body;
    return ctx;
}

/* A declared body larger than the ceiling is refused before it is read. */
static bool declared_too_large(struct MHD_Connection *conn, size_t max_body)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl)
        return false;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    return errno || *end || n > (unsigned long long)max_body;
}

/* The client's address for the audit log ("" when unknown). */
static const char *client_address(struct MHD_Connection *conn, arena *a)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char text[INET6_ADDRSTRLEN] = "";
    if (info && info->client_addr) {
        const struct sockaddr *sa = info->client_addr;
        const void *addr = sa->sa_family == AF_INET6
                               ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                               : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
        if (!inet_ntop(sa->sa_family, addr, text, sizeof text))
            text[0] = '\0';
    }
    return arena_strdup(a, text);
}

/* Who is asking: a session cookie, else an API bearer token, else nobody.
 * Only reads: the touch or delete due on the session [0] and on the token
 * [1] are left in upkeep, for after the request's read transaction
 * (WEB_SIGNED_IN_READ). */
static void resolve_identity(web_request *req, auth_upkeep upkeep[2])
{
    upkeep[0].kind = upkeep[1].kind = AUTH_UPKEEP_NONE;
    if (!req->db)
        return;
    int rc = SH_ENOTFOUND;
    const char *cookie = web_cookie(req, SESSION_COOKIE);
    const char *authz = web_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
    if (cookie) {
        rc = auth_session_lookup(req->db, cookie, req->who.remote, req->now, req->a,
                                 &req->who, req->csrf, &upkeep[0]);
        if (rc == SH_OK) {
            req->auth = WEB_AUTH_SESSION;
            req->session = cookie;
        }
    }
    if (rc == SH_ENOTFOUND && authz && strncmp(authz, "Bearer ", 7) == 0) {
        rc = auth_api_token_lookup(req->db, authz + 7, req->who.remote, req->now, req->a,
                                   &req->who, &upkeep[1]);
        if (rc == SH_OK)
            req->auth = WEB_AUTH_BEARER;
    }
    /* Unknown or expired credentials mean "signed out"; anything else (the
     * database busy or gone) must not sign the person out: answer 503. */
    if (rc != SH_OK && rc != SH_ENOTFOUND)
        req->db = NULL;
}

static bool is_safe_method(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* A state-changing request made with a session cookie must prove it came
 * from our own page: the form's "csrf" field (pages) or an X-CSRF-Token
 * header (JSON from a signed-in browser). Bearer tokens are not sent by
 * browsers on their own, so they need no such proof. */
static bool csrf_ok(web_request *req, bool api)
{
    if (req->auth != WEB_AUTH_SESSION || is_safe_method(req->method))
        return true;
    const char *submitted = NULL;
    if (api) {
        submitted = web_header(req, "X-CSRF-Token");
    } else if (web_is_multipart(req)) {
        const web_multipart *m;
        if (web_multipart_get(req, &m) == SH_OK)
            submitted = form_get(&m->fields, "csrf");
    } else {
        web_form form;
        if (form_parse(req->body, req->body_len, req->a, &form) == SH_OK)
            submitted = form_get(&form, "csrf");
    }
    return submitted && auth_csrf_ok(submitted, req->csrf);
}

/* Signed-out people asking for a page are sent to sign in, and back after. */
static void redirect_to_sign_in(web_request *req, web_response *res)
{
    res->status = 303;
    res->location = arena_printf(req->a, "/sign-in?next=%s", req->path);
    if (!res->location)
        res->location = "/sign-in";
}

static void route(const route_table *t, const web_route *r, int path_known, bool api,
                  web_request *req, web_response *res)
{
    bool gated = r && r->gate != WEB_PUBLIC && req->auth == WEB_AUTH_NONE;
    /* The database check comes before the gate: during an outage nobody can
     * be recognised, and that must read as "unavailable", never "signed out". */
    if (!r)
        t->error(req, res, path_known ? 405 : 404);
    else if (!req->db)
        t->error(req, res, 503);
    else if (gated && api)
        t->error(req, res, 401);
    else if (gated)
        redirect_to_sign_in(req, res);
    else if (!csrf_ok(req, api))
        t->error(req, res, 403);
    else
        r->handler(req, res);
}

static enum MHD_Result dispatch(server *srv, struct MHD_Connection *conn, const char *url,
                                const char *method, request_ctx *ctx)
{
    web_request req = {
        .method = method,
        .path = url,
        .body = ctx->body.data ? ctx->body.data : "",
        .body_len = ctx->body.len,
        .content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_CONTENT_TYPE),
        .a = ctx->a,
        .db = thread_store(srv->store_key, srv->cfg.db),
        .audit = srv->audit,
        .secure_cookies = srv->cfg.secure_cookies,
        .today = srv->cfg.today != DATE_NONE ? srv->cfg.today : app_today(),
        .now = (int64_t)time(NULL),
        .conn = conn,
    };
    req.recorded_at = app_recorded_at(srv->cfg.today, req.now);
    req.who.role = -1;
    req.who.remote = client_address(conn, ctx->a);
    /* Reporting reads go to the replica when there is one and it answers;
     * otherwise to the primary, so a lost replica slows reports, never stops them. */
    store *replica = srv->cfg.db_read ? thread_store(srv->read_key, srv->cfg.db_read) : NULL;
    req.db_read = replica ? replica : req.db;
    web_response res = {.status = 200};
    buf_init(&res.body, WEB_MAX_RESPONSE);
    if (strncmp(url, "/assets/", 8) == 0) {
        assets_serve(&req, &res);
        return send_response(conn, &res);
    }
    bool is_api = strncmp(url, "/api/", 5) == 0;
    route_table t = is_api ? (route_table){api_routes, api_route_count, api_status_error}
                           : (route_table){pages_routes, pages_route_count, pages_error};
    int path_known = 0;
    const web_route *r = web_route_match(t.routes, t.n, &req, &path_known);
    /* One read transaction from the sign-in check to the handler's last
     * read; a failed begin only costs the sharing (each read is then its own). */
    store *db = req.db;
    if (r && r->gate == WEB_SIGNED_IN_READ && db && store_read_begin(db) == SH_OK)
        req.snapshot = db;
    auth_upkeep upkeep[2];
    resolve_identity(&req, upkeep);
    route(&t, r, path_known, is_api, &req, &res);
    web_snapshot_end(&req);
    for (int i = 0; db && i < 2; i++)
        auth_upkeep_run(db, &upkeep[i], req.now);
    return send_response(conn, &res);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)version;
    server *srv = cls;
    request_ctx *ctx = *req_cls;
    if (!ctx) {
        size_t limit = body_limit(srv, conn, url);
        ctx = request_ctx_new(limit);
        if (!ctx)
            return MHD_NO;
        *req_cls = ctx;
        if (declared_too_large(conn, limit))
            return send_too_large(conn, url, ctx->a);
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* A body without a declared length (chunked) that crosses the ceiling
         * is discarded as it arrives, so the client can still be told 413 at
         * the end (libmicrohttpd cannot answer mid-upload); a client that keeps
         * streaming far past the ceiling is cut off. */
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (ctx->discarded == 0 && buf_append(&ctx->body, upload_data, n) == SH_OK)
            return MHD_YES;
        buf_free(&ctx->body);
        ctx->discarded += n;
        return ctx->discarded > SERVER_DISCARD_FACTOR * ctx->limit ? MHD_NO : MHD_YES;
    }
    if (ctx->discarded)
        return send_too_large(conn, url, ctx->a);
    return dispatch(srv, conn, url, method, ctx);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    request_ctx *ctx = *req_cls;
    if (!ctx)
        return;
    buf_free(&ctx->body);
    arena_destroy(ctx->a);
    free(ctx);
    *req_cls = NULL;
}

/* Opens the database once in the main thread to apply migrations (so worker
 * threads never race to migrate and a broken database stops start-up) and
 * to remove expired sessions and tokens. */
static int prepare_database(const web_config *cfg)
{
    store *s;
    int rc = store_open(cfg->db, &s);
    if (rc) {
        fprintf(stderr, "sendhub serve: cannot open database %s (%s)\n", cfg->db,
                sh_strerror(rc));
        return rc;
    }
    rc = store_migrate(s);
    if (rc)
        fprintf(stderr, "sendhub serve: cannot migrate database %s (%s)\n", cfg->db,
                sh_strerror(rc));
    else
        store_token_purge(s, (int64_t)time(NULL));
    store_close(s);
    return rc;
}

static struct MHD_Daemon *start_daemon(server *srv, struct sockaddr_in *addr)
{
    const web_config *cfg = &srv->cfg;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    return MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVER_CONN_MEMORY,
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_END);
}

/* ---- the daily job (advice reminders, the portal's e-mails), and sending ---- */

#define REMIND_PERIOD_SECONDS (24 * 60 * 60)

typedef struct {
    const web_config *cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    bool stop, started;
} reminder;

static void remind_once(const web_config *cfg, store **s)
{
    if (!*s && store_open(cfg->db, s) != SH_OK) {
        *s = NULL;
        fprintf(stderr, "sendhub serve: reminders: cannot open the database\n");
        return;
    }
    app_remind_result r;
    date_t today = cfg->today != DATE_NONE ? cfg->today : app_today();
    int rc = app_remind_run(*s, today, &cfg->remind, &r);
    if (rc) {
        fprintf(stderr, "sendhub serve: reminders failed (%s)\n", sh_strerror(rc));
        store_close(*s); /* reopened next time: the database may have come back */
        *s = NULL;
        return;
    }
    if (r.added)
        fprintf(stderr, "sendhub serve: reminders: chased %zu: sent %zu, failed %zu, "
                        "not e-mailed %zu\n", r.added, r.sent, r.failed, r.unsent);
    app_notify_result p;
    rc = app_notify_run(*s, today, (int64_t)time(NULL), &cfg->remind, &p);
    if (rc) {
        fprintf(stderr, "sendhub serve: portal e-mails failed (%s)\n", sh_strerror(rc));
        store_close(*s);
        *s = NULL;
    } else if (p.queued || p.sent || p.retrying || p.failed)
        fprintf(stderr, "sendhub serve: portal e-mails: queued %zu, sent %zu, retry later "
                        "%zu, failed %zu\n", p.queued, p.sent, p.retrying, p.failed);
}

/* Between daily runs: sends the portal's queued e-mails that are due (a new
 * message's notice, an acknowledgement, a retry). Nothing to do, and the
 * database left alone, without a relay. */
static void send_queued(const web_config *cfg, store **s)
{
    if (!cfg->remind.smtp_url || !cfg->remind.smtp_url[0])
        return;
    if (!*s && store_open(cfg->db, s) != SH_OK) {
        *s = NULL;
        fprintf(stderr, "sendhub serve: portal e-mails: cannot open the database\n");
        return;
    }
    app_notify_result p;
    int rc = app_notify_send(*s, (int64_t)time(NULL), &cfg->remind, &p);
    if (rc) {
        fprintf(stderr, "sendhub serve: portal e-mails failed (%s)\n", sh_strerror(rc));
        store_close(*s);
        *s = NULL;
    } else if (p.sent || p.retrying || p.failed)
        fprintf(stderr, "sendhub serve: portal e-mails: sent %zu, retry later %zu, failed %zu\n",
                p.sent, p.retrying, p.failed);
}

/* Runs the daily job now and then every 24 hours, and between runs sends
 * the queued e-mails every cfg->mail_every seconds, until reminder_stop().
 * The wait is on a condition variable, so stopping does not wait it out; a
 * run in progress finishes first (each e-mail is bounded by --smtp-timeout). */
static void *reminder_main(void *arg)
{
    reminder *r = arg;
    store *s = NULL;
    time_t next_daily = 0; /* the first wake runs it: at start-up */
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        pthread_mutex_unlock(&r->mu);
        time_t now = time(NULL);
        if (now >= next_daily) {
            remind_once(r->cfg, &s);
            next_daily = now + REMIND_PERIOD_SECONDS;
        } else {
            send_queued(r->cfg, &s);
        }
        pthread_mutex_lock(&r->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += r->cfg->mail_every;
        while (!r->stop && pthread_cond_timedwait(&r->wake, &r->mu, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&r->mu);
    store_close(s);
    return NULL;
}

static void reminder_start(reminder *r, const web_config *cfg)
{
    *r = (reminder){.cfg = cfg};
    if (cfg->remind.disabled)
        return;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->wake, NULL);
    if (smtp_global_init() != SH_OK || pthread_create(&r->thread, NULL, reminder_main, r) != 0) {
        fprintf(stderr, "sendhub serve: cannot start the reminder job; run sendhub remind "
                        "daily instead\n");
        pthread_cond_destroy(&r->wake);
        pthread_mutex_destroy(&r->mu);
        return;
    }
    r->started = true;
}

static void reminder_stop(reminder *r)
{
    if (!r->started)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_signal(&r->wake);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    pthread_cond_destroy(&r->wake);
    pthread_mutex_destroy(&r->mu);
}

/* The database URL without its password ("postgresql://u:secret@h/db" ->
 * "postgresql://u:***@h/db"), for logs. */
static const char *redact_url(const char *url, char *out, size_t n)
{
    const char *scheme = strstr(url, "://"), *at = strchr(url, '@');
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (!scheme || !at || !colon || colon > at)
        snprintf(out, n, "%s", url);
    else
        snprintf(out, n, "%.*s:***%s", (int)(colon - url), url, at);
    return out;
}

/* Blocks until SIGINT or SIGTERM. The signals were blocked before the pool
 * started, so only this thread ever receives them. */
static void wait_for_stop_signal(const sigset_t *set)
{
    int sig;
    while (sigwait(set, &sig) != 0)
        ;
    fprintf(stderr, "sendhub serve: %s received, finishing requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
}

/* Stops accepting, lets open connections finish (bounded), then stops. */
static void shutdown_daemon(struct MHD_Daemon *d)
{
    MHD_quiesce_daemon(d);
    for (int i = 0; i < SERVER_DRAIN_SECONDS * 10; i++) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
}

int web_serve(const web_config *cfg)
{
    server srv = {.cfg = *cfg};
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
    if (inet_pton(AF_INET, cfg->bind, &addr.sin_addr) != 1) {
        fprintf(stderr, "sendhub serve: --bind: '%s' is not an IPv4 address\n", cfg->bind);
        return SH_EINVAL;
    }
    int rc = prepare_database(cfg);
    if (rc)
        return rc;
    srv.audit = audit_log_create(cfg->db);
    if (!srv.audit)
        return SH_EIO;
    if (pthread_key_create(&srv.store_key, close_thread_store) != 0 ||
        pthread_key_create(&srv.read_key, close_thread_store) != 0) {
        audit_log_destroy(srv.audit);
        return SH_ENOMEM;
    }

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *d = start_daemon(&srv, &addr);
    if (!d) {
        fprintf(stderr, "sendhub serve: cannot listen on %s:%ld (%s)\n", cfg->bind,
                cfg->port, strerror(errno));
        pthread_key_delete(srv.store_key);
        pthread_key_delete(srv.read_key);
        audit_log_destroy(srv.audit);
        return SH_EIO;
    }
    reminder rem;
    reminder_start(&rem, &srv.cfg);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char where[256], replica[256] = "";
    if (cfg->db_read)
        snprintf(replica, sizeof replica, ", reports from %s",
                 redact_url(cfg->db_read, where, sizeof where));
    fprintf(stderr, "sendhub serve: listening on http://%s:%u/ (database %s%s)\n", cfg->bind,
            info ? info->port : (unsigned)cfg->port,
            redact_url(cfg->db, where, sizeof where), replica);
    wait_for_stop_signal(&set);
    shutdown_daemon(d);
    reminder_stop(&rem);
    pthread_key_delete(srv.store_key);
    pthread_key_delete(srv.read_key);
    audit_log_destroy(srv.audit);
    fprintf(stderr, "sendhub serve: stopped\n");
    return SH_OK;
}
