# deploy/demo.mk — build rules of the `make demo` stress program (deploy/demo/*.c →
# build/bin/ballast-demo): links deploy's DEP_LIB_OBJS (manifest, messages) and host-sim's library
# objects (chain, keeper agent). Included by tests/stress_demo.mk, after deploy/deploy.mk.

DEMO_SRCS := $(sort $(wildcard deploy/demo/*.c))
DEMO_OBJS := $(patsubst deploy/demo/%.c,$(BUILD)/obj/demo/%.o,$(DEMO_SRCS))
DEMO_HDRS := $(wildcard deploy/demo/*.h) $(DEP_HDRS) host-sim/include/hostsim.h \
	host-sim/include/hs_keeper.h
DEMO_CFLAGS := $(DEP_CFLAGS) -Ihost-sim/include -Ideploy/demo
DEMO_HOST_OBJS := $(DEP_HOST_OBJS)
DEMO_BIN := $(BUILD)/bin/ballast-demo
# The contracts the demo deploys (deploy/networks/local.json's "contracts").
DEMO_INPUTS := $(BUILD)/contracts/governance.wasm $(BUILD)/contracts/oracle.wasm \
	$(BUILD)/contracts/stable_token.wasm $(BUILD)/contracts/vault_engine.wasm \
	$(BUILD)/contracts/backstop_pool.wasm $(BUILD)/contracts/liquidator.wasm \
	$(BUILD)/contracts/settlement.wasm

$(BUILD)/obj/demo/%.o: deploy/demo/%.c $(DEMO_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEMO_CFLAGS) -c $< -o $@

$(DEMO_BIN): $(DEMO_OBJS) $(DEP_LIB_OBJS) $(DEMO_HOST_OBJS)
	@mkdir -p $(@D)
	$(CC) $(DEMO_CFLAGS) -o $@ $^ $(HOST_SIM_LDLIBS)

all: $(DEMO_BIN)
