/* demo_report.c — the demo's report in the report directory: summary.md (the table, also printed),
 * keepers and invariants with their check counts; gas.md (per operation: calls, refused, min /
 * avg / max SDK gas); timeseries.csv (one row per block); plots.gp and the PNGs gnuplot renders
 * from it (price per market, system collateral ratio, debt in auction, bad debt / deficit). */
#define _GNU_SOURCE
#include "demo_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ONE_STABLE 1000000.0
#define ATOMICS 1e18

static FILE *open_out(const demo_run *run, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", run->opt.report_dir, name);
    FILE *f = fopen(path, "w");
    if (!f) demo_die("cannot write %s", path);
    return f;
}

static double busd(hs_u128 v) {
    return (double)v / ONE_STABLE;
}

static void write_csv(const demo_run *run) {
    const demo *d = &run->d;
    FILE *f = open_out(run, "timeseries.csv");
    fprintf(f, "hours");
    for (size_t i = 0; i < d->denom_count; i++) fprintf(f, ",price_%s", d->denoms[i].denom);
    fprintf(f, ",collateral_value,total_debt,collateral_ratio,debt_in_auction,live_auctions,"
               "bad_debt,deficit,surplus,surplus_available,keeper_rewards,pool_deposits,"
               "pool_absorbed,stable_supply,liquidations,takes,resets\n");
    for (size_t r = 0; r < run->sample_count; r++) {
        const demo_sample_row *s = &run->samples[r];
        fprintf(f, "%.4f", s->hours);
        for (size_t i = 0; i < d->denom_count; i++) fprintf(f, ",%.6f", s->price[i]);
        fprintf(f,
                ",%.6f,%.6f,%.6f,%.6f,%.0f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.0f,%.0f,"
                "%.0f\n",
                s->collateral_value, s->total_debt, s->collateral_ratio, s->auction_debt,
                s->live_auctions, s->bad_debt, s->deficit, s->surplus, s->surplus_available,
                s->spent, s->pool_deposits, s->absorbed, s->stable_supply, s->liquidations,
                s->takes, s->redos);
    }
    fclose(f);
}

static void write_gas(const demo_run *run) {
    const demo *d = &run->d;
    FILE *f = open_out(run, "gas.md");
    fprintf(f, "# Gas per operation (Cosmos SDK gas, host-sim's CosmWasm gas / 140,000)\n\n");
    fprintf(f,
            "Seed %llu, %u positions. `refused`: transactions the contracts refused (a borrow "
            "over the limit, a repay of a liquidated position); they are not in min/avg/max. "
            "Keeper liquidations and resets are averaged per keeper round (the agent reports "
            "gas per round), from rounds that did only that kind of transaction. A system "
            "deployed by cdp-deploy (`make demo`) has its deployment log in deploy.log "
            "instead of store/instantiate rows.\n\n",
            (unsigned long long)run->opt.seed, run->opt.positions);
    fprintf(f, "| operation | calls | refused | min | avg | max |\n");
    fprintf(f, "| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < d->op_count; i++) {
        const demo_op_stat *s = &d->ops[i];
        fprintf(f, "| %s | %llu | %llu | %llu | %.0f | %llu |\n", s->name,
                (unsigned long long)s->calls, (unsigned long long)s->refused,
                (unsigned long long)s->min, s->calls ? s->sum / (double)s->calls : 0.0,
                (unsigned long long)s->max);
    }
    fclose(f);
}

/* The summary table, to f (summary.md) and stdout. */
static void summary_table(const demo_run *run, FILE *f) {
    const demo *d = &run->d;
    const demo_sample_row *last = &run->samples[run->sample_count - 1];
    hs_keeper_report tot = {0};
    for (size_t k = 0; k < run->keeper_count; k++) {
        hs_keeper_report r;
        hs_keeper_totals(run->keepers[k], &r);
        hs_keeper_report_add(&tot, &r);
    }
    double peak_auction = 0, peak_hours = 0;
    for (size_t r = 0; r < run->sample_count; r++)
        if (run->samples[r].auction_debt > peak_auction)
            peak_auction = run->samples[r].auction_debt, peak_hours = run->samples[r].hours;
    fprintf(f, "| metric | value |\n| --- | ---: |\n");
    fprintf(f, "| seed | %llu |\n", (unsigned long long)run->opt.seed);
    fprintf(f, "| simulated time | %.0f h in %zu blocks of %llu s |\n", run->opt.hours,
            run->sample_count - 1, (unsigned long long)run->opt.step_seconds);
    fprintf(f, "| positions opened (users) | %u", run->position_count);
    for (size_t i = 0; i < d->m->market_count; i++)
        fprintf(f, "%s%s %u", i ? ", " : " (", d->m->markets[i].id, run->opened[i]);
    fprintf(f, ") |\n");
    fprintf(f, "| user repays / extra borrows / refused | %llu / %llu / %llu |\n",
            (unsigned long long)run->repays, (unsigned long long)run->borrows,
            (unsigned long long)run->actions_refused);
    fprintf(f, "| liquidations (refused: caps, races) | %llu (%llu) |\n",
            (unsigned long long)tot.liquidations, (unsigned long long)tot.liquidations_refused);
    fprintf(f, "| debt liquidated | %.2f BUSD |\n", busd(tot.debt_liquidated));
    fprintf(f, "| auction takes | %llu, paid %.2f BUSD for collateral worth %.2f |\n",
            (unsigned long long)tot.takes, busd(tot.stable_paid), busd(tot.collateral_value));
    fprintf(f,
            "| average auction discount (value-weighted) | %.2f %% (min %.2f %%, max %.2f %%) |\n",
            100.0 * (double)hs_keeper_report_average_discount(&tot) / ATOMICS,
            100.0 * (double)tot.discount_min / ATOMICS, 100.0 * (double)tot.discount_max / ATOMICS);
    fprintf(f, "| auctions reset (redo) | %llu |\n", (unsigned long long)tot.redos);
    fprintf(f, "| keepers' stable borrowed against bought collateral | %.2f BUSD |\n",
            run->refinanced / ONE_STABLE);
    fprintf(f, "| pool absorptions (blocks with one) / debt absorbed | %llu / %.2f BUSD |\n",
            (unsigned long long)run->absorption_blocks, busd(run->pool_spent));
    fprintf(f, "| peak debt in auction | %.2f BUSD at hour %.1f |\n", peak_auction, peak_hours);
    fprintf(f, "| debt still in auction / live auctions | %.2f BUSD / %.0f |\n", last->auction_debt,
            last->live_auctions);
    fprintf(f, "| bad debt | %.2f BUSD |\n", last->bad_debt);
    fprintf(f, "| surplus (fees, penalties) / keeper rewards paid | %.2f / %.2f BUSD |\n",
            last->surplus, last->spent);
    fprintf(f, "| surplus available / deficit | %.2f / %.2f BUSD |\n", last->surplus_available,
            last->deficit);
    fprintf(f, "| total debt / stable supply | %.2f / %.2f BUSD |\n", last->total_debt,
            last->stable_supply);
    fprintf(f, "| system collateral ratio: final (lowest) | %.1f %% (%.1f %% at hour %.1f) |\n",
            100 * last->collateral_ratio, 100 * run->min_ratio, run->min_ratio_hours);
    uint64_t total_checks = 0;
    for (size_t i = 0; i < DEMO_INVARIANTS; i++) total_checks += run->inv[i].checks;
    fprintf(f, "| invariants checked (all held) | %llu checks of %d invariants |\n",
            (unsigned long long)total_checks, DEMO_INVARIANTS);
    fprintf(f, "| wall time | %.1f s |\n", run->wall_seconds);
}

static void write_summary(const demo_run *run) {
    const demo *d = &run->d;
    FILE *f = open_out(run, "summary.md");
    fprintf(f, "# Ballast stress demo\n\n");
    fprintf(f,
            "Manifest `%s` (hash %.16s…) deployed on a fresh devnet; %u positions, %u "
            "backstop depositors, 3 keepers. Prices: GBM (volatility %.0f %%/yr) per market; "
            "%s crashes −%.0f %% in %.0f h at hour %.1f",
            run->opt.manifest, d->m->hash_hex, run->position_count, run->opt.depositors,
            100 * run->path_cfg.volatility, d->m->markets[0].id, 100 * run->path_cfg.crash_depth,
            run->path_cfg.crash_hours, run->path_cfg.crash_at_hours);
    if (d->m->market_count > 1)
        fprintf(f, "; %s slides −%.0f %% over %.0f h from hour %.1f", d->m->markets[1].id,
                100 * run->path_cfg.slide_depth, run->path_cfg.slide_hours,
                run->path_cfg.slide_at_hours);
    fprintf(f, "; every keeper offline from hour %.1f for %.1f h.\n\n## Summary\n\n",
            run->outage_at_hours, run->outage_hours);
    summary_table(run, f);
    fprintf(f, "\n## Keepers\n\n| keeper | min discount | budget per round | liquidations | "
               "takes | resets | refused (liquidate/take/redo) | skipped (discount/budget) | "
               "stable paid | average discount | txs | SDK gas |\n"
               "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
               "|\n");
    for (size_t k = 0; k < run->keeper_count; k++) {
        hs_keeper_report r;
        hs_keeper_totals(run->keepers[k], &r);
        hs_u128 budget = 0;
        for (const char *p = run->keeper_budget[k]; *p; p++)
            budget = budget * 10 + (unsigned)(*p - '0');
        fprintf(f,
                "| %s | %s | %.0f BUSD | %llu | %llu | %llu | %llu/%llu/%llu | %llu/%llu | %.2f | "
                "%.2f %% | %llu | %llu |\n",
                hs_keeper_name(run->keepers[k]), run->keeper_discount[k], busd(budget),
                (unsigned long long)r.liquidations, (unsigned long long)r.takes,
                (unsigned long long)r.redos, (unsigned long long)r.liquidations_refused,
                (unsigned long long)r.takes_refused, (unsigned long long)r.redos_refused,
                (unsigned long long)r.skipped_unprofitable, (unsigned long long)r.skipped_budget,
                busd(r.stable_paid),
                100.0 * (double)hs_keeper_report_average_discount(&r) / ATOMICS,
                (unsigned long long)r.txs, (unsigned long long)(r.gas_used / HS_GAS_MULTIPLIER));
    }
    fprintf(f,
            "\n## Invariants (a violation stops the demo with the numbers)\n\n"
            "| invariant | times checked | skipped (query gas limit) |\n| --- | ---: | ---: |\n");
    for (size_t i = 0; i < DEMO_INVARIANTS; i++)
        if (run->inv[i].name)
            fprintf(f, "| %s | %llu | %llu |\n", run->inv[i].name,
                    (unsigned long long)run->inv[i].checks,
                    (unsigned long long)run->inv_skipped[i]);
    fprintf(f, "\nFiles: `gas.md`, `timeseries.csv`%s.\n",
            run->opt.plots ? ", `prices.png`, `collateral_ratio.png`, `debt_in_auction.png`, "
                             "`bad_debt.png` (from `plots.gp`)"
                           : "");
    fclose(f);
    printf("\n");
    summary_table(run, stdout);
    printf("\n");
}

/* plots.gp: columns by the header's names; run by gnuplot from the report directory. */
static void write_plots(const demo_run *run) {
    const demo *d = &run->d;
    FILE *f = open_out(run, "plots.gp");
    fprintf(f, "# Ballast demo plots (written by ballast-demo): gnuplot plots.gp in the report "
               "directory.\nset datafile separator ','\nset terminal pngcairo size 1100,650 "
               "font ',10'\nset grid\nset xlabel 'simulated hours'\nset key top right\n");
    fprintf(f,
            "set output 'prices.png'\nset multiplot layout %zu,1 title 'Oracle price per "
            "market (USD per unit, seed %llu)'\n",
            d->m->market_count, (unsigned long long)run->opt.seed);
    for (size_t mi = 0; mi < d->m->market_count; mi++) {
        fprintf(f, "set ylabel 'USD'\nplot");
        bool first = true;
        for (size_t i = 0; i < d->denom_count; i++) {
            if (d->denoms[i].market != (int)mi) continue;
            fprintf(f,
                    "%s 'timeseries.csv' using 'hours':'price_%s' with lines lw 2 title "
                    "'%s (market %s)'",
                    first ? "" : ",", d->denoms[i].denom, d->denoms[i].denom, d->m->markets[mi].id);
            first = false;
        }
        fprintf(f, "\n");
    }
    fprintf(f, "unset multiplot\n");
    fprintf(f, "set output 'collateral_ratio.png'\nset title 'System collateral ratio (collateral "
               "in positions at oracle prices / total debt)'\nset ylabel '%%'\n"
               "plot 'timeseries.csv' using 'hours':(100*column('collateral_ratio')) with lines "
               "lw 2 title 'collateral ratio'\n");
    fprintf(f, "set output 'debt_in_auction.png'\nset title 'Debt in auction'\n"
               "set ylabel 'BUSD'\nset y2label 'live auctions'\nset y2tics\n"
               "plot 'timeseries.csv' using 'hours':'debt_in_auction' with lines lw 2 title "
               "'debt in auction (BUSD)', '' using 'hours':'live_auctions' axes x1y2 with lines "
               "title 'live auctions', '' using 'hours':'pool_absorbed' with lines title "
               "'absorbed by the pool (cumulative BUSD)'\nunset y2tics\nunset y2label\n");
    fprintf(f, "set output 'bad_debt.png'\nset title 'Bad debt, deficit and surplus'\n"
               "set ylabel 'BUSD'\nplot 'timeseries.csv' using 'hours':'bad_debt' with lines lw 2 "
               "title 'bad debt', '' using 'hours':'deficit' with lines lw 2 title 'deficit', '' "
               "using 'hours':'surplus_available' with lines title 'surplus available', '' using "
               "'hours':'keeper_rewards' with lines title 'keeper rewards paid'\n");
    fclose(f);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cd '%s' && gnuplot plots.gp", run->opt.report_dir);
    if (system(cmd) != 0) demo_die("gnuplot failed (%s)", cmd);
    static const char *const pngs[] = {"prices.png", "collateral_ratio.png", "debt_in_auction.png",
                                       "bad_debt.png"};
    for (size_t i = 0; i < 4; i++) {
        char path[1100];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", run->opt.report_dir, pngs[i]);
        if (stat(path, &st) != 0 || st.st_size == 0) demo_die("gnuplot wrote no %s", path);
    }
}

void demo_write_report(demo_run *run) {
    write_csv(run);
    write_gas(run);
    write_summary(run);
    if (run->opt.plots) write_plots(run);
}
