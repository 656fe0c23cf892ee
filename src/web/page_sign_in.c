/*
 * page_sign_in.c — signing in and out, and the start page.
 *
 * Sign-in is a plain form (username, password) posted to /sign-in; auth.h
 * checks it, slows and locks repeated failures and audits the outcome. On
 * success the session token goes to the browser as an HttpOnly, SameSite=Lax
 * cookie (Secure over TLS) and the person goes on to where they were going
 * (`next`, a local path only, so the form cannot be used to send people to
 * another site) or their start page.
 */
#include <stdio.h>
#include <string.h>

#include "app/auth.h"
#include "util/err.h"
#include "web/pages.h"

#define SESSION_COOKIE "sh_session"

/* A signed-in person with nothing in the staff application (a parent, who
 * belongs in the family portal) is refused here rather than sent to sign in,
 * which would send them back: no one is ever redirected round in a loop. */
static bool has_staff_home(const web_request *req)
{
    return strcmp(pages_home_for(&req->who), "/sign-in") != 0;
}

int page_home(web_request *req, web_response *res)
{
    if (req->auth == WEB_AUTH_NONE)
        return pages_redirect(res, "/sign-in");
    if (!has_staff_home(req))
        return pages_fail(req, res, SH_EDENIED);
    return pages_redirect(res, pages_home_for(&req->who));
}

/* A local path ("/cases/12") and nothing that could leave the site: not
 * "//host", not "/\host", no control characters. */
static bool local_path(const char *s)
{
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\' || strlen(s) > 2000)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x21 || *p == 0x7f || *p == '\\')
            return false;
    return true;
}

static int render(web_request *req, web_response *res, int status, const char *username,
                  const char *next, const pages_errors *errs)
{
    html_page p = {.title = "Sign in", .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    const char *signed_out = web_query(req, "signed_out");
    const char *joined = web_query(req, "joined");
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n"
                         "<div class=\"govuk-grid-column-two-thirds\">\n");
    if (rc == SH_OK && signed_out && errs->n == 0)
        rc = html_fmt(b, "<div class=\"govuk-notification-banner govuk-notification-banner--success\" "
                         "role=\"alert\" aria-labelledby=\"govuk-notification-banner-title\" "
                         "data-module=\"govuk-notification-banner\">\n"
                         "<div class=\"govuk-notification-banner__header\">"
                         "<h2 class=\"govuk-notification-banner__title\" "
                         "id=\"govuk-notification-banner-title\">Success</h2></div>\n"
                         "<div class=\"govuk-notification-banner__content\">"
                         "<p class=\"govuk-notification-banner__heading\">You have signed out"
                         "</p></div>\n</div>\n");
    if (rc == SH_OK && joined && !signed_out && errs->n == 0)
        rc = pages_success_banner(b, "Your account has been created. Sign in to see your "
                                     "child's journey.");
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">Sign in</h1>\n"
                         "<p class=\"govuk-body\">Sign in with the account your council or NHS "
                         "organisation gave you.</p>\n"
                         "<form method=\"post\" action=\"/sign-in\" novalidate>\n");
    if (rc == SH_OK) /* "" before sign-in; the session's when signing in again */
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK && next)
        rc = html_fmt(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">\n", next);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "username", .label = "Username",
                                             .value = username,
                                             .classes = "govuk-!-width-two-thirds",
                                             .autocomplete = "username",
                                             .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b,
                         &(pages_input_spec){.name = "password", .label = "Password",
                                             .type = "password",
                                             .classes = "govuk-!-width-two-thirds",
                                             .autocomplete = "current-password"},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Sign in</button>\n</form>\n"
                         "<p class=\"govuk-body\">If you have forgotten your password or your "
                         "account is locked, ask your system administrator.</p>\n"
                         "</div>\n</div>\n");
    return pages_end(req, res, rc);
}

int page_sign_in_form(web_request *req, web_response *res)
{
    if (req->auth == WEB_AUTH_SESSION && has_staff_home(req))
        return pages_redirect(res, pages_home_for(&req->who));
    const char *next = web_query(req, "next");
    pages_errors errs = {0};
    return render(req, res, 200, "", local_path(next) ? next : NULL, &errs);
}

static const char *session_cookie(web_request *req, const char *token, long max_age)
{
    return arena_printf(req->a, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; "
                                               "Max-Age=%ld%s",
                        token, max_age, req->secure_cookies ? "; Secure" : "");
}

int page_sign_in(web_request *req, web_response *res)
{
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    const char *username = pages_trim(req->a, form_get(&f, "username"));
    const char *password = form_get(&f, "password");
    const char *next = form_get(&f, "next");
    if (!local_path(next))
        next = NULL;
    pages_errors errs = {0};
    if (!username[0])
        pages_errors_add(&errs, "username", "Enter your username");
    if (!password || !password[0])
        pages_errors_add(&errs, "password", "Enter your password");
    if (errs.n)
        return render(req, res, 422, username, next, &errs);

    auth_session session;
    app_identity who = {0};
    app_error err = {0};
    rc = auth_sign_in(req->db, username, password, req->who.remote ? req->who.remote : "",
                      req->now, req->a, &session, &who, &err);
    if (rc == SH_EINVAL) {
        pages_errors_add(&errs, "username", "Enter a correct username and password");
    } else if (rc == SH_EDENIED) {
        /* Locked (or disabled): auth.c words it, as it knows for how long. */
        const char *msg = err.message[0] ? arena_strdup(req->a, err.message) : NULL;
        pages_errors_add(&errs, "username",
                         msg ? msg
                             : "You have tried to sign in too many times. Try again in 15 "
                               "minutes.");
    } else if (rc) {
        return pages_fail(req, res, rc);
    }
    if (errs.n)
        return render(req, res, 422, username, next, &errs);
    res->set_cookie = session_cookie(req, session.token, (long)(session.expires_at - req->now));
    return pages_redirect(res, next ? next : pages_home_for(&who));
}

int page_sign_out(web_request *req, web_response *res)
{
    int rc = auth_sign_out(req->db, &req->who, req->session, req->now);
    if (rc)
        return pages_fail(req, res, rc);
    res->set_cookie = session_cookie(req, "", 0);
    return pages_redirect(res, "/sign-in?signed_out=1");
}
