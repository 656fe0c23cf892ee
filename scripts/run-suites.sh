#!/bin/sh
# Runs every test suite against the build in $1 (default: build) and prints,
# as its last line, "N passed, N failed[, N skipped]" summed over all suites.
# Exits non-zero when anything failed (or a suite crashed).
#
# Suites: cmocka unit tests (build/tests/test_*), then the Node test-runner
# suites (tests/cli, tests/http) driving the real binary. Set SUITES to a
# space-separated subset of "unit node fuzz" to run fewer.
set -u
BUILD=${1:-build}
SUITES=${SUITES:-unit node}
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
passed=0 failed=0 skipped=0

add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0})); }

run_unit() {
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] || continue
        name=$(basename "$t")
        CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$LOG/$name.out" 2>&1
        status=$?
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$LOG/$name.out" | tail -n 1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$LOG/$name.out" | tail -n 1)
        s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$LOG/$name.out" | tail -n 1)
        p=${p:-0} f=${f:-0} s=${s:-0}
        if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1 # crashed (sanitizer report, signal) without a cmocka verdict
        fi
        printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f"
        if [ "$f" -ne 0 ]; then
            sed 's/^/    /' "$LOG/$name.out" | grep -v '^    \[       OK \]\|^    \[ RUN      \]' | tail -n 60
        fi
        add "$p" "$f" "$s"
    done
}

run_node() {
    dirs=""
    for d in tests/cli tests/http; do
        ls "$d"/*.test.mjs >/dev/null 2>&1 && dirs="$dirs $(ls "$d"/*.test.mjs)"
    done
    [ -n "$dirs" ] || return 0
    # shellcheck disable=SC2086
    SENDHUB_BIN="$PWD/$BUILD/sendhub" node --test --test-reporter=tap $dirs >"$LOG/node.out" 2>&1
    status=$?
    p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$LOG/node.out" | tail -n 1)
    f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$LOG/node.out" | tail -n 1)
    s=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$LOG/node.out" | tail -n 1)
    p=${p:-0} f=${f:-0} s=${s:-0}
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    printf '%-28s %4d passed, %d failed\n' "node (cli, http)" "$p" "$f"
    if [ "$f" -ne 0 ]; then
        grep -B2 -A25 '^not ok\|^    not ok\|^        not ok' "$LOG/node.out" | head -n 200
    fi
    add "$p" "$f" "$s"
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
    fuzz) run_fuzz ;;
    esac
done

if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
