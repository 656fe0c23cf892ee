#include "core/advice.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/filetype.h"
#include "util/err.h"

advice_state advice_state_at(date_t due, date_t received_on, date_t as_of)
{
    if (received_on != DATE_NONE && received_on <= as_of)
        return received_on <= due ? ADVICE_ON_TIME : ADVICE_LATE;
    if (due < as_of)
        return ADVICE_OVERDUE;
    return due <= date_add_days(as_of, ADVICE_DUE_SOON_DAYS) ? ADVICE_DUE_SOON : ADVICE_OPEN;
}

static const char *const state_names[ADVICE_STATE_COUNT] = {
    [ADVICE_OPEN] = "requested", [ADVICE_DUE_SOON] = "due_soon", [ADVICE_OVERDUE] = "overdue",
    [ADVICE_ON_TIME] = "on_time", [ADVICE_LATE] = "late",
};

const char *advice_state_name(advice_state s)
{
    return (unsigned)s < ADVICE_STATE_COUNT ? state_names[s] : "";
}

advice_chase advice_chase_at(date_t due, date_t received_on, date_t as_of, int within_days)
{
    if (received_on != DATE_NONE && received_on <= as_of)
        return ADVICE_CHASE_NONE;
    if (due < as_of)
        return ADVICE_CHASE_OVERDUE;
    return due <= date_add_days(as_of, within_days) ? ADVICE_CHASE_DUE_SOON
                                                     : ADVICE_CHASE_NONE;
}

const char *advice_chase_name(advice_chase c)
{
    return c == ADVICE_CHASE_DUE_SOON ? "due_soon" : c == ADVICE_CHASE_OVERDUE ? "overdue" : "";
}

int advice_chase_parse(const char *s)
{
    if (s && strcmp(s, "due_soon") == 0)
        return ADVICE_CHASE_DUE_SOON;
    if (s && strcmp(s, "overdue") == 0)
        return ADVICE_CHASE_OVERDUE;
    return -1;
}

/* ---- the dashboard --------------------------------------------------------- */

static int fact_order(const void *x, const void *y)
{
    const advice_fact *a = *(const advice_fact *const *)x, *b = *(const advice_fact *const *)y;
    if (a->agency != b->agency)
        return a->agency < b->agency ? -1 : 1;
    return strcmp(a->service ? a->service : "", b->service ? b->service : "");
}

static void tally_add(advice_tally *t, const advice_fact *f, date_t as_of, date_t cohort_from)
{
    advice_state s = advice_state_at(f->due, f->received_on, as_of);
    bool open = s == ADVICE_OPEN || s == ADVICE_DUE_SOON || s == ADVICE_OVERDUE;
    t->outstanding += open;
    t->due_this_week += s == ADVICE_DUE_SOON;
    t->overdue += s == ADVICE_OVERDUE;
    if (f->requested_on > cohort_from && f->requested_on <= as_of &&
        (s == ADVICE_ON_TIME || s == ADVICE_LATE || s == ADVICE_OVERDUE)) {
        t->decided_12m++;
        t->on_time_12m += s == ADVICE_ON_TIME;
    }
}

static bool same_service(const advice_fact *a, const advice_fact *b)
{
    return a->agency == b->agency &&
           strcmp(a->service ? a->service : "", b->service ? b->service : "") == 0;
}

int advice_tally_compute(const advice_fact *facts, size_t n, date_t as_of, arena *a,
                         advice_tally **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return SH_OK;
    const advice_fact **sorted = arena_calloc(a, n, sizeof *sorted);
    /* At most one agency line and one service line per fact. */
    advice_tally *t = arena_calloc(a, 2 * n, sizeof *t);
    if (!sorted || !t)
        return SH_ENOMEM;
    for (size_t i = 0; i < n; i++)
        sorted[i] = &facts[i];
    qsort(sorted, n, sizeof *sorted, fact_order);
    date_t cohort_from = date_add_months(as_of, -12);
    size_t k = 0, agency_line = 0;
    for (size_t i = 0; i < n; i++) {
        const advice_fact *f = sorted[i];
        if (i == 0 || f->agency != sorted[i - 1]->agency) {
            agency_line = k++;
            t[agency_line] = (advice_tally){.agency = f->agency};
        }
        if (i == 0 || !same_service(f, sorted[i - 1]))
            t[k++] = (advice_tally){.agency = f->agency, .service = f->service ? f->service : ""};
        tally_add(&t[agency_line], f, as_of, cohort_from);
        tally_add(&t[k - 1], f, as_of, cohort_from);
    }
    *out = t;
    *nout = k;
    return SH_OK;
}

int advice_on_time_permille(const advice_tally *t)
{
    if (t->decided_12m <= 0)
        return -1;
    /* rounded to the nearest tenth of a percent */
    return (int)((t->on_time_12m * 1000 + t->decided_12m / 2) / t->decided_12m);
}

/* ---- what a service sends ---------------------------------------------------- */

int advice_pdf_check(const unsigned char *data, size_t len, const char **why)
{
    if (len > ADVICE_FILE_MAX) {
        *why = "The file must be smaller than 5 MB";
        return SH_ELIMIT;
    }
    if (!filetype_pdf_head(data, len)) {
        *why = "The file must be a PDF";
        return SH_EINVAL;
    }
    if (filetype_pdf_complete(data, len))
        return SH_OK;
    *why = "The PDF is incomplete or damaged: save it again and choose it again";
    return SH_EINVAL;
}

static bool name_char_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == ' ' || c == '.' || c == '-' || c == '_';
}

void advice_filename_clean(const char *in, char *out)
{
    const char *base = in ? in : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    /* Leave room for a ".pdf" we may add. */
    size_t k = 0, cap = ADVICE_FILENAME_MAX - 4;
    for (const unsigned char *p = (const unsigned char *)base; *p && k < cap; p++)
        out[k++] = name_char_ok(*p) ? (char)*p : '_';
    while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '.'))
        k--;
    size_t start = 0;
    while (start < k && (out[start] == ' ' || out[start] == '.'))
        start++;
    memmove(out, out + start, k - start);
    k -= start;
    out[k] = '\0';
    if (k == 0) {
        memcpy(out, "advice.pdf", sizeof "advice.pdf");
        return;
    }
    if (k < 4 || strcasecmp(out + k - 4, ".pdf") != 0)
        memcpy(out + k, ".pdf", sizeof ".pdf");
}

int advice_text_check(const char *s, size_t max)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++, n++) {
        if (n >= max)
            return SH_ELIMIT;
        if ((*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n') || *p == 0x7f)
            return SH_EINVAL;
    }
    return SH_OK;
}
