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
[ -n "$PKGS" ] || PKGS="libmicrohttpd jansson sqlite3 libsodium"
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

# stop_pid PID [SIGNAL [TENTHS]]: stops a server this script started, by its
# pid: SIGNAL (default TERM; sendhub then drains and flushes its audit queue),
# up to TENTHS tenths of a second (default 50) to exit, then SIGKILL. Does
# nothing for an empty or finished pid.
stop_pid() {
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
    kill "-${2:-TERM}" "$1" 2>/dev/null || true
    for _ in $(seq "${3:-50}"); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# ---- nginx, the reference server --------------------------------------------
# Both HTTP benchmarks compare sendhub with nginx serving the same bytes.
# nginx_start DIR PORT ROOT FILE HEADERS serves ROOT/FILE at
# http://127.0.0.1:PORT/FILE with the Content-Type and the five security
# headers that sendhub sent (HEADERS: a response's headers as `curl -D` saved
# them), so both answers weigh the same: worker_processes 2, access_log off,
# sendfile, keep-alive for the whole run, loopback only. Its config, logs and
# temporary files go to DIR (made afresh, an absolute path). Sets NGINX_PID
# and NGINX_URL; returns non-zero, having said why, when the config is
# refused or nginx does not answer within ~10 s. nginx_stop stops it (by pid:
# SIGQUIT, a graceful stop, then SIGKILL after 5 s).
NGINX_PID=""
NGINX_URL=""
nginx_header() { # name headers-file: the first value of that header
    tr -d '\r' <"$2" | sed -n "s/^$1: //Ip" | head -n 1
}
nginx_start() {
    _ng=$1 _port=$2 _root=$3 _file=$4 _hdrs=$5
    _ctype=$(nginx_header Content-Type "$_hdrs")
    _add=""
    for _h in Cache-Control X-Content-Type-Options X-Frame-Options Referrer-Policy \
              Content-Security-Policy; do
        _v=$(nginx_header "$_h" "$_hdrs")
        [ -n "$_v" ] || { log "nginx: sendhub sent no $_h header ($_hdrs)"; return 1; }
        _add="$_add        add_header $_h \"$_v\" always;
"
    done
    [ -n "$_ctype" ] || { log "nginx: sendhub sent no Content-Type ($_hdrs)"; return 1; }
    rm -rf "$_ng"
    mkdir -p "$_ng/tmp"
    _user=""
    [ "$(id -u)" -eq 0 ] && _user="user root;"
    cat >"$_ng/nginx.conf" <<CONF
# generated by bench/lib.sh (nginx_start) — loopback only
$_user
daemon off;
worker_processes 2;
pid $_ng/nginx.pid;
error_log $_ng/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 30s;
    client_body_temp_path $_ng/tmp/body;
    proxy_temp_path $_ng/tmp/proxy;
    fastcgi_temp_path $_ng/tmp/fastcgi;
    uwsgi_temp_path $_ng/tmp/uwsgi;
    scgi_temp_path $_ng/tmp/scgi;
    types { }
    default_type "$_ctype";
    server {
        listen 127.0.0.1:$_port;
        root $_root;
        # the headers sendhub sent, so both answers weigh the same
$_add        location = /$_file { }
    }
}
CONF
    nginx -t -q -p "$_ng" -c "$_ng/nginx.conf" -e "$_ng/error.log" 2>>"$_ng/error.log" \
        || { cat "$_ng/error.log" >&2; log "nginx: nginx -t refused the config"; return 1; }
    nginx -p "$_ng" -c "$_ng/nginx.conf" -e "$_ng/error.log" &
    NGINX_PID=$!
    NGINX_URL="http://127.0.0.1:$_port/$_file"
    for _ in $(seq 100); do
        curl -fsS -o /dev/null --max-time 1 "$NGINX_URL" 2>/dev/null && return 0
        sleep 0.1
    done
    cat "$_ng/error.log" >&2
    log "nginx: did not start"
    return 1
}
nginx_stop() {
    stop_pid "$NGINX_PID" QUIT
    NGINX_PID=""
}
