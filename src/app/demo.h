/*
 * demo.h — a synthetic local area for demonstrations, tests and benchmarks.
 *
 * demo_generate() fills an empty, migrated store with one made-up council's
 * EHC caseload: settings, children, coordinators and about ten years of
 * journeys (requests, assessments, plans, annual reviews, amendments, phase
 * transfers, transfers in, appeals, ceased plans), sized and shaped like an
 * English local area of the mid-2020s (national figures: facts file §3.4).
 *
 * Everything is invented. The area uses a pseudo LA number (990 by default),
 * settings have URNs in the unused 9xxxxx range, NHS numbers are in the 999
 * test range, postcodes use the non-existent "NF" area, and names come from
 * built-in lists. The data are a pure function of (seed, as_of, la_code,
 * scale): the generator has its own PRNG and never reads the clock, so the
 * same parameters always give the same rows (store timestamps aside).
 */
#ifndef SH_APP_DEMO_H
#define SH_APP_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "store/store.h"

#define DEMO_DEFAULT_LA "990"
#define DEMO_AREA_NAME "Northfield (synthetic)"
#define DEMO_SCALE_MIN 0.01 /* ~25 active plans */
#define DEMO_SCALE_MAX 10.0 /* ~25,000 active plans, a very large county */
#define DEMO_YEARS 3        /* request counts reported for this many years */

/* The password of every demo account. Synthetic data only: it is printed by
 * `sendhub demo` and written here so anyone can sign in to a demonstration;
 * no real record may ever sit in a database that has these accounts. */
#define DEMO_PASSWORD "demo-password-2026"
#define DEMO_ACCOUNTS_MAX 160 /* coordinators at DEMO_SCALE_MAX and six more */

typedef struct {
    uint64_t seed;
    date_t as_of;         /* the "today" of the data; nothing is dated later */
    const char *la_code;  /* 3 digits; NULL means DEMO_DEFAULT_LA */
    double scale;         /* 1.0 = ~2,500 active plans, ~900 requests a year */
    /* The rest may be left 0/NULL/false for the one-area demo. */
    double within_20;     /* 0: the national trend (about 60% of plans within 20
                             weeks years ago, about half lately); else this
                             area's share, 0.01-0.99, in every year */
    double request_rate;  /* 0 or 1: ~950 requests a year per 2,500 plans; else
                             a factor on that (0.1-3) */
    const char *area_name;/* NULL: DEMO_AREA_NAME; else 1-100 bytes */
    bool one_of_many;     /* many areas in one database: 7-digit setting URNs
                             9LLLNNN that cannot collide between areas */
} demo_params;

typedef struct {
    long settings, coordinators, children, cases, events;
    long active_plans;   /* a final plan in force at as_of */
    long in_progress;    /* request, assessment or draft stage at as_of */
    long ceased, refused, no_plan;
    long transfers_in, appeals, exceptions;
    long overdue_reviews; /* plans whose annual review is overdue at as_of */
    long reviews_in_progress; /* review records under way at as_of (issue 4) */
    long consultations;   /* settings consulted for next September's transfers */
    /* requests[0] were received in the 12 months up to as_of, requests[1]
     * in the 12 months before that, and so on. */
    long requests[DEMO_YEARS];
    /* SEN2-style timeliness for the last complete calendar year: final plans
     * first issued in that year, and how many within 20 weeks of request. */
    int calendar_year;
    long finals_in_year, finals_within_20;
    /* Health waiting lists (issue 5): referrals to the seven pathways over
     * three years, how many are waiting at as_of, and the children known
     * only to health services (included in `children`, without a case). */
    long referrals, referrals_waiting, health_children;
} demo_stats;

/* Builds the area into `s`, which must be migrated and hold nothing for the
 * LA yet, inside one write transaction (rolled back on any failure, so the
 * store is left as it was). `out` may be NULL. Returns SH_OK; SH_EINVAL for
 * bad parameters (scale out of range, as_of unset or before 2020 — older
 * cohorts need a few years after EHC plans began in September 2014 — or
 * la_code not 3 digits) or for a generated journey that fails journey_validate (a bug
 * here, reported on stderr); SH_ECONFLICT when the LA already has children;
 * otherwise the store's or the clock engine's error. */
int demo_generate(store *s, const demo_params *p, demo_stats *out);

/* A synthetic England (issue 6): DEMO_NATIONAL_AREAS areas with LA
 * numbers DEMO_NATIONAL_FIRST_LA.., each built by demo_generate (its own
 * transaction) with `one_of_many`, sized and timely as the published
 * figures vary (facts file §3.4): caseloads from about 1,400 to about
 * 20,600 plans, about 640,000 in all, skewed like the real list (a few
 * large counties, many small areas); the share of plans issued within 20
 * weeks asked for from 3% to 98% around a middle near 46% (an area asked
 * for more than 85% also decides whether to assess on time as often);
 * requests scaled so England receives about 150,000 a year. Deterministic for (seed, as_of).
 * `out` gets each area's figures (may be NULL); progress (may be NULL) is
 * called after each area. Errors as demo_generate. */
#define DEMO_NATIONAL_AREAS 153
#define DEMO_NATIONAL_FIRST_LA 801

typedef struct {
    char la_code[STORE_LA_LEN + 1];
    double scale, within_20;
    demo_stats st;
} demo_national_area;

typedef void (*demo_progress_fn)(void *ctx, size_t done, const demo_national_area *area);
int demo_national(store *s, uint64_t seed, date_t as_of,
                  demo_national_area out[DEMO_NATIONAL_AREAS], demo_progress_fn progress,
                  void *ctx);

/* The demo area's people: one account per generated coordinator (role
 * coordinator, the username written on their cases), plus "m.manager"
 * (manager), "a.admin" (admin), "i.inspector" (inspector), "h.health"
 * (health), "s.socialcare" (social_care), "f.forum" (forum: a member of the
 * parent carer forum, who commented on the demo improvement plan) and
 * "s.senco" (setting, for a generated setting with pupils on the caseload),
 * all with DEMO_PASSWORD. */
typedef struct {
    size_t n;
    struct {
        char username[32];
        char role[16];
    } a[DEMO_ACCOUNTS_MAX];
    int64_t casefile_case; /* a case whose case file has every part (app/demo_casefile.h),
                              0 if none */
} demo_account_list;

/* Adds the accounts of the area demo_generate() built with the same
 * parameters, as the system user through auth_user_add (so each password is
 * hashed with Argon2id, about 0.1 s each, and each account creation is
 * audited at `now`). Each account is its own transaction, so this runs after
 * demo_generate, outside its transaction. Usernames are unique in a
 * database: a second demo area in the same database gets SH_ECONFLICT.
 * `out` (may be NULL) lists the accounts added; on failure the reason is on
 * stderr. */
int demo_accounts(store *s, const demo_params *p, int64_t now, demo_account_list *out);

#endif
