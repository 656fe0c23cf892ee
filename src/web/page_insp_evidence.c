/*
 * page_insp_evidence.c — evidence documents on an improvement plan's
 * actions (issue 9): the list on the action's page, the count of each
 * action's documents on the progress page, and the pages that upload,
 * download and withdraw a document.
 *
 *   GET  /inspections/{id}/actions/{id}/documents/new            the upload form
 *   POST /inspections/{id}/actions/{id}/documents                upload (multipart)
 *   GET  /inspections/{id}/actions/{id}/documents/{id}           download
 *   GET  /inspections/{id}/actions/{id}/documents/{id}/withdraw  the withdrawal form
 *   POST /inspections/{id}/actions/{id}/documents/{id}/withdraw  withdraw, with a reason
 *
 * Access is decided in app/insp_evidence.h and app/access.h; this file reads
 * forms and renders. Every download is audited (uploads and withdrawals are
 * audited with their write), and so is a refusal. Files are sent as
 * downloads only (Content-Disposition: attachment; the server adds
 * X-Content-Type-Options: nosniff to every response), with the type their
 * content showed when they were stored.
 */
#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "app/insp_evidence.h"
#include "app/inspection.h"
#include "core/filetype.h"
#include "util/err.h"
#include "web/multipart.h"
#include "web/pages.h"

/* "/inspections/3/actions/7" for the action in req->params[0..1]. */
static const char *action_href(web_request *req)
{
    return arena_printf(req->a, "/inspections/%lld/actions/%lld", (long long)req->params[0],
                        (long long)req->params[1]);
}

/* "PDF, 12 KB" */
static const char *doc_about(web_request *req, const store_insp_doc *d)
{
    int k = filetype_parse(d->kind);
    return arena_printf(req->a, "%s, %zu KB",
                        filetype_label(k < 0 ? FILETYPE_COUNT : (filetype_kind)k),
                        (d->size + 1023) / 1024);
}

/* ---- on the action's page ------------------------------------------------------------- */

static int doc_item(web_request *req, buf *b, const store_action *a, const store_insp_doc *d,
                    bool manage)
{
    const char *href = arena_printf(req->a, "/inspections/%lld/actions/%lld/documents/%lld",
                                    (long long)a->inspection_id, (long long)a->id,
                                    (long long)d->id);
    int rc = html_fmt(b, "<div class=\"govuk-summary-card\">\n<div class=\"govuk-summary-card__"
                         "title-wrapper\"><h3 class=\"govuk-summary-card__title\">%s%r</h3>",
                      d->title,
                      d->withdrawn_at ? " <strong class=\"govuk-tag govuk-tag--grey\">Withdrawn"
                                        "</strong>"
                                      : "");
    if (rc == SH_OK && manage && !d->withdrawn_at)
        rc = html_fmt(b, "<ul class=\"govuk-summary-card__actions\"><li class=\"govuk-summary-"
                         "card__action\"><a class=\"govuk-link\" href=\"%s/withdraw\">Withdraw"
                         "<span class=\"govuk-visually-hidden\"> %s</span></a></li></ul>",
                      href, d->title);
    if (rc == SH_OK)
        rc = html_fmt(b, "</div>\n<div class=\"govuk-summary-card__content\">\n"
                         "<dl class=\"govuk-summary-list\">\n"
                         "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__"
                         "key\">File</dt><dd class=\"govuk-summary-list__value\"><a class=\"govuk-"
                         "link\" href=\"%s\" download>%s</a> (%s)</dd></div>\n"
                         "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__"
                         "key\">Evidence dated</dt><dd class=\"govuk-summary-list__value\">%D</dd>"
                         "</div>\n<div class=\"govuk-summary-list__row\"><dt class=\"govuk-"
                         "summary-list__key\">Added</dt><dd class=\"govuk-summary-list__value\">"
                         "%D by %s</dd></div>\n",
                      href, d->filename, doc_about(req, d), d->evidence_on,
                      (date_t)(d->created_at / 86400), d->uploaded_by);
    if (rc == SH_OK && d->withdrawn_at)
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-"
                         "list__key\">Withdrawn</dt><dd class=\"govuk-summary-list__value\">%D by "
                         "%s: <span class=\"sendhub-pre-line\">%s</span></dd></div>\n",
                      (date_t)(d->withdrawn_at / 86400), d->withdrawn_by, d->withdrawn_reason);
    return rc ? rc : html_fmt(b, "</dl>\n</div>\n</div>\n");
}

int pages_insp_evidence(web_request *req, buf *b, const store_action *a)
{
    store_insp_doc *docs;
    size_t n;
    app_error err = {0};
    if (app_insp_docs(req->db, &req->who, a->id, req->a, &docs, &n, &err))
        return err.rc;
    bool manage = access_can(&req->who, CAN_RECORD_INSPECTIONS);
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"documents\">Evidence documents</h2>\n");
    if (rc == SH_OK && n == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No document yet.</p>\n");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = doc_item(req, b, a, &docs[i], manage);
    if (rc == SH_OK && manage)
        rc = html_fmt(b, "<p class=\"govuk-body\"><a class=\"govuk-button govuk-button--secondary\" "
                         "data-module=\"govuk-button\" role=\"button\" draggable=\"false\" "
                         "href=\"/inspections/%lld/actions/%lld/documents/new\">Add a document"
                         "</a></p>\n",
                      (long long)a->inspection_id, (long long)a->id);
    return rc;
}

/* ---- on the progress page ------------------------------------------------------------ */

int pages_insp_evidence_counts(web_request *req, buf *b, const app_inspection_view *v)
{
    if (v->n_actions == 0)
        return SH_OK;
    store_insp_doc_count *c;
    size_t n;
    app_error err = {0};
    if (app_insp_doc_counts(req->db_read, &req->who, v->i.id, req->a, &c, &n, &err))
        return err.rc;
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Evidence "
                         "documents by action\" tabindex=\"0\"><table class=\"govuk-table\" "
                         "id=\"evidence-counts\">\n<caption class=\"govuk-table__caption "
                         "govuk-table__caption--m\">Evidence documents by action</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                         "<th scope=\"col\" class=\"govuk-table__header\">Action</th>"
                         "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--"
                         "numeric\">Documents</th><th scope=\"col\" class=\"govuk-table__header "
                         "govuk-table__header--numeric\">Withdrawn</th></tr></thead>\n"
                         "<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < v->n_actions; i++) {
        const store_action *a = &v->actions[i];
        size_t current = 0, withdrawn = 0;
        for (size_t k = 0; k < n; k++)
            if (c[k].action_id == a->id) {
                current = c[k].current;
                withdrawn = c[k].withdrawn;
            }
        rc = html_fmt(b, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a "
                         "class=\"govuk-link\" href=\"/inspections/%lld/actions/%lld#documents\">"
                         "%s</a></td><td class=\"govuk-table__cell govuk-table__cell--numeric\">"
                         "%zu</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">%zu"
                         "</td></tr>\n",
                      (long long)v->i.id, (long long)a->id, a->title, current, withdrawn);
    }
    return rc ? rc : html_fmt(b, "</tbody>\n</table></div>\n");
}

/* ---- the forms ------------------------------------------------------------------------ */

/* The action in req->params[1] of the inspection in params[0], for a page
 * that changes its evidence: CAN_RECORD_INSPECTIONS, else 403. Renders the
 * error page and returns the rc on failure. */
static int load_action(web_request *req, web_response *res, store_action *a)
{
    if (!access_can(&req->who, CAN_RECORD_INSPECTIONS))
        return pages_fail(req, res, SH_EDENIED);
    store_action_update *ups;
    size_t n;
    app_error err = {0};
    if (app_action_get(req->db, &req->who, req->params[1], req->a, a, &ups, &n, &err))
        return pages_fail(req, res, err.rc);
    return a->inspection_id == req->params[0] ? SH_OK : pages_fail(req, res, SH_ENOTFOUND);
}

/* The file input, GOV.UK style, with its error. */
static int file_input(buf *b, const pages_errors *errs)
{
    const char *err = pages_errors_for(errs, "file");
    int rc = html_fmt(b, "<div class=\"govuk-form-group%r\">\n"
                         "<label class=\"govuk-label govuk-label--s\" for=\"file\">Document</label>\n"
                         "<div id=\"file-hint\" class=\"govuk-hint\">A PDF, Word (DOCX), Excel "
                         "(XLSX), PNG, JPEG or CSV file, up to %d MB</div>\n",
                      err ? " govuk-form-group--error" : "", (int)(STORE_INSP_DOC_MAX >> 20));
    if (rc == SH_OK && err)
        rc = html_fmt(b, "<p id=\"file-error\" class=\"govuk-error-message\">"
                         "<span class=\"govuk-visually-hidden\">Error:</span> %s</p>\n", err);
    if (rc == SH_OK)
        rc = html_fmt(b, "<input class=\"govuk-file-upload%r\" id=\"file\" name=\"file\" "
                         "type=\"file\" accept=\".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.csv\" "
                         "aria-describedby=\"file-hint%r\">\n</div>\n",
                      err ? " govuk-file-upload--error" : "", err ? " file-error" : "");
    return rc;
}

static int render_new(web_request *req, web_response *res, const store_action *a, int status,
                      const web_form *values, const pages_errors *errs)
{
    html_page pg = {.title = "Add an evidence document", .nav = "inspections",
                    .back_href = arena_printf(req->a, "%s#documents", action_href(req)),
                    .has_errors = errs->n > 0};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &pg);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\">For the action <strong>%s</strong>. Everyone "
                         "who can see the improvement plan can see and download it, including "
                         "inspectors and the parent carer forum: do not upload anything that "
                         "names a child or family.</p>\n<form method=\"post\" action=\"%s/"
                         "documents\" enctype=\"multipart/form-data\" novalidate>\n",
                      a->title, action_href(req));
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "title", .label = "What the document is",
                                                .hint = "For example \"Minutes of the SEND "
                                                        "board, March\"",
                                                .value = form_get(values, "title")},
                         errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "evidence_on", "Date of the evidence",
                              "The date of the meeting, report or figures it shows", values, errs);
    if (rc == SH_OK)
        rc = file_input(b, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Upload the document</button>\n</form>\n");
    return pages_end(req, res, rc);
}

int page_insp_doc_new_form(web_request *req, web_response *res)
{
    store_action a;
    int rc = load_action(req, res, &a);
    if (rc)
        return rc;
    web_form values = {0};
    pages_date_set(&values, req->a, "evidence_on", req->today);
    pages_errors errs = {0};
    return render_new(req, res, &a, 200, &values, &errs);
}

/* The file field of the form (NULL when the form came without one). */
static int read_file(web_request *req, app_insp_upload *up, bool *found)
{
    *found = false;
    if (!web_is_multipart(req))
        return SH_OK;
    const web_multipart *m;
    int rc = web_multipart_get(req, &m);
    for (size_t i = 0; rc == SH_OK && i < m->n_files && !*found; i++)
        if (strcmp(m->files[i].name, "file") == 0) {
            *up = (app_insp_upload){.filename = m->files[i].filename, .data = m->files[i].data,
                                    .len = m->files[i].len};
            *found = true;
        }
    return rc;
}

/* An app_error's field as the form's id (a date under its day box). */
static const char *error_field(const char *field)
{
    return !field ? "file" : strcmp(field, "evidence_on") == 0 ? "evidence_on-day" : field;
}

int page_insp_doc_add(web_request *req, web_response *res)
{
    store_action a;
    int rc = load_action(req, res, &a);
    if (rc)
        return rc;
    web_form f;
    app_insp_upload up = {0};
    bool found;
    if ((rc = pages_form(req, &f)) || (rc = read_file(req, &up, &found)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    store_insp_doc d = {.action_id = a.id, .title = pages_trim(req->a, form_get(&f, "title"))};
    pages_date_read(&f, "evidence_on", "the date of the evidence", true, req->a, &d.evidence_on,
                    &errs);
    if (!d.title[0])
        pages_errors_add(&errs, "title", "Enter what the document is");
    if (!found || (up.len == 0 && (!up.filename || !up.filename[0])))
        pages_errors_add(&errs, "file", "Choose the document to upload");
    app_error err = {0};
    if (errs.n == 0 &&
        app_insp_doc_add(req->db, &req->who, a.inspection_id, &d, &up, req->today, req->recorded_at,
                         req->a, &err) &&
        !pages_refused(req, &err, error_field(err.field), &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n)
        return render_new(req, res, &a, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "%s?recorded=document#documents",
                                            action_href(req)));
}

/* ---- a document: download and withdraw ---------------------------------------------- */

/* Document params[2] of the action and inspection in the path, for a
 * download or the withdrawal form. A refusal is audited. */
static int load_doc(web_request *req, web_response *res, store_insp_doc *d)
{
    app_error err = {0};
    if (app_insp_doc_get(req->db, &req->who, req->params[0], req->params[1], req->params[2],
                         req->a, d, &err) == SH_OK)
        return SH_OK;
    if (err.rc != SH_EDENIED && err.rc != SH_ENOTFOUND)
        return pages_fail(req, res, err.rc);
    int arc = pages_audit(req, "denied", "insp_document", req->params[2], 0, "evidence document");
    return pages_fail(req, res, arc ? arc : err.rc);
}

int page_insp_doc_file(web_request *req, web_response *res)
{
    store_insp_doc d;
    int rc = load_doc(req, res, &d);
    if (rc)
        return rc;
    if ((rc = pages_audit(req, "read", "insp_document", d.id, 0,
                          arena_printf(req->a, "evidence on action %lld (%s)",
                                       (long long)d.action_id, d.kind))))
        return pages_fail(req, res, rc);
    /* The stored name is cleaned to [A-Za-z0-9 ._-] (filetype_filename_clean),
     * so it needs no quoting beyond the quotes themselves. */
    int kind = filetype_parse(d.kind);
    res->status = 200;
    res->content_type = filetype_mime(kind < 0 ? FILETYPE_COUNT : (filetype_kind)kind);
    res->disposition = arena_printf(req->a, "attachment; filename=\"%s\"", d.filename);
    if (!res->disposition)
        return pages_fail(req, res, SH_ENOMEM);
    buf_reset(&res->body);
    rc = buf_append(&res->body, d.content, d.size);
    return rc ? pages_fail(req, res, rc) : SH_OK;
}

static int render_withdraw(web_request *req, web_response *res, const store_insp_doc *d,
                           int status, const web_form *values, const pages_errors *errs)
{
    html_page pg = {.title = "Withdraw a document", .nav = "inspections",
                    .back_href = arena_printf(req->a, "%s#documents", action_href(req)),
                    .has_errors = errs->n > 0};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &pg);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body\"><strong>%s</strong> (%s, %s).</p>\n"
                         "<p class=\"govuk-body\">A withdrawn document stays on the action, marked "
                         "withdrawn with your reason, so the plan's record stays whole. It can "
                         "still be downloaded.</p>\n<form method=\"post\" action=\"%s/documents/"
                         "%lld/withdraw\" novalidate>\n",
                      d->title, d->filename, doc_about(req, d), action_href(req),
                      (long long)d->id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_textarea(b, "reason", "Why it is withdrawn",
                            "For example, uploaded to the wrong action, or replaced by a later "
                            "version",
                            form_get(values, "reason"), 3, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button govuk-button--warning\" "
                         "data-module=\"govuk-button\">Withdraw the document</button>\n</form>\n");
    return pages_end(req, res, rc);
}

int page_insp_doc_withdraw_form(web_request *req, web_response *res)
{
    store_action a;
    store_insp_doc d;
    int rc = load_action(req, res, &a);
    if (rc == SH_OK)
        rc = load_doc(req, res, &d);
    if (rc)
        return rc;
    if (d.withdrawn_at)
        return pages_redirect(res, arena_printf(req->a, "%s#documents", action_href(req)));
    web_form values = {0};
    pages_errors errs = {0};
    return render_withdraw(req, res, &d, 200, &values, &errs);
}

int page_insp_doc_withdraw(web_request *req, web_response *res)
{
    store_action a;
    store_insp_doc d;
    int rc = load_action(req, res, &a);
    if (rc == SH_OK)
        rc = load_doc(req, res, &d);
    if (rc)
        return rc;
    web_form f;
    if ((rc = pages_form(req, &f)))
        return pages_fail(req, res, rc);
    const char *reason = pages_trim(req->a, form_get(&f, "reason"));
    pages_errors errs = {0};
    app_error err = {0};
    if (!reason[0])
        pages_errors_add(&errs, "reason", "Enter why the document is withdrawn");
    else if (app_insp_doc_withdraw(req->db, &req->who, a.inspection_id, a.id, d.id, reason,
                                   req->recorded_at, req->a, &err) &&
             !pages_refused(req, &err, "reason", &errs))
        return pages_fail(req, res, err.rc);
    if (errs.n)
        return render_withdraw(req, res, &d, 422, &f, &errs);
    return pages_redirect(res, arena_printf(req->a, "%s?recorded=withdrawn#documents",
                                            action_href(req)));
}
