/*
 * test_assets.c — web/assets: the allow-list, content types, caching and
 * refusals (contract: assets.h), against a throwaway asset root in /tmp
 * (SENDHUB_ASSETS), so the test does not depend on node_modules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/err.h"
#include "web/assets.h"

#define DIST "node_modules/govuk-frontend/dist/govuk"

static char root[64];

static void write_file(const char *rel, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void make_dirs(const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    mkdir(path, 0700);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/sendhub-assets-XXXXXX");
    assert_non_null(mkdtemp(root));
    make_dirs("assets");
    make_dirs(DIST "/assets/fonts");
    make_dirs(DIST "/assets/images");
    write_file("assets/sendhub.css", ".a{}", 4);
    write_file("assets/sendhub.js", "import x", 8);
    write_file(DIST "/govuk-frontend.min.css", "body{}", 6);
    write_file(DIST "/govuk-frontend.min.js", "export{}", 8);
    write_file(DIST "/govuk-frontend.min.css.map", "{}", 2);
    write_file(DIST "/index.scss", "$x: 1;", 6);
    write_file(DIST "/assets/fonts/bold-1-v2.woff2", "w2", 2);
    write_file(DIST "/assets/fonts/light-1-v2.woff", "w1", 2);
    write_file(DIST "/assets/fonts/.hidden.woff2", "h", 1);
    write_file(DIST "/assets/fonts/notes.txt", "t", 1);
    write_file(DIST "/assets/images/govuk-crest.svg", "<svg/>", 6);
    write_file(DIST "/assets/images/icon.png", "\x89PNG\0", 5);
    write_file(DIST "/assets/manifest.json", "{}", 2);
    write_file("secret.css", "secret", 6);
    setenv("SENDHUB_ASSETS", root, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

typedef struct {
    int rc, status;
    const char *type, *cache;
    char body[64];
    size_t len;
} result;

static result get(const char *method, const char *path)
{
    web_request req = {.method = method, .path = path};
    web_response res = {.status = 200};
    buf_init(&res.body, WEB_MAX_RESPONSE);
    result r = {0};
    r.rc = assets_serve(&req, &res);
    r.status = res.status;
    r.type = res.content_type;
    r.cache = res.cache;
    r.len = res.body.len;
    if (res.body.len < sizeof r.body)
        memcpy(r.body, res.body.data, res.body.len);
    buf_free(&res.body);
    return r;
}

static void served(const char *path, const char *type, const char *body, size_t len)
{
    result r = get("GET", path);
    assert_int_equal(r.rc, SH_OK);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.type, type);
    assert_string_equal(r.cache, "public, max-age=86400");
    assert_int_equal(r.len, len);
    assert_memory_equal(r.body, body, len);
}

static void not_found(const char *path)
{
    result r = get("GET", path);
    assert_int_equal(r.status, 404);
    assert_int_not_equal(r.rc, SH_OK);
    assert_null(r.cache); /* a 404 is not cached for a day */
}

static void test_allow_list_is_served(void **state)
{
    (void)state;
    served("/assets/sendhub.css", "text/css; charset=utf-8", ".a{}", 4);
    served("/assets/sendhub.js", "text/javascript; charset=utf-8", "import x", 8);
    served("/assets/govuk/govuk-frontend.min.css", "text/css; charset=utf-8", "body{}", 6);
    served("/assets/govuk/govuk-frontend.min.js", "text/javascript; charset=utf-8",
           "export{}", 8);
    served("/assets/govuk/assets/fonts/bold-1-v2.woff2", "font/woff2", "w2", 2);
    served("/assets/govuk/assets/fonts/light-1-v2.woff", "font/woff", "w1", 2);
    served("/assets/govuk/assets/images/govuk-crest.svg", "image/svg+xml", "<svg/>", 6);
    served("/assets/govuk/assets/images/icon.png", "image/png", "\x89PNG\0", 5);
}

/* GOV.UK's CSS refers to /assets/fonts/... and /assets/images/... */
static void test_paths_the_css_uses(void **state)
{
    (void)state;
    served("/assets/fonts/bold-1-v2.woff2", "font/woff2", "w2", 2);
    served("/assets/images/govuk-crest.svg", "image/svg+xml", "<svg/>", 6);
}

static void test_everything_else_is_404(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/assets/",
        "/assets/secret.css",
        "/assets/../secret.css",
        "/assets/fonts/../../../../secret.css",
        "/assets/govuk/../../secret.css",
        "/assets/fonts/..",
        "/assets/fonts/",
        "/assets/fonts/.hidden.woff2",
        "/assets/fonts/notes.txt",
        "/assets/fonts/sub/bold-1-v2.woff2",
        "/assets/fonts/bold-1-v2.woff2/",
        "/assets/fonts\\bold-1-v2.woff2",
        "/assets/fonts/bold\\1.woff2",
        "/assets/govuk/govuk-frontend.min.css.map",
        "/assets/govuk/index.scss",
        "/assets/govuk/assets/manifest.json",
        "/assets/sendhub.css/",
        "/assets/sendhub.css.bak",
        "/assets/SENDHUB.CSS",
        "/assets/fonts/missing.woff2",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        not_found(paths[i]);
}

static void test_only_get_and_head(void **state)
{
    (void)state;
    result r = get("POST", "/assets/sendhub.css");
    assert_int_equal(r.status, 405);
    assert_null(r.cache);
    r = get("HEAD", "/assets/sendhub.css");
    assert_int_equal(r.status, 200);
}

static void test_loaded_once(void **state)
{
    (void)state;
    served("/assets/sendhub.js", "text/javascript; charset=utf-8", "import x", 8);
    write_file("assets/sendhub.js", "changed!", 8);
    served("/assets/sendhub.js", "text/javascript; charset=utf-8", "import x", 8);
}

static void test_oversized_file_is_refused(void **state)
{
    (void)state;
    size_t n = ASSETS_MAX_FILE + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'x', n);
    write_file(DIST "/assets/images/big.svg", big, n);
    free(big);
    not_found("/assets/images/big.svg");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allow_list_is_served),
        cmocka_unit_test(test_paths_the_css_uses),
        cmocka_unit_test(test_everything_else_is_404),
        cmocka_unit_test(test_only_get_and_head),
        cmocka_unit_test(test_loaded_once),
        cmocka_unit_test(test_oversized_file_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
