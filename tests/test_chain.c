/* test_chain.c — the simulated chain through its public API (hostsim.h): store/instantiate/
 * execute/query/migrate/sudo with stable_token, cw20-base and the scriptable probe contract
 * (tests/wasm/chain_probe.wat), bank messages, submessages with every reply_on, atomic rollback,
 * nested layers, gas determinism, persistence (and the chain id a state keeps), the next contract
 * address, snapshots and oracle price paths. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "hostsim.h"

#ifndef HS_TEST_WASM_DIR
#define HS_TEST_WASM_DIR "build/tests/wasm"
#endif
#define PROBE HS_TEST_WASM_DIR "/chain_probe.wasm"
#define STABLE_TOKEN "build/contracts/stable_token.wasm"
#define CW20_BASE "node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm"

/* --- Helpers ---------------------------------------------------------------------------------- */

static uint8_t *read_all(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s (run make first)", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    uint8_t *b = malloc(*n);
    cr_assert(fread(b, 1, *n, f) == *n);
    fclose(f);
    return b;
}

static hs_chain *open_chain(const char *state_dir, uint64_t gas_limit) {
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.state_dir = state_dir;
    cfg.cache_dir = "build/cache";
    if (gas_limit) cfg.tx_gas_limit = gas_limit;
    hs_chain *c;
    char *err = NULL;
    cr_assert_eq(hs_chain_open(&cfg, &c, &err), 0, "open: %s", err ? err : "");
    return c;
}

static uint64_t store(hs_chain *c, const char *path) {
    size_t n;
    uint8_t *w = read_all(path, &n);
    hs_result r = hs_store_code(c, "alice", w, n);
    free(w);
    cr_assert(r.ok, "store %s: %s", path, r.error);
    uint64_t id = r.code_id;
    hs_result_free(&r);
    return id;
}

/* Instantiate a probe; returns the address (static buffer per slot). */
static const char *probe(hs_chain *c, uint64_t code, int slot, const char *admin) {
    static char addrs[8][128];
    hs_result r = hs_instantiate(c, code, "alice", "", NULL, 0, "probe", admin);
    cr_assert(r.ok, "instantiate: %s", r.error);
    snprintf(addrs[slot], sizeof addrs[slot], "%s", r.address);
    hs_result_free(&r);
    return addrs[slot];
}

static char *b64(const char *s) {
    size_t len = strlen(s), cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(cap);
    sodium_bin2base64(out, cap, (const uint8_t *)s, len, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

/* Raw storage value of a probe key ("" when absent), malloc'd. */
static char *raw(hs_chain *c, const char *contract, const char *key) {
    char *k = b64(key), *req;
    cr_assert(asprintf(&req, "{\"wasm\":{\"raw\":{\"contract_addr\":\"%s\",\"key\":\"%s\"}}}",
                       contract, k) > 0);
    hs_result r = hs_query_request(c, req);
    cr_assert(r.ok, "raw query: %s", r.error);
    char *v = strdup(r.answer);
    hs_result_free(&r);
    free(req);
    free(k);
    return v;
}

static void assert_raw(hs_chain *c, const char *contract, const char *key, const char *want) {
    char *v = raw(c, contract, key);
    cr_assert_str_eq(v, want, "key %s", key);
    free(v);
}

static void assert_balance(hs_chain *c, const char *who, const char *denom, const char *want) {
    char out[64];
    cr_assert_eq(hs_balance(c, who, denom, out, sizeof out), 0);
    cr_assert_str_eq(out, want, "%s %s", who, denom);
}

static void mint(hs_chain *c, const char *to, const char *denom, const char *amount) {
    hs_coin coin = {denom, amount};
    char *err = NULL;
    cr_assert_eq(hs_mint(c, to, &coin, 1, &err), 0, "%s", err ? err : "");
}

static hs_result exec(hs_chain *c, const char *contract, const char *fmt, ...) {
    char *msg;
    va_list ap;
    va_start(ap, fmt);
    cr_assert(vasprintf(&msg, fmt, ap) > 0);
    va_end(ap);
    hs_result r = hs_execute(c, contract, "alice", msg, NULL, 0);
    free(msg);
    return r;
}

/* A probe Response with one submessage. */
static hs_result exec_submsg(hs_chain *c, const char *parent, const char *child,
                             const char *child_msg, const char *reply_on) {
    char *m = b64(child_msg);
    hs_result r =
        exec(c, parent,
             "O{\"messages\":[{\"id\":7,\"msg\":{\"wasm\":{\"execute\":{\"contract_addr\":"
             "\"%s\",\"msg\":\"%s\",\"funds\":[]}}},\"gas_limit\":null,\"reply_on\":"
             "\"%s\"}],\"attributes\":[],\"events\":[],\"data\":null}",
             child, m, reply_on);
    free(m);
    return r;
}

/* --- Real contracts --------------------------------------------------------------------------- */

static void token_flow(const char *wasm) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, wasm);
    char alice[128], bob[128], msg[512];
    hs_address(c, "alice", alice, sizeof alice);
    hs_address(c, "bob", bob, sizeof bob);
    snprintf(msg, sizeof msg,
             "{\"name\":\"Stable\",\"symbol\":\"STBL\",\"decimals\":6,\"initial_balances\":[{"
             "\"address\":\"%s\",\"amount\":\"1000\"}],\"mint\":{\"minter\":\"%s\"}}",
             alice, alice);
    hs_result r = hs_instantiate(c, code, "alice", msg, NULL, 0, "token", "alice");
    cr_assert(r.ok, "instantiate: %s", r.error);
    cr_assert_str_eq(r.address, "wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d");
    char token[128];
    snprintf(token, sizeof token, "%s", r.address);
    hs_result_free(&r);

    r = exec(c, token, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"10\"}}", bob);
    cr_assert(r.ok, "transfer: %s", r.error);
    cr_assert(strstr(r.events, "{\"type\":\"execute\",\"attributes\":[{\"key\":\"_contract_"
                               "address\",\"value\":\"wasm14hj2"));
    cr_assert(strstr(r.events, "{\"key\":\"action\",\"value\":\"transfer\"}"));
    cr_assert(strstr(r.response, "\"attributes\":[{\"key\":\"action\",\"value\":\"transfer\"}"));
    cr_assert_gt(r.gas_used, 0);
    cr_assert_eq(r.sdk_gas_used, (r.gas_used + HS_GAS_MULTIPLIER - 1) / HS_GAS_MULTIPLIER);
    hs_result_free(&r);

    snprintf(msg, sizeof msg, "{\"balance\":{\"address\":\"%s\"}}", bob);
    r = hs_query(c, token, msg);
    cr_assert(r.ok, "query: %s", r.error);
    cr_assert_str_eq(r.answer, "{\"balance\":\"10\"}");
    hs_result_free(&r);

    r = exec(c, token, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"100000\"}}", bob);
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "execute wasm contract failed"), "%s", r.error);
    hs_result_free(&r);
    snprintf(msg, sizeof msg, "{\"balance\":{\"address\":\"%s\"}}", alice);
    r = hs_query(c, token, msg);
    cr_assert_str_eq(r.answer, "{\"balance\":\"990\"}");
    hs_result_free(&r);
    hs_chain_close(c);
}

Test(chain, cw20_base_instantiate_transfer_query) {
    token_flow(CW20_BASE);
}

Test(chain, stable_token_instantiate_transfer_query) {
    token_flow(STABLE_TOKEN);
}

Test(chain, store_rejects_invalid_wasm_with_violation_lines) {
    hs_chain *c = open_chain(NULL, 0);
    size_t n;
    uint8_t *w = read_all(HS_TEST_WASM_DIR "/float_op.wasm", &n);
    hs_result r = hs_store_code(c, "alice", w, n);
    free(w);
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "float operator"), "%s", r.error);
    cr_assert(strstr(r.error, "create wasm contract failed"), "%s", r.error);
    hs_result_free(&r);
    /* The failed store used no code id. */
    cr_assert_eq(store(c, PROBE), 1);
    hs_chain_close(c);
}

/* --- Calls, Env, errors, rollback ---------------------------------------------------------- */

Test(chain, execute_passes_env_and_info_json) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *p = probe(c, code, 0, NULL);
    mint(c, "alice", "uatom", "100");
    hs_coin funds = {"uatom", "5"};
    hs_result r = hs_execute(c, p, "alice", "hello", &funds, 1);
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    char *env, *want, alice[128];
    hs_address(c, "alice", alice, sizeof alice);
    cr_assert(asprintf(&want,
                       "{\"block\":{\"height\":1,\"time\":\"1700000000000000000\",\"chain_id\":"
                       "\"ballast-local\"},\"transaction\":{\"index\":0},\"contract\":{\"address\":"
                       "\"%s\"}}",
                       p) > 0);
    env = raw(c, p, "env");
    cr_assert_str_eq(env, want);
    free(env);
    free(want);
    cr_assert(asprintf(&want,
                       "{\"sender\":\"%s\",\"funds\":[{\"denom\":\"uatom\",\"amount\":\"5\"}]}",
                       alice) > 0);
    env = raw(c, p, "info");
    cr_assert_str_eq(env, want);
    free(env);
    free(want);
    assert_raw(c, p, "last", "hello");
    assert_balance(c, p, "uatom", "5");
    hs_chain_close(c);
}

Test(chain, execute_error_rolls_back_balances_storage_events) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *p = probe(c, code, 0, NULL);
    mint(c, "alice", "uatom", "100");
    hs_result r = exec(c, p, "first");
    hs_result_free(&r);
    hs_coin funds = {"uatom", "40"};
    r = hs_execute(c, p, "alice", "Eboom 1200 > 1000", &funds, 1);
    cr_assert(!r.ok);
    cr_assert_str_eq(r.error, "boom 1200 > 1000: execute wasm contract failed");
    cr_assert_null(r.events);
    cr_assert_gt(r.gas_used, 0);
    hs_result_free(&r);
    assert_raw(c, p, "last", "first");
    assert_balance(c, "alice", "uatom", "100");
    assert_balance(c, p, "uatom", "0");
    hs_chain_close(c);
}

Test(chain, trap_becomes_error_result) {
    hs_chain *c = open_chain(NULL, 0);
    const char *p = probe(c, store(c, PROBE), 0, NULL);
    hs_result r = exec(c, p, "T");
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "RuntimeError"), "%s", r.error);
    cr_assert(strstr(r.error, "execute wasm contract failed"), "%s", r.error);
    hs_result_free(&r);
    assert_raw(c, p, "last", "");
    hs_chain_close(c);
}

Test(chain, migrate_admin_only_and_sudo) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE), code2 = store(c, PROBE);
    cr_assert_eq(code2, 2);
    const char *p = probe(c, code, 0, "alice");
    hs_result r = hs_migrate(c, p, "bob", code2, "m1");
    cr_assert(!r.ok);
    cr_assert_str_eq(r.error, "can not migrate: unauthorized");
    hs_result_free(&r);
    r = hs_migrate(c, p, "alice", code2, "m2");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"type\":\"migrate\""));
    cr_assert(strstr(r.events, "{\"key\":\"code_id\",\"value\":\"2\"}"));
    hs_result_free(&r);
    assert_raw(c, p, "migrated", "m2");
    char *req;
    cr_assert(asprintf(&req, "{\"wasm\":{\"contract_info\":{\"contract_addr\":\"%s\"}}}", p) > 0);
    r = hs_query_request(c, req);
    free(req);
    cr_assert(r.ok, "%s", r.error);
    char alice[128], *want;
    hs_address(c, "alice", alice, sizeof alice);
    cr_assert(asprintf(&want,
                       "{\"code_id\":2,\"creator\":\"%s\",\"admin\":\"%s\",\"pinned\":false,"
                       "\"ibc_port\":null}",
                       alice, alice) > 0);
    cr_assert_str_eq(r.answer, want);
    free(want);
    hs_result_free(&r);
    /* No admin: nobody may migrate. */
    const char *q = probe(c, code, 1, NULL);
    r = hs_migrate(c, q, "alice", code2, "m3");
    cr_assert(!r.ok);
    hs_result_free(&r);

    r = hs_sudo(c, p, "from governance");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"type\":\"sudo\""));
    hs_result_free(&r);
    assert_raw(c, p, "last", "from governance");
    hs_chain_close(c);
}

/* --- Bank messages ---------------------------------------------------------------------------- */

Test(chain, contract_bank_send_and_burn) {
    hs_chain *c = open_chain(NULL, 0);
    const char *p = probe(c, store(c, PROBE), 0, NULL);
    mint(c, p, "uatom", "100");
    char bob[128];
    hs_address(c, "bob", bob, sizeof bob);
    hs_result r =
        exec(c, p,
             "O{\"messages\":[{\"id\":0,\"msg\":{\"bank\":{\"send\":{\"to_address\":\"%s\","
             "\"amount\":[{\"denom\":\"uatom\",\"amount\":\"30\"}]}}},\"reply_on\":"
             "\"never\"},{\"id\":0,\"msg\":{\"bank\":{\"burn\":{\"amount\":[{\"denom\":"
             "\"uatom\",\"amount\":\"20\"}]}}},\"reply_on\":\"never\"}]}",
             bob);
    cr_assert(r.ok, "%s", r.error);
    char *want;
    cr_assert(asprintf(&want,
                       "{\"type\":\"transfer\",\"attributes\":[{\"key\":\"recipient\",\"value\":"
                       "\"%s\"},{\"key\":\"sender\",\"value\":\"%s\"},{\"key\":\"amount\","
                       "\"value\":\"30uatom\"}]}",
                       bob, p) > 0);
    cr_assert(strstr(r.events, want), "%s", r.events);
    cr_assert(strstr(r.events, "{\"type\":\"burn\""), "%s", r.events);
    /* Order: execute, then the send's events, then the burn's. */
    cr_assert(strstr(r.events, "\"execute\"") < strstr(r.events, "\"transfer\""));
    cr_assert(strstr(r.events, "\"transfer\"") < strstr(r.events, "\"burn\""));
    free(want);
    hs_result_free(&r);
    assert_balance(c, p, "uatom", "50");
    assert_balance(c, "bob", "uatom", "30");
    hs_result s = hs_query_request(c, "{\"bank\":{\"supply\":{\"denom\":\"uatom\"}}}");
    cr_assert_str_eq(s.answer, "{\"amount\":{\"denom\":\"uatom\",\"amount\":\"80\"}}");
    hs_result_free(&s);

    /* Sending more than the contract holds fails the whole transaction. */
    r = exec(c, p,
             "O{\"messages\":[{\"id\":0,\"msg\":{\"bank\":{\"send\":{\"to_address\":\"%s\","
             "\"amount\":[{\"denom\":\"uatom\",\"amount\":\"51\"}]}}},\"reply_on\":\"never\"}]}",
             bob);
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "insufficient funds"), "%s", r.error);
    hs_result_free(&r);
    assert_balance(c, p, "uatom", "50");
    hs_chain_close(c);
}

/* --- Submessages and replies ---------------------------------------------------------------- */

Test(chain, submsg_never_child_error_aborts_tx) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    hs_result r = exec_submsg(c, a, b, "Echild failed", "never");
    cr_assert(!r.ok);
    cr_assert_str_eq(r.error, "child failed: execute wasm contract failed");
    hs_result_free(&r);
    assert_raw(c, a, "last", "");
    assert_raw(c, b, "last", "");
    assert_raw(c, a, "reply", "");
    hs_chain_close(c);
}

Test(chain, submsg_error_child_error_keeps_parent_writes) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    hs_result r = exec_submsg(c, a, b, "Echild failed", "error");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "{\"type\":\"reply\""), "%s", r.events);
    hs_result_free(&r);
    char *last = raw(c, a, "last");
    cr_assert(!strncmp(last, "O{\"messages\"", 12));
    free(last);
    assert_raw(c, b, "last", ""); /* the child's write was discarded */
    char *reply = raw(c, a, "reply");
    cr_assert(!strncmp(reply, "{\"id\":7,\"gas_used\":", 19), "%s", reply);
    cr_assert(strstr(reply, ",\"result\":{\"error\":\"codespace: wasm, code: 5\"}}"), "%s", reply);
    free(reply);
    hs_chain_close(c);
}

Test(chain, submsg_error_child_success_no_reply) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    hs_result r = exec_submsg(c, a, b, "child ok", "error");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_null(strstr(r.events, "\"reply\""));
    hs_result_free(&r);
    assert_raw(c, b, "last", "child ok");
    assert_raw(c, a, "reply", "");
    hs_chain_close(c);
}

Test(chain, submsg_success_reply_gets_events_and_overrides_data) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    hs_result r = exec(c, a,
                       "S{\"ok\":{\"messages\":[],\"attributes\":[],\"events\":[],"
                       "\"data\":\"cmVwbHk=\"}}");
    hs_result_free(&r);
    r = exec_submsg(c, a, b,
                    "O{\"attributes\":[{\"key\":\"k\",\"value\":\"v\"}],\"data\":\"Y2hpbGQ=\"}",
                    "success");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(r.data, "cmVwbHk=");
    cr_assert(strstr(r.response, "\"data\":null"), "%s", r.response);
    hs_result_free(&r);
    char *reply = raw(c, a, "reply"), *want;
    cr_assert(asprintf(&want,
                       "\"result\":{\"ok\":{\"events\":[{\"type\":\"execute\",\"attributes\":[{"
                       "\"key\":\"_contract_address\",\"value\":\"%s\"}]},{\"type\":\"wasm\","
                       "\"attributes\":[{\"key\":\"_contract_address\",\"value\":\"%s\"},{\"key\":"
                       "\"k\",\"value\":\"v\"}]}],\"data\":\"CgVjaGlsZA==\",\"msg_responses\":[{"
                       "\"type_url\":\"/cosmwasm.wasm.v1.MsgExecuteContractResponse\",\"value\":"
                       "\"CgVjaGlsZA==\"}]}}}",
                       b, b) > 0);
    cr_assert(strstr(reply, want), "%s\nwant %s", reply, want);
    free(want);
    free(reply);
    hs_chain_close(c);
}

Test(chain, submsg_success_child_error_aborts_tx) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    hs_result r = exec_submsg(c, a, b, "Enope", "success");
    cr_assert(!r.ok);
    cr_assert_str_eq(r.error, "nope: execute wasm contract failed");
    hs_result_free(&r);
    assert_raw(c, a, "last", "");
    hs_chain_close(c);
}

Test(chain, submsg_always_replies_on_both) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    hs_result r = exec_submsg(c, a, b, "fine", "always");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    char *reply = raw(c, a, "reply");
    cr_assert(strstr(reply, "\"result\":{\"ok\":"), "%s", reply);
    free(reply);
    r = exec_submsg(c, a, b, "Ebad", "always");
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    reply = raw(c, a, "reply");
    cr_assert(strstr(reply, "\"result\":{\"error\":"), "%s", reply);
    free(reply);
    assert_raw(c, b, "last", "fine");
    hs_chain_close(c);
}

Test(chain, reply_error_aborts_tx) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    hs_result r = exec(c, a, "S{\"error\":\"reply refused\"}");
    hs_result_free(&r);
    r = exec_submsg(c, a, b, "fine", "success");
    cr_assert(!r.ok);
    cr_assert_str_eq(r.error, "reply refused: execute wasm contract failed");
    hs_result_free(&r);
    assert_raw(c, b, "last", "");
    hs_chain_close(c);
}

Test(chain, submsg_instantiate_and_custom_events) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL);
    hs_result r = exec(c, a,
                       "O{\"messages\":[{\"id\":1,\"msg\":{\"wasm\":{\"instantiate\":{\"admin\":"
                       "null,\"code_id\":1,\"msg\":\"aGk=\",\"funds\":[],\"label\":\"kid\"}}},"
                       "\"reply_on\":\"success\"}],\"events\":[{\"type\":\"minted\","
                       "\"attributes\":[{\"key\":\"amount\",\"value\":\"5\"}]}]}");
    cr_assert(r.ok, "%s", r.error);
    /* wasm-minted comes before the child's instantiate event. */
    char *ev = strstr(r.events, "{\"type\":\"wasm-minted\",\"attributes\":[{\"key\":\"_contract_"
                                "address\"");
    cr_assert(ev, "%s", r.events);
    cr_assert(strstr(ev, "{\"type\":\"instantiate\""), "%s", r.events);
    hs_result_free(&r);
    /* The reply carries MsgInstantiateContractResponse{address}. */
    char *reply = raw(c, a, "reply");
    cr_assert(strstr(reply, "/cosmwasm.wasm.v1.MsgInstantiateContractResponse"), "%s", reply);
    free(reply);
    hs_chain_close(c);
}

Test(chain, reserved_attribute_key_fails) {
    hs_chain *c = open_chain(NULL, 0);
    const char *p = probe(c, store(c, PROBE), 0, NULL);
    hs_result r = exec(c, p, "O{\"attributes\":[{\"key\":\"_x\",\"value\":\"1\"}]}");
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "reserved prefix"), "%s", r.error);
    hs_result_free(&r);
    hs_chain_close(c);
}

/* --- Gas ------------------------------------------------------------------------------------ */

Test(chain, gas_is_deterministic) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    uint64_t snap = hs_snapshot(c);
    hs_result r1 = exec_submsg(c, a, b, "x", "always");
    char *err = NULL;
    cr_assert_eq(hs_revert(c, snap, &err), 0, "%s", err ? err : "");
    hs_result r2 = exec_submsg(c, a, b, "x", "always");
    cr_assert(r1.ok && r2.ok);
    cr_assert_eq(r1.gas_used, r2.gas_used);
    cr_assert_eq(hs_last_gas_used(c), r2.gas_used);
    cr_assert_str_eq(r1.events, r2.events);
    hs_result_free(&r1);
    hs_result_free(&r2);
    hs_chain_close(c);
}

Test(chain, out_of_gas_rolls_back) {
    /* 70,000 SDK gas: above one instance cost (60,000), below two. */
    hs_chain *c = open_chain(NULL, 70000ull * HS_GAS_MULTIPLIER);
    uint64_t code = store(c, PROBE);
    const char *a = probe(c, code, 0, NULL), *b = probe(c, code, 1, NULL);
    hs_result r = exec_submsg(c, a, b, "x", "always");
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "out of gas"), "%s", r.error);
    cr_assert_eq(r.gas_used, 70000ull * HS_GAS_MULTIPLIER);
    hs_result_free(&r);
    assert_raw(c, a, "last", "");
    hs_chain_close(c);
}

/* --- Queries ---------------------------------------------------------------------------------- */

Test(chain, query_request_errors_as_wasmvm_serialises_them) {
    hs_chain *c = open_chain(NULL, 0);
    hs_result r = hs_query_request(c, "{\"staking\":{\"bonded_denom\":{}}}");
    cr_assert(!r.ok);
    cr_assert_str_eq(r.error, "{\"unsupported_request\":{\"kind\":\"staking\"}}");
    hs_result_free(&r);
    r = hs_query_request(
        c, "{\"wasm\":{\"smart\":{\"contract_addr\":\"wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcms"
           "tl4zr3txmfvw9s0phg4d\",\"msg\":\"e30=\"}}}");
    cr_assert(!r.ok);
    cr_assert_str_eq(r.error, "{\"no_such_contract\":{\"addr\":\"wasm14hj2tavq8fpesdwxxcu44rty3h"
                              "h90vhujrvcmstl4zr3txmfvw9s0phg4d\"}}");
    hs_result_free(&r);
    r = hs_query_request(c, "not json");
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "{\"invalid_request\":{\"error\":"), "%s", r.error);
    hs_result_free(&r);
    mint(c, "alice", "uatom", "7");
    char *req, alice[128];
    hs_address(c, "alice", alice, sizeof alice);
    cr_assert(asprintf(&req, "{\"bank\":{\"all_balances\":{\"address\":\"%s\"}}}", alice) > 0);
    r = hs_query_request(c, req);
    free(req);
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(r.answer, "{\"amount\":[{\"denom\":\"uatom\",\"amount\":\"7\"}]}");
    hs_result_free(&r);
    hs_chain_close(c);
}

/* --- Persistence and snapshots ------------------------------------------------------------- */

Test(chain, state_dir_persists_across_close_open) {
    char dir[] = "/tmp/hs-chain-XXXXXX";
    cr_assert(mkdtemp(dir));
    hs_chain *c = open_chain(dir, 0);
    uint64_t code = store(c, PROBE);
    char p[128];
    snprintf(p, sizeof p, "%s", probe(c, code, 0, "alice"));
    hs_result r = exec(c, p, "persisted");
    hs_result_free(&r);
    mint(c, "bob", "uatom", "11");
    hs_block_advance(c, 3, 0);
    cr_assert_eq(hs_oracle_set_price(c, "uatom", "9.75", NULL), 0);
    hs_chain_close(c);

    c = open_chain(dir, 0);
    cr_assert_eq(hs_block_height(c), 4);
    cr_assert_eq(hs_block_time_ns(c), 1700000000000000000ull + 15000000000ull);
    assert_raw(c, p, "last", "persisted");
    assert_balance(c, "bob", "uatom", "11");
    cr_assert_eq(store(c, PROBE), 2); /* the code sequence continued */
    hs_result q = hs_instantiate(c, code, "alice", "", NULL, 0, "second", NULL);
    cr_assert(q.ok, "%s", q.error);
    cr_assert_str_neq(q.address, p); /* instance 2, not 1 again */
    hs_result_free(&q);
    q = hs_query_request(c, "{\"custom\":{\"oracle\":{\"price\":{\"denom\":\"uatom\"}}}}");
    cr_assert_str_eq(q.answer, "{\"price\":\"9.75\",\"updated_at\":\"1700000015000000000\"}");
    hs_result_free(&q);
    hs_chain_close(c);
    char *cmd;
    cr_assert(asprintf(&cmd, "rm -rf %s", dir) > 0);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
}

/* hs_chain_id: the configured id (default "ballast-local") for a new chain; a persisted state
 * keeps the id it was created with, whatever a later open asks for. */
Test(chain, chain_id_configured_and_kept_by_a_state_dir) {
    hs_chain *c = open_chain(NULL, 0);
    cr_assert_str_eq(hs_chain_id(c), "ballast-local");
    hs_chain_close(c);
    char dir[] = "/tmp/hs-chain-XXXXXX";
    cr_assert(mkdtemp(dir));
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.state_dir = dir;
    cfg.cache_dir = "build/cache";
    cfg.chain_id = "first-1";
    char *err = NULL;
    cr_assert_eq(hs_chain_open(&cfg, &c, &err), 0, "open: %s", err ? err : "");
    cr_assert_str_eq(hs_chain_id(c), "first-1");
    hs_chain_close(c);
    cfg.chain_id = "second-2";
    cr_assert_eq(hs_chain_open(&cfg, &c, &err), 0, "open: %s", err ? err : "");
    cr_assert_str_eq(hs_chain_id(c), "first-1");
    hs_chain_close(c);
    char *cmd;
    cr_assert(asprintf(&cmd, "rm -rf %s", dir) > 0);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
}

/* hs_next_contract_address: the address the next instantiation gets — wasmd's classic address
 * of (code 1, instance 1) on a fresh chain; it follows the contract sequence (also an
 * instantiation by a contract's submessage) and depends on the code id; a short buffer is -1. */
Test(chain, next_contract_address_predicts_instantiations) {
    hs_chain *c = open_chain(NULL, 0);
    char next[128], other[128], tiny[8];
    cr_assert_eq(hs_next_contract_address(c, 1, next, sizeof next), 0);
    cr_assert_str_eq(next, "wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d");
    uint64_t code = store(c, PROBE);
    cr_assert_eq(code, 1);
    const char *a = probe(c, code, 0, NULL);
    cr_assert_str_eq(a, next);
    cr_assert_eq(hs_next_contract_address(c, 1, next, sizeof next), 0);
    cr_assert_eq(hs_next_contract_address(c, 2, other, sizeof other), 0);
    cr_assert_str_neq(next, a);
    cr_assert_str_neq(next, other);
    cr_assert_eq(hs_next_contract_address(c, 1, tiny, sizeof tiny), -1);
    /* the probe instantiates code 1 through a submessage: instance 2 is the predicted one */
    hs_result r = exec(c, a,
                       "O{\"messages\":[{\"id\":1,\"msg\":{\"wasm\":{\"instantiate\":{\"admin\":"
                       "null,\"code_id\":1,\"msg\":\"aGk=\",\"funds\":[],\"label\":\"kid\"}}},"
                       "\"reply_on\":\"never\"}]}");
    cr_assert(r.ok, "%s", r.error);
    char *want = NULL;
    cr_assert(asprintf(&want,
                       "{\"type\":\"instantiate\",\"attributes\":[{\"key\":\"_contract_"
                       "address\",\"value\":\"%s\"}",
                       next) > 0);
    cr_assert(strstr(r.events, want), "%s lacks %s", r.events, want);
    free(want);
    hs_result_free(&r);
    cr_assert_eq(hs_next_contract_address(c, 1, other, sizeof other), 0);
    cr_assert_str_neq(other, next);
    r = hs_instantiate(c, code, "alice", "", NULL, 0, "third", NULL);
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(r.address, other);
    hs_result_free(&r);
    hs_chain_close(c);
}

Test(chain, snapshot_revert_restores_everything) {
    hs_chain *c = open_chain(NULL, 0);
    uint64_t code = store(c, PROBE);
    const char *p = probe(c, code, 0, NULL);
    mint(c, "alice", "uatom", "10");
    uint64_t snap = hs_snapshot(c);
    cr_assert_neq(snap, 0);
    hs_result r = exec(c, p, "after");
    hs_result_free(&r);
    mint(c, "alice", "uatom", "5");
    hs_block_advance(c, 2, 0);
    cr_assert_eq(store(c, PROBE), 2);
    char *err = NULL;
    cr_assert_eq(hs_revert(c, snap, &err), 0, "%s", err ? err : "");
    assert_raw(c, p, "last", "");
    assert_balance(c, "alice", "uatom", "10");
    cr_assert_eq(hs_block_height(c), 1);
    cr_assert_eq(store(c, PROBE), 2); /* code 2 was reverted, so the id is reused */
    /* Reverting twice to the same snapshot works. */
    cr_assert_eq(hs_revert(c, snap, &err), 0);
    cr_assert_eq(hs_revert(c, 999, &err), -1);
    cr_assert_str_eq(err, "no snapshot 999");
    free(err);
    hs_chain_close(c);
}

/* --- Oracle ---------------------------------------------------------------------------------- */

static void assert_price(hs_chain *c, const char *denom, const char *want) {
    char *req;
    cr_assert(asprintf(&req, "{\"custom\":{\"oracle\":{\"price\":{\"denom\":\"%s\"}}}}", denom) >
              0);
    hs_result r = hs_query_request(c, req);
    free(req);
    cr_assert(r.ok, "%s", r.error);
    cr_assert(!strncmp(r.answer, want, strlen(want)), "got %s want %s", r.answer, want);
    hs_result_free(&r);
}

Test(chain, oracle_set_price_and_step_path) {
    hs_chain *c = open_chain(NULL, 0);
    char *err = NULL;
    cr_assert_eq(hs_oracle_set_price(c, "uatom", "9.750000", &err), 0);
    assert_price(c, "uatom", "{\"price\":\"9.75\",\"updated_at\":\"1700000000000000000\"}");
    cr_assert_eq(hs_oracle_set_price(c, "uatom", "1.0000000000000000001", &err), -1);
    free(err);
    cr_assert_eq(hs_oracle_set_path(c, "uatom",
                                    "{\"kind\":\"step\",\"points\":[[0,\"10\"],[10,\"8.5\"],[30,"
                                    "\"12\"]]}",
                                    &err),
                 0, "%s", err ? err : "");
    assert_price(c, "uatom", "{\"price\":\"10\",");
    hs_block_advance(c, 1, 5);
    assert_price(c, "uatom", "{\"price\":\"10\",");
    hs_block_advance(c, 1, 5);
    assert_price(c, "uatom", "{\"price\":\"8.5\",\"updated_at\":\"1700000010000000000\"}");
    hs_block_advance(c, 1, 100);
    assert_price(c, "uatom", "{\"price\":\"12\",\"updated_at\":\"1700000030000000000\"}");
    hs_result r =
        hs_query_request(c, "{\"custom\":{\"oracle\":{\"price\":{\"denom\":\"uosmo\"}}}}");
    cr_assert(!r.ok);
    cr_assert_str_eq(r.error, "oracle: no price for denom uosmo");
    hs_result_free(&r);
    hs_chain_close(c);
}

Test(chain, oracle_linear_path_exact) {
    hs_chain *c = open_chain(NULL, 0);
    char *err = NULL;
    cr_assert_eq(hs_oracle_set_path(
                     c, "uatom", "{\"kind\":\"linear\",\"points\":[[0,\"10\"],[30,\"11\"]]}", &err),
                 0);
    hs_block_advance(c, 1, 10);
    assert_price(c, "uatom", "{\"price\":\"10.333333333333333333\",\"updated_at\":\"1700000010");
    hs_block_advance(c, 1, 10);
    assert_price(c, "uatom", "{\"price\":\"10.666666666666666666\",");
    hs_block_advance(c, 1, 60);
    assert_price(c, "uatom", "{\"price\":\"11\",");
    hs_chain_close(c);
}

Test(chain, oracle_gbm_reproducible_for_a_seed) {
    char prices[2][3][128];
    for (int run = 0; run < 2; run++) {
        hs_chain *c = open_chain(NULL, 0);
        char *err = NULL;
        cr_assert_eq(hs_oracle_set_path(c, "uatom",
                                        "{\"kind\":\"gbm\",\"start\":\"10\",\"drift\":\"0.0\","
                                        "\"volatility\":\"0.8\",\"seed\":7,\"step_seconds\":60}",
                                        &err),
                     0, "%s", err ? err : "");
        for (int i = 0; i < 3; i++) {
            hs_block_advance(c, 1, 600);
            hs_result r =
                hs_query_request(c, "{\"custom\":{\"oracle\":{\"price\":{\"denom\":\"uatom\"}}}}");
            cr_assert(r.ok);
            snprintf(prices[run][i], sizeof prices[run][i], "%s", r.answer);
            hs_result_free(&r);
        }
        hs_chain_close(c);
    }
    for (int i = 0; i < 3; i++) cr_assert_str_eq(prices[0][i], prices[1][i]);
    cr_assert_str_neq(prices[0][0], prices[0][1]);
    cr_assert(strstr(prices[0][0], "\"updated_at\":\"1700000600000000000\""), "%s", prices[0][0]);
}

Test(chain, oracle_csv_replay) {
    char path[] = "/tmp/hs-prices-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char csv[] = "seconds,price\n0,5\n20,5.5\n40,4.25\n";
    cr_assert_eq(write(fd, csv, sizeof csv - 1), (ssize_t)(sizeof csv - 1));
    close(fd);
    hs_chain *c = open_chain(NULL, 0);
    char *json, *err = NULL;
    cr_assert(asprintf(&json, "{\"kind\":\"csv\",\"file\":\"%s\"}", path) > 0);
    cr_assert_eq(hs_oracle_set_path(c, "uatom", json, &err), 0, "%s", err ? err : "");
    free(json);
    assert_price(c, "uatom", "{\"price\":\"5\",");
    hs_block_advance(c, 5, 0); /* 25 s */
    assert_price(c, "uatom", "{\"price\":\"5.5\",");
    hs_block_advance(c, 4, 0); /* 45 s */
    assert_price(c, "uatom", "{\"price\":\"4.25\",");
    hs_chain_close(c);
    unlink(path);
}
