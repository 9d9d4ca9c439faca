/* stress.c — `make demo`: on a fresh devnet (host-sim --state DIR) deploy the whole Ballast system
 * from a manifest, open thousands of positions across its markets (seeded), start keepers with
 * different minimum discounts and budgets and backstop-pool depositors, then run a stress
 * scenario (GBM prices, a crash on the first market, a slide on the second) block by block with
 * keepers acting each block and users repaying/borrowing now and then. Every contract's
 * accounting identity and the stable supply identity (contracts/SOLVENCY.md §3) are checked
 * throughout; a violation stops the run. The report (summary.md, gas.md, timeseries.csv, PNG
 * plots) goes to the report directory (demo_report.c).
 *
 *   build/bin/ballast-demo [--seed N] [--positions N] [--hours H] [--state DIR] [--report DIR]
 */
#define _GNU_SOURCE
#include "demo.h"
#include "demo_run.h"

#include <getopt.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hs_keeper.h"

#define ONE_STABLE 1000000.0 /* base units per BUSD (6 decimals) */

static const char *const KEEPER_NAMES[3] = {"keeper_fast", "keeper_mid", "keeper_thin"};

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static demo_u128 to_u128(double v) {
    return v <= 0 ? 0 : (demo_u128)v;
}

/* --- Options --------------------------------------------------------------------------------- */

static void usage(void) {
    fprintf(stderr,
            "usage: ballast-demo [--seed N] [--positions N] [--hours H] [--step SECONDS]\n"
            "                    [--depositors N] [--actions-per-block N] [--manifest PATH]\n"
            "                    [--state DIR|--memory] [--deployment RECORD] [--report DIR]\n"
            "                    [--tier2] [--no-plots]\n"
            "                    [--verbose]\n");
    exit(2);
}

static void parse_options(int argc, char **argv, demo_options *o) {
    *o = (demo_options){.seed = 42,
                        .positions = 3000,
                        .hours = 72,
                        .step_seconds = 300,
                        .depositors = 30,
                        .actions_per_block = 2,
                        .manifest = "deploy/networks/local.json",
                        .state_dir = "build/devnet",
                        .report_dir = "build/report",
                        .plots = true};
    static const struct option longs[] = {{"seed", required_argument, 0, 's'},
                                          {"positions", required_argument, 0, 'p'},
                                          {"hours", required_argument, 0, 'h'},
                                          {"step", required_argument, 0, 't'},
                                          {"depositors", required_argument, 0, 'd'},
                                          {"actions-per-block", required_argument, 0, 'a'},
                                          {"manifest", required_argument, 0, 'm'},
                                          {"state", required_argument, 0, 'S'},
                                          {"memory", no_argument, 0, 'M'},
                                          {"report", required_argument, 0, 'r'},
                                          {"deployment", required_argument, 0, 'D'},
                                          {"tier2", no_argument, 0, '2'},
                                          {"no-plots", no_argument, 0, 'n'},
                                          {"verbose", no_argument, 0, 'v'},
                                          {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 's':
            o->seed = strtoull(optarg, NULL, 10);
            break;
        case 'p':
            o->positions = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 'h':
            o->hours = strtod(optarg, NULL);
            break;
        case 't':
            o->step_seconds = strtoull(optarg, NULL, 10);
            break;
        case 'd':
            o->depositors = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 'a':
            o->actions_per_block = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 'm':
            o->manifest = optarg;
            break;
        case 'S':
            o->state_dir = optarg;
            break;
        case 'M':
            o->state_dir = NULL;
            break;
        case 'r':
            o->report_dir = optarg;
            break;
        case 'D':
            o->deployment = optarg;
            break;
        case '2':
            o->tier2 = true;
            break;
        case 'n':
            o->plots = false;
            break;
        case 'v':
            o->verbose = true;
            break;
        default:
            usage();
        }
    }
    if (optind != argc || o->positions == 0 || o->hours <= 0 || o->step_seconds == 0) usage();
}

/* --- Prices ---------------------------------------------------------------------------------- */

static void format_price(double p, char out[64]) {
    snprintf(out, 64, "%.9f", p < 1e-9 ? 1e-9 : p);
}

/* Set every denom's price for step s: the chain oracle, then the feeders of feeder-sourced ones
 * (the first `quorum` feeders submit the same price). */
static void set_prices(demo_run *run, uint64_t s) {
    demo *d = &run->d;
    for (size_t i = 0; i < d->denom_count; i++) {
        demo_denom *dn = &d->denoms[i];
        dn->price = dn->start * run->paths[dn->market][s];
        char p[64], *err = NULL;
        format_price(dn->price, p);
        if (hs_oracle_set_price(d->chain, dn->denom, p, &err))
            demo_die("oracle price %s: %s", dn->denom, err);
        if (!dn->feeders) continue;
        char msg[256];
        snprintf(msg, sizeof msg, "{\"submit_price\":{\"denom\":\"%s\",\"price\":\"%s\"}}",
                 dn->denom, p);
        for (uint32_t f = 0; f < d->m->oracle.quorum && f < d->feeder_count; f++)
            demo_exec(d, "oracle submit_price", true, d->oracle, d->feeders[f], msg, NULL, 0);
    }
}

static const demo_denom *denom_of(const demo *d, const char *oracle_denom) {
    for (size_t i = 0; i < d->denom_count; i++)
        if (strcmp(d->denoms[i].denom, oracle_denom) == 0) return &d->denoms[i];
    demo_die("no price for %s", oracle_denom);
}

/* --- Population ------------------------------------------------------------------------------ */

static uint64_t position_id_of(const hs_result *r) {
    if (!r->data) demo_die("open_position returned no id");
    unsigned char raw[64];
    size_t n = 0;
    if (sodium_base642bin(raw, sizeof raw - 1, r->data, strlen(r->data), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL))
        demo_die("open_position data is not base64: %s", r->data);
    raw[n] = '\0';
    return strtoull((const char *)raw, NULL, 10);
}

/* Open a position of `owner` in market mi holding `value` (stable base units) of collateral —
 * split 70/30 over the first two collaterals when `basket` — and borrow `borrow`. */
static bool open_position(demo_run *run, const char *owner, size_t mi, double value, bool basket,
                          double borrow, demo_position *out) {
    demo *d = &run->d;
    const dep_market *mk = &d->m->markets[mi];
    size_t nc = basket && mk->collateral_count > 1 ? 2 : 1;
    hs_coin coins[2];
    char amounts[2][40];
    size_t n_coins = 0;
    demo_u128 cw20_amount = 0;
    const dep_collateral *cw20 = NULL;
    for (size_t k = 0; k < nc; k++) {
        const dep_collateral *c = &mk->collaterals[k];
        double share = nc == 1 ? 1.0 : (k == 0 ? 0.7 : 0.3);
        demo_u128 amount = to_u128(value * share / denom_of(d, c->oracle_denom)->price);
        if (amount == 0) return false;
        if (c->kind == DEP_KIND_CW20) {
            cw20 = c;
            cw20_amount = amount;
            continue;
        }
        demo_mint(d, owner, c->asset, amount);
        hs_u128_format(amount, amounts[n_coins]);
        coins[n_coins] = (hs_coin){c->asset, amounts[n_coins]};
        n_coins++;
    }
    char msg[256];
    snprintf(msg, sizeof msg, "{\"open_position\":{\"market\":\"%s\"}}", mk->id);
    hs_result r = demo_exec_result(d, "open_position", d->engine, owner, msg, coins, n_coins);
    if (!r.ok) {
        if (d->verbose) fprintf(stderr, "demo: open refused: %s\n", r.error);
        hs_result_free(&r);
        return false;
    }
    uint64_t id = position_id_of(&r);
    hs_result_free(&r);
    if (cw20) { /* the token's holder deposits it for the owner (deposit is open to anyone) */
        snprintf(msg, sizeof msg, "{\"deposit\":{\"position_id\":%llu}}", (unsigned long long)id);
        const char *holder = d->m->tokens[cw20->token].initial_balances[0].address.address;
        demo_send_cw20(d, "deposit (cw20 send)", true, d->tokens[cw20->token], holder, d->engine,
                       cw20_amount, msg);
    }
    *out = (demo_position){.id = id, .market = (uint8_t)mi, .alive = true};
    demo_u128 b = to_u128(borrow);
    if (b > 0) {
        char amt[40];
        hs_u128_format(b, amt);
        snprintf(msg, sizeof msg, "{\"borrow\":{\"position_id\":%llu,\"amount\":\"%s\"}}",
                 (unsigned long long)id, amt);
        if (demo_exec(d, "borrow", false, d->engine, owner, msg, NULL, 0))
            out->borrowed = (double)b;
    }
    return true;
}

/* The largest max_ltv of market mi's first (k = 0) or smallest over the first two (basket). */
static double max_ltv(const dep_market *mk, bool basket) {
    double a = strtod(mk->collaterals[0].max_ltv.onchain, NULL);
    if (basket && mk->collateral_count > 1) {
        double b = strtod(mk->collaterals[1].max_ltv.onchain, NULL);
        if (b < a) a = b;
    }
    return a;
}

/* Room of market mi in stable base units: half of its first collateral's supply cap value. */
static double market_room(const demo *d, size_t mi) {
    const dep_collateral *c = &d->m->markets[mi].collaterals[0];
    return 0.5 * strtod(c->supply_cap.onchain, NULL) * denom_of(d, c->oracle_denom)->price;
}

static void populate(demo_run *run) {
    demo *d = &run->d;
    const dep_manifest *m = d->m;
    demo_rng rng = {run->opt.seed ^ 0xB411A57ull};
    size_t nm = m->market_count;
    double weights[DEMO_MAX_MARKETS], wsum = 0;
    for (size_t i = 0; i < nm; i++)
        wsum += weights[i] = nm == 3 ? (double[]){0.4, 0.33, 0.27}[i] : 1.0;
    uint32_t per_market[DEMO_MAX_MARKETS] = {0};
    uint8_t *plan = malloc(run->opt.positions);
    for (uint32_t i = 0; i < run->opt.positions; i++) {
        double u = demo_rng_unit(&rng) * wsum, acc = 0;
        size_t mi = nm - 1;
        for (size_t k = 0; k < nm; k++) {
            acc += weights[k];
            if (u < acc) {
                mi = k;
                break;
            }
        }
        plan[i] = (uint8_t)mi;
        per_market[mi]++;
    }
    /* Keepers hold stable borrowed against market 0's first collateral at a low LTV; depositors
     * against market 1's (or 0's). Both need a native first collateral. */
    const double keeper_stable[3] = {3500000, 1800000, 700000};
    for (int k = 0; k < 3; k++) {
        demo_position p;
        double borrow = keeper_stable[k] * ONE_STABLE;
        if (!open_position(run, KEEPER_NAMES[k], 0, borrow / 0.3, false, borrow, &p))
            demo_die("keeper %s could not open its position", KEEPER_NAMES[k]);
        run->keeper_positions[k][0] = p.id;
    }
    size_t dm = nm > 1 ? 1 : 0;
    for (uint32_t i = 0; i < run->opt.depositors; i++) {
        char who[32];
        snprintf(who, sizeof who, "depositor%03u", i);
        demo_position p;
        double stable = (20000 + 80000 * demo_rng_unit(&rng)) * ONE_STABLE;
        if (!open_position(run, who, dm, stable / 0.25, false, stable, &p) || p.borrowed <= 0)
            demo_die("depositor %s could not borrow", who);
        demo_send_cw20(d, "pool deposit (cw20 send)", true, d->stable, who, d->pool,
                       to_u128(p.borrowed), "{\"deposit\":{}}");
        run->pool_deposited += p.borrowed;
    }
    double t0 = now_seconds();
    for (uint32_t i = 0; i < run->opt.positions; i++) {
        size_t mi = plan[i];
        const dep_market *mk = &m->markets[mi];
        double mean = fmin(20000 * ONE_STABLE, market_room(d, mi) / per_market[mi]);
        double value = mean * exp(0.8 * demo_rng_normal(&rng) - 0.32);
        if (value > 5 * mean) value = 5 * mean;
        bool basket = mk->collateral_count > 1 && demo_rng_unit(&rng) < 0.33;
        double lev = 0.30 + 0.67 * pow(demo_rng_unit(&rng), 0.7); /* of max_ltv */
        double borrow = value * max_ltv(mk, basket) * lev;
        double min_debt = strtod(mk->min_debt.onchain, NULL);
        if (borrow < min_debt)
            borrow = min_debt * 1.5, value = borrow / (max_ltv(mk, basket) * 0.5);
        char owner[32];
        snprintf(owner, sizeof owner, "user%05u", i);
        demo_position *p = &run->positions[run->position_count];
        if (open_position(run, owner, mi, value, basket, borrow, p)) {
            p->owner = i;
            run->position_count++;
            run->opened[mi]++;
        } else
            run->open_refused++;
        if ((i + 1) % 500 == 0 || i + 1 == run->opt.positions)
            printf("  opened %u/%u positions (%.1f s)\n", i + 1, run->opt.positions,
                   now_seconds() - t0);
        fflush(stdout);
    }
    free(plan);
    hs_keeper_config kc;
    const char *discounts[3] = {"0.03", "0.08", "0.15"};
    const char *budgets[3] = {"400000000000", "150000000000", "60000000000"};
    for (int k = 0; k < 3; k++) {
        hs_keeper_config_default(&kc);
        kc.name = KEEPER_NAMES[k];
        kc.account = KEEPER_NAMES[k];
        kc.engine = d->engine;
        kc.liquidator = d->liquidator;
        kc.min_discount = discounts[k];
        kc.max_take_per_round = budgets[k];
        kc.page_limit = 30;
        kc.on_take = demo_on_take;
        kc.on_take_ctx = run;
        char *err = NULL;
        if (hs_keeper_new(d->chain, &kc, &run->keepers[k], &err)) demo_die("keeper: %s", err);
        run->keeper_discount[k] = discounts[k];
        run->keeper_budget[k] = budgets[k];
    }
    run->keeper_count = 3;
}

/* --- User actions ---------------------------------------------------------------------------- */

static void user_action(demo_run *run, demo_rng *rng) {
    demo *d = &run->d;
    if (run->position_count == 0) return;
    demo_position *p = &run->positions[demo_rng_next(rng) % run->position_count];
    if (!p->alive || p->borrowed <= 0) return;
    char owner[32], msg[256];
    snprintf(owner, sizeof owner, "user%05u", p->owner);
    double u = demo_rng_unit(rng);
    if (u < 0.5) { /* repay 10–50 % of what was borrowed */
        double amount = p->borrowed * (0.1 + 0.4 * demo_rng_unit(rng));
        snprintf(msg, sizeof msg, "{\"repay\":{\"position_id\":%llu}}", (unsigned long long)p->id);
        if (demo_send_cw20(d, "repay (cw20 send)", false, d->stable, owner, d->engine,
                           to_u128(amount), msg)) {
            p->borrowed -= amount;
            run->repays++;
        } else {
            run->actions_refused++;
            snprintf(msg, sizeof msg, "{\"position\":{\"position_id\":%llu}}",
                     (unsigned long long)p->id);
            hs_result q = hs_query(d->chain, d->engine, msg);
            if (!q.ok) p->alive = false; /* liquidated whole: the position is gone */
            hs_result_free(&q);
        }
    } else { /* borrow 2–10 % more (refused when it would exceed the limit) */
        double amount = p->borrowed * (0.02 + 0.08 * demo_rng_unit(rng));
        char amt[40];
        hs_u128_format(to_u128(amount), amt);
        snprintf(msg, sizeof msg, "{\"borrow\":{\"position_id\":%llu,\"amount\":\"%s\"}}",
                 (unsigned long long)p->id, amt);
        if (demo_exec(d, "borrow", false, d->engine, owner, msg, NULL, 0)) {
            p->borrowed += amount;
            run->borrows++;
        } else
            run->actions_refused++;
    }
}

/* --- Keepers refinancing -------------------------------------------------------------------- */

/* A keeper turns the collateral it bought back into stable the only way the chain offers (no
 * DEX on the devnet): it deposits it into its own position in that market (opened on first use)
 * and borrows REFINANCE_SHARE of the borrow limit of what it deposited. Once per simulated hour.
 * Each round trip returns less stable than the take cost, so keepers' capital still runs down:
 * the thin-liquidity part of the scenario. */
#define REFINANCE_SHARE 0.8
static void keeper_refinance(demo_run *run, size_t k) {
    demo *d = &run->d;
    const char *who = KEEPER_NAMES[k];
    char msg[256], out[48];
    for (size_t mi = 0; mi < d->m->market_count; mi++) {
        const dep_market *mk = &d->m->markets[mi];
        hs_coin coins[DEP_MAX_COLLATERALS];
        char amounts[DEP_MAX_COLLATERALS][48];
        size_t n_coins = 0;
        double value = 0, ltv = 1;
        const dep_collateral *cw20 = NULL;
        demo_u128 cw20_amount = 0;
        for (size_t c = 0; c < mk->collateral_count; c++) {
            const dep_collateral *col = &mk->collaterals[c];
            demo_u128 held = 0;
            if (col->kind == DEP_KIND_CW20) {
                held = demo_cw20_balance(d, d->tokens[col->token], who);
                if (held) cw20 = col, cw20_amount = held;
            } else {
                hs_balance(d->chain, who, col->asset, out, sizeof out);
                hs_u128_from_text(out, &held);
                if (held) {
                    snprintf(amounts[n_coins], sizeof amounts[n_coins], "%s", out);
                    coins[n_coins] = (hs_coin){col->asset, amounts[n_coins]};
                    n_coins++;
                }
            }
            if (!held) continue;
            value += (double)held * denom_of(d, col->oracle_denom)->price;
            double l = strtod(col->max_ltv.onchain, NULL);
            if (l < ltv) ltv = l;
        }
        if (value < 1000 * ONE_STABLE) continue;
        uint64_t *id = &run->keeper_positions[k][mi];
        if (*id == 0) {
            snprintf(msg, sizeof msg, "{\"open_position\":{\"market\":\"%s\"}}", mk->id);
            hs_result r =
                demo_exec_result(d, "keeper refinance: open", d->engine, who, msg, coins, n_coins);
            if (!r.ok) {
                hs_result_free(&r);
                continue;
            }
            *id = position_id_of(&r);
            hs_result_free(&r);
        } else if (n_coins) {
            snprintf(msg, sizeof msg, "{\"deposit\":{\"position_id\":%llu}}",
                     (unsigned long long)*id);
            if (!demo_exec(d, "keeper refinance: deposit", false, d->engine, who, msg, coins,
                           n_coins))
                continue;
        }
        if (cw20) {
            snprintf(msg, sizeof msg, "{\"deposit\":{\"position_id\":%llu}}",
                     (unsigned long long)*id);
            if (!demo_send_cw20(d, "keeper refinance: deposit (cw20 send)", false,
                                d->tokens[cw20->token], who, d->engine, cw20_amount, msg))
                continue;
        }
        char amt[40];
        hs_u128_format(to_u128(value * ltv * REFINANCE_SHARE), amt);
        snprintf(msg, sizeof msg, "{\"borrow\":{\"position_id\":%llu,\"amount\":\"%s\"}}",
                 (unsigned long long)*id, amt);
        if (demo_exec(d, "keeper refinance: borrow", false, d->engine, who, msg, NULL, 0))
            run->refinanced += value * ltv * REFINANCE_SHARE;
    }
}

/* --- Main ------------------------------------------------------------------------------------ */

int main(int argc, char **argv) {
    demo_run *run = calloc(1, sizeof *run);
    parse_options(argc, argv, &run->opt);
    if (sodium_init() < 0) demo_die("libsodium");
    demo *d = &run->d;
    d->verbose = run->opt.verbose;
    double t_start = now_seconds();
    printf("ballast demo: seed %llu, %u positions, %.0f simulated hours in %llu-second blocks\n",
           (unsigned long long)run->opt.seed, run->opt.positions, run->opt.hours,
           (unsigned long long)run->opt.step_seconds);
    dep_errors errs = {0};
    d->m = dep_manifest_load(run->opt.manifest, &errs);
    if (!d->m) demo_die("%s: %s", run->opt.manifest, errs.count ? errs.items[0] : "invalid");
    mkdir(run->opt.report_dir, 0755);

    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.chain_id = d->m->chain_id;
    cfg.bech32_prefix = d->m->address_prefix;
    cfg.state_dir = run->opt.state_dir;
    cfg.block_time_seconds = run->opt.step_seconds;
    /* Tier 1 (tcc) code only, unless --tier2 or HOSTSIM_TIER2=1 (README: measured). */
    const char *t2 = getenv("HOSTSIM_TIER2");
    cfg.tcc_only = !(run->opt.tier2 || (t2 && strcmp(t2, "1") == 0));
    char *err = NULL;
    if (hs_chain_open(&cfg, &d->chain, &err)) demo_die("open chain: %s", err);
    if (run->opt.deployment) {
        printf("devnet %s (chain id %s): the system cdp-deploy deployed from %s (record %s)\n",
               run->opt.state_dir ? run->opt.state_dir : "in memory", d->m->chain_id,
               run->opt.manifest, run->opt.deployment);
        demo_load_deployment(d, run->opt.deployment);
    } else {
        printf("devnet %s (chain id %s); deploying %s (manifest %.12s…) with its messages\n",
               run->opt.state_dir ? run->opt.state_dir : "in memory", d->m->chain_id,
               run->opt.manifest, d->m->hash_hex);
        demo_deploy(d);
    }
    printf("  engine %s\n  liquidator %s\n  backstop_pool %s\n", d->engine, d->liquidator, d->pool);

    uint64_t steps = (uint64_t)(run->opt.hours * 3600.0 / (double)run->opt.step_seconds);
    demo_path_config pc = {.seed = run->opt.seed,
                           .step_seconds = run->opt.step_seconds,
                           .steps = steps,
                           .crash_at_hours = run->opt.hours * 0.35,
                           .crash_depth = 0.45,
                           .crash_hours = 1,
                           .slide_at_hours = run->opt.hours * 0.5,
                           .slide_depth = 0.35,
                           .slide_hours = run->opt.hours * 0.3,
                           .volatility = 0.6};
    run->path_cfg = pc;
    run->outage_at_hours = run->opt.hours * 0.69;
    run->outage_hours = fmin(3.0, run->opt.hours * 0.05);
    run->paths = demo_paths_make(&pc, d->m->market_count);
    set_prices(run, 0);
    run->positions = calloc(run->opt.positions, sizeof *run->positions);
    printf("opening positions (seeded), keepers and backstop depositors\n");
    populate(run);
    demo_sample(run, 0);
    demo_check_invariants(run, true);
    printf("stress scenario: %llu blocks; crash −45%% in 1 h on %s at hour %.0f, slide −35%% on "
           "%s from hour %.0f, every keeper offline from hour %.1f for %.1f h\n",
           (unsigned long long)steps, d->m->markets[0].id, pc.crash_at_hours,
           d->m->market_count > 1 ? d->m->markets[1].id : "-", pc.slide_at_hours,
           run->outage_at_hours, run->outage_hours);
    demo_rng actions = {run->opt.seed * 31 + 7};
    uint64_t per_hour = 3600 / run->opt.step_seconds;
    if (per_hour == 0) per_hour = 1;
    double t_run = now_seconds();
    for (uint64_t s = 1; s <= steps; s++) {
        hs_block_advance(d->chain, 1, run->opt.step_seconds);
        set_prices(run, s);
        for (uint32_t a = 0; a < run->opt.actions_per_block; a++) user_action(run, &actions);
        /* Keepers act in a seeded order each block. */
        size_t order[8];
        for (size_t k = 0; k < run->keeper_count; k++) order[k] = k;
        for (size_t k = run->keeper_count; k > 1; k--) {
            size_t j = demo_rng_next(&actions) % k, t = order[k - 1];
            order[k - 1] = order[j], order[j] = t;
        }
        /* Every keeper offline for a while during the slide (Black Thursday): liquidations
         * wait, auctions run past max_duration and are reset when the keepers return. */
        double hour = (double)(s * run->opt.step_seconds) / 3600.0;
        bool offline =
            hour >= run->outage_at_hours && hour < run->outage_at_hours + run->outage_hours;
        run->keepers_offline = offline;
        for (size_t k = 0; k < run->keeper_count && !offline; k++) demo_keeper_round(run, order[k]);
        if (s % per_hour == 0 && !offline)
            for (size_t k = 0; k < run->keeper_count; k++) keeper_refinance(run, k);
        demo_sample(run, s);
        bool hourly = s % per_hour == 0 || s == steps;
        demo_check_invariants(run, hourly);
        if (hourly) demo_progress(run, s, now_seconds() - t_run);
    }
    demo_final_checks(run);
    run->wall_seconds = now_seconds() - t_start;
    demo_write_report(run);
    printf("report: %s/summary.md, gas.md, timeseries.csv%s (%.1f s)\n", run->opt.report_dir,
           run->opt.plots ? ", *.png" : "", run->wall_seconds);
    for (size_t k = 0; k < run->keeper_count; k++) hs_keeper_free(run->keepers[k]);
    demo_paths_free(run->paths, d->m->market_count);
    hs_chain_close(d->chain);
    dep_manifest_free(d->m);
    free(run->samples);
    free(run->positions);
    free(run);
    return 0;
}
