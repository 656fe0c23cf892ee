/*
 * main.c — the `sendhub` binary: one table of subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_help(int argc, char **argv);

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"serve", cmd_serve, "serve the JSON API on a local port"},
    {"demo", cmd_demo, "create a synthetic local area and serve it"},
    {"timeline", cmd_timeline, "compute a journey's statutory timeline from JSON on stdin"},
    {"migrate", cmd_migrate, "create or upgrade a database to the current schema"},
    {"backup", cmd_backup, "write a consistent copy of a live database to a file"},
    {"user", cmd_user, "add, list, disable and enable accounts; reset passwords; API tokens"},
    {"audit", cmd_audit, "export the audit log (who read or changed what) as CSV or JSON"},
    {"remind", cmd_remind, "chase advice requests due soon or overdue; e-mail the services"},
    {"export", cmd_export, "statutory returns from the record: export sen2 (the DfE SEN2 return)"},
    {"import", cmd_import, "import referrals to health pathways from a provider's CSV"},
    {"help", cmd_help, "list the commands"},
};

static int cmd_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("sendhub: the EHC process, its statutory clocks and the partnership's record\n\n"
           "usage: sendhub COMMAND [options]   (sendhub COMMAND --help for its options)\n\n"
           "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cmd_help(argc, argv);
        return CLI_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(argc, argv);
    fprintf(stderr, "sendhub: unknown command '%s' (try: sendhub help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
