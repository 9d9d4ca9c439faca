# tests/engine.mk — build and run rules for the engine and gas-metering suites
# (tests/test_engine.c, tests/test_gas_inject.c); included by the root Makefile. Fixtures
# tests/wasm/engine_*.wat are assembled by tests/wasm-check.mk's pattern rule.
ENGINE_FIXTURES := $(patsubst tests/wasm/%.wat,build/tests/wasm/%.wasm,\
	$(wildcard tests/wasm/engine_*.wat))
# The engine layer only: parser, writer, gas injector, engine.
ENGINE_SRCS := host-sim/src/engine.c host-sim/src/w2c_units.c host-sim/src/gas_inject.c \
	host-sim/src/wasm_write.c host-sim/src/wasm_parse.c host-sim/src/errbuf.c
ENGINE_OBJS := $(patsubst host-sim/src/%.c,build/obj/host-sim/%.o,$(ENGINE_SRCS))
ENGINE_HDRS := host-sim/src/engine.h host-sim/src/gas_inject.h host-sim/src/wasm_write.h \
	host-sim/src/wasm_parse.h host-sim/src/w2c_units.h
ENGINE_LIBS := -lcriterion -ltcc -ldl -lpthread -lm
ENGINE_TEST_DEFS := -Ihost-sim/src -DHS_TEST_WASM_DIR='"build/tests/wasm"'
ENGINE_TESTS := test_engine test_gas_inject
HOST_TESTS += $(ENGINE_TESTS)

define engine_test_rules
$(BUILD)/tests/$(1): tests/$(1).c $(ENGINE_OBJS) $(ENGINE_HDRS) | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(CC) $(HOST_CFLAGS) $(ENGINE_TEST_DEFS) -o $$@ tests/$(1).c $(ENGINE_OBJS) $(ENGINE_LIBS)
$(BUILD)/tests-asan/$(1): tests/$(1).c $(ENGINE_SRCS) $(ENGINE_HDRS) | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(CC) $(HOST_CFLAGS) -O1 $(SANITIZE) $(ENGINE_TEST_DEFS) -o $$@ tests/$(1).c $(ENGINE_SRCS) \
		$(ENGINE_LIBS)
endef
$(foreach t,$(ENGINE_TESTS),$(eval $(call engine_test_rules,$(t))))

test-engine: $(ENGINE_TESTS:%=$(BUILD)/tests/%) $(ENGINE_FIXTURES)
	@set -e; for t in $(ENGINE_TESTS); do echo "== $$t"; $(BUILD)/tests/$$t --jobs 2; done
test-engine-asan: $(ENGINE_TESTS:%=$(BUILD)/tests-asan/%) $(ENGINE_FIXTURES)
	@set -e; for t in $(ENGINE_TESTS); do echo "== $$t (asan+ubsan)"; \
		$(BUILD)/tests-asan/$$t --jobs 2; done

HOST_TEST_TARGETS += test-engine
HOST_ASAN_TARGETS += test-engine-asan
.PHONY: test-engine test-engine-asan

# Compile and run times on cw20-base (node_modules from the npm lock): make bench-engine.
$(BUILD)/tests/bench_engine: tests/bench_engine.c $(ENGINE_OBJS) $(ENGINE_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(ENGINE_TEST_DEFS) -o $@ tests/bench_engine.c $(ENGINE_OBJS) \
		-ltcc -ldl -lpthread -lm
bench-engine: $(BUILD)/tests/bench_engine
	$<
.PHONY: bench-engine
