/*
 * jsonw.h — a streaming JSON writer that appends straight into a `buf`.
 *
 * Responses are written field by field, in order, with no tree in between:
 * no allocation per value, no hashing of keys, no printf for numbers. The
 * writer keeps a small nesting stack (at most JSONW_MAX_DEPTH open objects
 * and arrays) and puts the commas and, in pretty mode, the newlines and
 * two-space indents itself (the layout of jansson's JSON_INDENT(2)).
 *
 * Strings and keys are escaped per RFC 8259: '"', '\\' and every control
 * character below 0x20 (as \b \f \n \r \t or \u00XX), plus U+2028 and U+2029
 * (legal JSON, but line terminators to JavaScript). Input must be valid
 * UTF-8: every string sendhub emits was validated on the way in or is a
 * static wire name; the writer does not re-check it.
 *
 * Errors are sticky: the first failure (SH_ELIMIT when the buffer's ceiling
 * is reached, SH_EINVAL for a misuse such as a value where a key is due, an
 * unbalanced end or nesting deeper than JSONW_MAX_DEPTH) is kept in w->rc,
 * every later call does nothing and returns it, and jsonw_finish reports
 * it. So a caller can write a whole document and check once. The buffer
 * then holds a partial document, which the caller discards.
 */
#ifndef SH_JSONW_H
#define SH_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define JSONW_MAX_DEPTH 16

typedef struct {
    buf *b;
    int rc;         /* first error, SH_OK until then */
    int depth;      /* open containers */
    bool pretty;
    bool started;   /* the top-level value has begun */
    bool after_key; /* a key was written: its value is due */
    bool empty[JSONW_MAX_DEPTH + 1];  /* no member written yet at this level */
    bool object[JSONW_MAX_DEPTH + 1]; /* the container at this level is an object */
} jsonw;

/* Records a failure of the caller's own (SH_ENOMEM building a value) as
 * the writer's sticky error, unless one is already recorded; returns w->rc. */
int jsonw_fail(jsonw *w, int rc);

/* Starts a document appended to b (whatever b already holds is kept). */
void jsonw_init(jsonw *w, buf *b, bool pretty);

/* Ends the document: SH_EINVAL if a container is still open or nothing was
 * written; in pretty mode a final newline is added. Returns w->rc. */
int jsonw_finish(jsonw *w);

int jsonw_object_begin(jsonw *w);
int jsonw_object_end(jsonw *w);
int jsonw_array_begin(jsonw *w);
int jsonw_array_end(jsonw *w);

/* An object member's name; the next call writes its value. */
int jsonw_key(jsonw *w, const char *key);

int jsonw_string(jsonw *w, const char *s);
int jsonw_stringn(jsonw *w, const char *s, size_t len);
int jsonw_int(jsonw *w, int64_t v);
int jsonw_bool(jsonw *w, bool v);
int jsonw_null(jsonw *w);
/* A string the caller knows needs no escaping (ISO dates, digits): copied
 * between quotes as it is. The dates of core/ are written this way by
 * journey_json_write_date (util/ sits below core/ and does not know them). */
int jsonw_plain(jsonw *w, const char *s, size_t len);
/* A decimal with one digit after the point from tenths: 201 -> 20.1,
 * -5 -> -0.5, 200 -> 20.0. */
int jsonw_tenths(jsonw *w, int64_t tenths);
/* s, or null when s is NULL or "". */
int jsonw_string_or_null(jsonw *w, const char *s);

/* key + value in one call, for the common member shapes. */
int jsonw_kv_string(jsonw *w, const char *key, const char *s);
int jsonw_kv_int(jsonw *w, const char *key, int64_t v);
int jsonw_kv_bool(jsonw *w, const char *key, bool v);
int jsonw_kv_null(jsonw *w, const char *key);
int jsonw_kv_string_or_null(jsonw *w, const char *key, const char *s);

#endif
