#!/bin/bash
# bench/dashboard_http.sh — issue 6 (b): GET /dashboard for the largest
# area of the synthetic England (bench/out/national.db, made by
# bench/dashboard.sh) under wrk with 64 connections: requests per second and
# p99 latency, BENCH_ROUNDS times. Signed in as that area's manager through
# the sign-in form (the cookie then rides on every request, as a browser's
# would), served by `sendhub serve` with 2 worker threads.
#
#   bash bench/dashboard_http.sh     BENCH_ROUNDS=3 BENCH_DURATION=20s BENCH_CONNECTIONS=64
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-20s}
CONNS=${BENCH_CONNECTIONS:-64}
PORT=${BENCH_APP_PORT:-18090}
PATH_Q=${BENCH_PATH:-/dashboard}
DB=$OUT/national.db
[ -f "$DB" ] || { log "dashboard_http: $DB missing: run sh bench/dashboard.sh first"; exit 2; }
bench_build

app_pid=""
cleanup() {
    if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
        kill -TERM "$app_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$app_pid" 2>/dev/null || true
        wait "$app_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

"$SENDHUB" serve --db "$DB" --port "$PORT" --today 2026-11-22 --threads 2 \
    --max-connections 1000 >"$OUT/dashboard-serve.log" 2>&1 &
app_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/sign-in" && break; sleep 0.1; done

jar=$OUT/dashboard.cookies
rm -f "$jar"
csrf=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/sign-in" |
    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "username=m.manager" \
    --data-urlencode "password=demo-password-2026" --data-urlencode "csrf=$csrf" \
    "http://127.0.0.1:$PORT/sign-in"
cookie=$(awk '$6 == "sh_session" {print $6 "=" $7}' "$jar")
[ -n "$cookie" ] || { log "dashboard_http: could not sign in"; exit 2; }
code=$(curl -s -o "$OUT/dashboard.html" -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$PORT$PATH_Q")
[ "$code" = 200 ] || { log "dashboard_http: GET $PATH_Q answered $code"; exit 2; }
log "dashboard_http: GET $PATH_Q is $(wc -c <"$OUT/dashboard.html") bytes"

: >"$OUT/http-rps.txt"; : >"$OUT/http-p99.txt"
i=1
while [ "$i" -le "$ROUNDS" ]; do
    wait_quiet
    wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 60s --latency -H "Cookie: $cookie" \
        "http://127.0.0.1:$PORT$PATH_Q" >"$OUT/wrk-dashboard-$i.txt"
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-dashboard-$i.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk-dashboard-$i.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk-dashboard-$i.txt")
    echo "$rps" >>"$OUT/http-rps.txt"; echo "$p99" >>"$OUT/http-p99.txt"
    log "round $i/$ROUNDS: $rps req/s, p99 $p99${non2xx:+, non-2xx $non2xx}"
    i=$((i + 1))
done
{
    echo "dashboard HTTP ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)): GET $PATH_Q, wrk $CONNS connections, $DURATION x $ROUNDS"
    echo "  req/s per round: $(tr '\n' ' ' <"$OUT/http-rps.txt")(median $(median %.1f <"$OUT/http-rps.txt"))"
    echo "  p99 per round:   $(tr '\n' ' ' <"$OUT/http-p99.txt")"
} | tee "$OUT/dashboard-http-result.txt"
