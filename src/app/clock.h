/*
 * clock.h — "today" for the statutory clocks.
 *
 * The only place sendhub reads the calendar. Core code never does: it takes
 * an as-of date, so every computation is reproducible. Statutory dates are
 * English civil dates, so the server should run with TZ=Europe/London (the
 * system zone is used; see docs/OPERATIONS.md).
 */
#ifndef SH_APP_CLOCK_H
#define SH_APP_CLOCK_H

#include <stdint.h>

#include "core/date.h"

/* Today's date in the process's local time zone. */
date_t app_today(void);

/* When a record made at `now` (unix seconds) is dated: `now` itself, or
 * with today pinned (serve --today, demo --as-of: tests, demonstrations;
 * DATE_NONE when not) that day at now's time of day, so what is recorded
 * shows on the pinned day like everything else. Sessions, rate limits,
 * expiry and the audit log keep the real clock. */
int64_t app_recorded_at(date_t pinned, int64_t now);

#endif
