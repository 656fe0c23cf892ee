#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and
# runs each for a bounded time over a copy of its seed corpus, so the
# checked-in corpus (tests/fuzz/corpus/<name>/) is never modified.
#
#   FUZZ_SECONDS  seconds per target (default 20)
#
# Targets: timeline (the event JSON input), form (urlencoded form bodies).
#
# Exits non-zero when a target fails to build or finds a crash, leak, UB or
# timeout; the reproducer is left in build-fuzz/<name>/ (crash-*, leak-*, ...).
set -eu
cd "$(dirname "$0")/.."
OUT=build-fuzz
SECONDS_PER_TARGET=${FUZZ_SECONDS:-20}
CC=${FUZZ_CC:-clang}
CFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -g -O1 -fno-omit-frame-pointer \
 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc \
 $(pkg-config --cflags jansson)"
LIBS="$(pkg-config --libs jansson)"

# name: sources the target links (only what it needs, not the whole library)
TIMELINE_SRC="src/core/date.c src/core/event.c src/core/journey.c src/util/arena.c \
 src/util/err.c src/util/buf.c src/util/jsonw.c src/app/journey_json.c"
FORM_SRC="src/web/form.c src/web/html.c src/app/access.c src/core/date.c src/util/arena.c \
 src/util/buf.c src/util/err.c"

fuzz_target() {
    name=$1
    shift
    dir=$OUT/$name
    mkdir -p "$dir"
    echo "fuzz: building $name"
    # shellcheck disable=SC2086
    $CC $CFLAGS tests/fuzz/fuzz_$name.c "$@" $LIBS -o "$dir/fuzz_$name"
    rm -rf "$dir/corpus"
    mkdir -p "$dir/corpus"
    cp tests/fuzz/corpus/"$name"/* "$dir/corpus/"
    dict=""
    [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
    echo "fuzz: running $name for ${SECONDS_PER_TARGET}s"
    # shellcheck disable=SC2086
    "$dir/fuzz_$name" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$dir/" $dict "$dir/corpus" >"$dir/log" 2>&1 || {
        tail -n 60 "$dir/log"
        echo "fuzz: $name FAILED (reproducer and log in $dir/)"
        return 1
    }
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$dir/log" | sed "s/^/fuzz: $name /"
    echo "fuzz: $name ok"
}

# shellcheck disable=SC2086
fuzz_target timeline $TIMELINE_SRC
# shellcheck disable=SC2086
fuzz_target form $FORM_SRC
