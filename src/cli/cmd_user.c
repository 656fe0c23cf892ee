/*
 * cmd_user.c — `sendhub user add|list|disable|enable|reset-password|token`:
 * account administration from the command line, acting as the system user
 * (so the first administrator of a new installation can be created).
 *
 * A password is never taken from the command line, where other users of the
 * machine could read it (ps, shell history): it is the first line of
 * standard input or of --password-file, and is wiped from memory once used.
 * Every change is audited by app/auth.c like one made through the web.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/access.h"
#include "app/auth.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "core/ident.h"
#include "store/store.h"
#include "util/err.h"

#define USER_ARENA_LIMIT (16u << 20)
#define USER_LINE_MAX (AUTH_PASSWORD_MAX * 4 + 2) /* UTF-8 password, newline, NUL */
#define USER_DEFAULT_LA "990" /* the area `sendhub serve` serves unless told (--la) */

typedef struct {
    const char *db, *la;
    const char *username, *name, *email, *role, *organisation, *setting_urn;
    const char *password_file, *label;
    long days;
} user_config;

static const opt_spec common_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(user_config, db), "database file (SQLite)"},
    {"la", OPT_STR, NULL, 0, 0, offsetof(user_config, la),
     "3-digit local authority number: the new account's area (add; default " USER_DEFAULT_LA
     ", as for sendhub serve) or the area to list (list; default every area)"},
};
static const opt_spec add_specs[] = {
    {"username", OPT_STR, NULL, 0, 0, offsetof(user_config, username),
     "3-64 of a-z 0-9 . _ - (stored lower case)"},
    {"name", OPT_STR, NULL, 0, 0, offsetof(user_config, name), "the person's name"},
    {"email", OPT_STR, NULL, 0, 0, offsetof(user_config, email), "email address (optional)"},
    {"role", OPT_STR, NULL, 0, 0, offsetof(user_config, role),
     "coordinator, manager, health, social_care, setting, admin, inspector, parent or forum"},
    {"organisation", OPT_STR, NULL, 0, 0, offsetof(user_config, organisation),
     "team, NHS provider, school; the forum's name for role forum"},
    {"setting-urn", OPT_STR, NULL, 0, 0, offsetof(user_config, setting_urn),
     "URN of the school or college (role setting)"},
    {"password-file", OPT_STR, NULL, 0, 0, offsetof(user_config, password_file),
     "read the password from this file's first line instead of standard input"},
};
static const opt_spec name_specs[] = {
    {"username", OPT_STR, NULL, 0, 0, offsetof(user_config, username), "the account"},
};
static const opt_spec reset_specs[] = {
    {"username", OPT_STR, NULL, 0, 0, offsetof(user_config, username), "the account"},
    {"password-file", OPT_STR, NULL, 0, 0, offsetof(user_config, password_file),
     "read the password from this file's first line instead of standard input"},
};
static const opt_spec token_specs[] = {
    {"username", OPT_STR, NULL, 0, 0, offsetof(user_config, username),
     "the account the token acts as"},
    {"label", OPT_STR, NULL, 0, 0, offsetof(user_config, label),
     "what the token is for (shown in the audit log)"},
    {"days", OPT_INT, "90", 1, AUTH_API_TOKEN_DAYS_MAX, offsetof(user_config, days),
     "days until it expires"},
};

/* ---- helpers ------------------------------------------------------------ */

/* Turns an app_error field into the option (or input) a person typed. */
static const char *option_of(const char *field)
{
    static const struct {
        const char *field, *option;
    } map[] = {
        {"username", "--username"},       {"display_name", "--name"},
        {"email", "--email"},             {"role", "--role"},
        {"la_code", "--la"},              {"organisation", "--organisation"},
        {"setting_urn", "--setting-urn"}, {"label", "--label"},
        {"days", "--days"},               {"password", "password"},
    };
    for (size_t i = 0; field && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].field, field) == 0)
            return map[i].option;
    return NULL;
}

/* Prints the error and returns the exit status: the person's input (2) or
 * the machine (1). */
static int report(const char *cmd, const app_error *err)
{
    const char *opt = option_of(err->field);
    fprintf(stderr, "sendhub user %s: %s%s%s\n", cmd, opt ? opt : "", opt ? ": " : "",
            err->message);
    switch (err->rc) {
    case SH_EINVAL: case SH_ENOTFOUND: case SH_ECONFLICT: case SH_EDENIED:
        return CLI_EXIT_USAGE;
    default:
        return CLI_EXIT_FAILURE;
    }
}

static int missing(const char *cmd, const char *option)
{
    fprintf(stderr, "sendhub user %s: --%s is required (see --help)\n", cmd, option);
    return CLI_EXIT_USAGE;
}

/* Reads the first line of f into buf (newline removed). A line that does
 * not fit is refused rather than cut, so the password is never silently
 * different from what was typed. Returns an exit status. */
static int read_line(FILE *f, const char *cmd, const char *from, char *buf, size_t n)
{
    if (!fgets(buf, (int)n, f)) {
        fprintf(stderr, "sendhub user %s: password: nothing to read from %s\n", cmd, from);
        return CLI_EXIT_USAGE;
    }
    size_t len = strlen(buf);
    bool complete = len > 0 && buf[len - 1] == '\n';
    if (!complete && !feof(f)) {
        fprintf(stderr, "sendhub user %s: password: longer than %d characters\n", cmd,
                AUTH_PASSWORD_MAX);
        return CLI_EXIT_USAGE;
    }
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    return CLI_EXIT_OK;
}

/* The new password: --password-file's first line, or standard input's (with
 * a prompt on a terminal; input is not hidden: pipe it in to keep it off the
 * screen). */
static int read_password(const user_config *cfg, const char *cmd, char *buf, size_t n)
{
    if (!cfg->password_file) {
        if (isatty(STDIN_FILENO))
            fprintf(stderr, "Password (shown as you type): ");
        return read_line(stdin, cmd, "standard input", buf, n);
    }
    FILE *f = fopen(cfg->password_file, "r");
    if (!f) {
        fprintf(stderr, "sendhub user %s: --password-file: cannot open %s\n", cmd,
                cfg->password_file);
        return CLI_EXIT_USAGE;
    }
    int status = read_line(f, cmd, cfg->password_file, buf, n);
    fclose(f);
    return status;
}

/* The username as it is stored (lower case), for messages. */
static const char *shown(const char *username, char out[STORE_USERNAME_MAX + 1])
{
    size_t i = 0;
    for (; username[i] && i < STORE_USERNAME_MAX; i++)
        out[i] = (char)tolower((unsigned char)username[i]);
    out[i] = '\0';
    return out;
}

/* ---- actions ------------------------------------------------------------ */

static int user_add(store *s, const user_config *cfg, const app_identity *sys)
{
    if (!cfg->username)
        return missing("add", "username");
    if (!cfg->name)
        return missing("add", "name");
    if (!cfg->role)
        return missing("add", "role");
    char password[USER_LINE_MAX], name[STORE_USERNAME_MAX + 1];
    int status = read_password(cfg, "add", password, sizeof password);
    if (status == CLI_EXIT_OK) {
        auth_new_user nu = {.username = cfg->username, .display_name = cfg->name,
                            .email = cfg->email, .role = cfg->role,
                            .la_code = cfg->la ? cfg->la : USER_DEFAULT_LA,
                            .organisation = cfg->organisation,
                            .setting_urn = cfg->setting_urn, .password = password};
        app_error err;
        store_user u;
        if (auth_user_add(s, sys, &nu, (int64_t)time(NULL), &u, &err))
            status = report("add", &err);
        else
            printf("added %s (%s, area %s)\n", shown(cfg->username, name), u.role,
                   u.la_code);
    }
    sodium_memzero(password, sizeof password);
    return status;
}

static void when(int64_t t, char *out, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t == 0 || !localtime_r(&tt, &tm) || strftime(out, n, "%Y-%m-%d %H:%M", &tm) == 0)
        snprintf(out, n, "%s", t ? "?" : "never");
}

static int width(int w, const char *s)
{
    int n = (int)strlen(s);
    return n > w ? n : w;
}

static int user_list(store *s, const user_config *cfg, const app_identity *sys)
{
    (void)sys;
    arena *a = arena_create(USER_ARENA_LIMIT);
    store_user *users = NULL;
    size_t n = 0;
    int rc = a ? store_user_list(s, cfg->la, a, &users, &n) : SH_ENOMEM;
    if (rc) {
        fprintf(stderr, "sendhub user list: %s: %s\n", cfg->db, sh_strerror(rc));
        arena_destroy(a);
        return CLI_EXIT_FAILURE;
    }
    int wu = 8, wn = 4, wr = 4, wo = 12;
    for (size_t i = 0; i < n; i++) {
        wu = width(wu, users[i].username);
        wn = width(wn, users[i].display_name);
        wr = width(wr, users[i].role);
        wo = width(wo, users[i].organisation);
    }
    printf("%-*s  %-*s  %-*s  %-4s  %-*s  %-8s  %s\n", wu, "username", wn, "name", wr, "role",
           "area", wo, "organisation", "disabled", "last sign-in");
    for (size_t i = 0; i < n; i++) {
        const store_user *u = &users[i];
        char last[32];
        when(u->last_sign_in, last, sizeof last);
        printf("%-*s  %-*s  %-*s  %-4s  %-*s  %-8s  %s\n", wu, u->username, wn,
               u->display_name, wr, u->role, u->la_code, wo, u->organisation,
               u->disabled ? "yes" : "no", last);
    }
    arena_destroy(a);
    return CLI_EXIT_OK;
}

static int set_disabled(store *s, const user_config *cfg, const app_identity *sys,
                        bool disabled)
{
    const char *cmd = disabled ? "disable" : "enable";
    if (!cfg->username)
        return missing(cmd, "username");
    app_error err;
    if (auth_user_set_disabled(s, sys, cfg->username, disabled, (int64_t)time(NULL), &err))
        return report(cmd, &err);
    char name[STORE_USERNAME_MAX + 1];
    printf("%s %s%s\n", disabled ? "disabled" : "enabled", shown(cfg->username, name),
           disabled ? " (signed out everywhere)" : "");
    return CLI_EXIT_OK;
}

static int user_disable(store *s, const user_config *cfg, const app_identity *sys)
{
    return set_disabled(s, cfg, sys, true);
}

static int user_enable(store *s, const user_config *cfg, const app_identity *sys)
{
    return set_disabled(s, cfg, sys, false);
}

static int user_reset(store *s, const user_config *cfg, const app_identity *sys)
{
    if (!cfg->username)
        return missing("reset-password", "username");
    char password[USER_LINE_MAX], name[STORE_USERNAME_MAX + 1];
    int status = read_password(cfg, "reset-password", password, sizeof password);
    if (status == CLI_EXIT_OK) {
        app_error err;
        if (auth_user_reset_password(s, sys, cfg->username, password, (int64_t)time(NULL),
                                     &err))
            status = report("reset-password", &err);
        else
            printf("new password set; %s is signed out everywhere\n",
                   shown(cfg->username, name));
    }
    sodium_memzero(password, sizeof password);
    return status;
}

static int user_token(store *s, const user_config *cfg, const app_identity *sys)
{
    if (!cfg->username)
        return missing("token", "username");
    if (!cfg->label)
        return missing("token", "label");
    char token[AUTH_SECRET_TEXT_LEN + 1];
    app_error err;
    int64_t now = (int64_t)time(NULL);
    int status = CLI_EXIT_OK;
    if (auth_api_token_issue(s, sys, cfg->username, cfg->label, (int)cfg->days, now, token,
                             &err)) {
        status = report("token", &err);
    } else {
        char expires[32];
        when(now + cfg->days * 86400, expires, sizeof expires);
        printf("%s\n", token);
        char name[STORE_USERNAME_MAX + 1];
        fprintf(stderr,
                "API token for %s (\"%s\"), expires %s. It is shown only this once: store it "
                "like a password. Send it as \"Authorization: Bearer <token>\".\n",
                shown(cfg->username, name), cfg->label, expires);
    }
    sodium_memzero(token, sizeof token);
    return status;
}

/* ---- dispatch ----------------------------------------------------------- */

static const struct {
    const char *name, *summary;
    const opt_spec *specs;
    size_t n;
    int (*run)(store *s, const user_config *cfg, const app_identity *sys);
} actions[] = {
#define SPECS(t) (t), sizeof(t) / sizeof((t)[0])
    {"add", "Adds an account; the password is the first line of standard input.",
     SPECS(add_specs), user_add},
    {"list", "Lists the accounts of an area (--la), or of every area.", NULL, 0, user_list},
    {"disable", "Disables an account and ends its sessions and API tokens.",
     SPECS(name_specs), user_disable},
    {"enable", "Enables a disabled account.", SPECS(name_specs), user_enable},
    {"reset-password",
     "Sets a new password (first line of standard input) and ends the person's sessions.",
     SPECS(reset_specs), user_reset},
    {"token", "Issues an API token for an account and prints it once.", SPECS(token_specs),
     user_token},
#undef SPECS
};
#define ACTION_COUNT (sizeof actions / sizeof actions[0])

static int usage(FILE *out)
{
    fprintf(out, "usage: sendhub user ACTION [options]   (sendhub user ACTION --help)\n\n"
                 "actions:\n");
    for (size_t i = 0; i < ACTION_COUNT; i++)
        fprintf(out, "  %-15s %s\n", actions[i].name, actions[i].summary);
    return out == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

/* Opens and migrates the database, runs the action as the system user. */
static int run(size_t k, const user_config *cfg)
{
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .remote = ""};
    if (cfg->la && ident_la_code_validate(cfg->la, strlen(cfg->la), NULL)) {
        fprintf(stderr, "sendhub user %s: --la: must be a 3-digit local authority number\n",
                actions[k].name);
        return CLI_EXIT_USAGE;
    }
    if (cfg->la)
        memcpy(sys.la_code, cfg->la, sizeof sys.la_code);
    store *s = NULL;
    int rc = store_open(cfg->db, &s);
    if (rc == SH_OK)
        rc = store_migrate(s);
    if (rc) {
        fprintf(stderr, "sendhub user %s: %s: %s\n", actions[k].name, cfg->db,
                sh_strerror(rc));
        store_close(s);
        return CLI_EXIT_FAILURE;
    }
    int status = actions[k].run(s, cfg, &sys);
    store_close(s);
    return status;
}

int cmd_user(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-')
        return usage(argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                                   strcmp(argv[1], "-h") == 0)
                         ? stdout
                         : stderr);
    size_t k = 0;
    while (k < ACTION_COUNT && strcmp(argv[1], actions[k].name) != 0)
        k++;
    if (k == ACTION_COUNT) {
        fprintf(stderr, "sendhub user: unknown action '%s'\n", argv[1]);
        return usage(stderr);
    }
    char cmd[32];
    snprintf(cmd, sizeof cmd, "user %s", actions[k].name);
    argv[1] = cmd; /* names the command in opt_parse's messages */
    user_config cfg;
    const opt_group groups[] = {OPT_GROUP(common_specs, &cfg),
                                {actions[k].specs, actions[k].n, &cfg}};
    size_t ng = actions[k].n ? 2 : 1;
    int rc = opt_parse(groups, ng, argc - 1, argv + 1, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, cmd, actions[k].summary, groups, ng);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    return run(k, &cfg);
}
