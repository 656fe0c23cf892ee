/*
 * ident.c — identifier validation and normalisation (contract: ident.h;
 * algorithms: facts file §5, SEN codes: §4).
 *
 * Conventions shared by every function here:
 *   - Input is (s, len); s need not be NUL-terminated and is never read past
 *     len. s == NULL is treated as empty text, whatever len says.
 *   - Character tests are plain ASCII, not <ctype.h>: identifiers are ASCII
 *     by definition and the answer must not depend on the process locale.
 *   - On failure *why gets a static sentence naming the one thing to fix; on
 *     success *why is set to NULL so a caller that reuses the variable never
 *     shows a stale reason. Normalisers leave `out` as "" on failure and
 *     build the canonical form in a local buffer first, so `out` may even
 *     alias `s`.
 *   - Nothing allocates.
 */
#include "core/ident.h"

#include <string.h>

#include "util/err.h"

/* ---- small helpers ------------------------------------------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
static char to_upper(char c) { return is_lower(c) ? (char)(c - 'a' + 'A') : c; }

/* True when upper-case letter c is one of `set` (a short literal). */
static bool in_set(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

static int fail(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return SH_EINVAL;
}

static int ok(const char **why)
{
    if (why)
        *why = NULL;
    return SH_OK;
}

/* True when s[0..len) is non-empty and all ASCII digits. */
static bool all_digits(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* Sum of digit[i] * weight[i] over the first nine digits, weights 10..2:
 * the common core of the ULN and NHS number checks (facts §5.2, §5.3). */
static unsigned weighted_sum_10_to_2(const char *digits)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < 9; i++)
        sum += (unsigned)(digits[i] - '0') * (10u - i);
    return sum;
}

/* ---- UPN (facts §5.1) --------------------------------------------------- */

/* The 23 letters of the check alphabet; a letter's value is its index.
 * I, O and S are left out because they read as 1, 0 and 5. */
static const char UPN_ALPHABET[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
enum { UPN_MOD = 23 };

/* Value of a letter in the UPN alphabet (either case), or -1 if it is not
 * one of the 23 (I, O, S, or not a letter at all). */
static int upn_letter_value(char c)
{
    c = to_upper(c);
    if (!is_upper(c))
        return -1;
    const char *p = strchr(UPN_ALPHABET, c);
    return p ? (int)(p - UPN_ALPHABET) : -1;
}

char ident_upn_check_letter(const char body[12])
{
    if (!body)
        return 0;
    /* Positions 2-12 are digits; body[i] is position i + 2. */
    unsigned sum = 0;
    for (unsigned i = 0; i < 11; i++) {
        if (!is_digit(body[i]))
            return 0;
        sum += (unsigned)(body[i] - '0') * (i + 2u);
    }
    /* Position 13: a digit (permanent) or an alphabet letter (temporary). */
    int last;
    if (is_digit(body[11]))
        last = body[11] - '0';
    else if ((last = upn_letter_value(body[11])) < 0)
        return 0;
    sum += (unsigned)last * 13u;
    return UPN_ALPHABET[sum % UPN_MOD];
}

int ident_upn_normalise(const char *s, size_t len, char out[IDENT_UPN_LEN + 1],
                        ident_upn_kind *kind, const char **why)
{
    out[0] = '\0';
    if (!s || len == 0)
        return fail(why, "no UPN was given");
    /* Length first: with the wrong length every later message would point
     * at the wrong character. */
    if (len != IDENT_UPN_LEN)
        return fail(why, "a UPN has 13 characters: a letter, 11 digits, then a digit or a letter");
    if (!is_alpha(s[0]))
        return fail(why, "a UPN starts with a letter (its check letter)");
    if (upn_letter_value(s[0]) < 0)
        return fail(why, "a UPN never starts with I, O or S");
    for (size_t i = 1; i < IDENT_UPN_LEN - 1; i++)
        if (!is_digit(s[i]))
            return fail(why, "characters 2 to 12 of a UPN are all digits");

    char last = s[IDENT_UPN_LEN - 1];
    ident_upn_kind k;
    if (is_digit(last))
        k = IDENT_UPN_PERMANENT;
    else if (!is_alpha(last))
        return fail(why, "the last character of a UPN is a digit, or a letter in a temporary UPN");
    else if (upn_letter_value(last) < 0)
        return fail(why, "a temporary UPN never ends in I, O or S");
    else
        k = IDENT_UPN_TEMPORARY;

    /* Census error 1510. A static sentence (no allocation); naming the
     * expected letter is deliberately avoided, since the usual cause is a
     * mistyped digit, and "correcting" the letter would hide it. */
    if (ident_upn_check_letter(s + 1) != to_upper(s[0]))
        return fail(why, "the check letter does not match the rest of the UPN; "
                         "one of the characters is probably mistyped");

    char tmp[IDENT_UPN_LEN + 1];
    for (size_t i = 0; i < IDENT_UPN_LEN; i++)
        tmp[i] = to_upper(s[i]);
    tmp[IDENT_UPN_LEN] = '\0';
    memcpy(out, tmp, sizeof tmp);
    if (kind)
        *kind = k;
    return ok(why);
}

/* ---- ULN (facts §5.2) --------------------------------------------------- */

int ident_uln_validate(const char *s, size_t len, const char **why)
{
    if (!s || len == 0)
        return fail(why, "no ULN was given");
    /* Characters before length: "123 456 7890" is better told "digits only"
     * than "10 digits". */
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return fail(why, "a ULN contains only digits, with no spaces or letters");
    if (len != IDENT_ULN_LEN)
        return fail(why, "a ULN has 10 digits");
    unsigned r = weighted_sum_10_to_2(s) % 11u;
    if (r == 0)
        return fail(why, "this is not a ULN: no check digit is possible for its first nine digits");
    if ((unsigned)(s[9] - '0') != 10u - r)
        return fail(why, "the last digit of the ULN (its check digit) does not match the "
                         "other nine; one of the digits is probably mistyped");
    return ok(why);
}

/* ---- NHS number (facts §5.3) ------------------------------------------- */

/* Copies the 10 digits of an NHS number written as "9434765919",
 * "943 476 5919" or "943-476-5919" into digits[10]. Any other layout
 * (mixed separators, double spaces, other groupings) is refused: a number
 * laid out oddly is more likely two numbers run together or a typo than
 * a valid NHS number, and the rule is what NHS systems print. */
static bool nhs_layout(const char *s, size_t len, char digits[10])
{
    if (len == IDENT_NHS_LEN) {
        if (!all_digits(s, len))
            return false;
        memcpy(digits, s, IDENT_NHS_LEN);
        return true;
    }
    if (len != IDENT_NHS_LEN + 2)
        return false;
    char sep = s[3];
    if ((sep != ' ' && sep != '-') || s[7] != sep)
        return false;
    if (!all_digits(s, 3) || !all_digits(s + 4, 3) || !all_digits(s + 8, 4))
        return false;
    memcpy(digits, s, 3);
    memcpy(digits + 3, s + 4, 3);
    memcpy(digits + 6, s + 8, 4);
    return true;
}

int ident_nhs_normalise(const char *s, size_t len, char out[IDENT_NHS_LEN + 1],
                        const char **why)
{
    out[0] = '\0';
    if (!s || len == 0)
        return fail(why, "no NHS number was given");

    char d[IDENT_NHS_LEN];
    if (!nhs_layout(s, len, d)) {
        /* Pick the most specific reason for a caseworker. */
        size_t ndigits = 0;
        for (size_t i = 0; i < len; i++) {
            if (is_digit(s[i]))
                ndigits++;
            else if (s[i] != ' ' && s[i] != '-')
                return fail(why, "an NHS number contains only digits "
                                 "(optionally grouped 3-3-4 with spaces or hyphens)");
        }
        if (ndigits != IDENT_NHS_LEN)
            return fail(why, "an NHS number has 10 digits");
        return fail(why, "write an NHS number as 10 digits, or grouped 3-3-4 "
                         "with single spaces or hyphens, e.g. 943 476 5919");
    }

    unsigned check = 11u - weighted_sum_10_to_2(d) % 11u;
    if (check == 11u)
        check = 0;
    if (check == 10u)
        return fail(why, "this is not an NHS number: no check digit is possible "
                         "for its first nine digits");
    if ((unsigned)(d[9] - '0') != check)
        return fail(why, "the last digit of the NHS number (its check digit) does not "
                         "match the other nine; one of the digits is probably mistyped");

    memcpy(out, d, IDENT_NHS_LEN);
    out[IDENT_NHS_LEN] = '\0';
    return ok(why);
}

/* ---- Postcode (facts §5.4) ---------------------------------------------- */

/* Letter restrictions by position (Royal Mail rules, facts §5.4). */
#define PC_NOT_FIRST "QVX"
#define PC_NOT_SECOND "IJZ"
#define PC_A9A_THIRD "ABCDEFGHJKSTUW"
#define PC_AA9A_FOURTH "ABEHMNPRVWXY"
#define PC_NOT_INWARD "CIKMOV"

/* Validates an upper-case outward code (2-4 characters) against the six
 * formats A9, A99, AA9, AA99, A9A, AA9A and their letter rules. */
static int postcode_outward(const char *o, size_t n, const char **why)
{
    static const char *const bad_shape =
        "the first part of a postcode is one or two letters then a digit, "
        "e.g. M1, M60, CR2, DN55, W1A or EC1A";
    if (n < 2 || n > 4 || !is_upper(o[0]))
        return fail(why, bad_shape);
    if (in_set(o[0], PC_NOT_FIRST))
        return fail(why, "a postcode never starts with Q, V or X");

    size_t area = is_upper(o[1]) ? 2 : 1; /* letters before the district */
    if (area == 2 && in_set(o[1], PC_NOT_SECOND))
        return fail(why, "the second letter of a postcode is never I, J or Z");
    /* District: one digit, then optionally a second digit or a letter. */
    if (area >= n || !is_digit(o[area]))
        return fail(why, bad_shape);
    size_t rest = n - area - 1; /* characters after the first district digit */
    if (rest == 0)
        return SH_OK; /* A9, AA9 */
    if (rest > 1)
        return fail(why, bad_shape);
    char c = o[n - 1];
    if (is_digit(c))
        return SH_OK; /* A99, AA99 */
    if (!is_upper(c))
        return fail(why, bad_shape);
    if (area == 1 && !in_set(c, PC_A9A_THIRD))
        return fail(why, "in a postcode like W1A the third character can only be "
                         "A-H, J, K, S, T, U or W");
    if (area == 2 && !in_set(c, PC_AA9A_FOURTH))
        return fail(why, "in a postcode like EC1A the fourth character can only be "
                         "A, B, E, H, M, N, P, R, V, W, X or Y");
    return SH_OK; /* A9A, AA9A */
}

/* Validates an upper-case inward code: 9AA, letters not C, I, K, M, O, V. */
static int postcode_inward(const char *in, const char **why)
{
    if (!is_digit(in[0]) || !is_upper(in[1]) || !is_upper(in[2]))
        return fail(why, "the second part of a postcode is a digit then two letters, e.g. 1AA");
    if (in_set(in[1], PC_NOT_INWARD) || in_set(in[2], PC_NOT_INWARD))
        return fail(why, "the last two letters of a postcode are never C, I, K, M, O or V");
    return SH_OK;
}

int ident_postcode_normalise(const char *s, size_t len,
                             char out[IDENT_POSTCODE_MAX + 1], const char **why)
{
    out[0] = '\0';
    if (!s)
        len = 0;
    /* Surrounding blanks come from copy and paste; tolerate them. */
    while (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0)
        return fail(why, "no postcode was given");

    /* Compact to upper-case letters and digits, remembering the space. */
    char c[IDENT_POSTCODE_MAX];
    size_t n = 0, spaces = 0, space_at = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == ' ') {
            spaces++;
            space_at = n;
            continue;
        }
        if (!is_digit(ch) && !is_alpha(ch))
            return fail(why, "a postcode contains only letters, digits and one space");
        if (n == 7)
            return fail(why, "a postcode has 5 to 7 letters and digits, e.g. M1 1AA or EC1A 1BB");
        c[n++] = to_upper(ch);
    }
    if (n < 5)
        return fail(why, "a postcode has 5 to 7 letters and digits, e.g. M1 1AA or EC1A 1BB");
    if (spaces > 1 || (spaces == 1 && space_at != n - 3))
        return fail(why, "a postcode has at most one space, before its last three characters");

    size_t outward = n - 3;
    /* GIR 0AA (the former Girobank) breaks every rule above; it is the one
     * non-geographic code the facts file lists as valid. */
    bool gir = n == 6 && memcmp(c, "GIR0AA", 6) == 0;
    if (!gir) {
        /* Left to right, so the reason names the first thing wrong. */
        int rc = postcode_outward(c, outward, why);
        if (rc)
            return rc;
        rc = postcode_inward(c + outward, why);
        if (rc)
            return rc;
    }

    char tmp[IDENT_POSTCODE_MAX + 1];
    memcpy(tmp, c, outward);
    tmp[outward] = ' ';
    memcpy(tmp + outward + 1, c + outward, 3);
    tmp[n + 1] = '\0';
    memcpy(out, tmp, n + 2);
    return ok(why);
}

/* ---- URN and LA code (facts §5.5) --------------------------------------- */

int ident_urn_validate(const char *s, size_t len, const char **why)
{
    if (!s || len == 0)
        return fail(why, "no URN was given");
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return fail(why, "a URN contains only digits, with no spaces or signs");
    if (len < 6 || len > IDENT_URN_MAX)
        return fail(why, "a URN has 6 or 7 digits");
    for (size_t i = 0; i < len; i++)
        if (s[i] != '0')
            return ok(why);
    return fail(why, "a URN is never all zeros");
}

int ident_la_code_validate(const char *s, size_t len, const char **why)
{
    if (!s || len == 0)
        return fail(why, "no LA code was given");
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return fail(why, "an LA code contains only digits");
    if (len != 3)
        return fail(why, "an LA code has exactly 3 digits, e.g. 201");
    return ok(why);
}

/* ---- SEN codes (facts §4) ----------------------------------------------- */

/* Case-insensitive, exact-length match of s[0..len) against a code. */
static bool code_equals(const char *s, size_t len, const char *code)
{
    if (!s || strlen(code) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (to_upper(s[i]) != code[i])
            return false;
    return true;
}

/* CBDS codes and the DfE labels (facts §4.2), indexed by sen_type. The
 * labels drop the facts file's "e.g." examples: those are not part of the
 * category name. */
static const struct {
    const char *code;
    const char *label;
} SEN_TYPES[SEN_TYPE_COUNT] = {
    [SEN_SPLD] = {"SPLD", "Specific learning difficulty"},
    [SEN_MLD] = {"MLD", "Moderate learning difficulty"},
    [SEN_SLD] = {"SLD", "Severe learning difficulty"},
    [SEN_PMLD] = {"PMLD", "Profound and multiple learning difficulty"},
    [SEN_SEMH] = {"SEMH", "Social, emotional and mental health"},
    [SEN_SLCN] = {"SLCN", "Speech, language and communication needs"},
    [SEN_ASD] = {"ASD", "Autistic spectrum disorder"},
    [SEN_HI] = {"HI", "Hearing impairment"},
    [SEN_VI] = {"VI", "Vision impairment"},
    [SEN_MSI] = {"MSI", "Multi-sensory impairment"},
    [SEN_PD] = {"PD", "Physical disability"},
    [SEN_DS] = {"DS", "Down syndrome"},
    [SEN_OTH] = {"OTH", "Other difficulty/disability"},
    [SEN_NSA] = {"NSA", "SEN support but no specialist assessment of type of need"},
};

static bool sen_type_in_range(sen_type t)
{
    return (int)t >= 0 && (int)t < SEN_TYPE_COUNT;
}

int ident_sen_type_parse(const char *s, size_t len)
{
    for (int t = 0; t < SEN_TYPE_COUNT; t++)
        if (code_equals(s, len, SEN_TYPES[t].code))
            return t;
    return -1;
}

/* Out-of-range values give NULL rather than a made-up code, so a bad enum
 * value is caught where it is used, not written into a return. */
const char *ident_sen_type_code(sen_type t)
{
    return sen_type_in_range(t) ? SEN_TYPES[t].code : NULL;
}

const char *ident_sen_type_label(sen_type t)
{
    return sen_type_in_range(t) ? SEN_TYPES[t].label : NULL;
}

/* NSA records SEN support without an assessed need; a plan always follows
 * an assessment, so NSA with provision E is a data error (facts §4.2). */
bool ident_sen_type_valid_for_plan(sen_type t)
{
    return sen_type_in_range(t) && t != SEN_NSA;
}

/* Only the current codes: S (statement) ended in 2018 and A/P (School
 * Action/Plus) were abolished in 2014 (facts §4.1), so they are refused
 * rather than mapped. Parsed case-insensitively, like the SEN types. */
static const char *const SEN_PROVISIONS[] = {
    [SEN_PROVISION_E] = "E",
    [SEN_PROVISION_K] = "K",
    [SEN_PROVISION_N] = "N",
};
enum { SEN_PROVISION_COUNT = sizeof SEN_PROVISIONS / sizeof SEN_PROVISIONS[0] };

int ident_sen_provision_parse(const char *s, size_t len)
{
    for (int p = 0; p < SEN_PROVISION_COUNT; p++)
        if (code_equals(s, len, SEN_PROVISIONS[p]))
            return p;
    return -1;
}

const char *ident_sen_provision_code(sen_provision p)
{
    return (int)p >= 0 && (int)p < SEN_PROVISION_COUNT ? SEN_PROVISIONS[p] : NULL;
}
