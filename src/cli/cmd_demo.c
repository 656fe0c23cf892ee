/*
 * cmd_demo.c — `sendhub demo`: build a synthetic local area into a fresh
 * database with its people's accounts, say what is in it (and who can sign
 * in, with the one demo password), and serve it.
 *
 * The data are a pure function of --seed, --as-of, --la and --scale (see
 * app/demo.h); only "today" is read from the clock here, at the edge, when
 * --as-of is not given. An existing non-empty file is never written into
 * without --force: demonstration data must not end up mixed with a real
 * council's records.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/clock.h"
#include "app/demo.h"
#include "app/remind.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "store/store.h"
#include "util/err.h"
#include "web/server.h"

typedef struct {
    const char *db, *la;
    long seed, scale;
    date_t as_of;
    bool no_serve, force, national;
    web_config web; /* the listener options; db, area and today are set from above */
} demo_config;

static const opt_spec demo_specs[] = {
    {"db", OPT_STR, "sendhub-demo.db", 0, 0, offsetof(demo_config, db),
     "database file to create (SQLite)"},
    {"seed", OPT_INT, "1", 0, 2147483647, offsetof(demo_config, seed),
     "random seed: the same seed and date give the same data"},
    {"as-of", OPT_DATE, NULL, 0, 0, offsetof(demo_config, as_of),
     "the data's today (default: today's date)"},
    {"scale", OPT_INT, "100", 1, 1000, offsetof(demo_config, scale),
     "size in percent (100: ~2,500 active plans, ~900 requests a year)"},
    {"la", OPT_STR, DEMO_DEFAULT_LA, 0, 0, offsetof(demo_config, la),
     "3-digit local authority number of the synthetic area"},
    {"force", OPT_BOOL, NULL, 0, 0, offsetof(demo_config, force),
     "replace the database file if it exists"},
    {"no-serve", OPT_BOOL, NULL, 0, 0, offsetof(demo_config, no_serve),
     "create the data and exit without serving"},
    {"national", OPT_BOOL, NULL, 0, 0, offsetof(demo_config, national),
     "a synthetic England instead: 153 areas, ~640,000 plans (several minutes, ~5 GB; "
     "--scale and --la are ignored; accounts are made for the largest area)"},
};

/* Refuses a non-empty existing file unless --force, which removes it and
 * its WAL side files. Returns a CLI exit status. */
static int prepare_file(const demo_config *cfg)
{
    const char *path = strncmp(cfg->db, "sqlite:", 7) == 0 ? cfg->db + 7 : cfg->db;
    struct stat sb;
    if (stat(path, &sb) != 0 || sb.st_size == 0)
        return CLI_EXIT_OK;
    if (!cfg->force) {
        fprintf(stderr,
                "sendhub demo: %s already exists and is not empty; the demo only writes "
                "a new database (use --force to replace it, or --db to choose another "
                "file)\n",
                cfg->db);
        return CLI_EXIT_USAGE;
    }
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char file[4096];
        int n = snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        if (n < 0 || (size_t)n >= sizeof file || (unlink(file) != 0 && errno != ENOENT)) {
            fprintf(stderr, "sendhub demo: cannot remove %s: %s\n", file, strerror(errno));
            return CLI_EXIT_FAILURE;
        }
    }
    return CLI_EXIT_OK;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static double percent(long part, long whole) { return whole ? 100.0 * part / whole : 0.0; }

static void print_summary(const demo_config *cfg, const demo_stats *st, double secs)
{
    char as_of[40];
    date_format_long(cfg->as_of, as_of, sizeof as_of);
    printf("%s: %s, LA %s, as of %s (seed %ld, scale %ld%%)\n", cfg->db, DEMO_AREA_NAME,
           cfg->la, as_of, cfg->seed, cfg->scale);
    printf("  %ld settings, %ld EHC coordinator%s, %ld children, %ld cases, %ld events\n",
           st->settings, st->coordinators, st->coordinators == 1 ? "" : "s", st->children,
           st->cases, st->events);
    printf("  %ld active plans, %ld requests in progress, %ld plans ceased, "
           "%ld assessments refused, %ld no plan after assessment\n",
           st->active_plans, st->in_progress, st->ceased, st->refused, st->no_plan);
    printf("  requests for assessment: %ld in the last 12 months, %ld and %ld in the two "
           "years before\n",
           st->requests[0], st->requests[1], st->requests[2]);
    printf("  %d: %ld final plans issued, %.1f%% within 20 weeks\n", st->calendar_year,
           st->finals_in_year, percent(st->finals_within_20, st->finals_in_year));
    printf("  annual reviews overdue: %ld (%.1f%% of active plans); %ld plans transferred "
           "in, %ld with a 20-week exception, %ld appeals lodged\n",
           st->overdue_reviews, percent(st->overdue_reviews, st->active_plans),
           st->transfers_in, st->exceptions, st->appeals);
    printf("  health pathways: %ld referrals over three years, %ld children waiting\n",
           st->referrals, st->referrals_waiting);
    printf("  %ld annual reviews under way; %ld settings consulted for September "
           "transfers\n",
           st->reviews_in_progress, st->consultations);
    printf("  generated in %.2f s\n", secs);
    fflush(stdout);
}

/* Who can sign in: the usernames by role, and the one demo password. */
static void print_accounts(const demo_account_list *acc)
{
    printf("  sign in with password %s (synthetic data only) as:\n", DEMO_PASSWORD);
    for (size_t i = 0; i < acc->n; i++) {
        bool first = i == 0 || strcmp(acc->a[i].role, acc->a[i - 1].role) != 0;
        bool last = i + 1 == acc->n || strcmp(acc->a[i].role, acc->a[i + 1].role) != 0;
        if (first)
            printf("    %-12s ", acc->a[i].role);
        printf("%s%s", acc->a[i].username, last ? "\n" : ", ");
    }
    fflush(stdout);
}

/* Creates the schema and the data; a CLI exit status. */
static int generate(const demo_config *cfg)
{
    store *s = NULL;
    demo_stats st;
    demo_account_list *acc = calloc(1, sizeof *acc);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    demo_params p = {.seed = (uint64_t)cfg->seed, .as_of = cfg->as_of, .la_code = cfg->la,
                     .scale = (double)cfg->scale / 100.0};
    int rc = store_open(cfg->db, &s);
    if (rc == SH_OK)
        rc = store_migrate(s);
    if (rc == SH_OK)
        rc = acc ? demo_generate(s, &p, &st) : SH_ENOMEM;
    if (rc == SH_OK)
        rc = demo_accounts(s, &p, app_recorded_at(p.as_of, (int64_t)time(NULL)), acc);
    store_close(s);
    if (rc) {
        fprintf(stderr, "sendhub demo: %s: %s\n", cfg->db,
                rc == SH_EINVAL ? "invalid parameters (see --help)" : sh_strerror(rc));
        free(acc);
        return rc == SH_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
    }
    print_summary(cfg, &st, seconds_since(&t0));
    if (acc->casefile_case)
        printf("  a full case file for an inspection deep dive: /cases/%lld/casefile\n",
               (long long)acc->casefile_case);
    print_accounts(acc);
    free(acc);
    return CLI_EXIT_OK;
}

/* ---- --national ------------------------------------------------------------ */

typedef struct {
    struct timespec t0;
    long rows;
} national_progress;

static void national_tick(void *ctx, size_t done, const demo_national_area *a)
{
    national_progress *np = ctx;
    np->rows += a->st.children + a->st.cases + a->st.events + a->st.settings + 1;
    if (done % 10 == 0 || done == DEMO_NATIONAL_AREAS) {
        double secs = seconds_since(&np->t0);
        printf("  %3zu areas, %ld rows, %.0f s (%.0f rows/s)\n", done, np->rows, secs,
               secs > 0 ? np->rows / secs : 0.0);
        fflush(stdout);
    }
}

static void national_summary(const demo_national_area *areas, double secs, long rows)
{
    long plans = 0, requests = 0, finals = 0, within = 0, events = 0;
    size_t big = 0, small = 0, slow = 0, fast = 0;
    double rate[DEMO_NATIONAL_AREAS];
    for (size_t i = 0; i < DEMO_NATIONAL_AREAS; i++) {
        const demo_stats *st = &areas[i].st;
        plans += st->active_plans;
        requests += st->requests[0];
        finals += st->finals_in_year;
        within += st->finals_within_20;
        events += st->events;
        rate[i] = percent(st->finals_within_20, st->finals_in_year);
        big = st->active_plans > areas[big].st.active_plans ? i : big;
        small = st->active_plans < areas[small].st.active_plans ? i : small;
        slow = rate[i] < rate[slow] ? i : slow;
        fast = rate[i] > rate[fast] ? i : fast;
    }
    printf("  %d areas: %ld active plans (from %ld in LA %s to %ld in LA %s), %ld requests in "
           "the last 12 months, %ld events\n",
           DEMO_NATIONAL_AREAS, plans, areas[small].st.active_plans, areas[small].la_code,
           areas[big].st.active_plans, areas[big].la_code, requests, events);
    printf("  %d: %.1f%% of %ld final plans within 20 weeks (from %.1f%% in LA %s to %.1f%% "
           "in LA %s)\n",
           areas[0].st.calendar_year, percent(within, finals), finals, rate[slow],
           areas[slow].la_code, rate[fast], areas[fast].la_code);
    printf("  generated %ld rows in %.1f s: %.0f rows/s\n", rows, secs, rows / secs);
    fflush(stdout);
}

static size_t largest_area(const demo_national_area *areas)
{
    size_t big = 0;
    for (size_t i = 1; i < DEMO_NATIONAL_AREAS; i++)
        if (areas[i].st.active_plans > areas[big].st.active_plans)
            big = i;
    return big;
}

/* Builds England, then the largest area's accounts; a CLI exit status. */
static int generate_national(const demo_config *cfg)
{
    store *s = NULL;
    demo_national_area *areas = calloc(DEMO_NATIONAL_AREAS, sizeof *areas);
    demo_account_list *acc = calloc(1, sizeof *acc);
    national_progress np = {.rows = 0};
    clock_gettime(CLOCK_MONOTONIC, &np.t0);
    int rc = areas && acc ? store_open(cfg->db, &s) : SH_ENOMEM;
    if (rc == SH_OK)
        rc = store_migrate(s);
    if (rc == SH_OK) {
        char as_of[40];
        date_format_long(cfg->as_of, as_of, sizeof as_of);
        printf("%s: a synthetic England as of %s (seed %ld)\n", cfg->db, as_of, cfg->seed);
        rc = demo_national(s, (uint64_t)cfg->seed, cfg->as_of, areas, national_tick, &np);
    }
    double secs = seconds_since(&np.t0);
    size_t big = rc == SH_OK ? largest_area(areas) : 0;
    if (rc == SH_OK) {
        char name[STORE_NAME_MAX];
        snprintf(name, sizeof name, "Synthetic area %s", areas[big].la_code);
        demo_params p = {.seed = (uint64_t)cfg->seed + big, .as_of = cfg->as_of,
                         .la_code = areas[big].la_code, .scale = areas[big].scale,
                         .area_name = name, .one_of_many = true};
        rc = demo_accounts(s, &p, app_recorded_at(p.as_of, (int64_t)time(NULL)), acc);
    }
    store_close(s);
    if (rc == SH_OK) {
        national_summary(areas, secs, np.rows);
        printf("  accounts are in LA %s, the largest area:\n", areas[big].la_code);
        print_accounts(acc);
    } else {
        fprintf(stderr, "sendhub demo --national: %s: %s\n", cfg->db, sh_strerror(rc));
    }
    free(areas);
    free(acc);
    return rc == SH_OK ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

int cmd_demo(int argc, char **argv)
{
    demo_config cfg;
    const opt_group groups[] = {OPT_GROUP(demo_specs, &cfg),
                                {cli_listen_specs, cli_listen_spec_count, &cfg.web},
                                {cli_remind_specs, cli_remind_spec_count, &cfg.web.remind}};
    int rc = opt_parse(groups, 3, argc, argv, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "demo",
                  "Creates a synthetic local area (made-up children, settings and ten years "
                  "of EHC journeys) in a new database, then serves it like `sendhub serve`.",
                  groups, 3);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    const char *why = NULL;
    if (app_remind_config_check(&cfg.web.remind, &why) != SH_OK) {
        fprintf(stderr, "sendhub demo: %s\n", why);
        return CLI_EXIT_USAGE;
    }
    if (cfg.as_of == DATE_NONE)
        cfg.as_of = app_today();
    int status = prepare_file(&cfg);
    if (status == CLI_EXIT_OK)
        status = cfg.national ? generate_national(&cfg) : generate(&cfg);
    if (status != CLI_EXIT_OK || cfg.no_serve)
        return status;
    cfg.web.db = cfg.db;
    cfg.web.today = cfg.as_of;
    rc = web_serve(&cfg.web);
    return rc == SH_OK ? CLI_EXIT_OK : rc == SH_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}
