/*
 * filetype.h — what a file is, by its bytes: the one place sendhub decides
 * whether an uploaded file is a PDF, a Word or Excel document, a PNG or
 * JPEG image, or CSV text. Advice attachments (core/advice.h), a family's
 * files (core/portal.h) and evidence on an improvement plan's actions
 * (app/insp_evidence.h) all ask here.
 *
 * Why by content: a file's name and the type the browser declared are the
 * sender's to choose, so a program renamed "report.pdf" would pass a check
 * of either. Each test reads the format's own structure:
 *   - PDF: "%PDF-1." or "%PDF-2." at the start and "%%EOF" in the last
 *     1024 bytes (writers may add a line end or padding after the trailer);
 *     a PDF cut short in transfer has no trailer.
 *   - DOCX / XLSX: Office Open XML documents are ZIP archives. The ZIP's
 *     end-of-central-directory record is found in the last 64 KB + 22
 *     bytes, its central directory read (at most FILETYPE_ZIP_ENTRIES_MAX
 *     entries, every offset checked against the length) and the archive
 *     must name "[Content_Types].xml" and entries under "word/" (DOCX) or
 *     "xl/" (XLSX), not both. Any other ZIP is refused.
 *   - PNG: the 8-byte signature, then its IHDR chunk; JPEG: FF D8 FF.
 *   - CSV: text, which is all CSV is: valid UTF-8 (no overlong forms, no
 *     surrogates) with no NUL byte.
 *
 * Pure: no I/O, no allocation. Sizes are the callers' (each has its own
 * ceiling); every test here is bounded by the length it is given.
 */
#ifndef SH_CORE_FILETYPE_H
#define SH_CORE_FILETYPE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    FILETYPE_PDF,
    FILETYPE_DOCX,
    FILETYPE_XLSX,
    FILETYPE_PNG,
    FILETYPE_JPEG,
    FILETYPE_CSV,
    FILETYPE_COUNT
} filetype_kind;

#define FILETYPE_BIT(k) (1u << (k))
#define FILETYPE_ZIP_ENTRIES_MAX 4096 /* central directory entries read */
#define FILETYPE_FILENAME_MAX 100     /* bytes of a cleaned file name */

const char *filetype_name(filetype_kind k);  /* wire name: "pdf", "docx" ... */
int filetype_parse(const char *s);           /* -1 if unknown */
const char *filetype_mime(filetype_kind k);  /* "application/pdf"; octet-stream if unknown */
const char *filetype_label(filetype_kind k); /* "Word document (DOCX)" */
const char *filetype_ext(filetype_kind k);   /* ".docx" */

/* The format tests, each on data[0..len). */
bool filetype_pdf_head(const unsigned char *data, size_t len);     /* "%PDF-1." / "%PDF-2." */
bool filetype_pdf_complete(const unsigned char *data, size_t len); /* "%%EOF" near the end */
bool filetype_png(const unsigned char *data, size_t len);
bool filetype_jpeg(const unsigned char *data, size_t len);
bool filetype_zip(const unsigned char *data, size_t len); /* "PK\3\4" at the start */
/* FILETYPE_DOCX or FILETYPE_XLSX for an Office document, -1 for anything
 * else (not a ZIP, a damaged one, a ZIP of something else). */
int filetype_office(const unsigned char *data, size_t len);
bool filetype_text(const unsigned char *data, size_t len); /* UTF-8, no NUL, not empty */

/* What data is, among the kinds in `allowed` (FILETYPE_BIT(k) | ...): SH_OK
 * with *kind set, or SH_EINVAL with *why a static sentence for a person:
 * "The file is empty", "The PDF is incomplete or damaged ...", "The file is
 * a ZIP archive, not a Word (DOCX) or Excel (XLSX) document", or `refusal`
 * (the caller's "The file must be a PDF, ...") for anything else. Text is
 * tried last, so a file that is both (a PDF may be all ASCII) is what its
 * signature says. */
int filetype_check(const unsigned char *data, size_t len, unsigned allowed, const char *refusal,
                   filetype_kind *kind, const char **why);

/* A safe name to store and to send in Content-Disposition: the base name of
 * what the browser sent (any path dropped), [A-Za-z0-9 ._-] kept and
 * anything else turned into '_', no leading dot or space, its extension
 * replaced by the one its content calls for (filetype_ext), "attachment"
 * when nothing usable is left. For a kind out of range (FILETYPE_COUNT: a
 * file refused) the name keeps the extension it was sent with, to name the
 * file in the refusal as the person chose it. out holds
 * FILETYPE_FILENAME_MAX + 1 bytes. */
void filetype_filename_clean(const char *in, filetype_kind kind, char *out);

#endif
