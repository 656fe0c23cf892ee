/*
 * migrations.h — the numbered SQL migrations compiled into the binary.
 *
 * The SQL lives in src/store/schema/<dialect>/NNN_name.sql; the build embeds
 * every file (scripts/embed-migrations.sh) into store_migrations[], sorted by
 * dialect then number. A backend applies, in order, those of its dialect whose
 * version is above the schema version recorded in its database.
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
