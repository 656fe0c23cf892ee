#!/bin/sh
# bench/run.sh — every benchmark, then a summary (see bench/RESULTS.md).
#
#   sh bench/run.sh        (or: make bench)
#
# Installs what the benchmarks need first (scripts/setup.sh bench). Exit
# status 0 only when every target is met.
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/out

sh scripts/setup.sh bench

# Stale results must not pass for this run's.
rm -f bench/out/engine-result.txt bench/out/http-result.txt
engine_rc=0
sh bench/engine.sh || engine_rc=$?
http_rc=0
bash bench/http.sh || http_rc=$?
status=0
[ "$http_rc" -eq 0 ] || status=$http_rc
[ "$engine_rc" -eq 0 ] || status=$engine_rc

echo
echo "==== summary ===="
cat bench/out/engine-result.txt 2>/dev/null || echo "engine: no result (exit $engine_rc)"
cat bench/out/http-result.txt 2>/dev/null || echo "http: no result (exit $http_rc)"
exit "$status"
