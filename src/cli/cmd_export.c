/*
 * cmd_export.c — `sendhub export KIND`: statutory returns and exports made
 * from the record. One row per kind in `kinds[]`.
 *
 *   sendhub export sen2 --db F --la 990 --year 2026 [--format xml|csv]
 *                       --out FILE|DIR [--force-with-errors]
 *
 * SEN2 (docs/SEN2.md): builds the return for collection year --year
 * (caseload at the January census of that year, activity in the calendar
 * year before), validates it, prints the validation report and the headline
 * figures on standard error, and writes it: --format xml (default) writes
 * one document to --out FILE ("-" for standard output); --format csv writes
 * one file per module into --out DIR (created if missing) with notes.csv,
 * figures.csv and issues.csv beside them. Files are written to a temporary
 * name and renamed, so a failed export leaves no half file.
 *
 * Exit status: 0 written; 1 runtime failure (database, I/O); 2 bad usage;
 * 3 validation found errors that block the return, so nothing was written
 * (--force-with-errors writes anyway, still exit 0, and says so). The
 * export is audited (action "export", object "sen2") before writing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/access.h"
#include "app/audit.h"
#include "app/sen2_io.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "core/ident.h"
#include "store/store.h"
#include "util/err.h"

#define EXPORT_EXIT_BLOCKED 3
#define EXPORT_MAX_OUTPUT ((size_t)1 << 30)
#define REPORT_LINES 100 /* issues printed; the rest are in issues.csv */

typedef struct {
    const char *db, *la, *format, *out;
    long year;
    bool force;
} sen2_config;

static const opt_spec sen2_specs[] = {
    {"db", OPT_STR, "sendhub.db", 0, 0, offsetof(sen2_config, db), "database file or URL"},
    {"la", OPT_STR, NULL, 0, 0, offsetof(sen2_config, la),
     "3-digit local authority number (required)"},
    {"year", OPT_INT, NULL, SEN2_MIN_YEAR, SEN2_MAX_YEAR, offsetof(sen2_config, year),
     "collection year: caseload at its January census, activity in the year before "
     "(required)"},
    {"format", OPT_STR, "xml", 0, 0, offsetof(sen2_config, format),
     "xml (one document) or csv (one file per module)"},
    {"out", OPT_STR, NULL, 0, 0, offsetof(sen2_config, out),
     "xml: the file to write (- for standard output); csv: the directory (required)"},
    {"force-with-errors", OPT_BOOL, NULL, 0, 0, offsetof(sen2_config, force),
     "write the return even when validation finds errors that block it"},
};

static int check_config(const sen2_config *c)
{
    const char *problem = NULL;
    if (!c->la || ident_la_code_validate(c->la, strlen(c->la), NULL))
        problem = "--la: give the 3-digit local authority number of the area";
    else if (c->year == 0)
        problem = "--year: give the collection year, e.g. 2026";
    else if (strcmp(c->format, "xml") != 0 && strcmp(c->format, "csv") != 0)
        problem = "--format: must be xml or csv";
    else if (!c->out || !c->out[0])
        problem = "--out: give the file (xml) or directory (csv) to write";
    else if (strcmp(c->format, "csv") == 0 && strcmp(c->out, "-") == 0)
        problem = "--out: csv writes several files, so give a directory";
    if (!problem)
        return CLI_EXIT_OK;
    fprintf(stderr, "sendhub export sen2: %s\n", problem);
    return CLI_EXIT_USAGE;
}

static void print_report(const sen2_return *r)
{
    char census[DATE_ISO_LEN + 1];
    date_format(r->period.census, census);
    size_t persons = r->n_persons, requests = 0;
    for (size_t i = 0; i < persons; i++)
        requests += r->persons[i].n_requests;
    fprintf(stderr,
            "SEN2 %d for LA %s: census %s, activity in %d; %zu people, %zu requests\n"
            "validation: %zu error%s (block the return), %zu warning%s\n",
            r->period.year, r->lea, census, r->period.year - 1, persons, requests, r->n_errors,
            r->n_errors == 1 ? "" : "s", r->n_issues - r->n_errors,
            r->n_issues - r->n_errors == 1 ? "" : "s");
    for (size_t i = 0; i < r->n_issues && i < REPORT_LINES; i++) {
        const sen2_issue *x = &r->issues[i];
        fprintf(stderr, "  %s: child %lld", sen2_severity_name(x->severity),
                (long long)x->child_id);
        if (x->case_id)
            fprintf(stderr, " case %lld", (long long)x->case_id);
        fprintf(stderr, " %s%s%s %s (fix on %s)\n", x->module, x->field[0] ? "." : "",
                x->field, x->message, sen2_fix_label(x->fix));
    }
    if (r->n_issues > REPORT_LINES)
        fprintf(stderr, "  ... and %zu more (all of them in issues.csv with --format csv)\n",
                r->n_issues - REPORT_LINES);
    sen2_figures f;
    sen2_figures_of_return(&f, r);
    static const char *const headline[] = {"inreq_ehc", "new_all_ehc", "inc_exc_20week_rate",
                                           "no_exc_20week_rate", "caseload"};
    fprintf(stderr, "figures:");
    for (size_t i = 0; i < sizeof headline / sizeof headline[0]; i++) {
        char v[32];
        int k = sen2_figure_find(headline[i]);
        fprintf(stderr, " %s=%s", headline[i], sen2_figure_value(&f, (size_t)k, v, sizeof v));
    }
    fputc('\n', stderr);
}

/* Writes b to path through a temporary file and a rename. */
static int write_file(const char *path, const buf *b)
{
    if (strcmp(path, "-") == 0)
        return fwrite(b->data, 1, b->len, stdout) == b->len && fflush(stdout) == 0 ? SH_OK
                                                                                   : SH_EIO;
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return SH_EINVAL;
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return SH_EIO;
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return SH_EIO;
    }
    return SH_OK;
}

static int write_return(const sen2_config *c, const sen2_return *r)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sen2_io_meta m = {.datetime = when};
    buf b;
    buf_init(&b, EXPORT_MAX_OUTPUT);
    int rc = SH_OK;
    if (strcmp(c->format, "xml") == 0) {
        rc = sen2_io_xml(r, &m, &b);
        if (!rc)
            rc = write_file(c->out, &b);
    } else if (mkdir(c->out, 0750) != 0 && errno != EEXIST) {
        rc = SH_EIO;
    } else {
        for (int f = 0; f < SEN2_FILE_COUNT && !rc; f++) {
            char path[4096];
            buf_reset(&b);
            rc = sen2_io_csv(r, &m, (sen2_file)f, &b);
            if (!rc && (size_t)snprintf(path, sizeof path, "%s/%s.csv", c->out,
                                        sen2_io_file_name((sen2_file)f)) >= sizeof path)
                rc = SH_EINVAL;
            if (!rc)
                rc = write_file(path, &b);
        }
    }
    buf_free(&b);
    if (rc)
        fprintf(stderr, "sendhub export sen2: could not write %s: %s\n", c->out,
                sh_strerror(rc));
    return rc;
}

static int audit_export(store *s, const sen2_config *c, const sen2_return *r, bool forced)
{
    app_identity sys = {.username = "system", .role = ROLE_SYSTEM, .remote = ""};
    memcpy(sys.la_code, c->la, sizeof sys.la_code);
    char detail[200];
    snprintf(detail, sizeof detail, "SEN2 %ld %s to %s; %zu people; %zu errors%s", c->year,
             c->format, c->out, r->n_persons, r->n_errors, forced ? "; forced" : "");
    return audit_record_now(s, &sys, "export", "sen2", 0, 0, detail, (int64_t)time(NULL));
}

static int run_sen2(const sen2_config *c)
{
    store *s = NULL;
    arena *a = arena_create(SEN2_IO_ARENA_LIMIT);
    sen2_return r;
    int rc = a ? store_open(c->db, &s) : SH_ENOMEM;
    if (rc == SH_OK)
        rc = store_migrate(s);
    if (rc == SH_OK)
        rc = sen2_io_load(s, c->la, (int)c->year, a, &r);
    int status = CLI_EXIT_OK;
    if (rc) {
        fprintf(stderr, "sendhub export sen2: %s: %s\n", c->db, sh_strerror(rc));
        status = CLI_EXIT_FAILURE;
    } else {
        print_report(&r);
        bool forced = r.n_errors > 0 && c->force;
        if (r.n_errors > 0 && !c->force) {
            fprintf(stderr, "sendhub export sen2: not written: fix the errors above, or "
                            "give --force-with-errors\n");
            status = EXPORT_EXIT_BLOCKED;
        } else if (audit_export(s, c, &r, forced) != SH_OK || write_return(c, &r) != SH_OK) {
            status = CLI_EXIT_FAILURE;
        } else if (forced) {
            fprintf(stderr, "sendhub export sen2: written WITH %zu blocking errors "
                            "(--force-with-errors)\n", r.n_errors);
        }
    }
    store_close(s);
    arena_destroy(a);
    return status;
}

static int export_sen2(int argc, char **argv)
{
    sen2_config c;
    const opt_group groups[] = {OPT_GROUP(sen2_specs, &c)};
    int rc = opt_parse(groups, 1, argc, argv, NULL, stderr);
    if (rc == OPT_HELP) {
        opt_usage(stdout, "export sen2",
                  "Builds, validates and writes the DfE SEN2 return (docs/SEN2.md). Exit 0 "
                  "written, 1 failure, 2 bad usage, 3 blocking validation errors (nothing "
                  "written).",
                  groups, 1);
        return CLI_EXIT_OK;
    }
    if (rc)
        return CLI_EXIT_USAGE;
    int status = check_config(&c);
    return status != CLI_EXIT_OK ? status : run_sen2(&c);
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} kinds[] = {
    {"sen2", export_sen2, "the DfE SEN2 person-level return (XML or CSV per module)"},
};

int cmd_export(int argc, char **argv)
{
    for (size_t i = 0; argc >= 2 && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(argv[1], kinds[i].name) == 0)
            return kinds[i].run(argc - 1, argv + 1);
    bool help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    FILE *out = help ? stdout : stderr;
    if (argc >= 2 && !help)
        fprintf(out, "sendhub export: unknown kind '%s'\n", argv[1]);
    fprintf(out, "usage: sendhub export KIND [options]   (sendhub export KIND --help)\n\n"
                 "kinds:\n");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        fprintf(out, "  %-8s %s\n", kinds[i].name, kinds[i].summary);
    return help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
