/* manifest_msgs.h — the contracts' messages a manifest turns into (instantiate, create_market,
 * add_collateral, set_market_params, set_circuit_breaker), built from the on-chain forms of a
 * validated dep_manifest. plan/apply send them (directly at first deployment, wrapped in a
 * governance proposal for changes). Message formats: each contract's SPEC.md. Every function
 * returns a new jansson object the caller owns (json_decref), or NULL when a needed address in
 * `addrs` is missing. */
#ifndef DEP_MANIFEST_MSGS_H
#define DEP_MANIFEST_MSGS_H

#include <jansson.h>

#include "manifest.h"

/* Addresses of the deployed contracts; NULL where not (yet) deployed. */
typedef struct dep_system_addresses {
    const char *governance; /* the timelock, or any account that governs */
    const char *stable_token, *oracle, *vault_engine, *liquidator, *backstop_pool, *settlement;
    const char *const *tokens; /* per m->tokens index: its CW20 address (for "token:<id>") */
} dep_system_addresses;

/* governance: {"proposer","guardian","emergency","min_delay","max_delay","grace_period"
 * [,"emergency_actions"]} (null roles stay null). */
json_t *dep_msg_governance_instantiate(const dep_manifest *m);

/* stable_token (cw20-base): {"name","symbol","decimals","initial_balances":[],"mint":{"minter"}}
 * — minter is the deployer at first, then update_minter hands it to the engine. */
json_t *dep_msg_stable_token_instantiate(const dep_manifest *m, const char *minter);

/* tokens[i] (cw20-base): {"name","symbol","decimals","initial_balances":[{address,amount}]}. */
json_t *dep_msg_token_instantiate(const dep_manifest *m, size_t token);

/* oracle: {"governance","feeders","quorum","max_age","max_move","delay","assets"}. */
json_t *dep_msg_oracle_instantiate(const dep_manifest *m, const dep_system_addresses *addrs);

/* vault_engine: {"governance","stable_token","oracle","global_debt_ceiling",
 * "global_auction_debt_limit","keeper_tip","keeper_fee","keeper_reward_cap"} plus
 * "liquidator", "settlement" and (pool enabled) "backstop_pool" when their addresses are known. */
json_t *dep_msg_engine_instantiate(const dep_manifest *m, const dep_system_addresses *addrs);

/* vault_engine {"create_market":{"id","stability_fee","debt_ceiling","min_debt",
 * "auction_debt_limit"}} for markets[market]. */
json_t *dep_msg_create_market(const dep_manifest *m, size_t market);

/* vault_engine {"add_collateral":{"market","asset","kind","oracle_denom","max_ltv",
 * "liquidation_threshold","liquidation_penalty","supply_cap"}}; "token:<id>" assets take their
 * address from addrs->tokens. */
json_t *dep_msg_add_collateral(const dep_manifest *m, size_t market, size_t collateral,
                               const dep_system_addresses *addrs);

/* liquidator: {"governance","engine","stable_token","oracle"[,"backstop_pool"]}; the pool only
 * when enabled and already deployed (the pool needs the liquidator's address first: instantiate
 * the liquidator, then the pool, then the liquidator's update_config {"backstop_pool"}). */
json_t *dep_msg_liquidator_instantiate(const dep_manifest *m, const dep_system_addresses *addrs);

/* liquidator {"set_market_params":{"market","curve":{"linear":{"duration"}}|{"exponential":
 * {"step","cut"}},"start_buffer","max_duration","reset_threshold","dust","backstop_health"}}. */
json_t *dep_msg_set_market_params(const dep_manifest *m, size_t market);

/* liquidator {"set_circuit_breaker":{"level":0..3}}. */
json_t *dep_msg_set_circuit_breaker(const dep_manifest *m);

/* backstop_pool: {"governance","stable_token","engine","liquidator"}. */
json_t *dep_msg_backstop_pool_instantiate(const dep_manifest *m, const dep_system_addresses *addrs);

#endif
