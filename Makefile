# sendhub — one binary, layered sources (see docs/ARCHITECTURE.md).
#
#   make              release build in build/ (-O2, hardening, -Werror)
#   make debug        -O0 build in build-debug/
#   make check        build, then every test suite (unit, CLI, HTTP) on build/
#   make asan         the same suites built with AddressSanitizer + UBSan
#   make fuzz         libFuzzer targets (clang), short run over the seed corpus
#   make bench        benchmarks in bench/ (see bench/RESULTS.md)
#
# BUILD=dir puts objects elsewhere, so several builds can run side by side.

BUILD   ?= build
CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libsodium libpq xlsxwriter libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual -Wno-format-nonliteral
OPT     ?= -O2 -g
HARDEN  := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
ifeq ($(SAN),1)
OPT     := -O1 -g -fno-omit-frame-pointer
HARDEN  := -fsanitize=address,undefined -fno-sanitize-recover=all
SANLD   := -fsanitize=address,undefined
endif
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) $(HARDEN) -Isrc -I$(BUILD)/gen $(PKG_CFLAGS)
LDFLAGS += $(SANLD) -pie -Wl,-z,relro,-z,now
LDLIBS  += $(PKG_LIBS) -lpthread -lm

LIB_SRC := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o
MIGRATIONS := $(sort $(wildcard src/store/schema/*/*.sql))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all debug check asan fuzz bench clean unit
all: $(BUILD)/sendhub

debug:
	$(MAKE) BUILD=build-debug OPT="-O0 -g"

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-migrations.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-migrations.sh $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libsendhub.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/sendhub: $(BUILD)/src/cli/main.o $(BUILD)/libsendhub.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsendhub.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libsendhub.a $(LDLIBS) -lcmocka -o $@

unit: $(UNIT_BIN)

check: $(BUILD)/sendhub $(UNIT_BIN)
	sh scripts/run-suites.sh $(BUILD)

asan:
	$(MAKE) BUILD=build-asan SAN=1 check

fuzz:
	sh scripts/fuzz.sh

bench: all
	sh bench/run.sh

clean:
	rm -rf build build-debug build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
