# tests/chain.mk — the chain suite (tests/test_chain.c): hostsim.h end to end with our
# stable_token, cw20-base from npm and the scriptable tests/wasm/chain_*.wat contracts; plus its
# ASan/UBSan variant (host-sim sources rebuilt with sanitizers). Included by the root Makefile.

CHAIN_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
CHAIN_TEST_SRCS := $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS))
CHAIN_TEST_LIBS := -lcriterion $(HOST_SIM_LDLIBS)
CHAIN_TEST_WASMS := $(patsubst tests/wasm/%.wat,build/tests/wasm/%.wasm,\
	$(wildcard tests/wasm/chain_*.wat))
CHAIN_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src -DHS_TEST_WASM_DIR='"build/tests/wasm"'

HOST_TESTS += test_chain

$(BUILD)/tests/test_chain: tests/test_chain.c $(CHAIN_TEST_OBJS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(CHAIN_TEST_DEFS) -o $@ tests/test_chain.c $(CHAIN_TEST_OBJS) \
		$(CHAIN_TEST_LIBS)

$(BUILD)/tests-asan/test_chain: tests/test_chain.c $(CHAIN_TEST_SRCS) $(wildcard host-sim/src/*.h) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(CHAIN_TEST_DEFS) -o $@ tests/test_chain.c \
		$(CHAIN_TEST_SRCS) $(CHAIN_TEST_LIBS)

CHAIN_TEST_INPUTS := $(CHAIN_TEST_WASMS) $(BUILD)/contracts/stable_token.wasm \
	build/tests/wasm/float_op.wasm

test-chain: $(BUILD)/tests/test_chain $(CHAIN_TEST_INPUTS)
	$(BUILD)/tests/test_chain --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-chain-asan: $(BUILD)/tests-asan/test_chain $(CHAIN_TEST_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_chain --jobs 2

HOST_TEST_TARGETS += test-chain
HOST_ASAN_TARGETS += test-chain-asan
.PHONY: test-chain test-chain-asan
