# tests/settlement.mk — the settlement suite (tests/test_settlement.c): the real .wasm of
# settlement and stable_token, cw20-base, the relay and the engine_stub test contract (answers
# the engine's queries) on the host simulator; plus its ASan/UBSan variant and the contract's
# size budget. Included by the Makefile after compat.mk, whose test-contract rules it reuses.

SIZE_BUDGET_settlement := 32768

$(eval $(call test_contract_rules,engine_stub))

SM_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
SM_TEST_SRCS := $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS))
SM_TEST_LIBS := -lcriterion -ljansson $(HOST_SIM_LDLIBS)
SM_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src
SM_TEST_INPUTS := $(BUILD)/contracts/settlement.wasm $(BUILD)/contracts/stable_token.wasm \
	$(BUILD)/contracts/vault_engine.wasm $(BUILD)/contracts/oracle.wasm \
	$(BUILD)/test-contracts/relay.wasm $(BUILD)/test-contracts/engine_stub.wasm

HOST_TESTS += test_settlement

$(BUILD)/tests/test_settlement: tests/test_settlement.c tests/hs_fixture.c \
		tests/hs_fixture.h $(SM_TEST_OBJS) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SM_TEST_DEFS) -o $@ tests/test_settlement.c \
		tests/hs_fixture.c $(SM_TEST_OBJS) \
		$(SM_TEST_LIBS)

$(BUILD)/tests-asan/test_settlement: tests/test_settlement.c tests/hs_fixture.c \
		tests/hs_fixture.h $(SM_TEST_SRCS) \
		$(wildcard host-sim/src/*.h) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(SM_TEST_DEFS) -o $@ tests/test_settlement.c \
		tests/hs_fixture.c \
		$(SM_TEST_SRCS) $(SM_TEST_LIBS)

test-settlement: $(BUILD)/tests/test_settlement $(SM_TEST_INPUTS)
	$(BUILD)/tests/test_settlement --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-settlement-asan: $(BUILD)/tests-asan/test_settlement $(SM_TEST_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_settlement --jobs 2

HOST_TEST_TARGETS += test-settlement
HOST_ASAN_TARGETS += test-settlement-asan
.PHONY: test-settlement test-settlement-asan
