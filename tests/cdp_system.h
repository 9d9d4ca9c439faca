/* cdp_system.h — test support: deploy the whole Ballast CDP system (oracle with chain-sourced
 * prices, stable_token, vault_engine, liquidator, backstop_pool, settlement) on a host-sim chain
 * through the C API, wired as contracts/SOLVENCY.md §1 says, plus the few actions and readings
 * that system tests, the random solvency test and the scale benchmark share. No Criterion: every
 * function reports failure by its return value and a message (cdp_error()). */
#ifndef CDP_SYSTEM_H
#define CDP_SYSTEM_H

#include "hostsim.h"
#include "hs_u128.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef hs_u128 cdp_u128;

/* One collateral of a market: a native denom, priced by the chain oracle under the same denom. */
typedef struct cdp_collateral {
    const char *denom;
    const char *max_ltv, *liquidation_threshold, *liquidation_penalty, *supply_cap;
} cdp_collateral;

/* The liquidator's per-market auction parameters (liquidator SPEC). */
typedef struct cdp_auction_params {
    const char *curve;        /* "linear" or "exponential" */
    uint64_t duration;        /* linear: seconds from top to zero */
    uint64_t step;            /* exponential: seconds per cut */
    const char *cut;          /* exponential: price factor per step */
    const char *start_buffer; /* top = oracle × start_buffer */
    uint64_t max_duration;    /* redo allowed after this many seconds */
    const char *reset_threshold;
    const char *dust;            /* smallest tab a partial take may leave */
    const char *backstop_health; /* absorb at once below this health */
} cdp_auction_params;

typedef struct cdp_market {
    const char *id, *stability_fee, *debt_ceiling, *min_debt;
    const char *auction_debt_limit; /* max debt of this market in auction at once */
    cdp_collateral collateral;      /* one collateral per market in these tests */
    const char *price;              /* initial chain-oracle price of the collateral */
    cdp_auction_params auction;
} cdp_market;

typedef struct cdp_params {
    const char *global_debt_ceiling, *global_auction_debt_limit;
    const char *keeper_tip, *keeper_fee, *keeper_reward_cap;
    const cdp_market *markets;
    size_t n_markets;
} cdp_params;

/* Defaults: market "atom" (fee 0, ceiling 10^15, min_debt 100, limit 10^15; uatom 0.5/0.6/0.1,
 * price 10; linear curve over 3600 s, start_buffer 1.2, max_duration 7200, reset 0.5, dust 0,
 * backstop_health 0), no keeper reward. `markets` points at static storage. */
void cdp_params_default(cdp_params *p);
/* The default market, to copy and change. */
cdp_market cdp_market_default(void);

typedef struct cdp_system {
    hs_chain *chain;
    char gov[128], oracle[128], token[128], engine[128], liquidator[128], pool[128],
        settlement[128];
} cdp_system;

/* The last failure's message (static buffer). */
const char *cdp_error(void);

/* Store the six contracts (build/contracts/NAME.wasm, relative to the repo root) and deploy them on
 * `chain`. 0, or -1 with cdp_error(). */
int cdp_deploy(hs_chain *chain, const cdp_params *p, cdp_system *sys);

/* Execute `msg` (printf format) as `sender` with at most one native coin (denom NULL: none). */
hs_result cdp_exec(cdp_system *s, const char *sender, const char *contract, const char *denom,
                   cdp_u128 amount, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A smart query's answer parsed (caller json_decref's), NULL with cdp_error() on failure. */
json_t *cdp_query(cdp_system *s, const char *contract, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Send `amount` stable from `sender` to `contract` with the Receive hook `hook` (JSON). */
hs_result cdp_send_stable(cdp_system *s, const char *sender, const char *contract, cdp_u128 amount,
                          const char *hook);

/* Give `who` `amount` of a native denom (faucet). 0 or -1. */
int cdp_fund(cdp_system *s, const char *who, const char *denom, cdp_u128 amount);
/* Open a position of `owner` in `market` with `collateral` of its denom and borrow `borrow`
 * (0: none); the id in *id. 0 or -1. */
int cdp_open(cdp_system *s, const char *owner, const cdp_market *m, cdp_u128 collateral,
             cdp_u128 borrow, uint64_t *id);
/* Deposit `amount` stable of `who` into the backstop pool. 0 or -1. */
int cdp_pool_deposit(cdp_system *s, const char *who, cdp_u128 amount);

/* Readings. */
int cdp_stable_balance(cdp_system *s, const char *who, cdp_u128 *out);
int cdp_stable_supply(cdp_system *s, cdp_u128 *out);
int cdp_native_balance(cdp_system *s, const char *who, const char *denom, cdp_u128 *out);

/* The engine's treasury ledger (SOLVENCY §3) from its `accounting`/`treasury` queries. */
typedef struct cdp_ledger {
    cdp_u128 total_debt, auction_debt, bad_debt, spent, settled, burned, minted, surplus, redeemed;
    cdp_u128 surplus_available, deficit;
} cdp_ledger;
int cdp_read_ledger(cdp_system *s, cdp_ledger *out);

/* The accounting queries of the engine, the liquidator, the pool and settlement report their
 * identity holding. 0, or -1 naming the first that does not (or whose query fails). */
int cdp_identities_hold(cdp_system *s);

/* A member of a JSON object that is a Uint128 string (or integer). */
bool cdp_json_u128(json_t *o, const char *key, cdp_u128 *out);

#endif
