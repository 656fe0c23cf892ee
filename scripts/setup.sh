#!/bin/sh
# Installs everything sendhub needs to build, run and test on Debian 12
# (bookworm) or later. Idempotent: only missing packages are installed, and
# apt-get update runs only when something is missing.
#
#   scripts/setup.sh          build + test dependencies
#   scripts/setup.sh bench    also what the benchmarks need (wrk, nginx, hyperfine)
set -eu

PKGS="build-essential pkg-config ca-certificates
libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libsodium-dev libpq-dev postgresql
libcmocka-dev clang libclang-rt-14-dev nodejs curl"
BENCH_PKGS="wrk nginx-light hyperfine"

if [ "${1:-}" = bench ]; then PKGS="$PKGS $BENCH_PKGS"; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# Debian's nodejs 18 ships without npm; the test runner needs only node itself
# (node:test and fetch are built in), so npm is not required yet.
command -v node >/dev/null || { echo "setup: node is missing after install" >&2; exit 1; }
echo "setup: all dependencies present"
