/*
 * wait.h — health waiting lists: how long a referral has waited, and the
 * statistics a health manager and the NHS community health services (CHS)
 * return report (facts file §7).
 *
 * Pure: no I/O, no clock reads (the caller passes `as_of`), memory from the
 * caller (arrays it owns, an arena for working space).
 *
 * The wait. A referral's clock starts on its referral date and stops on the
 * pathway's clock-stop milestone: first contact, or assessment started (the
 * NICE QS51 measure for autism: "diagnostic assessment started within
 * 3 months of referral"). Days while the clock is stopped (a stop and its
 * restart; a stop with no restart = stopped still) do not count; whether a
 * pause is allowed is the app layer's decision, this module only applies the
 * stop/restart pairs it is given. A stop on day S restarted on day R removes
 * R - S days (the clock runs again from day R); the parts of a stop outside
 * [referral date, end of wait) are ignored.
 *
 * The list. A referral is on the waiting list at date D when it was received
 * on or before D, its clock-stop milestone is not on or before D, and it has
 * not left unseen on or before D (triage rejected/redirected — dated by its
 * triage date — or discharged). Referrals awaiting triage are on the list:
 * the clock runs from referral, not from acceptance (RTT rules; CHS counts
 * everyone referred and not yet seen).
 *
 * Bands, as the CHS SitRep counts them (days waited): 0-1 weeks (0-7 days),
 * 1-2 (8-14), 2-4 (15-28), 4-12 (29-84), 12-18 (85-126), 18-52 (127-364),
 * over 52 weeks (365 days and more); also over 78 weeks (> 546 days) and
 * over 104 weeks (> 728 days), which are subsets of over 52.
 *
 * "Within the standard" of S weeks means waited no more than 7*S days: RTT
 * counts a wait of exactly 18 weeks as within 18 weeks, and the 12-18 band
 * ends at 126 days, so "% within 18 weeks" equals the share of the bands up
 * to 12-18.
 *
 * Percentiles are nearest-rank over whole days: the p-th percentile of n
 * waits is the smallest wait w such that at least ceil(p * n / 100) waits
 * are <= w (the median is p = 50, i.e. the ceil(n/2)-th smallest). Why:
 * waits are already integers, so nearest-rank is exact integer arithmetic on
 * a day histogram (no sort, no floating point) and it is always a wait some
 * child actually had. It also reads directly against the RTT standard: "92%
 * waited no more than p92", so the 92% operational standard is met exactly
 * when p92 <= 126 days. (NHS RTT publications interpolate within weekly
 * bands because they only have weekly counts; we have days.) Waits longer
 * than WAIT_HIST_DAYS - 1 are counted in the last histogram day, so a
 * percentile at that value means "at least" it (reported via *_capped).
 *
 * Speed: wait_report_compute makes one pass over a compact array of
 * referrals (wait_referral, 40 bytes, as store_referrals_load fills it),
 * counting into day histograms taken from the caller's arena; nothing is
 * allocated per referral. 108,602 referrals (a 200,000-referral pathway
 * still listed over a 24-month trend) take 3-30 ms on the shared test
 * machine, against ~250 ms to read them (bench/RESULTS.md section 4).
 */
#ifndef SH_WAIT_H
#define SH_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "util/arena.h"

#define WAIT_HIST_DAYS 3653          /* day histogram: 0 .. 3652 days (10 years) */
#define WAIT_TREND_MAX_MONTHS 120    /* ceiling on a trend */
#define WAIT_STANDARD_MAX_WEEKS 104  /* ceiling on a pathway's standard */
#define WAIT_NAME_MAX 24             /* longest wire name below, with NUL */

/* What stops a pathway's clock (a property of the pathway). */
typedef enum {
    WAIT_STOP_FIRST_CONTACT,       /* "first_contact": therapies, CAMHS */
    WAIT_STOP_ASSESSMENT_STARTED,  /* "assessment_started": diagnostic pathways */
    WAIT_STOP_COUNT
} wait_milestone;

/* Triage outcome of a referral. Rejected and redirected referrals leave the
 * list on their triage date. */
typedef enum {
    WAIT_TRIAGE_PENDING,     /* "pending": not triaged yet (still waiting) */
    WAIT_TRIAGE_ACCEPTED,    /* "accepted" */
    WAIT_TRIAGE_REJECTED,    /* "rejected": a reason is required */
    WAIT_TRIAGE_REDIRECTED,  /* "redirected": to another service; reason required */
    WAIT_TRIAGE_COUNT
} wait_triage;

/* Clinical priority. Urgent referrals are seen before routine ones; within a
 * priority, first come first served (referral date, then referral id). */
typedef enum {
    WAIT_PRIORITY_ROUTINE, /* "routine" */
    WAIT_PRIORITY_URGENT,  /* "urgent" */
    WAIT_PRIORITY_COUNT
} wait_priority;

/* Wire names (stored in the database, shown in the API) and their parsers:
 * SH_EINVAL for an unknown name (out untouched). The name functions return
 * "" for an out-of-range value. */
const char *wait_milestone_name(wait_milestone m);
int wait_milestone_parse(const char *s, wait_milestone *out);
const char *wait_triage_name(wait_triage t);
int wait_triage_parse(const char *s, wait_triage *out);
const char *wait_priority_name(wait_priority p);
int wait_priority_parse(const char *s, wait_priority *out);

/* One clock stop: days from `stopped` (inclusive) to `restarted`
 * (exclusive) do not count. restarted == DATE_NONE: still stopped. */
typedef struct {
    date_t stopped;
    date_t restarted;
} wait_stop;

/* A referral as waiting statistics need it: compact, no pointers. Dates are
 * DATE_NONE when not (yet) recorded. Its stops are stops[stop_first ..
 * stop_first + stop_count - 1] of the wait_set it belongs to. */
typedef struct {
    int64_t id;                  /* referral id (ties in queue order) */
    date_t referred;             /* referral date, required */
    date_t triaged;              /* triage date (DATE_NONE while pending; the
                                    bulk read fills it only where it ends the
                                    wait: rejected, redirected) */
    date_t first_contact;
    date_t assessment_started;
    date_t discharged;
    uint32_t stop_first;
    uint16_t stop_count;
    uint8_t triage;              /* wait_triage */
    uint8_t priority;            /* wait_priority */
} wait_referral;

/* A pathway's referrals and their clock stops. refs should be ordered by
 * (referral date, id) — store_referrals_load does — for queue positions
 * (forecast.h); the statistics here do not depend on the order. */
typedef struct {
    const wait_referral *refs;
    size_t n;
    const wait_stop *stops;
    size_t n_stops;
} wait_set;

/* The milestone date that ends r's wait (first contact or assessment
 * started), DATE_NONE if not reached. */
date_t wait_seen_date(const wait_referral *r, wait_milestone stop);

/* The date r left the list unseen (rejected/redirected: triage date;
 * discharged before the milestone: discharge date), DATE_NONE if it has not
 * (a referral seen before discharge never "left unseen"). */
date_t wait_left_date(const wait_referral *r, wait_milestone stop);

/* Is r on the waiting list at the end of day `d`? (definition above) */
bool wait_is_waiting(const wait_referral *r, wait_milestone stop, date_t d);

/* Days r's clock has run from its referral date to `until` (exclusive),
 * minus the days stopped in between; `stops` is the set's stop array. Used
 * with until = as_of for the wait so far of someone waiting, and with
 * until = the seen date for a completed wait. 0 when until <= referred. */
int wait_days(const wait_referral *r, const wait_stop *stops, date_t until);

/* Is r's clock stopped at the end of day d (a stop on or before d not
 * restarted by d)? */
bool wait_is_paused(const wait_referral *r, const wait_stop *stops, date_t d);

/* Is a wait of `days` within a standard of `standard_weeks` weeks (no more
 * than 7 * standard_weeks days, as above)? The one definition the report's
 * within_standard counts and a single referral's history both use. */
bool wait_within_standard(int days, int standard_weeks);

/* ---- bands and percentiles -------------------------------------------- */

typedef enum {
    WAIT_BAND_0_1,    /* 0-7 days */
    WAIT_BAND_1_2,    /* 8-14 */
    WAIT_BAND_2_4,    /* 15-28 */
    WAIT_BAND_4_12,   /* 29-84 */
    WAIT_BAND_12_18,  /* 85-126 */
    WAIT_BAND_18_52,  /* 127-364 */
    WAIT_BAND_OVER_52, /* 365 and more */
    WAIT_BAND_COUNT
} wait_band;

#define WAIT_OVER_78_DAYS 546   /* "over 78 weeks" means days > this */
#define WAIT_OVER_104_DAYS 728  /* "over 104 weeks" */

/* The band of a wait of `days` (negative counts as 0). */
wait_band wait_band_of(int days);
/* "0-1 weeks", "1-2 weeks", ..., "18-52 weeks", "over 52 weeks". */
const char *wait_band_label(wait_band b);

/* Nearest-rank percentile (1..100) of the `total` waits counted in
 * hist[0 .. WAIT_HIST_DAYS-1]; -1 when total is 0. */
int wait_hist_percentile(const uint32_t *hist, size_t total, int pct);

/* 100 * part / whole rounded to one decimal as tenths of a percent
 * (e.g. 925 = 92.5%), -1 when whole is 0: integer so pages and the API
 * print the same figure. */
int wait_permille(size_t part, size_t whole);

/* ---- the report: list at a date, flow in a window, trend by month ----- */

typedef struct {
    date_t as_of;               /* the list is taken at the end of this day */
    wait_milestone clock_stop;  /* the pathway's */
    int standard_weeks;         /* the pathway's standard, 1..WAIT_STANDARD_MAX_WEEKS */
    date_t window_from;         /* flow counted for dates in [window_from, as_of];
                                   DATE_NONE = the 28 days ending as_of */
    date_t trend_from;          /* any day of the first trend month */
    int trend_months;           /* 0 (no trend) .. WAIT_TREND_MAX_MONTHS; months
                                   after as_of's month are not reported */
} wait_params;

/* Statistics of a set of waits (the list, or the completed waits of the
 * children seen). median/p92/longest are -1 when count is 0; *_capped is
 * true when that percentile reached the histogram's last day. */
typedef struct {
    size_t count;
    size_t band[WAIT_BAND_COUNT];
    size_t over_78, over_104;   /* subsets of band[WAIT_BAND_OVER_52] */
    size_t within_standard;     /* waits <= 7 * standard_weeks days */
    int median_days, p92_days, longest_days;
    bool median_capped, p92_capped;
} wait_summary;

/* One calendar month of the trend. */
typedef struct {
    int year, month;            /* month 1..12 */
    date_t end;                 /* the day the list is taken: month end, or
                                   as_of for as_of's own month */
    size_t received;            /* referrals with referral date in the month */
    size_t seen;                /* clock-stop milestones in the month */
    size_t waiting_end;         /* list size at `end` */
    int median_days_end;        /* median wait of those waiting at `end`, -1 none */
    int p92_days_end;           /* 92nd percentile of the same, -1 none */
} wait_month;

typedef struct {
    wait_summary waiting;       /* the list at as_of */
    size_t paused;              /* of the list: clock stopped at as_of */
    size_t pending_triage;      /* of the list: not triaged yet */
    size_t urgent;              /* of the list: urgent priority */
    wait_summary seen;          /* completed waits seen in the window */
    size_t received;            /* referrals received in the window */
    size_t left_unseen;         /* left the list unseen in the window */
    wait_month *trend;          /* trend_months entries (arena), NULL when 0 */
    int trend_count;            /* entries filled (months up to as_of's) */
} wait_report;

/* Computes the report in one pass over the set. Working space (one day
 * histogram per trend month, ~14.6 KB each, plus two) and out->trend come
 * from the arena: SH_ELIMIT at its ceiling. SH_EINVAL for bad params
 * (as_of DATE_NONE, standard out of range, trend_months out of range or
 * trend_from after as_of, a window starting after as_of) or a set whose
 * stop indexes point outside stops. Referrals without a referral date, or
 * referred after as_of, are ignored. */
int wait_report_compute(const wait_set *set, const wait_params *p, arena *a,
                        wait_report *out);

#endif
