/* manifest.h — the deploy manifest (one JSON file per network) in memory: every parameter in
 * its on-chain form next to its original human text, the validator that refuses a manifest
 * with every broken rule named by JSON path, and the canonical hash for deployment records.
 * Format, units and rules: deploy/MANIFEST.md. Prefix dep_. Implementation: manifest.c (fields
 * and units), manifest_rules.c (cross-field rules), manifest_hash.c (canonical form). */
#ifndef DEP_MANIFEST_H
#define DEP_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "units.h"

#if defined(__GNUC__) || defined(__clang__)
#define DEP_MUST_USE __attribute__((warn_unused_result))
#else
#define DEP_MUST_USE
#endif

/* The only format version this code reads ("manifest_version"). */
#define DEP_MANIFEST_VERSION 1
/* Bounds shared with the contracts (their SPEC.md files). */
#define DEP_MAX_COLLATERALS 16        /* vault_engine: collaterals per market */
#define DEP_MAX_DECIMALS 18           /* cw20-base: token decimals */
#define DEP_SECONDS_PER_YEAR 31536000 /* oracle: max_age, delay */

/* --- Errors ---------------------------------------------------------------------------------- */

/* Every broken rule as "path: rule" lines, e.g.
 * "markets[1].collaterals[0].max_ltv: 85% must be < liquidation_threshold 80%": first each
 * field's own errors (type, unit, range, unknown/missing) section by section in the order of
 * deploy/MANIFEST.md, then the cross-field rules in the same section order. */
typedef struct dep_errors {
    char **items;
    size_t count, cap;
} dep_errors;

/* Append one error "path: <printf text>". Never fails (aborts on out of memory). */
void dep_errors_add(dep_errors *e, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void dep_errors_free(dep_errors *e);

/* --- Values: on-chain form + the human text they came from ----------------------------------- */

/* Every value keeps `ok` (parsed and within its own range); cross-field rules skip values that
 * are not ok, so one mistake is reported once. `text` is the manifest's string (owned). */
typedef struct dep_amount { /* Uint128 in base units */
    char *text;             /* "10000000" (whole tokens) */
    dep_u128 value;         /* 10000000000000 with 6 decimals */
    char onchain[DEP_NUM_CAP];
    bool ok;
} dep_amount;

typedef struct dep_decimal {   /* cosmwasm_std::Decimal, 18 fractional digits */
    char *text;                /* "60%", "2.5%/yr", "0.95" */
    dep_u128 atomics;          /* value × 10^18 */
    char onchain[DEP_NUM_CAP]; /* "0.6", "0.025", "0.95" */
    bool ok;
} dep_decimal;

typedef struct dep_duration {
    char *text;       /* "2h" */
    uint64_t seconds; /* 7200 */
    bool ok;
} dep_duration;

/* An account or contract address: a bech32 address with the manifest's prefix, or (local
 * target only) an alias resolved like host-sim scripts: bech32(prefix, sha256(name)[0..20]).
 * An optional role given as null has ok true and text, address NULL. */
typedef struct dep_address {
    char *text;    /* as written */
    char *address; /* resolved bech32 (NULL when invalid) */
    bool alias;
    bool ok;
} dep_address;

/* --- Sections -------------------------------------------------------------------------------- */

typedef enum dep_target_kind { DEP_TARGET_LOCAL, DEP_TARGET_NETWORK } dep_target_kind;

typedef struct dep_target {
    dep_target_kind kind;
    char *state_dir;  /* local: the host-sim --state DIR */
    char *rpc, *grpc; /* network */
    char *gas_price;  /* network: "0.025uatom" */
    bool supported;   /* false for network: accepted, not yet deployable by cdp-deploy */
} dep_target;

/* Contract sources, "contracts": name → .wasm path. */
typedef enum dep_contract_id {
    DEP_CONTRACT_STABLE_TOKEN,
    DEP_CONTRACT_ORACLE,
    DEP_CONTRACT_VAULT_ENGINE,
    DEP_CONTRACT_LIQUIDATOR,
    DEP_CONTRACT_BACKSTOP_POOL,
    DEP_CONTRACT_SETTLEMENT,
    DEP_CONTRACT_GOVERNANCE,
    DEP_CONTRACT_CW20_BASE, /* optional: code for the manifest's "tokens" */
    DEP_CONTRACT_COUNT
} dep_contract_id;

/* "stable_token", "oracle", … ; NULL for an id out of range. */
const char *dep_contract_name(dep_contract_id id);

typedef struct dep_stable_token { /* CW20 instantiate metadata */
    char *name, *symbol;
    unsigned decimals; /* also the scale of every stable amount in the manifest */
} dep_stable_token;

typedef enum dep_price_source { DEP_SOURCE_FEEDERS, DEP_SOURCE_CHAIN } dep_price_source;

typedef struct dep_oracle_asset {
    char *denom;
    dep_price_source source;
} dep_oracle_asset;

typedef struct dep_oracle {
    dep_address *feeders;
    size_t feeder_count;
    uint32_t quorum;
    dep_duration max_age, delay;
    dep_decimal max_move; /* "20%" → "0.2" */
    dep_oracle_asset *assets;
    size_t asset_count;
} dep_oracle;

/* vault_engine globals and keeper rewards (stable amounts, keeper_fee a fraction of debt). */
typedef struct dep_engine {
    dep_amount global_debt_ceiling, global_auction_debt_limit;
    dep_amount keeper_tip, keeper_reward_cap;
    dep_decimal keeper_fee;
} dep_engine;

typedef struct dep_balance {
    dep_address address;
    dep_amount amount; /* in the token's base units */
} dep_balance;

/* A CW20 token the tool instantiates from contracts.cw20_base (e.g. a test collateral). */
typedef struct dep_token {
    char *id; /* referenced as "token:<id>" by a cw20 collateral's asset */
    char *name, *symbol;
    unsigned decimals;
    dep_balance *initial_balances;
    size_t balance_count;
} dep_token;

typedef enum dep_collateral_kind { DEP_KIND_NATIVE, DEP_KIND_CW20 } dep_collateral_kind;

typedef struct dep_collateral {
    char *asset; /* as written: a denom, a bech32 contract address or "token:<id>" */
    int token;   /* index into tokens for "token:<id>", else −1 */
    dep_collateral_kind kind;
    unsigned decimals; /* the collateral's; scale of supply_cap */
    char *oracle_denom;
    dep_decimal max_ltv, liquidation_threshold, liquidation_penalty;
    dep_amount supply_cap; /* collateral base units */
} dep_collateral;

typedef enum dep_curve_kind { DEP_CURVE_LINEAR, DEP_CURVE_EXPONENTIAL } dep_curve_kind;

/* liquidator set_market_params (per market). */
typedef struct dep_auction {
    dep_curve_kind curve;
    dep_duration duration;    /* linear: top to zero */
    dep_duration step;        /* exponential: seconds per step */
    dep_decimal cut;          /* exponential: price factor kept per step ("99%" → 0.99) */
    dep_decimal start_buffer; /* "120%" → 1.2 */
    dep_duration max_duration;
    dep_decimal reset_threshold;
    dep_amount dust;             /* stable */
    dep_decimal backstop_health; /* a plain ratio "0.9" */
} dep_auction;

typedef struct dep_market {
    char *id;
    dep_decimal stability_fee;                             /* "2.5%/yr" → "0.025" */
    dep_amount debt_ceiling, min_debt, auction_debt_limit; /* stable */
    dep_collateral *collaterals;
    size_t collateral_count;
    dep_auction auction;
} dep_market;

/* liquidator circuit breaker level: 0 none, 1 no new auctions, 2 also no redo, 3 also no take. */
typedef enum dep_breaker {
    DEP_BREAKER_NONE = 0,
    DEP_BREAKER_STOP_AUCTIONS = 1,
    DEP_BREAKER_STOP_REDO = 2,
    DEP_BREAKER_STOP_TAKE = 3
} dep_breaker;

/* The timelock (contracts/governance/SPEC.md §3). guardian and emergency may be JSON null: no
 * such role (ok with text and address NULL). */
typedef struct dep_governance {
    dep_address proposer, guardian, emergency;
    dep_duration min_delay, max_delay, grace_period;
    bool emergency_actions_set; /* false: the contract's default allow-list */
    char **emergency_actions;   /* execute variants the emergency role may send at once */
    size_t emergency_action_count;
} dep_governance;

/* The whole manifest. Strings and arrays are owned; free with dep_manifest_free. */
typedef struct dep_manifest {
    unsigned version;
    char *chain_id;
    dep_target target;
    char *address_prefix;
    char *sources[DEP_CONTRACT_COUNT]; /* .wasm paths; NULL when not listed */
    dep_stable_token stable_token;
    dep_oracle oracle;
    dep_engine engine;
    dep_token *tokens;
    size_t token_count;
    dep_market *markets;
    size_t market_count;
    dep_breaker circuit_breaker;
    bool backstop_pool_enabled; /* false: the liquidator is wired without a pool */
    dep_governance governance;
    /* Canonical serialisation (sorted keys, compact, ASCII) of the document and its SHA-256. */
    char *canonical;
    char hash_hex[65];
} dep_manifest;

/* --- API ------------------------------------------------------------------------------------- */

/* Parse and validate manifest text. Returns a manifest (caller frees with dep_manifest_free)
 * when errs->count == 0 afterwards; otherwise NULL with every error appended to errs (JSON
 * syntax errors name "line L, column C"). */
DEP_MUST_USE dep_manifest *dep_manifest_parse(const char *text, size_t len, dep_errors *errs);

/* Read the file at path, then dep_manifest_parse; an unreadable file is one error. */
DEP_MUST_USE dep_manifest *dep_manifest_load(const char *path, dep_errors *errs);

void dep_manifest_free(dep_manifest *m);

/* The market with this id, or NULL. */
const dep_market *dep_manifest_market(const dep_manifest *m, const char *id);

#endif
