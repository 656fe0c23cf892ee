/*
 * cli.h — the subcommands of the `sendhub` binary.
 *
 * Each command takes (argc, argv) with argv[0] being the command name, parses
 * its options through its own opt_spec table (util/opt.h), and returns the
 * process exit status: 0 success, 1 runtime failure (database, I/O), 2 bad
 * usage or invalid input (with a message on stderr naming what was wrong).
 */
#ifndef SH_CLI_H
#define SH_CLI_H

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE 2

#include <stddef.h>

#include "cli/opt.h"

/* The server's listener options (--bind, --port, --threads, --timeout,
 * --max-connections, --max-body) over a web_config; cmd_serve.c. */
extern const opt_spec cli_listen_specs[];
extern const size_t cli_listen_spec_count;

/* The advice reminder job's options (--smtp, --mail-from, --base-url,
 * --remind-days, --smtp-timeout) over an app_remind_config; cmd_remind.c. */
extern const opt_spec cli_remind_specs[];
extern const size_t cli_remind_spec_count;

int cmd_timeline(int argc, char **argv); /* cmd_timeline.c */
int cmd_serve(int argc, char **argv);    /* cmd_serve.c */
int cmd_demo(int argc, char **argv);     /* cmd_demo.c */
int cmd_migrate(int argc, char **argv);  /* cmd_migrate.c */
int cmd_backup(int argc, char **argv);   /* cmd_backup.c */
int cmd_user(int argc, char **argv);     /* cmd_user.c */
int cmd_audit(int argc, char **argv);    /* cmd_audit.c */
int cmd_remind(int argc, char **argv);   /* cmd_remind.c */
int cmd_export(int argc, char **argv);   /* cmd_export.c */
int cmd_import(int argc, char **argv);   /* cmd_import.c */

#endif
