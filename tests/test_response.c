/* Tests for sdk/src/cw_response.c: the Response and CosmosMsg JSON must be byte-identical to
 * cosmwasm-std's serde output (expected strings written out by hand from its field order). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cw_mock.h"
#include "cw_response.h"

/* Serialise `res`, compare with `expected`, free both. */
static void expect_json(cw_response *res, const char *expected) {
    cw_buf out = {0};
    cw_response_write_json(res, &out);
    cw_buf_putc(&out, 0);
    cr_assert_str_eq(out.ptr, expected);
    cw_buf_free(&out);
    cw_response_free(res);
}

/* The CosmosMsg built by `out` as a NUL-terminated string compared with `expected`. */
static void expect_msg(cw_buf *out, const char *expected) {
    cw_buf_putc(out, 0);
    cr_assert_str_eq(out->ptr, expected);
    cw_buf_free(out);
}

#define BANK_SEND_YOU                                                                              \
    "{\"bank\":{\"send\":{\"to_address\":\"you\",\"amount\":[{\"denom\":\"earth\",\"amount\":"     \
    "\"1015\"}]}}}"

static cw_str bank_send_you(cw_buf *b) {
    cw_coin c = {CW_LIT("earth"), 1015};
    cw_msg_bank_send(b, CW_LIT("you"), &c, 1);
    return cw_buf_view(b);
}

/* --- Response ------------------------------------------------------------------------------ */

Test(response, empty) {
    cw_response res = {0};
    expect_json(&res, "{\"messages\":[],\"attributes\":[],\"events\":[],\"data\":null}");
}

Test(response, attributes_in_order) {
    cw_response res = {0};
    cw_res_attr_c(&res, "action", "transfer");
    cw_res_attr(&res, "from", CW_LIT("alice"));
    cw_res_attr_u128(&res, "amount", (cw_u128)1000000);
    cw_res_attr_u64(&res, "height", 12345);
    expect_json(&res,
                "{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":\"transfer\"},"
                "{\"key\":\"from\",\"value\":\"alice\"},{\"key\":\"amount\",\"value\":"
                "\"1000000\"},{\"key\":\"height\",\"value\":\"12345\"}],\"events\":[],"
                "\"data\":null}");
}

Test(response, attribute_u128_extremes) {
    cw_response res = {0};
    cw_res_attr_u128(&res, "zero", 0);
    cw_res_attr_u128(&res, "max", ~(cw_u128)0);
    cw_res_attr_u64(&res, "max64", UINT64_MAX);
    expect_json(&res, "{\"messages\":[],\"attributes\":[{\"key\":\"zero\",\"value\":\"0\"},"
                      "{\"key\":\"max\",\"value\":\"340282366920938463463374607431768211455\"},"
                      "{\"key\":\"max64\",\"value\":\"18446744073709551615\"}],\"events\":[],"
                      "\"data\":null}");
}

/* serde_json escapes only '"', '\\' and control characters; '/', DEL and UTF-8 stay verbatim. */
Test(response, attribute_escaping) {
    cw_response res = {0};
    cw_res_attr(&res, "k\"ey", CW_LIT("a\"b\\c\n\r\t\b\f\x01\x1f/\x7f\xc3\xa9"));
    cw_res_attr(&res, "empty", CW_LIT(""));
    expect_json(&res, "{\"messages\":[],\"attributes\":[{\"key\":\"k\\\"ey\",\"value\":"
                      "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/\x7f\xc3\xa9\"},"
                      "{\"key\":\"empty\",\"value\":\"\"}],\"events\":[],\"data\":null}");
}

Test(response, value_with_nul_byte) {
    cw_response res = {0};
    cw_res_attr(&res, "k", (cw_str){"a\0b", 3});
    expect_json(&res, "{\"messages\":[],\"attributes\":[{\"key\":\"k\",\"value\":"
                      "\"a\\u0000b\"}],\"events\":[],\"data\":null}");
}

Test(response, events) {
    cw_response res = {0};
    cw_res_attr_c(&res, "action", "liquidate");
    cw_res_event_begin(&res, "liquidation");
    cw_res_event_attr(&res, "position", CW_LIT("7"));
    cw_res_event_attr(&res, "debt", CW_LIT("1200"));
    cw_res_event_end(&res);
    cw_res_event_begin(&res, "empty");
    cw_res_event_end(&res);
    cw_res_event_begin(&res, "esc\"aped");
    cw_res_event_attr(&res, "note", CW_LIT("line\nbreak"));
    cw_res_event_end(&res);
    expect_json(&res,
                "{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":\"liquidate\"}],"
                "\"events\":[{\"type\":\"liquidation\",\"attributes\":[{\"key\":\"position\","
                "\"value\":\"7\"},{\"key\":\"debt\",\"value\":\"1200\"}]},{\"type\":\"empty\","
                "\"attributes\":[]},{\"type\":\"esc\\\"aped\",\"attributes\":[{\"key\":\"note\","
                "\"value\":\"line\\nbreak\"}]}],\"data\":null}");
}

Test(response, data_base64) {
    cw_response res = {0};
    cw_res_data(&res, (cw_str){"\xaa\xbb", 2});
    expect_json(&res, "{\"messages\":[],\"attributes\":[],\"events\":[],\"data\":\"qrs=\"}");
}

Test(response, data_replaced_and_empty) {
    cw_response res = {0};
    cw_res_data(&res, CW_LIT("hello world!?"));
    cw_res_data(&res, CW_LIT("{}"));
    expect_json(&res, "{\"messages\":[],\"attributes\":[],\"events\":[],\"data\":\"e30=\"}");

    cw_response empty = {0};
    cw_res_data(&empty, CW_LIT(""));
    expect_json(&empty, "{\"messages\":[],\"attributes\":[],\"events\":[],\"data\":\"\"}");
}

Test(response, message_is_reply_never) {
    cw_response res = {0};
    cw_buf m = {0};
    cw_res_message(&res, bank_send_you(&m));
    cw_buf_free(&m);
    expect_json(&res, "{\"messages\":[{\"id\":0,\"msg\":" BANK_SEND_YOU ",\"gas_limit\":null,"
                      "\"reply_on\":\"never\"}],\"attributes\":[],\"events\":[],\"data\":null}");
}

Test(response, submessages_each_reply_on) {
    cw_response res = {0};
    cw_buf m = {0};
    cw_str msg = bank_send_you(&m);
    cw_res_submessage(&res, 1, CW_REPLY_SUCCESS, msg, 0);
    cw_res_submessage(&res, 2, CW_REPLY_ERROR, msg, 60000);
    cw_res_submessage(&res, 12, CW_REPLY_ALWAYS, msg, 12345);
    cw_res_submessage(&res, UINT64_MAX, CW_REPLY_NEVER, msg, UINT64_MAX);
    cw_buf_free(&m);
    expect_json(&res, "{\"messages\":["
                      "{\"id\":1,\"msg\":" BANK_SEND_YOU ",\"gas_limit\":null,\"reply_on\":"
                      "\"success\"},"
                      "{\"id\":2,\"msg\":" BANK_SEND_YOU ",\"gas_limit\":60000,\"reply_on\":"
                      "\"error\"},"
                      "{\"id\":12,\"msg\":" BANK_SEND_YOU ",\"gas_limit\":12345,\"reply_on\":"
                      "\"always\"},"
                      "{\"id\":18446744073709551615,\"msg\":" BANK_SEND_YOU
                      ",\"gas_limit\":18446744073709551615,\"reply_on\":\"never\"}"
                      "],\"attributes\":[],\"events\":[],\"data\":null}");
}

Test(response, everything_together) {
    cw_response res = {0};
    cw_buf m = {0};
    cw_res_message(&res, bank_send_you(&m));
    cw_buf_free(&m);
    cw_res_attr_c(&res, "action", "release");
    cw_res_event_begin(&res, "e");
    cw_res_event_attr(&res, "a", CW_LIT("b"));
    cw_res_event_end(&res);
    cw_res_data(&res, (cw_str){"\xaa\xbb", 2});
    expect_json(&res, "{\"messages\":[{\"id\":0,\"msg\":" BANK_SEND_YOU
                      ",\"gas_limit\":null,\"reply_on\":\"never\"}],\"attributes\":[{\"key\":"
                      "\"action\",\"value\":\"release\"}],\"events\":[{\"type\":\"e\","
                      "\"attributes\":[{\"key\":\"a\",\"value\":\"b\"}]}],\"data\":\"qrs=\"}");
}

Test(response, write_appends_and_free_resets) {
    cw_response res = {0};
    cw_res_attr_c(&res, "a", "b");
    cw_buf out = {0};
    cw_buf_puts(&out, "{\"ok\":");
    cw_response_write_json(&res, &out);
    cw_buf_putc(&out, '}');
    cw_buf_putc(&out, 0);
    cr_assert_str_eq(out.ptr, "{\"ok\":{\"messages\":[],\"attributes\":[{\"key\":\"a\",\"value\":"
                              "\"b\"}],\"events\":[],\"data\":null}}");
    cw_buf_free(&out);
    cw_response_free(&res);
    cr_assert_eq(res.n_attributes, 0);
    cr_assert_eq(res.attributes.ptr, NULL);
    cw_res_attr_c(&res, "c", "d"); /* reusable after free */
    expect_json(&res, "{\"messages\":[],\"attributes\":[{\"key\":\"c\",\"value\":\"d\"}],"
                      "\"events\":[],\"data\":null}");
}

/* --- CosmosMsg builders ---------------------------------------------------------------------- */

Test(msg, bank_send_multiple_coins) {
    cw_buf b = {0};
    cw_coin c[2] = {{CW_LIT("uatom"), 5}, {CW_LIT("ustable"), ~(cw_u128)0}};
    cw_msg_bank_send(&b, CW_LIT("wasm1xyz"), c, 2);
    expect_msg(&b, "{\"bank\":{\"send\":{\"to_address\":\"wasm1xyz\",\"amount\":[{\"denom\":"
                   "\"uatom\",\"amount\":\"5\"},{\"denom\":\"ustable\",\"amount\":"
                   "\"340282366920938463463374607431768211455\"}]}}}");
}

Test(msg, bank_send_no_coins) {
    cw_buf b = {0};
    cw_msg_bank_send(&b, CW_LIT("bob"), NULL, 0);
    expect_msg(&b, "{\"bank\":{\"send\":{\"to_address\":\"bob\",\"amount\":[]}}}");
}

Test(msg, bank_burn) {
    cw_buf b = {0};
    cw_coin c = {CW_LIT("uatom"), 0};
    cw_msg_bank_burn(&b, &c, 1);
    expect_msg(&b, "{\"bank\":{\"burn\":{\"amount\":[{\"denom\":\"uatom\",\"amount\":\"0\"}]}}}");
}

Test(msg, wasm_execute) {
    cw_buf b = {0};
    cw_msg_wasm_execute(&b, CW_LIT("wasm1token"),
                        CW_LIT("{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"5\"}}"), NULL, 0);
    expect_msg(&b, "{\"wasm\":{\"execute\":{\"contract_addr\":\"wasm1token\",\"msg\":"
                   "\"eyJ0cmFuc2ZlciI6eyJyZWNpcGllbnQiOiJib2IiLCJhbW91bnQiOiI1In19\","
                   "\"funds\":[]}}}");
}

Test(msg, wasm_execute_with_funds) {
    cw_buf b = {0};
    cw_coin c = {CW_LIT("uatom"), 42};
    cw_msg_wasm_execute(&b, CW_LIT("wasm1vault"), CW_LIT("{\"mint\":{}}"), &c, 1);
    expect_msg(&b, "{\"wasm\":{\"execute\":{\"contract_addr\":\"wasm1vault\",\"msg\":"
                   "\"eyJtaW50Ijp7fX0=\",\"funds\":[{\"denom\":\"uatom\",\"amount\":\"42\"}]}}}");
}

Test(msg, wasm_instantiate_admin_and_none) {
    cw_buf b = {0};
    cw_msg_wasm_instantiate(&b, CW_LIT("wasm1admin"), 7, CW_LIT("{}"), NULL, 0,
                            CW_LIT("stable \"token\""));
    expect_msg(&b, "{\"wasm\":{\"instantiate\":{\"admin\":\"wasm1admin\",\"code_id\":7,\"msg\":"
                   "\"e30=\",\"funds\":[],\"label\":\"stable \\\"token\\\"\"}}}");

    cw_coin c = {CW_LIT("uatom"), 1};
    cw_msg_wasm_instantiate(&b, (cw_str){NULL, 0}, 18446744073709551615u, CW_LIT("{\"mint\":{}}"),
                            &c, 1, CW_LIT("t"));
    expect_msg(&b, "{\"wasm\":{\"instantiate\":{\"admin\":null,\"code_id\":18446744073709551615,"
                   "\"msg\":\"eyJtaW50Ijp7fX0=\",\"funds\":[{\"denom\":\"uatom\",\"amount\":"
                   "\"1\"}],\"label\":\"t\"}}}");
}

Test(msg, wasm_instantiate_empty_admin_string_is_some) {
    cw_buf b = {0};
    cw_msg_wasm_instantiate(&b, CW_LIT(""), 1, CW_LIT("{}"), NULL, 0, CW_LIT(""));
    expect_msg(&b, "{\"wasm\":{\"instantiate\":{\"admin\":\"\",\"code_id\":1,\"msg\":\"e30=\","
                   "\"funds\":[],\"label\":\"\"}}}");
}

Test(msg, wasm_migrate) {
    cw_buf b = {0};
    cw_msg_wasm_migrate(&b, CW_LIT("wasm1token"), 3, CW_LIT("{}"));
    expect_msg(&b, "{\"wasm\":{\"migrate\":{\"contract_addr\":\"wasm1token\",\"new_code_id\":3,"
                   "\"msg\":\"e30=\"}}}");
}

Test(msg, builders_append) {
    cw_buf b = {0};
    cw_buf_putc(&b, '[');
    cw_msg_bank_burn(&b, NULL, 0);
    cw_buf_putc(&b, ',');
    cw_msg_wasm_migrate(&b, CW_LIT("c"), 1, CW_LIT(""));
    cw_buf_putc(&b, ']');
    expect_msg(&b, "[{\"bank\":{\"burn\":{\"amount\":[]}}},{\"wasm\":{\"migrate\":{"
                   "\"contract_addr\":\"c\",\"new_code_id\":1,\"msg\":\"\"}}}]");
}

/* --- Misuse aborts (bugs in the caller, not user errors) ------------------------------------ */

static void event_attr_without_begin(void *ctx) {
    cw_res_event_attr(ctx, "k", CW_LIT("v"));
}
static void event_end_without_begin(void *ctx) {
    cw_res_event_end(ctx);
}
static void nested_event_begin(void *ctx) {
    cw_res_event_begin(ctx, "a");
    cw_res_event_begin(ctx, "b");
}
static void write_with_open_event(void *ctx) {
    cw_buf out = {0};
    cw_res_event_begin(ctx, "a");
    cw_response_write_json(ctx, &out);
}
static void bad_reply_on(void *ctx) {
    cw_res_submessage(ctx, 1, (cw_reply_on)9, CW_LIT("{}"), 0);
}

Test(response, misuse_aborts) {
    void (*cases[])(void *) = {event_attr_without_begin, event_end_without_begin,
                               nested_event_begin, write_with_open_event, bad_reply_on};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cw_response res = {0};
        char *msg = cw_mock_catch_abort(cases[i], &res);
        cr_assert_not_null(msg, "case %zu did not abort", i);
        free(msg);
    }
}

Test(response, no_leaks) {
    size_t before, after;
    cw_mock_alloc_stats(&before, NULL, NULL);
    cw_response res = {0};
    cw_buf m = {0};
    cw_res_submessage(&res, 3, CW_REPLY_ALWAYS, bank_send_you(&m), 100);
    cw_buf_free(&m);
    cw_res_attr_u128(&res, "a", 1);
    cw_res_event_begin(&res, "e");
    cw_res_event_attr(&res, "k", CW_LIT("v"));
    cw_res_event_end(&res);
    cw_res_data(&res, CW_LIT("data"));
    cw_buf out = {0};
    cw_response_write_json(&res, &out);
    cw_buf_free(&out);
    cw_response_free(&res);
    cw_mock_alloc_stats(&after, NULL, NULL);
    cr_assert_eq(after, before);
}
