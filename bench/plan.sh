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
NAME=plan
. bench/page.sh  # servers, build, sign-in, the measured rounds and the verdict
page_check_setup

mkdir -p "$CO" "$SERVED_DIR"
rm -f "$CO"/wrk-*.txt "$CO"/result.txt
page_build

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
page_serve "$DB"

# The plan page as the coordinator sees it.
code=$(curl -sS -H "$COOKIE" -o "$CO/plan.html" -D "$CO/plan.headers" \
    -w '%{http_code}' "$APP/cases/$CASE/plan")
[ "$code" = 200 ] || { head -c 2000 "$CO/plan.html" >&2; fail "GET /cases/$CASE/plan answered $code"; }
ROWS=$(grep -c -e 'id="item-F[0-9]*"' -e 'id="item-G[0-9]*"' -e 'id="item-H[12]\.[0-9]*"' "$CO/plan.html" || true)
[ "$ROWS" = "$PROVISION" ] || fail "the page shows $ROWS provision items, not $PROVISION (see $CO/plan.html)"
grep -q 'No warnings' "$CO/plan.html" || fail "the plan has warnings (see $CO/plan.html)"
PAGE=$CO/plan.html PAGE_HEADERS=$CO/plan.headers SERVED_NAME=plan.html
APP_URL=$APP/cases/$CASE/plan AUDIT_OBJECT=plan
AUDIT0=$(q "SELECT count(*) FROM audit WHERE username = '$COORD' AND object = 'plan';")
log "plan: GET /cases/$CASE/plan as $COORD: 200, $ROWS provision items, no warnings, $(wc -c <"$PAGE")-byte body"

describe() {
    echo "  data:    sendhub demo --seed 1 --scale 10 --as-of $TODAY; case $CASE given a draft with $PROVISION provision items ($(wc -c <"$CO/plan.json")-byte document)"
    echo "  page:    GET /cases/$CASE/plan signed in as $COORD: sections A-K, $ROWS provision items, no warnings, $(wc -c <"$PAGE")-byte body"
}
page_measure
