/* Tests for the standard value kinds of cw_parse.h (sdk/src/cw_parse_kinds.c): each kind's
 * value and exact type error, cw_parse_kinds linking only the asked kinds (others are raw JSON),
 * the unknown-field text, cw_parse_struct's object check and cw_parse_enum's texts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cw_arena.h"
#include "cw_math.h"
#include "cw_mock.h"
#include "cw_parse.h"

typedef struct rec {
    cw_str name, owner;
    cw_u128 amount;
    cw_decimal price;
    uint64_t height;
    bool flag, has_flag;
    cw_json extra;
} rec;

static const cw_field FIELDS[] = {
    CW_REQ(rec, "name", CW_KIND_STRING, name),   CW_REQ(rec, "owner", CW_KIND_ADDR, owner),
    CW_REQ(rec, "amount", CW_KIND_U128, amount), CW_REQ(rec, "price", CW_KIND_DECIMAL, price),
    CW_REQ(rec, "height", CW_KIND_U64, height),  CW_OPT(rec, "flag", CW_KIND_BOOL, flag, has_flag),
    CW_REQ(rec, "extra", CW_KIND_JSON, extra),
};

static void setup(void) {
    cw_mock_reset();
}

TestSuite(parse_kinds, .init = setup);

/* The error text of `e` (static), or NULL; frees e. */
static const char *text_of(cw_error *e) {
    static char text[512];
    if (!e) return NULL;
    snprintf(text, sizeof text, "%s", e->msg);
    cw_error_free(e);
    return text;
}

static cw_json json(const char *s) {
    cw_json v;
    cr_assert_null(cw_json_parse(cw_cstr(s), &v));
    return v;
}

static const char *parse(const char *s, rec *r, cw_field_fn fn) {
    memset(r, 0, sizeof *r);
    return text_of(cw_parse_struct(json(s), FIELDS, 7, r, fn));
}

#define GOOD_PREFIX "\"name\":\"a\\u0062\",\"owner\":\"alice\",\"amount\":\"12\",\"price\":\"1.5\""

Test(parse_kinds, every_kind_lands_in_its_field) {
    rec r;
    cr_assert_null(
        parse("{" GOOD_PREFIX ",\"height\":7,\"flag\":true,\"extra\":[1]}", &r, cw_parse_value));
    cr_assert_eq(r.name.len, 2);
    cr_assert_eq(memcmp(r.name.ptr, "ab", 2), 0);
    cr_assert(cw_str_eq_c(r.owner, "alice"));
    cw_u128 twelve;
    cr_assert_null(cw_u128_parse(cw_cstr("12"), &twelve));
    cr_assert_eq(memcmp(&r.amount, &twelve, sizeof twelve), 0);
    cw_decimal one_and_half;
    cr_assert_null(cw_decimal_parse(cw_cstr("1.5"), &one_and_half));
    cr_assert_eq(memcmp(&r.price, &one_and_half, sizeof one_and_half), 0);
    cr_assert_eq(r.height, 7);
    cr_assert(r.flag);
    cr_assert(r.has_flag);
    cr_assert_eq(r.extra.type, CW_JSON_ARRAY);
    cr_assert_null(
        parse("{" GOOD_PREFIX ",\"height\":0,\"flag\":false,\"extra\":null}", &r, cw_parse_value));
    cr_assert(!r.flag);
    cr_assert(r.has_flag);
    cw_release_all();
}

Test(parse_kinds, type_errors_name_the_field_and_the_value) {
    rec r;
    const char *tail = ",\"height\":7,\"extra\":1}";
    char doc[256];
    struct {
        const char *members, *error;
    } cases[] = {
        {"\"name\":1,\"owner\":\"alice\",\"amount\":\"1\",\"price\":\"1\"",
         "invalid type for `name`: expected a string, got 1"},
        {"\"name\":\"a\",\"owner\":null,\"amount\":\"1\",\"price\":\"1\"",
         "invalid type for `owner`: expected an address, got null"},
        {"\"name\":\"a\",\"owner\":\"alice\",\"amount\":5,\"price\":\"1\"",
         "invalid type for `amount`: expected a Uint128 string, got 5"},
        {"\"name\":\"a\",\"owner\":\"alice\",\"amount\":\"1\",\"price\":0.5",
         "invalid type for `price`: expected a Decimal string, got 0.5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(doc, sizeof doc, "{%s%s", cases[i].members, tail);
        cr_assert_str_eq(parse(doc, &r, cw_parse_value), cases[i].error, "case %zu", i);
    }
    cr_assert_str_eq(parse("{" GOOD_PREFIX ",\"height\":\"1\",\"extra\":1}", &r, cw_parse_value),
                     "invalid type for `height`: expected an unsigned integer, got \"1\"");
    cr_assert_str_eq(parse("{" GOOD_PREFIX ",\"height\":-1,\"extra\":1}", &r, cw_parse_value),
                     "invalid type for `height`: expected an unsigned integer, got -1");
    cr_assert_str_eq(
        parse("{" GOOD_PREFIX ",\"height\":18446744073709551616,\"extra\":1}", &r, cw_parse_value),
        "invalid type for `height`: expected an unsigned integer, got 18446744073709551616");
    cr_assert_str_eq(
        parse("{" GOOD_PREFIX ",\"height\":1,\"flag\":1,\"extra\":1}", &r, cw_parse_value),
        "invalid type for `flag`: expected a boolean, got 1");
    cw_release_all();
}

Test(parse_kinds, value_errors_come_from_the_kind_parsers) {
    rec r;
    const char *e = parse("{\"name\":\"a\",\"owner\":\"Alice\",\"amount\":\"1\",\"price\":\"1\","
                          "\"height\":1,\"extra\":1}",
                          &r, cw_parse_value);
    cr_assert_str_eq(e,
                     "Generic error: addr_validate errored: Invalid input: address not normalized");
    cw_u128 ignored;
    char want[256];
    snprintf(want, sizeof want, "%s", text_of(cw_u128_parse(cw_cstr("x"), &ignored)));
    cr_assert_str_eq(parse("{\"name\":\"a\",\"owner\":\"alice\",\"amount\":\"x\",\"price\":\"1\","
                           "\"height\":1,\"extra\":1}",
                           &r, cw_parse_value),
                     want);
    cw_release_all();
}

static cw_error *strings_only(const cw_field *f, cw_json v, void *out) {
    return cw_parse_kinds(CW_KIND_BIT(CW_KIND_STRING), f, v, out);
}

Test(parse_kinds, kinds_not_asked_for_are_raw_json) {
    cw_json out;
    cw_field u128 = CW_REQ(rec, "amount", CW_KIND_U128, amount);
    cr_assert_null(strings_only(&u128, json("5"), &out));
    cr_assert_eq(out.type, CW_JSON_NUMBER);
    cw_field custom = {"c", CW_KIND_CUSTOM, 0, 0, 0};
    cr_assert_null(cw_parse_value(&custom, json("true"), &out));
    cr_assert_eq(out.type, CW_JSON_TRUE);
    cw_field str = CW_REQ(rec, "name", CW_KIND_STRING, name);
    cr_assert_str_eq(text_of(strings_only(&str, json("5"), &out)),
                     "invalid type for `name`: expected a string, got 5");
}

Test(parse_kinds, struct_object_unknown_duplicate_missing) {
    rec r;
    cr_assert_str_eq(parse("[1]", &r, cw_parse_value), "invalid type: expected an object");
    cr_assert_str_eq(parse("{\"x\":1}", &r, cw_parse_value),
                     "unknown field `x`, expected one of `name`, `owner`, `amount`, `price`, "
                     "`height`, `flag`, `extra`");
    cr_assert_str_eq(text_of(cw_parse_struct(json("{\"x\":1}"), FIELDS, 1, &r, cw_parse_value)),
                     "unknown field `x`, expected `name`");
    cr_assert_str_eq(text_of(cw_parse_struct(json("{\"x\":1}"), NULL, 0, &r, cw_parse_value)),
                     "unknown field `x`, expected no fields");
    cr_assert_str_eq(parse("{\"name\":\"a\",\"name\":\"b\"}", &r, cw_parse_value),
                     "duplicate field `name`");
    cr_assert_str_eq(parse("{\"name\":\"a\"}", &r, cw_parse_value), "missing field `owner`");
    cw_release_all();
}

static const char *const TWO[] = {"deposit", "withdraw", NULL};
static const char *const ONE[] = {"redeem", NULL};

Test(parse_kinds, enums) {
    size_t index = 9;
    cw_json body;
    cr_assert_null(cw_parse_enum(json("{\"withdraw\":{\"a\":1}}"), TWO, &index, &body));
    cr_assert_eq(index, 1);
    cr_assert_eq(body.type, CW_JSON_OBJECT);
    cr_assert_null(cw_parse_enum(json("{\"dep\\u006fsit\":null}"), TWO, &index, &body));
    cr_assert_eq(index, 0);
    cr_assert_str_eq(text_of(cw_parse_enum(json("{\"stake\":{}}"), TWO, &index, &body)),
                     "unknown variant `stake`, expected one of `deposit`, `withdraw`");
    cr_assert_str_eq(text_of(cw_parse_enum(json("{\"stake\":{}}"), ONE, &index, &body)),
                     "unknown variant `stake`, expected `redeem`");
    cr_assert_str_eq(text_of(cw_parse_enum(json("{\"a\":1,\"b\":2}"), TWO, &index, &body)),
                     "invalid message: expected an object with exactly one key, got "
                     "{\"a\":1,\"b\":2}");
    cr_assert_str_eq(text_of(cw_parse_enum(json("\"deposit\""), TWO, &index, &body)),
                     "invalid message: expected an object with exactly one key, got "
                     "\"deposit\"");
    cw_release_all();
}

/* A Receive hook's base64 `msg`: decoded and parsed; wrong type and bad base64 refused. */
Test(parse_kinds, receive_msg) {
    cw_json hook;
    /* base64 of {"redeem":{}} */
    cr_assert_null(cw_parse_receive_msg(json("\"eyJyZWRlZW0iOnt9fQ==\""), &hook));
    cr_assert_eq(hook.type, CW_JSON_OBJECT);
    cr_assert_eq(cw_json_get(hook, "redeem").type, CW_JSON_OBJECT);
    cr_assert_str_eq(text_of(cw_parse_receive_msg(json("{\"redeem\":{}}"), &hook)),
                     "invalid type for `msg`: expected base64");
    cr_assert_not_null(text_of(cw_parse_receive_msg(json("\"e!\""), &hook)));
    /* base64 of "{" — not JSON */
    cr_assert_not_null(text_of(cw_parse_receive_msg(json("\"ew==\""), &hook)));
    cw_release_all();
}
