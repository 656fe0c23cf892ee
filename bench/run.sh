#!/bin/sh
# bench/run.sh — every benchmark, then a summary (see bench/RESULTS.md).
#
#   sh bench/run.sh                 (or: make bench) every benchmark
#   BENCH_ONLY="http plan" sh bench/run.sh   a subset, by name below
#
# Installs what the benchmarks need first (scripts/setup.sh bench). Exit
# status 0 only when every target is met. The first run builds the data
# sets (the 1,000,000-journey log, 200,000 referrals, and the synthetic
# England of about 5 GB for the dashboard, which takes about 11 minutes);
# later runs reuse them.
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/out

sh scripts/setup.sh bench

# name, driver, where it writes its verdict
BENCHES="engine:engine.sh:engine-result.txt
http:http.sh:http-result.txt
caseload:caseload.sh:caseload/result.txt
plan:plan.sh:plan/result.txt
waits:waits.sh:waits-result.txt
dashboard:dashboard.sh:dashboard-result.txt
dashboard_http:dashboard_http.sh:dashboard-http-result.txt"

# The page benchmarks wait while another benchmark runs (bench/page.sh
# wait_quiet); this run is not one to wait for.
BENCH_RUN_PID=$$
export BENCH_RUN_PID

status=0
summary=""
for b in $BENCHES; do
    name=${b%%:*} rest=${b#*:}
    driver=${rest%%:*} result=bench/out/${rest#*:}
    case " ${BENCH_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
    rm -f "$result" # stale results must not pass for this run's
    rc=0
    bash "bench/$driver" || rc=$?
    [ "$rc" -eq 0 ] || status=$rc
    summary="$summary
$(cat "$result" 2>/dev/null || echo "$name: no result (exit $rc)")"
done

echo
echo "==== summary ===="
echo "$summary"
exit "$status"
