/* Tests for the native mock (sdk/mock/cw_mock.c) and the entry glue (sdk/src/cw_entry.c):
 * ordered storage iteration, rollback of failed calls, Env/MessageInfo parsing, the exact
 * result JSON, mock addresses and chain queries, and the cw_str.c helpers (buffers, printf,
 * decimal conversion, errors). The contract under test is defined below with CW_CONTRACT. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cw_entry.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_mock.h"

/* --- The test contract ---------------------------------------------------------------------- */

static cw_error *str_field(cw_json obj, const char *key, cw_str *out) {
    cw_json v = cw_json_get(obj, key);
    bool owned;
    if (v.type != CW_JSON_STRING) return cw_errorf("missing field `%s`", key);
    CW_TRY(cw_json_string(v, out, &owned));
    if (owned) return cw_errorf("test contract: no escapes in `%s`", key);
    return NULL;
}

static uint64_t read_count(void) {
    cw_str v;
    if (!cw_db_read(CW_LIT("count"), &v)) return 0;
    uint64_t n = 0;
    for (size_t i = 0; i < v.len; i++) n = n * 10 + (uint64_t)(v.ptr[i] - '0');
    cw_free((void *)v.ptr);
    return n;
}

static void write_count(uint64_t n) {
    char digits[24];
    size_t len = cw_u64_to_dec(n, digits);
    cw_db_write(CW_LIT("count"), (cw_str){digits, len});
}

static cw_error *t_instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                               cw_response *res) {
    (void)env;
    uint64_t count;
    CW_TRY(cw_json_u64(cw_json_get(msg, "count"), &count));
    write_count(count);
    cw_db_write(CW_LIT("owner"), info->sender);
    cw_res_attr_c(res, "action", "instantiate");
    cw_res_attr_u64(res, "count", count);
    return NULL;
}

/* Each query appends its answer as attribute `answer`. */
static cw_error *query_into_attr(cw_str request, cw_response *res) {
    cw_str answer;
    CW_TRY(cw_query_chain(request, &answer));
    cw_res_attr(res, "answer", answer);
    cw_free((void *)answer.ptr);
    return NULL;
}

static cw_error *t_execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    cw_str variant;
    cw_json body;
    CW_TRY(cw_json_enum(msg, &variant, &body));
    if (cw_str_eq_c(variant, "increment")) {
        uint64_t n = read_count() + 1;
        write_count(n);
        cw_res_attr_c(res, "action", "increment");
        cw_res_attr_u64(res, "count", n);
        return NULL;
    }
    if (cw_str_eq_c(variant, "set")) {
        cw_str k, v;
        CW_TRY(str_field(body, "key", &k));
        CW_TRY(str_field(body, "value", &v));
        cw_db_write(k, v);
        return NULL;
    }
    if (cw_str_eq_c(variant, "remove")) {
        cw_str k;
        CW_TRY(str_field(body, "key", &k));
        cw_db_remove(k);
        return NULL;
    }
    if (cw_str_eq_c(variant, "fail_after_write")) {
        write_count(999);
        cw_db_write(CW_LIT("junk"), CW_LIT("x"));
        cw_db_remove(CW_LIT("owner"));
        return cw_errorf("bad \"quote\" \\ back\nnew\ttab\x01\x1f end %d", 42);
    }
    if (cw_str_eq_c(variant, "abort_after_write")) {
        write_count(777);
        cw_db_write(CW_LIT("junk"), CW_LIT("y"));
        cw_abort("boom: invariant broken");
    }
    if (cw_str_eq_c(variant, "env")) {
        cw_res_attr_u64(res, "height", env->height);
        cw_res_attr_u64(res, "time", env->time_ns);
        cw_res_attr(res, "chain_id", env->chain_id);
        cw_res_attr_c(res, "has_tx", env->has_transaction ? "yes" : "no");
        cw_res_attr_u64(res, "tx_index", env->transaction_index);
        cw_res_attr(res, "contract", env->contract_address);
        cw_res_attr(res, "sender", info->sender);
        for (size_t i = 0; i < info->n_funds; i++)
            cw_res_attr_u128(res, "fund", info->funds[i].amount);
        for (size_t i = 0; i < info->n_funds; i++) cw_res_attr(res, "denom", info->funds[i].denom);
        return NULL;
    }
    if (cw_str_eq_c(variant, "query")) { /* {"query":{"request":"<JSON text>"}} */
        cw_json req = cw_json_get(body, "request");
        cw_str text;
        bool owned;
        CW_TRY(cw_json_string(req, &text, &owned));
        cw_error *err = query_into_attr(text, res);
        if (owned) cw_free((void *)text.ptr);
        return err;
    }
    if (cw_str_eq_c(variant, "validate")) {
        cw_str addr;
        CW_TRY(str_field(body, "addr", &addr));
        CW_TRY(cw_addr_validate(addr));
        cw_buf canon = {0}, human = {0};
        CW_TRY(cw_addr_canonicalize(addr, &canon));
        CW_TRY(cw_addr_humanize(cw_buf_view(&canon), &human));
        cw_res_attr(res, "human", cw_buf_view(&human));
        cw_buf_free(&canon);
        cw_buf_free(&human);
        return NULL;
    }
    if (cw_str_eq_c(variant, "data")) {
        cw_res_data(res, CW_LIT("\x00\x01\xfe"));
        return NULL;
    }
    return cw_errorf("unknown variant %S", variant);
}

static cw_error *t_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    cw_str variant;
    cw_json body;
    CW_TRY(cw_json_enum(msg, &variant, &body));
    if (cw_str_eq_c(variant, "count")) {
        cw_buf_printf(answer, "{\"count\":\"%llu\"}", (unsigned long long)read_count());
        return NULL;
    }
    if (cw_str_eq_c(variant, "write")) {
        cw_db_write(CW_LIT("count"), CW_LIT("1000"));
        return NULL;
    }
    return cw_errorf("unknown query %S", variant);
}

static cw_error *t_migrate(const cw_env *env, cw_json msg, cw_response *res) {
    (void)env;
    uint64_t n;
    CW_TRY(cw_json_u64(cw_json_get(msg, "count"), &n));
    write_count(n);
    cw_res_attr_c(res, "action", "migrate");
    return NULL;
}

static cw_error *t_reply(const cw_env *env, cw_json msg, cw_response *res) {
    (void)env, (void)res;
    uint64_t id;
    CW_TRY(cw_json_u64(cw_json_get(msg, "id"), &id));
    write_count(id);
    return cw_errorf("reply %llu rejected", (unsigned long long)id);
}

CW_CONTRACT(t_instantiate, t_execute, t_query)
CW_CONTRACT_MIGRATE(t_migrate)
CW_CONTRACT_REPLY(t_reply)

/* --- Helpers -------------------------------------------------------------------------------- */

static void setup(void) {
    cw_mock_reset();
}

TestSuite(mock, .init = setup);

static cw_mock_result ok_exec(const char *msg) {
    cw_mock_result r = cw_mock_execute("alice", NULL, msg);
    cr_assert(r.ok, "execute %s failed: %s", msg, r.error ? r.error : "");
    return r;
}

static void put(const char *k, const char *v) {
    cw_mock_storage_set(k, strlen(k), v, strlen(v));
}

/* Iterate with cw_db_scan/next and join "key=value" pairs with ',' for comparison. */
static char *scan_all(const char *start, const char *end, int order) {
    static char out[1024];
    cw_str s = start ? cw_cstr(start) : (cw_str){0}, e = end ? cw_cstr(end) : (cw_str){0};
    cw_iter it = cw_db_scan(start ? &s : NULL, end ? &e : NULL, order);
    size_t n = 0;
    out[0] = 0;
    cw_str k, v;
    while (cw_db_next(it, &k, &v)) {
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%.*s=%.*s", n ? "," : "", (int)k.len,
                              k.ptr, (int)v.len, v.ptr);
        cw_free((void *)k.ptr);
        cw_free((void *)v.ptr);
    }
    cr_assert_not(cw_db_next(it, &k, &v), "an exhausted iterator stays exhausted");
    return out;
}

static size_t live_blocks(void) {
    size_t n;
    cw_mock_alloc_stats(&n, NULL, NULL);
    return n;
}

/* --- Storage -------------------------------------------------------------------------------- */

Test(mock, storage_read_write_remove) {
    cw_str v;
    cr_assert_not(cw_db_read(CW_LIT("k"), &v));
    cw_db_write(CW_LIT("k"), CW_LIT("v1"));
    cr_assert(cw_db_read(CW_LIT("k"), &v));
    cr_assert_eq(v.len, 2);
    cr_assert_arr_eq(v.ptr, "v1", 2);
    cw_free((void *)v.ptr);
    cw_db_write(CW_LIT("k"), CW_LIT("value two"));
    cr_assert(cw_mock_storage_get("k", 1, &v));
    cr_assert_eq(v.len, 9);
    cr_assert_eq(cw_mock_storage_count(), 1);
    cw_db_remove(CW_LIT("k"));
    cw_db_remove(CW_LIT("absent"));
    cr_assert_eq(cw_mock_storage_count(), 0);
    cr_assert_not(cw_mock_storage_get("k", 1, &v));
}

Test(mock, storage_iterates_in_byte_order_both_directions) {
    put("b", "2");
    put("a", "1");
    put("ab", "3");
    put("c", "4");
    put("a\x7f", "5");
    cw_mock_storage_set("a\x80", 2, "6", 1); /* bytes compare unsigned: 0x80 after 0x7f */
    cr_assert_str_eq(scan_all(NULL, NULL, CW_ORDER_ASC), "a=1,ab=3,a\x7f=5,a\x80=6,b=2,c=4");
    cr_assert_str_eq(scan_all(NULL, NULL, CW_ORDER_DESC), "c=4,b=2,a\x80=6,a\x7f=5,ab=3,a=1");
    cw_str k, v;
    cw_mock_storage_at(0, &k, &v);
    cr_assert_eq(k.len, 1);
    cr_assert_eq(k.ptr[0], 'a');
}

Test(mock, storage_bounds_are_start_inclusive_end_exclusive) {
    put("a", "1");
    put("b", "2");
    put("c", "3");
    put("d", "4");
    cr_assert_str_eq(scan_all("b", "d", CW_ORDER_ASC), "b=2,c=3");
    cr_assert_str_eq(scan_all("b", "d", CW_ORDER_DESC), "c=3,b=2");
    cr_assert_str_eq(scan_all("bb", NULL, CW_ORDER_ASC), "c=3,d=4");
    cr_assert_str_eq(scan_all(NULL, "b", CW_ORDER_DESC), "a=1");
    cr_assert_str_eq(scan_all(NULL, "a", CW_ORDER_ASC), "");
    cr_assert_str_eq(scan_all("d", "d", CW_ORDER_ASC), "");
    cr_assert_str_eq(scan_all("x", "b", CW_ORDER_DESC), "");
    cr_assert_str_eq(scan_all("", "", CW_ORDER_ASC), "");
    cr_assert_str_eq(scan_all("", NULL, CW_ORDER_DESC), "d=4,c=3,b=2,a=1");
}

Test(mock, concurrent_iterators_and_writes_between_steps) {
    put("a", "1");
    put("b", "2");
    put("c", "3");
    cw_iter up = cw_db_scan(NULL, NULL, CW_ORDER_ASC);
    cw_iter down = cw_db_scan(NULL, NULL, CW_ORDER_DESC);
    cr_assert_neq(up, down);
    cw_str k, v;
    cr_assert(cw_db_next(up, &k, &v));
    cr_assert_eq(k.ptr[0], 'a');
    cw_free((void *)k.ptr);
    cw_free((void *)v.ptr);
    cr_assert(cw_db_next(down, &k, &v));
    cr_assert_eq(k.ptr[0], 'c');
    cw_free((void *)k.ptr);
    cw_free((void *)v.ptr);
    /* A write between steps: the ascending iterator continues after the last key it gave. */
    cw_db_remove(CW_LIT("b"));
    cw_db_write(CW_LIT("bb"), CW_LIT("9"));
    cr_assert(cw_db_next(up, &k, &v));
    cr_assert_eq(k.len, 2);
    cr_assert_arr_eq(k.ptr, "bb", 2);
    cr_assert_arr_eq(v.ptr, "9", 1);
    cw_free((void *)k.ptr);
    cw_free((void *)v.ptr);
    cr_assert(cw_db_next(down, &k, &v));
    cr_assert_arr_eq(k.ptr, "bb", 2);
    cw_free((void *)k.ptr);
    cw_free((void *)v.ptr);
}

static void next_on_bad_iterator(void *ctx) {
    (void)ctx;
    cw_str k, v;
    cw_db_next(42, &k, &v);
}

static void write_empty_value(void *ctx) {
    (void)ctx;
    cw_db_write(CW_LIT("k"), CW_LIT(""));
}

Test(mock, storage_misuse_aborts) {
    char *msg = cw_mock_catch_abort(next_on_bad_iterator, NULL);
    cr_assert_str_eq(msg, "cw_db_next: iterator does not exist");
    free(msg);
    msg = cw_mock_catch_abort(write_empty_value, NULL);
    cr_assert_str_eq(msg, "cw_db_write: value must not be empty (use cw_db_remove)");
    free(msg);
}

/* --- Calls, results and rollback ------------------------------------------------------------ */

Test(mock, instantiate_execute_query_roundtrip) {
    cw_mock_result r = cw_mock_instantiate("alice", "[]", "{\"count\":41}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_not(r.aborted);
    cr_assert_null(r.error);
    cr_assert_str_eq(r.response_json,
                     "{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":"
                     "\"instantiate\"},{\"key\":\"count\",\"value\":\"41\"}],\"events\":[],"
                     "\"data\":null}");
    cw_mock_result_free(&r);
    r = ok_exec("{\"increment\":{}}");
    cr_assert_str_eq(r.response_json,
                     "{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":"
                     "\"increment\"},{\"key\":\"count\",\"value\":\"42\"}],\"events\":[],"
                     "\"data\":null}");
    cw_mock_result_free(&r);
    r = cw_mock_query("{\"count\":{}}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(r.answer_json, "{\"count\":\"42\"}");
    cr_assert_null(r.response_json);
    cw_mock_result_free(&r);
    cw_str owner;
    cr_assert(cw_mock_storage_get("owner", 5, &owner));
    cr_assert_eq(owner.len, 5);
    cr_assert_arr_eq(owner.ptr, "alice", 5);
}

Test(mock, error_rolls_back_every_write) {
    cw_mock_result r = cw_mock_instantiate("alice", NULL, "{\"count\":5}");
    cw_mock_result_free(&r);
    size_t before = cw_mock_storage_count();
    r = cw_mock_execute("bob", NULL, "{\"fail_after_write\":{}}");
    cr_assert_not(r.ok);
    cr_assert_not(r.aborted);
    cr_assert_str_eq(r.error, "bad \"quote\" \\ back\nnew\ttab\x01\x1f end 42");
    cr_assert_null(r.response_json);
    cw_mock_result_free(&r);
    cr_assert_eq(cw_mock_storage_count(), before);
    cw_str v;
    cr_assert(cw_mock_storage_get("count", 5, &v));
    cr_assert_arr_eq(v.ptr, "5", 1);
    cr_assert_eq(v.len, 1);
    cr_assert(cw_mock_storage_get("owner", 5, &v), "a removed key is restored");
    cr_assert_not(cw_mock_storage_get("junk", 4, &v), "a created key is removed");
}

Test(mock, abort_rolls_back_and_reports_message) {
    cw_mock_result r = cw_mock_instantiate("alice", NULL, "{\"count\":5}");
    cw_mock_result_free(&r);
    r = cw_mock_execute("bob", NULL, "{\"abort_after_write\":{}}");
    cr_assert_not(r.ok);
    cr_assert(r.aborted);
    cr_assert_str_eq(r.error, "boom: invariant broken");
    cw_mock_result_free(&r);
    cw_str v;
    cr_assert(cw_mock_storage_get("count", 5, &v));
    cr_assert_arr_eq(v.ptr, "5", 1);
    cr_assert_not(cw_mock_storage_get("junk", 4, &v));
    /* The mock still works after an abort. */
    r = ok_exec("{\"increment\":{}}");
    cw_mock_result_free(&r);
    cr_assert(cw_mock_storage_get("count", 5, &v));
    cr_assert_arr_eq(v.ptr, "6", 1);
}

Test(mock, query_cannot_write) {
    cw_mock_result r = cw_mock_instantiate("alice", NULL, "{\"count\":5}");
    cw_mock_result_free(&r);
    r = cw_mock_query("{\"write\":{}}");
    cr_assert(r.aborted);
    cr_assert_str_eq(r.error, "Write access denied: storage is read-only in queries");
    cw_mock_result_free(&r);
    cw_str v;
    cr_assert(cw_mock_storage_get("count", 5, &v));
    cr_assert_arr_eq(v.ptr, "5", 1);
}

Test(mock, migrate_reply_and_missing_entry_points) {
    cw_mock_result r = cw_mock_migrate("{\"count\":9}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(r.response_json, "{\"messages\":[],\"attributes\":[{\"key\":\"action\","
                                      "\"value\":\"migrate\"}],\"events\":[],\"data\":null}");
    cw_mock_result_free(&r);
    r = cw_mock_reply("{\"id\":7}");
    cr_assert_str_eq(r.error, "reply 7 rejected");
    cw_mock_result_free(&r);
    cw_str v;
    cr_assert(cw_mock_storage_get("count", 5, &v));
    cr_assert_arr_eq(v.ptr, "9", 1, "the failed reply was rolled back");
    r = cw_mock_sudo("{}");
    cr_assert_not(r.ok);
    cr_assert_str_eq(r.error, "contract has no sudo entry point");
    cw_mock_result_free(&r);
}

Test(mock, invalid_message_json_is_an_error) {
    cw_mock_result r = cw_mock_execute("alice", NULL, "{\"increment\":");
    cr_assert_not(r.ok);
    cr_assert_not(r.aborted);
    cr_assert_not_null(r.error);
    cr_assert_eq(strncmp(r.error, "invalid JSON at byte", 20), 0, "%s", r.error);
    cw_mock_result_free(&r);
}

Test(mock, data_is_base64) {
    cw_mock_result r = ok_exec("{\"data\":{}}");
    cr_assert_str_eq(r.response_json,
                     "{\"messages\":[],\"attributes\":[],\"events\":[],\"data\":\"AAH+\"}");
    cw_mock_result_free(&r);
}

Test(mock, successful_calls_do_not_leak) {
    cw_mock_result r =
        cw_mock_instantiate("alice", "[{\"denom\":\"uatom\",\"amount\":\"1\"}]", "{\"count\":1}");
    cw_mock_result_free(&r);
    size_t before = live_blocks();
    for (int i = 0; i < 10; i++) {
        r = ok_exec("{\"increment\":{}}");
        cw_mock_result_free(&r);
        r = cw_mock_query("{\"count\":{}}");
        cw_mock_result_free(&r);
        r = cw_mock_execute("bob", NULL, "{\"fail_after_write\":{}}");
        cw_mock_result_free(&r);
        r = cw_mock_execute("bob", "[{\"denom\":\"a\",\"amount\":\"2\"}]", "{\"env\":{}}");
        cw_mock_result_free(&r);
    }
    cr_assert_eq(live_blocks(), before);
}

/* --- Env and MessageInfo -------------------------------------------------------------------- */

Test(mock, default_env_json_exact) {
    char *env = cw_mock_env_json();
    cr_assert_str_eq(env, "{\"block\":{\"height\":12345,\"time\":\"1571797419879305533\","
                          "\"chain_id\":\"cosmos-testnet-14002\"},\"transaction\":{\"index\":3},"
                          "\"contract\":{\"address\":\"cosmos2contract\"}}");
    free(env);
    cw_mock_set_transaction(false, 0);
    cw_mock_set_block(1, 18446744073709551615ull);
    env = cw_mock_env_json();
    cr_assert_str_eq(env, "{\"block\":{\"height\":1,\"time\":\"18446744073709551615\","
                          "\"chain_id\":\"cosmos-testnet-14002\"},\"transaction\":null,"
                          "\"contract\":{\"address\":\"cosmos2contract\"}}");
    free(env);
}

Test(mock, env_and_info_reach_the_handler) {
    cw_mock_set_block(777, 1700000000000000001ull);
    cw_mock_set_chain_id("ballast-1");
    cw_mock_set_contract_address("wasm1xyz");
    cw_mock_set_transaction(false, 0);
    cw_mock_result r = cw_mock_execute(
        "carol",
        "[{\"denom\":\"uatom\",\"amount\":\"340282366920938463463374607431768211455\"},"
        "{\"denom\":\"ujuno\",\"amount\":\"0\"}]",
        "{\"env\":{}}");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_str_eq(
        r.response_json,
        "{\"messages\":[],\"attributes\":[{\"key\":\"height\",\"value\":\"777\"},{\"key\":"
        "\"time\",\"value\":\"1700000000000000001\"},{\"key\":\"chain_id\",\"value\":\"ballast-"
        "1\"},{\"key\":\"has_tx\",\"value\":\"no\"},{\"key\":\"tx_index\",\"value\":\"0\"},{"
        "\"key\":\"contract\",\"value\":\"wasm1xyz\"},{\"key\":\"sender\",\"value\":\"carol\"},{"
        "\"key\":\"fund\",\"value\":\"340282366920938463463374607431768211455\"},{\"key\":"
        "\"fund\",\"value\":\"0\"},{\"key\":\"denom\",\"value\":\"uatom\"},{\"key\":\"denom\","
        "\"value\":\"ujuno\"}],\"events\":[],\"data\":null}");
    cw_mock_result_free(&r);
}

Test(mock, env_parse_fields_and_transaction_forms) {
    cw_env env;
    const char *with_tx = "{\"block\":{\"height\":18446744073709551615,\"time\":\"5\","
                          "\"chain_id\":\"c-1\"},\"transaction\":{\"index\":4294967295},"
                          "\"contract\":{\"address\":\"wasm1c\"}}";
    cr_assert_null(cw_env_parse(cw_cstr(with_tx), &env));
    cr_assert_eq(env.height, UINT64_MAX);
    cr_assert_eq(env.time_ns, 5);
    cr_assert(cw_str_eq_c(env.chain_id, "c-1"));
    cr_assert(env.has_transaction);
    cr_assert_eq(env.transaction_index, 4294967295u);
    cr_assert(cw_str_eq_c(env.contract_address, "wasm1c"));
    cr_assert_eq(env.chain_id.ptr, strstr(with_tx, "c-1"), "strings point into the input");

    const char *no_tx = "{\"block\":{\"height\":1,\"time\":\"0\",\"chain_id\":\"x\"},"
                        "\"transaction\":null,\"contract\":{\"address\":\"a\"}}";
    cr_assert_null(cw_env_parse(cw_cstr(no_tx), &env));
    cr_assert_not(env.has_transaction);
    const char *absent_tx = "{\"block\":{\"height\":1,\"time\":\"0\",\"chain_id\":\"x\"},"
                            "\"contract\":{\"address\":\"a\"}}";
    cr_assert_null(cw_env_parse(cw_cstr(absent_tx), &env));
    cr_assert_not(env.has_transaction);
}

static void assert_env_error(const char *json, const char *want) {
    cw_env env;
    cw_error *e = cw_env_parse(cw_cstr(json), &env);
    cr_assert_not_null(e, "expected an error for %s", json);
    cr_assert_str_eq(e->msg, want);
    cw_error_free(e);
}

Test(mock, env_parse_errors) {
    assert_env_error("{\"block\":{\"height\":1,\"time\":\"18446744073709551616\",\"chain_id\":"
                     "\"x\"},\"contract\":{\"address\":\"a\"}}",
                     "env.block.time: number too large: \"18446744073709551616\"");
    assert_env_error("{\"block\":{\"height\":1,\"time\":\"1e9\",\"chain_id\":\"x\"},"
                     "\"contract\":{\"address\":\"a\"}}",
                     "env.block.time: invalid digit in \"1e9\"");
    assert_env_error("{\"block\":{\"height\":1,\"time\":\"1\",\"chain_id\":\"x\"}}",
                     "env: missing `contract`");
    assert_env_error("{\"block\":{\"height\":1,\"time\":\"1\",\"chain_id\":\"x\"},"
                     "\"transaction\":5,\"contract\":{\"address\":\"a\"}}",
                     "env: `transaction` must be an object or null");
    assert_env_error("{\"block\":{\"height\":1,\"time\":1,\"chain_id\":\"x\"},"
                     "\"contract\":{\"address\":\"a\"}}",
                     "env.block: missing or non-string field `time`");
}

Test(mock, info_parse_funds) {
    cw_info info;
    cr_assert_null(cw_info_parse(cw_cstr("{\"sender\":\"s\",\"funds\":[]}"), &info));
    cr_assert_eq(info.n_funds, 0);
    cr_assert_null(info.funds);
    const char *json = "{\"sender\":\"bob\",\"funds\":[{\"denom\":\"uatom\",\"amount\":\"007\"},"
                       "{\"denom\":\"ibc/ABC\",\"amount\":\"18446744073709551616\"}]}";
    cr_assert_null(cw_info_parse(cw_cstr(json), &info));
    cr_assert(cw_str_eq_c(info.sender, "bob"));
    cr_assert_eq(info.n_funds, 2);
    cr_assert(cw_str_eq_c(info.funds[0].denom, "uatom"));
    cr_assert(info.funds[0].amount == 7);
    cr_assert(cw_str_eq_c(info.funds[1].denom, "ibc/ABC"));
    cr_assert(info.funds[1].amount == (cw_u128)1 << 64);
    cw_free((void *)info.funds);

    cw_error *e = cw_info_parse(cw_cstr("{\"sender\":\"b\",\"funds\":[{\"denom\":\"u\",\"amount\":"
                                        "\"340282366920938463463374607431768211456\"}]}"),
                                &info);
    cr_assert_str_eq(
        e->msg, "info.funds.amount: number too large: \"340282366920938463463374607431768211456\"");
    cw_error_free(e);
    e = cw_info_parse(cw_cstr("{\"sender\":\"b\",\"funds\":[{\"denom\":\"u\",\"amount\":\"-1\"}]}"),
                      &info);
    cr_assert_str_eq(e->msg, "info.funds.amount: invalid digit in \"-1\"");
    cw_error_free(e);
    e = cw_info_parse(cw_cstr("{\"sender\":\"b\",\"funds\":[{\"denom\":\"u\",\"amount\":\"\"}]}"),
                      &info);
    cr_assert_str_eq(e->msg, "info.funds.amount: empty number string");
    cw_error_free(e);
    e = cw_info_parse(cw_cstr("{\"sender\":\"b\"}"), &info);
    cr_assert_str_eq(e->msg, "info: missing or non-array `funds`");
    cw_error_free(e);
    cr_assert_eq(live_blocks(), 0, "error paths free the funds array");
}

/* --- Exact result JSON from the entry glue -------------------------------------------------- */

static const char *ENV = "{\"block\":{\"height\":1,\"time\":\"2\",\"chain_id\":\"c\"},"
                         "\"transaction\":null,\"contract\":{\"address\":\"me\"}}";
static const char *INFO = "{\"sender\":\"alice\",\"funds\":[]}";

static char *run_exec(const char *msg, size_t *len) {
    return cw_entry_run_execute(t_execute, cw_cstr(ENV), cw_cstr(INFO), cw_cstr(msg), len);
}

Test(mock, result_json_ok_exact_bytes) {
    size_t len;
    char *out = run_exec("{\"increment\":{}}", &len);
    const char *want = "{\"ok\":{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":"
                       "\"increment\"},{\"key\":\"count\",\"value\":\"1\"}],\"events\":[],"
                       "\"data\":null}}";
    cr_assert_eq(len, strlen(want));
    cr_assert_str_eq(out, want);
    cw_free(out);
}

Test(mock, result_json_error_escapes_quotes_and_control_characters) {
    size_t len;
    char *out = run_exec("{\"fail_after_write\":{}}", &len);
    const char *want =
        "{\"error\":\"bad \\\"quote\\\" \\\\ back\\nnew\\ttab\\u0001\\u001f end 42\"}";
    cr_assert_str_eq(out, want);
    cr_assert_eq(len, strlen(want));
    cw_free(out);
    cw_mock_reset(); /* the handler wrote to storage outside a mock call */
}

Test(mock, result_json_query_is_base64) {
    cw_mock_storage_set("count", 5, "12", 2);
    size_t len;
    char *out = cw_entry_run_query(t_query, cw_cstr(ENV), cw_cstr("{\"count\":{}}"), &len);
    /* base64 of {"count":"12"} */
    cr_assert_str_eq(out, "{\"ok\":\"eyJjb3VudCI6IjEyIn0=\"}");
    cr_assert_eq(len, 29);
    cw_free(out);
    out = cw_entry_run_query(t_query, cw_cstr(ENV), cw_cstr("{\"nope\":{}}"), &len);
    cr_assert_str_eq(out, "{\"error\":\"unknown query nope\"}");
    cw_free(out);
    out = cw_entry_run_query(NULL, cw_cstr(ENV), cw_cstr("{}"), &len);
    cr_assert_str_eq(out, "{\"error\":\"contract has no query entry point\"}");
    cw_free(out);
    cr_assert_eq(live_blocks(), 0);
}

Test(mock, result_json_env_msg_and_bad_env) {
    size_t len;
    char *out = cw_entry_run_env_msg(t_migrate, cw_cstr(ENV), cw_cstr("{\"count\":3}"), &len);
    cr_assert_str_eq(out, "{\"ok\":{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":"
                          "\"migrate\"}],\"events\":[],\"data\":null}}");
    cw_free(out);
    out = cw_entry_run_env_msg(t_migrate, cw_cstr("{}"), cw_cstr("{\"count\":3}"), &len);
    cr_assert_str_eq(out, "{\"error\":\"env: missing `block`\"}");
    cw_free(out);
    cw_mock_reset();
    cr_assert_eq(live_blocks(), 0);
}

/* --- Addresses ------------------------------------------------------------------------------ */

static void assert_validate(const char *addr, const char *want_error) {
    char msg[512];
    snprintf(msg, sizeof msg, "{\"validate\":{\"addr\":\"%s\"}}", addr);
    cw_mock_result r = cw_mock_execute("alice", NULL, msg);
    if (!want_error) {
        cr_assert(r.ok, "%s: %s", addr, r.error);
        char want[256];
        snprintf(want, sizeof want,
                 "{\"messages\":[],\"attributes\":[{\"key\":\"human\",\"value\":\"%s\"}],"
                 "\"events\":[],\"data\":null}",
                 addr);
        cr_assert_str_eq(r.response_json, want);
    } else {
        cr_assert_not(r.ok, "%s should be invalid", addr);
        cr_assert_str_eq(r.error, want_error);
    }
    cw_mock_result_free(&r);
}

Test(mock, mock_address_rules) {
    assert_validate("alice", NULL);
    assert_validate("bob", NULL);
    assert_validate("contract0", NULL);
    assert_validate("cosmos2contract", NULL);
    assert_validate("Alice",
                    "Generic error: addr_validate errored: Invalid input: address not normalized");
    assert_validate("", "Generic error: addr_validate errored: Input is empty");
    assert_validate("a", "Generic error: addr_validate errored: Invalid input: human address "
                         "too short for this mock implementation (must be >= 3).");
    assert_validate("al-ice", "Generic error: addr_validate errored: Invalid input: address "
                              "contains characters other than a-z and 0-9");
    char long_addr[92];
    memset(long_addr, 'a', 91);
    long_addr[91] = 0;
    assert_validate(long_addr, "Generic error: addr_validate errored: Invalid input: human "
                               "address too long for this mock implementation (must be <= 90).");
    long_addr[90] = 0;
    assert_validate(long_addr, NULL);
    char huge[258];
    memset(huge, 'a', 257);
    huge[257] = 0;
    assert_validate(huge, "Generic error: input too long for addr_validate");
}

/* --- Chain queries -------------------------------------------------------------------------- */

static cw_mock_result exec_query(const char *request_json) {
    cw_buf msg = {0};
    cw_jw w;
    cw_jw_init(&w, &msg);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "query");
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "request");
    cw_jw_cstr(&w, request_json);
    cw_jw_obj_end(&w);
    cw_jw_obj_end(&w);
    char *text = cw_buf_take(&msg, NULL);
    cw_mock_result r = cw_mock_execute("alice", NULL, text);
    cw_free(text);
    return r;
}

static void assert_answer(cw_mock_result r, const char *answer_json) {
    cr_assert(r.ok, "%s", r.error);
    cw_buf want = {0};
    cw_buf_puts(&want, "{\"messages\":[],\"attributes\":[{\"key\":\"answer\",\"value\":\"");
    cw_json_escape(&want, cw_cstr(answer_json));
    cw_buf_puts(&want, "\"}],\"events\":[],\"data\":null}");
    char *w = cw_buf_take(&want, NULL);
    cr_assert_str_eq(r.response_json, w);
    cw_free(w);
}

Test(mock, bank_balance_queries) {
    cw_mock_set_balance("cosmos2contract", "uatom", 77);
    cw_mock_set_balance("cosmos2contract", "abc", (cw_u128)1 << 100);
    cw_mock_set_balance("bob", "uatom", 5);
    cw_mock_result r = exec_query(
        "{\"bank\":{\"balance\":{\"address\":\"cosmos2contract\",\"denom\":\"uatom\"}}}");
    assert_answer(r, "{\"amount\":{\"denom\":\"uatom\",\"amount\":\"77\"}}");
    cw_mock_result_free(&r);
    r = exec_query("{\"bank\":{\"balance\":{\"address\":\"nobody\",\"denom\":\"uatom\"}}}");
    assert_answer(r, "{\"amount\":{\"denom\":\"uatom\",\"amount\":\"0\"}}");
    cw_mock_result_free(&r);
    r = exec_query("{\"bank\":{\"all_balances\":{\"address\":\"cosmos2contract\"}}}");
    assert_answer(r,
                  "{\"amount\":[{\"denom\":\"abc\",\"amount\":"
                  "\"1267650600228229401496703205376\"},{\"denom\":\"uatom\",\"amount\":\"77\"}]}");
    cw_mock_result_free(&r);
}

static int stub_calls;

static cw_error *stub_contract(void *ctx, cw_str addr, cw_str msg, cw_buf *answer) {
    stub_calls++;
    cr_assert_str_eq((const char *)ctx, "ctx");
    if (cw_str_eq_c(addr, "failing")) return cw_errorf("nope: %S", msg);
    cw_buf_printf(answer, "{\"addr\":\"%S\",\"echo\":%S}", addr, msg);
    return NULL;
}

Test(mock, wasm_smart_queries_go_to_the_stub) {
    /* msg is base64 of {"price":{}} */
    const char *req = "{\"wasm\":{\"smart\":{\"contract_addr\":\"oracle\",\"msg\":"
                      "\"eyJwcmljZSI6e319\"}}}";
    cw_mock_result r = exec_query(req);
    cr_assert_not(r.ok);
    cr_assert_str_eq(r.error, "Querier system error: {\"no_such_contract\":{\"addr\":\"oracle\"}}");
    cw_mock_result_free(&r);
    cw_mock_set_wasm_querier(stub_contract, "ctx");
    r = exec_query(req);
    assert_answer(r, "{\"addr\":\"oracle\",\"echo\":{\"price\":{}}}");
    cw_mock_result_free(&r);
    r = exec_query("{\"wasm\":{\"smart\":{\"contract_addr\":\"failing\",\"msg\":"
                   "\"eyJwcmljZSI6e319\"}}}");
    cr_assert_str_eq(r.error, "Querier contract error: nope: {\"price\":{}}");
    cw_mock_result_free(&r);
    cr_assert_eq(stub_calls, 2);
}

static cw_error *oracle(void *ctx, cw_str request, cw_buf *answer) {
    (void)ctx;
    if (!cw_str_eq_c(request, "{\"custom\":{\"oracle\":{\"price\":{\"denom\":\"uatom\"}}}}"))
        return cw_errorf("unexpected %S", request);
    cw_buf_puts(answer, "{\"price\":\"9.75\"}");
    return NULL;
}

Test(mock, custom_and_unsupported_queries) {
    const char *req = "{\"custom\":{\"oracle\":{\"price\":{\"denom\":\"uatom\"}}}}";
    cw_mock_result r = exec_query(req);
    cr_assert_str_eq(r.error,
                     "Querier system error: {\"unsupported_request\":{\"kind\":\"custom\"}}");
    cw_mock_result_free(&r);
    cw_mock_set_custom_querier(oracle, NULL);
    r = exec_query(req);
    assert_answer(r, "{\"price\":\"9.75\"}");
    cw_mock_result_free(&r);
}

Test(mock, query_result_decoding) {
    cw_str answer;
    cw_error *e = cw_query_chain(CW_LIT("not json"), &answer);
    cr_assert_not_null(e);
    const char *prefix =
        "Querier system error: {\"invalid_request\":{\"error\":\"invalid JSON at byte";
    cr_assert_eq(strncmp(e->msg, prefix, strlen(prefix)), 0, "%s", e->msg);
    cw_error_free(e);
}

/* --- cw_str.c helpers ------------------------------------------------------------------------ */

Test(mock, buf_printf_directives) {
    cw_buf b = {0};
    cw_u128 big = ~(cw_u128)0;
    cw_buf_printf(&b, "%s|%S|%c|%d|%u|%ld|%lu|%lld|%llu|%Q|%Q|%%|%s", "str", CW_LIT("slice"), 'x',
                  -2147483647 - 1, 4294967295u, -5L, 6UL, -9223372036854775807LL - 1,
                  18446744073709551615ULL, big, (cw_u128)0, (const char *)NULL);
    cr_assert_str_eq(cw_buf_take(&b, NULL) /* leaks into the arena: fine in a test */,
                     "str|slice|x|-2147483648|4294967295|-5|6|-9223372036854775808|"
                     "18446744073709551615|340282366920938463463374607431768211455|0|%|(null)");
}

/* %J: a cw_str as a JSON string (escaped as cw_json_escape does), or null for a NULL ptr. */
Test(mock, buf_printf_json_string) {
    cw_buf b = {0};
    cw_buf_printf(&b, "{\"a\":%J,\"b\":%J,\"c\":%J,\"n\":\"%Q\"}", CW_LIT("q\"\\\n\x01\xc3\xa9/"),
                  (cw_str){NULL, 0}, CW_LIT(""), (cw_u128)7);
    cr_assert_str_eq(cw_buf_take(&b, NULL),
                     "{\"a\":\"q\\\"\\\\\\n\\u0001\xc3\xa9/\",\"b\":null,\"c\":\"\",\"n\":\"7\"}");
}

static void bad_directive(void *ctx) {
    cw_buf *b = ctx;
    cw_buf_printf(b, "value %x", 5);
}

Test(mock, buf_printf_unknown_directive_aborts) {
    cw_buf b = {0};
    char *msg = cw_mock_catch_abort(bad_directive, &b);
    cr_assert_str_eq(msg, "cw_buf_printf: unknown directive %x");
    free(msg);
}

Test(mock, u128_to_dec_boundaries) {
    char out[48];
    struct {
        cw_u128 v;
        const char *want;
    } cases[] = {
        {0, "0"},
        {9, "9"},
        {10, "10"},
        {UINT64_MAX, "18446744073709551615"},
        {(cw_u128)UINT64_MAX + 1, "18446744073709551616"},
        {(cw_u128)1000000000000000000ull * 10, "10000000000000000000"},
        {(cw_u128)1000000000000000000ull * 1000000000000000000ull,
         "1000000000000000000000000000000000000"},
        {(cw_u128)1000000000ull * 1000000000ull * 1000000000ull * 1000000000ull,
         "1000000000000000000000000000000000000"},
        {~(cw_u128)0, "340282366920938463463374607431768211455"},
        {(cw_u128)1 << 127, "170141183460469231731687303715884105728"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = cw_u128_to_dec(cases[i].v, out);
        cr_assert_str_eq(out, cases[i].want);
        cr_assert_eq(n, strlen(cases[i].want));
    }
    /* Every power of ten and its neighbours. */
    cw_u128 p = 1;
    for (int k = 0; k <= 38; k++, p *= 10) {
        char want[48];
        cw_u128_to_dec(p, out);
        cr_assert_eq(strlen(out), (size_t)k + 1);
        cr_assert_eq(out[0], '1');
        cw_u128_to_dec(p - 1, want);
        cr_assert_eq(strlen(want), k == 0 ? 1u : (size_t)k, "10^%d - 1", k);
    }
    cr_assert_eq(cw_u64_to_dec(0, out), 1);
    cr_assert_str_eq(out, "0");
}

Test(mock, str_compare_and_errors) {
    cr_assert(cw_str_eq(CW_LIT("ab"), cw_cstr("ab")));
    cr_assert_not(cw_str_eq(CW_LIT("ab"), CW_LIT("abc")));
    cr_assert(cw_str_eq((cw_str){NULL, 0}, CW_LIT("")));
    cr_assert(cw_str_eq_c(CW_LIT("x"), "x"));
    cr_assert_eq(cw_str_cmp(CW_LIT("a"), CW_LIT("ab")), -1);
    cr_assert_eq(cw_str_cmp(CW_LIT("b"), CW_LIT("ab")), 1);
    cr_assert_eq(cw_str_cmp(CW_LIT("\x80"), CW_LIT("\x7f")), 1);
    cr_assert_eq(cw_str_cmp(CW_LIT(""), (cw_str){NULL, 0}), 0);
    cw_error *e = cw_errorf("limit %Q > %llu (%S)", (cw_u128)1200, 1000ULL, CW_LIT("atom"));
    cr_assert_str_eq(e->msg, "limit 1200 > 1000 (atom)");
    cr_assert_eq(e->len, 24);
    cw_error_free(e);
    e = cw_error_str(CW_LIT("a\0b"));
    cr_assert_eq(e->len, 3);
    cr_assert_eq(e->msg[3], 0);
    cw_error_free(e);
    cw_buf b = {0};
    char *empty = cw_buf_take(&b, NULL);
    cr_assert_str_eq(empty, "");
    cw_free(empty);
    cr_assert_eq(live_blocks(), 0);
}
