/* test_liquidator.c — the liquidator end to end on the host simulator. Suite `liquidator`: the
 * real .wasm of the liquidator, stable_token and the oracle (chain-sourced prices set with
 * hs_oracle_set_price), with the relay test contract playing the engine and a DEX, pool_stub the
 * backstop pool and cw20-base a CW20 collateral: price curves at exact times, take (full,
 * partial, dust rule, max price, callback order, missing allowance), redo, absorption, circuit
 * breaker, shutdown, outages and the accounting identity. Suite `system`: the real vault_engine
 * and backstop_pool wired to it: liquidation → auction → take burns the debt, write-off into
 * bad debt, absorption at start, redo with partial absorption and the keeper reward, every
 * contract's identity after each step. Spec: contracts/liquidator/SPEC.md. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostsim.h"
#include "hs_fixture.h"

#define LIQ_WASM "build/contracts/liquidator.wasm"
#define TOKEN_WASM "build/contracts/stable_token.wasm"
#define ORACLE_WASM "build/contracts/oracle.wasm"
#define RELAY_WASM "build/test-contracts/relay.wasm"
#define POOL_WASM "build/test-contracts/pool_stub.wasm"
#define CW20_WASM "node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm"

/* --- Fixture ---------------------------------------------------------------------------------- */

static char LIQ[128], TOKEN[128], ORACLE[128], ENGINE[128], DEX[128], POOL[128], CW20[128];
static char GOV[128], BUYER[128], OWNER[128], KEEPER[128], SETTLE[128], BOB[128];
static uint64_t LIQ_CODE;

static void oracle_price(const char *denom, const char *price) {
    char *err = NULL;
    cr_assert_eq(hs_oracle_set_price(C, denom, price, &err), 0, "%s", err ? err : "");
}

static void advance(uint64_t seconds) {
    hs_block_advance(C, 1, seconds);
}

/* The value of attribute `key` in the first wasm event of `contract` that has it and, when
 * `action` is not NULL, whose action is `action` (NULL: none). */
static const char *event_attr_of(const hs_result *r, const char *contract, const char *action,
                                 const char *key) {
    static char out[4][512];
    static int slot;
    json_error_t e;
    json_t *events = json_loads(r->events, 0, &e), *ev;
    cr_assert(events, "bad events %s", r->events);
    size_t i, k;
    const char *found = NULL;
    json_array_foreach(events, i, ev) {
        if (strcmp(json_string_value(json_object_get(ev, "type")), "wasm")) continue;
        json_t *attrs = json_object_get(ev, "attributes"), *a;
        const char *addr = json_string_value(json_object_get(json_array_get(attrs, 0), "value"));
        if (strcmp(addr, contract)) continue;
        const char *act = json_string_value(json_object_get(json_array_get(attrs, 1), "value"));
        if (action && (!act || strcmp(act, action))) continue;
        json_array_foreach(attrs, k, a) {
            if (!strcmp(json_string_value(json_object_get(a, "key")), key)) {
                char *o = out[slot++ % 4];
                snprintf(o, 512, "%s", json_string_value(json_object_get(a, "value")));
                found = o;
                break;
            }
        }
        if (found) break;
    }
    json_decref(events);
    return found;
}

static const char *event_attr(const hs_result *r, const char *contract, const char *key) {
    return event_attr_of(r, contract, NULL, key);
}

static void attr_is(const hs_result *r, const char *contract, const char *key, const char *want) {
    const char *v = event_attr(r, contract, key);
    cr_assert(v, "no attribute %s in %s", key, r->events);
    cr_assert_str_eq(v, want, "attribute %s", key);
}

/* What a recording contract (relay, pool_stub) saw last: variant and compact body. */
static void last_is(const char *contract, const char *variant, const char *body) {
    json_t *j = qj(contract, "{\"last\":{}}");
    expect_eq(j, "variant", variant);
    expect_eq(j, "body", body);
    json_decref(j);
}

static void identity_holds(void) {
    json_t *j = qj(LIQ, "{\"accounting\":{}}");
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
}

static hs_result set_params(const char *market, const char *curve, const char *start_buffer,
                            uint64_t max_duration, const char *reset, const char *dust,
                            const char *backstop) {
    return ex(GOV, LIQ,
              "{\"set_market_params\":{\"market\":\"%s\",\"curve\":%s,\"start_buffer\":\"%s\","
              "\"max_duration\":%llu,\"reset_threshold\":\"%s\",\"dust\":\"%s\","
              "\"backstop_health\":\"%s\"}}",
              market, curve, start_buffer, (unsigned long long)max_duration, reset, dust, backstop);
}

#define LINEAR_1000 "{\"linear\":{\"duration\":1000}}"

/* Chain: stable_token (buyer holds 1,000,000), oracle with chain prices uatom 10 and ucw 2, the
 * engine and a DEX played by relays, pool_stub, cw20-base (the engine holds 1,000,000), and the
 * liquidator with market "atom": linear over 1000 s, start_buffer 1.2, max_duration 2000,
 * reset_threshold 0.4, dust 1000, backstop_health 0.9. */
static void setup(void) {
    open_chain("gov");
    hs_address(C, "gov", GOV, sizeof GOV);
    hs_address(C, "buyer", BUYER, sizeof BUYER);
    hs_address(C, "owner", OWNER, sizeof OWNER);
    hs_address(C, "keeper", KEEPER, sizeof KEEPER);
    hs_address(C, "settlement", SETTLE, sizeof SETTLE);
    hs_address(C, "bob", BOB, sizeof BOB);
    uint64_t token = store_code(TOKEN_WASM), oracle = store_code(ORACLE_WASM),
             relay = store_code(RELAY_WASM), pool = store_code(POOL_WASM),
             cw20 = store_code(CW20_WASM);
    LIQ_CODE = store_code(LIQ_WASM);
    instantiate(oracle, ORACLE,
                "{\"governance\":\"%s\",\"feeders\":[\"%s\"],\"quorum\":1,\"max_age\":31536000,"
                "\"max_move\":\"1000\",\"delay\":0,\"assets\":[{\"denom\":\"uatom\",\"source\":"
                "\"chain\"},{\"denom\":\"ucw\",\"source\":\"chain\"}]}",
                GOV, GOV);
    instantiate(token, TOKEN,
                "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
                "\"initial_balances\":[{\"address\":\"%s\",\"amount\":\"1000000\"}],"
                "\"mint\":{\"minter\":\"%s\"}}",
                BUYER, GOV);
    instantiate(relay, ENGINE, "{}");
    instantiate(relay, DEX, "{}");
    instantiate(pool, POOL, "{}");
    instantiate(cw20, CW20,
                "{\"name\":\"Collateral\",\"symbol\":\"CWT\",\"decimals\":6,"
                "\"initial_balances\":[{\"address\":\"%s\",\"amount\":\"1000000\"}]}",
                ENGINE);
    instantiate(LIQ_CODE, LIQ,
                "{\"governance\":\"%s\",\"engine\":\"%s\",\"stable_token\":\"%s\",\"oracle\":"
                "\"%s\",\"backstop_pool\":\"%s\"}",
                GOV, ENGINE, TOKEN, ORACLE, POOL);
    oracle_price("uatom", "10");
    oracle_price("ucw", "2");
    ok(set_params("atom", LINEAR_1000, "1.2", 2000, "0.4", "1000", "0.9"));
}

static void teardown(void) {
    close_chain();
}

TestSuite(liquidator, .init = setup, .fini = teardown);

/* The engine (relay) sends start_auction for a native uatom lot with the lot as funds. */
static hs_result start_native(const char *amount, const char *debt, const char *tab,
                              const char *health) {
    mint_native(ENGINE, "uatom", amount);
    char *inner;
    cr_assert(asprintf(&inner,
                       "{\"start_auction\":{\"position_id\":7,\"owner\":\"%s\",\"market\":\"atom\","
                       "\"asset\":\"uatom\",\"kind\":\"native\",\"oracle_denom\":\"uatom\","
                       "\"amount\":\"%s\",\"debt\":\"%s\",\"tab\":\"%s\",\"keeper\":\"%s\","
                       "\"health\":\"%s\"}}",
                       OWNER, amount, debt, tab, KEEPER, health) > 0);
    char *m = b64(inner);
    hs_result r = ex(GOV, ENGINE,
                     "{\"relay\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\","
                     "\"msg\":\"%s\",\"funds\":[{\"denom\":\"uatom\",\"amount\":\"%s\"}]}}}]}}",
                     LIQ, m, amount);
    free(inner);
    free(m);
    return r;
}

/* The standard auction: 1000 uatom, debt 8000, tab 8800 (10 % penalty), health 0.95: id 1,
 * top 12 (oracle 10 × 1.2). */
static void start_standard(void) {
    ok(start_native("1000", "8000", "8800", "0.95"));
}

static void allow(const char *owner, const char *amount) {
    ok(ex(owner, TOKEN, "{\"increase_allowance\":{\"spender\":\"%s\",\"amount\":\"%s\"}}", LIQ,
          amount));
}

static hs_result take(const char *who, int id, const char *max_amount, const char *max_price) {
    return ex(who, LIQ, "{\"take\":{\"auction_id\":%d,\"max_amount\":\"%s\",\"max_price\":\"%s\"}}",
              id, max_amount, max_price);
}

static json_t *auction(int id) {
    return qj(LIQ, "{\"auction\":{\"auction_id\":%d}}", id);
}

static void price_is(int id, const char *want) {
    json_t *j = auction(id);
    expect_eq(j, "price", want);
    json_decref(j);
}

/* --- Config and governance -------------------------------------------------------------------- */

Test(liquidator, instantiate_and_config) {
    json_t *j = qj(LIQ, "{\"config\":{}}");
    expect_eq(j, "governance", GOV);
    expect_eq(j, "engine", ENGINE);
    expect_eq(j, "stable_token", TOKEN);
    expect_eq(j, "oracle", ORACLE);
    expect_eq(j, "backstop_pool", POOL);
    expect_eq(j, "settlement", "null");
    expect_eq(j, "circuit_breaker", "0");
    expect_eq(j, "shut_down", "false");
    expect_eq(j, "next_auction_id", "1");
    json_decref(j);
    hs_result r = try_instantiate(LIQ_CODE, NULL,
                                  "{\"governance\":\"%s\",\"engine\":\"%s\",\"oracle\":\"%s\"}",
                                  GOV, ENGINE, ORACLE);
    fails(r, "missing field `stable_token`");
    r = try_instantiate(
        LIQ_CODE, NULL,
        "{\"governance\":\"%s\",\"engine\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\","
        "\"pool\":\"x\"}",
        GOV, ENGINE, TOKEN, ORACLE);
    fails(r, "unknown field `pool`, expected one of `governance`, `engine`, `stable_token`, "
             "`oracle`, `backstop_pool`");
}

Test(liquidator, update_config_by_governance_only) {
    fails(ex(BOB, LIQ, "{\"update_config\":{\"oracle\":\"%s\"}}", BOB),
          "unauthorized: governance only");
    hs_result r =
        ex(GOV, LIQ, "{\"update_config\":{\"oracle\":\"%s\",\"governance\":\"%s\"}}", BOB, KEEPER);
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "action", "update_config");
    attr_is(&r, LIQ, "old_governance", GOV);
    attr_is(&r, LIQ, "new_governance", KEEPER);
    attr_is(&r, LIQ, "old_oracle", ORACLE);
    attr_is(&r, LIQ, "new_oracle", BOB);
    hs_result_free(&r);
    json_t *j = qj(LIQ, "{\"config\":{}}");
    expect_eq(j, "governance", KEEPER);
    expect_eq(j, "oracle", BOB);
    json_decref(j);
    fails(ex(GOV, LIQ, "{\"update_config\":{\"oracle\":\"%s\"}}", ORACLE),
          "unauthorized: governance only");
    /* The pool can be removed (absorption off) and set again. */
    ok(ex(KEEPER, LIQ, "{\"update_config\":{\"remove_backstop_pool\":false}}"));
    fails(ex(KEEPER, LIQ,
             "{\"update_config\":{\"remove_backstop_pool\":true,\"backstop_pool\":\"%s\"}}", POOL),
          "invalid parameters: backstop_pool and remove_backstop_pool together");
    fails(ex(KEEPER, LIQ, "{\"update_config\":{\"remove_backstop_pool\":1}}"),
          "invalid type for `remove_backstop_pool`: expected a boolean, got 1");
    j = qj(LIQ, "{\"config\":{}}");
    expect_eq(j, "backstop_pool", POOL);
    json_decref(j);
    r = ex(KEEPER, LIQ, "{\"update_config\":{\"remove_backstop_pool\":true}}");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "old_backstop_pool", POOL);
    attr_is(&r, LIQ, "new_backstop_pool", "none");
    hs_result_free(&r);
    j = qj(LIQ, "{\"config\":{}}");
    expect_eq(j, "backstop_pool", "null");
    json_decref(j);
}

Test(liquidator, market_params_validation) {
    fails(set_params("atom", LINEAR_1000, "0.99", 2000, "0.4", "0", "0.9"),
          "invalid parameters: start_buffer 0.99 must be >= 1 and <= 10");
    fails(set_params("atom", LINEAR_1000, "11", 2000, "0.4", "0", "0.9"),
          "invalid parameters: start_buffer 11 must be >= 1 and <= 10");
    fails(set_params("atom", "{\"linear\":{\"duration\":0}}", "1.2", 2000, "0.4", "0", "0.9"),
          "invalid parameters: curve.linear.duration must be > 0");
    fails(set_params("atom", "{\"exponential\":{\"step\":0,\"cut\":\"0.9\"}}", "1.2", 2000, "0.4",
                     "0", "0.9"),
          "invalid parameters: curve.exponential.step must be > 0");
    fails(set_params("atom", "{\"exponential\":{\"step\":60,\"cut\":\"1\"}}", "1.2", 2000, "0.4",
                     "0", "0.9"),
          "invalid parameters: curve.exponential.cut 1 must be > 0 and < 1");
    fails(set_params("atom", "{\"exponential\":{\"step\":60,\"cut\":\"0\"}}", "1.2", 2000, "0.4",
                     "0", "0.9"),
          "invalid parameters: curve.exponential.cut 0 must be > 0 and < 1");
    fails(set_params("atom", LINEAR_1000, "1.2", 0, "0.4", "0", "0.9"),
          "invalid parameters: max_duration must be > 0");
    fails(set_params("atom", LINEAR_1000, "1.2", 2000, "1", "0", "0.9"),
          "invalid parameters: reset_threshold 1 must be > 0 and < 1");
    fails(set_params("atom", LINEAR_1000, "1.2", 2000, "0", "0", "0.9"),
          "invalid parameters: reset_threshold 0 must be > 0 and < 1");
    fails(set_params("atom", LINEAR_1000, "1.2", 2000, "0.4", "0", "1.01"),
          "invalid parameters: backstop_health 1.01 must be <= 1");
    fails(set_params("Atom!", LINEAR_1000, "1.2", 2000, "0.4", "0", "0.9"),
          "invalid parameters: market 'Atom!' must match [a-z0-9_-]{1,32}");
    fails(set_params("atom", "{\"step\":{\"x\":1}}", "1.2", 2000, "0.4", "0", "0.9"),
          "unknown variant `step`, expected one of `linear`, `exponential`");
    fails(set_params("atom", "{\"linear\":{\"duration\":10,\"cut\":\"0.5\"}}", "1.2", 2000, "0.4",
                     "0", "0.9"),
          "unknown field `cut`, expected `duration`");
    fails(ex(BOB, LIQ,
             "{\"set_market_params\":{\"market\":\"x\",\"curve\":" LINEAR_1000
             ",\"start_buffer\":\"1\",\"max_duration\":1,\"reset_threshold\":\"0.5\","
             "\"dust\":\"0\",\"backstop_health\":\"0\"}}"),
          "unauthorized: governance only");
    /* The refused changes left the stored parameters as they were. */
    json_t *j = qj(LIQ, "{\"market_params\":{\"market\":\"atom\"}}");
    char *d = json_dumps(j, JSON_COMPACT);
    cr_assert_str_eq(d, "{\"market\":\"atom\",\"curve\":{\"linear\":{\"duration\":1000}},"
                        "\"start_buffer\":\"1.2\",\"max_duration\":2000,\"reset_threshold\":"
                        "\"0.4\",\"dust\":\"1000\",\"backstop_health\":\"0.9\"}");
    free(d);
    json_decref(j);
    hs_result r = set_params("osmo", "{\"exponential\":{\"step\":60,\"cut\":\"0.99\"}}", "1.1", 600,
                             "0.5", "10", "1");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "action", "set_market_params");
    attr_is(&r, LIQ, "replaced", "false");
    attr_is(&r, LIQ, "curve", "exponential");
    attr_is(&r, LIQ, "cut", "0.99");
    hs_result_free(&r);
    j = qj(LIQ, "{\"market_params\":{\"market\":\"osmo\"}}");
    d = json_dumps(j, JSON_COMPACT);
    cr_assert_str_eq(d, "{\"market\":\"osmo\",\"curve\":{\"exponential\":{\"step\":60,\"cut\":"
                        "\"0.99\"}},\"start_buffer\":\"1.1\",\"max_duration\":600,"
                        "\"reset_threshold\":\"0.5\",\"dust\":\"10\",\"backstop_health\":\"1\"}");
    free(d);
    json_decref(j);
    hs_result q = hs_query(C, LIQ, "{\"market_params\":{\"market\":\"none\"}}");
    cr_assert(!q.ok && strstr(q.error, "no auction parameters for market none"), "%s", q.error);
    hs_result_free(&q);
}

/* --- start_auction -----------------------------------------------------------------------------
 */

Test(liquidator, start_auction_records_the_auction) {
    hs_result r = start_native("1000", "8000", "8800", "0.95");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "action", "start_auction");
    attr_is(&r, LIQ, "auction_id", "1");
    attr_is(&r, LIQ, "outcome", "auction");
    attr_is(&r, LIQ, "top", "12");
    attr_is(&r, LIQ, "oracle_price", "10");
    attr_is(&r, LIQ, "keeper", KEEPER);
    hs_result_free(&r);
    json_t *j = auction(1);
    expect_eq(j, "owner", OWNER);
    expect_eq(j, "market", "atom");
    expect_eq(j, "asset", "uatom");
    expect_eq(j, "kind", "native");
    expect_eq(j, "lot", "1000");
    expect_eq(j, "debt", "8000");
    expect_eq(j, "tab", "8800");
    expect_eq(j, "top", "12");
    expect_eq(j, "price", "12");
    expect_eq(j, "needs_reset", "false");
    expect_eq(j, "resets", "0");
    json_decref(j);
    bank_is(LIQ, "uatom", "1000");
    j = qj(LIQ, "{\"totals\":{}}");
    char *d = json_dumps(j, JSON_COMPACT);
    cr_assert_str_eq(d, "{\"markets\":[{\"market\":\"atom\",\"live_auctions\":1,"
                        "\"debt_in_auction\":\"8000\"}],\"live_auctions\":1,"
                        "\"debt_in_auction\":\"8000\"}");
    free(d);
    json_decref(j);
    identity_holds();
}

Test(liquidator, start_auction_refusals) {
    /* Not the engine. */
    mint_native(BOB, "uatom", "100");
    fails(exf(BOB, LIQ, "uatom", "100",
              "{\"start_auction\":{\"position_id\":1,\"owner\":\"%s\",\"market\":\"atom\","
              "\"asset\":\"uatom\",\"kind\":\"native\",\"oracle_denom\":\"uatom\",\"amount\":"
              "\"100\",\"debt\":\"10\",\"tab\":\"11\",\"keeper\":null,\"health\":\"0.9\"}}",
              OWNER),
          "unauthorized: engine only");
    /* Funds that are not the lot. */
    mint_native(ENGINE, "uatom", "100");
    char *inner;
    cr_assert(asprintf(&inner,
                       "{\"start_auction\":{\"position_id\":1,\"owner\":\"%s\",\"market\":\"atom\","
                       "\"asset\":\"uatom\",\"kind\":\"native\",\"oracle_denom\":\"uatom\","
                       "\"amount\":\"100\",\"debt\":\"10\",\"tab\":\"11\",\"keeper\":null,"
                       "\"health\":\"0.9\"}}",
                       OWNER) > 0);
    char *m = b64(inner);
    fails(ex(GOV, ENGINE,
             "{\"relay\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":"
             "\"%s\",\"funds\":[{\"denom\":\"uatom\",\"amount\":\"99\"}]}}}]}}",
             LIQ, m),
          "lot not received: expected funds 100uatom, got 99uatom");
    free(m);
    free(inner);
    /* A market without parameters; tab below debt. */
    fails(start_native("100", "10", "9", "0.9"), "invalid lot: tab 9 must be >= debt 10");
    cr_assert(asprintf(&inner,
                       "{\"start_auction\":{\"position_id\":1,\"owner\":\"%s\",\"market\":\"osmo\","
                       "\"asset\":\"uatom\",\"kind\":\"native\",\"oracle_denom\":\"uatom\","
                       "\"amount\":\"100\",\"debt\":\"10\",\"tab\":\"11\",\"keeper\":null,"
                       "\"health\":\"0.9\"}}",
                       OWNER) > 0);
    m = b64(inner);
    fails(ex(GOV, ENGINE,
             "{\"relay\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":"
             "\"%s\",\"funds\":[{\"denom\":\"uatom\",\"amount\":\"100\"}]}}}]}}",
             LIQ, m),
          "no auction parameters for market osmo");
    free(m);
    free(inner);
    /* A CW20 lot that was not transferred first. */
    cr_assert(asprintf(&inner,
                       "{\"start_auction\":{\"position_id\":1,\"owner\":\"%s\",\"market\":\"atom\","
                       "\"asset\":\"%s\",\"kind\":\"cw20\",\"oracle_denom\":\"ucw\","
                       "\"amount\":\"100\",\"debt\":\"10\",\"tab\":\"11\",\"keeper\":null,"
                       "\"health\":\"0.9\"}}",
                       OWNER, CW20) > 0);
    m = b64(inner);
    fails(ex(GOV, ENGINE,
             "{\"relay\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":"
             "\"%s\",\"funds\":[]}}}]}}",
             LIQ, m),
          "lot not received: cw20 balance 0 < held 0 + lot 100");
    free(m);
    free(inner);
    json_t *j = qj(LIQ, "{\"auctions\":{}}");
    expect_eq(j, "auctions", "[]");
    json_decref(j);
    identity_holds();
}

/* --- Price curves ------------------------------------------------------------------------------
 */

Test(liquidator, linear_price_at_exact_times) {
    start_standard(); /* top 12, linear over 1000 s */
    price_is(1, "12");
    advance(250);
    price_is(1, "9"); /* 12 · 750 / 1000 */
    advance(83);
    price_is(1, "8.004"); /* 12 · 667 / 1000 */
    advance(333);
    price_is(1, "4.008"); /* t = 666 */
    json_t *j = auction(1);
    expect_eq(j, "needs_reset", "false");
    json_decref(j);
    advance(1);
    j = auction(1); /* t = 667: 3.996 < 0.4 × 10 */
    expect_eq(j, "price", "3.996");
    expect_eq(j, "needs_reset", "true");
    expect_eq(j, "elapsed", "667");
    json_decref(j);
    advance(332);
    price_is(1, "0.012"); /* t = 999 */
    advance(1);
    price_is(1, "0"); /* t = 1000 and after */
    advance(5000);
    price_is(1, "0");
}

Test(liquidator, exponential_price_at_exact_times) {
    ok(set_params("atom", "{\"exponential\":{\"step\":60,\"cut\":\"0.99\"}}", "1.2", 100000, "0.1",
                  "0", "0.9"));
    start_standard();
    price_is(1, "12");
    advance(59);
    price_is(1, "12"); /* still the first step */
    advance(1);
    price_is(1, "11.88"); /* 12 · 0.99 */
    advance(540);
    price_is(1, "10.85258490010565388"); /* 12 · 0.99^10 = 10.85258490010565388012, floor */
    advance(5400);
    /* 12 · 0.99^100 = 4.392388095278754059…; the floored power may sit a few units lower. */
    json_t *j = auction(1);
    char *end;
    const char *p = jtext(j, "price");
    cr_assert(!strncmp(p, "4.3923880952787540", 18), "price %s", p);
    unsigned long long tail = strtoull(p + 18, &end, 10);
    cr_assert(tail <= 59 && tail >= 50, "price %s", p);
    json_decref(j);
}

/* --- take ---------------------------------------------------------------------------------------
 */

Test(liquidator, take_whole_tab_returns_leftover_to_owner) {
    start_standard();
    allow(BUYER, "100000");
    advance(250); /* price 9 */
    hs_result r = take(BUYER, 1, "1000", "9");
    cr_assert(r.ok, "%s", r.error);
    /* owe = 1000 · 9 = 9000 > tab 8800: owe 8800 buys floor(8800 / 9) = 977. */
    attr_is(&r, LIQ, "action", "take");
    attr_is(&r, LIQ, "price", "9");
    attr_is(&r, LIQ, "amount", "977");
    attr_is(&r, LIQ, "owe", "8800");
    attr_is(&r, LIQ, "debt_covered", "8000");
    attr_is(&r, LIQ, "penalty_paid", "800");
    attr_is(&r, LIQ, "returned_to_owner", "23");
    attr_is(&r, LIQ, "finished", "true");
    hs_result_free(&r);
    bank_is(BUYER, "uatom", "977");
    bank_is(OWNER, "uatom", "23");
    bank_is(LIQ, "uatom", "0");
    cw20_balance_is(TOKEN, BUYER, "991200");
    cw20_balance_is(TOKEN, ENGINE, "8800");
    /* The engine's hook names the liquidator (the spender) as sender. */
    json_t *j = qj(ENGINE, "{\"last\":{}}");
    expect_eq(j, "variant", "receive");
    expect_eq(j, "sender", TOKEN);
    expect_eq(j, "body.sender", LIQ);
    expect_eq(j, "body.amount", "8800");
    char *hook = unb64(jtext(j, "body.msg"));
    cr_assert_str_eq(hook, "{\"auction_proceeds\":{\"market\":\"atom\",\"debt\":\"8000\"}}");
    free(hook);
    json_decref(j);
    hs_result q = hs_query(C, LIQ, "{\"auction\":{\"auction_id\":1}}");
    cr_assert(!q.ok && strstr(q.error, "auction not found: 1"), "%s", q.error);
    hs_result_free(&q);
    j = qj(LIQ, "{\"totals\":{}}");
    expect_eq(j, "live_auctions", "0");
    expect_eq(j, "debt_in_auction", "0");
    json_decref(j);
    identity_holds();
}

Test(liquidator, partial_takes_and_the_dust_rule) {
    start_standard(); /* dust 1000 */
    allow(BUYER, "100000");
    advance(250); /* price 9 */
    hs_result r = take(BUYER, 1, "500", "10");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "owe", "4500");
    attr_is(&r, LIQ, "debt_covered", "4500");
    attr_is(&r, LIQ, "penalty_paid", "0");
    attr_is(&r, LIQ, "tab_left", "4300");
    attr_is(&r, LIQ, "finished", "false");
    hs_result_free(&r);
    /* 400 would leave tab 700 < dust: it takes tab − dust = 3300 for floor(3300 / 9) = 366. */
    r = take(BUYER, 1, "400", "10");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "amount", "366");
    attr_is(&r, LIQ, "owe", "3300");
    attr_is(&r, LIQ, "debt_covered", "3300");
    attr_is(&r, LIQ, "tab_left", "1000");
    attr_is(&r, LIQ, "lot_left", "134");
    attr_is(&r, LIQ, "debt_left", "200");
    hs_result_free(&r);
    /* tab 1000 <= dust: no partial purchase, only the whole lot. */
    fails(take(BUYER, 1, "10", "10"),
          "no partial purchase: tab 1000 <= dust 1000; take the whole lot 134 (auction 1)");
    r = take(BUYER, 1, "134", "10");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "amount", "111"); /* owe 1206 > tab 1000: floor(1000 / 9) */
    attr_is(&r, LIQ, "owe", "1000");
    attr_is(&r, LIQ, "debt_covered", "200");
    attr_is(&r, LIQ, "penalty_paid", "800");
    attr_is(&r, LIQ, "returned_to_owner", "23");
    hs_result_free(&r);
    bank_is(BUYER, "uatom", "977");
    bank_is(OWNER, "uatom", "23");
    cw20_balance_is(TOKEN, ENGINE, "8800");
    identity_holds();
}

Test(liquidator, take_whole_lot_writes_off_the_rest) {
    start_standard();
    allow(BUYER, "100000");
    advance(500); /* price 6 */
    hs_result r = take(BUYER, 1, "5000", "6");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "amount", "1000");
    attr_is(&r, LIQ, "owe", "6000");
    attr_is(&r, LIQ, "written_off", "2000");
    attr_is(&r, LIQ, "penalty_forgiven", "800");
    attr_is(&r, LIQ, "finished", "true");
    hs_result_free(&r);
    last_is(ENGINE, "write_off", "{\"market\":\"atom\",\"amount\":\"2000\"}");
    cw20_balance_is(TOKEN, ENGINE, "6000");
    identity_holds();
}

Test(liquidator, take_refusals) {
    start_standard();
    allow(BUYER, "100000");
    advance(250);
    fails(take(BUYER, 1, "10", "8.99"), "too expensive: price 9 > max_price 8.99 (auction 1)");
    fails(take(BUYER, 1, "0", "10"), "zero amount: max_amount must be > 0");
    fails(take(BUYER, 2, "10", "10"), "auction not found: 2");
    fails(ex(BUYER, LIQ,
             "{\"take\":{\"auction_id\":1,\"max_amount\":\"1\",\"max_price\":\"9\","
             "\"recipient\":\"%s\"}}",
             LIQ),
          "invalid recipient: the liquidator itself");
    mint_native(BUYER, "uatom", "1");
    fails(exf(BUYER, LIQ, "uatom", "1",
              "{\"take\":{\"auction_id\":1,\"max_amount\":\"1\",\"max_price\":\"9\"}}"),
          "this message takes no funds");
    fails(ex(BUYER, LIQ,
             "{\"take\":{\"auction_id\":1,\"max_amount\":\"1\",\"max_price\":\"9\",\"x\":1}}"),
          "unknown field `x`");
    fails(ex(BUYER, LIQ, "{\"take\":{\"auction_id\":1,\"max_amount\":1,\"max_price\":\"9\"}}"),
          "invalid type for `max_amount`: expected a Uint128 string, got 1");
    /* A callback to a contract that trusts the liquidator or holds its assets. */
    fails(ex(BUYER, LIQ,
             "{\"take\":{\"auction_id\":1,\"max_amount\":\"1\",\"max_price\":\"9\",\"callback\":"
             "{\"contract\":\"%s\",\"msg\":\"e30=\"}}}",
             TOKEN),
          "callback not allowed:");
    fails(ex(BUYER, LIQ,
             "{\"take\":{\"auction_id\":1,\"max_amount\":\"1\",\"max_price\":\"9\",\"callback\":"
             "{\"contract\":\"%s\",\"msg\":\"e30=\"}}}",
             ENGINE),
          "is the engine");
    /* Once the price is below reset_threshold × oracle price, take waits for redo. */
    advance(500);
    fails(take(BUYER, 1, "10", "10"),
          "auction needs a reset: price 3 < reset_threshold 0.4 x oracle price 10 = 4 (auction "
          "1); call redo");
    identity_holds();
}

Test(liquidator, missing_allowance_fails_the_whole_take) {
    start_standard();
    advance(250);
    fails(take(BUYER, 1, "100", "9"), "No allowance for this account");
    json_t *j = auction(1);
    expect_eq(j, "lot", "1000");
    expect_eq(j, "tab", "8800");
    expect_eq(j, "debt", "8000");
    json_decref(j);
    bank_is(BUYER, "uatom", "0");
    bank_is(LIQ, "uatom", "1000");
    cw20_balance_is(TOKEN, BUYER, "1000000");
    identity_holds();
}

/* The buyer holds no stable: the callback makes the DEX (the recipient) sell the collateral it
 * just received and pay the buyer, who then pays. Any other order fails the transaction. */
Test(liquidator, callback_runs_after_delivery_and_before_payment) {
    start_standard();
    allow(BUYER, "100000");
    ok(ex(BUYER, TOKEN, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"1000000\"}}", DEX));
    advance(250); /* price 9: 100 uatom cost 900 */
    char *relay, *transfer;
    cr_assert(
        asprintf(&transfer, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"900\"}}", BUYER) > 0);
    char *t64 = b64(transfer);
    cr_assert(asprintf(&relay,
                       "{\"relay\":{\"msgs\":[{\"bank\":{\"send\":{\"to_address\":\"%s\","
                       "\"amount\":[{\"denom\":\"uatom\",\"amount\":\"100\"}]}}},{\"wasm\":{"
                       "\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\",\"funds\":[]}}}]}}",
                       BOB, TOKEN, t64) > 0);
    char *cb = b64(relay);
    hs_result r = ex(BUYER, LIQ,
                     "{\"take\":{\"auction_id\":1,\"max_amount\":\"100\",\"max_price\":\"9\","
                     "\"recipient\":\"%s\",\"callback\":{\"contract\":\"%s\",\"msg\":\"%s\"}}}",
                     DEX, DEX, cb);
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "callback", DEX);
    attr_is(&r, LIQ, "owe", "900");
    /* Order of the liquidator's messages: bank send to the DEX, the DEX's execute, send_from. */
    const char *ev = r.events;
    char needle[256];
    snprintf(needle, sizeof needle, "{\"key\":\"action\",\"value\":\"relay\"}");
    const char *callback_at = strstr(ev, needle);
    const char *payment_at = strstr(ev, "{\"key\":\"action\",\"value\":\"send_from\"}");
    snprintf(needle, sizeof needle,
             "\"type\":\"transfer\",\"attributes\":[{\"key\":\"recipient\",\"value\":\"%s\"}", DEX);
    const char *delivery_at = strstr(ev, needle);
    cr_assert(delivery_at && callback_at && payment_at, "%s", ev);
    cr_assert(delivery_at < callback_at && callback_at < payment_at, "%s", ev);
    hs_result_free(&r);
    bank_is(BOB, "uatom", "100");
    cw20_balance_is(TOKEN, BUYER, "0");
    cw20_balance_is(TOKEN, ENGINE, "900");
    free(relay);
    free(transfer);
    free(t64);
    free(cb);
    identity_holds();
}

/* --- redo and absorption ------------------------------------------------------------------------
 */

Test(liquidator, redo_conditions_and_reward_request) {
    start_standard();
    advance(600); /* price 4.8 >= 4, 600 s < 2000 s */
    fails(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}"),
          "auction does not need a reset: price 4.8 >= reset_threshold 0.4 x oracle price 10 and "
          "ran 600s < max_duration 2000s (auction 1)");
    advance(100); /* price 3.6 < 4: the pool has no deposits, so the whole auction restarts */
    oracle_price("uatom", "8");
    fails(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}"),
          "auction does not need a reset: price 3.6 >= reset_threshold 0.4 x oracle price 8");
    oracle_price("uatom", "10");
    hs_result r = ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1,\"keeper\":\"%s\"}}", BOB);
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "action", "redo");
    attr_is(&r, LIQ, "reason", "price 3.6 < reset_threshold 0.4 x oracle price 10 = 4");
    attr_is(&r, LIQ, "keeper", BOB);
    attr_is(&r, LIQ, "top", "12");
    hs_result_free(&r);
    char want[256];
    snprintf(want, sizeof want, "{\"keeper\":\"%s\",\"market\":\"atom\",\"debt\":\"8000\"}", BOB);
    last_is(ENGINE, "keeper_reward", want);
    json_t *j = auction(1);
    expect_eq(j, "price", "12");
    expect_eq(j, "resets", "1");
    expect_eq(j, "lot", "1000");
    json_decref(j);
    /* After max_duration the reset is allowed whatever the price (oracle 3: new top 3.6). */
    ok(set_params("atom", LINEAR_1000, "1.2", 500, "0.4", "1000", "0.9"));
    oracle_price("uatom", "3");
    advance(499);
    fails(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}"), "ran 499s < max_duration 500s");
    advance(1);
    r = ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "reason", "ran 500s >= max_duration 500s");
    attr_is(&r, LIQ, "keeper", KEEPER);
    attr_is(&r, LIQ, "top", "3.6");
    attr_is(&r, LIQ, "resets", "2");
    hs_result_free(&r);
    identity_holds();
}

Test(liquidator, absorption_at_start_when_the_pool_covers) {
    ok(ex(GOV, POOL, "{\"set_deposits\":{\"amount\":\"8000\"}}"));
    /* health 0.95 >= backstop_health 0.9: an auction. */
    ok(start_native("1000", "8000", "8800", "0.95"));
    /* health 0.85 < 0.9 and deposits 8000 cover debt 8000: the pool absorbs at once. */
    hs_result r = start_native("500", "8000", "8800", "0.85");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "outcome", "absorbed");
    attr_is(&r, LIQ, "absorbed_amount", "500");
    attr_is(&r, LIQ, "absorbed_debt", "8000");
    attr_is(&r, LIQ, "penalty_forgiven", "800");
    hs_result_free(&r);
    json_t *j = qj(POOL, "{\"last\":{}}");
    expect_eq(j, "variant", "absorb");
    expect_eq(j, "body",
              "{\"market\":\"atom\",\"asset\":\"uatom\",\"kind\":\"native\",\"amount\":\"500\","
              "\"debt\":\"8000\"}");
    expect_eq(j, "funds", "[{\"denom\":\"uatom\",\"amount\":\"500\"}]");
    json_decref(j);
    bank_is(POOL, "uatom", "500");
    /* Deposits below the debt: an auction instead. */
    r = start_native("500", "8001", "8800", "0.5");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "outcome", "auction");
    attr_is(&r, LIQ, "auction_id", "2");
    hs_result_free(&r);
    j = qj(LIQ, "{\"totals\":{}}");
    expect_eq(j, "live_auctions", "2");
    expect_eq(j, "debt_in_auction", "16001");
    json_decref(j);
    identity_holds();
}

Test(liquidator, redo_absorbs_partially_then_restarts) {
    start_standard();
    ok(ex(GOV, POOL, "{\"set_deposits\":{\"amount\":\"3000\"}}"));
    advance(2000);
    hs_result r = ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    /* covered 3000 of 8000: share floor(1000 · 3000 / 8000) = 375, penalty forgiven
     * floor(800 · 3000 / 8000) = 300. */
    attr_is(&r, LIQ, "absorbed_amount", "375");
    attr_is(&r, LIQ, "absorbed_debt", "3000");
    attr_is(&r, LIQ, "penalty_forgiven", "300");
    attr_is(&r, LIQ, "lot_left", "625");
    attr_is(&r, LIQ, "debt_left", "5000");
    attr_is(&r, LIQ, "tab_left", "5500");
    attr_is(&r, LIQ, "finished", "false");
    hs_result_free(&r);
    char want[256];
    snprintf(want, sizeof want, "{\"keeper\":\"%s\",\"market\":\"atom\",\"debt\":\"5000\"}",
             KEEPER);
    last_is(ENGINE, "keeper_reward", want);
    last_is(POOL, "absorb",
            "{\"market\":\"atom\",\"asset\":\"uatom\",\"kind\":\"native\",\"amount\":\"375\","
            "\"debt\":\"3000\"}");
    bank_is(POOL, "uatom", "375");
    /* Next time the pool covers the rest: the auction ends without a reward request. */
    ok(ex(GOV, POOL, "{\"set_deposits\":{\"amount\":\"100000\"}}"));
    ok(ex(GOV, ENGINE, "{\"noted\":{}}"));
    advance(2000);
    r = ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "absorbed_amount", "625");
    attr_is(&r, LIQ, "absorbed_debt", "5000");
    attr_is(&r, LIQ, "penalty_forgiven", "500");
    attr_is(&r, LIQ, "finished", "true");
    cr_assert_null(event_attr(&r, LIQ, "keeper"));
    hs_result_free(&r);
    last_is(ENGINE, "noted", "{}");
    bank_is(POOL, "uatom", "1000");
    bank_is(LIQ, "uatom", "0");
    identity_holds();
}

/* --- Circuit breaker and shutdown ------------------------------------------------------------- */

Test(liquidator, circuit_breaker_levels) {
    start_standard();
    allow(BUYER, "100000");
    fails(ex(BOB, LIQ, "{\"set_circuit_breaker\":{\"level\":1}}"), "unauthorized");
    fails(ex(GOV, LIQ, "{\"set_circuit_breaker\":{\"level\":4}}"),
          "invalid parameters: level 4 must be 0, 1, 2 or 3");
    hs_result r = ex(GOV, LIQ, "{\"set_circuit_breaker\":{\"level\":1}}");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "old_level", "0");
    attr_is(&r, LIQ, "new_level", "1");
    hs_result_free(&r);
    fails(start_native("10", "10", "10", "0.9"),
          "circuit breaker at level 1: new auctions stopped (level 1 and above)");
    advance(2000);
    ok(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}"));
    ok(ex(GOV, LIQ, "{\"set_circuit_breaker\":{\"level\":2}}"));
    advance(2000);
    fails(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}"),
          "circuit breaker at level 2: resets stopped (level 2 and above)");
    ok(ex(GOV, LIQ, "{\"set_circuit_breaker\":{\"level\":3}}"));
    fails(take(BUYER, 1, "1", "100"),
          "circuit breaker at level 3: takes stopped (level 3 and above)");
    ok(ex(GOV, LIQ, "{\"set_circuit_breaker\":{\"level\":0}}"));
    ok(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}"));
    ok(take(BUYER, 1, "1", "100"));
    identity_holds();
}

Test(liquidator, shutdown_then_cancel_sends_lots_to_settlement) {
    start_standard();
    allow(BUYER, "100000");
    advance(250);
    ok(take(BUYER, 1, "100", "9")); /* lot 900, debt 7100, tab 7900 */
    fails(ex(BOB, LIQ, "{\"cancel_auction\":{\"auction_id\":1}}"),
          "liquidator is not shut down: cancel_auction needs the engine's shutdown");
    fails(ex(BOB, LIQ, "{\"shutdown\":{\"settlement\":\"%s\"}}", SETTLE),
          "unauthorized: engine only");
    char *inner;
    cr_assert(asprintf(&inner, "{\"shutdown\":{\"settlement\":\"%s\"}}", SETTLE) > 0);
    char *m = b64(inner);
    ok(ex(GOV, ENGINE,
          "{\"relay\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\","
          "\"funds\":[]}}}]}}",
          LIQ, m));
    free(m);
    free(inner);
    json_t *j = qj(LIQ, "{\"config\":{}}");
    expect_eq(j, "settlement", SETTLE);
    json_decref(j);
    fails(take(BUYER, 1, "1", "100"), "liquidator is shut down: takes stopped");
    advance(2000);
    fails(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}"),
          "liquidator is shut down: resets stopped");
    fails(start_native("10", "10", "10", "0.9"), "liquidator is shut down: new auctions stopped");
    hs_result r = ex(BOB, LIQ, "{\"cancel_auction\":{\"auction_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "action", "cancel_auction");
    attr_is(&r, LIQ, "lot", "900");
    attr_is(&r, LIQ, "debt", "7100");
    attr_is(&r, LIQ, "penalty_forgiven", "800");
    hs_result_free(&r);
    bank_is(SETTLE, "uatom", "900");
    last_is(ENGINE, "auction_cancelled", "{\"market\":\"atom\",\"debt\":\"7100\"}");
    j = qj(LIQ, "{\"totals\":{}}");
    expect_eq(j, "debt_in_auction", "0");
    json_decref(j);
    identity_holds();
}

/* The engine has no settlement yet: it sends null; lots wait until governance names one. */
Test(liquidator, shutdown_without_settlement_waits_for_governance) {
    start_standard();
    char *m = b64("{\"shutdown\":{\"settlement\":null}}");
    hs_result r = ex(GOV, ENGINE,
                     "{\"relay\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\","
                     "\"msg\":\"%s\",\"funds\":[]}}}]}}",
                     LIQ, m);
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "action", "shutdown");
    attr_is(&r, LIQ, "settlement", "none");
    hs_result_free(&r);
    fails(ex(GOV, ENGINE,
             "{\"relay\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":"
             "\"%s\",\"funds\":[]}}}]}}",
             LIQ, m),
          "liquidator is already shut down");
    free(m);
    json_t *j = qj(LIQ, "{\"config\":{}}");
    expect_eq(j, "shut_down", "true");
    expect_eq(j, "settlement", "null");
    json_decref(j);
    fails(ex(BOB, LIQ, "{\"cancel_auction\":{\"auction_id\":1}}"),
          "settlement not configured: governance sets it with update_config");
    r = ex(GOV, LIQ, "{\"update_config\":{\"settlement\":\"%s\"}}", SETTLE);
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "old_settlement", "none");
    attr_is(&r, LIQ, "new_settlement", SETTLE);
    hs_result_free(&r);
    ok(ex(BOB, LIQ, "{\"cancel_auction\":{\"auction_id\":1}}"));
    bank_is(SETTLE, "uatom", "1000");
    last_is(ENGINE, "auction_cancelled", "{\"market\":\"atom\",\"debt\":\"8000\"}");
    identity_holds();
}

/* --- CW20 lots, listing, identity ----------------------------------------------------------------
 */

Test(liquidator, cw20_lot_and_auction_listing) {
    ok(set_params("cw", "{\"exponential\":{\"step\":60,\"cut\":\"0.99\"}}", "1.1", 6000, "0.5", "0",
                  "0.9"));
    start_standard();
    /* The engine transfers 500 CWT first, then starts the auction (oracle ucw 2: top 2.2). */
    char *inner, *transfer;
    cr_assert(asprintf(&inner,
                       "{\"start_auction\":{\"position_id\":9,\"owner\":\"%s\",\"market\":\"cw\","
                       "\"asset\":\"%s\",\"kind\":\"cw20\",\"oracle_denom\":\"ucw\","
                       "\"amount\":\"500\",\"debt\":\"700\",\"tab\":\"735\",\"keeper\":null,"
                       "\"health\":\"0.95\"}}",
                       OWNER, CW20) > 0);
    cr_assert(asprintf(&transfer, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"500\"}}", LIQ) >
              0);
    char *m = b64(inner), *t = b64(transfer);
    ok(ex(GOV, ENGINE,
          "{\"relay\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\","
          "\"funds\":[]}}},{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\","
          "\"funds\":[]}}}]}}",
          CW20, t, LIQ, m));
    free(inner);
    free(transfer);
    free(m);
    free(t);
    cw20_balance_is(CW20, LIQ, "500");
    json_t *j = qj(LIQ, "{\"auctions\":{}}");
    expect_eq(j, "auctions.0.auction_id", "1");
    expect_eq(j, "auctions.1.auction_id", "2");
    expect_eq(j, "auctions.1.kind", "cw20");
    expect_eq(j, "auctions.1.price", "2.2");
    expect_eq(j, "auctions.1.keeper", "null");
    json_decref(j);
    j = qj(LIQ, "{\"auctions\":{\"start_after\":1,\"limit\":5}}");
    cr_assert_eq(json_array_size(json_object_get(j, "auctions")), 1);
    expect_eq(j, "auctions.0.auction_id", "2");
    json_decref(j);
    j = qj(LIQ, "{\"auctions\":{\"limit\":1}}");
    cr_assert_eq(json_array_size(json_object_get(j, "auctions")), 1);
    json_decref(j);
    j = qj(LIQ, "{\"auctions\":{\"limit\":0}}");
    expect_eq(j, "auctions", "[]");
    json_decref(j);
    /* A callback may not reach a collateral token the liquidator holds. */
    allow(BUYER, "100000");
    fails(ex(BUYER, LIQ,
             "{\"take\":{\"auction_id\":2,\"max_amount\":\"1\",\"max_price\":\"9\",\"callback\":"
             "{\"contract\":\"%s\",\"msg\":\"e30=\"}}}",
             CW20),
          "is a collateral token");
    advance(60); /* 2.2 · 0.99 = 2.178 */
    hs_result r = take(BUYER, 2, "500", "2.178");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "price", "2.178");
    attr_is(&r, LIQ, "amount", "337"); /* owe 1089 > tab 735: floor(735 / 2.178) */
    attr_is(&r, LIQ, "owe", "735");
    attr_is(&r, LIQ, "returned_to_owner", "163");
    hs_result_free(&r);
    cw20_balance_is(CW20, BUYER, "337");
    cw20_balance_is(CW20, OWNER, "163");
    cw20_balance_is(CW20, LIQ, "0");
    j = qj(LIQ, "{\"accounting\":{}}");
    expect_eq(j, "identity_holds", "true");
    expect_eq(j, "assets.0.asset", "uatom");
    expect_eq(j, "assets.0.held", "1000");
    expect_eq(j, "assets.0.lots", "1000");
    expect_eq(j, "assets.0.balance", "1000");
    expect_eq(j, "assets.1.kind", "cw20");
    expect_eq(j, "assets.1.held", "0");
    json_decref(j);
}

/* --- Outages: a broken pool or oracle does not stop auctions ------------------------------------
 */

Test(liquidator, broken_pool_and_oracle_do_not_stop_auctions) {
    /* The relay answers {"pool":{}} without total_deposits: the redo restarts without it. */
    ok(ex(GOV, LIQ, "{\"update_config\":{\"backstop_pool\":\"%s\"}}", DEX));
    start_standard();
    advance(2000);
    hs_result r = ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    const char *why = event_attr(&r, LIQ, "backstop_pool_unavailable");
    cr_assert(why && strstr(why, "backstop pool query failed: malformed answer"), "%s",
              why ? why : "none");
    attr_is(&r, LIQ, "finished", "false");
    hs_result_free(&r);
    /* Without an oracle price, take judges the reset rule by time alone. */
    allow(BUYER, "100000");
    advance(250);
    ok(ex(GOV, LIQ, "{\"update_config\":{\"oracle\":\"%s\"}}", BOB));
    r = take(BUYER, 1, "100", "9");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "owe", "900");
    hs_result_free(&r);
    json_t *j = auction(1);
    expect_eq(j, "oracle_price", "null");
    expect_eq(j, "needs_reset", "false");
    json_decref(j);
    fails(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}"), "no valid price for uatom");
    identity_holds();
}

/* Gas of the three hot paths, whole transaction (the engine's relay hop included in
 * start_auction). Bounds leave ~50 % room; LIQUIDATOR_GAS=1 prints the numbers. */
Test(liquidator, gas_of_start_take_redo) {
    allow(BUYER, "100000");
    hs_result r = start_native("1000", "8000", "8800", "0.95");
    cr_assert(r.ok, "%s", r.error);
    uint64_t start = r.sdk_gas_used;
    hs_result_free(&r);
    advance(250);
    r = take(BUYER, 1, "100", "9");
    cr_assert(r.ok, "%s", r.error);
    uint64_t take_gas = r.sdk_gas_used;
    hs_result_free(&r);
    advance(2000);
    r = ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    uint64_t redo = r.sdk_gas_used;
    hs_result_free(&r);
    if (getenv("LIQUIDATOR_GAS"))
        fprintf(stderr, "SDK gas: start_auction %llu, take %llu, redo %llu\n",
                (unsigned long long)start, (unsigned long long)take_gas, (unsigned long long)redo);
    cr_assert_lt(start, 340000);    /* measured 225,844 */
    cr_assert_lt(take_gas, 490000); /* measured 326,083 */
    cr_assert_lt(redo, 440000);     /* measured 294,167 */
}

/* --- Randomized: takes, resets, price moves (fixed seeds)
 * ------------------------------------------ After every step: the liquidator's identity;
 * collateral conservation (liquidator + buyer + owner + pool = every lot started); the engine holds
 * exactly Σ owe; no take pays more than one unit's price away from slice × price; every auction has
 * debt ≤ tab and the totals equal the listed auctions' sums. */

typedef unsigned __int128 u128;

static u128 dec_atomics(const char *s) { /* a Decimal string → atomics (18 digits) */
    u128 whole = 0, frac = 0;
    const char *p = s;
    while (*p && *p != '.') whole = whole * 10 + (u128)(*p++ - '0');
    int digits = 0;
    if (*p == '.')
        for (p++; *p; p++, digits++) frac = frac * 10 + (u128)(*p - '0');
    while (digits++ < 18) frac *= 10;
    return whole * (u128)1000000000000000000ull + frac;
}

static u128 u128_of(const char *s) {
    u128 v = 0;
    while (*s) v = v * 10 + (u128)(*s++ - '0');
    return v;
}

static uint64_t rng_next(uint64_t *state) {
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

static u128 bank_u128(const char *who) {
    char out[64];
    cr_assert_eq(hs_balance(C, who, "uatom", out, sizeof out), 0);
    return u128_of(out);
}

static u128 cw20_u128(const char *who) {
    json_t *j = qj(TOKEN, "{\"balance\":{\"address\":\"%s\"}}", who);
    u128 v = u128_of(jtext(j, "balance"));
    json_decref(j);
    return v;
}

static void random_run(uint64_t seed, const char *curve) {
    uint64_t st = seed;
    ok(set_params("atom", curve, "1.2", 900, "0.3", "500", "0.5"));
    allow(BUYER, "1000000");
    u128 started = 0, paid = 0;
    int takes = 0, redos = 0;
    for (int step = 0; step < 150; step++) {
        uint64_t what = rng_next(&st) % 10;
        json_t *list = qj(LIQ, "{\"auctions\":{\"limit\":30}}");
        json_t *arr = json_object_get(list, "auctions");
        size_t live = json_array_size(arr);
        if (what == 0 || live == 0) { /* a new auction */
            char amount[32], debt[32], tab[32];
            uint64_t lot = 100 + rng_next(&st) % 2000, d = 200 + rng_next(&st) % 10000;
            snprintf(amount, sizeof amount, "%llu", (unsigned long long)lot);
            snprintf(debt, sizeof debt, "%llu", (unsigned long long)d);
            snprintf(tab, sizeof tab, "%llu", (unsigned long long)(d + d / 10));
            ok(start_native(amount, debt, tab, rng_next(&st) % 2 ? "0.95" : "0.4"));
            started += lot;
        } else if (what <= 2) {
            advance(1 + rng_next(&st) % 700);
        } else if (what == 3) {
            char price[32];
            snprintf(price, sizeof price, "%llu.%02llu",
                     5 + (unsigned long long)(rng_next(&st) % 10),
                     (unsigned long long)(rng_next(&st) % 100));
            oracle_price("uatom", price);
        } else if (what == 4) {
            char dep[32];
            snprintf(dep, sizeof dep, "%llu", (unsigned long long)(rng_next(&st) % 8000));
            ok(ex(GOV, POOL, "{\"set_deposits\":{\"amount\":\"%s\"}}", dep));
        } else {
            json_t *a = json_array_get(arr, rng_next(&st) % live);
            int id = atoi(jtext(a, "auction_id"));
            if (!strcmp(jtext(a, "needs_reset"), "true")) {
                ok(ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":%d}}", id));
                redos++;
            } else {
                u128 lot = u128_of(jtext(a, "lot")), price = dec_atomics(jtext(a, "price"));
                char max_amount[48], max_price[64];
                snprintf(max_amount, sizeof max_amount, "%llu",
                         (unsigned long long)(1 + rng_next(&st) % (uint64_t)(lot + 50)));
                snprintf(max_price, sizeof max_price, "%s", jtext(a, "price"));
                hs_result r = take(BUYER, id, max_amount, max_price);
                if (r.ok) {
                    u128 slice = u128_of(event_attr(&r, LIQ, "amount"));
                    u128 owe = u128_of(event_attr(&r, LIQ, "owe"));
                    u128 one = (u128)1000000000000000000ull;
                    /* |owe − slice · price| stays below one unit's price (plus rounding). */
                    cr_assert(owe * one <= slice * price + price + one, "owe above price");
                    cr_assert(slice * price <= owe * one + price, "slice above owe / price");
                    paid += owe;
                    takes++;
                } else {
                    cr_assert(strstr(r.error, "no partial purchase") ||
                                  strstr(r.error, "take too small"),
                              "%s", r.error);
                }
                hs_result_free(&r);
            }
        }
        json_decref(list);
        /* Checks after every step. */
        identity_holds();
        u128 held = bank_u128(LIQ) + bank_u128(BUYER) + bank_u128(OWNER) + bank_u128(POOL);
        cr_assert(held == started, "collateral not conserved (step %d)", step);
        cr_assert(cw20_u128(ENGINE) == paid, "engine stable vs owe (step %d)", step);
        list = qj(LIQ, "{\"auctions\":{\"limit\":30}}");
        arr = json_object_get(list, "auctions");
        u128 debt = 0;
        size_t i;
        json_t *a;
        json_array_foreach(arr, i, a) {
            cr_assert(u128_of(jtext(a, "debt")) <= u128_of(jtext(a, "tab")));
            debt += u128_of(jtext(a, "debt"));
        }
        json_t *t = qj(LIQ, "{\"totals\":{}}");
        cr_assert(u128_of(jtext(t, "debt_in_auction")) == debt, "totals vs auctions");
        cr_assert_eq((size_t)atoi(jtext(t, "live_auctions")), json_array_size(arr));
        json_decref(t);
        json_decref(list);
    }
    cr_assert(takes >= 20 && redos >= 3, "seed %llu: %d takes, %d redos", (unsigned long long)seed,
              takes, redos);
}

Test(liquidator, random_linear_seed_1) {
    random_run(1, LINEAR_1000);
}

Test(liquidator, random_exponential_seed_2) {
    random_run(2, "{\"exponential\":{\"step\":30,\"cut\":\"0.97\"}}");
}

Test(liquidator, random_linear_seed_3) {
    random_run(3, "{\"linear\":{\"duration\":600}}");
}

/* --- With the real engine and backstop pool ------------------------------------------------------
 * vault_engine (the stable token's minter, keeper tip 10, fee 0.01, cap 1000) and backstop_pool
 * wired to the liquidator; market "atom" (fee 0, min_debt 100, uatom: ltv 0.5, threshold 0.6,
 * penalty 0.1). The owner's position: 1000 uatom at 10, debt 5000; the buyer's: 4000 uatom,
 * debt 12000 (stays healthy). */
#define ENGINE_WASM "build/contracts/vault_engine.wasm"
#define POOL_REAL_WASM "build/contracts/backstop_pool.wasm"

static int OWNER_POS;

static int open_pos(const char *owner, const char *amount) {
    hs_result r = exf(owner, ENGINE, "uatom", amount, "{\"open_position\":{\"market\":\"atom\"}}");
    cr_assert(r.ok, "open: %s", r.error);
    char *id = unb64(r.data);
    int n = atoi(id);
    free(id);
    hs_result_free(&r);
    return n;
}

static void setup_system(void) {
    open_chain("gov");
    hs_address(C, "gov", GOV, sizeof GOV);
    hs_address(C, "buyer", BUYER, sizeof BUYER);
    hs_address(C, "owner", OWNER, sizeof OWNER);
    hs_address(C, "keeper", KEEPER, sizeof KEEPER);
    hs_address(C, "settlement", SETTLE, sizeof SETTLE);
    hs_address(C, "bob", BOB, sizeof BOB);
    uint64_t token = store_code(TOKEN_WASM), oracle = store_code(ORACLE_WASM),
             engine = store_code(ENGINE_WASM), pool = store_code(POOL_REAL_WASM);
    LIQ_CODE = store_code(LIQ_WASM);
    instantiate(oracle, ORACLE,
                "{\"governance\":\"%s\",\"feeders\":[\"%s\"],\"quorum\":1,\"max_age\":31536000,"
                "\"max_move\":\"1000\",\"delay\":0,\"assets\":[{\"denom\":\"uatom\",\"source\":"
                "\"chain\"}]}",
                GOV, GOV);
    instantiate(token, TOKEN,
                "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
                "\"initial_balances\":[],\"mint\":{\"minter\":\"%s\"}}",
                GOV);
    instantiate(engine, ENGINE,
                "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\","
                "\"global_debt_ceiling\":\"1000000000\",\"keeper_tip\":\"10\",\"keeper_fee\":"
                "\"0.01\",\"keeper_reward_cap\":\"1000\"}",
                GOV, TOKEN, ORACLE);
    ok(ex(GOV, TOKEN, "{\"update_minter\":{\"new_minter\":\"%s\"}}", ENGINE));
    instantiate(LIQ_CODE, LIQ,
                "{\"governance\":\"%s\",\"engine\":\"%s\",\"stable_token\":\"%s\",\"oracle\":"
                "\"%s\"}",
                GOV, ENGINE, TOKEN, ORACLE);
    instantiate(pool, POOL,
                "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"engine\":\"%s\",\"liquidator\":"
                "\"%s\"}",
                GOV, TOKEN, ENGINE, LIQ);
    ok(ex(GOV, LIQ, "{\"update_config\":{\"backstop_pool\":\"%s\"}}", POOL));
    ok(ex(GOV, ENGINE, "{\"update_config\":{\"liquidator\":\"%s\",\"backstop_pool\":\"%s\"}}", LIQ,
          POOL));
    ok(ex(GOV, ENGINE,
          "{\"create_market\":{\"id\":\"atom\",\"stability_fee\":\"0\",\"debt_ceiling\":"
          "\"100000000\",\"min_debt\":\"100\"}}"));
    ok(ex(GOV, ENGINE,
          "{\"add_collateral\":{\"market\":\"atom\",\"asset\":\"uatom\",\"kind\":\"native\","
          "\"oracle_denom\":\"uatom\",\"max_ltv\":\"0.5\",\"liquidation_threshold\":\"0.6\","
          "\"liquidation_penalty\":\"0.1\",\"supply_cap\":\"100000000\"}}"));
    ok(set_params("atom", LINEAR_1000, "1.2", 2000, "0.4", "100", "0.9"));
    oracle_price("uatom", "10");
    mint_native(OWNER, "uatom", "1000");
    mint_native(BUYER, "uatom", "4000");
    OWNER_POS = open_pos(OWNER, "1000");
    ok(ex(OWNER, ENGINE, "{\"borrow\":{\"position_id\":%d,\"amount\":\"5000\"}}", OWNER_POS));
    int buyer = open_pos(BUYER, "4000");
    ok(ex(BUYER, ENGINE, "{\"borrow\":{\"position_id\":%d,\"amount\":\"12000\"}}", buyer));
}

TestSuite(system, .init = setup_system, .fini = teardown);

static void system_identities_hold(void) {
    identity_holds();
    json_t *j = qj(ENGINE, "{\"accounting\":{}}");
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
    j = qj(POOL, "{\"accounting\":{}}");
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
}

static hs_result liquidate_owner(void) {
    return ex(KEEPER, ENGINE, "{\"liquidate\":{\"position_id\":%d}}", OWNER_POS);
}

static void deposit(const char *who, const char *amount) {
    char *m = b64("{\"deposit\":{}}");
    ok(ex(who, TOKEN, "{\"send\":{\"contract\":\"%s\",\"amount\":\"%s\",\"msg\":\"%s\"}}", POOL,
          amount, m));
    free(m);
}

/* uatom 10 → 8: health floor(4800 / 5000) = 0.96 >= 0.9: an auction at top 9.6; after 250 s
 * the price is 7.2 and the buyer pays the whole tab 5500 for floor(5500 / 7.2) = 763. */
Test(system, liquidation_auction_and_take_burn_the_debt) {
    oracle_price("uatom", "8");
    hs_result r = liquidate_owner();
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "action", "start_auction");
    attr_is(&r, LIQ, "outcome", "auction");
    attr_is(&r, LIQ, "lot", "1000");
    attr_is(&r, LIQ, "debt", "5000");
    attr_is(&r, LIQ, "tab", "5500");
    attr_is(&r, LIQ, "top", "9.6");
    attr_is(&r, LIQ, "health", "0.96");
    hs_result_free(&r);
    json_t *j = qj(ENGINE, "{\"treasury\":{}}");
    expect_eq(j, "auction_debt", "5000");
    json_decref(j);
    system_identities_hold();
    allow(BUYER, "100000");
    advance(250);
    r = take(BUYER, 1, "1000", "7.2");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "amount", "763");
    attr_is(&r, LIQ, "owe", "5500");
    attr_is(&r, LIQ, "debt_covered", "5000");
    attr_is(&r, LIQ, "penalty_paid", "500");
    attr_is(&r, LIQ, "returned_to_owner", "237");
    attr_is(&r, ENGINE, "action", "auction_proceeds");
    attr_is(&r, ENGINE, "sender", LIQ);
    attr_is(&r, ENGINE, "debt_covered", "5000");
    attr_is(&r, ENGINE, "penalty", "500");
    hs_result_free(&r);
    j = qj(ENGINE, "{\"treasury\":{}}");
    expect_eq(j, "auction_debt", "0");
    expect_eq(j, "bad_debt", "0");
    expect_eq(j, "surplus", "500");
    expect_eq(j, "spent", "60"); /* the liquidation's keeper reward: 10 + floor(0.01 · 5000) */
    json_decref(j);
    bank_is(BUYER, "uatom", "763");
    bank_is(OWNER, "uatom", "237");
    cw20_balance_is(TOKEN, BUYER, "6500");
    cw20_balance_is(TOKEN, KEEPER, "60");
    j = qj(TOKEN, "{\"token_info\":{}}");
    expect_eq(j, "total_supply", "11560"); /* 17000 + 60 minted − 5500 burned */
    json_decref(j);
    system_identities_hold();
}

/* The whole lot sells for less than the debt: the rest is written off as bad debt. */
Test(system, lot_gone_writes_off_bad_debt) {
    oracle_price("uatom", "8");
    ok(liquidate_owner());
    allow(BUYER, "100000");
    advance(600); /* 9.6 · 400 / 1000 = 3.84 >= 0.4 · 8 */
    hs_result r = take(BUYER, 1, "1000", "3.84");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "owe", "3840");
    attr_is(&r, LIQ, "written_off", "1160");
    attr_is(&r, ENGINE, "bad_debt", "1160");
    hs_result_free(&r);
    json_t *j = qj(ENGINE, "{\"treasury\":{}}");
    expect_eq(j, "auction_debt", "0");
    expect_eq(j, "bad_debt", "1160");
    expect_eq(j, "deficit", "1220"); /* spent 60 + bad debt 1160 − surplus 0 */
    json_decref(j);
    system_identities_hold();
}

/* uatom 10 → 7: health floor(4200 / 5000) = 0.84 < 0.9 and the pool holds 6000: absorbed at
 * once, the pool pays the debt to the engine and keeps the 1000 uatom. */
Test(system, very_unhealthy_position_is_absorbed_by_the_pool) {
    deposit(BUYER, "6000");
    oracle_price("uatom", "7");
    hs_result r = liquidate_owner();
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "outcome", "absorbed");
    attr_is(&r, LIQ, "absorbed_amount", "1000");
    attr_is(&r, LIQ, "absorbed_debt", "5000");
    attr_is(&r, POOL, "action", "absorb");
    const char *sender = event_attr_of(&r, ENGINE, "auction_proceeds", "sender");
    cr_assert(sender && !strcmp(sender, POOL), "%s", r.events);
    hs_result_free(&r);
    json_t *j = qj(POOL, "{\"pool\":{}}");
    expect_eq(j, "total_deposits", "1000");
    json_decref(j);
    j = qj(ENGINE, "{\"treasury\":{}}");
    expect_eq(j, "auction_debt", "0");
    json_decref(j);
    bank_is(POOL, "uatom", "1000");
    j = qj(LIQ, "{\"config\":{}}");
    expect_eq(j, "next_auction_id", "1");
    json_decref(j);
    system_identities_hold();
}

/* The auction stalls; at max_duration the pool (2000 deposited) absorbs 2000 of the 5000 debt
 * for floor(1000 · 2000 / 5000) = 400 uatom, the rest restarts and the engine pays the keeper
 * 10 + floor(0.01 · 3000) = 40. */
Test(system, redo_absorbs_part_and_the_engine_rewards_the_keeper) {
    deposit(BUYER, "2000");
    oracle_price("uatom", "8");
    ok(liquidate_owner());
    advance(2000);
    hs_result r = ex(BOB, LIQ, "{\"redo\":{\"auction_id\":1,\"keeper\":\"%s\"}}", KEEPER);
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "absorbed_amount", "400");
    attr_is(&r, LIQ, "absorbed_debt", "2000");
    attr_is(&r, LIQ, "penalty_forgiven", "200");
    attr_is(&r, LIQ, "debt_left", "3000");
    attr_is(&r, LIQ, "tab_left", "3300");
    attr_is(&r, ENGINE, "keeper_reward", "40");
    hs_result_free(&r);
    cw20_balance_is(TOKEN, KEEPER, "100"); /* 60 at liquidation + 40 */
    json_t *j = qj(ENGINE, "{\"treasury\":{}}");
    expect_eq(j, "auction_debt", "3000");
    expect_eq(j, "spent", "100");
    json_decref(j);
    j = qj(LIQ, "{\"totals\":{}}");
    expect_eq(j, "debt_in_auction", "3000");
    json_decref(j);
    bank_is(POOL, "uatom", "400");
    system_identities_hold();
}

/* The engine's shutdown stops the liquidator; each auction is cancelled into settlement and
 * the engine moves its debt from auction_debt to settled. */
Test(system, engine_shutdown_then_cancel_moves_the_debt_to_settled) {
    ok(ex(GOV, ENGINE, "{\"update_config\":{\"settlement\":\"%s\"}}", SETTLE));
    oracle_price("uatom", "8");
    ok(liquidate_owner());
    allow(BUYER, "100000");
    advance(250);
    ok(take(BUYER, 1, "100", "7.2")); /* owe 720: debt 4280, lot 900 */
    hs_result r = ex(GOV, ENGINE, "{\"shutdown\":{}}");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "action", "shutdown");
    attr_is(&r, LIQ, "settlement", SETTLE);
    hs_result_free(&r);
    fails(take(BUYER, 1, "100", "10"), "liquidator is shut down: takes stopped");
    r = ex(BOB, LIQ, "{\"cancel_auction\":{\"auction_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    attr_is(&r, LIQ, "lot", "900");
    attr_is(&r, LIQ, "debt", "4280");
    attr_is(&r, ENGINE, "action", "auction_cancelled");
    hs_result_free(&r);
    bank_is(SETTLE, "uatom", "900");
    json_t *j = qj(ENGINE, "{\"treasury\":{}}");
    expect_eq(j, "auction_debt", "0");
    expect_eq(j, "settled", "4280");
    json_decref(j);
    system_identities_hold();
}

/* Gas with the real engine: liquidate (the engine, start_auction and the keeper's mint), take
 * (send_from, the engine's hook and burn) and redo (pool query and absorb, keeper reward). */
Test(system, gas_of_liquidate_take_redo) {
    deposit(BUYER, "2000");
    oracle_price("uatom", "8");
    hs_result r = liquidate_owner();
    cr_assert(r.ok, "%s", r.error);
    uint64_t liquidate = r.sdk_gas_used;
    hs_result_free(&r);
    allow(BUYER, "100000");
    advance(250);
    r = take(BUYER, 1, "100", "7.2");
    cr_assert(r.ok, "%s", r.error);
    uint64_t take_gas = r.sdk_gas_used;
    hs_result_free(&r);
    advance(2000);
    r = ex(KEEPER, LIQ, "{\"redo\":{\"auction_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    uint64_t redo = r.sdk_gas_used;
    hs_result_free(&r);
    if (getenv("LIQUIDATOR_GAS"))
        fprintf(stderr, "SDK gas with the engine: liquidate %llu, take %llu, redo %llu\n",
                (unsigned long long)liquidate, (unsigned long long)take_gas,
                (unsigned long long)redo);
    cr_assert_lt(liquidate, 610000); /* measured 408,083 */
    cr_assert_lt(take_gas, 610000);  /* measured 407,931 */
    cr_assert_lt(redo, 1150000);     /* measured 764,158 */
    system_identities_hold();
}
