/*
 * form.h — application/x-www-form-urlencoded bodies (HTML form posts).
 *
 * Decodes the request body into at most FORM_MAX_FIELDS name/value pairs in
 * the request's arena (percent-decoding and '+' as space). Names and values
 * must be valid UTF-8 without control characters (values may hold tab, CR
 * and LF; names not); names must not be empty; a pair without '=' has the
 * value "". Empty pairs ("a=1&&b=2") are skipped. A body that breaks any of
 * these rules is rejected as a whole, never partly used: SH_EINVAL for a bad
 * percent-escape, bad UTF-8, a control character or an empty name,
 * SH_ELIMIT for more than FORM_MAX_FIELDS pairs or a name or value past its
 * ceiling, SH_ENOMEM when the arena is full; out->n is 0 then.
 *
 * Pure (no request state), so the server can parse for its CSRF check and a
 * handler parse again.
 */
#ifndef SH_WEB_FORM_H
#define SH_WEB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#define FORM_MAX_FIELDS 100
#define FORM_MAX_VALUE 10000 /* bytes of one decoded value */
#define FORM_MAX_NAME 100    /* bytes of one decoded name */

typedef struct {
    const char *name[FORM_MAX_FIELDS];
    const char *value[FORM_MAX_FIELDS];
    size_t n;
} web_form;

int form_parse(const char *body, size_t len, arena *a, web_form *out);

/* Valid UTF-8 without control characters (C0, DEL, C1); a value may hold
 * tab, CR and LF, a name not. Shared with the multipart parser. */
bool form_text_ok(const unsigned char *s, size_t n, bool is_value);

/* The first value of a field, or NULL (a repeated name: the first wins). */
const char *form_get(const web_form *f, const char *name);

#endif
