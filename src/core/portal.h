/*
 * portal.h — the family portal's rules that need no storage (issue 7): who
 * an invitation may be for, and whether an invitation code can still be
 * redeemed.
 *
 * Relationships: a parent (anyone with parental responsibility) or a carer
 * for a child; the young person themselves once they are over compulsory
 * school age, when the Children and Families Act 2014 gives the rights to
 * them. Compulsory school age ends on the last Friday of June of the school
 * year (1 September to 31 August) in which the child turns 16 (Education Act
 * 1996 s8; send-domain-facts.md, "Young person").
 *
 * Pure: no I/O, no clock; `now` and `today` come from the caller.
 */
#ifndef SH_CORE_PORTAL_H
#define SH_CORE_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/filetype.h"
#include "core/journey.h"

typedef enum { PORTAL_PARENT, PORTAL_CARER, PORTAL_YOUNG_PERSON, PORTAL_REL_COUNT } portal_rel;

const char *portal_rel_name(portal_rel r);  /* wire name: "young_person" */
const char *portal_rel_label(portal_rel r); /* "Young person (their own account)" */
int portal_rel_parse(const char *s);        /* -1 if unknown */

/* The last day of compulsory school age for a child born on `dob`. */
date_t portal_school_age_end(date_t dob);

/* May the young person born on `dob` hold their own account on `today`?
 * (After the end of compulsory school age.) */
bool portal_young_person_ok(date_t dob, date_t today);

/* How long an invitation lasts: the council sends it by letter or email, so
 * long enough to arrive and be acted on, short enough that a lost letter is
 * not a key for long. */
#define PORTAL_INVITE_DAYS 14

typedef enum { PORTAL_CODE_OK, PORTAL_CODE_USED, PORTAL_CODE_EXPIRED } portal_code_state;

/* An invitation made with `expires_at` and `used_at` (0 if unused), at `now`
 * (all unix seconds): used wins over expired, so a family who already
 * joined is told so. */
portal_code_state portal_code_check(int64_t expires_at, int64_t used_at, int64_t now);

/* The last day a family may respond to a draft plan served on `served`: at
 * least 15 days (SEND Regulations 2014, regulation 13(1)), counted as the
 * engine counts the same window for proposed amendments (regulation
 * 22(2)(c)): served + 15 days. */
date_t portal_draft_closes(date_t served);

/* ---- the journey in plain words, for families ------------------------------
 * Short sentences a parent in a hurry can read: no jargon, no regulation
 * numbers (the statutory explanation, journey_explain, is shown beside them
 * for those who want it). */

/* Where the case is, one or two sentences: "The council is deciding whether
 * to carry out an EHC needs assessment." */
const char *portal_stage_text(journey_stage s);

/* Who the family is waiting for, for an advice step of the timeline at
 * `as_of`: "Advice from health was due on 3 March 2026 and has not arrived
 * yet." / "Advice from health is due by 3 March 2026." / "Advice from health
 * arrived on 1 March 2026." Written into out (truncated to n); returns the
 * length it needed, 0 when d is not an advice step. */
size_t portal_advice_text(const journey_deadline *d, date_t as_of, char *out, size_t n);

/* What a completed step means, in the past tense, without its date: "The
 * council decided whether to carry out an assessment." / "Advice from health
 * arrived." Written into out (truncated to n); returns the length needed. */
size_t portal_done_text(const journey_deadline *d, char *out, size_t n);

/* What an audit log entry means for the family, as the end of a sentence
 * about who did it: "looked at the record", "changed the record", "was
 * refused access". `action` and `object` are the log's (store.h); anything
 * the wording does not know reads as "used the record". */
const char *portal_activity_text(const char *action, const char *object);

/* ---- files a family attaches to their views --------------------------------
 * A PDF, or a photo (a drawing, a school report on paper) as JPEG or PNG:
 * the formats a phone or a scanner makes and every browser shows. What a
 * file is comes from its first bytes, never from its name or the type the
 * browser declared (core/filetype.h, the one place that says what a file
 * is), so a renamed program is refused whatever it is called. */
#define PORTAL_FILE_MAX (5u << 20)   /* bytes of one attached file */
#define PORTAL_FILES_MAX 5           /* files attached to one submission */
#define PORTAL_FILENAME_MAX FILETYPE_FILENAME_MAX /* bytes of a stored file name */

typedef enum {
    PORTAL_FILE_PDF,
    PORTAL_FILE_JPEG,
    PORTAL_FILE_PNG,
    PORTAL_FILE_KIND_COUNT
} portal_file_kind;

const char *portal_file_kind_name(portal_file_kind k); /* wire name: "pdf", "jpeg", "png" */
int portal_file_kind_parse(const char *s);             /* -1 if unknown */
const char *portal_file_mime(portal_file_kind k);      /* "image/png" */
const char *portal_file_label(portal_file_kind k);     /* "PNG image" */

/* What the content of an uploaded file is, by filetype_check: a PDF (its
 * head, and "%%EOF" near its end), a JPEG or a PNG. SH_OK with
 * *kind set; SH_ELIMIT past PORTAL_FILE_MAX; SH_EINVAL for an empty file or
 * anything else; *why is then a static sentence for a person ("The file
 * must be a PDF, JPEG or PNG"). */
int portal_file_check(const unsigned char *data, size_t len, portal_file_kind *kind,
                      const char **why);

/* A safe name to store and to send in Content-Disposition: the base name of
 * what the browser sent (any path dropped), [A-Za-z0-9 ._-] kept and
 * anything else turned into '_', its extension replaced by the one its
 * content calls for (".pdf", ".jpg", ".png"), "attachment" when nothing
 * usable is left. out holds PORTAL_FILENAME_MAX + 1 bytes. */
void portal_filename_clean(const char *in, portal_file_kind kind, char *out);

/* ---- a second child on one account -------------------------------------------
 * An account is either a young person's own (their one link, as
 * young_person) or a parent's or carer's (any number of parent and carer
 * links: siblings, a foster child beside their own). So an invitation for a
 * young person always makes a new account (/portal/join): added to an
 * existing account it would let whoever holds that account speak and read as
 * the young person, whose rights they are once over compulsory school age.
 * And a young person's account does not take a parent's or carer's
 * invitation: the two voices stay apart, each with its own sign-in and its
 * own "who has looked". */
typedef enum {
    PORTAL_ADD_OK,
    PORTAL_ADD_YOUNG_PERSON_CODE, /* the invitation is for a young person's own account */
    PORTAL_ADD_OWN_ACCOUNT,       /* the account is a young person's own */
    PORTAL_ADD_FULL,              /* the account has the most children it may have */
} portal_add_rule;

/* May an invitation for `invited` be added to an account whose links have
 * the relationships `linked` (n of them, at most `max` allowed)? */
portal_add_rule portal_add_check(portal_rel invited, const portal_rel *linked, size_t n,
                                 size_t max);

#endif
