/*
 * metrics.h — the partnership's performance figures (issue 6), folded from
 * computed journeys in one pass.
 *
 * Every figure is a counter (metrics_counter) in a period: a calendar month,
 * a calendar year, a custom date range the caller chose for a comparison
 * ("before and after a given date"), or "now" (the snapshot at as_of:
 * caseload by need, age and setting, reviews overdue). One function decides
 * what each case contributes to which counter on which date (metrics.c,
 * `contribute`); the totals (metrics_add) and the list of cases behind one
 * figure (metrics_case_in) both go through it, so a drill-down always lists
 * exactly the children a figure counted. Lists are recomputed on demand
 * rather than kept per figure: a dashboard has thousands of figures and
 * keeping their case ids would cost more memory than rescanning one area.
 * Exact definitions of every figure: docs/METRICS.md.
 *
 * Pure: no I/O, no clock reads (as_of is given). A `metrics` is a plain
 * value (about 100 KiB, no pointers), so per-thread partial results over
 * case-id ranges merge with metrics_merge.
 */
#ifndef SH_METRICS_H
#define SH_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/event.h"
#include "core/ident.h"
#include "core/journey.h"

#define METRICS_YEARS_MAX 12   /* calendar years one dashboard covers */
#define METRICS_CUSTOM_MAX 4   /* caller-chosen periods (comparisons) */
#define METRICS_PERIODS (METRICS_YEARS_MAX * 12 + METRICS_YEARS_MAX + METRICS_CUSTOM_MAX)
#define METRICS_NOW (-1)       /* the period index of the snapshot at as_of */

/* Age bands of SEN2 caseload tables (age on as_of). */
typedef enum { AGE_UNDER_5, AGE_5_10, AGE_11_15, AGE_16_19, AGE_20_25, AGE_UNKNOWN,
               METRICS_AGE_COUNT } metrics_age_band;

/* Kinds of setting, from the settings table's type. */
typedef enum { SETK_EARLY_YEARS, SETK_MAINSTREAM, SETK_SPECIAL, SETK_FURTHER_EDUCATION,
               SETK_ALTERNATIVE, SETK_NONE, METRICS_SETTING_COUNT } metrics_setting_kind;

#define MC_NEED_COUNT (SEN_TYPE_COUNT + 1) /* SEN types, then "not recorded" */

typedef enum {
    /* flow: counted in the period of the date shown */
    MC_REQUESTS,          /* requests for assessment (request date) */
    MC_DECISIONS,         /* decisions whether to assess (decision date) */
    MC_DECISIONS_6W,      /*   of which within 6 weeks of the request */
    MC_REFUSALS,          /*   of which refusals */
    MC_ASSESSMENTS,       /*   of which agreed to assess */
    MC_PLANS,             /* new plans issued after a request (final plan date) */
    MC_PLANS_20W,         /*   of which within 20 weeks */
    MC_WEEKS_X10,         /*   sum of weeks request to plan, x10 */
    MC_OVER_YEAR,         /*   of which over 52 weeks */
    MC_PLANS_EXC,         /* new plans without a 20-week exception */
    MC_PLANS_EXC_20W,     /*   of which within 20 weeks */
    MC_WEEKS_EXC_X10,     /*   sum of weeks, x10 */
    MC_ADVICE,            /* advice received, per agency (+ agency) */
    MC_ADVICE_6W = MC_ADVICE + AGENCY_COUNT, /* of which within 6 weeks */
    MC_REVIEWS_DUE = MC_ADVICE_6W + AGENCY_COUNT, /* annual reviews due (due date, <= as_of) */
    MC_REVIEWS_ON_TIME,   /*   of which held by the due date */
    MC_TRANSFERS_DUE,     /* phase transfers due (15 Feb / 31 Mar, <= as_of) */
    MC_TRANSFERS_ON_TIME, /*   of which amended plan issued by then */
    MC_CEASED,            /* plans ceased (cease date) */
    MC_TRANSFERS_IN,      /* plans transferred in from another council */
    MC_CASELOAD,          /* plans in force on the January census day (that day) */
    /* snapshot: period METRICS_NOW only */
    MC_ACTIVE,            /* plans in force at as_of */
    MC_REVIEW_OVERDUE,    /*   whose annual review or review decision is overdue */
    MC_NOT_REVIEWED_12M,  /*   not reviewed in the 12 months to as_of (plan > 12 months old) */
    MC_NEED,              /*   by primary need (+ sen_type; + SEN_TYPE_COUNT none) */
    MC_AGE = MC_NEED + MC_NEED_COUNT, /* by age band (+ metrics_age_band) */
    MC_SETTING = MC_AGE + METRICS_AGE_COUNT, /* by kind of setting (+ kind) */
    MC_COUNT = MC_SETTING + METRICS_SETTING_COUNT
} metrics_counter;

typedef struct {
    date_t from, to; /* [from, to) */
} metrics_period;

typedef struct {
    date_t as_of;
    int first_year, years;   /* calendar years first_year .. first_year+years-1 */
    size_t n_custom;
    metrics_period custom[METRICS_CUSTOM_MAX];
    long cases;              /* cases folded */
    /* periods: months (year-major), then years, then custom */
    long v[METRICS_PERIODS][MC_COUNT];
    long now[MC_COUNT];
} metrics;

/* One case as the fold sees it: its events (log order), the timeline
 * journey_compute made of them at the metrics' as_of, and what is known of
 * the child. */
typedef struct {
    int64_t case_id;
    const event *events;
    size_t n;
    const journey_timeline *t;
    date_t date_of_birth;    /* DATE_NONE if unknown */
    int sen_need;            /* primary need (sen_type), -1 none */
    metrics_setting_kind setting;
} metrics_case;

/* Starts an empty fold covering calendar years first_year..last_year
 * (at most METRICS_YEARS_MAX) as of as_of, with up to METRICS_CUSTOM_MAX
 * extra periods. SH_EINVAL for a bad range, as_of unset or a custom period
 * that is empty or unset. */
int metrics_init(metrics *m, date_t as_of, int first_year, int last_year,
                 const metrics_period *custom, size_t n_custom);

/* Adds one case's contribution. */
void metrics_add(metrics *m, const metrics_case *c);

/* Adds `from`'s counts into `into` (same as_of, years and custom periods,
 * else SH_EINVAL and nothing is changed). */
int metrics_merge(metrics *into, const metrics *from);

/* Period indexes: a month (1-12) or a year in range, a custom period, or -2
 * when outside (-1 is METRICS_NOW, the snapshot). */
int metrics_period_month(const metrics *m, int year, int month);
int metrics_period_year(const metrics *m, int year);
int metrics_period_custom(const metrics *m, size_t i);
/* The dates a period index covers ([from, to)); SH_EINVAL for a bad index
 * (and for METRICS_NOW, which is a moment). */
int metrics_period_range(const metrics *m, int period, metrics_period *out);

/* A counter's value in a period (0 for a bad index). */
long metrics_value(const metrics *m, metrics_counter k, int period);

/* Does case c count in counter k in that period? (The drill-down.) For the
 * sums (MC_WEEKS_X10, MC_WEEKS_EXC_X10) it answers for the plans summed. */
bool metrics_case_in(const metrics *m, const metrics_case *c, metrics_counter k, int period);

/* Wire names of counters ("plans_20w", "advice_6w:health", "need:ASD",
 * "age:5-10", "setting:special") and back (-1 if unknown). */
const char *metrics_counter_name(metrics_counter k, char *out, size_t n);
int metrics_counter_parse(const char *s);

/* From a settings.type ("primary", "special", ...) to its kind. */
metrics_setting_kind metrics_setting_kind_of(const char *type);
const char *metrics_setting_label(metrics_setting_kind k);
const char *metrics_age_label(metrics_age_band b);

/* The January census day of a year: its third Thursday (the school census
 * and SEN2 caseload date). */
date_t metrics_census_day(int year);

/* 100 * num / den to one decimal place as tenths of a percent (465 for
 * 46.5%), or -1 when den is 0 (no such cases: "not applicable"). */
int metrics_rate_x10(long num, long den);

#endif
