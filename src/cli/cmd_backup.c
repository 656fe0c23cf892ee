/*
 * cmd_backup.c — `sendhub backup --db URL --out FILE`: a consistent copy of
 * a live database, taken while servers keep running.
 *
 * SQLite: the online backup API copies the database page by page into
 * FILE.tmp (readers and the writer go on between steps; pages a writer
 * changes meanwhile are copied again), the copy is checked with PRAGMA
 * quick_check, synced, and renamed to FILE, so FILE is never half-written.
 * Restore: stop the servers and put the file in place of the database.
 *
 * PostgreSQL: runs the pg_dump binary (SENDHUB_PG_DUMP, else pg_dump on the
 * PATH; it must be at least the server's major version) in custom format
 * into FILE.tmp, then renames it. A dump is one snapshot of the database.
 * Restore: pg_restore --dbname=URL --clean --if-exists FILE (docs/
 * OPERATIONS.md). Credentials belong in ~/.pgpass or PGPASSFILE, not in the
 * URL, which pg_dump is given on its command line.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "util/err.h"

#define BACKUP_PAGES_PER_STEP 1024
#define BACKUP_BUSY_SLEEP_MS 50
#define PATH_MAX_LEN 4096

typedef struct {
    const char *db;
    const char *out;
} backup_config;

static const opt_spec backup_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(backup_config, db),
     "database to back up: a file path, sqlite:PATH or postgresql://..."},
    {"out", OPT_STR, NULL, 0, 0, offsetof(backup_config, out),
     "file to write (SQLite: a database file; PostgreSQL: pg_dump custom format)"},
};

static int backup_sqlite_copy(sqlite3 *src, sqlite3 *dst)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        fprintf(stderr, "sendhub backup: %s\n", sqlite3_errmsg(dst));
        return SH_EIO;
    }
    int code;
    while ((code = sqlite3_backup_step(b, BACKUP_PAGES_PER_STEP)) == SQLITE_OK
           || code == SQLITE_BUSY || code == SQLITE_LOCKED)
        if (code != SQLITE_OK)
            sqlite3_sleep(BACKUP_BUSY_SLEEP_MS);
    sqlite3_backup_finish(b);
    if (code == SQLITE_DONE)
        return SH_OK;
    fprintf(stderr, "sendhub backup: %s\n", sqlite3_errstr(code));
    return SH_EIO;
}

/* The copy is a database in its own right: check it before trusting it. */
static int backup_sqlite_check(sqlite3 *dst)
{
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK
             && sqlite3_step(st) == SQLITE_ROW
             && strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    if (!ok)
        fprintf(stderr, "sendhub backup: the copy failed its integrity check\n");
    return ok ? SH_OK : SH_EIO;
}

static int backup_sqlite(const char *path, const char *tmp)
{
    sqlite3 *src = NULL, *dst = NULL;
    int rc = SH_OK;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
        || sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
               != SQLITE_OK) {
        fprintf(stderr, "sendhub backup: %s\n", sqlite3_errmsg(dst ? dst : src));
        rc = SH_EIO;
    }
    if (rc == SH_OK)
        sqlite3_busy_timeout(src, 5000);
    if (rc == SH_OK)
        rc = backup_sqlite_copy(src, dst);
    /* A single file, written through to disk before it is renamed. */
    if (rc == SH_OK && sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL)
                           != SQLITE_OK)
        rc = SH_EIO;
    if (rc == SH_OK)
        rc = backup_sqlite_check(dst);
    sqlite3_close(src);
    if (sqlite3_close(dst) != SQLITE_OK)
        rc = SH_EIO;
    return rc;
}

static const char *pg_dump_binary(void)
{
    const char *bin = getenv("SENDHUB_PG_DUMP");
    return bin && *bin ? bin : "pg_dump";
}

/* Runs pg_dump without a shell and waits for it. */
static int backup_pg(const char *url, const char *tmp)
{
    char dbname[PATH_MAX_LEN + 16], file[PATH_MAX_LEN + 16];
    snprintf(dbname, sizeof dbname, "--dbname=%s", url);
    snprintf(file, sizeof file, "--file=%s", tmp);
    char *const argv[] = {(char *)(uintptr_t)pg_dump_binary(), (char *)(uintptr_t) "--format=custom",
                          (char *)(uintptr_t) "--no-password", dbname, file, NULL};
    pid_t pid = fork();
    if (pid < 0) {
        perror("sendhub backup: fork");
        return SH_EIO;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "sendhub backup: %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return SH_OK;
    fprintf(stderr, "sendhub backup: pg_dump failed (status %d)\n",
            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return SH_EIO;
}

static int backup_run(const char *db, const char *out)
{
    char tmp[PATH_MAX_LEN];
    struct stat sb;
    if (snprintf(tmp, sizeof tmp, "%s.tmp", out) >= (int)sizeof tmp)
        return SH_EINVAL;
    if (stat(out, &sb) == 0) {
        fprintf(stderr, "sendhub backup: %s exists; choose a new file\n", out);
        return SH_EINVAL;
    }
    unlink(tmp);
    int rc;
    if (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0)
        rc = backup_pg(db, tmp);
    else
        rc = backup_sqlite(strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db, tmp);
    if (rc == SH_OK && rename(tmp, out) != 0) {
        perror("sendhub backup: rename");
        rc = SH_EIO;
    }
    if (rc != SH_OK)
        unlink(tmp);
    return rc;
}

int cmd_backup(int argc, char **argv)
{
    backup_config cfg;
    const opt_group groups[] = {OPT_GROUP(backup_specs, &cfg)};
    int rc = opt_parse(groups, 1, argc, argv, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "backup",
                  "Writes a consistent copy of a live database to a new file (SQLite: the"
                  " online backup API; PostgreSQL: pg_dump custom format).",
                  groups, 1);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    if (!cfg.out || !*cfg.out) {
        fprintf(stderr, "sendhub backup: --out FILE is required\n");
        return CLI_EXIT_USAGE;
    }
    rc = backup_run(cfg.db, cfg.out);
    if (rc == SH_OK)
        printf("backed up to %s\n", cfg.out); /* not the URL: it may hold a password */
    return rc == SH_OK ? CLI_EXIT_OK : rc == SH_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}
