# tests/sdk_wasm.mk — the SDK-inside-wasm suite (tests/test_sdk_wasm.c): the test-only contract
# tests/contracts/sdk_probe runs SDK calls on host-sim and, compiled natively into the test with the
# native SDK objects and the mock, in-process; answers must be byte-equal and match exact literals
# or GMP. Included by the root Makefile (after compat.mk, which builds the contract).

SDK_WASM_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS)) $(SDK_NATIVE_OBJS)
SDK_WASM_TEST_SRCS := tests/test_sdk_wasm.c tests/contracts/sdk_probe/contract.c

HOST_TESTS += test_sdk_wasm

$(BUILD)/tests/test_sdk_wasm: $(SDK_WASM_TEST_SRCS) $(SDK_WASM_TEST_OBJS) $(SDK_HDRS) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Isdk/include -Isdk/mock -Ihost-sim/include -o $@ $(SDK_WASM_TEST_SRCS) \
		$(SDK_WASM_TEST_OBJS) -lcriterion -lgmp $(HOST_SIM_LDLIBS)

test-sdk-wasm: $(BUILD)/tests/test_sdk_wasm $(BUILD)/test-contracts/sdk_probe.wasm
	$(BUILD)/tests/test_sdk_wasm --jobs 2

HOST_TEST_TARGETS += test-sdk-wasm
.PHONY: test-sdk-wasm
