/*
 * assets.c — serving the allow-listed static files from memory (assets.h).
 *
 * The mapping from URL to file is a table of mounts; a mount is either one
 * file or a directory whose plain file names (letters, digits, '.', '-',
 * '_', not starting with '.', with a known extension) are served. Nothing
 * from the URL reaches the file system unchecked, so "..", encoded or not,
 * cannot leave the roots.
 */
#include "web/assets.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define ASSETS_PATH_MAX 1024
#define ASSETS_NAME_MAX 100
#define GOVUK_DIST "node_modules/govuk-frontend/dist/govuk"

static const struct mount {
    const char *url;  /* a file ("/assets/sendhub.css") or a directory ending in '/' */
    const char *file; /* relative to the asset root; a directory ends in '/' */
} mounts[] = {
    {"/assets/govuk/govuk-frontend.min.css", GOVUK_DIST "/govuk-frontend.min.css"},
    {"/assets/govuk/govuk-frontend.min.js", GOVUK_DIST "/govuk-frontend.min.js"},
    {"/assets/govuk/assets/fonts/", GOVUK_DIST "/assets/fonts/"},
    {"/assets/govuk/assets/images/", GOVUK_DIST "/assets/images/"},
    {"/assets/fonts/", GOVUK_DIST "/assets/fonts/"},
    {"/assets/images/", GOVUK_DIST "/assets/images/"},
    {"/assets/sendhub.css", "assets/sendhub.css"},
    {"/assets/sendhub.js", "assets/sendhub.js"},
};

static const struct {
    const char *ext, *type;
} types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
};

/* A file read once; never freed (it lives as long as the process). */
typedef struct {
    char *path; /* file path relative to the root: the cache key */
    char *data;
    size_t len;
    const char *type;
} cached_file;

static struct {
    pthread_once_t once;
    pthread_mutex_t lock;
    char root[ASSETS_PATH_MAX];
    cached_file files[ASSETS_MAX_FILES];
    size_t n;
} cache = {.once = PTHREAD_ONCE_INIT, .lock = PTHREAD_MUTEX_INITIALIZER};

static void init_root(void)
{
    const char *env = getenv("SENDHUB_ASSETS");
    snprintf(cache.root, sizeof cache.root, "%s", env && env[0] ? env : ".");
}

static const char *content_type(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && strcmp(name + n - e, types[i].ext) == 0)
            return types[i].type;
    }
    return NULL;
}

/* A plain file name inside a directory mount. */
static bool plain_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > ASSETS_NAME_MAX || s[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return strstr(s, "..") == NULL;
}

/* The file behind a URL path, relative to the root, or SH_ENOTFOUND. */
static int resolve(const char *url, char *out, size_t cap)
{
    if (strstr(url, "..") || strchr(url, '\\'))
        return SH_ENOTFOUND;
    for (size_t i = 0; i < sizeof mounts / sizeof mounts[0]; i++) {
        const struct mount *m = &mounts[i];
        size_t ul = strlen(m->url);
        bool dir = m->url[ul - 1] == '/';
        if (!dir && strcmp(url, m->url) == 0) {
            snprintf(out, cap, "%s", m->file);
            return SH_OK;
        }
        if (dir && strncmp(url, m->url, ul) == 0 && plain_name(url + ul) &&
            content_type(url + ul)) {
            int n = snprintf(out, cap, "%s%s", m->file, url + ul);
            return n > 0 && (size_t)n < cap ? SH_OK : SH_ENOTFOUND;
        }
    }
    return SH_ENOTFOUND;
}

/* Reads a whole regular file of at most ASSETS_MAX_FILE bytes. */
static int read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? SH_ENOTFOUND : SH_EIO;
    char *p = malloc(ASSETS_MAX_FILE + 1);
    if (!p) {
        fclose(f);
        return SH_ENOMEM;
    }
    size_t n = fread(p, 1, ASSETS_MAX_FILE + 1, f);
    int rc = ferror(f) ? SH_EIO : n > ASSETS_MAX_FILE ? SH_ELIMIT : SH_OK;
    fclose(f);
    if (rc) {
        free(p);
        return rc;
    }
    char *shrunk = realloc(p, n ? n : 1);
    *data = shrunk ? shrunk : p;
    *len = n;
    return SH_OK;
}

/* The cached file for rel, loading it on first use. Call with the lock held. */
static int lookup_locked(const char *rel, const cached_file **out)
{
    for (size_t i = 0; i < cache.n; i++)
        if (strcmp(cache.files[i].path, rel) == 0) {
            *out = &cache.files[i];
            return SH_OK;
        }
    if (cache.n == ASSETS_MAX_FILES)
        return SH_ELIMIT;
    char path[ASSETS_PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", cache.root, rel);
    cached_file f = {.path = strdup(rel), .type = content_type(rel)};
    if (!f.path)
        return SH_ENOMEM;
    int rc = read_file(path, &f.data, &f.len);
    if (rc) {
        free(f.path);
        return rc;
    }
    cache.files[cache.n] = f;
    *out = &cache.files[cache.n++];
    return SH_OK;
}

static int not_found(web_response *res, int rc)
{
    res->status = 404;
    res->content_type = "text/plain; charset=utf-8";
    buf_reset(&res->body);
    buf_puts(&res->body, "Not found\n");
    return rc;
}

int assets_serve(web_request *req, web_response *res)
{
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        res->status = 405;
        res->content_type = "text/plain; charset=utf-8";
        buf_puts(&res->body, "Method not allowed\n");
        return SH_EINVAL;
    }
    char rel[ASSETS_PATH_MAX];
    int rc = resolve(req->path, rel, sizeof rel);
    if (rc)
        return not_found(res, rc);
    pthread_once(&cache.once, init_root);
    const cached_file *f = NULL;
    pthread_mutex_lock(&cache.lock);
    rc = lookup_locked(rel, &f);
    pthread_mutex_unlock(&cache.lock);
    if (rc)
        return not_found(res, rc);
    /* f's data never changes or moves once loaded, so it is read unlocked. */
    buf_reset(&res->body);
    rc = buf_append(&res->body, f->data, f->len);
    if (rc)
        return not_found(res, rc);
    res->status = 200;
    res->content_type = f->type;
    res->cache = "public, max-age=86400";
    return SH_OK;
}
