/* main.c — build/bin/cdp-deploy, the deploy tool's command line: `validate` and `show` (the
 * manifest alone), `plan`, `apply [--broadcast]`, `proposals`, `execute ID`, `status` (against
 * the manifest's target and the deployment record). Reference: deploy/DEPLOY.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deploy.h"
#include "manifest.h"

static int usage(void) {
    fputs("usage: cdp-deploy validate MANIFEST\n"
          "       cdp-deploy show MANIFEST\n"
          "       cdp-deploy plan MANIFEST [OPTIONS]\n"
          "       cdp-deploy apply MANIFEST [--broadcast] [OPTIONS]\n"
          "       cdp-deploy proposals MANIFEST [OPTIONS]\n"
          "       cdp-deploy execute MANIFEST ID [OPTIONS]\n"
          "       cdp-deploy status MANIFEST [OPTIONS]\n"
          "options: --state DIR (local devnet state, default the manifest's target.state_dir)\n"
          "         --records DIR (deployment records, default deployments)\n"
          "         --time-advance SECONDS (local devnet only: move block time first)\n",
          stderr);
    return 2;
}

static dep_manifest *load_or_report(const char *path) {
    dep_errors errs = {0};
    dep_manifest *m = dep_manifest_load(path, &errs);
    if (!m) {
        for (size_t i = 0; i < errs.count; i++) fprintf(stderr, "%s\n", errs.items[i]);
        fprintf(stderr, "%s: invalid manifest (%zu error%s)\n", path, errs.count,
                errs.count == 1 ? "" : "s");
    }
    dep_errors_free(&errs);
    return m;
}

static void row(const char *path, const char *human, const char *onchain) {
    printf("%-52s %-14s %s\n", path, human, onchain);
}

static void row_dec(const char *path, const dep_decimal *d) {
    row(path, d->text, d->onchain);
}

static void row_amount(const char *path, const dep_amount *a) {
    row(path, a->text, a->onchain);
}

static void row_dur(const char *path, const dep_duration *d) {
    char s[32];
    snprintf(s, sizeof s, "%llu", (unsigned long long)d->seconds);
    row(path, d->text, s);
}

static void show(const dep_manifest *m) {
    char p[256];
    row("parameter", "manifest", "on-chain");
    row_dur("oracle.max_age", &m->oracle.max_age);
    row_dec("oracle.max_move", &m->oracle.max_move);
    row_dur("oracle.delay", &m->oracle.delay);
    for (size_t i = 0; i < m->oracle.feeder_count; i++) {
        snprintf(p, sizeof p, "oracle.feeders[%zu]", i);
        row(p, m->oracle.feeders[i].text, m->oracle.feeders[i].address);
    }
    row_amount("engine.global_debt_ceiling", &m->engine.global_debt_ceiling);
    row_amount("engine.global_auction_debt_limit", &m->engine.global_auction_debt_limit);
    row_amount("engine.keeper_tip", &m->engine.keeper_tip);
    row_dec("engine.keeper_fee", &m->engine.keeper_fee);
    row_amount("engine.keeper_reward_cap", &m->engine.keeper_reward_cap);
    for (size_t i = 0; i < m->market_count; i++) {
        const dep_market *mk = &m->markets[i];
        const dep_auction *a = &mk->auction;
#define P(fmt, ...) (snprintf(p, sizeof p, "markets[%s]." fmt, mk->id, __VA_ARGS__), p)
        row_dec(P("%s", "stability_fee"), &mk->stability_fee);
        row_amount(P("%s", "debt_ceiling"), &mk->debt_ceiling);
        row_amount(P("%s", "min_debt"), &mk->min_debt);
        row_amount(P("%s", "auction_debt_limit"), &mk->auction_debt_limit);
        for (size_t k = 0; k < mk->collateral_count; k++) {
            const dep_collateral *c = &mk->collaterals[k];
            row_dec(P("%s.max_ltv", c->asset), &c->max_ltv);
            row_dec(P("%s.liquidation_threshold", c->asset), &c->liquidation_threshold);
            row_dec(P("%s.liquidation_penalty", c->asset), &c->liquidation_penalty);
            row_amount(P("%s.supply_cap", c->asset), &c->supply_cap);
        }
        if (a->curve == DEP_CURVE_LINEAR) {
            row_dur(P("%s", "auction.curve.duration"), &a->duration);
        } else {
            row_dur(P("%s", "auction.curve.step"), &a->step);
            row_dec(P("%s", "auction.curve.cut"), &a->cut);
        }
        row_dec(P("%s", "auction.start_buffer"), &a->start_buffer);
        row_dur(P("%s", "auction.max_duration"), &a->max_duration);
        row_dec(P("%s", "auction.reset_threshold"), &a->reset_threshold);
        row_amount(P("%s", "auction.dust"), &a->dust);
        row_dec(P("%s", "auction.backstop_health"), &a->backstop_health);
#undef P
    }
    row("governance.proposer", m->governance.proposer.text, m->governance.proposer.address);
    const dep_governance *g = &m->governance;
    row("governance.guardian", g->guardian.text ? g->guardian.text : "null",
        g->guardian.address ? g->guardian.address : "none");
    row("governance.emergency", g->emergency.text ? g->emergency.text : "null",
        g->emergency.address ? g->emergency.address : "none");
    row_dur("governance.min_delay", &m->governance.min_delay);
    row_dur("governance.max_delay", &m->governance.max_delay);
    row_dur("governance.grace_period", &m->governance.grace_period);
}

static int run_command(int argc, char **argv) {
    const char *cmd = argv[1];
    dep_options o = {.out = stdout, .err = stderr};
    const char *manifest = NULL, *id_text = NULL;
    bool needs_id = strcmp(cmd, "execute") == 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--broadcast") && !strcmp(cmd, "apply")) {
            o.broadcast = true;
        } else if (!strcmp(a, "--state") && i + 1 < argc) {
            o.state_dir = argv[++i];
        } else if (!strcmp(a, "--records") && i + 1 < argc) {
            o.records_dir = argv[++i];
        } else if (!strcmp(a, "--time-advance") && i + 1 < argc) {
            char *end;
            o.time_advance = strtoull(argv[++i], &end, 10);
            if (*end || !*argv[i]) return usage();
        } else if (a[0] == '-') {
            return usage();
        } else if (!manifest) {
            manifest = a;
        } else if (needs_id && !id_text) {
            id_text = a;
        } else {
            return usage();
        }
    }
    if (!manifest || (needs_id && !id_text)) return usage();
    uint64_t id = 0;
    if (id_text) {
        char *end;
        id = strtoull(id_text, &end, 10);
        if (*end || !*id_text) return usage();
    }
    const char *stop = getenv("CDP_DEPLOY_STOP_AFTER");
    if (stop && *stop) o.stop_after = (unsigned)strtoul(stop, NULL, 10);
    dep_manifest *m = load_or_report(manifest);
    if (!m) return 1;
    int rc;
    if (!strcmp(cmd, "plan"))
        rc = dep_cmd_plan(m, &o);
    else if (!strcmp(cmd, "apply"))
        rc = dep_cmd_apply(m, &o);
    else if (!strcmp(cmd, "proposals"))
        rc = dep_cmd_proposals(m, &o);
    else if (!strcmp(cmd, "execute"))
        rc = dep_cmd_execute(m, id, &o);
    else
        rc = dep_cmd_status(m, &o);
    dep_manifest_free(m);
    return rc;
}

int main(int argc, char **argv) {
    if (argc >= 3) {
        static const char *const commands[] = {"plan", "apply", "proposals", "execute", "status"};
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (!strcmp(argv[1], commands[i])) return run_command(argc, argv);
    }
    if (argc != 3) return usage();
    bool is_show = strcmp(argv[1], "show") == 0;
    if (!is_show && strcmp(argv[1], "validate") != 0) return usage();
    dep_manifest *m = load_or_report(argv[2]);
    if (!m) return 1;
    if (is_show) {
        show(m);
    } else {
        size_t collaterals = 0;
        for (size_t i = 0; i < m->market_count; i++) collaterals += m->markets[i].collateral_count;
        printf("ok %s: chain %s, target %s, %zu markets, %zu collaterals, %zu oracle assets, "
               "manifest hash %s\n",
               argv[2], m->chain_id, m->target.kind == DEP_TARGET_LOCAL ? "local" : "network",
               m->market_count, collaterals, m->oracle.asset_count, m->hash_hex);
        if (!m->target.supported)
            printf("note: target network is accepted but cdp-deploy cannot deploy to it yet\n");
    }
    dep_manifest_free(m);
    return 0;
}
