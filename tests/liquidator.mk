# tests/liquidator.mk — the liquidator suites (tests/test_liquidator.c): the real .wasm of the
# liquidator, stable_token and oracle (chain-sourced prices) on the host simulator, first with
# the relay test contract playing the engine and pool_stub the backstop pool, then with the real
# vault_engine and backstop_pool; plus its ASan/UBSan variant. Also the liquidator's size budget
# and the pool_stub test contract. Included by the root Makefile (after compat.mk, whose
# test_contract_rules it uses).

SIZE_BUDGET_liquidator := 57344

$(eval $(call test_contract_rules,pool_stub))

LQ_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
LQ_TEST_SRCS := $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS))
LQ_TEST_LIBS := -lcriterion $(HOST_SIM_LDLIBS)
LQ_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src
LQ_TEST_INPUTS := $(BUILD)/contracts/liquidator.wasm $(BUILD)/contracts/stable_token.wasm \
	$(BUILD)/contracts/oracle.wasm $(BUILD)/contracts/vault_engine.wasm \
	$(BUILD)/contracts/backstop_pool.wasm \
	$(BUILD)/test-contracts/relay.wasm $(BUILD)/test-contracts/pool_stub.wasm

HOST_TESTS += test_liquidator

$(BUILD)/tests/test_liquidator: tests/test_liquidator.c tests/hs_fixture.c \
		tests/hs_fixture.h $(LQ_TEST_OBJS) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(LQ_TEST_DEFS) -o $@ tests/test_liquidator.c \
		tests/hs_fixture.c $(LQ_TEST_OBJS) \
		$(LQ_TEST_LIBS)

$(BUILD)/tests-asan/test_liquidator: tests/test_liquidator.c tests/hs_fixture.c \
		tests/hs_fixture.h $(LQ_TEST_SRCS) \
		$(wildcard host-sim/src/*.h) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(LQ_TEST_DEFS) -o $@ tests/test_liquidator.c \
		tests/hs_fixture.c \
		$(LQ_TEST_SRCS) $(LQ_TEST_LIBS)

test-liquidator: $(BUILD)/tests/test_liquidator $(LQ_TEST_INPUTS)
	$(BUILD)/tests/test_liquidator --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-liquidator-asan: $(BUILD)/tests-asan/test_liquidator $(LQ_TEST_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_liquidator --jobs 2

HOST_TEST_TARGETS += test-liquidator
HOST_ASAN_TARGETS += test-liquidator-asan
.PHONY: test-liquidator test-liquidator-asan
