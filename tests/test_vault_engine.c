/* test_vault_engine.c — the vault engine end to end on the host simulator: the real .wasm of
 * vault_engine, stable_token (the engine is its minter), the oracle and cw20-base (a CW20
 * collateral). Every message and refusal with exact numbers, baskets, the Receive hook,
 * stability fees checked against an independent GMP computation, prices, ceilings and caps,
 * rounding direction, and the accounting identity. Spec: contracts/vault_engine/SPEC.md. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <gmp.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostsim.h"
#include "hs_fixture.h"

#define ENGINE_WASM "build/contracts/vault_engine.wasm"
#define TOKEN_WASM "build/contracts/stable_token.wasm"
#define ORACLE_WASM "build/contracts/oracle.wasm"
#define CW20_WASM "node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm"

/* --- Fixture ---------------------------------------------------------------------------------- */

static char ENGINE[128], TOKEN[128], ORACLE[128], CW20[128];
static char ALICE[128], BOB[128], GOV[128], FEEDER[128];

static hs_result qraw(const char *contract, const char *msg) {
    return hs_query(C, contract, msg);
}

/* A CW20 `send` of `amount` from `sender` to the engine with the hook msg `inner`. */
static hs_result send_cw20(const char *token, const char *sender, const char *amount,
                           const char *inner) {
    char *m = b64(inner);
    hs_result r =
        ex(sender, token, "{\"send\":{\"contract\":\"%s\",\"amount\":\"%s\",\"msg\":\"%s\"}}",
           ENGINE, amount, m);
    free(m);
    return r;
}

static hs_result repay(const char *sender, const char *amount, int id) {
    char inner[64];
    snprintf(inner, sizeof inner, "{\"repay\":{\"position_id\":%d}}", id);
    return send_cw20(TOKEN, sender, amount, inner);
}

/* The oracle serves the median of fresh feeder submissions (quorum 1, max_age 600 s). */
static void price(const char *denom, const char *p) {
    ok(ex(FEEDER, ORACLE, "{\"submit_price\":{\"denom\":\"%s\",\"price\":\"%s\"}}", denom, p));
}

static void identity_holds(void) {
    json_t *j = qj(ENGINE, "{\"accounting\":{}}");
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
}

/* Collateral parameters: kind, oracle denom, ltv, threshold, penalty, cap. */
static hs_result add_coll(const char *market, const char *asset, const char *kind,
                          const char *oracle_denom, const char *ltv, const char *lt, const char *lp,
                          const char *cap) {
    return ex(GOV, ENGINE,
              "{\"add_collateral\":{\"market\":\"%s\",\"asset\":\"%s\",\"kind\":\"%s\","
              "\"oracle_denom\":\"%s\",\"max_ltv\":\"%s\",\"liquidation_threshold\":\"%s\","
              "\"liquidation_penalty\":\"%s\",\"supply_cap\":\"%s\"}}",
              market, asset, kind, oracle_denom, ltv, lt, lp, cap);
}

static hs_result create_market(const char *id, const char *fee, const char *ceiling,
                               const char *min_debt) {
    return ex(GOV, ENGINE,
              "{\"create_market\":{\"id\":\"%s\",\"stability_fee\":\"%s\",\"debt_ceiling\":"
              "\"%s\",\"min_debt\":\"%s\"}}",
              id, fee, ceiling, min_debt);
}

/* Chain with the four contracts; markets "atom" (fee 0: uatom 0.5/0.6, uosmo 0.4/0.5, the CW20
 * 0.8/0.85, min_debt 100) and "osmo" (fee 0: uosmo). Prices: uatom 10, uosmo 2, ucw 1. */
static void setup(void) {
    open_chain("alice");
    hs_address(C, "alice", ALICE, sizeof ALICE);
    hs_address(C, "bob", BOB, sizeof BOB);
    hs_address(C, "gov", GOV, sizeof GOV);
    hs_address(C, "feeder", FEEDER, sizeof FEEDER);
    uint64_t token = store_code(TOKEN_WASM), engine = store_code(ENGINE_WASM),
             oracle = store_code(ORACLE_WASM), cw20 = store_code(CW20_WASM);
    instantiate(oracle, ORACLE,
                "{\"governance\":\"%s\",\"feeders\":[\"%s\"],\"quorum\":1,\"max_age\":600,"
                "\"max_move\":\"1000\",\"delay\":0,\"assets\":[{\"denom\":\"uatom\",\"source\":"
                "\"feeders\"},{\"denom\":\"uosmo\",\"source\":\"feeders\"},{\"denom\":\"ucw\","
                "\"source\":\"feeders\"},{\"denom\":\"unone\",\"source\":\"feeders\"}]}",
                GOV, FEEDER);
    instantiate(token, TOKEN,
                "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
                "\"initial_balances\":[{\"address\":\"%s\",\"amount\":\"1000000\"}],"
                "\"mint\":{\"minter\":\"%s\"}}",
                BOB, GOV);
    instantiate(engine, ENGINE,
                "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\","
                "\"global_debt_ceiling\":\"1000000000\"}",
                GOV, TOKEN, ORACLE);
    ok(ex(GOV, TOKEN, "{\"update_minter\":{\"new_minter\":\"%s\"}}", ENGINE));
    instantiate(cw20, CW20,
                "{\"name\":\"Collateral\",\"symbol\":\"CWT\",\"decimals\":6,"
                "\"initial_balances\":[{\"address\":\"%s\",\"amount\":\"1000000\"},"
                "{\"address\":\"%s\",\"amount\":\"1000000\"}]}",
                ALICE, BOB);
    ok(create_market("atom", "0", "100000000", "100"));
    ok(add_coll("atom", "uatom", "native", "uatom", "0.5", "0.6", "0.1", "1000000"));
    ok(add_coll("atom", "uosmo", "native", "uosmo", "0.4", "0.5", "0.1", "1000000"));
    ok(add_coll("atom", CW20, "cw20", "ucw", "0.8", "0.85", "0.05", "1000000"));
    ok(create_market("osmo", "0", "100000000", "0"));
    ok(add_coll("osmo", "uosmo", "native", "uosmo", "0.5", "0.6", "0.1", "1000000"));
    price("uatom", "10");
    price("uosmo", "2");
    price("ucw", "1");
    mint_native(ALICE, "uatom", "100000");
    mint_native(ALICE, "uosmo", "100000");
    mint_native(BOB, "uatom", "100000");
}

static void teardown(void) {
    close_chain();
}

TestSuite(vault_engine, .init = setup, .fini = teardown);

/* Open a position in `market` for `owner` with optional native funds; returns its id. */
static int open_pos(const char *owner, const char *market, const char *denom, const char *amt) {
    hs_result r = exf(owner, ENGINE, denom, amt, "{\"open_position\":{\"market\":\"%s\"}}", market);
    cr_assert(r.ok, "open: %s", r.error);
    cr_assert(r.data);
    int id = data_int(&r);
    hs_result_free(&r);
    return id;
}

static hs_result borrow(const char *who, int id, const char *amount) {
    return ex(who, ENGINE, "{\"borrow\":{\"position_id\":%d,\"amount\":\"%s\"}}", id, amount);
}

static json_t *position(int id) {
    return qj(ENGINE, "{\"position\":{\"position_id\":%d}}", id);
}

/* --- Config and governance -------------------------------------------------------------------- */

Test(vault_engine, instantiate_and_config_query) {
    json_t *j = qj(ENGINE, "{\"config\":{}}");
    expect_eq(j, "governance", GOV);
    expect_eq(j, "stable_token", TOKEN);
    expect_eq(j, "oracle", ORACLE);
    expect_eq(j, "global_debt_ceiling", "1000000000");
    expect_eq(j, "next_position_id", "1");
    json_decref(j);
    j = qj(ENGINE, "{\"totals\":{}}");
    char *d = json_dumps(j, JSON_COMPACT);
    cr_assert_str_eq(d, "{\"total_debt\":\"0\",\"minted\":\"0\",\"burned\":\"0\",\"surplus\":"
                        "\"0\",\"open_positions\":0,\"global_debt_ceiling\":\"1000000000\","
                        "\"auction_debt\":\"0\",\"bad_debt\":\"0\",\"spent\":\"0\",\"settled\":"
                        "\"0\",\"redeemed\":\"0\"}");
    free(d);
    json_decref(j);
}

Test(vault_engine, instantiate_refuses_bad_messages) {
    uint64_t code = store_code(ENGINE_WASM);
    hs_result r = hs_instantiate(C, code, "alice", "{\"governance\":\"nope\"}", NULL, 0, "x", NULL);
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "addr_validate"), "%s", r.error);
    hs_result_free(&r);
    char msg[512];
    snprintf(msg, sizeof msg, "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\"}",
             GOV, TOKEN, ORACLE);
    r = hs_instantiate(C, code, "alice", msg, NULL, 0, "x", NULL);
    cr_assert(!r.ok && strstr(r.error, "missing field `global_debt_ceiling`"), "%s", r.error);
    hs_result_free(&r);
}

Test(vault_engine, market_query_lists_parameters_and_collaterals) {
    json_t *j = qj(ENGINE, "{\"market\":{\"id\":\"atom\"}}");
    expect_eq(j, "id", "atom");
    expect_eq(j, "stability_fee", "0");
    expect_eq(j, "rate_per_second", "1");
    expect_eq(j, "accumulator", "1");
    expect_eq(j, "debt", "0");
    expect_eq(j, "debt_ceiling", "100000000");
    expect_eq(j, "min_debt", "100");
    cr_assert_eq(json_array_size(json_object_get(j, "collaterals")), 3);
    /* asset byte order: uatom, uosmo, then the wasm1… address */
    expect_eq(j, "collaterals.0.asset", "uatom");
    expect_eq(j, "collaterals.0.kind", "native");
    expect_eq(j, "collaterals.0.max_ltv", "0.5");
    expect_eq(j, "collaterals.0.liquidation_threshold", "0.6");
    expect_eq(j, "collaterals.0.liquidation_penalty", "0.1");
    expect_eq(j, "collaterals.0.supply_cap", "1000000");
    expect_eq(j, "collaterals.0.total", "0");
    expect_eq(j, "collaterals.1.asset", "uosmo");
    expect_eq(j, "collaterals.2.kind", "cw20");
    expect_eq(j, "collaterals.2.oracle_denom", "ucw");
    json_decref(j);
    j = qj(ENGINE, "{\"markets\":{}}");
    cr_assert_eq(json_array_size(json_object_get(j, "markets")), 2);
    expect_eq(j, "markets.1.id", "osmo");
    json_decref(j);
    j = qj(ENGINE, "{\"markets\":{\"start_after\":\"atom\",\"limit\":5}}");
    cr_assert_eq(json_array_size(json_object_get(j, "markets")), 1);
    expect_eq(j, "markets.0.id", "osmo");
    json_decref(j);
    hs_result r = qraw(ENGINE, "{\"market\":{\"id\":\"nope\"}}");
    cr_assert(!r.ok && strstr(r.error, "market not found: nope"), "%s", r.error);
    hs_result_free(&r);
}

Test(vault_engine, governance_only_refusals) {
    fails(ex(ALICE, ENGINE,
             "{\"create_market\":{\"id\":\"x\",\"stability_fee\":\"0\",\"debt_ceiling\":\"1\","
             "\"min_debt\":\"0\"}}"),
          "unauthorized: governance only");
    fails(ex(ALICE, ENGINE, "{\"update_market\":{\"id\":\"atom\",\"min_debt\":\"1\"}}"),
          "unauthorized: governance only");
    fails(ex(ALICE, ENGINE, "{\"update_config\":{\"global_debt_ceiling\":\"1\"}}"),
          "unauthorized: governance only");
    hs_result r = ex(ALICE, ENGINE,
                     "{\"update_collateral\":{\"market\":\"atom\",\"asset\":\"uatom\","
                     "\"max_ltv\":\"0.1\"}}");
    fails(r, "unauthorized: governance only");
    r = exf(ALICE, ENGINE, NULL, NULL,
            "{\"add_collateral\":{\"market\":\"atom\",\"asset\":\"ufoo\",\"kind\":\"native\","
            "\"oracle_denom\":\"ufoo\",\"max_ltv\":\"0.5\",\"liquidation_threshold\":\"0.6\","
            "\"liquidation_penalty\":\"0.1\",\"supply_cap\":\"1\"}}");
    fails(r, "unauthorized: governance only");
}

Test(vault_engine, create_market_validation) {
    fails(create_market("atom", "0", "1", "0"), "market already exists: atom");
    fails(create_market("Bad!", "0", "1", "0"),
          "invalid parameters: market id 'Bad!' must match [a-z0-9_-]{1,32}");
    fails(create_market("hi", "1.5", "1", "0"),
          "invalid parameters: stability_fee 1.5 must be <= 1");
    hs_result r = create_market("eth", "0.05", "500", "10");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(
        strstr(r.events, "{\"key\":\"rate_per_second\",\"value\":\"1.000000001547125957863212"),
        "%s", r.events);
    hs_result_free(&r);
}

Test(vault_engine, add_collateral_risk_bounds) {
    fails(add_coll("atom", "ufoo", "native", "ufoo", "0", "0.6", "0.1", "1"),
          "invalid parameters: max_ltv must be > 0");
    fails(add_coll("atom", "ufoo", "native", "ufoo", "0.8", "0.8", "0.1", "1"),
          "invalid parameters: max_ltv 0.8 must be < liquidation_threshold 0.8");
    fails(add_coll("atom", "ufoo", "native", "ufoo", "0.8", "1", "0", "1"),
          "invalid parameters: liquidation_threshold 1 must be < 1");
    fails(add_coll("atom", "ufoo", "native", "ufoo", "0.5", "0.6", "0.51", "1"),
          "invalid parameters: liquidation_penalty 0.51 must be <= 0.5");
    fails(add_coll("atom", "ufoo", "native", "ufoo", "0.5", "0.91", "0.1", "1"),
          "invalid parameters: liquidation_threshold 0.91 * (1 + liquidation_penalty 0.1) must "
          "be <= 1");
    /* exactly 1 is allowed: 0.8 * 1.25 would exceed the penalty bound; 0.909… * 1.1 < 1 */
    ok(add_coll("atom", "ufoo", "native", "ufoo", "0.5", "0.909090909090909090", "0.1", "1"));
    fails(add_coll("atom", "ufoo", "native", "ufoo", "0.5", "0.6", "0.1", "1"),
          "collateral already listed: ufoo in market atom");
    fails(add_coll("atom", "ubar", "wrapped", "ubar", "0.5", "0.6", "0.1", "1"),
          "invalid parameters: kind 'wrapped' must be native or cw20");
    fails(add_coll("atom", "notanaddress", "cw20", "ubar", "0.5", "0.6", "0.1", "1"),
          "addr_validate");
    fails(add_coll("nomarket", "ubar", "native", "ubar", "0.5", "0.6", "0.1", "1"),
          "market not found: nomarket");
}

Test(vault_engine, update_collateral_emits_old_and_new) {
    hs_result r = ex(GOV, ENGINE,
                     "{\"update_collateral\":{\"market\":\"atom\",\"asset\":\"uatom\","
                     "\"max_ltv\":\"0.55\",\"supply_cap\":\"5000\"}}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"key\":\"old_max_ltv\",\"value\":\"0.5\"},{\"key\":"
                               "\"new_max_ltv\",\"value\":\"0.55\"}"),
              "%s", r.events);
    cr_assert(strstr(r.events, "{\"key\":\"old_supply_cap\",\"value\":\"1000000\"},{\"key\":"
                               "\"new_supply_cap\",\"value\":\"5000\"}"),
              "%s", r.events);
    hs_result_free(&r);
    fails(ex(GOV, ENGINE,
             "{\"update_collateral\":{\"market\":\"atom\",\"asset\":\"uatom\","
             "\"liquidation_threshold\":\"0.55\"}}"),
          "invalid parameters: max_ltv 0.55 must be < liquidation_threshold 0.55");
    fails(
        ex(GOV, ENGINE,
           "{\"update_collateral\":{\"market\":\"osmo\",\"asset\":\"uatom\",\"max_ltv\":\"0.1\"}}"),
        "asset uatom is not a collateral of market osmo");
    /* a cap below the current total needs force */
    open_pos(ALICE, "atom", "uatom", "3000");
    fails(ex(GOV, ENGINE,
             "{\"update_collateral\":{\"market\":\"atom\",\"asset\":\"uatom\","
             "\"supply_cap\":\"2999\"}}"),
          "invalid parameters: supply_cap 2999 < current total 3000 (market atom); set force to "
          "override");
    ok(ex(GOV, ENGINE,
          "{\"update_collateral\":{\"market\":\"atom\",\"asset\":\"uatom\",\"supply_cap\":\"2999\","
          "\"force\":true}}"));
    json_t *j = qj(ENGINE, "{\"market\":{\"id\":\"atom\"}}");
    expect_eq(j, "collaterals.0.supply_cap", "2999");
    expect_eq(j, "collaterals.0.max_ltv", "0.55");
    json_decref(j);
}

Test(vault_engine, update_market_ceiling_needs_force_below_debt) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(borrow(ALICE, id, "3000"));
    fails(ex(GOV, ENGINE, "{\"update_market\":{\"id\":\"atom\",\"debt_ceiling\":\"2999\"}}"),
          "invalid parameters: debt_ceiling 2999 < current debt 3000 (market atom); set force to "
          "override");
    hs_result r = ex(GOV, ENGINE,
                     "{\"update_market\":{\"id\":\"atom\",\"debt_ceiling\":\"2999\",\"force\":"
                     "true,\"min_debt\":\"5\",\"stability_fee\":\"0.1\"}}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"key\":\"old_stability_fee\",\"value\":\"0\"},{\"key\":"
                               "\"new_stability_fee\",\"value\":\"0.1\"}"),
              "%s", r.events);
    cr_assert(strstr(r.events, "{\"key\":\"old_debt_ceiling\",\"value\":\"100000000\"},{\"key\":"
                               "\"new_debt_ceiling\",\"value\":\"2999\"}"),
              "%s", r.events);
    cr_assert(strstr(r.events, "{\"key\":\"old_min_debt\",\"value\":\"100\"},{\"key\":"
                               "\"new_min_debt\",\"value\":\"5\"}"),
              "%s", r.events);
    hs_result_free(&r);
    fails(borrow(ALICE, id, "1"),
          "market debt ceiling exceeded: debt 3001 > ceiling 2999 (market atom)");
}

Test(vault_engine, update_config_transfers_governance) {
    hs_result r =
        ex(GOV, ENGINE, "{\"update_config\":{\"governance\":\"%s\",\"global_debt_ceiling\":\"5\"}}",
           BOB);
    cr_assert(r.ok, "%s", r.error);
    char want[512];
    snprintf(want, sizeof want,
             "{\"key\":\"old_governance\",\"value\":\"%s\"},{\"key\":\"new_governance\","
             "\"value\":\"%s\"}",
             GOV, BOB);
    cr_assert(strstr(r.events, want), "%s", r.events);
    cr_assert(strstr(r.events, "{\"key\":\"old_global_debt_ceiling\",\"value\":\"1000000000\"},"
                               "{\"key\":\"new_global_debt_ceiling\",\"value\":\"5\"}"));
    hs_result_free(&r);
    fails(create_market("x", "0", "1", "0"), "unauthorized: governance only");
    ok(ex(BOB, ENGINE, "{\"update_config\":{\"global_debt_ceiling\":\"1000000\"}}"));
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(borrow(ALICE, id, "2000"));
    fails(ex(BOB, ENGINE, "{\"update_config\":{\"global_debt_ceiling\":\"1999\"}}"),
          "invalid parameters: global_debt_ceiling 1999 < current debt 2000; set force to "
          "override");
    ok(ex(BOB, ENGINE, "{\"update_config\":{\"global_debt_ceiling\":\"1999\",\"force\":true}}"));
    fails(ex(BOB, ENGINE, "{\"update_config\":{\"oracle\":\"bad\"}}"), "addr_validate");
}

/* --- Positions and collateral ----------------------------------------------------------------- */

Test(vault_engine, open_position_returns_id_and_indexes_owner) {
    hs_result r = exf(ALICE, ENGINE, "uatom", "500", "{\"open_position\":{\"market\":\"atom\"}}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(r.data, "MQ=="); /* "1" */
    cr_assert(strstr(r.events, "{\"key\":\"action\",\"value\":\"open_position\"},{\"key\":"
                               "\"position_id\",\"value\":\"1\"},{\"key\":\"market\",\"value\":"
                               "\"atom\"}"),
              "%s", r.events);
    cr_assert(strstr(r.events,
                     "{\"key\":\"asset\",\"value\":\"uatom\"},{\"key\":\"amount\","
                     "\"value\":\"500\"},{\"key\":\"collateral_total\",\"value\":\"500\"}"));
    hs_result_free(&r);
    cr_assert_eq(open_pos(ALICE, "osmo", NULL, NULL), 2);
    cr_assert_eq(open_pos(BOB, "atom", NULL, NULL), 3);
    cr_assert_eq(open_pos(ALICE, "atom", NULL, NULL), 4);
    json_t *j = position(1);
    char *d = json_dumps(j, JSON_COMPACT);
    char want[512];
    snprintf(want, sizeof want,
             "{\"id\":1,\"owner\":\"%s\",\"market\":\"atom\",\"normalised_debt\":\"0\",\"debt\":"
             "\"0\",\"collateral\":[{\"asset\":\"uatom\",\"amount\":\"500\"}]}",
             ALICE);
    cr_assert_str_eq(d, want);
    free(d);
    json_decref(j);
    j = qj(ENGINE, "{\"positions_by_owner\":{\"owner\":\"%s\"}}", ALICE);
    cr_assert_eq(json_array_size(json_object_get(j, "positions")), 3);
    expect_eq(j, "positions.2.id", "4");
    json_decref(j);
    j = qj(ENGINE, "{\"positions_by_owner\":{\"owner\":\"%s\",\"start_after\":1,\"limit\":1}}",
           ALICE);
    cr_assert_eq(json_array_size(json_object_get(j, "positions")), 1);
    expect_eq(j, "positions.0.id", "2");
    json_decref(j);
    j = qj(ENGINE, "{\"totals\":{}}");
    expect_eq(j, "open_positions", "4");
    json_decref(j);
    fails(ex(ALICE, ENGINE, "{\"open_position\":{\"market\":\"nope\"}}"), "market not found: nope");
    bank_is(ENGINE, "uatom", "500");
    identity_holds();
}

Test(vault_engine, deposit_native_rules) {
    int id = open_pos(ALICE, "atom", NULL, NULL);
    ok(exf(BOB, ENGINE, "uatom", "700", "{\"deposit\":{\"position_id\":%d}}", id)); /* anyone */
    mint_native(ALICE, "ufoo", "10");
    fails(exf(ALICE, ENGINE, "ufoo", "1", "{\"deposit\":{\"position_id\":%d}}", id),
          "asset ufoo is not a collateral of market atom");
    fails(ex(ALICE, ENGINE, "{\"deposit\":{\"position_id\":%d}}", id), "zero amount");
    fails(exf(ALICE, ENGINE, "uatom", "1", "{\"deposit\":{\"position_id\":99}}"),
          "position not found: 99");
    /* isolation: uosmo of market osmo is a different collateral from atom's uosmo */
    int osmo = open_pos(ALICE, "osmo", NULL, NULL);
    fails(exf(ALICE, ENGINE, "uatom", "1", "{\"deposit\":{\"position_id\":%d}}", osmo),
          "asset uatom is not a collateral of market osmo");
    ok(exf(ALICE, ENGINE, "uosmo", "10", "{\"deposit\":{\"position_id\":%d}}", osmo));
    json_t *j = qj(ENGINE, "{\"market\":{\"id\":\"atom\"}}");
    expect_eq(j, "collaterals.1.total", "0");
    json_decref(j);
    /* supply cap: 1,000,000 per collateral */
    mint_native(ALICE, "uatom", "2000000");
    fails(exf(ALICE, ENGINE, "uatom", "999301", "{\"deposit\":{\"position_id\":%d}}", id),
          "supply cap exceeded: total 1000001 > cap 1000000 (market atom, collateral uatom)");
    ok(exf(ALICE, ENGINE, "uatom", "999300", "{\"deposit\":{\"position_id\":%d}}", id));
    j = position(id);
    expect_eq(j, "collateral.0.amount", "1000000");
    json_decref(j);
    identity_holds();
}

Test(vault_engine, cw20_collateral_through_receive) {
    int id = open_pos(ALICE, "atom", NULL, NULL);
    char inner[64];
    snprintf(inner, sizeof inner, "{\"deposit\":{\"position_id\":%d}}", id);
    ok(send_cw20(CW20, ALICE, "400", inner));
    cw20_balance_is(CW20, ENGINE, "400");
    json_t *j = position(id);
    expect_eq(j, "collateral.0.asset", CW20);
    expect_eq(j, "collateral.0.amount", "400");
    json_decref(j);
    /* price 1, max_ltv 0.8: limit 320 */
    fails(borrow(ALICE, id, "321"), "borrow limit exceeded: debt 321 > limit 320 (market atom, "
                                    "position 1)");
    ok(borrow(ALICE, id, "320"));
    fails(ex(ALICE, ENGINE, "{\"withdraw\":{\"position_id\":%d,\"asset\":\"%s\",\"amount\":\"1\"}}",
             id, CW20),
          "borrow limit exceeded: debt 320 > limit 319 (market atom, position 1)");
    ok(repay(ALICE, "220", id));
    ok(ex(ALICE, ENGINE,
          "{\"withdraw\":{\"position_id\":%d,\"asset\":\"%s\",\"amount\":\"275\",\"recipient\":"
          "\"%s\"}}",
          id, CW20, BOB));
    cw20_balance_is(CW20, BOB, "1000275");
    cw20_balance_is(CW20, ENGINE, "125");
    /* not listed in market osmo; unknown hook message */
    int osmo = open_pos(ALICE, "osmo", NULL, NULL);
    snprintf(inner, sizeof inner, "{\"deposit\":{\"position_id\":%d}}", osmo);
    char want[512];
    snprintf(want, sizeof want, "asset %s is not a collateral of market osmo", CW20);
    fails(send_cw20(CW20, ALICE, "1", inner), want);
    fails(send_cw20(CW20, ALICE, "1", "{\"repay\":{\"position_id\":1}}"),
          "unknown variant `repay`, expected one of `deposit`");
    /* a native asset cannot arrive through a CW20 hook, nor a CW20 as funds */
    fails(exf(ALICE, ENGINE, CW20, "1", "{\"deposit\":{\"position_id\":%d}}", id), "");
    identity_holds();
    j = qj(ENGINE, "{\"accounting\":{}}");
    expect_eq(j, "assets.0.asset", CW20); /* only the CW20 moved in this test */
    expect_eq(j, "assets.0.held", "125");
    json_decref(j);
}

Test(vault_engine, withdraw_rules) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    fails(ex(BOB, ENGINE,
             "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uatom\",\"amount\":\"1\"}}", id),
          "is not the owner of position 1");
    fails(ex(ALICE, ENGINE,
             "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uatom\",\"amount\":\"1001\"}}", id),
          "insufficient collateral: position 1 holds 1000 uatom, requested 1001");
    fails(ex(ALICE, ENGINE,
             "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uosmo\",\"amount\":\"1\"}}", id),
          "insufficient collateral: position 1 holds 0 uosmo, requested 1");
    fails(ex(ALICE, ENGINE,
             "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uatom\",\"amount\":\"0\"}}", id),
          "zero amount");
    ok(borrow(ALICE, id, "4000")); /* limit 5000 */
    /* 200 left: 800 * 10 * 0.5 = 4000 ≥ 4000 */
    fails(ex(ALICE, ENGINE,
             "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uatom\",\"amount\":\"201\"}}", id),
          "borrow limit exceeded: debt 4000 > limit 3995 (market atom, position 1)");
    hs_result r =
        ex(ALICE, ENGINE,
           "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uatom\",\"amount\":\"200\"}}", id);
    cr_assert(r.ok, "%s", r.error);
    char want[512];
    snprintf(want, sizeof want,
             "{\"key\":\"asset\",\"value\":\"uatom\"},{\"key\":\"amount\",\"value\":\"200\"},"
             "{\"key\":\"recipient\",\"value\":\"%s\"},{\"key\":\"borrow_limit\",\"value\":"
             "\"4000\"}",
             ALICE);
    cr_assert(strstr(r.events, want), "%s", r.events);
    hs_result_free(&r);
    bank_is(ALICE, "uatom", "99200");
    bank_is(ENGINE, "uatom", "800");
    identity_holds();
}

Test(vault_engine, transfer_position_changes_owner_and_index) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    fails(ex(BOB, ENGINE, "{\"transfer_position\":{\"position_id\":%d,\"new_owner\":\"%s\"}}", id,
             BOB),
          "is not the owner of position 1");
    fails(ex(ALICE, ENGINE, "{\"transfer_position\":{\"position_id\":%d,\"new_owner\":\"x\"}}", id),
          "addr_validate");
    hs_result r = ex(ALICE, ENGINE,
                     "{\"transfer_position\":{\"position_id\":%d,\"new_owner\":\"%s\"}}", id, BOB);
    cr_assert(r.ok, "%s", r.error);
    char want[512];
    snprintf(want, sizeof want, "{\"key\":\"new_owner\",\"value\":\"%s\"}", BOB);
    cr_assert(strstr(r.events, want));
    hs_result_free(&r);
    fails(borrow(ALICE, id, "100"), "is not the owner of position 1");
    ok(borrow(BOB, id, "100"));
    json_t *j = qj(ENGINE, "{\"positions_by_owner\":{\"owner\":\"%s\"}}", ALICE);
    cr_assert_eq(json_array_size(json_object_get(j, "positions")), 0);
    json_decref(j);
    j = qj(ENGINE, "{\"positions_by_owner\":{\"owner\":\"%s\"}}", BOB);
    expect_eq(j, "positions.0.owner", BOB);
    expect_eq(j, "positions.0.debt", "100");
    json_decref(j);
}

/* --- Borrow, repay, close --------------------------------------------------------------------- */

Test(vault_engine, borrow_mints_within_limit_exactly) {
    int id = open_pos(ALICE, "atom", "uatom", "1000"); /* 1000 * 10 * 0.5 = 5000 */
    fails(borrow(ALICE, id, "5001"),
          "borrow limit exceeded: debt 5001 > limit 5000 (market atom, position 1)");
    hs_result r = borrow(ALICE, id, "5000");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"key\":\"action\",\"value\":\"mint\"}"), "%s", r.events);
    cr_assert(strstr(r.events, "{\"key\":\"normalised_debt\",\"value\":\"5000\"},{\"key\":"
                               "\"debt\",\"value\":\"5000\"},{\"key\":\"market_debt\",\"value\":"
                               "\"5000\"}"),
              "%s", r.events);
    hs_result_free(&r);
    cw20_balance_is(TOKEN, ALICE, "5000");
    fails(borrow(ALICE, id, "1"), "borrow limit exceeded: debt 5001 > limit 5000");
    /* to a recipient */
    int id2 = open_pos(ALICE, "atom", "uatom", "1000");
    ok(ex(ALICE, ENGINE,
          "{\"borrow\":{\"position_id\":%d,\"amount\":\"150\",\"recipient\":\"%s\"}}", id2, BOB));
    cw20_balance_is(TOKEN, BOB, "1000150");
    json_t *j = qj(ENGINE, "{\"totals\":{}}");
    expect_eq(j, "total_debt", "5150");
    expect_eq(j, "minted", "5150");
    json_decref(j);
    j = qj(TOKEN, "{\"token_info\":{}}");
    expect_eq(j, "total_supply", "1005150");
    json_decref(j);
    identity_holds();
}

Test(vault_engine, borrow_refusals) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    fails(borrow(ALICE, id, "99"), "debt below min_debt: debt 99 < min_debt 100 (market atom, "
                                   "position 1)");
    fails(borrow(ALICE, id, "0"), "zero amount");
    fails(borrow(BOB, id, "100"), "is not the owner of position 1");
    fails(exf(ALICE, ENGINE, "uatom", "5", "{\"borrow\":{\"position_id\":%d,\"amount\":\"100\"}}",
              id),
          "this message takes no funds: got 5uatom");
    fails(borrow(ALICE, 42, "100"), "position not found: 42");
    fails(ex(ALICE, ENGINE, "{\"borrow\":{\"position_id\":%d,\"amount\":\"100\",\"extra\":1}}", id),
          "unknown field `extra`, expected one of `position_id`, `amount`, `recipient`");
    fails(ex(ALICE, ENGINE, "{\"borrow\":{\"position_id\":%d}}", id), "missing field `amount`");
    fails(ex(ALICE, ENGINE, "{\"borrow\":{\"position_id\":%d,\"amount\":100}}", id),
          "invalid type for `amount`");
    fails(ex(ALICE, ENGINE, "{\"lend\":{}}"), "unknown variant `lend`, expected one of");
}

Test(vault_engine, market_and_global_ceilings) {
    ok(ex(GOV, ENGINE, "{\"update_market\":{\"id\":\"atom\",\"debt_ceiling\":\"3000\"}}"));
    int a = open_pos(ALICE, "atom", "uatom", "1000");
    ok(borrow(ALICE, a, "2000"));
    fails(borrow(ALICE, a, "1001"),
          "market debt ceiling exceeded: debt 3001 > ceiling 3000 (market atom)");
    ok(borrow(ALICE, a, "1000"));
    ok(ex(GOV, ENGINE, "{\"update_config\":{\"global_debt_ceiling\":\"3500\"}}"));
    int o = open_pos(ALICE, "osmo", "uosmo", "10000"); /* 10000 * 2 * 0.5 = 10000 */
    fails(borrow(ALICE, o, "501"), "global debt ceiling exceeded: debt 3501 > ceiling 3500");
    ok(borrow(ALICE, o, "500"));
    identity_holds();
}

Test(vault_engine, repay_partial_refund_and_min_debt) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(borrow(ALICE, id, "1000"));
    fails(repay(ALICE, "901", id),
          "debt below min_debt: debt 99 < min_debt 100 (market atom, position 1)");
    hs_result r = repay(ALICE, "300", id);
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"key\":\"action\",\"value\":\"repay\"}"), "%s", r.events);
    cr_assert(strstr(r.events, "{\"key\":\"repaid\",\"value\":\"300\"},{\"key\":\"refund\","
                               "\"value\":\"0\"},{\"key\":\"normalised_debt\",\"value\":\"700\"}"),
              "%s", r.events);
    cr_assert(strstr(r.events, "{\"key\":\"action\",\"value\":\"burn\"}"), "%s", r.events);
    hs_result_free(&r);
    cw20_balance_is(TOKEN, ALICE, "700");
    /* anyone may repay; overpayment refunded to the payer */
    r = repay(BOB, "1000", id);
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"key\":\"repaid\",\"value\":\"700\"},{\"key\":\"refund\","
                               "\"value\":\"300\"}"),
              "%s", r.events);
    hs_result_free(&r);
    cw20_balance_is(TOKEN, BOB, "999300");
    cw20_balance_is(TOKEN, ENGINE, "0");
    fails(repay(ALICE, "10", id), "nothing to repay: position 1 has no debt (market atom)");
    fails(repay(ALICE, "10", 77), "position not found: 77");
    /* stable sent as an ordinary CW20 deposit is refused: stable is not collateral */
    fails(send_cw20(TOKEN, ALICE, "1", "{\"deposit\":{\"position_id\":1}}"),
          "unknown variant `deposit`, expected one of `repay`, `close`");
    json_t *j = qj(ENGINE, "{\"totals\":{}}");
    expect_eq(j, "minted", "1000");
    expect_eq(j, "burned", "1000");
    expect_eq(j, "total_debt", "0");
    json_decref(j);
    j = qj(TOKEN, "{\"token_info\":{}}");
    expect_eq(j, "total_supply", "1000000");
    json_decref(j);
    identity_holds();
}

Test(vault_engine, close_returns_everything) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(exf(ALICE, ENGINE, "uosmo", "500", "{\"deposit\":{\"position_id\":%d}}", id));
    char inner[64];
    snprintf(inner, sizeof inner, "{\"deposit\":{\"position_id\":%d}}", id);
    ok(send_cw20(CW20, ALICE, "300", inner));
    ok(borrow(ALICE, id, "2000"));
    fails(ex(ALICE, ENGINE, "{\"close\":{\"position_id\":%d}}", id),
          "position has debt: repay 2000 first or send it with {\"close\":...} (market atom, "
          "position 1)");
    snprintf(inner, sizeof inner, "{\"close\":{\"position_id\":%d}}", id);
    fails(send_cw20(TOKEN, ALICE, "1999", inner),
          "insufficient repayment: debt 2000 > received 1999 (market atom, position 1)");
    ok(ex(BOB, TOKEN, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"10\"}}", ALICE));
    fails(send_cw20(TOKEN, BOB, "2010", inner), "is not the owner of position 1");
    hs_result r = send_cw20(TOKEN, ALICE, "2010", inner);
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"key\":\"repaid\",\"value\":\"2000\"},{\"key\":\"refund\","
                               "\"value\":\"10\"}"),
              "%s", r.events);
    hs_result_free(&r);
    bank_is(ALICE, "uatom", "100000");
    bank_is(ALICE, "uosmo", "100000");
    cw20_balance_is(CW20, ALICE, "1000000");
    cw20_balance_is(TOKEN, ALICE, "10");
    bank_is(ENGINE, "uatom", "0");
    hs_result q = qraw(ENGINE, "{\"position\":{\"position_id\":1}}");
    cr_assert(!q.ok && strstr(q.error, "position not found: 1"), "%s", q.error);
    hs_result_free(&q);
    json_t *j = qj(ENGINE, "{\"totals\":{}}");
    expect_eq(j, "open_positions", "0");
    json_decref(j);
    /* close without debt through execute */
    int id2 = open_pos(ALICE, "atom", "uatom", "10");
    fails(ex(BOB, ENGINE, "{\"close\":{\"position_id\":%d}}", id2), "is not the owner");
    ok(ex(ALICE, ENGINE, "{\"close\":{\"position_id\":%d}}", id2));
    bank_is(ALICE, "uatom", "100000");
    identity_holds();
}

/* --- Baskets and prices ----------------------------------------------------------------------- */

Test(vault_engine, basket_health_with_three_prices) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(exf(ALICE, ENGINE, "uosmo", "3333", "{\"deposit\":{\"position_id\":%d}}", id));
    char inner[64];
    snprintf(inner, sizeof inner, "{\"deposit\":{\"position_id\":%d}}", id);
    ok(send_cw20(CW20, ALICE, "777", inner));
    price("uatom", "9.75");
    price("uosmo", "1.333333333333333333");
    price("ucw", "0.999");
    /* uatom: value 9750, borrow 4875, liq 5850
     * uosmo: 3333 * 1.333333333333333333 = 4443.999999999999998889 → value 4443,
     *        * 0.4 → 1777.5999… → 1777, * 0.5 → 2221.99… → 2221
     * cw20: 777 * 0.999 = 776.223 → 776, * 0.8 = 620.9784 → 620, * 0.85 = 659.78955 → 659
     * limit 4875 + 1777 + 620 = 7272; liquidation value 5850 + 2221 + 659 = 8730 */
    fails(borrow(ALICE, id, "7273"),
          "borrow limit exceeded: debt 7273 > limit 7272 (market atom, position 1)");
    ok(borrow(ALICE, id, "7000"));
    json_t *j = qj(ENGINE, "{\"position_health\":{\"position_id\":%d}}", id);
    expect_eq(j, "debt", "7000");
    expect_eq(j, "borrow_limit", "7272");
    expect_eq(j, "liquidation_value", "8730");
    expect_eq(j, "health", "1.247142857142857142"); /* 8730 / 7000, floor */
    expect_eq(j, "within_borrow_limit", "true");
    expect_eq(j, "collateral.0.price", "9.75");
    expect_eq(j, "collateral.0.value", "9750");
    expect_eq(j, "collateral.0.borrow_value", "4875");
    expect_eq(j, "collateral.0.liquidation_value", "5850");
    expect_eq(j, "collateral.1.price", "1.333333333333333333");
    expect_eq(j, "collateral.1.value", "4443");
    expect_eq(j, "collateral.1.borrow_value", "1777");
    expect_eq(j, "collateral.1.liquidation_value", "2221");
    expect_eq(j, "collateral.2.oracle_denom", "ucw");
    expect_eq(j, "collateral.2.value", "776");
    expect_eq(j, "collateral.2.borrow_value", "620");
    expect_eq(j, "collateral.2.liquidation_value", "659");
    json_decref(j);
    /* a price drop makes the position exceed its limit: reported, and withdraw refused */
    price("uatom", "5");
    j = qj(ENGINE, "{\"position_health\":{\"position_id\":%d}}", id);
    expect_eq(j, "borrow_limit", "4897");      /* 2500 + 1777 + 620 */
    expect_eq(j, "liquidation_value", "5880"); /* 3000 + 2221 + 659 */
    expect_eq(j, "health", "0.84");
    expect_eq(j, "within_borrow_limit", "false");
    json_decref(j);
    fails(ex(ALICE, ENGINE,
             "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uosmo\",\"amount\":\"1\"}}", id),
          "borrow limit exceeded: debt 7000 > limit 4897 (market atom, position 1)");
    /* repay still works without a price check */
    ok(repay(ALICE, "6000", id));
    j = qj(ENGINE, "{\"position_health\":{\"position_id\":%d}}", id);
    expect_eq(j, "health", "5.88");
    json_decref(j);
    identity_holds();
}

Test(vault_engine, health_is_null_without_debt) {
    int id = open_pos(ALICE, "atom", "uatom", "3");
    price("uatom", "0.333333333333333333");
    json_t *j = qj(ENGINE, "{\"position_health\":{\"position_id\":%d}}", id);
    expect_eq(j, "health", "null");
    expect_eq(j, "collateral.0.value", "0"); /* 0.999999999999999999 → 0 */
    expect_eq(j, "borrow_limit", "0");
    json_decref(j);
}

Test(vault_engine, missing_price_blocks_borrow_and_withdraw_only) {
    ok(add_coll("atom", "unone", "native", "unone", "0.5", "0.6", "0.1", "1000"));
    mint_native(ALICE, "unone", "1000");
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(borrow(ALICE, id, "1000"));
    ok(exf(ALICE, ENGINE, "unone", "100", "{\"deposit\":{\"position_id\":%d}}", id)); /* no price */
    fails(borrow(ALICE, id, "1"), "no valid price for unone (market atom, collateral unone): ");
    fails(ex(ALICE, ENGINE,
             "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uatom\",\"amount\":\"1\"}}", id),
          "no valid price for unone (market atom, collateral unone)");
    hs_result q = qraw(ENGINE, "{\"position_health\":{\"position_id\":1}}");
    cr_assert(!q.ok && strstr(q.error, "no valid price for unone"), "%s", q.error);
    hs_result_free(&q);
    ok(repay(ALICE, "1000", id));
    /* without debt, withdrawal needs no price */
    ok(ex(ALICE, ENGINE,
          "{\"withdraw\":{\"position_id\":%d,\"asset\":\"unone\",\"amount\":\"100\"}}", id));
    identity_holds();
}

Test(vault_engine, stale_price_blocks_borrow) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(borrow(ALICE, id, "1000"));
    hs_block_advance(C, 1, 601); /* oracle max_age 600 s */
    fails(borrow(ALICE, id, "1"), "no valid price for uatom (market atom, collateral uatom)");
    fails(ex(ALICE, ENGINE,
             "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uatom\",\"amount\":\"1\"}}", id),
          "no valid price for uatom");
    ok(exf(ALICE, ENGINE, "uatom", "10", "{\"deposit\":{\"position_id\":%d}}", id));
    ok(repay(ALICE, "500", id));
    price("uatom", "10"); /* fresh again */
    ok(borrow(ALICE, id, "1"));
    identity_holds();
}

Test(vault_engine, oracle_switch_by_governance) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    /* an oracle that is not an oracle: every price query fails */
    ok(ex(GOV, ENGINE, "{\"update_config\":{\"oracle\":\"%s\"}}", CW20));
    fails(borrow(ALICE, id, "100"), "no valid price for uatom (market atom, collateral uatom)");
    ok(ex(GOV, ENGINE, "{\"update_config\":{\"oracle\":\"%s\"}}", ORACLE));
    ok(borrow(ALICE, id, "100"));
}

/* --- Stability fees --------------------------------------------------------------------------- */

/* Decimal27 text → atomics. */
static void d27_from_str(mpz_t out, const char *s) {
    const char *dot = strchr(s, '.');
    char digits[128] = {0};
    size_t frac = 0;
    if (dot) {
        memcpy(digits, s, (size_t)(dot - s));
        strcat(digits, dot + 1);
        frac = strlen(dot + 1);
    } else {
        strcpy(digits, s);
    }
    for (; frac < 27; frac++) strcat(digits, "0");
    mpz_set_str(out, digits, 10);
}

static void mul_round(mpz_t r, const mpz_t a, const mpz_t b, const mpz_t one, bool ceil) {
    mpz_mul(r, a, b);
    if (ceil)
        mpz_cdiv_q(r, r, one);
    else
        mpz_fdiv_q(r, r, one);
}

/* cw_math.h's left-to-right binary exponentiation, every step rounded as asked. */
static void pow_round(mpz_t r, const mpz_t base, uint64_t e, const mpz_t one, bool ceil) {
    int top = 63;
    while (!((e >> top) & 1)) top--;
    mpz_set(r, base);
    for (int bit = top - 1; bit >= 0; bit--) {
        mul_round(r, r, r, one, ceil);
        if ((e >> bit) & 1) mul_round(r, r, base, one, ceil);
    }
}

Test(vault_engine, one_year_at_five_percent_exact) {
    ok(create_market("fee", "0.05", "100000000000", "0"));
    ok(add_coll("fee", "uatom", "native", "uatom", "0.5", "0.6", "0.1", "100000000"));
    mint_native(ALICE, "uatom", "10000000");
    int id = open_pos(ALICE, "fee", "uatom", "10000000"); /* limit 50,000,000 */
    fails(borrow(ALICE, id, "50000001"), "borrow limit exceeded: debt 50000001 > limit 50000000");
    ok(borrow(ALICE, id, "10000000")); /* 10 stable (6 decimals), A = 1: n = 10,000,000 */
    json_t *j = qj(ENGINE, "{\"market\":{\"id\":\"fee\"}}");
    char rate_s[128];
    snprintf(rate_s, sizeof rate_s, "%s", jtext(j, "rate_per_second"));
    json_decref(j);

    mpz_t one, rate, below, p, f, acc, debt, want;
    mpz_inits(one, rate, below, p, f, acc, debt, want, NULL);
    mpz_ui_pow_ui(one, 10, 27);
    d27_from_str(rate, rate_s);
    d27_from_str(f, "1.05");
    /* The rate is the CEIL root: its floor power reaches 1.05, one unit less does not. */
    pow_round(p, rate, 31536000, one, false);
    cr_assert(mpz_cmp(p, f) >= 0, "rate %s too small", rate_s);
    mpz_sub_ui(below, rate, 1);
    pow_round(p, below, 31536000, one, false);
    cr_assert(mpz_cmp(p, f) < 0, "rate %s not the smallest", rate_s);

    hs_block_advance(C, 1, 31536000);
    /* A = ceil(1 · ceilpow(r, year)); debt = ceil(n · A / 10^27) */
    pow_round(acc, rate, 31536000, one, true);
    mpz_set_ui(debt, 10000000);
    mpz_mul(debt, debt, acc);
    mpz_cdiv_q(debt, debt, one);
    char *want_s = mpz_get_str(NULL, 10, debt);
    char *acc_s = mpz_get_str(NULL, 10, acc);
    j = position(id);
    expect_eq(j, "debt", want_s);
    expect_eq(j, "debt", "10500001"); /* 10.5 stable, +1 base unit from rounding up */
    json_decref(j);
    /* within 1e-12 of 1.05: |debt − 10,500,000| ≤ 10,500,000 · 1e-12 + 1 (ceil) */
    j = qj(ENGINE, "{\"market\":{\"id\":\"fee\"}}");
    char acc_text[128];
    snprintf(acc_text, sizeof acc_text, "%s", jtext(j, "accumulator"));
    d27_from_str(want, acc_text);
    cr_assert_eq(mpz_cmp(want, acc), 0, "accumulator %s vs %s", acc_text, acc_s);
    cr_log_info("5 %%/yr: rate_per_second %s, accumulator after one year %s", rate_s, acc_text);
    /* |A − 1.05| / 1.05 < 1e-12 */
    mpz_sub(p, acc, f);
    mpz_abs(p, p);
    mpz_mul_ui(p, p, 1000000000000ull);
    cr_assert(mpz_cmp(p, f) < 0);
    expect_eq(j, "debt", "10500001");
    expect_eq(j, "surplus", "500001");
    json_decref(j);
    /* the touch stores the accrual: fees are surplus, the identity holds */
    ok(exf(ALICE, ENGINE, "uatom", "1", "{\"deposit\":{\"position_id\":%d}}", id));
    j = qj(ENGINE, "{\"totals\":{}}");
    expect_eq(j, "total_debt", "10500001");
    expect_eq(j, "minted", "10000000");
    expect_eq(j, "surplus", "500001");
    json_decref(j);
    identity_holds();
    /* repay in full with a little extra: refund, burned = debt */
    ok(ex(BOB, TOKEN, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"600000\"}}", ALICE));
    char inner[64];
    snprintf(inner, sizeof inner, "{\"close\":{\"position_id\":%d}}", id);
    hs_result r = send_cw20(TOKEN, ALICE, "10600000", inner);
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"key\":\"repaid\",\"value\":\"10500001\"},{\"key\":\"refund\","
                               "\"value\":\"99999\"}"),
              "%s", r.events);
    hs_result_free(&r);
    j = qj(ENGINE, "{\"totals\":{}}");
    expect_eq(j, "total_debt", "0");
    expect_eq(j, "burned", "10500001");
    json_decref(j);
    identity_holds();
    free(want_s);
    free(acc_s);
    mpz_clears(one, rate, below, p, f, acc, debt, want, NULL);
}

Test(vault_engine, debt_rounds_up_and_dust_goes_to_surplus) {
    ok(create_market("fee", "0.05", "100000000000", "0"));
    ok(add_coll("fee", "uatom", "native", "uatom", "0.5", "0.6", "0.1", "100000000"));
    int a = open_pos(ALICE, "fee", "uatom", "10000");
    int b = open_pos(BOB, "fee", "uatom", "10000");
    ok(borrow(ALICE, a, "1000"));
    hs_block_advance(C, 1, 1); /* A = r > 1 by ~1.5e-9 */
    /* debt ceil(1000 · r) = 1001: one second is enough to round up a whole unit */
    json_t *j = position(a);
    expect_eq(j, "debt", "1001");
    json_decref(j);
    /* Bob borrows 1000 at A = r: n = ceil(1000 / r) = 1000, debt ceil(1000 · r) = 1001 ≥ 1000 */
    ok(borrow(BOB, b, "1000"));
    j = position(b);
    expect_eq(j, "normalised_debt", "1000");
    expect_eq(j, "debt", "1001");
    json_decref(j);
    /* aggregate: ceil(2000 · r) = 2001 < 1001 + 1001 (Σ of individually rounded debts) */
    j = qj(ENGINE, "{\"market\":{\"id\":\"fee\"}}");
    expect_eq(j, "total_normalised_debt", "2000");
    expect_eq(j, "debt", "2001");
    expect_eq(j, "surplus", "1"); /* 1 unit of fees on Alice's accrual, 0 dust for Bob */
    json_decref(j);
    /* a partial repay of 500 removes floor(500 / r) = 499 normalised units */
    ok(repay(ALICE, "500", a));
    j = position(a);
    expect_eq(j, "normalised_debt", "501");
    expect_eq(j, "debt", "502");
    json_decref(j);
    j = qj(ENGINE, "{\"totals\":{}}");
    /* total ceil(1501 · r) = 1502; minted 2000, burned 500: surplus = 1502 + 500 − 2000 = 2 */
    expect_eq(j, "total_debt", "1502");
    expect_eq(j, "surplus", "2");
    json_decref(j);
    identity_holds();
    /* both repay everything: total debt 0, burned = minted + surplus */
    ok(repay(BOB, "502", a)); /* anyone may repay */
    ok(repay(BOB, "2000", b));
    j = qj(ENGINE, "{\"accounting\":{}}");
    expect_eq(j, "total_debt", "0");
    expect_eq(j, "minted", "2000");
    expect_eq(j, "burned", "2003");
    expect_eq(j, "surplus", "3");
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
}

Test(vault_engine, accounting_query_reports_markets_and_assets) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(borrow(ALICE, id, "1000"));
    mint_native(ENGINE, "uatom", "5"); /* a donation: not collateral */
    json_t *j = qj(ENGINE, "{\"accounting\":{}}");
    expect_eq(j, "total_debt", "1000");
    expect_eq(j, "minted", "1000");
    expect_eq(j, "burned", "0");
    expect_eq(j, "surplus", "0");
    expect_eq(j, "markets.0.id", "atom");
    expect_eq(j, "markets.0.normalised_debt", "1000");
    expect_eq(j, "markets.0.accumulator", "1");
    expect_eq(j, "markets.0.debt", "1000");
    expect_eq(j, "markets.0.debt_recomputed", "1000");
    expect_eq(j, "assets.0.asset", "uatom");
    expect_eq(j, "assets.0.held", "1000");
    expect_eq(j, "assets.0.balance", "1005");
    expect_eq(j, "assets.0.unrecorded", "5");
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
    /* the donation does not disturb later operations */
    ok(ex(ALICE, ENGINE,
          "{\"withdraw\":{\"position_id\":%d,\"asset\":\"uatom\",\"amount\":\"100\"}}", id));
}

/* --- Receive hook and listing edge cases ------------------------------------------------------ */

Test(vault_engine, receive_hook_refusals) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    ok(borrow(ALICE, id, "1000"));
    /* the hook's msg must be base64 of a JSON enum */
    hs_result r = ex(ALICE, TOKEN,
                     "{\"send\":{\"contract\":\"%s\",\"amount\":\"5\",\"msg\":\"bm90IGpzb24=\"}}",
                     ENGINE); /* "not json" */
    fails(r, "invalid JSON");
    fails(send_cw20(TOKEN, ALICE, "5", "{\"repay\":{\"position_id\":1,\"x\":2}}"),
          "unknown field `x`, expected `position_id`");
    fails(send_cw20(TOKEN, ALICE, "5", "{\"repay\":{}}"), "missing field `position_id`");
    /* a direct call of receive by an account is just another CW20 */
    fails(ex(ALICE, ENGINE,
             "{\"receive\":{\"sender\":\"%s\",\"amount\":\"5\",\"msg\":"
             "\"eyJkZXBvc2l0Ijp7InBvc2l0aW9uX2lkIjoxfX0=\"}}",
             ALICE),
          "is not a collateral of market atom");
    /* a native collateral whose denom equals the CW20 address cannot arrive as CW20 */
    ok(add_coll("osmo", CW20, "native", "ucw", "0.5", "0.6", "0.1", "1000"));
    int osmo = open_pos(ALICE, "osmo", NULL, NULL);
    char inner[64], want[256];
    snprintf(inner, sizeof inner, "{\"deposit\":{\"position_id\":%d}}", osmo);
    snprintf(want, sizeof want, "asset %s is a native collateral of market osmo, not cw20", CW20);
    fails(send_cw20(CW20, ALICE, "1", inner), want);
    /* the stablecoin is never collateral */
    fails(add_coll("osmo", TOKEN, "cw20", "ucw", "0.5", "0.6", "0.1", "1000"),
          "invalid parameters: the stablecoin cannot be collateral");
    /* zero-amount CW20 sends (cw20 1.1 accepts them; the engine does not) */
    fails(repay(ALICE, "0", id), "zero amount");
    identity_holds();
}

Test(vault_engine, gas_per_borrow_and_repay_reported) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    hs_result r = borrow(ALICE, id, "1000");
    cr_assert(r.ok, "%s", r.error);
    uint64_t borrow_gas = r.sdk_gas_used;
    hs_result_free(&r);
    r = repay(ALICE, "500", id);
    cr_assert(r.ok, "%s", r.error);
    uint64_t repay_gas = r.sdk_gas_used;
    hs_result_free(&r);
    cr_log_info("vault_engine gas (SDK units): borrow %llu, repay via CW20 send %llu",
                (unsigned long long)borrow_gas, (unsigned long long)repay_gas);
    cr_assert_gt(borrow_gas, 0);
    cr_assert_gt(repay_gas, 0);
}

Test(vault_engine, accrual_in_steps_matches_gmp_and_queries_do_not_store) {
    ok(create_market("fee", "0.05", "100000000000", "0"));
    ok(add_coll("fee", "uatom", "native", "uatom", "0.5", "0.6", "0.1", "100000000"));
    int id = open_pos(ALICE, "fee", "uatom", "90000");
    ok(borrow(ALICE, id, "123457"));
    json_t *j = qj(ENGINE, "{\"market\":{\"id\":\"fee\"}}");
    mpz_t one, rate, acc, step, debt;
    mpz_inits(one, rate, acc, step, debt, NULL);
    mpz_ui_pow_ui(one, 10, 27);
    d27_from_str(rate, jtext(j, "rate_per_second"));
    json_decref(j);
    mpz_set(acc, one);
    /* three touches: +1,000,000 s, +7 s, +30,000,000 s (each a deposit, which needs no price) */
    const uint64_t steps[3] = {1000000, 7, 30000000};
    for (int i = 0; i < 3; i++) {
        hs_block_advance(C, 1, steps[i]);
        ok(exf(ALICE, ENGINE, "uatom", "1", "{\"deposit\":{\"position_id\":%d}}", id));
        pow_round(step, rate, steps[i], one, true);
        mul_round(acc, acc, step, one, true);
    }
    mpz_set_ui(debt, 123457);
    mpz_mul(debt, debt, acc);
    mpz_cdiv_q(debt, debt, one);
    char *want = mpz_get_str(NULL, 10, debt);
    j = qj(ENGINE, "{\"accounting\":{}}");
    expect_eq(j, "markets.1.id", "fee");
    expect_eq(j, "markets.1.debt", want);
    expect_eq(j, "total_debt", want);
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
    /* a query a day later shows the accrued debt but stores nothing */
    hs_block_advance(C, 1, 86400);
    pow_round(step, rate, 86400, one, true);
    mul_round(acc, acc, step, one, true);
    mpz_set_ui(debt, 123457);
    mpz_mul(debt, debt, acc);
    mpz_cdiv_q(debt, debt, one);
    char *later = mpz_get_str(NULL, 10, debt);
    j = position(id);
    expect_eq(j, "debt", later);
    json_decref(j);
    j = qj(ENGINE, "{\"totals\":{}}");
    expect_eq(j, "total_debt", want);
    json_decref(j);
    free(want);
    free(later);
    mpz_clears(one, rate, acc, step, debt, NULL);
}

Test(vault_engine, oracle_denom_change_and_open_refusals) {
    int id = open_pos(ALICE, "atom", "uatom", "1000");
    hs_result r = ex(GOV, ENGINE,
                     "{\"update_collateral\":{\"market\":\"atom\",\"asset\":\"uatom\","
                     "\"oracle_denom\":\"uosmo\"}}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"key\":\"old_oracle_denom\",\"value\":\"uatom\"},{\"key\":"
                               "\"new_oracle_denom\",\"value\":\"uosmo\"}"),
              "%s", r.events);
    hs_result_free(&r);
    /* uatom now priced as uosmo (2): limit 1000 * 2 * 0.5 = 1000 */
    fails(borrow(ALICE, id, "1001"),
          "borrow limit exceeded: debt 1001 > limit 1000 (market atom, position 1)");
    ok(borrow(ALICE, id, "1000"));
    fails(exf(ALICE, ENGINE, "ufoo", "0", "{\"open_position\":{\"market\":\"atom\"}}"), "");
    mint_native(ALICE, "ufoo", "5");
    fails(exf(ALICE, ENGINE, "ufoo", "5", "{\"open_position\":{\"market\":\"atom\"}}"),
          "asset ufoo is not a collateral of market atom");
    fails(ex(ALICE, ENGINE, "\"open_position\""),
          "invalid message: expected an object with exactly one key");
    json_t *j = qj(ENGINE, "{\"config\":{}}");
    expect_eq(j, "next_position_id", "2"); /* refused opens used no id */
    json_decref(j);
}
