/*
 * cmd_audit.c — `sendhub audit`: exports an area's audit log to standard
 * output, oldest first, as CSV (with a header row) or JSON lines.
 *
 * The export is itself audited (action "export", object "audit", the
 * filters in the detail) before the first entry is written, so the log
 * shows who took a copy of it even if the export is interrupted.
 *
 * CSV cells that a spreadsheet would run as a formula (starting with = + -
 * @, tab or carriage return) are prefixed with an apostrophe: the log holds
 * text typed by strangers (an attempted username), and an exported log is
 * opened in spreadsheets (OWASP "CSV injection").
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/audit.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "core/ident.h"
#include "store/store.h"
#include "util/err.h"

#define AUDIT_ARENA_LIMIT (4u << 20)

typedef struct {
    const char *db, *la, *user, *action, *format;
    long child;
    date_t from, to;
} audit_config;

static const opt_spec audit_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(audit_config, db), "database file (SQLite)"},
    {"la", OPT_STR, NULL, 0, 0, offsetof(audit_config, la),
     "3-digit local authority number of the area (required; 000 holds failed sign-ins "
     "by unknown usernames)"},
    {"user", OPT_STR, NULL, 0, 0, offsetof(audit_config, user), "only this username"},
    {"action", OPT_STR, NULL, 0, 0, offsetof(audit_config, action),
     "only this action (read, write, denied, sign_in, sign_in_failed, sign_out, export, "
     "admin)"},
    {"child", OPT_INT, NULL, 1, LONG_MAX, offsetof(audit_config, child),
     "only entries about this child (record id)"},
    {"from", OPT_DATE, NULL, 0, 0, offsetof(audit_config, from),
     "first day included (local time)"},
    {"to", OPT_DATE, NULL, 0, 0, offsetof(audit_config, to), "last day included (local time)"},
    {"format", OPT_STR, "csv", 0, 0, offsetof(audit_config, format), "csv or json (lines)"},
};

typedef struct {
    FILE *out;
    bool json;
    long n;
} exporter;

/* Local midnight starting day d, as unix seconds. */
static int64_t day_start(date_t d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd, .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

static void iso_time(int64_t at, char out[32])
{
    time_t t = (time_t)at;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "%lld", (long long)at);
}

/* One CSV cell (RFC 4180 quoting), defused against formula injection. */
static void csv_cell(FILE *f, const char *s, bool last)
{
    bool formula = s[0] && strchr("=+-@\t\r", s[0]);
    if (formula || strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        if (formula)
            fputc('\'', f);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

static void csv_id(FILE *f, int64_t v)
{
    if (v)
        fprintf(f, "%lld", (long long)v);
    fputc(',', f);
}

static void json_string(FILE *f, const char *key, const char *s)
{
    fprintf(f, ",\"%s\":\"", key);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void json_id(FILE *f, const char *key, int64_t v)
{
    if (v)
        fprintf(f, ",\"%s\":%lld", key, (long long)v);
    else
        fprintf(f, ",\"%s\":null", key);
}

static int export_one(void *ctx, const store_audit *e)
{
    exporter *x = ctx;
    char at[32];
    iso_time(e->at, at);
    if (x->json) {
        fprintf(x->out, "{\"id\":%lld", (long long)e->id);
        json_string(x->out, "at", at);
        json_string(x->out, "la_code", e->la_code);
        json_string(x->out, "username", e->username);
        json_string(x->out, "role", e->role);
        json_string(x->out, "action", e->action);
        json_string(x->out, "object", e->object);
        json_id(x->out, "object_id", e->object_id);
        json_id(x->out, "child_id", e->child_id);
        json_string(x->out, "detail", e->detail);
        json_string(x->out, "remote", e->remote);
        fputs("}\n", x->out);
    } else {
        fprintf(x->out, "%lld,%s,", (long long)e->id, at);
        csv_cell(x->out, e->la_code, false);
        csv_cell(x->out, e->username, false);
        csv_cell(x->out, e->role, false);
        csv_cell(x->out, e->action, false);
        csv_cell(x->out, e->object, false);
        csv_id(x->out, e->object_id);
        csv_id(x->out, e->child_id);
        csv_cell(x->out, e->detail, false);
        csv_cell(x->out, e->remote, true);
    }
    x->n++;
    return ferror(x->out) ? SH_EIO : SH_OK;
}

/* The filters in words, for the export's own audit entry. */
static void describe(const audit_config *cfg, char *out, size_t n)
{
    char from[DATE_ISO_LEN + 1] = "", to[DATE_ISO_LEN + 1] = "";
    if (cfg->from != DATE_NONE)
        date_format(cfg->from, from);
    if (cfg->to != DATE_NONE)
        date_format(cfg->to, to);
    snprintf(out, n, "%s export; user=%s action=%s child=%ld from=%s to=%s", cfg->format,
             cfg->user ? cfg->user : "*", cfg->action ? cfg->action : "*", cfg->child,
             from[0] ? from : "*", to[0] ? to : "*");
}

/* Checks what the options cannot: an exit status. */
static int check_config(const audit_config *cfg)
{
    const char *problem = NULL;
    if (!cfg->la || ident_la_code_validate(cfg->la, strlen(cfg->la), NULL))
        problem = "--la: give the 3-digit local authority number of the area";
    else if (strcmp(cfg->format, "csv") != 0 && strcmp(cfg->format, "json") != 0)
        problem = "--format: must be csv or json";
    else if (cfg->from != DATE_NONE && cfg->to != DATE_NONE && cfg->to < cfg->from)
        problem = "--to: must not be before --from";
    if (!problem)
        return CLI_EXIT_OK;
    fprintf(stderr, "sendhub audit: %s\n", problem);
    return CLI_EXIT_USAGE;
}

/* Audits the export, then streams it. */
static int export_log(store *s, const audit_config *cfg, arena *a)
{
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .remote = ""};
    memcpy(sys.la_code, cfg->la, sizeof sys.la_code);
    char detail[200];
    describe(cfg, detail, sizeof detail);
    int rc = audit_record_now(s, &sys, "export", "audit", 0, cfg->child, detail,
                              (int64_t)time(NULL));
    store_audit_query q = {.la_code = cfg->la, .username = cfg->user, .action = cfg->action,
                           .child_id = cfg->child,
                           .from = cfg->from == DATE_NONE ? 0 : day_start(cfg->from),
                           .to = cfg->to == DATE_NONE ? 0 : day_start(cfg->to + 1)};
    exporter x = {.out = stdout, .json = strcmp(cfg->format, "json") == 0};
    if (rc == SH_OK && !x.json)
        fputs("id,at,la_code,username,role,action,object,object_id,child_id,detail,remote\r\n",
              stdout);
    if (rc == SH_OK)
        rc = store_audit_scan(s, &q, a, export_one, &x);
    if (rc == SH_OK && fflush(stdout) != 0)
        rc = SH_EIO;
    if (rc == SH_OK)
        fprintf(stderr, "sendhub audit: %ld entr%s exported\n", x.n, x.n == 1 ? "y" : "ies");
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    audit_config cfg;
    const opt_group groups[] = {OPT_GROUP(audit_specs, &cfg)};
    int rc = opt_parse(groups, 1, argc, argv, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "audit",
                  "Exports an area's audit log, oldest first, to standard output (CSV with a "
                  "header row, or JSON lines). The export is itself audited.",
                  groups, 1);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    int status = check_config(&cfg);
    if (status != CLI_EXIT_OK)
        return status;
    store *s = NULL;
    arena *a = arena_create(AUDIT_ARENA_LIMIT);
    rc = a ? store_open(cfg.db, &s) : SH_ENOMEM;
    if (rc == SH_OK)
        rc = store_migrate(s);
    if (rc == SH_OK)
        rc = export_log(s, &cfg, a);
    store_close(s);
    arena_destroy(a);
    if (rc) {
        fprintf(stderr, "sendhub audit: %s: %s\n", cfg.db, sh_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}
