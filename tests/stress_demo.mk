# tests/stress_demo.mk — the `make demo` program's build (deploy/demo.mk) and its quick test
# (test-demo): a tiny run — 60 positions, one simulated day — on a devnet deployed by
# `cdp-deploy apply --broadcast`, whose invariants must hold and whose report files must be
# written; then the program's own deployment (--memory) twice with one seed: same time series.
# Included by the root Makefile after manifest.mk (it uses DEP_LIB_OBJS).

include deploy/demo.mk

DEMO_TEST_DIR := $(BUILD)/test-demo

test-demo: $(DEMO_BIN) $(BUILD)/bin/cdp-deploy $(DEMO_INPUTS)
	@rm -rf $(DEMO_TEST_DIR) && mkdir -p $(DEMO_TEST_DIR)/report $(DEMO_TEST_DIR)/a $(DEMO_TEST_DIR)/b
	HOSTSIM_TIER2=0 $(BUILD)/bin/cdp-deploy apply deploy/networks/local.json --broadcast \
		--state $(DEMO_TEST_DIR)/devnet --records $(DEMO_TEST_DIR)/records \
		> $(DEMO_TEST_DIR)/deploy.log 2>&1 || { cat $(DEMO_TEST_DIR)/deploy.log; exit 1; }
	HOSTSIM_TIER2=0 $(DEMO_BIN) --state $(DEMO_TEST_DIR)/devnet \
		--deployment $(DEMO_TEST_DIR)/records/ballast-local.json --report $(DEMO_TEST_DIR)/report \
		--seed 7 --positions 60 --depositors 4 --hours 24 --step 900 \
		> $(DEMO_TEST_DIR)/out.txt 2>&1 || { cat $(DEMO_TEST_DIR)/out.txt; exit 1; }
	@cd $(DEMO_TEST_DIR)/report && for f in summary.md gas.md timeseries.csv plots.gp prices.png \
		collateral_ratio.png debt_in_auction.png bad_debt.png; do test -s $$f || \
		{ echo "test-demo: $$f missing"; exit 1; }; done
	@grep -q '^| invariants checked (all held) | [1-9][0-9]* checks of 12 invariants |$$' \
		$(DEMO_TEST_DIR)/report/summary.md || { echo "test-demo: no invariant count"; exit 1; }
	@grep -q '^| positions opened (users) | 60 (' $(DEMO_TEST_DIR)/report/summary.md || \
		{ echo "test-demo: positions"; exit 1; }
	@test $$(wc -l < $(DEMO_TEST_DIR)/report/timeseries.csv) -eq 98 || \
		{ echo "test-demo: expected 97 samples + header"; exit 1; }
	@grep -q '^| open_position | 67 | 0 |' $(DEMO_TEST_DIR)/report/gas.md || \
		{ echo "test-demo: open_position gas row (60 users, 3 keepers, 4 depositors)"; exit 1; }
	for run in a b; do HOSTSIM_TIER2=0 $(DEMO_BIN) --memory --report $(DEMO_TEST_DIR)/$$run \
		--seed 11 --positions 30 --depositors 2 --hours 4 --no-plots \
		> $(DEMO_TEST_DIR)/$$run/out.txt 2>&1 || { cat $(DEMO_TEST_DIR)/$$run/out.txt; exit 1; }; done
	@cmp $(DEMO_TEST_DIR)/a/timeseries.csv $(DEMO_TEST_DIR)/b/timeseries.csv || \
		{ echo "test-demo: one seed, two time series"; exit 1; }
	@echo "test-demo: ok (report in $(DEMO_TEST_DIR)/report)"

HOST_TEST_TARGETS += test-demo
.PHONY: test-demo
