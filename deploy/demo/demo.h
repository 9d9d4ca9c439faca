/* demo.h — the `make demo` stress program (deploy/demo/ sources): a devnet with the whole Ballast
 * system deployed from a manifest, thousands of positions, keepers and a seeded crash, and the
 * report it writes. Shared types of its files: chain helpers with per-operation gas statistics
 * (demo_chain.c), deployment (demo_deploy.c), price paths (demo_prices.c), report (demo_report.c).
 */
#ifndef DEMO_H
#define DEMO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostsim.h"
#include "hs_u128.h"
#include "manifest.h"

typedef hs_u128 demo_u128;

#define DEMO_ADDR 128
#define DEMO_MAX_MARKETS 8
#define DEMO_MAX_DENOMS 16
#define DEMO_MAX_OPS 32

/* Gas of one kind of transaction (SDK gas). */
typedef struct demo_op_stat {
    const char *name;
    uint64_t calls, refused, min, max;
    double sum;
} demo_op_stat;

/* One oracle denom whose price the scenario drives. */
typedef struct demo_denom {
    const char *denom;
    bool feeders;        /* submitted by the manifest's feeders (else the chain oracle) */
    unsigned decimals;   /* of the collateral: USD price = price · 10^(decimals − 6) */
    double start, price; /* per base unit, in stable base units */
    int market;          /* the market whose path it follows (index into the manifest) */
    double ratio;        /* price = ratio · the market's path (a basket's second asset) */
} demo_denom;

typedef struct demo {
    hs_chain *chain;
    dep_manifest *m;
    /* Deployed addresses. */
    char gov[DEMO_ADDR], timelock[DEMO_ADDR], oracle[DEMO_ADDR], stable[DEMO_ADDR],
        engine[DEMO_ADDR], liquidator[DEMO_ADDR], pool[DEMO_ADDR], settlement[DEMO_ADDR];
    char tokens[4][DEMO_ADDR]; /* the manifest's CW20 tokens */
    char feeders[8][DEMO_ADDR];
    size_t feeder_count;
    demo_denom denoms[DEMO_MAX_DENOMS];
    size_t denom_count;
    struct {
        const char *denom;
        demo_u128 amount;
    } faucet[DEMO_MAX_DENOMS]; /* native coins created with demo_mint, per denom */
    size_t faucet_count;
    demo_op_stat ops[DEMO_MAX_OPS];
    size_t op_count;
    bool verbose;
} demo;

/* --- Numbers (demo_chain.c) ---------------------------------------------------------------- */
double demo_u128_double(demo_u128 v);
/* A member that is a Uint128 string; 0 when missing. */
demo_u128 demo_json_u128(json_t *o, const char *key);
/* A member that is a Decimal string, as a double; 0 when missing. */
double demo_json_decimal(json_t *o, const char *key);

/* --- Chain helpers (demo_chain.c) ---------------------------------------------------------- */
/* Fatal error: print and exit(1). */
void demo_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Execute msg as sender, counting its gas under operation `op`. Returns true on success; on a
 * refusal returns false (counted as refused) and, when `must`, dies with the error. */
bool demo_exec(demo *d, const char *op, bool must, const char *contract, const char *sender,
               const char *msg, const hs_coin *funds, size_t n_funds);
/* Same, with the result kept (caller hs_result_free's). */
hs_result demo_exec_result(demo *d, const char *op, const char *contract, const char *sender,
                           const char *msg, const hs_coin *funds, size_t n_funds);
/* CW20 `send` of amount from sender to contract with the Receive hook `hook` (JSON). */
bool demo_send_cw20(demo *d, const char *op, bool must, const char *token, const char *sender,
                    const char *contract, demo_u128 amount, const char *hook);
/* A smart query's answer parsed; dies on failure. */
json_t *demo_query(demo *d, const char *contract, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record a gas sample (for operations the keeper agent sends). */
void demo_gas_sample(demo *d, const char *op, uint64_t sdk_gas);
demo_op_stat *demo_op(demo *d, const char *op);
/* Faucet: native coins out of thin air. */
void demo_mint(demo *d, const char *to, const char *denom, demo_u128 amount);
demo_u128 demo_cw20_balance(demo *d, const char *token, const char *who);

/* --- Deployment (demo_deploy.c) ------------------------------------------------------------ */
/* Store and instantiate every contract of the manifest and wire them (SOLVENCY.md §1) with the
 * manifest's messages (deploy/src/manifest_msgs.c); parameters are governed by the account
 * "gov". Fills d's addresses and denoms. */
void demo_deploy(demo *d);
/* Instead: the system `cdp-deploy apply --broadcast` deployed, from its record
 * (deployments/<chain-id>.json, deploy/DEPLOY.md §2); governance is then the timelock. */
void demo_load_deployment(demo *d, const char *record_path);

/* --- Price paths (demo_prices.c) ----------------------------------------------------------- */
typedef struct demo_path_config {
    uint64_t seed;
    uint64_t step_seconds, steps;
    double crash_at_hours, crash_depth, crash_hours; /* market 0: −depth over hours */
    double slide_at_hours, slide_depth, slide_hours; /* market 1: −depth, linear */
    double volatility;                               /* annualised GBM volatility */
} demo_path_config;
/* Multipliers (start = 1) per market and step: out[market][step], steps + 1 values each. */
double **demo_paths_make(const demo_path_config *cfg, size_t markets);
void demo_paths_free(double **paths, size_t markets);

/* A seeded generator (splitmix64) for the population and user actions. */
typedef struct demo_rng {
    uint64_t state;
} demo_rng;
uint64_t demo_rng_next(demo_rng *r);
double demo_rng_unit(demo_rng *r); /* [0, 1) */
double demo_rng_normal(demo_rng *r);

#endif
