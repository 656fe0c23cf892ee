#include "web/multipart.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/err.h"

#define POST_BUFFER (64u << 10) /* libmicrohttpd's working buffer for one parse */

/* The part being read: the iterator hands over each part in chunks, with
 * off == 0 at the start of a new one. */
typedef struct {
    web_request *req;
    web_multipart *out;
    buf value;            /* the current part's bytes (malloc'd, bounded) */
    const char *name, *filename;
    bool open;
    size_t dropped;       /* bytes of a file part past MULTIPART_FILE_MAX, not kept */
    int rc;
} parser;

static int finish_part(parser *p)
{
    if (!p->open)
        return SH_OK;
    p->open = false;
    if (p->dropped) { /* too large to keep: its size only, for the caller to refuse */
        if (p->out->n_files == MULTIPART_FILES_MAX)
            return SH_ELIMIT;
        p->out->files[p->out->n_files++] =
            (web_file){.name = p->name, .filename = p->filename, .data = NULL,
                       .len = p->value.len + p->dropped};
        p->dropped = 0;
        buf_reset(&p->value);
        return SH_OK;
    }
    arena *a = p->req->a;
    size_t len = p->value.len;
    unsigned char *copy = arena_alloc(a, len + 1);
    if (!copy)
        return SH_ENOMEM;
    if (len)
        memcpy(copy, p->value.data, len);
    copy[len] = '\0';
    buf_reset(&p->value);
    if (p->filename) {
        if (!p->filename[0] && len == 0)
            return SH_OK; /* a file input left empty */
        if (p->out->n_files == MULTIPART_FILES_MAX)
            return SH_ELIMIT;
        p->out->files[p->out->n_files++] =
            (web_file){.name = p->name, .filename = p->filename, .data = copy, .len = len};
        return SH_OK;
    }
    if (len > FORM_MAX_VALUE)
        return SH_ELIMIT;
    if (!form_text_ok(copy, len, true))
        return SH_EINVAL;
    web_form *f = &p->out->fields;
    if (f->n == FORM_MAX_FIELDS)
        return SH_ELIMIT;
    f->name[f->n] = p->name;
    f->value[f->n] = (const char *)copy;
    f->n++;
    return SH_OK;
}

static int start_part(parser *p, const char *key, const char *filename)
{
    int rc = finish_part(p);
    if (rc)
        return rc;
    size_t n = key ? strlen(key) : 0;
    if (n == 0 || n > FORM_MAX_NAME || !form_text_ok((const unsigned char *)key, n, false))
        return SH_EINVAL;
    p->name = arena_strdup(p->req->a, key);
    p->filename = filename ? arena_strdup(p->req->a, filename) : NULL;
    if (!p->name || (filename && !p->filename))
        return SH_ENOMEM;
    buf_free(&p->value);
    buf_init(&p->value, filename ? MULTIPART_FILE_MAX : FORM_MAX_VALUE);
    p->open = true;
    return SH_OK;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind, (void)content_type, (void)transfer_encoding;
    parser *p = cls;
    /* A new part starts at offset 0; libmicrohttpd may announce a part with
     * an empty first chunk and then give its bytes at offset 0 again. */
    bool same = p->open && p->value.len == 0 && key && strcmp(key, p->name) == 0 &&
                !filename == !p->filename;
    if (off == 0 && !same)
        p->rc = start_part(p, key, filename);
    if (p->rc != SH_OK || !size)
        return p->rc == SH_OK ? MHD_YES : MHD_NO;
    if (p->filename && (p->dropped || p->value.len + size > MULTIPART_FILE_MAX))
        p->dropped += size; /* a file too large: counted, so it can be refused by name */
    else if (buf_append(&p->value, data, size) != SH_OK)
        p->rc = SH_ELIMIT;
    return p->rc == SH_OK ? MHD_YES : MHD_NO;
}

bool web_is_multipart(const web_request *req)
{
    return req->content_type &&
           strncasecmp(req->content_type, "multipart/form-data", 19) == 0;
}

int web_multipart_get(web_request *req, const web_multipart **out)
{
    if (req->multipart) {
        *out = req->multipart;
        return SH_OK;
    }
    *out = NULL;
    if (!web_is_multipart(req))
        return SH_EINVAL;
    web_multipart *m = arena_calloc(req->a, 1, sizeof *m);
    if (!m)
        return SH_ENOMEM;
    parser p = {.req = req, .out = m};
    buf_init(&p.value, FORM_MAX_VALUE);
    struct MHD_PostProcessor *pp = MHD_create_post_processor(
        (struct MHD_Connection *)(uintptr_t)req->conn, POST_BUFFER, on_part, &p);
    if (!pp) {
        buf_free(&p.value);
        return SH_EINVAL; /* no boundary, or not a form */
    }
    enum MHD_Result ok = MHD_post_process(pp, req->body, req->body_len);
    if (MHD_destroy_post_processor(pp) != MHD_YES)
        ok = MHD_NO;
    if (p.rc == SH_OK)
        p.rc = ok == MHD_YES ? finish_part(&p) : SH_EINVAL;
    buf_free(&p.value);
    if (p.rc)
        return p.rc;
    req->multipart = m;
    *out = m;
    return SH_OK;
}
