/*
 * cmd_serve.c — `sendhub serve`.
 */
#include <stddef.h>
#include <stdio.h>

#include "app/remind.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "util/err.h"
#include "web/server.h"

/* How the server listens and works; shared with `sendhub demo`, which serves too. */
const opt_spec cli_listen_specs[] = {
    {"bind", OPT_STR, "127.0.0.1", 0, 0, offsetof(web_config, bind),
     "IPv4 address to listen on"},
    {"port", OPT_INT, "8080", 0, 65535, offsetof(web_config, port),
     "TCP port (0 picks a free one)"},
    {"threads", OPT_INT, "2", 1, 64, offsetof(web_config, threads),
     "worker threads (about one per core)"},
    {"timeout", OPT_INT, "30", 1, 3600, offsetof(web_config, timeout),
     "seconds before an idle connection is closed"},
    {"max-connections", OPT_INT, "1000", 1, 100000, offsetof(web_config, max_connections),
     "connections served at once"},
    {"max-body", OPT_INT, "1048576", 1024, 67108864, offsetof(web_config, max_body),
     "largest request body in bytes"},
    {"mail-every", OPT_INT, "60", 1, 86400, offsetof(web_config, mail_every),
     "seconds between sends of the family portal's queued e-mails (new messages, "
     "acknowledgements, retries); the daily job runs once a day"},
    {"max-upload", OPT_INT, "28311552", 1024, 67108864, offsetof(web_config, max_upload),
     "largest body of a form that uploads files (advice with PDFs, a family's views with "
     "5 files of 5 MB, a plan's evidence document of 10 MB), in bytes"},
};
const size_t cli_listen_spec_count = sizeof cli_listen_specs / sizeof cli_listen_specs[0];

/* What the server serves. */
static const opt_spec serve_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(web_config, db),
     "database file (SQLite)"},
    {"db-read", OPT_STR, NULL, 0, 0, offsetof(web_config, db_read),
     "a streaming replica for reporting pages and exports (writes use --db)"},
    {"secure-cookies", OPT_BOOL, NULL, 0, 0, offsetof(web_config, secure_cookies),
     "mark cookies Secure (set when served over HTTPS, directly or by a proxy)"},
    {"today", OPT_DATE, NULL, 0, 0, offsetof(web_config, today),
     "pin today's date (tests, demonstrations)"},
    {"no-remind", OPT_BOOL, NULL, 0, 0, offsetof(web_config, remind) +
                                            offsetof(app_remind_config, disabled),
     "do not run the daily job (advice reminders, the family portal's e-mails) in the "
     "server (run sendhub remind instead)"},
};

int cmd_serve(int argc, char **argv)
{
    web_config cfg;
    const opt_group groups[] = {OPT_GROUP(serve_specs, &cfg),
                                {cli_listen_specs, cli_listen_spec_count, &cfg},
                                {cli_remind_specs, cli_remind_spec_count, &cfg.remind}};
    int rc = opt_parse(groups, 3, argc, argv, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "serve",
                  "Serves the staff pages and the JSON API (/api/v1) until SIGINT or SIGTERM.",
                  groups, 3);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    const char *why = NULL;
    if (app_remind_config_check(&cfg.remind, &why) != SH_OK) {
        fprintf(stderr, "sendhub serve: %s\n", why);
        return CLI_EXIT_USAGE;
    }
    rc = web_serve(&cfg);
    return rc == SH_OK ? CLI_EXIT_OK : rc == SH_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}
