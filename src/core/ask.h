/*
 * ask.h — the rules for a request for an EHC needs assessment made online
 * by a family without an account (issue 7): what a complete, valid request
 * is, and the date the council must decide by.
 *
 * Who may ask (Children and Families Act 2014 s36(1); send-domain-facts.md
 * section 1, "Who may formally request an EHCNA"): the child's parent (a
 * carer who looks after the child is a parent in education law), or a young
 * person for themselves once over compulsory school age and under 25 (a
 * school or college asks through its own channels, not this form).
 *
 * The date rule: the council must decide whether to assess within 6 weeks
 * of RECEIVING the request (SEND Regulations 2014 reg 5(1); send-domain-
 * facts.md section 0, row 1). The day the online form arrived is therefore
 * the request date of the case the council opens from it, not the day a
 * caseworker first reads it; ask_decision_due asks the journey engine
 * (core/journey.h, the one rule table) for that date rather than adding six
 * weeks here.
 *
 * Pure: no I/O, no clock; `today` comes from the caller. Messages are static
 * GOV.UK-style sentences; normalised identifiers are written into the
 * caller's ask_clean.
 */
#ifndef SH_CORE_ASK_H
#define SH_CORE_ASK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/ident.h"
#include "core/portal.h"
#include "util/arena.h"

/* Ceilings on what a family may type (bytes). */
#define ASK_NAME_MAX 100     /* a child's or the asker's name, a part of it */
#define ASK_REL_MAX 100      /* "grandmother with a special guardianship order" */
#define ASK_EMAIL_MAX 254    /* RFC 5321's path limit */
#define ASK_PHONE_MAX 20     /* "+44 (0)7700 900 123" */
#define ASK_SETTING_MAX 200  /* the school, college or nursery by name */
#define ASK_TEXT_MAX 5000    /* needs, what has been tried: about a page each */
#define ASK_MAX_ERRORS 20

/* What the family typed, trimmed by the edge. NULL reads as "". The date of
 * birth is typed in three boxes the edge reads: DATE_NONE when it already
 * reported it missing or not a real date (no second message here). */
typedef struct {
    const char *asker_role;     /* portal_rel wire name: parent, carer, young_person */
    const char *relationship;   /* to the child; parents and carers only */
    const char *asker_name, *email, *phone;
    const char *forename, *surname;
    date_t date_of_birth;
    const char *postcode, *setting_name, *upn, *nhs_number;
    const char *needs, *tried;
    bool consent;               /* the declaration is ticked */
} ask_input;

/* The normalised parts of a valid request ("" for an optional one left out). */
typedef struct {
    portal_rel role;
    char postcode[IDENT_POSTCODE_MAX + 1];
    char upn[IDENT_UPN_LEN + 1];
    char nhs_number[IDENT_NHS_LEN + 1];
} ask_clean;

typedef struct {
    const char *field;   /* the form field's id: "email", "date_of_birth-day" */
    const char *message; /* static */
} ask_error;

typedef struct {
    ask_error e[ASK_MAX_ERRORS];
    size_t n;
} ask_errors;

/* Checks every field of `in` on `today`, adding one message per problem to
 * errs (which the caller zeroes) in the order the form asks; fills *out for
 * the fields that pass. Returns the number of problems (0: valid). */
size_t ask_check(const ask_input *in, date_t today, ask_clean *out, ask_errors *errs);

/* The last day for the council's decision whether to assess a request
 * received on `received`, from the journey engine's rule for that step.
 * SH_OK, or the engine's rc (SH_ENOMEM from the arena). */
int ask_decision_due(date_t received, arena *a, date_t *due);

/* Why a coordinator closed a request without starting one: "duplicate"
 * (the child already has a case), "not_this_council" (the child does not
 * live in the area), "withdrawn" (the family withdrew it), "other" (the note
 * says why). The label for a wire name, or NULL when it is none of them. */
const char *ask_close_reason_label(const char *reason);

/* The reference a family quotes: "ASK-<la_code>-<id, 6 digits>". Written
 * into out (at least ASK_REF_LEN + 1 bytes); returns out. */
#define ASK_REF_LEN 24
const char *ask_reference(const char *la_code, long long id, char *out, size_t n);

/* The acknowledgement e-mailed to the person who asked, when the request is
 * received (issue 7). Like every portal e-mail it holds no personal detail:
 * no child's name, date of birth or school, and no date (not even the day
 * the decision is due: a reader of someone else's mailbox learns only that
 * a request was made). It gives the reference shown on the confirmation
 * page, the rule that the council must decide within 6 weeks of receiving
 * the request (SEND Regulations 2014 reg 5(1)), and that the council will
 * be in touch. Written into out (at least ASK_ACK_BODY_MAX bytes, always
 * terminated); returns out. */
#define ASK_ACK_SUBJECT "Your request for an EHC needs assessment has been received"
#define ASK_ACK_BODY_MAX 1024
const char *ask_ack_body(const char *reference, char *out, size_t n);

#endif
