/*
 * cmd_remind.c — `sendhub remind`: the daily reminder job for advice
 * requests (app/remind.h). Records who must be chased today and, when an
 * SMTP relay is configured, e-mails each service once. Safe to run again:
 * a second run the same day adds and sends nothing.
 *
 * Then sends the family portal's e-mails (app/notify.h): queues those about
 * upcoming dates and sends what the portal has queued, at most once each.
 *
 * Prints two lines: "chased N (due M): sent S, failed F, not e-mailed U" and
 * "portal: queued Q date e-mails (L links, E without e-mail, O turned off):
 * sent S, retry later R, failed F, waiting W". Exits 0 even when some
 * e-mails failed (the outbox pages show them, and the job must not be
 * retried in a loop by a timer); 1 when the database failed; 2 for bad
 * options.
 */
#include <stddef.h>
#include <stdio.h>

#include <time.h>

#include "app/clock.h"
#include "app/notify.h"
#include "app/remind.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "store/store.h"
#include "util/err.h"
#include "util/smtp.h"

/* The reminder job's settings, shared with `sendhub serve` (which runs the
 * job once a day) over an app_remind_config. */
const opt_spec cli_remind_specs[] = {
    {"smtp", OPT_STR, NULL, 0, 0, offsetof(app_remind_config, smtp_url),
     "SMTP relay for reminder e-mails: smtp://host:587 (STARTTLS when offered) or "
     "smtps://host:465; user:password@ in the URL to sign in; none: record only"},
    {"mail-from", OPT_STR, NULL, 0, 0, offsetof(app_remind_config, from),
     "address reminders are sent from (required with --smtp)"},
    {"base-url", OPT_STR, NULL, 0, 0, offsetof(app_remind_config, base_url),
     "the service's public address, for links in reminders (https://sendhub.example.gov.uk)"},
    {"remind-days", OPT_INT, "7", 0, 60, offsetof(app_remind_config, within_days),
     "chase advice due within this many days, as well as overdue advice"},
    {"smtp-timeout", OPT_INT, "30", 1, 600, offsetof(app_remind_config, timeout),
     "seconds allowed to send one reminder"},
};
const size_t cli_remind_spec_count = sizeof cli_remind_specs / sizeof cli_remind_specs[0];

typedef struct {
    const char *db;
    date_t as_of;
} remind_cli;

static const opt_spec remind_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(remind_cli, db), "database file (SQLite) or URL"},
    {"as-of", OPT_DATE, NULL, 0, 0, offsetof(remind_cli, as_of),
     "the day to chase for (default: today)"},
};

int cmd_remind(int argc, char **argv)
{
    remind_cli cli;
    app_remind_config cfg;
    const opt_group groups[] = {OPT_GROUP(remind_specs, &cli),
                                {cli_remind_specs, cli_remind_spec_count, &cfg}};
    int rc = opt_parse(groups, 2, argc, argv, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "remind",
                  "Records which advice requests must be chased today (due soon or overdue), "
                  "once per request per day, and e-mails the services through --smtp; "
                  "then queues the family portal's e-mails about upcoming dates and sends "
                  "the portal's queued e-mails, each at most once.",
                  groups, 2);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    const char *why = NULL;
    if (app_remind_config_check(&cfg, &why) != SH_OK) {
        fprintf(stderr, "sendhub remind: %s\n", why);
        return CLI_EXIT_USAGE;
    }
    if (smtp_global_init() != SH_OK) {
        fprintf(stderr, "sendhub remind: cannot initialise libcurl\n");
        return CLI_EXIT_FAILURE;
    }
    store *s;
    if ((rc = store_open(cli.db, &s)) == SH_OK) {
        rc = store_migrate(s);
        app_remind_result r;
        app_notify_result p;
        date_t day = cli.as_of != DATE_NONE ? cli.as_of : app_today();
        if (rc == SH_OK)
            rc = app_remind_run(s, day, &cfg, &r);
        if (rc == SH_OK)
            printf("chased %zu (due %zu): sent %zu, failed %zu, not e-mailed %zu\n", r.added,
                   r.due, r.sent, r.failed, r.unsent);
        if (rc == SH_OK)
            rc = app_notify_run(s, day, (int64_t)time(NULL), &cfg, &p);
        if (rc == SH_OK)
            printf("portal: queued %zu date e-mails (%zu links, %zu without e-mail, %zu turned "
                   "off): sent %zu, retry later %zu, failed %zu, waiting %zu\n",
                   p.queued, p.linked, p.no_email, p.turned_off, p.sent, p.retrying, p.failed,
                   p.waiting);
        store_close(s);
    }
    if (rc) {
        fprintf(stderr, "sendhub remind: %s: %s\n", cli.db, sh_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}
