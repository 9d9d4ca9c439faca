/* test_settlement.c — the settlement contract on the host simulator: the real .wasm of settlement
 * and stable_token, cw20-base as a CW20 collateral, and the engine_stub test contract answering
 * the engine's shutdown_status and markets queries (the relay cannot answer queries; it serves
 * as a malformed engine). finalize's refusals and pagination, exact payouts floor(x·pool/supply)
 * per redemption, the accounting query (exact, and its identity failing when a balance falls
 * short), and an end-to-end run where every holder redeems everything and the dust per asset stays
 * below the number of redemptions. Spec: contracts/settlement/SPEC.md. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostsim.h"
#include "hs_fixture.h"

#define SETTLEMENT_WASM "build/contracts/settlement.wasm"
#define TOKEN_WASM "build/contracts/stable_token.wasm"
#define RELAY_WASM "build/test-contracts/relay.wasm"
#define STUB_WASM "build/test-contracts/engine_stub.wasm"
#define CW20_WASM "node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm"

/* --- Chain fixture ------------------------------------------------------------------------------
 */

static char SETTLE[128], TOKEN[128], ENG[128], RELAY[128], CW20[128], GOV[128];
#define NH 5
static char HOLDER[NH][128];
static const char *const HOLDER_NAMES[NH] = {"alice", "bob", "carol", "dave", "erin"};
static uint64_t SETTLE_CODE;

typedef unsigned __int128 u128;

static u128 parse_u128(const char *s) {
    u128 v = 0;
    for (; *s; s++) v = v * 10 + (u128)(*s - '0');
    return v;
}

static char *u128_str(u128 v, char *out) {
    char tmp[48];
    int n = 0;
    do tmp[n++] = (char)('0' + (int)(v % 10));
    while ((v /= 10) > 0);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
    return out;
}

static u128 cw20_balance(const char *token, const char *who) {
    json_t *j = qj(token, "{\"balance\":{\"address\":\"%s\"}}", who);
    u128 v = parse_u128(jtext(j, "balance"));
    json_decref(j);
    return v;
}

static u128 bank(const char *who, const char *denom) {
    char out[64];
    cr_assert_eq(hs_balance(C, who, denom, out, sizeof out), 0);
    return parse_u128(out);
}

static void mint_stable(const char *to, const char *amount) {
    ok(ex(GOV, TOKEN, "{\"mint\":{\"recipient\":\"%s\",\"amount\":\"%s\"}}", to, amount));
}

/* The engine stand-in answers `query` (exact JSON text) with `answer`. */
static void stub_answer(const char *query, const char *answer) {
    ok(ex(GOV, ENG, "{\"set\":{\"query\":%s,\"answer\":%s}}", query, answer));
}

#define SHUTDOWN_Q "{\"shutdown_status\":{}}"
static void shutdown_status(const char *shut_down, const char *debt, const char *auction) {
    char *a = fmt("{\"shut_down\":%s,\"shutdown_time\":1700000000,\"normalised_debt_outstanding\":"
                  "\"%s\",\"auction_debt\":\"%s\",\"settled\":\"123\"}",
                  shut_down, debt, auction);
    stub_answer(SHUTDOWN_Q, a);
    free(a);
}

/* A market object as the engine writes it, with its collaterals (asset, kind) pairs. */
static char *market_json(const char *id, int n, const char *const *assets,
                         const char *const *kinds) {
    char *cols = strdup("");
    for (int i = 0; i < n; i++) {
        char *next = fmt("%s%s{\"asset\":\"%s\",\"kind\":\"%s\",\"oracle_denom\":\"x\","
                         "\"max_ltv\":\"0.5\",\"total\":\"0\"}",
                         cols, i ? "," : "", assets[i], kinds[i]);
        free(cols);
        cols = next;
    }
    char *m = fmt("{\"id\":\"%s\",\"stability_fee\":\"0\",\"debt\":\"0\",\"collaterals\":[%s]}", id,
                  cols);
    free(cols);
    return m;
}

/* Two markets: atom (uatom, the CW20) and osmo (uosmo, uatom again), in one page. */
static void two_markets(void) {
    const char *atom_assets[] = {"uatom", CW20}, *atom_kinds[] = {"native", "cw20"};
    const char *osmo_assets[] = {"uosmo", "uatom"}, *osmo_kinds[] = {"native", "native"};
    char *a = market_json("atom", 2, atom_assets, atom_kinds);
    char *o = market_json("osmo", 2, osmo_assets, osmo_kinds);
    char *page = fmt("{\"markets\":[%s,%s]}", a, o);
    stub_answer("{\"markets\":{\"limit\":30}}", page);
    free(a);
    free(o);
    free(page);
}

/* Stable holders (supply 1,000,003), a stub engine, the settlement, and collateral sent to it:
 * 777,777 uatom and 12,345 uosmo by bank, 5,000,001 CW20 by transfer. */
static void setup(void) {
    open_chain("alice");
    hs_address(C, "gov", GOV, sizeof GOV);
    for (int i = 0; i < NH; i++) hs_address(C, HOLDER_NAMES[i], HOLDER[i], sizeof HOLDER[i]);
    uint64_t token = store_code(TOKEN_WASM), stub = store_code(STUB_WASM),
             relay = store_code(RELAY_WASM), cw20 = store_code(CW20_WASM);
    SETTLE_CODE = store_code(SETTLEMENT_WASM);
    char *m = fmt("{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
                  "\"initial_balances\":[],\"mint\":{\"minter\":\"%s\"}}",
                  GOV);
    instantiate(token, TOKEN, "%s", m);
    free(m);
    instantiate(stub, ENG, "{}");
    instantiate(relay, RELAY, "{}");
    m = fmt("{\"name\":\"Collateral\",\"symbol\":\"CWT\",\"decimals\":6,\"initial_balances\":"
            "[{\"address\":\"%s\",\"amount\":\"1000000000\"}]}",
            GOV);
    instantiate(cw20, CW20, "%s", m);
    free(m);
    m = fmt("{\"engine\":\"%s\",\"stable_token\":\"%s\"}", ENG, TOKEN);
    instantiate(SETTLE_CODE, SETTLE, "%s", m);
    free(m);
    mint_stable(HOLDER[0], "500001");
    mint_stable(HOLDER[1], "300001");
    mint_stable(HOLDER[2], "150000");
    mint_stable(HOLDER[3], "50001"); /* supply 1,000,003 */
    mint_native(SETTLE, "uatom", "777777");
    mint_native(SETTLE, "uosmo", "12345");
    ok(ex(GOV, CW20, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"5000001\"}}", SETTLE));
}

static void teardown(void) {
    close_chain();
}

TestSuite(settlement, .init = setup, .fini = teardown);

static hs_result finalize(void) {
    return ex(HOLDER[4], SETTLE, "{\"finalize\":{}}");
}

static hs_result redeem_raw(int who, const char *amount) {
    char *hook = b64("{\"redeem\":{}}");
    hs_result r =
        ex(HOLDER[who], TOKEN, "{\"send\":{\"contract\":\"%s\",\"amount\":\"%s\",\"msg\":\"%s\"}}",
           SETTLE, amount, hook);
    free(hook);
    return r;
}

static void ready_and_finalized(void) {
    shutdown_status("true", "0", "0");
    two_markets();
    ok(finalize());
}

/* --- Tests --------------------------------------------------------------------------------------
 */

Test(settlement, instantiate_and_status) {
    json_t *j = qj(SETTLE, "{\"config\":{}}");
    expect_eq(j, "engine", ENG);
    expect_eq(j, "stable_token", TOKEN);
    json_decref(j);
    j = qj(SETTLE, "{\"status\":{}}");
    char *d = json_dumps(j, JSON_COMPACT);
    cr_assert_str_eq(d, "{\"finalized\":false,\"supply\":\"0\",\"redeemed\":\"0\",\"assets\":[]}");
    free(d);
    json_decref(j);
    hs_result r = hs_instantiate(C, SETTLE_CODE, "alice", "{\"engine\":\"x\"}", NULL, 0, "c", NULL);
    cr_assert(!r.ok && strstr(r.error, "addr_validate"), "%s", r.error);
    hs_result_free(&r);
}

Test(settlement, finalize_refused_until_the_engine_is_settled) {
    /* the engine's own error reaches the settlement redacted by the chain, as wasmd does */
    fails(finalize(), "Querier contract error");
    shutdown_status("false", "0", "0");
    fails(finalize(), "not ready: the engine is not shut down");
    shutdown_status("true", "5", "0");
    fails(finalize(), "not ready: normalised debt outstanding 5 (settle every position first)");
    shutdown_status("true", "0", "7");
    fails(finalize(), "not ready: auction debt 7 (cancel every auction first)");
    stub_answer(SHUTDOWN_Q, "{\"shut_down\":true,\"auction_debt\":\"0\"}");
    fails(finalize(), "malformed shutdown_status answer");
    stub_answer(SHUTDOWN_Q, "{\"shut_down\":\"yes\",\"normalised_debt_outstanding\":\"0\","
                            "\"auction_debt\":\"0\"}");
    fails(finalize(), "malformed shutdown_status answer");
    /* ready, but the markets query is missing or malformed */
    shutdown_status("true", "0", "0");
    fails(finalize(), "Querier contract error");
    stub_answer("{\"markets\":{\"limit\":30}}", "{\"markets\":[{\"id\":\"atom\"}]}");
    fails(finalize(), "malformed markets answer");
    /* the relay as the engine: it answers every query with its `last` record */
    char *m = fmt("{\"engine\":\"%s\",\"stable_token\":\"%s\"}", RELAY, TOKEN);
    char other[128];
    instantiate(SETTLE_CODE, other, "%s", m);
    free(m);
    fails(ex(HOLDER[0], other, "{\"finalize\":{}}"), "malformed shutdown_status answer");
    json_t *j = qj(SETTLE, "{\"status\":{}}");
    expect_eq(j, "finalized", "false");
    json_decref(j);
}

Test(settlement, redeem_before_finalize_refused) {
    fails(redeem_raw(0, "100"), "not finalized: redemption opens after finalize");
    hs_result r = hs_query(C, SETTLE, "{\"redemption\":{\"amount\":\"1\"}}");
    cr_assert(!r.ok && strstr(r.error, "not finalized"), "%s", r.error);
    hs_result_free(&r);
}

Test(settlement, finalize_records_supply_and_every_asset_once) {
    shutdown_status("true", "0", "0");
    /* 31 markets over two pages: 30 listing uatom, then osmo (uosmo, the CW20) and zeta (uatom) */
    char *page = strdup("");
    const char *atom_assets[] = {"uatom"}, *native[] = {"native", "native"};
    for (int i = 0; i < 30; i++) {
        char id[16];
        snprintf(id, sizeof id, "m%02d", i);
        char *mk = market_json(id, 1, atom_assets, native);
        char *next = fmt("%s%s%s", page, i ? "," : "", mk);
        free(mk);
        free(page);
        page = next;
    }
    char *answer = fmt("{\"markets\":[%s]}", page);
    stub_answer("{\"markets\":{\"limit\":30}}", answer);
    free(answer);
    free(page);
    const char *osmo_assets[] = {"uosmo", CW20}, *osmo_kinds[] = {"native", "cw20"};
    char *o = market_json("osmo", 2, osmo_assets, osmo_kinds);
    char *z = market_json("zeta", 1, atom_assets, native);
    answer = fmt("{\"markets\":[%s,%s]}", o, z);
    stub_answer("{\"markets\":{\"start_after\":\"m29\",\"limit\":30}}", answer);
    free(o);
    free(z);
    free(answer);
    hs_result r = finalize();
    cr_assert(r.ok, "%s", r.error);
    char *want = fmt("{\"key\":\"pools\",\"value\":\"uatom:777777,uosmo:12345,%s:5000001\"}", CW20);
    cr_assert(strstr(r.events, want), "%s", r.events);
    free(want);
    hs_result_free(&r);
    json_t *j = qj(SETTLE, "{\"status\":{}}");
    expect_eq(j, "finalized", "true");
    expect_eq(j, "supply", "1000003");
    expect_eq(j, "redeemed", "0");
    cr_assert_eq(json_array_size(json_object_get(j, "assets")), 3);
    expect_eq(j, "assets.0.asset", "uatom");
    expect_eq(j, "assets.0.kind", "native");
    expect_eq(j, "assets.0.pool", "777777");
    expect_eq(j, "assets.1.asset", "uosmo");
    expect_eq(j, "assets.1.pool", "12345");
    expect_eq(j, "assets.2.asset", CW20);
    expect_eq(j, "assets.2.kind", "cw20");
    expect_eq(j, "assets.2.pool", "5000001");
    expect_eq(j, "assets.2.paid", "0");
    json_decref(j);
    fails(finalize(), "already finalized: supply 1000003");
    /* collateral arriving after finalize is not part of any pool */
    mint_native(SETTLE, "uatom", "5");
    j = qj(SETTLE, "{\"status\":{}}");
    expect_eq(j, "assets.0.pool", "777777");
    json_decref(j);
}

/* Every holder redeems everything, some in several parts: each redemption pays exactly
 * floor(x · pool / supply) of every asset, and what stays behind per asset is below the number
 * of redemptions (SPEC.md §4). */
Test(settlement, every_holder_redeems_everything_dust_within_bound) {
    ready_and_finalized();
    /* finalize's order: atom's uatom and CW20, then osmo's uosmo */
    const char *assets[3] = {"uatom", CW20, "uosmo"};
    const u128 pool[3] = {777777, 5000001, 12345}, supply = 1000003;
    struct {
        int who;
        const char *amount;
    } plan[] = {{0, "1"},      {0, "333333"}, {1, "300001"}, {2, "149999"},
                {0, "166667"}, {2, "1"},      {3, "50000"},  {3, "1"}};
    int n = (int)(sizeof plan / sizeof plan[0]);
    u128 paid_total[3] = {0, 0, 0}, redeemed = 0;
    uint64_t gas = 0;
    for (int k = 0; k < n; k++) {
        const char *who = HOLDER[plan[k].who];
        u128 x = parse_u128(plan[k].amount), before[3];
        for (int a = 0; a < 3; a++)
            before[a] = a == 1 ? cw20_balance(CW20, who) : bank(who, assets[a]);
        /* the redemption query previews the payout */
        json_t *p = qj(SETTLE, "{\"redemption\":{\"amount\":\"%s\"}}", plan[k].amount);
        hs_result r = redeem_raw(plan[k].who, plan[k].amount);
        cr_assert(r.ok, "%s", r.error);
        gas = r.sdk_gas_used;
        hs_result_free(&r);
        for (int a = 0; a < 3; a++) {
            u128 want = x * pool[a] / supply;
            u128 after = a == 1 ? cw20_balance(CW20, who) : bank(who, assets[a]);
            char w[48], g[48];
            cr_assert(after - before[a] == want, "redemption %d asset %s: paid %s, want %s", k,
                      assets[a], u128_str(after - before[a], g), u128_str(want, w));
            char path[32];
            snprintf(path, sizeof path, "assets.%d.amount", a);
            cr_assert_str_eq(jtext(p, path), u128_str(want, w));
            paid_total[a] += want;
        }
        json_decref(p);
        /* accounting: paid, the unredeemed supply's claim and the balance, exact */
        redeemed += x;
        json_t *acc = qj(SETTLE, "{\"accounting\":{}}");
        expect_eq(acc, "identity_holds", "true");
        cr_assert_str_eq(jtext(acc, "redeemed"), u128_str(redeemed, (char[48]){0}));
        for (int a = 0; a < 3; a++) {
            char path[32], w[48];
            snprintf(path, sizeof path, "assets.%d.paid", a);
            cr_assert_str_eq(jtext(acc, path), u128_str(paid_total[a], w));
            snprintf(path, sizeof path, "assets.%d.reserved", a);
            cr_assert_str_eq(jtext(acc, path), u128_str(pool[a] * (supply - redeemed) / supply, w));
            snprintf(path, sizeof path, "assets.%d.balance", a);
            cr_assert_str_eq(jtext(acc, path), u128_str(pool[a] - paid_total[a], w));
        }
        json_decref(acc);
    }
    json_t *j = qj(TOKEN, "{\"token_info\":{}}");
    expect_eq(j, "total_supply", "0"); /* all stable burned */
    json_decref(j);
    j = qj(SETTLE, "{\"status\":{}}");
    expect_eq(j, "redeemed", "1000003");
    for (int a = 0; a < 3; a++) {
        u128 left = (a == 1 ? cw20_balance(CW20, SETTLE) : bank(SETTLE, assets[a]));
        char path[32], l[48], w[48];
        snprintf(path, sizeof path, "assets.%d.paid", a);
        cr_assert_str_eq(jtext(j, path), u128_str(paid_total[a], w));
        cr_assert(left == pool[a] - paid_total[a]);
        cr_assert(left < (u128)n, "asset %s: %s left after %d redemptions", assets[a],
                  u128_str(left, l), n);
        cr_log_info("settlement dust %s: %s base units after %d redemptions", assets[a],
                    u128_str(left, l), n);
    }
    json_decref(j);
    cr_log_info("settlement gas (SDK units, whole tx): redeem via CW20 send paying 3 assets %llu",
                (unsigned long long)gas);
    fails(redeem_raw(4, "1"), "Cannot Sub"); /* erin has no stable */
}

/* The accounting answer as compact JSON text. */
static char *accounting_text(void) {
    json_t *j = qj(SETTLE, "{\"accounting\":{}}");
    char *d = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return d;
}

/* One asset of the accounting answer, in its order. */
static char *accounting_asset(const char *asset, const char *kind, const char *pool,
                              const char *paid, const char *reserved, const char *balance) {
    return fmt("{\"asset\":\"%s\",\"kind\":\"%s\",\"pool\":\"%s\",\"paid\":\"%s\",\"reserved\":"
               "\"%s\",\"balance\":\"%s\"}",
               asset, kind, pool, paid, reserved, balance);
}

/* accounting{}: nothing recorded before finalize; after it the pools, what was paid, what the
 * unredeemed supply still claims (floor(pool · (supply − redeemed) / supply)) and the balances,
 * exact; collateral arriving later only raises the balance. */
Test(settlement, accounting_before_finalize_after_finalize_and_after_a_redemption) {
    char *d = accounting_text();
    cr_assert_str_eq(d, "{\"finalized\":false,\"supply\":\"0\",\"redeemed\":\"0\",\"assets\":[],"
                        "\"identity_holds\":true}");
    free(d);
    ready_and_finalized();
    char *a0 = accounting_asset("uatom", "native", "777777", "0", "777777", "777777");
    char *a1 = accounting_asset(CW20, "cw20", "5000001", "0", "5000001", "5000001");
    char *a2 = accounting_asset("uosmo", "native", "12345", "0", "12345", "12345");
    char *want = fmt("{\"finalized\":true,\"supply\":\"1000003\",\"redeemed\":\"0\",\"assets\":"
                     "[%s,%s,%s],\"identity_holds\":true}",
                     a0, a1, a2);
    d = accounting_text();
    cr_assert_str_eq(d, want);
    free(d), free(want), free(a0), free(a1), free(a2);
    /* alice redeems 500,001 of 1,000,003: floor(500,001 · pool / 1,000,003) of each asset; the
     * other 500,002 still claim floor(500,002 · pool / 1,000,003) — 388,888 uatom, 2,500,002 CW20
     * and 6,172 uosmo — of the 388,889, 2,500,003 and 6,173 left. 5 uatom arrive afterwards. */
    ok(redeem_raw(0, "500001"));
    mint_native(SETTLE, "uatom", "5");
    a0 = accounting_asset("uatom", "native", "777777", "388888", "388888", "388894");
    a1 = accounting_asset(CW20, "cw20", "5000001", "2499998", "2500002", "2500003");
    a2 = accounting_asset("uosmo", "native", "12345", "6172", "6172", "6173");
    want = fmt("{\"finalized\":true,\"supply\":\"1000003\",\"redeemed\":\"500001\",\"assets\":"
               "[%s,%s,%s],\"identity_holds\":true}",
               a0, a1, a2);
    d = accounting_text();
    cr_assert_str_eq(d, want);
    free(d), free(want), free(a0), free(a1), free(a2);
    hs_result r = hs_query(C, SETTLE, "{\"accounting\":{\"x\":1}}");
    cr_assert(!r.ok && strstr(r.error, "unknown field `x`, expected no fields"), "%s", r.error);
    hs_result_free(&r);
}

/* The identity as the query sees it fails when an asset's balance falls below what is left of
 * its pool: a "CW20" played by the engine stand-in, whose balance answer the test sets (a real
 * CW20 cannot take the settlement's tokens). */
Test(settlement, accounting_identity_fails_when_a_balance_falls_below_the_pool_left) {
    shutdown_status("true", "0", "0");
    const char *assets[] = {"uatom", ENG}, *kinds[] = {"native", "cw20"};
    char *mk = market_json("atom", 2, assets, kinds), *page = fmt("{\"markets\":[%s]}", mk);
    stub_answer("{\"markets\":{\"limit\":30}}", page);
    free(mk), free(page);
    char *q = fmt("{\"balance\":{\"address\":\"%s\"}}", SETTLE);
    stub_answer(q, "{\"balance\":\"1000\"}");
    ok(finalize());
    json_t *j = qj(SETTLE, "{\"accounting\":{}}");
    expect_eq(j, "assets.1.pool", "1000");
    expect_eq(j, "assets.1.balance", "1000");
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
    stub_answer(q, "{\"balance\":\"999\"}");
    j = qj(SETTLE, "{\"accounting\":{}}");
    expect_eq(j, "assets.0.balance", "777777");
    expect_eq(j, "assets.1.balance", "999");
    expect_eq(j, "identity_holds", "false");
    json_decref(j);
    /* and a redemption, whose own check queries the same balance, is refused */
    fails(redeem_raw(0, "1000"), "accounting identity violated: ");
    free(q);
}

Test(settlement, redeem_beyond_the_supply_refused) {
    ready_and_finalized();
    mint_stable(HOLDER[4], "2000000"); /* stable minted after finalize */
    fails(redeem_raw(4, "1000004"),
          "redemption exceeds the supply at finalize: redeemed 0 + amount 1000004 > supply "
          "1000003");
    ok(redeem_raw(4, "1000003"));
    fails(redeem_raw(4, "1"),
          "redemption exceeds the supply at finalize: redeemed 1000003 + amount 1 > supply");
    hs_result r = hs_query(C, SETTLE, "{\"redemption\":{\"amount\":\"1\"}}");
    cr_assert(!r.ok && strstr(r.error, "redemption exceeds the supply"), "%s", r.error);
    hs_result_free(&r);
    cr_assert(bank(SETTLE, "uatom") == 0 && bank(SETTLE, "uosmo") == 0);
    cr_assert(cw20_balance(CW20, SETTLE) == 0);
}

Test(settlement, strict_messages_funds_and_hooks) {
    ready_and_finalized();
    fails(ex(HOLDER[0], SETTLE, "{\"finalize\":{\"now\":true}}"),
          "unknown field `now`, expected no fields");
    fails(ex(HOLDER[0], SETTLE, "{\"redeem\":{}}"),
          "unknown variant `redeem`, expected one of `receive`, `finalize`");
    mint_native(HOLDER[0], "uatom", "3");
    fails(exf(HOLDER[0], SETTLE, "uatom", "3", "{\"finalize\":{}}"),
          "this message takes no funds: got 3uatom");
    char *hook = b64("{\"deposit\":{}}");
    fails(ex(HOLDER[0], TOKEN, "{\"send\":{\"contract\":\"%s\",\"amount\":\"5\",\"msg\":\"%s\"}}",
             SETTLE, hook),
          "unknown variant `deposit`, expected `redeem`");
    free(hook);
    fails(redeem_raw(0, "0"), "zero amount");
    /* another CW20's send is not a redemption */
    ok(ex(GOV, CW20, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"10\"}}", HOLDER[0]));
    hook = b64("{\"redeem\":{}}");
    fails(ex(HOLDER[0], CW20, "{\"send\":{\"contract\":\"%s\",\"amount\":\"10\",\"msg\":\"%s\"}}",
             SETTLE, hook),
          "unauthorized: only the stable token");
    free(hook);
    hs_result r = hs_query(C, SETTLE, "{\"status\":{\"x\":1}}");
    cr_assert(!r.ok && strstr(r.error, "unknown field `x`"), "%s", r.error);
    hs_result_free(&r);
}

/* --- End to end with the real engine ------------------------------------------------------------
 */

#define ENGINE_WASM "build/contracts/vault_engine.wasm"
#define ORACLE_WASM "build/contracts/oracle.wasm"
static char ORACLE[128], FEEDER[128];

static void price(const char *denom, const char *p) {
    ok(ex(FEEDER, ORACLE, "{\"submit_price\":{\"denom\":\"%s\",\"price\":\"%s\"}}", denom, p));
}

static void add_coll(const char *market, const char *asset, const char *kind,
                     const char *oracle_denom, const char *ltv) {
    ok(ex(GOV, ENG,
          "{\"add_collateral\":{\"market\":\"%s\",\"asset\":\"%s\",\"kind\":\"%s\","
          "\"oracle_denom\":\"%s\",\"max_ltv\":\"%s\",\"liquidation_threshold\":\"0.85\","
          "\"liquidation_penalty\":\"0.05\",\"supply_cap\":\"100000000\"}}",
          market, asset, kind, oracle_denom, ltv));
}

/* A position of `owner` in `market`; returns its id (the response data). */
static int open_position(int owner, const char *market, const char *denom, const char *amount) {
    hs_result r =
        exf(HOLDER[owner], ENG, denom, amount, "{\"open_position\":{\"market\":\"%s\"}}", market);
    cr_assert(r.ok, "open: %s", r.error);
    int id = data_int(&r);
    hs_result_free(&r);
    return id;
}

/* The real system: oracle, stable_token (the engine mints), vault_engine with the settlement
 * wired in, cw20-base. Markets atom (uatom, the CW20) and osmo (uosmo). Prices uatom 10,
 * uosmo 2, ucw 1. Positions: alice 10,000 uatom borrowing 30,001; bob 50,000 uosmo borrowing
 * 20,003; carol 30,000 CW20 borrowing 11,111; alice gives dave 7,000. */
static void setup_e2e(void) {
    open_chain("alice");
    hs_address(C, "gov", GOV, sizeof GOV);
    hs_address(C, "feeder", FEEDER, sizeof FEEDER);
    for (int i = 0; i < NH; i++) hs_address(C, HOLDER_NAMES[i], HOLDER[i], sizeof HOLDER[i]);
    uint64_t token = store_code(TOKEN_WASM), engine = store_code(ENGINE_WASM),
             oracle = store_code(ORACLE_WASM), cw20 = store_code(CW20_WASM);
    SETTLE_CODE = store_code(SETTLEMENT_WASM);
    char *m = fmt("{\"governance\":\"%s\",\"feeders\":[\"%s\"],\"quorum\":1,\"max_age\":31536000,"
                  "\"max_move\":\"1000\",\"delay\":0,\"assets\":[{\"denom\":\"uatom\",\"source\":"
                  "\"feeders\"},{\"denom\":\"uosmo\",\"source\":\"feeders\"},{\"denom\":\"ucw\","
                  "\"source\":\"feeders\"}]}",
                  GOV, FEEDER);
    instantiate(oracle, ORACLE, "%s", m);
    free(m);
    m = fmt("{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
            "\"initial_balances\":[],\"mint\":{\"minter\":\"%s\"}}",
            GOV);
    instantiate(token, TOKEN, "%s", m);
    free(m);
    m = fmt("{\"governance\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\","
            "\"global_debt_ceiling\":\"1000000000\"}",
            GOV, TOKEN, ORACLE);
    instantiate(engine, ENG, "%s", m);
    free(m);
    ok(ex(GOV, TOKEN, "{\"update_minter\":{\"new_minter\":\"%s\"}}", ENG));
    m = fmt("{\"engine\":\"%s\",\"stable_token\":\"%s\"}", ENG, TOKEN);
    instantiate(SETTLE_CODE, SETTLE, "%s", m);
    free(m);
    ok(ex(GOV, ENG, "{\"update_config\":{\"settlement\":\"%s\"}}", SETTLE));
    m = fmt("{\"name\":\"Collateral\",\"symbol\":\"CWT\",\"decimals\":6,\"initial_balances\":"
            "[{\"address\":\"%s\",\"amount\":\"30000\"}]}",
            HOLDER[2]);
    instantiate(cw20, CW20, "%s", m);
    free(m);
    ok(ex(GOV, ENG,
          "{\"create_market\":{\"id\":\"atom\",\"stability_fee\":\"0\",\"debt_ceiling\":"
          "\"100000000\",\"min_debt\":\"100\"}}"));
    ok(ex(GOV, ENG,
          "{\"create_market\":{\"id\":\"osmo\",\"stability_fee\":\"0\",\"debt_ceiling\":"
          "\"100000000\",\"min_debt\":\"100\"}}"));
    add_coll("atom", "uatom", "native", "uatom", "0.5");
    add_coll("atom", CW20, "cw20", "ucw", "0.8");
    add_coll("osmo", "uosmo", "native", "uosmo", "0.5");
    price("uatom", "10");
    price("uosmo", "2");
    price("ucw", "1");
    mint_native(HOLDER[0], "uatom", "10000");
    mint_native(HOLDER[1], "uosmo", "50000");
    int p1 = open_position(0, "atom", "uatom", "10000");
    ok(ex(HOLDER[0], ENG, "{\"borrow\":{\"position_id\":%d,\"amount\":\"30001\"}}", p1));
    int p2 = open_position(1, "osmo", "uosmo", "50000");
    ok(ex(HOLDER[1], ENG, "{\"borrow\":{\"position_id\":%d,\"amount\":\"20003\"}}", p2));
    int p3 = open_position(2, "atom", NULL, NULL);
    char *text = fmt("{\"deposit\":{\"position_id\":%d}}", p3), *hook = b64(text);
    free(text);
    ok(ex(HOLDER[2], CW20, "{\"send\":{\"contract\":\"%s\",\"amount\":\"30000\",\"msg\":\"%s\"}}",
          ENG, hook));
    free(hook);
    ok(ex(HOLDER[2], ENG, "{\"borrow\":{\"position_id\":%d,\"amount\":\"11111\"}}", p3));
    ok(ex(HOLDER[0], TOKEN, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"7000\"}}",
          HOLDER[3]));
}

TestSuite(settlement_e2e, .init = setup_e2e, .fini = teardown);

/* Shutdown after a crash (uatom 3, uosmo 1.5, ucw 0.5), every position settled, finalize, and every
 * holder redeems everything: payouts exact, dust per asset below the number of redemptions. */
Test(settlement_e2e, shutdown_settle_finalize_and_redeem_everything) {
    fails(finalize(), "not ready: the engine is not shut down");
    ok(ex(GOV, ENG, "{\"shutdown\":{}}"));
    fails(finalize(), "not ready: normalised debt outstanding 61115");
    price("uatom", "3");
    price("uosmo", "1.5");
    price("ucw", "0.5");
    ok(ex(HOLDER[4], ENG, "{\"fix_price\":{\"market\":\"atom\",\"asset\":\"uatom\"}}"));
    ok(ex(HOLDER[4], ENG, "{\"fix_price\":{\"market\":\"atom\",\"asset\":\"%s\"}}", CW20));
    ok(ex(HOLDER[4], ENG, "{\"fix_price\":{\"market\":\"osmo\",\"asset\":\"uosmo\"}}"));
    for (int id = 1; id <= 3; id++)
        ok(ex(HOLDER[4], ENG, "{\"settle_position\":{\"position_id\":%d}}", id));
    /* p1: all 10,000 uatom (cover 30,000 of 30,001: shortfall 1); p2: ceil(20,003 / 1.5) =
     * 13,336 uosmo; p3: 22,222 CW20 */
    json_t *j = qj(ENG, "{\"shutdown_status\":{}}");
    expect_eq(j, "normalised_debt_outstanding", "0");
    json_decref(j);
    cr_assert(bank(SETTLE, "uatom") == 10000 && bank(SETTLE, "uosmo") == 13336);
    cr_assert(cw20_balance(CW20, SETTLE) == 22222);
    hs_result r = finalize();
    cr_assert(r.ok, "%s", r.error);
    char *want = fmt("{\"key\":\"pools\",\"value\":\"uatom:10000,%s:22222,uosmo:13336\"}", CW20);
    cr_assert(strstr(r.events, want), "%s", r.events);
    free(want);
    hs_result_free(&r);
    j = qj(SETTLE, "{\"status\":{}}");
    expect_eq(j, "supply", "61115");
    json_decref(j);
    const char *assets[3] = {"uatom", CW20, "uosmo"};
    const u128 pool[3] = {10000, 22222, 13336}, supply = 61115;
    struct {
        int who;
        const char *amount;
    } plan[] = {{0, "10000"}, {1, "20003"}, {0, "13001"}, {2, "11110"},
                {3, "6999"},  {2, "1"},     {3, "1"}};
    int n = (int)(sizeof plan / sizeof plan[0]);
    for (int k = 0; k < n; k++) {
        const char *who = HOLDER[plan[k].who];
        u128 x = parse_u128(plan[k].amount), before[3];
        for (int a = 0; a < 3; a++)
            before[a] = a == 1 ? cw20_balance(CW20, who) : bank(who, assets[a]);
        ok(redeem_raw(plan[k].who, plan[k].amount));
        for (int a = 0; a < 3; a++) {
            u128 after = a == 1 ? cw20_balance(CW20, who) : bank(who, assets[a]);
            cr_assert(after - before[a] == x * pool[a] / supply, "redemption %d asset %d", k, a);
        }
    }
    j = qj(TOKEN, "{\"token_info\":{}}");
    expect_eq(j, "total_supply", "0");
    json_decref(j);
    for (int a = 0; a < 3; a++) {
        u128 left = a == 1 ? cw20_balance(CW20, SETTLE) : bank(SETTLE, assets[a]);
        char l[48];
        cr_assert(left < (u128)n, "asset %s: %s left after %d redemptions", assets[a],
                  u128_str(left, l), n);
        cr_log_info("settlement e2e dust %s: %s after %d redemptions", assets[a], u128_str(left, l),
                    n);
    }
    j = qj(ENG, "{\"accounting\":{}}");
    expect_eq(j, "identity_holds", "true");
    json_decref(j);
}
