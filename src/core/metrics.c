/*
 * metrics.c — the performance figures (see metrics.h for the contract and
 * docs/METRICS.md for each figure's definition).
 *
 * `contribute` is the one place that says what a case counts towards: it
 * calls an emitter with (counter, date, amount) for every contribution. The
 * fold's emitter adds into the periods holding the date; the drill-down's
 * emitter only notes whether the asked-for counter fell in the asked-for
 * period. Dates are DATE_NONE for the snapshot at as_of.
 */
#include "core/metrics.h"

#include <stdio.h>
#include <string.h>

#include "util/err.h"

typedef void (*emit_fn)(void *ctx, metrics_counter k, date_t when, long amount);

/* ---- the events that stand ------------------------------------------------ */

static bool superseded(const event *ev, size_t n, int64_t id)
{
    for (size_t i = 0; id && i < n; i++)
        if (ev[i].type == EV_CORRECTION && ev[i].supersedes == id)
            return true;
    return false;
}

/* The i-th event as it stands after corrections: NULL when a correction
 * superseded it (or it is a correction without a replacement); a
 * correction's replacement stands in its place. */
static const event *standing(const event *ev, size_t n, size_t i)
{
    const event *e = &ev[i];
    if (superseded(ev, n, e->id))
        return NULL;
    return e->type == EV_CORRECTION ? e->replacement : e;
}

/* ---- what one case contributes -------------------------------------------- */

typedef struct {
    date_t transfer_in, ceased, last_review;
} case_dates;

static void event_figures(const metrics_case *c, case_dates *cd, emit_fn emit, void *ctx)
{
    date_t request = c->t->request_date;
    for (size_t i = 0; i < c->n; i++) {
        const event *e = standing(c->events, c->n, i);
        if (!e)
            continue;
        switch (e->type) {
        case EV_REQUEST_RECEIVED:
            emit(ctx, MC_REQUESTS, e->date, 1);
            break;
        case EV_DECISION_TO_ASSESS:
            emit(ctx, MC_DECISIONS, e->date, 1);
            if (request != DATE_NONE && e->date <= date_add_weeks(request, 6))
                emit(ctx, MC_DECISIONS_6W, e->date, 1);
            emit(ctx, e->outcome == OUTCOME_REFUSE ? MC_REFUSALS : MC_ASSESSMENTS, e->date, 1);
            break;
        case EV_PLAN_CEASED:
            emit(ctx, MC_CEASED, e->date, 1);
            if (cd->ceased == DATE_NONE || e->date > cd->ceased)
                cd->ceased = e->date;
            break;
        case EV_TRANSFER_IN:
            emit(ctx, MC_TRANSFERS_IN, e->date, 1);
            cd->transfer_in = e->date;
            break;
        case EV_REVIEW_MEETING:
            if (cd->last_review == DATE_NONE || e->date > cd->last_review)
                cd->last_review = e->date;
            break;
        default:
            break;
        }
    }
}

static void timeliness(const journey_timeline *t, emit_fn emit, void *ctx)
{
    if (t->within_20_weeks < 0)
        return;
    date_t fp = t->final_plan_date;
    emit(ctx, MC_PLANS, fp, 1);
    if (t->within_20_weeks)
        emit(ctx, MC_PLANS_20W, fp, 1);
    emit(ctx, MC_WEEKS_X10, fp, t->weeks_x10);
    if (t->weeks_x10 > 520)
        emit(ctx, MC_OVER_YEAR, fp, 1);
    if (t->exceptions_apply)
        return;
    emit(ctx, MC_PLANS_EXC, fp, 1);
    if (t->within_20_weeks)
        emit(ctx, MC_PLANS_EXC_20W, fp, 1);
    emit(ctx, MC_WEEKS_EXC_X10, fp, t->weeks_x10);
}

/* Advice by its reply date; annual reviews and phase transfers by their due
 * date once it has passed (met, late or still overdue). */
static void step_figures(const metrics_case *c, date_t as_of, bool *review_overdue,
                         emit_fn emit, void *ctx)
{
    const journey_timeline *t = c->t;
    for (size_t i = 0; i < t->n_deadlines; i++) {
        const journey_deadline *d = &t->deadlines[i];
        const char *key = journey_rule_key(d->rule);
        bool met = d->status == STEP_MET;
        if (strcmp(key, "advice") == 0 && d->done != DATE_NONE && d->agency >= 0) {
            emit(ctx, (metrics_counter)(MC_ADVICE + d->agency), d->done, 1);
            if (met)
                emit(ctx, (metrics_counter)(MC_ADVICE_6W + d->agency), d->done, 1);
        } else if (strcmp(key, "annual_review") == 0 || strcmp(key, "phase_transfer") == 0) {
            bool review = key[0] == 'a';
            if (d->status == STEP_PENDING || d->due > as_of)
                continue;
            emit(ctx, review ? MC_REVIEWS_DUE : MC_TRANSFERS_DUE, d->due, 1);
            if (met)
                emit(ctx, review ? MC_REVIEWS_ON_TIME : MC_TRANSFERS_ON_TIME, d->due, 1);
        }
        if (d->status == STEP_OVERDUE &&
            (strcmp(key, "annual_review") == 0 || strcmp(key, "review_decision") == 0))
            *review_overdue = true;
    }
}

static metrics_age_band age_band(date_t dob, date_t as_of)
{
    if (dob == DATE_NONE || dob > as_of)
        return AGE_UNKNOWN;
    int y0, m0, d0, y1, m1, d1;
    date_to_ymd(dob, &y0, &m0, &d0);
    date_to_ymd(as_of, &y1, &m1, &d1);
    int age = y1 - y0 - (m1 < m0 || (m1 == m0 && d1 < d0));
    return age < 5 ? AGE_UNDER_5 : age <= 10 ? AGE_5_10 : age <= 15 ? AGE_11_15
         : age <= 19 ? AGE_16_19 : age <= 25 ? AGE_20_25 : AGE_UNKNOWN;
}

static bool in_force(date_t start, date_t end, date_t day)
{
    return start != DATE_NONE && start <= day && (end == DATE_NONE || end > day);
}

static void contribute(const metrics *m, const metrics_case *c, emit_fn emit, void *ctx)
{
    case_dates cd = {DATE_NONE, DATE_NONE, DATE_NONE};
    bool review_overdue = false;
    event_figures(c, &cd, emit, ctx);
    timeliness(c->t, emit, ctx);
    step_figures(c, m->as_of, &review_overdue, emit, ctx);

    date_t start = c->t->final_plan_date != DATE_NONE ? c->t->final_plan_date : cd.transfer_in;
    /* A plan is in force from its final plan (or transfer in) until a
     * plan_ceased event: a decision to cease does not end it (the family may
     * appeal, and the plan is kept meanwhile), and the stage is not used
     * because a later event (an amended plan recorded after the cease) can
     * move it on. */
    date_t end = cd.ceased;
    for (int y = m->first_year; y < m->first_year + m->years; y++) {
        date_t census = metrics_census_day(y);
        if (census <= m->as_of && in_force(start, end, census))
            emit(ctx, MC_CASELOAD, census, 1);
    }
    if (!in_force(start, end, m->as_of))
        return;
    emit(ctx, MC_ACTIVE, DATE_NONE, 1);
    if (review_overdue)
        emit(ctx, MC_REVIEW_OVERDUE, DATE_NONE, 1);
    date_t year_ago = date_add_months(m->as_of, -12);
    date_t last = cd.last_review != DATE_NONE && cd.last_review > start ? cd.last_review : start;
    if (last < year_ago)
        emit(ctx, MC_NOT_REVIEWED_12M, DATE_NONE, 1);
    int need = c->sen_need >= 0 && c->sen_need < SEN_TYPE_COUNT ? c->sen_need : SEN_TYPE_COUNT;
    emit(ctx, (metrics_counter)(MC_NEED + need), DATE_NONE, 1);
    emit(ctx, (metrics_counter)(MC_AGE + age_band(c->date_of_birth, m->as_of)), DATE_NONE, 1);
    int kind = c->setting >= 0 && c->setting < METRICS_SETTING_COUNT ? (int)c->setting : SETK_NONE;
    emit(ctx, (metrics_counter)(MC_SETTING + kind), DATE_NONE, 1);
}

/* ---- periods -------------------------------------------------------------- */

int metrics_init(metrics *m, date_t as_of, int first_year, int last_year,
                 const metrics_period *custom, size_t n_custom)
{
    if (as_of == DATE_NONE || first_year < 1900 || last_year < first_year ||
        last_year - first_year + 1 > METRICS_YEARS_MAX || n_custom > METRICS_CUSTOM_MAX)
        return SH_EINVAL;
    for (size_t i = 0; i < n_custom; i++)
        if (custom[i].from == DATE_NONE || custom[i].to == DATE_NONE ||
            custom[i].to <= custom[i].from)
            return SH_EINVAL;
    memset(m, 0, sizeof *m);
    m->as_of = as_of;
    m->first_year = first_year;
    m->years = last_year - first_year + 1;
    m->n_custom = n_custom;
    if (n_custom)
        memcpy(m->custom, custom, n_custom * sizeof *custom);
    return SH_OK;
}

int metrics_period_month(const metrics *m, int year, int month)
{
    int y = year - m->first_year;
    return y >= 0 && y < m->years && month >= 1 && month <= 12 ? y * 12 + month - 1 : -2;
}

int metrics_period_year(const metrics *m, int year)
{
    int y = year - m->first_year;
    return y >= 0 && y < m->years ? METRICS_YEARS_MAX * 12 + y : -2;
}

int metrics_period_custom(const metrics *m, size_t i)
{
    return i < m->n_custom ? METRICS_YEARS_MAX * 13 + (int)i : -2;
}

int metrics_period_range(const metrics *m, int period, metrics_period *out)
{
    int first_custom = METRICS_YEARS_MAX * 13;
    if (period >= first_custom && period < first_custom + (int)m->n_custom) {
        *out = m->custom[period - first_custom];
        return SH_OK;
    }
    int y, mo1 = 1, mo2 = 1, y2;
    if (period >= 0 && period < METRICS_YEARS_MAX * 12 && period / 12 < m->years) {
        y = m->first_year + period / 12;
        mo1 = period % 12 + 1;
        y2 = mo1 == 12 ? y + 1 : y;
        mo2 = mo1 == 12 ? 1 : mo1 + 1;
    } else if (period >= METRICS_YEARS_MAX * 12 && period < METRICS_YEARS_MAX * 12 + m->years) {
        y = m->first_year + period - METRICS_YEARS_MAX * 12;
        y2 = y + 1;
    } else {
        return SH_EINVAL;
    }
    int rc = date_from_ymd(y, mo1, 1, &out->from);
    return rc ? rc : date_from_ymd(y2, mo2, 1, &out->to);
}

long metrics_value(const metrics *m, metrics_counter k, int period)
{
    if (k < 0 || k >= MC_COUNT)
        return 0;
    if (period == METRICS_NOW)
        return m->now[k];
    return period >= 0 && period < METRICS_PERIODS ? m->v[period][k] : 0;
}

/* ---- the fold -------------------------------------------------------------- */

static void add_emit(void *ctx, metrics_counter k, date_t when, long amount)
{
    metrics *m = ctx;
    if (when == DATE_NONE) {
        m->now[k] += amount;
        return;
    }
    int y, mo, d;
    date_to_ymd(when, &y, &mo, &d);
    int p = metrics_period_month(m, y, mo);
    if (p >= 0) {
        m->v[p][k] += amount;
        m->v[metrics_period_year(m, y)][k] += amount;
    }
    for (size_t i = 0; i < m->n_custom; i++)
        if (when >= m->custom[i].from && when < m->custom[i].to)
            m->v[METRICS_YEARS_MAX * 13 + i][k] += amount;
}

void metrics_add(metrics *m, const metrics_case *c)
{
    m->cases++;
    contribute(m, c, add_emit, m);
}

int metrics_merge(metrics *into, const metrics *from)
{
    if (into->as_of != from->as_of || into->first_year != from->first_year ||
        into->years != from->years || into->n_custom != from->n_custom ||
        memcmp(into->custom, from->custom, from->n_custom * sizeof from->custom[0]) != 0)
        return SH_EINVAL;
    into->cases += from->cases;
    for (size_t p = 0; p < METRICS_PERIODS; p++)
        for (size_t k = 0; k < MC_COUNT; k++)
            into->v[p][k] += from->v[p][k];
    for (size_t k = 0; k < MC_COUNT; k++)
        into->now[k] += from->now[k];
    return SH_OK;
}

/* ---- the drill-down -------------------------------------------------------- */

typedef struct {
    metrics_counter k;
    bool now;
    metrics_period range;
    bool found;
} match_ctx;

static void match_emit(void *ctx, metrics_counter k, date_t when, long amount)
{
    (void)amount;
    match_ctx *mc = ctx;
    if (k != mc->k)
        return;
    if (mc->now ? when == DATE_NONE
                : when != DATE_NONE && when >= mc->range.from && when < mc->range.to)
        mc->found = true;
}

bool metrics_case_in(const metrics *m, const metrics_case *c, metrics_counter k, int period)
{
    match_ctx mc = {.k = k, .now = period == METRICS_NOW};
    if (k < 0 || k >= MC_COUNT || (!mc.now && metrics_period_range(m, period, &mc.range)))
        return false;
    contribute(m, c, match_emit, &mc);
    return mc.found;
}

/* ---- names ----------------------------------------------------------------- */

static const char *const counter_names[] = {
    [MC_REQUESTS] = "requests",
    [MC_DECISIONS] = "decisions",
    [MC_DECISIONS_6W] = "decisions_6w",
    [MC_REFUSALS] = "refusals",
    [MC_ASSESSMENTS] = "assessments",
    [MC_PLANS] = "plans",
    [MC_PLANS_20W] = "plans_20w",
    [MC_WEEKS_X10] = "weeks_x10",
    [MC_OVER_YEAR] = "over_year",
    [MC_PLANS_EXC] = "plans_exc",
    [MC_PLANS_EXC_20W] = "plans_exc_20w",
    [MC_WEEKS_EXC_X10] = "weeks_exc_x10",
    [MC_REVIEWS_DUE] = "reviews_due",
    [MC_REVIEWS_ON_TIME] = "reviews_on_time",
    [MC_TRANSFERS_DUE] = "transfers_due",
    [MC_TRANSFERS_ON_TIME] = "transfers_on_time",
    [MC_CEASED] = "ceased",
    [MC_TRANSFERS_IN] = "transfers_in",
    [MC_CASELOAD] = "caseload",
    [MC_ACTIVE] = "active",
    [MC_REVIEW_OVERDUE] = "review_overdue",
    [MC_NOT_REVIEWED_12M] = "not_reviewed_12m",
};

static const char *const age_names[METRICS_AGE_COUNT] = {"under-5", "5-10", "11-15",
                                                          "16-19", "20-25", "unknown"};
static const char *const age_labels[METRICS_AGE_COUNT] = {
    "Under 5", "5 to 10", "11 to 15", "16 to 19", "20 to 25", "Not known"};

static const struct {
    const char *name, *label;
} setting_kinds[METRICS_SETTING_COUNT] = {
    [SETK_EARLY_YEARS] = {"early_years", "Early years"},
    [SETK_MAINSTREAM] = {"mainstream", "Mainstream school"},
    [SETK_SPECIAL] = {"special", "Special school"},
    [SETK_FURTHER_EDUCATION] = {"further_education", "Further education"},
    [SETK_ALTERNATIVE] = {"alternative_provision", "Alternative provision"},
    [SETK_NONE] = {"none", "No setting recorded"},
};

const char *metrics_counter_name(metrics_counter k, char *out, size_t n)
{
    if (k >= MC_ADVICE && k < MC_ADVICE + AGENCY_COUNT)
        snprintf(out, n, "advice:%s", event_agency_name((event_agency)(k - MC_ADVICE)));
    else if (k >= MC_ADVICE_6W && k < MC_ADVICE_6W + AGENCY_COUNT)
        snprintf(out, n, "advice_6w:%s", event_agency_name((event_agency)(k - MC_ADVICE_6W)));
    else if (k >= MC_NEED && k < MC_NEED + MC_NEED_COUNT)
        snprintf(out, n, "need:%s",
                 k - MC_NEED < SEN_TYPE_COUNT ? ident_sen_type_code((sen_type)(k - MC_NEED))
                                              : "none");
    else if (k >= MC_AGE && k < MC_AGE + METRICS_AGE_COUNT)
        snprintf(out, n, "age:%s", age_names[k - MC_AGE]);
    else if (k >= MC_SETTING && k < MC_COUNT)
        snprintf(out, n, "setting:%s", setting_kinds[k - MC_SETTING].name);
    else if (k >= 0 && (size_t)k < sizeof counter_names / sizeof counter_names[0] &&
             counter_names[k])
        snprintf(out, n, "%s", counter_names[k]);
    else
        snprintf(out, n, "unknown");
    return out;
}

int metrics_counter_parse(const char *s)
{
    char name[48];
    for (int k = 0; s && k < MC_COUNT; k++)
        if (strcmp(s, metrics_counter_name((metrics_counter)k, name, sizeof name)) == 0)
            return k;
    return -1;
}

metrics_setting_kind metrics_setting_kind_of(const char *type)
{
    static const struct {
        const char *type;
        metrics_setting_kind kind;
    } map[] = {
        {"early_years", SETK_EARLY_YEARS}, {"primary", SETK_MAINSTREAM},
        {"secondary", SETK_MAINSTREAM},    {"special", SETK_SPECIAL},
        {"further_education", SETK_FURTHER_EDUCATION},
        {"alternative_provision", SETK_ALTERNATIVE},
    };
    for (size_t i = 0; type && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(type, map[i].type) == 0)
            return map[i].kind;
    return SETK_NONE;
}

const char *metrics_setting_label(metrics_setting_kind k)
{
    return k >= 0 && k < METRICS_SETTING_COUNT ? setting_kinds[k].label : "";
}

const char *metrics_age_label(metrics_age_band b)
{
    return b >= 0 && b < METRICS_AGE_COUNT ? age_labels[b] : "";
}

date_t metrics_census_day(int year)
{
    date_t first = DATE_NONE;
    if (date_from_ymd(year, 1, 1, &first))
        return DATE_NONE;
    int to_thursday = (4 - date_weekday(first) + 7) % 7;
    return first + to_thursday + 14;
}

int metrics_rate_x10(long num, long den)
{
    return den > 0 ? (int)((num * 1000 + den / 2) / den) : -1;
}
