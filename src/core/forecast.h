/*
 * forecast.h — when will a child on a health waiting list be seen?
 *
 * Pure: no I/O, no clock reads, no allocation (the model is a caller-owned
 * struct of fixed size).
 *
 * The model: a deterministic weekly simulation of the pathway's queue as a
 * fluid (fractional children), explainable in a sentence per step:
 *   - the queue is first come first served within priority: every urgent
 *     child before any routine child; within a priority, by referral date
 *     then referral id (wait.h);
 *   - each week, `capacity_per_week` children are seen (reach the pathway's
 *     clock-stop milestone): first the urgent queue, then the routine one;
 *   - each week, new referrals arrive at the recent rate of each priority.
 *     New urgent referrals go ahead of every routine child, so they take
 *     capacity from the routine queue; new routine referrals join its tail
 *     and delay nobody already waiting;
 *   - each week a fraction `leave_per_week` of each queue leaves unseen
 *     (discharged, moved away), at the recent rate: each one ahead of a
 *     child who leaves moves it forward. Referrals rejected or redirected
 *     at triage are not counted: triage turns away recent referrals, at the
 *     tail of the list, not the children ahead of anyone (counting them
 *     made the demo's autism forecasts 1.25 weeks early on average).
 * A child at position k of its queue (1 = next) is seen in the first week
 * w in which the capacity offered to its queue (all of it to the urgent
 * queue; to the routine queue what the urgent one left), each week counted
 * with the attrition ahead of the child, reaches k: D(w) = sum over weeks
 * t <= w of offered(t) / (1 - leave)^t >= k. (Those ahead of it, k - 1 at
 * first, become A(w) = (1 - leave) A(w-1) - offered(w) = (1 - leave)^w *
 * (k - 1 - D(w)); the child's own turn needs one more unit: D(w) >= k.)
 * Within that week the day is interpolated linearly. A child referred
 * today is the last of its queue + 1.
 *
 * The "waiting list initiative" what-if is the same model built with
 * capacity_per_week + N.
 *
 * Rates come from history (forecast_rates_measure): arrivals, children seen
 * and children leaving unseen per week over the recent weeks. Capacity is
 * the pathway's configured capacity, or the measured rate of children seen
 * when the caller prefers what actually happened (the back-test does).
 *
 * The horizon is FORECAST_MAX_WEEKS: a child not reached by then gets
 * DATE_NONE ("not within 10 years at this capacity"), e.g. when urgent
 * arrivals take all the capacity.
 */
#ifndef SH_FORECAST_H
#define SH_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/wait.h"

#define FORECAST_MAX_WEEKS 520          /* horizon: 10 years */
#define FORECAST_MAX_RATE 100000.0      /* ceiling on any per-week rate */
#define FORECAST_RATE_WEEKS 12          /* the usual window for measured rates */
#define FORECAST_MAX_RATE_WEEKS 104

/* Rates per week measured over the weeks ending at an as-of date. */
typedef struct {
    double arrivals[WAIT_PRIORITY_COUNT]; /* referrals received, by priority */
    double seen;            /* clock-stop milestones reached */
    double leave_per_week;  /* fraction of the list leaving unseen per week,
                               0 .. 0.5: those discharged unseen (not those
                               turned away at triage) / mean list size */
} forecast_rates;

/* Measures rates over the `weeks` weeks ending on as_of (days in
 * (as_of - 7*weeks, as_of]), from what those dates say (only events dated
 * on or before as_of are used, so a back-test sees only what was known).
 * SH_EINVAL for weeks outside 1..FORECAST_MAX_RATE_WEEKS or as_of
 * DATE_NONE. */
int forecast_rates_measure(const wait_set *set, wait_milestone stop, date_t as_of,
                           int weeks, forecast_rates *out);

typedef struct {
    date_t as_of;                          /* "today": week 1 is the 7 days after it */
    double capacity_per_week;              /* 0 .. FORECAST_MAX_RATE */
    double arrivals[WAIT_PRIORITY_COUNT];  /* per week, 0 .. FORECAST_MAX_RATE */
    double leave_per_week;                 /* 0 .. 0.5 */
    size_t waiting[WAIT_PRIORITY_COUNT];   /* the list now, by priority */
} forecast_input;

/* The simulated queue (about 12.5 KB; caller-owned, on the stack is fine). */
typedef struct {
    forecast_input in;
    /* reach[p][w]: D(w) of queue p (see above), reach[p][0] = 0. Non-
     * decreasing; a child at position k of queue p is seen in the first
     * week w with reach[p][w] >= k. */
    double reach[WAIT_PRIORITY_COUNT][FORECAST_MAX_WEEKS + 1];
    /* list[w]: projected list size (both queues) at the end of week w;
     * list[0] is the list now. */
    double list[FORECAST_MAX_WEEKS + 1];
} forecast_model;

/* Runs the simulation. SH_EINVAL for a rate out of range, a NaN, or as_of
 * DATE_NONE (out is untouched then). */
int forecast_build(const forecast_input *in, forecast_model *out);

/* The estimated date the child at 1-based `position` of queue `p` is seen;
 * DATE_NONE beyond the horizon or for position 0. */
date_t forecast_seen_date(const forecast_model *m, wait_priority p, size_t position);

/* The estimated date a child referred on as_of with priority p is seen
 * (position = the queue's length + 1). */
date_t forecast_new_referral(const forecast_model *m, wait_priority p);

/* Queue positions at the end of day as_of: pos[i] is refs[i]'s 1-based
 * position in its priority's queue, 0 when refs[i] is not waiting. The set
 * must be ordered by (referral date, id) (store_referrals_load's order);
 * SH_EINVAL when it is not. counts[p] receives each queue's length (may
 * be NULL). */
int forecast_positions(const wait_set *set, wait_milestone stop, date_t as_of,
                       uint32_t *pos, size_t counts[WAIT_PRIORITY_COUNT]);

/* ---- back-test --------------------------------------------------------- */

typedef struct {
    wait_milestone clock_stop;
    date_t from, to;            /* as-of dates: from, from + 7*step_weeks, ... <= to */
    int step_weeks;             /* 1 .. 52 */
    int rate_weeks;             /* window of the measured rates, 1 .. FORECAST_MAX_RATE_WEEKS */
    double capacity_per_week;   /* > 0: this capacity at every as-of date;
                                   0: the seen rate measured at that date */
} forecast_backtest_params;

typedef struct {
    size_t as_of_dates;     /* as-of dates replayed */
    size_t compared;        /* forecasts compared with what happened */
    size_t beyond_horizon;  /* children later seen but forecast DATE_NONE
                               (not in the averages) */
    size_t not_seen;        /* children waiting at an as-of date never seen
                               in the history (left unseen or still waiting):
                               nothing to compare with */
    double mae_weeks;       /* mean |forecast - actual| in weeks; 0 if none */
    double bias_weeks;      /* mean (forecast - actual): > 0 = too late, pessimistic */
    size_t within_4_weeks;  /* compared forecasts within 28 days of actual */
} forecast_backtest_result;

/* Replays the history: at each as-of date, builds the model from what was
 * known then (the list at that date with positions, rates measured over the
 * rate window before it, the capacity as params say) and forecasts every
 * then-waiting child's seen date; compares each with the child's actual
 * seen date. The set must be ordered as for forecast_positions. SH_EINVAL
 * for bad params or order. Cost: O(n) per as-of date. */
int forecast_backtest(const wait_set *set, const forecast_backtest_params *p,
                      forecast_backtest_result *out);

#endif
