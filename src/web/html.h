/*
 * html.h — server-rendered HTML with GOV.UK Frontend, escaped by construction.
 *
 * html_fmt() is the only way pages write markup. Every %s argument is
 * HTML-escaped; trusted markup (string literals, the output of other html_
 * functions) goes through %r. So a child's name, a free-text reason or a
 * query string can never become markup, whatever a page author forgets.
 *
 * Directives: %s escaped text (NULL prints nothing), %r raw trusted markup,
 * %d int, %ld long, %lld long long, %N a long long count grouped in threes
 * as GOV.UK writes numbers ("15,471"), %zu size_t, %D a date_t in long form
 * ("25 May 2026"; DATE_NONE prints nothing), %I a date_t as YYYY-MM-DD,
 * %% a percent sign. Any other directive is a programming error: SH_EINVAL.
 *
 * Pages work without JavaScript; the one script (assets/sendhub.js) only
 * initialises GOV.UK Frontend's enhancements. No inline script or style, so
 * the Content-Security-Policy can forbid both.
 */
#ifndef SH_WEB_HTML_H
#define SH_WEB_HTML_H

#include <stddef.h>

#include "app/app.h"
#include "util/buf.h"

int html_fmt(buf *b, const char *fmt, ...);

/* What the page frame needs to know. */
typedef struct {
    const char *title;           /* <title> "... - sendhub"; also the h1 unless no_h1 */
    const app_identity *who;     /* NULL: signed out (no navigation, no sign-out) */
    const char *csrf;            /* for the sign-out form */
    const char *nav;             /* active navigation item: "caseload", "requests",
                                    "advice", "online", "reviews", "team", "returns", "pathways",
                                    "dashboard", "inspections", "audit", "people",
                                    "portal"; NULL for none */
    const char *back_href;       /* a "Back" link above the content, or NULL */
    int has_errors;              /* prefixes the title with "Error: " (GOV.UK pattern) */
    int no_h1;                   /* the page writes its own heading */
} html_page;

/* The document head, GOV.UK header with service navigation for the person's
 * role, phase banner, and the opening of <main>. */
int html_page_begin(buf *b, const html_page *p);
/* Closes <main>, the footer and the document. */
int html_page_end(buf *b);

/* A GOV.UK error summary: each error links to its field's id ("#field"). */
typedef struct {
    const char *field;   /* the input's id/name */
    const char *message;
} html_field_error;

int html_error_summary(buf *b, const html_field_error *errors, size_t n);
/* The message for one field (GOV.UK "govuk-error-message", id "<field>-error"),
 * or "" when the field has no error: for use with %r inside a form group.
 * Written into `scratch` (reset first), so the pointer lasts until the next
 * call with the same scratch. */
const char *html_field_message(const html_field_error *errors, size_t n, const char *field,
                               buf *scratch);

/* A GOV.UK tag for a step status, by name: "overdue" -> "Overdue" (red),
 * "due_soon" -> "Due this week" (orange), "met" -> "Met" (green), "late" ->
 * "Late" (pink), "pending" -> "Pending" (grey); "" for anything else. */
const char *html_status_tag(const char *status);

#endif
