#!/bin/sh
# bench/waits.sh — waiting-list statistics for one pathway of 200,000
# referrals, sendhub against SQL over the same tables.
#
# (A) waits_bench stats: opens the database, reads the pathway's referrals
#     still on the list when the trend starts, with their clock stops
#     (store_referrals_load_since; the script checks once that reading every
#     referral gives the same report), and computes, in one pass
#     (wait_report_compute), the CHS wait bands, over 78 / 104 weeks, % within
#     the standard, median and 92nd percentile waits, paused / pending /
#     urgent counts, the last 28 days' flow (received, seen with their median
#     and p92, left unseen) and a 24-month trend (received, seen, list size
#     and its median and p92 at each month end), and prints them;
# (B) the sqlite3 shell computing ONLY the wait-band counts (with the clock
#     stops subtracted, so the counts are the same) in SQL.
# Both are whole processes timed by wall clock on the same database
# (bench/out/waits.db) with a warm page cache, alternately, ROUNDS times;
# the result is the median over rounds of time(B)/time(A). Target: >= 1.0.
#
#   BENCH_REFERRALS=200000 BENCH_SEED=42 BENCH_ROUNDS=7 sh bench/waits.sh
#
# Also prints (untimed) the forecast model's back-test on the same history.
# Exit status: 0 PASS, 1 FAIL (target missed), 2 could not run.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

N=${BENCH_REFERRALS:-200000}
SEED=${BENCH_SEED:-42}
ROUNDS=${BENCH_ROUNDS:-7}
DB=$OUT/waits.db
[ "$N" = 200000 ] || DB=$OUT/waits-$N.db
TARGET=1.0
AS_OF=2026-11-20 # waits_bench.c as_of_date()

# Build only the layers the benchmark links (core, store, util), so a page
# being edited elsewhere in the tree cannot stop the measurement.
objs=$(ls src/core/*.c src/store/*.c src/util/*.c | sed "s|^\(.*\)\.c\$|$BUILD/\1.o|")
log "build: the core, store and util objects into $BUILD (log: $OUT/waits-build.log)"
# shellcheck disable=SC2086  # a list of object files
if ! timeout "${BENCH_BUILD_TIMEOUT:-300}" make BUILD="$BUILD" -j2 $objs "$BUILD/gen/migrations.o" \
        >"$OUT/waits-build.log" 2>&1; then
    tail -n 20 "$OUT/waits-build.log" >&2
    exit 2
fi
mkdir -p "$BUILD/bench"
WAITS_BENCH=$BUILD/bench/waits_bench
# shellcheck disable=SC2086,SC2046  # pkg-config output and the object list are meant to be split
if ! ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Isrc \
        $(pkg-config --cflags $PKGS) bench/waits_bench.c $objs "$BUILD/gen/migrations.o" \
        -Wl,--as-needed $(pkg-config --libs $PKGS) -lpthread -lm -o "$WAITS_BENCH" >>"$OUT/waits-build.log" 2>&1; then
    tail -n 30 "$OUT/waits-build.log" >&2
    exit 2
fi

gen_version=$(sed -n 's/^#define GEN_VERSION \([0-9]*\).*/\1/p' bench/waits_bench.c)
stamp="n=$N seed=$SEED gen=$gen_version schema=$(cat src/store/schema/*/*.sql | cksum | tr ' ' -)"
if [ -f "$DB" ] && [ "$(cat "$DB.stamp" 2>/dev/null)" = "$stamp" ]; then
    log "waits: reusing $DB ($N referrals, seed $SEED)"
else
    rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.stamp" "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
    log "waits: generating $N referrals into $DB"
    timeout 1800 "$WAITS_BENCH" gen "$DB.tmp" "$N" "$SEED" | tee "$OUT/waits-gen.txt"
    sqlite3 "$DB.tmp" "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;" >/dev/null
    mv "$DB.tmp" "$DB"
    rm -f "$DB.tmp-wal" "$DB.tmp-shm"
    printf '%s\n' "$stamp" >"$DB.stamp"
fi

# The reference: the band counts of the list as at AS_OF, alone, in SQL.
# A referral is waiting when received by AS_OF, its assessment not started
# by then, not discharged by then and not rejected or redirected by then;
# its wait is the days since referral less the days its clock was stopped
# (core/wait.h). Bands in days as the CHS SitRep: 0-7, 8-14, 15-28, 29-84,
# 85-126, 127-364, 365+, and over 546 (78 weeks) and 728 (104 weeks).
# The stopped days are summed once per referral and joined (a correlated
# subquery per waiting row, the first way we wrote it, took 3 times as long:
# the reference is the faster form).
SQL="WITH st AS (
  SELECT referral_id,
         sum(julianday(min(coalesce(restarted, '$AS_OF'), '$AS_OF')) - julianday(stopped)) AS days
    FROM clock_stops WHERE la_code = '991' AND stopped < '$AS_OF' GROUP BY referral_id),
w AS (
  SELECT julianday('$AS_OF') - julianday(r.referral_date) - coalesce(st.days, 0) AS d
    FROM referrals r JOIN pathways p ON p.la_code = r.la_code AND p.id = r.pathway_id
    LEFT JOIN st ON st.referral_id = r.id
   WHERE r.la_code = '991' AND p.code = 'autism' AND r.referral_date <= '$AS_OF'
     AND (r.assessment_started IS NULL OR r.assessment_started > '$AS_OF')
     AND (r.discharged IS NULL OR r.discharged > '$AS_OF')
     AND NOT (r.triage IN ('rejected', 'redirected') AND r.triage_date <= '$AS_OF'))
SELECT sum(d <= 7), sum(d > 7 AND d <= 14), sum(d > 14 AND d <= 28), sum(d > 28 AND d <= 84),
       sum(d > 84 AND d <= 126), sum(d > 126 AND d <= 364), sum(d > 364), sum(d > 546),
       sum(d > 728), count(*) FROM w;"

run_sendhub() { timeout 600 "$WAITS_BENCH" stats "$DB" >"$OUT/waits-stats.txt" 2>"$OUT/waits-stats.err"; }
run_sql() { timeout 600 sqlite3 -readonly "$DB" "$SQL" >"$OUT/waits-sql.txt"; }

wait_quiet
log "waits: warming the page cache (one run of each, untimed)"
run_sendhub
run_sql
cat "$OUT/waits-stats.err" >&2
sendhub_bands=$(sed -n 's/^bands://p' "$OUT/waits-stats.txt")
if [ "$sendhub_bands" != "$(cat "$OUT/waits-sql.txt")" ]; then
    log "waits: sendhub and SQL band counts DISAGREE: $sendhub_bands vs $(cat "$OUT/waits-sql.txt")"
    exit 2
fi
log "waits: sendhub and SQL agree on the bands: $sendhub_bands"
# The timed run reads only the referrals still listed when its trend starts
# (store_referrals_load_since); every figure must equal the full read's.
timeout 600 "$WAITS_BENCH" stats-all "$DB" >"$OUT/waits-stats-all.txt" 2>/dev/null
if ! cmp -s "$OUT/waits-stats.txt" "$OUT/waits-stats-all.txt"; then
    log "waits: the report from the referrals since the trend start differs from the full one:"
    diff "$OUT/waits-stats-all.txt" "$OUT/waits-stats.txt" | head -n 10 >&2
    exit 2
fi
log "waits: the partial read and the full read give the same report"

secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", (b-a)/1e9}'; }
: >"$OUT/waits-sendhub-times.txt"
: >"$OUT/waits-sql-times.txt"
i=1
while [ "$i" -le "$ROUNDS" ]; do
    wait_quiet
    t0=$(now_ns); run_sendhub; t1=$(now_ns)
    run_sql; t2=$(now_ns)
    a=$(secs "$t0" "$t1"); b=$(secs "$t1" "$t2")
    echo "$a" >>"$OUT/waits-sendhub-times.txt"
    echo "$b" >>"$OUT/waits-sql-times.txt"
    log "round $i/$ROUNDS: sendhub stats ${a}s ($(sed 's/.*open+load/open+load/' "$OUT/waits-stats.err")), sqlite3 bands ${b}s"
    i=$((i + 1))
done

ma=$(median %.4f <"$OUT/waits-sendhub-times.txt")
mb=$(median %.4f <"$OUT/waits-sql-times.txt")
paste -d' ' "$OUT/waits-sql-times.txt" "$OUT/waits-sendhub-times.txt" \
    | awk '{printf "%.3f\n", $1/$2}' >"$OUT/waits-ratios.txt"
ratio=$(median %.2f <"$OUT/waits-ratios.txt")
verdict=$(awk -v r="$ratio" -v t="$TARGET" 'BEGIN {print (r >= t) ? "PASS" : "FAIL"}')
timeout 600 "$WAITS_BENCH" backtest "$DB" >"$OUT/waits-backtest.txt" 2>/dev/null

{
    echo "waits benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $ROUNDS rounds alternating)"
    echo "  data:    $(cat "$OUT/waits-gen.txt" 2>/dev/null || echo "$N referrals") ($DB)"
    echo "  sendhub: load + bands, percentiles, flow, 24-month trend: median ${ma}s (runs: $(tr '\n' ' ' <"$OUT/waits-sendhub-times.txt"))"
    echo "  sql:     band counts only, sqlite3 $(sqlite3 --version | cut -d' ' -f1): median ${mb}s (runs: $(tr '\n' ' ' <"$OUT/waits-sql-times.txt"))"
    echo "  list:    $(sed -n 's/^waiting=/waiting=/p' "$OUT/waits-stats.txt")"
    echo "  bands:   $sendhub_bands (0-1|1-2|2-4|4-12|12-18|18-52|52+ weeks|78+|104+|total; both agree)"
    sed 's/^/  /' "$OUT/waits-backtest.txt"
    echo "  ratio sql/sendhub = $ratio (per round: $(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}' "$OUT/waits-ratios.txt"); ratio of medians $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", b/a}')); target >= $TARGET: $verdict"
} | tee "$OUT/waits-result.txt"

[ "$verdict" = PASS ]
