/* demo_observe.c — watching the stress run: keeper rounds and their gas, one sample of the
 * system per block (timeseries.csv), the invariants (every contract's accounting query, the
 * engine's ledger and the stable supply identity of contracts/SOLVENCY.md §3, collateral
 * conservation) and the progress line. A violated invariant stops the demo with the numbers. */
#define _GNU_SOURCE
#include "demo_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ONE_STABLE 1000000.0

enum {
    INV_ENGINE,
    INV_LEDGER,
    INV_SUPPLY,
    INV_AUCTION_DEBT,
    INV_TREASURY,
    INV_LIQUIDATOR,
    INV_POOL,
    INV_CONSERVATION,
    INV_STABLE_BALANCES,
    INV_SETTLEMENT,
    INV_GOVERNANCE,
    INV_ORACLE,
};

static const char *const INV_NAMES[DEMO_INVARIANTS] = {
    "vault_engine `accounting`: identity_holds (I1', I1a, I2, I3, I4)",
    "ledger I1' recomputed from the stored totals",
    "stable supply = total_debt + auction_debt + settled + deficit − surplus_available "
    "= minted − burned (SOLVENCY §3)",
    "engine auction_debt = liquidator debt in auction",
    "engine `treasury` = deficit / surplus_available from the ledger",
    "liquidator `accounting`: identity_holds (recount over every live auction)",
    "backstop_pool `accounting`: identity_holds",
    "collateral conservation: faucet + initial CW20 balances = Σ balances of every account",
    "stable token: Σ balances (all_accounts) = total_supply",
    "settlement `accounting`: identity_holds",
    "governance timelock `counts`: identity_holds",
    "oracle `accounting`: feeders and assets = the manifest's",
};

/* The ledger as last sampled (base units). */
static struct {
    demo_u128 total_debt, auction_debt, bad_debt, spent, settled, burned, minted, surplus, redeemed,
        supply, liquidator_debt;
    bool engine_holds;
} L;

static void checked(demo_run *run, int which) {
    run->inv[which].name = INV_NAMES[which];
    run->inv[which].checks++;
}

static void fmt(demo_u128 v, char out[40]) {
    hs_u128_format(v, out);
}

void demo_on_take(void *ctx, const hs_keeper_take *take) {
    demo_run *run = ctx;
    demo_gas_sample(&run->d, "take (keeper)",
                    (take->gas_used + HS_GAS_MULTIPLIER - 1) / HS_GAS_MULTIPLIER);
}

void demo_keeper_round(demo_run *run, size_t k) {
    hs_keeper_report rep;
    if (hs_keeper_round(run->keepers[k], &rep))
        demo_die("keeper %s: %s", hs_keeper_name(run->keepers[k]),
                 hs_keeper_error(run->keepers[k]));
    /* The agent reports gas per round: a round whose transactions were all liquidations (or
     * all redos) gives their average gas, recorded once per transaction. */
    uint64_t sdk = (rep.gas_used + HS_GAS_MULTIPLIER - 1) / HS_GAS_MULTIPLIER;
    if (rep.txs > 0 && rep.txs == rep.liquidations && !rep.liquidations_refused)
        for (uint64_t i = 0; i < rep.txs; i++)
            demo_gas_sample(&run->d, "liquidate (keeper, round average)", sdk / rep.txs);
    if (rep.txs > 0 && rep.txs == rep.redos && !rep.redos_refused)
        for (uint64_t i = 0; i < rep.txs; i++)
            demo_gas_sample(&run->d, "redo (keeper, round average)", sdk / rep.txs);
}

/* USD per whole unit of a denom. */
static double usd(const demo_denom *dn) {
    double p = dn->price;
    for (unsigned k = 6; k < dn->decimals; k++) p *= 10.0;
    for (unsigned k = dn->decimals; k < 6; k++) p /= 10.0;
    return p;
}

/* The price of an on-chain asset (denom or CW20 address) held by the engine. */
static double asset_price(const demo *d, const char *asset) {
    const dep_manifest *m = d->m;
    for (size_t i = 0; i < m->market_count; i++)
        for (size_t k = 0; k < m->markets[i].collateral_count; k++) {
            const dep_collateral *c = &m->markets[i].collaterals[k];
            const char *a = c->token >= 0 ? d->tokens[c->token] : c->asset;
            if (strcmp(a, asset) != 0) continue;
            for (size_t j = 0; j < d->denom_count; j++)
                if (strcmp(d->denoms[j].denom, c->oracle_denom) == 0) return d->denoms[j].price;
        }
    demo_die("engine holds %s, which is no collateral of the manifest", asset);
}

void demo_sample(demo_run *run, uint64_t s) {
    demo *d = &run->d;
    if (run->sample_count == run->sample_cap) {
        run->sample_cap = run->sample_cap ? 2 * run->sample_cap : 1024;
        run->samples = realloc(run->samples, run->sample_cap * sizeof *run->samples);
    }
    demo_sample_row *row = &run->samples[run->sample_count++];
    memset(row, 0, sizeof *row);
    row->hours = (double)(s * run->opt.step_seconds) / 3600.0;
    for (size_t i = 0; i < d->denom_count; i++) row->price[i] = usd(&d->denoms[i]);

    json_t *a = demo_query(d, d->engine, "{\"accounting\":{}}");
    L.total_debt = demo_json_u128(a, "total_debt");
    L.auction_debt = demo_json_u128(a, "auction_debt");
    L.bad_debt = demo_json_u128(a, "bad_debt");
    L.spent = demo_json_u128(a, "spent");
    L.settled = demo_json_u128(a, "settled");
    L.burned = demo_json_u128(a, "burned");
    L.minted = demo_json_u128(a, "minted");
    L.surplus = demo_json_u128(a, "surplus");
    L.redeemed = demo_json_u128(a, "redeemed");
    L.engine_holds = json_is_true(json_object_get(a, "identity_holds"));
    double value = 0;
    json_t *assets = json_object_get(a, "assets"), *it;
    size_t i;
    json_array_foreach(assets, i, it) {
        const char *asset = json_string_value(json_object_get(it, "asset"));
        value += (double)demo_json_u128(it, "held") * asset_price(d, asset);
    }
    json_decref(a);
    json_t *lt = demo_query(d, d->liquidator, "{\"totals\":{}}");
    L.liquidator_debt = demo_json_u128(lt, "debt_in_auction");
    row->live_auctions = (double)json_integer_value(json_object_get(lt, "live_auctions"));
    json_decref(lt);
    json_t *t = demo_query(d, d->stable, "{\"token_info\":{}}");
    L.supply = demo_json_u128(t, "total_supply");
    json_decref(t);
    if (d->pool[0]) {
        json_t *p = demo_query(d, d->pool, "{\"accounting\":{}}");
        row->pool_deposits = (double)demo_json_u128(p, "total_deposits") / ONE_STABLE;
        demo_u128 spent = demo_json_u128(p, "spent");
        if (spent > run->pool_spent) run->absorption_blocks++;
        run->pool_spent = spent;
        if (!json_is_true(json_object_get(p, "identity_holds"))) {
            char *dump = json_dumps(p, JSON_COMPACT);
            demo_die("invariant violated at hour %.2f: %s\n  %s", row->hours, INV_NAMES[INV_POOL],
                     dump);
        }
        json_decref(p);
        checked(run, INV_POOL);
    }
    row->collateral_value = value / ONE_STABLE;
    row->total_debt = (double)L.total_debt / ONE_STABLE;
    row->collateral_ratio = L.total_debt ? value / (double)L.total_debt : 0;
    row->auction_debt = (double)L.auction_debt / ONE_STABLE;
    row->bad_debt = (double)L.bad_debt / ONE_STABLE;
    row->spent = (double)L.spent / ONE_STABLE;
    row->surplus = (double)L.surplus / ONE_STABLE;
    double net = (double)L.surplus - (double)L.spent - (double)L.bad_debt;
    row->surplus_available = net > 0 ? net / ONE_STABLE : 0;
    row->deficit = net < 0 ? -net / ONE_STABLE : 0;
    row->stable_supply = (double)L.supply / ONE_STABLE;
    row->absorbed = (double)run->pool_spent / ONE_STABLE;
    hs_keeper_report tot = {0};
    for (size_t k = 0; k < run->keeper_count; k++) {
        hs_keeper_report r;
        hs_keeper_totals(run->keepers[k], &r);
        hs_keeper_report_add(&tot, &r);
    }
    row->liquidations = (double)tot.liquidations;
    row->takes = (double)tot.takes;
    row->redos = (double)tot.redos;
    if (row->collateral_ratio > 0 &&
        (run->min_ratio == 0 || row->collateral_ratio < run->min_ratio))
        run->min_ratio = row->collateral_ratio, run->min_ratio_hours = row->hours;
}

static void identity_of(demo_run *run, const char *contract, int which, double hours) {
    /* The liquidator's recount is O(live auctions): with hundreds live it can exceed the query
     * gas limit; such a check is counted as skipped (the per-block auction-debt check stays). */
    hs_result r = hs_query(run->d.chain, contract, "{\"accounting\":{}}");
    if (!r.ok && strstr(r.error, "out of gas")) {
        run->inv_skipped[which]++;
        hs_result_free(&r);
        return;
    }
    hs_result_free(&r);
    json_t *a = demo_query(&run->d, contract, "{\"accounting\":{}}");
    if (!json_is_true(json_object_get(a, "identity_holds"))) {
        char *dump = json_dumps(a, JSON_COMPACT);
        demo_die("invariant violated at hour %.2f: %s\n  %s", hours, INV_NAMES[which], dump);
    }
    json_decref(a);
    checked(run, which);
}

void demo_check_invariants(demo_run *run, bool full) {
    demo *d = &run->d;
    double hours = run->samples[run->sample_count - 1].hours;
    char x[40], y[40];
    if (!L.engine_holds) demo_die("invariant violated at hour %.2f: %s", hours, INV_NAMES[0]);
    checked(run, INV_ENGINE);
    demo_u128 lhs = L.total_debt + L.auction_debt + L.bad_debt + L.spent + L.settled + L.burned,
              rhs = L.minted + L.surplus + L.redeemed;
    if (lhs != rhs) {
        fmt(lhs, x), fmt(rhs, y);
        demo_die("invariant violated at hour %.2f: %s: %s != %s", hours, INV_NAMES[INV_LEDGER], x,
                 y);
    }
    checked(run, INV_LEDGER);
    demo_u128 costs = L.spent + L.bad_debt;
    demo_u128 available = L.surplus > costs ? L.surplus - costs : 0;
    demo_u128 deficit = costs > L.surplus ? costs - L.surplus : 0;
    demo_u128 want = L.total_debt + L.auction_debt + L.settled + deficit - available;
    if (L.supply != want || L.supply != L.minted - L.burned) {
        fmt(L.supply, x), fmt(want, y);
        demo_die("invariant violated at hour %.2f: %s: supply %s, ledger form %s", hours,
                 INV_NAMES[INV_SUPPLY], x, y);
    }
    checked(run, INV_SUPPLY);
    if (L.auction_debt != L.liquidator_debt) {
        fmt(L.auction_debt, x), fmt(L.liquidator_debt, y);
        demo_die("invariant violated at hour %.2f: %s: engine %s, liquidator %s", hours,
                 INV_NAMES[INV_AUCTION_DEBT], x, y);
    }
    checked(run, INV_AUCTION_DEBT);
    if (!full) return;
    json_t *t = demo_query(d, d->engine, "{\"treasury\":{}}");
    if (demo_json_u128(t, "deficit") != deficit ||
        demo_json_u128(t, "surplus_available") != available) {
        char *dump = json_dumps(t, JSON_COMPACT);
        demo_die("invariant violated at hour %.2f: %s\n  %s", hours, INV_NAMES[INV_TREASURY], dump);
    }
    json_decref(t);
    checked(run, INV_TREASURY);
    identity_of(run, d->liquidator, INV_LIQUIDATOR, hours);
    if (d->settlement[0]) identity_of(run, d->settlement, INV_SETTLEMENT, hours);
    json_t *g = demo_query(d, d->timelock, "{\"counts\":{}}");
    if (!json_is_true(json_object_get(g, "identity_holds"))) {
        char *dump = json_dumps(g, JSON_COMPACT);
        demo_die("invariant violated at hour %.2f: %s\n  %s", hours, INV_NAMES[INV_GOVERNANCE],
                 dump);
    }
    json_decref(g);
    checked(run, INV_GOVERNANCE);
    json_t *o = demo_query(d, d->oracle, "{\"accounting\":{}}");
    if ((size_t)json_integer_value(json_object_get(o, "feeders")) != d->m->oracle.feeder_count ||
        (size_t)json_integer_value(json_object_get(o, "assets")) != d->m->oracle.asset_count) {
        char *dump = json_dumps(o, JSON_COMPACT);
        demo_die("invariant violated at hour %.2f: %s\n  %s", hours, INV_NAMES[INV_ORACLE], dump);
    }
    json_decref(o);
    checked(run, INV_ORACLE);
}

/* Σ balances of denom over every account the demo created and every contract. */
static demo_u128 native_sum(demo_run *run, const char *denom) {
    demo *d = &run->d;
    demo_u128 sum = 0;
    char out[48], who[32];
    const char *contracts[] = {d->engine,    d->liquidator, d->pool, d->settlement,
                               d->oracle,    d->stable,     d->gov,  "keeper_fast",
                               "keeper_mid", "keeper_thin"};
    for (size_t i = 0; i < sizeof contracts / sizeof contracts[0]; i++) {
        if (!contracts[i][0]) continue;
        hs_balance(d->chain, contracts[i], denom, out, sizeof out);
        demo_u128 v;
        hs_u128_from_text(out, &v);
        sum += v;
    }
    for (uint32_t i = 0; i < run->opt.positions + run->opt.depositors; i++) {
        if (i < run->opt.positions)
            snprintf(who, sizeof who, "user%05u", i);
        else
            snprintf(who, sizeof who, "depositor%03u", i - run->opt.positions);
        hs_balance(d->chain, who, denom, out, sizeof out);
        demo_u128 v;
        hs_u128_from_text(out, &v);
        sum += v;
    }
    return sum;
}

static demo_u128 cw20_sum(demo_run *run, const char *token, const char *holder) {
    demo *d = &run->d;
    demo_u128 sum = 0;
    const char *contracts[] = {d->engine,     d->liquidator, d->pool,       d->settlement, holder,
                               "keeper_fast", "keeper_mid",  "keeper_thin", d->gov};
    for (size_t i = 0; i < sizeof contracts / sizeof contracts[0]; i++)
        if (contracts[i][0]) sum += demo_cw20_balance(d, token, contracts[i]);
    char who[32];
    for (uint32_t i = 0; i < run->opt.positions + run->opt.depositors; i++) {
        if (i < run->opt.positions)
            snprintf(who, sizeof who, "user%05u", i);
        else
            snprintf(who, sizeof who, "depositor%03u", i - run->opt.positions);
        sum += demo_cw20_balance(d, token, who);
    }
    return sum;
}

void demo_final_checks(demo_run *run) {
    demo *d = &run->d;
    const dep_manifest *m = d->m;
    char x[40], y[40];
    printf("final checks: collateral conservation over every account, Σ stable balances\n");
    for (size_t i = 0; i < m->market_count; i++)
        for (size_t k = 0; k < m->markets[i].collateral_count; k++) {
            const dep_collateral *c = &m->markets[i].collaterals[k];
            demo_u128 want = 0, got;
            if (c->token >= 0) {
                const dep_token *tk = &m->tokens[c->token];
                for (size_t b = 0; b < tk->balance_count; b++) {
                    demo_u128 v;
                    hs_u128_from_text(tk->initial_balances[b].amount.onchain, &v);
                    want += v;
                }
                got = cw20_sum(run, d->tokens[c->token], tk->initial_balances[0].address.address);
            } else {
                for (size_t j = 0; j < d->faucet_count; j++)
                    if (strcmp(d->faucet[j].denom, c->asset) == 0) want = d->faucet[j].amount;
                got = native_sum(run, c->asset);
            }
            if (got != want) {
                fmt(got, x), fmt(want, y);
                demo_die("invariant violated: %s: %s: Σ balances %s, created %s",
                         INV_NAMES[INV_CONSERVATION], c->asset, x, y);
            }
            checked(run, INV_CONSERVATION);
        }
    /* Every stable holder, page by page, against total_supply. */
    demo_u128 sum = 0;
    char after[DEMO_ADDR] = "";
    for (;;) {
        json_t *page =
            after[0] ? demo_query(d, d->stable,
                                  "{\"all_accounts\":{\"start_after\":\"%s\",\"limit\":30}}", after)
                     : demo_query(d, d->stable, "{\"all_accounts\":{\"limit\":30}}");
        json_t *accounts = json_object_get(page, "accounts"), *it;
        size_t i;
        json_array_foreach(accounts, i, it) {
            sum += demo_cw20_balance(d, d->stable, json_string_value(it));
            snprintf(after, sizeof after, "%s", json_string_value(it));
        }
        size_t n = json_array_size(accounts);
        json_decref(page);
        if (n < 30) break;
    }
    json_t *t = demo_query(d, d->stable, "{\"token_info\":{}}");
    demo_u128 supply = demo_json_u128(t, "total_supply");
    json_decref(t);
    if (sum != supply) {
        fmt(sum, x), fmt(supply, y);
        demo_die("invariant violated: %s: Σ %s, supply %s", INV_NAMES[INV_STABLE_BALANCES], x, y);
    }
    checked(run, INV_STABLE_BALANCES);
}

static void short_amount(double busd, char out[32]) {
    if (busd >= 1e6)
        snprintf(out, 32, "%.2fM", busd / 1e6);
    else if (busd >= 1e3)
        snprintf(out, 32, "%.1fk", busd / 1e3);
    else
        snprintf(out, 32, "%.0f", busd);
}

void demo_progress(demo_run *run, uint64_t s, double elapsed) {
    demo *d = &run->d;
    const demo_sample_row *row = &run->samples[run->sample_count - 1];
    (void)s;
    unsigned h = (unsigned)lround(row->hours);
    printf("[day %u %02u:00]", h / 24 + 1, h % 24);
    for (size_t i = 0; i < d->denom_count; i++)
        printf(" %s $%.*f", d->denoms[i].denom, row->price[i] >= 100 ? 0 : 3, row->price[i]);
    char debt[32], auct[32], pool[32], bad[32];
    short_amount(row->total_debt, debt);
    short_amount(row->auction_debt, auct);
    short_amount(row->pool_deposits, pool);
    short_amount(row->bad_debt, bad);
    printf(" | debt %s CR %.0f%% | liq %.0f takes %.0f resets %.0f | in auction %s (%.0f) | "
           "pool %s | bad debt %s | %.1f s%s\n",
           debt, 100 * row->collateral_ratio, row->liquidations, row->takes, row->redos, auct,
           row->live_auctions, pool, bad, elapsed,
           run->keepers_offline ? " | keepers OFFLINE" : "");
    fflush(stdout);
}
