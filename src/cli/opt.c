#include "cli/opt.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

/* Where messages go and which command they speak for. */
typedef struct {
    FILE *err;
    const char *cmd;
} reporter;

/* One line "sendhub CMD: <origin>--NAME: <what>"; returns SH_EINVAL. */
static int complain(const reporter *rep, const char *origin, const char *name,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int complain(const reporter *rep, const char *origin, const char *name,
                    const char *fmt, ...)
{
    fprintf(rep->err, "sendhub %s: %s--%s: ", rep->cmd, origin, name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(rep->err, fmt, ap);
    va_end(ap);
    fputc('\n', rep->err);
    return SH_EINVAL;
}

/* Finds the option called name[0..len) in any group. */
static const opt_spec *find_spec(const opt_group *groups, size_t ng, const char *name,
                                 size_t len, void **cfg)
{
    for (size_t g = 0; g < ng; g++)
        for (size_t i = 0; i < groups[g].n; i++) {
            const opt_spec *sp = &groups[g].specs[i];
            if (strlen(sp->name) == len && memcmp(sp->name, name, len) == 0) {
                *cfg = groups[g].cfg;
                return sp;
            }
        }
    return NULL;
}

/* Stores one textual value into the field the spec names. `origin` says
 * where the value came from, for the message ("", "default ", "environment "). */
static int set_value(const reporter *rep, const opt_spec *sp, void *cfg, const char *val,
                     const char *origin)
{
    char *field = (char *)cfg + sp->offset;
    switch (sp->type) {
    case OPT_STR:
        if (*val == '\0')
            return complain(rep, origin, sp->name, "must not be empty");
        *(const char **)(void *)field = val;
        return SH_OK;
    case OPT_INT: {
        char *end;
        errno = 0;
        long v = strtol(val, &end, 10);
        if (errno || end == val || *end != '\0')
            return complain(rep, origin, sp->name, "'%s' is not a whole number", val);
        if (v < sp->min || v > sp->max)
            return complain(rep, origin, sp->name, "must be between %ld and %ld (got %ld)",
                            sp->min, sp->max, v);
        *(long *)(void *)field = v;
        return SH_OK;
    }
    case OPT_BOOL:
        if (strcmp(val, "1") == 0 || strcmp(val, "true") == 0 || strcmp(val, "yes") == 0)
            *(bool *)(void *)field = true;
        else if (strcmp(val, "0") == 0 || strcmp(val, "false") == 0 || strcmp(val, "no") == 0)
            *(bool *)(void *)field = false;
        else
            return complain(rep, origin, sp->name, "'%s' is not true or false", val);
        return SH_OK;
    case OPT_DATE: {
        date_t d;
        if (date_parse(val, strlen(val), &d) != SH_OK)
            return complain(rep, origin, sp->name,
                            "'%s' is not a real date in the form YYYY-MM-DD", val);
        *(date_t *)(void *)field = d;
        return SH_OK;
    }
    }
    return SH_EINVAL;
}

/* The "no value" of a field without a default. */
static void clear_value(const opt_spec *sp, void *cfg)
{
    char *field = (char *)cfg + sp->offset;
    switch (sp->type) {
    case OPT_STR: *(const char **)(void *)field = NULL; break;
    case OPT_INT: *(long *)(void *)field = 0; break;
    case OPT_BOOL: *(bool *)(void *)field = false; break;
    case OPT_DATE: *(date_t *)(void *)field = DATE_NONE; break;
    }
}

/* SENDHUB_<NAME>, upper case, '-' as '_'; NULL if unset. */
static const char *environment_value(const char *name)
{
    char var[64] = "SENDHUB_";
    size_t k = strlen(var);
    for (const char *p = name; *p && k < sizeof var - 1; p++)
        var[k++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    var[k] = '\0';
    return getenv(var);
}

/* Defaults, then the environment, for every option of one group. */
static int apply_group(const reporter *rep, const opt_group *g)
{
    for (size_t i = 0; i < g->n; i++) {
        const opt_spec *sp = &g->specs[i];
        int rc = SH_OK;
        if (sp->defval)
            rc = set_value(rep, sp, g->cfg, sp->defval, "default ");
        else
            clear_value(sp, g->cfg);
        const char *env = environment_value(sp->name);
        if (rc == SH_OK && env)
            rc = set_value(rep, sp, g->cfg, env, "environment ");
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* One "--name[=value]" argument at argv[*i] (which may consume the next). */
static int apply_argument(const reporter *rep, const opt_group *groups, size_t ngroups,
                          int argc, char **argv, int *i)
{
    const char *name = argv[*i] + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    void *cfg;
    const opt_spec *sp = find_spec(groups, ngroups, name, len, &cfg);
    if (!sp) {
        fprintf(rep->err, "sendhub %s: unknown option --%.*s (see --help)\n", rep->cmd,
                (int)len, name);
        return SH_EINVAL;
    }
    const char *val = eq ? eq + 1 : NULL;
    if (!val && sp->type == OPT_BOOL)
        val = "true";
    if (!val) {
        if (*i + 1 >= argc)
            return complain(rep, "", sp->name, "needs a value");
        val = argv[++*i];
    }
    return set_value(rep, sp, cfg, val, "");
}

int opt_parse(const opt_group *groups, size_t ngroups, int argc, char **argv, int *npos,
              FILE *err)
{
    const reporter rep = {err, argc > 0 ? argv[0] : "?"};
    for (size_t g = 0; g < ngroups; g++) {
        int rc = apply_group(&rep, &groups[g]);
        if (rc)
            return rc;
    }
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return OPT_HELP;
        if (strncmp(arg, "--", 2) == 0) {
            int rc = apply_argument(&rep, groups, ngroups, argc, argv, &i);
            if (rc)
                return rc;
        } else if (npos) {
            argv[1 + pos++] = argv[i];
        } else {
            fprintf(err, "sendhub %s: unexpected argument '%s' (options start with --)\n",
                    rep.cmd, arg);
            return SH_EINVAL;
        }
    }
    if (npos)
        *npos = pos;
    return SH_OK;
}

static void usage_line(FILE *out, const opt_spec *sp)
{
    static const char *const type_names[] = {"TEXT", "N", "", "YYYY-MM-DD"};
    char left[64];
    snprintf(left, sizeof left, "--%s %s", sp->name, type_names[sp->type]);
    fprintf(out, "  %-26s %s", left, sp->help);
    if (sp->type == OPT_INT)
        fprintf(out, " (%ld-%ld", sp->min, sp->max);
    if (sp->defval)
        fprintf(out, "%sdefault %s)", sp->type == OPT_INT ? "; " : " (", sp->defval);
    else if (sp->type == OPT_INT)
        fputc(')', out);
    fputc('\n', out);
}

void opt_usage(FILE *out, const char *cmd, const char *summary, const opt_group *groups,
               size_t ngroups)
{
    fprintf(out, "usage: sendhub %s [options]\n\n%s\n\noptions:\n", cmd, summary);
    for (size_t g = 0; g < ngroups; g++)
        for (size_t i = 0; i < groups[g].n; i++)
            usage_line(out, &groups[g].specs[i]);
    fprintf(out, "  %-26s %s\n", "--help", "show this help");
}
