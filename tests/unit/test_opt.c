/*
 * test_opt.c — the declarative option tables (cli/opt.h): defaults, the
 * environment, the command line, groups, bounds and the messages people see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/opt.h"
#include "util/err.h"

typedef struct {
    const char *name;
    long count;
    bool loud;
    date_t when;
} first_cfg;

typedef struct {
    long port;
} second_cfg;

static const opt_spec first_specs[] = {
    {"name", OPT_STR, "anon", 0, 0, offsetof(first_cfg, name), "a name"},
    {"count", OPT_INT, "3", 1, 10, offsetof(first_cfg, count), "how many"},
    {"loud", OPT_BOOL, NULL, 0, 0, offsetof(first_cfg, loud), "shout"},
    {"when", OPT_DATE, NULL, 0, 0, offsetof(first_cfg, when), "a date"},
};

static const opt_spec second_specs[] = {
    {"test-port", OPT_INT, "8080", 0, 65535, offsetof(second_cfg, port), "a port"},
};

/* Parses argv (NULL-terminated list after the command name) into both
 * groups, capturing what would be printed; returns the rc. */
static int parse(first_cfg *a, second_cfg *b, char *msg, size_t cap, int *npos,
                 const char *const *args)
{
    char *argv[16] = {(char *)(uintptr_t) "try"};
    int argc = 1;
    while (*args && argc < 15)
        argv[argc++] = (char *)(uintptr_t)*args++;
    opt_group groups[] = {OPT_GROUP(first_specs, a), OPT_GROUP(second_specs, b)};
    memset(msg, 0, cap);
    FILE *err = fmemopen(msg, cap, "w");
    assert_non_null(err);
    int rc = opt_parse(groups, 2, argc, argv, npos, err);
    fclose(err);
    return rc;
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_defaults(void **state)
{
    (void)state;
    first_cfg a;
    second_cfg b;
    char msg[256];
    assert_int_equal(parse(&a, &b, msg, sizeof msg, NULL, (const char *const[]){NULL}), SH_OK);
    assert_string_equal(a.name, "anon");
    assert_int_equal(a.count, 3);
    assert_false(a.loud);
    assert_int_equal(a.when, DATE_NONE);
    assert_int_equal(b.port, 8080);
    assert_string_equal(msg, "");
}

static void test_command_line_in_both_groups(void **state)
{
    (void)state;
    first_cfg a;
    second_cfg b;
    char msg[256];
    assert_int_equal(parse(&a, &b, msg, sizeof msg, NULL,
                           ARGS("--name", "Ada", "--count=7", "--loud", "--when",
                                "2026-01-05", "--test-port=0")),
                     SH_OK);
    assert_string_equal(a.name, "Ada");
    assert_int_equal(a.count, 7);
    assert_true(a.loud);
    date_t d;
    date_parse("2026-01-05", 10, &d);
    assert_int_equal(a.when, d);
    assert_int_equal(b.port, 0);
}

static void test_environment_between_default_and_flag(void **state)
{
    (void)state;
    first_cfg a;
    second_cfg b;
    char msg[256];
    setenv("SENDHUB_TEST_PORT", "9000", 1);
    assert_int_equal(parse(&a, &b, msg, sizeof msg, NULL, (const char *const[]){NULL}), SH_OK);
    assert_int_equal(b.port, 9000);
    assert_int_equal(parse(&a, &b, msg, sizeof msg, NULL, ARGS("--test-port", "9001")), SH_OK);
    assert_int_equal(b.port, 9001);
    setenv("SENDHUB_TEST_PORT", "port", 1);
    assert_int_equal(parse(&a, &b, msg, sizeof msg, NULL, (const char *const[]){NULL}),
                     SH_EINVAL);
    assert_string_equal(msg, "sendhub try: environment --test-port: 'port' is not a whole number\n");
    unsetenv("SENDHUB_TEST_PORT");
}

/* Each bad argument gets one line naming the option and what was wrong. */
static void test_errors_name_the_option(void **state)
{
    (void)state;
    static const struct {
        const char *args[3];
        const char *message;
    } cases[] = {
        {{"--count", "11"}, "sendhub try: --count: must be between 1 and 10 (got 11)\n"},
        {{"--count", "3x"}, "sendhub try: --count: '3x' is not a whole number\n"},
        {{"--when", "2026-02-30"},
         "sendhub try: --when: '2026-02-30' is not a real date in the form YYYY-MM-DD\n"},
        {{"--loud=perhaps"}, "sendhub try: --loud: 'perhaps' is not true or false\n"},
        {{"--name="}, "sendhub try: --name: must not be empty\n"},
        {{"--count"}, "sendhub try: --count: needs a value\n"},
        {{"--colour", "red"}, "sendhub try: unknown option --colour (see --help)\n"},
        {{"stray"}, "sendhub try: unexpected argument 'stray' (options start with --)\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        first_cfg a;
        second_cfg b;
        char msg[256];
        assert_int_equal(parse(&a, &b, msg, sizeof msg, NULL, cases[i].args), SH_EINVAL);
        assert_string_equal(msg, cases[i].message);
    }
}

static void test_help_and_positionals(void **state)
{
    (void)state;
    first_cfg a;
    second_cfg b;
    char msg[256];
    assert_int_equal(parse(&a, &b, msg, sizeof msg, NULL, ARGS("--count", "2", "--help")),
                     OPT_HELP);
    int npos = -1;
    assert_int_equal(parse(&a, &b, msg, sizeof msg, &npos, ARGS("one", "--loud", "two")),
                     SH_OK);
    assert_int_equal(npos, 2);
    assert_true(a.loud);
}

static void test_usage_lists_every_option(void **state)
{
    (void)state;
    first_cfg a;
    second_cfg b;
    opt_group groups[] = {OPT_GROUP(first_specs, &a), OPT_GROUP(second_specs, &b)};
    char text[2048] = "";
    FILE *out = fmemopen(text, sizeof text, "w");
    opt_usage(out, "try", "Tries things.", groups, 2);
    fclose(out);
    assert_non_null(strstr(text, "usage: sendhub try [options]"));
    assert_non_null(strstr(text, "--count N"));
    assert_non_null(strstr(text, "how many (1-10; default 3)"));
    assert_non_null(strstr(text, "--when YYYY-MM-DD"));
    assert_non_null(strstr(text, "--test-port N"));
    assert_non_null(strstr(text, "--help"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_command_line_in_both_groups),
        cmocka_unit_test(test_environment_between_default_and_flag),
        cmocka_unit_test(test_errors_name_the_option),
        cmocka_unit_test(test_help_and_positionals),
        cmocka_unit_test(test_usage_lists_every_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
