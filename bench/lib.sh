# bench/lib.sh — shared by the benchmark drivers (sourced, POSIX sh).
#
# Builds the release configuration of sendhub into build-bench/ (the
# Makefile's own flags: -O2 -g, hardening, -Werror) and links
# bench/engine_bench.c against build-bench/libsendhub.a with the same
# language flags and -O2. Everything generated goes to bench/out/.

BUILD=${BENCH_BUILD:-build-bench}
OUT=bench/out
# The Makefile's own package list, so engine_bench links whatever the
# library needs (libpq arrived with the PostgreSQL backend).
PKGS=$(sed -n 's/^PKGS *:= *//p' Makefile)
[ -n "$PKGS" ] || PKGS="libmicrohttpd jansson sqlite3 libsodium libpq xlsxwriter"
mkdir -p "$OUT"

log() { printf '%s\n' "$*" >&2; }

# ns since the epoch, for wall-clock timing
now_ns() { date +%s%N; }

# median of the numbers on stdin (one per line), printed with format $1
# (default %.3f)
median() {
    sort -g | awk -v f="${1:-%.3f}" '{v[NR]=$1} END {if (NR==0) exit 1;
        m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf f "\n", m}'
}

bench_build() {
    log "build: make BUILD=$BUILD (log: $OUT/build.log)"
    # Bounded: a source file caught mid-edit can keep the compiler busy for
    # minutes (seen with 40,000 lines of errors).
    if ! timeout "${BENCH_BUILD_TIMEOUT:-300}" make BUILD="$BUILD" -j2 "$BUILD/sendhub" \
            "$BUILD/libsendhub.a" >"$OUT/build.log" 2>&1; then
        grep -m 20 -e ': error' -e 'Error [0-9]' "$OUT/build.log" >&2 || tail -n 20 "$OUT/build.log" >&2
        log "build: make failed or timed out (see $OUT/build.log)"
        exit 2
    fi
    mkdir -p "$BUILD/bench"
    # shellcheck disable=SC2086,SC2046  # pkg-config output is meant to be split
    if ! ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Isrc \
            $(pkg-config --cflags $PKGS) bench/engine_bench.c "$BUILD/libsendhub.a" \
            $(pkg-config --libs $PKGS) -lpthread -lm -o "$BUILD/bench/engine_bench" \
            >>"$OUT/build.log" 2>&1; then
        tail -n 30 "$OUT/build.log" >&2
        log "build: engine_bench failed to compile"
        exit 2
    fi
    # shellcheck disable=SC2034  # used by the scripts that source this file
    ENGINE_BENCH="$BUILD/bench/engine_bench"
    # shellcheck disable=SC2034
    SENDHUB="$BUILD/sendhub"
}

# Two measurements at once on 2 cores would both be wrong. others() prints
# the pid of a measuring process that is not ours: a wrk, an engine_bench,
# or a perf record started by someone else (another benchmark script, a
# colleague's A/B run). Only processes that always end are waited for, never
# the other scripts themselves, so two benchmarks cannot wait on each other.
is_ours() { # pid: true when it descends from this script
    _p=$1
    while [ -n "$_p" ] && [ "$_p" -gt 1 ]; do
        [ "$_p" = "$$" ] && return 0
        _p=$(awk '{print $4}' "/proc/$_p/stat" 2>/dev/null) || return 1
    done
    return 1
}
others() {
    for _o in $( { pgrep -x wrk; pgrep '^engine_bench'; pgrep -x perf; } 2>/dev/null); do
        is_ours "$_o" || { echo "$_o"; return 0; }
    done
}
# Waits (at most BENCH_WAIT_MAX seconds, default 1800) until no other
# measurement runs; then carries on regardless, saying so.
wait_quiet() {
    _waited=0
    while [ -n "$(others)" ]; do
        [ "$_waited" -gt 0 ] || log "bench: another measurement is running (pid $(others): $(ps -o args= -p "$(others)" 2>/dev/null | cut -c1-60)); waiting"
        if [ "$_waited" -ge "${BENCH_WAIT_MAX:-1800}" ]; then
            log "bench: still busy after ${_waited}s; measuring anyway (expect noise)"
            return 0
        fi
        sleep 5
        _waited=$((_waited + 5))
    done
    [ "$_waited" -eq 0 ] || log "bench: quiet again after ${_waited}s"
}
