/* demo_deploy.c — deploy the whole system of a manifest (deploy/networks/local.json) on the
 * demo's devnet with the manifest's own messages (deploy/src/manifest_msgs.c), wired as
 * contracts/SOLVENCY.md §1 says: governance timelock, oracle, stable_token, the manifest's CW20
 * tokens, vault_engine with every market and collateral, liquidator with its auction parameters,
 * backstop_pool, settlement. Parameters are governed by the plain account "gov" so the demo can
 * set them at once (cdp-deploy apply wraps later changes in timelock proposals). */
#define _GNU_SOURCE
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest_msgs.h"

static uint64_t store(demo *d, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) demo_die("cannot open %s (run make first)", path);
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    rewind(f);
    uint8_t *w = malloc(n);
    if (fread(w, 1, n, f) != n) demo_die("cannot read %s", path);
    fclose(f);
    hs_result r = hs_store_code(d->chain, "gov", w, n);
    free(w);
    if (!r.ok) demo_die("store %s: %s", path, r.error);
    demo_gas_sample(d, "store_code", r.sdk_gas_used);
    uint64_t id = r.code_id;
    hs_result_free(&r);
    return id;
}

/* Instantiate with msg (stolen); the address into out. */
static void instantiate(demo *d, dep_contract_id which, json_t *msg, const char *label, char *out) {
    const char *source = d->m->sources[which];
    if (!source) demo_die("the manifest lists no %s", dep_contract_name(which));
    if (!msg) demo_die("no instantiate message for %s (an address is missing)", label);
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    hs_result r = hs_instantiate(d->chain, store(d, source), "gov", text, NULL, 0, label, d->gov);
    if (!r.ok) demo_die("instantiate %s: %s\n  message: %s", label, r.error, text);
    demo_gas_sample(d, "instantiate", r.sdk_gas_used);
    snprintf(out, DEMO_ADDR, "%s", r.address);
    free(text);
    hs_result_free(&r);
}

static void send(demo *d, const char *contract, json_t *msg) {
    if (!msg) demo_die("no message (an address is missing)");
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    demo_exec(d, "governance_setup", true, contract, "gov", text, NULL, 0);
    free(text);
}

/* Start price per base unit (stable base units) of the demo's known denoms; others $1. */
static double start_price(const char *denom, unsigned decimals) {
    static const struct {
        const char *denom;
        double usd;
    } known[] = {{"uatom", 10.0}, {"uosmo", 1.0}, {"stuosmo", 1.1}, {"wbtc", 40000.0}};
    double usd = 1.0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i].denom, denom) == 0) usd = known[i].usd;
    double scale = 1.0;
    for (unsigned k = 6; k < decimals; k++) scale /= 10.0;
    for (unsigned k = decimals; k < 6; k++) scale *= 10.0;
    return usd * scale;
}

static void collect_denoms(demo *d) {
    const dep_manifest *m = d->m;
    for (size_t i = 0; i < m->market_count; i++) {
        double first = 0;
        for (size_t k = 0; k < m->markets[i].collateral_count; k++) {
            const dep_collateral *c = &m->markets[i].collaterals[k];
            bool seen = false;
            for (size_t j = 0; j < d->denom_count; j++)
                if (strcmp(d->denoms[j].denom, c->oracle_denom) == 0) seen = true;
            if (seen) continue;
            if (d->denom_count == DEMO_MAX_DENOMS) demo_die("too many oracle denoms");
            demo_denom *dn = &d->denoms[d->denom_count++];
            dn->denom = c->oracle_denom;
            dn->decimals = c->decimals;
            dn->start = dn->price = start_price(c->oracle_denom, c->decimals);
            dn->market = (int)i;
            if (k == 0) first = dn->start;
            dn->ratio = first > 0 ? dn->start / first : 1.0;
            dn->feeders = false;
            for (size_t a = 0; a < m->oracle.asset_count; a++)
                if (strcmp(m->oracle.assets[a].denom, c->oracle_denom) == 0)
                    dn->feeders = m->oracle.assets[a].source == DEP_SOURCE_FEEDERS;
        }
    }
}

static void feeders(demo *d) {
    const dep_manifest *m = d->m;
    if (m->oracle.feeder_count > 8) demo_die("too many feeders");
    for (size_t i = 0; i < m->oracle.feeder_count; i++)
        snprintf(d->feeders[i], DEMO_ADDR, "%s", m->oracle.feeders[i].address);
    d->feeder_count = m->oracle.feeder_count;
}

/* contracts.<name>.address of a cdp-deploy record into out; dies when missing. */
static void record_address(json_t *contracts, const char *name, char *out, bool required) {
    json_t *a = json_object_get(json_object_get(contracts, name), "address");
    if (!json_is_string(a)) {
        if (required) demo_die("the deployment record has no contracts.%s.address", name);
        out[0] = '\0';
        return;
    }
    snprintf(out, DEMO_ADDR, "%s", json_string_value(a));
}

void demo_load_deployment(demo *d, const char *record_path) {
    json_error_t e;
    json_t *rec = json_load_file(record_path, 0, &e);
    if (!rec) demo_die("%s: %s (line %d)", record_path, e.text, e.line);
    json_t *steps = json_object_get(rec, "steps"), *it;
    size_t i;
    bool handed_over = false;
    json_array_foreach(steps, i, it) handed_over |= strcmp(json_string_value(it), "handover") == 0;
    if (!handed_over)
        demo_die("%s: the deployment is not complete (no handover step)", record_path);
    json_t *c = json_object_get(rec, "contracts");
    record_address(c, "governance", d->timelock, true);
    snprintf(d->gov, sizeof d->gov, "%s", d->timelock);
    record_address(c, "oracle", d->oracle, true);
    record_address(c, "stable_token", d->stable, true);
    record_address(c, "vault_engine", d->engine, true);
    record_address(c, "liquidator", d->liquidator, true);
    record_address(c, "backstop_pool", d->pool, d->m->backstop_pool_enabled);
    record_address(c, "settlement", d->settlement, false);
    if (d->m->token_count > 4) demo_die("too many tokens");
    for (size_t t = 0; t < d->m->token_count; t++) {
        char name[128];
        snprintf(name, sizeof name, "token:%s", d->m->tokens[t].id);
        record_address(c, name, d->tokens[t], true);
    }
    json_decref(rec);
    feeders(d);
    collect_denoms(d);
}

void demo_deploy(demo *d) {
    dep_manifest *m = d->m;
    hs_address(d->chain, "gov", d->gov, sizeof d->gov);
    feeders(d);

    instantiate(d, DEP_CONTRACT_GOVERNANCE, dep_msg_governance_instantiate(m), "governance",
                d->timelock);
    dep_system_addresses a = {.governance = d->gov};
    instantiate(d, DEP_CONTRACT_ORACLE, dep_msg_oracle_instantiate(m, &a), "oracle", d->oracle);
    a.oracle = d->oracle;
    instantiate(d, DEP_CONTRACT_STABLE_TOKEN, dep_msg_stable_token_instantiate(m, d->gov),
                "stable_token", d->stable);
    a.stable_token = d->stable;
    if (m->token_count > 4) demo_die("too many tokens");
    const char *tokens[4];
    for (size_t i = 0; i < m->token_count; i++) {
        instantiate(d, DEP_CONTRACT_CW20_BASE, dep_msg_token_instantiate(m, i), m->tokens[i].id,
                    d->tokens[i]);
        tokens[i] = d->tokens[i];
    }
    a.tokens = tokens;
    instantiate(d, DEP_CONTRACT_VAULT_ENGINE, dep_msg_engine_instantiate(m, &a), "vault_engine",
                d->engine);
    a.vault_engine = d->engine;
    for (size_t i = 0; i < m->market_count; i++) {
        send(d, d->engine, dep_msg_create_market(m, i));
        for (size_t k = 0; k < m->markets[i].collateral_count; k++)
            send(d, d->engine, dep_msg_add_collateral(m, i, k, &a));
    }
    instantiate(d, DEP_CONTRACT_LIQUIDATOR, dep_msg_liquidator_instantiate(m, &a), "liquidator",
                d->liquidator);
    a.liquidator = d->liquidator;
    if (m->backstop_pool_enabled) {
        instantiate(d, DEP_CONTRACT_BACKSTOP_POOL, dep_msg_backstop_pool_instantiate(m, &a),
                    "backstop_pool", d->pool);
        a.backstop_pool = d->pool;
        char wire[256];
        snprintf(wire, sizeof wire, "{\"update_config\":{\"backstop_pool\":\"%s\"}}", d->pool);
        send(d, d->liquidator, json_loads(wire, 0, NULL));
    }
    /* settlement has no manifest message: {"engine","stable_token"} (its SPEC §1). */
    json_t *s = json_pack("{s:s,s:s}", "engine", d->engine, "stable_token", d->stable);
    instantiate(d, DEP_CONTRACT_SETTLEMENT, s, "settlement", d->settlement);
    json_t *wire = json_pack("{s:{s:s,s:s}}", "update_config", "liquidator", d->liquidator,
                             "settlement", d->settlement);
    if (d->pool[0])
        json_object_set_new(json_object_get(wire, "update_config"), "backstop_pool",
                            json_string(d->pool));
    send(d, d->engine, wire);
    send(d, d->stable, json_pack("{s:{s:s}}", "update_minter", "new_minter", d->engine));
    for (size_t i = 0; i < m->market_count; i++)
        send(d, d->liquidator, dep_msg_set_market_params(m, i));
    send(d, d->liquidator, dep_msg_set_circuit_breaker(m));
    collect_denoms(d);
}
