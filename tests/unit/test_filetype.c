/*
 * test_filetype.c — what a file is by its bytes (core/filetype.h): each
 * kind good and bad, a renamed program, a PDF cut short, a ZIP that is not
 * an Office document, a damaged central directory, text that is not UTF-8,
 * and the names files are stored under. Synthetic bytes only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/filetype.h"
#include "util/err.h"

#define ALL                                                                                \
    (FILETYPE_BIT(FILETYPE_PDF) | FILETYPE_BIT(FILETYPE_DOCX) | FILETYPE_BIT(FILETYPE_XLSX) | \
     FILETYPE_BIT(FILETYPE_PNG) | FILETYPE_BIT(FILETYPE_JPEG) | FILETYPE_BIT(FILETYPE_CSV))
#define REFUSAL "The file must be one of ours"

static const char pdf_text[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
static const unsigned char png_head[40] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,
                                           13, 'I', 'H', 'D', 'R'};
static const unsigned char jpeg_head[8] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F'};

static void put16(unsigned char *p, size_t v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)(v >> 8 & 0xff);
}

static void put32(unsigned char *p, size_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

/* A ZIP of empty stored entries named `names` (n of them), as a writer
 * makes it: local headers, the central directory, its end record. Returns
 * the length written into out (cap bytes). */
static size_t zip(const char *const *names, size_t n, unsigned char *out, size_t cap)
{
    size_t at = 0, offsets[16];
    assert_true(n <= 16);
    memset(out, 0, cap);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        assert_true(at + 30 + len < cap);
        offsets[i] = at;
        memcpy(out + at, "PK\3\4", 4);
        put16(out + at + 26, len);
        memcpy(out + at + 30, names[i], len);
        at += 30 + len;
    }
    size_t cd = at;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        assert_true(at + 46 + len < cap);
        memcpy(out + at, "PK\1\2", 4);
        put16(out + at + 28, len);
        put32(out + at + 42, offsets[i]);
        memcpy(out + at + 46, names[i], len);
        at += 46 + len;
    }
    assert_true(at + 22 <= cap);
    memcpy(out + at, "PK\5\6", 4);
    put16(out + at + 8, n);
    put16(out + at + 10, n);
    put32(out + at + 12, at - cd);
    put32(out + at + 16, cd);
    return at + 22;
}

static int check(const void *data, size_t len, filetype_kind *k, const char **why)
{
    return filetype_check(data, len, ALL, REFUSAL, k, why);
}

static void test_pdf(void **state)
{
    (void)state;
    filetype_kind k = FILETYPE_COUNT;
    const char *why = NULL;
    assert_int_equal(check(pdf_text, sizeof pdf_text - 1, &k, &why), SH_OK);
    assert_int_equal(k, FILETYPE_PDF);
    /* cut short in transfer: no trailer */
    assert_int_equal(check(pdf_text, 30, &k, &why), SH_EINVAL);
    assert_non_null(strstr(why, "incomplete or damaged"));
    /* "%PDF-" then no version: not a PDF, and not text we accept either
     * once it holds a NUL */
    static const char fake[] = "%PDF-x\0\0\0\0\0\0\0\0\0\0%%EOF";
    assert_int_equal(check(fake, sizeof fake - 1, &k, &why), SH_EINVAL);
    assert_string_equal(why, REFUSAL);
    /* the trailer must be near the end: "%%EOF" within the last 1024
     * bytes, so 1018 bytes of padding after "%%EOF\n" is allowed, 1019 not */
    size_t len = sizeof pdf_text - 1 + 1019;
    unsigned char *b = calloc(1, len);
    assert_non_null(b);
    memcpy(b, pdf_text, sizeof pdf_text - 1);
    memset(b + sizeof pdf_text - 1, ' ', 1019);
    assert_false(filetype_pdf_complete(b, len));
    assert_true(filetype_pdf_complete(b, len - 1));
    free(b);
}

static void test_images(void **state)
{
    (void)state;
    filetype_kind k = FILETYPE_COUNT;
    const char *why = NULL;
    assert_int_equal(check(png_head, sizeof png_head, &k, &why), SH_OK);
    assert_int_equal(k, FILETYPE_PNG);
    assert_int_equal(check(jpeg_head, sizeof jpeg_head, &k, &why), SH_OK);
    assert_int_equal(k, FILETYPE_JPEG);
    /* the PNG signature without its header chunk; a GIF */
    unsigned char sig_only[40];
    memcpy(sig_only, png_head, sizeof sig_only);
    memcpy(sig_only + 12, "IEND", 4);
    assert_int_equal(check(sig_only, sizeof sig_only, &k, &why), SH_EINVAL);
    static const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0};
    assert_int_equal(check(gif, sizeof gif, &k, &why), SH_EINVAL);
    assert_string_equal(why, REFUSAL);
    /* only the kinds allowed: a PNG where only PDFs are taken */
    assert_int_equal(filetype_check(png_head, sizeof png_head, FILETYPE_BIT(FILETYPE_PDF),
                                    REFUSAL, &k, &why),
                     SH_EINVAL);
}

static void test_renamed_program(void **state)
{
    (void)state;
    filetype_kind k = FILETYPE_COUNT;
    const char *why = NULL;
    /* a Windows program (MZ, with the NULs every one has) and an ELF one:
     * whatever they are called, they are neither a document nor text */
    static const unsigned char exe[] = {'M', 'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff};
    assert_int_equal(check(exe, sizeof exe, &k, &why), SH_EINVAL);
    assert_string_equal(why, REFUSAL);
    static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    assert_int_equal(check(elf, sizeof elf, &k, &why), SH_EINVAL);
    assert_int_equal(check(exe, 0, &k, &why), SH_EINVAL);
    assert_string_equal(why, "The file is empty");
}

static void test_office(void **state)
{
    (void)state;
    unsigned char z[2048];
    filetype_kind k = FILETYPE_COUNT;
    const char *why = NULL;
    static const char *const docx[] = {"[Content_Types].xml", "_rels/.rels",
                                       "word/document.xml"};
    size_t n = zip(docx, 3, z, sizeof z);
    assert_int_equal(check(z, n, &k, &why), SH_OK);
    assert_int_equal(k, FILETYPE_DOCX);
    static const char *const xlsx[] = {"[Content_Types].xml", "xl/workbook.xml",
                                       "xl/worksheets/sheet1.xml"};
    n = zip(xlsx, 3, z, sizeof z);
    assert_int_equal(check(z, n, &k, &why), SH_OK);
    assert_int_equal(k, FILETYPE_XLSX);
    /* a ZIP of something else (photos), and one with the document but no
     * content types: not Office documents */
    static const char *const photos[] = {"holiday/1.jpg", "holiday/2.jpg"};
    n = zip(photos, 2, z, sizeof z);
    assert_int_equal(check(z, n, &k, &why), SH_EINVAL);
    assert_non_null(strstr(why, "ZIP archive"));
    assert_int_equal(filetype_office(z, n), -1);
    static const char *const bare[] = {"word/document.xml"};
    n = zip(bare, 1, z, sizeof z);
    assert_int_equal(filetype_office(z, n), -1);
    /* a name that only starts like the directory ("wordy.txt") is not in it */
    static const char *const wordy[] = {"[Content_Types].xml", "wordy.txt"};
    n = zip(wordy, 2, z, sizeof z);
    assert_int_equal(filetype_office(z, n), -1);
    /* damaged: the directory's offset past the end, a name running past
     * the directory, the end record cut off */
    n = zip(docx, 3, z, sizeof z);
    unsigned char bad[2048];
    memcpy(bad, z, n);
    put32(bad + n - 22 + 16, 0xfffffff0u);
    assert_int_equal(filetype_office(bad, n), -1);
    memcpy(bad, z, n);
    size_t cd = (size_t)bad[n - 22 + 16] | (size_t)bad[n - 22 + 17] << 8;
    put16(bad + cd + 28, 0xffff);
    assert_int_equal(filetype_office(bad, n), -1);
    assert_int_equal(filetype_office(z, n - 1), -1);
    /* only the ZIP signature */
    assert_int_equal(check("PK\3\4", 4, &k, &why), SH_EINVAL);
}

static void test_csv(void **state)
{
    (void)state;
    filetype_kind k = FILETYPE_COUNT;
    const char *why = NULL;
    static const char csv[] = "month,plans in 20 weeks\n2026-09,48.2\n2026-10,51.0\n";
    assert_int_equal(check(csv, sizeof csv - 1, &k, &why), SH_OK);
    assert_int_equal(k, FILETYPE_CSV);
    static const char accents[] = "\xef\xbb\xbfschool,Ysgol Gymraeg \xc3\xa2\n"; /* BOM, â */
    assert_int_equal(check(accents, sizeof accents - 1, &k, &why), SH_OK);
    /* a NUL, Latin-1, an overlong '/', a surrogate, a sequence cut short */
    static const char *const bad[] = {"a,b\0c", "caf\xe9", "\xc0\xaf", "\xed\xa0\x80",
                                      "ok \xe2\x82"};
    static const size_t len[] = {5, 4, 2, 3, 5};
    for (size_t i = 0; i < 5; i++) {
        assert_false(filetype_text((const unsigned char *)bad[i], len[i]));
        assert_int_equal(check(bad[i], len[i], &k, &why), SH_EINVAL);
    }
    assert_true(filetype_text((const unsigned char *)"\xf0\x9f\x98\x80", 4)); /* an emoji */
    assert_false(filetype_text((const unsigned char *)"\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static void test_names(void **state)
{
    (void)state;
    char out[FILETYPE_FILENAME_MAX + 1];
    filetype_filename_clean("C:\\Board\\Minutes (March).DOCX", FILETYPE_DOCX, out);
    assert_string_equal(out, "Minutes _March_.docx");
    filetype_filename_clean("figures.xls", FILETYPE_CSV, out);
    assert_string_equal(out, "figures.csv");
    filetype_filename_clean("\"; x=\".pdf", FILETYPE_PDF, out);
    assert_null(strchr(out, '"'));
    filetype_filename_clean("", FILETYPE_XLSX, out);
    assert_string_equal(out, "attachment.xlsx");
    /* a refused file keeps the extension it came with, to be named */
    filetype_filename_clean("../setup.exe", FILETYPE_COUNT, out);
    assert_string_equal(out, "setup.exe");
    char long_name[300];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    filetype_filename_clean(long_name, FILETYPE_XLSX, out);
    assert_int_equal(strlen(out), FILETYPE_FILENAME_MAX);
    assert_string_equal(out + FILETYPE_FILENAME_MAX - 5, ".xlsx");
    assert_string_equal(filetype_name(FILETYPE_XLSX), "xlsx");
    assert_int_equal(filetype_parse("docx"), FILETYPE_DOCX);
    assert_int_equal(filetype_parse("exe"), -1);
    assert_string_equal(filetype_mime(FILETYPE_COUNT), "application/octet-stream");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf),    cmocka_unit_test(test_images),
        cmocka_unit_test(test_renamed_program), cmocka_unit_test(test_office),
        cmocka_unit_test(test_csv),    cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
