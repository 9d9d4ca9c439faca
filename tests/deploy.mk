# tests/deploy.mk — the deploy tool's suite (tests/test_deploy.c: plan/apply/resume/
# idempotence, records, proposals and execute on a host-sim devnet in a temp dir) and its
# ASan/UBSan variant. Included by the root Makefile.

include deploy/deploy.mk

HOST_TESTS += test_deploy
DEPLOY_TEST_INPUTS := $(BUILD)/contracts/governance.wasm $(BUILD)/contracts/oracle.wasm \
	$(BUILD)/contracts/stable_token.wasm $(BUILD)/contracts/vault_engine.wasm \
	$(BUILD)/contracts/backstop_pool.wasm $(BUILD)/contracts/liquidator.wasm \
	$(BUILD)/contracts/settlement.wasm

$(BUILD)/tests/test_deploy: tests/test_deploy.c $(DEP_TOOL_OBJS) $(DEP_LIB_OBJS) $(DEP_HOST_OBJS) \
		$(DEP_HDRS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -o $@ tests/test_deploy.c $(DEP_TOOL_OBJS) $(DEP_LIB_OBJS) \
		$(DEP_HOST_OBJS) -lcriterion $(HOST_SIM_LDLIBS)

$(BUILD)/tests-asan/test_deploy: tests/test_deploy.c $(DEP_TOOL_SRCS) $(DEP_LIB_SRCS) \
		$(DEP_HOST_SRCS) $(DEP_HDRS) $(wildcard host-sim/src/*.h) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -O1 $(SANITIZE) -o $@ tests/test_deploy.c $(DEP_TOOL_SRCS) \
		$(DEP_LIB_SRCS) $(DEP_HOST_SRCS) -lcriterion $(HOST_SIM_LDLIBS)

test-deploy: $(BUILD)/tests/test_deploy $(BUILD)/bin/cdp-deploy $(DEPLOY_TEST_INPUTS)
	$(BUILD)/tests/test_deploy --jobs 2

# The engine catches guest faults with its own SIGSEGV handler: ASan must leave it installed.
test-deploy-asan: $(BUILD)/tests-asan/test_deploy $(DEPLOY_TEST_INPUTS)
	ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/tests-asan/test_deploy --jobs 2

HOST_TEST_TARGETS += test-deploy
HOST_ASAN_TARGETS += test-deploy-asan
.PHONY: test-deploy test-deploy-asan
