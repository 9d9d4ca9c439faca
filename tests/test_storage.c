/* Tests for sdk/src/cw_storage.c: key bytes compared with cw-storage-plus encodings written
 * out by hand, typed values, and prefix range iteration against the native mock's store. */
#include <criterion/criterion.h>
#include <string.h>

#include "cw_host.h"
#include "cw_math.h"
#include "cw_mock.h"
#include "cw_storage.h"

#define S(lit) ((cw_str){(lit), sizeof(lit) - 1}) /* literal with embedded NULs */

static void setup(void) {
    cw_mock_reset();
}

static size_t live_blocks(void) {
    size_t n;
    cw_mock_alloc_stats(&n, NULL, NULL);
    return n;
}

static void expect_bytes(cw_str got, cw_str want) {
    cr_assert_eq(got.len, want.len, "length %zu, expected %zu", got.len, want.len);
    cr_assert(memcmp(got.ptr, want.ptr, want.len) == 0, "bytes differ");
}

static void expect_key(cw_buf *key, cw_str want) {
    expect_bytes(cw_buf_view(key), want);
    cw_buf_free(key);
}

/* --- Key encoding ------------------------------------------------------------------------ */

Test(key, map_string_key) {
    cw_buf k = {0};
    cw_key_map(&k, "balance");
    cw_key_last(&k, CW_LIT("alice"));
    expect_key(&k, S("\x00\x07"
                     "balancealice"));
}

Test(key, map_addr_key_is_address_bytes) {
    cw_buf k = {0};
    cw_key_map(&k, "balance");
    cw_key_last(&k, CW_LIT("wasm1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du"));
    expect_key(&k, S("\x00\x07"
                     "balancewasm1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du"));
}

Test(key, map_prefix_only) {
    cw_buf k = {0};
    cw_key_map(&k, "balance");
    expect_key(&k, S("\x00\x07"
                     "balance"));
}

Test(key, map_u64_key_big_endian) {
    cw_buf k = {0};
    cw_key_map(&k, "pos");
    cw_key_last_u64(&k, 0x42434445u);
    expect_key(&k, S("\x00\x03pos\x00\x00\x00\x00\x42\x43\x44\x45"));
    cw_key_map(&k, "pos");
    cw_key_last_u64(&k, 1);
    expect_key(&k, S("\x00\x03pos\x00\x00\x00\x00\x00\x00\x00\x01"));
}

Test(key, map_u32_and_i64_keys) {
    cw_buf k = {0};
    cw_key_map(&k, "n");
    cw_key_last_u32(&k, 0x424344u);
    expect_key(&k, S("\x00\x01n\x00\x42\x43\x44"));
    /* int_key.rs: 0x42434445i64 → 80 00 00 00 42 43 44 45; -0x7fffffffbdbcbbbb → 00 … 42 43 44 45
     */
    cw_key_map(&k, "i");
    cw_key_last_i64(&k, 0x42434445);
    expect_key(&k, S("\x00\x01i\x80\x00\x00\x00\x42\x43\x44\x45"));
    cw_key_map(&k, "i");
    cw_key_last_i64(&k, -0x7fffffffbdbcbbbbLL);
    expect_key(&k, S("\x00\x01i\x00\x00\x00\x00\x42\x43\x44\x45"));
}

Test(key, composite_two_parts) {
    /* cw20-base ALLOWANCES: Map<(&Addr, &Addr), _> = Map::new("allowance") */
    cw_buf k = {0};
    cw_key_map(&k, "allowance");
    cw_key_push(&k, CW_LIT("owner"));
    cw_key_last(&k, CW_LIT("spender"));
    expect_key(&k, S("\x00\x09"
                     "allowance\x00\x05ownerspender"));
}

Test(key, composite_three_parts_with_u64) {
    cw_buf k = {0};
    cw_key_map(&k, "triple");
    cw_key_push(&k, CW_LIT("john"));
    cw_key_push_u64(&k, 7);
    cw_key_last(&k, CW_LIT("x"));
    expect_key(&k, S("\x00\x06triple\x00\x04john\x00\x08\x00\x00\x00\x00\x00\x00\x00\x07x"));

    cw_key_map(&k, "t");
    cw_key_push_u32(&k, 1);
    cw_key_push(&k, CW_LIT("ab"));
    cw_key_last_u64(&k, 2);
    expect_key(&k, S("\x00\x01t\x00\x04\x00\x00\x00\x01\x00\x02"
                     "ab\x00\x00\x00\x00\x00\x00\x00\x02"));
}

Test(key, map_parts_matches_builders) {
    cw_buf a = {0}, b = {0};
    cw_str parts[3] = {CW_LIT("a"), CW_LIT("bc"), CW_LIT("def")};
    cw_key_map_parts(&a, "ns", parts, 3);
    cw_key_map(&b, "ns");
    cw_key_push(&b, parts[0]);
    cw_key_push(&b, parts[1]);
    cw_key_last(&b, parts[2]);
    expect_bytes(cw_buf_view(&a), cw_buf_view(&b));
    expect_key(&a, S("\x00\x02ns\x00\x01"
                     "a\x00\x02"
                     "bcdef"));
    cw_buf_free(&b);
    cw_key_map_parts(&a, "ns", NULL, 0);
    expect_key(&a, S("\x00\x02ns"));
}

Test(key, empty_parts_and_long_part) {
    cw_buf k = {0};
    cw_key_map(&k, "");
    cw_key_push(&k, CW_LIT(""));
    cw_key_last(&k, CW_LIT(""));
    expect_key(&k, S("\x00\x00\x00\x00"));

    static char big[300];
    memset(big, 'z', sizeof big);
    cw_key_push(&k, (cw_str){big, 256});
    cr_assert_eq(k.len, 258);
    cr_assert_eq((uint8_t)k.ptr[0], 0x01);
    cr_assert_eq((uint8_t)k.ptr[1], 0x00);
    cw_buf_free(&k);
}

Test(key, decode_parts) {
    cw_str rest = S("\x00\x05ownerspender");
    cw_str part;
    cr_assert(cw_key_take_part(&rest, &part));
    expect_bytes(part, CW_LIT("owner"));
    expect_bytes(rest, CW_LIT("spender"));
    cw_str bad = S("\x00\x09short");
    cr_assert_not(cw_key_take_part(&bad, &part));
    cw_str tiny = S("\x00");
    cr_assert_not(cw_key_take_part(&tiny, &part));

    uint64_t v;
    cr_assert(cw_key_u64(S("\x01\x02\x03\x04\x05\x06\x07\x08"), &v));
    cr_assert_eq(v, 0x0102030405060708u);
    cr_assert_not(cw_key_u64(S("\x01\x02"), &v));
    uint32_t w;
    cr_assert(cw_key_u32(S("\xff\x00\x00\x01"), &w));
    cr_assert_eq(w, 0xff000001u);
    char b[8];
    expect_bytes(cw_be_u64(0x0102030405060708u, b), S("\x01\x02\x03\x04\x05\x06\x07\x08"));
    char c[4];
    expect_bytes(cw_be_u32(7, c), S("\x00\x00\x00\x07"));
}

/* --- Item and Map values ------------------------------------------------------------------- */

/* The raw bytes stored at `key`, or a NULL ptr if absent (freed by the caller). */
static cw_str raw(cw_str key) {
    cw_str v = {0};
    if (!cw_db_read(key, &v)) return (cw_str){NULL, 0};
    return v;
}

static void expect_raw(cw_str key, cw_str want) {
    cw_str v = raw(key);
    cr_assert_not_null(v.ptr, "key absent");
    expect_bytes(v, want);
    cw_free((void *)v.ptr);
}

Test(item, save_load_remove, .init = setup) {
    cw_str v;
    cr_assert_not(cw_item_load("config", &v));
    cr_assert_not(cw_item_exists("config"));
    cw_item_save("config", CW_LIT("{\"owner\":\"admin\",\"max_tokens\":1234}"));
    expect_raw(CW_LIT("config"), CW_LIT("{\"owner\":\"admin\",\"max_tokens\":1234}"));
    cr_assert(cw_item_load("config", &v));
    expect_bytes(v, CW_LIT("{\"owner\":\"admin\",\"max_tokens\":1234}"));
    cw_free((void *)v.ptr);
    cr_assert(cw_item_exists("config"));
    cr_assert_not(cw_item_exists("config2"));
    cw_item_remove("config");
    cr_assert_not(cw_item_exists("config"));
    cw_item_remove("config"); /* removing twice is fine */
}

Test(map, save_load_has_remove, .init = setup) {
    cw_str v;
    cr_assert_not(cw_map_has("balance", CW_LIT("alice")));
    cw_map_save("balance", CW_LIT("alice"), CW_LIT("\"5\""));
    expect_raw(S("\x00\x07"
                 "balancealice"),
               CW_LIT("\"5\""));
    cr_assert(cw_map_has("balance", CW_LIT("alice")));
    cr_assert_not(cw_map_has("balance", CW_LIT("alic")));
    cr_assert_not(cw_map_has("balanc", CW_LIT("ealice")));
    cr_assert(cw_map_load("balance", CW_LIT("alice"), &v));
    expect_bytes(v, CW_LIT("\"5\""));
    cw_free((void *)v.ptr);
    cw_map_remove("balance", CW_LIT("alice"));
    cr_assert_not(cw_map_load("balance", CW_LIT("alice"), &v));
}

Test(map, u128_values_stored_as_json_strings, .init = setup) {
    cw_u128 bal = 99;
    cr_assert_null(cw_map_load_u128("balance", CW_LIT("bob"), &bal));
    cr_assert(bal == 0, "absent balance is zero");
    cw_map_save_u128("balance", CW_LIT("bob"), 123);
    expect_raw(S("\x00\x07"
                 "balancebob"),
               CW_LIT("\"123\""));
    cw_map_save_u128("balance", CW_LIT("carol"), ~(cw_u128)0);
    expect_raw(S("\x00\x07"
                 "balancecarol"),
               CW_LIT("\"340282366920938463463374607431768211455\""));
    cr_assert_null(cw_map_load_u128("balance", CW_LIT("carol"), &bal));
    cr_assert(bal == ~(cw_u128)0);
    cr_assert_null(cw_map_load_u128("balance", CW_LIT("bob"), &bal));
    cr_assert(bal == 123);
}

Test(item, u128_and_u64, .init = setup) {
    cw_u128 supply;
    uint64_t next_id;
    bool found = true;
    cr_assert_null(cw_store_load_u64(CW_LIT("next_id"), &next_id, &found));
    cr_assert_not(found);
    cr_assert_eq(next_id, 0);
    cw_item_save_u64("next_id", 18446744073709551615u);
    expect_raw(CW_LIT("next_id"), CW_LIT("18446744073709551615"));
    cr_assert_null(cw_store_load_u64(CW_LIT("next_id"), &next_id, &found));
    cr_assert(found);
    cr_assert_eq(next_id, 18446744073709551615u);
    cw_item_save_u64("zero", 0);
    expect_raw(CW_LIT("zero"), CW_LIT("0"));
    cr_assert_null(cw_item_load_u64("zero", &next_id));
    cr_assert_eq(next_id, 0);

    cw_item_save_u128("supply", 0);
    expect_raw(CW_LIT("supply"), CW_LIT("\"0\""));
    cr_assert_null(cw_store_load_u128(CW_LIT("supply"), &supply, &found));
    cr_assert(found);
    cr_assert(supply == 0);
    cw_item_save_u128("supply", (cw_u128)1000000 * 1000000000000u);
    cr_assert_null(cw_item_load_u128("supply", &supply));
    cr_assert(supply == (cw_u128)1000000 * 1000000000000u);
}

Test(item, malformed_values_are_errors, .init = setup) {
    cw_u128 v;
    uint64_t n;
    const char *bad_u128[] = {"123",    "\"\"",    "\"12a\"",
                              "\"-1\"", "\"1.5\"", "\"340282366920938463463374607431768211456\"",
                              "null",   "\"1"};
    for (size_t i = 0; i < sizeof bad_u128 / sizeof *bad_u128; i++) {
        cw_item_save("x", cw_cstr(bad_u128[i]));
        cw_error *err = cw_item_load_u128("x", &v);
        cr_assert_not_null(err, "accepted %s", bad_u128[i]);
        cr_assert(strstr(err->msg, "0x78") != NULL, "error names the key: %s", err->msg);
        cw_error_free(err);
    }
    cw_item_save("x", CW_LIT("\"+5\"")); /* u128::from_str takes a leading '+' */
    cr_assert_null(cw_item_load_u128("x", &v));
    cr_assert(v == 5);
    cw_item_save("x", CW_LIT(" \"7\" ")); /* serde_json allows surrounding whitespace */
    cr_assert_null(cw_item_load_u128("x", &v));
    cr_assert(v == 7);

    const char *bad_u64[] = {"\"1\"", "-1", "1.0", "18446744073709551616", "true"};
    for (size_t i = 0; i < sizeof bad_u64 / sizeof *bad_u64; i++) {
        cw_item_save("y", cw_cstr(bad_u64[i]));
        cw_error *err = cw_item_load_u64("y", &n);
        cr_assert_not_null(err, "accepted %s", bad_u64[i]);
        cw_error_free(err);
    }
}

Test(u128, parse) {
    cw_u128 v;
    cr_assert_null(cw_u128_parse(CW_LIT("0"), &v));
    cr_assert(v == 0);
    cr_assert_null(cw_u128_parse(CW_LIT("340282366920938463463374607431768211455"), &v));
    cr_assert(v == ~(cw_u128)0);
    cw_error *err = cw_u128_parse(CW_LIT("340282366920938463463374607431768211456"), &v);
    cr_assert_not_null(err);
    cw_error_free(err);
    err = cw_u128_parse(CW_LIT(""), &v);
    cr_assert_not_null(err);
    cw_error_free(err);
    cr_assert_null(cw_u128_parse_json(CW_LIT("\"42\""), &v));
    cr_assert(v == 42);
    cr_assert_null(cw_u128_parse_json(CW_LIT("\"\\u0034\""), &v)); /* escaped "4" */
    cr_assert(v == 4);
}

/* --- Range iteration --------------------------------------------------------------------- */

/* Collects a range as "k1=v1,k2=v2" (keys printed raw; only printable test keys used). */
static char *collect(cw_range *r) {
    static char out[1024];
    size_t n = 0;
    cw_str k, v;
    while (cw_range_next(r, &k, &v)) {
        if (n) out[n++] = ',';
        memcpy(out + n, k.ptr, k.len);
        n += k.len;
        out[n++] = '=';
        memcpy(out + n, v.ptr, v.len);
        n += v.len;
    }
    cw_range_end(r);
    out[n] = 0;
    return out;
}

static char *map_range(const char *ns, const cw_range_opts *opts) {
    cw_range r;
    cw_map_range_begin(&r, ns, NULL, 0, opts);
    return collect(&r);
}

/* The cw-storage-plus prefix.rs test set: foobar, foora, foozi under a map; neighbours around. */
static void fill_foo(void) {
    cw_map_save("foo", CW_LIT("bar"), CW_LIT("1"));
    cw_map_save("foo", CW_LIT("ra"), CW_LIT("2"));
    cw_map_save("foo", CW_LIT("zi"), CW_LIT("3"));
    cw_map_save("fo", CW_LIT("oply"), CW_LIT("100")); /* other namespaces */
    cw_map_save("fop", CW_LIT("x"), CW_LIT("200"));
    cw_item_save("foo", CW_LIT("item"));
    cw_db_write(S("\x00\x04"), CW_LIT("below"));
}

#define B_INC(s) cw_bound_inclusive(CW_LIT(s))
#define B_EXC(s) cw_bound_exclusive(CW_LIT(s))

Test(range, whole_map_both_orders, .init = setup) {
    fill_foo();
    cr_assert_str_eq(map_range("foo", NULL), "bar=1,ra=2,zi=3");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.order = CW_ORDER_ASC}), "bar=1,ra=2,zi=3");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.order = CW_ORDER_DESC}), "zi=3,ra=2,bar=1");
    cr_assert_str_eq(map_range("nothing", NULL), "");
}

Test(range, ascending_bounds, .init = setup) {
    fill_foo();
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_INC("ra")}), "ra=2,zi=3");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_EXC("ra")}), "zi=3");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_EXC("r")}), "ra=2,zi=3");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_INC("ra"), .max = B_EXC("zi")}),
                     "ra=2");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_EXC("ra"), .max = B_EXC("zi")}),
                     "");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_INC("bar"), .max = B_INC("zi")}),
                     "bar=1,ra=2,zi=3");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.max = B_INC("ra")}), "bar=1,ra=2");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_INC("zz")}), "");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_INC("zi"), .max = B_INC("bar")}),
                     ""); /* inverted */
}

Test(range, descending_bounds, .init = setup) {
    fill_foo();
    const int D = CW_ORDER_DESC;
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.max = B_INC("ra"), .order = D}),
                     "ra=2,bar=1");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.max = B_EXC("ra"), .order = D}), "bar=1");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.max = B_EXC("rb"), .order = D}),
                     "ra=2,bar=1");
    cr_assert_str_eq(
        map_range("foo", &(cw_range_opts){.min = B_INC("ra"), .max = B_EXC("zi"), .order = D}),
        "ra=2");
    cr_assert_str_eq(
        map_range("foo", &(cw_range_opts){.min = B_INC("ra"), .max = B_INC("zi"), .order = D}),
        "zi=3,ra=2");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.min = B_EXC("bar"), .order = D}),
                     "zi=3,ra=2");
}

Test(range, limit_and_start_after_pagination, .init = setup) {
    /* cw20-base all_accounts: keys after start_after, ascending, `limit` at a time. */
    const char *names[] = {"dave", "alice", "erin", "bob", "carol"};
    for (size_t i = 0; i < 5; i++) cw_map_save_u128("balance", cw_cstr(names[i]), i + 1);
    cw_map_save_u128("balances", CW_LIT("zed"), 9); /* a neighbouring namespace */

    size_t before = live_blocks();
    cw_str start_after = {NULL, 0};
    cw_buf last = {0};
    char pages[256] = "";
    for (int page = 0; page < 4; page++) {
        cw_range r;
        cw_map_range_begin(&r, "balance", NULL, 0,
                           &(cw_range_opts){.min = cw_bound_exclusive(start_after), .limit = 2});
        cw_str k, v;
        int n = 0;
        strcat(pages, "[");
        while (cw_range_next(&r, &k, &v)) {
            if (n++) strcat(pages, ",");
            strncat(pages, k.ptr, k.len);
            last.len = 0;
            cw_buf_put(&last, k.ptr, k.len);
        }
        cw_range_end(&r);
        strcat(pages, "]");
        if (n == 0) break;
        start_after = cw_buf_view(&last);
    }
    cw_buf_free(&last);
    cr_assert_str_eq(pages, "[alice,bob][carol,dave][erin][]");
    cr_assert_eq(live_blocks(), before, "range iteration leaked");
}

Test(range, limit_descending, .init = setup) {
    fill_foo();
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.order = CW_ORDER_DESC, .limit = 2}),
                     "zi=3,ra=2");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.limit = 1}), "bar=1");
    cr_assert_str_eq(map_range("foo", &(cw_range_opts){.limit = 10}), "bar=1,ra=2,zi=3");
}

Test(range, composite_prefix, .init = setup) {
    /* allowances (owner, spender): iterate one owner's spenders. */
    cw_buf k = {0};
    const char *pairs[][2] = {{"ann", "zoe"}, {"ann", "bob"},  {"annie", "x"},
                              {"al", "y"},    {"ann", "carl"}, {"bo", "ann"}};
    for (size_t i = 0; i < 6; i++) {
        k.len = 0;
        cw_key_map(&k, "allowance");
        cw_key_push(&k, cw_cstr(pairs[i][0]));
        cw_key_last(&k, cw_cstr(pairs[i][1]));
        cw_db_write(cw_buf_view(&k), cw_cstr(pairs[i][1]));
    }
    cw_buf_free(&k);
    cw_str owner = CW_LIT("ann");
    cw_range r;
    cw_map_range_begin(&r, "allowance", &owner, 1, NULL);
    cr_assert_str_eq(collect(&r), "bob=bob,carl=carl,zoe=zoe");
    cw_map_range_begin(&r, "allowance", &owner, 1,
                       &(cw_range_opts){.min = B_EXC("bob"), .order = CW_ORDER_DESC});
    cr_assert_str_eq(collect(&r), "zoe=zoe,carl=carl");

    /* Whole map: suffixes are the full encoded (owner, spender) keys, in byte order — owners
     * sorted by length first because of the length prefix. */
    cw_map_range_begin(&r, "allowance", NULL, 0, NULL);
    cw_str key, value;
    const char *want[][2] = {{"al", "y"},     {"bo", "ann"},  {"ann", "bob"},
                             {"ann", "carl"}, {"ann", "zoe"}, {"annie", "x"}};
    size_t i = 0;
    while (cw_range_next(&r, &key, &value)) {
        cr_assert_lt(i, 6);
        cw_str o, rest = key;
        cr_assert(cw_key_take_part(&rest, &o));
        expect_bytes(o, cw_cstr(want[i][0]));
        expect_bytes(rest, cw_cstr(want[i][1]));
        i++;
    }
    cw_range_end(&r);
    cr_assert_eq(i, 6);
}

Test(range, u64_keys_numeric_order, .init = setup) {
    uint64_t ids[] = {300, 2, 1u << 20, 1, 256, UINT64_MAX};
    for (size_t i = 0; i < 6; i++) {
        char b[8];
        cw_map_save("pos", cw_be_u64(ids[i], b), CW_LIT("v"));
    }
    char b[8];
    cw_range r;
    cw_map_range_begin(&r, "pos", NULL, 0,
                       &(cw_range_opts){.min = cw_bound_exclusive(cw_be_u64(2, b))});
    uint64_t want[] = {256, 300, 1u << 20, UINT64_MAX}, got;
    cw_str k, v;
    size_t n = 0;
    while (cw_range_next(&r, &k, &v)) {
        cr_assert(cw_key_u64(k, &got));
        cr_assert_eq(got, want[n], "item %zu: %llu", n, (unsigned long long)got);
        n++;
    }
    cw_range_end(&r);
    cr_assert_eq(n, 4);
}

Test(range, raw_prefix_and_ff_prefix, .init = setup) {
    cw_db_write(CW_LIT("a\xff\xff"
                       "1"),
                CW_LIT("x"));
    cw_db_write(CW_LIT("a\xff\xff\xff"), CW_LIT("y"));
    cw_db_write(CW_LIT("b"), CW_LIT("z"));
    cw_range r;
    cw_range_begin(&r, CW_LIT("a\xff\xff"), NULL);
    cr_assert_str_eq(collect(&r), "1=x,\xff=y");
    cw_range_begin(&r, CW_LIT("\xff"), NULL); /* no key above an all-0xFF prefix */
    cr_assert_str_eq(collect(&r), "");
    cw_range_begin(&r, CW_LIT(""), &(cw_range_opts){.order = CW_ORDER_DESC, .limit = 1});
    cr_assert_str_eq(collect(&r), "b=z");
}

Test(range, end_is_idempotent, .init = setup) {
    fill_foo();
    cw_range r;
    cw_map_range_begin(&r, "foo", NULL, 0, NULL);
    cw_str k, v;
    cr_assert(cw_range_next(&r, &k, &v));
    cw_range_end(&r);
    cw_range_end(&r);
    cr_assert_not(cw_range_next(&r, &k, &v));
}

Test(page, limit) {
    cr_assert_eq(cw_page_limit(false, 0, 10, 30), 10);
    cr_assert_eq(cw_page_limit(true, 5, 10, 30), 5);
    cr_assert_eq(cw_page_limit(true, 0, 10, 30), 0);
    cr_assert_eq(cw_page_limit(true, 1000, 10, 30), 30);
    cr_assert_eq(cw_page_limit(true, UINT64_MAX, 10, 30), 30);
}
