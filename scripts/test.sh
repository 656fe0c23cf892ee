#!/bin/sh
# Installs what is needed, builds, and runs every test suite:
#   1. the release build (-O2, -Werror) is built, so warnings fail here too;
#   2. unit, CLI, HTTP and end-to-end (Chromium, axe-core, vnu) suites run
#      against an AddressSanitizer + UBSan build;
#   3. a short libFuzzer run over the event JSON input;
#   4. the store and PostgreSQL suites again on a throwaway PostgreSQL
#      cluster (scripts/pg.sh), including a partitioned schema.
# Screenshots from the end-to-end suite land in build-asan/screenshots.
# Ends with one line "N passed, N failed" summing every suite; exits non-zero
# on any failure.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
make -j"$(nproc)" all
make -j"$(nproc)" BUILD=build-asan SAN=1 all unit
# A throwaway PostgreSQL cluster on loopback for the "pg" suite; its
# variables are set here, not exported, so the other suites stay on SQLite.
eval "$(sh scripts/pg.sh start)"
trap 'SENDHUB_PG_DIR=$SENDHUB_PG_DIR sh scripts/pg.sh stop' EXIT
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    SENDHUB_PG_SERVER=$SENDHUB_TEST_PG \
    SUITES="unit node e2e fuzz pg" sh scripts/run-suites.sh build-asan
