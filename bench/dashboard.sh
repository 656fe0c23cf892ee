#!/bin/sh
# bench/dashboard.sh — issue 6 (a) and (c) on a synthetic England:
#
#  (a) the dashboard computation (bench/dash_bench.c: app/dashboard.c, the
#      fold behind GET /dashboard) for the largest area and for England's
#      headline figures, against `sqlite3` running bench/dashboard.sql (the
#      same figures, hand-written) on the same database, alternating, in
#      the same run; their outputs must be identical.
#  (c) generating the national data set (`sendhub demo --national`): rows
#      per second, against `sqlite3 .import` of the same rows as CSV into
#      new tables with the same indexes (WAL, synchronous=FULL as sendhub
#      runs; see run_import).
#
#   sh bench/dashboard.sh     BENCH_ROUNDS=3 BENCH_THREADS=2 BENCH_REGEN=1
#
# Exit 0 when sendhub is at least as fast in (a) (median ratio >= 1.0).
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

ROUNDS=${BENCH_ROUNDS:-3}
THREADS=${BENCH_THREADS:-$(nproc)}
AS_OF=2026-11-22
DB=$OUT/national.db
bench_build
DASH="$BUILD/bench/dash_bench"
# shellcheck disable=SC2086,SC2046
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Isrc $(pkg-config --cflags $PKGS) \
    bench/dash_bench.c "$BUILD/libsendhub.a" $(pkg-config --libs $PKGS) -lpthread -lm -o "$DASH"

secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f\n", (b-a)/1e9}'; }

# ---- (c) generation ---------------------------------------------------------
stamp="national seed=1 as_of=$AS_OF demo=$(cksum <src/app/demo.c | tr ' ' -) schema=$(cat src/store/schema/*/*.sql | cksum | tr ' ' -)"
if [ "${BENCH_REGEN:-0}" = 1 ] || [ ! -f "$DB" ] || [ "$(cat "$DB.stamp" 2>/dev/null)" != "$stamp" ]; then
    wait_quiet
    log "national: generating $DB (several minutes)"
    t0=$(now_ns)
    timeout 3600 "$SENDHUB" demo --national --db "$DB" --force --no-serve --as-of "$AS_OF" \
        --seed 1 >"$OUT/national.log"
    t1=$(now_ns)
    printf '%s\n' "$stamp" >"$DB.stamp"
    secs "$t0" "$t1" >>"$OUT/national-gen-times.txt"
fi
cat "$OUT/national.log" >&2
rows=$(sqlite3 -readonly "$DB" "SELECT (SELECT count(*) FROM children) + (SELECT count(*) FROM cases)
    + (SELECT count(*) FROM events) + (SELECT count(*) FROM settings) + (SELECT count(*) FROM areas);")
gen_rps=$(sed -n 's/.*generated \([0-9]*\) rows in \([0-9.]*\) s: \([0-9]*\) rows\/s/\3/p' "$OUT/national.log")

if [ ! -f "$OUT/csv/events.csv" ] || [ "$DB" -nt "$OUT/csv/events.csv" ]; then
    log "national: exporting the rows as CSV for sqlite3 .import"
    mkdir -p "$OUT/csv"
    for t in areas settings children cases events; do
        sqlite3 -readonly -csv -header "$DB" "SELECT * FROM $t ORDER BY rowid" >"$OUT/csv/$t.csv"
    done
fi
# The reference load: `sqlite3 .import` into a new database (WAL,
# synchronous=FULL, as sendhub writes), letting .import create each table from
# the CSV header (a CSV cannot carry NULL: an empty field is '', which the
# schema's CHECKs would refuse), then the same indexes sendhub's schema keeps
# on those tables (partial ones on '' instead of NULL). sendhub's side also
# checks every row's constraints and foreign keys and computes each journey.
IMPORT_INDEXES="CREATE INDEX children_surname ON children (la_code, surname);
CREATE INDEX children_dob ON children (la_code, date_of_birth);
CREATE UNIQUE INDEX children_upn ON children (la_code, upn) WHERE upn <> '';
CREATE UNIQUE INDEX children_nhs ON children (la_code, nhs_number) WHERE nhs_number <> '';
CREATE INDEX children_setting ON children (la_code, setting_urn) WHERE setting_urn <> '';
CREATE INDEX cases_due ON cases (la_code, next_due);
CREATE INDEX cases_coordinator_due ON cases (la_code, coordinator, next_due);
CREATE INDEX cases_child ON cases (child_id);
CREATE INDEX cases_advice ON cases (la_code, next_due) WHERE open_advice <> '0';
CREATE INDEX events_case ON events (case_id, id);"
run_import() {
    rm -f "$OUT/import.db" "$OUT/import.db-wal" "$OUT/import.db-shm"
    t0=$(now_ns)
    timeout 3600 sqlite3 "$OUT/import.db" "PRAGMA journal_mode=WAL;" "PRAGMA synchronous=FULL;" \
        ".import --csv $OUT/csv/areas.csv areas" \
        ".import --csv $OUT/csv/settings.csv settings" \
        ".import --csv $OUT/csv/children.csv children" \
        ".import --csv $OUT/csv/cases.csv cases" \
        ".import --csv $OUT/csv/events.csv events" "$IMPORT_INDEXES" >/dev/null
    t1=$(now_ns)
    n=$(sqlite3 -readonly "$OUT/import.db" "SELECT (SELECT count(*) FROM children) + (SELECT count(*) FROM cases)
        + (SELECT count(*) FROM events) + (SELECT count(*) FROM settings) + (SELECT count(*) FROM areas);")
    [ "$n" = "$rows" ] || log "import: WARNING: $n rows imported, $rows expected"
    secs "$t0" "$t1"
}

# ---- (a) the dashboard ---------------------------------------------------------
LA=$(sqlite3 -readonly "$DB" "SELECT la_code FROM cases WHERE stage IN ('plan','review','amendment')
    GROUP BY la_code ORDER BY count(*) DESC LIMIT 1;")
year=${AS_OF%%-*}
first=$((year - 9))
run_sql() { # where-clause
    sed "s/AREA/$1/" bench/dashboard.sql >"$OUT/dashboard-run.sql"
    timeout 600 sqlite3 -readonly "$DB" ".parameter set @as_of \"'$AS_OF'\"" \
        ".parameter set @first $first" ".parameter set @last $year" ".read $OUT/dashboard-run.sql"
}
run_dash() { timeout 600 "$DASH" "$DB" "$1" "$2" "$AS_OF" 2>/dev/null; }

wait_quiet
log "dashboard: warming the page cache; checking sendhub and SQL agree"
run_dash "$LA" "$THREADS" | sort >"$OUT/dash-area.txt"
run_sql "c.la_code = '$LA'" | sort >"$OUT/sql-area.txt"
run_dash all "$THREADS" | sort >"$OUT/dash-all.txt"
run_sql 1 | sort >"$OUT/sql-all.txt"
for w in area all; do
    if ! cmp -s "$OUT/dash-$w.txt" "$OUT/sql-$w.txt"; then
        log "dashboard: sendhub and SQL disagree ($w):"
        diff "$OUT/dash-$w.txt" "$OUT/sql-$w.txt" | head -n 20 >&2
        exit 2
    fi
done
log "dashboard: sendhub and SQL print the same $(wc -l <"$OUT/dash-area.txt") lines for LA $LA and $(wc -l <"$OUT/dash-all.txt") for England"

for f in dash-area dash1-area sql-area dash-all sql-all import; do : >"$OUT/t-$f.txt"; done
i=1
while [ "$i" -le "$ROUNDS" ]; do
    wait_quiet
    t0=$(now_ns); run_dash "$LA" "$THREADS" >/dev/null; t1=$(now_ns)
    run_sql "c.la_code = '$LA'" >/dev/null; t2=$(now_ns)
    run_dash "$LA" 1 >/dev/null; t3=$(now_ns)
    run_dash all "$THREADS" >/dev/null; t4=$(now_ns)
    run_sql 1 >/dev/null; t5=$(now_ns)
    secs "$t0" "$t1" >>"$OUT/t-dash-area.txt"; secs "$t1" "$t2" >>"$OUT/t-sql-area.txt"
    secs "$t2" "$t3" >>"$OUT/t-dash1-area.txt"
    secs "$t3" "$t4" >>"$OUT/t-dash-all.txt"; secs "$t4" "$t5" >>"$OUT/t-sql-all.txt"
    log "round $i/$ROUNDS: LA $LA sendhub x$THREADS $(tail -n1 "$OUT/t-dash-area.txt")s, x1 $(tail -n1 "$OUT/t-dash1-area.txt")s, SQL $(tail -n1 "$OUT/t-sql-area.txt")s; England sendhub x$THREADS $(tail -n1 "$OUT/t-dash-all.txt")s, SQL $(tail -n1 "$OUT/t-sql-all.txt")s"
    i=$((i + 1))
done
if [ "${BENCH_IMPORT_ROUNDS:-2}" -gt 0 ]; then
    i=1
    while [ "$i" -le "${BENCH_IMPORT_ROUNDS:-2}" ]; do
        wait_quiet
        run_import >>"$OUT/t-import.txt"
        log "import round $i: $(tail -n1 "$OUT/t-import.txt")s"
        i=$((i + 1))
    done
fi

ratios() { paste -d' ' "$1" "$2" | awk '{printf "%.2f\n", $1/$2}'; }
ratios "$OUT/t-sql-area.txt" "$OUT/t-dash-area.txt" >"$OUT/r-area.txt"
ratios "$OUT/t-sql-area.txt" "$OUT/t-dash1-area.txt" >"$OUT/r1-area.txt"
ratios "$OUT/t-sql-all.txt" "$OUT/t-dash-all.txt" >"$OUT/r-all.txt"
ra=$(median %.2f <"$OUT/r-area.txt")
rn=$(median %.2f <"$OUT/r-all.txt")
verdict=$(awk -v a="$ra" -v n="$rn" 'BEGIN {print (a >= 1 && n >= 1) ? "PASS" : "FAIL"}')
imp=$(median <"$OUT/t-import.txt")
{
    echo "dashboard benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds alternating)"
    echo "  data: $rows rows ($DB); largest area LA $LA"
    echo "  (a) LA $LA: sendhub x$THREADS median $(median <"$OUT/t-dash-area.txt")s, x1 $(median <"$OUT/t-dash1-area.txt")s, sqlite3 SQL $(median <"$OUT/t-sql-area.txt")s; ratio sql/sendhub $ra (per round: $(tr '\n' ' ' <"$OUT/r-area.txt")), 1 thread $(median %.2f <"$OUT/r1-area.txt")"
    echo "  (a) England: sendhub x$THREADS median $(median <"$OUT/t-dash-all.txt")s, sqlite3 SQL $(median <"$OUT/t-sql-all.txt")s; ratio sql/sendhub $rn (per round: $(tr '\n' ' ' <"$OUT/r-all.txt"))"
    echo "  (c) generation: sendhub demo --national ${gen_rps:-?} rows/s (as it printed); sqlite3 .import of the same $rows rows as CSV: median ${imp}s = $(awk -v r="$rows" -v t="$imp" 'BEGIN {printf "%.0f", r/t}') rows/s (runs: $(tr '\n' ' ' <"$OUT/t-import.txt"))"
    echo "  target (a) sendhub at least as fast: $verdict"
} | tee "$OUT/dashboard-result.txt"
[ "$verdict" = PASS ]
