# tests/hostile.mk — the hostile-contract suite (tests/test_hostile.c): infinite loop, memory
# bomb, recursion, out-of-bounds, bad Regions, unknown import and huge keys against host-sim.
# The tests/wasm/hostile_*.wat fixtures are assembled by tests/wasm-check.mk's pattern rule.
HOSTILE_FIXTURES := $(patsubst tests/wasm/%.wat,build/tests/wasm/%.wasm,\
	$(wildcard tests/wasm/hostile_*.wat))

HOST_SIM_LIB_OBJS ?= $(filter-out build/obj/host-sim/main.o,$(HOST_SIM_OBJS))
HOST_SIM_TEST_LIBS ?= -lcriterion -ljansson $(HOST_SIM_LDLIBS)
HOST_TESTS += test_hostile
$(BUILD)/tests/test_hostile: tests/test_hostile.c $(HOST_SIM_LIB_OBJS) host-sim/include/hostsim.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost-sim/include -Ihost-sim/src -o $@ tests/test_hostile.c \
		$(HOST_SIM_LIB_OBJS) $(HOST_SIM_TEST_LIBS)

test-hostile: $(BUILD)/tests/test_hostile $(HOSTILE_FIXTURES)
	$(BUILD)/tests/test_hostile --jobs 2

HOST_TEST_TARGETS += test-hostile
.PHONY: test-hostile
