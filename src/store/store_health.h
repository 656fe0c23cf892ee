/*
 * store_health.h — health pathways, referrals and clock stops (issue 5).
 *
 * Written once over store/sql.h for both backends; tables in migration
 * 003_health.sql of each dialect. Conventions as store.h: every function
 * takes the caller's la_code and a row of another area is "not found";
 * strings in records filled here come from the arena passed in; records
 * passed in are only read (except the ids and timestamps an insert sets);
 * absent text is "" in records, NULL in the database; absent dates are
 * DATE_NONE. Errors as store.h (SH_ENOTFOUND, SH_ECONFLICT, SH_EUNAVAIL,
 * SH_EIO, SH_ENOMEM/SH_ELIMIT at the arena ceiling) plus SH_EINVAL when a
 * record breaks a rule the schema also enforces (checked here first so the
 * caller gets a clear code rather than a constraint failure).
 *
 * What the store checks: lengths and ranges below, enumerations, that every
 * milestone date is on or after the referral date, that a rejected or
 * redirected referral has a triage date and reason, that a clock stop's
 * restart is after its stop. What it does not: whether a pause is allowed,
 * whether the user may see or write the record, auditing — the app's.
 *
 * CSV import: there is no import API here. The app wraps its rows in
 * store_tx_begin / store_referral_insert ... / store_tx_commit (or
 * store_tx_rollback on the first bad row), which makes an import all or
 * nothing; inserts in one transaction run at about 15,000 a second on the
 * shared 2-core test machine (bench/waits_bench.c gen, children included).
 */
#ifndef SH_STORE_HEALTH_H
#define SH_STORE_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/wait.h"
#include "store/store.h"
#include "util/arena.h"

#define STORE_PATHWAY_CODE_MAX 32   /* "autism", "adhd", "camhs", "slt" ... */
#define STORE_HEALTH_TEXT_MAX 100   /* pathway name, provider, referrer */
#define STORE_REASON_MAX 500        /* triage and clock-stop reasons */
#define STORE_OUTCOME_MAX 1000      /* outcome / diagnosis free text */
#define STORE_OUTCOME_CODE_MAX 20   /* e.g. ICD-10 "F84.0" or a SNOMED CT id */
#define STORE_CAPACITY_MAX 10000    /* assessments per week */
#define STORE_REFERRALS_LOAD_MAX 2000000 /* ceiling on one bulk read */
#define STORE_CLOCK_STOPS_MAX 100   /* per referral */

/* ---- pathways ----------------------------------------------------------- */

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    char code[STORE_PATHWAY_CODE_MAX + 1]; /* unique in the area: [a-z0-9_-], 1..32 */
    const char *name;                      /* "Autism assessment (under 18)" */
    const char *provider;                  /* "Northshire Community Health NHS Trust" */
    int standard_weeks;                    /* 1 .. WAIT_STANDARD_MAX_WEEKS */
    wait_milestone clock_stop;             /* what ends the wait */
    int capacity_per_week;                 /* 0 .. STORE_CAPACITY_MAX */
    bool active;                           /* inactive: kept with its history; the app
                                              offers it for no new referral */
} store_pathway;

/* Inserts or updates the pathway with this (la_code, code); sets p->id. */
int store_pathway_put(store *s, store_pathway *p);
int store_pathway_get(store *s, const char *la_code, int64_t id, arena *a,
                      store_pathway *out);
int store_pathway_by_code(store *s, const char *la_code, const char *code, arena *a,
                          store_pathway *out);
/* The area's pathways ordered by name (all, or only active ones); at most
 * STORE_PAGE_MAX. */
int store_pathway_list(store *s, const char *la_code, bool active_only, arena *a,
                       store_pathway **out, size_t *n);

/* ---- referrals ---------------------------------------------------------- */

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t child_id;               /* a child of the area (else SH_ENOTFOUND) */
    int64_t pathway_id;             /* a pathway of the area (else SH_ENOTFOUND) */
    const char *referrer;           /* who referred: "GP", "school SENCo" (1..100) */
    date_t referral_date;           /* required: the clock starts here */
    wait_priority priority;
    wait_triage triage;
    date_t triage_date;             /* DATE_NONE while pending; required otherwise */
    const char *triage_reason;      /* required when rejected or redirected */
    date_t first_contact;           /* each DATE_NONE until it happens, and each */
    date_t assessment_started;      /* on or after the referral date */
    date_t assessment_completed;
    const char *outcome;            /* diagnosis / outcome free text, "" none */
    const char *outcome_code;       /* a code where one applies, "" none */
    date_t discharged;
    int64_t created_at;             /* unix seconds, set by insert */
} store_referral;

/* Inserts; sets r->id and r->created_at (the store's clock: a timestamp of
 * the row, not a domain date). */
int store_referral_insert(store *s, store_referral *r);
int store_referral_get(store *s, const char *la_code, int64_t id, arena *a,
                       store_referral *out);
/* Rewrites everything a referral records after it is made: priority,
 * triage (outcome, date, reason), the milestone dates, outcome and code,
 * discharge. child, pathway, referrer and referral date are not changed
 * (a wrong one is a rejected referral and a new one). The app reads,
 * changes the field the user recorded, and writes back inside a
 * transaction. SH_ENOTFOUND when no such referral in the area. */
int store_referral_update(store *s, const store_referral *r);

/* A child's referrals, newest referral first; open_only keeps those not
 * discharged, rejected or redirected. At most STORE_PAGE_MAX. */
int store_referral_list_child(store *s, const char *la_code, int64_t child_id,
                              bool open_only, arena *a, store_referral **out, size_t *n);

typedef enum {
    STORE_REFERRAL_ANY,
    STORE_REFERRAL_WAITING, /* open and the pathway's clock-stop milestone not recorded */
    STORE_REFERRAL_OPEN,    /* not discharged, rejected or redirected */
    STORE_REFERRAL_CLOSED   /* discharged, rejected or redirected */
} store_referral_state;

typedef struct {
    const char *la_code;         /* required */
    int64_t pathway_id;          /* required */
    store_referral_state state;
    int triage;                  /* wait_triage, or -1 any */
    date_t referred_from;        /* referral_date >= this, DATE_NONE any */
    date_t referred_to;          /* referral_date <= this, DATE_NONE any */
    size_t limit, offset;        /* limit 1..STORE_PAGE_MAX */
} store_referral_query;

/* A page of a pathway's referrals ordered by referral date then id (the
 * queue order within a priority: oldest, i.e. longest waiting, first);
 * *total is the number matching before paging. */
int store_referral_list(store *s, const store_referral_query *q, arena *a,
                        store_referral **out, size_t *n, size_t *total);

/* The queue a waiting referral stands in: its 1-based position among the
 * pathway's waiting referrals of its priority (FIFO: referral date, then id,
 * urgent before routine as forecast.h models) and the pathway's waiting
 * counts by priority. SH_ENOTFOUND for no such referral; *position = 0 when
 * it is not waiting. For a child's record, without loading the pathway. */
int store_referral_queue(store *s, const char *la_code, int64_t referral_id,
                         size_t *position, size_t waiting[WAIT_PRIORITY_COUNT]);

/* Bulk read for statistics and forecasts: every referral of one pathway as
 * compact wait_referral records ordered by (referral date, id), with their
 * clock stops, into arrays allocated from the arena (about 40 bytes per
 * referral; size the arena for the pathway: 200,000 referrals ~ 8 MB).
 * Only what waits depend on is read: of the two milestones, the pathway's
 * clock-stop one (the other is DATE_NONE in the records), and the triage
 * date only of rejected and redirected referrals (DATE_NONE for the rest);
 * use store_referral_get for a whole referral. out's pointers live as long
 * as the arena. SH_ENOTFOUND when the area has no such pathway; SH_ELIMIT
 * beyond STORE_REFERRALS_LOAD_MAX referrals or at the arena ceiling. All
 * reads see one snapshot (store_read_begin). */
int store_referrals_load(store *s, const char *la_code, int64_t pathway_id, arena *a,
                         wait_set *out);
/* The same, without the referrals that left the list before `since` (seen,
 * discharged, rejected or redirected earlier; DATE_NONE: none left out).
 * A wait_report with trend and window starting on or after `since` is the
 * same from either set (the left-out referrals count in none of its
 * figures), and a pathway with years of history reads far fewer rows. Not
 * for forecast_rates_measure or the back-test before `since`. */
int store_referrals_load_since(store *s, const char *la_code, int64_t pathway_id,
                               date_t since, arena *a, wait_set *out);

/* ---- clock stops -------------------------------------------------------- */

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t referral_id;
    date_t stopped;        /* on or after the referral date */
    date_t restarted;      /* after stopped; DATE_NONE while stopped */
    const char *reason;    /* why (1..500): "family declined two appointments" */
    int64_t created_at;    /* unix seconds, set by insert */
} store_clock_stop;

/* Inserts; sets id and created_at. SH_ECONFLICT when the referral already
 * has an open stop, or this stop overlaps one it has (one clock, one stop
 * at a time); SH_ELIMIT beyond STORE_CLOCK_STOPS_MAX stops. */
int store_clock_stop_insert(store *s, store_clock_stop *c);
/* Restarts the referral's open stop on `restarted` (after its stop date):
 * SH_ENOTFOUND when it has no open stop, SH_EINVAL for a date not after
 * the stop. */
int store_clock_stop_restart(store *s, const char *la_code, int64_t referral_id,
                             date_t restarted);
/* A referral's stops, oldest first (at most STORE_CLOCK_STOPS_MAX). */
int store_clock_stop_list(store *s, const char *la_code, int64_t referral_id, arena *a,
                          store_clock_stop **out, size_t *n);

#endif
