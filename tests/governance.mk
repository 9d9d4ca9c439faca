# tests/governance.mk — the governance timelock suite (tests/test_governance.c): the real .wasm of
# governance, vault_engine, the relay stand-in, cw20-base, cw4-group and cw3-flex-multisig on
# the host simulator; plus its ASan/UBSan variant. Included by the root Makefile.

SIZE_BUDGET_governance := 36864

# The contract's SHA-256 natively against libsodium (an SDK-style suite: tests/test_governance_sha256.c).
TEST_SRCS_test_governance_sha256 := contracts/governance/sha256.c
TEST_LIBS_test_governance_sha256 := -lsodium

GV_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
GV_TEST_SRCS := $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS))
GV_TEST_LIBS := -lcriterion -ljansson $(HOST_SIM_LDLIBS)
GV_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src
GV_TEST_INPUTS := $(BUILD)/contracts/governance.wasm $(BUILD)/contracts/vault_engine.wasm \
	$(BUILD)/test-contracts/relay.wasm

HOST_TESTS += test_governance

$(BUILD)/tests/test_governance: tests/test_governance.c tests/hs_fixture.c \
		tests/hs_fixture.h $(GV_TEST_OBJS) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(GV_TEST_DEFS) -o $@ tests/test_governance.c \
		tests/hs_fixture.c $(GV_TEST_OBJS) \
		$(GV_TEST_LIBS)

$(BUILD)/tests-asan/test_governance: tests/test_governance.c tests/hs_fixture.c \
		tests/hs_fixture.h $(GV_TEST_SRCS) \
		$(wildcard host-sim/src/*.h) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(GV_TEST_DEFS) -o $@ tests/test_governance.c \
		tests/hs_fixture.c \
		$(GV_TEST_SRCS) $(GV_TEST_LIBS)

test-governance: $(BUILD)/tests/test_governance $(GV_TEST_INPUTS)
	$(BUILD)/tests/test_governance --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-governance-asan: $(BUILD)/tests-asan/test_governance $(GV_TEST_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_governance --jobs 2

HOST_TEST_TARGETS += test-governance
HOST_ASAN_TARGETS += test-governance-asan
.PHONY: test-governance test-governance-asan
