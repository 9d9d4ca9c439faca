# tests/engine_liquidation.mk — the engine's solvency suite (tests/test_engine_liquidation.c):
# liquidation, treasury ledger, keeper index and shutdown on the real .wasm of vault_engine,
# stable_token, oracle, cw20-base and the relay stand-in; plus its ASan/UBSan variant. Included
# by the root Makefile (after tests/vault_engine.mk, whose VE_TEST_* it reuses).

EL_TEST_INPUTS := $(BUILD)/contracts/vault_engine.wasm $(BUILD)/contracts/stable_token.wasm \
	$(BUILD)/contracts/oracle.wasm $(BUILD)/test-contracts/relay.wasm

HOST_TESTS += test_engine_liquidation

$(BUILD)/tests/test_engine_liquidation: tests/test_engine_liquidation.c tests/hs_fixture.c \
		tests/hs_fixture.h \
		$(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS)) host-sim/include/hostsim.h \
		| $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost-sim/include -Ihost-sim/src -o $@ tests/test_engine_liquidation.c \
		tests/hs_fixture.c \
		$(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS)) -lcriterion $(HOST_SIM_LDLIBS)

$(BUILD)/tests-asan/test_engine_liquidation: tests/test_engine_liquidation.c tests/hs_fixture.c \
		tests/hs_fixture.h \
		$(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS)) $(wildcard host-sim/src/*.h) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) -Ihost-sim/include -Ihost-sim/src -o $@ \
		tests/test_engine_liquidation.c \
		tests/hs_fixture.c $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS)) \
		-lcriterion $(HOST_SIM_LDLIBS)

test-engine-liquidation: $(BUILD)/tests/test_engine_liquidation $(EL_TEST_INPUTS)
	$(BUILD)/tests/test_engine_liquidation --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-engine-liquidation-asan: $(BUILD)/tests-asan/test_engine_liquidation $(EL_TEST_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_engine_liquidation --jobs 2

HOST_TEST_TARGETS += test-engine-liquidation
HOST_ASAN_TARGETS += test-engine-liquidation-asan
.PHONY: test-engine-liquidation test-engine-liquidation-asan
