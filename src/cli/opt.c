#include "cli/opt.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

static const opt_spec *find_spec(const opt_spec *specs, size_t n, const char *name,
                                 size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(specs[i].name) == len && memcmp(specs[i].name, name, len) == 0)
            return &specs[i];
    return NULL;
}

/* Stores one textual value into the field the spec names. */
static int set_value(const opt_spec *sp, void *cfg, const char *val, const char *from,
                     FILE *err)
{
    char *field = (char *)cfg + sp->offset;
    switch (sp->type) {
    case OPT_STR:
        if (*val == '\0') {
            fprintf(err, "%s%s: must not be empty\n", from, sp->name);
            return SH_EINVAL;
        }
        *(const char **)(void *)field = val;
        return SH_OK;
    case OPT_INT: {
        char *end;
        errno = 0;
        long v = strtol(val, &end, 10);
        if (errno || end == val || *end != '\0') {
            fprintf(err, "%s%s: '%s' is not a whole number\n", from, sp->name, val);
            return SH_EINVAL;
        }
        if (v < sp->min || v > sp->max) {
            fprintf(err, "%s%s: must be between %ld and %ld (got %ld)\n", from,
                    sp->name, sp->min, sp->max, v);
            return SH_EINVAL;
        }
        *(long *)(void *)field = v;
        return SH_OK;
    }
    case OPT_BOOL:
        if (strcmp(val, "1") == 0 || strcmp(val, "true") == 0 || strcmp(val, "yes") == 0) {
            *(bool *)(void *)field = true;
        } else if (strcmp(val, "0") == 0 || strcmp(val, "false") == 0 ||
                   strcmp(val, "no") == 0) {
            *(bool *)(void *)field = false;
        } else {
            fprintf(err, "%s%s: '%s' is not true or false\n", from, sp->name, val);
            return SH_EINVAL;
        }
        return SH_OK;
    case OPT_DATE: {
        date_t d;
        if (date_parse(val, strlen(val), &d) != SH_OK) {
            fprintf(err, "%s%s: '%s' is not a real date in the form YYYY-MM-DD\n", from,
                    sp->name, val);
            return SH_EINVAL;
        }
        *(date_t *)(void *)field = d;
        return SH_OK;
    }
    }
    return SH_EINVAL;
}

static int apply_defaults(const opt_spec *specs, size_t n, void *cfg, FILE *err)
{
    for (size_t i = 0; i < n; i++) {
        const opt_spec *sp = &specs[i];
        char *field = (char *)cfg + sp->offset;
        if (sp->defval) {
            int rc = set_value(sp, cfg, sp->defval, "default --", err);
            if (rc)
                return rc;
        } else if (sp->type == OPT_STR) {
            *(const char **)(void *)field = NULL;
        } else if (sp->type == OPT_INT) {
            *(long *)(void *)field = 0;
        } else if (sp->type == OPT_BOOL) {
            *(bool *)(void *)field = false;
        } else {
            *(date_t *)(void *)field = DATE_NONE;
        }
    }
    return SH_OK;
}

static int apply_environment(const opt_spec *specs, size_t n, void *cfg, FILE *err)
{
    for (size_t i = 0; i < n; i++) {
        char var[64] = "SENDHUB_";
        size_t k = strlen(var);
        for (const char *p = specs[i].name; *p && k < sizeof var - 1; p++)
            var[k++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
        var[k] = '\0';
        const char *val = getenv(var);
        if (val) {
            int rc = set_value(&specs[i], cfg, val, "environment --", err);
            if (rc)
                return rc;
        }
    }
    return SH_OK;
}

int opt_parse(const opt_spec *specs, size_t nspecs, int argc, char **argv, void *cfg,
              int *npos, FILE *err)
{
    int rc = apply_defaults(specs, nspecs, cfg, err);
    if (rc == SH_OK)
        rc = apply_environment(specs, nspecs, cfg, err);
    if (rc)
        return rc;
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return OPT_HELP;
        if (strncmp(arg, "--", 2) != 0) {
            if (!npos) {
                fprintf(err, "unexpected argument '%s' (options start with --)\n", arg);
                return SH_EINVAL;
            }
            argv[1 + pos++] = argv[i];
            continue;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const opt_spec *sp = find_spec(specs, nspecs, name, len);
        if (!sp) {
            fprintf(err, "unknown option --%.*s (see --help)\n", (int)len, name);
            return SH_EINVAL;
        }
        const char *val = eq ? eq + 1 : NULL;
        if (!val && sp->type == OPT_BOOL)
            val = "true";
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(err, "--%s: needs a value\n", sp->name);
                return SH_EINVAL;
            }
            val = argv[++i];
        }
        rc = set_value(sp, cfg, val, "--", err);
        if (rc)
            return rc;
    }
    if (npos)
        *npos = pos;
    return SH_OK;
}

void opt_usage(FILE *out, const char *cmd, const char *summary, const opt_spec *specs,
               size_t nspecs)
{
    static const char *type_names[] = {"TEXT", "N", "", "YYYY-MM-DD"};
    fprintf(out, "usage: sendhub %s [options]\n\n%s\n\noptions:\n", cmd, summary);
    for (size_t i = 0; i < nspecs; i++) {
        const opt_spec *sp = &specs[i];
        char left[64];
        snprintf(left, sizeof left, "--%s %s", sp->name, type_names[sp->type]);
        fprintf(out, "  %-26s %s", left, sp->help);
        if (sp->type == OPT_INT)
            fprintf(out, " (%ld-%ld", sp->min, sp->max);
        if (sp->defval)
            fprintf(out, "%sdefault %s)", sp->type == OPT_INT ? "; " : " (", sp->defval);
        else if (sp->type == OPT_INT)
            fprintf(out, ")");
        fputc('\n', out);
    }
    fprintf(out, "  %-26s %s\n", "--help", "show this help");
}
