/* Tests for base64 (sdk/src/cw_base64.c): RFC 4648 vectors, exact rejection messages, seeded
 * random roundtrips against an independent bit-by-bit codec, and a canonical-form property:
 * the strict decoder accepts exactly the strings that re-encode to themselves. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cw_json.h"

static cw_str S(const char *s) {
    return (cw_str){s, strlen(s)};
}

static void expect_buf(const cw_buf *b, const char *want, size_t len) {
    cr_assert_eq(b->len, len, "got %zu bytes, expected %zu", b->len, len);
    if (len) cr_assert_eq(memcmp(b->ptr, want, len), 0);
}

static void expect_decode_err(const char *text, size_t len, const char *want) {
    cw_buf out = {0};
    cw_buf_puts(&out, "keep");
    cw_error *e = cw_base64_decode((cw_str){text, len}, &out);
    cr_assert_not_null(e, "\"%.*s\" should be rejected", (int)len, text);
    cr_assert_str_eq(e->msg, want);
    expect_buf(&out, "keep", 4); /* untouched on error */
    cw_error_free(e);
    cw_buf_free(&out);
}
#define REJECT(lit, msg) expect_decode_err((lit), sizeof(lit) - 1, (msg))

/* --- Independent reference codec: one bit at a time -------------------------------------- */

static const char ref_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t ref_encode(const unsigned char *in, size_t n, char *out) {
    size_t bits = n * 8, o = 0;
    for (size_t pos = 0; pos < bits; pos += 6) {
        int v = 0;
        for (size_t k = 0; k < 6; k++) {
            size_t b = pos + k;
            int bit = b < bits ? (in[b / 8] >> (7 - b % 8)) & 1 : 0;
            v = (v << 1) | bit;
        }
        out[o++] = ref_alphabet[v];
    }
    while (o % 4) out[o++] = '=';
    return o;
}

/* Lenient decode: padding optional, trailing bits ignored. Returns -1 if not base64 at all. */
static long ref_decode_lenient(const char *in, size_t n, unsigned char *out) {
    size_t end = n;
    for (int k = 0; k < 2 && end > 0 && in[end - 1] == '='; k++) end--;
    if (end % 4 == 1) return -1;
    size_t bitpos = 0;
    memset(out, 0, n);
    for (size_t i = 0; i < end; i++) {
        const char *p = in[i] ? strchr(ref_alphabet, in[i]) : NULL;
        if (!p) return -1;
        int v = (int)(p - ref_alphabet);
        for (int k = 5; k >= 0; k--, bitpos++)
            if ((v >> k) & 1 && bitpos / 8 < end * 6 / 8) out[bitpos / 8] |= 1 << (7 - bitpos % 8);
    }
    return (long)(end * 6 / 8);
}

/* --- Vectors ----------------------------------------------------------------------------- */

Test(base64, rfc4648_vectors) {
    static const char *const vec[][2] = {{"", ""},
                                         {"f", "Zg=="},
                                         {"fo", "Zm8="},
                                         {"foo", "Zm9v"},
                                         {"foob", "Zm9vYg=="},
                                         {"fooba", "Zm9vYmE="},
                                         {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        cw_buf enc = {0}, dec = {0};
        cw_base64_encode(&enc, S(vec[i][0]));
        expect_buf(&enc, vec[i][1], strlen(vec[i][1]));
        cr_assert_null(cw_base64_decode(S(vec[i][1]), &dec));
        expect_buf(&dec, vec[i][0], strlen(vec[i][0]));
        cw_buf_free(&enc);
        cw_buf_free(&dec);
    }
}

Test(base64, binary_bytes_and_alphabet_ends) {
    cw_buf enc = {0}, dec = {0};
    cw_base64_encode(&enc, (cw_str){"\xfb\xff\xbf\x00\x10\x83", 6});
    expect_buf(&enc, "+/+/ABCD", 8);
    cr_assert_null(cw_base64_decode(cw_buf_view(&enc), &dec));
    expect_buf(&dec, "\xfb\xff\xbf\x00\x10\x83", 6);
    cw_buf_free(&enc);
    cw_buf_free(&dec);
}

Test(base64, encode_and_decode_append) {
    cw_buf b = {0};
    cw_buf_puts(&b, "x:");
    cw_base64_encode(&b, S("hi"));
    expect_buf(&b, "x:aGk=", 6);
    cr_assert_null(cw_base64_decode(S("aGk="), &b));
    expect_buf(&b, "x:aGk=hi", 8);
    cw_buf_free(&b);
}

/* --- Strict rejections ------------------------------------------------------------------- */

Test(base64, rejects_bad_length) {
    REJECT("Zg=", "invalid base64: length 3 is not a multiple of 4");
    REJECT("Zg", "invalid base64: length 2 is not a multiple of 4");
    REJECT("Z", "invalid base64: length 1 is not a multiple of 4");
    REJECT("=", "invalid base64: length 1 is not a multiple of 4");
    REJECT("Zm9vY", "invalid base64: length 5 is not a multiple of 4");
    REJECT("Zm9vYmE", "invalid base64: length 7 is not a multiple of 4");
}

Test(base64, rejects_bad_padding) {
    REJECT("Zg=a", "invalid base64 at byte 2: padding '=' before the end");
    REJECT("Z===", "invalid base64 at byte 1: padding '=' before the end");
    REJECT("====", "invalid base64 at byte 0: padding '=' before the end");
    REJECT("Zg==Zg==", "invalid base64 at byte 2: padding '=' before the end");
    REJECT("Zm8=Zm8=", "invalid base64 at byte 3: padding '=' before the end");
    REJECT("Zg===", "invalid base64 at byte 2: padding '=' before the end");
}

Test(base64, rejects_non_zero_trailing_bits) {
    REJECT("Zh==", "invalid base64 at byte 1: non-zero trailing bits in 'h'");
    REJECT("Zv==", "invalid base64 at byte 1: non-zero trailing bits in 'v'");
    REJECT("Zm9=", "invalid base64 at byte 2: non-zero trailing bits in '9'");
    REJECT("Zm8vYmF=", "invalid base64 at byte 6: non-zero trailing bits in 'F'");
    REJECT("//==", "invalid base64 at byte 1: non-zero trailing bits in '/'");
}

Test(base64, rejects_bad_characters) {
    REJECT("Zm9v\n", "invalid base64 at byte 4: invalid character 0x0a");
    REJECT("Zm 9v", "invalid base64 at byte 2: invalid character ' '");
    REJECT("Zm9-", "invalid base64 at byte 3: invalid character '-'");
    REJECT("Zm9_", "invalid base64 at byte 3: invalid character '_'");
    REJECT("\xff"
           "AAA",
           "invalid base64 at byte 0: invalid character 0xff");
    REJECT("AA\0A", "invalid base64 at byte 2: invalid character 0x00");
    REJECT("Zm9v\r\n", "invalid base64 at byte 4: invalid character 0x0d");
    REJECT("Zg==\n", "invalid base64 at byte 2: padding '=' before the end");
}

Test(base64, empty_decodes_to_nothing) {
    cw_buf b = {0};
    cr_assert_null(cw_base64_decode((cw_str){NULL, 0}, &b));
    cr_assert_eq(b.len, 0);
    cw_buf_free(&b);
}

/* --- Random ------------------------------------------------------------------------------ */

static uint64_t rng_state;
static uint64_t rnd(void) {
    uint64_t x = rng_state; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

Test(base64, random_roundtrip_against_reference) {
    rng_state = 0x5EED5EED5EEDull;
    unsigned char in[200];
    char ref[300];
    for (int round = 0; round < 5000; round++) {
        size_t n = (size_t)(rnd() % sizeof in);
        for (size_t i = 0; i < n; i++) in[i] = (unsigned char)rnd();
        cw_buf enc = {0}, dec = {0};
        cw_base64_encode(&enc, (cw_str){(const char *)in, n});
        size_t rn = ref_encode(in, n, ref);
        expect_buf(&enc, ref, rn);
        cr_assert_null(cw_base64_decode(cw_buf_view(&enc), &dec));
        expect_buf(&dec, (const char *)in, n);
        cw_buf_free(&enc);
        cw_buf_free(&dec);
    }
}

/* Strict canonical decoding accepts a string iff some bytes encode to exactly it. */
Test(base64, accepts_exactly_canonical_strings) {
    static const char chars[] = "AQgwBhZ+/=9a=x";
    rng_state = 0xB64B64ull;
    size_t accepted = 0, rejected = 0;
    for (int round = 0; round < 100000; round++) {
        char text[13];
        size_t n = (size_t)(rnd() % 13);
        for (size_t i = 0; i < n; i++) text[i] = chars[rnd() % (sizeof chars - 1)];
        unsigned char raw[16];
        char again[32];
        long rl = ref_decode_lenient(text, n, raw);
        bool canonical =
            rl >= 0 && ref_encode(raw, (size_t)rl, again) == n && memcmp(again, text, n) == 0;
        cw_buf out = {0};
        cw_error *e = cw_base64_decode((cw_str){text, n}, &out);
        cr_assert_eq(e == NULL, canonical, "\"%.*s\": ours %s, canonical %d", (int)n, text,
                     e ? e->msg : "ok", canonical);
        if (e) {
            rejected++;
            cw_error_free(e);
        } else {
            accepted++;
            expect_buf(&out, (const char *)raw, (size_t)rl);
        }
        cw_buf_free(&out);
    }
    cr_assert_gt(accepted, 1000);
    cr_assert_gt(rejected, 1000);
}
