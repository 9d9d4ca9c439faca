/* Tests for sdk/src/cw_query.c against the native mock's bank, wasm and custom queriers:
 * the exact QueryRequest JSON sent and the decoding of each answer. */
#include <criterion/criterion.h>
#include <string.h>

#include "cw_host.h"
#include "cw_mock.h"
#include "cw_query.h"

static void setup(void) {
    cw_mock_reset();
}

/* Live allocator blocks, to check that the query helpers free what they allocate. */
static size_t live_blocks(void) {
    size_t n;
    cw_mock_alloc_stats(&n, NULL, NULL);
    return n;
}

static void expect_str(cw_str got, const char *want) {
    cr_assert_eq(got.len, strlen(want), "got '%.*s', want '%s'", (int)got.len, got.ptr, want);
    cr_assert(memcmp(got.ptr, want, got.len) == 0, "got '%.*s', want '%s'", (int)got.len, got.ptr,
              want);
}

/* A querier that records the request and answers with a fixed reply (or error). */
typedef struct script {
    char request[512];
    char contract[128];
    const char *answer;
    const char *error;
} script;

static cw_error *record_smart(void *ctx, cw_str contract_addr, cw_str msg_json, cw_buf *answer) {
    script *s = ctx;
    memcpy(s->contract, contract_addr.ptr, contract_addr.len);
    s->contract[contract_addr.len] = 0;
    memcpy(s->request, msg_json.ptr, msg_json.len);
    s->request[msg_json.len] = 0;
    if (s->error) return cw_errorf("%s", s->error);
    cw_buf_puts(answer, s->answer);
    return NULL;
}

static cw_error *record_custom(void *ctx, cw_str request_json, cw_buf *answer) {
    script *s = ctx;
    memcpy(s->request, request_json.ptr, request_json.len);
    s->request[request_json.len] = 0;
    if (s->error) return cw_errorf("%s", s->error);
    cw_buf_puts(answer, s->answer);
    return NULL;
}

/* --- Bank ------------------------------------------------------------------------------------ */

Test(bank, balance, .init = setup) {
    cw_mock_set_balance("alice", "uatom", 1234);
    cw_mock_set_balance("alice", "ustable", ~(cw_u128)0);
    size_t before = live_blocks();
    cw_u128 amount = 7;
    cr_assert_null(cw_query_bank_balance(CW_LIT("alice"), CW_LIT("uatom"), &amount));
    cr_assert(amount == 1234);
    cr_assert_null(cw_query_bank_balance(CW_LIT("alice"), CW_LIT("ustable"), &amount));
    cr_assert(amount == ~(cw_u128)0);
    cr_assert_eq(live_blocks(), before, "query leaked");
}

Test(bank, balance_unset_is_zero, .init = setup) {
    cw_mock_set_balance("alice", "uatom", 5);
    cw_u128 amount = 7;
    cr_assert_null(cw_query_bank_balance(CW_LIT("bob"), CW_LIT("uatom"), &amount));
    cr_assert(amount == 0);
    amount = 7;
    cr_assert_null(cw_query_bank_balance(CW_LIT("alice"), CW_LIT("uosmo"), &amount));
    cr_assert(amount == 0);
}

Test(bank, balance_escaped_address, .init = setup) {
    cw_mock_set_balance("we\"ird\\addr", "u\natom", 42);
    cw_u128 amount = 0;
    cr_assert_null(cw_query_bank_balance(CW_LIT("we\"ird\\addr"), CW_LIT("u\natom"), &amount));
    cr_assert(amount == 42);
}

/* --- Wasm smart -------------------------------------------------------------------------- */

Test(wasm, smart, .init = setup) {
    script s = {.answer = "{\"balance\":\"100\"}"};
    cw_mock_set_wasm_querier(record_smart, &s);
    size_t before = live_blocks();
    cw_str answer;
    cr_assert_null(cw_query_wasm_smart(CW_LIT("wasm1token"),
                                       CW_LIT("{\"balance\":{\"address\":\"alice\"}}"), &answer));
    cr_assert_str_eq(s.contract, "wasm1token");
    cr_assert_str_eq(s.request, "{\"balance\":{\"address\":\"alice\"}}");
    expect_str(answer, "{\"balance\":\"100\"}");
    cw_free((void *)answer.ptr);
    cr_assert_eq(live_blocks(), before, "query leaked");
}

Test(wasm, smart_contract_error, .init = setup) {
    script s = {.error = "Unauthorized"};
    cw_mock_set_wasm_querier(record_smart, &s);
    cw_str answer;
    cw_error *err = cw_query_wasm_smart(CW_LIT("wasm1token"), CW_LIT("{}"), &answer);
    cr_assert_not_null(err);
    cr_assert(strstr(err->msg, "Unauthorized") != NULL, "%s", err->msg);
    cw_error_free(err);
}

Test(wasm, smart_no_such_contract, .init = setup) {
    cw_str answer;
    cw_error *err = cw_query_wasm_smart(CW_LIT("wasm1nobody"), CW_LIT("{}"), &answer);
    cr_assert_not_null(err);
    cw_error_free(err);
}

/* --- Wasm raw and custom (the mock routes them to the custom querier) ----------------------- */

Test(wasm, raw_request_and_value, .init = setup) {
    script s = {.answer = "\"5\""};
    cw_mock_set_custom_querier(record_custom, &s);
    cw_str value;
    bool found = false;
    cr_assert_null(cw_query_wasm_raw(CW_LIT("wasm1token"),
                                     (cw_str){"\x00\x07"
                                              "balancealice",
                                              14},
                                     &value, &found));
    cr_assert_str_eq(s.request, "{\"wasm\":{\"raw\":{\"contract_addr\":\"wasm1token\",\"key\":"
                                "\"AAdiYWxhbmNlYWxpY2U=\"}}}");
    cr_assert(found);
    expect_str(value, "\"5\"");
    cw_free((void *)value.ptr);
}

Test(wasm, raw_absent_is_empty, .init = setup) {
    script s = {.answer = ""};
    cw_mock_set_custom_querier(record_custom, &s);
    cw_str value;
    bool found = true;
    cr_assert_null(cw_query_wasm_raw(CW_LIT("c"), CW_LIT("config"), &value, &found));
    cr_assert_str_eq(s.request, "{\"wasm\":{\"raw\":{\"contract_addr\":\"c\",\"key\":"
                                "\"Y29uZmln\"}}}");
    cr_assert_not(found);
    cr_assert_eq(value.len, 0);
    cw_free((void *)value.ptr);
}

Test(custom, request_and_answer, .init = setup) {
    script s = {.answer = "{\"ok\":true}"};
    cw_mock_set_custom_querier(record_custom, &s);
    cw_str answer;
    cr_assert_null(cw_query_custom(CW_LIT("{\"whoami\":{\"n\":1}}"), &answer));
    cr_assert_str_eq(s.request, "{\"custom\":{\"whoami\":{\"n\":1}}}");
    expect_str(answer, "{\"ok\":true}");
    cw_free((void *)answer.ptr);
}

Test(custom, unsupported_without_querier, .init = setup) {
    cw_str answer;
    cw_error *err = cw_query_custom(CW_LIT("{}"), &answer);
    cr_assert_not_null(err);
    cw_error_free(err);
}

/* cw_query_chain_raw: the SystemResult as it comes back, base64 answer undecoded. */
Test(custom, raw_system_result, .init = setup) {
    script s = {.answer = "{\"ok\":true}"};
    cw_mock_set_custom_querier(record_custom, &s);
    size_t before = live_blocks();
    cw_str raw = cw_query_chain_raw(CW_LIT("{\"custom\":{\"whoami\":{}}}"));
    cr_assert_str_eq(s.request, "{\"custom\":{\"whoami\":{}}}");
    expect_str(raw, "{\"ok\":{\"ok\":\"eyJvayI6dHJ1ZX0=\"}}"); /* base64 of {"ok":true} */
    cw_free((void *)raw.ptr);
    s.error = "no such thing";
    raw = cw_query_chain_raw(CW_LIT("{\"custom\":{}}"));
    cr_assert(raw.len > 0 && memcmp(raw.ptr, "{\"ok\":{\"error\":", 15) == 0, "%.*s", (int)raw.len,
              raw.ptr);
    cw_free((void *)raw.ptr);
    cr_assert_eq(live_blocks(), before);
}

/* --- Oracle ------------------------------------------------------------------------------ */

Test(oracle, price, .init = setup) {
    script s = {.answer = "{\"price\":\"9.75\",\"updated_at\":\"1571797419879305533\"}"};
    cw_mock_set_custom_querier(record_custom, &s);
    size_t before = live_blocks();
    cw_buf price = {0};
    uint64_t t = 0;
    cr_assert_null(cw_query_oracle_price(CW_LIT("uatom"), &price, &t));
    cr_assert_str_eq(s.request, "{\"custom\":{\"oracle\":{\"price\":{\"denom\":\"uatom\"}}}}");
    expect_str(cw_buf_view(&price), "9.75");
    cr_assert_eq(t, 1571797419879305533u);
    cw_buf_free(&price);
    cr_assert_eq(live_blocks(), before, "query leaked");
}

Test(oracle, price_appends_and_accepts_18_decimals, .init = setup) {
    script s = {.answer = "{\"updated_at\":\"0\",\"price\":\"0.000000000000000001\"}"};
    cw_mock_set_custom_querier(record_custom, &s);
    cw_buf price = {0};
    cw_buf_puts(&price, "p=");
    uint64_t t = 1;
    cr_assert_null(cw_query_oracle_price(CW_LIT("uosmo"), &price, &t));
    expect_str(cw_buf_view(&price), "p=0.000000000000000001");
    cr_assert_eq(t, 0);
    cw_buf_free(&price);

    s.answer = "{\"price\":\"12\",\"updated_at\":\"18446744073709551615\"}";
    cr_assert_null(cw_query_oracle_price(CW_LIT("uosmo"), &price, &t));
    expect_str(cw_buf_view(&price), "12");
    cr_assert_eq(t, UINT64_MAX);
    cw_buf_free(&price);
}

Test(oracle, malformed_answers, .init = setup) {
    const char *bad[] = {
        "{\"price\":9.75,\"updated_at\":\"1\"}",
        "{\"price\":\"9.\",\"updated_at\":\"1\"}",
        "{\"price\":\".5\",\"updated_at\":\"1\"}",
        "{\"price\":\"-1\",\"updated_at\":\"1\"}",
        "{\"price\":\"\",\"updated_at\":\"1\"}",
        "{\"price\":\"1.0000000000000000001\",\"updated_at\":\"1\"}",
        "{\"price\":\"9.75\"}",
        "{\"price\":\"9.75\",\"updated_at\":1}",
        "{\"price\":\"9.75\",\"updated_at\":\"18446744073709551616\"}",
        "[]",
        "not json",
    };
    script s = {0};
    cw_mock_set_custom_querier(record_custom, &s);
    size_t before = live_blocks();
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        s.answer = bad[i];
        cw_buf price = {0};
        cw_buf_puts(&price, "keep");
        uint64_t t = 7;
        cw_error *err = cw_query_oracle_price(CW_LIT("uatom"), &price, &t);
        cr_assert_not_null(err, "accepted %s", bad[i]);
        cr_assert(strstr(err->msg, "Querier response parse error") != NULL, "%s", err->msg);
        cw_error_free(err);
        expect_str(cw_buf_view(&price), "keep");
        cr_assert_eq(t, 7);
        cw_buf_free(&price);
    }
    cr_assert_eq(live_blocks(), before, "error paths leaked");
}

Test(oracle, querier_error_passes_through, .init = setup) {
    script s = {.error = "no price for denom uxyz"};
    cw_mock_set_custom_querier(record_custom, &s);
    cw_buf price = {0};
    uint64_t t;
    cw_error *err = cw_query_oracle_price(CW_LIT("uxyz"), &price, &t);
    cr_assert_not_null(err);
    cr_assert(strstr(err->msg, "no price for denom uxyz") != NULL, "%s", err->msg);
    cw_error_free(err);
    cr_assert_eq(price.len, 0);
}
