/*
 * buf.h — a growable byte buffer with a hard maximum (after curl's dynbuf).
 *
 * Used for response bodies, request bodies and anything else whose size
 * depends on input. Appending past `max` fails with SH_ELIMIT and leaves the
 * buffer as it was, so a caller can still report the error. The buffer owns
 * its heap memory: buf_free() releases it. The data is always NUL-terminated
 * (the terminator is not counted in len).
 */
#ifndef SH_BUF_H
#define SH_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data;
    size_t len, cap, max;
} buf;

void buf_init(buf *b, size_t max);
void buf_free(buf *b);
void buf_reset(buf *b); /* len = 0, memory kept */

int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s with the five HTML-special characters escaped (& < > " '). */
int buf_put_html(buf *b, const char *s);

/* Appends an integer in decimal (what "%lld" / "%llu" would print). */
int buf_put_int(buf *b, long long v);
int buf_put_uint(buf *b, unsigned long long v);

/* Hands the heap block to the caller (who must free() it) and resets b. */
char *buf_steal(buf *b, size_t *len);

#endif
