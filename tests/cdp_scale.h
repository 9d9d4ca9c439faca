/* cdp_scale.h — test support: the scale scenario of issue 5 §8 shared by the benchmark
 * (bench/bench_liquidation_scale.c) and its small test (tests/test_liquidation.c): N positions in
 * one market opened through the C API, one crash that makes every `every`-th position
 * liquidatable, one keeper clearing them; gas and wall time to clear. */
#ifndef CDP_SCALE_H
#define CDP_SCALE_H

#include <stdint.h>

typedef struct cdp_scale_result {
    uint64_t positions;       /* positions opened (besides the keeper's) */
    uint64_t liquidated;      /* positions the keeper liquidated */
    uint64_t takes;           /* auctions it bought */
    uint64_t tx_gas;          /* CosmWasm gas of every keeper transaction until all are cleared */
    uint64_t query_gas;       /* CosmWasm gas of the keeper's queries meanwhile */
    double open_seconds;      /* wall time to open the positions */
    double clear_seconds;     /* wall time from the crash until no auction is left */
    double liquidate_seconds; /* of which the round that liquidates */
} cdp_scale_result;

/* Run the scenario on a fresh in-memory chain: positions of 100,000 uatom at price 10, debt
 * 450,000 for every `every`-th one (health 0.8 after the crash) and 300,000 for the others
 * (health 1.2); price 10 → 6; the keeper (min_discount 0) liquidates in the crash block and buys
 * every lot 600 s later at the oracle price. 0, or -1 with cdp_error(). */
int cdp_scale_run(uint64_t positions, uint64_t every, cdp_scale_result *out);

#endif
