/* bench_liquidation_scale.c — issue 5 §8: 1,000 and 10,000 positions in one market, a crash that
 * makes every 10th liquidatable, one keeper clearing them (tests/cdp_scale.c); prints the total
 * gas and wall time to clear, per liquidated position, for both sizes, and their ratio: the cost
 * should follow the number liquidated, not the number of positions. Usage:
 * bench_liquidation_scale [SMALL LARGE] (default 1000 10000). */
#include "cdp_scale.h"
#include "cdp_system.h"

#include <stdio.h>
#include <stdlib.h>

static void row(const cdp_scale_result *r) {
    double n = (double)r->liquidated;
    printf("%10llu %10llu %16llu %14.0f %14.0f %9.3f %12.1f %12.1f %9.2f\n",
           (unsigned long long)r->positions, (unsigned long long)r->liquidated,
           (unsigned long long)r->tx_gas, (double)r->tx_gas / n, (double)r->query_gas / n,
           r->clear_seconds, r->liquidate_seconds / n * 1e6,
           (r->clear_seconds - r->liquidate_seconds) / n * 1e6, r->open_seconds);
}

int main(int argc, char **argv) {
    uint64_t sizes[2] = {1000, 10000};
    if (argc == 3) {
        sizes[0] = strtoull(argv[1], NULL, 10);
        sizes[1] = strtoull(argv[2], NULL, 10);
    }
    cdp_scale_result r[2];
    for (int i = 0; i < 2; i++) {
        if (cdp_scale_run(sizes[i], 10, &r[i])) {
            fprintf(stderr, "bench_liquidation_scale: %s\n", cdp_error());
            return 1;
        }
    }
    printf("\nliquidation at scale: one market, every 10th position liquidatable after 10 -> 6, "
           "one keeper (CosmWasm gas; wall times on a shared machine)\n");
    printf("%10s %10s %16s %14s %14s %9s %12s %12s %9s\n", "positions", "liquidated", "tx gas",
           "gas/liq", "query gas/liq", "clear s", "liquidate us", "take us", "open s");
    row(&r[0]);
    row(&r[1]);
    double g0 = (double)r[0].tx_gas / (double)r[0].liquidated,
           g1 = (double)r[1].tx_gas / (double)r[1].liquidated;
    double w0 = r[0].clear_seconds / (double)r[0].liquidated,
           w1 = r[1].clear_seconds / (double)r[1].liquidated;
    printf("  %llux positions, %llux liquidated: gas per liquidation x%.3f, wall time per "
           "liquidation x%.2f\n",
           (unsigned long long)(r[1].positions / r[0].positions),
           (unsigned long long)(r[1].liquidated / (r[0].liquidated ? r[0].liquidated : 1)), g1 / g0,
           w1 / w0);
    return 0;
}
