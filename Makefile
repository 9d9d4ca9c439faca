# Ballast build: SDK + contracts to wasm32, host tools, Criterion tests. See README.md.
# `make` builds everything, `make test` runs every test, `make demo` is the main job.
SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

BUILD := build
CC := gcc
WASM_CC := clang
WASM_OPT := wasm-opt
# The CosmWasm feature set: MVP + sign-ext + mutable-globals; nothing else, no floats used.
WASM_FEATURES := -mcpu=mvp -msign-ext -mmutable-globals
WASM_CFLAGS := --target=wasm32 $(WASM_FEATURES) -std=c11 -ffreestanding -nostdlib -Oz \
  -Wall -Wextra -Werror -Isdk/include -fno-exceptions -ffunction-sections -fdata-sections \
  -ffile-prefix-map=$(CURDIR)=. -flto
# Linked with wasm-ld directly: clang's driver would run wasm-opt itself with no features.
WASM_LD := wasm-ld
WASM_LDFLAGS := --no-entry --gc-sections --strip-all -z stack-size=65536 --lto-O2
WASM_BUILTINS := $(shell $(WASM_CC) --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null)
# Memory below --global-base (1024) is never used and starts zeroed (fresh instance per call).
# Passes run in command-line order: strip first, then a second -Oz round after --flatten
# --rereloop, which rebuilds the control flow smaller (~300 bytes).
WASM_OPT_FLAGS := --strip-debug --strip-producers -Oz --flatten --rereloop -Oz --converge \
  --low-memory-unused --zero-filled-memory --mvp-features --enable-sign-ext --enable-mutable-globals

HOST_CFLAGS ?= -std=c11 -O2 -g -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
NATIVE_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Isdk/include
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

HOST_SIM_BIN ?= $(BUILD)/bin/host-sim

# --- Dependencies (Debian packages, npm lock file) -----------------------------------------
DEPS_STAMP := $(BUILD)/.deps-installed
$(DEPS_STAMP): scripts/install-deps.sh $(wildcard package-lock.json)
	@mkdir -p $(BUILD)
	@bash scripts/install-deps.sh
	@touch $@
deps: $(DEPS_STAMP)

# --- SDK ------------------------------------------------------------------------------------
SDK_SRCS := $(sort $(wildcard sdk/src/*.c))
SDK_HDRS := $(wildcard sdk/include/*.h sdk/src/*.h sdk/mock/*.h)
MOCK_SRCS := $(sort $(wildcard sdk/mock/*.c))
SDK_WASM_OBJS := $(SDK_SRCS:%.c=$(BUILD)/obj/wasm/%.o)
SDK_NATIVE_OBJS := $(SDK_SRCS:%.c=$(BUILD)/obj/native/%.o) $(MOCK_SRCS:%.c=$(BUILD)/obj/native/%.o)
SDK_ASAN_OBJS := $(SDK_NATIVE_OBJS:$(BUILD)/obj/native/%=$(BUILD)/obj/asan/%)

$(BUILD)/obj/wasm/%.o: %.c $(SDK_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WASM_CFLAGS) -c $< -o $@
$(BUILD)/obj/native/%.o: %.c $(SDK_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(NATIVE_CFLAGS) -Isdk/mock -c $< -o $@
$(BUILD)/obj/asan/%.o: %.c $(SDK_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(NATIVE_CFLAGS) $(SANITIZE) -Isdk/mock -c $< -o $@

# --- Contracts: contracts/<name>/*.c → build/contracts/<name>.wasm --------------------------
CONTRACTS := $(notdir $(patsubst %/,%,$(dir $(wildcard contracts/*/*.c))))
CONTRACTS := $(sort $(CONTRACTS))
CONTRACT_WASMS := $(CONTRACTS:%=$(BUILD)/contracts/%.wasm)

define contract_rules
$(1)_SRCS := $$(sort $$(wildcard contracts/$(1)/*.c))
$(BUILD)/contracts/$(1).raw.wasm: $$($(1)_SRCS:%.c=$(BUILD)/obj/wasm/%.o) $(SDK_WASM_OBJS)
	@mkdir -p $$(dir $$@)
	$(WASM_LD) $(WASM_LDFLAGS) $$^ $(WASM_BUILTINS) -o $$@
$(BUILD)/contracts/$(1).wasm: $(BUILD)/contracts/$(1).raw.wasm $(HOST_SIM_BIN)
	$(WASM_OPT) $(WASM_OPT_FLAGS) $$< -o $$@
	$(HOST_SIM_BIN) check $$@
endef
$(foreach c,$(CONTRACTS),$(eval $(call contract_rules,$(c))))
$(BUILD)/obj/wasm/contracts/%.o: contracts/%.c $(SDK_HDRS) $(wildcard contracts/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WASM_CFLAGS) -c $< -o $@

# Size budgets in bytes (the issues' limits); `make test` fails a contract over its budget.
SIZE_BUDGET_stable_token := 30720
SIZE_BUDGET_oracle := 32768
SIZE_BUDGET_vault_engine := 81920

$(BUILD)/contracts/checksums.txt: $(CONTRACT_WASMS)
	@cd $(BUILD)/contracts && sha256sum $(notdir $(CONTRACT_WASMS)) > checksums.txt
	@printf '%-24s %10s %10s\n' contract bytes budget
	@$(foreach c,$(CONTRACTS),printf '%-24s %10s %10s\n' $(c) \
	  $$(stat -c %s $(BUILD)/contracts/$(c).wasm) $(or $(SIZE_BUDGET_$(c)),-);)

# Every contract with a budget must fit it.
test-sizes: $(BUILD)/contracts/checksums.txt
	@fail=0; $(foreach c,$(filter $(CONTRACTS),$(patsubst SIZE_BUDGET_%,%,$(filter SIZE_BUDGET_%,$(.VARIABLES)))), \
	  size=$$(stat -c %s $(BUILD)/contracts/$(c).wasm); \
	  if [ $$size -gt $(SIZE_BUDGET_$(c)) ]; then fail=1; \
	    echo "size budget exceeded: $(c).wasm is $$size bytes > $(SIZE_BUDGET_$(c))"; \
	  else echo "size ok: $(c).wasm $$size bytes <= $(SIZE_BUDGET_$(c))"; fi;) exit $$fail

contracts: $(BUILD)/contracts/checksums.txt

# Reproducible builds: a second build from scratch in another directory must give
# byte-identical .wasm (same checksums file).
test-reproducible: $(BUILD)/contracts/checksums.txt $(HOST_SIM_BIN)
	@rm -rf $(BUILD)/repro
	@$(MAKE) -s --no-print-directory BUILD=$(BUILD)/repro HOST_SIM_BIN=$(HOST_SIM_BIN) \
	  $(BUILD)/repro/contracts/checksums.txt >/dev/null
	@cmp $(BUILD)/contracts/checksums.txt $(BUILD)/repro/contracts/checksums.txt && \
	  echo "reproducible: $(words $(CONTRACTS)) contracts byte-identical across two builds"

# --- Host tools -----------------------------------------------------------------------------
HOST_SIM_LDLIBS := -lsodium -lsqlite3 -lsecp256k1 -ltcc -ljansson -ldl -lpthread -lm
-include host-sim/host-sim.mk

# --- Tests (Criterion): tests/test_<name>.c → build/tests/test_<name> -----------------------
# A test may link extra sources: TEST_SRCS_<name> := contracts/x/a.c ...
TEST_LIBS := -lcriterion -lgmp -lm
# Host-side suites (simulator) bring their own rules in tests/*.mk fragments; each fragment
# appends its run target to HOST_TEST_TARGETS and its sanitizer target to HOST_ASAN_TARGETS.
HOST_TESTS := test_wasm_check test_engine test_gas_inject
HOST_TEST_TARGETS := test-wasm-check
HOST_ASAN_TARGETS := test-wasm-check-asan
-include $(sort $(wildcard tests/*.mk))
TESTS := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
SDK_TESTS := $(filter-out $(HOST_TESTS),$(TESTS))

define test_rules
$(BUILD)/tests/$(1): tests/$(1).c $(SDK_NATIVE_OBJS) $$(TEST_SRCS_$(1)) $(SDK_HDRS) $(wildcard contracts/*/*.h)
	@mkdir -p $$(dir $$@)
	$(CC) $(NATIVE_CFLAGS) -Isdk/mock -Icontracts -o $$@ tests/$(1).c $$(TEST_SRCS_$(1)) $(SDK_NATIVE_OBJS) $(TEST_LIBS) $$(TEST_LIBS_$(1))
$(BUILD)/tests-asan/$(1): tests/$(1).c $(SDK_ASAN_OBJS) $$(TEST_SRCS_$(1)) $(SDK_HDRS)
	@mkdir -p $$(dir $$@)
	$(CC) $(NATIVE_CFLAGS) $(SANITIZE) -Isdk/mock -Icontracts -o $$@ tests/$(1).c $$(TEST_SRCS_$(1)) $(SDK_ASAN_OBJS) $(TEST_LIBS) $$(TEST_LIBS_$(1))
endef
$(foreach t,$(SDK_TESTS),$(eval $(call test_rules,$(t))))

test-sdk: $(SDK_TESTS:%=$(BUILD)/tests/%)
	@set -e; for t in $^; do echo "== $$t"; $$t --jobs 2; done
test-asan: $(SDK_TESTS:%=$(BUILD)/tests-asan/%) $(HOST_ASAN_TARGETS)
	@set -e; for t in $(SDK_TESTS:%=$(BUILD)/tests-asan/%); do echo "== $$t (asan+ubsan)"; $$t --jobs 2; done
test-host: $(HOST_TEST_TARGETS)
# Test suites run tier 1 (tcc) only: background gcc -O2 compiles (30-70 s of CPU each) would
# queue by the hundred behind the suites and outlive `make test`. Tier 2 itself is tested at
# the engine level (tests/test_engine.c) and measured by `make bench`.
test-host test-asan: export HOSTSIM_TIER2 = 0

# --- The two commands -----------------------------------------------------------------------
all: deps host-sim contracts

test: deps all test-format test-sizes test-reproducible test-sdk test-host test-asan
	@echo "make test: all test suites passed"

# `make demo` (issue 6 point 5): build; start a fresh persistent devnet (build/devnet); deploy the
# whole system from deploy/networks/local.json with `cdp-deploy apply --broadcast` (record in
# build/devnet-deployments/); then build/bin/ballast-demo (deploy/demo/) opens 3,000 seeded
# positions, runs keepers and backstop depositors through a 72-hour stress scenario (GBM prices,
# a crash, a slide) checking every invariant, and writes build/report/ (summary.md, gas.md,
# timeseries.csv, PNG plots). `make demo SEED=n` picks the seed; DEMO_ARGS adds options (e.g.
# DEMO_ARGS='--positions 1000 --hours 24'). Tier 1 (tcc) code only unless HOSTSIM_TIER2=1
# (README: measured).
DEMO_RECORDS := $(BUILD)/devnet-deployments
demo: deps all $(BUILD)/bin/ballast-demo $(BUILD)/bin/cdp-deploy
	@rm -rf $(BUILD)/devnet $(DEMO_RECORDS) $(BUILD)/report && mkdir -p $(BUILD)/report
	@echo "cdp-deploy apply deploy/networks/local.json --broadcast (log: $(BUILD)/report/deploy.log)"
	@HOSTSIM_TIER2=$${HOSTSIM_TIER2:-0} $(BUILD)/bin/cdp-deploy apply deploy/networks/local.json \
	  --broadcast --state $(BUILD)/devnet --records $(DEMO_RECORDS) > $(BUILD)/report/deploy.log \
	  2>&1 || { cat $(BUILD)/report/deploy.log; exit 1; }
	@tail -n 2 $(BUILD)/report/deploy.log
	$(BUILD)/bin/ballast-demo --seed $(or $(SEED),42) --state $(BUILD)/devnet \
	  --deployment $(DEMO_RECORDS)/ballast-local.json --report $(BUILD)/report $(DEMO_ARGS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# Every tracked C file must already be formatted (the repo's .clang-format).
test-format:
	@bad=$$(for f in $$(git ls-files '*.c' '*.h'); do \
	  clang-format --dry-run --Werror $$f >/dev/null 2>&1 || echo $$f; done); \
	if [ -n "$$bad" ]; then echo "not clang-formatted (run make format):" $$bad; exit 1; fi; \
	echo "format: all C sources clang-formatted"

clean:
	rm -rf $(BUILD)

.PHONY: all deps contracts test-format test-sizes test-reproducible test test-sdk test-host test-asan demo format clean host-sim
