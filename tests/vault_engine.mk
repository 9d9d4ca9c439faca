# tests/vault_engine.mk — the vault engine suite (tests/test_vault_engine.c): the real .wasm of
# vault_engine, stable_token, oracle and cw20-base on the host simulator; plus its ASan/UBSan
# variant (host-sim sources rebuilt with sanitizers). Included by the root Makefile.

VE_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
VE_TEST_SRCS := $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS))
VE_TEST_LIBS := -lcriterion -lgmp $(HOST_SIM_LDLIBS)
VE_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src
VE_TEST_INPUTS := $(BUILD)/contracts/vault_engine.wasm $(BUILD)/contracts/stable_token.wasm \
	$(BUILD)/contracts/oracle.wasm

HOST_TESTS += test_vault_engine

$(BUILD)/tests/test_vault_engine: tests/test_vault_engine.c tests/hs_fixture.c \
		tests/hs_fixture.h $(VE_TEST_OBJS) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(VE_TEST_DEFS) -o $@ tests/test_vault_engine.c \
		tests/hs_fixture.c $(VE_TEST_OBJS) \
		$(VE_TEST_LIBS)

$(BUILD)/tests-asan/test_vault_engine: tests/test_vault_engine.c tests/hs_fixture.c \
		tests/hs_fixture.h $(VE_TEST_SRCS) \
		$(wildcard host-sim/src/*.h) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(VE_TEST_DEFS) -o $@ tests/test_vault_engine.c \
		tests/hs_fixture.c \
		$(VE_TEST_SRCS) $(VE_TEST_LIBS)

test-vault-engine: $(BUILD)/tests/test_vault_engine $(VE_TEST_INPUTS)
	$(BUILD)/tests/test_vault_engine --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-vault-engine-asan: $(BUILD)/tests-asan/test_vault_engine $(VE_TEST_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_vault_engine --jobs 2

HOST_TEST_TARGETS += test-vault-engine
HOST_ASAN_TARGETS += test-vault-engine-asan
.PHONY: test-vault-engine test-vault-engine-asan
