/*
 * form.c — application/x-www-form-urlencoded decoding (the WHATWG URL
 * standard's form parser, made strict).
 *
 * Strict because a form body is outside input: a malformed percent-escape,
 * bytes that are not UTF-8 or control characters mean the body did not come
 * from one of our forms, and guessing what was meant would only hide that.
 * Pure and allocation-bounded (decoded text is never longer than the body),
 * so the server can parse a body for its CSRF check and a handler again.
 */
#include "web/form.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/err.h"

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..len) into out ('+' is a space). Returns the decoded
 * length, or -1 for a '%' not followed by two hex digits. */
static long percent_decode(const char *s, size_t len, unsigned char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '+') {
            out[n++] = ' ';
        } else if (c != '%') {
            out[n++] = c;
        } else {
            int hi = i + 2 < len ? hex_value((unsigned char)s[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value((unsigned char)s[i + 2]) : -1;
            if (lo < 0)
                return -1;
            out[n++] = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
    }
    return (long)n;
}

/* Length of the UTF-8 sequence starting at s (at most n bytes available) and
 * its code point, or 0 when it is not well formed: overlong forms, surrogates
 * and values past U+10FFFF are rejected (RFC 3629). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, v = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, v = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

/* Valid UTF-8 with no control characters (C0, DEL, C1); a value may carry
 * tab, CR and LF (a textarea), a name nothing of the kind. */
bool form_text_ok(const unsigned char *s, size_t n, bool is_value)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0)
            return false;
        bool whitespace = cp == '\t' || cp == '\r' || cp == '\n';
        if ((cp < 0x20 && !(is_value && whitespace)) || (cp >= 0x7f && cp <= 0x9f))
            return false;
        i += len;
    }
    return true;
}

/* Decodes one part (a name or a value) into the arena. */
static int decode_part(const char *s, size_t len, size_t max, bool is_value, arena *a,
                       const char **out)
{
    unsigned char *d = arena_alloc(a, len + 1);
    if (!d)
        return SH_ENOMEM;
    long n = percent_decode(s, len, d);
    if (n < 0)
        return SH_EINVAL;
    if ((size_t)n > max)
        return SH_ELIMIT;
    if (!form_text_ok(d, (size_t)n, is_value))
        return SH_EINVAL;
    d[n] = '\0';
    *out = (const char *)d;
    return SH_OK;
}

/* One "name=value" pair (a pair without '=' has the value ""). */
static int parse_pair(const char *s, size_t len, arena *a, web_form *out)
{
    const char *eq = memchr(s, '=', len);
    size_t name_len = eq ? (size_t)(eq - s) : len;
    if (name_len == 0)
        return SH_EINVAL;
    if (out->n == FORM_MAX_FIELDS)
        return SH_ELIMIT;
    const char *name, *value = "";
    int rc = decode_part(s, name_len, FORM_MAX_NAME, false, a, &name);
    if (rc == SH_OK && name[0] == '\0')
        rc = SH_EINVAL;
    if (rc == SH_OK && eq)
        rc = decode_part(eq + 1, len - name_len - 1, FORM_MAX_VALUE, true, a, &value);
    if (rc)
        return rc;
    out->name[out->n] = name;
    out->value[out->n] = value;
    out->n++;
    return SH_OK;
}

int form_parse(const char *body, size_t len, arena *a, web_form *out)
{
    out->n = 0;
    const char *p = body ? body : "";
    const char *end = p + (body ? len : 0);
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        size_t seg = amp ? (size_t)(amp - p) : (size_t)(end - p);
        if (seg) {
            int rc = parse_pair(p, seg, a, out);
            if (rc) {
                out->n = 0;
                return rc;
            }
        }
        p += seg + (amp ? 1 : 0);
    }
    return SH_OK;
}

const char *form_get(const web_form *f, const char *name)
{
    for (size_t i = 0; f && i < f->n; i++)
        if (strcmp(f->name[i], name) == 0)
            return f->value[i];
    return NULL;
}
