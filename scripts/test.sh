#!/bin/sh
# Installs what is needed, builds, and runs every test suite:
#   1. the release build (-O2, -Werror) is built, so warnings fail here too;
#   2. unit, CLI and HTTP suites run against an AddressSanitizer + UBSan build;
#   3. a short libFuzzer run over the event JSON input.
# Ends with one line "N passed, N failed" summing every suite; exits non-zero
# on any failure.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
make -j"$(nproc)" all
make -j"$(nproc)" BUILD=build-asan SAN=1 all unit
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    SUITES="unit node fuzz" sh scripts/run-suites.sh build-asan
