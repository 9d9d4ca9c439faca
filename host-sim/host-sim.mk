# host-sim/host-sim.mk — build rules for build/bin/host-sim, included by the root Makefile.
# Every host-sim/src/*.c is compiled to build/obj/host-sim/*.o and linked into one binary.

ifeq ($(origin CC),default)
CC := gcc
endif
HOST_CFLAGS ?= -std=c11 -O2 -g -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
# Extra link libraries for host-sim (later layers append, e.g. -ldl -ltcc -lsqlite3).
HOST_SIM_LDLIBS ?=

HOST_SIM_SRCS := $(wildcard host-sim/src/*.c)
HOST_SIM_OBJS := $(patsubst host-sim/src/%.c,build/obj/host-sim/%.o,$(HOST_SIM_SRCS))
HOST_SIM_INCLUDES := -Ihost-sim/src -Ihost-sim/include

.PHONY: host-sim
host-sim: build/bin/host-sim

build/bin/host-sim: $(HOST_SIM_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $(HOST_SIM_OBJS) $(HOST_SIM_LDLIBS)

build/obj/host-sim/%.o: host-sim/src/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_SIM_INCLUDES) -MMD -MP -c $< -o $@

-include $(HOST_SIM_OBJS:.o=.d)
