/* test_governance.c — the governance timelock end to end on the host simulator with real .wasm:
 * roles (proposer, guardian, emergency, outsider), delay and expiry edges, the message
 * allow-list and canonical hash, failing executions that revert, parameter changes of the
 * vault engine and migrations of contracts administered by the timelock, self-administration,
 * and a cw3-flex-multisig (over a cw4-group) as the proposer. Spec: contracts/governance/SPEC.md.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hostsim.h"
#include "hs_fixture.h"

#define GOV_WASM "build/contracts/governance.wasm"
#define RELAY_WASM "build/test-contracts/relay.wasm"
#define ENGINE_WASM "build/contracts/vault_engine.wasm"
#define CW_PLUS "node_modules/@oraichain/common-contracts-build/data/"
#define CW20_WASM CW_PLUS "cw20-base.wasm"
#define CW4_GROUP CW_PLUS "cw4-group.wasm"
#define CW3_FLEX CW_PLUS "cw3-flex-multisig.wasm"

/* Delays of the standard timelock [s]. */
#define MIN_DELAY 100
#define MAX_DELAY 1000
#define GRACE 50
#define T0 1700000000ull /* genesis block time [s] */

/* --- Fixture ---------------------------------------------------------------------------------- */

static uint64_t GOV_CODE, RELAY_CODE;
static char TL[128], RELAY[128];
static char PROPOSER[128], GUARDIAN[128], EMERGENCY[128], OUTSIDER[128];

/* The value of attribute `key` in a result's Response (NULL when absent). */
static const char *attr(const hs_result *r, const char *key) {
    static char out[4][512];
    static int slot;
    json_t *j = json_loads(r->response, 0, NULL);
    cr_assert(j, "response %s", r->response);
    json_t *a = json_object_get(j, "attributes"), *it;
    size_t i;
    const char *found = NULL;
    json_array_foreach(a, i, it) {
        if (!strcmp(json_string_value(json_object_get(it, "key")), key)) {
            char *o = out[slot++ % 4];
            snprintf(o, 512, "%s", json_string_value(json_object_get(it, "value")));
            found = o;
        }
    }
    json_decref(j);
    return found;
}

static void sha256_hex(const char *s, char out[65]) {
    unsigned char sum[32];
    crypto_hash_sha256(sum, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, 65, sum, 32);
}

/* A wasm execute CosmosMsg of `inner` (JSON) on `contract` (caller frees). */
static char *exec_msg(const char *contract, const char *inner) {
    char *m = b64(inner), *s;
    cr_assert(asprintf(&s,
                       "{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\","
                       "\"funds\":[]}}}",
                       contract, m) > 0);
    free(m);
    return s;
}

/* Queue `msgs` (a JSON array text) as `sender` on `tl`; extra is appended inside the body. */
static hs_result queue_on(const char *tl, const char *sender, const char *msgs, const char *extra) {
    return ex(sender, tl, "{\"queue\":{\"title\":\"t\",\"msgs\":%s%s}}", msgs, extra ? extra : "");
}

/* Queue one execute of `inner` on the relay; returns the proposal id (from `data`). */
static int queue_relay(const char *inner) {
    char *m = exec_msg(RELAY, inner), *arr;
    cr_assert(asprintf(&arr, "[%s]", m) > 0);
    hs_result r = queue_on(TL, PROPOSER, arr, NULL);
    cr_assert(r.ok, "queue: %s", r.error);
    char *raw = unb64(r.data);
    int id = atoi(raw);
    cr_assert_str_eq(attr(&r, "proposal_id"), raw);
    free(raw);
    hs_result_free(&r);
    free(m);
    free(arr);
    return id;
}

static hs_result run(const char *sender, int id) {
    return ex(sender, TL, "{\"execute_proposal\":{\"id\":%d}}", id);
}

static void status_is(int id, const char *want) {
    json_t *j = qj(TL, "{\"proposal\":{\"id\":%d}}", id);
    expect_eq(j, "status", want);
    json_decref(j);
}

static void counts_are(const char *want) {
    json_t *j = qj(TL, "{\"counts\":{}}");
    char *d = json_dumps(j, JSON_COMPACT);
    cr_assert_str_eq(d, want);
    free(d);
    json_decref(j);
}

/* The relay's last recorded execute: "variant body sender". */
static void relay_last_is(const char *variant, const char *body) {
    json_t *j = qj(RELAY, "{\"last\":{}}");
    expect_eq(j, "variant", variant);
    expect_eq(j, "body", body);
    expect_eq(j, "sender", TL);
    json_decref(j);
}

static void advance_to(uint64_t t) {
    uint64_t now = hs_block_time_ns(C) / 1000000000ull;
    cr_assert(t >= now, "cannot go back to %llu from %llu", (unsigned long long)t,
              (unsigned long long)now);
    hs_block_advance(C, 1, t - now);
    cr_assert_eq(hs_block_time_ns(C) / 1000000000ull, t);
}

static void setup(void) {
    cr_assert(sodium_init() >= 0);
    open_chain("deployer");
    hs_address(C, "proposer", PROPOSER, sizeof PROPOSER);
    hs_address(C, "guardian", GUARDIAN, sizeof GUARDIAN);
    hs_address(C, "emergency", EMERGENCY, sizeof EMERGENCY);
    hs_address(C, "outsider", OUTSIDER, sizeof OUTSIDER);
    GOV_CODE = store_code(GOV_WASM);
    RELAY_CODE = store_code(RELAY_WASM);
    instantiate_with_admin(
        GOV_CODE, NULL, TL,
        "{\"proposer\":\"%s\",\"guardian\":\"%s\",\"emergency\":\"%s\",\"min_delay\":%d,"
        "\"max_delay\":%d,\"grace_period\":%d}",
        PROPOSER, GUARDIAN, EMERGENCY, MIN_DELAY, MAX_DELAY, GRACE);
    instantiate_with_admin(RELAY_CODE, TL, RELAY, "{}");
}

static void teardown(void) {
    close_chain();
}

TestSuite(governance, .init = setup, .fini = teardown, .timeout = 120);

/* --- Instantiate and config ------------------------------------------------------------------- */

Test(governance, instantiate_and_config_query) {
    json_t *j = qj(TL, "{\"config\":{}}");
    char *d = json_dumps(j, JSON_COMPACT);
    char *want;
    cr_assert(asprintf(&want,
                       "{\"proposer\":\"%s\",\"guardian\":\"%s\",\"emergency\":\"%s\","
                       "\"min_delay\":100,\"max_delay\":1000,\"grace_period\":50,"
                       "\"emergency_actions\":[\"set_circuit_breaker\",\"shutdown\",\"pause\"]}",
                       PROPOSER, GUARDIAN, EMERGENCY) > 0);
    cr_assert_str_eq(d, want);
    free(d);
    free(want);
    json_decref(j);
    counts_are("{\"next_id\":1,\"queued\":0,\"executed\":0,\"cancelled\":0,\"emergency_runs\":0,"
               "\"identity_holds\":true}");
}

Test(governance, instantiate_validates_config) {
    static const struct {
        const char *body, *error;
    } cases[] = {
        {"\"min_delay\":101,\"max_delay\":100,\"grace_period\":1",
         "invalid config: min_delay 101 > max_delay 100"},
        {"\"min_delay\":0,\"max_delay\":31536001,\"grace_period\":1",
         "invalid config: max_delay 31536001 > 31536000 (365 days)"},
        {"\"min_delay\":0,\"max_delay\":10,\"grace_period\":0",
         "invalid config: grace_period must be > 0"},
        {"\"min_delay\":0,\"max_delay\":10,\"grace_period\":31536001",
         "invalid config: grace_period 31536001 > 31536000 (365 days)"},
        {"\"min_delay\":-1,\"max_delay\":10,\"grace_period\":1",
         "invalid type for `min_delay`: expected an unsigned integer, got -1"},
        {"\"min_delay\":0,\"max_delay\":10,\"grace_period\":1,\"emergency_actions\":[\"Pause\"]",
         "invalid config: emergency action `Pause` must match [a-z0-9_]{1,64}"},
        {"\"min_delay\":0,\"max_delay\":10,\"grace_period\":1,\"emergency_actions\":[\"a\",\"a\"]",
         "invalid config: duplicate emergency action `a`"},
        {"\"min_delay\":0,\"max_delay\":10,\"grace_period\":1,\"extra\":1",
         "unknown field `extra`, expected one of `proposer`, `guardian`, `emergency`, "
         "`min_delay`, `max_delay`, `grace_period`, `emergency_actions`"},
        {"\"min_delay\":0,\"max_delay\":10", "missing field `grace_period`"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        fails(try_instantiate(GOV_CODE, NULL,
                              "{\"proposer\":\"%s\",\"guardian\":null,\"emergency\":null,%s}",
                              PROPOSER, cases[i].body),
              cases[i].error);
    /* guardian and emergency are required (null = none), so a config never drops one silently. */
    fails(try_instantiate(GOV_CODE, NULL,
                          "{\"proposer\":\"%s\",\"emergency\":null,\"min_delay\":0,\"max_delay\":0,"
                          "\"grace_period\":1}",
                          PROPOSER),
          "missing field `guardian`");
    fails(try_instantiate(
              GOV_CODE, NULL,
              "{\"proposer\":\"nope\",\"guardian\":null,\"emergency\":null,\"min_delay\":0,"
              "\"max_delay\":0,\"grace_period\":1}"),
          "addr_validate");
    /* The edges that are allowed: min_delay = max_delay = 0, an empty allow-list. */
    char addr[128];
    instantiate_with_admin(
        GOV_CODE, NULL, addr,
        "{\"proposer\":\"%s\",\"guardian\":null,\"emergency\":null,\"min_delay\":0,"
        "\"max_delay\":0,\"grace_period\":1,\"emergency_actions\":[]}",
        PROPOSER);
    json_t *j = qj(addr, "{\"config\":{}}");
    expect_eq(j, "guardian", "null");
    expect_eq(j, "emergency_actions", "[]");
    json_decref(j);
}

/* --- Roles ---------------------------------------------------------------------------------- */

Test(governance, only_the_proposer_queues) {
    char *m = exec_msg(RELAY, "{\"ping\":{}}"), *arr;
    cr_assert(asprintf(&arr, "[%s]", m) > 0);
    const char *others[] = {GUARDIAN, EMERGENCY, OUTSIDER, RELAY};
    for (int i = 0; i < 4; i++) {
        char want[256];
        snprintf(want, sizeof want, "unauthorized: proposer only (sender %s)", others[i]);
        fails(queue_on(TL, others[i], arr, NULL), want);
    }
    hs_result r = queue_on(TL, PROPOSER, arr, ",\"description\":\"why\"");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(r.data, "MQ=="); /* "1" */
    cr_assert_str_eq(attr(&r, "action"), "queue");
    cr_assert_str_eq(attr(&r, "proposer"), PROPOSER);
    cr_assert_str_eq(attr(&r, "msgs"), "1");
    cr_assert_str_eq(attr(&r, "delay"), "100");
    cr_assert_str_eq(attr(&r, "eta"), "1700000100");
    cr_assert_str_eq(attr(&r, "expires"), "1700000150");
    hs_result_free(&r);
    counts_are("{\"next_id\":2,\"queued\":1,\"executed\":0,\"cancelled\":0,\"emergency_runs\":0,"
               "\"identity_holds\":true}");
    json_t *j = qj(TL, "{\"proposal\":{\"id\":1}}");
    expect_eq(j, "description", "why");
    expect_eq(j, "queued_at", "1700000000");
    expect_eq(j, "closed_at", "null");
    json_decref(j);
    free(m);
    free(arr);
}

Test(governance, guardian_and_proposer_cancel_others_cannot) {
    int a = queue_relay("{\"a\":{}}"), b = queue_relay("{\"b\":{}}");
    char want[256];
    snprintf(want, sizeof want, "unauthorized: guardian or proposer only (sender %s)", OUTSIDER);
    fails(ex(OUTSIDER, TL, "{\"cancel\":{\"id\":%d}}", a), want);
    snprintf(want, sizeof want, "unauthorized: guardian or proposer only (sender %s)", EMERGENCY);
    fails(ex(EMERGENCY, TL, "{\"cancel\":{\"id\":%d}}", a), want);
    hs_result r = ex(GUARDIAN, TL, "{\"cancel\":{\"id\":%d}}", a);
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(attr(&r, "action"), "cancel");
    cr_assert_str_eq(attr(&r, "role"), "guardian");
    cr_assert_str_eq(attr(&r, "cancelled_by"), GUARDIAN);
    hs_result_free(&r);
    r = ex(PROPOSER, TL, "{\"cancel\":{\"id\":%d}}", b);
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(attr(&r, "role"), "proposer");
    hs_result_free(&r);
    status_is(a, "cancelled");
    status_is(b, "cancelled");
    fails(ex(GUARDIAN, TL, "{\"cancel\":{\"id\":%d}}", a),
          "cannot cancel proposal 1: it is cancelled");
    /* A cancelled proposal never executes, even inside its window. */
    advance_to(T0 + MIN_DELAY);
    fails(run(OUTSIDER, a), "cannot execute proposal 1: it is cancelled");
    fails(ex(GUARDIAN, TL, "{\"cancel\":{\"id\":99}}"), "proposal not found: 99");
    counts_are("{\"next_id\":3,\"queued\":0,\"executed\":0,\"cancelled\":2,\"emergency_runs\":0,"
               "\"identity_holds\":true}");
}

Test(governance, anyone_executes_once_and_guardian_cannot_cancel_after) {
    int id = queue_relay("{\"set_fee\":{\"fee\":\"0.02\"}}");
    advance_to(T0 + MIN_DELAY);
    hs_result r = run(OUTSIDER, id);
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(attr(&r, "action"), "execute_proposal");
    cr_assert_str_eq(attr(&r, "executor"), OUTSIDER);
    hs_result_free(&r);
    relay_last_is("set_fee", "{\"fee\":\"0.02\"}");
    status_is(id, "executed");
    json_t *j = qj(TL, "{\"proposal\":{\"id\":%d}}", id);
    expect_eq(j, "closed_at", "1700000100");
    json_decref(j);
    fails(run(PROPOSER, id), "cannot execute proposal 1: it is executed");
    fails(ex(GUARDIAN, TL, "{\"cancel\":{\"id\":%d}}", id),
          "cannot cancel proposal 1: it is executed");
    counts_are("{\"next_id\":2,\"queued\":0,\"executed\":1,\"cancelled\":0,\"emergency_runs\":0,"
               "\"identity_holds\":true}");
}

Test(governance, emergency_runs_only_allow_listed_actions) {
    char *pause = exec_msg(RELAY, "{\"pause\":{\"market\":\"atom\"}}");
    char *shutdown = exec_msg(RELAY, "{\"shutdown\":{}}");
    char *update = exec_msg(RELAY, "{\"update_market\":{\"id\":\"atom\"}}");
    char want[256];
    snprintf(want, sizeof want, "unauthorized: emergency role only (sender %s)", OUTSIDER);
    fails(ex(OUTSIDER, TL, "{\"emergency\":{\"msgs\":[%s]}}", pause), want);
    snprintf(want, sizeof want, "unauthorized: emergency role only (sender %s)", PROPOSER);
    fails(ex(PROPOSER, TL, "{\"emergency\":{\"msgs\":[%s]}}", pause), want);
    fails(ex(EMERGENCY, TL, "{\"emergency\":{\"msgs\":[%s,%s]}}", pause, update),
          "msgs[1]: `update_market` is not an emergency action (allowed: set_circuit_breaker, "
          "shutdown, pause)");
    fails(ex(EMERGENCY, TL,
             "{\"emergency\":{\"msgs\":[{\"wasm\":{\"migrate\":{\"contract_addr\":\"%s\","
             "\"new_code_id\":1,\"msg\":\"e30=\"}}}]}}",
             RELAY),
          "msgs[0]: wasm migrate is not allowed: emergency takes only wasm execute of an allowed "
          "action");
    fails(ex(EMERGENCY, TL,
             "{\"emergency\":{\"msgs\":[{\"bank\":{\"send\":{\"to_address\":\"%s\",\"amount\":"
             "[]}}}]}}",
             OUTSIDER),
          "msgs[0]: bank messages are not allowed: emergency takes only wasm execute");
    char *not_enum = exec_msg(RELAY, "[1]");
    fails(ex(EMERGENCY, TL, "{\"emergency\":{\"msgs\":[%s]}}", not_enum),
          "msgs[0]: emergency `msg` must be {\"<action>\":{…}}");
    json_t *nothing = qj(RELAY, "{\"last\":{}}");
    expect_eq(nothing, "variant", "null");
    json_decref(nothing);
    hs_result r = ex(EMERGENCY, TL, "{\"emergency\":{\"msgs\":[%s,%s]}}", pause, shutdown);
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(attr(&r, "action"), "emergency");
    cr_assert_str_eq(attr(&r, "emergency_actions"), "pause,shutdown");
    cr_assert_str_eq(attr(&r, "msgs"), "2");
    hs_result_free(&r);
    relay_last_is("shutdown", "{}");
    counts_are("{\"next_id\":1,\"queued\":0,\"executed\":0,\"cancelled\":0,\"emergency_runs\":1,"
               "\"identity_holds\":true}");
    /* Without a configured role nobody can use it. */
    char bare[128];
    instantiate_with_admin(
        GOV_CODE, NULL, bare,
        "{\"proposer\":\"%s\",\"guardian\":null,\"emergency\":null,\"min_delay\":0,"
        "\"max_delay\":0,\"grace_period\":1}",
        PROPOSER);
    fails(ex(EMERGENCY, bare, "{\"emergency\":{\"msgs\":[%s]}}", pause),
          "unauthorized: no emergency role is configured");
    free(pause);
    free(shutdown);
    free(update);
    free(not_enum);
}

/* --- Delays and expiry ------------------------------------------------------------------------ */

Test(governance, delay_is_at_least_min_and_at_most_max) {
    char *m = exec_msg(RELAY, "{\"x\":{}}"), *arr;
    cr_assert(asprintf(&arr, "[%s]", m) > 0);
    fails(queue_on(TL, PROPOSER, arr, ",\"delay\":1001"), "invalid delay: 1001 > max_delay 1000");
    hs_result r = queue_on(TL, PROPOSER, arr, ",\"delay\":5"); /* below min: min applies */
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(attr(&r, "delay"), "100");
    cr_assert_str_eq(attr(&r, "eta"), "1700000100");
    hs_result_free(&r);
    r = queue_on(TL, PROPOSER, arr, ",\"delay\":1000");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(attr(&r, "eta"), "1700001000");
    cr_assert_str_eq(attr(&r, "expires"), "1700001050");
    hs_result_free(&r);
    free(m);
    free(arr);
}

Test(governance, execution_window_edges) {
    int id = queue_relay("{\"edge\":{}}"); /* eta T0+100, expires T0+150 */
    advance_to(T0 + MIN_DELAY - 1);
    fails(run(OUTSIDER, id), "too early: proposal 1 eta 1700000100, now 1700000099");
    status_is(id, "queued");
    uint64_t before = hs_snapshot(C);
    advance_to(T0 + MIN_DELAY); /* exactly at eta */
    ok(run(OUTSIDER, id));
    relay_last_is("edge", "{}");
    char *err = NULL;
    cr_assert_eq(hs_revert(C, before, &err), 0, "%s", err ? err : "");
    advance_to(T0 + MIN_DELAY + GRACE - 1); /* last second of the window */
    uint64_t last = hs_snapshot(C);
    ok(run(OUTSIDER, id));
    status_is(id, "executed");
    cr_assert_eq(hs_revert(C, last, &err), 0, "%s", err ? err : "");
    advance_to(T0 + MIN_DELAY + GRACE); /* eta + grace exactly: expired */
    fails(run(OUTSIDER, id), "expired: proposal 1 expired at 1700000150, now 1700000150");
    status_is(id, "expired");
    fails(ex(GUARDIAN, TL, "{\"cancel\":{\"id\":%d}}", id),
          "cannot cancel proposal 1: it is expired");
    /* Expired is derived: the stored counter still holds it as queued. */
    counts_are("{\"next_id\":2,\"queued\":1,\"executed\":0,\"cancelled\":0,\"emergency_runs\":0,"
               "\"identity_holds\":true}");
}

/* --- What a proposal may contain -------------------------------------------------------------- */

Test(governance, proposal_messages_are_restricted) {
    char *good = exec_msg(RELAY, "{\"x\":{}}");
    static const struct {
        const char *msg, *error;
    } cases[] = {
        {"{\"bank\":{\"send\":{\"to_address\":\"%s\",\"amount\":[{\"denom\":\"u\",\"amount\":"
         "\"1\"}]}}}",
         "msgs[1]: bank messages are not allowed: a proposal takes only wasm execute, migrate and "
         "update_admin"},
        {"{\"wasm\":{\"instantiate\":{\"admin\":null,\"code_id\":1,\"msg\":\"e30=\",\"funds\":[],"
         "\"label\":\"%s\"}}}",
         "msgs[1]: wasm instantiate is not allowed: a proposal takes only wasm execute, migrate "
         "and update_admin"},
        {"{\"wasm\":{\"clear_admin\":{\"contract_addr\":\"%s\"}}}",
         "msgs[1]: wasm clear_admin is not allowed"},
        {"{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"e30=\",\"funds\":[{\"denom\":"
         "\"u\",\"amount\":\"1\"}]}}}",
         "msgs[1]: wasm execute funds must be empty: the timelock holds no funds"},
        {"{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"e30\",\"funds\":[]}}}",
         "msgs[1]: `msg` is not valid base64"},
        {"{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"bm90IGpzb24=\",\"funds\":[]}}"
         "}",
         "msgs[1]: `msg` is not JSON"},
        {"{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"e30=\"}}}",
         "msgs[1]: missing field `funds`"},
        {"{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"e30=\",\"funds\":[],\"x\":1}}"
         "}",
         "msgs[1]: unknown field `x`, expected one of `contract_addr`, `msg`, `funds`"},
        {"{\"wasm\":{\"migrate\":{\"contract_addr\":\"%s\",\"new_code_id\":\"1\",\"msg\":\"e30=\"}}"
         "}",
         "msgs[1]: invalid type for `new_code_id`: expected an unsigned integer"},
        {"{\"wasm\":{\"execute\":{\"contract_addr\":\"x%s\",\"msg\":\"e30=\",\"funds\":[]}}}",
         "msgs[1]: "},
        {"{\"wasm\":{},\"bank\":{},\"x\":\"%s\"}",
         "msgs[1]: invalid CosmosMsg: expected an object with exactly one key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char bad[512], arr[1024];
        snprintf(bad, sizeof bad, cases[i].msg, RELAY);
        snprintf(arr, sizeof arr, "[%s,%s]", good, bad);
        fails(queue_on(TL, PROPOSER, arr, NULL), cases[i].error);
    }
    fails(queue_on(TL, PROPOSER, "[]", NULL), "invalid msgs: expected 1 to 16 messages, got 0");
    char many[8192] = "[";
    for (int i = 0; i < 17; i++) {
        strcat(many, i ? "," : "");
        strcat(many, good);
    }
    strcat(many, "]");
    fails(queue_on(TL, PROPOSER, many, NULL), "invalid msgs: expected 1 to 16 messages, got 17");
    char arr[1024];
    snprintf(arr, sizeof arr, "[%s]", good);
    fails(ex(PROPOSER, TL, "{\"queue\":{\"title\":\"\",\"msgs\":%s}}", arr),
          "invalid title: must be 1 to 140 bytes, got 0");
    fails(ex(PROPOSER, TL, "{\"queue\":{\"msgs\":%s}}", arr), "missing field `title`");
    counts_are("{\"next_id\":1,\"queued\":0,\"executed\":0,\"cancelled\":0,\"emergency_runs\":0,"
               "\"identity_holds\":true}");
    free(good);
}

Test(governance, msgs_are_stored_canonically_and_hashed) {
    /* Given with spaces, another key order and non-canonical-looking but valid base64 input:
     * stored as cosmwasm-std serialises the messages. */
    char *inner = b64("{\"set\":{\"v\":1}}");
    hs_result r = ex(PROPOSER, TL,
                     "{\"queue\":{\"title\":\"canon\",\"msgs\":[ {\"wasm\" : {\"execute\":"
                     "{\"funds\":[], \"msg\":\"%s\", \"contract_addr\":\"%s\"}}},"
                     "{\"wasm\":{\"update_admin\":{\"admin\":\"%s\",\"contract_addr\":\"%s\"}}},"
                     "{\"wasm\":{\"migrate\":{\"msg\":\"e30=\",\"new_code_id\":7,"
                     "\"contract_addr\":\"%s\"}}}]}}",
                     inner, RELAY, OUTSIDER, RELAY, RELAY);
    cr_assert(r.ok, "%s", r.error);
    char *want, hash[65];
    cr_assert(asprintf(&want,
                       "[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\","
                       "\"funds\":[]}}},{\"wasm\":{\"update_admin\":{\"contract_addr\":\"%s\","
                       "\"admin\":\"%s\"}}},{\"wasm\":{\"migrate\":{\"contract_addr\":\"%s\","
                       "\"new_code_id\":7,\"msg\":\"e30=\"}}}]",
                       RELAY, inner, RELAY, OUTSIDER, RELAY) > 0);
    sha256_hex(want, hash);
    cr_assert_str_eq(attr(&r, "msgs_hash"), hash);
    hs_result_free(&r);
    json_t *j = qj(TL, "{\"proposal\":{\"id\":1}}");
    expect_eq(j, "msgs", want);
    expect_eq(j, "msgs_hash", hash);
    json_decref(j);
    /* The hash is over the whole array: a reviewer's hash of other messages differs. */
    char other[65];
    want[strlen(want) - 6] = '8'; /* "msg":"e30=" → "msg":"e308": one byte */
    sha256_hex(want, other);
    cr_assert_str_neq(other, hash);
    /* SHA-256 itself across block boundaries: titles don't matter, msgs of growing length do. */
    for (int len = 1; len < 140; len += 7) {
        char body[256], msg[512], arr[1024], h[65];
        snprintf(body, sizeof body, "{\"k\":\"%.*s\"}", len,
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        char *e = exec_msg(RELAY, body);
        snprintf(msg, sizeof msg, "%s", e);
        snprintf(arr, sizeof arr, "[%s]", msg);
        hs_result q = queue_on(TL, PROPOSER, arr, NULL);
        cr_assert(q.ok, "%s", q.error);
        sha256_hex(arr, h);
        cr_assert_str_eq(attr(&q, "msgs_hash"), h, "len %d", len);
        hs_result_free(&q);
        free(e);
    }
    free(want);
    free(inner);
}

/* --- Execution semantics ---------------------------------------------------------------------- */

Test(governance, failing_execution_reverts_and_stays_queued) {
    /* First message succeeds (relay records it), the second fails (the timelock refuses `{}`):
     * the whole transaction reverts, the relay keeps nothing and the proposal stays queued. */
    char *a = exec_msg(RELAY, "{\"first\":{}}"), *b = exec_msg(TL, "{}"), *arr;
    cr_assert(asprintf(&arr, "[%s,%s]", a, b) > 0);
    ok(queue_on(TL, PROPOSER, arr, NULL));
    advance_to(T0 + MIN_DELAY);
    fails(run(OUTSIDER, 1), "invalid message: expected an object with exactly one key");
    status_is(1, "queued");
    json_t *j = qj(RELAY, "{\"last\":{}}");
    expect_eq(j, "variant", "null");
    json_decref(j);
    counts_are("{\"next_id\":2,\"queued\":1,\"executed\":0,\"cancelled\":0,\"emergency_runs\":0,"
               "\"identity_holds\":true}");
    /* The guardian can still cancel it. */
    ok(ex(GUARDIAN, TL, "{\"cancel\":{\"id\":1}}"));
    free(a);
    free(b);
    free(arr);
}

Test(governance, execute_refuses_unknown_ids_funds_and_bad_messages) {
    fails(run(OUTSIDER, 99), "proposal not found: 99");
    fails(ex(OUTSIDER, TL, "{\"execute_proposal\":{\"id\":\"1\"}}"),
          "invalid type for `id`: expected an unsigned integer, got \"1\"");
    fails(ex(OUTSIDER, TL, "{\"execute_proposal\":{}}"), "missing field `id`");
    fails(ex(OUTSIDER, TL, "{\"vote\":{}}"),
          "unknown variant `vote`, expected one of `queue`, `execute_proposal`, `cancel`, "
          "`emergency`, `update_config`");
    char *err = NULL;
    hs_coin coin = {"uatom", "5"};
    cr_assert_eq(hs_mint(C, OUTSIDER, &coin, 1, &err), 0);
    hs_result r = hs_execute(C, TL, OUTSIDER, "{\"execute_proposal\":{\"id\":1}}", &coin, 1);
    fails(r, "this message takes no funds: got 5uatom");
}

/* --- Self-administration ---------------------------------------------------------------------- */

Test(governance, config_changes_only_through_a_proposal) {
    char body[1024];
    snprintf(body, sizeof body,
             "{\"update_config\":{\"proposer\":\"%s\",\"guardian\":null,\"emergency\":\"%s\","
             "\"min_delay\":10,\"max_delay\":20,\"grace_period\":5,\"emergency_actions\":"
             "[\"pause\"]}}",
             OUTSIDER, EMERGENCY);
    char want[256];
    snprintf(want, sizeof want,
             "unauthorized: update_config only through an executed proposal (sender %s)", PROPOSER);
    fails(ex(PROPOSER, TL, "%s", body), want);
    char *m = exec_msg(TL, body), *arr;
    cr_assert(asprintf(&arr, "[%s]", m) > 0);
    ok(queue_on(TL, PROPOSER, arr, NULL));
    advance_to(T0 + MIN_DELAY);
    hs_result r = run(OUTSIDER, 1);
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    json_t *j = qj(TL, "{\"config\":{}}");
    expect_eq(j, "proposer", OUTSIDER);
    expect_eq(j, "guardian", "null");
    expect_eq(j, "min_delay", "10");
    expect_eq(j, "emergency_actions", "[\"pause\"]");
    json_decref(j);
    /* The old proposer is out, the new one queues with the new delays. */
    snprintf(want, sizeof want, "unauthorized: proposer only (sender %s)", PROPOSER);
    fails(queue_on(TL, PROPOSER, arr, NULL), want);
    r = queue_on(TL, OUTSIDER, arr, NULL);
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(attr(&r, "eta"), "1700000110");
    cr_assert_str_eq(attr(&r, "expires"), "1700000115");
    hs_result_free(&r);
    /* A proposal whose update_config is invalid fails at execution and stays queued. */
    snprintf(body, sizeof body,
             "{\"update_config\":{\"proposer\":\"%s\",\"guardian\":null,\"emergency\":null,"
             "\"min_delay\":30,\"max_delay\":20,\"grace_period\":5}}",
             OUTSIDER);
    free(m);
    free(arr);
    m = exec_msg(TL, body);
    cr_assert(asprintf(&arr, "[%s]", m) > 0);
    ok(queue_on(TL, OUTSIDER, arr, NULL));
    advance_to(T0 + MIN_DELAY + 10);
    fails(run(OUTSIDER, 3), "invalid config: min_delay 30 > max_delay 20");
    status_is(3, "queued");
    free(m);
    free(arr);
}

/* --- Listing ---------------------------------------------------------------------------------- */

Test(governance, proposals_list_by_status_and_page) {
    for (int i = 0; i < 5; i++) queue_relay("{\"n\":{}}");
    ok(ex(GUARDIAN, TL, "{\"cancel\":{\"id\":2}}"));
    advance_to(T0 + MIN_DELAY);
    ok(run(OUTSIDER, 3));
    char *m = exec_msg(RELAY, "{\"late\":{}}"), *arr;
    cr_assert(asprintf(&arr, "[%s]", m) > 0);
    ok(queue_on(TL, PROPOSER, arr, NULL)); /* 6: eta T0+200 */
    advance_to(T0 + MIN_DELAY + GRACE);    /* 1, 4, 5 expire; 6 stays queued */
    static const struct {
        const char *query, *ids;
    } cases[] = {
        {"{}", "1,2,3,4,5,6"},
        {"{\"status\":\"queued\"}", "6"},
        {"{\"status\":\"expired\"}", "1,4,5"},
        {"{\"status\":\"executed\"}", "3"},
        {"{\"status\":\"cancelled\"}", "2"},
        {"{\"start_after\":2,\"limit\":2}", "3,4"},
        {"{\"status\":\"expired\",\"start_after\":1,\"limit\":1}", "4"},
        {"{\"limit\":100}", "1,2,3,4,5,6"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = qj(TL, "{\"proposals\":%s}", cases[i].query);
        json_t *list = json_object_get(j, "proposals"), *p;
        char ids[64] = "";
        size_t k;
        json_array_foreach(list, k, p) {
            char n[8];
            snprintf(n, sizeof n, "%s%lld", k ? "," : "",
                     json_integer_value(json_object_get(p, "id")));
            strcat(ids, n);
        }
        cr_assert_str_eq(ids, cases[i].ids, "%s", cases[i].query);
        json_decref(j);
    }
    hs_result r = hs_query(C, TL, "{\"proposals\":{\"status\":\"open\"}}");
    fails(r, "unknown status `open`");
    counts_are("{\"next_id\":7,\"queued\":4,\"executed\":1,\"cancelled\":1,\"emergency_runs\":0,"
               "\"identity_holds\":true}");
    free(m);
    free(arr);
}

/* --- The timelock owning Ballast contracts ---------------------------------------------------- */

static uint64_t contract_code_id(const char *addr) {
    char req[256];
    snprintf(req, sizeof req, "{\"wasm\":{\"contract_info\":{\"contract_addr\":\"%s\"}}}", addr);
    hs_result r = hs_query_request(C, req);
    cr_assert(r.ok, "%s", r.error);
    json_t *j = json_loads(r.answer, 0, NULL);
    uint64_t id = (uint64_t)json_integer_value(json_object_get(j, "code_id"));
    json_decref(j);
    hs_result_free(&r);
    return id;
}

static const char *contract_admin(const char *addr) {
    static char out[128];
    char req[256];
    snprintf(req, sizeof req, "{\"wasm\":{\"contract_info\":{\"contract_addr\":\"%s\"}}}", addr);
    hs_result r = hs_query_request(C, req);
    cr_assert(r.ok, "%s", r.error);
    json_t *j = json_loads(r.answer, 0, NULL);
    const char *a = json_string_value(json_object_get(j, "admin"));
    snprintf(out, sizeof out, "%s", a ? a : "null");
    json_decref(j);
    hs_result_free(&r);
    return out;
}

Test(governance, vault_engine_parameters_change_through_the_timelock) {
    uint64_t engine_code = store_code(ENGINE_WASM);
    char engine[128];
    instantiate_with_admin(engine_code, TL, engine,
                           "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\","
                           "\"global_debt_ceiling\":\"1000000\"}",
                           TL, RELAY, RELAY);
    fails(ex(PROPOSER, engine,
             "{\"create_market\":{\"id\":\"atom\",\"stability_fee\":\"0\",\"debt_ceiling\":\"1\","
             "\"min_debt\":\"0\"}}"),
          "unauthorized: governance only");
    char *create = exec_msg(engine, "{\"create_market\":{\"id\":\"atom\",\"stability_fee\":"
                                    "\"0.01\",\"debt_ceiling\":\"500000\",\"min_debt\":\"100\"}}");
    char *update = exec_msg(engine, "{\"update_market\":{\"id\":\"atom\",\"stability_fee\":"
                                    "\"0.025\",\"debt_ceiling\":\"900000\"}}");
    char *arr;
    cr_assert(asprintf(&arr, "[%s,%s]", create, update) > 0);
    ok(queue_on(TL, PROPOSER, arr, NULL));
    fails(ex(PROPOSER, engine, "{\"market\":{\"id\":\"atom\"}}"), "unknown variant");
    hs_result q = hs_query(C, engine, "{\"market\":{\"id\":\"atom\"}}");
    fails(q, "market not found: atom");
    advance_to(T0 + MIN_DELAY);
    ok(run(OUTSIDER, 1));
    json_t *j = qj(engine, "{\"market\":{\"id\":\"atom\"}}");
    expect_eq(j, "stability_fee", "0.025");
    expect_eq(j, "debt_ceiling", "900000");
    expect_eq(j, "min_debt", "100");
    json_decref(j);
    free(create);
    free(update);
    free(arr);
}

Test(governance, migrations_and_admin_handover_through_the_timelock) {
    /* cw20-base instance administered by the timelock, migrated to a second upload of its code. */
    uint64_t cw20_v1 = store_code(CW20_WASM), cw20_v2 = store_code(CW20_WASM);
    char token[128], foreign[128];
    instantiate_with_admin(
        cw20_v1, TL, token,
        "{\"name\":\"Token\",\"symbol\":\"TKN\",\"decimals\":6,\"initial_balances\":[]}");
    instantiate_with_admin(
        cw20_v1, OUTSIDER, foreign,
        "{\"name\":\"Other\",\"symbol\":\"OTH\",\"decimals\":6,\"initial_balances\":[]}");
    char arr[1024];
    snprintf(arr, sizeof arr,
             "[{\"wasm\":{\"migrate\":{\"contract_addr\":\"%s\",\"new_code_id\":%llu,"
             "\"msg\":\"e30=\"}}}]",
             token, (unsigned long long)cw20_v2);
    ok(queue_on(TL, PROPOSER, arr, NULL)); /* 1 */
    /* A migration of a contract the timelock does not administer fails at execution. */
    snprintf(arr, sizeof arr,
             "[{\"wasm\":{\"migrate\":{\"contract_addr\":\"%s\",\"new_code_id\":%llu,"
             "\"msg\":\"e30=\"}}}]",
             foreign, (unsigned long long)cw20_v2);
    ok(queue_on(TL, PROPOSER, arr, NULL)); /* 2 */
    /* The timelock upgrading a second timelock it administers (governance's own migrate). */
    uint64_t gov_v2 = store_code(GOV_WASM);
    char tl2[128];
    instantiate_with_admin(
        GOV_CODE, TL, tl2,
        "{\"proposer\":\"%s\",\"guardian\":null,\"emergency\":null,\"min_delay\":0,"
        "\"max_delay\":0,\"grace_period\":1}",
        PROPOSER);
    snprintf(arr, sizeof arr,
             "[{\"wasm\":{\"migrate\":{\"contract_addr\":\"%s\",\"new_code_id\":%llu,"
             "\"msg\":\"e30=\"}}},{\"wasm\":{\"update_admin\":{\"contract_addr\":\"%s\","
             "\"admin\":\"%s\"}}}]",
             tl2, (unsigned long long)gov_v2, RELAY, tl2);
    ok(queue_on(TL, PROPOSER, arr, NULL)); /* 3 */
    advance_to(T0 + MIN_DELAY);
    ok(run(OUTSIDER, 1));
    cr_assert_eq(contract_code_id(token), cw20_v2);
    json_t *j = qj(token, "{\"token_info\":{}}");
    expect_eq(j, "symbol", "TKN");
    json_decref(j);
    fails(run(OUTSIDER, 2), "can not migrate: unauthorized");
    status_is(2, "queued");
    cr_assert_eq(contract_code_id(foreign), cw20_v1);
    hs_result r = run(OUTSIDER, 3);
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, "\"migrate\""), "%s", r.events);
    hs_result_free(&r);
    cr_assert_eq(contract_code_id(tl2), gov_v2);
    cr_assert_str_eq(contract_admin(RELAY), tl2);
    j = qj(tl2, "{\"config\":{}}");
    expect_eq(j, "proposer", PROPOSER);
    json_decref(j);
    /* Direct migrate with a body other than {} is refused by governance's migrate. */
    fails(hs_migrate(C, tl2, TL, gov_v2, "{\"x\":1}"), "unknown field `x`, expected no fields");
}

/* --- A cw3-flex-multisig as the proposer --------------------------------------------------- */

Test(governance, multisig_proposer_full_flow) {
    char alice[128], bob[128], carol[128], group[128], multisig[128], tl[128];
    hs_address(C, "alice", alice, sizeof alice);
    hs_address(C, "bob", bob, sizeof bob);
    hs_address(C, "carol", carol, sizeof carol);
    uint64_t cw4 = store_code(CW4_GROUP), cw3 = store_code(CW3_FLEX);
    instantiate_with_admin(
        cw4, NULL, group,
        "{\"admin\":\"%s\",\"members\":[{\"addr\":\"%s\",\"weight\":1},{\"addr\":\"%s\","
        "\"weight\":1},{\"addr\":\"%s\",\"weight\":1}]}",
        alice, alice, bob, carol);
    instantiate_with_admin(
        cw3, NULL, multisig,
        "{\"group_addr\":\"%s\",\"threshold\":{\"absolute_count\":{\"weight\":2}},"
        "\"max_voting_period\":{\"time\":3600}}",
        group);
    instantiate_with_admin(
        GOV_CODE, NULL, tl,
        "{\"proposer\":\"%s\",\"guardian\":\"%s\",\"emergency\":null,\"min_delay\":86400,"
        "\"max_delay\":604800,\"grace_period\":3600}",
        multisig, GUARDIAN);
    char relay[128];
    instantiate_with_admin(RELAY_CODE, tl, relay, "{}");
    hs_block_advance(C, 1, 0); /* cw4 membership is visible from the next block */

    /* The timelock proposal: one execute on the target. Members cannot queue directly. */
    char *target = exec_msg(relay, "{\"set_max_ltv\":{\"market\":\"atom\",\"max_ltv\":\"0.6\"}}");
    char *queue_body, *canonical, hash[65];
    cr_assert(asprintf(&canonical, "[%s]", target) > 0);
    sha256_hex(canonical, hash);
    cr_assert(asprintf(&queue_body, "{\"queue\":{\"title\":\"max_ltv 0.6\",\"msgs\":%s}}",
                       canonical) > 0);
    char want[256];
    snprintf(want, sizeof want, "unauthorized: proposer only (sender %s)", alice);
    fails(ex(alice, tl, "%s", queue_body), want);
    char *wrapped = exec_msg(tl, queue_body);
    ok(ex(alice, multisig,
          "{\"propose\":{\"title\":\"queue max_ltv\",\"description\":\"d\",\"msgs\":[%s]}}",
          wrapped));
    fails(ex(carol, multisig, "{\"execute\":{\"proposal_id\":1}}"), "Proposal must have passed");
    ok(ex(bob, multisig, "{\"vote\":{\"proposal_id\":1,\"vote\":\"yes\"}}"));
    hs_result r = ex(carol, multisig, "{\"execute\":{\"proposal_id\":1}}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert(strstr(r.events, hash), "queue attributes carry the hash %s: %s", hash, r.events);
    hs_result_free(&r);
    uint64_t queued_at = hs_block_time_ns(C) / 1000000000ull;
    json_t *j = qj(tl, "{\"proposal\":{\"id\":1}}");
    expect_eq(j, "msgs_hash", hash); /* what the reviewers compare with the intended change */
    expect_eq(j, "status", "queued");
    json_decref(j);

    /* Early execution and unknown ids fail; the guardian may cancel but not queue. */
    fails(ex(OUTSIDER, tl, "{\"execute_proposal\":{\"id\":1}}"), "too early: proposal 1 eta");
    fails(ex(OUTSIDER, tl, "{\"execute_proposal\":{\"id\":2}}"), "proposal not found: 2");
    snprintf(want, sizeof want, "unauthorized: proposer only (sender %s)", GUARDIAN);
    fails(ex(GUARDIAN, tl, "%s", queue_body), want);
    advance_to(queued_at + 86400 - 1);
    fails(ex(OUTSIDER, tl, "{\"execute_proposal\":{\"id\":1}}"), "too early");
    advance_to(queued_at + 86400);
    ok(ex(OUTSIDER, tl, "{\"execute_proposal\":{\"id\":1}}"));
    j = qj(relay, "{\"last\":{}}");
    expect_eq(j, "variant", "set_max_ltv");
    expect_eq(j, "body", "{\"market\":\"atom\",\"max_ltv\":\"0.6\"}");
    expect_eq(j, "sender", tl);
    json_decref(j);
    fails(ex(OUTSIDER, tl, "{\"execute_proposal\":{\"id\":1}}"), "it is executed");
    free(target);
    free(queue_body);
    free(canonical);
    free(wrapped);
}

/* --- Gas -------------------------------------------------------------------------------------- */

Test(governance, gas_of_queue_and_execute) {
    char *m = exec_msg(RELAY, "{\"update_market\":{\"id\":\"atom\",\"stability_fee\":\"0.02\"}}");
    char *arr;
    cr_assert(asprintf(&arr, "[%s]", m) > 0);
    hs_result r = queue_on(TL, PROPOSER, arr, NULL);
    cr_assert(r.ok, "%s", r.error);
    uint64_t queue_gas = r.sdk_gas_used;
    hs_result_free(&r);
    advance_to(T0 + MIN_DELAY);
    r = run(OUTSIDER, 1);
    cr_assert(r.ok, "%s", r.error);
    uint64_t exec_gas = r.sdk_gas_used; /* includes the relay's execute */
    hs_result_free(&r);
    cr_log_info("governance gas (SDK): queue 1 msg %llu, execute_proposal %llu",
                (unsigned long long)queue_gas, (unsigned long long)exec_gas);
    cr_assert(queue_gas < 200000, "queue %llu", (unsigned long long)queue_gas);
    cr_assert(exec_gas < 300000, "execute %llu", (unsigned long long)exec_gas);
    free(m);
    free(arr);
}

Test(governance, custom_allow_list_and_refusals_of_shape) {
    char tl[128];
    instantiate_with_admin(
        GOV_CODE, NULL, tl,
        "{\"proposer\":\"%s\",\"guardian\":null,\"emergency\":\"%s\",\"min_delay\":0,"
        "\"max_delay\":10,\"grace_period\":1,\"emergency_actions\":[\"halt\"]}",
        PROPOSER, EMERGENCY);
    char *halt = exec_msg(RELAY, "{\"halt\":{\"all\":true}}");
    char *pause = exec_msg(RELAY, "{\"pause\":{}}");
    fails(ex(EMERGENCY, tl, "{\"emergency\":{\"msgs\":[%s]}}", pause),
          "msgs[0]: `pause` is not an emergency action (allowed: halt)");
    fails(ex(EMERGENCY, tl, "{\"emergency\":{\"msgs\":[]}}"),
          "invalid msgs: expected 1 to 16 messages, got 0");
    fails(ex(EMERGENCY, tl, "{\"emergency\":{\"msgs\":[%s],\"msgs\":[%s]}}", halt, halt),
          "duplicate field `msgs`");
    ok(ex(EMERGENCY, tl, "{\"emergency\":{\"msgs\":[%s]}}", halt));
    json_t *j = qj(RELAY, "{\"last\":{}}");
    expect_eq(j, "variant", "halt");
    expect_eq(j, "sender", tl);
    json_decref(j);
    /* Funds are refused at instantiate too, and descriptions are bounded. */
    hs_coin coin = {"uatom", "1"};
    char *err = NULL;
    cr_assert_eq(hs_mint(C, "deployer", &coin, 1, &err), 0);
    char msg[512];
    snprintf(msg, sizeof msg,
             "{\"proposer\":\"%s\",\"guardian\":null,\"emergency\":null,\"min_delay\":0,"
             "\"max_delay\":0,\"grace_period\":1}",
             PROPOSER);
    fails(hs_instantiate(C, GOV_CODE, "deployer", msg, &coin, 1, "c", NULL),
          "instantiate takes no funds");
    char *big = malloc(4200), *arr;
    memset(big, 'd', 4097);
    big[4097] = 0;
    cr_assert(asprintf(&arr, "[%s]", halt) > 0);
    fails(ex(PROPOSER, tl, "{\"queue\":{\"title\":\"t\",\"description\":\"%s\",\"msgs\":%s}}", big,
             arr),
          "invalid description: at most 4096 bytes, got 4097");
    big[4096] = 0;
    ok(ex(PROPOSER, tl, "{\"queue\":{\"title\":\"t\",\"description\":\"%s\",\"msgs\":%s}}", big,
          arr));
    free(big);
    free(arr);
    free(halt);
    free(pause);
}
