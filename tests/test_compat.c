/* test_compat.c — compatibility suite: cw20-base, cw4-group and cw3-flex-multisig (cw-plus 1.0.1,
 * from npm, unchanged) run on host-sim through the C API with exact expected values; our
 * stable_token runs the same CW20 scenario and must give the same answers, events and errors;
 * and `host-sim run` scripts (tests/scripts/) are checked line by line with their exit codes. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostsim.h"

#define CW_PLUS "node_modules/@oraichain/common-contracts-build/data/"
#define CW20_BASE CW_PLUS "cw20-base.wasm"
#define CW4_GROUP CW_PLUS "cw4-group.wasm"
#define CW3_FLEX CW_PLUS "cw3-flex-multisig.wasm"
#define STABLE_TOKEN "build/contracts/stable_token.wasm"
#define RECEIVER "build/test-contracts/receiver.wasm"
#define HOST_SIM "build/bin/host-sim"

/* --- Helpers --------------------------------------------------------------------------------- */

typedef struct addr {
    char s[128];
} addr;

static addr address_of(hs_chain *chain, const char *name) {
    addr a;
    hs_address(chain, name, a.s, sizeof a.s);
    return a;
}

static hs_chain *open_chain(void) {
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    hs_chain *chain = NULL;
    char *err = NULL;
    int rc = hs_chain_open(&cfg, &chain, &err);
    cr_assert_eq(rc, 0, "hs_chain_open: %s", err ? err : "?");
    return chain;
}

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s (run `make` first)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

static uint64_t store(hs_chain *chain, const char *path) {
    size_t len;
    uint8_t *wasm = slurp(path, &len);
    hs_result r = hs_store_code(chain, address_of(chain, "deployer").s, wasm, len);
    free(wasm);
    cr_assert(r.ok, "store %s: %s", path, r.error);
    uint64_t id = r.code_id;
    hs_result_free(&r);
    return id;
}

static char *vfmt(const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    cr_assert_geq(n, 0);
    char *s = malloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

static addr instantiate(hs_chain *chain, uint64_t code, const char *sender, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_instantiate(chain, code, sender, msg, NULL, 0, "test", sender);
    cr_assert(r.ok, "instantiate %s: %s", msg, r.error);
    addr a;
    snprintf(a.s, sizeof a.s, "%s", r.address);
    hs_result_free(&r);
    free(msg);
    return a;
}

static void execute_ok(hs_chain *chain, const char *contract, const char *sender, const char *fmt,
                       ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_execute(chain, contract, sender, msg, NULL, 0);
    cr_assert(r.ok, "execute %s: %s", msg, r.error);
    hs_result_free(&r);
    free(msg);
}

/* Execute expecting failure with `want` in the error message. */
static void execute_err(hs_chain *chain, const char *contract, const char *sender, const char *want,
                        const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_execute(chain, contract, sender, msg, NULL, 0);
    cr_assert(!r.ok, "execute %s succeeded, expected error \"%s\"", msg, want);
    cr_assert(strstr(r.error, want), "execute %s: error \"%s\" lacks \"%s\"", msg, r.error, want);
    hs_result_free(&r);
    free(msg);
}

/* Query and return the answer (malloc'd JSON). */
static char *query(hs_chain *chain, const char *contract, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_query(chain, contract, msg);
    cr_assert(r.ok, "query %s: %s", msg, r.error);
    char *answer = strdup(r.answer);
    hs_result_free(&r);
    free(msg);
    return answer;
}

/* The answer must equal `want` as JSON (key order ignored). */
static void assert_json_eq(const char *got, const char *want, const char *what) {
    json_error_t e;
    json_t *g = json_loads(got, JSON_DECODE_ANY, &e);
    json_t *w = json_loads(want, JSON_DECODE_ANY, &e);
    cr_assert_not_null(g, "%s: answer is not JSON: %s", what, got);
    cr_assert_not_null(w, "%s: bad expected JSON: %s", what, want);
    cr_assert(json_equal(g, w), "%s:\n  got  %s\n  want %s", what, got, want);
    json_decref(g);
    json_decref(w);
}

static void assert_query(hs_chain *chain, const char *contract, const char *msg,
                         const char *want_fmt, ...) {
    va_list ap;
    va_start(ap, want_fmt);
    char *want = vfmt(want_fmt, ap);
    va_end(ap);
    char *got = query(chain, contract, "%s", msg);
    assert_json_eq(got, want, msg);
    free(got);
    free(want);
}

static void assert_cw20_balance(hs_chain *chain, const char *token, const char *who,
                                const char *amount) {
    char msg[256];
    snprintf(msg, sizeof msg, "{\"balance\":{\"address\":\"%s\"}}", who);
    assert_query(chain, token, msg, "{\"balance\":\"%s\"}", amount);
}

static void assert_bank_balance(hs_chain *chain, const char *who, const char *denom,
                                const char *amount) {
    char out[64];
    cr_assert_eq(hs_balance(chain, who, denom, out, sizeof out), 0);
    cr_assert_str_eq(out, amount, "bank balance of %s: %s%s, want %s%s", who, out, denom, amount,
                     denom);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --- The CW20 scenario ---------------------------------------------------------------------- */

/* What a scenario saw, to compare two tokens: one line per step ("ok <events>" / "error"),
 * plus every query answer. */
typedef struct transcript {
    char *lines[128];
    size_t n;
} transcript;

static void note(transcript *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    cr_assert_lt(t->n, 128);
    t->lines[t->n++] = vfmt(fmt, ap);
    va_end(ap);
}

static void transcript_free(transcript *t) {
    for (size_t i = 0; i < t->n; i++) free(t->lines[i]);
    t->n = 0;
}

/* Execute, expect success, and note the events. */
static void tx(hs_chain *chain, transcript *t, const char *contract, const char *sender,
               const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_execute(chain, contract, sender, msg, NULL, 0);
    cr_assert(r.ok, "execute %s: %s", msg, r.error);
    note(t, "ok %s data=%s", r.events, r.data ? r.data : "null");
    hs_result_free(&r);
    free(msg);
}

/* Execute, expect an error containing `want`. */
static void tx_err(hs_chain *chain, transcript *t, const char *contract, const char *sender,
                   const char *want, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_execute(chain, contract, sender, msg, NULL, 0);
    cr_assert(!r.ok, "execute %s succeeded, expected \"%s\"", msg, want);
    cr_assert(strstr(r.error, want), "execute %s: error \"%s\" lacks \"%s\"", msg, r.error, want);
    note(t, "error (%s)", want);
    hs_result_free(&r);
    free(msg);
}

/* Query, compare with the expected JSON, note the answer. */
static void q(hs_chain *chain, transcript *t, const char *contract, const char *msg,
              const char *want_fmt, ...) {
    va_list ap;
    va_start(ap, want_fmt);
    char *want = vfmt(want_fmt, ap);
    va_end(ap);
    char *got = query(chain, contract, "%s", msg);
    assert_json_eq(got, want, msg);
    note(t, "query %s -> %s", msg, got);
    free(got);
    free(want);
}

static void balance(hs_chain *chain, transcript *t, const char *token, const char *who,
                    const char *amount) {
    char msg[256];
    snprintf(msg, sizeof msg, "{\"balance\":{\"address\":\"%s\"}}", who);
    q(chain, t, token, msg, "{\"balance\":\"%s\"}", amount);
}

/* The whole CW20 flow on a fresh chain with token code `wasm`: codes 1 (token) and 2 (receiver),
 * so contract addresses are the same whichever token runs. */
static void cw20_scenario(const char *wasm, transcript *t) {
    hs_chain *chain = open_chain();
    uint64_t token_code = store(chain, wasm);
    uint64_t receiver_code = store(chain, RECEIVER);
    addr alice = address_of(chain, "alice"), bob = address_of(chain, "bob"),
         carol = address_of(chain, "carol");
    addr token = instantiate(chain, token_code, alice.s,
                             "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
                             "\"initial_balances\":[{\"address\":\"%s\",\"amount\":\"1000000\"},"
                             "{\"address\":\"%s\",\"amount\":\"500\"}],"
                             "\"mint\":{\"minter\":\"%s\",\"cap\":\"2000000\"}}",
                             alice.s, bob.s, alice.s);
    addr receiver = instantiate(chain, receiver_code, alice.s, "{}");
    const char *T = token.s;

    q(chain, t, T, "{\"token_info\":{}}",
      "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,\"total_supply\":\"1000500\"}");
    q(chain, t, T, "{\"minter\":{}}", "{\"minter\":\"%s\",\"cap\":\"2000000\"}", alice.s);
    balance(chain, t, T, alice.s, "1000000");
    balance(chain, t, T, bob.s, "500");
    balance(chain, t, T, carol.s, "0");

    /* transfer */
    tx(chain, t, T, alice.s, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"250\"}}", bob.s);
    balance(chain, t, T, alice.s, "999750");
    balance(chain, t, T, bob.s, "750");
    tx_err(chain, t, T, bob.s, "Cannot Sub",
           "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"1000\"}}", carol.s);
    /* cw20-base 1.0 accepts a zero transfer (0.x refused it with "Invalid zero amount"). */
    tx(chain, t, T, alice.s, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"0\"}}", carol.s);
    balance(chain, t, T, bob.s, "750");
    balance(chain, t, T, carol.s, "0");

    /* burn and mint */
    tx(chain, t, T, alice.s, "{\"burn\":{\"amount\":\"750\"}}");
    balance(chain, t, T, alice.s, "999000");
    tx_err(chain, t, T, bob.s, "Unauthorized", "{\"mint\":{\"recipient\":\"%s\",\"amount\":\"1\"}}",
           bob.s);
    tx(chain, t, T, alice.s, "{\"mint\":{\"recipient\":\"%s\",\"amount\":\"1000\"}}", carol.s);
    tx_err(chain, t, T, alice.s, "Minting cannot exceed the cap",
           "{\"mint\":{\"recipient\":\"%s\",\"amount\":\"1000000\"}}", carol.s);
    balance(chain, t, T, carol.s, "1000");
    q(chain, t, T, "{\"token_info\":{}}",
      "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,\"total_supply\":\"1000750\"}");

    /* allowances */
    tx(chain, t, T, alice.s, "{\"increase_allowance\":{\"spender\":\"%s\",\"amount\":\"300\"}}",
       bob.s);
    tx(chain, t, T, alice.s, "{\"decrease_allowance\":{\"spender\":\"%s\",\"amount\":\"100\"}}",
       bob.s);
    char msg[512];
    snprintf(msg, sizeof msg, "{\"allowance\":{\"owner\":\"%s\",\"spender\":\"%s\"}}", alice.s,
             bob.s);
    q(chain, t, T, msg, "{\"allowance\":\"200\",\"expires\":{\"never\":{}}}");
    tx(chain, t, T, bob.s,
       "{\"transfer_from\":{\"owner\":\"%s\",\"recipient\":\"%s\",\"amount\":\"150\"}}", alice.s,
       carol.s);
    q(chain, t, T, msg, "{\"allowance\":\"50\",\"expires\":{\"never\":{}}}");
    balance(chain, t, T, alice.s, "998850");
    balance(chain, t, T, carol.s, "1150");
    tx_err(chain, t, T, bob.s, "Cannot Sub",
           "{\"transfer_from\":{\"owner\":\"%s\",\"recipient\":\"%s\",\"amount\":\"100\"}}",
           alice.s, carol.s);
    tx_err(chain, t, T, carol.s, "No allowance for this account",
           "{\"transfer_from\":{\"owner\":\"%s\",\"recipient\":\"%s\",\"amount\":\"1\"}}", alice.s,
           carol.s);
    tx_err(chain, t, T, alice.s, "Cannot set to own account",
           "{\"increase_allowance\":{\"spender\":\"%s\",\"amount\":\"1\"}}", alice.s);
    snprintf(msg, sizeof msg, "{\"all_allowances\":{\"owner\":\"%s\"}}", alice.s);
    q(chain, t, T, msg,
      "{\"allowances\":[{\"spender\":\"%s\",\"allowance\":\"50\",\"expires\":{\"never\":{}}}]}",
      bob.s);

    /* send into the receiver's hook ("aGVsbG8=" is "hello"); a rejected send rolls back */
    tx(chain, t, T, alice.s,
       "{\"send\":{\"contract\":\"%s\",\"amount\":\"500\",\"msg\":\"aGVsbG8=\"}}", receiver.s);
    balance(chain, t, T, receiver.s, "500");
    balance(chain, t, T, alice.s, "998350");
    q(chain, t, receiver.s, "{\"last\":{}}",
      "{\"token\":\"%s\",\"receive\":{\"sender\":\"%s\",\"amount\":\"500\","
      "\"msg\":\"aGVsbG8=\"}}",
      T, alice.s);
    /* "InJlamVjdCI=" is "\"reject\"" */
    tx_err(chain, t, T, alice.s, "receiver: rejected",
           "{\"send\":{\"contract\":\"%s\",\"amount\":\"7\",\"msg\":\"InJlamVjdCI=\"}}",
           receiver.s);
    balance(chain, t, T, receiver.s, "500");
    balance(chain, t, T, alice.s, "998350");

    /* all_accounts: every holder, sorted by address */
    const char *holders[] = {alice.s, bob.s, carol.s, receiver.s};
    qsort(holders, 4, sizeof holders[0], cmp_str);
    q(chain, t, T, "{\"all_accounts\":{}}", "{\"accounts\":[\"%s\",\"%s\",\"%s\",\"%s\"]}",
      holders[0], holders[1], holders[2], holders[3]);
    q(chain, t, T, "{\"token_info\":{}}",
      "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,\"total_supply\":\"1000750\"}");
    hs_chain_close(chain);
}

Test(compat, cw20_base_full_flow, .timeout = 120) {
    transcript t = {0};
    cw20_scenario(CW20_BASE, &t);
    transcript_free(&t);
}

Test(compat, stable_token_matches_cw20_base, .timeout = 120) {
    transcript ref = {0}, ours = {0};
    cw20_scenario(CW20_BASE, &ref);
    cw20_scenario(STABLE_TOKEN, &ours);
    cr_assert_eq(ours.n, ref.n);
    for (size_t i = 0; i < ref.n; i++)
        cr_expect_str_eq(ours.lines[i], ref.lines[i],
                         "step %zu differs:\n  cw20-base    %s\n"
                         "  stable_token %s",
                         i, ref.lines[i], ours.lines[i]);
    transcript_free(&ref);
    transcript_free(&ours);
}

/* --- cw4-group + cw3-flex-multisig --------------------------------------------------------- */

typedef struct multisig_world {
    hs_chain *chain;
    addr alice, bob, carol, dave;
    addr group, multisig, token;
    uint64_t cw3_code;
} multisig_world;

static char *b64(const char *s) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s);
    char *out = malloc(4 * ((n + 2) / 3) + 1), *o = out;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)(uint8_t)s[i] << 16;
        if (i + 1 < n) v |= (uint32_t)(uint8_t)s[i + 1] << 8;
        if (i + 2 < n) v |= (uint8_t)s[i + 2];
        *o++ = tbl[v >> 18 & 63];
        *o++ = tbl[v >> 12 & 63];
        *o++ = i + 1 < n ? tbl[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? tbl[v & 63] : '=';
    }
    *o = 0;
    return out;
}

static void multisig_setup(multisig_world *w, const char *threshold) {
    w->chain = open_chain();
    hs_chain *chain = w->chain;
    w->alice = address_of(chain, "alice");
    w->bob = address_of(chain, "bob");
    w->carol = address_of(chain, "carol");
    w->dave = address_of(chain, "dave");
    uint64_t cw4 = store(chain, CW4_GROUP);
    w->cw3_code = store(chain, CW3_FLEX);
    uint64_t cw20 = store(chain, CW20_BASE);
    w->group = instantiate(chain, cw4, w->alice.s,
                           "{\"admin\":\"%s\",\"members\":[{\"addr\":\"%s\",\"weight\":1},"
                           "{\"addr\":\"%s\",\"weight\":1},{\"addr\":\"%s\",\"weight\":1}]}",
                           w->alice.s, w->alice.s, w->bob.s, w->carol.s);
    w->multisig = instantiate(chain, w->cw3_code, w->alice.s,
                              "{\"group_addr\":\"%s\",\"threshold\":%s,"
                              "\"max_voting_period\":{\"time\":3600}}",
                              w->group.s, threshold);
    w->token = instantiate(chain, cw20, w->alice.s,
                           "{\"name\":\"Token\",\"symbol\":\"TKN\",\"decimals\":6,"
                           "\"initial_balances\":[{\"address\":\"%s\",\"amount\":\"1000\"}]}",
                           w->multisig.s);
    char *err = NULL;
    hs_coin coins[] = {{"uatom", "1000"}};
    cr_assert_eq(hs_mint(chain, w->multisig.s, coins, 1, &err), 0, "%s", err);
    /* cw3 weighs votes at the proposal's start height through cw4's height snapshots, which show
     * a change from the next block on: members need a block to pass, as on a real chain. */
    hs_block_advance(chain, 1, 0);
}

static void assert_status(multisig_world *w, int id, const char *status) {
    char msg[64];
    snprintf(msg, sizeof msg, "{\"proposal\":{\"proposal_id\":%d}}", id);
    char *got = query(w->chain, w->multisig.s, "%s", msg);
    json_t *j = json_loads(got, 0, NULL);
    cr_assert_not_null(j);
    const char *s = json_string_value(json_object_get(j, "status"));
    cr_assert(s && strcmp(s, status) == 0, "proposal %d: status %s, want %s (%s)", id, s ? s : "?",
              status, got);
    json_decref(j);
    free(got);
}

Test(compat, cw3_multisig_absolute_count, .timeout = 120) {
    multisig_world w;
    multisig_setup(&w, "{\"absolute_count\":{\"weight\":2}}");
    hs_chain *chain = w.chain;
    assert_query(chain, w.group.s, "{\"total_weight\":{}}", "{\"weight\":3}");
    assert_query(chain, w.multisig.s, "{\"threshold\":{}}",
                 "{\"absolute_count\":{\"weight\":2,\"total_weight\":3}}");
    char member_q[256];
    snprintf(member_q, sizeof member_q, "{\"member\":{\"addr\":\"%s\"}}", w.bob.s);
    assert_query(chain, w.group.s, member_q, "{\"weight\":1}");

    /* Proposal 1: a bank send and a cw20 transfer from the multisig. */
    char inner[256];
    snprintf(inner, sizeof inner, "{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"250\"}}",
             w.dave.s);
    char *inner64 = b64(inner);
    execute_ok(chain, w.multisig.s, w.alice.s,
               "{\"propose\":{\"title\":\"pay dave\",\"description\":\"bank + cw20\",\"msgs\":["
               "{\"bank\":{\"send\":{\"to_address\":\"%s\",\"amount\":[{\"denom\":\"uatom\","
               "\"amount\":\"100\"}]}}},"
               "{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\",\"funds\":[]}}}]}}",
               w.dave.s, w.token.s, inner64);
    free(inner64);
    assert_status(&w, 1, "open");
    execute_err(chain, w.multisig.s, w.carol.s, "Proposal must have passed",
                "{\"execute\":{\"proposal_id\":1}}");
    execute_err(chain, w.multisig.s, w.dave.s, "Unauthorized",
                "{\"vote\":{\"proposal_id\":1,\"vote\":\"yes\"}}");
    execute_ok(chain, w.multisig.s, w.bob.s, "{\"vote\":{\"proposal_id\":1,\"vote\":\"yes\"}}");
    execute_err(chain, w.multisig.s, w.bob.s, "Already voted on this proposal",
                "{\"vote\":{\"proposal_id\":1,\"vote\":\"no\"}}");
    assert_status(&w, 1, "passed");
    execute_ok(chain, w.multisig.s, w.carol.s, "{\"execute\":{\"proposal_id\":1}}");
    assert_status(&w, 1, "executed");
    assert_bank_balance(chain, w.dave.s, "uatom", "100");
    assert_bank_balance(chain, w.multisig.s, "uatom", "900");
    assert_cw20_balance(chain, w.token.s, w.dave.s, "250");
    assert_cw20_balance(chain, w.token.s, w.multisig.s, "750");
    execute_err(chain, w.multisig.s, w.carol.s, "Proposal must have passed",
                "{\"execute\":{\"proposal_id\":1}}");

    /* Proposal 2: rejected by two no votes; cannot execute. */
    execute_ok(chain, w.multisig.s, w.alice.s,
               "{\"propose\":{\"title\":\"drain\",\"description\":\"no\",\"msgs\":["
               "{\"bank\":{\"send\":{\"to_address\":\"%s\",\"amount\":[{\"denom\":\"uatom\","
               "\"amount\":\"900\"}]}}}]}}",
               w.alice.s);
    execute_ok(chain, w.multisig.s, w.bob.s, "{\"vote\":{\"proposal_id\":2,\"vote\":\"no\"}}");
    execute_ok(chain, w.multisig.s, w.carol.s, "{\"vote\":{\"proposal_id\":2,\"vote\":\"no\"}}");
    assert_status(&w, 2, "rejected");
    execute_err(chain, w.multisig.s, w.alice.s, "Proposal must have passed",
                "{\"execute\":{\"proposal_id\":2}}");
    assert_bank_balance(chain, w.multisig.s, "uatom", "900");

    /* Proposal 3: passes, but the bank send exceeds the balance: execute fails atomically and the
     * proposal stays passed. */
    execute_ok(chain, w.multisig.s, w.alice.s,
               "{\"propose\":{\"title\":\"too much\",\"description\":\"x\",\"msgs\":["
               "{\"bank\":{\"send\":{\"to_address\":\"%s\",\"amount\":[{\"denom\":\"uatom\","
               "\"amount\":\"5000\"}]}}}]}}",
               w.dave.s);
    execute_ok(chain, w.multisig.s, w.bob.s, "{\"vote\":{\"proposal_id\":3,\"vote\":\"yes\"}}");
    assert_status(&w, 3, "passed");
    execute_err(chain, w.multisig.s, w.carol.s, "insufficient funds",
                "{\"execute\":{\"proposal_id\":3}}");
    assert_status(&w, 3, "passed");
    assert_bank_balance(chain, w.multisig.s, "uatom", "900");
    assert_bank_balance(chain, w.dave.s, "uatom", "100");

    /* Proposal 4: nobody else votes; after the voting period it can be closed (rejected). */
    execute_ok(chain, w.multisig.s, w.alice.s,
               "{\"propose\":{\"title\":\"late\",\"description\":\"x\",\"msgs\":[]}}");
    execute_err(chain, w.multisig.s, w.alice.s, "Proposal must expire before you can close it",
                "{\"close\":{\"proposal_id\":4}}");
    hs_block_advance(chain, 1, 3601);
    execute_err(chain, w.multisig.s, w.bob.s, "Proposal voting period has expired",
                "{\"vote\":{\"proposal_id\":4,\"vote\":\"yes\"}}");
    execute_ok(chain, w.multisig.s, w.bob.s, "{\"close\":{\"proposal_id\":4}}");
    assert_status(&w, 4, "rejected");
    hs_chain_close(chain);
}

Test(compat, cw3_multisig_absolute_percentage, .timeout = 120) {
    multisig_world w;
    multisig_setup(&w, "{\"absolute_percentage\":{\"percentage\":\"0.5\"}}");
    hs_chain *chain = w.chain;
    assert_query(chain, w.multisig.s, "{\"threshold\":{}}",
                 "{\"absolute_percentage\":{\"percentage\":\"0.5\",\"total_weight\":3}}");
    execute_ok(chain, w.multisig.s, w.carol.s,
               "{\"propose\":{\"title\":\"pay\",\"description\":\"d\",\"msgs\":["
               "{\"bank\":{\"send\":{\"to_address\":\"%s\",\"amount\":[{\"denom\":\"uatom\","
               "\"amount\":\"40\"}]}}}]}}",
               w.dave.s);
    assert_status(&w, 1, "open"); /* 1 of 3 < 50% */
    execute_ok(chain, w.multisig.s, w.alice.s, "{\"vote\":{\"proposal_id\":1,\"vote\":\"yes\"}}");
    assert_status(&w, 1, "passed"); /* 2 of 3 ≥ 50% */
    execute_ok(chain, w.multisig.s, w.bob.s, "{\"execute\":{\"proposal_id\":1}}");
    assert_bank_balance(chain, w.dave.s, "uatom", "40");
    assert_bank_balance(chain, w.multisig.s, "uatom", "960");

    /* An out-of-range threshold is refused at instantiation. */
    hs_result r = hs_instantiate(chain, w.cw3_code, w.alice.s,
                                 "{\"group_addr\":\"wasm1invalid\",\"threshold\":"
                                 "{\"absolute_percentage\":{\"percentage\":\"0.3\"}},"
                                 "\"max_voting_period\":{\"time\":3600}}",
                                 NULL, 0, "bad", NULL);
    cr_assert(!r.ok);
    hs_result_free(&r);
    char msg[512];
    snprintf(msg, sizeof msg,
             "{\"group_addr\":\"%s\",\"threshold\":{\"absolute_percentage\":{\"percentage\":"
             "\"0.3\"}},\"max_voting_period\":{\"time\":3600}}",
             w.group.s);
    r = hs_instantiate(chain, w.cw3_code, w.alice.s, msg, NULL, 0, "bad", NULL);
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "Invalid voting threshold percentage, must be in the 0.5-1.0 range"),
              "%s", r.error);
    hs_result_free(&r);
    hs_chain_close(chain);
}

/* --- Scripts through `host-sim run` ---------------------------------------------------------- */

typedef struct run_output {
    int status;
    char *out; /* stdout */
    char *err; /* stderr */
} run_output;

static char *read_text(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return strdup("");
    char *buf = NULL;
    size_t cap = 0, len = 0;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf = realloc(buf, cap = len + n + 1);
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    if (!buf) return strdup("");
    buf[len] = 0;
    (void)cap;
    return buf;
}

static run_output run_script(const char *args) {
    char out_path[] = "/tmp/hs-compat-outXXXXXX", err_path[] = "/tmp/hs-compat-errXXXXXX";
    int fo = mkstemp(out_path), fe = mkstemp(err_path);
    cr_assert(fo >= 0 && fe >= 0);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, HOST_SIM " run %s >%s 2>%s", args, out_path, err_path);
    int st = system(cmd);
    run_output r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, read_text(out_path), read_text(err_path)};
    unlink(out_path);
    unlink(err_path);
    return r;
}

static void run_output_free(run_output *r) {
    free(r->out);
    free(r->err);
}

/* Line `i` (0-based) of the output, parsed. */
static json_t *output_line(const char *out, size_t i) {
    const char *s = out;
    for (size_t k = 0; k < i && s; k++) {
        s = strchr(s, '\n');
        if (s) s++;
    }
    cr_assert(s && *s, "output has no line %zu:\n%s", i, out);
    const char *end = strchr(s, '\n');
    char *line = strndup(s, end ? (size_t)(end - s) : strlen(s));
    json_error_t e;
    json_t *j = json_loads(line, 0, &e);
    cr_assert_not_null(j, "line %zu is not JSON: %s", i, line);
    free(line);
    return j;
}

static size_t count_lines(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

Test(script, cw20_flow_passes, .timeout = 120) {
    run_output r = run_script("tests/scripts/cw20_flow.jsonl --gas-report");
    cr_assert_eq(r.status, 0, "exit %d\nstdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    size_t n = count_lines(r.out);
    cr_assert_eq(n, 14, "%zu result lines:\n%s", n, r.out);
    for (size_t i = 0; i < n; i++) {
        json_t *j = output_line(r.out, i);
        cr_assert(json_is_string(json_object_get(j, "op")), "line %zu lacks op", i);
        cr_assert(json_object_get(j, "ok") || json_object_get(j, "error"));
        json_decref(j);
    }
    /* store → code id; instantiate → address, events, response; gas where it applies */
    json_t *j = output_line(r.out, 0);
    cr_assert_str_eq(json_string_value(json_object_get(j, "op")), "store");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "ok"), "code_id")), 1);
    json_decref(j);
    j = output_line(r.out, 1);
    json_t *ok = json_object_get(j, "ok");
    cr_assert_str_eq(json_string_value(json_object_get(ok, "address")),
                     "wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d");
    cr_assert(json_is_array(json_object_get(ok, "events")));
    cr_assert(json_is_object(json_object_get(ok, "response")));
    cr_assert_gt(json_integer_value(json_object_get(j, "gas_used")), 0);
    json_decref(j);
    /* the failing transfer is reported as an error line */
    j = output_line(r.out, 4);
    cr_assert_str_eq(json_string_value(json_object_get(j, "op")), "execute");
    cr_assert(strstr(json_string_value(json_object_get(j, "error")), "Cannot Sub"));
    json_decref(j);
    /* query answer decoded */
    j = output_line(r.out, 5);
    char *answer = json_dumps(json_object_get(j, "ok"), JSON_COMPACT);
    assert_json_eq(answer, "{\"balance\":\"250\"}", "query line");
    free(answer);
    json_decref(j);
    cr_assert(strstr(r.err, "gas report"), "%s", r.err);
    cr_assert(strstr(r.err, "transfer"), "%s", r.err);
    run_output_free(&r);
}

Test(script, expectation_failure_names_line, .timeout = 120) {
    run_output r = run_script("tests/scripts/expect_fail.jsonl");
    cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "tests/scripts/expect_fail.jsonl:6: expectation failed: balance: "
                            "expected \"999\", got \"900\""),
              "stderr: %s", r.err);
    cr_assert_eq(count_lines(r.out), 5, "stops at the failing line:\n%s", r.out);
    run_output_free(&r);
}

Test(script, expect_error_on_success_fails, .timeout = 120) {
    run_output r = run_script("tests/scripts/expect_error_fail.jsonl");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "expect_error_fail.jsonl:4: expectation failed: expected an error "
                            "containing \"Unauthorized\", but the step succeeded"),
              "%s", r.err);
    run_output_free(&r);
}

Test(script, malformed_lines_named, .timeout = 60) {
    run_output r = run_script("tests/scripts/malformed.jsonl");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "malformed.jsonl:3: malformed step: unknown op \"exec\""), "%s", r.err);
    cr_assert_eq(count_lines(r.out), 1, "%s", r.out);
    run_output_free(&r);
    r = run_script("/nonexistent.jsonl");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "cannot open /nonexistent.jsonl"), "%s", r.err);
    run_output_free(&r);
    r = run_script("");
    cr_assert_eq(r.status, 2);
    run_output_free(&r);
}

/* The contracts/README.md worked example with its expectations (exit 1 if one fails). */
Test(script, worked_example_passes, .timeout = 120) {
    run_output r = run_script("tests/scripts/worked_example.jsonl");
    cr_assert_eq(r.status, 0, "exit %d\nstdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    size_t n = count_lines(r.out);
    cr_assert_eq(n, 27, "%zu result lines:\n%s", n, r.out);
    size_t refused = 0; /* the one over-limit borrow the script expects to fail */
    for (size_t i = 0; i < n; i++) {
        json_t *j = output_line(r.out, i);
        if (json_object_get(j, "error"))
            refused++;
        else
            cr_assert_not_null(json_object_get(j, "ok"), "line %zu has neither ok nor error", i);
        json_decref(j);
    }
    cr_assert_eq(refused, 1, "%zu refused steps:\n%s", refused, r.out);
    run_output_free(&r);
}

Test(script, state_dir_continues, .timeout = 120) {
    char dir[] = "/tmp/hs-compat-stateXXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char args[256];
    snprintf(args, sizeof args, "tests/scripts/state_a.jsonl --state %s", dir);
    run_output r = run_script(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_output_free(&r);
    snprintf(args, sizeof args, "tests/scripts/state_b.jsonl --state %s", dir);
    r = run_script(args);
    cr_assert_eq(r.status, 0, "second run: %s\n%s", r.err, r.out);
    run_output_free(&r);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
