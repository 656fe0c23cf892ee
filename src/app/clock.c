#include "app/clock.h"

#include <time.h>

date_t app_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    date_t d = DATE_NONE;
    if (localtime_r(&now, &tm))
        date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d);
    return d;
}

int64_t app_recorded_at(date_t pinned, int64_t now)
{
    if (pinned == DATE_NONE)
        return now;
    int64_t time_of_day = now % 86400;
    return (int64_t)pinned * 86400 + time_of_day;
}
