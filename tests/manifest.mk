# tests/manifest.mk — the deploy manifest suite (tests/test_manifest.c: units, every validation
# rule with its text, the shipped networks, the canonical hash) and its ASan/UBSan variant.
# Also brings in the deploy tool's build rules. Included by the root Makefile.

include deploy/deploy.mk

HOST_TESTS += test_manifest

$(BUILD)/tests/test_manifest: tests/test_manifest.c $(DEP_LIB_OBJS) $(DEP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -o $@ tests/test_manifest.c $(DEP_LIB_OBJS) -lcriterion $(DEP_LDLIBS)

$(BUILD)/tests-asan/test_manifest: tests/test_manifest.c $(DEP_LIB_SRCS) $(DEP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -O1 $(SANITIZE) -o $@ tests/test_manifest.c $(DEP_LIB_SRCS) \
		-lcriterion $(DEP_LDLIBS)

test-manifest: $(BUILD)/tests/test_manifest $(BUILD)/bin/cdp-deploy
	$(BUILD)/tests/test_manifest --jobs 2

test-manifest-asan: $(BUILD)/tests-asan/test_manifest $(BUILD)/bin/cdp-deploy
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(BUILD)/tests-asan/test_manifest --jobs 2

# The on-chain forms against the real contracts on host-sim (tests/test_manifest_chain.c).
MC_HOST_OBJS := $(DEP_HOST_OBJS)
MC_HOST_SRCS := $(DEP_HOST_SRCS)
MC_DEFS := $(DEP_CFLAGS) -Ihost-sim/include
MC_LIBS := -lcriterion $(HOST_SIM_LDLIBS)
MC_INPUTS := $(BUILD)/contracts/governance.wasm $(BUILD)/contracts/oracle.wasm \
	$(BUILD)/contracts/stable_token.wasm $(BUILD)/contracts/vault_engine.wasm \
	$(BUILD)/contracts/backstop_pool.wasm $(BUILD)/contracts/liquidator.wasm

HOST_TESTS += test_manifest_chain

$(BUILD)/tests/test_manifest_chain: tests/test_manifest_chain.c $(DEP_LIB_OBJS) $(MC_HOST_OBJS) \
		$(DEP_HDRS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(MC_DEFS) -o $@ tests/test_manifest_chain.c $(DEP_LIB_OBJS) $(MC_HOST_OBJS) $(MC_LIBS)

$(BUILD)/tests-asan/test_manifest_chain: tests/test_manifest_chain.c $(DEP_LIB_SRCS) \
		$(MC_HOST_SRCS) $(DEP_HDRS) $(wildcard host-sim/src/*.h) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(MC_DEFS) -O1 $(SANITIZE) -o $@ tests/test_manifest_chain.c $(DEP_LIB_SRCS) \
		$(MC_HOST_SRCS) $(MC_LIBS)

test-manifest-chain: $(BUILD)/tests/test_manifest_chain $(MC_INPUTS)
	$(BUILD)/tests/test_manifest_chain --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-manifest-chain-asan: $(BUILD)/tests-asan/test_manifest_chain $(MC_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_manifest_chain --jobs 2

HOST_TEST_TARGETS += test-manifest test-manifest-chain
HOST_ASAN_TARGETS += test-manifest-asan test-manifest-chain-asan
.PHONY: test-manifest test-manifest-asan test-manifest-chain test-manifest-chain-asan
