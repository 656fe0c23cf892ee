/*
 * forecast.c — the weekly fluid simulation of a pathway's queue, queue
 * positions, measured rates and the back-test (model explained in
 * forecast.h).
 */
#include "core/forecast.h"

#include <math.h>
#include <string.h>

#include "util/err.h"

#define LEAVE_MAX 0.5
#define BACKTEST_MAX_DATES 1000 /* as-of dates in one back-test */

static bool rate_ok(double v, double max)
{
    return isfinite(v) && v >= 0 && v <= max;
}

/* ---- rates ------------------------------------------------------------- */

int forecast_rates_measure(const wait_set *set, wait_milestone stop, date_t as_of,
                           int weeks, forecast_rates *out)
{
    if (!set || as_of == DATE_NONE || weeks < 1 || weeks > FORECAST_MAX_RATE_WEEKS)
        return SH_EINVAL;
    date_t start = as_of - 7 * weeks; /* the window is (start, as_of] */
    size_t arrivals[WAIT_PRIORITY_COUNT] = {0}, seen = 0, left = 0;
    size_t list_start = 0, list_end = 0;
    for (size_t i = 0; i < set->n; i++) {
        const wait_referral *r = &set->refs[i];
        if (r->referred == DATE_NONE || r->referred > as_of)
            continue;
        if (r->referred > start)
            arrivals[r->priority < WAIT_PRIORITY_COUNT ? r->priority : 0]++;
        date_t s = wait_seen_date(r, stop);
        seen += s != DATE_NONE && s > start && s <= as_of;
        /* triage turns away recent referrals, at the tail of the list, not
         * the children ahead of anyone waiting: only discharges count */
        bool triaged_out = r->triage == WAIT_TRIAGE_REJECTED || r->triage == WAIT_TRIAGE_REDIRECTED;
        date_t l = wait_left_date(r, stop);
        left += !triaged_out && l != DATE_NONE && l > start && l <= as_of;
        list_start += wait_is_waiting(r, stop, start);
        list_end += wait_is_waiting(r, stop, as_of);
    }
    memset(out, 0, sizeof *out);
    for (int p = 0; p < WAIT_PRIORITY_COUNT; p++)
        out->arrivals[p] = (double)arrivals[p] / weeks;
    out->seen = (double)seen / weeks;
    /* those who left per week over the mean of the list at both ends */
    double mean_list = (list_start + list_end) / 2.0;
    if (mean_list > 0) {
        double f = (double)left / weeks / mean_list;
        out->leave_per_week = f < LEAVE_MAX ? f : LEAVE_MAX;
    }
    return SH_OK;
}

/* ---- the model --------------------------------------------------------- */

static int check_input(const forecast_input *in)
{
    if (!in || in->as_of == DATE_NONE || !rate_ok(in->capacity_per_week, FORECAST_MAX_RATE) ||
        !rate_ok(in->leave_per_week, LEAVE_MAX))
        return SH_EINVAL;
    for (int p = 0; p < WAIT_PRIORITY_COUNT; p++) {
        if (!rate_ok(in->arrivals[p], FORECAST_MAX_RATE))
            return SH_EINVAL;
    }
    return SH_OK;
}

int forecast_build(const forecast_input *in, forecast_model *out)
{
    int rc = check_input(in);
    if (rc)
        return rc;
    out->in = *in;
    double q[WAIT_PRIORITY_COUNT];
    for (int p = 0; p < WAIT_PRIORITY_COUNT; p++) {
        q[p] = (double)in->waiting[p];
        out->reach[p][0] = 0;
    }
    out->list[0] = q[WAIT_PRIORITY_ROUTINE] + q[WAIT_PRIORITY_URGENT];
    double keep = 1 - in->leave_per_week;
    double discount = 1; /* (1 - leave)^-w */
    for (int w = 1; w <= FORECAST_MAX_WEEKS; w++) {
        discount /= keep;
        double capacity = in->capacity_per_week;
        /* urgent first, then routine: the same order as the queue */
        static const wait_priority order[WAIT_PRIORITY_COUNT] = {WAIT_PRIORITY_URGENT,
                                                                 WAIT_PRIORITY_ROUTINE};
        for (int i = 0; i < WAIT_PRIORITY_COUNT; i++) {
            wait_priority p = order[i];
            /* all the capacity left is offered to this queue: a child at
             * any position of it would be seen, whether or not the
             * children the list projection counts fill it */
            out->reach[p][w] = out->reach[p][w - 1] + capacity * discount;
            q[p] = q[p] * keep + in->arrivals[p];
            double served = capacity < q[p] ? capacity : q[p];
            q[p] -= served;
            capacity -= served;
        }
        out->list[w] = q[WAIT_PRIORITY_ROUTINE] + q[WAIT_PRIORITY_URGENT];
    }
    return SH_OK;
}

date_t forecast_seen_date(const forecast_model *m, wait_priority p, size_t position)
{
    if (position == 0 || (unsigned)p >= WAIT_PRIORITY_COUNT)
        return DATE_NONE;
    const double *reach = m->reach[p];
    double k = (double)position;
    if (reach[FORECAST_MAX_WEEKS] < k)
        return DATE_NONE;
    int lo = 1, hi = FORECAST_MAX_WEEKS; /* the first week w with reach[w] >= k */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (reach[mid] >= k)
            hi = mid;
        else
            lo = mid + 1;
    }
    double frac = (k - reach[lo - 1]) / (reach[lo] - reach[lo - 1]);
    int day = (int)ceil(7 * frac);
    if (day < 1)
        day = 1;
    return m->in.as_of + 7 * (lo - 1) + day;
}

date_t forecast_new_referral(const forecast_model *m, wait_priority p)
{
    if ((unsigned)p >= WAIT_PRIORITY_COUNT)
        return DATE_NONE;
    return forecast_seen_date(m, p, m->in.waiting[p] + 1);
}

/* ---- positions --------------------------------------------------------- */

static bool ordered(const wait_set *set)
{
    for (size_t i = 1; i < set->n; i++) {
        const wait_referral *a = &set->refs[i - 1], *b = &set->refs[i];
        if (a->referred > b->referred || (a->referred == b->referred && a->id > b->id))
            return false;
    }
    return true;
}

static wait_priority priority_of(const wait_referral *r)
{
    return r->priority == WAIT_PRIORITY_URGENT ? WAIT_PRIORITY_URGENT : WAIT_PRIORITY_ROUTINE;
}

/* The length of each priority's queue at the end of day d. */
static void queue_lengths(const wait_set *set, wait_milestone stop, date_t d,
                          size_t counts[WAIT_PRIORITY_COUNT])
{
    memset(counts, 0, WAIT_PRIORITY_COUNT * sizeof counts[0]);
    for (size_t i = 0; i < set->n; i++) {
        if (wait_is_waiting(&set->refs[i], stop, d))
            counts[priority_of(&set->refs[i])]++;
    }
}

int forecast_positions(const wait_set *set, wait_milestone stop, date_t as_of,
                       uint32_t *pos, size_t counts[WAIT_PRIORITY_COUNT])
{
    if (!set || as_of == DATE_NONE || (set->n && !pos) || !ordered(set))
        return SH_EINVAL;
    size_t next[WAIT_PRIORITY_COUNT] = {0};
    for (size_t i = 0; i < set->n; i++) {
        const wait_referral *r = &set->refs[i];
        pos[i] = wait_is_waiting(r, stop, as_of) ? (uint32_t)++next[priority_of(r)] : 0;
    }
    if (counts)
        memcpy(counts, next, sizeof next);
    return SH_OK;
}

/* ---- back-test --------------------------------------------------------- */

static int check_backtest(const wait_set *set, const forecast_backtest_params *p)
{
    if (!set || !p || p->from == DATE_NONE || p->to == DATE_NONE || p->from > p->to)
        return SH_EINVAL;
    if ((unsigned)p->clock_stop >= WAIT_STOP_COUNT || p->step_weeks < 1 ||
        p->step_weeks > 52 || p->rate_weeks < 1 || p->rate_weeks > FORECAST_MAX_RATE_WEEKS ||
        !rate_ok(p->capacity_per_week, FORECAST_MAX_RATE))
        return SH_EINVAL;
    if ((p->to - p->from) / (7 * p->step_weeks) >= BACKTEST_MAX_DATES)
        return SH_EINVAL;
    return ordered(set) ? SH_OK : SH_EINVAL;
}

/* Sums of one back-test, turned into means at the end. */
typedef struct {
    forecast_backtest_result *out;
    double abs_days, signed_days;
} backtest_sums;

/* Forecasts every child waiting at t with model m and compares. */
static void backtest_compare(const wait_set *set, wait_milestone stop, date_t t,
                             const forecast_model *m, backtest_sums *sums)
{
    forecast_backtest_result *out = sums->out;
    size_t next[WAIT_PRIORITY_COUNT] = {0};
    for (size_t i = 0; i < set->n; i++) {
        const wait_referral *r = &set->refs[i];
        if (!wait_is_waiting(r, stop, t))
            continue;
        wait_priority p = priority_of(r);
        size_t position = ++next[p];
        date_t actual = wait_seen_date(r, stop);
        if (actual == DATE_NONE) {
            out->not_seen++;
            continue;
        }
        date_t forecast = forecast_seen_date(m, p, position);
        if (forecast == DATE_NONE) {
            out->beyond_horizon++;
            continue;
        }
        int diff = forecast - actual;
        out->compared++;
        sums->abs_days += diff < 0 ? -diff : diff;
        sums->signed_days += diff;
        out->within_4_weeks += diff >= -28 && diff <= 28;
    }
}

int forecast_backtest(const wait_set *set, const forecast_backtest_params *p,
                      forecast_backtest_result *out)
{
    int rc = check_backtest(set, p);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    backtest_sums sums = {.out = out};
    forecast_model m; /* ~12.5 KB, rebuilt for each as-of date */
    for (date_t t = p->from; t <= p->to; t += 7 * p->step_weeks) {
        forecast_rates rates;
        rc = forecast_rates_measure(set, p->clock_stop, t, p->rate_weeks, &rates);
        if (rc)
            return rc;
        forecast_input in = {.as_of = t, .leave_per_week = rates.leave_per_week};
        in.capacity_per_week = p->capacity_per_week > 0 ? p->capacity_per_week : rates.seen;
        memcpy(in.arrivals, rates.arrivals, sizeof in.arrivals);
        queue_lengths(set, p->clock_stop, t, in.waiting);
        rc = forecast_build(&in, &m);
        if (rc)
            return rc;
        backtest_compare(set, p->clock_stop, t, &m, &sums);
        out->as_of_dates++;
    }
    if (out->compared) {
        out->mae_weeks = sums.abs_days / 7.0 / (double)out->compared;
        out->bias_weeks = sums.signed_days / 7.0 / (double)out->compared;
    }
    return SH_OK;
}
