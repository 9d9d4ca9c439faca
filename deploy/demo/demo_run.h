/* demo_run.h — the state of one stress run of the demo (stress.c): options, positions, keepers,
 * the sampled time series and the invariant counters; observation (demo_observe.c) and report
 * (demo_report.c). */
#ifndef DEMO_RUN_H
#define DEMO_RUN_H

#include "demo.h"
#include "hs_keeper.h"

typedef struct demo_options {
    uint64_t seed;
    uint32_t positions, depositors, actions_per_block;
    double hours;
    uint64_t step_seconds;
    const char *manifest, *state_dir, *report_dir;
    const char *deployment; /* a cdp-deploy record: use that deployment instead of deploying */
    bool tier2, plots, verbose;
} demo_options;

typedef struct demo_position {
    uint64_t id;
    uint32_t owner; /* user%05u */
    uint8_t market;
    bool alive;
    double borrowed; /* stable base units the owner borrowed less what it repaid */
} demo_position;

/* One row of timeseries.csv (amounts in BUSD, prices in USD per whole collateral unit). */
typedef struct demo_sample_row {
    double hours;
    double price[DEMO_MAX_DENOMS];
    double collateral_value, total_debt, collateral_ratio;
    double auction_debt, live_auctions, bad_debt, deficit, surplus, surplus_available, spent;
    double pool_deposits, stable_supply;
    double liquidations, takes, redos, absorbed;
} demo_sample_row;

/* An invariant and how many times it was checked. */
typedef struct demo_invariant {
    const char *name;
    uint64_t checks;
} demo_invariant;

#define DEMO_INVARIANTS 12

typedef struct demo_run {
    demo d;
    demo_options opt;
    demo_path_config path_cfg;
    double outage_at_hours, outage_hours; /* every keeper offline (no rounds) in this window */
    bool keepers_offline;                 /* in that window now */
    double **paths;
    demo_position *positions;
    uint32_t position_count, open_refused, opened[DEMO_MAX_MARKETS];
    uint64_t repays, borrows, actions_refused;
    double pool_deposited;
    hs_keeper *keepers[8];
    const char *keeper_discount[8], *keeper_budget[8];
    size_t keeper_count;
    uint64_t keeper_positions[8][DEMO_MAX_MARKETS]; /* a keeper's own position per market */
    double refinanced; /* stable keepers borrowed against collateral they bought */
    /* Pool absorptions: blocks in which the pool's spent grew, and the debt it covered. */
    uint64_t absorption_blocks;
    demo_u128 pool_spent;
    demo_sample_row *samples;
    size_t sample_count, sample_cap;
    double min_ratio;
    double min_ratio_hours;
    demo_invariant inv[DEMO_INVARIANTS];
    uint64_t inv_skipped[DEMO_INVARIANTS]; /* checks a query could not answer (its gas limit) */
    double wall_seconds;
} demo_run;

/* Keeper take observer (hs_keeper_config.on_take): gas of every take. */
void demo_on_take(void *ctx, const hs_keeper_take *take);
/* One round of keeper k; its transactions' gas is recorded from the round's report. */
void demo_keeper_round(demo_run *run, size_t k);
/* Read the system's state at step s into a new sample row. */
void demo_sample(demo_run *run, uint64_t s);
/* Check the invariants on the state just sampled (every contract's accounting query when
 * `full`; the engine's identity and the supply identity always). Dies on a violation. */
void demo_check_invariants(demo_run *run, bool full);
/* End of run: collateral conservation over every account and Σ stable balances = supply. */
void demo_final_checks(demo_run *run);
/* One progress line. */
void demo_progress(demo_run *run, uint64_t s, double elapsed);
/* summary.md, gas.md, timeseries.csv and (opt.plots) the gnuplot PNGs. Dies on failure. */
void demo_write_report(demo_run *run);

#endif
