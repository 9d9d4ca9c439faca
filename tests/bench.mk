# tests/bench.mk — `make bench`: host-sim transfer throughput (bench/bench_transfers.c, C API)
# against @oraichain/cw-simulate and raw @oraichain/cosmwasm-vm-js (bench/bench_js.mjs), with
# ratios, gas per transfer and store → first-execute latency. BENCH_N sets the transfer count.
BENCH_N ?= 2000
BENCH_ROUNDS ?= 5
HOST_SIM_LIB_OBJS ?= $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))

$(BUILD)/bin/bench_transfers: bench/bench_transfers.c bench/compile_floor.c bench/compile_floor.h \
		$(HOST_SIM_LIB_OBJS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost-sim/include -Ihost-sim/src -o $@ bench/bench_transfers.c \
		bench/compile_floor.c $(HOST_SIM_LIB_OBJS) \
		-ljansson $(HOST_SIM_LDLIBS)

bench: $(BUILD)/bin/bench_transfers $(BUILD)/contracts/stable_token.wasm | $(DEPS_STAMP)
	@mkdir -p $(BUILD)/bench
	@echo "bench: host-sim and the JavaScript engines, $(BENCH_ROUNDS) interleaved rounds..."
	$(BUILD)/bin/bench_transfers $(BENCH_N) $(BENCH_ROUNDS)

.PHONY: bench

# bench/bench_vault.c: gas per vault_engine borrow and repay (CosmWasm and SDK gas), a small
# table printed before the transfer benchmark. BENCH_VAULT_N positions per row.
BENCH_VAULT_N ?= 50
$(BUILD)/bin/bench_vault: bench/bench_vault.c $(HOST_SIM_LIB_OBJS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost-sim/include -o $@ bench/bench_vault.c $(HOST_SIM_LIB_OBJS) \
		$(HOST_SIM_LDLIBS)

bench-vault: $(BUILD)/bin/bench_vault $(BUILD)/contracts/vault_engine.wasm \
		$(BUILD)/contracts/stable_token.wasm $(BUILD)/contracts/oracle.wasm | $(DEPS_STAMP)
	@mkdir -p $(BUILD)/bench
	$(BUILD)/bin/bench_vault $(BENCH_VAULT_N)

bench: bench-vault
.PHONY: bench-vault

# bench/bench_liquidation_scale.c: 1,000 and 10,000 positions, a crash, one keeper clearing every
# liquidatable position (tests/cdp_scale.c); gas and wall time per liquidation for both sizes.
BENCH_SCALE_SIZES ?= 1000 10000
$(BUILD)/bin/bench_liquidation_scale: bench/bench_liquidation_scale.c tests/cdp_scale.c \
		tests/cdp_system.c tests/cdp_scale.h tests/cdp_system.h host-sim/include/hs_keeper.h \
		$(HOST_SIM_LIB_OBJS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost-sim/include -Itests -o $@ bench/bench_liquidation_scale.c \
		tests/cdp_scale.c tests/cdp_system.c $(HOST_SIM_LIB_OBJS) $(HOST_SIM_LDLIBS)

bench-liquidation-scale: $(BUILD)/bin/bench_liquidation_scale $(CONTRACT_WASMS) | $(DEPS_STAMP)
	$(BUILD)/bin/bench_liquidation_scale $(BENCH_SCALE_SIZES)

bench: bench-liquidation-scale
.PHONY: bench-liquidation-scale
