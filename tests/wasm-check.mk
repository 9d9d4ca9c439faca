# tests/wasm-check.mk — builds and runs the wasm parser/validator tests (tests/test_wasm_check.c),
# included by the root Makefile next to host-sim/host-sim.mk. Fixtures: tests/wasm/*.wat are
# assembled into build/tests/wasm/*.wasm with the flags named on their ";; wat2wasm-flags:" line.

ifeq ($(origin CC),default)
CC := gcc
endif
HOST_CFLAGS ?= -std=c11 -O2 -g -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
WAT2WASM ?= wat2wasm
WASM_CHECK_ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

WASM_CHECK_FIXTURES := $(patsubst tests/wasm/%.wat,build/tests/wasm/%.wasm,\
	$(wildcard tests/wasm/*.wat))
WASM_CHECK_TEST_SRCS := tests/test_wasm_check.c host-sim/src/wasm_parse.c \
	host-sim/src/wasm_check.c
WASM_CHECK_TEST_DEPS := $(WASM_CHECK_TEST_SRCS) host-sim/src/wasm_parse.h \
	host-sim/src/wasm_check.h tests/wasm-check.mk
WASM_CHECK_TEST_DEFS := -Ihost-sim/src -DHS_TEST_WASM_DIR='"build/tests/wasm"' \
	-DHS_TEST_HOST_SIM_BIN='"build/bin/host-sim"'

.PHONY: test-wasm-check test-wasm-check-asan wasm-check-fixtures
wasm-check-fixtures: $(WASM_CHECK_FIXTURES)

build/tests/wasm/%.wasm: tests/wasm/%.wat
	@mkdir -p $(@D)
	$(WAT2WASM) $$(sed -n 's/^;; wat2wasm-flags://p' $<) $< -o $@

build/bin/test_wasm_check: $(WASM_CHECK_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(WASM_CHECK_TEST_DEFS) -o $@ $(WASM_CHECK_TEST_SRCS) -lcriterion

build/bin/test_wasm_check_asan: $(WASM_CHECK_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(WASM_CHECK_ASAN_FLAGS) $(WASM_CHECK_TEST_DEFS) -o $@ \
		$(WASM_CHECK_TEST_SRCS) -lcriterion

# The CLI test runs build/bin/host-sim, whose rule comes from host-sim/host-sim.mk.
test-wasm-check: build/bin/test_wasm_check build/bin/host-sim $(WASM_CHECK_FIXTURES)
	build/bin/test_wasm_check

test-wasm-check-asan: build/bin/test_wasm_check_asan build/bin/host-sim $(WASM_CHECK_FIXTURES)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/bin/test_wasm_check_asan
