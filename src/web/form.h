/*
 * form.h — application/x-www-form-urlencoded bodies (HTML form posts).
 *
 * Decodes the request body into at most FORM_MAX_FIELDS name/value pairs in
 * the request's arena (percent-decoding and '+' as space). Values must be
 * valid UTF-8 without control characters other than tab, CR and LF. A body
 * that breaks any of these rules is rejected as a whole (SH_EINVAL), never
 * partly used.
 */
#ifndef SH_WEB_FORM_H
#define SH_WEB_FORM_H

#include <stddef.h>

#include "util/arena.h"

#define FORM_MAX_FIELDS 100
#define FORM_MAX_VALUE 10000 /* bytes of one decoded value */

typedef struct {
    const char *name[FORM_MAX_FIELDS];
    const char *value[FORM_MAX_FIELDS];
    size_t n;
} web_form;

int form_parse(const char *body, size_t len, arena *a, web_form *out);

/* The first value of a field, or NULL. */
const char *form_get(const web_form *f, const char *name);

#endif
