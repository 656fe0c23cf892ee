/*
 * fuzz_form.c — libFuzzer target for HTML form bodies (web/form.h), the
 * parser every page POST and the server's CSRF check run on outside input.
 *
 * Beyond "no crash, no leak, no UB" it checks the contract: a refused body
 * leaves no fields; an accepted one has at most FORM_MAX_FIELDS fields, each
 * name non-empty and within FORM_MAX_NAME bytes, each value within
 * FORM_MAX_VALUE, both valid UTF-8 without control characters (values may
 * hold tab, CR, LF), and form_get returns the first value of a repeated
 * name. Every value then goes through html_fmt's %s, which must leave no
 * character that could start markup or end an attribute.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "web/form.h"
#include "web/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8 (RFC 3629) with no C0, DEL or C1 controls, except the ones
 * `allowed` lists: an independent check, not the parser's own code. */
static bool clean_text(const unsigned char *s, const char *allowed)
{
    while (*s) {
        uint32_t cp;
        size_t n;
        if (s[0] < 0x80)
            cp = s[0], n = 1;
        else if ((s[0] & 0xe0) == 0xc0)
            cp = s[0] & 0x1f, n = 2;
        else if ((s[0] & 0xf0) == 0xe0)
            cp = s[0] & 0x0f, n = 3;
        else if ((s[0] & 0xf8) == 0xf0)
            cp = s[0] & 0x07, n = 4;
        else
            return false;
        for (size_t i = 1; i < n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i] & 0x3f);
        }
        static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        if ((cp < 0x20 && !strchr(allowed, (int)cp)) || (cp >= 0x7f && cp <= 0x9f))
            return false;
        s += n;
    }
    return true;
}

static void check_field(const web_form *f, size_t i)
{
    const char *name = f->name[i], *value = f->value[i];
    if (!name || !value || !name[0] || strlen(name) > FORM_MAX_NAME ||
        strlen(value) > FORM_MAX_VALUE)
        abort();
    if (!clean_text((const unsigned char *)name, "") ||
        !clean_text((const unsigned char *)value, "\t\r\n"))
        abort();
    size_t first = 0;
    while (strcmp(f->name[first], name) != 0)
        first++;
    if (form_get(f, name) != f->value[first])
        abort();
    buf b;
    buf_init(&b, 8 * FORM_MAX_VALUE);
    if (html_fmt(&b, "<input value=\"%s\">", value) != SH_OK)
        abort();
    const char *inner = b.data + strlen("<input value=\"");
    size_t inner_len = b.len - strlen("<input value=\"\">");
    if (memchr(inner, '<', inner_len) || memchr(inner, '>', inner_len) ||
        memchr(inner, '"', inner_len) || memchr(inner, '\'', inner_len))
        abort();
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_create(16u << 20);
    if (!a)
        return 0;
    web_form f;
    int rc = form_parse((const char *)data, size, a, &f);
    if (rc != SH_OK) {
        if (f.n != 0 || (rc != SH_EINVAL && rc != SH_ELIMIT && rc != SH_ENOMEM))
            abort();
    } else {
        if (f.n > FORM_MAX_FIELDS)
            abort();
        for (size_t i = 0; i < f.n; i++)
            check_field(&f, i);
        /* the parser is pure: a second parse gives the same fields */
        web_form again;
        if (form_parse((const char *)data, size, a, &again) != SH_OK || again.n != f.n)
            abort();
        for (size_t i = 0; i < f.n; i++)
            if (strcmp(again.name[i], f.name[i]) || strcmp(again.value[i], f.value[i]))
                abort();
    }
    arena_destroy(a);
    return 0;
}
