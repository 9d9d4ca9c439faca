# tests/state.mk — build and run rules for the host-sim chain-state suites (kv_store, tx_cache,
# store_sqlite, address, chain_bank) and their micro-benchmark; included by the root Makefile.
STATE_TESTS := test_kv_store test_tx_cache test_store_sqlite test_address test_chain_bank
HOST_TESTS += $(STATE_TESTS)

STATE_DIR := host-sim/src
STATE_HDRS := $(addprefix $(STATE_DIR)/,kv_store.h tx_cache.h store_sqlite.h address.h chain_bank.h) \
  host-sim/include/hs_u128.h
STATE_LIBS := -lcriterion -lsqlite3 -lsodium
STATE_SRCS_test_kv_store := $(STATE_DIR)/kv_store.c
STATE_SRCS_test_tx_cache := $(STATE_DIR)/kv_store.c $(STATE_DIR)/tx_cache.c $(STATE_DIR)/errbuf.c
STATE_SRCS_test_store_sqlite := $(STATE_SRCS_test_tx_cache) $(STATE_DIR)/store_sqlite.c
STATE_SRCS_test_address := $(STATE_DIR)/address.c
STATE_SRCS_test_chain_bank := $(STATE_SRCS_test_tx_cache) $(STATE_DIR)/chain_bank.c \
  $(STATE_DIR)/address.c $(STATE_DIR)/u128_text.c
STATE_SRCS_bench_state := $(STATE_SRCS_test_store_sqlite)

define state_test_rules
$(BUILD)/tests/$(1): tests/$(1).c $$(STATE_SRCS_$(1)) $(STATE_HDRS) | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(CC) $(HOST_CFLAGS) -I$(STATE_DIR) -Ihost-sim/include -o $$@ tests/$(1).c $$(STATE_SRCS_$(1)) \
		$(STATE_LIBS)
$(BUILD)/tests-asan/$(1): tests/$(1).c $$(STATE_SRCS_$(1)) $(STATE_HDRS) | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) -I$(STATE_DIR) -Ihost-sim/include -o $$@ tests/$(1).c \
		$$(STATE_SRCS_$(1)) $(STATE_LIBS)
endef
$(foreach t,$(STATE_TESTS) bench_state,$(eval $(call state_test_rules,$(t))))

test-state: $(STATE_TESTS:%=$(BUILD)/tests/%)
	@set -e; for t in $^; do echo "== $$t"; $$t --jobs 2; done
test-state-asan: $(STATE_TESTS:%=$(BUILD)/tests-asan/%)
	@set -e; for t in $^; do echo "== $$t (asan+ubsan)"; $$t --jobs 2; done
# ns/op of the in-memory store and tx cache, and SQLite commit latency.
bench-state: $(BUILD)/tests/bench_state
	$<

HOST_TEST_TARGETS += test-state
HOST_ASAN_TARGETS += test-state-asan
.PHONY: test-state test-state-asan bench-state
