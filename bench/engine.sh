#!/bin/sh
# bench/engine.sh — the clock engine against SQL over the same event log.
#
# (A) engine_bench fold: store_journeys_scan + journey_compute on every
#     journey, every statutory step (due dates, status, stage, 20 weeks),
#     over one case-id range per core (store.h: ranges exist so such a job
#     can use every core), and
# (A1) the same fold in one thread, one range, reported beside it;
# (B) the sqlite3 shell computing ONLY the 20-week flag per case in SQL
#     (one thread: SQLite does not parallelise this query).
# All read the same database (bench/out/journeys.db, 1,000,000 journeys by
# default) with a warm page cache, alternately, ROUNDS times each; the
# result is the median over rounds of time(B)/time(A). Target: >= 1.0. The
# one-thread ratio time(B)/time(A1) is printed too, so nobody mistakes a
# pass on two cores for a pass on one.
#
#   BENCH_JOURNEYS=1000000 BENCH_SEED=42 BENCH_ROUNDS=5 BENCH_THREADS=$(nproc) \
#   BENCH_DIAG=0 sh bench/engine.sh
#
# BENCH_DIAG=1 adds diagnostic variants (see the end of this file).
#
# Exit status: 0 PASS, 1 FAIL (target missed), 2 could not run.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

N=${BENCH_JOURNEYS:-1000000}
SEED=${BENCH_SEED:-42}
ROUNDS=${BENCH_ROUNDS:-5}
THREADS=${BENCH_THREADS:-$(nproc)}
DB=$OUT/journeys.db
[ "$N" = 1000000 ] || DB=$OUT/journeys-$N.db  # smaller trial runs keep the big one
TARGET=1.0

bench_build

# Reuse the database when it was generated with the same N, seed, schema and
# generator; otherwise generate it afresh (into a temporary name, so an
# interrupted run never leaves a half-written database looking complete).
gen_version=$(sed -n 's/^#define GEN_VERSION \([0-9]*\).*/\1/p' bench/engine_bench.c)
stamp="n=$N seed=$SEED gen=$gen_version schema=$(cat src/store/schema/*/*.sql | cksum | tr ' ' -)"
if [ -f "$DB" ] && [ "$(cat "$DB.stamp" 2>/dev/null)" = "$stamp" ]; then
    log "engine: reusing $DB ($N journeys, seed $SEED)"
else
    rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.stamp" "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
    log "engine: generating $N journeys into $DB"
    timeout 1800 "$ENGINE_BENCH" gen "$DB.tmp" "$N" "$SEED" | tee "$OUT/gen.txt"
    mv "$DB.tmp" "$DB"
    printf '%s\n' "$stamp" >"$DB.stamp"
fi

# The reference: the 20-week flag alone, per case, in SQL (the same SQLite
# library the engine links, through the sqlite3 shell, read-only).
SQL="SELECT count(*) AS cases, sum(d <= 140) AS within_20_weeks FROM (
  SELECT case_id,
         julianday(MIN(CASE WHEN type = 'final_plan_issued' THEN date END))
       - julianday(MIN(CASE WHEN type = 'request_received' THEN date END)) AS d
    FROM events GROUP BY case_id);"

run_engine() { timeout 600 "$ENGINE_BENCH" fold "$DB" "$THREADS" >"$OUT/fold.txt"; }
run_engine1() { timeout 600 "$ENGINE_BENCH" fold "$DB" 1 >"$OUT/fold1.txt"; }
run_sql() { timeout 600 sqlite3 -readonly "$DB" "$SQL" >"$OUT/sql.txt"; }

wait_quiet
log "engine: warming the page cache (one run of each, untimed)"
run_engine
run_engine1
run_sql
cat "$OUT/fold.txt" >&2
# The same journeys and counts whatever the number of ranges.
if [ "$(sed -n 's/ checksum=.*//p' "$OUT/fold.txt")" != "$(sed -n 's/ checksum=.*//p' "$OUT/fold1.txt")" ]; then
    log "engine: the $THREADS-thread and 1-thread folds counted differently:"
    head -n 1 "$OUT/fold.txt" "$OUT/fold1.txt" >&2
    exit 2
fi
log "sql: cases|within_20_weeks = $(cat "$OUT/sql.txt")"
# Sanity: both sides must have seen the same journeys and (the generator
# corrects only advice dates) agree on the 20-week count.
fold_j=$(sed -n 's/^fold: journeys=\([0-9]*\).*/\1/p' "$OUT/fold.txt")
fold_w=$(sed -n 's/.*within_20_weeks=\([0-9]*\).*/\1/p' "$OUT/fold.txt")
if [ "$(cat "$OUT/sql.txt")" != "$fold_j|$fold_w" ]; then
    log "engine: WARNING: fold ($fold_j journeys, $fold_w within 20 weeks) and SQL ($(cat "$OUT/sql.txt")) disagree"
else
    log "engine: fold and SQL agree: $fold_j journeys, $fold_w within 20 weeks"
fi

secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b-a)/1e9}'; }
: >"$OUT/engine-times.txt"
: >"$OUT/engine1-times.txt"
: >"$OUT/sql-times.txt"
i=1
while [ "$i" -le "$ROUNDS" ]; do
    wait_quiet
    t0=$(now_ns); run_engine; t1=$(now_ns)
    run_sql; t2=$(now_ns)
    run_engine1; t3=$(now_ns)
    e=$(secs "$t0" "$t1"); q=$(secs "$t1" "$t2"); e1=$(secs "$t2" "$t3")
    echo "$e" >>"$OUT/engine-times.txt"
    echo "$q" >>"$OUT/sql-times.txt"
    echo "$e1" >>"$OUT/engine1-times.txt"
    log "round $i/$ROUNDS: engine fold x$THREADS ${e}s, sqlite3 20-week SQL ${q}s, engine fold x1 ${e1}s"
    i=$((i + 1))
done

me=$(median <"$OUT/engine-times.txt")
me1=$(median <"$OUT/engine1-times.txt")
mq=$(median <"$OUT/sql-times.txt")
# Verdict: the median of the per-round ratios (each round's runs are
# adjacent in time, so slow drift in background load cancels out).
paste -d' ' "$OUT/sql-times.txt" "$OUT/engine-times.txt" \
    | awk '{printf "%.3f\n", $1/$2}' >"$OUT/engine-ratios.txt"
paste -d' ' "$OUT/sql-times.txt" "$OUT/engine1-times.txt" \
    | awk '{printf "%.3f\n", $1/$2}' >"$OUT/engine1-ratios.txt"
ratio=$(median %.2f <"$OUT/engine-ratios.txt")
ratio1=$(median %.2f <"$OUT/engine1-ratios.txt")
verdict1=$(awk -v r="$ratio1" -v t="$TARGET" 'BEGIN {print (r >= t) ? "met" : "missed"}')
verdict=$(awk -v r="$ratio" -v t="$TARGET" 'BEGIN {print (r >= t) ? "PASS" : "FAIL"}')
journeys=$(sed -n 's/.*journeys=\([0-9]*\).*/\1/p' "$OUT/fold.txt" | head -n 1)
events=$(sed -n 's/.* events=\([0-9]*\).*/\1/p' "$OUT/fold.txt" | head -n 1)
deadlines=$(sed -n 's/.*deadlines=\([0-9]*\).*/\1/p' "$OUT/fold.txt" | head -n 1)

{
    echo "engine benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $ROUNDS rounds alternating)"
    echo "  data:   $journeys journeys, $events events ($DB, seed $SEED)"
    echo "  engine: fold every journey, $deadlines statutory steps, $THREADS threads: median ${me}s (runs: $(tr '\n' ' ' <"$OUT/engine-times.txt"))"
    echo "  engine: the same fold in 1 thread: median ${me1}s (runs: $(tr '\n' ' ' <"$OUT/engine1-times.txt"))"
    echo "  sql:    20-week flag only, sqlite3 $(sqlite3 --version | cut -d' ' -f1), 1 thread: median ${mq}s (runs: $(tr '\n' ' ' <"$OUT/sql-times.txt"))"
    echo "  1 thread:   ratio sql/engine = $ratio1 (per round: $(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}' "$OUT/engine1-ratios.txt")): target $verdict1 on one core"
    echo "  $THREADS threads:  ratio sql/engine = $ratio (per round: $(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}' "$OUT/engine-ratios.txt"); ratio of medians $(awk -v e="$me" -v q="$mq" 'BEGIN {printf "%.2f", q/e}')); target >= $TARGET: $verdict"
} | tee "$OUT/engine-result.txt"

# Diagnostics (BENCH_DIAG=1): how much of the fold is the store scan, against
# the same SQL in the same alternation. Not part of the verdict.
#   scan1   the store scan alone (no-op callback, no engine), 1 thread
#   scanN   the same over $THREADS ranges and threads
if [ "${BENCH_DIAG:-0}" = 1 ]; then
    for m in scan1 scanN sqld; do : >"$OUT/diag-$m.txt"; done
    i=1
    while [ "$i" -le "$ROUNDS" ]; do
        wait_quiet
        for m in scan1 scanN sqld; do
            t0=$(now_ns)
            case $m in
            scan1) timeout 600 "$ENGINE_BENCH" scan "$DB" 1 >/dev/null ;;
            scanN) timeout 600 "$ENGINE_BENCH" scan "$DB" "$THREADS" >/dev/null ;;
            sqld) run_sql ;;
            esac
            t1=$(now_ns)
            secs "$t0" "$t1" >>"$OUT/diag-$m.txt"
            echo >>"$OUT/diag-$m.txt"
        done
        log "diag round $i/$ROUNDS: scan x1 $(tail -n 1 "$OUT/diag-scan1.txt")s, scan x$THREADS $(tail -n 1 "$OUT/diag-scanN.txt")s, sql $(tail -n 1 "$OUT/diag-sqld.txt")s"
        i=$((i + 1))
    done
    ms=$(median <"$OUT/diag-sqld.txt")
    {
        echo "  diagnostics (sql median ${ms}s in this alternation; ratio = sql/variant):"
        for m in scan1 scanN; do
            mv_=$(median <"$OUT/diag-$m.txt")
            case $m in
            scan1) what="store scan only, no engine, 1 thread " ;;
            scanN) what="store scan only, no engine, $THREADS threads" ;;
            esac
            echo "    $what: median ${mv_}s, ratio $(awk -v e="$mv_" -v q="$ms" 'BEGIN {printf "%.2f", q/e}')"
        done
    } | tee -a "$OUT/engine-result.txt"
fi

[ "$verdict" = PASS ]
