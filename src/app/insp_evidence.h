/*
 * insp_evidence.h — evidence documents on an improvement plan's actions
 * (issue 9: "updates over time, and evidence (documents, notes)"): the
 * report to the board, the minutes of a meeting, a spreadsheet of figures,
 * a photo of a poster, attached to the action they evidence.
 *
 * Who may do what (access.h): those who record inspections
 * (CAN_RECORD_INSPECTIONS: managers) upload and withdraw; everyone who may
 * see the plan (CAN_SEE_INSPECTIONS: managers, inspectors, the parent carer
 * forum) lists and downloads. What a file is comes from its bytes
 * (core/filetype.h): a PDF, a Word or Excel document, a PNG or JPEG image,
 * or CSV text, each at most STORE_INSP_DOC_MAX bytes. A document is never
 * deleted; withdrawing one keeps it in the list with who withdrew it and
 * why.
 *
 * Auditing: uploads and withdrawals are written in their transaction
 * (object "insp_document", the document's id); downloads are audited by the
 * page that sends the bytes (web/page_insp_evidence.c), as a family's files
 * are. Validation failures are SH_EINVAL with err->field naming the form
 * field ("title", "evidence_on", "file", "reason") and a GOV.UK-style
 * sentence; a refused file's sentence starts with its name ("setup.pdf: The
 * file must be ...").
 */
#ifndef SH_APP_INSP_EVIDENCE_H
#define SH_APP_INSP_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "store/store_insp_evidence.h"

/* The kinds a document may be, and what to say when it is none of them. */
#define INSP_DOC_KINDS_TEXT "a PDF, Word (DOCX), Excel (XLSX), PNG, JPEG or CSV file"

/* A file as uploaded: the name the browser sent (untrusted), the bytes
 * (NULL when the upload was too large to keep) and its length. */
typedef struct {
    const char *filename;
    const unsigned char *data;
    size_t len;
} app_insp_upload;

/* Adds d (action_id, title, evidence_on) with the file's bytes to action
 * d->action_id of inspection inspection_id: the title 1-200 characters on
 * one line, the evidence dated not after today, the file present and of an
 * allowed kind, at most STORE_INSP_DOCS_MAX documents on the action. Sets
 * d's id, filename (cleaned, from `a`), kind, size, uploaded_by and
 * created_at (`now`). An action of another inspection or area is
 * SH_ENOTFOUND. */
int app_insp_doc_add(store *s, const app_identity *who, int64_t inspection_id, store_insp_doc *d,
                     const app_insp_upload *file, date_t today, int64_t now, arena *a,
                     app_error *err);

/* An action's documents, oldest first, withdrawn ones included. */
int app_insp_docs(store *s, const app_identity *who, int64_t action_id, arena *a,
                  store_insp_doc **out, size_t *n, app_error *err);

/* The documents of each action of inspection_id's plan (the progress
 * page's counts). */
int app_insp_doc_counts(store *s, const app_identity *who, int64_t inspection_id, arena *a,
                        store_insp_doc_count **out, size_t *n, app_error *err);

/* Document doc_id with its bytes, when it is on action action_id of
 * inspection inspection_id (else SH_ENOTFOUND: a path that mixes plans
 * reaches nothing). */
int app_insp_doc_get(store *s, const app_identity *who, int64_t inspection_id,
                     int64_t action_id, int64_t doc_id, arena *a, store_insp_doc *out,
                     app_error *err);

/* Withdraws document doc_id of action action_id of inspection_id with its
 * reason (1-1000 characters, line breaks allowed), at `now`. A document
 * already withdrawn is SH_ECONFLICT. */
int app_insp_doc_withdraw(store *s, const app_identity *who, int64_t inspection_id,
                          int64_t action_id, int64_t doc_id, const char *reason, int64_t now,
                          arena *a, app_error *err);

#endif
