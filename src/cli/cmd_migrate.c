/*
 * cmd_migrate.c — `sendhub migrate`: create or upgrade a database.
 */
#include <stddef.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "store/store.h"
#include "util/err.h"

typedef struct {
    const char *db;
} migrate_config;

static const opt_spec migrate_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(migrate_config, db),
     "database file (SQLite)"},
};

int cmd_migrate(int argc, char **argv)
{
    migrate_config cfg;
    const opt_group groups[] = {OPT_GROUP(migrate_specs, &cfg)};
    int rc = opt_parse(groups, 1, argc, argv, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "migrate", "Creates the database or applies pending migrations.",
                  groups, 1);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    store *s;
    int version = 0;
    rc = store_open(cfg.db, &s);
    if (rc == SH_OK) {
        rc = store_migrate(s);
        if (rc == SH_OK)
            rc = store_schema_version(s, &version);
        store_close(s);
    }
    if (rc) {
        fprintf(stderr, "sendhub migrate: %s: %s\n", cfg.db, sh_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    printf("%s: schema version %d\n", cfg.db, version);
    return CLI_EXIT_OK;
}
