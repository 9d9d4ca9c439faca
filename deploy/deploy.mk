# deploy/deploy.mk — build rules for the deploy tool: the library objects other deploy code
# links (DEP_LIB_OBJS: manifest, units; plus host-sim's address codec) and build/bin/cdp-deploy.
# Included by tests/manifest.mk (the root Makefile includes tests/*.mk); `make` builds the tool.

DEP_CFLAGS := $(HOST_CFLAGS) -Ideploy/src -Ihost-sim/src
DEP_LDLIBS := -ljansson -lsodium
DEP_SRCS := $(sort $(wildcard deploy/src/*.c))
DEP_LIB_SRCS := $(filter-out deploy/src/main.c,$(DEP_SRCS)) host-sim/src/address.c
DEP_LIB_OBJS := $(patsubst deploy/src/%.c,$(BUILD)/obj/deploy/%.o,$(filter deploy/src/%,$(DEP_LIB_SRCS))) \
	$(BUILD)/obj/host-sim/address.o
DEP_HDRS := $(wildcard deploy/src/*.h) host-sim/src/address.h

$(BUILD)/obj/deploy/%.o: deploy/src/%.c $(DEP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -c $< -o $@

$(BUILD)/bin/cdp-deploy: $(BUILD)/obj/deploy/main.o $(DEP_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -o $@ $^ $(DEP_LDLIBS)

cdp-deploy: $(BUILD)/bin/cdp-deploy
all: $(BUILD)/bin/cdp-deploy
.PHONY: cdp-deploy
