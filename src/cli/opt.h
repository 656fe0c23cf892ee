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

/* A table of options and the struct its offsets point into. A command may
 * combine several groups, so tables shared between commands (the server's
 * listener options, used by `serve` and `demo`) are written once. */
typedef struct {
    const opt_spec *specs;
    size_t n;
    void *cfg;
} opt_group;

#define OPT_GROUP(table, cfgptr) {(table), sizeof(table) / sizeof((table)[0]), (cfgptr)}

#define OPT_HELP 1 /* opt_parse asked for --help; the caller prints usage, exits 0 */

/* Applies every group's defaults, then the environment, then
 * argv[1..argc-1]. Positional arguments are not allowed unless npos is
 * non-NULL, in which case they are moved to the front of argv (after argv[0])
 * and counted. Returns SH_OK, OPT_HELP, or SH_EINVAL after writing one line to
 * err that names the option and what was wrong ("--port: must be between 0
 * and 65535 (got 70000)"). */
int opt_parse(const opt_group *groups, size_t ngroups, int argc, char **argv, int *npos,
              FILE *err);

/* Writes usage text: "usage: sendhub CMD [options]", the summary, then one
 * line per option with its type, default and help. */
void opt_usage(FILE *out, const char *cmd, const char *summary, const opt_group *groups,
               size_t ngroups);

#endif
