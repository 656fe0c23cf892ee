#!/bin/sh
# Installs what is needed, builds sendhub, creates a synthetic local area in
# sendhub-demo.db (replacing an earlier demo database) and serves it on
# http://localhost:8080 until you press Ctrl-C. Extra arguments go to
# `sendhub demo` (e.g. --port 9000 --seed 7).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
make -j"$(nproc)"
exec ./build/sendhub demo --db sendhub-demo.db --force "$@"
