#!/bin/bash
# bench/caseload.sh — GET /caseload (a signed-in coordinator's own caseload,
# 250 cases) from sendhub against nginx serving the very same HTML as a
# static file (issue 3).
#
# sendhub, on every request: resumes the session from the sh_session cookie
# (token hash, one token+user read), counts the coordinator's cases, reads
# the first page (50 rows, cases joined to children, in next_due order),
# queues an audit entry ("read caseload", written in batches by the
# background audit writer, so that cost is measured too) and renders the
# GOV.UK page. nginx (worker_processes 2, access_log off, the same security
# headers, read from sendhub's own answer) sends the saved page from the page
# cache. Both listen on loopback only and get the same wrk load, alternately,
# ROUNDS times each after a warm-up of each. Result: the median over rounds
# of the ratio of requests per second sendhub/nginx (target >= 0.3) and the
# median p99 latency of both.
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s BENCH_CONNECTIONS=64 bash bench/caseload.sh
#   BENCH_SENDHUB=path   use that binary instead of building $BUILD/sendhub
#   BENCH_PROFILE=1 ...   also profile sendhub (perf) after the measured rounds
#                         (default: only when the target is missed)
#
# Test fixture (documented in bench/RESULTS.md, section 3): the demo's
# coordinators have about 150-260 open cases each and, because the caseload
# page lists closed cases too, more in all. The coordinator with the most
# open cases is given exactly 250 cases, all open, with the sqlite3 shell
# before the server starts: surplus open cases and all their closed ones go
# to the runner-up coordinator (or open cases come from them when short).
#
# Exit status: 0 PASS, 1 FAIL (target missed or a bad response), 2 could not run.
set -eu
cd "$(dirname "$0")/.."
BENCH_BUILD=${BENCH_BUILD:-build-bench-caseload}
. bench/lib.sh   # OUT, log, median (its bench_build also builds engine_bench: not needed here)

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
APP_PORT=${BENCH_APP_PORT:-18090}
NGINX_PORT=${BENCH_NGINX_PORT:-18091}
PROFILE=${BENCH_PROFILE:-auto}     # 1 always, 0 never, auto when the target is missed
TODAY=2026-11-01
CASES=250
TARGET=0.3
PASSWORD=demo-password-2026        # every demo account's (src/app/demo.h), synthetic data only
HOST=127.0.0.1
ROOT=$(pwd)
CO=$OUT/caseload                   # this benchmark's own outputs
DB=$OUT/caseload.db
# The page as sendhub served it. nginx serves its own copy under $CO:
# bench/http.sh empties $OUT/static when it starts, so that one can vanish.
STATIC=$OUT/static/caseload.html
SERVED_DIR=$CO/static
NG=$ROOT/$OUT/nginx-caseload
CLOSED="('refused', 'no_plan', 'ceased')"  # closed journeys (the team view's definition)

app_pid=""
cleanup() {
    # Only the two servers this script started, by their pids. SIGTERM lets
    # sendhub drain and flush its audit queue.
    stop_pid "$app_pid" TERM 150
    app_pid=""
    nginx_stop
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

fail() { log "caseload: $*"; exit 2; }
port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
wait_up() { # url: polls until it answers (at most ~10 s)
    for _ in $(seq 100); do
        curl -sS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# Two measurements at once on 2 cores would both be wrong, and a build or the
# demo generation would spoil someone else's: wait until no other wrk or
# engine_bench runs (at most BENCH_WAIT_MAX seconds).
others() { # other benchmarks: engine_bench*, perf, bench/{http,engine,run}.sh, any wrk but
            # the one under pid $1 (if given)
    { pgrep '^engine_bench'; pgrep -x perf; pgrep -f '^[^ ]*sh bench/(http|engine|run)\.sh'
      pgrep -x wrk | grep -vxF -e "$( [ -n "${1:-}" ] && pgrep -P "$1" -x wrk || echo none)"; } \
        2>/dev/null | head -n 1
}
wait_quiet() {
    local waited=0
    while [ -n "$(others)" ]; do
        [ "$waited" -gt 0 ] || log "caseload: another benchmark is running; waiting (${1:-})"
        [ "$waited" -lt "${BENCH_WAIT_MAX:-1800}" ] || fail "another benchmark kept running for ${BENCH_WAIT_MAX:-1800} s"
        sleep 5
        waited=$((waited + 5))
    done
    [ "$waited" -eq 0 ] || log "caseload: quiet again after ${waited} s"
}
for p in "$APP_PORT" "$NGINX_PORT"; do
    port_free "$p" || fail "port $p on $HOST is in use (set BENCH_APP_PORT / BENCH_NGINX_PORT)"
done
for tool in wrk nginx sqlite3 curl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (sh scripts/setup.sh bench)"
done

# ---- build ------------------------------------------------------------------
mkdir -p "$CO" "$OUT/static" "$SERVED_DIR"
rm -f "$CO"/wrk-*.txt "$CO"/result.txt
wait_quiet build
if [ -n "${BENCH_SENDHUB:-}" ]; then   # a binary built elsewhere (diagnostics)
    SENDHUB=$BENCH_SENDHUB
    log "build: skipped, using $SENDHUB"
else
    log "build: make BUILD=$BUILD -j2 $BUILD/sendhub (log: $CO/build.log)"
    # Bounded, as in lib.sh: a source file caught mid-edit can keep cc busy.
    if ! timeout "${BENCH_BUILD_TIMEOUT:-300}" make BUILD="$BUILD" -j2 "$BUILD/sendhub" \
            >"$CO/build.log" 2>&1; then
        grep -m 20 -e ': error' -e 'Error [0-9]' "$CO/build.log" >&2 || tail -n 20 "$CO/build.log" >&2
        fail "make failed or timed out (see $CO/build.log)"
    fi
    SENDHUB=$BUILD/sendhub
fi

# ---- data -------------------------------------------------------------------
rm -f "$DB" "$DB-wal" "$DB-shm"
wait_quiet demo
log "caseload: sendhub demo --db $DB --force --no-serve --as-of $TODAY --seed 1"
timeout 900 "$SENDHUB" demo --db "$DB" --force --no-serve --as-of "$TODAY" --seed 1 \
    >"$CO/demo.txt" 2>&1 || { cat "$CO/demo.txt" >&2; fail "demo failed"; }

q() { sqlite3 -batch -bail "$DB" "$@"; }
qs() { sqlite3 -batch -bail -separator ' ' "$DB" "$@"; }   # fields split by spaces
# Coordinators with an account, by open cases (most first), then name.
RANKED="SELECT c.coordinator, c.la_code, count(*) AS open FROM cases c
          JOIN users u ON u.username = c.coordinator AND u.role = 'coordinator'
         WHERE c.stage NOT IN $CLOSED GROUP BY c.la_code, c.coordinator
         ORDER BY open DESC, c.coordinator"
read -r COORD LA OPEN0 < <(qs "$RANKED LIMIT 1;") || true
read -r OTHER _ _ < <(qs "SELECT * FROM ($RANKED) WHERE la_code = '${LA:-}' LIMIT 1 OFFSET 1;") || true
[ -n "${COORD:-}" ] && [ -n "${OTHER:-}" ] || fail "no two coordinators with accounts in $DB"
ALL0=$(q "SELECT count(*) FROM cases WHERE la_code = '$LA' AND coordinator = '$COORD';")
log "caseload: $COORD has $OPEN0 open cases ($ALL0 in all); making it exactly $CASES, all open, with $OTHER"
# Fixture: move the closed cases and any surplus open ones (highest ids) to
# the runner-up, or take the shortfall from the runner-up's open cases.
q <<SQL
BEGIN;
UPDATE cases SET coordinator = '$OTHER'
 WHERE la_code = '$LA' AND coordinator = '$COORD' AND stage IN $CLOSED;
UPDATE cases SET coordinator = '$OTHER' WHERE id IN (
    SELECT id FROM cases WHERE la_code = '$LA' AND coordinator = '$COORD'
     ORDER BY id DESC LIMIT max(0, $OPEN0 - $CASES));
UPDATE cases SET coordinator = '$COORD' WHERE id IN (
    SELECT id FROM cases WHERE la_code = '$LA' AND coordinator = '$OTHER'
       AND stage NOT IN $CLOSED ORDER BY id DESC LIMIT max(0, $CASES - $OPEN0));
COMMIT;
SQL
read -r ALL OPEN < <(qs "SELECT count(*), coalesce(sum(stage NOT IN $CLOSED), 0)
    FROM cases WHERE la_code = '$LA' AND coordinator = '$COORD';")
[ "$ALL" = "$CASES" ] && [ "$OPEN" = "$CASES" ] || fail "fixture: $COORD has $ALL cases, $OPEN open"
NODUE=$(q "SELECT count(*) FROM cases WHERE la_code = '$LA' AND coordinator = '$COORD' AND next_due IS NULL;")
AUDIT0=$(q "SELECT count(*) FROM audit WHERE username = '$COORD' AND object = 'caseload';")
log "caseload: fixture done: $COORD has $ALL cases, all open ($NODUE with nothing due)"

# ---- sendhub ----------------------------------------------------------------
"$SENDHUB" serve --db "$DB" --bind "$HOST" --port "$APP_PORT" --threads 2 --today "$TODAY" \
    >"$CO/serve.log" 2>&1 &
app_pid=$!
APP=http://$HOST:$APP_PORT
wait_up "$APP/sign-in" || { cat "$CO/serve.log" >&2; fail "sendhub did not start"; }

# Sign in as a browser would: the form (for its csrf field, empty before
# sign-in), then the POST; the session is the sh_session cookie of the 303.
curl -sS -o "$CO/sign-in.html" "$APP/sign-in"
CSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$CO/sign-in.html" | head -n 1)
code=$(curl -sS -o /dev/null -D "$CO/sign-in.headers" -w '%{http_code}' \
    --data-urlencode "csrf=$CSRF" --data-urlencode "username=$COORD" \
    --data-urlencode "password=$PASSWORD" "$APP/sign-in")
SESSION=$(tr -d '\r' <"$CO/sign-in.headers" | sed -n 's/^[Ss]et-[Cc]ookie: sh_session=\([^;]*\);.*/\1/p')
[ "$code" = 303 ] && [ -n "$SESSION" ] || { cat "$CO/sign-in.headers" >&2; fail "sign-in as $COORD answered $code without a session"; }
COOKIE="Cookie: sh_session=$SESSION"

# The page as the coordinator sees it: their own caseload, page 1 of 5.
code=$(curl -sS -H "$COOKIE" -o "$CO/caseload.html" -D "$CO/caseload.headers" \
    -w '%{http_code}' "$APP/caseload")
[ "$code" = 200 ] || { head -c 2000 "$CO/caseload.html" >&2; fail "GET /caseload answered $code"; }
grep -q "$CASES cases<span" "$CO/caseload.html" || fail "the caption does not say \"$CASES cases\" (see $CO/caseload.html)"
grep -q '<h1 class="govuk-heading-l">My caseload</h1>' "$CO/caseload.html" || fail "not \"My caseload\""
ROWS=$(grep -o 'href="/cases/[0-9]*">' "$CO/caseload.html" | wc -l)
SIZE=$(wc -c <"$CO/caseload.html")
HSIZE=$(wc -c <"$CO/caseload.headers")
cp "$CO/caseload.html" "$SERVED_DIR/caseload.html"
cp "$CO/caseload.html" "$STATIC"
log "caseload: GET /caseload as $COORD: 200, \"$CASES cases\", $ROWS rows on the page, $SIZE-byte body -> $STATIC, $SERVED_DIR/"

# ---- nginx ------------------------------------------------------------------
# The same bytes from nginx, with the headers sendhub sent with the page (lib.sh).
nginx_start "$NG" "$NGINX_PORT" "$ROOT/$SERVED_DIR" caseload.html "$CO/caseload.headers" \
    || fail "nginx did not start"
curl -sS -o "$CO/nginx.html" -D "$CO/nginx.headers" "$NGINX_URL"
cmp -s "$CO/caseload.html" "$CO/nginx.html" || fail "nginx body differs"
NHSIZE=$(wc -c <"$CO/nginx.headers")

# ---- load -------------------------------------------------------------------
# Runs wrk; prints "rps p99_ms requests bytes_read busy" and keeps the full
# output. busy is 1 when another wrk or engine_bench ran at any moment of the
# run (polled every second): such a round is discarded and run again.
# wrk counts only statuses >= 400 as errors ("Non-2xx or 3xx responses"), so
# a 303 to /sign-in would pass unnoticed; the checks after the rounds catch
# it (bytes per response, the audit count, the page fetched again).
run_wrk() { # name url duration [header]
    local f="$CO/wrk-$1-$RUN.txt" busy=0 wpid
    local -a h=()
    [ $# -lt 4 ] || h=(-H "$4")
    timeout 120 wrk -t"$WRK_THREADS" -c"$CONNS" -d"$3" --latency "${h[@]}" "$2" >"$f" 2>&1 &
    wpid=$!
    while kill -0 "$wpid" 2>/dev/null; do
        [ -z "$(others "$wpid")" ] || busy=1
        sleep 1
    done
    wait "$wpid" || { cat "$f" >&2; fail "wrk failed"; }
    awk -v busy="$busy" '
        function bytes(s,   v, u, m) { v = s; u = s; sub(/[A-Za-z]+$/, "", v); sub(/^[0-9.]+/, "", u)
            m = u == "B" ? 1 : u == "KB" ? 1024 : u == "MB" ? 1048576 : u == "GB" ? 1073741824 : -1e30
            return v * m }
        /Requests\/sec:/ { rps = $2 }
        / requests in / { n = $1; b = bytes($5) }
        $1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
                      ms = (u == "us") ? v / 1000 : (u == "ms") ? v : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : -1 }
        END { if (rps == "" || ms == "" || n == "") exit 1; printf "%s %.3f %d %.0f %d\n", rps, ms, n, b, busy }' "$f"
}
# The full page again, byte for byte, with the same session: it must not
# have been signed out or changed under the load.
same_page() {
    local code
    code=$(curl -sS -H "$COOKIE" -o "$CO/caseload-after.html" -w '%{http_code}' "$APP/caseload")
    [ "$code" = 200 ] && cmp -s "$CO/caseload.html" "$CO/caseload-after.html"
}

APP_URL="$APP/caseload"
: >"$CO/nginx.txt"
: >"$CO/sendhub.txt"
: >"$CO/sendhub-all.txt"       # every sendhub run, warm-up and profile included (audit check)
BAD=""
log "caseload: warm-up ($WARMUP each, untimed)"
RUN=warmup
run_wrk nginx "$NGINX_URL" "$WARMUP" >/dev/null
run_wrk sendhub "$APP_URL" "$WARMUP" "$COOKIE" >>"$CO/sendhub-all.txt"
done_rounds=0
attempt=0
while [ "$done_rounds" -lt "$ROUNDS" ]; do
    attempt=$((attempt + 1))
    [ "$attempt" -le $((ROUNDS * 3)) ] || fail "too many rounds disturbed by other benchmarks"
    wait_quiet "round $((done_rounds + 1))"
    RUN=$attempt
    n=$(run_wrk nginx "$NGINX_URL" "$DURATION")
    a=$(run_wrk sendhub "$APP_URL" "$DURATION" "$COOKIE")
    echo "$a" >>"$CO/sendhub-all.txt"
    same_page || BAD="$BAD page-after-run-$RUN"
    set -- $n; n_rps=$1 n_p99=$2 n_busy=$5
    set -- $a; a_rps=$1 a_p99=$2 a_busy=$5
    msg="nginx $n_rps req/s p99 ${n_p99}ms; sendhub $a_rps req/s p99 ${a_p99}ms"
    if [ "$n_busy" = 1 ] || [ "$a_busy" = 1 ]; then
        log "run $RUN discarded (another benchmark ran meanwhile): $msg"
        continue
    fi
    echo "$n" >>"$CO/nginx.txt"
    echo "$a" >>"$CO/sendhub.txt"
    done_rounds=$((done_rounds + 1))
    log "round $done_rounds/$ROUNDS (run $RUN): $msg"
done

# Every answer must have been the full page: no wrk error, and bytes read
# per response within 1% of one full response (headers + body), which a
# share of short redirects or error pages would pull down.
ERRORS=$(grep -l -e 'Non-2xx' -e 'Socket errors' "$CO"/wrk-*.txt 2>/dev/null | tr '\n' ' ' || true)
[ -z "$ERRORS" ] || { grep -H -e 'Non-2xx' -e 'Socket errors' $ERRORS >&2; BAD="$BAD wrk-errors"; }
per_resp() { awk -v want="$2" '{ got = $4 / $3; d = got / want - 1; if (d < 0) d = -d
    printf "%.0f %s\n", got, (d <= 0.01 ? "ok" : "BAD") }' "$1"; }
per_resp "$CO/sendhub.txt" $((SIZE + HSIZE)) >"$CO/sendhub-bytes.txt"
per_resp "$CO/nginx.txt" $((SIZE + NHSIZE)) >"$CO/nginx-bytes.txt"
grep -q BAD "$CO/sendhub-bytes.txt" && BAD="$BAD sendhub-bytes-per-response"
grep -q BAD "$CO/nginx-bytes.txt" && BAD="$BAD nginx-bytes-per-response"

rps_n=$(cut -d' ' -f1 "$CO/nginx.txt" | median %.0f)
rps_a=$(cut -d' ' -f1 "$CO/sendhub.txt" | median %.0f)
p99_n=$(cut -d' ' -f2 "$CO/nginx.txt" | median %.2f)
p99_a=$(cut -d' ' -f2 "$CO/sendhub.txt" | median %.2f)
# The verdict uses the median of the per-round ratios: each round's two runs
# are adjacent in time, so slow drift in background load cancels out.
paste -d' ' <(cut -d' ' -f1 "$CO/sendhub.txt") <(cut -d' ' -f1 "$CO/nginx.txt") \
    | awk '{printf "%.3f\n", $1/$2}' >"$CO/ratios.txt"
ratio=$(median %.2f <"$CO/ratios.txt")
met=$(awk -v r="$ratio" -v t="$TARGET" 'BEGIN {print (r >= t) ? 1 : 0}')

# ---- profile (after the measured rounds, sendhub alone) -----------------------
if [ "$PROFILE" = 1 ] || { [ "$PROFILE" = auto ] && [ "$met" = 0 ]; }; then
    if command -v perf >/dev/null; then
        nginx_stop
        wait_quiet profile
        log "caseload: profiling sendhub (perf record -g, 8 s under the same wrk load)"
        RUN=profile
        run_wrk sendhub "$APP_URL" "$DURATION" "$COOKIE" >>"$CO/sendhub-all.txt" &
        wrk_bg=$!
        sleep 1
        perf record -g -o "$CO/perf.data" -p "$app_pid" -- sleep 8 >"$CO/perf-record.log" 2>&1 || true
        wait "$wrk_bg" || BAD="$BAD profile-run"
        # Flat self costs by symbol and by library (the call graphs stay in perf.data).
        perf report -i "$CO/perf.data" --no-children --stdio -g none 2>/dev/null \
            | grep -v -e '^$' -e '^#' | head -n 60 >"$CO/perf-report.txt" || true
        perf report -i "$CO/perf.data" --no-children --stdio -g none --sort dso 2>/dev/null \
            | grep -v -e '^$' -e '^#' | head -n 12 >"$CO/perf-dso.txt" || true
        log "caseload: profile in $CO/perf-report.txt and $CO/perf-dso.txt"
    else
        log "caseload: perf is not installed; no profile"
    fi
fi
cleanup   # sendhub flushes its audit queue as it stops

# Every page view was audited: at least one entry per response wrk counted
# (a few more for requests still in flight when a run ended, and the curls).
AUDIT=$(( $(q "SELECT count(*) FROM audit WHERE username = '$COORD' AND object = 'caseload';") - AUDIT0 ))
SERVED=$(awk '{s += $3} END {print s + 0}' "$CO/sendhub-all.txt")
[ "$AUDIT" -ge "$SERVED" ] || BAD="$BAD audit($AUDIT<$SERVED)"

runs() { awk '{printf "%s%.0f req/s p99 %.2f ms", (NR > 1 ? "; " : ""), $1, $2}' "$1"; }
verdict=$([ "$met" = 1 ] && echo PASS || echo FAIL)
[ -z "$BAD" ] || verdict="FAIL (bad run:$BAD)"
{
    echo "caseload benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $ROUNDS rounds alternating)"
    echo "  data:    sendhub demo --seed 1 --as-of $TODAY; $COORD given $CASES open cases (had $OPEN0 open, $ALL0 in all)"
    echo "  page:    GET /caseload signed in as $COORD: \"$CASES cases\", $ROWS rows (page 1 of $(( (CASES + 49) / 50 ))), $SIZE-byte body"
    echo "  load:    wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency, loopback (sendhub with the session cookie)"
    echo "  nginx:   median $rps_n req/s, p99 ${p99_n} ms (runs: $(runs "$CO/nginx.txt"))"
    echo "  sendhub: median $rps_a req/s, p99 ${p99_a} ms (runs: $(runs "$CO/sendhub.txt"))"
    echo "  checks:  bytes/response sendhub $(cut -d' ' -f1 "$CO/sendhub-bytes.txt" | tr '\n' ' ')(want $((SIZE + HSIZE))), nginx $(cut -d' ' -f1 "$CO/nginx-bytes.txt" | tr '\n' ' ')(want $((SIZE + NHSIZE))); audit entries $AUDIT for $SERVED responses"
    echo "  ratio sendhub/nginx = $ratio (median of the per-round ratios $(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}' "$CO/ratios.txt"); ratio of medians $(awk -v a="$rps_a" -v n="$rps_n" 'BEGIN {printf "%.2f", a/n}')); target >= $TARGET: $verdict"
} | tee "$CO/result.txt"

[ "$verdict" = PASS ]
