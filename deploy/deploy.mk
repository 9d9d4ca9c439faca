# deploy/deploy.mk — build rules for the deploy tool: the manifest library (DEP_LIB_OBJS:
# manifest, units, messages; plus host-sim's address codec and amount text), the tool's own objects
# (DEP_TOOL_OBJS: target, records, plan, apply, proposals; they link host-sim's C API) and
# build/bin/cdp-deploy. Included by tests/manifest.mk and tests/deploy.mk (once).
ifndef DEP_MK_INCLUDED
DEP_MK_INCLUDED := 1

DEP_CFLAGS := $(HOST_CFLAGS) -Ideploy/src -Ihost-sim/src -Ihost-sim/include
DEP_LDLIBS := -ljansson -lsodium
DEP_LIB_NAMES := manifest manifest_hash manifest_msgs manifest_rules units
# host-sim files the manifest library needs without the rest of host-sim.
DEP_SHARED := address u128_text
DEP_LIB_SRCS := $(patsubst %,deploy/src/%.c,$(DEP_LIB_NAMES)) $(DEP_SHARED:%=host-sim/src/%.c)
DEP_LIB_OBJS := $(patsubst %,$(BUILD)/obj/deploy/%.o,$(DEP_LIB_NAMES)) \
	$(DEP_SHARED:%=$(BUILD)/obj/host-sim/%.o)
DEP_TOOL_SRCS := $(filter-out deploy/src/main.c $(patsubst %,deploy/src/%.c,$(DEP_LIB_NAMES)),\
	$(sort $(wildcard deploy/src/*.c)))
DEP_TOOL_OBJS := $(patsubst deploy/src/%.c,$(BUILD)/obj/deploy/%.o,$(DEP_TOOL_SRCS))
DEP_HDRS := $(wildcard deploy/src/*.h) host-sim/src/address.h host-sim/include/hs_u128.h
# host-sim without its command line and without DEP_SHARED (already in DEP_LIB_OBJS).
DEP_HOST_OBJS := $(filter-out $(BUILD)/obj/host-sim/main.o $(DEP_SHARED:%=$(BUILD)/obj/host-sim/%.o),\
	$(HOST_SIM_OBJS))
DEP_HOST_SRCS := $(filter-out host-sim/src/main.c $(DEP_SHARED:%=host-sim/src/%.c),$(HOST_SIM_SRCS))

$(BUILD)/obj/deploy/%.o: deploy/src/%.c $(DEP_HDRS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -c $< -o $@

$(BUILD)/bin/cdp-deploy: $(BUILD)/obj/deploy/main.o $(DEP_TOOL_OBJS) $(DEP_LIB_OBJS) $(DEP_HOST_OBJS)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -o $@ $^ $(HOST_SIM_LDLIBS)

cdp-deploy: $(BUILD)/bin/cdp-deploy
all: $(BUILD)/bin/cdp-deploy
.PHONY: cdp-deploy
endif
