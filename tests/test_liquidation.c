/* test_liquidation.c — crash scenarios of issue 5 on host-sim with the real .wasm of the whole
 * system (tests/cdp_system.c) and the keeper agent (hs_keeper.h): a 40 % drop in one block, a
 * 60 % slide over a day, keepers that bid only at ≥ 15 %, no bidders (the backstop pool absorbs),
 * a crash deep enough for bad debt (netted against surplus, the rest recorded as deficit),
 * positions below the hard health limit absorbed at once, thin liquidity (partial takes),
 * auction resets, the circuit breaker, and gas per liquidation at 1k and 10k positions. Expected
 * values come from the documented formulas: contracts/SOLVENCY.md, the engine's and the
 * liquidator's SPEC.md. Each scenario prints its liquidated debt, bad debt and average auction
 * discount. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdp_scale.h"
#include "cdp_system.h"
#include "hostsim.h"
#include "hs_keeper.h"
#include "script.h"

/* --- Fixture ---------------------------------------------------------------------------------- */

static hs_chain *C;
static cdp_system S;
static cdp_market MARKET;

#define OK(expr) cr_assert((expr) == 0, "%s", cdp_error())

static void open_chain(void) {
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.cache_dir = "build/cache";
    char *err = NULL;
    cr_assert_eq(hs_chain_open(&cfg, &C, &err), 0, "open: %s", err ? err : "");
}

static void teardown(void) {
    hs_chain_close(C);
    C = NULL;
}

TestSuite(liquidation, .init = open_chain, .fini = teardown, .timeout = 600);

/* Deploy with the default market (uatom at 10, max_ltv 0.5, threshold 0.6, penalty 0.1; linear
 * auctions from oracle × 1.2 to zero over 3600 s, reset below 0.5 × oracle or after 7200 s) and
 * the given keeper reward. */
static void deploy_with(const char *backstop_health, const char *tip, const char *fee,
                        const char *cap) {
    cdp_params p;
    cdp_params_default(&p);
    MARKET = cdp_market_default();
    MARKET.auction.backstop_health = backstop_health;
    p.markets = &MARKET;
    p.keeper_tip = tip;
    p.keeper_fee = fee;
    p.keeper_reward_cap = cap;
    OK(cdp_deploy(C, &p, &S));
}

static void deploy(const char *tip, const char *fee, const char *cap) {
    deploy_with("0", tip, fee, cap);
}

static const char *USERS[] = {"user0", "user1", "user2", "user3", "user4"};

/* Positions of 100,000 uatom (worth 1,000,000 at price 10) with the given debts, owned by
 * user0, user1, … (ids 1, 2, …). */
static void open_book(const uint64_t *debts, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t id;
        OK(cdp_open(&S, USERS[i], &MARKET, 100000, debts[i], &id));
        cr_assert_eq(id, i + 1);
    }
}

/* --- Takes seen by the keepers ------------------------------------------------------------------
 */

static hs_keeper_take TAKES[64];
static size_t N_TAKES;

static void record_take(void *ctx, const hs_keeper_take *t) {
    (void)ctx;
    cr_assert(N_TAKES < 64);
    TAKES[N_TAKES++] = *t;
    /* Never above the auction's current price: a take paying `paid` gets floor(paid / price)
     * units (the rounding favours the protocol by less than one unit), so
     * paid < (bought + 1) · price. */
    cr_assert(t->paid * (cdp_u128)1000000000000000000ull < (t->bought + 1) * t->auction_price,
              "take above the auction price: paid %llu for %llu", (unsigned long long)t->paid,
              (unsigned long long)t->bought);
}

/* A keeper with its own funded position: 10,000,000 uatom, 10,000,000 stable borrowed. */
static hs_keeper *keeper(const char *name, const char *min_discount, bool bid, bool redo) {
    uint64_t id;
    OK(cdp_open(&S, name, &MARKET, 10000000, 10000000, &id));
    hs_keeper_config kc;
    hs_keeper_config_default(&kc);
    kc.name = name;
    kc.account = name;
    kc.engine = S.engine;
    kc.liquidator = S.liquidator;
    kc.min_discount = min_discount;
    kc.bid = bid;
    kc.redo = redo;
    kc.on_take = record_take;
    hs_keeper *k = NULL;
    char *err = NULL;
    cr_assert_eq(hs_keeper_new(C, &kc, &k, &err), 0, "%s", err ? err : "");
    return k;
}

/* One round of every keeper at the current block. */
static void round_all(hs_keeper **ks, size_t n) {
    for (size_t i = 0; i < n; i++) {
        hs_keeper_report rep;
        cr_assert_eq(hs_keeper_round(ks[i], &rep), 0, "%s", hs_keeper_error(ks[i]));
    }
}

/* `blocks` blocks of 5 s, every keeper running after each. */
static void run_blocks(hs_keeper **ks, size_t n, uint64_t blocks) {
    for (uint64_t b = 0; b < blocks; b++) {
        hs_block_advance(C, 1, 0);
        round_all(ks, n);
    }
}

static void set_price(const char *p) {
    char *err = NULL;
    cr_assert_eq(hs_oracle_set_price(C, "uatom", p, &err), 0, "%s", err ? err : "");
}

static cdp_u128 stable_of(const char *who) {
    cdp_u128 v;
    OK(cdp_stable_balance(&S, who, &v));
    return v;
}

static cdp_u128 uatom_of(const char *who) {
    cdp_u128 v;
    OK(cdp_native_balance(&S, who, "uatom", &v));
    return v;
}

static cdp_ledger ledger(void) {
    cdp_ledger l;
    OK(cdp_read_ledger(&S, &l));
    return l;
}

#define EQ(a, b)                                                                                   \
    cr_assert((cdp_u128)(a) == (cdp_u128)(b), "%s: %llu != %llu", #a, (unsigned long long)(a),     \
              (unsigned long long)(b))

/* Every identity, the engine's ledger (I1') and the stable supply equation of SOLVENCY §3. */
static void system_consistent(void) {
    OK(cdp_identities_hold(&S));
    cdp_ledger l = ledger();
    EQ(l.total_debt + l.auction_debt + l.bad_debt + l.spent + l.settled + l.burned,
       l.minted + l.surplus + l.redeemed);
    cdp_u128 supply;
    OK(cdp_stable_supply(&S, &supply));
    EQ(supply + l.surplus_available, l.total_debt + l.auction_debt + l.deficit + l.settled);
}

/* The settlement's accounting (its SPEC §6): identity_holds, and its one asset's (uatom) pool,
 * paid, reserved = floor(pool · (supply − redeemed) / supply) and balance, exact. */
static void settlement_accounting_is(cdp_u128 supply, cdp_u128 redeemed, cdp_u128 pool,
                                     cdp_u128 paid, cdp_u128 balance) {
    json_t *j = cdp_query(&S, S.settlement, "{\"accounting\":{}}");
    cr_assert(j, "%s", cdp_error());
    char *dump = json_dumps(j, JSON_COMPACT);
    cr_assert(json_is_true(json_object_get(j, "identity_holds")), "settlement: %s", dump);
    json_t *assets = json_object_get(j, "assets"), *a = json_array_get(assets, 0);
    cr_assert(json_array_size(assets) == 1 && a, "settlement: %s", dump);
    cr_assert_str_eq(json_string_value(json_object_get(a, "asset")), "uatom");
    cdp_u128 v[6];
    cr_assert(cdp_json_u128(j, "supply", &v[0]) && cdp_json_u128(j, "redeemed", &v[1]) &&
                  cdp_json_u128(a, "pool", &v[2]) && cdp_json_u128(a, "paid", &v[3]) &&
                  cdp_json_u128(a, "reserved", &v[4]) && cdp_json_u128(a, "balance", &v[5]),
              "settlement: %s", dump);
    free(dump);
    json_decref(j);
    EQ(v[0], supply);
    EQ(v[1], redeemed);
    EQ(v[2], pool);
    EQ(v[3], paid);
    EQ(v[4], pool * (supply - redeemed) / supply);
    EQ(v[5], balance);
}

static void no_live_auctions(void) {
    json_t *j = cdp_query(&S, S.liquidator, "{\"auctions\":{}}");
    cr_assert(j, "%s", cdp_error());
    cr_assert_eq(json_array_size(json_object_get(j, "auctions")), 0);
    json_decref(j);
}

/* The per-scenario line of the report. */
static void scenario_report(const char *name, hs_keeper **ks, size_t n) {
    hs_keeper_report sum = {0};
    for (size_t i = 0; i < n; i++) {
        hs_keeper_report t;
        hs_keeper_totals(ks[i], &t);
        hs_keeper_report_add(&sum, &t);
    }
    cdp_ledger l = ledger();
    char *j = hs_keeper_report_json(&sum);
    fprintf(stderr,
            "scenario %-28s liquidated debt %llu, bad debt %llu, deficit %llu, average discount "
            "%.6f (keepers: %s)\n",
            name, (unsigned long long)sum.debt_liquidated, (unsigned long long)l.bad_debt,
            (unsigned long long)l.deficit, (double)hs_keeper_report_average_discount(&sum) / 1e18,
            j);
    free(j);
}

static void free_keepers(hs_keeper **ks, size_t n) {
    for (size_t i = 0; i < n; i++) hs_keeper_free(ks[i]);
}

/* --- Scenarios -------------------------------------------------------------------------------- */

/* 10 → 6 in one block. Health = 100,000 · 6 · 0.6 / debt: 300k stays (1.2), 400k/450k/500k go
 * (0.9, 0.8, 0.72). Tabs ceil(x · 1.1) = 440,000 / 495,000 / 550,000; top = 6 · 1.2 = 7.2; k1
 * (5 %) buys at 7.2 · (3600 − 750) / 3600 = 5.7 at t = 750 s, the tab buys floor(tab / 5.7) and
 * the rest returns to the owner; k2 (10 %) never gets a chance. Reward per liquidation:
 * min(100 + floor(0.001 · x), 1000) = 500, 550, 600. */
Test(liquidation, drop_40_percent_in_one_block) {
    deploy("100", "0.001", "1000");
    const uint64_t debts[] = {300000, 400000, 450000, 500000};
    open_book(debts, 4);
    hs_keeper *ks[] = {keeper("k1", "0.05", true, true), keeper("k2", "0.10", true, true)};
    N_TAKES = 0;
    set_price("6");
    round_all(ks, 2);
    hs_keeper_report t1, t2;
    hs_keeper_totals(ks[0], &t1);
    hs_keeper_totals(ks[1], &t2);
    EQ(t1.liquidations, 3);
    EQ(t2.liquidations, 0);
    EQ(t1.debt_liquidated, 1350000);
    EQ(stable_of("k1"), 10000000 + 1650);
    cdp_ledger l = ledger();
    EQ(l.auction_debt, 1350000);
    EQ(l.spent, 1650);
    EQ(l.total_debt, 300000 + 20000000);
    system_consistent();

    run_blocks(ks, 2, 149); /* t = 745 s: price 5.71, discount 4.83 % */
    EQ(N_TAKES, 0);
    run_blocks(ks, 2, 1); /* t = 750 s */
    EQ(N_TAKES, 3);
    for (size_t i = 0; i < 3; i++) {
        EQ(TAKES[i].auction_price, (cdp_u128)5700000000000000000ull);
        EQ(TAKES[i].oracle_price, (cdp_u128)6000000000000000000ull);
    }
    hs_keeper_totals(ks[0], &t1);
    hs_keeper_totals(ks[1], &t2);
    EQ(t1.takes, 3);
    EQ(t2.takes, 0);
    EQ(t1.stable_paid, 440000 + 495000 + 550000);
    EQ(t1.collateral_bought, 77192 + 86842 + 96491);
    EQ(t1.discount_min, 50000000000000000ull);
    EQ(t1.discount_max, 50000000000000000ull);
    EQ(uatom_of("user1"), 100000 - 77192);
    EQ(uatom_of("user2"), 100000 - 86842);
    EQ(uatom_of("user3"), 100000 - 96491);
    EQ(uatom_of("user0"), 0);
    no_live_auctions();
    l = ledger();
    EQ(l.auction_debt, 0);
    EQ(l.bad_debt, 0);
    EQ(l.surplus, 135000); /* the three penalties */
    EQ(l.surplus_available, 135000 - 1650);
    EQ(l.deficit, 0);
    system_consistent();
    scenario_report("drop 40% in one block", ks, 2);
    free_keepers(ks, 2);
}

/* Keepers that bid only at ≥ 15 %: 7.2 · (3600 − t) / 3600 ≤ 0.85 · 6 first at t = 1050 s, price
 * 5.1. Tab 440,000 buys 86,274; 495,000 buys 97,058; the 500k position's whole lot costs
 * 510,000 < tab 550,000: its debt is covered, the last 40,000 of penalty is forgiven. */
Test(liquidation, keepers_bid_only_at_15_percent) {
    deploy("0", "0", "0");
    const uint64_t debts[] = {300000, 400000, 450000, 500000};
    open_book(debts, 4);
    hs_keeper *ks[] = {keeper("k15", "0.15", true, true), keeper("k20", "0.20", true, true)};
    N_TAKES = 0;
    set_price("6");
    round_all(ks, 2);
    run_blocks(ks, 2, 209); /* t = 1045 s: discount 14.8 % */
    EQ(N_TAKES, 0);
    run_blocks(ks, 2, 1);
    EQ(N_TAKES, 3);
    hs_keeper_report t15, t20;
    hs_keeper_totals(ks[0], &t15);
    hs_keeper_totals(ks[1], &t20);
    EQ(t15.takes, 3);
    EQ(t20.takes, 0);
    EQ(t15.stable_paid, 440000 + 495000 + 510000);
    EQ(t15.collateral_bought, 86274 + 97058 + 100000);
    EQ(t15.discount_min, 150000000000000000ull);
    EQ(t15.discount_max, 150000000000000000ull);
    EQ(uatom_of("user1"), 100000 - 86274);
    EQ(uatom_of("user2"), 100000 - 97058);
    EQ(uatom_of("user3"), 0);
    no_live_auctions();
    cdp_ledger l = ledger();
    EQ(l.bad_debt, 0);
    EQ(l.surplus, 40000 + 45000 + 10000);
    system_consistent();
    scenario_report("keepers only at >= 15%", ks, 2);
    free_keepers(ks, 2);
}

/* 10 → 3 in one block: 100,000 uatom is worth 300,000 < every debt. A keeper at 0 % buys each
 * whole lot at 3.6 · (3600 − 600) / 3600 = 3 for 300,000; the rest of each debt (100k, 150k,
 * 200k) is written off. A donation of 100,000 (`recapitalize`) made earlier is the surplus the
 * bad debt is netted against; the remaining 350,000 is the deficit, repaid by a second donation. */
Test(liquidation, deep_crash_bad_debt_netted_then_deficit) {
    deploy("0", "0", "0");
    const uint64_t debts[] = {400000, 450000, 500000};
    open_book(debts, 3);
    hs_keeper *ks[] = {keeper("k0", "0", true, true)};
    hs_result r = cdp_send_stable(&S, "k0", S.engine, 100000, "{\"recapitalize\":{}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    cdp_ledger l = ledger();
    EQ(l.surplus, 100000);
    system_consistent();
    N_TAKES = 0;
    set_price("3");
    round_all(ks, 1);
    run_blocks(ks, 1, 120);
    EQ(N_TAKES, 3);
    hs_keeper_report t;
    hs_keeper_totals(ks[0], &t);
    EQ(t.debt_liquidated, 1350000);
    EQ(t.stable_paid, 900000);
    EQ(t.collateral_bought, 300000);
    no_live_auctions();
    l = ledger();
    EQ(l.bad_debt, 450000);
    EQ(l.surplus, 100000);
    EQ(l.surplus_available, 0);
    EQ(l.deficit, 350000);
    system_consistent();
    scenario_report("deep crash: bad debt", ks, 1);
    r = cdp_send_stable(&S, "k0", S.engine, 350000, "{\"recapitalize\":{}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    l = ledger();
    EQ(l.deficit, 0);
    EQ(l.surplus_available, 0);
    system_consistent();
    free_keepers(ks, 1);
}

/* Nobody bids: the auctions fall below 0.5 × 6 = 3 after t > 2100 s (t = 2105 s: 2.99); the
 * keeper's redo hands each lot to the backstop pool, which covers the whole debt from its
 * 2,000,000 of deposits (penalties forgiven) and keeps the 300,000 uatom for its depositor. */
Test(liquidation, no_bidders_backstop_pool_absorbs) {
    deploy("0", "0", "0");
    cr_assert(S.pool[0], "backstop_pool not built");
    const uint64_t debts[] = {300000, 400000, 450000, 500000};
    open_book(debts, 4);
    uint64_t id;
    OK(cdp_open(&S, "depositor", &MARKET, 10000000, 2000000, &id));
    OK(cdp_pool_deposit(&S, "depositor", 2000000));
    hs_keeper *ks[] = {keeper("watcher", "0", false, true)};
    set_price("6");
    round_all(ks, 1);
    run_blocks(ks, 1, 420); /* t = 2100 s: price 3.0, not below the threshold yet */
    hs_keeper_report t;
    hs_keeper_totals(ks[0], &t);
    EQ(t.liquidations, 3);
    EQ(t.redos, 0);
    run_blocks(ks, 1, 1);
    hs_keeper_totals(ks[0], &t);
    EQ(t.redos, 3);
    no_live_auctions();
    json_t *pool = cdp_query(&S, S.pool, "{\"pool\":{}}");
    cr_assert(pool, "%s", cdp_error());
    cdp_u128 deposits;
    cr_assert(cdp_json_u128(pool, "total_deposits", &deposits));
    EQ(deposits, 2000000 - 1350000);
    json_decref(pool);
    EQ(uatom_of(S.pool), 300000);
    cdp_ledger l = ledger();
    EQ(l.auction_debt, 0);
    EQ(l.bad_debt, 0);
    EQ(l.surplus, 0);
    system_consistent();
    scenario_report("no bidders: pool absorbs", ks, 1);
    free_keepers(ks, 1);
}

/* Resets: nobody bids and the pool is empty; at t = 2105 s the price 2.99 < 3 = 0.5 × oracle,
 * the watcher's redo restarts each auction at 7.2 and is paid the reward again
 * (min(100 + floor(0.001 · x), 1000): 500 + 550 + 600 twice); a 5 % bidder then buys at 5.7,
 * 750 s after the reset, exactly as in the one-block drop. */
Test(liquidation, auction_resets_then_sells) {
    deploy("100", "0.001", "1000");
    const uint64_t debts[] = {300000, 400000, 450000, 500000};
    open_book(debts, 4);
    hs_keeper *watcher = keeper("watcher", "0", false, true);
    hs_keeper *bidder = keeper("bidder", "0.05", true, false);
    N_TAKES = 0;
    set_price("6");
    round_all(&watcher, 1);
    run_blocks(&watcher, 1, 421);
    hs_keeper_report t;
    hs_keeper_totals(watcher, &t);
    EQ(t.liquidations, 3);
    EQ(t.redos, 3);
    EQ(stable_of("watcher"), 10000000 + 2 * 1650);
    json_t *j = cdp_query(&S, S.liquidator, "{\"auctions\":{}}");
    cr_assert(j, "%s", cdp_error());
    json_t *a;
    size_t i;
    EQ(json_array_size(json_object_get(j, "auctions")), 3);
    json_array_foreach(json_object_get(j, "auctions"), i, a) {
        cr_assert_str_eq(json_string_value(json_object_get(a, "price")), "7.2");
        EQ(json_integer_value(json_object_get(a, "resets")), 1);
    }
    json_decref(j);
    hs_keeper *ks[] = {watcher, bidder};
    run_blocks(ks, 2, 150);
    EQ(N_TAKES, 3);
    hs_keeper_totals(bidder, &t);
    EQ(t.stable_paid, 440000 + 495000 + 550000);
    EQ(t.collateral_bought, 77192 + 86842 + 96491);
    no_live_auctions();
    cdp_ledger l = ledger();
    EQ(l.spent, 3300);
    EQ(l.surplus, 135000);
    EQ(l.bad_debt, 0);
    system_consistent();
    scenario_report("auction resets", ks, 2);
    free_keepers(ks, 2);
}

/* The liquidator's circuit breaker: level 1 stops new auctions (the engine's liquidate fails
 * with it), level 3 also takes; back to 0 everything proceeds as in the one-block drop. */
Test(liquidation, circuit_breaker_stops_and_resumes) {
    deploy("0", "0", "0");
    const uint64_t debts[] = {300000, 400000, 450000, 500000};
    open_book(debts, 4);
    hs_keeper *ks[] = {keeper("k1", "0.05", true, true)};
    N_TAKES = 0;
    hs_result r =
        cdp_exec(&S, S.gov, S.liquidator, NULL, 0, "{\"set_circuit_breaker\":{\"level\":1}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    set_price("6");
    round_all(ks, 1);
    hs_keeper_report t;
    hs_keeper_totals(ks[0], &t);
    EQ(t.liquidations, 0);
    EQ(t.liquidations_refused, 3);
    cdp_ledger l = ledger();
    EQ(l.auction_debt, 0);
    EQ(l.total_debt, 1650000 + 10000000);
    r = cdp_exec(&S, S.gov, S.liquidator, NULL, 0, "{\"set_circuit_breaker\":{\"level\":0}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    round_all(ks, 1);
    hs_keeper_totals(ks[0], &t);
    EQ(t.liquidations, 3);
    r = cdp_exec(&S, S.gov, S.liquidator, NULL, 0, "{\"set_circuit_breaker\":{\"level\":3}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    run_blocks(ks, 1, 150); /* t = 750 s: profitable, but takes are stopped */
    hs_keeper_totals(ks[0], &t);
    EQ(t.takes, 0);
    cr_assert(t.takes_refused >= 3);
    r = cdp_exec(&S, S.gov, S.liquidator, NULL, 0, "{\"set_circuit_breaker\":{\"level\":0}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    round_all(ks, 1); /* same block: price 5.7 */
    EQ(N_TAKES, 3);
    no_live_auctions();
    system_consistent();
    scenario_report("circuit breaker", ks, 1);
    free_keepers(ks, 1);
}

/* 10 → 4 linearly over a day (blocks of 60 s, keepers every block): the five positions become
 * liquidatable at 8.33, 7.5, 6.67, 5.83 and 5.0 and are all liquidated; a 3 % keeper and an 8 %
 * keeper compete; every auction clears without bad debt; each take's discount is ≥ 3 % and less
 * than 3 % plus one block of the curve's fall (top / 60 = 2 % of the start price) plus the
 * oracle's fall meanwhile: < 6.1 %. */
Test(liquidation, slide_60_percent_over_a_day) {
    deploy("0", "0", "0");
    const uint64_t debts[] = {300000, 350000, 400000, 450000, 500000};
    open_book(debts, 5);
    hs_keeper *ks[] = {keeper("k3", "0.03", true, true), keeper("k8", "0.08", true, true)};
    N_TAKES = 0;
    char *err = NULL;
    cr_assert_eq(hs_oracle_set_path(C, "uatom",
                                    "{\"kind\":\"linear\",\"points\":[[0,\"10\"],[86400,\"4\"]]}",
                                    &err),
                 0, "%s", err ? err : "");
    for (int b = 0; b < 1440 + 120; b++) {
        hs_block_advance(C, 1, 60);
        round_all(ks, 2);
    }
    hs_keeper_report t3, t8;
    hs_keeper_totals(ks[0], &t3);
    hs_keeper_totals(ks[1], &t8);
    EQ(t3.liquidations + t8.liquidations, 5);
    EQ(t3.debt_liquidated + t8.debt_liquidated, 2000000);
    EQ(N_TAKES, t3.takes + t8.takes);
    cr_assert(N_TAKES >= 5);
    for (size_t i = 0; i < N_TAKES; i++) {
        cdp_u128 p = TAKES[i].auction_price, o = TAKES[i].oracle_price;
        cr_assert(p * 100 <= o * 97, "take %zu above the 3 %% margin", i);
        cr_assert(p * 1000 > o * 939, "take %zu more than one block past the margin", i);
    }
    no_live_auctions();
    cdp_ledger l = ledger();
    EQ(l.bad_debt, 0);
    EQ(l.auction_debt, 0);
    system_consistent();
    scenario_report("slide 60% over a day", ks, 2);
    free_keepers(ks, 2);
}

/* Issue 5 §8, small: 1,000 and 10,000 positions, every 100th liquidatable; the keeper's gas per
 * liquidated position (liquidate + take) at 10,000 stays within 1.5x of that at 1,000: the index
 * makes the work follow the positions liquidated, not the positions open. */
Test(liquidation, gas_per_liquidation_follows_liquidated_not_positions) {
    cdp_scale_result small, large;
    OK(cdp_scale_run(1000, 100, &small));
    OK(cdp_scale_run(10000, 100, &large));
    EQ(small.liquidated, 10);
    EQ(large.liquidated, 100);
    EQ(small.takes, 10);
    EQ(large.takes, 100);
    double g_small = (double)small.tx_gas / 10, g_large = (double)large.tx_gas / 100;
    fprintf(stderr,
            "scale: gas per liquidation %.0f at 1k positions, %.0f at 10k (x%.3f); query gas per "
            "liquidation %.0f / %.0f\n",
            g_small, g_large, g_large / g_small, (double)small.query_gas / 10,
            (double)large.query_gas / 100);
    cr_assert(g_large <= 1.5 * g_small,
              "gas per liquidation grew with the positions: %.0f > 1.5 x %.0f", g_large, g_small);
}

/* The `keeper` and `keepers` script ops: tests/scripts/keepers.jsonl replays the one-block drop
 * with expectations on every round's report (host-sim run exits 0 only if all hold). */
Test(liquidation, script_ops_keeper_and_keepers) {
    hs_script_options opts = {.path = "tests/scripts/keepers.jsonl"};
    FILE *out = tmpfile(), *err = tmpfile();
    cr_assert(out && err);
    int status = hs_script_run(&opts, out, err);
    char buf[4096] = "";
    rewind(err);
    size_t n = fread(buf, 1, sizeof buf - 1, err);
    buf[n] = '\0';
    cr_assert_eq(status, 0, "script failed: %s", buf);
    fclose(out);
    fclose(err);
}

/* A hard health limit: with backstop_health 0.85 the positions at health 0.8 and 0.72 go to
 * the backstop pool at once (debt 950,000 covered from its deposits, 200,000 uatom to its
 * depositor, penalties forgiven); the one at 0.9 is auctioned and bought at 5.7 as usual. */
Test(liquidation, below_backstop_health_pool_absorbs_at_once) {
    deploy_with("0.85", "0", "0", "0");
    const uint64_t debts[] = {300000, 400000, 450000, 500000};
    open_book(debts, 4);
    uint64_t id;
    OK(cdp_open(&S, "depositor", &MARKET, 10000000, 2000000, &id));
    OK(cdp_pool_deposit(&S, "depositor", 2000000));
    hs_keeper *ks[] = {keeper("k1", "0.05", true, true)};
    set_price("6");
    round_all(ks, 1);
    hs_keeper_report t;
    hs_keeper_totals(ks[0], &t);
    EQ(t.liquidations, 3);
    EQ(t.debt_liquidated, 1350000);
    json_t *pool = cdp_query(&S, S.pool, "{\"pool\":{}}");
    cr_assert(pool, "%s", cdp_error());
    cdp_u128 deposits;
    cr_assert(cdp_json_u128(pool, "total_deposits", &deposits));
    EQ(deposits, 2000000 - 950000);
    json_decref(pool);
    EQ(uatom_of(S.pool), 200000);
    cdp_ledger l = ledger();
    EQ(l.auction_debt, 400000);
    system_consistent();
    run_blocks(ks, 1, 150);
    EQ(N_TAKES, 1);
    EQ(TAKES[0].auction_id, 1);
    EQ(TAKES[0].paid, 440000);
    EQ(TAKES[0].bought, 77192);
    no_live_auctions();
    l = ledger();
    EQ(l.surplus, 40000);
    EQ(l.bad_debt, 0);
    system_consistent();
    scenario_report("below backstop health", ks, 1);
    free_keepers(ks, 1);
}

/* Thin liquidity: one 5 % keeper with 200,000 stable per round. At t = 750 s (5.7) it buys
 * floor(200,000 / 5.7) = 35,087 for ceil(35,087 · 5.7) = 199,996; at 755 s (5.69) 35,149 for
 * 199,998; at 760 s (5.68) the rest of the tab, 40,006, buys floor(40,006 / 5.68) = 7,043 and
 * the last 22,721 uatom return to the owner. */
Test(liquidation, thin_liquidity_partial_takes) {
    deploy("0", "0", "0");
    const uint64_t debts[] = {300000, 400000};
    open_book(debts, 2);
    hs_keeper_config kc;
    uint64_t id;
    OK(cdp_open(&S, "thin", &MARKET, 10000000, 10000000, &id));
    hs_keeper_config_default(&kc);
    kc.name = kc.account = "thin";
    kc.engine = S.engine;
    kc.liquidator = S.liquidator;
    kc.min_discount = "0.05";
    kc.max_take_per_round = "200000";
    kc.on_take = record_take;
    hs_keeper *k = NULL;
    char *err = NULL;
    cr_assert_eq(hs_keeper_new(C, &kc, &k, &err), 0, "%s", err ? err : "");
    set_price("6");
    round_all(&k, 1);
    run_blocks(&k, 1, 152);
    EQ(N_TAKES, 3);
    const cdp_u128 price[3] = {5700000000000000000ull, 5690000000000000000ull,
                               5680000000000000000ull};
    const uint64_t paid[3] = {199996, 199998, 40006}, bought[3] = {35087, 35149, 7043};
    for (int i = 0; i < 3; i++) {
        EQ(TAKES[i].auction_price, price[i]);
        EQ(TAKES[i].paid, paid[i]);
        EQ(TAKES[i].bought, bought[i]);
    }
    EQ(uatom_of("user1"), 29764 - 7043);
    hs_keeper_report t;
    hs_keeper_totals(k, &t);
    EQ(t.stable_paid, 440000);
    EQ(t.discount_min, 50000000000000000ull);
    EQ(t.discount_max, 53333333333333333ull);
    no_live_auctions();
    cdp_ledger l = ledger();
    EQ(l.surplus, 40000);
    system_consistent();
    scenario_report("thin liquidity", &k, 1);
    hs_keeper_free(k);
}

/* Emergency shutdown end to end (SOLVENCY §4): three auctions are live when governance shuts the
 * system down at price 6. fix_price fixes 6; settle_position covers each remaining debt from
 * its collateral, ceil(debt / 6) to settlement (user0: 50,000 of 100,000; each keeper:
 * 1,666,667 of 10,000,000); the owners close and take the rest; cancel_auction sends the three
 * lots (300,000) to settlement and moves their debt to `settled`; finalize fixes the supply and
 * the pool of 3,683,334 uatom; every holder redeems all its stable for
 * floor(amount · 3,683,334 / supply), the settlement's accounting exact and its identity holding
 * after each; what settlement keeps at the end is below the number of redemptions (the
 * documented dust bound) and no stable is left. */
Test(liquidation, shutdown_end_to_end) {
    deploy("0", "0", "0");
    cr_assert(S.settlement[0], "settlement not built");
    const uint64_t debts[] = {300000, 400000, 450000, 500000};
    open_book(debts, 4);
    hs_keeper *ks[] = {keeper("k1", "0.05", true, true), keeper("k2", "0.10", true, true)};
    set_price("6");
    round_all(ks, 2);
    run_blocks(ks, 2, 20); /* auctions live, nothing bought yet */
    EQ(N_TAKES, 0);
    hs_result r = cdp_exec(&S, S.gov, S.engine, NULL, 0, "{\"shutdown\":{}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    /* Nothing moves any more: liquidations, takes and redos are refused. */
    run_blocks(ks, 2, 200);
    EQ(N_TAKES, 0);
    r = cdp_exec(&S, "anyone", S.engine, NULL, 0,
                 "{\"fix_price\":{\"market\":\"atom\",\"asset\":\"uatom\"}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    /* Positions with debt: user0 (id 1) and the keepers (ids 5, 6). */
    const uint64_t live[] = {1, 5, 6};
    const char *owners[] = {"user0", "k1", "k2"};
    for (int i = 0; i < 3; i++) {
        r = cdp_exec(&S, "anyone", S.engine, NULL, 0,
                     "{\"settle_position\":{\"position_id\":%llu}}", (unsigned long long)live[i]);
        cr_assert(r.ok, "%s", r.error);
        hs_result_free(&r);
        r = cdp_exec(&S, owners[i], S.engine, NULL, 0, "{\"close\":{\"position_id\":%llu}}",
                     (unsigned long long)live[i]);
        cr_assert(r.ok, "%s", r.error);
        hs_result_free(&r);
    }
    EQ(uatom_of("user0"), 50000);
    EQ(uatom_of("k1"), 10000000 - 1666667);
    EQ(uatom_of("k2"), 10000000 - 1666667);
    for (uint64_t a = 1; a <= 3; a++) {
        r = cdp_exec(&S, "anyone", S.liquidator, NULL, 0,
                     "{\"cancel_auction\":{\"auction_id\":%llu}}", (unsigned long long)a);
        cr_assert(r.ok, "%s", r.error);
        hs_result_free(&r);
    }
    no_live_auctions();
    cdp_ledger l = ledger();
    EQ(l.total_debt, 0);
    EQ(l.auction_debt, 0);
    EQ(l.settled, 300000 + 20000000 + 1350000);
    system_consistent();
    r = cdp_exec(&S, "anyone", S.settlement, NULL, 0, "{\"finalize\":{}}");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    const cdp_u128 pool = 50000 + 2 * 1666667 + 300000;
    EQ(uatom_of(S.settlement), pool);
    cdp_u128 supply;
    OK(cdp_stable_supply(&S, &supply));
    const char *holders[] = {"user0", "user1", "user2", "user3", "k1", "k2"};
    cdp_u128 paid = 0, redeemed = 0;
    settlement_accounting_is(supply, 0, pool, 0, pool);
    for (int i = 0; i < 6; i++) {
        cdp_u128 amount = stable_of(holders[i]), before = uatom_of(holders[i]);
        cr_assert(amount > 0);
        r = cdp_send_stable(&S, holders[i], S.settlement, amount, "{\"redeem\":{}}");
        cr_assert(r.ok, "%s", r.error);
        hs_result_free(&r);
        EQ(uatom_of(holders[i]) - before, amount * pool / supply);
        paid += amount * pool / supply;
        redeemed += amount;
        settlement_accounting_is(supply, redeemed, pool, paid, pool - paid);
        OK(cdp_identities_hold(&S));
    }
    EQ(redeemed, supply);
    cdp_u128 left;
    OK(cdp_stable_supply(&S, &left));
    EQ(left, 0);
    EQ(uatom_of(S.settlement), pool - paid);
    cr_assert(pool - paid < 6, "dust %llu >= 6 redemptions", (unsigned long long)(pool - paid));
    fprintf(stderr,
            "scenario shutdown end to end         settled %llu, collateral to settlement %llu, "
            "redeemed by 6 holders, dust %llu uatom\n",
            (unsigned long long)l.settled, (unsigned long long)pool,
            (unsigned long long)(pool - paid));
    free_keepers(ks, 2);
}

/* The keeper's configuration is checked when it is created; its report's JSON form. */
Test(liquidation, keeper_config_and_report) {
    hs_keeper_config kc;
    hs_keeper_config_default(&kc);
    hs_keeper *k = NULL;
    char *err = NULL;
    cr_assert_neq(hs_keeper_new(C, &kc, &k, &err), 0);
    cr_assert_str_eq(err, "a keeper needs an account");
    free(err);
    kc.account = "k";
    cr_assert_neq(hs_keeper_new(C, &kc, &k, &err), 0);
    cr_assert_str_eq(err, "a keeper needs the engine's address");
    free(err);
    kc.engine = "engine";
    kc.min_discount = "1.5";
    cr_assert_neq(hs_keeper_new(C, &kc, &k, &err), 0);
    cr_assert_str_eq(err, "min_discount must be a Decimal in [0, 1]");
    free(err);
    kc.min_discount = "0.15";
    kc.max_take_per_round = "-1";
    cr_assert_neq(hs_keeper_new(C, &kc, &k, &err), 0);
    cr_assert_str_eq(err, "max_take_per_round must be a Uint128 string");
    free(err);
    kc.max_take_per_round = "1000";
    cr_assert_eq(hs_keeper_new(C, &kc, &k, &err), 0);
    char addr[128];
    hs_address(C, "k", addr, sizeof addr);
    cr_assert_str_eq(hs_keeper_address(k), addr);
    cr_assert_str_eq(hs_keeper_name(k), "keeper");
    hs_keeper_free(k);
    hs_keeper_report r = {.rounds = 2,
                          .takes = 2,
                          .stable_paid = 900,
                          .collateral_bought = 100,
                          .collateral_value = 1000,
                          .discount_min = 50000000000000000ull,
                          .discount_max = 150000000000000000ull};
    EQ(hs_keeper_report_average_discount(&r), 100000000000000000ull);
    char *j = hs_keeper_report_json(&r);
    cr_assert(strstr(j, "\"stable_paid\":\"900\",\"collateral_bought\":\"100\","
                        "\"collateral_value\":\"1000\",\"average_discount\":\"0.1\","
                        "\"min_discount\":\"0.05\",\"max_discount\":\"0.15\""),
              "%s", j);
    free(j);
}
