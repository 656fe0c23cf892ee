/*
 * page_portal_family.c — the family portal's second round (issue 7): a
 * family account adding another child with a code, the files a family
 * attached to their views (downloads, for the family who sent them and for
 * staff who may see the case), and, on the staff side of a child's record,
 * the family accounts that can see it, with "Remove access".
 *
 * Access is decided in app/portal.h and app/access.h; this file reads forms
 * and renders. Every download and every refusal is audited. Files are sent
 * as downloads only (Content-Disposition: attachment; the server adds
 * X-Content-Type-Options: nosniff to every response), with the type their
 * content showed when they were stored.
 */
#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/portal.h"
#include "util/err.h"
#include "web/pages.h"

/* ---- another child on the account: /portal/add-child ---------------------------- */

static int add_render(web_request *req, web_response *res, int status, const web_form *f,
                      const pages_errors *errs)
{
    html_page p = {.title = "Add another child", .nav = "portal", .has_errors = errs->n > 0,
                   .back_href = "/portal"};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">If your council sent you a code for another "
                         "child, such as a brother or sister, enter it here. The child is "
                         "added to this account, so you see all your children in one "
                         "place.</p>\n"
                         "<p class=\"govuk-body\">A code for a young person's own account "
                         "cannot be added here: the young person uses it to create their "
                         "own account.</p>\n"
                         "<form method=\"post\" action=\"/portal/add-child\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_portal_code_input(b, f, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Add child</button>\n</form>\n");
    return pages_end(req, res, rc);
}

int page_portal_add_child_form(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_USE_PORTAL))
        return pages_fail(req, res, SH_EDENIED);
    web_form f = {0};
    pages_form_set(&f, "code", web_query(req, "code"));
    pages_errors errs = {0};
    return add_render(req, res, 200, &f, &errs);
}

int page_portal_add_child(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_USE_PORTAL))
        return pages_fail(req, res, SH_EDENIED);
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    const char *code = pages_trim(req->a, form_get(&f, "code"));
    if (!code[0]) {
        pages_errors_add(&errs, "code", "Enter the code from your letter or email");
        return add_render(req, res, 422, &f, &errs);
    }
    store_portal_link link;
    app_error err = {0};
    rc = portal_add_child(req->db, &req->who, code, req->who.remote, req->now, req->a, &link,
                          &err);
    if ((rc == SH_EINVAL || rc == SH_EDENIED) && err.field) {
        pages_errors_add(&errs, "code", arena_strdup(req->a, err.message));
        return add_render(req, res, rc == SH_EDENIED ? 429 : 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a, "/portal?added=%lld",
                                            (long long)link.child_id));
}

/* ---- files a family attached -------------------------------------------------------- */

/* Sends a stored file as a download, after auditing the read. The stored
 * name is cleaned to [A-Za-z0-9 ._-] (portal_filename_clean), so it needs no
 * quoting beyond the quotes. */
static int send_file(web_request *req, web_response *res, const store_portal_file *f,
                     int64_t child_id)
{
    int rc = pages_audit(req, "read", "attachment", f->id, child_id,
                         arena_printf(req->a, "family's file %lld (%s)", (long long)f->id,
                                      f->kind));
    if (rc)
        return pages_fail(req, res, rc);
    int kind = portal_file_kind_parse(f->kind);
    res->status = 200;
    res->content_type =
        portal_file_mime(kind < 0 ? PORTAL_FILE_KIND_COUNT : (portal_file_kind)kind);
    res->disposition = arena_printf(req->a, "attachment; filename=\"%s\"", f->filename);
    if (!res->disposition)
        return pages_fail(req, res, SH_ENOMEM);
    buf_reset(&res->body);
    rc = buf_append(&res->body, f->content, f->size);
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

/* A file not found for this person: the refusal audited, then 404 (a file
 * someone else sent, or of another child, is reported as missing). */
static int file_refused(web_request *req, web_response *res, int rc, int64_t child_id)
{
    if (rc != SH_ENOTFOUND && rc != SH_EDENIED)
        return pages_fail(req, res, rc);
    int arc = pages_audit(req, "denied", "attachment", req->params[1], child_id,
                          "family's file");
    return pages_fail(req, res, arc ? arc : SH_ENOTFOUND);
}

int page_portal_file(web_request *req, web_response *res)
{
    store_portal_link link;
    int rc = pages_portal_child_load(req, res, &link);
    if (rc)
        return rc;
    store_portal_file f;
    rc = portal_file_family(req->db, &req->who, &link, req->params[1], req->a, &f);
    return rc ? file_refused(req, res, rc, link.child_id) : send_file(req, res, &f, link.child_id);
}

int page_case_family_file(web_request *req, web_response *res)
{
    app_case_view v;
    int rc = pages_case_load(req, res, false, &v);
    if (rc)
        return rc;
    store_portal_file f;
    rc = portal_file_staff(req->db, &req->who, &v, req->params[1], req->a, &f);
    return rc ? file_refused(req, res, rc, v.c.child_id) : send_file(req, res, &f, v.c.child_id);
}

/* ---- who can see the child's record in the portal (staff) ------------------------------ */

static const char *rel_label(const char *wire)
{
    int r = portal_rel_parse(wire);
    return r < 0 ? "Family member" : portal_rel_label((portal_rel)r);
}

/* Access ended before, newest first, folded away: who, from when to when,
 * by whom and why. */
static int access_ended(buf *b, const store_family_access *x, size_t n)
{
    int rc = html_fmt(b, "<details class=\"govuk-details\">\n<summary class=\"govuk-details__"
                         "summary\"><span class=\"govuk-details__summary-text\">Access ended "
                         "before (%zu)</span></summary>\n<div class=\"govuk-details__text\">\n"
                         "<ul class=\"govuk-list\" id=\"access-ended\">\n",
                      n);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = html_fmt(b, "<li><strong>%s</strong> (%s), from %D to %D, ended by %s: "
                         "<span class=\"sendhub-prewrap\">%s</span></li>\n",
                      x[i].display_name, rel_label(x[i].relationship),
                      (date_t)(x[i].since / 86400), (date_t)(x[i].removed_at / 86400),
                      x[i].removed_by, x[i].reason);
    return rc ? rc : html_fmt(b, "</ul>\n</div>\n</details>\n");
}

int pages_family_access(web_request *req, buf *b, const app_case_view *v)
{
    if (!access_can(&req->who, CAN_INVITE_FAMILY))
        return SH_OK;
    store_family_access *linked, *removed;
    size_t n, n_removed;
    int rc = portal_family_access(req->db, &req->who, v, req->a, &linked, &n, &removed,
                                  &n_removed);
    if (rc || (n == 0 && n_removed == 0))
        return rc;
    rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"family-access\">Family portal access"
                     "</h2>\n");
    if (rc == SH_OK && web_query(req, "access_removed"))
        rc = pages_success_banner(b, "Access removed");
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No family account can see %s's record in the "
                         "portal.</p>\n",
                      v->child.forename);
    if (rc == SH_OK && n)
        rc = html_fmt(b, "<dl class=\"govuk-summary-list\" id=\"family-accounts\">\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\">\n"
                         "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                         "<dd class=\"govuk-summary-list__value\">%s, since %D</dd>\n"
                         "<dd class=\"govuk-summary-list__actions\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/family/%lld/remove\">Remove access"
                         "<span class=\"govuk-visually-hidden\"> for %s</span></a></dd>\n"
                         "</div>\n",
                      linked[i].display_name, rel_label(linked[i].relationship),
                      (date_t)(linked[i].since / 86400), (long long)v->c.id,
                      (long long)linked[i].user_id, linked[i].display_name);
    if (rc == SH_OK && n)
        rc = html_fmt(b, "</dl>\n");
    return rc == SH_OK && n_removed ? access_ended(b, removed, n_removed) : rc;
}

/* ---- removing access: /cases/{id}/family/{user}/remove -------------------------------- */

/* The case, for a person who may end a family's access, and the family
 * account in req->params[1] linked to its child now (404 otherwise). */
static int member_load(web_request *req, web_response *res, app_case_view *v,
                       store_family_access *out)
{
    int rc = pages_family_case_load(req, res, v, "family_access", "remove family access");
    if (rc)
        return rc;
    store_family_access *linked, *removed;
    size_t n, n_removed;
    rc = portal_family_access(req->db, &req->who, v, req->a, &linked, &n, &removed, &n_removed);
    if (rc)
        return pages_fail(req, res, rc);
    for (size_t i = 0; i < n; i++)
        if (linked[i].user_id == req->params[1]) {
            *out = linked[i];
            return SH_OK;
        }
    return pages_fail(req, res, SH_ENOTFOUND);
}

static int remove_render(web_request *req, web_response *res, const app_case_view *v,
                         const store_family_access *m, int status, const web_form *f,
                         const pages_errors *errs)
{
    int64_t open = 0;
    int rc = portal_open_invitations(req->db, &req->who, v, req->now, &open);
    if (rc)
        return pages_fail(req, res, rc);
    const char *title = arena_printf(req->a, "Remove %s's access to %s's record",
                                     m->display_name, v->child.forename);
    html_page p = {.title = title ? title : "Remove access", .nav = "caseload",
                   .has_errors = errs->n > 0,
                   .back_href = arena_printf(req->a, "/cases/%lld", (long long)v->c.id)};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">%s (%s, since %D) will no longer see %s's "
                         "journey, plan, messages or anything else about %s in the family "
                         "portal. Their account stays open for any other children on it. What "
                         "they sent before stays on the record.</p>\n"
                         "<form method=\"post\" action=\"/cases/%lld/family/%lld/remove\" "
                         "novalidate>\n",
                      m->display_name, rel_label(m->relationship), (date_t)(m->since / 86400),
                      v->child.forename, v->child.forename, (long long)v->c.id,
                      (long long)m->user_id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_textarea(b, "reason", "Why is their access ending?",
                            "For example: parental responsibility has changed, or the young "
                            "person asked that this parent no longer sees their record. It is "
                            "kept with the record and in the audit log. The family member is "
                            "not shown it.",
                            form_get(f, "reason"), 4, errs);
    if (rc == SH_OK && open > 0)
        rc = pages_checkbox(b, "revoke", "yes",
                            arena_printf(req->a,
                                         "Also withdraw the %lld unused invitation%s for %s, so "
                                         "a code already sent cannot give access again",
                                         (long long)open, open == 1 ? "" : "s",
                                         v->child.forename),
                            form_get(f, "revoke") != NULL);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button govuk-button--warning\" "
                         "data-module=\"govuk-button\">Remove access</button>\n"
                         "<a class=\"govuk-link\" href=\"/cases/%lld#family-access\">Cancel</a>\n"
                         "</div>\n</form>\n",
                      (long long)v->c.id);
    return pages_end(req, res, rc);
}

int page_family_remove_form(web_request *req, web_response *res)
{
    app_case_view v;
    store_family_access m;
    int rc = member_load(req, res, &v, &m);
    if (rc)
        return rc;
    web_form f = {0};
    pages_errors errs = {0};
    return remove_render(req, res, &v, &m, 200, &f, &errs);
}

int page_family_remove(web_request *req, web_response *res)
{
    app_case_view v;
    store_family_access m;
    int rc = member_load(req, res, &v, &m);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    int64_t revoked;
    app_error err = {0};
    rc = portal_remove_access(req->db, &req->who, &v, m.user_id,
                              pages_trim(req->a, form_get(&f, "reason")),
                              form_get(&f, "revoke") != NULL, req->now, &revoked, &err);
    if (rc == SH_EINVAL) {
        pages_errors errs = {0};
        pages_errors_add(&errs, err.field ? err.field : "reason",
                         arena_strdup(req->a, err.message));
        return remove_render(req, res, &v, &m, 422, &f, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a, "/cases/%lld?access_removed=1#family-access",
                                            (long long)v.c.id));
}
