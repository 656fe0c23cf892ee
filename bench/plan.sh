#!/bin/bash
# bench/plan.sh — GET /cases/{id}/plan (the EHC plan editor with every
# section A to K and 40 provision items) from sendhub against nginx serving
# the very same HTML as a static file (issue 4).
#
# sendhub, on every request: resumes the session from the sh_session cookie,
# reads the case, its child and its events in one read transaction and runs
# the clock engine (the page says what issuing would record), reads the
# stored draft (a JSON document) and the list of issued versions, decodes the
# document with jansson, runs every plan check (links, quantities, warnings),
# queues an audit entry ("read plan", written in batches by the background
# audit writer) and renders the GOV.UK page. nginx (worker_processes 2,
# access_log off, the same security headers) sends the saved page from the
# page cache. Both listen on loopback only and get the same wrk load,
# alternately, ROUNDS times each after a warm-up of each. Result: the median
# over rounds of the ratio of requests per second sendhub/nginx (target
# >= 0.3) and the median p99 latency of both.
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s BENCH_CONNECTIONS=64 bash bench/plan.sh
#   BENCH_SENDHUB=path   use that binary instead of building $BUILD/sendhub
#   BENCH_PROFILE=1 ...   also profile sendhub (perf) after the measured rounds
#                         (default: only when the target is missed)
#
# Test fixture (bench/RESULTS.md, section 4): the demo area at 10% scale
# (the plan page reads one case, so the area's size does not matter); one of
# the first coordinator's cases in assessment gets a working draft written
# straight into plan_drafts with the sqlite3 shell: section A, 10 needs in
# B, C and D, 10 outcomes, and 40 provision items (25 in F, 8 in G, 4 in H1,
# 3 in H2), each quantified and linked to a need, a setting type in I and 3
# advice summaries in K. The page is checked for its 40 provision rows and
# for having no warnings before the load starts.
#
# Exit status: 0 PASS, 1 FAIL (target missed or a bad response), 2 could not run.
set -eu
cd "$(dirname "$0")/.."
BENCH_BUILD=${BENCH_BUILD:-build-bench-plan}
. bench/lib.sh   # OUT, log, median (its bench_build also builds engine_bench: not needed here)

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
APP_PORT=${BENCH_APP_PORT:-18094}
NGINX_PORT=${BENCH_NGINX_PORT:-18095}
PROFILE=${BENCH_PROFILE:-auto}     # 1 always, 0 never, auto when the target is missed
TODAY=2026-11-01
PROVISION=40
TARGET=0.3
PASSWORD=demo-password-2026        # every demo account's (src/app/demo.h), synthetic data only
HOST=127.0.0.1
ROOT=$(pwd)
CO=$OUT/plan                       # this benchmark's own outputs
DB=$OUT/plan.db
SERVED_DIR=$CO/static              # nginx serves its copy of the page from here
NG=$ROOT/$OUT/nginx-plan

app_pid=""
nginx_pid=""
cleanup() {
    # Only the two servers this script started, by their pids. SIGTERM lets
    # sendhub drain and flush its audit queue.
    if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
        kill -TERM "$app_pid" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$app_pid" 2>/dev/null || true
        wait "$app_pid" 2>/dev/null || true
    fi
    if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true   # graceful shutdown
        for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
        kill -TERM "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
    fi
    app_pid=""
    nginx_pid=""
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

fail() { log "plan: $*"; exit 2; }
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
        [ "$waited" -gt 0 ] || log "plan: another benchmark is running; waiting (${1:-})"
        [ "$waited" -lt "${BENCH_WAIT_MAX:-1800}" ] || fail "another benchmark kept running for ${BENCH_WAIT_MAX:-1800} s"
        sleep 5
        waited=$((waited + 5))
    done
    [ "$waited" -eq 0 ] || log "plan: quiet again after ${waited} s"
}
for p in "$APP_PORT" "$NGINX_PORT"; do
    port_free "$p" || fail "port $p on $HOST is in use (set BENCH_APP_PORT / BENCH_NGINX_PORT)"
done
for tool in wrk nginx sqlite3 curl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (sh scripts/setup.sh bench)"
done

# ---- build ------------------------------------------------------------------
mkdir -p "$CO" "$SERVED_DIR"
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
log "plan: sendhub demo --db $DB --force --no-serve --as-of $TODAY --seed 1 --scale 10"
timeout 900 "$SENDHUB" demo --db "$DB" --force --no-serve --as-of "$TODAY" --seed 1 --scale 10 \
    >"$CO/demo.txt" 2>&1 || { cat "$CO/demo.txt" >&2; fail "demo failed"; }

q() { sqlite3 -batch -bail "$DB" "$@"; }
qs() { sqlite3 -batch -bail -separator ' ' "$DB" "$@"; }   # fields split by spaces
read -r CASE LA COORD < <(qs "SELECT c.id, c.la_code, c.coordinator FROM cases c
    JOIN users u ON u.username = c.coordinator AND u.role = 'coordinator'
    WHERE c.stage = 'assessment' ORDER BY c.coordinator, c.id LIMIT 1;") || true
[ -n "${CASE:-}" ] || fail "no case in assessment with a coordinator account in $DB"

# The plan document (app/plan_json.h): needs B1-B6, C1-C2, D1-D2; outcomes
# E1-E10, one per need; provision F1-F25 (B and C needs), G1-G8 (C needs),
# H1.1-H1.4 and H2.1-H2.3 (D needs), every item quantified.
doc() {
    local periods=(day week month term year) i
    printf '{"format":"sendhub-plan/1","sections":{'
    printf '"A":[{"id":1,"text":"Likes building models and wants to be an engineer. Learns best when shown first; finds noisy rooms hard."}],'
    printf '"B":['
    for i in 1 2 3 4 5 6; do printf '%s{"id":%d,"text":"Need %d in communication and interaction: finds multi-step spoken instructions hard to follow and needs visual support to start tasks."}' "$([ $i = 1 ] || echo ,)" $i $i; done
    printf '],"C":[{"id":1,"text":"Epilepsy, controlled by medication."},{"id":2,"text":"Mild hearing loss in the left ear."}],'
    printf '"D":[{"id":1,"text":"Needs support to take part in activities outside school."},{"id":2,"text":"The family needs regular short breaks from caring."}],'
    printf '"E":['
    local needs=(B1 B2 B3 B4 B5 B6 C1 C2 D1 D2)
    for i in $(seq 1 10); do printf '%s{"id":%d,"text":"By the end of the key stage, will manage the task described for need %s with no more than one adult prompt.","needs":["%s"]}' "$([ $i = 1 ] || echo ,)" $i "${needs[$((i - 1))]}" "${needs[$((i - 1))]}"; done
    printf '],'
    prov() { # section count need-list
        local sec=$1 n=$2 i; shift 2; local -a ns=("$@")
        printf '"%s":[' "$sec"
        for i in $(seq 1 "$n"); do
            printf '%s{"id":%d,"what":"Structured programme %s%d delivered in a small group, following the therapist'"'"'s written plan.","who":"Specialist practitioner %d","times":%d,"per":"%s","minutes":%d,"weeks":null,"until_review":true,"needs":["%s"]}' \
                "$([ $i = 1 ] || echo ,)" $i "$sec" $i $i $(( i % 5 + 1 )) "${periods[$((i % 5))]}" $(( 15 + 5 * (i % 10) )) "${ns[$((i % ${#ns[@]}))]}"
        done
        printf ']'
    }
    prov F 25 B1 B2 B3 B4 B5 B6 C1; printf ','
    prov G 8 C1 C2; printf ','
    prov H1 4 D1 D2; printf ','
    prov H2 3 D1 D2; printf ','
    printf '"I":{"urn":null,"type":"special"},"J":[],'
    printf '"K":[{"id":1,"agency":"psychology","date":"2026-09-01","summary":"Educational psychologist: working memory well below average."},'
    printf '{"id":2,"agency":"health","date":"2026-09-08","summary":"Paediatrician: epilepsy well controlled."},'
    printf '{"id":3,"agency":"social_care","date":"2026-09-15","summary":"Social worker: short breaks recommended."}]}}'
}
doc >"$CO/plan.json"
q "INSERT INTO plan_drafts (la_code, case_id, document, updated_at, updated_by)
   VALUES ('$LA', $CASE, readfile('$CO/plan.json'), 0, '$COORD');"
log "plan: fixture done: case $CASE ($COORD) has a draft of $(wc -c <"$CO/plan.json") bytes"

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

# The plan page as the coordinator sees it.
code=$(curl -sS -H "$COOKIE" -o "$CO/plan.html" -D "$CO/plan.headers" \
    -w '%{http_code}' "$APP/cases/$CASE/plan")
[ "$code" = 200 ] || { head -c 2000 "$CO/plan.html" >&2; fail "GET /cases/$CASE/plan answered $code"; }
ROWS=$(grep -c -e 'id="item-F[0-9]*"' -e 'id="item-G[0-9]*"' -e 'id="item-H[12]\.[0-9]*"' "$CO/plan.html" || true)
[ "$ROWS" = "$PROVISION" ] || fail "the page shows $ROWS provision items, not $PROVISION (see $CO/plan.html)"
grep -q 'No warnings' "$CO/plan.html" || fail "the plan has warnings (see $CO/plan.html)"
SIZE=$(wc -c <"$CO/plan.html")
HSIZE=$(wc -c <"$CO/plan.headers")
cp "$CO/plan.html" "$SERVED_DIR/plan.html"
AUDIT0=$(q "SELECT count(*) FROM audit WHERE username = '$COORD' AND object = 'plan';")
log "plan: GET /cases/$CASE/plan as $COORD: 200, $ROWS provision items, no warnings, $SIZE-byte body"

# ---- nginx ------------------------------------------------------------------
# The security headers sendhub sent with the page, to send the same from nginx.
hdr() { tr -d '\r' <"$CO/plan.headers" | sed -n "s/^$1: //Ip" | head -n 1; }
CTYPE=$(hdr Content-Type)
HEADERS=""
for h in Cache-Control X-Content-Type-Options X-Frame-Options Referrer-Policy Content-Security-Policy; do
    v=$(hdr "$h")
    [ -n "$v" ] || fail "sendhub sent no $h header"
    HEADERS="$HEADERS        add_header $h \"$v\" always;
"
done
rm -rf "$NG"
mkdir -p "$NG/tmp"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$NG/nginx.conf" <<CONF
# generated by bench/plan.sh — loopback only
$user_line
daemon off;
worker_processes 2;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 30s;
    client_body_temp_path $NG/tmp/body;
    proxy_temp_path $NG/tmp/proxy;
    fastcgi_temp_path $NG/tmp/fastcgi;
    uwsgi_temp_path $NG/tmp/uwsgi;
    scgi_temp_path $NG/tmp/scgi;
    types { }
    default_type "$CTYPE";
    server {
        listen $HOST:$NGINX_PORT;
        root $ROOT/$SERVED_DIR;
        # the headers sendhub sent with the page, so both answers weigh the same
$HEADERS        location = /plan.html { }
    }
}
CONF
nginx -t -q -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" 2>>"$NG/error.log" \
    || { cat "$NG/error.log" >&2; fail "nginx -t failed"; }
nginx -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" &
nginx_pid=$!
NGINX_URL="http://$HOST:$NGINX_PORT/plan.html"
wait_up "$NGINX_URL" || { cat "$NG/error.log" >&2; fail "nginx did not start"; }
curl -sS -o "$CO/nginx.html" -D "$CO/nginx.headers" "$NGINX_URL"
cmp -s "$CO/plan.html" "$CO/nginx.html" || fail "nginx body differs"
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
    code=$(curl -sS -H "$COOKIE" -o "$CO/plan-after.html" -w '%{http_code}' "$APP/cases/$CASE/plan")
    [ "$code" = 200 ] && cmp -s "$CO/plan.html" "$CO/plan-after.html"
}

APP_URL="$APP/cases/$CASE/plan"
: >"$CO/nginx.txt"
: >"$CO/sendhub.txt"
: >"$CO/sendhub-all.txt"       # every sendhub run, warm-up and profile included (audit check)
BAD=""
log "plan: warm-up ($WARMUP each, untimed)"
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
        kill -QUIT "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
        wait_quiet profile
        log "plan: profiling sendhub (perf record -g, 8 s under the same wrk load)"
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
        log "plan: profile in $CO/perf-report.txt and $CO/perf-dso.txt"
    else
        log "plan: perf is not installed; no profile"
    fi
fi
cleanup   # sendhub flushes its audit queue as it stops

# Every page view was audited: at least one entry per response wrk counted
# (a few more for requests still in flight when a run ended, and the curls).
AUDIT=$(( $(q "SELECT count(*) FROM audit WHERE username = '$COORD' AND object = 'plan';") - AUDIT0 ))
SERVED=$(awk '{s += $3} END {print s + 0}' "$CO/sendhub-all.txt")
[ "$AUDIT" -ge "$SERVED" ] || BAD="$BAD audit($AUDIT<$SERVED)"

runs() { awk '{printf "%s%.0f req/s p99 %.2f ms", (NR > 1 ? "; " : ""), $1, $2}' "$1"; }
verdict=$([ "$met" = 1 ] && echo PASS || echo FAIL)
[ -z "$BAD" ] || verdict="FAIL (bad run:$BAD)"
{
    echo "plan benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $ROUNDS rounds alternating)"
    echo "  data:    sendhub demo --seed 1 --scale 10 --as-of $TODAY; case $CASE given a draft with $PROVISION provision items ($(wc -c <"$CO/plan.json")-byte document)"
    echo "  page:    GET /cases/$CASE/plan signed in as $COORD: sections A-K, $ROWS provision items, no warnings, $SIZE-byte body"
    echo "  load:    wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency, loopback (sendhub with the session cookie)"
    echo "  nginx:   median $rps_n req/s, p99 ${p99_n} ms (runs: $(runs "$CO/nginx.txt"))"
    echo "  sendhub: median $rps_a req/s, p99 ${p99_a} ms (runs: $(runs "$CO/sendhub.txt"))"
    echo "  checks:  bytes/response sendhub $(cut -d' ' -f1 "$CO/sendhub-bytes.txt" | tr '\n' ' ')(want $((SIZE + HSIZE))), nginx $(cut -d' ' -f1 "$CO/nginx-bytes.txt" | tr '\n' ' ')(want $((SIZE + NHSIZE))); audit entries $AUDIT for $SERVED responses"
    echo "  ratio sendhub/nginx = $ratio (median of the per-round ratios $(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}' "$CO/ratios.txt"); ratio of medians $(awk -v a="$rps_a" -v n="$rps_n" 'BEGIN {printf "%.2f", a/n}')); target >= $TARGET: $verdict"
} | tee "$CO/result.txt"

[ "$verdict" = PASS ]
