#!/bin/sh
# Runs the store unit tests against a PostgreSQL schema whose big tables are
# partitioned by local authority, as a national deployment would declare
# them (docs/OPERATIONS.md, "Partitioning"): events PARTITION BY LIST
# (la_code) with a DEFAULT partition, audit PARTITION BY HASH (la_code).
#
#   SENDHUB_TEST_PG=postgresql://postgres@127.0.0.1:PORT/postgres \
#       sh scripts/pg-partitioned.sh [BUILD]      (default build)
#
# It migrates a template database with the binary, turns events and audit
# into partitioned tables of the same definition (LIKE ... INCLUDING ALL,
# then the foreign key and the append-only triggers, which LIKE does not
# copy), and runs BUILD/tests/test_store with SENDHUB_TEST_PG_TEMPLATE set,
# so every test database is a copy of it (tests/unit/testdb.h). TEST_BIN
# overrides the test binary. Exits with the test's status.
set -eu
BUILD=${1:-build}
TEST_BIN=${TEST_BIN:-$BUILD/tests/test_store}
: "${SENDHUB_TEST_PG:?set SENDHUB_TEST_PG to a server URL (scripts/pg.sh start)}"
TEMPLATE=sendhub_partitioned_$$
DB_URL=$(printf '%s' "$SENDHUB_TEST_PG" | sed "s|\(://[^/]*/\)[^?]*|\1$TEMPLATE|")

psql_server() { psql -X -q -v ON_ERROR_STOP=1 -d "$SENDHUB_TEST_PG" "$@"; }
cleanup() { psql_server -c "DROP DATABASE IF EXISTS $TEMPLATE WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

psql_server -c "CREATE DATABASE $TEMPLATE"
"$BUILD/sendhub" migrate --db "$DB_URL" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" <<'SQL'
BEGIN;
ALTER TABLE events RENAME TO events_plain;
CREATE TABLE events (LIKE events_plain INCLUDING ALL) PARTITION BY LIST (la_code);
DROP TABLE events_plain;
ALTER TABLE events ADD FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id);
CREATE TABLE events_202 PARTITION OF events FOR VALUES IN ('202');
CREATE TABLE events_203 PARTITION OF events FOR VALUES IN ('203');
CREATE TABLE events_990 PARTITION OF events FOR VALUES IN ('990');
CREATE TABLE events_other PARTITION OF events DEFAULT;

ALTER TABLE audit RENAME TO audit_plain;
CREATE TABLE audit (LIKE audit_plain INCLUDING ALL) PARTITION BY HASH (la_code);
DROP TABLE audit_plain;
CREATE TABLE audit_h0 PARTITION OF audit FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE audit_h1 PARTITION OF audit FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE audit_h2 PARTITION OF audit FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE audit_h3 PARTITION OF audit FOR VALUES WITH (MODULUS 4, REMAINDER 3);
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
COMMIT;
SQL
psql -X -A -t -d "$DB_URL" -c "SELECT 'partitioned: ' || string_agg(relname, ', ' ORDER BY relname)
    FROM pg_class WHERE relkind = 'p'"
SENDHUB_TEST_PG_TEMPLATE=$TEMPLATE "$TEST_BIN"
