# tests/vault_random.mk — the randomized vault engine sequence (tests/test_vault_random.c): fixed
# seed, thousands of steps on the real .wasm, every invariant checked after every step; also the
# contracts/README.md worked example. Included by the root Makefile (after vault_engine.mk).

VR_TEST_OBJS := $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
VR_TEST_INPUTS := $(BUILD)/contracts/vault_engine.wasm $(BUILD)/contracts/stable_token.wasm \
	$(BUILD)/contracts/oracle.wasm

HOST_TESTS += test_vault_random

$(BUILD)/tests/test_vault_random: tests/test_vault_random.c $(VR_TEST_OBJS) \
		host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost-sim/include -o $@ tests/test_vault_random.c $(VR_TEST_OBJS) \
		-lcriterion -lgmp $(HOST_SIM_LDLIBS)

# VAULT_RANDOM_STEPS=N runs a longer (or shorter) sequence with the same seed.
test-vault-random: $(BUILD)/tests/test_vault_random $(VR_TEST_INPUTS)
	$(BUILD)/tests/test_vault_random --jobs 2

HOST_TEST_TARGETS += test-vault-random
.PHONY: test-vault-random
