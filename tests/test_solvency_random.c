/* test_solvency_random.c — issue 5 §7's randomized test: fixed seeds drive user actions
 * (open, deposit, borrow, repay, withdraw, pool deposits and withdrawals, donations), price moves
 * (drifts, crashes, recoveries) and keepers with different margins and budgets (and a watcher
 * that only liquidates and resets) on the whole
 * system (tests/cdp_system.c). After every step: every contract's accounting identity holds
 * (the engine's, liquidator's, pool's and settlement's `accounting` queries), the
 * engine's ledger identity (SOLVENCY §3, I1'), collateral conservation per asset (engine +
 * liquidator + pool + settlement + every wallet = what the faucet created), no take above the
 * auction's price, and stable supply == total_debt + auction_debt + deficit − surplus_available
 * + settled. STEPS (default 1500) and the seeds are fixed; SOLVENCY_RANDOM_STEPS overrides. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdp_system.h"
#include "hostsim.h"
#include "hs_keeper.h"

#define DEFAULT_STEPS 1500

static hs_chain *C;
static cdp_system S;

#define OK(expr) cr_assert((expr) == 0, "%s", cdp_error())
#define EQ(a, b)                                                                                   \
    cr_assert((cdp_u128)(a) == (cdp_u128)(b), "step %d: %s: %llu != %llu", STEP, #a,               \
              (unsigned long long)(a), (unsigned long long)(b))

static int STEP;

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

TestSuite(solvency_random, .init = open_chain, .fini = teardown, .timeout = 300);

/* --- Deterministic randomness (splitmix64) ------------------------------------------------------
 */

static uint64_t RNG;
static uint64_t next_u64(void) {
    uint64_t z = (RNG += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static uint64_t below(uint64_t n) {
    return next_u64() % n;
}

/* --- The world ----------------------------------------------------------------------------------
 */

enum { NM = 2, NU = 6, NK = 4, ND = 2, MAXP = 512 };
static cdp_market MARKETS[NM];
static const char *DENOM[NM] = {"uatom", "uosmo"};
static const char *USER[NU] = {"user0", "user1", "user2", "user3", "user4", "user5"};
/* Three bidders (2 %, 8 %, 15 % with a thin budget) and a watcher that only liquidates and
 * resets: when the bidders stay away, auctions run long and the watcher's redo hands them to the
 * backstop pool. */
static const char *KEEPER[NK] = {"keeper_fast", "keeper_mid", "keeper_thin", "watcher"};
static const char *DEPOSITOR[ND] = {"depositor0", "depositor1"};
static hs_keeper *KEEPERS[NK];
static uint64_t PRICE_MILLI[NM]; /* price × 1000 */
static cdp_u128 FAUCET[NM];      /* collateral created per asset */

typedef struct pos {
    uint64_t id;
    int owner, market;
} pos;
static pos P[MAXP];
static size_t NP;

static void set_price(int m) {
    char p[32];
    snprintf(p, sizeof p, "%llu.%03llu", (unsigned long long)(PRICE_MILLI[m] / 1000),
             (unsigned long long)(PRICE_MILLI[m] % 1000));
    char *err = NULL;
    cr_assert_eq(hs_oracle_set_price(C, DENOM[m], p, &err), 0, "%s", err ? err : "");
}

static void check_take(void *ctx, const hs_keeper_take *t) {
    (void)ctx;
    cr_assert(t->paid * (cdp_u128)1000000000000000000ull < (t->bought + 1) * t->auction_price,
              "step %d: take above the auction price: paid %llu for %llu", STEP,
              (unsigned long long)t->paid, (unsigned long long)t->bought);
}

static void fund(const char *who, int m, cdp_u128 amount) {
    OK(cdp_fund(&S, who, DENOM[m], amount));
    FAUCET[m] += amount;
}

static int open_position(const char *owner, int m, cdp_u128 collateral, cdp_u128 borrow,
                         uint64_t *id) {
    FAUCET[m] += collateral;
    return cdp_open(&S, owner, &MARKETS[m], collateral, borrow, id);
}

static void setup_world(uint64_t seed) {
    RNG = seed;
    NP = 0;
    memset(FAUCET, 0, sizeof FAUCET);
    for (int m = 0; m < NM; m++) {
        MARKETS[m] = cdp_market_default();
        MARKETS[m].auction_debt_limit = "2000000";
        MARKETS[m].auction.dust = "1000";
        MARKETS[m].auction.backstop_health = "0.7";
    }
    MARKETS[1].id = "osmo";
    MARKETS[1].collateral = (cdp_collateral){"uosmo", "0.6", "0.7", "0.05", "1000000000000000000"};
    MARKETS[1].price = "2";
    MARKETS[1].auction.curve = "exponential";
    MARKETS[1].auction.step = 60;
    MARKETS[1].auction.cut = "0.98";
    MARKETS[1].auction.max_duration = 3600;
    MARKETS[1].auction.reset_threshold = "0.6";
    PRICE_MILLI[0] = 10000;
    PRICE_MILLI[1] = 2000;
    cdp_params p;
    cdp_params_default(&p);
    p.markets = MARKETS;
    p.n_markets = NM;
    p.keeper_tip = "50";
    p.keeper_fee = "0.001";
    p.keeper_reward_cap = "2000";
    p.global_auction_debt_limit = "3000000";
    OK(cdp_deploy(C, &p, &S));
    /* Keepers: funded positions far from liquidation (prices stay ≥ 1). */
    const char *margins[NK] = {"0.02", "0.08", "0.15", "0"};
    const char *budgets[NK] = {NULL, NULL, "200000", NULL};
    for (int k = 0; k < NK; k++) {
        uint64_t id;
        OK(open_position(KEEPER[k], 0, 100000000, 20000000, &id));
        hs_keeper_config kc;
        hs_keeper_config_default(&kc);
        kc.name = KEEPER[k];
        kc.account = KEEPER[k];
        kc.engine = S.engine;
        kc.liquidator = S.liquidator;
        kc.min_discount = margins[k];
        kc.max_take_per_round = budgets[k];
        kc.bid = k < 3;
        kc.on_take = check_take;
        char *err = NULL;
        cr_assert_eq(hs_keeper_new(C, &kc, &KEEPERS[k], &err), 0, "%s", err ? err : "");
    }
    for (int d = 0; d < ND; d++) {
        uint64_t id;
        OK(open_position(DEPOSITOR[d], 0, 100000000, 10000000, &id));
        OK(cdp_pool_deposit(&S, DEPOSITOR[d], 3000000));
    }
}

/* --- Invariants ---------------------------------------------------------------------------------
 */

static cdp_u128 native_of(const char *who, int m) {
    cdp_u128 v;
    OK(cdp_native_balance(&S, who, DENOM[m], &v));
    return v;
}

/* The settlement's accounting identity (SPEC §6 of settlement): its own query, O(assets). */
static void settlement_identity_holds(void) {
    if (!S.settlement[0]) return;
    json_t *j = cdp_query(&S, S.settlement, "{\"accounting\":{}}");
    cr_assert(j, "step %d: %s", STEP, cdp_error());
    char *dump = json_dumps(j, JSON_COMPACT);
    cr_assert(json_is_true(json_object_get(j, "identity_holds")),
              "step %d: settlement accounting: identity does not hold: %s", STEP, dump);
    free(dump);
    json_decref(j);
}

static void check_invariants(void) {
    OK(cdp_identities_hold(&S));
    settlement_identity_holds();
    cdp_ledger l;
    OK(cdp_read_ledger(&S, &l));
    EQ(l.total_debt + l.auction_debt + l.bad_debt + l.spent + l.settled + l.burned,
       l.minted + l.surplus + l.redeemed);
    cdp_u128 costs = l.spent + l.bad_debt;
    EQ(l.surplus_available, l.surplus > costs ? l.surplus - costs : 0);
    EQ(l.deficit, costs > l.surplus ? costs - l.surplus : 0);
    cdp_u128 supply;
    OK(cdp_stable_supply(&S, &supply));
    EQ(supply + l.surplus_available, l.total_debt + l.auction_debt + l.deficit + l.settled);
    /* Collateral conservation: every unit the faucet created is in a contract or a wallet. */
    for (int m = 0; m < NM; m++) {
        cdp_u128 sum = native_of(S.engine, m) + native_of(S.liquidator, m);
        if (S.pool[0]) sum += native_of(S.pool, m);
        if (S.settlement[0]) sum += native_of(S.settlement, m);
        for (int u = 0; u < NU; u++) sum += native_of(USER[u], m);
        for (int k = 0; k < NK; k++) sum += native_of(KEEPER[k], m);
        for (int d = 0; d < ND; d++) sum += native_of(DEPOSITOR[d], m);
        EQ(sum, FAUCET[m]);
    }
}

/* --- Actions ------------------------------------------------------------------------------------
 */

static void ignore(hs_result r) {
    hs_result_free(&r);
}

static pos *random_position(void) {
    return NP ? &P[below(NP)] : NULL;
}

static void act_open(void) {
    if (NP == MAXP) return;
    int u = (int)below(NU), m = (int)below(NM);
    cdp_u128 coll = 10000 + below(200000);
    /* borrow up to the max LTV at the current price */
    cdp_u128 value = coll * PRICE_MILLI[m] / 1000;
    cdp_u128 borrow = value * (30 + below(31)) / 100;
    if (borrow < 100) borrow = 0;
    uint64_t id = 0;
    if (open_position(USER[u], m, coll, borrow, &id) == 0 || id) {
        P[NP++] = (pos){id, u, m};
    }
}

static void act_borrow(void) {
    pos *p = random_position();
    if (!p) return;
    ignore(cdp_exec(&S, USER[p->owner], S.engine, NULL, 0,
                    "{\"borrow\":{\"position_id\":%llu,\"amount\":\"%llu\"}}",
                    (unsigned long long)p->id, (unsigned long long)(100 + below(50000))));
}

static void act_repay(void) {
    pos *p = random_position();
    if (!p) return;
    char hook[96];
    snprintf(hook, sizeof hook, "{\"repay\":{\"position_id\":%llu}}", (unsigned long long)p->id);
    ignore(cdp_send_stable(&S, USER[p->owner], S.engine, 100 + below(100000), hook));
}

static void act_deposit(void) {
    pos *p = random_position();
    if (!p) return;
    cdp_u128 amount = 1000 + below(50000);
    fund(USER[p->owner], p->market, amount);
    ignore(cdp_exec(&S, USER[p->owner], S.engine, DENOM[p->market], amount,
                    "{\"deposit\":{\"position_id\":%llu}}", (unsigned long long)p->id));
}

static void act_withdraw(void) {
    pos *p = random_position();
    if (!p) return;
    ignore(cdp_exec(&S, USER[p->owner], S.engine, NULL, 0,
                    "{\"withdraw\":{\"position_id\":%llu,\"asset\":\"%s\",\"amount\":\"%llu\"}}",
                    (unsigned long long)p->id, DENOM[p->market],
                    (unsigned long long)(100 + below(20000))));
}

static void act_pool(void) {
    int d = (int)below(ND);
    switch (below(3)) {
    case 0:
        cdp_pool_deposit(&S, DEPOSITOR[d], 1000 + below(500000));
        break;
    case 1:
        ignore(cdp_exec(&S, DEPOSITOR[d], S.pool, NULL, 0, "{\"withdraw\":{\"amount\":\"%llu\"}}",
                        (unsigned long long)(1000 + below(500000))));
        break;
    default:
        ignore(cdp_exec(&S, DEPOSITOR[d], S.pool, NULL, 0, "{\"claim\":{}}"));
    }
}

static void act_donate(void) {
    ignore(cdp_send_stable(&S, DEPOSITOR[below(ND)], S.engine, 1 + below(5000),
                           "{\"recapitalize\":{}}"));
}

/* Prices: small drifts most of the time, sometimes a crash or a recovery; kept in [1, 30]. */
static void act_price(void) {
    int m = (int)below(NM);
    uint64_t r = below(100), p = PRICE_MILLI[m];
    if (r < 10)
        p = p * (55 + below(20)) / 100; /* crash: −26 % … −45 % */
    else if (r < 20)
        p = p * (115 + below(20)) / 100; /* recovery */
    else
        p = p * (93 + below(15)) / 100; /* drift ±7 % */
    if (p < 1000) p = 1000;
    if (p > 30000) p = 30000;
    PRICE_MILLI[m] = p;
    set_price(m);
}

/* Every keeper runs, except in stretches when the bidders are away (toggled at random, 2 % per
 * step) and only the watcher does. */
static bool BIDDERS_AWAY;
static void act_keepers(void) {
    int first = BIDDERS_AWAY ? NK - 1 : 0;
    for (int k = first; k < NK; k++) {
        hs_keeper_report rep;
        cr_assert_eq(hs_keeper_round(KEEPERS[k], &rep), 0, "step %d: %s", STEP,
                     hs_keeper_error(KEEPERS[k]));
    }
}

static void run(uint64_t seed) {
    setup_world(seed);
    int steps = DEFAULT_STEPS;
    const char *env = getenv("SOLVENCY_RANDOM_STEPS");
    if (env && atoi(env) > 0) steps = atoi(env);
    check_invariants();
    for (STEP = 0; STEP < steps; STEP++) {
        if (below(100) < 2) BIDDERS_AWAY = !BIDDERS_AWAY;
        uint64_t r = below(100);
        if (r < 14)
            act_open();
        else if (r < 22)
            act_borrow();
        else if (r < 30)
            act_repay();
        else if (r < 36)
            act_deposit();
        else if (r < 42)
            act_withdraw();
        else if (r < 48)
            act_pool();
        else if (r < 51)
            act_donate();
        else if (r < 63)
            act_price();
        else if (r < 80)
            hs_block_advance(C, 1 + below(100), 0);
        else
            act_keepers();
        check_invariants();
    }
    hs_keeper_report sum = {0};
    for (int k = 0; k < NK; k++) {
        hs_keeper_report t;
        hs_keeper_totals(KEEPERS[k], &t);
        hs_keeper_report_add(&sum, &t);
        hs_keeper_free(KEEPERS[k]);
    }
    cdp_ledger l;
    OK(cdp_read_ledger(&S, &l));
    char *j = hs_keeper_report_json(&sum);
    fprintf(
        stderr,
        "solvency seed %llu: %d steps, %zu positions, bad debt %llu, deficit %llu, keepers %s\n",
        (unsigned long long)seed, steps, NP, (unsigned long long)l.bad_debt,
        (unsigned long long)l.deficit, j);
    free(j);
    /* The run must have exercised liquidations and takes, or it proves little. */
    cr_assert(sum.liquidations > 0 && sum.takes > 0 && sum.redos > 0,
              "seed %llu: no liquidation, take or redo", (unsigned long long)seed);
}

Test(solvency_random, seed_1) {
    run(1);
}

Test(solvency_random, seed_2) {
    run(0x5eed2);
}
