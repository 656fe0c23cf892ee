#!/bin/sh
# Runs every test suite against the build in $1 (default: build) and prints,
# as its last line, "N passed, N failed[, N skipped]" summed over all suites.
# Exits non-zero when anything failed (or a suite crashed).
#
# Suites: cmocka unit tests (build/tests/test_*), the Node test-runner
# suites (tests/cli, tests/http) driving the real binary, the end-to-end
# suite (tests/e2e: Chromium, axe-core, vnu) and a short fuzzing run. Set
# SUITES to a space-separated subset of "unit node e2e fuzz pg" to run fewer
# ("pg": the store and PostgreSQL suites again on PostgreSQL, see run_pg).
# A suite that crashes counts as (at least) one failure.
set -u
BUILD=${1:-build}
SUITES=${SUITES:-unit node e2e}
# Every suite's full output stays in $BUILD/test-logs after the run, so a
# failure (or a flake) can be read in full afterwards.
LOG=$BUILD/test-logs
rm -rf "$LOG"
mkdir -p "$LOG"
passed=0 failed=0 skipped=0

add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0})); }

# One cmocka run: `label`, then the command; counts its verdict lines.
run_cmocka() {
    label=$1
    shift
    CMOCKA_MESSAGE_OUTPUT=stdout "$@" >"$LOG/$label.out" 2>&1
    status=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$LOG/$label.out" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$LOG/$label.out" | tail -n 1)
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$LOG/$label.out" | tail -n 1)
    p=${p:-0} f=${f:-0} s=${s:-0}
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed (sanitizer report, signal) without a cmocka verdict
    fi
    printf '%-28s %4d passed, %d failed\n' "$label" "$p" "$f"
    if [ "$f" -ne 0 ]; then
        sed 's/^/    /' "$LOG/$label.out" | grep -v '^    \[       OK \]\|^    \[ RUN      \]' | tail -n 60
    fi
    add "$p" "$f" "$s"
}

run_unit() {
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] || continue
        run_cmocka "$(basename "$t")" "$t"
    done
}

# The store suites and every HTTP test on PostgreSQL, when
# SENDHUB_PG_SERVER names a server (scripts/test.sh starts one with
# scripts/pg.sh): every unit test that takes its databases from testdb.h on
# fresh databases, test_store again on a schema partitioned by la_code, and
# tests/http/*.test.mjs (the pg_* files only run here).
run_pg() {
    if [ -z "${SENDHUB_PG_SERVER:-}" ]; then
        echo "pg: SENDHUB_PG_SERVER is not set: PostgreSQL suites skipped"
        return 0
    fi
    for src in $(grep -l '"testdb.h"' tests/unit/test_*.c); do
        t=$(basename "$src" .c)
        SENDHUB_TEST_PG=$SENDHUB_PG_SERVER run_cmocka "pg $t" "$BUILD/tests/$t"
    done
    SENDHUB_TEST_PG=$SENDHUB_PG_SERVER TEST_BIN="$BUILD/tests/test_store" \
        run_cmocka "pg test_store partitioned" sh scripts/pg-partitioned.sh "$BUILD"
    # shellcheck disable=SC2046
    SENDHUB_TEST_PG=$SENDHUB_PG_SERVER run_node_suite "node (http, PostgreSQL)" pg.out \
        $(ls tests/http/*.test.mjs)
}

# One Node test-runner suite: runs the files with the TAP reporter and counts
# its "# pass N", "# fail N" and "# cancelled N" lines (a test cancelled
# because its file or hook crashed is a failure). A run that exits non-zero
# without a failing test (the runner or a file crashed before reporting), or
# that reports no result at all, counts as one failure.
run_node_suite() {
    label=$1 out=$2
    shift 2
    # shellcheck disable=SC2086
    SENDHUB_BIN="$PWD/$BUILD/sendhub" node --test --test-reporter=tap "$@" >"$LOG/$out" 2>&1
    status=$?
    p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$LOG/$out" | tail -n 1)
    f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$LOG/$out" | tail -n 1)
    c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$LOG/$out" | tail -n 1)
    s=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$LOG/$out" | tail -n 1)
    reported=${p:+yes}
    p=${p:-0} f=${f:-0} c=${c:-0} s=${s:-0}
    f=$((f + c))
    if [ "$f" -eq 0 ] && { [ "$status" -ne 0 ] || [ -z "$reported" ]; }; then
        f=1
        echo "    $label: the runner exited $status without a failing test (crash?):"
        tail -n 40 "$LOG/$out" | sed 's/^/    /'
    fi
    printf '%-28s %4d passed, %d failed\n' "$label" "$p" "$f"
    if [ "$f" -ne 0 ]; then
        grep -B2 -A25 '^not ok\|^    not ok\|^        not ok' "$LOG/$out" | head -n 300
    fi
    add "$p" "$f" "$s"
}

run_node() {
    files=""
    for d in tests/cli tests/http; do
        ls "$d"/*.test.mjs >/dev/null 2>&1 && files="$files $(ls "$d"/*.test.mjs)"
    done
    [ -n "$files" ] || return 0
    # shellcheck disable=SC2086
    run_node_suite "node (cli, http)" node.out $files
}

# End-to-end: headless Chromium (Debian's) via playwright-core, axe-core and
# the Nu HTML Checker on every page; screenshots in $BUILD/screenshots.
run_e2e() {
    files=$(ls tests/e2e/*.test.mjs 2>/dev/null)
    if [ -z "$files" ]; then
        echo "e2e: no tests found in tests/e2e"
        add 0 1
        return
    fi
    # shellcheck disable=SC2086
    run_node_suite "e2e (chromium)" e2e.out $files
}

run_fuzz() {
    out=$(sh scripts/fuzz.sh 2>&1)
    status=$?
    echo "$out" | tail -n 5
    if [ "$status" -eq 0 ]; then add 1 0; else add 0 1; fi
}

for s in $SUITES; do
    case $s in
    unit) run_unit ;;
    node) run_node ;;
    e2e) run_e2e ;;
    fuzz) run_fuzz ;;
    pg) run_pg ;;
    *) echo "run-suites: unknown suite '$s'"; add 0 1 ;;
    esac
done

if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
