/*
 * multipart.h — multipart/form-data bodies (forms that upload files).
 *
 * The server reads a whole body (bounded by --max-upload for multipart,
 * --max-body otherwise) before routing; this parses it with libmicrohttpd's
 * post processor into ordinary fields (a web_form, so form_get and the CSRF
 * check work as for any form) and files. Field names and values follow
 * form.h's rules (UTF-8, no control characters, FORM_MAX_* ceilings). A file
 * part with an empty file name and no bytes (a file input left empty) is
 * not a file. Files are kept as bytes: their type is the caller's to check
 * by content, never by the part's Content-Type. A file part larger than
 * MULTIPART_FILE_MAX is not kept but still listed, with data NULL and len
 * its size, so the page can say which file was too large and keep what was
 * typed: callers refuse a file by its size before reading its data.
 *
 * SH_EINVAL for a body that is not well-formed multipart or breaks a rule,
 * SH_ELIMIT past a ceiling (fields, files, bytes of one file), SH_ENOMEM at
 * the arena's ceiling. Memory from the request's arena.
 */
#ifndef SH_WEB_MULTIPART_H
#define SH_WEB_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "web/form.h"
#include "web/http.h"

#define MULTIPART_FILES_MAX 8
#define MULTIPART_FILE_MAX (10u << 20) /* bytes of one file part; callers set their own */

typedef struct {
    const char *name;      /* the form field */
    const char *filename;  /* as the browser sent it (untrusted) */
    const unsigned char *data; /* NULL for a part over MULTIPART_FILE_MAX */
    size_t len;
} web_file;

typedef struct web_multipart {
    web_form fields;
    web_file files[MULTIPART_FILES_MAX];
    size_t n_files;
} web_multipart;

/* True when the request says its body is multipart/form-data. */
bool web_is_multipart(const web_request *req);

/* Parses the request's body once; later calls return the same result (the
 * server parses for the CSRF check, the handler again). */
int web_multipart_get(web_request *req, const web_multipart **out);

#endif
