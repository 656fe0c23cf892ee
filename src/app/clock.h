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

#include "core/date.h"

/* Today's date in the process's local time zone. */
date_t app_today(void);

#endif
