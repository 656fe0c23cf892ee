#!/bin/bash
# bench/http.sh — GET /api/v1/cases/{id} from sendhub against nginx serving
# the very same response body as a static file.
#
# sendhub loads the case, its child and its events from SQLite, runs the
# clock engine and renders JSON on every request; nginx (worker_processes 2,
# access_log off, the same security headers) sends a file from the page
# cache. Both listen on loopback only and get the same wrk load, alternately,
# ROUNDS times each after one warm-up each. Result: the median over rounds of
# the ratio of requests per second sendhub/nginx (target >= 0.5) and the
# median p99 latency of both.
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s BENCH_CONNECTIONS=64 BENCH_HEALTH=1 bash bench/http.sh
#
# BENCH_PG=1 also copies the same demo into a throwaway PostgreSQL cluster
# (scripts/pg.sh, `sendhub migrate --from sqlite:... --to postgresql://...`)
# and loads a second sendhub serving it in the same alternation, so the two
# backends are compared in one run (reported beside the verdict, which stays
# sendhub-on-SQLite against nginx).
#
# Exit status: 0 PASS, 1 FAIL (target missed), 2 could not run.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
APP_PORT=${BENCH_APP_PORT:-18080}
NGINX_PORT=${BENCH_NGINX_PORT:-18081}
TODAY=2026-11-01
TARGET=0.5
# Also load GET /api/v1/health (one tiny query, tiny JSON) as a diagnostic:
# the ceiling of the HTTP plumbing itself. Not part of the verdict.
HEALTH=${BENCH_HEALTH:-1}
HOST=127.0.0.1
ROOT=$(pwd)
PG=${BENCH_PG:-0}
PG_PORT=${BENCH_PG_PORT:-18082}

app_pid=""
pg_app_pid=""
SENDHUB_PG_DIR=""
cleanup() {
    # Only the servers this script started, by their pids (lib.sh).
    stop_pid "$pg_app_pid"
    pg_app_pid=""
    if [ -n "$SENDHUB_PG_DIR" ]; then
        SENDHUB_PG_DIR=$SENDHUB_PG_DIR sh scripts/pg.sh stop >/dev/null 2>&1 || true
        SENDHUB_PG_DIR=""
    fi
    stop_pid "$app_pid"
    app_pid=""
    nginx_stop
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Polls url until it answers (at most ~10 s).
wait_up() {
    for _ in $(seq 100); do
        curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

for p in "$APP_PORT" "$NGINX_PORT"; do
    port_free "$p" || { log "http: port $p on $HOST is in use (set BENCH_APP_PORT / BENCH_NGINX_PORT)"; exit 2; }
done

bench_build
rm -f "$OUT"/wrk-*.txt

# ---- data -----------------------------------------------------------------
DB=$OUT/demo.db
rm -f "$DB" "$DB-wal" "$DB-shm"
if "$SENDHUB" demo --help >/dev/null 2>&1; then
    log "http: sendhub demo --db $DB --force --no-serve --as-of $TODAY --seed 1"
    timeout 600 "$SENDHUB" demo --db "$DB" --force --no-serve --as-of "$TODAY" --seed 1 \
        >"$OUT/demo.txt" 2>&1 || { cat "$OUT/demo.txt" >&2; exit 2; }
    DATA="sendhub demo --seed 1 --as-of $TODAY"
else
    log "http: no demo command yet; generating 20000 journeys with engine_bench gen"
    timeout 600 "$ENGINE_BENCH" gen "$DB" 20000 1 >"$OUT/demo.txt"
    DATA="engine_bench gen 20000 journeys, seed 1"
fi

# A typical case: 10-15 events (12 preferred), nearest the middle of the ids.
CASE=$(sqlite3 -readonly "$DB" "SELECT case_id FROM events WHERE la_code = '990'
    GROUP BY case_id HAVING count(*) BETWEEN 10 AND 15
    ORDER BY abs(count(*) - 12), abs(case_id - (SELECT max(id) / 2 FROM cases)) LIMIT 1;")
[ -n "$CASE" ] || { log "http: no case with 10-15 events in $DB"; exit 2; }
NEVENTS=$(sqlite3 -readonly "$DB" "SELECT count(*) FROM events WHERE case_id = $CASE;")
APP_PATH="/api/v1/cases/$CASE"

# ---- sendhub ----------------------------------------------------------------
# The API needs a signed-in person: a coordinator of area 990 (who may read
# every case of the area) with an API token, sent as a bearer token on every
# request, to nginx too, so both receive the same request bytes. Each GET is
# then authenticated, authorised and audited, as in production.
AUTH=()
if "$SENDHUB" user token --help >/dev/null 2>&1; then
    printf 'bench-password-not-secret-%s\n' "$$" >"$OUT/bench.password"
    "$SENDHUB" user add --db "$DB" --la 990 --username bench.coordinator \
        --name "Benchmark Coordinator" --role coordinator \
        --password-file "$OUT/bench.password" >"$OUT/user.txt" 2>&1 \
        || { cat "$OUT/user.txt" >&2; exit 2; }
    TOKEN=$("$SENDHUB" user token --db "$DB" --username bench.coordinator --label bench \
        --days 1 2>>"$OUT/user.txt" | awk 'END {print $NF}')
    rm -f "$OUT/bench.password"
    [ -n "$TOKEN" ] || { cat "$OUT/user.txt" >&2; log "http: no API token"; exit 2; }
    AUTH=(-H "Authorization: Bearer $TOKEN")
fi
SERVE_ARGS=(serve --db "$DB" --bind "$HOST" --port "$APP_PORT" --threads 2 --today "$TODAY")
"$SENDHUB" serve --help 2>/dev/null | grep -q -- '--la ' && SERVE_ARGS+=(--la 990)
"$SENDHUB" "${SERVE_ARGS[@]}" >"$OUT/serve.log" 2>&1 &
app_pid=$!
wait_up "http://$HOST:$APP_PORT/api/v1/health" || { cat "$OUT/serve.log" >&2; log "http: sendhub did not start"; exit 2; }

code=$(curl -sS "${AUTH[@]}" -o "$OUT/case.json" -D "$OUT/case.headers" -w '%{http_code}' "http://$HOST:$APP_PORT$APP_PATH")
[ "$code" = 200 ] || { log "http: GET $APP_PATH answered $code"; cat "$OUT/case.json" >&2; exit 2; }
SIZE=$(wc -c <"$OUT/case.json")
log "http: case $CASE ($NEVENTS events), body $SIZE bytes -> $OUT/case.json"

# ---- nginx ------------------------------------------------------------------
# The same bytes from nginx, with the headers sendhub sent (lib.sh).
rm -rf "$OUT/static"
mkdir -p "$OUT/static"
cp "$OUT/case.json" "$OUT/static/case.json"
nginx_start "$ROOT/$OUT/nginx" "$NGINX_PORT" "$ROOT/$OUT/static" case.json "$OUT/case.headers" \
    || exit 2

# ---- the same data on PostgreSQL (BENCH_PG=1) ---------------------------------
if [ "$PG" = 1 ]; then
    eval "$(sh scripts/pg.sh start)"
    PGDB="${SENDHUB_TEST_PG%/*}/sendhub_bench"
    psql -X -q -d "$SENDHUB_TEST_PG" -c "CREATE DATABASE sendhub_bench" >/dev/null
    log "http: sendhub migrate --from sqlite:$DB --to $PGDB"
    timeout 600 "$SENDHUB" migrate --from "sqlite:$DB" --to "$PGDB" >"$OUT/migrate-pg.txt" 2>&1 \
        || { cat "$OUT/migrate-pg.txt" >&2; exit 2; }
    "$SENDHUB" serve --db "$PGDB" --bind "$HOST" --port "$PG_PORT" --threads 2 \
        --today "$TODAY" >"$OUT/serve-pg.log" 2>&1 &
    pg_app_pid=$!
    PG_URL="http://$HOST:$PG_PORT$APP_PATH"
    wait_up "http://$HOST:$PG_PORT/api/v1/health" \
        || { cat "$OUT/serve-pg.log" >&2; log "http: sendhub on PostgreSQL did not start"; exit 2; }
    # The same token (tokens move with the data) and the same answer.
    cmp -s "$OUT/case.json" <(curl -sS "${AUTH[@]}" "$PG_URL") \
        || { log "http: the PostgreSQL server's body differs from SQLite's"; exit 2; }
fi
cmp -s "$OUT/case.json" <(curl -sS "${AUTH[@]}" "$NGINX_URL") || { log "http: nginx body differs"; exit 2; }

# ---- load -------------------------------------------------------------------
# Runs wrk; prints "rps p99_ms" and keeps the full output.
run_wrk() { # name url duration
    local f="$OUT/wrk-$1-$RUN.txt"
    timeout 120 wrk -t"$WRK_THREADS" -c"$CONNS" -d"$3" --latency "${AUTH[@]}" "$2" >"$f" 2>&1 \
        || { cat "$f" >&2; log "http: wrk failed"; exit 2; }
    awk '
        /Requests\/sec:/ { rps = $2 }
        $1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
                      ms = (u == "us") ? v / 1000 : (u == "ms") ? v : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : -1 }
        END { if (rps == "" || ms == "") exit 1; printf "%s %.3f\n", rps, ms }' "$f"
}

APP_URL="http://$HOST:$APP_PORT$APP_PATH"
HEALTH_URL="http://$HOST:$APP_PORT/api/v1/health"
wait_quiet
log "http: warm-up (2s each, untimed)"
RUN=warmup
run_wrk nginx "$NGINX_URL" 2s >/dev/null
run_wrk sendhub "$APP_URL" 2s >/dev/null
: >"$OUT/http-nginx.txt"
: >"$OUT/http-sendhub.txt"
: >"$OUT/http-health.txt"
: >"$OUT/http-sendhub-pg.txt"
[ "$PG" = 1 ] && run_wrk sendhub-pg "$PG_URL" 2s >/dev/null
for RUN in $(seq "$ROUNDS"); do
    wait_quiet
    n=$(run_wrk nginx "$NGINX_URL" "$DURATION")
    echo "$n" >>"$OUT/http-nginx.txt"
    a=$(run_wrk sendhub "$APP_URL" "$DURATION")
    echo "$a" >>"$OUT/http-sendhub.txt"
    msg="round $RUN/$ROUNDS: nginx ${n% *} req/s p99 ${n#* }ms; sendhub ${a% *} req/s p99 ${a#* }ms"
    if [ "$PG" = 1 ]; then
        g=$(run_wrk sendhub-pg "$PG_URL" "$DURATION")
        echo "$g" >>"$OUT/http-sendhub-pg.txt"
        msg="$msg; sendhub on PostgreSQL ${g% *} req/s p99 ${g#* }ms"
    fi
    if [ "$HEALTH" = 1 ]; then
        h=$(run_wrk health "$HEALTH_URL" "$DURATION")
        echo "$h" >>"$OUT/http-health.txt"
        msg="$msg; (health ${h% *} req/s)"
    fi
    log "$msg"
done
cleanup

# Every answer must have been a 200 over a healthy socket.
ERRORS=$(grep -l -e 'Non-2xx' -e 'Socket errors' "$OUT"/wrk-*.txt 2>/dev/null | tr '\n' ' ' || true)
# shellcheck disable=SC2086  # a list of file names, split on purpose
[ -z "$ERRORS" ] || grep -H -e 'Non-2xx' -e 'Socket errors' $ERRORS >&2

rps_n=$(cut -d' ' -f1 "$OUT/http-nginx.txt" | median %.0f)
rps_a=$(cut -d' ' -f1 "$OUT/http-sendhub.txt" | median %.0f)
p99_n=$(cut -d' ' -f2 "$OUT/http-nginx.txt" | median %.2f)
p99_a=$(cut -d' ' -f2 "$OUT/http-sendhub.txt" | median %.2f)
# The verdict uses the median of the per-round ratios: each round's two runs
# are adjacent in time, so slow drift in background load cancels out.
paste -d' ' "$OUT/http-sendhub.txt" "$OUT/http-nginx.txt" \
    | awk '{printf "%.3f\n", $1/$3}' >"$OUT/http-ratios.txt"
ratio=$(median %.2f <"$OUT/http-ratios.txt")
# "62767 req/s p99 1.56 ms; ..." from the per-run "rps p99" lines
runs() { awk '{printf "%s%.0f req/s p99 %.2f ms", (NR > 1 ? "; " : ""), $1, $2}' "$1"; }
verdict=$(awk -v r="$ratio" -v t="$TARGET" 'BEGIN {print (r >= t) ? "PASS" : "FAIL"}')
[ -z "$ERRORS" ] || verdict="FAIL (errors in: $ERRORS)"
{
    echo "http benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $ROUNDS rounds alternating)"
    echo "  data:    $DATA; GET $APP_PATH ($NEVENTS events, $SIZE-byte body)"
    echo "  load:    wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency, loopback"
    echo "  nginx:   median $rps_n req/s, p99 ${p99_n} ms (runs: $(runs "$OUT/http-nginx.txt"))"
    echo "  sendhub: median $rps_a req/s, p99 ${p99_a} ms (runs: $(runs "$OUT/http-sendhub.txt"))"
    if [ -s "$OUT/http-health.txt" ]; then
        rps_h=$(cut -d' ' -f1 "$OUT/http-health.txt" | median %.0f)
        echo "  (diagnostic) sendhub GET /api/v1/health: median $rps_h req/s, $(awk -v a="$rps_h" -v n="$rps_n" 'BEGIN {printf "%.2f", a/n}') of nginx"
    fi
    if [ -s "$OUT/http-sendhub-pg.txt" ]; then
        rps_g=$(cut -d' ' -f1 "$OUT/http-sendhub-pg.txt" | median %.0f)
        p99_g=$(cut -d' ' -f2 "$OUT/http-sendhub-pg.txt" | median %.2f)
        echo "  sendhub on PostgreSQL (same data, migrated): median $rps_g req/s, p99 ${p99_g} ms (runs: $(runs "$OUT/http-sendhub-pg.txt")); $(awk -v g="$rps_g" -v a="$rps_a" 'BEGIN {printf "%.2f", g/a}') of sendhub on SQLite, $(awk -v g="$rps_g" -v n="$rps_n" 'BEGIN {printf "%.2f", g/n}') of nginx"
    fi
    echo "  ratio sendhub/nginx = $ratio (median of the per-round ratios $(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}' "$OUT/http-ratios.txt"); ratio of medians $(awk -v a="$rps_a" -v n="$rps_n" 'BEGIN {printf "%.2f", a/n}')); target >= $TARGET: $verdict"
} | tee "$OUT/http-result.txt"

[ "$verdict" = PASS ]
