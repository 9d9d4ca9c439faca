# tests/backstop_pool.mk — the backstop pool suite (tests/test_backstop_pool.c): the real .wasm of
# backstop_pool and stable_token, cw20-base and the relay stand-in on the host simulator, with
# GMP models; plus its ASan/UBSan variant. Also the pool's size budget. Included by the Makefile.

SIZE_BUDGET_backstop_pool := 45056

BP_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
BP_TEST_SRCS := $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS))
BP_TEST_LIBS := -lcriterion -lgmp -ljansson $(HOST_SIM_LDLIBS)
BP_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src
BP_TEST_INPUTS := $(BUILD)/contracts/backstop_pool.wasm $(BUILD)/contracts/stable_token.wasm \
	$(BUILD)/test-contracts/relay.wasm

HOST_TESTS += test_backstop_pool

$(BUILD)/tests/test_backstop_pool: tests/test_backstop_pool.c tests/hs_fixture.c \
		tests/hs_fixture.h $(BP_TEST_OBJS) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(BP_TEST_DEFS) -o $@ tests/test_backstop_pool.c \
		tests/hs_fixture.c $(BP_TEST_OBJS) \
		$(BP_TEST_LIBS)

$(BUILD)/tests-asan/test_backstop_pool: tests/test_backstop_pool.c tests/hs_fixture.c \
		tests/hs_fixture.h $(BP_TEST_SRCS) \
		$(wildcard host-sim/src/*.h) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(BP_TEST_DEFS) -o $@ tests/test_backstop_pool.c \
		tests/hs_fixture.c \
		$(BP_TEST_SRCS) $(BP_TEST_LIBS)

test-backstop-pool: $(BUILD)/tests/test_backstop_pool $(BP_TEST_INPUTS)
	$(BUILD)/tests/test_backstop_pool --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-backstop-pool-asan: $(BUILD)/tests-asan/test_backstop_pool $(BP_TEST_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_backstop_pool --jobs 2

HOST_TEST_TARGETS += test-backstop-pool
HOST_ASAN_TARGETS += test-backstop-pool-asan
.PHONY: test-backstop-pool test-backstop-pool-asan
