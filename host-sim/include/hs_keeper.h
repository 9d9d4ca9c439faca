/* hs_keeper.h — the keeper agent of host-sim: a liquidation bot that runs against a chain
 * through the public C API (hostsim.h) with the messages of contracts/SOLVENCY.md §5. Used by
 * the `keeper`/`keepers` script ops, the liquidation tests and the scale benchmark.
 * Implementation: host-sim/src/keeper.c.
 *
 * One round (hs_keeper_round) does, in this order, as the keeper's account:
 *   1. liquidate: for every market of the engine (the `markets` query, page by page) it reads
 *      the engine's indexed `liquidatable` query (riskiest first, one page at a time, never a
 *      scan of all positions) and sends `liquidate` for each listed position; it stops in a
 *      market when the engine refuses for auction room (the throughput caps) or when a fresh
 *      page lists nothing new;
 *   2. redo: auctions the liquidator lists as needing a reset are restarted (`redo`);
 *   3. take: live auctions (the liquidator's `auctions` query, page by page) whose discount
 *      `1 − auction_price / oracle_price` is ≥ min_discount are bought, best discount first, with
 *      `max_price` = the listed price, until the round's stable budget (max_take_per_round,
 *      and the keeper's stable balance) is spent. The keeper gives the liquidator a CW20
 *      allowance itself when it has none left; it must hold stable (e.g. borrowed from a
 *      position of its own).
 * Contract refusals are part of the game (another keeper was faster, the caps are full):
 * they are counted in the report, not returned as errors.
 *
 *     hs_keeper_config kc;  hs_keeper_config_default(&kc);
 *     kc.name = "k1"; kc.account = "keeper1"; kc.engine = engine; kc.liquidator = liquidator;
 *     kc.min_discount = "0.15"; kc.max_take_per_round = "1000000";
 *     hs_keeper *k;  char *err = NULL;
 *     if (hs_keeper_new(chain, &kc, &k, &err)) { fprintf(stderr, "%s\n", err); free(err); }
 *     hs_keeper_report rep;
 *     if (hs_keeper_round(k, &rep) == 0) printf("liquidated %llu\n", (unsigned long long)
 *                                               rep.liquidations);
 *     hs_keeper_free(k);
 */
#ifndef HS_KEEPER_H
#define HS_KEEPER_H

#include "hostsim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hs_u128.h"

typedef struct hs_keeper hs_keeper;

/* One take as the keeper saw it, for observers (tests check "no take above the current
 * auction price" with it). Prices are 18-digit Decimal atomics. */
typedef struct hs_keeper_take {
    const char *keeper;    /* the keeper's name */
    uint64_t auction_id;   /* the liquidator's id */
    const char *asset;     /* collateral (native denom or CW20 address) */
    hs_u128 auction_price; /* the auction's price listed in the same block, before the take */
    hs_u128 oracle_price;  /* the oracle price of the collateral at the same time */
    hs_u128 bought;        /* collateral received (balance change of the keeper) */
    hs_u128 paid;          /* stable paid (balance change of the keeper) */
    uint64_t gas_used;     /* CosmWasm gas of the take transaction */
} hs_keeper_take;

typedef struct hs_keeper_config {
    const char *name;       /* label in reports; default "keeper" */
    const char *account;    /* the keeper's account (alias or bech32): sender of its
                               transactions, recipient of rewards and bought collateral */
    const char *engine;     /* vault_engine address (required) */
    const char *liquidator; /* liquidator address; NULL: no auctions (liquidate only) */
    /* Decimal string in [0, 1]: take only when 1 − auction_price/oracle_price ≥ it (exact,
     * integer comparison). Default "0" (any price at or below the oracle price). */
    const char *min_discount;
    /* Uint128 string: stable spent on takes per round at most (thin liquidity); NULL: no limit
     * beyond the keeper's stable balance. */
    const char *max_take_per_round;
    bool liquidate;             /* send `liquidate` for liquidatable positions (default true) */
    bool bid;                   /* take auctions (default true) */
    bool redo;                  /* restart auctions that need a reset (default true) */
    uint32_t page_limit;        /* page size of the paginated queries (default 10, max 30) */
    uint32_t max_txs_per_round; /* bound on the transactions of one round (default 100000) */
    /* Called after every successful take, with ctx. NULL: none. */
    void (*on_take)(void *ctx, const hs_keeper_take *take);
    void *on_take_ctx;
} hs_keeper_config;

void hs_keeper_config_default(hs_keeper_config *cfg);

/* What one round did (or, from hs_keeper_totals, every round so far). Amounts in base units. */
typedef struct hs_keeper_report {
    uint64_t rounds;               /* rounds summed in this report */
    uint64_t pages;                /* query pages read (liquidatable + auctions + markets) */
    uint64_t liquidations;         /* successful `liquidate` transactions */
    uint64_t liquidations_refused; /* refused ones (no room, already liquidated, …) */
    uint64_t takes, takes_refused;
    uint64_t redos, redos_refused;
    uint64_t skipped_unprofitable; /* auctions seen whose discount was below min_discount */
    uint64_t skipped_budget;       /* profitable auctions left for lack of stable budget */
    hs_u128 debt_liquidated;       /* Σ debt the engine seized in our liquidations */
    hs_u128 stable_paid;           /* Σ stable paid in takes */
    hs_u128 collateral_bought;     /* Σ collateral received in takes (all assets added up) */
    hs_u128 collateral_value;      /* Σ floor(bought · oracle price) at take time */
    uint64_t discount_min;         /* smallest discount taken, 18-digit atomics (0 if none) */
    uint64_t discount_max;         /* largest discount taken, 18-digit atomics */
    uint64_t gas_used;             /* CosmWasm gas of the keeper's transactions */
    uint64_t query_gas;            /* CosmWasm gas of its queries (free on a chain; shows the
                                      work of finding positions and auctions) */
    uint64_t txs;                  /* transactions sent */
} hs_keeper_report;

/* Create a keeper on `chain` (which must outlive it); cfg's strings are copied. Returns 0, or
 * nonzero with *err a malloc'd message (missing engine or account, bad min_discount or
 * max_take_per_round); the caller frees err. */
int hs_keeper_new(hs_chain *chain, const hs_keeper_config *cfg, hs_keeper **out, char **err);
void hs_keeper_free(hs_keeper *keeper);

/* The keeper's name and account address (bech32). Owned by the keeper. */
const char *hs_keeper_name(const hs_keeper *keeper);
const char *hs_keeper_address(const hs_keeper *keeper);

/* Run one round at the current block (see the top of this file); *report (may be NULL) is
 * overwritten with what this round did and added to the keeper's totals. Returns 0, or nonzero
 * when the system does not answer as SOLVENCY.md says (a query fails or has an unexpected
 * shape): the message is then in hs_keeper_error(keeper) and the round stops there (what it
 * did so far stays in the report and on the chain). */
int hs_keeper_round(hs_keeper *keeper, hs_keeper_report *report);

/* The last round's error message, or "" (owned by the keeper). */
const char *hs_keeper_error(const hs_keeper *keeper);

/* Every round so far, summed. */
void hs_keeper_totals(const hs_keeper *keeper, hs_keeper_report *out);

/* Add b into a (counts and amounts summed, discount_min/max combined, rounds summed). */
void hs_keeper_report_add(hs_keeper_report *a, const hs_keeper_report *b);

/* Average discount of the takes, weighted by value: 1 − stable_paid / collateral_value, in
 * 18-digit atomics (floor; 0 when nothing was bought; negative discounts count as 0). */
uint64_t hs_keeper_report_average_discount(const hs_keeper_report *r);

/* The report as a JSON object (malloc'd, caller frees): counts as numbers, amounts as
 * Uint128 strings, discounts as Decimal strings:
 * {"rounds","pages","txs","gas_used","query_gas","liquidations","liquidations_refused","takes",
 *  "takes_refused","redos","redos_refused","skipped_unprofitable","skipped_budget",
 *  "debt_liquidated","stable_paid","collateral_bought","collateral_value",
 *  "average_discount","min_discount","max_discount"} */
char *hs_keeper_report_json(const hs_keeper_report *r);

#endif
