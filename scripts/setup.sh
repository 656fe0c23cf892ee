#!/bin/sh
# Installs everything sendhub needs to build, run and test on Debian 12
# (bookworm) or later. Idempotent and quiet: only missing packages are
# installed, apt-get update runs only when something is missing, and npm runs
# only when node_modules is missing or older than package-lock.json.
#
#   scripts/setup.sh          build + test dependencies
#   scripts/setup.sh bench    also what the benchmarks need (wrk, nginx, hyperfine)
#
# The end-to-end suite (tests/e2e) drives Debian's chromium through
# playwright-core and validates HTML with vnu-jar (Java); both npm packages
# come from package-lock.json. Playwright's own browser download is never used.
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential pkg-config ca-certificates
libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libsodium-dev libpq-dev postgresql
libxlsxwriter-dev libcurl4-openssl-dev
libcmocka-dev clang libclang-rt-14-dev nodejs curl
chromium default-jre-headless libxml2-utils"
BENCH_PKGS="wrk nginx-light hyperfine"

if [ "${1:-}" = bench ]; then PKGS="$PKGS $BENCH_PKGS"; fi

# Debian's nodejs ships without npm; NodeSource's nodejs already includes it
# (and conflicts with Debian's npm package), so ask for npm only when the
# command is missing once nodejs is in place.
need_npm=0
if ! command -v npm >/dev/null 2>&1; then need_npm=1; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

apt_updated=0
apt_install() {
    if [ "$apt_updated" -eq 0 ]; then
        $SUDO apt-get update -qq
        apt_updated=1
    fi
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" \
        >/dev/null
}

missing=""
for p in $PKGS; do
    installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    # shellcheck disable=SC2086
    apt_install $missing
fi
# nodejs may have just been installed: decide about npm after it.
if [ "$need_npm" -eq 1 ] && ! command -v npm >/dev/null 2>&1; then
    echo "setup: installing npm"
    apt_install npm
fi

command -v node >/dev/null || { echo "setup: node is missing after install" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm is missing after install" >&2; exit 1; }

# The npm packages (govuk-frontend for the pages; playwright-core, axe-core,
# vnu-jar for the end-to-end tests), exactly as locked.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    touch node_modules
fi
echo "setup: all dependencies present"
