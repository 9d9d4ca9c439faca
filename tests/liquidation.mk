# tests/liquidation.mk — the liquidation scenarios (tests/test_liquidation.c): the whole CDP system
# (tests/cdp_system.c) with the keeper agent on the host simulator; plus its ASan/UBSan variant.
# Included by the root Makefile.

LIQ_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
LIQ_TEST_SRCS := $(filter-out host-sim/src/main.c,$(HOST_SIM_SRCS))
LIQ_TEST_LIBS := -lcriterion $(HOST_SIM_LDLIBS)
LIQ_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src -Itests
LIQ_TEST_HDRS := host-sim/include/hostsim.h host-sim/include/hs_keeper.h tests/cdp_system.h \
	tests/cdp_scale.h

HOST_TESTS += test_liquidation

LIQ_TEST_C := tests/test_liquidation.c tests/cdp_system.c tests/cdp_scale.c

$(BUILD)/tests/test_liquidation: $(LIQ_TEST_C) $(LIQ_TEST_OBJS) $(LIQ_TEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(LIQ_TEST_DEFS) -o $@ $(LIQ_TEST_C) $(LIQ_TEST_OBJS) $(LIQ_TEST_LIBS)

$(BUILD)/tests-asan/test_liquidation: $(LIQ_TEST_C) $(LIQ_TEST_SRCS) $(wildcard host-sim/src/*.h) \
		$(LIQ_TEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(LIQ_TEST_DEFS) -o $@ $(LIQ_TEST_C) $(LIQ_TEST_SRCS) \
		$(LIQ_TEST_LIBS)

test-liquidation: $(BUILD)/tests/test_liquidation $(CONTRACT_WASMS)
	$(BUILD)/tests/test_liquidation --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-liquidation-asan: $(BUILD)/tests-asan/test_liquidation $(CONTRACT_WASMS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_liquidation --jobs 2

HOST_TEST_TARGETS += test-liquidation
HOST_ASAN_TARGETS += test-liquidation-asan
.PHONY: test-liquidation test-liquidation-asan
