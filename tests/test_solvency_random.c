/* test_solvency_random.c — issue 5 §7's randomized test: fixed seeds drive user actions
 * (open, deposit, borrow, repay, withdraw, pool deposits and withdrawals, donations), price moves
 * (drifts, crashes, recoveries) and keepers with different margins and budgets (and a watcher
 * that only liquidates and resets) on the whole
 * system (tests/cdp_system.c). After every step: every contract's accounting identity holds
 * (the engine's, liquidator's, pool's and settlement's `accounting` queries), the
 * engine's ledger identity (SOLVENCY §3, I1'), collateral conservation per asset (engine +
 * liquidator + pool + settlement + every wallet = what the faucet created), no take above the
 * auction's price, and stable supply == total_debt + auction_debt + deficit − surplus_available
 * + settled. Then a global settlement (shutdown, fix_price, every position settled and auction
 * cancelled, finalize) and every wallet redeems its stable, the same invariants (the supply
 * equation counting the settlement's `redeemed`) after each step and each payout exact.
 * STEPS (default 1500) and the seeds are fixed; SOLVENCY_RANDOM_STEPS overrides. */
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

static uint64_t MAX_ID; /* the highest position id opened */

static int open_position(const char *owner, int m, cdp_u128 collateral, cdp_u128 borrow,
                         uint64_t *id) {
    FAUCET[m] += collateral;
    int rc = cdp_open(&S, owner, &MARKETS[m], collateral, borrow, id);
    if (*id > MAX_ID) MAX_ID = *id;
    return rc;
}

static void setup_world(uint64_t seed) {
    RNG = seed;
    NP = 0;
    MAX_ID = 0;
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

/* The settlement's accounting (its SPEC §6; O(assets)): the identity holds; the stable it has
 * redeemed (and burned) is returned. */
static cdp_u128 settlement_identity_holds(void) {
    if (!S.settlement[0]) return 0;
    json_t *j = cdp_query(&S, S.settlement, "{\"accounting\":{}}");
    cr_assert(j, "step %d: %s", STEP, cdp_error());
    char *dump = json_dumps(j, JSON_COMPACT);
    cdp_u128 redeemed = 0;
    cr_assert(json_is_true(json_object_get(j, "identity_holds")) &&
                  cdp_json_u128(j, "redeemed", &redeemed),
              "step %d: settlement accounting: identity does not hold: %s", STEP, dump);
    free(dump);
    json_decref(j);
    return redeemed;
}

static void check_invariants(void) {
    OK(cdp_identities_hold(&S));
    cdp_u128 redeemed = settlement_identity_holds();
    cdp_ledger l;
    OK(cdp_read_ledger(&S, &l));
    EQ(l.total_debt + l.auction_debt + l.bad_debt + l.spent + l.settled + l.burned,
       l.minted + l.surplus + l.redeemed);
    cdp_u128 costs = l.spent + l.bad_debt;
    EQ(l.surplus_available, l.surplus > costs ? l.surplus - costs : 0);
    EQ(l.deficit, costs > l.surplus ? costs - l.surplus : 0);
    cdp_u128 supply;
    OK(cdp_stable_supply(&S, &supply));
    /* stable the settlement redeemed was burned out of the `settled` claim */
    EQ(supply + l.surplus_available + redeemed,
       l.total_debt + l.auction_debt + l.deficit + l.settled);
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

/* --- Global settlement after the random run (SOLVENCY §4) ---------------------------------------
 */

static hs_result must(hs_result r) {
    cr_assert(r.ok, "%s", r.error);
    return r;
}

/* Cancel every live auction, a page at a time; invariants after each. */
static void cancel_all_auctions(void) {
    for (;;) {
        json_t *j = cdp_query(&S, S.liquidator, "{\"auctions\":{\"limit\":30}}");
        cr_assert(j, "%s", cdp_error());
        json_t *list = json_object_get(j, "auctions"), *a;
        size_t i, n = json_array_size(list);
        json_array_foreach(list, i, a) {
            json_int_t id = json_integer_value(json_object_get(a, "auction_id"));
            ignore(must(cdp_exec(&S, "anyone", S.liquidator, NULL, 0,
                                 "{\"cancel_auction\":{\"auction_id\":%lld}}", (long long)id)));
            check_invariants();
        }
        json_decref(j);
        if (!n) return;
    }
}

/* A pool fixed at finalize, from the settlement's accounting. */
static cdp_u128 settlement_pool(const char *asset) {
    json_t *j = cdp_query(&S, S.settlement, "{\"accounting\":{}}"), *a;
    cr_assert(j, "%s", cdp_error());
    size_t i;
    cdp_u128 pool = 0;
    bool found = false;
    json_array_foreach(json_object_get(j, "assets"), i, a) {
        if (strcmp(json_string_value(json_object_get(a, "asset")), asset)) continue;
        found = cdp_json_u128(a, "pool", &pool);
    }
    json_decref(j);
    cr_assert(found, "no pool of %s", asset);
    return pool;
}

/* Redeem `amount` of `who`'s stable: exactly floor(amount · pool / supply) of each asset. */
static void redeem(const char *who, cdp_u128 amount, cdp_u128 supply, const cdp_u128 *pool) {
    cdp_u128 before[NM];
    for (int m = 0; m < NM; m++) before[m] = native_of(who, m);
    ignore(must(cdp_send_stable(&S, who, S.settlement, amount, "{\"redeem\":{}}")));
    for (int m = 0; m < NM; m++) EQ(native_of(who, m) - before[m], amount * pool[m] / supply);
    check_invariants();
}

/* Shutdown, final prices, every position settled and every auction cancelled, finalize, then
 * every wallet redeems all its stable in one or two parts; invariants (the settlement's identity
 * and the supply equation with its `redeemed`) after each step. */
static void settle_globally(void) {
    if (!S.settlement[0]) return;
    ignore(must(cdp_exec(&S, S.gov, S.engine, NULL, 0, "{\"shutdown\":{}}")));
    for (int m = 0; m < NM; m++)
        ignore(must(cdp_exec(&S, "anyone", S.engine, NULL, 0,
                             "{\"fix_price\":{\"market\":\"%s\",\"asset\":\"%s\"}}", MARKETS[m].id,
                             DENOM[m])));
    check_invariants();
    int settled = 0;
    for (uint64_t id = 1; id <= MAX_ID; id++) {
        hs_result r =
            cdp_exec(&S, "anyone", S.engine, NULL, 0,
                     "{\"settle_position\":{\"position_id\":%llu}}", (unsigned long long)id);
        settled += r.ok;
        cr_assert(r.ok || strstr(r.error, "nothing to settle") || strstr(r.error, "not found"),
                  "settle_position %llu: %s", (unsigned long long)id, r.error);
        hs_result_free(&r);
    }
    check_invariants();
    cancel_all_auctions();
    ignore(must(cdp_exec(&S, "anyone", S.settlement, NULL, 0, "{\"finalize\":{}}")));
    check_invariants();
    cdp_u128 supply, pool[NM];
    OK(cdp_stable_supply(&S, &supply));
    for (int m = 0; m < NM; m++) pool[m] = settlement_pool(DENOM[m]);
    const char *const *groups[] = {USER, KEEPER, DEPOSITOR};
    const int sizes[] = {NU, NK, ND};
    int redemptions = 0;
    for (int g = 0; g < 3; g++)
        for (int i = 0; i < sizes[g]; i++) {
            cdp_u128 stable;
            OK(cdp_stable_balance(&S, groups[g][i], &stable));
            if (!stable) continue;
            cdp_u128 first = stable > 1 ? 1 + below((uint64_t)(stable - 1)) : stable;
            redeem(groups[g][i], first, supply, pool);
            redemptions++;
            if (first < stable) redeem(groups[g][i], stable - first, supply, pool), redemptions++;
        }
    /* What the settlement keeps: the share of the stable not redeemed (the backstop pool's
     * deposits), floor(pool · unredeemed / supply), plus at most one unit per redemption. */
    cdp_u128 unredeemed, left[NM];
    OK(cdp_stable_supply(&S, &unredeemed));
    for (int m = 0; m < NM; m++) {
        left[m] = native_of(S.settlement, m);
        cdp_u128 reserved = pool[m] * unredeemed / supply;
        cr_assert(left[m] >= reserved && left[m] - reserved <= (cdp_u128)redemptions,
                  "%s: %llu left, %llu reserved, %d redemptions", DENOM[m],
                  (unsigned long long)left[m], (unsigned long long)reserved, redemptions);
    }
    fprintf(stderr,
            "solvency settlement: %d positions settled, supply %llu (%llu not redeemed), pools "
            "%llu uatom / %llu uosmo, %d redemptions leave %llu / %llu\n",
            settled, (unsigned long long)supply, (unsigned long long)unredeemed,
            (unsigned long long)pool[0], (unsigned long long)pool[1], redemptions,
            (unsigned long long)left[0], (unsigned long long)left[1]);
    cr_assert(redemptions > 0);
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
    settle_globally();
}

Test(solvency_random, seed_1) {
    run(1);
}

Test(solvency_random, seed_2) {
    run(0x5eed2);
}
