/* cdp_system.c — test support (cdp_system.h): deploys oracle (chain-sourced prices), stable_token,
 * vault_engine, liquidator, backstop_pool and settlement on a host-sim chain and wires them as
 * contracts/SOLVENCY.md §1 says; shared actions and readings for the system tests and the scale
 * benchmark. */
#define _GNU_SOURCE /* vasprintf */
#include "cdp_system.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ORACLE_WASM "build/contracts/oracle.wasm"
#define TOKEN_WASM "build/contracts/stable_token.wasm"
#define ENGINE_WASM "build/contracts/vault_engine.wasm"
#define LIQUIDATOR_WASM "build/contracts/liquidator.wasm"
#define POOL_WASM "build/contracts/backstop_pool.wasm"
#define SETTLEMENT_WASM "build/contracts/settlement.wasm"

static char ERR[2048];

const char *cdp_error(void) {
    return ERR;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ERR, sizeof ERR, fmt, ap);
    va_end(ap);
    return -1;
}

static char *vfmt(const char *fmt, va_list ap) {
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) abort();
    return s;
}

/* --- Numbers ---------------------------------------------------------------------------------- */

bool cdp_json_u128(json_t *o, const char *key, cdp_u128 *out) {
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (cdp_u128)json_integer_value(v);
        return true;
    }
    return json_is_string(v) && hs_u128_from_text(json_string_value(v), out);
}

/* --- Chain helpers ---------------------------------------------------------------------------- */

hs_result cdp_exec(cdp_system *s, const char *sender, const char *contract, const char *denom,
                   cdp_u128 amount, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    char amt[40];
    hs_u128_format(amount, amt);
    hs_coin coin = {denom, amt};
    hs_result r = hs_execute(s->chain, contract, sender, msg, denom ? &coin : NULL, denom ? 1 : 0);
    if (!r.ok) snprintf(ERR, sizeof ERR, "execute %s: %s", msg, r.error ? r.error : "?");
    free(msg);
    return r;
}

json_t *cdp_query(cdp_system *s, const char *contract, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_query(s->chain, contract, msg);
    json_t *j = NULL;
    if (!r.ok)
        fail("query %s: %s", msg, r.error ? r.error : "?");
    else if (!(j = json_loads(r.answer, 0, NULL)))
        fail("query %s: not JSON: %s", msg, r.answer);
    hs_result_free(&r);
    free(msg);
    return j;
}

/* Run a transaction; 0 when it succeeded, else -1 with its error in ERR. */
static int ok(hs_result r) {
    int rc = r.ok ? 0 : -1;
    hs_result_free(&r);
    return rc;
}

hs_result cdp_send_stable(cdp_system *s, const char *sender, const char *contract, cdp_u128 amount,
                          const char *hook) {
    size_t len = strlen(hook);
    size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(cap);
    if (!b64) abort();
    sodium_bin2base64(b64, cap, (const unsigned char *)hook, len, sodium_base64_VARIANT_ORIGINAL);
    char amt[40];
    hs_u128_format(amount, amt);
    hs_result r = cdp_exec(s, sender, s->token, NULL, 0,
                           "{\"send\":{\"contract\":\"%s\",\"amount\":\"%s\",\"msg\":\"%s\"}}",
                           contract, amt, b64);
    free(b64);
    return r;
}

static int store(hs_chain *chain, const char *path, uint64_t *code) {
    FILE *f = fopen(path, "rb");
    if (!f) return fail("cannot open %s (run make first)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *w = malloc((size_t)n);
    if (!w || fread(w, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(w);
        return fail("cannot read %s", path);
    }
    fclose(f);
    hs_result r = hs_store_code(chain, "deployer", w, (size_t)n);
    free(w);
    int rc = r.ok ? 0 : fail("store %s: %s", path, r.error);
    *code = r.code_id;
    hs_result_free(&r);
    return rc;
}

static int instantiate(cdp_system *s, uint64_t code, char out[128], const char *label,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int instantiate(cdp_system *s, uint64_t code, char out[128], const char *label,
                       const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_instantiate(s->chain, code, s->gov, msg, NULL, 0, label, s->gov);
    int rc = r.ok ? 0 : fail("instantiate %s %s: %s", label, msg, r.error);
    if (r.ok) snprintf(out, 128, "%s", r.address);
    hs_result_free(&r);
    free(msg);
    return rc;
}

/* --- Parameters ------------------------------------------------------------------------------- */

cdp_market cdp_market_default(void) {
    cdp_market m = {
        .id = "atom",
        .stability_fee = "0",
        .debt_ceiling = "1000000000000000",
        .min_debt = "100",
        .auction_debt_limit = "1000000000000000",
        .collateral = {"uatom", "0.5", "0.6", "0.1", "1000000000000000000"},
        .price = "10",
        .auction = {.curve = "linear",
                    .duration = 3600,
                    .step = 60,
                    .cut = "0.99",
                    .start_buffer = "1.2",
                    .max_duration = 7200,
                    .reset_threshold = "0.5",
                    .dust = "0",
                    .backstop_health = "0"},
    };
    return m;
}

void cdp_params_default(cdp_params *p) {
    static cdp_market market;
    market = cdp_market_default();
    *p = (cdp_params){.global_debt_ceiling = "1000000000000000",
                      .global_auction_debt_limit = "1000000000000000",
                      .keeper_tip = "0",
                      .keeper_fee = "0",
                      .keeper_reward_cap = "0",
                      .markets = &market,
                      .n_markets = 1};
}

/* --- Deploy ----------------------------------------------------------------------------------- */

static int add_market(cdp_system *s, const cdp_market *m) {
    char *err = NULL;
    if (hs_oracle_set_price(s->chain, m->collateral.denom, m->price, &err)) {
        fail("oracle price %s: %s", m->collateral.denom, err ? err : "?");
        free(err);
        return -1;
    }
    const cdp_collateral *c = &m->collateral;
    if (ok(cdp_exec(s, s->gov, s->engine, NULL, 0,
                    "{\"create_market\":{\"id\":\"%s\",\"stability_fee\":\"%s\",\"debt_ceiling\":"
                    "\"%s\",\"min_debt\":\"%s\",\"auction_debt_limit\":\"%s\"}}",
                    m->id, m->stability_fee, m->debt_ceiling, m->min_debt,
                    m->auction_debt_limit)) ||
        ok(cdp_exec(s, s->gov, s->engine, NULL, 0,
                    "{\"add_collateral\":{\"market\":\"%s\",\"asset\":\"%s\",\"kind\":\"native\","
                    "\"oracle_denom\":\"%s\",\"max_ltv\":\"%s\",\"liquidation_threshold\":\"%s\","
                    "\"liquidation_penalty\":\"%s\",\"supply_cap\":\"%s\"}}",
                    m->id, c->denom, c->denom, c->max_ltv, c->liquidation_threshold,
                    c->liquidation_penalty, c->supply_cap)))
        return -1;
    const cdp_auction_params *a = &m->auction;
    char curve[128];
    if (strcmp(a->curve, "linear") == 0)
        snprintf(curve, sizeof curve, "{\"linear\":{\"duration\":%llu}}",
                 (unsigned long long)a->duration);
    else
        snprintf(curve, sizeof curve, "{\"exponential\":{\"step\":%llu,\"cut\":\"%s\"}}",
                 (unsigned long long)a->step, a->cut);
    return ok(cdp_exec(s, s->gov, s->liquidator, NULL, 0,
                       "{\"set_market_params\":{\"market\":\"%s\",\"curve\":%s,\"start_buffer\":"
                       "\"%s\",\"max_duration\":%llu,\"reset_threshold\":\"%s\",\"dust\":\"%s\","
                       "\"backstop_health\":\"%s\"}}",
                       m->id, curve, a->start_buffer, (unsigned long long)a->max_duration,
                       a->reset_threshold, a->dust, a->backstop_health));
}

int cdp_deploy(hs_chain *chain, const cdp_params *p, cdp_system *s) {
    memset(s, 0, sizeof *s);
    s->chain = chain;
    hs_address(chain, "governance", s->gov, sizeof s->gov);
    uint64_t oracle, token, engine, liquidator, pool = 0, settlement = 0;
    bool has_pool = access(POOL_WASM, R_OK) == 0,
         has_settlement = access(SETTLEMENT_WASM, R_OK) == 0;
    if (store(chain, ORACLE_WASM, &oracle) || store(chain, TOKEN_WASM, &token) ||
        store(chain, ENGINE_WASM, &engine) || store(chain, LIQUIDATOR_WASM, &liquidator) ||
        (has_pool && store(chain, POOL_WASM, &pool)) ||
        (has_settlement && store(chain, SETTLEMENT_WASM, &settlement)))
        return -1;
    /* Oracle: every market's collateral read from the chain's oracle module (hs_oracle_set_*),
     * fresh for a year (set_price keeps updated_at at the time it was set). */
    char assets[2048] = "";
    for (size_t i = 0; i < p->n_markets; i++) {
        size_t n = strlen(assets);
        snprintf(assets + n, sizeof assets - n, "%s{\"denom\":\"%s\",\"source\":\"chain\"}",
                 i ? "," : "", p->markets[i].collateral.denom);
    }
    if (instantiate(s, oracle, s->oracle, "oracle",
                    "{\"governance\":\"%s\",\"feeders\":[\"%s\"],\"quorum\":1,\"max_age\":"
                    "31536000,\"max_move\":\"1000\",\"delay\":0,\"assets\":[%s]}",
                    s->gov, s->gov, assets) ||
        instantiate(s, token, s->token, "stable_token",
                    "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
                    "\"initial_balances\":[],\"mint\":{\"minter\":\"%s\"}}",
                    s->gov) ||
        instantiate(s, engine, s->engine, "vault_engine",
                    "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\","
                    "\"global_debt_ceiling\":\"%s\",\"global_auction_debt_limit\":\"%s\","
                    "\"keeper_tip\":\"%s\",\"keeper_fee\":\"%s\",\"keeper_reward_cap\":\"%s\"}",
                    s->gov, s->token, s->oracle, p->global_debt_ceiling,
                    p->global_auction_debt_limit, p->keeper_tip, p->keeper_fee,
                    p->keeper_reward_cap) ||
        ok(cdp_exec(s, s->gov, s->token, NULL, 0, "{\"update_minter\":{\"new_minter\":\"%s\"}}",
                    s->engine)) ||
        instantiate(s, liquidator, s->liquidator, "liquidator",
                    "{\"governance\":\"%s\",\"engine\":\"%s\",\"stable_token\":\"%s\","
                    "\"oracle\":\"%s\"}",
                    s->gov, s->engine, s->token, s->oracle))
        return -1;
    if (has_pool && (instantiate(s, pool, s->pool, "backstop_pool",
                                 "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"engine\":\"%s\","
                                 "\"liquidator\":\"%s\"}",
                                 s->gov, s->token, s->engine, s->liquidator) ||
                     ok(cdp_exec(s, s->gov, s->liquidator, NULL, 0,
                                 "{\"update_config\":{\"backstop_pool\":\"%s\"}}", s->pool))))
        return -1;
    if (has_settlement &&
        instantiate(s, settlement, s->settlement, "settlement",
                    "{\"engine\":\"%s\",\"stable_token\":\"%s\"}", s->engine, s->token))
        return -1;
    char wiring[1024];
    int n =
        snprintf(wiring, sizeof wiring, "{\"update_config\":{\"liquidator\":\"%s\"", s->liquidator);
    if (has_pool)
        n += snprintf(wiring + n, sizeof wiring - (size_t)n, ",\"backstop_pool\":\"%s\"", s->pool);
    if (has_settlement)
        n += snprintf(wiring + n, sizeof wiring - (size_t)n, ",\"settlement\":\"%s\"",
                      s->settlement);
    snprintf(wiring + n, sizeof wiring - (size_t)n, "}}");
    if (ok(cdp_exec(s, s->gov, s->engine, NULL, 0, "%s", wiring))) return -1;
    for (size_t i = 0; i < p->n_markets; i++)
        if (add_market(s, &p->markets[i])) return -1;
    return 0;
}

/* --- Actions ---------------------------------------------------------------------------------- */

int cdp_fund(cdp_system *s, const char *who, const char *denom, cdp_u128 amount) {
    char amt[40];
    hs_u128_format(amount, amt);
    hs_coin coin = {denom, amt};
    char *err = NULL;
    if (hs_mint(s->chain, who, &coin, 1, &err)) {
        fail("mint %s %s to %s: %s", amt, denom, who, err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

int cdp_open(cdp_system *s, const char *owner, const cdp_market *m, cdp_u128 collateral,
             cdp_u128 borrow, uint64_t *id) {
    if (cdp_fund(s, owner, m->collateral.denom, collateral)) return -1;
    hs_result r = cdp_exec(s, owner, s->engine, m->collateral.denom, collateral,
                           "{\"open_position\":{\"market\":\"%s\"}}", m->id);
    if (!r.ok || !r.data) {
        hs_result_free(&r);
        return -1;
    }
    unsigned char raw[32];
    size_t n = 0;
    int bad = sodium_base642bin(raw, sizeof raw - 1, r.data, strlen(r.data), NULL, &n, NULL,
                                sodium_base64_VARIANT_ORIGINAL);
    hs_result_free(&r);
    if (bad) return fail("open_position: bad data");
    raw[n] = 0;
    *id = strtoull((char *)raw, NULL, 10);
    if (borrow == 0) return 0;
    char amt[40];
    hs_u128_format(borrow, amt);
    return ok(cdp_exec(s, owner, s->engine, NULL, 0,
                       "{\"borrow\":{\"position_id\":%llu,\"amount\":\"%s\"}}",
                       (unsigned long long)*id, amt));
}

int cdp_pool_deposit(cdp_system *s, const char *who, cdp_u128 amount) {
    if (!s->pool[0]) return fail("no backstop_pool deployed");
    return ok(cdp_send_stable(s, who, s->pool, amount, "{\"deposit\":{}}"));
}

/* --- Readings --------------------------------------------------------------------------------- */

int cdp_stable_balance(cdp_system *s, const char *who, cdp_u128 *out) {
    char addr[128];
    hs_address(s->chain, who, addr, sizeof addr);
    json_t *j = cdp_query(s, s->token, "{\"balance\":{\"address\":\"%s\"}}", addr);
    if (!j) return -1;
    bool good = cdp_json_u128(j, "balance", out);
    json_decref(j);
    return good ? 0 : fail("balance answer without balance");
}

int cdp_stable_supply(cdp_system *s, cdp_u128 *out) {
    json_t *j = cdp_query(s, s->token, "{\"token_info\":{}}");
    if (!j) return -1;
    bool good = cdp_json_u128(j, "total_supply", out);
    json_decref(j);
    return good ? 0 : fail("token_info without total_supply");
}

int cdp_native_balance(cdp_system *s, const char *who, const char *denom, cdp_u128 *out) {
    char amount[64];
    if (hs_balance(s->chain, who, denom, amount, sizeof amount) || !hs_u128_from_text(amount, out))
        return fail("bank balance of %s in %s", who, denom);
    return 0;
}

int cdp_read_ledger(cdp_system *s, cdp_ledger *out) {
    memset(out, 0, sizeof *out);
    json_t *t = cdp_query(s, s->engine, "{\"totals\":{}}");
    if (!t) return -1;
    json_t *tr = cdp_query(s, s->engine, "{\"treasury\":{}}");
    if (!tr) {
        json_decref(t);
        return -1;
    }
    bool good =
        cdp_json_u128(t, "total_debt", &out->total_debt) &&
        cdp_json_u128(t, "minted", &out->minted) && cdp_json_u128(t, "burned", &out->burned) &&
        cdp_json_u128(tr, "surplus", &out->surplus) && cdp_json_u128(tr, "spent", &out->spent) &&
        cdp_json_u128(tr, "bad_debt", &out->bad_debt) &&
        cdp_json_u128(tr, "auction_debt", &out->auction_debt) &&
        cdp_json_u128(tr, "settled", &out->settled) &&
        cdp_json_u128(tr, "surplus_available", &out->surplus_available) &&
        cdp_json_u128(tr, "deficit", &out->deficit);
    cdp_json_u128(t, "redeemed", &out->redeemed);
    char *dump = good ? NULL : json_dumps(t, JSON_COMPACT);
    json_decref(t);
    json_decref(tr);
    if (!good) {
        fail("engine totals/treasury lack a ledger term: %s", dump ? dump : "?");
        free(dump);
        return -1;
    }
    return 0;
}

static int identity_of(cdp_system *s, const char *name, const char *contract) {
    if (!contract[0]) return 0;
    json_t *j = cdp_query(s, contract, "{\"accounting\":{}}");
    if (!j) return -1;
    json_t *h = json_object_get(j, "identity_holds");
    bool holds = json_is_true(h);
    char *dump = holds ? NULL : json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!holds) {
        fail("%s accounting: identity does not hold: %s", name, dump ? dump : "?");
        free(dump);
        return -1;
    }
    return 0;
}

int cdp_identities_hold(cdp_system *s) {
    return identity_of(s, "vault_engine", s->engine) ||
                   identity_of(s, "liquidator", s->liquidator) ||
                   identity_of(s, "backstop_pool", s->pool) ||
                   identity_of(s, "settlement", s->settlement)
               ? -1
               : 0;
}
