/*
 * opt.h — command-line configuration as one declarative table.
 *
 * Each subcommand describes its options as rows (name, type, default, bounds,
 * target field, help). The same rows drive parsing, validation with clear
 * messages, defaults, --help and the generated reference in docs/. Options are
 * written --name VALUE or --name=VALUE; booleans are bare flags (--no-serve).
 * An environment variable SENDHUB_<NAME> (upper case, '-' -> '_') overrides
 * the default but not the command line, for deployments.
 */
#ifndef SH_OPT_H
#define SH_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/date.h"

typedef enum {
    OPT_STR,  /* const char * (points into argv, the environment or defval) */
    OPT_INT,  /* long, within [min, max] */
    OPT_BOOL, /* bool, a bare flag */
    OPT_DATE, /* date_t, YYYY-MM-DD; default DATE_NONE when defval is NULL */
} opt_type;

typedef struct {
    const char *name;   /* without the leading "--" */
    opt_type type;
    const char *defval; /* textual default, NULL for none */
    long min, max;      /* bounds for OPT_INT */
    size_t offset;      /* offsetof(config struct, field) */
    const char *help;
} opt_spec;

#define OPT_HELP 1 /* opt_parse printed --help; the caller exits 0 */

/* Applies defaults, then the environment, then argv[1..argc-1] to the struct
 * at cfg. Positional arguments are not allowed unless npos is non-NULL, in
 * which case they are moved to the front of argv (after argv[0]) and counted.
 * Returns SH_OK, OPT_HELP, or SH_EINVAL after writing one line to err that
 * names the option and what was wrong ("--port: must be between 1 and 65535"). */
int opt_parse(const opt_spec *specs, size_t nspecs, int argc, char **argv,
              void *cfg, int *npos, FILE *err);

/* Writes usage text: "usage: sendhub CMD [options]", the summary, then one
 * line per option with its type, default and help. */
void opt_usage(FILE *out, const char *cmd, const char *summary,
               const opt_spec *specs, size_t nspecs);

#endif
