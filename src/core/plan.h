/*
 * plan.h — the content of an EHC plan: its statutory sections A to K, each
 * separately identified (SEND Regulations 2014 reg 12(1); Code of Practice
 * 9.62-9.76; facts file §2), the links that make the "golden thread" from
 * need to outcome and provision, the checks a coordinator is warned by, and
 * the comparison of two versions section by section.
 *
 * Shape. Every section except I is a list of items; an item belongs to one
 * section and has an id unique within it, shown as its label ("B2", "F10",
 * "H1.3"): stable, so a comparison of two versions and the links between
 * items survive removals. What an item holds depends on its section's kind:
 *   A, J        text (views and aspirations; direct payments)
 *   B, C, D     needs: text (education, health, social care)
 *   E           outcomes: text and the needs it is for
 *   F, G, H1, H2 provision: what, who delivers it, how often (times per day/
 *               week/month/term/year), each time for how many minutes, for
 *               how many weeks or until the plan is reviewed, and the needs
 *               it meets (CoP 9.69: specified and quantified)
 *   K           advice received: the agency, the date and a summary
 * Section I names the setting by URN, or its type, or both.
 *
 * Two kinds of findings (plan_check): errors make a plan unusable (text too
 * long, a link to an item that does not exist or of the wrong section, an
 * invalid URN, quantities out of range) and are refused whenever a plan is
 * saved; warnings are what an inspector would criticise (a need with no
 * provision or no outcome, provision or an outcome meeting no need,
 * provision that is not quantified, no setting in section I) and are shown
 * to the coordinator while drafting, never refused.
 *
 * Pure: no I/O, no clock. A plan's items and strings live in the caller's
 * arena; a plan is changed by plan_put/plan_remove, which allocate a new
 * item array in the arena (plans are small; the ceilings bound the cost).
 */
#ifndef SH_PLAN_H
#define SH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/event.h"
#include "core/ident.h"
#include "util/arena.h"

/* Ceilings on a plan: an inspector's worst case (a child with complex needs
 * in every area) fits well within them; anything larger is a mistake or an
 * attack, refused with SH_ELIMIT or an error finding. */
#define PLAN_SECTION_ITEMS_MAX 60 /* items in one section */
#define PLAN_ITEMS_MAX 400        /* items in the whole plan */
#define PLAN_ID_MAX 999           /* an item's id within its section */
#define PLAN_TEXT_MAX 4000        /* bytes of a need, outcome, "what", view, summary */
#define PLAN_WHO_MAX 200          /* bytes of "who delivers it" */
#define PLAN_LINKS_MAX 12         /* needs one outcome or provision item is for */
#define PLAN_TIMES_MAX 100        /* how often: times per period */
#define PLAN_MINUTES_MAX 600      /* each time: minutes (a school day is ~390) */
#define PLAN_WEEKS_MAX 104        /* for how long: weeks (a plan is reviewed yearly) */
#define PLAN_LABEL_MAX 8          /* "H1.999" and its NUL */

typedef enum {
    PLAN_A, PLAN_B, PLAN_C, PLAN_D, PLAN_E, PLAN_F, PLAN_G, PLAN_H1, PLAN_H2,
    PLAN_I, PLAN_J, PLAN_K, PLAN_SECTION_COUNT
} plan_section;

typedef enum {
    PLAN_KIND_TEXT,      /* A, J */
    PLAN_KIND_NEED,      /* B, C, D */
    PLAN_KIND_OUTCOME,   /* E */
    PLAN_KIND_PROVISION, /* F, G, H1, H2 */
    PLAN_KIND_SETTING,   /* I (not a list) */
    PLAN_KIND_ADVICE,    /* K */
} plan_kind;

typedef enum { PLAN_PER_NONE = -1, PLAN_PER_DAY, PLAN_PER_WEEK, PLAN_PER_MONTH,
               PLAN_PER_TERM, PLAN_PER_YEAR, PLAN_PER_COUNT } plan_period;

typedef enum {
    PLAN_SETTING_NONE = -1, PLAN_SETTING_MAINSTREAM, PLAN_SETTING_RESOURCED,
    PLAN_SETTING_SPECIAL, PLAN_SETTING_INDEPENDENT_SPECIAL, PLAN_SETTING_EARLY_YEARS,
    PLAN_SETTING_POST16, PLAN_SETTING_ALTERNATIVE, PLAN_SETTING_OTHERWISE,
    PLAN_SETTING_COUNT
} plan_setting_type;

/* An item of a section: "B2" is {PLAN_B, 2}. */
typedef struct {
    plan_section section;
    int id;
} plan_ref;

typedef struct {
    plan_section section;
    int id;                 /* 1..PLAN_ID_MAX; 0 asks plan_put for the next */
    const char *text;       /* text, need, outcome, provision's "what", advice summary */
    const char *who;        /* provision: who delivers it ("" not given) */
    int times;              /* provision: how often, times per `per` (0 not given) */
    plan_period per;
    int minutes;            /* provision: each time, minutes (0 not given) */
    int weeks;              /* provision: for how many weeks (0 not given) */
    bool until_review;      /* provision: for as long as the plan, until reviewed */
    plan_ref links[PLAN_LINKS_MAX]; /* outcome, provision: the needs it is for */
    size_t n_links;
    event_agency agency;    /* advice: who gave it */
    date_t date;            /* advice: when it was received */
} plan_item;

typedef struct {
    plan_item *items;       /* ordered by section, then id */
    size_t n_items;
    char setting_urn[IDENT_URN_MAX + 1]; /* section I: "" when not named */
    plan_setting_type setting_type;      /* section I: PLAN_SETTING_NONE when not given */
} plan;

/* An empty plan (no items, no setting). */
void plan_init(plan *p);
/* An item of `section` with every field absent. */
void plan_item_init(plan_item *it, plan_section section);

/* Sections: wire names "A".."K" ("H1", "H2"), titles, and kinds. */
const char *plan_section_name(plan_section s);
int plan_section_parse(const char *s, size_t len);      /* -1 if unknown */
const char *plan_section_title(plan_section s);         /* "Special educational needs" */
plan_kind plan_section_kind(plan_section s);
/* True when provision in section `prov` may meet a need in section `need`:
 * F meets B, C or D (CoP 9.69: provision that educates or trains is
 * special educational provision wherever the need is written); G meets B or
 * C; H1 and H2 meet B or D. */
bool plan_link_allowed(plan_section prov, plan_section need);

const char *plan_period_name(plan_period p);            /* "week" */
plan_period plan_period_parse(const char *s, size_t len);
const char *plan_period_label(plan_period p);           /* "a week" */
const char *plan_setting_type_name(plan_setting_type t); /* "special" */
plan_setting_type plan_setting_type_parse(const char *s, size_t len);
const char *plan_setting_type_label(plan_setting_type t);

/* "B2", "H1.3" into out (PLAN_LABEL_MAX bytes); returns out. */
const char *plan_ref_label(plan_ref r, char *out, size_t n);
/* Parses a label; SH_EINVAL when it is not one (ids 1..PLAN_ID_MAX). */
int plan_ref_parse(const char *s, size_t len, plan_ref *out);

/* A deep copy of src (items and every string) in the arena, so the copy
 * outlives whatever memory src points into. SH_ENOMEM. */
int plan_copy(const plan *src, arena *a, plan *dst);

/* The item, or NULL. */
const plan_item *plan_find(const plan *p, plan_section s, int id);
/* One more than the highest id in the section (1 when empty). */
int plan_next_id(const plan *p, plan_section s);
size_t plan_section_count(const plan *p, plan_section s);

/* Adds `it` (a copy; its strings are not copied and must live as long as
 * the plan) or replaces the item with its section and id. An id of 0 takes
 * plan_next_id; *id_out (may be NULL) receives the id used. SH_ELIMIT when
 * the section or the plan is full or ids have run out, SH_EINVAL for a
 * section that is not a list (I) or an id out of range, SH_ENOMEM. */
int plan_put(plan *p, arena *a, const plan_item *it, int *id_out);
/* Removes an item and every link to it from other items (a removed need
 * leaves no dangling link). SH_ENOTFOUND when it is not there. */
int plan_remove(plan *p, arena *a, plan_section s, int id);

/* True when a provision item says what, who, how often, how long each time
 * and for how long. */
bool plan_quantified(const plan_item *it);
/* "3 times a week, 30 minutes each time, for 12 weeks" into the arena;
 * the parts not given are left out ("" when none). */
const char *plan_quantity_text(const plan_item *it, arena *a);

typedef enum { PLAN_ERROR, PLAN_WARNING } plan_severity;

typedef enum {
    PLAN_E_TEXT,          /* text missing, too long or with control characters */
    PLAN_E_WHO,           /* who: too long or control characters */
    PLAN_E_QUANTITY,      /* times/minutes/weeks/period out of range or inconsistent */
    PLAN_E_LINK,          /* a link to an item that is missing, not a need, or not allowed */
    PLAN_E_ADVICE,        /* section K: agency or date missing */
    PLAN_E_SETTING,       /* section I: URN invalid */
    PLAN_E_ITEM,          /* an id out of range, a duplicate, a section overfull */
    PLAN_W_NEED_NO_PROVISION,
    PLAN_W_NEED_NO_OUTCOME,
    PLAN_W_PROVISION_NO_NEED,
    PLAN_W_OUTCOME_NO_NEED,
    PLAN_W_UNQUANTIFIED,
    PLAN_W_NO_SETTING,
} plan_finding;

typedef struct {
    plan_severity severity;
    plan_finding code;
    plan_section section;
    int id;                 /* the item, 0 for the section as a whole */
    const char *field;      /* "text", "who", "times", "links", "urn", ... or NULL */
    const char *message;    /* one sentence naming the item ("Need B2 has no
                               provision in sections F, G or H."), in the arena */
} plan_issue;

/* Checks the whole plan; *out (in the arena) lists errors first, then
 * warnings, each in section order. SH_OK (findings are data, not failures)
 * or SH_ENOMEM. */
int plan_check(const plan *p, arena *a, plan_issue **out, size_t *n);
size_t plan_issue_count(const plan_issue *v, size_t n, plan_severity s);

/* Comparison of two versions, section by section. */
typedef enum { PLAN_ADDED, PLAN_REMOVED, PLAN_CHANGED } plan_change_kind;

typedef struct {
    plan_change_kind kind;
    plan_section section;
    int id;                  /* 0 for section I */
    const plan_item *before; /* NULL when added (and for section I) */
    const plan_item *after;  /* NULL when removed (and for section I) */
} plan_change;

/* The changes that turn `from` into `to`, in section order then id (items
 * are matched by section and id). Section I is one PLAN_CHANGED entry when
 * its URN or type differs. *out is in the arena. SH_OK or SH_ENOMEM. */
int plan_diff(const plan *from, const plan *to, arena *a, plan_change **out, size_t *n);
/* True when two items say the same thing (every field of their kind). */
bool plan_item_equal(const plan_item *x, const plan_item *y);

/* One advice received on the journey, for section K: the journey's
 * advice_received events (corrections applied: superseded events left out,
 * replacements in), in date order. *out in the arena. SH_OK or SH_ENOMEM.
 * request_id is 0 here; the app layer sets it to the advice request the
 * event answered when the advice itself is stored (app/advice.h). */
typedef struct {
    event_agency agency;
    date_t date;
    int64_t request_id;
} plan_advice;

int plan_advice_from_events(const event *events, size_t n, arena *a, plan_advice **out,
                            size_t *n_out);

#endif
