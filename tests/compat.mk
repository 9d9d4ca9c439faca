# tests/compat.mk — the compatibility suite (tests/test_compat.c): cw20-base, cw4-group and
# cw3-flex-multisig unchanged from npm next to our stable_token, and the `host-sim run` scripts
# in tests/scripts/; also builds the test-only receiver contract (tests/contracts/receiver/).


# Every host-sim object except the CLI's main(): the chain library the C tests link.
HOST_SIM_LIB_OBJS ?= $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
HOST_SIM_TEST_LIBS ?= -lcriterion -ljansson $(HOST_SIM_LDLIBS)
CW_PLUS_DIR := node_modules/@oraichain/common-contracts-build/data

# --- Test contracts: tests/contracts/<name>/*.c → build/test-contracts/<name>.wasm -----------
TEST_CONTRACTS := receiver sdk_probe relay
define test_contract_rules
$(BUILD)/obj/wasm/tests/contracts/$(1)/%.o: tests/contracts/$(1)/%.c $(SDK_HDRS) | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(WASM_CC) $(WASM_CFLAGS) -c $$< -o $$@
$(BUILD)/test-contracts/$(1).raw.wasm: $$(patsubst %.c,$(BUILD)/obj/wasm/%.o,$$(wildcard tests/contracts/$(1)/*.c)) $(SDK_WASM_OBJS)
	@mkdir -p $$(dir $$@)
	$(WASM_LD) $(WASM_LDFLAGS) $$^ $(WASM_BUILTINS) -o $$@
$(BUILD)/test-contracts/$(1).wasm: $(BUILD)/test-contracts/$(1).raw.wasm $(BUILD)/bin/host-sim
	$(WASM_OPT) $(WASM_OPT_FLAGS) $$< -o $$@
	$(BUILD)/bin/host-sim check $$@
endef
$(foreach c,$(TEST_CONTRACTS),$(eval $(call test_contract_rules,$(c))))
TEST_CONTRACT_WASMS := $(TEST_CONTRACTS:%=$(BUILD)/test-contracts/%.wasm)

# --- The suite ----------------------------------------------------------------------------
HOST_TESTS += test_compat
$(BUILD)/tests/test_compat: tests/test_compat.c $(HOST_SIM_LIB_OBJS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost-sim/include -Ihost-sim/src -o $@ tests/test_compat.c \
		$(HOST_SIM_LIB_OBJS) $(HOST_SIM_TEST_LIBS)

test-compat: $(BUILD)/tests/test_compat $(BUILD)/bin/host-sim $(CONTRACT_WASMS) \
		$(TEST_CONTRACT_WASMS) | $(DEPS_STAMP)
	$(BUILD)/tests/test_compat --jobs 2

HOST_TEST_TARGETS += test-compat
.PHONY: test-compat
