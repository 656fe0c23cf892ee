/*
 * ident.h — identifiers used in the SEND data flow, with their check
 * algorithms (facts file §5). Pure functions: no I/O.
 *
 * Every validator takes the text as given by a person or a file (with its
 * length; no NUL needed), returns SH_OK or SH_EINVAL, and on failure sets
 * *why (if why is not NULL) to a static English sentence a caseworker can
 * act on, e.g. "the check letter does not match the digits" (never the
 * "right" letter: the usual cause is a mistyped digit, which that would hide).
 * On success *why is set to NULL.
 *
 * Normalisers write the canonical form into `out` (a NUL-terminated string
 * of the stated size) and validate at the same time.
 */
#ifndef SH_IDENT_H
#define SH_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#define IDENT_UPN_LEN 13
#define IDENT_ULN_LEN 10
#define IDENT_NHS_LEN 10
#define IDENT_POSTCODE_MAX 8 /* "EC1A 1BB" */
#define IDENT_URN_MAX 7      /* GIAS URNs are 6 digits today; allow 7 */

typedef enum { IDENT_UPN_PERMANENT, IDENT_UPN_TEMPORARY } ident_upn_kind;

/* Unique Pupil Number: 13 characters; position 1 is the check letter
 * (mod 23 over positions 2-13, alphabet ABCDEFGHJKLMNPQRTUVWXYZ);
 * permanent = letter + 12 digits, temporary = letter + 11 digits + letter.
 * Letters are accepted in either case; `out` receives upper case.
 * kind may be NULL. */
int ident_upn_normalise(const char *s, size_t len, char out[IDENT_UPN_LEN + 1],
                        ident_upn_kind *kind, const char **why);

/* The check letter a 12-character UPN body (positions 2-13) should carry,
 * or 0 when the body is not 11 digits + digit/permitted letter. */
char ident_upn_check_letter(const char body[12]);

/* Unique Learner Number: 10 digits, weights 10..2 on digits 1-9, remainder
 * mod 11; remainder 0 is invalid, else check digit = 10 - remainder. */
int ident_uln_validate(const char *s, size_t len, const char **why);

/* NHS number: 10 digits, optionally written with spaces or hyphens as
 * 3-3-4 ("943 476 5919"); modulus 11 check digit (11 -> 0, 10 -> invalid).
 * `out` receives the 10 digits. */
int ident_nhs_normalise(const char *s, size_t len, char out[IDENT_NHS_LEN + 1],
                        const char **why);

/* UK postcode, any case, with or without the space: validates the outward
 * and inward formats and letter rules of facts §5.4 (and GIR 0AA) and
 * writes the canonical upper-case form with one space ("SW1A 1AA"). */
int ident_postcode_normalise(const char *s, size_t len,
                             char out[IDENT_POSTCODE_MAX + 1], const char **why);

/* School/college URN: 6 or 7 digits, no leading sign, not all zeros. */
int ident_urn_validate(const char *s, size_t len, const char **why);

/* Local authority number: exactly 3 digits (the DfE "old" LA code). */
int ident_la_code_validate(const char *s, size_t len, const char **why);

/* CBDS SEN type codes (school census and SEN2). */
typedef enum {
    SEN_SPLD, SEN_MLD, SEN_SLD, SEN_PMLD, SEN_SEMH, SEN_SLCN, SEN_ASD,
    SEN_HI, SEN_VI, SEN_MSI, SEN_PD, SEN_DS, SEN_OTH, SEN_NSA,
    SEN_TYPE_COUNT
} sen_type;

/* Parses a code (case-insensitive, exact). -1 if it is not a code. */
int ident_sen_type_parse(const char *s, size_t len);
const char *ident_sen_type_code(sen_type t);   /* "ASD" */
const char *ident_sen_type_label(sen_type t);  /* "Autistic spectrum disorder" */
/* NSA is only valid with SEN provision K (SEN support), never with a plan. */
bool ident_sen_type_valid_for_plan(sen_type t);

/* CBDS SEN provision codes: E (EHC plan), K (SEN support), N (no SEN). */
typedef enum { SEN_PROVISION_E, SEN_PROVISION_K, SEN_PROVISION_N } sen_provision;
int ident_sen_provision_parse(const char *s, size_t len); /* -1 if invalid */
const char *ident_sen_provision_code(sen_provision p);

#endif
