# deploy/deploy.mk — build rules for the deploy tool: the manifest library (DEP_LIB_OBJS:
# manifest, units, messages; plus host-sim's address codec), the tool's own objects
# (DEP_TOOL_OBJS: target, records, plan, apply, proposals; they link host-sim's C API) and
# build/bin/cdp-deploy. Included by tests/manifest.mk and tests/deploy.mk (once).
ifndef DEP_MK_INCLUDED
DEP_MK_INCLUDED := 1

DEP_CFLAGS := $(HOST_CFLAGS) -Ideploy/src -Ihost-sim/src -Ihost-sim/include
DEP_LDLIBS := -ljansson -lsodium
DEP_LIB_NAMES := manifest manifest_hash manifest_msgs manifest_rules units
DEP_LIB_SRCS := $(patsubst %,deploy/src/%.c,$(DEP_LIB_NAMES)) host-sim/src/address.c
DEP_LIB_OBJS := $(patsubst %,$(BUILD)/obj/deploy/%.o,$(DEP_LIB_NAMES)) \
	$(BUILD)/obj/host-sim/address.o
DEP_TOOL_SRCS := $(filter-out deploy/src/main.c $(patsubst %,deploy/src/%.c,$(DEP_LIB_NAMES)),\
	$(sort $(wildcard deploy/src/*.c)))
DEP_TOOL_OBJS := $(patsubst deploy/src/%.c,$(BUILD)/obj/deploy/%.o,$(DEP_TOOL_SRCS))
DEP_HDRS := $(wildcard deploy/src/*.h) host-sim/src/address.h
# host-sim without its command line and without address.o (already in DEP_LIB_OBJS).
DEP_HOST_OBJS := $(filter-out build/obj/host-sim/main.o build/obj/host-sim/address.o,$(HOST_SIM_OBJS))
DEP_HOST_SRCS := $(filter-out host-sim/src/main.c host-sim/src/address.c,$(HOST_SIM_SRCS))

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
