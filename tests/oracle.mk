# tests/oracle.mk — the oracle suite (tests/test_oracle.c): contracts/oracle's real .wasm on the
# host simulator through hostsim.h, plus its ASan/UBSan variant. Included by the root Makefile;
# reuses CHAIN_TEST_OBJS/SRCS/LIBS from tests/chain.mk.

ORACLE_TEST_DEFS := -Ihost-sim/include -Ihost-sim/src

HOST_TESTS += test_oracle

$(BUILD)/tests/test_oracle: tests/test_oracle.c $(CHAIN_TEST_OBJS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(ORACLE_TEST_DEFS) -o $@ tests/test_oracle.c $(CHAIN_TEST_OBJS) \
		$(CHAIN_TEST_LIBS)

$(BUILD)/tests-asan/test_oracle: tests/test_oracle.c $(CHAIN_TEST_SRCS) \
		$(wildcard host-sim/src/*.h) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(ORACLE_TEST_DEFS) -o $@ tests/test_oracle.c \
		$(CHAIN_TEST_SRCS) $(CHAIN_TEST_LIBS)

test-oracle: $(BUILD)/tests/test_oracle $(BUILD)/contracts/oracle.wasm
	$(BUILD)/tests/test_oracle --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-oracle-asan: $(BUILD)/tests-asan/test_oracle $(BUILD)/contracts/oracle.wasm
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_oracle --jobs 2

HOST_TEST_TARGETS += test-oracle
HOST_ASAN_TARGETS += test-oracle-asan
.PHONY: test-oracle test-oracle-asan
