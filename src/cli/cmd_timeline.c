/*
 * cmd_timeline.c — `sendhub timeline [--as-of YYYY-MM-DD]`.
 *
 * Reads one journey as JSON on stdin, {"as_of": "2026-03-01", "events":
 * [...]} ("as_of" optional; --as-of wins over it; with neither, today's date
 * from the system clock in local time), and prints its timeline as one
 * pretty-printed JSON object (two-space indent, keys in a fixed order,
 * trailing newline) on stdout: see journey_json.h for both formats.
 *
 * Exit status: 0 with the timeline; 2 for bad usage or invalid input, with
 * one line on stderr naming the event and the field; 1 when the system
 * fails (reading stdin, memory). The input is capped at 4 MiB and memory at
 * TIMELINE_ARENA_LIMIT, so no input can make the command grow without bound.
 */
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "app/journey_json.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#define TIMELINE_ARENA_LIMIT (64u * 1024 * 1024)
/* The printed timeline: at most JOURNEY_MAX_EVENTS events give a few
 * thousand deadlines of under 1 KiB each, far below this. */
#define TIMELINE_OUTPUT_LIMIT (64u * 1024 * 1024)

typedef struct {
    date_t as_of;
} timeline_config;

static const opt_spec timeline_opts[] = {
    {"as-of", OPT_DATE, NULL, 0, 0, offsetof(timeline_config, as_of),
     "compute statuses on this date instead of the input's \"as_of\" or today"},
};

#define SUMMARY                                                                          \
    "Reads an EHC journey as JSON on stdin, {\"as_of\": \"2026-03-01\", \"events\": "    \
    "[...]},\nand prints its stage and every statutory deadline with due date, status "  \
    "and legal\nbasis as JSON. Exit status 2 means the input was invalid."

/* Today in local time: the one clock read, kept at the edge (core never
 * reads the clock). DATE_NONE if the clock is unusable. */
static date_t today_local(void)
{
    time_t now = time(NULL);
    struct tm tm;
    date_t d = DATE_NONE;
    if (now != (time_t)-1 && localtime_r(&now, &tm))
        date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d);
    return d;
}

/* All of stdin into b (which caps it); SH_ELIMIT past the cap, SH_EIO on a
 * read error. */
static int read_all(FILE *in, buf *b)
{
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) {
        int rc = buf_append(b, chunk, got);
        if (rc)
            return rc;
    }
    return ferror(in) ? SH_EIO : SH_OK;
}

static int parse_options(int argc, char **argv, timeline_config *cfg)
{
    const opt_group groups[] = {OPT_GROUP(timeline_opts, cfg)};
    int rc = opt_parse(groups, 1, argc, argv, NULL, stderr);
    if (rc == OPT_HELP)
        opt_usage(stdout, "timeline", SUMMARY, groups, 1);
    return rc;
}

static int print_timeline(const buf *timeline)
{
    int rc = fwrite(timeline->data, 1, timeline->len, stdout) == timeline->len ? 0 : -1;
    if (rc == 0)
        rc = fflush(stdout);
    if (rc != 0) {
        fprintf(stderr, "sendhub timeline: cannot write the timeline to stdout\n");
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

static int run(const buf *input, date_t as_of)
{
    arena *a = arena_create(TIMELINE_ARENA_LIMIT);
    if (!a) {
        fprintf(stderr, "sendhub timeline: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    buf timeline;
    buf_init(&timeline, TIMELINE_OUTPUT_LIMIT);
    journey_json_error err;
    int rc = journey_json_run(input->data ? input->data : "", input->len, as_of, today_local(),
                              a, true, &timeline, &err);
    int status;
    if (rc == SH_OK) {
        status = print_timeline(&timeline);
    } else {
        fprintf(stderr, "sendhub timeline: %s\n", err.message);
        status = rc == SH_ENOMEM ? CLI_EXIT_FAILURE : CLI_EXIT_USAGE;
    }
    buf_free(&timeline);
    arena_destroy(a);
    return status;
}

int cmd_timeline(int argc, char **argv)
{
    timeline_config cfg;
    int rc = parse_options(argc, argv, &cfg);
    if (rc == OPT_HELP)
        return CLI_EXIT_OK;
    if (rc != SH_OK)
        return CLI_EXIT_USAGE;
    buf input;
    buf_init(&input, JOURNEY_JSON_MAX_BYTES);
    rc = read_all(stdin, &input);
    int status;
    if (rc == SH_ELIMIT) {
        fprintf(stderr, "sendhub timeline: the input is larger than 4 MiB (4194304 bytes); "
                        "send one journey at a time\n");
        status = CLI_EXIT_USAGE;
    } else if (rc != SH_OK) {
        fprintf(stderr, "sendhub timeline: cannot read stdin (%s)\n", sh_strerror(rc));
        status = CLI_EXIT_FAILURE;
    } else {
        status = run(&input, cfg.as_of);
    }
    buf_free(&input);
    return status;
}
