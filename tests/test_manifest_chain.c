/* test_manifest_chain.c — the manifest's on-chain forms are what the contracts accept: every
 * message built from deploy/networks/local.json (deploy/src/manifest_msgs.c) is sent to the real
 * .wasm of governance, oracle, stable_token, cw20-base, vault_engine, liquidator, backstop_pool on
 * host-sim, and every stored value read back by query equals the manifest's on-chain text.
 * Also the liquidator (instantiate, set_market_params per market, set_circuit_breaker). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostsim.h"
#include "manifest.h"
#include "manifest_msgs.h"

#define CW20_WASM "node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm"

static hs_chain *C;
static dep_manifest *M;

static void setup(void) {
    dep_errors errs = {0};
    M = dep_manifest_load("deploy/networks/local.json", &errs);
    cr_assert_not_null(M, "%s", errs.count ? errs.items[0] : "");
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.cache_dir = "build/cache";
    cfg.chain_id = M->chain_id;
    cfg.bech32_prefix = M->address_prefix;
    char *err = NULL;
    cr_assert_eq(hs_chain_open(&cfg, &C, &err), 0, "%s", err);
}

static void teardown(void) {
    hs_chain_close(C);
    dep_manifest_free(M);
}

static uint64_t store(const char *path) {
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s (run make first)", path);
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    rewind(f);
    uint8_t *w = malloc(n);
    cr_assert(fread(w, 1, n, f) == n);
    fclose(f);
    hs_result r = hs_store_code(C, "deployer", w, n);
    free(w);
    cr_assert(r.ok, "store %s: %s", path, r.error);
    uint64_t id = r.code_id;
    hs_result_free(&r);
    return id;
}

/* Instantiate with msg (stolen); the address into out. */
static void instantiate(const char *source, json_t *msg, char *out) {
    cr_assert_not_null(msg, "no message for %s", source);
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    hs_result r = hs_instantiate(C, store(source), "deployer", text, NULL, 0, source, "deployer");
    cr_assert(r.ok, "instantiate %s: %s\n%s", source, r.error, text);
    strcpy(out, r.address);
    free(text);
    hs_result_free(&r);
}

static void execute(const char *contract, const char *sender, json_t *msg) {
    cr_assert_not_null(msg);
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    hs_result r = hs_execute(C, contract, sender, text, NULL, 0);
    cr_assert(r.ok, "execute %s: %s", text, r.error);
    free(text);
    hs_result_free(&r);
}

static json_t *query(const char *contract, const char *msg) {
    hs_result r = hs_query(C, contract, msg);
    cr_assert(r.ok, "query %s: %s", msg, r.error);
    json_error_t e;
    json_t *v = json_loads(r.answer, 0, &e);
    cr_assert_not_null(v, "%s", r.answer);
    hs_result_free(&r);
    return v;
}

static void expect_str(json_t *obj, const char *key, const char *want) {
    json_t *v = json_object_get(obj, key);
    cr_assert(json_is_string(v), "%s is not a string", key);
    cr_assert_str_eq(json_string_value(v), want, "%s", key);
}

static void expect_int(json_t *obj, const char *key, uint64_t want) {
    json_t *v = json_object_get(obj, key);
    cr_assert(json_is_integer(v), "%s is not an integer", key);
    cr_assert_eq((uint64_t)json_integer_value(v), want, "%s", key);
}

TestSuite(manifest_chain, .init = setup, .fini = teardown);

Test(manifest_chain, local_json_deploys_and_reads_back) {
    char gov_account[128], timelock[128], oracle[128], stable[128], wbtc[128], engine[128],
        pool[128], liquidator[128];
    hs_address(C, "gov", gov_account, sizeof gov_account);
    hs_address(C, "liquidator_stand_in", liquidator, sizeof liquidator);
    char deployer[128];
    hs_address(C, "deployer", deployer, sizeof deployer);

    /* Governance: the timelock with the manifest's roles and delays. */
    instantiate("build/contracts/governance.wasm", dep_msg_governance_instantiate(M), timelock);
    json_t *g = query(timelock, "{\"config\":{}}");
    expect_str(g, "proposer", M->governance.proposer.address);
    expect_str(g, "guardian", M->governance.guardian.address);
    expect_str(g, "emergency", M->governance.emergency.address);
    expect_int(g, "min_delay", 172800);
    expect_int(g, "max_delay", 2592000);
    expect_int(g, "grace_period", 604800);
    cr_assert_eq(json_array_size(json_object_get(g, "emergency_actions")), 3);
    json_decref(g);

    /* The parameters are governed by a plain account here so the test can send them at once
     * (apply wraps them in a timelock proposal). */
    dep_system_addresses addrs = {.governance = gov_account};
    instantiate("build/contracts/oracle.wasm", dep_msg_oracle_instantiate(M, &addrs), oracle);
    json_t *o = query(oracle, "{\"config\":{}}");
    expect_int(o, "quorum", 2);
    expect_int(o, "max_age", 600);
    expect_str(o, "max_move", "0.2");
    expect_int(o, "delay", 0);
    cr_assert_eq(json_array_size(json_object_get(o, "feeders")), 3);
    json_decref(o);
    o = query(oracle, "{\"assets\":{}}");
    cr_assert_eq(json_array_size(json_object_get(o, "assets")), 4);
    json_decref(o);
    addrs.oracle = oracle;

    instantiate("build/contracts/stable_token.wasm", dep_msg_stable_token_instantiate(M, deployer),
                stable);
    json_t *t = query(stable, "{\"token_info\":{}}");
    expect_str(t, "name", "Ballast USD");
    expect_str(t, "symbol", "BUSD");
    expect_int(t, "decimals", 6);
    json_decref(t);
    addrs.stable_token = stable;

    instantiate(CW20_WASM, dep_msg_token_instantiate(M, 0), wbtc);
    char balance_q[256];
    snprintf(balance_q, sizeof balance_q, "{\"balance\":{\"address\":\"%s\"}}",
             M->tokens[0].initial_balances[0].address.address);
    t = query(wbtc, balance_q);
    expect_str(t, "balance", "100000000000"); /* 1000 WBTC, 8 decimals */
    json_decref(t);
    const char *tokens[] = {wbtc};
    addrs.tokens = tokens;

    instantiate("build/contracts/vault_engine.wasm", dep_msg_engine_instantiate(M, &addrs), engine);
    addrs.vault_engine = engine;
    json_t *e = query(engine, "{\"config\":{}}");
    expect_str(e, "global_debt_ceiling", M->engine.global_debt_ceiling.onchain);
    expect_str(e, "global_auction_debt_limit", "5000000000000");
    expect_str(e, "keeper_tip", "10000000");
    expect_str(e, "keeper_fee", "0.001");
    expect_str(e, "keeper_reward_cap", "500000000");
    json_decref(e);

    /* Every market and collateral, read back field by field. */
    for (size_t i = 0; i < M->market_count; i++) {
        execute(engine, "gov", dep_msg_create_market(M, i));
        for (size_t k = 0; k < M->markets[i].collateral_count; k++)
            execute(engine, "gov", dep_msg_add_collateral(M, i, k, &addrs));
    }
    for (size_t i = 0; i < M->market_count; i++) {
        const dep_market *mk = &M->markets[i];
        char q[128];
        snprintf(q, sizeof q, "{\"market\":{\"id\":\"%s\"}}", mk->id);
        json_t *mq = query(engine, q);
        expect_str(mq, "stability_fee", mk->stability_fee.onchain);
        expect_str(mq, "debt_ceiling", mk->debt_ceiling.onchain);
        expect_str(mq, "min_debt", mk->min_debt.onchain);
        expect_str(mq, "auction_debt_limit", mk->auction_debt_limit.onchain);
        json_t *cols = json_object_get(mq, "collaterals");
        cr_assert_eq(json_array_size(cols), mk->collateral_count);
        for (size_t k = 0; k < mk->collateral_count; k++) {
            const dep_collateral *c = &mk->collaterals[k];
            /* The engine lists collaterals in its own (storage) order: find by asset. */
            const char *asset = c->token >= 0 ? wbtc : c->asset;
            json_t *cq = NULL;
            for (size_t j = 0; j < json_array_size(cols); j++)
                if (strcmp(json_string_value(json_object_get(json_array_get(cols, j), "asset")),
                           asset) == 0)
                    cq = json_array_get(cols, j);
            cr_assert_not_null(cq, "collateral %s not listed in market %s", asset, mk->id);
            expect_str(cq, "kind", c->kind == DEP_KIND_CW20 ? "cw20" : "native");
            expect_str(cq, "oracle_denom", c->oracle_denom);
            expect_str(cq, "max_ltv", c->max_ltv.onchain);
            expect_str(cq, "liquidation_threshold", c->liquidation_threshold.onchain);
            expect_str(cq, "liquidation_penalty", c->liquidation_penalty.onchain);
            expect_str(cq, "supply_cap", c->supply_cap.onchain);
        }
        json_decref(mq);
    }
    /* Spot values, so the loop above cannot pass on two wrong sides. */
    json_t *atom = query(engine, "{\"market\":{\"id\":\"atom\"}}");
    expect_str(atom, "stability_fee", "0.025");
    expect_str(atom, "debt_ceiling", "20000000000000");
    expect_str(json_array_get(json_object_get(atom, "collaterals"), 0), "max_ltv", "0.6");
    json_decref(atom);

    /* The liquidator (pool wired after the pool exists) and its per-market auction
     * parameters: market_params answers in the message's own form. */
    instantiate("build/contracts/liquidator.wasm", dep_msg_liquidator_instantiate(M, &addrs),
                liquidator);
    addrs.liquidator = liquidator;
    instantiate("build/contracts/backstop_pool.wasm", dep_msg_backstop_pool_instantiate(M, &addrs),
                pool);
    addrs.backstop_pool = pool;
    json_t *p = query(pool, "{\"config\":{}}");
    expect_str(p, "engine", engine);
    expect_str(p, "liquidator", liquidator);
    json_decref(p);
    char wire[256];
    snprintf(wire, sizeof wire, "{\"update_config\":{\"backstop_pool\":\"%s\"}}", pool);
    execute(liquidator, "gov", json_loads(wire, 0, NULL));
    for (size_t i = 0; i < M->market_count; i++) {
        json_t *msg = dep_msg_set_market_params(M, i);
        json_t *want = json_deep_copy(json_object_get(msg, "set_market_params"));
        execute(liquidator, "gov", msg);
        char q[128];
        snprintf(q, sizeof q, "{\"market_params\":{\"market\":\"%s\"}}", M->markets[i].id);
        json_t *got = query(liquidator, q);
        char *gs = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
        char *ws = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
        cr_assert_str_eq(gs, ws);
        free(gs), free(ws);
        json_decref(got), json_decref(want);
    }
    json_t *l = query(liquidator, "{\"config\":{}}");
    expect_str(l, "backstop_pool", pool);
    expect_str(l, "engine", engine);
    json_decref(l);
    json_t *level = dep_msg_set_circuit_breaker(M);
    json_object_set_new(json_object_get(level, "set_circuit_breaker"), "level", json_integer(2));
    execute(liquidator, "gov", level); /* a non-default level, then the manifest's */
    execute(liquidator, "gov", dep_msg_set_circuit_breaker(M));
    l = query(liquidator, "{\"config\":{}}");
    expect_int(l, "circuit_breaker", 0);
    json_decref(l);
}

static void expect_json(json_t *msg, const char *want) {
    cr_assert_not_null(msg);
    char *text = json_dumps(msg, JSON_COMPACT);
    cr_assert_str_eq(text, want);
    free(text);
    json_decref(msg);
}

Test(manifest_chain, liquidator_messages) {
    expect_json(dep_msg_set_market_params(M, 0),
                "{\"set_market_params\":{\"market\":\"atom\",\"curve\":{\"linear\":{\"duration\":"
                "7200}},\"start_buffer\":\"1.2\",\"max_duration\":5400,\"reset_threshold\":\"0.4\","
                "\"dust\":\"20000000\",\"backstop_health\":\"0.9\"}}");
    expect_json(dep_msg_set_market_params(M, 1),
                "{\"set_market_params\":{\"market\":\"osmo\",\"curve\":{\"exponential\":{\"step\":"
                "90,\"cut\":\"0.99\"}},\"start_buffer\":\"1.3\",\"max_duration\":7200,"
                "\"reset_threshold\":\"0.5\",\"dust\":\"20000000\",\"backstop_health\":\"0.85\"}}");
    expect_json(dep_msg_set_circuit_breaker(M), "{\"set_circuit_breaker\":{\"level\":0}}");
    dep_system_addresses a = {.governance = "g",
                              .vault_engine = "e",
                              .stable_token = "t",
                              .oracle = "o",
                              .backstop_pool = "p"};
    expect_json(dep_msg_liquidator_instantiate(M, &a),
                "{\"governance\":\"g\",\"engine\":\"e\",\"stable_token\":\"t\",\"oracle\":\"o\","
                "\"backstop_pool\":\"p\"}");
    /* The pool not deployed yet: wired later with update_config. */
    a.backstop_pool = NULL;
    expect_json(dep_msg_liquidator_instantiate(M, &a),
                "{\"governance\":\"g\",\"engine\":\"e\",\"stable_token\":\"t\",\"oracle\":\"o\"}");
    /* A needed address missing: no message. */
    a.oracle = NULL;
    cr_assert_null(dep_msg_liquidator_instantiate(M, &a));
    dep_system_addresses none = {0};
    cr_assert_null(dep_msg_engine_instantiate(M, &none));
    cr_assert_null(dep_msg_add_collateral(M, 2, 0, &none)); /* token:wbtc not deployed */
    cr_assert_null(dep_msg_create_market(M, 3));
}
