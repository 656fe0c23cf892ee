/*
 * html.c — the formatter every page writes with, and the parts every page
 * shares: the GOV.UK page frame, the error summary, field messages and tags.
 *
 * Markup follows GOV.UK Frontend 6.6.0 (node_modules/govuk-frontend/dist/
 * govuk/components/<name>/template.njk). The header is the generic header,
 * not the GOV.UK one: the crown and "GOV.UK" are for central government
 * services, and sendhub is run by councils.
 */
#include "web/html.h"

#include <stdarg.h>
#include <string.h>

#include "app/access.h"
#include "core/date.h"
#include "util/err.h"

/* ---- the formatter ------------------------------------------------------- */

/* A count as GOV.UK writes it, digits grouped in threes: 15,471. */
static int put_grouped(buf *b, long long v)
{
    /* the magnitude, computed unsigned so LLONG_MIN does not overflow;
     * its digits least significant first */
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char rev[24];
    int n = 0;
    do {
        rev[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    int rc = v < 0 ? buf_putc(b, '-') : SH_OK;
    for (int i = n - 1; rc == SH_OK && i >= 0; i--) {
        rc = buf_putc(b, rev[i]);
        if (rc == SH_OK && i > 0 && i % 3 == 0)
            rc = buf_putc(b, ',');
    }
    return rc;
}

/* One directive at *p (just after the '%'); advances *p past it. */
static int fmt_directive(buf *b, const char **p, va_list *ap)
{
    const char *d = *p;
    char num[32];
    if (d[0] == 's') {
        *p = d + 1;
        const char *s = va_arg(*ap, const char *);
        return s ? buf_put_html(b, s) : SH_OK;
    }
    if (d[0] == 'r') {
        *p = d + 1;
        const char *s = va_arg(*ap, const char *);
        return s ? buf_puts(b, s) : SH_OK;
    }
    if (d[0] == 'd') {
        *p = d + 1;
        return buf_put_int(b, va_arg(*ap, int));
    }
    if (d[0] == 'l' && d[1] == 'd') {
        *p = d + 2;
        return buf_put_int(b, va_arg(*ap, long));
    }
    if (d[0] == 'l' && d[1] == 'l' && d[2] == 'd') {
        *p = d + 3;
        return buf_put_int(b, va_arg(*ap, long long));
    }
    if (d[0] == 'N') {
        *p = d + 1;
        return put_grouped(b, va_arg(*ap, long long));
    }
    if (d[0] == 'z' && d[1] == 'u') {
        *p = d + 2;
        return buf_put_uint(b, va_arg(*ap, size_t));
    }
    if (d[0] == 'D' || d[0] == 'I') {
        *p = d + 1;
        date_t v = (date_t)va_arg(*ap, int); /* date_t is int32_t: promoted to int */
        if (v == DATE_NONE)
            return SH_OK;
        if (d[0] == 'D')
            date_format_long(v, num, sizeof num);
        else
            date_format(v, num);
        return buf_puts(b, num); /* digits, letters and spaces: nothing to escape */
    }
    if (d[0] == '%') {
        *p = d + 1;
        return buf_putc(b, '%');
    }
    return SH_EINVAL;
}

/* On any failure the buffer is put back as it was, so a half-written element
 * never reaches a page. */
int html_fmt(buf *b, const char *fmt, ...)
{
    size_t start = b->len;
    va_list ap;
    va_start(ap, fmt);
    int rc = SH_OK;
    const char *p = fmt;
    while (*p && rc == SH_OK) {
        const char *pct = strchr(p, '%');
        size_t run = pct ? (size_t)(pct - p) : strlen(p);
        rc = buf_append(b, p, run);
        p += run;
        if (rc == SH_OK && *p == '%') {
            p++;
            rc = fmt_directive(b, &p, &ap);
        }
    }
    va_end(ap);
    if (rc) {
        b->len = start;
        if (b->data)
            b->data[start] = '\0';
    }
    return rc;
}

/* ---- the page frame ------------------------------------------------------- */

/* The service navigation, in the order a person meets the work. */
static const struct {
    const char *key, *href, *text;
    int cap; /* access_capability needed */
} nav_items[] = {
    {"caseload", "/caseload", "My caseload", CAN_READ_CASES},
    {"advice", "/advice", "Advice", CAN_READ_CASES},
    {"requests", "/requests/new", "Start a request", CAN_WRITE_CASES},
    {"online", "/requests/online", "Requests from families", CAN_HANDLE_ONLINE_REQUESTS},
    {"reviews", "/reviews", "Reviews", CAN_SEE_REVIEWS},
    {"team", "/team", "Team", CAN_SEE_TEAM},
    {"returns", "/returns/sen2", "SEN2 return", CAN_SEE_RETURNS},
    {"pathways", "/pathways", "Health pathways", CAN_SEE_PATHWAY_STATS},
    {"dashboard", "/dashboard", "Performance", CAN_SEE_DASHBOARD},
    {"inspections", "/inspections", "Inspections", CAN_SEE_INSPECTIONS},
    {"audit", "/audit", "Audit log", CAN_SEE_AUDIT},
    {"people", "/people", "People", CAN_MANAGE_PEOPLE},
    {"portal", "/portal", "Your children", CAN_USE_PORTAL},
};

static int nav_item(buf *b, const char *href, const char *text, int active)
{
    if (!active)
        return html_fmt(b,
                        "<li class=\"govuk-service-navigation__item\">"
                        "<a class=\"govuk-service-navigation__link\" href=\"%s\">%s</a></li>\n",
                        href, text);
    return html_fmt(b,
                    "<li class=\"govuk-service-navigation__item "
                    "govuk-service-navigation__item--active\">"
                    "<a class=\"govuk-service-navigation__link\" href=\"%s\" "
                    "aria-current=\"page\"><strong "
                    "class=\"govuk-service-navigation__active-fallback\">%s</strong></a></li>\n",
                    href, text);
}

/* Service navigation with the person's name, role and a sign-out button in
 * the end slot. Signing out is a POST with the CSRF token (a link would let
 * any page sign people out). */
static int service_navigation(buf *b, const html_page *p)
{
    int rc = html_fmt(b, "<section aria-label=\"Service information\" "
                         "class=\"govuk-service-navigation\" "
                         "data-module=\"govuk-service-navigation\">\n"
                         "<div class=\"govuk-width-container "
                         "govuk-service-navigation__inlining-container\">\n"
                         "<div class=\"govuk-service-navigation__container\">\n"
                         "<nav aria-label=\"Menu\" class=\"govuk-service-navigation__wrapper\">\n"
                         "<button type=\"button\" class=\"govuk-service-navigation__toggle "
                         "govuk-js-service-navigation-toggle\" aria-controls=\"navigation\" "
                         "hidden aria-hidden=\"true\">Menu</button>\n"
                         "<ul class=\"govuk-service-navigation__list\" id=\"navigation\">\n");
    for (size_t i = 0; rc == SH_OK && i < sizeof nav_items / sizeof nav_items[0]; i++)
        if (access_can(p->who, (access_capability)nav_items[i].cap))
            rc = nav_item(b, nav_items[i].href, nav_items[i].text,
                          p->nav && strcmp(p->nav, nav_items[i].key) == 0);
    if (rc == SH_OK)
        rc = html_fmt(b,
                      "</ul>\n</nav>\n</div>\n"
                      "<div class=\"sendhub-account\">\n"
                      "<p class=\"govuk-body-s sendhub-account__name\">"
                      "<span class=\"govuk-visually-hidden\">Signed in as </span>"
                      "<strong>%s</strong> <span class=\"sendhub-account__role\">%s</span></p>\n"
                      "<form method=\"post\" action=\"/sign-out\" class=\"sendhub-account__form\" "
                      "novalidate>\n"
                      "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
                      "<button type=\"submit\" class=\"govuk-button govuk-button--secondary "
                      "sendhub-account__button\" data-module=\"govuk-button\">Sign out</button>\n"
                      "</form>\n</div>\n</div>\n</section>\n",
                      p->who->username, access_role_label((app_role)p->who->role),
                      p->csrf ? p->csrf : "");
    return rc;
}

int html_page_begin(buf *b, const html_page *p)
{
    int rc = html_fmt(
        b,
        "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template\">\n<head>\n"
        "<meta charset=\"utf-8\">\n<title>%r%s - sendhub</title>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, "
        "viewport-fit=cover\">\n<meta name=\"theme-color\" content=\"#0b0c0c\">\n"
        "<link rel=\"icon\" href=\"data:,\">\n"
        "<link rel=\"stylesheet\" href=\"/assets/govuk/govuk-frontend.min.css\">\n"
        "<link rel=\"stylesheet\" href=\"/assets/sendhub.css\">\n"
        "</head>\n<body class=\"govuk-template__body\">\n"
        "<a href=\"#main-content\" class=\"govuk-skip-link\" "
        "data-module=\"govuk-skip-link\">Skip to main content</a>\n"
        "<header class=\"govuk-template__header\">\n"
        "<div class=\"govuk-generic-header\">\n"
        "<div class=\"govuk-generic-header__container govuk-width-container\">\n"
        "<div class=\"govuk-generic-header__logo\">"
        "<a href=\"/\" class=\"govuk-generic-header__homepage-link\">sendhub</a>"
        "</div>\n</div>\n</div>\n",
        p->has_errors ? "Error: " : "", p->title);
    if (rc == SH_OK && p->who)
        rc = service_navigation(b, p);
    /* The phase banner sits in the header and the back link in <main>, so
     * every part of the page is inside a landmark. */
    if (rc == SH_OK)
        rc = html_fmt(b,
                      "<div class=\"govuk-phase-banner govuk-width-container\">\n"
                      "<p class=\"govuk-phase-banner__content\">"
                      "<strong class=\"govuk-tag govuk-phase-banner__content__tag\">Beta</strong>"
                      "<span class=\"govuk-phase-banner__text\">This is a new service. "
                      "Records here are confidential: share them only with people who need "
                      "them.</span></p>\n</div>\n"
                      "</header>\n<div class=\"govuk-width-container\">\n"
                      "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n");
    if (rc == SH_OK && p->back_href)
        rc = html_fmt(b, "<a href=\"%s\" class=\"govuk-back-link sendhub-back-link\">Back</a>\n",
                      p->back_href);
    if (rc == SH_OK && !p->no_h1)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">%s</h1>\n", p->title);
    return rc;
}

int html_page_end(buf *b)
{
    return html_fmt(b,
                    "</main>\n</div>\n"
                    "<footer class=\"govuk-footer\">\n<div class=\"govuk-width-container\">\n"
                    "<div class=\"govuk-footer__meta\">\n"
                    "<div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">\n"
                    "<p class=\"govuk-body-s\">sendhub: Education, Health and Care plans, "
                    "run by your council and local NHS.</p>\n"
                    "</div>\n</div>\n</div>\n</footer>\n"
                    "<script type=\"module\" src=\"/assets/sendhub.js\"></script>\n"
                    "</body>\n</html>\n");
}

/* ---- errors and tags -------------------------------------------------------- */

int html_error_summary(buf *b, const html_field_error *errors, size_t n)
{
    if (n == 0)
        return SH_OK;
    int rc = html_fmt(b, "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\">\n"
                         "<div role=\"alert\">\n"
                         "<h2 class=\"govuk-error-summary__title\">There is a problem</h2>\n"
                         "<div class=\"govuk-error-summary__body\">\n"
                         "<ul class=\"govuk-list govuk-error-summary__list\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        if (errors[i].field)
            rc = html_fmt(b, "<li><a href=\"#%s\">%s</a></li>\n", errors[i].field,
                          errors[i].message);
        else
            rc = html_fmt(b, "<li>%s</li>\n", errors[i].message);
    }
    return rc ? rc : html_fmt(b, "</ul>\n</div>\n</div>\n</div>\n");
}

/* The scratch buffer is reset on each call, so the returned pointer is good
 * until the next call with the same scratch (use one field at a time). */
const char *html_field_message(const html_field_error *errors, size_t n, const char *field,
                               buf *scratch)
{
    for (size_t i = 0; field && i < n; i++) {
        if (!errors[i].field || strcmp(errors[i].field, field) != 0)
            continue;
        buf_reset(scratch);
        if (html_fmt(scratch,
                     "<p id=\"%s-error\" class=\"govuk-error-message\">"
                     "<span class=\"govuk-visually-hidden\">Error:</span> %s</p>\n",
                     field, errors[i].message) != SH_OK || !scratch->data)
            return "";
        return scratch->data;
    }
    return "";
}

const char *html_status_tag(const char *status)
{
    static const struct {
        const char *status, *html;
    } tags[] = {
        {"overdue", "<strong class=\"govuk-tag govuk-tag--red\">Overdue</strong>"},
        {"due_soon", "<strong class=\"govuk-tag govuk-tag--orange\">Due this week</strong>"},
        {"met", "<strong class=\"govuk-tag govuk-tag--green\">Met</strong>"},
        {"late", "<strong class=\"govuk-tag govuk-tag--pink\">Late</strong>"},
        {"pending", "<strong class=\"govuk-tag govuk-tag--grey\">Pending</strong>"},
    };
    for (size_t i = 0; status && i < sizeof tags / sizeof tags[0]; i++)
        if (strcmp(status, tags[i].status) == 0)
            return tags[i].html;
    return "";
}
