/*
 * sen2.h — the DfE SEN2 person-level return, built from the record: its
 * modules with the published field names, their validation, and the
 * headline figures the DfE publishes from them (facts file §3).
 *
 * Why here: councils build SEN2 by hand every January from spreadsheets;
 * sendhub already holds every request, decision and plan as an event log,
 * so the return (and the figures the DfE will publish about the council) is
 * a pure function of that log. The CLI, the /returns/sen2 page and the
 * dashboards all call this one module, so they cannot disagree.
 *
 * Reference period (facts §3.1): the return for collection year Y counts
 * activity in calendar year Y-1 (1 January to 31 December) and the caseload
 * as at the census date in January Y. The SEN2 census date of the current
 * year was not captured (facts §12); sendhub uses the spring school census
 * day, the third Thursday in January (facts §4.1), and says so in the notes.
 * Events dated after the census date are not read.
 *
 * One case (journey) is one `requests` record: a request for assessment,
 * or a plan transferred in from another LA (facts §3.2 hierarchy). A child
 * with several cases is one `person` with several requests. Fields sendhub
 * does not hold, and codes whose DfE lists were not available, are listed
 * by sen2_notes(): the output carries those notes.
 *
 * Pure: no I/O, no clock reads. Memory comes from the caller's arena and
 * lives as long as it does; inputs are only read (records point at the
 * caller's child strings, which must outlive them).
 */
#ifndef SH_SEN2_H
#define SH_SEN2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/event.h"
#include "core/ident.h"
#include "core/journey.h"
#include "util/arena.h"

#define SEN2_MIN_YEAR 2015    /* person-level data starts with the 2023 return,
                                 but councils back-fill; earlier is refused */
#define SEN2_MAX_YEAR 2199
#define SEN2_MAX_ISSUES 100000 /* ceiling on one return's validation report */

/* The return's reference period. */
typedef struct {
    int year;            /* collection year Y */
    date_t census;       /* third Thursday of January Y */
    date_t period_start; /* 1 January Y-1 */
    date_t period_end;   /* 31 December Y-1 */
} sen2_period;

/* SH_EINVAL for a year outside SEN2_MIN_YEAR..SEN2_MAX_YEAR.
 * A period is plain data: a dashboard may fill in its own (a month as
 * period_start..period_end, with census at its end) and count the same
 * figures over it with sen2_request_build and sen2_figures_add; `year` then
 * only decides the school-age band used by validation. */
int sen2_period_for(int year, sen2_period *out);

/* What sendhub holds about a child (the person module's source). Strings
 * are NUL-terminated, "" when absent. */
typedef struct {
    int64_t id;
    const char *forename, *surname;
    date_t birth;
    const char *upn;
    const char *postcode;
    int sen_need[2];          /* sen_type ranked 1, 2; -1 none */
    const char *setting_urn;  /* the child's current setting */
} sen2_child;

/* One `requests` record and the assessment / named plan / active plan
 * records under it. Dates are DATE_NONE and codes "" when absent; flags
 * are 0/1. */
typedef struct {
    int64_t case_id;
    int64_t child_id;
    bool transferred_in;        /* the journey starts with transfer_in */
    /* requests */
    date_t receiveddate;        /* request received (transfer date for a transfer in) */
    date_t requestoutcomedate;
    const char *requestoutcome; /* "A" assess, "R" refused (sendhub mapping) */
    int requestmediation, requesttribunal;
    /* assessment (present when has_assessment) */
    bool has_assessment;
    const char *assessmentoutcome; /* "Y" plan issued, "N" not issued (mapping) */
    date_t assessmentoutcomedate;
    int assessmentmediation, assessmenttribunal, othermediation, othertribunal;
    int week20;                 /* 20-week exceptions apply */
    /* namedplan (present when has_namedplan: a plan issued after assessment) */
    bool has_namedplan;
    date_t startdate, ceasedate;
    int ceasereason;            /* 1-9, 0 none */
    /* activeplans (present when has_activeplan: a plan in force at census) */
    bool has_activeplan;
    int transferla;             /* transferred in during the reference year */
    date_t reviewmeeting, lastreview, reviewdraft;
    const char *reviewoutcome;  /* "M" maintain, "A" amend, "C" cease (mapping) */
    date_t phasetransferduedate, phasetransferfinaldate;
    /* for the figures: the journey's own timeliness as at census */
    int within_20_weeks;        /* -1 none, 0, 1 (journey_timeline) */
    int weeks_x10;              /* request to final plan, weeks x10; -1 none */
    bool mediation_before_plan; /* request/assessment mediation or tribunal
                                   before the plan: out of the timeliness base */
    date_t plan_ceased;         /* any plan (also transferred in) ceased, else DATE_NONE */
    int plan_cease_reason;
    date_t mediation_date[3], tribunal_date[3]; /* request, assessment, other */
} sen2_request;

/* Builds the record of one journey for a period. Events are the case's log
 * as stored (corrections applied here). *in_scope is false (and *out
 * undefined) when the case belongs in neither the caseload at census nor the
 * year's activity, nor was ongoing at the year's end. Returns SH_OK,
 * SH_EINVAL with *err filled for a journey that does not validate (the
 * return reports it), SH_ENOMEM. */
int sen2_request_build(const sen2_period *p, int64_t case_id, int64_t child_id,
                       const event *events, size_t n, arena *a, sen2_request *out,
                       bool *in_scope, journey_error *err);

/* ---- validation ---------------------------------------------------------- */

typedef enum { SEN2_ERROR, SEN2_WARNING } sen2_severity;
/* Where a person fixes it. */
typedef enum { SEN2_FIX_CHILD, SEN2_FIX_CASE } sen2_fix;

typedef struct {
    sen2_severity severity;   /* errors block the return; warnings are
                                 what COLLECT would query */
    sen2_fix fix;
    int64_t child_id, case_id; /* 0 when not about one */
    const char *module;       /* "person", "requests", ... (published names) */
    const char *field;        /* published field name, "" for the record */
    const char *message;      /* a sentence that reads after the field: what is
                                 wrong and what to do (static, or in the
                                 return's arena for a journey's own error) */
} sen2_issue;

/* ---- the return ---------------------------------------------------------- */

typedef struct {
    const sen2_child *child;
    char upnunknown[4];        /* "UN1" when a child under school age has no UPN */
    sen2_request *requests;    /* ordered by case id */
    size_t n_requests;
} sen2_person;

typedef struct {
    sen2_period period;
    char lea[4];
    sen2_person *persons;      /* ordered by child id */
    size_t n_persons;
    sen2_issue *issues;        /* errors first, then warnings; each group in
                                  child order, duplicate UPNs last */
    size_t n_issues, n_errors;
} sen2_return;

/* One case as read from the store. */
typedef struct {
    int64_t case_id, child_id;
    const event *events;
    size_t n;
} sen2_case;

/* Builds and validates the whole return. children must be sorted by id
 * (ascending, unique); cases in any order. A case whose child is missing or
 * whose journey does not validate becomes an error in the report, not a
 * failure. Returns SH_OK, SH_EINVAL (lea not 3 digits, children unsorted),
 * SH_ELIMIT (more than SEN2_MAX_ISSUES issues), SH_ENOMEM. */
int sen2_build(const sen2_period *p, const char *lea, const sen2_child *children,
               size_t n_children, const sen2_case *cases, size_t n_cases, arena *a,
               sen2_return *out);

/* Checks one person and their requests, appending issues through `add`
 * (which returns non-zero to stop). Used by sen2_build; exposed so a page
 * can check one child's record. */
typedef int (*sen2_issue_fn)(void *ctx, const sen2_issue *issue);
int sen2_validate_person(const sen2_period *p, const sen2_person *person,
                         sen2_issue_fn add, void *ctx);

/* Human labels. */
const char *sen2_severity_name(sen2_severity s); /* "error", "warning" */
const char *sen2_fix_label(sen2_fix f);          /* "the child's record", "the case's journey" */

/* The notes every output carries: the mappings sendhub chose where the DfE
 * code list was not available, and the fields it does not hold. Static. */
size_t sen2_note_count(void);
const char *sen2_note_code(size_t i);  /* "requestoutcome" */
const char *sen2_note_text(size_t i);

/* ---- headline figures (facts §3.3) --------------------------------------- */

/* Each figure by its published (EES sen2_mi / timeliness) name. Counts and
 * sums accumulate with sen2_figures_add; rates are derived on output. */
typedef enum {
    SEN2_INREQ_EHC, SEN2_INREQ_EHC_Y, SEN2_INREQ_EHC_A, SEN2_ASS_REFUSED_EHC,
    SEN2_ASSESSMENTS, SEN2_ASS_NONE_EHC, SEN2_ASS_NODECISION_EHC, SEN2_NEW_ALL_EHC,
    SEN2_TOT_INC_EXC_EHC, SEN2_INC_EXC_20WEEK_EHC, SEN2_TOT_NO_EXC_EHC,
    SEN2_NO_EXC_20WEEK_EHC, SEN2_GT_1_YEAR, SEN2_GT_1_YEAR_EX,
    SEN2_WEEKS_X10_SUM, SEN2_WEEKS_X10_SUM_EX,
    SEN2_CASELOAD, SEN2_TRANSFERS_IN, SEN2_NEED_UNKNOWN,
    SEN2_DISCONTINUED, /* + reason 1-9 follow */
    SEN2_DISCONTINUED_R1, SEN2_DISCONTINUED_R9 = SEN2_DISCONTINUED_R1 + 8,
    SEN2_REQUEST_MEDIATION, SEN2_REQUEST_TRIBUNAL, SEN2_ASSESSMENT_MEDIATION,
    SEN2_ASSESSMENT_TRIBUNAL, SEN2_OTHER_MEDIATION, SEN2_OTHER_TRIBUNAL,
    SEN2_TRIBUNAL_AFTER_MEDIATION,
    SEN2_NEED_FIRST, /* caseload by primary need: one count per sen_type */
    SEN2_COUNTER_COUNT = SEN2_NEED_FIRST + SEN_TYPE_COUNT
} sen2_counter;

typedef struct {
    sen2_period period;
    long c[SEN2_COUNTER_COUNT];
} sen2_figures;

void sen2_figures_init(sen2_figures *f, const sen2_period *p);
/* Adds one in-scope record; primary_need is the child's sen_type, -1 none. */
void sen2_figures_add(sen2_figures *f, const sen2_request *r, int primary_need);
/* Adds another accumulator of the same period (per-thread scans, areas). */
void sen2_figures_merge(sen2_figures *into, const sen2_figures *from);
/* Every record of a built return. */
void sen2_figures_of_return(sen2_figures *f, const sen2_return *r);

/* The published figures, in publication order: name ("inc_exc_20week_rate"),
 * a label for people, and the value as EES writes it: an integer, a rate
 * or average with one decimal ("58.7"), "z" not applicable (a rate over
 * nothing), "x" not available (sendhub does not hold what it needs). */
size_t sen2_figure_count(void);
const char *sen2_figure_name(size_t i);
const char *sen2_figure_label(size_t i);
/* Writes the value into out (at least 16 bytes) and returns out. */
const char *sen2_figure_value(const sen2_figures *f, size_t i, char *out, size_t n);
/* Index of a figure by name, or -1. */
int sen2_figure_find(const char *name);
/* A rate in tenths of a percent (587 = 58.7%), -1 when den is 0: the
 * rounding every rate uses (half up), so dashboards match the return. */
int sen2_rate_x10(long num, long den);

#endif
