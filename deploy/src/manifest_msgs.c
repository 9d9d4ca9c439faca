/* manifest_msgs.c — builds the contracts' instantiate and parameter messages from a validated
 * manifest's on-chain forms (see manifest_msgs.h; formats in each contract's SPEC.md). */
#include "manifest_msgs.h"

#include <string.h>

static json_t *str(const char *s) {
    return json_string(s);
}

static json_t *seconds(const dep_duration *d) {
    return json_integer((json_int_t)d->seconds);
}

/* An address, or JSON null for an absent optional role. */
static json_t *role(const dep_address *a) {
    return a->address ? json_string(a->address) : json_null();
}

static json_t *wrap(const char *variant, json_t *body) {
    json_t *o = json_object();
    json_object_set_new(o, variant, body);
    return o;
}

json_t *dep_msg_governance_instantiate(const dep_manifest *m) {
    const dep_governance *g = &m->governance;
    json_t *o = json_object();
    json_object_set_new(o, "proposer", role(&g->proposer));
    json_object_set_new(o, "guardian", role(&g->guardian));
    json_object_set_new(o, "emergency", role(&g->emergency));
    json_object_set_new(o, "min_delay", seconds(&g->min_delay));
    json_object_set_new(o, "max_delay", seconds(&g->max_delay));
    json_object_set_new(o, "grace_period", seconds(&g->grace_period));
    if (g->emergency_actions_set) {
        json_t *a = json_array();
        for (size_t i = 0; i < g->emergency_action_count; i++)
            json_array_append_new(a, str(g->emergency_actions[i]));
        json_object_set_new(o, "emergency_actions", a);
    }
    return o;
}

static json_t *cw20_instantiate(const char *name, const char *symbol, unsigned decimals) {
    json_t *o = json_object();
    json_object_set_new(o, "name", str(name));
    json_object_set_new(o, "symbol", str(symbol));
    json_object_set_new(o, "decimals", json_integer(decimals));
    json_object_set_new(o, "initial_balances", json_array());
    return o;
}

json_t *dep_msg_stable_token_instantiate(const dep_manifest *m, const char *minter) {
    if (!minter) return NULL;
    const dep_stable_token *s = &m->stable_token;
    json_t *o = cw20_instantiate(s->name, s->symbol, s->decimals);
    json_t *mint = json_object();
    json_object_set_new(mint, "minter", str(minter));
    json_object_set_new(o, "mint", mint);
    return o;
}

json_t *dep_msg_token_instantiate(const dep_manifest *m, size_t token) {
    if (token >= m->token_count) return NULL;
    const dep_token *t = &m->tokens[token];
    json_t *o = cw20_instantiate(t->name, t->symbol, t->decimals);
    json_t *balances = json_object_get(o, "initial_balances");
    for (size_t i = 0; i < t->balance_count; i++) {
        json_t *b = json_object();
        json_object_set_new(b, "address", str(t->initial_balances[i].address.address));
        json_object_set_new(b, "amount", str(t->initial_balances[i].amount.onchain));
        json_array_append_new(balances, b);
    }
    return o;
}

json_t *dep_msg_oracle_instantiate(const dep_manifest *m, const dep_system_addresses *addrs) {
    if (!addrs->governance) return NULL;
    const dep_oracle * or = &m->oracle;
    json_t *o = json_object();
    json_object_set_new(o, "governance", str(addrs->governance));
    json_t *feeders = json_array();
    for (size_t i = 0; i < or->feeder_count; i++)
        json_array_append_new(feeders, str(or->feeders[i].address));
    json_object_set_new(o, "feeders", feeders);
    json_object_set_new(o, "quorum", json_integer(or->quorum));
    json_object_set_new(o, "max_age", seconds(& or->max_age));
    json_object_set_new(o, "max_move", str(or->max_move.onchain));
    json_object_set_new(o, "delay", seconds(& or->delay));
    json_t *assets = json_array();
    for (size_t i = 0; i < or->asset_count; i++) {
        json_t *a = json_object();
        json_object_set_new(a, "denom", str(or->assets[i].denom));
        json_object_set_new(a, "source",
                            str(or->assets[i].source == DEP_SOURCE_CHAIN ? "chain" : "feeders"));
        json_array_append_new(assets, a);
    }
    json_object_set_new(o, "assets", assets);
    return o;
}

json_t *dep_msg_engine_instantiate(const dep_manifest *m, const dep_system_addresses *addrs) {
    if (!addrs->governance || !addrs->stable_token || !addrs->oracle) return NULL;
    const dep_engine *e = &m->engine;
    json_t *o = json_object();
    json_object_set_new(o, "governance", str(addrs->governance));
    json_object_set_new(o, "stable_token", str(addrs->stable_token));
    json_object_set_new(o, "oracle", str(addrs->oracle));
    json_object_set_new(o, "global_debt_ceiling", str(e->global_debt_ceiling.onchain));
    if (addrs->liquidator) json_object_set_new(o, "liquidator", str(addrs->liquidator));
    if (addrs->backstop_pool && m->backstop_pool_enabled)
        json_object_set_new(o, "backstop_pool", str(addrs->backstop_pool));
    if (addrs->settlement) json_object_set_new(o, "settlement", str(addrs->settlement));
    json_object_set_new(o, "global_auction_debt_limit", str(e->global_auction_debt_limit.onchain));
    json_object_set_new(o, "keeper_tip", str(e->keeper_tip.onchain));
    json_object_set_new(o, "keeper_fee", str(e->keeper_fee.onchain));
    json_object_set_new(o, "keeper_reward_cap", str(e->keeper_reward_cap.onchain));
    return o;
}

json_t *dep_msg_create_market(const dep_manifest *m, size_t market) {
    if (market >= m->market_count) return NULL;
    const dep_market *mk = &m->markets[market];
    json_t *o = json_object();
    json_object_set_new(o, "id", str(mk->id));
    json_object_set_new(o, "stability_fee", str(mk->stability_fee.onchain));
    json_object_set_new(o, "debt_ceiling", str(mk->debt_ceiling.onchain));
    json_object_set_new(o, "min_debt", str(mk->min_debt.onchain));
    json_object_set_new(o, "auction_debt_limit", str(mk->auction_debt_limit.onchain));
    return wrap("create_market", o);
}

json_t *dep_msg_add_collateral(const dep_manifest *m, size_t market, size_t collateral,
                               const dep_system_addresses *addrs) {
    if (market >= m->market_count || collateral >= m->markets[market].collateral_count) return NULL;
    const dep_market *mk = &m->markets[market];
    const dep_collateral *c = &mk->collaterals[collateral];
    const char *asset = c->asset;
    if (c->token >= 0) {
        asset = addrs->tokens ? addrs->tokens[c->token] : NULL;
        if (!asset) return NULL;
    }
    json_t *o = json_object();
    json_object_set_new(o, "market", str(mk->id));
    json_object_set_new(o, "asset", str(asset));
    json_object_set_new(o, "kind", str(c->kind == DEP_KIND_CW20 ? "cw20" : "native"));
    json_object_set_new(o, "oracle_denom", str(c->oracle_denom));
    json_object_set_new(o, "max_ltv", str(c->max_ltv.onchain));
    json_object_set_new(o, "liquidation_threshold", str(c->liquidation_threshold.onchain));
    json_object_set_new(o, "liquidation_penalty", str(c->liquidation_penalty.onchain));
    json_object_set_new(o, "supply_cap", str(c->supply_cap.onchain));
    return wrap("add_collateral", o);
}

json_t *dep_msg_liquidator_instantiate(const dep_manifest *m, const dep_system_addresses *addrs) {
    if (!addrs->governance || !addrs->vault_engine || !addrs->stable_token || !addrs->oracle)
        return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "governance", str(addrs->governance));
    json_object_set_new(o, "engine", str(addrs->vault_engine));
    json_object_set_new(o, "stable_token", str(addrs->stable_token));
    json_object_set_new(o, "oracle", str(addrs->oracle));
    if (m->backstop_pool_enabled && addrs->backstop_pool)
        json_object_set_new(o, "backstop_pool", str(addrs->backstop_pool));
    return o;
}

json_t *dep_msg_set_market_params(const dep_manifest *m, size_t market) {
    if (market >= m->market_count) return NULL;
    const dep_market *mk = &m->markets[market];
    const dep_auction *a = &mk->auction;
    json_t *curve = json_object();
    if (a->curve == DEP_CURVE_LINEAR) {
        json_object_set_new(curve, "duration", seconds(&a->duration));
        curve = wrap("linear", curve);
    } else {
        json_object_set_new(curve, "step", seconds(&a->step));
        json_object_set_new(curve, "cut", str(a->cut.onchain));
        curve = wrap("exponential", curve);
    }
    json_t *o = json_object();
    json_object_set_new(o, "market", str(mk->id));
    json_object_set_new(o, "curve", curve);
    json_object_set_new(o, "start_buffer", str(a->start_buffer.onchain));
    json_object_set_new(o, "max_duration", seconds(&a->max_duration));
    json_object_set_new(o, "reset_threshold", str(a->reset_threshold.onchain));
    json_object_set_new(o, "dust", str(a->dust.onchain));
    json_object_set_new(o, "backstop_health", str(a->backstop_health.onchain));
    return wrap("set_market_params", o);
}

json_t *dep_msg_set_circuit_breaker(const dep_manifest *m) {
    json_t *o = json_object();
    json_object_set_new(o, "level", json_integer((json_int_t)m->circuit_breaker));
    return wrap("set_circuit_breaker", o);
}

json_t *dep_msg_backstop_pool_instantiate(const dep_manifest *m,
                                          const dep_system_addresses *addrs) {
    (void)m;
    if (!addrs->governance || !addrs->stable_token || !addrs->vault_engine || !addrs->liquidator)
        return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "governance", str(addrs->governance));
    json_object_set_new(o, "stable_token", str(addrs->stable_token));
    json_object_set_new(o, "engine", str(addrs->vault_engine));
    json_object_set_new(o, "liquidator", str(addrs->liquidator));
    return o;
}
