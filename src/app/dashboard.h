/*
 * dashboard.h — the partnership performance dashboard's data (issue 6):
 * every case of an area folded into core/metrics, and the list of cases
 * behind one figure.
 *
 * Both read the journeys with store_journeys_scan and the child facts with
 * store_dash_cases (need, age, setting), compute each journey at the
 * metrics' as_of with journey_compute, and hand it to metrics_add or
 * metrics_case_in. A journey that no longer validates (it cannot happen to
 * events written through the app, which validates every append) is skipped
 * and counted in *skipped, never allowed to stop the dashboard.
 *
 * Parallel: with a database URL and threads > 1 the case-id range is split
 * (store_case_id_range) and each part is scanned on its own connection and
 * thread (store.h), the partial metrics merged. Each part reads its own
 * snapshot, so a write landing meanwhile may show in one part only; the
 * figures are a report, not a transaction.
 *
 * Memory: the child facts of the scanned range are held in one malloc'd
 * array (16 bytes a case, at most DASHBOARD_CASES_MAX) freed before return;
 * journeys use an arena of their own. Authorisation is the caller's (the
 * page asks app/access first; the drill-down page filters each case again).
 */
#ifndef SH_APP_DASHBOARD_H
#define SH_APP_DASHBOARD_H

#include <stddef.h>
#include <stdint.h>

#include "app/health.h"
#include "core/metrics.h"
#include "store/store.h"

#define DASHBOARD_CASES_MAX 5000000 /* cases in one area (England has ~1.5 M) */
#define DASHBOARD_THREADS_MAX 16

/* Folds every case of la_code (every area when NULL: national figures) into m (metrics_init'ed by the caller).
 * `url` and threads > 1: parallel as above (s is then only used to find
 * the id range); otherwise one pass on s. SH_ELIMIT past
 * DASHBOARD_CASES_MAX, else the store's errors. */
int dashboard_compute(store *s, const char *url, int threads, const char *la_code,
                      metrics *m, long *skipped);

/* The waiting lists by pathway (issue 5) the dashboard shows beside the
 * journeys' figures: app_health_waiting_lists at the metrics' as_of. */
typedef struct {
    size_t n;
    health_waiting_row row[HEALTH_WAITING_ROWS_MAX];
} dashboard_waiting;

/* As dashboard_compute on one connection, through a process-wide cache of
 * DASHBOARD_CACHE_SLOTS results keyed by (la_code, as_of, years, compared
 * periods): a result younger than ttl seconds at `now` is copied into m
 * instead of recomputed, so a busy dashboard folds an area at most once a
 * ttl. The area's waiting lists by pathway are worked out with the fold
 * and kept with it, into *w. One thread folds a key at a time, without
 * holding the cache's lock: while it refreshes an old result, other
 * requests get the old one (so no request waits for a refresh); for a key
 * never folded, they wait for that one fold instead of all folding at
 * once. *computed_at is when m's
 * figures were folded (unix seconds), for the page to say how fresh they
 * are. The cache is static storage (about 1.1 MiB), lives as long as the
 * process and needs no set-up; ttl 0 bypasses it. */
#define DASHBOARD_CACHE_SLOTS 8
int dashboard_compute_cached(store *s, const char *la_code, int64_t now, int ttl, metrics *m,
                             dashboard_waiting *w, int64_t *computed_at);

/* The cases that count in counter k in period (metrics_case_in), in case-id
 * order: the first `cap` ids into ids[], the number found into *total. */
int dashboard_cases(store *s, const char *la_code, const metrics *m, metrics_counter k,
                    int period, int64_t *ids, size_t cap, size_t *n, size_t *total);

#endif
