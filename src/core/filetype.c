/*
 * filetype.c — what a file is by its bytes (filetype.h).
 */
#include "core/filetype.h"

#include <stdint.h>
#include <string.h>

#include "util/err.h"

static const struct {
    const char *name, *mime, *label, *ext;
} kinds[FILETYPE_COUNT] = {
    [FILETYPE_PDF] = {"pdf", "application/pdf", "PDF", ".pdf"},
    [FILETYPE_DOCX] = {"docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       "Word document (DOCX)", ".docx"},
    [FILETYPE_XLSX] = {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       "Excel spreadsheet (XLSX)", ".xlsx"},
    [FILETYPE_PNG] = {"png", "image/png", "PNG image", ".png"},
    [FILETYPE_JPEG] = {"jpeg", "image/jpeg", "JPEG image", ".jpg"},
    [FILETYPE_CSV] = {"csv", "text/csv; charset=utf-8", "CSV file", ".csv"},
};

static bool known(filetype_kind k)
{
    return k >= 0 && k < FILETYPE_COUNT;
}

const char *filetype_name(filetype_kind k)
{
    return known(k) ? kinds[k].name : "unknown";
}

int filetype_parse(const char *s)
{
    for (int k = 0; s && k < FILETYPE_COUNT; k++)
        if (strcmp(s, kinds[k].name) == 0)
            return k;
    return -1;
}

const char *filetype_mime(filetype_kind k)
{
    return known(k) ? kinds[k].mime : "application/octet-stream";
}

const char *filetype_label(filetype_kind k)
{
    return known(k) ? kinds[k].label : "File";
}

const char *filetype_ext(filetype_kind k)
{
    return known(k) ? kinds[k].ext : "";
}

/* ---- the format tests ---------------------------------------------------------- */

#define PDF_TRAILER_WINDOW 1024

bool filetype_pdf_head(const unsigned char *data, size_t len)
{
    return len >= 16 && (memcmp(data, "%PDF-1.", 7) == 0 || memcmp(data, "%PDF-2.", 7) == 0);
}

bool filetype_pdf_complete(const unsigned char *data, size_t len)
{
    if (len < 5)
        return false;
    size_t from = len > PDF_TRAILER_WINDOW ? len - PDF_TRAILER_WINDOW : 0;
    for (size_t i = len - 5 + 1; i-- > from;)
        if (memcmp(data + i, "%%EOF", 5) == 0)
            return true;
    return false;
}

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

bool filetype_png(const unsigned char *data, size_t len)
{
    /* the signature is followed by the header chunk: length 13, "IHDR" */
    return len >= 33 && memcmp(data, png_signature, sizeof png_signature) == 0 &&
           memcmp(data + 12, "IHDR", 4) == 0;
}

bool filetype_jpeg(const unsigned char *data, size_t len)
{
    /* the start-of-image marker and a second marker */
    return len >= 4 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff;
}

bool filetype_zip(const unsigned char *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\3\4", 4) == 0;
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

#define ZIP_EOCD_LEN 22
#define ZIP_CDH_LEN 46
#define ZIP_COMMENT_MAX 65535

/* The end-of-central-directory record: the last "PK\5\6" whose comment
 * length reaches exactly to the end (a signature inside the comment does
 * not). Its offset, or -1. */
static long zip_eocd(const unsigned char *data, size_t len)
{
    if (len < ZIP_EOCD_LEN)
        return -1;
    size_t last = len - ZIP_EOCD_LEN;
    size_t first = last > ZIP_COMMENT_MAX ? last - ZIP_COMMENT_MAX : 0;
    for (size_t i = last + 1; i-- > first;)
        if (memcmp(data + i, "PK\5\6", 4) == 0 && i + ZIP_EOCD_LEN + le16(data + i + 20) == len)
            return (long)i;
    return -1;
}

static bool name_is(const unsigned char *name, size_t n, const char *want)
{
    return n == strlen(want) && memcmp(name, want, n) == 0;
}

static bool name_under(const unsigned char *name, size_t n, const char *dir)
{
    size_t d = strlen(dir);
    return n > d && memcmp(name, dir, d) == 0;
}

int filetype_office(const unsigned char *data, size_t len)
{
    if (!filetype_zip(data, len))
        return -1;
    long eocd = zip_eocd(data, len);
    if (eocd < 0)
        return -1;
    const unsigned char *e = data + eocd;
    size_t entries = le16(e + 10), cd_size = le32(e + 12), cd_off = le32(e + 16);
    if (cd_off > (size_t)eocd || cd_size > (size_t)eocd - cd_off)
        return -1; /* the directory must lie before its end record */
    bool types = false, word = false, xl = false;
    size_t at = cd_off, end = cd_off + cd_size;
    for (size_t i = 0; i < entries && i < FILETYPE_ZIP_ENTRIES_MAX; i++) {
        if (end - at < ZIP_CDH_LEN || memcmp(data + at, "PK\1\2", 4) != 0)
            return -1;
        size_t n = le16(data + at + 28),
               rest = n + le16(data + at + 30) + le16(data + at + 32);
        if (end - at - ZIP_CDH_LEN < rest)
            return -1;
        const unsigned char *name = data + at + ZIP_CDH_LEN;
        types |= name_is(name, n, "[Content_Types].xml");
        word |= name_under(name, n, "word/");
        xl |= name_under(name, n, "xl/");
        at += ZIP_CDH_LEN + rest;
    }
    if (!types || word == xl)
        return -1; /* neither, or both: not a document we can name */
    return word ? FILETYPE_DOCX : FILETYPE_XLSX;
}

/* The length of the UTF-8 sequence at p (at most n bytes), 0 if invalid:
 * RFC 3629's table, so no overlong form, no surrogate, nothing past
 * U+10FFFF. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t k = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (k == 0 || k > n)
        return 0;
    unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return k;
}

bool filetype_text(const unsigned char *data, size_t len)
{
    for (size_t i = 0; i < len;) {
        if (data[i] == 0)
            return false;
        size_t k = utf8_seq(data + i, len - i);
        if (k == 0)
            return false;
        i += k;
    }
    return len > 0;
}

static bool allows(unsigned allowed, filetype_kind k)
{
    return (allowed & FILETYPE_BIT(k)) != 0;
}

int filetype_check(const unsigned char *data, size_t len, unsigned allowed, const char *refusal,
                   filetype_kind *kind, const char **why)
{
    if (len == 0) {
        *why = "The file is empty";
        return SH_EINVAL;
    }
    if (allows(allowed, FILETYPE_PDF) && filetype_pdf_head(data, len)) {
        *kind = FILETYPE_PDF;
        if (filetype_pdf_complete(data, len))
            return SH_OK;
        *why = "The PDF is incomplete or damaged: save it again and choose it again";
        return SH_EINVAL;
    }
    if (allows(allowed, FILETYPE_PNG) && filetype_png(data, len)) {
        *kind = FILETYPE_PNG;
        return SH_OK;
    }
    if (allows(allowed, FILETYPE_JPEG) && filetype_jpeg(data, len)) {
        *kind = FILETYPE_JPEG;
        return SH_OK;
    }
    if ((allows(allowed, FILETYPE_DOCX) || allows(allowed, FILETYPE_XLSX)) &&
        filetype_zip(data, len)) {
        int office = filetype_office(data, len);
        if (office >= 0 && allows(allowed, (filetype_kind)office)) {
            *kind = (filetype_kind)office;
            return SH_OK;
        }
        *why = "The file is a ZIP archive, not a Word (DOCX) or Excel (XLSX) document";
        return SH_EINVAL;
    }
    if (allows(allowed, FILETYPE_CSV) && filetype_text(data, len)) {
        *kind = FILETYPE_CSV;
        return SH_OK;
    }
    *why = refusal;
    return SH_EINVAL;
}

/* ---- names ------------------------------------------------------------------- */

static bool name_char_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == ' ' || c == '.' || c == '-' || c == '_';
}

void filetype_filename_clean(const char *in, filetype_kind kind, char *out)
{
    const char *ext = filetype_ext(kind); /* "" for a file of no known kind */
    const char *base = in ? in : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    const char *dot = ext[0] ? strrchr(base, '.') : NULL; /* the browser's extension goes */
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t cap = FILETYPE_FILENAME_MAX - strlen(ext), k = 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        unsigned char c = (unsigned char)base[i];
        if (k == 0 && (c == ' ' || c == '.'))
            continue; /* no leading dots (hidden files) or spaces */
        out[k++] = name_char_ok(c) ? (char)c : '_';
    }
    while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '.'))
        k--;
    if (k == 0) {
        memcpy(out, "attachment", sizeof "attachment" - 1);
        k = sizeof "attachment" - 1;
    }
    memcpy(out + k, ext, strlen(ext) + 1);
}
