# tests/solvency_random.mk — the randomized solvency test (tests/test_solvency_random.c): fixed
# seeds of user actions, price moves and keepers on the whole CDP system, invariants after every
# step; plus its ASan/UBSan variant. Included by the root Makefile.

SOLV_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
SOLV_TEST_SRCS := $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS))
SOLV_TEST_LIBS := -lcriterion $(HOST_SIM_LDLIBS)
SOLV_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src -Itests
SOLV_TEST_HDRS := host-sim/include/hostsim.h host-sim/include/hs_keeper.h tests/cdp_system.h

HOST_TESTS += test_solvency_random

$(BUILD)/tests/test_solvency_random: tests/test_solvency_random.c tests/cdp_system.c \
		$(SOLV_TEST_OBJS) $(SOLV_TEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SOLV_TEST_DEFS) -o $@ tests/test_solvency_random.c tests/cdp_system.c \
		$(SOLV_TEST_OBJS) $(SOLV_TEST_LIBS)

$(BUILD)/tests-asan/test_solvency_random: tests/test_solvency_random.c tests/cdp_system.c \
		$(SOLV_TEST_SRCS) $(wildcard host-sim/src/*.h) $(SOLV_TEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(SOLV_TEST_DEFS) -o $@ tests/test_solvency_random.c \
		tests/cdp_system.c $(SOLV_TEST_SRCS) $(SOLV_TEST_LIBS)

test-solvency-random: $(BUILD)/tests/test_solvency_random $(CONTRACT_WASMS)
	$(BUILD)/tests/test_solvency_random --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-solvency-random-asan: $(BUILD)/tests-asan/test_solvency_random $(CONTRACT_WASMS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_solvency_random --jobs 2

HOST_TEST_TARGETS += test-solvency-random
HOST_ASAN_TARGETS += test-solvency-random-asan
.PHONY: test-solvency-random test-solvency-random-asan
