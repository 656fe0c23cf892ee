/*
 * test_ident.c — unit tests for core/ident (contract: ident.h, algorithms:
 * facts file §4-§5).
 *
 * Every call goes through a wrapper that copies the input into a heap block
 * of exactly `len` bytes with no NUL, so AddressSanitizer catches any read
 * past the length the contract promises to respect.
 *
 * The check-digit tests use reference implementations written here, apart
 * from the code under test, straight from the facts file's wording; the
 * literal vectors were computed by hand (sums shown) and agree with them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "util/err.h"

/* ---- harness ------------------------------------------------------------ */

static char *dup_exact(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    if (len)
        memcpy(p, s, len);
    return p;
}

static int upn(const char *s, char out[IDENT_UPN_LEN + 1], ident_upn_kind *kind,
               const char **why)
{
    size_t len = strlen(s);
    char *p = dup_exact(s, len);
    int rc = ident_upn_normalise(p, len, out, kind, why);
    free(p);
    return rc;
}

static int uln(const char *s, const char **why)
{
    size_t len = strlen(s);
    char *p = dup_exact(s, len);
    int rc = ident_uln_validate(p, len, why);
    free(p);
    return rc;
}

static int nhs(const char *s, char out[IDENT_NHS_LEN + 1], const char **why)
{
    size_t len = strlen(s);
    char *p = dup_exact(s, len);
    int rc = ident_nhs_normalise(p, len, out, why);
    free(p);
    return rc;
}

static int postcode(const char *s, char out[IDENT_POSTCODE_MAX + 1], const char **why)
{
    size_t len = strlen(s);
    char *p = dup_exact(s, len);
    int rc = ident_postcode_normalise(p, len, out, why);
    free(p);
    return rc;
}

static int urn(const char *s, const char **why)
{
    size_t len = strlen(s);
    char *p = dup_exact(s, len);
    int rc = ident_urn_validate(p, len, why);
    free(p);
    return rc;
}

static int la(const char *s, const char **why)
{
    size_t len = strlen(s);
    char *p = dup_exact(s, len);
    int rc = ident_la_code_validate(p, len, why);
    free(p);
    return rc;
}

static int sen_parse(const char *s)
{
    size_t len = strlen(s);
    char *p = dup_exact(s, len);
    int rc = ident_sen_type_parse(p, len);
    free(p);
    return rc;
}

static int prov_parse(const char *s)
{
    size_t len = strlen(s);
    char *p = dup_exact(s, len);
    int rc = ident_sen_provision_parse(p, len);
    free(p);
    return rc;
}

/* A failure reason must be present and say the specific thing. */
static void assert_reason(const char *why, const char *needle)
{
    assert_non_null(why);
    if (!strstr(why, needle))
        fail_msg("reason \"%s\" does not mention \"%s\"", why, needle);
}

/* Deterministic generator, so failures reproduce. */
static uint32_t rng_state;
static void rng_seed(uint32_t s) { rng_state = s; }
static unsigned rng_below(unsigned n)
{
    rng_state = (uint32_t)(((uint64_t)rng_state * 1664525u + 1013904223u) & 0xffffffffu);
    return (rng_state >> 8) % n;
}
static void random_digits(char *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = (char)('0' + rng_below(10));
}

/* ---- reference implementations (from the facts file, not from ident.c) - */

static const char REF_UPN_ALPHA[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

/* Facts §5.1: position p (2..13) weighs p; letters in position 13 take
 * their index in the alphabet. */
static char ref_upn_check(const char body[12])
{
    int sum = 0;
    for (int i = 0; i < 12; i++) {
        int pos = i + 2, v;
        if (body[i] >= '0' && body[i] <= '9')
            v = body[i] - '0';
        else
            v = (int)(strchr(REF_UPN_ALPHA, body[i]) - REF_UPN_ALPHA);
        sum += v * pos;
    }
    return REF_UPN_ALPHA[sum % 23];
}

/* Facts §5.2: -1 when remainder 0 (no ULN has this stem). */
static int ref_uln_check(const char stem[9])
{
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (stem[i] - '0') * (10 - i);
    int r = sum % 11;
    return r == 0 ? -1 : 10 - r;
}

/* Facts §5.3: 10 means no NHS number has this stem. */
static int ref_nhs_check(const char stem[9])
{
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (stem[i] - '0') * (10 - i);
    int c = 11 - sum % 11;
    return c == 11 ? 0 : c;
}

/* Makes a random valid UPN (NUL-terminated, 14 bytes). */
static void make_upn(char u[IDENT_UPN_LEN + 1], bool temporary)
{
    random_digits(u + 1, 12);
    if (temporary)
        u[12] = REF_UPN_ALPHA[rng_below(23)];
    u[0] = ref_upn_check(u + 1);
    u[13] = '\0';
}

/* Makes a random valid ULN or NHS number (10 digits + NUL). */
static void make_uln(char u[IDENT_ULN_LEN + 1])
{
    int c;
    do {
        random_digits(u, 9);
    } while ((c = ref_uln_check(u)) < 0);
    u[9] = (char)('0' + c);
    u[10] = '\0';
}

static void make_nhs(char n[IDENT_NHS_LEN + 1])
{
    int c;
    do {
        random_digits(n, 9);
    } while ((c = ref_nhs_check(n)) == 10);
    n[9] = (char)('0' + c);
    n[10] = '\0';
}

/* ---- UPN ---------------------------------------------------------------- */

static void test_upn_known_good(void **state)
{
    (void)state;
    char out[IDENT_UPN_LEN + 1];
    ident_upn_kind kind = IDENT_UPN_TEMPORARY;
    const char *why = "stale";
    /* python-stdnum's documented example (facts §5.1): sum 93, 93 mod 23 = 1. */
    assert_int_equal(upn("B801200005001", out, &kind, &why), SH_OK);
    assert_string_equal(out, "B801200005001");
    assert_int_equal(kind, IDENT_UPN_PERMANENT);
    assert_null(why); /* success clears a stale reason */
}

static void test_upn_literal_vectors(void **state)
{
    (void)state;
    /* Sums computed by hand:
     *  P207000016049: 2*2+7*4+1*9+6*10+4*12+9*13 = 266; 266 mod 23 = 13 = P
     *  E201300112001: 4+4+15+8+9+20+13 = 73; 73 mod 23 = 4 = E
     *  A000000000000: 0 = A
     *  F999999999999: 9*(2+...+13) = 810; 810 mod 23 = 5 = F
     *  T93812345678A: 18+9+32+5+12+21+32+45+60+77+96 + 0*13 = 407; mod 23 = 16 = T
     *  N30111110001Z: 6+4+5+6+7+8+12 + 22*13 = 334; 334 mod 23 = 12 = N */
    static const struct {
        const char *upn;
        ident_upn_kind kind;
    } good[] = {
        {"P207000016049", IDENT_UPN_PERMANENT}, {"E201300112001", IDENT_UPN_PERMANENT},
        {"A000000000000", IDENT_UPN_PERMANENT}, {"F999999999999", IDENT_UPN_PERMANENT},
        {"T93812345678A", IDENT_UPN_TEMPORARY}, {"N30111110001Z", IDENT_UPN_TEMPORARY},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char out[IDENT_UPN_LEN + 1];
        ident_upn_kind kind = (ident_upn_kind)-1;
        const char *why = NULL;
        if (upn(good[i].upn, out, &kind, &why) != SH_OK)
            fail_msg("%s rejected: %s", good[i].upn, why);
        assert_string_equal(out, good[i].upn);
        assert_int_equal(kind, good[i].kind);
        /* The reference agrees with the hand sums. */
        assert_int_equal(ref_upn_check(good[i].upn + 1), good[i].upn[0]);
        assert_int_equal(ident_upn_check_letter(good[i].upn + 1), good[i].upn[0]);
    }
}

/* The MIS vendor's worked example says Q; the arithmetic gives P (facts
 * §5.1). The Q form must be rejected as a wrong check letter. */
static void test_upn_vendor_slip_rejected(void **state)
{
    (void)state;
    char out[IDENT_UPN_LEN + 1];
    const char *why = NULL;
    assert_int_equal(upn("Q207000016049", out, NULL, &why), SH_EINVAL);
    assert_reason(why, "check letter");
    assert_string_equal(out, "");
}

static void test_upn_lower_case_normalised(void **state)
{
    (void)state;
    char out[IDENT_UPN_LEN + 1];
    ident_upn_kind kind;
    assert_int_equal(upn("b801200005001", out, &kind, NULL), SH_OK);
    assert_string_equal(out, "B801200005001");
    assert_int_equal(upn("t93812345678a", out, &kind, NULL), SH_OK);
    assert_string_equal(out, "T93812345678A");
    assert_int_equal(kind, IDENT_UPN_TEMPORARY);
    assert_int_equal(upn("n30111110001z", out, &kind, NULL), SH_OK);
    assert_string_equal(out, "N30111110001Z");
    assert_int_equal(upn("N30111110001z", out, &kind, NULL), SH_OK);
    assert_string_equal(out, "N30111110001Z");
}

static void test_upn_length_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "B80120000500",   /* 12 */
        "B8012000050011", /* 14 */
        "B",
        "B801 2000 05001", /* spaces make it 15 */
        " B801200005001",
        "B801200005001 ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[IDENT_UPN_LEN + 1] = "garbage";
        const char *why = NULL;
        assert_int_equal(upn(bad[i], out, NULL, &why), SH_EINVAL);
        assert_reason(why, "13 characters");
        assert_string_equal(out, "");
    }
    const char *why = NULL;
    char out[IDENT_UPN_LEN + 1];
    assert_int_equal(upn("", out, NULL, &why), SH_EINVAL);
    assert_reason(why, "no UPN");
    why = NULL;
    assert_int_equal(ident_upn_normalise(NULL, 13, out, NULL, &why), SH_EINVAL);
    assert_reason(why, "no UPN");
}

static void test_upn_character_errors(void **state)
{
    (void)state;
    static const struct {
        const char *upn, *needle;
    } bad[] = {
        {"8801200005001", "starts with a letter"},
        {"-801200005001", "starts with a letter"},
        {"I801200005001", "never starts with I, O or S"},
        {"O801200005001", "never starts with I, O or S"},
        {"s801200005001", "never starts with I, O or S"},
        {"BB01200005001", "characters 2 to 12"},
        {"B80120000500 ", "last character"},
        {"B8012000050-1", "characters 2 to 12"},
        {"B801200005A01", "characters 2 to 12"},
        {"B80120000500-", "last character"},
        {"B80120000500I", "never ends in I, O or S"},
        {"B80120000500o", "never ends in I, O or S"},
        {"B80120000500S", "never ends in I, O or S"},
        {"B80120000500\xc3", "last character"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[IDENT_UPN_LEN + 1];
        const char *why = NULL;
        if (upn(bad[i].upn, out, NULL, &why) != SH_EINVAL)
            fail_msg("%s accepted", bad[i].upn);
        assert_reason(why, bad[i].needle);
    }
}

static void test_upn_every_wrong_check_letter(void **state)
{
    (void)state;
    char u[] = "B801200005001";
    for (char c = 'A'; c <= 'Z'; c++) {
        if (c == 'B')
            continue;
        u[0] = c;
        char out[IDENT_UPN_LEN + 1];
        const char *why = NULL;
        assert_int_equal(upn(u, out, NULL, &why), SH_EINVAL);
        if (c == 'I' || c == 'O' || c == 'S')
            assert_reason(why, "never starts with I, O or S");
        else
            assert_reason(why, "check letter does not match");
    }
}

static void test_upn_check_letter_function(void **state)
{
    (void)state;
    assert_int_equal(ident_upn_check_letter("801200005001"), 'B');
    assert_int_equal(ident_upn_check_letter("207000016049"), 'P');
    assert_int_equal(ident_upn_check_letter("93812345678A"), 'T');
    assert_int_equal(ident_upn_check_letter("93812345678a"), 'T'); /* either case */
    assert_int_equal(ident_upn_check_letter("30111110001Z"), 'N');
    /* Not 11 digits + digit/permitted letter: 0. */
    assert_int_equal(ident_upn_check_letter("A01200005001"), 0);
    assert_int_equal(ident_upn_check_letter("80120000500I"), 0);
    assert_int_equal(ident_upn_check_letter("80120000500O"), 0);
    assert_int_equal(ident_upn_check_letter("80120000500S"), 0);
    assert_int_equal(ident_upn_check_letter("80120000500-"), 0);
    assert_int_equal(ident_upn_check_letter("8012000050 1"), 0);
    assert_int_equal(ident_upn_check_letter(NULL), 0);
    /* Reads exactly 12 characters: no NUL needed. */
    char *body = dup_exact("801200005001", 12);
    assert_int_equal(ident_upn_check_letter(body), 'B');
    free(body);
}

static void test_upn_generated_vectors(void **state)
{
    (void)state;
    rng_seed(1);
    for (int i = 0; i < 2000; i++) {
        bool temp = i % 2;
        char u[IDENT_UPN_LEN + 1];
        make_upn(u, temp);
        char out[IDENT_UPN_LEN + 1];
        ident_upn_kind kind;
        const char *why = NULL;
        if (upn(u, out, &kind, &why) != SH_OK)
            fail_msg("%s rejected: %s", u, why);
        assert_string_equal(out, u);
        assert_int_equal(kind, temp ? IDENT_UPN_TEMPORARY : IDENT_UPN_PERMANENT);
        assert_int_equal(ident_upn_check_letter(u + 1), u[0]);
    }
    /* Every temporary final letter, on one body. */
    char t[] = "?93812345678?";
    for (size_t k = 0; k < 23; k++) {
        t[12] = REF_UPN_ALPHA[k];
        t[0] = ref_upn_check(t + 1);
        char out[IDENT_UPN_LEN + 1];
        assert_int_equal(upn(t, out, NULL, NULL), SH_OK);
    }
}

/* Weights 2..13 and digit differences 1..9 are all below the prime 23, so
 * any single change in positions 2-13 is caught — with one exception the
 * algorithm makes inevitable: in position 13 a digit d and the letter with
 * value d (0=A ... 9=K) weigh the same, so swapping one for the other turns
 * a permanent UPN into a valid temporary one. */
static void test_upn_single_character_corruption(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    rng_seed(2);
    for (int n = 0; n < 200; n++) {
        char u[IDENT_UPN_LEN + 1];
        make_upn(u, n % 2);
        if (n == 0)
            memcpy(u, "B801200005001", sizeof u);
        for (size_t pos = 0; pos < IDENT_UPN_LEN; pos++) {
            for (const char *a = alphabet; *a; a++) {
                if (*a == u[pos])
                    continue;
                char v[IDENT_UPN_LEN + 1];
                memcpy(v, u, sizeof v);
                v[pos] = *a;
                char out[IDENT_UPN_LEN + 1];
                ident_upn_kind kind;
                int rc = upn(v, out, &kind, NULL);
                bool same_weight = false;
                if (pos == 12) {
                    const char *l = strchr(REF_UPN_ALPHA, *a >= 'A' ? *a : u[pos]);
                    char digit = *a >= 'A' ? u[pos] : *a;
                    bool one_each = (*a >= 'A') != (u[pos] >= 'A');
                    same_weight = one_each && l && digit >= '0' && digit <= '9' &&
                                  (l - REF_UPN_ALPHA) == digit - '0';
                }
                if (same_weight) {
                    assert_int_equal(rc, SH_OK);
                    assert_int_not_equal(kind, *a >= 'A' ? IDENT_UPN_PERMANENT
                                                         : IDENT_UPN_TEMPORARY);
                } else if (rc != SH_EINVAL) {
                    fail_msg("%s -> %s not detected", u, v);
                }
            }
        }
    }
}

/* Swapping positions p and q changes the sum by (a-b)(p-q), never 0 mod 23. */
static void test_upn_transpositions(void **state)
{
    (void)state;
    rng_seed(3);
    for (int n = 0; n < 300; n++) {
        char u[IDENT_UPN_LEN + 1];
        make_upn(u, n % 3 == 0);
        for (size_t p = 0; p < IDENT_UPN_LEN; p++) {
            for (size_t q = p + 1; q < IDENT_UPN_LEN; q++) {
                if (u[p] == u[q])
                    continue;
                char v[IDENT_UPN_LEN + 1];
                memcpy(v, u, sizeof v);
                v[p] = u[q];
                v[q] = u[p];
                char out[IDENT_UPN_LEN + 1];
                if (upn(v, out, NULL, NULL) != SH_EINVAL)
                    fail_msg("%s -> %s (swap %zu,%zu) not detected", u, v, p, q);
            }
        }
    }
}

static void test_upn_reads_only_len(void **state)
{
    (void)state;
    const char *text = "B801200005001XYZ";
    char out[IDENT_UPN_LEN + 1];
    assert_int_equal(ident_upn_normalise(text, 13, out, NULL, NULL), SH_OK);
    assert_string_equal(out, "B801200005001");
    assert_int_equal(ident_upn_normalise(text, 16, out, NULL, NULL), SH_EINVAL);
    /* kind is untouched on failure; why may be NULL. */
    ident_upn_kind kind = IDENT_UPN_TEMPORARY;
    assert_int_equal(upn("C801200005001", out, &kind, NULL), SH_EINVAL);
    assert_int_equal(kind, IDENT_UPN_TEMPORARY);
}

/* ---- ULN ---------------------------------------------------------------- */

static void test_uln_literal_vectors(void **state)
{
    (void)state;
    /* 1234567899: 10+18+24+28+30+30+28+24+18 = 210; 210 mod 11 = 1; 10-1 = 9
     * 1000000000: 10 mod 11 = 10; check 0
     * 2000000001: 20 mod 11 = 9; check 1
     * 5555555554: 5*54 = 270; 270 mod 11 = 6; check 4
     * 9999999998: 9*54 = 486; 486 mod 11 = 2; check 8 */
    static const char *const good[] = {"1234567899", "1000000000", "2000000001",
                                       "5555555554", "9999999998"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        const char *why = "stale";
        if (uln(good[i], &why) != SH_OK)
            fail_msg("%s rejected: %s", good[i], why);
        assert_null(why);
        assert_int_equal(ref_uln_check(good[i]), good[i][9] - '0');
    }
    const char *why = NULL;
    assert_int_equal(uln("1234567890", &why), SH_EINVAL);
    assert_reason(why, "check digit");
    why = NULL;
    assert_int_equal(uln("9999999999", &why), SH_EINVAL);
    assert_reason(why, "check digit");
}

/* 987654321: 90+72+56+42+30+20+12+6+2 = 330 = 30*11, remainder 0: no ULN
 * starts with these nine digits, whatever the tenth. */
static void test_uln_impossible_stem(void **state)
{
    (void)state;
    char u[] = "987654321?";
    for (char c = '0'; c <= '9'; c++) {
        u[9] = c;
        const char *why = NULL;
        assert_int_equal(uln(u, &why), SH_EINVAL);
        assert_reason(why, "no check digit is possible");
    }
    char z[] = "000000000?"; /* sum 0, remainder 0 */
    for (char c = '0'; c <= '9'; c++) {
        z[9] = c;
        assert_int_equal(uln(z, NULL), SH_EINVAL);
    }
}

static void test_uln_reference_loop(void **state)
{
    (void)state;
    rng_seed(4);
    int valid = 0, impossible = 0;
    for (int n = 0; n < 5000; n++) {
        char u[IDENT_ULN_LEN + 1];
        random_digits(u, 9);
        u[10] = '\0';
        int check = ref_uln_check(u);
        if (check < 0)
            impossible++;
        else
            valid++;
        for (int d = 0; d <= 9; d++) {
            u[9] = (char)('0' + d);
            int rc = uln(u, NULL);
            if (rc != (d == check ? SH_OK : SH_EINVAL))
                fail_msg("%s: rc %d, reference check %d", u, rc, check);
        }
    }
    assert_true(valid > 0 && impossible > 0); /* both branches exercised */
}

static void test_uln_format_errors(void **state)
{
    (void)state;
    static const struct {
        const char *s, *needle;
    } bad[] = {
        {"", "no ULN"},
        {"123456789", "10 digits"},
        {"12345678999", "10 digits"},
        {"123456789X", "only digits"},
        {"123 456 7899", "only digits"},
        {" 1234567899", "only digits"},
        {"-234567899", "only digits"},
        {"+1234567899", "only digits"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        if (uln(bad[i].s, &why) != SH_EINVAL)
            fail_msg("\"%s\" accepted", bad[i].s);
        assert_reason(why, bad[i].needle);
    }
    const char *why = NULL;
    assert_int_equal(ident_uln_validate(NULL, 10, &why), SH_EINVAL);
    assert_reason(why, "no ULN");
}

/* Valid means sum(d_i * w_i) with w = 10..2,1 is 10 mod 11: every single
 * digit change shifts it by d*w, non-zero mod 11, so all are caught. */
static void test_uln_single_digit_corruption(void **state)
{
    (void)state;
    rng_seed(5);
    for (int n = 0; n < 500; n++) {
        char u[IDENT_ULN_LEN + 1];
        make_uln(u);
        for (size_t pos = 0; pos < IDENT_ULN_LEN; pos++) {
            for (char c = '0'; c <= '9'; c++) {
                if (c == u[pos])
                    continue;
                char v[IDENT_ULN_LEN + 1];
                memcpy(v, u, sizeof v);
                v[pos] = c;
                if (uln(v, NULL) != SH_EINVAL)
                    fail_msg("%s -> %s not detected", u, v);
            }
        }
    }
}

/* The weights are distinct mod 11, so any swap of two unequal digits is
 * caught, adjacent or not. */
static void test_uln_transpositions(void **state)
{
    (void)state;
    rng_seed(6);
    for (int n = 0; n < 500; n++) {
        char u[IDENT_ULN_LEN + 1];
        make_uln(u);
        for (size_t p = 0; p < IDENT_ULN_LEN; p++) {
            for (size_t q = p + 1; q < IDENT_ULN_LEN; q++) {
                if (u[p] == u[q])
                    continue;
                char v[IDENT_ULN_LEN + 1];
                memcpy(v, u, sizeof v);
                v[p] = u[q];
                v[q] = u[p];
                if (uln(v, NULL) != SH_EINVAL)
                    fail_msg("%s -> %s not detected", u, v);
            }
        }
    }
}

/* ---- NHS number --------------------------------------------------------- */

static void test_nhs_known_good(void **state)
{
    (void)state;
    /* 9434765919: 90+36+24+28+42+30+20+27+2 = 299; 299 mod 11 = 2; 11-2 = 9
     * 4010232137: 40+0+8+0+12+15+8+3+6 = 92; 92 mod 11 = 4; 11-4 = 7
     * 1000000001: 10 mod 11 = 10; 11-10 = 1
     * 1111111111: 54 mod 11 = 10; 11-10 = 1 (no "all same digit" rule:
     *             the contract is the algorithm, nothing more)
     * 0000000000: 0; 11 -> 0 */
    static const struct {
        const char *in, *out;
    } good[] = {
        {"9434765919", "9434765919"},   {"943 476 5919", "9434765919"},
        {"943-476-5919", "9434765919"}, {"4010232137", "4010232137"},
        {"401 023 2137", "4010232137"}, {"401-023-2137", "4010232137"},
        {"1000000001", "1000000001"},   {"1111111111", "1111111111"},
        {"0000000000", "0000000000"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char out[IDENT_NHS_LEN + 1];
        const char *why = "stale";
        if (nhs(good[i].in, out, &why) != SH_OK)
            fail_msg("%s rejected: %s", good[i].in, why);
        assert_string_equal(out, good[i].out);
        assert_null(why);
        assert_int_equal(ref_nhs_check(good[i].out), good[i].out[9] - '0');
    }
}

static void test_nhs_layouts_rejected(void **state)
{
    (void)state;
    static const struct {
        const char *s, *needle;
    } bad[] = {
        {"943 4765919", "grouped 3-3-4"},
        {"9434 765 919", "grouped 3-3-4"},
        {"943-476 5919", "grouped 3-3-4"},
        {"943 476-5919", "grouped 3-3-4"},
        {"943  476 5919", "grouped 3-3-4"},
        {" 9434765919", "grouped 3-3-4"},
        {"9434765919 ", "grouped 3-3-4"},
        {"94347659-19", "grouped 3-3-4"},
        {"943 476 5919 ", "grouped 3-3-4"},
        {"943--476-5919", "grouped 3-3-4"},
        {"943.476.5919", "only digits"},
        {"943/476/5919", "only digits"},
        {"943\t476\t5919", "only digits"},
        {"94347659I9", "only digits"},
        {"NHS9434765919", "only digits"},
        {"943476591", "10 digits"},
        {"94347659190", "10 digits"},
        {"943 476 591", "10 digits"},
        {"", "no NHS number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[IDENT_NHS_LEN + 1] = "garbage";
        const char *why = NULL;
        if (nhs(bad[i].s, out, &why) != SH_EINVAL)
            fail_msg("\"%s\" accepted", bad[i].s);
        assert_reason(why, bad[i].needle);
        assert_string_equal(out, "");
    }
    char out[IDENT_NHS_LEN + 1];
    const char *why = NULL;
    assert_int_equal(ident_nhs_normalise(NULL, 10, out, &why), SH_EINVAL);
    assert_reason(why, "no NHS number");
}

/* 123456789: 10+18+24+28+30+30+28+24+18 = 210; 210 mod 11 = 1; 11-1 = 10:
 * no NHS number starts with these nine digits. */
static void test_nhs_check_ten_impossible(void **state)
{
    (void)state;
    char n[] = "123456789?";
    for (char c = '0'; c <= '9'; c++) {
        n[9] = c;
        char out[IDENT_NHS_LEN + 1];
        const char *why = NULL;
        assert_int_equal(nhs(n, out, &why), SH_EINVAL);
        assert_reason(why, "no check digit is possible");
    }
    const char *why = NULL;
    char out[IDENT_NHS_LEN + 1];
    assert_int_equal(nhs("123 456 7890", out, &why), SH_EINVAL);
    assert_reason(why, "no check digit is possible");
}

static void test_nhs_wrong_check_digit(void **state)
{
    (void)state;
    static const char *const bad[] = {"9434765918", "943 476 5910", "943-476-5911",
                                      "4010232138", "1000000000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[IDENT_NHS_LEN + 1];
        const char *why = NULL;
        assert_int_equal(nhs(bad[i], out, &why), SH_EINVAL);
        assert_reason(why, "check digit");
        assert_reason(why, "does not match");
    }
}

static void test_nhs_reference_loop(void **state)
{
    (void)state;
    rng_seed(7);
    int valid = 0, impossible = 0;
    for (int n = 0; n < 5000; n++) {
        char d[IDENT_NHS_LEN + 1];
        random_digits(d, 9);
        d[10] = '\0';
        int check = ref_nhs_check(d);
        if (check == 10)
            impossible++;
        else
            valid++;
        for (int c = 0; c <= 9; c++) {
            d[9] = (char)('0' + c);
            char out[IDENT_NHS_LEN + 1];
            int rc = nhs(d, out, NULL);
            if (rc != (c == check ? SH_OK : SH_EINVAL))
                fail_msg("%s: rc %d, reference check %d", d, rc, check);
            if (rc == SH_OK)
                assert_string_equal(out, d);
        }
    }
    assert_true(valid > 0 && impossible > 0);
}

/* Modulus 11 with weights 10..2 (and 1 on the check digit) catches every
 * single-digit change: d*w is never 0 mod 11. Also in the grouped forms. */
static void test_nhs_single_digit_corruption(void **state)
{
    (void)state;
    rng_seed(8);
    for (int n = 0; n < 500; n++) {
        char d[IDENT_NHS_LEN + 1];
        make_nhs(d);
        if (n == 0)
            memcpy(d, "9434765919", sizeof d);
        if (n == 1)
            memcpy(d, "4010232137", sizeof d);
        for (size_t pos = 0; pos < IDENT_NHS_LEN; pos++) {
            for (char c = '0'; c <= '9'; c++) {
                if (c == d[pos])
                    continue;
                char v[IDENT_NHS_LEN + 1];
                memcpy(v, d, sizeof v);
                v[pos] = c;
                char out[IDENT_NHS_LEN + 1];
                if (nhs(v, out, NULL) != SH_EINVAL)
                    fail_msg("%s -> %s not detected", d, v);
                char g[13];
                memcpy(g, v, 3);
                g[3] = ' ';
                memcpy(g + 4, v + 3, 3);
                g[7] = ' ';
                memcpy(g + 8, v + 6, 5);
                if (nhs(g, out, NULL) != SH_EINVAL)
                    fail_msg("%s -> \"%s\" not detected", d, g);
            }
        }
    }
}

/* Weights differ pairwise by 1..9, never 0 mod 11: every swap of two unequal
 * digits, including with the check digit, is caught. */
static void test_nhs_transpositions(void **state)
{
    (void)state;
    rng_seed(9);
    for (int n = 0; n < 500; n++) {
        char d[IDENT_NHS_LEN + 1];
        make_nhs(d);
        for (size_t p = 0; p < IDENT_NHS_LEN; p++) {
            for (size_t q = p + 1; q < IDENT_NHS_LEN; q++) {
                if (d[p] == d[q])
                    continue;
                char v[IDENT_NHS_LEN + 1];
                memcpy(v, d, sizeof v);
                v[p] = d[q];
                v[q] = d[p];
                char out[IDENT_NHS_LEN + 1];
                if (nhs(v, out, NULL) != SH_EINVAL)
                    fail_msg("%s -> %s not detected", d, v);
            }
        }
    }
}

/* ---- postcode ----------------------------------------------------------- */

static void assert_postcode(const char *in, const char *canonical)
{
    char out[IDENT_POSTCODE_MAX + 1];
    memset(out, 'x', sizeof out);
    const char *why = "stale";
    if (postcode(in, out, &why) != SH_OK)
        fail_msg("\"%s\" rejected: %s", in, why);
    assert_null(why);
    assert_string_equal(out, canonical);
}

static void assert_bad_postcode(const char *in, const char *needle)
{
    char out[IDENT_POSTCODE_MAX + 1] = "garbage";
    const char *why = NULL;
    if (postcode(in, out, &why) != SH_EINVAL)
        fail_msg("\"%s\" accepted as \"%s\"", in, out);
    assert_reason(why, needle);
    assert_string_equal(out, "");
}

static void test_postcode_examples(void **state)
{
    (void)state;
    /* One per outward format, from facts §5.4. */
    assert_postcode("M1 1AA", "M1 1AA");       /* A9 */
    assert_postcode("M60 1NW", "M60 1NW");     /* A99 */
    assert_postcode("CR2 6XH", "CR2 6XH");     /* AA9 */
    assert_postcode("DN55 1PT", "DN55 1PT");   /* AA99 */
    assert_postcode("W1A 1HQ", "W1A 1HQ");     /* A9A */
    assert_postcode("EC1A 1BB", "EC1A 1BB");   /* AA9A */
    assert_postcode("SW1A 1AA", "SW1A 1AA");
    assert_postcode("GIR 0AA", "GIR 0AA");
}

static void test_postcode_normalisation(void **state)
{
    (void)state;
    assert_postcode("sw1a1aa", "SW1A 1AA");
    assert_postcode("sw1a 1aa", "SW1A 1AA");
    assert_postcode("Sw1A 1aA", "SW1A 1AA");
    assert_postcode("m11aa", "M1 1AA");
    assert_postcode("M601NW", "M60 1NW");
    assert_postcode("dn551pt", "DN55 1PT");
    assert_postcode("w1a1hq", "W1A 1HQ");
    assert_postcode("  ec1a 1bb  ", "EC1A 1BB");
    assert_postcode("\tCR2 6XH\t", "CR2 6XH");
    assert_postcode(" M11AA", "M1 1AA");
    assert_postcode("gir0aa", "GIR 0AA");
    assert_postcode("gir 0aa", "GIR 0AA");

    /* Only len bytes are read; the longest canonical form fills the buffer. */
    char out[IDENT_POSTCODE_MAX + 1];
    assert_int_equal(ident_postcode_normalise("EC1A1BB and more", 7, out, NULL), SH_OK);
    assert_string_equal(out, "EC1A 1BB");
    assert_int_equal(strlen(out), IDENT_POSTCODE_MAX);
}

static void test_postcode_required_rejections(void **state)
{
    (void)state;
    assert_bad_postcode("QA1 1AA", "never starts with Q, V or X");
    assert_bad_postcode("M1 1AC", "never C, I, K, M, O or V");
    assert_bad_postcode("ZZ", "5 to 7");
    assert_bad_postcode("", "no postcode");
    assert_bad_postcode("   ", "no postcode");
    assert_bad_postcode("SW1A 1AAA", "5 to 7");
    char out[IDENT_POSTCODE_MAX + 1];
    const char *why = NULL;
    assert_int_equal(ident_postcode_normalise(NULL, 7, out, &why), SH_EINVAL);
    assert_reason(why, "no postcode");
}

static void test_postcode_shape_errors(void **state)
{
    (void)state;
    assert_bad_postcode("M1 AAA", "digit then two letters");
    assert_bad_postcode("M1 11A", "digit then two letters");
    assert_bad_postcode("M1 1A1", "digit then two letters");
    assert_bad_postcode("1M1 1AA", "first part");
    assert_bad_postcode("11 1AA", "first part");
    assert_bad_postcode("ABC1 1AA", "first part");
    assert_bad_postcode("AB 1AA", "first part");
    assert_bad_postcode("A123 1AA", "first part");
    assert_bad_postcode("A1AA 1AA", "first part");
    assert_bad_postcode("AB1A1 1AA", "5 to 7");
    assert_bad_postcode("M1", "5 to 7");
    assert_bad_postcode("M1 1A", "5 to 7");
    assert_bad_postcode("SW1A  1AA", "at most one space");
    assert_bad_postcode("SW 1A1AA", "at most one space");
    assert_bad_postcode("S W1A 1AA", "at most one space");
    assert_bad_postcode("SW1A1 AA", "at most one space");
    assert_bad_postcode("SW1A-1AA", "only letters, digits and one space");
    assert_bad_postcode("SW1A\t1AA", "only letters, digits and one space");
    assert_bad_postcode("SW1A 1A\xc3", "only letters, digits and one space");
    /* Only GIR 0AA itself is special: GIR 0AB falls under the normal rules. */
    assert_bad_postcode("GIR 0AB", "second letter");
}

/* Each letter position, against the allowed sets written out again here. */
static void test_postcode_letter_rules(void **state)
{
    (void)state;
    static const struct {
        const char *pattern; /* '?' is the letter under test */
        const char *refused; /* letters that must be refused there */
        const char *needle;
    } rules[] = {
        {"?1 1AA", "QVX", "never starts with Q, V or X"},
        {"?A1 1AA", "QVX", "never starts with Q, V or X"},
        {"A?1 1AA", "IJZ", "second letter"},
        {"A?1A 1AA", "IJZ", "second letter"},
        {"W1? 1HQ", "ILMNOPQRVXYZ", "third character"},
        {"EC1? 1BB", "CDFGIJKLOQSTUZ", "fourth character"},
        {"M1 1?A", "CIKMOV", "never C, I, K, M, O or V"},
        {"M1 1A?", "CIKMOV", "never C, I, K, M, O or V"},
    };
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        char pc[16];
        size_t len = strlen(rules[r].pattern);
        memcpy(pc, rules[r].pattern, len + 1);
        char *slot = strchr(pc, '?');
        for (char c = 'A'; c <= 'Z'; c++) {
            *slot = c;
            bool refused = strchr(rules[r].refused, c) != NULL;
            char out[IDENT_POSTCODE_MAX + 1];
            const char *why = NULL;
            int rc = postcode(pc, out, &why);
            if (refused) {
                if (rc != SH_EINVAL)
                    fail_msg("\"%s\" accepted", pc);
                assert_reason(why, rules[r].needle);
            } else if (rc != SH_OK) {
                fail_msg("\"%s\" rejected: %s", pc, why);
            } else {
                assert_string_equal(out, pc); /* already canonical */
            }
            /* Lower case follows the same rule. */
            *slot = (char)(c - 'A' + 'a');
            assert_int_equal(postcode(pc, out, NULL), refused ? SH_EINVAL : SH_OK);
        }
    }
}

static void test_postcode_output_cleared(void **state)
{
    (void)state;
    /* A failure after a success leaves no stale text behind. */
    char out[IDENT_POSTCODE_MAX + 1];
    assert_int_equal(postcode("M1 1AA", out, NULL), SH_OK);
    assert_int_equal(postcode("M1 1AC", out, NULL), SH_EINVAL);
    assert_string_equal(out, "");
}

/* ---- URN and LA code ---------------------------------------------------- */

static void test_urn(void **state)
{
    (void)state;
    static const char *const good[] = {"100000", "123456", "012345", "000001", "1234567",
                                       "0000001"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        const char *why = "stale";
        if (urn(good[i], &why) != SH_OK)
            fail_msg("%s rejected: %s", good[i], why);
        assert_null(why);
    }
    static const struct {
        const char *s, *needle;
    } bad[] = {
        {"", "no URN"},           {"12345", "6 or 7 digits"},
        {"12345678", "6 or 7 digits"}, {"000000", "never all zeros"},
        {"0000000", "never all zeros"}, {"+123456", "only digits"},
        {"-123456", "only digits"}, {" 123456", "only digits"},
        {"123456 ", "only digits"}, {"12a456", "only digits"},
        {"123 456", "only digits"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        if (urn(bad[i].s, &why) != SH_EINVAL)
            fail_msg("\"%s\" accepted", bad[i].s);
        assert_reason(why, bad[i].needle);
    }
    assert_int_equal(ident_urn_validate("1234567", 6, NULL), SH_OK);
    assert_int_equal(ident_urn_validate(NULL, 6, NULL), SH_EINVAL);
}

static void test_la_code(void **state)
{
    (void)state;
    static const char *const good[] = {"201", "938", "001", "873"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        const char *why = "stale";
        assert_int_equal(la(good[i], &why), SH_OK);
        assert_null(why);
    }
    static const struct {
        const char *s, *needle;
    } bad[] = {
        {"", "no LA code"}, {"20", "exactly 3 digits"}, {"2011", "exactly 3 digits"},
        {"2a1", "only digits"}, {" 201", "only digits"}, {"E09", "only digits"},
        {"+20", "only digits"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        if (la(bad[i].s, &why) != SH_EINVAL)
            fail_msg("\"%s\" accepted", bad[i].s);
        assert_reason(why, bad[i].needle);
    }
}

/* ---- SEN codes ---------------------------------------------------------- */

static void test_sen_type_round_trip(void **state)
{
    (void)state;
    for (int t = 0; t < SEN_TYPE_COUNT; t++) {
        const char *code = ident_sen_type_code((sen_type)t);
        assert_non_null(code);
        assert_int_equal(sen_parse(code), t);
        /* Lower case parses to the same type. */
        char lower[8];
        size_t n = strlen(code);
        assert_true(n < sizeof lower);
        for (size_t i = 0; i <= n; i++)
            lower[i] = (code[i] >= 'A' && code[i] <= 'Z') ? (char)(code[i] + 32) : code[i];
        assert_int_equal(sen_parse(lower), t);
        /* Codes are unique. */
        for (int u = t + 1; u < SEN_TYPE_COUNT; u++)
            assert_string_not_equal(code, ident_sen_type_code((sen_type)u));
    }
    assert_int_equal(sen_parse("SpLd"), SEN_SPLD);
    assert_int_equal(sen_parse("asd"), SEN_ASD);
    assert_int_equal(sen_parse("Ds"), SEN_DS);
}

static void test_sen_type_codes_and_labels(void **state)
{
    (void)state;
    static const struct {
        sen_type t;
        const char *code, *label;
    } want[] = {
        {SEN_SPLD, "SPLD", "Specific learning difficulty"},
        {SEN_MLD, "MLD", "Moderate learning difficulty"},
        {SEN_SLD, "SLD", "Severe learning difficulty"},
        {SEN_PMLD, "PMLD", "Profound and multiple learning difficulty"},
        {SEN_SEMH, "SEMH", "Social, emotional and mental health"},
        {SEN_SLCN, "SLCN", "Speech, language and communication needs"},
        {SEN_ASD, "ASD", "Autistic spectrum disorder"},
        {SEN_HI, "HI", "Hearing impairment"},
        {SEN_VI, "VI", "Vision impairment"},
        {SEN_MSI, "MSI", "Multi-sensory impairment"},
        {SEN_PD, "PD", "Physical disability"},
        {SEN_DS, "DS", "Down syndrome"},
        {SEN_OTH, "OTH", "Other difficulty/disability"},
        {SEN_NSA, "NSA", "SEN support but no specialist assessment of type of need"},
    };
    assert_int_equal(sizeof want / sizeof want[0], SEN_TYPE_COUNT);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_string_equal(ident_sen_type_code(want[i].t), want[i].code);
        assert_string_equal(ident_sen_type_label(want[i].t), want[i].label);
    }
    /* Out of range: NULL, not a made-up code. */
    assert_null(ident_sen_type_code(SEN_TYPE_COUNT));
    assert_null(ident_sen_type_label(SEN_TYPE_COUNT));
    assert_null(ident_sen_type_code((sen_type)99));
    assert_null(ident_sen_type_label((sen_type)99));
}

static void test_sen_type_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "A", "AS", "ASDX", "ASD ", " ASD", "SPL", "SPLDX", "BESD", /* pre-2014 */
        "SEN", "H", "HII", "OTHER", "N", "NS", "NSAA", "Autistic spectrum disorder",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sen_parse(bad[i]) != -1)
            fail_msg("\"%s\" parsed as a SEN type", bad[i]);
    /* Exact match on the given length: a prefix of a longer buffer. */
    assert_int_equal(ident_sen_type_parse("ASDX", 3), SEN_ASD);
    assert_int_equal(ident_sen_type_parse("SLDX", 2), -1);
    assert_int_equal(ident_sen_type_parse(NULL, 3), -1);
    assert_int_equal(ident_sen_type_parse(NULL, 0), -1);
}

static void test_sen_type_valid_for_plan(void **state)
{
    (void)state;
    for (int t = 0; t < SEN_TYPE_COUNT; t++)
        assert_int_equal(ident_sen_type_valid_for_plan((sen_type)t), t != SEN_NSA);
    assert_false(ident_sen_type_valid_for_plan(SEN_NSA));
    assert_true(ident_sen_type_valid_for_plan(SEN_ASD));
    assert_true(ident_sen_type_valid_for_plan(SEN_DS));
    assert_false(ident_sen_type_valid_for_plan(SEN_TYPE_COUNT));
}

static void test_sen_provision(void **state)
{
    (void)state;
    assert_int_equal(prov_parse("E"), SEN_PROVISION_E);
    assert_int_equal(prov_parse("K"), SEN_PROVISION_K);
    assert_int_equal(prov_parse("N"), SEN_PROVISION_N);
    assert_int_equal(prov_parse("e"), SEN_PROVISION_E);
    assert_int_equal(prov_parse("k"), SEN_PROVISION_K);
    assert_int_equal(prov_parse("n"), SEN_PROVISION_N);
    /* S (statement, ended 2018) and A/P (School Action/Plus, abolished 2014). */
    static const char *const bad[] = {"S", "A", "P", "s", "a", "p", "", "EK", "E ", " E",
                                      "EHC", "X", "0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (prov_parse(bad[i]) != -1)
            fail_msg("\"%s\" parsed as a provision", bad[i]);
    assert_int_equal(ident_sen_provision_parse(NULL, 1), -1);
    assert_int_equal(ident_sen_provision_parse("KN", 1), SEN_PROVISION_K);

    static const sen_provision all[] = {SEN_PROVISION_E, SEN_PROVISION_K, SEN_PROVISION_N};
    static const char *const codes[] = {"E", "K", "N"};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(ident_sen_provision_code(all[i]), codes[i]);
        assert_int_equal(prov_parse(codes[i]), all[i]);
    }
    assert_null(ident_sen_provision_code((sen_provision)3));
}

/* ---- reasons ------------------------------------------------------------ */

/* The reasons are what a caseworker reads: one per distinct problem. */
static void test_reasons_distinct(void **state)
{
    (void)state;
    char u[IDENT_UPN_LEN + 1], n[IDENT_NHS_LEN + 1], p[IDENT_POSTCODE_MAX + 1];
    const char *r[12];
    size_t k = 0;
    upn("B80120000500", u, NULL, &r[k++]);  /* length */
    upn("BB01200005001", u, NULL, &r[k++]); /* characters */
    upn("C801200005001", u, NULL, &r[k++]); /* check letter */
    uln("123456789", &r[k++]);              /* length */
    uln("12345678X9", &r[k++]);             /* characters */
    uln("1234567890", &r[k++]);             /* check digit */
    uln("9876543210", &r[k++]);             /* impossible stem */
    nhs("943476591", n, &r[k++]);           /* length */
    nhs("9434765918", n, &r[k++]);          /* check digit */
    nhs("1234567890", n, &r[k++]);          /* impossible stem */
    postcode("QA1 1AA", p, &r[k++]);
    postcode("M1 1AC", p, &r[k++]);
    for (size_t i = 0; i < k; i++) {
        assert_non_null(r[i]);
        assert_true(strlen(r[i]) > 15);
        for (size_t j = i + 1; j < k; j++)
            assert_string_not_equal(r[i], r[j]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upn_known_good),
        cmocka_unit_test(test_upn_literal_vectors),
        cmocka_unit_test(test_upn_vendor_slip_rejected),
        cmocka_unit_test(test_upn_lower_case_normalised),
        cmocka_unit_test(test_upn_length_errors),
        cmocka_unit_test(test_upn_character_errors),
        cmocka_unit_test(test_upn_every_wrong_check_letter),
        cmocka_unit_test(test_upn_check_letter_function),
        cmocka_unit_test(test_upn_generated_vectors),
        cmocka_unit_test(test_upn_single_character_corruption),
        cmocka_unit_test(test_upn_transpositions),
        cmocka_unit_test(test_upn_reads_only_len),
        cmocka_unit_test(test_uln_literal_vectors),
        cmocka_unit_test(test_uln_impossible_stem),
        cmocka_unit_test(test_uln_reference_loop),
        cmocka_unit_test(test_uln_format_errors),
        cmocka_unit_test(test_uln_single_digit_corruption),
        cmocka_unit_test(test_uln_transpositions),
        cmocka_unit_test(test_nhs_known_good),
        cmocka_unit_test(test_nhs_layouts_rejected),
        cmocka_unit_test(test_nhs_check_ten_impossible),
        cmocka_unit_test(test_nhs_wrong_check_digit),
        cmocka_unit_test(test_nhs_reference_loop),
        cmocka_unit_test(test_nhs_single_digit_corruption),
        cmocka_unit_test(test_nhs_transpositions),
        cmocka_unit_test(test_postcode_examples),
        cmocka_unit_test(test_postcode_normalisation),
        cmocka_unit_test(test_postcode_required_rejections),
        cmocka_unit_test(test_postcode_shape_errors),
        cmocka_unit_test(test_postcode_letter_rules),
        cmocka_unit_test(test_postcode_output_cleared),
        cmocka_unit_test(test_urn),
        cmocka_unit_test(test_la_code),
        cmocka_unit_test(test_sen_type_round_trip),
        cmocka_unit_test(test_sen_type_codes_and_labels),
        cmocka_unit_test(test_sen_type_parse_rejects),
        cmocka_unit_test(test_sen_type_valid_for_plan),
        cmocka_unit_test(test_sen_provision),
        cmocka_unit_test(test_reasons_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
