/*
 * dash_bench.c — the dashboard computation for bench/dashboard.sh.
 *
 *   dash_bench DB LA|all THREADS AS_OF
 *
 * Folds every journey of the area (or of every area: "all") into the
 * dashboard's metrics exactly as GET /dashboard does (app/dashboard.c:
 * journey_compute on every case, every figure by month, year and "now"),
 * with THREADS connections over case-id ranges, and prints the figures the
 * reference SQL in bench/dashboard.sh also computes, so the two can be
 * checked against each other:
 *   plans <year> <plans> <within 20w> <plans excl.> <within excl.> <avg weeks> <over a year>
 *   requests <year> <n>      decisions <year> <n> <within 6w> <refused>
 *   active <n>               need <code> <n>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dashboard.h"
#include "store/store.h"
#include "util/err.h"

static int year_of(date_t d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return y;
}

static void print(const metrics *m)
{
    for (int y = m->first_year; y < m->first_year + m->years; y++) {
        int p = metrics_period_year(m, y);
        long plans = metrics_value(m, MC_PLANS, p);
        if (plans)
            printf("plans %d %ld %ld %ld %ld %.2f %ld\n", y, plans,
                   metrics_value(m, MC_PLANS_20W, p), metrics_value(m, MC_PLANS_EXC, p),
                   metrics_value(m, MC_PLANS_EXC_20W, p),
                   (double)metrics_value(m, MC_WEEKS_X10, p) / 10.0 / (double)plans,
                   metrics_value(m, MC_OVER_YEAR, p));
    }
    for (int y = m->first_year; y < m->first_year + m->years; y++) {
        int p = metrics_period_year(m, y);
        printf("requests %d %ld\n", y, metrics_value(m, MC_REQUESTS, p));
        printf("decisions %d %ld %ld %ld\n", y, metrics_value(m, MC_DECISIONS, p),
               metrics_value(m, MC_DECISIONS_6W, p), metrics_value(m, MC_REFUSALS, p));
    }
    printf("active %ld\n", metrics_value(m, MC_ACTIVE, METRICS_NOW));
    for (int k = 0; k < SEN_TYPE_COUNT; k++) {
        long n = metrics_value(m, (metrics_counter)(MC_NEED + k), METRICS_NOW);
        if (n)
            printf("need %s %ld\n", ident_sen_type_code((sen_type)k), n);
    }
}

int main(int argc, char **argv)
{
    date_t as_of = DATE_NONE;
    if (argc != 5 || date_parse(argv[4], strlen(argv[4]), &as_of) != SH_OK) {
        fprintf(stderr, "usage: dash_bench DB LA|all THREADS YYYY-MM-DD\n");
        return 2;
    }
    const char *la = strcmp(argv[2], "all") == 0 ? NULL : argv[2];
    char *end = NULL;
    long threads = strtol(argv[3], &end, 10);
    if (*end || threads < 1 || threads > DASHBOARD_THREADS_MAX) {
        fprintf(stderr, "dash_bench: THREADS must be 1-%d\n", DASHBOARD_THREADS_MAX);
        return 2;
    }
    static metrics m;
    int last = year_of(as_of);
    store *s = NULL;
    long skipped = 0;
    int rc = metrics_init(&m, as_of, last - 9, last, NULL, 0);
    if (rc == SH_OK)
        rc = store_open(argv[1], &s);
    if (rc == SH_OK)
        rc = dashboard_compute(s, argv[1], (int)threads, la, &m, &skipped);
    store_close(s);
    if (rc) {
        fprintf(stderr, "dash_bench: %s\n", sh_strerror(rc));
        return 1;
    }
    fprintf(stderr, "dash_bench: %ld cases folded, %ld skipped\n", m.cases, skipped);
    print(&m);
    return 0;
}
