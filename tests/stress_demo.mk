# tests/stress_demo.mk — the `make demo` program's build (deploy/demo.mk) and its quick test
# (test-demo: a tiny run — 60 positions, one simulated day, in memory — whose invariants must
# hold and whose report files must be written). Included by the root Makefile after manifest.mk.

include deploy/demo.mk

DEMO_TEST_DIR := $(BUILD)/test-demo

test-demo: $(DEMO_BIN) $(DEMO_INPUTS)
	@rm -rf $(DEMO_TEST_DIR) && mkdir -p $(DEMO_TEST_DIR)
	HOSTSIM_TIER2=0 $(DEMO_BIN) --memory --report $(DEMO_TEST_DIR) --seed 7 --positions 60 \
		--depositors 4 --hours 24 --step 900 > $(DEMO_TEST_DIR)/out.txt 2>&1 || \
		{ cat $(DEMO_TEST_DIR)/out.txt; exit 1; }
	@for f in summary.md gas.md timeseries.csv plots.gp prices.png collateral_ratio.png \
		debt_in_auction.png bad_debt.png; do test -s $(DEMO_TEST_DIR)/$$f || \
		{ echo "test-demo: $$f missing"; exit 1; }; done
	@grep -q '^| invariants checked (all held) | [1-9][0-9]* checks of 9 invariants |$$' \
		$(DEMO_TEST_DIR)/summary.md || { echo "test-demo: no invariant count"; exit 1; }
	@test $$(wc -l < $(DEMO_TEST_DIR)/timeseries.csv) -eq 98 || \
		{ echo "test-demo: expected 97 samples + header"; exit 1; }
	@grep -q '^| open_position | 6[0-9] | 0 |' $(DEMO_TEST_DIR)/gas.md || \
		{ echo "test-demo: open_position gas row"; exit 1; }
	@echo "test-demo: ok ($$(grep -c . $(DEMO_TEST_DIR)/timeseries.csv) CSV lines, report in $(DEMO_TEST_DIR))"

HOST_TEST_TARGETS += test-demo
.PHONY: test-demo
