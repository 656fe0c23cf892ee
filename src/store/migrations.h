/*
 * migrations.h — the numbered SQL migrations compiled into the binary.
 *
 * The SQL lives in src/store/schema/<dialect>/NNN_name.sql; the build embeds
 * every file (scripts/embed-migrations.sh) into store_migrations[], sorted by
 * dialect then number. A backend applies, in order, those of its dialect whose
 * version has no row in its database's schema_version table (so one missed
 * because a later number arrived first, from a branch, is still applied).
 */
#ifndef SH_STORE_MIGRATIONS_H
#define SH_STORE_MIGRATIONS_H

#include <stddef.h>

typedef struct {
    const char *dialect; /* "sqlite" or "postgresql" */
    int version;         /* NNN */
    const char *name;    /* "001_init" */
    const char *sql;
} store_migration;

extern const store_migration store_migrations[];
extern const size_t store_migration_count;

#endif
