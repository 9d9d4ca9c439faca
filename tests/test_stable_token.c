/* Tests for contracts/stable_token (a cw20-base 1.1.x drop-in) through the native mock: every
 * message and query with exact Response/answer JSON, every error text, pagination, stored bytes
 * in cw-storage-plus layout, and that failed calls leave storage byte-for-byte untouched. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_mock.h"

/* --- JSON fragments ---------------------------------------------------------------------- */

#define ATTR(k, v) "{\"key\":\"" k "\",\"value\":\"" v "\"}"
#define RESP(msgs, attrs)                                                                          \
    "{\"messages\":[" msgs "],\"attributes\":[" attrs "],\"events\":[],\"data\":null}"
#define EXEC_MSG(contract, b64)                                                                    \
    "{\"id\":0,\"msg\":{\"wasm\":{\"execute\":{\"contract_addr\":\"" contract "\",\"msg\":\"" b64  \
    "\",\"funds\":[]}}},\"gas_limit\":null,\"reply_on\":\"never\"}"
#define EMPTY_RESP RESP("", "")
#define PARSE_EXEC "Error parsing into type cw20::msg::Cw20ExecuteMsg: "
#define PARSE_INIT "Error parsing into type cw20_base::msg::InstantiateMsg: "
#define PARSE_QUERY "Error parsing into type cw20_base::msg::QueryMsg: "
#define NOT_NORMALIZED "Generic error: addr_validate errored: Invalid input: address not normalized"
#define HELLO_B64 "eyJoZWxsbyI6MX0=" /* {"hello":1} */

#define INIT_MSG                                                                                   \
    "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,\"initial_balances\":["          \
    "{\"address\":\"alice\",\"amount\":\"1000\"},{\"address\":\"bob\",\"amount\":\"500\"}],"       \
    "\"mint\":{\"minter\":\"minter\",\"cap\":\"10000\"}}"

/* --- Storage snapshots ------------------------------------------------------------------- */

/* The whole store serialised (lengths and bytes of every key and value, in key order). */
static char *snapshot(size_t *len) {
    size_t n = cw_mock_storage_count(), cap = 64, used = 0;
    char *out = malloc(cap);
    for (size_t i = 0; i < n; i++) {
        cw_str k, v;
        cw_mock_storage_at(i, &k, &v);
        size_t need = used + k.len + v.len + 2 * sizeof(size_t);
        while (need > cap) out = realloc(out, cap *= 2);
        memcpy(out + used, &k.len, sizeof(size_t));
        memcpy(out + used + sizeof(size_t), k.ptr, k.len);
        used += sizeof(size_t) + k.len;
        memcpy(out + used, &v.len, sizeof(size_t));
        memcpy(out + used + sizeof(size_t), v.ptr, v.len);
        used += sizeof(size_t) + v.len;
    }
    *len = used;
    return out;
}

static void expect_stored(const char *key, size_t key_len, const char *value) {
    cw_str v;
    cr_assert(cw_mock_storage_get(key, key_len, &v), "key not stored");
    cr_assert_eq(v.len, strlen(value), "stored %.*s, expected %s", (int)v.len, v.ptr, value);
    cr_assert(memcmp(v.ptr, value, v.len) == 0, "stored %.*s, expected %s", (int)v.len, v.ptr,
              value);
}

static void expect_absent(const char *key, size_t key_len) {
    cw_str v;
    cr_assert_not(cw_mock_storage_get(key, key_len, &v), "key unexpectedly stored");
}

#define KEY(lit) (lit), (sizeof(lit) - 1)

/* --- Calls ------------------------------------------------------------------------------- */

static void expect_exec(const char *sender, const char *msg, const char *response) {
    cw_mock_result r = cw_mock_execute(sender, NULL, msg);
    cr_assert(r.ok, "execute %s failed: %s", msg, r.error ? r.error : "?");
    cr_assert_str_eq(r.response_json, response);
    cw_mock_result_free(&r);
}

/* The call must fail with exactly `error` and leave every stored byte as it was. */
static void expect_exec_err(const char *sender, const char *msg, const char *error) {
    size_t before_len, after_len;
    char *before = snapshot(&before_len);
    cw_mock_result r = cw_mock_execute(sender, NULL, msg);
    cr_assert_not(r.ok, "execute %s succeeded, expected error %s", msg, error);
    cr_assert_not(r.aborted, "execute %s aborted: %s", msg, r.error);
    cr_assert_str_eq(r.error, error);
    cw_mock_result_free(&r);
    char *after = snapshot(&after_len);
    cr_assert(before_len == after_len && memcmp(before, after, before_len) == 0,
              "failed execute %s changed storage", msg);
    free(before);
    free(after);
}

static void expect_init_err(const char *msg, const char *error) {
    cw_mock_result r = cw_mock_instantiate("creator", NULL, msg);
    cr_assert_not(r.ok, "instantiate succeeded, expected error %s", error);
    cr_assert_not(r.aborted, "instantiate aborted: %s", r.error);
    cr_assert_str_eq(r.error, error);
    cw_mock_result_free(&r);
    cr_assert_eq(cw_mock_storage_count(), 0, "failed instantiate left storage behind");
}

static void expect_query(const char *msg, const char *answer) {
    cw_mock_result r = cw_mock_query(msg);
    cr_assert(r.ok, "query %s failed: %s", msg, r.error ? r.error : "?");
    cr_assert_str_eq(r.answer_json, answer);
    cw_mock_result_free(&r);
}

static void expect_query_err(const char *msg, const char *error) {
    cw_mock_result r = cw_mock_query(msg);
    cr_assert_not(r.ok, "query %s succeeded, expected %s", msg, error);
    cr_assert_str_eq(r.error, error);
    cw_mock_result_free(&r);
}

static void instantiate(const char *msg) {
    cw_mock_result r = cw_mock_instantiate("creator", NULL, msg);
    cr_assert(r.ok, "instantiate failed: %s", r.error ? r.error : "?");
    cr_assert_str_eq(r.response_json, EMPTY_RESP);
    cw_mock_result_free(&r);
}

static void expect_balance(const char *addr, const char *amount) {
    char msg[128], answer[128];
    snprintf(msg, sizeof msg, "{\"balance\":{\"address\":\"%s\"}}", addr);
    snprintf(answer, sizeof answer, "{\"balance\":\"%s\"}", amount);
    expect_query(msg, answer);
}

static void expect_supply(const char *supply) {
    char answer[256];
    snprintf(
        answer, sizeof answer,
        "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,\"total_supply\":\"%s\"}",
        supply);
    expect_query("{\"token_info\":{}}", answer);
}

/* Σ of every stored balance (keys under "\0\x07balance") must equal token_info.total_supply. */
static void expect_identity(void) {
    unsigned long long sum = 0;
    size_t n = cw_mock_storage_count();
    for (size_t i = 0; i < n; i++) {
        cw_str k, v;
        cw_mock_storage_at(i, &k, &v);
        if (k.len > 9 && memcmp(k.ptr,
                                "\x00\x07"
                                "balance",
                                9) == 0)
            sum += strtoull(v.ptr + 1, NULL, 10); /* "123" */
    }
    cw_str ti;
    cr_assert(cw_mock_storage_get(KEY("token_info"), &ti));
    const char *p = strstr(ti.ptr, "\"total_supply\":\"");
    cr_assert(p);
    cr_assert_eq(sum, strtoull(p + 16, NULL, 10), "Σ balances %llu != total_supply", sum);
}

static void setup(void) {
    cw_mock_reset();
    instantiate(INIT_MSG);
}

static void fresh(void) {
    cw_mock_reset();
}

/* --- Instantiate ------------------------------------------------------------------------- */

Test(instantiate, stores_cw20_base_layout, .init = setup) {
    expect_stored(KEY("contract_info"),
                  "{\"contract\":\"crates.io:cw20-base\",\"version\":\"1.1.2\"}");
    expect_stored(KEY("token_info"),
                  "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,\"total_supply\":"
                  "\"1500\",\"mint\":{\"minter\":\"minter\",\"cap\":\"10000\"}}");
    expect_stored(KEY("\x00\x07"
                      "balancealice"),
                  "\"1000\"");
    expect_stored(KEY("\x00\x07"
                      "balancebob"),
                  "\"500\"");
    cr_assert_eq(cw_mock_storage_count(), 4);
}

Test(instantiate, queries_after, .init = setup) {
    expect_supply("1500");
    expect_balance("alice", "1000");
    expect_balance("bob", "500");
    expect_balance("carol", "0");
    expect_query("{\"minter\":{}}", "{\"minter\":\"minter\",\"cap\":\"10000\"}");
    expect_query("{\"all_accounts\":{}}", "{\"accounts\":[\"alice\",\"bob\"]}");
    expect_query("{\"marketing_info\":{}}",
                 "{\"project\":null,\"description\":null,\"logo\":null,\"marketing\":null}");
}

Test(instantiate, no_minter_and_no_cap, .init = fresh) {
    instantiate("{\"name\":\"Cash Token\",\"symbol\":\"CASH\",\"decimals\":9,"
                "\"initial_balances\":[{\"address\":\"addr0000\",\"amount\":\"11223344\"}]}");
    expect_query("{\"minter\":{}}", "null");
    expect_stored(KEY("token_info"), "{\"name\":\"Cash Token\",\"symbol\":\"CASH\",\"decimals\":9,"
                                     "\"total_supply\":\"11223344\",\"mint\":null}");
}

Test(instantiate, minter_without_cap_and_empty_balances, .init = fresh) {
    instantiate("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":0,\"initial_balances\":[],"
                "\"mint\":{\"minter\":\"minter\",\"cap\":null},\"marketing\":null}");
    expect_query("{\"minter\":{}}", "{\"minter\":\"minter\",\"cap\":null}");
    expect_query("{\"token_info\":{}}", "{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":0,"
                                        "\"total_supply\":\"0\"}");
    expect_query("{\"all_accounts\":{}}", "{\"accounts\":[]}");
}

Test(instantiate, name_length_bounds_in_utf8_bytes, .init = fresh) {
    expect_init_err("{\"name\":\"ab\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[]}",
                    "Generic error: Name is not in the expected format (3-50 UTF-8 bytes)");
    expect_init_err("{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"symbol\":"
                    "\"CASH\",\"decimals\":6,\"initial_balances\":[]}",
                    "Generic error: Name is not in the expected format (3-50 UTF-8 bytes)");
    /* "é" is two bytes: "éé" is 4 bytes, valid; "\u00e9" escapes count after unescaping. */
    instantiate("{\"name\":\"\\u00e9\\u00e9\",\"symbol\":\"CASH\",\"decimals\":6,"
                "\"initial_balances\":[]}");
    expect_query("{\"token_info\":{}}", "{\"name\":\"éé\",\"symbol\":\"CASH\",\"decimals\":6,"
                                        "\"total_supply\":\"0\"}");
}

Test(instantiate, name_of_50_bytes_is_valid, .init = fresh) {
    instantiate("{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"symbol\":"
                "\"CASH\",\"decimals\":6,\"initial_balances\":[]}");
}

Test(instantiate, symbol_rules, .init = fresh) {
    const char *bad[] = {"AB", "ABCDEFGHIJKLM", "AB1", "A_B", "A@B", "A[B", "A{B", "ABC "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "{\"name\":\"Cash\",\"symbol\":\"%s\",\"decimals\":6,\"initial_balances\":[]}",
                 bad[i]);
        expect_init_err(msg, "Generic error: Ticker symbol is not in expected format "
                             "[a-zA-Z\\-]{3,12}");
    }
    instantiate("{\"name\":\"Cash\",\"symbol\":\"aB-cDeFgHiJk\",\"decimals\":6,"
                "\"initial_balances\":[]}");
}

Test(instantiate, decimals_at_most_18, .init = fresh) {
    expect_init_err(
        "{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":19,\"initial_balances\":[]}",
        "Generic error: Decimals must not exceed 18");
    expect_init_err(
        "{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":256,\"initial_balances\":[]}",
        PARSE_INIT "invalid value: integer `256`, expected u8");
    instantiate("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":18,\"initial_balances\":[]}");
}

Test(instantiate, duplicate_initial_balances, .init = fresh) {
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":["
                    "{\"address\":\"carol\",\"amount\":\"1\"},{\"address\":\"alice\",\"amount\":"
                    "\"2\"},{\"address\":\"bob\",\"amount\":\"3\"},{\"address\":\"alice\","
                    "\"amount\":\"4\"}]}",
                    "Duplicate initial balance addresses");
    /* Checked on the raw strings before any address validation. */
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":["
                    "{\"address\":\"Bad\",\"amount\":\"1\"},{\"address\":\"Bad\",\"amount\":"
                    "\"2\"}]}",
                    "Duplicate initial balance addresses");
}

/* Many rows in scrambled order: the sort must find a duplicate anywhere, and none when all
 * addresses differ. */
static char *many_rows_msg(size_t n, size_t dup_of) {
    size_t cap = 200 + n * 48, len = 0;
    char *msg = malloc(cap);
    len += (size_t)snprintf(msg + len, cap - len,
                            "{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,"
                            "\"initial_balances\":[");
    for (size_t i = 0; i < n; i++) {
        size_t id = (i * 7919) % n; /* a permutation of 0..n-1 (n not a multiple of 7919) */
        if (i == n - 1 && dup_of < n) id = dup_of;
        len += (size_t)snprintf(msg + len, cap - len,
                                "%s{\"address\":\"addr%04zu\",\"amount\":\"1\"}", i ? "," : "", id);
    }
    snprintf(msg + len, cap - len, "]}");
    return msg;
}

Test(instantiate, duplicate_among_many_rows, .init = fresh) {
    char *msg = many_rows_msg(1000, 0);
    expect_init_err(msg, "Duplicate initial balance addresses");
    free(msg);
    msg = many_rows_msg(1000, 1000);
    instantiate(msg);
    free(msg);
}

Test(instantiate, initial_supply_over_cap, .init = fresh) {
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":["
                    "{\"address\":\"alice\",\"amount\":\"11223344\"}],\"mint\":{\"minter\":"
                    "\"minter\",\"cap\":\"11223300\"}}",
                    "Generic error: Initial supply greater than cap");
    instantiate("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":["
                "{\"address\":\"alice\",\"amount\":\"11223300\"}],\"mint\":{\"minter\":"
                "\"minter\",\"cap\":\"11223300\"}}");
}

Test(instantiate, invalid_addresses, .init = fresh) {
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":["
                    "{\"address\":\"alice\",\"amount\":\"1\"},{\"address\":\"Bob\",\"amount\":"
                    "\"2\"}]}",
                    NOT_NORMALIZED);
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"mint\":{\"minter\":\"Minter\"}}",
                    NOT_NORMALIZED);
}

Test(instantiate, strict_parsing, .init = fresh) {
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"foo\":1}",
                    PARSE_INIT "unknown field `foo`, expected one of `name`, `symbol`, "
                               "`decimals`, `initial_balances`, `mint`, `marketing`");
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6}",
                    PARSE_INIT "missing field `initial_balances`");
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":["
                    "{\"address\":\"alice\",\"amount\":\"1\",\"memo\":\"x\"}]}",
                    PARSE_INIT "unknown field `memo`, expected `address` or `amount`");
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":["
                    "{\"address\":\"alice\",\"amount\":1}]}",
                    PARSE_INIT "invalid type: integer `1`, expected string-encoded integer");
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"mint\":{\"cap\":\"5\"}}",
                    PARSE_INIT "missing field `minter`");
}

/* --- Transfer ---------------------------------------------------------------------------- */

Test(transfer, moves_balance, .init = setup) {
    expect_exec("alice", "{\"transfer\":{\"recipient\":\"carol\",\"amount\":\"100\"}}",
                RESP("", ATTR("action", "transfer") "," ATTR("from", "alice") "," ATTR(
                             "to", "carol") "," ATTR("amount", "100")));
    expect_balance("alice", "900");
    expect_balance("carol", "100");
    expect_supply("1500");
    expect_stored(KEY("\x00\x07"
                      "balancecarol"),
                  "\"100\"");
    expect_identity();
}

Test(transfer, whole_balance_keeps_zero_entry, .init = setup) {
    expect_exec("bob", "{\"transfer\":{\"recipient\":\"alice\",\"amount\":\"500\"}}",
                RESP("", ATTR("action", "transfer") "," ATTR("from", "bob") "," ATTR(
                             "to", "alice") "," ATTR("amount", "500")));
    expect_stored(KEY("\x00\x07"
                      "balancebob"),
                  "\"0\"");
    expect_query("{\"all_accounts\":{}}", "{\"accounts\":[\"alice\",\"bob\"]}");
    expect_identity();
}

Test(transfer, zero_amount_is_allowed, .init = setup) {
    expect_exec("alice", "{\"transfer\":{\"recipient\":\"dave\",\"amount\":\"0\"}}",
                RESP("", ATTR("action", "transfer") "," ATTR("from", "alice") "," ATTR(
                             "to", "dave") "," ATTR("amount", "0")));
    expect_stored(KEY("\x00\x07"
                      "balancedave"),
                  "\"0\"");
}

Test(transfer, to_self, .init = setup) {
    expect_exec("alice", "{\"transfer\":{\"recipient\":\"alice\",\"amount\":\"1000\"}}",
                RESP("", ATTR("action", "transfer") "," ATTR("from", "alice") "," ATTR(
                             "to", "alice") "," ATTR("amount", "1000")));
    expect_balance("alice", "1000");
}

Test(transfer, testFail_insufficient_funds, .init = setup) {
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"1001\"}}",
                    "Overflow: Cannot Sub with 1000 and 1001");
    expect_exec_err("carol", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"5\"}}",
                    "Overflow: Cannot Sub with 0 and 5");
}

Test(transfer, testFail_invalid_recipient, .init = setup) {
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"Carol\",\"amount\":\"1\"}}",
                    NOT_NORMALIZED);
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"\",\"amount\":\"1\"}}",
                    "Generic error: addr_validate errored: Input is empty");
}

Test(transfer, testFail_strict_parsing, .init = setup) {
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"1\",\"memo\":1}}",
                    PARSE_EXEC "unknown field `memo`, expected `recipient` or `amount`");
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"bob\"}}",
                    PARSE_EXEC "missing field `amount`");
    expect_exec_err("alice",
                    "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"1\",\"amount\":\"2\"}}",
                    PARSE_EXEC "duplicate field `amount`");
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"1x\"}}",
                    PARSE_EXEC "invalid Uint128 '1x' - invalid digit found in string");
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"\"}}",
                    PARSE_EXEC "invalid Uint128 '' - cannot parse integer from empty string");
    expect_exec_err("alice",
                    "{\"transfer\":{\"recipient\":\"bob\",\"amount\":"
                    "\"340282366920938463463374607431768211456\"}}",
                    PARSE_EXEC "invalid Uint128 '340282366920938463463374607431768211456' - "
                               "number too large to fit in target type");
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"-1\"}}",
                    PARSE_EXEC "invalid Uint128 '-1' - invalid digit found in string");
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":7,\"amount\":\"1\"}}",
                    PARSE_EXEC "invalid type: integer `7`, expected a string");
    expect_exec_err("alice", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"1\"},\"burn\":{}}",
                    PARSE_EXEC "invalid type: map, expected enum Cw20ExecuteMsg");
}

Test(transfer, plus_sign_and_max_uint128_parse, .init = setup) {
    expect_exec("alice", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"+10\"}}",
                RESP("", ATTR("action", "transfer") "," ATTR("from", "alice") "," ATTR(
                             "to", "bob") "," ATTR("amount", "10")));
    expect_exec_err("alice",
                    "{\"transfer\":{\"recipient\":\"bob\",\"amount\":"
                    "\"340282366920938463463374607431768211455\"}}",
                    "Overflow: Cannot Sub with 990 and 340282366920938463463374607431768211455");
}

Test(execute, testFail_unknown_variant, .init = setup) {
    expect_exec_err("alice", "{\"approve\":{}}",
                    PARSE_EXEC "unknown variant `approve`, expected one of `transfer`, `burn`, "
                               "`send`, `increase_allowance`, `decrease_allowance`, "
                               "`transfer_from`, `send_from`, `burn_from`, `mint`, "
                               "`update_minter`");
}

/* The variant's Rust name in serde's type error is derived from the wire name. */
Test(execute, testFail_variant_body_not_an_object, .init = setup) {
    expect_exec_err("alice", "{\"increase_allowance\":[]}",
                    PARSE_EXEC "invalid type: sequence, expected struct variant "
                               "Cw20ExecuteMsg::IncreaseAllowance");
    expect_exec_err("alice", "{\"transfer_from\":\"x\"}",
                    PARSE_EXEC "invalid type: string \"x\", expected struct variant "
                               "Cw20ExecuteMsg::TransferFrom");
    expect_query_err("{\"all_spender_allowances\":7}",
                     PARSE_QUERY "invalid type: integer `7`, expected struct variant "
                                 "QueryMsg::AllSpenderAllowances");
}

/* --- Burn -------------------------------------------------------------------------------- */

Test(burn, reduces_supply, .init = setup) {
    expect_exec("bob", "{\"burn\":{\"amount\":\"200\"}}",
                RESP("", ATTR("action", "burn") "," ATTR("from", "bob") "," ATTR("amount", "200")));
    expect_balance("bob", "300");
    expect_supply("1300");
    expect_identity();
}

Test(burn, testFail_insufficient_funds, .init = setup) {
    expect_exec_err("bob", "{\"burn\":{\"amount\":\"501\"}}",
                    "Overflow: Cannot Sub with 500 and 501");
    expect_exec_err("bob", "{\"burn\":{}}", PARSE_EXEC "missing field `amount`");
}

/* --- Send -------------------------------------------------------------------------------- */

Test(send, moves_and_calls_receive_hook, .init = setup) {
    /* base64 of {"receive":{"sender":"alice","amount":"100","msg":"eyJoZWxsbyI6MX0="}} */
    expect_exec("alice",
                "{\"send\":{\"contract\":\"receiver\",\"amount\":\"100\",\"msg\":\"" HELLO_B64
                "\"}}",
                RESP(EXEC_MSG("receiver", "eyJyZWNlaXZlIjp7InNlbmRlciI6ImFsaWNlIiwiYW1vdW50IjoiMTAw"
                                          "IiwibXNnIjoiZXlKb1pXeHNieUk2TVgwPSJ9fQ=="),
                     ATTR("action", "send") "," ATTR("from", "alice") "," ATTR(
                         "to", "receiver") "," ATTR("amount", "100")));
    expect_balance("alice", "900");
    expect_balance("receiver", "100");
    expect_identity();
}

Test(send, binary_reencoded_with_padding, .init = setup) {
    /* "YQ" (unpadded "a") is accepted, as cosmwasm-std 1.x does, and re-encoded as "YQ==". */
    expect_exec("alice", "{\"send\":{\"contract\":\"receiver\",\"amount\":\"7\",\"msg\":\"YQ\"}}",
                RESP(EXEC_MSG("receiver", "eyJyZWNlaXZlIjp7InNlbmRlciI6ImFsaWNlIiwiYW1vdW50IjoiNyIs"
                                          "Im1zZyI6IllRPT0ifX0="),
                     ATTR("action", "send") "," ATTR("from", "alice") "," ATTR(
                         "to", "receiver") "," ATTR("amount", "7")));
    expect_exec("alice", "{\"send\":{\"contract\":\"receiver\",\"amount\":\"0\",\"msg\":\"\"}}",
                RESP(EXEC_MSG("receiver", "eyJyZWNlaXZlIjp7InNlbmRlciI6ImFsaWNlIiwiYW1vdW50IjoiMCIs"
                                          "Im1zZyI6IiJ9fQ=="),
                     ATTR("action", "send") "," ATTR("from", "alice") "," ATTR(
                         "to", "receiver") "," ATTR("amount", "0")));
}

Test(send, testFail_errors, .init = setup) {
    expect_exec_err("alice",
                    "{\"send\":{\"contract\":\"receiver\",\"amount\":\"1001\",\"msg\":\"" HELLO_B64
                    "\"}}",
                    "Overflow: Cannot Sub with 1000 and 1001");
    expect_exec_err("alice",
                    "{\"send\":{\"contract\":\"Receiver\",\"amount\":\"1\",\"msg\":\"" HELLO_B64
                    "\"}}",
                    NOT_NORMALIZED);
    expect_exec_err("alice", "{\"send\":{\"contract\":\"receiver\",\"amount\":\"1\"}}",
                    PARSE_EXEC "missing field `msg`");
    cw_mock_result r = cw_mock_execute(
        "alice", NULL, "{\"send\":{\"contract\":\"receiver\",\"amount\":\"1\",\"msg\":\"*\"}}");
    cr_assert_not(r.ok);
    cr_assert(strncmp(r.error, PARSE_EXEC "Invalid base64: ", strlen(PARSE_EXEC) + 16) == 0, "%s",
              r.error);
    cw_mock_result_free(&r);
}

/* --- Mint and minter --------------------------------------------------------------------- */

Test(mint, by_minter_up_to_cap, .init = setup) {
    expect_exec(
        "minter", "{\"mint\":{\"recipient\":\"carol\",\"amount\":\"8500\"}}",
        RESP("", ATTR("action", "mint") "," ATTR("to", "carol") "," ATTR("amount", "8500")));
    expect_balance("carol", "8500");
    expect_supply("10000");
    expect_identity();
    expect_exec_err("minter", "{\"mint\":{\"recipient\":\"carol\",\"amount\":\"1\"}}",
                    "Minting cannot exceed the cap");
    expect_exec("minter", "{\"mint\":{\"recipient\":\"carol\",\"amount\":\"0\"}}",
                RESP("", ATTR("action", "mint") "," ATTR("to", "carol") "," ATTR("amount", "0")));
}

Test(mint, testFail_errors, .init = setup) {
    expect_exec_err("alice", "{\"mint\":{\"recipient\":\"alice\",\"amount\":\"1\"}}",
                    "Unauthorized");
    expect_exec_err("minter", "{\"mint\":{\"recipient\":\"alice\",\"amount\":\"8501\"}}",
                    "Minting cannot exceed the cap");
    /* The recipient is validated after the cap check; its failure still reverts everything. */
    expect_exec_err("minter", "{\"mint\":{\"recipient\":\"Alice\",\"amount\":\"1\"}}",
                    NOT_NORMALIZED);
    expect_exec_err("alice", "{\"mint\":{\"recipient\":\"Alice\",\"amount\":\"1\"}}",
                    "Unauthorized");
}

Test(mint, testFail_without_minter, .init = fresh) {
    instantiate("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[]}");
    expect_exec_err("minter", "{\"mint\":{\"recipient\":\"alice\",\"amount\":\"1\"}}",
                    "Unauthorized");
    expect_exec_err("minter", "{\"update_minter\":{\"new_minter\":\"bob\"}}", "Unauthorized");
}

Test(mint, unlimited_without_cap, .init = fresh) {
    instantiate("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                "\"mint\":{\"minter\":\"minter\"}}");
    expect_exec("minter",
                "{\"mint\":{\"recipient\":\"alice\",\"amount\":"
                "\"340282366920938463463374607431768211455\"}}",
                RESP("", ATTR("action", "mint") "," ATTR("to", "alice") "," ATTR(
                             "amount", "340282366920938463463374607431768211455")));
    cw_mock_result r =
        cw_mock_execute("minter", NULL, "{\"mint\":{\"recipient\":\"alice\",\"amount\":\"1\"}}");
    cr_assert(r.aborted, "supply overflow must abort (Rust panics)");
    cw_mock_result_free(&r);
}

Test(update_minter, hands_over_role_keeping_cap, .init = setup) {
    expect_exec("minter", "{\"update_minter\":{\"new_minter\":\"carol\"}}",
                RESP("", ATTR("action", "update_minter") "," ATTR("new_minter", "carol")));
    expect_query("{\"minter\":{}}", "{\"minter\":\"carol\",\"cap\":\"10000\"}");
    expect_exec_err("minter", "{\"mint\":{\"recipient\":\"alice\",\"amount\":\"1\"}}",
                    "Unauthorized");
    expect_exec("carol", "{\"mint\":{\"recipient\":\"alice\",\"amount\":\"1\"}}",
                RESP("", ATTR("action", "mint") "," ATTR("to", "alice") "," ATTR("amount", "1")));
}

Test(update_minter, none_removes_forever, .init = setup) {
    expect_exec("minter", "{\"update_minter\":{\"new_minter\":null}}",
                RESP("", ATTR("action", "update_minter") "," ATTR("new_minter", "None")));
    expect_query("{\"minter\":{}}", "null");
    expect_stored(KEY("token_info"), "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
                                     "\"total_supply\":\"1500\",\"mint\":null}");
    expect_exec_err("minter", "{\"mint\":{\"recipient\":\"alice\",\"amount\":\"1\"}}",
                    "Unauthorized");
}

Test(update_minter, absent_field_is_none, .init = setup) {
    expect_exec("minter", "{\"update_minter\":{}}",
                RESP("", ATTR("action", "update_minter") "," ATTR("new_minter", "None")));
}

Test(update_minter, testFail_errors, .init = setup) {
    expect_exec_err("alice", "{\"update_minter\":{\"new_minter\":\"alice\"}}", "Unauthorized");
    expect_exec_err("minter", "{\"update_minter\":{\"new_minter\":\"Alice\"}}", NOT_NORMALIZED);
}

/* --- Allowances -------------------------------------------------------------------------- */

#define ALLOW_KEY(owner, spender)                                                                  \
    "\x00\x09"                                                                                     \
    "allowance" owner spender
#define INCREASE(spender, amount, expires)                                                         \
    "{\"increase_allowance\":{\"spender\":\"" spender "\",\"amount\":\"" amount "\"" expires "}}"
#define ALLOWANCE_ATTRS(action, owner, spender, amount)                                            \
    ATTR("action", action)                                                                         \
    "," ATTR("owner", owner) "," ATTR("spender", spender) "," ATTR("amount", amount)

Test(allowance, increase_twice_and_storage_mirror, .init = setup) {
    expect_exec("alice", INCREASE("spender", "300", ""),
                RESP("", ALLOWANCE_ATTRS("increase_allowance", "alice", "spender", "300")));
    expect_exec("alice", INCREASE("spender", "50", ""),
                RESP("", ALLOWANCE_ATTRS("increase_allowance", "alice", "spender", "50")));
    expect_query("{\"allowance\":{\"owner\":\"alice\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"350\",\"expires\":{\"never\":{}}}");
    expect_stored(KEY("\x00\x09"
                      "allowance\x00\x05"
                      "alicespender"),
                  "{\"allowance\":\"350\",\"expires\":{\"never\":{}}}");
    expect_stored(KEY("\x00\x11"
                      "allowance_spender\x00\x07"
                      "spenderalice"),
                  "{\"allowance\":\"350\",\"expires\":{\"never\":{}}}");
}

Test(allowance, expiration_kinds_and_overwrite, .init = setup) {
    expect_exec("alice", INCREASE("spender", "10", ",\"expires\":{\"at_height\":12346}"),
                RESP("", ALLOWANCE_ATTRS("increase_allowance", "alice", "spender", "10")));
    expect_query("{\"allowance\":{\"owner\":\"alice\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"10\",\"expires\":{\"at_height\":12346}}");
    /* No expires: the old one stays. */
    expect_exec("alice", INCREASE("spender", "1", ""),
                RESP("", ALLOWANCE_ATTRS("increase_allowance", "alice", "spender", "1")));
    expect_query("{\"allowance\":{\"owner\":\"alice\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"11\",\"expires\":{\"at_height\":12346}}");
    expect_exec("alice",
                INCREASE("spender", "1", ",\"expires\":{\"at_time\":\"1571797419879305534\"}"),
                RESP("", ALLOWANCE_ATTRS("increase_allowance", "alice", "spender", "1")));
    expect_stored(KEY("\x00\x09"
                      "allowance\x00\x05"
                      "alicespender"),
                  "{\"allowance\":\"12\",\"expires\":{\"at_time\":\"1571797419879305534\"}}");
    expect_exec("alice", INCREASE("spender", "1", ",\"expires\":{\"never\":{}}"),
                RESP("", ALLOWANCE_ATTRS("increase_allowance", "alice", "spender", "1")));
    expect_query("{\"allowance\":{\"owner\":\"alice\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"13\",\"expires\":{\"never\":{}}}");
    expect_exec("alice", INCREASE("spender", "1", ",\"expires\":null"),
                RESP("", ALLOWANCE_ATTRS("increase_allowance", "alice", "spender", "1")));
}

Test(allowance, testFail_increase_errors, .init = setup) {
    expect_exec_err("alice", INCREASE("alice", "10", ""), "Cannot set to own account");
    expect_exec_err("alice", INCREASE("Spender", "10", ""), NOT_NORMALIZED);
    /* Height 12345 and the mock's time are "now": already expired. */
    expect_exec_err("alice", INCREASE("spender", "10", ",\"expires\":{\"at_height\":12345}"),
                    "Invalid expiration value");
    expect_exec_err("alice",
                    INCREASE("spender", "10", ",\"expires\":{\"at_time\":\"1571797419879305533\"}"),
                    "Invalid expiration value");
    expect_exec_err("alice", INCREASE("spender", "10", ",\"expires\":{\"at_block\":1}"),
                    PARSE_EXEC "unknown variant `at_block`, expected one of `at_height`, "
                               "`at_time`, `never`");
    expect_exec_err("alice", INCREASE("spender", "10", ",\"expires\":{\"at_time\":\"x\"}"),
                    PARSE_EXEC "invalid Uint64 'x' - invalid digit found in string");
    expect_exec_err("alice", INCREASE("spender", "10", ",\"expires\":{\"never\":{\"a\":1}}"),
                    PARSE_EXEC "unknown field `a`, there are no fields");
    /* Expiration values are typed as serde types them (u64 height, Uint64 string time). */
    expect_exec_err("alice", INCREASE("spender", "10", ",\"expires\":{\"at_height\":\"5\"}"),
                    PARSE_EXEC "invalid type: string \"5\", expected u64");
    expect_exec_err("alice", INCREASE("spender", "10", ",\"expires\":{\"at_height\":-1}"),
                    PARSE_EXEC "invalid value: integer `-1`, expected u64");
    expect_exec_err("alice", INCREASE("spender", "10", ",\"expires\":{\"at_height\":1.5}"),
                    PARSE_EXEC "invalid type: floating point `1.5`, expected u64");
    expect_exec_err("alice", INCREASE("spender", "10", ",\"expires\":{\"at_time\":5}"),
                    PARSE_EXEC "invalid type: integer `5`, expected string-encoded integer");
}

Test(allowance, decrease_partial_and_to_zero, .init = setup) {
    expect_exec("alice", INCREASE("spender", "100", ",\"expires\":{\"at_height\":20000}"),
                RESP("", ALLOWANCE_ATTRS("increase_allowance", "alice", "spender", "100")));
    expect_exec("alice",
                "{\"decrease_allowance\":{\"spender\":\"spender\",\"amount\":\"30\",\"expires\":"
                "{\"at_time\":\"1571797419879305600\"}}}",
                RESP("", ALLOWANCE_ATTRS("decrease_allowance", "alice", "spender", "30")));
    expect_query("{\"allowance\":{\"owner\":\"alice\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"70\",\"expires\":{\"at_time\":\"1571797419879305600\"}}");
    expect_stored(KEY("\x00\x11"
                      "allowance_spender\x00\x07"
                      "spenderalice"),
                  "{\"allowance\":\"70\",\"expires\":{\"at_time\":\"1571797419879305600\"}}");
    /* An expired `expires` is rejected while the allowance stays positive... */
    expect_exec_err("alice",
                    "{\"decrease_allowance\":{\"spender\":\"spender\",\"amount\":\"1\",\"expires\":"
                    "{\"at_height\":1}}}",
                    "Invalid expiration value");
    /* ...but not when the decrease removes it (amount ≥ allowance deletes both entries). */
    expect_exec("alice",
                "{\"decrease_allowance\":{\"spender\":\"spender\",\"amount\":\"71\",\"expires\":"
                "{\"at_height\":1}}}",
                RESP("", ALLOWANCE_ATTRS("decrease_allowance", "alice", "spender", "71")));
    expect_absent(KEY("\x00\x09"
                      "allowance\x00\x05"
                      "alicespender"));
    expect_absent(KEY("\x00\x11"
                      "allowance_spender\x00\x07"
                      "spenderalice"));
    expect_query("{\"allowance\":{\"owner\":\"alice\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"0\",\"expires\":{\"never\":{}}}");
}

Test(allowance, testFail_decrease_errors, .init = setup) {
    expect_exec_err("alice", "{\"decrease_allowance\":{\"spender\":\"spender\",\"amount\":\"1\"}}",
                    "cw20::query::AllowanceResponse not found");
    expect_exec_err("alice", "{\"decrease_allowance\":{\"spender\":\"alice\",\"amount\":\"1\"}}",
                    "Cannot set to own account");
    expect_exec_err("alice", "{\"decrease_allowance\":{\"spender\":\"Bob\",\"amount\":\"1\"}}",
                    NOT_NORMALIZED);
}

Test(allowance, testFail_query_invalid_address, .init = setup) {
    expect_query_err("{\"allowance\":{\"owner\":\"Alice\",\"spender\":\"bob\"}}", NOT_NORMALIZED);
    expect_query_err("{\"balance\":{\"address\":\"Alice\"}}", NOT_NORMALIZED);
}

/* --- Spending allowances ----------------------------------------------------------------- */

static void approve(const char *owner, const char *spender, const char *amount,
                    const char *expires) {
    char msg[256];
    snprintf(msg, sizeof msg, "{\"increase_allowance\":{\"spender\":\"%s\",\"amount\":\"%s\"%s}}",
             spender, amount, expires);
    cw_mock_result r = cw_mock_execute(owner, NULL, msg);
    cr_assert(r.ok, "%s", r.error ? r.error : "?");
    cw_mock_result_free(&r);
}

Test(transfer_from, spends_allowance, .init = setup) {
    approve("alice", "spender", "100", "");
    expect_exec(
        "spender",
        "{\"transfer_from\":{\"owner\":\"alice\",\"recipient\":\"carol\",\"amount\":\"60\"}}",
        RESP("", ATTR("action", "transfer_from") "," ATTR("from", "alice") "," ATTR(
                     "to", "carol") "," ATTR("by", "spender") "," ATTR("amount", "60")));
    expect_balance("alice", "940");
    expect_balance("carol", "60");
    expect_query("{\"allowance\":{\"owner\":\"alice\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"40\",\"expires\":{\"never\":{}}}");
    /* Drawn to zero: the entry stays, with "0". */
    expect_exec(
        "spender",
        "{\"transfer_from\":{\"owner\":\"alice\",\"recipient\":\"carol\",\"amount\":\"40\"}}",
        RESP("", ATTR("action", "transfer_from") "," ATTR("from", "alice") "," ATTR(
                     "to", "carol") "," ATTR("by", "spender") "," ATTR("amount", "40")));
    expect_stored(KEY("\x00\x09"
                      "allowance\x00\x05"
                      "alicespender"),
                  "{\"allowance\":\"0\",\"expires\":{\"never\":{}}}");
    expect_stored(KEY("\x00\x11"
                      "allowance_spender\x00\x07"
                      "spenderalice"),
                  "{\"allowance\":\"0\",\"expires\":{\"never\":{}}}");
    expect_identity();
}

Test(transfer_from, testFail_errors, .init = setup) {
    const char *msg =
        "{\"transfer_from\":{\"owner\":\"alice\",\"recipient\":\"carol\",\"amount\":\"60\"}}";
    expect_exec_err("spender", msg, "No allowance for this account");
    approve("alice", "spender", "50", "");
    expect_exec_err("spender", msg, "Overflow: Cannot Sub with 50 and 60");
    expect_exec_err("spender",
                    "{\"transfer_from\":{\"owner\":\"alice\",\"recipient\":\"Carol\",\"amount\":"
                    "\"1\"}}",
                    NOT_NORMALIZED);
    expect_exec_err("spender",
                    "{\"transfer_from\":{\"owner\":\"Alice\",\"recipient\":\"carol\",\"amount\":"
                    "\"1\"}}",
                    NOT_NORMALIZED);
    /* Enough allowance but not enough balance: the allowance deduction is rolled back. */
    approve("carol", "spender", "100", "");
    expect_exec_err("spender",
                    "{\"transfer_from\":{\"owner\":\"carol\",\"recipient\":\"bob\",\"amount\":"
                    "\"10\"}}",
                    "Overflow: Cannot Sub with 0 and 10");
    expect_query("{\"allowance\":{\"owner\":\"carol\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"100\",\"expires\":{\"never\":{}}}");
}

Test(transfer_from, testFail_expired_by_height, .init = setup) {
    approve("alice", "spender", "100", ",\"expires\":{\"at_height\":12350}");
    cw_mock_set_block(12349, 1571797419879305533ull);
    expect_exec(
        "spender",
        "{\"transfer_from\":{\"owner\":\"alice\",\"recipient\":\"carol\",\"amount\":\"1\"}}",
        RESP("", ATTR("action", "transfer_from") "," ATTR("from", "alice") "," ATTR(
                     "to", "carol") "," ATTR("by", "spender") "," ATTR("amount", "1")));
    cw_mock_set_block(12350, 1571797419879305533ull);
    expect_exec_err(
        "spender",
        "{\"transfer_from\":{\"owner\":\"alice\",\"recipient\":\"carol\",\"amount\":\"1\"}}",
        "Allowance is expired");
}

Test(transfer_from, testFail_expired_by_time, .init = setup) {
    approve("alice", "spender", "100", ",\"expires\":{\"at_time\":\"1571797420000000000\"}");
    cw_mock_set_block(12346, 1571797419999999999ull);
    expect_exec("spender", "{\"burn_from\":{\"owner\":\"alice\",\"amount\":\"1\"}}",
                RESP("", ATTR("action", "burn_from") "," ATTR("from", "alice") "," ATTR(
                             "by", "spender") "," ATTR("amount", "1")));
    cw_mock_set_block(12347, 1571797420000000000ull);
    expect_exec_err("spender", "{\"burn_from\":{\"owner\":\"alice\",\"amount\":\"1\"}}",
                    "Allowance is expired");
    expect_exec_err("spender",
                    "{\"send_from\":{\"owner\":\"alice\",\"contract\":\"receiver\",\"amount\":"
                    "\"1\",\"msg\":\"\"}}",
                    "Allowance is expired");
}

Test(send_from, hook_names_the_spender, .init = setup) {
    approve("alice", "spender", "100", "");
    /* base64 of {"receive":{"sender":"spender","amount":"40","msg":"eyJoZWxsbyI6MX0="}} */
    expect_exec("spender",
                "{\"send_from\":{\"owner\":\"alice\",\"contract\":\"receiver\",\"amount\":\"40\","
                "\"msg\":\"" HELLO_B64 "\"}}",
                RESP(EXEC_MSG("receiver", "eyJyZWNlaXZlIjp7InNlbmRlciI6InNwZW5kZXIiLCJhbW91bnQiOiI0"
                                          "MCIsIm1zZyI6ImV5Sm9aV3hzYnlJNk1YMD0ifX0="),
                     ATTR("action", "send_from") "," ATTR("from", "alice") "," ATTR(
                         "to", "receiver") "," ATTR("by", "spender") "," ATTR("amount", "40")));
    expect_balance("alice", "960");
    expect_balance("receiver", "40");
    expect_query("{\"allowance\":{\"owner\":\"alice\",\"spender\":\"spender\"}}",
                 "{\"allowance\":\"60\",\"expires\":{\"never\":{}}}");
    expect_identity();
}

Test(send_from, testFail_errors, .init = setup) {
    expect_exec_err("spender",
                    "{\"send_from\":{\"owner\":\"alice\",\"contract\":\"receiver\",\"amount\":"
                    "\"1\",\"msg\":\"\"}}",
                    "No allowance for this account");
    approve("alice", "spender", "10", "");
    expect_exec_err("spender",
                    "{\"send_from\":{\"owner\":\"alice\",\"contract\":\"receiver\",\"amount\":"
                    "\"11\",\"msg\":\"\"}}",
                    "Overflow: Cannot Sub with 10 and 11");
}

Test(burn_from, reduces_supply, .init = setup) {
    approve("bob", "spender", "500", "");
    expect_exec("spender", "{\"burn_from\":{\"owner\":\"bob\",\"amount\":\"500\"}}",
                RESP("", ATTR("action", "burn_from") "," ATTR("from", "bob") "," ATTR(
                             "by", "spender") "," ATTR("amount", "500")));
    expect_balance("bob", "0");
    expect_supply("1000");
    expect_identity();
}

Test(burn_from, testFail_errors, .init = setup) {
    expect_exec_err("spender", "{\"burn_from\":{\"owner\":\"bob\",\"amount\":\"1\"}}",
                    "No allowance for this account");
    approve("carol", "spender", "5", "");
    expect_exec_err("spender", "{\"burn_from\":{\"owner\":\"carol\",\"amount\":\"5\"}}",
                    "Overflow: Cannot Sub with 0 and 5");
    expect_exec_err("spender", "{\"burn_from\":{\"owner\":\"Carol\",\"amount\":\"5\"}}",
                    NOT_NORMALIZED);
}

/* --- Pagination -------------------------------------------------------------------------- */

/* 35 accounts acc00..acc34 (plus alice, bob from setup). */
static void many_accounts(void) {
    setup();
    for (int i = 0; i < 35; i++) {
        char msg[128];
        snprintf(msg, sizeof msg, "{\"transfer\":{\"recipient\":\"acc%02d\",\"amount\":\"1\"}}", i);
        cw_mock_result r = cw_mock_execute("alice", NULL, msg);
        cr_assert(r.ok);
        cw_mock_result_free(&r);
    }
}

static char *account_list(int from, int to, const char *before, const char *after) {
    static char out[1024];
    size_t n = (size_t)snprintf(out, sizeof out, "{\"accounts\":[%s", before);
    for (int i = from; i < to; i++)
        n += (size_t)snprintf(out + n, sizeof out - n, "%s\"acc%02d\"",
                              (i > from || before[0]) ? "," : "", i);
    snprintf(out + n, sizeof out - n, "%s%s]}", (to > from && after[0]) ? "," : "", after);
    return out;
}

Test(all_accounts, default_limit_is_10, .init = many_accounts) {
    expect_query("{\"all_accounts\":{}}", account_list(0, 10, "", ""));
}

Test(all_accounts, limit_capped_at_30, .init = many_accounts) {
    expect_query("{\"all_accounts\":{\"limit\":50}}", account_list(0, 30, "", ""));
    expect_query("{\"all_accounts\":{\"limit\":3}}", account_list(0, 3, "", ""));
    expect_query("{\"all_accounts\":{\"limit\":0}}", "{\"accounts\":[]}");
}

Test(all_accounts, start_after_is_exclusive_and_unvalidated, .init = many_accounts) {
    expect_query("{\"all_accounts\":{\"start_after\":\"acc29\",\"limit\":30}}",
                 account_list(30, 35, "", "\"alice\",\"bob\""));
    expect_query("{\"all_accounts\":{\"start_after\":\"acc33\",\"limit\":2}}",
                 account_list(34, 35, "", "\"alice\""));
    /* Not an address, not stored: still a byte bound. */
    expect_query("{\"all_accounts\":{\"start_after\":\"B\",\"limit\":1}}",
                 account_list(0, 1, "", ""));
    expect_query("{\"all_accounts\":{\"start_after\":\"b\"}}", "{\"accounts\":[\"bob\"]}");
    expect_query("{\"all_accounts\":{\"start_after\":\"bob\"}}", "{\"accounts\":[]}");
    expect_query("{\"all_accounts\":{\"start_after\":null,\"limit\":null}}",
                 account_list(0, 10, "", ""));
}

Test(all_accounts, testFail_strict_parsing, .init = setup) {
    expect_query_err("{\"all_accounts\":{\"limit\":-1}}",
                     PARSE_QUERY "invalid value: integer `-1`, expected u32");
    expect_query_err("{\"all_accounts\":{\"limit\":4294967296}}",
                     PARSE_QUERY "invalid value: integer `4294967296`, expected u32");
    expect_query_err("{\"all_accounts\":{\"page\":1}}",
                     PARSE_QUERY "unknown field `page`, expected `start_after` or `limit`");
    expect_query_err("{\"accounts\":{}}",
                     PARSE_QUERY "unknown variant `accounts`, expected one of `balance`, "
                                 "`token_info`, `minter`, `allowance`, `all_allowances`, "
                                 "`all_spender_allowances`, `all_accounts`, `marketing_info`");
    expect_query_err("{\"token_info\":{\"x\":1}}",
                     PARSE_QUERY "unknown field `x`, there are no fields");
}

static void many_allowances(void) {
    setup();
    /* alice approves sp00..sp34; sp07 is also approved by bob. */
    for (int i = 0; i < 35; i++) {
        char spender[16], amount[16];
        snprintf(spender, sizeof spender, "sp%02d", i);
        snprintf(amount, sizeof amount, "%d", i + 1);
        approve("alice", spender, amount, i == 3 ? ",\"expires\":{\"at_height\":99999}" : "");
    }
    approve("bob", "sp07", "77", "");
}

Test(all_allowances, pages_by_owner, .init = many_allowances) {
    char want[4096];
    size_t n = (size_t)snprintf(want, sizeof want, "{\"allowances\":[");
    for (int i = 0; i < 10; i++)
        n += (size_t)snprintf(want + n, sizeof want - n,
                              "%s{\"spender\":\"sp%02d\",\"allowance\":\"%d\",\"expires\":%s}",
                              i ? "," : "", i, i + 1,
                              i == 3 ? "{\"at_height\":99999}" : "{\"never\":{}}");
    snprintf(want + n, sizeof want - n, "]}");
    expect_query("{\"all_allowances\":{\"owner\":\"alice\"}}", want);

    expect_query("{\"all_allowances\":{\"owner\":\"alice\",\"start_after\":\"sp32\",\"limit\":30}}",
                 "{\"allowances\":[{\"spender\":\"sp33\",\"allowance\":\"34\",\"expires\":{"
                 "\"never\":{}}},{\"spender\":\"sp34\",\"allowance\":\"35\",\"expires\":{\"never\":"
                 "{}}}]}");
    expect_query("{\"all_allowances\":{\"owner\":\"bob\"}}",
                 "{\"allowances\":[{\"spender\":\"sp07\",\"allowance\":\"77\",\"expires\":{"
                 "\"never\":{}}}]}");
    expect_query("{\"all_allowances\":{\"owner\":\"carol\"}}", "{\"allowances\":[]}");
    expect_query("{\"all_allowances\":{\"owner\":\"alice\",\"limit\":0}}", "{\"allowances\":[]}");
}

Test(all_allowances, limit_capped_at_30, .init = many_allowances) {
    cw_mock_result r = cw_mock_query("{\"all_allowances\":{\"owner\":\"alice\",\"limit\":100}}");
    cr_assert(r.ok);
    size_t count = 0;
    for (const char *p = r.answer_json; (p = strstr(p, "\"spender\"")); p++) count++;
    cr_assert_eq(count, 30);
    cr_assert(strstr(r.answer_json, "\"sp29\"") && !strstr(r.answer_json, "\"sp30\""));
    cw_mock_result_free(&r);
}

Test(all_spender_allowances, pages_by_spender, .init = many_allowances) {
    expect_query("{\"all_spender_allowances\":{\"spender\":\"sp07\"}}",
                 "{\"allowances\":[{\"owner\":\"alice\",\"allowance\":\"8\",\"expires\":{"
                 "\"never\":{}}},{\"owner\":\"bob\",\"allowance\":\"77\",\"expires\":{\"never\":"
                 "{}}}]}");
    expect_query("{\"all_spender_allowances\":{\"spender\":\"sp07\",\"start_after\":\"alice\"}}",
                 "{\"allowances\":[{\"owner\":\"bob\",\"allowance\":\"77\",\"expires\":{\"never\":"
                 "{}}}]}");
    expect_query("{\"all_spender_allowances\":{\"spender\":\"sp07\",\"limit\":1}}",
                 "{\"allowances\":[{\"owner\":\"alice\",\"allowance\":\"8\",\"expires\":{"
                 "\"never\":{}}}]}");
    expect_query_err("{\"all_spender_allowances\":{\"spender\":\"SP07\"}}", NOT_NORMALIZED);
    expect_query_err("{\"all_spender_allowances\":{}}", PARSE_QUERY "missing field `spender`");
}

/* --- Marketing: stored at instantiate, the extension omitted ----------------------------- */

static void marketing_setup(void) {
    cw_mock_reset();
    instantiate(
        "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
        "\"initial_balances\":[],\"marketing\":{\"project\":\"https://ballast.example\","
        "\"description\":\"A \\\"stable\\\" token\",\"marketing\":\"marketer\",\"logo\":{\"url\":"
        "\"https://ballast.example/logo.png\"}}}");
}

Test(marketing, instantiate_stores_info_and_url_logo, .init = marketing_setup) {
    const char *info =
        "{\"project\":\"https://ballast.example\",\"description\":\"A "
        "\\\"stable\\\" token\",\"logo\":{\"url\":\"https://ballast.example/logo.png\"},"
        "\"marketing\":\"marketer\"}";
    expect_stored(KEY("marketing_info"), info);
    expect_stored(KEY("logo"), "{\"url\":\"https://ballast.example/logo.png\"}");
    expect_query("{\"marketing_info\":{}}", info);
}

/* The record is saved even when every field is null (cw20-base does the same). */
Test(marketing, instantiate_all_null_record, .init = fresh) {
    instantiate("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                "\"marketing\":{\"project\":null,\"logo\":null}}");
    const char *info = "{\"project\":null,\"description\":null,\"logo\":null,\"marketing\":null}";
    expect_stored(KEY("marketing_info"), info);
    expect_absent(KEY("logo"));
    expect_query("{\"marketing_info\":{}}", info);
}

Test(marketing, testFail_extension_variants_refused, .init = marketing_setup) {
    expect_exec_err("marketer", "{\"update_marketing\":{\"project\":\"x\"}}",
                    "update_marketing is not supported by stable_token (marketing extension "
                    "omitted)");
    expect_exec_err("marketer", "{\"upload_logo\":{\"url\":\"x\"}}",
                    "upload_logo is not supported by stable_token (marketing extension omitted)");
    expect_exec_err("alice", "{\"upload_logo\":{\"embedded\":{\"png\":\"iVBORw0KGgo=\"}}}",
                    "upload_logo is not supported by stable_token (marketing extension omitted)");
    expect_query_err("{\"download_logo\":{}}",
                     "download_logo is not supported by stable_token (marketing extension "
                     "omitted)");
}

Test(marketing, testFail_extension_variants_refused_without_marketing, .init = setup) {
    expect_exec_err("alice", "{\"update_marketing\":{}}",
                    "update_marketing is not supported by stable_token (marketing extension "
                    "omitted)");
    expect_query_err("{\"download_logo\":{}}",
                     "download_logo is not supported by stable_token (marketing extension "
                     "omitted)");
    expect_query("{\"marketing_info\":{}}",
                 "{\"project\":null,\"description\":null,\"logo\":null,\"marketing\":null}");
}

Test(marketing, testFail_instantiate_refusals, .init = fresh) {
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"marketing\":{\"logo\":{\"embedded\":{\"svg\":\"PHN2Zz48L3N2Zz4=\"}}}}",
                    "embedded logos are not supported by stable_token; use a url");
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"marketing\":{\"logo\":{\"embedded\":{\"png\":\"iVBORw0KGgo=\"}},"
                    "\"marketing\":\"marketer\"}}",
                    "embedded logos are not supported by stable_token; use a url");
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"marketing\":{\"logo\":{\"gif\":\"x\"}}}",
                    PARSE_INIT "unknown variant `gif`, expected `url` or `embedded`");
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"marketing\":{\"logo\":{\"url\":7}}}",
                    PARSE_INIT "invalid type: integer `7`, expected a string");
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"marketing\":{\"marketing\":\"Bad\"}}",
                    NOT_NORMALIZED);
    expect_init_err("{\"name\":\"Cash\",\"symbol\":\"CASH\",\"decimals\":6,\"initial_balances\":[],"
                    "\"marketing\":{\"site\":\"x\"}}",
                    PARSE_INIT "unknown field `site`, expected one of `project`, `description`, "
                               "`marketing`, `logo`");
}

/* --- Whole-contract properties ----------------------------------------------------------- */

Test(identity, holds_through_a_mixed_sequence, .init = setup) {
    approve("alice", "spender", "300", "");
    const char *steps[][2] = {
        {"alice", "{\"transfer\":{\"recipient\":\"carol\",\"amount\":\"123\"}}"},
        {"minter", "{\"mint\":{\"recipient\":\"dave\",\"amount\":\"4000\"}}"},
        {"dave", "{\"burn\":{\"amount\":\"1500\"}}"},
        {"spender", "{\"burn_from\":{\"owner\":\"alice\",\"amount\":\"100\"}}"},
        {"spender", "{\"transfer_from\":{\"owner\":\"alice\",\"recipient\":\"bob\",\"amount\":"
                    "\"150\"}}"},
        {"bob", "{\"send\":{\"contract\":\"receiver\",\"amount\":\"650\",\"msg\":\"\"}}"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        cw_mock_result r = cw_mock_execute(steps[i][0], NULL, steps[i][1]);
        cr_assert(r.ok, "%s: %s", steps[i][1], r.error ? r.error : "?");
        cw_mock_result_free(&r);
        expect_identity();
    }
    expect_supply("3900");
    expect_balance("alice", "627");
    expect_balance("bob", "0");
    expect_balance("carol", "123");
    expect_balance("dave", "2500");
    expect_balance("receiver", "650");
    expect_balance("spender", "0");
}

Test(identity, violation_is_detected, .init = setup) {
    /* Corrupt storage behind the contract's back: total_supply no longer matches a burn. */
    const char *bad =
        "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
        "\"total_supply\":\"1500\",\"mint\":{\"minter\":\"minter\",\"cap\":\"1000\"}}";
    cw_mock_storage_set(KEY("token_info"), bad, strlen(bad));
    expect_exec_err("bob", "{\"burn\":{\"amount\":\"1\"}}",
                    "accounting identity violated: total_supply 1499 exceeds cap 1000");
}

Test(memory, calls_do_not_leak, .init = setup) {
    size_t before, after;
    cw_mock_alloc_stats(&before, NULL, NULL);
    approve("alice", "spender", "100", "");
    cw_mock_result r = cw_mock_execute(
        "spender", NULL,
        "{\"send_from\":{\"owner\":\"alice\",\"contract\":\"receiver\",\"amount\":\"1\",\"msg\":"
        "\"" HELLO_B64 "\"}}");
    cw_mock_result_free(&r);
    r = cw_mock_execute("alice", NULL, "{\"transfer\":{\"recipient\":\"Bad\",\"amount\":\"1\"}}");
    cw_mock_result_free(&r);
    r = cw_mock_query("{\"all_allowances\":{\"owner\":\"alice\"}}");
    cw_mock_result_free(&r);
    r = cw_mock_query("{\"token_info\":{\"a\\u0062\":1}}");
    cw_mock_result_free(&r);
    /* A small integer that cw_json_u64 refuses: its error is replaced by serde's (and freed). */
    r = cw_mock_execute("alice", NULL,
                        "{\"increase_allowance\":{\"spender\":\"spender\",\"amount\":\"1\","
                        "\"expires\":{\"at_height\":1.5}}}");
    cr_assert_not_null(r.error);
    cw_mock_result_free(&r);
    cw_mock_alloc_stats(&after, NULL, NULL);
    cr_assert_eq(after, before, "live blocks %zu -> %zu", before, after);
}
