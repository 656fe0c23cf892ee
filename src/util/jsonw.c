/*
 * jsonw.c — the streaming JSON writer (jsonw.h).
 *
 * Every call first checks the sticky error, then writes its separator
 * (comma, newline and indent as the container needs) and its text. Text goes
 * to the buffer in runs: a string is scanned once and copied between the
 * characters that need escaping, so a typical string is one buf_append.
 */
#include "util/jsonw.h"

#include <string.h>

#include "util/err.h"

#define JSONW_INT_MAX_LEN 20             /* "-9223372036854775808" */
#define JSONW_SEP_MAX (2 + 2 * JSONW_MAX_DEPTH) /* ",\n" and the deepest indent */
#define JSONW_DIRECT_MAX 1024              /* pieces up to this are written in place */

static const char spaces[2 * JSONW_MAX_DEPTH + 1] = "                                ";
static const char zeros[JSONW_DIRECT_MAX] = {0};

/* 1 for the bytes that may need an escape: controls, '"', '\\' and 0xE2
 * (the lead byte of U+2028/U+2029). */
static const unsigned char special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00-0x0f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10-0x1f */
    ['"'] = 1, ['\\'] = 1, [0xE2] = 1,
};

int jsonw_fail(jsonw *w, int rc)
{
    if (w->rc == SH_OK)
        w->rc = rc;
    return w->rc;
}

/* Appends and records the first failure. */
static int put(jsonw *w, const char *s, size_t n)
{
    if (w->rc == SH_OK)
        w->rc = buf_append(w->b, s, n);
    return w->rc;
}

/* Room for n (<= JSONW_DIRECT_MAX) more bytes at the end of the buffer, to
 * be written in place and then kept with commit(): a response is a few
 * hundred small pieces, and one bounds check and one copy per piece is what
 * makes the writer cheap. Grows the buffer through buf_append (so its
 * ceiling holds) by appending n zero bytes and taking them back. NULL, with
 * the error recorded, when the ceiling or memory runs out. */
static char *room(jsonw *w, size_t n)
{
    buf *b = w->b;
    if (w->rc)
        return NULL;
    if (!b->data || n >= b->cap - b->len || b->len + n > b->max) {
        if (put(w, zeros, n))
            return NULL;
        b->len -= n;
    }
    return b->data + b->len;
}

static void commit(jsonw *w, size_t n)
{
    w->b->len += n;
    w->b->data[w->b->len] = '\0';
}

/* What goes before a member of the innermost container: the comma after
 * the previous one, and in pretty mode a new line and the indent. */
static size_t member_sep(jsonw *w, char out[JSONW_SEP_MAX])
{
    size_t n = 0;
    if (!w->empty[w->depth])
        out[n++] = ',';
    w->empty[w->depth] = false;
    if (w->pretty) {
        out[n++] = '\n';
        memcpy(out + n, spaces, 2 * (size_t)w->depth);
        n += 2 * (size_t)w->depth;
    }
    return n;
}

/* Pretty mode: a new line indented to `depth` levels. */
static int newline(jsonw *w, int depth)
{
    if (!w->pretty)
        return w->rc;
    put(w, "\n", 1);
    return put(w, spaces, 2 * (size_t)depth);
}

/* Before any value: it must be the one top-level value, an array element,
 * or the value of the key just written. *n is set to the length of the
 * separator written to sep (only array elements have one). */
static int before_value(jsonw *w, char sep[JSONW_SEP_MAX], size_t *n)
{
    *n = 0;
    if (w->rc)
        return w->rc;
    if (w->after_key) {
        w->after_key = false;
        return SH_OK;
    }
    if (w->depth == 0) {
        if (w->started)
            return jsonw_fail(w, SH_EINVAL); /* a second top-level value */
        w->started = true;
        return SH_OK;
    }
    if (w->object[w->depth])
        return jsonw_fail(w, SH_EINVAL); /* a value where a key is due */
    *n = member_sep(w, sep);
    return SH_OK;
}

/* sep, then text: in place when it fits, else piece by piece. */
static int emit(jsonw *w, const char *sep, size_t n, const char *text, size_t len)
{
    char *p = n + len <= JSONW_DIRECT_MAX ? room(w, n + len) : NULL;
    if (!p) {
        put(w, sep, n);
        return put(w, text, len);
    }
    memcpy(p, sep, n);
    memcpy(p + n, text, len);
    commit(w, n + len);
    return SH_OK;
}

void jsonw_init(jsonw *w, buf *b, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->pretty = pretty;
}

int jsonw_finish(jsonw *w)
{
    if (w->depth != 0 || !w->started || w->after_key)
        return jsonw_fail(w, SH_EINVAL);
    if (w->pretty)
        put(w, "\n", 1);
    return w->rc;
}

static int open_container(jsonw *w, bool object)
{
    char sep[JSONW_SEP_MAX];
    size_t n;
    if (before_value(w, sep, &n))
        return w->rc;
    if (w->depth >= JSONW_MAX_DEPTH)
        return jsonw_fail(w, SH_EINVAL);
    emit(w, sep, n, object ? "{" : "[", 1);
    w->depth++;
    w->empty[w->depth] = true;
    w->object[w->depth] = object;
    return w->rc;
}

static int close_container(jsonw *w, bool object)
{
    if (w->rc)
        return w->rc;
    if (w->depth == 0 || w->object[w->depth] != object || w->after_key)
        return jsonw_fail(w, SH_EINVAL);
    w->depth--;
    if (!w->empty[w->depth + 1])
        newline(w, w->depth);
    return put(w, object ? "}" : "]", 1);
}

int jsonw_object_begin(jsonw *w) { return open_container(w, true); }
int jsonw_object_end(jsonw *w) { return close_container(w, true); }
int jsonw_array_begin(jsonw *w) { return open_container(w, false); }
int jsonw_array_end(jsonw *w) { return close_container(w, false); }

/* The escape for byte c (< 0x20, '"' or '\\') into out; its length. */
static size_t escape_byte(unsigned char c, char out[6])
{
    static const char hex[] = "0123456789abcdef";
    static const char short_form[0x20] = {
        ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
    };
    out[0] = '\\';
    if (c == '"' || c == '\\') {
        out[1] = (char)c;
        return 2;
    }
    if (short_form[c]) {
        out[1] = short_form[c];
        return 2;
    }
    memcpy(out + 1, "u00", 3);
    out[4] = hex[c >> 4];
    out[5] = hex[c & 0xf];
    return 6;
}

/* s[0..len) escaped, between quotes, piece by piece. U+2028 and U+2029
 * (E2 80 A8/A9) are written as \u2028 and \u2029. */
static int put_escaped(jsonw *w, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0;
    put(w, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        char esc[6];
        if (!special[c])
            continue;
        if (c == 0xE2) {
            if (i + 2 >= len || p[i + 1] != 0x80 || (p[i + 2] != 0xA8 && p[i + 2] != 0xA9))
                continue;
            put(w, s + run, i - run);
            put(w, p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
            i += 2;
            run = i + 1;
            continue;
        }
        put(w, s + run, i - run);
        put(w, esc, escape_byte(c, esc));
        run = i + 1;
    }
    put(w, s + run, len - run);
    return put(w, "\"", 1);
}

/* Whether any byte of x is a control character, '"', '\\' or 0xE2. The
 * classic zero-byte test, (v - 0x01..) & ~v & 0x80.., is exact about
 * whether some byte matches (it may mark extra bytes only beside a real
 * match), and (x - 0x20..) & ~x & 0x80.. likewise finds a byte below 0x20. */
static bool word_special(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t quote = x ^ (ones * '"'), slash = x ^ (ones * '\\'), e2 = x ^ (ones * 0xE2);
    uint64_t hits = ((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) |
                    ((slash - ones) & ~slash) | ((e2 - ones) & ~e2);
    return (hits & high) != 0;
}

/* Eight bytes at a time: this scan is most of the cost of a string. */
static bool needs_escape(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        if (word_special(x))
            return true;
    }
    for (; i < len; i++)
        if (special[p[i]])
            return true;
    return false;
}

/* sep, s quoted (escaped), then suffix. Nearly every string sendhub writes
 * is short and needs no escape: those go in place in one piece. */
static int emit_quoted(jsonw *w, const char *sep, size_t n, const char *s, size_t len,
                       const char *suffix, size_t suffix_len)
{
    size_t total = n + len + 2 + suffix_len;
    char *p = total <= JSONW_DIRECT_MAX && !needs_escape(s, len) ? room(w, total) : NULL;
    if (!p) {
        put(w, sep, n);
        put_escaped(w, s, len);
        return put(w, suffix, suffix_len);
    }
    memcpy(p, sep, n);
    p[n] = '"';
    memcpy(p + n + 1, s, len);
    p[n + 1 + len] = '"';
    memcpy(p + n + 2 + len, suffix, suffix_len);
    commit(w, total);
    return SH_OK;
}

int jsonw_key(jsonw *w, const char *key)
{
    if (w->rc)
        return w->rc;
    if (w->depth == 0 || !w->object[w->depth] || w->after_key)
        return jsonw_fail(w, SH_EINVAL);
    char sep[JSONW_SEP_MAX];
    size_t n = member_sep(w, sep);
    emit_quoted(w, sep, n, key, strlen(key), ": ", w->pretty ? 2 : 1);
    w->after_key = true;
    return w->rc;
}

int jsonw_stringn(jsonw *w, const char *s, size_t len)
{
    char sep[JSONW_SEP_MAX];
    size_t n;
    if (before_value(w, sep, &n))
        return w->rc;
    return emit_quoted(w, sep, n, s, len, "", 0);
}

int jsonw_string(jsonw *w, const char *s)
{
    return jsonw_stringn(w, s, strlen(s));
}

int jsonw_plain(jsonw *w, const char *s, size_t len)
{
    char sep[JSONW_SEP_MAX];
    size_t n;
    if (before_value(w, sep, &n))
        return w->rc;
    char *p = n + len + 2 <= JSONW_DIRECT_MAX ? room(w, n + len + 2) : NULL;
    if (!p) {
        put(w, sep, n);
        put(w, "\"", 1);
        put(w, s, len);
        return put(w, "\"", 1);
    }
    memcpy(p, sep, n);
    p[n] = '"';
    memcpy(p + n + 1, s, len);
    p[n + 1 + len] = '"';
    commit(w, n + len + 2);
    return SH_OK;
}

/* The decimal digits of v at the end of out; returns where they start. */
static char *digits(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

int jsonw_int(jsonw *w, int64_t v)
{
    char sep[JSONW_SEP_MAX];
    size_t n;
    if (before_value(w, sep, &n))
        return w->rc;
    char text[JSONW_INT_MAX_LEN];
    char *end = text + sizeof text;
    /* negated in unsigned arithmetic, so INT64_MIN is exact */
    char *p = digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, end);
    if (v < 0)
        *--p = '-';
    return emit(w, sep, n, p, (size_t)(end - p));
}

int jsonw_tenths(jsonw *w, int64_t tenths)
{
    char sep[JSONW_SEP_MAX];
    size_t n;
    if (before_value(w, sep, &n))
        return w->rc;
    uint64_t mag = tenths < 0 ? 0 - (uint64_t)tenths : (uint64_t)tenths;
    char text[JSONW_INT_MAX_LEN + 2];
    char *end = text + sizeof text;
    char *p = end;
    *--p = (char)('0' + mag % 10);
    *--p = '.';
    p = digits(mag / 10, p);
    if (tenths < 0)
        *--p = '-';
    return emit(w, sep, n, p, (size_t)(end - p));
}

int jsonw_bool(jsonw *w, bool v)
{
    char sep[JSONW_SEP_MAX];
    size_t n;
    if (before_value(w, sep, &n))
        return w->rc;
    return v ? emit(w, sep, n, "true", 4) : emit(w, sep, n, "false", 5);
}

int jsonw_null(jsonw *w)
{
    char sep[JSONW_SEP_MAX];
    size_t n;
    if (before_value(w, sep, &n))
        return w->rc;
    return emit(w, sep, n, "null", 4);
}

int jsonw_string_or_null(jsonw *w, const char *s)
{
    return s && *s ? jsonw_string(w, s) : jsonw_null(w);
}

int jsonw_kv_string(jsonw *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    return jsonw_string(w, s);
}

int jsonw_kv_int(jsonw *w, const char *key, int64_t v)
{
    jsonw_key(w, key);
    return jsonw_int(w, v);
}

int jsonw_kv_bool(jsonw *w, const char *key, bool v)
{
    jsonw_key(w, key);
    return jsonw_bool(w, v);
}

int jsonw_kv_null(jsonw *w, const char *key)
{
    jsonw_key(w, key);
    return jsonw_null(w);
}

int jsonw_kv_string_or_null(jsonw *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    return jsonw_string_or_null(w, s);
}
