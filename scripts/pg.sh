#!/bin/sh
# A throwaway PostgreSQL cluster for tests, on loopback only.
#
#   sh scripts/pg.sh start            one server; prints shell assignments:
#                                       SENDHUB_PG_DIR=...  SENDHUB_TEST_PG=postgresql://...
#   sh scripts/pg.sh start-replica    a primary and a streaming replica made
#                                     with pg_basebackup -R; also prints
#                                       SENDHUB_TEST_PG_REPLICA=postgresql://...
#   sh scripts/pg.sh halt             stops the primary (pg_ctl stop -m fast),
#                                     keeping its data: for fault tests
#   sh scripts/pg.sh resume           starts the halted primary again
#   sh scripts/pg.sh stop             stops everything and removes the
#                                     directory; safe to run twice
#
# Everything lives under $SENDHUB_PG_DIR (a new mktemp directory when unset
# at start; the later commands need it set, e.g. by eval "$(sh scripts/pg.sh
# start)"). Ports: $SENDHUB_PG_PORT (and the next one for the replica), else
# free ports picked at random. Authentication is "trust" for loopback TCP and
# the cluster's own socket directory only: this is a test database that never
# holds real data. PostgreSQL refuses to run as root, so as root every server
# command runs as the postgres user.
set -eu

BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$BIN/initdb" ] || { echo "pg.sh: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_free() {
    ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .
}

pick_port() {
    p=${1:-}
    if [ -n "$p" ]; then echo "$p"; return; fi
    while :; do
        p=$(( ($(od -An -N2 -tu2 /dev/urandom) % 20000) + 30000 ))
        port_free "$p" && port_free $((p + 1)) && { echo "$p"; return; }
    done
}

# Server settings for a test cluster: loopback, socket in the cluster dir,
# replication allowed, London time like production, and a bounded log.
configure() {
    data=$1 port=$2
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 5
hot_standby = on
timezone = 'Europe/London'
max_connections = 200
fsync = on
log_min_messages = warning
EOF
    cat >"$data/pg_hba.conf" <<EOF
local all         all                trust
host  all         all  127.0.0.1/32  trust
host  replication all  127.0.0.1/32  trust
EOF
}

start_server() {
    data=$1
    as_pg "$BIN/pg_ctl" -D "$data" -l "$data.log" -w -t 60 start >/dev/null
}

url() {
    echo "postgresql://postgres@127.0.0.1:$1/postgres"
}

cmd_start() {
    replica=$1
    DIR=${SENDHUB_PG_DIR:-$(mktemp -d /tmp/sendhub-pg.XXXXXX)}
    mkdir -p "$DIR"
    chmod 0755 "$DIR"
    [ "$(id -u)" -ne 0 ] || chown postgres "$DIR"
    if [ -f "$DIR/primary/PG_VERSION" ]; then
        echo "pg.sh: $DIR already holds a cluster (stop it first)" >&2
        exit 1
    fi
    port=$(pick_port "${SENDHUB_PG_PORT:-}")
    as_pg "$BIN/initdb" -D "$DIR/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
    configure "$DIR/primary" "$port"
    echo "$port" >"$DIR/primary.port"
    start_server "$DIR/primary"
    echo "SENDHUB_PG_DIR=$DIR"
    echo "SENDHUB_TEST_PG=$(url "$port")"
    [ "$replica" = yes ] || return 0
    rport=$((port + 1))
    # A replica that cannot be made must not leave its primary running.
    as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$DIR/replica" -R -X stream \
        >"$DIR/basebackup.log" 2>&1 || { cat "$DIR/basebackup.log" >&2; stop_one "$DIR/primary"; exit 1; }
    sed -i "s/^port = $port\$/port = $rport/" "$DIR/replica/postgresql.conf"
    echo "$rport" >"$DIR/replica.port"
    start_server "$DIR/replica"
    echo "SENDHUB_TEST_PG_REPLICA=$(url "$rport")"
}

need_dir() {
    DIR=${SENDHUB_PG_DIR:-}
    [ -n "$DIR" ] || { echo "pg.sh: set SENDHUB_PG_DIR (printed by start)" >&2; exit 2; }
}

stop_one() {
    data=$1
    [ -f "$data/postmaster.pid" ] || return 0
    as_pg "$BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

cmd_stop() {
    DIR=${SENDHUB_PG_DIR:-}
    [ -n "$DIR" ] && [ -d "$DIR" ] || return 0
    stop_one "$DIR/replica"
    stop_one "$DIR/primary"
    case $DIR in
    /tmp/* | "${TMPDIR:-/tmp}"/*) rm -rf "$DIR" ;;
    *) echo "pg.sh: stopped; left $DIR in place (not under /tmp)" >&2 ;;
    esac
}

case ${1:-} in
start) cmd_start no ;;
start-replica) cmd_start yes ;;
halt) need_dir; stop_one "$DIR/primary" ;;
resume) need_dir; start_server "$DIR/primary" ;;
stop) cmd_stop ;;
*) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
