/*
 * wait.c — waits, wait bands, nearest-rank percentiles and the monthly trend
 * of a health waiting list (contract and definitions in wait.h).
 *
 * The report is one pass over the referrals: each wait is counted into a
 * day histogram (the list at as_of, the waits seen in the window, and the
 * list at each trend month's end), and every percentile is then read off a
 * histogram by a cumulative scan. Waits are whole days, so a histogram of
 * 10 years of days is exact where a sort would cost n log n and memory per
 * referral.
 */
#include "core/wait.h"

#include <string.h>

#include "util/err.h"

static const char *const milestone_names[WAIT_STOP_COUNT] = {
    [WAIT_STOP_FIRST_CONTACT] = "first_contact",
    [WAIT_STOP_ASSESSMENT_STARTED] = "assessment_started",
};

static const char *const triage_names[WAIT_TRIAGE_COUNT] = {
    [WAIT_TRIAGE_PENDING] = "pending",
    [WAIT_TRIAGE_ACCEPTED] = "accepted",
    [WAIT_TRIAGE_REJECTED] = "rejected",
    [WAIT_TRIAGE_REDIRECTED] = "redirected",
};

static const char *const priority_names[WAIT_PRIORITY_COUNT] = {
    [WAIT_PRIORITY_ROUTINE] = "routine",
    [WAIT_PRIORITY_URGENT] = "urgent",
};

static const char *const band_labels[WAIT_BAND_COUNT] = {
    [WAIT_BAND_0_1] = "0-1 weeks",     [WAIT_BAND_1_2] = "1-2 weeks",
    [WAIT_BAND_2_4] = "2-4 weeks",     [WAIT_BAND_4_12] = "4-12 weeks",
    [WAIT_BAND_12_18] = "12-18 weeks", [WAIT_BAND_18_52] = "18-52 weeks",
    [WAIT_BAND_OVER_52] = "over 52 weeks",
};

/* The last day of each band but the open-ended last one (facts file §7.3). */
static const int band_last_day[WAIT_BAND_COUNT - 1] = {7, 14, 28, 84, 126, 364};

static int name_parse(const char *const *names, int count, const char *s, int *out)
{
    if (!s)
        return SH_EINVAL;
    for (int i = 0; i < count; i++) {
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return SH_OK;
        }
    }
    return SH_EINVAL;
}

const char *wait_milestone_name(wait_milestone m)
{
    return (unsigned)m < WAIT_STOP_COUNT ? milestone_names[m] : "";
}

int wait_milestone_parse(const char *s, wait_milestone *out)
{
    int v;
    int rc = name_parse(milestone_names, WAIT_STOP_COUNT, s, &v);
    if (rc == SH_OK)
        *out = (wait_milestone)v;
    return rc;
}

const char *wait_triage_name(wait_triage t)
{
    return (unsigned)t < WAIT_TRIAGE_COUNT ? triage_names[t] : "";
}

int wait_triage_parse(const char *s, wait_triage *out)
{
    int v;
    int rc = name_parse(triage_names, WAIT_TRIAGE_COUNT, s, &v);
    if (rc == SH_OK)
        *out = (wait_triage)v;
    return rc;
}

const char *wait_priority_name(wait_priority p)
{
    return (unsigned)p < WAIT_PRIORITY_COUNT ? priority_names[p] : "";
}

int wait_priority_parse(const char *s, wait_priority *out)
{
    int v;
    int rc = name_parse(priority_names, WAIT_PRIORITY_COUNT, s, &v);
    if (rc == SH_OK)
        *out = (wait_priority)v;
    return rc;
}

/* ---- one referral ------------------------------------------------------ */

date_t wait_seen_date(const wait_referral *r, wait_milestone stop)
{
    return stop == WAIT_STOP_FIRST_CONTACT ? r->first_contact : r->assessment_started;
}

static date_t earlier(date_t a, date_t b)
{
    if (a == DATE_NONE)
        return b;
    if (b == DATE_NONE)
        return a;
    return a < b ? a : b;
}

date_t wait_left_date(const wait_referral *r, wait_milestone stop)
{
    date_t left = r->discharged;
    if (r->triage == WAIT_TRIAGE_REJECTED || r->triage == WAIT_TRIAGE_REDIRECTED)
        left = earlier(left, r->triaged != DATE_NONE ? r->triaged : r->referred);
    date_t seen = wait_seen_date(r, stop);
    if (left != DATE_NONE && seen != DATE_NONE && seen <= left)
        return DATE_NONE;
    return left;
}

/* The first day r is off the list (seen or left unseen), DATE_NONE if it
 * is still on it. */
static date_t exit_date(const wait_referral *r, wait_milestone stop)
{
    return earlier(wait_seen_date(r, stop), wait_left_date(r, stop));
}

bool wait_is_waiting(const wait_referral *r, wait_milestone stop, date_t d)
{
    if (r->referred == DATE_NONE || d == DATE_NONE || r->referred > d)
        return false;
    date_t exit = exit_date(r, stop);
    return exit == DATE_NONE || exit > d;
}

int wait_days(const wait_referral *r, const wait_stop *stops, date_t until)
{
    if (r->referred == DATE_NONE || until == DATE_NONE || until <= r->referred)
        return 0;
    int days = until - r->referred;
    for (unsigned i = 0; i < r->stop_count; i++) {
        const wait_stop *st = &stops[r->stop_first + i];
        date_t from = st->stopped > r->referred ? st->stopped : r->referred;
        date_t to = st->restarted == DATE_NONE || st->restarted > until ? until
                                                                         : st->restarted;
        if (to > from)
            days -= to - from;
    }
    return days < 0 ? 0 : days;
}

bool wait_is_paused(const wait_referral *r, const wait_stop *stops, date_t d)
{
    for (unsigned i = 0; i < r->stop_count; i++) {
        const wait_stop *st = &stops[r->stop_first + i];
        if (st->stopped <= d && (st->restarted == DATE_NONE || st->restarted > d))
            return true;
    }
    return false;
}

bool wait_within_standard(int days, int standard_weeks) { return days <= 7 * standard_weeks; }

/* ---- bands and percentiles --------------------------------------------- */

wait_band wait_band_of(int days)
{
    for (int b = 0; b < WAIT_BAND_COUNT - 1; b++) {
        if (days <= band_last_day[b])
            return (wait_band)b;
    }
    return WAIT_BAND_OVER_52;
}

const char *wait_band_label(wait_band b)
{
    return (unsigned)b < WAIT_BAND_COUNT ? band_labels[b] : "";
}

int wait_hist_percentile(const uint32_t *hist, size_t total, int pct)
{
    if (total == 0 || pct < 1 || pct > 100)
        return -1;
    /* ceil(pct * total / 100) without floating point */
    size_t rank = ((size_t)pct * total + 99) / 100;
    size_t cum = 0;
    for (int d = 0; d < WAIT_HIST_DAYS; d++) {
        cum += hist[d];
        if (cum >= rank)
            return d;
    }
    return WAIT_HIST_DAYS - 1;
}

int wait_permille(size_t part, size_t whole)
{
    if (whole == 0)
        return -1;
    return (int)((part * 1000 + whole / 2) / whole);
}

/* ---- the report -------------------------------------------------------- */

static int hist_day(int days)
{
    return days < WAIT_HIST_DAYS ? days : WAIT_HIST_DAYS - 1;
}

/* A summary being counted: its histogram and the standard it is judged by. */
typedef struct {
    wait_summary *sum;
    uint32_t *hist;
    int standard_weeks;
} tally;

static void tally_add(tally *t, int days)
{
    wait_summary *s = t->sum;
    s->count++;
    t->hist[hist_day(days)]++;
    s->band[wait_band_of(days)]++;
    s->over_78 += days > WAIT_OVER_78_DAYS;
    s->over_104 += days > WAIT_OVER_104_DAYS;
    s->within_standard += wait_within_standard(days, t->standard_weeks);
    if (days > s->longest_days)
        s->longest_days = days;
}

static void tally_finish(tally *t)
{
    wait_summary *s = t->sum;
    s->median_days = wait_hist_percentile(t->hist, s->count, 50);
    s->p92_days = wait_hist_percentile(t->hist, s->count, 92);
    s->median_capped = s->median_days == WAIT_HIST_DAYS - 1;
    s->p92_capped = s->p92_days == WAIT_HIST_DAYS - 1;
}

static bool in_range(date_t d, date_t from, date_t to)
{
    return d != DATE_NONE && d >= from && d <= to;
}

static int check_params(const wait_set *set, const wait_params *p)
{
    if (!set || !p || p->as_of == DATE_NONE)
        return SH_EINVAL;
    if (set->n && !set->refs)
        return SH_EINVAL;
    if (p->standard_weeks < 1 || p->standard_weeks > WAIT_STANDARD_MAX_WEEKS)
        return SH_EINVAL;
    if ((unsigned)p->clock_stop >= WAIT_STOP_COUNT)
        return SH_EINVAL;
    if (p->window_from != DATE_NONE && p->window_from > p->as_of)
        return SH_EINVAL;
    if (p->trend_months < 0 || p->trend_months > WAIT_TREND_MAX_MONTHS)
        return SH_EINVAL;
    if (p->trend_months && (p->trend_from == DATE_NONE || p->trend_from > p->as_of))
        return SH_EINVAL;
    return SH_OK;
}

/* The trend's months: first day of the first month in *start, each month's
 * list day (its last day, or as_of in as_of's month) in out[k].end. Returns
 * the number of months up to as_of's, at most p->trend_months. */
static int trend_months(const wait_params *p, wait_month *out, date_t *start)
{
    int y, m;
    date_to_ymd(p->trend_from, &y, &m, NULL);
    date_from_ymd(y, m, 1, start);
    date_t first = *start;
    int k = 0;
    while (k < p->trend_months && first <= p->as_of) {
        date_t next = date_add_months(first, 1);
        wait_month *wm = &out[k++];
        memset(wm, 0, sizeof *wm);
        date_to_ymd(first, &wm->year, &wm->month, NULL);
        wm->end = next - 1 < p->as_of ? next - 1 : p->as_of;
        first = next;
    }
    return k;
}

/* Index of the trend month containing d (d >= the trend's start), or
 * `count` when d is after the last month: a binary search over the ends. */
static int month_of(const wait_month *months, int count, date_t d)
{
    int lo = 0, hi = count;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (months[mid].end < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Working state of one report. */
typedef struct {
    const wait_set *set;
    const wait_params *p;
    wait_report *out;
    date_t window_from;
    tally waiting, seen;
    uint32_t *month_hist; /* trend_count histograms, one after another */
    date_t trend_start;
} report_run;

static void count_trend(report_run *run, const wait_referral *r, date_t seen, date_t exit)
{
    wait_report *out = run->out;
    int count = out->trend_count;
    wait_month *months = out->trend;
    if (in_range(r->referred, run->trend_start, run->p->as_of))
        months[month_of(months, count, r->referred)].received++;
    if (in_range(seen, run->trend_start, run->p->as_of))
        months[month_of(months, count, seen)].seen++;
    int k = r->referred < run->trend_start ? 0 : month_of(months, count, r->referred);
    for (; k < count && (exit == DATE_NONE || months[k].end < exit); k++) {
        months[k].waiting_end++;
        int days = r->stop_count ? wait_days(r, run->set->stops, months[k].end)
                                 : months[k].end - r->referred;
        run->month_hist[(size_t)k * WAIT_HIST_DAYS + (size_t)hist_day(days)]++;
    }
}

static void count_referral(report_run *run, const wait_referral *r)
{
    const wait_params *p = run->p;
    const wait_stop *stops = run->set->stops;
    wait_report *out = run->out;
    date_t seen = wait_seen_date(r, p->clock_stop);
    date_t left = wait_left_date(r, p->clock_stop);
    date_t exit = earlier(seen, left);

    if (exit == DATE_NONE || exit > p->as_of) {
        tally_add(&run->waiting, wait_days(r, stops, p->as_of));
        out->paused += r->stop_count && wait_is_paused(r, stops, p->as_of);
        out->pending_triage += r->triage == WAIT_TRIAGE_PENDING;
        out->urgent += r->priority == WAIT_PRIORITY_URGENT;
    }
    if (in_range(seen, run->window_from, p->as_of))
        tally_add(&run->seen, wait_days(r, stops, seen));
    out->received += in_range(r->referred, run->window_from, p->as_of);
    out->left_unseen += in_range(left, run->window_from, p->as_of);
    if (out->trend_count)
        count_trend(run, r, seen, exit);
}

static void summary_init(wait_summary *s)
{
    memset(s, 0, sizeof *s);
    s->longest_days = -1;
}

int wait_report_compute(const wait_set *set, const wait_params *p, arena *a,
                        wait_report *out)
{
    int rc = check_params(set, p);
    if (rc)
        return rc;
    for (size_t i = 0; i < set->n; i++) {
        const wait_referral *r = &set->refs[i];
        if (r->stop_count && (size_t)r->stop_first + r->stop_count > set->n_stops)
            return SH_EINVAL;
    }

    report_run run = {.set = set, .p = p, .out = out};
    memset(out, 0, sizeof *out);
    summary_init(&out->waiting);
    summary_init(&out->seen);
    run.window_from = p->window_from != DATE_NONE ? p->window_from : p->as_of - 27;
    run.waiting = (tally){&out->waiting, arena_calloc(a, WAIT_HIST_DAYS, sizeof(uint32_t)),
                          p->standard_weeks};
    run.seen = (tally){&out->seen, arena_calloc(a, WAIT_HIST_DAYS, sizeof(uint32_t)),
                       p->standard_weeks};
    if (!run.waiting.hist || !run.seen.hist)
        return SH_ELIMIT;
    if (p->trend_months) {
        out->trend = arena_alloc(a, (size_t)p->trend_months * sizeof *out->trend);
        if (!out->trend)
            return SH_ELIMIT;
        out->trend_count = trend_months(p, out->trend, &run.trend_start);
        run.month_hist = arena_calloc(a, (size_t)out->trend_count * WAIT_HIST_DAYS,
                                      sizeof(uint32_t));
        if (!run.month_hist)
            return SH_ELIMIT;
    }

    for (size_t i = 0; i < set->n; i++) {
        const wait_referral *r = &set->refs[i];
        if (r->referred != DATE_NONE && r->referred <= p->as_of)
            count_referral(&run, r);
    }

    tally_finish(&run.waiting);
    tally_finish(&run.seen);
    for (int k = 0; k < out->trend_count; k++) {
        const uint32_t *h = run.month_hist + (size_t)k * WAIT_HIST_DAYS;
        out->trend[k].median_days_end = wait_hist_percentile(h, out->trend[k].waiting_end, 50);
        out->trend[k].p92_days_end = wait_hist_percentile(h, out->trend[k].waiting_end, 92);
    }
    return SH_OK;
}
