/* Tests for the binary record encoding (sdk/src/cw_record.c, cw_record.h): exact little-endian
 * bytes, round trips of every type, and aborts on short records and over-long strings. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cw_mock.h"
#include "cw_record.h"

Test(record, bytes_are_little_endian_with_u16_string_lengths) {
    cw_buf b = {0};
    cw_record_put_u64(&b, 0x0102030405060708u);
    cw_record_put_str(&b, CW_LIT("hi"));
    const unsigned char want[] = {8, 7, 6, 5, 4, 3, 2, 1, 2, 0, 'h', 'i'};
    cr_assert_eq(b.len, sizeof want);
    cr_assert_eq(memcmp(b.ptr, want, sizeof want), 0);
    cw_buf_free(&b);
}

Test(record, every_type_round_trips) {
    cw_buf b = {0};
    cw_u128 big = ((cw_u128)0xFFFFFFFFFFFFFFFFu << 64) | 7u;
    cw_u256 huge = {{1, 2, 3, 0x8000000000000000u}};
    cw_record_put_u64(&b, 42);
    cw_record_put_u128(&b, big);
    cw_record_put_u256(&b, huge);
    cw_record_put_str(&b, CW_LIT(""));
    cw_record_put_str(&b, CW_LIT("alice"));
    cw_record r = {cw_buf_view(&b), 0};
    cr_assert_eq(cw_record_get_u64(&r), 42);
    cr_assert(cw_record_get_u128(&r) == big);
    cw_u256 back = cw_record_get_u256(&r);
    cr_assert_eq(memcmp(&back, &huge, sizeof huge), 0);
    cr_assert_eq(cw_record_get_str(&r).len, 0);
    cr_assert(cw_str_eq_c(cw_record_get_str(&r), "alice"));
    cr_assert_eq(r.pos, b.len);
    cw_buf_free(&b);
}

static void read_u64_of_seven_bytes(void *ctx) {
    (void)ctx;
    cw_record r = {{"1234567", 7}, 0};
    cw_record_get_u64(&r);
}

static void read_string_past_the_end(void *ctx) {
    (void)ctx;
    cw_record r = {{"\x05\x00"
                    "abc",
                    5},
                   0};
    cw_record_get_str(&r);
}

static void put_long_string(void *ctx) {
    (void)ctx;
    static char big[0x10000];
    cw_buf b = {0};
    cw_record_put_str(&b, (cw_str){big, sizeof big});
}

Test(record, short_records_and_long_strings_abort) {
    char *e = cw_mock_catch_abort(read_u64_of_seven_bytes, NULL);
    cr_assert_str_eq(e, "corrupt record");
    free(e);
    e = cw_mock_catch_abort(read_string_past_the_end, NULL);
    cr_assert_str_eq(e, "corrupt record");
    free(e);
    e = cw_mock_catch_abort(put_long_string, NULL);
    cr_assert_str_eq(e, "string too long for a record");
    free(e);
}
