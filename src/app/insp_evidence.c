/*
 * insp_evidence.c — evidence documents on the plan's actions
 * (insp_evidence.h): validation, authorisation, audited writes.
 */
#include "app/insp_evidence.h"

#include "app/access.h"
#include "core/filetype.h"
#include "store/store_inspection.h"
#include "util/err.h"

#define DOC_KINDS                                                                          \
    (FILETYPE_BIT(FILETYPE_PDF) | FILETYPE_BIT(FILETYPE_DOCX) | FILETYPE_BIT(FILETYPE_XLSX) | \
     FILETYPE_BIT(FILETYPE_PNG) | FILETYPE_BIT(FILETYPE_JPEG) | FILETYPE_BIT(FILETYPE_CSV))

static int deny(const app_identity *who, app_error *err, const char *what)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot %s.",
                    access_role_label((app_role)who->role), what);
}

static const char *username(const app_identity *who)
{
    return who->username && who->username[0] ? who->username : "system";
}

/* The file: present, within the ceiling, one of the kinds by its bytes.
 * Sets *kind. A refusal names the file as it was sent. */
static int check_file(const app_insp_upload *f, filetype_kind *kind, app_error *err)
{
    if (!f || (f->len == 0 && (!f->filename || !f->filename[0])))
        return app_fail(err, SH_EINVAL, "file", "Choose the document to upload");
    char name[FILETYPE_FILENAME_MAX + 1];
    filetype_filename_clean(f->filename, FILETYPE_COUNT, name);
    if (f->len > STORE_INSP_DOC_MAX || (!f->data && f->len > 0)) /* too large to keep */
        return app_fail(err, SH_EINVAL, "file", "%s: The file must be smaller than %u MB", name,
                        STORE_INSP_DOC_MAX >> 20);
    const char *why = NULL;
    if (filetype_check(f->data, f->len, DOC_KINDS, "The file must be " INSP_DOC_KINDS_TEXT,
                       kind, &why))
        return app_fail(err, SH_EINVAL, "file", "%s: %s", name, why);
    return SH_OK;
}

static int check_doc(const store_insp_doc *d, date_t today, app_error *err)
{
    int rc = app_check_text("title", "what the document is", d->title, STORE_INSP_DOC_TITLE_MAX,
                            false, false, err);
    if (rc)
        return rc;
    if (d->evidence_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "evidence_on", "Enter the date of the evidence.");
    if (d->evidence_on > today)
        return app_fail(err, SH_EINVAL, "evidence_on",
                        "The date of the evidence must be today or in the past.");
    return SH_OK;
}

/* The action, when it is inspection_id's (inside the caller's reads). */
static int action_of(store *s, const app_identity *who, int64_t inspection_id,
                     int64_t action_id, arena *a)
{
    store_action act;
    int rc = store_action_get(s, who->la_code, action_id, a, &act);
    return rc ? rc : act.inspection_id == inspection_id ? SH_OK : SH_ENOTFOUND;
}

int app_insp_doc_add(store *s, const app_identity *who, int64_t inspection_id, store_insp_doc *d,
                     const app_insp_upload *file, date_t today, int64_t now, arena *a,
                     app_error *err)
{
    if (!access_can(who, CAN_RECORD_INSPECTIONS))
        return deny(who, err, "add evidence to improvement plans");
    filetype_kind kind = FILETYPE_PDF;
    int rc = check_doc(d, today, err);
    if (rc == SH_OK)
        rc = check_file(file, &kind, err);
    if (rc)
        return rc;
    char *name = arena_alloc(a, FILETYPE_FILENAME_MAX + 1);
    if (!name)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    filetype_filename_clean(file->filename, kind, name);
    d->filename = name;
    d->kind = filetype_name(kind);
    d->size = file->len;
    d->content = file->data;
    d->uploaded_by = username(who);
    d->created_at = now;
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The database");
    int64_t n = 0;
    rc = action_of(s, who, inspection_id, d->action_id, a);
    if (rc == SH_OK)
        rc = store_insp_doc_total(s, who->la_code, d->action_id, &n);
    if (rc)
        rc = app_store_failure(rc, err, "The action");
    else if (n >= STORE_INSP_DOCS_MAX)
        rc = app_fail(err, SH_EINVAL, "file", "An action can have at most %d documents.",
                      STORE_INSP_DOCS_MAX);
    else if ((rc = store_insp_doc_insert(s, who->la_code, d)))
        rc = app_store_failure(rc, err, "The document");
    else
        rc = app_audit_write(s, who, "insp_document", d->id, 0,
                             arena_printf(a, "evidence on action %lld: %s, %zu bytes",
                                          (long long)d->action_id, d->kind, d->size),
                             err);
    return app_finish_tx(s, rc, err);
}

int app_insp_docs(store *s, const app_identity *who, int64_t action_id, arena *a,
                  store_insp_doc **out, size_t *n, app_error *err)
{
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    int rc = store_insp_doc_list(s, who->la_code, action_id, a, out, n);
    return rc ? app_store_failure(rc, err, "The documents") : SH_OK;
}

int app_insp_doc_counts(store *s, const app_identity *who, int64_t inspection_id, arena *a,
                        store_insp_doc_count **out, size_t *n, app_error *err)
{
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    int rc = store_insp_doc_counts(s, who->la_code, inspection_id, a, out, n);
    return rc ? app_store_failure(rc, err, "The documents") : SH_OK;
}

int app_insp_doc_get(store *s, const app_identity *who, int64_t inspection_id,
                     int64_t action_id, int64_t doc_id, arena *a, store_insp_doc *out,
                     app_error *err)
{
    if (!access_can(who, CAN_SEE_INSPECTIONS))
        return deny(who, err, "see inspections");
    int rc = store_insp_doc_get(s, who->la_code, doc_id, a, out);
    if (rc == SH_OK && out->action_id != action_id)
        rc = SH_ENOTFOUND;
    if (rc == SH_OK)
        rc = action_of(s, who, inspection_id, action_id, a);
    return rc ? app_store_failure(rc, err, "The document") : SH_OK;
}

int app_insp_doc_withdraw(store *s, const app_identity *who, int64_t inspection_id,
                          int64_t action_id, int64_t doc_id, const char *reason, int64_t now,
                          arena *a, app_error *err)
{
    if (!access_can(who, CAN_RECORD_INSPECTIONS))
        return deny(who, err, "withdraw evidence from improvement plans");
    int rc = app_check_text("reason", "why the document is withdrawn", reason,
                            STORE_INSP_DOC_REASON_MAX, false, true, err);
    if (rc)
        return rc;
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The database");
    store_insp_doc d;
    rc = store_insp_doc_get(s, who->la_code, doc_id, a, &d);
    if (rc == SH_OK && d.action_id != action_id)
        rc = SH_ENOTFOUND;
    if (rc == SH_OK)
        rc = action_of(s, who, inspection_id, action_id, a);
    if (rc)
        rc = app_store_failure(rc, err, "The document");
    else if (d.withdrawn_at)
        rc = app_fail(err, SH_ECONFLICT, NULL, "This document has already been withdrawn.");
    else if ((rc = store_insp_doc_withdraw(s, who->la_code, doc_id, username(who), reason, now)))
        rc = app_store_failure(rc, err, "The document");
    else
        rc = app_audit_write(s, who, "insp_document", doc_id, 0,
                             arena_printf(a, "withdrew evidence on action %lld",
                                          (long long)action_id),
                             err);
    return app_finish_tx(s, rc, err);
}
