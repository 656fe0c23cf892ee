/*
 * cmd_import.c — `sendhub import referrals FILE.csv`: a health provider's
 * extract of referrals to the area's pathways, imported as the system user.
 *
 * The whole file or nothing: every line is checked as if recorded by hand
 * (app_referrals_import, one transaction); if any line is wrong, each bad
 * line is reported as FILE:LINE: column: message on standard error, nothing
 * is stored and the exit status is 2. The columns are in app/health.h and
 * docs/OPERATIONS.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "app/clock.h"
#include "app/health.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "core/ident.h"
#include "store/store.h"
#include "util/err.h"

#define IMPORT_ARENA_LIMIT (256u << 20)

typedef struct {
    const char *db, *la;
    date_t today;
} import_config;

static const opt_spec import_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(import_config, db), "database file (SQLite)"},
    {"la", OPT_STR, NULL, 0, 0, offsetof(import_config, la),
     "3-digit local authority number of the area the referrals belong to"},
    {"today", OPT_DATE, NULL, 0, 0, offsetof(import_config, today),
     "the date checked against (no date may be later); default the real date"},
};

/* Reads the whole file (at most HEALTH_IMPORT_MAX_BYTES) into the arena. */
static int read_file(const char *path, arena *a, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return SH_ENOTFOUND;
    char *buf = arena_alloc(a, HEALTH_IMPORT_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, HEALTH_IMPORT_MAX_BYTES + 1, f) : 0;
    int rc = !buf ? SH_ENOMEM : ferror(f) ? SH_EIO : n > HEALTH_IMPORT_MAX_BYTES ? SH_ELIMIT
                                                                                 : SH_OK;
    fclose(f);
    *out = buf;
    *len = n;
    return rc;
}

static int import_referrals(const import_config *cfg, const char *path)
{
    arena *a = arena_create(IMPORT_ARENA_LIMIT);
    char *csv = NULL;
    size_t len = 0;
    int rc = a ? read_file(path, a, &csv, &len) : SH_ENOMEM;
    if (rc) {
        fprintf(stderr, "sendhub import: %s: %s\n", path,
                rc == SH_ELIMIT ? "larger than 32 MB: split it" : sh_strerror(rc));
        arena_destroy(a);
        return rc == SH_ELIMIT || rc == SH_ENOTFOUND ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
    }
    store *s = NULL;
    rc = store_open(cfg->db, &s);
    if (rc == SH_OK)
        rc = store_migrate(s);
    if (rc) {
        fprintf(stderr, "sendhub import: %s: %s\n", cfg->db, sh_strerror(rc));
        store_close(s);
        arena_destroy(a);
        return CLI_EXIT_FAILURE;
    }
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .remote = ""};
    memcpy(sys.la_code, cfg->la, sizeof sys.la_code);
    health_import_report rep;
    app_error err = {0};
    rc = app_referrals_import(s, &sys, csv, len, cfg->today, a, &rep, &err);
    for (size_t i = 0; i < rep.errors_shown; i++)
        fprintf(stderr, "%s:%zu: %s%s%s\n", path, rep.errors[i].line,
                rep.errors[i].field ? rep.errors[i].field : "",
                rep.errors[i].field ? ": " : "", rep.errors[i].message);
    if (rep.n_errors > rep.errors_shown)
        fprintf(stderr, "%s: %zu more lines are wrong\n", path, rep.n_errors - rep.errors_shown);
    int status = CLI_EXIT_OK;
    if (rc) {
        fprintf(stderr, "sendhub import: %s: %s\n", path, err.message);
        status = rc == SH_EINVAL || rc == SH_ELIMIT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
    } else {
        printf("%s: %zu referral%s imported into LA %s\n", path, rep.imported,
               rep.imported == 1 ? "" : "s", cfg->la);
    }
    store_close(s);
    arena_destroy(a);
    return status;
}

int cmd_import(int argc, char **argv)
{
    import_config cfg;
    const opt_group groups[] = {OPT_GROUP(import_specs, &cfg)};
    int npos = 0;
    int rc = opt_parse(groups, 1, argc, argv, &npos, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "import",
                  "sendhub import referrals FILE.csv: imports a health provider's referrals "
                  "(columns nhs_number, pathway, referrer, referral_date, priority, triage, "
                  "triage_date, triage_reason, first_contact, assessment_started, "
                  "assessment_completed, outcome, outcome_code, discharged). The whole file "
                  "or nothing: any bad line is reported and nothing is stored.",
                  groups, 1);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    if (npos != 2 || strcmp(argv[1], "referrals") != 0) {
        fprintf(stderr, "sendhub import: usage: sendhub import referrals --la LA FILE.csv\n");
        return CLI_EXIT_USAGE;
    }
    if (!cfg.la || ident_la_code_validate(cfg.la, strlen(cfg.la), NULL)) {
        fprintf(stderr, "sendhub import: --la: give the 3-digit local authority number\n");
        return CLI_EXIT_USAGE;
    }
    if (cfg.today == DATE_NONE)
        cfg.today = app_today();
    return import_referrals(&cfg, argv[2]);
}
